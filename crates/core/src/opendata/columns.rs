//! The columns of the open data tables, each declared once: its name, its type and what it
//! means. The CSV header, the JSON keys, the Data Package's Table Schema and the data guidance
//! page are all made from these lists, so they cannot disagree.

use serde::Serialize;

/// What kind of value a column holds, as a Table Schema types it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Text.
    String,
    /// A number, written with the decimals its source writes it with.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// One column of an open data table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its name in the CSV header and the JSON keys: `period_type`.
    pub name: &'static str,
    /// Its type.
    pub kind: Kind,
    /// What it holds, in words, for the guidance page and the Data Package.
    pub about: &'static str,
    /// A pattern every non-empty value matches (a Table Schema constraint), if any.
    pub pattern: Option<&'static str>,
    /// The values it may take, where they are few.
    pub values: &'static [&'static str],
}

const fn col(name: &'static str, kind: Kind, about: &'static str) -> Column {
    Column {
        name,
        kind,
        about,
        pattern: None,
        values: &[],
    }
}

/// A period's machine form: a day `2022-09-30`, a month `2022-09`, a quarter of a financial
/// year `2022-23-Q2`, a financial year `2022-23`, or a year `2021`.
pub const PERIOD_PATTERN: &str = r"\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4}-\d{2}-Q[1-4]|\d{4}";

/// The kinds of period, as `period_type` names them.
pub const PERIOD_TYPES: &[&str] = &[
    "day",
    "month",
    "quarter",
    "financial-year",
    "year",
    "not-recorded",
];

/// The days a figure was corrected, `2022-12-15`, several separated by `; `.
const DAYS_PATTERN: &str = r"\d{4}-\d{2}-\d{2}(; \d{4}-\d{2}-\d{2})*";

const fn period(name: &'static str, about: &'static str) -> Column {
    Column {
        name,
        kind: Kind::String,
        about,
        pattern: Some(PERIOD_PATTERN),
        values: &[],
    }
}

const fn period_type(name: &'static str, about: &'static str) -> Column {
    Column {
        name,
        kind: Kind::String,
        about,
        pattern: None,
        values: PERIOD_TYPES,
    }
}

/// The columns of `figures.csv`: one row a figure a source states.
pub const FIGURES: &[Column] = &[
    col(
        "report",
        Kind::String,
        "The quarterly report that states the figure, as `2022-23/q2`; empty for a figure stated elsewhere (in the minutes of a meeting).",
    ),
    col(
        "section",
        Kind::String,
        "The report section the indicator belongs to: `mash`, `cla`, `cpp`, `care-leavers`, `adoption`.",
    ),
    col(
        "indicator",
        Kind::String,
        "The indicator's id; its page is `/indicators/<id>/`.",
    ),
    col("indicator_name", Kind::String, "The indicator's name."),
    col(
        "series",
        Kind::String,
        "The series the figure belongs to, where its source measures it on a basis of its own (\"Care leavers aged 19 to 21\"); empty for the indicator's one series. Figures of different series are not comparable.",
    ),
    period(
        "period",
        "The period the figure covers, or the day it was taken at, in machine form (see `period_type`); empty when the source does not say.",
    ),
    period_type(
        "period_type",
        "What kind of period `period` is: `day` (2022-09-30, a snapshot at that date), `month` (2022-09), `quarter` (2022-23-Q2, a quarter of the financial year that starts in April 2022), `financial-year` (2022-23), `year` (2021, as the source names it, without saying whether calendar or financial), or `not-recorded`.",
    ),
    col(
        "period_label",
        Kind::String,
        "The period in words, as the pages show it.",
    ),
    col(
        "period_approximate",
        Kind::Boolean,
        "`true` when the source leaves the period unclear: `period` is then the archive's best reading of it, and `period_note` gives the source's words.",
    ),
    col(
        "period_note",
        Kind::String,
        "What the source says about an unclear period, in its words.",
    ),
    col(
        "value",
        Kind::Number,
        "The figure, as precisely as the source writes it; empty when the source gives no figure (\"not recorded\").",
    ),
    col(
        "unit",
        Kind::String,
        "The unit of `value`, `last_year`, `target` and the comparators: `number`, `per cent`, `rate per 10,000`, `days`, `weeks`.",
    ),
    col(
        "at_least",
        Kind::Boolean,
        "`true` when the source gives the value as a lower bound (\"40+ weeks\"): the true figure is `value` or more.",
    ),
    col(
        "part",
        Kind::Number,
        "For a percentage, the count it is a percentage of `whole` of, where the source gives it (\"44 of 282\": 44).",
    ),
    col(
        "whole",
        Kind::Number,
        "For a percentage, the count it is a percentage of, where the source gives it (\"44 of 282\": 282).",
    ),
    col(
        "target",
        Kind::Number,
        "A target the source states for the indicator, in the same unit.",
    ),
    col(
        "last_year",
        Kind::Number,
        "The figure for the same period a year earlier, as the source quotes it beside this one.",
    ),
    period(
        "last_year_period",
        "The period of `last_year`, in machine form; empty when the source gives it only loosely (see `last_year_period_label`).",
    ),
    period_type(
        "last_year_period_type",
        "What kind of period `last_year_period` is, as `period_type`.",
    ),
    col(
        "last_year_period_label",
        Kind::String,
        "The period of `last_year` in words, or the source's own words where it gives it loosely (\"the previous year\").",
    ),
    col(
        "change_as_stated",
        Kind::String,
        "The change on the same period last year in the source's own words (\"11% drop\", \"in line with\"), where it states one. No change is worked out here.",
    ),
    col(
        "source_document",
        Kind::String,
        "The key of the document that states the figure (see `source_title`).",
    ),
    col("source_title", Kind::String, "The title of that document."),
    col(
        "source_paragraph",
        Kind::String,
        "The paragraph or part of that document where the figure stands: as the document numbers it (\"3.1\") where it numbers its paragraphs; for minutes, which mostly do not, the archive's count or description of the place (\"bullet 8 of the key points\").",
    ),
    col(
        "source_url",
        Kind::String,
        "Where the document is in this archive: an absolute URL when the site's address is known, else a path from the site's root.",
    ),
    col(
        "note",
        Kind::String,
        "A remark the source makes about the figure, in its words, or a note of the archive's (marked so).",
    ),
    col(
        "first_published_value",
        Kind::Number,
        "For a corrected figure, the value first published; `value` is the current one.",
    ),
    Column {
        name: "corrected_on",
        kind: Kind::String,
        about: "For a corrected figure, the days it was corrected, oldest first, separated by `; `. Each earlier version of the report keeps its own files.",
        pattern: Some(DAYS_PATTERN),
        values: &[],
    },
    col(
        "synthetic",
        Kind::Boolean,
        "`true` for a synthetic figure (test data, not from any council's documents).",
    ),
];

/// The columns of `comparators.csv`: one row a comparator value set beside a figure.
pub const COMPARATORS: &[Column] = &[
    col(
        "report",
        Kind::String,
        "The report of the figure it is set beside, as in `figures.csv`.",
    ),
    col("indicator", Kind::String, "The indicator of that figure."),
    period("period", "The period of that figure, as in `figures.csv`."),
    col(
        "comparator",
        Kind::String,
        "The comparator's id: `statistical-neighbours`, `england`, `eastern-region`, `national`.",
    ),
    col(
        "comparator_name",
        Kind::String,
        "The comparator's name, as the pages show it.",
    ),
    col(
        "value",
        Kind::Number,
        "The comparator's value, in the figure's unit.",
    ),
    col("unit", Kind::String, "The unit of `value`."),
    col(
        "approximate",
        Kind::Boolean,
        "`true` when the source gives the value as approximate (\"about\").",
    ),
    period(
        "basis",
        "The period the comparator's value describes (its basis year), in machine form; empty when the source does not say.",
    ),
    period_type(
        "basis_type",
        "What kind of period `basis` is, as `period_type` in `figures.csv`.",
    ),
    col("basis_label", Kind::String, "The basis period in words."),
    col(
        "basis_note",
        Kind::String,
        "What the source says of the basis, in its words, where it leaves it unclear.",
    ),
    col(
        "compared",
        Kind::String,
        "How the source compares the figure with the comparator, in its words (\"in line with\"), where it does.",
    ),
    col(
        "source_document",
        Kind::String,
        "The key of the document that gives the comparator (that of the figure).",
    ),
    col(
        "source_paragraph",
        Kind::String,
        "The paragraph of that document.",
    ),
    col("synthetic", Kind::Boolean, "`true` for synthetic data."),
];

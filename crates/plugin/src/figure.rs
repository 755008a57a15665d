//! Figures as a section sees them: each value of a report's data file, with its period,
//! comparators, source and place in the file. The core reads and checks the data files (unit
//! ranges, periods, comparators, sources) before a section's own checks see them.

use serde::Serialize;

use crate::diag::{FileId, Location};
use crate::indicator::{IndicatorDef, format_written};
use crate::period::Period;

/// Where a figure comes from: a document and a paragraph in it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    /// The document's key in `data/sources.toml`.
    pub document: String,
    /// The document's title.
    pub title: String,
    /// Paragraph or section number as the document numbers it: `3.1`.
    pub paragraph: String,
}

impl SourceRef {
    /// The citation as pages show it: "Title, paragraph 3.1" for a numbered paragraph, else
    /// "Title, bullet 2 of the key points" as the data file words it.
    pub fn citation(&self) -> String {
        if self.paragraph.starts_with(|c: char| c.is_ascii_digit()) {
            format!("{}, paragraph {}", self.title, self.paragraph)
        } else {
            format!("{}, {}", self.title, self.paragraph)
        }
    }
}

/// A comparator's value for a figure.
#[derive(Debug, Clone, Serialize)]
pub struct ComparatorValue {
    /// Comparator key: `england`.
    pub id: String,
    /// Comparator name: "England average".
    pub name: String,
    /// The value.
    pub value: f64,
    /// The period the comparator figure describes (its "basis year").
    pub basis: Period,
    /// The source gives the value as approximate (`~26`).
    pub approximate: bool,
    /// How many decimal places the value is written with (`38.0`: 1), kept as written.
    pub decimals: u8,
    /// What the source says of the basis, in its words, where it leaves it unclear ("the
    /// latest benchmarking data available in March 2021").
    pub basis_note: Option<String>,
    /// How the source compares the figure with this one, in its words ("in line with"),
    /// where it does: pages say that rather than "higher than" or "lower than".
    pub compared: Option<String>,
}

impl ComparatorValue {
    /// The value written with its unit, as precisely as the source writes it: `about 26`,
    /// `38.0 per 10,000`.
    pub fn display_value(&self, def: &IndicatorDef) -> String {
        let about = if self.approximate { "about " } else { "" };
        format!(
            "{about}{}",
            def.unit.format_written(self.value, self.decimals)
        )
    }

    /// The basis period as a chart's axis and CSV show it: `Q1 2022-23 (uncertain)` where the
    /// source leaves it unclear.
    pub fn basis_label(&self) -> String {
        match (&self.basis_note, self.basis) {
            (Some(_), basis) if basis != Period::NotRecorded => {
                format!("{} (uncertain)", basis.short_label())
            }
            _ => self.basis.short_label(),
        }
    }

    /// The basis period as pages show it, with what the source says of it where it is
    /// unclear: `2021-22`, `period not recorded; the report compares with "the latest
    /// benchmarking data available in March 2021"`.
    pub fn basis_words(&self) -> String {
        match &self.basis_note {
            Some(note) => format!("{}; {note}", self.basis.short_label()),
            None => self.basis.short_label(),
        }
    }
}

/// One figure of one indicator, as a report states it.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// The indicator's id.
    pub indicator: String,
    /// The value; `None` when the source states no figure ("not recorded").
    pub value: Option<f64>,
    /// The period the value covers, or the date it was taken at.
    pub period: Period,
    /// The source leaves the period unclear; the page says so.
    pub approximate_period: bool,
    /// What the source says about the period, in its words, when it is unclear.
    pub period_note: Option<String>,
    /// The same period a year earlier, as the source quotes it.
    pub last_year: Option<f64>,
    /// The period of `last_year` as the source gives it ("in September 2021": `2021-09`), where
    /// it is not simply the same period a year earlier.
    pub last_year_given: Option<Period>,
    /// When the source gives the "same period last year" only loosely ("in 2021", "the
    /// previous year"): its words. The period of `last_year` is then approximate.
    pub last_year_when: Option<String>,
    /// The change on the same period last year as the source states it ("an 11% drop"), if
    /// it states one. Pages show it, never a change worked out that could contradict it.
    pub stated_change: Option<String>,
    /// How many decimal places the value and the last-year value are written with.
    pub decimals: (u8, u8),
    /// Comparators, in the order `site.toml` lists them.
    pub comparators: Vec<ComparatorValue>,
    /// `(part, whole)` when the source gives the count behind a percentage ("192 of 282").
    pub part_of_whole: Option<(f64, f64)>,
    /// The value is a lower bound: the source says "40+ weeks".
    pub at_least: bool,
    /// A target the source states for the indicator ("the target is 26").
    pub target: Option<f64>,
    /// The source document and paragraph.
    pub source: SourceRef,
    /// A remark the source makes about the figure, in its words.
    pub note: Option<String>,
    /// The series the figure belongs to, in words, when its source measures it on a basis of
    /// its own ("Care leavers aged 19 to 21"): an indicator's history draws one line a series
    /// and never joins figures of different series. `None`: the indicator's one series.
    pub series: Option<String>,
    /// Where the figure's table stands in its data file.
    #[serde(skip)]
    pub at: Location,
}

impl Figure {
    /// The value written with its unit, "40+ weeks" for a lower bound, or "not recorded".
    pub fn display_value(&self, def: &IndicatorDef) -> String {
        match self.value {
            None => "not recorded".into(),
            Some(v) if self.at_least => {
                let text = def.unit.format_written(v, self.decimals.0);
                let number = format_written(v, self.decimals.0);
                text.replacen(&number, &format!("{number}+"), 1)
            }
            Some(v) => def.unit.format_written(v, self.decimals.0),
        }
    }

    /// The value with the counts behind it where the source gives them: `16% (44 of 282)`.
    pub fn display_with_counts(&self, def: &IndicatorDef) -> String {
        match self.part_of_whole {
            Some((part, whole)) => format!(
                "{} ({} of {})",
                self.display_value(def),
                format_written(part, 0),
                format_written(whole, 0)
            ),
            None => self.display_value(def),
        }
    }

    /// The last-year value written with its unit, as precisely as the source writes it.
    pub fn display_last_year(&self, def: &IndicatorDef) -> Option<String> {
        self.last_year
            .map(|v| def.unit.format_written(v, self.decimals.1))
    }

    /// The period of the "same period last year" figure.
    pub fn last_year_period(&self) -> Period {
        self.last_year_given
            .unwrap_or_else(|| self.period.year_earlier())
    }

    /// The period of the last-year figure as a label: `Q2 2021-22`, or the source's words
    /// when it gives the period only loosely (`the previous year, as the source gives it`).
    pub fn last_year_label(&self) -> String {
        match &self.last_year_when {
            Some(when) => format!("{when}, as the source gives it"),
            None => self.last_year_period().short_label(),
        }
    }

    /// The period of the last-year figure as it follows a value in a sentence: `in Q2
    /// 2021-22`, or the source's words (`in 2021`, `the previous year`).
    pub fn last_year_phrase(&self) -> String {
        match &self.last_year_when {
            Some(when) => when.clone(),
            None => self.last_year_period().phrase(),
        }
    }
}

/// The figures of one section of one report.
#[derive(Debug, Clone)]
pub struct SectionData {
    /// The section's id.
    pub section: String,
    /// The data file.
    pub file: FileId,
    /// Figures in the order the section declares its indicators.
    pub figures: Vec<Figure>,
    /// False when some entries of the file had errors and were left out; later steps then
    /// do not report what is missing because of them.
    pub complete: bool,
}

impl SectionData {
    /// The figure of an indicator, if the file has one.
    pub fn get(&self, indicator: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.indicator == indicator)
    }
}

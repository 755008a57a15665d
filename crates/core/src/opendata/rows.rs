//! The rows of the open data tables, made from a report's figures (or the figures stated
//! outside the reports): one row a figure, one a comparator value, each a [`Cell`] a column of
//! [`super::columns`].

use std::collections::BTreeMap;

use crate::chart::csv_number;
use crate::corrections::Correction;
use crate::figure::{ComparatorValue, Figure};
use crate::indicator::IndicatorDef;
use crate::period::Period;

/// One value of a row, typed as its column is.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value: empty in CSV, `null` in JSON.
    Empty,
    /// Text.
    Text(String),
    /// A number and the decimals its source writes it with (`38.0`: 1).
    Number(f64, u8),
    /// `true` or `false`.
    Bool(bool),
}

impl Cell {
    /// Text, or [`Cell::Empty`] when there is none.
    fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }

    /// Optional text.
    fn maybe(text: Option<&String>) -> Cell {
        text.map_or(Cell::Empty, |t| Cell::text(t.clone()))
    }

    /// An optional number, written with `decimals`.
    fn number(value: Option<f64>, decimals: u8) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Number(v, decimals))
    }

    /// The cell as a CSV field.
    pub fn csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Number(value, decimals) => csv_number(*value, *decimals),
            Cell::Bool(b) => b.to_string(),
        }
    }

    /// The cell as a JSON value: a whole number written without decimals is an integer.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Cell::Empty => serde_json::Value::Null,
            Cell::Text(text) => text.clone().into(),
            Cell::Number(value, 0) if value.fract() == 0.0 && value.abs() < 9.0e15 => {
                (*value as i64).into()
            }
            Cell::Number(value, _) => serde_json::Number::from_f64(*value)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Cell::Bool(b) => (*b).into(),
        }
    }
}

/// A period's machine form and its kind, as `period` and `period_type` give them.
pub fn period_cells(period: Period) -> (Cell, Cell) {
    let (code, kind) = match period {
        Period::Date(date) => (date.iso(), "day"),
        Period::Month { year, month } => (format!("{year}-{month:02}"), "month"),
        Period::Quarter { year, quarter } => (
            format!("{}-Q{quarter}", crate::period::financial_year(year)),
            "quarter",
        ),
        Period::FinancialYear(year) => (crate::period::financial_year(year), "financial-year"),
        Period::Year(year) => (year.to_string(), "year"),
        Period::NotRecorded => (String::new(), "not-recorded"),
    };
    (Cell::text(code), Cell::text(kind))
}

/// What a figure's rows need besides the figure: where it comes from and what became of it.
pub struct FigureContext<'a> {
    /// The report that states it (`2022-23/q2`), or `None` for a figure stated elsewhere.
    pub report: Option<&'a str>,
    /// The section of its indicator.
    pub section: &'a str,
    /// Whether that section is synthetic.
    pub synthetic: bool,
    /// Source document titles by key.
    pub titles: &'a BTreeMap<String, String>,
    /// Where each source document is in the archive, by key.
    pub source_urls: &'a BTreeMap<String, String>,
    /// The corrections the report had made by its version, of every figure.
    pub corrections: &'a [&'a Correction],
}

/// The row of `figures.csv` for figure `f` of indicator `def`.
pub fn figure_row(def: &IndicatorDef, f: &Figure, ctx: &FigureContext<'_>) -> Vec<Cell> {
    let own: Vec<&&Correction> = ctx
        .corrections
        .iter()
        .filter(|c| c.indicator == f.indicator)
        .collect();
    let (period, period_type) = period_cells(f.period);
    let last_year_period = match (&f.last_year, &f.last_year_when) {
        (None, _) => (Cell::Empty, Cell::Empty),
        (Some(_), Some(_)) => (Cell::Empty, Cell::text("not-recorded")),
        (Some(_), None) => period_cells(f.last_year_period()),
    };
    vec![
        Cell::text(ctx.report.unwrap_or_default()),
        Cell::text(ctx.section),
        Cell::text(def.id.as_ref()),
        Cell::text(def.name.as_ref()),
        Cell::maybe(f.series.as_ref()),
        period,
        period_type,
        Cell::text(f.period.to_string()),
        Cell::Bool(f.approximate_period),
        Cell::maybe(f.period_note.as_ref()),
        Cell::number(f.value, f.decimals.0),
        Cell::text(def.unit.label()),
        Cell::Bool(f.at_least),
        Cell::number(f.part_of_whole.map(|(part, _)| part), 0),
        Cell::number(f.part_of_whole.map(|(_, whole)| whole), 0),
        Cell::number(f.target, 0),
        Cell::number(f.last_year, f.decimals.1),
        last_year_period.0,
        last_year_period.1,
        match (&f.last_year, &f.last_year_when) {
            (None, _) => Cell::Empty,
            (Some(_), Some(when)) => Cell::text(when.clone()),
            (Some(_), None) => Cell::text(f.last_year_period().to_string()),
        },
        Cell::maybe(f.stated_change.as_ref()),
        Cell::text(f.source.document.clone()),
        Cell::maybe(ctx.titles.get(&f.source.document)),
        Cell::text(f.source.paragraph.clone()),
        Cell::maybe(ctx.source_urls.get(&f.source.document)),
        Cell::maybe(f.note.as_ref()),
        own.first().map_or(Cell::Empty, |c| {
            Cell::Number(c.previous, c.previous_decimals)
        }),
        Cell::text(
            own.iter()
                .map(|c| c.date.iso())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Cell::Bool(ctx.synthetic),
    ]
}

/// The rows of `comparators.csv` for figure `f` of indicator `def`.
pub fn comparator_rows(def: &IndicatorDef, f: &Figure, ctx: &FigureContext<'_>) -> Vec<Vec<Cell>> {
    f.comparators
        .iter()
        .map(|c| comparator_row(def, f, c, ctx))
        .collect()
}

fn comparator_row(
    def: &IndicatorDef,
    f: &Figure,
    c: &ComparatorValue,
    ctx: &FigureContext<'_>,
) -> Vec<Cell> {
    let (basis, basis_type) = period_cells(c.basis);
    vec![
        Cell::text(ctx.report.unwrap_or_default()),
        Cell::text(def.id.as_ref()),
        period_cells(f.period).0,
        Cell::text(c.id.clone()),
        Cell::text(c.name.clone()),
        Cell::Number(c.value, c.decimals),
        Cell::text(def.unit.label()),
        Cell::Bool(c.approximate),
        basis,
        basis_type,
        Cell::text(c.basis.short_label()),
        Cell::maybe(c.basis_note.as_ref()),
        Cell::maybe(c.compared.as_ref()),
        Cell::text(f.source.document.clone()),
        Cell::text(f.source.paragraph.clone()),
        Cell::Bool(ctx.synthetic),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_have_one_machine_form_each() {
        let cases = [
            ("2022-09-30", "2022-09-30", "day"),
            ("2022-09", "2022-09", "month"),
            ("2022-23 Q2", "2022-23-Q2", "quarter"),
            ("2022-23", "2022-23", "financial-year"),
            ("2021", "2021", "year"),
        ];
        for (written, code, kind) in cases {
            let period: Period = written.parse().expect("a period");
            assert_eq!(
                period_cells(period),
                (Cell::text(code), Cell::text(kind)),
                "{written}"
            );
        }
        assert_eq!(
            period_cells(Period::NotRecorded),
            (Cell::Empty, Cell::text("not-recorded"))
        );
    }

    #[test]
    fn numbers_keep_their_written_decimals_in_csv_and_are_numbers_in_json() {
        assert_eq!(Cell::Number(38.0, 1).csv(), "38.0");
        assert_eq!(Cell::Number(38.0, 1).json(), serde_json::json!(38.0));
        assert_eq!(Cell::Number(282.0, 0).json(), serde_json::json!(282));
        assert_eq!(Cell::Empty.json(), serde_json::Value::Null);
    }
}

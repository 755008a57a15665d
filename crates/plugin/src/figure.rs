//! Figures as a section sees them: each value of a report's data file, with its period,
//! comparators, source and place in the file. The core reads and checks the data files (unit
//! ranges, periods, comparators, sources) before a section's own checks see them.

use serde::Serialize;

use crate::diag::{FileId, Location};
use crate::indicator::{IndicatorDef, format_number};
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
                let text = def.unit.format(v);
                let number = format_number(v);
                text.replacen(&number, &format!("{number}+"), 1)
            }
            Some(v) => def.unit.format(v),
        }
    }

    /// The period of the "same period last year" figure.
    pub fn last_year_period(&self) -> Period {
        self.period.year_earlier()
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

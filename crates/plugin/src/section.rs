//! Report sections: what a section of the quarterly report declares, in Rust or in a TOML file.
//!
//! A section is a [`SectionDecl`]: its id and title, its indicators, the [`Check`]s that tie its
//! figures together and the indicators charted together ([`ChartGroup`]). The core does the
//! rest: it reads the section's narrative and data file, checks every figure against its unit,
//! runs the declared checks, draws the charts and writes the tables, CSV and indicator pages.
//! A section written in Rust may add checks the vocabulary cannot say ([`Section::check`]).

use std::borrow::Cow;

use crate::diag::Problems;
use crate::figure::SectionData;
use crate::indicator::IndicatorDef;

/// A section of the quarterly report: MASH, children looked after, child protection…
pub trait Section: Send + Sync {
    /// What the section is. Called once, when the section is registered.
    fn declare(&self) -> SectionDecl;

    /// Checks beyond the declared ones, for what [`Check`] cannot say. The figures have been
    /// checked against their units, and the declared checks run, before this is called.
    fn check(&self, _data: &SectionData, _problems: &mut Problems) {}
}

/// Everything a section declares. A section's TOML file is read into the same type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SectionDecl {
    /// Identifier: the name of its files (`mash.md`, `mash.toml`) and its anchor on a report.
    pub id: Cow<'static, str>,
    /// Heading of the section on a report: "Multi-Agency Safeguarding Hub (MASH)".
    pub title: Cow<'static, str>,
    /// Every indicator the section reports, in the order pages show them.
    pub indicators: Vec<IndicatorDef>,
    /// Indicators worth a headline card on the home page, most important first.
    pub headline: Vec<Cow<'static, str>>,
    /// Checks that tie the section's figures together.
    pub checks: Vec<Check>,
    /// Indicators drawn in one chart. Every other indicator with a figure has a chart of its
    /// own: the figure against the same period last year and its comparators.
    pub charts: Vec<ChartGroup>,
    /// The section's figures are made up (for a test or a demonstration): every page that
    /// shows them says so.
    pub synthetic: bool,
}

impl SectionDecl {
    /// A section with no indicators yet.
    pub fn new(id: impl Into<Cow<'static, str>>, title: impl Into<Cow<'static, str>>) -> Self {
        SectionDecl {
            id: id.into(),
            title: title.into(),
            indicators: Vec::new(),
            headline: Vec::new(),
            checks: Vec::new(),
            charts: Vec::new(),
            synthetic: false,
        }
    }

    /// The same section with these indicators.
    pub fn indicators(mut self, indicators: Vec<IndicatorDef>) -> Self {
        self.indicators = indicators;
        self
    }

    /// The same section with these headline indicators, most important first.
    pub fn headline(mut self, ids: &[&'static str]) -> Self {
        self.headline = ids.iter().map(|id| Cow::Borrowed(*id)).collect();
        self
    }

    /// The same section with one more check.
    pub fn check(mut self, check: Check) -> Self {
        self.checks.push(check);
        self
    }

    /// The indicator `id`, if the section declares it.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|d| d.id == id)
    }
}

/// A check that ties figures of a section together, from the small vocabulary the core runs.
///
/// Figures are compared when they describe the same period, or when one is a count taken on the
/// last day of the other's period (children on a plan at 30 September, plans started in Q2).
/// Where the source quotes "the same period last year" for every figure compared, those are
/// checked too. Each check's `why` finishes the error message: "…, which is impossible: `why`".
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Check {
    /// `part` is at most `whole`, or at most the sum of several: UASC ≤ children looked after;
    /// plans started ≤ children on a plan at the end + plans ended.
    AtMost {
        /// The indicator that cannot be the larger.
        part: Cow<'static, str>,
        /// The indicator, or the indicators added together, it cannot exceed.
        whole: Vec<Cow<'static, str>>,
        /// Why not, in words a reader of the error understands.
        why: Cow<'static, str>,
    },
    /// Each of `shares`, a percentage the source gives as "16% (44 of 282)", is a share of
    /// `count`: its whole (282) is `count`'s value for the same period.
    ShareOf {
        /// The percentages given with their whole.
        shares: Vec<Cow<'static, str>>,
        /// The count that is their whole.
        count: Cow<'static, str>,
        /// What the whole is, in words: "every child looked after on that date".
        why: Cow<'static, str>,
    },
    /// `rate`, per 10,000 children, is the rate of `count`. Where a report gives both for one
    /// period, the child population they imply (count ÷ rate × 10,000) must agree, to within
    /// 3%, with what the report's other such pairs imply.
    RateOf {
        /// The rate per 10,000 children.
        rate: Cow<'static, str>,
        /// The count it is the rate of.
        count: Cow<'static, str>,
    },
    /// `percentages` are shares of one whole that no two overlap, so they add up to at most
    /// 100.
    Percentages {
        /// The percentages.
        percentages: Vec<Cow<'static, str>>,
        /// Why they cannot overlap.
        why: Cow<'static, str>,
    },
    /// `indicator`'s value lies between `min` and `max` (either may be left open), beyond what
    /// its unit allows.
    Bounds {
        /// The indicator.
        indicator: Cow<'static, str>,
        /// The least value that makes sense, if any.
        min: Option<f64>,
        /// The greatest value that makes sense, if any.
        max: Option<f64>,
        /// Why values outside are wrong.
        why: Cow<'static, str>,
    },
}

impl Check {
    /// `part` ≤ `whole`.
    pub fn at_most(part: &'static str, whole: &'static str, why: &'static str) -> Check {
        Check::AtMost {
            part: part.into(),
            whole: vec![whole.into()],
            why: why.into(),
        }
    }

    /// `part` ≤ the sum of `whole`.
    pub fn at_most_sum(part: &'static str, whole: &[&'static str], why: &'static str) -> Check {
        Check::AtMost {
            part: part.into(),
            whole: whole.iter().map(|w| Cow::Borrowed(*w)).collect(),
            why: why.into(),
        }
    }

    /// Each of `shares` is a share of `count`.
    pub fn share_of(shares: &[&'static str], count: &'static str, why: &'static str) -> Check {
        Check::ShareOf {
            shares: shares.iter().map(|s| Cow::Borrowed(*s)).collect(),
            count: count.into(),
            why: why.into(),
        }
    }

    /// `rate` is the rate per 10,000 children of `count`.
    pub fn rate_of(rate: &'static str, count: &'static str) -> Check {
        Check::RateOf {
            rate: rate.into(),
            count: count.into(),
        }
    }

    /// Every indicator the check names, in the order it names them.
    pub fn indicators(&self) -> Vec<&str> {
        match self {
            Check::AtMost { part, whole, .. } => {
                std::iter::once(part).chain(whole).map(|s| &**s).collect()
            }
            Check::ShareOf { shares, count, .. } => {
                shares.iter().chain([count]).map(|s| &**s).collect()
            }
            Check::RateOf { rate, count } => vec![rate, count],
            Check::Percentages { percentages, .. } => percentages.iter().map(|s| &**s).collect(),
            Check::Bounds { indicator, .. } => vec![indicator],
        }
    }
}

/// Indicators of one unit drawn in one chart: one bar each, for the report's period.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChartGroup {
    /// Identifier, unique within the section: where the narrative places the chart.
    pub id: Cow<'static, str>,
    /// What the chart shows, as its heading: "Young people in the youth justice system".
    pub title: Cow<'static, str>,
    /// The indicators, in the order of their bars.
    pub indicators: Vec<Cow<'static, str>>,
}

impl ChartGroup {
    /// A chart `id` titled `title` of `indicators`.
    pub fn new(
        id: impl Into<Cow<'static, str>>,
        title: impl Into<Cow<'static, str>>,
        indicators: Vec<Cow<'static, str>>,
    ) -> Self {
        ChartGroup {
            id: id.into(),
            title: title.into(),
            indicators,
        }
    }
}

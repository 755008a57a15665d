//! Restatements: a figure the archive holds for an indicator and a period, stated otherwise by
//! a later source (a later report's "same period last year", or minutes).
//!
//! Found once everything is loaded and validated, they are told on the indicator's page ("first
//! published as 1,323 in …; restated as 1,330 in …"), beside the earlier report's figure, and
//! as a warning of `check` and `build` naming both places. A difference of rounding only (54%
//! stated as 54.3%) is named as such, not as a revision. A value corrected in its own report
//! ([`crate::corrections`]) is its report's current value: a correction records a change, so
//! what agrees with it is no restatement.

use std::collections::BTreeMap;

use crate::diag::{Diagnostics, Location};
use crate::figure::Figure;
use crate::period::Period;
use crate::site::Site;

/// One statement of a value of an indicator for a period, by one source.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The value, and how many decimal places the source writes it with.
    pub value: f64,
    /// Decimal places as written.
    pub decimals: u8,
    /// The source document's key and its paragraph, as figures cite them.
    pub document: String,
    /// "Children's Social Care Performance – Quarter 2 2022-23, paragraph 3.1".
    pub citation: String,
    /// The report that states it, by key (`2022-23/q2`), if a report does.
    pub report: Option<String>,
    /// The values it was published with before corrections (oldest first), each with the day
    /// it was corrected: a report's own figure, corrected.
    pub superseded: Vec<(f64, u8, crate::period::Date)>,
    /// Where it is written.
    pub at: Location,
}

/// A value stated again, otherwise, by a later source.
#[derive(Debug, Clone)]
pub struct Restatement {
    /// The indicator.
    pub indicator: String,
    /// The period both statements are of.
    pub period: Period,
    /// The series, where the figures name one.
    pub series: Option<String>,
    /// The statement first published.
    pub first: Statement,
    /// The later one.
    pub later: Statement,
    /// Whether the two differ only by rounding (54 and 54.3).
    pub rounding_only: bool,
    /// The day the first statement was corrected from the value the later one gives, when
    /// the later source quotes a figure since corrected: no restatement, and no warning.
    pub quotes_superseded: Option<crate::period::Date>,
}

/// What is stated of one indicator, period (by its code) and series.
type StatedKey = (String, String, Option<String>);

/// Every restatement in the site, by indicator, then period.
pub fn find(site: &Site<'_>) -> Vec<Restatement> {
    // Each (indicator, period, series): its statements in the order they were published
    // (reports in period order, then the other sources).
    let mut stated: BTreeMap<StatedKey, (Period, Vec<Statement>)> = BTreeMap::new();
    let mut add = |figure: &Figure, period: Period, statement: Statement| {
        let key = (
            figure.indicator.clone(),
            period.code(),
            figure.series.clone(),
        );
        stated
            .entry(key)
            .or_insert_with(|| (period, Vec::new()))
            .1
            .push(statement);
    };
    for report in &site.reports {
        for figure in report.data.iter().flat_map(|d| &d.figures) {
            let dated_own = !figure.approximate_period && figure.period != Period::NotRecorded;
            if let (true, Some(mut own)) =
                (dated_own, statement(site, figure, Some(&report.key), false))
            {
                own.superseded = report
                    .corrections
                    .iter()
                    .filter(|c| c.indicator == figure.indicator)
                    .map(|c| (c.previous, c.previous_decimals, c.date))
                    .collect();
                add(figure, figure.period, own);
            }
            let dated = figure.last_year_when.is_none() && figure.last_year.is_some();
            if let (true, Some(quoted)) = (dated, statement(site, figure, Some(&report.key), true))
            {
                add(figure, figure.last_year_period(), quoted);
            }
        }
    }
    for figure in &site.other_figures {
        if figure.approximate_period || figure.period == Period::NotRecorded {
            continue;
        }
        if let Some(own) = statement(site, figure, None, false) {
            add(figure, figure.period, own);
        }
    }
    let mut found = Vec::new();
    for ((indicator, _, series), (period, statements)) in stated {
        let Some((first, later)) = statements.split_first() else {
            continue;
        };
        for other in later.iter().filter(|s| s.value != first.value) {
            let quotes_superseded = first
                .superseded
                .iter()
                .find(|(value, _, _)| *value == other.value)
                .map(|(_, _, date)| *date);
            found.push(Restatement {
                indicator: indicator.clone(),
                period,
                series: series.clone(),
                first: first.clone(),
                later: other.clone(),
                rounding_only: quotes_superseded.is_none() && same_when_rounded(first, other),
                quotes_superseded,
            });
        }
    }
    found
}

/// A figure's own value (`last_year` false) or its last-year value, as a statement.
fn statement(
    site: &Site<'_>,
    figure: &Figure,
    report: Option<&str>,
    last_year: bool,
) -> Option<Statement> {
    let (value, decimals) = if last_year {
        (figure.last_year?, figure.decimals.1)
    } else {
        (figure.value?, figure.decimals.0)
    };
    let title = site
        .sources
        .get(&figure.source.document)
        .map_or(figure.source.document.as_str(), |s| s.title.as_str());
    Some(Statement {
        value,
        decimals,
        document: figure.source.document.clone(),
        citation: format!("{title}, paragraph {}", figure.source.paragraph),
        report: report.map(str::to_string),
        superseded: Vec::new(),
        at: figure.at.clone(),
    })
}

/// Whether two values agree once the more precise is rounded to the other's precision.
fn same_when_rounded(a: &Statement, b: &Statement) -> bool {
    let places = i32::from(a.decimals.min(b.decimals));
    let round = |v: f64| (v * 10_f64.powi(places)).round();
    round(a.value) == round(b.value)
}

impl Restatement {
    /// The restatement in words, as pages give it: "First published as 1,323 in …; restated
    /// as 1,330 in …", or, for rounding, "… stated as 54.3% in …: a difference of rounding
    /// only".
    pub fn words(&self, unit: crate::indicator::Unit) -> String {
        let first = unit.format_written(self.first.value, self.first.decimals);
        let later = unit.format_written(self.later.value, self.later.decimals);
        if let Some(date) = self.quotes_superseded {
            return format!(
                "{} gives {later}, the figure {} published before its correction of {date} (now {first}).",
                self.later.citation, self.first.citation
            );
        }
        // A corrected figure was first published as its first correction's `previous`.
        let first = match self.first.superseded.first() {
            Some((value, decimals, _)) => format!(
                "{} (corrected since to {first})",
                unit.format_written(*value, *decimals)
            ),
            None => first,
        };
        if self.rounding_only {
            format!(
                "Stated as {first} in {} and as {later} in {}: a difference of rounding only.",
                self.first.citation, self.later.citation
            )
        } else {
            format!(
                "First published as {first} in {}; restated as {later} in {}.",
                self.first.citation, self.later.citation
            )
        }
    }

    /// The warning `check` and `build` print, naming both places.
    pub fn warning(&self, site: &Site<'_>, diags: &Diagnostics) -> String {
        let unit = site
            .indicator(&self.indicator)
            .map_or(crate::indicator::Unit::Count, |(_, d)| d.unit);
        let what = if self.rounding_only {
            "is stated with other rounding"
        } else {
            "is restated"
        };
        format!(
            "warning: `{}` {} {what}: {} ({}) and {} ({})\n  hint: {}",
            self.indicator,
            self.period.phrase(),
            unit.format_written(self.first.value, self.first.decimals),
            diags.position(&self.first.at),
            unit.format_written(self.later.value, self.later.decimals),
            diags.position(&self.later.at),
            if self.rounding_only {
                "nothing to do if the sources only round differently"
            } else {
                "if the earlier figure was wrong, record a [[corrections]] entry in its report's front matter, with the date and the reason; the pages name both values either way"
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stated(value: f64, decimals: u8, citation: &str) -> Statement {
        Statement {
            value,
            decimals,
            document: "d".into(),
            citation: citation.into(),
            report: None,
            superseded: Vec::new(),
            at: Location::new(0, 0..0),
        }
    }

    #[test]
    fn a_difference_of_rounding_only_is_named_as_such() {
        let restatement = |first: Statement, later: Statement| Restatement {
            indicator: "care-leavers-eet".into(),
            period: Period::Year(2022),
            series: None,
            rounding_only: same_when_rounded(&first, &later),
            quotes_superseded: None,
            first,
            later,
        };
        let rounded = restatement(
            stated(54.0, 0, "the report"),
            stated(54.3, 1, "the minutes"),
        );
        assert!(rounded.rounding_only);
        assert_eq!(
            rounded.words(crate::indicator::Unit::Percent),
            "Stated as 54% in the report and as 54.3% in the minutes: a difference of rounding only."
        );
        let revised = restatement(
            stated(54.0, 0, "the report"),
            stated(54.6, 1, "the minutes"),
        );
        assert!(!revised.rounding_only, "54.6 rounds to 55");
        assert_eq!(
            revised.words(crate::indicator::Unit::Percent),
            "First published as 54% in the report; restated as 54.6% in the minutes."
        );
        assert!(!same_when_rounded(
            &stated(130.0, 0, "a"),
            &stated(132.0, 0, "b")
        ));
    }
}

//! The declared checks ([`Check`]) run on a section's figures, each failure an error at the
//! figure it is about. The rate check spans a whole report ([`check_rates`]); the others one
//! section's data file ([`run`]).

use crate::diag::Problems;
use crate::figure::{Figure, SectionData};
use crate::indicator::format_number;
use crate::period::Period;
use scrutiny_plugin::section::Check;

/// Runs `checks` on `data`, recording what fails.
pub fn run(checks: &[Check], data: &SectionData, problems: &mut Problems) {
    for check in checks {
        match check {
            Check::AtMost { part, whole, why } => at_most(data, part, whole, why, problems),
            Check::ShareOf { shares, count, why } => {
                for share in shares {
                    share_of(data, share, count, why, problems);
                }
            }
            Check::Percentages { percentages, why } => {
                sum_of_percentages(data, percentages, why, problems)
            }
            Check::Bounds {
                indicator,
                min,
                max,
                why,
            } => bounds(data, indicator, (*min, *max), why, problems),
            // Run across the report: see `check_rates`.
            Check::RateOf { .. } => {}
            _ => {}
        }
    }
}

/// Whether figures of periods `a` and `b` may be compared: the same period, or a count taken
/// on the last day of the other's period.
fn same_time(a: Period, b: Period) -> bool {
    a == b
        || (matches!(a, Period::Date { .. }) || matches!(b, Period::Date { .. }))
            && a.end() == b.end()
}

/// The figures `ids` name, if `data` has every one.
fn all<'d, S: AsRef<str>>(data: &'d SectionData, ids: &[S]) -> Option<Vec<&'d Figure>> {
    ids.iter().map(|id| data.get(id.as_ref())).collect()
}

/// "`cpp-count` (83) plus `cpp-episodes-ended` (44)".
fn listed<S: AsRef<str>>(ids: &[S], values: &[f64]) -> String {
    ids.iter()
        .zip(values)
        .map(|(id, v)| format!("`{}` ({})", id.as_ref(), format_number(*v)))
        .collect::<Vec<_>>()
        .join(" plus ")
}

fn at_most<S: AsRef<str>>(
    data: &SectionData,
    part: &str,
    whole: &[S],
    why: &str,
    problems: &mut Problems,
) {
    // A check of no whole is a declaration error (see `declaration_problems`), not a whole of 0.
    let (Some(p), Some(wholes)) = (data.get(part), all(data, whole).filter(|w| !w.is_empty()))
    else {
        return;
    };
    if !wholes.iter().all(|w| same_time(p.period, w.period)) {
        return;
    }
    // This period's figures, then those of the same period last year where all are quoted.
    let this: Option<Vec<f64>> = wholes.iter().map(|w| w.value).collect();
    let last: Option<Vec<f64>> = wholes.iter().map(|w| w.last_year).collect();
    for (pv, wv, when) in [
        (p.value, this, String::new()),
        (
            p.last_year,
            last,
            format!(" {}", p.last_year_period().phrase()),
        ),
    ] {
        let (Some(pv), Some(wv)) = (pv, wv) else {
            continue;
        };
        if pv > wv.iter().sum::<f64>() {
            let names: Vec<String> = whole.iter().map(|w| format!("`{}`", w.as_ref())).collect();
            problems.error(
                &p.at,
                format!(
                    "`{part}` ({}){when} is greater than {}, which is impossible: {why}",
                    format_number(pv),
                    listed(whole, &wv)
                ),
                format!(
                    "check {} against the source; `{part}` must not exceed {}",
                    if whole.len() == 1 {
                        "both figures"
                    } else {
                        "the figures"
                    },
                    names.join(" plus ")
                ),
            );
        }
    }
}

/// "16% (44 of 282)": the whole of a share is the value of `count` for the same period.
fn share_of(data: &SectionData, share: &str, count: &str, why: &str, problems: &mut Problems) {
    let Some(figure) = data.get(share) else {
        return;
    };
    let Some((_, whole)) = figure.part_of_whole else {
        return;
    };
    let Some(value) = data
        .get(count)
        .filter(|c| same_time(c.period, figure.period))
        .and_then(|c| c.value)
    else {
        return;
    };
    if whole != value {
        problems.error(
            &figure.at,
            format!(
                "`{share}` is a share of {}, but `{count}` is {} {}",
                format_number(whole),
                format_number(value),
                figure.period.phrase()
            ),
            format!("the `whole` of `{share}` is {why}: check it and `{count}` against the source"),
        );
    }
}

fn sum_of_percentages<S: AsRef<str>>(
    data: &SectionData,
    percentages: &[S],
    why: &str,
    problems: &mut Problems,
) {
    let Some(figures) = all(data, percentages) else {
        return;
    };
    let Some(&first) = figures.first() else {
        return;
    };
    if !figures.iter().all(|f| f.period == first.period) {
        return;
    }
    let Some(values) = figures
        .iter()
        .map(|f| f.value)
        .collect::<Option<Vec<f64>>>()
    else {
        return;
    };
    let total: f64 = values.iter().sum();
    // Each percentage may be rounded to a whole number: allow half a point for each.
    if total > 100.0 + 0.5 * values.len() as f64 {
        problems.error(
            &first.at,
            format!(
                "{} add up to {}%, more than 100%, which is impossible: {why}",
                listed(percentages, &values),
                format_number(total)
            ),
            "check the percentages against the source",
        );
    }
}

fn bounds(
    data: &SectionData,
    indicator: &str,
    (min, max): (Option<f64>, Option<f64>),
    why: &str,
    problems: &mut Problems,
) {
    let Some(figure) = data.get(indicator) else {
        return;
    };
    for value in [figure.value, figure.last_year].into_iter().flatten() {
        let (side, bound) = match (min, max) {
            (Some(min), _) if value < min => ("less than", min),
            (_, Some(max)) if value > max => ("more than", max),
            _ => continue,
        };
        problems.error(
            &figure.at,
            format!(
                "`{indicator}` ({}) is {side} {}, which cannot be right: {why}",
                format_number(value),
                format_number(bound)
            ),
            "check the figure against the source",
        );
    }
}

/// Where a report gives both a count and its rate per 10,000 for the same period, the child
/// population they imply (count ÷ rate × 10,000) must agree with the other such pairs of the
/// report to within 3%: a rate typed per 100,000, or a count from another date, shows up here.
/// `rates` are the report's declared `(rate, count)` pairs.
pub fn check_rates(rates: &[(&str, &str)], figures: &[&Figure], problems: &mut Problems) {
    let mut pairs: Vec<(&Figure, f64, f64, f64)> = Vec::new();
    for rate in figures {
        let Some((_, count_id)) = rates.iter().find(|(r, _)| *r == rate.indicator) else {
            continue;
        };
        let Some(count) = figures
            .iter()
            .find(|f| f.indicator == *count_id && f.period == rate.period)
        else {
            continue;
        };
        if let (Some(r), Some(c)) = (rate.value, count.value) {
            if r > 0.0 {
                pairs.push((rate, r, c, c / r * 10_000.0));
            } else if c > 0.0 {
                problems.error(
                    &rate.at,
                    format!("a rate of 0 per 10,000 cannot go with a count of {c}"),
                    "check the rate against the source",
                );
            }
        }
    }
    if pairs.len() < 2 {
        return;
    }
    let mut populations: Vec<f64> = pairs.iter().map(|p| p.3).collect();
    populations.sort_by(f64::total_cmp);
    let median = populations[populations.len() / 2];
    for (rate, r, c, population) in pairs {
        if (population - median).abs() / median > 0.03 {
            problems.error(
                &rate.at,
                format!(
                    "`{}` of {} per 10,000 and its count {} imply {} children under 18, but the report's other rates imply about {}",
                    rate.indicator,
                    format_number(r),
                    format_number(c),
                    format_number(population.round()),
                    format_number(median.round())
                ),
                "check the rate is per 10,000 (not per 100,000) and that rate and count are of the same date",
            );
        }
    }
}

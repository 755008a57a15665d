//! Corrections of a report's published figures, and the versions of the report they make.
//!
//! A report's front matter records each correction of a figure after it was first published:
//!
//! ```toml
//! [[corrections]]
//! date = 2022-12-15
//! indicator = "mash-contacts"
//! previous = 1320          # the value published before this correction
//! reason = "A duplicate contact was removed from the count."
//! ```
//!
//! The data file holds the current value. A report with N corrections is version N + 1; version
//! k (1 = as first published) is the report with the corrections before the k-th applied, each
//! figure at the `previous` value of its first correction not yet made. Corrections are read
//! while loading (a step of [`crate::site::load`]), in date order; the render step writes each
//! earlier version at `/reports/<year>/<quarter>/v<k>/`.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostics, Location};
use crate::figure::Figure;
use crate::period::Date;
use crate::report::Report;
use scrutiny_plugin::alias::Alias;

/// One `[[corrections]]` entry of a report's front matter, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionToml {
    date: Spanned<toml::value::Datetime>,
    indicator: Spanned<String>,
    previous: Spanned<f64>,
    reason: Option<Spanned<String>>,
}

/// A correction of one figure of a report, checked.
#[derive(Debug, Clone)]
pub struct Correction {
    /// When the figure was corrected.
    pub date: Date,
    /// The indicator whose figure it corrects.
    pub indicator: String,
    /// The value published before the correction.
    pub previous: f64,
    /// How many decimal places `previous` is written with.
    pub previous_decimals: u8,
    /// Why it changed, in the council's words.
    pub reason: String,
    /// Where `previous` is written.
    pub previous_at: Location,
}

/// Which version of its report a report value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edition {
    /// The report as it stands: every correction made.
    #[default]
    Latest,
    /// Version `k` (1 = as first published), superseded by a correction.
    Superseded(usize),
}

/// Reads and checks the corrections in `report`'s front matter (its data loaded): each names a
/// figure of the report with a value, differs from the value it replaced, is dated on or after
/// the report's date and no later than `today`, and gives a reason; two corrections of one
/// figure are not of one day. Every problem is reported at its place. In date order, then as
/// written.
pub fn read(report: &Report, today: Date, diags: &mut Diagnostics) -> Vec<Correction> {
    let Some((file, _)) = report.index else {
        return Vec::new();
    };
    let offset = report.front_offset;
    let at = |span: Range<usize>| Location::new(file, span.start + offset..span.end + offset);
    let figures: Vec<&Figure> = report.data.iter().flat_map(|d| &d.figures).collect();
    // A figure whose data file had errors may be missing for that reason alone.
    let all_loaded = report.data.iter().all(|d| d.complete);
    let since = report_date(report);
    let mut read: Vec<(Correction, Location, Location)> = Vec::new();
    for raw in &report.front.corrections {
        let place = Places {
            indicator: at(raw.indicator.span()),
            date: at(raw.date.span()),
            previous: at(raw.previous.span()),
        };
        let figure = figures
            .iter()
            .find(|f| f.indicator == *raw.indicator.get_ref());
        if figure.is_none() && !all_loaded {
            continue;
        }
        let figure = known_figure(raw, figure.copied(), &figures, &place, diags);
        let date = checked_date(raw, since, today, &place.date, diags);
        let reason = checked_reason(raw, &place.indicator, &at, diags);
        if let (Some(_), Some(date), Some(reason)) = (figure, date, reason) {
            let correction = Correction {
                date,
                indicator: raw.indicator.get_ref().clone(),
                previous: *raw.previous.get_ref(),
                previous_decimals: decimals(diags.text(file), &place.previous),
                reason,
                previous_at: place.previous.clone(),
            };
            read.push((correction, place.date, place.previous));
        }
    }
    read.sort_by_key(|(c, _, _)| c.date);
    check_chains(&read, &figures, diags);
    read.into_iter().map(|(c, _, _)| c).collect()
}

/// Each correction's `previous` is a value of its indicator's unit (a percentage from 0 to 100,
/// a whole count…), as the figure's own value must be.
pub fn check_previous(site: &crate::site::Site<'_>, diags: &mut Diagnostics) {
    for correction in site.reports.iter().flat_map(|r| &r.corrections) {
        let Some((_, def)) = site.indicator(&correction.indicator) else {
            continue;
        };
        if let Err(why) = def.unit.check(correction.previous) {
            diags.error(
                &correction.previous_at,
                format!("`previous`: {why}"),
                format!(
                    "write the value published before the correction as the figure's own is written: {}",
                    def.unit.rule()
                ),
            );
        }
    }
}

/// Where the parts of a correction are written.
struct Places {
    indicator: Location,
    date: Location,
    previous: Location,
}

/// The date of a report: the meeting it went to, or its publication, whichever it gives first.
pub(crate) fn report_date(report: &Report) -> Option<Date> {
    [&report.front.presented, &report.front.published]
        .into_iter()
        .flatten()
        .filter_map(|d| Date::parse(&d.get_ref().to_string()).ok())
        .min()
}

/// The figure a correction names, if the report has it with a value; an error at the name
/// otherwise.
fn known_figure<'f>(
    raw: &CorrectionToml,
    figure: Option<&'f Figure>,
    figures: &[&Figure],
    place: &Places,
    diags: &mut Diagnostics,
) -> Option<&'f Figure> {
    let name = raw.indicator.get_ref();
    match figure {
        None => {
            let known: Vec<&str> = figures.iter().map(|f| f.indicator.as_str()).collect();
            let hint = match crate::xref::nearest(name, known.clone()).first() {
                Some(near) => {
                    format!("did you mean `{near}`? A correction names a figure of this report")
                }
                None => format!(
                    "a correction names a figure of this report: {}",
                    known.join(", ")
                ),
            };
            diags.error(
                &place.indicator,
                format!(
                    "`{}` is not a figure of this report",
                    crate::xref::shortened(name)
                ),
                hint,
            );
            None
        }
        Some(f) if f.value.is_none() => {
            diags.error(
                &place.indicator,
                format!("the figure `{name}` has no value to correct: the report records none"),
                "give the corrected value in the data file, or remove the correction",
            );
            None
        }
        Some(f) => Some(f),
    }
}

/// A correction's date: a day, on or after the report's date and no later than today.
fn checked_date(
    raw: &CorrectionToml,
    since: Option<Date>,
    today: Date,
    at: &Location,
    diags: &mut Diagnostics,
) -> Option<Date> {
    let written = raw.date.get_ref();
    let date = match (written.time, Date::parse(&written.to_string())) {
        (None, Ok(date)) => date,
        (time, parsed) => {
            let why = match (time, parsed) {
                (Some(_), _) => "it has a time".to_string(),
                (_, Err(why)) => why,
                _ => String::new(),
            };
            diags.error(
                at,
                format!("`date = {written}` is not a day: {why}"),
                "write the day the figure was corrected, `date = 2022-12-15`",
            );
            return None;
        }
    };
    if let Some(since) = since.filter(|since| date < *since) {
        diags.error(
            at,
            format!("the correction is dated {date}, before the report's date, {since}"),
            "a figure is corrected after the report is presented or published: check the date",
        );
        return None;
    }
    // A day of grace: "today" is the UTC day, and a council may be a day ahead of it.
    if date > today.plus(1) {
        diags.error(
            at,
            format!("the correction is dated {date}, later than today"),
            "record a correction once it is made, with the day it was made",
        );
        return None;
    }
    Some(date)
}

/// A correction's reason, which must be given and say something.
fn checked_reason(
    raw: &CorrectionToml,
    indicator_at: &Location,
    at: &dyn Fn(Range<usize>) -> Location,
    diags: &mut Diagnostics,
) -> Option<String> {
    match &raw.reason {
        Some(reason) if !reason.get_ref().trim().is_empty() => Some(reason.get_ref().trim().into()),
        Some(reason) => {
            diags.error(
                &at(reason.span()),
                "the reason of a correction is empty",
                "say why the figure changed, `reason = \"A duplicate contact was removed from the count.\"`",
            );
            None
        }
        None => {
            diags.error(
                indicator_at,
                "a correction needs a reason",
                "add `reason = \"…\"`: why the figure changed, as the page will say",
            );
            None
        }
    }
}

/// Each figure's corrections, in date order, chain: no two of one day, and each `previous`
/// differs from the value the correction gave (the next one's `previous`, or the data file's).
fn check_chains(
    read: &[(Correction, Location, Location)],
    figures: &[&Figure],
    diags: &mut Diagnostics,
) {
    for (i, (correction, _, previous_at)) in read.iter().enumerate() {
        let later = read[i + 1..]
            .iter()
            .find(|(c, _, _)| c.indicator == correction.indicator);
        if let Some((next, next_date_at, _)) = later.filter(|(c, _, _)| c.date == correction.date) {
            diags.error(
                next_date_at,
                format!(
                    "two corrections of `{}` are dated {}",
                    next.indicator, next.date
                ),
                "give each correction of a figure the day it was made; one day's changes are one correction",
            );
        }
        let after = match later {
            Some((next, _, _)) => Some(next.previous),
            None => figures
                .iter()
                .find(|f| f.indicator == correction.indicator)
                .and_then(|f| f.value),
        };
        if after == Some(correction.previous) {
            let written = diags
                .text(previous_at.file)
                .get(previous_at.span.clone())
                .unwrap_or_default()
                .to_string();
            diags.error(
                previous_at,
                format!(
                    "`previous = {written}` is the value this correction gives, not the one it replaced"
                ),
                "`previous` is the value published before the correction; the data file (or the next correction's `previous`) holds the value after it",
            );
        }
    }
}

/// How many decimal places the number at `at` is written with.
fn decimals(text: &str, at: &Location) -> u8 {
    let written = text.get(at.span.clone()).unwrap_or("");
    written
        .split_once('.')
        .map_or(0, |(_, f)| f.bytes().take_while(u8::is_ascii_digit).count())
        .min(6) as u8
}

/// Today's date, from the system clock (UTC).
pub fn today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days((seconds / 86_400) as i64)
}

/// The days `report` was corrected on, oldest first: each made a version of its own (one day's
/// corrections, of several figures, make one version).
pub fn days(report: &Report) -> Vec<Date> {
    let mut days: Vec<Date> = report.corrections.iter().map(|c| c.date).collect();
    days.dedup();
    days
}

/// How many versions `report` has: 1, and one more for each day it was corrected on.
pub fn version_count(report: &Report) -> usize {
    days(report).len() + 1
}

/// `report` as its version `k` of [`version_count`] (1 = as first published): at `v<k>/` under
/// its path, each figure corrected on or after the day version `k` was superseded at the value
/// published before its first such correction. A corrected percentage loses the counts behind
/// it, which were those of its current value. Its old addresses (folders) lead to this version
/// under them (`/old/v<k>/`).
pub fn version(report: &Report, k: usize) -> Report {
    let mut version = report.clone();
    version.path = format!("{}v{k}/", report.path);
    version.edition = Edition::Superseded(k);
    version.aliases = report
        .aliases
        .iter()
        .filter(|a| a.path().ends_with('/'))
        .filter_map(|a| Alias::parse(&format!("/{}v{k}/", a.path()), a.at().clone()).ok())
        .collect();
    version.front.title = format!("{} (version {k}, superseded)", report.front.title);
    let superseded_on = days(report)[k - 1];
    let pending: Vec<&Correction> = report
        .corrections
        .iter()
        .filter(|c| c.date >= superseded_on)
        .collect();
    for figure in version.data.iter_mut().flat_map(|d| d.figures.iter_mut()) {
        if let Some(c) = pending.iter().find(|c| c.indicator == figure.indicator) {
            figure.value = Some(c.previous);
            figure.decimals.0 = c.previous_decimals;
            figure.part_of_whole = None;
        }
    }
    version
}

/// The corrections made in `report` as it stands in its edition: all of them in the latest,
/// those of the days before version `k` was superseded in version `k`.
pub fn made(report: &Report) -> Vec<&Correction> {
    let until = match report.edition {
        Edition::Latest => None,
        Edition::Superseded(k) => days(report).get(k - 1).copied(),
    };
    report
        .corrections
        .iter()
        .filter(|c| until.is_none_or(|until| c.date < until))
        .collect()
}

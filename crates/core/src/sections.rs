//! The report sections of a site: those registered in Rust, and those declared in TOML files
//! of the site's `sections/` folder, read into the same [`SectionDecl`] and checked by the same
//! rules ([`declaration_problems`]), so the rest of the build sees one kind of section.
//!
//! A section file (see the README, "Adding a section without Rust"):
//!
//! ```toml
//! id = "youth-justice"
//! title = "Youth justice"
//! headline = ["yj-caseload"]
//!
//! [[indicators]]
//! id = "yj-caseload"
//! name = "Young people supervised by the youth justice service"
//! unit = "count"                  # count, percent, rate-per-10000, days, weeks
//! polarity = "neutral"            # higher-is-better, lower-is-better, neutral, not-stated
//! definition = "…"
//!
//! [[checks]]
//! kind = "at-most"                # at-most, share-of, rate-of, percentages, bounds
//! part = "yj-in-custody"
//! whole = ["yj-caseload"]
//! why = "every young person in custody is supervised by the service"
//!
//! [[charts]]
//! id = "caseload"
//! title = "Young people supervised, and those in custody"
//! indicators = ["yj-caseload", "yj-in-custody"]
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::chart::Chart;
use crate::config::SiteConfig;
use crate::diag::{Diagnostics, FileId, Location, Problems};
use crate::figure::SectionData;
use crate::indicator::{IndicatorDef, Polarity, Unit};
use scrutiny_plugin::section::Section;
use scrutiny_plugin::section::{ChartGroup, Check, SectionDecl};

/// Names a section cannot take: a report's own files and anchors.
const RESERVED: [&str; 4] = ["index", "summary", "figures", "linked-from"];

/// A section as the build knows it: what it declares, and the Rust plugin behind it, if any.
pub struct SiteSection<'p> {
    /// The declaration.
    pub decl: SectionDecl,
    /// The plugin, for a section written in Rust: its own checks run after the declared ones.
    pub code: Option<&'p dyn Section>,
}

impl SiteSection<'_> {
    /// The section's id.
    pub fn id(&self) -> &str {
        &self.decl.id
    }

    /// Runs the declared checks on `data`, then the plugin's own.
    pub fn check(&self, data: &SectionData, problems: &mut Problems) {
        crate::checks::run(&self.decl.checks, data, problems);
        if let Some(code) = self.code {
            code.check(data, problems);
        }
    }
}

/// Who a section's figures are of, as charts and sentences name it: the authority
/// ("Thurrock"), or for a section declared `synthetic`, [`SYNTHETIC_PLACE`], so that made-up
/// figures are never put to a real council's name.
pub fn place(decl: &SectionDecl, config: &SiteConfig) -> String {
    if decl.synthetic {
        SYNTHETIC_PLACE.to_string()
    } else {
        config.authority_short()
    }
}

/// The place a synthetic section's figures are of.
pub const SYNTHETIC_PLACE: &str = "Synthetic area";

/// The charts of one report's section, in reading order: each group the section declares (at
/// the place of its first indicator), and for every other indicator with a figure, the figure
/// against the same period last year and its comparators. A group of which fewer than two
/// indicators have a value this quarter is not drawn: its indicators are charted on their own.
pub fn charts(decl: &SectionDecl, data: &SectionData, config: &SiteConfig) -> Vec<Chart> {
    let place = place(decl, config);
    let mut tried: Vec<&str> = Vec::new();
    let mut drawn: Vec<&str> = Vec::new();
    let mut charts = Vec::new();
    for def in &decl.indicators {
        if let Some(group) = decl.charts.iter().find(|g| g.indicators.contains(&def.id)) {
            if !tried.contains(&&*group.id) {
                tried.push(&group.id);
                if let Some(chart) = Chart::group(group, decl, data, &place) {
                    drawn.push(&group.id);
                    charts.push(chart);
                }
            }
            if drawn.contains(&&*group.id) {
                continue;
            }
        }
        charts.extend(
            data.get(&def.id)
                .and_then(|f| Chart::comparison(def, f, &place)),
        );
    }
    for chart in &mut charts {
        chart.synthetic = decl.synthetic;
    }
    charts
}

/// What a declaration problem is about, for placing it: in a section's TOML file, at the value
/// written; for a section written in Rust, in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The section's id.
    Id,
    /// The id of indicator `i`.
    Indicator(usize),
    /// Name `j` of check `i`.
    CheckName(usize, usize),
    /// Check `i` as a whole.
    Check(usize),
    /// Headline indicator `i`.
    Headline(usize),
    /// The id of chart `i`.
    Chart(usize),
    /// Name `j` of chart `i`.
    ChartName(usize, usize),
}

/// Every problem of one declaration on its own: names that cannot be URLs, indicators declared
/// twice, checks, headlines and charts naming what the section does not declare, and units
/// that do not fit the check or chart.
pub fn declaration_problems(decl: &SectionDecl) -> Vec<(Part, String, String)> {
    let mut found = Vec::new();
    let name = |part: Part, what: &str, name: &str, found: &mut Vec<_>| {
        if let Err(bad) = crate::name::check(name) {
            found.push((
                part,
                format!("{what} `{name}` {}", bad.problem),
                bad.hint(what),
            ));
        }
    };
    name(Part::Id, "the section id", &decl.id, &mut found);
    if RESERVED.contains(&&*decl.id) {
        found.push((
            Part::Id,
            format!("`{}` cannot name a section", decl.id),
            format!(
                "a report uses it already; names it uses: {}",
                RESERVED.join(", ")
            ),
        ));
    }
    let mut seen = BTreeMap::new();
    for (i, def) in decl.indicators.iter().enumerate() {
        name(Part::Indicator(i), "the indicator id", &def.id, &mut found);
        if seen.insert(&*def.id, i).is_some() {
            found.push((
                Part::Indicator(i),
                format!("the indicator `{}` is declared twice", def.id),
                "give each indicator of the section an id of its own".into(),
            ));
        }
    }
    // The ids a name may be corrected to: each once, and only those that keep to the rule.
    let mut known: Vec<&str> = Vec::new();
    for def in &decl.indicators {
        if !known.contains(&&*def.id) && crate::name::check(&def.id).is_ok() {
            known.push(&def.id);
        }
    }
    let unknown = |part: Part, id: &str, found: &mut Vec<(Part, String, String)>| {
        if decl.indicator(id).is_none() {
            let nearest = crate::xref::nearest(id, known.clone());
            found.push((
                part,
                format!(
                    "`{}` is not an indicator of the {} section",
                    crate::xref::shortened(id),
                    decl.id
                ),
                match nearest.first() {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if known.is_empty() => "the section declares no indicator".into(),
                    None => format!("its indicators are: {}", known.join(", ")),
                },
            ));
        }
    };
    for (i, check) in decl.checks.iter().enumerate() {
        for (j, id) in check.indicators().into_iter().enumerate() {
            unknown(Part::CheckName(i, j), id, &mut found);
        }
        if let Some(problem) = list_problem(check) {
            found.push((Part::Check(i), problem.0, problem.1));
        }
        if let Some((j, message, hint)) = unit_problem(decl, check) {
            found.push((Part::CheckName(i, j), message, hint));
        }
    }
    for (i, id) in decl.headline.iter().enumerate() {
        unknown(Part::Headline(i), id, &mut found);
    }
    chart_problems(decl, &mut found);
    found
}

/// A chart group's names must be the section's indicators, of one unit, in no other group.
fn chart_problems(decl: &SectionDecl, found: &mut Vec<(Part, String, String)>) {
    let mut grouped: BTreeMap<&str, &str> = BTreeMap::new();
    for (i, chart) in decl.charts.iter().enumerate() {
        chart_id_problems(decl, i, found);
        chart_name_problems(decl, i, &mut grouped, found);
        if chart.indicators.len() < 2 {
            found.push((
                Part::Chart(i),
                format!("the chart `{}` draws fewer than two indicators", chart.id),
                "an indicator is charted on its own without a chart declared for it".into(),
            ));
        }
    }
}

/// The id of chart `i` must be a name, of no earlier chart, and not that of an indicator the
/// chart does not draw.
fn chart_id_problems(decl: &SectionDecl, i: usize, found: &mut Vec<(Part, String, String)>) {
    let chart = &decl.charts[i];
    if let Err(bad) = crate::name::check(&chart.id) {
        let what = "the chart id";
        found.push((
            Part::Chart(i),
            format!("{what} `{}` {}", chart.id, bad.problem),
            bad.hint(what),
        ));
    }
    if decl.charts[..i].iter().any(|c| c.id == chart.id) {
        found.push((
            Part::Chart(i),
            format!("the chart `{}` is declared twice", chart.id),
            "give each chart of the section an id of its own".into(),
        ));
    } else if decl.indicator(&chart.id).is_some() && !chart.indicators.contains(&chart.id) {
        found.push((
            Part::Chart(i),
            format!(
                "the chart `{}` takes the id of an indicator it does not draw",
                chart.id
            ),
            format!(
                "`chart:{}` would place that indicator's own chart: give the chart an id no other indicator of the section has",
                chart.id
            ),
        ));
    }
}

/// The names of chart `i` must be indicators of the section, in no chart before (`grouped`
/// holds the chart of each indicator drawn so far), of the unit of the chart's first.
fn chart_name_problems<'d>(
    decl: &'d SectionDecl,
    i: usize,
    grouped: &mut BTreeMap<&'d str, &'d str>,
    found: &mut Vec<(Part, String, String)>,
) {
    let chart = &decl.charts[i];
    let mut unit = None;
    for (j, id) in chart.indicators.iter().enumerate() {
        let Some(def) = decl.indicator(id) else {
            let (message, hint) = not_an_indicator_to_chart(decl, id);
            found.push((Part::ChartName(i, j), message, hint));
            continue;
        };
        if let Some(other) = grouped.insert(&def.id, &chart.id) {
            found.push((
                Part::ChartName(i, j),
                format!("`{id}` is drawn in the chart `{other}` already"),
                "draw each indicator in one chart".into(),
            ));
        }
        match unit {
            None => unit = Some((def.unit, id)),
            Some((u, first)) if u != def.unit => found.push((
                Part::ChartName(i, j),
                format!(
                    "`{id}` has the unit `{}`, but `{first}`, the chart's first indicator, has `{}`",
                    unit_name(def.unit),
                    unit_name(u)
                ),
                "chart together only indicators of one unit: draw this one in a chart of its own (leave it out of the group)".into(),
            )),
            Some(_) => {}
        }
    }
}

/// The message and hint for a chart that names `id`, which is not an indicator of `decl`.
fn not_an_indicator_to_chart(decl: &SectionDecl, id: &str) -> (String, String) {
    (
        format!(
            "`{}` is not an indicator of the {} section",
            crate::xref::shortened(id),
            decl.id
        ),
        match crate::xref::nearest(id, decl.indicators.iter().map(|d| &*d.id).collect()).first() {
            Some(near) => {
                format!("did you mean `{near}`? A chart draws indicators the section declares")
            }
            None => "a chart draws indicators the section declares".into(),
        },
    )
}

/// A check with a list that names no indicator, or bounds that leave no value possible.
fn list_problem(check: &Check) -> Option<(String, String)> {
    let (kind, key) = match check {
        Check::AtMost { whole, .. } if whole.is_empty() => ("at-most", "whole"),
        Check::ShareOf { shares, .. } if shares.is_empty() => ("share-of", "shares"),
        Check::Percentages { percentages, .. } if percentages.is_empty() => {
            ("percentages", "percentages")
        }
        Check::Bounds {
            min: Some(min),
            max: Some(max),
            ..
        } if min > max => {
            return Some((
                format!(
                    "this check's `min` ({}) is greater than its `max` ({})",
                    crate::indicator::format_number(*min),
                    crate::indicator::format_number(*max)
                ),
                "`min` is the least value that makes sense and `max` the greatest: swap them, or correct one".into(),
            ));
        }
        _ => return None,
    };
    Some((
        format!("the `{key}` of this `{kind}` check names no indicator"),
        format!("list at least one indicator of the section in `{key}`"),
    ))
}

/// Whether the indicators a check names have the units the check needs: the first that has
/// not, as its place among [`Check::indicators`], with the message and hint.
fn unit_problem(decl: &SectionDecl, check: &Check) -> Option<(usize, String, String)> {
    let unit = |id: &str| decl.indicator(id).map(|d| d.unit);
    let names = check.indicators();
    let wanted: Vec<Unit> = match check {
        Check::ShareOf { shares, .. } => shares
            .iter()
            .map(|_| Unit::Percent)
            .chain([Unit::Count])
            .collect(),
        Check::RateOf { .. } => vec![Unit::RatePer10k, Unit::Count],
        Check::Percentages { percentages, .. } => {
            percentages.iter().map(|_| Unit::Percent).collect()
        }
        Check::AtMost { part, .. } => {
            let first = unit(part)?;
            let (j, other) = names
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, w)| unit(w).is_some_and(|u| u != first))?;
            return Some((
                j,
                format!(
                    "`{part}` has the unit `{}` but `{other}` has `{}`: they cannot be compared",
                    unit_name(first),
                    unit(other).map_or("", unit_name)
                ),
                "an `at-most` check compares indicators of one unit".into(),
            ));
        }
        _ => return None,
    };
    let (j, (id, wanted)) = names
        .iter()
        .zip(wanted)
        .enumerate()
        .find(|(_, (id, wanted))| unit(id).is_some_and(|u| u != *wanted))?;
    Some((
        j,
        format!(
            "`{id}` has the unit `{}`, but this check needs one of unit `{}` here",
            unit(id).map_or("", unit_name),
            unit_name(wanted)
        ),
        format!(
            "{}: name an indicator whose unit is `{}`",
            match check {
                Check::ShareOf { .. } =>
                    "a `share-of` check's `shares` are percentages and its `count` a count",
                Check::RateOf { .. } =>
                    "a `rate-of` check's `rate` is a rate per 10,000 and its `count` a count",
                _ => "a `percentages` check adds up percentages",
            },
            unit_name(wanted)
        ),
    ))
}

fn unit_name(unit: Unit) -> &'static str {
    Unit::NAMES
        .iter()
        .find(|(_, u)| *u == unit)
        .map_or("", |(name, _)| name)
}

/// The sections of the site in `root`: the registered plugins' in their order, then those
/// declared in its `sections/` folder, in file name order.
pub fn load<'p>(
    root: &std::path::Path,
    plugins: &'p [Box<dyn Section>],
    diags: &mut Diagnostics,
) -> Vec<SiteSection<'p>> {
    load_noting_broken(root, plugins, diags).0
}

/// [`load`], and the ids of the sections whose files have errors (the id the file gives, if it
/// could be read, and its name without `.toml`): their reports' files are not then reported as
/// of no section, one error more for each, when the section file already fails the build.
pub fn load_noting_broken<'p>(
    root: &std::path::Path,
    plugins: &'p [Box<dyn Section>],
    diags: &mut Diagnostics,
) -> (Vec<SiteSection<'p>>, Vec<String>) {
    let files = crate::files::walk(root, "sections", |_| false, diags);
    assemble(plugins, &files, diags)
}

/// The site's sections: the registered plugins' in their order, then those of `files` (the
/// TOML files of `sections/`, sorted), and the ids of those that have errors. Sections and
/// indicators whose ids clash are errors.
fn assemble<'p>(
    plugins: &'p [Box<dyn Section>],
    files: &[(String, FileId)],
    diags: &mut Diagnostics,
) -> (Vec<SiteSection<'p>>, Vec<String>) {
    let mut broken = Vec::new();
    let mut sections: Vec<SiteSection<'p>> = Vec::new();
    let mut places: Vec<Option<Declared>> = Vec::new();
    for plugin in plugins {
        let decl = plugin.declare();
        for (_, message, hint) in declaration_problems(&decl) {
            diags.error_without_file(format!("the {} plugin: {message}", decl.id), hint);
        }
        sections.push(SiteSection {
            decl,
            code: Some(plugin.as_ref()),
        });
        places.push(None);
    }
    for (path, file) in files {
        let declared = match read_declaration(path, *file, diags) {
            Ok(declared) => declared,
            Err(ids) => {
                broken.extend(ids);
                continue;
            }
        };
        sections.push(SiteSection {
            decl: declared.decl.clone(),
            code: None,
        });
        places.push(Some(declared));
    }
    check_clashes(&sections, &places, diags);
    (sections, broken)
}

/// Section ids and indicator ids are site-wide: a clash is an error at the later declaration.
fn check_clashes(
    sections: &[SiteSection<'_>],
    places: &[Option<Declared>],
    diags: &mut Diagnostics,
) {
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut indicators: BTreeMap<&str, usize> = BTreeMap::new();
    let kind = |s: usize| match &places[s] {
        None => format!("the {} plugin", sections[s].id()),
        Some(d) => format!("sections/{}", d.file_name),
    };
    for (s, section) in sections.iter().enumerate() {
        if let Some(first) = ids.insert(section.id(), s) {
            let message = format!(
                "the section `{}` is declared by {} already",
                section.id(),
                kind(first)
            );
            let hint = "give the section an id of its own: it names the section's narrative and data files";
            match &places[s] {
                Some(d) => diags.error(&d.at(Part::Id), message, hint),
                None => diags.error_without_file(message, hint),
            }
        }
        for (i, def) in section.decl.indicators.iter().enumerate() {
            let first = *indicators.entry(&def.id).or_insert(s);
            if first == s {
                continue;
            }
            let message = format!(
                "the indicator `{}` is declared by {} already",
                def.id,
                kind(first)
            );
            let hint = format!(
                "indicator ids are site-wide, each with its page /indicators/<id>/: give this one an id of its own, e.g. `{}-{}`",
                section.id(),
                def.id
            );
            match &places[s] {
                Some(d) => diags.error(&d.at(Part::Indicator(i)), message, hint),
                None => diags.error_without_file(message, hint),
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionToml {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    synthetic: bool,
    #[serde(default)]
    headline: Vec<Spanned<String>>,
    indicators: Vec<IndicatorToml>,
    #[serde(default)]
    checks: Vec<Spanned<CheckToml>>,
    #[serde(default)]
    charts: Vec<ChartToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorToml {
    id: Spanned<String>,
    name: String,
    unit: Spanned<String>,
    polarity: Spanned<String>,
    definition: String,
    definition_source: Option<String>,
    definition_url: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckToml {
    kind: Spanned<String>,
    part: Option<Spanned<String>>,
    whole: Option<Spanned<Vec<Spanned<String>>>>,
    shares: Option<Spanned<Vec<Spanned<String>>>>,
    count: Option<Spanned<String>>,
    rate: Option<Spanned<String>>,
    percentages: Option<Spanned<Vec<Spanned<String>>>>,
    indicator: Option<Spanned<String>>,
    min: Option<Spanned<f64>>,
    max: Option<Spanned<f64>>,
    why: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChartToml {
    id: Spanned<String>,
    title: String,
    indicators: Vec<Spanned<String>>,
}

/// The kinds of check a section file may declare: each with the keys it needs besides `kind`
/// (`min` and `max` stand for "one or both"), and what they are, for hints.
const CHECK_KINDS: [(&str, &[&str], &str); 5] = [
    (
        "at-most",
        &["part", "whole", "why"],
        "`part`, `whole` (a list) and `why`",
    ),
    (
        "share-of",
        &["shares", "count", "why"],
        "`shares` (a list), `count` and `why`",
    ),
    ("rate-of", &["rate", "count"], "`rate` and `count`"),
    (
        "percentages",
        &["percentages", "why"],
        "`percentages` (a list) and `why`",
    ),
    (
        "bounds",
        &["indicator", "min", "max", "why"],
        "`indicator`, `min` or `max` or both, and `why`",
    ),
];

/// "a `share-of` check", "an `at-most` check".
fn a_check(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} `{kind}` check")
}

/// Where a value stands in a section file.
type Range = std::ops::Range<usize>;

/// A section file read, with where each name stands in it.
struct Declared {
    decl: SectionDecl,
    file_name: String,
    file: FileId,
    id: std::ops::Range<usize>,
    indicators: Vec<std::ops::Range<usize>>,
    checks: Vec<(std::ops::Range<usize>, Vec<std::ops::Range<usize>>)>,
    headline: Vec<std::ops::Range<usize>>,
    charts: Vec<(std::ops::Range<usize>, Vec<std::ops::Range<usize>>)>,
}

impl Declared {
    /// The section `raw` declares, of its `indicators` and `checks` read (each check with where
    /// its names stand), with where each of its names stands.
    fn new(
        raw: &SectionToml,
        indicators: Vec<IndicatorDef>,
        checks: Vec<(Check, Vec<Range>)>,
        file_name: String,
        file: FileId,
    ) -> Self {
        let decl = section_decl(raw, indicators, &checks);
        Declared {
            decl,
            file_name,
            file,
            id: raw.id.span(),
            indicators: raw.indicators.iter().map(|i| i.id.span()).collect(),
            checks: raw
                .checks
                .iter()
                .zip(checks)
                .map(|(raw, (_, names))| (raw.span(), names))
                .collect(),
            headline: raw.headline.iter().map(Spanned::span).collect(),
            charts: raw
                .charts
                .iter()
                .map(|c| {
                    (
                        c.id.span(),
                        c.indicators.iter().map(Spanned::span).collect(),
                    )
                })
                .collect(),
        }
    }

    fn at(&self, part: Part) -> Location {
        let span = match part {
            Part::Id => self.id.clone(),
            Part::Indicator(i) => self.indicators[i].clone(),
            Part::CheckName(i, j) => self.checks[i].1[j].clone(),
            Part::Check(i) => self.checks[i].0.clone(),
            Part::Headline(i) => self.headline[i].clone(),
            Part::Chart(i) => self.charts[i].0.clone(),
            Part::ChartName(i, j) => self.charts[i].1[j].clone(),
        };
        Location::new(self.file, span)
    }
}

/// Reads one section file, recording every problem at its place; if it has any, the ids it
/// may have meant to declare (its name, and the `id` it gives).
fn read_declaration(
    path: &str,
    file: FileId,
    diags: &mut Diagnostics,
) -> Result<Declared, Vec<String>> {
    let text = diags.text(file).to_string();
    let file_name = path.trim_start_matches("sections/").to_string();
    let mut ids = vec![file_name.trim_end_matches(".toml").to_string()];
    if !file_name.ends_with(".toml") || file_name.contains('/') {
        diags.error(
            &Location::new(file, 0..0),
            format!("`{path}` is not a section file"),
            "a section is declared in a TOML file of sections/: sections/<id>.toml",
        );
        return Err(ids);
    }
    let Some(raw) = crate::tomlfile::parse_document::<SectionToml>(diags, file, &text, 0) else {
        return Err(ids);
    };
    ids.push(raw.id.get_ref().clone());
    let errors = diags.error_count();
    let indicators = read_indicators(&raw.indicators, file, diags);
    let checks: Vec<(Check, Vec<Range>)> = raw
        .checks
        .iter()
        .filter_map(|c| read_check(c, file, diags))
        .collect();
    if diags.error_count() > errors {
        return Err(ids);
    }
    let declared = Declared::new(&raw, indicators, checks, file_name, file);
    let problems = declaration_problems(&declared.decl);
    for (part, message, hint) in &problems {
        diags.error(&declared.at(*part), message.clone(), hint.clone());
    }
    if problems.is_empty() {
        Ok(declared)
    } else {
        Err(ids)
    }
}

/// The `[[indicators]]` of a section file whose unit and polarity are known names; an error at
/// each that is not.
fn read_indicators(
    raw: &[IndicatorToml],
    file: FileId,
    diags: &mut Diagnostics,
) -> Vec<IndicatorDef> {
    let mut indicators = Vec::new();
    for ind in raw {
        let unit = named(&ind.unit, &Unit::NAMES, ("unit", "units"), file, diags);
        let polarity = named(
            &ind.polarity,
            &Polarity::NAMES,
            ("polarity", "polarities"),
            file,
            diags,
        );
        if let (Some(unit), Some(polarity)) = (unit, polarity) {
            let mut def = IndicatorDef::new(
                ind.id.get_ref().clone(),
                ind.name.clone(),
                unit,
                polarity,
                ind.definition.clone(),
            );
            if let Some(source) = &ind.definition_source {
                def = def.defined_by(source.clone());
            }
            if let Some(url) = definition_url(ind, file, diags) {
                def = def.defined_at(url);
            }
            indicators.push(def);
        }
    }
    indicators
}

/// An indicator's `definition_url`, when it is an http(s) address with a host and comes with
/// the `definition_source` it locates; an error at it otherwise.
fn definition_url(ind: &IndicatorToml, file: FileId, diags: &mut Diagnostics) -> Option<String> {
    let url = ind.definition_url.as_ref()?;
    let at = Location::new(file, url.span());
    let text = url.get_ref();
    let lower = text.to_ascii_lowercase();
    let problem = match crate::config::parse_base_url(text) {
        _ if !lower.starts_with("https://") && !lower.starts_with("http://") => Some(format!(
            "the definition's address `{}` is not an `https://` or `http://` address",
            crate::xref::shortened(text)
        )),
        Err(why) => Some(why.replacen("the base URL", "the definition's address", 1)),
        Ok(_) if ind.definition_source.is_none() => {
            Some("a `definition_url` without the `definition_source` it locates".to_string())
        }
        Ok(_) => None,
    };
    match problem {
        Some(message) => {
            diags.error(
                &at,
                message,
                "write the address of the official definition, as `https://host/path`, beside `definition_source = \"…\"` naming it",
            );
            None
        }
        None => Some(text.clone()),
    }
}

/// The declaration of a section file: its id, title, `synthetic`, headline and charts as
/// written, with its `indicators` and `checks` read.
fn section_decl(
    raw: &SectionToml,
    indicators: Vec<IndicatorDef>,
    checks: &[(Check, Vec<Range>)],
) -> SectionDecl {
    let mut decl = SectionDecl::new(raw.id.get_ref().clone(), raw.title.clone());
    decl.synthetic = raw.synthetic;
    decl.indicators = indicators;
    decl.headline = raw
        .headline
        .iter()
        .map(|h| h.get_ref().clone().into())
        .collect();
    decl.checks = checks.iter().map(|(c, _)| c.clone()).collect();
    decl.charts = raw
        .charts
        .iter()
        .map(|c| {
            let ids = c
                .indicators
                .iter()
                .map(|i| i.get_ref().clone().into())
                .collect();
            ChartGroup::new(c.id.get_ref().clone(), c.title.clone(), ids)
        })
        .collect();
    decl
}

/// The value of `names` that `written` names, or an error at it listing them.
fn named<T: Copy>(
    written: &Spanned<String>,
    names: &[(&str, T)],
    (what, whats): (&str, &str),
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<T> {
    let text = written.get_ref();
    if let Some((_, value)) = names.iter().find(|(name, _)| name == text) {
        return Some(*value);
    }
    let known: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
    let mut nearest = crate::xref::nearest(text, known.clone());
    // "lower" for `lower-is-better`, "percentage" for `percent`: one name that begins the other.
    let lower = text.to_lowercase();
    let prefixed: Vec<&&str> = known
        .iter()
        .filter(|k| lower.len() > 2 && (k.starts_with(&*lower) || lower.starts_with(**k)))
        .collect();
    if let ([only], true) = (prefixed.as_slice(), nearest.is_empty()) {
        nearest.push(only.to_string());
    }
    diags.error(
        &Location::new(file, written.span()),
        format!("`{}` is not a {what}", crate::xref::shortened(text)),
        match nearest.first() {
            Some(near) => format!(
                "did you mean `{near}`? The {whats} are: {}",
                known.join(", ")
            ),
            None => format!("the {whats} are: {}", known.join(", ")),
        },
    );
    None
}

/// One `[[checks]]` table as a [`Check`], with where each indicator it names stands (in the
/// order of [`Check::indicators`]). A key the kind does not take is an error where it is
/// written; a key it needs and lacks, at the table.
fn read_check(
    raw: &Spanned<CheckToml>,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<(Check, Vec<Range>)> {
    let c = raw.get_ref();
    let kind = check_kind(&c.kind, file, diags)?;
    let table = Location::new(file, raw.span());
    if !keys_fit(kind, &given_keys(c), &table, diags) {
        return None;
    }
    Some(build_check(kind.0, c))
}

/// The entry of [`CHECK_KINDS`] that `written` names, or an error at it listing them.
fn check_kind(
    written: &Spanned<String>,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<(&'static str, &'static [&'static str], &'static str)> {
    let kind = named(
        written,
        &CHECK_KINDS.map(|(name, _, _)| (name, name)),
        ("kind of check", "kinds of check"),
        file,
        diags,
    )?;
    CHECK_KINDS
        .iter()
        .find(|(name, _, _)| *name == kind)
        .copied()
}

/// Each key a check table may give besides `kind`, with where it is written if it is.
fn given_keys(c: &CheckToml) -> [(&'static str, Option<Range>); 10] {
    [
        ("part", c.part.as_ref().map(Spanned::span)),
        ("whole", c.whole.as_ref().map(Spanned::span)),
        ("shares", c.shares.as_ref().map(Spanned::span)),
        ("count", c.count.as_ref().map(Spanned::span)),
        ("rate", c.rate.as_ref().map(Spanned::span)),
        ("percentages", c.percentages.as_ref().map(Spanned::span)),
        ("indicator", c.indicator.as_ref().map(Spanned::span)),
        ("min", c.min.as_ref().map(Spanned::span)),
        ("max", c.max.as_ref().map(Spanned::span)),
        ("why", c.why.as_ref().map(Spanned::span)),
    ]
}

/// Whether a check of `kind` (an entry of [`CHECK_KINDS`]) gives the keys it takes, and only
/// those: each key it does not take is an error where it is written (in the order of
/// `given`), then the keys it needs and lacks are one error at the `table`.
fn keys_fit(
    (kind, takes, needs): (&str, &[&str], &str),
    given: &[(&str, Option<Range>)],
    table: &Location,
    diags: &mut Diagnostics,
) -> bool {
    let errors = diags.error_count();
    for (key, span) in given {
        if let Some(span) = span.clone().filter(|_| !takes.contains(key)) {
            diags.error(
                &Location::new(table.file, span),
                format!("{} takes no `{key}`", a_check(kind)),
                format!(
                    "{} gives {needs}, and nothing else: remove `{key}`",
                    a_check(kind)
                ),
            );
        }
    }
    let missing = missing_keys(kind, takes, given);
    if !missing.is_empty() {
        diags.error(
            table,
            format!("this `{kind}` check has no {}", missing.join(" and no ")),
            format!("{} gives {needs}", a_check(kind)),
        );
    }
    diags.error_count() <= errors
}

/// The keys, quoted, that a check of `kind` needs and `given` lacks: `min` and `max` are
/// needed as "one or both".
fn missing_keys(kind: &str, takes: &[&str], given: &[(&str, Option<Range>)]) -> Vec<String> {
    let has = |key: &str| given.iter().any(|(k, span)| *k == key && span.is_some());
    let mut missing: Vec<String> = takes
        .iter()
        .filter(|key| !matches!(**key, "min" | "max") && !has(key))
        .map(|key| format!("`{key}`"))
        .collect();
    if kind == "bounds" && !has("min") && !has("max") {
        missing.push("`min` or `max`".into());
    }
    missing
}

/// The [`Check`] of `kind` that a table with the keys it takes gives, and where each indicator
/// it names stands.
fn build_check(kind: &str, c: &CheckToml) -> (Check, Vec<Range>) {
    let why = || name_given(&c.why);
    match kind {
        "at-most" => (
            Check::AtMost {
                part: name_given(&c.part),
                whole: names_given(&c.whole),
                why: why(),
            },
            [span_given(&c.part), spans_given(&c.whole)].concat(),
        ),
        "share-of" => (
            Check::ShareOf {
                shares: names_given(&c.shares),
                count: name_given(&c.count),
                why: why(),
            },
            [spans_given(&c.shares), span_given(&c.count)].concat(),
        ),
        "rate-of" => (
            Check::RateOf {
                rate: name_given(&c.rate),
                count: name_given(&c.count),
            },
            [span_given(&c.rate), span_given(&c.count)].concat(),
        ),
        "percentages" => (
            Check::Percentages {
                percentages: names_given(&c.percentages),
                why: why(),
            },
            spans_given(&c.percentages),
        ),
        _ => (
            Check::Bounds {
                indicator: name_given(&c.indicator),
                min: c.min.as_ref().map(|m| *m.get_ref()),
                max: c.max.as_ref().map(|m| *m.get_ref()),
                why: why(),
            },
            span_given(&c.indicator),
        ),
    }
}

/// The text of a key, empty if it is not given.
fn name_given(s: &Option<Spanned<String>>) -> Cow<'static, str> {
    s.as_ref()
        .map(|s| s.get_ref().clone())
        .unwrap_or_default()
        .into()
}

/// The names of a list key, none if it is not given.
fn names_given(l: &Option<Spanned<Vec<Spanned<String>>>>) -> Vec<Cow<'static, str>> {
    l.iter()
        .flat_map(|l| l.get_ref())
        .map(|s| s.get_ref().clone().into())
        .collect()
}

/// Where a key's value stands: once, or not at all if it is not given.
fn span_given(s: &Option<Spanned<String>>) -> Vec<Range> {
    s.iter().map(Spanned::span).collect()
}

/// Where each name of a list key stands, none if it is not given.
fn spans_given(l: &Option<Spanned<Vec<Spanned<String>>>>) -> Vec<Range> {
    l.iter()
        .flat_map(|l| l.get_ref())
        .map(Spanned::span)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{load_section, site_config};

    /// A synthetic section of two counts drawn together and a percentage of the first.
    struct Synthetic;

    impl Section for Synthetic {
        fn declare(&self) -> SectionDecl {
            let count = |id: &'static str| {
                IndicatorDef::new(id, id, Unit::Count, Polarity::Neutral, "Made up.")
            };
            let mut decl = SectionDecl::new("made-up", "Made up")
                .indicators(vec![
                    count("caseload"),
                    count("custody"),
                    IndicatorDef::new(
                        "ete",
                        "ete",
                        Unit::Percent,
                        Polarity::HigherIsBetter,
                        "Made up.",
                    ),
                ])
                .check(Check::at_most("custody", "caseload", "made up"))
                .check(Check::share_of(&["ete"], "caseload", "the caseload"));
            decl.charts = vec![ChartGroup::new(
                "both",
                "Both",
                vec!["caseload".into(), "custody".into()],
            )];
            decl.synthetic = true;
            decl
        }
    }

    const SOURCE: &str = r#"source = { document = "csc-performance-2022-23-q2", paragraph = "1" }"#;

    fn ids(toml: &str) -> Vec<(String, bool, String)> {
        let (data, diags) = load_section(&Synthetic, toml);
        assert!(!diags.has_errors(), "{}", diags.render());
        charts(&Synthetic.declare(), &data, &site_config())
            .into_iter()
            .map(|c| (c.id, c.synthetic, c.subtitle))
            .collect()
    }

    #[test]
    fn a_group_is_drawn_when_two_of_its_indicators_have_a_value_else_each_on_its_own() {
        let both = format!(
            "[caseload]\nvalue = 120\nlast_year = 135\n{SOURCE}\n[custody]\nvalue = 6\n{SOURCE}\n"
        );
        let charts = ids(&both);
        assert_eq!(charts.len(), 1, "{charts:?}");
        assert_eq!(charts[0].0, "both");
        assert!(charts[0].1, "a synthetic section's charts say so");
        assert!(
            charts[0].2.contains("Synthetic area") && !charts[0].2.contains("Thurrock"),
            "{}",
            charts[0].2
        );
        let one =
            format!("[caseload]\nvalue = 120\nlast_year = 135\n{SOURCE}\n[custody]\n{SOURCE}\n");
        let charts = ids(&one);
        assert_eq!(
            charts.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
            ["caseload"],
            "the caseload, with last year's figure, is charted on its own"
        );
        assert!(charts[0].2.contains("Synthetic area"), "{}", charts[0].2);
    }

    #[test]
    fn the_declared_checks_run_on_the_figures() {
        let bad = format!(
            "[caseload]\nvalue = 120\n{SOURCE}\n[custody]\nvalue = 130\n{SOURCE}\n[ete]\nvalue = 65\npart = 65\nwhole = 100\n{SOURCE}\n"
        );
        let (_, diags) = load_section(&Synthetic, &bad);
        let report = diags.render();
        assert!(
            report.contains("`custody` (130) is greater than `caseload` (120)"),
            "{report}"
        );
        assert!(
            report.contains("`ete` is a share of 100, but `caseload` is 120"),
            "{report}"
        );
    }

    #[test]
    fn declarations_that_cannot_hold_are_problems() {
        let mut decl = Synthetic.declare();
        decl.checks.push(Check::AtMost {
            part: "custody".into(),
            whole: vec![],
            why: "x".into(),
        });
        decl.checks.push(Check::Percentages {
            percentages: vec![],
            why: "x".into(),
        });
        decl.checks.push(Check::Bounds {
            indicator: "ete".into(),
            min: Some(90.0),
            max: Some(10.0),
            why: "x".into(),
        });
        decl.checks.push(Check::share_of(&["caseload"], "ete", "x"));
        decl.charts.push(ChartGroup::new(
            "ete",
            "Ete",
            vec!["caseload".into(), "custody".into()],
        ));
        let problems: Vec<(Part, String)> = declaration_problems(&decl)
            .into_iter()
            .map(|(part, message, _)| (part, message))
            .collect();
        let has =
            |part: Part, text: &str| problems.iter().any(|(p, m)| *p == part && m.contains(text));
        assert!(
            has(
                Part::Check(2),
                "the `whole` of this `at-most` check names no indicator"
            ),
            "{problems:?}"
        );
        assert!(has(Part::Check(3), "names no indicator"), "{problems:?}");
        assert!(
            has(Part::Check(4), "`min` (90) is greater than its `max` (10)"),
            "{problems:?}"
        );
        assert!(
            has(Part::CheckName(5, 0), "`caseload` has the unit `count`"),
            "{problems:?}"
        );
        assert!(
            has(
                Part::Chart(1),
                "takes the id of an indicator it does not draw"
            ),
            "{problems:?}"
        );
        // The same indicators drawn twice, too.
        assert!(
            has(Part::ChartName(1, 0), "drawn in the chart `both` already"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_section_that_is_not_synthetic_is_the_authority_s() {
        let mut decl = Synthetic.declare();
        assert_eq!(place(&decl, &site_config()), SYNTHETIC_PLACE);
        decl.synthetic = false;
        assert_eq!(place(&decl, &site_config()), "Thurrock");
    }
}

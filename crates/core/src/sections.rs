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
//! polarity = "neutral"            # higher-is-better, lower-is-better, neutral
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

/// The charts of one report's section, in reading order: each group the section declares (at
/// the place of its first indicator with a figure), and for every other indicator with a
/// figure, the figure against the same period last year and its comparators.
pub fn charts(decl: &SectionDecl, data: &SectionData, config: &SiteConfig) -> Vec<Chart> {
    let place = config.authority_short();
    let mut drawn: Vec<&str> = Vec::new();
    let mut charts = Vec::new();
    for def in &decl.indicators {
        match decl.charts.iter().find(|g| g.indicators.contains(&def.id)) {
            Some(group) if !drawn.contains(&&*group.id) => {
                drawn.push(&group.id);
                charts.extend(Chart::group(group, decl, data, &place));
            }
            Some(_) => {}
            None => charts.extend(
                data.get(&def.id)
                    .and_then(|f| Chart::comparison(def, f, config)),
            ),
        }
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
    let unknown = |part: Part, id: &str, found: &mut Vec<(Part, String, String)>| {
        if decl.indicator(id).is_none() {
            let known: Vec<&str> = decl.indicators.iter().map(|d| &*d.id).collect();
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
                    None => format!("its indicators are: {}", known.join(", ")),
                },
            ));
        }
    };
    for (i, check) in decl.checks.iter().enumerate() {
        for (j, id) in check.indicators().into_iter().enumerate() {
            unknown(Part::CheckName(i, j), id, &mut found);
        }
        if let Some((message, hint)) = unit_problem(decl, check) {
            found.push((Part::Check(i), message, hint));
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
        if let Err(bad) = crate::name::check(&chart.id) {
            let what = "the chart id";
            found.push((
                Part::Chart(i),
                format!("{what} `{}` {}", chart.id, bad.problem),
                bad.hint(what),
            ));
        }
        let mut unit = None;
        for (j, id) in chart.indicators.iter().enumerate() {
            let Some(def) = decl.indicator(id) else {
                found.push((
                    Part::ChartName(i, j),
                    format!("`{id}` is not an indicator of the {} section", decl.id),
                    "a chart draws indicators the section declares".into(),
                ));
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
                None => unit = Some(def.unit),
                Some(u) if u != def.unit => found.push((
                    Part::ChartName(i, j),
                    format!(
                        "`{id}` is in {}, but the chart's first indicator is in {}",
                        def.unit.label(),
                        u.label()
                    ),
                    "chart together only indicators of one unit".into(),
                )),
                Some(_) => {}
            }
        }
        if chart.indicators.len() < 2 {
            found.push((
                Part::Chart(i),
                format!("the chart `{}` draws fewer than two indicators", chart.id),
                "an indicator is charted on its own without a chart declared for it".into(),
            ));
        }
    }
}

/// Whether the indicators a check names have the units the check needs.
fn unit_problem(decl: &SectionDecl, check: &Check) -> Option<(String, String)> {
    let unit = |id: &str| decl.indicator(id).map(|d| d.unit);
    let wrong = |id: &str, wanted: Unit| unit(id).is_some_and(|u| u != wanted);
    let (id, wanted) = match check {
        Check::ShareOf { shares, count, .. } => shares
            .iter()
            .map(|s| (&**s, Unit::Percent))
            .chain([(&**count, Unit::Count)])
            .find(|(id, wanted)| wrong(id, *wanted))?,
        Check::RateOf { rate, count } => [(&**rate, Unit::RatePer10k), (&**count, Unit::Count)]
            .into_iter()
            .find(|(id, wanted)| wrong(id, *wanted))?,
        Check::Percentages { percentages, .. } => percentages
            .iter()
            .map(|p| (&**p, Unit::Percent))
            .find(|(id, wanted)| wrong(id, *wanted))?,
        Check::AtMost { part, whole, .. } => {
            let first = unit(part)?;
            let other = whole.iter().find(|w| wrong(w, first))?;
            return Some((
                format!(
                    "`{part}` is in {} but `{other}` is in {}: they cannot be compared",
                    first.label(),
                    unit(other).map_or("", Unit::label)
                ),
                "compare indicators of one unit".into(),
            ));
        }
        _ => return None,
    };
    Some((
        format!(
            "`{id}` is in {}, but this check needs {}",
            unit(id).map_or("", Unit::label),
            wanted.label()
        ),
        format!("name an indicator whose unit is `{}`", unit_name(wanted)),
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
    let files = crate::site::walk(root, "sections", diags);
    assemble(plugins, &files, diags)
}

/// The site's sections: the registered plugins' in their order, then those of `files` (the
/// TOML files of `sections/`, sorted). Sections and indicators whose ids clash are errors.
fn assemble<'p>(
    plugins: &'p [Box<dyn Section>],
    files: &[(String, FileId)],
    diags: &mut Diagnostics,
) -> Vec<SiteSection<'p>> {
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
        let Some(declared) = read_declaration(path, *file, diags) else {
            continue;
        };
        sections.push(SiteSection {
            decl: declared.decl.clone(),
            code: None,
        });
        places.push(Some(declared));
    }
    check_clashes(&sections, &places, diags);
    sections
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
            let hint = "give the section an id of its own";
            match &places[s] {
                Some(d) => diags.error(&d.at(Part::Id), message, hint),
                None => diags.error_without_file(message, hint),
            }
        }
        for (i, def) in section.decl.indicators.iter().enumerate() {
            let Some(first) = indicators.insert(&def.id, s).filter(|f| *f != s) else {
                continue;
            };
            let message = format!(
                "indicator `{}` is declared by both {} and {}",
                def.id,
                kind(first),
                kind(s)
            );
            let hint = "indicator ids are site-wide: rename one of them";
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckToml {
    kind: Spanned<String>,
    part: Option<Spanned<String>>,
    whole: Option<Vec<Spanned<String>>>,
    shares: Option<Vec<Spanned<String>>>,
    count: Option<Spanned<String>>,
    rate: Option<Spanned<String>>,
    percentages: Option<Vec<Spanned<String>>>,
    indicator: Option<Spanned<String>>,
    min: Option<f64>,
    max: Option<f64>,
    why: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChartToml {
    id: Spanned<String>,
    title: String,
    indicators: Vec<Spanned<String>>,
}

/// The kinds of check a section file may declare, and what each needs.
const CHECK_KINDS: [(&str, &str); 5] = [
    ("at-most", "`part`, `whole` (a list) and `why`"),
    ("share-of", "`shares` (a list), `count` and `why`"),
    ("rate-of", "`rate` and `count`"),
    ("percentages", "`percentages` (a list) and `why`"),
    ("bounds", "`indicator`, `min` or `max` or both, and `why`"),
];

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

/// Reads one section file, recording every problem at its place; `None` if it has any.
fn read_declaration(path: &str, file: FileId, diags: &mut Diagnostics) -> Option<Declared> {
    let text = diags.text(file).to_string();
    let file_name = path.trim_start_matches("sections/").to_string();
    if !file_name.ends_with(".toml") || file_name.contains('/') {
        diags.error(
            &Location::new(file, 0..0),
            format!("`{path}` is not a section file"),
            "a section is declared in a TOML file of sections/: sections/<id>.toml",
        );
        return None;
    }
    let raw: SectionToml = crate::tomlfile::parse_document(diags, file, &text, 0)?;
    let errors = diags.error_count();
    let mut indicators = Vec::new();
    for ind in &raw.indicators {
        let unit = named(&ind.unit, &Unit::NAMES, "unit", file, diags);
        let polarity = named(&ind.polarity, &Polarity::NAMES, "polarity", file, diags);
        if let (Some(unit), Some(polarity)) = (unit, polarity) {
            indicators.push(IndicatorDef::new(
                ind.id.get_ref().clone(),
                ind.name.clone(),
                unit,
                polarity,
                ind.definition.clone(),
            ));
        }
    }
    let checks: Vec<(Check, Vec<std::ops::Range<usize>>)> = raw
        .checks
        .iter()
        .filter_map(|c| read_check(c, file, diags))
        .collect();
    if diags.error_count() > errors {
        return None;
    }
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
    let declared = Declared {
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
    };
    let problems = declaration_problems(&declared.decl);
    for (part, message, hint) in &problems {
        diags.error(&declared.at(*part), message.clone(), hint.clone());
    }
    problems.is_empty().then_some(declared)
}

/// The value of `names` that `written` names, or an error at it listing them.
fn named<T: Copy>(
    written: &Spanned<String>,
    names: &[(&str, T)],
    what: &str,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<T> {
    let text = written.get_ref();
    if let Some((_, value)) = names.iter().find(|(name, _)| name == text) {
        return Some(*value);
    }
    let known: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
    let nearest = crate::xref::nearest(text, known.clone());
    diags.error(
        &Location::new(file, written.span()),
        format!("`{}` is not a {what}", crate::xref::shortened(text)),
        match nearest.first() {
            Some(near) => format!(
                "did you mean `{near}`? The {what}s are: {}",
                known.join(", ")
            ),
            None => format!("the {what}s are: {}", known.join(", ")),
        },
    );
    None
}

/// One `[[checks]]` table as a [`Check`], with where each indicator it names stands.
fn read_check(
    raw: &Spanned<CheckToml>,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<(Check, Vec<std::ops::Range<usize>>)> {
    let c = raw.get_ref();
    let kind = named(
        &c.kind,
        &CHECK_KINDS.map(|(name, _)| (name, name)),
        "kind of check",
        file,
        diags,
    )?;
    let owned = |s: &Spanned<String>| -> Cow<'static, str> { s.get_ref().clone().into() };
    let list =
        |l: &Vec<Spanned<String>>| -> Vec<Cow<'static, str>> { l.iter().map(owned).collect() };
    let why = || c.why.clone().map(Cow::Owned);
    let check = match kind {
        "at-most" => {
            c.part
                .as_ref()
                .zip(c.whole.as_ref())
                .zip(why())
                .map(|((part, whole), why)| Check::AtMost {
                    part: owned(part),
                    whole: list(whole),
                    why,
                })
        }
        "share-of" => {
            c.shares
                .as_ref()
                .zip(c.count.as_ref())
                .zip(why())
                .map(|((shares, count), why)| Check::ShareOf {
                    shares: list(shares),
                    count: owned(count),
                    why,
                })
        }
        "rate-of" => c
            .rate
            .as_ref()
            .zip(c.count.as_ref())
            .map(|(rate, count)| Check::RateOf {
                rate: owned(rate),
                count: owned(count),
            }),
        "percentages" => c
            .percentages
            .as_ref()
            .zip(why())
            .map(|(p, why)| Check::Percentages {
                percentages: list(p),
                why,
            }),
        _ => c
            .indicator
            .as_ref()
            .filter(|_| c.min.is_some() || c.max.is_some())
            .zip(why())
            .map(|(indicator, why)| Check::Bounds {
                indicator: owned(indicator),
                min: c.min,
                max: c.max,
                why,
            }),
    };
    let needs = CHECK_KINDS
        .iter()
        .find(|(name, _)| *name == kind)
        .map_or("", |(_, n)| *n);
    let Some(check) = check else {
        diags.error(
            &Location::new(file, raw.span()),
            format!("this `{kind}` check is missing what it needs"),
            format!("a `{kind}` check gives {needs}"),
        );
        return None;
    };
    // Where each name stands, in the order `Check::indicators` gives them.
    let spans: Vec<std::ops::Range<usize>> = [&c.part, &c.rate, &c.indicator]
        .into_iter()
        .flatten()
        .map(Spanned::span)
        .chain(
            [&c.whole, &c.shares, &c.percentages]
                .into_iter()
                .flatten()
                .flatten()
                .map(Spanned::span),
        )
        .chain(c.count.iter().map(Spanned::span))
        .collect();
    if spans.len() != check.indicators().len() {
        diags.error(
            &Location::new(file, raw.span()),
            format!("this `{kind}` check gives more than it needs"),
            format!("a `{kind}` check gives {needs}, and nothing else"),
        );
        return None;
    }
    Some((check, spans))
}

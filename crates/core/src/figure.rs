//! Figures: the values of a report's data files, their sources, and the checks every unit needs.
//!
//! A data file `data/<year>/<quarter>/<section>.toml` has one table per indicator:
//!
//! ```toml
//! [referral-rate]
//! value = 349                     # absent when the source gives no figure: shown "not recorded"
//! period = "2022-09-30"           # default: the report's quarter
//! last_year = 637                 # the "same period last year" figure the source quotes
//! comparators.england = { value = 494, basis = "2021-22" }
//! source = { document = "csc-performance-2022-23-q2", paragraph = "3.3" }
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

pub use scrutiny_plugin::figure::{ComparatorValue, Figure, SectionData, SourceRef};

use crate::config::SiteConfig;
use crate::diag::{Diagnostics, FileId, Location};
use crate::indicator::{IndicatorDef, format_number};
use crate::period::{Date, Period};
use crate::tomlfile;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureToml {
    value: Option<Spanned<f64>>,
    period: Option<Spanned<String>>,
    #[serde(default)]
    approximate_period: bool,
    period_note: Option<String>,
    last_year: Option<Spanned<f64>>,
    #[serde(default)]
    comparators: BTreeMap<Spanned<String>, Spanned<ComparatorToml>>,
    part: Option<Spanned<f64>>,
    whole: Option<Spanned<f64>>,
    #[serde(default)]
    at_least: bool,
    target: Option<Spanned<f64>>,
    source: SourceToml,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparatorToml {
    value: Spanned<f64>,
    basis: Spanned<String>,
    #[serde(default)]
    approximate: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceToml {
    document: Option<Spanned<String>>,
    paragraph: Spanned<String>,
}

/// A source document, as `data/sources.toml` declares it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDocument {
    /// Key used by figures: `csc-performance-2022-23-q2`.
    #[serde(skip_deserializing)]
    pub id: String,
    /// Full title of the document.
    pub title: String,
    /// Who published it, and where it was presented.
    pub publisher: String,
    /// Date of the document or meeting, `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    /// Where the document is in this archive, as a reference: `report:2022-23/q2` or
    /// `meeting:children-osc/2022-11-17#item-7`. Citations of the document link there.
    pub link: Option<Spanned<String>>,
    /// Where `link` is written, for errors.
    #[serde(skip)]
    pub link_at: Option<Location>,
}

/// Reads `data/sources.toml`.
pub fn load_sources(diags: &mut Diagnostics, file: FileId) -> BTreeMap<String, SourceDocument> {
    let mut sources = BTreeMap::new();
    for entry in tomlfile::parse_entries::<SourceDocument>(diags, file) {
        let mut doc = entry.value;
        if let Some(date) = &doc.date
            && let Err(why) = Date::parse(date)
        {
            diags.error(&entry.at, why, "write the date as YYYY-MM-DD, or leave `date` out when the source does not give one");
        }
        doc.id = entry.key.clone();
        doc.link_at = doc.link.as_ref().map(|l| Location::new(file, l.span()));
        sources.insert(entry.key, doc);
    }
    sources
}

/// What a data file is read against: the report's period, the section's indicators, the site's
/// comparators and the known source documents.
pub struct DataContext<'a> {
    /// The report's quarter: the default period of its figures. `None` where every figure must
    /// state its period (figures from other sources).
    pub report_period: Option<Period>,
    /// The source document figures cite when they name none (the file's own document).
    pub default_document: Option<&'a str>,
    /// The section's indicators.
    pub indicators: &'a [IndicatorDef],
    /// Site configuration (comparator names).
    pub config: &'a SiteConfig,
    /// Source documents by key.
    pub sources: &'a BTreeMap<String, SourceDocument>,
}

/// Reads and checks a section's data file: unknown indicators, unit ranges, comparators with a
/// basis period, sources that exist, parts no larger than their wholes.
pub fn load_section_data(
    section: &str,
    file: FileId,
    ctx: &DataContext<'_>,
    diags: &mut Diagnostics,
) -> SectionData {
    let errors_before = diags.error_count();
    let entries = tomlfile::parse_entries::<FigureToml>(diags, file);
    let mut figures = Vec::new();
    for entry in entries {
        let Some(def) = ctx.indicators.iter().find(|d| d.id == entry.key) else {
            diags.error_with(&entry.key_at, || {
                let known: Vec<&str> = ctx.indicators.iter().map(|d| &*d.id).collect();
                let nearest = crate::xref::nearest(&entry.key, known.clone());
                (
                    format!(
                        "`{}` is not an indicator of the {section} section",
                        crate::xref::shortened(&entry.key)
                    ),
                    format!(
                        "did you mean `{}`? The {section} indicators are: {}",
                        nearest.first().map_or("", |s| s.as_str()),
                        known.join(", ")
                    ),
                )
            });
            continue;
        };
        if let Some(figure) = read_figure(def, entry.value, entry.at, file, ctx, diags) {
            figures.push(figure);
        }
    }
    figures.sort_by_key(|f| ctx.indicators.iter().position(|d| d.id == f.indicator));
    let complete = diags.error_count() == errors_before;
    SectionData {
        section: section.to_string(),
        file,
        figures,
        complete,
    }
}

fn read_figure(
    def: &IndicatorDef,
    raw: FigureToml,
    at: Location,
    file: FileId,
    ctx: &DataContext<'_>,
    diags: &mut Diagnostics,
) -> Option<Figure> {
    let loc = |span: std::ops::Range<usize>| Location::new(file, span);
    let mut ok = true;
    let mut check_unit = |value: &Spanned<f64>, what: &str, diags: &mut Diagnostics| {
        if let Err(why) = def.unit.check(*value.get_ref()) {
            diags.error(
                &loc(value.span()),
                format!("{what} of `{}`: {why}", def.id),
                format!(
                    "`{}` is {}; check the figure against its source",
                    def.id,
                    def.unit.rule()
                ),
            );
            ok = false;
        }
    };
    if let Some(v) = &raw.value {
        check_unit(v, "value", diags);
    }
    if let Some(v) = &raw.last_year {
        check_unit(v, "last-year value", diags);
    }
    if let Some(v) = &raw.target {
        check_unit(v, "target", diags);
    }
    for comparator in raw.comparators.values() {
        check_unit(&comparator.get_ref().value, "comparator value", diags);
    }
    let period = match (&raw.period, ctx.report_period) {
        (None, Some(report_period)) => report_period,
        (None, None) => {
            diags.error(
                &at,
                format!("this figure of `{}` does not say which period it is for", def.id),
                "add `period = \"2024-08\"` (or a quarter, year or date); if the source is vague, add `approximate_period = true` and a `period_note` quoting it",
            );
            return None;
        }
        (Some(text), _) => match text.get_ref().parse::<Period>() {
            Ok(p) => p,
            Err(why) => {
                diags.error(
                    &loc(text.span()),
                    why.to_string(),
                    "write `2022-23 Q2`, `2022-23`, `2024-08` or `2022-09-30`",
                );
                // The rest of the figure is still checked, so every error is reported at once.
                ok = false;
                Period::NotRecorded
            }
        },
    };
    let mut comparators = Vec::new();
    for (key, comparator) in &raw.comparators {
        let Some(known) = ctx.config.comparator(key.get_ref()) else {
            let names: Vec<&str> = ctx
                .config
                .comparators
                .iter()
                .map(|c| c.id.as_str())
                .collect();
            diags.error(
                &loc(key.span()),
                format!(
                    "`{}` is not a comparator declared in site.toml",
                    key.get_ref()
                ),
                format!("use one of: {}", names.join(", ")),
            );
            ok = false;
            continue;
        };
        let comparator = comparator.get_ref();
        match comparator.basis.get_ref().parse::<Period>() {
            Ok(basis) => comparators.push(ComparatorValue {
                id: known.id.clone(),
                name: known.name.clone(),
                value: *comparator.value.get_ref(),
                basis,
                approximate: comparator.approximate,
            }),
            Err(why) => {
                diags.error(
                    &loc(comparator.basis.span()),
                    format!("comparator basis: {why}"),
                    "a comparator's basis is the period its figure describes, e.g. `2021-22` or `2022-23 Q1`",
                );
                ok = false;
            }
        }
    }
    comparators.sort_by_key(|c| ctx.config.comparators.iter().position(|d| d.id == c.id));
    let part_of_whole = match (&raw.part, &raw.whole) {
        (Some(part), Some(whole)) => {
            let (p, w) = (*part.get_ref(), *whole.get_ref());
            if p < 0.0 || w <= 0.0 || p > w {
                diags.error(
                    &loc(part.span()),
                    format!(
                        "part {} is not within its whole {}",
                        format_number(p),
                        format_number(w)
                    ),
                    "`part` must be between 0 and `whole`",
                );
                ok = false;
            } else if let (Some(value), crate::indicator::Unit::Percent) =
                (raw.value.as_ref().map(|v| *v.get_ref()), def.unit)
            {
                let share = p / w * 100.0;
                if (share - value).abs() > 1.0 {
                    diags.error(
                        &loc(raw.value.as_ref().map_or(at.span.clone(), |v| v.span())),
                        format!(
                            "{}% does not match {} of {} ({:.1}%)",
                            format_number(value),
                            format_number(p),
                            format_number(w),
                            share
                        ),
                        "check the percentage and the counts against the source",
                    );
                    ok = false;
                }
            }
            Some((p, w))
        }
        (None, None) => None,
        (Some(one), None) | (None, Some(one)) => {
            diags.error(
                &loc(one.span()),
                "`part` and `whole` go together",
                "give both `part` and `whole`, or neither",
            );
            ok = false;
            None
        }
    };
    let (document, document_at) = match (&raw.source.document, ctx.default_document) {
        (Some(doc), _) => (doc.get_ref().as_str(), loc(doc.span())),
        (None, Some(doc)) => (doc, at.clone()),
        (None, None) => {
            diags.error(
                &at,
                format!("this figure of `{}` names no source document", def.id),
                "add `source = { document = \"…\", paragraph = \"…\" }` with a document of data/sources.toml",
            );
            return None;
        }
    };
    if raw.source.paragraph.get_ref().trim().is_empty() {
        diags.error(
            &loc(raw.source.paragraph.span()),
            format!("this figure of `{}` cites no paragraph: `paragraph` is empty", def.id),
            "write where in the document the figure is, as it numbers it (`paragraph = \"3.1\"`) or in words (`paragraph = \"Executive summary\"`)",
        );
        ok = false;
    }
    let source = match ctx.sources.get(document) {
        Some(doc) => SourceRef {
            document: document.to_string(),
            title: doc.title.clone(),
            paragraph: raw.source.paragraph.get_ref().trim().to_string(),
        },
        None => {
            diags.error_with(&document_at, || {
                let keys: Vec<&str> = ctx.sources.keys().map(String::as_str).collect();
                (
                    format!(
                        "source document `{}` is not declared in data/sources.toml",
                        crate::xref::shortened(document)
                    ),
                    match crate::xref::nearest(document, keys).first() {
                        Some(n) => format!(
                            "did you mean `{n}`? Declare new documents in data/sources.toml"
                        ),
                        None => "declare the document in data/sources.toml".to_string(),
                    },
                )
            });
            return None;
        }
    };
    ok.then(|| Figure {
        indicator: def.id.to_string(),
        value: raw.value.map(|v| v.into_inner()),
        period,
        approximate_period: raw.approximate_period,
        period_note: raw.period_note,
        last_year: raw.last_year.map(|v| v.into_inner()),
        comparators,
        part_of_whole,
        at_least: raw.at_least,
        target: raw.target.map(|t| t.into_inner()),
        source,
        note: raw.note,
        at,
    })
}

/// Reads `data/other-sources/<document>.toml`: figures a document other than a quarterly report
/// states (the minutes of a meeting, say). Each key is an indicator id of any section and holds
/// an array of figures (`[[cla-count]]`), each with its own `period`; the source document is the
/// file's name unless a figure names another.
pub fn load_other_sources(
    document: &str,
    file: FileId,
    ctx: &DataContext<'_>,
    diags: &mut Diagnostics,
) -> Vec<Figure> {
    if !ctx.sources.contains_key(document) {
        diags.error(
            &Location::new(file, 0..0),
            format!("`{document}` is not a document declared in data/sources.toml"),
            "name the file after the key of its document in data/sources.toml",
        );
        return Vec::new();
    }
    let ctx = DataContext {
        default_document: Some(document),
        ..*ctx
    };
    let mut figures = Vec::new();
    for entry in tomlfile::parse_entries::<Vec<Spanned<FigureToml>>>(diags, file) {
        let Some(def) = ctx.indicators.iter().find(|d| d.id == entry.key) else {
            diags.error_with(&entry.key_at, || {
                let known: Vec<&str> = ctx.indicators.iter().map(|d| &*d.id).collect();
                (
                    format!(
                        "`{}` is not an indicator of any section",
                        crate::xref::shortened(&entry.key)
                    ),
                    match crate::xref::nearest(&entry.key, known).first() {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => "indicators are declared by the section plugins".to_string(),
                    },
                )
            });
            continue;
        };
        for raw in entry.value {
            let at = Location::new(file, raw.span());
            if let Some(figure) = read_figure(def, raw.into_inner(), at, file, &ctx, diags) {
                figures.push(figure);
            }
        }
    }
    figures
}

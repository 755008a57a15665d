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
//!
//! A figure its source measures on a basis of its own names its series, in words:
//!
//! ```toml
//! [care-leavers-eet]
//! value = 54
//! series = "Care leavers aged 19 to 21"   # the legend of the indicator's history chart
//! ```
//!
//! An indicator's history draws one line a series and never joins figures of two series; a
//! figure without `series` is of the indicator's one series. A series name is one line of at
//! most [`SERIES_MAX_CHARS`] characters, not empty. Once one figure of an indicator names a
//! series, every figure of it must ([`check_series`]), and two names that differ only in case
//! or spacing are refused, so no figure joins a line by mistake; each error is at its
//! `file:line:col`.

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
    last_year_period: Option<Spanned<String>>,
    last_year_when: Option<Spanned<String>>,
    change: Option<Spanned<String>>,
    #[serde(default)]
    comparators: BTreeMap<Spanned<String>, Spanned<ComparatorToml>>,
    part: Option<Spanned<f64>>,
    whole: Option<Spanned<f64>>,
    #[serde(default)]
    at_least: bool,
    target: Option<Spanned<f64>>,
    source: SourceToml,
    note: Option<String>,
    series: Option<Spanned<String>>,
}

/// The longest series name a chart's legend holds, in characters.
pub const SERIES_MAX_CHARS: usize = 60;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparatorToml {
    value: Spanned<f64>,
    basis: Spanned<String>,
    #[serde(default)]
    approximate: bool,
    name: Option<String>,
    basis_note: Option<String>,
    compared: Option<String>,
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

/// Reads one figure of `def`, written at `at`, part by part: its units, period, series,
/// comparators, part of a whole, then source. `None` when any part is wrong; every problem is recorded at its
/// place, in that order, except that a figure without a period or a source document is not
/// read further.
fn read_figure(
    def: &IndicatorDef,
    raw: FigureToml,
    at: Location,
    file: FileId,
    ctx: &DataContext<'_>,
    diags: &mut Diagnostics,
) -> Option<Figure> {
    let mut reader = FigureReader {
        def,
        at: &at,
        file,
        ctx,
        diags,
        ok: true,
    };
    reader.check_units(&raw);
    reader.check_last_year_words(&raw);
    let last_year_given = reader.last_year_period(&raw);
    let decimals = (
        reader.decimals(raw.value.as_ref()),
        reader.decimals(raw.last_year.as_ref()),
    );
    let period = reader.period(raw.period.as_ref())?;
    let series = reader.series(raw.series.as_ref());
    let comparators = reader.comparators(&raw.comparators);
    let part_of_whole = reader.part_of_whole(&raw);
    let source = reader.source(&raw.source)?;
    let ok = reader.ok;
    ok.then(|| Figure {
        indicator: def.id.to_string(),
        value: raw.value.map(|v| v.into_inner()),
        period,
        approximate_period: raw.approximate_period,
        period_note: raw.period_note,
        last_year: raw.last_year.map(|v| v.into_inner()),
        last_year_given,
        last_year_when: raw.last_year_when.map(Spanned::into_inner),
        stated_change: raw.change.map(Spanned::into_inner),
        decimals,
        comparators,
        part_of_whole,
        at_least: raw.at_least,
        target: raw.target.map(|t| t.into_inner()),
        source,
        note: raw.note,
        series,
        at,
    })
}

/// One figure being read: of which indicator, where, against what, and whether every part read
/// so far holds.
struct FigureReader<'r, 'c> {
    def: &'r IndicatorDef,
    /// The figure's table.
    at: &'r Location,
    file: FileId,
    ctx: &'r DataContext<'c>,
    diags: &'r mut Diagnostics,
    /// False once a part is wrong: the figure is not kept, but its other parts are still read,
    /// so that every error is reported at once.
    ok: bool,
}

impl<'c> FigureReader<'_, 'c> {
    /// Where `span` of the data file is.
    fn loc(&self, span: std::ops::Range<usize>) -> Location {
        Location::new(self.file, span)
    }

    /// Records an error in a part of the figure, which is then not kept.
    fn fail(&mut self, at: &Location, message: impl Into<String>, hint: impl Into<String>) {
        self.diags.error(at, message, hint);
        self.ok = false;
    }

    /// The period of the last-year figure as written (`last_year_period = "2021-09"`), if it is.
    fn last_year_period(&mut self, raw: &FigureToml) -> Option<Period> {
        let written = raw.last_year_period.as_ref()?;
        let at = self.loc(written.span());
        if raw.last_year.is_none() {
            let id = self.def.id.clone();
            self.fail(
                &at,
                format!(
                    "`last_year_period` of `{id}` dates a `last_year` the figure does not give"
                ),
                "add `last_year` with the figure the source compares with, or leave the key out",
            );
            return None;
        }
        match written.get_ref().parse::<Period>() {
            Ok(period) => Some(period),
            Err(why) => {
                self.fail(
                    &at,
                    why.to_string(),
                    "write the period as the source gives it: `2021-09` for \"in September 2021\", `2021` for \"in 2021\"",
                );
                None
            }
        }
    }

    /// How many decimal places `value` is written with in the data file (`38.0`: 1).
    fn decimals(&self, value: Option<&Spanned<f64>>) -> u8 {
        let Some(value) = value else {
            return 0;
        };
        let written = self.diags.text(self.file).get(value.span()).unwrap_or("");
        written
            .split_once('.')
            .map_or(0, |(_, fraction)| {
                fraction.bytes().take_while(u8::is_ascii_digit).count()
            })
            .min(6) as u8
    }

    /// `last_year_when` and `change` say something of the last-year figure: it must be given,
    /// and what they say must not be empty.
    fn check_last_year_words(&mut self, raw: &FigureToml) {
        let id = self.def.id.clone();
        for (key, written) in [
            ("last_year_when", &raw.last_year_when),
            ("change", &raw.change),
        ] {
            let Some(written) = written else {
                continue;
            };
            let at = self.loc(written.span());
            if written.get_ref().trim().is_empty() {
                self.fail(
                    &at,
                    format!("`{key}` of `{id}` is empty"),
                    "write the source's words, or leave the key out",
                );
            } else if raw.last_year.is_none() {
                self.fail(
                    &at,
                    format!("`{key}` of `{id}` is about the same period last year, but the figure gives no `last_year`"),
                    "add `last_year` with the figure the source compares with, or leave the key out",
                );
            }
        }
    }

    /// Every number given in the indicator's unit is within the unit's range: the value, the
    /// last-year value, the target and each comparator's value, in that order.
    fn check_units(&mut self, raw: &FigureToml) {
        if let Some(v) = &raw.value {
            self.check_unit(v, "value");
        }
        if let Some(v) = &raw.last_year {
            self.check_unit(v, "last-year value");
        }
        if let Some(v) = &raw.target {
            self.check_unit(v, "target");
        }
        for comparator in raw.comparators.values() {
            self.check_unit(&comparator.get_ref().value, "comparator value");
        }
    }

    /// `value` (`what` of the figure: "value", "target"…) is within the indicator's unit.
    fn check_unit(&mut self, value: &Spanned<f64>, what: &str) {
        let def = self.def;
        if let Err(why) = def.unit.check(*value.get_ref()) {
            self.fail(
                &self.loc(value.span()),
                format!("{what} of `{}`: {why}", def.id),
                format!(
                    "`{}` is {}; check the figure against its source",
                    def.id,
                    def.unit.rule()
                ),
            );
        }
    }

    /// The period the figure is for: as written, else the report's. `None` when neither says
    /// (the figure is not read further); [`Period::NotRecorded`] when the period written cannot
    /// be read.
    fn period(&mut self, written: Option<&Spanned<String>>) -> Option<Period> {
        match (written, self.ctx.report_period) {
            (None, Some(report_period)) => Some(report_period),
            (None, None) => {
                self.diags.error(
                    self.at,
                    format!("this figure of `{}` does not say which period it is for", self.def.id),
                    "add `period = \"2024-08\"` (or a quarter, year or date); if the source is vague, add `approximate_period = true` and a `period_note` quoting it",
                );
                None
            }
            (Some(text), _) => match text.get_ref().parse::<Period>() {
                Ok(p) => Some(p),
                Err(why) => {
                    // The rest of the figure is still checked, so every error is reported at once.
                    self.fail(
                        &self.loc(text.span()),
                        why.to_string(),
                        "write `2022-23 Q2`, `2022-23`, `2024-08` or `2022-09-30`",
                    );
                    Some(Period::NotRecorded)
                }
            },
        }
    }

    /// The series the figure names, trimmed; `None` when it names none or (an error) when the
    /// name is empty, runs over more than one line or is longer than a legend holds.
    fn series(&mut self, written: Option<&Spanned<String>>) -> Option<String> {
        let written = written?;
        let name = written.get_ref().trim();
        let id = &self.def.id;
        let problem = if name.is_empty() {
            Some((
                format!("the `series` of this figure of `{id}` is empty"),
                "name the basis its source measures the figure on, in words (`series = \"Care leavers aged 19 to 21\"`), or leave `series` out".to_string(),
            ))
        } else if name.contains(['\n', '\r', '\t']) {
            Some((
                format!("the `series` of this figure of `{id}` runs over more than one line"),
                "write the series name on one line, without tabs: a chart's legend shows it as written".to_string(),
            ))
        } else if name.chars().count() > SERIES_MAX_CHARS {
            Some((
                format!(
                    "the `series` of this figure of `{id}` is {} characters long, more than the {SERIES_MAX_CHARS} a chart's legend holds",
                    name.chars().count()
                ),
                "shorten it, and say the rest in the figure's `note`".to_string(),
            ))
        } else {
            None
        };
        match problem {
            Some((message, hint)) => {
                self.fail(&self.loc(written.span()), message, hint);
                None
            }
            None => Some(name.to_string()),
        }
    }

    /// The comparators that read, in the order site.toml declares them.
    fn comparators(
        &mut self,
        raw: &BTreeMap<Spanned<String>, Spanned<ComparatorToml>>,
    ) -> Vec<ComparatorValue> {
        let mut comparators: Vec<ComparatorValue> = raw
            .iter()
            .filter_map(|(key, comparator)| self.comparator(key, comparator.get_ref()))
            .collect();
        let declared = &self.ctx.config.comparators;
        comparators.sort_by_key(|c| declared.iter().position(|d| d.id == c.id));
        comparators
    }

    /// One comparator, `key = { value, basis }`: `None` when site.toml does not declare `key`
    /// or its basis is not a period.
    fn comparator(
        &mut self,
        key: &Spanned<String>,
        comparator: &ComparatorToml,
    ) -> Option<ComparatorValue> {
        let config = self.ctx.config;
        let Some(known) = config.comparator(key.get_ref()) else {
            let names: Vec<&str> = config.comparators.iter().map(|c| c.id.as_str()).collect();
            self.fail(
                &self.loc(key.span()),
                format!(
                    "`{}` is not a comparator declared in site.toml",
                    key.get_ref()
                ),
                format!("use one of: {}", names.join(", ")),
            );
            return None;
        };
        match comparator.basis.get_ref().parse::<Period>() {
            Ok(basis) => Some(ComparatorValue {
                id: known.id.clone(),
                name: comparator
                    .name
                    .clone()
                    .unwrap_or_else(|| known.name.clone()),
                value: *comparator.value.get_ref(),
                basis,
                approximate: comparator.approximate,
                decimals: self.decimals(Some(&comparator.value)),
                basis_note: comparator.basis_note.clone(),
                compared: comparator.compared.clone(),
            }),
            Err(why) => {
                self.fail(
                    &self.loc(comparator.basis.span()),
                    format!("comparator basis: {why}"),
                    "a comparator's basis is the period its figure describes, e.g. `2021-22` or `2022-23 Q1`",
                );
                None
            }
        }
    }

    /// `part` and `whole`, given together, the part within the whole and, for a percentage, its
    /// share matching the value.
    fn part_of_whole(&mut self, raw: &FigureToml) -> Option<(f64, f64)> {
        match (&raw.part, &raw.whole) {
            (Some(part), Some(whole)) => {
                let (p, w) = (*part.get_ref(), *whole.get_ref());
                if p < 0.0 || w <= 0.0 || p > w {
                    self.fail(
                        &self.loc(part.span()),
                        format!(
                            "part {} is not within its whole {}",
                            format_number(p),
                            format_number(w)
                        ),
                        "`part` must be between 0 and `whole`",
                    );
                } else if let (Some(value), crate::indicator::Unit::Percent) =
                    (raw.value.as_ref().map(|v| *v.get_ref()), self.def.unit)
                {
                    self.check_share(raw, value, p, w);
                }
                Some((p, w))
            }
            (None, None) => None,
            (Some(one), None) | (None, Some(one)) => {
                self.fail(
                    &self.loc(one.span()),
                    "`part` and `whole` go together",
                    "give both `part` and `whole`, or neither",
                );
                None
            }
        }
    }

    /// A percentage `value` is, to within a point, `part` of `whole`.
    fn check_share(&mut self, raw: &FigureToml, value: f64, part: f64, whole: f64) {
        let share = part / whole * 100.0;
        if (share - value).abs() > 1.0 {
            let span = raw
                .value
                .as_ref()
                .map_or(self.at.span.clone(), |v| v.span());
            self.fail(
                &self.loc(span),
                format!(
                    "{}% does not match {} of {} ({:.1}%)",
                    format_number(value),
                    format_number(part),
                    format_number(whole),
                    share
                ),
                "check the percentage and the counts against the source",
            );
        }
    }

    /// The source the figure cites: its document (as written, else the file's own) and
    /// paragraph. `None` when there is no document, or data/sources.toml does not declare it
    /// (the figure is not read further).
    fn source(&mut self, raw: &SourceToml) -> Option<SourceRef> {
        let (document, document_at) = self.source_document(raw)?;
        self.check_paragraph(&raw.paragraph);
        let ctx = self.ctx;
        let Some(doc) = ctx.sources.get(document) else {
            self.diags.error_with(&document_at, || {
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
        };
        Some(SourceRef {
            document: document.to_string(),
            title: doc.title.clone(),
            paragraph: raw.paragraph.get_ref().trim().to_string(),
        })
    }

    /// The key of the document the figure cites, and where it is written (the figure's table,
    /// for the file's own document); `None`, an error, when it names none and the file has none.
    fn source_document<'s>(&mut self, raw: &'s SourceToml) -> Option<(&'s str, Location)>
    where
        'c: 's,
    {
        match (&raw.document, self.ctx.default_document) {
            (Some(doc), _) => Some((doc.get_ref().as_str(), self.loc(doc.span()))),
            (None, Some(doc)) => Some((doc, self.at.clone())),
            (None, None) => {
                self.diags.error(
                    self.at,
                    format!("this figure of `{}` names no source document", self.def.id),
                    "add `source = { document = \"…\", paragraph = \"…\" }` with a document of data/sources.toml",
                );
                None
            }
        }
    }

    /// The paragraph cited is not empty.
    fn check_paragraph(&mut self, paragraph: &Spanned<String>) {
        if paragraph.get_ref().trim().is_empty() {
            self.fail(
                &self.loc(paragraph.span()),
                format!("this figure of `{}` cites no paragraph: `paragraph` is empty", self.def.id),
                "write where in the document the figure is, as it numbers it (`paragraph = \"3.1\"`) or in words (`paragraph = \"Executive summary\"`)",
            );
        }
    }
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

/// Checks the series `figures` name (every figure of the site, in the order they were read):
/// once a figure of an indicator names a series, every figure of it must, so that none is
/// drawn on a line it does not belong to; and two series of one indicator may not differ only
/// in case or spacing (`Care leavers aged 19 to 21`, `care leavers aged 19  to 21`). Each
/// problem is reported at its figure's table.
pub fn check_series(figures: &[&Figure], diags: &mut Diagnostics) {
    let mut by_indicator: BTreeMap<&str, Vec<&Figure>> = BTreeMap::new();
    for figure in figures {
        by_indicator
            .entry(&figure.indicator)
            .or_default()
            .push(figure);
    }
    for (indicator, figures) in by_indicator {
        let mut named: Vec<(&str, &Location)> = Vec::new();
        for figure in &figures {
            let Some(name) = figure.series.as_deref() else {
                continue;
            };
            match named.iter().find(|(n, _)| same_words(n, name)) {
                Some((earlier, at)) if *earlier != name => {
                    let (earlier, at) = (earlier.to_string(), diags.position(at));
                    diags.error(
                        &figure.at,
                        format!("the series `{name}` of `{indicator}` differs from the series `{earlier}` only in case or spacing"),
                        format!("write the two letter for letter the same (the other is at {at}), or give this figure a series of its own"),
                    );
                }
                Some(_) => {}
                None => named.push((name, &figure.at)),
            }
        }
        if named.is_empty() {
            continue;
        }
        let listed: Vec<String> = named
            .iter()
            .map(|(name, at)| format!("`{name}` ({})", diags.position(at)))
            .collect();
        for figure in figures.iter().filter(|f| f.series.is_none()) {
            diags.error(
                &figure.at,
                format!("this figure of `{indicator}` names no series, but other figures of it do"),
                format!(
                    "add `series = \"…\"`, naming the basis its source measures it on; the series of `{indicator}` are {}",
                    listed.join(", ")
                ),
            );
        }
    }
}

/// The two names are the same words, but for case and spacing.
fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}

//! Indicator pages: `/indicators/` lists every indicator; `/indicators/<id>/` follows one figure
//! across every quarter — its definition, every value in the archive with its source and
//! series, the comparators, a chart of its history on a time axis once two values have a known
//! date, and CSV.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::json;

use crate::chart::{Chart, ComparatorPoint, HistoryPoint};
use crate::figure::ComparatorValue;
use crate::figure::Figure;
use crate::indicator::IndicatorDef;
use crate::output::OutputFile;
use crate::period::{Period, SortKey};
use crate::plugin::{Alternate, Page};
use crate::sections::SiteSection;
use crate::site::Site;

/// One value of an indicator's history, as a source states it.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    /// Machine form of the period, for CSV.
    pub period_code: String,
    /// The period in words.
    pub period: String,
    /// Short period label.
    pub period_short: String,
    /// The value with its unit, or "not recorded".
    pub value: String,
    /// The number, when recorded.
    pub number: Option<f64>,
    /// How many decimal places the source writes it with.
    #[serde(skip)]
    decimals: u8,
    /// The period is approximate.
    pub approximate: bool,
    /// Where the value is stated: document, paragraph.
    pub source: String,
    /// Source document key.
    pub document: String,
    /// Paragraph within it.
    pub paragraph: String,
    /// How the source gives it: as the period's figure, or as "the same period last year".
    pub basis: String,
    /// Remark of the source.
    pub note: Option<String>,
    /// When and why the value changed since its report was first published, oldest first.
    pub corrections: Vec<String>,
    /// The series its figure names, if any.
    pub series: Option<String>,
    /// The report page that states it, if a report does.
    pub source_href: Option<String>,
    /// The change the source states for this value, and the period of the earlier value.
    #[serde(skip)]
    stated_change: Option<(Option<Period>, String)>,
    /// Where the row goes: dated values (and a last-year value the source dates only loosely,
    /// just before the value it is quoted against) oldest first, then the undated.
    #[serde(skip)]
    order: (bool, SortKey, u8),
    #[serde(skip)]
    sort_key: SortKey,
    #[serde(skip)]
    at: Period,
}

/// Every value of `def` in the site, oldest first.
pub fn history(
    site: &Site<'_>,
    def: &IndicatorDef,
    source_hrefs: &BTreeMap<String, String>,
) -> Vec<HistoryRow> {
    let mut rows = Vec::new();
    for report in &site.reports {
        let href = format!("{}{}#figure-{}", site.config.base_path, report.path, def.id);
        for figure in report
            .data
            .iter()
            .flat_map(|d| d.figures.iter())
            .filter(|f| f.indicator == def.id)
        {
            let mut own = row(
                def,
                figure,
                figure.period,
                figure.value,
                "stated for the period",
                Some(href.clone()),
            );
            own.corrections = report
                .corrections
                .iter()
                .filter(|c| c.indicator == def.id)
                .map(|c| crate::reports::correction_words(def, c))
                .collect();
            rows.push(own);
            if let Some(last) = figure.last_year {
                let how = if figure.last_year_given.is_some() || figure.last_year_when.is_some() {
                    "quoted for comparison"
                } else {
                    "quoted as the same period a year earlier"
                };
                let basis = format!("{how}, in the {} report", report.period.short_label());
                // "The previous year" dates nothing: the value's period is not recorded.
                let period = match figure.last_year_when {
                    Some(_) => Period::NotRecorded,
                    None => figure.last_year_period(),
                };
                rows.push(row(
                    def,
                    figure,
                    period,
                    Some(last),
                    &basis,
                    Some(href.clone()),
                ));
            }
        }
    }
    for figure in site.other_figures.iter().filter(|f| f.indicator == def.id) {
        rows.push(row(
            def,
            figure,
            figure.period,
            figure.value,
            "stated for the period",
            source_hrefs.get(&figure.source.document).cloned(),
        ));
    }
    // Dated values oldest first; values whose period is not recorded after them, since when
    // they were is not known.
    rows.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.source.cmp(&b.source)));
    rows
}

fn row(
    def: &IndicatorDef,
    figure: &Figure,
    period: Period,
    value: Option<f64>,
    basis: &str,
    source_href: Option<String>,
) -> HistoryRow {
    let own = period == figure.period;
    // A last-year figure the source dates only loosely ("in 2021") is shown as it dates it.
    let loose = (!own).then_some(figure.last_year_when.as_ref()).flatten();
    let approximate = figure.approximate_period && own || loose.is_some();
    let mut period_words = period.to_string();
    if let Some(when) = loose {
        period_words = format!("{when}, as the source gives it");
    } else if approximate {
        period_words = format!("approximately {period_words}");
    }
    if let (true, Some(note)) = (own, &figure.period_note) {
        period_words = format!("{period_words} ({note})");
    }
    HistoryRow {
        period_code: period.code(),
        period: period_words,
        period_short: period.short_label(),
        value: if own {
            figure.display_with_counts(def)
        } else {
            figure
                .display_last_year(def)
                .unwrap_or_else(|| "not recorded".into())
        },
        number: value,
        decimals: if own {
            figure.decimals.0
        } else {
            figure.decimals.1
        },
        approximate,
        source: figure.source.citation(),
        document: figure.source.document.clone(),
        paragraph: figure.source.paragraph.clone(),
        basis: match (own, figure.value) {
            (true, None) => "the source states no figure for the period".to_string(),
            (true, Some(_)) => own_basis(figure),
            _ => basis.to_string(),
        },
        note: if period == figure.period {
            figure.note.clone()
        } else {
            None
        },
        corrections: Vec::new(),
        series: figure.series.clone(),
        source_href,
        stated_change: match (own, &figure.stated_change, figure.last_year) {
            (true, Some(words), Some(_)) => Some((
                figure
                    .last_year_when
                    .is_none()
                    .then(|| figure.last_year_period()),
                words.clone(),
            )),
            _ => None,
        },
        order: match loose {
            Some(_) => (false, figure.period.sort_key(), 0),
            None => (period == Period::NotRecorded, period.sort_key(), 1),
        },
        sort_key: period.sort_key(),
        at: period,
    }
}

/// How a figure's own value is given: for its period, for a period the source leaves unclear
/// or gives none for, and as a lower bound.
fn own_basis(figure: &Figure) -> String {
    let how = if figure.period == Period::NotRecorded {
        "stated, with no period"
    } else if figure.approximate_period {
        "stated for a period the source leaves unclear"
    } else {
        "stated for the period"
    };
    if figure.at_least {
        format!("{how}, as a lower bound")
    } else {
        how.to_string()
    }
}

/// Turns a chart and the path of its CSV into the chart's HTML block and its CSV file.
pub type DrawChart<'a> = dyn Fn(&Chart, String) -> Result<(String, OutputFile), String> + 'a;

/// The indicator pages and `/indicators/`; `draw` renders each trend chart.
pub fn indicator_pages(
    site: &Site<'_>,
    source_hrefs: &BTreeMap<String, String>,
    draw: &DrawChart<'_>,
) -> Result<(Vec<Page>, Vec<OutputFile>), String> {
    let mut pages = Vec::new();
    let mut files = Vec::new();
    let mut index_sections = Vec::new();
    for section in &site.sections {
        let place = crate::sections::place(&section.decl, &site.config);
        let mut listed = Vec::new();
        for def in &section.decl.indicators {
            let (page, entry) =
                indicator_page(site, section, &place, def, source_hrefs, draw, &mut files)?;
            listed.push(entry);
            pages.push(page);
        }
        index_sections.push(json!({
            "title": section.decl.title,
            "synthetic": section.decl.synthetic,
            "indicators": listed,
        }));
    }
    let count = site
        .sections
        .iter()
        .map(|s| s.decl.indicators.len())
        .sum::<usize>();
    let description = format!(
        "Every indicator of the reports, by section, each with its definition and its history: {count} {}.",
        if count == 1 {
            "indicator"
        } else {
            "indicators"
        }
    );
    pages.push(
        Page::templated(
            "indicators/",
            "indicators.html",
            "Indicators",
            &json!({ "sections": index_sections }),
        )
        .with_description(scrutiny_plugin::feed::shorten(&description)),
    );
    Ok((pages, files))
}

/// The page of `def`, an indicator of `section` whose figures are of `place`, and its entry in
/// `/indicators/`; its CSV and its trend chart's are added to `files`.
fn indicator_page(
    site: &Site<'_>,
    section: &SiteSection<'_>,
    place: &str,
    def: &IndicatorDef,
    source_hrefs: &BTreeMap<String, String>,
    draw: &DrawChart<'_>,
    files: &mut Vec<OutputFile>,
) -> Result<(Page, serde_json::Value), String> {
    let base = &site.config.base_path;
    let rows = history(site, def, source_hrefs);
    let path = format!("indicators/{}/", def.id);
    let entry = index_entry(def, &rows, &format!("{base}{path}"));
    let comparators = comparator_values(site, def);
    let points = comparator_points(def, &comparators);
    let values = drawn_history(site, def, &rows);
    let chart = Chart::history(def, &values, &points, place).map(|mut chart| {
        chart.synthetic = section.decl.synthetic;
        chart
    });
    let csv_path = crate::opendata::indicator_csv(&def.id);
    let comparators = comparator_rows(def, &comparators, source_hrefs);
    let chart_html = match chart {
        Some(chart) => {
            let (html, csv) = draw(&chart, format!("{path}{}.csv", chart.id))?;
            files.push(csv);
            Some(html)
        }
        None => None,
    };
    let page = Page::templated(
        path.clone(),
        "indicator.html",
        def.name.to_string(),
        &json!({
            "not_charted": chart_html.is_none().then(|| not_charted(&values)).flatten(),
            "chart_html": chart_html,
            "id": def.id,
            "name": def.name,
            "definition": def.definition,
            "definition_source": def.definition_source,
            "definition_url": def.definition_url,
            "unit": def.unit.label(),
            "polarity": def.polarity.sentence(),
            "section": section.decl.title,
            "synthetic": section.decl.synthetic,
            "has_series": rows.iter().any(|r| r.series.is_some()),
            "rows": rows,
            "comparators": comparators,
            "restatements": site
                .restatements
                .iter()
                .filter(|r| r.indicator == def.id)
                .map(|r| r.words(def.unit))
                .collect::<Vec<_>>(),
            "csv_href": format!("{base}{csv_path}"),
        }),
    )
    .with_description(indicator_description(def))
    .with_alternate(Alternate::new(
        "text/csv",
        csv_path,
        format!("{}: every figure (CSV)", def.name),
    ));
    Ok((page, entry))
}

/// What an indicator's page is, for its description: the first sentence of its definition,
/// after its name (two indicators may share a definition's opening).
fn indicator_description(def: &IndicatorDef) -> String {
    let definition = scrutiny_plugin::feed::description(&def.definition);
    scrutiny_plugin::feed::shorten(&format!("{}: {definition}", def.name))
}

/// Why the history of an indicator with two or more values, `values`, is not charted, in
/// words; `None` with fewer values, where there is nothing to chart.
fn not_charted(values: &[HistoryPoint]) -> Option<String> {
    let dated = values
        .iter()
        .filter(|p| crate::chart::plotted_date(p.period, p.approximate).is_ok())
        .count();
    let dated = match dated {
        0 => "none of them has".to_string(),
        n => format!("only {n} of them has"),
    };
    (values.len() > 1).then(|| {
        format!(
            "This history is not charted: it has {} values, but {dated} a date its source states exactly, and a value whose period is not recorded or only approximate is never drawn at a guessed place. The table gives every value.",
            values.len()
        )
    })
}

/// How `/indicators/` lists `def`, whose page is at `href`: its name, unit, latest value and
/// how many values the archive has.
fn index_entry(def: &IndicatorDef, rows: &[HistoryRow], href: &str) -> serde_json::Value {
    // The latest value of a known date: one whose period is not recorded may be older or newer.
    let latest = rows
        .iter()
        .rev()
        .find(|r| r.number.is_some() && r.at != Period::NotRecorded);
    json!({
        "name": def.name,
        "href": href,
        "unit": def.unit.label(),
        "latest": latest.map(|r| &r.value),
        "latest_period": latest.map(|r| {
            let about = if r.approximate { "about " } else { "" };
            match &r.series {
                Some(series) => format!("{about}{} ({series})", r.period_short),
                None => format!("{about}{}", r.period_short),
            }
        }),
        "undated": rows
            .iter()
            .filter(|r| r.number.is_some() && r.order.0)
            .count(),
        "count": rows.iter().filter(|r| r.number.is_some()).count(),
    })
}

/// The values of a history the chart draws: of a value a later source restates, only the later
/// statement; of a figure a later source quotes as it was before a correction, only the
/// corrected one. (The table keeps both.)
pub fn drawn_history(
    site: &Site<'_>,
    def: &IndicatorDef,
    rows: &[HistoryRow],
) -> Vec<HistoryPoint> {
    let points = history_points(rows);
    let superseded: Vec<(Period, &Option<String>, f64)> = site
        .restatements
        .iter()
        .filter(|r| r.indicator == def.id)
        .map(|r| match r.quotes_superseded {
            Some(_) => (r.period, &r.series, r.later.value),
            None => (r.period, &r.series, r.first.value),
        })
        .collect();
    points
        .into_iter()
        .filter(|p| {
            !superseded.iter().any(|(period, series, value)| {
                p.period == *period && p.series == **series && p.value == *value
            })
        })
        .collect()
}

/// The values of an indicator's history, oldest first, for its chart and its card's trend
/// line: a value quoted twice for one period of one series (a report's own figure, and a later
/// quote of it) once, the first row's. Values of a period not recorded are never taken for one
/// another: each is kept.
pub fn history_points(rows: &[HistoryRow]) -> Vec<HistoryPoint> {
    type Key<'r> = (Option<&'r str>, SortKey, bool, u64);
    let mut seen: BTreeSet<Key<'_>> = BTreeSet::new();
    rows.iter()
        .filter_map(|r| {
            let value = r.number?;
            let key = (
                r.series.as_deref(),
                r.sort_key,
                r.approximate,
                value.to_bits(),
            );
            let first = r.at == Period::NotRecorded || seen.insert(key);
            first.then(|| HistoryPoint {
                period: r.at,
                value,
                display: r.value.clone(),
                decimals: r.decimals,
                approximate: r.approximate,
                series: r.series.clone(),
                stated_change: r.stated_change.clone(),
            })
        })
        .collect()
}

/// Every comparator value of `def`'s figures, once each (a value quoted by two figures is one),
/// ordered by the period it describes, then by name; each with the figure that quotes it first.
fn comparator_values<'s>(
    site: &'s Site<'_>,
    def: &IndicatorDef,
) -> Vec<(&'s Figure, &'s ComparatorValue)> {
    let mut values: Vec<(&Figure, &ComparatorValue)> = Vec::new();
    let figures = site
        .reports
        .iter()
        .flat_map(|r| r.data.iter().flat_map(|d| d.figures.iter()))
        .chain(site.other_figures.iter())
        .filter(|f| f.indicator == def.id);
    for figure in figures {
        for c in &figure.comparators {
            let quoted = values.iter().any(|(_, v)| {
                v.basis.sort_key() == c.basis.sort_key()
                    && v.name == c.name
                    && v.display_value(def) == c.display_value(def)
            });
            if !quoted {
                values.push((figure, c));
            }
        }
    }
    values.sort_by(|(_, a), (_, b)| {
        (a.basis.sort_key(), &a.name).cmp(&(b.basis.sort_key(), &b.name))
    });
    values
}

/// The comparators of an indicator's history chart: each value, at the period it describes.
fn comparator_points(
    def: &IndicatorDef,
    values: &[(&Figure, &ComparatorValue)],
) -> Vec<ComparatorPoint> {
    // A comparator whose basis the source leaves unclear has no date to be drawn at: it stays
    // in the comparators table.
    values
        .iter()
        .filter(|(_, c)| c.basis_note.is_none())
        .map(|(_, c)| ComparatorPoint {
            name: c.name.clone(),
            basis: c.basis,
            value: c.value,
            display: c.display_value(def),
            decimals: c.decimals,
        })
        .collect()
}

/// The comparators table of an indicator's page.
fn comparator_rows(
    def: &IndicatorDef,
    values: &[(&Figure, &ComparatorValue)],
    source_hrefs: &BTreeMap<String, String>,
) -> Vec<serde_json::Value> {
    values
        .iter()
        .map(|(figure, c)| {
            json!({
                "name": c.name,
                "basis": c.basis_words(),
                "value": c.display_value(def),
                "source": figure.source.citation(),
                "source_href": source_hrefs.get(&figure.source.document),
            })
        })
        .collect()
}

//! Report pages: each quarter's summary and section narratives rendered around their charts,
//! the figures tables and CSV, the home page's headline figures and the list of reports.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Value, json};

use crate::chart::sparkline::Sparkline;
use crate::chart::{Chart, change_sentence, comparison_sentence};
use crate::corrections::{Correction, Edition};
use crate::diag::{Diagnostics, Location};
use crate::figure::Figure;
use crate::indicator::IndicatorDef;
use crate::markdown::{self, DraftContext, MarkdownContext, Rendered};
use crate::output::OutputFile;
use crate::plugin::{Alternate, Page};
use crate::report::Report;
use crate::restatements::Restatement;
use crate::sections::SiteSection;
use crate::site::Site;
use crate::theme::Theme;
use crate::xref::{Backlink, XrefIndex};

/// The charts of every report section, keyed by (report, section data).
pub type Charts = BTreeMap<(usize, usize), Vec<Chart>>;

/// The charts of every report's sections, drawn from their figures.
pub fn charts(site: &Site<'_>) -> Charts {
    let mut charts = BTreeMap::new();
    for (r, report) in site.reports.iter().enumerate() {
        add_charts(site, r, report, &mut charts);
    }
    charts
}

/// Adds the charts of `report`'s sections to `charts`, as report `r`'s.
pub fn add_charts(site: &Site<'_>, r: usize, report: &Report, charts: &mut Charts) {
    for (d, data) in report.data.iter().enumerate() {
        let drawn = crate::sections::charts(&site.section_of(data).decl, data, &site.config);
        charts.insert((r, d), drawn);
    }
}

/// A report's Markdown, rendered: the summary and each section's narrative.
pub struct ReportMarkdown {
    /// The hrefs of the front-matter keys collections add, by key, and the backlinks they make.
    links: BTreeMap<&'static str, (String, Backlink)>,
    summary: Option<Rendered>,
    sections: BTreeMap<String, Rendered>,
}

/// Renders report `r`'s summary and section narratives, checking where each places a chart.
pub fn render_markdown(
    site: &Site<'_>,
    r: usize,
    report: &Report,
    charts: &Charts,
    xrefs: &XrefIndex,
    diags: &mut Diagnostics,
) -> ReportMarkdown {
    let ctx = MarkdownContext {
        xrefs,
        page: DraftContext {
            base_path: &site.config.base_path,
            page_path: &report.path,
            schemes: &site.schemes,
        },
        page_title: &report.front.title,
    };
    let mut ids: markdown::PageIds = ["summary", "figures", "main", "presented", "linked-from"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    ids.extend(site.sections.iter().map(|s| s.id().to_string()));
    let summary = report.index.map(|(file, offset)| {
        let text = diags.text(file).to_string();
        let summary = markdown::render(&text[offset..], file, offset, &ctx, &mut ids, diags);
        markdown::refuse_charts(&summary.charts, diags);
        summary
    });
    let mut sections = BTreeMap::new();
    for (section, (file, offset)) in &report.narratives {
        let text = diags.text(*file).to_string();
        let rendered = markdown::render(&text[*offset..], *file, *offset, &ctx, &mut ids, diags);
        let d = report.data.iter().position(|d| d.section == *section);
        let available: Vec<&str> = d
            .and_then(|d| charts.get(&(r, d)))
            .map(|c| c.iter().map(|c| c.id.as_str()).collect())
            .unwrap_or_default();
        let data_complete = d.is_none_or(|d| report.data[d].complete);
        if let Some(site_section) = site.sections.iter().find(|s| s.id() == section) {
            check_placements(site_section, &rendered, &available, data_complete, diags);
        }
        sections.insert(section.clone(), rendered);
    }
    let links = report_links(site, report, &ctx, diags);
    ReportMarkdown {
        links,
        summary,
        sections,
    }
}

impl ReportMarkdown {
    /// The report's description: its summary's first sentence in plain text, its headings
    /// left out ([`scrutiny_plugin::feed::description`]). `None` when it has no summary text.
    pub fn description(&self) -> Option<String> {
        let summary = self.summary.as_ref()?;
        let text: Vec<&str> = summary
            .text
            .lines()
            .filter(|line| !summary.headings.iter().any(|h| h.text == *line))
            .collect();
        let description = scrutiny_plugin::feed::description(&text.join(" "));
        (!description.is_empty()).then_some(description)
    }
}

/// Each chart a narrative places is one of its section's (`available`, unless the data file had
/// errors), placed once.
fn check_placements(
    section: &SiteSection<'_>,
    rendered: &Rendered,
    available: &[&str],
    data_complete: bool,
    diags: &mut Diagnostics,
) {
    // Each chart placed, with where it is first placed (worked out when needed).
    let mut placed: BTreeMap<&str, (&Location, Option<String>)> = BTreeMap::new();
    for (chart, at) in &rendered.charts {
        if let Some((first, position)) = placed.get_mut(chart.as_str()) {
            // A chart is drawn once, with one number, one table and one CSV.
            let first_at = position
                .get_or_insert_with(|| diags.position(first))
                .clone();
            diags.error_with(at, || {
                (
                    format!(
                        "the chart `{}` is placed twice in this section",
                        crate::xref::shortened(chart)
                    ),
                    format!("place each chart once: it is already placed at {first_at}"),
                )
            });
            continue;
        }
        placed.insert(chart, (at, None));
        if data_complete && !available.contains(&chart.as_str()) {
            let group = section.decl.charts.iter().find(|g| g.id == *chart);
            diags.error_with(at, || missing_chart(section.id(), chart, group, available));
        }
    }
}

/// The error for a chart placed that the section does not draw: a group whose indicators have
/// too few values, or a name no chart has.
fn missing_chart(
    section: &str,
    chart: &str,
    group: Option<&scrutiny_plugin::section::ChartGroup>,
    available: &[&str],
) -> (String, String) {
    let here = if available.is_empty() {
        "this section has no charts: its data file needs figures with something to compare"
            .to_string()
    } else {
        format!("Charts here: {}", available.join(", "))
    };
    if let Some(group) = group {
        return (
            format!(
                "the chart `{}` is not drawn in this report: fewer than two of its indicators ({}) have a value",
                group.id,
                group.indicators.join(", ")
            ),
            format!("give the figures, or remove the chart from the text. {here}"),
        );
    }
    let nearest = crate::xref::nearest(chart, available.to_vec());
    let hint = match nearest.first() {
        Some(near) if !available.is_empty() => format!("did you mean `chart:{near}`? {here}"),
        _ => here,
    };
    (
        format!(
            "there is no chart `{}` in the {section} section of this report",
            crate::xref::shortened(chart)
        ),
        hint,
    )
}

/// The front-matter keys of `report` that collections add, resolved: each must be a reference in
/// its collection's scheme (`meeting = "meeting:children-osc/2022-11-17#item-7"`).
fn report_links(
    site: &Site<'_>,
    report: &Report,
    ctx: &MarkdownContext<'_>,
    diags: &mut Diagnostics,
) -> BTreeMap<&'static str, (String, Backlink)> {
    let mut links = BTreeMap::new();
    let Some((file, _)) = report.index else {
        return links;
    };
    let declared = site
        .plugins
        .collections
        .iter()
        .flat_map(|c| c.report_links());
    for link in declared {
        let Some(value) = report.links.get(link.key) else {
            continue;
        };
        let span = value.span();
        let at = Location::new(
            file,
            span.start + report.front_offset..span.end + report.front_offset,
        );
        let reference = value.get_ref().as_str().filter(|r| {
            r.strip_prefix(link.scheme)
                .is_some_and(|rest| rest.starts_with(':'))
        });
        let Some(reference) = reference else {
            diags.error(
                &at,
                format!("`{}` must be a {} reference", link.key, link.scheme),
                format!("write {}", link.form),
            );
            continue;
        };
        if let Some(resolved) =
            markdown::resolve_reference(reference, &at, ctx, Some(link.anchor), diags)
        {
            links.insert(link.key, resolved);
        }
    }
    links
}

/// One row of a section's figures table.
#[derive(Serialize)]
struct FigureRow {
    indicator: String,
    href: String,
    name: String,
    definition: String,
    polarity: String,
    value: String,
    period: String,
    last_year: Option<String>,
    comparators: Vec<String>,
    source: String,
    source_href: Option<String>,
    note: Option<String>,
    /// When and why the figure changed since it was first published, oldest first.
    corrections: Vec<String>,
    /// Where later sources state it otherwise.
    restated: Vec<String>,
}

fn figure_row(
    def: &IndicatorDef,
    figure: &Figure,
    corrections: &[&Correction],
    source_hrefs: &BTreeMap<String, String>,
) -> FigureRow {
    let mut period = figure.period.to_string();
    if figure.approximate_period {
        period = format!("approximately {period}");
    }
    if let Some(note) = &figure.period_note {
        period = format!("{period} ({note})");
    }
    FigureRow {
        indicator: def.id.to_string(),
        href: format!("indicators/{}/", def.id),
        name: def.name.to_string(),
        definition: def.definition_cited(),
        polarity: def.polarity.sentence().into(),
        value: figure.display_with_counts(def),
        period,
        last_year: figure.display_last_year(def).map(|v| {
            let stated = figure
                .stated_change
                .as_ref()
                .map(|change| format!("; the source says “{change}”"))
                .unwrap_or_default();
            format!("{v} ({}){stated}", figure.last_year_label())
        }),
        comparators: figure
            .target
            .map(|t| format!("Target: {}", def.unit.format(t)))
            .into_iter()
            .chain(
                figure
                    .comparators
                    .iter()
                    .map(|c| format!("{}: {} ({})", c.name, c.display_value(def), c.basis_words())),
            )
            .collect(),
        source: figure.source.citation(),
        source_href: source_hrefs.get(&figure.source.document).cloned(),
        note: figure.note.clone(),
        corrections: corrections
            .iter()
            .filter(|c| c.indicator == figure.indicator)
            .map(|c| correction_words(def, c))
            .collect(),
        restated: Vec::new(),
    }
}

/// "Corrected on 15 December 2022: previously published as 1,320. A duplicate contact was
/// removed from the count."
pub fn correction_words(def: &IndicatorDef, c: &Correction) -> String {
    format!(
        "Corrected on {}: previously published as {}. {}",
        c.date,
        def.unit.format_written(c.previous, c.previous_decimals),
        c.reason
    )
}

/// A report section, composed: its values for the template and the CSV files of its charts.
struct ComposedSection {
    values: Value,
    files: Vec<OutputFile>,
}

/// Composes report `r`'s page and its CSV files, now that every chart placement is known to be
/// valid. Charts are numbered across the report, in reading order.
pub fn compose(
    site: &Site<'_>,
    r: usize,
    report: &Report,
    markdown: &ReportMarkdown,
    charts: &Charts,
    theme: &Theme,
    source_hrefs: &BTreeMap<String, String>,
) -> Result<(Page, Vec<OutputFile>), String> {
    let base = &site.config.base_path;
    let (sections, files) =
        compose_sections(site, r, report, markdown, charts, theme, source_hrefs)?;
    let csv_path = crate::opendata::report_csv(report);
    let backlinks = report_backlinks(site, markdown);
    // `<!-- sections -->` in index.md marks where the sections go; what follows it closes the report.
    let (summary_html, closing_html) = markdown
        .summary
        .as_ref()
        .map(|s| s.html.split_at_sections())
        .unwrap_or_default();
    let body = json!({
        "key": report.key,
        "period": report.period.to_string(),
        "period_short": report.period.short_label(),
        "front": report.front,
        "published": report.published_words(),
        "presented": report.presented_words(),
        "links": markdown.links.iter().map(|(key, (href, _))| (*key, href)).collect::<BTreeMap<_, _>>(),
        "summary_html": summary_html,
        "closing_html": closing_html,
        "sections": sections,
        "csv_href": format!("{base}{csv_path}"),
        "series": (report.edition == Edition::Latest).then(|| series_links(site, r)),
        "versions": versions_value(site, report),
    });
    let description = report_description(site, report, markdown);
    let page = Page::templated(
        report.path.clone(),
        "report.html",
        report.front.title.clone(),
        &body,
    )
    .with_description(description)
    .with_alternate(Alternate::new(
        "text/csv",
        csv_path,
        "Every figure of the report (CSV)",
    ));
    let aliases = report.aliases.clone();
    Ok((page.with_backlinks(backlinks).with_aliases(aliases), files))
}

/// What a report page is, for its description: its summary's first sentence, else its title
/// and period. A superseded version says which version it is first, so that no two pages
/// share a description.
fn report_description(site: &Site<'_>, report: &Report, markdown: &ReportMarkdown) -> String {
    let own = markdown.description().unwrap_or_else(|| {
        format!(
            "The {} report of {}: {}.",
            report.period, site.config.authority, report.front.title
        )
    });
    match report.edition {
        Edition::Latest => own,
        Edition::Superseded(k) => scrutiny_plugin::feed::shorten(&format!(
            "Version {k} of the report, superseded by a correction. {own}"
        )),
    }
}

/// Report `r`'s sections, composed in the order of the site's sections: their values for the
/// template, and the CSV files of their charts.
fn compose_sections(
    site: &Site<'_>,
    r: usize,
    report: &Report,
    markdown: &ReportMarkdown,
    charts: &Charts,
    theme: &Theme,
    source_hrefs: &BTreeMap<String, String>,
) -> Result<(Vec<Value>, Vec<OutputFile>), String> {
    let mut files = Vec::new();
    let mut figure_number = 0;
    let mut sections = Vec::new();
    let restated: Vec<&Restatement> = site
        .restatements
        .iter()
        .filter(|r| {
            report.edition == Edition::Latest && r.first.report.as_ref() == Some(&report.key)
        })
        .collect();
    for section in &site.sections {
        let d = report.data.iter().position(|d| d.section == section.id());
        let narrative = markdown.sections.get(section.id());
        if d.is_none() && narrative.is_none() {
            continue;
        }
        let section_charts: &[Chart] = d
            .and_then(|d| charts.get(&(r, d)))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let place = SectionPlace {
            section,
            report,
            restated: &restated,
            data: d,
            narrative,
            charts: section_charts,
        };
        let base = &site.config.base_path;
        let composed = compose_section(&place, theme, base, &mut figure_number, source_hrefs)?;
        sections.push(composed.values);
        files.extend(composed.files);
    }
    Ok((sections, files))
}

/// Where report `r` stands in the series: the reports just before and after it in the archive,
/// and the one of the same quarter a year earlier, where each exists.
fn series_links(site: &Site<'_>, r: usize) -> Value {
    let link = |report: &Report| {
        json!({
            "href": format!("{}{}", site.config.base_path, report.path),
            "period": report.period.short_label(),
            "title": report.front.title,
        })
    };
    let reports = &site.reports;
    let year_earlier = reports[r].period.year_earlier();
    json!({
        "previous": r.checked_sub(1).map(|p| link(&reports[p])),
        "next": reports.get(r + 1).map(link),
        "year_earlier": reports.iter().find(|o| o.period == year_earlier).map(link),
    })
}

/// What a report page says of its versions, where it has corrections: which version it is,
/// whether a later one supersedes it, the dated log of updates (newest first) and every
/// earlier version. `null` for a report never corrected.
fn versions_value(site: &Site<'_>, report: &Report) -> Value {
    if report.corrections.is_empty() {
        return Value::Null;
    }
    let base = &site.config.base_path;
    let latest_path = match report.edition {
        Edition::Latest => report.path.clone(),
        Edition::Superseded(k) => report.path.trim_end_matches(&format!("v{k}/")).to_string(),
    };
    let days = crate::corrections::days(report);
    let count = days.len() + 1;
    let number = match report.edition {
        Edition::Latest => count,
        Edition::Superseded(k) => k,
    };
    let updates: Vec<Value> = crate::corrections::made(report)
        .iter()
        .rev()
        .map(|c| {
            let def = site.indicator(&c.indicator).map(|(_, d)| d);
            // The version this correction's day superseded.
            let before = days.iter().position(|d| *d == c.date).map_or(1, |i| i + 1);
            json!({
                "date": c.date.to_string(),
                "name": def.map(|d| d.name.to_string()),
                "href": format!("#figure-{}", c.indicator),
                "previous": def.map(|d| d.unit.format_written(c.previous, c.previous_decimals)),
                "corrected": def.and_then(|d| corrected_to(report, c).map(|(v, places)| d.unit.format_written(v, places))),
                "reason": c.reason,
                "before_href": format!("{base}{latest_path}v{before}/"),
                "before_number": before,
            })
        })
        .collect();
    json!({
        "number": number,
        "count": count,
        "superseded": report.edition != Edition::Latest,
        "superseded_on": match report.edition {
            Edition::Superseded(k) => days.get(k - 1).map(ToString::to_string),
            Edition::Latest => None,
        },
        "latest_href": format!("{base}{latest_path}"),
        "updates": updates,
    })
}

/// The value correction `c` gave its figure: the `previous` of the figure's next correction,
/// or the figure's value in the data file.
fn corrected_to(report: &Report, c: &Correction) -> Option<(f64, u8)> {
    let later = report
        .corrections
        .iter()
        .find(|o| o.indicator == c.indicator && o.date > c.date);
    match later {
        Some(next) => Some((next.previous, next.previous_decimals)),
        None => report
            .data
            .iter()
            .flat_map(|d| &d.figures)
            .find(|f| f.indicator == c.indicator)
            .and_then(|f| Some((f.value?, f.decimals.0))),
    }
}

/// Every cross-reference a report's page makes: its sections', in the order the page shows
/// them, its summary's and its front matter's.
fn report_backlinks(site: &Site<'_>, markdown: &ReportMarkdown) -> Vec<Backlink> {
    let mut backlinks: Vec<Backlink> = site
        .sections
        .iter()
        .filter_map(|s| markdown.sections.get(s.id()))
        .flat_map(|n| n.backlinks.iter().cloned())
        .collect();
    if let Some(summary) = &markdown.summary {
        backlinks.extend(summary.backlinks.iter().cloned());
    }
    backlinks.extend(markdown.links.values().map(|(_, link)| link.clone()));
    backlinks
}

/// One section of one report, as it is composed.
struct SectionPlace<'a> {
    section: &'a SiteSection<'a>,
    report: &'a Report,
    /// The restatements of this report's figures by later sources.
    restated: &'a [&'a Restatement],
    /// Which of the report's data is the section's, if it has figures.
    data: Option<usize>,
    narrative: Option<&'a Rendered>,
    charts: &'a [Chart],
}

/// A section: its narrative with its charts where it places them (the others after it), and
/// its figures table.
fn compose_section(
    place: &SectionPlace<'_>,
    theme: &Theme,
    base: &str,
    figure_number: &mut usize,
    source_hrefs: &BTreeMap<String, String>,
) -> Result<ComposedSection, String> {
    let SectionPlace {
        section,
        report,
        restated,
        data,
        narrative,
        charts,
    } = *place;
    let placed: Vec<&str> = narrative
        .map(|n| n.charts.iter().map(|(c, _)| c.as_str()).collect())
        .unwrap_or_default();
    let mut drawn = BTreeSet::new();
    let order: Vec<&Chart> = placed
        .iter()
        .filter(|id| drawn.insert(**id))
        .filter_map(|id| charts.iter().find(|c| c.id == *id))
        .chain(charts.iter().filter(|c| !placed.contains(&c.id.as_str())))
        .collect();
    let mut files = Vec::new();
    let mut blocks: BTreeMap<String, String> = BTreeMap::new();
    for chart in &order {
        *figure_number += 1;
        let csv_path = format!("{}data/{}-{}.csv", report.path, section.id(), chart.id);
        let (html, csv) = theme.chart_block(base, chart, *figure_number, csv_path)?;
        files.push(csv);
        blocks.insert(chart.id.clone(), html);
    }
    let mut html = narrative
        .map(|n| n.place_charts(|id| blocks.remove(id).unwrap_or_default()))
        .unwrap_or_default();
    for chart in &order {
        if let Some(block) = blocks.remove(&chart.id) {
            html.push_str(&block);
        }
    }
    let rows: Vec<FigureRow> = data
        .map(|d| {
            report.data[d]
                .figures
                .iter()
                .filter_map(|f| section.decl.indicator(&f.indicator).map(|def| (def, f)))
                .map(|(def, f)| {
                    let mut row =
                        figure_row(def, f, &crate::corrections::made(report), source_hrefs);
                    row.restated = restated
                        .iter()
                        .filter(|r| r.indicator == f.indicator && r.period == f.period)
                        .map(|r| r.words(def.unit))
                        .collect();
                    row
                })
                .collect()
        })
        .unwrap_or_default();
    let values = json!({
        "id": section.id(),
        "title": section.decl.title,
        "synthetic": section.decl.synthetic,
        "html": html,
        "figures": rows,
    });
    Ok(ComposedSection { values, files })
}

/// The home page: the latest quarter's headline figures, and the way into everything else.
pub fn home_page(site: &Site<'_>) -> Page {
    let latest = site.reports.last();
    let mut cards = Vec::new();
    if let Some(report) = latest {
        for data in &report.data {
            let section = site.section_of(data);
            for id in &section.decl.headline {
                if let (Some(def), Some(figure)) = (section.decl.indicator(id), data.get(id)) {
                    cards.push(card(site, report, section, def, figure));
                }
            }
        }
    }
    let reports: Vec<Value> = site
        .reports
        .iter()
        .rev()
        .map(|r| report_summary(site, r))
        .collect();
    Page::templated(
        "",
        "index.html",
        site.config.title.clone(),
        &json!({ "latest": latest.map(|r| report_summary(site, r)), "cards": cards, "reports": reports }),
    )
    .with_description(scrutiny_plugin::feed::shorten(&site.config.description))
}

/// The headline card of `figure`, of `report`'s `section`: its value, period, change on last
/// year and comparisons in words, its definition, and where it has three or more dated values,
/// a small trend line of its history with the numbers in words.
fn card(
    site: &Site<'_>,
    report: &Report,
    section: &SiteSection<'_>,
    def: &IndicatorDef,
    figure: &Figure,
) -> Value {
    let place = crate::sections::place(&section.decl, &site.config);
    let history = crate::indicators::history(site, def, &BTreeMap::new());
    let trend = Sparkline::of(
        def,
        &crate::indicators::drawn_history(site, def, &history),
        &place,
    );
    json!({
        "id": def.id,
        "name": def.name,
        "value": figure.display_value(def),
        "period": figure.period.to_string(),
        "change": change_sentence(def, figure),
        "comparison": comparison_sentence(def, figure, &place),
        "polarity": def.polarity.sentence(),
        "definition": def.definition_cited(),
        "trend": trend,
        "href": format!("{}{}#{}", site.config.base_path, report.path, section.id()),
        "section": section.decl.title,
        "synthetic": section.decl.synthetic,
        "indicator_href": format!("{}indicators/{}/", site.config.base_path, def.id),
    })
}

fn report_summary(site: &Site<'_>, report: &Report) -> Value {
    json!({
        "title": report.front.title,
        "period": report.period.to_string(),
        "period_short": report.period.short_label(),
        "published": report.published_words(),
        "presented": report.presented_words(),
        "href": format!("{}{}", site.config.base_path, report.path),
        "corrected_on": crate::corrections::days(report).last().map(ToString::to_string),
        "version": crate::corrections::version_count(report),
        "financial_year": crate::period::financial_year(match report.period { crate::period::Period::Quarter { year, .. } => year, _ => 0 }),
    })
}

/// `/reports/`: every quarter, newest first, grouped by financial year.
pub fn reports_index(site: &Site<'_>) -> Page {
    let mut years: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for report in &site.reports {
        let summary = report_summary(site, report);
        let year = summary["financial_year"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        years.entry(year).or_default().push(summary);
    }
    let years: Vec<Value> = years
        .into_iter()
        .rev()
        .map(|(year, mut reports)| {
            reports.reverse();
            json!({ "year": year, "reports": reports })
        })
        .collect();
    let description = format!(
        "Every quarterly report of {}, newest first: {} {}.",
        site.config.authority,
        site.reports.len(),
        if site.reports.len() == 1 {
            "report"
        } else {
            "reports"
        }
    );
    Page::templated(
        "reports/",
        "reports.html",
        "Reports",
        &json!({ "years": years }),
    )
    .with_description(scrutiny_plugin::feed::shorten(&description))
}

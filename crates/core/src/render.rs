//! Rendering: every page and file of the site composed from the loaded site and its
//! cross-reference index (Markdown rendered, charts drawn, report, indicator and collection
//! pages composed), ready for the templates and the writing ([`crate::write`]).

use rayon::prelude::*;
use serde_json::json;

use crate::chart::Chart;
use crate::diag::Diagnostics;
use crate::feeds::Feeds;
use crate::markdown::{self, DraftContext, MarkdownContext};
use crate::output::OutputFile;
use crate::plugin::{Page, PageOutline, PageSet};
use crate::reports::{self, Charts, ReportMarkdown};
use crate::site::Site;
use crate::theme::Theme;
use crate::timings::Step;
use crate::xref::XrefIndex;

/// The site, rendered: its pages, the files beside them, and the pages collections compose
/// only as they are written.
pub struct Output<'s> {
    /// Pages composed now: the standalone pages, then the collections', then the site's own.
    pub pages: Vec<Page>,
    /// Files written as they are: CSV.
    pub files: Vec<OutputFile>,
    /// Sets of pages composed as they are written.
    pub later: Vec<Box<dyn PageSet + 's>>,
    /// What each set's parts will be: (set, part, outline).
    pub outlines: Vec<(usize, usize, Vec<PageOutline>)>,
    /// Who makes which pages.
    pub makers: Makers,
    /// What the collections did not write because the base URL has no host, in words.
    pub without_host: Vec<String>,
    /// The site's Atom feeds: the reports' entries and the collections'.
    pub feeds: Feeds,
}

/// Which plugin makes which pages, should one of them be claimed twice.
#[derive(Debug, Default)]
pub struct Makers {
    /// How many standalone pages lead [`Output::pages`].
    pub standalone: usize,
    /// (first page, plugin folder) of the collections' pages composed now.
    pub plugin_pages: Vec<(usize, &'static str)>,
    /// Where the site's own pages start in [`Output::pages`].
    pub site_pages: usize,
    /// The plugin folder of each set composed later.
    pub later: Vec<&'static str>,
}

/// Renders the loaded site. `None` when content errors were found (they are in `diags`); an
/// `Err` is a theme problem (a template that does not render).
pub fn site<'s>(
    site: &'s Site<'_>,
    xrefs: &'s XrefIndex,
    theme: &Theme,
    diags: &mut Diagnostics,
) -> Result<Option<Output<'s>>, String> {
    let source_hrefs = crate::index::source_links(site, xrefs, diags);
    let step = Step::start("reports");
    let charts = reports::charts(site);
    let markdown: Vec<ReportMarkdown> = site
        .reports
        .iter()
        .enumerate()
        .map(|(r, report)| reports::render_markdown(site, r, report, &charts, xrefs, diags))
        .collect();
    let report_entries = site
        .reports
        .iter()
        .zip(&markdown)
        .filter_map(|(report, md)| {
            let summary = md
                .description()
                .unwrap_or_else(|| report.front.title.clone());
            crate::feeds::report_entry(report, summary)
        })
        .collect();
    let mut pages = standalone_pages(site, xrefs, diags);
    drop(step);
    let step = Step::start("collection pages");
    let mut makers = Makers {
        standalone: pages.len(),
        ..Makers::default()
    };
    let mut without_host = Vec::new();
    let later = collection_pages(
        site,
        xrefs,
        &mut pages,
        &mut makers,
        &mut without_host,
        diags,
    );
    let outlines = outline(&later);
    drop(step);
    if diags.has_errors() {
        return Ok(None);
    }
    let _step = Step::start("report and indicator pages");
    makers.site_pages = pages.len();
    let files = site_pages(site, markdown, &charts, theme, &source_hrefs, &mut pages)?;
    Ok(Some(Output {
        pages,
        files,
        later,
        outlines,
        makers,
        without_host,
        feeds: Feeds::gather(site, report_entries),
    }))
}

/// The standalone pages, `content/<name>.md` at `/<name>/`.
fn standalone_pages(site: &Site<'_>, xrefs: &XrefIndex, diags: &mut Diagnostics) -> Vec<Page> {
    let mut pages = Vec::new();
    for standalone in &site.pages {
        let path = format!("{}/", standalone.name);
        let ctx = MarkdownContext {
            xrefs,
            page: DraftContext {
                base_path: &site.config.base_path,
                page_path: &path,
                schemes: &site.schemes,
            },
            page_title: &standalone.title,
        };
        let text = diags.text(standalone.body.0).to_string();
        let rendered = markdown::render(
            &text[standalone.body.1..],
            standalone.body.0,
            standalone.body.1,
            &ctx,
            &mut markdown::PageIds::new(),
            diags,
        );
        markdown::refuse_charts(&rendered.charts, diags);
        let values = json!({ "html": rendered.html.without_slots() });
        let description = scrutiny_plugin::feed::description(&rendered.text);
        let page = Page::templated(path, "page.html", standalone.title.clone(), &values)
            .with_description(if description.is_empty() {
                standalone.title.clone()
            } else {
                description
            });
        pages.push(
            page.with_backlinks(rendered.backlinks)
                .with_aliases(standalone.aliases.clone()),
        );
    }
    pages
}

/// Each collection's pages, then the search plugin's: those composed now are added to `pages`, and what it leaves out for
/// want of a host to `without_host`; the sets composed as they are written are returned.
fn collection_pages<'s>(
    site: &'s Site<'_>,
    xrefs: &'s XrefIndex,
    pages: &mut Vec<Page>,
    makers: &mut Makers,
    without_host: &mut Vec<String>,
    diags: &mut Diagnostics,
) -> Vec<Box<dyn PageSet + 's>> {
    let mut later: Vec<Box<dyn PageSet + 's>> = Vec::new();
    for (collection, plugin) in site.collections.iter().zip(&site.plugins.collections) {
        let made = collection.pages(xrefs, &site.info, diags);
        makers.plugin_pages.push((pages.len(), plugin.folder()));
        pages.extend(made.pages);
        without_host.extend(made.without_host);
        makers
            .later
            .extend(made.later.iter().map(|_| plugin.folder()));
        later.extend(made.later);
    }
    if let Some(search) = site.search() {
        makers.plugin_pages.push((pages.len(), search.name()));
        pages.extend(search.pages(&site.info));
    }
    later
}

/// What the pages composed later will be: (set, part, outline), outlined in parallel.
fn outline(later: &[Box<dyn PageSet + '_>]) -> Vec<(usize, usize, Vec<PageOutline>)> {
    later
        .iter()
        .enumerate()
        .flat_map(|(s, set)| (0..set.parts()).map(move |part| (s, part)))
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(s, part)| (s, part, later[s].outline(part)))
        .collect()
}

/// Version `k` of report `r`, superseded by a correction: its page at `v<k>/`, with the values
/// of that version and their charts, left out of the sitemap, and its CSV files.
fn superseded_version(
    site: &Site<'_>,
    r: usize,
    k: usize,
    markdown: &ReportMarkdown,
    theme: &Theme,
    source_hrefs: &std::collections::BTreeMap<String, String>,
) -> Result<(Page, Vec<OutputFile>), String> {
    let version = crate::corrections::version(&site.reports[r], k);
    let mut charts = Charts::new();
    reports::add_charts(site, r, &version, &mut charts);
    let (page, csvs) = reports::compose(site, r, &version, markdown, &charts, theme, source_hrefs)?;
    // Its links are the latest version's: they are not made twice.
    Ok((page.with_backlinks(Vec::new()).unindexed(), csvs))
}

/// The site's own pages, added to `pages`: each report, each indicator and `/indicators/`, the
/// open data's guidance page (`/data/`), the home page, `/reports/`, the 404 page, the glossary
/// and the accessibility statement. Returns the files beside them (CSV) and the open data.
fn site_pages(
    site: &Site<'_>,
    markdown: Vec<ReportMarkdown>,
    charts: &Charts,
    theme: &Theme,
    source_hrefs: &std::collections::BTreeMap<String, String>,
    pages: &mut Vec<Page>,
) -> Result<Vec<OutputFile>, String> {
    let mut files: Vec<OutputFile> = Vec::new();
    for (r, (report, markdown)) in site.reports.iter().zip(markdown).enumerate() {
        let (page, csvs) =
            reports::compose(site, r, report, &markdown, charts, theme, source_hrefs)?;
        pages.push(page);
        files.extend(csvs);
        for k in 1..crate::corrections::version_count(report) {
            let (page, csvs) = superseded_version(site, r, k, &markdown, theme, source_hrefs)?;
            pages.push(page);
            files.extend(csvs);
        }
    }
    let base = site.config.base_path.as_str();
    let draw = |chart: &Chart, csv_path: String| theme.chart_block(base, chart, 1, csv_path);
    let (indicator_pages, indicator_files) =
        crate::indicators::indicator_pages(site, source_hrefs, &draw)?;
    pages.extend(indicator_pages);
    files.extend(indicator_files);
    let (guidance, data_files) = crate::opendata::files(site, source_hrefs);
    pages.push(guidance);
    files.extend(data_files);
    pages.push(reports::home_page(site));
    pages.push(reports::reports_index(site));
    pages.push(
        Page::templated("404.html", "404.html", "Page not found", &json!({})).with_description(
            "There is no page at this address. It may have moved, or the address may be mistyped.",
        ),
    );
    if let Some(glossary) = &site.glossary {
        pages.push(Page::templated(
            crate::glossary::PAGE,
            "glossary.html",
            "Glossary",
            &crate::glossary::page_values(glossary, source_hrefs),
        ).with_description("The acronyms the reports, the minutes and this site use, each with what it stands for and where that comes from."));
    }
    pages.push(Page::templated(
        "accessibility/",
        "accessibility.html",
        format!("Accessibility statement for {}", site.config.title),
        &json!({ "address": site.config.has_host().then_some(&site.config.base_url) }),
    ).with_description(format!("How accessible {} is, what is not yet accessible, how it was tested, and how to report a problem.", site.config.title)));
    Ok(files)
}

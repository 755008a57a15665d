//! Rendering: cross-references indexed, Markdown rendered, charts drawn, pages composed and run
//! through the theme's templates in parallel, each page handed to a [`Sink`] as soon as it is
//! rendered. The outputs,
//! sorted by path, so two builds of the same input are byte-identical.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use walkdir::WalkDir;

use crate::chart::{Chart, change_sentence, comparison_sentence};
use crate::diag::{Diagnostics, Location};
use crate::figure::Figure;
use crate::indicator::{IndicatorDef, format_number};
use crate::markdown::{self, DraftContext, MarkdownContext, Rendered};
use crate::output::{MARKER, OutputFile, Sink};
use crate::plugin::{Page, PageContent, PageOutline, PageSet};
use crate::report::Report;
use crate::site::Site;
use crate::xref::{Backlink, Target, XrefIndex};

/// Renders the loaded site to its output files. `None` when content errors were found (they are
/// in `diags`); an `Err` is a theme problem (a template that does not parse or render).
pub fn render_site(
    site: &Site<'_>,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
) -> Result<Option<crate::BuildSummary>, String> {
    let theme = crate::timings::Step::start("theme and cross-reference index");
    let theme_dir = site.root.join("themes").join(&site.config.theme);
    let defaults: Vec<(&str, &str)> = site
        .plugins
        .collections
        .iter()
        .flat_map(|c| c.templates().iter().copied())
        .collect();
    // The theme's templates compile while the cross-reference index is built. A theme that is
    // not a folder of themes/ has been reported at its place in site.toml, and is not read:
    // the rest of the content is still checked.
    let usable = crate::name::check(&site.config.theme).is_ok();
    let (tera, xrefs) = rayon::join(
        || usable.then(|| load_theme(&theme_dir, &defaults)),
        || index_targets(site),
    );
    let tera = match tera {
        Some(Ok(tera)) => tera,
        Some(Err(_)) | None if diags.has_errors() => tera::Tera::new(),
        Some(Err(why)) => return Err(why),
        None => return Err(format!("the theme `{}` cannot be used", site.config.theme)),
    };
    let base = site.config.base_path.as_str();
    let source_hrefs = source_links(site, &xrefs, diags);

    drop(theme);
    let reports = crate::timings::Step::start("reports");
    // Charts of every report section, drawn in parallel; keyed by (report, section).
    let chart_sets: Vec<((usize, usize), Vec<Chart>)> = site
        .reports
        .iter()
        .enumerate()
        .flat_map(|(r, report)| report.data.iter().enumerate().map(move |(d, _)| (r, d)))
        .map(|(r, d)| {
            let data = &site.reports[r].data[d];
            (
                (r, d),
                crate::sections::charts(&site.section_of(data).decl, data, &site.config),
            )
        })
        .collect();
    let charts: BTreeMap<(usize, usize), Vec<Chart>> = chart_sets.into_iter().collect();

    // Markdown, in order, recording every problem.
    let mut pages: Vec<Page> = Vec::new();
    let mut report_pages = Vec::new();
    for (r, report) in site.reports.iter().enumerate() {
        report_pages.push(render_report_markdown(
            site, r, report, &charts, &xrefs, diags,
        ));
    }
    for standalone in &site.pages {
        let path = format!("{}/", standalone.name);
        let ctx = MarkdownContext {
            xrefs: &xrefs,
            page: DraftContext {
                base_path: base,
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
        pages.push(
            Page::templated(
                path,
                "page.html",
                standalone.title.clone(),
                &json!({ "html": rendered.html.without_slots() }),
            )
            .with_backlinks(rendered.backlinks),
        );
    }
    drop(reports);
    let collections = crate::timings::Step::start("collection pages");
    let mut later: Vec<Box<dyn PageSet + '_>> = Vec::new();
    // Which plugin makes which pages, should one of them be claimed twice: (first page, plugin)
    // for the pages composed now, and the plugin of each set composed later.
    let mut plugin_pages: Vec<(usize, &'static str)> = Vec::new();
    let mut later_plugins: Vec<&'static str> = Vec::new();
    for (collection, plugin) in site.collections.iter().zip(&site.plugins.collections) {
        let made = collection.pages(&xrefs, &site.info, diags);
        plugin_pages.push((pages.len(), plugin.folder()));
        pages.extend(made.pages);
        later_plugins.extend(made.later.iter().map(|_| plugin.folder()));
        later.extend(made.later);
    }
    let core_pages = pages.len();
    // What the pages composed later will be: (set, part, outline).
    let outlines: Vec<(usize, usize, Vec<PageOutline>)> = later
        .iter()
        .enumerate()
        .flat_map(|(s, set)| (0..set.parts()).map(move |part| (s, part)))
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(s, part)| (s, part, later[s].outline(part)))
        .collect();
    drop(collections);
    if diags.has_errors() {
        return Ok(None);
    }

    let indicators = crate::timings::Step::start("report and indicator pages");
    // Compose report pages now that every chart placement is known to be valid.
    let mut files: Vec<OutputFile> = Vec::new();
    for (r, (report, markdown)) in site.reports.iter().zip(report_pages).enumerate() {
        let (page, csvs) =
            compose_report(site, r, report, markdown, &charts, &tera, &source_hrefs)?;
        pages.push(page);
        files.extend(csvs);
    }
    let draw = |chart: &Chart, csv_path: String| chart_block(&tera, base, chart, 1, csv_path);
    let (indicator_pages, indicator_files) =
        crate::indicators::indicator_pages(site, &source_hrefs, &draw)?;
    pages.extend(indicator_pages);
    files.extend(indicator_files);
    pages.push(home_page(site));
    pages.push(reports_index(site));
    pages.push(Page::templated(
        "404.html",
        "404.html",
        "Page not found",
        &json!({}),
    ));

    drop(indicators);
    let listing = crate::timings::Step::start("backlinks, sitemap, output folders");
    // Every page to be written, composed or not, as (path, templated, backlinks).
    let listed: Vec<(&str, bool, &[Backlink])> = pages
        .iter()
        .map(|p| (p.path.as_str(), p.is_templated(), p.backlinks.as_slice()))
        .chain(outlines.iter().flat_map(|(_, _, outline)| {
            outline
                .iter()
                .map(|o| (o.path.as_str(), o.templated, o.backlinks.as_slice()))
        }))
        .collect();

    // Backlinks: who links to each page.
    let mut incoming: BTreeMap<String, Vec<Backlink>> = BTreeMap::new();
    for (_, _, backlinks) in &listed {
        for link in *backlinks {
            if let Some(target) = xrefs.get(&link.target) {
                incoming
                    .entry(target.path.clone())
                    .or_default()
                    .push(link.clone());
            }
        }
    }
    // Each linking page in path order (meetings by date), each place on it once, in the order
    // of the page: a piece that links a report and one of its sections is listed once.
    for links in incoming.values_mut() {
        links.sort_by(|a, b| a.from_path.cmp(&b.from_path));
        let mut seen = BTreeSet::new();
        links.retain(|l| seen.insert((l.from_path.clone(), l.from_anchor.clone())));
    }

    let nav_paths: Vec<&str> = navigation_paths(site);
    // What every page's template sees; tera values are shared, so a clone is cheap.
    let mut shared = tera::Context::new();
    shared.insert("site", &site.config);
    shared.insert("nav", &navigation(site));
    shared.insert("base", base);
    files.push(OutputFile {
        path: MARKER.into(),
        bytes: Vec::new(),
    });
    files.push(sitemap(site, &listed));
    let theme_files = static_files(&theme_dir.join("static"))?;
    // Every path is known before anything is written: a page or a theme file may not claim one
    // the site or a plugin writes, and two outputs may not claim one.
    let owner_of_page = |i: usize| {
        if i < site.pages.len() {
            Owner::Page(site.pages[i].body.0)
        } else if i < core_pages {
            let plugin = plugin_pages.iter().rev().find(|(first, _)| *first <= i);
            plugin.map_or(Owner::Site, |(_, plugin)| Owner::Plugin(plugin))
        } else {
            Owner::Site
        }
    };
    let claims: Vec<(String, Owner)> = files
        .iter()
        .map(|f| (f.path.clone(), Owner::Site))
        .chain(theme_files.iter().map(|f| (f.path.clone(), Owner::Theme)))
        .chain(
            pages
                .iter()
                .enumerate()
                .map(|(i, page)| (output_path(&page.path), owner_of_page(i))),
        )
        .chain(outlines.iter().flat_map(|(s, _, outline)| {
            outline
                .iter()
                .map(|o| (output_path(&o.path), Owner::Plugin(later_plugins[*s])))
        }))
        .collect();
    if !check_claims(site, &claims, diags) {
        return Ok(None);
    }
    drop(claims);
    files.extend(theme_files);
    let mut claimed: Vec<String> = files
        .iter()
        .map(|f| f.path.clone())
        .chain(listed.iter().map(|(path, _, _)| output_path(path)))
        .collect();
    claimed.par_sort_unstable();
    if let Some(pair) = claimed.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!(
            "two outputs would be written to {}; rename the theme's static file or the page that claims it",
            pair[0]
        ));
    }
    // Links from the site root must name a page or file of the site.
    diags.check_site_links(|path| claimed.binary_search_by(|c| c.as_str().cmp(path)).is_ok());
    if diags.has_errors() {
        return Ok(None);
    }
    let summary = crate::BuildSummary {
        pages: claimed.iter().filter(|p| p.ends_with(".html")).count(),
        files: claimed.len(),
    };
    drop(claimed);
    for file in files {
        sink.put(file)?;
    }
    // Render and write every page in parallel: each is written as soon as it is rendered, and
    // dropped by the thread that rendered it. Pages composed later are composed here.
    drop(listing);
    let templates = crate::timings::Step::start("templates and writing");
    let write = |page: Page| -> Result<(), String> {
        let bytes = match &page.content {
            PageContent::Text(text) => text.as_bytes().to_vec(),
            PageContent::Template { template, values } => {
                let mut ctx = shared.clone();
                ctx.insert("path", &page.path);
                ctx.insert("nav_current", nav_current(&nav_paths, &page.path));
                ctx.insert("title", &page.title);
                ctx.insert("canonical", &site.config.absolute_url(&page.path));
                ctx.insert("page", values);
                ctx.insert(
                    "incoming",
                    incoming.get(&page.path).map(Vec::as_slice).unwrap_or(&[]),
                );
                // Rendered straight into the bytes to write, sized for a typical page.
                let mut bytes = Vec::with_capacity(32 * 1024);
                tera.render_to(template, &ctx, &mut bytes)
                    .map_err(|e| template_error(template, &e))?;
                bytes
            }
        };
        sink.put(OutputFile {
            path: output_path(&page.path),
            bytes,
        })
    };
    enum Work<'s> {
        Composed(Page),
        Later(&'s dyn PageSet, usize, &'s [PageOutline]),
    }
    let work: Vec<Work<'_>> = pages
        .into_iter()
        .map(Work::Composed)
        .chain(
            outlines
                .iter()
                .map(|(s, part, outline)| Work::Later(later[*s].as_ref(), *part, outline)),
        )
        .collect();
    work.into_par_iter().try_for_each(|work| match work {
        Work::Composed(page) => write(page),
        Work::Later(set, part, outline) => {
            let composed = set.compose(part);
            // The paths were checked as outlined: the pages must be those.
            if composed.len() != outline.len()
                || composed.iter().zip(outline).any(|(p, o)| p.path != o.path)
            {
                return Err(format!(
                    "a plugin composed pages other than those it outlined ({})",
                    outline
                        .iter()
                        .map(|o| o.path.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            composed.into_iter().try_for_each(write)
        }
    })?;
    drop(templates);
    Ok(Some(summary))
}

/// Who writes an output file, for the error when a page or a theme file claims another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// The site itself: its home page, reports, indicators, data files, sitemap.
    Site,
    /// A plugin, by the folder of content it owns: `minutes`.
    Plugin(&'static str),
    /// A standalone page, `content/<name>.md`.
    Page(crate::diag::FileId),
    /// A file of the theme's `static/` folder.
    Theme,
}

/// Checks that no standalone page or theme file claims an address the site or a plugin uses:
/// a page owns its whole folder (`content/actions.md` is `/actions/`, which the minutes plugin
/// writes), and a theme file may not be written where another output is, nor be a file where
/// the site has a folder (or the other way round). Each clash is an error at the page or theme
/// file, naming what owns the address. False when there was one.
fn check_claims(site: &Site<'_>, claims: &[(String, Owner)], diags: &mut Diagnostics) -> bool {
    let theme_static = format!("themes/{}/static/", site.config.theme);
    let describe = |owner: Owner, path: &str, diags: &Diagnostics| {
        let what = match owner {
            Owner::Site => "the site itself".to_string(),
            Owner::Plugin(plugin) => format!("the {plugin} plugin"),
            Owner::Page(file) => format!("the page {}", diags.name(file)),
            Owner::Theme => format!("the theme's file {theme_static}{path}"),
        };
        format!(
            "{what}, which writes /{}",
            path.trim_end_matches("index.html")
        )
    };
    // Who claims each path, and each top-level name (`actions` for `actions/…`, `404` for
    // `404.html`), among the site, the plugins and the theme: the site or a plugin before the
    // theme, and the shortest path (`actions/index.html`) before those deeper in.
    let rank = |path: &str, owner: Owner| (owner == Owner::Theme, path.len());
    let mut by_path: BTreeMap<&str, Owner> = BTreeMap::new();
    let mut by_top: BTreeMap<&str, (&str, Owner)> = BTreeMap::new();
    for (path, owner) in claims {
        if matches!(owner, Owner::Page(_)) {
            continue;
        }
        let entry = by_path.entry(path.as_str()).or_insert(*owner);
        if *entry == Owner::Theme {
            *entry = *owner;
        }
        let top = path.split('/').next().unwrap_or_default();
        let stem = (!path.contains('/'))
            .then(|| path.rsplit_once('.').map(|(stem, _)| stem))
            .flatten();
        for name in std::iter::once(top).chain(stem) {
            let entry = by_top.entry(name).or_insert((path, *owner));
            if rank(path, *owner) < rank(entry.0, entry.1) {
                *entry = (path, *owner);
            }
        }
    }
    let mut ok = true;
    for (path, owner) in claims {
        match owner {
            Owner::Page(file) => {
                let name = path.split('/').next().unwrap_or_default();
                let exact = by_path.get_key_value(path.as_str()).map(|(p, o)| (*p, *o));
                let Some((taken, other)) = exact.or_else(|| by_top.get(name).copied()) else {
                    continue;
                };
                let message = format!(
                    "the page {} would be published at /{name}/, an address already taken by {}",
                    diags.name(*file),
                    describe(other, taken, diags)
                );
                diags.error(
                    &crate::diag::Location::new(*file, 0..0),
                    message,
                    format!(
                        "rename the file: a page's file name is its address, and /{name}/ is taken"
                    ),
                );
                ok = false;
            }
            Owner::Theme => {
                // The same path, or a file where another output has a folder, or the other way.
                let mut clash = by_path
                    .get(path.as_str())
                    .filter(|other| matches!(other, Owner::Site | Owner::Plugin(_)))
                    .map(|other| (path.as_str(), *other));
                if clash.is_none() {
                    let folder = format!("{path}/");
                    clash = claims
                        .iter()
                        .find(|(other, o)| {
                            matches!(o, Owner::Site | Owner::Plugin(_))
                                && (other.starts_with(&folder)
                                    || path
                                        .strip_prefix(other.as_str())
                                        .is_some_and(|rest| rest.starts_with('/')))
                        })
                        .map(|(other, o)| (other.as_str(), *o));
                }
                let Some((taken, other)) = clash else {
                    continue;
                };
                let name = format!("{theme_static}{path}");
                let message = format!(
                    "the theme's file {name} would be written at /{path}, an address already taken by {}",
                    describe(other, taken, diags)
                );
                let file = diags.add_file(name, "");
                diags.error(
                    &crate::diag::Location::new(file, 0..0),
                    message,
                    "move or rename the theme's file: the site's and its plugins' addresses are not the theme's to write",
                );
                ok = false;
            }
            Owner::Site | Owner::Plugin(_) => {}
        }
    }
    ok
}

/// Where a page is written: `index.html` inside a directory page's folder.
fn output_path(path: &str) -> String {
    if path.ends_with('/') || path.is_empty() {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The main navigation as (label, path): the core's pages, then each collection's entries.
fn navigation_items(site: &Site<'_>) -> Vec<(&'static str, &'static str)> {
    let mut items = vec![
        ("Home", ""),
        ("Reports", "reports/"),
        ("Indicators", "indicators/"),
    ];
    for collection in &site.plugins.collections {
        items.extend(collection.nav().iter().copied());
    }
    items
}

/// The main navigation, as templates read it.
fn navigation(site: &Site<'_>) -> Vec<Value> {
    navigation_items(site)
        .into_iter()
        .map(|(label, path)| json!({ "label": label, "path": path }))
        .collect()
}

fn navigation_paths(site: &Site<'_>) -> Vec<&'static str> {
    navigation_items(site).into_iter().map(|(_, p)| p).collect()
}

/// The navigation entry a page belongs to (`nav_current` in templates): the page itself, else
/// the longest entry its path starts with; the home page only for itself.
fn nav_current<'n>(nav: &[&'n str], path: &str) -> &'n str {
    nav.iter()
        .filter(|p| path == **p || (!p.is_empty() && path.starts_with(**p)))
        .max_by_key(|p| p.len())
        .copied()
        .unwrap_or("-")
}

/// Registers every target a cross-reference may name.
fn index_targets(site: &Site<'_>) -> XrefIndex {
    let mut xrefs = XrefIndex::new(site.schemes.clone());
    for report in &site.reports {
        let mut anchors = vec!["summary".to_string(), "figures".to_string()];
        for section in &site.sections {
            if report.narratives.contains_key(section.id())
                || report.data.iter().any(|d| d.section == section.id())
            {
                anchors.push(section.id().to_string());
            }
        }
        xrefs.add(
            "report",
            &report.key,
            Target {
                path: report.path.clone(),
                title: report.front.title.clone(),
                anchors,
            },
        );
    }
    for def in site.all_indicators() {
        xrefs.add(
            "indicator",
            &def.id,
            Target {
                path: format!("indicators/{}/", def.id),
                title: def.name.to_string(),
                anchors: vec![],
            },
        );
    }
    for collection in &site.collections {
        for (scheme, id, target) in collection.targets() {
            xrefs.add(scheme, &id, target);
        }
    }
    xrefs
}

/// A report's Markdown, rendered: the summary and each section's narrative.
struct ReportMarkdown {
    /// The hrefs of the front-matter keys collections add, by key, and the backlinks they make.
    links: BTreeMap<&'static str, (String, Backlink)>,
    summary: Option<Rendered>,
    sections: BTreeMap<String, Rendered>,
}

fn render_report_markdown(
    site: &Site<'_>,
    r: usize,
    report: &Report,
    charts: &BTreeMap<(usize, usize), Vec<Chart>>,
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
                diags.error_with(at, || {
                    let nearest = crate::xref::nearest(chart, available.clone());
                    (
                        format!(
                            "there is no chart `{}` in the {section} section of this report",
                            crate::xref::shortened(chart)
                        ),
                        if available.is_empty() {
                            "this section has no charts: its data file needs figures with something to compare".to_string()
                        } else {
                            format!("did you mean `chart:{}`? Charts here: {}", nearest.first().map_or("", |s| s.as_str()), available.join(", "))
                        },
                    )
                });
            }
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
}

/// The href of each source document that names where it is in the archive (`link`).
fn source_links(
    site: &Site<'_>,
    xrefs: &XrefIndex,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let mut hrefs = BTreeMap::new();
    let ctx = MarkdownContext {
        xrefs,
        page: DraftContext {
            base_path: &site.config.base_path,
            page_path: "",
            schemes: &site.schemes,
        },
        page_title: "",
    };
    for source in site.sources.values() {
        let (Some(link), Some(at)) = (&source.link, &source.link_at) else {
            continue;
        };
        if let Some((href, _)) = markdown::resolve_reference(link.get_ref(), at, &ctx, None, diags)
        {
            hrefs.insert(source.id.clone(), href);
        }
    }
    hrefs
}

fn figure_row(
    def: &IndicatorDef,
    figure: &Figure,
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
        definition: def.definition.to_string(),
        polarity: def.polarity.sentence().into(),
        value: match figure.part_of_whole {
            Some((p, w)) => format!(
                "{} ({} of {})",
                figure.display_value(def),
                format_number(p),
                format_number(w)
            ),
            None => figure.display_value(def),
        },
        period,
        last_year: figure.last_year.map(|v| {
            format!(
                "{} ({})",
                def.unit.format(v),
                figure.last_year_period().short_label()
            )
        }),
        comparators: figure
            .target
            .map(|t| format!("Target: {}", def.unit.format(t)))
            .into_iter()
            .chain(figure.comparators.iter().map(|c| {
                format!(
                    "{}: {}{} ({})",
                    c.name,
                    if c.approximate { "about " } else { "" },
                    def.unit.format(c.value),
                    c.basis.short_label()
                )
            }))
            .collect(),
        source: figure.source.citation(),
        source_href: source_hrefs.get(&figure.source.document).cloned(),
        note: figure.note.clone(),
    }
}

fn compose_report(
    site: &Site<'_>,
    r: usize,
    report: &Report,
    markdown: ReportMarkdown,
    charts: &BTreeMap<(usize, usize), Vec<Chart>>,
    tera: &tera::Tera,
    source_hrefs: &BTreeMap<String, String>,
) -> Result<(Page, Vec<OutputFile>), String> {
    let base = &site.config.base_path;
    let mut files = Vec::new();
    let mut backlinks = Vec::new();
    let mut figure_number = 0;
    let mut sections = Vec::new();
    let mut csv = String::from(
        "section,indicator,name,period,value,unit,last_year_period,last_year,comparators,source_document,source_paragraph,note\n",
    );
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
        let placed: Vec<&str> = narrative
            .map(|n| n.charts.iter().map(|(c, _)| c.as_str()).collect())
            .unwrap_or_default();
        let mut drawn = BTreeSet::new();
        let order: Vec<&Chart> = placed
            .iter()
            .filter(|id| drawn.insert(**id))
            .filter_map(|id| section_charts.iter().find(|c| c.id == *id))
            .chain(
                section_charts
                    .iter()
                    .filter(|c| !placed.contains(&c.id.as_str())),
            )
            .collect();
        let mut blocks: BTreeMap<String, String> = BTreeMap::new();
        for chart in &order {
            figure_number += 1;
            let csv_path = format!("{}data/{}-{}.csv", report.path, section.id(), chart.id);
            let (html, csv) = chart_block(tera, base, chart, figure_number, csv_path)?;
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
        if let Some(n) = narrative {
            backlinks.extend(n.backlinks.iter().cloned());
        }
        let rows: Vec<FigureRow> = d
            .map(|d| {
                report.data[d]
                    .figures
                    .iter()
                    .filter_map(|f| section.decl.indicator(&f.indicator).map(|def| (def, f)))
                    .map(|(def, f)| {
                        csv.push_str(&csv_line(section.id(), def, f));
                        figure_row(def, f, source_hrefs)
                    })
                    .collect()
            })
            .unwrap_or_default();
        sections.push(json!({
            "id": section.id(),
            "title": section.decl.title,
            "synthetic": section.decl.synthetic,
            "html": html,
            "figures": rows,
        }));
    }
    let csv_path = format!("{}data/figures.csv", report.path);
    files.push(OutputFile {
        path: csv_path.clone(),
        bytes: csv.into_bytes(),
    });
    if let Some(summary) = &markdown.summary {
        backlinks.extend(summary.backlinks.iter().cloned());
    }
    backlinks.extend(markdown.links.values().map(|(_, link)| link.clone()));
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
        "links": markdown.links.iter().map(|(key, (href, _))| (*key, href)).collect::<BTreeMap<_, _>>(),
        "summary_html": summary_html,
        "closing_html": closing_html,
        "sections": sections,
        "csv_href": format!("{base}{csv_path}"),
    });
    Ok((
        Page::templated(
            report.path.clone(),
            "report.html",
            report.front.title.clone(),
            &body,
        )
        .with_backlinks(backlinks),
        files,
    ))
}

/// A chart's figure block (SVG, description, table, CSV link) and its CSV file.
fn chart_block(
    tera: &tera::Tera,
    base: &str,
    chart: &Chart,
    number: usize,
    csv_path: String,
) -> Result<(String, OutputFile), String> {
    let dom_id = format!("figure-{number}");
    let mut ctx = tera::Context::new();
    ctx.insert("base", base);
    ctx.insert("chart", chart);
    ctx.insert("number", &number);
    ctx.insert("dom_id", &dom_id);
    ctx.insert("svg", &chart.svg(&dom_id));
    ctx.insert("csv_href", &format!("{base}{csv_path}"));
    let html = tera
        .render("partials/chart.html", &ctx)
        .map_err(|e| template_error("partials/chart.html", &e))?;
    Ok((
        html,
        OutputFile {
            path: csv_path,
            bytes: chart.csv().into_bytes(),
        },
    ))
}

fn csv_line(section: &str, def: &IndicatorDef, f: &Figure) -> String {
    let comparators: Vec<String> = f
        .comparators
        .iter()
        .map(|c| format!("{}={} ({})", c.id, c.value, c.basis.code()))
        .collect();
    let fields = [
        section.to_string(),
        def.id.to_string(),
        def.name.to_string(),
        f.period.code(),
        f.value.map(|v| v.to_string()).unwrap_or_default(),
        def.unit.label().to_string(),
        f.last_year
            .map(|_| f.last_year_period().code())
            .unwrap_or_default(),
        f.last_year.map(|v| v.to_string()).unwrap_or_default(),
        comparators.join("; "),
        f.source.document.clone(),
        f.source.paragraph.clone(),
        f.note.clone().unwrap_or_default(),
    ];
    crate::chart::csv_record(&fields)
}

/// The home page: the latest quarter's headline figures, and the way into everything else.
fn home_page(site: &Site<'_>) -> Page {
    let place = site.config.authority_short();
    let latest = site.reports.last();
    let mut cards = Vec::new();
    if let Some(report) = latest {
        for data in &report.data {
            let section = site.section_of(data);
            for id in &section.decl.headline {
                let (Some(def), Some(figure)) = (section.decl.indicator(id), data.get(id)) else {
                    continue;
                };
                cards.push(json!({
                    "name": def.name,
                    "value": figure.display_value(def),
                    "period": figure.period.to_string(),
                    "change": match (figure.value, figure.last_year) {
                        (Some(v), Some(l)) => Some(change_sentence(def, v, l, figure.last_year_period())),
                        _ => None,
                    },
                    "comparison": comparison_sentence(def, figure, &place),
                    "polarity": def.polarity.sentence(),
                    "definition": def.definition,
                    "href": format!("{}{}#{}", site.config.base_path, report.path, section.id()),
                    "section": section.decl.title,
                    "synthetic": section.decl.synthetic,
                    "indicator_href": format!("{}indicators/{}/", site.config.base_path, def.id),
                }));
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
}

fn report_summary(site: &Site<'_>, report: &Report) -> Value {
    json!({
        "title": report.front.title,
        "period": report.period.to_string(),
        "period_short": report.period.short_label(),
        "published": report.published_words(),
        "href": format!("{}{}", site.config.base_path, report.path),
        "financial_year": crate::period::financial_year(match report.period { crate::period::Period::Quarter { year, .. } => year, _ => 0 }),
    })
}

/// `/reports/`: every quarter, newest first, grouped by financial year.
fn reports_index(site: &Site<'_>) -> Page {
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
    Page::templated(
        "reports/",
        "reports.html",
        "Reports",
        &json!({ "years": years }),
    )
}

fn sitemap(site: &Site<'_>, pages: &[(&str, bool, &[Backlink])]) -> OutputFile {
    let mut paths: Vec<&str> = pages
        .iter()
        .filter(|(path, templated, _)| *templated && *path != "404.html")
        .map(|(path, _, _)| *path)
        .collect();
    paths.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            crate::escape::escape_text(&site.config.absolute_url(path))
        ));
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}

/// Loads the theme's templates over the plugins' default ones: a theme template of the same
/// name replaces a plugin's.
fn load_theme(dir: &Path, defaults: &[(&str, &str)]) -> Result<tera::Tera, String> {
    let templates_dir = dir.join("templates");
    if !templates_dir.is_dir() {
        return Err(format!(
            "theme folder {} has no templates/ folder",
            dir.display()
        ));
    }
    let mut templates: Vec<(String, String)> = Vec::new();
    for entry in WalkDir::new(&templates_dir).sort_by_file_name() {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.file_type().is_file() {
            let name = entry
                .path()
                .strip_prefix(&templates_dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let text = fs::read_to_string(entry.path())
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
            templates.push((name, text));
        }
    }
    for (name, text) in defaults {
        if !templates.iter().any(|(n, _)| n == name) {
            templates.push((name.to_string(), text.to_string()));
        }
    }
    let mut tera = tera::Tera::new();
    tera.add_raw_templates(templates)
        .map_err(|e| template_error("theme", &e))?;
    Ok(tera)
}

fn template_error(template: &str, error: &tera::Error) -> String {
    let mut message = format!("theme template {template}: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push_str(&format!("\n  caused by: {inner}"));
        source = inner.source();
    }
    message
}

fn static_files(dir: &Path) -> Result<Vec<OutputFile>, String> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.file_type().is_file() {
            let path = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let bytes =
                fs::read(entry.path()).map_err(|e| format!("{}: {e}", entry.path().display()))?;
            files.push(OutputFile { path, bytes });
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_belongs_to_the_longest_navigation_entry_it_is_under() {
        let nav = ["", "reports/", "indicators/", "minutes/", "actions/"];
        assert_eq!(nav_current(&nav, ""), "");
        assert_eq!(nav_current(&nav, "minutes/"), "minutes/");
        assert_eq!(nav_current(&nav, "minutes/osc/2022-11-17/"), "minutes/");
        assert_eq!(nav_current(&nav, "reports/2022-23/q2/"), "reports/");
        // The home page is current only on itself.
        assert_eq!(nav_current(&nav, "404.html"), "-");
        assert_eq!(nav_current(&["", "a/", "a/b/"], "a/b/c/"), "a/b/");
    }
}

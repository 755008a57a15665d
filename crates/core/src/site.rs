//! Loading a site: `site.toml`, `content/` and `data/`, walked in sorted order, every file
//! classified, read and checked. Nothing here writes; problems go to [`Diagnostics`].

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::alias::{self, Alias};
use crate::config::SiteConfig;
use crate::diag::{Diagnostics, FileId, Location};
use crate::figure::{
    DataContext, Figure, SourceDocument, load_other_sources, load_section_data, load_sources,
};
use crate::indicator::IndicatorDef;
use crate::markdown::split_front_matter;
use crate::plugin::{Collection, ContentFile, LoadContext, LoadedCollection, ReportLink, SiteInfo};
use crate::report::Report;
use crate::sections::SiteSection;
use crate::tomlfile;
use scrutiny_plugin::figure::SectionData;
use scrutiny_plugin::parsed::ParseCache;
use scrutiny_plugin::section::Check;
use scrutiny_plugin::section::Section;
use scrutiny_plugin::store::DraftStore;
use scrutiny_plugin::xref::Schemes;

/// The cross-reference schemes of the driver's own pages: reports and indicators.
pub const SCHEMES: [&str; 2] = ["report", "indicator"];

/// The plugins a build uses: report sections in page order, and content collections.
#[derive(Default)]
pub struct Plugins {
    /// Sections of the quarterly report, in the order a report shows them.
    pub sections: Vec<Box<dyn Section>>,
    /// Kinds of content with their own pages.
    pub collections: Vec<Box<dyn Collection>>,
    /// Full-text search, if the build has one: its pages, and an index fed every page written.
    pub search: Option<Box<dyn scrutiny_plugin::search::Search>>,
}

impl Plugins {
    /// The collection (by its place in [`Plugins::collections`]) whose folder the content file
    /// at `path` (`content/<folder>/…`, relative to the site root) is in.
    fn collection_of(&self, path: &str) -> Option<usize> {
        let folder = path.strip_prefix("content/")?.split('/').next()?;
        self.collections.iter().position(|c| c.folder() == folder)
    }
}

/// A standalone page: `content/<name>.md` published at `/<name>/`.
#[derive(Debug, Clone)]
pub struct StandalonePage {
    /// Its name and URL slug.
    pub name: String,
    /// Title from its front matter.
    pub title: String,
    /// Its file and where the body starts.
    pub body: (FileId, usize),
    /// Its earlier addresses, each redirected to it.
    pub aliases: Vec<Alias>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    title: String,
    #[serde(default)]
    aliases: Vec<toml::Spanned<String>>,
}

/// Everything loaded from a site folder, checked, ready to render.
pub struct Site<'p> {
    /// The site folder.
    pub root: PathBuf,
    /// `site.toml`.
    pub config: SiteConfig,
    /// `site.toml`, registered with the diagnostics.
    pub config_file: FileId,
    /// Where the site is published, as collections see it.
    pub info: SiteInfo,
    /// The cross-reference schemes: the driver's, then each collection's.
    pub schemes: Schemes,
    /// The plugins.
    pub plugins: &'p Plugins,
    /// The report's sections: the plugins', then those declared in `sections/`.
    pub sections: Vec<SiteSection<'p>>,
    /// Source documents by key.
    pub sources: BTreeMap<String, SourceDocument>,
    /// Reports, oldest first.
    pub reports: Vec<Report>,
    /// Standalone pages, by name.
    pub pages: Vec<StandalonePage>,
    /// Loaded collections, in plugin order.
    pub collections: Vec<Box<dyn LoadedCollection>>,
    /// Figures stated outside the quarterly reports (`data/other-sources/`).
    pub other_figures: Vec<Figure>,
    /// Values a later source states otherwise ([`crate::restatements`]), found after loading.
    pub restatements: Vec<crate::restatements::Restatement>,
    /// The glossary (`data/glossary.toml`), when the site has one.
    pub glossary: Option<crate::glossary::Glossary>,
}

impl Site<'_> {
    /// Every indicator of every section, in section order.
    pub fn all_indicators(&self) -> Vec<IndicatorDef> {
        self.sections
            .iter()
            .flat_map(|s| s.decl.indicators.iter().cloned())
            .collect()
    }

    /// The section that declares an indicator, and its definition.
    pub fn indicator(&self, id: &str) -> Option<(&SiteSection<'_>, &IndicatorDef)> {
        self.sections
            .iter()
            .find_map(|s| s.decl.indicator(id).map(|d| (s, d)))
    }

    /// The section whose data `data` is.
    pub fn section_of(&self, data: &SectionData) -> &SiteSection<'_> {
        self.sections
            .iter()
            .find(|s| s.id() == data.section)
            .expect("data is only loaded for the site's sections")
    }

    /// Every declared rate and the count it is the rate of.
    pub fn rates(&self) -> Vec<(&str, &str)> {
        self.sections
            .iter()
            .flat_map(|s| &s.decl.checks)
            .filter_map(|c| match c {
                Check::RateOf { rate, count } => Some((&**rate, &**count)),
                _ => None,
            })
            .collect()
    }
}

/// Reads the whole site folder. Returns `None` only when nothing sensible can follow (no
/// readable `site.toml`); every other problem is recorded and loading goes on.
pub fn load<'p>(
    root: &Path,
    plugins: &'p Plugins,
    base_url: Option<&str>,
    drafts: Arc<DraftStore>,
    parsed: &ParseCache,
    diags: &mut Diagnostics,
) -> Option<Site<'p>> {
    let (config, config_file) = read_config(root, plugins, base_url, diags)?;
    check_theme(root, &config, diags);
    let (sections, broken) = crate::sections::load_noting_broken(root, &plugins.sections, diags);
    let mut loader = Loader::new(
        Site::new(root, config, config_file, plugins, sections),
        broken,
        drafts,
    );
    let reading = crate::timings::Step::start("walk and read");
    // A collection reads its own files as it loads them, so that they are not all held at once.
    let of_collection = |rel: &str| plugins.collection_of(rel).is_some();
    let content = crate::files::walk(root, "content", of_collection, diags);
    let data = crate::files::walk(root, "data", |_| false, diags);
    drop(reading);
    crate::timings::count("parsed", content.len() + data.len());
    if let Some((_, file)) = data.iter().find(|(p, _)| p == "data/sources.toml") {
        loader.site.sources = load_sources(diags, *file);
    }
    if let Some((_, file)) = data.iter().find(|(p, _)| p == crate::glossary::PATH) {
        loader.site.glossary = Some(crate::glossary::load(diags, *file, &loader.site.sources));
    }
    for (path, file) in &content {
        loader.content_file(path, *file, diags);
    }
    for (path, file) in &data {
        loader.data_file(path, *file, diags);
    }
    Some(loader.finish(parsed, diags))
}

/// Reads `site.toml`, leaving the collections' tables to them.
fn read_config(
    root: &Path,
    plugins: &Plugins,
    base_url: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<(SiteConfig, FileId)> {
    let config_path = root.join("site.toml");
    let config_bytes = match fs::read(&config_path) {
        Ok(bytes) => bytes,
        Err(e) => {
            diags.error_without_file(
                format!("cannot read {}: {e}", config_path.display()),
                "run scrutiny in the site folder (the one with site.toml), or pass --root DIR",
            );
            return None;
        }
    };
    let config_file = crate::files::register("site.toml", None, config_bytes, diags);
    let tables: Vec<&str> = plugins
        .collections
        .iter()
        .filter_map(|c| c.site_table())
        .collect();
    let config = SiteConfig::load(diags, config_file, base_url, &tables)?;
    Some((config, config_file))
}

impl<'p> Site<'p> {
    /// The search plugin, when this scrutiny has one and `site.toml` does not turn search off.
    pub fn search(&self) -> Option<&'p dyn scrutiny_plugin::search::Search> {
        self.plugins
            .search
            .as_deref()
            .filter(|_| self.config.search)
    }

    /// A site of `config` with nothing read yet.
    fn new(
        root: &Path,
        config: SiteConfig,
        config_file: FileId,
        plugins: &'p Plugins,
        sections: Vec<SiteSection<'p>>,
    ) -> Self {
        let info = SiteInfo::new(config.base_url.clone(), config.base_path.clone());
        let schemes = Schemes::new(
            SCHEMES
                .iter()
                .chain(plugins.collections.iter().flat_map(|c| c.schemes()))
                .copied(),
        );
        Site {
            root: root.to_path_buf(),
            config,
            config_file,
            info,
            schemes,
            plugins,
            sections,
            sources: BTreeMap::new(),
            reports: Vec::new(),
            pages: Vec::new(),
            collections: Vec::new(),
            other_figures: Vec::new(),
            restatements: Vec::new(),
            glossary: None,
        }
    }
}

/// A site being read: what is read so far, by the step that will need it.
struct Loader<'p> {
    site: Site<'p>,
    /// Reports by key, as their files are found.
    reports: BTreeMap<String, Report>,
    /// Each collection's files, in plugin order.
    collection_files: Vec<Vec<ContentFile>>,
    /// The front-matter keys collections add to reports.
    report_links: Vec<ReportLink>,
    /// Sections whose declaration has errors: their report files are not errors too.
    broken: Vec<String>,
    /// Where collections keep their drafts until their pages are composed.
    drafts: Arc<DraftStore>,
}

impl<'p> Loader<'p> {
    fn new(site: Site<'p>, broken: Vec<String>, drafts: Arc<DraftStore>) -> Self {
        let collections = &site.plugins.collections;
        Loader {
            reports: BTreeMap::new(),
            collection_files: collections.iter().map(|_| Vec::new()).collect(),
            report_links: collections
                .iter()
                .flat_map(|c| c.report_links())
                .copied()
                .collect(),
            broken,
            drafts,
            site,
        }
    }

    /// Reads one file of `content/`: a report's, a collection's (kept for it) or a page.
    fn content_file(&mut self, path: &str, file: FileId, diags: &mut Diagnostics) {
        let collection = self.site.plugins.collection_of(path);
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["content", "reports", year, quarter, name] if name.ends_with(".md") => {
                let Some(report) = report_for(&mut self.reports, year, quarter, file, diags) else {
                    return;
                };
                let stem = name.trim_end_matches(".md");
                if stem == "index" {
                    report.read_index(file, &self.report_links, diags);
                } else if self.site.sections.iter().any(|s| s.id() == stem) {
                    report.read_narrative(stem, file, diags);
                } else {
                    unknown_section(&self.site.sections, &self.broken, file, stem, diags);
                }
            }
            _ if let Some(i) = collection => {
                self.collection_files[i].push(ContentFile {
                    path: path.to_string(),
                    file,
                });
            }
            ["content", name] if name.ends_with(".md") => {
                if let Some(page) = read_standalone(name.trim_end_matches(".md"), file, diags) {
                    self.site.pages.push(page);
                }
            }
            _ => unexpected_file(
                file,
                "content/",
                "report narratives go in content/reports/<year>/<quarter>/, standalone pages are content/<name>.md",
                diags,
            ),
        }
    }

    /// Reads one file of `data/`: a report section's figures, or figures of another source.
    fn data_file(&mut self, path: &str, file: FileId, diags: &mut Diagnostics) {
        let site = &mut self.site;
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["data", "sources.toml"] | ["data", "glossary.toml"] => {}
            ["data", "other-sources", name] if name.ends_with(".toml") => {
                let all = site.all_indicators();
                let ctx = DataContext {
                    report_period: None,
                    default_document: None,
                    indicators: &all,
                    config: &site.config,
                    sources: &site.sources,
                };
                let document = name.trim_end_matches(".toml");
                let figures = load_other_sources(document, file, &ctx, diags);
                site.other_figures.extend(figures);
            }
            ["data", year, quarter, name] if name.ends_with(".toml") => {
                let stem = name.trim_end_matches(".toml");
                let Some(section) = site.sections.iter().find(|s| s.id() == stem) else {
                    unknown_section(&site.sections, &self.broken, file, stem, diags);
                    return;
                };
                let Some(report) = report_for(&mut self.reports, year, quarter, file, diags) else {
                    return;
                };
                let ctx = DataContext {
                    report_period: Some(report.period),
                    default_document: None,
                    indicators: &section.decl.indicators,
                    config: &site.config,
                    sources: &site.sources,
                };
                report
                    .data
                    .push(load_section_data(section.id(), file, &ctx, diags));
            }
            _ => unexpected_file(
                file,
                "data/",
                "figures go in data/<year>/<quarter>/<section>.toml, sources in data/sources.toml, the glossary in data/glossary.toml",
                diags,
            ),
        }
    }

    /// The reports in order, each with an `index.md`, then each collection's files loaded.
    fn finish(self, parsed: &ParseCache, diags: &mut Diagnostics) -> Site<'p> {
        let Loader {
            mut site,
            mut reports,
            collection_files,
            drafts,
            ..
        } = self;
        let today = crate::corrections::today();
        for report in reports.values_mut() {
            if report.index.is_none() {
                diags.error_without_file(
                    format!(
                        "the report {} has files but no content/reports/{}/index.md",
                        report.key, report.key
                    ),
                    "create index.md with front matter (title, published) and the executive summary",
                );
            }
            report
                .data
                .sort_by_key(|d| site.sections.iter().position(|s| s.id() == d.section));
            report.corrections = crate::corrections::read(report, today, diags);
        }
        site.reports = reports.into_values().collect();
        site.reports.sort_by_key(|r| r.period.sort_key());
        let _collections = crate::timings::Step::start("collections load");
        let markdown = crate::outline::Engine;
        for (collection, files) in site.plugins.collections.iter().zip(collection_files) {
            let ctx = LoadContext::new(
                &files,
                &site.info,
                site.config_file,
                &site.schemes,
                &markdown,
                &drafts,
                parsed,
            );
            let loaded = collection.load(&ctx, diags);
            // What a collection keeps of its files it has copied: their text is read again
            // only if a later message quotes it.
            for file in &files {
                diags.release_text(file.file);
            }
            site.collections.push(loaded);
        }
        site
    }
}

/// The theme `site.toml` names must be a folder of `themes/` with templates in it. (A name that
/// is not one has been reported with `site.toml` already.)
fn check_theme(root: &Path, config: &SiteConfig, diags: &mut Diagnostics) {
    if crate::name::check(&config.theme).is_err() {
        return;
    }
    let templates = root.join("themes").join(&config.theme).join("templates");
    if templates.is_dir() {
        return;
    }
    let message = format!(
        "there is no theme `{}`: the folder themes/{}/templates/ does not exist",
        config.theme, config.theme
    );
    let hint = "name a folder of themes/ that has a templates/ folder (the shipped theme is `default`), or leave `theme` out to use `default`";
    match &config.theme_at {
        Some(at) => diags.error(at, message, hint),
        None => diags.error_without_file(message, hint),
    }
}

fn report_for<'r>(
    reports: &'r mut BTreeMap<String, Report>,
    year: &str,
    quarter: &str,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<&'r mut Report> {
    let key = format!("{year}/{quarter}");
    if !reports.contains_key(&key) {
        match Report::from_folders(year, quarter) {
            Ok(report) => {
                reports.insert(key.clone(), report);
            }
            Err(why) => {
                diags.error(
                    &Location::new(file, 0..0),
                    format!("the folder {key} does not name a quarter: {why}"),
                    "report folders are <year>/<quarter>, e.g. 2022-23/q2",
                );
                return None;
            }
        }
    }
    reports.get_mut(&key)
}

/// A report file of no section is an error, but for a section whose own file (in `broken`)
/// has errors already.
fn unknown_section(
    sections: &[SiteSection<'_>],
    broken: &[String],
    file: FileId,
    stem: &str,
    diags: &mut Diagnostics,
) {
    if broken.iter().any(|id| id == stem) {
        return;
    }
    let known: Vec<&str> = sections.iter().map(|s| s.id()).collect();
    let nearest = crate::xref::nearest(stem, known.clone());
    diags.error(
        &Location::new(file, 0..0),
        format!("`{stem}` is not a report section"),
        format!(
            "name the file after a section{}; the sections are: {}",
            nearest
                .first()
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default(),
            known.join(", ")
        ),
    );
}

fn unexpected_file(file: FileId, dir: &str, hint: &str, diags: &mut Diagnostics) {
    diags.error(
        &Location::new(file, 0..0),
        format!("this file is not where {dir} expects content"),
        hint,
    );
}

fn read_standalone(name: &str, file: FileId, diags: &mut Diagnostics) -> Option<StandalonePage> {
    if let Err(bad) = crate::name::check_page(name) {
        diags.error(
            &Location::new(file, 0..0),
            format!(
                "the page name `{name}` {}: a page's file name is its address (content/{name}.md would be /{name}/)",
                bad.problem
            ),
            format!("rename the file: {}", bad.hint("its name")),
        );
        return None;
    }
    let text = diags.text(file).to_string();
    let split = match split_front_matter(&text) {
        Ok(s) => s,
        Err(why) => {
            diags.error(&Location::new(file, why.span), why.message, why.hint);
            return None;
        }
    };
    let Some((front, offset)) = split.front_matter else {
        diags.error(
            &Location::new(file, 0..0),
            "a page must begin with front matter giving its title",
            "start the file with `+++`, `title = \"…\"`, `+++`",
        );
        return None;
    };
    let front: PageFront = tomlfile::parse_document(diags, file, front, offset)?;
    Some(StandalonePage {
        name: name.to_string(),
        title: front.title,
        body: (file, split.body_offset),
        aliases: alias::read(&front.aliases, file, offset, diags),
    })
}

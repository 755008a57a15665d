//! Writing: every output path checked before anything is written (no page or theme file may
//! claim another's), backlinks gathered, the sitemap and `robots.txt` made, then every page run
//! through the theme's templates and handed to the [`Sink`] in parallel, each as soon as it is
//! rendered.
//!
//! A sitemap's URLs must be absolute, so one is written only when the base URL has a host
//! (`https://org.github.io/repo/`); with a path alone (`/`, `/repo/`) there is none, the
//! build's summary says why, and `robots.txt` names no sitemap.

mod aliases;
mod key;
mod search;

pub use search::Indexed;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::alias::Alias;
use crate::diag::Diagnostics;
use crate::feeds::Feeds;
use crate::output::{MARKER, OutputFile, Sink};
use crate::plugin::{Page, PageContent, PageOutline, PageSet};
use crate::render::{Makers, Output};
use crate::site::Site;
use crate::theme::Theme;
use crate::timings::Step;
use crate::xref::{Backlink, XrefIndex};
use scrutiny_plugin::search::Search;

/// Every page to be written, composed or not, as (path, whether the sitemap lists it,
/// backlinks).
type Listed<'o> = Vec<(&'o str, bool, &'o [Backlink])>;

/// The backlinks into each page, by its path: those of [`Listed`], not copied.
type Incoming<'o> = BTreeMap<String, Vec<&'o Backlink>>;

/// Writes the rendered site to `sink`. `None` when content errors were found (they are in
/// `diags`); an `Err` is a theme or file system problem.
pub fn site(
    site: &Site<'_>,
    xrefs: &XrefIndex,
    theme: &Theme,
    output: Output<'_>,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Result<Option<crate::BuildSummary>, String> {
    let listing = Step::start("backlinks, sitemap, output folders");
    let Output {
        mut pages,
        mut files,
        later,
        outlines,
        makers,
        without_host: plugins_without_host,
        feeds,
    } = output;
    // The pages' backlinks are only gathered: they need not go with the pages to be written.
    let composed: Vec<(String, bool, Vec<Backlink>)> = pages
        .iter_mut()
        .map(|p| {
            let in_sitemap = p.is_templated() && p.indexed;
            (p.path.clone(), in_sitemap, std::mem::take(&mut p.backlinks))
        })
        .collect();
    let listed = listed(&composed, &outlines);
    let incoming = incoming(&listed, xrefs);
    files.push(OutputFile {
        path: MARKER.into(),
        bytes: Vec::new(),
    });
    let has_sitemap = site.config.has_host();
    if has_sitemap {
        files.push(sitemap(site, &listed));
    }
    files.push(robots(site, has_sitemap));
    // Feeds, like the sitemap, need absolute URLs: pages link to them only when they are written.
    files.extend(feeds.files(site)?);
    let feeds_written = has_sitemap && !feeds.is_empty();
    let theme_files = theme.static_files()?;
    // Every path is known before anything is written: a page or a theme file may not claim one
    // the site or a plugin writes, and two outputs may not claim one.
    let claims = claims(site, &files, &theme_files, &pages, &outlines, &makers);
    let planned = aliases::plan(&pages, &outlines, &listed, &files);
    let claims_kept = check_claims(site, &claims, diags);
    if !(aliases::check(site, &claims, &planned, diags) && claims_kept) {
        return Ok(None);
    }
    drop(claims);
    let aliased = aliases::written(planned);
    files.extend(theme_files);
    let search = site.search();
    let Some((pages_written, files_written)) =
        check_outputs(&files, &listed, &aliased, search, diags)?
    else {
        return Ok(None);
    };
    let without_host = (!has_sitemap)
        .then(|| "sitemap.xml".to_string())
        .into_iter()
        .chain((!has_sitemap && !feeds.is_empty()).then(|| "Atom feeds (feed.xml)".to_string()))
        .chain(plugins_without_host)
        .collect();
    let mut summary = crate::BuildSummary {
        pages: pages_written,
        redirects: aliased.redirects.len(),
        files: files_written,
        base_url: site.config.base_url.clone(),
        without_host,
        warnings: Vec::new(),
        previous_checked: None,
        search: None,
        output: None,
        up_to_date: false,
    };
    for file in files {
        for copy in aliased.copies_of(&file) {
            sink.put(copy)?;
        }
        sink.put(file)?;
    }
    drop(listing);
    let _templates = Step::start("templates and writing");
    let shared = shared_values(site, has_sitemap);
    let mut writer = Writer {
        site,
        theme,
        shared_key: key::shared(&theme.key, &shared, &glossary_key(site)),
        shared: context_of(shared),
        nav_paths: navigation_paths(site),
        incoming: &incoming,
        copies: &aliased.copies,
        feeds: feeds_written.then_some(&feeds),
        sink,
        marker: site
            .glossary
            .as_ref()
            .map(|g| crate::abbr::Marker::new(g, &site.config.base_path)),
        unknown: std::sync::Mutex::new(BTreeMap::new()),
        indexed: None,
        rendered: Default::default(),
        kept: Default::default(),
    };
    // `scrutiny check` keeps no file: its search index would be made for nothing.
    writer.indexed = search
        .filter(|_| sink.keeps_files())
        .map(|_| Default::default());
    writer.write_all(pages, &later, &outlines)?;
    drop(_templates);
    if let Some((search, fed)) = search.zip(writer.indexed.take()) {
        let pages = fed.into_inner().unwrap_or_else(|p| p.into_inner());
        let (bundle, indexed) = search::index(search, &site.info, pages, sink)?;
        // The entry file was counted with the paths claimed before writing.
        summary.files += bundle.len().saturating_sub(1);
        summary.search = Some(indexed);
        for file in bundle {
            sink.put(file)?;
        }
    }
    crate::timings::count("rendered", writer.rendered.into_inner());
    crate::timings::count("kept", writer.kept.into_inner());
    let unknown = writer.unknown.into_inner().unwrap_or_default();
    summary.warnings = crate::glossary::warnings(site, &unknown, diags);
    Ok(Some(summary))
}

/// Every page to be written: those composed now (path, whether the sitemap lists it, their
/// backlinks), then those composed later.
fn listed<'o>(
    composed: &'o [(String, bool, Vec<Backlink>)],
    outlines: &'o [(usize, usize, Vec<PageOutline>)],
) -> Listed<'o> {
    composed
        .iter()
        .map(|(path, in_sitemap, links)| (path.as_str(), *in_sitemap, links.as_slice()))
        .chain(outlines.iter().flat_map(|(_, _, outline)| {
            outline
                .iter()
                .map(|o| (o.path.as_str(), o.templated, &*o.backlinks))
        }))
        .collect()
}

/// Backlinks: who links to each page. Each linking page in path order (meetings by date),
/// each place on it once, in the order of the page: a piece that links a report and one of its
/// sections is listed once.
fn incoming<'o>(listed: &Listed<'o>, xrefs: &XrefIndex) -> Incoming<'o> {
    let mut incoming: Incoming<'o> = BTreeMap::new();
    for (_, _, backlinks) in listed {
        for link in *backlinks {
            if let Some(target) = xrefs.get(&link.target) {
                incoming.entry(target.path.clone()).or_default().push(link);
            }
        }
    }
    for links in incoming.values_mut() {
        links.sort_by(|a, b| a.from_path.cmp(&b.from_path));
        let mut seen = BTreeSet::new();
        links.retain(|l| seen.insert((&l.from_path, &l.from_anchor)));
    }
    incoming
}

/// Who claims each output path.
fn claims(
    site: &Site<'_>,
    files: &[OutputFile],
    theme_files: &[OutputFile],
    pages: &[Page],
    outlines: &[(usize, usize, Vec<PageOutline>)],
    makers: &Makers,
) -> Vec<(String, Owner)> {
    let owner_of_page = |i: usize| {
        if i < makers.standalone {
            Owner::Page(site.pages[i].body.0)
        } else if i < makers.site_pages {
            let plugin = makers
                .plugin_pages
                .iter()
                .rev()
                .find(|(first, _)| *first <= i);
            plugin.map_or(Owner::Site, |(_, plugin)| Owner::Plugin(plugin))
        } else {
            Owner::Site
        }
    };
    files
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
                .map(|o| (output_path(&o.path), Owner::Plugin(makers.later[*s])))
        }))
        // The search index's folder, whose files are known only once every page is written:
        // all of it is the search plugin's.
        .chain(
            site.plugins
                .search
                .iter()
                .map(|s| (s.folder().to_string(), Owner::Plugin(s.name()))),
        )
        .collect()
}

/// No two outputs at one path, and links from the site root name a page or file of the site
/// (what the aliases write counts): how many HTML pages (redirects and copies aside) and files
/// in all will be written, or `None` when content errors were found.
fn check_outputs(
    files: &[OutputFile],
    listed: &Listed<'_>,
    aliased: &aliases::Written,
    search: Option<&dyn Search>,
    diags: &mut Diagnostics,
) -> Result<Option<(usize, usize)>, String> {
    let mut claimed: Vec<String> = files
        .iter()
        .map(|f| f.path.clone())
        .chain(listed.iter().map(|(path, _, _)| output_path(path)))
        .chain(aliased.paths().cloned())
        .collect();
    if let Some(search) = search {
        search::check_folder(search, &claimed)?;
        claimed.push(search.entry().to_string());
    }
    claimed.par_sort_unstable();
    if let Some(pair) = claimed.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!(
            "two outputs would be written to {}; rename the theme's static file or the page that claims it",
            pair[0]
        ));
    }
    diags.check_site_links(|path| claimed.binary_search_by(|c| c.as_str().cmp(path)).is_ok());
    if diags.has_errors() {
        return Ok(None);
    }
    Ok(Some((
        claimed.iter().filter(|p| p.ends_with(".html")).count()
            - aliased.paths().filter(|p| p.ends_with(".html")).count(),
        claimed.len(),
    )))
}

/// What every page's template sees. `sitemap` says whether there is a `sitemap.xml` to link to.
fn shared_values(site: &Site<'_>, sitemap: bool) -> key::Values {
    use tera::Value as V;
    vec![
        ("site", V::from_serializable(&site.config)),
        ("nav", V::from_serializable(&navigation(site))),
        ("base", V::from(site.config.base_path.as_str())),
        ("sitemap", V::from(sitemap)),
        ("glossary", V::from(site.glossary.is_some())),
    ]
}

/// A context holding `values`; tera values are shared, so a clone of it is cheap.
fn context_of(values: key::Values) -> tera::Context {
    let mut ctx = tera::Context::new();
    for (name, value) in values {
        ctx.insert_value(name, value);
    }
    ctx
}

/// What of the glossary changes a page once rendered (its first use of each acronym is
/// marked): its terms and the words that are not acronyms; nothing without a glossary.
fn glossary_key(site: &Site<'_>) -> Vec<u8> {
    site.glossary
        .as_ref()
        .map(|g| serde_json::to_vec(&(&g.terms, &g.not_acronyms)).unwrap_or_default())
        .unwrap_or_default()
}

/// Renders pages with the theme and writes them.
struct Writer<'w> {
    site: &'w Site<'w>,
    theme: &'w Theme,
    shared: tera::Context,
    /// The hash of what every page shares: templates, [`Writer::shared`], the glossary
    /// (`None` if it could not be hashed: then every page is rendered).
    shared_key: Option<crate::cache::Digest>,
    nav_paths: Vec<&'static str>,
    incoming: &'w Incoming<'w>,
    /// Each file of a page with aliases, with the output paths of its copies under them.
    copies: &'w BTreeMap<String, Vec<String>>,
    /// The feeds pages link to, when they are written.
    feeds: Option<&'w Feeds>,
    sink: &'w dyn Sink,
    /// Marks the first use of each acronym on a page, when the site has a glossary.
    marker: Option<crate::abbr::Marker<'w>>,
    /// Each word in capitals the glossary does not know, and the first page (by path) it is on.
    unknown: std::sync::Mutex<BTreeMap<String, String>>,
    /// Each page for the search index, when there is one, as (site path, hash of its bytes).
    indexed: Option<std::sync::Mutex<Vec<(String, crate::cache::Digest)>>>,
    /// How many pages were rendered with the theme's templates, and how many kept as they were.
    rendered: AtomicUsize,
    kept: AtomicUsize,
}

/// A page to write: composed already, or a part of a set composed as it is written.
enum Work<'s> {
    Composed(Page),
    Later(&'s dyn PageSet, usize, &'s [PageOutline]),
}

impl Writer<'_> {
    /// Renders and writes every page in parallel: each is written as soon as it is rendered,
    /// and dropped by the thread that rendered it. Pages composed later are composed here.
    fn write_all(
        &self,
        pages: Vec<Page>,
        later: &[Box<dyn PageSet + '_>],
        outlines: &[(usize, usize, Vec<PageOutline>)],
    ) -> Result<(), String> {
        let work = work_list(pages, later, outlines);
        work.into_par_iter()
            .try_for_each(|work| self.write_work(work))
    }

    /// Composes (if need be), renders and writes the pages of one piece of work.
    fn write_work(&self, work: Work<'_>) -> Result<(), String> {
        match work {
            Work::Composed(mut page) => {
                let aliases = std::mem::take(&mut page.aliases);
                self.write(page, &aliases)
            }
            Work::Later(set, part, outline) => {
                let composed = set.compose(part)?;
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
                composed
                    .into_iter()
                    .zip(outline)
                    .try_for_each(|(page, outline)| self.write(page, &outline.aliases))
            }
        }
    }

    /// What a page's own template context holds: where it is, its title, its place in the
    /// navigation, what its head says of it (its description, the site's when it has none of
    /// its own; its Open Graph URL, absolute so only when the base URL has a host, and type; the
    /// other forms of it, `alternates`; the feeds it links to), its plugin's `values` as
    /// `page`, and the backlinks into it (`incoming`).
    fn own_values(&self, page: &Page, values: tera::Value) -> key::Values {
        use tera::Value as V;
        let config = &self.site.config;
        let description = page.description.as_deref().unwrap_or(&config.description);
        let og_url = config.has_host().then(|| config.absolute_url(&page.path));
        let og_type = if page.path.is_empty() {
            "website"
        } else {
            "article"
        };
        let alternates: Vec<Value> = page
            .alternates
            .iter()
            .map(|a| {
                json!({
                    "type": a.media_type,
                    "href": format!("{}{}", config.base_path, a.path),
                    "title": a.title,
                })
            })
            .collect();
        let feeds = self
            .feeds
            .map(|f| f.links_for(&config.base_path, &page.path))
            .unwrap_or_default();
        let incoming = self
            .incoming
            .get(&page.path)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        vec![
            ("path", V::from(page.path.as_str())),
            (
                "nav_current",
                V::from(nav_current(&self.nav_paths, &page.path)),
            ),
            ("title", V::from(page.title.as_str())),
            ("canonical", V::from(config.absolute_url(&page.path))),
            ("indexed", V::from(page.indexed)),
            ("description", V::from(description)),
            ("og_url", V::from_serializable(&og_url)),
            ("og_type", V::from(og_type)),
            ("alternates", V::from_serializable(&alternates)),
            ("feeds", V::from_serializable(&feeds)),
            ("page", values),
            ("incoming", V::from_serializable(incoming)),
        ]
    }

    /// Renders one page and writes it (with its copies, if it is a file of a page with aliases),
    /// and a redirect page to it at each of its `aliases`. A templated page in the sitemap is
    /// noted for the search index, if there is one. A templated page the output holds as the
    /// last build rendered it from the same templates and context (its render key) is kept as
    /// it is, not rendered.
    fn write(&self, mut page: Page, aliases: &[Alias]) -> Result<(), String> {
        for alias in aliases {
            self.sink.put(OutputFile {
                path: alias.output_path(),
                bytes: crate::redirect::page(&self.site.config, &page.path, &page.title),
            })?;
        }
        let indexed = self.indexed.as_ref().filter(|_| search::indexes(&page));
        let note_indexed = |digest: crate::cache::Digest| {
            if let Some(indexed) = indexed {
                indexed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((page.path.clone(), digest));
            }
        };
        let path = output_path(&page.path);
        let copies = self.copies.get(&path).map(Vec::as_slice).unwrap_or(&[]);
        let content = std::mem::replace(&mut page.content, PageContent::Text(String::new()));
        let (bytes, made) = match content {
            PageContent::Text(text) => (text.into_bytes(), None),
            PageContent::Template { template, values } => {
                let own = self.own_values(&page, values);
                let key = self
                    .shared_key
                    .and_then(|shared| key::page(&shared, &template, &own));
                // A file with copies is put with them, so always made.
                let kept = key
                    .filter(|_| copies.is_empty())
                    .and_then(|key| self.sink.keep_made(&path, &key));
                if let Some(kept) = kept {
                    self.kept.fetch_add(1, Ordering::Relaxed);
                    self.note_unknown(&page.path, kept.note.split_whitespace());
                    note_indexed(kept.digest);
                    return Ok(());
                }
                self.rendered.fetch_add(1, Ordering::Relaxed);
                let mut ctx = self.shared.clone();
                for (name, value) in own {
                    ctx.insert_value(name, value);
                }
                // Rendered straight into the bytes to write, sized for a typical page.
                let mut bytes = Vec::with_capacity(32 * 1024);
                self.theme.render_to(&template, &ctx, &mut bytes)?;
                let (bytes, unknown) = self.mark(&page.path, bytes);
                self.note_unknown(&page.path, unknown.iter().map(String::as_str));
                (bytes, key.map(|key| (key, unknown.join(" "))))
            }
        };
        if indexed.is_some() {
            note_indexed(crate::cache::Digest::of(&bytes));
        }
        for copy in copies {
            self.sink.put(OutputFile {
                path: copy.clone(),
                bytes: bytes.clone(),
            })?;
        }
        let file = OutputFile { path, bytes };
        match made {
            Some((key, note)) => self.sink.put_made(file, key, note),
            None => self.sink.put(file),
        }
    }
}

/// Every page to write, in a fixed order: those composed already, then each part of each set
/// composed as it is written.
fn work_list<'s>(
    pages: Vec<Page>,
    later: &'s [Box<dyn PageSet + '_>],
    outlines: &'s [(usize, usize, Vec<PageOutline>)],
) -> Vec<Work<'s>> {
    pages
        .into_iter()
        .map(Work::Composed)
        .chain(
            outlines
                .iter()
                .map(|(s, part, outline)| Work::Later(later[*s].as_ref(), *part, outline)),
        )
        .collect()
}

impl Writer<'_> {
    /// The page at `path`, rendered as `bytes`, with the first use of each acronym marked
    /// (not on the glossary page, which defines them), and the words in capitals on it the
    /// glossary does not know.
    fn mark(&self, path: &str, bytes: Vec<u8>) -> (Vec<u8>, Vec<String>) {
        let Some(marker) = &self.marker else {
            return (bytes, Vec::new());
        };
        if path == crate::glossary::PAGE {
            return (bytes, Vec::new());
        }
        let html = match String::from_utf8(bytes) {
            Ok(html) => html,
            Err(not_utf8) => return (not_utf8.into_bytes(), Vec::new()),
        };
        if !marker.needs_marking(&html) {
            return (html.into_bytes(), Vec::new());
        }
        let marked = marker.mark(&html);
        (
            marked.html.into_bytes(),
            marked.unknown.into_iter().collect(),
        )
    }

    /// Notes the words in capitals on the page at `path` that the glossary does not know, with
    /// the first page (by path) each is on.
    fn note_unknown<'a>(&self, path: &str, words: impl Iterator<Item = &'a str>) {
        let mut words = words.peekable();
        if words.peek().is_none() {
            return;
        }
        let Ok(mut unknown) = self.unknown.lock() else {
            return;
        };
        for word in words {
            let first = unknown
                .entry(word.to_string())
                .or_insert_with(|| path.to_string());
            if path < first.as_str() {
                *first = path.to_string();
            }
        }
    }
}

/// Who writes an output file, for the error when a page or a theme file claims another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// The site itself: its home page, reports, indicators, data files, sitemap, robots.txt.
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
    let taken = Taken::new(claims);
    let mut ok = true;
    for (path, owner) in claims {
        let clash = match owner {
            Owner::Page(file) => page_clash(*file, path, &taken, &theme_static, diags),
            Owner::Theme => theme_clash(path, &taken, &theme_static, diags),
            Owner::Site | Owner::Plugin(_) => false,
        };
        if clash {
            ok = false;
        }
    }
    ok
}

/// The addresses claimed by the site, the plugins and the theme.
struct Taken<'c> {
    /// Every claim.
    claims: &'c [(String, Owner)],
    /// Who claims each path: the site or a plugin before the theme.
    by_path: BTreeMap<&'c str, Owner>,
    /// Who claims each top-level name (`actions` for `actions/…`, `404` for `404.html`), as
    /// (path, owner): the site or a plugin before the theme, and the shortest path
    /// (`actions/index.html`) before those deeper in.
    by_top: BTreeMap<&'c str, (&'c str, Owner)>,
}

impl<'c> Taken<'c> {
    /// The addresses `claims` takes, standalone pages left out.
    fn new(claims: &'c [(String, Owner)]) -> Self {
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
        Taken {
            claims,
            by_path,
            by_top,
        }
    }

    /// The path and owner a theme file at `path` clashes with: the same path, or a file where
    /// the site or a plugin has a folder, or the other way round.
    fn for_theme_file(&self, path: &'c str) -> Option<(&'c str, Owner)> {
        let clash = self
            .by_path
            .get(path)
            .filter(|other| matches!(other, Owner::Site | Owner::Plugin(_)))
            .map(|other| (path, *other));
        if clash.is_some() {
            return clash;
        }
        let folder = format!("{path}/");
        self.claims
            .iter()
            .find(|(other, o)| {
                matches!(o, Owner::Site | Owner::Plugin(_))
                    && (other.starts_with(&folder)
                        || path
                            .strip_prefix(other.as_str())
                            .is_some_and(|rest| rest.starts_with('/')))
            })
            .map(|(other, o)| (other.as_str(), *o))
    }
}

/// An error at the standalone page `file`, published at `path`, if its address is taken (its
/// path, or its folder's top-level name): whether it is.
fn page_clash(
    file: crate::diag::FileId,
    path: &str,
    taken: &Taken<'_>,
    theme_static: &str,
    diags: &mut Diagnostics,
) -> bool {
    let name = path.split('/').next().unwrap_or_default();
    let exact = taken.by_path.get_key_value(path).map(|(p, o)| (*p, *o));
    let Some((other_path, other)) = exact.or_else(|| taken.by_top.get(name).copied()) else {
        return false;
    };
    let message = format!(
        "the page {} would be published at /{name}/, an address already taken by {}",
        diags.name(file),
        describe_owner(other, other_path, theme_static, diags)
    );
    diags.error(
        &crate::diag::Location::new(file, 0..0),
        message,
        format!("rename the file: a page's file name is its address, and /{name}/ is taken"),
    );
    true
}

/// An error at the theme's file `path` (under `theme_static`) if the site or a plugin takes
/// its address: whether it does.
fn theme_clash(path: &str, taken: &Taken<'_>, theme_static: &str, diags: &mut Diagnostics) -> bool {
    let Some((other_path, other)) = taken.for_theme_file(path) else {
        return false;
    };
    let name = format!("{theme_static}{path}");
    let message = format!(
        "the theme's file {name} would be written at /{path}, an address already taken by {}",
        describe_owner(other, other_path, theme_static, diags)
    );
    let file = diags.add_file(name, "");
    diags.error(
        &crate::diag::Location::new(file, 0..0),
        message,
        "move or rename the theme's file: the site's and its plugins' addresses are not the theme's to write",
    );
    true
}

/// `owner` and the address it writes `path` at, for errors: "the minutes plugin, which writes
/// /actions/".
fn describe_owner(owner: Owner, path: &str, theme_static: &str, diags: &Diagnostics) -> String {
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
}

/// Where a page is written: `index.html` inside a directory page's folder.
pub(super) fn output_path(path: &str) -> String {
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
        ("Open data", "data/"),
    ];
    for collection in &site.plugins.collections {
        items.extend(collection.nav().iter().copied());
    }
    if let Some(search) = site.search() {
        items.extend(search.nav().iter().copied());
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

/// `sitemap.xml` (sitemaps.org 0.9): every HTML page but the not-found page, by its absolute
/// URL. Only for a base URL with a host.
fn sitemap(site: &Site<'_>, pages: &[(&str, bool, &[Backlink])]) -> OutputFile {
    let mut paths: Vec<&str> = pages
        .iter()
        .filter(|(path, in_sitemap, _)| *in_sitemap && *path != "404.html")
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

/// `robots.txt`: every crawler may read every page, and where the sitemap is, by its absolute
/// URL (as the robots exclusion protocol requires), when there is one.
fn robots(site: &Site<'_>, sitemap: bool) -> OutputFile {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if sitemap {
        text.push_str("\nSitemap: ");
        text.push_str(&site.config.absolute_url("sitemap.xml"));
        text.push('\n');
    }
    OutputFile {
        path: "robots.txt".into(),
        bytes: text.into_bytes(),
    }
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

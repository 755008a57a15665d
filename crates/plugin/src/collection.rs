//! Collections: kinds of content with pages of their own, each owned by a plugin (the minutes:
//! meetings, their items, resolutions and actions).
//!
//! A [`Collection`] owns a folder of `content/`, may own a table of `site.toml`, link schemes
//! and keys of a report's front matter; it reads its files ([`Collection::load`]), registers
//! the cross-reference targets it offers ([`LoadedCollection::targets`]), and gives the pages
//! the driver renders with the theme and writes ([`LoadedCollection::pages`]).

use std::sync::Arc;

use serde::Serialize;

use crate::alias::Alias;
use crate::diag::{Diagnostics, FileId};
use crate::feed::FeedItems;
use crate::markdown::MarkdownEngine;
use crate::parsed::ParseCache;
use crate::store::DraftStore;
use crate::xref::{Backlink, Schemes, Target, XrefIndex};

/// Where the site is published, as a collection's pages need it for their links.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SiteInfo {
    /// Absolute origin and path (`https://org.github.io/repo/`), or just a path (`/`).
    pub base_url: String,
    /// The path every internal link starts with: `/` or `/repo/`.
    pub base_path: String,
}

impl SiteInfo {
    /// A site published at `base_url`, whose links start with `base_path`.
    pub fn new(base_url: impl Into<String>, base_path: impl Into<String>) -> Self {
        SiteInfo {
            base_url: base_url.into(),
            base_path: base_path.into(),
        }
    }

    /// Whether the base URL has a scheme and host (`https://org.github.io/repo/`), not just a
    /// path (`/`, `/repo/`).
    pub fn has_host(&self) -> bool {
        !self.base_url.is_empty() && !self.base_url.starts_with('/')
    }

    /// The absolute URL of a site path (`reports/` → `https://org.github.io/repo/reports/`), or
    /// `None` when the base URL has no host ([`SiteInfo::has_host`]): a path alone cannot make
    /// one, and open data that needs absolute URLs (an Open Civic Data source) is then not
    /// written rather than written with relative ones.
    pub fn absolute_url(&self, path: &str) -> Option<String> {
        self.has_host()
            .then(|| format!("{}{}", self.base_url, path.trim_start_matches('/')))
    }
}

/// What a collection reads its files with.
#[non_exhaustive]
pub struct LoadContext<'a> {
    /// The files of its folder, in path order.
    pub files: &'a [ContentFile],
    /// Where the site is published.
    pub site: &'a SiteInfo,
    /// The site's `site.toml`, for the collection's own table: see
    /// [`crate::tomlfile::parse_table`].
    pub site_toml: FileId,
    /// Every cross-reference scheme of the site.
    pub schemes: &'a Schemes,
    /// The driver's Markdown: a collection drafts its text with it.
    pub markdown: &'a dyn MarkdownEngine,
    /// Where a collection keeps the drafts it composes pages from later, out of memory.
    pub drafts: &'a Arc<DraftStore>,
    /// What it parsed of its files in the last build, by what each parse read: a file
    /// unchanged since is read back instead of parsed again.
    pub parsed: &'a ParseCache,
}

impl<'a> LoadContext<'a> {
    /// The context a collection's files are read in.
    pub fn new(
        files: &'a [ContentFile],
        site: &'a SiteInfo,
        site_toml: FileId,
        schemes: &'a Schemes,
        markdown: &'a dyn MarkdownEngine,
        drafts: &'a Arc<DraftStore>,
        parsed: &'a ParseCache,
    ) -> Self {
        LoadContext {
            files,
            site,
            site_toml,
            schemes,
            markdown,
            drafts,
            parsed,
        }
    }
}

/// A key of a report's front matter a collection adds: a cross-reference in one of its
/// schemes, linked from the report. The minutes add `meeting = "meeting:<committee>/<date>#<item>"`:
/// the meeting the report went to, linked from "Presented to".
#[derive(Debug, Clone, Copy)]
pub struct ReportLink {
    /// The key: `meeting`.
    pub key: &'static str,
    /// The scheme its reference must be in: `meeting`.
    pub scheme: &'static str,
    /// How to write it, for errors: `meeting = "meeting:<committee>/<date>#<item>"`.
    pub form: &'static str,
    /// The anchor of the report page the theme shows the link at (`presented`, the "Presented
    /// to" line), where the target's backlink points.
    pub anchor: &'static str,
}

/// A content file handed to a [`Collection`]: its path under `content/` and the file registered
/// for it.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// Path relative to the site root: `content/minutes/children-osc/2022-11-17.md`.
    pub path: String,
    /// The file, registered with [`Diagnostics`]: read its text with
    /// [`Diagnostics::read_text`], which reads it if the driver has not (so a collection can read
    /// its files in parallel, each only while it loads it) and records its problems.
    pub file: FileId,
}

/// One page a plugin asks the core to write.
#[derive(Debug, Clone)]
pub struct Page {
    /// Site path, relative to the base path, ending in `/` for a directory page
    /// (`minutes/children-osc/2022-11-17/`) or naming a file (`minutes/actions.json`).
    pub path: String,
    /// Title, for the `<title>`, breadcrumbs and backlinks.
    pub title: String,
    /// What the page is made of.
    pub content: PageContent,
    /// Cross-references this page's Markdown made.
    pub backlinks: Vec<Backlink>,
    /// Whether the page is listed for finding (the sitemap): not so a superseded version.
    pub indexed: bool,
    /// Its earlier addresses: the driver writes a redirect page to it at each.
    pub aliases: Vec<Alias>,
    /// What the page is, in plain text for its `<meta name="description">` and Open Graph
    /// description ([`crate::feed::description`]); the site's description when `None`.
    pub description: Option<String>,
    /// The same content in other forms, each linked from the page's head as
    /// `<link rel="alternate">`: a meeting's JSON, a report's CSV.
    pub alternates: Vec<Alternate>,
}

/// The same content as a page, in another form: linked from its head as
/// `<link rel="alternate" type="…" href="…">`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Alternate {
    /// The media type: `application/json`, `text/csv`.
    pub media_type: String,
    /// Site path of the file: `minutes/children-osc/2022-11-17/meeting.json`.
    pub path: String,
    /// What it is, in words: "The meeting as Open Civic Data (JSON)".
    pub title: String,
}

impl Alternate {
    /// The file at site path `path`, of media type `media_type`, described by `title`.
    pub fn new(
        media_type: impl Into<String>,
        path: impl Into<String>,
        title: impl Into<String>,
    ) -> Self {
        Alternate {
            media_type: media_type.into(),
            path: path.into(),
            title: title.into(),
        }
    }
}

/// What a page is made of: values for a theme template, or text written as it is.
#[derive(Debug, Clone)]
pub enum PageContent {
    /// Rendered by the theme template `template`, which reads `values` as `page.*`.
    Template {
        /// Template name: `meeting.html`.
        template: String,
        /// The page's values, converted once, here, from whatever the plugin serialized, into
        /// the templates' own values (which share what they hold: the page's context takes
        /// them without a copy).
        values: tera::Value,
    },
    /// Written as it is: JSON, CSV.
    Text(String),
}

impl Page {
    /// A page the theme template `template` renders from `values` (anything serializable).
    pub fn templated(
        path: impl Into<String>,
        template: &str,
        title: impl Into<String>,
        values: &impl Serialize,
    ) -> Page {
        Page {
            path: path.into(),
            title: title.into(),
            content: PageContent::Template {
                template: template.to_string(),
                values: tera::Value::try_from_serializable(values)
                    .unwrap_or_else(|_| tera::Value::none()),
            },
            backlinks: Vec::new(),
            indexed: true,
            aliases: Vec::new(),
            description: None,
            alternates: Vec::new(),
        }
    }

    /// A file written as it is, such as JSON.
    pub fn text(path: impl Into<String>, title: impl Into<String>, text: String) -> Page {
        Page {
            path: path.into(),
            title: title.into(),
            content: PageContent::Text(text),
            backlinks: Vec::new(),
            indexed: true,
            aliases: Vec::new(),
            description: None,
            alternates: Vec::new(),
        }
    }

    /// The same page, recording the cross-references its Markdown made.
    pub fn with_backlinks(mut self, backlinks: Vec<Backlink>) -> Page {
        self.backlinks = backlinks;
        self
    }

    /// The same page, left out of the sitemap (and of search): a superseded version.
    pub fn unindexed(mut self) -> Page {
        self.indexed = false;
        self
    }

    /// The same page, with its earlier addresses ([`crate::alias::read`]), each to redirect to it.
    pub fn with_aliases(mut self, aliases: Vec<Alias>) -> Page {
        self.aliases = aliases;
        self
    }

    /// The same page, described by `description` (plain text, shortish:
    /// [`crate::feed::description`]).
    pub fn with_description(mut self, description: impl Into<String>) -> Page {
        self.description = Some(description.into());
        self
    }

    /// The same page, with `alternate` linked from its head.
    pub fn with_alternate(mut self, alternate: Alternate) -> Page {
        self.alternates.push(alternate);
        self
    }

    /// Whether a theme template renders the page (an HTML page, listed in the sitemap).
    pub fn is_templated(&self) -> bool {
        matches!(self.content, PageContent::Template { .. })
    }
}

/// A kind of content with pages of its own, owned by a plugin (meetings and their minutes).
pub trait Collection: Send + Sync {
    /// Folder under `content/` the collection owns: `minutes`.
    fn folder(&self) -> &'static str;

    /// Templates the collection's pages use, as `(name, tera source)`. A theme template of the
    /// same name replaces one of these, so a council can restyle a plugin's pages.
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// Entries for the site's main navigation, as `(label, site path)`: `("Minutes", "minutes/")`.
    fn nav(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// The cross-reference schemes its targets are in, without the colon: `meeting`, `action`.
    fn schemes(&self) -> &'static [&'static str] {
        &[]
    }

    /// The table of `site.toml` it owns, if any (`minutes` for `[minutes.committees]`). The
    /// driver leaves it to the collection, which reads it in [`Collection::load`].
    fn site_table(&self) -> Option<&'static str> {
        None
    }

    /// Keys it adds to a report's front matter.
    fn report_links(&self) -> &'static [ReportLink] {
        &[]
    }

    /// Reads every file of the folder, records problems, and returns what it loaded.
    fn load(&self, ctx: &LoadContext<'_>, diags: &mut Diagnostics) -> Box<dyn LoadedCollection>;
}

/// A collection after loading: the targets it offers, then its pages.
pub trait LoadedCollection: Send + Sync {
    /// Cross-reference targets, as `(scheme, id, target)`: `("meeting", "children-osc/2022-11-17", …)`.
    fn targets(&self) -> Vec<(&'static str, String, Target)>;

    /// Resolves its cross-references against `xrefs` (recording broken ones in `diags`) and
    /// returns its pages.
    fn pages<'a>(
        &'a self,
        xrefs: &'a XrefIndex,
        site: &'a SiteInfo,
        diags: &mut Diagnostics,
    ) -> CollectionPages<'a>;

    /// What it gives the site's Atom feeds: the feeds it declares (one a committee) and its
    /// entries, each dated by its content. The driver writes the feeds, only when the base URL
    /// has a host. None by default.
    fn feed(&self) -> FeedItems {
        FeedItems::default()
    }
}

/// The pages of a collection: some composed now, the rest as they are written.
#[derive(Default)]
pub struct CollectionPages<'a> {
    /// Pages composed already (an index, a tracker).
    pub pages: Vec<Page>,
    /// Pages composed only when they are written (one a meeting), if any.
    pub later: Option<Box<dyn PageSet + 'a>>,
    /// What the collection did not write because the base URL has no host, so the absolute
    /// URLs it needs cannot be made, in words for the build's summary ("the meetings' Open
    /// Civic Data events (meeting.json)"). Empty when the base URL has a host.
    pub without_host: Vec<String>,
}

/// Pages the core composes as it writes them, in parallel, dropping each once it is written:
/// a collection of thousands of pages never holds them all at once. Everything a page's
/// content depends on (broken references, backlinks) must be settled before the set is made,
/// so composing cannot fail.
pub trait PageSet: Send + Sync {
    /// How many parts the set has. Each part gives one or more pages (a meeting and its JSON).
    fn parts(&self) -> usize;

    /// The pages of part `part`, before they are composed: what the core needs to check paths,
    /// list pages in the sitemap and gather backlinks.
    fn outline(&self, part: usize) -> Vec<PageOutline>;

    /// The pages of part `part`, composed, with the paths `outline` gave. An error is a file
    /// system problem (a draft that cannot be read back from its store), never the content's.
    fn compose(&self, part: usize) -> Result<Vec<Page>, String>;
}

/// A page known before it is composed.
#[derive(Debug, Clone)]
pub struct PageOutline {
    /// Site path, as [`Page::path`].
    pub path: String,
    /// Whether a theme template renders it (an HTML page, listed in the sitemap).
    pub templated: bool,
    /// Cross-references its Markdown made (shared: a set may keep them too).
    pub backlinks: Arc<[Backlink]>,
    /// Its earlier addresses, as [`Page::aliases`]: the driver writes a redirect page to it at
    /// each, titled with the composed page's title. (Of a page composed later, these count: the
    /// composed page's own `aliases` are not read.)
    pub aliases: Vec<Alias>,
}

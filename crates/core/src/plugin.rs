//! The plugin API: what a section of the quarterly report, or a kind of content with pages of
//! its own, provides to the core.
//!
//! The core knows no section by name. A [`Section`] declares its indicators, checks its data
//! beyond what the units already guarantee, and says which charts it draws; the core loads the
//! data, renders the narrative around the charts, and writes tables and CSV. A [`Collection`]
//! owns a folder of `content/` (the minutes plugin owns `content/minutes/`), registers the
//! cross-reference targets it offers and produces pages of its own.

use serde::Serialize;

use crate::config::SiteConfig;
use crate::diag::{Diagnostics, FileId};
use crate::xref::{Backlink, Target, XrefIndex};

pub use scrutiny_plugin::section::Section;

/// A content file handed to a [`Collection`]: its path under `content/` and its registered text.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// Path relative to the site root: `content/minutes/children-osc/2022-11-17.md`.
    pub path: String,
    /// The file, registered with [`Diagnostics`] (its text is there).
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
}

/// What a page is made of: values for a theme template, or text written as it is.
#[derive(Debug, Clone)]
pub enum PageContent {
    /// Rendered by the theme template `template`, which reads `values` as `page.*`.
    Template {
        /// Template name: `meeting.html`.
        template: String,
        /// The page's values, converted once, here, from whatever the plugin serialized.
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
                values: tera::Value::from_serializable(values),
            },
            backlinks: Vec::new(),
        }
    }

    /// A file written as it is, such as JSON.
    pub fn text(path: impl Into<String>, title: impl Into<String>, text: String) -> Page {
        Page {
            path: path.into(),
            title: title.into(),
            content: PageContent::Text(text),
            backlinks: Vec::new(),
        }
    }

    /// The same page, recording the cross-references its Markdown made.
    pub fn with_backlinks(mut self, backlinks: Vec<Backlink>) -> Page {
        self.backlinks = backlinks;
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

    /// Reads every file of the folder, records problems, and returns what it loaded.
    fn load(
        &self,
        files: &[ContentFile],
        config: &SiteConfig,
        diags: &mut Diagnostics,
    ) -> Box<dyn LoadedCollection>;
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
        config: &'a SiteConfig,
        diags: &mut Diagnostics,
    ) -> CollectionPages<'a>;
}

/// The pages of a collection: some composed now, the rest as they are written.
#[derive(Default)]
pub struct CollectionPages<'a> {
    /// Pages composed already (an index, a tracker).
    pub pages: Vec<Page>,
    /// Pages composed only when they are written (one a meeting), if any.
    pub later: Option<Box<dyn PageSet + 'a>>,
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

    /// The pages of part `part`, composed, with the paths `outline` gave.
    fn compose(&self, part: usize) -> Vec<Page>;
}

/// A page known before it is composed.
#[derive(Debug, Clone)]
pub struct PageOutline {
    /// Site path, as [`Page::path`].
    pub path: String,
    /// Whether a theme template renders it (an HTML page, listed in the sitemap).
    pub templated: bool,
    /// Cross-references its Markdown made.
    pub backlinks: Vec<Backlink>,
}

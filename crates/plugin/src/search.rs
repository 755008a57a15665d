//! Full-text search, as a plugin offers it: the pages it adds (a search page and its script),
//! and an index the driver feeds every written page to, whose files are written with the site.
//!
//! The driver knows no search engine: the command line registers one (`scrutiny-search`, with
//! Pagefind) on the build's plugins. The driver hands [`SearchIndex::add`] each HTML page that
//! is indexed (in the sitemap: not a superseded version, a redirect or the not-found page), in
//! a fixed order, however the pages are written in parallel, so the index is byte-identical
//! between builds; then [`SearchIndex::finish`] gives the index's files, which go through the
//! same checks and writer as every other output, all of them under [`Search::folder`].

use crate::collection::{Page, SiteInfo};

/// A search engine for the site: its pages, and an index for each build.
pub trait Search: Send + Sync {
    /// The plugin's name, for messages: `search`.
    fn name(&self) -> &'static str;

    /// The folder of the output its index's files are written in, with a trailing `/`
    /// (`pagefind/`). No other output may be written there.
    fn folder(&self) -> &'static str;

    /// The file of [`Search::folder`] every index writes, which its pages link to
    /// (`pagefind/pagefind.js`): claimed with every other output path before anything is
    /// written.
    fn entry(&self) -> &'static str;

    /// Templates its pages use, as `(name, tera source)`; a theme template of the same name
    /// replaces one.
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// Entries for the site's main navigation, as `(label, site path)`.
    fn nav(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// Its pages: the search page and what it loads.
    fn pages(&self, site: &SiteInfo) -> Vec<Page>;

    /// A new, empty index for one build of `site`.
    fn start(&self, site: &SiteInfo) -> Result<Box<dyn SearchIndex>, String>;
}

/// The index of one build, fed its pages one at a time.
pub trait SearchIndex: Send {
    /// Indexes the page at site path `path` (`reports/2022-23/q2/`), whose HTML is `html`.
    fn add(&mut self, path: &str, html: &str) -> Result<(), String>;

    /// Builds the index: its files, as (path under the output, bytes), each under the
    /// [`Search::folder`], with how many pages were indexed.
    fn finish(self: Box<Self>) -> Result<IndexFiles, String>;
}

/// What an index gives when it is built.
#[derive(Debug, Default)]
pub struct IndexFiles {
    /// Its files, as (path relative to the output, with `/` separators; bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// How many pages it indexed (those that mark what to index).
    pub pages: usize,
}

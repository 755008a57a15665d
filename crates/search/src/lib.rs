//! # scrutiny-search
//!
//! Full-text search for a scrutiny site, with [Pagefind](https://pagefind.app) used as a
//! library. It is the [`Search`] plugin the command line registers (behind its default-on
//! `search` feature): in the pipeline it comes in at the **write** step, where the driver feeds
//! it every HTML page of the sitemap as the page is written, in a fixed order; once all are
//! written it builds the index and hands back Pagefind's browser bundle (JavaScript, WebAssembly
//! and the chunked index), which the driver writes under `pagefind/` with the rest of the site.
//!
//! What is indexed is what the templates mark: the element with `data-pagefind-body` (a
//! report, an indicator, a meeting, the action tracker), less anything inside it marked
//! `data-pagefind-ignore` (breadcrumbs, contents lists, backlinks). A page that marks nothing
//! is not fed to Pagefind. Headings with an id, and elements with an id and a
//! `data-pagefind-title` (an action, a resolution), are the places results link to.
//!
//! It also adds the page `/search/` (its template, `search.html`, which a theme may replace)
//! and that page's script, `/search/search.js`, which calls Pagefind's JavaScript API and
//! shows the results as a list of links. Only the API's files are written: Pagefind's own
//! ready-made interfaces, which the site does not use, are left out.
//!
//! Pagefind is asynchronous; each build runs it on a small current-thread tokio runtime of its
//! own. The index depends only on the pages and their order, so two builds of the same site
//! give byte-identical files.

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use scrutiny_plugin::collection::{Page, SiteInfo};
use scrutiny_plugin::search::{IndexFiles, Search, SearchIndex};

/// The folder of the output the index is written in.
pub const FOLDER: &str = "pagefind/";

/// The attribute that marks what of a page is indexed.
const BODY: &str = "data-pagefind-body";

/// Pagefind's ready-made interfaces, which the site does not load: not written.
const UNUSED: [&str; 4] = [
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
];

/// The search page's template.
const TEMPLATES: &[(&str, &str)] = &[("search.html", include_str!("../templates/search.html"))];

/// The search page's script.
const SCRIPT: &str = include_str!("../assets/search.js");

/// Search with Pagefind: the [`Search`] plugin.
pub struct Pagefind;

impl Search for Pagefind {
    fn name(&self) -> &'static str {
        "search"
    }

    fn folder(&self) -> &'static str {
        FOLDER
    }

    fn entry(&self) -> &'static str {
        "pagefind/pagefind.js"
    }

    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        TEMPLATES
    }

    fn nav(&self) -> &'static [(&'static str, &'static str)] {
        &[("Search", "search/")]
    }

    fn pages(&self, _site: &SiteInfo) -> Vec<Page> {
        vec![
            Page::templated(
                "search/",
                "search.html",
                "Search",
                &BTreeMap::<String, String>::new(),
            )
            .with_description(
                "Search the reports, the minutes, their resolutions and actions, and the indicators.",
            ),
            Page::text("search/search.js", "Search script", SCRIPT.to_string()),
        ]
    }

    fn start(&self, _site: &SiteInfo) -> Result<Box<dyn SearchIndex>, String> {
        Ok(Box::new(PagefindRun::new()?))
    }
}

/// One build's index, with the runtime Pagefind runs on.
struct PagefindRun {
    runtime: tokio::runtime::Runtime,
    index: PagefindIndex,
    pages: usize,
}

impl PagefindRun {
    fn new() -> Result<Self, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| format!("starting the search indexer: {e}"))?;
        // Result URLs are site paths as given, without the base path: the search page adds it.
        let config = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .build();
        let index = PagefindIndex::new(Some(config))
            .map_err(|e| format!("starting the search indexer: {e}"))?;
        Ok(PagefindRun {
            runtime,
            index,
            pages: 0,
        })
    }
}

impl SearchIndex for PagefindRun {
    fn add(&mut self, path: &str, html: &str) -> Result<(), String> {
        if !html.contains(BODY) {
            return Ok(());
        }
        let url = format!("/{path}");
        self.runtime
            .block_on(self.index.add_html_file(None, Some(url), html.to_string()))
            .map_err(|e| e.to_string())?;
        self.pages += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<IndexFiles, String> {
        let built = self
            .runtime
            .block_on(self.index.get_files())
            .map_err(|e| e.to_string())?;
        let files = built
            .into_iter()
            .filter_map(|file| {
                let name = file.filename.to_string_lossy().replace('\\', "/");
                let unused = UNUSED.iter().any(|prefix| name.starts_with(prefix));
                (!unused).then(|| (format!("{FOLDER}{name}"), file.contents))
            })
            .collect();
        Ok(IndexFiles {
            files,
            pages: self.pages,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, body: &str) -> String {
        format!(
            "<!DOCTYPE html><html lang=\"en-GB\"><head><title>{title}</title></head><body><nav>Navigation words</nav><main data-pagefind-body><h1>{title}</h1>{body}</main></body></html>"
        )
    }

    fn build(pages: &[(&str, String)]) -> IndexFiles {
        let mut run = Pagefind
            .start(&SiteInfo::new("/", "/"))
            .unwrap_or_else(|e| panic!("{e}"));
        for (path, html) in pages {
            run.add(path, html).unwrap_or_else(|e| panic!("{e}"));
        }
        run.finish().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn indexes_the_marked_pages_and_writes_the_api_files_under_its_folder() {
        let built = build(&[
            (
                "a/",
                page("Missing children", "<h2 id=\"x\">Episodes</h2><p>Text.</p>"),
            ),
            (
                "b/",
                "<html lang=\"en-GB\"><body><p>Unmarked</p></body></html>".to_string(),
            ),
        ]);
        assert_eq!(built.pages, 1);
        let names: Vec<&str> = built.files.iter().map(|(p, _)| p.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(
            names.iter().any(|n| n.ends_with(".pf_fragment")),
            "{names:?}"
        );
        assert!(
            names.iter().any(|n| n.starts_with("pagefind/wasm.")),
            "{names:?}"
        );
        assert!(names.iter().all(|n| n.starts_with(FOLDER)), "{names:?}");
        assert!(!names.iter().any(|n| n.contains("-ui.")), "{names:?}");
    }

    #[test]
    fn two_indexes_of_the_same_pages_are_byte_identical() {
        let pages: Vec<(String, String)> = (0..40)
            .map(|i| {
                (
                    format!("p{i}/"),
                    page(&format!("Page {i}"), "<p>Same words here.</p>"),
                )
            })
            .collect();
        let pages: Vec<(&str, String)> =
            pages.iter().map(|(p, h)| (p.as_str(), h.clone())).collect();
        let mut first = build(&pages).files;
        let mut second = build(&pages).files;
        first.sort();
        second.sort();
        assert_eq!(first, second);
    }

    #[test]
    fn the_search_page_and_its_script_are_its_pages() {
        let pages = Pagefind.pages(&SiteInfo::new("/", "/"));
        let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["search/", "search/search.js"]);
    }
}

//! The search index, fed as the site is written: which pages it sees, the time it takes, and
//! the checks its files pass before they are written with the rest (all under the folder the
//! search plugin owns, which nothing else of the site may write into).

use std::time::{Duration, Instant};

use scrutiny_plugin::search::{Search, SearchIndex};

use crate::output::OutputFile;
use crate::plugin::{Page, SiteInfo};

/// What the search index did, for the build's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indexed {
    /// Pages indexed.
    pub pages: usize,
    /// Files of the index written.
    pub files: usize,
    /// Time spent indexing: feeding pages (beside the writing of others) and building the
    /// index.
    pub time: Duration,
}

/// Whether the index is fed `page`: an HTML page in the sitemap (not a superseded version, a
/// redirect, a data file or the not-found page).
pub(super) fn indexes(page: &Page) -> bool {
    page.is_templated() && page.indexed && page.path != "404.html"
}

/// The index of one build, with the time it has taken.
pub(super) struct Feed {
    index: Box<dyn SearchIndex>,
    time: Duration,
}

impl Feed {
    /// A new index from `search`.
    pub(super) fn start(search: &dyn Search, site: &SiteInfo) -> Result<Feed, String> {
        let started = Instant::now();
        let index = search.start(site)?;
        Ok(Feed {
            index,
            time: started.elapsed(),
        })
    }

    /// Feeds `pages`, as (site path, HTML), in their order.
    pub(super) fn add_all(&mut self, pages: Vec<(String, String)>) -> Result<(), String> {
        let started = Instant::now();
        for (path, html) in pages {
            self.index
                .add(&path, &html)
                .map_err(|e| format!("indexing /{path} for search: {e}"))?;
        }
        self.time += started.elapsed();
        Ok(())
    }

    /// Builds the index: its files, checked to lie in the search plugin's folder, each once,
    /// the entry file among them, sorted by path.
    pub(super) fn finish(self, search: &dyn Search) -> Result<(Vec<OutputFile>, Indexed), String> {
        let _step = crate::timings::Step::start("search index");
        let started = Instant::now();
        let built = self
            .index
            .finish()
            .map_err(|e| format!("building the search index: {e}"))?;
        let mut files: Vec<OutputFile> = built
            .files
            .into_iter()
            .map(|(path, bytes)| OutputFile { path, bytes })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        check_files(search, &files)?;
        let indexed = Indexed {
            pages: built.pages,
            files: files.len(),
            time: self.time + started.elapsed(),
        };
        Ok((files, indexed))
    }
}

/// No output of the site but the search index's may be written in its folder: `claimed` (the
/// site's, the plugins', the theme's and the aliases' paths) holds none there.
pub(super) fn check_folder(search: &dyn Search, claimed: &[String]) -> Result<(), String> {
    let folder = search.folder();
    match claimed.iter().find(|path| path.starts_with(folder)) {
        Some(path) => Err(format!(
            "/{path} would be written in /{folder}, the folder of the {} plugin's index; move or rename it (a theme's static file, or an alias)",
            search.name()
        )),
        None => Ok(()),
    }
}

/// The index's files, sorted by path: each a plain relative path under the search folder
/// (no `.`, `..` or empty part, no `\`), none twice, the entry file among them.
fn check_files(search: &dyn Search, files: &[OutputFile]) -> Result<(), String> {
    let folder = search.folder();
    for file in files {
        let rest = file.path.strip_prefix(folder);
        let plain = rest.is_some_and(|rest| {
            !file.path.contains('\\')
                && rest
                    .split('/')
                    .all(|part| !part.is_empty() && part != "." && part != "..")
        });
        if !plain {
            return Err(format!(
                "the {} plugin's index has a file at {:?}, which is not a plain path under /{folder}",
                search.name(),
                file.path
            ));
        }
    }
    if let Some(pair) = files.windows(2).find(|pair| pair[0].path == pair[1].path) {
        return Err(format!(
            "the {} plugin's index has two files at /{}",
            search.name(),
            pair[0].path
        ));
    }
    if !files.iter().any(|f| f.path == search.entry()) {
        return Err(format!(
            "the {} plugin's index has no /{}, which its pages load",
            search.name(),
            search.entry()
        ));
    }
    Ok(())
}

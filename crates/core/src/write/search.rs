//! The search index, made once every page is written: which pages it sees, the time it
//! takes, the cache that spares making it again for the same pages, and the checks its files
//! pass before they are written with the rest (all under the folder the search plugin owns,
//! which nothing else of the site may write into).

use std::time::{Duration, Instant};

use rayon::prelude::*;
use scrutiny_plugin::search::{IndexFiles, Search, SearchIndex};

use crate::cache::{Digest, Hasher, pack, unpack};
use crate::output::{OutputFile, Sink};
use crate::plugin::{Page, SiteInfo};

/// The cache entry the last index is kept in: the hash of its pages, how many it indexed, and
/// its files.
const ENTRY: &str = "search-index";

/// How many pages are read back from the written site at a time, in parallel, to be fed to
/// the index in order.
const BATCH: usize = 256;

/// What the search index did, for the build's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Indexed {
    /// Pages indexed.
    pub pages: usize,
    /// Files of the index written.
    pub files: usize,
    /// Time spent on the index: made, or taken from the cache.
    pub time: Duration,
    /// Whether the index was taken from the cache: the pages are those it was made of.
    pub reused: bool,
}

/// Whether the index is fed `page`: an HTML page in the sitemap (not a superseded version, a
/// redirect, a data file or the not-found page).
pub(super) fn indexes(page: &Page) -> bool {
    page.is_templated() && page.indexed && page.path != "404.html"
}

/// The index of `pages` (site path, hash of the page's bytes), read back from `sink` in the
/// order of their paths, so it depends on nothing but the pages: taken from the cache when it
/// was made of the same pages (by this scrutiny), else made and cached. Its files are checked
/// to lie in the search plugin's folder, each once, the entry file among them, sorted by path.
pub(super) fn index(
    search: &dyn Search,
    site: &SiteInfo,
    mut pages: Vec<(String, Digest)>,
    sink: &dyn Sink,
) -> Result<(Vec<OutputFile>, Indexed), String> {
    let _step = crate::timings::Step::start("search index");
    let started = Instant::now();
    pages.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut key = Hasher::new(search.name());
    for (path, digest) in &pages {
        key.part(path.as_bytes())
            .part(&digest.to_string().into_bytes());
    }
    let key = key.finish();
    let cached = sink
        .cache()
        .and_then(|cache| cached(&cache.read(ENTRY)?, &key));
    let reused = cached.is_some();
    let IndexFiles {
        files,
        pages: indexed_pages,
    } = match cached {
        Some(found) => found,
        None => {
            let made = make(search, site, &pages, sink)?;
            if let Some(cache) = sink.cache() {
                // Without it the next build makes the index again: slower, never wrong.
                let _ = cache.write(ENTRY, &entry(&key, made.pages, &made.files));
            }
            made
        }
    };
    let mut files: Vec<OutputFile> = files
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    check_files(search, &files)?;
    let indexed = Indexed {
        pages: indexed_pages,
        files: files.len(),
        time: started.elapsed(),
        reused,
    };
    Ok((files, indexed))
}

/// Makes the index: each page read back from `sink` (a batch at a time, in parallel) and fed
/// to it in order.
fn make(
    search: &dyn Search,
    site: &SiteInfo,
    pages: &[(String, Digest)],
    sink: &dyn Sink,
) -> Result<IndexFiles, String> {
    let mut index: Box<dyn SearchIndex> = search.start(site)?;
    for batch in pages.chunks(BATCH) {
        let read: Vec<(&str, String)> = batch
            .par_iter()
            .map(|(path, _)| {
                let bytes = sink.read(&super::output_path(path)).ok_or_else(|| {
                    format!("indexing /{path} for search: it cannot be read back")
                })?;
                Ok((path.as_str(), String::from_utf8_lossy(&bytes).into_owned()))
            })
            .collect::<Result<_, String>>()?;
        for (path, html) in read {
            index
                .add(path, &html)
                .map_err(|e| format!("indexing /{path} for search: {e}"))?;
        }
    }
    let built = index
        .finish()
        .map_err(|e| format!("building the search index: {e}"))?;
    Ok(built)
}

/// The cache entry of an index: its key, how many pages it indexed, and its files.
fn entry(key: &Digest, pages: usize, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut entry = key.to_string().into_bytes();
    entry.extend_from_slice(&(pages as u64).to_le_bytes());
    entry.extend_from_slice(&pack(files));
    entry
}

/// The index in the cache `entry`, if it was made of the pages `key` hashes.
fn cached(entry: &[u8], key: &Digest) -> Option<IndexFiles> {
    let (found, rest) = entry.split_at_checked(64)?;
    if Digest::parse(std::str::from_utf8(found).ok()?)? != *key {
        return None;
    }
    let (pages, files) = rest.split_at_checked(8)?;
    let pages = usize::try_from(u64::from_le_bytes(pages.try_into().ok()?)).ok()?;
    Some(IndexFiles {
        files: unpack(files)?,
        pages,
    })
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

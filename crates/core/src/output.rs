//! Where the built site goes: a [`Sink`] takes each file as it is rendered. [`Staging`] writes
//! them beside the output and changes the output only once the whole build has succeeded, and
//! then only where it differs ([`staging`]), keeping a manifest of what it wrote in the build
//! cache ([`manifest`]); [`Collect`] keeps them in memory, [`Discard`] drops them.

mod manifest;
pub mod staging;

use std::io;
use std::path::Path;

pub use staging::{Staging, Written, remove_unfinished};

/// A file of the built site: its path relative to the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with `/` separators: `reports/2022-23/q2/index.html`.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// The file at `path` (relative, `/` separators) holding `bytes`.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Where the collections of a build into `sink` keep their drafts until their pages are
/// composed: an unnamed file (it leaves nothing behind, even when the build fails) in the
/// sink's build cache, or beside the output before there is a cache; memory when the sink
/// has no cache (a build in memory, `scrutiny check`) or neither folder can be written.
pub fn draft_store(sink: &dyn Sink) -> scrutiny_plugin::store::DraftStore {
    use scrutiny_plugin::store::DraftStore;
    sink.cache()
        .and_then(|cache| {
            let dir = cache.dir();
            let beside_output = dir.parent().and_then(Path::parent);
            tempfile::tempfile_in(dir)
                .ok()
                .or_else(|| tempfile::tempfile_in(beside_output?).ok())
        })
        .map_or_else(DraftStore::in_memory, DraftStore::in_file)
}

/// The cache entry that holds what collections parsed ([`scrutiny_plugin::parsed`]).
const PARSED: &str = "parsed";

/// The parse cache of a build into `sink`: that of its output's cache folder, which a first
/// build (or `scrutiny check`, or a build in memory) has none of, so keeps none.
pub fn parse_cache(sink: &dyn Sink) -> scrutiny_plugin::parsed::ParseCache {
    use scrutiny_plugin::parsed::ParseCache;
    sink.cache()
        .filter(|cache| cache.dir().is_dir())
        .map_or_else(ParseCache::none, |cache| {
            ParseCache::open(&cache.dir().join(PARSED), crate::cache::binary_identity())
        })
}

/// A file the output holds as an earlier build made it from the same inputs
/// ([`Sink::keep_made`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The hash of its bytes.
    pub digest: crate::cache::Digest,
    /// The note that build kept with it ([`Sink::put_made`]).
    pub note: String,
}

/// Where rendered files go: a staging folder on disk, or memory. Called from many threads.
pub trait Sink: Sync {
    /// Accepts one file of the site.
    fn put(&self, file: OutputFile) -> Result<(), String>;

    /// Accepts one file made from inputs that hash to `key` (a page's render key), with a note
    /// of what making it found (one line), so that a later build from the same inputs may keep
    /// it as it is ([`Sink::keep_made`]) instead of making it again.
    fn put_made(
        &self,
        file: OutputFile,
        _key: crate::cache::Digest,
        _note: String,
    ) -> Result<(), String> {
        self.put(file)
    }

    /// Keeps the file at `path` as it is, when the output holds it as made by the last build
    /// from inputs that hash to `key`: what that build knew of it if so, and the file need not
    /// be made. `None` (the default) when it must be made and put.
    fn keep_made(&self, _path: &str, _key: &crate::cache::Digest) -> Option<Kept> {
        None
    }

    /// Whether the files are kept: not so for [`Discard`], for which the work of making a file
    /// only it needs (the search index) can be left undone.
    fn keeps_files(&self) -> bool {
        true
    }

    /// The bytes of a file put already, read back: for work done on the written site (the
    /// search index). `None` if the sink does not keep it.
    fn read(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }

    /// The cache of this output's builds, if it has one.
    fn cache(&self) -> Option<&crate::cache::Cache> {
        None
    }
}

/// Drops every file: for `scrutiny check`, which validates and writes nothing.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: OutputFile) -> Result<(), String> {
        Ok(())
    }

    fn keeps_files(&self) -> bool {
        false
    }
}

/// Keeps every file in memory, for callers that want the files.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>);

impl Collect {
    fn files(&self) -> std::sync::MutexGuard<'_, std::collections::BTreeMap<String, Vec<u8>>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let files = self
            .0
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files
            .into_iter()
            .map(|(path, bytes)| OutputFile { path, bytes })
            .collect()
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), String> {
        self.files().insert(file.path, file.bytes);
        Ok(())
    }

    fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.files().get(path).cloned()
    }
}

/// Hands every file on to another sink, keeping its path: what a build writes, to compare with
/// what an earlier build published ([`crate::previous`]).
pub struct Recording<'s> {
    inner: &'s dyn Sink,
    paths: std::sync::Mutex<Vec<String>>,
}

impl<'s> Recording<'s> {
    /// Records what is written to `inner`.
    pub fn new(inner: &'s dyn Sink) -> Self {
        Recording {
            inner,
            paths: Default::default(),
        }
    }

    /// The paths written, sorted.
    pub fn into_paths(self) -> Vec<String> {
        let mut paths = self
            .paths
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        paths.sort_unstable();
        paths
    }
}

impl Recording<'_> {
    fn record(&self, path: &str) {
        self.paths
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(path.to_string());
    }
}

impl Sink for Recording<'_> {
    fn put(&self, file: OutputFile) -> Result<(), String> {
        self.record(&file.path);
        self.inner.put(file)
    }

    fn put_made(
        &self,
        file: OutputFile,
        key: crate::cache::Digest,
        note: String,
    ) -> Result<(), String> {
        self.record(&file.path);
        self.inner.put_made(file, key, note)
    }

    fn keep_made(&self, path: &str, key: &crate::cache::Digest) -> Option<Kept> {
        let kept = self.inner.keep_made(path, key);
        if kept.is_some() {
            self.record(path);
        }
        kept
    }

    fn keeps_files(&self) -> bool {
        self.inner.keeps_files()
    }

    fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.inner.read(path)
    }

    fn cache(&self) -> Option<&crate::cache::Cache> {
        self.inner.cache()
    }
}

/// The file every scrutiny build writes; its presence tells us a folder is ours to replace.
pub const MARKER: &str = ".nojekyll";

/// Writes `files` as the new content of `out`, replacing what was there only once all is written.
pub fn write_site(out: &Path, files: &[OutputFile]) -> io::Result<Written> {
    let staging = Staging::new(out)?;
    for file in files {
        staging.put(file.clone()).map_err(io::Error::other)?;
    }
    staging.commit()
}

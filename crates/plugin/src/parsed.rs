//! The parse cache: what a collection parsed of a file in the last build, kept by a hash of all
//! the parse read ([`ParseCache::key`]), so that a file unchanged since is read back instead of
//! parsed again. A rebuild after one meeting changed parses that one.
//!
//! The core opens it from the build cache ([`ParseCache::open`]) for a build into an output
//! that holds a build already: a first build, and `scrutiny check`, keep none
//! ([`ParseCache::none`]), as nothing would read it. It is one file: entries one after the
//! other, then an index of them. A build appends what it parsed anew, then an index of the
//! entries it used, found or new ([`ParseCache::save`]); what no build uses any more is dropped
//! when the file is written anew, once it is mostly such. A build that fails cuts the file back
//! to what it was; one stopped outright may leave it unreadable, and the next parses everything.
//!
//! An entry is written with postcard, a compact form of what serde serializes. The file an
//! entry is of is not in it: every [`Location`](crate::diag::Location) read back is of the
//! file it is read back for ([`ParseCache::get`]).

use std::cell::Cell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::diag::FileId;

/// What an entry is kept by: a hash of all its parse read.
pub type Key = [u8; 32];

/// The last eight bytes of a cache file, after its index.
const MAGIC: &[u8; 8] = b"scrparse";

/// The parse cache of one build. See the [module](self).
pub struct ParseCache {
    /// Hashed into every key: the scrutiny that parsed.
    salt: Vec<u8>,
    /// The cache file, if the build keeps one.
    open: Option<Open>,
}

/// The cache file of a build: where the last build's entries are, and this build's go.
struct Open {
    path: PathBuf,
    /// The file, read from.
    file: File,
    /// Where each entry of the last build is in the file, by key: place and length.
    index: HashMap<Key, (u64, u64)>,
    /// This build's part of it.
    now: Mutex<Writing>,
}

/// What a build adds to the cache file, and which entries it used.
struct Writing {
    file: BufWriter<File>,
    /// The file's length before the build, where a build that fails cuts it back to.
    start: u64,
    len: u64,
    index: Vec<(Key, u64, u64)>,
    /// Whether a write failed: the file is then cut back.
    failed: bool,
    /// Whether the build saved its index: if not, the file is cut back when it ends.
    saved: bool,
}

thread_local! {
    /// The file whose entry is being read on this thread ([`ParseCache::get`]).
    static READING: Cell<FileId> = const { Cell::new(0) };
}

/// The file an entry read back on this thread is of: what a [`Location`](crate::diag::Location)
/// read back is of.
pub fn file_being_read() -> FileId {
    READING.with(Cell::get)
}

impl ParseCache {
    /// A cache that has nothing and keeps nothing.
    pub fn none() -> Self {
        ParseCache {
            salt: Vec::new(),
            open: None,
        }
    }

    /// The cache file at `path`, made if there is none; `salt` names the scrutiny that parses.
    /// A file that is not one is replaced. If it cannot be made, the build keeps nothing.
    pub fn open(path: &Path, salt: &str) -> Self {
        let mut cache = ParseCache {
            salt: salt.as_bytes().to_vec(),
            ..ParseCache::none()
        };
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .and_then(|mut file| {
                let index = read_index(&mut file).unwrap_or_else(|_| {
                    // Not a cache (or cut short): it starts again, empty.
                    let _ = file.set_len(0);
                    HashMap::new()
                });
                let len = file.seek(SeekFrom::End(0))?;
                let writer = BufWriter::with_capacity(1 << 20, file.try_clone()?);
                Ok((file, index, writer, len))
            });
        cache.open = opened.ok().map(|(file, index, writer, len)| Open {
            path: path.to_path_buf(),
            file,
            index,
            now: Mutex::new(Writing {
                file: writer,
                start: len,
                len,
                index: Vec::new(),
                failed: false,
                saved: false,
            }),
        });
        cache
    }

    /// Whether this build has a cache file, to find entries in and keep them: only then is
    /// it worth working out keys and making entries.
    pub fn keeps(&self) -> bool {
        self.open.is_some()
    }

    /// The key of a parse that read `parts` (the file's path and text, and everything else
    /// the result depends on), each part counted apart.
    pub fn key(&self, parts: &[&[u8]]) -> Key {
        // Gathered and hashed at once: BLAKE3 hashes a long input several chunks at a time.
        let all = std::iter::once(self.salt.as_slice()).chain(parts.iter().copied());
        let mut bytes = Vec::with_capacity(all.clone().map(|p| p.len() + 8).sum());
        for part in all {
            bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
            bytes.extend_from_slice(part);
        }
        *blake3::hash(&bytes).as_bytes()
    }

    /// The entry kept by `key` in the last build, read back as of `file`, and kept for the
    /// next build; `None` if there is none, or it does not read back.
    pub fn get<T: DeserializeOwned>(&self, key: &Key, file: FileId) -> Option<T> {
        let open = self.open.as_ref()?;
        let (at, len) = *open.index.get(key)?;
        let mut bytes = vec![0; usize::try_from(len).ok()?];
        read_at(&open.file, &mut bytes, at).ok()?;
        let value = READING.with(|reading| {
            reading.set(file);
            postcard::from_bytes(&bytes).ok()
        })?;
        let mut now = open.now.lock().unwrap_or_else(|p| p.into_inner());
        now.index.push((*key, at, len));
        Some(value)
    }

    /// Keeps `value` by `key` for the next build, if this one keeps entries.
    pub fn put<T: Serialize + ?Sized>(&self, key: Key, value: &T) {
        let Some(open) = &self.open else {
            return;
        };
        let Ok(bytes) = postcard::to_stdvec(value) else {
            return;
        };
        let mut now = open.now.lock().unwrap_or_else(|p| p.into_inner());
        if now.failed {
            return;
        }
        if now.file.write_all(&bytes).is_err() {
            now.failed = true;
            return;
        }
        let at = now.len;
        now.len += bytes.len() as u64;
        now.index.push((key, at, bytes.len() as u64));
    }

    /// Ends this build's part of the cache (after a build that succeeded) with the index of
    /// the entries it used, for the next build; or, when most of the file is entries no build
    /// uses any more, writes it anew with only those. A cache that cannot be written is cut
    /// back to what it was.
    pub fn save(self) {
        let Some(Open {
            path, file, now, ..
        }) = self.open
        else {
            return;
        };
        let mut now = now.into_inner().unwrap_or_else(|p| p.into_inner());
        if now.failed {
            return;
        }
        let live: u64 = now.index.iter().map(|(_, _, len)| len).sum();
        now.saved = if now.len > 2 * live + (1 << 20) {
            rewrite(&path, &file, &mut now).is_ok()
        } else {
            write_index(&mut now).is_ok()
        };
    }
}

impl Drop for Writing {
    /// A build that does not save leaves the file as it found it.
    fn drop(&mut self) {
        if !self.saved {
            let _ = self.file.flush();
            let _ = self.file.get_ref().set_len(self.start);
        }
    }
}

/// Writes the entries `now` used, and their index, to a new file that replaces the one at
/// `path`.
fn rewrite(path: &Path, earlier: &File, now: &mut Writing) -> io::Result<()> {
    now.file.flush()?;
    let fresh = path.with_extension(format!("{}.partial", std::process::id()));
    let written = (|| {
        let mut out = BufWriter::new(File::create(&fresh)?);
        let mut index = Vec::with_capacity(now.index.len());
        let mut len = 0;
        for (key, at, size) in &now.index {
            let mut bytes = vec![0; usize::try_from(*size).map_err(io::Error::other)?];
            read_at(earlier, &mut bytes, *at)?;
            out.write_all(&bytes)?;
            index.push((*key, len, *size));
            len += size;
        }
        out.write_all(&index_bytes(&index))?;
        out.flush()?;
        std::fs::rename(&fresh, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&fresh);
        return written;
    }
    // The old file is gone: nothing to cut back.
    now.start = 0;
    Ok(())
}

/// Ends the file with the index of the entries `now` used.
fn write_index(now: &mut Writing) -> io::Result<()> {
    let tail = index_bytes(&now.index);
    now.file.write_all(&tail)?;
    now.file.flush()
}

/// An index: each entry's key, place and length, their count, [`MAGIC`].
fn index_bytes(index: &[(Key, u64, u64)]) -> Vec<u8> {
    let mut tail = Vec::with_capacity(index.len() * 48 + 16);
    for (key, at, len) in index {
        tail.extend_from_slice(key);
        tail.extend_from_slice(&at.to_le_bytes());
        tail.extend_from_slice(&len.to_le_bytes());
    }
    tail.extend_from_slice(&(index.len() as u64).to_le_bytes());
    tail.extend_from_slice(MAGIC);
    tail
}

/// The index [`write_index`] wrote at the end of `file`.
fn read_index(file: &mut File) -> io::Result<HashMap<Key, (u64, u64)>> {
    let bad = || io::Error::other("not a parse cache");
    let size = file.seek(SeekFrom::End(0))?;
    let mut end = [0u8; 16];
    read_at(file, &mut end, size.checked_sub(16).ok_or_else(bad)?)?;
    if &end[8..] != MAGIC {
        return Err(bad());
    }
    let count = u64::from_le_bytes(end[..8].try_into().map_err(|_| bad())?);
    let table = count.checked_mul(48).ok_or_else(bad)?;
    let start = size.checked_sub(16 + table).ok_or_else(bad)?;
    let mut bytes = vec![0u8; usize::try_from(table).map_err(|_| bad())?];
    read_at(file, &mut bytes, start)?;
    let mut index = HashMap::with_capacity(bytes.len() / 48);
    for entry in bytes.chunks_exact(48) {
        let number =
            |r: std::ops::Range<usize>| u64::from_le_bytes(entry[r].try_into().unwrap_or_default());
        let (at, len) = (number(32..40), number(40..48));
        if at.checked_add(len).is_none_or(|end| end > start) {
            return Err(bad());
        }
        let mut key = [0u8; 32];
        key.copy_from_slice(&entry[..32]);
        index.insert(key, (at, len));
    }
    Ok(index)
}

/// Reads `bytes.len()` bytes of `file` from `at`.
#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(not(unix))]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    use std::io::Read;
    let mut file = file.try_clone()?;
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Parsed {
        title: String,
        at: crate::diag::Location,
    }

    #[test]
    fn what_one_build_parsed_the_next_reads_back_as_of_its_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parsed");
        let first = ParseCache::open(&path, "scrutiny 1");
        assert!(first.keeps());
        let key = first.key(&[b"content/minutes/a.md", b"# A"]);
        assert_ne!(key, first.key(&[b"content/minutes/a.md", b"# B"]));
        assert_ne!(key, first.key(&[b"content/minutes/a.md#", b" A"]));
        assert!(first.get::<Parsed>(&key, 3).is_none());
        let parsed = Parsed {
            title: "A".into(),
            at: crate::diag::Location::new(3, 4..9),
        };
        first.put(key, &parsed);
        first.save();

        let second = ParseCache::open(&path, "scrutiny 1");
        // Read back as of file 7: the file it is read for now.
        let back: Parsed = second.get(&key, 7).expect("kept");
        assert_eq!(back.title, "A");
        assert_eq!(back.at, crate::diag::Location::new(7, 4..9));
        // Found again, it is kept for the build after; what was not found is not.
        let other = second.key(&[b"content/minutes/b.md", b"# B"]);
        second.put(
            other,
            &Parsed {
                title: "B".into(),
                at: crate::diag::Location::new(1, 0..1),
            },
        );
        second.save();
        let third = ParseCache::open(&path, "scrutiny 1");
        assert!(third.get::<Parsed>(&other, 1).is_some());
        third.save();
        let fourth = ParseCache::open(&path, "scrutiny 1");
        assert!(
            fourth.get::<Parsed>(&key, 1).is_none(),
            "an entry no build used stayed"
        );
        assert_eq!(fourth.get::<Parsed>(&other, 2).unwrap().title, "B");
        // A build that does not save (it failed) leaves the file as it was.
        let size = std::fs::metadata(&path).unwrap().len();
        fourth.put(key, &parsed);
        drop(fourth);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), size);
        // Another scrutiny's keys are others.
        let another = ParseCache::open(&path, "scrutiny 2");
        assert!(
            another
                .get::<Parsed>(&another.key(&[b"content/minutes/b.md", b"# B"]), 1)
                .is_none()
        );
    }

    #[test]
    fn a_file_mostly_of_entries_no_build_uses_is_written_anew() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parsed");
        let big = "x".repeat(1 << 20);
        for n in 0..4u8 {
            let cache = ParseCache::open(&path, "s");
            cache.put(cache.key(&[&[n]]), &big);
            cache.save();
        }
        // Each build used only its own entry: the file holds the last one, not four.
        let size = std::fs::metadata(&path).unwrap().len();
        assert!(size < 3 << 20, "{size} bytes");
        let cache = ParseCache::open(&path, "s");
        assert_eq!(
            cache.get::<String>(&cache.key(&[&[3]]), 0).as_deref(),
            Some(big.as_str())
        );
        assert!(cache.get::<String>(&cache.key(&[&[0]]), 0).is_none());
    }

    #[test]
    fn a_damaged_cache_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parsed");
        for bytes in [
            &b""[..],
            b"scrparse",
            b"garbage that is long enough to be read",
        ] {
            std::fs::write(&path, bytes).unwrap();
            let cache = ParseCache::open(&path, "s");
            assert!(cache.get::<String>(&cache.key(&[b"a"]), 0).is_none());
            // It starts again, empty.
            assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
        }
        assert!(ParseCache::none().get::<String>(&[0; 32], 0).is_none());
        assert!(!ParseCache::none().keeps());
    }
}

//! What the last build wrote, so the next need not write it again: the manifest (each file's
//! content hash, with the size, modification time and inode the file had when written), kept in
//! the build cache, and what the output folder holds now ([`OnDisk`]).
//!
//! A file of the output is taken to hold the bytes the manifest records only while it is exactly
//! as the build left it: same size, same modification time (to the nanosecond), same inode. A
//! file edited, replaced or touched by anything else since is written again, as is every file
//! when the manifest is missing, unreadable or from another scrutiny.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::Path;

use crate::cache::{Cache, Digest, binary_identity};

/// The cache entry the manifest is kept in.
const ENTRY: &str = "manifest";

/// How a file stood on disk: enough to tell it was changed since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    len: u64,
    modified: i128,
    inode: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub(crate) fn of(metadata: &fs::Metadata) -> Stamp {
        let modified = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(-1, |d| i128::try_from(d.as_nanos()).unwrap_or(-1));
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(metadata);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp {
            len: metadata.len(),
            modified,
            inode,
        }
    }
}

/// What made a file, when the build that wrote it says: the hash of everything it was made
/// from (a page's render key), and a note kept with it (what making it found, which a build
/// that keeps the file must still know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Made {
    pub(crate) key: Digest,
    pub(crate) note: String,
}

/// What the manifest records of one file: the hash of its bytes, its stamp as written, and
/// what made it, if that is known.
#[derive(Debug, Clone, PartialEq)]
struct Recorded {
    digest: Digest,
    stamp: Stamp,
    made: Option<Made>,
}

/// Each file the last build wrote, by its path.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Manifest(HashMap<String, Recorded>);

impl Manifest {
    /// The manifest in `cache`: empty if there is none, or it is not one this scrutiny wrote.
    pub(crate) fn load(cache: &Cache) -> Manifest {
        cache
            .read(ENTRY)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| Manifest::parse(&text))
            .unwrap_or_default()
    }

    /// Records `path` as holding `digest`, stamped `stamp`, made as `made` says. A path that
    /// cannot be written on a line of its own is not recorded (its file is written every time),
    /// nor what made a file whose note cannot (it is made every time).
    pub(crate) fn insert(
        &mut self,
        path: String,
        digest: Digest,
        stamp: Stamp,
        made: Option<Made>,
    ) {
        let on_a_line = |text: &str| !text.contains(['\n', '\r', '\t']);
        if on_a_line(&path) {
            let made = made.filter(|m| on_a_line(&m.note));
            self.0.insert(
                path,
                Recorded {
                    digest,
                    stamp,
                    made,
                },
            );
        }
    }

    /// Saves the manifest in `cache`.
    pub(crate) fn save(&self, cache: &Cache) -> io::Result<()> {
        cache.write(ENTRY, self.to_text().as_bytes())
    }

    /// Removes the manifest from `cache`: done before the output changes, so a build that
    /// stops while changing it leaves no manifest to vouch for what it did not finish.
    pub(crate) fn forget(cache: &Cache) -> io::Result<()> {
        cache.remove(ENTRY)
    }

    /// The manifest as text: a first line naming the scrutiny that wrote it, then a line per
    /// file, sorted: `hash size modified inode key note path`, tab-separated, the key `-` and
    /// the note empty when what made the file is not known.
    fn to_text(&self) -> String {
        let mut lines: Vec<String> = self
            .0
            .iter()
            .map(|(path, r)| {
                let (key, note) = r
                    .made
                    .as_ref()
                    .map_or(("-".to_string(), ""), |m| (m.key.to_string(), &m.note));
                let s = &r.stamp;
                format!(
                    "{}\t{}\t{}\t{}\t{key}\t{note}\t{path}\n",
                    r.digest, s.len, s.modified, s.inode
                )
            })
            .collect();
        lines.sort_unstable();
        format!("{}\n{}", header(), lines.concat())
    }

    /// Reads [`Manifest::to_text`]; `None` for anything else.
    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != header() {
            return None;
        }
        let mut files = HashMap::new();
        for line in lines {
            let mut fields = line.splitn(7, '\t');
            let digest = Digest::parse(fields.next()?)?;
            let stamp = Stamp {
                len: fields.next()?.parse().ok()?,
                modified: fields.next()?.parse().ok()?,
                inode: fields.next()?.parse().ok()?,
            };
            let key = fields.next()?;
            let note = fields.next()?;
            let made = match key {
                "-" => None,
                key => Some(Made {
                    key: Digest::parse(key)?,
                    note: note.to_string(),
                }),
            };
            let recorded = Recorded {
                digest,
                stamp,
                made,
            };
            files.insert(fields.next()?.to_string(), recorded);
        }
        Some(Manifest(files))
    }
}

/// The manifest's first line.
fn header() -> String {
    format!("scrutiny output manifest 2; {}", binary_identity())
}

/// What the manifest vouches for of a file as it is: the hash of its bytes, and what made it.
type Known = (Digest, Option<Made>);

/// What the output folder holds before the build: every file (with the hash of its bytes, and
/// what made it, when the manifest vouches for them) and every folder, as relative paths
/// with `/`.
#[derive(Debug, Default)]
pub(crate) struct OnDisk {
    /// Each file, and the hash of its bytes (with what made it) when they are known.
    files: HashMap<String, (Stamp, Option<Known>)>,
    /// Each folder, the output's own aside.
    folders: HashSet<String>,
    /// Whatever else is there (a symbolic link, a socket), to be removed.
    others: Vec<String>,
    /// How many files the manifest records.
    recorded: usize,
}

impl OnDisk {
    /// Reads the folder `out` (nothing if there is none), trusting what `manifest` records of
    /// the files as they are.
    pub(crate) fn read(out: &Path, mut manifest: Manifest) -> io::Result<OnDisk> {
        let mut on_disk = OnDisk {
            recorded: manifest.0.len(),
            ..OnDisk::default()
        };
        if !out.is_dir() {
            return Ok(on_disk);
        }
        for entry in scan(out, "")? {
            match entry {
                Entry::Folder(path) => {
                    on_disk.folders.insert(path);
                }
                Entry::File(path, stamp) => {
                    let known = manifest
                        .0
                        .remove(&path)
                        .filter(|recorded| recorded.stamp == stamp)
                        .map(|recorded| (recorded.digest, recorded.made));
                    on_disk.files.insert(path, (stamp, known));
                }
                Entry::Other(path) => on_disk.others.push(path),
            }
        }
        Ok(on_disk)
    }

    /// Whether the file at `path` is known to hold the bytes hashed `digest`; its stamp if so.
    pub(crate) fn holds(&self, path: &str, digest: &Digest) -> Option<Stamp> {
        match self.files.get(path) {
            Some((stamp, Some((known, _)))) if known == digest => Some(*stamp),
            _ => None,
        }
    }

    /// Whether the file at `path` is known to have been made from what hashes to `key`: its
    /// stamp, the hash of its bytes and what made it if so.
    pub(crate) fn made(&self, path: &str, key: &Digest) -> Option<(Stamp, Digest, &Made)> {
        match self.files.get(path) {
            Some((stamp, Some((digest, Some(made))))) if made.key == *key => {
                Some((*stamp, *digest, made))
            }
            _ => None,
        }
    }

    /// Whether any file's bytes are known: if none are, the build writes every file.
    pub(crate) fn knows_any(&self) -> bool {
        self.files.values().any(|(_, digest)| digest.is_some())
    }

    /// When the folder holds exactly what the manifest records, each file as it was written,
    /// and no folder but theirs: how many files.
    pub(crate) fn as_written(&self) -> Option<usize> {
        let exact = self.recorded > 0
            && self.files.len() == self.recorded
            && self.others.is_empty()
            && self.files.values().all(|(_, digest)| digest.is_some());
        // No folder the files are not in: a clean build makes none.
        let (_, stray_folders) =
            exact.then(|| self.not_in(&self.files.keys().map(String::as_str).collect()))?;
        stray_folders.is_empty().then_some(self.recorded)
    }

    /// Whether the folder `path` is there.
    pub(crate) fn has_folder(&self, path: &str) -> bool {
        self.folders.contains(path)
    }

    /// What is there that is not in `kept` (the paths of the files the build produced) or a
    /// folder of them: the files and other entries to remove, and the folders, outermost
    /// first, each only once (a folder removed takes what is in it).
    pub(crate) fn not_in(&self, kept: &HashSet<&str>) -> (Vec<&str>, Vec<&str>) {
        let mut needed: HashSet<&str> = HashSet::new();
        for path in kept {
            let mut rest = *path;
            while let Some((folder, _)) = rest.rsplit_once('/') {
                if !needed.insert(folder) {
                    break;
                }
                rest = folder;
            }
        }
        let mut folders: Vec<&str> = self
            .folders
            .iter()
            .map(String::as_str)
            .filter(|f| !needed.contains(f))
            .collect();
        folders.sort_unstable();
        // Outermost first: a folder inside one already listed goes with it.
        let mut outermost: Vec<&str> = Vec::new();
        for folder in folders {
            let inside = outermost.last().is_some_and(|outer| {
                folder
                    .strip_prefix(outer)
                    .is_some_and(|r| r.starts_with('/'))
            });
            if !inside {
                outermost.push(folder);
            }
        }
        let in_removed = |path: &str| {
            outermost
                .iter()
                .any(|f| path.strip_prefix(f).is_some_and(|r| r.starts_with('/')))
        };
        let mut files: Vec<&str> = self
            .files
            .keys()
            .map(String::as_str)
            .chain(self.others.iter().map(String::as_str))
            .filter(|p| !kept.contains(p) && !in_removed(p))
            .collect();
        files.sort_unstable();
        (files, outermost)
    }

    /// How many entries of the folder [`OnDisk::not_in`] would remove: files and other entries
    /// not kept, wherever they are.
    pub(crate) fn count_not_in(&self, kept: &HashSet<&str>) -> usize {
        let files = self.files.keys().filter(|p| !kept.contains(p.as_str()));
        files.count() + self.others.len()
    }
}

/// One entry of the output folder, by its path relative to the folder, with `/`.
enum Entry {
    Folder(String),
    File(String, Stamp),
    /// A symbolic link, a socket: anything that is neither.
    Other(String),
}

/// Every entry under `dir` (at `rel` in the output), its folders read in parallel: thousands of
/// meetings make thousands of folders. A name that is not valid UTF-8 is no path of the site:
/// it is left alone, and what is in it.
fn scan(dir: &Path, rel: &str) -> io::Result<Vec<Entry>> {
    use rayon::prelude::*;
    let mut entries = Vec::new();
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            entries.push(Entry::Folder(path.clone()));
            folders.push((entry.path(), path));
        } else if kind.is_file() {
            entries.push(Entry::File(path, Stamp::of(&entry.metadata()?)));
        } else {
            entries.push(Entry::Other(path));
        }
    }
    let inside: Vec<Vec<Entry>> = folders
        .par_iter()
        .map(|(folder, path)| scan(folder, path))
        .collect::<io::Result<_>>()?;
    entries.extend(inside.into_iter().flatten());
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(n: u64) -> Stamp {
        Stamp {
            len: n,
            modified: i128::from(n) * 1_000,
            inode: n + 7,
        }
    }

    #[test]
    fn a_manifest_reads_back_what_it_saves() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::beside(&dir.path().join("public"));
        let mut manifest = Manifest::default();
        manifest.insert("index.html".into(), Digest::of(b"a"), stamp(1), None);
        let made = |note: &str| {
            Some(Made {
                key: Digest::of(b"inputs"),
                note: note.into(),
            })
        };
        manifest.insert(
            "reports/x y/index.html".into(),
            Digest::of(b"b"),
            stamp(2),
            made("UASC LAC"),
        );
        manifest.insert(
            "empty-note.html".into(),
            Digest::of(b"d"),
            stamp(4),
            made(""),
        );
        manifest.insert(
            "bad-note.html".into(),
            Digest::of(b"e"),
            stamp(5),
            made("a\tb"),
        );
        manifest.insert("bad\nname".into(), Digest::of(b"c"), stamp(3), None);
        manifest.save(&cache).unwrap();
        let loaded = Manifest::load(&cache);
        assert_eq!(loaded.0.len(), 4);
        assert_eq!(loaded, manifest);
        assert_eq!(
            loaded.0["bad-note.html"].made, None,
            "a note that is not one line"
        );
        assert_eq!(loaded.0["empty-note.html"].made, made(""));
        Manifest::forget(&cache).unwrap();
        assert_eq!(Manifest::load(&cache), Manifest::default());
    }

    #[test]
    fn a_manifest_from_another_scrutiny_or_damaged_is_not_trusted() {
        let line = format!("{}\t1\t2\t3\t-\t\tindex.html", Digest::of(b"a"));
        assert!(Manifest::parse(&format!("{}\n{line}\n", header())).is_some());
        let other = format!("scrutiny output manifest 2; scrutiny 0.0.1 1 2\n{line}\n");
        assert_eq!(Manifest::parse(&other), None);
        let damaged = format!("{}\n{}\n", header(), &line[..line.len() - 12]);
        assert_eq!(Manifest::parse(&damaged), None);
    }

    #[test]
    fn only_files_as_they_were_written_are_vouched_for() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("a/b")).unwrap();
        fs::write(out.join("a/b/kept.html"), "kept").unwrap();
        fs::write(out.join("a/edited.html"), "edited").unwrap();
        fs::write(out.join("stray.html"), "stray").unwrap();
        let mut manifest = Manifest::default();
        for (path, bytes) in [("a/b/kept.html", "kept"), ("a/edited.html", "edited")] {
            let metadata = fs::metadata(out.join(path)).unwrap();
            let made = Made {
                key: Digest::of(path.as_bytes()),
                note: String::new(),
            };
            manifest.insert(
                path.into(),
                Digest::of(bytes.as_bytes()),
                Stamp::of(&metadata),
                Some(made),
            );
        }
        // Edited by hand after the build, same size.
        fs::write(out.join("a/edited.html"), "EDITED").unwrap();
        let on_disk = OnDisk::read(&out, manifest).unwrap();
        assert!(
            on_disk
                .holds("a/b/kept.html", &Digest::of(b"kept"))
                .is_some()
        );
        assert!(
            on_disk
                .holds("a/b/kept.html", &Digest::of(b"new"))
                .is_none()
        );
        assert!(
            on_disk
                .holds("a/edited.html", &Digest::of(b"edited"))
                .is_none()
        );
        assert!(on_disk.holds("stray.html", &Digest::of(b"stray")).is_none());
        let kept_key = Digest::of(b"a/b/kept.html");
        let made = on_disk.made("a/b/kept.html", &kept_key);
        assert_eq!(made.map(|(_, digest, _)| digest), Some(Digest::of(b"kept")));
        assert!(
            on_disk
                .made("a/b/kept.html", &Digest::of(b"other"))
                .is_none()
        );
        let edited_key = Digest::of(b"a/edited.html");
        assert!(
            on_disk.made("a/edited.html", &edited_key).is_none(),
            "edited by hand"
        );
        assert!(on_disk.knows_any() && on_disk.has_folder("a/b"));
    }

    #[test]
    fn what_the_build_no_longer_writes_is_listed_outermost_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for folder in ["gone/deep/er", "kept/gone", "kept/here"] {
            fs::create_dir_all(out.join(folder)).unwrap();
        }
        for file in [
            "gone/deep/er/a.html",
            "gone/b.html",
            "kept/gone/c.html",
            "kept/here/index.html",
            "kept/old.html",
            "index.html",
        ] {
            fs::write(out.join(file), "x").unwrap();
        }
        let on_disk = OnDisk::read(&out, Manifest::default()).unwrap();
        let kept: HashSet<&str> = ["index.html", "kept/here/index.html", "new/index.html"]
            .into_iter()
            .collect();
        let (files, folders) = on_disk.not_in(&kept);
        assert_eq!(files, ["kept/old.html"]);
        assert_eq!(folders, ["gone", "kept/gone"]);
        assert_eq!(on_disk.count_not_in(&kept), 4);
    }
}

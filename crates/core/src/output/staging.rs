//! Writing a build into its output folder without ever leaving it half old, half new after a
//! failed build, and without writing again what is on disk already.
//!
//! Files go, as they are rendered, to a fresh staging folder beside the output; a file whose
//! bytes the output already holds (so the manifest of the last build says, [`super::manifest`])
//! is not written at all. Only when the whole build has succeeded does [`Staging::commit`]
//! change the output: in place, renaming each new or changed file into it and removing what the
//! build no longer produces; or, when nothing of the output is known to be current (a first
//! build, a lost cache), by swapping the staging folder in whole, in two renames.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::manifest::{Made, Manifest, OnDisk, Stamp};
use super::{Kept, MARKER, OutputFile, Sink};
use crate::cache::{Cache, Digest};

/// What a build did to its output folder, file by file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Written {
    /// Files written: new, or changed since the last build.
    pub written: usize,
    /// Files whose bytes were on disk already, left as they were.
    pub unchanged: usize,
    /// Files (and other entries) removed: the build no longer produces them.
    pub removed: usize,
}

/// A file the build produced: where, its hash, its stamp on disk, whether it was written (to
/// the staging folder) or is on disk already, and what made it, when that is known.
struct Produced {
    path: String,
    digest: Digest,
    stamp: Stamp,
    written: bool,
    made: Option<Made>,
}

/// A fresh folder beside the output that new and changed files are written into as they are
/// rendered; the output takes them on [`Staging::commit`], and the folder is removed if the
/// build fails.
///
/// One build of an output runs at a time: each holds a lock on the output's cache folder
/// (which the first build makes, so a failed first build leaves nothing behind) for as long as
/// it runs, and the next waits for it. A build that is stopped can leave its staging
/// folder behind: one killed outright (`kill -9`, a power cut) cannot help it. So each staging
/// folder has a lock file beside it, held for as long as its build runs, and the next build of
/// the same output removes every staging folder whose lock nobody holds ([`Staging::new`]). A
/// build stopped by SIGINT or SIGTERM removes its own folders at once, when the program calls
/// [`remove_unfinished`] from its handler.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Where the previous output goes while the new one takes its place, when swapped whole.
    old: PathBuf,
    /// The lock file, held open and locked while the build runs.
    lock_path: PathBuf,
    _lock: fs::File,
    /// The output's lock (its cache folder, locked), held while the build runs: one build of
    /// an output at a time. None before the first build has made the folder.
    _output_lock: Option<fs::File>,
    committed: bool,
    /// Folders made so far (relative paths), so each is made once, by the first file into it.
    folders: Mutex<HashSet<String>>,
    cache: Cache,
    /// What the output holds before the build.
    on_disk: OnDisk,
    /// Every file the build produced, in the order they came.
    produced: Mutex<Vec<Produced>>,
}

impl Staging {
    /// Prepares to update `out`. Refuses a non-empty folder that is not a scrutiny build (has
    /// no [`MARKER`]), so a mistyped `--out` cannot delete someone's files. Waits for another
    /// build of `out` to end; removes what builds of `out` that were stopped left behind; reads
    /// what `out` holds, and what the last build's manifest says of it.
    pub fn new(out: &Path) -> io::Result<Staging> {
        if out.exists() && !out.join(MARKER).exists() && fs::read_dir(out)?.next().is_some() {
            return Err(io::Error::other(format!(
                "refusing to replace {}: it is not empty and is not a scrutiny build (no {MARKER}); choose another --out",
                out.display()
            )));
        }
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        fs::create_dir_all(&parent)?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let cache = Cache::beside(out);
        let output_lock = lock_folder(cache.dir())?;
        remove_stale(&parent, &name);
        // The lock first, then the folder: a folder never stands without its lock held.
        let (id, lock_path, lock) = loop {
            let id = format!(
                "{}-{}",
                std::process::id(),
                NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            );
            let path = parent.join(format!(".{name}.lock-{id}"));
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => break (id, path, file),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        };
        // Unreadable: nothing of it is trusted, and the build replaces it whole.
        let reading = crate::timings::Step::start("output and manifest read");
        let on_disk = OnDisk::read(out, Manifest::load(&cache)).unwrap_or_default();
        drop(reading);
        let staging = Staging {
            out: out.to_path_buf(),
            dir: parent.join(format!(".{name}.new-{id}")),
            old: parent.join(format!(".{name}.old-{id}")),
            lock_path,
            _lock: lock,
            _output_lock: output_lock,
            committed: false,
            folders: Default::default(),
            cache,
            on_disk,
            produced: Default::default(),
        };
        // Another build may be looking at this new lock this very moment: wait for it.
        staging._lock.lock()?;
        unfinished().push(vec![staging.dir.clone(), staging.lock_path.clone()]);
        fs::create_dir(&staging.dir)?;
        Ok(staging)
    }

    /// The cache of the output's builds.
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// What the last build of the output said, when it found `inputs` ([`crate::fresh`]) and the
    /// output is exactly as it left it (every file it wrote there, unchanged, and nothing
    /// else): then there is nothing to do. Its search index is the one it made.
    pub fn up_to_date(&self, inputs: &crate::fresh::Inputs) -> Option<crate::BuildSummary> {
        let files = self.on_disk.as_written()?;
        let mut summary = crate::fresh::Record::find(&self.cache, inputs)?;
        let produced = summary.output.map(|o| o.written + o.unchanged);
        (produced == Some(files)).then_some(())?;
        summary.output = Some(Written {
            written: 0,
            unchanged: files,
            removed: 0,
        });
        if let Some(search) = &mut summary.search {
            search.reused = true;
            search.time = std::time::Duration::ZERO;
        }
        summary.up_to_date = true;
        Some(summary)
    }

    /// Makes the output what was produced: in place when some of it is known to be current
    /// already, else by swapping the staging folder in whole. Then saves the manifest.
    pub fn commit(mut self) -> io::Result<Written> {
        // Held while the output changes: an interrupt waits for it to end.
        let mut live = unfinished();
        let produced = std::mem::take(
            &mut *self
                .produced
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        let kept: HashSet<&str> = produced.iter().map(|p| p.path.as_str()).collect();
        let written = produced.iter().filter(|p| p.written).count();
        let done = Manifest::forget(&self.cache).and_then(|()| {
            if self.on_disk.knows_any() {
                self.update_in_place(&produced, &kept)
            } else {
                let removed = self.on_disk.count_not_in(&kept);
                swap(&self.dir, &self.out, &self.old).map(|()| removed)
            }
        });
        self.committed = done.is_ok();
        live.retain(|paths| paths.first() != Some(&self.dir));
        drop(live);
        let removed = done?;
        let unchanged = kept.len() - written;
        drop(kept);
        let mut manifest = Manifest::default();
        for p in produced {
            manifest.insert(p.path, p.digest, p.stamp, p.made);
        }
        // Without its manifest the next build writes every file: slower, never wrong.
        let _ = manifest.save(&self.cache);
        Ok(Written {
            written,
            unchanged,
            removed,
        })
    }

    /// Removes from the output what the build no longer produces, then renames each file
    /// written into place. Gives how many entries were removed.
    fn update_in_place(&self, produced: &[Produced], kept: &HashSet<&str>) -> io::Result<usize> {
        let (files, folders) = self.on_disk.not_in(kept);
        let removed = self.on_disk.count_not_in(kept);
        for file in files {
            ignore_missing(fs::remove_file(self.out.join(file)))?;
        }
        for folder in folders {
            ignore_missing(fs::remove_dir_all(self.out.join(folder)))?;
        }
        let mut written: Vec<&str> = produced
            .iter()
            .filter(|p| p.written)
            .map(|p| p.path.as_str())
            .collect();
        written.sort_unstable();
        let mut made = HashSet::new();
        for path in &written {
            if let Some((folder, _)) = path.rsplit_once('/')
                && !self.on_disk.has_folder(folder)
                && made.insert(folder)
            {
                fs::create_dir_all(self.out.join(folder))?;
            }
        }
        written
            .par_iter()
            .try_for_each(|path| fs::rename(self.dir.join(path), self.out.join(path)))?;
        fs::remove_dir_all(&self.dir)?;
        Ok(removed)
    }

    /// Records a file produced.
    fn produced(&self, file: Produced) {
        self.produced
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(file);
    }

    /// Writes one file made as `made` says (if that is known), unless the output holds its
    /// bytes already.
    fn put_file(&self, file: OutputFile, made: Option<Made>) -> Result<(), String> {
        if INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed) {
            return Err("the build was interrupted".to_string());
        }
        let digest = Digest::of(&file.bytes);
        let (stamp, written) = match self.on_disk.holds(&file.path, &digest) {
            Some(stamp) => (stamp, false),
            None => {
                let stamp = self
                    .write(&file.path, &file.bytes)
                    .map_err(|e| format!("writing {}: {e}", file.path))?;
                (stamp, true)
            }
        };
        self.produced(Produced {
            path: file.path,
            digest,
            stamp,
            written,
            made,
        });
        Ok(())
    }

    /// Writes `bytes` at `path` in the staging folder, making its folder first if it is the
    /// folder's first file: folders are made by whichever thread writes into them first, while
    /// the other threads render. Gives the file's stamp.
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<Stamp> {
        if let Some((folder, _)) = path.rsplit_once('/') {
            let new = self
                .folders
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .insert(folder.to_string());
            if new {
                fs::create_dir_all(self.dir.join(folder))?;
            }
        }
        let full = self.dir.join(path);
        let write = || -> io::Result<Stamp> {
            let mut file = fs::File::create(&full)?;
            file.write_all(bytes)?;
            Ok(Stamp::of(&file.metadata()?))
        };
        match write() {
            // Another thread is making the folder at this moment.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(folder) = full.parent() {
                    fs::create_dir_all(folder)?;
                }
                write()
            }
            written => written,
        }
    }
}

impl Sink for Staging {
    /// Writes one file, unless the output holds its bytes already.
    fn put(&self, file: OutputFile) -> Result<(), String> {
        self.put_file(file, None)
    }

    fn put_made(&self, file: OutputFile, key: Digest, note: String) -> Result<(), String> {
        self.put_file(file, Some(Made { key, note }))
    }

    /// Keeps the file at `path` as it is when the last build made it from what hashes to
    /// `key`, and the output holds it as that build wrote it.
    fn keep_made(&self, path: &str, key: &Digest) -> Option<Kept> {
        let (stamp, digest, made) = self.on_disk.made(path, key)?;
        let kept = Kept {
            digest,
            note: made.note.clone(),
        };
        self.produced(Produced {
            path: path.to_string(),
            digest,
            stamp,
            written: false,
            made: Some(made.clone()),
        });
        Some(kept)
    }

    /// Reads a file back: from the staging folder if it was written there, else from the
    /// output, which holds it already.
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        fs::read(self.dir.join(path))
            .or_else(|_| fs::read(self.out.join(path)))
            .ok()
    }

    fn cache(&self) -> Option<&Cache> {
        Some(&self.cache)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
        // Left only if removing the previous output failed after the swap.
        let _ = fs::remove_dir_all(&self.old);
        let _ = fs::remove_file(&self.lock_path);
        unfinished().retain(|paths| paths.first() != Some(&self.dir));
    }
}

/// Locks `folder`, waiting for whoever holds it: `None` if there is no such folder.
fn lock_folder(folder: &Path) -> io::Result<Option<fs::File>> {
    let opened = match fs::File::open(folder) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        opened => opened?,
    };
    opened.lock()?;
    Ok(Some(opened))
}

/// `Ok` for a file that is already gone.
fn ignore_missing(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Numbers the staging folders a process makes, after its process id.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Set once the program is being stopped: writing into staging folders stops.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The staging folders (with their lock files) of the builds running in this process.
static UNFINISHED: std::sync::Mutex<Vec<Vec<PathBuf>>> = std::sync::Mutex::new(Vec::new());

fn unfinished() -> std::sync::MutexGuard<'static, Vec<Vec<PathBuf>>> {
    UNFINISHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes the staging folder of every build running in this process, and stops them writing:
/// for a SIGINT or SIGTERM handler, just before the program exits. A build whose new output is
/// being swapped into place is let finish the swap first, so the output is never left missing.
/// Gives how many builds were stopped.
pub fn remove_unfinished() -> usize {
    INTERRUPTED.store(true, std::sync::atomic::Ordering::Relaxed);
    let live = std::mem::take(&mut *unfinished());
    let stopped = live.len();
    for paths in live {
        for path in paths {
            // Threads still writing can add a file while the folder is being removed.
            for _ in 0..10 {
                let removed = if path.is_dir() {
                    fs::remove_dir_all(&path)
                } else {
                    fs::remove_file(&path)
                };
                if removed.is_ok() || !path.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
    stopped
}

/// Removes what stopped builds of the output `name` in `parent` left behind: staging folders
/// (`.public.new-<id>`), previous outputs not yet removed (`.public.old-<id>`) and lock files
/// (`.public.lock-<id>`), each only when no running build holds its lock. Nothing else is
/// touched: only names of that form, for that output.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.");
    let mut folders = Vec::new();
    let mut locks = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some((kind, id)) = rest.split_once('-') else {
            continue;
        };
        if !is_build_id(id) {
            continue;
        }
        match kind {
            "new" | "old" => folders.push((entry.path(), id.to_string())),
            "lock" => locks.push((entry.path(), id.to_string())),
            _ => {}
        }
    }
    for (folder, id) in &folders {
        let lock = parent.join(format!("{prefix}lock-{id}"));
        // No lock file: its build is gone (it makes its lock before its folder).
        let held = match fs::OpenOptions::new().write(true).open(&lock) {
            Ok(file) => file.try_lock().map(|()| Some(file)).map_err(|_| ()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            // A lock that cannot be opened is not this build's to judge.
            Err(_) => Err(()),
        };
        if let Ok(unlocked) = held {
            let _ = fs::remove_dir_all(folder);
            if let Some(file) = unlocked {
                // Closed first: a file still open cannot be removed everywhere.
                drop(file);
                let _ = fs::remove_file(&lock);
            }
        }
    }
    for (lock, id) in locks {
        if !lock.exists() {
            continue;
        }
        let in_use = ["new", "old"]
            .iter()
            .any(|kind| parent.join(format!("{prefix}{kind}-{id}")).exists());
        // A lock just made belongs to a build about to make its folder.
        let young = fs::metadata(&lock)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_none_or(|age| age < std::time::Duration::from_secs(60));
        if in_use || young {
            continue;
        }
        let Ok(file) = fs::OpenOptions::new().write(true).open(&lock) else {
            continue;
        };
        if file.try_lock().is_ok() {
            drop(file);
            let _ = fs::remove_file(&lock);
        }
    }
}

/// A build id as staging folders carry it: a process id, or a process id and a number.
fn is_build_id(id: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match id.split_once('-') {
        Some((pid, n)) => digits(pid) && digits(n),
        None => digits(id),
    }
}

fn swap(staging: &Path, out: &Path, old: &Path) -> io::Result<()> {
    if out.exists() {
        fs::rename(out, old)?;
        if let Err(e) = fs::rename(staging, out) {
            let _ = fs::rename(old, out);
            return Err(e);
        }
        fs::remove_dir_all(old)
    } else {
        fs::rename(staging, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write_site;

    /// The names beside the output, the output and its cache aside.
    fn beside(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "public" && n != crate::cache::FOLDER)
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_previous_build_completely() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[
                OutputFile::new(MARKER, ""),
                OutputFile::new("a/index.html", "one"),
                OutputFile::new("old.html", "x"),
            ],
        )
        .unwrap();
        write_site(
            &out,
            &[
                OutputFile::new(MARKER, ""),
                OutputFile::new("a/index.html", "two"),
            ],
        )
        .unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("old.html").exists());
        assert_eq!(
            beside(dir.path()),
            [""; 0],
            "staging folders must not remain"
        );
    }

    #[test]
    fn stale_staging_folders_go_and_a_running_build_s_stay() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::new(MARKER, "")]).unwrap();
        // What stopped builds left: an old-style folder, one whose lock nobody holds, a previous
        // output not yet removed, and a lone lock file from long ago.
        let stale = [
            ".public.new-4000000001",
            ".public.new-4000000002-3",
            ".public.old-4000000002-3",
        ];
        for name in stale {
            fs::create_dir_all(dir.path().join(name).join("reports")).unwrap();
            fs::write(dir.path().join(name).join("reports/index.html"), "x").unwrap();
        }
        fs::write(dir.path().join(".public.lock-4000000002-3"), "").unwrap();
        let lone = dir.path().join(".public.lock-4000000009-1");
        fs::write(&lone, "").unwrap();
        let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(&lone)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        // Not ours: another output's staging folder, and names of another form.
        let others = [
            ".docs.new-4000000001",
            ".public.new-x",
            ".public.newer-1",
            "notes",
        ];
        for name in others {
            fs::create_dir_all(dir.path().join(name)).unwrap();
        }
        // A build running now (by an older scrutiny, which takes no output lock): its staging
        // folder must stay while it runs.
        let running_dir = dir.path().join(".public.new-4000000005-1");
        fs::create_dir(&running_dir).unwrap();
        fs::write(running_dir.join("a.html"), "a").unwrap();
        let running_lock = dir.path().join(".public.lock-4000000005-1");
        let running = fs::File::create(&running_lock).unwrap();
        running.lock().unwrap();
        write_site(
            &out,
            &[OutputFile::new(MARKER, ""), OutputFile::new("b.html", "b")],
        )
        .unwrap();
        assert!(
            running_dir.join("a.html").exists(),
            "a running build's folder was removed"
        );
        for name in stale {
            assert!(!dir.path().join(name).exists(), "{name} was left");
        }
        assert!(!dir.path().join(".public.lock-4000000002-3").exists());
        assert!(!lone.exists(), "an old lone lock was left");
        for name in others {
            assert!(dir.path().join(name).exists(), "{name} was removed");
        }
        drop(running);
        write_site(&out, &[OutputFile::new(MARKER, "")]).unwrap();
        assert!(!running_dir.exists() && !running_lock.exists());
        let mut expected: Vec<String> = others.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(beside(dir.path()), expected);
    }

    #[test]
    fn running_builds_are_listed_for_an_interrupt_until_they_end() {
        // remove_unfinished itself stops every build of the process, so the end-to-end tests
        // (crates/cli/tests/interrupted.rs) run it, in a process of its own.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let listed = |folder: &PathBuf| unfinished().iter().any(|p| p.first() == Some(folder));
        let failed = Staging::new(&out).unwrap();
        let folder = failed.dir.clone();
        assert!(listed(&folder) && failed.lock_path.exists());
        drop(failed);
        assert!(!listed(&folder) && !folder.exists());
        let committed = Staging::new(&out).unwrap();
        committed.put(OutputFile::new(MARKER, "")).unwrap();
        let folder = committed.dir.clone();
        committed.commit().unwrap();
        assert!(!listed(&folder) && out.join(MARKER).exists());
        assert_eq!(beside(dir.path()), [""; 0], "only the output is left");
    }

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("thesis.docx"), "precious").unwrap();
        assert!(write_site(dir.path(), &[OutputFile::new(MARKER, "")]).is_err());
        assert!(dir.path().join("thesis.docx").exists());
    }

    /// Every file of the folder `out`, with its bytes, sorted.
    fn tree(out: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let path = e
                    .path()
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (path, fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    /// Every folder of `out`, sorted.
    fn folders(out: &Path) -> Vec<String> {
        let mut folders: Vec<String> = walkdir::WalkDir::new(out)
            .min_depth(1)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_dir())
            .map(|e| {
                e.path()
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        folders.sort();
        folders
    }

    fn site(files: &[(&str, &str)]) -> Vec<OutputFile> {
        std::iter::once(OutputFile::new(MARKER, ""))
            .chain(files.iter().map(|(p, b)| OutputFile::new(*p, *b)))
            .collect()
    }

    /// Writes `files` into `out` as a second build would, and into a fresh folder as a first,
    /// and checks that both hold the same; gives what the second build did.
    fn rebuild_matches_a_clean_build(out: &Path, files: &[OutputFile]) -> Written {
        let done = write_site(out, files).unwrap();
        let clean = out.with_file_name("clean");
        write_site(&clean, files).unwrap();
        assert_eq!(tree(out), tree(&clean));
        assert_eq!(folders(out), folders(&clean));
        fs::remove_dir_all(&clean).unwrap();
        done
    }

    #[test]
    fn a_rebuild_writes_only_what_changed_and_removes_what_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = site(&[
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("a/b/index.html", "b"),
            ("gone/deep/index.html", "gone"),
            ("file-then-folder", "f"),
            ("folder-then-file/index.html", "g"),
        ]);
        let done = write_site(&out, &first).unwrap();
        assert_eq!((done.written, done.unchanged, done.removed), (7, 0, 0));
        let kept = fs::metadata(out.join("a/b/index.html")).unwrap();
        let second = site(&[
            ("index.html", "home, changed"),
            ("a/index.html", "a"),
            ("a/b/index.html", "b"),
            ("new/index.html", "new"),
            ("file-then-folder/index.html", "f"),
            ("folder-then-file", "g"),
        ]);
        let done = rebuild_matches_a_clean_build(&out, &second);
        assert_eq!((done.written, done.unchanged, done.removed), (4, 3, 3));
        let after = fs::metadata(out.join("a/b/index.html")).unwrap();
        assert_eq!(
            Stamp::of(&kept),
            Stamp::of(&after),
            "an unchanged file was written"
        );
        let done = rebuild_matches_a_clean_build(&out, &second);
        assert_eq!((done.written, done.unchanged, done.removed), (0, 7, 0));
        assert_eq!(beside(dir.path()), [""; 0]);
    }

    #[test]
    fn a_file_changed_by_hand_or_a_lost_cache_means_writing_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = site(&[("index.html", "home"), ("a/index.html", "a")]);
        write_site(&out, &files).unwrap();
        fs::write(out.join("a/index.html"), "A").unwrap();
        fs::write(out.join("stray.html"), "stray").unwrap();
        let done = rebuild_matches_a_clean_build(&out, &files);
        assert_eq!((done.written, done.unchanged, done.removed), (1, 2, 1));
        fs::remove_dir_all(Cache::beside(&out).dir()).unwrap();
        let done = rebuild_matches_a_clean_build(&out, &files);
        assert_eq!((done.written, done.unchanged), (3, 0));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_output_is_removed_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        let files = site(&[("index.html", "home"), ("a/index.html", "a")]);
        write_site(&out, &files).unwrap();
        fs::remove_dir_all(out.join("a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("link")).unwrap();
        rebuild_matches_a_clean_build(&out, &files);
        assert_eq!(
            fs::read_dir(&elsewhere).unwrap().count(),
            0,
            "written through a link"
        );
        assert!(out.join("a").is_dir() && !out.join("link").exists());
    }

    #[test]
    fn a_failed_build_leaves_the_output_and_its_manifest_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = site(&[("index.html", "home")]);
        write_site(&out, &files).unwrap();
        let before = tree(&out);
        let failed = Staging::new(&out).unwrap();
        failed.put(OutputFile::new("index.html", "half")).unwrap();
        drop(failed);
        assert_eq!(tree(&out), before);
        let done = write_site(&out, &files).unwrap();
        assert_eq!(done.written, 0, "the manifest was lost");
    }

    #[test]
    fn one_build_of_an_output_runs_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &site(&[("index.html", "home")])).unwrap();
        let running = Staging::new(&out).unwrap();
        let (started, next) = std::sync::mpsc::channel();
        let waiting = std::thread::spawn({
            let out = out.clone();
            move || {
                let second = Staging::new(&out).unwrap();
                started.send(()).unwrap();
                drop(second);
            }
        });
        let wait = std::time::Duration::from_millis(300);
        assert!(
            next.recv_timeout(wait).is_err(),
            "a second build ran at once"
        );
        drop(running);
        assert!(
            next.recv_timeout(std::time::Duration::from_secs(30))
                .is_ok()
        );
        waiting.join().unwrap();
    }
}

//! Writing the site: everything goes to a fresh folder beside the output ([`Staging`]), written
//! while pages are still being rendered, which then replaces the output in two renames, so a
//! failed build leaves the previous site exactly as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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

/// Where rendered files go: a staging folder on disk, or memory. Called from many threads.
pub trait Sink: Sync {
    /// Accepts one file of the site.
    fn put(&self, file: OutputFile) -> Result<(), String>;

    /// Whether the files are kept: not so for [`Discard`], for which the work of making a file
    /// only it needs (the search index) can be left undone.
    fn keeps_files(&self) -> bool {
        true
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
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self
            .0
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), String> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(file);
        Ok(())
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

impl Sink for Recording<'_> {
    fn put(&self, file: OutputFile) -> Result<(), String> {
        self.paths
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(file.path.clone());
        self.inner.put(file)
    }

    fn keeps_files(&self) -> bool {
        self.inner.keeps_files()
    }
}

/// A fresh folder beside the output that files are written into as they are rendered; it
/// replaces the output on [`Staging::commit`], and is removed if the build fails.
///
/// A build that is stopped before either can leave its folder behind: one killed outright
/// (`kill -9`, a power cut) cannot help it. So each staging folder has a lock file beside it,
/// held for as long as its build runs, and the next build of the same output removes every
/// staging folder whose lock nobody holds ([`Staging::new`]); a build running at the same time
/// holds its lock, and its folder is left alone. A build stopped by SIGINT or SIGTERM removes
/// its own folders at once, when the program calls [`remove_unfinished`] from its handler.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Where the previous output goes while the new one takes its place.
    old: PathBuf,
    /// The lock file, held open and locked while the build runs.
    lock_path: PathBuf,
    _lock: fs::File,
    committed: bool,
    /// Folders made so far (relative paths), so each is made once, by the first file into it.
    folders: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Staging {
    /// Prepares to replace `out`. Refuses a non-empty folder that is not a scrutiny build (has
    /// no [`MARKER`]), so a mistyped `--out` cannot delete someone's files. Removes what builds
    /// of `out` that were stopped left behind.
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
        let dir = parent.join(format!(".{name}.new-{id}"));
        let old = parent.join(format!(".{name}.old-{id}"));
        let staging = Staging {
            out: out.to_path_buf(),
            dir,
            old,
            lock_path,
            _lock: lock,
            committed: false,
            folders: Default::default(),
        };
        // Another build may be looking at this new lock this very moment: wait for it.
        staging._lock.lock()?;
        unfinished().push(vec![staging.dir.clone(), staging.lock_path.clone()]);
        fs::create_dir(&staging.dir)?;
        Ok(staging)
    }

    /// Replaces the output with what was written.
    pub fn commit(mut self) -> io::Result<()> {
        // Held while the folders are swapped: an interrupt waits for the swap to end.
        let mut live = unfinished();
        let swapped = swap(&self.dir, &self.out, &self.old);
        self.committed = swapped.is_ok();
        live.retain(|paths| paths.first() != Some(&self.dir));
        drop(live);
        swapped
    }
}

impl Sink for Staging {
    /// Writes one file, making its folder first if it is the folder's first file: folders are
    /// made by whichever thread writes into them first, while the other threads render.
    fn put(&self, file: OutputFile) -> Result<(), String> {
        if INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed) {
            return Err("the build was interrupted".to_string());
        }
        let error = |e: io::Error| format!("writing {}: {e}", file.path);
        if let Some((folder, _)) = file.path.rsplit_once('/') {
            let new = self
                .folders
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .insert(folder.to_string());
            if new {
                fs::create_dir_all(self.dir.join(folder)).map_err(error)?;
            }
        }
        let path = self.dir.join(&file.path);
        match fs::write(&path, &file.bytes) {
            // Another thread is making the folder at this moment.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(folder) = path.parent() {
                    fs::create_dir_all(folder).map_err(error)?;
                }
                fs::write(&path, &file.bytes).map_err(error)
            }
            written => written.map_err(error),
        }
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

/// The file every scrutiny build writes; its presence tells us a folder is ours to replace.
pub const MARKER: &str = ".nojekyll";

/// Writes `files` as the new content of `out`, replacing what was there only once all is written.
pub fn write_site(out: &Path, files: &[OutputFile]) -> io::Result<()> {
    let staging = Staging::new(out)?;
    for file in files {
        staging.put(file.clone()).map_err(io::Error::other)?;
    }
    staging.commit()
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
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders must not remain");
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
        // A build running now: its staging folder must stay while it runs.
        let running = Staging::new(&out).unwrap();
        running.put(OutputFile::new("a.html", "a")).unwrap();
        let running_dir = running.dir.clone();
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
        assert!(!running_dir.exists());
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected: Vec<String> = others.iter().map(|s| s.to_string()).collect();
        expected.push("public".into());
        expected.sort();
        assert_eq!(left, expected);
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
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the output is left");
    }

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("thesis.docx"), "precious").unwrap();
        assert!(write_site(dir.path(), &[OutputFile::new(MARKER, "")]).is_err());
        assert!(dir.path().join("thesis.docx").exists());
    }
}

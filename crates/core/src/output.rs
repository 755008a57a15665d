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

/// Where rendered files go: a staging folder on disk, or memory. Called from many threads.
pub trait Sink: Sync {
    /// Accepts one file of the site.
    fn put(&self, file: OutputFile) -> Result<(), String>;
}

/// Drops every file: for `scrutiny check`, which validates and writes nothing.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: OutputFile) -> Result<(), String> {
        Ok(())
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

/// A fresh folder beside the output that files are written into as they are rendered; it
/// replaces the output on [`Staging::commit`], and is removed if the build fails.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    parent: PathBuf,
    name: String,
    committed: bool,
    /// Folders made so far (relative paths), so each is made once, by the first file into it.
    folders: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Staging {
    /// Prepares to replace `out`. Refuses a non-empty folder that is not a scrutiny build (has
    /// no [`MARKER`]), so a mistyped `--out` cannot delete someone's files.
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
        let dir = unique(&parent, &format!(".{name}.new"));
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            parent,
            name,
            committed: false,
            folders: Default::default(),
        })
    }

    /// Replaces the output with what was written.
    pub fn commit(mut self) -> io::Result<()> {
        swap(&self.dir, &self.out, &self.parent, &self.name)?;
        self.committed = true;
        Ok(())
    }
}

impl Sink for Staging {
    /// Writes one file, making its folder first if it is the folder's first file: folders are
    /// made by whichever thread writes into them first, while the other threads render.
    fn put(&self, file: OutputFile) -> Result<(), String> {
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

fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> io::Result<()> {
    if out.exists() {
        let old = unique(parent, &format!(".{name}.old"));
        fs::rename(out, &old)?;
        if let Err(e) = fs::rename(staging, out) {
            let _ = fs::rename(&old, out);
            return Err(e);
        }
        fs::remove_dir_all(old)
    } else {
        fs::rename(staging, out)
    }
}

fn unique(parent: &Path, stem: &str) -> PathBuf {
    let mut n = std::process::id();
    loop {
        let candidate = parent.join(format!("{stem}-{n}"));
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_previous_build_completely() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[
                file(MARKER, ""),
                file("a/index.html", "one"),
                file("old.html", "x"),
            ],
        )
        .unwrap();
        write_site(&out, &[file(MARKER, ""), file("a/index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders must not remain");
    }

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("thesis.docx"), "precious").unwrap();
        assert!(write_site(dir.path(), &[file(MARKER, "")]).is_err());
        assert!(dir.path().join("thesis.docx").exists());
    }
}

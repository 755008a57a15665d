//! Writing the site: everything goes to a fresh folder beside the output, which then replaces
//! the output in two renames, so a failed build leaves the previous site exactly as it was.

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

/// The file every scrutiny build writes; its presence tells us a folder is ours to replace.
pub const MARKER: &str = ".nojekyll";

/// Writes `files` as the new content of `out`, replacing what was there only once all is written.
///
/// Refuses to replace a non-empty folder that is not a scrutiny build (has no [`MARKER`]), so a
/// mistyped `--out` cannot delete someone's files.
pub fn write_site(out: &Path, files: &[OutputFile]) -> io::Result<()> {
    if out.exists() && !out.join(MARKER).exists() && fs::read_dir(out)?.next().is_some() {
        return Err(io::Error::other(format!(
            "refusing to replace {}: it is not empty and is not a scrutiny build (no {MARKER}); choose another --out",
            out.display()
        )));
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = unique(parent, &format!(".{name}.new"));
    let result = write_all(&staging, files).and_then(|()| swap(&staging, out, parent, &name));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Creates every folder once, then writes the files in parallel.
fn write_all(dir: &Path, files: &[OutputFile]) -> io::Result<()> {
    use rayon::prelude::*;
    let folders: std::collections::BTreeSet<&Path> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent())
        .collect();
    fs::create_dir_all(dir)?;
    for folder in folders {
        fs::create_dir_all(dir.join(folder))?;
    }
    files
        .par_iter()
        .try_for_each(|file| fs::write(dir.join(&file.path), &file.bytes))
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

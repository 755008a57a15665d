//! A site's files: walked in sorted order and registered with the diagnostics as text, so that
//! every later error can quote them by `file:line:col`.

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostics, FileId};

/// Every file under `root/dir`, sorted, registered with `diags`: (relative path, file). Those
/// `unread` picks (by relative path) are registered unread, for their reader to read in its own
/// time ([`Diagnostics::read_text`]); the others are read now, in parallel.
pub fn walk(
    root: &Path,
    dir: &str,
    unread: impl Fn(&str) -> bool + Sync,
    diags: &mut Diagnostics,
) -> Vec<(String, FileId)> {
    use rayon::prelude::*;
    let base = root.join(dir);
    if !base.exists() {
        return Vec::new();
    }
    let mut paths = Vec::new();
    for entry in WalkDir::new(&base).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.error_without_file(
                    format!("cannot read {dir}/: {e}"),
                    "check the folder's permissions",
                );
                continue;
            }
        };
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let rel = match rel.to_str() {
            Some(text) if std::path::MAIN_SEPARATOR == '/' => text.to_string(),
            _ => rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        };
        paths.push((rel, entry.into_path()));
    }
    // Read in parallel, register in the sorted order of the walk.
    let texts: Vec<Option<Result<Vec<u8>, String>>> = paths
        .par_iter()
        .map(|(rel, path)| {
            (!unread(rel)).then(|| fs::read(path).map_err(|e| format!("cannot read {rel}: {e}")))
        })
        .collect();
    let mut files = Vec::with_capacity(paths.len());
    for ((rel, path), bytes) in paths.into_iter().zip(texts) {
        match bytes {
            None => files.push((rel.clone(), diags.add_unread_file(rel, path))),
            Some(Ok(bytes)) => files.push((rel.clone(), register(rel, Some(path), bytes, diags))),
            Some(Err(why)) => diags.error_without_file(why, "check the file's permissions"),
        }
    }
    files
}

/// Registers a file's bytes with `diags` as its text, with the path it was read from (if its
/// text may be released and read again). Bytes that are not UTF-8 are an error at the first of
/// them ([`scrutiny_plugin::diag::decode`]).
pub fn register(
    rel: impl Into<String>,
    origin: Option<PathBuf>,
    bytes: Vec<u8>,
    diags: &mut Diagnostics,
) -> FileId {
    let (text, bad) = scrutiny_plugin::diag::decode(bytes);
    let file = match origin {
        Some(path) => diags.add_read_file(rel, path, text),
        None => diags.add_file(rel, text),
    };
    if let Some(bad) = bad {
        diags.not_utf8(file, bad);
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_utf8_is_an_error_at_its_first_bad_byte() {
        let mut diags = Diagnostics::new();
        let file = register(
            "content/x.md",
            None,
            b"# Menu\n\nCaf\xe9 au lait, it\x92s \xe9t\xe9.\n".to_vec(),
            &mut diags,
        );
        // The rest of the file is still read, so its other errors can be reported too.
        assert!(
            diags
                .text(file)
                .starts_with("# Menu\n\nCaf\u{fffd} au lait")
        );
        let report = diags.render();
        assert!(report.contains("content/x.md:3:4"), "{report}");
        assert!(report.contains("0xE9"), "{report}");
        assert!(report.contains("“é”"), "{report}");
        assert!(report.contains("3 more"), "{report}");
        assert!(
            report.contains("save the file as UTF-8 (in Word: Save As → Plain Text → UTF-8)"),
            "{report}"
        );
        assert!(!report.contains("permissions"), "{report}");
        assert_eq!(diags.error_count(), 1, "{report}");
        let mut diags = Diagnostics::new();
        register("a.md", None, "Café\n".as_bytes().to_vec(), &mut diags);
        assert!(!diags.has_errors());
    }
}

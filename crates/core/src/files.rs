//! A site's files: walked in sorted order and registered with the diagnostics as text, so that
//! every later error can quote them by `file:line:col`.

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostics, FileId, Location};

/// Every file under `root/dir`, sorted, registered with `diags`: (relative path, file).
pub fn walk(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<(String, FileId)> {
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
    let texts: Vec<Result<Vec<u8>, String>> = paths
        .par_iter()
        .map(|(rel, path)| fs::read(path).map_err(|e| format!("cannot read {rel}: {e}")))
        .collect();
    let mut files = Vec::with_capacity(paths.len());
    for ((rel, path), bytes) in paths.into_iter().zip(texts) {
        match bytes {
            Ok(bytes) => files.push((rel.clone(), register(rel, Some(path), bytes, diags))),
            Err(why) => diags.error_without_file(why, "check the file's permissions"),
        }
    }
    files
}

/// Registers a file's bytes with `diags` as its text, with the path it was read from (if its
/// text may be released and read again). Bytes that are not UTF-8 are an error at the first of
/// them; the text then has U+FFFD in their place, so the rest of the file can still be checked
/// (and line:col, counted in characters, stay as an editor shows them).
pub fn register(
    rel: impl Into<String>,
    origin: Option<PathBuf>,
    bytes: Vec<u8>,
    diags: &mut Diagnostics,
) -> FileId {
    let add = |diags: &mut Diagnostics, rel, text| match origin {
        Some(path) => diags.add_read_file(rel, path, text),
        None => diags.add_file(rel, text),
    };
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return add(diags, rel.into(), text),
        Err(e) => e.into_bytes(),
    };
    // Where each run of bytes that is not UTF-8 starts.
    let mut bad = Vec::new();
    let mut at = 0;
    while let Err(e) = std::str::from_utf8(&bytes[at..]) {
        bad.push(at + e.valid_up_to());
        at += e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - at - e.valid_up_to());
        if at >= bytes.len() {
            break;
        }
    }
    let first = bad.first().copied().unwrap_or(0);
    let byte = bytes.get(first).copied().unwrap_or(0);
    let file = add(
        diags,
        rel.into(),
        String::from_utf8_lossy(&bytes).into_owned(),
    );
    // As Windows-1252 (which Word and Notepad often save in), the byte would be this character.
    let meant = match byte {
        0x80..=0x9f => scrutiny_plugin::chars::windows_1252(char::from(byte)),
        0xa1..=0xff if byte != 0xad => Some(char::from(byte)),
        _ => None,
    };
    let mut message =
        format!("this file is not UTF-8 text: the byte 0x{byte:02X} here cannot be read");
    if let Some(meant) = meant {
        message.push_str(&format!(
            " (in Windows-1252, which Word and Notepad often save in, it is “{meant}”)"
        ));
    }
    match bad.len() {
        0 | 1 => {}
        2 => message.push_str("; 1 more byte like it follows"),
        n => message.push_str(&format!("; {} more bytes like it follow", n - 1)),
    }
    // In the text as registered, the byte is one U+FFFD (three bytes).
    diags.error(
        &Location::new(file, first..first + '\u{fffd}'.len_utf8()),
        message,
        "save the file as UTF-8 (in Word: Save As → Plain Text → UTF-8)",
    );
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

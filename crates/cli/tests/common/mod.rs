//! Shared helpers for the end-to-end tests: copying the shipped site into a temporary folder,
//! running the `scrutiny` binary as a user would, and snapshotting an output folder.

#![allow(dead_code, missing_docs)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// Copies the shipped site (site.toml, content/, data/, themes/) into a fresh temporary folder.
pub fn shipped_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = repo();
    fs::copy(repo.join("site.toml"), dir.path().join("site.toml")).expect("copy site.toml");
    for folder in ["content", "data", "themes"] {
        copy_tree(&repo.join(folder), &dir.path().join(folder));
    }
    dir
}

/// Copies every file under `from` to the same place under `to`, replacing what is there.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walk(from) {
        let rel = entry.strip_prefix(from).expect("under from");
        let target = to.join(rel);
        fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        fs::copy(&entry, &target).expect("copy");
    }
}

/// Lays a fixture folder over a site: each file replaces the site's, but for the fixture's own
/// `README.md`, which is left out, and `NAME.append`, which is added to the end of `NAME`.
pub fn overlay(fixture: &Path, site: &Path) {
    for entry in walk(fixture) {
        let rel = entry.strip_prefix(fixture).expect("under fixture");
        if rel == Path::new("README.md") {
            continue;
        }
        let target = site.join(rel);
        fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        match rel.to_str().and_then(|r| r.strip_suffix(".append")) {
            Some(name) => {
                let mut text = fs::read_to_string(site.join(name)).unwrap_or_default();
                text.push_str(&fs::read_to_string(&entry).expect("read the fixture"));
                fs::write(site.join(name), text).expect("append");
            }
            None => {
                fs::copy(&entry, &target).expect("copy");
            }
        }
    }
}

/// Every file under `dir`, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|entry| !entry.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// Runs the `scrutiny` binary with `args` in `root`.
pub fn scrutiny(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["--root", root.to_str().expect("utf-8 path")])
        .args(args)
        .env("CI", "true")
        .output()
        .expect("run scrutiny")
}

/// Every file of an output folder: relative path → bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walk(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir)
                    .expect("under dir")
                    .to_string_lossy()
                    .into_owned(),
                fs::read(&p).expect("read"),
            )
        })
        .collect()
}

/// stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A built file of `public`, as text.
pub fn read(public: &Path, path: &str) -> String {
    fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text from the first `start` to the `end` after it.
pub fn between<'t>(text: &'t str, start: &str, end: &str) -> &'t str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {text}"));
    let rest = &text[from..];
    &rest[..rest
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {start:?}"))]
}

/// The rows of a CSV file, each a map from its header's names to its fields; panics unless
/// every line ends CRLF (RFC 4180).
pub fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    assert!(
        text.replace("\r\n", "").matches('\n').count() == 0 || text.contains('"'),
        "a line ends LF, not CRLF:\n{text}"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|record| {
            let record = record.expect("a record");
            header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// The rows of `rows` whose `key` holds `value`.
pub fn rows_with<'r>(
    rows: &'r [BTreeMap<String, String>],
    key: &str,
    value: &str,
) -> Vec<&'r BTreeMap<String, String>> {
    rows.iter().filter(|r| r[key] == value).collect()
}

/// Each start tag of `html`, as a browser's tokenizer reads it: its name and its attributes,
/// sorted, with references decoded.
pub fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let lossy = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    html5gum::Tokenizer::new(html)
        .flatten()
        .filter_map(|token| {
            let html5gum::Token::StartTag(tag) = token else {
                return None;
            };
            let mut attributes: Vec<(String, String)> = tag
                .attributes
                .iter()
                .map(|(k, v)| (lossy(k), lossy(&v.value)))
                .collect();
            attributes.sort();
            Some((lossy(&tag.name), attributes))
        })
        .collect()
}

/// The names in the folder `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read the folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

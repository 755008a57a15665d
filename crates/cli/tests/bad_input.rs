//! The bad-input corpus, one test per case: each folder under `tests/bad-input/` holds files
//! that replace (or, as `NAME.append`, add to) the shipped site's, and `expected.txt`, the
//! complete list of problems the build must report: each as `file:line:col: message` (`-:` for
//! a problem of no file) with its hint on the next line, indented (`    hint: …`), then the count
//! line, `N problems found`.
//!
//! Each case must exit with code 1 from `build` and from `check`, report exactly that list from
//! both, never panic, and leave the previous build untouched. Run one case alone with
//! `cargo test -p scrutiny --test bad_input -- <name>`; `SCRUTINY_BLESS=1` writes what a case
//! reports into its `expected.txt`, to read and review before committing.

mod common;

use std::fs;
use std::path::Path;

use common::{overlay, scrutiny, shipped_site, snapshot, stderr};

/// The problems of an error report, as `expected.txt` lists them: each error's
/// `file:line:col: message` (`-: message` when it is of no file), its hint on the next line,
/// indented, as `    hint: …`; a `note:` line saying how many errors of a file are not shown;
/// then the count line.
fn problems(report: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    let mut pending: Option<&str> = None;
    for line in report.lines() {
        if let Some(message) = line.strip_prefix("error: ") {
            if let Some(earlier) = pending.replace(message) {
                entries.push(format!("-: {earlier}"));
            }
        } else if line.starts_with("note: ") {
            // "note: 10 more errors in … not shown", after a file's first 50.
            if let Some(message) = pending.take() {
                entries.push(format!("-: {message}"));
            }
            entries.push(line.trim_end().to_string());
        } else if let Some((_, place)) = line.split_once("┌─ ")
            && let Some(message) = pending.take()
        {
            entries.push(format!("{}: {message}", place.trim()));
        } else if let Some((_, hint)) = line.split_once("= hint: ") {
            if let Some(message) = pending.take() {
                entries.push(format!("-: {message}"));
            }
            if let Some(last) = entries.last_mut() {
                last.push_str("\n    hint: ");
                last.push_str(hint.trim_end());
            }
        }
    }
    // The last `error:` line is the count: "12 problems found, nothing written; …".
    if let Some(count) = pending {
        entries.push(count.split(',').next().unwrap_or(count).to_string());
    }
    entries
}

/// The entries of an `expected.txt`: each a line and the indented lines under it.
fn expected_entries(text: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match entries.last_mut() {
            Some(last) if line.starts_with(' ') => {
                last.push('\n');
                last.push_str(line.trim_end());
            }
            _ => entries.push(line.trim_end().to_string()),
        }
    }
    entries
}

fn run_case(expected_file: &Path) -> datatest_stable::Result<()> {
    let case = expected_file.parent().ok_or("a case folder")?;
    let site = shipped_site();
    let good = scrutiny(site.path(), &["build", "--out", "public"]);
    if !good.status.success() {
        return Err(format!("the shipped site must build first: {}", stderr(&good)).into());
    }
    let before = snapshot(&site.path().join("public"));
    overlay(case, site.path());
    fs::remove_file(site.path().join("expected.txt"))?;
    let expected = expected_entries(&fs::read_to_string(expected_file)?);
    let bless = std::env::var_os("SCRUTINY_BLESS").is_some();

    let mut failures = Vec::new();
    for command in [&["build", "--out", "public"][..], &["check"][..]] {
        let output = scrutiny(site.path(), command);
        let report = stderr(&output);
        if output.status.code() != Some(1) {
            failures.push(format!(
                "{}: exit code {:?}, expected 1",
                command[0],
                output.status.code()
            ));
        }
        if report.contains("panicked") {
            failures.push(format!("{}: panicked", command[0]));
        }
        let found = problems(&report);
        if bless {
            fs::write(expected_file, found.join("\n") + "\n")?;
            continue;
        }
        for line in expected.iter().filter(|l| !found.contains(l)) {
            failures.push(format!("{}: expected, not reported: {line}", command[0]));
        }
        for line in found.iter().filter(|l| !expected.contains(l)) {
            failures.push(format!("{}: reported, not expected: {line}", command[0]));
        }
        if !failures.is_empty() {
            failures.push(format!("the report of `{}`:\n{report}", command[0]));
            break;
        }
    }
    if snapshot(&site.path().join("public")) != before {
        failures.push("the previous build was changed".into());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}

datatest_stable::harness! {
    { test = run_case, root = "../../tests/bad-input", pattern = r"^[^/]+/expected\.txt$" },
}

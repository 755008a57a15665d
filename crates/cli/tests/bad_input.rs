//! The bad-input corpus: each folder under `tests/bad-input/` holds files that replace the
//! shipped site's, and `expected.txt`, the lines the error report must contain. Every case must
//! exit with code 1, name each problem's file:line:col, and leave the previous build untouched.

mod common;

use std::fs;

use common::{copy_tree, repo, scrutiny, shipped_site, snapshot, stderr};

#[test]
fn every_bad_input_is_reported_and_leaves_the_previous_build_intact() {
    let corpus = repo().join("tests/bad-input");
    let mut cases: Vec<_> = fs::read_dir(&corpus)
        .expect("corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let site = shipped_site();
        let good = scrutiny(site.path(), &["build", "--out", "public"]);
        assert!(
            good.status.success(),
            "{name}: the shipped site must build first: {}",
            stderr(&good)
        );
        let before = snapshot(&site.path().join("public"));

        copy_tree(case, site.path());
        fs::remove_file(site.path().join("expected.txt")).expect("expected.txt is copied too");
        let expected = fs::read_to_string(case.join("expected.txt")).expect("expected.txt");

        for command in [&["build", "--out", "public"][..], &["check"][..]] {
            let output = scrutiny(site.path(), command);
            let report = stderr(&output);
            if output.status.code() != Some(1) {
                failures.push(format!(
                    "{name} ({}): exit code {:?}, expected 1\n{report}",
                    command[0],
                    output.status.code()
                ));
            }
            for line in expected.lines().filter(|l| !l.trim().is_empty()) {
                if !report.contains(line) {
                    failures.push(format!(
                        "{name} ({}): missing `{line}` in:\n{report}",
                        command[0]
                    ));
                }
            }
            if report.contains("panicked") {
                failures.push(format!("{name}: panicked\n{report}"));
            }
        }
        if snapshot(&site.path().join("public")) != before {
            failures.push(format!("{name}: the previous build was changed"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

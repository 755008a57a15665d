//! End-to-end: the shipped site builds, shows every MASH figure of the Q2 2022-23 report with its
//! source, works under a base path, and builds byte-identically twice.

mod common;

use std::fs;

use common::{repo, scrutiny, shipped_site, snapshot, stderr};

fn build(base_url: Option<&str>) -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    let mut args = vec!["build", "--out", public.to_str().expect("utf-8")];
    if let Some(url) = base_url {
        args.extend(["--base-url", url]);
    }
    let output = scrutiny(&repo(), &args);
    assert!(
        output.status.success(),
        "build failed:\n{}",
        stderr(&output)
    );
    (out, public)
}

fn read(public: &std::path::Path, path: &str) -> String {
    fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn report_page_has_every_mash_figure_with_its_source() {
    let (_dir, public) = build(None);
    let report = read(&public, "reports/2022-23/q2/index.html");
    // Every MASH figure of the executive summary and section 3, as the report states it.
    for figure in [
        "1,323",
        "1,359",
        "39%",
        "494",
        "559",
        "2,462",
        "2,601",
        "349 per 10,000",
        "637 per 10,000",
        "317 per 10,000",
        "1,116",
        "835",
        "94%",
        "90%",
        "89%",
        "84%",
        "88%",
        "77",
    ] {
        assert!(report.contains(figure), "the report page lacks {figure}");
    }
    for paragraph in [
        "paragraph 3.1",
        "paragraph 3.2",
        "paragraph 3.3",
        "paragraph 3.4",
        "paragraph 3.5",
    ] {
        assert!(report.contains(paragraph), "no figure cites {paragraph}");
    }
    // Charts: inline SVG with a title and description, each followed by a table and a CSV link.
    let charts = report.matches("<svg").count();
    assert_eq!(
        charts, 6,
        "a chart for each MASH figure with something to compare it with"
    );
    assert_eq!(report.matches("role=\"img\"").count(), charts);
    assert_eq!(report.matches("<desc id=").count(), charts);
    assert_eq!(report.matches("as a table</summary>").count(), charts);
    assert!(
        report.contains("Figure 6: Assessments completed in timescale"),
        "figures are numbered in reading order"
    );
    assert!(
        report.contains("higher than the England average (84%, 2021-22)"),
        "direction is said in words"
    );
    let csv = read(&public, "reports/2022-23/q2/data/mash-referral-rate.csv");
    assert_eq!(csv, "label,period,value,unit\nThurrock,30 Sep 2022,349,rate per 10,000 children\nThurrock,30 Sep 2021,637,rate per 10,000 children\nEngland average,2021-22,494,rate per 10,000 children\nEastern Region average,2021-22,317,rate per 10,000 children\n".replace("rate per 10,000 children", "\"rate per 10,000 children\""));
    let all = read(&public, "reports/2022-23/q2/data/figures.csv");
    assert_eq!(
        all.lines().count(),
        1 + 8,
        "a header and the eight MASH figures"
    );
    // The sections marker puts the closing paragraphs after the sections.
    assert!(report.find("id=\"mash\"") < report.find("Reasons for recommendations"));
}

#[test]
fn home_page_shows_headline_cards_of_the_latest_quarter() {
    let (_dir, public) = build(None);
    let home = read(&public, "index.html");
    assert!(home.contains("Latest figures: Q2 2022-23 (July to September 2022)"));
    assert!(
        home.contains("Down 3% from 1,359 in Q2 2021-22."),
        "change on last year in words"
    );
    assert!(home.contains("Up 4 percentage points from 90% at 30 September 2021."));
    assert_eq!(home.matches("class=\"card\"").count(), 3);
}

#[test]
fn hosting_files_are_written() {
    let (_dir, public) = build(None);
    assert!(public.join(".nojekyll").exists());
    assert!(read(&public, "404.html").contains("Page not found"));
    let sitemap = read(&public, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>/reports/2022-23/q2/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn every_internal_link_carries_the_base_path() {
    let (_dir, public) = build(Some("https://example.github.io/archive/"));
    for (path, bytes) in snapshot(&public) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        for attribute in ["href=\"/", "src=\"/", "action=\"/"] {
            for (i, _) in html.match_indices(attribute) {
                let rest = &html[i + attribute.len() - 1..];
                assert!(
                    rest.starts_with("/archive/"),
                    "{path}: a link without the base path: {}",
                    &rest[..rest.len().min(60)]
                );
            }
        }
    }
    let sitemap = read(&public, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.github.io/archive/reports/2022-23/q2/</loc>"));
    let not_found = read(&public, "404.html");
    assert!(
        not_found.contains("href=\"/archive/style.css\""),
        "404.html is served at any depth: it needs absolute links"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, first) = build(Some("https://example.github.io/archive/"));
    let (_b, second) = build(Some("https://example.github.io/archive/"));
    let (first, second) = (snapshot(&first), snapshot(&second));
    assert!(first.len() > 10);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between two builds");
    }
}

#[test]
fn check_validates_and_writes_nothing() {
    let site = shipped_site();
    let output = scrutiny(site.path(), &["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("no problems found"));
    assert!(!site.path().join("public").exists(), "check must not write");
}

#[test]
fn usage_errors_exit_2_and_every_command_has_help() {
    let site = shipped_site();
    assert_eq!(scrutiny(site.path(), &["publish"]).status.code(), Some(2));
    assert_eq!(
        scrutiny(site.path(), &["build", "--colour"]).status.code(),
        Some(2)
    );
    for command in [
        &["--help"][..],
        &["build", "--help"],
        &["check", "--help"],
        &["serve", "--help"],
    ] {
        let output = scrutiny(site.path(), command);
        assert!(output.status.success(), "{command:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage:"),
            "{command:?}"
        );
    }
}

#[test]
fn a_missing_site_is_a_clear_error() {
    let empty = tempfile::tempdir().expect("temp dir");
    let output = scrutiny(empty.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("site.toml"), "{}", stderr(&output));
    assert!(stderr(&output).contains("hint:"));
}

#[test]
fn refuses_to_overwrite_a_folder_that_is_not_a_build() {
    let site = shipped_site();
    fs::create_dir_all(site.path().join("docs")).expect("mkdir");
    fs::write(site.path().join("docs/notes.txt"), "keep me").expect("write");
    let output = scrutiny(site.path(), &["build", "--out", "docs"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        fs::read_to_string(site.path().join("docs/notes.txt")).expect("kept"),
        "keep me"
    );
}

//! End-to-end: aliases on a page, a report and a meeting (the fixture `tests/fixtures/aliases`)
//! write redirect pages at their old addresses, at `/` and under a base URL, outside the
//! sitemap; and `scrutiny check --previous` (and `build --previous`) lists every URL an earlier
//! build published that a build no longer serves, from its folder or its sitemap.

mod common;

use std::fs;
use std::path::Path;

use common::{overlay, repo, scrutiny, shipped_site, snapshot, start_tags, stderr};

/// The base URL of a project site on GitHub Pages.
const ARCHIVE: &str = "https://example.github.io/archive/";

/// Each alias of the fixture: the file its redirect page is written to, and the site path of
/// the page it leads to.
const REDIRECTS: [(&str, &str); 6] = [
    ("about/index.html", "about-this-archive/"),
    ("about-us.html", "about-this-archive/"),
    ("reports/2019/q2/index.html", "reports/2019-20/q2/"),
    ("reports/2019-q2.html", "reports/2019-20/q2/"),
    (
        "minutes/2019-12-05/index.html",
        "minutes/children-osc/2019-12-05/",
    ),
    (
        "committees/children-osc/2019/december.html",
        "minutes/children-osc/2019-12-05/",
    ),
];

/// The shipped site with the aliases fixture laid over it.
fn fixture_site() -> tempfile::TempDir {
    let site = shipped_site();
    overlay(&repo().join("tests/fixtures/aliases"), site.path());
    site
}

/// Builds `root` into `out` (relative to it) with `args` besides, asserting it succeeds.
fn build(root: &Path, out: &str, args: &[&str]) {
    let args: Vec<&str> = ["build", "--out", out]
        .iter()
        .chain(args)
        .copied()
        .collect();
    let output = scrutiny(root, &args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
}

/// The value of attribute `want` of the first `tag` whose attribute `key` is `value`.
fn attribute(
    tags: &[(String, Vec<(String, String)>)],
    tag: &str,
    (key, value): (&str, &str),
    want: &str,
) -> Option<String> {
    let get = |attributes: &[(String, String)], name: &str| {
        attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    tags.iter()
        .filter(|(name, _)| name == tag)
        .find(|(_, attributes)| get(attributes, key).as_deref() == Some(value))
        .and_then(|(_, attributes)| get(attributes, want))
}

/// Checks the redirect page at `file` of `public` leads to the page at `to`: its refresh, its
/// canonical link (under `canonical`) and its visible link (under `base`).
fn assert_redirect(public: &Path, file: &str, to: &str, base: &str, canonical: &str) {
    let html = fs::read_to_string(public.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let tags = start_tags(&html);
    assert!(html.starts_with("<!DOCTYPE html>\n"), "{file}");
    assert_eq!(
        attribute(&tags, "html", ("lang", "en-GB"), "lang").as_deref(),
        Some("en-GB"),
        "{file}: the site's language"
    );
    let refresh = attribute(&tags, "meta", ("http-equiv", "refresh"), "content");
    assert_eq!(refresh, Some(format!("0; url={base}{to}")), "{file}");
    let canonical_href = attribute(&tags, "link", ("rel", "canonical"), "href");
    assert_eq!(canonical_href, Some(format!("{canonical}{to}")), "{file}");
    let robots = attribute(&tags, "meta", ("name", "robots"), "content");
    assert_eq!(robots.as_deref(), Some("noindex"), "{file}");
    let links: Vec<String> = tags
        .iter()
        .filter(|(name, _)| name == "a")
        .flat_map(|(_, attributes)| attributes.iter().filter(|(k, _)| k == "href"))
        .map(|(_, href)| href.clone())
        .collect();
    assert_eq!(links, [format!("{base}{to}")], "{file}: one plain link");
    assert!(html.contains("This page has moved to <a href="), "{file}");
    let title = &html[html.find("<title>").expect("a title")..];
    assert!(title.starts_with("<title>Page moved: "), "{file}: {title}");
    assert!(
        !tags
            .iter()
            .any(|(name, _)| name == "script" || name == "style"),
        "{file}: no script"
    );
}

#[test]
fn each_alias_is_a_redirect_at_the_root_and_under_a_base_url_and_never_in_the_sitemap() {
    let site = fixture_site();
    let root = site.path();
    build(root, "root", &[]);
    build(root, "archive", &["--base-url", ARCHIVE]);
    for (file, to) in REDIRECTS {
        // Without a host, the canonical link is the base path's address.
        assert_redirect(&root.join("root"), file, to, "/", "/");
        assert_redirect(&root.join("archive"), file, to, "/archive/", ARCHIVE);
    }
    let sitemap = fs::read_to_string(root.join("archive/sitemap.xml")).expect("sitemap");
    for (file, to) in REDIRECTS {
        let old = file.trim_end_matches("index.html");
        assert!(
            !sitemap.contains(&format!("<loc>{ARCHIVE}{old}</loc>")),
            "{old}"
        );
        assert!(
            sitemap.contains(&format!("<loc>{ARCHIVE}{to}</loc>")),
            "{to}"
        );
    }
    // A folder alias keeps the page's files at the old address too.
    for (copy, file) in [
        (
            "reports/2019/q2/data/figures.csv",
            "reports/2019-20/q2/data/figures.csv",
        ),
        (
            "minutes/2019-12-05/meeting.json",
            "minutes/children-osc/2019-12-05/meeting.json",
        ),
    ] {
        let archive = root.join("archive");
        let read =
            |path: &str| fs::read(archive.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(read(copy), read(file), "{copy}");
    }
    assert!(!root.join("root/minutes/2019-12-05/meeting.json").exists());
    // Deterministic: the same input gives the same bytes.
    build(root, "again", &["--base-url", ARCHIVE]);
    assert!(snapshot(&root.join("archive")) == snapshot(&root.join("again")));
}

#[test]
fn the_summary_counts_redirects_apart_from_pages() {
    let site = fixture_site();
    let output = scrutiny(site.path(), &["build", "--out", "public"]);
    let message = stderr(&output);
    assert!(message.contains(" pages and 6 redirects ("), "{message}");
}

#[test]
fn hostile_aliases_are_errors_and_write_nothing_anywhere() {
    // The site in a folder of its own, so that nothing can be written beside it unseen.
    let outer = tempfile::tempdir().expect("temp dir");
    let root = &outer.path().join("site");
    let shipped = shipped_site();
    common::copy_tree(shipped.path(), root);
    let hostile = [
        "/../../../escaped/",
        "/\\\"><script>alert(1)</script>/",
        "/%2e%2e/%2e%2e/escaped/",
        "//evil.example/",
        "javascript:alert(1)",
        "/old\\\\..\\\\..\\\\escaped/",
        "/old/?<script>",
    ];
    let list: Vec<String> = hostile.iter().map(|a| format!("\"{a}\"")).collect();
    let page = format!(
        "+++\ntitle = \"Hostile (synthetic)\"\naliases = [{}]\n+++\n\nSynthetic.\n",
        list.join(", ")
    );
    fs::write(root.join("content/hostile.md"), page).expect("write the page");
    let parent = root.parent().expect("a parent");
    let around = common::names;
    let (before, before_parent) = (around(root), around(parent));
    for command in [&["build", "--out", "public"][..], &["check"]] {
        let output = scrutiny(root, command);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{message}");
        assert!(!message.contains("panicked"), "{message}");
        assert_eq!(
            message.matches("error: the alias `").count(),
            hostile.len(),
            "every alias refused: {message}"
        );
    }
    assert_eq!(around(root), before, "nothing written in the site folder");
    assert_eq!(around(parent), before_parent, "nothing written beside it");
}

/// Renames the fixture's report folder, as a publisher fixing where it was filed, and the
/// meeting's link to it.
fn rename_report(root: &Path) {
    let reports = root.join("content/reports/2019-20");
    fs::rename(reports.join("q2"), reports.join("q3")).expect("rename the report");
    let meeting = root.join("content/minutes/children-osc/2019-12-05.md");
    let text = fs::read_to_string(&meeting).expect("the meeting");
    fs::write(
        &meeting,
        text.replace("report:2019-20/q2", "report:2019-20/q3"),
    )
    .expect("write");
}

/// Adds the report's old address to the renamed report's aliases.
fn add_alias(root: &Path) {
    let index = root.join("content/reports/2019-20/q3/index.md");
    let text = fs::read_to_string(&index).expect("the report");
    let text = text.replace(
        "aliases = [\"/reports/2019/q2/\",",
        "aliases = [\"/reports/2019-20/q2/\", \"/reports/2019/q2/\",",
    );
    fs::write(&index, text).expect("write");
}

/// The lines of a failed comparison that name a URL or sum it up, and their hints.
fn unserved_lines(message: &str) -> Vec<&str> {
    message
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("error: ") || l.starts_with("= hint: "))
        .collect()
}

#[test]
fn check_previous_lists_every_url_a_renamed_report_no_longer_serves_until_it_has_an_alias() {
    let site = fixture_site();
    let root = site.path();
    build(root, "previous", &["--base-url", ARCHIVE]);
    rename_report(root);
    let check = |previous: &str| {
        scrutiny(
            root,
            &["check", "--previous", previous, "--base-url", ARCHIVE],
        )
    };

    let folder = check("previous");
    assert_eq!(folder.status.code(), Some(1), "{}", stderr(&folder));
    let checked = common::walk(&root.join("previous")).len() - 1;
    let summary = format!(
        "error: 2 of the {checked} URLs the earlier build published are not served by this build"
    );
    assert_eq!(
        unserved_lines(&stderr(&folder)),
        [
            "error: /reports/2019-20/q2/ was published by the earlier build and this build does not serve it",
            "= hint: add aliases = [\"/reports/2019-20/q2/\"] to the front matter of the page that replaces it",
            "error: /reports/2019-20/q2/data/figures.csv was published by the earlier build and this build does not serve it",
            "= hint: it is a file of the page /reports/2019-20/q2/, which is not served either: its alias, aliases = [\"/reports/2019-20/q2/\"] on the page that replaces it, keeps the page's files too",
            summary.as_str(),
        ]
    );
    let sitemap = check("previous/sitemap.xml");
    assert_eq!(sitemap.status.code(), Some(1), "{}", stderr(&sitemap));
    let message = stderr(&sitemap);
    let lines = unserved_lines(&message);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("error: /reports/2019-20/q2/ was published"));
    assert!(lines[2].starts_with("error: 1 of the "), "{lines:?}");

    add_alias(root);
    for previous in ["previous", "previous/sitemap.xml"] {
        let output = check(previous);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(0), "{previous}: {message}");
        assert!(
            message.contains("every URL of the earlier build is still served ("),
            "{message}"
        );
    }
    let message = stderr(&check("previous"));
    assert!(
        message.contains(&format!("still served ({checked} checked)")),
        "{message}"
    );
}

#[test]
fn a_sitemap_of_another_host_and_base_path_is_compared_path_by_path() {
    let site = fixture_site();
    let root = site.path();
    build(
        root,
        "previous",
        &["--base-url", "https://old.example.gov.uk/"],
    );
    let output = scrutiny(
        root,
        &[
            "check",
            "--previous",
            "previous/sitemap.xml",
            "--base-url",
            ARCHIVE,
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    rename_report(root);
    let output = scrutiny(
        root,
        &[
            "check",
            "--previous",
            "previous/sitemap.xml",
            "--base-url",
            ARCHIVE,
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error: /reports/2019-20/q2/ was published"));
}

#[test]
fn build_previous_writes_nothing_when_a_url_would_be_lost() {
    let site = fixture_site();
    let root = site.path();
    build(root, "public", &["--base-url", ARCHIVE]);
    let before = snapshot(&root.join("public"));
    rename_report(root);
    let args = [
        "build",
        "--out",
        "public",
        "--previous",
        "public",
        "--base-url",
        ARCHIVE,
    ];
    let output = scrutiny(root, &args);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("nothing written; "), "{message}");
    assert!(
        snapshot(&root.join("public")) == before,
        "the output was left as it was"
    );
    add_alias(root);
    let output = scrutiny(root, &args);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(
        message.contains("every URL of the earlier build is still served ("),
        "{message}"
    );
    assert!(
        root.join("public/reports/2019-20/q2/index.html").exists(),
        "the redirect"
    );
    assert!(
        root.join("public/reports/2019-20/q3/index.html").exists(),
        "the report"
    );
}

#[test]
fn a_build_without_a_host_says_why_it_may_serve_less() {
    let site = fixture_site();
    let root = site.path();
    build(root, "previous", &["--base-url", ARCHIVE]);
    let output = scrutiny(root, &["check", "--previous", "previous"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("error: /sitemap.xml was published"),
        "{message}"
    );
    assert!(
        message.contains("note: this build is for the base URL `/`, which has no host"),
        "{message}"
    );
}

#[test]
fn a_previous_that_is_neither_a_build_nor_a_sitemap_is_a_usage_error() {
    let site = fixture_site();
    let root = site.path();
    fs::create_dir_all(root.join("notes")).expect("mkdir");
    fs::write(root.join("notes/todo.txt"), "not a build").expect("write");
    for (previous, why) in [
        (
            "content",
            "is not the output of a scrutiny build: it has no .nojekyll",
        ),
        ("notes", "is not the output of a scrutiny build"),
        ("nowhere", "cannot be read"),
        ("site.toml", "is not a sitemap"),
        ("notes/todo.txt", "is not a sitemap"),
    ] {
        for command in ["check", "build"] {
            let output = scrutiny(root, &[command, "--previous", previous]);
            let message = stderr(&output);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{command} {previous}: {message}"
            );
            assert!(
                message.contains("error: --previous ") && message.contains(why),
                "{command} {previous}: {message}"
            );
        }
    }
    assert!(
        !root.join("public").exists(),
        "a usage error builds nothing"
    );
}

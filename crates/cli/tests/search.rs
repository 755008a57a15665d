//! End-to-end: search (the default `search` feature). The build writes the search page and
//! Pagefind's bundle under `pagefind/`, indexes what the templates mark and nothing of a
//! superseded version or a redirect, gives the same index however many threads write the
//! pages, and lets no other output into the index's folder.
#![cfg(feature = "search")]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::{overlay, read, repo, scrutiny, shipped_site, snapshot, stderr};

/// Builds `site` into `public/` with `threads` threads; the files under `pagefind/`.
fn index_with_threads(site: &Path, threads: &str) -> BTreeMap<String, Vec<u8>> {
    let public = site.join(format!("public-{threads}"));
    let output = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args([
            "--root",
            site.to_str().expect("utf-8 path"),
            "build",
            "--out",
        ])
        .arg(&public)
        .env("CI", "true")
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("run scrutiny");
    assert!(output.status.success(), "{}", stderr(&output));
    snapshot(&public.join("pagefind"))
}

#[test]
fn the_search_page_and_the_index_are_written_and_the_summary_times_the_indexing() {
    let site = shipped_site();
    let output = scrutiny(
        site.path(),
        &["build", "--base-url", "https://example.github.io/archive/"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = stderr(&output);
    assert!(
        summary.contains(" (search index of ") && summary.contains(" ms)"),
        "{summary}"
    );
    let public = site.path().join("public");
    let search = read(&public, "search/index.html");
    assert!(search.contains("<label for=\"search-query\">"));
    assert!(search.contains("<input id=\"search-query\" name=\"q\" type=\"search\""));
    assert!(search.contains("role=\"status\""));
    assert!(search.contains("<script type=\"module\" src=\"/archive/search/search.js\"></script>"));
    assert!(search.contains("Search needs JavaScript"));
    assert!(
        !search.contains("data-pagefind-body"),
        "the search page is not indexed"
    );
    let script = read(&public, "search/search.js");
    assert!(script.contains("pagefind/pagefind.js"));
    for file in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json"] {
        assert!(public.join(file).is_file(), "{file}");
    }
    let bundle = snapshot(&public.join("pagefind"));
    assert!(bundle.keys().any(|k| k.ends_with(".pf_fragment")));
    assert!(
        !bundle.keys().any(|k| k.contains("-ui.")),
        "the default UI is not written: {:?}",
        bundle.keys().collect::<Vec<_>>()
    );
    let home = read(&public, "index.html");
    assert!(
        home.contains("<a href=\"/archive/search/\">Search</a>"),
        "Search is in the navigation"
    );
}

#[test]
fn what_is_indexed_is_the_main_content_of_the_pages_meant() {
    let site = shipped_site();
    let output = scrutiny(site.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let public = site.path().join("public");
    let body = "<main id=\"main\" class=\"wrap\" tabindex=\"-1\" data-pagefind-body>";
    for page in [
        "reports/2022-23/q2/index.html",
        "indicators/cla-missing-children/index.html",
        "minutes/children-osc/2022-11-17/index.html",
        "actions/index.html",
    ] {
        assert!(read(&public, page).contains(body), "{page} is indexed");
    }
    for page in [
        "index.html",
        "reports/index.html",
        "minutes/index.html",
        "404.html",
    ] {
        assert!(
            !read(&public, page).contains("data-pagefind-body"),
            "{page} is not indexed"
        );
    }
    let report = read(&public, "reports/2022-23/q2/index.html");
    assert!(
        report
            .contains("<nav aria-label=\"Breadcrumb\" class=\"breadcrumb\" data-pagefind-ignore>")
    );
    let meeting = read(
        &public,
        "minutes/children-osc/undated-portfolio-holder-report/index.html",
    );
    assert!(
        meeting.contains("<div class=\"action\" id=\"action-uasc-transfers\" data-pagefind-title=\"Action for Janet Simon: uasc-transfers\">"),
        "an action is a place of its own in the results, at its id"
    );
}

#[test]
fn superseded_versions_and_redirects_are_not_indexed() {
    let site = shipped_site();
    overlay(&repo().join("tests/fixtures/archive-quarters"), site.path());
    overlay(&repo().join("tests/fixtures/aliases"), site.path());
    let output = scrutiny(site.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let public = site.path().join("public");
    let v1 = read(&public, "reports/2019-20/q4/v1/index.html");
    assert!(v1.contains("noindex") && !v1.contains("data-pagefind-body"));
    assert!(read(&public, "reports/2019-20/q4/index.html").contains("data-pagefind-body"));
    let redirects: Vec<String> = snapshot(&public)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .filter(|html| html.contains("http-equiv=\"refresh\""))
        .collect();
    assert!(!redirects.is_empty());
    assert!(redirects.iter().all(|html| !html.contains("data-pagefind")));
}

#[test]
fn the_index_is_the_same_however_many_threads_write_the_pages() {
    let site = shipped_site();
    // More meetings than the writer renders in one batch, so the batches and threads matter.
    let minutes = site.path().join("content/minutes/children-osc");
    for day in 0..300 {
        let date = format!("2030-{:02}-{:02}", day / 28 + 1, day % 28 + 1);
        let text = format!(
            "## 1. Item {day} {{#item-1}}\n\nMembers discussed topic {} and placement {day}.\n\nRESOLVED:\n\n1.1 That report {day} be noted.\n",
            day % 17
        );
        fs::write(minutes.join(format!("{date}.md")), text).expect("write a meeting");
    }
    let one = index_with_threads(site.path(), "1");
    let four = index_with_threads(site.path(), "4");
    assert!(one.keys().filter(|k| k.ends_with(".pf_fragment")).count() > 300);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        four.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(
            bytes == &four[path],
            "pagefind/{path} differs with 1 and 4 threads"
        );
    }
}

#[test]
fn nothing_else_may_be_written_in_the_index_folder() {
    let site = shipped_site();
    let page = site
        .path()
        .join("content/minutes/children-osc/2022-11-17.md");
    let text = fs::read_to_string(&page).expect("read the meeting");
    let moved = text.replacen("+++\n", "+++\naliases = [\"/pagefind/old/\"]\n", 1);
    fs::write(&page, moved).expect("write the meeting");
    let output = scrutiny(site.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("the alias `/pagefind/old/` names an address the build writes: it is taken by the search plugin, which writes /pagefind/"),
        "{}",
        stderr(&output)
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn an_unchanged_site_reuses_its_index_and_a_site_can_do_without_search() {
    let site = shipped_site();
    let root = site.path();
    let build = || {
        let output = scrutiny(root, &["build"]);
        assert!(output.status.success(), "{}", stderr(&output));
        (stderr(&output), snapshot(&root.join("public/pagefind")))
    };
    let (first, made) = build();
    assert!(first.contains(" files, made: "), "{first}");
    let (second, reused) = build();
    assert!(second.contains("unchanged, from the cache"), "{second}");
    assert_eq!(reused, made, "the index from the cache differs");
    fs::remove_dir_all(root.join(".scrutiny-cache")).expect("remove the cache");
    let (third, remade) = build();
    assert!(third.contains(" files, made: "), "{third}");
    assert_eq!(remade, made, "the index made again differs");

    let config = fs::read_to_string(root.join("site.toml")).expect("site.toml");
    fs::write(root.join("site.toml"), format!("search = false\n{config}")).expect("site.toml");
    let output = scrutiny(root, &["build"]);
    let summary = stderr(&output);
    assert!(output.status.success(), "{summary}");
    assert!(!summary.contains("search index"), "{summary}");
    let public = root.join("public");
    assert!(!public.join("pagefind").exists() && !public.join("search").exists());
    assert!(!read(&public, "index.html").contains(">Search</a>"));
}

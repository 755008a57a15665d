//! End-to-end: a rebuild writes only what changed, and what it leaves is what a clean build
//! writes. The shipped site is built once, then edited as a clerk, an analyst and a publisher
//! would (a meeting's text, a new meeting, renamed, then deleted, a report's narrative, the
//! theme, `site.toml`, the base URL); after each edit it is built again into the same folder
//! and, from nothing, into another, and the two must hold the same files, byte for byte, and
//! the same folders. A content error in between leaves the output as it was. A rebuild renders
//! only the pages whose templates or context changed, and keeps the rest as they are.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::{scrutiny, shipped_site, snapshot, stderr};

/// What a build said it did to its output: (files written, unchanged, removed).
fn written(message: &str) -> (usize, usize, usize) {
    assert!(message.contains(" written, "), "{message}");
    let message = message
        .lines()
        .rfind(|line| line.contains(" written, "))
        .unwrap_or_default();
    let number = |label: &str| -> usize {
        message
            .split(label)
            .next()
            .and_then(|before| before.rsplit([' ', '(']).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (number(" written"), number(" unchanged"), number(" removed"))
}

/// Builds the site in `root` into `out`; what it did to it.
fn build(root: &Path, out: &str, base_url: &str) -> (usize, usize, usize) {
    build_rendering(root, out, base_url).0
}

/// Builds the site in `root` into `out`: what it did to it, and how many pages it rendered
/// with the theme's templates and kept as they were (the counts of `SCRUTINY_TIMINGS=1`).
fn build_rendering(
    root: &Path,
    out: &str,
    base_url: &str,
) -> ((usize, usize, usize), (usize, usize)) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["--root", root.to_str().expect("utf-8 path")])
        .args(["build", "--out", out, "--base-url", base_url])
        .env("CI", "true")
        .env("SCRUTINY_TIMINGS", "1")
        .output()
        .expect("run scrutiny");
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    let count = |name: &str| -> usize {
        let line = format!("count: {name} ");
        message
            .lines()
            .find_map(|l| l.strip_prefix(&line))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} count in {message}"))
    };
    (written(&message), (count("rendered"), count("kept")))
}

/// Every folder under `dir`, relative.
fn folders(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .display()
                .to_string()
        })
        .collect()
}

/// Builds `root` again into `public` and from nothing into `clean`; checks both hold the same
/// files and folders. Gives what the rebuild did.
fn rebuild_equals_clean(root: &Path, base_url: &str, edit: &str) -> (usize, usize, usize) {
    let done = build(root, "public", base_url);
    let _ = fs::remove_dir_all(root.join("clean"));
    let _ = fs::remove_dir_all(root.join(".scrutiny-cache/clean"));
    let clean = build(root, "clean", base_url);
    assert_eq!(clean.1, 0, "{edit}: a clean build found files unchanged");
    let (public, fresh) = (
        snapshot(&root.join("public")),
        snapshot(&root.join("clean")),
    );
    let differ: Vec<&String> = public
        .keys()
        .chain(fresh.keys())
        .filter(|path| public.get(*path) != fresh.get(*path))
        .collect();
    assert!(
        differ.is_empty(),
        "{edit}: differs from a clean build at {differ:?}"
    );
    assert_eq!(
        folders(&root.join("public")),
        folders(&root.join("clean")),
        "{edit}: folders differ"
    );
    assert_eq!(
        done.0 + done.1,
        clean.0,
        "{edit}: {done:?} against {clean:?}"
    );
    done
}

/// Replaces `from` with `to` in the file `path` of `root`, which must hold it.
fn replace(root: &Path, path: &str, from: &str, to: &str) {
    let file = root.join(path);
    let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(text.contains(from), "{path} has no {from:?}");
    fs::write(&file, text.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{path}: {e}"));
}

const MEETING: &str = "+++
title = \"Synthetic minutes: Children's Services Overview and Scrutiny Committee, 12 January 2023\"
date = 2023-01-12
status = \"approved\"
note = \"Synthetic meeting written for a test; not real minutes.\"
+++

## 1. Apologies for absence {#item-1}

Apologies for absence were received from Councillor Cedar.
";

#[test]
fn every_edit_rebuilds_to_what_a_clean_build_writes() {
    let site = shipped_site();
    let root = site.path();
    let base = "https://example.github.io/archive/";
    let first = build(root, "public", base);
    assert_eq!(
        (first.1, first.2),
        (0, 0),
        "a first build writes everything"
    );
    let all = first.0;

    let unchanged = rebuild_equals_clean(root, base, "no change");
    assert_eq!(
        unchanged,
        (0, all, 0),
        "a rebuild with nothing changed wrote files"
    );

    let minutes = "content/minutes/children-osc/2022-11-17.md";
    replace(
        root,
        minutes,
        "The Chair applauded",
        "The Chair warmly applauded",
    );
    let edited = rebuild_equals_clean(root, base, "a meeting's text");
    assert!(edited.0 > 0 && edited.0 < all / 4, "{edited:?} of {all}");
    // Rendered: the meeting's page, and each page that shows that text or links to it.
    let (_, (rendered, kept)) = build_rendering(root, "public", base);
    assert_eq!(
        rendered, 0,
        "nothing changed, yet {rendered} pages were rendered"
    );
    replace(
        root,
        minutes,
        "The Chair warmly applauded",
        "The Chair applauded",
    );
    let (_, (rendered, kept_now)) = build_rendering(root, "public", base);
    assert_eq!(kept_now + rendered, kept);
    assert!(
        (1..=kept / 10).contains(&rendered),
        "{rendered} pages rendered after one meeting's text changed, {kept_now} kept"
    );
    rebuild_equals_clean(root, base, "a meeting's text put back");

    let new = "content/minutes/children-osc/2023-01-12.md";
    fs::write(root.join(new), MEETING).expect("a new meeting");
    let added = rebuild_equals_clean(root, base, "a new meeting");
    // The search index's files are named after their content: some go, others come.
    assert!(added.0 > 0, "{added:?}");

    let renamed = "content/minutes/children-osc/2023-01-19.md";
    fs::rename(root.join(new), root.join(renamed)).expect("rename");
    replace(root, renamed, "12 January 2023", "19 January 2023");
    replace(root, renamed, "2023-01-12", "2023-01-19");
    let moved = rebuild_equals_clean(root, base, "a renamed meeting");
    assert!(moved.2 > 0, "the old meeting's pages stayed: {moved:?}");

    fs::remove_file(root.join(renamed)).expect("delete");
    let deleted = rebuild_equals_clean(root, base, "a deleted meeting");
    assert!(deleted.2 > 0, "{deleted:?}");

    let narrative = "content/reports/2022-23/q2/mash.md";
    let text = fs::read_to_string(root.join(narrative)).expect("the narrative");
    fs::write(root.join(narrative), format!("{text}\nA sentence added.\n")).expect("edit");
    rebuild_equals_clean(root, base, "a report's narrative");

    replace(
        root,
        "themes/default/templates/base.html",
        "</body>",
        "<!-- edited -->\n</body>",
    );
    // Every HTML page, and nothing else: the data files and charts are not templated.
    let themed = rebuild_equals_clean(root, base, "the theme");
    let pages = snapshot(&root.join("public"))
        .into_iter()
        .filter(|(path, bytes)| path.ends_with(".html") && bytes.ends_with(b"</html>\n"))
        .count();
    assert!(
        themed.0 >= pages && themed.0 < all,
        "{themed:?}, {pages} pages"
    );

    // A partial only some pages include.
    replace(
        root,
        "themes/default/templates/partials/synthetic.html",
        "made up",
        "invented",
    );
    rebuild_equals_clean(root, base, "a partial template");

    // The glossary marks acronyms on every page, with what each stands for.
    replace(
        root,
        "data/glossary.toml",
        "expansion = \"Children Looked After\"",
        "expansion = \"Children Looked After (edited)\"",
    );
    rebuild_equals_clean(root, base, "the glossary");

    replace(root, "site.toml", "title = \"", "title = \"Edited: ");
    rebuild_equals_clean(root, base, "site.toml");

    rebuild_equals_clean(root, "/archive/", "the base URL");

    // A content error: nothing changes, and the next good build finds everything in place.
    let before = snapshot(&root.join("public"));
    replace(root, minutes, "## 7.", "## 7. {#item-7} {#item-7}\n\n## 7.");
    let failed = scrutiny(
        root,
        &["build", "--out", "public", "--base-url", "/archive/"],
    );
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert_eq!(
        snapshot(&root.join("public")),
        before,
        "a failed build changed the output"
    );
    replace(root, minutes, "## 7. {#item-7} {#item-7}\n\n", "");
    let good = rebuild_equals_clean(root, "/archive/", "after an error");
    assert_eq!(good.0, 0, "{good:?}");
}

/// Waits until what was just written is old enough for a build to keep a record of it (a build
/// that begins within a file system tick of a change does not: see `scrutiny_core::fresh`).
fn settle() {
    std::thread::sleep(scrutiny_core::fresh::SETTLED + std::time::Duration::from_millis(50));
}

/// Builds `root` into `public`: whether the build said it was up to date, and what it did.
fn build_saying(root: &Path, base_url: &str) -> (bool, (usize, usize, usize)) {
    let output = scrutiny(root, &["build", "--out", "public", "--base-url", base_url]);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    (
        message.contains("up to date: nothing changed since the last build"),
        written(&message),
    )
}

#[test]
fn a_build_with_nothing_changed_is_up_to_date_and_any_change_is_seen() {
    let site = shipped_site();
    let root = site.path();
    let base = "https://example.github.io/archive/";
    settle();
    let (fresh, first) = build_saying(root, base);
    assert!(!fresh, "a first build has everything to do");
    let all = first.0;
    let (fresh, again) = build_saying(root, base);
    assert!(fresh, "nothing changed, yet the build was not up to date");
    assert_eq!(again, (0, all, 0));

    // A file rewritten with as many bytes and its modification time set back is still seen.
    let minutes = root.join("content/minutes/children-osc/2022-11-17.md");
    let modified = fs::metadata(&minutes)
        .and_then(|m| m.modified())
        .expect("mtime");
    let text = fs::read_to_string(&minutes).expect("minutes");
    fs::write(
        &minutes,
        text.replacen("The Chair applauded", "The Chair applaudeD", 1),
    )
    .expect("edit");
    fs::File::options()
        .write(true)
        .open(&minutes)
        .and_then(|f| f.set_modified(modified))
        .expect("mtime set back");
    settle();
    let (fresh, edited) = build_saying(root, base);
    assert!(!fresh && edited.0 > 0, "{edited:?}");
    let page = fs::read_to_string(root.join("public/minutes/children-osc/2022-11-17/index.html"))
        .expect("the meeting's page");
    assert!(
        page.contains("The Chair applaudeD"),
        "the edit is not on the page"
    );
    assert!(build_saying(root, base).0);

    // The output changed by hand, or a file of it gone, or a folder added: built again.
    let index = root.join("public/index.html");
    let home = fs::read(&index).expect("home page");
    fs::write(&index, b"edited by hand").expect("hand edit");
    let (fresh, repaired) = build_saying(root, base);
    assert!(!fresh && repaired.0 == 1, "{repaired:?}");
    assert_eq!(fs::read(&index).expect("home page"), home);
    fs::remove_file(&index).expect("removed");
    let (fresh, restored) = build_saying(root, base);
    assert!(!fresh && restored.0 == 1, "{restored:?}");
    fs::create_dir(root.join("public/stray")).expect("a stray folder");
    let (fresh, cleaned) = build_saying(root, base);
    assert!(!fresh && cleaned.0 == 0, "{cleaned:?}");
    assert!(
        !root.join("public/stray").exists(),
        "the stray folder stayed"
    );
    assert!(build_saying(root, base).0);

    // A new file of the theme, another base URL, a lost cache: built again.
    fs::write(root.join("themes/default/static/extra.txt"), "extra").expect("theme file");
    settle();
    let (fresh, themed) = build_saying(root, base);
    assert!(!fresh && themed.0 == 1, "{themed:?}");
    let (fresh, _) = build_saying(root, "/archive/");
    assert!(!fresh, "another base URL was taken as no change");
    assert!(build_saying(root, "/archive/").0);
    fs::remove_dir_all(root.join(".scrutiny-cache")).expect("cache removed");
    let (fresh, lost) = build_saying(root, "/archive/");
    assert!(!fresh && lost.1 == 0, "{lost:?}");
}

#[test]
fn an_error_in_a_meeting_read_back_from_the_parse_cache_is_placed_as_in_its_file() {
    let site = shipped_site();
    let root = site.path();
    let folder = root.join("content/minutes/children-osc");
    let linking = "+++\n+++\n\n## 1. Matters arising {#item-1}\n\nAs reported at [the January meeting](meeting:children-osc/2023-01-12#item-1).\n";
    fs::write(folder.join("2023-02-09.md"), linking).expect("linking meeting");
    fs::write(folder.join("2023-01-12.md"), MEETING).expect("linked meeting");
    build(root, "public", "/");
    // The second build parses every file again, and keeps what it parsed for the next.
    replace(root, "site.toml", "title = \"", "title = \"Edited: ");
    build(root, "public", "/");
    fs::remove_file(folder.join("2023-01-12.md")).expect("deleted");
    let built = scrutiny(root, &["build", "--out", "public"]);
    let checked = scrutiny(root, &["check"]);
    assert_eq!(built.status.code(), Some(1), "{}", stderr(&built));
    let (built, checked) = (stderr(&built), stderr(&checked));
    let place = "content/minutes/children-osc/2023-02-09.md:6:";
    assert!(built.contains(place), "{built}");
    let errors = |report: &str| {
        report
            .split("error: ")
            .skip(1)
            .map(|e| e.split("nothing written").next().unwrap_or(e).to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        errors(&built)[..1],
        errors(&checked)[..1],
        "{built}\n---\n{checked}"
    );
}

//! End-to-end: following the archive and finding its pages. With a host, the site has an Atom
//! feed of reports and meetings, a feed a committee and a calendar of the meetings whose minutes
//! give the day, byte-identical from build to build and dated by the content (a correction
//! updates its report's entry); without one, none of them, and the build says why. Every HTML
//! page of the shipped site describes itself (its own description, plain and short) and has
//! its Open Graph tags, and links its feeds and its other forms (JSON, CSV).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{between, overlay, read, repo, scrutiny, shipped_site, stderr, walk};

/// The base URL of a project site on GitHub Pages.
const ARCHIVE: &str = "https://example.github.io/archive/";

/// What follows the archive: the site's feed, a committee's and the calendar.
const FOLLOW: [&str; 3] = ["feed.xml", "minutes/children-osc/feed.xml", "meetings.ics"];

/// Builds `root` into `out` (relative to it) for `base_url`; what it printed.
fn build(root: &Path, out: &str, base_url: &str) -> String {
    let output = scrutiny(root, &["build", "--out", out, "--base-url", base_url]);
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8_lossy(&output.stdout).into_owned() + &stderr(&output)
}

/// Each start tag of `html`: name and attributes, by name.
fn start_tags(html: &str) -> Vec<(String, BTreeMap<String, String>)> {
    common::start_tags(html)
        .into_iter()
        .map(|(name, attributes)| (name, attributes.into_iter().collect()))
        .collect()
}

/// The `content` of the `<meta>` whose `key` (`name`, `property`) is `value`.
fn meta(tags: &[(String, BTreeMap<String, String>)], key: &str, value: &str) -> Option<String> {
    tags.iter()
        .find(|(name, a)| name == "meta" && a.get(key).map(String::as_str) == Some(value))
        .and_then(|(_, a)| a.get("content").cloned())
}

/// The hrefs of the `<link rel="alternate" type="…">` of a page.
fn alternates(tags: &[(String, BTreeMap<String, String>)], media_type: &str) -> Vec<String> {
    tags.iter()
        .filter(|(name, a)| {
            name == "link"
                && a.get("rel").map(String::as_str) == Some("alternate")
                && a.get("type").map(String::as_str) == Some(media_type)
        })
        .filter_map(|(_, a)| a.get("href").cloned())
        .collect()
}

#[test]
fn the_feeds_and_calendar_are_byte_identical_between_builds_and_dated_by_the_content() {
    let site = shipped_site();
    overlay(&repo().join("tests/fixtures/archive-quarters"), site.path());
    build(site.path(), "one", ARCHIVE);
    build(site.path(), "two", ARCHIVE);
    for file in FOLLOW {
        let one = std::fs::read(site.path().join("one").join(file)).expect("written");
        let two = std::fs::read(site.path().join("two").join(file)).expect("written");
        assert!(one == two, "{file} differs between two builds");
    }
    let feed = read(&site.path().join("one"), "feed.xml");
    // Q4 2019-20 was published on 21 May 2020 and a figure of it corrected on 9 July 2020.
    let entry = between(
        &feed,
        "<id>https://example.github.io/archive/reports/2019-20/q4/</id>",
        "</entry>",
    );
    assert!(
        entry.contains("<updated>2020-07-09T00:00:00+00:00</updated>")
            && entry.contains("<published>2020-05-21T00:00:00+00:00</published>"),
        "{entry}"
    );
    // Newest first: the 2022 meeting and report before the synthetic quarters of 2020-21.
    let first = feed
        .find("/minutes/children-osc/2022-11-17/")
        .unwrap_or(usize::MAX);
    let later = feed.find("/reports/2020-21/q3/").unwrap_or(0);
    assert!(first < later, "entries are not newest first: {feed}");
    // Superseded versions are not entries of their own.
    assert!(!feed.contains("/v1/"), "{feed}");
}

#[test]
fn the_feeds_and_calendar_leave_out_meetings_not_dated_to_a_day() {
    let site = shipped_site();
    overlay(&repo().join("tests/fixtures/clerk-workflow"), site.path());
    build(site.path(), "public", "https://example.github.io/");
    let public = site.path().join("public");
    let calendar = read(&public, "meetings.ics");
    let feed = read(&public, "minutes/children-osc/feed.xml");
    for day in ["20221117", "20230119", "20230316"] {
        assert!(
            calendar.contains(&format!("DTSTART;VALUE=DATE:{day}")),
            "{calendar}"
        );
    }
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), 3, "{calendar}");
    for undated in ["2023-09-xx", "2024-xx-xx", "undated-"] {
        assert!(!calendar.contains(undated), "{undated} in {calendar}");
        assert!(!feed.contains(undated), "{undated} in {feed}");
    }
    // Every line ends CRLF (`str::lines` would hide a CR).
    let pieces: Vec<&str> = calendar.split('\n').collect();
    assert!(
        pieces.last() == Some(&""),
        "the calendar does not end with a line end"
    );
    assert!(pieces[..pieces.len() - 1].iter().all(|l| l.ends_with('\r')));
    assert!(calendar.contains("DTSTAMP:20221117T000000Z"), "{calendar}");
    let minutes = read(&public, "minutes/index.html");
    assert!(
        minutes.contains("Add the committee&#39;s meetings to your calendar"),
        "{minutes}"
    );
}

#[test]
fn a_feed_holds_its_newest_entries_and_the_calendar_every_meeting() {
    let site = shipped_site();
    // Sixty meetings more of the committee, on the first of each month from 2030.
    let folder = site.path().join("content/minutes/children-osc");
    let days: Vec<String> = (0..60)
        .map(|n| format!("{}-{:02}-01", 2030 + n / 12, n % 12 + 1))
        .collect();
    for day in &days {
        let minutes = "+++\n+++\n\n## 1. Apologies for absence {#item-1}\n\nNone were received.\n";
        std::fs::write(folder.join(format!("{day}.md")), minutes).expect("written");
    }
    build(site.path(), "public", ARCHIVE);
    let public = site.path().join("public");
    let entries = |feed: &str| feed.matches("<entry>").count();
    for path in ["feed.xml", "minutes/children-osc/feed.xml"] {
        let feed = read(&public, path);
        assert_eq!(entries(&feed), 50, "{path}: {feed}");
        // The newest, newest first; not the oldest meeting nor any report.
        let newest = feed
            .find("/minutes/children-osc/2034-12-01/")
            .expect("newest");
        let next = feed
            .find("/minutes/children-osc/2034-11-01/")
            .expect("next");
        assert!(newest < next, "{path}: {feed}");
        assert!(feed.contains("/minutes/children-osc/2030-11-01/"), "{path}");
        assert!(
            !feed.contains("/minutes/children-osc/2030-10-01/"),
            "{path}"
        );
        assert!(
            !feed.contains("/minutes/children-osc/2022-11-17/"),
            "{path}"
        );
        assert!(!feed.contains("/reports/"), "{path}");
    }
    // The calendar has every meeting dated to a day.
    let calendar = read(&public, "meetings.ics");
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), 61, "{calendar}");
    assert!(calendar.ends_with("END:VCALENDAR\r\n"), "{calendar}");
}

#[test]
fn without_a_host_there_is_no_feed_nor_calendar_and_the_build_says_why() {
    let site = shipped_site();
    let said = build(site.path(), "public", "/archive/");
    let public = site.path().join("public");
    for file in FOLLOW {
        assert!(!public.join(file).exists(), "{file} was written");
    }
    assert!(
        said.contains("Atom feeds (feed.xml)") && said.contains("calendar (meetings.ics)"),
        "{said}"
    );
    for page in walk(&public)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(&page).expect("page");
        let tags = start_tags(&html);
        assert!(
            alternates(&tags, "application/atom+xml").is_empty(),
            "{page:?}"
        );
        assert_eq!(meta(&tags, "property", "og:url"), None, "{page:?}");
        assert!(meta(&tags, "property", "og:title").is_some(), "{page:?}");
    }
    assert!(!read(&public, "minutes/index.html").contains("meetings.ics"));
}

/// Problems of one page's head: its description, Open Graph tags and alternate links.
fn head_problems(public: &Path, name: &str, html: &str) -> (Vec<String>, String) {
    let tags = start_tags(html);
    let mut problems = Vec::new();
    let description = meta(&tags, "name", "description").unwrap_or_default();
    if description.trim().is_empty() || description.chars().count() > 160 {
        problems.push(format!(
            "description {description:?} is empty or over 160 characters"
        ));
    }
    if description.contains(['<', '>', '*', '`', '[', '\n']) {
        problems.push(format!("description {description:?} is not plain text"));
    }
    for property in ["og:title", "og:description", "og:type", "og:site_name"] {
        if meta(&tags, "property", property).is_none_or(|c| c.is_empty()) {
            problems.push(format!("no {property}"));
        }
    }
    if meta(&tags, "property", "og:description").as_ref() != Some(&description) {
        problems.push("og:description is not the description".to_string());
    }
    let url = meta(&tags, "property", "og:url").unwrap_or_default();
    if !url.starts_with(ARCHIVE) {
        problems.push(format!("og:url {url:?} is not absolute under {ARCHIVE}"));
    }
    let feeds = alternates(&tags, "application/atom+xml");
    if !feeds.contains(&"/archive/feed.xml".to_string()) {
        problems.push(format!("does not link the site's feed: {feeds:?}"));
    }
    for media_type in ["application/atom+xml", "application/json", "text/csv"] {
        for href in alternates(&tags, media_type) {
            let file = href.strip_prefix("/archive/").map(|p| public.join(p));
            if !file.is_some_and(|f| f.is_file()) {
                problems.push(format!("links {href} ({media_type}), which is no file"));
            }
        }
    }
    (
        problems
            .into_iter()
            .map(|p| format!("{name}: {p}"))
            .collect(),
        description,
    )
}

#[test]
fn every_page_of_the_shipped_site_describes_itself_and_has_its_open_graph_tags() {
    let site = shipped_site();
    build(site.path(), "public", ARCHIVE);
    let public = site.path().join("public");
    let mut problems = Vec::new();
    let mut described: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut pages = 0;
    for page in walk(&public)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let name = page
            .strip_prefix(&public)
            .expect("under public")
            .display()
            .to_string();
        let html = std::fs::read_to_string(&page).expect("page");
        let (found, description) = head_problems(&public, &name, &html);
        problems.extend(found);
        described.entry(description).or_default().push(name);
        pages += 1;
    }
    assert!(pages > 40, "only {pages} pages");
    for (description, names) in &described {
        if names.len() > 1 {
            problems.push(format!("{names:?} share the description {description:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The report, a meeting and an indicator each say what they are, and link their data.
    let report = read(&public, "reports/2022-23/q2/index.html");
    assert!(
        report.contains(
            r#"<meta name="description" content="This report shows that: Between July and September 2022"#
        ),
        "{}",
        between(&report, "<head>", "</head>")
    );
    assert!(
        report.contains(r#"type="text/csv" href="/archive/reports/2022-23/q2/data/figures.csv""#)
    );
    let meeting = read(&public, "minutes/children-osc/2022-11-17/index.html");
    assert!(meeting.contains("Item: 7. Children’s Social Care Performance"));
    assert!(meeting.contains(
        r#"type="application/json" href="/archive/minutes/children-osc/2022-11-17/meeting.json""#
    ));
    assert!(meeting.contains(r#"href="/archive/minutes/children-osc/feed.xml""#));
    let tracker = read(&public, "actions/index.html");
    assert!(tracker.contains(r#"type="application/json" href="/archive/actions/actions.json""#));
}

//! End-to-end: a clerk adds a meeting with a resolution and an action, updates the action at a
//! later meeting, and the tracker, both meetings and the report all link to each other.

mod common;

use std::fs;

use common::{copy_tree, repo, scrutiny, shipped_site, stderr};

/// A base URL with a host, and the path `/`: the links are as at `/`, and the meetings have their
/// Open Civic Data events (which need absolute URLs).
const HOSTED: [&str; 2] = ["--base-url", "https://example.github.io/"];

/// The README's example meeting, as a clerk would copy it (with a note that it is synthetic).
const JANUARY: &str = include_str!(
    "../../../tests/fixtures/clerk-workflow/content/minutes/children-osc/2023-01-19.md"
);

/// The README's later meeting, which updates January's action and links back to it.
const MARCH: &str = include_str!(
    "../../../tests/fixtures/clerk-workflow/content/minutes/children-osc/2023-03-16.md"
);

#[test]
fn a_clerk_adds_a_meeting_updates_an_action_and_everything_links_up() {
    let site = shipped_site();
    let root = site.path();
    let new = scrutiny(root, &["new", "minutes", "children-osc", "2023-01-19"]);
    assert!(new.status.success(), "{}", stderr(&new));
    let january = root.join("content/minutes/children-osc/2023-01-19.md");
    let skeleton = fs::read_to_string(&january).expect("skeleton written");
    assert!(
        skeleton.contains("RESOLVED:"),
        "the skeleton shows the syntax"
    );
    let again = scrutiny(root, &["new", "minutes", "children-osc", "2023-01-19"]);
    assert_eq!(again.status.code(), Some(1), "never overwrites");
    let skeleton_build = scrutiny(root, &["build", "--out", "public"]);
    assert!(
        skeleton_build.status.success(),
        "the skeleton builds as written: {}",
        stderr(&skeleton_build)
    );

    fs::write(&january, JANUARY).expect("write January");
    fs::write(
        root.join("content/minutes/children-osc/2023-03-16.md"),
        MARCH,
    )
    .expect("write March");
    let build = scrutiny(root, &["build", "--out", "public", HOSTED[0], HOSTED[1]]);
    assert!(build.status.success(), "{}", stderr(&build));
    let public = root.join("public");
    let read = |path: &str| {
        fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };

    // The tracker: the action, its owner and due date, where it was raised, its update, done.
    let tracker = read("actions/index.html");
    let entry = &tracker[tracker
        .find("id=\"action-uasc-transfers-2023\"")
        .expect("action on the tracker")..];
    let entry = &entry[..entry.find("</article>").expect("end of the entry")];
    assert!(entry.contains("Done"), "{entry}");
    assert!(entry.contains("Janet Simon"));
    assert!(entry.contains("1 March 2023"));
    assert!(
        entry.contains("href=\"/minutes/children-osc/2023-01-19/#action-uasc-transfers-2023\""),
        "raised at"
    );
    assert!(
        entry.contains("href=\"/minutes/children-osc/2023-03-16/#update-uasc-transfers-2023\""),
        "every update"
    );
    assert!(
        entry.contains("56 days (until the meeting that closed it)"),
        "19 January to 16 March: {entry}"
    );

    // The January meeting: the resolution and action with anchors, the action's current status.
    let meeting = read("minutes/children-osc/2023-01-19/index.html");
    assert!(meeting.contains("id=\"item-4-resolution-4-1\""));
    assert!(meeting.contains("id=\"action-uasc-transfers-2023\""));
    assert!(meeting.contains("href=\"/actions/#action-uasc-transfers-2023\""));
    assert!(meeting.contains("<span class=\"status\">Done</span>"));
    assert!(meeting.contains("href=\"/reports/2022-23/q2/#cla\""));
    assert!(meeting.contains("Approved"));
    assert!(
        meeting.contains("href=\"/minutes/children-osc/2023-03-16/#item-2\""),
        "backlink from March"
    );
    assert!(
        meeting.contains("<dt>Latest update</dt><dd><a href=\"/minutes/children-osc/2023-03-16/#update-uasc-transfers-2023\">"),
        "the action links where it was last updated"
    );

    // The report lists the meeting item, its resolution and its action, each once (the item
    // links the report and one of its sections), in the order of the minutes.
    let report = read("reports/2022-23/q2/index.html");
    let linked_from = &report[report
        .find("id=\"linked-from\"")
        .expect("the report lists what refers to it")..];
    let positions: Vec<usize> = [
        "href=\"/minutes/children-osc/2023-01-19/#item-4\"",
        "href=\"/minutes/children-osc/2023-01-19/#item-4-resolution-4-1\"",
        "href=\"/minutes/children-osc/2023-01-19/#action-uasc-transfers-2023\"",
    ]
    .iter()
    .map(|href| {
        assert_eq!(
            linked_from.matches(href).count(),
            1,
            "{href} once: {linked_from}"
        );
        linked_from.find(href).expect("listed")
    })
    .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "item, resolution, action in order: {linked_from}"
    );
    // The meeting the report went to is named where the report says so; the minutes of it
    // (which do not link the report: their archive note is in the front matter) are not
    // listed again.
    let presented = &report[report.find("id=\"presented\"").expect("presented to")..];
    assert!(
        presented[..presented.find("</dd>").expect("one entry")]
            .contains("href=\"/minutes/children-osc/2022-11-17/#item-7\""),
        "{presented}"
    );
    assert!(!linked_from.contains("2022-11-17"), "{linked_from}");

    // The minutes index counts the March meeting's update.
    let index = read("minutes/index.html");
    assert!(
        index.contains("0 resolutions, 0 actions, 1 action update"),
        "{index}"
    );

    // Machine-readable: an Open Civic Data event per meeting, and every action.
    let event: serde_json::Value =
        serde_json::from_str(&read("minutes/children-osc/2023-01-19/meeting.json")).expect("JSON");
    assert_eq!(event["_type"], "event");
    assert_eq!(event["start_date"], "2023-01-19");
    assert_eq!(
        event["agenda"][0]["extras"]["resolutions"][0]["number"],
        "4.1"
    );
    assert_eq!(event["extras"]["actions"][0]["id"], "uasc-transfers-2023");
    assert_eq!(event["extras"]["actions"][0]["status"], "done");
    let actions: serde_json::Value =
        serde_json::from_str(&read("actions/actions.json")).expect("JSON");
    let action = actions["actions"]
        .as_array()
        .expect("list")
        .iter()
        .find(|a| a["id"] == "uasc-transfers-2023")
        .expect("listed");
    assert_eq!(
        action["updates"][0]["meeting"],
        "meeting:children-osc/2023-03-16"
    );
    assert!(
        meeting.contains("href=\"/minutes/children-osc/2023-01-19/meeting.json\""),
        "JSON linked from the page"
    );
}

#[test]
fn shipped_minutes_file_the_seed_meetings_honestly() {
    let site = shipped_site();
    let build = scrutiny(
        site.path(),
        &["build", "--out", "public", HOSTED[0], HOSTED[1]],
    );
    assert!(build.status.success(), "{}", stderr(&build));
    let public = site.path().join("public");
    let read = |path: &str| {
        fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let index = read("minutes/index.html");
    assert!(
        index.contains("Date not recorded"),
        "undated meetings are grouped, not given a date"
    );
    let undated = read("minutes/children-osc/undated-portfolio-holder-report/index.html");
    assert!(undated.contains("Date not recorded"));
    let tracker = read("actions/index.html");
    assert!(tracker.contains("id=\"action-uasc-transfers\""));
    assert!(tracker.contains("id=\"action-portfolio-holder-report-summary-table\""));
    // The seed minutes record no status of either action: neither is said to be open.
    assert!(
        tracker.contains("0 open, 2 whose status no minutes record, 0 done or dropped"),
        "{tracker}"
    );
    assert!(
        !tracker.contains("<span class=\"status\">Open</span>"),
        "{tracker}"
    );
    let november: serde_json::Value =
        serde_json::from_str(&read("minutes/children-osc/2022-11-17/meeting.json")).expect("JSON");
    assert_eq!(november["agenda"][0]["extras"]["id"], "item-7");
    let undated_event: serde_json::Value = serde_json::from_str(&read(
        "minutes/children-osc/undated-csc-performance/meeting.json",
    ))
    .expect("JSON");
    assert_eq!(
        undated_event["start_date"], "",
        "no invented date: Open Civic Data's blank date"
    );
    assert_eq!(
        undated_event["sources"][0]["url"],
        "https://example.github.io/minutes/children-osc/undated-csc-performance/"
    );
    let notes = undated_event["agenda"][0]["notes"]
        .as_array()
        .expect("notes");
    assert!(
        !notes.is_empty()
            && notes
                .iter()
                .all(|n| n.as_str().is_some_and(|n| !n.is_empty())),
        "each note a string: {notes:?}"
    );
    let report = read("reports/2022-23/q2/index.html");
    assert!(report.contains("href=\"/minutes/children-osc/2022-11-17/#item-7\">Children&#39;s Services Overview and Scrutiny Committee, 17 November 2022, item 7</a>"), "presented at, linked");
}

#[test]
fn the_clerk_fixture_shows_every_status_and_partial_date() {
    // The fixture the browser suite also checks: four synthetic meetings over the shipped site.
    let site = shipped_site();
    copy_tree(&repo().join("tests/fixtures/clerk-workflow"), site.path());
    let build = scrutiny(
        site.path(),
        &["build", "--out", "public", HOSTED[0], HOSTED[1]],
    );
    assert!(build.status.success(), "{}", stderr(&build));
    let read = |path: &str| {
        fs::read_to_string(site.path().join("public").join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let tracker = read("actions/index.html");
    for (id, status) in [
        ("missing-episodes-comparison", "In progress"),
        ("children-osc-2023-09-xx-1", "Dropped"),
        ("uasc-transfers-2023", "Done"),
        ("uasc-transfers", "Status not recorded"),
    ] {
        let entry = &tracker[tracker
            .find(&format!("id=\"action-{id}\""))
            .unwrap_or_else(|| panic!("{id} on the tracker"))..];
        let entry = &entry[..entry.find("</article>").expect("end of the entry")];
        assert!(entry.contains(status), "{id} is {status}: {entry}");
    }
    assert!(
        tracker.contains("1 open, 2 whose status no minutes record, 2 done or dropped"),
        "{tracker}"
    );
    let index = read("minutes/index.html");
    assert!(index.contains("September 2023 (day not recorded)"));
    assert!(index.contains("2024 (day and month not recorded)"));
    let september = read("minutes/children-osc/2023-09-xx/index.html");
    assert!(september.contains("id=\"item-2-resolution-b\""));
    assert!(
        !september.contains("item-2-resolution-3"),
        "the actions listed after the resolutions are not resolutions"
    );
    // Open Civic Data writes as much of a date as is known.
    for (meeting, start_date) in [("2023-09-xx", "2023-09"), ("2024-xx-xx", "2024")] {
        let event: serde_json::Value = serde_json::from_str(&read(&format!(
            "minutes/children-osc/{meeting}/meeting.json"
        )))
        .expect("JSON");
        assert_eq!(event["start_date"], start_date, "{meeting}");
    }
    let later = read("minutes/children-osc/2024-xx-xx/index.html");
    assert!(
        later.contains("<strong>That the updates be noted.</strong>"),
        "a bold RESOLVED keeps its emphasis, with no stray markers: {later}"
    );
}

#[test]
fn the_readme_example_is_the_fixture_the_tests_build() {
    // A clerk works from the README: its example minutes must be the ones the tests build.
    let readme = fs::read_to_string(repo().join("README.md")).expect("README");
    let examples: Vec<&str> = readme
        .split("```markdown\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .collect();
    assert_eq!(
        examples.len(),
        2,
        "the README shows a meeting and a later one"
    );
    let without_note = |text: &str| {
        text.lines()
            .filter(|l| !l.starts_with("note = "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(without_note(JANUARY).trim(), examples[0].trim());
    assert!(MARCH.contains(examples[1].trim()), "{MARCH}");
}

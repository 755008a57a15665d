//! End-to-end: the glossary (`data/glossary.toml`) and the accessibility statement
//! (`[accessibility]` in `site.toml`). The shipped site's glossary covers every acronym it uses
//! (no warning); the first use of each on a page is an `<abbr>` linked to its entry, under the
//! base path; an acronym the glossary does not know is a warning at its first use, and the
//! build still succeeds; both pages are linked from every page's footer.

mod common;

use std::fs;

use common::{read, scrutiny, shipped_site, stderr};

fn build(site: &std::path::Path, base_url: &str) -> (std::process::Output, std::path::PathBuf) {
    let public = site.join("public");
    let output = scrutiny(
        site,
        &[
            "build",
            "--out",
            public.to_str().expect("utf-8"),
            "--base-url",
            base_url,
        ],
    );
    (output, public)
}

#[test]
fn the_shipped_glossary_covers_every_acronym_and_first_uses_are_marked() {
    let site = shipped_site();
    let (output, public) = build(site.path(), "https://example.github.io/archive/");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    let check = scrutiny(site.path(), &["check"]);
    assert!(
        stderr(&check).contains("no problems found") && !stderr(&check).contains("warning"),
        "{}",
        stderr(&check)
    );

    let meeting = read(&public, "minutes/children-osc/2022-11-17/index.html");
    let marked = "<a class=\"glossary-term\" href=\"/archive/glossary/#uasc\"><abbr title=\"Unaccompanied Asylum-Seeking Children\">UASC</abbr></a>";
    assert_eq!(meeting.matches(marked).count(), 1, "{meeting}");
    // Only the first use: the minutes use UASC again.
    assert!(meeting.matches("UASC").count() > 2);

    let glossary = read(&public, "glossary/index.html");
    for expected in [
        "<dt id=\"uasc\" data-pagefind-title=\"UASC: Unaccompanied Asylum-Seeking Children\"><dfn>UASC</dfn></dt>",
        "Unaccompanied Asylum-Seeking Children",
        "paragraph 4.2, heading",
        "href=\"/archive/reports/2022-23/q2/\"",
        "<dt id=\"dcs\" ",
        "href=\"https://www.gov.uk/government/publications/directors-of-childrens-services-roles-and-responsibilities\"",
        "<dt id=\"smart\" data-pagefind-title=\"SMART\">",
        "Not expanded: the source documents do not say",
    ] {
        assert!(
            glossary.contains(expected),
            "{expected} not in the glossary"
        );
    }
    // Alphabetical.
    let at = |id: &str| {
        glossary
            .find(&format!("<dt id=\"{id}\""))
            .unwrap_or(usize::MAX)
    };
    assert!(at("adcsto") < at("cla") && at("cla") < at("uasc") && at("uasc") < at("wcag"));
    // The glossary page defines the acronyms: it does not link them to itself.
    assert!(!glossary.contains("glossary-term"));

    let home = read(&public, "index.html");
    assert!(home.contains("<a href=\"/archive/glossary/\">Glossary</a>"));
    assert!(home.contains("<a href=\"/archive/accessibility/\">Accessibility statement</a>"));
}

#[test]
fn the_accessibility_statement_takes_its_facts_from_site_toml() {
    let site = shipped_site();
    let (output, public) = build(site.path(), "https://example.github.io/archive/");
    assert!(output.status.success(), "{}", stderr(&output));
    let statement = read(&public, "accessibility/index.html");
    for expected in [
        "<h1>Accessibility statement for Children&#39;s Social Care Performance Archive</h1>",
        "This website is run by the scrutiny project",
        "https://github.com/scrutiny-publisher/scrutiny/issues",
        "partially compliant with the <a href=\"https://www.w3.org/TR/WCAG22/\">Web Content Accessibility Guidelines version 2.2</a> AA standard",
        "<h2>Enforcement procedure</h2>",
        "Equality Advisory and Support Service",
        "axe-core",
        "Nu HTML Checker",
        "320 pixels wide",
        "with the Tab key alone",
        "The time within which we answer a request is not recorded.",
        "This website was last tested on 2 December 2026.",
        "This statement was prepared on 2 December 2026. It was last reviewed on a date not recorded.",
        "at <a href=\"https://example.github.io/archive/\">",
    ] {
        assert!(
            statement.contains(expected),
            "{expected} not in\n{statement}"
        );
    }
    assert!(!statement.contains("@"), "no email address is invented");

    // The facts are site.toml's: another status, contact and date show.
    let toml = fs::read_to_string(site.path().join("site.toml")).expect("site.toml");
    let toml = toml
        .replace(
            "compliance = \"partial\"",
            "compliance = \"partial\"\nemail = \"web@example.gov.uk\"\nresponse_days = 5",
        )
        .replace("prepared = \"2026-12-02\"", "prepared = \"2026-11-30\"");
    fs::write(site.path().join("site.toml"), toml).expect("write");
    let (output, public) = build(site.path(), "/");
    assert!(output.status.success(), "{}", stderr(&output));
    let statement = read(&public, "accessibility/index.html");
    for expected in [
        "<a href=\"mailto:web@example.gov.uk\">web@example.gov.uk</a>",
        "get back to you in 5 working days",
        "prepared on 30 November 2026",
    ] {
        assert!(
            statement.contains(expected),
            "{expected} not in\n{statement}"
        );
    }
}

#[test]
fn an_acronym_the_glossary_does_not_know_is_a_warning_at_its_first_use() {
    let site = shipped_site();
    let page = site.path().join("content/glossary-test.md");
    fs::write(
        &page,
        "+++\ntitle = \"Synthetic test page\"\n+++\n\nThe XQZV panel met.\n\nThe XQZV panel met again. RESOLVED is not an acronym.\n",
    )
    .expect("write");
    let output = scrutiny(site.path(), &["check"]);
    assert!(
        output.status.success(),
        "a warning is not an error: {}",
        stderr(&output)
    );
    let report = stderr(&output);
    assert!(
        report.contains("warning: `XQZV` is not in the glossary: first used at content/glossary-test.md:5:5 (on /glossary-test/)"),
        "{report}"
    );
    assert!(
        report.contains("hint: add a [[term]] for `XQZV` to data/glossary.toml"),
        "{report}"
    );
    assert!(!report.contains("`RESOLVED`"), "{report}");
    assert!(report.contains("1 warning"), "{report}");
    let (output, _) = build(site.path(), "/");
    assert!(output.status.success());
    assert!(stderr(&output).contains("warning: `XQZV` is not in the glossary"));
}

#[test]
fn a_site_without_a_glossary_marks_nothing_and_warns_of_nothing() {
    let site = shipped_site();
    fs::remove_file(site.path().join("data/glossary.toml")).expect("remove");
    let (output, public) = build(site.path(), "/");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    assert!(!public.join("glossary").exists());
    let home = read(&public, "index.html");
    assert!(
        !home.contains("glossary"),
        "no link to a glossary there is not"
    );
    assert!(home.contains("accessibility/"));
}

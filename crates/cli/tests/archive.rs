//! End-to-end: the versioned archive (`tests/fixtures/archive-quarters`, four synthetic quarters
//! laid over the shipped site). A resident steps from a quarter to the one before and after and
//! to the same quarter a year earlier; a corrected figure says when and why it changed, and each
//! earlier version stays readable, marked superseded and left out of the sitemap; a figure a
//! later report states otherwise is named a restatement on the pages and in a warning.

mod common;

use std::path::PathBuf;

use common::{between, overlay, read, repo, scrutiny, shipped_site, snapshot, stderr};

/// The shipped site with the fixture over it, built into `public/` for `base_url`; with what
/// `check` printed.
fn built(base_url: &str) -> (tempfile::TempDir, PathBuf, String) {
    let site = shipped_site();
    overlay(&repo().join("tests/fixtures/archive-quarters"), site.path());
    let build = scrutiny(
        site.path(),
        &["build", "--out", "public", "--base-url", base_url],
    );
    assert!(build.status.success(), "{}", stderr(&build));
    let check = scrutiny(site.path(), &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let public = site.path().join("public");
    (site, public, stderr(&check))
}

fn fs_exists(public: &std::path::Path, path: &str) -> bool {
    public.join(path).exists()
}

#[test]
fn each_quarter_links_to_the_one_before_and_after_and_a_year_earlier() {
    let (_site, public, _) = built("https://example.github.io/archive/");
    let nav = |key: &str| {
        let page = read(&public, &format!("reports/{key}/index.html"));
        between(&page, "class=\"series-nav\"", "</nav>").to_string()
    };
    let q3 = nav("2020-21/q3");
    // Q2 2020-21 is not in the archive: the previous report is Q1.
    assert!(
        q3.contains(
            "<a href=\"/archive/reports/2020-21/q1/\" rel=\"prev\">Previous report: Q1 2020-21</a>"
        ),
        "{q3}"
    );
    assert!(
        q3.contains(
            "<a href=\"/archive/reports/2022-23/q2/\" rel=\"next\">Next report: Q2 2022-23</a>"
        ),
        "{q3}"
    );
    assert!(q3.contains("<a href=\"/archive/reports/2019-20/q3/\">The same quarter a year earlier: Q3 2019-20</a>"), "{q3}");
    let first = nav("2019-20/q3");
    assert!(
        !first.contains("rel=\"prev\""),
        "the first quarter has none before it"
    );
    assert!(first.contains("href=\"/archive/reports/2019-20/q4/\" rel=\"next\""));
    assert!(!first.contains("a year earlier"), "{first}");
    // `/reports/` lists every release of the series by financial year, newest first.
    let index = read(&public, "reports/index.html");
    let years: Vec<usize> = [
        "id=\"year-2022-23\"",
        "id=\"year-2020-21\"",
        "id=\"year-2019-20\"",
    ]
    .iter()
    .map(|y| index.find(y).unwrap_or_else(|| panic!("{y}")))
    .collect();
    assert!(years.windows(2).all(|w| w[0] < w[1]), "{index}");
    // The old address of Q1 2020-21 still leads to it.
    let moved = read(&public, "reports/2020-21/quarter-1/index.html");
    assert!(
        moved.contains("content=\"0; url=/archive/reports/2020-21/q1/\""),
        "{moved}"
    );
    assert!(!read(&public, "sitemap.xml").contains("quarter-1"));
}

#[test]
fn a_corrected_figure_says_when_and_why_and_every_version_stays_readable() {
    let (_site, public, _) = built("https://example.github.io/archive/");
    let latest = read(&public, "reports/2019-20/q4/index.html");
    assert!(
        latest.contains("<dd>3 of 3 (the latest)</dd>"),
        "version 3: two corrections"
    );
    let log = between(&latest, "Updates to this report", "</div>");
    let (july, june) = (log.find("9 July 2020"), log.find("4 June 2020"));
    assert!(july.is_some() && july < june, "newest first: {log}");
    assert!(log.contains(
        "changed from 119 to 120. A young person supervised from 31 March was added (synthetic)."
    ));
    assert!(log.contains("<a href=\"/archive/reports/2019-20/q4/v1/\">Read version 1, as it was before this correction</a>"));
    let row = between(&latest, "id=\"figure-yj-caseload\"", "</tr>");
    assert!(
        row.contains("<td class=\"numeric\">120</td>"),
        "the data file's value"
    );
    assert!(row.contains("Corrected on 4 June 2020: previously published as 122. Two young people counted twice were removed (synthetic)."));
    assert!(row.contains("Corrected on 9 July 2020: previously published as 119."));

    // Version 1, as first published: 122, superseded, out of the sitemap, not to be indexed.
    let v1 = read(&public, "reports/2019-20/q4/v1/index.html");
    assert!(v1.contains("(version 1, superseded)</h1>"));
    assert!(v1.contains("This is version 1 of this report, as it was published until 4 June 2020"));
    assert!(v1.contains(
        "<a href=\"/archive/reports/2019-20/q4/\">Read the latest version (version 3)</a>"
    ));
    assert!(v1.contains("<meta name=\"robots\" content=\"noindex\">"));
    let v1_row = between(&v1, "id=\"figure-yj-caseload\"", "</tr>");
    assert!(
        v1_row.contains("<td class=\"numeric\">122</td>") && !v1_row.contains("Corrected on"),
        "{v1_row}"
    );
    assert!(read(&public, "reports/2019-20/q4/v1/data/figures.csv").contains(",122,"));
    // The latest CSV says what each corrected figure was first published as, and when it changed.
    let csv = read(&public, "reports/2019-20/q4/data/figures.csv");
    assert!(
        csv.lines()
            .next()
            .is_some_and(|h| h.ends_with(",note,first_published_value,corrected_on,synthetic")),
        "{csv}"
    );
    assert!(
        csv.contains(",122,2020-06-04; 2020-07-09,true\r\n"),
        "{csv}"
    );
    assert!(
        read(&public, "reports/index.html")
            .contains("; version 3, last corrected 9 July 2020</li>")
    );
    // Version 2: after the first correction.
    let v2 = read(&public, "reports/2019-20/q4/v2/index.html");
    let v2_row = between(&v2, "id=\"figure-yj-caseload\"", "</tr>");
    assert!(
        v2_row.contains("<td class=\"numeric\">119</td>"),
        "{v2_row}"
    );
    assert!(v2_row.contains("Corrected on 4 June 2020") && !v2_row.contains("9 July 2020"));
    // Two figures corrected on one day make one version: custody is 7 in both earlier ones.
    for earlier in [&v1, &v2] {
        let custody = between(earlier, "id=\"figure-yj-in-custody\"", "</tr>");
        assert!(
            custody.contains("<td class=\"numeric\">7</td>"),
            "{custody}"
        );
    }
    assert!(!fs_exists(&public, "reports/2019-20/q4/v3/index.html"));
    // The report's old address keeps its versions.
    assert!(
        read(&public, "reports/2019-20/quarter-4/v1/index.html")
            .contains("content=\"0; url=/archive/reports/2019-20/q4/v1/\"")
    );
    assert!(!latest.contains("noindex"));
    let sitemap = read(&public, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.github.io/archive/reports/2019-20/q4/</loc>"));
    assert!(
        !sitemap.contains("/v1/") && !sitemap.contains("/v2/"),
        "{sitemap}"
    );
    // An old address of the report leads to its latest version, and only to it.
    let moved = read(&public, "reports/2019-20/q4/v1/index.html");
    assert!(!moved.contains("url=/archive/reports/2019-20/q4/v1/"));
    assert!(
        read(&public, "reports/2019-20/quarter-4/index.html")
            .contains("content=\"0; url=/archive/reports/2019-20/q4/\"")
    );
    // The indicator's history shows the correction.
    let history = read(&public, "indicators/yj-caseload/index.html");
    assert!(history.contains("Corrected on 9 July 2020: previously published as 119."));
}

#[test]
fn the_archive_builds_byte_identical_twice() {
    let (site, public, _) = built("https://example.github.io/archive/");
    let again = scrutiny(
        site.path(),
        &[
            "build",
            "--out",
            "again",
            "--base-url",
            "https://example.github.io/archive/",
        ],
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(snapshot(&public) == snapshot(&site.path().join("again")));
}

#[test]
fn a_figure_a_later_report_states_otherwise_is_named_a_restatement() {
    let (_site, public, check) = built("/");
    assert!(
        check.contains("warning: `yj-caseload` at 31 December 2019 is restated: 130 (data/2019-20/q3/youth-justice.toml:3:1) and 132 (data/2020-21/q3/youth-justice.toml:3:1)"),
        "{check}"
    );
    // The search page is one of them, in a build with search.
    let pages = if cfg!(feature = "search") { 61 } else { 60 };
    assert!(
        check.contains(&format!(
            "no problems found ({pages} pages would be built, 1 warning)"
        )),
        "{check}"
    );
    let page = read(&public, "indicators/yj-caseload/index.html");
    let restated = between(&page, "id=\"restated\"", "</ul>");
    assert!(restated.contains("First published as 130 in Synthetic test report: youth justice, Quarter 3 2019-20, paragraph Caseload and custody; restated as 132 in Synthetic test report: youth justice, Quarter 3 2020-21, paragraph Caseload and custody."), "{restated}");
    // The chart draws the later statement of a restated value, and the corrected figure.
    let chart = between(&page, "<desc id=", "</desc>");
    assert!(
        chart.contains("132 at 31 December 2019, 120 at 31 March 2020"),
        "{chart}"
    );
    // A later report quoting a figure as first published, since corrected, restates nothing.
    assert!(page.contains("Synthetic test report: youth justice, Quarter 1 2020-21, paragraph Caseload and custody gives 122, the figure Synthetic test report: youth justice, Quarter 4 2019-20, paragraph Caseload and custody published before its correction of 4 June 2020 (now 120)."), "{page}");
    let earlier = read(&public, "reports/2019-20/q3/index.html");
    let row = between(&earlier, "id=\"figure-yj-caseload\"", "</tr>");
    assert!(
        row.contains("restated as 132")
            && row.contains("href=\"/indicators/yj-caseload/#restated\""),
        "{row}"
    );
}

//! End-to-end: a report section declared in a TOML file (`tests/fixtures/youth-justice`, a
//! synthetic youth-justice section and a synthetic report of its own) laid over the shipped
//! site builds like a section written in Rust — its part of the report, its chart with its
//! table and CSV, its rows of the report's CSV, its indicator pages and its entry on
//! `/indicators/` — says "synthetic" wherever its figures are shown, never puts them to the
//! council's name, and its declared checks fail the build at the figures they are about.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{between, csv_rows, overlay, read, repo, scrutiny, shipped_site, stderr};

/// What every page that shows the section's figures says.
const LABEL: &str = "<strong class=\"status\">Synthetic data</strong>";

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/youth-justice")
}

/// The shipped site with the fixture over it, built into `public/`.
fn built() -> (tempfile::TempDir, PathBuf) {
    let site = shipped_site();
    overlay(&fixture(), site.path());
    let build = scrutiny(site.path(), &["build", "--out", "public"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let check = scrutiny(site.path(), &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let public = site.path().join("public");
    (site, public)
}

/// A page's `<main>`: what it shows of the figures, without the site's header and footer.
fn main_of(page: &str) -> &str {
    between(page, "<main", "</main>")
}

#[test]
fn the_toml_section_builds_like_a_rust_one_and_says_synthetic_everywhere() {
    let (_site, public) = built();

    // The synthetic report: its section, labelled, with the narrative and every figure.
    let report = read(&public, "reports/2019-20/q4/index.html");
    assert!(report.contains("<h1>Synthetic test report: youth justice, Quarter 4 2019-20</h1>"));
    assert!(report.contains("<a href=\"#youth-justice\">Youth justice (synthetic)</a>"));
    let section = between(&report, "<section id=\"youth-justice\"", "</section>");
    assert!(
        section.contains(
            "<h2 id=\"youth-justice-heading\">Youth justice (synthetic)</h2><p class=\"note\">"
        ),
        "the label follows the section's heading: {section}"
    );
    assert!(section.contains(LABEL));
    assert!(section.contains("<h3 id=\"yj-caseload-narrative\">Caseload and custody</h3>"));
    for id in ["yj-caseload", "yj-in-custody", "yj-ete"] {
        assert!(
            section.contains(&format!("<tr id=\"figure-{id}\">")),
            "{id} in the section's table"
        );
        assert!(section.contains(&format!("href=\"/indicators/{id}/\"")));
    }
    assert!(
        section.contains("<td class=\"numeric\">65% (78 of 120)</td>"),
        "{section}"
    );
    assert!(
        section.contains("<td class=\"numeric\">135 (31 Mar 2019)</td>"),
        "{section}"
    );

    // Its chart, where the narrative places it, with the two figures as a table.
    let chart = between(section, "<figure class=\"chart\"", "</figure>");
    assert!(
        section.find("<figure class=\"chart\"") > section.find("Caseload and custody</h3>")
            && section.find("<figure class=\"chart\"")
                < section.find("Education, training and employment</h3>"),
        "the chart is where the narrative places it"
    );
    assert!(chart.contains("Figure 1: Young people supervised, and those in custody"));
    assert!(chart.contains("<svg"));
    assert!(
        chart.contains("<th scope=\"col\">Indicator</th>"),
        "{chart}"
    );
    assert!(chart.contains(
        "<tr><th scope=\"row\">Young people supervised by the youth justice service</th><td>31 Mar 2020</td><td class=\"numeric\">120</td></tr>"
    ), "{chart}");
    assert!(chart.contains(
        "<tr><th scope=\"row\">Young people in custody</th><td>31 Mar 2020</td><td class=\"numeric\">6</td></tr>"
    ));
    assert!(
        chart.contains("number, Synthetic area, 31 Mar 2020"),
        "{chart}"
    );
    assert_eq!(
        section.matches("<figure class=\"chart\"").count(),
        1,
        "one chart: the group; the percentage has nothing to compare with"
    );
    assert!(
        !main_of(&report).contains("Thurrock"),
        "made-up figures are never put to the council's name"
    );
    assert!(
        chart.contains(
            "href=\"/reports/2019-20/q4/data/youth-justice-yj-caseload-and-custody.csv\""
        )
    );
    assert_eq!(
        read(
            &public,
            "reports/2019-20/q4/data/youth-justice-yj-caseload-and-custody.csv"
        ),
        "label,period,value,unit,synthetic\r\n\
         Young people supervised by the youth justice service,31 Mar 2020,120,number,true\r\n\
         Young people in custody,31 Mar 2020,6,number,true\r\n"
    );

    // Its rows of the report's CSV, each marked synthetic, with the counts behind 65%.
    let rows = csv_rows(&read(&public, "reports/2019-20/q4/data/figures.csv"));
    let figures: Vec<[&str; 6]> = rows
        .iter()
        .map(|r| {
            [
                r["indicator"].as_str(),
                r["value"].as_str(),
                r["last_year"].as_str(),
                r["part"].as_str(),
                r["whole"].as_str(),
                r["synthetic"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        figures,
        [
            ["yj-caseload", "120", "135", "", "", "true"],
            ["yj-in-custody", "6", "9", "", "", "true"],
            ["yj-ete", "65", "", "78", "120", "true"],
        ]
    );
    // The shipped report is untouched: none of its figures is synthetic.
    let shipped = csv_rows(&read(&public, "reports/2022-23/q2/data/figures.csv"));
    assert!(
        shipped
            .iter()
            .all(|r| r["synthetic"] == "false" && r["section"] != "youth-justice")
    );
    assert!(!read(&public, "reports/2022-23/q2/index.html").contains("Synthetic"));

    // Its three indicator pages, each labelled, with its history and CSV.
    for (id, name, value) in [
        (
            "yj-caseload",
            "Young people supervised by the youth justice service",
            "120",
        ),
        ("yj-in-custody", "Young people in custody", "6"),
        (
            "yj-ete",
            "Young people supervised in education, training or employment",
            "65% (78 of 120)",
        ),
    ] {
        let page = read(&public, &format!("indicators/{id}/index.html"));
        let main = main_of(&page);
        assert!(
            main.contains(&format!("<h1>{name}</h1><p class=\"note\">{LABEL}")),
            "{main}"
        );
        assert!(main.contains("<dd>Youth justice (synthetic)</dd>"));
        assert!(
            main.contains(&format!("<td class=\"numeric\">{value}</td>")),
            "{id}: {main}"
        );
        assert!(main.contains("href=\"/reports/2019-20/q4/#figure-"));
        assert!(!main.contains("Thurrock"), "{id}: {main}");
        let history = read(&public, &format!("indicators/{id}/{id}.csv"));
        assert!(
            history
                .lines()
                .next()
                .is_some_and(|l| l.ends_with(",synthetic")),
            "{history}"
        );
        assert!(
            history.lines().skip(1).all(|l| l.ends_with(",true")),
            "{history}"
        );
    }
    // The two counts with last year's figure have a chart of their history on a time axis,
    // of the synthetic area.
    let caseload = read(&public, "indicators/yj-caseload/index.html");
    assert!(caseload.contains(
        "Synthetic area: 135 at 31 March 2019 and 120 at 31 March 2020; from the first to the latest it fell by 11%, worked out from the values."
    ));
    assert_eq!(
        read(&public, "indicators/yj-caseload/yj-caseload-history.csv"),
        "label,period,value,unit,plotted_at,synthetic\r\nSynthetic area,31 Mar 2019,135,number,2019-03-31,true\r\nSynthetic area,31 Mar 2020,120,number,2020-03-31,true\r\n"
    );

    // The list of indicators: the section, labelled, with its three indicators.
    let list = read(&public, "indicators/index.html");
    let entry = between(&list, ">Youth justice (synthetic)</h2>", "</table>");
    assert!(
        entry.starts_with(&format!(
            ">Youth justice (synthetic)</h2><p class=\"note\">{LABEL}"
        )),
        "{entry}"
    );
    for id in ["yj-caseload", "yj-in-custody", "yj-ete"] {
        assert!(
            entry.contains(&format!("href=\"/indicators/{id}/\"")),
            "{entry}"
        );
    }
    assert_eq!(
        list.matches(LABEL).count(),
        1,
        "the shipped sections are not labelled"
    );
    // The report is listed with its synthetic title.
    assert!(
        read(&public, "reports/index.html")
            .contains("Synthetic test report: youth justice, Quarter 4 2019-20")
    );
}

#[test]
fn a_synthetic_latest_report_labels_its_home_page_cards() {
    // The same section's figures as the latest report, so its headline has a card.
    let site = shipped_site();
    let root = site.path();
    overlay(&fixture(), root);
    let q4 = |path: &str| fs::read_to_string(root.join(path)).expect("fixture file");
    fs::create_dir_all(root.join("content/reports/2023-24/q1")).expect("mkdir");
    fs::create_dir_all(root.join("data/2023-24/q1")).expect("mkdir");
    fs::write(
        root.join("content/reports/2023-24/q1/index.md"),
        q4("content/reports/2019-20/q4/index.md")
            .replace("Quarter 4 2019-20", "Quarter 1 2023-24")
            .replace("2020-05-21", "2023-08-17"),
    )
    .expect("write");
    fs::write(
        root.join("content/reports/2023-24/q1/youth-justice.md"),
        q4("content/reports/2019-20/q4/youth-justice.md"),
    )
    .expect("write");
    fs::write(
        root.join("data/2023-24/q1/youth-justice.toml"),
        q4("data/2019-20/q4/youth-justice.toml")
            .replace("2020-03-31", "2023-06-30")
            .replace(
                "[yj-caseload]\n",
                "[yj-caseload]\ncomparators.england = { value = 100, basis = \"2022-23\" }\n",
            ),
    )
    .expect("write");
    let build = scrutiny(root, &["build", "--out", "public"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let home = read(&root.join("public"), "index.html");
    let main = main_of(&home);
    assert!(
        main.contains("Young people supervised by the youth justice service"),
        "{main}"
    );
    assert!(
        main.contains(&format!(
            "<p class=\"card-value\">120</p><p class=\"note\">{LABEL}"
        )),
        "{main}"
    );
    assert!(
        main.contains("<p class=\"card-comparison\">Synthetic area is higher than"),
        "{main}"
    );
    assert!(!main.contains("Thurrock"), "{main}");
}

/// The fixture's figures with two mistakes the section's checks catch: more young people in
/// custody than supervised (this year and last), and a percentage whose whole is not the
/// caseload. `yj-ete` gives no period: it is the report's quarter, and the caseload, a count on
/// its last day, is compared with it.
const BAD_DATA: &str = r#"# Synthetic figures with mistakes, for the test of the section's checks.

[yj-caseload]
value = 120
period = "2020-03-31"
last_year = 135
source = { document = "youth-justice-synthetic", paragraph = "Caseload and custody" }

[yj-in-custody]
value = 130
period = "2020-03-31"
last_year = 140
source = { document = "youth-justice-synthetic", paragraph = "Caseload and custody" }

[yj-ete]
value = 65
part = 65
whole = 100
source = { document = "youth-justice-synthetic", paragraph = "Education, training and employment" }
"#;

#[test]
fn the_declared_checks_fail_the_build_at_the_figures() {
    let site = shipped_site();
    overlay(&fixture(), site.path());
    fs::write(
        site.path().join("data/2019-20/q4/youth-justice.toml"),
        BAD_DATA,
    )
    .expect("write");
    for command in [&["build", "--out", "public"][..], &["check"][..]] {
        let output = scrutiny(site.path(), command);
        let report = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{report}");
        assert!(!site.path().join("public").exists(), "nothing written");
        for (at, message, hint) in [
            (
                "data/2019-20/q4/youth-justice.toml:9:1",
                "error: `yj-in-custody` (130) is greater than `yj-caseload` (120), which is impossible: every young person in custody is supervised by the service",
                "hint: check both figures against the source; `yj-in-custody` must not exceed `yj-caseload`",
            ),
            (
                "data/2019-20/q4/youth-justice.toml:9:1",
                "error: `yj-in-custody` (140) at 31 March 2019 is greater than `yj-caseload` (135), which is impossible",
                "hint: check both figures",
            ),
            (
                "data/2019-20/q4/youth-justice.toml:15:1",
                "error: `yj-ete` is a share of 100, but `yj-caseload` is 120 in Q4 2019-20",
                "hint: the `whole` of `yj-ete` is every young person the service supervises on that date: check it and `yj-caseload` against the source",
            ),
        ] {
            let Some(start) = report.find(message) else {
                panic!("{message:?} not reported:\n{report}");
            };
            let entry = &report[start..];
            let entry = &entry[..entry.find("\n\n\n").unwrap_or(entry.len())];
            assert!(entry.contains(&format!("┌─ {at}")), "{at}: {entry}");
            assert!(entry.contains(hint), "{hint}: {entry}");
        }
        assert!(report.contains("3 problems found"), "{report}");
    }
}

#[test]
fn the_readme_example_is_the_fixture() {
    // An analyst copies the README's example: it must be the section the tests build.
    let readme = fs::read_to_string(repo().join("README.md")).expect("README");
    // The README's part, up to the next heading of its level outside a code block.
    let mut part = String::new();
    let mut fenced = false;
    for line in readme
        .lines()
        .skip_while(|l| *l != "## Adding a section without Rust")
    {
        if line.starts_with("## ") && !fenced && !part.is_empty() {
            break;
        }
        fenced ^= line.starts_with("```");
        part.push_str(line);
        part.push('\n');
    }
    for (lang, path) in [
        ("toml", "sections/youth-justice.toml"),
        ("md", "content/reports/2019-20/q4/youth-justice.md"),
        ("toml", "data/2019-20/q4/youth-justice.toml"),
        ("toml", "data/sources.toml.append"),
        ("md", "content/reports/2019-20/q4/index.md"),
    ] {
        let file = fs::read_to_string(fixture().join(path)).expect("fixture file");
        let file = file.trim_start();
        assert!(
            part.contains(&format!("```{lang}\n{file}```\n")),
            "the README shows {path} as the fixture has it"
        );
    }
}

//! End-to-end: the shipped site builds, shows every figure of the Q2 2022-23 report (and of the
//! minutes, on the indicator pages) with its source, works under a base path, and builds
//! byte-identically twice.

mod common;

use std::fs;

use common::{csv_rows, read, repo, rows_with, scrutiny, shipped_site, snapshot, stderr};

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
        charts, 22,
        "a chart for each figure with something to compare it with: MASH 6, CLA 5, CPP 5, care leavers 4, adoption 2"
    );
    assert_eq!(report.matches("role=\"img\"").count(), charts);
    assert_eq!(report.matches("<desc id=").count(), charts);
    assert_eq!(report.matches("as a table</summary>").count(), charts);
    assert!(
        report.contains("Figure 6: Assessments completed in timescale"),
        "figures are numbered in reading order"
    );
    assert!(
        report.contains("above the England average (84%, 2021-22; the report says &quot;the benchmarking data in March 2021-22&quot;)"),
        "direction is said in words"
    );
    let csv = read(&public, "reports/2022-23/q2/data/mash-referral-rate.csv");
    // The report compares with "the England rate of 494": not an average, and the 637 is of
    // "September 2021", as it gives it.
    assert_eq!(csv, "label,period,value,unit\r\nThurrock,30 Sep 2022,349,U\r\nThurrock,Sep 2021,637,U\r\nEngland rate,2021-22,494,U\r\nEastern Region rate,2021-22,317,U\r\n".replace('U', "\"rate per 10,000\""));
    let all = read(&public, "reports/2022-23/q2/data/figures.csv");
    assert_eq!(
        all.lines().count(),
        1 + 8 + 12 + 6 + 4 + 5,
        "a header and the figures of MASH (8), CLA (12), CPP (6), care leavers (4) and adoption (5)"
    );
    // The sections marker puts the closing paragraphs after the sections.
    assert!(report.find("id=\"mash\"") < report.find("Reasons for Recommendations"));
}

#[test]
fn home_page_shows_headline_cards_of_the_latest_quarter() {
    let (_dir, public) = build(None);
    let home = read(&public, "index.html");
    assert!(home.contains("Figures from the latest report: Q2 2022-23 (July to September 2022)"));
    assert!(
        home.contains("Down 22% from 106 in Sep 2021, worked out from the two figures."),
        "a change the source does not state is said to be worked out"
    );
    // The source states an 11% drop: that, and no change worked out (12%) that contradicts it.
    assert!(home.contains("Compared with 559 in Q2 2021-22, the source says “11% drop”."));
    assert!(!home.contains("12%"));
    // The source dates the 90% only "in 2021": not 30 September 2021.
    // It states how to read the change: "a consistent performance", not a rise.
    assert!(
        home.contains("Compared with 90% in 2021, the source says “a consistent performance”.")
    );
    assert!(!home.contains("90% at 30 September 2021"));
    assert_eq!(
        home.matches("class=\"card\"").count(),
        3 + 2 + 2 + 1 + 1,
        "headline cards of MASH, CLA, CPP, care leavers and adoption"
    );
}

#[test]
fn report_page_has_every_figure_of_the_other_sections_with_its_source() {
    let (_dir, public) = build(None);
    let report = read(&public, "reports/2022-23/q2/index.html");
    // Sections in report order, after MASH.
    let order: Vec<Option<usize>> = ["mash", "cla", "cpp", "care-leavers", "adoption"]
        .iter()
        .map(|id| report.find(&format!("<section id=\"{id}\"")))
        .collect();
    assert!(order.iter().all(Option::is_some), "{order:?}");
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // Every figure of sections 4 to 7 (and 7.2, 7.3), as the report states it.
    for figure in [
        // Children looked after
        "282",
        "62 per 10,000",
        "65 per 10,000",
        "67 per 10,000",
        "45",
        "31 children",
        "5",
        "10",
        "17",
        "21",
        "218",
        "28",
        "100%",
        "72%",
        "56%",
        "16% (44 of 282)",
        "68% (192 of 282)",
        "74%",
        // Child protection
        "83",
        "106",
        "223",
        "18.3 per 10,000",
        "23.4 per 10,000",
        "38.0 per 10,000",
        "42.0 per 10,000",
        "26 per 10,000",
        "26 per 10.00 at the end of Qu 1",
        "20",
        "42",
        "44",
        "88%",
        "89%",
        "14%",
        "16%",
        "23%",
        // Care leavers
        "257",
        "298",
        "54%",
        "49%",
        "52%",
        "92%",
        "91%",
        // Adoption
        "9",
        "609 days",
        "454 days",
        "435 days",
        "397 days",
        "459 days",
        "221 days",
        "184 days",
        "201 days",
        "199 days",
        "185 days",
        "40+ weeks",
        "Target: 26 weeks",
    ] {
        assert!(report.contains(figure), "the report page lacks {figure}");
    }
    for paragraph in [
        "paragraph 4.1",
        "paragraph 4.2",
        "paragraph 4.3",
        "paragraph 4.4",
        "paragraph 4.5",
        "paragraph 5.1",
        "paragraph 5.2",
        "paragraph 5.3",
        "paragraph 5.4",
        "paragraph 6.1",
        "paragraph 6.2",
        "paragraph 6.3",
        "paragraph 7.1",
        "paragraph 7.2",
        "paragraph 7.3",
    ] {
        assert!(report.contains(paragraph), "no figure cites {paragraph}");
    }
    // A figure the report does not state is "not recorded", never 0.
    let reviews = &report[report
        .find("id=\"figure-cpp-reviews-on-time\"")
        .expect("reviews row")..];
    let reviews = &reviews[..reviews.find("</tr>").expect("end of row")];
    assert!(
        reviews.contains("<td class=\"numeric\">not recorded"),
        "{reviews}"
    );
    assert!(!reviews.contains(">0%"), "{reviews}");
    // The report's footnotes keep their links.
    assert!(report.contains("https://www.legislation.gov.uk/ukpga/2000/35/contents"));
    assert!(report.contains(
        "https://www.gov.uk/government/publications/childrens-social-care-market-study-interim-report/interim-report"
    ));
    assert!(report.contains("Figure 22: Average days from placement order to placement"));
    let csv = read(&public, "reports/2022-23/q2/data/cpp-cpp-rate.csv");
    assert_eq!(
        csv,
        "label,period,value,unit\r\nThurrock,30 Sep 2022,18.3,U\r\nThurrock,Sep 2021,23.4,U\r\nStatistical Neighbour rate,2021-22,38.0,U\r\nEngland rate,2021-22,42.0,U\r\nEastern Region average,Q1 2022-23 (uncertain),26,U\r\n"
            .replace('U', "\"rate per 10,000\"")
    );
}

/// `html` without the markup around acronyms' first uses: `<a class="glossary-term" …><abbr …>`
/// and `</abbr></a>`.
fn without_glossary_marks(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<a class=\"glossary-term\"") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let open_end = after
            .find("<abbr")
            .and_then(|a| after[a..].find('>').map(|g| a + g + 1))
            .expect("a marked acronym");
        let inner = &after[open_end..];
        let close = inner.find("</abbr></a>").expect("its end");
        out.push_str(&inner[..close]);
        rest = &inner[close + "</abbr></a>".len()..];
    }
    out.push_str(rest);
    out
}

#[test]
fn report_narrative_is_the_reports_words_and_archive_notes_are_marked() {
    let (_dir, public) = build(None);
    let report = read(&public, "reports/2022-23/q2/index.html");
    // Paragraphs wrap in the HTML as in the Markdown: compare with whitespace made single, and
    // without the links to the glossary that mark each acronym's first use.
    let text = without_glossary_marks(&report)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // The report's words, its errors included, not a copy-edited version of them.
    for words in [
        "are carefully reviewed and does fluctuate each quarter",
        "In Q2 2022-23. Child protection episodes ending was 44 which is in line with 42",
        "This shows 31% drop when comparing to the same period in 2021-22.",
        "This shows 11% drop in number of referrals when comparing the two quarters.",
        "Between 01 April 2021 to 31 March 2022, there were 2,462 LCS referrals",
        "The below shows the number of referrals since Q2 2021-22.",
        "This shows 34% increase in Q2 2022-23. The graph below shows the number of assessments completed over time.",
        "at the end of Q2 2022-23. Thurrock was above Statistical Neighbour average of 89%",
        "Care entries have been lower over June July and August.",
        "as case are heard at court",
        "The graph below shows the rate of Children Looked After per 10,000 population of under 18-year-olds in Thurrock.",
        "The Eastern Region Co Coordinator who previously ensured",
        "The below graph shows the number of UASC that were looked after at the end of each month since July 2021.",
        "there were total of 218 missing episodes",
        "that needs to be addressed. that offer.",
        "16%(44) children were aged 0-5",
        "Additionally, number of children subject to a Child Protection Plan have been significantly lower",
        "26 per 10.00 [sic] at the end of Qu 1.",
        "The below graph shows the overall trend since July 2021.",
        "falls within Financial Year",
        "needed the support This cohort now has a wider remit",
        "The charts below show the Care Leaver cohort broken down by age and gender.",
        "help care leaver’s transition to living independently",
        "There has been delays in timetabling of final hearings",
        "(the target is 26)</p>",
    ] {
        assert!(
            text.contains(words),
            "the report page lacks the report's words: {words}"
        );
    }
    for edited in [
        "reviewed and the number does fluctuate",
        "the number of children subject to a Child Protection Plan has been",
        "This shows a 31% drop",
        "This shows an 11% drop",
        "This shows a 34% increase",
        "Between 1 April 2021 and 31 March 2022",
        "as cases are heard",
        "Co-ordinator who",
        "Children Looked After is per 10,000",
    ] {
        assert!(
            !text.contains(edited),
            "copy-edited wording on the report page: {edited}"
        );
    }
    // What is the archive's, not the report's, is set apart (in italics) as a note.
    for note in [
        "<em>In the report: section 3, “Thurrock Performance data” (3.1 to 3.5)",
        "<em>In the report: section 4, “Children Looked After (CLA)”",
        "<em>In the report: section 5, “Children Subject to a Child Protection Plan (CPP)”",
        "<em>In the report: section 6, “Care Leaving Service”",
        "<em>In the report: section 7, “Adoption”",
        "<em>The report’s graph of the number of referrals since Q2 2021-22 is not reproduced here",
        "<em>The report’s graph of the number of assessments completed over time is not reproduced here",
        "<em>From the executive summary:</em> Between July and September 2022, 77 cases were stepped down.",
        "<em>From the executive summary:</em> In Q2 2022-23, the number of Child Protection episodes starting was 20",
    ] {
        assert!(
            text.contains(note),
            "the report page lacks the archive note: {note}"
        );
    }
}

#[test]
fn figures_from_the_minutes_join_the_indicator_histories() {
    let (_dir, public) = build(None);
    // Each indicator's CSV beside its page is its open data, the same bytes.
    for id in ["cla-count", "care-leavers-eet", "cla-uasc-allocation"] {
        assert_eq!(
            read(&public, &format!("indicators/{id}/{id}.csv")),
            read(&public, &format!("data/indicators/{id}/figures.csv")),
            "{id}"
        );
    }
    let cla = csv_rows(&read(&public, "indicators/cla-count/cla-count.csv"));
    let report = rows_with(&cla, "report", "2022-23/q2");
    assert_eq!(report.len(), 1);
    assert_eq!(
        [
            &report[0]["period"],
            &report[0]["period_type"],
            &report[0]["value"]
        ],
        ["2022-09-30", "day", "282"]
    );
    assert_eq!(report[0]["source_paragraph"], "4.1");
    // The minutes' 284 and 267 have no year: approximate, with the source's words.
    for value in ["284", "267"] {
        let row = rows_with(&cla, "value", value);
        assert_eq!(row.len(), 1, "{value}");
        assert_eq!(row[0]["report"], "", "stated in the minutes, not a report");
        assert_eq!(row[0]["period_approximate"], "true", "{value}");
        assert!(!row[0]["period_note"].is_empty(), "{value}");
    }
    // Care leavers in EET: the report's 54 (with last year's 49) and the minutes' four.
    let eet = csv_rows(&read(
        &public,
        "indicators/care-leavers-eet/care-leavers-eet.csv",
    ));
    let mut values: Vec<&str> = eet.iter().map(|r| r["value"].as_str()).collect();
    assert_eq!(
        values[0], "54",
        "the report's figure first, then the minutes'"
    );
    values.sort();
    assert_eq!(values, ["39.9", "41", "43.3", "54", "58.6"]);
    assert_eq!(eet[0]["last_year"], "49");
    assert_eq!(
        [
            &eet[0]["last_year_period"],
            &eet[0]["last_year_period_type"]
        ],
        ["2021-09", "month"]
    );
    // A last-year figure the source dates only loosely has no machine period, and its words.
    let supported = csv_rows(&read(
        &public,
        "data/indicators/care-leavers-supported/figures.csv",
    ));
    assert_eq!(
        [
            &supported[0]["last_year"],
            &supported[0]["last_year_period"],
            &supported[0]["last_year_period_type"],
            &supported[0]["last_year_period_label"],
        ],
        ["298", "", "not-recorded", "the previous year"]
    );
    let uasc = read(&public, "indicators/cla-uasc/index.html");
    assert!(
        uasc.contains("period not recorded"),
        "38 of 318 has no date"
    );
    assert!(uasc.contains(">38<") || uasc.contains(">38 "), "{uasc}");
    let allocation = csv_rows(&read(
        &public,
        "indicators/cla-uasc-allocation/cla-uasc-allocation.csv",
    ));
    let values: Vec<&str> = allocation.iter().map(|r| r["value"].as_str()).collect();
    for value in ["31", "45"] {
        assert!(values.contains(&value), "{value} not in {values:?}");
    }
    let placed = csv_rows(&read(
        &public,
        "indicators/cla-placed-within-20-miles/cla-placed-within-20-miles.csv",
    ));
    let august = rows_with(&placed, "period", "2024-08-31");
    assert_eq!(august.len(), 1);
    assert_eq!(
        [&august[0]["value"], &august[0]["period_approximate"]],
        ["70", "false"]
    );
    let with_count = rows_with(&placed, "value", "68");
    assert_eq!(
        [
            &with_count[0]["part"],
            &with_count[0]["whole"],
            &with_count[0]["unit"]
        ],
        ["192", "282", "per cent"],
        "the count behind 68%"
    );
    let under_16 = csv_rows(&read(
        &public,
        "indicators/cla-missing-children-under-16/cla-missing-children-under-16.csv",
    ));
    let minutes = rows_with(
        &under_16,
        "source_document",
        "minutes-children-osc-2022-11-17",
    );
    assert_eq!(minutes.len(), 1);
    assert_eq!(
        [
            &minutes[0]["period"],
            &minutes[0]["period_type"],
            &minutes[0]["value"]
        ],
        ["2022-23-Q2", "quarter", "4"]
    );
    assert_eq!(
        minutes[0]["period_label"],
        "Q2 2022-23 (July to September 2022)"
    );
    let started = read(&public, "indicators/cla-started/index.html");
    assert!(started.contains("approximately August 2024"), "{started}");
}

#[test]
fn indicator_histories_are_charted_on_a_time_axis_one_line_a_series() {
    let (_dir, public) = build(None);
    // Care leavers in EET: the report's figures (aged 19 to 21) and the minutes' (ages not
    // stated) are two series, two lines; the minutes' 41% "at the end of Quarter 1" has no year,
    // so it is not drawn, and the chart says so.
    let eet = read(&public, "indicators/care-leavers-eet/index.html");
    let chart = &eet[eet.find("<figure class=\"chart\"").expect("a chart")..];
    let chart = &chart[..chart.find("</figure>").expect("its end")];
    for series in [
        "Care leavers aged 19 to 21",
        "Care leavers, ages not stated",
    ] {
        assert!(
            chart.contains(&format!("\n{series}\n</text>")),
            "the legend names {series}"
        );
    }
    assert_eq!(
        chart.matches("stroke-width=\"3\" points=").count(),
        4,
        "two lines, and the legend's two samples: {chart}"
    );
    assert!(chart.contains(
        "Care leavers aged 19 to 21: 49% in Sep 2021 and 54% at 30 September 2022; from the first to the latest it rose by 5 percentage points, worked out from the values."
    ));
    assert!(chart.contains(
        "Not drawn, as their sources do not date them exactly: 41% (Care leavers, ages not stated, approximately 30 June 2024)"
    ), "{chart}");
    assert!(chart.contains(
        "<tr><th scope=\"row\">Care leavers, ages not stated</th><td>about 30 Jun 2024</td><td class=\"numeric\">41%</td><td>not drawn: period only approximate</td></tr>"
    ), "{chart}");
    assert!(!chart.contains("\n41%\n</text>"), "41% is not drawn");
    let csv = read(&public, "indicators/care-leavers-eet/care-leavers-eet.csv");
    let rows = csv_rows(&csv);
    let series: Vec<&str> = rows.iter().map(|r| r["series"].as_str()).collect();
    assert_eq!(
        series,
        [
            "Care leavers aged 19 to 21",
            "Care leavers, ages not stated",
            "Care leavers, ages not stated",
            "Care leavers, ages not stated",
            "Care leavers, ages not stated",
        ]
    );
    assert_eq!(
        csv.matches(",\"Care leavers, ages not stated\",").count(),
        4,
        "quoted: it has a comma"
    );
    let history = read(
        &public,
        "indicators/care-leavers-eet/care-leavers-eet-history.csv",
    );
    assert!(
        history.contains("\"Care leavers, ages not stated\",Sep 2023,58.6,per cent,2023-09-30\r\n"),
        "{history}"
    );
    // A comparator is a point at the end of the period it describes.
    let referral_rate = read(
        &public,
        "indicators/referral-rate/referral-rate-history.csv",
    );
    assert!(referral_rate.contains("England rate,2021-22,494,\"rate per 10,000\",2022-03-31\r\n"));
    // Children looked after: one value of four has an exact date, so there is no chart, and
    // the page says why.
    let cla = read(&public, "indicators/cla-count/index.html");
    assert!(!cla.contains("<svg"));
    assert!(cla.contains("This history is not charted: it has 3 values, but only 1 of them has a date its source states exactly"));
    // The home page's card: its trend line, each series apart, with its numbers in text.
    let home = read(&public, "index.html");
    let card = &home[home
        .find("Care leavers in education, employment or training</h3>")
        .expect("the card")..];
    let card = &card[..card.find("</li>\n  \n").unwrap_or(card.len())];
    assert!(
        card.contains("class=\"sparkline\" aria-hidden=\"true\""),
        "{card}"
    );
    assert!(
        card.contains("Trend, Sep 2021 to 31 Aug 2024: 2 series, drawn apart"),
        "{card}"
    );
    assert!(card.contains(
        "Care leavers, ages not stated: 58.6% (Sep 2023), 39.9% (May 2024), 43.3% (31 Aug 2024); from the first to the latest it fell by 15.3 percentage points, worked out from the values."
    ), "{card}");
    assert_eq!(
        home.matches("class=\"card-trend\"").count(),
        1,
        "the only headline with three dated values"
    );
}

#[test]
fn hosting_files_are_written() {
    let (_dir, public) = build(Some("https://example.github.io/archive/"));
    assert!(public.join(".nojekyll").exists());
    assert!(read(&public, "404.html").contains("Page not found"));
    assert!(public.join("favicon.ico").is_file());
    let home = read(&public, "index.html");
    assert!(
        home.contains("<link rel=\"icon\" href=\"/archive/favicon.ico\""),
        "the favicon under the base path"
    );
    assert!(home.contains("href=\"/archive/sitemap.xml\">Sitemap</a>"));
    assert_eq!(
        read(&public, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.github.io/archive/sitemap.xml\n"
    );
    // Every HTML page but the not-found page, each by its absolute URL, and nothing else.
    let sitemap = read(&public, "sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split("</loc>").next())
        .collect();
    let pages = snapshot(&public)
        .into_keys()
        .filter(|path| path.ends_with(".html") && path != "404.html")
        .count();
    assert_eq!(locs.len(), pages, "{sitemap}");
    assert!(
        locs.iter()
            .all(|loc| loc.starts_with("https://example.github.io/archive/")),
        "{sitemap}"
    );
    assert!(locs.contains(&"https://example.github.io/archive/reports/2022-23/q2/"));
}

#[test]
fn without_a_host_no_sitemap_or_meeting_json_is_written_and_the_build_says_why() {
    // A base URL that is only a path (the shipped site's `/`): no absolute URL can be made, and
    // a sitemap or an Open Civic Data event with relative ones would be invalid.
    let site = shipped_site();
    let build = scrutiny(site.path(), &["build", "--out", "public"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let summary = stderr(&build);
    assert!(
        summary.contains(
            "; no sitemap.xml, Atom feeds (feed.xml), the meetings' Open Civic Data events (meeting.json) or the meetings' calendar (meetings.ics): they need absolute URLs, and the base URL `/` has no host (give one with --base-url https://ORG.github.io/REPO/ or base_url in site.toml)"
        ),
        "{summary}"
    );
    assert!(summary.starts_with("built "), "one summary line: {summary}");
    let public = site.path().join("public");
    let files = snapshot(&public);
    assert!(!files.contains_key("sitemap.xml"));
    assert!(
        !files
            .keys()
            .any(|path| path.ends_with(".json") && path.starts_with("minutes/")),
        "no meeting's JSON"
    );
    assert!(
        files.contains_key("actions/actions.json"),
        "the tracker's JSON stays"
    );
    assert_eq!(read(&public, "robots.txt"), "User-agent: *\nAllow: /\n");
    assert!(files.contains_key("favicon.ico"));
    let home = read(&public, "index.html");
    assert!(
        !home.contains("sitemap.xml"),
        "no link to a sitemap there is not"
    );
    assert!(home.contains("<link rel=\"icon\" href=\"/favicon.ico\""));
    let meeting = read(&public, "minutes/children-osc/2022-11-17/index.html");
    assert!(
        !meeting.contains("meeting.json"),
        "no link to JSON there is not"
    );
    assert!(meeting.contains("id=\"item-7\""));

    // Under a base path alone it is the same.
    let under = scrutiny(
        site.path(),
        &["build", "--out", "under", "--base-url", "/archive/"],
    );
    assert!(under.status.success(), "{}", stderr(&under));
    assert!(stderr(&under).contains("the base URL `/archive/` has no host"));
    assert!(!site.path().join("under/sitemap.xml").exists());

    // With a host, the summary says nothing of it.
    let hosted = scrutiny(
        site.path(),
        &[
            "build",
            "--out",
            "hosted",
            "--base-url",
            "https://example.github.io/",
        ],
    );
    assert!(hosted.status.success(), "{}", stderr(&hosted));
    assert!(!stderr(&hosted).contains("no host"), "{}", stderr(&hosted));
    assert!(site.path().join("hosted/sitemap.xml").is_file());
    assert!(
        site.path()
            .join("hosted/minutes/children-osc/2022-11-17/meeting.json")
            .is_file()
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

#[test]
fn open_data_has_every_figure_and_a_guidance_page_naming_every_column() {
    let (_dir, public) = build(None);
    let guidance = read(&public, "data/index.html");
    for (table, columns) in [
        ("figures", scrutiny_core::opendata::columns::FIGURES),
        ("comparators", scrutiny_core::opendata::columns::COMPARATORS),
    ] {
        let csv = read(&public, &format!("data/{table}.csv"));
        let header: Vec<&str> = csv.lines().next().expect("a header").split(',').collect();
        let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
        assert_eq!(header, names, "{table}");
        for name in names {
            assert!(
                guidance.contains(&format!("id=\"{table}-{name}\"")),
                "the guidance page describes {table}.{name}"
            );
        }
    }
    // Every figure of every report section and of the minutes, once.
    let figures = csv_rows(&read(&public, "data/figures.csv"));
    let report = rows_with(&figures, "report", "2022-23/q2");
    assert_eq!(report.len(), 8 + 12 + 6 + 4 + 5);
    assert!(figures.len() > report.len(), "and the minutes' figures");
    assert_eq!(
        read(&public, "reports/2022-23/q2/data/figures.csv"),
        read(&public, "data/reports/2022-23/q2/figures.csv"),
        "the report's CSV is its open data"
    );
    let comparators = csv_rows(&read(&public, "data/comparators.csv"));
    let england = rows_with(&comparators, "indicator", "referral-rate")
        .into_iter()
        .find(|r| r["comparator"] == "england")
        .expect("the referral rate's England comparator");
    assert_eq!(
        [&england["value"], &england["basis"], &england["basis_type"]],
        ["494", "2021-22", "financial-year"]
    );
    let zip = fs::read(public.join("data/all-data.zip")).expect("the ZIP");
    assert!(zip.starts_with(b"PK\x03\x04"), "a ZIP archive");
}

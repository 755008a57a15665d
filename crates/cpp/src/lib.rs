//! # scrutiny-cpp
//!
//! The child protection plan (CPP) section of the quarterly children's social care report:
//! children the council and its partners judge to need a plan to protect them from harm. It
//! reads `data/<year>/<quarter>/cpp.toml` and `content/reports/<year>/<quarter>/cpp.md`; the core
//! does the rest. In the Q2 2022-23 report the section is paragraphs 5.1 to 5.4, with the
//! episode counts of the executive summary.
//!
//! - **Indicators**: children subject to a plan and their rate per 10,000 children, episodes
//!   starting and ending, reviews completed on time, and repeat plans.
//! - **Checks**: every episode that started in a quarter was either still open at its end or
//!   ended within it, so episodes starting cannot outnumber the children on a plan at the end of
//!   the quarter plus the episodes ending. The rate is declared the rate of the count, so the core
//!   checks the child population they imply against the report's other rates.
//! - **Charts**: each figure against the same period last year and its comparators. A figure the
//!   report does not state (reviews on time, in Q2 2022-23) shows "not recorded" and no chart.

use scrutiny_core::diag::Diagnostics;
use scrutiny_core::figure::{Figure, SectionData};
use scrutiny_core::indicator::{IndicatorDef, Polarity, Unit, format_number};
use scrutiny_core::plugin::Section;

/// The child protection plan section plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct Cpp;

/// The indicators of the child protection plan section, in the order a report shows them.
pub const INDICATORS: &[IndicatorDef] = &[
    IndicatorDef {
        id: "cpp-count",
        name: "Children subject to a child protection plan",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of children subject to a child protection plan on the date given: a plan agreed with partner agencies to keep a child safe from significant harm.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cpp-rate",
        name: "Children subject to a child protection plan per 10,000 children",
        unit: Unit::RatePer10k,
        polarity: Polarity::Neutral,
        definition: "Children subject to a child protection plan per 10,000 children aged under 18 living in the area, so that areas of different sizes can be compared.",
        rate_of: Some("cpp-count"),
    },
    IndicatorDef {
        id: "cpp-episodes-started",
        name: "Child protection episodes starting",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of child protection episodes (periods during which a child is subject to a plan) that started in the period.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cpp-episodes-ended",
        name: "Child protection episodes ending",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of child protection episodes that ended in the period.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cpp-reviews-on-time",
        name: "Child protection plan reviews completed on time",
        unit: Unit::Percent,
        polarity: Polarity::HigherIsBetter,
        definition: "The percentage of reviews of child protection plans completed within their timescale.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cpp-repeat-plans",
        name: "Repeat child protection plans",
        unit: Unit::Percent,
        polarity: Polarity::LowerIsBetter,
        definition: "The percentage of children subject to a child protection plan who had been subject to a plan before, at any point previously. Fewer repeat plans suggest plans bring about sustained change.",
        rate_of: None,
    },
];

impl Section for Cpp {
    fn id(&self) -> &'static str {
        "cpp"
    }

    fn title(&self) -> &'static str {
        "Children Subject to a Child Protection Plan (CPP)"
    }

    fn indicators(&self) -> &'static [IndicatorDef] {
        INDICATORS
    }

    fn headline(&self) -> &'static [&'static str] {
        &["cpp-count", "cpp-rate"]
    }

    fn check(&self, data: &SectionData, diags: &mut Diagnostics) {
        check_episode_flow(data, diags);
    }
}

/// Episodes starting in a quarter ≤ children on a plan at its last day + episodes ending in it:
/// a child has one open plan at a time, and a plan that started is either open at the end of the
/// quarter or ended within it. Checked for the period's figures and for the "same period last
/// year" figures the report quotes.
fn check_episode_flow(data: &SectionData, diags: &mut Diagnostics) {
    let (Some(started), Some(ended), Some(count)) = (
        data.get("cpp-episodes-started"),
        data.get("cpp-episodes-ended"),
        data.get("cpp-count"),
    ) else {
        return;
    };
    if started.period != ended.period || count.period.end() != started.period.end() {
        return;
    }
    let this_period = (started.value, ended.value, count.value);
    let last_year = (started.last_year, ended.last_year, count.last_year);
    for ((s, e, c), when) in [
        (this_period, started.period.phrase()),
        (last_year, started.last_year_period().phrase()),
    ] {
        if let (Some(s), Some(e), Some(c)) = (s, e, c)
            && s > c + e
        {
            flow_error(started, s, e, c, &when, diags);
        }
    }
}

fn flow_error(started: &Figure, s: f64, e: f64, c: f64, when: &str, diags: &mut Diagnostics) {
    diags.error(
        &started.at,
        format!(
            "`cpp-episodes-started` ({}) {when} is more than the children on a plan at its end (`cpp-count`, {}) plus the episodes ending (`cpp-episodes-ended`, {}), which is impossible: every plan that starts is either still open at the end of the period or ends within it",
            format_number(s),
            format_number(c),
            format_number(e)
        ),
        "check the three figures against the source",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use scrutiny_core::testing::load_section;

    const SHIPPED: &str = include_str!("../../../data/2022-23/q2/cpp.toml");
    const SOURCE: &str = r#"source = { document = "csc-performance-2022-23-q2", paragraph = "5" }"#;

    fn figure(id: &str, lines: &str) -> String {
        format!("[{id}]\n{lines}\n{SOURCE}\n\n")
    }

    fn def(id: &str) -> &'static IndicatorDef {
        INDICATORS.iter().find(|d| d.id == id).expect("indicator")
    }

    #[test]
    fn indicator_ids_are_unique_and_prefixed() {
        let mut ids: Vec<&str> = INDICATORS.iter().map(|d| d.id).collect();
        assert!(ids.iter().all(|id| id.starts_with("cpp-")), "{ids:?}");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), INDICATORS.len());
        for id in Cpp.headline() {
            def(id);
        }
        assert_eq!(def("cpp-rate").rate_of, Some("cpp-count"));
        assert_eq!(def("cpp-repeat-plans").polarity, Polarity::LowerIsBetter);
    }

    #[test]
    fn the_shipped_figures_pass_every_check() {
        let (data, diags) = load_section(&Cpp, SHIPPED);
        assert!(!diags.has_errors(), "{}", diags.render());
        assert_eq!(data.figures.len(), 6);
        let rate = data.get("cpp-rate").expect("rate");
        let eastern = rate
            .comparators
            .iter()
            .find(|c| c.id == "eastern-region")
            .expect("eastern region");
        assert!(eastern.approximate, "the report gives ~26");
        assert_eq!(eastern.basis.code(), "2022-23 Q1");
    }

    #[test]
    fn reviews_on_time_are_not_recorded_never_zero() {
        let (data, _) = load_section(&Cpp, SHIPPED);
        let reviews = data.get("cpp-reviews-on-time").expect("reviews");
        assert_eq!(reviews.value, None);
        assert_eq!(
            reviews.display_value(def("cpp-reviews-on-time")),
            "not recorded"
        );
        assert_eq!(reviews.comparators.len(), 2, "the comparators are kept");
        let config = scrutiny_core::testing::site_config();
        let charts: Vec<String> = Cpp
            .charts(&data, &config)
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert!(
            !charts.contains(&"cpp-reviews-on-time".to_string()),
            "no chart without a value: {charts:?}"
        );
        assert_eq!(charts.len(), 5);
    }

    #[test]
    fn episodes_starting_cannot_exceed_plans_at_the_end_plus_episodes_ending() {
        let toml = figure("cpp-count", "value = 83\nperiod = \"2022-09-30\"")
            + &figure("cpp-episodes-started", "value = 200")
            + &figure("cpp-episodes-ended", "value = 44");
        let (_, diags) = load_section(&Cpp, &toml);
        let report = diags.render();
        assert_eq!(diags.error_count(), 1, "{report}");
        assert!(
            report.contains("`cpp-episodes-started` (200) in Q2 2022-23 is more than the children on a plan at its end (`cpp-count`, 83) plus the episodes ending (`cpp-episodes-ended`, 44)"),
            "{report}"
        );
        assert!(report.contains("data/2022-23/q2/cpp.toml:6:1"), "{report}");
    }

    #[test]
    fn the_flow_check_covers_last_year_figures_too() {
        let toml = figure(
            "cpp-count",
            "value = 83\nperiod = \"2022-09-30\"\nlast_year = 10",
        ) + &figure("cpp-episodes-started", "value = 20\nlast_year = 60")
            + &figure("cpp-episodes-ended", "value = 44\nlast_year = 42");
        let (_, diags) = load_section(&Cpp, &toml);
        let report = diags.render();
        assert_eq!(diags.error_count(), 1, "{report}");
        assert!(report.contains("(60) in Q2 2021-22"), "{report}");
    }

    #[test]
    fn the_flow_check_needs_aligned_periods() {
        // A count at another date says nothing about the quarter's flow.
        let toml = figure("cpp-count", "value = 83\nperiod = \"2022-08-31\"")
            + &figure("cpp-episodes-started", "value = 200")
            + &figure("cpp-episodes-ended", "value = 44");
        let (_, diags) = load_section(&Cpp, &toml);
        assert!(!diags.has_errors(), "{}", diags.render());
    }

    #[test]
    fn an_unknown_comparator_is_refused_by_the_core() {
        let toml = figure(
            "cpp-rate",
            "value = 18.3\ncomparators.east-of-england = { value = 26, basis = \"2022-23 Q1\" }",
        );
        let (_, diags) = load_section(&Cpp, &toml);
        assert!(
            diags
                .render()
                .contains("`east-of-england` is not a comparator declared in site.toml"),
            "{}",
            diags.render()
        );
    }
}

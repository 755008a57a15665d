//! # scrutiny-cpp
//!
//! The child protection plan (CPP) section of the quarterly children's social care report:
//! children the council and its partners judge to need a plan to protect them from harm. It
//! reads `data/<year>/<quarter>/cpp.toml` and `content/reports/<year>/<quarter>/cpp.md`; the core
//! does the rest. In the Q2 2022-23 report the section is paragraphs 5.1 to 5.4, with the
//! episode counts of the executive summary.
//!
//! - **Indicators**: children subject to a plan and their rate per 10,000 population, episodes
//!   starting and ending, reviews completed on time, and repeat plans.
//! - **Checks**: every episode that started in a quarter was either still open at its end or
//!   ended within it, so episodes starting cannot outnumber the children on a plan at the end of
//!   the quarter plus the episodes ending. The rate is declared the rate of the count, so the core
//!   checks the child population they imply against the report's other rates.
//! - **Charts**: each figure against the same period last year and its comparators. A figure the
//!   report does not state (reviews on time, in Q2 2022-23) shows "not recorded" and no chart.

use scrutiny_plugin::indicator::{IndicatorDef, Polarity, Unit};
use scrutiny_plugin::section::{Check, Section, SectionDecl};

/// The child protection plan section plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct Cpp;

/// The indicators of the child protection plan section, in the order a report shows them.
pub fn indicators() -> Vec<IndicatorDef> {
    vec![
        IndicatorDef::new(
            "cpp-count",
            "Children subject to a child protection plan",
            Unit::Count,
            Polarity::NotStated,
            "The number of children subject to a child protection plan on the date given.",
        ),
        IndicatorDef::new(
            "cpp-rate",
            "Children subject to a child protection plan per 10,000 population",
            Unit::RatePer10k,
            Polarity::NotStated,
            "Children subject to a child protection plan per 10,000 population, as the report gives the rate; it does not say which population.",
        ),
        IndicatorDef::new(
            "cpp-episodes-started",
            "Child protection episodes starting",
            Unit::Count,
            Polarity::NotStated,
            "The number of child protection episodes that started in the period.",
        ),
        IndicatorDef::new(
            "cpp-episodes-ended",
            "Child protection episodes ending",
            Unit::Count,
            Polarity::NotStated,
            "The number of child protection episodes that ended in the period.",
        ),
        IndicatorDef::new(
            "cpp-reviews-on-time",
            "Child protection plan reviews completed on time",
            Unit::Percent,
            Polarity::HigherIsBetter,
            "The percentage of reviews of child protection plans completed within their timescale.",
        ),
        IndicatorDef::new(
            "cpp-repeat-plans",
            "Repeat child protection plans",
            Unit::Percent,
            Polarity::LowerIsBetter,
            "The percentage of children subject to a repeat child protection plan (at any point previously), as the report gives it; it does not say of which children.",
        ),
    ]
}

impl Section for Cpp {
    fn declare(&self) -> SectionDecl {
        SectionDecl::new("cpp", "Children Subject to a Child Protection Plan (CPP)")
            .indicators(indicators())
            .headline(&["cpp-count", "cpp-rate"])
            .check(Check::rate_of("cpp-rate", "cpp-count"))
            // A child has one open plan at a time: every plan that started in a quarter is
            // either open on its last day or ended within it.
            .check(Check::at_most_sum(
                "cpp-episodes-started",
                &["cpp-count", "cpp-episodes-ended"],
                "every plan that starts is either still open at the end of the period or ends within it",
            ))
    }
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

    fn def(id: &str) -> IndicatorDef {
        indicators()
            .into_iter()
            .find(|d| d.id == id)
            .expect("indicator")
    }

    #[test]
    fn the_declaration_holds_together() {
        let decl = Cpp.declare();
        assert!(decl.indicators.iter().all(|d| d.id.starts_with("cpp-")));
        let problems = scrutiny_core::sections::declaration_problems(&decl);
        assert!(problems.is_empty(), "{problems:?}");
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
        // "26 per 10.00 at the end of Qu 1": the value is stated, its unit and year unclear.
        assert!(!eastern.approximate, "the value 26 is stated");
        assert!(
            eastern
                .basis_note
                .as_deref()
                .is_some_and(|n| n.contains("unclear"))
        );
        assert_eq!(eastern.basis.code(), "2022-23 Q1");
        let england = rate
            .comparators
            .iter()
            .find(|c| c.id == "england")
            .expect("england");
        assert_eq!(
            england.decimals, 1,
            "42.0 is written with one decimal place"
        );
    }

    #[test]
    fn reviews_on_time_are_not_recorded_never_zero() {
        let (data, _) = load_section(&Cpp, SHIPPED);
        let reviews = data.get("cpp-reviews-on-time").expect("reviews");
        assert_eq!(reviews.value, None);
        assert_eq!(
            reviews.display_value(&def("cpp-reviews-on-time")),
            "not recorded"
        );
        assert_eq!(reviews.comparators.len(), 2, "the comparators are kept");
        let config = scrutiny_core::testing::site_config();
        let charts: Vec<String> = scrutiny_core::sections::charts(&Cpp.declare(), &data, &config)
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
            report.contains("`cpp-episodes-started` (200) is greater than `cpp-count` (83) plus `cpp-episodes-ended` (44)"),
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

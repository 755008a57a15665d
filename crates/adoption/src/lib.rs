//! # scrutiny-adoption
//!
//! The adoption section of the quarterly children's social care report: children adopted and
//! matched with adopters, and how long their journey to an adoptive family takes. It reads
//! `data/<year>/<quarter>/adoption.toml` and `content/reports/<year>/<quarter>/adoption.md`; the
//! core does the rest. In the Q2 2022-23 report the section is section 7 and paragraph 7.1; its
//! paragraphs 7.2 and 7.3 are figures of children looked after, in the `scrutiny-cla` section.
//!
//! - **Indicators**: children adopted and matched, the average days from entering care to moving
//!   in with an adoptive family, the average days from placement order to placement, and the
//!   duration of care proceedings (a lower bound, "40+ weeks", with its stated target).
//! - **Checks**: a child enters care before the court makes a placement order, so for the same
//!   children the average from placement order cannot exceed the average from entering care.
//! - **Charts**: each figure against the same period last year and its comparators.

use scrutiny_plugin::indicator::{IndicatorDef, Polarity, Unit};
use scrutiny_plugin::section::{Check, Section, SectionDecl};

/// The adoption section plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct Adoption;

/// The indicators of the adoption section, in the order a report shows them.
pub fn indicators() -> Vec<IndicatorDef> {
    vec![
        IndicatorDef::new(
            "adoption-adopted",
            "Children adopted",
            Unit::Count,
            Polarity::NotStated,
            "The number of children adopted, as the report gives it (\"as at the end of\" the quarter); it does not say over what period they were counted.",
        ),
        IndicatorDef::new(
            "adoption-matched",
            "Children matched with prospective adopters",
            Unit::Count,
            Polarity::NotStated,
            "The number of children matched with prospective adopters, as the report gives it (\"as at the end of\" the quarter); it does not say over what period they were counted.",
        ),
        IndicatorDef::new(
            "adoption-care-to-placement",
            "Average days from entering care to moving in with an adoptive family",
            Unit::Days,
            Polarity::LowerIsBetter,
            "The timeliness of adoption: the average number of days from a child entering care to moving in with their adoptive family, measured as a 12-month rolling average.",
        ),
        IndicatorDef::new(
            "adoption-order-to-placement",
            "Average days from placement order to placement with an adoptive family",
            Unit::Days,
            Polarity::LowerIsBetter,
            "The average number of days between the council receiving a placement order (the court's authority to place a child for adoption) and placing the child with their adoptive family.",
        ),
        IndicatorDef::new(
            "adoption-care-proceedings-weeks",
            "Duration of care proceedings",
            Unit::Weeks,
            Polarity::LowerIsBetter,
            "How long care proceedings take, in weeks.",
        ),
    ]
}

impl Section for Adoption {
    fn declare(&self) -> SectionDecl {
        SectionDecl::new("adoption", "Adoption")
            .indicators(indicators())
            .headline(&["adoption-care-to-placement"])
            .check(Check::at_most(
                "adoption-order-to-placement",
                "adoption-care-to-placement",
                "a child enters care before the court makes a placement order, so the time from the order to placement cannot be longer than the time from entering care",
            ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scrutiny_core::testing::load_section;

    const SHIPPED: &str = include_str!("../../../data/2022-23/q2/adoption.toml");
    const SOURCE: &str =
        r#"source = { document = "csc-performance-2022-23-q2", paragraph = "7.1" }"#;

    fn def(id: &str) -> IndicatorDef {
        indicators()
            .into_iter()
            .find(|d| d.id == id)
            .expect("indicator")
    }

    fn config() -> scrutiny_core::config::SiteConfig {
        scrutiny_core::testing::site_config()
    }

    #[test]
    fn the_declaration_holds_together() {
        let decl = Adoption.declare();
        assert!(
            decl.indicators
                .iter()
                .all(|d| d.id.starts_with("adoption-"))
        );
        let problems = scrutiny_core::sections::declaration_problems(&decl);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn the_shipped_figures_pass_every_check() {
        let (data, diags) = load_section(&Adoption, SHIPPED);
        assert!(!diags.has_errors(), "{}", diags.render());
        assert_eq!(data.figures.len(), 5);
        let adopted = data.get("adoption-adopted").expect("adopted");
        assert!(adopted.approximate_period && adopted.period_note.is_some());
    }

    #[test]
    fn care_proceedings_are_a_lower_bound_with_a_target() {
        let (data, _) = load_section(&Adoption, SHIPPED);
        let weeks = data
            .get("adoption-care-proceedings-weeks")
            .expect("proceedings");
        assert!(weeks.at_least);
        assert_eq!(weeks.target, Some(26.0));
        assert_eq!(
            weeks.display_value(&def("adoption-care-proceedings-weeks")),
            "40+ weeks"
        );
        // A lower bound with a target and nothing else to compare: no chart, but its table row.
        let charts: Vec<String> =
            scrutiny_core::sections::charts(&Adoption.declare(), &data, &config())
                .into_iter()
                .map(|c| c.id)
                .collect();
        assert_eq!(
            charts,
            ["adoption-care-to-placement", "adoption-order-to-placement"]
        );
    }

    #[test]
    fn the_comparators_keep_their_own_periods() {
        let (data, _) = load_section(&Adoption, SHIPPED);
        let chart = scrutiny_core::sections::charts(&Adoption.declare(), &data, &config())
            .into_iter()
            .next()
            .expect("chart");
        let periods: Vec<(&str, &str)> = chart
            .rows
            .iter()
            .map(|r| (r.label.as_str(), r.period.as_str()))
            .collect();
        assert_eq!(
            periods,
            [
                ("Thurrock", "30 Sep 2022"),
                ("Statistical neighbours average", "2021-22"),
                ("England average", "2021-22"),
                // The report names it "Eastern Region", without "average".
                ("Eastern Region", "2021-22"),
                ("National average", "Q1 2022-23"),
            ]
        );
    }

    #[test]
    fn order_to_placement_cannot_exceed_care_to_placement() {
        let toml = format!(
            "[adoption-care-to-placement]\nvalue = 609\n{SOURCE}\n\n[adoption-order-to-placement]\nvalue = 700\n{SOURCE}\n"
        );
        let (_, diags) = load_section(&Adoption, &toml);
        let report = diags.render();
        assert_eq!(diags.error_count(), 1, "{report}");
        assert!(
            report.contains("`adoption-order-to-placement` (700) is greater than `adoption-care-to-placement` (609)"),
            "{report}"
        );
        assert!(
            report.contains("data/2022-23/q2/adoption.toml:5:1"),
            "{report}"
        );
    }

    #[test]
    fn negative_days_are_refused_by_the_core() {
        let toml = format!("[adoption-care-to-placement]\nvalue = -609\n{SOURCE}\n");
        let (_, diags) = load_section(&Adoption, &toml);
        assert!(
            diags.render().contains("this value cannot be negative"),
            "{}",
            diags.render()
        );
    }
}

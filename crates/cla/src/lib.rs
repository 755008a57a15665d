//! # scrutiny-cla
//!
//! The children looked after (CLA) section of the quarterly children's social care report:
//! children in the council's care. It reads `data/<year>/<quarter>/cla.toml` and
//! `content/reports/<year>/<quarter>/cla.md`; the core does the rest. In the Q2 2022-23 report
//! the section is paragraphs 4.1 to 4.5, with 7.2 (children aged 0 to 5) and 7.3 (placement
//! distance), which that report prints under Adoption.
//!
//! - **Indicators**: children looked after and their rate per 10,000 population, children starting
//!   and ceasing to be looked after, unaccompanied asylum-seeking children (UASC) looked after,
//!   the council's UASC allocation and new arrivals, missing episodes and the children they
//!   involve, return home interviews, children aged 0 to 5 and children placed within 20 miles.
//! - **Checks**: UASC cannot outnumber the children looked after; children who went missing
//!   cannot outnumber missing episodes, nor children under 16 who went missing all children who
//!   did; the children behind a CLA percentage ("192 of 282") are the children looked after at
//!   that date. The rate is declared the rate of the count, so the core checks the child
//!   population they imply against the report's other rates.
//! - **Charts**: each figure against the same period last year and its comparators.

use scrutiny_plugin::indicator::{IndicatorDef, Polarity, Unit};
use scrutiny_plugin::section::{Check, Section, SectionDecl};

/// The children looked after section plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct Cla;

/// The indicators of the children looked after section, in the order a report shows them.
pub fn indicators() -> Vec<IndicatorDef> {
    vec![
        IndicatorDef::new(
            "cla-count",
            "Children looked after",
            Unit::Count,
            Polarity::NotStated,
            "The number of children looked after by the council (children in care) on the date given. It includes unaccompanied asylum-seeking children.",
        ),
        IndicatorDef::new(
            "cla-rate",
            "Children looked after per 10,000 population aged under 18",
            Unit::RatePer10k,
            Polarity::NotStated,
            "Children looked after per 10,000 of the population aged under 18 in the area, as the report defines the rate (paragraph 4.1).",
        ),
        IndicatorDef::new(
            "cla-uasc",
            "Unaccompanied asylum-seeking children looked after",
            Unit::Count,
            Polarity::NotStated,
            "The number of unaccompanied asylum-seeking children (UASC) looked after by the council. They are some of the children looked after, counted in the total.",
        ),
        IndicatorDef::new(
            "cla-uasc-allocation",
            "UASC allocation under the National Transfer Scheme",
            Unit::Count,
            Polarity::NotStated,
            "The number of unaccompanied asylum-seeking children allocated to the council: the report calls it the allocated number, the minutes the quota or the threshold. The report says: \"When a local authority reaches its allocated number there are arrangements in place for new arrivals to be transferred via the National Transfer Scheme (NTS).\"",
        ),
        IndicatorDef::new(
            "cla-uasc-arrivals",
            "New arrivals of unaccompanied asylum-seeking children",
            Unit::Count,
            Polarity::NotStated,
            "The number of unaccompanied asylum-seeking children who arrived in Thurrock in the period, for example at its ports or found in vehicles.",
        ),
        IndicatorDef::new(
            "cla-started",
            "Children who became looked after",
            Unit::Count,
            Polarity::NotStated,
            "The number of children who became looked after in the period.",
        ),
        IndicatorDef::new(
            "cla-ceased",
            "Children who ceased to be looked after",
            Unit::Count,
            Polarity::NotStated,
            "The number of children who stopped being looked after in the period. It is normal for this number to fluctuate.",
        ),
        IndicatorDef::new(
            "cla-missing-episodes",
            "Missing episodes of children looked after",
            Unit::Count,
            Polarity::NotStated,
            "The number of times children looked after went missing in the period. One child can have many episodes.",
        ),
        IndicatorDef::new(
            "cla-missing-children",
            "Children looked after who went missing",
            Unit::Count,
            Polarity::NotStated,
            "The number of individual children looked after who went missing at least once in the period.",
        ),
        IndicatorDef::new(
            "cla-missing-children-under-16",
            "Children looked after who went missing, aged under 16",
            Unit::Count,
            Polarity::NotStated,
            "Of the children looked after who went missing in the period, the number aged under 16.",
        ),
        IndicatorDef::new(
            "cla-rhi-offered",
            "Return home interviews offered",
            Unit::Percent,
            Polarity::NotStated,
            "The percentage of children looked after who went missing who were offered a return home interview (RHI): an independent interview, offered within 72 hours of each missing episode, to understand the child's circumstances and why they went missing.",
        ),
        IndicatorDef::new(
            "cla-rhi-accepted",
            "Return home interviews accepted and received",
            Unit::Percent,
            Polarity::HigherIsBetter,
            "Of the children offered a return home interview after going missing, the percentage who accepted and received one.",
        ),
        IndicatorDef::new(
            "cla-aged-0-5",
            "Children looked after aged 0 to 5",
            Unit::Percent,
            Polarity::NotStated,
            "Of all children looked after on the date given, the percentage aged 0 to 5.",
        ),
        IndicatorDef::new(
            "cla-placed-within-20-miles",
            "Children looked after placed within 20 miles of home",
            Unit::Percent,
            Polarity::HigherIsBetter,
            "Of all children looked after on the date given, the percentage placed 20 miles or less from their home. It is good practice for children to remain within their communities.",
        ),
    ]
}

impl Section for Cla {
    fn declare(&self) -> SectionDecl {
        SectionDecl::new("cla", "Children Looked After (CLA)")
            .indicators(indicators())
            .headline(&["cla-count", "cla-rate"])
            .check(Check::rate_of("cla-rate", "cla-count"))
            .check(Check::at_most(
                "cla-uasc",
                "cla-count",
                "unaccompanied asylum-seeking children are a subset of the children looked after",
            ))
            .check(Check::at_most(
                "cla-missing-children",
                "cla-missing-episodes",
                "each child who went missing had at least one missing episode",
            ))
            .check(Check::at_most(
                "cla-missing-children-under-16",
                "cla-missing-children",
                "the children under 16 who went missing are some of the children who went missing",
            ))
            // "16% (44 of 282)": the whole is the number of children looked after on that date.
            .check(Check::share_of(
                &["cla-aged-0-5", "cla-placed-within-20-miles"],
                "cla-count",
                "every child looked after on that date",
            ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scrutiny_core::testing::load_section;

    const SHIPPED: &str = include_str!("../../../data/2022-23/q2/cla.toml");
    const SOURCE: &str = r#"source = { document = "csc-performance-2022-23-q2", paragraph = "4" }"#;

    fn figure(id: &str, lines: &str) -> String {
        format!("[{id}]\n{lines}\n{SOURCE}\n\n")
    }

    #[test]
    fn the_declaration_holds_together() {
        let decl = Cla.declare();
        assert!(decl.indicators.iter().all(|d| d.id.starts_with("cla-")));
        let problems = scrutiny_core::sections::declaration_problems(&decl);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn the_rate_is_declared_the_rate_of_the_count() {
        let decl = Cla.declare();
        let rate = decl.indicator("cla-rate").expect("cla-rate");
        assert_eq!(rate.unit, Unit::RatePer10k);
        assert!(
            decl.checks
                .contains(&Check::rate_of("cla-rate", "cla-count"))
        );
    }

    #[test]
    fn the_shipped_figures_pass_every_check() {
        let (data, diags) = load_section(&Cla, SHIPPED);
        assert!(!diags.has_errors(), "{}", diags.render());
        assert!(data.complete);
        assert_eq!(data.figures.len(), 12);
        let uasc = data.get("cla-uasc").expect("cla-uasc");
        assert_eq!(
            uasc.value, None,
            "the report states no UASC number: not recorded, never 0"
        );
        let decl = Cla.declare();
        let def = decl.indicator("cla-uasc").expect("def");
        assert_eq!(uasc.display_value(def), "not recorded");
        let placed = data.get("cla-placed-within-20-miles").expect("placed");
        assert_eq!(placed.part_of_whole, Some((192.0, 282.0)));
        // "The latest benchmarking data available in March 2021" is no period of the figure.
        assert_eq!(placed.comparators[0].basis.code(), "not recorded");
        assert!(
            placed.comparators[0]
                .basis_note
                .as_deref()
                .is_some_and(|n| n.contains("available in March 2021"))
        );
        let rate = data.get("cla-rate").expect("rate");
        assert_eq!(rate.comparators[0].basis.code(), "2021");
    }

    #[test]
    fn the_shipped_figures_give_a_chart_for_each_figure_with_a_comparison() {
        let (data, _) = load_section(&Cla, SHIPPED);
        let config = scrutiny_core::testing::site_config();
        let ids: Vec<String> = scrutiny_core::sections::charts(&Cla.declare(), &data, &config)
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(
            ids,
            [
                "cla-rate",
                "cla-uasc-arrivals",
                "cla-ceased",
                "cla-rhi-accepted",
                "cla-placed-within-20-miles"
            ]
        );
    }

    #[test]
    fn uasc_cannot_outnumber_children_looked_after() {
        let toml = figure("cla-count", "value = 282\nperiod = \"2022-09-30\"")
            + &figure("cla-uasc", "value = 300\nperiod = \"2022-09-30\"");
        let (_, diags) = load_section(&Cla, &toml);
        let report = diags.render();
        assert_eq!(diags.error_count(), 1, "{report}");
        assert!(
            report.contains("`cla-uasc` (300) is greater than `cla-count` (282)"),
            "{report}"
        );
        assert!(report.contains("data/2022-23/q2/cla.toml:6:1"), "{report}");
    }

    #[test]
    fn uasc_of_another_date_is_not_compared() {
        let toml = figure("cla-count", "value = 282\nperiod = \"2022-09-30\"")
            + &figure("cla-uasc", "value = 300\nperiod = \"2022-11-17\"");
        let (_, diags) = load_section(&Cla, &toml);
        assert!(!diags.has_errors(), "{}", diags.render());
    }

    #[test]
    fn missing_children_cannot_outnumber_missing_episodes() {
        let toml = figure("cla-missing-episodes", "value = 218")
            + &figure("cla-missing-children", "value = 280");
        let (_, diags) = load_section(&Cla, &toml);
        let report = diags.render();
        assert_eq!(diags.error_count(), 1, "{report}");
        assert!(
            report.contains(
                "`cla-missing-children` (280) is greater than `cla-missing-episodes` (218)"
            ),
            "{report}"
        );
    }

    #[test]
    fn missing_children_under_16_cannot_outnumber_missing_children() {
        let toml = figure("cla-missing-children", "value = 28")
            + &figure("cla-missing-children-under-16", "value = 29");
        let (_, diags) = load_section(&Cla, &toml);
        assert_eq!(diags.error_count(), 1, "{}", diags.render());
        let (_, fine) = load_section(
            &Cla,
            &(figure("cla-missing-children", "value = 28")
                + &figure("cla-missing-children-under-16", "value = 4")),
        );
        assert!(!fine.has_errors(), "{}", fine.render());
    }

    #[test]
    fn a_share_of_all_cla_must_be_of_the_cla_count() {
        let toml = figure("cla-count", "value = 282\nperiod = \"2022-09-30\"")
            + &figure(
                "cla-aged-0-5",
                "value = 16\nperiod = \"2022-09-30\"\npart = 44\nwhole = 272",
            );
        let (_, diags) = load_section(&Cla, &toml);
        let report = diags.render();
        assert_eq!(diags.error_count(), 1, "{report}");
        assert!(
            report.contains(
                "`cla-aged-0-5` is a share of 272, but `cla-count` is 282 at 30 September 2022"
            ),
            "{report}"
        );
    }

    #[test]
    fn a_part_larger_than_its_whole_is_refused_by_the_core() {
        let toml = figure(
            "cla-placed-within-20-miles",
            "value = 68\nperiod = \"2022-09-30\"\npart = 392\nwhole = 282",
        );
        let (data, diags) = load_section(&Cla, &toml);
        assert!(
            diags
                .render()
                .contains("part 392 is not within its whole 282"),
            "{}",
            diags.render()
        );
        assert!(!data.complete);
    }

    #[test]
    fn a_percentage_above_100_is_refused_by_the_core() {
        let toml = figure("cla-rhi-accepted", "value = 172");
        let (_, diags) = load_section(&Cla, &toml);
        assert!(
            diags
                .render()
                .contains("a percentage must be between 0 and 100, not 172")
        );
    }
}

//! # scrutiny-cla
//!
//! The children looked after (CLA) section of the quarterly children's social care report:
//! children in the council's care. It reads `data/<year>/<quarter>/cla.toml` and
//! `content/reports/<year>/<quarter>/cla.md`; the core does the rest. In the Q2 2022-23 report
//! the section is paragraphs 4.1 to 4.5, with 7.2 (children aged 0 to 5) and 7.3 (placement
//! distance), which that report prints under Adoption.
//!
//! - **Indicators**: children looked after and their rate per 10,000 children, children starting
//!   and ceasing to be looked after, unaccompanied asylum-seeking children (UASC) looked after,
//!   the council's UASC allocation and new arrivals, missing episodes and the children they
//!   involve, return home interviews, children aged 0 to 5 and children placed within 20 miles.
//! - **Checks**: UASC cannot outnumber the children looked after; children who went missing
//!   cannot outnumber missing episodes, nor children under 16 who went missing all children who
//!   did; the children behind a CLA percentage ("192 of 282") are the children looked after at
//!   that date. The rate is declared the rate of the count, so the core checks the child
//!   population they imply against the report's other rates.
//! - **Charts**: each figure against the same period last year and its comparators.

use scrutiny_core::diag::Diagnostics;
use scrutiny_core::figure::SectionData;
use scrutiny_core::indicator::{IndicatorDef, Polarity, Unit, format_number};
use scrutiny_core::plugin::Section;

/// The children looked after section plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct Cla;

/// The indicators of the children looked after section, in the order a report shows them.
pub const INDICATORS: &[IndicatorDef] = &[
    IndicatorDef {
        id: "cla-count",
        name: "Children looked after",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of children looked after by the council (children in care) on the date given. It includes unaccompanied asylum-seeking children.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-rate",
        name: "Children looked after per 10,000 children",
        unit: Unit::RatePer10k,
        polarity: Polarity::Neutral,
        definition: "Children looked after per 10,000 children aged under 18 living in the area, so that areas of different sizes can be compared.",
        rate_of: Some("cla-count"),
    },
    IndicatorDef {
        id: "cla-uasc",
        name: "Unaccompanied asylum-seeking children looked after",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of unaccompanied asylum-seeking children (UASC) looked after by the council: children seeking asylum without a parent or carer. They are some of the children looked after, counted in the total.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-uasc-allocation",
        name: "UASC allocation under the National Transfer Scheme",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "How many unaccompanied asylum-seeking children the council is reasonably expected to look after at any time, set as a share of the area's children. When a council reaches it, new arrivals can be transferred to other councils through the National Transfer Scheme (NTS); below it, the council receives transfers in. The report calls it the allocated number; minutes call it the quota or the threshold.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-uasc-arrivals",
        name: "New arrivals of unaccompanied asylum-seeking children",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of unaccompanied asylum-seeking children who arrived in Thurrock in the period, for example at its ports or found in vehicles.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-started",
        name: "Children who became looked after",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of children who became looked after in the period.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-ceased",
        name: "Children who ceased to be looked after",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of children who stopped being looked after in the period. It is normal for this number to fluctuate.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-missing-episodes",
        name: "Missing episodes of children looked after",
        unit: Unit::Count,
        polarity: Polarity::LowerIsBetter,
        definition: "The number of times children looked after went missing in the period. One child can have many episodes.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-missing-children",
        name: "Children looked after who went missing",
        unit: Unit::Count,
        polarity: Polarity::LowerIsBetter,
        definition: "The number of individual children looked after who went missing at least once in the period.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-missing-children-under-16",
        name: "Children looked after who went missing, aged under 16",
        unit: Unit::Count,
        polarity: Polarity::LowerIsBetter,
        definition: "Of the children looked after who went missing in the period, the number aged under 16.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-rhi-offered",
        name: "Return home interviews offered",
        unit: Unit::Percent,
        polarity: Polarity::HigherIsBetter,
        definition: "The percentage of children looked after who went missing who were offered a return home interview (RHI): an independent interview, offered within 72 hours of each missing episode, to understand the child's circumstances and why they went missing.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-rhi-accepted",
        name: "Return home interviews accepted and received",
        unit: Unit::Percent,
        polarity: Polarity::HigherIsBetter,
        definition: "Of the children offered a return home interview after going missing, the percentage who accepted and received one.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-aged-0-5",
        name: "Children looked after aged 0 to 5",
        unit: Unit::Percent,
        polarity: Polarity::Neutral,
        definition: "Of all children looked after on the date given, the percentage aged 0 to 5.",
        rate_of: None,
    },
    IndicatorDef {
        id: "cla-placed-within-20-miles",
        name: "Children looked after placed within 20 miles of home",
        unit: Unit::Percent,
        polarity: Polarity::HigherIsBetter,
        definition: "Of all children looked after on the date given, the percentage placed 20 miles or less from their home. It is good practice for children to remain within their communities.",
        rate_of: None,
    },
];

/// Indicators whose `whole` ("192 of 282") is the number of children looked after at that date.
const SHARES_OF_ALL_CLA: &[&str] = &["cla-aged-0-5", "cla-placed-within-20-miles"];

impl Section for Cla {
    fn id(&self) -> &'static str {
        "cla"
    }

    fn title(&self) -> &'static str {
        "Children Looked After (CLA)"
    }

    fn indicators(&self) -> &'static [IndicatorDef] {
        INDICATORS
    }

    fn headline(&self) -> &'static [&'static str] {
        &["cla-count", "cla-rate"]
    }

    fn check(&self, data: &SectionData, diags: &mut Diagnostics) {
        data.check_at_most(
            "cla-uasc",
            "cla-count",
            "unaccompanied asylum-seeking children are a subset of the children looked after",
            diags,
        );
        data.check_at_most(
            "cla-missing-children",
            "cla-missing-episodes",
            "each child who went missing had at least one missing episode",
            diags,
        );
        data.check_at_most(
            "cla-missing-children-under-16",
            "cla-missing-children",
            "the children under 16 who went missing are some of the children who went missing",
            diags,
        );
        check_shares_of_all_cla(data, diags);
    }
}

/// "16% (44 of 282)": where a share of all children looked after gives its whole, the whole is
/// the number of children looked after on that date, so it must equal `cla-count` of that date.
fn check_shares_of_all_cla(data: &SectionData, diags: &mut Diagnostics) {
    for id in SHARES_OF_ALL_CLA {
        let Some(share) = data.get(id) else {
            continue;
        };
        let Some((_, whole)) = share.part_of_whole else {
            continue;
        };
        let Some(count) = data
            .get("cla-count")
            .filter(|c| c.period == share.period)
            .and_then(|c| c.value)
        else {
            continue;
        };
        if whole != count {
            diags.error(
                &share.at,
                format!(
                    "`{id}` is a share of {} children, but `cla-count` gives {} children looked after {}",
                    format_number(whole),
                    format_number(count),
                    share.period.phrase()
                ),
                format!(
                    "the `whole` of `{id}` is every child looked after on that date: check it and `cla-count` against the source"
                ),
            );
        }
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
    fn indicator_ids_are_unique_and_prefixed() {
        let mut ids: Vec<&str> = INDICATORS.iter().map(|d| d.id).collect();
        assert!(ids.iter().all(|id| id.starts_with("cla-")), "{ids:?}");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), INDICATORS.len());
        for id in Cla.headline() {
            assert!(INDICATORS.iter().any(|d| d.id == *id), "headline {id}");
        }
        for def in INDICATORS {
            if let Some(count) = def.rate_of {
                assert!(INDICATORS.iter().any(|d| d.id == count), "{}", def.id);
            }
        }
    }

    #[test]
    fn the_rate_is_declared_the_rate_of_the_count() {
        let rate = INDICATORS
            .iter()
            .find(|d| d.id == "cla-rate")
            .expect("cla-rate");
        assert_eq!(rate.unit, Unit::RatePer10k);
        assert_eq!(rate.rate_of, Some("cla-count"));
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
        let def = INDICATORS.iter().find(|d| d.id == "cla-uasc").expect("def");
        assert_eq!(uasc.display_value(def), "not recorded");
        let placed = data.get("cla-placed-within-20-miles").expect("placed");
        assert_eq!(placed.part_of_whole, Some((192.0, 282.0)));
        assert_eq!(placed.comparators[0].basis.code(), "2021-03");
        let rate = data.get("cla-rate").expect("rate");
        assert_eq!(rate.comparators[0].basis.code(), "2021");
    }

    #[test]
    fn the_shipped_figures_give_a_chart_for_each_figure_with_a_comparison() {
        let (data, _) = load_section(&Cla, SHIPPED);
        let config = scrutiny_core::testing::site_config();
        let ids: Vec<String> = Cla
            .charts(&data, &config)
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
            report.contains("`cla-aged-0-5` is a share of 272 children, but `cla-count` gives 282 children looked after at 30 September 2022"),
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

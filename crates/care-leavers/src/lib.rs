//! # scrutiny-care-leavers
//!
//! The care leaving service section of the quarterly children's social care report: young
//! people who were looked after and whom the council's Aftercare service supports, up to the age
//! of 25. It reads `data/<year>/<quarter>/care-leavers.toml` and
//! `content/reports/<year>/<quarter>/care-leavers.md`; the core does the rest. In the Q2 2022-23
//! report the section is section 6 and paragraphs 6.1 to 6.3.
//!
//! - **Indicators**: care leavers supported, and the percentages of care leavers in education,
//!   employment or training, in suitable accommodation, and in touch with the council.
//! - **Checks**: the core's (percentages from 0 to 100, counts whole, comparators with the period
//!   they describe). The three percentages are of the same cohort, but nothing ties them to each
//!   other for certain (whether a care leaver's activity can be known while the council is not in
//!   touch depends on local recording), so the section adds no check that could refuse an honest
//!   figure.
//! - **Charts**: each figure against the same period last year and its comparators.

use scrutiny_plugin::indicator::{IndicatorDef, Polarity, Unit};
use scrutiny_plugin::section::{Section, SectionDecl};

/// The care leaving service section plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct CareLeavers;

/// The indicators of the care leaving service section, in the order a report shows them.
pub fn indicators() -> Vec<IndicatorDef> {
    vec![
        IndicatorDef::new(
            "care-leavers-supported",
            "Care leavers supported by the Aftercare service",
            Unit::Count,
            Polarity::NotStated,
            "The number of care leavers being supported by, and receiving, the council's Aftercare service on the date given. A care leaver, as the Children (Leaving Care) Act 2000 defines one, has been looked after for at least 13 weeks since the age of 14 and was in care on their 16th birthday; councils must appoint a Personal Adviser, up to the age of 25, for care leavers who request one.",
        ),
        IndicatorDef::new(
            "care-leavers-eet",
            "Care leavers in education, employment or training",
            Unit::Percent,
            Polarity::HigherIsBetter,
            "The percentage of care leavers in part-time or full-time education, employment or training (EET). The quarterly report measures care leavers aged 19 to 21; the committee minutes quoted beside it do not say which ages their figures cover.",
        ),
        IndicatorDef::new(
            "care-leavers-suitable-accommodation",
            "Care leavers aged 19 to 21 in suitable accommodation",
            Unit::Percent,
            Polarity::HigherIsBetter,
            "The percentage of care leavers aged 19 to 21 reported to be in suitable accommodation. The report adds \"Care leavers who are not in touch with the service, as well as those whose accommodation is unsuitable\", without saying how they are counted; reasons for accommodation being deemed unsuitable include care leavers who are UASC and missing, young people declining to say where they are living, or care leavers in prison.",
        ),
        IndicatorDef::new(
            "care-leavers-in-touch",
            "Care leavers aged 19 to 21 in touch with the council",
            Unit::Percent,
            Polarity::HigherIsBetter,
            "The percentage of care leavers aged 19 to 21 the council is in touch with. Councils are expected to stay in touch with care leavers and provide statutory support to help them move to living independently.",
        ),
    ]
}

impl Section for CareLeavers {
    fn declare(&self) -> SectionDecl {
        SectionDecl::new("care-leavers", "Care Leaving Service")
            .indicators(indicators())
            .headline(&["care-leavers-eet"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scrutiny_core::testing::load_section;
    use scrutiny_plugin::period::Period;

    const SHIPPED: &str = include_str!("../../../data/2022-23/q2/care-leavers.toml");

    #[test]
    fn the_declaration_holds_together() {
        let decl = CareLeavers.declare();
        assert!(
            decl.indicators
                .iter()
                .all(|d| d.id.starts_with("care-leavers-"))
        );
        let problems = scrutiny_core::sections::declaration_problems(&decl);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn the_shipped_figures_pass_every_check() {
        let (data, diags) = load_section(&CareLeavers, SHIPPED);
        assert!(!diags.has_errors(), "{}", diags.render());
        assert_eq!(data.figures.len(), 4);
        let eet = data.get("care-leavers-eet").expect("eet");
        assert_eq!(eet.value, Some(54.0));
        assert_eq!(eet.last_year, Some(49.0));
        // The report names no period for these comparators: recorded as such, not guessed.
        assert!(
            eet.comparators
                .iter()
                .all(|c| c.basis == Period::NotRecorded)
        );
        let housed = data
            .get("care-leavers-suitable-accommodation")
            .expect("housed");
        assert!(
            housed
                .comparators
                .iter()
                .all(|c| c.basis == Period::Year(2021))
        );
    }

    #[test]
    fn every_shipped_figure_has_a_chart() {
        let (data, _) = load_section(&CareLeavers, SHIPPED);
        let config = scrutiny_core::testing::site_config();
        let charts = scrutiny_core::sections::charts(&CareLeavers.declare(), &data, &config);
        assert_eq!(charts.len(), 4);
        let in_touch = charts
            .iter()
            .find(|c| c.id == "care-leavers-in-touch")
            .expect("chart");
        // The report calls 89% "in line with" the 92% and 91%: that, not "lower than".
        assert!(
            in_touch.description.contains(
                "in line with the Statistical neighbours average (92%, period not recorded)"
            ),
            "{}",
            in_touch.description
        );
    }

    #[test]
    fn a_percentage_above_100_is_refused_by_the_core() {
        let toml = "[care-leavers-in-touch]\nvalue = 189\nsource = { document = \"csc-performance-2022-23-q2\", paragraph = \"6.3\" }\n";
        let (_, diags) = load_section(&CareLeavers, toml);
        assert!(
            diags
                .render()
                .contains("a percentage must be between 0 and 100, not 189"),
            "{}",
            diags.render()
        );
    }
}

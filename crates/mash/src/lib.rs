//! # scrutiny-mash
//!
//! The Multi-Agency Safeguarding Hub (MASH) section of the quarterly children's social care
//! report: the front door of children's services. It reads `data/<year>/<quarter>/mash.toml`
//! and `content/reports/<year>/<quarter>/mash.md`; the core does the rest.
//!
//! - **Indicators**: contacts received and the share needing no further action, referrals in
//!   the quarter and in the year, the referral rate, assessments and their timeliness, and
//!   cases stepped down to early help.
//! - **Checks**: referrals in a quarter cannot outnumber the contacts they come from.
//! - **Charts**: each figure against the same period last year and its comparators.

use scrutiny_plugin::indicator::{IndicatorDef, Polarity, Unit};
use scrutiny_plugin::section::{Check, Section, SectionDecl};

/// The MASH section plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct Mash;

/// The indicators of the MASH section, in the order a report shows them.
pub fn indicators() -> Vec<IndicatorDef> {
    vec![
        IndicatorDef::new(
            "mash-contacts",
            "MASH contacts received",
            Unit::Count,
            Polarity::NotStated,
            "The number of contacts the Multi-Agency Safeguarding Hub received in the period. The report names it among its \"key demand indicators\".",
        ),
        IndicatorDef::new(
            "mash-contacts-no-further-action",
            "MASH contacts resulting in no further action",
            Unit::Percent,
            Polarity::NotStated,
            "Of the contacts received in the period, the percentage that needed no further action. The rest needed some level of intervention.",
        ),
        IndicatorDef::new(
            "referrals",
            "Referrals to children's social care",
            Unit::Count,
            Polarity::NotStated,
            "The number of referrals to children's social care in the period.",
        ),
        IndicatorDef::new(
            "referrals-annual",
            "Referrals to children's social care in the year",
            Unit::Count,
            Polarity::NotStated,
            "The number of LCS referrals, as the report calls them, over a whole financial year, 1 April to 31 March.",
        ),
        // the report gives no count of the same period to check it against
        IndicatorDef::new(
            "referral-rate",
            "Rate of referrals per 10,000",
            Unit::RatePer10k,
            Polarity::NotStated,
            "Referrals per 10,000, as the report gives the rate; it does not say of whom.",
        ),
        IndicatorDef::new(
            "assessments",
            "Children and family assessments completed",
            Unit::Count,
            Polarity::NotStated,
            "The number of children and families assessments completed in the period.",
        ),
        IndicatorDef::new(
            "assessments-in-timescale",
            "Assessments completed in timescale",
            Unit::Percent,
            Polarity::HigherIsBetter,
            "The percentage of children and family assessments completed in timescale.",
        ),
        IndicatorDef::new(
            "step-downs",
            "Cases stepped down",
            Unit::Count,
            Polarity::NotStated,
            "The number of cases stepped down in the period, as the report counts them; it does not define a step-down.",
        ),
    ]
}

impl Section for Mash {
    fn declare(&self) -> SectionDecl {
        SectionDecl::new("mash", "Multi-Agency Safeguarding Hub (MASH)")
            .indicators(indicators())
            .headline(&["mash-contacts", "referrals", "assessments-in-timescale"])
            .check(Check::at_most(
                "referrals",
                "mash-contacts",
                "every referral starts as a contact",
            ))
    }
}

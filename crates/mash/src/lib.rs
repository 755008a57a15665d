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

use scrutiny_core::diag::Diagnostics;
use scrutiny_core::figure::SectionData;
use scrutiny_core::indicator::{IndicatorDef, Polarity, Unit};
use scrutiny_core::plugin::Section;

/// The MASH section plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct Mash;

/// The indicators of the MASH section, in the order a report shows them.
pub const INDICATORS: &[IndicatorDef] = &[
    IndicatorDef {
        id: "mash-contacts",
        name: "MASH contacts received",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of contacts the Multi-Agency Safeguarding Hub received in the period: each time a professional or member of the public raised a concern about a child.",
        rate_of: None,
    },
    IndicatorDef {
        id: "mash-contacts-no-further-action",
        name: "MASH contacts resulting in no further action",
        unit: Unit::Percent,
        polarity: Polarity::Neutral,
        definition: "Of the contacts received in the period, the percentage that needed no further action. The rest needed some level of intervention.",
        rate_of: None,
    },
    IndicatorDef {
        id: "referrals",
        name: "Referrals to children's social care",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of referrals to children's social care in the period: contacts accepted as needing a social care response.",
        rate_of: None,
    },
    IndicatorDef {
        id: "referrals-annual",
        name: "Referrals to children's social care in the year",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of referrals recorded in the council's case system (LCS) over a whole financial year, 1 April to 31 March.",
        rate_of: None,
    },
    IndicatorDef {
        id: "referral-rate",
        name: "Rate of referrals per 10,000 children",
        unit: Unit::RatePer10k,
        polarity: Polarity::Neutral,
        definition: "Referrals per 10,000 children aged under 18 living in the area, so that areas of different sizes can be compared.",
        rate_of: None, // the report gives no count of the same period to check it against
    },
    IndicatorDef {
        id: "assessments",
        name: "Children and family assessments completed",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of children and family (single) assessments completed in the period.",
        rate_of: None,
    },
    IndicatorDef {
        id: "assessments-in-timescale",
        name: "Assessments completed in timescale",
        unit: Unit::Percent,
        polarity: Polarity::HigherIsBetter,
        definition: "The percentage of children and family assessments completed within the statutory timescale of 45 working days from referral.",
        rate_of: None,
    },
    IndicatorDef {
        id: "step-downs",
        name: "Cases stepped down to early help",
        unit: Unit::Count,
        polarity: Polarity::Neutral,
        definition: "The number of cases stepped down in the period from statutory social care to a lower level of support, such as early help.",
        rate_of: None,
    },
];

impl Section for Mash {
    fn id(&self) -> &'static str {
        "mash"
    }

    fn title(&self) -> &'static str {
        "Multi-Agency Safeguarding Hub (MASH)"
    }

    fn indicators(&self) -> &'static [IndicatorDef] {
        INDICATORS
    }

    fn headline(&self) -> &'static [&'static str] {
        &["mash-contacts", "referrals", "assessments-in-timescale"]
    }

    fn check(&self, data: &SectionData, diags: &mut Diagnostics) {
        data.check_at_most(
            "referrals",
            "mash-contacts",
            "every referral starts as a contact",
            diags,
        );
    }
}

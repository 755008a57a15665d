//! Indicators: what a section measures, in what unit, and how its values are written out.

use std::borrow::Cow;

use serde::Serialize;

/// The unit of an indicator's values. It decides the range check and how a value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Unit {
    /// A whole number of children, contacts, episodes…; never negative.
    Count,
    /// A percentage, 0 to 100.
    Percent,
    /// A rate per 10,000 (of the population the source names).
    RatePer10k,
    /// A number of days.
    Days,
    /// A number of weeks.
    Weeks,
}

impl Unit {
    /// Every unit, by the name a section's TOML file gives it.
    pub const NAMES: [(&'static str, Unit); 5] = [
        ("count", Unit::Count),
        ("percent", Unit::Percent),
        ("rate-per-10000", Unit::RatePer10k),
        ("days", Unit::Days),
        ("weeks", Unit::Weeks),
    ];

    /// How the unit is said in a table heading or a chart axis.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Count => "number",
            Unit::Percent => "per cent",
            Unit::RatePer10k => "rate per 10,000",
            Unit::Days => "days",
            Unit::Weeks => "weeks",
        }
    }

    /// What a value of this unit must be, for hints: "a whole number, 0 or more".
    pub fn rule(self) -> &'static str {
        match self {
            Unit::Count => "a count: a whole number, 0 or more",
            Unit::Percent => "a percentage: from 0 to 100, without the % sign",
            Unit::RatePer10k => "a rate per 10,000: 0 or more",
            Unit::Days => "a number of days: 0 or more",
            Unit::Weeks => "a number of weeks: 0 or more",
        }
    }

    /// Writes a value with its unit: `1,323`, `94%`, `18.3 per 10,000`, `609 days`.
    pub fn format(self, value: f64) -> String {
        self.format_written(value, 0)
    }

    /// Writes a value with its unit as precisely as the source writes it: `decimals` places
    /// (`38.0 per 10,000`), or as [`Unit::format`] does for 0.
    pub fn format_written(self, value: f64, decimals: u8) -> String {
        let number = format_written(value, decimals);
        match self {
            Unit::Count => number,
            Unit::Percent => format!("{number}%"),
            Unit::RatePer10k => format!("{number} per 10,000"),
            Unit::Days => format!("{number} days"),
            Unit::Weeks => format!("{number} weeks"),
        }
    }

    /// Checks a value against the unit's range; the error says what is allowed.
    pub fn check(self, value: f64) -> Result<(), String> {
        if !value.is_finite() {
            return Err("a value must be a finite number".into());
        }
        // Beyond this, numbers are not written exactly; no council's figure is so large.
        if value.abs() >= 1e15 {
            return Err("a value must be less than 1,000,000,000,000,000".into());
        }
        match self {
            Unit::Percent if !(0.0..=100.0).contains(&value) => Err(format!(
                "a percentage must be between 0 and 100, not {}",
                format_number(value)
            )),
            Unit::Count if value < 0.0 || value.fract() != 0.0 => Err(format!(
                "a count must be a whole number of 0 or more, not {}",
                format_number(value)
            )),
            _ if value < 0.0 => Err(format!(
                "this value cannot be negative ({})",
                format_number(value)
            )),
            _ => Ok(()),
        }
    }
}

/// Which direction of change is an improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Polarity {
    /// A higher value is better (assessments in timescale).
    HigherIsBetter,
    /// A lower value is better (repeat child protection plans).
    LowerIsBetter,
    /// Neither direction is better in itself (number of contacts): demand, not performance.
    Neutral,
    /// The sources do not say which direction is better, and it is not for the site to.
    NotStated,
}

impl Polarity {
    /// Every polarity, by the name a section's TOML file gives it.
    pub const NAMES: [(&'static str, Polarity); 4] = [
        ("higher-is-better", Polarity::HigherIsBetter),
        ("lower-is-better", Polarity::LowerIsBetter),
        ("neutral", Polarity::Neutral),
        ("not-stated", Polarity::NotStated),
    ];

    /// The words for this polarity, for a page: "Higher is better."
    pub fn sentence(self) -> &'static str {
        match self {
            Polarity::HigherIsBetter => "Higher is better.",
            Polarity::LowerIsBetter => "Lower is better.",
            Polarity::Neutral => {
                "Neither higher nor lower is better in itself: this is a measure of demand or activity."
            }
            Polarity::NotStated => {
                "The source does not say whether a higher or a lower value is better."
            }
        }
    }
}

/// One indicator, as a section declares it (in Rust or in a section's TOML file).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct IndicatorDef {
    /// Stable identifier, unique across all sections: the key in data files and the URL slug.
    pub id: Cow<'static, str>,
    /// Name as a heading: "MASH contacts received".
    pub name: Cow<'static, str>,
    /// Unit of its values.
    pub unit: Unit,
    /// Which direction is better.
    pub polarity: Polarity,
    /// A plain-English definition for residents, saying only what the sources say.
    pub definition: Cow<'static, str>,
    /// Where the definition comes from when not from the site's source documents (an
    /// official definition), so pages can cite it.
    pub definition_source: Option<Cow<'static, str>>,
    /// The address of that source (an `https://` or `http://` URL), for pages to link to.
    pub definition_url: Option<Cow<'static, str>>,
}

impl IndicatorDef {
    /// An indicator: its id, name, unit, polarity and definition.
    pub fn new(
        id: impl Into<Cow<'static, str>>,
        name: impl Into<Cow<'static, str>>,
        unit: Unit,
        polarity: Polarity,
        definition: impl Into<Cow<'static, str>>,
    ) -> IndicatorDef {
        IndicatorDef {
            id: id.into(),
            name: name.into(),
            unit,
            polarity,
            definition: definition.into(),
            definition_source: None,
            definition_url: None,
        }
    }

    /// The definition as pages show it: with where it comes from, when not from the site's
    /// documents.
    pub fn definition_cited(&self) -> String {
        match &self.definition_source {
            Some(source) => format!("{} (Definition from {source}.)", self.definition),
            None => self.definition.to_string(),
        }
    }

    /// The same indicator, its definition taken from `source` (not the site's documents).
    pub fn defined_by(mut self, source: impl Into<Cow<'static, str>>) -> IndicatorDef {
        self.definition_source = Some(source.into());
        self
    }

    /// The same indicator, its definition's source found at `url`.
    pub fn defined_at(mut self, url: impl Into<Cow<'static, str>>) -> IndicatorDef {
        self.definition_url = Some(url.into());
        self
    }
}

/// Writes a number with `decimals` decimal places, thousands separated (`38.0`, `1,323.50`), as
/// [`format_number`] does when `decimals` is 0.
pub fn format_written(value: f64, decimals: u8) -> String {
    if decimals == 0 {
        return format_number(value);
    }
    let fixed = format!("{:.*}", usize::from(decimals), value.abs());
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let whole: f64 = whole.parse().unwrap_or(0.0);
    let sign = if value < 0.0 { "-" } else { "" };
    format!("{sign}{}.{fraction}", format_number(whole))
}

/// Writes a number the way the reports do: thousands separated, at most one decimal place.
pub fn format_number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let negative = rounded < 0.0;
    let whole = rounded.abs().trunc() as u64;
    let tenth = ((rounded.abs() - whole as f64) * 10.0).round() as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if negative { "-" } else { "" };
    if tenth == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{tenth}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_reports() {
        assert_eq!(format_number(1323.0), "1,323");
        assert_eq!(format_number(18.3), "18.3");
        assert_eq!(format_number(38.0), "38");
        assert_eq!(format_number(1_000_000.0), "1,000,000");
        assert_eq!(Unit::Percent.format(94.0), "94%");
        assert_eq!(Unit::RatePer10k.format(349.0), "349 per 10,000");
        assert_eq!(Unit::RatePer10k.format_written(38.0, 1), "38.0 per 10,000");
        assert_eq!(format_written(1323.5, 2), "1,323.50");
        assert_eq!(format_written(18.3, 0), "18.3");
    }

    #[test]
    fn range_checks() {
        assert!(Unit::Percent.check(140.0).is_err());
        assert!(Unit::Percent.check(100.0).is_ok());
        assert!(Unit::Count.check(-1.0).is_err());
        assert!(Unit::Count.check(2.5).is_err());
        assert!(Unit::Days.check(609.0).is_ok());
        assert!(Unit::RatePer10k.check(-3.0).is_err());
    }
}

//! Reporting periods: financial years, quarters, months and as-at dates.
//!
//! UK councils report by financial year (April to March): `2022-23` is April 2022 to March 2023,
//! and its `Q2` is July to September 2022. A figure's period is written in data files as one of
//! `2022-23 Q2`, `2022-23`, `2024-08` or `2022-09-30`, or `2021` where a source names only a
//! year ("based on the benchmarking data 2021").

use std::fmt;
use std::str::FromStr;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Orders periods by end date, then longer periods first: see [`Period::sort_key`].
pub type SortKey = (u16, u8, u8, u8);

/// The period a figure covers, or the date it was taken at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A financial year, by the calendar year it starts in (`2022` is 2022-23).
    FinancialYear(u16),
    /// A year as a source names it, `2021`, without saying whether it is a calendar or a
    /// financial year ("based on the benchmarking data 2021"). Shown as written; ordered as the
    /// calendar year.
    Year(u16),
    /// A quarter of a financial year (1 = April to June).
    Quarter {
        /// Calendar year the financial year starts in.
        year: u16,
        /// 1 to 4.
        quarter: u8,
    },
    /// A calendar month.
    Month {
        /// Calendar year.
        year: u16,
        /// 1 to 12.
        month: u8,
    },
    /// A single day: a snapshot "as at" that date.
    Date(Date),
    /// The source does not say when: written `not recorded` in data files. Sorts before every
    /// dated period and is shown as "period not recorded".
    NotRecorded,
}

impl Period {
    /// The same period one year earlier ("the same period last year").
    pub fn year_earlier(self) -> Period {
        match self {
            Period::FinancialYear(y) => Period::FinancialYear(y - 1),
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter { year, quarter } => Period::Quarter {
                year: year - 1,
                quarter,
            },
            Period::Month { year, month } => Period::Month {
                year: year - 1,
                month,
            },
            Period::Date(date) => Period::Date(date.year_earlier()),
            Period::NotRecorded => Period::NotRecorded,
        }
    }

    /// The last day the period covers: the key for ordering a history (year 0 for a period not
    /// recorded).
    pub fn end(self) -> Date {
        let (year, month, day) = match self {
            Period::FinancialYear(y) => (y + 1, 3, 31),
            Period::Year(y) => (y, 12, 31),
            Period::Quarter { year, quarter } => {
                let (y, m) = quarter_end(year, quarter);
                (y, m, days_in_month(y, m))
            }
            Period::Month { year, month } => (year, month, days_in_month(year, month)),
            Period::Date(date) => return date,
            Period::NotRecorded => (0, 0, 0),
        };
        Date { year, month, day }
    }

    /// A sortable key that orders by end date, then longer periods first.
    pub fn sort_key(self) -> SortKey {
        let Date {
            year: y,
            month: m,
            day: d,
        } = self.end();
        let width = match self {
            Period::FinancialYear(_) | Period::Year(_) => 0,
            Period::Quarter { .. } => 1,
            Period::Month { .. } => 2,
            Period::Date { .. } | Period::NotRecorded => 3,
        };
        (y, m, d, width)
    }

    /// A short label for tables and chart axes: `Q2 2022-23`, `2021-22`, `Aug 2024`, `30 Sep 2022`.
    pub fn short_label(self) -> String {
        match self {
            Period::FinancialYear(y) => financial_year(y),
            Period::Year(y) => y.to_string(),
            Period::Quarter { year, quarter } => format!("Q{quarter} {}", financial_year(year)),
            Period::Month { year, month } => format!("{} {year}", &MONTHS[month as usize - 1][..3]),
            Period::Date(Date { year, month, day }) => {
                format!("{day} {} {year}", &MONTHS[month as usize - 1][..3])
            }
            Period::NotRecorded => "period not recorded".into(),
        }
    }

    /// The period as it follows a value in a sentence: `in Q2 2021-22`, `at 30 September 2021`.
    pub fn phrase(self) -> String {
        match self {
            Period::Date { .. } => format!("at {self}"),
            Period::NotRecorded => "(period not recorded)".into(),
            _ => format!("in {}", self.short_label()),
        }
    }

    /// The machine form, as written in data files and CSV: `2022-23 Q2`, `2022-09-30`.
    pub fn code(self) -> String {
        match self {
            Period::FinancialYear(y) => financial_year(y),
            Period::Year(y) => y.to_string(),
            Period::Quarter { year, quarter } => format!("{} Q{quarter}", financial_year(year)),
            Period::Month { year, month } => format!("{year}-{month:02}"),
            Period::Date(date) => date.iso(),
            Period::NotRecorded => "not recorded".into(),
        }
    }
}

impl serde::Serialize for Period {
    /// Serialized in its machine form, `2022-23 Q2`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.code())
    }
}

impl fmt::Display for Period {
    /// The long, plain-English form: `Q2 2022-23 (July to September 2022)`, `30 September 2022`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::FinancialYear(y) => {
                write!(f, "{} (April {y} to March {})", financial_year(y), y + 1)
            }
            Period::Quarter { year, quarter } => {
                let (end_year, end_month) = quarter_end(year, quarter);
                let start_month = end_month - 2;
                write!(
                    f,
                    "Q{quarter} {} ({} to {} {end_year})",
                    financial_year(year),
                    MONTHS[start_month as usize - 1],
                    MONTHS[end_month as usize - 1]
                )
            }
            Period::Year(y) => write!(f, "{y}"),
            Period::Month { year, month } => write!(f, "{} {year}", MONTHS[month as usize - 1]),
            Period::Date(date) => write!(f, "{date}"),
            Period::NotRecorded => f.write_str("period not recorded"),
        }
    }
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError(pub String);

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text == "not recorded" {
            return Ok(Period::NotRecorded);
        }
        let err = |why: &str| PeriodError(format!("`{text}` is not a period: {why}"));
        if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            return parse_year(text).map(Period::Year).map_err(|e| err(&e));
        }
        if let Some((fy, q)) = text.split_once(' ') {
            let year = parse_financial_year(fy).map_err(|e| err(&e))?;
            let quarter = match q.trim() {
                "Q1" | "q1" => 1,
                "Q2" | "q2" => 2,
                "Q3" | "q3" => 3,
                "Q4" | "q4" => 4,
                _ => return Err(err("the quarter must be Q1, Q2, Q3 or Q4")),
            };
            return Ok(Period::Quarter { year, quarter });
        }
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            // `2022-23` is a financial year when the second part is the next year; otherwise
            // `2024-08` is a month. (Only 2000-01 … 2011-12 could be read both ways.)
            [y, second] if y.len() == 4 && second.len() == 2 && is_next_year(y, second) => {
                let year = parse_financial_year(text).map_err(|e| err(&e))?;
                Ok(Period::FinancialYear(year))
            }
            [y, m] if m.len() == 2 => {
                let year = parse_year(y).map_err(|e| err(&e))?;
                let month = parse_month(m).map_err(|e| err(&e))?;
                Ok(Period::Month { year, month })
            }
            [y, m, d] => Ok(Period::Date(parse_date(y, m, d).map_err(|e| err(&e))?)),
            _ => Err(err(
                "write a quarter (`2022-23 Q2`), a financial year (`2022-23`), a month (`2024-08`), a date (`2022-09-30`) or a year as the source names it (`2021`)",
            )),
        }
    }
}

/// A civil day: the one date type of the site (a figure's date, a meeting's, an action's due
/// date). Dates order as the calendar does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

impl Date {
    /// Reads a calendar date `YYYY-MM-DD`, refusing impossible days such as 2023-02-29.
    pub fn parse(text: &str) -> Result<Date, String> {
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => parse_date(y, m, d),
            _ => Err(format!("`{text}` is not a date of the form YYYY-MM-DD")),
        }
    }

    /// Days since 1 January 1970 (negative before it): the difference of two is the number of
    /// days between them.
    pub fn days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1 January 1970, for a year from 0 to 65535.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: year.clamp(0, i64::from(u16::MAX)) as u16,
            month,
            day,
        }
    }

    /// This date plus `days` days.
    pub fn plus(self, days: i64) -> Date {
        Date::from_days(self.days() + days)
    }

    /// The same day a year earlier; 28 February for a 29th.
    pub fn year_earlier(self) -> Date {
        let year = self.year.saturating_sub(1);
        Date {
            year,
            month: self.month,
            day: self.day.min(days_in_month(year, self.month)),
        }
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    /// `30 September 2022`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let month = MONTHS[(self.month.clamp(1, 12) - 1) as usize];
        write!(f, "{} {month} {}", self.day, self.year)
    }
}

fn is_next_year(first: &str, second: &str) -> bool {
    match (digits(first), digits(second)) {
        (Some(y), Some(n)) => (y + 1) % 100 == n,
        _ => false,
    }
}

/// The number written with ASCII digits only: no sign (`+1`), no space, no other digits. Rust's
/// own integer parsing takes a leading `+`, which no date or period is written with.
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `2022` → `2022-23`.
pub fn financial_year(start: u16) -> String {
    format!("{start}-{:02}", (start + 1) % 100)
}

fn parse_financial_year(text: &str) -> Result<u16, String> {
    let (first, second) = text
        .split_once('-')
        .ok_or_else(|| "a financial year is written `2022-23`".to_string())?;
    let year = parse_year(first)?;
    let next = digits(second).ok_or_else(|| "a financial year is written `2022-23`".to_string())?;
    if second.len() != 2 || next != u32::from((year + 1) % 100) {
        return Err(format!(
            "a financial year runs over two consecutive years: did you mean `{}`?",
            financial_year(year)
        ));
    }
    Ok(year)
}

/// Reads a four-digit year from 1900 to 2200; the error says which of the two it is not.
pub fn parse_year(text: &str) -> Result<u16, String> {
    match digits(text).and_then(|y| u16::try_from(y).ok()) {
        Some(y) if text.len() == 4 && (1900..=2200).contains(&y) => Ok(y),
        Some(_) if text.len() == 4 => Err(format!("`{text}` is not a year from 1900 to 2200")),
        _ => Err(format!("`{text}` is not a four-digit year")),
    }
}

fn parse_month(text: &str) -> Result<u8, String> {
    match digits(text).and_then(|m| u8::try_from(m).ok()) {
        Some(m) if (1..=12).contains(&m) => Ok(m),
        _ => Err(format!("month `{text}` is not between 01 and 12")),
    }
}

fn parse_date(y: &str, m: &str, d: &str) -> Result<Date, String> {
    let year = parse_year(y)?;
    let month = parse_month(m)?;
    let day = digits(d)
        .and_then(|d| u8::try_from(d).ok())
        .ok_or_else(|| format!("day `{d}` is not a number"))?;
    if day == 0 || day > days_in_month(year, month) {
        return Err(format!(
            "{} {year} has {} days, so day {day} does not exist",
            MONTHS[month as usize - 1],
            days_in_month(year, month)
        ));
    }
    Ok(Date { year, month, day })
}

fn quarter_end(year: u16, quarter: u8) -> (u16, u8) {
    match quarter {
        1 => (year, 6),
        2 => (year, 9),
        3 => (year, 12),
        _ => (year + 1, 3),
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_form() {
        assert_eq!(
            "2022-23 Q2".parse(),
            Ok(Period::Quarter {
                year: 2022,
                quarter: 2
            })
        );
        assert_eq!("2021-22".parse(), Ok(Period::FinancialYear(2021)));
        assert_eq!(
            "2024-08".parse(),
            Ok(Period::Month {
                year: 2024,
                month: 8
            })
        );
        assert_eq!(
            "2022-09-30".parse(),
            Ok(Period::Date(Date {
                year: 2022,
                month: 9,
                day: 30
            }))
        );
    }

    #[test]
    fn rejects_impossible_periods() {
        assert!("2022-24".parse::<Period>().is_err());
        assert!("2022-23 Q5".parse::<Period>().is_err());
        assert!("2023-02-29".parse::<Period>().is_err());
        assert!("2024-13".parse::<Period>().is_err());
        assert!("last year".parse::<Period>().is_err());
        assert!("2024-02-29".parse::<Period>().is_ok());
        assert_eq!("not recorded".parse(), Ok(Period::NotRecorded));
        assert!("1066".parse::<Period>().is_err());
    }

    #[test]
    fn signs_and_other_digits_are_refused() {
        for text in [
            "2023-+1-19",
            "2023-01-+9",
            "+2022-23",
            "2022-+3",
            "2002-+3",
            "+202-23",
            "2022-+8",
            "+2021",
            "2022-23 Q+2",
            "-2022-23",
            "2024-0 8",
            "２０２２-23",
            "2022-٢٣",
        ] {
            assert!(
                text.parse::<Period>().is_err(),
                "`{text}` was read as a period"
            );
        }
        for text in [
            "2023-+1-19",
            "2023-01-+9",
            "+203-01-19",
            "2023-1-19",
            "2023-01-19 ",
        ] {
            assert!(Date::parse(text).is_err(), "`{text}` was read as a date");
        }
        assert!(parse_year("+202").is_err());
        assert_eq!(
            Date::parse("2023-01-19").map(Date::iso),
            Ok("2023-01-19".into())
        );
    }

    #[test]
    fn a_year_is_kept_as_the_source_names_it() {
        let year: Period = "2021".parse().expect("a year");
        assert_eq!(year, Period::Year(2021));
        assert_eq!(year.short_label(), "2021");
        assert_eq!(year.code(), "2021");
        assert_eq!(year.to_string(), "2021");
        assert_eq!(year.phrase(), "in 2021");
        assert_eq!(year.year_earlier(), Period::Year(2020));
        assert!(year.sort_key() > Period::FinancialYear(2020).sort_key());
        assert!(year.sort_key() < Period::FinancialYear(2021).sort_key());
    }

    #[test]
    fn describes_quarters_in_words() {
        let q2 = Period::Quarter {
            year: 2022,
            quarter: 2,
        };
        assert_eq!(q2.to_string(), "Q2 2022-23 (July to September 2022)");
        let q4 = Period::Quarter {
            year: 2022,
            quarter: 4,
        };
        assert_eq!(q4.to_string(), "Q4 2022-23 (January to March 2023)");
        assert_eq!(q2.year_earlier().short_label(), "Q2 2021-22");
        assert_eq!(Period::FinancialYear(1999).short_label(), "1999-00");
        assert_eq!(
            Period::Date(Date {
                year: 2021,
                month: 9,
                day: 30
            })
            .phrase(),
            "at 30 September 2021"
        );
        assert_eq!(q2.phrase(), "in Q2 2022-23");
    }

    #[test]
    fn counts_days() {
        let date = |text| Date::parse(text).unwrap();
        assert_eq!(date("1970-01-01").days(), 0);
        assert_eq!(date("2024-03-01").days() - date("2024-02-28").days(), 2);
        assert_eq!(date("2023-11-17").days() - date("2022-11-17").days(), 365);
        assert_eq!(date("2022-09-30").to_string(), "30 September 2022");
        let leap = date("2004-02-29");
        assert_eq!(Date::from_days(leap.days()), leap);
        assert_eq!(leap.plus(1).iso(), "2004-03-01");
        assert_eq!(leap.year_earlier().iso(), "2003-02-28");
        assert!(date("2022-11-17") < date("2023-01-19"));
    }

    #[test]
    fn orders_by_end_date() {
        let mut periods: Vec<Period> = ["2022-09-30", "2021-22", "2022-23 Q2", "2022-23 Q1"]
            .iter()
            .map(|p| p.parse().unwrap())
            .collect();
        periods.sort_by_key(|p| p.sort_key());
        let codes: Vec<String> = periods.iter().map(|p| p.code()).collect();
        assert_eq!(codes, ["2021-22", "2022-23 Q1", "2022-23 Q2", "2022-09-30"]);
    }
}

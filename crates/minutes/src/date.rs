//! Meeting dates from file names: `2022-11-17.md`, or partly dated `2024-09-xx.md` and
//! `2024-xx-xx.md`, or `undated-<slug>.md` when the minutes do not say when the meeting was.

use scrutiny_plugin::period::{Date, Period, parse_year};
use serde::Serialize;

/// Orders meetings: see [`MeetingDate::sort_key`].
pub type DateKey = (u8, u16, u8, u8, String);

/// When a meeting took place, as far as its minutes say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "known", rename_all = "kebab-case")]
pub enum MeetingDate {
    /// The full date.
    Day(Date),
    /// Only the month.
    Month {
        /// Year.
        year: u16,
        /// Month, 1–12.
        month: u8,
    },
    /// Only the year.
    Year {
        /// Year.
        year: u16,
    },
    /// Not recorded: the file is `undated-<slug>.md`.
    Undated {
        /// The slug that names the file.
        slug: String,
    },
}

impl MeetingDate {
    /// Reads a file stem; the error says which names are allowed.
    pub fn from_stem(stem: &str) -> Result<MeetingDate, String> {
        if let Some(slug) = stem.strip_prefix("undated-") {
            return match scrutiny_plugin::name::check(slug) {
                Ok(()) => Ok(MeetingDate::Undated {
                    slug: slug.to_string(),
                }),
                Err(bad) => Err(format!(
                    "`{stem}`: the name after `undated-` {}; {}",
                    bad.problem,
                    bad.hint("it")
                )),
            };
        }
        let parts: Vec<&str> = stem.split('-').collect();
        match parts.as_slice() {
            [y, "xx", "xx"] => Ok(MeetingDate::Year {
                year: parse_year(y)?,
            }),
            [y, m, "xx"] => {
                let Date { year, month, .. } = Date::parse(&format!("{y}-{m}-01"))?;
                Ok(MeetingDate::Month { year, month })
            }
            [_, _, _] => Ok(MeetingDate::Day(Date::parse(stem)?)),
            _ => Err(format!(
                "`{stem}` is not a meeting date: name the file YYYY-MM-DD.md, or YYYY-MM-xx.md / YYYY-xx-xx.md when only part of the date is recorded, or undated-<name>.md"
            )),
        }
    }

    /// The date in words: `17 November 2022`, `September 2024 (day not recorded)`.
    pub fn words(&self) -> String {
        match self {
            MeetingDate::Day(date) => date.to_string(),
            MeetingDate::Month { year, month } => {
                format!(
                    "{} (day not recorded)",
                    Period::Month {
                        year: *year,
                        month: *month
                    }
                )
            }
            MeetingDate::Year { year } => format!("{year} (day and month not recorded)"),
            MeetingDate::Undated { .. } => "Date not recorded".to_string(),
        }
    }

    /// ISO date when fully known.
    pub fn iso(&self) -> Option<String> {
        match self {
            MeetingDate::Day(date) => Some(date.iso()),
            _ => None,
        }
    }

    /// The date as far as it is known, as Open Civic Data writes a date: `2022-11-17`, `2024-09`
    /// (month only), `2024` (year only), or `""` when it is not recorded.
    pub fn fuzzy_iso(&self) -> String {
        match self {
            MeetingDate::Day(date) => date.iso(),
            MeetingDate::Month { year, month } => format!("{year:04}-{month:02}"),
            MeetingDate::Year { year } => format!("{year:04}"),
            MeetingDate::Undated { .. } => String::new(),
        }
    }

    /// The calendar year, when known.
    pub fn year(&self) -> Option<u16> {
        match self {
            MeetingDate::Day(Date { year, .. })
            | MeetingDate::Month { year, .. }
            | MeetingDate::Year { year } => Some(*year),
            MeetingDate::Undated { .. } => None,
        }
    }

    /// The first and last day the meeting can have been on, when its year is known.
    pub fn bounds(&self) -> Option<(Date, Date)> {
        let day = |year, month, day| Date { year, month, day };
        match *self {
            MeetingDate::Day(date) => Some((date, date)),
            MeetingDate::Month { year, month } => Some((day(year, month, 1), day(year, month, 31))),
            MeetingDate::Year { year } => Some((day(year, 1, 1), day(year, 12, 31))),
            MeetingDate::Undated { .. } => None,
        }
    }

    /// Whether this meeting was certainly before `other`, as far as both dates are known.
    pub fn certainly_before(&self, other: &MeetingDate) -> bool {
        match (self.bounds(), other.bounds()) {
            (Some((_, last)), Some((first, _))) => last < first,
            _ => false,
        }
    }

    /// Orders meetings: dated ones by date (unknown parts first in their year or month), then
    /// undated ones by name.
    pub fn sort_key(&self) -> DateKey {
        match self {
            MeetingDate::Day(date) => (0, date.year, date.month, date.day, String::new()),
            MeetingDate::Month { year, month } => (0, *year, *month, 0, String::new()),
            MeetingDate::Year { year } => (0, *year, 0, 0, String::new()),
            MeetingDate::Undated { slug } => (1, 0, 0, 0, slug.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_full_partial_and_undated_names() {
        assert_eq!(
            MeetingDate::from_stem("2022-11-17"),
            Ok(MeetingDate::Day(Date {
                year: 2022,
                month: 11,
                day: 17
            }))
        );
        assert_eq!(
            MeetingDate::from_stem("2024-09-xx"),
            Ok(MeetingDate::Month {
                year: 2024,
                month: 9
            })
        );
        assert_eq!(
            MeetingDate::from_stem("2024-xx-xx"),
            Ok(MeetingDate::Year { year: 2024 })
        );
        assert_eq!(
            MeetingDate::from_stem("undated-portfolio-holder"),
            Ok(MeetingDate::Undated {
                slug: "portfolio-holder".into()
            })
        );
        assert_eq!(
            MeetingDate::from_stem("2024-09-xx").map(|d| d.words()),
            Ok("September 2024 (day not recorded)".into())
        );
    }

    #[test]
    fn open_data_gives_as_much_of_the_date_as_is_known() {
        for (stem, fuzzy) in [
            ("2022-11-17", "2022-11-17"),
            ("2024-09-xx", "2024-09"),
            ("2024-xx-xx", "2024"),
            ("undated-portfolio-holder", ""),
        ] {
            let date = MeetingDate::from_stem(stem).unwrap();
            assert_eq!(date.fuzzy_iso(), fuzzy, "{stem}");
        }
    }

    #[test]
    fn rejects_impossible_dates_and_other_names() {
        assert!(
            MeetingDate::from_stem("2023-02-29")
                .unwrap_err()
                .contains("28 days")
        );
        assert!(MeetingDate::from_stem("2022-13-01").is_err());
        assert!(MeetingDate::from_stem("minutes").is_err());
        assert!(MeetingDate::from_stem("undated-").is_err());
        assert!(MeetingDate::from_stem("undated-Bad Name").is_err());
        for stem in [
            "2023-+1-19",
            "2023-01-+9",
            "+202-01-19",
            "2023-+1-xx",
            "+202-xx-xx",
            "undated-..",
            "undated-a/b",
            "undated-a\\b",
            "2022-11-17 ",
        ] {
            assert!(MeetingDate::from_stem(stem).is_err(), "`{stem}` was read");
        }
    }

    #[test]
    fn partial_dates_order_only_where_certain() {
        let day = MeetingDate::from_stem("2023-01-19").unwrap();
        let year = MeetingDate::from_stem("2024-xx-xx").unwrap();
        let same_month = MeetingDate::from_stem("2023-01-xx").unwrap();
        let undated = MeetingDate::from_stem("undated-x").unwrap();
        assert!(day.certainly_before(&year));
        assert!(!year.certainly_before(&day));
        assert!(!day.certainly_before(&same_month) && !same_month.certainly_before(&day));
        assert!(!day.certainly_before(&undated) && !undated.certainly_before(&day));
    }

    #[test]
    fn undated_meetings_sort_after_dated_ones() {
        let mut dates = [
            MeetingDate::Undated { slug: "a".into() },
            MeetingDate::Day(Date {
                year: 2022,
                month: 11,
                day: 17,
            }),
            MeetingDate::Year { year: 2022 },
        ];
        dates.sort_by_key(|d| d.sort_key());
        assert_eq!(dates[0], MeetingDate::Year { year: 2022 });
        assert!(matches!(dates[2], MeetingDate::Undated { .. }));
    }
}

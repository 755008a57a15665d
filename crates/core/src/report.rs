//! Quarterly reports: finding them under `content/reports/` and `data/`, reading their front
//! matter, and checking their files against the registered sections.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::alias::{self, Alias};
use crate::diag::{Diagnostics, FileId, Location};
use crate::figure::SectionData;
use crate::markdown::split_front_matter;
use crate::period::{Date, Period};
use crate::plugin::ReportLink;
use crate::tomlfile;

/// Front matter of a report's `index.md`.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReportFront {
    /// Title as the report gives it.
    pub title: String,
    /// Date the report was published, `YYYY-MM-DD`, where its source states one.
    pub published: Option<toml::Spanned<toml::value::Datetime>>,
    /// Date of the meeting it went to, `YYYY-MM-DD`, where that is the only date it has.
    pub presented: Option<toml::Spanned<toml::value::Datetime>>,
    /// Where it was presented: committee, date and item, in words.
    pub presented_to: Option<String>,
    /// Who wrote it.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The source document of the whole report, a key in `data/sources.toml`.
    pub source: Option<String>,
    /// Corrections of its figures since it was first published ([`crate::corrections`]).
    #[serde(default, skip_serializing)]
    pub corrections: Vec<crate::corrections::CorrectionToml>,
    /// The report's earlier addresses, as written: checked into [`Report::aliases`].
    #[serde(default, skip_serializing)]
    pub aliases: Vec<toml::Spanned<String>>,
}

/// One quarter's report: its narrative files and its data, before rendering.
#[derive(Debug, Clone)]
pub struct Report {
    /// The quarter.
    pub period: Period,
    /// Key in references: `2022-23/q2`.
    pub key: String,
    /// Site path: `reports/2022-23/q2/`.
    pub path: String,
    /// Front matter of `index.md`.
    pub front: ReportFront,
    /// `index.md`: file and where its body starts.
    pub index: Option<(FileId, usize)>,
    /// Where the front matter of `index.md` starts: spans inside [`ReportFront`] count from here.
    pub front_offset: usize,
    /// Narrative files by section id: file and where the body starts.
    pub narratives: BTreeMap<String, (FileId, usize)>,
    /// Data by section, in registry order.
    pub data: Vec<SectionData>,
    /// The values of the front-matter keys collections add ([`ReportLink`]), by key, each with
    /// where it stands in the front matter.
    pub links: BTreeMap<String, toml::Spanned<toml::Value>>,
    /// Its corrections, checked, in date order.
    pub corrections: Vec<crate::corrections::Correction>,
    /// Which version of the report this is: the latest, or a superseded one.
    pub edition: crate::corrections::Edition,
    /// The report page's earlier addresses (`aliases` in `index.md`): each redirects to it.
    pub aliases: Vec<Alias>,
}

impl Report {
    /// A report for the quarter named by its folder names, or why the names are wrong.
    pub fn from_folders(year: &str, quarter: &str) -> Result<Report, String> {
        let period: Period = format!("{year} {}", quarter.to_ascii_uppercase())
            .parse()
            .map_err(|e: crate::period::PeriodError| e.to_string())?;
        if !quarter.starts_with('q') {
            return Err(format!(
                "the quarter folder `{quarter}` must be lower case: q1 to q4"
            ));
        }
        // The folders name the report's address: only the one way of writing each is taken.
        if let Period::Quarter {
            year: start,
            quarter: q,
        } = period
        {
            let (want_year, want_quarter) = (crate::period::financial_year(start), format!("q{q}"));
            if year != want_year || quarter != want_quarter {
                return Err(format!(
                    "`{year}/{quarter}` must be written `{want_year}/{want_quarter}`"
                ));
            }
        }
        Ok(Report {
            period,
            key: format!("{year}/{quarter}"),
            path: format!("reports/{year}/{quarter}/"),
            front: ReportFront::default(),
            index: None,
            front_offset: 0,
            narratives: BTreeMap::new(),
            data: Vec::new(),
            links: BTreeMap::new(),
            corrections: Vec::new(),
            edition: crate::corrections::Edition::Latest,
            aliases: Vec::new(),
        })
    }

    /// Reads `index.md`: front matter is required (at least `title`). The keys `links` are
    /// those collections add.
    pub fn read_index(&mut self, file: FileId, links: &[ReportLink], diags: &mut Diagnostics) {
        let text = diags.text(file).to_string();
        let keys: Vec<&str> = links.iter().map(|l| l.key).collect();
        match split_front_matter(&text) {
            Ok(split) => match split.front_matter {
                Some((front_text, offset)) => {
                    let front = tomlfile::parse_document_except::<ReportFront>(
                        diags, file, front_text, offset, &keys,
                    );
                    if front.is_some() {
                        let all: BTreeMap<String, toml::Spanned<toml::Value>> =
                            tomlfile::parse_document(diags, file, front_text, offset)
                                .unwrap_or_default();
                        self.links = all
                            .into_iter()
                            .filter(|(key, _)| keys.contains(&key.as_str()))
                            .collect();
                    }
                    if let Some(front) = front {
                        for (key, date) in [
                            ("published", &front.published),
                            ("presented", &front.presented),
                        ] {
                            if let Some(date) = date {
                                check_day(key, date, &Location::new(file, offset..offset), diags);
                            }
                        }
                        self.aliases = alias::read(&front.aliases, file, offset, diags);
                        self.front = front;
                        self.front_offset = offset;
                    }
                    self.index = Some((file, split.body_offset));
                }
                None => diags.error(
                    &Location::new(file, 0..text.lines().next().map_or(0, str::len)),
                    "a report's index.md must begin with front matter",
                    "start the file with `+++`, a line `title = \"…\"`, and a closing `+++`",
                ),
            },
            Err(why) => diags.error(&Location::new(file, why.span), why.message, why.hint),
        }
    }

    /// Reads a section narrative: front matter is optional there.
    pub fn read_narrative(&mut self, section: &str, file: FileId, diags: &mut Diagnostics) {
        let text = diags.text(file).to_string();
        match split_front_matter(&text) {
            Ok(split) => {
                if let Some((_, offset)) = split.front_matter {
                    let opening = text[..offset].rfind("+++").unwrap_or(0);
                    diags.error(
                        &Location::new(file, opening..opening + 3),
                        "section narratives take no front matter",
                        "remove the `+++` block: the section's title comes from its plugin",
                    );
                }
                self.narratives
                    .insert(section.to_string(), (file, split.body_offset));
            }
            Err(why) => diags.error(&Location::new(file, why.span), why.message, why.hint),
        }
    }

    /// The publication date written out, `17 November 2022`.
    pub fn published_words(&self) -> Option<String> {
        day_words(self.front.published.as_ref()?)
    }

    /// The date of the meeting it went to, written out.
    pub fn presented_words(&self) -> Option<String> {
        day_words(self.front.presented.as_ref()?)
    }
}

fn day_words(date: &toml::Spanned<toml::value::Datetime>) -> Option<String> {
    Some(Date::parse(&date.get_ref().to_string()).ok()?.to_string())
}

/// The front-matter date `key` is a day: no time, no offset, a day the calendar has. `front`
/// is where the front matter starts (spans count from it).
fn check_day(
    key: &str,
    date: &toml::Spanned<toml::value::Datetime>,
    front: &Location,
    diags: &mut Diagnostics,
) {
    let span = date.span();
    let start = front.span.start;
    let at = Location::new(front.file, span.start + start..span.end + start);
    let value = date.get_ref();
    if value.time.is_some() || value.offset.is_some() {
        diags.error(
            &at,
            format!(
                "`{key} = {value}` is not a day: it has a time{}",
                if value.offset.is_some() {
                    " and an offset from UTC"
                } else {
                    ""
                }
            ),
            format!("write the day alone, `{key} = 2022-11-17`"),
        );
    } else if let Err(why) = Date::parse(&value.to_string()) {
        diags.error(&at, why, format!("write `{key} = 2022-11-17`"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_folders_are_taken_written_one_way_only() {
        let report = Report::from_folders("2022-23", "q2").expect("a quarter");
        assert_eq!(report.key, "2022-23/q2");
        assert_eq!(report.path, "reports/2022-23/q2/");
        for (year, quarter) in [
            ("2022-23 ", "q2"),
            (" 2022-23", "q2"),
            ("2022-23", "q2 "),
            ("2022-23", "Q2"),
            ("+2022-23", "q2"),
            ("2022-+3", "q2"),
            ("2002-+3", "q2"),
            ("2022-24", "q2"),
            ("2022-23", "q5"),
            ("2022-23", "q02"),
            ("..", "q2"),
        ] {
            assert!(
                Report::from_folders(year, quarter).is_err(),
                "`{year}/{quarter}` was taken"
            );
        }
    }
}

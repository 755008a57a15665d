//! Feeds, a step of writing ([`crate::write`]): the site's Atom feed (RFC 4287), `/feed.xml`,
//! of the reports and the entries the collections give, newest first, and one feed more for
//! each feed a collection declares (a committee's meetings), written with `atom_syndication`.
//! Each feed holds its newest [`FEED_ENTRIES`] entries: a feed tells its readers what is new,
//! and the archive's own pages list everything (a feed of every meeting of a long archive would
//! be megabytes that every feed reader fetches again and again).
//!
//! An Atom feed's ids and links are absolute URLs, so the feeds are written only when the base
//! URL has a host; the build's summary says so otherwise, and no page links to them. Every
//! date is the content's, never the build's clock: a report is published on the day it was
//! presented or published (whichever its front matter gives first) and updated on the day of
//! its latest correction; a report with neither date is left out. A day is written as midnight
//! UTC, the day being all the content records.

use atom_syndication as atom;
use serde::Serialize;

use crate::output::OutputFile;
use crate::period::Date;
use crate::report::Report;
use crate::site::Site;
use scrutiny_plugin::feed::{Feed, FeedEntry};

/// Site path of the site's own feed.
pub const SITE_FEED: &str = "feed.xml";

/// How many entries a feed holds: its newest.
pub const FEED_ENTRIES: usize = 50;

/// The media type of an Atom feed.
const ATOM: &str = "application/atom+xml";

/// The site's feeds and their entries, gathered before anything is written.
#[derive(Debug, Default)]
pub struct Feeds {
    /// The site's feed first, then each collection's feed that has an entry, in path order.
    feeds: Vec<Feed>,
    /// Every entry, newest first (by day updated, then published), then by path.
    entries: Vec<FeedEntry>,
}

/// A feed as a page's head links it: `<link rel="alternate" type="application/atom+xml">`.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    /// The feed's title.
    pub title: String,
    /// Its address, from the site's base path.
    pub href: String,
}

impl Feeds {
    /// The feeds of `site`: the entries of its reports (`reports`, made with their summaries'
    /// descriptions) and of its collections.
    pub fn gather(site: &Site<'_>, reports: Vec<FeedEntry>) -> Feeds {
        let mut feeds = Vec::new();
        let mut entries = reports;
        for collection in &site.collections {
            let items = collection.feed();
            feeds.extend(items.feeds);
            entries.extend(items.entries);
        }
        entries.sort_by(|a, b| {
            (b.updated, b.published)
                .cmp(&(a.updated, a.published))
                .then_with(|| a.path.cmp(&b.path))
        });
        feeds.retain(|f| entries.iter().any(|e| e.feeds.contains(&f.path)));
        let entries = newest(entries);
        feeds.sort_by(|a, b| a.path.cmp(&b.path));
        feeds.dedup_by(|a, b| a.path == b.path);
        if !entries.is_empty() {
            let title = format!("{}: reports and meetings", site.config.title);
            feeds.insert(0, Feed::new(SITE_FEED, title, ""));
        }
        Feeds { feeds, entries }
    }

    /// Whether there is a feed to write.
    pub fn is_empty(&self) -> bool {
        self.feeds.is_empty()
    }

    /// The site paths of the feeds, for the check that no two outputs claim one.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.feeds.iter().map(|f| f.path.as_str())
    }

    /// Every feed, written, for a site whose base URL has a host (none otherwise).
    pub fn files(&self, site: &Site<'_>) -> Result<Vec<OutputFile>, String> {
        if !site.config.has_host() {
            return Ok(Vec::new());
        }
        self.feeds
            .iter()
            .map(|feed| self.file(site, feed))
            .collect()
    }

    /// The feeds the page at `page_path` links to: the site's, then those that cover it.
    pub fn links_for(&self, base: &str, page_path: &str) -> Vec<FeedLink> {
        self.feeds
            .iter()
            .filter(|f| f.path == SITE_FEED || f.covers(page_path))
            .map(|f| FeedLink {
                title: f.title.clone(),
                href: format!("{base}{}", f.path),
            })
            .collect()
    }

    /// One feed, written: the site's has the newest entries, any other the newest that name it.
    fn file(&self, site: &Site<'_>, feed: &Feed) -> Result<OutputFile, String> {
        let entries: Vec<&FeedEntry> = self
            .entries
            .iter()
            .filter(|e| feed.path == SITE_FEED || e.feeds.contains(&feed.path))
            .take(FEED_ENTRIES)
            .collect();
        let xml = atom_feed(site, feed, &entries);
        let mut bytes = xml
            .write_to(Vec::new())
            .map_err(|e| format!("writing the feed {}: {e}", feed.path))?;
        bytes.push(b'\n');
        Ok(OutputFile {
            path: feed.path.clone(),
            bytes,
        })
    }
}

/// Of `entries`, newest first, those some feed holds: the site's newest [`FEED_ENTRIES`], and
/// each other feed's.
fn newest(entries: Vec<FeedEntry>) -> Vec<FeedEntry> {
    let mut held: std::collections::HashMap<String, usize> = Default::default();
    let mut site = 0;
    entries
        .into_iter()
        .filter(|entry| {
            site += 1;
            let mut kept = site <= FEED_ENTRIES;
            for feed in &entry.feeds {
                let count = held.entry(feed.clone()).or_default();
                *count += 1;
                kept |= *count <= FEED_ENTRIES;
            }
            kept
        })
        .collect()
}

/// The Atom feed `feed` of `entries` (newest first): ids and links absolute, updated on the
/// day its newest entry was.
fn atom_feed(site: &Site<'_>, feed: &Feed, entries: &[&FeedEntry]) -> atom::Feed {
    let url = |path: &str| site.config.absolute_url(path);
    let updated = entries.iter().map(|e| e.updated).max();
    atom::Feed {
        title: atom::Text::plain(feed.title.clone()),
        id: url(&feed.path),
        updated: updated.map(datetime).unwrap_or_default(),
        authors: vec![atom::Person {
            name: site.config.authority.clone(),
            ..Default::default()
        }],
        links: vec![
            link("self", url(&feed.path), ATOM),
            link("alternate", url(&feed.page), "text/html"),
        ],
        subtitle: (feed.path == SITE_FEED)
            .then(|| atom::Text::plain(site.config.description.clone())),
        lang: Some(site.config.language.clone()),
        entries: entries.iter().map(|e| atom_entry(site, e)).collect(),
        ..Default::default()
    }
}

/// One entry: its page's absolute URL is its id and its link.
fn atom_entry(site: &Site<'_>, entry: &FeedEntry) -> atom::Entry {
    let url = site.config.absolute_url(&entry.path);
    atom::Entry {
        title: atom::Text::plain(entry.title.clone()),
        id: url.clone(),
        updated: datetime(entry.updated),
        published: Some(datetime(entry.published)),
        links: vec![link("alternate", url, "text/html")],
        summary: Some(atom::Text::plain(entry.summary.clone())),
        ..Default::default()
    }
}

fn link(rel: &str, href: String, media_type: &str) -> atom::Link {
    atom::Link {
        href,
        rel: rel.to_string(),
        mime_type: Some(media_type.to_string()),
        ..Default::default()
    }
}

/// A day as an Atom date: midnight UTC, the day being all the content records.
fn datetime(date: Date) -> atom::FixedDateTime {
    chrono::NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().fixed_offset())
        .unwrap_or_default()
}

/// The feed entry of `report`, described by `summary`: published on the day it was presented or
/// published, updated on the day of its latest correction. `None` when it has no date.
pub fn report_entry(report: &Report, summary: String) -> Option<FeedEntry> {
    let published = crate::corrections::report_date(report)?;
    let corrected = report.corrections.iter().map(|c| c.date).max();
    let entry = FeedEntry::new(&report.front.title, &report.path, published, summary);
    Some(match corrected {
        Some(day) => entry.updated(day),
        None => entry,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_written_as_midnight_utc() {
        let day = Date {
            year: 2022,
            month: 11,
            day: 17,
        };
        assert_eq!(datetime(day).to_rfc3339(), "2022-11-17T00:00:00+00:00");
    }
}

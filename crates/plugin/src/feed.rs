//! Feeds: what a collection gives the site's Atom feeds, and the plain-text descriptions pages
//! and feed entries carry.
//!
//! The driver writes `/feed.xml` with every report and every entry the collections give
//! ([`crate::collection::LoadedCollection::feed`]), newest first, and one more feed for each
//! [`Feed`] a collection declares (`/minutes/<committee>/feed.xml`) with the entries that name
//! it. A feed's ids and links are absolute URLs, so the driver writes feeds only when the base
//! URL has a host. An entry is dated by the content, never by the build's clock: a collection
//! gives only the entries it can date to a day, and leaves out the rest.

use crate::period::Date;

/// A feed besides the site's own `/feed.xml`, declared by a collection: the meetings of one
/// committee. Every page under the feed's folder (`minutes/children-osc/…` for
/// `minutes/children-osc/feed.xml`), and the page it follows, link to it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Feed {
    /// Site path of the feed file: `minutes/children-osc/feed.xml`.
    pub path: String,
    /// Its title: "Children's Services Overview and Scrutiny Committee: meetings".
    pub title: String,
    /// Site path of the HTML page the feed follows (its `alternate` link): `minutes/`.
    pub page: String,
}

impl Feed {
    /// A feed at `path`, titled `title`, following the page at `page`.
    pub fn new(path: impl Into<String>, title: impl Into<String>, page: impl Into<String>) -> Self {
        Feed {
            path: path.into(),
            title: title.into(),
            page: page.into(),
        }
    }

    /// The folder whose pages link to the feed: `minutes/children-osc/`.
    pub fn folder(&self) -> &str {
        self.path
            .rsplit_once('/')
            .map_or("", |(folder, _)| &self.path[..folder.len() + 1])
    }

    /// Whether the page at `page_path` links to the feed: it is under the feed's folder, or it
    /// is the page the feed follows.
    pub fn covers(&self, page_path: &str) -> bool {
        let folder = self.folder();
        page_path == self.page || (!folder.is_empty() && page_path.starts_with(folder))
    }
}

/// One entry of the site's feeds: a report, a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FeedEntry {
    /// Title of the entry: the page's title.
    pub title: String,
    /// Site path of the page the entry is: `minutes/children-osc/2022-11-17/`.
    pub path: String,
    /// The day it was first published, as the content dates it.
    pub published: Date,
    /// The day it last changed (a correction), never before `published`.
    pub updated: Date,
    /// What it is, in plain text: [`description`].
    pub summary: String,
    /// Site paths of the feeds besides `/feed.xml` it is in ([`Feed::path`]).
    pub feeds: Vec<String>,
}

impl FeedEntry {
    /// An entry for the page at `path`, published and last updated on `published`.
    pub fn new(
        title: impl Into<String>,
        path: impl Into<String>,
        published: Date,
        summary: impl Into<String>,
    ) -> Self {
        FeedEntry {
            title: title.into(),
            path: path.into(),
            published,
            updated: published,
            summary: summary.into(),
            feeds: Vec::new(),
        }
    }

    /// The same entry, last updated on `updated` (kept no earlier than it was published).
    pub fn updated(mut self, updated: Date) -> Self {
        self.updated = updated.max(self.published);
        self
    }

    /// The same entry, in the feed at `feed` ([`Feed::path`]) as well as the site's.
    pub fn in_feed(mut self, feed: impl Into<String>) -> Self {
        self.feeds.push(feed.into());
        self
    }
}

/// What a collection gives the feeds: the feeds it declares, and its entries.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct FeedItems {
    /// Feeds besides the site's, each written only when an entry names it.
    pub feeds: Vec<Feed>,
    /// Entries, in any order: the driver sorts them, newest first.
    pub entries: Vec<FeedEntry>,
}

impl FeedItems {
    /// The feeds `feeds` and the entries `entries`.
    pub fn new(feeds: Vec<Feed>, entries: Vec<FeedEntry>) -> Self {
        FeedItems { feeds, entries }
    }
}

/// How long a description may be, in characters: search engines show about this many.
pub const DESCRIPTION_LENGTH: usize = 160;

/// A page's description from plain `text` (a summary, a definition): its first sentence, white
/// space folded, cut at a word with an ellipsis when longer than [`DESCRIPTION_LENGTH`].
pub fn description(text: &str) -> String {
    shorten(first_sentence(&fold_space(text)))
}

/// `text` (plain, white space folded) cut at a word with an ellipsis, when longer than
/// [`DESCRIPTION_LENGTH`] characters.
pub fn shorten(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= DESCRIPTION_LENGTH {
        return text.to_string();
    }
    // Room for the ellipsis.
    let end = text
        .char_indices()
        .nth(DESCRIPTION_LENGTH - 1)
        .map_or(text.len(), |(i, _)| i);
    let cut = &text[..end];
    let cut = match cut.rfind(' ') {
        Some(space) if space > 0 => &cut[..space],
        _ => cut,
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:–-".contains(c));
    format!("{cut}…")
}

/// `text` with every run of white space (line breaks too) one space, trimmed.
pub fn fold_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first sentence of `text`: up to the first `.`, `?` or `!` followed by a space and a
/// capital letter or digit (so "1.5" and "e.g. the" do not end it), or all of it.
fn first_sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'?' | b'!')
            && bytes.get(i + 1) == Some(&b' ')
            && text[i + 2..]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        {
            return &text[..=i];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_is_the_first_sentence_with_space_folded() {
        assert_eq!(
            description("The number of children.\nIt fell. Again."),
            "The number of children."
        );
        assert_eq!(
            description("Rates per 10,000 rose 1.5 points, e.g. in care. Then"),
            "Rates per 10,000 rose 1.5 points, e.g. in care."
        );
        assert_eq!(
            description("  no full stop\n at all "),
            "no full stop at all"
        );
    }

    #[test]
    fn a_long_description_is_cut_at_a_word_with_an_ellipsis() {
        let long = "word ".repeat(60);
        let cut = description(&long);
        assert!(cut.chars().count() <= DESCRIPTION_LENGTH, "{cut}");
        assert!(cut.ends_with("word…"), "{cut}");
        let one_word = "x".repeat(400);
        assert_eq!(shorten(&one_word).chars().count(), DESCRIPTION_LENGTH);
    }

    #[test]
    fn a_feed_covers_the_pages_under_its_folder_and_the_page_it_follows() {
        let feed = Feed::new("minutes/osc/feed.xml", "OSC", "minutes/");
        assert_eq!(feed.folder(), "minutes/osc/");
        assert!(feed.covers("minutes/osc/2022-11-17/"));
        assert!(feed.covers("minutes/"));
        assert!(!feed.covers("minutes/other/2022-11-17/"));
        assert!(!feed.covers("reports/"));
    }

    #[test]
    fn an_entry_is_never_updated_before_it_was_published() {
        let day = |d| Date {
            year: 2022,
            month: 11,
            day: d,
        };
        let entry = FeedEntry::new("t", "p/", day(17), "s").updated(day(1));
        assert_eq!(entry.updated, day(17));
        assert_eq!(entry.clone().updated(day(20)).updated, day(20));
    }
}

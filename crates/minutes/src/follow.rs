//! Following the meetings: what the minutes give the site's Atom feeds (one feed a committee,
//! [`feed`]) and the meetings' calendar, `/meetings.ics` (iCalendar, RFC 5545, written with the
//! `icalendar` crate: [`calendar`]).
//!
//! Both list only the meetings whose minutes give the day (`YYYY-MM-DD.md`): a meeting of a
//! month or a year only, or of unrecorded date, has no day to put in a feed or a calendar, and
//! none is invented. A meeting is dated by its day: its feed entry is published and updated on
//! it, and its calendar event is an all-day event on it, stamped (DTSTAMP) with it at midnight
//! UTC, so that the same minutes give the same calendar. The calendar's URLs are absolute, so
//! it is written only when the base URL has a host.

use icalendar::{Calendar, Component, Event, EventLike, Property};
use scrutiny_plugin::collection::SiteInfo;
use scrutiny_plugin::feed::{self, Feed, FeedEntry, FeedItems};
use scrutiny_plugin::period::Date;

use crate::Meeting;
use crate::date::MeetingDate;

/// Site path of the meetings' calendar.
pub const CALENDAR: &str = "meetings.ics";

/// Site path of the Atom feed of committee `committee`'s meetings.
pub fn committee_feed(committee: &str) -> String {
    format!("minutes/{committee}/feed.xml")
}

/// The day of a meeting, when its minutes give one.
fn day(meeting: &Meeting) -> Option<Date> {
    match meeting.date {
        MeetingDate::Day(date) => Some(date),
        _ => None,
    }
}

/// The agenda items of a meeting, by heading, in order (the text before the first item aside).
fn items(meeting: &Meeting) -> Vec<&str> {
    meeting
        .items
        .iter()
        .filter(|i| !i.id.is_empty())
        .map(|i| i.heading.as_str())
        .collect()
}

/// What a meeting's page is, for its description and feed entry: its title and its items,
/// cut at a word.
pub fn description(meeting: &Meeting) -> String {
    let items = items(meeting);
    let listed = match items.len() {
        0 => String::new(),
        1 => format!(" Item: {}.", items[0]),
        _ => format!(" Items: {}.", items.join("; ")),
    };
    feed::shorten(&feed::fold_space(&format!(
        "Minutes: {}.{listed}",
        meeting.title
    )))
}

/// The feeds of the meetings: one a committee with a meeting of a recorded day, and an entry
/// for each such meeting, in the site's feed and its committee's.
pub fn feed(meetings: &[Meeting]) -> FeedItems {
    let mut feeds: Vec<Feed> = Vec::new();
    let mut entries = Vec::new();
    for meeting in meetings {
        let Some(date) = day(meeting) else { continue };
        let path = committee_feed(&meeting.committee);
        if !feeds.iter().any(|f| f.path == path) {
            let title = format!("{}: meetings", meeting.committee_name);
            feeds.push(Feed::new(path.clone(), title, "minutes/"));
        }
        entries.push(
            FeedEntry::new(&meeting.title, meeting.path(), date, description(meeting))
                .in_feed(path),
        );
    }
    FeedItems::new(feeds, entries)
}

/// Whether any meeting goes in the calendar: one whose minutes give its day.
pub fn has_events(meetings: &[Meeting]) -> bool {
    meetings.iter().any(|m| day(m).is_some())
}

/// `/meetings.ics`: one all-day event for each meeting whose minutes give its day, with its
/// page's absolute URL. `None` when the base URL has no host or no meeting has a day.
pub fn calendar(meetings: &[Meeting], site: &SiteInfo, title: &str) -> Option<String> {
    if !has_events(meetings) {
        return None;
    }
    let mut head = Calendar::empty();
    head.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new(
            "PRODID",
            "-//scrutiny//Committee meetings//EN",
        ))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name(title);
    // The calendar is written event by event, as `Calendar` would write them all: holding a
    // whole archive's events at once took more memory than its meetings.
    const END: &str = "END:VCALENDAR\r\n";
    let head = head.to_string();
    let mut text = head.strip_suffix(END)?.to_string();
    for meeting in meetings {
        if let Some(event) = event(meeting, site) {
            event.fmt_write(&mut text).ok()?;
        }
    }
    text.push_str(END);
    Some(text)
}

/// A meeting's calendar event, when it has a day and its page an absolute URL.
fn event(meeting: &Meeting, site: &SiteInfo) -> Option<Event> {
    let date = day(meeting)?;
    let url = site.absolute_url(meeting.path())?;
    let start =
        chrono::NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())?;
    let stamp = start.and_hms_opt(0, 0, 0)?.and_utc();
    let summary = if meeting.title.starts_with(&meeting.committee_name) {
        meeting.title.clone()
    } else {
        format!("{}: {}", meeting.committee_name, meeting.title)
    };
    let items = items(meeting);
    let description = if items.is_empty() {
        "The minutes record no agenda item.".to_string()
    } else {
        format!("Items:\n{}", items.join("\n"))
    };
    Some(
        Event::new()
            // The page's URL: the same meeting keeps the same UID from build to build.
            .uid(&url)
            .timestamp(stamp)
            .starts(start)
            // An all-day event ends (exclusively) on the next day.
            .ends(start.succ_opt()?)
            .summary(&summary)
            .description(&description)
            .url(&url)
            .done(),
    )
}

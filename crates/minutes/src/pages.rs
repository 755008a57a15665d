//! The pages of the minutes: each meeting, the index by committee and year, the action
//! tracker, and their JSON.
//!
//! Each meeting was drafted while loading. Here its cross-references are resolved, in
//! parallel, each meeting with its own [`Problems`]; the actions are gathered across meetings
//! (an action's status depends on later meetings), and the index and tracker composed. The
//! meeting pages themselves, and their Open Civic Data events, are composed by the core as it
//! writes them ([`PageSet`]): thousands of meetings are never all held as pages at once.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use scrutiny_plugin::collection::{
    Alternate, CollectionPages, Page, PageOutline, PageSet, SiteInfo,
};
use scrutiny_plugin::diag::{Diagnostics, Problems};
use scrutiny_plugin::markdown::{self, Draft, DraftContext, MarkdownContext, PendingLink};
use scrutiny_plugin::period::Date;
use scrutiny_plugin::store::DraftStore;
use scrutiny_plugin::xref::{Backlink, XrefIndex};
use serde::Serialize;

use crate::date::{DateKey, MeetingDate};
use crate::syntax::{Block, Status};
use crate::{Meeting, MinutesStatus};

/// One piece of an agenda item, as the meeting page shows it.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum BlockView<'m> {
    /// One or more paragraphs, lists, tables… in a row: one block on the page, so the template
    /// goes round its loop once for them.
    Text {
        html: Cow<'m, str>,
        /// The text of each piece, for the open data.
        #[serde(skip)]
        texts: Vec<&'m str>,
    },
    Resolutions {
        list: Vec<ResolutionView<'m>>,
    },
    Action {
        id: &'m str,
        anchor: &'m str,
        html: Cow<'m, str>,
        status: &'static str,
        owner: &'m Option<String>,
        due: Option<String>,
        tracker_href: String,
        /// The latest update, at this or a later meeting.
        latest: Option<LatestUpdate<'m>>,
    },
    Update {
        action: &'m str,
        anchor: &'m str,
        html: Cow<'m, str>,
        status: &'static str,
    },
}

/// Where an action was last updated: the meeting's title and the update's address.
#[derive(Serialize)]
struct LatestUpdate<'m> {
    meeting: &'m str,
    href: String,
}

#[derive(Serialize)]
struct ResolutionView<'m> {
    number: &'m str,
    anchor: &'m str,
    html: Cow<'m, str>,
    href: String,
    #[serde(skip)]
    text: &'m str,
}

#[derive(Serialize)]
struct ItemView<'m> {
    id: &'m str,
    heading: &'m str,
    href: String,
    blocks: Vec<BlockView<'m>>,
}

/// An action as the tracker shows it: the meeting's own, with its links filled in.
struct TrackedAction<'a> {
    action: &'a crate::syntax::Action,
    html: Cow<'a, str>,
    meeting: usize,
    /// The heading of the item it was raised under.
    item: &'a str,
    updates: Vec<TrackedUpdate<'a>>,
}

impl<'a> TrackedAction<'a> {
    fn status(&self) -> Status {
        self.updates
            .last()
            .map_or(Status::NotRecorded, |u| u.update.status)
    }

    /// The action as open data (`actions.json`, and each meeting's event), its links made by
    /// `url` from site paths.
    fn record(&self, meetings: &[Meeting], url: &dyn Fn(&str) -> String) -> ActionRecord<'a> {
        let meeting = &meetings[self.meeting];
        let action = self.action;
        ActionRecord {
            id: &action.id,
            text: &action.draft.text,
            owner: &action.owner,
            due_date: &action.due,
            status: self.status(),
            raised_at: RaisedAt {
                meeting: join(&["meeting:", meeting.key()]),
                date: meeting.date.iso(),
                agenda_item: self.item,
                url: url(&join(&[meeting.path(), "#", &action.anchor])),
            },
            updates: self
                .updates
                .iter()
                .map(|u| {
                    let at = &meetings[u.meeting];
                    UpdateRecord {
                        meeting: join(&["meeting:", at.key()]),
                        date: at.date.iso(),
                        status: u.update.status,
                        text: &u.update.draft.text,
                        url: url(&join(&[at.path(), "#", &u.update.anchor])),
                    }
                })
                .collect(),
        }
    }
}

/// An update as the tracker shows it: the meeting's own, with its links filled in.
struct TrackedUpdate<'a> {
    meeting: usize,
    update: &'a crate::syntax::Update,
    html: Cow<'a, str>,
}

/// What resolving one meeting's cross-references gives.
#[derive(Default)]
struct LinkedMeeting<'a> {
    /// The address of every cross-reference link, piece by piece in page order.
    hrefs: Vec<String>,
    /// The cross-references the meeting makes, as backlinks.
    links: Vec<Backlink>,
    actions: Vec<TrackedAction<'a>>,
    updates: Vec<(&'a str, TrackedUpdate<'a>)>,
    problems: Problems,
}

impl LinkedMeeting<'_> {
    /// Resolves one piece's links. Their backlinks come from `anchor`, titled by `label` (made
    /// only for a piece that links somewhere).
    fn resolve(
        &mut self,
        links: &[PendingLink],
        anchor: &str,
        label: &dyn Fn() -> String,
        ctx: &MarkdownContext<'_>,
    ) {
        if links.is_empty() {
            return;
        }
        let from_title = label();
        let from_anchor = (!anchor.is_empty()).then(|| anchor.to_string());
        for link in links {
            match markdown::resolve_reference(
                &link.reference,
                &link.at,
                ctx,
                None,
                &mut self.problems,
            ) {
                Some((href, backlink)) => {
                    self.hrefs.push(href);
                    self.links.push(Backlink {
                        from_anchor: from_anchor.clone(),
                        from_title: from_title.clone(),
                        ..backlink
                    });
                }
                None => self.hrefs.push("#".to_string()),
            }
        }
    }
}

/// Every page of the minutes.
pub fn pages<'a>(
    meetings: &'a [Meeting],
    drafts: &'a DraftStore,
    xrefs: &XrefIndex,
    site: &'a SiteInfo,
    diags: &mut Diagnostics,
) -> CollectionPages<'a> {
    let base = site.base_path.as_str();
    let linked: Vec<LinkedMeeting> = meetings
        .par_iter()
        .enumerate()
        .map(|(m, meeting)| link_meeting(m, meeting, xrefs, base))
        .collect();
    let mut hrefs = Vec::with_capacity(linked.len());
    let mut links = Vec::with_capacity(linked.len());
    let mut actions: BTreeMap<&str, TrackedAction<'_>> = BTreeMap::new();
    let mut updates = Vec::new();
    for meeting in linked {
        diags.absorb(meeting.problems);
        actions.extend(
            meeting
                .actions
                .into_iter()
                .map(|a| (a.action.id.as_str(), a)),
        );
        updates.extend(meeting.updates);
        hrefs.push(meeting.hrefs);
        links.push(meeting.links.into());
    }
    for (action, update) in updates {
        if let Some(tracked) = actions.get_mut(action) {
            tracked.updates.push(update);
        }
    }
    for tracked in actions.values_mut() {
        tracked
            .updates
            .sort_by_key(|u| meetings[u.meeting].date.sort_key());
    }
    let mut raised_at: Vec<Vec<String>> = meetings.iter().map(|_| Vec::new()).collect();
    for action in actions.values() {
        raised_at[action.meeting].push(action.action.id.clone());
    }
    // An Open Civic Data event needs absolute URLs (its source's above all): without a host to
    // make them from, the meetings have none, rather than one with relative URLs.
    let without_host = if site.has_host() {
        Vec::new()
    } else {
        let mut left_out = vec!["the meetings' Open Civic Data events (meeting.json)".to_string()];
        if crate::follow::has_events(meetings) {
            left_out.push("the meetings' calendar (meetings.ics)".to_string());
        }
        left_out
    };
    CollectionPages {
        pages: Vec::new(),
        without_host,
        later: Some(Box::new(MeetingPages {
            meetings,
            drafts,
            site,
            hrefs,
            links,
            as_at: ages_as_at(meetings),
            actions,
            raised_at,
        })),
    }
}

/// Resolves the cross-references of every piece of one meeting and tracks its actions.
fn link_meeting<'a>(
    m: usize,
    meeting: &'a Meeting,
    xrefs: &XrefIndex,
    base: &str,
) -> LinkedMeeting<'a> {
    let path = meeting.path();
    let ctx = MarkdownContext {
        xrefs,
        page: DraftContext {
            base_path: base,
            page_path: path,
            schemes: xrefs.schemes(),
        },
        page_title: &meeting.title,
    };
    let mut out = LinkedMeeting::default();
    for item in &meeting.items {
        let item_label = || {
            if item.heading.is_empty() {
                meeting.title.clone()
            } else {
                format!("{}: {}", meeting.title, item.heading)
            }
        };
        let links_before = out.links.len();
        for block in &item.blocks {
            match block {
                Block::Text(text) => out.resolve(text.draft.links(), &item.id, &item_label, &ctx),
                Block::Resolutions(list) => {
                    for r in list {
                        let label = || format!("{} of {}", resolution_name(r), item_label());
                        out.resolve(r.draft.links(), &r.anchor, &label, &ctx);
                    }
                }
                Block::Action(a) => {
                    let label = || format!("Action raised at {}", item_label());
                    let first = out.hrefs.len();
                    out.resolve(&a.draft.links, &a.anchor, &label, &ctx);
                    out.actions.push(TrackedAction {
                        action: a,
                        html: filled(&a.draft, &mut &out.hrefs[first..]),
                        meeting: m,
                        item: &item.heading,
                        updates: Vec::new(),
                    });
                }
                Block::Update(u) => {
                    let label = || format!("Update at {}", item_label());
                    let first = out.hrefs.len();
                    out.resolve(&u.draft.links, &u.anchor, &label, &ctx);
                    out.updates.push((
                        &u.action,
                        TrackedUpdate {
                            meeting: m,
                            update: u,
                            html: filled(&u.draft, &mut &out.hrefs[first..]),
                        },
                    ));
                }
            }
        }
        let outcome_links = outcome_links(meeting, item, &out.links[links_before..]);
        out.links.extend(outcome_links);
    }
    out
}

/// The item's resolutions and actions as links from it to each report its text links to (`links`
/// are the item's own), so that the report lists them too. (A report linked twice lists each
/// piece once: the core keeps one backlink a place.)
fn outcome_links(meeting: &Meeting, item: &crate::Item, links: &[Backlink]) -> Vec<Backlink> {
    let reports: Vec<&Backlink> = links
        .iter()
        .filter(|l| {
            l.target.starts_with("report:") && l.from_anchor.as_deref() == Some(item.id.as_str())
        })
        .collect();
    if reports.is_empty() {
        return Vec::new();
    }
    let mut outcomes: Vec<(&str, String)> = Vec::new();
    for block in &item.blocks {
        match block {
            Block::Resolutions(list) => outcomes.extend(list.iter().map(|r| {
                (
                    r.anchor.as_str(),
                    format!("{}: {}", resolution_name(r), r.summary),
                )
            })),
            Block::Action(a) => {
                outcomes.push((&a.anchor, format!("Action: {}", short(&a.draft.text))))
            }
            _ => {}
        }
    }
    reports
        .into_iter()
        .flat_map(|report| {
            outcomes.iter().map(|(anchor, title)| Backlink {
                from_anchor: Some(anchor.to_string()),
                from_title: format!("{} — {title}", meeting.title),
                ..report.clone()
            })
        })
        .collect()
}

/// Every page of the minutes, composed as the core writes them: the action tracker and its
/// JSON (part 0) and the index (part 1) first, as they are the largest, then each meeting's
/// HTML page and its JSON.
struct MeetingPages<'a> {
    meetings: &'a [Meeting],
    /// Where the meetings' texts and resolutions wait to be composed.
    drafts: &'a DraftStore,
    site: &'a SiteInfo,
    /// Each meeting's link addresses, piece by piece.
    hrefs: Vec<Vec<String>>,
    /// Each meeting's cross-references.
    links: Vec<Arc<[Backlink]>>,
    /// The date of the latest meeting: open actions age until then.
    as_at: Option<Date>,
    /// Every action, by id.
    actions: BTreeMap<&'a str, TrackedAction<'a>>,
    /// The ids of the actions each meeting raised.
    raised_at: Vec<Vec<String>>,
}

/// Parts of [`MeetingPages`] before the meetings.
const TRACKER_PART: usize = 0;
const INDEX_PART: usize = 1;
const FIRST_MEETING_PART: usize = 2;

impl<'a> PageSet for MeetingPages<'a> {
    fn parts(&self) -> usize {
        FIRST_MEETING_PART + self.meetings.len()
    }

    fn outline(&self, part: usize) -> Vec<PageOutline> {
        let page = |path: &str, templated| PageOutline {
            path: path.to_string(),
            templated,
            backlinks: Arc::from([]),
            aliases: Vec::new(),
        };
        let m = match part {
            TRACKER_PART => {
                return vec![page("actions/actions.json", false), page("actions/", true)];
            }
            INDEX_PART => {
                // The calendar first: written, it is let go before the index is rendered.
                let calendar = self
                    .has_calendar()
                    .then(|| page(crate::follow::CALENDAR, false));
                return calendar
                    .into_iter()
                    .chain([page("minutes/", true)])
                    .collect();
            }
            meeting => meeting - FIRST_MEETING_PART,
        };
        let meeting = &self.meetings[m];
        let json = self.site.has_host().then(|| PageOutline {
            path: json_path(meeting),
            templated: false,
            backlinks: Arc::from([]),
            aliases: Vec::new(),
        });
        json.into_iter()
            .chain([PageOutline {
                path: meeting.path().to_string(),
                templated: true,
                backlinks: Arc::clone(&self.links[m]),
                aliases: meeting.aliases.clone(),
            }])
            .collect()
    }

    fn compose(&self, part: usize) -> Result<Vec<Page>, String> {
        let base = self.site.base_path.as_str();
        let part = match part {
            TRACKER_PART => {
                return Ok(
                    tracker_pages(&self.actions, self.meetings, self.as_at, self.site).into(),
                );
            }
            INDEX_PART => {
                let calendar = self
                    .has_calendar()
                    .then(|| {
                        crate::follow::calendar(self.meetings, self.site, "Committee meetings")
                    })
                    .flatten()
                    .map(|text| Page::text(crate::follow::CALENDAR, "Meetings calendar", text));
                let index = index_page(self.meetings, base, self.site.has_host());
                return Ok(calendar.into_iter().chain([index]).collect());
            }
            meeting => meeting - FIRST_MEETING_PART,
        };
        let meeting = &self.meetings[part];
        let path = meeting.path();
        let stored = stored_drafts(meeting, self.drafts)?;
        let mut stored = stored.iter();
        let none = Draft::default();
        // Unreachable without a bug: there is a stored draft for each text and resolution.
        let mut next_stored = || stored.next().unwrap_or(&none);
        // Each piece takes its own links' addresses, in page order.
        let mut hrefs = self.hrefs[part].as_slice();
        let items: Vec<ItemView<'_>> = meeting
            .items
            .iter()
            .map(|item| ItemView {
                id: &item.id,
                heading: &item.heading,
                href: join(&[base, path, "#", &item.id]),
                blocks: item
                    .blocks
                    .iter()
                    .map(|block| match block {
                        Block::Text(_) => {
                            let draft = next_stored();
                            BlockView::Text {
                                html: filled(draft, &mut hrefs),
                                texts: vec![&draft.text],
                            }
                        }
                        Block::Resolutions(list) => BlockView::Resolutions {
                            list: list
                                .iter()
                                .map(|r| {
                                    let draft = next_stored();
                                    ResolutionView {
                                        number: if r.written { &r.number } else { "" },
                                        anchor: &r.anchor,
                                        html: filled(draft, &mut hrefs),
                                        href: join(&[base, path, "#", &r.anchor]),
                                        text: &draft.text,
                                    }
                                })
                                .collect(),
                        },
                        Block::Action(a) => self.action_view(a, filled(&a.draft, &mut hrefs), base),
                        Block::Update(u) => BlockView::Update {
                            action: &u.action,
                            anchor: &u.anchor,
                            html: filled(&u.draft, &mut hrefs),
                            status: u.status.words(),
                        },
                    })
                    .fold(Vec::new(), merge_text),
            })
            .collect();
        let raised: Vec<&TrackedAction> = self.raised_at[part]
            .iter()
            .filter_map(|id| self.actions.get(id.as_str()))
            .collect();
        Ok(meeting_pages(
            meeting,
            &items,
            &raised,
            self.meetings,
            self.site,
        ))
    }
}

/// The drafts of a meeting's texts and resolutions, read back from `store` at once, in page
/// order.
fn stored_drafts(meeting: &Meeting, store: &DraftStore) -> Result<Vec<Draft>, String> {
    let mut stored = Vec::new();
    for block in meeting.items.iter().flat_map(|item| &item.blocks) {
        match block {
            Block::Text(text) => stored.push(&text.draft),
            Block::Resolutions(list) => stored.extend(list.iter().map(|r| &r.draft)),
            Block::Action(_) | Block::Update(_) => {}
        }
    }
    store.load_all(&stored)
}

/// `draft`'s HTML with its links' addresses, the first of `hrefs` (which it takes).
fn filled<'d>(draft: &'d Draft, hrefs: &mut &[String]) -> Cow<'d, str> {
    if draft.html.slots.is_empty() {
        return Cow::Borrowed(&draft.html.html);
    }
    let (own, rest) = hrefs.split_at(draft.links.len().min(hrefs.len()));
    *hrefs = rest;
    Cow::Owned(draft.fill_links(own))
}

impl<'a> MeetingPages<'a> {
    /// Whether the calendar is written: the base URL has a host for its absolute URLs, and a
    /// meeting has a day.
    fn has_calendar(&self) -> bool {
        self.site.has_host() && crate::follow::has_events(self.meetings)
    }

    /// An action as its meeting page shows it, with its current status and latest update.
    fn action_view(
        &self,
        a: &'a crate::syntax::Action,
        html: Cow<'a, str>,
        base: &str,
    ) -> BlockView<'a> {
        let tracked = self.actions.get(a.id.as_str());
        BlockView::Action {
            id: &a.id,
            anchor: &a.anchor,
            html,
            status: tracked
                .map_or(Status::NotRecorded, TrackedAction::status)
                .words(),
            latest: tracked.and_then(|t| t.updates.last()).map(|u| {
                let at = &self.meetings[u.meeting];
                LatestUpdate {
                    meeting: &at.title,
                    href: join(&[base, at.path(), "#", &u.update.anchor]),
                }
            }),
            owner: &a.owner,
            due: a.due.as_deref().map(words_of_iso),
            tracker_href: join(&[base, "actions/#", &a.anchor]),
        }
    }
}

/// Adds `block` to `blocks`, joining it to the text before it if both are text.
fn merge_text<'m>(mut blocks: Vec<BlockView<'m>>, block: BlockView<'m>) -> Vec<BlockView<'m>> {
    match (blocks.last_mut(), block) {
        (
            Some(BlockView::Text { html, texts }),
            BlockView::Text {
                html: more,
                texts: more_texts,
            },
        ) => {
            html.to_mut().push_str(&more);
            texts.extend(more_texts);
        }
        (_, block) => blocks.push(block),
    }
    blocks
}

/// Where a meeting's JSON is written.
fn json_path(meeting: &Meeting) -> String {
    join(&[meeting.path(), "meeting.json"])
}

/// The meeting's JSON, when the base URL has a host, and its HTML page.
fn meeting_pages(
    meeting: &Meeting,
    items: &[ItemView<'_>],
    raised: &[&TrackedAction],
    meetings: &[Meeting],
    site: &SiteInfo,
) -> Vec<Page> {
    let base = &site.base_path;
    let json_path = json_path(meeting);
    let event = ocd_event(meeting, items, raised, meetings, site);
    #[derive(Serialize)]
    struct MeetingBody<'a> {
        title: &'a str,
        committee: &'a str,
        committee_named: bool,
        date: &'a str,
        date_note: &'a Option<String>,
        note: &'a Option<String>,
        status: Option<MinutesStatus>,
        source: &'a Option<String>,
        items: &'a [ItemView<'a>],
        /// The meeting's JSON, when there is one.
        json_href: Option<String>,
    }
    let body = MeetingBody {
        title: &meeting.title,
        committee: &meeting.committee_name,
        committee_named: meeting.committee_named,
        date: &meeting.date_words,
        date_note: &meeting.date_note,
        note: &meeting.note,
        status: meeting.status,
        source: &meeting.source,
        items,
        json_href: event.is_some().then(|| join(&[base, &json_path])),
    };
    let mut page = Page::templated(meeting.path(), "meeting.html", &meeting.title, &body)
        .with_description(crate::follow::description(meeting));
    if event.is_some() {
        page = page.with_alternate(Alternate::new(
            "application/json",
            json_path.clone(),
            "The meeting as an Open Civic Data event (JSON)",
        ));
    }
    let json = event.map(|event| {
        Page::text(
            json_path,
            join(&[&meeting.title, " (JSON)"]),
            to_json(&event),
        )
    });
    json.into_iter().chain([page]).collect()
}

/// One meeting in the `/minutes/` list.
#[derive(Serialize)]
struct MeetingListEntry<'a> {
    title: &'a str,
    date: &'a str,
    committee_named: bool,
    href: String,
    items: Vec<&'a str>,
    resolutions: usize,
    actions: usize,
    /// Updates of earlier actions recorded at the meeting.
    updates: usize,
}

/// One year of a committee's meetings, newest first.
#[derive(Serialize)]
struct YearList<'a> {
    year: String,
    anchor: String,
    meetings: Vec<MeetingListEntry<'a>>,
}

/// A committee's meetings, by year.
#[derive(Serialize)]
struct CommitteeList<'a> {
    id: &'a str,
    name: &'a str,
    years: Vec<YearList<'a>>,
    /// The committee's Atom feed, when it is written (the core writes it).
    feed_href: Option<String>,
}

/// `/minutes/`: every meeting, by committee and year; with a host, links to the calendar and to
/// each committee's feed, when there are meetings with a day to put in them.
fn index_page(meetings: &[Meeting], base: &str, has_host: bool) -> Page {
    /// Years newest first, then meetings of unrecorded date.
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum YearKey {
        Year(std::cmp::Reverse<u16>),
        NotRecorded,
    }
    let mut committees: BTreeMap<&str, (&str, BTreeMap<YearKey, Vec<MeetingListEntry<'_>>>)> =
        BTreeMap::new();
    for meeting in meetings {
        let (_, years) = committees
            .entry(&meeting.committee)
            .or_insert_with(|| (&meeting.committee_name, BTreeMap::new()));
        let year = meeting.date.year().map_or(YearKey::NotRecorded, |y| {
            YearKey::Year(std::cmp::Reverse(y))
        });
        let (resolutions, actions, updates) = meeting
            .items
            .iter()
            .flat_map(|i| i.blocks.iter())
            .fold((0, 0, 0), |(r, a, u), b| match b {
                Block::Resolutions(list) => (r + list.len(), a, u),
                Block::Action(_) => (r, a + 1, u),
                Block::Update(_) => (r, a, u + 1),
                _ => (r, a, u),
            });
        years.entry(year).or_default().push(MeetingListEntry {
            title: &meeting.title,
            date: &meeting.date_words,
            committee_named: meeting.committee_named,
            href: join(&[base, meeting.path()]),
            items: meeting
                .items
                .iter()
                .filter(|i| !i.id.is_empty())
                .map(|i| i.heading.as_str())
                .collect(),
            resolutions,
            actions,
            updates,
        });
    }
    let committees: Vec<CommitteeList<'_>> = committees
        .into_iter()
        .map(|(id, (name, years))| CommitteeList {
            feed_href: (has_host
                && meetings
                    .iter()
                    .any(|m| m.committee == id && matches!(m.date, MeetingDate::Day(_))))
            .then(|| join(&[base, &crate::follow::committee_feed(id)])),
            id,
            name,
            years: years
                .into_iter()
                .map(|(key, mut list)| {
                    // Meetings are in date order: newest first within the year.
                    list.reverse();
                    let year = match key {
                        YearKey::Year(std::cmp::Reverse(y)) => y.to_string(),
                        YearKey::NotRecorded => "Date not recorded".to_string(),
                    };
                    YearList {
                        anchor: format!("{id}-{}", year.to_ascii_lowercase().replace(' ', "-")),
                        year,
                        meetings: list,
                    }
                })
                .collect(),
        })
        .collect();
    #[derive(Serialize)]
    struct MinutesIndex<'a> {
        committees: Vec<CommitteeList<'a>>,
        /// The calendar, when it is written.
        calendar_href: Option<String>,
        /// How many meetings are in the calendar and the feeds: those with a day.
        dated: usize,
        /// How many are not.
        not_dated: usize,
    }
    let dated = meetings
        .iter()
        .filter(|m| matches!(m.date, MeetingDate::Day(_)))
        .count();
    let description = format!(
        "The minutes of {} {} of the committees, by committee and year, with their resolutions and actions.",
        meetings.len(),
        if meetings.len() == 1 {
            "meeting"
        } else {
            "meetings"
        }
    );
    Page::templated(
        "minutes/",
        "minutes.html",
        "Minutes",
        &MinutesIndex {
            committees,
            calendar_href: (has_host && dated > 0).then(|| join(&[base, crate::follow::CALENDAR])),
            dated,
            not_dated: meetings.len() - dated,
        },
    )
    .with_description(scrutiny_plugin::feed::shorten(&description))
}

/// An update of an action, as the tracker page shows it.
#[derive(Serialize)]
struct UpdateRow<'a> {
    meeting: &'a str,
    date: &'a str,
    href: String,
    html: &'a str,
    status: &'static str,
}

/// An action, as the tracker page shows it.
#[derive(Serialize)]
struct ActionRow<'a> {
    id: &'a str,
    anchor: &'a str,
    html: &'a str,
    owner: &'a Option<String>,
    due: Option<String>,
    overdue: bool,
    status: &'static str,
    open: bool,
    age: Option<String>,
    raised_title: &'a str,
    raised_date: &'a str,
    raised_href: String,
    updates: Vec<UpdateRow<'a>>,
}

/// Where an action was raised, in `actions.json`.
#[derive(Serialize)]
struct RaisedAt<'a> {
    meeting: String,
    date: Option<String>,
    agenda_item: &'a str,
    url: String,
}

/// An update of an action, in `actions.json`.
#[derive(Serialize)]
struct UpdateRecord<'a> {
    meeting: String,
    date: Option<String>,
    status: Status,
    text: &'a str,
    url: String,
}

/// An action, in `actions.json`.
#[derive(Serialize)]
struct ActionRecord<'a> {
    id: &'a str,
    text: &'a str,
    owner: &'a Option<String>,
    due_date: &'a Option<String>,
    status: Status,
    raised_at: RaisedAt<'a>,
    updates: Vec<UpdateRecord<'a>>,
}

/// The day open actions age to: the latest meeting's, when the archive records it in full and
/// no meeting of an unrecorded or partly recorded date can be later.
fn ages_as_at(meetings: &[Meeting]) -> Option<Date> {
    let latest = meetings.iter().filter_map(|m| day(&m.date)).max()?;
    meetings
        .iter()
        .all(|m| m.date.bounds().is_some_and(|(_, last)| last <= latest))
        .then_some(latest)
}

/// An action's row on the tracker: its status, owner, due date (overdue when open past the
/// latest meeting, `as_at`), its age and every update.
fn action_row<'a>(
    tracked: &'a TrackedAction<'a>,
    meetings: &'a [Meeting],
    as_at: Option<Date>,
    base: &str,
) -> ActionRow<'a> {
    let (action, meeting) = (tracked.action, &meetings[tracked.meeting]);
    let status = tracked.status();
    // An open action ages to the latest meeting in the archive; a closed one stopped ageing
    // at the meeting that closed it.
    let until = match tracked.updates.last() {
        Some(update) if status.is_closed() => day(&meetings[update.meeting].date),
        _ => as_at,
    };
    let age = match (day(&meeting.date), until) {
        (Some(from), Some(to)) => Some(to.days() - from.days()),
        _ => None,
    };
    let overdue = match (&action.due, as_at) {
        (Some(due), Some(to)) => status.is_open() && Date::parse(due).is_ok_and(|d| d < to),
        _ => false,
    };
    let raised_href = join(&[base, meeting.path(), "#", &action.anchor]);
    ActionRow {
        id: &action.id,
        anchor: &action.anchor,
        html: &tracked.html,
        owner: &action.owner,
        due: action.due.as_deref().map(words_of_iso),
        overdue,
        status: status.words(),
        open: !status.is_closed(),
        age: age.map(|d| format!("{d} day{}", if d == 1 { "" } else { "s" })),
        raised_title: &meeting.title,
        raised_date: &meeting.date_words,
        raised_href: raised_href.clone(),
        updates: tracked
            .updates
            .iter()
            .map(|u| {
                let at = &meetings[u.meeting];
                UpdateRow {
                    meeting: &at.title,
                    date: &at.date_words,
                    href: join(&[base, at.path(), "#", &u.update.anchor]),
                    html: &u.html,
                    status: u.update.status.words(),
                }
            })
            .collect(),
    }
}

fn tracker_pages(
    actions: &BTreeMap<&str, TrackedAction<'_>>,
    meetings: &[Meeting],
    as_at: Option<Date>,
    site: &SiteInfo,
) -> [Page; 2] {
    let base = site.base_path.as_str();
    // The JSON's links are absolute where the base URL has a host, as the meetings' JSON's are.
    let json_root = site.absolute_url("").unwrap_or_else(|| base.to_string());
    let mut order: Vec<(bool, DateKey, &TrackedAction)> = actions
        .values()
        .map(|action| {
            let meeting = &meetings[action.meeting];
            (action.status().is_closed(), meeting.date.sort_key(), action)
        })
        .collect();
    order.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let order: Vec<&TrackedAction> = order.into_iter().map(|(_, _, action)| action).collect();
    // The JSON first, each form made and let go in turn: of thousands of actions, each is large.
    let file = {
        let records: Vec<ActionRecord<'_>> = order
            .iter()
            .map(|action| action.record(meetings, &|path| join(&[&json_root, path])))
            .collect();
        let data = TrackerData {
            as_at: as_at.map(Date::iso),
            actions: records.iter().collect(),
        };
        Page::text("actions/actions.json", "Actions (JSON)", to_json(&data))
    };
    let rows: Vec<ActionRow<'_>> = order
        .iter()
        .map(|action| action_row(action, meetings, as_at, base))
        .collect();
    let statuses: Vec<Status> = actions.values().map(TrackedAction::status).collect();
    let count = |which: fn(Status) -> bool| statuses.iter().filter(|s| which(**s)).count();
    let open = count(Status::is_open);
    let unrecorded = count(|s| s == Status::NotRecorded);
    let closed = count(Status::is_closed);
    #[derive(Serialize)]
    struct Tracker<'a> {
        actions: Vec<&'a ActionRow<'a>>,
        open: usize,
        unrecorded: usize,
        closed: usize,
        as_at: Option<String>,
        json_href: String,
    }
    #[derive(Serialize)]
    struct TrackerData<'a> {
        as_at: Option<String>,
        actions: Vec<&'a ActionRecord<'a>>,
    }
    let description = format!(
        "The action tracker: {} {} raised at committee meetings, open ones first, each with its owner, age and latest update.",
        actions.len(),
        if actions.len() == 1 {
            "action"
        } else {
            "actions"
        }
    );
    let page = Page::templated(
        "actions/",
        "actions.html",
        "Actions",
        &Tracker {
            actions: rows.iter().collect(),
            open,
            unrecorded,
            closed,
            as_at: as_at.map(|date| date.to_string()),
            json_href: format!("{base}actions/actions.json"),
        },
    )
    .with_description(scrutiny_plugin::feed::shorten(&description))
    .with_alternate(Alternate::new(
        "application/json",
        "actions/actions.json",
        "Every action (JSON)",
    ));
    [file, page]
}

/// An Open Civic Data event: <https://open-civic-data.readthedocs.io/en/latest/data/event.html>,
/// valid against the event schema as pupa validates it (`tests/standards/ocd.py`), with
/// resolutions on its agenda items and the actions under `extras`.
#[derive(Serialize)]
struct OcdEvent<'a> {
    #[serde(rename = "_type")]
    kind: &'static str,
    id: String,
    name: &'a str,
    classification: &'static str,
    /// As far as the minutes give it: `2022-11-17`, `2024-09`, `2024`, or `""` when undated.
    start_date: String,
    status: &'static str,
    all_day: bool,
    participants: [OcdParticipant<'a>; 1],
    agenda: Vec<OcdAgendaItem<'a>>,
    sources: [OcdSource<'a>; 1],
    extras: OcdEventExtras<'a>,
}

#[derive(Serialize)]
struct OcdParticipant<'a> {
    entity_type: &'static str,
    name: &'a str,
    note: &'static str,
}

#[derive(Serialize)]
struct OcdAgendaItem<'a> {
    order: String,
    description: &'a str,
    /// The item's text, a string a paragraph (or list, table…).
    notes: Vec<&'a str>,
    subjects: [&'a str; 0],
    related_entities: [&'a str; 0],
    extras: OcdAgendaExtras<'a>,
}

#[derive(Serialize)]
struct OcdAgendaExtras<'a> {
    id: &'a str,
    resolutions: Vec<OcdResolution<'a>>,
}

#[derive(Serialize)]
struct OcdResolution<'a> {
    /// As the minutes number it; left out where they do not.
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<&'a str>,
    text: &'a str,
    url: String,
}

#[derive(Serialize)]
struct OcdSource<'a> {
    url: String,
    note: &'a str,
}

#[derive(Serialize)]
struct OcdEventExtras<'a> {
    date: &'a MeetingDate,
    date_note: &'a Option<String>,
    /// Whether the minutes name the committee that hosts the event (`false`: the archive
    /// files them with it).
    committee_named: bool,
    /// The archive's note about the record (what it infers, where its parts come from).
    archive_note: &'a Option<String>,
    minutes_status: Option<MinutesStatus>,
    actions: Vec<ActionRecord<'a>>,
}

/// The meeting as an Open Civic Data event, its URLs absolute; `None` when the base URL has no
/// host to make them from.
fn ocd_event<'a>(
    meeting: &'a Meeting,
    items: &'a [ItemView<'a>],
    raised: &[&'a TrackedAction],
    meetings: &[Meeting],
    site: &SiteInfo,
) -> Option<OcdEvent<'a>> {
    let base_url = site.absolute_url("")?;
    let url = |path: &str| join(&[&base_url, path.trim_start_matches('/')]);
    let page = meeting.path();
    let agenda = items
        .iter()
        .enumerate()
        .filter(|(_, item)| !item.id.is_empty())
        .map(|(order, item)| OcdAgendaItem {
            order: (order + 1).to_string(),
            description: item.heading,
            notes: item
                .blocks
                .iter()
                .filter_map(|b| match b {
                    BlockView::Text { texts, .. } => Some(texts),
                    _ => None,
                })
                .flatten()
                .flat_map(|text| text.split('\n'))
                .filter(|text| !text.trim().is_empty())
                .collect(),
            subjects: [],
            related_entities: [],
            extras: OcdAgendaExtras {
                id: item.id,
                resolutions: item
                    .blocks
                    .iter()
                    .filter_map(|b| match b {
                        BlockView::Resolutions { list } => Some(list),
                        _ => None,
                    })
                    .flatten()
                    .map(|r| OcdResolution {
                        number: (!r.number.is_empty()).then_some(r.number),
                        text: r.text,
                        url: url(&join(&[page, "#", r.anchor])),
                    })
                    .collect(),
            },
        })
        .collect();
    let actions = raised.iter().map(|a| a.record(meetings, &url)).collect();
    Some(OcdEvent {
        kind: "event",
        id: join(&["meeting:", meeting.key()]),
        name: &meeting.title,
        classification: "committee-meeting",
        start_date: meeting.date.fuzzy_iso(),
        status: "passed",
        all_day: false,
        participants: [OcdParticipant {
            entity_type: "organization",
            name: &meeting.committee_name,
            note: "host",
        }],
        agenda,
        sources: [OcdSource {
            url: url(page),
            note: meeting
                .source
                .as_deref()
                .unwrap_or("minutes as published in this archive"),
        }],
        extras: OcdEventExtras {
            date: &meeting.date,
            date_note: &meeting.date_note,
            committee_named: meeting.committee_named,
            archive_note: &meeting.note,
            minutes_status: meeting.status,
            actions,
        },
    })
}

/// Open data as compact JSON: one line, then a newline.
fn to_json(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string(value).unwrap_or_default();
    text.push('\n');
    text
}

/// A resolution as labels name it: "Resolution 2.1", or "A resolution" where the minutes give
/// it no number.
fn resolution_name(r: &crate::syntax::Resolution) -> String {
    if r.written {
        format!("Resolution {}", r.number)
    } else {
        "A resolution".to_string()
    }
}

/// The pieces one after the other: `format!` for strings alone, without its machinery.
fn join(pieces: &[&str]) -> String {
    let mut joined = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        joined.push_str(piece);
    }
    joined
}

fn day(date: &MeetingDate) -> Option<Date> {
    match date {
        MeetingDate::Day(date) => Some(*date),
        _ => None,
    }
}

fn words_of_iso(iso: &str) -> String {
    match Date::parse(iso) {
        Ok(date) => date.to_string(),
        Err(_) => iso.to_string(),
    }
}

pub(crate) fn short(text: &str) -> String {
    if text.chars().count() <= 90 {
        return text.to_string();
    }
    let cut: String = text.chars().take(90).collect();
    format!("{}…", cut.trim_end())
}

//! The pages of the minutes: each meeting, the index by committee and year, the action
//! tracker, and their JSON.

use std::collections::{BTreeMap, BTreeSet};

use scrutiny_core::config::SiteConfig;
use scrutiny_core::diag::Diagnostics;
use scrutiny_core::markdown::{self, MarkdownContext, Rendered};
use scrutiny_core::plugin::Page;
use scrutiny_core::xref::{Backlink, XrefIndex};
use serde_json::{Value, json};

use crate::Meeting;
use crate::date::{DateKey, MeetingDate};
use crate::syntax::{Block, Status};

/// An action as the tracker shows it.
struct TrackedAction {
    id: String,
    anchor: String,
    html: String,
    text: String,
    owner: Option<String>,
    due: Option<String>,
    meeting: usize,
    item: String,
    updates: Vec<TrackedUpdate>,
}

struct TrackedUpdate {
    meeting: usize,
    anchor: String,
    html: String,
    text: String,
    status: Status,
}

impl TrackedAction {
    fn status(&self) -> Status {
        self.updates.last().map_or(Status::Open, |u| u.status)
    }
}

/// Every page of the minutes.
pub fn pages(
    meetings: &[Meeting],
    xrefs: &XrefIndex,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let base = config.base_path.as_str();
    let mut rendered_meetings = Vec::new();
    let mut actions: BTreeMap<String, TrackedAction> = BTreeMap::new();
    let mut updates: Vec<(String, TrackedUpdate)> = Vec::new();
    let mut backlinks: Vec<Vec<Backlink>> = Vec::new();

    // Render every block of every meeting, in order.
    for (m, meeting) in meetings.iter().enumerate() {
        let path = meeting.path();
        let ctx = MarkdownContext {
            xrefs,
            base_path: base,
            page_path: &path,
            page_title: &meeting.title,
        };
        let text = diags.text(meeting.file).to_string();
        let mut ids: BTreeSet<String> = ["main", "linked-from", "meeting-data"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for item in &meeting.items {
            ids.insert(item.id.clone());
            for block in &item.blocks {
                match block {
                    Block::Resolutions(list) => ids.extend(list.iter().map(|r| r.anchor.clone())),
                    Block::Action(a) => {
                        ids.insert(a.anchor.clone());
                    }
                    Block::Update(u) => {
                        ids.insert(u.anchor.clone());
                    }
                    Block::Text(_) => {}
                }
            }
        }
        let mut links: Vec<Backlink> = Vec::new();
        let render = |range: &std::ops::Range<usize>,
                      anchor: &str,
                      label: &str,
                      ids: &mut BTreeSet<String>,
                      diags: &mut Diagnostics|
         -> Rendered {
            let mut rendered = markdown::render(
                &text[range.clone()],
                meeting.file,
                range.start,
                &ctx,
                ids,
                diags,
            );
            for link in &mut rendered.backlinks {
                link.from_anchor = (!anchor.is_empty()).then(|| anchor.to_string());
                link.from_title = label.to_string();
            }
            rendered
        };
        let mut items = Vec::new();
        for item in &meeting.items {
            let item_label = if item.heading.is_empty() {
                meeting.title.clone()
            } else {
                format!("{}: {}", meeting.title, item.heading)
            };
            let mut blocks = Vec::new();
            // Resolutions and actions of the item, as (anchor, title): a report the item links
            // to lists each of them.
            let mut outcomes: Vec<(String, String)> = Vec::new();
            for block in &item.blocks {
                match block {
                    Block::Text(range) => {
                        let rendered = render(range, &item.id, &item_label, &mut ids, diags);
                        links.extend(rendered.backlinks);
                        let html = rendered.html;
                        blocks.push(json!({ "kind": "text", "html": html }));
                    }
                    Block::Resolutions(list) => {
                        let mut resolutions = Vec::new();
                        for r in list {
                            let label = format!("Resolution {} of {}", r.number, item_label);
                            let rendered = render(&r.text, &r.anchor, &label, &mut ids, diags);
                            links.extend(rendered.backlinks);
                            let html = rendered.html;
                            outcomes.push((
                                r.anchor.clone(),
                                format!("Resolution {}: {}", r.number, short(&plain_text(&html))),
                            ));
                            resolutions.push(json!({ "number": r.number, "anchor": r.anchor, "html": html, "href": format!("{base}{path}#{}", r.anchor) }));
                        }
                        blocks.push(json!({ "kind": "resolutions", "list": resolutions }));
                    }
                    Block::Action(a) => {
                        let label = format!("Action raised at {item_label}");
                        let rendered = render(&a.text, &a.anchor, &label, &mut ids, diags);
                        links.extend(rendered.backlinks);
                        let html = rendered.html;
                        outcomes.push((
                            a.anchor.clone(),
                            format!("Action: {}", short(&plain_text(&html))),
                        ));
                        actions.insert(
                            a.id.clone(),
                            TrackedAction {
                                id: a.id.clone(),
                                anchor: a.anchor.clone(),
                                text: plain_text(&html),
                                html: html.clone(),
                                owner: a.owner.clone(),
                                due: a.due.clone(),
                                meeting: m,
                                item: item.heading.clone(),
                                updates: Vec::new(),
                            },
                        );
                        blocks.push(json!({ "kind": "action", "id": a.id, "anchor": a.anchor, "html": html }));
                    }
                    Block::Update(u) => {
                        let label = format!("Update at {item_label}");
                        let rendered = render(&u.text, &u.anchor, &label, &mut ids, diags);
                        links.extend(rendered.backlinks);
                        let html = rendered.html;
                        updates.push((
                            u.action.clone(),
                            TrackedUpdate {
                                meeting: m,
                                anchor: u.anchor.clone(),
                                text: plain_text(&html),
                                html: html.clone(),
                                status: u.status,
                            },
                        ));
                        blocks.push(json!({ "kind": "update", "action": u.action, "anchor": u.anchor, "html": html, "status": u.status.words() }));
                    }
                }
            }
            // A report an item links to lists the item's resolutions and actions too.
            let reports: Vec<Backlink> = links
                .iter()
                .filter(|l| {
                    l.target.starts_with("report:")
                        && l.from_anchor.as_deref() == Some(item.id.as_str())
                })
                .cloned()
                .collect();
            for report in reports {
                for (anchor, title) in &outcomes {
                    links.push(Backlink {
                        from_anchor: Some(anchor.clone()),
                        from_title: format!("{} — {title}", meeting.title),
                        ..report.clone()
                    });
                }
            }
            items.push(json!({
                "id": item.id,
                "heading": item.heading,
                "href": format!("{base}{path}#{}", item.id),
                "blocks": blocks,
            }));
        }
        backlinks.push(links);
        rendered_meetings.push(items);
    }
    for (action, update) in updates {
        if let Some(tracked) = actions.get_mut(&action) {
            tracked.updates.push(update);
        }
    }
    for tracked in actions.values_mut() {
        tracked
            .updates
            .sort_by_key(|u| meetings[u.meeting].date.sort_key());
    }
    let as_at = meetings.iter().filter_map(|m| day(&m.date)).max();

    let mut pages = Vec::new();
    for ((m, meeting), (items, links)) in meetings
        .iter()
        .enumerate()
        .zip(rendered_meetings.into_iter().zip(backlinks))
    {
        let mut items = items;
        // Each action on its meeting page shows its current status.
        for item in &mut items {
            if let Some(blocks) = item["blocks"].as_array_mut() {
                for block in blocks {
                    let tracked = block["id"].as_str().and_then(|id| actions.get(id));
                    if let (true, Some(tracked)) = (block["kind"] == "action", tracked) {
                        block["status"] = json!(tracked.status().words());
                        block["owner"] = json!(tracked.owner);
                        block["due"] = json!(tracked.due.as_deref().map(words_of_iso));
                        block["tracker_href"] = json!(format!("{base}actions/#{}", tracked.anchor));
                    }
                }
            }
        }
        let json_path = format!("{}meeting.json", meeting.path());
        let raised: Vec<&TrackedAction> = actions.values().filter(|a| a.meeting == m).collect();
        pages.push(Page {
            path: json_path.clone(),
            template: None,
            title: format!("{} (JSON)", meeting.title),
            body: Value::String(to_json(&ocd_event(
                meeting, &items, &raised, meetings, config,
            ))),
            backlinks: vec![],
        });
        pages.push(Page {
            path: meeting.path(),
            template: Some("meeting.html".into()),
            title: meeting.title.clone(),
            body: json!({
                "title": meeting.title,
                "committee": meeting.committee_name,
                "date": meeting.date.words(),
                "date_note": meeting.date_note,
                "note": meeting.note,
                "status": meeting.status,
                "source": meeting.source,
                "items": items,
                "json_href": format!("{base}{json_path}"),
            }),
            backlinks: links,
        });
    }
    pages.push(index_page(meetings, base));
    let (tracker, tracker_json) = tracker_pages(&actions, meetings, as_at, base);
    pages.push(tracker);
    pages.push(tracker_json);
    pages
}

fn index_page(meetings: &[Meeting], base: &str) -> Page {
    let mut committees: BTreeMap<&str, (String, BTreeMap<String, Vec<Value>>)> = BTreeMap::new();
    for meeting in meetings {
        let (_, years) = committees
            .entry(&meeting.committee)
            .or_insert_with(|| (meeting.committee_name.clone(), BTreeMap::new()));
        // Newest year first; meetings of unrecorded date last.
        let year = meeting.date.year().map_or_else(
            || "0000 Date not recorded".to_string(),
            |y| format!("{:04}", 9999 - y),
        );
        let counts =
            meeting
                .items
                .iter()
                .flat_map(|i| i.blocks.iter())
                .fold((0, 0), |(r, a), b| match b {
                    Block::Resolutions(list) => (r + list.len(), a),
                    Block::Action(_) => (r, a + 1),
                    _ => (r, a),
                });
        years.entry(year).or_default().push(json!({
            "title": meeting.title,
            "date": meeting.date.words(),
            "href": format!("{base}{}", meeting.path()),
            "items": meeting.items.iter().filter(|i| !i.id.is_empty()).map(|i| i.heading.clone()).collect::<Vec<_>>(),
            "resolutions": counts.0,
            "actions": counts.1,
        }));
    }
    let committees: Vec<Value> = committees
        .into_iter()
        .map(|(id, (name, years))| {
            let mut years: Vec<(String, Vec<Value>)> = years.into_iter().collect();
            years.sort_by(|a, b| a.0.starts_with("0000").cmp(&b.0.starts_with("0000")).then(a.0.cmp(&b.0)));
            let years: Vec<Value> = years
                .into_iter()
                .map(|(key, mut list)| {
                    list.reverse();
                    let label = if key.starts_with("0000") { "Date not recorded".to_string() } else { (9999 - key.parse::<u16>().unwrap_or(9999)).to_string() };
                    json!({ "year": label, "anchor": format!("{id}-{}", label.to_ascii_lowercase().replace(' ', "-")), "meetings": list })
                })
                .collect();
            json!({ "id": id, "name": name, "years": years })
        })
        .collect();
    Page {
        path: "minutes/".into(),
        template: Some("minutes.html".into()),
        title: "Minutes".into(),
        body: json!({ "committees": committees }),
        backlinks: vec![],
    }
}

fn tracker_pages(
    actions: &BTreeMap<String, TrackedAction>,
    meetings: &[Meeting],
    as_at: Option<(u16, u8, u8)>,
    base: &str,
) -> (Page, Page) {
    let mut rows: Vec<(bool, DateKey, Value, Value)> = Vec::new();
    for action in actions.values() {
        let meeting = &meetings[action.meeting];
        let status = action.status();
        let raised_day = day(&meeting.date);
        // An open action ages to the latest meeting in the archive; a closed one stopped ageing
        // at the meeting that closed it.
        let closed_on = match action.updates.last() {
            Some(update) if !status.is_open() => day(&meetings[update.meeting].date),
            _ => None,
        };
        let age = match (raised_day, closed_on.or(as_at)) {
            (Some(from), Some(to)) => Some(days_between(from, to)),
            _ => None,
        };
        let overdue = match (&action.due, as_at) {
            (Some(due), Some(to)) => {
                status.is_open() && scrutiny_core::period::parse_iso_date(due).is_ok_and(|d| d < to)
            }
            _ => false,
        };
        let updates: Vec<Value> = action
            .updates
            .iter()
            .map(|u| {
                let at = &meetings[u.meeting];
                json!({ "meeting": at.title, "date": at.date.words(), "href": format!("{base}{}#{}", at.path(), u.anchor), "html": u.html, "status": u.status.words() })
            })
            .collect();
        let page_row = json!({
            "id": action.id,
            "anchor": action.anchor,
            "html": action.html,
            "owner": action.owner,
            "due": action.due.as_deref().map(words_of_iso),
            "overdue": overdue,
            "status": status.words(),
            "open": status.is_open(),
            "age": age.map(|d| format!("{d} day{}", if d == 1 { "" } else { "s" })),
            "raised_title": meeting.title,
            "raised_date": meeting.date.words(),
            "raised_href": format!("{base}{}#{}", meeting.path(), action.anchor),
            "updates": updates,
        });
        let json_row = json!({
            "id": action.id,
            "text": action.text,
            "owner": action.owner,
            "due_date": action.due,
            "status": status,
            "raised_at": { "meeting": format!("meeting:{}", meeting.key()), "date": meeting.date.iso(), "agenda_item": action.item, "url": format!("{base}{}#{}", meeting.path(), action.anchor) },
            "updates": action.updates.iter().map(|u| {
                let at = &meetings[u.meeting];
                json!({ "meeting": format!("meeting:{}", at.key()), "date": at.date.iso(), "status": u.status, "text": u.text, "url": format!("{base}{}#{}", at.path(), u.anchor) })
            }).collect::<Vec<_>>(),
        });
        rows.push((
            !status.is_open(),
            meeting.date.sort_key(),
            page_row,
            json_row,
        ));
    }
    rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let as_at_words = as_at.map(|(y, m, d)| {
        scrutiny_core::period::Period::Date {
            year: y,
            month: m,
            day: d,
        }
        .to_string()
    });
    let open = rows.iter().filter(|r| !r.0).count();
    let page = Page {
        path: "actions/".into(),
        template: Some("actions.html".into()),
        title: "Actions".into(),
        body: json!({
            "actions": rows.iter().map(|r| r.2.clone()).collect::<Vec<_>>(),
            "open": open,
            "closed": rows.len() - open,
            "as_at": as_at_words,
            "json_href": format!("{base}actions/actions.json"),
        }),
        backlinks: vec![],
    };
    let json = json!({ "as_at": as_at.map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")), "actions": rows.iter().map(|r| r.3.clone()).collect::<Vec<_>>() });
    let file = Page {
        path: "actions/actions.json".into(),
        template: None,
        title: "Actions (JSON)".into(),
        body: Value::String(to_json(&json)),
        backlinks: vec![],
    };
    (page, file)
}

/// The meeting as an Open Civic Data event, with resolutions on its agenda items and an
/// `actions` extension.
fn ocd_event(
    meeting: &Meeting,
    items: &[Value],
    raised: &[&TrackedAction],
    meetings: &[Meeting],
    config: &SiteConfig,
) -> Value {
    let agenda: Vec<Value> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| item["id"] != "")
        .map(|(order, item)| {
            let blocks = item["blocks"].as_array().cloned().unwrap_or_default();
            let notes: Vec<Value> = blocks.iter().filter(|b| b["kind"] == "text").map(|b| json!({ "description": plain_text(b["html"].as_str().unwrap_or_default()) })).collect();
            let resolutions: Vec<Value> = blocks
                .iter()
                .filter(|b| b["kind"] == "resolutions")
                .flat_map(|b| b["list"].as_array().cloned().unwrap_or_default())
                .map(|r| json!({ "number": r["number"], "text": plain_text(r["html"].as_str().unwrap_or_default()), "url": config.absolute_url(r["href"].as_str().unwrap_or_default().trim_start_matches(&config.base_path)) }))
                .collect();
            json!({
                "order": (order + 1).to_string(),
                "description": item["heading"],
                "notes": notes,
                "subjects": [],
                "related_entities": [],
                "extras": { "id": item["id"], "resolutions": resolutions },
            })
        })
        .collect();
    let actions: Vec<Value> = raised
        .iter()
        .map(|a| json!({ "id": a.id, "text": a.text, "owner": a.owner, "due_date": a.due, "status": a.status(), "updates": a.updates.iter().map(|u| json!({ "meeting": format!("meeting:{}", meetings[u.meeting].key()), "status": u.status, "text": u.text })).collect::<Vec<_>>() }))
        .collect();
    json!({
        "_type": "event",
        "id": format!("meeting:{}", meeting.key()),
        "name": meeting.title,
        "classification": "committee-meeting",
        "start_date": meeting.date.iso(),
        "status": "passed",
        "all_day": false,
        "participants": [{ "entity_type": "organization", "name": meeting.committee_name, "note": "host" }],
        "agenda": agenda,
        "sources": [{ "url": config.absolute_url(&meeting.path()), "note": meeting.source.clone().unwrap_or_else(|| "minutes as published in this archive".into()) }],
        "extras": {
            "date": meeting.date,
            "date_note": meeting.date_note,
            "minutes_status": meeting.status,
            "actions": actions,
        },
    })
}

fn to_json(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn day(date: &MeetingDate) -> Option<(u16, u8, u8)> {
    match date {
        MeetingDate::Day { year, month, day } => Some((*year, *month, *day)),
        _ => None,
    }
}

fn words_of_iso(iso: &str) -> String {
    match scrutiny_core::period::parse_iso_date(iso) {
        Ok((year, month, day)) => {
            scrutiny_core::period::Period::Date { year, month, day }.to_string()
        }
        Err(_) => iso.to_string(),
    }
}

/// Days from `from` to `to` (civil calendar).
fn days_between(from: (u16, u8, u8), to: (u16, u8, u8)) -> i64 {
    days_from_civil(to) - days_from_civil(from)
}

fn days_from_civil((y, m, d): (u16, u8, u8)) -> i64 {
    let (y, m, d) = (i64::from(y) - i64::from(m <= 2), i64::from(m), i64::from(d));
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

/// The text of rendered HTML, tags removed and entities decoded, for JSON.
fn plain_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn short(text: &str) -> String {
    if text.chars().count() <= 90 {
        return text.to_string();
    }
    let cut: String = text.chars().take(90).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_between_dates() {
        assert_eq!(days_between((2022, 11, 17), (2022, 11, 17)), 0);
        assert_eq!(days_between((2022, 11, 17), (2023, 11, 17)), 365);
        assert_eq!(days_between((2024, 2, 28), (2024, 3, 1)), 2);
    }

    #[test]
    fn plain_text_of_html() {
        assert_eq!(
            plain_text("<p>That <em>Members</em> &amp; officers\nreview.</p>\n"),
            "That Members & officers review."
        );
    }
}

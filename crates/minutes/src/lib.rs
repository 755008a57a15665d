//! # scrutiny-minutes
//!
//! Committee minutes: a clerk publishes a meeting by writing one Markdown file,
//! `content/minutes/<committee>/<YYYY-MM-DD>.md`, marking `RESOLVED:` and `Action:` as the
//! minutes already do. This crate is a [`Collection`] plugin: it owns `content/minutes/`, reads
//! each file into agenda items, resolutions, actions and action updates ([`syntax`]), offers the
//! `meeting:` and `action:` cross-reference targets, and writes:
//!
//! - `/minutes/` — every meeting, by committee and year;
//! - `/minutes/<committee>/<date>/` — one meeting: items, resolutions and actions, each with a
//!   stable anchor and a copyable link, and its JSON (an Open Civic Data event with an `actions`
//!   extension) beside it;
//! - `/actions/` — the action tracker, open actions first, with `actions.json`;
//! - `/meetings.ics` — a calendar of the meetings whose minutes give the day, and an Atom feed
//!   of them a committee (`/minutes/<committee>/feed.xml`, written by the core with the site's
//!   feed) ([`follow`]).
//!
//! Meetings whose minutes do not give a full date are filed as `YYYY-MM-xx.md`, `YYYY-xx-xx.md`
//! or `undated-<name>.md` ([`date`]) and shown as "date not recorded", never with an invented date.

pub mod attributes;
pub mod date;
pub mod follow;
mod pages;
pub mod syntax;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use scrutiny_plugin::alias::{self, Alias};
use scrutiny_plugin::collection::{
    Collection, CollectionPages, ContentFile, LoadContext, LoadedCollection, ReportLink, SiteInfo,
};
use scrutiny_plugin::diag::{Diagnostics, FileId, Location, Problems};
use scrutiny_plugin::markdown::{DraftContext, Source, split_front_matter};
use scrutiny_plugin::store::DraftStore;
use scrutiny_plugin::tomlfile;
use scrutiny_plugin::xref::{Target, XrefIndex};
use serde::{Deserialize, Serialize};

use crate::date::MeetingDate;
use crate::syntax::{Block, Item};

/// The minutes plugin.
#[derive(Debug, Default, Clone, Copy)]
pub struct Minutes;

/// Whether the committee has approved the minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MinutesStatus {
    /// Not yet approved.
    Draft,
    /// Approved as a true record.
    Approved,
}

impl MinutesStatus {
    /// Reads a status as written in the front matter (`status = "draft"`).
    pub fn parse(text: &str) -> Option<MinutesStatus> {
        match text {
            "draft" => Some(MinutesStatus::Draft),
            "approved" => Some(MinutesStatus::Approved),
            _ => None,
        }
    }
}

/// Optional front matter of a minutes file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    title: Option<toml::Spanned<String>>,
    status: Option<toml::Spanned<String>>,
    source: Option<String>,
    date: Option<toml::Spanned<toml::value::Datetime>>,
    date_note: Option<String>,
    note: Option<String>,
    committee_named: Option<bool>,
    #[serde(default)]
    aliases: Vec<toml::Spanned<String>>,
}

/// One meeting, read from its file.
#[derive(Debug, Clone)]
pub struct Meeting {
    /// Committee id, from the folder.
    pub committee: String,
    /// Committee name, from `site.toml`.
    pub committee_name: String,
    /// File stem: `2022-11-17`, `undated-portfolio-holder-report`.
    pub stem: String,
    /// When it took place, as far as the minutes say.
    pub date: MeetingDate,
    /// Page title.
    pub title: String,
    /// Draft or approved, if the front matter says.
    pub status: Option<MinutesStatus>,
    /// Where the official minutes are, if the front matter says.
    pub source: Option<String>,
    /// What the minutes say about the date, or where it comes from when they do not state it.
    pub date_note: Option<String>,
    /// The clerk's note about this record, shown at the top of the page.
    pub note: Option<String>,
    /// Whether the minutes name the committee (`committee_named = false` where the archive
    /// files them with one the minutes do not name): pages and the JSON say so.
    pub committee_named: bool,
    /// The file.
    pub file: FileId,
    /// Agenda items.
    pub items: Vec<Item>,
    /// The meeting page's earlier addresses (`aliases = ["/old/path/"]`): each redirects to it.
    pub aliases: Vec<Alias>,
    /// The date in words, as pages show it: "17 November 2022", "Date not recorded".
    pub date_words: String,
    key: String,
    path: String,
}

impl Meeting {
    /// Reference key: `children-osc/2022-11-17`.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Site path: `minutes/children-osc/2022-11-17/`.
    pub fn path(&self) -> &str {
        &self.path
    }
}

const TEMPLATES: &[(&str, &str)] = &[
    ("minutes.html", include_str!("../templates/minutes.html")),
    ("meeting.html", include_str!("../templates/meeting.html")),
    ("actions.html", include_str!("../templates/actions.html")),
];

/// The committees whose minutes the site publishes, id → name, from `[minutes.committees]`.
#[derive(Debug, Default, Clone)]
pub struct Committees(BTreeMap<String, String>);

impl Committees {
    /// Reads the minutes' table of `site.toml` (`file`), recording problems:
    ///
    /// ```toml
    /// [minutes.committees]
    /// children-osc = "Children's Services Overview and Scrutiny Committee"
    /// ```
    pub fn load(file: FileId, diags: &mut Diagnostics) -> Committees {
        // Each key of [minutes] but `committees` is an error of its own, so that a misspelt
        // one does not hide the committees.
        let keys: BTreeMap<toml::Spanned<String>, serde::de::IgnoredAny> =
            tomlfile::parse_table(diags, file, &["minutes"]).unwrap_or_default();
        for key in keys.keys().filter(|k| k.get_ref() != "committees") {
            diags.error(
                &Location::new(file, key.span()),
                format!("`{}` is not a key of [minutes]", key.get_ref()),
                "the minutes take `committees`: [minutes.committees], one line per committee, `id = \"Name\"`",
            );
        }
        let declared: BTreeMap<toml::Spanned<String>, String> =
            tomlfile::parse_table(diags, file, &["minutes", "committees"]).unwrap_or_default();
        let mut committees = BTreeMap::new();
        for (id, name) in declared {
            if let Err(bad) = scrutiny_plugin::name::check(id.get_ref()) {
                diags.error(
                    &Location::new(file, id.span()),
                    format!(
                        "the committee id `{}` {}: it names the committee's folder and its pages' addresses",
                        id.get_ref(),
                        bad.problem
                    ),
                    bad.hint("the id"),
                );
            }
            committees.insert(id.into_inner(), name);
        }
        Committees(committees)
    }

    /// The name of committee `id`, if the site declares it.
    pub fn name(&self, id: &str) -> Option<&String> {
        self.0.get(id)
    }

    /// The hint for a committee id `site.toml` does not declare: every declared committee, after
    /// "did you mean" when one is spelled nearly like `wanted`.
    pub fn unknown_committee_hint(&self, wanted: &str) -> String {
        if self.0.is_empty() {
            return "this site declares no committees: add one to site.toml under [minutes.committees], e.g. `children-osc = \"Children's Services Overview and Scrutiny Committee\"`".to_string();
        }
        let declared: Vec<String> = self
            .0
            .iter()
            .map(|(id, name)| format!("`{id}` ({name})"))
            .collect();
        let declared = format!(
            "committees declared in site.toml under [minutes.committees] are: {}",
            declared.join(", ")
        );
        let close =
            scrutiny_plugin::xref::nearest(wanted, self.0.keys().map(String::as_str).collect());
        if close.is_empty() {
            format!("the {declared}")
        } else {
            let close: Vec<String> = close.iter().map(|id| format!("`{id}`")).collect();
            format!("did you mean {}? The {declared}", close.join(" or "))
        }
    }
}

impl Collection for Minutes {
    fn folder(&self) -> &'static str {
        "minutes"
    }

    fn schemes(&self) -> &'static [&'static str] {
        &["meeting", "action"]
    }

    fn site_table(&self) -> Option<&'static str> {
        Some("minutes")
    }

    fn report_links(&self) -> &'static [ReportLink] {
        &[ReportLink {
            key: "meeting",
            scheme: "meeting",
            form: "meeting = \"meeting:<committee>/<date>#<item>\"",
            anchor: "presented",
        }]
    }

    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        TEMPLATES
    }

    fn nav(&self) -> &'static [(&'static str, &'static str)] {
        &[("Minutes", "minutes/"), ("Actions", "actions/")]
    }

    fn load(&self, ctx: &LoadContext<'_>, diags: &mut Diagnostics) -> Box<dyn LoadedCollection> {
        let committees = Committees::load(ctx.site_toml, diags);
        // Read in parallel, each file with its own problems, merged in file order.
        let read: Vec<(Option<Meeting>, Problems)> = {
            let sources: &Diagnostics = diags;
            ctx.files
                .par_iter()
                .map(|file| {
                    let mut problems = Problems::new();
                    let text = sources.read_text(file.file, &mut problems);
                    let meeting = read_meeting(file, &text, ctx, &committees, &mut problems);
                    (meeting, problems)
                })
                .collect()
        };
        let mut meetings = Vec::with_capacity(read.len());
        for (meeting, problems) in read {
            diags.absorb(problems);
            meetings.extend(meeting);
        }
        meetings.sort_by(|a, b| {
            (&a.committee, a.date.sort_key()).cmp(&(&b.committee, b.date.sort_key()))
        });
        check_actions(&meetings, diags);
        Box::new(LoadedMinutes {
            meetings,
            drafts: Arc::clone(ctx.drafts),
        })
    }
}

/// The meetings of a site, loaded and checked.
pub struct LoadedMinutes {
    /// Every meeting, by committee then date.
    pub meetings: Vec<Meeting>,
    /// Where their texts' and resolutions' drafts wait for their pages.
    pub drafts: Arc<DraftStore>,
}

impl Drop for LoadedMinutes {
    /// Thousands of meetings are dropped in parallel, as they were read.
    fn drop(&mut self) {
        std::mem::take(&mut self.meetings)
            .into_par_iter()
            .for_each(drop);
    }
}

impl LoadedCollection for LoadedMinutes {
    fn targets(&self) -> Vec<(&'static str, String, Target)> {
        let mut targets = Vec::new();
        for meeting in &self.meetings {
            let mut anchors = Vec::new();
            for item in &meeting.items {
                if !item.id.is_empty() {
                    anchors.push(item.id.clone());
                }
                for block in &item.blocks {
                    match block {
                        Block::Resolutions(list) => {
                            anchors.extend(list.iter().map(|r| r.anchor.clone()))
                        }
                        Block::Action(action) => {
                            anchors.push(action.anchor.clone());
                            targets.push((
                                "action",
                                action.id.clone(),
                                Target {
                                    path: format!("actions/#{}", action.anchor),
                                    title: format!("Action raised at {}", meeting.title),
                                    anchors: vec![],
                                },
                            ));
                        }
                        Block::Update(update) => anchors.push(update.anchor.clone()),
                        Block::Text(_) => {}
                    }
                }
            }
            targets.push((
                "meeting",
                meeting.key().to_string(),
                Target {
                    path: meeting.path().to_string(),
                    title: meeting.title.clone(),
                    anchors,
                },
            ));
        }
        targets
    }

    fn pages<'a>(
        &'a self,
        xrefs: &'a XrefIndex,
        site: &'a SiteInfo,
        diags: &mut Diagnostics,
    ) -> CollectionPages<'a> {
        pages::pages(&self.meetings, &self.drafts, xrefs, site, diags)
    }

    fn feed(&self) -> scrutiny_plugin::feed::FeedItems {
        follow::feed(&self.meetings)
    }
}

fn read_meeting(
    content: &ContentFile,
    text: &str,
    ctx: &LoadContext<'_>,
    committees: &Committees,
    diags: &mut Problems,
) -> Option<Meeting> {
    let (committee, stem, committee_name, date) = meeting_place(content, committees, diags)?;
    let place = Place {
        committee,
        stem,
        committee_name,
        date,
    };
    // What the parse reads: the file, the committee's name, the site's base path and schemes.
    let key = ctx.parsed.keeps().then(|| {
        let schemes = format!("{:?}", ctx.schemes);
        ctx.parsed.key(&[
            b"minutes meeting",
            content.path.as_bytes(),
            text.as_bytes(),
            committee_name.as_bytes(),
            ctx.site.base_path.as_bytes(),
            schemes.as_bytes(),
        ])
    });
    if let Some(parsed) = key.and_then(|key| ctx.parsed.get::<Parsed>(&key, content.file)) {
        return Some(place.meeting(parsed, content.file, ctx.drafts));
    }
    let parsed = parse_meeting(content, text, ctx, &place, diags)?;
    // Only a file without errors is kept: one with errors stops the build, and is read again.
    if let Some(key) = key.filter(|_| !diags.has_errors()) {
        ctx.parsed.put(key, &parsed);
    }
    Some(place.meeting(parsed, content.file, ctx.drafts))
}

/// What a minutes file's path says: its committee, stem, the committee's name and the date.
struct Place<'f> {
    committee: &'f str,
    stem: &'f str,
    committee_name: &'f String,
    date: MeetingDate,
}

/// What a minutes file says that its path does not, as the parse cache keeps it.
#[derive(serde::Serialize, serde::Deserialize)]
struct Parsed {
    title: String,
    status: Option<MinutesStatus>,
    source: Option<String>,
    date_note: Option<String>,
    note: Option<String>,
    committee_named: bool,
    aliases: Vec<Alias>,
    drafted: syntax::Drafted,
}

impl Place<'_> {
    /// The meeting of this place whose file (`file`) says `parsed`, its drafts kept in `store`.
    fn meeting(self, parsed: Parsed, file: FileId, store: &DraftStore) -> Meeting {
        let Place {
            committee,
            stem,
            committee_name,
            date,
        } = self;
        Meeting {
            committee: committee.to_string(),
            committee_name: committee_name.clone(),
            stem: stem.to_string(),
            date_words: date.words(),
            key: format!("{committee}/{stem}"),
            path: format!("minutes/{committee}/{stem}/"),
            date,
            title: parsed.title,
            status: parsed.status,
            source: parsed.source,
            date_note: parsed.date_note,
            note: parsed.note,
            committee_named: parsed.committee_named,
            file,
            items: parsed.drafted.keep(store),
            aliases: parsed.aliases,
        }
    }
}

/// Parses a minutes file at `place`: its front matter and its items, drafted.
fn parse_meeting(
    content: &ContentFile,
    text: &str,
    ctx: &LoadContext<'_>,
    place: &Place<'_>,
    diags: &mut Problems,
) -> Option<Parsed> {
    let Place {
        committee,
        stem,
        committee_name,
        date,
    } = place;
    let split = match split_front_matter(text) {
        Ok(split) => split,
        Err(why) => {
            diags.error(
                &Location::new(content.file, why.span),
                why.message,
                why.hint,
            );
            return None;
        }
    };
    // Front matter that cannot be read is reported, and the body is still checked.
    let (front, front_offset): (Front, usize) = match split.front_matter {
        Some((front, offset)) => (
            tomlfile::parse_document(diags, content.file, front, offset).unwrap_or_default(),
            offset,
        ),
        None => (Front::default(), 0),
    };
    let front_at = |span: std::ops::Range<usize>| {
        Location::new(
            content.file,
            span.start + front_offset..span.end + front_offset,
        )
    };
    let status = check_front(&front, date, &front_at, diags);
    let aliases = alias::read(&front.aliases, content.file, front_offset, diags);
    let prefix = format!("{committee}-{stem}");
    let path = format!("minutes/{committee}/{stem}/");
    let page = DraftContext {
        base_path: &ctx.site.base_path,
        page_path: &path,
        schemes: ctx.schemes,
    };
    let source = Source {
        file: content.file,
        text: split.body,
        offset: split.body_offset,
    };
    let drafted = syntax::draft(source, &prefix, &page, ctx.markdown, diags);
    let title = front
        .title
        .map(toml::Spanned::into_inner)
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| match date {
            MeetingDate::Undated { .. } => format!("{committee_name}, meeting of unrecorded date"),
            dated => format!("{committee_name}, {}", dated.words()),
        });
    Some(Parsed {
        title,
        status,
        source: front.source,
        date_note: front.date_note,
        note: front.note,
        committee_named: front.committee_named.unwrap_or(true),
        aliases,
        drafted,
    })
}

fn meeting_place<'f>(
    content: &'f ContentFile,
    committees: &'f Committees,
    diags: &mut Problems,
) -> Option<(&'f str, &'f str, &'f String, MeetingDate)> {
    let start = Location::new(content.file, 0..0);
    let parts: Vec<&str> = content.path.split('/').collect();
    let ["content", "minutes", committee, name] = parts.as_slice() else {
        diags.error(
            &start,
            "minutes files go in content/minutes/<committee>/<date>.md",
            "move the file into its committee's folder",
        );
        return None;
    };
    let Some(stem) = name.strip_suffix(".md") else {
        diags.error(
            &start,
            "only Markdown files (.md) go in content/minutes/",
            "rename the file to <date>.md or remove it",
        );
        return None;
    };
    let Some(committee_name) = committees.name(committee) else {
        diags.error(
            &start,
            format!("`{committee}` is not a committee of this site"),
            committees.unknown_committee_hint(committee),
        );
        return None;
    };
    let date = match MeetingDate::from_stem(stem) {
        Ok(date) => date,
        Err(why) => {
            diags.error(
                &start,
                format!("the file name does not give the meeting's date: {why}"),
                "name the file YYYY-MM-DD.md, YYYY-MM-xx.md, YYYY-xx-xx.md or undated-<name>.md",
            );
            return None;
        }
    };
    Some((committee, stem, committee_name, date))
}

/// Checks the front matter of a minutes file against its date (from the file name): its
/// status, title and date. The status, when it is one.
fn check_front(
    front: &Front,
    date: &MeetingDate,
    front_at: &dyn Fn(std::ops::Range<usize>) -> Location,
    diags: &mut Problems,
) -> Option<MinutesStatus> {
    let status = front.status.as_ref().and_then(|written| {
        let status = MinutesStatus::parse(written.get_ref());
        if status.is_none() {
            diags.error(
                &front_at(written.span()),
                format!("`{}` is not a status of minutes", written.get_ref()),
                "write status = \"draft\" (not yet approved by the committee) or status = \"approved\", or leave it out",
            );
        }
        status
    });
    if let Some(title) = &front.title
        && title.get_ref().trim().is_empty()
    {
        diags.error(
            &front_at(title.span()),
            "the title is empty",
            "write the meeting's title, or leave `title` out to have one made from the committee and date",
        );
    }
    if let Some(written) = &front.date {
        let written_text = written.get_ref().to_string();
        let value = written.get_ref();
        if value.time.is_some() || value.offset.is_some() || value.date.is_none() {
            diags.error(
                &front_at(written.span()),
                format!("`date = {written_text}` is not a day: the date of a meeting is YYYY-MM-DD"),
                "write date = YYYY-MM-DD with no time (or leave `date` out: the file name gives it)",
            );
        } else if date.iso().as_deref() != Some(written_text.as_str()) {
            diags.error(
                &front_at(written.span()),
                format!("the front matter says {written_text} but the file name says {}", date.words()),
                format!("rename the file to {written_text}.md, or correct the date (or leave `date` out: the file name gives it)"),
            );
        }
    }
    status
}

/// Action ids are unique across the site; an update comes at a meeting no earlier than the one
/// that raised its action.
fn check_actions(meetings: &[Meeting], diags: &mut Diagnostics) {
    let mut raised: BTreeMap<String, (usize, Location)> = BTreeMap::new();
    for (m, meeting) in meetings.iter().enumerate() {
        for action in meeting
            .items
            .iter()
            .flat_map(|i| i.blocks.iter())
            .filter_map(|b| match b {
                Block::Action(a) => Some(a),
                _ => None,
            })
        {
            if let Some((_, first)) = raised.get(&action.id) {
                let first_at = diags.position(first);
                diags.error(
                    &action.at,
                    format!("the action id `{}` is already used by the action at {first_at}", action.id),
                    "give each action its own id={…}, or leave id out to have one made from the meeting",
                );
            } else {
                raised.insert(action.id.clone(), (m, action.at.clone()));
            }
        }
    }
    for meeting in meetings {
        for update in meeting
            .items
            .iter()
            .flat_map(|i| i.blocks.iter())
            .filter_map(|b| match b {
                Block::Update(u) => Some(u),
                _ => None,
            })
        {
            if let Some((m, _)) = raised.get(&update.action) {
                let raised_at = &meetings[*m];
                // Partial dates are ordered only where they cannot overlap.
                if meeting.date.certainly_before(&raised_at.date) {
                    diags.error(
                        &update.action_at,
                        format!(
                            "this meeting, {}, is before the one that raised `{}`: {}",
                            meeting.date.words(),
                            update.action,
                            raised_at.date.words()
                        ),
                        "record an update at a meeting after the action was raised",
                    );
                }
            }
        }
    }
}

/// Writes the skeleton of a new minutes file, as `scrutiny new minutes` does: commented, and
/// valid as it stands.
pub fn skeleton(committee_name: &str, date_words: &str) -> String {
    format!(
        r#"+++
# Front matter is optional. status is "draft" until the committee approves the minutes.
status = "draft"
# source = "Where the official minutes are published"
+++

<!-- Minutes of the {committee_name}, {date_words}.
     Each agenda item is a level-2 heading; {{#id}} sets its anchor.
     RESOLVED: starts the resolutions of an item: one paragraph or list item each, numbered.
     Action: records an action; end it with {{owner="…" due=YYYY-MM-DD id="…"}} when known.
     Action update: [text](action:ID) updates an earlier action; end it with {{status="done"}}
     (open, in-progress, done or dropped).
     Link to reports with [text](report:2022-23/q2) and to indicators with [text](indicator:ID). -->

## 1. Apologies for absence {{#item-1}}

Write the item here.

## 2. Minutes of the last meeting {{#item-2}}

RESOLVED:

2.1 That the minutes of the last meeting be approved as a correct record.
"#
    )
}

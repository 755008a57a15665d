//! The clerk's syntax: a minutes file read into agenda items, resolutions, actions and updates.
//!
//! - `## Heading {#id}` starts an agenda item (anchor: the `{#id}`, else a slug of the heading).
//! - A paragraph `RESOLVED:` (or `RESOLVED`, `Resolved:`, or a `### Resolved` heading) starts a
//!   block of resolutions: each following paragraph that begins with a number (`1.1`, `1)`,
//!   `2.`, `(a)`, `(iv)`), and each item of a list, is one resolution; an action among them
//!   leaves the block open for numbered ones after it. `RESOLVED: text` on one line is a single
//!   resolution.
//! - A paragraph or list item beginning `Action:` is an action; it may end with an attribute
//!   block `{owner="…" due=YYYY-MM-DD id="…"}`. An attribute block anywhere else is an error.
//! - A paragraph beginning `Action update:` links the one action it updates (`action:<id>`) and
//!   ends with `{status="done"}` (open, in-progress, done, dropped).
//!
//! The file is parsed once. Its events are first read for the structure above, then each
//! piece's own events (the keyword, number or attribute block cut off) are drafted to HTML
//! whose cross-references wait for the site's index ([`Draft`]).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use scrutiny_plugin::diag::{FileId, Location, Problems};
use scrutiny_plugin::markdown::{
    BlockKind, Draft, DraftContext, ListItem, MarkdownEngine, Outline, PageIds, Part, Piece,
    Source, refuse_charts, slug,
};
use scrutiny_plugin::period::Date;
use scrutiny_plugin::store::{DraftStore, StoredDraft};
use serde::Serialize;

use crate::attributes::trailing_block;

/// The status of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Raised, no work reported yet.
    Open,
    /// Work reported, not finished.
    InProgress,
    /// Done.
    Done,
    /// Dropped by the committee.
    Dropped,
    /// No update has given one: the minutes that raised it say nothing of its progress.
    NotRecorded,
}

/// The statuses as a clerk writes them.
pub const STATUSES: [&str; 4] = ["open", "in-progress", "done", "dropped"];

impl Status {
    /// Reads a status as written in `{status="…"}`.
    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "open" => Some(Status::Open),
            "in-progress" => Some(Status::InProgress),
            "done" => Some(Status::Done),
            "dropped" => Some(Status::Dropped),
            _ => None,
        }
    }

    /// The status in words, for pages.
    pub fn words(self) -> &'static str {
        match self {
            Status::Open => "Open",
            Status::InProgress => "In progress",
            Status::Done => "Done",
            Status::Dropped => "Dropped",
            Status::NotRecorded => "Status not recorded",
        }
    }

    /// Whether the action is known to still need doing.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Open | Status::InProgress)
    }

    /// Whether the action is known to be finished with: done or dropped.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Done | Status::Dropped)
    }
}

/// Ordinary Markdown of an item: a paragraph, a list, a table…
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Text {
    /// Where it is in the file.
    pub range: Range<usize>,
    /// Its HTML, kept in the build's draft store until its page is composed.
    #[serde(skip)]
    pub draft: StoredDraft,
    /// Which piece it is drafted from, while the file is read ([`Reader::pieces`]).
    #[serde(skip)]
    piece: u32,
}

/// One resolution of a `RESOLVED` block.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Resolution {
    /// Its number as written (`1.1`, `2)`), or its position when unnumbered.
    pub number: String,
    /// Whether the minutes write the number: pages show no number the minutes do not give.
    pub written: bool,
    /// The resolution's text, in the file.
    pub text: Range<usize>,
    /// Its anchor on the meeting page.
    pub anchor: String,
    /// Its HTML, kept in the build's draft store until its page is composed.
    #[serde(skip)]
    pub draft: StoredDraft,
    /// Its text without markup, cut to 90 characters: how a report's list of outcomes names it.
    pub summary: String,
    /// Which piece it is drafted from, while the file is read ([`Reader::pieces`]).
    #[serde(skip)]
    piece: u32,
}

/// An action raised at a meeting.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Action {
    /// Its id, given (`id="uasc-transfers"`) or made from the meeting and its position.
    pub id: String,
    /// The action's text, in the file.
    pub text: Range<usize>,
    /// Who is to do it, if the minutes say.
    pub owner: Option<String>,
    /// When it is due, `YYYY-MM-DD`, if the minutes say.
    pub due: Option<String>,
    /// Where the action is written.
    pub at: Location,
    /// Its anchor on the meeting page.
    pub anchor: String,
    /// Its HTML.
    pub draft: Draft,
    /// Which piece it is drafted from, while the file is read ([`Reader::pieces`]).
    #[serde(skip)]
    piece: u32,
}

/// An update, at a later meeting, of an action raised earlier.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Update {
    /// The id of the action updated.
    pub action: String,
    /// Where `action:<id>` is written.
    pub action_at: Location,
    /// Its new status.
    pub status: Status,
    /// The update's text, in the file.
    pub text: Range<usize>,
    /// Its anchor on the meeting page.
    pub anchor: String,
    /// Its HTML.
    pub draft: Draft,
    /// Which piece it is drafted from, while the file is read ([`Reader::pieces`]).
    #[serde(skip)]
    piece: u32,
}

/// A piece of an agenda item, in order.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Block {
    /// Ordinary Markdown: a paragraph, a list, a table…
    Text(Text),
    /// A `RESOLVED` block and its resolutions.
    Resolutions(Vec<Resolution>),
    /// An action.
    Action(Box<Action>),
    /// An action update.
    Update(Box<Update>),
}

/// An agenda item: a `##` heading and what follows it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Item {
    /// Its anchor; empty for text before the first heading.
    pub id: String,
    /// The heading text; empty for text before the first heading.
    pub heading: String,
    /// Where the heading stands (the file's start for text before the first heading).
    pub at: Location,
    /// The item's pieces.
    pub blocks: Vec<Block>,
}

/// Reads the body of a minutes file (`source`) into agenda items, each piece drafted to HTML
/// for `page` by `markdown`, the texts' and resolutions' drafts kept in `store`.
/// `action_prefix` makes default action ids (`children-osc-2022-11-17` → `…-1`, `…-2`).
pub fn parse(
    source: Source<'_>,
    action_prefix: &str,
    page: &DraftContext<'_>,
    markdown: &dyn MarkdownEngine,
    store: &DraftStore,
    diags: &mut Problems,
) -> Vec<Item> {
    draft(source, action_prefix, page, markdown, diags).keep(store)
}

/// Agenda items read, with the drafts of their texts and resolutions not kept yet.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Drafted {
    /// The items, their texts and resolutions without their drafts.
    pub items: Vec<Item>,
    /// The drafts of their texts and resolutions, in page order.
    pub waiting: Vec<Draft>,
}

/// [`parse`], but for keeping the drafts.
pub fn draft(
    source: Source<'_>,
    action_prefix: &str,
    page: &DraftContext<'_>,
    markdown: &dyn MarkdownEngine,
    diags: &mut Problems,
) -> Drafted {
    let mut items = Vec::new();
    let drafts = markdown.draft_pieces(source, page, diags, &mut |outline, diags| {
        let mut reader = Reader::new(source, action_prefix);
        reader.read(outline, diags);
        let reading = (reader.pieces(), reader.page_ids());
        items = reader.items;
        reading
    });
    for draft in &drafts {
        refuse_charts(&draft.charts, diags);
    }
    let mut drafts = drafts.into_iter();
    // The texts' and resolutions' drafts wait in the store, together, for the meeting's page;
    // the actions' and updates' stay, as the tracker is made of them first.
    let mut waiting = Vec::new();
    for block in items.iter_mut().flat_map(|i| i.blocks.iter_mut()) {
        let mut next = || drafts.next().unwrap_or_default();
        match block {
            Block::Text(_) => waiting.push(next()),
            Block::Resolutions(list) => {
                for resolution in list {
                    let draft = next();
                    resolution.summary = crate::pages::short(&draft.text);
                    waiting.push(draft);
                }
            }
            Block::Action(action) => action.draft = next(),
            Block::Update(update) => update.draft = next(),
        }
    }
    Drafted { items, waiting }
}

impl Drafted {
    /// The items, their texts' and resolutions' drafts kept in `store`, together.
    pub fn keep(self, store: &DraftStore) -> Vec<Item> {
        let Drafted { mut items, waiting } = self;
        let mut stored = store.keep_all(waiting).into_iter();
        for block in items.iter_mut().flat_map(|i| i.blocks.iter_mut()) {
            let mut next = || stored.next().unwrap_or_default();
            match block {
                Block::Text(text) => text.draft = next(),
                Block::Resolutions(list) => list.iter_mut().for_each(|r| r.draft = next()),
                Block::Action(_) | Block::Update(_) => {}
            }
        }
        // Thousands of meetings are held until their pages are written: without what the
        // vectors grew into.
        items.shrink_to_fit();
        for item in &mut items {
            item.blocks.shrink_to_fit();
            for block in &mut item.blocks {
                if let Block::Resolutions(list) = block {
                    list.shrink_to_fit();
                }
            }
        }
        items
    }
}

struct Reader<'a> {
    file: FileId,
    body: &'a str,
    offset: usize,
    action_prefix: &'a str,
    items: Vec<Item>,
    /// An open `RESOLVED` block: where its marker stands and what it holds so far.
    resolved: Option<(Location, Vec<Resolution>)>,
    /// Whether the open `RESOLVED` block has had resolutions before an action or update
    /// among them.
    resolved_earlier: bool,
    actions: usize,
    /// Every link of the file to an action: its range and destination (`action:uasc-transfers`).
    links: Vec<(Range<usize>, String)>,
    /// Where the file holds code and HTML, whose text is not the clerk's prose, by start.
    verbatim: Vec<Range<usize>>,
    /// The furthest end of the verbatim ranges up to each one.
    verbatim_ends: Vec<usize>,
    /// The anchors of the items so far.
    item_ids: HashSet<String>,
    /// For an anchor made from a heading, the number to try next after it (`-2`, `-3`…): the
    /// ones before it are taken, so the thousandth item of one name does not try them all.
    next_suffix: HashMap<String, usize>,
    /// The resolutions of the current item so far.
    resolutions: ItemResolutions,
    /// What each block is drafted from, by the number it holds: kept apart, as the items are
    /// kept until their pages are written, and the pieces are of no use once drafted.
    pieces: Vec<Piece>,
    /// How many updates of each action this meeting has so far.
    updates: HashMap<String, usize>,
}

/// What the resolutions of the current item so far need to be looked up by.
#[derive(Default)]
struct ItemResolutions {
    /// How many there are.
    count: usize,
    /// The number of the first with each anchor, and whether it is written.
    anchors: HashMap<String, (String, bool)>,
    /// For an anchor taken twice, the number to try next after it (as [`Reader::next_suffix`]).
    next_suffix: HashMap<String, usize>,
}

impl<'a> Reader<'a> {
    fn new(source: Source<'a>, action_prefix: &'a str) -> Self {
        Reader {
            file: source.file,
            body: source.text,
            offset: source.offset,
            action_prefix,
            items: vec![Item {
                id: String::new(),
                heading: String::new(),
                at: Location::new(source.file, source.offset..source.offset),
                blocks: Vec::new(),
            }],
            resolved: None,
            resolved_earlier: false,
            actions: 0,
            links: Vec::new(),
            verbatim: Vec::new(),
            verbatim_ends: Vec::new(),
            item_ids: HashSet::new(),
            next_suffix: HashMap::new(),
            resolutions: ItemResolutions::default(),
            pieces: Vec::new(),
            updates: HashMap::new(),
        }
    }

    /// Reads the file's outline into items.
    fn read(&mut self, outline: &Outline, diags: &mut Problems) {
        // Links to actions (for updates) and where code and HTML stand (not the clerk's prose).
        self.links = outline
            .links
            .iter()
            .filter(|(_, dest)| {
                dest.starts_with("action:")
                    || scrutiny_plugin::xref::scheme_written_otherwise(dest, &["action"]).is_some()
            })
            .cloned()
            .collect();
        // Each piece of the minutes is drafted on its own, so footnotes would be numbered
        // piece by piece: refused rather than shown with numbers that repeat.
        for range in &outline.footnotes {
            diags.error(
                &self.at(range),
                "a footnote in minutes",
                "write the note in the text, in brackets after what it is about",
            );
        }
        self.verbatim = outline.verbatim.clone();
        self.verbatim_ends = self
            .verbatim
            .iter()
            .scan(0, |end, range| {
                *end = range.end.max(*end);
                Some(*end)
            })
            .collect();
        for block in &outline.blocks {
            self.block(block, diags);
        }
        self.close_resolved(diags);
        self.items
            .retain(|item| !(item.id.is_empty() && item.blocks.is_empty()));
    }

    fn at(&self, range: &Range<usize>) -> Location {
        Location::new(
            self.file,
            range.start + self.offset..range.end + self.offset,
        )
    }

    fn absolute(&self, range: Range<usize>) -> Range<usize> {
        range.start + self.offset..range.end + self.offset
    }

    /// Numbers a piece to draft.
    fn piece(&mut self, piece: Piece) -> u32 {
        self.pieces.push(piece);
        u32::try_from(self.pieces.len() - 1).unwrap_or(u32::MAX)
    }

    fn push_text(&mut self, range: Range<usize>, piece: Piece) {
        let piece = self.piece(piece);
        let block = Block::Text(Text {
            range: self.absolute(range),
            draft: StoredDraft::default(),
            piece,
        });
        self.item().blocks.push(block);
    }

    fn item(&mut self) -> &mut Item {
        self.items.last_mut().expect("there is always an item")
    }

    /// Reads one top-level block.
    fn block(&mut self, block: &scrutiny_plugin::markdown::Block, diags: &mut Problems) {
        let range = block.range.clone();
        let whole = Piece {
            part: block.part.clone(),
            keep: range.clone(),
            list: None,
        };
        match &block.kind {
            BlockKind::Heading {
                level,
                text,
                attributes,
                links,
                html,
            } => {
                let text = text.clone();
                if *level == 1 {
                    diags.error(
                        &self.at(&range),
                        "a level-1 heading in minutes: the meeting's page has its own title",
                        "write agenda items as `## 4. Heading {#item-4}` and headings inside an item as `###`",
                    );
                    return;
                }
                let resolved = *level == 3 && text.eq_ignore_ascii_case("resolved");
                if *level == 2 || resolved {
                    // Headings the reader takes for itself are not drafted: their attribute
                    // block is checked here.
                    attributes.check(self.file, self.offset, diags);
                }
                if *level == 2 {
                    self.start_item(text, attributes, links, html.as_ref(), &range, diags);
                } else if resolved {
                    self.close_resolved(diags);
                    self.resolved = Some((self.at(&range), Vec::new()));
                } else {
                    self.close_resolved(diags);
                    self.push_text(range, whole);
                }
            }
            BlockKind::Paragraph => self.paragraph(range, whole.part, diags),
            BlockKind::List { start, items } => self.list(block, items, *start, diags),
            _ => {
                self.close_resolved(diags);
                self.check_stray_attributes(&range, diags);
                if !self.join_caption(&range, &whole) {
                    self.push_text(range, whole);
                }
            }
        }
    }

    /// A block after a `Table: …` paragraph of its own joins it, so that the paragraph can be
    /// drafted as the caption of the table the block is; whether it did.
    fn join_caption(&mut self, range: &Range<usize>, whole: &Piece) -> bool {
        let body = self.body;
        let offset = self.offset;
        let Some(Block::Text(text)) = self.items.last_mut().and_then(|i| i.blocks.last_mut())
        else {
            return false;
        };
        let Some(before) = self.pieces.get_mut(text.piece as usize) else {
            return false;
        };
        let adjacent = before.list.is_none() && before.part.0.end == whole.part.0.start;
        if !adjacent || !body[before.keep.clone()].starts_with("Table:") {
            return false;
        }
        before.part.0.end = whole.part.0.end;
        before.keep.end = range.end;
        text.range.end = range.end + offset;
        true
    }

    /// An agenda item's `##` heading, with its attribute block: the item it starts, with its
    /// anchor (`{#id}`, or one made from its words), checked against the page's others.
    fn start_item(
        &mut self,
        text: String,
        attributes: &scrutiny_plugin::markdown::HeadingAttributes,
        links: &[Range<usize>],
        html: Option<&Range<usize>>,
        range: &Range<usize>,
        diags: &mut Problems,
    ) {
        self.close_resolved(diags);
        let at = self.at(range);
        self.check_item_heading(links, html, &text, &at, diags);
        let id = match &attributes.id {
            Some(explicit) => {
                if self.item_ids.contains(explicit.as_str()) {
                    diags.error(
                        &at,
                        format!("two agenda items have the anchor `#{explicit}`"),
                        "give each item its own {#id}",
                    );
                } else if is_page_anchor(explicit) {
                    diags.error(
                        &at,
                        format!("the anchor `#{explicit}` is one the meeting page makes itself"),
                        "give the item another {#id}, such as {#item-4}",
                    );
                }
                explicit.to_string()
            }
            None => {
                let mut base = slug(&text);
                if is_page_anchor(&base) {
                    base = format!("item-{base}");
                }
                let mut candidate = base.clone();
                if self.item_ids.contains(&candidate) {
                    let n = self.next_suffix.entry(base.clone()).or_insert(2);
                    loop {
                        candidate = format!("{base}-{n}");
                        *n += 1;
                        if !self.item_ids.contains(&candidate) {
                            break;
                        }
                    }
                }
                candidate
            }
        };
        self.item_ids.insert(id.clone());
        self.resolutions = ItemResolutions::default();
        self.items.push(Item {
            id,
            heading: text,
            at,
            blocks: Vec::new(),
        });
    }

    /// An agenda item's heading is plain text: it names the item in lists, links and data.
    fn check_item_heading(
        &self,
        links: &[Range<usize>],
        html: Option<&Range<usize>>,
        text: &str,
        at: &Location,
        diags: &mut Problems,
    ) {
        if text.is_empty() {
            diags.error(
                at,
                "this agenda item has no heading",
                "write the item's title after `## `, e.g. `## 4. Children's Social Care Performance {#item-4}`",
            );
        }
        for span in links {
            diags.error(
                &self.at(span),
                "a link in an agenda item's heading",
                "write the heading as plain text and put the link in the item's text",
            );
        }
        // HTML once a heading: its closing tag adds nothing.
        if let Some(span) = html {
            diags.error(
                &self.at(span),
                "HTML in an agenda item's heading",
                "write the heading as plain text",
            );
        }
    }

    /// An attribute block (`{owner="…"}`, `{status="…"}`) belongs at the end of an `Action:` or
    /// `Action update:` paragraph; anywhere else the clerk's action would be lost as text.
    fn check_stray_attributes(&self, range: &Range<usize>, diags: &mut Problems) {
        let text = &self.body[range.clone()];
        // Where the next `}` is, found once for every `{` before it.
        let mut close: Option<Option<usize>> = None;
        for at in memchr::memchr_iter(b'{', text.as_bytes()) {
            let position = range.start + at;
            if self.is_verbatim(position) {
                continue;
            }
            let inner = text[at + 1..].trim_start();
            let key: &str = inner
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("");
            let after = inner[key.len()..].trim_start();
            if ATTRIBUTE_KEYS.contains(&key) && after.starts_with('=') {
                let next = match close {
                    Some(Some(found)) if found > at => Some(found),
                    Some(None) => None,
                    _ => {
                        let found = memchr::memchr(b'}', &text.as_bytes()[at..]).map(|e| at + e);
                        close = Some(found);
                        found
                    }
                };
                let end = next.map_or(text.len(), |e| e + 1);
                diags.error(
                    &self.at(&(range.start + at..range.start + end)),
                    "an attribute block outside an action: it would be shown as text",
                    "begin the paragraph with `Action:` (or `Action update:`), not inside a quote, table or nested list, and end it with the block",
                );
            }
        }
    }

    /// The links to actions within `text`, found by binary search (the links are by position).
    fn links_in(&self, text: &Range<usize>) -> impl Iterator<Item = &(Range<usize>, String)> {
        let first = self
            .links
            .partition_point(|(range, _)| range.start < text.start);
        self.links[first..]
            .iter()
            .take_while(|(range, _)| range.start < text.end)
            .filter(|(range, _)| range.end <= text.end)
    }

    /// Whether byte `position` of the body is in code or HTML.
    fn is_verbatim(&self, position: usize) -> bool {
        let before = self.verbatim.partition_point(|v| v.start <= position);
        before > 0 && self.verbatim_ends[before - 1] > position
    }

    /// Reads a paragraph (or the content of a list item) at `range`, the block `part`.
    fn paragraph(&mut self, range: Range<usize>, part: Part, diags: &mut Problems) {
        let raw = &self.body[range.clone()];
        let trimmed = raw.trim_end();
        let range = range.start..range.start + trimmed.len();
        let piece = |keep: Range<usize>| Piece {
            part: part.clone(),
            keep,
            list: None,
        };
        if let Some(rest) = keyword(trimmed, "RESOLVED") {
            self.close_resolved(diags);
            let marker = self.at(&(range.start..range.start + "RESOLVED".len()));
            self.resolved = Some((marker, Vec::new()));
            let rest_start = range.end - rest.len();
            if !rest.trim().is_empty() {
                let start = rest_start + (rest.len() - rest.trim_start().len());
                self.resolution(start..range.end, None, part, diags);
            }
            return;
        }
        if let Some(rest) = keyword(trimmed, "Action update") {
            self.set_resolutions_aside();
            self.update(
                range.end - rest.len()..range.end,
                &range,
                piece(0..0),
                diags,
            );
            return;
        }
        if let Some(rest) = keyword(trimmed, "Action") {
            self.set_resolutions_aside();
            self.action(
                range.end - rest.len()..range.end,
                &range,
                piece(0..0),
                diags,
            );
            return;
        }
        if self.resolved.is_some() && number_prefix(trimmed).is_some() {
            self.resolution(range, None, part, diags);
            return;
        }
        self.close_resolved(diags);
        self.check_stray_attributes(&range, diags);
        self.push_text(range.clone(), piece(range));
    }

    fn list(
        &mut self,
        block: &scrutiny_plugin::markdown::Block,
        items: &[ListItem],
        start: Option<u64>,
        diags: &mut Problems,
    ) {
        let range = block.range.clone();
        // Each list item: its whole range, where its content starts (after the marker), and
        // the item as a part of the text.
        let entries: Vec<(Range<usize>, usize, Part)> = items
            .iter()
            .map(|item| {
                let trimmed_end = item.range.start + self.body[item.range.clone()].trim_end().len();
                (
                    item.range.start..trimmed_end,
                    item.content.min(trimmed_end),
                    item.part.clone(),
                )
            })
            .collect();
        let special = |body: &str, (item, content, _): &(Range<usize>, usize, Part)| {
            let text = &body[*content..item.end];
            keyword(text, "Action").is_some() || keyword(text, "Action update").is_some()
        };
        if self.resolved.is_none() && !entries.iter().any(|e| special(self.body, e)) {
            self.close_resolved(diags);
            self.check_stray_attributes(&range, diags);
            let whole = Piece {
                part: block.part.clone(),
                keep: range.clone(),
                list: None,
            };
            self.push_text(range, whole);
            return;
        }
        for (n, entry) in entries.iter().enumerate() {
            let (item, content, part) = entry;
            if special(self.body, entry) {
                // An action ends the resolutions before it, as a paragraph would.
                self.paragraph(*content..item.end, part.clone(), diags);
            } else if self.resolved.is_some()
                && !(self.resolved_earlier
                    && start.is_none()
                    && number_prefix(&self.body[*content..item.end]).is_none())
            {
                // Every item of a list under RESOLVED is a resolution, numbered as written (the
                // list's marker, `2)` or `2.`); after an action among them, only a numbered one.
                let marker = self.body[item.start..*content].trim();
                let number = start.map(|_| marker.to_string());
                self.resolution(*content..item.end, number, part.clone(), diags);
            } else {
                self.close_resolved(diags);
                // An ordinary item among actions: a list of its own.
                self.check_stray_attributes(item, diags);
                let piece = Piece {
                    part: part.clone(),
                    keep: item.clone(),
                    list: Some(start.map(|s| s + n as u64)),
                };
                self.push_text(item.clone(), piece);
            }
        }
    }

    /// Adds a resolution whose text (with any number in front) is at `range`, in `part`.
    /// Unnumbered resolutions are numbered by their place among the item's resolutions.
    fn resolution(
        &mut self,
        range: Range<usize>,
        number: Option<String>,
        part: Part,
        diags: &mut Problems,
    ) {
        let text = &self.body[range.clone()];
        let (number, skip) = match (number_prefix(text), number) {
            (Some((written, skip)), _) => (written.to_string(), skip),
            (None, Some(number)) => (number, 0),
            (None, None) => (String::new(), 0),
        };
        if self.resolved.is_none() {
            return;
        }
        let item = self.items.last().expect("there is always an item");
        let written = !number.is_empty();
        let number = if written {
            number
        } else {
            (self.resolutions.count + 1).to_string()
        };
        let label = slug(&number);
        let mut anchor = if item.id.is_empty() {
            format!("resolution-{label}")
        } else {
            format!("{}-resolution-{label}", item.id)
        };
        let at = self.at(&range);
        let resolutions = &mut self.resolutions;
        if let Some((twin_number, twin_written)) = resolutions.anchors.get(&anchor) {
            if written && *twin_written {
                diags.error(
                    &at,
                    format!(
                        "two resolutions of this item are numbered `{}` (the other: `{}`)",
                        number, twin_number
                    ),
                    "number each resolution of an item differently, so that each has its own link",
                );
            } else {
                // A number made from a position met a written one: the anchor alone differs.
                let base = anchor.clone();
                let n = resolutions.next_suffix.entry(base.clone()).or_insert(2);
                loop {
                    anchor = format!("{base}-{n}");
                    *n += 1;
                    if !resolutions.anchors.contains_key(&anchor) {
                        break;
                    }
                }
            }
        }
        resolutions.count += 1;
        resolutions
            .anchors
            .entry(anchor.clone())
            .or_insert_with(|| (number.clone(), written));
        let piece = self.piece(Piece {
            part,
            keep: range.start + skip..range.end,
            list: None,
        });
        let resolution = Resolution {
            number,
            written,
            text: range.start + skip + self.offset..range.end + self.offset,
            anchor,
            draft: StoredDraft::default(),
            summary: String::new(),
            piece,
        };
        if let Some((_, resolutions)) = self.resolved.as_mut() {
            resolutions.push(resolution);
        }
    }

    /// An action or update among resolutions: the resolutions so far go before it, and the
    /// block stays open for any that follow.
    fn set_resolutions_aside(&mut self) {
        let Some((_, resolutions)) = self.resolved.as_mut() else {
            return;
        };
        if resolutions.is_empty() {
            return;
        }
        let list = std::mem::take(resolutions);
        self.resolved_earlier = true;
        self.item().blocks.push(Block::Resolutions(list));
    }

    fn close_resolved(&mut self, diags: &mut Problems) {
        let earlier = std::mem::take(&mut self.resolved_earlier);
        if let Some((marker, resolutions)) = self.resolved.take() {
            if resolutions.is_empty() && earlier {
                // Every resolution went before an action or update.
            } else if resolutions.is_empty() {
                diags.error(
                    &marker,
                    "this RESOLVED block has no resolution in it",
                    "follow RESOLVED: with the resolutions, each a paragraph or list item beginning with its number (`1.1 That Members …`), or write `RESOLVED: text` on one line",
                );
            } else {
                self.item().blocks.push(Block::Resolutions(resolutions));
            }
        }
    }

    /// An `Action:` whose text after the keyword is at `rest` (paragraph at `whole`).
    fn action(
        &mut self,
        rest: Range<usize>,
        whole: &Range<usize>,
        mut piece: Piece,
        diags: &mut Problems,
    ) {
        self.actions += 1;
        let (text, attributes) = self.attributes(rest, &["owner", "due", "id"], diags);
        piece.keep = text.clone();
        if self.body[text.clone()]
            .trim_matches(['*', '_', ' '])
            .is_empty()
        {
            diags.error(
                &self.at(whole),
                "this action says nothing: there is no text after `Action:`",
                "write what is to be done after `Action:`, e.g. `Action: Provide the number of UASC transferred out of the borough.`",
            );
        }
        let piece = self.piece(piece);
        let mut action = Action {
            id: format!("{}-{}", self.action_prefix, self.actions),
            text: self.absolute(text),
            owner: None,
            due: None,
            at: self.at(whole),
            anchor: String::new(),
            draft: Draft::default(),
            piece,
        };
        for (key, value, at) in attributes {
            match key.as_str() {
                "owner" => action.owner = Some(value),
                "due" => match Date::parse(&value) {
                    Ok(_) => action.due = Some(value),
                    Err(why) => diags.error(
                        &at,
                        format!("due date: {why}"),
                        "write the due date as due=YYYY-MM-DD",
                    ),
                },
                _ => match scrutiny_plugin::name::check(&value) {
                    Ok(()) => action.id = value,
                    Err(bad) => diags.error(
                        &at,
                        format!(
                            "the action id `{value}` {}: it names the action's address",
                            bad.problem
                        ),
                        bad.hint("the id"),
                    ),
                },
            }
        }
        action.anchor = format!("action-{}", action.id);
        self.item().blocks.push(Block::Action(Box::new(action)));
    }

    /// An `Action update:` whose text after the keyword is at `rest` (paragraph at `whole`).
    fn update(
        &mut self,
        rest: Range<usize>,
        whole: &Range<usize>,
        mut piece: Piece,
        diags: &mut Problems,
    ) {
        let (text, attributes) = self.attributes(rest, &["status"], diags);
        piece.keep = text.clone();
        let Some((action, action_at)) = self.updated_action(&text, whole, diags) else {
            return;
        };
        let Some(status) = update_status(&attributes, &self.at(whole), diags) else {
            return;
        };
        // Stable: the action's id, numbered only when one meeting updates it twice.
        let updates = self.updates.entry(action.clone()).or_default();
        let earlier = *updates;
        *updates += 1;
        let anchor = if earlier == 0 {
            format!("update-{action}")
        } else {
            format!("update-{action}-{}", earlier + 1)
        };
        let text = self.absolute(text);
        let piece = self.piece(piece);
        self.item().blocks.push(Block::Update(Box::new(Update {
            action,
            action_at,
            status,
            text,
            anchor,
            draft: Draft::default(),
            piece,
        })));
    }

    /// The action an update's text links (however the link is written), with where the link
    /// writes its id; an error if it links none, or more than one, or one written otherwise.
    fn updated_action(
        &self,
        text: &Range<usize>,
        whole: &Range<usize>,
        diags: &mut Problems,
    ) -> Option<(String, Location)> {
        // The action it updates is the one its text links, however the link is written.
        let linked: Vec<(Range<usize>, &str)> = self
            .links_in(text)
            .filter_map(|(range, dest)| Some((range.clone(), dest.strip_prefix("action:")?)))
            .collect();
        let Some((link, dest)) = linked.first() else {
            // A link to an action written in look-alike letters, upper case or percent-encoding.
            let otherwise = self.links_in(text).find_map(|(range, dest)| {
                let found = scrutiny_plugin::xref::scheme_written_otherwise(dest, &["action"])?;
                Some((range, dest, found))
            });
            if let Some((range, dest, found)) = otherwise {
                diags.error(
                    &self.at(range),
                    format!("`{dest}` is not read as a link to an action: {}", found.why),
                    format!("write `{}`", found.plain),
                );
                return None;
            }
            diags.error(
                &self.at(whole),
                "an action update must link the action it updates",
                "link the action in the text, e.g. `Action update: [the UASC figures](action:uasc-transfers) were provided. {status=\"done\"}`",
            );
            return None;
        };
        if let Some((second, _)) = linked.get(1) {
            diags.error(
                &self.at(second),
                "an action update links more than one action: only one would be updated",
                "write one `Action update:` paragraph for each action, each with its own {status=\"…\"}",
            );
        }
        let action = dest.split('#').next().unwrap_or_default().to_string();
        // Point at the id where the link writes it (`](action:ID`), else at the whole link.
        let raw = &self.body[link.clone()];
        let action_at = match raw.find("](action:") {
            Some(at) => {
                let start = link.start + at + "](action:".len();
                self.at(&(start..start + action.len()))
            }
            None => self.at(link),
        };
        Some((action, action_at))
    }

    /// Splits a trailing attribute block off `range`, checking its keys against `allowed`.
    /// Returns the text before the block and the pairs with their locations.
    fn attributes(
        &self,
        range: Range<usize>,
        allowed: &[&str],
        diags: &mut Problems,
    ) -> (Range<usize>, Vec<(String, String, Location)>) {
        let raw = &self.body[range.clone()];
        let lead = raw.len() - raw.trim_start().len();
        let start = range.start + lead;
        match trailing_block(&self.body[start..range.end]) {
            Ok(None) => (start..range.end, Vec::new()),
            Ok(Some(block)) => {
                let mut pairs = Vec::new();
                for attribute in block.attributes {
                    let at = self.at(&(start + attribute.span.start..start + attribute.span.end));
                    if allowed.contains(&attribute.key.as_str()) {
                        pairs.push((attribute.key, attribute.value, at));
                    } else {
                        diags.error(
                            &at,
                            format!("`{}` is not an attribute here", attribute.key),
                            format!("the attributes here are: {}", allowed.join(", ")),
                        );
                    }
                }
                let text_end = start + self.body[start..start + block.start].trim_end().len();
                (start..text_end, pairs)
            }
            Err(malformed) => {
                diags.error(
                    &self.at(&(start + malformed.span.start..start + malformed.span.end)),
                    malformed.message,
                    "write the attribute block as {owner=\"Janet Simon\" due=2025-01-31 id=\"uasc-transfers\"} (or {status=\"done\"} for an update)",
                );
                let cut = start + malformed.span.start;
                (
                    start..start + self.body[start..cut].trim_end().len(),
                    Vec::new(),
                )
            }
        }
    }
}

impl Reader<'_> {
    /// The page's ids (items, resolutions, actions, updates): known before any piece is
    /// drafted, so a heading in the text never takes an anchor an item needs.
    fn page_ids(&self) -> PageIds {
        let mut ids: PageIds = ["main", "linked-from", "meeting-data"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for item in &self.items {
            ids.reserve(item.id.clone());
            for block in &item.blocks {
                match block {
                    Block::Resolutions(list) => ids.extend(list.iter().map(|r| r.anchor.clone())),
                    Block::Action(a) => {
                        ids.reserve(a.anchor.clone());
                    }
                    Block::Update(u) => {
                        ids.reserve(u.anchor.clone());
                    }
                    Block::Text(_) => {}
                }
            }
        }
        ids
    }

    /// Every piece to draft, in the order of the items' blocks.
    fn pieces(&self) -> Vec<Piece> {
        let piece = |n: u32| self.pieces.get(n as usize).cloned().unwrap_or_default();
        let mut pieces = Vec::new();
        for block in self.items.iter().flat_map(|i| i.blocks.iter()) {
            match block {
                Block::Text(text) => pieces.push(piece(text.piece)),
                Block::Resolutions(list) => pieces.extend(list.iter().map(|r| piece(r.piece))),
                Block::Action(action) => pieces.push(piece(action.piece)),
                Block::Update(update) => pieces.push(piece(update.piece)),
            }
        }
        pieces
    }
}

/// An update's status, from its attribute block; an error at the update (`whole`) when it
/// gives none, or at the value when it is not a status.
fn update_status(
    attributes: &[(String, String, Location)],
    whole: &Location,
    diags: &mut Problems,
) -> Option<Status> {
    let status = attributes.iter().find(|(k, _, _)| k == "status");
    let Some((_, value, at)) = status else {
        diags.error(
            whole,
            "an action update must end with its status",
            format!(
                "end the paragraph with {{status=\"done\"}}; statuses: {}",
                STATUSES.join(", ")
            ),
        );
        return None;
    };
    let Some(status) = Status::parse(value) else {
        let statuses = format!("The statuses are: {}", STATUSES.join(", "));
        let close = scrutiny_plugin::xref::nearest(value, STATUSES.to_vec());
        diags.error(
            at,
            format!("`{value}` is not an action status"),
            match close.first() {
                Some(status) => format!("did you mean `{status}`? {statuses}"),
                None => statuses,
            },
        );
        return None;
    };
    Some(status)
}

/// If `text` begins with `word` followed by `:` or the end, what follows. The word is matched
/// in any case before a colon (`Resolved:`, `ACTION:`); without one it must be written as given
/// or in capitals. `RESOLVED` in capitals may also be followed by a full stop, a dash or a space.
fn keyword<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let start = strip_emphasis(text.trim_start());
    // Most paragraphs begin with another letter: settled on the first byte.
    if !start
        .as_bytes()
        .first()?
        .eq_ignore_ascii_case(&word.as_bytes()[0])
    {
        return None;
    }
    let head = start.get(..word.len())?;
    if !head.eq_ignore_ascii_case(word) {
        return None;
    }
    let as_written = head == word || !head.bytes().any(|b| b.is_ascii_lowercase());
    let rest = strip_emphasis(&start[word.len()..]);
    if let Some(after) = rest.strip_prefix(':') {
        return Some(strip_emphasis(after));
    }
    if !as_written {
        return None;
    }
    if rest.is_empty() {
        return Some(rest);
    }
    if word == "RESOLVED" && head == "RESOLVED" {
        for separator in [".", " –", " —", " -"] {
            if let Some(after) = rest.strip_prefix(separator) {
                return Some(strip_emphasis(after.trim_start()));
            }
        }
        if rest.starts_with(char::is_whitespace) {
            return Some(rest);
        }
    }
    None
}

/// `text` without the `*` or `_` of bold or italics at its start.
fn strip_emphasis(text: &str) -> &str {
    text.trim_start_matches(['*', '_'])
}

/// A resolution number at the start of `text` (`1.1`, `1)`, `2.`, `(a)`, `a)`, `A.`, `(iv)`,
/// `viii)`), and how many bytes it and the space after it take.
pub fn number_prefix(text: &str) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    let mut end = 0;
    if bytes.first() == Some(&b'(') {
        let close = text.find(')')?;
        let label = &text[1..close];
        let short =
            (1..=3).contains(&label.len()) && label.chars().all(|c| c.is_ascii_alphanumeric());
        if !short && !is_roman(label) {
            return None;
        }
        end = close + 1;
    } else if bytes.first().is_some_and(|b| b.is_ascii_digit()) {
        while end < bytes.len()
            && (bytes[end].is_ascii_digit()
                || (bytes[end] == b'.' && bytes.get(end + 1).is_some_and(|b| b.is_ascii_digit())))
        {
            end += 1;
        }
        if end < bytes.len() && (bytes[end] == b'.' || bytes[end] == b')') {
            end += 1;
        }
    } else {
        // A letter or a roman numeral, then `)` or `.`.
        let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let label = &text[..letters];
        if !(letters == 1 || is_roman(label)) || !matches!(bytes.get(letters), Some(b')' | b'.')) {
            return None;
        }
        end = letters + 1;
    }
    let rest = &text[end..];
    let space = rest.len() - rest.trim_start().len();
    if space == 0 {
        return None;
    }
    Some((&text[..end], end + space))
}

/// A roman numeral of up to eight letters, all lower or all upper case (`iv`, `VIII`).
fn is_roman(label: &str) -> bool {
    (1..=8).contains(&label.len())
        && (label.chars().all(|c| "ivxlc".contains(c))
            || label.chars().all(|c| "IVXLC".contains(c)))
}

/// An anchor the meeting page gives something else: its landmarks, and the anchors made for
/// headings, resolutions, actions and updates.
fn is_page_anchor(id: &str) -> bool {
    [
        "main",
        "linked-from",
        "linked-from-heading",
        "meeting-data",
        "top",
    ]
    .contains(&id)
        || id.starts_with("action-")
        || id.starts_with("update-")
        || id.starts_with("resolution-")
        || id.contains("-resolution-")
        || id.ends_with("-heading")
}

/// The keys of attribute blocks (actions' and updates').
const ATTRIBUTE_KEYS: [&str; 4] = ["owner", "due", "id", "status"];

#[cfg(test)]
mod tests {
    use super::*;
    use scrutiny_plugin::diag::Diagnostics;

    fn read(body: &str) -> (Vec<Item>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let file = diags.add_file("m.md", body);
        let schemes =
            scrutiny_plugin::xref::Schemes::new(["report", "indicator", "meeting", "action"]);
        let page = DraftContext {
            base_path: "/",
            page_path: "minutes/osc/2022-11-17/",
            schemes: &schemes,
        };
        let source = Source {
            file,
            text: body,
            offset: 0,
        };
        let engine = scrutiny_core::outline::Engine;
        let items = parse(
            source,
            "osc-2022-11-17",
            &page,
            &engine,
            store(),
            &mut diags,
        );
        (items, diags)
    }

    /// The store of every test's drafts.
    fn store() -> &'static DraftStore {
        static STORE: std::sync::OnceLock<DraftStore> = std::sync::OnceLock::new();
        STORE.get_or_init(DraftStore::in_memory)
    }

    /// A stored draft's HTML.
    fn stored_html(draft: &StoredDraft) -> String {
        draft.load(store()).unwrap().html.html
    }

    /// The HTML of every piece, in order.
    fn html(items: &[Item]) -> Vec<String> {
        let mut out = Vec::new();
        for block in items.iter().flat_map(|i| i.blocks.iter()) {
            match block {
                Block::Text(t) => out.push(stored_html(&t.draft)),
                Block::Resolutions(list) => out.extend(list.iter().map(|r| stored_html(&r.draft))),
                Block::Action(a) => out.push(a.draft.html.html.clone()),
                Block::Update(u) => out.push(u.draft.html.html.clone()),
            }
        }
        out
    }

    #[test]
    fn pieces_are_drafted_without_keywords_numbers_or_attributes() {
        let body = "## Item {#item-1}\n\nSee [the minutes][m] and *this*.\n\n**RESOLVED:** That the *report* be noted.\n\nRESOLVED:\n\n1. That Members\n   review it.\n2. That [it](/a) ends.\n\nAction: Send *the* figures. {owner=\"Janet Simon\"}\n\n- A point.\n- Action: Another thing.\n\n[m]: https://example.org/m\n";
        let (items, diags) = read(body);
        assert!(!diags.has_errors(), "{}", diags.render());
        assert_eq!(
            html(&items),
            [
                "<p>See <a href=\"https://example.org/m\">the minutes</a> and <em>this</em>.</p>\n",
                "<p>That the <em>report</em> be noted.</p>\n",
                "<p>That Members\nreview it.</p>\n",
                "<p>That <a href=\"/a\">it</a> ends.</p>\n",
                "<p>Send <em>the</em> figures.</p>\n",
                "<ul>\n<li>A point.</li>\n</ul>\n",
                "<p>Another thing.</p>\n",
            ]
        );
        let Block::Action(action) = &items[0].blocks[3] else {
            panic!()
        };
        assert_eq!(action.draft.text, "Send the figures.");
    }

    #[test]
    fn a_cut_inside_markup_keeps_the_markup() {
        // The bold runs over the keyword: what follows it stays bold, with nothing left over.
        let (items, diags) = read(
            "## Item\n\n**RESOLVED: That the report be noted.**\n\n*Action: Send the [figures](/f).* {id=\"send\"}\n",
        );
        assert!(!diags.has_errors(), "{}", diags.render());
        assert_eq!(
            html(&items),
            [
                "<p><strong>That the report be noted.</strong></p>\n",
                "<p><em>Send the <a href=\"/f\">figures</a>.</em></p>\n"
            ]
        );
    }

    #[test]
    fn cross_references_wait_for_the_index() {
        let (items, diags) = read(
            "## Item\n\nAction update: [the figures](action:uasc-transfers) were sent. {status=\"done\"}\n",
        );
        assert!(!diags.has_errors(), "{}", diags.render());
        let Block::Update(update) = &items[0].blocks[0] else {
            panic!()
        };
        assert_eq!(update.draft.links.len(), 1);
        assert_eq!(update.draft.links[0].reference, "action:uasc-transfers");
        let html = update.draft.fill_links(&["/actions/#x".to_string()]);
        assert_eq!(
            html,
            "<p><a href=\"/actions/#x\">the figures</a> were sent.</p>\n"
        );
    }

    #[test]
    fn control_characters_are_refused() {
        let (_, diags) = read("## Item\n\nText\u{7}here.\n");
        let text = diags.render();
        assert!(text.contains("m.md:3:5"), "{text}");
        assert!(text.contains("U+0007"), "{text}");
    }

    #[test]
    fn numbers_of_resolutions() {
        assert_eq!(number_prefix("1.1 That Members"), Some(("1.1", 4)));
        assert_eq!(number_prefix("1)    That the Committee"), Some(("1)", 6)));
        assert_eq!(number_prefix("2. That"), Some(("2.", 3)));
        assert_eq!(number_prefix("(a) That"), Some(("(a)", 4)));
        assert_eq!(number_prefix("1.1That"), None);
        assert_eq!(number_prefix("Members"), None);
        assert_eq!(number_prefix("2022 was"), Some(("2022", 5)));
    }

    #[test]
    fn items_resolutions_actions_and_updates() {
        let body = "## 7. Performance {#item-7}\n\nText about [it](report:2022-23/q2).\n\nRESOLVED:\n\n1.1 That Members review.\n\n1.2 That Members note.\n\nAction: Provide the figures. {owner=\"Janet Simon\" id=\"uasc-transfers\"}\n\n- A point.\n- Action: Another thing.\n\nAction update: [the figures](action:uasc-transfers) were sent. {status=\"done\"}\n";
        let (items, diags) = read(body);
        assert!(!diags.has_errors(), "{}", diags.render());
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].id, "item-7");
        let kinds: Vec<&str> = items[0]
            .blocks
            .iter()
            .map(|b| match b {
                Block::Text(_) => "text",
                Block::Resolutions(_) => "resolutions",
                Block::Action(_) => "action",
                Block::Update(_) => "update",
            })
            .collect();
        assert_eq!(
            kinds,
            ["text", "resolutions", "action", "text", "action", "update"]
        );
        let Block::Resolutions(r) = &items[0].blocks[1] else {
            panic!()
        };
        assert_eq!(r[1].number, "1.2");
        assert_eq!(&body[r[1].text.clone()], "That Members note.");
        assert_eq!(r[1].anchor, "item-7-resolution-1-2");
        let Block::Action(a) = &items[0].blocks[2] else {
            panic!()
        };
        assert_eq!(
            (a.id.as_str(), a.owner.as_deref()),
            ("uasc-transfers", Some("Janet Simon"))
        );
        assert_eq!(&body[a.text.clone()], "Provide the figures.");
        let Block::Action(b) = &items[0].blocks[4] else {
            panic!()
        };
        assert_eq!(b.id, "osc-2022-11-17-2");
        let Block::Update(u) = &items[0].blocks[5] else {
            panic!()
        };
        assert_eq!(
            (u.action.as_str(), u.status),
            ("uasc-transfers", Status::Done)
        );
    }

    #[test]
    fn an_action_in_a_list_ends_the_resolutions() {
        let (items, diags) = read(
            "## Item\n\nRESOLVED:\n\n- (a) That X.\n- (b) That Y.\n- Action: Send Z. {id=\"z\"}\n- A point after it.\n",
        );
        assert!(!diags.has_errors(), "{}", diags.render());
        let kinds: Vec<&str> = items[0]
            .blocks
            .iter()
            .map(|b| match b {
                Block::Resolutions(r) => {
                    if r.len() == 2 {
                        "two resolutions"
                    } else {
                        "resolutions"
                    }
                }
                Block::Action(a) if a.id == "z" => "action z",
                Block::Action(_) => "action",
                Block::Update(_) => "update",
                Block::Text(_) => "text",
            })
            .collect();
        assert_eq!(kinds, ["two resolutions", "action z", "text"]);
    }

    #[test]
    fn one_line_resolved_and_resolved_heading() {
        let (items, diags) = read(
            "## Item\n\nRESOLVED: No recommendations were contained within the report.\n\n### Resolved\n\n(a) That X.\n",
        );
        assert!(!diags.has_errors(), "{}", diags.render());
        let Block::Resolutions(r) = &items[0].blocks[0] else {
            panic!()
        };
        assert_eq!(r[0].number, "1");
        let Block::Resolutions(r) = &items[0].blocks[1] else {
            panic!()
        };
        assert_eq!(r[0].number, "(a)");
    }

    #[test]
    fn errors_are_located() {
        let (_, diags) = read(
            "## Item\n\nRESOLVED:\n\nMembers discussed.\n\nAction update: [x](action:a) {status=\"finished\"}\n\nAction: y {owner=\"Janet}\n\nAction update: nothing linked {status=\"done\"}\n",
        );
        let text = diags.render();
        assert!(text.contains("m.md:3:1"), "{text}");
        assert!(text.contains("no resolution"), "{text}");
        assert!(
            text.contains("`finished` is not an action status"),
            "{text}"
        );
        assert!(text.contains("m.md:7:31"), "{text}");
        assert!(text.contains("m.md:9:12"), "{text}");
        assert!(text.contains("must link the action"), "{text}");
        assert_eq!(diags.error_count(), 4, "{text}");
    }

    /// The kinds of an item's blocks, with each resolution block's numbers.
    fn kinds(item: &Item) -> Vec<String> {
        item.blocks
            .iter()
            .map(|b| match b {
                Block::Text(_) => "text".to_string(),
                Block::Resolutions(list) => {
                    let numbers: Vec<&str> = list.iter().map(|r| r.number.as_str()).collect();
                    format!("resolutions {}", numbers.join(" "))
                }
                Block::Action(a) => format!("action {}", a.id),
                Block::Update(u) => format!("update {}", u.action),
            })
            .collect()
    }

    #[test]
    fn keywords_as_minutes_print_them() {
        let (items, diags) = read(
            "## Item\n\nResolved: That A.\n\nRESOLVED. That B.\n\nRESOLVED – That C.\n\nACTION: Send D. {id=\"d\"}\n\nACTION UPDATE: [D](action:d) sent. {status=\"done\"}\n\nResolved that nothing else be said.\n\nActions: none.\n",
        );
        assert!(!diags.has_errors(), "{}", diags.render());
        assert_eq!(
            kinds(&items[0]),
            [
                "resolutions 1",
                "resolutions 2",
                "resolutions 3",
                "action d",
                "update d",
                "text",
                "text"
            ]
        );
        assert_eq!(html(&items)[2], "<p>That C.</p>\n");
    }

    #[test]
    fn resolution_numbers_as_minutes_write_them() {
        for (text, number) in [
            ("(viii) That", "(viii)"),
            ("(iv) That", "(iv)"),
            ("A) That", "A)"),
            ("i. That", "i."),
            ("iv) That", "iv)"),
            ("(IX) That", "(IX)"),
        ] {
            assert_eq!(number_prefix(text).map(|(n, _)| n), Some(number), "{text}");
        }
        assert_eq!(number_prefix("An officer said"), None);
        assert_eq!(number_prefix("(four) That"), None);
        assert_eq!(number_prefix("Members) said"), None);
    }

    #[test]
    fn resolutions_continue_after_an_action_among_them() {
        let (items, diags) = read(
            "## Item\n\nRESOLVED:\n\n1. That one.\n2. Action: do x. {id=\"x\"}\n3. That three.\n\nAction: do y. {id=\"y\"}\n\n4. That four.\n\nMembers noted it.\n\n5. Not a resolution.\n",
        );
        assert!(!diags.has_errors(), "{}", diags.render());
        assert_eq!(
            kinds(&items[0]),
            [
                "resolutions 1.",
                "action x",
                "resolutions 3.",
                "action y",
                "resolutions 4.",
                "text",
                "text"
            ]
        );
    }

    #[test]
    fn each_resolution_of_an_item_has_its_own_anchor() {
        // Numbers made from positions never take a written number's anchor.
        let (items, diags) = read(
            "## 1. Budget {#item-1}\n\nRESOLVED: That A.\n\nText.\n\nRESOLVED: That B.\n\nRESOLVED:\n\n1 That C.\n",
        );
        assert!(!diags.has_errors(), "{}", diags.render());
        let anchors: Vec<&str> = items[0]
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Resolutions(list) => Some(list.iter().map(|r| r.anchor.as_str())),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(
            anchors,
            [
                "item-1-resolution-1",
                "item-1-resolution-2",
                "item-1-resolution-1-2"
            ]
        );
        // Two written numbers alike are the clerk's to mend.
        let (_, diags) = read("## 1 {#item-1}\n\nRESOLVED:\n\n1.1 That A.\n\n1.1 That B.\n");
        let text = diags.render();
        assert!(text.contains("m.md:7:1"), "{text}");
        assert!(text.contains("numbered `1.1`"), "{text}");
    }

    #[test]
    fn item_headings_are_plain_text_with_anchors_of_their_own() {
        let (_, diags) = read(
            "# Minutes\n\n## See [x](report:nope) <b>now</b> {#item-1}\n\n##\n\nText.\n\n## Matters {#main}\n\n## More {#action-foo}\n",
        );
        let text = diags.render();
        assert!(
            text.contains("m.md:1:1") && text.contains("level-1 heading"),
            "{text}"
        );
        assert!(
            text.contains("m.md:3:8") && text.contains("a link in an agenda item"),
            "{text}"
        );
        assert!(
            text.contains("m.md:3:25") && text.contains("HTML in an agenda item"),
            "{text}"
        );
        assert!(
            text.contains("m.md:5:1") && text.contains("no heading"),
            "{text}"
        );
        assert!(
            text.contains("m.md:9:1") && text.contains("`#main` is one the meeting page makes"),
            "{text}"
        );
        assert!(
            text.contains("m.md:11:1") && text.contains("`#action-foo`"),
            "{text}"
        );
        assert_eq!(diags.error_count(), 6, "{text}");
        // A heading whose slug the page uses is given another.
        let (items, diags) = read("## Main\n\nText.\n");
        assert!(!diags.has_errors(), "{}", diags.render());
        assert_eq!(items[0].id, "item-main");
    }

    #[test]
    fn an_update_links_one_action_however_the_link_is_written() {
        let (items, diags) = read(
            "## Item\n\nAction update: [the figures][f] were sent. {status=\"done\"}\n\nAction update: <action:b> is under way. {status=\"in-progress\"}\n\n[f]: action:a\n",
        );
        assert!(!diags.has_errors(), "{}", diags.render());
        assert_eq!(kinds(&items[0]), ["update a", "update b"]);
        let (_, diags) = read(
            "## Item\n\nAction update: [one](action:a) and [two](action:b) are done. {status=\"done\"}\n",
        );
        let text = diags.render();
        assert!(
            text.contains("m.md:3:36") && text.contains("more than one action"),
            "{text}"
        );
    }

    #[test]
    fn attribute_blocks_away_from_an_action_are_errors() {
        let (_, diags) = read(
            "## Item\n\n> Action: x {owner=\"B\"}\n\nTable: t\n\n| a |\n|---|\n| Action: y {due=2023-01-01} |\n\n- point\n  - Action: z {id=\"z\"}\n\nA note {status=\"done\"} in passing, and `{owner=\"code\"}` as code.\n\nAction:\n",
        );
        let text = diags.render();
        for at in ["m.md:3:13", "m.md:9:13", "m.md:12:15", "m.md:14:8"] {
            assert!(text.contains(at), "{at}: {text}");
        }
        assert!(
            text.contains("m.md:16:1") && text.contains("this action says nothing"),
            "{text}"
        );
        assert_eq!(diags.error_count(), 5, "{text}");
    }

    #[test]
    fn random_clerk_input_never_panics() {
        // Pieces of minutes, HTML and Markdown put together at random (a fixed seed, so a
        // failure repeats): the reader may refuse them, never panic. (The shipped files edited
        // at random go through the whole build in the command line's fuzz test.)
        use scrutiny_mutate::{Rng, TOKENS};
        let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2000 {
            let mut body = String::from("## 1. Item {#item-1}\n\n");
            for _ in 0..12 {
                for _ in 0..1 + rng.below(25) {
                    body.push_str(rng.pick(TOKENS));
                }
                body.push_str("\n\n");
            }
            let _ = read(&body);
        }
    }

    #[test]
    fn items_of_one_name_take_the_next_free_anchor() {
        let (items, diags) = read(
            "## Budget\n\nA.\n\n## Budget two {#budget-3}\n\nB.\n\n## Budget\n\nC.\n\n## Budget\n\nD.\n\n## Budget\n\nE.\n",
        );
        assert!(!diags.has_errors(), "{}", diags.render());
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            ["budget", "budget-3", "budget-2", "budget-4", "budget-5"]
        );
    }

    #[test]
    fn footnotes_are_refused() {
        let (_, diags) = read("## Item\n\nFigures.[^1]\n\n[^1]: From the report.\n");
        let text = diags.render();
        assert!(
            text.contains("m.md:3:9") && text.contains("a footnote in minutes"),
            "{text}"
        );
        assert!(text.contains("m.md:5:1"), "{text}");
        assert_eq!(diags.error_count(), 2, "{text}");
    }

    #[test]
    fn a_table_takes_the_caption_before_it_and_resolutions_keep_their_written_numbers() {
        let (items, diags) = read(
            "## Item\n\nTable: Who does what\n\n| Who | What |\n|---|---:|\n| Janet | 2 |\n\nRESOLVED:\n\n1) That A.\n2) That B.\n",
        );
        assert_eq!(diags.error_count(), 0);
        let html = html(&items);
        assert!(
            html[0].starts_with("<table><caption>Who does what</caption><thead>"),
            "{html:?}"
        );
        let Block::Resolutions(list) = &items[0].blocks[1] else {
            panic!("{:?}", items[0].blocks);
        };
        let numbers: Vec<&str> = list.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(numbers, ["1)", "2)"]);
    }

    #[test]
    fn a_rule_is_not_put_in_a_paragraph() {
        let (items, diags) = read("## Item\n\nOne.\n\n---\n\nTwo.\n");
        assert!(!diags.has_errors(), "{}", diags.render());
        assert_eq!(html(&items), ["<p>One.</p>\n", "<hr />\n", "<p>Two.</p>\n"]);
    }
}

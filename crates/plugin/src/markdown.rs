//! Markdown as a plugin sees it: front matter split from the body, and text drafted to HTML
//! by the driver ([`Draft`]), whose cross-references are filled in once every page that can be
//! linked to is known ([`Draft::resolve`]). A plugin never sees the Markdown parser's events.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::chars::shown;
use crate::diag::{FileId, Location, Problems};
use crate::xref::{Backlink, Schemes, XrefIndex};

/// The parts of a content file: optional TOML front matter between `+++` lines, then the body.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// Front matter text and its byte offset in the file, if the file has front matter.
    pub front_matter: Option<(&'a str, usize)>,
    /// The Markdown body.
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Why a file's front matter cannot be read: the message, a hint, and the byte range in the
/// file it is about. It converts to its message, for callers that give their own hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// Where, in the file.
    pub span: Range<usize>,
}

impl From<FrontMatterError> for String {
    fn from(error: FrontMatterError) -> String {
        error.message
    }
}

impl std::fmt::Display for FrontMatterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Splits `+++` front matter from the body. The file may start with a byte-order mark (as
/// Windows Notepad writes) and blank lines, and the `+++` lines may end in spaces or tabs; the
/// offsets returned count from the file's start. An opening `+++` with no closing one is an
/// error, and so is YAML front matter between `---` lines.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let no_front_matter = Split {
        front_matter: None,
        body: &text[start..],
        body_offset: start,
    };
    // The first line that is not blank, and the line number it is on.
    let mut offset = start;
    let mut line_number = 1;
    let mut opening = None;
    for line in text[start..].split_inclusive('\n') {
        if !line.trim().is_empty() {
            opening = Some(line);
            break;
        }
        offset += line.len();
        line_number += 1;
    }
    let Some(opening) = opening else {
        return Ok(no_front_matter);
    };
    let marker = opening
        .trim_end_matches(['\n', '\r'])
        .trim_end_matches([' ', '\t']);
    if marker == "---" {
        // Counted from the file's start, so that a byte-order mark before it still reads 1:1.
        let from = if line_number == 1 { 0 } else { offset };
        return Err(FrontMatterError {
            message: "this file starts with YAML front matter between `---` lines, but front matter here is TOML between `+++` lines".into(),
            hint: "write `+++` in place of each `---`, and each setting as TOML: `title = \"…\"` in place of `title: …`".into(),
            span: from..offset + 3,
        });
    }
    if marker != "+++" || !opening.ends_with('\n') {
        return Ok(no_front_matter);
    }
    let front_start = offset + opening.len();
    let mut end = front_start;
    for line in text[front_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_offset = end + line.len();
            return Ok(Split {
                front_matter: Some((&text[front_start..end], front_start)),
                body: &text[body_offset..],
                body_offset,
            });
        }
        end += line.len();
    }
    Err(FrontMatterError {
        message: format!("the front matter opened by `+++` on line {line_number} is never closed"),
        hint: "close the front matter with a line `+++`".into(),
        span: offset..offset + 3,
    })
}

/// What a page's Markdown needs to know to render: where it lives and what it may link to.
pub struct MarkdownContext<'a> {
    /// Every cross-reference target of the site.
    pub xrefs: &'a XrefIndex,
    /// Where the page is: its base path and site path.
    pub page: DraftContext<'a>,
    /// Title of the page being rendered (for backlinks).
    pub page_title: &'a str,
}

/// A heading found while rendering.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its `id` in the page.
    pub id: String,
    /// Its text.
    pub text: String,
}

/// A place in draft HTML that the renderer fills in later.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum Slot {
    /// The address of the `n`th cross-reference link of the text (inside `href="…"`).
    Link(usize),
    /// Where the chart of an indicator goes: `![caption](chart:ID)` as a paragraph of its own.
    Chart(String),
    /// Where a report's sections go: the line `<!-- sections -->` of its `index.md`.
    Sections,
}

/// HTML with the places the renderer fills in later. The places are kept beside the HTML,
/// never written into it, so nothing a content file holds can forge one or pass for one.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SlottedHtml {
    /// The HTML, without what the slots will hold.
    pub html: String,
    /// Byte offsets into `html`, in increasing order, and what goes there.
    pub slots: Vec<(usize, Slot)>,
}

impl SlottedHtml {
    /// The HTML with each slot that `fill` gives HTML for filled in; a slot `fill` gives
    /// `None` for is kept, at its new offset. What `fill` gives is written as it is: escape
    /// it first.
    pub fn fill(&self, mut fill: impl FnMut(&Slot) -> Option<String>) -> SlottedHtml {
        let mut out = SlottedHtml {
            html: String::with_capacity(self.html.len() + 64 * self.slots.len()),
            slots: Vec::new(),
        };
        let mut from = 0;
        for (at, slot) in &self.slots {
            out.html.push_str(&self.html[from..*at]);
            from = *at;
            match fill(slot) {
                Some(html) => out.html.push_str(&html),
                None => out.slots.push((out.html.len(), slot.clone())),
            }
        }
        out.html.push_str(&self.html[from..]);
        out
    }

    /// The HTML with every slot left empty.
    pub fn without_slots(&self) -> String {
        if self.slots.is_empty() {
            return self.html.clone();
        }
        self.fill(|_| Some(String::new())).html
    }

    /// The HTML before and after the first [`Slot::Sections`], or all of it and nothing.
    pub fn split_at_sections(&self) -> (&str, &str) {
        match self.slots.iter().find(|(_, s)| *s == Slot::Sections) {
            Some((at, _)) => self.html.split_at(*at),
            None => (&self.html, ""),
        }
    }
}

/// Rendered Markdown and what was learned while rendering it.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The HTML, with its links filled in; its chart and sections slots are still open (see
    /// [`Rendered::place_charts`]).
    pub html: SlottedHtml,
    /// Charts the text places, in order, with where each is written.
    pub charts: Vec<(String, Location)>,
    /// Headings, in order.
    pub headings: Vec<Heading>,
    /// Cross-references made by this text.
    pub backlinks: Vec<Backlink>,
    /// The text without markup, white space folded, blocks (paragraphs, list items) on lines
    /// of their own: for open data and summaries.
    pub text: String,
}

impl Rendered {
    /// The HTML with each chart slot filled by the HTML `chart_html` gives for its id.
    pub fn place_charts(&self, mut chart_html: impl FnMut(&str) -> String) -> String {
        self.html
            .fill(|slot| match slot {
                Slot::Chart(id) => Some(chart_html(id)),
                _ => Some(String::new()),
            })
            .html
    }
}

/// Records an error at each of `charts`, placed in text that cannot show charts.
pub fn refuse_charts(charts: &[(String, Location)], diags: &mut Problems) {
    for (chart, at) in charts {
        diags.error(
            at,
            format!("`chart:{chart}` is placed in a text that shows no charts"),
            "place charts in a report section's narrative (content/reports/<year>/<quarter>/<section>.md); link here to the indicator instead: [the figures](indicator:ID)",
        );
    }
}

/// Where a page is: enough to write every link of its Markdown but the cross-references.
#[derive(Debug, Clone, Copy)]
pub struct DraftContext<'a> {
    /// The base path internal links start with (`/` or `/repo/`).
    pub base_path: &'a str,
    /// Site path of the page (for backlinks; footnote ids are made unique with it).
    pub page_path: &'a str,
    /// The schemes a link is a cross-reference in.
    pub schemes: &'a Schemes,
}

/// A cross-reference link of a [`Draft`], waiting for the cross-reference index.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PendingLink {
    /// As written: `report:2022-23/q2#cla`.
    pub reference: String,
    /// Where it is written.
    pub at: Location,
    /// The id of the heading above it, if any: where a backlink comes from.
    pub anchor: Option<String>,
}

/// Markdown rendered before the site's cross-reference targets are all known: the HTML has a
/// [`Slot::Link`] for each cross-reference link's address, filled in by [`Draft::resolve`] or
/// [`Draft::fill_links`]. Collections draft their content while loading, so each file is
/// parsed once.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    /// The HTML, with its link, chart and sections slots.
    pub html: SlottedHtml,
    /// The text without markup, white space folded, blocks on lines of their own.
    pub text: String,
    /// Charts the text places, in order, with where each is written.
    pub charts: Vec<(String, Location)>,
    /// Headings, in order.
    pub headings: Vec<Heading>,
    /// Cross-reference links, in the order of their slots.
    pub links: Vec<PendingLink>,
}

impl Draft {
    /// Resolves the cross-references against `ctx` (broken ones are recorded in `diags`) and
    /// fills them in.
    pub fn resolve(self, ctx: &MarkdownContext<'_>, diags: &mut Problems) -> Rendered {
        let mut backlinks = Vec::with_capacity(self.links.len());
        let hrefs: Vec<String> = self
            .links
            .iter()
            .map(|link| {
                match resolve_reference(
                    &link.reference,
                    &link.at,
                    ctx,
                    link.anchor.as_deref(),
                    diags,
                ) {
                    Some((href, backlink)) => {
                        backlinks.push(backlink);
                        href
                    }
                    None => "#".to_string(),
                }
            })
            .collect();
        Rendered {
            html: self.with_links(&hrefs),
            charts: self.charts,
            headings: self.headings,
            backlinks,
            text: self.text,
        }
    }

    /// The HTML with the address of its `n`th cross-reference link set to `hrefs[n]` (escaped
    /// here) and its other slots left empty.
    pub fn fill_links(&self, hrefs: &[String]) -> String {
        self.with_links(hrefs).without_slots()
    }

    /// The HTML with its links filled in and its other slots kept.
    fn with_links(&self, hrefs: &[String]) -> SlottedHtml {
        self.html.fill(|slot| match slot {
            Slot::Link(n) => {
                // Unreachable without a bug: a slot always has its link.
                let href = hrefs.get(*n).map_or("#", String::as_str);
                let mut escaped = String::with_capacity(href.len());
                pulldown_cmark_escape::escape_href(&mut escaped, href).unwrap_or(());
                Some(escaped)
            }
            _ => None,
        })
    }
}

/// Resolves one cross-reference (`report:2022-23/q2#cla`) to its href, with the backlink it
/// makes from the page in `ctx` (nearest heading `anchor`). A reference that does not resolve is
/// recorded at `at` with the nearest valid targets, and gives `None`.
pub fn resolve_reference(
    reference: &str,
    at: &Location,
    ctx: &MarkdownContext<'_>,
    anchor: Option<&str>,
    diags: &mut Problems,
) -> Option<(String, Backlink)> {
    match ctx.xrefs.lookup(reference) {
        Ok(path) => {
            let (target, fragment) = match reference.split_once('#') {
                Some((t, f)) => (t.to_string(), Some(f.to_string())),
                None => (reference.to_string(), None),
            };
            let backlink = Backlink {
                target,
                fragment,
                from_path: ctx.page.page_path.to_string(),
                from_anchor: anchor.map(str::to_string),
                from_title: ctx.page_title.to_string(),
            };
            Some((format!("{}{}", ctx.page.base_path, path), backlink))
        }
        Err(miss) => {
            // Described (the nearest targets found) only if the report will show it.
            diags.error_with(at, || {
                let unresolved = miss.describe();
                let hint = if unresolved.nearest.is_empty() && !unresolved.kind_exists {
                    "check the reference: nothing of that kind exists in the site yet".to_string()
                } else if unresolved.nearest.is_empty() {
                    "nothing in the site is spelled like it: check the name against the page you mean to link to".to_string()
                } else {
                    let names: Vec<String> = unresolved
                        .nearest
                        .iter()
                        .map(|n| format!("`{}`", crate::xref::shortened(n)))
                        .collect();
                    format!("did you mean {}?", names.join(", "))
                };
                (
                    format!("broken cross-reference: {}", unresolved.message),
                    hint,
                )
            });
            None
        }
    }
}

/// A URL-safe slug: lower case ASCII letters and digits joined by single hyphens.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".to_string()
    } else {
        trimmed.to_string()
    }
}

/// A heading's attribute block (`{#id .class}`), as the parser read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadingAttributes {
    /// The `#id`, if any.
    pub id: Option<String>,
    /// The `.classes`.
    pub classes: Vec<String>,
    /// The names of anything else in the block (`onclick=…`), which no heading may have.
    pub others: Vec<String>,
    /// Where the block is in the text (the heading's end, if it has none).
    pub at: Range<usize>,
}

impl HeadingAttributes {
    /// Checks the block, of a text at byte `offset` of `file`: only an id and classes may pass,
    /// each a name as [`crate::name::check`] allows. Anything else is an error at the block.
    pub fn check(&self, file: FileId, offset: usize, diags: &mut Problems) {
        let at = &Location::new(file, self.at.start + offset..self.at.end + offset);
        if let Some(id) = &self.id
            && let Err(bad) = crate::name::check(id)
        {
            diags.error(
                at,
                format!("the anchor `#{}` {}", shown(id), bad.problem),
                format!(
                    "{}: it becomes part of the page's address",
                    bad.hint("an anchor such as {#item-4}")
                ),
            );
        }
        for class in &self.classes {
            if let Err(bad) = crate::name::check(class) {
                diags.error(
                    at,
                    format!("the class `.{}` {}", shown(class), bad.problem),
                    format!("{}, or leave it out", bad.hint("a class such as {.note}")),
                );
            }
        }
        if let Some(name) = self.others.first() {
            let names: Vec<String> = self
                .others
                .iter()
                .map(|n| format!("`{}`", shown(n)))
                .collect();
            diags.error(
                at,
                format!(
                    "a heading's attribute block may hold only an `#id` and `.classes`, not {}",
                    names.join(", ")
                ),
                format!(
                    "remove `{}`{}: write the block as {{#id}} or {{#id .class}}",
                    shown(name),
                    if self.others.len() > 1 {
                        " and the others"
                    } else {
                        ""
                    }
                ),
            );
        }
    }
}

/// A Markdown text of a content file: the file, the text, and the byte of the file it starts at.
#[derive(Debug, Clone, Copy)]
pub struct Source<'t> {
    /// The file.
    pub file: FileId,
    /// The text.
    pub text: &'t str,
    /// Where the text starts in the file.
    pub offset: usize,
}

/// The blocks of a parsed text, for a collection to read its own syntax in (agenda items,
/// resolutions, actions). Ranges are byte ranges of the text, not of the file.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// The top-level blocks, in order.
    pub blocks: Vec<Block>,
    /// Every link, in order: where it is and its destination as the parser read it.
    pub links: Vec<(Range<usize>, String)>,
    /// Where code and raw HTML are (not prose), in order of their start.
    pub verbatim: Vec<Range<usize>>,
    /// Footnote references and definitions.
    pub footnotes: Vec<Range<usize>>,
}

/// A top-level block of a text.
#[derive(Debug, Clone)]
pub struct Block {
    /// Where it is.
    pub range: Range<usize>,
    /// What it is.
    pub kind: BlockKind,
    /// The block, for drafting it or a piece of it ([`Piece`]).
    pub part: Part,
}

/// What a block is.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum BlockKind {
    /// A heading.
    Heading {
        /// 1 to 6.
        level: u8,
        /// Its words: its text and code, as written.
        text: String,
        /// Its attribute block.
        attributes: HeadingAttributes,
        /// Where each link in it is.
        links: Vec<Range<usize>>,
        /// Where the first raw HTML in it is, if any.
        html: Option<Range<usize>>,
    },
    /// A paragraph.
    Paragraph,
    /// A list: where an ordered one starts, and its items.
    List {
        /// The number of an ordered list's first item; `None` for a bulleted list.
        start: Option<u64>,
        /// Its items, in order.
        items: Vec<ListItem>,
    },
    /// Anything else: a quote, code, a table, a rule, raw HTML.
    Other,
}

/// An item of a list.
#[derive(Debug, Clone)]
pub struct ListItem {
    /// Where it is, its marker included.
    pub range: Range<usize>,
    /// Where its content starts, after the marker.
    pub content: usize,
    /// The item, for drafting it or a piece of it.
    pub part: Part,
}

/// A block or list item of a parsed text, as the engine that parsed it knows it: a plugin only
/// hands it back, in a [`Piece`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part(pub Range<usize>);

/// What of a text to draft: a block or list item, cut to the bytes `keep` (an agenda item's
/// text without its `RESOLVED:` keyword, number or attribute block). Markup the cut falls
/// inside is kept around what is left of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Piece {
    /// The block or list item.
    pub part: Part,
    /// The bytes of the text to keep.
    pub keep: Range<usize>,
    /// For a list item shown alone: the list it is in, by the number of the item in it
    /// (`Some(None)` for a bulleted list), so it is drafted as a list of one.
    pub list: Option<Option<u64>>,
}

/// The ids taken on one page (its headings' and the anchors the page itself has), from which a
/// heading without an `{#id}` is given one of its own: its slug, or the slug numbered.
#[derive(Debug, Clone, Default)]
pub struct PageIds {
    taken: HashSet<String>,
    /// For each base [`PageIds::unique`] has numbered, the number to try next: every number
    /// below it is taken, so a page with a million headings of one name tries each number
    /// once, not a million times.
    next: HashMap<String, usize>,
}

impl PageIds {
    /// No id taken.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes `id`: whether it was free (`false` when the page has it already).
    pub fn reserve(&mut self, id: impl Into<String>) -> bool {
        self.taken.insert(id.into())
    }

    /// Whether `id` is taken.
    pub fn contains(&self, id: &str) -> bool {
        self.taken.contains(id)
    }

    /// `base` if it is free, else the first of `base-2`, `base-3`… that is; taken.
    pub fn unique(&mut self, base: &str) -> String {
        if self.reserve(base) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

impl<S: Into<String>> Extend<S> for PageIds {
    fn extend<I: IntoIterator<Item = S>>(&mut self, ids: I) {
        self.taken.extend(ids.into_iter().map(Into::into));
    }
}

impl<S: Into<String>> FromIterator<S> for PageIds {
    fn from_iter<I: IntoIterator<Item = S>>(ids: I) -> Self {
        let mut page = PageIds::new();
        page.extend(ids);
        page
    }
}

/// What a reader of an [`Outline`] asks to be drafted: the pieces, in order, and the ids the
/// page has already (its items' anchors), which headings in the pieces must not take.
pub type Reading = (Vec<Piece>, PageIds);

/// The driver's Markdown, for a collection: parses a text once, lets the collection read its
/// outline, and drafts the pieces it asks for.
pub trait MarkdownEngine: Sync {
    /// Parses `source` (recording characters content may not hold), hands its outline to
    /// `read`, and drafts each piece `read` gives, in order, for the page `page`.
    fn draft_pieces(
        &self,
        source: Source<'_>,
        page: &DraftContext<'_>,
        problems: &mut Problems,
        read: &mut dyn FnMut(&Outline, &mut Problems) -> Reading,
    ) -> Vec<Draft>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_of_one_name_are_numbered_in_turn() {
        let mut ids: PageIds = ["same-3"].into_iter().collect();
        let made: Vec<String> = (0..6).map(|_| ids.unique("same")).collect();
        assert_eq!(
            made,
            ["same", "same-2", "same-4", "same-5", "same-6", "same-7"]
        );
        assert_eq!(ids.unique("other"), "other");
        assert_eq!(ids.unique("other"), "other-2");
        assert!(ids.reserve("same-8"));
        assert!(!ids.reserve("same-8"));
        assert_eq!(ids.unique("same"), "same-9");
        assert!(ids.contains("same-9") && ids.contains("other-2") && !ids.contains("other-3"));
        // A base that is itself a numbered id counts on from its own number.
        assert_eq!(ids.unique("same-2"), "same-2-2");
        ids.extend(["x", "x-2"]);
        assert_eq!(ids.unique("x"), "x-3");
    }

    #[test]
    fn many_headings_of_one_name_cost_one_try_each() {
        let mut ids = PageIds::new();
        for k in 1..=100_000_usize {
            let id = ids.unique("a");
            assert_eq!(id.len(), if k == 1 { 1 } else { 2 + k.to_string().len() });
        }
        assert_eq!(ids.next.get("a"), Some(&100_001));
    }
}

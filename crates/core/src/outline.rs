//! The driver's Markdown for collections ([`Engine`]): a text is parsed once, its outline
//! (blocks, list items, links, code) handed to the collection to read its own syntax in, and
//! the pieces the collection asks for drafted from the same events.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::diag::Problems;
use crate::markdown::{self, Spanned, heading_attributes, heading_text, is_block_event};
use scrutiny_plugin::markdown::{
    Block, BlockKind, Draft, DraftContext, ListItem, MarkdownEngine, Outline, Part, Piece, Reading,
    Source,
};

/// The Markdown engine collections draft their text with.
#[derive(Debug, Default, Clone, Copy)]
pub struct Engine;

impl MarkdownEngine for Engine {
    fn draft_pieces(
        &self,
        source: Source<'_>,
        page: &DraftContext<'_>,
        problems: &mut Problems,
        read: &mut dyn FnMut(&Outline, &mut Problems) -> Reading,
    ) -> Vec<Draft> {
        let Source { file, text, offset } = source;
        scrutiny_plugin::text::check_text(text, file, offset, problems);
        let mut events = markdown::parse(text);
        let (pieces, mut ids) = read(&outline(&events), problems);
        pieces
            .iter()
            .map(|piece| match piece_events(&mut events, text, piece) {
                Some(own) => markdown::draft(own, file, offset, page, &mut ids, problems),
                // Cut where the events cannot be: the piece's text is parsed on its own.
                None => {
                    let keep = &text[piece.keep.clone()];
                    let start = offset + piece.keep.start;
                    let own = markdown::parse(keep);
                    markdown::draft(own, file, start, page, &mut ids, problems)
                }
            })
            .collect()
    }
}

/// The outline of a text's events.
fn outline(events: &[Spanned<'_>]) -> Outline {
    let mut outline = Outline::default();
    for (event, range) in events {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                outline.links.push((range.clone(), dest_url.to_string()));
            }
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)) => {
                outline.footnotes.push(range.clone());
            }
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::Html(_)
            | Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => {
                outline.verbatim.push(range.clone());
            }
            _ => {}
        }
    }
    outline.links.sort_by_key(|(range, _)| range.start);
    outline.verbatim.sort_by_key(|range| range.start);
    let mut i = 0;
    while i < events.len() {
        let end = matching_end(events, i);
        outline.blocks.push(block(&events[i..=end], i));
        i = end + 1;
    }
    outline
}

/// The block whose events are `events`, the first at index `first`.
fn block(events: &[Spanned<'_>], first: usize) -> Block {
    let range = events[0].1.clone();
    let part = Part(first..first + events.len());
    let kind = match &events[0].0 {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => BlockKind::Heading {
            level: *level as u8,
            text: heading_text(events).trim().to_string(),
            attributes: heading_attributes(
                id,
                classes,
                attrs,
                markdown::attribute_block_span(events),
            ),
            links: events
                .iter()
                .filter(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })))
                .map(|(_, span)| span.clone())
                .collect(),
            html: events
                .iter()
                .find(|(e, _)| matches!(e, Event::InlineHtml(_) | Event::Html(_)))
                .map(|(_, span)| span.clone()),
        },
        Event::Start(Tag::Paragraph) => BlockKind::Paragraph,
        Event::Start(Tag::List(start)) => BlockKind::List {
            start: *start,
            items: list_items(events, first),
        },
        _ => BlockKind::Other,
    };
    Block { range, kind, part }
}

/// The items of the list whose events are `events`, the first at index `first`.
fn list_items(events: &[Spanned<'_>], first: usize) -> Vec<ListItem> {
    let mut items = Vec::new();
    let mut i = 1;
    while i < events.len() {
        if matches!(events[i].0, Event::Start(Tag::Item)) {
            let end = matching_end(events, i);
            let range = events[i].1.clone();
            let content = events.get(i + 1).map_or(range.end, |(_, r)| r.start);
            items.push(ListItem {
                range,
                content,
                part: Part(first + i..first + end + 1),
            });
            i = end + 1;
        } else {
            i += 1;
        }
    }
    items
}

/// The index of the event that closes the block opened at `start` (itself if it opens none).
fn matching_end(events: &[Spanned<'_>], start: usize) -> usize {
    if !matches!(events[start].0, Event::Start(_)) {
        return start;
    }
    let mut depth = 0;
    for (i, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// Takes a piece's events out of the text's: the blocks around its text kept, inline events
/// outside `keep` dropped, a text event the cut falls in shortened. A list item's content
/// becomes a paragraph, and an item shown alone is wrapped in its list; inline markup the cut
/// falls inside is kept around what is left of it. `None` when the cut falls inside an event
/// that cannot be cut (code, HTML, text the parser rewrote): the caller parses the piece's text
/// on its own.
fn piece_events<'a>(
    events: &mut [Spanned<'a>],
    body: &'a str,
    piece: &Piece,
) -> Option<Vec<Spanned<'a>>> {
    let keep = &piece.keep;
    let mut span = piece.part.0.clone();
    if span.end > events.len() || span.start >= span.end {
        return None;
    }
    let from_item = matches!(events.get(span.start), Some((Event::Start(Tag::Item), _)));
    if from_item && piece.list.is_none() {
        // The item's own start and end go: its content stands alone.
        span = span.start + 1..span.end - 1;
    }
    let mut own: Vec<Spanned<'a>> = Vec::with_capacity(span.len() + 4);
    // Events are moved out: each belongs to one piece, and a piece that falls back to parsing
    // its text needs none of them.
    let take = |event: &mut Event<'a>| std::mem::replace(event, Event::SoftBreak);
    for (event, range) in &mut events[span.clone()] {
        let inside = range.start >= keep.start && range.end <= keep.end;
        let outside = range.end <= keep.start || range.start >= keep.end;
        if is_block_event(event) {
            if !outside {
                own.push((take(event), range.clone()));
            }
        } else if inside {
            own.push((take(event), range.clone()));
        } else if outside {
            continue;
        } else if matches!(event, Event::Start(_) | Event::End(_)) {
            // Markup the cut falls inside (`**RESOLVED: That …**`): what is kept stays in it.
            own.push((take(event), range.clone()));
        } else {
            // The cut falls inside: only plain text the parser took as it stands can be cut.
            let Event::Text(CowStr::Borrowed(text)) = *event else {
                return None;
            };
            if body.get(range.clone()).map(str::as_ptr) != Some(text.as_ptr())
                || text.len() != range.len()
            {
                return None;
            }
            let cut = range.start.max(keep.start)..range.end.min(keep.end);
            let part = text.get(cut.start - range.start..cut.end - range.start)?;
            own.push((Event::Text(CowStr::Borrowed(part)), cut));
        }
    }
    if let Some(start) = piece.list {
        let whole = span.start..span.end;
        own.insert(0, (Event::Start(Tag::List(start)), whole.clone()));
        own.push((Event::End(TagEnd::List(start.is_some())), whole));
    } else if own.first().is_some_and(|(e, _)| !is_block_event(e)) {
        // Inline content of a tight list item: a paragraph, as the text alone would be.
        let run = own
            .iter()
            .position(|(e, _)| is_block_event(e))
            .unwrap_or(own.len());
        let whole = keep.clone();
        own.insert(run, (Event::End(TagEnd::Paragraph), whole.clone()));
        own.insert(0, (Event::Start(Tag::Paragraph), whole));
    }
    Some(own)
}

//! Acronyms marked on their first use: part of the **write** step. Every HTML page, whichever
//! plugin made it, is read once, after the theme has rendered it, with the same tokenizer as
//! the raw-HTML filter ([`crate::rawhtml`]); in the text of its `<main>`, the first use of each
//! acronym of the glossary becomes
//! `<a class="glossary-term" href="<base>glossary/#uasc"><abbr title="…">UASC</abbr></a>`.
//!
//! What is text is what a browser reads as text: not a tag or its attributes, not a comment,
//! not the content of `<script>`, `<style>`, `<title>`, `<textarea>` or `<noscript>`. Text
//! inside a link, a heading, `<abbr>`, `<dfn>` or a form control is never marked (a link
//! cannot hold a link; a heading is read apart from the text it heads), nor is text inside
//! `<code>`, `<pre>`, `<kbd>`, `<samp>`, `<svg>` or `<math>`. Only a whole word is an acronym:
//! `LA` is not in `LAC`, and case counts; a plural written with a small `s` (`CLAs`, `LAs`) is
//! its acronym's use. What is inserted is built from the glossary alone, escaped, around a
//! word of letters: no content reaches the page through it as markup.
//!
//! The same reading finds the words in capitals (two or more letters A to Z, or such a word
//! and a small `s`) that the glossary neither expands nor lists in `not_acronyms`, for the
//! build's warnings. The cost is linear in the page's size.

use std::collections::BTreeSet;

use crate::escape::escape_text;
use crate::glossary::{Glossary, Term};
use crate::rawhtml::{Token, tokenize};

/// Elements whose text is never marked, though it is read for unknown acronyms.
const NO_MARK: [&str; 15] = [
    "a", "abbr", "dfn", "h1", "h2", "h3", "h4", "h5", "h6", "button", "label", "summary", "select",
    "option", "legend",
];

/// Elements whose text is not prose: never marked, nor read for acronyms.
const NOT_PROSE: [&str; 8] = [
    "code", "pre", "kbd", "samp", "var", "svg", "math", "template",
];

/// Whether `word` is a word in capitals: two or more of the letters A to Z and nothing else.
pub fn is_capitals(word: &str) -> bool {
    word.len() >= 2 && word.bytes().all(|b| b.is_ascii_uppercase())
}

/// Marks the acronyms of one glossary on pages.
pub struct Marker<'g> {
    glossary: &'g Glossary,
    /// The glossary page's address: `/glossary/` or `/repo/glossary/`.
    href: String,
}

/// A page, marked.
#[derive(Debug, PartialEq, Eq)]
pub struct Marked {
    /// The page, with the first use of each acronym marked.
    pub html: String,
    /// Words in capitals on the page that the glossary neither expands nor lists in
    /// `not_acronyms`, as acronyms (a plural's `s` taken off).
    pub unknown: BTreeSet<String>,
}

/// Where the reader is in the page.
#[derive(Default)]
struct State {
    in_main: bool,
    /// How many elements of [`NO_MARK`] are open.
    no_mark: usize,
    /// How many elements of [`NOT_PROSE`] are open.
    not_prose: usize,
}

impl State {
    /// Takes a tag into account.
    fn tag(&mut self, name: &str, end: bool, self_closing: bool) {
        if name == "main" {
            self.in_main = !end;
            return;
        }
        let counter = if NO_MARK.contains(&name) {
            &mut self.no_mark
        } else if NOT_PROSE.contains(&name) {
            &mut self.not_prose
        } else {
            return;
        };
        if end {
            *counter = counter.saturating_sub(1);
        } else if !self_closing {
            *counter += 1;
        }
    }
}

impl<'g> Marker<'g> {
    /// A marker of `glossary`'s acronyms, linking to its page under `base_path`.
    pub fn new(glossary: &'g Glossary, base_path: &str) -> Self {
        Marker {
            glossary,
            href: format!("{base_path}glossary/"),
        }
    }

    /// Whether `html` may hold anything to mark or warn of: a word in capitals anywhere from
    /// its first `<main` to its last `</main` (its text or not) that is a term or not listed in
    /// `not_acronyms`. A quick look at its bytes, so that a page with nothing to do is not read
    /// as HTML: every word of the text of its `<main>` is a word of those bytes, so a page
    /// this says no to has nothing to mark.
    pub fn needs_marking(&self, html: &str) -> bool {
        capitals_words(main_region(html)).any(|word| {
            let stem = word
                .strip_suffix('s')
                .filter(|stem| is_capitals(stem))
                .unwrap_or(word);
            let listed = |w: &str| self.glossary.not_acronyms.contains(w);
            self.glossary.term(word).is_some()
                || self.glossary.term(stem).is_some()
                || (is_capitals(stem) && !listed(stem) && !listed(word))
        })
    }

    /// `html` with the first use of each acronym in its `<main>` marked, and the words in
    /// capitals there the glossary does not know.
    pub fn mark(&self, html: &str) -> Marked {
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut copied = 0;
        let mut used: BTreeSet<&str> = BTreeSet::new();
        let mut unknown = BTreeSet::new();
        let mut state = State::default();
        for token in tokenize(html) {
            match token {
                Token::Tag(tag) => state.tag(&tag.name, tag.end, tag.self_closing),
                Token::Text(range) if state.in_main && state.not_prose == 0 => {
                    for (word, at) in words(html, range) {
                        let Some(term) = self.find(word, &mut unknown) else {
                            continue;
                        };
                        if state.no_mark > 0 || !used.insert(&term.acronym) {
                            continue;
                        }
                        out.push_str(&html[copied..at]);
                        self.write_marked(term, word, &mut out);
                        copied = at + word.len();
                    }
                }
                _ => {}
            }
        }
        out.push_str(&html[copied..]);
        Marked { html: out, unknown }
    }

    /// The term `word` is a use of (itself, or a plural of it), or `None`, noting `word` in
    /// `unknown` when it is a word in capitals the glossary does not know.
    fn find(&self, word: &str, unknown: &mut BTreeSet<String>) -> Option<&'g Term> {
        let stem = word
            .strip_suffix('s')
            .filter(|stem| is_capitals(stem))
            .unwrap_or(word);
        if let Some(term) = self
            .glossary
            .term(word)
            .or_else(|| (stem != word).then(|| self.glossary.term(stem)).flatten())
        {
            return Some(term);
        }
        let listed = |w: &str| self.glossary.not_acronyms.contains(w);
        if is_capitals(stem) && !listed(stem) && !listed(word) {
            unknown.insert(stem.to_string());
        }
        None
    }

    /// The marked use of `term`, written `word`.
    fn write_marked(&self, term: &Term, word: &str, out: &mut String) {
        out.push_str("<a class=\"glossary-term\" href=\"");
        out.push_str(&escape_text(&self.href));
        out.push('#');
        out.push_str(&term.id);
        out.push_str("\"><abbr");
        if let Some(expansion) = &term.expansion {
            out.push_str(" title=\"");
            out.push_str(&escape_text(expansion));
            out.push('"');
        }
        out.push('>');
        out.push_str(word);
        out.push_str("</abbr></a>");
    }
}

/// The words of the text `html[range]` and where each starts: runs of letters, digits and `_`.
/// A run that touches a character reference (`&#67;LA`, which a browser shows as `CLA`) is
/// not a word: what it spells is not what it is written as.
fn words(html: &str, range: std::ops::Range<usize>) -> impl Iterator<Item = (&str, usize)> {
    let text = &html[range.clone()];
    let offset = range.start;
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let (start, c) = chars.next()?;
            if c != '&' && !is_word_char(c) {
                continue;
            }
            let mut touches_reference = c == '&';
            let mut end = start + c.len_utf8();
            while let Some((i, c)) = chars.next_if(|(_, c)| {
                is_word_char(*c) || *c == '&' || (touches_reference && matches!(*c, ';' | '#'))
            }) {
                touches_reference |= c == '&';
                end = i + c.len_utf8();
            }
            if !touches_reference {
                return Some((&text[start..end], offset + start));
            }
        }
    })
}

/// `html` from its first `<main` to its last `</main>`, which hold its `<main>` element: a `<`
/// is written `&lt;` in text and attributes, so a `<main` is a tag, or in a comment or script
/// of the theme. All of `html` when it has neither.
fn main_region(html: &str) -> &str {
    let start = memchr::memmem::find(html.as_bytes(), b"<main").unwrap_or(0);
    let end = memchr::memmem::rfind(html.as_bytes(), b"</main")
        .filter(|end| *end >= start)
        .map_or(html.len(), |end| end + "</main".len());
    html.get(start..end).unwrap_or(html)
}

/// Each word of `html` (as [`words`] finds them, without regard to markup) that holds a
/// capital letter A to Z, found by a look at the bytes.
fn capitals_words(html: &str) -> impl Iterator<Item = &str> {
    let b = html.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            if !b[i].is_ascii_uppercase() {
                i += 1;
                continue;
            }
            let mut start = i;
            while let Some(c) = html[..start]
                .chars()
                .next_back()
                .filter(|c| is_word_char(*c))
            {
                start -= c.len_utf8();
            }
            let mut end = i;
            while let Some(c) = html[end..].chars().next().filter(|c| is_word_char(*c)) {
                end += c.len_utf8();
            }
            i = end;
            return Some(&html[start..end]);
        }
        None
    })
}

/// The words of `text` and where each starts, as [`Marker::mark`] reads them in a page's text.
pub fn words_of(text: &str) -> impl Iterator<Item = (&str, usize)> {
    words(text, 0..text.len())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{Term, TermSource};

    fn glossary() -> Glossary {
        let term = |acronym: &str, expansion: Option<&str>| Term {
            acronym: acronym.into(),
            id: acronym.to_ascii_lowercase(),
            expansion: expansion.map(Into::into),
            source: expansion.map(|_| TermSource::Official {
                name: "x".into(),
                url: "https://x.y/".into(),
            }),
        };
        Glossary {
            terms: vec![
                term("CLA", Some("Children looked after")),
                term("LA", Some("Local authority")),
                term("SMART", None),
                term("UASC", Some("Unaccompanied \"asylum-seeking\" <children>")),
            ],
            not_acronyms: ["RESOLVED".to_string()].into_iter().collect(),
            file: 0,
        }
    }

    fn mark(html: &str) -> Marked {
        let glossary = glossary();
        Marker::new(&glossary, "/archive/").mark(html)
    }

    fn marked(word: &str, title: &str) -> String {
        let id = word.trim_end_matches('s').to_ascii_lowercase();
        format!(
            "<a class=\"glossary-term\" href=\"/archive/glossary/#{id}\"><abbr title=\"{title}\">{word}</abbr></a>"
        )
    }

    #[test]
    fn the_first_use_on_a_page_is_marked_and_linked() {
        let page = mark("<main><p>CLA and CLA, then LA.</p><p>CLA</p></main>");
        assert_eq!(
            page.html,
            format!(
                "<main><p>{} and CLA, then {}.</p><p>CLA</p></main>",
                marked("CLA", "Children looked after"),
                marked("LA", "Local authority")
            )
        );
        assert!(page.unknown.is_empty());
    }

    #[test]
    fn expansions_are_escaped_and_a_term_without_one_has_no_title() {
        let page = mark("<main>UASC SMART</main>");
        assert!(page.html.contains(
            "<abbr title=\"Unaccompanied &quot;asylum-seeking&quot; &lt;children&gt;\">UASC</abbr>"
        ), "{}", page.html);
        assert!(
            page.html.contains("#smart\"><abbr>SMART</abbr></a>"),
            "{}",
            page.html
        );
    }

    #[test]
    fn only_whole_words_in_their_case_are_acronyms_and_plurals_count() {
        let page = mark("<main>LAC, Cla, cla, CLAS, xCLA, CLA_2; then CLAs</main>");
        assert_eq!(
            page.html,
            format!(
                "<main>LAC, Cla, cla, CLAS, xCLA, CLA_2; then {}</main>",
                marked("CLAs", "Children looked after")
            )
        );
        assert_eq!(
            page.unknown.iter().map(String::as_str).collect::<Vec<_>>(),
            ["CLAS", "LAC"]
        );
    }

    #[test]
    fn nothing_outside_main_or_outside_text_is_marked() {
        let html = concat!(
            "<head><title>CLA</title></head><header>CLA</header>",
            "<main data-x=\"CLA\" title='LA > CLA'><!-- CLA --><script>let CLA = 1;</script>",
            "<style>.CLA{}</style><a href=\"#CLA\">CLA <span>LA</span></a><h2>CLA</h2>",
            "<code>CLA</code><pre>LA</pre><svg><title>CLA</title><text>LA</text></svg>",
            "<abbr title=\"x\">CLA</abbr><noscript>CLA</noscript>&CLA; &#67;LA</main><footer>CLA</footer>",
        );
        let page = mark(html);
        assert_eq!(page.html, html);
    }

    #[test]
    fn text_after_a_link_or_heading_is_marked() {
        let page = mark("<main><h1>CLA</h1><p><a href=\"x\">CLA</a> CLA</p></main>");
        assert_eq!(
            page.html,
            format!(
                "<main><h1>CLA</h1><p><a href=\"x\">CLA</a> {}</p></main>",
                marked("CLA", "Children looked after")
            )
        );
    }

    #[test]
    fn capitals_the_glossary_does_not_know_are_found_but_not_listed_words() {
        let page = mark(
            "<main><h2>NTS</h2><p>RESOLVED: GPs, Q2, A, UK-wide, <code>HTML</code></p></main>",
        );
        assert_eq!(
            page.unknown.iter().map(String::as_str).collect::<Vec<_>>(),
            ["GP", "NTS", "UK"]
        );
    }

    #[test]
    fn a_page_with_no_word_that_matters_is_not_read() {
        let glossary = glossary();
        let marker = Marker::new(&glossary, "/");
        assert!(!marker.needs_marking("<main>RESOLVED: that caf\u{e9} Q2 is C. LAc</main>"));
        assert!(
            !marker.needs_marking("<!DOCTYPE html><title>UK</title><main>RESOLVED</main><p>UK</p>")
        );
        for html in [
            "<main>LA</main>",
            "<main>LAs</main>",
            "<p>UK</p>",
            "x\u{e9} (CLA)",
        ] {
            assert!(marker.needs_marking(html), "{html}");
            if html.starts_with("<main>") {
                assert_ne!(marker.mark(html).html, html);
            }
        }
        let found: Vec<&str> = capitals_words("a \u{e9}NTS\u{e9}, xLAC_1 RESOLVED. DfE").collect();
        assert_eq!(found, ["\u{e9}NTS\u{e9}", "xLAC_1", "RESOLVED", "DfE"]);
    }

    #[test]
    fn words_skip_references_and_keep_their_places() {
        let html = "a &amp;CLA &#x41;B &amp; UK caf\u{e9}s LA&lt;";
        let found: Vec<(&str, usize)> = words(html, 0..html.len()).collect();
        assert_eq!(found, [("a", 0), ("UK", 25), ("caf\u{e9}s", 28)]);
    }
}

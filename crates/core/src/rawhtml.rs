//! The raw-HTML filter: content may hold `<br>`, `<sup>`, `<sub>`, `<abbr title="…">` and
//! comments, and nothing else.
//!
//! Raw HTML is read the way a browser's tokenizer reads it (the HTML standard, "Tokenization"):
//! a comment ends at `<!-->`, `<!--->`, `-->` or `--!>`; `<?…>`, `<!…>` and `</ …>` are bogus
//! comments ending at the first `>`; a tag's attributes are read with their quoting, so a `>` in
//! a quoted value does not end the tag, and `title="x"onclick=…` is two attributes. What the
//! browser would see is what is checked, and what is written out is rebuilt from what was
//! allowed, so a refused tag leaves nothing of itself behind.

use std::collections::BTreeSet;
use std::ops::Range;

/// What every refusal suggests instead.
pub(crate) const HINT: &str = "write Markdown instead; the only HTML allowed in content is <br>, <sup>, <sub>, <abbr title=\"…\"> and comments";

/// One problem in raw HTML: where (a byte range, as the caller's `map` gives it), what, and how
/// to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
}

/// Elements whose content a browser reads as text up to their end tag.
const RAW_TEXT: [&str; 10] = [
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "textarea",
    "title",
    "plaintext",
];

/// Elements that could run code or change the page around the content.
const DANGEROUS: [&str; 17] = [
    "script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "frame",
    "frameset", "applet", "svg", "math", "template", "noscript", "portal",
];

/// An allowed element open in the current block.
#[derive(Debug)]
struct Open {
    name: &'static str,
    /// Where its opening tag is (as the caller's `map` gives it).
    at: Range<usize>,
    /// Its opening tag was refused, or was not a tag at all: nothing of it is written out, and
    /// its end tag adds nothing to the error.
    refused: bool,
}

/// Checks raw HTML piece by piece through one Markdown text. An allowed element must close in
/// the block (paragraph, heading, list item, table cell, HTML block) that opens it.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    open: Vec<Open>,
    /// How many of `open` have each name of [`CONTAINERS`]: an end tag that closes nothing is
    /// known to without a look through everything open.
    open_counts: [usize; 3],
    /// Names of refused elements: their end tags add nothing to the error already given.
    refused: BTreeSet<String>,
}

/// The allowed elements that have an end tag.
const CONTAINERS: [&str; 3] = ["sup", "sub", "abbr"];

/// `<sup>`, `<sub>`, `<abbr>`: allowed elements that have an end tag.
fn allowed_container(name: &str) -> Option<&'static str> {
    CONTAINERS.into_iter().find(|n| *n == name)
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

#[derive(Debug)]
struct Attr {
    name: String,
    /// The value as written, without its quotes; `None` for a bare attribute.
    value: Option<Range<usize>>,
}

/// A tag, as a browser's tokenizer reads it.
#[derive(Debug)]
pub(crate) struct TagToken {
    /// From `<` to just past `>`.
    pub(crate) span: Range<usize>,
    /// Its name, in lower case.
    pub(crate) name: String,
    /// Whether it is an end tag.
    pub(crate) end: bool,
    attrs: Vec<Attr>,
    /// Whether it ends `/>`.
    pub(crate) self_closing: bool,
}

/// One piece of raw HTML, as a browser's tokenizer reads it.
#[derive(Debug)]
pub(crate) enum Token {
    /// Character data.
    Text(Range<usize>),
    /// A comment, from `<!--` to where a browser ends it.
    Comment(Range<usize>),
    /// A comment the piece ends inside.
    UnclosedComment(Range<usize>),
    /// `<?…>`, `<!…>`, `<!DOCTYPE…>`, `<![CDATA[…>` or `</ …>`: ends at the first `>`.
    Bogus(Range<usize>, &'static str),
    Tag(TagToken),
    /// A tag the piece ends inside, and its name.
    UnfinishedTag(Range<usize>, String),
    /// The content of a `<script>`, `<style>`… read as text up to its end tag.
    RawText(Range<usize>),
}

/// Where a comment starting at `start` (at `<!--`) ends, just past its last byte.
fn comment_end(s: &str, start: usize) -> Option<usize> {
    let body = start + 4;
    let rest = &s[body..];
    if rest.starts_with('>') {
        return Some(body + 1);
    }
    if rest.starts_with("->") {
        return Some(body + 2);
    }
    let close = rest.find("-->").map(|i| body + i + 3);
    // A `--!>` ends the comment only before the `-->`: looked for there, not through the rest.
    let before_close = close.map_or(s.len(), |c| c) - body;
    let bang = rest[..before_close].find("--!>").map(|i| body + i + 4);
    match (close, bang) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// What is wrong with a comment (from `<!--` to where a browser ends it) that HTML does not
/// allow in that form: a browser ends it early, so what the writer meant to hide shows, or runs.
fn comment_form_error(comment: &str) -> Option<String> {
    if comment == "<!-->" || comment == "<!--->" {
        return Some(format!(
            "`{comment}` is a whole comment to a browser: what follows it is not hidden but read as HTML"
        ));
    }
    if comment.ends_with("--!>") {
        return Some(
            "a browser ends this comment at `--!>`: what follows it is not hidden but read as HTML"
                .into(),
        );
    }
    let text = &comment[4..comment.len() - 3];
    if text.starts_with('>')
        || text.starts_with("->")
        || text.contains("<!--")
        || text.ends_with("<!-")
    {
        return Some(
            "this comment holds `<!--` or starts with `>`: a browser reads it differently from what it looks like"
                .into(),
        );
    }
    None
}

/// Reads the tag whose name starts at `q` (after `<` or `</`), the `<` being at `start`.
fn read_tag(s: &str, start: usize, mut q: usize, end: bool) -> Token {
    let b = s.as_bytes();
    let n = b.len();
    let name_start = q;
    while q < n && !is_space(b[q]) && b[q] != b'/' && b[q] != b'>' {
        q += 1;
    }
    let name = s[name_start..q].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        q = skip_spaces(b, q);
        if q >= n {
            return Token::UnfinishedTag(start..n, name);
        }
        match b[q] {
            b'>' => {
                q += 1;
                break;
            }
            b'/' => {
                if q + 1 < n && b[q + 1] == b'>' {
                    self_closing = true;
                    q += 2;
                    break;
                }
                q += 1;
                continue;
            }
            _ => {}
        }
        let Some((attr, after)) = read_attribute(s, q) else {
            return Token::UnfinishedTag(start..n, name);
        };
        attrs.push(attr);
        q = after;
    }
    Token::Tag(TagToken {
        span: start..q,
        name,
        end,
        attrs,
        self_closing,
    })
}

/// The index of the first byte at or after `q` that is not a space (or the end).
fn skip_spaces(b: &[u8], mut q: usize) -> usize {
    while q < b.len() && is_space(b[q]) {
        q += 1;
    }
    q
}

/// Reads the attribute whose name starts at `q` (not a space, `/` or `>`): the attribute and
/// the index just past it (and the spaces after a bare one). `None` when the text ends before
/// its value does.
fn read_attribute(s: &str, mut q: usize) -> Option<(Attr, usize)> {
    let b = s.as_bytes();
    let n = b.len();
    // An attribute name: its first character may be anything (even `=`).
    let attr_start = q;
    q += s[q..].chars().next().map_or(1, char::len_utf8);
    while q < n && !is_space(b[q]) && !matches!(b[q], b'/' | b'>' | b'=') {
        q += 1;
    }
    let name = s[attr_start..q].to_ascii_lowercase();
    q = skip_spaces(b, q);
    if q >= n || b[q] != b'=' {
        return Some((Attr { name, value: None }, q));
    }
    let (value, after) = read_attribute_value(s, skip_spaces(b, q + 1))?;
    let value = Some(value);
    Some((Attr { name, value }, after))
}

/// Reads the attribute value that starts at `q` (after `=` and any spaces): where it is,
/// without its quotes, and the index just past it. `None` when the text ends before it does.
fn read_attribute_value(s: &str, mut q: usize) -> Option<(Range<usize>, usize)> {
    let b = s.as_bytes();
    let n = b.len();
    match *b.get(q)? {
        quote @ (b'"' | b'\'') => {
            let close = s[q + 1..].find(quote as char)?;
            let value = q + 1..q + 1 + close;
            let after = value.end + 1;
            Some((value, after))
        }
        b'>' => Some((q..q, q)),
        _ => {
            let value_start = q;
            while q < n && !is_space(b[q]) && b[q] != b'>' {
                q += 1;
            }
            Some((value_start..q, q))
        }
    }
}

/// The index just past the first `>` at or after `from`, or the end.
fn past_gt(s: &str, from: usize) -> (usize, bool) {
    match s[from..].find('>') {
        Some(i) => (from + i + 1, true),
        None => (s.len(), false),
    }
}

/// Splits raw HTML into tokens as a browser's tokenizer would.
pub(crate) fn tokenize(s: &str) -> Vec<Token> {
    let n = s.len();
    let mut tokens = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while let Some(found) = s[i..].find('<') {
        let p = i + found;
        let Some(token) = markup_at(s, p) else {
            // `<` before anything else is text.
            i = p + 1;
            continue;
        };
        if text_start < p {
            tokens.push(Token::Text(text_start..p));
        }
        let end = token.end();
        let raw_text = match &token {
            Token::Tag(t) if !t.end => RAW_TEXT.iter().find(|r| **r == t.name).copied(),
            _ => None,
        };
        tokens.push(token);
        i = end;
        if let Some(element) = raw_text {
            let content = raw_text_content(s, end, element);
            i = content.end;
            if !content.is_empty() {
                tokens.push(Token::RawText(content));
            }
        }
        text_start = i;
    }
    if text_start < n {
        tokens.push(Token::Text(text_start..n));
    }
    tokens
}

impl Token {
    /// The index just past the token.
    pub(crate) fn end(&self) -> usize {
        match self {
            Token::Comment(r)
            | Token::UnclosedComment(r)
            | Token::Bogus(r, _)
            | Token::UnfinishedTag(r, _)
            | Token::RawText(r)
            | Token::Text(r) => r.end,
            Token::Tag(t) => t.span.end,
        }
    }
}

/// The markup the `<` at `p` starts, or `None` when a browser reads that `<` as text.
fn markup_at(s: &str, p: usize) -> Option<Token> {
    let token = match s.as_bytes().get(p + 1).copied() {
        Some(b'!') if s[p + 2..].starts_with("--") => match comment_end(s, p) {
            Some(end) => Token::Comment(p..end),
            None => Token::UnclosedComment(p..s.len()),
        },
        Some(b'!') => {
            let rest = &s[p + 2..];
            let what = if rest
                .get(..7)
                .is_some_and(|head| head.eq_ignore_ascii_case("doctype"))
            {
                "<!DOCTYPE …>"
            } else if rest.starts_with("[CDATA[") {
                "<![CDATA[ … ]]>"
            } else {
                "<!…>"
            };
            bogus_comment(s, p, what, "!")
        }
        Some(b'?') => bogus_comment(s, p, "<?…>", "?"),
        Some(b'/') => return end_tag_at(s, p),
        Some(c) if c.is_ascii_alphabetic() => read_tag(s, p, p + 1, false),
        _ => return None,
    };
    Some(token)
}

/// The markup `</` at `p` starts, or `None` when the text ends after it (and it is text).
fn end_tag_at(s: &str, p: usize) -> Option<Token> {
    match s.as_bytes().get(p + 2).copied() {
        Some(c) if c.is_ascii_alphabetic() => Some(read_tag(s, p, p + 2, true)),
        // `</>` is dropped by a browser: text here, refused below.
        Some(b'>') => Some(Token::Bogus(p..p + 3, "</>")),
        Some(_) => Some(bogus_comment(s, p, "</…>", "/")),
        None => None,
    }
}

/// The bogus comment (`<!…>`, `<?…>`, `</…>`: `what`) whose two-byte opening is at `p`, up to
/// the first `>`; a tag never ended (its name `name`) when no `>` follows.
fn bogus_comment(s: &str, p: usize, what: &'static str, name: &str) -> Token {
    let (end, closed) = past_gt(s, p + 2);
    if closed {
        Token::Bogus(p..end, what)
    } else {
        Token::UnfinishedTag(p..end, name.into())
    }
}

/// The content of the raw-text element `element` whose start tag ends at `from`: up to its
/// end tag, or to the end of the text (always, for `<plaintext>`).
fn raw_text_content(s: &str, from: usize, element: &str) -> Range<usize> {
    let close = if element == "plaintext" {
        None
    } else {
        raw_text_end(s, from, element)
    };
    from..close.unwrap_or(s.len())
}

/// Where the end tag `</name` (any case, followed by a space, `/` or `>`) after `from` starts.
fn raw_text_end(s: &str, from: usize, name: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = from;
    while let Some(found) = s[i..].find("</") {
        let p = i + found;
        let after = p + 2 + name.len();
        if after <= b.len()
            && b[p + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && b.get(after)
                .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
        {
            return Some(p);
        }
        i = p + 2;
    }
    None
}

impl Filter {
    /// Checks one piece of raw HTML, `html`, recording problems with their positions as `map`
    /// gives them (from byte offsets in `html`), and returns what may be written out: the
    /// allowed tags, comments and text, rebuilt.
    pub fn check(
        &mut self,
        html: &str,
        map: &dyn Fn(usize) -> usize,
        problems: &mut Vec<Problem>,
    ) -> String {
        let mut out = String::with_capacity(html.len());
        let place = |r: &Range<usize>| {
            let start = map(r.start);
            let end = if r.end > r.start {
                map(r.end - 1) + 1
            } else {
                start
            };
            start..end.max(start)
        };
        let mut problem = |r: &Range<usize>, message: String, hint: &str| {
            problems.push(Problem {
                span: place(r),
                message,
                hint: hint.to_string(),
            });
        };
        for token in tokenize(html) {
            match token {
                Token::Text(r) => {
                    for (k, piece) in html[r].split('<').enumerate() {
                        if k > 0 {
                            out.push_str("&lt;");
                        }
                        out.push_str(piece);
                    }
                }
                Token::Comment(r) => match comment_form_error(&html[r.clone()]) {
                    None => out.push_str(&html[r]),
                    Some(why) => problem(&r, why, "write a comment as `<!-- … -->`"),
                },
                Token::RawText(_) => {}
                Token::UnclosedComment(r) => problem(
                    &(r.start..r.start + 4),
                    "this comment is never closed: a browser would hide everything after `<!--`"
                        .into(),
                    "end the comment with `-->`",
                ),
                Token::Bogus(r, what) => problem(
                    &r,
                    format!(
                        "raw `{what}` markup is not allowed in content; the only comments allowed are `<!-- … -->`"
                    ),
                    HINT,
                ),
                Token::UnfinishedTag(r, name) => problem(
                    &(r.start..r.start + 1),
                    format!(
                        "the tag `<{}` is never ended by `>`",
                        scrutiny_plugin::chars::shown(name.trim_start_matches('/'))
                    ),
                    "end the tag with `>`, and close every quote it opens: a `>` inside quotes does not end it",
                ),
                Token::Tag(tag) if tag.end => self.end_tag(&tag, &mut out, &mut problem),
                Token::Tag(tag) => {
                    let at = place(&tag.span);
                    self.start_tag(html, &tag, at, &mut out, &mut problem);
                }
            }
        }
        out
    }

    /// Checks a start tag at `at`: a tag content may not hold is recorded and leaves nothing
    /// behind; an allowed one is written out rebuilt, unless its attributes are refused, and an
    /// element with an end tag is opened (a refused one too, so that its end tag matches).
    fn start_tag(
        &mut self,
        html: &str,
        tag: &TagToken,
        at: Range<usize>,
        out: &mut String,
        problem: &mut impl FnMut(&Range<usize>, String, &str),
    ) {
        let name = tag.name.as_str();
        let handlers: Vec<&str> = tag
            .attrs
            .iter()
            .map(|a| a.name.as_str())
            .filter(|a| a.starts_with("on"))
            .collect();
        let allowed = ["br", "sup", "sub", "abbr"].contains(&name);
        if !allowed {
            self.refused.insert(tag.name.clone());
            problem(&tag.span, refused_element(name, &handlers), HINT);
            return;
        }
        let refusal = attributes_refusal(tag, &handlers);
        let refused = refusal.is_some();
        if let Some((message, hint)) = refusal {
            problem(&tag.span, message, &hint);
        }
        let Some(container) = allowed_container(name) else {
            if !refused {
                out.push_str("<br>");
            }
            return;
        };
        if !refused {
            write_start_tag(html, tag, container, out);
        }
        self.push_open(Open {
            name: container,
            at,
            refused,
        });
    }

    fn push_open(&mut self, open: Open) {
        if let Some(k) = CONTAINERS.iter().position(|c| *c == open.name) {
            self.open_counts[k] += 1;
        }
        self.open.push(open);
    }

    /// The open elements from the `k`th on, the last first, no longer open.
    fn drain_open(&mut self, k: usize) -> Vec<Open> {
        let drained: Vec<Open> = self.open.drain(k..).rev().collect();
        for open in &drained {
            if let Some(k) = CONTAINERS.iter().position(|c| *c == open.name) {
                self.open_counts[k] -= 1;
            }
        }
        drained
    }

    /// Where the innermost open element named `name` is, if one is.
    fn last_open(&self, name: &str) -> Option<usize> {
        let k = CONTAINERS.iter().position(|c| *c == name)?;
        if self.open_counts[k] == 0 {
            return None;
        }
        self.open.iter().rposition(|o| o.name == name)
    }

    /// Whether an allowed element is open in the current block.
    pub fn has_open(&self) -> bool {
        !self.open.is_empty()
    }

    /// Ends the current block: each allowed element still open in it is an error. Returns the
    /// end tags that close what was written out.
    pub fn end_block(&mut self, problems: &mut Vec<Problem>) -> String {
        let mut closing = String::new();
        for open in self.drain_open(0) {
            if open.refused {
                continue;
            }
            problems.push(Problem {
                span: open.at.clone(),
                message: format!("`<{}>` is never closed", open.name),
                hint: format!(
                    "close it with `</{}>` in the same paragraph (or heading, list item, table cell)",
                    open.name
                ),
            });
            closing.push_str(&format!("</{}>", open.name));
        }
        closing
    }

    /// Records that text at `at` looks like an allowed tag (`<abbr title="x"onclick=…>`,
    /// `</sup …`) that is not well formed, and so would show as text. Returns what closes the
    /// element when it is an end tag.
    pub fn not_a_tag(
        &mut self,
        name: &'static str,
        end: bool,
        at: Range<usize>,
        problems: &mut Vec<Problem>,
    ) -> String {
        let written = if end {
            format!("</{name} …")
        } else {
            format!("<{name} …>")
        };
        problems.push(Problem {
            span: at.clone(),
            message: format!(
                "`{written}` here is not a well-formed tag, so the page would show it as text"
            ),
            hint: "put a space between attributes and quotes round each value, as in `<abbr title=\"Multi-Agency Safeguarding Hub\">MASH</abbr>`".into(),
        });
        if !end {
            if name != "br" {
                self.push_open(Open {
                    name,
                    at,
                    refused: true,
                });
            }
            return String::new();
        }
        match self.last_open(name) {
            Some(k) => self.close_down_to(k),
            None => String::new(),
        }
    }

    /// Pops the open elements from the top down to (and with) the `k`th, returning the end tags
    /// of those written out.
    fn close_down_to(&mut self, k: usize) -> String {
        let mut closing = String::new();
        for open in self.drain_open(k) {
            if !open.refused {
                closing.push_str(&format!("</{}>", open.name));
            }
        }
        closing
    }

    fn end_tag(
        &mut self,
        tag: &TagToken,
        out: &mut String,
        problem: &mut impl FnMut(&Range<usize>, String, &str),
    ) {
        let name = tag.name.as_str();
        if name == "br" {
            problem(
                &tag.span,
                "`</br>` is not an end tag (a browser reads it as `<br>`)".into(),
                "write `<br>`",
            );
            return;
        }
        let Some(container) = allowed_container(name) else {
            if !self.refused.contains(name) {
                problem(
                    &tag.span,
                    format!(
                        "raw HTML `</{}>` is not allowed in content",
                        scrutiny_plugin::chars::shown(name)
                    ),
                    HINT,
                );
            }
            return;
        };
        if !tag.attrs.is_empty() || tag.self_closing {
            problem(
                &tag.span,
                format!("the end tag `</{container}>` takes no attributes"),
                &format!("write `</{container}>`"),
            );
        }
        let Some(k) = self.last_open(container) else {
            problem(
                &tag.span,
                format!("`</{container}>` closes no `<{container}>`"),
                &format!(
                    "remove it, or open the element before it in the same paragraph: an opening `<{container}>` that is not well formed shows as text"
                ),
            );
            return;
        };
        let inside: Vec<String> = self.open[k + 1..]
            .iter()
            .filter(|o| !o.refused)
            .map(|o| format!("`<{}>`", o.name))
            .collect();
        if !inside.is_empty() {
            problem(
                &tag.span,
                format!(
                    "`</{container}>` closes `<{container}>` while {} inside it is still open",
                    inside.join(", ")
                ),
                &format!(
                    "close {} first: end tags go in the opposite order to their opening tags",
                    inside.join(", ")
                ),
            );
        }
        out.push_str(&self.close_down_to(k));
    }
}

/// The message for a start tag of the element `name`, which content may not hold, its
/// event-handler attributes being `handlers`.
fn refused_element(name: &str, handlers: &[&str]) -> String {
    let shown_name = scrutiny_plugin::chars::shown(name);
    if DANGEROUS.contains(&name) {
        format!(
            "raw `<{shown_name}>` HTML is not allowed in content: it could run code or restyle the site"
        )
    } else if let Some(handler) = handlers.first() {
        format!(
            "the event-handler attribute `{}` in `<{shown_name}>` is not allowed in content: it would run code",
            scrutiny_plugin::chars::shown(handler)
        )
    } else {
        format!("raw HTML `<{shown_name}>` is not allowed in content")
    }
}

/// What is wrong with the attributes of a start tag of an allowed element, as a message and a
/// hint, if anything is: `<br>`, `<sup>` and `<sub>` take none, `<abbr>` takes `title` once,
/// no event handler is allowed (`handlers` are the tag's), and `<sup/>` does not close itself.
fn attributes_refusal(tag: &TagToken, handlers: &[&str]) -> Option<(String, String)> {
    let name = tag.name.as_str();
    let mut titles = 0;
    let mut others: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for attr in &tag.attrs {
        if name == "abbr" && attr.name == "title" {
            titles += 1;
        } else if !attr.name.starts_with("on") && seen.insert(attr.name.as_str()) {
            others.push(attr.name.clone());
        }
    }
    let may_carry = if name == "abbr" {
        "`<abbr>` may carry only `title`".to_string()
    } else {
        format!("`<{name}>` takes no attributes")
    };
    if let Some(handler) = handlers.first() {
        let also = if others.is_empty() {
            String::new()
        } else {
            format!(" (nor are {}: {may_carry})", listed(&others))
        };
        let all: Vec<String> = handlers
            .iter()
            .map(|h| h.to_string())
            .chain(others.iter().cloned())
            .collect();
        Some((
            format!(
                "the event-handler attribute `{}` in `<{name}>` is not allowed in content: it would run code{also}",
                scrutiny_plugin::chars::shown(handler)
            ),
            format!("remove {}: {may_carry}", listed(&all)),
        ))
    } else if !others.is_empty() {
        Some((
            format!("{may_carry}, not {}", listed(&others)),
            format!("remove {}", listed(&others)),
        ))
    } else if titles > 1 {
        Some((
            "this `<abbr>` has `title` more than once".into(),
            "keep one `title`".into(),
        ))
    } else if tag.self_closing && allowed_container(name).is_some() {
        Some((
            format!(
                "`<{name}/>` does not close itself in HTML: what follows it would be inside it"
            ),
            format!("write `<{name}>…</{name}>`"),
        ))
    } else {
        None
    }
}

/// Attribute names as messages list them: each in backquotes, shown, separated by commas.
fn listed(names: &[String]) -> String {
    names
        .iter()
        .map(|a| format!("`{}`", scrutiny_plugin::chars::shown(a)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes out the start tag of `container` (`<sup>`, `<sub>`, `<abbr>`), rebuilt from `tag`,
/// whose attributes have been checked: an `<abbr>`'s `title` escaped, in double quotes.
fn write_start_tag(html: &str, tag: &TagToken, container: &str, out: &mut String) {
    out.push('<');
    out.push_str(container);
    if let Some(value) = tag.attrs.first().and_then(|a| a.value.clone()) {
        out.push_str(" title=\"");
        escape_attribute_value(&html[value], out);
        out.push('"');
    } else if !tag.attrs.is_empty() {
        out.push_str(" title=\"\"");
    }
    out.push('>');
}

/// Appends `raw`, an attribute value as content wrote it, escaped for a double-quoted value:
/// `"`, `'`, `<` and `>` as character references, and `&` too unless it starts one.
fn escape_attribute_value(raw: &str, out: &mut String) {
    for (i, c) in raw.char_indices() {
        match c {
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if !starts_reference(&raw[i + 1..]) => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
}

/// Whether text just after a `&` makes it a character reference: `#38;`, `#x26;`, `amp;`.
fn starts_reference(after: &str) -> bool {
    let (digits, hex) = match after.strip_prefix('#') {
        Some(rest) => match rest.strip_prefix(['x', 'X']) {
            Some(rest) => (rest, true),
            None => (rest, false),
        },
        None => {
            let name = after.bytes().take_while(u8::is_ascii_alphanumeric).count();
            return name > 0
                && after.as_bytes()[0].is_ascii_alphabetic()
                && after[name..].starts_with(';');
        }
    };
    let n = digits
        .bytes()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    n > 0 && digits[n..].starts_with(';')
}

/// The elements HTML made from content may hold, and the attributes each may carry: what
/// pulldown-cmark writes for the Markdown content may use, and what [`Filter`] lets through.
const RENDERED: [(&str, &[&str]); 31] = [
    ("a", &["href", "title"]),
    ("abbr", &["title"]),
    ("blockquote", &[]),
    ("br", &[]),
    ("caption", &[]),
    ("code", &["class"]),
    ("del", &[]),
    ("div", &["class", "id"]),
    ("em", &[]),
    ("h1", &["id", "class"]),
    ("h2", &["id", "class"]),
    ("h3", &["id", "class"]),
    ("h4", &["id", "class"]),
    ("h5", &["id", "class"]),
    ("h6", &["id", "class"]),
    ("hr", &[]),
    ("img", &["src", "alt", "title"]),
    ("li", &[]),
    ("ol", &["start"]),
    ("p", &[]),
    ("pre", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("sup", &["class"]),
    ("table", &[]),
    ("tbody", &[]),
    ("td", &["style"]),
    ("th", &["style"]),
    ("thead", &[]),
    ("tr", &[]),
    ("ul", &[]),
];

/// Checks HTML made from content, as it will reach the page, against [`RENDERED`]: every tag
/// is an allowed element with allowed attributes, each value double-quoted; no address runs
/// code; comments are comments to a browser too. The first thing refused, described, if any.
pub(crate) fn check_rendered(html: &str) -> Result<(), String> {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'<', &b[i..]) {
        let p = i + found;
        let rest = &html[p..];
        if rest.starts_with("<!--") {
            let Some(end) = comment_end(html, p) else {
                return Err("an unclosed comment".into());
            };
            if comment_form_error(&html[p..end]).is_some() {
                return Err("a comment a browser ends early".into());
            }
            i = end;
            continue;
        }
        let (end_tag, name_at) = match b.get(p + 1) {
            Some(b'/') => (true, p + 2),
            Some(c) if c.is_ascii_alphabetic() => (false, p + 1),
            Some(b'!' | b'?') => return Err(format!("`{}`", scrutiny_plugin::chars::shown(rest))),
            // `<` before anything else is text to a browser.
            _ => {
                i = p + 1;
                continue;
            }
        };
        i = check_rendered_tag(html, p, name_at, end_tag)?;
    }
    Ok(())
}

/// Checks the tag at `start` whose name starts at `name_at`; where it ends.
fn check_rendered_tag(
    html: &str,
    start: usize,
    name_at: usize,
    end_tag: bool,
) -> Result<usize, String> {
    let b = html.as_bytes();
    let refused = || {
        Err(format!(
            "`{}`",
            scrutiny_plugin::chars::shown(&html[start..])
        ))
    };
    let mut q = name_at;
    while q < b.len() && b[q].is_ascii_alphanumeric() {
        q += 1;
    }
    let Some((_, attributes)) = RENDERED
        .iter()
        .find(|(name, _)| name.as_bytes() == &b[name_at..q])
    else {
        return refused();
    };
    loop {
        match b.get(q) {
            Some(b'>') => return Ok(q + 1),
            Some(b'/') if !end_tag && b.get(q + 1) == Some(&b'>') => return Ok(q + 2),
            Some(b' ') if !end_tag => q += 1,
            _ => return refused(),
        }
        if b.get(q) == Some(&b'/') {
            continue;
        }
        let name_start = q;
        while q < b.len() && (b[q].is_ascii_lowercase() || b[q] == b'-') {
            q += 1;
        }
        let name = &html[name_start..q];
        if !attributes.contains(&name) || !html[q..].starts_with("=\"") {
            return refused();
        }
        let value_start = q + 2;
        let Some(close) = memchr::memchr(b'"', &b[value_start..]) else {
            return refused();
        };
        let value = &html[value_start..value_start + close];
        if matches!(name, "href" | "src") && runs_code(value) {
            return Err(format!(
                "the address `{}`",
                scrutiny_plugin::chars::shown(value)
            ));
        }
        q = value_start + close + 1;
    }
}

/// Whether an address, as written in an attribute, would run code: its scheme, read as a
/// browser reads it (character references decoded once; tabs and line breaks dropped; leading
/// spaces and controls skipped; any case), is `javascript:`, `vbscript:` or `data:`. A named
/// reference not known here where the scheme is read counts as running code: it could spell a
/// letter or the colon.
fn runs_code(value: &str) -> bool {
    let mut scheme = String::new();
    let mut rest = value;
    while scheme.len() <= 16 {
        let (c, len) = match rest.strip_prefix('&') {
            Some(after) => match character_reference(after) {
                Some((c, n)) => (c, n + 1),
                None if after.starts_with(|c: char| c.is_ascii_alphabetic()) => return true,
                None => ('&', 1),
            },
            None => match rest.chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => return false,
            },
        };
        rest = &rest[len..];
        match c {
            '\t' | '\n' | '\r' => {}
            c if scheme.is_empty() && (c == ' ' || c.is_ascii_control()) => {}
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {
                scheme.push(c.to_ascii_lowercase());
            }
            ':' => return matches!(scheme.as_str(), "javascript" | "vbscript" | "data"),
            _ => return false,
        }
    }
    false
}

/// The character a reference just after its `&` stands for, and how many bytes it takes: a
/// numeric one (`#106;`, `#x6A`, with or without `;`) or one of the few named ones the build or
/// a scheme could use.
fn character_reference(after: &str) -> Option<(char, usize)> {
    if let Some(number) = after.strip_prefix('#') {
        let (digits, radix, skip) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (number, 10, 1),
        };
        let n = digits
            .bytes()
            .take_while(|b| (*b as char).is_digit(radix))
            .count();
        if n == 0 {
            return None;
        }
        let code = u32::from_str_radix(&digits[..n.min(8)], radix).unwrap_or(0xfffd);
        let c = char::from_u32(code)
            .filter(|c| *c != '\0')
            .unwrap_or('\u{fffd}');
        let semicolon = usize::from(digits[n..].starts_with(';'));
        return Some((c, skip + n + semicolon));
    }
    [
        ("amp;", '&'),
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("apos;", '\''),
        ("colon;", ':'),
        ("Tab;", '\t'),
        ("NewLine;", '\n'),
    ]
    .into_iter()
    .find(|(name, _)| after.starts_with(name))
    .map(|(name, c)| (c, name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `html` may be written out as, and the messages of its problems.
    fn filter(html: &str) -> (String, Vec<String>) {
        let mut problems = Vec::new();
        let out = Filter::default().check(html, &|p| p, &mut problems);
        (out, problems.into_iter().map(|p| p.message).collect())
    }

    #[test]
    fn rendered_html_is_held_to_the_allow_list() {
        for fine in [
            "<p>A <a href=\"/x/\" title=\"t\">b</a> <em>c</em> &lt;script&gt;</p>\n",
            "<h2 id=\"a\" class=\"b\">T</h2><table><thead><tr><th style=\"text-align: left\">x</th></tr></thead></table>",
            "<sup class=\"footnote-reference\"><a href=\"#fn-p-1\">1</a></sup><img src=\"/a.png\" alt=\"a\" /><br />",
            "<!-- a comment --><abbr title=\"Multi-Agency\">MASH</abbr> 1 < 2",
            "<a href=\"onclick&amp;#%5B^1%5D:\">x</a><a href=\"a&amp;b;c:d\">y</a>",
            "<a href=\"https://x.org/?q=javascript:y\">z</a><a href=\"mailto:a@b.org\">m</a>",
        ] {
            assert_eq!(check_rendered(fine), Ok(()), "{fine}");
        }
        for bad in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<h2 onmouseover=\"alert(1)\">x</h2>",
            "<svg onload=\"alert(1)\">",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\" JaVa\tScRiPt:alert(1)\">x</a>",
            "<a href=\"java&#115;cript:alert(1)\">x</a>",
            "<img src=\"data:text/html,x\" />",
            "<a href=\"vbscript:x\">x</a>",
            "<a href=\"javascript&colon;x\">x</a>",
            "<a href=\"&#x6A;avascript:x\">x</a>",
            "<a href=\"java&Tab;script:x\">x</a>",
            "<a href=\"&NewLine;javascript:x\">x</a>",
            "<a href=\"java&unknown;script:x\">x</a>",
            "<a href='/x' onfocus=x>",
            "<p title=\"x\">",
            "<!-->",
            "<!DOCTYPE html>",
            "<a href=\"/x\"",
        ] {
            assert!(check_rendered(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_after_a_bang_is_read_by_characters() {
        // Found by fuzzing: a multi-byte character within seven bytes of `<!`.
        for html in ["<!abcde’x>", "<!abcdef😀>", "<!abcdefg—"] {
            let (_, problems) = filter(html);
            assert!(!problems.is_empty(), "{html}");
        }
    }

    #[test]
    fn comments_end_where_a_browser_ends_them() {
        let s = "<!--><b>";
        assert_eq!(comment_end(s, 0), Some(5));
        assert_eq!(comment_end("<!--->x", 0), Some(6));
        assert_eq!(comment_end("<!---->x", 0), Some(7));
        assert_eq!(comment_end("<!-- a --!> b -->", 0), Some(11));
        assert_eq!(comment_end("<!-- a --> b --!>", 0), Some(10));
        assert_eq!(comment_end("<!-- a --!- b -->", 0), Some(17));
        assert_eq!(comment_end("<!-- a -- >", 0), None);
        let (out, problems) = filter("<!-- a --!><img src=x onerror=alert(2)> -->");
        assert_eq!(out, " -->");
        assert_eq!(problems.len(), 2, "{problems:?}");
        // Forms a browser ends early, or reads otherwise than they look, are refused.
        assert_eq!(filter("<!--->a-->").0, "a-->");
        for comment in ["<!-->", "<!--->", "<!-- a --!>", "<!-- <!-- a -->"] {
            let (out, problems) = filter(comment);
            assert_eq!((out.as_str(), problems.len()), ("", 1), "{comment}");
        }
        for comment in [
            "<!---->",
            "<!-- a -- b -->",
            "<!-- sections -->",
            "<!--a--->",
        ] {
            assert_eq!(filter(comment), (comment.to_string(), Vec::new()));
        }
    }

    #[test]
    fn tags_are_read_with_their_quoting() {
        let tokens = tokenize(r#"<abbr title="a>b" x='c>d' y=e>f"#);
        let Some(Token::Tag(tag)) = tokens.first() else {
            panic!("{tokens:?}");
        };
        let names: Vec<&str> = tag.attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["title", "x", "y"]);
        assert!(
            matches!(tokens.get(1), Some(Token::Text(r)) if *r == (30..31)),
            "{tokens:?}"
        );
        // No space between attributes still makes two; `/` between them is a separator.
        let Some(Token::Tag(tag)) = tokenize(r#"<abbr title="x"onclick="y"/onfocus>"#).pop() else {
            panic!();
        };
        let names: Vec<&str> = tag.attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["title", "onclick", "onfocus"]);
        assert!(matches!(
            tokenize("<abbr title=\"x>").pop(),
            Some(Token::UnfinishedTag(..))
        ));
    }

    #[test]
    fn writes_out_only_what_is_allowed() {
        let (out, problems) = filter("<ABBR Title='Say \"hi\"'>X</ABBR><br/><sup >2</sup> a < b");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            out,
            "<abbr title=\"Say &quot;hi&quot;\">X</abbr><br><sup>2</sup> a &lt; b"
        );
        let (out, problems) = filter("<div class=x>a<script>x<b>y</b></SCRIPT >b</div>");
        assert_eq!(out, "ab");
        assert_eq!(problems.len(), 2, "{problems:?}");
        let (out, problems) = filter("<? x ><img src=x onerror=y> ?>");
        assert_eq!(out, " ?>");
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}

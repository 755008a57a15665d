//! Reading TOML with every error located: syntax errors, unknown keys, wrong types.
//!
//! A document is parsed once, keeping spans, and each top-level entry is then deserialized on
//! its own, so one bad indicator does not hide the errors of the next.
//!
//! Besides what TOML itself refuses, every document is held to what content may carry anywhere:
//! no invisible or control character, written as it is ([`crate::text::check_text`]) or as
//! an escape (`"\u200B"`), and no `nan` or `inf`, which no figure can be. Errors the TOML parser
//! places badly are moved to what they are about: a string that is never closed to where it
//! opens, a value or key nested past the parser's limit to where it starts.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml_parser::lexer::{Token, TokenKind};

use crate::diag::{Diagnostics, FileId, Location, Problems};

/// How deep the TOML parser lets values and keys nest: its recursion limit.
const NESTING_LIMIT: usize = 80;

/// One top-level entry of a TOML document, deserialized, with where its key and value stand.
#[derive(Debug)]
pub struct Entry<T> {
    /// The key as written.
    pub key: String,
    /// Where the key stands.
    pub key_at: Location,
    /// Where the value stands (for a `[table]`, the whole table).
    pub at: Location,
    /// The deserialized value.
    pub value: T,
}

/// Parses TOML `text`, which starts at byte `offset` of `file`, into `T`, recording errors.
pub fn parse_document<T: DeserializeOwned>(
    diags: &mut Problems,
    file: FileId,
    text: &str,
    offset: usize,
) -> Option<T> {
    parse_document_except(diags, file, text, offset, &[])
}

/// Parses TOML `text` as [`parse_document`] does, leaving out the top-level keys `others`
/// (the tables of `site.toml` plugins read for themselves: see [`parse_table`]).
pub fn parse_document_except<T: DeserializeOwned>(
    diags: &mut Problems,
    file: FileId,
    text: &str,
    offset: usize,
    others: &[&str],
) -> Option<T> {
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let source = Lexed::new(text);
        for error in errors {
            report(diags, file, &source, offset, &error);
        }
        return None;
    }
    check_characters(text, file, offset, diags);
    let span = table.span();
    let table: DeTable<'_> = table
        .into_inner()
        .into_iter()
        .filter(|(key, _)| !others.contains(&key.get_ref().as_ref()))
        .collect();
    let value = Spanned::new(span, DeValue::Table(table));
    deserialize(diags, file, text, offset, value)
}

/// Parses the value at `path` of the TOML file `file` (`["minutes", "committees"]` for
/// `[minutes.committees]`) into `T`, recording errors at their places: a plugin's table of
/// `site.toml`. `None` when the file has no such value, or cannot be read as TOML, which
/// whoever reads the whole file reports.
pub fn parse_table<T: DeserializeOwned>(
    diags: &mut Diagnostics,
    file: FileId,
    path: &[&str],
) -> Option<T> {
    let text = diags.text(file).to_string();
    let (table, errors) = DeTable::parse_recoverable(&text);
    if !errors.is_empty() {
        return None;
    }
    let mut value = Spanned::new(table.span(), DeValue::Table(table.into_inner()));
    for key in path {
        let DeValue::Table(table) = value.into_inner() else {
            return None;
        };
        (_, value) = table
            .into_iter()
            .find(|(k, _)| k.get_ref().as_ref() == *key)?;
    }
    deserialize(diags, file, &text, 0, value)
}

/// `value`, a part of TOML `text` (at byte `offset` of `file`), deserialized into `T`.
fn deserialize<T: DeserializeOwned>(
    diags: &mut Problems,
    file: FileId,
    text: &str,
    offset: usize,
    value: Spanned<DeValue<'_>>,
) -> Option<T> {
    if !numbers_are_finite(&value, file, offset, diags) {
        return None;
    }
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            report(diags, file, &Lexed::new(text), offset, &error);
            None
        }
    }
}

/// Parses each top-level entry of `file` into `T` on its own; entries that fail are reported and
/// left out, so every bad entry of a file is reported in one run.
pub fn parse_entries<T: DeserializeOwned>(diags: &mut Diagnostics, file: FileId) -> Vec<Entry<T>> {
    let text = diags.text(file).to_string();
    let (table, errors) = DeTable::parse_recoverable(&text);
    if !errors.is_empty() {
        let source = Lexed::new(&text);
        for error in errors {
            report(diags, file, &source, 0, &error);
        }
        return Vec::new();
    }
    check_characters(&text, file, 0, diags);
    let mut entries = Vec::new();
    let source = Lexed::new(&text);
    for (key, value) in table.into_inner() {
        let key_at = Location::new(file, key.span());
        let at = Location::new(file, value.span());
        if !numbers_are_finite(&value, file, 0, diags) {
            continue;
        }
        match T::deserialize(ValueDeserializer::from(value)) {
            Ok(parsed) => entries.push(Entry {
                key: key.into_inner().into_owned(),
                key_at,
                at,
                value: parsed,
            }),
            Err(error) => report(diags, file, &source, 0, &error),
        }
    }
    entries
}

/// TOML refuses control characters written as they are; the invisible ones it lets through,
/// and both kinds written as escapes, are refused here, as in Markdown (titles and notes are
/// shown on pages).
fn check_characters(text: &str, file: FileId, offset: usize, diags: &mut Problems) {
    crate::text::check_text(text, file, offset, diags);
    // Escapes need a backslash: most documents have none, and are not lexed again.
    if memchr::memchr(b'\\', text.as_bytes()).is_none() {
        return;
    }
    for token in toml_parser::Source::new(text).lex() {
        if !matches!(
            token.kind(),
            TokenKind::BasicString | TokenKind::MlBasicString
        ) {
            continue;
        }
        let span = token.span();
        let Some(raw) = text.get(span.start()..span.end()) else {
            continue;
        };
        for (at, escape, c) in escapes(raw) {
            let Some(name) = crate::chars::invisible_character(c) else {
                continue;
            };
            let start = offset + span.start() + at;
            let code = u32::from(c);
            let what = if c.is_control() {
                format!("the control character U+{code:04X} {name}, which a web page cannot show")
            } else {
                format!("the invisible character U+{code:04X} {name}, which readers cannot see")
            };
            diags.error(
                &Location::new(file, start..start + escape.len()),
                format!("the escape `{escape}` stands for {what}"),
                "delete the escape: text is written as it reads, and these characters hide, join or reorder the words around them",
            );
        }
    }
}

/// The escapes of a basic string as written (quotes included), each with where it starts, how
/// it is written and the character it stands for. An escape that stands for no character has
/// been refused by the parser already and is left out.
fn escapes(raw: &str) -> Vec<(usize, &str, char)> {
    let bytes = raw.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let (digits, simple) = match bytes.get(i + 1) {
            Some(b'u') => (4, None),
            Some(b'U') => (8, None),
            Some(b'x') => (2, None),
            Some(b'b') => (0, Some('\u{8}')),
            Some(b'f') => (0, Some('\u{c}')),
            Some(b'e') => (0, Some('\u{1b}')),
            // `\\`, `\"`, `\n`, `\t`, `\r` and a line-ending backslash: nothing hidden.
            _ => {
                i += 2;
                continue;
            }
        };
        let end = (i + 2 + digits).min(bytes.len());
        let Some(escape) = raw.get(i..end) else {
            i += 2;
            continue;
        };
        let c = simple.or_else(|| {
            u32::from_str_radix(escape.get(2..)?, 16)
                .ok()
                .and_then(char::from_u32)
        });
        if let Some(c) = c {
            found.push((i, escape, c));
        }
        i = end;
    }
    found
}

/// `nan` and `inf` (with or without a sign) are TOML floats, but no figure, comparator, part or
/// target can be one: each is an error at its place. False when there was one.
fn numbers_are_finite(
    value: &Spanned<DeValue<'_>>,
    file: FileId,
    offset: usize,
    diags: &mut Problems,
) -> bool {
    match value.get_ref() {
        DeValue::Float(float) => {
            let written = float.as_str();
            let bare = written.trim_start_matches(['+', '-']);
            let parsed = written.replace('_', "").parse::<f64>();
            if bare == "nan" || bare == "inf" || parsed.is_ok_and(|f| !f.is_finite()) {
                let span = value.span();
                diags.error(
                    &Location::new(file, span.start + offset..span.end + offset),
                    format!(
                        "`{written}` is not a number a figure can have: TOML's `nan` and `inf` stand for \"not a number\" and infinity"
                    ),
                    "write the figure as its source gives it, or leave the key out where the source gives none (the figure is then shown as \"not recorded\")",
                );
                return false;
            }
            true
        }
        DeValue::Array(items) => items.iter().fold(true, |ok, item| {
            numbers_are_finite(item, file, offset, diags) & ok
        }),
        DeValue::Table(table) => table.values().fold(true, |ok, item| {
            numbers_are_finite(item, file, offset, diags) & ok
        }),
        _ => true,
    }
}

/// Records a TOML error at its span, with a hint fitted to the kind of error. Errors the parser
/// places at the end of the text, or nowhere, are moved to what they are about first.
fn report(
    diags: &mut Problems,
    file: FileId,
    text: &Lexed<'_>,
    offset: usize,
    error: &toml::de::Error,
) {
    let message = error.message().trim().to_string();
    let (span, message, hint) = match relocate(text, error.span(), &message) {
        Some(placed) => placed,
        None => {
            let hint = if message.starts_with("unknown field") {
                "remove the key, or correct its spelling to one of the expected names"
            } else if message.starts_with("missing field") {
                "add the missing key"
            } else if message.starts_with("invalid type") {
                "write the value with the expected type (numbers without quotes, text in quotes)"
            } else {
                "correct the TOML syntax (strings in quotes, one `key = value` per line, `[table]` headers)"
            };
            (error.span().unwrap_or(0..0), message, hint.to_string())
        }
    };
    let at = Location::new(file, span.start + offset..span.end + offset);
    diags.error(&at, message, hint);
}

/// Where an error the parser places badly belongs, with the message and hint to give there:
/// a string that is never closed (placed at the end of its line or of the text) at its opening
/// quotes, and a value or key nested past the limit (placed inside it, or nowhere) at its start.
fn relocate(
    source: &Lexed<'_>,
    span: Option<Range<usize>>,
    message: &str,
) -> Option<(Range<usize>, String, String)> {
    let expected = message.rsplit(", expected ").next().unwrap_or("");
    if message.contains("string") && (expected == "`\"`" || expected == "`'`") {
        return unclosed_string(source, span?.start);
    }
    if message.starts_with("missing escaped value") {
        return unknown_escape(source.text, span?.start);
    }
    if message.contains("max recursion depth") && source.may_scan() {
        return value_nested_too_deep(source, span?.start);
    }
    if message == "recursion limit" && source.may_scan() {
        return key_of_too_many_parts(source);
    }
    None
}

/// A string never closed, for an error at `at`: at the opening quotes of the string token
/// `at` falls in (or just after), if it falls in one.
fn unclosed_string(source: &Lexed<'_>, at: usize) -> Option<(Range<usize>, String, String)> {
    // The last token that starts before the error: tokens are in order, so found by halves.
    let tokens = source.tokens();
    let i = tokens.partition_point(|t| t.span().start() < at);
    let token = *tokens.get(i.checked_sub(1)?)?;
    if !is_string(token.kind()) || at > token.span().end() {
        return None;
    }
    let (what, close, runs) = match token.kind() {
        TokenKind::MlBasicString => ("multi-line string", "\"\"\"", "the end of the text"),
        TokenKind::MlLiteralString => ("multi-line string", "'''", "the end of the text"),
        TokenKind::LiteralString => ("string", "'", "the end of its line"),
        _ => ("string", "\"", "the end of its line"),
    };
    let start = token.span().start();
    Some((
        start..start + close.len(),
        format!("this {what} is never closed: it runs to {runs}"),
        format!("end the {what} with `{close}`"),
    ))
}

/// An escape TOML does not know, for an error placed at `at`, just after its backslash: the
/// backslash and the character after it.
fn unknown_escape(text: &str, at: usize) -> Option<(Range<usize>, String, String)> {
    let start = at
        .checked_sub(1)
        .filter(|&s| text.as_bytes().get(s) == Some(&b'\\'))?;
    let end = text
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at, |c| at + c.len_utf8());
    let written = text.get(start..end)?;
    Some((
        start..end,
        format!("`{written}` is not an escape TOML knows"),
        "write `\\\\` for a backslash itself; the escapes are `\\n`, `\\t`, `\\\"`, `\\\\` and `\\uXXXX`, or write the string in single quotes ('…'), where a backslash is a backslash".to_string(),
    ))
}

/// A value nested past the limit, for an error at `at` inside it: at the outermost bracket
/// still open there, where the value starts.
fn value_nested_too_deep(source: &Lexed<'_>, at: usize) -> Option<(Range<usize>, String, String)> {
    let mut open: Vec<usize> = Vec::new();
    for token in source.tokens() {
        if token.span().start() >= at {
            break;
        }
        match token.kind() {
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                open.push(token.span().start());
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                open.pop();
            }
            _ => {}
        }
    }
    let start = *open.first()?;
    Some((
        start..start + 1,
        format!(
            "this value nests arrays or inline tables more than {NESTING_LIMIT} deep, past what TOML is read to"
        ),
        "write the value flat: a figure is a number, a text or a table of them".to_string(),
    ))
}

/// A dotted key (or table header) of too many parts, for an error the parser places nowhere:
/// the first such run of parts.
fn key_of_too_many_parts(source: &Lexed<'_>) -> Option<(Range<usize>, String, String)> {
    let mut parts = 0;
    let mut run_start = 0;
    let mut after_dot = false;
    for token in source.tokens() {
        match token.kind() {
            TokenKind::Whitespace => {}
            TokenKind::Dot => after_dot = true,
            TokenKind::Atom | TokenKind::BasicString | TokenKind::LiteralString => {
                if after_dot {
                    parts += 1;
                } else {
                    parts = 1;
                    run_start = token.span().start();
                }
                after_dot = false;
                if parts >= NESTING_LIMIT {
                    return Some((
                        run_start..token.span().end(),
                        format!(
                            "this key has {NESTING_LIMIT} or more dotted parts, past what TOML is read to"
                        ),
                        "write the key with fewer parts: a figure is a table of plain keys"
                            .to_string(),
                    ));
                }
            }
            _ => {
                parts = 0;
                after_dot = false;
            }
        }
    }
    None
}

/// A document's text and its tokens, lexed only if an error needs them, and once for all of
/// its errors.
struct Lexed<'t> {
    text: &'t str,
    tokens: std::sync::OnceLock<Vec<Token>>,
    /// How many more errors may be placed by a scan of the tokens from the start: a bound, so
    /// that a document of thousands of such errors costs no more than a few scans.
    scans: std::cell::Cell<usize>,
}

impl<'t> Lexed<'t> {
    fn new(text: &'t str) -> Self {
        Lexed {
            text,
            tokens: std::sync::OnceLock::new(),
            scans: std::cell::Cell::new(16),
        }
    }

    /// Whether another scan from the start may be made; counts it.
    fn may_scan(&self) -> bool {
        let left = self.scans.get();
        self.scans.set(left.saturating_sub(1));
        left > 0
    }

    fn tokens(&self) -> &[Token] {
        self.tokens
            .get_or_init(|| toml_parser::Source::new(self.text).lex().into_vec())
    }
}

fn is_string(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::BasicString
            | TokenKind::MlBasicString
            | TokenKind::LiteralString
            | TokenKind::MlLiteralString
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Item {
        value: f64,
    }

    #[test]
    fn reports_every_bad_entry_and_keeps_the_good() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file(
            "d.toml",
            "[a]\nvalue = 1\n\n[b]\nvalu = 2\n\n[c]\nvalue = \"x\"\n",
        );
        let entries: Vec<Entry<Item>> = parse_entries(&mut diags, file);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].key, "a");
        assert_eq!(entries[0].value.value, 1.0);
        assert_eq!(diags.error_count(), 2);
        let text = diags.render();
        assert!(text.contains("d.toml:5:1"), "{text}");
        assert!(text.contains("d.toml:8:9"), "{text}");
    }

    #[test]
    fn invisible_characters_in_strings_are_errors() {
        let mut diags = Diagnostics::new();
        let text = "[a]\nvalue = 1\nnote = \"a\u{200b}b\"\n";
        let file = diags.add_file("d.toml", text);
        let _: Vec<Entry<toml::Table>> = parse_entries(&mut diags, file);
        let front = "title = \"x\u{202e}y\"\n";
        let page = diags.add_file("p.md", format!("+++\n{front}+++\n"));
        let _: Option<toml::Table> = parse_document(&mut diags, page, front, 4);
        let text = diags.render();
        assert!(
            text.contains("d.toml:3:10") && text.contains("U+200B"),
            "{text}"
        );
        assert!(
            text.contains("p.md:2:11") && text.contains("U+202E"),
            "{text}"
        );
        assert_eq!(diags.error_count(), 2, "{text}");
    }

    fn errors_of(text: &str) -> (String, usize) {
        let mut diags = Diagnostics::new();
        let file = diags.add_file("d.toml", text);
        let _: Vec<Entry<toml::Value>> = parse_entries(&mut diags, file);
        (diags.render(), diags.error_count())
    }

    #[test]
    fn escaped_invisible_and_control_characters_are_errors_at_the_escape() {
        let text = r#"[a]
note = "a\u200Bb \\u200B is text"
"k\U0000202e" = 1
bell = "\u0007 \b \e \x7F"
fine = "\u00e9 \t \n \" \u00A0"
raw = 'a\u200Bb'
ml = """
line \u2066 two
"""
"#;
        let (report, count) = errors_of(text);
        for expected in [
            "d.toml:2:10",
            r"`\u200B` stands for the invisible character U+200B ZERO WIDTH SPACE",
            "d.toml:3:3",
            "U+202E RIGHT-TO-LEFT OVERRIDE",
            "d.toml:4:9",
            "U+0007 BELL",
            "d.toml:4:16",
            "U+0008 BACKSPACE",
            "d.toml:4:19",
            "U+001B ESCAPE",
            "d.toml:4:22",
            "U+007F DELETE",
            "d.toml:8:6",
            "U+2066 LEFT-TO-RIGHT ISOLATE",
        ] {
            assert!(report.contains(expected), "missing {expected}:\n{report}");
        }
        assert_eq!(count, 7, "{report}");
    }

    #[test]
    fn nan_and_inf_are_refused_wherever_they_stand() {
        let text = r#"[a]
value = nan

[b]
value = 1
comparators.england = { value = +inf, basis = "2021-22" }

[c]
list = [1.5, -nan, -inf, 1e999]

[d]
value = 2.5
inf = 1
nan = "nan"
"#;
        let mut diags = Diagnostics::new();
        let file = diags.add_file("d.toml", text);
        let entries: Vec<Entry<toml::Value>> = parse_entries(&mut diags, file);
        let report = diags.render();
        for expected in [
            "d.toml:2:9",
            "`nan` is not a number",
            "d.toml:6:33",
            "`+inf`",
            "d.toml:9:14",
            "`-nan`",
            "d.toml:9:20",
            "d.toml:9:26",
        ] {
            assert!(report.contains(expected), "missing {expected}:\n{report}");
        }
        assert_eq!(diags.error_count(), 5, "{report}");
        let kept: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(kept, ["d"], "entries with such a number are left out");
        let front = "title = \"t\"\nvalue = -inf\n";
        let page = diags.add_file("p.md", format!("+++\n{front}+++\n"));
        let parsed: Option<toml::Table> = parse_document(&mut diags, page, front, 4);
        assert!(parsed.is_none());
        assert!(diags.render().contains("p.md:3:9"), "{}", diags.render());
    }

    #[test]
    fn a_string_never_closed_is_an_error_where_it_opens() {
        let front = "title = \"t\"\nnote = \"\"\"\nThe figure\nwas 11%.\n";
        let mut diags = Diagnostics::new();
        let page = diags.add_file("p.md", format!("+++\n{front}+++\n\nBody.\n"));
        let parsed: Option<toml::Table> = parse_document(&mut diags, page, front, 4);
        assert!(parsed.is_none());
        let report = diags.render();
        assert!(report.contains("p.md:3:8"), "{report}");
        assert!(
            report.contains("this multi-line string is never closed"),
            "{report}"
        );
        assert!(
            report.contains(r#"end the multi-line string with `"""`"#),
            "{report}"
        );
        let (report, _) = errors_of("[a]\nnote = '''\nnever closed\n");
        assert!(
            report.contains("d.toml:2:8") && report.contains("`'''`"),
            "{report}"
        );
        let (report, _) = errors_of("[a]\nnote = \"abc\nvalue = 1\n");
        assert!(
            report.contains("d.toml:2:8") && report.contains("end of its line"),
            "{report}"
        );
        // Errors inside a multi-line string stay where they are.
        let (report, _) = errors_of("[a]\nnote = \"\"\"\nline one\nline two \\q bad\n\"\"\"\n");
        assert!(report.contains("d.toml:4:10"), "{report}");
        assert!(report.contains(r"`\q` is not an escape"), "{report}");
    }

    #[test]
    fn values_and_keys_nested_too_deep_are_errors_where_they_start() {
        let deep = |open: &str, close: &str, n| format!("{}1{}", open.repeat(n), close.repeat(n));
        for value in [
            deep("[", "]", 200),
            deep("{a=", "}", 200),
            deep("[{a=", "}]", 100),
        ] {
            let (report, count) = errors_of(&format!("[a]\nvalue = 1\nx = {value}\n"));
            assert!(report.contains("d.toml:3:5"), "{report}");
            assert!(report.contains("more than 80 deep"), "{report}");
            assert_eq!(count, 1, "{report}");
        }
        let dotted = vec!["a"; 300].join(".");
        for text in [
            format!("[x]\nvalue = 1\n{dotted} = 1\n"),
            format!("[x]\nvalue = 1\n[{dotted}]\nb = 1\n"),
        ] {
            let (report, _) = errors_of(&text);
            assert!(report.contains("d.toml:3:"), "{report}");
            assert!(!report.contains("d.toml:1:1"), "{report}");
            assert!(report.contains("dotted parts"), "{report}");
        }
        // Shallow nesting is fine.
        let (report, count) = errors_of(&format!("[a]\nx = {}\n", deep("[", "]", 20)));
        assert_eq!(count, 0, "{report}");
    }

    #[test]
    fn random_token_soup_never_panics_and_every_error_is_in_the_text() {
        // The shared seeded generator: the same cases every run.
        let mut rng = scrutiny_mutate::Rng::new(0x9e37_79b9_7f4a_7c15);
        let pieces = [
            "[",
            "]",
            "{",
            "}",
            "=",
            ",",
            ".",
            "\n",
            " ",
            "\"",
            "'",
            "\"\"\"",
            "'''",
            "\\",
            "\\u200B",
            "\\U0000202e",
            "\\x7f",
            "\\e",
            "\\q",
            "\\u12",
            "a",
            "value",
            "nan",
            "+inf",
            "-nan",
            "1e999",
            "1.5",
            "2022-11-17T10:00:00+01:00",
            "#",
            "\r",
            "\u{200b}",
            "é",
            "[[a]]",
        ];
        for _ in 0..3000 {
            let length = rng.below(40);
            let text: String = (0..length).map(|_| rng.pick(&pieces)).collect();
            let mut diags = Diagnostics::new();
            let file = diags.add_file("d.toml", text.as_str());
            let _: Vec<Entry<toml::Value>> = parse_entries(&mut diags, file);
            let page = diags.add_file("p.md", format!("+++\n{text}+++\n"));
            let _: Option<toml::Table> = parse_document(&mut diags, page, &text, 4);
            let report = diags.render();
            assert!(!report.contains("d.toml:0"), "{text:?}\n{report}");
        }
    }

    #[test]
    fn reports_syntax_errors_with_offset() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file("p.md", "+++\ntitle = \n+++\n");
        let parsed: Option<toml::Table> = parse_document(&mut diags, file, "title = \n", 4);
        assert!(parsed.is_none());
        assert!(diags.render().contains("p.md:2:"), "{}", diags.render());
    }
}

//! Diagnostics: every content error of one run, each naming `file:line:col`, with a hint.
//!
//! Loading never stops at the first problem. Each stage records what it finds here and the
//! pipeline decides at the end whether anything may be written. The report is rendered by
//! codespan-reporting as plain text, so tests and CI logs can assert on it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term;

/// Identifies one source file registered with [`Diagnostics`].
pub type FileId = usize;

/// A place in a source file: the file and a byte range within it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// The file. Kept apart from its parse ([`crate::parsed`]), a location is of the file it
    /// is read back for.
    #[serde(skip, default = "crate::parsed::file_being_read")]
    pub file: FileId,
    /// Byte range inside the file's text.
    pub span: Range<usize>,
}

impl Location {
    /// A location covering `span` in `file`.
    pub fn new(file: FileId, span: Range<usize>) -> Self {
        Self { file, span }
    }
}

/// How many errors of one file a report shows, nearest the file's start first. The others are
/// counted (a line says how many), not shown: a file with thousands of errors needs the first
/// ones fixed, and a report of all of them would take longer to write than to read.
pub(crate) const SHOWN_PER_FILE: usize = 50;

/// The longest message or hint an error keeps, in bytes: what is quoted from the content (a
/// reference, a value) is cut there, as a message about a 10 MB line is no use whole.
pub(crate) const MESSAGE_BYTES: usize = 600;

/// The longest line a report shows whole, in bytes: a paragraph written on one line is shown
/// as it is; a longer line, as [`SNIPPET_BYTES`] of it around the place.
const WHOLE_LINE_BYTES: usize = 1000;

/// How much of a longer line a report shows around the place it points at, in bytes.
const SNIPPET_BYTES: usize = 240;

/// How many lines of an error spanning several a report shows.
const SNIPPET_LINES: usize = 4;

/// Errors found by one piece of work, kept apart from the source files so that work done in
/// parallel can each record its own and [`Diagnostics::absorb`] them afterwards.
///
/// Of each file, only the errors a report can show (the first 50, nearest the start) are
/// kept; the others are counted. So a file with millions of errors costs memory and time for
/// fifty, and [`Problems::error_with`] does not even describe an error that will not be shown.
#[derive(Default, Debug)]
pub struct Problems {
    /// Errors that belong to no file, in the order recorded.
    general: Vec<Diagnostic<FileId>>,
    /// Errors of each file.
    files: BTreeMap<FileId, FileErrors>,
    /// Links from the site root (`/minutes/`), as site paths without the `/`, with where each is
    /// written: checked once every output path is known ([`Diagnostics::check_site_links`]).
    site_links: Vec<(String, Location)>,
}

/// The errors of one file: those a report may show, and how many others there were.
#[derive(Default, Debug)]
struct FileErrors {
    /// Each error with the byte its label starts at: in the order recorded, or after
    /// [`FileErrors::compact`] by position (ties in the order recorded), then as recorded.
    kept: Vec<(usize, Diagnostic<FileId>)>,
    /// Errors recorded and dropped: [`SHOWN_PER_FILE`] others come before each.
    hidden: usize,
    /// Once errors were dropped: where the last one kept starts. An error starting at or after
    /// it comes after [`SHOWN_PER_FILE`] others, and will not be shown.
    cutoff: Option<usize>,
}

impl FileErrors {
    fn will_show(&self, start: usize) -> bool {
        self.cutoff.is_none_or(|cutoff| start < cutoff)
    }

    fn push(&mut self, start: usize, diagnostic: Diagnostic<FileId>) {
        if !self.will_show(start) {
            self.hidden += 1;
            return;
        }
        self.kept.push((start, diagnostic));
        if self.kept.len() >= 4 * SHOWN_PER_FILE {
            self.compact();
        }
    }

    /// Keeps the first [`SHOWN_PER_FILE`] by position, counting the others.
    fn compact(&mut self) {
        self.kept.sort_by_key(|(start, _)| *start);
        if self.kept.len() > SHOWN_PER_FILE {
            self.hidden += self.kept.len() - SHOWN_PER_FILE;
            self.kept.truncate(SHOWN_PER_FILE);
            self.cutoff = self.kept.last().map(|(start, _)| *start);
        }
    }

    fn count(&self) -> usize {
        self.kept.len() + self.hidden
    }
}

/// `text` cut to at most [`MESSAGE_BYTES`] bytes (at a character), saying how much was cut.
fn capped(mut text: String) -> String {
    if text.len() <= MESSAGE_BYTES {
        return text;
    }
    let cut = floor_boundary(&text, MESSAGE_BYTES);
    let more = text[cut..].chars().count();
    text.truncate(cut);
    text.push_str(&format!("… ({more} more characters)"));
    text
}

/// The character boundary at or before byte `at` of `text`.
pub(crate) fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The character boundary at or after byte `at` of `text`.
fn ceil_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// How many characters `bytes` (UTF-8) holds: the bytes that do not continue a character.
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl Problems {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error at `at`, with a short label and a hint saying how to fix it.
    pub fn error(&mut self, at: &Location, message: impl Into<String>, hint: impl Into<String>) {
        self.error_with(at, || (message.into(), hint.into()));
    }

    /// Records an error at `at` whose message and hint `describe` gives, called only if the
    /// error can be shown (at most 50 a file): for errors costly to describe (the nearest
    /// valid names) or found by the million (a character repeated through a file).
    pub fn error_with(&mut self, at: &Location, describe: impl FnOnce() -> (String, String)) {
        let errors = self.files.entry(at.file).or_default();
        if !errors.will_show(at.span.start) {
            errors.hidden += 1;
            return;
        }
        let (message, hint) = describe();
        let diagnostic = Diagnostic::error()
            .with_message(capped(message))
            .with_labels(vec![Label::primary(at.file, at.span.clone())])
            .with_notes(vec![format!("hint: {}", capped(hint))]);
        errors.push(at.span.start, diagnostic);
    }

    /// Records an error that belongs to no file (a missing directory, an unreadable path).
    pub fn error_without_file(&mut self, message: impl Into<String>, hint: impl Into<String>) {
        let diagnostic = Diagnostic::error()
            .with_message(capped(message.into()))
            .with_notes(vec![format!("hint: {}", capped(hint.into()))]);
        self.general.push(diagnostic);
    }

    /// Records a link from the site root to `path` (`minutes/children-osc/`), written at `at`,
    /// to be checked against the pages and files of the site.
    pub fn site_link(&mut self, path: &str, at: &Location) {
        self.site_links.push((path.to_string(), at.clone()));
    }

    /// How many errors have been recorded (shown or not).
    pub fn error_count(&self) -> usize {
        self.general.len() + self.files.values().map(FileErrors::count).sum::<usize>()
    }

    /// Whether any error has been recorded.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Adds the errors of `other`, recorded after this one's.
    fn merge(&mut self, other: Problems) {
        self.general.extend(other.general);
        for (file, errors) in other.files {
            let into = self.files.entry(file).or_default();
            into.hidden += errors.hidden;
            for (start, diagnostic) in errors.kept {
                into.push(start, diagnostic);
            }
        }
        self.site_links.extend(other.site_links);
    }
}

/// One registered source file. Where its lines start is worked out only when a message needs
/// a line number: a build without errors never pays for it.
struct SourceFile {
    name: String,
    /// Its text: empty once released ([`Diagnostics::release_text`]) until a message needs it
    /// again and it is read back from `origin`.
    text: OnceLock<String>,
    /// Where it was read from, if it can be read again.
    origin: Option<Origin>,
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn text(&self) -> &str {
        self.text.get_or_init(|| self.read_again())
    }

    /// The text read back from where it came from, as it was registered (bytes that are not
    /// UTF-8 as U+FFFD); empty if the file cannot be read or has changed length since it was
    /// first read.
    fn read_again(&self) -> String {
        let Some(origin) = &self.origin else {
            return String::new();
        };
        let Ok(bytes) = std::fs::read(&origin.path) else {
            return String::new();
        };
        let (text, _) = decode(bytes);
        match origin.len.get() {
            Some(len) if *len != text.len() => String::new(),
            _ => text,
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts
            .get_or_init(|| files::line_starts(self.text()).collect())
    }

    /// The 0-based index of the line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts()
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The byte range of line `index` without its line break.
    fn line_content(&self, index: usize) -> Range<usize> {
        let starts = self.line_starts();
        let text = self.text();
        let start = starts.get(index).copied().unwrap_or(text.len());
        let end = starts.get(index + 1).copied().unwrap_or(text.len());
        let line = &text.as_bytes()[start..end];
        let content = line
            .iter()
            .rposition(|&b| b != b'\n' && b != b'\r')
            .map_or(0, |last| last + 1);
        start..start + content
    }
}

/// Where a registered file's text was read from, and how long it was when first read: a
/// message that needs the text after it was released reads it again, unless it has changed.
struct Origin {
    path: PathBuf,
    len: OnceLock<usize>,
}

/// A file's bytes as text: bytes that are not UTF-8 become U+FFFD (so the rest of the file can
/// still be checked, and line:col, counted in characters, stay as an editor shows them), with
/// the error to record at the first of them.
pub fn decode(bytes: Vec<u8>) -> (String, Option<NotUtf8>) {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return (text, None),
        Err(e) => e.into_bytes(),
    };
    // Where each run of bytes that is not UTF-8 starts.
    let mut bad = Vec::new();
    let mut at = 0;
    while let Err(e) = std::str::from_utf8(&bytes[at..]) {
        bad.push(at + e.valid_up_to());
        at += e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - at - e.valid_up_to());
        if at >= bytes.len() {
            break;
        }
    }
    let first = bad.first().copied().unwrap_or(0);
    let byte = bytes.get(first).copied().unwrap_or(0);
    // As Windows-1252 (which Word and Notepad often save in), the byte would be this character.
    let meant = match byte {
        0x80..=0x9f => crate::chars::windows_1252(char::from(byte)),
        0xa1..=0xff if byte != 0xad => Some(char::from(byte)),
        _ => None,
    };
    let mut message =
        format!("this file is not UTF-8 text: the byte 0x{byte:02X} here cannot be read");
    if let Some(meant) = meant {
        message.push_str(&format!(
            " (in Windows-1252, which Word and Notepad often save in, it is “{meant}”)"
        ));
    }
    match bad.len() {
        0 | 1 => {}
        2 => message.push_str("; 1 more byte like it follows"),
        n => message.push_str(&format!("; {} more bytes like it follow", n - 1)),
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (text, Some(NotUtf8 { at: first, message }))
}

/// Where a file stops being UTF-8 text, and the message saying so ([`decode`]).
#[derive(Debug)]
pub struct NotUtf8 {
    at: usize,
    message: String,
}

impl Problems {
    /// Records that `file` is not UTF-8 text, at its first byte that is not.
    pub fn not_utf8(&mut self, file: FileId, bad: NotUtf8) {
        // In the text as decoded, the byte is one U+FFFD (three bytes).
        self.error(
            &Location::new(file, bad.at..bad.at + '\u{fffd}'.len_utf8()),
            bad.message,
            "save the file as UTF-8 (in Word: Save As → Plain Text → UTF-8)",
        );
    }
}

/// Where in its file each line of an [`Excerpt`] comes from.
struct ExcerptLine {
    /// Its range in the excerpt's text, with its line break.
    range: Range<usize>,
    /// Where the file's own text starts in it (after a `…` when the line is cut at the left).
    content: usize,
    /// The characters of the file's line before that point.
    column: usize,
}

/// What codespan-reporting is given to show one error: the lines it points at, each longer
/// than [`WHOLE_LINE_BYTES`] cut to [`SNIPPET_BYTES`] around the place (with `…` where it is cut), at most
/// [`SNIPPET_LINES`] of them, and invisible characters replaced by visible ones of the same
/// length. It reports the file's own line and column numbers.
struct Excerpt<'a> {
    name: &'a str,
    text: String,
    /// The file's line number of the first line.
    first_line: usize,
    lines: Vec<ExcerptLine>,
}

impl Excerpt<'_> {
    /// The excerpt of `file` for an error at bytes `span` (within the text), and the span in
    /// the excerpt.
    fn new(file: &SourceFile, span: Range<usize>) -> (Excerpt<'_>, Range<usize>) {
        let text = file.text();
        let first = file.line_index(span.start);
        let last = file.line_index(span.end).min(first + SNIPPET_LINES - 1);
        let mut excerpt = Excerpt {
            name: &file.name,
            text: String::new(),
            first_line: first + 1,
            lines: Vec::new(),
        };
        let (mut start, mut end) = (0, 0);
        for index in first..=last {
            let line = file.line_content(index);
            // The place to show: where the error starts, on its first line; where it ends, on
            // its last; else the line's start.
            let focus = if index == first {
                span.start
            } else if index == last {
                span.end.min(line.end)
            } else {
                line.start
            };
            let whole = line.len() <= WHOLE_LINE_BYTES;
            let from = if whole {
                line.start
            } else {
                floor_boundary(
                    text,
                    focus.saturating_sub(SNIPPET_BYTES / 3).max(line.start),
                )
            };
            let to = if whole {
                line.end
            } else {
                ceil_boundary(text, (from + SNIPPET_BYTES).min(line.end))
            };
            let begins = excerpt.text.len();
            if from > line.start {
                excerpt.text.push('…');
            }
            let content = excerpt.text.len();
            excerpt.text.extend(text[from..to].chars().map(|c| {
                match (crate::chars::invisible_character(c).is_some(), c.len_utf8()) {
                    (false, _) => c,
                    (true, 1) => '?',
                    (true, 2) => '¿',
                    (true, _) => '\u{fffd}',
                }
            }));
            let cut_end = excerpt.text.len();
            if to < line.end {
                excerpt.text.push('…');
            }
            excerpt.text.push('\n');
            let place = |offset: usize| content + offset.clamp(from, to) - from;
            if index == first {
                start = place(span.start);
            }
            end = if span.end <= to || index < last {
                place(span.end.min(to))
            } else {
                cut_end
            };
            excerpt.lines.push(ExcerptLine {
                range: begins..excerpt.text.len(),
                content,
                column: char_count(&text.as_bytes()[line.start..from]),
            });
        }
        (excerpt, start..end.max(start))
    }

    fn line(&self, index: usize) -> Result<&ExcerptLine, files::Error> {
        self.lines.get(index).ok_or(files::Error::LineTooLarge {
            given: index,
            max: self.lines.len().saturating_sub(1),
        })
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: FileId) -> Result<&'a str, files::Error> {
        Ok(self.name)
    }

    fn source(&'a self, _: FileId) -> Result<&'a str, files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, _: FileId, byte_index: usize) -> Result<usize, files::Error> {
        Ok(self
            .lines
            .partition_point(|line| line.range.start <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, _: FileId, line_index: usize) -> Result<usize, files::Error> {
        Ok(self.first_line + line_index)
    }

    fn column_number(
        &'a self,
        _: FileId,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let line = self.line(line_index)?;
        let to = byte_index.clamp(line.content, line.range.end.max(line.content));
        Ok(line.column + char_count(&self.text.as_bytes()[line.content..to]) + 1)
    }

    fn line_range(&'a self, _: FileId, line_index: usize) -> Result<Range<usize>, files::Error> {
        Ok(self.line(line_index)?.range.clone())
    }
}

/// The source files of a run and the errors found in them. It dereferences to its
/// [`Problems`], so anything that records errors takes either.
#[derive(Default)]
pub struct Diagnostics {
    files: Vec<SourceFile>,
    problems: Problems,
}

impl std::ops::Deref for Diagnostics {
    type Target = Problems;

    fn deref(&self) -> &Problems {
        &self.problems
    }
}

impl std::ops::DerefMut for Diagnostics {
    fn deref_mut(&mut self) -> &mut Problems {
        &mut self.problems
    }
}

impl Diagnostics {
    /// An empty set of files and errors.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a source file under the name shown in messages (a path relative to the site root).
    pub fn add_file(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.add(name.into(), OnceLock::from(text.into()), None)
    }

    /// Registers a source file read from `path`, whose text can be released once it has been
    /// read ([`Diagnostics::release_text`]) and read again from there if a message needs it.
    pub fn add_read_file(
        &mut self,
        name: impl Into<String>,
        path: impl Into<PathBuf>,
        text: impl Into<String>,
    ) -> FileId {
        let text = text.into();
        let origin = Origin {
            path: path.into(),
            len: OnceLock::from(text.len()),
        };
        self.add(name.into(), OnceLock::from(text), Some(origin))
    }

    /// Registers a source file at `path` not read yet: whoever reads it reads it with
    /// [`Diagnostics::read_text`], in parallel with others if it likes, and keeps nothing of
    /// it once done. A message that quotes it reads it again.
    pub fn add_unread_file(&mut self, name: impl Into<String>, path: impl Into<PathBuf>) -> FileId {
        let origin = Origin {
            path: path.into(),
            len: OnceLock::new(),
        };
        self.add(name.into(), OnceLock::new(), Some(origin))
    }

    fn add(&mut self, name: String, text: OnceLock<String>, origin: Option<Origin>) -> FileId {
        self.files.push(SourceFile {
            name,
            text,
            origin,
            line_starts: OnceLock::new(),
        });
        self.files.len() - 1
    }

    /// The text of `file`: the text it was registered with, or, for a file registered unread
    /// ([`Diagnostics::add_unread_file`]), read now, with its problems (it cannot be read, it is
    /// not UTF-8) recorded in `problems`. What is read is not kept: that is the caller's.
    pub fn read_text(&self, file: FileId, problems: &mut Problems) -> Cow<'_, str> {
        let Some(source) = self.files.get(file) else {
            return Cow::Borrowed("");
        };
        if let Some(text) = source.text.get() {
            return Cow::Borrowed(text);
        }
        let Some(origin) = &source.origin else {
            return Cow::Borrowed("");
        };
        let bytes = match std::fs::read(&origin.path) {
            Ok(bytes) => bytes,
            Err(e) => {
                problems.error_without_file(
                    format!("cannot read {}: {e}", source.name),
                    "check the file's permissions",
                );
                return Cow::Borrowed("");
            }
        };
        let (text, bad) = decode(bytes);
        let _ = origin.len.set(text.len());
        if let Some(bad) = bad {
            problems.not_utf8(file, bad);
        }
        Cow::Owned(text)
    }

    /// Lets go of the text of `file`, read from a path ([`Diagnostics::add_read_file`]), once
    /// everything that reads it is done: a message that quotes it later reads it again. (Files
    /// registered with their text alone keep it.)
    pub fn release_text(&mut self, file: FileId) {
        if let Some(source) = self.files.get_mut(file)
            && source.origin.is_some()
        {
            source.text = OnceLock::new();
            source.line_starts = OnceLock::new();
        }
    }

    /// The text of a registered file (read again if it was released or registered unread; such
    /// a read records no problem: a file registered unread is read with
    /// [`Diagnostics::read_text`] first).
    pub fn text(&self, file: FileId) -> &str {
        self.files.get(file).map_or("", SourceFile::text)
    }

    /// How many files are registered: their ids are `0..file_count()`.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// The display name of a registered file.
    pub fn name(&self, file: FileId) -> &str {
        self.files.get(file).map_or("", |f| f.name.as_str())
    }

    /// Adds the errors of a piece of work done apart (in parallel, say).
    pub fn absorb(&mut self, problems: Problems) {
        self.problems.merge(problems);
    }

    /// Checks every link from the site root against the site: `exists` says whether a path
    /// (`minutes/`, `actions/actions.json`) is written. A fragment or query is not checked.
    pub fn check_site_links(&mut self, exists: impl Fn(&str) -> bool) {
        for (link, at) in std::mem::take(&mut self.problems.site_links) {
            let path = link.split(['#', '?']).next().unwrap_or_default();
            let found = if path.is_empty() || path.ends_with('/') {
                exists(&format!("{path}index.html"))
            } else {
                exists(path) || exists(&format!("{path}/index.html"))
            };
            if !found {
                self.problems.error(
                    &at,
                    format!("the link `/{link}` goes to no page or file of this site"),
                    "correct the path (a page's ends with `/`, e.g. `/minutes/`), or link with a cross-reference such as `meeting:children-osc/2022-11-17` or `report:2022-23/q2`, which the build checks and keeps up to date",
                );
            }
        }
    }

    /// `file:line:col` (1-based) of a location, as messages show it.
    pub fn position(&self, at: &Location) -> String {
        let (line, col) = self.line_col(at.file, at.span.start);
        format!("{}:{}:{}", self.name(at.file), line, col)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: FileId, offset: usize) -> (usize, usize) {
        let Some(source) = self.files.get(file) else {
            return (1, 1);
        };
        let text = source.text();
        let offset = floor_boundary(text, offset);
        let line = source.line_index(offset);
        let start = source.line_starts().get(line).copied().unwrap_or(0);
        let column = char_count(&text.as_bytes()[start.min(offset)..offset]);
        (line + 1, column + 1)
    }

    /// The errors, rendered as plain text: those without a file first, then each file's in
    /// order of position, at most 50 of a file, with a line saying how many
    /// more it has.
    pub fn render(&self) -> String {
        let config = term::Config::default();
        let mut out = String::new();
        let emit = |out: &mut String, diagnostic: &Diagnostic<FileId>, files: &Excerpt<'_>| {
            match term::emit_into_string(&config, files, diagnostic) {
                Ok(text) => out.push_str(&text),
                Err(_) => out.push_str(&format!("error: {}\n", diagnostic.message)),
            }
            out.push('\n');
        };
        let nothing = Excerpt {
            name: "",
            text: String::new(),
            first_line: 1,
            lines: Vec::new(),
        };
        for diagnostic in &self.problems.general {
            emit(&mut out, diagnostic, &nothing);
        }
        for (&file, errors) in &self.problems.files {
            let mut ordered: Vec<&(usize, Diagnostic<FileId>)> = errors.kept.iter().collect();
            ordered.sort_by_key(|(start, _)| *start);
            for (_, diagnostic) in ordered.iter().take(SHOWN_PER_FILE) {
                let mut diagnostic = diagnostic.clone();
                match (self.files.get(file), diagnostic.labels.first_mut()) {
                    (Some(source), Some(label)) => {
                        let span = self.clamp(&Location::new(file, label.range.clone()));
                        let (excerpt, span) = Excerpt::new(source, span);
                        label.range = span;
                        emit(&mut out, &diagnostic, &excerpt);
                    }
                    _ => {
                        diagnostic.labels.clear();
                        emit(&mut out, &diagnostic, &nothing);
                    }
                }
            }
            let more = errors.count().saturating_sub(SHOWN_PER_FILE);
            if more > 0 {
                out.push_str(&format!(
                    "note: {more} more error{} in {} not shown; fix the ones above and run again\n\n",
                    if more == 1 { "" } else { "s" },
                    self.name(file)
                ));
            }
        }
        out
    }

    /// `at`'s span within its file's text, on character boundaries, without the line break a
    /// span of a whole line ends in (so the label stays on its line).
    fn clamp(&self, at: &Location) -> Range<usize> {
        let text = self.text(at.file);
        let start = floor_boundary(text, at.span.start);
        let mut end = ceil_boundary(text, at.span.end.max(start));
        let bytes = text.as_bytes();
        while end > start + 1 && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_from_the_site_root_must_name_a_page_or_file() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file("m.md", "0123456789");
        let mut problems = Problems::new();
        for (n, link) in [
            "minutes/",
            "minutes",
            "actions/actions.json#x",
            "",
            "minutes/?q=1",
            "nowhere/",
            "actions/missing.json",
        ]
        .iter()
        .enumerate()
        {
            problems.site_link(link, &Location::new(file, n..n + 1));
        }
        diags.absorb(problems);
        let written = ["index.html", "minutes/index.html", "actions/actions.json"];
        diags.check_site_links(|path| written.contains(&path));
        let text = diags.render();
        assert_eq!(diags.error_count(), 2, "{text}");
        assert!(
            text.contains("m.md:1:6") && text.contains("`/nowhere/`"),
            "{text}"
        );
        assert!(
            text.contains("m.md:1:7") && text.contains("`/actions/missing.json`"),
            "{text}"
        );
    }

    #[test]
    fn renders_file_line_col_and_hint() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file("data/x.toml", "a = 1\nvalue = 140\n");
        diags.error(
            &Location::new(file, 14..17),
            "percentage above 100",
            "use a value from 0 to 100",
        );
        let text = diags.render();
        assert!(text.contains("data/x.toml:2:9"), "{text}");
        assert!(text.contains("hint: use a value from 0 to 100"), "{text}");
        assert_eq!(diags.error_count(), 1);
    }

    #[test]
    fn a_released_text_is_read_again_to_quote_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.toml");
        let text = "a = 1\nvalue = 140\n";
        std::fs::write(&path, text).unwrap();
        let mut diags = Diagnostics::new();
        let file = diags.add_read_file("data/x.toml", &path, text);
        assert_eq!(diags.line_col(file, 14), (2, 9));
        diags.release_text(file);
        diags.error(
            &Location::new(file, 14..17),
            "percentage above 100",
            "fix it",
        );
        let report = diags.render();
        assert!(report.contains("data/x.toml:2:9"), "{report}");
        assert!(report.contains("value = 140"), "{report}");
        // Changed since it was read, it is not quoted, and nothing breaks.
        diags.release_text(file);
        std::fs::write(&path, "a = 1\n").unwrap();
        let report = diags.render();
        assert!(report.contains("percentage above 100"), "{report}");
        assert!(!report.contains("value = 140"), "{report}");
    }

    #[test]
    fn a_file_registered_unread_is_read_by_its_reader_with_its_problems() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        std::fs::write(&path, b"# Minutes\n\nCaf\xe9 value\n").unwrap();
        let mut diags = Diagnostics::new();
        let file = diags.add_unread_file("content/minutes/x.md", &path);
        let mut problems = Problems::new();
        let text = diags.read_text(file, &mut problems).into_owned();
        assert_eq!(text, "# Minutes\n\nCaf\u{fffd} value\n");
        diags.absorb(problems);
        let at = text.find("value").unwrap();
        diags.error(&Location::new(file, at..at + 5), "not a value", "fix it");
        let report = diags.render();
        assert!(report.contains("content/minutes/x.md:3:4"), "{report}");
        assert!(report.contains("the byte 0xE9"), "{report}");
        // Quoted from the file read again, as the reader saw it.
        assert!(report.contains("content/minutes/x.md:3:6"), "{report}");
        assert!(report.contains("Caf\u{fffd} value"), "{report}");
        assert_eq!(diags.error_count(), 2);
        // A file that cannot be read is an error naming it, and reads as empty.
        let gone = diags.add_unread_file("content/minutes/gone.md", dir.path().join("gone.md"));
        let mut problems = Problems::new();
        assert_eq!(diags.read_text(gone, &mut problems), "");
        diags.absorb(problems);
        assert!(
            diags
                .render()
                .contains("cannot read content/minutes/gone.md")
        );
        // A file registered with its text gives it as it is, and records nothing.
        let kept = diags.add_file("a.md", "text");
        let mut problems = Problems::new();
        assert_eq!(diags.read_text(kept, &mut problems), "text");
        assert!(!problems.has_errors());
    }

    #[test]
    fn a_long_line_is_shown_around_the_place() {
        let mut diags = Diagnostics::new();
        let line = format!(
            "{}é{}target{}",
            "a".repeat(5000),
            "b".repeat(5000),
            "c".repeat(5000)
        );
        let text = format!("first\n{line}\nlast\n");
        let at = text.find("target").expect("target");
        let file = diags.add_file("long.md", text);
        diags.error(&Location::new(file, at..at + 6), "here", "fix it");
        let report = diags.render();
        // The column counts characters: 5,000 a, é, 5,000 b.
        assert!(report.contains("long.md:2:10002"), "{report}");
        assert!(report.len() < 1000, "{} bytes:\n{report}", report.len());
        assert!(
            report.contains("…bbbb") && report.contains("target"),
            "{report}"
        );
        assert!(report.contains("cccc…"), "{report}");
        // The carets stand under the word.
        let chars_before =
            |line: &str, what: &str| line.find(what).map(|at| line[..at].chars().count());
        let caret_line = report.lines().find(|l| l.contains('^')).expect("carets");
        let shown_line = report.lines().find(|l| l.contains("target")).expect("line");
        assert_eq!(
            chars_before(caret_line, "^^^^^^"),
            chars_before(shown_line, "target"),
            "{report}"
        );
    }

    #[test]
    fn a_span_over_many_lines_shows_its_first_lines() {
        let mut diags = Diagnostics::new();
        let text: String = (1..=1000).map(|n| format!("line {n}\n")).collect();
        let file = diags.add_file("t.toml", text.clone());
        diags.error(&Location::new(file, 0..text.len()), "a table", "fix it");
        let report = diags.render();
        assert!(report.contains("t.toml:1:1"), "{report}");
        assert!(
            report.contains("line 4") && !report.contains("line 5"),
            "{report}"
        );
    }

    #[test]
    fn each_file_shows_its_first_errors_and_counts_the_rest() {
        let mut diags = Diagnostics::new();
        let text = "x".repeat(100_000);
        let file = diags.add_file("many.md", text.clone());
        let other = diags.add_file("other.md", "y");
        let mut described = 0;
        // Recorded from the end, then from the start: the first by position are shown.
        for at in (0..50_000).rev().chain(50_000..100_000) {
            diags.error_with(&Location::new(file, at..at + 1), || {
                described += 1;
                (format!("error at {at}"), "fix it".into())
            });
        }
        diags.error(&Location::new(other, 0..1), "the other file", "fix it");
        assert_eq!(diags.error_count(), 100_001);
        // The errors recorded after fifty earlier ones are not even described.
        assert!(described < 51_000, "{described} described");
        let report = diags.render();
        assert_eq!(
            report.matches("error at").count(),
            SHOWN_PER_FILE,
            "{report}"
        );
        assert!(
            report.contains("many.md:1:1\n") && report.contains("many.md:1:50\n"),
            "{report}"
        );
        assert!(!report.contains("many.md:1:51\n"), "{report}");
        assert!(
            report.contains("note: 99950 more errors in many.md not shown"),
            "{report}"
        );
        assert!(report.contains("other.md:1:1"), "{report}");
        // Work done apart and absorbed keeps the same order.
        let mut apart = Problems::new();
        apart.error(&Location::new(file, 0..0), "first of all", "fix it");
        diags.absorb(apart);
        let report = diags.render();
        assert!(report.contains("first of all"), "{report}");
        assert_eq!(diags.error_count(), 100_002);
    }

    #[test]
    fn long_messages_are_cut() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file("f.md", "text");
        diags.error(
            &Location::new(file, 0..1),
            "m".repeat(100_000),
            "h".repeat(100_000),
        );
        let report = diags.render();
        assert!(report.len() < 2 * MESSAGE_BYTES + 500, "{report}");
        assert!(report.contains("more characters)"), "{report}");
    }

    #[test]
    fn columns_count_characters() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file("f.md", "a\n€€x\n");
        assert_eq!(diags.line_col(file, 8), (2, 3));
        assert_eq!(diags.line_col(file, 100), (3, 1));
        assert_eq!(diags.position(&Location::new(file, 2..3)), "f.md:2:1");
    }

    #[test]
    fn spans_past_the_end_are_clamped() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file("f.md", "short");
        diags.error(&Location::new(file, 40..90), "x", "y");
        assert!(diags.render().contains("f.md:1:6"));
    }
}

//! Diagnostics: every content error of one run, each naming `file:line:col`, with a hint.
//!
//! Loading never stops at the first problem. Each stage records what it finds here and the
//! pipeline decides at the end whether anything may be written. The report is rendered by
//! codespan-reporting as plain text, so tests and CI logs can assert on it.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term;

/// Identifies one source file registered with [`Diagnostics`].
pub type FileId = usize;

/// A place in a source file: the file and a byte range within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
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

/// Errors found by one piece of work, kept apart from the source files so that work done in
/// parallel can each record its own and [`Diagnostics::absorb`] them afterwards.
#[derive(Default, Debug)]
pub struct Problems {
    errors: Vec<Diagnostic<FileId>>,
    /// Links from the site root (`/minutes/`), as site paths without the `/`, with where each is
    /// written: checked once every output path is known ([`Diagnostics::check_site_links`]).
    site_links: Vec<(String, Location)>,
}

impl Problems {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error at `at`, with a short label and a hint saying how to fix it.
    pub fn error(&mut self, at: &Location, message: impl Into<String>, hint: impl Into<String>) {
        let diagnostic = Diagnostic::error()
            .with_message(message.into())
            .with_labels(vec![Label::primary(at.file, at.span.clone())])
            .with_notes(vec![format!("hint: {}", hint.into())]);
        self.errors.push(diagnostic);
    }

    /// Records an error that belongs to no file (a missing directory, an unreadable path).
    pub fn error_without_file(&mut self, message: impl Into<String>, hint: impl Into<String>) {
        let diagnostic = Diagnostic::error()
            .with_message(message.into())
            .with_notes(vec![format!("hint: {}", hint.into())]);
        self.errors.push(diagnostic);
    }

    /// Records a link from the site root to `path` (`minutes/children-osc/`), written at `at`,
    /// to be checked against the pages and files of the site.
    pub fn site_link(&mut self, path: &str, at: &Location) {
        self.site_links.push((path.to_string(), at.clone()));
    }

    /// How many errors have been recorded.
    pub fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// Whether any error has been recorded.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// One registered source file. Where its lines start is worked out only when a message needs
/// a line number: a build without errors never pays for it.
struct SourceFile {
    name: String,
    text: String,
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.line_starts
            .get_or_init(|| files::line_starts(&self.text).collect())
    }

    /// Byte offset where line `index` (0-based) starts; the text's end for the line after the last.
    fn line_start(&self, index: usize) -> Result<usize, files::Error> {
        let starts = self.line_starts();
        match index.cmp(&starts.len()) {
            std::cmp::Ordering::Less => Ok(starts[index]),
            std::cmp::Ordering::Equal => Ok(self.text.len()),
            std::cmp::Ordering::Greater => Err(files::Error::LineTooLarge {
                given: index,
                max: starts.len() - 1,
            }),
        }
    }
}

/// The files of a run, as codespan-reporting reads them.
#[derive(Default)]
struct SourceFiles(Vec<SourceFile>);

impl SourceFiles {
    fn get(&self, file: FileId) -> Result<&SourceFile, files::Error> {
        self.0.get(file).ok_or(files::Error::FileMissing)
    }

    /// The files as a report may show them: each control or invisible character (see
    /// [`crate::markdown::invisible_character`]) replaced by a visible one of the same length
    /// in bytes, so positions stay as they are and the terminal shows what the report means.
    fn shown(&self) -> Cow<'_, SourceFiles> {
        let hidden = |c: char| crate::markdown::invisible_character(c).is_some();
        if !self.0.iter().any(|f| f.text.contains(hidden)) {
            return Cow::Borrowed(self);
        }
        let files = self
            .0
            .iter()
            .map(|f| SourceFile {
                name: f.name.clone(),
                text: f
                    .text
                    .chars()
                    .map(|c| match (hidden(c), c.len_utf8()) {
                        (false, _) => c,
                        (true, 1) => '?',
                        (true, 2) => '¿',
                        (true, _) => '\u{fffd}',
                    })
                    .collect(),
                line_starts: OnceLock::new(),
            })
            .collect();
        Cow::Owned(SourceFiles(files))
    }
}

impl Clone for SourceFiles {
    fn clone(&self) -> Self {
        SourceFiles(
            self.0
                .iter()
                .map(|f| SourceFile {
                    name: f.name.clone(),
                    text: f.text.clone(),
                    line_starts: OnceLock::new(),
                })
                .collect(),
        )
    }
}

impl<'a> Files<'a> for SourceFiles {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, file: FileId) -> Result<&'a str, files::Error> {
        Ok(&self.get(file)?.name)
    }

    fn source(&'a self, file: FileId) -> Result<&'a str, files::Error> {
        Ok(&self.get(file)?.text)
    }

    fn line_index(&'a self, file: FileId, byte_index: usize) -> Result<usize, files::Error> {
        Ok(self
            .get(file)?
            .line_starts()
            .binary_search(&byte_index)
            .unwrap_or_else(|next_line| next_line - 1))
    }

    fn line_range(&'a self, file: FileId, line_index: usize) -> Result<Range<usize>, files::Error> {
        let file = self.get(file)?;
        Ok(file.line_start(line_index)?..file.line_start(line_index + 1)?)
    }
}

/// The source files of a run and the errors found in them. It dereferences to its
/// [`Problems`], so anything that records errors takes either.
#[derive(Default)]
pub struct Diagnostics {
    files: SourceFiles,
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
        self.files.0.push(SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        });
        self.files.0.len() - 1
    }

    /// The text of a registered file.
    pub fn text(&self, file: FileId) -> &str {
        self.files.get(file).map_or("", |f| f.text.as_str())
    }

    /// The display name of a registered file.
    pub fn name(&self, file: FileId) -> &str {
        self.files.get(file).map_or("", |f| f.name.as_str())
    }

    /// Adds the errors of a piece of work done apart (in parallel, say).
    pub fn absorb(&mut self, problems: Problems) {
        self.problems.errors.extend(problems.errors);
        self.problems.site_links.extend(problems.site_links);
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

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, file: FileId, offset: usize) -> (usize, usize) {
        match self.files.location(file, offset.min(self.text(file).len())) {
            Ok(loc) => (loc.line_number, loc.column_number),
            Err(_) => (1, 1),
        }
    }

    /// All errors, rendered as plain text, in the order they were found.
    pub fn render(&self) -> String {
        let config = term::Config::default();
        let files = self.files.shown();
        let mut out = String::new();
        let mut ordered: Vec<Diagnostic<FileId>> = self.problems.errors.clone();
        ordered.sort_by_key(|d| {
            d.labels
                .first()
                .map_or((0, 0, 0), |l| (1, l.file_id, l.range.start))
        });
        for mut diagnostic in ordered {
            for label in &mut diagnostic.labels {
                label.range = self.clamp(&Location::new(label.file_id, label.range.clone()));
            }
            match term::emit_into_string(&config, &*files, &diagnostic) {
                Ok(text) => out.push_str(&text),
                Err(_) => out.push_str(&format!("error: {}\n", diagnostic.message)),
            }
            out.push('\n');
        }
        out
    }

    /// The range of `at` within its file's text, without the line break a span of a whole
    /// line ends in (so the label stays on its line).
    fn clamp(&self, at: &Location) -> Range<usize> {
        let text = self.text(at.file);
        let start = at.span.start.min(text.len());
        let mut end = at.span.end.clamp(start, text.len());
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
    fn spans_past_the_end_are_clamped() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file("f.md", "short");
        diags.error(&Location::new(file, 40..90), "x", "y");
        assert!(diags.render().contains("f.md:1:6"));
    }
}

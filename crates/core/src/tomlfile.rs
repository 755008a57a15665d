//! Reading TOML with every error located: syntax errors, unknown keys, wrong types.
//!
//! A document is parsed once, keeping spans, and each top-level entry is then deserialized on
//! its own, so one bad indicator does not hide the errors of the next.

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::diag::{Diagnostics, FileId, Location, Problems};

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
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for error in errors {
            report(diags, file, offset, &error);
        }
        return None;
    }
    // TOML refuses control characters; the invisible ones it lets through are refused here, as
    // in Markdown (titles and notes are shown on pages).
    crate::markdown::check_text(text, file, offset, diags);
    let span = table.span();
    let value = toml::Spanned::new(span, DeValue::Table(table.into_inner()));
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            report(diags, file, offset, &error);
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
        for error in errors {
            report(diags, file, 0, &error);
        }
        return Vec::new();
    }
    crate::markdown::check_text(&text, file, 0, diags);
    let mut entries = Vec::new();
    for (key, value) in table.into_inner() {
        let key_at = Location::new(file, key.span());
        let at = Location::new(file, value.span());
        match T::deserialize(ValueDeserializer::from(value)) {
            Ok(parsed) => entries.push(Entry {
                key: key.into_inner().into_owned(),
                key_at,
                at,
                value: parsed,
            }),
            Err(error) => report(diags, file, 0, &error),
        }
    }
    entries
}

/// Records a TOML error at its span, with a hint fitted to the kind of error.
fn report(diags: &mut Problems, file: FileId, offset: usize, error: &toml::de::Error) {
    let span = error.span().unwrap_or(0..0);
    let at = Location::new(file, span.start + offset..span.end + offset);
    let message = error.message().trim().to_string();
    let hint = if message.starts_with("unknown field") {
        "remove the key, or correct its spelling to one of the expected names"
    } else if message.starts_with("missing field") {
        "add the missing key"
    } else if message.starts_with("invalid type") {
        "write the value with the expected type (numbers without quotes, text in quotes)"
    } else {
        "correct the TOML syntax (strings in quotes, one `key = value` per line, `[table]` headers)"
    };
    diags.error(&at, message, hint);
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

    #[test]
    fn reports_syntax_errors_with_offset() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file("p.md", "+++\ntitle = \n+++\n");
        let parsed: Option<toml::Table> = parse_document(&mut diags, file, "title = \n", 4);
        assert!(parsed.is_none());
        assert!(diags.render().contains("p.md:2:"), "{}", diags.render());
    }
}

//! The glossary, `data/glossary.toml`: every acronym the content uses, its expansion and where
//! the expansion comes from (a source document of `data/sources.toml` and the place in it, or
//! an official source named by its title and `https://` address). Read in the **load** step,
//! checked there with every error at its `file:line:col`; its page, `/glossary/`, is composed
//! in the **render** step, and the first use of each acronym on every page is marked in the
//! **write** step ([`crate::abbr`]).
//!
//! ```toml
//! # Words in capitals that are not acronyms: never marked, never warned about.
//! not_acronyms = ["RESOLVED"]
//!
//! [[term]]
//! acronym = "UASC"
//! expansion = "Unaccompanied asylum-seeking children"
//! source = { document = "csc-performance-2022-23-q2", at = "paragraph 4.2" }
//!
//! [[term]]
//! acronym = "DCS"
//! expansion = "Director of children's services"
//! source = { name = "GOV.UK: Directors of children's services: roles and responsibilities", url = "https://www.gov.uk/government/publications/directors-of-childrens-services-roles-and-responsibilities" }
//!
//! [[term]]
//! acronym = "SMART"   # no expansion: no source says what it stands for
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::{Diagnostics, FileId, Location};
use crate::figure::SourceDocument;
use crate::tomlfile;

/// Where the glossary is read from, relative to the site folder.
pub const PATH: &str = "data/glossary.toml";

/// The glossary page's site path.
pub const PAGE: &str = "glossary/";

/// The glossary file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryToml {
    #[serde(default)]
    not_acronyms: Vec<Spanned<String>>,
    #[serde(default)]
    term: Vec<Spanned<TermToml>>,
}

/// One `[[term]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermToml {
    acronym: Spanned<String>,
    #[serde(default)]
    expansion: Option<Spanned<String>>,
    #[serde(default)]
    source: Option<Spanned<SourceToml>>,
}

/// A term's `source` as written: `{ document, at }` or `{ name, url }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceToml {
    #[serde(default)]
    document: Option<Spanned<String>>,
    #[serde(default)]
    at: Option<Spanned<String>>,
    #[serde(default)]
    name: Option<Spanned<String>>,
    #[serde(default)]
    url: Option<Spanned<String>>,
}

/// Where an expansion comes from.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TermSource {
    /// A source document of the archive (`data/sources.toml`) and the place in it.
    Document {
        /// Its key in `data/sources.toml`.
        document: String,
        /// Its title.
        title: String,
        /// Where in it: "paragraph 4.2".
        at: String,
    },
    /// An official source outside the archive, by name and `https://` address.
    Official {
        /// Its name: "GOV.UK: …".
        name: String,
        /// Its address.
        url: String,
    },
}

/// One acronym of the glossary.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    /// The acronym as it is written in text: `UASC`.
    pub acronym: String,
    /// Its anchor on the glossary page: `uasc`.
    pub id: String,
    /// What it stands for; `None` where no source says.
    pub expansion: Option<String>,
    /// Where the expansion comes from.
    pub source: Option<TermSource>,
}

/// The glossary, checked.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    /// The terms, in alphabetical order of their acronyms.
    pub terms: Vec<Term>,
    /// Words in capitals that are not acronyms.
    pub not_acronyms: BTreeSet<String>,
    /// The glossary file.
    pub file: FileId,
}

impl Glossary {
    /// The term for `word`, as it is written, if the glossary has one.
    pub fn term(&self, word: &str) -> Option<&Term> {
        self.terms
            .binary_search_by(|t| t.acronym.as_str().cmp(word))
            .ok()
            .and_then(|i| self.terms.get(i))
    }
}

/// Why `word` cannot be an acronym of the glossary, if it cannot: it must be letters and digits
/// only, begin with a capital letter and hold two capitals at least (`UASC`, `DfE`).
pub fn acronym_problem(word: &str) -> Option<&'static str> {
    if !word.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some("holds something other than the letters A to Z and digits");
    }
    if !word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return Some("does not begin with a capital letter");
    }
    if word.chars().filter(char::is_ascii_uppercase).count() < 2 {
        return Some("has fewer than two capital letters");
    }
    None
}

/// Reads and checks `data/glossary.toml` (`file`) against the source documents: every problem
/// an error at its place, the entries with problems left out.
pub fn load(
    diags: &mut Diagnostics,
    file: FileId,
    sources: &BTreeMap<String, SourceDocument>,
) -> Glossary {
    let text = diags.text(file).to_string();
    let Some(raw) = tomlfile::parse_document::<GlossaryToml>(diags, file, &text, 0) else {
        return Glossary {
            file,
            ..Glossary::default()
        };
    };
    let mut first_at: BTreeMap<String, Location> = BTreeMap::new();
    let mut terms = Vec::new();
    for term in raw.term {
        let at = Location::new(file, term.span());
        if let Some(term) = read_term(diags, file, &at, term.into_inner(), sources, &mut first_at) {
            terms.push(term);
        }
    }
    terms.sort_by(|a, b| a.acronym.cmp(&b.acronym));
    let not_acronyms = read_not_acronyms(diags, file, raw.not_acronyms, &first_at);
    Glossary {
        terms,
        not_acronyms,
        file,
    }
}

/// One term, checked: `None` when it has a problem (reported).
fn read_term(
    diags: &mut Diagnostics,
    file: FileId,
    at: &Location,
    raw: TermToml,
    sources: &BTreeMap<String, SourceDocument>,
    first_at: &mut BTreeMap<String, Location>,
) -> Option<Term> {
    let errors = diags.error_count();
    let acronym_at = Location::new(file, raw.acronym.span());
    let acronym = raw.acronym.into_inner();
    if let Some(problem) = acronym_problem(&acronym) {
        diags.error(
            &acronym_at,
            format!("the acronym `{acronym}` {problem}"),
            "write the acronym as it is written in the text, in capitals: `UASC`",
        );
    } else if let Some(first) = first_at.get(&acronym) {
        let first = diags.position(first);
        diags.error(
            &acronym_at,
            format!("the acronym `{acronym}` is in the glossary twice: first at {first}"),
            "give each acronym one [[term]]: remove this one, or merge the two",
        );
    } else {
        first_at.insert(acronym.clone(), acronym_at.clone());
    }
    let expansion_written = raw.expansion.is_some();
    let expansion = raw.expansion.and_then(|e| {
        let e_at = Location::new(file, e.span());
        let e = e.into_inner();
        if e.trim().is_empty() {
            diags.error(
                &e_at,
                format!("the expansion of `{acronym}` is empty"),
                "write what the acronym stands for, as the source gives it, or leave `expansion` out where no source says",
            );
            return None;
        }
        Some(e.trim().to_string())
    });
    let source = match (&expansion, raw.source) {
        (Some(_), Some(source)) => read_source(diags, file, &acronym, source, sources),
        (Some(_), None) => {
            diags.error(
                at,
                format!("the expansion of `{acronym}` names no source"),
                "add `source = { document = \"<key in data/sources.toml>\", at = \"paragraph 4.2\" }`, or `source = { name = \"…\", url = \"https://…\" }` for an official source",
            );
            None
        }
        (None, Some(_)) if expansion_written => None,
        (None, Some(source)) => {
            diags.error(
                &Location::new(file, source.span()),
                format!("`{acronym}` has a source but no expansion"),
                "add the expansion the source gives, or remove `source`",
            );
            None
        }
        (None, None) => None,
    };
    (diags.error_count() == errors).then(|| Term {
        id: acronym.to_ascii_lowercase(),
        acronym,
        expansion,
        source,
    })
}

/// A term's source, checked: a document of `data/sources.toml` and a place in it, or an
/// official source's name and `https://` address.
fn read_source(
    diags: &mut Diagnostics,
    file: FileId,
    acronym: &str,
    source: Spanned<SourceToml>,
    sources: &BTreeMap<String, SourceDocument>,
) -> Option<TermSource> {
    let at = Location::new(file, source.span());
    let SourceToml {
        document,
        at: place,
        name,
        url,
    } = source.into_inner();
    let nonempty = |diags: &mut Diagnostics, value: Spanned<String>, what: &str, hint: &str| {
        let value_at = Location::new(file, value.span());
        let value = value.into_inner();
        if value.trim().is_empty() {
            diags.error(
                &value_at,
                format!("the source of `{acronym}` has an empty `{what}`"),
                hint.to_string(),
            );
            return None;
        }
        Some((value.trim().to_string(), value_at))
    };
    match (document, place, name, url) {
        (Some(document), Some(place), None, None) => {
            let (key, key_at) = nonempty(
                diags,
                document,
                "document",
                "name a document of data/sources.toml by its key",
            )?;
            let (place, _) = nonempty(
                diags,
                place,
                "at",
                "say where in the document the acronym is expanded: `paragraph 4.2`",
            )?;
            let Some(doc) = sources.get(&key) else {
                let nearest =
                    crate::xref::nearest(&key, sources.keys().map(String::as_str).collect());
                let hint = match nearest.first() {
                    Some(near) => {
                        format!("did you mean `{near}`? The document is a key of data/sources.toml")
                    }
                    None => "name a document of data/sources.toml by its key, or declare it there"
                        .to_string(),
                };
                diags.error(
                    &key_at,
                    format!(
                        "the source document `{key}` of `{acronym}` is not in data/sources.toml"
                    ),
                    hint,
                );
                return None;
            };
            Some(TermSource::Document {
                document: key,
                title: doc.title.clone(),
                at: place,
            })
        }
        (None, None, Some(name), Some(url)) => {
            let (name, _) = nonempty(
                diags,
                name,
                "name",
                "write the official source's title, and who publishes it",
            )?;
            let (url, url_at) = nonempty(
                diags,
                url,
                "url",
                "give the official source's address, beginning https://",
            )?;
            if let Some(problem) = https_problem(&url) {
                diags.error(
                    &url_at,
                    format!("the address `{url}` of `{acronym}`'s source {problem}"),
                    "give the official source's address as it is published, beginning https://",
                );
                return None;
            }
            Some(TermSource::Official { name, url })
        }
        _ => {
            diags.error(
                &at,
                format!("the source of `{acronym}` is neither a document of the archive nor an official source"),
                "write `{ document = \"<key in data/sources.toml>\", at = \"paragraph 4.2\" }` or `{ name = \"<the source's title>\", url = \"https://…\" }`, one form or the other",
            );
            None
        }
    }
}

/// Why `url` is not an `https://` address with a host that a page can link to, if it is not.
pub(crate) fn https_problem(url: &str) -> Option<&'static str> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Some("does not begin https://");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || !host.contains('.') {
        return Some("names no host");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'))
    {
        return Some("holds a space, a quote, `<`, `>` or `\\`");
    }
    None
}

/// The words `not_acronyms` lists, checked: each a word in capitals, listed once, and no term
/// of the glossary.
fn read_not_acronyms(
    diags: &mut Diagnostics,
    file: FileId,
    written: Vec<Spanned<String>>,
    terms: &BTreeMap<String, Location>,
) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for word in written {
        let at = Location::new(file, word.span());
        let word = word.into_inner();
        if !crate::abbr::is_capitals(&word) {
            diags.error(
                &at,
                format!("`{word}` in not_acronyms is not a word in capitals"),
                "list words of two or more capital letters A to Z, as the text writes them: `RESOLVED`",
            );
        } else if let Some(term) = terms.get(&word) {
            let term = diags.position(term);
            diags.error(
                &at,
                format!("`{word}` is in not_acronyms and is a term of the glossary (at {term})"),
                "remove it from one or the other: a word is an acronym or it is not",
            );
        } else if !words.insert(word.clone()) {
            diags.error(
                &at,
                format!("`{word}` is in not_acronyms twice"),
                "list each word once",
            );
        }
    }
    words
}

/// The glossary page's values: every term, alphabetically, with the link to its source
/// document in the archive where it has one (`source_hrefs`).
pub fn page_values(
    glossary: &Glossary,
    source_hrefs: &BTreeMap<String, String>,
) -> serde_json::Value {
    let terms: Vec<serde_json::Value> = glossary
        .terms
        .iter()
        .map(|term| {
            let href = match &term.source {
                Some(TermSource::Document { document, .. }) => source_hrefs.get(document).cloned(),
                Some(TermSource::Official { url, .. }) => Some(url.clone()),
                None => None,
            };
            serde_json::json!({ "term": term, "href": href })
        })
        .collect();
    serde_json::json!({ "terms": terms, "file": PATH })
}

/// A warning for each word in capitals the glossary does not know (`unknown`: the word and the
/// first page it is on), naming its first use in the site's files (Markdown of `content/`,
/// then `data/`, then `sections/` and `site.toml`) at `file:line:col`, or the page, when no
/// file of the site writes it (the theme's or a plugin's words).
pub fn warnings(
    site: &crate::site::Site<'_>,
    unknown: &BTreeMap<String, String>,
    diags: &Diagnostics,
) -> Vec<String> {
    let Some(glossary) = &site.glossary else {
        return Vec::new();
    };
    if unknown.is_empty() {
        return Vec::new();
    }
    let mut files: Vec<FileId> = (0..diags.file_count())
        .filter(|f| *f != glossary.file)
        .collect();
    let rank = |name: &str| {
        let first = ["content/", "data/", "sections/"]
            .iter()
            .position(|p| name.starts_with(p))
            .unwrap_or(3);
        (first, name.to_string())
    };
    files.sort_by_cached_key(|f| rank(diags.name(*f)));
    let mut found: BTreeMap<&str, Location> = BTreeMap::new();
    for file in files {
        let text = diags.text(file);
        for (word, at) in crate::abbr::words_of(text) {
            let stem = word.strip_suffix('s').unwrap_or(word);
            for candidate in [word, stem] {
                if let Some((key, _)) = unknown.get_key_value(candidate)
                    && !found.contains_key(key.as_str())
                {
                    found.insert(key, Location::new(file, at..at + word.len()));
                }
            }
        }
        if found.len() == unknown.len() {
            break;
        }
    }
    unknown
        .iter()
        .map(|(word, page)| {
            let place = match found.get(word.as_str()) {
                Some(at) => format!("first used at {} (on /{page})", diags.position(at)),
                None => format!(
                    "it is on /{page}, in words of the theme or a plugin rather than of the site's files"
                ),
            };
            format!(
                "warning: `{word}` is not in the glossary: {place}\n  hint: add a [[term]] for `{word}` to {PATH}, with its expansion and where that comes from; if it is not an acronym, list it in not_acronyms there"
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources() -> BTreeMap<String, SourceDocument> {
        let mut sources = BTreeMap::new();
        sources.insert(
            "report".to_string(),
            SourceDocument {
                id: "report".into(),
                title: "The report".into(),
                publisher: "A council".into(),
                date: None,
                link: None,
                link_at: None,
            },
        );
        sources
    }

    fn load_text(text: &str) -> (Glossary, String) {
        let mut diags = Diagnostics::new();
        let file = diags.add_file(PATH, text);
        let glossary = load(&mut diags, file, &sources());
        (glossary, diags.render())
    }

    #[test]
    fn terms_are_read_and_sorted() {
        let (glossary, errors) = load_text(
            r#"not_acronyms = ["RESOLVED"]
[[term]]
acronym = "UASC"
expansion = "Unaccompanied asylum-seeking children"
source = { document = "report", at = "paragraph 4.2" }
[[term]]
acronym = "DCS"
expansion = "Director of children's services"
source = { name = "GOV.UK", url = "https://www.gov.uk/x" }
[[term]]
acronym = "SMART"
"#,
        );
        assert_eq!(errors, "");
        let acronyms: Vec<&str> = glossary.terms.iter().map(|t| t.acronym.as_str()).collect();
        assert_eq!(acronyms, ["DCS", "SMART", "UASC"]);
        assert_eq!(glossary.term("UASC").map(|t| t.id.as_str()), Some("uasc"));
        assert!(glossary.term("UAS").is_none());
        assert!(glossary.not_acronyms.contains("RESOLVED"));
        assert_eq!(
            glossary.term("UASC").and_then(|t| t.source.clone()),
            Some(TermSource::Document {
                document: "report".into(),
                title: "The report".into(),
                at: "paragraph 4.2".into()
            })
        );
    }

    #[test]
    fn bad_entries_are_each_an_error_at_their_place() {
        let (glossary, errors) = load_text(
            r#"not_acronyms = ["resolved", "UASC"]
[[term]]
acronym = "UASC"
expansion = "Unaccompanied asylum-seeking children"
source = { document = "reprot", at = "paragraph 4.2" }
[[term]]
acronym = "UASC"
expansion = "  "
[[term]]
acronym = "Nts"
expansion = "National Transfer Scheme"
source = { name = "Home Office", url = "http://www.gov.uk/nts" }
[[term]]
acronym = "CLA"
expansion = "Children looked after"
"#,
        );
        assert!(glossary.terms.is_empty(), "{:?}", glossary.terms);
        for expected in [
            "data/glossary.toml:5:23",
            "`reprot` of `UASC` is not in data/sources.toml",
            "did you mean `report`?",
            "is in the glossary twice: first at data/glossary.toml:3:11",
            "the expansion of `UASC` is empty",
            "the acronym `Nts` has fewer than two capital letters",
            "does not begin https://",
            "the expansion of `CLA` names no source",
            "`resolved` in not_acronyms is not a word in capitals",
            "`UASC` is in not_acronyms and is a term of the glossary",
        ] {
            assert!(errors.contains(expected), "{expected} not in\n{errors}");
        }
    }

    #[test]
    fn a_source_must_take_one_form() {
        let (_, errors) = load_text(
            r#"[[term]]
acronym = "NTS"
expansion = "National Transfer Scheme"
source = { document = "report", url = "https://www.gov.uk/" }
"#,
        );
        assert!(
            errors.contains("neither a document of the archive nor an official source"),
            "{errors}"
        );
        let (_, errors) = load_text(
            "[[term]]\nacronym = \"NTS\"\nsource = { name = \"x\", url = \"https://a.b/\" }\n",
        );
        assert!(errors.contains("has a source but no expansion"), "{errors}");
        let (_, errors) = load_text("[[term]]\nacronym = \"NTS\"\nexpanson = \"x\"\n");
        assert!(errors.contains("data/glossary.toml:3:1"), "{errors}");
    }

    #[test]
    fn official_addresses_must_be_https_with_a_host() {
        assert_eq!(https_problem("https://www.gov.uk/x"), None);
        assert!(https_problem("http://www.gov.uk/").is_some());
        assert!(https_problem("https:///x").is_some());
        assert!(https_problem("https://www.gov.uk/a b").is_some());
        assert!(https_problem("javascript:alert(1)").is_some());
    }
}

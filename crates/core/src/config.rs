//! `site.toml`: everything a council changes to reuse the tool.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostics, FileId, Location};
use crate::tomlfile;

/// A comparator a figure may be set against, as `site.toml` names it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComparatorDef {
    /// Key used in data files: `england`.
    pub id: String,
    /// Name shown on pages: "England average".
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteToml {
    title: String,
    authority: String,
    description: String,
    #[serde(default)]
    base_url: Option<toml::Spanned<String>>,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    committees: BTreeMap<String, String>,
    #[serde(default)]
    comparators: Vec<ComparatorDef>,
}

fn default_language() -> String {
    "en-GB".into()
}

fn default_theme() -> String {
    "default".into()
}

/// The site's configuration, validated.
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    /// Site title, shown in every page's header.
    pub title: String,
    /// The council publishing the archive.
    pub authority: String,
    /// One-sentence description for the home page and feeds.
    pub description: String,
    /// Absolute origin and path (`https://org.github.io/repo/`), or just a path (`/`).
    pub base_url: String,
    /// The path every internal link starts with: `/` or `/repo/`.
    pub base_path: String,
    /// Language tag of the content: `en-GB`.
    pub language: String,
    /// Theme folder under `themes/`.
    pub theme: String,
    /// Committees whose minutes are published, id → name.
    pub committees: BTreeMap<String, String>,
    /// Comparators in the order pages show them.
    pub comparators: Vec<ComparatorDef>,
}

impl SiteConfig {
    /// Loads `site.toml` from `file`; `base_url_override` (from `--base-url`) wins over the file.
    pub fn load(
        diags: &mut Diagnostics,
        file: FileId,
        base_url_override: Option<&str>,
    ) -> Option<Self> {
        let text = diags.text(file).to_string();
        let raw: SiteToml = tomlfile::parse_document(diags, file, &text, 0)?;
        let (base_url, at) = match (base_url_override, &raw.base_url) {
            (Some(url), _) => (url.to_string(), None),
            (None, Some(url)) => (url.get_ref().clone(), Some(Location::new(file, url.span()))),
            (None, None) => ("/".to_string(), None),
        };
        let base_path = match base_path_of(&base_url) {
            Ok(path) => path,
            Err(why) => {
                match at {
                    Some(at) => diags.error(
                        &at,
                        why,
                        "write `https://org.github.io/repo/` or a path such as `/`",
                    ),
                    None => diags.error_without_file(
                        format!("--base-url: {why}"),
                        "pass `--base-url https://org.github.io/repo/` or a path such as `/repo/`",
                    ),
                }
                return None;
            }
        };
        let mut seen = Vec::new();
        for comparator in &raw.comparators {
            if seen.contains(&comparator.id) {
                diags.error(
                    &Location::new(file, 0..0),
                    format!("comparator `{}` is declared twice", comparator.id),
                    "give each comparator in site.toml a different id",
                );
            }
            seen.push(comparator.id.clone());
        }
        let base_url = if base_url.ends_with('/') {
            base_url
        } else {
            format!("{base_url}/")
        };
        Some(SiteConfig {
            title: raw.title,
            authority: raw.authority,
            description: raw.description,
            base_url,
            base_path,
            language: raw.language,
            theme: raw.theme,
            committees: raw.committees,
            comparators: raw.comparators,
        })
    }

    /// The name of a comparator id, if `site.toml` declares it.
    pub fn comparator(&self, id: &str) -> Option<&ComparatorDef> {
        self.comparators.iter().find(|c| c.id == id)
    }

    /// An absolute URL for a site path (`reports/`), when the base URL has an origin; else the
    /// root-relative path.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

/// The path part of a base URL, always starting and ending with `/`.
fn base_path_of(url: &str) -> Result<String, String> {
    let path = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        match rest.find('/') {
            Some(i) => &rest[i..],
            None => "/",
        }
    } else if url.starts_with('/') {
        url
    } else {
        return Err(format!(
            "the base URL `{url}` is neither an absolute http(s) URL nor a path starting with `/`"
        ));
    };
    if path.contains(['?', '#', ' ']) {
        return Err(format!(
            "the base URL `{url}` must not contain a query, a fragment or spaces"
        ));
    }
    let mut path = path.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(
            base_path_of("https://example.github.io/archive/").unwrap(),
            "/archive/"
        );
        assert_eq!(
            base_path_of("https://example.github.io/archive").unwrap(),
            "/archive/"
        );
        assert_eq!(base_path_of("https://example.org").unwrap(), "/");
        assert_eq!(base_path_of("/").unwrap(), "/");
        assert!(base_path_of("example.org/x").is_err());
    }

    #[test]
    fn unknown_keys_are_errors() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file(
            "site.toml",
            "title = \"t\"\nauthority = \"a\"\ndescription = \"d\"\ncolour = \"red\"\n",
        );
        assert!(SiteConfig::load(&mut diags, file, None).is_none());
        assert!(
            diags.render().contains("site.toml:4:1"),
            "{}",
            diags.render()
        );
    }
}

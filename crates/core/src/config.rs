//! `site.toml`: everything a council changes to reuse the tool.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

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
    base_url: Option<Spanned<String>>,
    #[serde(default = "default_language")]
    language: String,
    theme: Option<Spanned<String>>,
    #[serde(default)]
    comparators: Vec<ComparatorToml>,
    #[serde(default)]
    accessibility: crate::accessibility::AccessibilityToml,
    #[serde(default = "default_search")]
    search: bool,
}

fn default_search() -> bool {
    true
}

/// A comparator as `site.toml` writes it, with where its id stands.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparatorToml {
    id: Spanned<String>,
    name: String,
}

fn default_language() -> String {
    "en-GB".into()
}

/// The theme a site without `theme` uses.
const DEFAULT_THEME: &str = "default";

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
    /// Where `site.toml` names the theme, when it does: errors about the theme point there.
    #[serde(skip)]
    pub theme_at: Option<Location>,
    /// Comparators in the order pages show them.
    pub comparators: Vec<ComparatorDef>,
    /// The facts of the accessibility statement (`[accessibility]`).
    pub accessibility: crate::accessibility::Accessibility,
    /// Whether the site has full-text search, when this scrutiny has it (`search = false`
    /// leaves out the search page and its index).
    pub search: bool,
}

impl SiteConfig {
    /// Loads `site.toml` from `file`; `base_url_override` (from `--base-url`) wins over the file.
    /// The top-level tables `plugin_tables` are left to the plugins that own them.
    pub fn load(
        diags: &mut Diagnostics,
        file: FileId,
        base_url_override: Option<&str>,
        plugin_tables: &[&str],
    ) -> Option<Self> {
        let text = diags.text(file).to_string();
        let raw: SiteToml = tomlfile::parse_document_except(diags, file, &text, 0, plugin_tables)?;
        let (base_url, base_path) =
            read_base_url(diags, file, base_url_override, raw.base_url.as_ref())?;
        let comparators = read_comparators(diags, file, raw.comparators);
        let (theme, theme_at) = read_theme(diags, file, raw.theme);
        let accessibility = crate::accessibility::read(diags, file, raw.accessibility);
        Some(SiteConfig {
            title: raw.title,
            authority: raw.authority,
            description: raw.description,
            base_url,
            base_path,
            language: raw.language,
            theme,
            theme_at,
            comparators,
            accessibility,
            search: raw.search,
        })
    }

    /// The name of a comparator id, if `site.toml` declares it.
    pub fn comparator(&self, id: &str) -> Option<&ComparatorDef> {
        self.comparators.iter().find(|c| c.id == id)
    }

    /// Whether the base URL has a scheme and host (`https://org.github.io/repo/`), not just a
    /// path (`/`, `/repo/`): only then can the build make absolute URLs, which the sitemap needs.
    pub fn has_host(&self) -> bool {
        !self.base_url.starts_with('/')
    }

    /// An absolute URL for a site path (`reports/`), when the base URL has an origin; else the
    /// root-relative path.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

/// The base URL and its path ([`parse_base_url`]): `base_url_override` (from `--base-url`),
/// else the one `site.toml` writes, else `/`. `None` when it cannot be one, an error at it.
fn read_base_url(
    diags: &mut Diagnostics,
    file: FileId,
    base_url_override: Option<&str>,
    written: Option<&Spanned<String>>,
) -> Option<(String, String)> {
    let (base_url, at) = match (base_url_override, written) {
        (Some(url), _) => (url.to_string(), None),
        (None, Some(url)) => (url.get_ref().clone(), Some(Location::new(file, url.span()))),
        (None, None) => ("/".to_string(), None),
    };
    match parse_base_url(&base_url) {
        Ok(parsed) => Some(parsed),
        Err(why) => {
            match at {
                Some(at) => diags.error(&at, why, format!("write {BASE_URL_FORMS}")),
                None => diags.error_without_file(
                    format!("--base-url: {why}"),
                    format!("pass {BASE_URL_FORMS}"),
                ),
            }
            None
        }
    }
}

/// The comparators of `site.toml`, in its order: an error at each id that is not a name, and
/// at each declared a second time (which is left out).
fn read_comparators(
    diags: &mut Diagnostics,
    file: FileId,
    written: Vec<ComparatorToml>,
) -> Vec<ComparatorDef> {
    let mut comparators: Vec<ComparatorDef> = Vec::new();
    let mut first_at: BTreeMap<String, Location> = BTreeMap::new();
    for comparator in written {
        let id_at = Location::new(file, comparator.id.span());
        let id = comparator.id.into_inner();
        if let Err(bad) = crate::name::check(&id) {
            diags.error(
                &id_at,
                format!("the comparator id `{id}` {}", bad.problem),
                bad.hint("the id"),
            );
        }
        if let Some(first) = first_at.get(&id) {
            let first = diags.position(first);
            diags.error(
                &id_at,
                format!("the comparator `{id}` is declared twice: first at {first}"),
                "give each comparator in site.toml a different id, or remove the second one",
            );
            continue;
        }
        first_at.insert(id.clone(), id_at);
        comparators.push(ComparatorDef {
            id,
            name: comparator.name,
        });
    }
    comparators
}

/// The theme `site.toml` names (an error at it if it cannot be a folder name) and where, or
/// the default theme.
fn read_theme(
    diags: &mut Diagnostics,
    file: FileId,
    written: Option<Spanned<String>>,
) -> (String, Option<Location>) {
    let Some(theme) = written else {
        return (DEFAULT_THEME.to_string(), None);
    };
    let theme_at = Location::new(file, theme.span());
    if let Err(bad) = crate::name::check(theme.get_ref()) {
        diags.error(
            &theme_at,
            format!(
                "the theme `{}` {}: a theme is the name of a folder under themes/",
                theme.get_ref(),
                bad.problem
            ),
            format!(
                "{}, the name of a folder in themes/ (the shipped one is `{DEFAULT_THEME}`)",
                bad.hint("the theme")
            ),
        );
    }
    (theme.into_inner(), Some(theme_at))
}

/// What a base URL may be, for hints.
pub const BASE_URL_FORMS: &str =
    "`/`, a path such as `/REPO/`, or an http(s) URL such as `https://ORG.github.io/REPO/`";

/// Checks a base URL, from `--base-url` or `site.toml`: `/`, a path starting with a single `/`
/// (`/archive/`), or an absolute `http://` or `https://` URL with a host. Refused: a
/// protocol-relative `//host/`, other schemes, `.` or `..` segments, empty segments, a query or a
/// fragment, and quotes, `<`, `>`, `\`, spaces or any other character a URL must not carry as
/// it is. A missing trailing slash is added. Gives the base URL (scheme lower-cased, ending with
/// `/`) and its path, which starts and ends with `/`.
pub fn parse_base_url(url: &str) -> Result<(String, String), String> {
    let refuse = |why: &str| format!("the base URL `{url}` {why}");
    if url.is_empty() {
        return Err("the base URL is empty".to_string());
    }
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(refuse(&format!(
            "contains {}",
            if c == ' ' {
                "a space".to_string()
            } else {
                format!("the character U+{:04X}", u32::from(c))
            }
        )));
    }
    if url.contains(['?', '#']) {
        return Err(refuse("must not have a query (`?…`) or a fragment (`#…`)"));
    }
    if let Some(c) = url.chars().find(|c| !is_url_char(*c)) {
        return Err(refuse(&format!("must not contain `{c}`")));
    }
    let lower = url.to_ascii_lowercase();
    let (origin, path) = if let Some(scheme) = ["https://", "http://"]
        .into_iter()
        .find(|scheme| lower.starts_with(scheme))
    {
        let rest = &url[scheme.len()..];
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, "/"),
        };
        check_authority(authority).map_err(|why| refuse(&why))?;
        (format!("{scheme}{authority}"), path)
    } else if url.starts_with("//") {
        return Err(refuse(
            "is protocol-relative (`//host/`): it would send every link to another site; write the scheme, `https://host/`",
        ));
    } else if url.starts_with('/') {
        (String::new(), url)
    } else if let Some((scheme, _)) = url.split_once("://").or_else(|| url.split_once(':')) {
        return Err(refuse(&format!(
            "has the scheme `{scheme}`: only `http://` and `https://` are served"
        )));
    } else {
        return Err(refuse(
            "is neither an absolute http(s) URL nor a path starting with `/`",
        ));
    };
    let mut segments: Vec<&str> = path.split('/').skip(1).collect();
    if segments.last() == Some(&"") {
        segments.pop();
    }
    for segment in &segments {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        if segment.is_empty() {
            return Err(refuse("has an empty path segment (`//`)"));
        }
        if decoded == "." || decoded == ".." {
            return Err(refuse(&format!(
                "has a `{decoded}` path segment: write the path it stands for"
            )));
        }
        for (i, _) in segment.match_indices('%') {
            let hex = segment.as_bytes().get(i + 1..i + 3);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return Err(refuse(
                    "has a `%` that is not followed by two hexadecimal digits",
                ));
            }
        }
    }
    let mut base_path = String::from("/");
    for segment in segments {
        base_path.push_str(segment);
        base_path.push('/');
    }
    Ok((format!("{origin}{base_path}"), base_path))
}

/// Characters a base URL may carry as they are: letters, digits and the URL punctuation that
/// needs no escaping in an HTML attribute, a CSS `url()` or a script string.
fn is_url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~/:%@!$+,;=".contains(c)
}

/// The host (and optional port) of an http(s) base URL.
fn check_authority(authority: &str) -> Result<(), String> {
    if authority.is_empty() {
        return Err("has no host after the scheme".to_string());
    }
    if authority.contains('@') {
        return Err("must not carry a user name (`user@host`)".to_string());
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let label_ok = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if host.is_empty() || !host.split('.').all(label_ok) {
        return Err(format!("has `{host}` where a host name should be"));
    }
    if let Some(port) = port
        && !port.parse::<u16>().is_ok_and(|p| p > 0)
    {
        return Err(format!("has `{port}` where a port number should be"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base_path_of(url: &str) -> Result<String, String> {
        parse_base_url(url).map(|(_, path)| path)
    }

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
    fn accepted_base_urls_gain_a_trailing_slash() {
        for (url, base_url, path) in [
            ("/", "/", "/"),
            ("/archive", "/archive/", "/archive/"),
            ("/archive/", "/archive/", "/archive/"),
            ("/a/b/", "/a/b/", "/a/b/"),
            ("https://example.org", "https://example.org/", "/"),
            (
                "https://ORG.github.io/REPO",
                "https://ORG.github.io/REPO/",
                "/REPO/",
            ),
            ("HTTPS://example.org/x/", "https://example.org/x/", "/x/"),
            ("http://localhost:8080/", "http://localhost:8080/", "/"),
            (
                "https://example.org/caf%C3%A9/",
                "https://example.org/caf%C3%A9/",
                "/caf%C3%A9/",
            ),
        ] {
            assert_eq!(
                parse_base_url(url),
                Ok((base_url.to_string(), path.to_string())),
                "{url}"
            );
        }
    }

    #[test]
    fn unsafe_or_malformed_base_urls_are_refused() {
        for url in [
            "",
            "//evil.com/",
            "//evil.com",
            "https://example.org//evil.com/",
            "/a//b/",
            "/\\evil.com/",
            "ftp://x",
            "javascript:alert(1)",
            "not a url",
            "example.org/x",
            "https://",
            "https:///x/",
            "https://example.org/a/../b/",
            "https://example.org/a/./b/",
            "/..",
            "/%2e%2E/",
            "/a/%zz/",
            "https://example.org/?q=1",
            "/archive/#top",
            "/arch ive/",
            "/archive/\t",
            "/\"onmouseover=\"x/",
            "/'x/",
            "/<script>/",
            "/a(b)/",
            "https://user@evil.com/",
            "https://example.org@evil.com/",
            "https://exa_mple.org/",
            "https://example.org:0/",
            "https://example.org:99999/",
            "https://example.org:/",
            "https://-example.org/",
            "https://example..org/",
        ] {
            assert!(parse_base_url(url).is_err(), "`{url}` was accepted");
        }
    }

    #[test]
    fn a_bad_base_url_in_site_toml_is_reported_where_it_is() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file(
            "site.toml",
            "title = \"t\"\nauthority = \"a\"\ndescription = \"d\"\nbase_url = \"//evil.com/\"\n",
        );
        assert!(SiteConfig::load(&mut diags, file, None, &[]).is_none());
        let report = diags.render();
        assert!(report.contains("site.toml:4:12"), "{report}");
        assert!(report.contains("protocol-relative"), "{report}");
        assert!(report.contains("https://ORG.github.io/REPO/"), "{report}");
    }

    #[test]
    fn unknown_keys_are_errors() {
        let mut diags = Diagnostics::new();
        let file = diags.add_file(
            "site.toml",
            "title = \"t\"\nauthority = \"a\"\ndescription = \"d\"\ncolour = \"red\"\n",
        );
        assert!(SiteConfig::load(&mut diags, file, None, &[]).is_none());
        assert!(
            diags.render().contains("site.toml:4:1"),
            "{}",
            diags.render()
        );
    }
}

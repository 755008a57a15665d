//! Redirect pages: what the build writes at each alias of a page (its earlier address), so a
//! link to the old address keeps working on a static host, which cannot send an HTTP redirect.
//!
//! A redirect page is a complete HTML5 document in the site's language: a `<meta
//! http-equiv="refresh">` to the page at once, a canonical link to it (so a search engine files
//! the old address under the new), `noindex`, a title, and a plain link for a reader whose
//! browser does not follow the refresh. It has no script and no stylesheet, and is never in the
//! sitemap. Every value in it is escaped; the alias itself is not written in it at all.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::config::SiteConfig;
use crate::escape::escape_text;

/// Characters of a page's address encoded in a redirect: those that could end the refresh's
/// URL (`;`, quotes, spaces) or would need escaping in HTML, which the site's own addresses
/// never hold but a plugin's could.
const ENCODED: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b';')
    .add(b',')
    .add(b'\\')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'^');

/// The redirect page to the page at site path `to` (`reports/2022-23/q2/`) titled `title`.
pub fn page(config: &SiteConfig, to: &str, title: &str) -> Vec<u8> {
    let to = utf8_percent_encode(to.trim_start_matches('/'), ENCODED).to_string();
    // The address on this host, under the base path: it works wherever the site is served.
    let href = escape_text(&format!("{}{to}", config.base_path));
    // Absolute when the base URL has a host; else the base path's address.
    let canonical = escape_text(&config.absolute_url(&to));
    let title = escape_text(title);
    let site = escape_text(&config.title);
    let language = escape_text(&config.language);
    format!(
        "<!DOCTYPE html>
<html lang=\"{language}\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>Page moved: {title} – {site}</title>
<meta name=\"robots\" content=\"noindex\">
<link rel=\"canonical\" href=\"{canonical}\">
<meta http-equiv=\"refresh\" content=\"0; url={href}\">
</head>
<body>
<main>
<h1>This page has moved</h1>
<p>This page has moved to <a href=\"{href}\">{title}</a>.</p>
</main>
</body>
</html>
"
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str, base_path: &str) -> SiteConfig {
        SiteConfig {
            title: "Archive <b>".into(),
            authority: "Council".into(),
            description: "".into(),
            base_url: base_url.into(),
            base_path: base_path.into(),
            language: "en-GB\"><script>".into(),
            theme: "default".into(),
            theme_at: None,
            comparators: Vec::new(),
            accessibility: Default::default(),
            search: true,
        }
    }

    #[test]
    fn a_redirect_refreshes_to_the_page_under_the_base_path_and_names_it_canonical() {
        let page = page(
            &config("https://example.github.io/archive/", "/archive/"),
            "reports/2022-23/q2/",
            "Quarter 2",
        );
        let page = String::from_utf8(page).expect("utf-8");
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang="));
        assert!(page.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=/archive/reports/2022-23/q2/\">"
        ));
        assert!(page.contains(
            "<link rel=\"canonical\" href=\"https://example.github.io/archive/reports/2022-23/q2/\">"
        ));
        assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(page.contains(
            "This page has moved to <a href=\"/archive/reports/2022-23/q2/\">Quarter 2</a>."
        ));
        assert!(!page.contains("<script"), "{page}");
    }

    #[test]
    fn without_a_host_the_canonical_link_is_the_base_path_s_and_everything_is_escaped() {
        let page = page(
            &config("/", "/"),
            "x\"; url=//evil.example/<p>/",
            "</title><script>alert(1)</script>",
        );
        let page = String::from_utf8(page).expect("utf-8");
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("<p>/"), "{page}");
        assert!(
            page.contains("lang=\"en-GB&quot;&gt;&lt;script&gt;\""),
            "{page}"
        );
        assert!(
            page.contains("content=\"0; url=/x%22%3B%20url=//evil.example/%3Cp%3E/\""),
            "{page}"
        );
        assert!(
            page.contains("<link rel=\"canonical\" href=\"/x%22%3B"),
            "{page}"
        );
        assert!(page.contains("<title>Page moved: &lt;/title&gt;&lt;script&gt;"));
    }
}

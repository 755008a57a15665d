//! Comparing a build with an earlier one (`--previous PATH`): every URL the earlier build
//! published must still be served, as a page, a file or a redirect ([`crate::alias`]).
//!
//! What the earlier build published is read from its output folder or from its `sitemap.xml`
//! ([`Published::read`]):
//!
//! - **A folder** must be a scrutiny build: it holds [`MARKER`] (`.nojekyll`), the file every
//!   build writes. Every other file it holds is a published URL, `x/index.html` being `x/`. The
//!   marker is left out: it tells the host how to serve the site and is no address anyone links
//!   to. (A build's staging folders and lock files are beside the output, never in it.)
//! - **A sitemap** is parsed as XML; each `<url><loc>` is a published URL. The earlier site's
//!   base URL is its home page, the `<loc>` that every other starts with (a scrutiny sitemap
//!   always lists it), and each URL is compared by its path under it: an earlier build at
//!   `https://org.github.io/archive/` and this one at `https://reports.example.gov.uk/` are
//!   compared path by path (`reports/2022-23/q1/`).
//!
//! A path is served when this build writes it: `x/` (or the home page) as `x/index.html`, a file
//! as itself, and `x` also as `x/index.html`, which static hosts serve at `x`.

use std::fs;
use std::path::Path;

use crate::alias::Alias;
use crate::diag::Location;
use crate::output::MARKER;

/// The URLs an earlier build published, as site paths under its base URL, sorted: `` (the home
/// page), `reports/2022-23/q1/`, `style.css`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    paths: Vec<String>,
}

impl Published {
    /// What the earlier build at `path` published: its output folder, or its sitemap. `Err`
    /// says why `path` is neither (a usage error: the content is not at fault).
    pub fn read(path: &Path) -> Result<Published, String> {
        let meta = fs::metadata(path).map_err(|e| format!("cannot be read: {e}"))?;
        if meta.is_dir() {
            from_folder(path)
        } else {
            from_sitemap(&fs::read(path).map_err(|e| format!("cannot be read: {e}"))?)
        }
    }

    /// The published site paths, sorted.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// The published paths that a build writing the files `written` (paths relative to its
    /// output folder, sorted) does not serve, in order.
    pub fn unserved<'p>(&'p self, written: &[String]) -> Vec<&'p str> {
        let has = |file: &str| written.binary_search_by(|w| w.as_str().cmp(file)).is_ok();
        self.paths
            .iter()
            .filter(|path| {
                let served = if path.is_empty() || path.ends_with('/') {
                    has(&format!("{path}index.html"))
                } else {
                    has(path) || has(&format!("{path}/index.html"))
                };
                !served
            })
            .map(String::as_str)
            .collect()
    }

    /// How to serve the earlier URL at site path `path` again, given every one not served
    /// (`unserved`): an alias where one can be written; for a file of a page (a report's CSV),
    /// an alias of the page, which keeps the page's files too.
    pub fn hint(&self, path: &str, unserved: &[&str]) -> String {
        let alias = format!("/{path}");
        if Alias::parse(&alias, Location::new(0, 0..0)).is_ok() {
            return format!(
                "add aliases = [\"{alias}\"] to the front matter of the page that replaces it"
            );
        }
        let page = path
            .rmatch_indices('/')
            .map(|(i, _)| &path[..=i])
            .find(|folder| {
                self.paths
                    .binary_search_by(|p| p.as_str().cmp(folder))
                    .is_ok()
            });
        match page {
            Some(page) if unserved.contains(&page) => format!(
                "it is a file of the page /{page}, which is not served either: its alias, aliases = [\"/{page}\"] on the page that replaces it, keeps the page's files too"
            ),
            _ => "only a page's address (a folder, or a file ending .html) can be an alias: write the file at this address again (the theme's static/ folder is written as it is), or keep what wrote it".to_string(),
        }
    }
}

/// The files of an earlier build's output folder, as site paths.
fn from_folder(folder: &Path) -> Result<Published, String> {
    if !folder.join(MARKER).is_file() {
        return Err(format!(
            "is not the output of a scrutiny build: it has no {MARKER}, the file every build writes (give the folder an earlier `scrutiny build` wrote, or the sitemap.xml of the published site)"
        ));
    }
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .min_depth(1)
    {
        let entry = entry.map_err(|e| format!("cannot be read: {e}"))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = entry.path().strip_prefix(folder).unwrap_or(entry.path());
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let path = parts.join("/");
        if path == MARKER {
            continue;
        }
        paths.push(match path.strip_suffix("index.html") {
            Some(folder) if folder.is_empty() || folder.ends_with('/') => folder.to_string(),
            _ => path,
        });
    }
    paths.sort();
    paths.dedup();
    Ok(Published { paths })
}

/// The URLs a sitemap lists, as paths under the earlier site's home page.
fn from_sitemap(bytes: &[u8]) -> Result<Published, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "is neither a folder nor a sitemap: it is not UTF-8 text".to_string())?;
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| format!("is not a sitemap: it cannot be read as XML ({e})"))?;
    let root = doc.root_element();
    match root.tag_name().name() {
        "urlset" => {}
        "sitemapindex" => {
            return Err(
                "is a sitemap index, which lists sitemaps rather than pages: give one of the sitemaps it lists".to_string(),
            );
        }
        other => {
            return Err(format!(
                "is not a sitemap: its root element is <{other}>, not <urlset>"
            ));
        }
    }
    let mut urls = Vec::new();
    for loc in root
        .children()
        .filter(|n| n.has_tag_name("url"))
        .flat_map(|url| url.children().filter(|n| n.has_tag_name("loc")))
    {
        let text = loc.text().unwrap_or_default().trim();
        let pos = doc.text_pos_at(loc.range().start);
        let url = split_url(text).ok_or_else(|| {
            format!(
                "is not a sitemap this build can compare with: the <loc> at line {} is `{text}`, not an absolute http:// or https:// URL",
                pos.row
            )
        })?;
        urls.push(url);
    }
    under_home_page(&urls).map(|paths| Published { paths })
}

/// Each URL's path under the site's home page: the URL every other starts with.
fn under_home_page(urls: &[(&str, &str)]) -> Result<Vec<String>, String> {
    let Some(&(origin, home)) = urls.iter().min_by_key(|(_, path)| path.len()) else {
        return Err("is a sitemap that lists no URL".to_string());
    };
    if let Some((other, _)) = urls.iter().find(|(o, _)| !o.eq_ignore_ascii_case(origin)) {
        return Err(format!(
            "is a sitemap of more than one site: it lists URLs of {origin} and of {other}"
        ));
    }
    let outside = urls
        .iter()
        .find(|(_, path)| !home.ends_with('/') || !path.starts_with(home));
    if let Some((_, path)) = outside {
        return Err(format!(
            "is a sitemap whose URLs are not all under one home page (`{origin}{home}` and `{origin}{path}`), so the base URL of the earlier site cannot be told: a scrutiny sitemap lists the site's home page, and every page under it"
        ));
    }
    let mut paths: Vec<String> = urls
        .iter()
        .map(|(_, path)| {
            percent_encoding::percent_decode_str(&path[home.len()..])
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// The origin (`https://host:port`) and path (at least `/`, without query or fragment) of an
/// absolute http(s) URL.
fn split_url(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if host_end == 0 {
        return None;
    }
    let origin = &url[..scheme.len() + 3 + host_end];
    let path = rest[host_end..]
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    Some((origin, if path.is_empty() { "/" } else { path }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sitemap(locs: &[&str]) -> Vec<u8> {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for loc in locs {
            xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
        }
        xml.push_str("</urlset>\n");
        xml.into_bytes()
    }

    #[test]
    fn a_sitemap_s_urls_are_taken_under_its_home_page_whatever_the_host() {
        let published = from_sitemap(&sitemap(&[
            "https://example.github.io/archive/reports/2022-23/q1/",
            "https://example.github.io/archive/",
            " https://example.github.io/archive/minutes/a%20b/?x=1#top ",
            "https://example.github.io/archive/reports/",
        ]))
        .expect("a sitemap");
        assert_eq!(
            published.paths(),
            ["", "minutes/a b/", "reports/", "reports/2022-23/q1/"]
        );
        let root = from_sitemap(&sitemap(&[
            "http://localhost:1111",
            "http://localhost:1111/x/",
        ]))
        .expect("a sitemap at a host's root");
        assert_eq!(root.paths(), ["", "x/"]);
    }

    #[test]
    fn what_is_no_sitemap_of_one_site_is_refused_saying_why() {
        for (bytes, why) in [
            (b"\xff\xfe".to_vec(), "not UTF-8"),
            (b"<urlset><url><loc>".to_vec(), "cannot be read as XML"),
            (b"<sitemapindex/>".to_vec(), "sitemap index"),
            (b"<html><body/></html>".to_vec(), "<html>"),
            (sitemap(&[]), "lists no URL"),
            (sitemap(&["/archive/"]), "line 3"),
            (sitemap(&["ftp://example.org/"]), "absolute http"),
            (
                sitemap(&["https://a.example/", "https://b.example/x/"]),
                "more than one site",
            ),
            (
                sitemap(&["https://a.example/one/", "https://a.example/two/"]),
                "not all under one home page",
            ),
            (
                b"<!DOCTYPE urlset [<!ENTITY x \"y\">]><urlset/>".to_vec(),
                "cannot be read as XML",
            ),
        ] {
            let error = from_sitemap(&bytes).expect_err(why);
            assert!(error.contains(why), "{why}: {error}");
        }
    }

    #[test]
    fn a_folder_must_be_a_build_and_its_files_are_its_urls() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("reports/2022-23/q1")).expect("mkdir");
        fs::write(dir.path().join("index.html"), "").expect("write");
        fs::write(dir.path().join("reports/2022-23/q1/index.html"), "").expect("write");
        fs::write(dir.path().join("reports/2022-23/q1/figures.csv"), "").expect("write");
        fs::write(dir.path().join("old.html"), "").expect("write");
        let error = Published::read(dir.path()).expect_err("no marker");
        assert!(
            error.contains("not the output of a scrutiny build"),
            "{error}"
        );
        fs::write(dir.path().join(MARKER), "").expect("write");
        let published = Published::read(dir.path()).expect("a build");
        assert_eq!(
            published.paths(),
            [
                "",
                "old.html",
                "reports/2022-23/q1/",
                "reports/2022-23/q1/figures.csv"
            ]
        );
        let missing = Published::read(&dir.path().join("nothing")).expect_err("missing");
        assert!(missing.contains("cannot be read"), "{missing}");
    }

    #[test]
    fn a_path_is_served_by_its_file_or_its_folder_s_index() {
        let published = Published {
            paths: ["", "a/", "b", "c.csv", "d/", "e"]
                .map(String::from)
                .to_vec(),
        };
        let written: Vec<String> = ["a/index.html", "b/index.html", "c.csv", "index.html"]
            .map(String::from)
            .to_vec();
        assert_eq!(published.unserved(&written), ["d/", "e"]);
    }

    #[test]
    fn the_hint_names_the_alias_that_would_serve_a_url_again() {
        let published = Published {
            paths: ["", "r/", "r/data/figures.csv", "s/", "s/data.csv", "t.csv"]
                .map(String::from)
                .to_vec(),
        };
        let unserved = ["r/", "r/data/figures.csv", "s/data.csv", "t.csv"];
        assert!(
            published
                .hint("r/", &unserved)
                .contains("aliases = [\"/r/\"]")
        );
        let csv = published.hint("r/data/figures.csv", &unserved);
        assert!(
            csv.contains("a file of the page /r/") && csv.contains("aliases = [\"/r/\"]"),
            "{csv}"
        );
        for file in ["s/data.csv", "t.csv"] {
            let hint = published.hint(file, &unserved);
            assert!(
                hint.contains("write the file at this address again"),
                "{hint}"
            );
        }
    }
}

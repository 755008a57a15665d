//! Aliases: the earlier addresses of a page, `aliases = ["/old/path/"]` in its front matter. The
//! driver writes a redirect page at each, so a link to the old address keeps working.
//!
//! An alias is a path of the site, taken from the base path as links starting with `/` are
//! (`/old/` under the base URL `https://org.github.io/repo/` is `https://org.github.io/repo/old/`,
//! written at `old/index.html` of the output). It is checked here, once, for every page that
//! has aliases, a plugin's included, and an [`Alias`] can only be made by that check
//! ([`Alias::parse`], [`read`]): whatever a plugin hands the driver stays inside the output
//! folder.
//!
//! The rule: an alias starts with `/`; each part between two `/` keeps to the name rule
//! ([`crate::name`]: lower-case ASCII letters, digits and hyphens, at most 100 characters); the
//! last part may instead be a file name ending `.html` whose stem keeps to it (`/old/page.html`),
//! the only place a `.` is allowed. No empty part (`//`), no `.` or `..` part, no query (`?`),
//! fragment (`#`), percent-encoding (`%`) or `\`, at most [`MAX_PARTS`] parts. An alias that
//! ends in `/` or in a name is a folder, written as `<alias>/index.html` (a static host serves
//! `/old/path` from `old/path/index.html` too); one ending `.html` is written as that file.

use toml::Spanned;

use crate::diag::{FileId, Location, Problems};
use crate::name::{self, RULE};

/// The most parts (folders and file) an alias may have.
pub const MAX_PARTS: usize = 16;

/// An earlier address of a page, checked against the rule: the driver writes a redirect there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Alias {
    /// As written in the front matter: `/old/path/`.
    written: String,
    /// Its site path, relative to the base path: `old/path/`, `old/page.html`, or empty for `/`.
    path: String,
    /// Where it is written.
    at: Location,
}

/// Why an alias was refused: what is wrong with it, and how to write it instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadAlias {
    /// What is wrong, ready to follow "the alias `…` ".
    pub problem: String,
    /// How to fix it.
    pub hint: String,
}

impl Alias {
    /// Checks `written` against the rule: the alias, or why it cannot be one.
    pub fn parse(written: &str, at: Location) -> Result<Alias, BadAlias> {
        let path = check(written)?;
        Ok(Alias {
            written: written.to_string(),
            path,
            at,
        })
    }

    /// The alias as written: `/old/path/`.
    pub fn written(&self) -> &str {
        &self.written
    }

    /// Its site path, relative to the base path: `old/path/` (a folder, with its `/`, also for
    /// an alias written `/old/path`), `old/page.html`, or empty for `/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The file its redirect page is written to, relative to the output folder:
    /// `old/path/index.html`, `old/page.html`.
    pub fn output_path(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }

    /// Where it is written in its page's front matter.
    pub fn at(&self) -> &Location {
        &self.at
    }
}

/// Checks the aliases of a page's front matter (`aliases = […]`, read as spanned strings from
/// front matter starting at byte `offset` of `file`), recording an error at each that breaks the
/// rule: those that keep to it.
pub fn read(
    written: &[Spanned<String>],
    file: FileId,
    offset: usize,
    diags: &mut Problems,
) -> Vec<Alias> {
    let mut aliases = Vec::with_capacity(written.len());
    for alias in written {
        let span = alias.span();
        let at = Location::new(file, span.start + offset..span.end + offset);
        match Alias::parse(alias.get_ref(), at.clone()) {
            Ok(alias) => aliases.push(alias),
            Err(bad) => diags.error(
                &at,
                format!("the alias `{}` {}", alias.get_ref(), bad.problem),
                bad.hint,
            ),
        }
    }
    aliases
}

/// The hint every refusal of a part ends with: what an alias may be made of.
fn form_hint() -> String {
    format!(
        "an alias is a path from the site's root, `/old/path/` or `/old/page.html`, each part of {RULE}"
    )
}

/// Refuses what is no path from the site's root, or holds a character that would make the
/// path mean something else than it shows: a query, a fragment, percent-encoding, `\`.
fn check_form(written: &str) -> Result<(), BadAlias> {
    let refuse = |problem: &str, hint: String| {
        Err(BadAlias {
            problem: problem.to_string(),
            hint,
        })
    };
    let scheme = written
        .split_once(':')
        .is_some_and(|(before, _)| !before.contains('/'));
    if written.is_empty() {
        return refuse("is empty", form_hint());
    }
    if scheme || written.starts_with("//") {
        return refuse(
            "is a URL, not a path of this site",
            "write the old address as a path from the site's root (after the base URL), e.g. `/reports/2022/q2/` for https://ORG.github.io/REPO/reports/2022/q2/".to_string(),
        );
    }
    let example = |s: String| format!(", e.g. `{s}`");
    if !written.starts_with('/') {
        let hint = suggest(&format!("/{written}")).map(example);
        return refuse(
            "does not start with `/`",
            format!("write it from the site's root{}", hint.unwrap_or_default()),
        );
    }
    for (c, what, how, why) in [
        (
            '?',
            "has a query (`?…`)",
            "leave out the query",
            "a static host serves a file whatever the query, so the redirect could not tell the old address apart",
        ),
        (
            '#',
            "has a fragment (`#…`)",
            "leave out the fragment",
            "a fragment never reaches the host, so the redirect could not tell the old address apart",
        ),
        (
            '%',
            "is percent-encoded (`%`)",
            "write the path without percent-encoding",
            "an alias's letters, digits and hyphens need none, and an encoded one could name another path than it shows",
        ),
        (
            '\\',
            "contains `\\`",
            "write `/` between parts",
            "some hosts read `\\` as `/`, others not",
        ),
    ] {
        if written.contains(c) {
            let hint = suggest(written).map(example).unwrap_or_default();
            return refuse(what, format!("{how}{hint}: {why}"));
        }
    }
    Ok(())
}

/// The site path of `written`, or why it is no alias.
fn check(written: &str) -> Result<String, BadAlias> {
    check_form(written)?;
    let parts: Vec<&str> = written[1..].split('/').collect();
    // `/` and `/old/` end in an empty part: the folder itself.
    let (last, folders) = parts.split_last().unwrap_or((&"", &[]));
    let count = folders.len() + usize::from(!last.is_empty());
    if count > MAX_PARTS {
        return Err(BadAlias {
            problem: format!("has {count} parts, more than the {MAX_PARTS} allowed"),
            hint: format!("write it in at most {MAX_PARTS} parts"),
        });
    }
    for part in folders {
        check_part(written, part, false)?;
    }
    if !last.is_empty() {
        check_part(written, last, true)?;
    }
    let mut path = written[1..].to_string();
    if !(path.is_empty() || path.ends_with('/') || path.ends_with(".html")) {
        path.push('/');
    }
    Ok(path)
}

/// Checks one part of `written`: a folder's name, or (when `last`) a name or `<name>.html`.
fn check_part(written: &str, part: &str, last: bool) -> Result<(), BadAlias> {
    let refuse = |problem: String, hint: String| Err(BadAlias { problem, hint });
    match part {
        "" => {
            return refuse(
                "has an empty part (`//`)".to_string(),
                format!(
                    "write one `/` between two parts{}",
                    suggest(written)
                        .map(|s| format!(", `{s}`"))
                        .unwrap_or_default()
                ),
            );
        }
        "." | ".." => {
            let what = if part == ".." {
                "`..` part, which would lead out of its folder"
            } else {
                "`.` part, which names the folder it is in"
            };
            return refuse(
                format!("has a {what}"),
                format!("write the path it means, part by part: {}", form_hint()),
            );
        }
        _ => {}
    }
    let stem = match part.strip_suffix(".html") {
        Some(stem) if last && !stem.is_empty() => stem,
        _ => part,
    };
    if stem.contains('.') {
        return refuse(
            format!(
                "has a `.` in `{part}`: a `.` is allowed only where the last part ends `.html`"
            ),
            "a redirect page is HTML: name a folder (`/old/page/`) or a file ending `.html` (`/old/page.html`)".to_string(),
        );
    }
    name::check(stem).or_else(|bad| {
        refuse(
            format!("has a part `{part}` that {}", bad.problem),
            match suggest(written) {
                Some(s) if s != written => format!("{}, e.g. `{s}`", form_hint()),
                _ => form_hint(),
            },
        )
    })
}

/// `written` made to keep to the rule where it can be: each part lower-cased, with each run of
/// spaces, underscores or dots one hyphen (as [`name`] suggests names), empty parts and any
/// query or fragment dropped. `None` for a path of other characters, which is not likely a
/// mistake of case or spacing: no alias is made up from it.
fn suggest(written: &str) -> Option<String> {
    let written = written.split(['?', '#']).next().unwrap_or_default();
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | ' ' | '.');
    if !written.chars().all(plain) {
        return None;
    }
    let trailing = written.ends_with('/');
    let mut parts = Vec::new();
    for part in written.split(['/', '\\']).filter(|p| !p.is_empty()) {
        let (stem, html) = match part.strip_suffix(".html") {
            Some(stem) => (stem, ".html"),
            None => (part, ""),
        };
        let stem = match name::check(stem) {
            Ok(()) => stem.to_string(),
            Err(bad) => bad.suggestion?,
        };
        parts.push(format!("{stem}{html}"));
    }
    let end = if trailing && !parts.is_empty() {
        "/"
    } else {
        ""
    };
    Some(format!("/{}{end}", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(written: &str) -> Result<Alias, BadAlias> {
        Alias::parse(written, Location::new(0, 0..0))
    }

    #[test]
    fn aliases_of_the_rule_are_taken_as_folders_or_html_files() {
        for (written, path, output) in [
            ("/old/", "old/", "old/index.html"),
            ("/old", "old/", "old/index.html"),
            (
                "/reports/2022/q2/",
                "reports/2022/q2/",
                "reports/2022/q2/index.html",
            ),
            (
                "/reports/2022-23/q1",
                "reports/2022-23/q1/",
                "reports/2022-23/q1/index.html",
            ),
            ("/old/page.html", "old/page.html", "old/page.html"),
            ("/index.html", "index.html", "index.html"),
            ("/", "", "index.html"),
        ] {
            let alias = parse(written).unwrap_or_else(|bad| panic!("{written}: {bad:?}"));
            assert_eq!(alias.written(), written);
            assert_eq!(alias.path(), path, "{written}");
            assert_eq!(alias.output_path(), output, "{written}");
        }
        let deep = format!("/{}", ["a"; MAX_PARTS].join("/"));
        assert!(parse(&deep).is_ok());
        assert!(
            parse(&format!("{deep}/")).is_ok(),
            "a trailing `/` is no part"
        );
    }

    #[test]
    fn paths_that_could_leave_the_output_or_mean_two_things_are_refused() {
        for (written, problem) in [
            ("", "empty"),
            ("old/", "does not start with `/`"),
            ("https://example.org/old/", "URL"),
            ("javascript:alert(1)", "URL"),
            ("mailto:clerk@example.org", "URL"),
            ("//evil.example/old/", "URL"),
            ("/old//path/", "empty part"),
            ("/old/../../etc/", "`..`"),
            ("/./old/", "`.`"),
            ("/..", "`..`"),
            ("/old/?page=2", "query"),
            ("/old/#top", "fragment"),
            ("/%2e%2e/etc/", "percent-encoded"),
            ("/old%2Fpath/", "percent-encoded"),
            ("/old\\..\\etc/", "`\\`"),
            ("/Old/", "upper-case"),
            ("/old path/", "a space"),
            ("/old/page.htm", "`.`"),
            ("/old.d/page.html", "`.`"),
            ("/old/.html", "`.`"),
            ("/old/page.html/", "`.`"),
            ("/feed.xml", "`.`"),
            ("/.nojekyll", "`.`"),
            ("/caf\u{e9}/", "U+00E9"),
            ("/a\u{0}b/", "U+0000"),
            ("/\"><script>alert(1)</script>/", "`\"`"),
            ("/old_page/", "`_`"),
        ] {
            let bad = parse(written).expect_err(written);
            assert!(bad.problem.contains(problem), "{written}: {bad:?}");
            assert!(!bad.hint.is_empty(), "{written}");
        }
        let long = format!("/{}/", "a".repeat(101));
        assert!(
            parse(&long)
                .expect_err("long")
                .problem
                .contains("101 characters")
        );
        let deep = format!("/{}", ["a"; MAX_PARTS + 1].join("/"));
        assert!(parse(&deep).expect_err("deep").problem.contains("parts"));
    }

    #[test]
    fn a_refusal_suggests_an_alias_that_keeps_to_the_rule() {
        let hint = |written: &str| parse(written).expect_err(written).hint;
        assert!(
            hint("/Reports/Q2/").contains("`/reports/q2/`"),
            "{}",
            hint("/Reports/Q2/")
        );
        assert!(hint("old/path/").contains("`/old/path/`"));
        assert!(hint("/old//path/").contains("`/old/path/`"));
        assert!(hint("/old/?page=2").contains("`/old/`"));
        assert!(hint("/My Page.html").contains("`/my-page.html`"));
        // Nothing is made up from what is no mistake of case or spacing.
        for written in ["/\"><script>/", "/caf\u{e9}/", "/%2e%2e/x/"] {
            assert!(
                !hint(written).contains("e.g."),
                "{written}: {}",
                hint(written)
            );
        }
    }

    #[test]
    fn read_records_each_bad_alias_at_its_place_and_keeps_the_good_ones() {
        let front = "aliases = [\"/old/\", \"bad\", \"/Also Bad/\"]";
        #[derive(serde::Deserialize)]
        struct Front {
            aliases: Vec<Spanned<String>>,
        }
        let front: Front = toml::from_str(front).expect("front matter");
        let mut problems = Problems::new();
        let aliases = read(&front.aliases, 0, 4, &mut problems);
        assert_eq!(aliases.len(), 1);
        assert_eq!(aliases[0].path(), "old/");
        assert_eq!(
            aliases[0].at().span,
            15..22,
            "the span counts from the offset"
        );
        assert_eq!(problems.error_count(), 2);
    }
}

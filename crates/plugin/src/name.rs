//! Names that become part of a URL or a file path: committee ids, minutes file names, page file
//! names, action ids, the theme. One rule for all of them, checked here and nowhere else.
//!
//! A name is made of lower-case ASCII letters, digits and hyphens (`RULE`), at most
//! `MAX_LEN` (100) characters: no `.` or `..`, no `/` or `\`, no spaces, no upper case (which some
//! file systems fold and others do not), nothing a URL would have to escape. Names of pages have
//! to keep clear of the names the site itself uses besides ([`RESERVED`]).

/// The rule, as messages and the README state it.
pub(crate) const RULE: &str = "lower-case ASCII letters (a-z), digits and hyphens";

/// The longest name accepted, in characters: well inside what any file system allows.
pub(crate) const MAX_LEN: usize = 100;

/// Names a standalone page may not take because the site uses them (or will) at the top
/// level: the home page, the not-found page, the sitemap, the feed, search and open data.
/// The pages, folders and files the site and its plugins actually write are refused besides,
/// when the build knows them.
pub const RESERVED: [&str; 6] = ["index", "404", "sitemap", "feed", "search", "data"];

/// Why a name was refused: what is wrong with it, and the name it could be instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadName {
    /// What is wrong, ready to follow "the committee id `…` " and the like.
    pub problem: String,
    /// A name that keeps to the rule, made from the one written, when one can be made.
    pub suggestion: Option<String>,
    /// The name keeps to the rule but is one the site keeps for itself ([`RESERVED`]).
    pub kept: bool,
}

impl BadName {
    /// A hint for a message: the rule, with the suggested name when there is one.
    pub fn hint(&self, what: &str) -> String {
        match &self.suggestion {
            _ if self.kept => "choose another name: the site keeps this one for itself".to_string(),
            Some(name) => format!("write {what} with {RULE} only, e.g. `{name}`"),
            None => format!("write {what} with {RULE} only"),
        }
    }
}

/// Checks `name` against the rule: `Ok` when it may name a folder, a file or a URL segment.
pub fn check(name: &str) -> Result<(), BadName> {
    let refuse = |problem: String| {
        let suggestion = suggest(name);
        Err(BadName {
            problem,
            suggestion: suggestion.filter(|s| s != name),
            kept: false,
        })
    };
    if name.is_empty() {
        return refuse("is empty".to_string());
    }
    if name.contains("..") {
        return refuse("contains `..`, which would lead out of its folder".to_string());
    }
    if name.contains(['/', '\\']) {
        return refuse("contains a `/` or `\\`, which would make it a path of folders".to_string());
    }
    if let Some(c) = name.chars().find(|c| !is_name_char(*c)) {
        let shown = match c {
            ' ' => "a space".to_string(),
            c if c.is_ascii_uppercase() => format!("the upper-case letter `{c}`"),
            c if c.is_ascii_graphic() => format!("`{c}`"),
            c => format!("the character U+{:04X}", u32::from(c)),
        };
        return refuse(format!("contains {shown}"));
    }
    let length = name.chars().count();
    if length > MAX_LEN {
        return Err(BadName {
            problem: format!("is {length} characters long, more than the {MAX_LEN} allowed"),
            suggestion: None,
            kept: false,
        });
    }
    Ok(())
}

/// Checks the name of a standalone page: the rule, and none of the [`RESERVED`] names.
pub fn check_page(name: &str) -> Result<(), BadName> {
    check(name)?;
    if RESERVED.contains(&name) {
        return Err(BadName {
            problem: format!(
                "is a name the site keeps for itself (it keeps {})",
                RESERVED
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            suggestion: None,
            kept: true,
        });
    }
    Ok(())
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

/// The name written, lower-cased, with each run of other characters made one hyphen; `None`
/// when nothing is left.
fn suggest(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(MAX_LEN).collect();
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_rule_pass() {
        for name in [
            "children-osc",
            "uasc-transfers-2023",
            "2022-11-17",
            "a",
            "q2",
        ] {
            assert_eq!(check(name), Ok(()), "{name}");
        }
        assert_eq!(check(&"a".repeat(MAX_LEN)), Ok(()));
    }

    #[test]
    fn paths_and_other_characters_are_refused_with_a_suggestion() {
        for (name, problem, suggestion) in [
            ("..", "`..`", None),
            ("../etc", "`..`", Some("etc")),
            ("a/b", "`/`", Some("a-b")),
            ("a\\b", "`\\`", Some("a-b")),
            (
                "Children-OSC",
                "upper-case letter `C`",
                Some("children-osc"),
            ),
            ("my page", "a space", Some("my-page")),
            ("style.css", "`.`", Some("style-css")),
            (".", "`.`", None),
            ("a\u{200b}b", "U+200B", Some("a-b")),
            ("caf\u{e9}", "U+00E9", Some("caf")),
            ("a_b", "`_`", Some("a-b")),
            ("%2e%2e", "`%`", Some("2e-2e")),
            ("", "empty", None),
        ] {
            let bad = check(name).expect_err(name);
            assert!(bad.problem.contains(problem), "{name}: {bad:?}");
            assert_eq!(bad.suggestion.as_deref(), suggestion, "{name}");
        }
        let long = check(&"a".repeat(MAX_LEN + 1)).expect_err("too long");
        assert!(long.problem.contains("101 characters"), "{long:?}");
    }

    #[test]
    fn pages_keep_clear_of_the_names_the_site_keeps() {
        assert_eq!(check_page("glossary"), Ok(()));
        for name in RESERVED {
            assert!(check_page(name).is_err(), "{name}");
        }
        assert!(check_page("Index").is_err());
        let hint = check("My Page")
            .expect_err("space")
            .hint("a page's file name");
        assert!(hint.contains("`my-page`") && hint.contains(RULE), "{hint}");
        let hint = check_page("data").expect_err("kept").hint("the page");
        assert!(hint.contains("choose another name"), "{hint}");
    }
}

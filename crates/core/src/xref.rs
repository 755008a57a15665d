//! Cross-references: the `report:`, `indicator:`, `meeting:` and `action:` link schemes.
//!
//! Every page that can be linked to registers a [`Target`] here before any Markdown is rendered.
//! Rendering resolves each link against this index, fails with the nearest valid targets when a
//! link does not resolve, and records a [`Backlink`] so the target can list who links to it.

use std::collections::BTreeMap;

use serde::Serialize;

/// A page (or part of one) that content may link to.
#[derive(Debug, Clone)]
pub struct Target {
    /// Site path of the page, relative to the base path: `reports/2022-23/q2/`.
    pub path: String,
    /// Title to show when listing links to it.
    pub title: String,
    /// Fragment ids within the page that a link may name after `#`.
    pub anchors: Vec<String>,
}

/// A link from one page to a target, shown on the target as "linked from".
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backlink {
    /// The reference as written, without fragment: `report:2022-23/q2`.
    pub target: String,
    /// Fragment of the reference, if any.
    pub fragment: Option<String>,
    /// Site path of the linking page.
    pub from_path: String,
    /// Anchor on the linking page nearest the link (its heading), if any.
    pub from_anchor: Option<String>,
    /// Title of the linking page.
    pub from_title: String,
}

/// Every link target of the site, keyed by `scheme:id`.
#[derive(Debug, Default)]
pub struct XrefIndex {
    targets: BTreeMap<String, Target>,
}

/// Why a reference did not resolve, with the nearest valid references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// What went wrong.
    pub message: String,
    /// Up to three valid references close to the one written.
    pub nearest: Vec<String>,
}

/// The schemes the link syntax knows.
pub const SCHEMES: [&str; 4] = ["report", "indicator", "meeting", "action"];

impl XrefIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `scheme:id`. A later registration of the same key replaces the earlier one.
    pub fn add(&mut self, scheme: &str, id: &str, target: Target) {
        self.targets.insert(format!("{scheme}:{id}"), target);
    }

    /// The target of a key such as `report:2022-23/q2`, if registered.
    pub fn get(&self, key: &str) -> Option<&Target> {
        self.targets.get(key)
    }

    /// Whether `url` uses one of the cross-reference schemes.
    pub fn is_reference(url: &str) -> bool {
        SCHEMES.iter().any(|s| {
            url.strip_prefix(s)
                .is_some_and(|rest| rest.starts_with(':'))
        })
    }

    /// The reference as it should be written when `url`'s scheme is one of ours in other than
    /// lower case (`REPORT:2022-23/q2` → `report:2022-23/q2`). Schemes are matched exactly, so
    /// such a link would not be resolved.
    pub fn miscased_scheme(url: &str) -> Option<String> {
        miscased(url, &SCHEMES)
    }

    /// Resolves `scheme:id#fragment` to a site path with fragment.
    pub fn resolve(&self, reference: &str) -> Result<String, Unresolved> {
        if let Some(lower) = Self::miscased_scheme(reference) {
            let scheme = reference.split(':').next().unwrap_or("");
            return Err(Unresolved {
                message: format!(
                    "`{reference}` has its scheme `{scheme}:` in upper case; cross-references are written in lower case"
                ),
                nearest: vec![lower],
            });
        }
        let (key, fragment) = match reference.split_once('#') {
            Some((k, f)) => (k, Some(f)),
            None => (reference, None),
        };
        let Some(target) = self.targets.get(key) else {
            let scheme = key.split(':').next().unwrap_or("");
            let candidates: Vec<&str> = self
                .targets
                .keys()
                .filter(|k| k.starts_with(&format!("{scheme}:")))
                .map(String::as_str)
                .collect();
            return Err(Unresolved {
                message: format!("`{reference}` does not match any {scheme} in the site"),
                nearest: nearest(key, candidates),
            });
        };
        match fragment {
            None | Some("") => Ok(target.path.clone()),
            Some(f) if target.anchors.iter().any(|a| a == f) => Ok(format!("{}#{f}", target.path)),
            Some(f) => Err(Unresolved {
                message: format!("`{key}` has no part `#{f}`"),
                nearest: nearest(f, target.anchors.iter().map(String::as_str).collect())
                    .into_iter()
                    .map(|a| format!("{key}#{a}"))
                    .collect(),
            }),
        }
    }
}

/// `url` with its scheme in lower case, when the scheme is one of `schemes` in another case.
pub fn miscased(url: &str, schemes: &[&str]) -> Option<String> {
    let (scheme, rest) = url.split_once(':')?;
    let lower = scheme.to_ascii_lowercase();
    (lower != scheme && schemes.contains(&lower.as_str())).then(|| format!("{lower}:{rest}"))
}

/// Up to three candidates closest to `wanted` by edit distance.
pub fn nearest(wanted: &str, candidates: Vec<&str>) -> Vec<String> {
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// The names within a small edit distance of `wanted`, ignoring case: one edit for a name of up
/// to five characters, two for a longer one. Nearest first. For "did you mean" hints that
/// should not suggest a name nothing like the one written.
pub fn close_names<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let limit = if wanted.chars().count() <= 5 { 1 } else { 2 };
    let mut close: Vec<(usize, &str)> = names
        .map(|name| (edit_distance(&wanted, &name.to_lowercase()), name))
        .filter(|(distance, _)| *distance <= limit)
        .collect();
    close.sort();
    close.into_iter().map(|(_, name)| name).collect()
}

/// Levenshtein distance between two strings, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(current)
            };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> XrefIndex {
        let mut index = XrefIndex::new();
        let target = |path: &str, anchors: &[&str]| Target {
            path: path.into(),
            title: "t".into(),
            anchors: anchors.iter().map(|a| a.to_string()).collect(),
        };
        index.add(
            "report",
            "2022-23/q2",
            target("reports/2022-23/q2/", &["mash", "cla"]),
        );
        index.add("indicator", "contacts", target("indicators/contacts/", &[]));
        index
    }

    #[test]
    fn resolves_with_and_without_fragment() {
        let index = index();
        assert_eq!(
            index.resolve("report:2022-23/q2").unwrap(),
            "reports/2022-23/q2/"
        );
        assert_eq!(
            index.resolve("report:2022-23/q2#cla").unwrap(),
            "reports/2022-23/q2/#cla"
        );
    }

    #[test]
    fn suggests_the_nearest_targets() {
        let index = index();
        let err = index.resolve("report:2022-23/q3").unwrap_err();
        assert_eq!(err.nearest, vec!["report:2022-23/q2".to_string()]);
        let err = index.resolve("report:2022-23/q2#cal").unwrap_err();
        assert_eq!(err.nearest[0], "report:2022-23/q2#cla");
    }

    #[test]
    fn an_upper_case_scheme_suggests_the_lower_case_reference() {
        let index = index();
        let err = index.resolve("REPORT:2022-23/q2#cla").unwrap_err();
        assert!(err.message.contains("lower case"), "{err:?}");
        assert_eq!(err.nearest, vec!["report:2022-23/q2#cla".to_string()]);
        assert_eq!(
            XrefIndex::miscased_scheme("Indicator:contacts").as_deref(),
            Some("indicator:contacts")
        );
        assert_eq!(XrefIndex::miscased_scheme("indicator:contacts"), None);
        assert_eq!(XrefIndex::miscased_scheme("https://example.org"), None);
    }

    #[test]
    fn knows_its_schemes() {
        assert!(XrefIndex::is_reference("action:uasc-transfers"));
        assert!(!XrefIndex::is_reference("https://example.org"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn only_names_spelled_nearly_alike_are_close() {
        let names = ["children-osc", "adults-osc", "cabinet"];
        let close = |wanted| close_names(wanted, names.into_iter());
        assert_eq!(close("childrens-osc"), ["children-osc"]);
        assert_eq!(close("Children-OSC"), ["children-osc"]);
        assert_eq!(close("adult-osc"), ["adults-osc"]);
        assert_eq!(close("cabinett"), ["cabinet"]);
        assert!(close("adults").is_empty());
        assert!(close("planning").is_empty());
        assert!(close("x").is_empty());
        assert!(close_names("osc", ["csc", "os"].into_iter()).len() == 2);
        assert!(close_names("osc", ["abc"].into_iter()).is_empty());
    }
}

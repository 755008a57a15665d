//! Cross-references: the `report:`, `indicator:`, `meeting:` and `action:` link schemes.
//!
//! Every page that can be linked to registers a [`Target`] here before any Markdown is rendered.
//! Rendering resolves each link against this index, fails with the nearest valid targets when a
//! link does not resolve, and records a [`Backlink`] so the target can list who links to it.

use std::collections::BTreeMap;
use std::ops::Bound;

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

/// A reference that does not resolve, found cheaply: [`Miss::describe`] says why and finds the
/// nearest valid references, which costs more, so a report that will not show the error does
/// not pay for it.
#[derive(Debug, Clone, Copy)]
pub struct Miss<'a> {
    index: &'a XrefIndex,
    reference: &'a str,
    kind: MissKind<'a>,
}

#[derive(Debug, Clone, Copy)]
enum MissKind<'a> {
    /// The scheme is ours in another case.
    Miscased,
    /// No target has the key.
    Key(&'a str),
    /// The target has no such anchor.
    Fragment(&'a str, &'a Target, &'a str),
}

/// The schemes the link syntax knows.
pub const SCHEMES: [&str; 4] = ["report", "indicator", "meeting", "action"];

/// How many valid names, at most, are compared with one written wrongly: those nearest it in
/// alphabetical order. Among millions of targets, comparing all of them for every broken link
/// would cost more than the build.
const NEAREST_CANDIDATES: usize = 512;

/// How many characters of a name are compared when looking for the nearest: the distance
/// between a 10 MB reference and a name is of no use, and costs its length times the name's.
const NEAREST_CHARS: usize = 96;

impl XrefIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `scheme:id`. A later registration of the same key replaces the earlier one.
    /// The target's anchors are kept sorted (and without repeats), so each is found at once.
    pub fn add(&mut self, scheme: &str, id: &str, mut target: Target) {
        target.anchors.sort_unstable();
        target.anchors.dedup();
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
        self.lookup(reference).map_err(Miss::describe)
    }

    /// Resolves `scheme:id#fragment` to a site path with fragment, or says cheaply that it
    /// does not resolve: [`Miss::describe`] then says why.
    pub fn lookup<'a>(&'a self, reference: &'a str) -> Result<String, Miss<'a>> {
        let miss = |kind| Miss {
            index: self,
            reference,
            kind,
        };
        if Self::miscased_scheme(reference).is_some() {
            return Err(miss(MissKind::Miscased));
        }
        let (key, fragment) = match reference.split_once('#') {
            Some((k, f)) => (k, Some(f)),
            None => (reference, None),
        };
        let Some(target) = self.targets.get(key) else {
            return Err(miss(MissKind::Key(key)));
        };
        match fragment {
            None | Some("") => Ok(target.path.clone()),
            Some(f)
                if target
                    .anchors
                    .binary_search_by(|a| a.as_str().cmp(f))
                    .is_ok() =>
            {
                Ok(format!("{}#{f}", target.path))
            }
            Some(f) => Err(miss(MissKind::Fragment(key, target, f))),
        }
    }
}

impl Miss<'_> {
    /// What went wrong, and the nearest valid references.
    pub fn describe(self) -> Unresolved {
        let reference = shortened(self.reference);
        match self.kind {
            MissKind::Miscased => {
                let scheme = self.reference.split(':').next().unwrap_or("");
                Unresolved {
                    message: format!(
                        "`{reference}` has its scheme `{}:` in upper case; cross-references are written in lower case",
                        shortened(scheme)
                    ),
                    nearest: XrefIndex::miscased_scheme(self.reference)
                        .into_iter()
                        .collect(),
                }
            }
            MissKind::Key(key) => {
                let scheme = key.split(':').next().unwrap_or("");
                let prefix = format!("{scheme}:");
                // The registered keys of the scheme nearest the one written alphabetically.
                let targets = &self.index.targets;
                let before = targets
                    .range::<str, _>((Bound::Unbounded, Bound::Excluded(key)))
                    .rev()
                    .map(|(k, _)| k.as_str())
                    .take_while(|k| k.starts_with(&prefix))
                    .take(NEAREST_CANDIDATES / 2);
                let after = targets
                    .range::<str, _>((Bound::Included(key), Bound::Unbounded))
                    .map(|(k, _)| k.as_str())
                    .take_while(|k| k.starts_with(&prefix))
                    .take(NEAREST_CANDIDATES / 2);
                Unresolved {
                    message: format!(
                        "`{reference}` does not match any {} in the site",
                        shortened(scheme)
                    ),
                    nearest: nearest(key, before.chain(after).collect()),
                }
            }
            MissKind::Fragment(key, target, fragment) => {
                let anchors = &target.anchors;
                let at = anchors.partition_point(|a| a.as_str() < fragment);
                let window = &anchors[at.saturating_sub(NEAREST_CANDIDATES / 2)
                    ..(at + NEAREST_CANDIDATES / 2).min(anchors.len())];
                Unresolved {
                    message: format!(
                        "`{}` has no part `#{}`",
                        shortened(key),
                        shortened(fragment)
                    ),
                    nearest: nearest(fragment, window.iter().map(String::as_str).collect())
                        .into_iter()
                        .map(|a| format!("{key}#{a}"))
                        .collect(),
                }
            }
        }
    }
}

/// `text` as a message quotes it: cut after 80 characters, with `…`.
pub fn shortened(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]).into(),
        None => text.into(),
    }
}

/// `url` with its scheme in lower case, when the scheme is one of `schemes` in another case.
pub fn miscased(url: &str, schemes: &[&str]) -> Option<String> {
    let (scheme, rest) = url.split_once(':')?;
    let lower = scheme.to_ascii_lowercase();
    (lower != scheme && schemes.contains(&lower.as_str())).then(|| format!("{lower}:{rest}"))
}

/// Up to three candidates closest to `wanted` by edit distance (ties in alphabetical order).
/// Of many candidates, those nearest `wanted` alphabetically are compared (see
/// [`NEAREST_CANDIDATES`]), and only the first [`NEAREST_CHARS`] characters of each name, so
/// the cost is bounded whatever the input.
pub fn nearest(wanted: &str, mut candidates: Vec<&str>) -> Vec<String> {
    if candidates.len() > NEAREST_CANDIDATES {
        // The half just below `wanted` and the half from it on, in linear time.
        let half = NEAREST_CANDIDATES / 2;
        let (mut lower, mut upper): (Vec<&str>, Vec<&str>) =
            candidates.into_iter().partition(|c| *c < wanted);
        if lower.len() > half {
            let k = lower.len() - half;
            lower.select_nth_unstable(k);
            lower.drain(..k);
        }
        if upper.len() > half {
            upper.select_nth_unstable(half);
            upper.truncate(half);
        }
        lower.extend(upper);
        candidates = lower;
    }
    let wanted = prefix_chars(wanted, NEAREST_CHARS);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, prefix_chars(c, NEAREST_CHARS)), c))
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// The first `n` characters of `text`.
fn prefix_chars(text: &str, n: usize) -> &str {
    text.char_indices()
        .nth(n)
        .map_or(text, |(cut, _)| &text[..cut])
}

/// The names within a small edit distance of `wanted`, ignoring case: one edit for a name of up
/// to five characters, two for a longer one. Nearest first. For "did you mean" hints that
/// should not suggest a name nothing like the one written.
pub fn close_names<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let length = wanted.chars().count();
    // Names that long are not ones a site declares: comparing them would cost their square.
    if length > NEAREST_CHARS {
        return Vec::new();
    }
    let wanted = wanted.to_lowercase();
    let limit = if length <= 5 { 1 } else { 2 };
    let mut close: Vec<(usize, &str)> = names
        // A name whose length differs by more than the limit is farther than the limit.
        .filter(|name| name.chars().count().abs_diff(length) <= limit)
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
    fn among_many_targets_the_nearest_are_still_found() {
        let mut index = XrefIndex::new();
        let anchors: Vec<String> = (0..20_000).map(|n| format!("item-{n}")).collect();
        for n in 0..20_000 {
            index.add(
                "action",
                &format!("action-{n:05}"),
                Target {
                    path: "actions/".into(),
                    title: "t".into(),
                    anchors: vec![],
                },
            );
        }
        index.add(
            "meeting",
            "c/2022-11-17",
            Target {
                path: "minutes/c/2022-11-17/".into(),
                title: "t".into(),
                anchors,
            },
        );
        let err = index.resolve("action:action-04217x").unwrap_err();
        assert_eq!(err.nearest[0], "action:action-04217");
        let err = index
            .resolve("meeting:c/2022-11-17#item-9999x")
            .unwrap_err();
        assert_eq!(err.nearest[0], "meeting:c/2022-11-17#item-9999");
        assert_eq!(
            index.resolve("meeting:c/2022-11-17#item-19999").as_deref(),
            Ok("minutes/c/2022-11-17/#item-19999")
        );
    }

    #[test]
    fn a_huge_reference_is_quoted_short() {
        let index = index();
        let reference = format!("indicator:{}", "a".repeat(1 << 20));
        let err = index.resolve(&reference).unwrap_err();
        assert!(err.message.len() < 300, "{}", err.message.len());
        assert_eq!(err.nearest, ["indicator:contacts"]);
        assert!(close_names(&"x".repeat(1 << 20), ["x"].into_iter()).is_empty());
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

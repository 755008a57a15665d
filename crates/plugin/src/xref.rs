//! Cross-references: links written in a scheme, the driver's `report:` and `indicator:` and those
//! collections register (the minutes' `meeting:` and `action:`).
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
    schemes: Schemes,
}

/// The link schemes cross-references are written in: the driver's `report:` and `indicator:`,
/// and those the collections register (the minutes' `meeting:` and `action:`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schemes(Vec<String>);

impl Schemes {
    /// The schemes `names`, each without its colon.
    pub fn new<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Self {
        Schemes(names.into_iter().map(Into::into).collect())
    }

    /// Each scheme, without its colon.
    pub fn names(&self) -> Vec<&str> {
        self.0.iter().map(String::as_str).collect()
    }

    /// Whether `url` uses one of the schemes.
    pub fn is_reference(&self, url: &str) -> bool {
        self.0.iter().any(|s| {
            url.strip_prefix(s.as_str())
                .is_some_and(|rest| rest.starts_with(':'))
        })
    }

    /// The reference as it should be written when `url`'s scheme is one of these written
    /// another way (`REPORT:2022-23/q2`, `іndicator:x`, `indic%61tor:x` → `report:2022-23/q2`,
    /// …; see [`scheme_written_otherwise`]). Schemes are matched exactly, so such a link would
    /// not be resolved.
    pub fn miscased(&self, url: &str) -> Option<String> {
        miscased(url, &self.names())
    }
}

/// Why a reference did not resolve, with the nearest valid references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// What went wrong.
    pub message: String,
    /// Up to three valid references close to the one written.
    pub nearest: Vec<String>,
    /// Whether the site has anything of the kind referred to (a report, an indicator, a part
    /// of the page): when `nearest` is empty, whether the name is wrong or the thing is missing.
    pub kind_exists: bool,
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

/// How many valid names, at most, are compared with one written wrongly: those nearest it in
/// alphabetical order. Among millions of targets, comparing all of them for every broken link
/// would cost more than the build.
const NEAREST_CANDIDATES: usize = 512;

/// How many characters of a name are compared when looking for the nearest: the distance
/// between a 10 MB reference and a name is of no use, and costs its length times the name's.
const NEAREST_CHARS: usize = 96;

impl XrefIndex {
    /// An empty index of references in `schemes`.
    pub fn new(schemes: Schemes) -> Self {
        XrefIndex {
            targets: BTreeMap::new(),
            schemes,
        }
    }

    /// The schemes references are written in.
    pub fn schemes(&self) -> &Schemes {
        &self.schemes
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
        if self.schemes.miscased(reference).is_some() {
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
                let found = scheme_written_otherwise(self.reference, &self.index.schemes.names());
                Unresolved {
                    message: format!(
                        "`{reference}` is not read as a cross-reference: {}",
                        found
                            .as_ref()
                            .map_or("its scheme is not written plainly", |f| f.why.as_str())
                    ),
                    nearest: found.map(|f| f.plain).into_iter().collect(),
                    kind_exists: true,
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
                let candidates: Vec<&str> = before.chain(after).collect();
                Unresolved {
                    message: format!(
                        "`{reference}` does not match any {} in the site",
                        shortened(scheme)
                    ),
                    kind_exists: !candidates.is_empty(),
                    nearest: nearest(key, candidates),
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
                    kind_exists: !anchors.is_empty(),
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

/// `url` written plainly, when its scheme is one of `schemes` written another way: in upper
/// case, with look-alike letters (Cyrillic `і`, fullwidth `ｉ`, …), percent-encoded
/// (`indic%61tor:`) or followed by a look-alike of `:`. Such a link would not be read as a
/// cross-reference but as a link to another site. See [`scheme_written_otherwise`].
fn miscased(url: &str, schemes: &[&str]) -> Option<String> {
    scheme_written_otherwise(url, schemes).map(|found| found.plain)
}

/// A link whose scheme is one of ours, written another way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherwiseWritten {
    /// The reference written plainly: `indicator:cla-missing-episodes`.
    pub plain: String,
    /// What is wrong with the scheme, to follow "is not read as a cross-reference: ".
    pub why: String,
}

/// How far into a link its scheme's colon is looked for, in bytes.
const SCHEME_SEARCH: usize = 64;

/// The scheme of `url` when it is one of `schemes` written in another way than plainly, with
/// the reference written plainly and what is wrong. Letters are compared by their Unicode
/// skeleton (UTS #39, the confusables list), so every look-alike is caught, not a list of them.
pub fn scheme_written_otherwise(url: &str, schemes: &[&str]) -> Option<OtherwiseWritten> {
    // Where the scheme ends: at the first `:`, look-alike of it or `%3A`.
    let search = url
        .get(..crate::diag::floor_boundary(url, SCHEME_SEARCH))
        .unwrap_or("");
    let (end, colon) = search.char_indices().find_map(|(i, c)| {
        if c == ':' {
            Some((i, ":"))
        } else if !c.is_ascii() && skeleton(&c.to_string()) == ":" {
            url.get(i..i + c.len_utf8()).map(|colon| (i, colon))
        } else {
            url.get(i..i + 3)
                .filter(|t| t.eq_ignore_ascii_case("%3a"))
                .map(|colon| (i, colon))
        }
    })?;
    let written = url.get(..end)?;
    let rest = url.get(end + colon.len()..)?;
    let plain_ascii = written.bytes().all(|b| b.is_ascii_alphanumeric());
    if plain_ascii && colon == ":" && !written.bytes().any(|b| b.is_ascii_digit()) {
        // The common case, and the cheap one: letters only, so only the case can differ.
        let lower = written.to_ascii_lowercase();
        return (lower != written && schemes.contains(&lower.as_str())).then(|| OtherwiseWritten {
            plain: format!("{lower}:{rest}"),
            why: format!("its scheme `{written}:` must be written in lower case"),
        });
    }
    if written.is_empty() || written.chars().count() > 24 {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(written).decode_utf8_lossy();
    let wanted = normalized(&decoded);
    let scheme = schemes.iter().find(|s| normalized(s) == wanted)?;
    if written == *scheme && colon == ":" {
        return None;
    }
    let shown = format!("{written}{colon}");
    let why = if written.contains('%') || colon.starts_with('%') {
        format!(
            "its scheme `{shown}` is percent-encoded (`%XX` for a letter), which only a browser decodes"
        )
    } else if let Some(c) = written.chars().find(|c| !c.is_ascii()) {
        format!(
            "its scheme `{shown}` is written with a look-alike letter: `{c}` (U+{:04X}) for `{}`",
            u32::from(c),
            skeleton(&c.to_lowercase().to_string()).to_lowercase()
        )
    } else if colon != ":" {
        let c = colon.chars().next().unwrap_or(':');
        format!(
            "its scheme `{written}` is followed by `{colon}` (U+{:04X}), a look-alike of `:`",
            u32::from(c)
        )
    } else if let Some(c) = written.chars().find(|c| c.is_ascii_digit()) {
        format!(
            "its scheme `{shown}` is written with a digit for a letter: `{c}` for `{}`",
            skeleton(&c.to_string()).to_lowercase()
        )
    } else {
        format!("its scheme `{shown}` must be written in lower case")
    };
    Some(OtherwiseWritten {
        plain: format!("{scheme}:{rest}"),
        why,
    })
}

/// Text as it looks: lower-cased, each character replaced by its prototype in the Unicode
/// confusables list, lower-cased again (the prototype of `0` is `O`).
fn normalized(text: &str) -> String {
    skeleton(&text.to_lowercase()).to_lowercase()
}

fn skeleton(text: &str) -> String {
    unicode_security::confusable_detection::skeleton(text).collect()
}

/// The "did you mean" rule, one for every hint: up to three of `candidates` close to `wanted`,
/// nearest first (ties in alphabetical order). Close means within a few edits, ignoring case,
/// with a transposition counting as one (`edit_limit`): a name nothing like the one written is
/// never suggested. Of many candidates, those nearest `wanted` alphabetically are compared (see
/// `NEAREST_CANDIDATES`), and only the first `NEAREST_CHARS` characters of each, so the cost
/// is bounded whatever the input.
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
    let wanted = prefix_chars(wanted, NEAREST_CHARS).to_lowercase();
    let limit = edit_limit(wanted.chars().count());
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| {
            let c_lower = prefix_chars(c, NEAREST_CHARS).to_lowercase();
            (strsim::osa_distance(&wanted, &c_lower), c)
        })
        .filter(|(distance, _)| *distance <= limit)
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// How many edits away a suggestion may be from a name of `length` characters: one for a name
/// of up to five, two up to ten, then one more for each five characters.
fn edit_limit(length: usize) -> usize {
    match length {
        0..=5 => 1,
        6..=10 => 2,
        n => n / 5,
    }
}

/// The first `n` characters of `text`.
fn prefix_chars(text: &str, n: usize) -> &str {
    text.char_indices()
        .nth(n)
        .map_or(text, |(cut, _)| &text[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemes() -> Schemes {
        Schemes::new(["report", "indicator", "meeting", "action"])
    }

    fn index() -> XrefIndex {
        let mut index = XrefIndex::new(schemes());
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
            schemes().miscased("Indicator:contacts").as_deref(),
            Some("indicator:contacts")
        );
        assert_eq!(schemes().miscased("indicator:contacts"), None);
        assert_eq!(schemes().miscased("https://example.org"), None);
    }

    #[test]
    fn schemes_in_look_alike_letters_or_percent_encoding_suggest_the_plain_one() {
        let schemes = ["report", "indicator", "meeting", "action", "chart"];
        for (url, plain, why) in [
            ("\u{456}ndicator:x", "indicator:x", "U+0456"),
            (
                "r\u{435}port:2022-23/q2",
                "report:2022-23/q2",
                "look-alike letter",
            ),
            (
                "m\u{435}\u{435}ting:c/2022-11-17",
                "meeting:c/2022-11-17",
                "U+0435",
            ),
            ("\u{430}ction:a", "action:a", "for `a`"),
            ("rep\u{3bf}rt:2022-23/q2", "report:2022-23/q2", "U+03BF"),
            (
                "\u{ff49}\u{ff4e}\u{ff44}\u{ff49}\u{ff43}\u{ff41}\u{ff54}\u{ff4f}\u{ff52}:x",
                "indicator:x",
                "U+FF49",
            ),
            (
                "\u{ff32}\u{ff25}\u{ff30}\u{ff2f}\u{ff32}\u{ff34}:x",
                "report:x",
                "look-alike",
            ),
            (
                "\u{1d42b}\u{1d41e}\u{1d429}\u{1d428}\u{1d42b}\u{1d42d}:x",
                "report:x",
                "look-alike",
            ),
            ("ch\u{430}rt:cla", "chart:cla", "U+0430"),
            ("indic%61tor:x", "indicator:x", "percent-encoded"),
            (
                "%72eport:2022-23/q2",
                "report:2022-23/q2",
                "percent-encoded",
            ),
            ("%D1%96ndicator:x", "indicator:x", "percent-encoded"),
            (
                "report%3A2022-23/q2",
                "report:2022-23/q2",
                "percent-encoded",
            ),
            ("report\u{ff1a}2022-23/q2", "report:2022-23/q2", "U+FF1A"),
            ("rep0rt:2022-23/q2", "report:2022-23/q2", "digit"),
            ("REPORT:2022-23/q2", "report:2022-23/q2", "lower case"),
            ("Indicator:x", "indicator:x", "lower case"),
        ] {
            let found = scheme_written_otherwise(url, &schemes).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(found.plain, plain, "{url}");
            assert!(found.why.contains(why), "{url}: {}", found.why);
            assert_eq!(miscased(url, &schemes).as_deref(), Some(plain));
        }
        for url in [
            "report:2022-23/q2",
            "https://example.org/report:x",
            "mailto:someone@example.org",
            "/minutes/",
            "page#part",
            "caf\u{e9}:x",
            "reports:x",
            "%zz:x",
            "",
            ":",
            "\u{456}",
        ] {
            assert_eq!(scheme_written_otherwise(url, &schemes), None, "{url}");
        }
        let long = format!("{}:x", "\u{456}".repeat(1000));
        assert_eq!(scheme_written_otherwise(&long, &schemes), None);
    }

    #[test]
    fn any_text_is_read_without_a_panic() {
        let mut rng = scrutiny_mutate::Rng::new(0x2545_f491_4f6c_dd1d);
        let pieces = [
            "%",
            "%3",
            "%3a",
            "%D1",
            "%96",
            ":",
            "\u{ff1a}",
            "\u{456}",
            "report",
            "r",
            "e",
            "p",
            "\u{e9}",
            "\u{1d42b}",
            "/",
            "#",
            " ",
            "0",
            "REPORT",
            "\u{200b}",
        ];
        for _ in 0..5000 {
            let url: String = (0..rng.below(12)).map(|_| rng.pick(&pieces)).collect();
            if let Some(found) = scheme_written_otherwise(&url, &schemes().names()) {
                assert!(schemes().is_reference(&found.plain), "{url:?} → {found:?}");
            }
        }
    }

    #[test]
    fn among_many_targets_the_nearest_are_still_found() {
        let mut index = XrefIndex::new(schemes());
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
        assert!(
            err.nearest.is_empty(),
            "nothing is like it: {:?}",
            err.nearest
        );
        assert!(nearest(&"x".repeat(1 << 20), vec!["x"]).is_empty());
    }

    #[test]
    fn knows_its_schemes() {
        assert!(schemes().is_reference("action:uasc-transfers"));
        assert!(!schemes().is_reference("https://example.org"));
    }

    #[test]
    fn only_names_spelled_nearly_alike_are_close() {
        let names = ["children-osc", "adults-osc", "cabinet"];
        let close = |wanted| nearest(wanted, names.to_vec());
        assert_eq!(close("childrens-osc"), ["children-osc"]);
        assert_eq!(close("Children-OSC"), ["children-osc"]);
        assert_eq!(close("adult-osc"), ["adults-osc"]);
        assert_eq!(close("cabinett"), ["cabinet"]);
        assert!(close("adults").is_empty());
        assert!(close("planning").is_empty());
        assert!(close("x").is_empty());
        assert!(nearest("osc", vec!["csc", "os"]).len() == 2);
        assert!(nearest("osc", vec!["abc"]).is_empty());
        // A transposition is one edit; a name nothing like the one written is not suggested.
        assert_eq!(nearest("mahs", vec!["mash", "cla", "cpp"]), ["mash"]);
        assert!(nearest("finance", vec!["mash", "cla", "cpp", "adoption"]).is_empty());
    }
}

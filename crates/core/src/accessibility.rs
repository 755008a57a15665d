//! The facts of the accessibility statement, `[accessibility]` in `site.toml`: read with the
//! rest of `site.toml` in the **load** step, each problem an error at its `file:line:col`. The
//! statement's fixed wording, in the structure of the UK model accessibility statement (Public
//! Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018),
//! is the theme's (`accessibility.html`); the page, `/accessibility/`, is composed in the
//! **render** step. A fact `site.toml` does not give is shown as "not recorded".

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::{Diagnostics, FileId, Location};
use crate::period::Date;

/// `[accessibility]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccessibilityToml {
    #[serde(default)]
    run_by: Option<String>,
    #[serde(default)]
    feedback_url: Option<Spanned<String>>,
    #[serde(default)]
    email: Option<Spanned<String>>,
    #[serde(default)]
    response_days: Option<Spanned<i64>>,
    #[serde(default)]
    compliance: Option<Spanned<String>>,
    #[serde(default)]
    known_issues: Vec<Spanned<String>>,
    #[serde(default)]
    tested: Option<Spanned<String>>,
    #[serde(default)]
    tested_by: Option<String>,
    #[serde(default)]
    test_method: Option<String>,
    #[serde(default)]
    prepared: Option<Spanned<String>>,
    #[serde(default)]
    reviewed: Option<Spanned<String>>,
}

/// How far the site meets WCAG 2.2 AA, in the model statement's three forms.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    /// Fully compliant.
    Full,
    /// Partially compliant, for the known issues listed.
    Partial,
    /// Not compliant.
    Not,
}

/// The statement's facts, checked. `None` is a fact not recorded.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Accessibility {
    /// Who runs the site.
    pub run_by: Option<String>,
    /// Where to report a problem or ask for another format: an `https://` address.
    pub feedback_url: Option<String>,
    /// An email address for the same.
    pub email: Option<String>,
    /// Within how many working days a request is answered.
    pub response_days: Option<i64>,
    /// The compliance status against WCAG 2.2 AA.
    pub compliance: Option<Compliance>,
    /// What is not accessible, and why: one sentence each.
    pub known_issues: Vec<String>,
    /// When the site was last tested, `YYYY-MM-DD`.
    pub tested: Option<String>,
    /// Who tested it.
    pub tested_by: Option<String>,
    /// How it was tested, in words.
    pub test_method: Option<String>,
    /// When the statement was prepared, `YYYY-MM-DD`.
    pub prepared: Option<String>,
    /// When it was last reviewed, `YYYY-MM-DD`.
    pub reviewed: Option<String>,
}

/// The compliance statuses, as `site.toml` writes them.
const STATUSES: [(&str, Compliance); 3] = [
    ("full", Compliance::Full),
    ("partial", Compliance::Partial),
    ("not", Compliance::Not),
];

/// Checks `[accessibility]` of `site.toml` (`file`), reporting each problem at its place.
pub(crate) fn read(diags: &mut Diagnostics, file: FileId, raw: AccessibilityToml) -> Accessibility {
    let at = |s: std::ops::Range<usize>| Location::new(file, s);
    let feedback_url = raw.feedback_url.and_then(|url| {
        match crate::glossary::https_problem(url.get_ref()) {
            None => Some(url.into_inner()),
            Some(problem) => {
                diags.error(
                    &at(url.span()),
                    format!("the feedback address `{}` {problem}", url.get_ref()),
                    "give the address where people report accessibility problems, beginning https://",
                );
                None
            }
        }
    });
    let email = raw.email.and_then(|email| {
        if email_looks_valid(email.get_ref()) {
            return Some(email.into_inner());
        }
        diags.error(
            &at(email.span()),
            format!("`{}` is not an email address", email.get_ref()),
            "write an address of the form name@example.gov.uk, or leave `email` out",
        );
        None
    });
    let response_days = raw.response_days.and_then(|days| {
        if (1..=365).contains(days.get_ref()) {
            return Some(*days.get_ref());
        }
        diags.error(
            &at(days.span()),
            format!(
                "`response_days` is {}: no request is answered within that many working days",
                days.get_ref()
            ),
            "give the number of working days within which requests are answered, 1 to 365",
        );
        None
    });
    let compliance = raw
        .compliance
        .as_ref()
        .and_then(|c| read_compliance(diags, file, c));
    let known_issues = read_known_issues(diags, file, raw.known_issues);
    check_issues_agree(
        diags,
        file,
        raw.compliance.as_ref(),
        compliance,
        &known_issues,
    );
    let tested = read_date(diags, file, raw.tested, "tested");
    let prepared = read_date(diags, file, raw.prepared, "prepared");
    let reviewed = read_date(diags, file, raw.reviewed, "reviewed");
    if let (Some((p, _)), Some((r, r_at))) = (&prepared, &reviewed)
        && r < p
    {
        diags.error(
            r_at,
            "the statement is reviewed before it was prepared",
            "give the day of the last review, on or after `prepared`",
        );
    }
    Accessibility {
        run_by: raw.run_by,
        feedback_url,
        email,
        response_days,
        compliance,
        known_issues,
        tested: tested.map(|(d, _)| d.to_string()),
        tested_by: raw.tested_by,
        test_method: raw.test_method,
        prepared: prepared.map(|(d, _)| d.to_string()),
        reviewed: reviewed.map(|(d, _)| d.to_string()),
    }
}

/// The compliance status written at `c`, or an error there naming the statuses.
fn read_compliance(
    diags: &mut Diagnostics,
    file: FileId,
    c: &Spanned<String>,
) -> Option<Compliance> {
    let found = STATUSES.iter().find(|(name, _)| name == c.get_ref());
    if found.is_none() {
        diags.error(
            &Location::new(file, c.span()),
            format!("`{}` is not a compliance status", c.get_ref()),
            "write `full` (fully compliant with WCAG 2.2 AA), `partial` (partially compliant: list what is not in known_issues) or `not` (not compliant)",
        );
    }
    found.map(|(_, status)| *status)
}

/// The known issues, each one not empty.
fn read_known_issues(
    diags: &mut Diagnostics,
    file: FileId,
    written: Vec<Spanned<String>>,
) -> Vec<String> {
    let mut issues = Vec::new();
    for issue in written {
        if issue.get_ref().trim().is_empty() {
            diags.error(
                &Location::new(file, issue.span()),
                "a known issue is empty",
                "say what is not accessible and why, in a sentence, or remove the empty one",
            );
            continue;
        }
        issues.push(issue.into_inner().trim().to_string());
    }
    issues
}

/// A status that does not agree with the known issues is an error at the status: partial or
/// not compliant needs what is not accessible; fully compliant can have nothing that is not.
fn check_issues_agree(
    diags: &mut Diagnostics,
    file: FileId,
    written: Option<&Spanned<String>>,
    compliance: Option<Compliance>,
    issues: &[String],
) {
    let (Some(written), Some(compliance)) = (written, compliance) else {
        return;
    };
    let at = Location::new(file, written.span());
    match compliance {
        Compliance::Full if !issues.is_empty() => diags.error(
            &at,
            "the site is said to be fully compliant, and known_issues lists what is not accessible",
            "write `partial` if the issues stand, or remove them once they are fixed",
        ),
        Compliance::Partial | Compliance::Not if issues.is_empty() => diags.error(
            &at,
            format!(
                "the site is said to be {} compliant, and known_issues lists nothing",
                if compliance == Compliance::Partial {
                    "partially"
                } else {
                    "not"
                }
            ),
            "list in known_issues what is not accessible and why: the statement must say",
        ),
        _ => {}
    }
}

/// A date of the statement (`what`), checked.
fn read_date(
    diags: &mut Diagnostics,
    file: FileId,
    written: Option<Spanned<String>>,
    what: &str,
) -> Option<(Date, Location)> {
    let written = written?;
    let at = Location::new(file, written.span());
    match Date::parse(written.get_ref()) {
        Ok(date) => Some((date, at)),
        Err(why) => {
            diags.error(
                &at,
                format!("`{what}`: {why}"),
                format!(
                    "write the day as YYYY-MM-DD, or leave `{what}` out where it is not recorded"
                ),
            );
            None
        }
    }
}

/// Whether `email` has the form `name@host.domain`, with nothing a link cannot hold.
fn email_looks_valid(email: &str) -> bool {
    let Some((name, host)) = email.split_once('@') else {
        return false;
    };
    !name.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && email.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(
                    c,
                    '"' | '<' | '>' | '\\' | '(' | ')' | ',' | ';' | ':' | '[' | ']'
                )
        })
        && email.matches('@').count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (Accessibility, String) {
        let mut diags = Diagnostics::new();
        let file = diags.add_file("site.toml", text);
        let raw: AccessibilityToml =
            crate::tomlfile::parse_document(&mut diags, file, text, 0).unwrap_or_default();
        let facts = read(&mut diags, file, raw);
        (facts, diags.render())
    }

    #[test]
    fn facts_are_read() {
        let (facts, errors) = read_text(
            "run_by = \"A council\"\nfeedback_url = \"https://example.org/issues\"\nemail = \"web@example.gov.uk\"\nresponse_days = 5\ncompliance = \"partial\"\nknown_issues = [\"Search needs JavaScript.\"]\ntested = \"2026-12-02\"\nprepared = \"2026-12-01\"\nreviewed = \"2026-12-02\"\n",
        );
        assert_eq!(errors, "");
        assert_eq!(facts.compliance, Some(Compliance::Partial));
        assert_eq!(facts.response_days, Some(5));
        assert_eq!(facts.tested.as_deref(), Some("2 December 2026"));
        assert_eq!(
            facts.feedback_url.as_deref(),
            Some("https://example.org/issues")
        );
    }

    #[test]
    fn bad_facts_are_each_an_error_at_their_place() {
        let (_, errors) = read_text(
            "feedback_url = \"http://example.org/\"\nemail = \"nobody\"\nresponse_days = 0\ncompliance = \"partly\"\ntested = \"2026-13-01\"\nprepared = \"2026-12-02\"\nreviewed = \"2026-12-01\"\nknown_issues = [\" \"]\n",
        );
        for expected in [
            "site.toml:1:16",
            "does not begin https://",
            "`nobody` is not an email address",
            "`response_days` is 0",
            "`partly` is not a compliance status",
            "`tested`:",
            "reviewed before it was prepared",
            "a known issue is empty",
        ] {
            assert!(errors.contains(expected), "{expected} not in\n{errors}");
        }
    }

    #[test]
    fn the_status_must_agree_with_the_known_issues() {
        let (_, errors) = read_text("compliance = \"partial\"\n");
        assert!(errors.contains("known_issues lists nothing"), "{errors}");
        let (_, errors) = read_text("compliance = \"full\"\nknown_issues = [\"x\"]\n");
        assert!(
            errors.contains("fully compliant, and known_issues lists"),
            "{errors}"
        );
        let (_, errors) = read_text("complaince = \"full\"\n");
        assert!(errors.contains("site.toml:1:1"), "{errors}");
    }

    #[test]
    fn email_addresses() {
        assert!(email_looks_valid("a@b.uk"));
        assert!(!email_looks_valid("a@b"));
        assert!(!email_looks_valid("a b@c.uk"));
        assert!(!email_looks_valid("a@b@c.uk"));
        assert!(!email_looks_valid("\"a\"@b.uk"));
    }
}

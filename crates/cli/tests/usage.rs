//! Usage errors: a missing argument, or an argument or option value of the wrong form, exits
//! with code 2 and says the form expected, before anything is read or written. Content problems
//! (an unknown committee) stay exit code 1.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{scrutiny, shipped_site, snapshot, stderr, walk};

/// Runs `scrutiny` as [`scrutiny`] does, but kills it after 30 s: `serve` with a value it should
/// have refused would otherwise run for ever.
fn scrutiny_with_timeout(root: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scrutiny"))
        .args(["--root", root.to_str().expect("utf-8 path")])
        .args(args)
        .env("CI", "true")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run scrutiny");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let output = child.wait_with_output().expect("output");
            panic!(
                "scrutiny {args:?} was still running after 30 s:\n{}",
                stderr(&output)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

/// Every file under the site folder: relative path → bytes.
fn site_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    walk(root)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(root)
                    .expect("under root")
                    .display()
                    .to_string(),
                fs::read(&p).expect("read"),
            )
        })
        .collect()
}

/// Each case: the arguments, and a piece of the message saying the form expected.
const USAGE_ERRORS: &[(&[&str], &str)] = &[
    (
        &["build", "--base-url", "ftp://x"],
        "https://ORG.github.io/REPO/",
    ),
    (
        &["build", "--base-url", "not a url"],
        "https://ORG.github.io/REPO/",
    ),
    (
        &["build", "--base-url", "//evil.com/"],
        "https://ORG.github.io/REPO/",
    ),
    (
        &["build", "--base-url", "https://example.org/a/../b/"],
        "https://ORG.github.io/REPO/",
    ),
    (
        &["build", "--base-url", "/a?b=c"],
        "https://ORG.github.io/REPO/",
    ),
    (
        &["build", "--base-url", "/\"x/"],
        "https://ORG.github.io/REPO/",
    ),
    (&["build", "--base-url"], "--base-url <URL>"),
    (&["build", "--out"], "--out <DIR>"),
    (&["check", "extra"], "Usage: scrutiny check"),
    (&["new"], "Usage: scrutiny new"),
    (&["new", "minutes"], "<COMMITTEE> <YYYY-MM-DD>"),
    (&["new", "minutes", "children-osc"], "<YYYY-MM-DD>"),
    (
        &["new", "minutes", "children-osc", "2023-1-5"],
        "expected YYYY-MM-DD",
    ),
    (
        &["new", "minutes", "children-osc", "19-01-2023"],
        "expected YYYY-MM-DD",
    ),
    (
        &["new", "minutes", "children-osc", "2023-02-30"],
        "expected YYYY-MM-DD",
    ),
    (
        &["new", "minutes", "children-osc", "2023-13-xx"],
        "expected YYYY-MM-DD",
    ),
    (
        &["new", "minutes", "children-osc", "undated-A B"],
        "expected YYYY-MM-DD",
    ),
    (
        &["new", "minutes", "adults", "2023-1-5"],
        "expected YYYY-MM-DD",
    ),
    (
        &["new", "minutes", "children-osc", "2023-+1-19"],
        "expected YYYY-MM-DD",
    ),
    (
        &["new", "minutes", "children-osc", "2023-01-+9"],
        "expected YYYY-MM-DD",
    ),
    (
        &["new", "minutes", "children-osc", "+202-01-19"],
        "expected YYYY-MM-DD",
    ),
    (
        &["new", "minutes", "children-osc", "2023-+1-xx"],
        "expected YYYY-MM-DD",
    ),
    (
        &["new", "minutes", "children-osc", "undated-.."],
        "expected YYYY-MM-DD",
    ),
    (
        &["new", "minutes", "children-osc", "undated-a/b"],
        "expected YYYY-MM-DD",
    ),
    (&["new", "quarter", "+2022-23", "q1"], "expected YYYY-YY"),
    (&["new", "quarter", "2022-+3", "q1"], "expected YYYY-YY"),
    (&["new", "quarter", "2002-+3", "q1"], "expected YYYY-YY"),
    (&["new", "quarter"], "<YYYY-YY> <qN>"),
    (&["new", "quarter", "2022-23"], "<qN>"),
    (&["new", "quarter", "2022-2023", "q1"], "expected YYYY-YY"),
    (&["new", "quarter", "2022-24", "q1"], "2022-23"),
    (&["new", "quarter", "22-23", "q1"], "expected YYYY-YY"),
    (&["new", "quarter", "2022-23", "q5"], "q1, q2, q3, q4"),
    (&["new", "quarter", "2022-23", "3"], "q1, q2, q3, q4"),
    (&["serve", "--port", "0"], "1 to 65535"),
    (&["serve", "--port", "70000"], "1 to 65535"),
    (&["serve", "--port", "http"], "1 to 65535"),
    (&["serve", "--port", "-1"], "--port <N>"),
];

#[test]
fn arguments_of_the_wrong_form_are_usage_errors() {
    let site = shipped_site();
    let good = scrutiny(site.path(), &["build"]);
    assert!(good.status.success(), "{}", stderr(&good));
    let before = site_files(site.path());
    let mut failures = Vec::new();
    for (args, expected) in USAGE_ERRORS {
        let output = scrutiny_with_timeout(site.path(), args);
        let message = stderr(&output);
        if output.status.code() != Some(2) {
            failures.push(format!(
                "{args:?}: exit code {:?}, expected 2\n{message}",
                output.status.code()
            ));
        }
        if !message.contains(expected) {
            failures.push(format!("{args:?}: missing `{expected}` in:\n{message}"));
        }
        if message.contains("panicked") {
            failures.push(format!("{args:?}: panicked\n{message}"));
        }
    }
    assert!(
        site_files(site.path()) == before,
        "a usage error wrote or changed a file"
    );
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_bad_base_url_leaves_the_previous_build_as_it_was() {
    let site = shipped_site();
    assert!(scrutiny(site.path(), &["build"]).status.success());
    let before = snapshot(&site.path().join("public"));
    let output = scrutiny(site.path(), &["build", "--base-url", "//evil.com/"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("protocol-relative"),
        "{}",
        stderr(&output)
    );
    assert!(snapshot(&site.path().join("public")) == before);
}

#[test]
fn a_base_url_without_its_trailing_slash_gains_one() {
    let site = shipped_site();
    for url in ["/archive", "https://example.github.io/archive"] {
        let output = scrutiny(site.path(), &["build", "--base-url", url]);
        assert!(output.status.success(), "{url}: {}", stderr(&output));
        let home = fs::read_to_string(site.path().join("public/index.html")).expect("home");
        assert!(home.contains("href=\"/archive/style.css\""), "{url}");
        assert!(!home.contains("/archivestyle.css"), "{url}");
    }
}

#[test]
fn well_formed_arguments_still_work() {
    let site = shipped_site();
    for args in [
        &["new", "minutes", "children-osc", "2030-01-19"][..],
        &["new", "minutes", "children-osc", "2030-02-xx"],
        &["new", "minutes", "children-osc", "2030-xx-xx"],
        &["new", "minutes", "children-osc", "undated-special"],
        &["new", "quarter", "2030-31", "q1"],
    ] {
        let output = scrutiny(site.path(), args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    }
    let output = scrutiny(site.path(), &["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn an_unknown_committee_is_a_content_error() {
    let site = shipped_site();
    let output = scrutiny(site.path(), &["new", "minutes", "adults", "2023-01-19"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!site.path().join("content/minutes/adults").exists());
}

#[test]
fn every_command_has_help_showing_its_defaults_and_no_option_as_required() {
    let site = shipped_site();
    // (command, what its help must show)
    let cases: &[(&[&str], &[&str])] = &[
        (&[], &["[default: .]"]),
        (
            &["build"],
            &[
                "--root <DIR>",
                "[default: .]",
                "--out <DIR>",
                "[default: public]",
                "--base-url <URL>",
                "[default: base_url in site.toml, else /]",
            ],
        ),
        (&["check"], &["[default: .]"]),
        (
            &["serve"],
            &["[default: .]", "[default: 1111]", "[default: public]"],
        ),
        (&["new"], &["[default: .]"]),
        (
            &["new", "minutes"],
            &["[default: .]", "<COMMITTEE> <YYYY-MM-DD>"],
        ),
        (
            &["new", "quarter"],
            &["[default: .]", "<YYYY-YY> <qN>", "q1, q2, q3, q4"],
        ),
    ];
    for (command, shows) in cases {
        let args: Vec<&str> = command.iter().copied().chain(["--help"]).collect();
        let output = scrutiny(site.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let help = String::from_utf8_lossy(&output.stdout);
        let usage = help
            .lines()
            .find(|l| l.starts_with("Usage:"))
            .unwrap_or_else(|| panic!("{args:?}: no usage line in\n{help}"));
        assert!(usage.contains("[OPTIONS]"), "{args:?}: {usage}");
        assert!(
            !usage.contains("--"),
            "{args:?}: the usage line shows an option as required: {usage}"
        );
        for piece in *shows {
            assert!(
                help.contains(piece),
                "{args:?}: missing `{piece}` in\n{help}"
            );
        }
    }
}

#[test]
fn an_unknown_committee_lists_the_declared_ones_and_suggests_only_a_near_spelling() {
    let site = shipped_site();
    let toml = fs::read_to_string(site.path().join("site.toml")).expect("site.toml");
    let toml = toml.replace(
        "[minutes.committees]\n",
        "[minutes.committees]\ncabinet = \"Cabinet\"\nplanning = \"Planning Committee\"\n",
    );
    fs::write(site.path().join("site.toml"), toml).expect("write site.toml");
    let declared = "committees declared in site.toml under [minutes.committees] are: `cabinet` (Cabinet), `children-osc` (Children's Services Overview and Scrutiny Committee), `planning` (Planning Committee)";

    let far = scrutiny(site.path(), &["new", "minutes", "adults", "2023-01-19"]);
    assert_eq!(far.status.code(), Some(1), "{}", stderr(&far));
    let message = stderr(&far);
    assert!(message.contains("`adults` is not a committee"), "{message}");
    assert!(!message.contains("did you mean"), "{message}");
    assert!(
        message.contains(&format!("hint: the {declared}")),
        "{message}"
    );

    let near = scrutiny(
        site.path(),
        &["new", "minutes", "childrens-osc", "2023-01-19"],
    );
    assert_eq!(near.status.code(), Some(1), "{}", stderr(&near));
    let message = stderr(&near);
    assert!(
        message.contains("did you mean `children-osc`?"),
        "{message}"
    );
    assert!(message.contains(declared), "{message}");
    assert!(!site.path().join("content/minutes/childrens-osc").exists());
}

#[test]
fn a_site_without_committees_says_how_to_declare_one() {
    let site = shipped_site();
    let toml = fs::read_to_string(site.path().join("site.toml")).expect("site.toml");
    let toml = toml.replace(
        "children-osc = \"Children's Services Overview and Scrutiny Committee\"\n",
        "",
    );
    fs::write(site.path().join("site.toml"), toml).expect("write site.toml");
    let output = scrutiny(site.path(), &["new", "minutes", "adults", "2023-01-19"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("this site declares no committees"),
        "{}",
        stderr(&output)
    );
}

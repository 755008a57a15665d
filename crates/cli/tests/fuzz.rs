//! Fuzzing `scrutiny check` with the shipped site edited at random: each case takes one shipped
//! file (`site.toml`, `data/sources.toml`, a data file, a report's or meeting's Markdown, a page),
//! applies a few seeded byte, line and token edits to it ([`scrutiny_mutate`]),
//! runs the checker on the site and requires:
//!
//! - exit code 0 (with "no problems found") or 1 (with the count of problems), never a panic,
//!   a signal or another code;
//! - every location the report names (`┌─ file:line:col`) is a file of the site and a line of it;
//! - a report of bounded size (each file shows at most 50 errors, each a snippet of its line);
//! - an end within a generous time (a hang, not a slow machine, fails it).
//!
//! The cases are deterministic: case `k` of seed `S` is the same edit everywhere. By default the
//! test runs the regression inputs below, then 600 random cases of edits up to 64 KB. A longer
//! campaign runs the same test with more cases, in release mode:
//!
//! ```sh
//! SCRUTINY_FUZZ_CASES=20000 SCRUTINY_FUZZ_MAX_BYTES=2000000 SCRUTINY_FUZZ_SEED=7 \
//!     cargo test --release -p scrutiny --test fuzz -- --nocapture
//! ```
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `SCRUTINY_FUZZ_CASES` | 600 | random cases |
//! | `SCRUTINY_FUZZ_SEED` | 1 | seed of the first case (case `k` uses seed + `k`) |
//! | `SCRUTINY_FUZZ_MAX_BYTES` | 65536 | the largest an edited file may grow |
//! | `SCRUTINY_FUZZ_BUDGET_SECS` | 120 | the time a case may take before it counts as a hang |
//! | `SCRUTINY_FUZZ_FINDINGS` | `target/fuzz-findings` | where failing inputs are written |
//! | `SCRUTINY_FUZZ_BIN` | the `scrutiny` built with the test | the binary to run (a copy, for a long campaign) |
//! | `SCRUTINY_FUZZ_KEEP_SECS` | none | also keep the inputs that took longer than this, to look for slow paths |

mod common;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{repo, shipped_site, walk};
use scrutiny_mutate::{Rng, mutate};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// How one run of `scrutiny check` ended.
struct Run {
    code: Option<i32>,
    stderr: String,
    took: Duration,
    timed_out: bool,
}

/// Runs `scrutiny check` on `root`, killing it after `budget`.
fn check(root: &Path, budget: Duration) -> Run {
    let started = Instant::now();
    // A campaign may run a copy of the binary, so that rebuilding meanwhile does not change it.
    let binary = std::env::var_os("SCRUTINY_FUZZ_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_scrutiny")),
        PathBuf::from,
    );
    let mut child = Command::new(binary)
        .args(["--root", root.to_str().expect("utf-8 path"), "check"])
        .env("CI", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run scrutiny");
    let mut pipe = child.stderr.take().expect("stderr");
    // Read as it comes, so a long report cannot fill the pipe and stall the checker; only the
    // first 16 MB are kept.
    let reader = std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buffer = [0u8; 65536];
        while let Ok(n) = pipe.read(&mut buffer) {
            if n == 0 {
                break;
            }
            if kept.len() < 16 << 20 {
                kept.extend_from_slice(&buffer[..n]);
            }
        }
        kept
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > budget {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    Run {
        code: status.code(),
        stderr,
        took,
        timed_out,
    }
}

/// What is wrong with a run's outcome, if anything.
fn violations(run: &Run, root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    if run.timed_out {
        found.push(format!("did not finish within {:?}", run.took));
    }
    match run.code {
        Some(0) if !run.stderr.contains("no problems found") => {
            found.push("exit code 0 without `no problems found`".into())
        }
        Some(1) if !run.stderr.contains("found, nothing written") && !run.timed_out => {
            found.push("exit code 1 without the count of problems".into())
        }
        Some(0 | 1) => {}
        other => found.push(format!("exit code {other:?}, expected 0 or 1")),
    }
    if run.stderr.contains("panicked") {
        found.push("panicked".into());
    }
    if run.stderr.len() > 4 << 20 {
        found.push(format!("a report of {} bytes", run.stderr.len()));
    }
    for line in run.stderr.lines() {
        let Some(place) = line.trim_start().strip_prefix("┌─ ") else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (Some(col), Some(number), Some(file)) = (parts.next(), parts.next(), parts.next())
        else {
            found.push(format!("a location without line and column: `{place}`"));
            continue;
        };
        let (Ok(number), Ok(col)) = (number.parse::<usize>(), col.parse::<usize>()) else {
            found.push(format!("a location without line and column: `{place}`"));
            continue;
        };
        let Ok(bytes) = fs::read(root.join(file)) else {
            found.push(format!(
                "the report names `{file}`, which is not a file of the site"
            ));
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.split('\n').collect();
        if number == 0 || number > lines.len() {
            found.push(format!("`{place}`: the file has {} lines", lines.len()));
        } else if col == 0 || col > lines[number - 1].chars().count() + 1 {
            found.push(format!("`{place}`: the line is shorter"));
        }
    }
    found
}

/// Where failing inputs are written, to be looked at and made regression cases.
fn findings_dir() -> PathBuf {
    std::env::var_os("SCRUTINY_FUZZ_FINDINGS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/fuzz-findings"))
}

/// Inputs that once failed (or that an outside test found slow), each a file of the site and
/// its new content: they run first, every time.
fn regressions() -> Vec<(&'static str, Vec<u8>)> {
    let meeting = "content/minutes/children-osc/2023-01-19.md";
    let mash = "data/2022-23/q2/mash.toml";
    let shipped = |path: &str| fs::read_to_string(repo().join(path)).expect("shipped file");
    vec![
        // 20,000 resolutions in one agenda item (100,000 took 66 s: each looked through the
        // item's earlier ones).
        (
            meeting,
            format!(
                "## 1. Item {{#item-1}}\n\nRESOLVED:\n\n{}",
                "- That the report be noted.\n".repeat(20_000)
            )
            .into_bytes(),
        ),
        // A long line of broken `indicator:` references (each error printed the whole line).
        (
            meeting,
            format!(
                "## 1. Item\n\n{}\n",
                "See [x](indicator:nope) ".repeat(20_000)
            )
            .into_bytes(),
        ),
        // One reference of a megabyte (its distance to every indicator was worked out).
        (
            meeting,
            format!(
                "## 1. Item\n\nSee [x](indicator:{}).\n",
                "a".repeat(1 << 20)
            )
            .into_bytes(),
        ),
        // Braces and code spans (each brace looked through every code span).
        (
            meeting,
            format!("## 1. Item\n\n{}\n", "`a` {owner= ".repeat(20_000)).into_bytes(),
        ),
        // A line of garbage inside a string of a data file (each error printed the line).
        (
            mash,
            shipped(mash)
                .replacen(
                    "note = \"",
                    &format!(
                        "note = \"{}",
                        "ab\u{1}c\\u12\u{7f}\u{200b}\"".repeat(20_000)
                    ),
                    1,
                )
                .into_bytes(),
        ),
        // Headings of one name (each new id tried every number before it).
        (
            meeting,
            format!("## Item\n\n{}", "### Same\n\n".repeat(20_000)).into_bytes(),
        ),
        // HTML blocks ended by upper-case end tags (the file was parsed again for each).
        (
            meeting,
            format!("## Item\n\n{}", "<script>\nx\n</SCRIPT>\n\n".repeat(5_000)).into_bytes(),
        ),
        // Comments in one HTML block (each looked for `--!>` to the end of the block).
        (
            meeting,
            format!(
                "## Item\n\n<div>\n{}\n</div>\n",
                "<!-- c -->".repeat(20_000)
            )
            .into_bytes(),
        ),
        // Elements left open, then end tags that close none of them.
        (
            meeting,
            format!(
                "## Item\n\n{}{}\n",
                "<sup>".repeat(20_000),
                "</abbr>".repeat(20_000)
            )
            .into_bytes(),
        ),
        // A chart placed twice (two outputs claimed one CSV: an error without a location).
        (
            "content/reports/2022-23/q2/mash.md",
            format!(
                "{}\n\n![Contacts](chart:mash-contacts)\n\n![Contacts](chart:mash-contacts)\n",
                shipped("content/reports/2022-23/q2/mash.md")
            )
            .into_bytes(),
        ),
    ]
}

#[test]
fn shipped_files_edited_at_random_are_checked_without_panic_or_hang() {
    let cases = env_number("SCRUTINY_FUZZ_CASES", 600);
    let seed = env_number("SCRUTINY_FUZZ_SEED", 1);
    let max_len = env_number("SCRUTINY_FUZZ_MAX_BYTES", 65536) as usize;
    let budget = Duration::from_secs(env_number("SCRUTINY_FUZZ_BUDGET_SECS", 120));
    let keep_slow = std::env::var("SCRUTINY_FUZZ_KEEP_SECS")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .map(Duration::from_secs_f64);
    let site = shipped_site();
    let root = site.path();
    let targets: Vec<String> = walk(root)
        .into_iter()
        .filter_map(|p| {
            let relative = p.strip_prefix(root).ok()?.to_str()?.to_string();
            let wanted = relative == "site.toml"
                || (relative.starts_with("data/") && relative.ends_with(".toml"))
                || (relative.starts_with("content/") && relative.ends_with(".md"));
            wanted.then_some(relative)
        })
        .collect();
    assert!(targets.len() > 10, "{targets:?}");

    let mut failures = Vec::new();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    let mut codes = [0usize; 2];
    let mut run_case = |name: String, file: &str, content: &[u8]| {
        let path = root.join(file);
        let original = fs::read(&path).ok();
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&path, content).expect("write the edited file");
        let run = check(root, budget);
        let problems = violations(&run, root);
        match original {
            Some(bytes) => fs::write(&path, bytes).expect("restore"),
            None => fs::remove_file(&path).expect("remove"),
        }
        if let Some(code @ (0 | 1)) = run.code {
            codes[code as usize] += 1;
        }
        slowest.push((run.took, format!("{name}: {file}, {} bytes", content.len())));
        slowest.sort_by_key(|b| std::cmp::Reverse(b.0));
        slowest.truncate(5);
        let slow = keep_slow.is_some_and(|limit| run.took > limit);
        if problems.is_empty() && !slow {
            return None;
        }
        let keep = findings_dir().join(&name);
        let _ = fs::create_dir_all(keep.join(file).parent().unwrap_or(&keep));
        let _ = fs::write(keep.join(file), content);
        if problems.is_empty() {
            eprintln!(
                "fuzz: {name} took {:?}, kept in {}",
                run.took,
                keep.display()
            );
            return None;
        }
        let head: String = run.stderr.chars().take(3000).collect();
        Some(format!(
            "{name} ({file}, {} bytes, kept in {}): {}\n{head}",
            content.len(),
            keep.display(),
            problems.join("; ")
        ))
    };

    for (n, (file, content)) in regressions().into_iter().enumerate() {
        failures.extend(run_case(format!("regression-{n}"), file, &content));
    }
    let started = Instant::now();
    for k in 0..cases {
        let case_seed = seed.wrapping_add(k);
        let mut rng = Rng::new(case_seed);
        let file = rng
            .pick(&targets.iter().map(String::as_str).collect::<Vec<_>>())
            .to_string();
        let original = fs::read(root.join(&file)).expect("read");
        let edited = mutate(&mut rng, &original, max_len);
        failures.extend(run_case(format!("seed-{case_seed}"), &file, &edited));
        if failures.len() >= 20 {
            break;
        }
    }
    eprintln!(
        "fuzz: {cases} random cases from seed {seed} (edits up to {max_len} bytes) in {:.1} s; exit 0: {}, exit 1: {}; slowest: {}",
        started.elapsed().as_secs_f64(),
        codes[0],
        codes[1],
        slowest
            .iter()
            .map(|(took, what)| format!("{:.2} s ({what})", took.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(
        failures.is_empty(),
        "{} failing case(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

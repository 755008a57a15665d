//! # scrutiny-bench-corpus
//!
//! Writes a synthetic corpus of committee minutes for benchmarking `scrutiny build` at scale,
//! and the same Markdown as a minimal Hugo site so the two can be timed on the same text:
//!
//! ```text
//! cargo run -p scrutiny-bench-corpus --release -- --meetings 1000 --out target/bench/corpus-1000
//! ```
//!
//! With `--hostile CASE --bytes N` it writes instead the shipped site with one file replaced by
//! a hostile input of about N bytes ([`hostile`]; `--hostile list` names them), for
//! `tests/bench/hostile.sh`.
//!
//! The output folder is a complete scrutiny site — `site.toml`, `themes/` (copied from the
//! shipped site) and `content/minutes/<committee>/<YYYY-MM-DD>.md` — with `hugo-site/` inside it.
//! Meetings fall on consecutive days, one committee each; each has 3–6 agenda items, `RESOLVED:`
//! blocks, and about one in three raises an `Action:` that later meetings of its committee
//! update. Everything is labelled synthetic, and the corpus depends only on `--meetings` and
//! `--seed`.

mod hostile;
mod meeting;
mod rng;
mod sites;
mod text;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::meeting::{COMMITTEES, Generator};

const USAGE: &str = "\
Write a synthetic minutes corpus as a scrutiny site (and the same Markdown as a Hugo site).

Usage: scrutiny-bench-corpus --meetings N --out DIR [--seed S] [--theme-from SITE]
       scrutiny-bench-corpus --hostile CASE --bytes N --out DIR [--seed S] [--theme-from SITE]
       scrutiny-bench-corpus --hostile list

Options:
  --meetings N       how many meetings to write (one a day from 3 January 2000; above
                     73,410, as many a day as keeps the last in 2200, one a committee)
  --out DIR          the site folder to write; replaced if an earlier corpus is there
  --seed S           seed of the synthetic text (default 1)
  --theme-from SITE  the site folder whose themes/ is copied (default: the shipped site)
  --hostile CASE     write the site of --theme-from with one file replaced by a hostile input
                     (`list` names the cases)
  --bytes N          the size of the hostile input, in bytes
  -h, --help         print this help
";

struct Args {
    hostile: Option<(String, usize)>,
    meetings: usize,
    out: PathBuf,
    seed: u64,
    theme_from: PathBuf,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut meetings = None;
    let mut hostile = None;
    let mut bytes = None;
    let mut out = None;
    let mut seed = 1;
    let mut theme_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--meetings" => {
                let v = value("--meetings")?;
                meetings = Some(
                    v.parse::<usize>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or(format!("--meetings: `{v}` is not a positive whole number"))?,
                );
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--hostile" => hostile = Some(value("--hostile")?),
            "--bytes" => {
                let v = value("--bytes")?;
                bytes = Some(
                    v.parse::<usize>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or(format!("--bytes: `{v}` is not a positive whole number"))?,
                );
            }
            "--seed" => {
                let v = value("--seed")?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed: `{v}` is not a whole number"))?;
            }
            "--theme-from" => theme_from = PathBuf::from(value("--theme-from")?),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    if hostile.as_deref() == Some("list") {
        for case in hostile::CASES {
            println!("{:<22} {} (writes {})", case.name, case.about, case.file);
        }
        return Ok(None);
    }
    let hostile = match hostile {
        Some(name) => Some((name, bytes.ok_or("--hostile needs --bytes N")?)),
        None => None,
    };
    Ok(Some(Args {
        meetings: match hostile {
            Some(_) => 0,
            None => meetings.ok_or("--meetings N is required")?,
        },
        hostile,
        out: out.ok_or("--out DIR is required")?,
        seed,
        theme_from,
    }))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            if !std::env::args().any(|a| a == "--hostile") {
                print!("{USAGE}");
            }
            return ExitCode::SUCCESS;
        }
        Err(why) => {
            eprintln!("error: {why}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some((name, bytes)) = &args.hostile {
        let Some(case) = hostile::CASES.iter().find(|c| c.name == name) else {
            let names: Vec<&str> = hostile::CASES.iter().map(|c| c.name).collect();
            eprintln!(
                "error: no hostile case `{name}`; the cases: {}",
                names.join(", ")
            );
            return ExitCode::from(2);
        };
        return match hostile::write(case, *bytes, args.seed, &args.theme_from, &args.out) {
            Ok((written, units)) => {
                println!("{} {written} {units} {}", case.name, case.file);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        };
    }
    match write_corpus(&args) {
        Ok(bytes) => {
            eprintln!(
                "wrote {} synthetic meetings ({:.1} MB of Markdown) into {} and {}",
                args.meetings,
                bytes as f64 / 1e6,
                args.out.display(),
                args.out.join("hugo-site").display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Writes the whole corpus; returns the bytes of Markdown written to the scrutiny site.
fn write_corpus(args: &Args) -> io::Result<usize> {
    let themes = args.theme_from.join("themes");
    if !themes.is_dir() {
        return Err(io::Error::other(format!(
            "no themes/ folder in {}: pass --theme-from SITE",
            args.theme_from.display()
        )));
    }
    sites::prepare(&args.out)?;
    fs::write(
        args.out.join("site.toml"),
        sites::site_toml(args.meetings, args.seed),
    )?;
    sites::copy_dir(&themes, &args.out.join("themes"))?;
    let hugo = args.out.join("hugo-site");
    sites::hugo_skeleton(&hugo, args.meetings, args.seed)?;
    for committee in &COMMITTEES {
        fs::create_dir_all(args.out.join("content/minutes").join(committee.id))?;
        fs::create_dir_all(hugo.join("content/minutes").join(committee.id))?;
    }
    let mut generator = Generator::new(args.seed, args.meetings);
    let mut bytes = 0;
    for _ in 0..args.meetings {
        let meeting = generator.next_meeting();
        let relative = Path::new("content/minutes")
            .join(meeting.committee_id())
            .join(format!("{}.md", meeting.date.iso()));
        let ours = sites::scrutiny_file(&meeting);
        bytes += ours.len();
        fs::write(args.out.join(&relative), ours)?;
        fs::write(hugo.join(&relative), sites::hugo_file(&meeting))?;
    }
    Ok(bytes)
}

//! # scrutiny
//!
//! The command line: `scrutiny build`, `check`, `serve` and `new`. It registers the section plugins
//! with the core generator and turns the outcome into messages and exit codes: 0 for success,
//! 1 when the content has errors (all of them listed), 2 for usage errors.

mod new;
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

/// mimalloc: a build allocates many small strings from several threads at once, where it is
/// markedly faster than the system allocator (see tests/bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use scrutiny_core::config::BASE_URL_FORMS;
use scrutiny_core::previous::Published;
use scrutiny_core::{BuildError, Plugins};
use scrutiny_plugin::period::Period;

/// Publish quarterly performance reports and committee minutes as a static archive.
#[derive(Parser, Debug)]
#[command(name = "scrutiny", version, about, long_about = None)]
struct Cli {
    /// The site folder: the one holding site.toml, content/, data/ and themes/.
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    root: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate everything and render the site into a folder.
    Build {
        /// Output folder, relative to the site folder (--root); replaced only when the build succeeds.
        #[arg(long, value_name = "DIR", default_value = "public")]
        out: PathBuf,
        /// Where the site will be served: `/`, a path such as `/REPO/`, or an http(s) URL such as
        /// https://ORG.github.io/REPO/ [default: base_url in site.toml, else /].
        #[arg(long, value_name = "URL", value_parser = base_url_arg)]
        base_url: Option<String>,
        /// An earlier build's output folder, or its sitemap.xml, relative to the site folder
        /// (--root): the build fails, writing nothing, if it no longer serves every URL of it.
        #[arg(long, value_name = "PATH")]
        previous: Option<PathBuf>,
    },
    /// Validate content, data and every cross-reference; write nothing.
    Check {
        /// The base URL to check for, as `build` takes it [default: base_url in site.toml, else /].
        #[arg(long, value_name = "URL", value_parser = base_url_arg)]
        base_url: Option<String>,
        /// An earlier build's output folder, or its sitemap.xml, relative to the site folder
        /// (--root): list every URL of it this build would no longer serve.
        #[arg(long, value_name = "PATH")]
        previous: Option<PathBuf>,
    },
    /// Build, serve on 127.0.0.1, rebuild on change and reload the browser.
    Serve {
        /// Port to listen on, 1 to 65535.
        #[arg(
            long,
            value_name = "N",
            default_value_t = 1111,
            value_parser = port_arg,
            allow_negative_numbers = true
        )]
        port: u16,
        /// Output folder used while serving, relative to the site folder (--root).
        #[arg(long, value_name = "DIR", default_value = "public")]
        out: PathBuf,
    },
    /// Write the skeleton of new content, ready to fill in.
    #[command(subcommand)]
    New(NewCommand),
}

#[derive(Subcommand, Debug)]
enum NewCommand {
    /// Write content/minutes/<COMMITTEE>/<YYYY-MM-DD>.md, a commented minutes skeleton.
    Minutes {
        /// Committee id, as declared in site.toml under [minutes.committees].
        committee: String,
        /// Meeting date, YYYY-MM-DD (or YYYY-MM-xx, YYYY-xx-xx, undated-<name> when not recorded).
        #[arg(value_name = "YYYY-MM-DD", value_parser = meeting_date_arg)]
        date: String,
    },
    /// Write the narrative and data skeletons of a quarterly report.
    Quarter {
        /// Financial year, YYYY-YY, e.g. 2022-23.
        #[arg(value_name = "YYYY-YY", value_parser = financial_year_arg)]
        year: String,
        /// Quarter of the financial year.
        #[arg(value_name = "qN", value_parser = ["q1", "q2", "q3", "q4"])]
        quarter: String,
    },
}

/// `--base-url`: checked as `site.toml`'s `base_url` is, so a bad one is a usage error (exit 2).
fn base_url_arg(value: &str) -> Result<String, String> {
    scrutiny_core::config::parse_base_url(value)
        .map(|(url, _)| url)
        .map_err(|why| format!("{why}\n  expected {BASE_URL_FORMS}"))
}

/// `--port`: 1 to 65535 (0 would listen on a port the system picks, which nobody could find).
fn port_arg(value: &str) -> Result<u16, String> {
    match value.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(format!(
            "`{value}` is not a port\n  expected a whole number from 1 to 65535, e.g. 1111"
        )),
    }
}

/// A meeting date as `new minutes` takes it: the stem of the minutes file it writes.
fn meeting_date_arg(value: &str) -> Result<String, String> {
    scrutiny_minutes::date::MeetingDate::from_stem(value)
        .map(|_| value.to_string())
        .map_err(|why| {
            format!(
                "{why}\n  expected YYYY-MM-DD, e.g. 2023-01-19 (YYYY-MM-xx or YYYY-xx-xx when only part of the date is recorded, undated-<name> when none is)"
            )
        })
}

/// A financial year as `new quarter` takes it: `2022-23`.
fn financial_year_arg(value: &str) -> Result<String, String> {
    const EXPECTED: &str = "expected YYYY-YY, e.g. 2022-23";
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match value.split_once('-') {
        Some((first, second)) if digits(first, 4) && digits(second, 2) => {
            let start: u16 = first.parse().unwrap_or_default();
            if second.parse::<u16>().ok() != Some((start + 1) % 100) {
                return Err(format!(
                    "`{value}` is not a financial year: one runs over two consecutive years, as `{}`\n  {EXPECTED}",
                    scrutiny_plugin::period::financial_year(start)
                ));
            }
            match value.parse::<Period>() {
                Ok(Period::FinancialYear(_)) => Ok(value.to_string()),
                Ok(_) => Err(format!("`{value}` is not a financial year\n  {EXPECTED}")),
                Err(why) => Err(format!("{why}\n  {EXPECTED}")),
            }
        }
        _ => Err(format!("`{value}` is not a financial year\n  {EXPECTED}")),
    }
}

/// Every plugin this build of scrutiny knows, in the order a report shows its sections.
pub fn plugins() -> Plugins {
    Plugins {
        sections: vec![
            Box::new(scrutiny_mash::Mash),
            Box::new(scrutiny_cla::Cla),
            Box::new(scrutiny_cpp::Cpp),
            Box::new(scrutiny_care_leavers::CareLeavers),
            Box::new(scrutiny_adoption::Adoption),
        ],
        collections: vec![Box::new(scrutiny_minutes::Minutes)],
        search: search(),
    }
}

/// Full-text search, when this build of scrutiny has it (the default `search` feature).
fn search() -> Option<Box<dyn scrutiny_plugin::search::Search>> {
    #[cfg(feature = "search")]
    return Some(Box::new(scrutiny_search::Pagefind));
    #[cfg(not(feature = "search"))]
    return None;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C or SIGTERM while building: the staging folder goes, the previous output stays.
    if let Err(e) = ctrlc::set_handler(|| {
        if scrutiny_core::output::remove_unfinished() > 0 {
            eprintln!(
                "interrupted: the build was stopped and its staging folder removed; the previous output was left as it was"
            );
        }
        std::process::exit(130);
    }) {
        eprintln!("warning: an interrupted build may leave its staging folder behind: {e}");
    }
    let plugins = plugins();
    let out_path = |out: &PathBuf| {
        if out.is_absolute() {
            out.clone()
        } else {
            cli.root.join(out)
        }
    };
    match &cli.command {
        Command::Build {
            out,
            base_url,
            previous,
        } => {
            let out = out_path(out);
            match read_previous(previous.as_ref().map(out_path)) {
                Ok(previous) => build(
                    &cli.root,
                    &out,
                    &plugins,
                    base_url.as_deref(),
                    previous.as_ref(),
                ),
                Err(code) => code,
            }
        }
        Command::Check { base_url, previous } => {
            match read_previous(previous.as_ref().map(out_path)) {
                Ok(previous) => check(&cli.root, &plugins, base_url.as_deref(), previous.as_ref()),
                Err(code) => code,
            }
        }
        Command::Serve { port, out } => serve::run(&cli.root, &out_path(out), *port, &plugins),
        Command::New(NewCommand::Minutes { committee, date }) => {
            new::minutes(&cli.root, committee, date, &plugins)
        }
        Command::New(NewCommand::Quarter { year, quarter }) => {
            new::quarter(&cli.root, year, quarter, &plugins)
        }
    }
}

/// `scrutiny build`: builds the site in `root` into `out`, and sums up what it wrote.
fn build(
    root: &Path,
    out: &Path,
    plugins: &Plugins,
    base_url: Option<&str>,
    previous: Option<&Published>,
) -> ExitCode {
    let started = Instant::now();
    match scrutiny_core::build(root, out, plugins, base_url, previous) {
        Ok(summary) => {
            print_warnings(&summary.warnings);
            let note = summary
                .without_host_note()
                .map(|note| format!("; {note}"))
                .unwrap_or_default();
            let redirects = match summary.redirects {
                0 => String::new(),
                1 => " and 1 redirect".to_string(),
                n => format!(" and {n} redirects"),
            };
            let search = summary
                .search
                .map(|s| {
                    let made = if s.reused {
                        "unchanged, from the cache"
                    } else {
                        "made"
                    };
                    format!(
                        " (search index of {} pages, {} files, {made}: {} ms)",
                        s.pages,
                        s.files,
                        s.time.as_millis()
                    )
                })
                .unwrap_or_default();
            let files = match summary.output {
                Some(o) if o.removed > 0 => format!(
                    "{} files: {} written, {} unchanged, {} removed",
                    summary.files, o.written, o.unchanged, o.removed
                ),
                Some(o) => format!(
                    "{} files: {} written, {} unchanged",
                    summary.files, o.written, o.unchanged
                ),
                None => format!("{} files", summary.files),
            };
            let fresh = if summary.up_to_date {
                "; up to date: nothing changed since the last build"
            } else {
                ""
            };
            eprintln!(
                "built {} pages{redirects} ({files}) into {} in {} ms{search}{note}{fresh}",
                summary.pages,
                out.display(),
                started.elapsed().as_millis()
            );
            still_served(&summary);
            ExitCode::SUCCESS
        }
        Err(error) => fail(error, Some(out)),
    }
}

/// `scrutiny check`: validates the site in `root` as a build would, writing nothing.
fn check(
    root: &Path,
    plugins: &Plugins,
    base_url: Option<&str>,
    previous: Option<&Published>,
) -> ExitCode {
    match scrutiny_core::check(root, plugins, base_url, previous) {
        Ok(summary) => {
            print_warnings(&summary.warnings);
            let warned = match summary.warnings.len() {
                0 => String::new(),
                1 => ", 1 warning".to_string(),
                n => format!(", {n} warnings"),
            };
            eprintln!(
                "no problems found ({} pages would be built{warned})",
                summary.pages
            );
            still_served(&summary);
            ExitCode::SUCCESS
        }
        Err(error) => fail(error, None),
    }
}

/// What the earlier build at `path` (`--previous`) published, if a path is given; a path that
/// is neither a build's output folder nor a sitemap is a usage error (exit code 2), read
/// before anything is built.
fn read_previous(path: Option<PathBuf>) -> Result<Option<Published>, ExitCode> {
    let Some(path) = path else {
        return Ok(None);
    };
    match Published::read(&path) {
        Ok(published) => Ok(Some(published)),
        Err(why) => {
            eprintln!("error: --previous {}: {why}", path.display());
            Err(ExitCode::from(2))
        }
    }
}

/// Says, after a build or check given `--previous`, that every URL of the earlier build is
/// still served.
fn still_served(summary: &scrutiny_core::BuildSummary) {
    if let Some(checked) = summary.previous_checked {
        eprintln!("every URL of the earlier build is still served ({checked} checked)");
    }
}

/// Prints a failed build's errors and returns exit code 1.
pub fn fail(error: BuildError, out: Option<&std::path::Path>) -> ExitCode {
    let kept = out
        .map(|o| format!("; {} was left as it was", o.display()))
        .unwrap_or_default();
    match error {
        BuildError::Content { report, count } => {
            eprint!("{report}");
            eprintln!(
                "error: {count} problem{} found, nothing written{kept}",
                if count == 1 { "" } else { "s" }
            );
        }
        BuildError::Unserved {
            report,
            missing,
            checked,
            note,
        } => {
            eprint!("{report}");
            if let Some(note) = note {
                eprintln!("note: {note}");
            }
            let are = if missing == 1 { "is" } else { "are" };
            let written = if out.is_some() {
                ", nothing written"
            } else {
                ""
            };
            eprintln!(
                "error: {missing} of the {checked} URLs the earlier build published {are} not served by this build{written}{kept}"
            );
        }
        BuildError::Other(message) => eprintln!("error: {message}{kept}"),
        BuildError::Unfinished(message) => eprintln!(
            "error: {message}; the output may hold part of this build: build again once the problem is fixed, and it will be put right"
        ),
    }
    ExitCode::from(1)
}

/// Prints what the build found worth a look, each with its places, before its summary.
fn print_warnings(warnings: &[String]) {
    for warning in warnings {
        eprintln!("{warning}\n");
    }
}

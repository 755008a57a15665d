//! # scrutiny-core
//!
//! The driver of `scrutiny`: it turns a site folder (`site.toml`, Markdown under `content/`,
//! TOML figures under `data/`, section declarations under `sections/`, a theme under `themes/`)
//! into a static archive of quarterly performance reports and whatever its plugins add. Plugins
//! see only the plugin API, `scrutiny-plugin`; this crate implements it.
//!
//! [`render_into`] is the pipeline, one step a module:
//!
//! 1. **load** ([`site::load`]): `site.toml` ([`config`]), the report sections, Rust and
//!    TOML-declared ([`sections`]), `content/` and `data/` walked in sorted order, report front
//!    matter ([`report`]), figures ([`figure`]), the glossary ([`glossary`]), the accessibility
//!    statement's facts ([`accessibility`]), and each collection's folder handed to it, with the
//!    Markdown engine it drafts with ([`outline`]).
//! 2. **validate** ([`validate`]): the checks that tie figures together ([`checks`]).
//! 3. **index** ([`index`]): every cross-reference target, while the theme compiles
//!    ([`theme`]).
//! 4. **render** ([`mod@render`]): Markdown ([`markdown`]), charts ([`chart`]), report pages
//!    ([`reports`]), indicator pages ([`indicators`]) and the collections' pages.
//! 5. **write** ([`mod@write`]): every output path checked, backlinks, the sitemap and the Atom
//!    feeds ([`feeds`]) made, each page run through the theme's templates, its acronyms marked
//!    ([`abbr`]), and handed to an [`output::Sink`] in parallel: a staging folder swapped in
//!    only when the whole build has succeeded.
//!
//! Problems of every step are collected in [`Diagnostics`] and reported together, each with
//! `file:line:col`; nothing is written unless there are none. The core knows no section or
//! collection by name: the command-line crate registers them ([`Plugins`]).

pub mod abbr;
pub mod accessibility;
pub mod cache;
pub mod chart;
pub mod checks;
pub mod config;
pub mod corrections;
pub mod escape;
pub mod feeds;
pub mod figure;
pub mod files;
pub mod fresh;
pub mod glossary;
pub mod index;
pub mod indicators;
pub mod markdown;
pub mod opendata;
pub mod outline;
pub mod output;
pub mod previous;
mod rawhtml;
pub mod redirect;
pub mod render;
pub mod report;
pub mod reports;
pub mod restatements;
pub mod sections;
pub mod site;
pub mod testing;
pub mod theme;
pub mod timings;
pub mod validate;
pub mod write;

// The plugin API's modules, under the names the driver's modules use for them.
use scrutiny_plugin::{alias, collection as plugin, diag, indicator, name, period, tomlfile, xref};

use std::path::Path;

pub use diag::Diagnostics;
pub use site::Plugins;

/// Why a build produced no site.
#[derive(Debug)]
pub enum BuildError {
    /// The content has errors; the rendered report lists them all, and how many.
    Content {
        /// All diagnostics, rendered.
        report: String,
        /// How many errors.
        count: usize,
    },
    /// The site builds, but does not serve every URL an earlier build published
    /// (`--previous`): the report lists each, with a hint.
    Unserved {
        /// Every URL not served, rendered as errors, in order.
        report: String,
        /// How many are not served.
        missing: usize,
        /// How many URLs the earlier build published.
        checked: usize,
        /// Why this build may serve fewer than the one it will be published as: its base URL
        /// has no host, so it leaves out what needs absolute URLs.
        note: Option<String>,
    },
    /// The theme or the file system failed before the output was touched: it is as it was.
    Other(String),
    /// The file system failed while the output was being updated (the build itself had
    /// succeeded): the output may hold part of this build. The next build puts it right.
    Unfinished(String),
}

/// What a successful build did.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BuildSummary {
    /// Number of HTML pages written, redirects aside.
    pub pages: usize,
    /// Number of redirect pages written, one an alias.
    pub redirects: usize,
    /// Number of files written in all.
    pub files: usize,
    /// The base URL the site was built for: `/`, `/repo/` or `https://org.github.io/repo/`.
    pub base_url: String,
    /// What was not written because the base URL has no host, so the absolute URLs it needs
    /// cannot be made: `sitemap.xml`, then what the plugins left out, in words. Empty when the
    /// base URL has a host.
    pub without_host: Vec<String>,
    /// What the build found worth a look but not an error (a figure restated by a later
    /// source), each naming its places; printed by `check` and `build`.
    pub warnings: Vec<String>,
    /// How many URLs of an earlier build were checked, every one still served (`--previous`).
    pub previous_checked: Option<usize>,
    /// What the search index did, if the build has one.
    pub search: Option<write::Indexed>,
    /// What the build did to its output folder: files written, left as they were and
    /// removed (`None` when nothing was written: `check`, or a build in memory).
    pub output: Option<output::Written>,
    /// Whether the build found its inputs as the last build of its output had, and the output
    /// as that build left it, so had nothing to do ([`fresh`]).
    #[serde(default)]
    pub up_to_date: bool,
}

impl BuildSummary {
    /// Why some files were not written, for the line that sums up a build: `None` when every
    /// file was.
    pub fn without_host_note(&self) -> Option<String> {
        let (last, rest) = self.without_host.split_last()?;
        let (listed, they) = if rest.is_empty() {
            (last.clone(), "it needs")
        } else {
            (format!("{} or {last}", rest.join(", ")), "they need")
        };
        Some(format!(
            "no {listed}: {they} absolute URLs, and the base URL `{}` has no host (give one with --base-url https://ORG.github.io/REPO/ or base_url in site.toml)",
            self.base_url
        ))
    }
}

/// Loads, validates and renders the site in `root`, handing every file to `sink`: the
/// pipeline, step by step.
pub fn render_into(
    root: &Path,
    plugins: &Plugins,
    base_url: Option<&str>,
    sink: &dyn output::Sink,
) -> Result<BuildSummary, BuildError> {
    let mut diags = Diagnostics::new();
    let drafts = std::sync::Arc::new(output::draft_store(sink));
    let parsed = output::parse_cache(sink);
    let site = timings::timed("load", || {
        site::load(root, plugins, base_url, drafts, &parsed, &mut diags)
    });
    let Some(mut site) = site else {
        return Err(content_error(&diags));
    };
    timings::timed("validate", || validate::site(&site, &mut diags));
    site.restatements = restatements::find(&site);
    // A later source quoting a figure since corrected is told on the pages, not warned of:
    // the correction records it.
    let warnings: Vec<String> = site
        .restatements
        .iter()
        .filter(|r| r.quotes_superseded.is_none())
        .map(|r| r.warning(&site, &diags))
        .collect();
    // The theme's templates compile while the cross-reference index is built.
    let (theme, xrefs) = timings::timed("theme and cross-reference index", || {
        rayon::join(|| theme::read(&site), || index::targets(&site))
    });
    let written = theme::usable(theme, &site, &diags).and_then(|theme| {
        match render::site(&site, &xrefs, &theme, &mut diags)? {
            Some(output) => write::site(&site, &xrefs, &theme, output, sink, &mut diags),
            None => Ok(None),
        }
    });
    match written {
        Ok(Some(summary)) if !diags.has_errors() => {
            parsed.save();
            Ok(BuildSummary {
                warnings: warnings.into_iter().chain(summary.warnings).collect(),
                ..summary
            })
        }
        Ok(_) => Err(content_error(&diags)),
        Err(_) if diags.has_errors() => Err(content_error(&diags)),
        Err(problem) => Err(BuildError::Other(problem)),
    }
}

/// The build's content errors, rendered.
fn content_error(diags: &Diagnostics) -> BuildError {
    BuildError::Content {
        report: diags.render(),
        count: diags.error_count(),
    }
}

/// Loads, validates and renders the site in `root` in memory. `Ok` holds every output file,
/// sorted by path.
pub fn render(
    root: &Path,
    plugins: &Plugins,
    base_url: Option<&str>,
) -> Result<Vec<output::OutputFile>, BuildError> {
    let collect = output::Collect::default();
    render_into(root, plugins, base_url, &collect)?;
    Ok(collect.into_files())
}

/// Builds the site in `root` into `out`: files are written to a staging folder as they are
/// rendered, and replace `out` only when the whole build succeeded and, given what an earlier
/// build published (`previous`), still serves every URL of it.
pub fn build(
    root: &Path,
    out: &Path,
    plugins: &Plugins,
    base_url: Option<&str>,
    previous: Option<&previous::Published>,
) -> Result<BuildSummary, BuildError> {
    let _whole = timings::Step::start("until the last file written");
    let writing = |e: std::io::Error| BuildError::Other(format!("writing {}: {e}", out.display()));
    let staging = output::Staging::new(out).map_err(writing)?;
    // Compared with what an earlier build published, the pages must be made to be compared.
    let inputs = timings::timed("inputs checked", || {
        previous.is_none().then(|| fresh::inputs(root, base_url))
    })
    .flatten();
    if let Some(summary) = inputs.as_ref().and_then(|i| staging.up_to_date(i)) {
        count_written(summary.output.unwrap_or_default());
        return Ok(summary);
    }
    let mut summary = render_compared(root, plugins, base_url, &staging, previous)?;
    let swap = timings::Step::start("output updated");
    let cache = staging.cache().clone();
    fresh::Record::forget(&cache).map_err(writing)?;
    let written = staging
        .commit()
        .map_err(|e| BuildError::Unfinished(format!("updating {}: {e}", out.display())))?;
    drop(swap);
    count_written(written);
    summary.output = Some(written);
    if let Some(inputs) = inputs {
        fresh::Record::save(&cache, &inputs, &summary);
    }
    Ok(summary)
}

/// Counts, for `SCRUTINY_TIMINGS=1`, what a build did to its output.
fn count_written(written: output::Written) {
    timings::count("written", written.written);
    timings::count("unchanged", written.unchanged);
    timings::count("removed", written.removed);
}

/// Validates the site in `root` as a build for `base_url` would, and compares it with what an
/// earlier build published (`previous`), writing nothing.
pub fn check(
    root: &Path,
    plugins: &Plugins,
    base_url: Option<&str>,
    previous: Option<&previous::Published>,
) -> Result<BuildSummary, BuildError> {
    render_compared(root, plugins, base_url, &output::Discard, previous)
}

/// [`render_into`], then, given what an earlier build published, the URLs of it this build does
/// not serve (a page, a file or a redirect): an error listing each.
fn render_compared(
    root: &Path,
    plugins: &Plugins,
    base_url: Option<&str>,
    sink: &dyn output::Sink,
    previous: Option<&previous::Published>,
) -> Result<BuildSummary, BuildError> {
    let Some(previous) = previous else {
        return render_into(root, plugins, base_url, sink);
    };
    let recording = output::Recording::new(sink);
    let mut summary = render_into(root, plugins, base_url, &recording)?;
    let written = recording.into_paths();
    // The search index's files are named after their content, so they change as the content
    // does; nothing links to them but the search page's script, which this build writes anew.
    let index_folder = plugins.search.as_ref().map(|s| s.folder());
    let mut unserved = previous.unserved(&written);
    unserved.retain(|path| index_folder.is_none_or(|folder| !path.starts_with(folder)));
    if unserved.is_empty() {
        summary.previous_checked = Some(previous.paths().len());
        return Ok(summary);
    }
    let mut diags = Diagnostics::new();
    for path in &unserved {
        diags.error_without_file(
            format!("/{path} was published by the earlier build and this build does not serve it"),
            previous.hint(path, &unserved),
        );
    }
    let note = summary.without_host_note().map(|_| {
        format!(
            "this build is for the base URL `{}`, which has no host, so it writes no {}: check with the base URL the site is published at (--base-url)",
            summary.base_url,
            summary.without_host.join(" or ")
        )
    });
    Err(BuildError::Unserved {
        report: diags.render(),
        missing: unserved.len(),
        checked: previous.paths().len(),
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::BuildSummary;

    fn summary(base_url: &str, without_host: &[&str]) -> BuildSummary {
        BuildSummary {
            pages: 1,
            redirects: 0,
            files: 2,
            base_url: base_url.to_string(),
            without_host: without_host.iter().map(|s| s.to_string()).collect(),
            warnings: Vec::new(),
            previous_checked: None,
            search: None,
            output: None,
            up_to_date: false,
        }
    }

    #[test]
    fn the_summary_says_what_was_not_written_for_want_of_a_host() {
        assert_eq!(
            summary("https://example.github.io/", &[]).without_host_note(),
            None
        );
        assert_eq!(
            summary("/", &["sitemap.xml"])
                .without_host_note()
                .as_deref(),
            Some(
                "no sitemap.xml: it needs absolute URLs, and the base URL `/` has no host (give one with --base-url https://ORG.github.io/REPO/ or base_url in site.toml)"
            )
        );
        let note = summary("/repo/", &["sitemap.xml", "a", "b"])
            .without_host_note()
            .unwrap_or_default();
        assert!(
            note.starts_with("no sitemap.xml, a or b: they need absolute URLs, and the base URL `/repo/` has no host"),
            "{note}"
        );
    }
}

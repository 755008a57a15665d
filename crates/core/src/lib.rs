//! # scrutiny-core
//!
//! The site generator behind `scrutiny`: it turns a site folder (`site.toml`, Markdown under
//! `content/`, TOML figures under `data/`, a theme under `themes/`) into a static archive of
//! quarterly performance reports and committee minutes.
//!
//! The pipeline is a list of steps, each in its own module:
//!
//! 1. [`site::load`] reads `site.toml` ([`config`]), walks `content/` and `data/` in sorted
//!    order, reads report front matter ([`report`]), figures ([`figure`], via [`tomlfile`]
//!    so every error keeps its span) and hands plugin-owned folders to their [`plugin::Collection`].
//! 2. [`render::render_site`] indexes cross-reference targets ([`xref`]), renders Markdown
//!    ([`markdown`]), draws charts ([`chart`]) and runs the theme's tera templates in parallel.
//!    A collection may draft its Markdown while loading ([`markdown::Draft`], cross-references
//!    filled in once the index exists) and have its pages composed only as they are written
//!    ([`plugin::PageSet`]), so that thousands of meetings are parsed once and never all held
//!    as pages at once.
//! 3. Every file goes to an [`output::Sink`] as soon as it is rendered: a staging folder beside
//!    the output ([`output::Staging`]) that is swapped in when the whole build has succeeded.
//!    Open-data JSON is written by [`json`].
//!
//! Problems of every step are collected in [`diag::Diagnostics`] and reported together, each
//! with `file:line:col`; nothing is written unless there are none.
//!
//! The core knows no report section by name: sections are [`plugin::Section`] plugins (MASH,
//! children looked after, …) registered by the command-line crate.

pub mod chart;
pub mod checks;
pub mod config;
pub mod escape;
pub mod figure;
pub mod indicators;
pub mod markdown;
pub mod outline;
pub mod output;
mod rawhtml;
pub mod render;
pub mod report;
pub mod sections;
pub mod site;
pub mod testing;
pub mod timings;

// The plugin API's modules, under the names the driver's modules use for them.
use scrutiny_plugin::{collection as plugin, diag, indicator, name, period, tomlfile, xref};

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
    /// The theme or the file system failed.
    Other(String),
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// Number of HTML pages written.
    pub pages: usize,
    /// Number of files written in all.
    pub files: usize,
}

/// Loads, validates and renders the site in `root`, handing every file to `sink`.
pub fn render_into(
    root: &Path,
    plugins: &Plugins,
    base_url: Option<&str>,
    sink: &dyn output::Sink,
) -> Result<BuildSummary, BuildError> {
    let mut diags = Diagnostics::new();
    let load = timings::Step::start("load");
    let site = site::load(root, plugins, base_url, &mut diags);
    drop(load);
    let _render = timings::Step::start("render (all of it)");
    let content_error = |diags: &Diagnostics| BuildError::Content {
        report: diags.render(),
        count: diags.error_count(),
    };
    let Some(site) = site else {
        return Err(content_error(&diags));
    };
    match render::render_site(&site, &mut diags, sink) {
        Ok(Some(summary)) if !diags.has_errors() => Ok(summary),
        Ok(_) => Err(content_error(&diags)),
        Err(_) if diags.has_errors() => Err(content_error(&diags)),
        Err(theme) => Err(BuildError::Other(theme)),
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
/// rendered, and replace `out` only when the whole build succeeded.
pub fn build(
    root: &Path,
    out: &Path,
    plugins: &Plugins,
    base_url: Option<&str>,
) -> Result<BuildSummary, BuildError> {
    let writing = |e: std::io::Error| BuildError::Other(format!("writing {}: {e}", out.display()));
    let staging = output::Staging::new(out).map_err(writing)?;
    let summary = render_into(root, plugins, base_url, &staging)?;
    let _swap = timings::Step::start("swap into place");
    staging.commit().map_err(writing)?;
    Ok(summary)
}

/// Validates the site in `root` as a build would, writing nothing.
pub fn check(root: &Path, plugins: &Plugins) -> Result<BuildSummary, BuildError> {
    render_into(root, plugins, None, &output::Discard)
}

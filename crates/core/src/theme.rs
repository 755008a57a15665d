//! The theme: its tera templates, over the collections' default ones, and its static files.

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::cache::Digest;
use crate::chart::Chart;
use crate::diag::Diagnostics;
use crate::output::OutputFile;
use crate::site::Site;

/// A site's theme, loaded.
pub struct Theme {
    /// Its templates, and the collections' defaults it does not replace.
    pub tera: tera::Tera,
    /// Its folder: `themes/<name>/`.
    pub dir: PathBuf,
    /// A hash of every template's name and text: a page rendered with other templates may differ.
    pub key: Digest,
}

/// A theme's templates, compiled, and the hash of their names and texts.
pub type Templates = (tera::Tera, Digest);

/// Reads the templates of the theme `site.toml` names. `None` for a theme name that is not a
/// folder of `themes/` (reported at its place in `site.toml` already), which is not read.
pub fn read(site: &Site<'_>) -> Option<Result<Templates, String>> {
    let defaults: Vec<(&str, &str)> = site
        .plugins
        .collections
        .iter()
        .flat_map(|c| c.templates().iter().copied())
        .chain(
            site.search()
                .into_iter()
                .flat_map(|s| s.templates().iter().copied()),
        )
        .collect();
    let usable = crate::name::check(&site.config.theme).is_ok();
    usable.then(|| load_theme(&theme_dir(site), &defaults))
}

/// The theme [`read`] gave, or why there is none. When content errors are recorded already, a
/// theme that cannot be used is an empty one, so the rest of the content is still checked.
pub fn usable(
    read: Option<Result<Templates, String>>,
    site: &Site<'_>,
    diags: &Diagnostics,
) -> Result<Theme, String> {
    let (tera, key) = match read {
        Some(Ok(templates)) => templates,
        Some(Err(_)) | None if diags.has_errors() => (tera::Tera::new(), Digest::of(b"")),
        Some(Err(why)) => return Err(why),
        None => return Err(format!("the theme `{}` cannot be used", site.config.theme)),
    };
    Ok(Theme {
        tera,
        dir: theme_dir(site),
        key,
    })
}

fn theme_dir(site: &Site<'_>) -> PathBuf {
    site.root.join("themes").join(&site.config.theme)
}

impl Theme {
    /// Renders `template` with `ctx` into `out`.
    pub fn render_to(
        &self,
        template: &str,
        ctx: &tera::Context,
        out: &mut Vec<u8>,
    ) -> Result<(), String> {
        self.tera
            .render_to(template, ctx, out)
            .map_err(|e| template_error(template, &e))
    }

    /// The files of the theme's `static/` folder, by their path in the output.
    pub fn static_files(&self) -> Result<Vec<OutputFile>, String> {
        static_files(&self.dir.join("static"))
    }

    /// A chart's figure block (SVG, description, table, CSV link) and its CSV file.
    pub fn chart_block(
        &self,
        base: &str,
        chart: &Chart,
        number: usize,
        csv_path: String,
    ) -> Result<(String, OutputFile), String> {
        let dom_id = format!("figure-{number}");
        let mut ctx = tera::Context::new();
        ctx.insert("base", base);
        ctx.insert("chart", chart);
        ctx.insert("number", &number);
        ctx.insert("dom_id", &dom_id);
        ctx.insert("svg", &chart.svg(&dom_id));
        ctx.insert("csv_href", &format!("{base}{csv_path}"));
        let html = self
            .tera
            .render("partials/chart.html", &ctx)
            .map_err(|e| template_error("partials/chart.html", &e))?;
        Ok((
            html,
            OutputFile {
                path: csv_path,
                bytes: chart.csv().into_bytes(),
            },
        ))
    }
}

/// Loads the theme's templates over the plugins' default ones: a theme template of the same
/// name replaces a plugin's.
fn load_theme(dir: &Path, defaults: &[(&str, &str)]) -> Result<Templates, String> {
    let templates_dir = dir.join("templates");
    if !templates_dir.is_dir() {
        return Err(format!(
            "theme folder {} has no templates/ folder",
            dir.display()
        ));
    }
    let mut templates: Vec<(String, String)> = Vec::new();
    for entry in WalkDir::new(&templates_dir).sort_by_file_name() {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.file_type().is_file() {
            let name = entry
                .path()
                .strip_prefix(&templates_dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let text = fs::read_to_string(entry.path())
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
            templates.push((name, text));
        }
    }
    for (name, text) in defaults {
        if !templates.iter().any(|(n, _)| n == name) {
            templates.push((name.to_string(), text.to_string()));
        }
    }
    let mut key = crate::cache::Hasher::new("theme templates");
    for (name, text) in &templates {
        key.part(name.as_bytes()).part(text.as_bytes());
    }
    let mut tera = tera::Tera::new();
    tera.add_raw_templates(templates)
        .map_err(|e| template_error("theme", &e))?;
    Ok((tera, key.finish()))
}

fn template_error(template: &str, error: &tera::Error) -> String {
    let mut message = format!("theme template {template}: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push_str(&format!("\n  caused by: {inner}"));
        source = inner.source();
    }
    message
}

fn static_files(dir: &Path) -> Result<Vec<OutputFile>, String> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.file_type().is_file() {
            let path = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let bytes =
                fs::read(entry.path()).map_err(|e| format!("{}: {e}", entry.path().display()))?;
            files.push(OutputFile { path, bytes });
        }
    }
    Ok(files)
}

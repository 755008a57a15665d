//! Writing the corpus twice: as a scrutiny site folder (`site.toml`, `themes/`,
//! `content/minutes/…`) and, in its `hugo-site/` subfolder, as a minimal Hugo site holding the
//! same Markdown bodies, so both tools are timed on the same text.

use std::fs;
use std::io;
use std::path::Path;

use crate::meeting::{COMMITTEES, Meeting, NOTE};

/// The file that marks a folder as a corpus this tool wrote, and so safe to replace.
pub const MARKER: &str = ".scrutiny-bench-corpus";

const TITLE: &str = "Synthetic Minutes Archive (benchmark corpus, not real minutes)";

/// Empties `out` if it is a corpus written earlier (or creates it), refusing any other folder
/// that has something in it.
pub fn prepare(out: &Path) -> io::Result<()> {
    if out.exists() {
        let empty = fs::read_dir(out)?.next().is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(io::Error::other(format!(
                "refusing to write into {}: it is not empty and was not written by scrutiny-bench-corpus (no {MARKER})",
                out.display()
            )));
        }
        fs::remove_dir_all(out)?;
    }
    fs::create_dir_all(out)?;
    fs::write(
        out.join(MARKER),
        "Synthetic benchmark corpus written by scrutiny-bench-corpus; safe to delete.\n",
    )
}

/// `site.toml` of the synthetic site: the shipped file's structure, synthetic values.
pub fn site_toml(meetings: usize, seed: u64) -> String {
    let mut out = format!(
        r#"# SYNTHETIC site for benchmarking scrutiny: {meetings} generated meetings (seed {seed}),
# written by `cargo run -p scrutiny-bench-corpus`. Not real minutes: every meeting, name and
# figure in it is invented.
title = "{TITLE}"
authority = "Synthetic Borough Council (fictional)"
description = "Synthetic committee minutes generated to benchmark scrutiny at scale. Nothing here is real."
# A host, as Hugo's baseURL has: both write an absolute sitemap, and scrutiny each meeting's
# Open Civic Data event, which need one.
base_url = "http://localhost/"
language = "en-GB"
theme = "default"

[minutes.committees]
"#
    );
    for committee in &COMMITTEES {
        out.push_str(&format!("{} = \"{}\"\n", committee.id, committee.name));
    }
    out.push_str(
        r#"
# Comparators a figure may be set against (the synthetic corpus has no figures).
[[comparators]]
id = "statistical-neighbours"
name = "Statistical neighbours average"

[[comparators]]
id = "england"
name = "England average"
"#,
    );
    out
}

/// Copies the folder `from` into `to`, recursively, in sorted order.
pub fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry?;
        let target = to.join(entry.path().strip_prefix(from).unwrap_or(entry.path()));
        if entry.file_type().is_dir() {
            fs::create_dir_all(target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// The scrutiny minutes file of a meeting: front matter, then the body.
pub fn scrutiny_file(meeting: &Meeting) -> String {
    format!(
        "+++\ntitle = \"{}\"\ndate = {}\nstatus = \"approved\"\nnote = \"{NOTE}\"\n+++\n\n{}",
        escape(&meeting.title),
        meeting.date.iso(),
        meeting.body
    )
}

/// The Hugo content file of a meeting: Hugo's TOML front matter, then the same body.
pub fn hugo_file(meeting: &Meeting) -> String {
    format!(
        "+++\ntitle = \"{}\"\ndate = {}\ncommittee = \"{}\"\nnote = \"{NOTE}\"\n+++\n\n{}",
        escape(&meeting.title),
        meeting.date.iso(),
        escape(COMMITTEES[meeting.committee].name),
        meeting.body
    )
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ .Site.Title }}</title>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.note }}<p><strong>About this record:</strong> {{ . }}</p>{{ end }}
<dl>
<dt>Committee</dt><dd>{{ .Params.committee }}</dd>
<dt>Date</dt><dd>{{ .Date.Format "2 January 2006" }}</dd>
</dl>
{{ .Content }}
</article>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ if .IsHome }}
<ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ else }}
{{ range .RegularPagesRecursive.GroupByParam "committee" }}
<section>
<h2>{{ .Key }}</h2>
{{ range .Pages.GroupByDate "2006" }}
<h3>{{ .Key }}</h3>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
</section>
{{ end }}
{{ end }}
{{ end }}
"#;

/// Writes `hugo.toml`, the three layouts and the two list pages' `_index.md` under `dir`.
pub fn hugo_skeleton(dir: &Path, meetings: usize, seed: u64) -> io::Result<()> {
    let layouts = dir.join("layouts").join("_default");
    fs::create_dir_all(&layouts)?;
    fs::write(
        dir.join("hugo.toml"),
        format!(
            r#"# SYNTHETIC Hugo site for benchmarking: the same {meetings} generated meetings (seed {seed})
# as the scrutiny site one folder up. Not real minutes.
baseURL = "http://localhost/"
languageCode = "en-gb"
title = "{TITLE}"
# The meetings run on consecutive days and may reach past today: build them all.
buildFuture = true
# No feeds or taxonomies: scrutiny writes neither for minutes, so Hugo is not timed on them.
disableKinds = ["taxonomy", "term", "RSS"]
"#
        ),
    )?;
    fs::write(layouts.join("baseof.html"), HUGO_BASEOF)?;
    fs::write(layouts.join("single.html"), HUGO_SINGLE)?;
    fs::write(layouts.join("list.html"), HUGO_LIST)?;
    let content = dir.join("content");
    fs::create_dir_all(content.join("minutes"))?;
    fs::write(
        content.join("_index.md"),
        format!(
            "+++\ntitle = \"{TITLE}\"\n+++\n\nSynthetic committee minutes generated for benchmarking. Nothing here is real.\n"
        ),
    )?;
    fs::write(
        content.join("minutes").join("_index.md"),
        "+++\ntitle = \"Minutes (synthetic)\"\n+++\n\nEvery synthetic meeting, by committee and year, newest first.\n",
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::Generator;

    #[test]
    fn both_files_hold_the_same_body() {
        let meeting = Generator::new(1, 1).next_meeting();
        let ours = scrutiny_file(&meeting);
        let hugo = hugo_file(&meeting);
        assert!(ours.ends_with(&meeting.body) && hugo.ends_with(&meeting.body));
        assert!(ours.contains(NOTE) && ours.contains("title = \"Synthetic minutes: "));
        assert!(site_toml(10, 1).contains("synthetic-children = "));
    }
}

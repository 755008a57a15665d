//! `scrutiny new`: skeletons a clerk or an analyst fills in. Each is valid as written, so the
//! site still builds straight after; nothing existing is ever overwritten.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use scrutiny_core::Plugins;
use scrutiny_core::config::SiteConfig;
use scrutiny_minutes::date::MeetingDate;
use scrutiny_plugin::diag::{Diagnostics, FileId};
use scrutiny_plugin::period::Period;

/// `scrutiny new minutes <committee> <date>`.
pub fn minutes(root: &Path, committee: &str, date: &str, plugins: &Plugins) -> ExitCode {
    let Some((mut diags, file)) = site_config(root, plugins) else {
        return ExitCode::from(1);
    };
    let committees = scrutiny_minutes::Committees::load(file, &mut diags);
    if diags.has_errors() {
        eprint!("{}", diags.render());
        return ExitCode::from(1);
    }
    let Some(committee_name) = committees.name(committee) else {
        eprintln!("error: `{committee}` is not a committee of this site");
        eprintln!("  = hint: {}", committees.unknown_committee_hint(committee));
        return ExitCode::from(1);
    };
    // The command line has checked the date already; a bad one is a usage error.
    let meeting_date = match MeetingDate::from_stem(date) {
        Ok(d) => d,
        Err(why) => {
            eprintln!("error: {why}");
            eprintln!("  = hint: give the date as YYYY-MM-DD, e.g. 2023-01-19");
            return ExitCode::from(2);
        }
    };
    let path = root
        .join("content/minutes")
        .join(committee)
        .join(format!("{date}.md"));
    let text = scrutiny_minutes::skeleton(committee_name, &meeting_date.words());
    write_new(&[(path, text)])
}

/// `scrutiny new quarter <year> <quarter>`.
pub fn quarter(root: &Path, year: &str, quarter: &str, plugins: &Plugins) -> ExitCode {
    if site_config(root, plugins).is_none() {
        return ExitCode::from(1);
    }
    // The command line has checked both already; a bad one is a usage error.
    let period = match format!("{year} {}", quarter.to_ascii_uppercase()).parse::<Period>() {
        Ok(p @ Period::Quarter { .. }) if quarter.starts_with('q') => p,
        _ => {
            eprintln!("error: `{year} {quarter}` is not a quarter");
            eprintln!(
                "  = hint: write the financial year and quarter, e.g. `scrutiny new quarter 2022-23 q3`"
            );
            return ExitCode::from(2);
        }
    };
    let mut files = vec![(
        root.join("content/reports")
            .join(year)
            .join(quarter)
            .join("index.md"),
        format!(
            r#"+++
title = "Children's Social Care Performance – Quarter {q} {year}"
# published = YYYY-MM-DD
# presented_to = "Committee, date, item"
# authors = ["Name, role"]
# source = "a key of data/sources.toml"
+++

<!-- The executive summary and recommendations of {period}.
     To place text after the report's sections, put the sections marker (an HTML comment whose
     only word is "sections") on a line of its own; what follows it closes the report. -->

## Executive summary

The figures of this quarter have not been written up yet.
"#,
            q = &quarter[1..],
        ),
    )];
    let mut diags = Diagnostics::new();
    let sections = scrutiny_core::sections::load(root, &plugins.sections, &mut diags);
    if diags.has_errors() {
        eprint!("{}", diags.render());
        return ExitCode::from(1);
    }
    for section in &sections {
        let mut data = format!(
            "# {} figures, {period}.\n# Uncomment and fill in each figure the report states; leave out what it does not.\n",
            section.decl.title
        );
        for def in &section.decl.indicators {
            data.push_str(&format!(
                "\n# [{}]  # {} ({})\n# value =\n# last_year =\n# source = {{ document = \"\", paragraph = \"\" }}\n",
                def.id,
                def.name,
                def.unit.label()
            ));
        }
        files.push((
            root.join("data")
                .join(year)
                .join(quarter)
                .join(format!("{}.toml", section.id())),
            data,
        ));
    }
    write_new(&files)
}

/// Reads and checks `site.toml`: the diagnostics it is registered with, and its file.
fn site_config(root: &Path, plugins: &Plugins) -> Option<(Diagnostics, FileId)> {
    let mut diags = Diagnostics::new();
    let text = match fs::read_to_string(root.join("site.toml")) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read site.toml in {}: {e}", root.display());
            eprintln!("  = hint: run scrutiny in the site folder, or pass --root DIR");
            return None;
        }
    };
    let file = diags.add_file("site.toml", text);
    let tables: Vec<&str> = plugins
        .collections
        .iter()
        .filter_map(|c| c.site_table())
        .collect();
    let config = SiteConfig::load(&mut diags, file, None, &tables);
    if diags.has_errors() || config.is_none() {
        eprint!("{}", diags.render());
        return None;
    }
    Some((diags, file))
}

/// Writes every file, or none if any already exists.
fn write_new(files: &[(PathBuf, String)]) -> ExitCode {
    if let Some((existing, _)) = files.iter().find(|(p, _)| p.exists()) {
        eprintln!(
            "error: {} already exists; nothing was written",
            existing.display()
        );
        eprintln!("  = hint: edit the existing file, or choose another date");
        return ExitCode::from(1);
    }
    for (path, text) in files {
        if let Err(e) = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(path, text))
        {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(1);
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}

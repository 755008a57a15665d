//! `scrutiny new`: skeletons a clerk or an analyst fills in. Each is valid as written, so the
//! site still builds straight after; nothing existing is ever overwritten.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use scrutiny_core::Plugins;
use scrutiny_core::config::SiteConfig;
use scrutiny_core::diag::Diagnostics;
use scrutiny_core::period::Period;
use scrutiny_core::xref::edit_distance;
use scrutiny_minutes::date::MeetingDate;

/// `scrutiny new minutes <committee> <date>`.
pub fn minutes(root: &Path, committee: &str, date: &str) -> ExitCode {
    let Some(config) = site_config(root) else {
        return ExitCode::from(1);
    };
    let Some(committee_name) = config.committees.get(committee) else {
        eprintln!("error: `{committee}` is not a committee of this site");
        eprintln!(
            "  = hint: {}",
            unknown_committee_hint(committee, &config.committees)
        );
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
    if site_config(root).is_none() {
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
    for section in &plugins.sections {
        let mut data = format!(
            "# {} figures, {period}.\n# Uncomment and fill in each figure the report states; leave out what it does not.\n",
            section.title()
        );
        for def in section.indicators() {
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

/// Lists every committee `site.toml` declares, after "did you mean" when one is spelled nearly
/// like `wanted` (a name nothing like it is not suggested).
fn unknown_committee_hint(wanted: &str, committees: &BTreeMap<String, String>) -> String {
    if committees.is_empty() {
        return "this site declares no committees: add one to site.toml under [committees], e.g. `children-osc = \"Children's Services Overview and Scrutiny Committee\"`".to_string();
    }
    let declared: Vec<String> = committees
        .iter()
        .map(|(id, name)| format!("`{id}` ({name})"))
        .collect();
    let declared = format!(
        "committees declared in site.toml under [committees] are: {}",
        declared.join(", ")
    );
    let close = close_names(wanted, committees.keys().map(String::as_str));
    if close.is_empty() {
        format!("the {declared}")
    } else {
        let close: Vec<String> = close.iter().map(|id| format!("`{id}`")).collect();
        format!("did you mean {}? The {declared}", close.join(" or "))
    }
}

/// The names within a small edit distance of `wanted`, ignoring case: one edit for a name of up
/// to five characters, two for a longer one. Nearest first.
fn close_names<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let limit = if wanted.chars().count() <= 5 { 1 } else { 2 };
    let mut close: Vec<(usize, &str)> = names
        .map(|name| (edit_distance(&wanted, &name.to_lowercase()), name))
        .filter(|(distance, _)| *distance <= limit)
        .collect();
    close.sort();
    close.into_iter().map(|(_, name)| name).collect()
}

fn site_config(root: &Path) -> Option<SiteConfig> {
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
    let config = SiteConfig::load(&mut diags, file, None);
    if diags.has_errors() {
        eprint!("{}", diags.render());
    }
    config
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_spelled_nearly_alike_are_suggested() {
        let names = ["children-osc", "adults-osc", "cabinet"];
        let close = |wanted| close_names(wanted, names.into_iter());
        assert_eq!(close("childrens-osc"), ["children-osc"]);
        assert_eq!(close("Children-OSC"), ["children-osc"]);
        assert_eq!(close("adult-osc"), ["adults-osc"]);
        assert_eq!(close("cabinett"), ["cabinet"]);
        assert!(close("adults").is_empty());
        assert!(close("planning").is_empty());
        assert!(close("x").is_empty());
        assert!(close_names("osc", ["csc", "os"].into_iter()).len() == 2);
        assert!(close_names("osc", ["abc"].into_iter()).is_empty());
    }
}

//! What the build writes for the pages' aliases, planned and checked before anything is
//! written: a redirect page at each alias ([`crate::redirect`]), and, for an alias of a page
//! at a folder, a copy of each of the page's files under the alias, so that an old address of
//! a report's CSV or a meeting's JSON keeps working too (a static host cannot redirect a file).
//!
//! A page's files are those the site or a plugin writes in the page's folder, or in a folder
//! under it that is no other page's, other than pages: a report's `data/*.csv`, a meeting's
//! `meeting.json`. The theme's files are no page's.

use std::collections::{BTreeMap, BTreeSet};

use super::{Listed, Owner, describe_owner, output_path};
use crate::alias::Alias;
use crate::diag::Diagnostics;
use crate::output::OutputFile;
use crate::plugin::{Page, PageOutline};
use crate::site::Site;

/// One alias and what it writes.
pub(super) struct Planned<'o> {
    alias: &'o Alias,
    /// The site path of the page it redirects to.
    to: &'o str,
    /// Its redirect page's output path.
    redirect: String,
    /// The page's files and where their copies go: (file, copy), both output paths.
    copies: Vec<(&'o str, String)>,
}

/// What the aliases write, once checked: the output paths of the redirect pages, and the copies
/// of each file.
#[derive(Default)]
pub(super) struct Written {
    /// Output path of each redirect page.
    pub redirects: Vec<String>,
    /// Each file that has copies, with the output paths of its copies.
    pub copies: BTreeMap<String, Vec<String>>,
}

impl Written {
    /// Every output path the aliases add: redirects, then copies.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.redirects.iter().chain(self.copies.values().flatten())
    }

    /// The copies of `file`, to write beside it.
    pub fn copies_of<'f>(&'f self, file: &'f OutputFile) -> impl Iterator<Item = OutputFile> + 'f {
        self.copies
            .get(&file.path)
            .into_iter()
            .flatten()
            .map(|path| OutputFile {
                path: path.clone(),
                bytes: file.bytes.clone(),
            })
    }
}

/// Every alias of every page (an outline's, for a page composed later), with what it will
/// write. `listed` is every page, `files` every file of the site and its plugins.
pub(super) fn plan<'o>(
    pages: &'o [Page],
    outlines: &'o [(usize, usize, Vec<PageOutline>)],
    listed: &Listed<'o>,
    files: &'o [OutputFile],
) -> Vec<Planned<'o>> {
    let mut planned: Vec<Planned<'o>> = pages
        .iter()
        .flat_map(|p| p.aliases.iter().map(|a| (a, p.path.as_str())))
        .chain(outlines.iter().flat_map(|(_, _, outline)| {
            outline
                .iter()
                .flat_map(|o| o.aliases.iter().map(|a| (a, o.path.as_str())))
        }))
        .map(|(alias, to)| Planned {
            alias,
            to,
            redirect: alias.output_path(),
            copies: Vec::new(),
        })
        .collect();
    let folder_aliases = planned
        .iter()
        .any(|p| p.alias.path().ends_with('/') && p.to.ends_with('/'));
    if !folder_aliases {
        return planned;
    }
    let owners = files_of_pages(listed, files);
    for planned in &mut planned {
        if !planned.alias.path().ends_with('/') {
            continue;
        }
        let Some(own) = owners.get(planned.to) else {
            continue;
        };
        planned.copies = own
            .iter()
            .map(|file| {
                (
                    *file,
                    format!("{}{}", planned.alias.path(), &file[planned.to.len()..]),
                )
            })
            .collect();
    }
    planned
}

/// The files of each page at a folder (its site path, `reports/2022-23/q2/`): each file of
/// `files`, and each page that is no template's (JSON), in the deepest page folder it is in.
fn files_of_pages<'o>(
    listed: &Listed<'o>,
    files: &'o [OutputFile],
) -> BTreeMap<&'o str, Vec<&'o str>> {
    let folders: BTreeSet<&str> = listed
        .iter()
        .map(|(path, _, _)| *path)
        .filter(|path| path.ends_with('/'))
        .collect();
    let outputs = files.iter().map(|f| f.path.as_str()).chain(
        listed
            .iter()
            .filter(|(path, templated, _)| !templated && !path.ends_with('/'))
            .map(|(path, _, _)| *path),
    );
    let mut owners: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for file in outputs {
        let owner = file
            .rmatch_indices('/')
            .map(|(i, _)| &file[..=i])
            .find(|folder| folders.contains(folder));
        if let Some(owner) = owner {
            owners.entry(owner).or_default().push(file);
        }
    }
    for own in owners.values_mut() {
        own.sort_unstable();
    }
    owners
}

/// Checks that nothing an alias writes stands where the build writes something (a page, a
/// report, a theme file, `/`), inside a file it writes or over one of its folders, and that no
/// two aliases write one address: each problem an error at the alias, naming what is there.
/// False when there was one.
pub(super) fn check(
    site: &Site<'_>,
    claims: &[(String, Owner)],
    planned: &[Planned<'_>],
    diags: &mut Diagnostics,
) -> bool {
    let theme_static = format!("themes/{}/static/", site.config.theme);
    let mut by_path: BTreeMap<&str, Owner> = BTreeMap::new();
    for (path, owner) in claims {
        by_path.entry(path.as_str()).or_insert(*owner);
    }
    // In file and position order, so that of two aliases of one address the first is the same
    // every build.
    let mut sorted: Vec<&Planned<'_>> = planned.iter().collect();
    sorted.sort_by_cached_key(|p| {
        let at = p.alias.at();
        (diags.name(at.file).to_string(), at.span.start)
    });
    let mut first: BTreeMap<&str, &Alias> = BTreeMap::new();
    let mut ok = true;
    for planned in sorted {
        let problem = redirect_problem(planned, &by_path, &theme_static, &first, diags)
            .or_else(|| copies_problem(planned, &by_path, &theme_static, &first, diags));
        match problem {
            Some((message, hint)) => {
                diags.error(planned.alias.at(), message, hint);
                ok = false;
            }
            None => {
                first.insert(&planned.redirect, planned.alias);
                for (_, copy) in &planned.copies {
                    first.insert(copy, planned.alias);
                }
            }
        }
    }
    ok
}

/// What is wrong with an alias's redirect page: the page's own address, an address the build
/// writes or cannot write at, or one an earlier alias (in `first`) writes.
fn redirect_problem(
    planned: &Planned<'_>,
    by_path: &BTreeMap<&str, Owner>,
    theme_static: &str,
    first: &BTreeMap<&str, &Alias>,
    diags: &Diagnostics,
) -> Option<(String, String)> {
    let written = planned.alias.written();
    if planned.redirect == output_path(planned.to) {
        return Some((
            format!("the alias `{written}` is the page's own address"),
            "remove it: an alias is an address the page had before, not the one it has".to_string(),
        ));
    }
    if let Some(what) = blocked(&planned.redirect, by_path, theme_static, diags) {
        let message = match what.strip_prefix(TAKEN) {
            Some(owner) => format!(
                "the alias `{written}` names an address the build writes: it is taken by {owner}"
            ),
            None => format!("the alias `{written}` cannot be written: {what}"),
        };
        return Some((message, REMOVE.to_string()));
    }
    twice(planned.alias, &planned.redirect, first, diags)
}

/// What is wrong with the copies of a page's files under an alias: the first that the build or
/// an earlier alias writes at, and how many more.
fn copies_problem(
    planned: &Planned<'_>,
    by_path: &BTreeMap<&str, Owner>,
    theme_static: &str,
    first: &BTreeMap<&str, &Alias>,
    diags: &Diagnostics,
) -> Option<(String, String)> {
    let mut problems = planned.copies.iter().filter_map(|(file, copy)| {
        let problem = blocked(copy, by_path, theme_static, diags).map(|what| {
            (
                format!(
                    "the alias `{}` cannot keep the page's file /{file} at /{copy}: {what}",
                    planned.alias.written()
                ),
                REMOVE.to_string(),
            )
        });
        problem.or_else(|| twice(planned.alias, copy, first, diags))
    });
    let (message, hint) = problems.next()?;
    let more = match problems.count() {
        0 => String::new(),
        1 => " (and so is one more of its files)".to_string(),
        n => format!(" (and so are {n} more of its files)"),
    };
    Some((format!("{message}{more}"), hint))
}

/// How [`blocked`] says an output is at the path already.
const TAKEN: &str = "it is taken by ";

/// The hint of an alias that names an address the build writes.
const REMOVE: &str = "remove the alias: a redirect can stand only where the build writes nothing (an alias names an address no page has any more)";

/// The error when another alias, earlier in `first`, writes `out` already.
fn twice(
    alias: &Alias,
    out: &str,
    first: &BTreeMap<&str, &Alias>,
    diags: &Diagnostics,
) -> Option<(String, String)> {
    let earlier = first.get(out)?;
    Some((
        format!(
            "the alias `{}` is claimed twice: `{}` at {} writes /{} too",
            alias.written(),
            earlier.written(),
            diags.position(earlier.at()),
            out.trim_end_matches("index.html")
        ),
        "keep it on one page only: an old address can redirect to one page".to_string(),
    ))
}

/// What of the build stands in the way of writing `out`: an output there, a file where `out`
/// needs a folder, or a folder where it would be a file. `None` when nothing does.
fn blocked(
    out: &str,
    by_path: &BTreeMap<&str, Owner>,
    theme_static: &str,
    diags: &Diagnostics,
) -> Option<String> {
    if let Some(owner) = by_path.get(out) {
        return Some(format!(
            "{TAKEN}{}",
            describe_owner(*owner, out, theme_static, diags)
        ));
    }
    // A folder claimed whole (the search index's, `pagefind/`).
    let whole = out
        .match_indices('/')
        .map(|(i, _)| &out[..=i])
        .find_map(|folder| by_path.get_key_value(folder));
    if let Some((folder, owner)) = whole {
        return Some(format!(
            "{TAKEN}{}",
            describe_owner(*owner, folder, theme_static, diags)
        ));
    }
    let file = out
        .match_indices('/')
        .map(|(i, _)| &out[..i])
        .find_map(|folder| by_path.get_key_value(folder));
    if let Some((file, owner)) = file {
        return Some(format!(
            "/{file} is a file, not a folder: {}",
            describe_owner(*owner, file, theme_static, diags)
        ));
    }
    let folder = format!("{out}/");
    let (inner, owner) = by_path
        .range(folder.as_str()..)
        .next()
        .filter(|(path, _)| path.starts_with(&folder))?;
    Some(format!(
        "/{out} is a folder of {}",
        describe_owner(*owner, inner, theme_static, diags)
    ))
}

/// What the checked aliases write, owned, so that the pages can be handed on to be written.
pub(super) fn written(planned: Vec<Planned<'_>>) -> Written {
    let mut written = Written::default();
    for planned in planned {
        written.redirects.push(planned.redirect);
        for (file, copy) in planned.copies {
            written
                .copies
                .entry(file.to_string())
                .or_default()
                .push(copy);
        }
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes: Vec::new(),
        }
    }

    #[test]
    fn a_file_belongs_to_the_deepest_page_folder_it_is_in() {
        let listed: Listed<'_> = vec![
            ("", true, &[]),
            ("reports/", true, &[]),
            ("reports/2022-23/q2/", true, &[]),
            ("reports/2022-23/q2/v1/", true, &[]),
            ("minutes/osc/2022-11-17/", true, &[]),
            ("minutes/osc/2022-11-17/meeting.json", false, &[]),
            ("404.html", true, &[]),
        ];
        let files = [
            file("reports/2022-23/q2/data/figures.csv"),
            file("reports/2022-23/q2/v1/data/figures.csv"),
            file("robots.txt"),
            file("indicators/cla-count/data.csv"),
        ];
        let owners = files_of_pages(&listed, &files);
        assert_eq!(
            owners.get("reports/2022-23/q2/").map(Vec::as_slice),
            Some(&["reports/2022-23/q2/data/figures.csv"][..])
        );
        assert_eq!(
            owners.get("reports/2022-23/q2/v1/").map(Vec::as_slice),
            Some(&["reports/2022-23/q2/v1/data/figures.csv"][..])
        );
        assert_eq!(
            owners.get("minutes/osc/2022-11-17/").map(Vec::as_slice),
            Some(&["minutes/osc/2022-11-17/meeting.json"][..])
        );
        assert!(
            !owners.contains_key("reports/"),
            "a file is its deepest page's"
        );
        assert_eq!(
            owners.len(),
            3,
            "a file in no page's folder is no page's: {owners:?}"
        );
    }
}

//! Content that tries to run script: the hostile-content fixture (tests/fixtures/hostile-content)
//! laid over the shipped site builds, and no page of the built site holds a script the theme did
//! not write, an event-handler attribute, or an address that runs code. Every page is read with a
//! WHATWG HTML tokenizer, as a browser reads it, so a payload in text or a comment is not mistaken
//! for one in markup, and one in markup is not missed.

mod common;

use std::fs;

use common::{overlay, repo, scrutiny, shipped_site, start_tags, stderr, walk};

/// Attributes whose value is an address a browser may follow or load.
const ADDRESS_ATTRIBUTES: [&str; 9] = [
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "xlink:href",
    "srcset",
    "background",
];

/// A `<script>` or `<form>` tag as [`problems`] and [`template_tags`] compare them: its name
/// and attributes.
fn tag_key(name: &str, attributes: &[(String, String)]) -> String {
    format!("{name} {attributes:?}")
}

/// What is wrong with one page's HTML: each script the theme did not write, each `on*`
/// attribute, each address that runs code.
fn problems(html: &str, theme_scripts: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, attributes) in start_tags(html) {
        let written = tag_key(&name, &attributes);
        if name == "script" && !theme_scripts.contains(&written) {
            found.push(format!("a <script> the theme does not have: {written}"));
        }
        // A form is the templates' own (the search page's) or a problem.
        let templates_form = name == "form" && theme_scripts.contains(&written);
        if matches!(
            name.as_str(),
            "iframe" | "object" | "embed" | "base" | "form"
        ) && !templates_form
        {
            found.push(format!("a <{name}> element"));
        }
        for (attribute, value) in &attributes {
            if attribute.starts_with("on") {
                found.push(format!("<{name} {attribute}=\"{value}\">"));
            }
            if attribute == "srcdoc" {
                found.push(format!("<{name} srcdoc>"));
            }
            if ADDRESS_ATTRIBUTES.contains(&attribute.as_str()) && runs_code(value) {
                found.push(format!("<{name} {attribute}=\"{value}\">"));
            }
        }
    }
    found
}

/// Whether an address (as a browser reads it: references decoded) runs code.
fn runs_code(value: &str) -> bool {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    [
        "javascript:",
        "vbscript:",
        "data:text/html",
        "data:image/svg",
    ]
    .iter()
    .any(|scheme| cleaned.starts_with(scheme))
}

/// The `<script>` and `<form>` tags of the theme's templates and the plugins' own (which a
/// theme may replace: the search page's), as [`tag_key`] writes them, for a site built at `/`
/// (a template's `{{ base }}` is `/`).
fn template_tags(dirs: &[std::path::PathBuf]) -> Vec<String> {
    dirs.iter()
        .flat_map(|dir| walk(dir))
        .filter_map(|file| fs::read_to_string(file).ok())
        .flat_map(|text| {
            start_tags(&text)
                .into_iter()
                .filter(|(name, _)| name == "script" || name == "form")
                .map(|(name, attributes)| {
                    let attributes: Vec<(String, String)> = attributes
                        .into_iter()
                        .map(|(a, v)| (a, v.replace("{{ base }}", "/")))
                        .collect();
                    tag_key(&name, &attributes)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_checker_finds_what_a_browser_would_run() {
    let page = "<p onclick=x>a</p><a href=' JaVa&#115;cript:alert(1)'>b</a><script>x</script><img src=x onerror=y><svg onload=z>";
    assert_eq!(problems(page, &[]).len(), 5, "{:?}", problems(page, &[]));
    let harmless = "<p>&lt;script&gt; onclick=x javascript:alert(1)</p><!-- <script>x</script> --><a href=\"/x?q=javascript:y\">a</a><abbr title=\"<script>\">s</abbr>";
    assert_eq!(problems(harmless, &[]), Vec::<String>::new());
}

#[test]
fn hostile_content_builds_into_pages_that_run_no_script_from_it() {
    let site = shipped_site();
    overlay(&repo().join("tests/fixtures/hostile-content"), site.path());
    let output = scrutiny(site.path(), &["build", "--out", "public"]);
    assert!(
        output.status.success(),
        "the hostile fixture must build: {}",
        stderr(&output)
    );
    let public = site.path().join("public");
    let mut dirs = vec![repo().join("themes")];
    dirs.extend(
        fs::read_dir(repo().join("crates"))
            .expect("crates")
            .flatten()
            .map(|c| c.path().join("templates"))
            .filter(|d| d.is_dir()),
    );
    let allowed = template_tags(&dirs);
    let mut failures = Vec::new();
    let mut pages = 0;
    for file in walk(&public) {
        if file.extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = fs::read_to_string(&file).expect("UTF-8 HTML");
        for problem in problems(&html, &allowed) {
            failures.push(format!(
                "{}: {problem}",
                file.strip_prefix(&public).expect("under").display()
            ));
        }
    }
    // The fixture's own pages are there: a payload that silently vanished proves nothing.
    for page in [
        "hostile-content/index.html",
        "reports/2021-22/q4/index.html",
        "minutes/children-osc/2021-03-18/index.html",
    ] {
        let html = fs::read_to_string(public.join(page)).expect(page);
        assert!(html.contains("alert("), "{page} shows its payloads as text");
    }
    assert!(pages > 40, "{pages} pages");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

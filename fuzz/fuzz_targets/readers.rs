//! libFuzzer target: every reader of content, on any bytes. The first byte chooses the reader
//! (a data file of each section, `site.toml`, `data/sources.toml`, front matter, minutes, report
//! Markdown with cross-references); the rest is the file. Each run must not panic, and its
//! report (at most 50 errors a file, each a snippet of its line) must stay small.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scrutiny_core::Diagnostics;
use scrutiny_core::config::SiteConfig;
use scrutiny_core::markdown::{self, DraftContext, MarkdownContext, PageIds};
use scrutiny_plugin::markdown::Source;
use scrutiny_plugin::section::Section;
use scrutiny_plugin::xref::{Schemes, Target, XrefIndex};

fn schemes() -> Schemes {
    Schemes::new(["report", "indicator", "meeting", "action"])
}

fn index() -> XrefIndex {
    let mut xrefs = XrefIndex::new(schemes());
    let target = |path: &str, anchors: &[&str]| Target {
        path: path.into(),
        title: "t".into(),
        anchors: anchors.iter().map(|a| a.to_string()).collect(),
    };
    xrefs.add(
        "report",
        "2022-23/q2",
        target("reports/2022-23/q2/", &["mash", "cla"]),
    );
    xrefs.add(
        "indicator",
        "cla-count",
        target("indicators/cla-count/", &[]),
    );
    xrefs.add(
        "meeting",
        "children-osc/2022-11-17",
        target("minutes/children-osc/2022-11-17/", &["item-7"]),
    );
    xrefs.add("action", "uasc-transfers-2023", target("actions/#x", &[]));
    xrefs
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let mut diags = Diagnostics::new();
    let sections: [&dyn Section; 5] = [
        &scrutiny_mash::Mash,
        &scrutiny_cla::Cla,
        &scrutiny_cpp::Cpp,
        &scrutiny_care_leavers::CareLeavers,
        &scrutiny_adoption::Adoption,
    ];
    match kind % 10 {
        k @ 0..=4 => {
            let (_, section_diags) =
                scrutiny_core::testing::load_section(sections[k as usize], &text);
            diags = section_diags;
        }
        5 => {
            let file = diags.add_file("site.toml", text);
            let _ = SiteConfig::load(&mut diags, file, None, &["minutes"]);
            let _ = scrutiny_minutes::Committees::load(file, &mut diags);
        }
        6 => {
            let file = diags.add_file("data/sources.toml", text);
            let _ = scrutiny_core::figure::load_sources(&mut diags, file);
        }
        7 => {
            let file = diags.add_file("content/page.md", text.clone());
            if let Ok(split) = markdown::split_front_matter(&text)
                && let Some((front, offset)) = split.front_matter
            {
                let _: Option<toml::Table> =
                    scrutiny_plugin::tomlfile::parse_document(&mut diags, file, front, offset);
            }
        }
        8 => {
            let file = diags.add_file("content/minutes/children-osc/2023-01-19.md", text.clone());
            let schemes = schemes();
            let page = DraftContext {
                base_path: "/",
                page_path: "minutes/children-osc/2023-01-19/",
                schemes: &schemes,
            };
            let body = markdown::split_front_matter(&text).map_or(0, |s| s.body_offset);
            let source = Source {
                file,
                text: &text[body..],
                offset: body,
            };
            let engine = scrutiny_core::outline::Engine;
            let _ = scrutiny_minutes::syntax::parse(
                source,
                "children-osc-2023-01-19",
                &page,
                &engine,
                &scrutiny_plugin::store::DraftStore::in_memory(),
                &mut diags,
            );
        }
        _ => {
            let file = diags.add_file("content/reports/2022-23/q2/mash.md", text.clone());
            let xrefs = index();
            let ctx = MarkdownContext {
                xrefs: &xrefs,
                page: DraftContext {
                    base_path: "/",
                    page_path: "reports/2022-23/q2/",
                    schemes: xrefs.schemes(),
                },
                page_title: "Q2",
            };
            let mut ids = PageIds::new();
            let _ = markdown::render(&text, file, 0, &ctx, &mut ids, &mut diags);
        }
    }
    let report = diags.render();
    assert!(
        report.len() < 1 << 20,
        "a report of {} bytes for {} bytes of input",
        report.len(),
        data.len()
    );
});

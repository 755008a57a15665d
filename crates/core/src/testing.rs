//! Test support for section plugins: load a small data file as a report would, without a site
//! folder, so a plugin's unit tests can exercise its checks.

use std::collections::BTreeMap;

use crate::config::SiteConfig;
use crate::diag::Diagnostics;
use crate::figure::{DataContext, SectionData, load_section_data, load_sources};
use crate::period::Period;
use crate::sections::SiteSection;
use scrutiny_plugin::section::Section;

/// The `site.toml` the test site uses: the shipped site's four comparators.
const SITE: &str = r#"title = "Test"
authority = "Thurrock Council"
description = "Test site."
[[comparators]]
id = "statistical-neighbours"
name = "Statistical neighbours average"
[[comparators]]
id = "england"
name = "England average"
[[comparators]]
id = "eastern-region"
name = "Eastern Region average"
[[comparators]]
id = "national"
name = "National average"
"#;

/// The `data/sources.toml` the test site uses: the Q2 2022-23 report.
const SOURCES: &str = r#"[csc-performance-2022-23-q2]
title = "Children's Social Care Performance – Quarter 2 2022-23"
publisher = "Thurrock Council"
date = "2022-11-17"
"#;

/// The test site's configuration: authority "Thurrock Council" and the four comparators.
pub fn site_config() -> SiteConfig {
    let mut diags = Diagnostics::new();
    let file = diags.add_file("site.toml", SITE);
    SiteConfig::load(&mut diags, file, None, &[])
        .unwrap_or_else(|| panic!("the test site.toml must load: {}", diags.render()))
}

/// Loads `toml` as `section`'s data file of the Q2 2022-23 report and runs the section's own
/// check, as a build does. The test site declares the comparators `statistical-neighbours`,
/// `england`, `eastern-region` and `national`, and the source `csc-performance-2022-23-q2`.
/// Returns the data and every problem found (`diags.render()` shows them with `file:line:col`).
pub fn load_section(section: &dyn Section, toml: &str) -> (SectionData, Diagnostics) {
    let plugin = SiteSection {
        decl: section.declare(),
        code: Some(section),
    };
    let config = site_config();
    let mut diags = Diagnostics::new();
    let sources_file = diags.add_file("data/sources.toml", SOURCES);
    let sources: BTreeMap<_, _> = load_sources(&mut diags, sources_file);
    let file = diags.add_file(format!("data/2022-23/q2/{}.toml", plugin.id()), toml);
    let ctx = DataContext {
        report_period: Some(Period::Quarter {
            year: 2022,
            quarter: 2,
        }),
        default_document: None,
        indicators: &plugin.decl.indicators,
        config: &config,
        sources: &sources,
    };
    let data = load_section_data(plugin.id(), file, &ctx, &mut diags);
    plugin.check(&data, &mut diags);
    (data, diags)
}

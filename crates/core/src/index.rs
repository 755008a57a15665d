//! The cross-reference index: every page and part of a page a link may name, registered before
//! any Markdown is rendered.

use std::collections::BTreeMap;

use crate::diag::Diagnostics;
use crate::markdown::{self, DraftContext, MarkdownContext};
use crate::site::Site;
use crate::xref::{Target, XrefIndex};

/// Registers every target a cross-reference may name.
pub fn targets(site: &Site<'_>) -> XrefIndex {
    let mut xrefs = XrefIndex::new(site.schemes.clone());
    for report in &site.reports {
        let mut anchors = vec!["summary".to_string(), "figures".to_string()];
        for section in &site.sections {
            if report.narratives.contains_key(section.id())
                || report.data.iter().any(|d| d.section == section.id())
            {
                anchors.push(section.id().to_string());
            }
        }
        xrefs.add(
            "report",
            &report.key,
            Target {
                path: report.path.clone(),
                title: report.front.title.clone(),
                anchors,
            },
        );
    }
    for def in site.all_indicators() {
        xrefs.add(
            "indicator",
            &def.id,
            Target {
                path: format!("indicators/{}/", def.id),
                title: def.name.to_string(),
                anchors: vec![],
            },
        );
    }
    for collection in &site.collections {
        for (scheme, id, target) in collection.targets() {
            xrefs.add(scheme, &id, target);
        }
    }
    xrefs
}

/// The href of each source document that names where it is in the archive (`link`).
pub fn source_links(
    site: &Site<'_>,
    xrefs: &XrefIndex,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let mut hrefs = BTreeMap::new();
    let ctx = MarkdownContext {
        xrefs,
        page: DraftContext {
            base_path: &site.config.base_path,
            page_path: "",
            schemes: &site.schemes,
        },
        page_title: "",
    };
    for source in site.sources.values() {
        let (Some(link), Some(at)) = (&source.link, &source.link_at) else {
            continue;
        };
        if let Some((href, _)) = markdown::resolve_reference(link.get_ref(), at, &ctx, None, diags)
        {
            hrefs.insert(source.id.clone(), href);
        }
    }
    hrefs
}

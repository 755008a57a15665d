//! # scrutiny-plugin
//!
//! What a plugin of `scrutiny` sees: the API between the site generator (the driver,
//! `scrutiny-core`) and the plugins that give a site its sections and collections. A plugin
//! depends on this crate only; the driver implements the pipeline (load → validate → index
//! cross-references → render → write) and calls the plugins at their steps.
//!
//! - [`section`]: a section of the quarterly report declares its indicators ([`indicator`]), the
//!   checks that tie its figures together and which indicators are charted together. A section
//!   can also be declared in TOML, for councils that do not write Rust: the driver reads such a
//!   file into the same [`SectionDecl`].
//! - [`collection`]: a kind of content with pages of its own (the minutes), its folder of
//!   `content/`, its table of `site.toml`, its link schemes and its pages.
//! - [`search`]: full-text search: a search page, and an index fed every written page.
//! - [`figure`]: the figures of a report's data file, as the section's checks see them.
//! - [`feed`]: what a collection gives the site's Atom feeds, and the plain-text
//!   descriptions of pages.
//! - [`diag`]: problems, each at a [`diag::Location`] (file and byte range), reported together
//!   with `file:line:col` and a hint.
//! - [`period`]: the periods figures describe, and the one calendar [`period::Date`].
//! - [`markdown`]: front matter, and text drafted to HTML whose cross-references wait for the
//!   index of every page.
//! - [`store`]: where those drafts wait, out of memory, from loading until their pages are
//!   composed.
//! - [`name`]: the one rule for names that become part of a URL or a file path.
//! - [`alias`]: the earlier addresses of a page (`aliases = ["/old/path/"]`), checked, which
//!   the driver writes redirect pages at.
//! - [`xref`]: cross-reference targets, the links between pages, and the one "did you mean"
//!   rule.
//! - [`chars`] and [`text`]: the characters content may not hold, and the checks that refuse
//!   them.
//! - [`tomlfile`]: TOML read with every error at its `file:line:col`.
//!
//! ## A complete section
//!
//! A section of two indicators and one check. Its narrative is
//! `content/reports/<year>/<quarter>/youth-justice.md` and its figures
//! `data/<year>/<quarter>/youth-justice.toml`; the driver reads both, checks every figure, and
//! writes the section with its charts, tables, CSV and indicator pages.
//!
//! ```
//! use scrutiny_plugin::indicator::{IndicatorDef, Polarity, Unit};
//! use scrutiny_plugin::section::{Check, Section, SectionDecl};
//!
//! /// Young people supervised by the youth justice service.
//! struct YouthJustice;
//!
//! impl Section for YouthJustice {
//!     fn declare(&self) -> SectionDecl {
//!         SectionDecl::new("youth-justice", "Youth justice")
//!             .indicators(vec![
//!                 IndicatorDef::new(
//!                     "yj-caseload",
//!                     "Young people supervised by the youth justice service",
//!                     Unit::Count,
//!                     Polarity::Neutral,
//!                     "Young people the service supervises on the last day of the period.",
//!                 ),
//!                 IndicatorDef::new(
//!                     "yj-in-custody",
//!                     "Young people in custody",
//!                     Unit::Count,
//!                     Polarity::LowerIsBetter,
//!                     "Of the young people the service supervises, those in custody.",
//!                 ),
//!             ])
//!             .headline(&["yj-caseload"])
//!             .check(Check::at_most(
//!                 "yj-in-custody",
//!                 "yj-caseload",
//!                 "every young person in custody is one the service supervises",
//!             ))
//!     }
//! }
//!
//! let section = YouthJustice.declare();
//! assert_eq!(section.id, "youth-justice");
//! assert_eq!(section.checks[0].indicators(), ["yj-in-custody", "yj-caseload"]);
//! ```

pub mod alias;
pub mod chars;
pub mod collection;
pub mod diag;
pub mod feed;
pub mod figure;
pub mod indicator;
pub mod markdown;
pub mod name;
pub mod parsed;
pub mod period;
pub mod search;
pub mod section;
pub mod store;
pub mod text;
pub mod tomlfile;
pub mod xref;

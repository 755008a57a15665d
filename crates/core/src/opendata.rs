//! Open data at `/data/`, in the shape of GOV.UK statistics downloads: every figure of the
//! archive as CSV (RFC 4180: UTF-8, CRLF line ends) and JSON, for the whole archive, each report
//! (and each of its superseded versions) and each indicator; a Frictionless Tabular Data Package
//! (`datapackage.json`, with a Table Schema per table) describing every file and column; one
//! ZIP of it all (`all-data.zip`, byte-identical between builds); and the data guidance page,
//! which describes every column in words.
//!
//! Two tables, each declared once in [`columns`]: `figures` (one row a figure a source states)
//! and `comparators` (one row a comparator value set beside a figure). Part of the render step:
//! [`files`] is called once the reports and indicators are known.

pub mod columns;
mod package;
pub mod rows;

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, SerializeSeq};
use serde_json::json;

use crate::output::OutputFile;
use crate::plugin::{Alternate, Page};
use crate::report::Report;
use crate::site::Site;
use columns::Column;
use rows::{Cell, FigureContext};

/// Where the open data lives, under the base path.
pub const FOLDER: &str = "data/";

/// CSV of `records`, the first the header, as RFC 4180 has it: UTF-8, fields quoted where they
/// hold a comma, a quote or a line break, each line ending CRLF. Every CSV file of the site is
/// written with it.
pub fn csv(records: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for record in records {
        // Writing to memory cannot fail.
        let _ = writer.write_record(&record);
    }
    writer.into_inner().unwrap_or_default()
}

/// A table of rows, each cell in the order of its columns.
pub struct Table {
    /// Its columns.
    pub columns: &'static [Column],
    /// Its rows.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(columns: &'static [Column]) -> Table {
        Table {
            columns,
            rows: Vec::new(),
        }
    }

    /// The table as CSV: a header, then a record a row.
    pub fn csv(&self) -> Vec<u8> {
        let header = self.columns.iter().map(|c| c.name.to_string()).collect();
        let rows = self
            .rows
            .iter()
            .map(|row| row.iter().map(Cell::csv).collect());
        csv(std::iter::once(header).chain(rows))
    }

    /// The table as JSON: an array with an object a row, its keys in column order.
    pub fn json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(&JsonRows(self)).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// The rows whose column `name` holds `value`, as a table of their own.
    fn filtered(&self, name: &str, value: &str) -> Table {
        let at = self.columns.iter().position(|c| c.name == name);
        let wanted = Cell::Text(value.to_string());
        Table {
            columns: self.columns,
            rows: self
                .rows
                .iter()
                .filter(|row| at.is_some_and(|at| row[at] == wanted))
                .cloned()
                .collect(),
        }
    }
}

struct JsonRows<'t>(&'t Table);

struct JsonRow<'t>(&'static [Column], &'t [Cell]);

impl serde::Serialize for JsonRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.rows.len()))?;
        for row in &self.0.rows {
            seq.serialize_element(&JsonRow(self.0.columns, row))?;
        }
        seq.end()
    }
}

impl serde::Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (column, cell) in self.0.iter().zip(self.1) {
            map.serialize_entry(column.name, &cell.json())?;
        }
        map.end()
    }
}

/// The figures and comparators of one group of the archive (all of it, a report, a version of
/// a report, an indicator), with where its files go under `/data/`.
pub struct Dataset {
    /// Its resources' names start with this: `report-2022-23-q2`; empty for the whole archive.
    pub name: String,
    /// What it is, in words: "Children's Social Care Performance – Quarter 2 2022-23".
    pub title: String,
    /// Its folder under `/data/`: `reports/2022-23/q2/`; empty for the whole archive.
    pub folder: String,
    /// Of a superseded version of a report, its number.
    pub version: Option<usize>,
    /// Where the page the dataset is of keeps a copy of its figures CSV, the same bytes (a
    /// report's `data/figures.csv`, an indicator's `<id>.csv`): the page links there, an alias
    /// of the page keeps it, and its address stays what earlier builds published.
    pub page_copy: Option<String>,
    /// One row a figure.
    pub figures: Table,
    /// One row a comparator value.
    pub comparators: Table,
}

impl Dataset {
    /// Its tables that have rows, each with its file name stem and what a row is, in words. A
    /// table without rows is not written: a Data Package cannot describe an empty JSON table.
    pub fn tables(&self) -> impl Iterator<Item = (&Table, &'static str, &'static str)> {
        [
            (&self.figures, "figures", "figures"),
            (&self.comparators, "comparators", "comparator values"),
        ]
        .into_iter()
        .filter(|(table, _, _)| !table.rows.is_empty())
    }
}

/// The site path of the copy of a report's figures CSV beside its page (of one of its versions,
/// by its path): `reports/2022-23/q2/data/figures.csv`.
pub fn report_csv(report: &Report) -> String {
    format!("{}data/figures.csv", report.path)
}

/// The site path of the copy of an indicator's figures CSV beside its page:
/// `indicators/cla-count/cla-count.csv`.
pub fn indicator_csv(id: &str) -> String {
    format!("indicators/{id}/{id}.csv")
}

/// Every file of `/data/`, and the data guidance page. `source_hrefs` gives where each source
/// document is in the archive (with the base path).
pub fn files(site: &Site<'_>, source_hrefs: &BTreeMap<String, String>) -> (Page, Vec<OutputFile>) {
    let sets = datasets(site, source_hrefs);
    let mut files = Vec::new();
    for set in &sets {
        if let Some(copy) = &set.page_copy {
            files.push(OutputFile {
                path: copy.clone(),
                bytes: set.figures.csv(),
            });
        }
        for (table, stem, _) in set.tables() {
            let at = format!("{FOLDER}{}{stem}", set.folder);
            files.push(OutputFile {
                path: format!("{at}.csv"),
                bytes: table.csv(),
            });
            files.push(OutputFile {
                path: format!("{at}.json"),
                bytes: table.json(),
            });
        }
    }
    files.extend(package::descriptor_files(site, &sets));
    let zip = package::zip(&files);
    files.push(zip);
    (guidance_page(site, &sets, &files), files)
}

/// The datasets: the whole archive, then each report and its superseded versions, then each
/// indicator.
fn datasets(site: &Site<'_>, source_hrefs: &BTreeMap<String, String>) -> Vec<Dataset> {
    let titles: BTreeMap<String, String> = site
        .sources
        .values()
        .map(|s| (s.id.clone(), s.title.clone()))
        .collect();
    let urls = source_urls(site, source_hrefs);
    let mut all = Dataset {
        name: String::new(),
        title: "Every figure in the archive".into(),
        folder: String::new(),
        version: None,
        page_copy: None,
        figures: Table::new(columns::FIGURES),
        comparators: Table::new(columns::COMPARATORS),
    };
    let mut sets = Vec::new();
    for report in &site.reports {
        let latest = report_dataset(site, report, &titles, &urls);
        all.figures.rows.extend(latest.figures.rows.iter().cloned());
        all.comparators
            .rows
            .extend(latest.comparators.rows.iter().cloned());
        sets.push(latest);
        for k in 1..crate::corrections::version_count(report) {
            let version = crate::corrections::version(report, k);
            sets.push(report_dataset(site, &version, &titles, &urls));
        }
    }
    let stated_elsewhere = other_rows(site, &titles, &urls);
    all.figures.rows.extend(stated_elsewhere.figures.rows);
    all.comparators
        .rows
        .extend(stated_elsewhere.comparators.rows);
    let indicators = site.all_indicators().into_iter().map(|def| Dataset {
        name: format!("indicator-{}", def.id),
        title: def.name.to_string(),
        folder: format!("indicators/{}/", def.id),
        version: None,
        page_copy: Some(indicator_csv(&def.id)),
        figures: all.figures.filtered("indicator", &def.id),
        comparators: all.comparators.filtered("indicator", &def.id),
    });
    let indicators: Vec<Dataset> = indicators.collect();
    std::iter::once(all).chain(sets).chain(indicators).collect()
}

/// Where each source document is in the archive: an absolute URL when the base URL has a
/// host, else its path from the site's root.
fn source_urls(
    site: &Site<'_>,
    source_hrefs: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    source_hrefs
        .iter()
        .map(|(key, href)| {
            let path = href.strip_prefix(&site.config.base_path).unwrap_or(href);
            let url = site.info.absolute_url(path).unwrap_or_else(|| href.clone());
            (key.clone(), url)
        })
        .collect()
}

/// A report's figures (of its version, for a superseded one) and comparators.
fn report_dataset(
    site: &Site<'_>,
    report: &Report,
    titles: &BTreeMap<String, String>,
    urls: &BTreeMap<String, String>,
) -> Dataset {
    let corrections = crate::corrections::made(report);
    let version = match report.edition {
        crate::corrections::Edition::Latest => None,
        crate::corrections::Edition::Superseded(k) => Some(k),
    };
    let suffix = version.map(|k| format!("-v{k}")).unwrap_or_default();
    let mut set = Dataset {
        name: format!("report-{}{suffix}", report.key.replace('/', "-")),
        title: report.front.title.clone(),
        folder: report.path.clone(),
        version,
        page_copy: Some(report_csv(report)),
        figures: Table::new(columns::FIGURES),
        comparators: Table::new(columns::COMPARATORS),
    };
    for data in &report.data {
        let section = site.section_of(data);
        let ctx = FigureContext {
            report: Some(&report.key),
            section: section.id(),
            synthetic: section.decl.synthetic,
            titles,
            source_urls: urls,
            corrections: &corrections,
        };
        for f in &data.figures {
            if let Some(def) = section.decl.indicator(&f.indicator) {
                set.figures.rows.push(rows::figure_row(def, f, &ctx));
                set.comparators
                    .rows
                    .extend(rows::comparator_rows(def, f, &ctx));
            }
        }
    }
    set
}

/// The figures stated outside the reports (in the minutes), in the tables' form.
fn other_rows(
    site: &Site<'_>,
    titles: &BTreeMap<String, String>,
    urls: &BTreeMap<String, String>,
) -> Dataset {
    let mut set = Dataset {
        name: String::new(),
        title: String::new(),
        folder: String::new(),
        version: None,
        page_copy: None,
        figures: Table::new(columns::FIGURES),
        comparators: Table::new(columns::COMPARATORS),
    };
    for f in &site.other_figures {
        let Some((section, def)) = site.indicator(&f.indicator) else {
            continue;
        };
        let ctx = FigureContext {
            report: None,
            section: section.id(),
            synthetic: section.decl.synthetic,
            titles,
            source_urls: urls,
            corrections: &[],
        };
        set.figures.rows.push(rows::figure_row(def, f, &ctx));
        set.comparators
            .rows
            .extend(rows::comparator_rows(def, f, &ctx));
    }
    set
}

/// `/data/`: what there is to download, and every column in words.
fn guidance_page(site: &Site<'_>, sets: &[Dataset], files: &[OutputFile]) -> Page {
    let base = &site.config.base_path;
    let size = |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .map_or(0, |f| f.bytes.len())
    };
    let link = |set: &Dataset| {
        let at = format!("{FOLDER}{}", set.folder);
        json!({
            "title": set.title,
            "figures": set.figures.rows.len(),
            "comparators": set.comparators.rows.len(),
            "csv": format!("{base}{at}figures.csv"),
            "json": format!("{base}{at}figures.json"),
            "comparators_csv": format!("{base}{at}comparators.csv"),
            "comparators_json": format!("{base}{at}comparators.json"),
            "version": set.version,
        })
    };
    let column = |c: &Column| {
        json!({
            "name": c.name,
            "kind": c.kind,
            "about": c.about,
            "values": c.values,
        })
    };
    let values = json!({
        "zip": format!("{base}{FOLDER}all-data.zip"),
        "zip_size": size_words(size("data/all-data.zip")),
        "package": format!("{base}{FOLDER}datapackage.json"),
        "all": sets.first().map(link),
        "reports": sets.iter().filter(|s| s.name.starts_with("report-")).map(link).collect::<Vec<_>>(),
        "indicators": sets.iter().filter(|s| s.name.starts_with("indicator-")).map(link).collect::<Vec<_>>(),
        "figure_columns": columns::FIGURES.iter().map(column).collect::<Vec<_>>(),
        "comparator_columns": columns::COMPARATORS.iter().map(column).collect::<Vec<_>>(),
    });
    let mut page = Page::templated(FOLDER, "data.html", "Open data", &values)
        .with_description(
            "Every figure in the archive as CSV and JSON, by report and by indicator, in one ZIP, with a guide to every column.",
        );
    if sets.first().is_some_and(|all| !all.figures.rows.is_empty()) {
        page = page
            .with_alternate(Alternate::new(
                "text/csv",
                format!("{FOLDER}figures.csv"),
                "Every figure (CSV)",
            ))
            .with_alternate(Alternate::new(
                "application/json",
                format!("{FOLDER}datapackage.json"),
                "The Data Package (JSON)",
            ));
    }
    page
}

/// A file's size as a download link gives it: `18 kB`, `1,234 kB`.
fn size_words(bytes: usize) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        _ => format!(
            "{} kB",
            crate::indicator::format_number(bytes.div_ceil(1_000) as f64)
        ),
    }
}

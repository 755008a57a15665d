//! The Frictionless Data Package of `/data/` (`datapackage.json`, Tabular Data Package 1.0), the
//! Table Schema of each table (`schemas/figures.json`, `schemas/comparators.json`), and the ZIP
//! of every file.

use std::io::Write;

use serde_json::{Value, json};

use super::columns::{COMPARATORS, Column, Kind};
use super::{Dataset, FOLDER};
use crate::output::OutputFile;
use crate::site::Site;

/// The Table Schema of a table: every column with its type, meaning and constraints.
fn table_schema(columns: &[Column]) -> Value {
    let fields: Vec<Value> = columns
        .iter()
        .map(|c| {
            let mut field = json!({
                "name": c.name,
                "type": c.kind,
                "description": c.about,
            });
            let mut constraints = serde_json::Map::new();
            if let Some(pattern) = c.pattern {
                constraints.insert("pattern".into(), format!("({pattern})").into());
            }
            if !c.values.is_empty() {
                constraints.insert("enum".into(), json!(c.values));
            }
            if !constraints.is_empty() {
                field["constraints"] = Value::Object(constraints);
            }
            if c.kind == Kind::Boolean {
                field["trueValues"] = json!(["true"]);
                field["falseValues"] = json!(["false"]);
            }
            field
        })
        .collect();
    json!({ "fields": fields, "missingValues": [""] })
}

/// The two schemas and `datapackage.json`.
pub fn descriptor_files(site: &Site<'_>, sets: &[Dataset]) -> Vec<OutputFile> {
    let schema = |columns: &[Column]| {
        let mut bytes = serde_json::to_vec_pretty(&table_schema(columns)).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    };
    let mut package = serde_json::to_vec_pretty(&descriptor(site, sets)).unwrap_or_default();
    package.push(b'\n');
    vec![
        OutputFile {
            path: format!("{FOLDER}schemas/figures.json"),
            bytes: schema(super::columns::FIGURES),
        },
        OutputFile {
            path: format!("{FOLDER}schemas/comparators.json"),
            bytes: schema(COMPARATORS),
        },
        OutputFile {
            path: format!("{FOLDER}datapackage.json"),
            bytes: package,
        },
    ]
}

/// `datapackage.json`: the package, its sources (the archive's source documents) and a
/// resource for every CSV and JSON file.
fn descriptor(site: &Site<'_>, sets: &[Dataset]) -> Value {
    let sources: Vec<Value> = site
        .sources
        .values()
        .map(|s| json!({ "title": s.title }))
        .collect();
    let mut resources = Vec::new();
    for set in sets {
        for (_, stem, what) in set.tables() {
            for format in ["csv", "json"] {
                resources.push(resource(set, stem, what, format));
            }
        }
    }
    let mut package = json!({
        "profile": "tabular-data-package",
        "name": package_name(&site.config.title),
        "title": site.config.title,
        "description": site.config.description,
        "sources": sources,
        "resources": resources,
    });
    // The guidance page's address, where it can be absolute.
    if let Some(homepage) = site.info.absolute_url(FOLDER) {
        package["homepage"] = homepage.into();
    }
    package
}

/// One resource of the package: a table of a dataset, as CSV or JSON.
fn resource(set: &Dataset, stem: &str, what: &str, format: &str) -> Value {
    let name = match (set.name.as_str(), format) {
        ("", "csv") => stem.to_string(),
        ("", _) => format!("{stem}-{format}"),
        (name, "csv") => format!("{name}-{stem}"),
        (name, _) => format!("{name}-{stem}-{format}"),
    };
    let mut resource = json!({
        "profile": "tabular-data-resource",
        "name": name,
        "path": format!("{}{stem}.{format}", set.folder),
        "title": format!("{}: {what} ({})", set.title, format.to_uppercase()),
        "format": format,
        "encoding": "utf-8",
        "schema": format!("schemas/{stem}.json"),
    });
    if format == "csv" {
        resource["mediatype"] = "text/csv".into();
        resource["dialect"] = json!({
            "delimiter": ",",
            "lineTerminator": "\r\n",
            "quoteChar": "\"",
            "doubleQuote": true,
            "header": true,
        });
    } else {
        resource["mediatype"] = "application/json".into();
    }
    resource
}

/// A package name (lower case letters, digits, `-`) from the site's title.
fn package_name(title: &str) -> String {
    let mut name = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || c == '-') && !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    if name.is_empty() {
        "archive".into()
    } else {
        name.to_string()
    }
}

/// `all-data.zip`: every file of `/data/` so far (the package and what it describes), under
/// their paths in `/data/`, in path order, each dated 1 January 1980 and compressed alike, so
/// two builds give the same bytes.
pub fn zip(files: &[OutputFile]) -> OutputFile {
    let mut entries: Vec<&OutputFile> = files
        .iter()
        .filter(|f| f.path.starts_with(FOLDER))
        .collect();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for file in entries {
        let name = &file.path[FOLDER.len()..];
        // Writing to memory fails only on sizes no archive of figures reaches.
        if writer.start_file(name, options).is_ok() {
            let _ = writer.write_all(&file.bytes);
        }
    }
    let bytes = writer
        .finish()
        .map(|cursor| cursor.into_inner())
        .unwrap_or_default();
    OutputFile {
        path: format!("{FOLDER}all-data.zip"),
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zip_is_the_same_bytes_whatever_order_its_files_come_in() {
        let a = [
            OutputFile::new("data/b.csv", "b\r\n1\r\n"),
            OutputFile::new("data/a.csv", "a\r\n2\r\n"),
        ];
        let b = [
            OutputFile::new("data/a.csv", "a\r\n2\r\n"),
            OutputFile::new("data/b.csv", "b\r\n1\r\n"),
        ];
        assert_eq!(zip(&a).bytes, zip(&b).bytes);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip(&a).bytes)).expect("a zip");
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).expect("an entry").name().to_string())
            .collect();
        assert_eq!(names, ["a.csv", "b.csv"]);
    }

    #[test]
    fn package_names_are_lower_case_words_and_hyphens() {
        assert_eq!(
            package_name("Children's Social Care Performance Archive"),
            "childrens-social-care-performance-archive"
        );
        assert_eq!(package_name("—"), "archive");
    }
}

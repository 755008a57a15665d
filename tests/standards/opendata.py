#!/usr/bin/env python3
"""Checks a built site's open data (`/data/`) with the validators of its standards:

- `datapackage.json` and every table it describes, valid under Frictionless
  (`frictionless.validate`, the library behind `frictionless validate`): the Tabular Data
  Package profile, each resource's Table Schema (types, patterns, enums) row by row;
- every CSV file RFC 4180 as Python's `csv` module reads it, UTF-8, each line ending CRLF, its
  header the schema's fields in order; every JSON file the same rows as its CSV;
- every CSV and JSON file of `/data/` described by the package, and every resource's file there;
- `all-data.zip` a ZIP that Python's `zipfile` reads and tests, its entries in path order, each
  the bytes of the file of `/data/` of its name, with every file of the package in it; and the
  package extracted from it valid too (it needs nothing outside the ZIP).

Usage: python3 tests/standards/opendata.py SITE_DIR [SITE_DIR]...

Before the sites, the checks are shown to reject broken data (a number column holding words, a
CSV with LF line ends, a ZIP missing a file), so that their passing means something. The last
line is `opendata: N passed, M failed`; the exit code is 1 when anything failed.
"""

import csv
import io
import json
import pathlib
import shutil
import sys
import tempfile
import zipfile

sys.dont_write_bytecode = True  # keep the tests' folder free of __pycache__
from frictionless import validate  # noqa: E402
from tally import Tally  # noqa: E402


def frictionless_problems(package):
    """What Frictionless finds wrong with the package at `package`: empty when valid."""
    report = validate(str(package))
    problems = [f"{e.type}: {e.message}" for e in report.errors]
    for task in report.tasks:
        problems += [f"{task.name}: {e.type}: {e.message}" for e in task.errors[:3]]
    return problems


def csv_problems(file, fields):
    """Why the CSV `file` is not RFC 4180 with the header `fields`: empty when it is."""
    data = file.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return [f"not UTF-8: {e}"]
    problems = []
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append("starts with a byte order mark")
    if text.replace("\r\n", "").count("\n") or text.replace("\r\n", "").count("\r"):
        # a line break inside a quoted field is allowed: check outside them
        outside = []
        quoted = False
        for ch in text:
            if ch == '"':
                quoted = not quoted
            elif not quoted:
                outside.append(ch)
        bare = "".join(outside).replace("\r\n", "")
        if "\n" in bare or "\r" in bare:
            problems.append("a line does not end CRLF")
    if not text.endswith("\r\n"):
        problems.append("the last line does not end CRLF")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows or rows[0] != fields:
        problems.append(f"header {rows[0] if rows else None} is not the schema's {fields}")
    widths = {len(r) for r in rows}
    if len(widths) > 1:
        problems.append(f"rows of different widths: {sorted(widths)}")
    return problems


def json_problems(json_file, csv_file):
    """Why the JSON `json_file` does not hold the rows of `csv_file`: empty when it does."""
    rows = json.loads(json_file.read_text(encoding="utf-8"))
    with csv_file.open(encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    if len(rows) != len(table):
        return [f"{len(rows)} rows, its CSV {len(table)}"]
    for n, (obj, row) in enumerate(zip(rows, table), start=1):
        if list(obj) != list(row):
            return [f"row {n}: keys {list(obj)} are not the CSV's {list(row)}"]
        for key, value in obj.items():
            if not same_value(value, row[key]):
                return [f"row {n}, {key}: JSON {value!r}, CSV {row[key]!r}"]
    return []


def same_value(value, field):
    """Whether a JSON value and a CSV field say the same."""
    if value is None:
        return field == ""
    if isinstance(value, bool):
        return field == str(value).lower()
    if isinstance(value, (int, float)):
        try:
            return float(field) == float(value)
        except ValueError:
            return False
    return value == field


def zip_problems(data_dir, package):
    """Why `all-data.zip` is not every file of the package, byte for byte: empty when it is."""
    archive = data_dir / "all-data.zip"
    if not archive.is_file():
        return ["no all-data.zip"]
    problems = []
    with zipfile.ZipFile(archive) as z:
        bad = z.testzip()
        if bad:
            problems.append(f"entry {bad} is corrupt")
        names = z.namelist()
        if names != sorted(names):
            problems.append("entries are not in path order")
        for name in names:
            if z.read(name) != (data_dir / name).read_bytes():
                problems.append(f"{name} differs from /data/{name}")
        wanted = {r["path"] for r in package["resources"]} | {"datapackage.json"}
        wanted |= {r["schema"] for r in package["resources"] if isinstance(r.get("schema"), str)}
        missing = sorted(wanted - set(names))
        if missing:
            problems.append(f"missing {missing[:5]}")
        if not problems:
            with tempfile.TemporaryDirectory() as tmp:
                z.extractall(tmp)
                problems += [
                    f"extracted: {p}"
                    for p in frictionless_problems(pathlib.Path(tmp) / "datapackage.json")
                ]
    return problems


def check_site(tally, site):
    """Every check of the open data of the site built into `site`."""
    data_dir = site / "data"
    package_file = data_dir / "datapackage.json"
    if not package_file.is_file():
        tally.result(False, f"{site}: no data/datapackage.json")
        return
    package = json.loads(package_file.read_text(encoding="utf-8"))
    result(tally, frictionless_problems(package_file), f"{site}: Frictionless")
    described = set()
    for resource in package["resources"]:
        path = data_dir / resource["path"]
        described.add(resource["path"])
        schema = json.loads((data_dir / resource["schema"]).read_text(encoding="utf-8"))
        fields = [f["name"] for f in schema["fields"]]
        if resource["format"] == "csv":
            result(tally, csv_problems(path, fields), f"{site}: {resource['path']} RFC 4180")
        else:
            twin = path.with_suffix(".csv")
            result(tally, json_problems(path, twin), f"{site}: {resource['path']} is its CSV's rows")
    files = {
        str(p.relative_to(data_dir))
        for p in data_dir.rglob("*")
        if p.suffix in (".csv", ".json") and p.parent.name != "schemas" and p.name != "datapackage.json"
    }
    tally.result(
        files == described,
        f"{site}: every data file is described, and every resource is a file",
        [f"not described: {sorted(files - described)[:5]}", f"no file: {sorted(described - files)[:5]}"],
    )
    result(tally, zip_problems(data_dir, package), f"{site}: all-data.zip")


def result(tally, problems, label):
    """Counts one check: passed when `problems` is empty, else printed with them."""
    tally.result(not problems, label, problems)


def self_test(tally, site):
    """The checks reject broken data, so that their passing means something."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = pathlib.Path(tmp) / "data"
        shutil.copytree(site / "data", copy)
        figures = copy / "figures.csv"
        text = figures.read_bytes().decode("utf-8")
        lines = text.split("\r\n")
        header = lines[0].split(",")
        cells = next(csv.reader([lines[1]]))
        cells[header.index("value")] = "many"
        lines[1] = ",".join(f'"{c}"' for c in cells)
        figures.write_text("\r\n".join(lines), encoding="utf-8", newline="")
        result(tally, [] if frictionless_problems(copy / "datapackage.json") else ["passed"],
               "self-test: Frictionless rejects words in a number column")
        figures.write_text(text.replace("\r\n", "\n"), encoding="utf-8", newline="")
        fields = header
        result(tally, [] if csv_problems(figures, fields) else ["passed"],
               "self-test: a CSV with LF line ends is rejected")
        package = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
        archive = copy / "all-data.zip"
        with zipfile.ZipFile(site / "data" / "all-data.zip") as z, zipfile.ZipFile(archive, "w") as out:
            for name in z.namelist()[1:]:
                out.writestr(name, z.read(name))
        shutil.copy(site / "data" / "figures.csv", figures)
        result(tally, [] if zip_problems(copy, package) else ["passed"],
               "self-test: a ZIP missing a file is rejected")


def main(args):
    tally = Tally("opendata")
    sites = [pathlib.Path(a) for a in args]
    if not sites:
        print(__doc__)
        return 2
    self_test(tally, sites[0])
    for site in sites:
        check_site(tally, site)
    return tally.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

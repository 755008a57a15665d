#!/usr/bin/env python3
"""Validates every meeting's Open Civic Data event of built sites, as pupa validates a scraped
event (pupa/scrape/base.py, BaseModel.validate): the event schema of pupa (schemas/ocd/, a
copy), jsonschema's Draft3Validator with the types `date` and `datetime` redefined, and pupa's
`uri` format check (an http://, https:// or ftp:// URL without spaces).

Usage: python3 tests/standards/ocd.py SITE_DIR...

Each SITE_DIR is a site built with a base URL that has a host (`--base-url https://…`), and must
hold at least one `minutes/**/meeting.json`. Besides the schema, which (being Draft 3) requires
no property, each event must have what pupa's Event always writes and Open Civic Data requires:
a `start_date` string and at least one source; and every `url` anywhere in it, `extras`
included, must pass the same `uri` check.

Before the sites, the check is shown to reject broken events (a null start_date, a note that
is not a string, a relative source URL, no source, a relative URL in `extras`), so that its
passing means something. The last line is `ocd: N passed, M failed`; the exit code is 1 when
anything failed.
"""


import copy
import datetime
import json
import pathlib
import sys

sys.dont_write_bytecode = True  # keep the schemas' folder free of __pycache__
HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "schemas" / "ocd"))

import jsonschema  # noqa: E402
from jsonschema import Draft3Validator, FormatChecker  # noqa: E402

from pupa_schemas.event import schema as EVENT_SCHEMA  # noqa: E402
from tally import Tally  # noqa: E402


def check_uri(val):
    """pupa's `uri` format, as pupa/scrape/base.py defines it."""
    return val and val.startswith(("http://", "https://", "ftp://")) and " " not in val


def pupa_validator(schema):
    """The validator pupa's BaseModel.validate builds. pupa registers `check_uri` on the
    FormatChecker class (`FormatChecker.cls_checks`, deprecated in jsonschema 4); registering it
    on the one instance used is the same check without touching the class."""
    type_checker = Draft3Validator.TYPE_CHECKER.redefine(
        "datetime", lambda c, d: isinstance(d, (datetime.date, datetime.datetime))
    )
    type_checker = type_checker.redefine(
        "date",
        lambda c, d: (
            isinstance(d, datetime.date) and not isinstance(d, datetime.datetime)
        ),
    )
    validator_cls = jsonschema.validators.extend(Draft3Validator, type_checker=type_checker)
    format_checker = FormatChecker()
    format_checker.checks("uri")(check_uri)
    return validator_cls(schema, format_checker=format_checker)


VALIDATOR = pupa_validator(EVENT_SCHEMA)


def urls(value, where="event"):
    """Every (place, value) of a `url` key anywhere in `value`."""
    if isinstance(value, dict):
        for key, inner in value.items():
            place = f"{where}.{key}"
            if key == "url":
                yield place, inner
            yield from urls(inner, place)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from urls(inner, f"{where}[{i}]")


def problems(event):
    """Why `event` is not a valid Open Civic Data event: empty when it is."""
    found = []
    for error in VALIDATOR.iter_errors(event):
        path = "".join(f"[{p!r}]" for p in error.absolute_path)
        found.append(f"schema: event{path}: {error.message}")
    if not isinstance(event, dict):
        return found or ["not a JSON object"]
    if not isinstance(event.get("start_date"), str):
        found.append("start_date: missing or not a string (an undated event's is \"\")")
    if not event.get("sources"):
        found.append("sources: missing or empty (an event needs at least one source)")
    for place, url in urls(event):
        if not (isinstance(url, str) and check_uri(url)):
            found.append(f"{place}: {url!r} is not an absolute http(s) URL")
    return found


def broken_variants(event):
    """(what is broken, event) pairs the check must reject, made from a valid event."""

    def changed(change):
        broken = copy.deepcopy(event)
        change(broken)
        return broken

    def set_note(e):
        if not e.get("agenda"):
            e["agenda"] = [{"description": "An item"}]
        e["agenda"][0]["notes"] = [{"description": "a note as an object"}]

    def relative_extras_url(e):
        e.setdefault("extras", {})["actions"] = [{"raised_at": {"url": "/minutes/x/#a"}}]

    return [
        ("start_date null", changed(lambda e: e.__setitem__("start_date", None))),
        ("start_date 2024-9", changed(lambda e: e.__setitem__("start_date", "2024-9"))),
        ("a note that is an object", changed(set_note)),
        (
            "a relative source URL",
            changed(lambda e: e.__setitem__("sources", [{"url": "/minutes/", "note": ""}])),
        ),
        ("no source", changed(lambda e: e.pop("sources", None))),
        ("an empty list of sources", changed(lambda e: e.__setitem__("sources", []))),
        ("a relative URL in extras", changed(relative_extras_url)),
        ("an unknown status", changed(lambda e: e.__setitem__("status", "held"))),
    ]


def main(sites):
    if not sites:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: python3 tests/standards/ocd.py SITE_DIR...", file=sys.stderr)
        return 2
    tally = Tally("ocd")
    result = tally.result

    events = []
    for site in sites:
        files = sorted(pathlib.Path(site).glob("minutes/**/meeting.json"))
        result(bool(files), f"{site}: has meetings' JSON", ["no minutes/**/meeting.json found"])
        for file in files:
            try:
                event = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                result(False, str(file), [f"not JSON: {e}"])
                continue
            events.append(event)
            result(not problems(event), str(file), problems(event))
    # The check rejects what it must: each way of breaking a valid event.
    valid = next((e for e in events if not problems(e)), None)
    if valid is None:
        result(False, "rejects broken events", ["no valid event to break"])
    else:
        for what, broken in broken_variants(valid):
            result(bool(problems(broken)), f"rejects an event with {what}", ["it was accepted"])
    return tally.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Checks a built site's meetings calendar, `meetings.ics` (iCalendar, RFC 5545), with the
`icalendar` package: it parses; every line ends CRLF and is at most 75 octets (folded); the
calendar has VERSION 2.0 and PRODID; there is one VEVENT for each meeting whose minutes give
the day (a meeting folder `minutes/<committee>/YYYY-MM-DD/`), none for the others; each event
has a unique UID, DTSTAMP, an all-day DTSTART (a DATE) on the meeting's day with DTEND the day
after, SUMMARY, DESCRIPTION and a URL, absolute under the base URL, naming the meeting's page;
and /minutes/ links the calendar.

Usage: python3 tests/standards/ics.py SITE_DIR BASE_URL [SITE_DIR BASE_URL]...

With a base URL without a host (`/`, `/archive/`) the events' URLs could not be absolute, so
there must be no meetings.ics and no link to one.

Before the sites, the checks are shown to reject a calendar with an unfolded long line, one
with LF line ends and one whose event has no UID, so that their passing means something. The
last line is `calendar: N passed, M failed`; the exit code is 1 when anything failed.
"""

import datetime
import pathlib
import re
import sys

sys.dont_write_bytecode = True  # keep the tests' folder free of __pycache__
import icalendar  # noqa: E402
from tally import Tally  # noqa: E402

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REQUIRED = ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "URL"]


def dated_meetings(site):
    """The site paths of the meetings whose minutes give the day: `minutes/<committee>/<day>/`."""
    minutes = site / "minutes"
    if not minutes.is_dir():
        return set()
    return {
        f"minutes/{folder.parent.name}/{folder.name}/"
        for folder in minutes.glob("*/*")
        if folder.is_dir() and DAY.match(folder.name) and (folder / "index.html").is_file()
    }


def line_problems(raw):
    """Problems of the calendar's lines as bytes: CRLF ends, at most 75 octets each."""
    found = []
    if not raw.endswith(b"\r\n"):
        found.append("the calendar does not end with CRLF")
    lines = raw.split(b"\r\n")
    for n, line in enumerate(lines[:-1] if raw.endswith(b"\r\n") else lines, 1):
        if b"\n" in line or b"\r" in line:
            found.append(f"line {n} has a bare LF or CR: {line[:40]!r}")
        if len(line) > 75:
            found.append(f"line {n} is {len(line)} octets, more than 75: {line[:40]!r}")
    return found


def calendar_problems(site, base_url, raw):
    """Problems of one calendar's bytes, as `icalendar` reads it, against the site's meetings."""
    found = line_problems(raw)
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except ValueError as why:
        return found + [f"icalendar cannot read it: {why}"]
    if str(calendar.get("VERSION")) != "2.0" or not calendar.get("PRODID"):
        found.append("the calendar lacks VERSION:2.0 or PRODID")
    events = list(calendar.walk("VEVENT"))
    uids = [str(e.get("UID")) for e in events]
    if len(set(uids)) != len(uids):
        found.append(f"UIDs are not unique: {uids}")
    paths = []
    for event in events:
        label = event.get("UID") or event.get("SUMMARY")
        missing = [p for p in REQUIRED if p not in event]
        if missing:
            found.append(f"event {label}: no {', '.join(missing)}")
            continue
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND")
        if isinstance(start, datetime.datetime) or not isinstance(start, datetime.date):
            found.append(f"event {label}: DTSTART is not an all-day DATE: {start!r}")
            continue
        if end != start + datetime.timedelta(days=1):
            found.append(f"event {label}: DTEND {end} is not the day after DTSTART {start}")
        url = str(event.get("URL"))
        if not url.startswith(base_url):
            found.append(f"event {label}: URL {url} is not an absolute URL under {base_url}")
            continue
        path = url[len(base_url):]
        paths.append(path)
        if not path.endswith(f"/{start.isoformat()}/"):
            found.append(f"event {label}: DTSTART {start} is not the day of {path}")
    wanted = dated_meetings(site)
    if set(paths) != wanted or len(paths) != len(wanted):
        found.append(
            f"events for {sorted(paths)}, but the meetings with a day are {sorted(wanted)}"
        )
    return found


EVENT = (
    "BEGIN:VEVENT\r\nUID:u\r\nDTSTAMP:20221117T000000Z\r\nDTSTART;VALUE=DATE:20221117\r\n"
    "DTEND;VALUE=DATE:20221118\r\nSUMMARY:s\r\nDESCRIPTION:d\r\nURL:https://e.org/m/c/2022-11-17/\r\n"
    "END:VEVENT\r\n"
)
CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{}END:VCALENDAR\r\n"
SELF_TESTS = [
    ("a line over 75 octets is refused", "more than 75",
     CALENDAR.format(EVENT.replace("SUMMARY:s", "SUMMARY:" + "s" * 80))),
    ("LF line ends are refused", "bare LF", CALENDAR.format(EVENT).replace("\r\n", "\n")),
    ("an event without UID is refused", "no UID", CALENDAR.format(EVENT.replace("UID:u\r\n", ""))),
]


def main(args):
    if not args or len(args) % 2:
        print("usage: python3 tests/standards/ics.py SITE_DIR BASE_URL [SITE_DIR BASE_URL]...",
              file=sys.stderr)
        return 2
    tally = Tally("calendar")
    result = tally.result

    for label, keyword, text in SELF_TESTS:
        problems = calendar_problems(pathlib.Path("."), "https://e.org/", text.encode())
        result(any(keyword in p for p in problems), label, [f"it was accepted: {problems}"])

    for site, base_url in zip(args[::2], args[1::2]):
        site = pathlib.Path(site)
        ics = site / "meetings.ics"
        index = site / "minutes" / "index.html"
        linked = index.is_file() and "meetings.ics" in index.read_text(encoding="utf-8")
        if base_url.startswith("/") or not dated_meetings(site):
            result(not ics.exists(), f"{site}: no meetings.ics (no host, or no meeting with a day)",
                   [f"{ics} was written"])
            result(not linked, f"{site}: /minutes/ links no calendar", ["it links meetings.ics"])
            continue
        if not ics.is_file():
            result(False, f"{site}: meetings.ics", ["no meetings.ics"])
            continue
        problems = calendar_problems(site, base_url, ics.read_bytes())
        result(not problems, f"{ics}: iCalendar, one event a meeting with a day", problems)
        result(linked, f"{site}: /minutes/ links the calendar", ["it does not"])
    return tally.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

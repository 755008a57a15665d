#!/usr/bin/env python3
"""Checks a built site's Atom feeds (RFC 4287) with feedparser: `feed.xml`, and every other
`**/feed.xml` (a committee's), parsed without `bozo` (the parser's flag for a feed that is not
well formed), `updated` on the feed and on every entry, entries newest first, ids unique and
absolute URLs under the base URL, every entry's link naming a page of the built site; every
HTML page linking the site's feed in its head (`<link rel="alternate"
type="application/atom+xml">`) and every feed it links existing.

Usage: python3 tests/standards/feeds.py SITE_DIR BASE_URL [SITE_DIR BASE_URL]...

BASE_URL is the one the site was built with. With a path alone (`/`, `/archive/`) a feed's ids
could not be absolute, so there must be no feed.xml, and no page may link one.

Before the sites, the checks are shown to reject a feed that is not well formed, a relative
id, and entries oldest first, so that their passing means something. The last line is
`feeds: N passed, M failed`; the exit code is 1 when anything failed.
"""

import html.parser
import pathlib
import sys

sys.dont_write_bytecode = True  # keep the tests' folder free of __pycache__
import feedparser  # noqa: E402
from tally import Tally  # noqa: E402

ATOM = "application/atom+xml"


def page_file(site, base_url, url):
    """The file of the built site that `url` names, or None when it is not under `base_url`."""
    if not url.startswith(base_url):
        return None
    path = url[len(base_url):].split("#", 1)[0]
    return site / (path + "index.html" if path == "" or path.endswith("/") else path)


def feed_problems(site, base_url, text):
    """Problems of one feed's text, as feedparser reads it."""
    parsed = feedparser.parse(text)
    found = []
    if parsed.bozo:
        found.append(f"feedparser: not well formed: {parsed.get('bozo_exception')}")
        return found
    if parsed.version != "atom10":
        found.append(f"feedparser reads it as {parsed.version!r}, not Atom 1.0")
    if not parsed.feed.get("updated_parsed"):
        found.append("the feed has no <updated>")
    if not parsed.feed.get("id", "").startswith(base_url):
        found.append(f"the feed's id {parsed.feed.get('id')!r} is not an absolute URL under {base_url}")
    if not parsed.entries:
        found.append("the feed has no entry")
    ids = [e.get("id", "") for e in parsed.entries]
    for entry in parsed.entries:
        label = entry.get("id") or entry.get("title")
        if not entry.get("updated_parsed"):
            found.append(f"entry {label}: no <updated>")
        if not entry.get("id", "").startswith(base_url):
            found.append(f"entry {label}: its id is not an absolute URL under {base_url}")
        target = page_file(site, base_url, entry.get("link", ""))
        if target is None or not target.is_file():
            found.append(f"entry {label}: its link {entry.get('link')!r} names no page of the site")
        if not entry.get("title") or not entry.get("summary"):
            found.append(f"entry {label}: no title or no summary")
        published = entry.get("published_parsed")
        if published and entry.get("updated_parsed") and entry.updated_parsed < published:
            found.append(f"entry {label}: updated before it was published")
    if len(set(ids)) != len(ids):
        found.append(f"ids are not unique: {ids}")
    updated = [e.get("updated_parsed") for e in parsed.entries if e.get("updated_parsed")]
    if updated != sorted(updated, reverse=True):
        found.append("entries are not newest first")
    return found


class FeedLinks(html.parser.HTMLParser):
    """The hrefs of a page's `<link rel="alternate" type="application/atom+xml">`."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("type") == ATOM:
            self.hrefs.append(attrs.get("href", ""))


def feed_links(page):
    """The feeds a page links to, as written."""
    parser = FeedLinks()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parser.hrefs


def is_redirect(page):
    """Whether `page` is the redirect page of an alias, which has no feed link."""
    return '<meta http-equiv="refresh"' in page.read_text(encoding="utf-8", errors="replace")


def base_path(base_url):
    """The path of a base URL: `/archive/` of `https://example.github.io/archive/`."""
    if base_url.startswith("/"):
        return base_url
    return "/" + base_url.split("://", 1)[1].split("/", 1)[1]


def link_problems(site, base_url, feeds):
    """Problems of the pages' feed links: each page links the site's feed (when there are
    feeds), and every feed linked is a feed the site has."""
    found = []
    base = base_path(base_url)
    site_feed = base + "feed.xml"
    for page in sorted(site.rglob("*.html")):
        if is_redirect(page):
            continue
        hrefs = feed_links(page)
        name = page.relative_to(site)
        if feeds and site_feed not in hrefs:
            found.append(f"{name} does not link the site's feed {site_feed}")
        for href in hrefs:
            if not href.startswith(base) or not (site / href[len(base):]).is_file():
                found.append(f"{name} links {href}, which is no feed of the site")
    return found


SELF_TESTS = [
    ("a feed that is not well formed is refused", "not well formed", "<feed xmlns='http://www.w3.org/2005/Atom'><title>x</feed>"),
    (
        "a relative id is refused",
        "id is not",
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>x</title><id>https://e.org/feed.xml</id>"
        "<updated>2022-01-01T00:00:00Z</updated><entry><title>t</title><id>/reports/</id>"
        "<link href='https://e.org/'/><summary>s</summary><updated>2022-01-01T00:00:00Z</updated></entry></feed>",
    ),
    (
        "entries oldest first are refused",
        "newest first",
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>x</title><id>https://e.org/feed.xml</id>"
        "<updated>2022-02-01T00:00:00Z</updated>"
        "<entry><title>t</title><id>https://e.org/a</id><link href='https://e.org/'/><summary>s</summary>"
        "<updated>2022-01-01T00:00:00Z</updated></entry>"
        "<entry><title>t</title><id>https://e.org/b</id><link href='https://e.org/'/><summary>s</summary>"
        "<updated>2022-02-01T00:00:00Z</updated></entry></feed>",
    ),
]


def main(args):
    if not args or len(args) % 2:
        print("usage: python3 tests/standards/feeds.py SITE_DIR BASE_URL [SITE_DIR BASE_URL]...",
              file=sys.stderr)
        return 2
    tally = Tally("feeds")
    result = tally.result

    # The checks reject what they must (the site is this folder: every link would be missing,
    # so only the named fault is looked for).
    for label, keyword, text in SELF_TESTS:
        problems = feed_problems(pathlib.Path("."), "https://e.org/", text)
        result(any(keyword in p for p in problems), label, [f"it was accepted: {problems}"])

    for site, base_url in zip(args[::2], args[1::2]):
        site = pathlib.Path(site)
        feeds = sorted(site.rglob("feed.xml"))
        if base_url.startswith("/"):
            result(not feeds, f"{site}: no feed at a base URL without a host",
                   [f"{f} was written, its ids relative" for f in feeds])
            problems = link_problems(site, base_url, feeds)
            result(not problems, f"{site}: no page links a feed", problems)
            continue
        result((site / "feed.xml").is_file(), f"{site}: feed.xml", ["no feed.xml"])
        for feed in feeds:
            problems = feed_problems(site, base_url, feed.read_bytes())
            result(not problems, f"{feed}: Atom 1.0, as feedparser reads it", problems)
        problems = link_problems(site, base_url, feeds)
        result(not problems, f"{site}: every page links the site's feed", problems)
    return tally.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Checks the files a built site has for hosting and crawlers: `sitemap.xml` valid against the
sitemaps.org 0.9 schema (schemas/sitemap.xsd, a copy, with `xmllint --noout --schema`), every
`<loc>` absolute, under the base URL and naming a page of the site, every page but 404.html
and the redirect pages of aliases listed, and no redirect page; `robots.txt` naming the sitemap by its absolute URL; `favicon.ico` at the site's root.

Usage: python3 tests/standards/hosting.py SITE_DIR BASE_URL [SITE_DIR BASE_URL]...

BASE_URL is the one the site was built with. With a host (`https://example.github.io/archive/`)
all of the above is required. With a path alone (`/`, `/archive/`) a sitemap's URLs could not be
absolute, so there must be no sitemap.xml, and robots.txt must name none.

Before the sites, the checks are shown to reject a broken sitemap (a `<url>` without `<loc>`)
and a relative `<loc>`, so that their passing means something. The last line is
`hosting: N passed, M failed`; the exit code is 1 when anything failed.
"""


import pathlib
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # keep the tests' folder free of __pycache__
from tally import Tally  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
XSD = HERE / "schemas" / "sitemap.xsd"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def xmllint(file):
    """Problems `xmllint --schema` finds in `file`: empty when it is valid."""
    run = subprocess.run(
        ["xmllint", "--noout", "--schema", str(XSD), str(file)],
        capture_output=True,
        text=True,
    )
    if run.returncode == 0:
        return []
    return [line for line in run.stderr.splitlines() if line.strip()] or [
        f"xmllint exited with {run.returncode}"
    ]


def locs(file):
    """The text of every `<loc>` of a sitemap."""
    return [el.text or "" for el in ET.parse(file).getroot().iterfind("sm:url/sm:loc", NS)]


def unindexed(page):
    """Why `page` must not be in the sitemap, or None: the redirect page of an alias (a refresh
    to its page, not indexed), or a superseded version of a report (not indexed)."""
    text = page.read_text(encoding="utf-8", errors="replace")
    if '<meta name="robots" content="noindex">' not in text:
        return None
    return "a redirect page" if '<meta http-equiv="refresh"' in text else "a page not to be indexed"


def loc_problems(site, base_url, file):
    """Problems of the sitemap's `<loc>`s: each absolute, under `base_url`, naming a page the
    site has; every page of the site listed but 404.html, the redirect pages and the superseded
    versions of reports, which are not."""
    found = []
    listed = set()
    for loc in locs(file):
        if not loc.startswith(("http://", "https://")):
            found.append(f"<loc>{loc}</loc> is not an absolute URL")
            continue
        if not loc.startswith(base_url):
            found.append(f"<loc>{loc}</loc> is not under the base URL {base_url}")
            continue
        path = loc[len(base_url):]
        target = site / (path + "index.html" if path == "" or path.endswith("/") else path)
        if not target.is_file():
            found.append(f"<loc>{loc}</loc> names no page of the site ({target} is missing)")
        listed.add(target.resolve())
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html" and page.parent == site:
            continue
        why = unindexed(page)
        if why:
            if page.resolve() in listed:
                found.append(f"{page.relative_to(site)} is {why} and is in the sitemap")
            continue
        if page.resolve() not in listed:
            found.append(f"{page.relative_to(site)} is not in the sitemap")
    return found


def robots_sitemaps(site):
    """The `Sitemap:` lines of robots.txt, or None when there is no robots.txt."""
    robots = site / "robots.txt"
    if not robots.is_file():
        return None
    return [
        line.split(":", 1)[1].strip()
        for line in robots.read_text(encoding="utf-8").splitlines()
        if line.lower().startswith("sitemap:")
    ]


def main(args):
    if not args or len(args) % 2:
        print("usage: python3 tests/standards/hosting.py SITE_DIR BASE_URL [SITE_DIR BASE_URL]...",
              file=sys.stderr)
        return 2
    if shutil.which("xmllint") is None:
        print("hosting: xmllint is missing (Debian: apt-get install libxml2-utils)")
        print("hosting: 0 passed, 1 failed")
        return 1
    tally = Tally("hosting")
    result = tally.result

    # The checks reject what they must.
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        broken = tmp / "broken.xml"
        broken.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="{NS["sm"]}"><url><lastmod>2024-01-01</lastmod></url></urlset>\n',
            encoding="utf-8",
        )
        result(bool(xmllint(broken)), "xmllint rejects a <url> without <loc>", ["it was accepted"])
        relative = tmp / "relative.xml"
        relative.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="{NS["sm"]}"><url><loc>/reports/2022-23/q2/</loc></url></urlset>\n',
            encoding="utf-8",
        )
        result(
            bool(loc_problems(tmp, "https://example.github.io/", relative)),
            "a relative <loc> is refused",
            ["it was accepted"],
        )

    for site, base_url in zip(args[::2], args[1::2]):
        site = pathlib.Path(site)
        sitemap = site / "sitemap.xml"
        sitemaps = robots_sitemaps(site)
        result(sitemaps is not None, f"{site}: robots.txt", ["no robots.txt"])
        result((site / "favicon.ico").is_file(), f"{site}: favicon.ico", ["no favicon.ico"])
        if base_url.startswith("/"):
            # No host: no absolute URL can be made, so no sitemap.
            result(not sitemap.exists(), f"{site}: no sitemap at a base URL without a host",
                   [f"{sitemap} was written, its URLs relative"])
            result(sitemaps in (None, []), f"{site}: robots.txt names no sitemap",
                   [f"it names {sitemaps}"])
            continue
        if not sitemap.is_file():
            result(False, f"{site}: sitemap.xml", ["no sitemap.xml"])
            continue
        result(not xmllint(sitemap), f"{sitemap}: valid against sitemaps.org 0.9", xmllint(sitemap))
        result(not loc_problems(site, base_url, sitemap), f"{sitemap}: every <loc>",
               loc_problems(site, base_url, sitemap))
        expected = base_url + "sitemap.xml"
        result(sitemaps == [expected], f"{site}: robots.txt names {expected}",
               [f"it names {sitemaps}"])
    return tally.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

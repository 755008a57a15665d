#!/usr/bin/env bash
# Runs every test of scrutiny, installing what the tests need on a fresh machine:
#   formatting and lints; unit tests; the end-to-end tests (shipped site, bad-input corpus,
#   determinism, base path); then the browser suite (axe-core in Chromium, the Nu HTML Checker,
#   links and anchors, reflow at 320 px) over the shipped site served at / and under /archive/,
#   over the shipped site with the clerk fixture (tests/fixtures/clerk-workflow) added, over
#   the shipped site with the hostile-content fixture (tests/fixtures/hostile-content) added, with
#   a probe that fails any page where script from content runs or is present, and over the
#   shipped site with the youth-justice fixture (tests/fixtures/youth-justice: a synthetic
#   section declared in TOML) added, and over the shipped site with the archive fixture
#   (tests/fixtures/archive-quarters: synthetic quarters, a corrected figure and its superseded
#   versions, a restatement) added, at / and under /archive/, and with the aliases fixture
#   (tests/fixtures/aliases: a page, a report and a meeting with aliases, whose redirect pages
#   are checked as pages) added, under /archive/. Between the builds and the browser suite, the
#   standards checks (tests/standards): every meeting's JSON against the Open Civic Data event schema as
#   pupa validates it, and the sitemap against the sitemaps.org schema, with robots.txt and the
#   favicon, and the Atom feeds (feedparser) and the meetings' calendar (icalendar), of the sites
#   built with a base URL that has a host (and their absence where it has none), and the open
#   data of /data/ under Frictionless (the Data Package and every table it describes), with each
#   CSV read as RFC 4180, each JSON file against its CSV, and the ZIP.
#   Search is used as a reader would (tests/browser/search.mjs: "missing", "Janet Simon", each
#   result landing on its anchor; the page without JavaScript) at / and under /archive/.
# The last line sums every check: `all: N passed, M failed`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "== $*"; }
results="$(mktemp)"
trap 'rm -f "$results"' EXIT

log "installing browser-test dependencies (Chromium, Java, npm packages) where missing"
bash tests/browser/setup.sh
log "installing standards-check dependencies (xmllint, Python's jsonschema in a venv) where missing"
python="$(bash tests/standards/setup.sh)"

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

# The fuzz target is a workspace of its own (libFuzzer needs nightly to run it): checked here
# so that it keeps up with the plugin API.
log "cargo check of the fuzz target"
(cd fuzz && cargo check --quiet)

# Search is a default feature: the CLI must build without it too.
log "cargo check without the search feature"
cargo check --quiet -p scrutiny --no-default-features

log "cargo test"
cargo test --workspace 2>&1 | tee -a "$results"

log "building the shipped site at / and under /archive/"
cargo build --release --quiet
rm -rf target/site
target/release/scrutiny build --out target/site/root
target/release/scrutiny build --out target/site/archive --base-url https://example.github.io/archive/
# A fixture's files laid over a copy of the shipped site, in target/site/NAME-src:
# `NAME.append` is added to the end of NAME, and the fixture's README is not content.
fixture_site() {
  local name=$1 fixture=$2
  mkdir -p "target/site/$name-src"
  cp -r site.toml content data themes "target/site/$name-src/"
  cp -r "tests/fixtures/$fixture/." "target/site/$name-src/"
  rm -f "target/site/$name-src/README.md"
  (cd "target/site/$name-src" && find . -name '*.append' | while read -r f; do cat "$f" >> "${f%.append}"; rm "$f"; done)
}
# The clerk fixture: synthetic meetings with every action status, month-only and year-only
# dates, resolutions in lists and bold keywords. Built for a host at its root, so that it has a
# sitemap and its meetings their Open Civic Data events.
fixture_site clerk clerk-workflow
target/release/scrutiny build --root target/site/clerk-src --out "$PWD/target/site/clerk" --base-url https://example.github.io/
# The hostile-content fixture: synthetic content that tries to run script in every place
# content reaches a page.
fixture_site hostile hostile-content
target/release/scrutiny build --root target/site/hostile-src --out "$PWD/target/site/hostile"
# The youth-justice fixture: a synthetic section declared in TOML (sections/youth-justice.toml)
# with a synthetic report of its own, Q4 2019-20.
fixture_site youth-justice youth-justice
target/release/scrutiny build --root target/site/youth-justice-src --out "$PWD/target/site/youth-justice"
# The archive fixture: four synthetic quarters with a corrected figure (and its superseded
# versions), a restatement and an old address, at / and under /archive/.
fixture_site quarters archive-quarters
target/release/scrutiny build --root target/site/quarters-src --out "$PWD/target/site/quarters"
target/release/scrutiny build --root target/site/quarters-src --out "$PWD/target/site/quarters-archive" --base-url https://example.github.io/archive/
# The shipped site with the aliases fixture over it: a synthetic page, report and meeting with
# aliases, each old address a redirect page. Built under /archive/ with a host, so that the
# redirects' links carry the base path and the sitemap (which must leave them out) is written.
fixture_site aliases aliases
target/release/scrutiny build --root target/site/aliases-src --out "$PWD/target/site/aliases" --base-url https://example.github.io/archive/

status=0
log "standards: every meeting's JSON against the Open Civic Data event schema (pupa, Draft 3)"
"$python" tests/standards/ocd.py target/site/archive target/site/clerk 2>&1 | tee -a "$results" || status=1
log "standards: sitemap.xml (sitemaps.org 0.9), robots.txt, favicon.ico"
"$python" tests/standards/hosting.py \
  target/site/archive https://example.github.io/archive/ \
  target/site/clerk https://example.github.io/ \
  target/site/quarters-archive https://example.github.io/archive/ \
  target/site/aliases https://example.github.io/archive/ \
  target/site/root / 2>&1 | tee -a "$results" || status=1
log "standards: open data (Frictionless Data Package, RFC 4180 CSV, JSON, all-data.zip)"
"$python" tests/standards/opendata.py \
  target/site/root target/site/archive target/site/quarters-archive target/site/youth-justice \
  target/site/aliases \
  2>&1 | tee -a "$results" || status=1
log "standards: the Atom feeds (feedparser) and the meetings' calendar (icalendar)"
follow_sites=(
  target/site/archive https://example.github.io/archive/
  target/site/clerk https://example.github.io/
  target/site/quarters-archive https://example.github.io/archive/
  target/site/aliases https://example.github.io/archive/
  target/site/root /
)
"$python" tests/standards/feeds.py "${follow_sites[@]}" 2>&1 | tee -a "$results" || status=1
"$python" tests/standards/ics.py "${follow_sites[@]}" 2>&1 | tee -a "$results" || status=1
log "browser suite, site at /"
node tests/browser/check-site.mjs target/site/root 2>&1 | tee -a "$results" || status=1
log "browser suite, site under /archive/"
node tests/browser/check-site.mjs target/site/archive --base /archive/ 2>&1 | tee -a "$results" || status=1
log "search, used as a reader would, at / and under /archive/"
node tests/browser/search.mjs target/site/root 2>&1 | tee -a "$results" || status=1
node tests/browser/search.mjs target/site/archive --base /archive/ 2>&1 | tee -a "$results" || status=1
log "browser suite, shipped site with the clerk fixture"
node tests/browser/check-site.mjs target/site/clerk 2>&1 | tee -a "$results" || status=1
log "browser suite, shipped site with the hostile-content fixture"
node tests/browser/check-site.mjs target/site/hostile 2>&1 | tee -a "$results" || status=1
log "browser suite, shipped site with the youth-justice fixture (a section declared in TOML)"
node tests/browser/check-site.mjs target/site/youth-justice 2>&1 | tee -a "$results" || status=1
log "browser suite, shipped site with the archive fixture (quarters, versions, a restatement), at /"
node tests/browser/check-site.mjs target/site/quarters 2>&1 | tee -a "$results" || status=1
log "browser suite, shipped site with the archive fixture, under /archive/"
node tests/browser/check-site.mjs target/site/quarters-archive --base /archive/ 2>&1 | tee -a "$results" || status=1
log "browser suite, shipped site with the aliases fixture (redirect pages), under /archive/"
node tests/browser/check-site.mjs target/site/aliases --base /archive/ 2>&1 | tee -a "$results" || status=1

# Sum the closing line of each runner: cargo's `test result:` lines, the standards checks'
# `ocd:`, `hosting:`, `feeds:`, `calendar:` and `opendata:`, the browser suite's `browser:` and
# the search's `search:`.
totals="$(grep -E '^(test result|ocd|hosting|feeds|calendar|opendata|browser|search):' "$results" || true)"
passed=$(echo "$totals" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
failed=$(echo "$totals" | grep -Eo '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
[ "$failed" -eq 0 ] || status=1
echo "all: $passed passed, $failed failed"
exit $status

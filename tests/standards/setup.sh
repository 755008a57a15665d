#!/bin/bash
# setup.sh — idempotent installer for the standards checks (ocd.py, hosting.py, feeds.py, ics.py) on a fresh
# Debian 12 machine running as root.
#
# Installs xmllint (libxml2-utils) and Python 3 with venv only when missing, then the pinned
# PyPI packages of requirements.txt (jsonschema) into a virtual environment of their own,
# tests/standards/.venv, only when it is missing or older than requirements.txt: Debian's
# Python refuses pip installs into the system (PEP 668), and a venv keeps the versions pinned.
# Prints the venv's python, for the caller to run the checks with. With CI=true the output
# is kept quiet.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
quiet=false
[ "${CI:-}" = "true" ] && quiet=true

log() { $quiet || echo "setup: $*" >&2; }
# Run a command, its output on stderr; when quiet, shown only if it fails.
run() {
  if $quiet; then
    local out
    if ! out="$("$@" 2>&1)"; then
      echo "$out" >&2
      echo "setup: failed: $*" >&2
      return 1
    fi
  else
    "$@" >&2
  fi
}

apt_updated=false
apt_install() {
  if ! $apt_updated; then
    run apt-get update -qq
    apt_updated=true
  fi
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

if ! command -v xmllint >/dev/null 2>&1; then
  log "installing libxml2-utils (xmllint)"
  apt_install libxml2-utils
fi

if ! command -v python3 >/dev/null 2>&1; then
  log "installing python3"
  apt_install python3 python3-venv
fi

if [ ! -x "$venv/bin/python" ] || [ "$here/requirements.txt" -nt "$venv" ] \
    || ! "$venv/bin/python" -c 'import jsonschema, frictionless, feedparser, icalendar' >/dev/null 2>&1; then
  rm -rf "$venv"
  # Debian's python3 makes a venv only with python3-venv (ensurepip) installed.
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    log "installing python3-venv"
    apt_install python3-venv
    run python3 -m venv "$venv"
  fi
  log "pip install -r requirements.txt"
  run "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  touch "$venv"
else
  log "python venv up to date"
fi
echo "$venv/bin/python"

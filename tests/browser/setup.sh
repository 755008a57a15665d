#!/bin/bash
# setup.sh — idempotent installer for the browser checks (check-site.mjs) on a
# fresh Debian 12 machine running as root.
#
# Installs Debian's Chromium and a headless JRE (for the Nu HTML Checker) only
# when missing, then the pinned npm packages from package-lock.json only when
# node_modules is missing or older than the lock file. Browsers are never
# downloaded through Playwright: only package registries are reachable here.
# With CI=true the output is kept quiet.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
quiet=false
[ "${CI:-}" = "true" ] && quiet=true

log() { $quiet || echo "setup: $*"; }
# Run a command; when quiet, show its output only if it fails.
run() {
  if $quiet; then
    local out
    if ! out="$("$@" 2>&1)"; then
      echo "$out" >&2
      echo "setup: failed: $*" >&2
      return 1
    fi
  else
    "$@"
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

if [ ! -x /usr/bin/chromium ]; then
  log "installing chromium"
  apt_install chromium
fi

if ! command -v java >/dev/null 2>&1; then
  log "installing default-jre-headless"
  apt_install default-jre-headless
fi

if ! command -v node >/dev/null 2>&1; then
  echo "setup: node is required (v20 or newer)" >&2
  exit 1
fi

cd "$here"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  log "npm ci"
  # --ignore-scripts: vnu-jar's postinstall would try to download a Java
  # runtime from outside the package registries; the system java is used instead.
  run npm ci --no-audit --no-fund --ignore-scripts
  touch node_modules
else
  log "node_modules up to date"
fi
log "ready"

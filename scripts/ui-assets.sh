#!/usr/bin/env bash
# Installs the UI's npm packages (package.json / package-lock.json) when node_modules is missing or
# older than the lock file, then copies the files the pages use into host/CustomerAccess.Host/wwwroot/lib/
# (gitignored, like node_modules). run.sh and test.sh call this.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LIB=$ROOT/host/CustomerAccess.Host/wwwroot/lib
STAMP=$ROOT/node_modules/.customeraccess-installed

if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: install Node.js (20+) so the UI gets its styles and scripts." >&2
  exit 1
fi
if [ ! -f "$STAMP" ] || [ package-lock.json -nt "$STAMP" ] || [ package.json -nt "$STAMP" ]; then
  printf '\033[1m==>\033[0m %s\n' "Installing UI packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 || npm install --no-audit --no-fund --loglevel=error >/dev/null
  touch "$STAMP"
fi

GOVUK=node_modules/govuk-frontend/dist/govuk
mkdir -p "$LIB/govuk" "$LIB/htmx"
# GOV.UK Frontend styles without the crown: no crest, and no GDS Transport (a typeface licensed to
# GOV.UK services only): councils get the fallback, Arial.
sed -e 's/@font-face{font-family:GDS Transport[^}]*}//g' -e 's/"GDS Transport",//g' -e 's/GDS Transport,//g' \
  "$GOVUK/govuk-frontend.min.css" > "$LIB/govuk/govuk-frontend.min.css"
cp "$GOVUK/govuk-frontend.min.js" "$LIB/govuk/govuk-frontend.min.js"
cp node_modules/htmx.org/dist/htmx.min.js "$LIB/htmx/htmx.min.js"

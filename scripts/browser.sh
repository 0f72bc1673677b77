#!/usr/bin/env bash
# Makes sure headless Chromium is at /usr/bin/chromium for the browser tests (Playwright drives it;
# no browser download). test.sh calls this.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
printf '\033[1m==>\033[0m %s\n' "Chromium not found: installing it with apt-get (chromium)" >&2
if [ "$(id -u)" -ne 0 ]; then echo "Need root to apt-get install chromium; install it and retry." >&2; exit 1; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL cluster (and headless Chromium for browser
# tests), then prints one total line: "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
. scripts/pg.sh

RUN_ID=$$
TEST_PG=$ROOT/.data/test-pg-$RUN_ID
RESULTS=$ROOT/.data/test-results-$RUN_ID
mkdir -p "$ROOT/.data" "$RESULTS"

pg_ensure_installed
PORT=$(pg_free_port)
cleanup() {
  pg_stop "$TEST_PG"
  rm -rf "$TEST_PG"
}
trap cleanup EXIT
pg_init "$TEST_PG"
pg_start "$TEST_PG" "$PORT"
export CUSTOMERACCESS_TEST_PG="Host=127.0.0.1;Port=$PORT;Username=postgres"

if [ -f scripts/ui-assets.sh ]; then bash scripts/ui-assets.sh; fi
if [ -f scripts/browser.sh ]; then bash scripts/browser.sh; fi

say "Building the solution"
dotnet build CustomerAccess.sln -c Release -nologo -v q -clp:ErrorsOnly

status=0
for proj in $(grep -l 'Microsoft.NET.Test.Sdk' tests/*/*.csproj | sort); do
  name=$(basename "$proj" .csproj)
  say "Testing $name"
  if ! dotnet test "$proj" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$RESULTS"; then
    status=1
  fi
done

# dotnet test prints no grand total of its own: sum the counters of every results file.
read -r total passed failed skipped < <(python3 - "$RESULTS" <<'PY'
import sys, glob, re
t = p = f = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    m = re.search(r'<Counters total="(\d+)" executed="(\d+)" passed="(\d+)" failed="(\d+)"', open(path, encoding="utf-8").read())
    if m:
        t += int(m.group(1)); p += int(m.group(3)); f += int(m.group(4))
print(t, p, f, t - p - f)
PY
)
rm -rf "$RESULTS"
echo
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$total" -eq 0 ]; then echo "No test ran." >&2; exit 1; fi
if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ]; then exit 1; fi

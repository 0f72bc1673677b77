#!/usr/bin/env bash
# For developers: runs one test project (optionally filtered) against a throwaway PostgreSQL cluster.
#   scripts/test-some.sh tests/CustomerAccess.Host.Tests [dotnet-test-filter]
#   CONFIG=Debug builds into bin/Debug (leaves a running ./run.sh host's Release build alone)
# The README's test command (./test.sh) is still what proves a change: this is the quick loop.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/pg.sh
PROJECT=${1:?usage: scripts/test-some.sh tests/<Project> [filter]}
FILTER=${2:-}
DIR=$ROOT/.data/test-some-$$
pg_ensure_installed
PORT=$(pg_free_port)
cleanup() { pg_stop "$DIR"; rm -rf "$DIR"; }
trap cleanup EXIT
pg_init "$DIR"
pg_start "$DIR" "$PORT"
export CUSTOMERACCESS_TEST_PG="Host=127.0.0.1;Port=$PORT;Username=postgres"
if [ -f scripts/ui-assets.sh ]; then bash scripts/ui-assets.sh; fi
say "Testing $PROJECT${FILTER:+ ($FILTER)}"
if [ -n "$FILTER" ]; then
  dotnet test "$PROJECT" -c "${CONFIG:-Release}" -nologo --logger "console;verbosity=normal" --filter "$FILTER"
else
  dotnet test "$PROJECT" -c "${CONFIG:-Release}" -nologo --logger "console;verbosity=normal"
fi

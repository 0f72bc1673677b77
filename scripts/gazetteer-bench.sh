#!/usr/bin/env bash
# Import benchmark for the gazetteer (docs/benchmarks-gazetteer.md): a throwaway PostgreSQL
# cluster, the schema migrated by starting the host once, then the command-line import of a
# synthetic N-property DTF 7.3 extract, twice (the second run must change nothing).
# usage: scripts/gazetteer-bench.sh [N=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/pg.sh
N=${1:-100000}
DIR=$ROOT/.data/bench-pg-$$
FILE=$ROOT/.data/llpg-$N.csv
HOST_DLL=host/CustomerAccess.Host/bin/Release/net10.0/CustomerAccess.Host.dll
mkdir -p "$ROOT/.data"
pg_ensure_installed
PORT=$(pg_free_port)
HOST_PID=
cleanup() {
  if [ -n "$HOST_PID" ]; then kill "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; fi
  pg_stop "$DIR"; rm -rf "$DIR"
}
trap cleanup EXIT
pg_init "$DIR"
pg_start "$DIR" "$PORT"
pg_createdb "$PORT" customeraccess

say "Generating $N properties into $FILE"
python3 scripts/gen-llpg.py "$N" > "$FILE"
ls -la "$FILE"

say "Building"
dotnet build host/CustomerAccess.Host -c Release -nologo -v q -clp:ErrorsOnly

export ConnectionStrings__Admin="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=customeraccess"
export CustomerAccess__MasterKey=$(head -c 32 /dev/urandom | base64)
export CustomerAccess__SeedLocal=false
HTTP_PORT=$(pg_free_port)
say "Migrating (starting the host once)"
ASPNETCORE_URLS=http://127.0.0.1:$HTTP_PORT dotnet "$HOST_DLL" >/dev/null 2>&1 &
HOST_PID=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
kill "$HOST_PID"; wait "$HOST_PID" 2>/dev/null || true; HOST_PID=

for run in first second; do
  say "Import ($run run)"
  start=$(date +%s.%N)
  dotnet "$HOST_DLL" gazetteer-import --council bench "$FILE" | tail -c 300
  end=$(date +%s.%N)
  printf '%s run: %.1f s wall (process start included)\n' "$run" "$(echo "$end - $start" | bc)"
done

say "Lookup timings (EXPLAIN ANALYZE as the row-level-security role)"
for q in "postcode_key ~>=~ 'GL501' and postcode_key ~<~ ('GL501'||chr(127))" "search like '% ROSE %' and search like '% COTTAGE%'" "search like '% 17 %' and search like '% HIGH%' and search like '% STREET 1%'"; do
  psql -h 127.0.0.1 -p "$PORT" -U customeraccess_app -d customeraccess -At -c \
    "begin; select set_config('app.tenant_id','bench',true); explain (analyze, costs off) select uprn from customer.addresses where logical_status <> 8 and $q order by postcode_key limit 21; commit;" \
    | grep -E "Execution Time|Index|Seq Scan" | head -3
done

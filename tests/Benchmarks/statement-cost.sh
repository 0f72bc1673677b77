#!/usr/bin/env bash
# For developers: what the store's single-event statement costs the server at 4 writers, without .NET.
# pgbench (3 interleaved rounds, 10 s each) of: the raw version-checked insert, the store's statement
# (as tests/Benchmarks/run.sh has it), the same with the hash replaced by a constant, and the store's
# statement as the superuser (no row-level security). Needs tests/Benchmarks built in Release
# (tests/Benchmarks/run.sh builds it). Usage: tests/Benchmarks/statement-cost.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/pg.sh
BENCH_PG=$ROOT/.data/prof-pg-$$; WORK=$ROOT/.data/prof-work-$$; mkdir -p "$WORK"
pg_ensure_installed
PORT=$(pg_free_port)
cleanup() { pg_stop "$BENCH_PG"; rm -rf "$BENCH_PG" "$WORK"; }
trap cleanup EXIT
pg_init "$BENCH_PG"; pg_start "$BENCH_PG" "$PORT"
CLUSTER="Host=127.0.0.1;Port=$PORT;Username=postgres"
dotnet tests/Benchmarks/bin/Release/net10.0/CustomerAccess.Benchmarks.dll $CLUSTER setup >/dev/null
PSQL="$PG_BIN/psql -h 127.0.0.1 -p $PORT -U postgres -v ON_ERROR_STOP=1 -q"
$PSQL -c "create database raw_bench" postgres
$PSQL raw_bench -c "create table raw_events (position bigint generated always as identity primary key, stream_id text not null, stream_version bigint not null, event_id uuid not null, data jsonb not null, recorded_at timestamptz not null default clock_timestamp(), unique (stream_id, stream_version));"
sed -n '/cat > "\$WORK\/append.sql"/,/^SQL$/p' tests/Benchmarks/run.sh | sed '1d;$d' > $WORK/append.sql
sed -n '/cat > "\$WORK\/store_sql.sql"/,/^SQL$/p' tests/Benchmarks/run.sh | sed '1d;$d' > $WORK/store_sql.sql
# Variant: no hash (constant), everything else the same.
python3 - "$WORK" <<'PY'
import sys,re
w=sys.argv[1]; s=open(w+'/store_sql.sql').read()
a=s.index('  sha256('); b=s.index("'UTF8'))")+len("'UTF8'))")
open(w+'/nohash.sql','w').write(s[:a]+"  '\\x00'::bytea"+s[b:])
PY
chmod -R o+rX "$WORK"
run() { # name user db script pgoptions
  local out; out=$(pg_as_owner env PGOPTIONS="${5:-}" "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U "$2" -n -M prepared -c 4 -j 2 -T 10 -D run="$1-$r" -f "$4" "$3" 2>&1 | grep -E "^tps" | head -1)
  echo "$1: $out"
}
for r in 1 2 3; do
  say "Round $r of 3, 4 writers"
  run raw postgres raw_bench $WORK/append.sql
  run store customeraccess_app ca_bench $WORK/store_sql.sql "-c app.tenant_id=bench-council"
  run nohash customeraccess_app ca_bench $WORK/nohash.sql "-c app.tenant_id=bench-council"
  run store_norls postgres ca_bench $WORK/store_sql.sql "-c app.tenant_id=bench-council"
done

#!/usr/bin/env bash
# Event store benchmarks on a throwaway PostgreSQL cluster (like ../../test.sh): append throughput
# through EventSession at 1, 4 and 16 writers next to pgbench running an equivalent plain-table
# insert with a version check on the same cluster, then global-log read throughput.
#   BENCH_SECONDS  seconds per append measurement (default 10)
#   BENCH_WRITERS  writer counts (default "1 4 16")
#   BENCH_EVENTS   events in the log before the read measurement (default 200000)
#   MESSAGE_DB_SQL optional: a SQL file that installs Message DB's message_store schema (its table,
#                  write_message and its indexes, assembled from that project's database/ folder;
#                  not shipped here). When set, pgbench also runs write_message at each writer count.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/pg.sh

SECS=${BENCH_SECONDS:-10}
WRITERS=${BENCH_WRITERS:-"1 4 16"}
EVENTS=${BENCH_EVENTS:-200000}
BENCH_PG=$ROOT/.data/bench-pg-$$
WORK=$ROOT/.data/bench-work-$$
mkdir -p "$ROOT/.data" "$WORK"

pg_ensure_installed
PORT=$(pg_free_port)
cleanup() {
  pg_stop "$BENCH_PG"
  rm -rf "$BENCH_PG" "$WORK"
}
trap cleanup EXIT
pg_init "$BENCH_PG"
pg_start "$BENCH_PG" "$PORT"
CLUSTER="Host=127.0.0.1;Port=$PORT;Username=postgres"

say "Building the benchmarks"
dotnet build tests/Benchmarks/CustomerAccess.Benchmarks.csproj -c Release -nologo -v q -clp:ErrorsOnly
BENCH="dotnet tests/Benchmarks/bin/Release/net10.0/CustomerAccess.Benchmarks.dll $CLUSTER"
RESULTS=$WORK/results.txt
: > "$RESULTS"

say "Creating the store's database"
$BENCH setup

# The raw PostgreSQL figure: one event per transaction into a plain table, the version check done
# the way the store does it (read the stream's last version, insert the next; a unique key on
# (stream, version) stops racers). Each client writes its own stream, as each store writer does.
say "Creating the pgbench database"
PSQL="$PG_BIN/psql -h 127.0.0.1 -p $PORT -U postgres -v ON_ERROR_STOP=1 -q"
$PSQL -c "create database raw_bench" postgres
$PSQL raw_bench <<'SQL'
create table raw_events (
  position        bigint generated always as identity primary key,
  stream_id       text        not null,
  stream_version  bigint      not null,
  event_id        uuid        not null,
  data            jsonb       not null,
  recorded_at     timestamptz not null default clock_timestamp(),
  unique (stream_id, stream_version)
);
SQL
cat > "$WORK/append.sql" <<'SQL'
BEGIN;
INSERT INTO raw_events (stream_id, stream_version, event_id, data)
  SELECT 'pg-' || :run || '-' || :client_id, coalesce(max(stream_version), 0) + 1, gen_random_uuid(),
         '{"what": "benchmark", "n": 1}'
  FROM raw_events WHERE stream_id = 'pg-' || :run || '-' || :client_id;
END;
SQL
# The store's own SQL without .NET: what es.append costs the server, as pgbench sees it.
cat > "$WORK/es_append.sql" <<'SQL'
BEGIN;
SELECT set_config('app.tenant_id', 'bench-council', true);
SELECT * FROM es.append('bench-council', 'pgb-' || :run || '-' || :client_id, -2, array[gen_random_uuid()],
  array['bench.something-happened'], array[1], array['{"what": "benchmark", "n": 1}'::jsonb],
  array['{"tenant": "bench-council", "actor": "bench", "channel": "bench", "correlationId": "01a201d6-36c3-716c-bcb4-2af5a777e5e1"}'::jsonb],
  array[now()]);
END;
SQL
if [ -n "${MESSAGE_DB_SQL:-}" ]; then
  say "Installing Message DB from $MESSAGE_DB_SQL for comparison"
  $PSQL -c "create database message_db" postgres
  $PSQL -c "alter database message_db set search_path = message_store, public" postgres
  $PSQL message_db -f "$MESSAGE_DB_SQL"
  # Like the store's pgbench run: one message per transaction, each client its own stream (one
  # category, as a module's streams are), no expected version (the store's run uses "any").
  cat > "$WORK/write_message.sql" <<'SQL'
BEGIN;
SELECT message_store.write_message(gen_random_uuid()::text, 'bench-' || :run || '-' || :client_id, 'SomethingHappened',
  '{"what": "benchmark", "n": 1}'::jsonb, '{"correlationId": "01a201d6-36c3-716c-bcb4-2af5a777e5e1"}'::jsonb);
END;
SQL
fi
chmod -R o+rX "$WORK"

# pgbench_run NAME CLIENTS USER DB SCRIPT: one pgbench measurement, recorded as "RESULT NAME tps".
pgbench_run() {
  local name=$1 clients=$2 user=$3 db=$4 script=$5 threads
  threads=$(( clients < 2 ? 1 : 2 ))
  pg_as_owner "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U "$user" -n -M prepared -c "$clients" -j "$threads" -T "$SECS" -P 2 \
    -D run="$name" -f "$script" "$db" > "$WORK/$name.txt" 2>&1 || { cat "$WORK/$name.txt" >&2; return 1; }
  grep -E "^progress" "$WORK/$name.txt" >&2 || true
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/$name.txt" | head -1)
  echo "RESULT $name ${tps%.*} events/s" | tee -a "$RESULTS"
}

for w in $WRITERS; do
  say "pgbench, plain table: $w client(s), ${SECS}s"
  pgbench_run "pgbench_append_$w" "$w" postgres raw_bench "$WORK/append.sql"

  say "Event store: $w writer(s), ${SECS}s"
  $BENCH append "$w" "$SECS" | tee "$WORK/store-$w.txt" >&2
  grep '^RESULT' "$WORK/store-$w.txt" >> "$RESULTS"

  say "pgbench, the store's SQL (set_config + es.append): $w client(s), ${SECS}s"
  pgbench_run "pgbench_es_append_$w" "$w" customeraccess_app ca_bench "$WORK/es_append.sql"

  if [ -n "${MESSAGE_DB_SQL:-}" ]; then
    say "pgbench, Message DB write_message: $w client(s), ${SECS}s"
    pgbench_run "messagedb_write_$w" "$w" postgres message_db "$WORK/write_message.sql"
  fi
done

say "Event store: global log read, one reader, batches of 1000, at least $EVENTS events"
$BENCH read "$EVENTS" 1000 | tee "$WORK/read.txt" >&2
grep '^RESULT' "$WORK/read.txt" >> "$RESULTS"

say "Summary ($(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$RESULTS" "$WRITERS" <<'PY'
import sys
results = {}
for line in open(sys.argv[1]):
    _, name, value, unit = line.split()
    results[name] = float(value)
for w in sys.argv[2].split():
    store, raw = results.get(f"store_append_{w}"), results.get(f"pgbench_append_{w}")
    if store and raw:
        sql = results.get(f"pgbench_es_append_{w}")
        extra = f"; es.append via pgbench {sql:6.0f}/s = {sql / raw:5.1%} of raw" if sql else ""
        mdb = results.get(f"messagedb_write_{w}")
        extra += f"; Message DB write_message {mdb:6.0f}/s (store/MDB {store / mdb:5.1%})" if mdb else ""
        print(f"append, {w:>2} writer(s): store {store:6.0f} events/s, pgbench {raw:6.0f} tx/s, ratio {store / raw:5.1%} (target 70%){extra}")
if "raw_read" in results:
    print(f"global read, bare query (no deserialisation): {results['raw_read']:.0f} rows/s")
if "store_read" in results:
    print(f"global read, 1 reader: {results['store_read']:.0f} events/s (target 100000)")
PY

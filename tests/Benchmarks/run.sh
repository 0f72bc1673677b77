#!/usr/bin/env bash
# Event store benchmarks on a throwaway PostgreSQL cluster (like ../../test.sh): append throughput
# at 1, 4 and 16 writers (the store's own-transaction append, and an EventSession) next to pgbench
# running an equivalent plain-table insert with a version check on the same cluster, then
# global-log read throughput. Every append measurement is repeated BENCH_ROUNDS times, the rounds
# interleaved, and the summary gives medians: runs on this shared box vary a lot.
#   BENCH_SECONDS  seconds per append measurement (default 10)
#   BENCH_ROUNDS   rounds of every append measurement (default 5)
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
ROUNDS=${BENCH_ROUNDS:-5}
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
PSQL="$PG_BIN/psql -h 127.0.0.1 -p $PORT -U postgres -v ON_ERROR_STOP=1 -q"
# Checkpoints are the largest source of drift between measurements: one that starts during a
# measurement makes the next change of every index page write the whole page to the WAL, so the
# writer that happened to follow it paid for it. Here no checkpoint starts on its own during a run
# (a long timeout, room for the WAL), and every measurement starts right after a CHECKPOINT, so
# pgbench and the store each start from the same state (as pgbench's own guidance advises).
$PSQL -c "alter system set checkpoint_timeout = '1h'" -c "alter system set max_wal_size = '16GB'" -c "select pg_reload_conf()" postgres >/dev/null
checkpoint() { $PSQL -c checkpoint postgres; }

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
# The store's single-event statement without .NET (StreamAppend.cs), autocommit, the council set at
# connection start as the store's council pools do; the version check as the raw script does it.
cat > "$WORK/store_sql.sql" <<'SQL'
WITH head AS (
  SELECT e.stream_version, e.hash FROM es.events e
  WHERE e.tenant_id = 'bench-council' AND e.stream_id = 'pgb-' || :run || '-' || :client_id
  ORDER BY e.stream_version DESC LIMIT 1
), next AS (
  SELECT coalesce((SELECT stream_version FROM head), 0) + 1 AS version, (SELECT hash FROM head) AS prev
)
INSERT INTO es.events (tenant_id, stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at, prev_hash, hash)
SELECT 'bench-council', 'pgb-' || :run || '-' || :client_id, next.version, x.id, 'bench.something-happened', 1, x.data, x.meta, x.occurred, next.prev,
  sha256(coalesce(next.prev, '\x'::bytea) || convert_to(concat_ws(E'\x1f', 'bench-council', 'pgb-' || :run || '-' || :client_id,
    next.version::text, x.id::text, 'bench.something-happened', '1', ((extract(epoch from x.occurred) * 1000000)::bigint)::text,
    x.data::text, x.meta::text), 'UTF8'))
FROM next, (SELECT gen_random_uuid() AS id, '{"what": "benchmark", "n": 1}'::jsonb AS data,
  '{"tenant": "bench-council", "actor": "bench", "channel": "bench", "correlationId": "01a201d6-36c3-716c-bcb4-2af5a777e5e1"}'::jsonb AS meta,
  now() AS occurred) x
RETURNING position, transaction_id::text, stream_version, recorded_at;
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

# pgbench_run NAME CLIENTS USER DB SCRIPT [PGOPTIONS]: one pgbench measurement, recorded as "RESULT NAME tps".
pgbench_run() {
  local name=$1 clients=$2 user=$3 db=$4 script=$5 options=${6:-} threads
  threads=$(( clients < 2 ? 1 : 2 ))
  checkpoint
  pg_as_owner env PGOPTIONS="$options" "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U "$user" -n -M prepared -c "$clients" -j "$threads" -T "$SECS" -P 2 \
    -D run="$name-$round" -f "$script" "$db" > "$WORK/$name.txt" 2>&1 || { cat "$WORK/$name.txt" >&2; return 1; }
  grep -E "^progress" "$WORK/$name.txt" >&2 || true
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/$name.txt" | head -1)
  echo "RESULT $name ${tps%.*} events/s" | tee -a "$RESULTS"
}

# One .NET process serves every store measurement of the run, so tiered compilation is paid once
# (the first measurement warms up until the JIT is quiet, 10-20 s on this box) and the rest run on
# the steady-state code a long-running host has.
coproc STORE { $BENCH serve; }
# store_run NAME WRITERS [session]: one .NET store measurement.
store_run() {
  local line
  checkpoint
  : > "$WORK/$1.txt"
  echo "append $2 $SECS ${3:-}" >&"${STORE[1]}"
  while IFS= read -r line <&"${STORE[0]}"; do
    [ "$line" = DONE ] && break
    echo "$line" >&2
    echo "$line" >> "$WORK/$1.txt"
  done
  grep '^RESULT' "$WORK/$1.txt" >> "$RESULTS" || { echo "the store measurement $1 gave no result" >&2; return 1; }
}

for round in $(seq 1 "$ROUNDS"); do
  for w in $WRITERS; do
    say "Round $round of $ROUNDS, $w writer(s), ${SECS}s each: pgbench plain table"
    pgbench_run "pgbench_append_$w" "$w" postgres raw_bench "$WORK/append.sql"

    say "Round $round of $ROUNDS, $w writer(s): event store, own-transaction append"
    store_run "store-$w" "$w"

    say "Round $round of $ROUNDS, $w writer(s): event store, EventSession (open, append, commit)"
    store_run "session-$w" "$w" session

    say "Round $round of $ROUNDS, $w writer(s): pgbench, the store's statement"
    pgbench_run "pgbench_store_sql_$w" "$w" customeraccess_app ca_bench "$WORK/store_sql.sql" "-c app.tenant_id=bench-council"

    if [ -n "${MESSAGE_DB_SQL:-}" ]; then
      say "Round $round of $ROUNDS, $w writer(s): pgbench, Message DB write_message"
      pgbench_run "messagedb_write_$w" "$w" postgres message_db "$WORK/write_message.sql"
    fi
  done
done

eval "exec ${STORE[1]}>&-"
wait "$STORE_PID" || true

say "Event store: global log read, one reader, batches of 1000, at least $EVENTS events"
$BENCH read "$EVENTS" 1000 | tee "$WORK/read.txt" >&2
grep '^RESULT' "$WORK/read.txt" >> "$RESULTS"

say "Summary ($(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$RESULTS" "$WRITERS" <<'PY'
import statistics, sys
results = {}
for line in open(sys.argv[1]):
    _, name, value, unit = line.split()
    results.setdefault(name, []).append(float(value))
def median(name):
    values = results.get(name)
    return statistics.median(values) if values else None
def runs(name):
    return "/".join(f"{v:.0f}" for v in results.get(name, []))
for w in sys.argv[2].split():
    raw = median(f"pgbench_append_{w}")
    if not raw:
        continue
    print(f"append, {w:>2} writer(s), medians of {len(results[f'pgbench_append_{w}'])} round(s): pgbench plain table {raw:6.0f} tx/s ({runs(f'pgbench_append_{w}')})")
    for name, label in ((f"store_append_{w}", "store, own transaction"), (f"session_append_{w}", "store, EventSession"),
                        (f"pgbench_store_sql_{w}", "store's statement via pgbench"), (f"messagedb_write_{w}", "Message DB write_message")):
        value = median(name)
        if value:
            # Also the median of each round's ratio to that round's raw figure, which
            # cancels the machine's drift between rounds better than a ratio of medians.
            paired = [v / r for v, r in zip(results[name], results[f"pgbench_append_{w}"])]
            print(f"    {label:32} {value:6.0f}/s = {value / raw:6.1%} of raw ({runs(name)}); "
                  f"per round {'/'.join(f'{p:.0%}' for p in paired)}, median {statistics.median(paired):.0%}")
    store, mdb = median(f"store_append_{w}"), median(f"messagedb_write_{w}")
    if store and mdb:
        print(f"    store (own transaction) / Message DB: {store / mdb:6.1%}")
if "raw_read" in results:
    print(f"global read, bare query (no deserialisation): {median('raw_read'):.0f} rows/s")
if "store_read" in results:
    print(f"global read, 1 reader: {median('store_read'):.0f} events/s (target 100000)")
PY

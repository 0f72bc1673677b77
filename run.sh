#!/usr/bin/env bash
# Runs CustomerAccess locally: PostgreSQL under .data/, seeded councils and users,
# UI and API on http://127.0.0.1:5080 (ASPNETCORE_URLS overrides). Ctrl-C stops what it started.
# A second ./run.sh with another ASPNETCORE_URLS joins the same database as a second host.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
. scripts/pg.sh

DATA=$ROOT/.data
PGDATA_DIR=$DATA/pg
PORT=${CUSTOMERACCESS_PG_PORT:-55432}
export ASPNETCORE_URLS=${ASPNETCORE_URLS:-http://127.0.0.1:5080}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
mkdir -p "$DATA"

pg_ensure_installed
STARTED_PG=0
if pg_running "$PGDATA_DIR"; then
  PORT=$(pg_port "$PGDATA_DIR")
  say "Joining the PostgreSQL already running for this project (port $PORT)"
else
  pg_init "$PGDATA_DIR"
  pg_start "$PGDATA_DIR" "$PORT"
  STARTED_PG=1
fi
pg_createdb "$PORT" customeraccess

# The master key wraps every customer's personal-data key; made once per local install.
if [ ! -f "$DATA/master.key" ]; then
  say "Creating a local master key in .data/master.key"
  head -c 32 /dev/urandom | base64 > "$DATA/master.key"
  chmod 600 "$DATA/master.key"
fi
export CustomerAccess__MasterKey=${CustomerAccess__MasterKey:-$(cat "$DATA/master.key")}
export ConnectionStrings__Admin=${ConnectionStrings__Admin:-"Host=127.0.0.1;Port=$PORT;Username=postgres;Database=customeraccess"}
export CustomerAccess__SeedLocal=${CustomerAccess__SeedLocal:-true}

if [ -f scripts/ui-assets.sh ]; then bash scripts/ui-assets.sh; fi

say "Building"
dotnet build host/CustomerAccess.Host -c Release -nologo -v q -clp:ErrorsOnly

HOST_PID=
mkdir -p "$DATA/hosts"
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$HOST_PID" ] && kill -0 "$HOST_PID" 2>/dev/null; then
    say "Stopping the host"
    kill "$HOST_PID" 2>/dev/null || true
    wait "$HOST_PID" 2>/dev/null || true
  fi
  rm -f "$DATA/hosts/$$"
  # Leave the database up while another ./run.sh host still uses it.
  local others=0
  for f in "$DATA"/hosts/*; do [ -e "$f" ] && kill -0 "$(basename "$f")" 2>/dev/null && others=1; done
  if [ "$STARTED_PG" = 1 ] && [ "$others" = 0 ]; then pg_stop "$PGDATA_DIR";
  elif [ "$others" = 1 ]; then say "Another host still uses the database: leaving PostgreSQL running"; fi
}
trap cleanup INT TERM EXIT

say "Starting CustomerAccess on $ASPNETCORE_URLS (Ctrl-C stops it)"
dotnet host/CustomerAccess.Host/bin/Release/net10.0/CustomerAccess.Host.dll --contentRoot "$ROOT/host/CustomerAccess.Host" &
HOST_PID=$!
touch "$DATA/hosts/$$"
wait "$HOST_PID"

#!/usr/bin/env bash
# Shared helpers for run.sh and test.sh: find or install PostgreSQL 15, create and start a cluster
# under the project on loopback, stop it. Source this file; it defines functions only.

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }

pg_find_bin() {
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

pg_ensure_installed() {
  if PG_BIN=$(pg_find_bin); then export PG_BIN; return 0; fi
  say "PostgreSQL not found: installing it with apt-get (postgresql)"
  if [ "$(id -u)" -ne 0 ]; then echo "Need root to apt-get install postgresql; install PostgreSQL 15 and retry." >&2; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  PG_BIN=$(pg_find_bin) || { echo "PostgreSQL install failed" >&2; exit 1; }
  export PG_BIN
}

# Runs a PostgreSQL binary as the cluster owner: initdb and postgres refuse to run as root.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
  else
    "$@"
  fi
}

pg_free_port() {
  python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

# pg_init DIR: creates a cluster in DIR unless one is there.
pg_init() {
  local dir=$1
  if [ -f "$dir/PG_VERSION" ]; then return 0; fi
  say "Creating a PostgreSQL cluster in $dir"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
  # The owner (postgres) must reach the folder through every parent: a clone under a private
  # folder (mktemp -d, /root) blocks it. Grant traverse (o+x, not read) only where it is blocked.
  if [ "$(id -u)" -eq 0 ]; then
    local d
    d=$(cd "$(dirname "$dir")" && pwd)
    while [ "$d" != "/" ]; do
      if ! su postgres -s /bin/sh -c "test -x '$d'" 2>/dev/null; then
        chmod o+x "$d" && say "Let the postgres user traverse $d (o+x) to reach the cluster"
      fi
      d=$(dirname "$d")
    done
  fi
  pg_as_owner "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
    || pg_as_owner "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 >/dev/null
}

# pg_running DIR: true when the cluster in DIR is up.
pg_running() { pg_as_owner "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

# pg_port DIR: the port a running cluster listens on.
pg_port() { sed -n '4p' "$1/postmaster.pid" 2>/dev/null; }

# pg_start DIR PORT: starts the cluster on 127.0.0.1:PORT, socket in DIR, tuned for a small machine.
pg_start() {
  local dir=$1 port=$2
  say "Starting PostgreSQL on 127.0.0.1:$port"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=300 -c shared_buffers=256MB -c idle_in_transaction_session_timeout=60s" >/dev/null \
    || { tail -20 "$dir/server.log" >&2; return 1; }
}

pg_stop() {
  local dir=$1
  pg_running "$dir" || return 0
  say "Stopping PostgreSQL ($dir)"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_createdb PORT NAME: creates a database if it does not exist.
pg_createdb() {
  local port=$1 name=$2
  if ! psql -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='$name'" postgres | grep -q 1; then
    psql -h 127.0.0.1 -p "$port" -U postgres -qc "create database \"$name\"" postgres >/dev/null
  fi
}

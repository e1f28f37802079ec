#!/usr/bin/env bash
# Sourced by scripts/up and scripts/test: a private PostgreSQL for this checkout, from Debian's package.
# Exports PG_PORT, PG_SERVER (an Npgsql connection string to the maintenance db) and pg_stop.
set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PG_PORT=${PG_PORT:-55432}
PG_USER=telephony

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/pg_ctl" ]; then
    echo "PostgreSQL server not found; installing Debian's postgresql package..." >&2
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

PG_BIN=$(pg_bin)

# PostgreSQL refuses to run as root: as root, run it as the 'postgres' user the package creates.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Data lives under .data/ unless the 'postgres' user cannot reach that folder (a checkout under /root).
PG_DATA=${PG_DATA:-$ROOT/.data/postgres}
mkdir -p "$(dirname "$PG_DATA")"
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$(dirname "$PG_DATA")" 2>/dev/null; then
  PG_DATA=/var/tmp/telephony-$(echo "$ROOT" | md5sum | cut -c1-8)/postgres
fi
mkdir -p "$PG_DATA"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DATA" && chmod 700 "$PG_DATA"

if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
fi

# Sized like a small production server rather than PostgreSQL's defaults (128 MB of buffers, a checkpoint per GB of
# WAL): under the ingest bench those defaults forced a checkpoint a minute, a full-page image after each for every page
# touched again, and backends writing out dirty pages themselves (issue 10; bench/results/2026-12-02-06*-ingest.md).
PG_TUNING="-c shared_buffers=${PG_SHARED_BUFFERS:-1GB} -c max_wal_size=4GB -c checkpoint_timeout=15min -c wal_buffers=64MB"

if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${PG_FSYNC:-on} $PG_TUNING" start >/dev/null
  PG_STARTED_HERE=1
else
  PG_STARTED_HERE=0
fi

PG_SERVER="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Database=postgres"

pg_stop() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
}

pg_createdb() {
  local db=$1
  if ! as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "$db"
  fi
}

#!/usr/bin/env bash
# Sourced by scripts/up (API_REPLICAS > 1) and scripts/test: a private Redis (Debian's redis-server) on loopback, the
# SignalR backplane across API replicas. Exports REDIS_LOCAL_URL and redis_stop.
set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
REDIS_PORT=${REDIS_PORT:-56379}

if ! command -v redis-server >/dev/null; then
  echo "redis-server not found; installing Debian's redis-server package..." >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >&2
fi

REDIS_LOCAL_URL="127.0.0.1:$REDIS_PORT"
export REDIS_LOCAL_URL

REDIS_STARTED_HERE=0
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  mkdir -p "$ROOT/.data/redis"
  # Nothing to keep: pushes pass through, the customer cache refills.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --dir "$ROOT/.data/redis" --logfile "$ROOT/.data/redis/redis.log" --pidfile "$ROOT/.data/redis/redis.pid" >/dev/null
  REDIS_STARTED_HERE=1
  for _ in $(seq 1 40); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.25
  done
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || { echo "Redis did not start; see .data/redis/redis.log" >&2; exit 1; }
fi

redis_stop() {
  if [ "$REDIS_STARTED_HERE" = 1 ]; then
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
}

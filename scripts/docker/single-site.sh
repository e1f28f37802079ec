#!/usr/bin/env bash
# Entrypoint of the single-site image (Dockerfile's default target): the API, and when YEASTAR_HOST is set the bridge
# beside it posting to it, as scripts/up runs them. Either process ending stops the container, so the platform's restart
# policy restarts both; SIGTERM reaches both (the bridge logs out of the PBX, the silo leaves its cluster).
set -euo pipefail

port=${PORT:-3008}
pids=()
stop() {
  trap - TERM INT
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait
}
trap stop TERM INT

dotnet /app/Telephony.Api.dll &
pids+=($!)

if [ -n "${YEASTAR_HOST:-}" ]; then
  if [ -z "${DEMO_AGENT_KEY:-}" ] || [ -z "${DEMO_BRIDGE_KEY:-}" ]; then
    echo "YEASTAR_HOST is set: also set DEMO_AGENT_KEY and DEMO_BRIDGE_KEY (e.g. tk_\$(openssl rand -hex 32) each)." >&2
    echo "The API creates tenant 'demo' with PBX 'main' and these keys; the bridge posts with the bridge key." >&2
    kill -TERM "${pids[@]}"; wait; exit 1
  fi
  # The bridge starts once the API answers, as scripts/up waits for it; its own retries would cover it anyway.
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.5
  done
  TELEPHONY_API_URL=${TELEPHONY_API_URL:-http://127.0.0.1:$port} TELEPHONY_BRIDGE_KEY=$DEMO_BRIDGE_KEY \
    TELEPHONY_PBX_ID=${TELEPHONY_PBX_ID:-main} BRIDGE_URLS=${BRIDGE_URLS:-http://0.0.0.0:3009} \
    /app/bridge/Telephony.PbxBridge &
  pids+=($!)
fi

status=0
wait -n "${pids[@]}" || status=$?
stop
exit "$status"

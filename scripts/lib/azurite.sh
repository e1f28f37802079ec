#!/usr/bin/env bash
# Sourced by scripts/up (API_REPLICAS > 1) and scripts/test: Azurite, the Azure Storage emulator from npm, for Orleans
# clustering (Table service) on this machine. Installs the pinned package under .data/tools on first use.
# Exports AZURITE_CONNECTION_STRING and azurite_stop.
set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
AZURITE_VERSION=3.37.0
AZURITE_DIR=$ROOT/.data/tools/azurite
AZURITE_BLOB_PORT=${AZURITE_BLOB_PORT:-10000}
AZURITE_TABLE_PORT=${AZURITE_TABLE_PORT:-10002}
AZURITE_DATA=$ROOT/.data/azurite

AZURITE_MAIN=$AZURITE_DIR/node_modules/azurite/dist/src/azurite.js
if [ ! -f "$AZURITE_MAIN" ] || ! grep -q "\"version\": \"$AZURITE_VERSION\"" "$AZURITE_DIR/node_modules/azurite/package.json" 2>/dev/null; then
  command -v npm >/dev/null || { echo "npm not found: Azurite comes from the npm registry (install Node.js)." >&2; exit 1; }
  echo "Installing Azurite $AZURITE_VERSION (npm) into $AZURITE_DIR..." >&2
  # From scratch: a half-written node_modules (an interrupted install) is not repaired by installing over it.
  rm -rf "$AZURITE_DIR"
  mkdir -p "$AZURITE_DIR"
  (cd "$AZURITE_DIR" && npm install --no-audit --no-fund --silent "azurite@$AZURITE_VERSION" >&2)
  [ -f "$AZURITE_MAIN" ] || { echo "Installing Azurite left no $AZURITE_MAIN; see npm's output above." >&2; exit 1; }
fi

# The well-known development account (public, documented by Microsoft), on this machine's loopback only.
AZURITE_ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_ACCOUNT_KEY;BlobEndpoint=http://127.0.0.1:$AZURITE_BLOB_PORT/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZURITE_TABLE_PORT/devstoreaccount1;"
export AZURITE_CONNECTION_STRING

azurite_up() { (exec 3<>"/dev/tcp/127.0.0.1/$AZURITE_TABLE_PORT") 2>/dev/null; }

AZURITE_STARTED_HERE=0
if ! azurite_up; then
  mkdir -p "$AZURITE_DATA"
  # Blob (recordings, issue 13) and Table (clustering); no queue service is used.
  nohup node "$AZURITE_MAIN" --silent --skipApiVersionCheck --loose \
    --location "$AZURITE_DATA" --blobHost 127.0.0.1 --blobPort "$AZURITE_BLOB_PORT" \
    --tableHost 127.0.0.1 --tablePort "$AZURITE_TABLE_PORT" --queuePort 0 > "$AZURITE_DATA/azurite.log" 2>&1 &
  AZURITE_PID=$!
  AZURITE_STARTED_HERE=1
  for _ in $(seq 1 60); do
    azurite_up && break
    sleep 0.5
  done
  azurite_up || { echo "Azurite did not start; see $AZURITE_DATA/azurite.log" >&2; exit 1; }
fi

azurite_stop() {
  if [ "$AZURITE_STARTED_HERE" = 1 ]; then
    kill "$AZURITE_PID" 2>/dev/null || true
  fi
}

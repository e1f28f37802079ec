#!/usr/bin/env bash
# Sourced (or run) by scripts/up and scripts/test: installs the dashboard's one npm dependency and copies
# the SignalR browser client to src/Telephony.Api/wwwroot/lib/ (generated, not committed).
# Idempotent and quiet: npm runs only when package-lock.json changed since the last install.
set -euo pipefail

web_assets() {
  local root=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
  local app="$root/src/Telephony.Api"
  local src="$app/node_modules/@microsoft/signalr/dist/browser/signalr.min.js"
  local dest="$app/wwwroot/lib/signalr.min.js"
  local stamp="$app/node_modules/.web-assets-stamp"
  local want
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: install Node.js 20+ to build the dashboard assets" >&2
    return 1
  fi
  # A subshell keeps the caller's working directory when this file is sourced.
  (
    cd "$app"
    if [ -f package-lock.json ]; then
      want=$(cat package.json package-lock.json | md5sum | cut -d' ' -f1)
    else
      want=$(md5sum < package.json | cut -d' ' -f1)
    fi
    if [ ! -f "$src" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
      local log
      log=$(mktemp)
      if [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
      else
        npm install --no-audit --no-fund --loglevel=error >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
        want=$(cat package.json package-lock.json | md5sum | cut -d' ' -f1)
      fi
      rm -f "$log"
      echo "$want" > "$stamp"
    fi
    mkdir -p "$(dirname "$dest")"
    cmp -s "$src" "$dest" || cp "$src" "$dest"
  )
}

web_assets

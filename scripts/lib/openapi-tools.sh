#!/usr/bin/env bash
# Sourced (or run) by scripts/test: installs the tools that check the API's OpenAPI document (redocly, openapi-typescript,
# openapi-fetch, typescript; pinned in tools/OpenApi/package-lock.json) into tools/OpenApi/node_modules, where
# tests/Telephony.Api.Tests/OpenApi looks for them. Idempotent and quiet: npm runs only when the lock changed.
set -euo pipefail

openapi_tools() {
  local root=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
  local dir="$root/tools/OpenApi"
  local stamp="$dir/node_modules/.openapi-tools-stamp"
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: install Node.js 20+ to check the OpenAPI document" >&2
    return 1
  fi
  # A subshell keeps the caller's working directory when this file is sourced.
  (
    cd "$dir"
    local want
    want=$(cat package.json package-lock.json | md5sum | cut -d' ' -f1)
    if [ ! -x node_modules/.bin/redocly ] || [ ! -x node_modules/.bin/tsc ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
      local log
      log=$(mktemp)
      npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
      rm -f "$log"
      echo "$want" > "$stamp"
    fi
  )
}

openapi_tools

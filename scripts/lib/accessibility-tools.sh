#!/usr/bin/env bash
# Sourced (or run) by scripts/test: installs axe-core (pinned in tools/Accessibility/package-lock.json) into
# tools/Accessibility/node_modules, where the dashboard's browser tests find axe.min.js to inject into the page.
# Never copied into wwwroot: users are not served it. Idempotent and quiet: npm runs only when the lock changed.
set -euo pipefail

accessibility_tools() {
  local root=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
  local dir="$root/tools/Accessibility"
  local stamp="$dir/node_modules/.accessibility-tools-stamp"
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: install Node.js 20+ to check the dashboard's accessibility" >&2
    return 1
  fi
  # A subshell keeps the caller's working directory when this file is sourced.
  (
    cd "$dir"
    local want
    want=$(cat package.json package-lock.json | md5sum | cut -d' ' -f1)
    if [ ! -f node_modules/axe-core/axe.min.js ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
      local log
      log=$(mktemp)
      npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
      rm -f "$log"
      echo "$want" > "$stamp"
    fi
  )
}

accessibility_tools

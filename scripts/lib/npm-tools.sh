#!/usr/bin/env bash
# Sourced by the tools' install scripts (openapi-tools.sh, accessibility-tools.sh): installs a tools/<folder> npm
# package, pinned by its package-lock.json, into its own node_modules. Idempotent and quiet: npm runs only when the
# lock changed or a file the tests need is missing.
set -euo pipefail

# npm_tools <folder under tools/> <what the tools are for> <file under the folder that must exist>...
npm_tools() {
  local root=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
  local dir="$root/tools/$1" purpose=$2
  shift 2
  local stamp="$dir/node_modules/.npm-tools-stamp"
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: install Node.js 20+ to $purpose" >&2
    return 1
  fi
  # A subshell keeps the caller's working directory when this file is sourced.
  (
    cd "$dir"
    local want missing=0 file log
    want=$(cat package.json package-lock.json | md5sum | cut -d' ' -f1)
    for file in "$@"; do
      [ -e "$file" ] || missing=1
    done
    if [ "$missing" = 1 ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
      log=$(mktemp)
      npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
      rm -f "$log"
      echo "$want" > "$stamp"
    fi
  )
}

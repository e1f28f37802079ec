#!/usr/bin/env bash
# Sourced by scripts/up: exports the KEY=VALUE lines of a .env file (cp .env.example .env), as docker compose reads
# it. A variable already set in the environment wins, so `PORT=4000 scripts/up` still overrides the file. The file
# is parsed, never executed: comments and blank lines are skipped, one pair of surrounding quotes is removed.

dotenv_load() {
  local file=$1 line key value
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    line=${line#export }
    if [[ ! "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]]; then
      echo "$file: ignoring a line that is not KEY=VALUE: $line" >&2
      continue
    fi
    key=${BASH_REMATCH[1]}
    value=${BASH_REMATCH[2]}
    if [[ "$value" =~ ^\"(.*)\"$ ]] || [[ "$value" =~ ^\'(.*)\'$ ]]; then
      value=${BASH_REMATCH[1]}
    fi
    # Set (even to "") in the environment: keep it. Empty in the file: leave it unset, so defaults apply.
    [ -n "${!key+x}" ] && continue
    [ -n "$value" ] && export "$key=$value"
  done < "$file"
}

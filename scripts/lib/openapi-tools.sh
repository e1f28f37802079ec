#!/usr/bin/env bash
# Sourced (or run) by scripts/test: installs the tools that check the API's OpenAPI document (redocly, openapi-typescript,
# openapi-fetch, typescript; pinned in tools/OpenApi/package-lock.json) into tools/OpenApi/node_modules, where
# tests/Telephony.Api.Tests/OpenApi looks for them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/npm-tools.sh"
npm_tools OpenApi "check the OpenAPI document" node_modules/.bin/redocly node_modules/.bin/tsc

#!/usr/bin/env bash
# Sourced (or run) by scripts/test: installs axe-core (pinned in tools/Accessibility/package-lock.json) into
# tools/Accessibility/node_modules, where the dashboard's browser tests find axe.min.js to inject into the page.
# Never copied into wwwroot: users are not served it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/npm-tools.sh"
npm_tools Accessibility "check the dashboard's accessibility" node_modules/axe-core/axe.min.js

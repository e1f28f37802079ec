#!/usr/bin/env bash
# What can be checked of the container images here (issue 12 §5): base images cannot be pulled on this machine, so
# the images are never built. Instead:
#   - the `dotnet publish` commands the Dockerfile runs are the ones below, verbatim, and they succeed (API and
#     simulator into a temporary folder; the bridge's Native AOT publish is bench/run's own command, which the bench
#     smoke run of scripts/test executes, so it is compared, not run twice);
#   - docker-compose.yml is valid (`docker compose config`), where a Docker with the compose plugin exists.
# Run by scripts/test after the bench smoke run, so the Release builds are warm and each publish takes seconds.
set -euo pipefail

containers_check() {
  local root=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
  local out status=0 cmd
  out=$(mktemp -d)
  # Each publish as the Dockerfile writes it (output under /out), and the folder it writes to here.
  local -a publishes=(
    "dotnet publish src/Telephony.Api -c Release -o /out/api --nologo"
    "dotnet publish tools/Telephony.PbxSimulator -c Release -o /out/simulator --nologo"
  )
  local bridge="dotnet publish src/Telephony.PbxBridge -c Release -r linux-x64 -o /out/bridge --nologo"

  cd "$root"
  for cmd in "${publishes[@]}" "$bridge"; do
    if ! grep -qF "RUN $cmd" Dockerfile; then
      echo "containers: Dockerfile no longer runs: $cmd (keep it and scripts/lib/containers.sh identical)" >&2
      status=1
    fi
  done
  if ! grep -qF "${bridge%% -o *} -o " bench/run; then
    echo "containers: bench/run no longer publishes the bridge as the Dockerfile does: ${bridge%% -o *}" >&2
    status=1
  fi

  for cmd in "${publishes[@]}"; do
    # Same command, output redirected to the temporary folder.
    if ! ${cmd//\/out\//$out\/} -v quiet >"$out/publish.log" 2>&1; then
      cat "$out/publish.log" >&2
      echo "containers: failed: $cmd" >&2
      status=1
    fi
  done
  for f in api/Telephony.Api.dll api/wwwroot/index.html api/wwwroot/lib/signalr.min.js simulator/Telephony.PbxSimulator.dll; do
    [ -f "$out/$f" ] || { echo "containers: the publish output lacks $f" >&2; status=1; }
  done

  if docker compose version >/dev/null 2>&1; then
    # Placeholder demo keys: compose refuses to start without them (docker-compose.yml), config needs some value.
    if ! DEMO_AGENT_KEY=check DEMO_BRIDGE_KEY=check docker compose -f docker-compose.yml --env-file /dev/null config -q; then
      echo "containers: docker compose config failed" >&2
      status=1
    else
      echo "containers: docker compose config: valid"
    fi
  else
    echo "containers: no 'docker compose' here: docker-compose.yml not validated (images are not built here in any case)"
  fi

  rm -rf "$out"
  [ "$status" -eq 0 ] && echo "containers: the Dockerfile's publish commands match and succeed (bridge AOT: bench/run's command)"
  return "$status"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  containers_check
fi

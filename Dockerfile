# syntax=docker/dockerfile:1
# Images of the service (issue 12 §5), all built from the repository root:
#   docker build -t telephony .                          single site: the API on :3008, plus the bridge when YEASTAR_HOST is set
#   docker build --target api -t telephony-api .         the API (an Orleans silo; docker-compose.yml, infra/bicep)
#   docker build --target bridge -t telephony-bridge .   the bridge, Native AOT (one site, or fleet mode)
#   docker build --target simulator -t telephony-pbx-simulator .
# The `dotnet publish` lines are the ones scripts/lib/containers.sh runs in CI (and bench/run, for the bridge): keep
# them identical. linux-x64 only: the bridge's AOT build targets that runtime.

ARG DOTNET_TAG=10.0

# The dashboard's one npm dependency (the SignalR browser client), as scripts/lib/web-assets.sh installs it.
FROM node:22-bookworm-slim AS web-assets
WORKDIR /src
COPY src/Telephony.Api/package.json src/Telephony.Api/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_TAG} AS build
# Native AOT links the bridge with clang.
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Restore first, from the project files only, so a source change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Telephony.Core/Telephony.Core.csproj src/Telephony.Core/
COPY src/Telephony.Api/Telephony.Api.csproj src/Telephony.Api/
COPY src/Telephony.PbxBridge/Telephony.PbxBridge.csproj src/Telephony.PbxBridge/
COPY tools/Telephony.PbxSimulator/Telephony.PbxSimulator.csproj tools/Telephony.PbxSimulator/
RUN dotnet restore src/Telephony.Api \
    && dotnet restore src/Telephony.PbxBridge -r linux-x64 \
    && dotnet restore tools/Telephony.PbxSimulator
COPY src/ src/
COPY tools/Telephony.PbxSimulator/ tools/Telephony.PbxSimulator/
COPY --from=web-assets /src/node_modules/@microsoft/signalr/dist/browser/signalr.min.js src/Telephony.Api/wwwroot/lib/signalr.min.js

FROM build AS publish-api
RUN dotnet publish src/Telephony.Api -c Release -o /out/api --nologo

FROM build AS publish-bridge
RUN dotnet publish src/Telephony.PbxBridge -c Release -r linux-x64 -o /out/bridge --nologo
# The spool folder, owned by the images' non-root user (chiseled images have no shell to make it at run time).
RUN mkdir -p /out/data && chown 1654:1654 /out/data

FROM build AS publish-simulator
RUN dotnet publish tools/Telephony.PbxSimulator -c Release -o /out/simulator --nologo

# A static wget for HEALTHCHECK: the chiseled runtime images have no shell and no HTTP client of their own.
FROM busybox:1.37-musl AS probe

# --- the API -------------------------------------------------------------------------------------------------------
# chiseled-extra: no shell or package manager, non-root by default, with ICU and tzdata (YEASTAR_TIMEZONE).
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_TAG}-noble-chiseled-extra AS api
WORKDIR /app
COPY --from=probe /bin/busybox /usr/local/bin/busybox
COPY --from=publish-api /out/api ./
# PORT (default 3008) is what the API binds; the base image's ASPNETCORE_HTTP_PORTS would only log a warning beside it.
ENV PORT=3008 ASPNETCORE_HTTP_PORTS=
EXPOSE 3008 11111 30000
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:3008/health"]
ENTRYPOINT ["dotnet", "Telephony.Api.dll"]

# --- the bridge ----------------------------------------------------------------------------------------------------
# A Native AOT executable needs no .NET runtime: runtime-deps only (tzdata for YEASTAR_TIMEZONE; the bridge runs
# with invariant globalization).
FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_TAG}-noble-chiseled-extra AS bridge
WORKDIR /app
COPY --from=probe /bin/busybox /usr/local/bin/busybox
COPY --from=publish-bridge /out/bridge ./
COPY --from=publish-bridge --chown=1654:1654 /out/data /var/lib/telephony-bridge
# Listen on every interface inside the container (the bridge's own default is 127.0.0.1:3009).
ENV BRIDGE_URLS=http://0.0.0.0:3009 BRIDGE_DATA_DIR=/var/lib/telephony-bridge
VOLUME /var/lib/telephony-bridge
EXPOSE 3009
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:3009/health/live"]
ENTRYPOINT ["/app/Telephony.PbxBridge"]

# --- the PBX simulator (local stack only) --------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_TAG}-noble-chiseled-extra AS simulator
WORKDIR /app
COPY --from=publish-simulator /out/simulator ./
USER $APP_UID
ENTRYPOINT ["dotnet", "Telephony.PbxSimulator.dll"]

# --- single site (the default target) ------------------------------------------------------------------------------
# `docker run -p 3008:3008 -e DATABASE_URL=… -e YEASTAR_HOST=… telephony`, as with the original service: the API, and
# with YEASTAR_HOST the bridge beside it for tenant "demo", PBX "main" (DEMO_AGENT_KEY, DEMO_BRIDGE_KEY), as scripts/up
# runs them. This one keeps a shell (the full aspnet image) to run both processes.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_TAG} AS single-site
WORKDIR /app
COPY --from=publish-api /out/api ./
COPY --from=publish-bridge /out/bridge ./bridge/
COPY --from=publish-bridge --chown=1654:1654 /out/data /var/lib/telephony-bridge
COPY --chmod=755 scripts/docker/single-site.sh /usr/local/bin/single-site
ENV PORT=3008 ASPNETCORE_HTTP_PORTS= BRIDGE_DATA_DIR=/var/lib/telephony-bridge
VOLUME /var/lib/telephony-bridge
EXPOSE 3008
USER $APP_UID
# bash's /dev/tcp: this image has no curl or wget.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-3008} && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/local/bin/single-site"]

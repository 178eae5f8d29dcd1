#!/usr/bin/env bash
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
#
# Edge-router benchmark: a private PostgreSQL and Redis, a release build, `controlplane
# bootstrap-db` and `controlplane run` with one tenant ("bench") that is reachable both through
# the router (listen.http, Host bench.csms.test) and directly (its http.tcp_listen port), then
# Benchmarks/router-bench/bench.py: connection set-up router vs direct, keep-alive round trip
# after hand-over vs direct, hand-overs per second, control-plane descriptors with many stations
# connected through the router, and tenant provisioning through the platform API with the idle
# workers' cost. Prints the figures table and the machine, and tears everything down. Only
# 127.0.0.1 is ever contacted.
#
#   Benchmarks/router-bench.sh                                   # every phase, default sizes
#   Benchmarks/router-bench.sh --phases setup,rtt --samples 500  # a quick run
#
# Every argument goes to bench.py (see `bench.py --help`; ports, pids, keys and conninfo are
# filled in here). Environment:
#   CSMS_BENCH_BIN_DIR   folder with controlplane and tenant-worker (skips the release build)
#   SCRATCH              swift --scratch-path for the release build
#   CSMS_BENCH_VENV      Python venv to create or reuse (default /tmp/open-csms-bench-venv)
#   CSMS_BENCH_LOG_LEVEL control plane (--log-level) and worker (logging.level) log level
#                        (default warning: a log line per connection would be measured too)
#   CSMS_BENCH_PG_MAX_CONNECTIONS  PostgreSQL max_connections (default 500, from services.sh); raise
#                        it for --tenants beyond ~240 (two sessions each while starting)
#   CSMS_BENCH_KEEP=1    keep the work folder (logs, result.json) instead of deleting it
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/lib/services.sh
source Benchmarks/lib/bench.sh

STATIONS=5000
TENANTS=30
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in
        --stations) STATIONS=${args[$((i + 1))]:-$STATIONS} ;;
        --stations=*) STATIONS=${args[$i]#--stations=} ;;
        --tenants) TENANTS=${args[$((i + 1))]:-$TENANTS} ;;
        --tenants=*) TENANTS=${args[$i]#--tenants=} ;;
    esac
done
[[ "$STATIONS" =~ ^[0-9]+$ ]] || die "--stations must be a number, got $STATIONS"
[[ "$TENANTS" =~ ^[0-9]+$ ]] || die "--tenants must be a number, got $TENANTS"

ensure_packages "${BASE_PACKAGES[@]}" acl
HARD_FILES=$(ulimit -Hn)
ulimit -n "$HARD_FILES"

VENV=${CSMS_BENCH_VENV:-/tmp/open-csms-bench-venv}
bench_venv "$VENV"
bench_binaries
bench_workdir router-bench

note "starting PostgreSQL and Redis in $WORK"
PG_PORT=$(free_port)
pg_start "$WORK/pg" "$PG_PORT"
if [ -n "${CSMS_BENCH_PG_MAX_CONNECTIONS:-}" ]; then
    # Every idle worker keeps one PostgreSQL session (two while it starts): more than ~480
    # tenants need a larger max_connections than scripts/lib/services.sh sets (500).
    pg_stop "$WORK/pg"
    echo "max_connections = $CSMS_BENCH_PG_MAX_CONNECTIONS" >>"$WORK/pg/pgdata/postgresql.conf"
    pg_start "$WORK/pg" "$PG_PORT"
fi
redis_start "$WORK/redis" "$(free_port)"

ROUTER_PORT=$(free_port)
DIRECT_PORT=$(free_port)
ADMIN_PORT=$(free_port)
PLATFORM_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
bench_secrets
{
    bench_platform_config "$ROUTER_PORT" "$ADMIN_PORT"
    cat <<YAML
plans:
  - name: load
    monthly_price: "0"
    max_stations: $((STATIONS + 100))
    max_concurrent_connections: $((STATIONS * 2 + 1000))
    api_requests_per_second: 100000
platform_api_keys:
  - name: router-bench
    sha256: $(printf %s "$PLATFORM_KEY" | sha256sum | cut -d' ' -f1)
logging:
  level: ${CSMS_BENCH_LOG_LEVEL:-warning}
YAML
} >"$WORK/platform.yaml"
bench_tenant "$WORK/tenants/bench.yaml" bench "Router benchmark" "$DIRECT_PORT"

bench_bootstrap

note "starting the control plane (router 127.0.0.1:$ROUTER_PORT, worker 127.0.0.1:$DIRECT_PORT)"
"$BIN/controlplane" run --config "$WORK/platform.yaml" --log-level "${CSMS_BENCH_LOG_LEVEL:-warning}" >"$WORK/controlplane.log" 2>&1 &
CP_PID=$!
deadline=$((SECONDS + 120))
until curl -fsS "http://127.0.0.1:$DIRECT_PORT/healthz" >/dev/null 2>&1 &&
    curl -fsS -H "Host: bench.csms.test" "http://127.0.0.1:$ROUTER_PORT/healthz" >/dev/null 2>&1; do
    kill -0 "$CP_PID" 2>/dev/null || die "the control plane exited"
    [ $SECONDS -lt $deadline ] || die "the worker did not become healthy (directly and through the router) within 120 s"
    sleep 0.2
done
WORKER_PID=$(pgrep -f -- "$WORK/tenants/bench.yaml" | head -1)
[ -n "$WORKER_PID" ] || die "no tenant-worker process found"

cat <<INFO

Edge-router benchmark
  build      : $BUILD, $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no git") $(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo "(uncommitted changes)"), binaries of $(date -r "$BIN/controlplane" -u +%FT%TZ)
  machine    : $(nproc) CPUs, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), Linux $(uname -r)
  PostgreSQL : $("$PG_BIN/postgres" --version | awk '{print $3}') (max_connections ${CSMS_BENCH_PG_MAX_CONNECTIONS:-500}, shared_buffers 256MB), Redis $(redis-server --version | awk '{print $3}' | tr -d 'v=') (maxclients 10000)
  processes  : control plane pid $CP_PID, worker pid $WORKER_PID, open-file limit $HARD_FILES, log level ${CSMS_BENCH_LOG_LEVEL:-warning}
  arguments  : $*

INFO

set +e
"$VENV/bin/python" Benchmarks/router-bench/bench.py --router-port "$ROUTER_PORT" --direct-port "$DIRECT_PORT" \
    --admin-port "$ADMIN_PORT" --platform-key "$PLATFORM_KEY" --slug bench --base-domain csms.test \
    --cp-pid "$CP_PID" --worker-pid "$WORKER_PID" \
    --db-conninfo "$(pg_superuser_url "$WORK/pg") dbname=csms" --pg-dir "$WORK/pg" \
    --redis-port "$(cat "$WORK/redis/redis.port")" --redis-password "$(cat "$WORK/redis/redis-admin.pw")" \
    --redis-pid "$(cat "$WORK/redis/redis.pid")" --json-out "$WORK/result.json" "$@"
rc=$?
set -e
for pid in "$CP_PID" "$WORKER_PID"; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "process $pid is gone: it crashed or was restarted during the run" >&2
        rc=1
    fi
done
exit $rc

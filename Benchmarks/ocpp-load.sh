#!/usr/bin/env bash
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
#
# OCPP 1.6 load benchmark of one tenant worker: a private PostgreSQL and Redis, a release build,
# `controlplane bootstrap-db` and `controlplane run` with one tenant listening on 127.0.0.1, then
# Benchmarks/ocpp-load/loadgen.py (seeded stations, connect ramp, steady MeterValues rate). Prints
# the figures table and the machine, and tears everything down. Only 127.0.0.1 is ever contacted.
#
#   Benchmarks/ocpp-load.sh --stations 10000 --rate 2000 --duration 60
#   Benchmarks/ocpp-load.sh --stations 1000 --rate 200 --duration 20      # a quick run
#
# Every argument goes to loadgen.py (see `loadgen.py --help`; --url, --password, --seed,
# --db-conninfo, --tenant-slug and --worker-pid are filled in here). Environment:
#   CSMS_BENCH_BIN_DIR   folder with controlplane and tenant-worker (skips the release build)
#   SCRATCH              swift --scratch-path for the release build
#   CSMS_BENCH_VENV      Python venv to create or reuse (default /tmp/open-csms-bench-venv)
#   CSMS_BENCH_LOG_LEVEL control plane and worker log level (default info)
#   CSMS_BENCH_WORKER_PG_CONNECTIONS  postgres.worker_max_connections (default: the product's)
#   CSMS_BENCH_KEEP=1    keep the work folder (logs, result.json) instead of deleting it
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/lib/services.sh
source Benchmarks/lib/bench.sh

STATIONS=1000
HELP=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in
        --stations) STATIONS=${args[$((i + 1))]:-$STATIONS} ;;
        --stations=*) STATIONS=${args[$i]#--stations=} ;;
        --help | -h) HELP=1 ;;
    esac
done
[[ "$STATIONS" =~ ^[0-9]+$ ]] || die "--stations must be a number, got $STATIONS"

ensure_packages "${BASE_PACKAGES[@]}" acl

# Every station is one socket in the worker: its open-file limit comes from this shell.
HARD_FILES=$(ulimit -Hn)
if [ "$HARD_FILES" != unlimited ] && [ "$HARD_FILES" -lt $((STATIONS + 1000)) ]; then
    note "$STATIONS stations exceed the worker's open-file limit ($HARD_FILES): it caps station connections at" \
        "about $((HARD_FILES - 1024)) and refuses the rest with 503; the figures show where it stops"
fi
ulimit -n "$HARD_FILES"

VENV=${CSMS_BENCH_VENV:-/tmp/open-csms-bench-venv}
bench_venv "$VENV"
[ "$HELP" = 1 ] && exec "$VENV/bin/python" Benchmarks/ocpp-load/loadgen.py --help
bench_binaries
bench_workdir ocpp-load

note "starting PostgreSQL and Redis in $WORK"
pg_start "$WORK/pg" "$(free_port)"
redis_start "$WORK/redis" "$(free_port)"

PORT=$(free_port)
ADMIN_PORT=$(free_port)
bench_secrets
WORKER_PG_LINE=""
[ -n "${CSMS_BENCH_WORKER_PG_CONNECTIONS:-}" ] && WORKER_PG_LINE="  worker_max_connections: $CSMS_BENCH_WORKER_PG_CONNECTIONS"
{
    bench_platform_config "$(free_port)" "$ADMIN_PORT" "$WORKER_PG_LINE"
    cat <<YAML
plans:
  - name: load
    monthly_price: "0"
    max_stations: $((STATIONS + 100))
    max_concurrent_connections: $((STATIONS * 2 + 100))
    api_requests_per_second: 1000
logging:
  level: ${CSMS_BENCH_LOG_LEVEL:-info}
YAML
} >"$WORK/platform.yaml"
bench_tenant "$WORK/tenants/load.yaml" load "Load benchmark" "$PORT"

bench_bootstrap

bench_start "$WORK/tenants/load.yaml" "$PORT"

PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
DB_CONNINFO="$(pg_superuser_url "$WORK/pg") dbname=csms"

cat <<INFO

OCPP load benchmark
  build      : $BUILD, $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no git") $(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo "(uncommitted changes)")
  machine    : $(nproc) CPUs, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), Linux $(uname -r)
  PostgreSQL : $("$PG_BIN/postgres" --version | awk '{print $3}') (shared_buffers 256MB), Redis $(redis-server --version | awk '{print $3}' | tr -d 'v=')
  worker     : pid $WORKER_PID, open-file limit $HARD_FILES
  arguments  : $*

INFO

set +e
"$VENV/bin/python" Benchmarks/ocpp-load/loadgen.py --url "ws://127.0.0.1:$PORT/ocpp/" --password "$PASSWORD" \
    --seed --db-conninfo "$DB_CONNINFO" --tenant-slug load --worker-pid "$WORKER_PID" \
    --json-out "$WORK/result.json" "$@"
rc=$?
set -e
if ! kill -0 "$WORKER_PID" 2>/dev/null; then
    echo "the worker (pid $WORKER_PID) is gone: it crashed or was restarted during the run" >&2
    rc=1
fi
exit $rc

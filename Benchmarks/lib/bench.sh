#!/usr/bin/env bash
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
#
# What the benchmark scripts share: the Python venv, the binaries (prebuilt with
# CSMS_BENCH_BIN_DIR, else a release build), and a work folder whose control plane, workers,
# Redis and PostgreSQL are stopped on exit. Source after scripts/lib/services.sh.

# bench_venv VENV: a venv with the end-to-end suite's pinned packages.
bench_venv() {
    local venv=$1
    if [ ! -x "$venv/bin/python" ]; then
        note "creating the Python venv $venv"
        python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install -q --disable-pip-version-check -r Tests/EndToEnd/requirements.txt
}

# bench_binaries: sets BIN (folder with controlplane and tenant-worker) and BUILD (how they came).
bench_binaries() {
    if [ -n "${CSMS_BENCH_BIN_DIR:-}" ]; then
        BIN=$(realpath "$CSMS_BENCH_BIN_DIR")
        BUILD="prebuilt ($BIN)"
    else
        local scratch_args=()
        [ -n "${SCRATCH:-}" ] && scratch_args=(--scratch-path "$SCRATCH")
        note "building controlplane and tenant-worker (release)"
        swift build -c release --product controlplane "${scratch_args[@]}" >&2
        swift build -c release --product tenant-worker "${scratch_args[@]}" >&2
        BIN=$(swift build -c release --show-bin-path "${scratch_args[@]}")
        BUILD="release"
    fi
    for exe in controlplane tenant-worker; do [ -x "$BIN/$exe" ] || die "$BIN/$exe not found"; done
}

# bench_workdir NAME: sets WORK to a new folder and arranges for everything started in it (the
# control plane in CP_PID, workers running tenant files of WORK, Redis, PostgreSQL) to be
# stopped on exit; CSMS_BENCH_KEEP=1 keeps the folder.
bench_workdir() {
    WORK=$(mktemp -d "/tmp/$1.XXXXXX")
    chmod 755 "$WORK"
    CP_PID=""
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

bench_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    if [ -n "$CP_PID" ] && kill -0 "$CP_PID" 2>/dev/null; then
        kill -TERM "$CP_PID"
        for _ in $(seq 1 300); do kill -0 "$CP_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$CP_PID" 2>/dev/null && kill -KILL "$CP_PID"
        wait "$CP_PID" 2>/dev/null
    fi
    # Workers left behind by a killed control plane run tenant files of this folder: only those.
    for pid in $(pgrep -f -- "$WORK/tenants/" || true); do kill -KILL "$pid" 2>/dev/null; done
    redis_stop "$WORK/redis"
    pg_stop "$WORK/pg"
    if [ $rc -ne 0 ] && [ -f "$WORK/controlplane.log" ]; then
        echo "--- last lines of the control plane and worker log ---" >&2
        tail -40 "$WORK/controlplane.log" >&2
    fi
    if [ "${CSMS_BENCH_KEEP:-0}" = 1 ]; then note "kept $WORK"; else rm -rf "$WORK"; fi
    exit $rc
}

# bench_tenant FILE SLUG DISPLAY_NAME PORT: a benchmark tenant on plan `load` (OCPP 1.6, Basic
# auth, registered stations only) that also listens on 127.0.0.1:PORT itself.
bench_tenant() {
    cat >"$1" <<YAML
# A benchmark tenant (Benchmarks/lib/bench.sh); see docs/configuration.md.
slug: $2
display_name: $3
plan: load
ocpp:
  allowed_versions: [ocpp1.6]
  heartbeat_interval: 3600s
  security_profile: 1
  unknown_stations: reject
  response_timeout: 30s
http:
  tcp_listen: 127.0.0.1:$4
YAML
}

# bench_bootstrap: roles, database and schema for $WORK/platform.yaml.
bench_bootstrap() {
    note "bootstrapping the database"
    "$BIN/controlplane" bootstrap-db --config "$WORK/platform.yaml" --superuser "$(pg_superuser_url "$WORK/pg")" \
        >"$WORK/bootstrap.log" 2>&1 || { cat "$WORK/bootstrap.log" >&2; die "bootstrap-db failed"; }
}

# bench_secrets: $WORK/secrets (0700) with the Redis admin password the control plane reads;
# also makes $WORK/tenants and $WORK/data.
bench_secrets() {
    mkdir -p "$WORK/secrets" "$WORK/tenants" "$WORK/data"
    chmod 700 "$WORK/secrets"
    cp "$WORK/redis/redis-admin.pw" "$WORK/secrets/redis-admin"
    chmod 600 "$WORK/secrets/redis-admin"
}

# bench_platform_config ROUTER_PORT ADMIN_PORT [POSTGRES_LINE]: prints what every benchmark's
# platform.yaml shares (listen, paths, worker, PostgreSQL, Redis); the caller appends its plans,
# keys and log level. POSTGRES_LINE is one more indented `postgres:` setting.
bench_platform_config() {
    cat <<YAML
# Written by $(basename "$0"); see docs/configuration.md.
base_domain: csms.test
listen:
  http: 127.0.0.1:$1
  admin: 127.0.0.1:$2
data_directory: $WORK/data
tenants_directory: $WORK/tenants
migrations_directory: $ROOT/migrations
worker:
  executable: $BIN/tenant-worker
postgres:
  host: 127.0.0.1
  port: $(cat "$WORK/pg/pg.port")
  database: csms
  user: csms_control
  password_file: $WORK/secrets/postgres-control
${3:-}
redis:
  host: 127.0.0.1
  port: $(cat "$WORK/redis/redis.port")
  user: csms_admin
  password_file: $WORK/secrets/redis-admin
YAML
}

# bench_start TENANT_FILE PORT [controlplane run arguments...]: starts the control plane on
# $WORK/platform.yaml and waits (at most 120 s) until the tenant's worker answers /healthz on
# 127.0.0.1:PORT; sets CP_PID and WORKER_PID.
bench_start() {
    local tenant_file=$1 port=$2
    shift 2
    note "starting the control plane (worker on 127.0.0.1:$port)"
    "$BIN/controlplane" run --config "$WORK/platform.yaml" "$@" >"$WORK/controlplane.log" 2>&1 &
    CP_PID=$!
    local deadline=$((SECONDS + 120))
    until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
        kill -0 "$CP_PID" 2>/dev/null || die "the control plane exited"
        [ $SECONDS -lt $deadline ] || die "the worker did not become healthy within 120 s"
        sleep 0.2
    done
    WORKER_PID=$(pgrep -f -- "$tenant_file" | head -1)
    [ -n "$WORKER_PID" ] || die "no tenant-worker process found"
}

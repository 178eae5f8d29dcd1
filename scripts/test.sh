#!/usr/bin/env bash
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
#
# Runs every test: installs what the tests need, starts a private PostgreSQL 15 and a private
# Redis (ACLs on) on free ports in a temporary folder, builds once, runs the whole suite, tears
# the services down, and exits non-zero on any failure. A missing package or service fails loudly.
#
#   ./scripts/test.sh                 # everything
#   ./scripts/test.sh --filter Tenancy  # arguments go to `swift test`
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/lib/services.sh

ensure_packages "${BASE_PACKAGES[@]}" acl

note "soundness checks"
./scripts/soundness.sh

WORK=$(mktemp -d /tmp/open-csms-test.XXXXXX)
chmod 755 "$WORK"
cleanup() {
    local rc=$?
    set +e
    pg_stop "$WORK/pg"
    redis_stop "$WORK/redis"
    if [ $rc -ne 0 ]; then
        echo "--- last lines of the PostgreSQL log ---" >&2; tail -20 "$WORK/pg/postgres.log" 2>/dev/null >&2
        echo "--- last lines of the Redis log ---" >&2; tail -20 "$WORK/redis/redis.log" 2>/dev/null >&2
    fi
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT

note "starting PostgreSQL and Redis in $WORK"
pg_start "$WORK/pg" "$(free_port)"
redis_start "$WORK/redis" "$(free_port)"

export CSMS_TEST_PG_URL; CSMS_TEST_PG_URL=$(pg_superuser_url "$WORK/pg")
export CSMS_TEST_REDIS_PORT; CSMS_TEST_REDIS_PORT=$(cat "$WORK/redis/redis.port")
export CSMS_TEST_REDIS_ADMIN_USER=csms_admin
export CSMS_TEST_REDIS_ADMIN_PASSWORD; CSMS_TEST_REDIS_ADMIN_PASSWORD=$(cat "$WORK/redis/redis-admin.pw")
export CSMS_TEST_WORK_DIR="$WORK"

note "building (debug, with tests)"
if ! swift build --build-tests >"$WORK/build.log" 2>&1; then
    grep -E "error:" "$WORK/build.log" | head -40 >&2 || tail -40 "$WORK/build.log" >&2
    die "build failed"
fi
# Warnings in our own targets (not in dependencies) are listed; there should be none.
grep -E "^$ROOT/(ControlPlane|TenantWorker|Shared|Tests|Benchmarks)/.*warning:" "$WORK/build.log" | sort -u >&2 || true
export CSMS_TEST_BIN_DIR; CSMS_TEST_BIN_DIR=$(swift build --show-bin-path)

# Python peers we did not write: the `ocpp` package's stations (end-to-end suite) and the nanoidp
# OIDC provider the identity tests log in against.
VENV=${CSMS_PY_VENV:-$HOME/.cache/open-csms/e2e-venv}
ensure_python_venv "$VENV" Tests/EndToEnd/requirements.txt
export CSMS_TEST_NANOIDP_PYTHON="$VENV/bin/python"

note "running the tests"
if [ $# -eq 0 ]; then
    # The edge router's tests check that no descriptor leaks by counting the process's open files,
    # so they run in a process of their own, apart from suites that open files concurrently.
    swift test --skip-build --filter EdgeRoutingTests
    swift test --skip-build --skip EdgeRoutingTests
else
    swift test --skip-build "$@"
fi

# The end-to-end suite drives the real binaries with stations from the Python `ocpp` package.
# It runs with the full suite; `./scripts/test.sh --filter X` runs only the Swift tests named.
if [ $# -eq 0 ]; then
    note "end-to-end tests: Python ocpp stations against the real control plane and workers"
    "$VENV/bin/python" -m pytest Tests/EndToEnd -q -p no:cacheprovider
fi

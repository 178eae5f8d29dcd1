#!/usr/bin/env bash
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
#
# Single-row INSERT throughput and latency of the Postgres module (pg-insert-bench, release build)
# next to pgbench running the same statement with the same number of connections against the
# same server. Runs alternate (ours, pgbench, ours, ...) so that a noisy machine hurts both alike.
#
#   CSMS_BENCH_PG_URL="host=... user=... dbname=..." Benchmarks/pg-insert.sh
#   CONNECTIONS=8 DURATION=10 RUNS=3 PIPELINE=1 SCRATCH=.build-pg Benchmarks/pg-insert.sh
#
# CSMS_BENCH_PG_URL (or CSMS_TEST_PG_URL) is a libpq conninfo; the role needs CREATE on the
# database (the table bench_insert is created and truncated). PGBENCH overrides the pgbench path.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNINFO=${CSMS_BENCH_PG_URL:-${CSMS_TEST_PG_URL:-}}
if [ -z "$CONNINFO" ]; then
    echo "pg-insert.sh: set CSMS_BENCH_PG_URL (or CSMS_TEST_PG_URL) to a libpq conninfo" >&2
    exit 1
fi
CONNECTIONS=${CONNECTIONS:-8}
DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
PIPELINE=${PIPELINE:-0}
PGBENCH=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
[ -x "$PGBENCH" ] || PGBENCH=$(command -v pgbench || true)
if [ -z "$PGBENCH" ]; then
    echo "pg-insert.sh: pgbench not found (install postgresql-15 or set PGBENCH)" >&2
    exit 1
fi
SCRATCH_ARGS=()
[ -n "${SCRATCH:-}" ] && SCRATCH_ARGS=(--scratch-path "$SCRATCH")

echo "building pg-insert-bench (release)..." >&2
swift build -c release --product pg-insert-bench "${SCRATCH_ARGS[@]}" >&2
BIN="$(swift build -c release --show-bin-path "${SCRATCH_ARGS[@]}")/pg-insert-bench"

WORK=$(mktemp -d /tmp/pg-insert-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# The same statement as pg-insert-bench, as a prepared statement with random parameter values.
cat >"$WORK/insert.sql" <<'SQL'
\set station random(1, 1000)
\set value random(0, 1000000) / 4.0
INSERT INTO bench_insert (station, value) VALUES (:station, :value);
SQL
THREADS=$((CONNECTIONS < 2 ? CONNECTIONS : 2))

# Prints "inserts_per_s p50_ms p99_ms rss_mib" of one pg-insert-bench run.
run_ours() {
    local line
    line=$("$BIN" --conninfo "$CONNINFO" --connections "$CONNECTIONS" --duration "$DURATION" "$@" | grep '^RESULT')
    echo "$line" | tr ' ' '\n' | awk -F= '
        $1=="inserts_per_s"{t=$2} $1=="p50_ms"{a=$2} $1=="p99_ms"{b=$2} $1=="rss_mib"{r=$2}
        END{print t, a, b, r}'
}

# Prints "inserts_per_s p50_ms p99_ms" of one pgbench run; latencies from its per-transaction log.
run_pgbench() {
    "$BIN" --conninfo "$CONNINFO" --setup-only >/dev/null
    rm -f "$WORK"/pgbench_log*
    local out tps
    out=$("$PGBENCH" -n -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" -f "$WORK/insert.sql" \
        -l --log-prefix "$WORK/pgbench_log" "$CONNINFO" 2>&1) || { echo "$out" >&2; return 1; }
    tps=$(echo "$out" | awk '/^tps = /{print $3; exit}')
    # Log fields: client_id transaction_no time(us) script_no time_epoch time_us.
    cat "$WORK"/pgbench_log* | awk '{print $3}' | sort -n | awk -v tps="$tps" '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print tps, "n/a", "n/a"; exit }
            i50 = int(NR * 0.50); if (i50 < NR * 0.50) i50++
            i99 = int(NR * 0.99); if (i99 < NR * 0.99) i99++
            printf "%.1f %.3f %.3f\n", tps, v[i50] / 1000, v[i99] / 1000
        }'
}

ratios=()
rows=()
for run in $(seq 1 "$RUNS"); do
    echo "run $run/$RUNS: pg-insert-bench" >&2
    read -r o_tps o_p50 o_p99 o_rss < <(run_ours)
    echo "run $run/$RUNS: pgbench" >&2
    read -r b_tps b_p50 b_p99 < <(run_pgbench)
    ratio=$(awk -v a="$o_tps" -v b="$b_tps" 'BEGIN{printf "%.2f", a / b}')
    ratios+=("$ratio")
    rows+=("$(printf '%-26s %11s %12s %9s %9s   RSS %s MiB' "pg-insert-bench (run $run)" "$CONNECTIONS" "$o_tps" "$o_p50" "$o_p99" "$o_rss")")
    rows+=("$(printf '%-26s %11s %12s %9s %9s   ratio %s' "pgbench -M prepared" "$CONNECTIONS" "$b_tps" "$b_p50" "$b_p99" "$ratio")")
    if [ "$PIPELINE" = "1" ]; then
        echo "run $run/$RUNS: pg-insert-bench --pipeline" >&2
        read -r p_tps p_p50 p_p99 p_rss < <(run_ours --pipeline)
        rows+=("$(printf '%-26s %11s %12s %9s %9s   RSS %s MiB, latency per 1000-row batch' "pg-insert-bench --pipeline" "$CONNECTIONS" "$p_tps" "$p_p50" "$p_p99" "$p_rss")")
    fi
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}')

cpu_model=$(awk -F: '/^model name/{sub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
echo
echo "Single-row INSERT into bench_insert, ${DURATION}s per run, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-26s %11s %12s %9s %9s\n' "tool" "connections" "inserts/s" "p50 ms" "p99 ms"
printf '%s\n' "${rows[@]}"
echo "ratio ours/pgbench (median of $RUNS): $median"
server=$("$BIN" --conninfo "$CONNINFO" --setup-only | sed 's/^bench_insert is ready on //')
echo "machine: $(nproc) CPUs, ${cpu_model}"
echo "server:  ${server} (same machine unless the conninfo says otherwise)"

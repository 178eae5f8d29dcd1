#!/usr/bin/env bash
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
#
# Id token bulk import benchmark (issue 6: 100,000 tokens in under 10 s): a private PostgreSQL and
# Redis, a release build, `controlplane bootstrap-db` and `controlplane run` with one tenant
# listening on 127.0.0.1, then imports generated files (Benchmarks/token-import/generate.py)
# through the real `POST /api/v1/tokens/import` with curl and prints, per run, the wall time (the
# whole request: upload, parse, validate, write, answer), rows per second and the worker's RSS
# before and its peak (VmHWM) after. Runs: new tokens as CSV, the same file again (every row an
# unchanged upsert), new tokens as JSON, a file with 1% bad rows without and with ?partial=true,
# and the CSV export of everything. Only 127.0.0.1 is ever contacted.
#
#   Benchmarks/token-import.sh                    # 100,000 tokens, 1% bad rows
#   Benchmarks/token-import.sh --tokens 20000     # a quick run
#
# Environment:
#   CSMS_BENCH_BIN_DIR   folder with controlplane and tenant-worker (skips the release build; point
#                        it at .build/debug to measure a debug build)
#   SCRATCH              swift --scratch-path for the release build
#   CSMS_BENCH_LOG_LEVEL control plane and worker log level (default info)
#   CSMS_BENCH_KEEP=1    keep the work folder (logs, generated files, answers) instead of deleting it
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/lib/services.sh
source Benchmarks/lib/bench.sh

TOKENS=100000
BAD_PERCENT=1
while [ $# -gt 0 ]; do
    case "$1" in
        --tokens) TOKENS=${2:-}; shift ;;
        --tokens=*) TOKENS=${1#--tokens=} ;;
        --bad-percent) BAD_PERCENT=${2:-}; shift ;;
        --bad-percent=*) BAD_PERCENT=${1#--bad-percent=} ;;
        --help | -h) sed -n '3,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[[ "$TOKENS" =~ ^[0-9]+$ ]] || die "--tokens must be a number, got $TOKENS"
[[ "$BAD_PERCENT" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--bad-percent must be a number, got $BAD_PERCENT"

ensure_packages "${BASE_PACKAGES[@]}" acl
bench_binaries
bench_workdir token-import

note "starting PostgreSQL and Redis in $WORK"
pg_start "$WORK/pg" "$(free_port)"
redis_start "$WORK/redis" "$(free_port)"

PORT=$(free_port)
API_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
bench_secrets
mkdir -p "$WORK/files"
{
    bench_platform_config "$(free_port)" "$(free_port)"
    cat <<YAML
plans:
  - name: load
    monthly_price: "0"
    max_stations: 100
    max_concurrent_connections: 100
    api_requests_per_second: 1000
logging:
  level: ${CSMS_BENCH_LOG_LEVEL:-info}
YAML
} >"$WORK/platform.yaml"
bench_tenant "$WORK/tenants/tokens.yaml" tokens "Token import benchmark" "$PORT"
cat >>"$WORK/tenants/tokens.yaml" <<YAML
api_keys:
  - name: token-import-bench
    sha256: $(printf %s "$API_KEY" | sha256sum | cut -d' ' -f1)
YAML

bench_bootstrap

bench_start "$WORK/tenants/tokens.yaml" "$PORT"

note "generating the files ($TOKENS tokens each)"
GEN=Benchmarks/token-import/generate.py
python3 "$GEN" --tokens "$TOKENS" --prefix CSV >"$WORK/files/clean.csv" 2>/dev/null
python3 "$GEN" --tokens "$TOKENS" --prefix JSN --format json >"$WORK/files/clean.json" 2>/dev/null
python3 "$GEN" --tokens "$TOKENS" --prefix BAD --bad-percent "$BAD_PERCENT" >"$WORK/files/bad.csv" 2>/dev/null

kib() { awk -v k="$1" '/^'"$1"':/{printf "%.0f", $2 / 1024}' "/proc/$WORKER_PID/status"; }

cat <<INFO

Id token import benchmark
  build      : $BUILD, $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no git") $(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo "(uncommitted changes)"), binaries of $(date -r "$BIN/tenant-worker" -u +%FT%TZ)
  machine    : $(nproc) CPUs, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), Linux $(uname -r)
  PostgreSQL : $("$PG_BIN/postgres" --version | awk '{print $3}') (shared_buffers 256MB), on the same machine
  worker     : pid $WORKER_PID, RSS at start $(kib VmRSS) MiB
  files      : $TOKENS tokens each; clean.csv $(du -h "$WORK/files/clean.csv" | cut -f1), clean.json $(du -h "$WORK/files/clean.json" | cut -f1), bad.csv $(du -h "$WORK/files/bad.csv" | cut -f1) ($BAD_PERCENT% bad rows)

INFO

printf '%-34s %6s %9s %11s %9s %9s  %s\n' "run" "HTTP" "wall s" "rows/s" "RSS MiB" "peak MiB" "answer"
rc=0
# run NAME FILE CONTENT_TYPE QUERY EXPECTED_STATUS
run() {
    local name=$1 file=$2 type=$3 query=$4 expected=$5 before out status seconds summary
    before=$(kib VmRSS)
    # `Expect:` turns off curl's "Expect: 100-continue" for bodies over 1 MiB: the worker (Hummingbird)
    # sends no interim 100 answer, so curl would wait 1 s before uploading and that second would be
    # measured as import time.
    out=$(curl -sS -o "$WORK/files/$name.answer" -w '%{http_code} %{time_total}' -X POST -H "Expect:" \
        -H "Authorization: Bearer $API_KEY" -H "Content-Type: $type" --data-binary "@$file" \
        "http://127.0.0.1:$PORT/api/v1/tokens/import$query")
    status=${out% *}
    seconds=${out#* }
    summary=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(f"{k}={d[k]}" for k in ("imported","updated","unchanged","rejected") if k in d))' "$WORK/files/$name.answer" 2>/dev/null || head -c 200 "$WORK/files/$name.answer")
    printf '%-34s %6s %9.2f %11.0f %9s %9s  %s\n' "$name" "$status" "$seconds" "$(awk -v n="$TOKENS" -v s="$seconds" 'BEGIN{print n / s}')" \
        "$before" "$(kib VmHWM)" "$summary"
    if [ "$status" != "$expected" ]; then
        echo "  expected HTTP $expected" >&2
        rc=1
    fi
}
run "new tokens, CSV" "$WORK/files/clean.csv" text/csv "" 200
run "same file again (all unchanged)" "$WORK/files/clean.csv" text/csv "" 200
run "new tokens, JSON" "$WORK/files/clean.json" application/json "" 200
run "$BAD_PERCENT% bad rows (nothing imported)" "$WORK/files/bad.csv" text/csv "" 422
run "$BAD_PERCENT% bad rows, ?partial=true" "$WORK/files/bad.csv" text/csv "?partial=true" 200

out=$(curl -sS -o "$WORK/files/export.csv" -w '%{http_code} %{time_total}' \
    -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:$PORT/api/v1/tokens/export?format=csv")
rows=$(($(wc -l <"$WORK/files/export.csv") - 1))
printf '%-34s %6s %9.2f %11.0f %9s %9s  %s\n' "export, CSV" "${out% *}" "${out#* }" \
    "$(awk -v n="$rows" -v s="${out#* }" 'BEGIN{print n / s}')" "-" "$(kib VmHWM)" "$rows tokens"
echo
if ! kill -0 "$WORKER_PID" 2>/dev/null; then
    echo "the worker (pid $WORKER_PID) is gone: it crashed or was restarted during the run" >&2
    rc=1
fi
exit $rc

#!/usr/bin/env bash
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
#
# Checks that need no build: formatting (swift format with the repo's .swift-format), licence
# headers, and no print( / try! in product code. Run by scripts/test.sh and before every commit.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
complain() { echo "soundness: $*" >&2; status=1; }

# Tracked and new files that exist (a file deleted but not yet committed is skipped).
list_files() { git ls-files -co --exclude-standard "$@" | grep -v '^\.build' | sort -u | while IFS= read -r f; do [ -f "$f" ] && echo "$f"; done; }

swift_sources=$(list_files '*.swift')

# 1. Formatting.
if [ -n "$swift_sources" ]; then
    if ! out=$(echo "$swift_sources" | xargs swift format lint --strict --configuration .swift-format 2>&1); then
        echo "$out" | head -40 >&2
        complain "swift format found problems; fix with: swift format --in-place --recursive --configuration .swift-format ControlPlane TenantWorker Shared Tests Benchmarks Package.swift"
    fi
fi

# 2. Licence header in the first three lines of every source, script and SQL file.
while IFS= read -r f; do
    [ -f "$f" ] || continue
    head -3 "$f" | grep -q "Licensed under the Apache License, Version 2.0" || complain "$f: missing licence header"
done < <(list_files '*.swift' '*.sh' '*.sql' '*.py' 'scripts/*' '.ci/*')

# 3. No print( or try! in product code (logging and error handling instead).
product=$(echo "$swift_sources" | grep -E '^(ControlPlane|TenantWorker|Shared)/' || true)
if [ -n "$product" ]; then
    hits=$(echo "$product" | xargs grep -nE '(^|[^A-Za-z0-9_.])print\(|try!' || true)
    [ -n "$hits" ] && complain "print( or try! in product code:
$hits"
fi

[ $status -eq 0 ] && echo "soundness: ok" >&2
exit $status

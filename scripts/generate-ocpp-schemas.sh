#!/usr/bin/env bash
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
#
# Regenerates the OCPP payload schema tables from the official OCA JSON schemas, which ship inside
# the Python `ocpp` package (pinned below), and the golden CALL frames that the same package
# produces for Tests/Fixtures/ocpp/. The output is committed, so building and CI need no Python.
#
#   scripts/generate-ocpp-schemas.sh
#
# Writes Shared/OCPP16/Generated/*.swift, Shared/OCPP201/Generated/*.swift (both folders belong to
# the generator: stale files are removed) and Tests/Fixtures/ocpp/*.json, then formats the Swift
# with the repo's .swift-format. The virtual environment is created on first use in
# $OCPP_VENV (default: ~/.cache/open-csms/ocpp-<version>-venv) and reused while it holds the
# pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."

OCPP_PACKAGE_VERSION=2.1.0
VENV=${OCPP_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/open-csms/ocpp-$OCPP_PACKAGE_VERSION-venv}

has_pinned_package() {
    "$VENV/bin/python" - "$OCPP_PACKAGE_VERSION" 2>/dev/null <<'EOF'
import importlib.metadata, sys
sys.exit(0 if importlib.metadata.version("ocpp") == sys.argv[1] else 1)
EOF
}

if ! has_pinned_package; then
    echo "generate-ocpp-schemas: installing ocpp==$OCPP_PACKAGE_VERSION into $VENV" >&2
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet "ocpp==$OCPP_PACKAGE_VERSION"
    has_pinned_package || { echo "generate-ocpp-schemas: ocpp $OCPP_PACKAGE_VERSION not importable from $VENV" >&2; exit 1; }
fi

PACKAGE_DIR=$("$VENV/bin/python" -c 'import os, ocpp; print(os.path.dirname(ocpp.__file__))')
for sub in v16 v201; do
    [ -d "$PACKAGE_DIR/$sub/schemas" ] || { echo "generate-ocpp-schemas: no $sub/schemas in $PACKAGE_DIR" >&2; exit 1; }
done

"$VENV/bin/python" scripts/codegen/generate_ocpp_schemas.py \
    --package-dir "$PACKAGE_DIR" --package-version "$OCPP_PACKAGE_VERSION" \
    --out16 Shared/OCPP16/Generated --out201 Shared/OCPP201/Generated \
    --command scripts/generate-ocpp-schemas.sh

"$VENV/bin/python" scripts/codegen/make_ocpp_fixtures.py --out Tests/Fixtures/ocpp

swift format format -i --configuration .swift-format Shared/OCPP16/Generated/*.swift Shared/OCPP201/Generated/*.swift
echo "generate-ocpp-schemas: done" >&2

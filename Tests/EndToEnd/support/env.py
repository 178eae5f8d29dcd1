# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""The services scripts/test.sh provides, read from its CSMS_TEST_* variables."""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


class MissingEnvironment(RuntimeError):
    """A variable scripts/test.sh exports is missing: the suite cannot run (it never skips)."""


def require(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise MissingEnvironment(
            f"{name} is not set. Run the suite through scripts/test.sh, or export the CSMS_TEST_* "
            "variables yourself (source /tmp/csms-dev/env.sh and set CSMS_TEST_BIN_DIR to the "
            "folder holding controlplane and tenant-worker)."
        )
    return value


_CONNINFO_PAIR = re.compile(r"\s*([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s']*)")


def parse_conninfo(conninfo: str) -> dict[str, str]:
    """Parses a libpq key=value connection string (values may be single-quoted with \\ escapes)."""
    result: dict[str, str] = {}
    pos = 0
    while pos < len(conninfo):
        if conninfo[pos:].strip() == "":
            break
        match = _CONNINFO_PAIR.match(conninfo, pos)
        if not match:
            raise ValueError(f"cannot parse the libpq connection string near {conninfo[pos:pos + 20]!r}")
        key, value = match.group(1), match.group(2)
        if value.startswith("'"):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        result[key] = value
        pos = match.end()
    return result


def make_conninfo(params: dict[str, str]) -> str:
    """The inverse of parse_conninfo: every value quoted, so spaces and quotes are safe."""

    def quote(value: str) -> str:
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{k}={quote(v)}" for k, v in params.items())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class TestServices:
    pg_superuser_conninfo: str
    redis_port: int
    redis_admin_user: str
    redis_admin_password: str
    bin_dir: Path
    work_dir: Path

    @property
    def pg(self) -> dict[str, str]:
        return parse_conninfo(self.pg_superuser_conninfo)

    @staticmethod
    def from_environment() -> "TestServices":
        bin_dir = Path(require("CSMS_TEST_BIN_DIR"))
        for exe in ("controlplane", "tenant-worker"):
            if not os.access(bin_dir / exe, os.X_OK):
                raise MissingEnvironment(f"{bin_dir / exe} is missing or not executable (run swift build)")
        work = Path(os.environ.get("CSMS_TEST_WORK_DIR") or "/tmp")
        return TestServices(
            pg_superuser_conninfo=require("CSMS_TEST_PG_URL"),
            redis_port=int(require("CSMS_TEST_REDIS_PORT")),
            redis_admin_user=os.environ.get("CSMS_TEST_REDIS_ADMIN_USER") or "csms_admin",
            redis_admin_password=require("CSMS_TEST_REDIS_ADMIN_PASSWORD"),
            bin_dir=bin_dir,
            work_dir=work,
        )

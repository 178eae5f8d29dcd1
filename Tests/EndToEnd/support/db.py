# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Reads (and, for set-up only, writes) the CSMS database as the PostgreSQL superuser through
psql: the tests check what the worker stored, bypassing row-level security on purpose."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from .env import make_conninfo, parse_conninfo


class PsqlError(RuntimeError):
    pass


class Database:
    def __init__(self, superuser_conninfo: str, dbname: str):
        params = parse_conninfo(superuser_conninfo)
        params["dbname"] = dbname
        params.setdefault("connect_timeout", "10")
        self.dbname = dbname
        self.conninfo = make_conninfo(params)

    def _run(self, sql: str, variables: dict[str, Any], timeout: float) -> str:
        # Variables go through psql's own quoting (:'name' in the SQL); psql interpolates them only
        # in input it reads, not in -c, hence the script on stdin.
        args = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        for key, value in variables.items():
            args += ["-v", f"{key}={'' if value is None else value}"]
        args.append(self.conninfo)
        done = subprocess.run(args, input=sql, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise PsqlError(f"psql failed ({done.returncode}): {done.stderr.strip()}\nSQL: {sql.strip()}")
        return done.stdout

    def rows(self, sql: str, timeout: float = 60, **variables: Any) -> list[dict[str, Any]]:
        """Rows of one SELECT as dicts (through json_agg, so numbers stay numbers)."""
        body = sql.strip().rstrip(";")
        out = self._run(f"SELECT coalesce(json_agg(q), '[]'::json) FROM ({body}) q;\n", variables, timeout)
        return json.loads(out.strip() or "[]")

    def value(self, sql: str, **variables: Any) -> Any:
        rows = self.rows(sql, **variables)
        if not rows:
            return None
        return next(iter(rows[0].values()))

    def execute(self, sql: str, timeout: float = 600, **variables: Any) -> str:
        return self._run(sql, variables, timeout)

    def error_as_role(self, role: str, statement: str) -> str | None:
        """Runs `statement` under `SET ROLE <role>` (privilege checks are the role's) inside a
        transaction that is rolled back; returns psql's error text, or None when it succeeded."""
        script = f"BEGIN;\nSET LOCAL ROLE :\"role\";\n{statement};\nROLLBACK;\n"
        try:
            self._run(script, {"role": role}, 60)
        except PsqlError as error:
            return str(error)
        return None

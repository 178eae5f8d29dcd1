#!/usr/bin/env python3
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Writes an id token import file for Benchmarks/token-import.sh: N tokens in CSV (the import's
header `token,type,status,expires_at,parent_token`) or as a JSON array, every column filled the way
a card export from another system looks, optionally with a share of bad rows of five kinds (bad
type, bad status, bad date, too many fields, a duplicate of an earlier row), spread evenly.

    generate.py --tokens 100000 --prefix RUN1 > tokens.csv
    generate.py --tokens 100000 --bad-percent 1 --format json > tokens-bad.json
"""

from __future__ import annotations

import argparse
import json
import sys

TYPES = ["ISO14443", "ISO14443", "ISO14443", "eMAID", "Central", "KeyCode"]
STATUSES = ["accepted"] * 17 + ["blocked", "expired", "invalid"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tokens", type=int, default=100_000, help="rows to write (default 100000)")
    p.add_argument("--bad-percent", type=float, default=0.0, help="share of bad rows in percent (default 0)")
    p.add_argument("--prefix", default="BENCH", help="token prefix, so runs do not collide (default BENCH)")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    args = p.parse_args()

    every = int(100 / args.bad_percent) if args.bad_percent > 0 else 0
    rows: list[list[str]] = []
    bad = 0
    for i in range(args.tokens):
        token = f"{args.prefix}{i:08X}"
        row = [token, TYPES[i % len(TYPES)], STATUSES[i % len(STATUSES)],
               f"20{27 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}T23:59:59Z" if i % 3 else "",
               f"{args.prefix}-FLEET-{i % 50}" if i % 4 == 0 else ""]
        if every and i % every == every - 1:
            kind = bad % 5
            bad += 1
            if kind == 0:
                row[1] = "Badge"
            elif kind == 1:
                row[2] = "sleeping"
            elif kind == 2:
                row[3] = "next tuesday"
            elif kind == 3:
                row.append("surplus")
            else:
                row = list(rows[-1]) if rows else row
        rows.append(row)

    out = sys.stdout
    if args.format == "csv":
        out.write("token,type,status,expires_at,parent_token\n")
        out.writelines(",".join(r) + "\n" for r in rows)
    else:
        names = ["token", "type", "status", "expires_at", "parent_token", "surplus"]
        out.write("[\n")
        out.write(",\n".join(json.dumps({names[j]: (v or None) for j, v in enumerate(r)}) for r in rows))
        out.write("\n]\n")
    print(f"{args.tokens} tokens, {bad} bad rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

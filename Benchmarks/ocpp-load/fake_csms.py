#!/usr/bin/env python3
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""A minimal stand-in CSMS for checking the load generator itself (loadgen.py --help explains the
real target): OCPP 1.6 only, Basic auth with one shared password, BootNotification Accepted and
an empty CALLRESULT for everything else. It stores nothing, so its figures are the ceiling of the
load generator on this machine, not a CSMS measurement.

    python fake_csms.py --port 18900 --password secret
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import http
import json
import resource
from datetime import datetime, timezone

from websockets.asyncio.server import ServerConnection, serve


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--password", required=True)
    cfg = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # A stand-in that should never be the bottleneck: no garbage-collector pauses (it runs for
    # one benchmark and its cyclic garbage is small).
    gc.disable()

    def check(conn: ServerConnection, request):  # noqa: ANN001 - websockets' Request
        identity = request.path.rsplit("/", 1)[-1]
        expected = "Basic " + base64.b64encode(f"{identity}:{cfg.password}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return conn.respond(http.HTTPStatus.UNAUTHORIZED, "bad credentials\n")
        return None

    async def handle(ws: ServerConnection) -> None:
        async for raw in ws:
            msg = json.loads(raw)
            if msg[0] != 2:
                continue
            if msg[2] == "BootNotification":
                now = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
                payload = {"status": "Accepted", "currentTime": now, "interval": 3600}
            else:
                payload = {}
            await ws.send(json.dumps([3, msg[1], payload]))

    async def run() -> None:
        async with serve(handle, "127.0.0.1", cfg.port, process_request=check, subprotocols=["ocpp1.6"],
                         compression=None, ping_interval=None, backlog=4096):
            await asyncio.Future()

    asyncio.run(run())


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""OCPP 1.6J load generator: many simulated stations over real WebSockets.

Phases:
  1. seed (optional, --seed): the stations are inserted straight into csms.stations as the
     PostgreSQL superuser, all with one precomputed PBKDF2 hash of the shared password;
  2. ramp: every station connects (HTTP Basic auth, subprotocol ocpp1.6), sends BootNotification
     and a StatusNotification; handshakes are paced (--connect-rate) and bounded
     (--connect-concurrency) so that the ramp measures the server, not a SYN flood;
  3. steady: MeterValues with 4 sampled values at an aggregate --rate for --duration seconds
     (open loop: the schedule does not wait for answers; a station never has more than one CALL
     outstanding, OCPP-J §4.1.1); latency = send to CALLRESULT;
  4. close.
The worker's RSS (VmRSS) is read before the ramp, after it and after the steady phase, and the
csms.meter_values rows added during the steady phase are counted to prove the samples were stored.

The stations are spread over --processes processes (at most --max-sockets-per-process sockets
each; the machine allows 20 000 open files per process) and, past --stations-per-source-ip, over
several loopback source addresses (each has ~28 000 ephemeral ports). Only 127.0.0.0/8 is used.

Run through Benchmarks/ocpp-load.sh, which builds and deploys everything; or against a running
worker:  loadgen.py --url ws://127.0.0.1:8081/ocpp/ --password ... --stations 1000 --rate 200
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import gc
import hashlib
import json
import math
import multiprocessing
import os
import platform
import resource
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

# ---------------------------------------------------------------------------------------------
# Password hash compatible with Shared/Credentials/PasswordHash.swift:
#   pbkdf2-sha256$<iterations>$<salt>$<hash>, salt 16 random bytes, hash 32 bytes of
#   PBKDF2-HMAC-SHA256 over the UTF-8 password, both standard base64 (+/) WITHOUT padding.
# ---------------------------------------------------------------------------------------------

def b64_unpadded(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def password_hash(password: str, iterations: int, salt: bytes | None = None) -> str:
    if not 1000 <= iterations <= 10_000_000:
        raise ValueError("PasswordHash.swift accepts 1000...10000000 iterations")
    salt = salt if salt is not None else secrets.token_bytes(16)
    derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations, 32)
    return f"pbkdf2-sha256${iterations}${b64_unpadded(salt)}${b64_unpadded(derived)}"


def station_ids(prefix: str, count: int) -> list[str]:
    width = max(6, len(str(count)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, count + 1)]


# ---------------------------------------------------------------------------------------------
# PostgreSQL (superuser, through psql): seeding and counting.
# ---------------------------------------------------------------------------------------------

def psql(conninfo: str, sql: str, timeout: float = 600, **variables: Any) -> str:
    args = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
    for k, v in variables.items():
        args += ["-v", f"{k}={v}"]
    args.append(conninfo)
    done = subprocess.run(args, input=sql, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"psql failed: {done.stderr.strip()}")
    return done.stdout.strip()


def seed_stations(conninfo: str, slug: str, prefix: str, count: int, hashed: str) -> int:
    width = max(6, len(str(count)))
    out = psql(conninfo, """
        WITH t AS (SELECT id FROM csms.tenants WHERE slug = :'slug'),
        ins AS (
            INSERT INTO csms.stations (tenant_id, identity, registration_status, password_hash, ocpp_version)
            SELECT t.id, :'prefix' || lpad(g::text, :width, '0'), 'accepted', :'hash', 'ocpp1.6'
            FROM t, generate_series(1, :count) g
            ON CONFLICT (tenant_id, identity) DO UPDATE
                SET password_hash = EXCLUDED.password_hash, registration_status = 'accepted', updated_at = now()
            RETURNING 1)
        SELECT count(*) FROM ins;
        """, slug=slug, prefix=prefix, width=width, count=count, hash=hashed)
    seeded = int(out or 0)
    if seeded != count:
        raise RuntimeError(f"seeded {seeded} stations, expected {count} (does tenant {slug!r} exist?)")
    return seeded


def count_meter_values(conninfo: str, slug: str) -> int:
    return int(psql(conninfo, """
        SELECT count(*) FROM csms.meter_values
        WHERE tenant_id = (SELECT id FROM csms.tenants WHERE slug = :'slug');""", slug=slug) or 0)


# ---------------------------------------------------------------------------------------------
# /proc readings of the worker.
# ---------------------------------------------------------------------------------------------

def rss_kib(pid: int | None) -> int | None:
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int | None) -> float | None:
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def open_fds(pid: int | None) -> int | None:
    try:
        return len(os.listdir(f"/proc/{pid}/fd")) if pid else None
    except OSError:
        return None


# ---------------------------------------------------------------------------------------------
# One simulated station.
# ---------------------------------------------------------------------------------------------

def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Station:
    identity: str
    ws: ClientConnection | None = None
    pending: dict[str, tuple[float, str, asyncio.Future[Any] | None]] = field(default_factory=dict)
    energy_wh: float = 0.0
    reader: asyncio.Task[None] | None = None
    closed: bool = False


@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    ok: int = 0
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    csms_calls: collections.Counter[str] = field(default_factory=collections.Counter)
    disconnects: int = 0
    first_errors: list[str] = field(default_factory=list)

    def note_error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        if len(self.first_errors) < 10:
            self.first_errors.append(f"{kind}: {detail[:300]}")


class Worker:
    """The stations of one process and their event loop."""

    def __init__(self, index: int, ids: list[str], cfg: argparse.Namespace, source_ips: list[str | None]):
        self.index = index
        self.cfg = cfg
        self.stations = [Station(i) for i in ids]
        self.source_ips = source_ips
        self.counter = 0
        self.ramp = Stats()
        self.steady = Stats()
        self.phase = "ramp"
        self.timestamp = now_iso()
        # Steady phase: stations with no CALL outstanding, in the order they became free, so
        # picking the next sender is O(1) even when most stations are waiting for answers.
        self.idle: collections.deque[Station] = collections.deque()

    def next_id(self) -> str:
        self.counter += 1
        return f"p{self.index}-{self.counter}"

    # --- receiving ---------------------------------------------------------------------------

    async def read_loop(self, st: Station) -> None:
        assert st.ws is not None
        try:
            async for raw in st.ws:
                received = time.perf_counter()
                try:
                    msg = json.loads(raw)
                    kind, mid = msg[0], msg[1]
                except (ValueError, TypeError, IndexError, KeyError):
                    self.stats().note_error("unparseable-frame", str(raw)[:200])
                    continue
                if not isinstance(mid, str):
                    self.stats().note_error("bad-message-id", str(raw)[:200])
                    continue
                if kind == 2:
                    # A CALL from the CSMS (e.g. GetConfiguration after boot): not simulated.
                    self.stats().csms_calls[str(msg[2])] += 1
                    await st.ws.send(json.dumps([4, mid, "NotImplemented", "load generator station", {}]))
                    continue
                entry = st.pending.pop(mid, None)
                if entry is None:
                    self.stats().note_error("unexpected-response", str(raw)[:200])
                    continue
                sent_at, action, fut = entry
                if self.phase == "steady" and not st.pending:
                    self.idle.append(st)
                if fut is not None and not fut.done():
                    fut.set_result(msg)
                stats = self.steady if action == "MeterValues" else self.ramp
                if kind == 3:
                    stats.ok += 1
                    if action == "MeterValues":
                        stats.latencies_ms.append((received - sent_at) * 1000)
                else:
                    stats.note_error(f"CALLERROR {msg[2] if len(msg) > 2 else '?'} ({action})", str(raw))
        except websockets.ConnectionClosed:
            pass
        finally:
            if not st.closed:
                self.stats().disconnects += 1
            st.closed = True
            st.ws = None

    def stats(self) -> Stats:
        return self.steady if self.phase == "steady" else self.ramp

    async def call(self, st: Station, action: str, payload_json: str, wait: bool) -> list[Any] | None:
        assert st.ws is not None
        mid = self.next_id()
        fut = asyncio.get_running_loop().create_future() if wait else None
        st.pending[mid] = (time.perf_counter(), action, fut)
        await st.ws.send(f'[2,"{mid}","{action}",{payload_json}]')
        if fut is None:
            return None
        return await asyncio.wait_for(fut, self.cfg.response_timeout)

    # --- ramp ----------------------------------------------------------------------------------

    async def bring_up(self, st: Station, position: int, handshakes: list[float], boots: list[float]) -> bool:
        url = self.cfg.url + st.identity
        headers = {"Authorization": "Basic " + base64.b64encode(
            f"{st.identity}:{self.cfg.password}".encode()).decode()}
        extra: dict[str, Any] = {}
        ip = self.source_ips[position]
        if ip:
            extra["local_addr"] = (ip, 0)
        for attempt in range(self.cfg.connect_retries + 1):
            started = time.perf_counter()
            try:
                st.ws = await websockets.connect(
                    url, subprotocols=[Subprotocol("ocpp1.6")], additional_headers=headers,
                    open_timeout=self.cfg.response_timeout, ping_interval=None, close_timeout=5,
                    compression=None, max_queue=4, **extra)
                break
            except InvalidStatus as err:
                self.ramp.note_error(f"handshake HTTP {err.response.status_code}", st.identity)
            except (OSError, asyncio.TimeoutError, websockets.InvalidHandshake) as err:
                self.ramp.note_error(f"handshake {type(err).__name__}", f"{st.identity}: {err}")
            if attempt < self.cfg.connect_retries:
                await asyncio.sleep(0.5 * (attempt + 1))
        else:
            return False
        handshakes.append((time.perf_counter() - started) * 1000)
        st.closed = False
        st.reader = asyncio.create_task(self.read_loop(st))
        try:
            t0 = time.perf_counter()
            boot = await self.call(st, "BootNotification", json.dumps({
                "chargePointVendor": "OpenCSMS-Load", "chargePointModel": "loadgen",
                "chargePointSerialNumber": st.identity[-25:], "firmwareVersion": "1.0"}), wait=True)
            if not boot or boot[0] != 3 or boot[2].get("status") != "Accepted":
                self.ramp.note_error("boot not accepted", json.dumps(boot)[:200])
                return False
            boots.append((time.perf_counter() - t0) * 1000)
            if self.cfg.status_notification:
                await self.call(st, "StatusNotification", json.dumps({
                    "connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": now_iso()}),
                    wait=True)
        except (asyncio.TimeoutError, websockets.ConnectionClosed) as err:
            self.ramp.note_error(f"boot {type(err).__name__}", st.identity)
            return False
        return True

    async def ramp_up(self) -> dict[str, Any]:
        per_second = self.cfg.connect_rate / self.cfg.processes
        limit = asyncio.Semaphore(max(1, self.cfg.connect_concurrency // self.cfg.processes))
        handshakes: list[float] = []
        boots: list[float] = []
        results: list[bool] = []
        start = time.perf_counter()

        async def one(position: int, st: Station) -> None:
            async with limit:
                results.append(await self.bring_up(st, position, handshakes, boots))

        tasks = []
        for position, st in enumerate(self.stations):
            # Pace the starts: station n starts at n / rate seconds.
            delay = start + position / per_second - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(position, st)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
        return {"connected": sum(results), "attempted": len(self.stations), "seconds": elapsed,
                "handshake_ms": handshakes, "boot_ms": boots, "errors": dict(self.ramp.errors),
                "first_errors": self.ramp.first_errors, "csms_calls": dict(self.ramp.csms_calls)}

    # --- steady --------------------------------------------------------------------------------

    def meter_payload(self, st: Station) -> str:
        st.energy_wh += 7.5
        ts = self.timestamp
        return ('{"connectorId":1,"meterValue":[{"timestamp":"%s","sampledValue":['
                '{"value":"%.1f","measurand":"Energy.Active.Import.Register","unit":"Wh","context":"Sample.Periodic"},'
                '{"value":"7200","measurand":"Power.Active.Import","unit":"W","context":"Sample.Periodic"},'
                '{"value":"31.3","measurand":"Current.Import","unit":"A","phase":"L1","context":"Sample.Periodic"},'
                '{"value":"230.1","measurand":"Voltage","unit":"V","phase":"L1-N","context":"Sample.Periodic"}'
                ']}]}') % (ts, st.energy_wh)

    async def run_steady(self, start_at: float) -> dict[str, Any]:
        live = [st for st in self.stations if st.ws is not None]
        rate = self.cfg.rate / self.cfg.processes
        duration = self.cfg.duration
        delay = start_at - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        self.idle = collections.deque(st for st in live if not st.pending)
        self.phase = "steady"
        cpu0 = time.process_time()
        start = time.perf_counter()
        sent = busy = 0
        max_lag = 0.0
        while live:
            now = time.perf_counter()
            elapsed = now - start
            if elapsed >= duration:
                break
            self.timestamp = now_iso()
            due = int(elapsed * rate) - sent - busy
            max_lag = max(max_lag, due / rate)
            while due > 0:
                # The station free the longest sends next; one still waiting for its previous
                # answer is never used (one outstanding CALL per connection, OCPP-J §4.1.1):
                # when none is free, the slot is counted as a busy skip (open loop).
                st = None
                while self.idle:
                    candidate = self.idle.popleft()
                    if candidate.ws is not None and not candidate.pending:
                        st = candidate
                        break
                if st is None:
                    busy += due
                    break
                try:
                    await self.call(st, "MeterValues", self.meter_payload(st), wait=False)
                    sent += 1
                except websockets.ConnectionClosed:
                    self.steady.note_error("send on closed connection", st.identity)
                    busy += 1
                due -= 1
            await asyncio.sleep(0.005)
        send_seconds = time.perf_counter() - start
        # Drain: answers to what was sent, up to --drain seconds.
        drain_deadline = time.perf_counter() + self.cfg.drain
        while any(st.pending for st in live) and time.perf_counter() < drain_deadline:
            await asyncio.sleep(0.05)
        unanswered = sum(len(st.pending) for st in live)
        for st in live:
            st.pending.clear()
        self.phase = "after"
        return {"sent": sent, "ok": self.steady.ok, "busy_skips": busy, "unanswered": unanswered,
                "send_seconds": send_seconds, "latency_ms": self.steady.latencies_ms,
                "errors": dict(self.steady.errors), "first_errors": self.steady.first_errors,
                "disconnects": self.steady.disconnects, "client_cpu_seconds": time.process_time() - cpu0,
                "max_schedule_lag_s": max_lag, "stations": len(live)}

    async def close_all(self) -> None:
        limit = asyncio.Semaphore(500)

        async def close(st: Station) -> None:
            async with limit:
                st.closed = True
                if st.ws is not None:
                    try:
                        await asyncio.wait_for(st.ws.close(), 10)
                    except (asyncio.TimeoutError, OSError, websockets.ConnectionClosed):
                        pass
                if st.reader is not None:
                    st.reader.cancel()

        await asyncio.gather(*(close(st) for st in self.stations))


def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, needed + 1000)
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    if target < needed + 100:
        raise SystemExit(f"this process may open {target} files; {needed} sockets need more "
                         f"(lower --max-sockets-per-process or raise `ulimit -Hn`)")


def child_main(index: int, ids: list[str], ips: list[str | None], cfg: argparse.Namespace, conn: Any) -> None:
    raise_fd_limit(len(ids))

    async def run() -> None:
        w = Worker(index, ids, cfg, ips)
        loop = asyncio.get_running_loop()
        conn.send(("ramped", await w.ramp_up()))
        # Tens of thousands of long-lived connection objects make every full garbage collection
        # a pause of hundreds of milliseconds that would show up as CSMS latency; move them out
        # of the collector's sight (gc.freeze) before measuring.
        gc.collect()
        gc.freeze()
        command = await loop.run_in_executor(None, conn.recv)
        if command[0] == "steady":
            conn.send(("steady", await w.run_steady(command[1])))
            await loop.run_in_executor(None, conn.recv)
        await w.close_all()
        conn.send(("closed", None))

    asyncio.run(run())


# ---------------------------------------------------------------------------------------------
# Orchestration and report.
# ---------------------------------------------------------------------------------------------

def percentile(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def machine() -> dict[str, Any]:
    model = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kib = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kib = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "memory_gib": round(mem_kib / 1024 / 1024, 1), "cpu": model,
            "kernel": platform.release(), "python": platform.python_version(), "websockets": websockets.__version__}


def fmt(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True, help="WebSocket base URL ending in /ocpp/ (127.0.0.0/8 only)")
    ap.add_argument("--password", required=True, help="the password every station uses")
    ap.add_argument("--stations", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=200, help="aggregate MeterValues per second in the steady phase")
    ap.add_argument("--duration", type=float, default=30, help="seconds of steady phase")
    ap.add_argument("--id-prefix", default="LOAD-")
    ap.add_argument("--connect-rate", type=float, default=500, help="handshakes started per second (aggregate)")
    ap.add_argument("--connect-concurrency", type=int, default=256, help="handshakes in flight at most (aggregate)")
    ap.add_argument("--connect-retries", type=int, default=2)
    ap.add_argument("--response-timeout", type=float, default=30)
    ap.add_argument("--drain", type=float, default=15, help="seconds to wait for answers after the steady phase")
    ap.add_argument("--no-status-notification", dest="status_notification", action="store_false")
    ap.add_argument("--processes", type=int, default=0, help="default: enough for --max-sockets-per-process")
    ap.add_argument("--max-sockets-per-process", type=int, default=15000)
    ap.add_argument("--stations-per-source-ip", type=int, default=25000,
                    help="beyond this, stations use 127.0.0.2, 127.0.0.3, ... as source address")
    ap.add_argument("--worker-pid", type=int, help="tenant-worker pid, for RSS and CPU readings")
    ap.add_argument("--db-conninfo", help="superuser libpq conninfo of the CSMS database (with dbname)")
    ap.add_argument("--tenant-slug", help="tenant whose csms.meter_values rows are counted / stations seeded")
    ap.add_argument("--seed", action="store_true", help="insert the stations into csms.stations first")
    ap.add_argument("--hash-iterations", type=int, default=1000,
                    help="PBKDF2 iterations of the seeded hash (product default 210000; see README)")
    ap.add_argument("--json-out", help="write every figure as JSON here")
    cfg = ap.parse_args(argv)

    if not cfg.url.startswith(("ws://127.", "ws://localhost", "ws://[::1]")):
        ap.error("--url must point at this machine (127.0.0.0/8, localhost or [::1])")
    if not cfg.url.endswith("/"):
        cfg.url += "/"
    if cfg.stations < 1 or cfg.rate <= 0 or cfg.duration <= 0:
        ap.error("--stations, --rate and --duration must be positive")
    if (cfg.seed or cfg.tenant_slug) and not (cfg.db_conninfo and cfg.tenant_slug):
        ap.error("--seed and row counting need both --db-conninfo and --tenant-slug")
    needed = math.ceil(cfg.stations / cfg.max_sockets_per_process)
    cfg.processes = max(cfg.processes or needed, needed)

    ids = station_ids(cfg.id_prefix, cfg.stations)
    if any(len(i) > 48 for i in ids):
        ap.error("station identities must be at most 48 characters")
    n_ips = math.ceil(cfg.stations / cfg.stations_per_source_ip)
    ips: list[str | None] = [None if n_ips == 1 else f"127.0.0.{1 + n // cfg.stations_per_source_ip}"
                             for n in range(cfg.stations)]
    report: dict[str, Any] = {"machine": machine(), "config": {k: v for k, v in vars(cfg).items() if k != "password"}}

    if cfg.seed:
        t0 = time.perf_counter()
        hashed = password_hash(cfg.password, cfg.hash_iterations)
        seed_stations(cfg.db_conninfo, cfg.tenant_slug, cfg.id_prefix, cfg.stations, hashed)
        report["seed_seconds"] = time.perf_counter() - t0
        print(f"seeded {cfg.stations} stations in {report['seed_seconds']:.1f}s", file=sys.stderr)

    pid = cfg.worker_pid
    rss_before = rss_kib(pid)
    ctx = multiprocessing.get_context("fork")
    pipes, procs = [], []
    chunk = math.ceil(cfg.stations / cfg.processes)
    for p in range(cfg.processes):
        parent, child = ctx.Pipe()
        part = slice(p * chunk, (p + 1) * chunk)
        proc = ctx.Process(target=child_main, args=(p, ids[part], ips[part], cfg, child), daemon=True)
        proc.start()
        pipes.append(parent)
        procs.append(proc)

    def gather(tag: str) -> list[Any]:
        out = []
        for conn, proc in zip(pipes, procs):
            while not conn.poll(1):
                if not proc.is_alive():
                    raise SystemExit(f"load process {proc.pid} died during the {tag} phase")
            kind, payload = conn.recv()
            assert kind == tag, (kind, tag)
            out.append(payload)
        return out

    print(f"ramp: {cfg.stations} stations over {cfg.processes} process(es) at {cfg.connect_rate:g}/s", file=sys.stderr)
    ramps = gather("ramped")
    rss_ramped = rss_kib(pid)
    connected = sum(r["connected"] for r in ramps)
    ramp_seconds = max(r["seconds"] for r in ramps)
    handshakes = sorted(x for r in ramps for x in r["handshake_ms"])
    boots = sorted(x for r in ramps for x in r["boot_ms"])
    ramp_errors: collections.Counter[str] = collections.Counter()
    for r in ramps:
        ramp_errors.update(r["errors"])
    report["ramp"] = {"connected": connected, "attempted": cfg.stations, "seconds": ramp_seconds,
                      "handshake_ms": {p: percentile(handshakes, p) for p in (50, 99)},
                      "boot_ms": {p: percentile(boots, p) for p in (50, 99)}, "errors": dict(ramp_errors),
                      "first_errors": [e for r in ramps for e in r["first_errors"]][:10],
                      "csms_calls": dict(sum((collections.Counter(r["csms_calls"]) for r in ramps),
                                             collections.Counter())),
                      "worker_fds": open_fds(pid)}
    print(f"ramp: {connected}/{cfg.stations} connected and booted in {ramp_seconds:.1f}s", file=sys.stderr)

    if connected == 0:
        for conn in pipes:
            conn.send(("close",))
        gather("closed")
        print(f"no station connected; first errors: {json.dumps(report['ramp']['first_errors'], indent=1)}",
              file=sys.stderr)
        if cfg.json_out:
            with open(cfg.json_out, "w") as f:
                json.dump(report, f, indent=2)
        return 1

    rows_before = count_meter_values(cfg.db_conninfo, cfg.tenant_slug) if cfg.db_conninfo else None
    cpu_before = cpu_seconds(pid)
    start_at = time.time() + 1.0
    for conn in pipes:
        conn.send(("steady", start_at))
    print(f"steady: {cfg.rate:g} MeterValues/s for {cfg.duration:g}s", file=sys.stderr)
    steadies = gather("steady")
    cpu_after = cpu_seconds(pid)
    rss_after = rss_kib(pid)
    lat = sorted(x for s in steadies for x in s["latency_ms"])
    ok = sum(s["ok"] for s in steadies)
    sent = sum(s["sent"] for s in steadies)
    steady_errors: collections.Counter[str] = collections.Counter()
    for s in steadies:
        steady_errors.update(s["errors"])
    send_seconds = max(s["send_seconds"] for s in steadies)
    rows_after = rows_before
    if cfg.db_conninfo:
        # Rows may be written behind the answers (batching): wait until the count settles.
        deadline = time.monotonic() + 30
        while True:
            rows_after = count_meter_values(cfg.db_conninfo, cfg.tenant_slug)
            if rows_after - rows_before >= 4 * ok or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    report["steady"] = {
        "target_rate": cfg.rate, "seconds": send_seconds, "sent": sent, "answered_ok": ok,
        "sent_per_s": sent / send_seconds, "ok_per_s": ok / send_seconds,
        "latency_ms": {str(p): percentile(lat, p) for p in (50, 90, 99, 99.9)} | {"max": lat[-1] if lat else None},
        "errors": dict(steady_errors), "unanswered": sum(s["unanswered"] for s in steadies),
        "busy_skips": sum(s["busy_skips"] for s in steadies), "disconnects": sum(s["disconnects"] for s in steadies),
        "first_errors": [e for s in steadies for e in s["first_errors"]][:10],
        "client_cpu_seconds": sum(s["client_cpu_seconds"] for s in steadies),
        "max_schedule_lag_s": max(s["max_schedule_lag_s"] for s in steadies),
        "worker_cpu_percent": (None if cpu_before is None or cpu_after is None
                               else 100 * (cpu_after - cpu_before) / send_seconds),
        "meter_value_rows_added": None if rows_before is None else rows_after - rows_before,
        "meter_value_rows_expected": 4 * ok,
    }
    per_k = (None if rss_before is None or rss_ramped is None or connected == 0
             else (rss_ramped - rss_before) / 1024 / connected * 1000)
    report["worker_rss_mib"] = {"before": None if rss_before is None else rss_before / 1024,
                                "after_ramp": None if rss_ramped is None else rss_ramped / 1024,
                                "after_steady": None if rss_after is None else rss_after / 1024,
                                "per_1000_stations": per_k}
    for conn in pipes:
        conn.send(("close",))
    gather("closed")
    for proc in procs:
        proc.join(10)

    print_report(report)
    if cfg.json_out:
        with open(cfg.json_out, "w") as f:
            json.dump(report, f, indent=2)
    failed = connected < cfg.stations or steady_errors or report["steady"]["unanswered"]
    if cfg.db_conninfo and report["steady"]["meter_value_rows_added"] != 4 * ok:
        failed = True
    return 1 if failed else 0


def print_report(r: dict[str, Any]) -> None:
    m, c, ramp, st, rss = r["machine"], r["config"], r["ramp"], r["steady"], r["worker_rss_mib"]
    lat = st["latency_ms"]
    rows = [
        ("machine", f"{m['nproc']} CPU, {m['memory_gib']} GiB, {m['cpu']}, Linux {m['kernel']}"),
        ("load generator", f"{c['processes']} process(es), Python {m['python']}, websockets {m['websockets']}"),
        ("stations connected", f"{ramp['connected']} / {ramp['attempted']}"),
        ("ramp time", f"{ramp['seconds']:.1f} s at ≤ {c['connect_rate']:g} handshakes/s "
                      f"({ramp['connected'] / ramp['seconds']:.0f}/s achieved)" if ramp["seconds"] else "n/a"),
        ("handshake p50 / p99", f"{fmt(ramp['handshake_ms'][50])} / {fmt(ramp['handshake_ms'][99])} ms"),
        ("boot p50 / p99", f"{fmt(ramp['boot_ms'][50])} / {fmt(ramp['boot_ms'][99])} ms"),
        ("ramp errors", json.dumps(ramp["errors"]) if ramp["errors"] else "none"),
        ("steady target", f"{st['target_rate']:g} MeterValues/s (4 sampled values each) for {st['seconds']:.0f} s"),
        ("achieved", f"{st['ok_per_s']:.0f} answered/s ({st['sent_per_s']:.0f} sent/s, "
                     f"{100 * st['ok_per_s'] / st['target_rate']:.0f} % of the target)"),
        ("latency p50 / p90 / p99", f"{fmt(lat['50'], 2)} / {fmt(lat['90'], 2)} / {fmt(lat['99'], 2)} ms"),
        ("latency p99.9 / max", f"{fmt(lat['99.9'], 2)} / {fmt(lat['max'], 2)} ms"),
        ("steady errors", (json.dumps(st["errors"]) if st["errors"] else "none")
         + f"; unanswered {st['unanswered']}; disconnects {st['disconnects']}; busy skips {st['busy_skips']}"),
        ("meter_values rows", f"{st['meter_value_rows_added']} added, {st['meter_value_rows_expected']} expected"
         if st["meter_value_rows_added"] is not None else "not counted (no --db-conninfo)"),
        ("worker CPU (steady)", f"{fmt(st['worker_cpu_percent'])} % of one core"),
        ("load generator CPU", f"{st['client_cpu_seconds'] / st['seconds'] * 100:.0f} % of one core (all processes)"),
        ("worker RSS", f"{fmt(rss['before'])} MiB idle → {fmt(rss['after_ramp'])} MiB connected → "
                       f"{fmt(rss['after_steady'])} MiB after steady"),
        ("worker RSS per 1,000 stations", f"{fmt(rss['per_1000_stations'], 2)} MiB"),
    ]
    width = max(len(k) for k, _ in rows)
    print()
    print("| " + "figure".ljust(width) + " | value |")
    print("|-" + "-" * width + "-|-------|")
    for k, v in rows:
        print(f"| {k.ljust(width)} | {v} |")
    for e in ramp["first_errors"] + st["first_errors"]:
        print(f"  first error: {e}")
    if ramp["csms_calls"]:
        print(f"  CALLs from the CSMS (answered NotImplemented): {ramp['csms_calls']}")
    print("RESULT " + " ".join(f"{k}={v}" for k, v in {
        "stations": ramp["connected"], "ramp_s": round(ramp["seconds"], 2), "ok_per_s": round(st["ok_per_s"], 1),
        "p50_ms": fmt(lat["50"], 3), "p90_ms": fmt(lat["90"], 3), "p99_ms": fmt(lat["99"], 3),
        "max_ms": fmt(lat["max"], 3), "errors": sum(st["errors"].values()) + st["unanswered"],
        "rss_per_1000_mib": fmt(rss["per_1000_stations"], 2)}.items()))


if __name__ == "__main__":
    sys.exit(main())

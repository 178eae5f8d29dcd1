#!/usr/bin/env python3
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Edge-router benchmark: what the hand-over (SCM_RIGHTS) costs compared with reaching the
tenant worker on its own TCP port, how many hand-overs per second the router does, whether the
control plane keeps a descriptor per connected station, and what an idle tenant costs.

Phases (each selectable with --phases):
  setup      connect + GET /healthz + full response, router vs direct, N sequential samples
             each (interleaved, so drift hits both sides alike)
  rtt        N sequential GET /healthz on one kept-alive connection, router (after hand-over)
             vs direct
  rate       --rate-processes x --rate-connections clients in a connect/GET/close loop for
             --rate-seconds through the router (and as long directly, for reference)
  fds        --stations OCPP 1.6 WebSockets through the router to one tenant; open descriptors of
             the control plane (and the worker) before, connected, after close
  provision  --tenants tenants created one after the other through the platform API; then the
             idle workers' memory, PostgreSQL / Redis connections and descriptors
Run through Benchmarks/router-bench.sh, which deploys everything. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import math
import multiprocessing
import os
import resource
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ocpp-load"))
import loadgen  # noqa: E402  (seeding, password hash, /proc readings)

import websockets  # noqa: E402
from websockets.exceptions import InvalidStatus  # noqa: E402
from websockets.typing import Subprotocol  # noqa: E402

HOST = "127.0.0.1"


def pct(values: list[float], p: float) -> float | None:
    return loadgen.percentile(sorted(values), p)


def fmt(v: float | None, digits: int = 3) -> str:
    return "n/a" if v is None else f"{v:.{digits}f}"


# ---------------------------------------------------------------------------------------------
# Plain HTTP/1.1 over a socket: the least client overhead Python allows.
# ---------------------------------------------------------------------------------------------

def request_bytes(host: str, keep_alive: bool) -> bytes:
    conn = "keep-alive" if keep_alive else "close"
    return f"GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: {conn}\r\n\r\n".encode()


def read_response(sock: socket.socket, buf: bytearray) -> tuple[int, bytearray]:
    """Reads one whole response (status line, headers, Content-Length body); returns the status
    and what was read beyond it."""
    while True:
        end = buf.find(b"\r\n\r\n")
        if end >= 0:
            break
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before the response headers")
        buf += chunk
    head = bytes(buf[:end]).decode("latin-1")
    lines = head.split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
        elif name.strip().lower() == "transfer-encoding":
            raise ConnectionError("chunked response not expected from /healthz")
    total = end + 4 + length
    while len(buf) < total:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed inside the body")
        buf += chunk
    return status, buf[total:]


def one_setup(port: int, host: str) -> float:
    req = request_bytes(host, keep_alive=False)
    t0 = time.perf_counter_ns()
    s = socket.create_connection((HOST, port))
    try:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(req)
        status, _ = read_response(s, bytearray())
        elapsed = (time.perf_counter_ns() - t0) / 1e6
    finally:
        s.close()
    if status != 200:
        raise RuntimeError(f"/healthz answered {status} on port {port}")
    return elapsed


def phase_setup(cfg: argparse.Namespace) -> dict[str, Any]:
    router: list[float] = []
    direct: list[float] = []
    for _ in range(cfg.warmup):
        one_setup(cfg.router_port, cfg.host)
        one_setup(cfg.direct_port, cfg.host)
    for i in range(cfg.samples):
        # Alternate which goes first so neither side always follows the other's close.
        if i % 2 == 0:
            router.append(one_setup(cfg.router_port, cfg.host))
            direct.append(one_setup(cfg.direct_port, cfg.host))
        else:
            direct.append(one_setup(cfg.direct_port, cfg.host))
            router.append(one_setup(cfg.router_port, cfg.host))
    return {"samples": cfg.samples, "router_ms": summary(router), "direct_ms": summary(direct)}


def summary(values: list[float]) -> dict[str, float | None]:
    return {"p50": pct(values, 50), "p90": pct(values, 90), "p99": pct(values, 99),
            "max": max(values) if values else None, "mean": sum(values) / len(values) if values else None}


def keepalive_series(port: int, host: str, n: int, warmup: int) -> tuple[list[float], int]:
    req = request_bytes(host, keep_alive=True)
    s = socket.create_connection((HOST, port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    out: list[float] = []
    buf = bytearray()
    try:
        for i in range(warmup + n):
            t0 = time.perf_counter_ns()
            s.sendall(req)
            status, buf = read_response(s, buf)
            elapsed = (time.perf_counter_ns() - t0) / 1e6
            if status != 200:
                raise RuntimeError(f"/healthz answered {status}")
            if i >= warmup:
                out.append(elapsed)
    finally:
        s.close()
    return out, len(out)


def phase_rtt(cfg: argparse.Namespace) -> dict[str, Any]:
    router, _ = keepalive_series(cfg.router_port, cfg.host, cfg.samples, cfg.warmup)
    direct, _ = keepalive_series(cfg.direct_port, cfg.host, cfg.samples, cfg.warmup)
    # A second pass in the other order: a difference that flips with the order is noise.
    direct2, _ = keepalive_series(cfg.direct_port, cfg.host, cfg.samples, cfg.warmup)
    router2, _ = keepalive_series(cfg.router_port, cfg.host, cfg.samples, cfg.warmup)
    return {"samples": cfg.samples, "router_ms": summary(router), "direct_ms": summary(direct),
            "router2_ms": summary(router2), "direct2_ms": summary(direct2)}


# ---------------------------------------------------------------------------------------------
# Hand-overs per second.
# ---------------------------------------------------------------------------------------------

def rate_child(port: int, host: str, connections: int, seconds: float, start_at: float, conn: Any) -> None:
    async def run() -> dict[str, Any]:
        req = request_bytes(host, keep_alive=False)
        done = 0
        errors: dict[str, int] = {}
        lat: list[float] = []
        delay = start_at - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        stop = time.perf_counter() + seconds

        async def client() -> None:
            nonlocal done
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                try:
                    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 10)
                    writer.write(req)
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
                    length = 0
                    for line in head.decode("latin-1").split("\r\n"):
                        if line.lower().startswith("content-length:"):
                            length = int(line.split(":", 1)[1])
                    if length:
                        await reader.readexactly(length)
                    ok = head.startswith(b"HTTP/1.1 200")
                    writer.close()
                    if ok:
                        done += 1
                        lat.append((time.perf_counter() - t0) * 1000)
                    else:
                        key = head.split(b"\r\n", 1)[0].decode("latin-1")
                        errors[key] = errors.get(key, 0) + 1
                except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as err:
                    key = type(err).__name__
                    errors[key] = errors.get(key, 0) + 1
                    await asyncio.sleep(0.01)

        t_start = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(connections)))
        return {"done": done, "errors": errors, "seconds": time.perf_counter() - t_start,
                "latency_ms": lat, "cpu": time.process_time()}

    conn.send(asyncio.run(run()))


def rate_run(cfg: argparse.Namespace, port: int, seconds: float, pids: dict[str, int]) -> dict[str, Any]:
    ctx = multiprocessing.get_context("fork")
    start_at = time.time() + 1.0
    pipes, procs = [], []
    for _ in range(cfg.rate_processes):
        parent, child = ctx.Pipe()
        p = ctx.Process(target=rate_child, args=(port, cfg.host, cfg.rate_connections, seconds, start_at, child),
                        daemon=True)
        p.start()
        pipes.append(parent)
        procs.append(p)
    time.sleep(max(0.0, start_at - time.time()))
    cpu0 = {k: loadgen.cpu_seconds(v) for k, v in pids.items()}
    results = [c.recv() for c in pipes]
    cpu1 = {k: loadgen.cpu_seconds(v) for k, v in pids.items()}
    for p in procs:
        p.join(10)
    done = sum(r["done"] for r in results)
    secs = max(r["seconds"] for r in results)
    errors: dict[str, int] = {}
    for r in results:
        for k, v in r["errors"].items():
            errors[k] = errors.get(k, 0) + v
    lat = [x for r in results for x in r["latency_ms"]]
    return {"completed": done, "seconds": secs, "per_second": done / secs, "errors": errors,
            "latency_ms": summary(lat),
            "cpu_percent": {k: (None if cpu0[k] is None or cpu1[k] is None else 100 * (cpu1[k] - cpu0[k]) / secs)
                            for k in pids},
            "client_cpu_percent": 100 * sum(r["cpu"] for r in results) / secs}


def phase_rate(cfg: argparse.Namespace) -> dict[str, Any]:
    pids = {"controlplane": cfg.cp_pid, "worker": cfg.worker_pid}
    out = {"clients": cfg.rate_processes * cfg.rate_connections,
           "router": rate_run(cfg, cfg.router_port, cfg.rate_seconds, pids)}
    if cfg.rate_direct_seconds > 0:
        out["direct"] = rate_run(cfg, cfg.direct_port, cfg.rate_direct_seconds, pids)
    return out


# ---------------------------------------------------------------------------------------------
# Descriptors with many stations connected through the router.
# ---------------------------------------------------------------------------------------------

def fd_kinds(pid: int) -> dict[str, int]:
    kinds: dict[str, int] = {}
    try:
        for name in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{name}")
            except OSError:
                continue
            kind = target.split(":", 1)[0] if ":" in target else ("file" if target.startswith("/") else target)
            kinds[kind] = kinds.get(kind, 0) + 1
    except OSError:
        pass
    return kinds


def phase_fds(cfg: argparse.Namespace) -> dict[str, Any]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if cfg.stations + 200 > hard:
        raise SystemExit(f"{cfg.stations} stations need more than this process's {hard} open files")
    password = secrets.token_hex(12)
    t0 = time.perf_counter()
    hashed = loadgen.password_hash(password, 1000)
    loadgen.seed_stations(cfg.db_conninfo, cfg.slug, "RB-", cfg.stations, hashed)
    seed_s = time.perf_counter() - t0
    ids = loadgen.station_ids("RB-", cfg.stations)
    time.sleep(1)
    before = {"controlplane": loadgen.open_fds(cfg.cp_pid), "worker": loadgen.open_fds(cfg.worker_pid),
              "controlplane_kinds": fd_kinds(cfg.cp_pid)}
    cp_rss_before = loadgen.rss_kib(cfg.cp_pid)
    host = f"{cfg.slug}.{cfg.base_domain}:{cfg.router_port}"

    async def run() -> dict[str, Any]:
        sem = asyncio.Semaphore(cfg.connect_concurrency)
        conns: list[Any] = []
        errors: dict[str, int] = {}
        hs: list[float] = []

        async def one(identity: str) -> None:
            auth = base64.b64encode(f"{identity}:{password}".encode()).decode()
            async with sem:
                t = time.perf_counter()
                try:
                    ws = await websockets.connect(
                        f"ws://{host}/ocpp/{identity}", host=HOST, port=cfg.router_port,
                        subprotocols=[Subprotocol("ocpp1.6")],
                        additional_headers={"Authorization": "Basic " + auth},
                        open_timeout=30, ping_interval=None, close_timeout=2, compression=None, max_queue=4)
                except InvalidStatus as err:
                    key = f"HTTP {err.response.status_code}"
                    errors[key] = errors.get(key, 0) + 1
                    return
                except (OSError, asyncio.TimeoutError, websockets.InvalidHandshake) as err:
                    key = type(err).__name__
                    errors[key] = errors.get(key, 0) + 1
                    return
                hs.append((time.perf_counter() - t) * 1000)
                conns.append(ws)

        t = time.perf_counter()
        await asyncio.gather(*(one(i) for i in ids))
        ramp_s = time.perf_counter() - t
        await asyncio.sleep(cfg.settle)
        connected = {"controlplane": loadgen.open_fds(cfg.cp_pid), "worker": loadgen.open_fds(cfg.worker_pid),
                     "controlplane_kinds": fd_kinds(cfg.cp_pid)}
        cp_rss = loadgen.rss_kib(cfg.cp_pid)
        alive = sum(1 for c in conns if c.state.name == "OPEN")
        # One round trip on a sample of the connections shows they really reach the worker.
        sample = conns[:: max(1, len(conns) // 50)]
        boots_ok = 0
        for c in sample:
            try:
                await c.send(json.dumps([2, "b1", "Heartbeat", {}]))
                reply = json.loads(await asyncio.wait_for(c.recv(), 10))
                boots_ok += reply[0] == 3
            except Exception:  # noqa: BLE001 - counted as a failed probe
                pass
        close_sem = asyncio.Semaphore(500)

        async def close(c: Any) -> None:
            async with close_sem:
                try:
                    await asyncio.wait_for(c.close(), 5)
                except Exception:  # noqa: BLE001
                    pass

        await asyncio.gather(*(close(c) for c in conns))
        await asyncio.sleep(cfg.settle)
        after = {"controlplane": loadgen.open_fds(cfg.cp_pid), "worker": loadgen.open_fds(cfg.worker_pid)}
        return {"connected_count": len(conns), "alive": alive, "errors": errors, "ramp_seconds": ramp_s,
                "handshake_ms": summary(hs), "probe_ok": boots_ok, "probe_sent": len(sample),
                "fds_connected": connected, "fds_after_close": after, "cp_rss_connected_kib": cp_rss}

    res = asyncio.run(run())
    res.update({"stations": cfg.stations, "seed_seconds": seed_s, "fds_before": before,
                "cp_rss_before_kib": cp_rss_before})
    return res


# ---------------------------------------------------------------------------------------------
# Provisioning through the platform API; idle worker cost.
# ---------------------------------------------------------------------------------------------

def api(cfg: argparse.Namespace, method: str, path: str, body: Any = None, timeout: float = 60) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://{HOST}:{cfg.admin_port}{path}", data=data, method=method,
                                 headers={"Authorization": f"Bearer {cfg.platform_key}",
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            return err.code, json.loads(raw)
        except ValueError:
            return err.code, raw.decode(errors="replace")


def mem_kib(pid: int) -> dict[str, int]:
    """VmRSS from status; Pss and private (USS) from smaps_rollup."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    out["rss"] = int(line.split()[1])
        with open(f"/proc/{pid}/smaps_rollup") as f:
            priv = 0
            for line in f:
                parts = line.split()
                if parts[0] == "Pss:":
                    out["pss"] = int(parts[1])
                elif parts[0] in ("Private_Clean:", "Private_Dirty:"):
                    priv += int(parts[1])
            out["uss"] = priv
    except OSError:
        pass
    return out


def pg_connections(cfg: argparse.Namespace) -> dict[str, int]:
    rows = loadgen.psql(cfg.db_conninfo, """
        SELECT coalesce(usename, '?') || '|' || count(*) FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY usename;""")
    out: dict[str, int] = {}
    for line in rows.splitlines():
        if "|" in line:
            k, v = line.rsplit("|", 1)
            out[k] = int(v)
    return out


def pg_tenant_queries(cfg: argparse.Namespace, roles: set[str]) -> dict[str, int]:
    """What the tenant sessions last ran (which periodic job keeps a pooled connection busy)."""
    rows = loadgen.psql(cfg.db_conninfo, """
        SELECT usename || '|' || state || '|' || left(regexp_replace(query, '\\s+', ' ', 'g'), 70)
               || '|' || extract(epoch FROM now() - state_change)::int
        FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid();""")
    out: dict[str, int] = {}
    for line in rows.splitlines():
        user, _, rest = line.partition("|")
        if user in roles:
            state, _, rest = rest.partition("|")
            query, _, idle_s = rest.rpartition("|")
            key = f"{state}: {query} (idle {'<10' if int(idle_s or 0) < 10 else '>=10'} s)"
            out[key] = out.get(key, 0) + 1
    return out


def redis_clients(cfg: argparse.Namespace) -> dict[str, int]:
    env = dict(os.environ, REDISCLI_AUTH=cfg.redis_password)
    done = subprocess.run(["redis-cli", "--user", cfg.redis_user, "-p", str(cfg.redis_port), "CLIENT", "LIST"],
                          capture_output=True, text=True, env=env, timeout=30)
    out: dict[str, int] = {}
    for line in done.stdout.splitlines():
        for field in line.split():
            if field.startswith("user="):
                u = field[5:]
                out[u] = out.get(u, 0) + 1
    return out


def postgres_memory_kib(pg_dir: str) -> dict[str, int]:
    """Sum of Pss over the PostgreSQL processes of this cluster (postmaster and its children)."""
    try:
        with open(f"{pg_dir}/pgdata/postmaster.pid") as f:
            root = int(f.readline())
    except (OSError, ValueError):
        return {}
    pids = [root] + [int(p) for p in subprocess.run(["pgrep", "-P", str(root)], capture_output=True,
                                                    text=True).stdout.split()]
    pss = sum(mem_kib(p).get("pss", 0) for p in pids)
    rss = sum(mem_kib(p).get("rss", 0) for p in pids)
    return {"processes": len(pids), "pss": pss, "rss": rss}


def mem_available_kib() -> int:
    with open("/proc/meminfo") as f:
        return int(next(line for line in f if line.startswith("MemAvailable")).split()[1])


def phase_provision(cfg: argparse.Namespace) -> dict[str, Any]:
    cp_fds0 = loadgen.open_fds(cfg.cp_pid)
    avail0 = mem_available_kib()
    pg0 = pg_connections(cfg)
    times: list[float] = []
    failures: list[str] = []
    slugs: list[str] = []
    run = secrets.token_hex(2)
    key_hash = hashlib.sha256(b"router-bench-tenant-key").hexdigest()
    for i in range(cfg.tenants):
        slug = f"idle{run}-{i:04d}"
        body = {"slug": slug, "display_name": f"Idle {i}", "plan": "load",
                "api_keys": [{"name": "bench", "sha256": key_hash}],
                "ocpp": {"allowed_versions": ["ocpp1.6"], "security_profile": 1, "unknown_stations": "reject"}}
        t = time.perf_counter()
        status, answer = api(cfg, "POST", "/platform/v1/tenants", body)
        elapsed = (time.perf_counter() - t) * 1000
        if status == 201:
            times.append(elapsed)
            slugs.append(slug)
        else:
            failures.append(f"{slug}: {status} {json.dumps(answer)[:300]}")
            if len(failures) >= 3:
                break
    # Every new tenant answers through the router at once (the routing table was refreshed
    # before the 201).
    routed = 0
    for slug in slugs:
        try:
            routed += one_setup(cfg.router_port, f"{slug}.{cfg.base_domain}") >= 0
        except Exception:  # noqa: BLE001 - counted as not routed
            pass

    def snapshot(label: str) -> dict[str, Any]:
        _, workers = api(cfg, "GET", "/platform/v1/workers")
        items = workers.get("items", []) if isinstance(workers, dict) else []
        ours = [w for w in items if w.get("slug") in set(slugs) and w.get("pid")]
        mems = [mem_kib(int(w["pid"])) for w in ours]
        fds = [loadgen.open_fds(int(w["pid"])) or 0 for w in ours]
        pg = pg_connections(cfg)
        rc = redis_clients(cfg)
        # The role (and Redis ACL user) is <prefix><slug> with '-' written as '_'.
        roles = {cfg.role_prefix + s.replace("-", "_") for s in slugs}
        tenant_pg = {k: v for k, v in pg.items() if k in roles}
        tenant_redis = {k: v for k, v in rc.items() if k in roles}
        states: dict[str, int] = {}
        for w in ours:
            states[w.get("state", "?")] = states.get(w.get("state", "?"), 0) + 1
        def stat(key: str) -> dict[str, float | None]:
            vals = [m[key] / 1024 for m in mems if key in m]
            return {"mean": sum(vals) / len(vals) if vals else None, "max": max(vals) if vals else None,
                    "min": min(vals) if vals else None}
        return {"label": label, "workers": len(ours), "states": states, "rss_mib": stat("rss"),
                "pss_mib": stat("pss"), "uss_mib": stat("uss"),
                "fds_per_worker": sum(fds) / len(fds) if fds else None,
                "pg_connections_tenants": sum(tenant_pg.values()), "pg_connections_all": pg,
                "redis_clients_tenants": sum(tenant_redis.values()), "redis_clients_all": rc,
                "pg_tenant_queries": pg_tenant_queries(cfg, roles),
                "cp_fds": loadgen.open_fds(cfg.cp_pid), "cp_rss_kib": loadgen.rss_kib(cfg.cp_pid)}

    snaps = [snapshot("right after the last create")]
    avail1 = mem_available_kib()
    idle_cpu: dict[str, float] | None = None
    if cfg.idle_wait > 0:
        # CPU the idle tenants cost: their workers (own health checks) and the control plane
        # (asks every worker's /healthz each worker.health_check_interval), over the idle wait.
        _, workers = api(cfg, "GET", "/platform/v1/workers")
        wpids = [int(w["pid"]) for w in workers.get("items", []) if w.get("slug") in set(slugs) and w.get("pid")]
        w0 = sum(loadgen.cpu_seconds(p) or 0 for p in wpids)
        c0 = loadgen.cpu_seconds(cfg.cp_pid) or 0
        t0 = time.perf_counter()
        time.sleep(cfg.idle_wait)
        secs = time.perf_counter() - t0
        idle_cpu = {"workers_percent": 100 * (sum(loadgen.cpu_seconds(p) or 0 for p in wpids) - w0) / secs,
                    "controlplane_percent": 100 * ((loadgen.cpu_seconds(cfg.cp_pid) or 0) - c0) / secs,
                    "workers": len(wpids), "loadavg": os.getloadavg()[0]}
        snaps.append(snapshot(f"after {cfg.idle_wait:g} s idle"))
    pg_settings = dict(line.split("|", 1) for line in loadgen.psql(cfg.db_conninfo, """
        SELECT name || '|' || setting FROM pg_settings
        WHERE name IN ('max_connections', 'superuser_reserved_connections');""").splitlines())
    return {"idle_cpu": idle_cpu, "slow_creates": sum(1 for t in times if t > 1000), "pg_settings": {k: int(v) for k, v in pg_settings.items()}, "tenants": cfg.tenants, "created": len(slugs), "failures": failures, "create_ms": summary(times),
            "create_ms_all": times, "routed_ok": routed, "cp_fds_before": cp_fds0, "pg_before": pg0,
            "snapshots": snaps, "mem_available_drop_kib_per_tenant": (avail0 - avail1) / max(1, len(slugs)),
            "postgres_memory_kib": postgres_memory_kib(cfg.pg_dir),
            "redis_rss_kib": loadgen.rss_kib(cfg.redis_pid) if cfg.redis_pid else None,
            "cp_fds_per_worker": None if not slugs else
            ((snaps[-1]["cp_fds"] or 0) - (cp_fds0 or 0)) / len(slugs)}


# ---------------------------------------------------------------------------------------------
# Report.
# ---------------------------------------------------------------------------------------------

def report(r: dict[str, Any], cfg: argparse.Namespace) -> None:
    rows: list[tuple[str, str, str]] = []
    result: dict[str, Any] = {}
    if "setup" in r:
        s = r["setup"]
        ro, di = s["router_ms"], s["direct_ms"]
        d50 = ro["p50"] - di["p50"]
        d99 = ro["p99"] - di["p99"]
        rows += [
            ("1 set-up (connect+GET+response), router p50/p99", f"{fmt(ro['p50'])} / {fmt(ro['p99'])} ms", ""),
            ("1 set-up, direct p50/p99", f"{fmt(di['p50'])} / {fmt(di['p99'])} ms", ""),
            ("1 added by the router p50 / p99", f"{fmt(d50)} / {fmt(d99)} ms  (n={s['samples']} each)",
             "PASS" if d50 < 0.5 else "FAIL (target < 0.5 ms)"),
        ]
        result.update(setup_router_p50_ms=fmt(ro["p50"]), setup_direct_p50_ms=fmt(di["p50"]),
                      setup_added_p50_ms=fmt(d50), setup_added_p99_ms=fmt(d99))
    if "rtt" in r:
        t = r["rtt"]
        rows += [
            ("2 keep-alive RTT after hand-over p50/p99",
             f"{fmt(t['router_ms']['p50'])} / {fmt(t['router_ms']['p99'])} ms "
             f"(2nd pass {fmt(t['router2_ms']['p50'])} / {fmt(t['router2_ms']['p99'])})", ""),
            ("2 keep-alive RTT direct p50/p99",
             f"{fmt(t['direct_ms']['p50'])} / {fmt(t['direct_ms']['p99'])} ms "
             f"(2nd pass {fmt(t['direct2_ms']['p50'])} / {fmt(t['direct2_ms']['p99'])})",
             "n=%d each pass" % t["samples"]),
        ]
        result.update(rtt_router_p50_ms=fmt(t["router_ms"]["p50"]), rtt_direct_p50_ms=fmt(t["direct_ms"]["p50"]))
    if "rate" in r:
        ra = r["rate"]
        for side in ("router", "direct"):
            if side not in ra:
                continue
            x = ra[side]
            cpu = x["cpu_percent"]
            rows.append((f"3 connect/GET/close per second, {side}",
                         f"{x['per_second']:.0f}/s ({x['completed']} in {x['seconds']:.1f} s, {ra['clients']} clients, "
                         f"latency p50/p99 {fmt(x['latency_ms']['p50'], 2)}/{fmt(x['latency_ms']['p99'], 2)} ms)",
                         f"CPU: control plane {fmt(cpu['controlplane'], 0)} %, worker {fmt(cpu['worker'], 0)} %, "
                         f"clients {x['client_cpu_percent']:.0f} %; errors {x['errors'] or 'none'}"))
        result["handovers_per_s"] = f"{ra['router']['per_second']:.0f}"
    if "fds" in r:
        f = r["fds"]
        b, c, a = f["fds_before"], f["fds_connected"], f["fds_after_close"]
        per = (c["controlplane"] - b["controlplane"]) / max(1, f["connected_count"])
        rows += [
            ("4 stations connected through the router",
             f"{f['connected_count']} / {f['stations']} ({f['alive']} open at count; "
             f"Heartbeat probe {f['probe_ok']}/{f['probe_sent']})",
             f"ramp {f['ramp_seconds']:.1f} s, handshake p50/p99 {fmt(f['handshake_ms']['p50'], 1)}/"
             f"{fmt(f['handshake_ms']['p99'], 1)} ms; errors {f['errors'] or 'none'}"),
            ("4 control-plane fds before / connected / closed",
             f"{b['controlplane']} / {c['controlplane']} / {a['controlplane']}  ({per:.4f} per station)",
             "PASS" if c["controlplane"] - b["controlplane"] < 10 else "FAIL (descriptors per station)"),
            ("4 worker fds before / connected / closed", f"{b['worker']} / {c['worker']} / {a['worker']}", ""),
            ("4 control-plane RSS before / connected",
             f"{fmt((f['cp_rss_before_kib'] or 0) / 1024, 1)} / {fmt((f['cp_rss_connected_kib'] or 0) / 1024, 1)} MiB",
             ""),
        ]
        result.update(stations=f["connected_count"], cp_fds_delta=c["controlplane"] - b["controlplane"])
    if "provision" in r:
        p = r["provision"]
        last = p["snapshots"][-1]
        first = p["snapshots"][0]
        rows.append(("5 tenants created via platform API (sequential)",
                     f"{p['created']} / {p['tenants']}; p50/p99 {fmt(p['create_ms']['p50'], 0)} / "
                     f"{fmt(p['create_ms']['p99'], 0)} ms (max {fmt(p['create_ms']['max'], 0)})",
                     f"routed at once: {p['routed_ok']}/{p['created']}; {p['slow_creates']} took > 1 s"
                     + (f"; failures {p['failures']}" if p["failures"] else "")))
        for snap in p["snapshots"]:
            rows.append((f"5 idle worker memory ({snap['label']})",
                         f"RSS mean {fmt(snap['rss_mib']['mean'], 1)} (max {fmt(snap['rss_mib']['max'], 1)}) MiB, "
                         f"PSS {fmt(snap['pss_mib']['mean'], 1)} MiB, private {fmt(snap['uss_mib']['mean'], 1)} MiB",
                         f"{snap['workers']} workers {snap['states']}"))
            rows.append((f"5 per idle worker ({snap['label']})",
                         f"PostgreSQL conns {snap['pg_connections_tenants'] / max(1, snap['workers']):.2f}, "
                         f"Redis conns {snap['redis_clients_tenants'] / max(1, snap['workers']):.2f}, "
                         f"fds {fmt(snap['fds_per_worker'], 0)}",
                         "all PostgreSQL sessions by role: "
                         + ", ".join(f"{k}={v}" for k, v in snap["pg_connections_all"].items()
                                     if not k.startswith(cfg.role_prefix + "idle"))
                         + f" (+{snap['pg_connections_tenants']} of the new tenants); their last statements: "
                         + "; ".join(f"{v}x {k}" for k, v in snap["pg_tenant_queries"].items())))
        if p["idle_cpu"]:
            ic = p["idle_cpu"]
            rows.append(("5 CPU of the idle tenants", f"workers {ic['workers_percent']:.1f} % of one core in all "
                         f"({ic['workers_percent'] / max(1, ic['workers']):.3f} % each), control plane "
                         f"{ic['controlplane_percent']:.1f} %", f"{ic['workers']} workers; load average {ic['loadavg']:.2f}"))
        pgm = p["postgres_memory_kib"]
        rows.append(("5 host MemAvailable drop per created tenant",
                     f"{p['mem_available_drop_kib_per_tenant'] / 1024:.1f} MiB",
                     "worker + its PostgreSQL backends + Redis + kernel; noisy: other jobs share this machine"))
        rows.append(("5 control plane fds per worker", f"{fmt(p['cp_fds_per_worker'], 1)} "
                     f"({p['cp_fds_before']} → {last['cp_fds']})", ""))
        total_mib = cfg.host_ram_gib * 1024
        pg_mib = cfg.pg_reserve_mib
        redis_mib = cfg.redis_reserve_mib
        head_mib = cfg.headroom_mib
        budget = total_mib - pg_mib - redis_mib - head_mib
        rss_mean = last["rss_mib"]["mean"] or float("nan")
        pss_mean = last["pss_mib"]["mean"] or float("nan")
        uss_mean = last["uss_mib"]["mean"] or float("nan")
        by_rss = math.floor(budget / rss_mean) if rss_mean == rss_mean else None
        by_uss = math.floor(budget / uss_mean) if uss_mean == uss_mean else None
        drop = p["mem_available_drop_kib_per_tenant"] / 1024
        by_drop = math.floor(budget / drop) if drop > 0 else None
        settings = p["pg_settings"]
        per_worker_pg = last["pg_connections_tenants"] / max(1, last["workers"])
        # The control plane's own pool (postgres.max_connections, default 10) and the reserved
        # superuser slots come off the server's max_connections first.
        pg_free = settings.get("max_connections", 0) - settings.get("superuser_reserved_connections", 3) - 10
        by_pg = math.floor(pg_free / per_worker_pg) if per_worker_pg > 0 else None
        rows.append(("5 idle workers by PostgreSQL max_connections",
                     f"{by_pg} (max_connections {settings.get('max_connections')}, "
                     f"{per_worker_pg:.2f} held per idle worker)",
                     "each idle worker keeps its health-check connection (HealthMonitor, every few seconds), "
                     "so its pool never reaches zero; under load each may open postgres.worker_max_connections"))
        rows.append(("5 idle workers per host by MemAvailable drop", f"{by_drop} ({drop:.1f} MiB per tenant)",
                     "same budget as below"))
        rows.append(("5 idle workers per 2-core/24 GiB host (memory)",
                     f"{by_rss} by RSS ({fmt(rss_mean, 1)} MiB), {by_uss} by private memory ({fmt(uss_mean, 1)} MiB)",
                     f"budget {budget} MiB = {total_mib:.0f} − PostgreSQL {pg_mib} − Redis {redis_mib} − headroom "
                     f"{head_mib}; measured PostgreSQL PSS now {fmt(pgm.get('pss', 0) / 1024, 0)} MiB; target 500 at ≤ 30 MiB: "
                     + ("PASS" if rss_mean <= 30 else ("PASS by private memory only" if uss_mean <= 30 else "FAIL"))))
        result.update(provision_p50_ms=fmt(p["create_ms"]["p50"], 0), provision_p99_ms=fmt(p["create_ms"]["p99"], 0),
                      idle_rss_mib=fmt(rss_mean, 1), idle_pss_mib=fmt(pss_mean, 1), idle_uss_mib=fmt(uss_mean, 1),
                      workers_per_host_rss=by_rss, workers_per_host_uss=by_uss, workers_per_host_memdrop=by_drop,
                      workers_by_pg_max_connections=by_pg,
                      pg_conns_per_idle_worker=f"{last['pg_connections_tenants'] / max(1, last['workers']):.2f}",
                      pg_conns_per_worker_first=f"{first['pg_connections_tenants'] / max(1, first['workers']):.2f}")
    w1 = max(len(a) for a, _, _ in rows) if rows else 10
    w2 = max(len(b) for _, b, _ in rows) if rows else 10
    print()
    print(f"| {'figure'.ljust(w1)} | {'value'.ljust(w2)} | note |")
    print(f"|-{'-' * w1}-|-{'-' * w2}-|------|")
    for a, b, c in rows:
        print(f"| {a.ljust(w1)} | {b.ljust(w2)} | {c} |")
    print("RESULT " + " ".join(f"{k}={v}" for k, v in result.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--phases", default="setup,rtt,rate,fds,provision")
    ap.add_argument("--router-port", type=int, required=True)
    ap.add_argument("--direct-port", type=int, required=True)
    ap.add_argument("--admin-port", type=int, required=True)
    ap.add_argument("--platform-key", required=True)
    ap.add_argument("--slug", required=True)
    ap.add_argument("--base-domain", required=True)
    ap.add_argument("--cp-pid", type=int, required=True)
    ap.add_argument("--worker-pid", type=int, required=True)
    ap.add_argument("--db-conninfo", required=True)
    ap.add_argument("--role-prefix", default="csms_tenant_")
    ap.add_argument("--redis-port", type=int, required=True)
    ap.add_argument("--redis-user", default="csms_admin")
    ap.add_argument("--redis-password", required=True)
    ap.add_argument("--redis-pid", type=int, default=0)
    ap.add_argument("--pg-dir", required=True)
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--rate-processes", type=int, default=4)
    ap.add_argument("--rate-connections", type=int, default=50)
    ap.add_argument("--rate-seconds", type=float, default=20)
    ap.add_argument("--rate-direct-seconds", type=float, default=20)
    ap.add_argument("--stations", type=int, default=5000)
    ap.add_argument("--connect-concurrency", type=int, default=200)
    ap.add_argument("--settle", type=float, default=2)
    ap.add_argument("--tenants", type=int, default=30)
    ap.add_argument("--idle-wait", type=float, default=70, help="seconds before the second idle reading "
                    "(the worker's PostgreSQL pool closes connections idle for 60 s)")
    ap.add_argument("--host-ram-gib", type=float, default=24)
    ap.add_argument("--pg-reserve-mib", type=int, default=2048, help="PostgreSQL budget in the extrapolation")
    ap.add_argument("--redis-reserve-mib", type=int, default=512)
    ap.add_argument("--headroom-mib", type=int, default=2048, help="OS, control plane, page cache headroom")
    ap.add_argument("--json-out")
    cfg = ap.parse_args()
    cfg.host = f"{cfg.slug}.{cfg.base_domain}"
    phases = [p.strip() for p in cfg.phases.split(",") if p.strip()]
    funcs = {"setup": phase_setup, "rtt": phase_rtt, "rate": phase_rate, "fds": phase_fds,
             "provision": phase_provision}
    r: dict[str, Any] = {"machine": loadgen.machine()}
    for ph in phases:
        t = time.perf_counter()
        print(f"phase {ph} ...", file=sys.stderr, flush=True)
        r[ph] = funcs[ph](cfg)
        print(f"phase {ph} done in {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
        if cfg.json_out:
            with open(cfg.json_out, "w") as f:
                json.dump(r, f, indent=1, default=str)
    report(r, cfg)
    return 0


if __name__ == "__main__":
    sys.exit(main())

# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""The SaaS path (issue 5): tenants created through the platform API, stations and API clients
reaching their tenant's worker through the edge router's one port by Host header, suspension,
worker crashes, crash loops, a control-plane restart, plan limits and usage metering."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import signal
import time
import urllib.error
import urllib.request

import websockets
from ocpp.v16 import call as call16

from support.flows import boot16, eventually, start16, status16, stop16
from support.rest import RestClient, assert_problem
from support.stations import OCPP16, connect, new_identity, new_password, reconnect_with_backoff


def platform(deployment) -> RestClient:
    return RestClient(deployment.admin_url, deployment.platform_key)


def create_tenant(deployment, prefix: str, plan: str = "e2e") -> tuple[str, RestClient]:
    """A tenant made through the platform API; returns its slug and a REST client that reaches its
    worker through the edge router."""
    slug = f"{prefix}-{secrets.token_hex(3)}"
    key = secrets.token_urlsafe(24)
    r = platform(deployment).post("/platform/v1/tenants", {
        "slug": slug, "display_name": f"E2E {prefix}", "plan": plan,
        "ocpp": {"allowed_versions": ["ocpp2.0.1", "ocpp1.6"], "unknown_stations": "reject",
                 "heartbeat_interval": "60s", "response_timeout": "5s"},
        "api_keys": [{"name": "e2e", "sha256": hashlib.sha256(key.encode()).hexdigest()}],
    })
    assert r.status == 201, r.describe()
    deployment.extra_slugs.append(slug)
    return slug, RestClient(deployment.router_url, key, host=deployment.tenant_host(slug))


def raw_get(deployment, host: str, path: str = "/healthz") -> tuple[int, str]:
    req = urllib.request.Request(deployment.router_url + path, headers={"Host": host})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()
    except (urllib.error.URLError, OSError) as err:
        return 0, str(err)  # nothing listening (a control plane restarting)


async def charge16(station, tag: str, meter_start: int, meter_stop: int) -> int:
    await status16(station, 1, "Available")
    started = await start16(station, tag, meter_start)
    await stop16(station, started.transaction_id, meter_stop)
    return started.transaction_id


async def test_two_tenants_share_one_port_and_see_only_their_own_data(deployment):
    a, api_a = create_tenant(deployment, "ra")
    b, api_b = create_tenant(deployment, "rb")
    cp_id, password = new_identity("E2ERT"), new_password()
    api_a.create_station(cp_id, password)
    api_a.create_token("RT" + cp_id[-10:].upper())

    c = await connect(deployment.router_ws_base, cp_id, password, OCPP16, host=deployment.tenant_host(a))
    try:
        await boot16(c.station)
        tx = await charge16(c.station, "RT" + cp_id[-10:].upper(), 1000, 4500)
    finally:
        await c.close()
    mine = api_a.transactions(cp_id)
    assert [t["remote_id"] for t in mine] == [str(tx)]
    assert mine[0]["energy_wh"] == 3500
    # Tenant B's worker knows nothing of A's station or transaction.
    assert api_b.transactions(cp_id) == []
    assert_problem(api_b.station(cp_id), 404)
    # B's key is not valid on A's subdomain.
    assert RestClient(deployment.router_url, api_b.api_key, host=deployment.tenant_host(a)).get(
        "/api/v1/stations").status == 401
    # The same station connecting to B's subdomain is unknown there.
    try:
        await connect(deployment.router_ws_base, cp_id, password, OCPP16, host=deployment.tenant_host(b))
        raise AssertionError("tenant B accepted tenant A's station")
    except websockets.InvalidStatus as err:
        assert err.response.status_code == 404

    # The router answers for tenants it does not know, in any spelling of the host.
    status, _ = raw_get(deployment, f"nobody-{secrets.token_hex(2)}.csms.test")
    assert status == 404
    status, _ = raw_get(deployment, f"{a.upper()}.CSMS.TEST.:{deployment.router_port}")
    assert status == 200


async def test_suspend_closes_station_sockets_and_resume_restores_service(deployment):
    slug, api = create_tenant(deployment, "rs")
    cp_id, password = new_identity("E2ESU"), new_password()
    api.create_station(cp_id, password)
    host = deployment.tenant_host(slug)
    c = await connect(deployment.router_ws_base, cp_id, password, OCPP16, host=host)
    await boot16(c.station)

    r = platform(deployment).post(f"/platform/v1/tenants/{slug}/suspend")
    assert r.status == 200, r.describe()
    # The worker drains: the station's socket is closed with a going-away close.
    await asyncio.wait_for(c.ws.wait_closed(), timeout=30)
    assert c.ws.close_code in (1001, 1000, 1006), c.ws.close_code
    await c.close()
    # New connections get 403 from the router.
    await eventually(lambda: raw_get(deployment, host)[0] == 403, timeout=10)

    r = platform(deployment).post(f"/platform/v1/tenants/{slug}/resume")
    assert r.status == 200, r.describe()
    c, _ = await reconnect_with_backoff(deployment.router_ws_base, cp_id, password, OCPP16, host=host,
                                        deadline_seconds=30)
    try:
        await boot16(c.station)
        await c.station.call(call16.Heartbeat())
    finally:
        await c.close()


async def test_worker_kill_is_served_again_quickly_and_the_station_continues(deployment):
    slug, api = create_tenant(deployment, "rk")
    cp_id, password = new_identity("E2EKL"), new_password()
    api.create_station(cp_id, password)
    host = deployment.tenant_host(slug)
    c = await connect(deployment.router_ws_base, cp_id, password, OCPP16, host=host)
    await boot16(c.station)
    pid = deployment.worker_pids_for_slug(slug)[0]
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    await asyncio.wait_for(c.ws.wait_closed(), timeout=10)
    await c.close()
    c, _ = await reconnect_with_backoff(deployment.router_ws_base, cp_id, password, OCPP16, host=host,
                                        deadline_seconds=30)
    back = time.monotonic() - killed
    try:
        await c.station.call(call16.Heartbeat())
    finally:
        await c.close()
    print(f"worker killed with SIGKILL: station connected again after {back * 1000:.0f} ms")
    assert back < 5, f"the worker took {back:.1f} s to serve again"
    assert deployment.worker_pids_for_slug(slug) != [pid]


async def test_crash_loop_marks_the_tenant_degraded_while_others_keep_working(deployment):
    looping, _ = create_tenant(deployment, "rl")
    steady, api = create_tenant(deployment, "rw")
    cp_id, password = new_identity("E2ESTD"), new_password()
    api.create_station(cp_id, password)
    c = await connect(deployment.router_ws_base, cp_id, password, OCPP16, host=deployment.tenant_host(steady))
    try:
        await boot16(c.station)
        p = platform(deployment)

        def state() -> str:
            items = p.get("/platform/v1/workers").json["items"]
            return next(w["state"] for w in items if w["slug"] == looping)

        killed: set[int] = set()
        deadline = time.monotonic() + 120
        while state() != "crash_loop":
            assert time.monotonic() < deadline, f"no crash loop; state {state()}"
            pids = [pid for pid in deployment.worker_pids_for_slug(looping) if pid not in killed]
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            # The other tenant's station is served throughout.
            await c.station.call(call16.Heartbeat())
            await asyncio.sleep(0.2)
        assert len(killed) >= 5
        # Degraded: no automatic restart any more, and the router says so.
        assert deployment.worker_pids_for_slug(looping) == []
        await eventually(lambda: raw_get(deployment, deployment.tenant_host(looping))[0] == 503, timeout=10)
        await c.station.call(call16.Heartbeat())
        # An operator resumes it.
        r = p.post(f"/platform/v1/workers/{looping}/resume")
        assert r.status == 200, r.describe()
        await eventually(lambda: raw_get(deployment, deployment.tenant_host(looping))[0] == 200, timeout=20)
    finally:
        await c.close()


async def test_station_over_the_plan_limit_is_rejected_and_usage_is_metered(deployment):
    p = platform(deployment)
    plan = f"one-{secrets.token_hex(2)}"
    r = p.post("/platform/v1/plans", {
        "name": plan, "monthly_price": "10.00", "currency": "EUR", "included_stations": 1,
        "price_per_extra_station": "2.00", "max_stations": 1, "max_concurrent_connections": 10,
        "api_requests_per_second": 100, "ocpi_enabled": False, "data_retention_days": 30})
    assert r.status == 201, r.describe()
    slug, api = create_tenant(deployment, "rp", plan=plan)
    host = deployment.tenant_host(slug)
    first, second = new_identity("E2EP1"), new_identity("E2EP2")
    password = new_password()
    api.create_station(first, password)
    api.create_station(second, password)
    tag = "PL" + first[-10:].upper()
    api.create_token(tag)

    c = await connect(deployment.router_ws_base, second, password, OCPP16, host=host)
    try:
        response = await boot16(c.station, expect="Rejected")
        assert response.status == "Rejected"
    finally:
        await c.close()
    c = await connect(deployment.router_ws_base, first, password, OCPP16, host=host)
    try:
        await boot16(c.station)
        await charge16(c.station, tag, 10_000, 12_750)
    finally:
        await c.close()

    usage = p.get(f"/platform/v1/tenants/{slug}/usage").json
    assert usage["sessions"] == 1, usage
    assert usage["energy_wh"] == 2750, usage
    assert usage["active_stations"] == 2, usage  # both were seen this month, one was refused service
    assert usage["api_calls"] >= 0
    assert usage["invoice"]["currency"] == "EUR"
    assert usage["invoice"]["extra_stations"] == 1
    assert usage["invoice"]["total"] in ("12", "12.00", "12.0"), usage


async def test_zz_control_plane_restart_leaves_stations_connected(deployment):
    """Replaces the control plane process of the shared deployment; later tests use the new one."""
    slug, api = create_tenant(deployment, "rr")
    cp_id, password = new_identity("E2ECP"), new_password()
    api.create_station(cp_id, password)
    host = deployment.tenant_host(slug)
    c = await connect(deployment.router_ws_base, cp_id, password, OCPP16, host=host)
    try:
        await boot16(c.station)
        worker = deployment.worker_pids_for_slug(slug)
        deployment.process.send_signal(signal.SIGKILL)
        deployment.process.wait(10)
        # The station's socket belongs to the worker: it keeps working without a control plane.
        await c.station.call(call16.Heartbeat())
        deployment.start()
        await eventually(lambda: raw_get(deployment, host)[0] == 200, timeout=60)
        await c.station.call(call16.Heartbeat())
        # The new control plane adopted the running worker instead of starting a second one.
        assert deployment.worker_pids_for_slug(slug) == worker
        assert not c.ws.close_code
    finally:
        await c.close()
    # New connections are routed by the new control plane.
    c = await connect(deployment.router_ws_base, cp_id, password, OCPP16, host=host)
    try:
        await c.station.call(call16.Heartbeat())
    finally:
        await c.close()


async def test_api_rate_of_the_plan_is_enforced_with_429(deployment):
    p = platform(deployment)
    plan = f"slow-{secrets.token_hex(2)}"
    r = p.post("/platform/v1/plans", {
        "name": plan, "monthly_price": "1.00", "currency": "EUR", "included_stations": 1,
        "price_per_extra_station": "0", "max_stations": 5, "max_concurrent_connections": 10,
        "api_requests_per_second": 2, "ocpi_enabled": False, "data_retention_days": 30})
    assert r.status == 201, r.describe()
    _, api = create_tenant(deployment, "rq", plan=plan)
    statuses = [api.get("/api/v1/stations").status for _ in range(10)]
    assert statuses[:2] == [200, 200], statuses
    assert 429 in statuses, statuses
    limited = next(r for r in (api.get("/api/v1/stations") for _ in range(5)) if r.status == 429)
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.content_type == "application/problem+json"


async def test_rolling_restart_replaces_the_worker_and_stations_reconnect(deployment):
    slug, api = create_tenant(deployment, "ro")
    cp_id, password = new_identity("E2ERO"), new_password()
    api.create_station(cp_id, password)
    host = deployment.tenant_host(slug)
    old = deployment.worker_pids_for_slug(slug)
    c = await connect(deployment.router_ws_base, cp_id, password, OCPP16, host=host)
    await boot16(c.station)
    r = platform(deployment).post(f"/platform/v1/workers/{slug}/restart")
    assert r.status == 200, r.describe()
    assert r.json["healthy"] is True and r.json["generation"] >= 2, r.json
    # The old worker drains: its stations are told to go away (1001) and reconnect to the new one.
    await asyncio.wait_for(c.ws.wait_closed(), timeout=30)
    assert c.ws.close_code in (1001, 1006), c.ws.close_code
    await c.close()
    c, _ = await reconnect_with_backoff(deployment.router_ws_base, cp_id, password, OCPP16, host=host,
                                        deadline_seconds=30)
    try:
        await c.station.call(call16.Heartbeat())
    finally:
        await c.close()
    await eventually(lambda: deployment.worker_pids_for_slug(slug) not in ([], old), timeout=20)

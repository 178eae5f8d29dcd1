# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""The tenant REST API through the real deployment (issue 6): station registration (a pending
station accepted with PATCH and If-Match, then booting Accepted), keyset pagination of stations,
transactions and meter values, the audit log's before/after, deleting a connected station, and
Idempotency-Key on commands answered by a real `ocpp` station exactly once."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from support.flows import boot16, boot201, eventually, sampled16, start16, stop16
from support.rest import Response, RestClient, assert_problem
from support.stations import (OCPP16, OCPP201, basic_auth, connected, handshake_status, new_identity,
                              new_password, station_url)


def call(api: RestClient, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
         raw: bytes | None = None) -> Response:
    """Like RestClient.request, with request headers (If-Match, Idempotency-Key)."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    all_headers = {"Accept": "application/json", "Authorization": f"Bearer {api.api_key}", **(headers or {})}
    if api.host:
        all_headers["Host"] = api.host
    if data is not None:
        all_headers["Content-Type"] = "application/json"
    req = urllib.request.Request(api.base_url + path, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=api.timeout) as resp:
            status, text, hdrs = resp.status, resp.read().decode(), resp.headers
    except urllib.error.HTTPError as err:
        status, text, hdrs = err.code, err.read().decode(), err.headers
    parsed = json.loads(text) if text else None
    return Response(status, {k.lower(): v for k, v in hdrs.items()}, text, parsed)


def station_path(identity: str) -> str:
    return "/api/v1/stations/" + urllib.parse.quote(identity, safe="")


def every_page(api: RestClient, path: str, limit: int, between=None) -> list[list[dict[str, Any]]]:
    pages, cursor = [], None
    while True:
        params = {"limit": limit, "cursor": cursor}
        sep = "&" if "?" in path else "?"
        r = api.get(path + sep + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None}))
        assert r.status == 200, r.describe()
        assert set(r.json) == {"items", "next_cursor"}, r.json
        pages.append(r.json["items"])
        if between:
            between(len(pages))
        cursor = r.json["next_cursor"]
        if cursor is None or len(pages) > 50:
            return pages


def audit_entries(api: RestClient, action: str, target: str) -> list[dict[str, Any]]:
    r = api.get("/api/v1/audit-log", params={"action": action, "limit": 200})
    assert r.status == 200, r.describe()
    return [e for e in r.json["items"] if e["target"] == target]


async def test_a_pending_station_is_accepted_with_if_match_and_then_boots_accepted(acme, api):
    cp_id, password = new_identity("E2EREG"), new_password()
    async with connected(acme.ws_base, cp_id, password, OCPP201) as cp:
        # acme registers unknown stations as pending, with the password they presented.
        await boot201(cp, expect="Pending")
        r = api.station(cp_id)
        assert r.status == 200 and r.json["registration_status"] == "pending", r.describe()
        assert r.json["connected"] is True and r.json["password_set"] is True, r.json
        tag = r.headers["etag"]

        accept = {"registration_status": "accepted"}
        assert_problem(await asyncio.to_thread(call, api, "PATCH", station_path(cp_id), accept), 428)
        stale = await asyncio.to_thread(call, api, "PATCH", station_path(cp_id), accept, {"If-Match": '"0-0"'})
        assert_problem(stale, 412)
        done = await asyncio.to_thread(call, api, "PATCH", station_path(cp_id), accept, {"If-Match": tag})
        assert done.status == 200 and done.json["registration_status"] == "accepted", done.describe()
        assert done.headers["etag"] != tag
        # The station retries its boot (OCPP 2.0.1 B02: after the interval) and is now accepted.
        await boot201(cp, expect="Accepted")
        await status_ok(cp)

    # A new password through PATCH: the old one stops working, the new one connects.
    tag = api.station(cp_id).headers["etag"]
    new = new_password()
    changed = await asyncio.to_thread(call, api, "PATCH", station_path(cp_id), {"password": new}, {"If-Match": tag})
    assert changed.status == 200 and changed.json["password_set"] is True, changed.describe()
    url = station_url(acme.ws_base, cp_id)
    status, _, _ = await handshake_status(url, [OCPP201], {"Authorization": basic_auth(cp_id, password)})
    assert status == 401
    status, _, _ = await handshake_status(url, [OCPP201], {"Authorization": basic_auth(cp_id, new)})
    assert status == 101

    # Both changes are in the audit log with before/after; the password only as "changed".
    entries = audit_entries(api, "PATCH /api/v1/stations", station_path(cp_id))
    statuses = [(e["status"], e["before"] and e["before"]["registration_status"],
                 e["after"] and e["after"]["registration_status"]) for e in entries]
    assert (200, "accepted", "accepted") in statuses and (200, "pending", "accepted") in statuses, entries
    assert (428, None, None) in statuses and (412, None, None) in statuses, entries
    password_change = next(e for e in entries if e["after"] and e["after"].get("password"))
    assert password_change["after"]["password"] == "changed", password_change
    assert "password" not in password_change["before"], password_change
    assert new not in json.dumps(entries) and "pbkdf2" not in json.dumps(entries)
    assert all(e["actor_kind"] == "api_key" and e["actor"] == "config:e2e" for e in entries), entries


async def status_ok(cp) -> None:
    """An accepted station may send more than BootNotification."""
    result = await cp.call(call201.Heartbeat(), suppress=False)
    assert result.current_time, result


def test_stations_page_by_identity_and_filter(api):
    prefix = new_identity("E2EPG")
    for i in range(7):
        api.create_station(f"{prefix}-{i * 2}", new_password(), status="pending" if i % 2 else "accepted")

    def add_during(page: int) -> None:
        if page == 1:
            # After the cursor: appears on a later page. Before it: never (no repeat, no shift).
            api.create_station(f"{prefix}-9", new_password())
            api.create_station(f"{prefix}-0a", new_password())

    pages = every_page(api, f"/api/v1/stations?q={prefix}", 3, add_during)
    seen = [s["identity"] for page in pages for s in page]
    assert [len(p) for p in pages] == [3, 3, 2], seen
    assert seen == sorted(seen) and len(set(seen)) == len(seen), seen
    assert f"{prefix}-9" in seen and f"{prefix}-0a" not in seen, seen

    pending = api.get("/api/v1/stations", params={"q": prefix, "status": "pending"}).json["items"]
    assert sorted(s["identity"] for s in pending) == sorted(f"{prefix}-{i * 2}" for i in (1, 3, 5)), pending
    newest = every_page(api, f"/api/v1/stations?q={prefix}&sort=-created_at", 4)
    assert [s["identity"] for p in newest for s in p][0] == f"{prefix}-0a"
    assert_problem(api.get("/api/v1/stations", params={"sort": "vendor"}), 400)
    assert_problem(api.get("/api/v1/stations", params={"connected": "maybe"}), 400)


async def test_transactions_and_meter_values_page_newest_first(acme, api):
    cp_id, password = new_identity("E2ETXP"), new_password()
    tag = "P" + cp_id[-12:].upper()
    api.create_station(cp_id, password)
    api.create_token(tag)
    started: list[int] = []
    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp)
        for n in range(5):
            tx = await start16(cp, tag, meter_start=1000 * n)
            started.append(tx.transaction_id)
            if n == 4:
                for wh in (100, 200, 300):
                    await cp.call(call16.MeterValues(connector_id=1, transaction_id=tx.transaction_id,
                                                     meter_value=[sampled16(1000 * n + wh, power_w=7000 + wh)]),
                                  suppress=False)
            await stop16(cp, tx.transaction_id, meter_stop=1000 * n + 500)

    pages = every_page(api, f"/api/v1/transactions?station={cp_id}", 2)
    remote = [t["remote_id"] for p in pages for t in p]
    assert [len(p) for p in pages] == [2, 2, 1], pages
    assert remote == [str(t) for t in reversed(started)], remote
    starts = [t["started_at"] for p in pages for t in p]
    assert starts == sorted(starts, reverse=True), starts
    oldest = [t["remote_id"] for p in every_page(api, f"/api/v1/transactions?station={cp_id}&sort=started_at", 3)
              for t in p]
    assert oldest == [str(t) for t in started], oldest
    # Existing callers: ?station=&status= still answers {"items": [...]} with the same members.
    completed = api.transactions(cp_id, status="completed")
    assert len(completed) == 5 and all(t["energy_wh"] == 500 for t in completed), completed
    assert api.get("/api/v1/transactions", params={"station": cp_id, "id_token": "NOBODY"}).json["items"] == []

    last = next(t for p in pages for t in p if t["remote_id"] == str(started[-1]))
    detail = api.transaction(last["id"])
    samples = every_page(api, f"/api/v1/transactions/{last['id']}/meter-values", 2)
    values = [(s["sampled_at"], s["measurand"], s["value"]) for p in samples for s in p]
    assert len(values) >= 6 and len(set(values)) == len(values) == len(detail["meter_values"]), values
    assert values == sorted(values, key=lambda v: v[0]), values
    energy = api.get(f"/api/v1/transactions/{last['id']}/meter-values",
                     params={"measurand": "Energy.Active.Import.Register"}).json["items"]
    assert [s["value"] for s in energy] == [4100, 4200, 4300], energy
    assert detail["station"] == cp_id and detail["energy_wh"] == 500, detail
    assert_problem(api.get("/api/v1/transactions/987654321/meter-values"), 404)


async def test_deleting_a_connected_station_closes_its_connection(acme, api):
    cp_id, password = new_identity("E2EDEL"), new_password()
    api.create_station(cp_id, password)
    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp)
        r = await asyncio.to_thread(call, api, "DELETE", station_path(cp_id))
        assert r.status == 204, r.describe()
        await asyncio.wait_for(cp._connection.wait_closed(), 10)
    assert_problem(api.station(cp_id), 404)
    removal = audit_entries(api, "DELETE /api/v1/stations", station_path(cp_id))
    assert len(removal) == 1 and removal[0]["status"] == 204, removal
    assert removal[0]["before"]["identity"] == cp_id and removal[0]["after"] is None, removal


@pytest.mark.parametrize("version", [OCPP201, OCPP16])
async def test_an_idempotent_remote_start_reaches_the_station_once(acme, api, version):
    cp_id, password = new_identity("E2EIDEM"), new_password()
    api.create_station(cp_id, password)
    if version == OCPP201:
        action, payload = "RequestStartTransaction", {"idToken": {"idToken": "IDEM1", "type": "ISO14443"},
                                                      "remoteStartId": 42, "evseId": 1}
    else:
        action, payload = "RemoteStartTransaction", {"idTag": "IDEM1", "connectorId": 1}
    path = f"{station_path(cp_id)}/commands/{action}"
    key = {"Idempotency-Key": "start-" + cp_id}
    async with connected(acme.ws_base, cp_id, password, version) as cp:
        await (boot201(cp) if version == OCPP201 else boot16(cp))
        first = await asyncio.to_thread(call, api, "POST", path, payload, key)
        second = await asyncio.to_thread(call, api, "POST", path, payload, key)
        assert first.status == 200 and first.json["response"]["status"] == "Accepted", first.describe()
        assert second.status == 200 and second.json == first.json, second.describe()
        assert "idempotent-replayed" not in first.headers and second.headers["idempotent-replayed"] == "true"
        # The same key for another request is refused; a new key is a new command.
        other = dict(payload, **({"remoteStartId": 43} if version == OCPP201 else {"connectorId": 2}))
        assert_problem(await asyncio.to_thread(call, api, "POST", path, other, key), 422)
        third = await asyncio.to_thread(call, api, "POST", path, payload, {"Idempotency-Key": "again-" + cp_id})
        assert third.status == 200 and "idempotent-replayed" not in third.headers, third.describe()
        assert len(cp.requests(action)) == 2, cp.requests(action)


async def test_a_retry_while_the_command_runs_is_409(acme, api):
    cp_id, password = new_identity("E2EIDSL"), new_password()
    api.create_station(cp_id, password)
    path = f"{station_path(cp_id)}/commands/UnlockConnector"
    key = {"Idempotency-Key": "unlock-" + cp_id}
    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp)
        cp.slow_seconds = 2.0
        results: dict[str, Response] = {}
        first = threading.Thread(
            target=lambda: results.__setitem__("first", call(api, "POST", path, {"connectorId": 1}, key)))
        first.start()
        await eventually(lambda: cp.requests("UnlockConnector"), what="UnlockConnector at the station")
        busy = await asyncio.to_thread(call, api, "POST", path, {"connectorId": 1}, key)
        assert_problem(busy, 409)
        assert busy.headers.get("retry-after") == "1", busy.headers
        await eventually(lambda: "first" in results, timeout=10, what="the first answer")
        first.join()
        assert results["first"].status == 200, results["first"].describe()
        replay = await asyncio.to_thread(call, api, "POST", path, {"connectorId": 1}, key)
        assert replay.status == 200 and replay.headers.get("idempotent-replayed") == "true", replay.describe()
        assert cp.unlock_answers == 1
    bad = call(api, "POST", path, {"connectorId": 1}, {"Idempotency-Key": "x" * 256})
    assert_problem(bad, 400)

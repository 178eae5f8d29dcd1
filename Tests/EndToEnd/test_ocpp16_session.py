# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""OCPP 1.6J charging sessions end to end: boot, status, authorize, start, meter values, stop;
checked on the wire (the ocpp package validates every answer against the OCA schemas), in
PostgreSQL and through the REST API. Names follow the OCTT 1.6 CSMS cases (PROTOCOLS.md §6)."""

from datetime import datetime

from ocpp.v16 import call

from support.flows import (boot16, eventually, logged_frames, meter_value_rows, sampled16, start16, station_row,
                           status16, stop16, transaction_rows)
from support.stations import OCPP16, connected, new_identity, new_password, now_iso


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_tc_001_cold_boot_and_tc_003_regular_charging_session_16(acme, api, db):
    cp_id, password = new_identity("E2E16"), new_password()
    tag, unknown_tag = "T" + cp_id[-10:].upper(), "U" + cp_id[-10:].upper()
    created = api.create_station(cp_id, password)
    assert created["identity"] == cp_id and created["registration_status"] == "accepted", created
    api.create_token(tag)

    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        assert cp._connection.subprotocol == OCPP16

        # TC_001: BootNotification Accepted with the tenant's heartbeat interval and a valid clock.
        boot = await boot16(cp, model="E2E-Model-16")
        assert boot.interval == 60
        assert abs((parse_time(boot.current_time) - parse_time(now_iso())).total_seconds()) < 60
        await status16(cp, 0, "Available")
        await status16(cp, 1, "Available")
        beat = await cp.call(call.Heartbeat(), suppress=False)
        assert parse_time(beat.current_time)

        station = api.station(cp_id)
        assert station.status == 200, station.describe()
        s = station.json
        assert s["identity"] == cp_id and s["connected"] is True and s["ocpp_version"] == OCPP16, s
        assert s["vendor"] == "OpenCSMS-E2E" and s["model"] == "E2E-Model-16", s
        c1 = [c for c in s["connectors"] if c.get("connector_id") == 1]
        assert c1 and c1[0]["status"].lower() == "available", s["connectors"]

        # Authorize: a known accepted tag, then a tag the CSMS has never seen.
        auth = await cp.call(call.Authorize(id_tag=tag), suppress=False)
        assert auth.id_tag_info["status"] == "Accepted", auth
        auth = await cp.call(call.Authorize(id_tag=unknown_tag), suppress=False)
        assert auth.id_tag_info["status"] == "Invalid", auth

        # TC_003: Preparing, StartTransaction, Charging, two samples, StopTransaction, Available.
        await status16(cp, 1, "Preparing")
        started = await start16(cp, tag, meter_start=1000)
        assert started.id_tag_info["status"] == "Accepted", started
        tx_id = started.transaction_id
        assert isinstance(tx_id, int) and tx_id > 0
        await status16(cp, 1, "Charging")
        await cp.call(call.MeterValues(connector_id=1, transaction_id=tx_id,
                                       meter_value=[sampled16(1500, 7000)]), suppress=False)
        await cp.call(call.MeterValues(connector_id=1, transaction_id=tx_id,
                                       meter_value=[sampled16(2500, 7200)]), suppress=False)

        active = api.transactions(cp_id, status="active")
        assert [t["remote_id"] for t in active] == [str(tx_id)], active

        stopped = await stop16(cp, tx_id, meter_stop=3500, reason="EVDisconnected", id_tag=tag)
        if stopped.id_tag_info is not None:
            assert stopped.id_tag_info["status"] == "Accepted", stopped
        await status16(cp, 1, "Finishing")
        await status16(cp, 1, "Available")

    # PostgreSQL: the station, one completed transaction, its meter values.
    row = station_row(db, acme.slug, cp_id)
    assert row["registration_status"] == "accepted" and row["ocpp_version"] == OCPP16, row
    assert row["vendor"] == "OpenCSMS-E2E" and row["model"] == "E2E-Model-16", row
    assert row["password_hash"].startswith("pbkdf2-sha256$") and password not in row["password_hash"]
    txs = transaction_rows(db, acme.slug, cp_id)
    assert len(txs) == 1, txs
    tx = txs[0]
    assert tx["remote_id"] == str(tx_id) and tx["status"] == "completed" and tx["id_token"] == tag, tx
    assert float(tx["meter_start_wh"]) == 1000 and float(tx["meter_stop_wh"]) == 3500, tx
    assert (tx["stop_reason"] or "").lower() == "evdisconnected", tx
    assert tx["started_at"] and tx["stopped_at"], tx
    samples = [m for m in meter_value_rows(db, acme.slug, cp_id) if m["transaction_id"] == tx["id"]]
    energy = sorted(m["value"] for m in samples if m["measurand"] == "Energy.Active.Import.Register")
    power = sorted(m["value"] for m in samples if m["measurand"] == "Power.Active.Import")
    assert energy[:2] == [1500, 2500] and power == [7000, 7200], samples
    assert {m["unit"] for m in samples if m["measurand"] == "Power.Active.Import"} == {"W"}, samples
    await logged_frames(db, acme.slug, cp_id, "StopTransaction")

    # REST: the completed transaction with its energy and meter values; the station offline.
    done = api.transactions(cp_id, status="completed")
    assert len(done) == 1, done
    t = done[0]
    assert t["remote_id"] == str(tx_id) and t["station"] == cp_id and t["status"] == "completed", t
    assert t["connector_id"] == 1 and t["id_token"] == tag, t
    assert float(t["meter_start_wh"]) == 1000 and float(t["meter_stop_wh"]) == 3500, t
    assert float(t["energy_wh"]) == 2500, t
    detail = api.transaction(t["id"])
    values = [m for m in detail["meter_values"] if m["measurand"] == "Energy.Active.Import.Register"]
    assert sorted(float(m["value"]) for m in values) == [1500, 2500], detail["meter_values"]
    assert api.transactions(cp_id, status="active") == []

    await eventually(lambda: api.station(cp_id).json["connected"] is False, what=f"{cp_id} shown disconnected")


async def test_tc_023_authorize_invalid_expired_blocked_16(acme, api):
    """TC_023_1..3: Authorize answers Invalid, Expired and Blocked; a parent tag is returned."""
    cp_id, password = new_identity("E2E16A"), new_password()
    api.create_station(cp_id, password)
    base = cp_id[-8:].upper()
    api.create_token("B" + base, status="blocked")
    api.create_token("E" + base, status="expired")
    api.create_token("I" + base, status="invalid")
    api.create_token("X" + base, status="accepted", expires_at="2020-01-01T00:00:00Z")
    api.create_token("P" + base, status="accepted", parent_token="GROUP" + base)

    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp)
        expected = {"B": "Blocked", "E": "Expired", "I": "Invalid", "X": "Expired", "P": "Accepted"}
        for prefix, status in expected.items():
            r = await cp.call(call.Authorize(id_tag=prefix + base), suppress=False)
            assert r.id_tag_info["status"] == status, (prefix, r)
        r = await cp.call(call.Authorize(id_tag="P" + base), suppress=False)
        assert r.id_tag_info.get("parent_id_tag") == "GROUP" + base, r

        # StartTransaction with a blocked tag is still answered and recorded (OCPP 1.6 §4.8: the
        # CSMS must never refuse StartTransaction.conf), with Blocked in idTagInfo.
        started = await start16(cp, "B" + base, meter_start=0)
        assert started.id_tag_info["status"] == "Blocked", started
        assert started.transaction_id > 0
        await stop16(cp, started.transaction_id, meter_stop=10, reason="DeAuthorized")


async def test_stop_transaction_unknown_id_is_answered_16(acme, api, db):
    """OCPP 1.6 §4.10: the CSMS cannot prevent a transaction from stopping; an unknown
    transactionId still gets StopTransaction.conf and is kept for reconciliation."""
    cp_id, password = new_identity("E2E16O"), new_password()
    api.create_station(cp_id, password)
    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp)
        await stop16(cp, 987654, meter_stop=4200, reason="PowerLoss")
        await cp.call(call.Heartbeat(), suppress=False)
    txs = transaction_rows(db, acme.slug, cp_id)
    assert [t["status"] for t in txs] == ["orphan"], txs
    assert txs[0]["remote_id"] == "987654" and float(txs[0]["meter_stop_wh"]) == 4200, txs
    assert [t["remote_id"] for t in api.transactions(cp_id, status="orphan")] == ["987654"]

# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""OCPP 2.0.1 charging sessions end to end: boot, status, authorize, TransactionEvent
Started/Updated/Ended, meter values; checked on the wire, in PostgreSQL and through REST."""

from ocpp.v201 import call

from support.flows import (boot201, eventually, logged_frames, meter_value_rows, new_transaction_id, sampled201,
                           station_row, status201, transaction_event_rows, transaction_rows, tx_event201)
from support.stations import OCPP16, OCPP201, connected, new_identity, new_password


def token201(value: str) -> dict:
    return {"id_token": value, "type": "ISO14443"}


async def test_tc_b_01_cold_boot_and_tc_e_session_201(acme, api, db):
    cp_id, password = new_identity("E2E201"), new_password()
    tag, unknown_tag = "T" + cp_id[-12:].upper(), "U" + cp_id[-12:].upper()
    api.create_station(cp_id, password)
    api.create_token(tag, type="ISO14443")

    # Offering both versions, 2.0.1 is chosen (our preference, OCPP-J 2.0.1 §3.1.2).
    async with connected(acme.ws_base, cp_id, password, OCPP201, subprotocols=[OCPP16, OCPP201]) as cp:
        assert cp._connection.subprotocol == OCPP201
        boot = await boot201(cp, model="E2E-Model-201")
        assert boot.interval == 60
        await status201(cp, 1, 1, "Available")
        await cp.call(call.Heartbeat(), suppress=False)

        s = api.station(cp_id).json
        assert s["connected"] is True and s["ocpp_version"] == OCPP201, s
        assert s["vendor"] == "OpenCSMS-E2E" and s["model"] == "E2E-Model-201", s
        evse1 = [c for c in s["connectors"] if c.get("evse_id") == 1 and c.get("connector_id") == 1]
        assert evse1 and evse1[0]["status"].lower() == "available", s["connectors"]

        auth = await cp.call(call.Authorize(id_token=token201(tag)), suppress=False)
        assert auth.id_token_info["status"] == "Accepted", auth
        auth = await cp.call(call.Authorize(id_token=token201(unknown_tag)), suppress=False)
        assert auth.id_token_info["status"] in ("Unknown", "Invalid"), auth

        tx = new_transaction_id()
        await status201(cp, 1, 1, "Occupied")
        r = await cp.call(tx_event201(
            "Started", 0, tx, "Authorized", id_token=token201(tag), evse={"id": 1, "connector_id": 1},
            charging_state="Charging", meter=[sampled201(1000, context="Transaction.Begin")]), suppress=False)
        assert r.id_token_info and r.id_token_info["status"] == "Accepted", r
        await cp.call(tx_event201("Updated", 1, tx, "MeterValuePeriodic",
                                  meter=[sampled201(1800, 7400)]), suppress=False)
        await cp.call(tx_event201("Updated", 2, tx, "MeterValuePeriodic",
                                  meter=[sampled201(2600, 7300)]), suppress=False)
        # A MeterValues request outside the transaction messages (evse-level sample).
        await cp.call(call.MeterValues(evse_id=1, meter_value=[sampled201(2700, 7100)]), suppress=False)

        active = api.transactions(cp_id, status="active")
        assert [t["remote_id"] for t in active] == [tx], active

        await cp.call(tx_event201("Ended", 3, tx, "EVCommunicationLost", stopped_reason="EVDisconnected",
                                  charging_state="Idle", meter=[sampled201(3500, context="Transaction.End")]),
                      suppress=False)
        await status201(cp, 1, 1, "Available")

    txs = transaction_rows(db, acme.slug, cp_id)
    assert len(txs) == 1, txs
    t = txs[0]
    assert t["remote_id"] == tx and t["status"] == "completed" and t["id_token"] == tag, t
    assert float(t["meter_start_wh"]) == 1000 and float(t["meter_stop_wh"]) == 3500, t
    assert (t["stop_reason"] or "").lower() == "evdisconnected", t
    events = transaction_event_rows(db, acme.slug, cp_id)
    assert len(events) == 4, events
    samples = meter_value_rows(db, acme.slug, cp_id)
    tx_energy = sorted(m["value"] for m in samples
                       if m["transaction_id"] == t["id"] and m["measurand"] == "Energy.Active.Import.Register")
    assert {1800, 2600}.issubset(tx_energy), samples
    assert any(m["value"] == 2700 for m in samples), samples
    await logged_frames(db, acme.slug, cp_id, "TransactionEvent")
    row = station_row(db, acme.slug, cp_id)
    assert row["ocpp_version"] == OCPP201 and row["serial_number"] == "SN-" + cp_id[-10:], row

    done = api.transactions(cp_id, status="completed")
    assert len(done) == 1 and done[0]["remote_id"] == tx, done
    assert float(done[0]["energy_wh"]) == 2500 and done[0]["evse_id"] == 1, done
    detail = api.transaction(done[0]["id"])
    assert len(detail["meter_values"]) >= 4, detail

    await eventually(lambda: api.station(cp_id).json["connected"] is False, what=f"{cp_id} shown disconnected")


async def test_tc_c_authorize_blocked_expired_201(acme, api):
    cp_id, password = new_identity("E2E201A"), new_password()
    api.create_station(cp_id, password)
    base = cp_id[-10:].upper()
    api.create_token("B" + base, status="blocked")
    api.create_token("E" + base, status="accepted", expires_at="2020-01-01T00:00:00Z")
    async with connected(acme.ws_base, cp_id, password, OCPP201) as cp:
        await boot201(cp)
        r = await cp.call(call.Authorize(id_token=token201("B" + base)), suppress=False)
        assert r.id_token_info["status"] == "Blocked", r
        r = await cp.call(call.Authorize(id_token=token201("E" + base)), suppress=False)
        assert r.id_token_info["status"] == "Expired", r

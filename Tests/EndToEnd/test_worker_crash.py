# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""A tenant worker killed (SIGKILL) in the middle of a transaction: the control plane restarts
it, the station reconnects with backoff (without a new BootNotification, OCPP-J §5.4 / 2.0.1
§5.3) and finishes the transaction, and the energy is exactly meter_stop - meter_start: nothing
acknowledged before the crash was lost (PROTOCOLS.md §5)."""

import asyncio

from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from support.deployment import http_get
from support.flows import (boot16, boot201, eventually, new_transaction_id, sampled16, sampled201, start16,
                           status16, stop16, transaction_rows, tx_event201)
from support.stations import OCPP16, OCPP201, connect, new_identity, new_password, reconnect_with_backoff


async def kill_worker_and_wait_for_disconnect(deployment, key, ws):
    old_pid = deployment.kill_worker(key)
    await asyncio.wait_for(ws.wait_closed(), timeout=10)
    return old_pid


async def assert_restarted(deployment, key, old_pid):
    new_pid = await eventually(lambda: [p for p in deployment.worker_pids(key) if p != old_pid],
                               timeout=60, what="a new worker process")
    assert len(new_pid) == 1, new_pid
    status, text = http_get(deployment.tenants[key].base_url + "/healthz")
    assert status == 200, text


async def test_worker_killed_mid_transaction_16(deployment, acme, api, db):
    cp_id, password = new_identity("E2EKILL16"), new_password()
    tag = "K" + cp_id[-12:].upper()
    api.create_station(cp_id, password)
    api.create_token(tag)
    c = await connect(acme.ws_base, cp_id, password, OCPP16)
    try:
        await boot16(c.station)
        await status16(c.station, 1, "Charging")
        started = await start16(c.station, tag, meter_start=10000)
        tx_id = started.transaction_id
        await c.station.call(call16.MeterValues(connector_id=1, transaction_id=tx_id,
                                                meter_value=[sampled16(10400, 7000)]), suppress=False)
        old_pid = await kill_worker_and_wait_for_disconnect(deployment, "acme", c.ws)
    finally:
        await c.close()

    c, failures = await reconnect_with_backoff(acme.ws_base, cp_id, password, OCPP16)
    try:
        await assert_restarted(deployment, "acme", old_pid)
        # The transaction survived the crash; the station carries on where it was.
        assert [t["remote_id"] for t in api.transactions(cp_id, status="active")] == [str(tx_id)]
        await c.station.call(call16.MeterValues(connector_id=1, transaction_id=tx_id,
                                                meter_value=[sampled16(11000, 7100)]), suppress=False)
        await stop16(c.station, tx_id, meter_stop=11750, reason="Local", id_tag=tag)
        await c.station.call(call16.Heartbeat(), suppress=False)
    finally:
        await c.close()
    txs = transaction_rows(db, acme.slug, cp_id)
    assert len(txs) == 1 and txs[0]["status"] == "completed", txs
    assert float(txs[0]["meter_stop_wh"]) - float(txs[0]["meter_start_wh"]) == 1750, txs
    done = api.transactions(cp_id, status="completed")
    assert len(done) == 1 and float(done[0]["energy_wh"]) == 1750, done


async def test_worker_killed_mid_transaction_201(deployment, acme, api, db):
    cp_id, password = new_identity("E2EKILL201"), new_password()
    tag = "K" + cp_id[-12:].upper()
    api.create_station(cp_id, password)
    api.create_token(tag, type="ISO14443")
    tx = new_transaction_id()
    c = await connect(acme.ws_base, cp_id, password, OCPP201)
    try:
        await boot201(c.station)
        await c.station.call(tx_event201(
            "Started", 0, tx, "Authorized", id_token={"id_token": tag, "type": "ISO14443"},
            evse={"id": 1, "connector_id": 1}, charging_state="Charging",
            meter=[sampled201(5000, context="Transaction.Begin")]), suppress=False)
        await c.station.call(tx_event201("Updated", 1, tx, "MeterValuePeriodic", meter=[sampled201(5600)]),
                             suppress=False)
        old_pid = await kill_worker_and_wait_for_disconnect(deployment, "acme", c.ws)
    finally:
        await c.close()

    c, failures = await reconnect_with_backoff(acme.ws_base, cp_id, password, OCPP201)
    try:
        await assert_restarted(deployment, "acme", old_pid)
        # Messages queued while offline arrive with offline=true (OCPP 2.0.1 E04).
        await c.station.call(tx_event201("Updated", 2, tx, "MeterValuePeriodic", meter=[sampled201(6100)],
                                         offline=True), suppress=False)
        await c.station.call(tx_event201("Ended", 3, tx, "EVCommunicationLost", stopped_reason="EVDisconnected",
                                         meter=[sampled201(6900, context="Transaction.End")]), suppress=False)
        await c.station.call(call201.Heartbeat(), suppress=False)
    finally:
        await c.close()
    txs = transaction_rows(db, acme.slug, cp_id)
    assert len(txs) == 1 and txs[0]["remote_id"] == tx and txs[0]["status"] == "completed", txs
    assert float(txs[0]["meter_stop_wh"]) - float(txs[0]["meter_start_wh"]) == 1900, txs

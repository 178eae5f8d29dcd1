# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Retried transaction messages are idempotent: stations resend with a *new* message id when an
answer was lost (OCPP 1.6 §3.7.1; OCPP-J 2.0.1 §4.1.4), so the CSMS must recognise the content
(PROTOCOLS.md §1.7), never the message id."""

import json
import uuid

from support.flows import (boot16, boot201, new_transaction_id, sampled201, start16, stop16,
                           transaction_event_rows, transaction_rows, tx_event201)
from support.stations import OCPP16, OCPP201, connected, new_identity, new_password, now_iso


async def test_duplicate_start_transaction_gets_the_same_id_16(acme, api, db):
    cp_id, password = new_identity("E2EDUPS"), new_password()
    tag = "D" + cp_id[-12:].upper()
    api.create_station(cp_id, password)
    api.create_token(tag)
    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp)
        ts = now_iso(-30)
        first = await start16(cp, tag, meter_start=12345, timestamp=ts)
        # The same StartTransaction again, as a retry after a lost answer: same payload, new id.
        second = await start16(cp, tag, meter_start=12345, timestamp=ts)
        assert second.transaction_id == first.transaction_id
        # And once more sent raw, byte for byte the same payload.
        payload = {"connectorId": 1, "idTag": tag, "meterStart": 12345, "timestamp": ts}
        mid = str(uuid.uuid4())
        answer = await cp.send_raw(json.dumps([2, mid, "StartTransaction", payload]), mid)
        assert answer[0] == 3 and answer[2]["transactionId"] == first.transaction_id, answer
        assert len(transaction_rows(db, acme.slug, cp_id)) == 1

        await stop16(cp, first.transaction_id, meter_stop=12845)
        # A retried StopTransaction is answered too and changes nothing.
        await stop16(cp, first.transaction_id, meter_stop=12845)
    txs = transaction_rows(db, acme.slug, cp_id)
    assert len(txs) == 1 and txs[0]["status"] == "completed", txs
    assert float(txs[0]["meter_stop_wh"]) - float(txs[0]["meter_start_wh"]) == 500, txs


async def test_replayed_transaction_event_is_stored_once_201(acme, api, db):
    cp_id, password = new_identity("E2EREPL"), new_password()
    tag = "D" + cp_id[-12:].upper()
    api.create_station(cp_id, password)
    api.create_token(tag, type="ISO14443")
    async with connected(acme.ws_base, cp_id, password, OCPP201) as cp:
        await boot201(cp)
        tx = new_transaction_id()
        started = tx_event201("Started", 0, tx, "Authorized", id_token={"id_token": tag, "type": "ISO14443"},
                              evse={"id": 1, "connector_id": 1}, meter=[sampled201(2000, context="Transaction.Begin")])
        updated = tx_event201("Updated", 1, tx, "MeterValuePeriodic", meter=[sampled201(2400)])
        ended = tx_event201("Ended", 2, tx, "StopAuthorized", stopped_reason="Local",
                            meter=[sampled201(3000, context="Transaction.End")])
        for event in (started, started, updated, updated, updated, ended, ended):
            # The ocpp package gives each call a fresh message id: exactly what a retry looks like.
            await cp.call(event, suppress=False)
    events = transaction_event_rows(db, acme.slug, cp_id)
    assert len(events) == 3, events
    if "seq_no" in events[0]:
        assert sorted(e["seq_no"] for e in events) == [0, 1, 2], events
    txs = transaction_rows(db, acme.slug, cp_id)
    assert len(txs) == 1 and txs[0]["status"] == "completed", txs
    assert float(txs[0]["meter_stop_wh"]) - float(txs[0]["meter_start_wh"]) == 1000, txs

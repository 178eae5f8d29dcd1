# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""CSMS-initiated commands through `POST /api/v1/stations/{id}/commands/{Action}`: the body is the
OCPP request, the answer carries the station's CALLRESULT; the station is the ocpp package's
ChargePoint answering with registered handlers. Error mapping: 404 unknown station, 409 not
connected, 504 no answer in time, 502 CALLERROR, 400/422 bad command or payload."""

from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from support.flows import (boot16, boot201, eventually, new_transaction_id, sampled16, sampled201, start16, status16,
                           status201, stop16, transaction_rows, tx_event201)
from support.rest import assert_problem
from support.stations import OCPP16, OCPP201, connected, new_identity, new_password


async def test_tc_010_remote_start_tc_012_remote_stop_16(acme, api, db):
    cp_id, password = new_identity("E2E16R"), new_password()
    tag = "R" + cp_id[-12:].upper()
    api.create_station(cp_id, password)
    api.create_token(tag)
    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp)
        await status16(cp, 1, "Available")

        r = await api.command(cp_id, "RemoteStartTransaction", {"idTag": tag, "connectorId": 1})
        assert r.status == 200, r.describe()
        assert r.json == {"action": "RemoteStartTransaction", "response": {"status": "Accepted"}}, r.json
        assert cp.requests("RemoteStartTransaction") == [{"id_tag": tag, "connector_id": 1}]

        # The station starts as asked (OCPP 1.6 §5.11), then the CSMS stops it remotely.
        await status16(cp, 1, "Preparing")
        started = await start16(cp, tag, meter_start=500)
        await status16(cp, 1, "Charging")
        await cp.call(call16.MeterValues(connector_id=1, transaction_id=started.transaction_id,
                                         meter_value=[sampled16(900)]), suppress=False)
        r = await api.command(cp_id, "RemoteStopTransaction", {"transactionId": started.transaction_id})
        assert r.status == 200 and r.json["response"] == {"status": "Accepted"}, r.describe()
        assert cp.requests("RemoteStopTransaction") == [{"transaction_id": started.transaction_id}]
        await stop16(cp, started.transaction_id, meter_stop=1400, reason="Remote")
    txs = transaction_rows(db, acme.slug, cp_id)
    assert [(t["status"], float(t["meter_stop_wh"]) - float(t["meter_start_wh"])) for t in txs] == [
        ("completed", 900)], txs


async def test_tc_013_hard_reset_tc_014_soft_reset_and_configuration_16(acme, api):
    cp_id, password = new_identity("E2E16C"), new_password()
    api.create_station(cp_id, password)
    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp)
        for kind in ("Hard", "Soft"):
            r = await api.command(cp_id, "Reset", {"type": kind})
            assert r.status == 200 and r.json["response"] == {"status": "Accepted"}, r.describe()
        assert cp.requests("Reset") == [{"type": "Hard"}, {"type": "Soft"}]

        # TC_019 / TC_021: GetConfiguration and ChangeConfiguration.
        r = await api.command(cp_id, "GetConfiguration", {"key": ["HeartbeatInterval", "NoSuchKey"]})
        assert r.status == 200, r.describe()
        assert r.json["response"] == {
            "configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "60"}],
            "unknownKey": ["NoSuchKey"]}, r.json
        r = await api.command(cp_id, "ChangeConfiguration", {"key": "HeartbeatInterval", "value": "120"})
        assert r.status == 200 and r.json["response"] == {"status": "Accepted"}, r.describe()
        assert cp.configuration["HeartbeatInterval"] == "120"
        r = await api.command(cp_id, "ChangeConfiguration", {"key": "Bogus", "value": "1"})
        assert r.status == 200 and r.json["response"] == {"status": "NotSupported"}, r.describe()
        r = await api.command(cp_id, "GetConfiguration", {})
        assert r.status == 200, r.describe()
        assert {k["key"] for k in r.json["response"]["configurationKey"]} == set(cp.configuration), r.json


async def test_tc_b_remote_start_stop_reset_variables_201(acme, api, db):
    cp_id, password = new_identity("E2E201R"), new_password()
    tag = "R" + cp_id[-12:].upper()
    api.create_station(cp_id, password)
    api.create_token(tag, type="ISO14443")
    async with connected(acme.ws_base, cp_id, password, OCPP201) as cp:
        await boot201(cp)
        await status201(cp, 1, 1, "Available")

        # F01 RequestStartTransaction → TransactionEvent Started with the remoteStartId.
        r = await api.command(cp_id, "RequestStartTransaction",
                              {"idToken": {"idToken": tag, "type": "ISO14443"}, "remoteStartId": 4242, "evseId": 1})
        assert r.status == 200, r.describe()
        assert r.json == {"action": "RequestStartTransaction", "response": {"status": "Accepted"}}, r.json
        req = cp.requests("RequestStartTransaction")
        assert len(req) == 1 and req[0]["remote_start_id"] == 4242 and req[0]["id_token"]["id_token"] == tag, req
        tx = new_transaction_id()
        await cp.call(tx_event201("Started", 0, tx, "RemoteStart", remote_start_id=4242,
                                  id_token={"id_token": tag, "type": "ISO14443"}, evse={"id": 1, "connector_id": 1},
                                  charging_state="Charging", meter=[sampled201(100, context="Transaction.Begin")]),
                      suppress=False)

        # F03 RequestStopTransaction → Ended.
        r = await api.command(cp_id, "RequestStopTransaction", {"transactionId": tx})
        assert r.status == 200 and r.json["response"] == {"status": "Accepted"}, r.describe()
        assert cp.requests("RequestStopTransaction") == [{"transaction_id": tx}]
        await cp.call(tx_event201("Ended", 1, tx, "RemoteStop", stopped_reason="Remote",
                                  meter=[sampled201(700, context="Transaction.End")]), suppress=False)

        # B11/B12 Reset.
        r = await api.command(cp_id, "Reset", {"type": "OnIdle"})
        assert r.status == 200 and r.json["response"] == {"status": "Accepted"}, r.describe()

        # B06 GetVariables, B05 SetVariables.
        get = {"getVariableData": [{"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}},
                                   {"component": {"name": "Nope"}, "variable": {"name": "Nothing"}}]}
        r = await api.command(cp_id, "GetVariables", get)
        assert r.status == 200, r.describe()
        results = r.json["response"]["getVariableResult"]
        assert results[0]["attributeStatus"] == "Accepted" and results[0]["attributeValue"] == "60", results
        assert results[1]["attributeStatus"] == "UnknownVariable", results
        r = await api.command(cp_id, "SetVariables", {"setVariableData": [
            {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"},
             "attributeValue": "90"}]})
        assert r.status == 200, r.describe()
        assert r.json["response"]["setVariableResult"][0]["attributeStatus"] == "Accepted", r.json
        assert cp.variables[("OCPPCommCtrlr", "HeartbeatInterval")] == "90"

    txs = transaction_rows(db, acme.slug, cp_id)
    assert len(txs) == 1 and txs[0]["status"] == "completed", txs
    assert float(txs[0]["meter_stop_wh"]) - float(txs[0]["meter_start_wh"]) == 600, txs


async def test_command_errors_16(acme, api):
    cp_id, password = new_identity("E2E16E"), new_password()
    api.create_station(cp_id, password)

    # Unknown station → 404; known but not connected → 409.
    assert_problem(await api.command("NO-SUCH-" + cp_id[-8:], "Reset", {"type": "Soft"}), 404)
    assert_problem(await api.command(cp_id, "Reset", {"type": "Soft"}), 409)

    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp)
        # Unknown command; a payload violating the 1.6 schema; a 2.0.1-only action on a 1.6 station.
        assert_problem(await api.command(cp_id, "Frobnicate", {}), 400, 404, 422)
        assert_problem(await api.command(cp_id, "Reset", {"type": "Medium"}), 400, 422)
        assert_problem(await api.command(cp_id, "Reset", {}), 400, 422)
        assert_problem(await api.command(cp_id, "RequestStartTransaction",
                                         {"idToken": {"idToken": "X", "type": "Central"}, "remoteStartId": 1}),
                       400, 404, 422)
        assert cp.requests("Reset") == [], "an invalid command reached the station"

        # The station answers CALLERROR → 502.
        doc = assert_problem(await api.command(cp_id, "ClearCache", {}), 502)
        assert doc.get("ocpp_error_code") == "NotSupported", doc

        # The station does not answer within ocpp.response_timeout (5 s) → 504; the late answer
        # is then ignored and the connection keeps working.
        cp.slow_seconds = 7
        assert_problem(await api.command(cp_id, "UnlockConnector", {"connectorId": 1}), 504)
        await eventually(lambda: cp.unlock_answers >= 1, what="the station's late UnlockConnector answer")
        await cp.call(call16.Heartbeat(), suppress=False)
        cp.slow_seconds = 0
        r = await api.command(cp_id, "UnlockConnector", {"connectorId": 1})
        assert r.status == 200 and r.json["response"] == {"status": "Unlocked"}, r.describe()


async def test_command_errors_201(acme, api):
    cp_id, password = new_identity("E2E201E"), new_password()
    api.create_station(cp_id, password)
    async with connected(acme.ws_base, cp_id, password, OCPP201) as cp:
        await boot201(cp)
        assert_problem(await api.command(cp_id, "RemoteStartTransaction", {"idTag": "X"}), 400, 404, 422)
        assert_problem(await api.command(cp_id, "Reset", {"type": "Hard"}), 400, 422)  # 1.6 enum value
        assert_problem(await api.command(cp_id, "GetVariables", {"getVariableData": []}), 400, 422)  # minItems 1
        doc = assert_problem(await api.command(cp_id, "ClearCache", {}), 502)
        assert doc.get("ocpp_error_code") == "NotSupported", doc
        await cp.call(call201.Heartbeat(), suppress=False)


def test_rest_requires_a_valid_api_key(api):
    for key in (None, "wrong-key"):
        r = api.get("/api/v1/stations", api_key=key)
        assert_problem(r, 401)
    r = api.get("/api/v1/stations")
    assert r.status == 200 and isinstance(r.json["items"], list), r.describe()


def test_rest_station_validation(api):
    # An identity OCPP cannot use (':' is the Basic-auth separator) is refused.
    assert_problem(api.post("/api/v1/stations", {"identity": "BAD:ID", "password": new_password(),
                                                 "registration_status": "accepted"}), 400, 422)
    # A password outside 16..40 printable characters (OCPP 1.6 security white paper A00.FR.204/205).
    assert_problem(api.post("/api/v1/stations", {"identity": new_identity("E2EPW"), "password": "short",
                                                 "registration_status": "accepted"}), 400, 422)
    # Posting an existing station again is an update (200), not a second station.
    cp_id = new_identity("E2EDUP")
    api.create_station(cp_id, new_password())
    again = api.post("/api/v1/stations", {"identity": cp_id, "password": new_password(),
                                          "registration_status": "pending"})
    assert again.status == 200 and again.json["registration_status"] == "pending", again.describe()
    assert_problem(api.station("NO-SUCH-STATION-" + cp_id[-6:]), 404)
    listed = api.get("/api/v1/stations", params={"limit": 1000}).json["items"]
    assert cp_id in {s["identity"] for s in listed}

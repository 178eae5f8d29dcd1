# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Malformed frames sent raw over a station's own WebSocket: each is answered with the CALLERROR
code spelled for the connection's version (OCPP-J 1.6 Table 7, 2.0.1 §4.3 Table 8; PROTOCOLS.md
§1.2–1.3) or ignored where the spec says so, and the connection keeps working (a Heartbeat after
each one succeeds). Payload checks follow the OCA JSON schemas."""

import json

import pytest
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from support.flows import boot16, boot201
from support.stations import OCPP16, OCPP201, connected, new_identity, new_password, now_iso

IGNORED = None  # no answer expected

# (case, version → (raw frame, expected message id, expected error codes (any of) or IGNORED))
LONG_ID = "x" * 37  # message ids are string[36] (OCPP-J §4.1.4)


def status16(**override):
    payload = {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": now_iso()}
    payload.update(override)
    return payload


def status201(**override):
    payload = {"timestamp": now_iso(), "connectorStatus": "Available", "evseId": 1, "connectorId": 1}
    payload.update(override)
    return payload


def frame(*elements):
    return json.dumps(list(elements))


CASES = {
    # Not JSON at all: the id cannot be read, so "-1" (OCPP-J 2.0.1 §4.2.3).
    "not_json": lambda v: ("[2, \"abc\", \"Heartbeat\", {", "-1",
                           {OCPP16: ["FormationViolation"], OCPP201: ["FormatViolation", "RpcFrameworkError"]}[v]),
    "not_an_array": lambda v: ('{"messageTypeId": 2}', "-1",
                               {OCPP16: ["FormationViolation"], OCPP201: ["RpcFrameworkError"]}[v]),
    "empty_array": lambda v: ("[]", "-1", {OCPP16: ["FormationViolation"], OCPP201: ["RpcFrameworkError"]}[v]),
    "message_type_not_integer": lambda v: (frame("2", "m-type-str", "Heartbeat", {}), "m-type-str",
                                           {OCPP16: ["FormationViolation"], OCPP201: ["RpcFrameworkError"]}[v]),
    # Unknown message type number: 1.6 §4.1.3 "SHALL ignore"; 2.0.1 §4.4 MessageTypeNotSupported
    # (deprecated again by 2.1 errata, so ignoring is accepted too).
    "unknown_message_type": lambda v: (frame(7, "m-type-7", "Heartbeat", {}), "m-type-7",
                                       {OCPP16: IGNORED, OCPP201: ["MessageTypeNotSupported", IGNORED]}[v]),
    "message_id_not_string": lambda v: (frame(2, 12345, "Heartbeat", {}), "-1",
                                        {OCPP16: ["FormationViolation"], OCPP201: ["RpcFrameworkError"]}[v]),
    "message_id_too_long": lambda v: (frame(2, LONG_ID, "Heartbeat", {}), "-1",
                                      {OCPP16: ["FormationViolation"], OCPP201: ["RpcFrameworkError"]}[v]),
    "missing_payload": lambda v: (frame(2, "m-no-payload", "Heartbeat"), "m-no-payload",
                                  {OCPP16: ["FormationViolation"], OCPP201: ["RpcFrameworkError"]}[v]),
    "payload_not_object": lambda v: (frame(2, "m-null-payload", "Heartbeat", None), "m-null-payload",
                                     {OCPP16: ["FormationViolation"], OCPP201: ["FormatViolation"]}[v]),
    "action_not_string": lambda v: (frame(2, "m-action-int", 42, {}), "m-action-int",
                                    {OCPP16: ["FormationViolation"], OCPP201: ["RpcFrameworkError"]}[v]),
    "unknown_action": lambda v: (frame(2, "m-unknown-action", "FlyToTheMoon", {}), "m-unknown-action",
                                 ["NotImplemented"]),
    # JSON nested deeper than the parser allows (64) is treated as unparseable: id "-1".
    "nested_too_deep": lambda v: ("[2,\"m-deep\",\"DataTransfer\",{\"vendorId\":\"e2e\",\"data\":"
                                  + "[" * 100 + "]" * 100 + "}]", "-1",
                                  {OCPP16: ["FormationViolation"], OCPP201: ["FormatViolation", "RpcFrameworkError"]}[v]),
    # An action the version defines but only a CSMS sends.
    "csms_only_action": lambda v: (frame(2, "m-csms-only", "Reset",
                                         {OCPP16: {"type": "Soft"}, OCPP201: {"type": "Immediate"}}[v]),
                                   "m-csms-only", ["NotSupported"]),
    "missing_required_field": lambda v: (frame(2, "m-missing", "Authorize", {}), "m-missing",
                                         {OCPP16: ["OccurenceConstraintViolation"],
                                          OCPP201: ["OccurrenceConstraintViolation"]}[v]),
    "wrong_type": lambda v: (frame(2, "m-type", "StatusNotification",
                                   {OCPP16: status16(connectorId="one"), OCPP201: status201(evseId="one")}[v]),
                             "m-type", ["TypeConstraintViolation"]),
    "fraction_in_integer": lambda v: (frame(2, "m-frac", "StatusNotification",
                                            {OCPP16: status16(connectorId=1.5), OCPP201: status201(evseId=1.5)}[v]),
                                      "m-frac", ["TypeConstraintViolation"]),
    "string_too_long": lambda v: (frame(2, "m-long", "Authorize",
                                        {OCPP16: {"idTag": "A" * 21},
                                         OCPP201: {"idToken": {"idToken": "A" * 37, "type": "ISO14443"}}}[v]),
                                  "m-long", ["PropertyConstraintViolation"]),
    "bad_enum": lambda v: (frame(2, "m-enum", "StatusNotification",
                                 {OCPP16: status16(status="Sleeping"), OCPP201: status201(connectorStatus="Sleeping")}[v]),
                           "m-enum", ["PropertyConstraintViolation"]),
    "bad_date_time": lambda v: (frame(2, "m-date", "StatusNotification",
                                      {OCPP16: status16(timestamp="yesterday at noon"),
                                       OCPP201: status201(timestamp="2024-13-45T99:00:00Z")}[v]),
                                "m-date", ["TypeConstraintViolation"]),
    "undeclared_property": lambda v: (frame(2, "m-extra", "Heartbeat", {"surprise": True}), "m-extra",
                                      {OCPP16: ["FormationViolation"], OCPP201: ["FormatViolation"]}[v]),
    # A CALLRESULT nobody asked for and a broken CALLERROR are ignored (answering responses could
    # make two strict peers bounce errors forever).
    "unsolicited_callresult": lambda v: (frame(3, "m-nobody-asked", {}), "m-nobody-asked", IGNORED),
    "broken_callerror": lambda v: (frame(4, "m-broken-error", 1, 2, 3), "m-broken-error", IGNORED),
}

SILENCE_SECONDS = 1.5  # how long an ignored frame is watched for an (unexpected) answer


@pytest.fixture(scope="module")
def stations(api):
    created = {}
    for version in (OCPP16, OCPP201):
        cp_id, password = new_identity("E2ERPC" + version[-3:].replace(".", "")), new_password()
        api.create_station(cp_id, password)
        created[version] = (cp_id, password)
    return created


@pytest.mark.parametrize("version", [OCPP16, OCPP201])
async def test_malformed_frames_are_answered_per_version_and_the_connection_survives(version, acme, stations):
    cp_id, password = stations[version]
    failures = []
    async with connected(acme.ws_base, cp_id, password, version) as cp:
        await (boot16(cp) if version == OCPP16 else boot201(cp))
        heartbeat = call16.Heartbeat() if version == OCPP16 else call201.Heartbeat()
        for name, build in CASES.items():
            raw, answer_id, expected = build(version)
            answer = await cp.send_raw(raw, answer_id, timeout=SILENCE_SECONDS if (
                expected is IGNORED or IGNORED in expected) else 10)
            if expected is IGNORED:
                if answer is not None:
                    failures.append(f"{name}: expected no answer, got {answer}")
            elif answer is None:
                if IGNORED not in expected:
                    failures.append(f"{name}: no answer (expected CALLERROR {expected} with id {answer_id!r})")
            else:
                ok = (len(answer) == 5 and answer[0] == 4 and answer[1] == answer_id and answer[2] in expected
                      and isinstance(answer[3], str) and answer[4] == {})
                if not ok:
                    failures.append(f"{name}: expected [4, {answer_id!r}, one of {expected}, text, {{}}], got {answer}")
                if version == OCPP201 and len(answer) > 3 and len(answer[3]) > 255:
                    failures.append(f"{name}: ErrorDescription longer than 255 characters")
                if isinstance(answer, list) and len(answer) > 3 and isinstance(answer[3], str) and len(raw) > 12 and raw in answer[3]:
                    failures.append(f"{name}: the description embeds the raw frame (OCPP-J 2.0.1 §4.2.3)")
            # The connection still works after every bad frame.
            try:
                await cp.call(heartbeat, suppress=False)
            except Exception as err:  # noqa: BLE001 - reported with the case that broke it
                failures.append(f"{name}: Heartbeat after it failed: {err!r}")
                break
    assert not failures, "\n".join(failures)

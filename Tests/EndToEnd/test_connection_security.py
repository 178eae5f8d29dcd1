# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""The WebSocket handshake and connection rules: subprotocol negotiation (TC_B_58 / 1.6 TC_088),
Basic auth before the upgrade (security profile 1; TC_A_01..A_03, 1.6 TC_085), unknown stations
(404 or Pending with SecurityError, TC_B_30), one connection per station, the frame size cap."""

import asyncio
import uuid

from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from support.flows import boot16, boot201, eventually, station_row
from support.stations import (OCPP16, OCPP201, basic_auth, connect, connected, handshake_status, new_identity,
                              new_password, station_url)


def auth(identity, password):
    return {"Authorization": basic_auth(identity, password)}


async def test_tc_b_58_subprotocol_negotiation(acme, beta, api, beta_api):
    cp_id, password = new_identity("E2ESUB"), new_password()
    api.create_station(cp_id, password)
    url = station_url(acme.ws_base, cp_id)

    # No offered subprotocol is enabled → refused before the upgrade.
    status, _, _ = await handshake_status(url, ["ocpp0.1"], auth(cp_id, password))
    assert status == 400
    status, _, _ = await handshake_status(url, [], auth(cp_id, password))
    assert status == 400
    # Then the station offers a supported one after the unsupported one.
    for offered, chosen in ((["ocpp0.1", OCPP16], OCPP16), (["ocpp0.1", OCPP201], OCPP201),
                            ([OCPP16, OCPP201], OCPP201)):
        status, _, negotiated = await handshake_status(url, offered, auth(cp_id, password))
        assert (status, negotiated) == (101, chosen), offered

    # Tenant beta allows only 1.6: 2.0.1 alone is refused, 2.0.1 + 1.6 gets 1.6.
    beta_id = new_identity("E2ESUBB")
    beta_api.create_station(beta_id, password)
    beta_url = station_url(beta.ws_base, beta_id)
    status, _, _ = await handshake_status(beta_url, [OCPP201], auth(beta_id, password))
    assert status == 400
    status, _, negotiated = await handshake_status(beta_url, [OCPP201, OCPP16], auth(beta_id, password))
    assert (status, negotiated) == (101, OCPP16)


async def test_tc_a_01_valid_and_tc_a_03_invalid_password(acme, api):
    cp_id, password = new_identity("E2EAUTH"), new_password()
    api.create_station(cp_id, password)
    url = station_url(acme.ws_base, cp_id)
    status, _, negotiated = await handshake_status(url, [OCPP201], auth(cp_id, password))
    assert (status, negotiated) == (101, OCPP201)
    for headers in (auth(cp_id, password + "x"), auth(cp_id, ""), {}, {"Authorization": "Bearer " + password},
                    {"Authorization": "Basic !!!notbase64"}):
        status, response_headers, _ = await handshake_status(url, [OCPP201], headers)
        assert status == 401, headers
        assert response_headers.get("www-authenticate", "").lower().startswith("basic"), response_headers


async def test_tc_a_02_username_must_be_the_station_identity(acme, api):
    cp_id, other_id, password = new_identity("E2EUSR"), new_identity("E2EUSR"), new_password()
    api.create_station(cp_id, password)
    api.create_station(other_id, password)
    # The other station's valid credentials do not open this station's URL (OCPP-J 2.0.1 §3.1.1).
    status, _, _ = await handshake_status(station_url(acme.ws_base, cp_id), [OCPP16], auth(other_id, password))
    assert status == 401


async def test_identity_is_percent_decoded_once(acme, api):
    cp_id, password = new_identity("E2E-PCT"), new_password()
    api.create_station(cp_id, password)
    encoded = "".join(f"%{ord(c):02X}" if c == "-" else c for c in cp_id)
    status, _, _ = await handshake_status(acme.ws_base + encoded, [OCPP16], auth(cp_id, password))
    assert status == 101
    # An encoded ':' is never accepted as part of an identity.
    status, _, _ = await handshake_status(acme.ws_base + "BAD%3AID", [OCPP16], auth("BAD:ID", password))
    assert status in (400, 401, 404)


async def test_unknown_station_on_a_reject_tenant_gets_404(beta):
    cp_id = new_identity("E2ENOPE")
    status, _, _ = await handshake_status(station_url(beta.ws_base, cp_id), [OCPP16], auth(cp_id, new_password()))
    assert status == 404


async def test_tc_b_30_pending_station_gets_security_error_201(acme, db):
    cp_id, password = new_identity("E2EPEND"), new_password()
    async with connected(acme.ws_base, cp_id, password, OCPP201) as cp:
        boot = await boot201(cp, expect="Pending")
        assert boot.interval > 0
        for name, raw in (("Heartbeat", '[2,"p-hb","Heartbeat",{}]'),
                          ("StatusNotification", '[2,"p-sn","StatusNotification",{"timestamp":"2026-01-01T00:00:00Z",'
                                                 '"connectorStatus":"Available","evseId":1,"connectorId":1}]')):
            mid = raw.split('"')[1]
            answer = await cp.send_raw(raw, mid)
            assert answer and answer[0] == 4 and answer[2] == "SecurityError", (name, answer)
        # BootNotification is still allowed and still Pending.
        await boot201(cp, expect="Pending")
    row = station_row(db, acme.slug, cp_id)
    assert row and row["registration_status"] == "pending", row


async def test_pending_station_gets_security_error_16(acme, db):
    cp_id, password = new_identity("E2EPEND16"), new_password()
    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp, expect="Pending")
        answer = await cp.send_raw('[2,"p16-hb","Heartbeat",{}]', "p16-hb")
        assert answer and answer[0] == 4 and answer[2] == "SecurityError", answer
        answer = await cp.send_raw('[2,"p16-auth","Authorize",{"idTag":"ANY"}]', "p16-auth")
        assert answer and answer[0] == 4 and answer[2] == "SecurityError", answer
    row = station_row(db, acme.slug, cp_id)
    assert row and row["registration_status"] == "pending" and row["ocpp_version"] == OCPP16, row


async def test_second_connection_replaces_the_first(acme, api):
    cp_id, password = new_identity("E2EDUPC"), new_password()
    api.create_station(cp_id, password)
    first = await connect(acme.ws_base, cp_id, password, OCPP16)
    try:
        await boot16(first.station)
        async with connected(acme.ws_base, cp_id, password, OCPP16) as second:
            # The old socket is closed by the CSMS...
            await asyncio.wait_for(first.ws.wait_closed(), timeout=10)
            # ...and the new one carries the station's traffic.
            await second.call(call16.Heartbeat(), suppress=False)
            assert api.station(cp_id).json["connected"] is True
    finally:
        await first.close()


async def test_a_failed_login_does_not_disturb_the_connected_station(acme, api):
    """A wrong password for a connected station's id must not close the real station's socket
    (otherwise anyone knowing an id could knock stations offline)."""
    cp_id, password = new_identity("E2EHIJ"), new_password()
    api.create_station(cp_id, password)
    async with connected(acme.ws_base, cp_id, password, OCPP201) as cp:
        await boot201(cp)
        status, _, _ = await handshake_status(station_url(acme.ws_base, cp_id), [OCPP201], auth(cp_id, "guess"))
        assert status == 401
        await cp.call(call201.Heartbeat(), suppress=False)


async def test_oversize_frame_closes_with_1009(acme, api):
    cp_id, password = new_identity("E2EBIG"), new_password()
    api.create_station(cp_id, password)
    c = await connect(acme.ws_base, cp_id, password, OCPP16)
    try:
        await boot16(c.station)
        # The tenant's ocpp.max_message_size is 64 KiB; a DataTransfer of 70 000 characters exceeds it.
        big = f'[2,"{uuid.uuid4()}","DataTransfer",{{"vendorId":"e2e","data":"{"x" * 70000}"}}]'
        await c.ws.send(big)
        await asyncio.wait_for(c.ws.wait_closed(), timeout=10)
        assert c.ws.close_code == 1009, (c.ws.close_code, c.ws.close_reason)
    finally:
        await c.close()
    # The station can come back.
    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await cp.call(call16.Heartbeat(), suppress=False)


async def test_binary_frame_closes_with_1003(acme, api):
    """OCPP-J is text only: a binary message closes the connection with 1003 (RFC 6455 §7.4.1)."""
    cp_id, password = new_identity("E2EBIN"), new_password()
    api.create_station(cp_id, password)
    c = await connect(acme.ws_base, cp_id, password, OCPP201)
    try:
        await boot201(c.station)
        await c.ws.send(b'[2,"bin","Heartbeat",{}]')
        await asyncio.wait_for(c.ws.wait_closed(), timeout=10)
        assert c.ws.close_code == 1003, (c.ws.close_code, c.ws.close_reason)
    finally:
        await c.close()


async def test_a_frame_just_under_the_limit_is_accepted(acme, api):
    cp_id, password = new_identity("E2EMAX"), new_password()
    api.create_station(cp_id, password)
    async with connected(acme.ws_base, cp_id, password, OCPP16) as cp:
        await boot16(cp)
        # DataTransfer data has no maxLength in 1.6: the frame (< 64 KiB) must get a CALLRESULT.
        r = await cp.call(call16.DataTransfer(vendor_id="e2e", data="y" * 60000), suppress=False)
        assert r.status in ("Accepted", "Rejected", "UnknownVendorId", "UnknownMessageId"), r


async def test_disconnect_is_reflected_in_rest(acme, api):
    cp_id, password = new_identity("E2EOFF"), new_password()
    api.create_station(cp_id, password)
    c = await connect(acme.ws_base, cp_id, password, OCPP16)
    await boot16(c.station)
    assert api.station(cp_id).json["connected"] is True
    await c.close()
    await eventually(lambda: api.station(cp_id).json["connected"] is False, what="connected=false after close")


async def test_permessage_deflate_is_negotiated_and_compressed_frames_work(acme, api):
    """OCPP-J 2.0.1 §3.3 makes RFC 7692 compression Required for the CSMS: the worker accepts the
    offer with small windows, and a large compressed CALL is inflated and answered."""
    cp_id, password = new_identity("E2EZIP"), new_password()
    api.create_station(cp_id, password)
    c = await connect(acme.ws_base, cp_id, password, OCPP201)
    try:
        extensions = c.ws.response.headers.get("Sec-WebSocket-Extensions", "")
        assert "permessage-deflate" in extensions, extensions
        assert "client_max_window_bits=10" in extensions, extensions
        await boot201(c.station)
        # A 2.0.1 DataTransfer with ~20 KB of repetitive data: compressed on the wire by the client.
        response = await c.station.call(call201.DataTransfer(vendor_id="com.example", data="x" * 20000))
        assert response.status == "UnknownVendorId"
    finally:
        await c.close()

# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""OCPP security profiles 2 and 3 end to end: stations connect with wss:// to the edge router's one
port (SNI = Host = <slug>.<base_domain>); the router hands the connection over without reading
the handshake, and the tenant's worker terminates TLS with the tenant's certificate and checks
profile 3 station certificates against the tenant's CA (OCPP security white paper A00.FR.002,
A00.FR.314, A00.FR.403, A00.FR.405; OCTT TC_A_08)."""

from __future__ import annotations

import asyncio
import ssl
import urllib.parse
import warnings
from typing import Any

import websockets
from websockets.exceptions import InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from support.flows import boot16, boot201, eventually
from support.rest import RestClient
from support.stations import OCPP16, OCPP201, STATION_CLASSES, Connected, basic_auth, new_identity, new_password


def tenant_api(deployment, tenant, tls_ca) -> RestClient:
    """The tenant's REST API on its own port, which serves TLS like its stations' host."""
    return RestClient(tenant.base_url, deployment.api_key, ssl_context=tls_ca.client_context())


async def open_wss(deployment, tenant, identity: str, version: str, context: ssl.SSLContext | None,
                   headers: dict[str, str] | None = None) -> Any:
    """A WebSocket to the router's port for `<slug>.<base_domain>`: wss:// with `context`, or
    ws:// (plain) without one."""
    host = f"{tenant.slug}.{deployment.base_domain}"
    scheme = "wss" if context is not None else "ws"
    url = f"{scheme}://{host}:{deployment.router_port}/ocpp/{urllib.parse.quote(identity, safe='')}"
    kwargs: dict[str, Any] = {"host": "127.0.0.1", "port": deployment.router_port}
    if context is not None:
        kwargs |= {"ssl": context, "server_hostname": host}
    return await websockets.connect(
        url, subprotocols=[Subprotocol(version)], additional_headers=headers or {}, open_timeout=10,
        ping_interval=None, close_timeout=2, proxy=None, **kwargs)


async def connect_station(deployment, tenant, identity: str, version: str, context: ssl.SSLContext | None,
                          headers: dict[str, str] | None = None) -> Connected:
    ws = await open_wss(deployment, tenant, identity, version, context, headers)
    station = STATION_CLASSES[ws.subprotocol or version](identity, ws)
    task = asyncio.create_task(station.start(), name=f"station {identity}")
    return Connected(station, ws, task)


async def refusal(deployment, tenant, identity: str, context: ssl.SSLContext | None,
                  headers: dict[str, str] | None = None) -> tuple[int, str]:
    """The HTTP status and body of a refused upgrade."""
    try:
        ws = await open_wss(deployment, tenant, identity, OCPP201, context, headers)
    except InvalidStatus as err:
        return err.response.status_code, err.response.body.decode(errors="replace")
    await ws.close()
    raise AssertionError(f"{identity}: the upgrade was accepted")


async def handshake_fails(deployment, tenant, identity: str, context: ssl.SSLContext) -> str:
    """Expects the TLS handshake (or the connection right after it) to fail before any HTTP
    answer; returns what the client saw."""
    try:
        ws = await open_wss(deployment, tenant, identity, OCPP201, context)
    except (ssl.SSLError, OSError, InvalidHandshake, EOFError, asyncio.TimeoutError) as err:
        return f"{type(err).__name__}: {err}"
    await ws.close()
    raise AssertionError(f"{identity}: a WebSocket was opened")


async def test_profile_2_station_boots_over_wss_through_the_router(deployment, wss2, tls_ca):
    api = tenant_api(deployment, wss2, tls_ca)
    for version, boot in ((OCPP201, boot201), (OCPP16, boot16)):
        cp_id, password = new_identity("E2EWSS2"), new_password()
        api.create_station(cp_id, password)
        c = await connect_station(deployment, wss2, cp_id, version, tls_ca.client_context(),
                                  {"Authorization": basic_auth(cp_id, password)})
        try:
            assert c.ws.subprotocol == version
            await boot(c.station)
            assert api.station(cp_id).json["connected"] is True
        finally:
            await c.close()
        await eventually(lambda: api.station(cp_id).json["connected"] is False, what="disconnected after close")


async def test_profile_2_refuses_plain_ws_and_still_checks_the_password(deployment, wss2, tls_ca):
    api = tenant_api(deployment, wss2, tls_ca)
    cp_id, password = new_identity("E2EWSS2P"), new_password()
    api.create_station(cp_id, password)
    status, body = await refusal(deployment, wss2, cp_id, None, {"Authorization": basic_auth(cp_id, password)})
    assert status == 401 and "security profile 2 requires TLS (wss://)" in body, (status, body)
    # Over TLS the password is still checked.
    status, body = await refusal(deployment, wss2, cp_id, tls_ca.client_context(),
                                 {"Authorization": basic_auth(cp_id, password + "x")})
    assert status == 401 and "wrong password" in body, (status, body)
    assert "security profile 2 requires TLS" in deployment.log_tail(400)


async def test_tc_a_08_profile_3_client_certificates(deployment, wss3, tls_ca):
    api = tenant_api(deployment, wss3, tls_ca)
    cp_id = new_identity("E2EWSS3")
    # Profile 3 stations have no password: the certificate is their credential.
    r = api.post("/api/v1/stations", {"identity": cp_id, "registration_status": "accepted"})
    assert r.status == 201, r.describe()

    own = tls_ca.client_context(tls_ca.client(cp_id))
    c = await connect_station(deployment, wss3, cp_id, OCPP201, own)
    try:
        await boot201(c.station)
    finally:
        await c.close()

    # A certificate of the tenant's CA naming another station (A00.FR.405).
    other = tls_ca.client(new_identity("E2EOTHER"))
    status, body = await refusal(deployment, wss3, cp_id, tls_ca.client_context(other))
    assert status == 401 and f"is not station {cp_id}" in body, (status, body)
    # TLS without a certificate, with Basic credentials: still no.
    status, body = await refusal(deployment, wss3, cp_id, tls_ca.client_context(),
                                 {"Authorization": basic_auth(cp_id, new_password())})
    assert status == 401 and "client certificate" in body, (status, body)
    # Plain ws://.
    status, body = await refusal(deployment, wss3, cp_id, None)
    assert status == 401 and "requires TLS with a client certificate" in body, (status, body)
    # An expired certificate ends the TLS handshake (A00.FR.407): no WebSocket, no HTTP answer.
    seen = await handshake_fails(deployment, wss3, cp_id, tls_ca.client_context(tls_ca.client(cp_id, expired=True)))
    assert seen
    # The station can still connect with its valid certificate.
    c = await connect_station(deployment, wss3, cp_id, OCPP16, own)
    try:
        await boot16(c.station)
    finally:
        await c.close()


async def test_tc_a_06_tls_below_1_2_is_refused(deployment, wss2, tls_ca):
    """A00.FR.314: the CSMS terminates connections that offer only TLS 1.0/1.1."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old = ssl.TLSVersion.TLSv1_1
    context = tls_ca.client_context(maximum_version=old)
    # OpenSSL's default security level would stop the client from offering TLS 1.1 at all.
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    seen = await handshake_fails(deployment, wss2, new_identity("E2EOLDTLS"), context)
    assert "PROTOCOL_VERSION" in seen.upper() or "protocol version" in seen, seen


async def test_tls_to_a_tenant_without_a_certificate_is_closed(deployment, acme, tls_ca):
    """acme has no `tls` section: its worker closes a TLS hand-over (the router cannot answer any
    more), and logs why."""
    seen = await handshake_fails(deployment, acme, new_identity("E2ENOTLS"), tls_ca.client_context())
    assert seen
    await eventually(lambda: "refused a TLS hand-over" in deployment.log_tail(400),
                     what="the worker's log line about the refused TLS hand-over")

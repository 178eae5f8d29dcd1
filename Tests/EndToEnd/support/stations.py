# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Charging stations for the tests: the `ocpp` package's ChargePoint classes (which validate every
CSMS answer against the official schemas) with handlers for the CSMS-initiated commands, plus a way
to send raw frames over the same WebSocket and read the raw answer."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import time
import urllib.parse
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator

import websockets
from ocpp.exceptions import NotSupportedError
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

LOG = logging.getLogger("e2e.station")

OCPP16 = "ocpp1.6"
OCPP201 = "ocpp2.0.1"


def now_iso(offset_seconds: float = 0) -> str:
    """RFC 3339 UTC with milliseconds and Z, as stations send it."""
    t = datetime.now(timezone.utc) + timedelta(seconds=offset_seconds)
    return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def new_identity(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def new_password() -> str:
    # OCPP security white paper A00.FR.204: at least 16 bytes; 24 hex digits here.
    return uuid.uuid4().hex[:24]


class RawFrames:
    """Mixin: records every received frame and lets a test send raw text and await the answer
    with a given message id without the ocpp package seeing (or dropping) it."""

    def _raw_init(self) -> None:
        self.frames_in: list[str] = []
        self._raw_waiters: dict[str, asyncio.Future[list[Any]]] = {}
        self.received: list[tuple[str, dict[str, Any]]] = []
        # Failures of this test station's own code: reported by connected() so that a broken
        # handler fails the test instead of looking like a CSMS that got no answer.
        self.station_errors: list[str] = []

    async def route_message(self, raw_msg: str) -> None:  # type: ignore[override]
        self.frames_in.append(raw_msg)
        try:
            msg = json.loads(raw_msg)
        except ValueError:
            msg = None
        if (isinstance(msg, list) and len(msg) >= 2 and msg[0] in (3, 4) and isinstance(msg[1], str)
                and msg[1] in self._raw_waiters):
            fut = self._raw_waiters.pop(msg[1])
            if not fut.done():
                fut.set_result(msg)
            return
        try:
            await super().route_message(raw_msg)  # type: ignore[misc]
        except Exception as err:  # noqa: BLE001 - recorded and re-raised by connected()
            LOG.exception("%s: the test station failed on %s", getattr(self, "id", "?"), raw_msg)
            self.station_errors.append(f"{type(err).__name__}: {err} (on {raw_msg[:300]})")

    async def send_raw(self, text: str | bytes, answer_id: str | None, timeout: float = 10) -> list[Any] | None:
        """Sends `text` as one message. With `answer_id`, waits for the CALLRESULT/CALLERROR with
        that id and returns it parsed; returns None if none came within `timeout`."""
        fut: asyncio.Future[list[Any]] | None = None
        if answer_id is not None:
            fut = asyncio.get_running_loop().create_future()
            self._raw_waiters[answer_id] = fut
        await self._connection.send(text)  # type: ignore[attr-defined]
        if fut is None:
            return None
        try:
            return await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            self._raw_waiters.pop(answer_id, None)  # type: ignore[arg-type]
            return None

    def _record(self, action: str, kwargs: dict[str, Any]) -> None:
        self.received.append((action, kwargs))

    def requests(self, action: str) -> list[dict[str, Any]]:
        return [kw for a, kw in self.received if a == action]


class Station16(RawFrames, ChargePoint16):
    """An OCPP 1.6 station answering the CSMS's commands."""

    def __init__(self, id: str, connection: Any, response_timeout: float = 30):
        super().__init__(id, connection, response_timeout)
        self._raw_init()
        self.configuration: dict[str, str] = {"HeartbeatInterval": "60", "MeterValueSampleInterval": "60"}
        self.slow_seconds = 0.0  # UnlockConnector sleeps this long before answering
        self.unlock_answers = 0

    @on("RemoteStartTransaction")
    def on_remote_start(self, id_tag: str, **kw: Any) -> dict[str, Any]:
        self._record("RemoteStartTransaction", {"id_tag": id_tag, **kw})
        return result16.RemoteStartTransaction(status="Accepted")

    @on("RemoteStopTransaction")
    def on_remote_stop(self, transaction_id: int, **kw: Any) -> dict[str, Any]:
        self._record("RemoteStopTransaction", {"transaction_id": transaction_id, **kw})
        return result16.RemoteStopTransaction(status="Accepted")

    @on("Reset")
    def on_reset(self, type: str, **kw: Any) -> dict[str, Any]:
        self._record("Reset", {"type": type})
        return result16.Reset(status="Accepted")

    @on("GetConfiguration")
    def on_get_configuration(self, key: list[str] | None = None, **kw: Any) -> dict[str, Any]:
        self._record("GetConfiguration", {"key": key})
        known = [k for k in (key or list(self.configuration)) if k in self.configuration]
        unknown = [k for k in (key or []) if k not in self.configuration]
        return result16.GetConfiguration(
            configuration_key=[{"key": k, "readonly": False, "value": self.configuration[k]} for k in known],
            unknown_key=unknown or None)

    @on("ChangeConfiguration")
    def on_change_configuration(self, key: str, value: str, **kw: Any) -> dict[str, Any]:
        self._record("ChangeConfiguration", {"key": key, "value": value})
        if key not in self.configuration:
            return result16.ChangeConfiguration(status="NotSupported")
        self.configuration[key] = value
        return result16.ChangeConfiguration(status="Accepted")

    @on("UnlockConnector")
    async def on_unlock(self, connector_id: int, **kw: Any) -> dict[str, Any]:
        self._record("UnlockConnector", {"connector_id": connector_id})
        await asyncio.sleep(self.slow_seconds)
        self.unlock_answers += 1
        return result16.UnlockConnector(status="Unlocked")

    @on("ClearCache")
    def on_clear_cache(self, **kw: Any) -> dict[str, Any]:
        self._record("ClearCache", {})
        raise NotSupportedError(description="this test station refuses ClearCache with a CALLERROR")


class Station201(RawFrames, ChargePoint201):
    """An OCPP 2.0.1 station answering the CSMS's commands."""

    def __init__(self, id: str, connection: Any, response_timeout: float = 30):
        super().__init__(id, connection, response_timeout)
        self._raw_init()
        self.variables: dict[tuple[str, str], str] = {
            ("OCPPCommCtrlr", "HeartbeatInterval"): "60",
            ("SampledDataCtrlr", "TxUpdatedInterval"): "60",
        }
        self.slow_seconds = 0.0
        self.unlock_answers = 0

    @on("RequestStartTransaction")
    def on_request_start(self, id_token: dict[str, Any], remote_start_id: int, **kw: Any) -> dict[str, Any]:
        self._record("RequestStartTransaction", {"id_token": id_token, "remote_start_id": remote_start_id, **kw})
        return result201.RequestStartTransaction(status="Accepted")

    @on("RequestStopTransaction")
    def on_request_stop(self, transaction_id: str, **kw: Any) -> dict[str, Any]:
        self._record("RequestStopTransaction", {"transaction_id": transaction_id})
        return result201.RequestStopTransaction(status="Accepted")

    @on("Reset")
    def on_reset(self, type: str, **kw: Any) -> dict[str, Any]:
        self._record("Reset", {"type": type, **kw})
        return result201.Reset(status="Accepted")

    @on("GetVariables")
    def on_get_variables(self, get_variable_data: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
        self._record("GetVariables", {"get_variable_data": get_variable_data})
        results = []
        for item in get_variable_data:
            comp, var = item["component"], item["variable"]
            value = self.variables.get((comp["name"], var["name"]))
            result: dict[str, Any] = {"attribute_status": "Accepted" if value is not None else "UnknownVariable",
                                      "component": comp, "variable": var}
            if value is not None:
                result["attribute_value"] = value
            results.append(result)
        return result201.GetVariables(get_variable_result=results)

    @on("SetVariables")
    def on_set_variables(self, set_variable_data: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
        self._record("SetVariables", {"set_variable_data": set_variable_data})
        results = []
        for item in set_variable_data:
            comp, var = item["component"], item["variable"]
            key = (comp["name"], var["name"])
            known = key in self.variables
            if known:
                self.variables[key] = item["attribute_value"]
            results.append({"attribute_status": "Accepted" if known else "UnknownVariable",
                            "component": comp, "variable": var})
        return result201.SetVariables(set_variable_result=results)

    @on("UnlockConnector")
    async def on_unlock(self, evse_id: int, connector_id: int, **kw: Any) -> dict[str, Any]:
        self._record("UnlockConnector", {"evse_id": evse_id, "connector_id": connector_id})
        await asyncio.sleep(self.slow_seconds)
        self.unlock_answers += 1
        return result201.UnlockConnector(status="Unlocked")

    @on("ClearCache")
    def on_clear_cache(self, **kw: Any) -> dict[str, Any]:
        self._record("ClearCache", {})
        raise NotSupportedError(description="this test station refuses ClearCache with a CALLERROR")


STATION_CLASSES = {OCPP16: Station16, OCPP201: Station201}


def station_url(ws_base: str, identity: str, *, encode: bool = True) -> str:
    return ws_base + (urllib.parse.quote(identity, safe="") if encode else identity)


async def open_ws(url: str, subprotocols: list[str], headers: dict[str, str] | None = None,
                  timeout: float = 10) -> ClientConnection:
    headers = dict(headers or {})
    kwargs: dict[str, Any] = {}
    host = headers.pop("Host", None)
    if host:
        # websockets adds its own Host header and would send two (a router answers 400 to that):
        # put the tenant's host name in the URL and connect the socket to the real address ourselves.
        parts = urllib.parse.urlsplit(url)
        kwargs["host"], kwargs["port"] = parts.hostname, parts.port
        url = urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return await websockets.connect(
        url, subprotocols=[Subprotocol(s) for s in subprotocols], additional_headers=headers,
        open_timeout=timeout, ping_interval=None, close_timeout=2, max_size=2**24, **kwargs)


async def handshake_status(url: str, subprotocols: list[str], headers: dict[str, str] | None = None
                           ) -> tuple[int, dict[str, str], str | None]:
    """(HTTP status, response headers, negotiated subprotocol): 101 when the upgrade succeeded."""
    try:
        ws = await open_ws(url, subprotocols, headers)
    except InvalidStatus as err:
        resp = err.response
        return resp.status_code, {k.lower(): v for k, v in resp.headers.raw_items()}, None
    try:
        return 101, {}, ws.subprotocol
    finally:
        await ws.close()


class Connected:
    """A station object, its WebSocket and the task running its receive loop."""

    def __init__(self, station: Any, ws: ClientConnection, task: asyncio.Task[None]):
        self.station = station
        self.ws = ws
        self.task = task

    async def close(self) -> None:
        self.task.cancel()
        with contextlib.suppress(BaseException):
            await self.task
        with contextlib.suppress(Exception):
            await self.ws.close()


async def connect(ws_base: str, identity: str, password: str | None, version: str = OCPP16, *,
                  subprotocols: list[str] | None = None, station_cls: Any = None,
                  response_timeout: float = 30, host: str | None = None) -> Connected:
    headers = {"Authorization": basic_auth(identity, password)} if password is not None else {}
    if host:
        # Through the edge router: the tenant is the Host's left-most label (`<slug>.<base domain>`).
        headers["Host"] = host
    ws = await open_ws(station_url(ws_base, identity), subprotocols or [version], headers)
    negotiated = ws.subprotocol or version
    cls = station_cls or STATION_CLASSES[negotiated]
    station = cls(identity, ws, response_timeout=response_timeout)
    task = asyncio.create_task(_receive_loop(station), name=f"station {identity}")
    return Connected(station, ws, task)


async def _receive_loop(station: Any) -> None:
    try:
        await station.start()
    except websockets.ConnectionClosed:
        pass


@contextlib.asynccontextmanager
async def connected(ws_base: str, identity: str, password: str | None, version: str = OCPP16,
                    **kw: Any) -> AsyncIterator[Any]:
    c = await connect(ws_base, identity, password, version, **kw)
    try:
        yield c.station
    finally:
        await c.close()
    if c.station.station_errors:
        raise AssertionError("the test station itself failed: " + "; ".join(c.station.station_errors))


async def reconnect_with_backoff(ws_base: str, identity: str, password: str, version: str, *,
                                 deadline_seconds: float = 90, station_cls: Any = None,
                                 host: str | None = None) -> tuple[Connected, int]:
    """Retries the handshake (0.1 s doubling to 2 s, as a station's RetryBackOff would) until it
    succeeds; returns the connection and the number of failed attempts."""
    deadline = time.monotonic() + deadline_seconds
    delay, failures = 0.1, 0
    last: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            return await connect(ws_base, identity, password, version, station_cls=station_cls,
                                 host=host), failures
        except (OSError, InvalidHandshake, asyncio.TimeoutError, websockets.ConnectionClosed) as err:
            last, failures = err, failures + 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
    raise AssertionError(f"{identity}: no successful handshake within {deadline_seconds}s; last error: {last!r}")

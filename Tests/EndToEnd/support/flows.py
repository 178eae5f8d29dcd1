# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Message builders and steps shared by the tests (boot, status, meter values), and polling."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any, Awaitable, Callable, TypeVar

from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from .db import Database
from .stations import now_iso

T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T] | T], *, timeout: float = 15, interval: float = 0.2,
                     what: str = "condition") -> T:
    """Polls `check` until it returns a truthy value (returned) or raises AssertionError at the
    deadline with the last value seen. Used where the CSMS legitimately acts asynchronously
    (a disconnect noticed, a restarted worker), never as a fixed sleep."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result  # type: ignore[return-value]
        last = result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout}s (last: {last!r})")
        await asyncio.sleep(interval)


# --- OCPP 1.6 -------------------------------------------------------------------------------

VENDOR = "OpenCSMS-E2E"


async def boot16(station: Any, model: str = "PyStation16", expect: str = "Accepted") -> Any:
    result = await station.call(call16.BootNotification(
        charge_point_model=model, charge_point_vendor=VENDOR, charge_point_serial_number="SN-" + station.id[-10:],
        firmware_version="1.0.0"), suppress=False)
    assert result.status == expect, result
    return result


async def status16(station: Any, connector_id: int, status: str, error_code: str = "NoError") -> None:
    await station.call(call16.StatusNotification(
        connector_id=connector_id, error_code=error_code, status=status, timestamp=now_iso()), suppress=False)


def sampled16(energy_wh: float, power_w: float | None = None, context: str = "Sample.Periodic") -> dict[str, Any]:
    values = [{"value": f"{energy_wh:g}", "measurand": "Energy.Active.Import.Register", "unit": "Wh",
               "context": context, "location": "Outlet"}]
    if power_w is not None:
        values.append({"value": f"{power_w:g}", "measurand": "Power.Active.Import", "unit": "W",
                       "context": context, "location": "Outlet"})
    return {"timestamp": now_iso(), "sampled_value": values}


async def start16(station: Any, id_tag: str, meter_start: int, connector_id: int = 1,
                  timestamp: str | None = None) -> Any:
    return await station.call(call16.StartTransaction(
        connector_id=connector_id, id_tag=id_tag, meter_start=meter_start, timestamp=timestamp or now_iso()),
        suppress=False)


async def stop16(station: Any, transaction_id: int, meter_stop: int, reason: str = "EVDisconnected",
                 id_tag: str | None = None) -> Any:
    return await station.call(call16.StopTransaction(
        meter_stop=meter_stop, timestamp=now_iso(), transaction_id=transaction_id, reason=reason, id_tag=id_tag),
        suppress=False)


# --- OCPP 2.0.1 -----------------------------------------------------------------------------

async def boot201(station: Any, model: str = "PyStation201", expect: str = "Accepted") -> Any:
    result = await station.call(call201.BootNotification(
        charging_station={"model": model, "vendor_name": VENDOR, "serial_number": "SN-" + station.id[-10:],
                          "firmware_version": "2.0.1-e2e"},
        reason="PowerUp"), suppress=False)
    assert result.status == expect, result
    return result


async def status201(station: Any, evse_id: int, connector_id: int, status: str) -> None:
    await station.call(call201.StatusNotification(
        timestamp=now_iso(), connector_status=status, evse_id=evse_id, connector_id=connector_id), suppress=False)


def sampled201(energy_wh: float, power_w: float | None = None, context: str = "Sample.Periodic") -> dict[str, Any]:
    values: list[dict[str, Any]] = [{
        "value": energy_wh, "measurand": "Energy.Active.Import.Register", "context": context,
        "location": "Outlet", "unit_of_measure": {"unit": "Wh"}}]
    if power_w is not None:
        values.append({"value": power_w, "measurand": "Power.Active.Import", "context": context,
                       "location": "Outlet", "unit_of_measure": {"unit": "W"}})
    return {"timestamp": now_iso(), "sampled_value": values}


def new_transaction_id() -> str:
    return str(uuid.uuid4())


def tx_event201(event_type: str, seq_no: int, transaction_id: str, trigger_reason: str, *,
                meter: list[dict[str, Any]] | None = None, id_token: dict[str, Any] | None = None,
                evse: dict[str, Any] | None = None, charging_state: str | None = None,
                stopped_reason: str | None = None, remote_start_id: int | None = None,
                offline: bool | None = None) -> Any:
    info: dict[str, Any] = {"transaction_id": transaction_id}
    if charging_state:
        info["charging_state"] = charging_state
    if stopped_reason:
        info["stopped_reason"] = stopped_reason
    if remote_start_id is not None:
        info["remote_start_id"] = remote_start_id
    return call201.TransactionEvent(
        event_type=event_type, timestamp=now_iso(), trigger_reason=trigger_reason, seq_no=seq_no,
        transaction_info=info, meter_value=meter, id_token=id_token, evse=evse, offline=offline)


# --- database -------------------------------------------------------------------------------

def station_row(db: Database, slug: str, identity: str) -> dict[str, Any] | None:
    rows = db.rows("""
        SELECT s.* FROM csms.stations s JOIN csms.tenants t ON t.id = s.tenant_id
        WHERE t.slug = :'slug' AND s.identity = :'identity'""", slug=slug, identity=identity)
    return rows[0] if rows else None


def transaction_rows(db: Database, slug: str, identity: str) -> list[dict[str, Any]]:
    return db.rows("""
        SELECT x.* FROM csms.transactions x
        JOIN csms.stations s ON s.tenant_id = x.tenant_id AND s.id = x.station_id
        JOIN csms.tenants t ON t.id = s.tenant_id
        WHERE t.slug = :'slug' AND s.identity = :'identity' ORDER BY x.id""", slug=slug, identity=identity)


def meter_value_rows(db: Database, slug: str, identity: str) -> list[dict[str, Any]]:
    return db.rows("""
        SELECT m.transaction_id, m.evse_id, m.sampled_at, m.measurand, m.phase, m.unit, m.context, m.location,
               m.value
        FROM csms.meter_values m
        JOIN csms.stations s ON s.tenant_id = m.tenant_id AND s.id = m.station_id
        JOIN csms.tenants t ON t.id = s.tenant_id
        WHERE t.slug = :'slug' AND s.identity = :'identity' ORDER BY m.sampled_at, m.measurand""",
        slug=slug, identity=identity)


def table_columns(db: Database, table: str) -> list[str]:
    rows = db.rows("""SELECT column_name FROM information_schema.columns
                      WHERE table_schema = 'csms' AND table_name = :'table' ORDER BY ordinal_position""",
                   table=table)
    return [r["column_name"] for r in rows]


def station_scoped_rows(db: Database, table: str, slug: str, identity: str) -> list[dict[str, Any]]:
    """Rows of csms.<table> belonging to one station, whether the table refers to it by key
    (station_id) or by identity text; the tables written by the OCPP handlers are not all
    fixed yet, so the test adapts to either."""
    columns = table_columns(db, table)
    assert columns, f"table csms.{table} does not exist"
    if "station_id" in columns:
        return db.rows(f"""
            SELECT e.* FROM csms.{table} e
            JOIN csms.stations s ON s.tenant_id = e.tenant_id AND s.id = e.station_id
            JOIN csms.tenants t ON t.id = s.tenant_id
            WHERE t.slug = :'slug' AND s.identity = :'identity'""", slug=slug, identity=identity)
    for name in ("station_identity", "identity", "station"):
        if name in columns:
            return db.rows(f"""
                SELECT e.* FROM csms.{table} e JOIN csms.tenants t ON t.id = e.tenant_id
                WHERE t.slug = :'slug' AND e.{name} = :'identity'""", slug=slug, identity=identity)
    raise AssertionError(f"csms.{table} has no station column: {columns}")


def transaction_event_rows(db: Database, slug: str, identity: str) -> list[dict[str, Any]]:
    return station_scoped_rows(db, "transaction_events", slug, identity)


def frame_rows(db: Database, slug: str, identity: str) -> list[dict[str, Any]]:
    return station_scoped_rows(db, "ocpp_frames", slug, identity)


async def logged_frames(db: Database, slug: str, identity: str, action: str) -> list[dict[str, Any]]:
    """The station's frame log once it holds the station's `action` CALL and the CSMS's answer to
    it. The worker writes the log in batches off the request path, so the rows appear shortly
    after the exchange, not with it."""
    def exchange_logged() -> list[dict[str, Any]] | None:
        rows = frame_rows(db, slug, identity)
        calls = [json.loads(r["frame"]) for r in rows if r["direction"] == "in"]
        ids = {c[1] for c in calls if isinstance(c, list) and len(c) == 4 and c[0] == 2 and c[2] == action}
        answered = any(isinstance(a, list) and len(a) >= 3 and a[1] in ids
                       for a in (json.loads(r["frame"]) for r in rows if r["direction"] == "out"))
        return rows if answered else None
    return await eventually(exchange_logged, what=f"{action} exchange in the frame log of {identity}")

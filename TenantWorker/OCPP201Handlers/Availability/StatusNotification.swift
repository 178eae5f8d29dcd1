// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// StatusNotificationRequest (OCPP 2.0.1 G01): the status of one connector of one EVSE.
///
/// Unlike 1.6 there is no station-wide status (no connector 0) and no error code: faults arrive as
/// NotifyEvent. The status is stored with its 2.0.1 spelling (`Available`, `Occupied`, `Reserved`,
/// `Unavailable`, `Faulted`).
enum StatusNotificationHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let status = ConnectorStatus(
            evseId: payload.int("evseId") ?? 0, connectorId: payload.int("connectorId") ?? 0,
            status: payload.string("connectorStatus") ?? "", timestamp: payload.date("timestamp") ?? context.now())
        try await context.store.recordStatus(station: context.stationPK, identity: context.identity, status: status)
        context.logger.info(
            "EVSE \(status.evseId) connector \(status.connectorId) of \(context.identity) is \(status.status)")
        return [:]
    }
}

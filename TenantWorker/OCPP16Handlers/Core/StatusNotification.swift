// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// StatusNotification.req (OCPP 1.6 §4.9): a connector's (or with connector 0, the whole station's)
/// status and error code.
enum StatusNotificationHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let connectorId = payload.int("connectorId") ?? -1
        guard connectorId >= 0 else {
            // §4.9: connectorId is 0 (the station) or a connector number; a negative one cannot be
            // stored against any connector.
            context.logger.notice("StatusNotification from \(context.identity) with connectorId \(connectorId)")
            throw OCPPHandlerError(
                .propertyConstraintViolation, "connectorId must be 0 (the charge point) or a connector number")
        }
        // The 1.6 model has no EVSE level: connector n is EVSE n with its single connector 1.
        let status = ConnectorStatus(
            evseId: connectorId, connectorId: connectorId == 0 ? 0 : 1, status: payload.string("status") ?? "",
            errorCode: payload.string("errorCode"), info: payload.string("info"),
            vendorErrorCode: payload.string("vendorErrorCode"), timestamp: payload.date("timestamp") ?? context.now())
        try await context.store.recordStatus(station: context.stationPK, identity: context.identity, status: status)
        context.logger.info(
            "Connector \(connectorId) of \(context.identity) is \(status.status)",
            metadata: ["ocpp.error_code": "\(status.errorCode ?? "")"])
        return [:]
    }
}

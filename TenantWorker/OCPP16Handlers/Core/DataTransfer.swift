// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// DataTransfer.req from a station (OCPP 1.6 §4.3): vendor-specific data.
///
/// Only vendors the tenant configured are accepted, and their messages are kept as station events;
/// any other vendor gets `UnknownVendorId` (§4.3, OCTT TC_064), a normal CALLRESULT.
enum DataTransferHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let vendorId = payload.string("vendorId") ?? ""
        guard context.dataTransferVendors.contains(vendorId) else {
            context.logger.notice(
                "DataTransfer from \(context.identity) for unknown vendor '\(vendorId)': UnknownVendorId",
                metadata: ["ocpp.data_transfer.message_id": "\(payload.string("messageId") ?? "")"])
            return ["status": "UnknownVendorId"]
        }
        let summary = payload.string("messageId").map { "\(vendorId) \($0)" } ?? vendorId
        try await context.store.recordEvent(
            station: context.stationPK,
            event: StationEvent(
                kind: "DataTransfer", occurredAt: context.now(), summary: summary,
                detailsJSON: StationEventRecorder.detailsJSON(payload)))
        context.logger.info("DataTransfer from \(context.identity) stored: \(summary)")
        return ["status": "Accepted"]
    }
}

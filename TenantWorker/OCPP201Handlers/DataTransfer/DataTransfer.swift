// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPPHandlerKit
import OCPPRPC

/// DataTransferRequest from a station (OCPP 2.0.1 P01): vendor-specific data.
///
/// Only vendors the tenant configured are accepted, and their messages are kept as station events;
/// any other vendor gets the `UnknownVendorId` status (DataTransferStatusEnumType), a normal
/// CALLRESULT (OCPP-J 2.0.1 §4.2.2).
enum DataTransferHandler {
    static let kind = "DataTransfer"

    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let vendorId = payload.string("vendorId") ?? ""
        guard context.dataTransferVendors.contains(vendorId) else {
            context.logger.notice(
                "DataTransfer from \(context.identity) for unknown vendor '\(vendorId)': UnknownVendorId",
                metadata: ["ocpp.data_transfer_message_id": "\(payload.string("messageId") ?? "")"])
            return ["status": "UnknownVendorId"]
        }
        let summary = payload.string("messageId").map { "\(vendorId) \($0)" } ?? vendorId
        try await StationEvents.record(kind: kind, at: context.now(), summary: summary, details: payload, context)
        context.logger.info("DataTransfer from \(context.identity) stored: \(summary)")
        return ["status": "Accepted"]
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// BootNotification.req (OCPP 1.6 §4.2): stores what the station says about itself and answers with
/// its registration status.
enum BootNotificationHandler {
    /// Upper bound of the retry interval sent with Pending/Rejected. There `interval` is the minimum
    /// wait before the next BootNotification (OCPP 1.6 §4.2), so a station waiting to be accepted
    /// must not wait a whole long heartbeat interval before it can be let in.
    static let maxRetryIntervalSeconds = 300

    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let now = context.now()
        let info = BootInfo(
            ocppVersion: OCPPVersion.ocpp16.rawValue, vendor: payload.string("chargePointVendor") ?? "",
            model: payload.string("chargePointModel") ?? "",
            serialNumber: payload.string("chargePointSerialNumber") ?? payload.string("chargeBoxSerialNumber"),
            firmwareVersion: payload.string("firmwareVersion"), iccid: payload.string("iccid"),
            imsi: payload.string("imsi"))
        let status = try await context.store.recordBoot(station: context.stationPK, info: info, at: now)
        let interval = retryInterval(status: status, heartbeatSeconds: context.heartbeatIntervalSeconds)
        context.logger.info(
            "BootNotification from \(context.identity): \(status.wireName)",
            metadata: [
                "station.vendor": "\(info.vendor)", "station.model": "\(info.model)",
                "station.firmware": "\(info.firmwareVersion ?? "")", "ocpp.interval": "\(interval)",
            ])
        return [
            "status": .string(status.wireName), "currentTime": .string(OCPPDateTime.format(now)),
            "interval": .integer(Int64(interval)),
        ]
    }

    /// Accepted: the heartbeat interval. Pending/Rejected: the same interval capped at
    /// ``maxRetryIntervalSeconds`` and at least 1 s: a zero minimum wait would let a refused
    /// station send BootNotifications back to back.
    static func retryInterval(status: RegistrationStatus, heartbeatSeconds: Int) -> Int {
        switch status {
        case .accepted: heartbeatSeconds
        case .pending, .rejected: min(max(heartbeatSeconds, 1), maxRetryIntervalSeconds)
        }
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// BootNotificationRequest (OCPP 2.0.1 use cases B01–B03): stores what the station says about itself and
/// answers with its registration status.
enum BootNotificationHandler {
    /// Upper bound of the retry interval sent with Pending/Rejected. There `interval` is the minimum
    /// wait before the next BootNotification (BootNotificationResponse.interval), so a station
    /// waiting to be accepted must not wait a whole long heartbeat interval before an operator's
    /// approval can take effect.
    static let maxRetryIntervalSeconds = 300

    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let now = context.now()
        let station = payload.object("chargingStation") ?? [:]
        let modem = station.object("modem")
        let info = BootInfo(
            ocppVersion: OCPPVersion.ocpp201.rawValue, vendor: station.string("vendorName") ?? "",
            model: station.string("model") ?? "", serialNumber: station.string("serialNumber"),
            firmwareVersion: station.string("firmwareVersion"), iccid: modem?.string("iccid"),
            imsi: modem?.string("imsi"), reason: payload.string("reason"))
        let status = try await context.store.recordBoot(station: context.stationPK, info: info, at: now)
        let interval = retryInterval(status: status, heartbeatSeconds: context.heartbeatIntervalSeconds)
        context.logger.info(
            "BootNotification from \(context.identity): \(status.wireName)",
            metadata: [
                "station.vendor": "\(info.vendor)", "station.model": "\(info.model)",
                "station.firmware": "\(info.firmwareVersion ?? "")", "ocpp.boot_reason": "\(info.reason ?? "")",
                "ocpp.interval": "\(interval)",
            ])
        return [
            "currentTime": .string(OCPPDateTime.format(now)), "interval": .integer(Int64(interval)),
            "status": .string(status.wireName),
        ]
    }

    /// Accepted: the heartbeat interval (BootNotificationResponse.interval). Pending/Rejected: the same interval capped at
    /// ``maxRetryIntervalSeconds`` and at least 1 s: a zero minimum wait would let a refused station
    /// send BootNotifications back to back.
    static func retryInterval(status: RegistrationStatus, heartbeatSeconds: Int) -> Int {
        switch status {
        case .accepted: heartbeatSeconds
        case .pending, .rejected: min(max(heartbeatSeconds, 1), maxRetryIntervalSeconds)
        }
    }
}

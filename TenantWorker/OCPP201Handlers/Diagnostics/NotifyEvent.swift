// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import OCPPHandlerKit
import OCPPRPC

/// NotifyEventRequest (OCPP 2.0.1 N07/N08): events of the station's device model (a monitor
/// tripped, a hard-wired notification such as a fault, a periodic report). Each `eventData` is
/// kept as one station event, summarised as `<component>/<variable>: <trigger> <actualValue>`
/// with the whole `eventData` in the details.
enum NotifyEventHandler {
    static let kind = "NotifyEvent"

    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let events = payload.objects("eventData")
        for eventData in events {
            let summary = summary(eventData)
            try await StationEvents.record(
                kind: kind, at: eventData.date("timestamp") ?? context.now(), summary: summary, details: eventData,
                context)
            context.logger.info(
                "NotifyEvent from \(context.identity): \(summary)",
                metadata: [
                    "ocpp.event_id": "\(eventData.int("eventId") ?? -1)",
                    "ocpp.event_type": "\(eventData.string("eventNotificationType") ?? "")",
                    "ocpp.cleared": "\(eventData.bool("cleared") ?? false)",
                ])
        }
        return [:]
    }

    static func summary(_ eventData: JSONObject) -> String {
        let component = eventData.object("component")?.string("name") ?? ""
        let variable = eventData.object("variable")?.string("name") ?? ""
        let trigger = eventData.string("trigger") ?? ""
        let actualValue = eventData.string("actualValue") ?? ""
        return "\(component)/\(variable): \(trigger) \(actualValue)"
    }
}

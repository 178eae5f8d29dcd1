// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPPHandlerKit
import OCPPRPC

/// HeartbeatRequest (OCPP 2.0.1 G02): the station is alive and wants the CSMS time for clock sync.
enum HeartbeatHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let now = context.now()
        try await context.store.touch(station: context.stationPK, at: now)
        return ["currentTime": .string(OCPPDateTime.format(now))]
    }
}

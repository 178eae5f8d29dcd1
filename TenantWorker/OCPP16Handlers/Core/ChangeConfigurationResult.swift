// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// Result of a ChangeConfiguration.req the CSMS sent (OCPP 1.6 §5.3): when the station took the new
/// value (`Accepted`, or `RebootRequired`: set but effective after a reboot), the stored
/// configuration key gets it, so the configuration view does not wait for the next
/// GetConfiguration.
enum ChangeConfigurationResultHook {
    static func handle(_ request: JSONObject, _ response: JSONObject, _ context: StationContext) async throws {
        let status = response.string("status") ?? ""
        guard status == "Accepted" || status == "RebootRequired", let key = request.string("key") else {
            context.logger.info(
                "ChangeConfiguration of \(request.string("key") ?? "") on \(context.identity) answered \(status)")
            return
        }
        // The station accepted a write, so the key is writable.
        let variable = StationVariable(
            component: GetConfigurationResultHook.component, variable: key, value: request.string("value"),
            mutability: "ReadWrite")
        try await context.store.recordVariables(station: context.stationPK, variables: [variable], at: context.now())
        context.logger.info("Configuration key \(key) of \(context.identity) changed (\(status))")
    }
}

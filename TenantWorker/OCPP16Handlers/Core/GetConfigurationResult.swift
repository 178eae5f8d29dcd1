// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// Result of a GetConfiguration.req the CSMS sent (OCPP 1.6 §5.8): the reported configuration keys
/// are stored as device-model variables of the component `OCPP16`, so both protocol versions share
/// one configuration view.
enum GetConfigurationResultHook {
    static let component = "OCPP16"

    static func handle(_ request: JSONObject, _ response: JSONObject, _ context: StationContext) async throws {
        let variables = response.objects("configurationKey").compactMap { entry -> StationVariable? in
            guard let key = entry.string("key") else { return nil }
            return StationVariable(
                component: component, variable: key, value: entry.string("value"),
                mutability: entry.bool("readonly") == true ? "ReadOnly" : "ReadWrite")
        }
        let unknown = (response.array("unknownKey") ?? []).compactMap(\.stringValue)
        if !unknown.isEmpty {
            context.logger.info(
                "GetConfiguration: \(context.identity) does not know \(unknown.count) keys",
                metadata: ["ocpp.unknown_keys": "\(unknown.joined(separator: ","))"])
        }
        guard !variables.isEmpty else { return }
        try await context.store.recordVariables(station: context.stationPK, variables: variables, at: context.now())
        context.logger.info("Stored \(variables.count) configuration keys of \(context.identity)")
    }
}

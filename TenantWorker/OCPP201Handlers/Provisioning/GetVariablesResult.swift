// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// Result of a GetVariablesRequest the CSMS sent (OCPP 2.0.1 B06): every attribute the station
/// read (`attributeStatus` Accepted) is stored with its value, so the device-model view shows what
/// was just read. Refused reads (UnknownComponent, UnknownVariable, NotSupportedAttributeType,
/// Rejected) change nothing.
enum GetVariablesResultHook {
    static func handle(_ request: JSONObject, _ response: JSONObject, _ context: StationContext) async throws {
        var variables: [StationVariable] = []
        var refused: [String] = []
        for result in response.objects("getVariableResult") {
            guard let key = VariableKey(entry: result) else { continue }
            let status = result.string("attributeStatus") ?? ""
            guard status == "Accepted" else {
                refused.append("\(key.logName) \(status)")
                continue
            }
            // Only the value comes back: mutability, data type and unit are left for the store to
            // keep from the last NotifyReport.
            variables.append(key.stationVariable(value: result.string("attributeValue")))
        }
        if !refused.isEmpty {
            context.logger.info(
                "GetVariables: \(context.identity) did not read \(refused.count) attributes",
                metadata: ["ocpp.refused": "\(refused.joined(separator: ", "))"])
        }
        guard !variables.isEmpty else { return }
        try await context.store.recordVariables(station: context.stationPK, variables: variables, at: context.now())
        context.logger.info("Stored \(variables.count) variable attributes read from \(context.identity)")
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// Result of a SetVariablesRequest the CSMS sent (OCPP 2.0.1 B05): every attribute the station
/// set (`attributeStatus` Accepted) is stored with the value the request carried (the result does
/// not repeat it), matched on component, variable and attribute type.
///
/// `RebootRequired` is not stored: the station keeps the old value in effect until it reboots, and
/// the new one is read back after the reboot (NotifyReport/GetVariables). Refusals change nothing.
enum SetVariablesResultHook {
    static func handle(_ request: JSONObject, _ response: JSONObject, _ context: StationContext) async throws {
        var requested: [VariableKey: String] = [:]
        for data in request.objects("setVariableData") {
            guard let key = VariableKey(entry: data), let value = data.string("attributeValue") else { continue }
            // The spec does not allow the same attribute twice in one request; keep the first.
            if requested[key] == nil { requested[key] = value }
        }
        var variables: [StationVariable] = []
        var notApplied: [String] = []
        for result in response.objects("setVariableResult") {
            guard let key = VariableKey(entry: result) else { continue }
            let status = result.string("attributeStatus") ?? ""
            guard status == "Accepted" else {
                notApplied.append("\(key.logName) \(status)")
                continue
            }
            guard let value = requested[key] else {
                // A result for an attribute the request did not name: nothing known to store.
                context.logger.notice(
                    "SetVariables: \(context.identity) accepted \(key.logName), which was not requested")
                continue
            }
            variables.append(key.stationVariable(value: value))
        }
        if !notApplied.isEmpty {
            context.logger.info(
                "SetVariables: \(notApplied.count) attributes not applied on \(context.identity)",
                metadata: ["ocpp.results": "\(notApplied.joined(separator: ", "))"])
        }
        guard !variables.isEmpty else { return }
        try await context.store.recordVariables(station: context.stationPK, variables: variables, at: context.now())
        context.logger.info("Stored \(variables.count) variable attributes set on \(context.identity)")
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPP16
import OCPP16Handlers
import OCPP201
import OCPP201Handlers
import OCPPHandlerKit
import OCPPRPC

/// Per OCPP version: the official schemas, the inbound handlers, the result hooks, and which
/// actions the CSMS may send to a station (the REST command endpoint's allow-list).
struct OCPPProtocolCatalog: Sendable {
    let handlers16 = ocpp16CallHandlers()
    let handlers201 = ocpp201CallHandlers()
    let hooks16 = ocpp16ResultHooks()
    let hooks201 = ocpp201ResultHooks()

    /// CSMS → station actions the REST API may send (OCPP 1.6 core + remote trigger, issue scope).
    static let commands16: Set<String> = [
        "RemoteStartTransaction", "RemoteStopTransaction", "Reset", "ChangeAvailability", "ChangeConfiguration",
        "GetConfiguration", "ClearCache", "UnlockConnector", "TriggerMessage", "DataTransfer",
    ]
    static let commands201: Set<String> = [
        "GetVariables", "SetVariables", "GetBaseReport", "RequestStartTransaction", "RequestStopTransaction", "Reset",
        "ChangeAvailability", "UnlockConnector", "TriggerMessage", "GetTransactionStatus", "ClearCache",
        "DataTransfer",
    ]

    func handler(_ version: OCPPVersion, _ action: String) -> OCPPCallHandler? {
        version == .ocpp16 ? handlers16[action] : handlers201[action]
    }

    func resultHook(_ version: OCPPVersion, _ action: String) -> OCPPResultHook? {
        version == .ocpp16 ? hooks16[action] : hooks201[action]
    }

    func requestSchema(_ version: OCPPVersion, _ action: String) -> PayloadSchema? {
        version == .ocpp16 ? OCPP16Schemas.request(action) : OCPP201Schemas.request(action)
    }

    func responseSchema(_ version: OCPPVersion, _ action: String) -> PayloadSchema? {
        version == .ocpp16 ? OCPP16Schemas.response(action) : OCPP201Schemas.response(action)
    }

    func commands(_ version: OCPPVersion) -> Set<String> {
        version == .ocpp16 ? Self.commands16 : Self.commands201
    }
}

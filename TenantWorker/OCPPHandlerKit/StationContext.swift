// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import ChargingDomain
public import Foundation
public import Logging
public import OCPPRPC

/// What a handler for one inbound OCPP CALL gets: the connected station, the store, the tenant's
/// OCPP settings and a logger that already carries `tenant.slug`, `station.id`, `ocpp.action` and
/// `ocpp.message_id`.
public struct StationContext: Sendable {
    /// `csms.stations.id` of the connected station.
    public var stationPK: Int64
    /// The identity from the connection URL.
    public var identity: String
    public var version: OCPPVersion
    public var store: any ChargingStore
    /// The interval sent in an accepted BootNotification answer.
    public var heartbeatInterval: Duration
    /// Vendor ids accepted in DataTransfer (empty: every vendor is unknown).
    public var dataTransferVendors: Set<String>
    public var logger: Logger
    /// The current time (a parameter so tests can fix it).
    public var now: @Sendable () -> Date

    public init(
        stationPK: Int64, identity: String, version: OCPPVersion, store: any ChargingStore,
        heartbeatInterval: Duration, dataTransferVendors: Set<String> = [], logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.stationPK = stationPK
        self.identity = identity
        self.version = version
        self.store = store
        self.heartbeatInterval = heartbeatInterval
        self.dataTransferVendors = dataTransferVendors
        self.logger = logger
        self.now = now
    }

    /// `heartbeatInterval` in whole seconds, as the BootNotification answer carries it.
    public var heartbeatIntervalSeconds: Int {
        Int(heartbeatInterval.components.seconds)
    }
}

/// A handler for one inbound action: the validated request payload in, the response payload out.
/// A thrown ``OCPPHandlerError`` becomes a CALLERROR with its code; any other error becomes
/// `InternalError` (logged with the station and action) and the connection stays open.
public typealias OCPPCallHandler =
    @Sendable (_ payload: JSONObject, _ context: StationContext) async throws ->
    JSONObject

/// An error a handler answers with a CALLERROR (use sparingly: business outcomes such as an
/// invalid token are normal CALLRESULTs, OCPP-J §4.2.2).
public struct OCPPHandlerError: Error, Sendable, CustomStringConvertible {
    public var code: RPCErrorCode
    public var message: String

    public init(_ code: RPCErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// The inbound actions one OCPP version handles, by action name (the exact wire spelling).
public struct OCPPHandlerTable: Sendable {
    public var handlers: [String: OCPPCallHandler]

    public init(_ handlers: [String: OCPPCallHandler]) {
        self.handlers = handlers
    }

    public subscript(action: String) -> OCPPCallHandler? { handlers[action] }
}

/// Runs after a station answered a CALL the CSMS sent (for example storing the configuration keys
/// of a GetConfiguration result or the variables of a GetVariables result). It gets the request
/// that was sent and the station's CALLRESULT payload; errors are logged, never sent to the station.
public typealias OCPPResultHook =
    @Sendable (_ request: JSONObject, _ response: JSONObject, _ context: StationContext)
    async throws -> Void

/// Result hooks by the action of the CALL the CSMS sent.
public struct OCPPResultHookTable: Sendable {
    public var hooks: [String: OCPPResultHook]

    public init(_ hooks: [String: OCPPResultHook]) {
        self.hooks = hooks
    }

    public subscript(action: String) -> OCPPResultHook? { hooks[action] }
}

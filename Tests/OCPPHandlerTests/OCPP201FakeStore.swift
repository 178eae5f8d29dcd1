// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Logging
import OCPP201
import OCPP201Handlers
import OCPPHandlerKit
import OCPPRPC
import Synchronization
import Testing

/// An in-memory ``ChargingStore`` for the OCPP 2.0.1 handler tests: it records every domain call a
/// handler makes and answers with outcomes a test sets up, so each test checks the translation of
/// a wire payload into a domain call and of a domain outcome into a wire answer.
actor OCPP201FakeStore: ChargingStore {
    // Outcomes the next calls answer with.
    var bootStatus: RegistrationStatus = .accepted
    var authorizations: [String: AuthorizationResult] = [:]
    var transactionEventOutcome = TransactionEventOutcome(authorization: nil, duplicate: false, missingSeqNos: [])

    // Calls received.
    private(set) var boots: [(station: Int64, info: BootInfo, at: Date)] = []
    private(set) var touches: [(station: Int64, at: Date)] = []
    private(set) var statuses: [(station: Int64, identity: String, status: ConnectorStatus)] = []
    private(set) var authorizeCalls: [(token: String, type: String?)] = []
    private(set) var transactionEvents: [TransactionEvent] = []
    private(set) var meterValues: [(evseId: Int?, transactionRemoteId: String?, samples: [MeterSample])] = []
    private(set) var variableCalls: [[StationVariable]] = []
    private(set) var events: [StationEvent] = []

    var variables: [StationVariable] { variableCalls.flatMap { $0 } }

    func set(bootStatus: RegistrationStatus) { self.bootStatus = bootStatus }
    func set(authorization: AuthorizationResult, for token: String) { authorizations[token] = authorization }
    func set(transactionEventOutcome: TransactionEventOutcome) {
        self.transactionEventOutcome = transactionEventOutcome
    }

    func station(identity: String) async throws -> StationRecord? { nil }

    func registerPendingStation(identity: String, passwordHash: String?) async throws -> StationRecord {
        StationRecord(pk: 1, identity: identity, registrationStatus: .pending, createdAt: Date())
    }

    func upsertStation(
        identity: String, registrationStatus: RegistrationStatus, passwordHash: String?
    )
        async throws -> StationRecord
    {
        StationRecord(pk: 1, identity: identity, registrationStatus: registrationStatus, createdAt: Date())
    }

    func listStations(limit: Int) async throws -> [StationRecord] { [] }

    func recordBoot(station: Int64, info: BootInfo, at: Date) async throws -> RegistrationStatus {
        boots.append((station, info, at))
        return bootStatus
    }

    func touch(station: Int64, at: Date) async throws { touches.append((station, at)) }

    func recordStatus(station: Int64, identity: String, status: ConnectorStatus) async throws {
        statuses.append((station, identity, status))
    }

    func liveStatuses(identity: String) async throws -> [ConnectorStatus] { [] }

    func authorize(token: String, type: String?, at: Date) async throws -> AuthorizationResult {
        authorizeCalls.append((token, type))
        return authorizations[token] ?? AuthorizationResult(status: .unknown)
    }

    func startTransaction(station: Int64, start: TransactionStart) async throws -> TransactionStartOutcome {
        Issue.record("OCPP 2.0.1 handlers must not call the 1.6 startTransaction")
        return TransactionStartOutcome(
            transactionId: 0, authorization: AuthorizationResult(status: .invalid), duplicate: false)
    }

    func stopTransaction(station: Int64, stop: TransactionStop) async throws -> TransactionStopOutcome {
        Issue.record("OCPP 2.0.1 handlers must not call the 1.6 stopTransaction")
        return TransactionStopOutcome(authorization: nil, orphan: false, duplicate: false)
    }

    func recordTransactionEvent(station: Int64, event: TransactionEvent) async throws -> TransactionEventOutcome {
        transactionEvents.append(event)
        return transactionEventOutcome
    }

    func recordMeterValues(
        station: Int64, evseId: Int?, transactionRemoteId: String?, samples: [MeterSample]
    )
        async throws
    {
        meterValues.append((evseId, transactionRemoteId, samples))
    }

    func recordVariables(station: Int64, variables: [StationVariable], at: Date) async throws {
        variableCalls.append(variables)
    }

    func recordEvent(station: Int64, event: StationEvent) async throws { events.append(event) }

    func transactions(filter: TransactionFilter) async throws -> [TransactionRecord] { [] }

    func transaction(pk: Int64) async throws -> (TransactionRecord, [MeterSample])? { nil }

    func upsertToken(_ token: TokenInput) async throws -> TokenRecord {
        TokenRecord(
            token: token.token, type: token.type, status: token.status, expiresAt: token.expiresAt,
            parentToken: token.parentToken, createdAt: Date())
    }
}

/// A station context over a fake store with a fixed clock, and calls that go through the public
/// handler tables with the schema checks the transport applies.
struct OCPP201Fixture {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T11:06:40Z
    static let nowText = "2026-11-18T11:06:40.000Z"
    static let stationPK: Int64 = 9
    static let identity = "CP-201"

    let store = OCPP201FakeStore()
    let logs = HandlerLogRecorder()
    var heartbeat: Duration = .seconds(600)
    var vendors: Set<String> = ["com.example.acme"]

    var context: StationContext {
        StationContext(
            stationPK: Self.stationPK, identity: Self.identity, version: .ocpp201, store: store,
            heartbeatInterval: heartbeat, dataTransferVendors: vendors, logger: logs.logger(), now: { Self.now })
    }

    /// Sends `json` as the CALL payload of `action` the way the transport would: the payload must
    /// pass the official request schema, and the answer must pass the response schema.
    func call(
        _ action: String, _ json: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws
        -> JSONObject
    {
        let payload = try OCPP201Fixture.object(json)
        OCPP201SchemaCheck.expectValid(OCPP201Schemas.request(action), "\(action) request", payload, sourceLocation)
        let handler = try #require(
            ocpp201CallHandlers()[action], "no 2.0.1 handler for \(action)", sourceLocation: sourceLocation)
        let response = try await handler(payload, context)
        OCPP201SchemaCheck.expectValid(OCPP201Schemas.response(action), "\(action) response", response, sourceLocation)
        return response
    }

    /// Runs the result hook of a CSMS → station `action` with the request sent and the station's
    /// answer, both checked against the official schemas.
    func result(
        _ action: String, request: String, response: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let requestPayload = try OCPP201Fixture.object(request)
        let responsePayload = try OCPP201Fixture.object(response)
        OCPP201SchemaCheck.expectValid(
            OCPP201Schemas.request(action), "\(action) request", requestPayload, sourceLocation)
        OCPP201SchemaCheck.expectValid(
            OCPP201Schemas.response(action), "\(action) response", responsePayload, sourceLocation)
        let hook = try #require(
            ocpp201ResultHooks()[action], "no 2.0.1 result hook for \(action)", sourceLocation: sourceLocation)
        try await hook(requestPayload, responsePayload, context)
    }

    static func object(_ json: String) throws -> JSONObject {
        guard case .object(let object) = try JSONValue.parse(json) else {
            throw OCPP201TestError("not a JSON object: \(json)")
        }
        return object
    }
}

struct OCPP201TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Checks payloads against the official OCPP 2.0.1 schemas (generated ``OCPP201Schemas``).
enum OCPP201SchemaCheck {
    static func expectValid(
        _ schema: PayloadSchema?, _ what: String, _ payload: JSONObject, _ sourceLocation: SourceLocation
    ) {
        guard let schema else {
            Issue.record("no OCPP 2.0.1 schema for \(what)", sourceLocation: sourceLocation)
            return
        }
        if let violation = schema.validate(payload) {
            Issue.record(
                "\(what) fails the official schema: \(violation) in \(JSONValue.object(payload).jsonText)",
                sourceLocation: sourceLocation)
        }
    }
}

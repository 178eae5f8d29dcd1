// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Logging
import OCPPHandlerKit
import OCPPRPC
import Synchronization

/// An in-memory ``ChargingStore`` for the OCPP 1.6 handler tests: it records every domain call a
/// handler makes and answers with outcomes a test sets up, so each test checks the translation of
/// a wire payload into a domain call and of a domain outcome into a wire answer.
actor OCPP16FakeStore: ChargingStore {
    // Outcomes the next calls answer with.
    var bootStatus: RegistrationStatus = .accepted
    var authorizations: [String: AuthorizationResult] = [:]
    var startOutcome = TransactionStartOutcome(
        transactionId: 1, authorization: AuthorizationResult(status: .accepted), duplicate: false)
    var stopOutcome = TransactionStopOutcome(authorization: nil, orphan: false, duplicate: false)

    // Calls received.
    private(set) var boots: [(station: Int64, info: BootInfo, at: Date)] = []
    private(set) var touches: [(station: Int64, at: Date)] = []
    private(set) var statuses: [(station: Int64, identity: String, status: ConnectorStatus)] = []
    private(set) var authorizeCalls: [(token: String, type: String?)] = []
    private(set) var starts: [TransactionStart] = []
    private(set) var stops: [TransactionStop] = []
    private(set) var meterValues: [(evseId: Int?, transactionRemoteId: String?, samples: [MeterSample])] = []
    private(set) var variables: [StationVariable] = []
    private(set) var events: [StationEvent] = []

    func set(bootStatus: RegistrationStatus) { self.bootStatus = bootStatus }
    func set(authorization: AuthorizationResult, for token: String) { authorizations[token] = authorization }
    func set(startOutcome: TransactionStartOutcome) { self.startOutcome = startOutcome }
    func set(stopOutcome: TransactionStopOutcome) { self.stopOutcome = stopOutcome }

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
        starts.append(start)
        return startOutcome
    }

    func stopTransaction(station: Int64, stop: TransactionStop) async throws -> TransactionStopOutcome {
        stops.append(stop)
        return stopOutcome
    }

    func recordTransactionEvent(station: Int64, event: TransactionEvent) async throws -> TransactionEventOutcome {
        TransactionEventOutcome(authorization: nil, duplicate: false, missingSeqNos: [])
    }

    func recordMeterValues(
        station: Int64, evseId: Int?, transactionRemoteId: String?, samples: [MeterSample]
    )
        async throws
    {
        meterValues.append((evseId, transactionRemoteId, samples))
    }

    func recordVariables(station: Int64, variables: [StationVariable], at: Date) async throws {
        self.variables.append(contentsOf: variables)
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

/// A station context over a fake store with a fixed clock.
struct OCPP16Fixture {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T11:06:40Z
    static let stationPK: Int64 = 7
    static let identity = "CP-16"

    let store = OCPP16FakeStore()
    let logs = HandlerLogRecorder()
    var heartbeat: Duration = .seconds(600)
    var vendors: Set<String> = ["com.example.acme"]

    var context: StationContext {
        StationContext(
            stationPK: Self.stationPK, identity: Self.identity, version: .ocpp16, store: store,
            heartbeatInterval: heartbeat, dataTransferVendors: vendors, logger: logs.logger(), now: { Self.now })
    }
}

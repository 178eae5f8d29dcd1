// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Postgres
import Redis
import TestSupport
import Testing

/// Two tenants' stores on one database and one Redis: neither sees nor changes the other's data,
/// even with the other's keys and names in hand.
@Suite("Tenant isolation through the store")
struct StoreIsolationTests {
    @Test func aTenantSeesNothingOfAnother() async throws {
        let f = try await ChargingFixture.shared.value
        // The same identity in both tenants is two stations.
        let identity = "SHARED-\(TestEnvironment.uniqueSuffix())"
        let stationA = try await f.a.store.upsertStation(
            identity: identity, registrationStatus: .accepted, passwordHash: nil)
        let stationB = try await f.b.store.upsertStation(
            identity: identity, registrationStatus: .pending, passwordHash: nil)
        #expect(stationA.pk != stationB.pk)
        #expect(try await f.a.store.station(identity: identity)?.pk == stationA.pk)
        let onlyB = try await f.b.newStation("ONLYB")
        #expect(try await f.a.store.station(identity: onlyB.identity) == nil)
        #expect(try await !f.a.store.listStations(limit: 10_000).contains { $0.pk == onlyB.pk })

        let tokenB = try await f.b.newToken()
        #expect(try await f.a.store.authorize(token: tokenB, type: nil, at: Date()).status == .unknown)
        let started = try await f.b.store.startTransaction(
            station: onlyB.pk,
            start: TransactionStart(
                connectorId: 1, idToken: tokenB, startedAt: wallClock(),
                meterStartWh: 5))
        #expect(try await f.a.store.transaction(pk: started.transactionId) == nil)
        #expect(
            try await !f.a.store.transactions(filter: TransactionFilter(limit: 1000)).contains {
                $0.pk == started.transactionId
            })
        // A's token of the same value does not make B's start ConcurrentTx, nor the other way round.
        _ = try await f.a.store.upsertToken(TokenInput(token: tokenB))
        let aStart = try await f.a.store.startTransaction(
            station: stationA.pk,
            start: TransactionStart(
                connectorId: 1, idToken: tokenB, startedAt: wallClock(),
                meterStartWh: 0))
        #expect(aStart.authorization.status == .accepted)

        // B's keys in A's hands point at nothing: a stop of B's transaction id on A's station is an orphan
        // of A, and B's transaction is untouched.
        let stop = try await f.a.store.stopTransaction(
            station: stationA.pk,
            stop: TransactionStop(
                transactionId: started.transactionId, idToken: nil, stoppedAt: wallClock(),
                meterStopWh: 1, reason: nil, samples: []))
        #expect(stop.orphan)
        #expect(try await f.b.store.transaction(pk: started.transactionId)?.0.status == "active")
        // Writing for B's station through A's store is refused by the composite foreign keys.
        await #expect(throws: PGError.self) {
            try await f.a.store.recordMeterValues(
                station: onlyB.pk, evseId: 1, transactionRemoteId: String(started.transactionId),
                samples: energySamples(from: wallClock(), count: 1, firstWh: 1))
        }
        await #expect(throws: PGError.self) {
            try await f.a.store.recordVariables(
                station: onlyB.pk, variables: [StationVariable(component: "OCPP16", variable: "X", value: "1")],
                at: Date())
        }
        // Meter values linked by remote id only find the tenant's own transactions.
        try await f.a.store.recordMeterValues(
            station: stationA.pk, evseId: 1, transactionRemoteId: String(started.transactionId),
            samples: energySamples(from: wallClock(), count: 2, firstWh: 1))
        let (_, bSamples) = try #require(try await f.b.store.transaction(pk: started.transactionId))
        #expect(bSamples.isEmpty)
        #expect(try await f.a.store.variables(station: onlyB.pk).isEmpty)
        #expect(try await f.a.store.stationEvents(station: onlyB.pk).isEmpty)
        // The control plane sees B's station untouched by A.
        let bStatus = try await f.control.scalar(
            "SELECT registration_status FROM csms.stations WHERE id = \(stationB.pk)", as: String.self)
        #expect(bStatus == "pending")
    }

    @Test func liveStatusesAreKeptApartInRedis() async throws {
        let f = try await ChargingFixture.shared.value
        let identity = "LIVE-\(TestEnvironment.uniqueSuffix())"
        let a = try await f.a.store.upsertStation(identity: identity, registrationStatus: .accepted, passwordHash: nil)
        let b = try await f.b.store.upsertStation(identity: identity, registrationStatus: .accepted, passwordHash: nil)
        let statusA = ConnectorStatus(evseId: 1, connectorId: 1, status: "Charging", timestamp: wallClock())
        let statusB = ConnectorStatus(evseId: 1, connectorId: 1, status: "Faulted", timestamp: wallClock())
        try await f.a.store.recordStatus(station: a.pk, identity: identity, status: statusA)
        try await f.b.store.recordStatus(station: b.pk, identity: identity, status: statusB)
        #expect(try await f.a.store.liveStatuses(identity: identity).map(\.status) == ["Charging"])
        #expect(try await f.b.store.liveStatuses(identity: identity).map(\.status) == ["Faulted"])
        // A's Redis user cannot read B's key at all.
        await #expect(throws: RedisError.self) {
            _ = try await f.a.redis.command(["HGETALL", f.b.store.liveStatusKey(identity: identity)])
        }
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Postgres
import TestFixtures
import TestSupport
import Testing

/// Usage metering (migration 0005) and the plan's station limit at boot. Each test uses a tenant of
/// its own, so the counts are exact.
@Suite("Usage metering and plan limits")
struct UsageTests {
    private func freshTenant(
        _ f: ChargingFixture, stationLimit: Int? = nil
    ) async throws -> (
        ChargingFixture.TenantStore, PostgresChargingStore
    ) {
        let t = try await ChargingFixture.makeTenant(f.database, slug: "u\(TestEnvironment.uniqueSuffix())")
        let store = PostgresChargingStore(
            postgres: t.pool, redis: t.redis, tenantSlug: t.tenant.slug, logger: ChargingFixture.logger,
            stationLimit: stationLimit)
        return (t, store)
    }

    private func usage(_ f: ChargingFixture, tenantID: String) async throws -> (sessions: Int64, energyWh: Double) {
        let rows = try await f.database.control.query(
            """
            SELECT sessions, energy_wh::float8 FROM csms.usage_months
            WHERE tenant_id = \(tenantID)::uuid AND month = date_trunc('month', now() AT TIME ZONE 'UTC')::date
            """)
        guard let row = rows.first else { return (0, 0) }
        return (try row.decode(Int64.self, column: 0), try row.decode(Double.self, column: 1))
    }

    @Test func completedSessionsAndEnergyAreCountedOnceAcrossBothVersions() async throws {
        let f = try await ChargingFixture.shared.value
        let (t, store) = try await freshTenant(f)
        let station = try await t.newStation()
        let token = try await t.newToken()
        // OCPP 1.6: 1,000 Wh → 3,500 Wh; the resent stop changes nothing.
        let started = try await store.startTransaction(
            station: station.pk,
            start: TransactionStart(
                connectorId: 1, idToken: token, startedAt: wallClock(offset: -60), meterStartWh: 1000))
        #expect(try await usage(f, tenantID: t.tenant.id).sessions == 0)
        let stop = TransactionStop(
            transactionId: started.transactionId, idToken: token, stoppedAt: wallClock(), meterStopWh: 3500,
            reason: "Local", samples: [])
        _ = try await store.stopTransaction(station: station.pk, stop: stop)
        _ = try await store.stopTransaction(station: station.pk, stop: stop)
        var u = try await usage(f, tenantID: t.tenant.id)
        #expect(u.sessions == 1)
        #expect(u.energyWh == 2500)

        // OCPP 2.0.1: Started at 10 kWh, Ended at 12.5 kWh, the Ended replayed.
        let id = "tx-\(TestEnvironment.uniqueSuffix())"
        let begin = wallClock(offset: -30)
        _ = try await store.recordTransactionEvent(
            station: station.pk,
            event: TransactionEvent(
                kind: .started, transactionId: id, seqNo: 0, timestamp: begin, triggerReason: "Authorized",
                evseId: 1, connectorId: 1, samples: [MeterSample(sampledAt: begin, unit: "Wh", value: 10_000)]))
        let end = TransactionEvent(
            kind: .ended, transactionId: id, seqNo: 1, timestamp: wallClock(), triggerReason: "EVDeparted",
            stoppedReason: "EVDisconnected", evseId: 1, connectorId: 1,
            samples: [MeterSample(sampledAt: wallClock(), unit: "Wh", context: "Transaction.End", value: 12_500)])
        _ = try await store.recordTransactionEvent(station: station.pk, event: end)
        _ = try await store.recordTransactionEvent(station: station.pk, event: end)
        u = try await usage(f, tenantID: t.tenant.id)
        #expect(u.sessions == 2)
        #expect(u.energyWh == 5000)
    }

    @Test func aStationIsActiveInTheMonthItWasSeen() async throws {
        let f = try await ChargingFixture.shared.value
        let (t, store) = try await freshTenant(f)
        let seen = try await t.newStation()
        _ = try await t.newStation()  // never connects: not active
        _ = try await store.recordBoot(
            station: seen.pk, info: BootInfo(ocppVersion: "ocpp1.6", vendor: "V", model: "M"), at: wallClock())
        try await store.touch(station: seen.pk, at: wallClock(offset: 60))
        let active = try await f.database.control.query(
            """
            SELECT identity FROM csms.usage_active_stations
            WHERE tenant_id = \(t.tenant.id)::uuid AND month = date_trunc('month', now() AT TIME ZONE 'UTC')::date
            """)
        #expect(try active.rows.map { try $0.decode(String.self, column: 0) } == [seen.identity])
    }

    @Test func aStationBeyondThePlanMaximumIsRejectedAtBoot() async throws {
        let f = try await ChargingFixture.shared.value
        let (t, store) = try await freshTenant(f, stationLimit: 2)
        let first = try await t.newStation()
        let second = try await t.newStation()
        let third = try await t.newStation()
        let info = BootInfo(ocppVersion: "ocpp2.0.1", vendor: "V", model: "M")
        // The order of boots does not matter: the first two stations registered are admitted.
        #expect(try await store.recordBoot(station: third.pk, info: info, at: wallClock()) == .rejected)
        #expect(try await store.recordBoot(station: first.pk, info: info, at: wallClock()) == .accepted)
        #expect(try await store.recordBoot(station: second.pk, info: info, at: wallClock()) == .accepted)
        #expect(try await store.recordBoot(station: third.pk, info: info, at: wallClock()) == .rejected)
        // Without a limit the same station is accepted.
        #expect(try await t.store.recordBoot(station: third.pk, info: info, at: wallClock()) == .accepted)
    }

    @Test func apiCallsAreAddedInBatches() async throws {
        let f = try await ChargingFixture.shared.value
        let (t, _) = try await freshTenant(f)
        let meter = UsageMeter(postgres: t.pool, logger: ChargingFixture.logger)
        for _ in 0..<3 { meter.countAPICall() }
        try await meter.flush()
        meter.countAPICall()
        try await meter.flush()
        try await meter.flush()  // nothing pending: no write
        let calls = try await f.database.control.query(
            """
            SELECT api_calls FROM csms.usage_months
            WHERE tenant_id = \(t.tenant.id)::uuid AND month = date_trunc('month', now() AT TIME ZONE 'UTC')::date
            """)
        #expect(try calls.rows.map { try $0.decode(Int64.self, column: 0) } == [4])
    }
}

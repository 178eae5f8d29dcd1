// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Logging
import Postgres
import Redis
import TestSupport
import Testing

@Suite("Stations, status, variables and events")
struct StationStoreTests {
    @Test func pendingRegistrationUpsertAndBoot() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let identity = "NEW-\(TestEnvironment.uniqueSuffix())"
        #expect(try await t.store.station(identity: identity) == nil)
        // Two connections of an unknown station at once get the same row.
        async let one = t.store.registerPendingStation(identity: identity, passwordHash: "hash-1")
        async let two = t.store.registerPendingStation(identity: identity, passwordHash: "hash-1")
        let (r1, r2) = try await (one, two)
        #expect(r1.pk == r2.pk)
        #expect(r1.registrationStatus == .pending && r1.passwordHash == "hash-1")

        let accepted = try await t.store.upsertStation(
            identity: identity, registrationStatus: .accepted, passwordHash: nil)
        #expect(accepted.pk == r1.pk && accepted.registrationStatus == .accepted)
        #expect(accepted.passwordHash == "hash-1")

        let bootAt = wallClock()
        let status = try await t.store.recordBoot(
            station: accepted.pk,
            info: BootInfo(
                ocppVersion: "ocpp2.0.1", vendor: "ACME", model: "Fast-1", serialNumber: "SN-9",
                firmwareVersion: "1.2.3",
                reason: "PowerUp"),
            at: bootAt)
        #expect(status == .accepted)
        let stored = try #require(try await t.store.station(identity: identity))
        #expect(stored.vendor == "ACME" && stored.model == "Fast-1" && stored.serialNumber == "SN-9")
        #expect(stored.firmwareVersion == "1.2.3" && stored.ocppVersion == "ocpp2.0.1")
        #expect(stored.lastBootAt.micros == bootAt.micros && stored.lastSeenAt.micros == bootAt.micros)

        await #expect(throws: ChargingStoreError.self) {
            _ = try await t.store.recordBoot(
                station: -1, info: BootInfo(ocppVersion: "ocpp1.6", vendor: "x", model: "y"), at: bootAt)
        }
        let listed = try await t.store.listStations(limit: 10_000)
        #expect(listed.contains { $0.identity == identity })
    }

    @Test func touchIsCoalescedPerStation() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let t0 = wallClock()
        func lastSeen() async throws -> Int64? {
            try await t.store.station(identity: station.identity)?.lastSeenAt.micros
        }
        try await t.store.touch(station: station.pk, at: t0)
        #expect(try await lastSeen() == t0.micros)
        try await t.store.touch(station: station.pk, at: t0.addingTimeInterval(10))
        #expect(try await lastSeen() == t0.micros)
        try await t.store.touch(station: station.pk, at: t0.addingTimeInterval(31))
        #expect(try await lastSeen() == t0.addingTimeInterval(31).micros)
        // Never backwards.
        try await t.store.touch(station: station.pk, at: t0.addingTimeInterval(-100))
        #expect(try await lastSeen() == t0.addingTimeInterval(31).micros)
    }

    @Test func statusIsStoredAndLiveInRedis() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let t0 = wallClock(offset: -60)
        let c1 = ConnectorStatus(
            evseId: 1, connectorId: 1, status: "Charging", errorCode: "NoError", info: "ok", timestamp: t0)
        let c2 = ConnectorStatus(
            evseId: 2, connectorId: 1, status: "Faulted", errorCode: "GroundFailure",
            vendorErrorCode: "E42", timestamp: t0)
        let whole = ConnectorStatus(
            evseId: 0, connectorId: 0, status: "Unavailable", errorCode: "NoError", timestamp: t0)
        for s in [c1, c2, whole] {
            try await t.store.recordStatus(station: station.pk, identity: station.identity, status: s)
        }
        #expect(
            try await t.store.liveStatuses(identity: station.identity).map(\.comparable)
                == [whole, c1, c2].map(\.comparable))
        // An older status (delivered late) changes neither the durable nor the live state.
        let older = ConnectorStatus(
            evseId: 1, connectorId: 1, status: "Available", timestamp: t0.addingTimeInterval(-30))
        try await t.store.recordStatus(station: station.pk, identity: station.identity, status: older)
        let newer = ConnectorStatus(
            evseId: 2, connectorId: 1, status: "Available", errorCode: "NoError",
            timestamp: t0.addingTimeInterval(30))
        try await t.store.recordStatus(station: station.pk, identity: station.identity, status: newer)
        #expect(
            try await t.store.liveStatuses(identity: station.identity).map(\.comparable)
                == [whole, c1, newer].map(\.comparable))
        let durable = try await t.pool.query(
            """
            SELECT e.evse_id, c.status, c.error_code FROM csms.connectors c JOIN csms.evses e ON e.id = c.evse_pk
            WHERE e.station_id = \(station.pk) ORDER BY e.evse_id
            """
        ).map {
            "\(try $0.decode(Int.self, column: 0)):\(try $0.decode(String.self, column: 1)):\(try $0.decode(String.self, column: 2))"
        }
        #expect(durable == ["1:Charging:NoError", "2:Available:NoError"])
        let stationStatus = try await t.pool.scalar(
            "SELECT status FROM csms.stations WHERE id = \(station.pk)", as: String.self)
        #expect(stationStatus == "Unavailable")
        // The hash lives under the tenant's prefix, readable by the admin too.
        let admin = try ChargingFixture.redisAdmin()
        let field = try await admin.command(["HGET", "t:\(t.slug):status:\(station.identity)", "1/1"])
        await admin.shutdown()
        #expect(field.string?.contains("\"status\":\"Charging\"") == true)
        try await t.store.clearLiveStatuses(identity: station.identity)
        #expect(try await t.store.liveStatuses(identity: station.identity).isEmpty)
    }

    @Test func aRedisFailureDoesNotFailTheDurableWrite() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let deadRedis = RedisClient(
            configuration: RedisConfiguration(
                host: "127.0.0.1", port: try TestEnvironment.freePort(), connectTimeout: .milliseconds(300)),
            logger: ChargingFixture.logger)
        let store = PostgresChargingStore(
            postgres: t.pool, redis: deadRedis, tenantSlug: t.slug, logger: ChargingFixture.logger)
        let station = try await t.newStation()
        try await store.recordStatus(
            station: station.pk, identity: station.identity,
            status: ConnectorStatus(evseId: 3, connectorId: 2, status: "Reserved", timestamp: wallClock()))
        let status = try await t.pool.scalar(
            """
            SELECT c.status FROM csms.connectors c JOIN csms.evses e ON e.id = c.evse_pk
            WHERE e.station_id = \(station.pk) AND e.evse_id = 3 AND c.connector_id = 2
            """, as: String.self)
        #expect(status == "Reserved")
        await #expect(throws: (any Error).self) { _ = try await store.liveStatuses(identity: station.identity) }
        await deadRedis.shutdown()
    }

    @Test func variablesAreUpsertedWithAbsentPartsComparedEqual() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let first: [StationVariable] = [
            StationVariable(
                component: "OCPPCommCtrlr", variable: "HeartbeatInterval", value: "300", mutability: "ReadWrite",
                dataType: "integer", unit: "s"),
            StationVariable(
                component: "EVSE", evseId: 1, variable: "Power", attributeType: "MaxSet", value: "22000",
                mutability: "ReadOnly", dataType: "decimal", unit: "W"),
            StationVariable(component: "OCPP16", variable: "MeterValueSampleInterval", value: "60"),
            StationVariable(
                component: "Connector", evseId: 1, connectorId: 1, variable: "ConnectorType", value: "cType2"),
        ]
        try await t.store.recordVariables(station: station.pk, variables: first, at: wallClock())
        // A later GetVariables result: new values, no characteristics.
        try await t.store.recordVariables(
            station: station.pk,
            variables: [
                StationVariable(component: "OCPPCommCtrlr", variable: "HeartbeatInterval", value: "600"),
                StationVariable(component: "OCPP16", variable: "MeterValueSampleInterval", value: "30"),
                StationVariable(
                    component: "EVSE", evseId: 1, variable: "Power", attributeType: "Actual", value: "7400"),
            ], at: wallClock())
        let stored = try await t.store.variables(station: station.pk)
        #expect(stored.count == 5)
        let heartbeat = try #require(stored.first { $0.variable == "HeartbeatInterval" })
        #expect(heartbeat.value == "600" && heartbeat.mutability == "ReadWrite" && heartbeat.unit == "s")
        #expect(stored.first { $0.component == "OCPP16" }?.value == "30")
        #expect(stored.filter { $0.variable == "Power" }.map(\.attributeType).sorted() == ["Actual", "MaxSet"])
        #expect(stored.first { $0.variable == "ConnectorType" }?.connectorId == 1)
    }

    @Test func eventsAreKeptWithTheirPayload() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let at = wallClock()
        try await t.store.recordEvent(
            station: station.pk,
            event: StationEvent(
                kind: "FirmwareStatusNotification", occurredAt: at, summary: "Installed",
                detailsJSON: #"{"status":"Installed","requestId":7}"#))
        try await t.store.recordEvent(
            station: station.pk,
            event: StationEvent(
                kind: "SecurityEventNotification", occurredAt: at.addingTimeInterval(1),
                summary: String(repeating: "x", count: 5000), detailsJSON: #"{"type":"SettingSystemTime"}"#))
        let events = try await t.store.stationEvents(station: station.pk)
        #expect(events.map(\.kind) == ["SecurityEventNotification", "FirmwareStatusNotification"])
        #expect(events[0].summary.count == 1000)
        #expect(events[1].occurredAt.micros == at.micros && events[1].summary == "Installed")
        #expect(events[1].detailsJSON.contains("\"requestId\": 7"))
    }
}

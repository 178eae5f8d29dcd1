// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Logging
import Postgres
import TestFixtures
import TestSupport
import Testing

/// OCPP 1.6 StartTransaction / MeterValues / StopTransaction through the store, against the real
/// database as the tenant's own role.
@Suite("OCPP 1.6 transactions")
struct Transaction16Tests {
    @Test func startMeterValuesStopStoresEnergyAndSamplesInTimeOrder() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let token = try await t.newToken()
        let start = wallClock(offset: -600)
        let outcome = try await t.store.startTransaction(
            station: station.pk,
            start: TransactionStart(connectorId: 2, idToken: token, startedAt: start, meterStartWh: 1000))
        #expect(outcome.authorization.status == .accepted)
        #expect(!outcome.duplicate)
        let txID = outcome.transactionId
        // MeterValues for the transaction; one sample in kWh (kept as sent, with its unit).
        var samples = energySamples(from: start.addingTimeInterval(60), count: 3, firstWh: 2000)
        samples.append(MeterSample(sampledAt: start.addingTimeInterval(30), unit: "kWh", value: 1.5))
        try await t.store.recordMeterValues(
            station: station.pk, evseId: 2, transactionRemoteId: String(txID), samples: samples)
        let stop = try await t.store.stopTransaction(
            station: station.pk,
            stop: TransactionStop(
                transactionId: txID, idToken: token, stoppedAt: start.addingTimeInterval(300), meterStopWh: 5500,
                reason: "EVDisconnected",
                samples: [
                    MeterSample(
                        sampledAt: start.addingTimeInterval(300), unit: "Wh", context: "Transaction.End", value: 5500)
                ]))
        #expect(
            stop
                == TransactionStopOutcome(
                    authorization: AuthorizationResult(status: .accepted), orphan: false,
                    duplicate: false))

        let read = try await t.store.transaction(pk: txID)
        let (record, stored) = try #require(read)
        #expect(record.status == "completed")
        #expect(record.remoteId == String(txID))
        #expect(record.stationIdentity == station.identity)
        #expect(record.evseId == 2 && record.connectorId == 1)
        #expect(record.startedAt.micros == start.micros)
        #expect(record.stoppedAt.micros == start.addingTimeInterval(300).micros)
        #expect(record.energyWh == 4500)
        #expect(record.stopReason == "EVDisconnected")
        #expect(stored.count == 5)
        #expect(stored.map(\.sampledAt) == stored.map(\.sampledAt).sorted())
        #expect(stored.first?.unit == "kWh" && stored.first?.value == 1.5)
        #expect(stored.last?.context == "Transaction.End")

        // The EVSE and connector rows were created on first sight.
        let connectors = try await t.pool.scalar(
            """
            SELECT count(*) FROM csms.connectors c JOIN csms.evses e ON e.id = c.evse_pk
            WHERE e.station_id = \(station.pk) AND e.evse_id = 2 AND c.connector_id = 1
            """, as: Int.self)
        #expect(connectors == 1)

        // A resent stop changes nothing.
        let again = try await t.store.stopTransaction(
            station: station.pk,
            stop: TransactionStop(
                transactionId: txID, idToken: nil, stoppedAt: start.addingTimeInterval(999), meterStopWh: 9999,
                reason: "Other", samples: []))
        #expect(again.duplicate && !again.orphan && again.authorization == nil)
        let (after, afterSamples) = try #require(try await t.store.transaction(pk: txID))
        #expect(after.meterStopWh == 5500 && after.stopReason == "EVDisconnected")
        #expect(afterSamples.count == 5)

        let listed = try await t.store.transactions(
            filter: TransactionFilter(stationIdentity: station.identity, status: "completed"))
        #expect(listed.map(\.pk) == [txID])
    }

    @Test func resentStartTransactionReturnsTheSameIdAndStoresOneRow() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let token = try await t.newToken()
        let start = TransactionStart(connectorId: 1, idToken: token, startedAt: wallClock(), meterStartWh: 12345.5)
        let first = try await t.store.startTransaction(station: station.pk, start: start)
        let second = try await t.store.startTransaction(station: station.pk, start: start)
        #expect(!first.duplicate)
        #expect(second.duplicate)
        #expect(second.transactionId == first.transactionId)
        #expect(second.authorization.status == .accepted)
        let rows = try await t.pool.scalar(
            "SELECT count(*) FROM csms.transactions WHERE station_id = \(station.pk)", as: Int.self)
        #expect(rows == 1)
        // A different meter start is a different transaction.
        var other = start
        other.meterStartWh = 12346
        let third = try await t.store.startTransaction(station: station.pk, start: other)
        #expect(!third.duplicate && third.transactionId != first.transactionId)
    }

    @Test func concurrentResendsInsertOneRow() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let token = try await t.newToken()
        let start = TransactionStart(connectorId: 1, idToken: token, startedAt: wallClock(), meterStartWh: 77)
        let outcomes = try await withThrowingTaskGroup(of: TransactionStartOutcome.self) { group in
            for _ in 0..<6 {
                group.addTask { try await t.store.startTransaction(station: station.pk, start: start) }
            }
            var all: [TransactionStartOutcome] = []
            for try await o in group { all.append(o) }
            return all
        }
        #expect(Set(outcomes.map(\.transactionId)).count == 1)
        #expect(outcomes.filter { !$0.duplicate }.count == 1)
        let rows = try await t.pool.scalar(
            "SELECT count(*) FROM csms.transactions WHERE station_id = \(station.pk)", as: Int.self)
        #expect(rows == 1)
    }

    @Test func stopOfAnUnknownTransactionIsStoredAsAnOrphan() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let stoppedAt = wallClock()
        let stop = TransactionStop(
            transactionId: 987_654_321_000, idToken: "NOT-KNOWN", stoppedAt: stoppedAt, meterStopWh: 4321,
            reason: "Local", samples: energySamples(from: stoppedAt.addingTimeInterval(-10), count: 2, firstWh: 4300))
        let first = try await t.store.stopTransaction(station: station.pk, stop: stop)
        #expect(first.orphan && !first.duplicate)
        #expect(first.authorization?.status == .unknown)
        // The same stop again is a resend of it.
        let again = try await t.store.stopTransaction(station: station.pk, stop: stop)
        #expect(again.orphan && again.duplicate)
        // Stations send -1 when StartTransaction.conf never came: a different stop with the same id is
        // another orphan, not a resend.
        var other = stop
        other.meterStopWh = 5000
        other.stoppedAt = stoppedAt.addingTimeInterval(60)
        let second = try await t.store.stopTransaction(station: station.pk, stop: other)
        #expect(second.orphan && !second.duplicate)

        let orphans = try await t.store.transactions(
            filter: TransactionFilter(stationIdentity: station.identity, status: "orphan"))
        #expect(orphans.count == 2)
        let plain = try #require(orphans.first { $0.remoteId == "987654321000" })
        #expect(plain.idToken == "NOT-KNOWN" && plain.meterStopWh == 4321 && plain.stoppedAt.micros == stoppedAt.micros)
        #expect(plain.startedAt == nil && plain.meterStartWh == nil)
        #expect(orphans.contains { $0.remoteId.hasPrefix("987654321000~") })
        let (_, samples) = try #require(try await t.store.transaction(pk: plain.pk))
        #expect(samples.count == 2)
    }

    @Test func startAnswersConcurrentTxWhenTheTokenIsActiveElsewhereAndStoresIt() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let otherStation = try await t.newStation()
        let token = try await t.newToken()
        let now = wallClock()
        let first = try await t.store.startTransaction(
            station: station.pk,
            start: TransactionStart(connectorId: 1, idToken: token, startedAt: now, meterStartWh: 0))
        #expect(first.authorization.status == .accepted)
        let sameConnectorAgain = try await t.store.startTransaction(
            station: station.pk,
            start: TransactionStart(
                connectorId: 1, idToken: token, startedAt: now.addingTimeInterval(5), meterStartWh: 3))
        #expect(sameConnectorAgain.authorization.status == .accepted)
        let otherConnector = try await t.store.startTransaction(
            station: station.pk,
            start: TransactionStart(
                connectorId: 2, idToken: token, startedAt: now.addingTimeInterval(10), meterStartWh: 0))
        #expect(otherConnector.authorization.status == .concurrentTx)
        #expect(!otherConnector.duplicate)
        let elsewhere = try await t.store.startTransaction(
            station: otherStation.pk,
            start: TransactionStart(
                connectorId: 1, idToken: token, startedAt: now.addingTimeInterval(20), meterStartWh: 0))
        #expect(elsewhere.authorization.status == .concurrentTx)
        // Stored regardless (OCPP 1.6 §4.8), with the answer given.
        let answers = try await t.pool.query(
            "SELECT authorization_status FROM csms.transactions WHERE id_token = \(token) ORDER BY id"
        ).map { try $0.decode(String.self, column: 0) }
        #expect(answers == ["Accepted", "Accepted", "ConcurrentTx", "ConcurrentTx"])
        // A blocked token is reported as blocked, not ConcurrentTx, and stored too.
        let blocked = try await t.newToken(status: "blocked")
        let b = try await t.store.startTransaction(
            station: station.pk,
            start: TransactionStart(connectorId: 3, idToken: blocked, startedAt: now, meterStartWh: 0))
        #expect(b.authorization.status == .blocked)
        let unknown = try await t.store.startTransaction(
            station: station.pk,
            start: TransactionStart(connectorId: 4, idToken: "NEVER-SEEN-1", startedAt: now, meterStartWh: 0))
        #expect(unknown.authorization.status == .unknown)
        #expect(unknown.authorization.status.ocpp16 == "Invalid")
    }

    @Test func meterValuesForAnUnknownTransactionAreKeptUnlinked() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        try await t.store.recordMeterValues(
            station: station.pk, evseId: 1, transactionRemoteId: "424242424242",
            samples: energySamples(from: wallClock(), count: 4, firstWh: 10))
        try await t.store.recordMeterValues(
            station: station.pk, evseId: nil, transactionRemoteId: nil,
            samples: [MeterSample(sampledAt: wallClock(), measurand: "Voltage", phase: "L1", unit: "V", value: 230.1)])
        let rows = try await t.pool.query(
            """
            SELECT count(*), count(transaction_id), count(*) FILTER (WHERE phase = 'L1' AND unit = 'V')
            FROM csms.meter_values WHERE station_id = \(station.pk)
            """
        ).rows[0]
        #expect(try rows.decode(Int.self, column: 0) == 5)
        #expect(try rows.decode(Int.self, column: 1) == 0)
        #expect(try rows.decode(Int.self, column: 2) == 1)
    }

    /// A new 1.6 transaction whose id an orphan already uses (a stop for an id this CSMS had not
    /// assigned yet) takes the number; the orphan keeps its data under `<number>~<pk>`. Runs in a
    /// database of its own, where the ids are predictable.
    @Test func aNewTransactionTakesItsNumberFromAnOrphan() async throws {
        let db = try await TestDatabase.create(prefix: "csms_domain_ids")
        let t = try await ChargingFixture.makeTenant(db, slug: "ids\(TestEnvironment.uniqueSuffix())", connections: 2)
        let station = try await t.newStation()
        let now = wallClock()
        // The orphan itself gets id 1; the next two transactions get 2 and 3.
        let orphan = try await t.store.stopTransaction(
            station: station.pk,
            stop: TransactionStop(
                transactionId: 3, idToken: nil, stoppedAt: now, meterStopWh: 10, reason: nil, samples: []))
        #expect(orphan.orphan)
        let two = try await t.store.startTransaction(
            station: station.pk, start: TransactionStart(connectorId: 1, idToken: "A1", startedAt: now, meterStartWh: 0)
        )
        let three = try await t.store.startTransaction(
            station: station.pk, start: TransactionStart(connectorId: 2, idToken: "A2", startedAt: now, meterStartWh: 0)
        )
        #expect(two.transactionId == 2 && three.transactionId == 3)
        let remoteIDs = try await t.store.transactions(filter: TransactionFilter()).map(\.remoteId).sorted()
        #expect(remoteIDs == ["2", "3", "3~1"])
        // The stop of transaction 3 now reaches the real one.
        let stop = try await t.store.stopTransaction(
            station: station.pk,
            stop: TransactionStop(
                transactionId: 3, idToken: nil, stoppedAt: now.addingTimeInterval(60), meterStopWh: 700,
                reason: "Local", samples: []))
        #expect(!stop.orphan && !stop.duplicate)
        let (record, _) = try #require(try await t.store.transaction(pk: 3))
        #expect(record.status == "completed" && record.energyWh == 700)
        await t.pool.shutdown()
        await t.redis.shutdown()
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Postgres
import TestSupport
import Testing

/// OCPP 2.0.1 TransactionEvent: idempotent by (station, transactionId, seqNo), gaps recorded,
/// nothing refused for arriving late or out of order.
@Suite("OCPP 2.0.1 TransactionEvent")
struct TransactionEventTests {
    func event(
        _ kind: TransactionEvent.Kind, _ txID: String, seq: Int, at: Date, trigger: String = "MeterValuePeriodic",
        offline: Bool = false, state: String? = nil, reason: String? = nil, token: String? = nil,
        tokenType: String? = nil, samples: [MeterSample] = []
    ) -> TransactionEvent {
        TransactionEvent(
            kind: kind, transactionId: txID, seqNo: seq, timestamp: at, triggerReason: trigger, offline: offline,
            chargingState: state, stoppedReason: reason, evseId: 1, connectorId: 1, idToken: token,
            idTokenType: tokenType, samples: samples)
    }

    func newTransactionID() -> String { UUID().uuidString.lowercased() }

    @Test func startedUpdatedEndedCompletesTheTransactionWithEnergy() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        // An EVSE and connector known from a StatusNotification get linked.
        try await t.store.recordStatus(
            station: station.pk, identity: station.identity,
            status: ConnectorStatus(evseId: 1, connectorId: 1, status: "Occupied", timestamp: wallClock(offset: -700)))
        let token = try await t.newToken(type: "ISO14443")
        let tx = newTransactionID()
        let t0 = wallClock(offset: -600)
        let started = try await t.store.recordTransactionEvent(
            station: station.pk,
            event: event(
                .started, tx, seq: 0, at: t0, trigger: "Authorized", state: "Charging", token: token,
                tokenType: "ISO14443",
                samples: [
                    MeterSample(sampledAt: t0, unit: "kWh", context: "Transaction.Begin", value: 1.5)
                ]))
        #expect(
            started
                == TransactionEventOutcome(
                    authorization: AuthorizationResult(status: .accepted), duplicate: false, missingSeqNos: []))
        let updated = try await t.store.recordTransactionEvent(
            station: station.pk,
            event: event(
                .updated, tx, seq: 1, at: t0.addingTimeInterval(60), state: "SuspendedEV",
                samples: [
                    MeterSample(sampledAt: t0.addingTimeInterval(60), unit: "kWh", value: 4),
                    MeterSample(
                        sampledAt: t0.addingTimeInterval(60), measurand: "Current.Import", phase: "L1", unit: "A",
                        value: 16),
                ]))
        #expect(!updated.duplicate && updated.authorization == nil && updated.missingSeqNos.isEmpty)
        let ended = try await t.store.recordTransactionEvent(
            station: station.pk,
            event: event(
                .ended, tx, seq: 2, at: t0.addingTimeInterval(120), trigger: "EVCommunicationLost",
                state: "Idle", reason: "EVDisconnected",
                samples: [
                    MeterSample(sampledAt: t0.addingTimeInterval(110), unit: "kWh", value: 12.2),
                    MeterSample(
                        sampledAt: t0.addingTimeInterval(120), unit: "kWh", context: "Transaction.End", value: 12.25),
                    // A phase reading is not the transaction's meter.
                    MeterSample(sampledAt: t0.addingTimeInterval(121), phase: "L1", unit: "kWh", value: 99),
                ]))
        #expect(!ended.duplicate)

        let record = try #require(
            try await t.store.transactions(filter: TransactionFilter(stationIdentity: station.identity)).first)
        #expect(record.remoteId == tx)
        #expect(record.status == "completed")
        #expect(record.startedAt.micros == t0.micros && record.stoppedAt.micros == t0.addingTimeInterval(120).micros)
        #expect(record.meterStartWh == 1500 && record.meterStopWh == 12250)
        #expect(record.energyWh == 10750)
        #expect(record.stopReason == "EVDisconnected")
        #expect(record.idToken == token)
        #expect(record.evseId == 1 && record.connectorId == 1)
        let (_, samples) = try #require(try await t.store.transaction(pk: record.pk))
        #expect(samples.count == 6)
        let row = try await t.pool.query(
            """
            SELECT last_seq_no, charging_state, id_token_type, evse_pk IS NOT NULL AND connector_pk IS NOT NULL,
                (SELECT count(*) FROM csms.transaction_events e WHERE e.transaction_pk = t.id)
            FROM csms.transactions t WHERE id = \(record.pk)
            """
        ).rows[0]
        #expect(try row.decode(Int.self, column: 0) == 2)
        #expect(try row.decode(String.self, column: 1) == "Idle")
        #expect(try row.decode(String.self, column: 2) == "ISO14443")
        #expect(try row.decode(Bool.self, column: 3))
        #expect(try row.decode(Int.self, column: 4) == 3)
    }

    @Test func aReplayedEventIsAnsweredWithoutAWrite() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let tx = newTransactionID()
        let t0 = wallClock()
        let started = event(.started, tx, seq: 0, at: t0, samples: energySamples(from: t0, count: 2, firstWh: 100))
        let first = try await t.store.recordTransactionEvent(station: station.pk, event: started)
        let second = try await t.store.recordTransactionEvent(station: station.pk, event: started)
        #expect(!first.duplicate)
        #expect(second.duplicate && second.missingSeqNos.isEmpty)
        // Replays at the same moment (two connections of one station) store it once too.
        let updated = event(.updated, tx, seq: 1, at: t0, samples: energySamples(from: t0, count: 3, firstWh: 200))
        let outcomes = try await withThrowingTaskGroup(of: TransactionEventOutcome.self) { group in
            for _ in 0..<4 {
                group.addTask { try await t.store.recordTransactionEvent(station: station.pk, event: updated) }
            }
            var all: [TransactionEventOutcome] = []
            for try await o in group { all.append(o) }
            return all
        }
        #expect(outcomes.filter { !$0.duplicate }.count == 1)
        let counts = try await t.pool.query(
            """
            SELECT (SELECT count(*) FROM csms.transactions WHERE station_id = \(station.pk)),
                   (SELECT count(*) FROM csms.transaction_events WHERE station_id = \(station.pk)),
                   (SELECT count(*) FROM csms.meter_values WHERE station_id = \(station.pk))
            """
        ).rows[0]
        #expect(try counts.decode(Int.self, column: 0) == 1)
        #expect(try counts.decode(Int.self, column: 1) == 2)
        #expect(try counts.decode(Int.self, column: 2) == 5)
    }

    @Test func gapsInSeqNoAreRecorded() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let tx = newTransactionID()
        let t0 = wallClock()
        func send(_ kind: TransactionEvent.Kind, _ seq: Int) async throws -> [Int] {
            let o = try await t.store.recordTransactionEvent(
                station: station.pk, event: event(kind, tx, seq: seq, at: t0.addingTimeInterval(Double(seq))))
            #expect(!o.duplicate)
            return o.missingSeqNos
        }
        #expect(try await send(.started, 0) == [])
        #expect(try await send(.updated, 1) == [])
        #expect(try await send(.updated, 4) == [2, 3])
        #expect(try await send(.updated, 3) == [2])
        #expect(try await send(.ended, 7) == [2, 5, 6])
        let stored = try await t.pool.scalar(
            "SELECT missing_seq_nos FROM csms.transaction_events WHERE remote_id = \(tx) AND seq_no = 7",
            as: [Int].self)
        #expect(stored == [2, 5, 6])
    }

    @Test func missingSeqNosAreBoundedAndCountFromTheStartedEvent() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        // A station that numbers events globally: its Started has seqNo 5000, nothing is missing.
        let tx = newTransactionID()
        let started = try await t.store.recordTransactionEvent(
            station: station.pk, event: event(.started, tx, seq: 5000, at: wallClock()))
        #expect(started.missingSeqNos.isEmpty)
        let next = try await t.store.recordTransactionEvent(
            station: station.pk, event: event(.updated, tx, seq: 5003, at: wallClock()))
        #expect(next.missingSeqNos == [5001, 5002])
        // A huge jump reports at most 100 values, lowest first.
        let lost = newTransactionID()
        let far = try await t.store.recordTransactionEvent(
            station: station.pk, event: event(.updated, lost, seq: 2_000_000_000, at: wallClock()))
        #expect(far.missingSeqNos == Array(0..<100))
    }

    @Test func updatedOrEndedBeforeStartedCreatesTheTransaction() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let tx = newTransactionID()
        let t0 = wallClock(offset: -300)
        let updated = try await t.store.recordTransactionEvent(
            station: station.pk,
            event: event(.updated, tx, seq: 2, at: t0.addingTimeInterval(60), offline: true, state: "Charging"))
        #expect(updated.missingSeqNos == [0, 1])
        var record = try #require(
            try await t.store.transactions(filter: TransactionFilter(stationIdentity: station.identity)).first)
        #expect(record.status == "active" && record.startedAt == nil)
        // The Started arrives late (offline queue): it fills in the start, does not change the state.
        let started = try await t.store.recordTransactionEvent(
            station: station.pk,
            event: event(
                .started, tx, seq: 0, at: t0, state: "EVConnected",
                samples: [MeterSample(sampledAt: t0, unit: "Wh", context: "Transaction.Begin", value: 800)]))
        #expect(started.missingSeqNos.isEmpty)
        record = try #require(try await t.store.transaction(pk: record.pk)).0
        #expect(record.startedAt.micros == t0.micros && record.meterStartWh == 800 && record.status == "active")
        let state = try await t.pool.scalar(
            "SELECT charging_state || ':' || offline::text FROM csms.transactions WHERE id = \(record.pk)",
            as: String.self)
        #expect(state == "Charging:true")

        // An Ended for a transaction never seen creates it completed; no stoppedReason means Local.
        let lost = newTransactionID()
        let ended = try await t.store.recordTransactionEvent(
            station: station.pk,
            event: event(
                .ended, lost, seq: 1, at: t0, trigger: "StopAuthorized", token: "STOPPER-1", tokenType: "ISO14443",
                samples: [MeterSample(sampledAt: t0, unit: "Wh", value: 321)]))
        #expect(ended.missingSeqNos == [0])
        #expect(ended.authorization?.status == .unknown)
        let endedRecord = try #require(
            try await t.store.transactions(filter: TransactionFilter(stationIdentity: station.identity))
                .first { $0.remoteId == lost })
        #expect(endedRecord.status == "completed" && endedRecord.stopReason == "Local")
        #expect(endedRecord.meterStopWh == 321 && endedRecord.stoppedAt.micros == t0.micros)
        // A late Started does not reopen it.
        _ = try await t.store.recordTransactionEvent(
            station: station.pk, event: event(.started, lost, seq: 0, at: t0.addingTimeInterval(-60)))
        let reread = try #require(try await t.store.transaction(pk: endedRecord.pk)).0
        #expect(reread.status == "completed" && reread.startedAt.micros == t0.addingTimeInterval(-60).micros)
    }

    @Test func tokensInEventsAreCheckedWithConcurrentTx() async throws {
        let f = try await ChargingFixture.shared.value
        let t = f.a
        let station = try await t.newStation()
        let token = try await t.newToken(type: "ISO14443")
        let first = newTransactionID()
        let a = try await t.store.recordTransactionEvent(
            station: station.pk,
            event: event(.started, first, seq: 0, at: wallClock(), token: token, tokenType: "ISO14443"))
        #expect(a.authorization?.status == .accepted)
        // The same token again in this transaction is fine ...
        let again = try await t.store.recordTransactionEvent(
            station: station.pk,
            event: event(.updated, first, seq: 1, at: wallClock(), token: token, tokenType: "ISO14443"))
        #expect(again.authorization?.status == .accepted)
        // ... in another one while the first is active it is not.
        let second = try await t.store.recordTransactionEvent(
            station: station.pk,
            event: event(.started, newTransactionID(), seq: 0, at: wallClock(), token: token, tokenType: "ISO14443"))
        #expect(second.authorization?.status == .concurrentTx)
        // The type is part of the token's key.
        let wrongType = try await t.store.recordTransactionEvent(
            station: station.pk,
            event: event(.started, newTransactionID(), seq: 0, at: wallClock(), token: token, tokenType: "KeyCode"))
        #expect(wrongType.authorization?.status == .unknown)
    }
}

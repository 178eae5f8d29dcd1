// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Postgres
import TestSupport
import Testing

/// Figures for the hot path, printed and not asserted (they depend on the machine and its load):
/// MeterValues messages of 4 samples each, one caller after another and 8 at once.
@Suite("Meter value throughput")
struct ThroughputTests {
    @Test func recordMeterValuesThroughput() async throws {
        let f = try await ChargingFixture.shared.value
        let t = try await ChargingFixture.makeTenant(
            f.database, slug: "tp\(TestEnvironment.uniqueSuffix())", connections: 8)
        let station = try await t.newStation()
        let token = try await t.newToken()
        let tx = try await t.store.startTransaction(
            station: station.pk,
            start: TransactionStart(connectorId: 1, idToken: token, startedAt: wallClock(), meterStartWh: 0))
        let remoteID = String(tx.transactionId)
        func message(_ i: Int) -> [MeterSample] {
            let at = wallClock()
            return [
                MeterSample(sampledAt: at, unit: "Wh", context: "Sample.Periodic", value: Double(i)),
                MeterSample(sampledAt: at, measurand: "Power.Active.Import", unit: "W", value: 7400),
                MeterSample(sampledAt: at, measurand: "Current.Import", phase: "L1", unit: "A", value: 16),
                MeterSample(sampledAt: at, measurand: "Voltage", phase: "L1-N", unit: "V", value: 230),
            ]
        }
        // Warm-up: connections open and statements prepared.
        for i in 0..<50 {
            try await t.store.recordMeterValues(
                station: station.pk, evseId: 1, transactionRemoteId: remoteID, samples: message(i))
        }
        let clock = ContinuousClock()
        let sequentialCount = 2000
        let sequential = try await clock.measure {
            for i in 0..<sequentialCount {
                try await t.store.recordMeterValues(
                    station: station.pk, evseId: 1, transactionRemoteId: remoteID, samples: message(i))
            }
        }
        let callers = 8
        let perCaller = 500
        let concurrent = try await clock.measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for c in 0..<callers {
                    group.addTask {
                        for i in 0..<perCaller {
                            try await t.store.recordMeterValues(
                                station: station.pk, evseId: 1, transactionRemoteId: remoteID,
                                samples: message(c * perCaller + i))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        func rate(_ n: Int, _ d: Duration) -> Int {
            Int(Double(n) / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
        }
        let stored = try await t.pool.scalar(
            "SELECT count(*) FROM csms.meter_values WHERE transaction_id = \(tx.transactionId)", as: Int.self)
        #expect(stored == (50 + sequentialCount + callers * perCaller) * 4)
        print(
            "recordMeterValues (4 samples/message): sequential \(rate(sequentialCount, sequential)) msg/s "
                + "(\(sequentialCount) in \(sequential)); \(callers) concurrent callers "
                + "\(rate(callers * perCaller, concurrent)) msg/s (\(callers * perCaller) in \(concurrent)); "
                + "\(ProcessInfo.processInfo.activeProcessorCount) CPUs")
        await t.pool.shutdown()
        await t.redis.shutdown()
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@Suite("OCPP frame log")
struct FrameLogTests {
    func utcDayName(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    @Test func framesAreWrittenIntoTheDaysPartition() async throws {
        let f = try await ChargingFixture.shared.value
        let log = OCPPFrameLog(postgres: f.a.pool, retentionDays: 30, logger: ChargingFixture.logger)
        #expect(try await log.ensurePartitions() >= 0)
        // Creating them again does nothing.
        #expect(try await log.ensurePartitions() == 0)
        let connection = UUID()
        let now = Date()
        // Frames of a station nobody knows are logged too; a NUL cannot stop a batch.
        let identity = "unknown-\(TestEnvironment.uniqueSuffix())"
        log.append(
            identity: identity, direction: .incoming, connection: connection,
            text: #"[2,"1","BootNotification",{}]"#, at: now)
        log.append(
            identity: identity, direction: .outgoing, connection: connection,
            text: #"[3,"1",{"status":"Rejected"}]"#, at: now)
        log.append(identity: identity, direction: .incoming, connection: connection, text: "bad\u{0}frame", at: now)
        #expect(log.counters.buffered == 3)
        try await log.flush()
        #expect(
            log.counters == OCPPFrameLog.Counters(written: 3, dropped: 0, buffered: 0, failedFlushes: 0, deleted: 0))
        let rows = try await f.control.query(
            """
            SELECT tableoid::regclass::text, direction, frame, connection_id::text FROM csms.ocpp_frames
            WHERE station_identity = \(identity) ORDER BY frame
            """
        ).rows
        #expect(rows.count == 3)
        for row in rows {
            #expect(try row.decode(String.self, column: 0) == "csms.ocpp_frames_\(utcDayName(now))")
            #expect(try row.decode(String.self, column: 3) == connection.uuidString.lowercased())
        }
        #expect(try rows.map { try $0.decode(String.self, column: 2) }.contains("bad\u{FFFD}frame"))
        // The tenant's own role reads its frames through the parent table only.
        let own = try await f.a.pool.scalar(
            "SELECT count(*) FROM csms.ocpp_frames WHERE station_identity = \(identity)", as: Int.self)
        #expect(own == 3)
        let otherTenant = try await f.b.pool.scalar(
            "SELECT count(*) FROM csms.ocpp_frames WHERE station_identity = \(identity)", as: Int.self)
        #expect(otherTenant == 0)
    }

    @Test func runWritesInBatchesUntilCancelled() async throws {
        let f = try await ChargingFixture.shared.value
        // A long retention: run() deletes expired frames at start, and must not take the old frames
        // of the retention test running at the same time.
        let log = OCPPFrameLog(
            postgres: f.a.pool, settings: OCPPFrameLog.Settings(retentionDays: 3650, batchSize: 100),
            logger: ChargingFixture.logger)
        let runner = Task { await log.run() }
        let identity = "run-\(TestEnvironment.uniqueSuffix())"
        let connection = UUID()
        for i in 0..<1250 {
            log.append(
                identity: identity, direction: i % 2 == 0 ? .incoming : .outgoing, connection: connection,
                text: #"[2,"\#(i)","Heartbeat",{}]"#, at: Date())
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while log.counters.written < 1250 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(log.counters.written == 1250)
        // Frames appended right before cancellation still go out.
        log.append(identity: identity, direction: .incoming, connection: connection, text: "last", at: Date())
        runner.cancel()
        await runner.value
        #expect(log.counters.written == 1251 && log.counters.buffered == 0)
        let stored = try await f.a.pool.scalar(
            "SELECT count(*) FROM csms.ocpp_frames WHERE station_identity = \(identity)", as: Int.self)
        #expect(stored == 1251)
    }

    @Test func retentionDeletesOnlyThisTenantsOldFrames() async throws {
        let f = try await ChargingFixture.shared.value
        let settings = OCPPFrameLog.Settings(retentionDays: 30, retentionBatchSize: 7)
        let logA = OCPPFrameLog(postgres: f.a.pool, settings: settings, logger: ChargingFixture.logger)
        let logB = OCPPFrameLog(postgres: f.b.pool, settings: settings, logger: ChargingFixture.logger)
        let identity = "ret-\(TestEnvironment.uniqueSuffix())"
        let old = Date().addingTimeInterval(-40 * 86_400)
        for i in 0..<20 {
            logA.append(identity: identity, direction: .incoming, connection: UUID(), text: "old-\(i)", at: old)
            logB.append(identity: identity, direction: .incoming, connection: UUID(), text: "old-\(i)", at: old)
        }
        logA.append(identity: identity, direction: .incoming, connection: UUID(), text: "new", at: Date())
        try await logA.flush()
        try await logB.flush()
        // Each tenant's retention deletes only its own rows.
        _ = try await logA.deleteExpired()
        let remaining = try await f.control.query(
            """
            SELECT t.slug, count(*) FROM csms.ocpp_frames o JOIN csms.tenants t ON t.id = o.tenant_id
            WHERE o.station_identity = \(identity) GROUP BY t.slug ORDER BY t.slug
            """
        ).map { "\(try $0.decode(String.self, column: 0))=\(try $0.decode(Int.self, column: 1))" }
        #expect(remaining == ["\(f.a.slug)=1", "\(f.b.slug)=20"])
        #expect(logA.counters.deleted >= 20)
        #expect(try await logB.deleteExpired() >= 20)
    }

    @Test func aFullBufferDropsTheOldestWhilePostgresIsDown() async throws {
        let down = PGPool(
            configuration: PGPoolConfiguration(
                conninfo: "host=127.0.0.1 port=\(try TestEnvironment.freePort()) dbname=x user=x connect_timeout=1",
                maxConnections: 1, acquireTimeout: .seconds(2)),
            logger: ChargingFixture.logger)
        let log = OCPPFrameLog(
            postgres: down, settings: OCPPFrameLog.Settings(retentionDays: 1, batchSize: 4, capacity: 10),
            logger: ChargingFixture.logger)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for i in 0..<25 {
                log.append(identity: "cp", direction: .incoming, connection: UUID(), text: "f\(i)", at: Date())
            }
        }
        #expect(elapsed < .seconds(1))
        #expect(log.counters.dropped == 15 && log.counters.buffered == 10)
        await #expect(throws: (any Error).self) { try await log.flush() }
        // The failed batch went back; nothing more was lost.
        #expect(log.counters.buffered == 10 && log.counters.dropped == 15 && log.counters.written == 0)
        // run() keeps going (and keeps the buffer bounded) while the database is down.
        let runner = Task { await log.run() }
        try await Task.sleep(for: .milliseconds(500))
        for i in 0..<5 {
            log.append(identity: "cp", direction: .outgoing, connection: UUID(), text: "g\(i)", at: Date())
        }
        #expect(log.counters.buffered <= 10)
        runner.cancel()
        await runner.value
        #expect(log.counters.failedFlushes >= 1)
        await down.shutdown()
    }
}

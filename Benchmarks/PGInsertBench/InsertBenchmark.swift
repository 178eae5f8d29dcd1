// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Logging
import Postgres

/// The benchmark itself: C tasks inserting through one `PGPool(maxConnections: C)`.
struct InsertBenchmark {
    struct Settings {
        var conninfo: String
        var connections: Int
        var duration: Duration
        var count: Int?
        var warmup: Duration
        /// Rows per `insertBatch` call; `nil` measures single-row INSERTs.
        var pipelineBatchSize: Int?
        var truncate: Bool
        var setupOnly = false
    }

    struct Report {
        var text: String
    }

    /// What one task measured: latencies in milliseconds of each measured operation.
    struct TaskResult: Sendable {
        var latencies: [Double] = []
        var rows = 0
    }

    static let insertSQL = "INSERT INTO bench_insert (station, value) VALUES ($1, $2)"

    let settings: Settings
    let logger: Logger

    func run() async throws -> Report {
        var configuration = PGPoolConfiguration(conninfo: settings.conninfo)
        configuration.maxConnections = settings.connections
        configuration.applicationName = "pg-insert-bench"
        configuration.acquireTimeout = .seconds(60)
        let pool = PGPool(configuration: configuration, logger: logger)
        do {
            let report = try await measure(pool)
            await pool.shutdown()
            return report
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    private func measure(_ pool: PGPool) async throws -> Report {
        let server = try await pool.query("SELECT version()").rows[0].decode(String.self, column: 0)
        try await pool.withConnection { c in
            try await c.simpleQuery(
                """
                CREATE TABLE IF NOT EXISTS bench_insert (
                    id bigserial PRIMARY KEY,
                    station text NOT NULL,
                    value double precision NOT NULL,
                    at timestamptz NOT NULL DEFAULT now())
                """)
            if settings.truncate { try await c.simpleQuery("TRUNCATE bench_insert") }
        }
        if settings.setupOnly { return Report(text: "bench_insert is ready on \(server)") }
        let clock = ContinuousClock()
        let start = clock.now
        let measureFrom = start + settings.warmup
        let measureUntil: ContinuousClock.Instant? = settings.count == nil ? measureFrom + settings.duration : nil
        let perTask = settings.count.map { max(1, $0 / settings.connections) }
        let batchSize = settings.pipelineBatchSize

        let results = try await withThrowingTaskGroup(of: TaskResult.self) { group in
            for task in 0..<settings.connections {
                group.addTask {
                    try await Self.worker(
                        pool: pool, task: task, batchSize: batchSize, measureFrom: measureFrom,
                        measureUntil: measureUntil, quota: perTask)
                }
            }
            var all: [TaskResult] = []
            for try await r in group { all.append(r) }
            return all
        }
        let finished = clock.now
        let measured: Duration
        if let until = measureUntil {
            measured = until - measureFrom
        } else {
            measured = finished - measureFrom
        }
        let seconds = Double(measured.components.seconds) + Double(measured.components.attoseconds) / 1e18
        var latencies = results.flatMap(\.latencies)
        latencies.sort()
        let rows = results.reduce(0) { $0 + $1.rows }
        let operations = latencies.count
        let p50 = Self.percentile(latencies, 0.50)
        let p99 = Self.percentile(latencies, 0.99)
        let rowsPerSecond = Double(rows) / seconds
        let machine = Machine.current
        let mode = batchSize.map { "pipeline(batch=\($0))" } ?? "single"
        let latencyName = batchSize == nil ? "insert" : "batch"
        let text = """
            pg-insert-bench: \(mode) INSERT into bench_insert, \(settings.connections) connections, \
            \(String(format: "%.2f", seconds)) s measured after \(settings.warmup) warm-up
            rows inserted: \(rows) in \(operations) \(latencyName)s
            throughput:    \(String(format: "%.1f", rowsPerSecond)) inserts/s
            \(latencyName) latency: p50 \(String(format: "%.3f", p50)) ms, p99 \(String(format: "%.3f", p99)) ms
            machine:       \(machine.cpus) CPUs, \(machine.cpuModel), max RSS \(String(format: "%.1f", machine.maxRSSMiB)) MiB
            server:        \(server)
            RESULT tool=pg-insert-bench mode=\(batchSize == nil ? "single" : "pipeline") connections=\(settings.connections) \
            rows=\(rows) seconds=\(String(format: "%.3f", seconds)) inserts_per_s=\(String(format: "%.1f", rowsPerSecond)) \
            p50_ms=\(String(format: "%.3f", p50)) p99_ms=\(String(format: "%.3f", p99)) \
            rss_mib=\(String(format: "%.1f", machine.maxRSSMiB))
            """
        return Report(text: text)
    }

    private static func worker(
        pool: PGPool, task: Int, batchSize: Int?, measureFrom: ContinuousClock.Instant,
        measureUntil: ContinuousClock.Instant?, quota: Int?
    ) async throws -> TaskResult {
        let clock = ContinuousClock()
        var result = TaskResult()
        result.latencies.reserveCapacity(quota ?? 200_000)
        var sequence = 0
        var measuredOps = 0
        while true {
            let t0 = clock.now
            if let until = measureUntil, t0 >= until { break }
            if let quota, measuredOps >= quota { break }
            let rows: Int
            if let batchSize {
                var batch: [PGBindings] = []
                batch.reserveCapacity(batchSize)
                for _ in 0..<batchSize {
                    sequence += 1
                    var b = PGBindings(capacity: 2)
                    b.append("CS-\(task)-\(sequence % 1000)")
                    b.append(Double(sequence) * 0.25)
                    batch.append(b)
                }
                rows = try await pool.insertBatch(sql: insertSQL, rows: batch)
            } else {
                sequence += 1
                let station = "CS-\(task)-\(sequence % 1000)"
                let value = Double(sequence) * 0.25
                rows = try await pool.execute("INSERT INTO bench_insert (station, value) VALUES (\(station), \(value))")
            }
            let t1 = clock.now
            if t0 >= measureFrom {
                let d = t1 - t0
                result.latencies.append(
                    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                result.rows += rows
                measuredOps += 1
            }
        }
        return result
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// The machine a benchmark ran on.
struct Machine {
    var cpus: Int
    var cpuModel: String
    var maxRSSMiB: Double

    static var current: Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let hwm =
            status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { line in line.split(separator: " ").dropFirst().first.flatMap { Double($0) } } ?? 0
        return Machine(cpus: ProcessInfo.processInfo.activeProcessorCount, cpuModel: model, maxRSSMiB: hwm / 1024)
    }
}

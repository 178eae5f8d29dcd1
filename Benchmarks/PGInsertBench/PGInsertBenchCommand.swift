// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ArgumentParser
import Foundation
import Logging

/// `pg-insert-bench`: single-row INSERT throughput and latency through `PGPool` (and the pipeline
/// bulk path with `--pipeline`). `Benchmarks/pg-insert.sh` runs it next to pgbench.
@main
struct PGInsertBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pg-insert-bench",
        abstract: "Measures INSERT throughput and latency of the Postgres module against a PostgreSQL server.")

    @Option(help: "libpq conninfo (default: $CSMS_BENCH_PG_URL, then $CSMS_TEST_PG_URL).")
    var conninfo: String?

    @Option(name: [.short, .long], help: "Concurrent tasks, and the pool's maxConnections.")
    var connections = 8

    @Option(name: [.short, .long], help: "Measured seconds (ignored with --count).")
    var duration = 10.0

    @Option(help: "Total inserts to measure instead of a duration.")
    var count: Int?

    @Option(help: "Seconds of unmeasured warm-up (opens the connections, prepares the statement).")
    var warmup = 1.0

    @Flag(help: "Measure the bulk path: insertBatch (libpq pipeline mode) instead of single-row INSERTs.")
    var pipeline = false

    @Option(help: "Rows per insertBatch call with --pipeline.")
    var batchSize = 1000

    @Flag(help: "Keep the rows of earlier runs (default: TRUNCATE bench_insert first).")
    var noTruncate = false

    @Flag(help: "Only create (and truncate) bench_insert, then exit; pg-insert.sh uses it before pgbench.")
    var setupOnly = false

    @Option(help: "Log level of the Postgres module (trace, debug, info, notice, warning, error).")
    var logLevel: String = "warning"

    func validate() throws {
        guard connections >= 1 else { throw ValidationError("--connections must be at least 1") }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = conninfo ?? environment["CSMS_BENCH_PG_URL"] ?? environment["CSMS_TEST_PG_URL"] else {
            throw ValidationError("no conninfo: pass --conninfo or set CSMS_BENCH_PG_URL")
        }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "pg-insert-bench")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let settings = InsertBenchmark.Settings(
            conninfo: url, connections: connections, duration: .milliseconds(Int64(duration * 1000)), count: count,
            warmup: .milliseconds(Int64(warmup * 1000)), pipelineBatchSize: pipeline ? batchSize : nil,
            truncate: !noTruncate, setupOnly: setupOnly)
        let report = try await InsertBenchmark(settings: settings, logger: logger).run()
        print(report.text)
    }
}

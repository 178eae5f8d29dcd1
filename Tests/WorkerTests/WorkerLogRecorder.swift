// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Logging
import Synchronization

/// Keeps the lines a worker logs, so a test can check what a refused connection leaves behind.
final class WorkerLogRecorder: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let storage = Mutex<[Line]>([])

    var lines: [Line] { storage.withLock { $0 } }

    func append(_ line: Line) { storage.withLock { $0.append(line) } }

    /// Lines whose message contains `text`.
    func lines(containing text: String) -> [Line] { lines.filter { $0.message.contains(text) } }

    /// Waits up to `timeout` for a line whose message contains `text`; a connection is logged
    /// about on the worker's event loop, a little after the client sees it end.
    func waitForLine(
        containing text: String, timeout: Duration = .seconds(5), where matches: (Line) -> Bool = { _ in true }
    ) async -> Line? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lines(containing: text).first(where: matches) { return line }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return lines(containing: text).first(where: matches)
    }

    func logger(label: String = "worker-tests") -> Logger {
        var logger = Logger(label: label) { _ in Handler(recorder: self) }
        logger.logLevel = .debug
        return logger
    }

    private struct Handler: LogHandler {
        let recorder: WorkerLogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.append(
                Line(level: event.level, message: event.message.description, metadata: merged.mapValues(\.description)))
        }
    }
}

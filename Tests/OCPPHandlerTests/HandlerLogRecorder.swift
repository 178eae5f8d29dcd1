// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Logging
import Synchronization

/// Collects the log lines the handlers write, to check what a rejected input leaves behind.
final class HandlerLogRecorder: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let storage = Mutex<[Line]>([])

    var lines: [Line] { storage.withLock { $0 } }

    func append(_ line: Line) { storage.withLock { $0.append(line) } }

    func logger() -> Logger {
        var logger = Logger(label: "ocpp-handler-tests") { _ in RecordingLogHandler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }
}

struct RecordingLogHandler: LogHandler {
    let recorder: HandlerLogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        recorder.append(
            HandlerLogRecorder.Line(
                level: event.level, message: event.message.description,
                metadata: merged.mapValues { $0.description }))
    }
}

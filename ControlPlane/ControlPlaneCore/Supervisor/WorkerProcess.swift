// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation

/// How to start one tenant's worker.
public struct WorkerLaunch: Sendable, Equatable {
    public var slug: String
    public var executable: String
    public var arguments: [String]
    /// The worker's control socket (health checks; later connection hand-over).
    public var socketPath: String

    public init(slug: String, executable: String, arguments: [String], socketPath: String) {
        self.slug = slug
        self.executable = executable
        self.arguments = arguments
        self.socketPath = socketPath
    }
}

/// A running worker process. Its exit is delivered through `exitStatus()`.
final class WorkerProcess: Sendable {
    let pid: Int32
    private let process: Process
    private let exits: AsyncStream<String>

    private init(process: Process, exits: AsyncStream<String>) {
        self.process = process
        self.pid = process.processIdentifier
        self.exits = exits
    }

    /// Spawns the worker. Its standard output and error are the control plane's.
    static func spawn(_ launch: WorkerLaunch) throws -> WorkerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launch.executable)
        process.arguments = launch.arguments
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1))
        process.terminationHandler = { p in
            let how =
                p.terminationReason == .uncaughtSignal
                ? "killed by signal \(p.terminationStatus)" : "exited with status \(p.terminationStatus)"
            continuation.yield(how)
            continuation.finish()
        }
        try process.run()
        return WorkerProcess(process: process, exits: stream)
    }

    /// Waits until the process has exited; returns how it ended ("exited with status 1").
    func waitForExit() async -> String {
        for await how in exits { return how }
        return "exited"
    }

    func signal(_ sig: Int32) {
        if process.isRunning { kill(pid, sig) }
    }
}

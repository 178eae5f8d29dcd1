// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import EdgeRouting
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

/// A directory the tests change while the router runs.
final class MutableDirectory: TenantDirectory {
    let routes = Mutex<[String: TenantRoute]>([:])
    func route(tenant slug: String) -> TenantRoute { routes.withLock { $0[slug] ?? .unknown } }
    func set(_ slug: String, _ route: TenantRoute) { routes.withLock { $0[slug] = route } }
}

/// A real router on 127.0.0.1 with its own temporary folder for worker sockets.
struct RouterHarness {
    let router: EdgeRouter
    let directory: MutableDirectory
    let task: Task<Void, any Error>
    let port: Int
    let folder: String

    static func start(
        limits: EdgeRouter.Limits = EdgeRouter.Limits(), local: (any LocalConnectionHandler)? = nil
    ) async throws -> RouterHarness {
        let directory = MutableDirectory()
        var logger = Logger(label: "edge-router-test")
        logger.logLevel = .error
        let router = EdgeRouter(
            listenHost: "127.0.0.1", port: 0, baseDomain: "csms.test", directory: directory, logger: logger,
            limits: limits, local: local)
        let port = try router.start()
        let task = Task { try await router.run() }
        let folder = try TestEnvironment.temporaryDirectory("router")
        return RouterHarness(router: router, directory: directory, task: task, port: port, folder: folder)
    }

    func socketPath(_ name: String) -> String { folder + "/\(name).handover" }

    /// A fake worker for `tenant`, registered as active in the directory.
    func worker(_ tenant: String, behaviour: FakeWorker.Behaviour = .answer) throws -> FakeWorker {
        let worker = try FakeWorker(name: tenant, path: socketPath(tenant), behaviour: behaviour)
        directory.set(tenant, .active(handoverSocket: worker.path))
        return worker
    }

    /// Waits until the router holds no client descriptor (everything handed over or closed).
    func settle(timeout: Duration = .seconds(10)) async -> EdgeRouter.Statistics {
        let deadline = ContinuousClock.now + timeout
        while router.statistics.heldDescriptors != 0 || router.statistics.watchedConnections != 0 {
            if ContinuousClock.now > deadline { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return router.statistics
    }

    /// Cancels `run()` and waits for it to return.
    func stop() async throws {
        task.cancel()
        try await task.value
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// The descriptor count before a test, after the process-wide descriptors that the runtime opens
/// lazily exist (Dispatch's epoll and timer descriptors on the first sleep, Foundation's child
/// process monitor on the first `Process`), so that only the router's and the test's own count.
func baselineDescriptors(afterRunningAProcess: Bool = false) async -> Int {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(5)) { continuation.resume() }
    }
    if afterRunningAProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try? process.run()
        await process.exit(within: .seconds(5))
    }
    // Dispatch sets its event machinery up on its own thread: wait until the count is stable.
    var count = openDescriptorCount()
    for _ in 0..<50 {
        try? await Task.sleep(for: .milliseconds(10))
        let now = openDescriptorCount()
        if now == count { break }
        count = now
    }
    return count
}

/// Waits until the descriptor count is back to `expected` (threads may still be closing theirs).
func descriptorsSettle(at expected: Int, timeout: Duration = .seconds(5)) async -> Int {
    let deadline = ContinuousClock.now + timeout
    var count = openDescriptorCount()
    while count != expected, ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(20))
        count = openDescriptorCount()
    }
    if count != expected { Issue.record("descriptors now: \(openDescriptors())") }
    return count
}

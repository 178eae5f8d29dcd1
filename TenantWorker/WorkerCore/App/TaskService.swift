// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ServiceLifecycle

/// A background loop (frame-log flusher, presence refresher) as a lifecycle service: it runs until
/// graceful shutdown or cancellation, then its task is cancelled.
struct TaskService: Service {
    let name: String
    let body: @Sendable () async -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await body()
        }
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Logging
import ServiceLifecycle

/// The first step of a graceful shutdown (SIGTERM from the supervisor on suspend, delete, rolling
/// restart): stations get a WebSocket close 1001 "going away" (RFC 6455 §7.4.1) so they reconnect
/// at once, through the router, to whichever worker serves the tenant next; hand-overs are refused
/// with 503; idle keep-alive connections end; then it waits for the adopted connections to close.
///
/// A service of its own, last in the worker's list: ServiceGroup shuts services down one by one
/// in reverse order, so this runs to completion before the hand-over listener and the HTTP servers
/// see the shutdown. That order matters: WSCore answers a graceful shutdown by closing each
/// WebSocket with 1000 (normal closure), and the 1001 has to go out first.
struct WorkerDrain: Service {
    let runtime: OCPPRuntime
    let handover: HandoverListener?
    /// Longest wait for adopted connections; what is still open then is closed.
    let timeout: Duration
    let logger: Logger

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return  // cancelled: nothing to drain in order
        }
        handover?.beginDraining()
        let stations = await runtime.registry.all()
        logger.info("draining", metadata: ["stations": "\(stations.count)"])
        for station in stations {
            await station.close(code: 1001, reason: "server going away; reconnect")
        }
        await handover?.waitUntilClosed(timeout: timeout)
        logger.info("drained")
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPTypes
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import TLSSupport

/// Adopts the client connections the edge router hands over (ROUTER.md, ARCHITECTURE.md "Edge
/// router"): each descriptor becomes a channel of this worker's own HTTP/1 + WebSocket stack, served
/// with the application's responder, exactly as if the worker had accepted it itself. A connection
/// the router saw start with a TLS ClientHello is served over TLS with the tenant's certificate.
///
/// The child channels are built from the responder the control socket's ``Application`` hands to
/// its `HTTPServerBuilder` (``install(responder:)``), so adopted requests get the same router,
/// error mapping, Date and Server headers. Connections are handled in a task group of this service,
/// so WebSocket handlers see the graceful shutdown of the task they run in.
final class HandoverListener: Service, Sendable {
    struct Configuration: Sendable {
        var socketPath: String
        var tenant: String
        var host: TenantHost
        /// Adopted connections open at once; beyond, 503.
        var maxConnections: Int
        /// The tenant's certificate for connections the router hands over as TLS; nil: the tenant
        /// has no `tls` section and such connections are closed.
        var tls: TLSServerIdentity? = nil
        var drainingRetryAfter = 5
        var overLimitRetryAfter = 30
    }

    /// The three ways a handed-over connection is served.
    struct Children: Sendable {
        /// Host-checked HTTP and OCPP WebSocket upgrades.
        let served: OCPPServerChannel
        let draining: HTTP1Channel
        let overLimit: HTTP1Channel
    }

    let configuration: Configuration
    let connections = AdoptedConnections()
    private let runtime: OCPPRuntime
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let inbox = Inbox()
    private let children: AsyncStream<Children>
    private let childrenContinuation: AsyncStream<Children>.Continuation

    init(
        configuration: Configuration, runtime: OCPPRuntime,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        self.runtime = runtime
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        (children, childrenContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Called with the application's responder when its server is built; adoption starts then.
    func install(responder: @escaping HTTPChannelHandler.Responder) {
        let draining = AdoptedRefusal(
            status: .serviceUnavailable, detail: "this worker is shutting down; retry in a few seconds",
            retryAfter: configuration.drainingRetryAfter)
        let overLimit = AdoptedRefusal(
            status: .serviceUnavailable,
            detail: "the tenant's plan allows \(configuration.maxConnections) concurrent connections; retry later",
            retryAfter: configuration.overLimitRetryAfter)
        // A refused client has already sent its request head (the router saw it); a short idle
        // timeout covers one that did not.
        let refusalConfiguration = HTTP1Channel.Configuration(idleTimeout: .seconds(5))
        childrenContinuation.yield(
            Children(
                served: OCPPServerChannel(
                    responder: AdoptedResponder.hostChecked(responder, host: configuration.host, logger: logger),
                    runtime: runtime),
                draining: HTTP1Channel(
                    responder: AdoptedResponder.refusing(draining), configuration: refusalConfiguration),
                overLimit: HTTP1Channel(
                    responder: AdoptedResponder.refusing(overLimit), configuration: refusalConfiguration)))
        childrenContinuation.finish()
    }

    func run() async throws {
        var built: Children?
        for await value in children {
            built = value
            break
        }
        guard let children = built else { return }  // cancelled before the application started

        let socket = HandoverSocket(path: configuration.socketPath, logger: logger)
        let inbox = self.inbox
        do {
            try socket.start { message in
                if !inbox.put(message) {
                    close(message.descriptor)
                }
            }
        } catch {
            logger.critical("cannot accept hand-overs", metadata: ["error": "\(error)"])
            throw error
        }
        logger.info(
            "accepting connections handed over by the router",
            metadata: [
                "handover.socket": "\(configuration.socketPath)", "handover.host": "\(configuration.host.name)",
                "handover.max_connections": "\(configuration.maxConnections)",
            ])

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await _ in inbox.signals {
                    for message in inbox.take() {
                        await self.handle(message, children: children, group: &group)
                    }
                }
                // Stopped: what the router sent before the socket closed is still answered
                // (with 503, as the worker is draining), unless the worker is being cancelled.
                for message in inbox.close() {
                    if Task.isCancelled {
                        close(message.descriptor)
                    } else {
                        await self.handle(message, children: children, group: &group)
                    }
                }
            }
        } onGracefulShutdown: {
            self.quiesce(self.connections.beginDraining())
            socket.stop()
            inbox.stop()
        }
        socket.stop()
        for message in inbox.close() {
            close(message.descriptor)
        }
        logger.info("stopped accepting hand-overs")
    }

    /// Refuses new hand-overs from now on (503) and asks every adopted connection to end: idle
    /// HTTP keep-alive connections close, busy ones after their response.
    func beginDraining() {
        quiesce(connections.beginDraining())
    }

    /// Waits until every adopted connection has closed, or `timeout` has passed; then closes
    /// what is left.
    func waitUntilClosed(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while connections.openCount > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let left = connections.channels
        if !left.isEmpty {
            logger.warning(
                "closing adopted connections still open after the drain timeout",
                metadata: ["connections": "\(left.count)"])
            for channel in left {
                channel.close(promise: nil)
            }
        }
    }

    private func quiesce(_ channels: [any Channel]) {
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    private func handle(
        _ message: HandoverSocket.Message, children: Children, group: inout DiscardingTaskGroup
    ) async {
        let metadata: HandoverMetadata
        switch HandoverMetadata.parse(message.metadata, expectedTenant: configuration.tenant) {
        case .success(let value):
            metadata = value
        case .failure(let rejection):
            logger.error("refused a hand-over", metadata: ["reason": "\(rejection)"])
            close(message.descriptor)
            return
        }
        var connectionLogger = logger
        connectionLogger[metadataKey: "client"] = "\(metadata.client)"
        var tls: TLSServerIdentity?
        if metadata.transport == .tls {
            // The router cannot answer any more and this worker has no certificate to answer with:
            // closing is all that is left (the client sees its handshake cut off).
            guard let identity = configuration.tls else {
                connectionLogger.error(
                    "refused a TLS hand-over: this tenant has no TLS certificate (no tls section in its file)",
                    metadata: ["reason": "transport tls, no tls.certificate configured"])
                close(message.descriptor)
                return
            }
            tls = identity
        }
        let identity: SocketIdentity
        switch SocketIdentity.prepare(message.descriptor) {
        case .success(let value):
            identity = value
        case .failure(let problem):
            connectionLogger.error("refused a hand-over", metadata: ["reason": "\(problem)"])
            close(message.descriptor)
            return
        }
        connectionLogger.debug(
            "connection handed over",
            metadata: ["handover.latency_ms": "\(Int(Date().timeIntervalSince(metadata.acceptedAt) * 1000))"])

        switch connections.admit(limit: configuration.maxConnections) {
        case .admit:
            await adopt(
                identity, with: children.served, tls: tls, admitted: true, hostGuard: true, logger: connectionLogger,
                group: &group)
        case .draining:
            connectionLogger.notice("refused a handed-over connection (503): the worker is shutting down")
            await adopt(
                identity, with: children.draining, tls: tls, admitted: false, hostGuard: false,
                logger: connectionLogger, group: &group)
        case .overLimit(let limit):
            connectionLogger.notice(
                "refused a handed-over connection (503): connection limit reached",
                metadata: ["handover.max_connections": "\(limit)"])
            await adopt(
                identity, with: children.overLimit, tls: tls, admitted: false, hostGuard: false,
                logger: connectionLogger, group: &group)
        }
    }

    /// With `tls`, the connection is served over TLS with that identity: its handler goes first,
    /// so the refusals (503) are written over TLS too.
    private func adopt<Child: ServerChildChannel>(
        _ socket: SocketIdentity, with child: Child, tls: TLSServerIdentity?, admitted: Bool, hostGuard: Bool,
        logger: Logger, group: inout DiscardingTaskGroup
    ) async {
        let connections = self.connections
        let host = configuration.host
        let attached = NIOLockedValueBox(false)
        do {
            let value = try await ClientBootstrap(group: eventLoopGroup)
                .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                .withConnectedSocket(socket.descriptor) { channel in
                    attached.withLockedValue { $0 = true }
                    connections.attach(channel, admitted: admitted)
                    channel.closeFuture.whenComplete { _ in connections.detach(channel) }
                    return channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try TLSTermination.install(tls, on: channel, logger: logger)
                        }
                    }.flatMap {
                        child.setup(channel: channel, logger: logger)
                    }.flatMapThrowing { value in
                        if hostGuard {
                            let sync = channel.pipeline.syncOperations
                            let decoder = try sync.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
                            try sync.addHandler(AdoptedHostGuard(host: host, logger: logger), position: .after(decoder))
                        }
                        return value
                    }
                }
            group.addTask {
                await child.handle(value: value, logger: logger)
            }
        } catch {
            logger.error("could not adopt a handed-over connection", metadata: ["error": "\(error)"])
            if !attached.withLockedValue({ $0 }), admitted {
                connections.cancelReservation()
            }
            // NIO closes the descriptor with the channel it made of it; if it failed before making
            // one, the descriptor is still this socket and still ours to close. The socket's inode
            // tells the two apart even if the number has been reused since.
            socket.closeIfStillOpen()
        }
    }
}

/// A received descriptor checked before NIO gets it, and what identifies its socket.
struct SocketIdentity: Sendable {
    let descriptor: Int32
    let device: UInt64
    let inode: UInt64

    /// Checks that the descriptor is a stream socket and makes it non-blocking (NIO does that too;
    /// done here, it cannot fail inside NIO, where a failure would leave the descriptor unclaimed).
    static func prepare(_ descriptor: Int32) -> Result<SocketIdentity, HandoverMetadata.Rejection> {
        var type: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_TYPE, &type, &length) == 0 else {
            return .failure(.init(description: "the descriptor is not a socket: \(String(cString: strerror(errno)))"))
        }
        guard type == Int32(SOCK_STREAM.rawValue) else {
            return .failure(.init(description: "the descriptor is not a stream socket (type \(type))"))
        }
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else {
            return .failure(.init(description: "cannot make the socket non-blocking"))
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            return .failure(.init(description: "cannot stat the socket"))
        }
        return .success(
            SocketIdentity(descriptor: descriptor, device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }

    func closeIfStillOpen() {
        var info = stat()
        if fstat(descriptor, &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode {
            close(descriptor)
        }
    }
}

extension HandoverListener {
    /// Received hand-overs waiting for the adoption loop. A plain queue rather than an AsyncStream
    /// of descriptors: a stream drops what it buffers when its consumer is cancelled, and each
    /// descriptor here must be adopted or closed, never forgotten.
    final class Inbox: Sendable {
        private struct State {
            var pending: [HandoverSocket.Message] = []
            var closed = false
        }
        private let state = NIOLockedValueBox(State())
        let signals: AsyncStream<Void>
        private let signal: AsyncStream<Void>.Continuation

        init() {
            (signals, signal) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        }

        /// False when closed: the caller closes the descriptor.
        func put(_ message: HandoverSocket.Message) -> Bool {
            let accepted = state.withLockedValue { state -> Bool in
                guard !state.closed else { return false }
                state.pending.append(message)
                return true
            }
            if accepted { signal.yield() }
            return accepted
        }

        func take() -> [HandoverSocket.Message] {
            state.withLockedValue { state in
                defer { state.pending.removeAll() }
                return state.pending
            }
        }

        /// Ends the adoption loop's wait; messages can still be put until ``close()``.
        func stop() {
            signal.finish()
        }

        /// No more messages; returns those not taken yet.
        func close() -> [HandoverSocket.Message] {
            signal.finish()
            return state.withLockedValue { state in
                state.closed = true
                defer { state.pending.removeAll() }
                return state.pending
            }
        }
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import EdgeRouting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import SocketAdoption
import Synchronization
import TLSSupport

/// The control plane's end of the edge router (``LocalConnectionHandler``): connections for
/// `admin.<base_domain>` are served with the admin application's own responder (the platform API,
/// `/healthz`, `/metrics`), and TLS connections the router refuses get their problem document over
/// TLS after a handshake with the platform certificate.
///
/// The router thread only queues the descriptor; this service adopts it into SwiftNIO (as the worker
/// adopts its hand-overs), so a connection here never blocks the router.
final class PlatformEndpoint: LocalConnectionHandler, Service {
    /// `admin.<base_domain>`, lowercased.
    let host: String
    let tls: TLSServerIdentity?
    var terminatesTLS: Bool { tls != nil }

    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let inbox = DescriptorInbox<LocalConnection>()
    private let responders: AsyncStream<HTTPChannelHandler.Responder>
    private let respondersContinuation: AsyncStream<HTTPChannelHandler.Responder>.Continuation
    /// Connections adopted and not yet closed, for ``openConnections``.
    private let open = Atomic<Int>(0)

    init(
        baseDomain: String, tls: TLSServerIdentity?, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        var domain = baseDomain.lowercased()
        if domain.hasSuffix(".") { domain.removeLast() }
        self.host = "admin." + domain
        self.tls = tls
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        (responders, respondersContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    var openConnections: Int { open.load(ordering: .relaxed) }

    /// Called with the admin application's responder when its server is built.
    func install(responder: @escaping HTTPChannelHandler.Responder) {
        respondersContinuation.yield(responder)
        respondersContinuation.finish()
    }

    func adopt(_ connection: LocalConnection) {
        if !inbox.put(connection) { close(connection.descriptor) }
    }

    func run() async throws {
        var installed: HTTPChannelHandler.Responder?
        for await responder in responders {
            installed = responder
            break
        }
        guard let responder = installed else {
            for connection in inbox.close() { close(connection.descriptor) }
            return
        }
        let platform = HTTP1Channel(responder: hostChecked(responder))
        let inbox = self.inbox
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await _ in inbox.signals {
                    for connection in inbox.take() {
                        await self.serve(connection, platform: platform, group: &group)
                    }
                }
            }
        } onGracefulShutdown: {
            inbox.stop()
        }
        // What arrives from now on, or was not taken, is closed unanswered, like an unaccepted
        // connection.
        for connection in inbox.close() { close(connection.descriptor) }
    }

    private func serve(
        _ connection: LocalConnection, platform: HTTP1Channel, group: inout DiscardingTaskGroup
    ) async {
        let child: HTTP1Channel
        switch connection.purpose {
        case .platform:
            child = platform
        case .refusal(let status, let detail, let retryAfter):
            // The client has sent its request head by the time the handshake is done; a short idle
            // timeout covers one that does not.
            child = HTTP1Channel(
                responder: Self.refusing(status: status, detail: detail, retryAfter: retryAfter),
                configuration: .init(idleTimeout: .seconds(5)))
        }
        let connectionLogger = {
            var logger = self.logger
            logger[metadataKey: "client.address"] = "\(connection.client)"
            return logger
        }()
        let tls = connection.overTLS ? self.tls : nil
        if connection.overTLS, tls == nil {
            connectionLogger.error("closed a TLS connection: the control plane has no platform certificate")
            close(connection.descriptor)
            return
        }
        let socket: AdoptableSocket
        switch AdoptableSocket.prepare(connection.descriptor) {
        case .success(let value):
            socket = value
        case .failure(let problem):
            connectionLogger.error("could not serve a connection from the router", metadata: ["error": "\(problem)"])
            close(connection.descriptor)
            return
        }
        do {
            let value = try await ClientBootstrap(group: eventLoopGroup)
                .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                .withConnectedSocket(socket.descriptor) {
                    (channel: any Channel) -> EventLoopFuture<HTTP1Channel.Value> in
                    self.open.add(1, ordering: .relaxed)
                    channel.closeFuture.whenComplete { _ in self.open.subtract(1, ordering: .relaxed) }
                    if let tls {
                        do {
                            try channel.pipeline.syncOperations.addHandler(tls.makeServerHandler())
                        } catch {
                            return channel.eventLoop.makeFailedFuture(error)
                        }
                    }
                    return child.setup(channel: channel, logger: connectionLogger)
                }
            group.addTask {
                await child.handle(value: value, logger: connectionLogger)
            }
        } catch {
            connectionLogger.error("could not serve a connection from the router", metadata: ["error": "\(error)"])
            socket.closeIfStillOpen()
        }
    }

    /// The admin responder, for requests whose Host is the platform's; 421 for any other (a client
    /// reusing this connection for a tenant's host must open a new one, RFC 9110 §15.5.20).
    private func hostChecked(_ responder: @escaping HTTPChannelHandler.Responder) -> HTTPChannelHandler.Responder {
        let host = self.host
        let logger = self.logger
        return { request, writer, channel in
            let authority = request.head.authority.map(Self.normalizedHost) ?? ""
            guard authority == host else {
                logger.notice(
                    "refused a request for another host on a platform connection",
                    metadata: ["http.host": "\(authority)"])
                try await Self.writeRefusal(
                    status: .misdirectedRequest,
                    detail: "this connection serves \(host), not \(authority); open a new connection for that host",
                    retryAfter: nil, to: writer, request: request, channel: channel)
                return
            }
            try await responder(request, writer, channel)
        }
    }

    static func normalizedHost(_ authority: String) -> String {
        var host = Substring(authority.lowercased())
        if !host.hasPrefix("["), let colon = host.lastIndex(of: ":") { host = host[..<colon] }
        if host.hasSuffix(".") { host = host.dropLast() }
        return String(host)
    }

    private static func refusing(status: Int, detail: String, retryAfter: Int?) -> HTTPChannelHandler.Responder {
        { request, writer, channel in
            try await writeRefusal(
                status: HTTPResponse.Status(code: status), detail: detail, retryAfter: retryAfter, to: writer,
                request: request, channel: channel)
        }
    }

    /// Writes a problem document and closes the connection once it is written; the request body is
    /// read first, so the close sends no reset that could destroy the answer.
    private static func writeRefusal(
        status: HTTPResponse.Status, detail: String, retryAfter: Int?, to writer: consuming ResponseWriter,
        request: Request, channel: any Channel
    ) async throws {
        var request = request
        _ = try? await request.collectBody(upTo: 64 * 1024)
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        let body = PlatformProblem(status: status, detail: detail).body.serialized()
        var headers: HTTPFields = [
            .contentType: PlatformProblem.contentType, .contentLength: "\(body.count)", .connection: "close",
            .cacheControl: "no-store",
        ]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        try await writer.write(
            response: HTTPResponse(status: status, headerFields: headers),
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

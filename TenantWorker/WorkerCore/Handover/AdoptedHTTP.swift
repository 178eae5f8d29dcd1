// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// An answer the worker writes on a handed-over connection instead of serving it, always with
/// `Connection: close`: the connection is closed once it is written.
struct AdoptedRefusal: Sendable {
    var status: HTTPResponse.Status
    var detail: String
    /// Seconds, for 503 (RFC 9110 §10.2.3).
    var retryAfter: Int?

    var body: [UInt8] { ProblemDocument(status: status, detail: detail).bytes }

    static func misdirected(_ host: String, expected: TenantHost) -> AdoptedRefusal {
        AdoptedRefusal(
            status: .misdirectedRequest,
            detail: "this connection serves \(expected.name), not \(host); open a new connection for that host")
    }

    static func hostProblem(_ check: TenantHost.Check, expected: TenantHost) -> AdoptedRefusal? {
        switch check {
        case .matches: return nil
        case .missing:
            return AdoptedRefusal(status: .badRequest, detail: "the request has no Host header (RFC 9112 §3.2)")
        case .ambiguous:
            return AdoptedRefusal(status: .badRequest, detail: "the request has more than one Host (RFC 9112 §3.2)")
        case .otherHost(let host): return misdirected(host, expected: expected)
        }
    }

    /// Hummingbird's HTTPConnectionStateHandler closes the connection once the response in progress
    /// is written when it sees this event; the request's body is read first, so that closing does
    /// not send a reset that could destroy the answer before the client reads it.
    func write(to writer: consuming ResponseWriter, request: Request, channel: any Channel) async throws {
        var request = request
        _ = try? await request.collectBody(upTo: 64 * 1024)
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        let bytes = body
        var headers: HTTPFields = [
            .contentType: ProblemDocument.contentType, .contentLength: "\(bytes.count)", .connection: "close",
        ]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        try await writer.write(
            response: HTTPResponse(status: status, headerFields: headers),
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

enum AdoptedResponder {
    /// Serves requests with the application's responder after checking each one's Host.
    static func hostChecked(
        _ responder: @escaping HTTPChannelHandler.Responder, host: TenantHost, logger: Logger
    ) -> HTTPChannelHandler.Responder {
        { request, writer, channel in
            var values: [String] = []
            if let authority = request.head.authority { values.append(authority) }
            // HTTPTypes keeps the first Host as the authority and any further ones as fields.
            if let hostField = HTTPField.Name("Host") { values += request.headers[values: hostField] }
            if let refusal = AdoptedRefusal.hostProblem(host.check(values), expected: host) {
                logger.notice(
                    "refused a request on a handed-over connection",
                    metadata: [
                        "http.status": "\(refusal.status.code)", "reason": "\(refusal.detail)",
                        "client": "\(clientAddress(channel))",
                    ])
                try await refusal.write(to: writer, request: request, channel: channel)
                return
            }
            try await responder(request, writer, channel)
        }
    }

    /// Answers every request with `refusal` (draining, over the connection limit).
    static func refusing(_ refusal: AdoptedRefusal) -> HTTPChannelHandler.Responder {
        { request, writer, channel in
            try await refusal.write(to: writer, request: request, channel: channel)
        }
    }
}

/// Checks the Host of the first request on a handed-over connection before the OCPP WebSocket
/// upgrade sees it (a WebSocket upgrade never reaches the application's responder), and answers
/// 421/400 itself when it names another host. Later requests on a keep-alive connection go through
/// ``AdoptedResponder/hostChecked(_:host:logger:)``.
///
/// Sits right after the HTTP/1 request decoder, so what it writes goes through the response
/// encoder.
final class AdoptedHostGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case awaitingFirstRequest
        case passing
        /// The first request was refused; its remaining parts are read and dropped, then the
        /// connection is closed.
        case refusing
    }

    private var state = State.awaitingFirstRequest
    private var droppedBytes = 0
    private static let maxDroppedBody = 64 * 1024
    private let host: TenantHost
    private let logger: Logger

    init(host: TenantHost, logger: Logger) {
        self.host = host
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .passing:
            context.fireChannelRead(data)
        case .refusing:
            switch unwrapInboundIn(data) {
            case .end:
                context.close(promise: nil)
            case .body(let chunk):
                // Reading the body to its end avoids a reset; a client that keeps sending is cut off.
                droppedBytes += chunk.readableBytes
                if droppedBytes > Self.maxDroppedBody { context.close(promise: nil) }
            case .head:
                break
            }
        case .awaitingFirstRequest:
            guard case .head(let head) = unwrapInboundIn(data) else {
                context.fireChannelRead(data)
                return
            }
            guard let refusal = AdoptedRefusal.hostProblem(host.check(head.headers["host"]), expected: host) else {
                // Later requests are checked by the responder; after an upgrade the pipeline
                // carries WebSocket bytes, which are none of this handler's business.
                state = .passing
                context.fireChannelRead(data)
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                return
            }
            state = .refusing
            // The logger carries the client address the router recorded.
            logger.notice(
                "refused the first request on a handed-over connection",
                metadata: ["http.status": "\(refusal.status.code)", "reason": "\(refusal.detail)"])
            let body = refusal.body
            var headers = HTTPHeaders([
                ("Content-Type", ProblemDocument.contentType), ("Content-Length", "\(body.count)"),
                ("Connection", "close"),
            ])
            if let retryAfter = refusal.retryAfter { headers.add(name: "Retry-After", value: "\(retryAfter)") }
            let status = HTTPResponseStatus(statusCode: refusal.status.code, reasonPhrase: refusal.status.reasonPhrase)
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Hummingbird's connection handler, which closes idle keep-alive connections on this event,
        // is only added once the first request has arrived: before that, close here.
        if event is ChannelShouldQuiesceEvent, case .awaitingFirstRequest = state {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// `ip:port` of the connection's peer (the real client: the router passed the socket itself).
func clientAddress(_ channel: any Channel) -> String {
    guard let address = channel.remoteAddress else { return "-" }
    if let ip = address.ipAddress, let port = address.port { return "\(ip):\(port)" }
    return address.description
}

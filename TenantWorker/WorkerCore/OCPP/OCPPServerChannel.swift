// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPTypes
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
import WSCore

/// The worker's HTTP/1.1 child channel: plain requests go to the Hummingbird router (REST,
/// health), WebSocket upgrades to `/ocpp/{stationId}` go through ``OCPPUpgradeGate``.
///
/// Hummingbird's own WebSocket channel answers every refused upgrade with a bare 400; OCPP needs
/// 401 for bad credentials and 404 for unknown stations (OCPP-J §3.2, security white paper), so this
/// channel keeps the gate's refusal and writes it as a problem document before closing.
struct OCPPServerChannel: ServerChildChannel, HTTPChannelHandler {
    enum UpgradeResult: Sendable {
        case websocket(
            NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, OCPPUpgradeGate.Accepted, [any WebSocketExtension])
        case notUpgraded(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, OCPPUpgradeGate.Refusal?)
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let runtime: OCPPRuntime

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture(withResultOf: {
            let attempted = NIOLockedValueBox(false)
            let refusal = NIOLockedValueBox<OCPPUpgradeGate.Refusal?>(nil)
            let gate = runtime.gate
            let acceptedBox = NIOLockedValueBox<(OCPPUpgradeGate.Accepted, [any WebSocketExtension])?>(nil)
            let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
                // A single frame larger than the message limit is refused by the frame decoder with
                // 1009 (RFC 6455 §7.4.1); fragmented messages are checked when reassembled.
                maxFrameSize: runtime.settings.maxMessageSize,
                shouldUpgrade: { (channel: any Channel, head: HTTPRequestHead) -> EventLoopFuture<HTTPHeaders?> in
                    attempted.withLockedValue { $0 = true }
                    var fields = HTTPFields()
                    for (name, value) in head.headers {
                        if let fieldName = HTTPField.Name(name) {
                            fields.append(HTTPField(name: fieldName, value: value))
                        }
                    }
                    let path = head.uri
                    let requestFields = fields
                    // Read here, on the event loop: request bytes mean the TLS handshake is over.
                    let security = ChannelSecurity.of(channel)
                    let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                    promise.completeWithTask {
                        switch await gate.decide(path: path, headers: requestFields, security: security) {
                        case .success(let accepted):
                            // permessage-deflate (RFC 7692) is required of a 2.0.1 CSMS (OCPP-J 2.0.1 §3.3).
                            var headers = HTTPHeaders([("Sec-WebSocket-Protocol", accepted.version.rawValue)])
                            var extensions: [any WebSocketExtension] = []
                            do {
                                let (responseFields, negotiated) = try runtime.webSocketExtensions()
                                    .serverExtensionNegotiation(requestHeaders: requestFields)
                                for field in responseFields {
                                    headers.add(name: field.name.canonicalName, value: field.value)
                                }
                                extensions = negotiated
                            } catch {
                                logger.notice(
                                    "WebSocket extension negotiation failed; continuing without compression",
                                    metadata: ["station.id": "\(accepted.identity)", "error": "\(error)"])
                            }
                            acceptedBox.withLockedValue { $0 = (accepted, extensions) }
                            return headers
                        case .failure(let refused):
                            refusal.withLockedValue { $0 = refused }
                            return nil
                        }
                    }
                    return promise.futureResult
                },
                upgradePipelineHandler: {
                    (channel: any Channel, _: HTTPRequestHead) -> EventLoopFuture<UpgradeResult> in
                    channel.eventLoop.makeCompletedFuture(withResultOf: {
                        guard let (accepted, extensions) = acceptedBox.withLockedValue({ $0 }) else {
                            throw ChannelError.inappropriateOperationForState
                        }
                        let asyncChannel = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true))
                        return UpgradeResult.websocket(asyncChannel, accepted, extensions)
                    })
                })
            let serverUpgrade = NIOTypedHTTPServerUpgradeConfiguration(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            HTTP1ToHTTPServerCodec(secure: ChannelSecurity.of(channel).isTLS))
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
                        let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true))
                        if attempted.withLockedValue({ $0 }) {
                            return UpgradeResult.refused(asyncChannel, refusal.withLockedValue { $0 })
                        }
                        return UpgradeResult.notUpgraded(asyncChannel)
                    }
                })
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<UpgradeResult>(
                upgradeConfiguration: serverUpgrade)
            configuration.enablePipelining = false
            configuration.enableErrorHandling = false
            configuration.enableResponseHeaderValidation = false
            let result = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                configuration: configuration)
            return Value(upgradeResult: result, channel: channel)
        })
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .notUpgraded(let http1):
                await handleHTTP(asyncChannel: http1, logger: logger)
            case .refused(let http1, let refusal):
                await writeRefusal(refusal, to: http1, logger: logger)
            case .websocket(let ws, let accepted, let extensions):
                await runtime.serve(webSocket: ws, accepted: accepted, extensions: extensions)
            }
        } catch {
            logger.debug("connection ended before the upgrade completed", metadata: ["error": "\(error)"])
        }
    }

    private func writeRefusal(
        _ refusal: OCPPUpgradeGate.Refusal?, to channel: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>,
        logger: Logger
    ) async {
        // No refusal recorded means the upgrade request itself was malformed (NIO refused it).
        let refusal =
            refusal
            ?? OCPPUpgradeGate.Refusal(
                status: .badRequest, title: "Bad Request", detail: "not a valid WebSocket upgrade request")
        logger.notice(
            "refused an OCPP connection",
            metadata: [
                "station.id": "\(refusal.identity ?? "-")", "http.status": "\(refusal.status.code)",
                "reason": "\(refusal.detail)",
            ])
        let body = ProblemDocument(status: refusal.status, title: refusal.title, detail: refusal.detail).bytes
        var headers = refusal.extraHeaders
        headers[.contentType] = ProblemDocument.contentType
        headers[.contentLength] = "\(body.count)"
        headers[.connection] = "close"
        do {
            try await channel.executeThenClose { _, outbound in
                try await outbound.write(
                    contentsOf: [
                        .head(HTTPResponse(status: refusal.status, headerFields: headers)),
                        .body(ByteBuffer(bytes: body)), .end(nil),
                    ])
            }
        } catch {
            logger.trace("could not write the refusal", metadata: ["error": "\(error)"])
        }
    }
}

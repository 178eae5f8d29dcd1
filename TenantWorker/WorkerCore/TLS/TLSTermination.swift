// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import TLSSupport

/// The worker terminates TLS itself, with its tenant's certificate (ARCHITECTURE.md "Edge
/// router"): the router only peeked at the ClientHello, so the TLS handler reads the whole
/// handshake from the socket, and the tenant's own CA checks profile 3 station certificates.
enum TLSTermination {
    /// Puts the TLS server handler first in the channel's pipeline, before any HTTP handler, with a
    /// handler right after it that logs failed handshakes. Call on the channel's event loop.
    static func install(_ identity: TLSServerIdentity, on channel: any Channel, logger: Logger) throws {
        // Over TLS the end of a connection is a close_notify; a bare TCP FIN is a truncation. Both
        // the hand-over and Hummingbird's listener allow remote half-closure (so that a plain
        // client's request can be read after it shuts down its side), but with it NIO SSL, having
        // sent its own close_notify, keeps a connection whose peer just closed the socket until its
        // 5 s shutdown timeout: every closed station connection would hold a descriptor that long.
        if let options = channel.syncOptions {
            try options.setOption(ChannelOptions.allowRemoteHalfClosure, value: false)
        }
        let pipeline = channel.pipeline.syncOperations
        let handler = identity.makeServerHandler()
        try pipeline.addHandler(handler, position: .first)
        try pipeline.addHandler(TLSHandshakeLog(logger: logger), position: .after(handler))
    }
}

/// Logs the outcome of the TLS handshake, then leaves the pipeline. A failed handshake (a TLS
/// version below 1.2, an expired or unknown client certificate) is a `notice`: the CSMS terminates
/// such connections and should log a security event (OCPP security white paper A00.FR.314/407,
/// A00.FR.323).
final class TLSHandshakeLog: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// The first decrypted bytes mean the handshake succeeded.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let sync = context.pipeline.syncOperations
        let version = (try? sync.nioSSL_tlsVersion()).flatMap { $0.map { "\($0)" } } ?? "-"
        let peer = (try? sync.nioSSL_peerCertificate()).flatMap { $0 }
        logger.debug(
            "TLS handshake completed",
            metadata: [
                "tls.version": "\(version)", "tls.client_cn": "\(peer.map { $0.commonNameText ?? "(no CN)" } ?? "-")",
            ])
        context.fireChannelRead(data)
        // Nothing more to watch: later errors are the connection's, not the handshake's.
        sync.removeHandler(context: context, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? NIOSSLError, case .handshakeFailed(let reason) = error {
            logger.notice("TLS handshake failed; connection closed", metadata: ["reason": "\(reason)"])
        } else {
            // A client that connects and leaves without a handshake (a port probe) is no event.
            logger.debug("connection ended before the TLS handshake completed", metadata: ["reason": "\(error)"])
        }
        context.fireErrorCaught(error)
    }
}

/// Serves another child channel over TLS: the worker's own TCP listener (`http.tcp_listen`) when
/// the tenant has a certificate.
struct TLSServerChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let identity: TLSServerIdentity

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try TLSTermination.install(identity, on: channel, logger: logger)
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

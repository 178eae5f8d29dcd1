// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// The control plane's own end of the router: connections that belong to no tenant's worker.
///
/// Two kinds reach it: requests for the platform's host (`admin.<base_domain>`: the platform API,
/// served by the control plane itself), and TLS connections the router refuses (unknown tenant,
/// suspended, worker down). A refusal over TLS can only be said in HTTP after a handshake, and the
/// router threads do no TLS: the handler completes it with the platform certificate and answers
/// the problem document (issue 5: "over TLS it completes the handshake with the platform
/// certificate only to say so").
public protocol LocalConnectionHandler: Sendable {
    /// True when the handler can complete TLS handshakes (platform.yaml has a `tls` certificate).
    /// Without it, TLS refusals are fatal alerts and the platform host is plain HTTP only.
    var terminatesTLS: Bool { get }
    /// Takes the connection: from now on the handler owns (and must close) the descriptor. Called on
    /// a router thread, so it must not block.
    func adopt(_ connection: LocalConnection)
}

/// A connection the router gives to the control plane instead of a worker. The router only peeked:
/// the request head or ClientHello is still unread on the socket.
public struct LocalConnection: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        /// `admin.<base_domain>`: serve the control plane's own HTTP API.
        case platform
        /// Answer every request with this problem document and close.
        case refusal(status: Int, detail: String, retryAfter: Int?)
    }

    public let descriptor: Int32
    /// `ip:port` of the client.
    public let client: String
    /// The client started a TLS handshake.
    public let overTLS: Bool
    public let purpose: Purpose

    public init(descriptor: Int32, client: String, overTLS: Bool, purpose: Purpose) {
        self.descriptor = descriptor
        self.client = client
        self.overTLS = overTLS
        self.purpose = purpose
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Why an outbound request failed. `message` names the method and the URL (without user
/// information or query, which may carry credentials) and says what to do.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case badURL, refusedInsecure, invalidRequest, connect, tls, timeout, tooLarge, redirect, transport
            case cancelled, shutdown
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Not an absolute http(s) URL with a host.
        public static let badURL = Code(.badURL)
        /// Plain `http://` to a host that is not loopback; refused before any connection.
        public static let refusedInsecure = Code(.refusedInsecure)
        /// A method or header that cannot be sent (not a token, a line break in a value).
        public static let invalidRequest = Code(.invalidRequest)
        /// The host name did not resolve, or the TCP connection was refused or unreachable.
        public static let connect = Code(.connect)
        /// The TLS handshake failed: certificate not trusted, wrong host name, protocol below 1.2.
        public static let tls = Code(.tls)
        /// The connect timeout or the total timeout passed.
        public static let timeout = Code(.timeout)
        /// The response body is larger than the allowed maximum; the transfer was aborted.
        public static let tooLarge = Code(.tooLarge)
        /// A redirect to another host or port, a downgrade to HTTP, or too many redirects.
        public static let redirect = Code(.redirect)
        /// The connection failed during the exchange (reset, empty or malformed reply).
        public static let transport = Code(.transport)
        /// The calling task was cancelled.
        public static let cancelled = Code(.cancelled)
        /// The client was shut down.
        public static let shutdown = Code(.shutdown)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The method and URL of the failing request, credentials removed (`GET https://idp.example/jwks`).
    public let request: String
    public let message: String

    /// `request` is the method and redacted URL; `problem` says what happened and what to do.
    public init(_ code: Code, request: String, _ problem: String) {
        self.code = code
        self.request = request
        self.message = "\(request): \(problem)"
    }

    public var description: String { message }
}

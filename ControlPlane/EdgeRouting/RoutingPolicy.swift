// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// How a connection reached the router; the worker needs it to know whether to start with TLS.
enum Transport: String, Sendable {
    case http
    case tls
}

/// TLS alert descriptions the router sends when it refuses a TLS connection (RFC 8446 §6) and no
/// local handler with the platform certificate can complete the handshake to answer in HTTP: a
/// fatal alert before the ServerHello is then the one thing it can say (RFC 6066 §3 names
/// unrecognized_name for a server name the server does not serve). A ClientHello too long or too
/// malformed to route always gets an alert.
enum TLSAlert: UInt8, Sendable {
    case handshakeFailure = 40
    case accessDenied = 49
    case decodeError = 50
    case internalError = 80
    case unrecognizedName = 112

    /// A fatal alert record, sent in the clear before any handshake keys exist.
    var record: [UInt8] { [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, rawValue] }
}

/// What the router says when it refuses a connection itself.
struct RefusalAnswer: Equatable, Sendable {
    enum Wire: Equatable, Sendable {
        case http(status: Int, retryAfter: Int?)
        case tlsAlert(TLSAlert)
        /// The local handler completes the TLS handshake with the platform certificate and answers
        /// this status in HTTP.
        case overTLS(status: Int, retryAfter: Int?)
        /// Nothing: the client sent nothing that could be answered, or is gone.
        case silent
    }

    var wire: Wire
    /// Why, in words: the problem document's `detail` and the log line.
    var detail: String

    /// The bytes to write: an RFC 9457 problem document in a `Connection: close` response, a TLS
    /// alert, or nothing.
    func bytes(date: String) -> [UInt8] {
        switch wire {
        case .silent, .overTLS:
            return []
        case .tlsAlert(let alert):
            return alert.record
        case .http(let status, let retryAfter):
            let title = Self.reasonPhrase(status)
            let body =
                "{\"type\":\"about:blank\",\"title\":\"\(title)\",\"status\":\(status),"
                + "\"detail\":\"\(JSONText.escaped(detail))\"}"
            var head =
                "HTTP/1.1 \(status) \(title)\r\nDate: \(date)\r\nContent-Type: application/problem+json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            if let retryAfter { head += "Retry-After: \(retryAfter)\r\n" }
            head += "\r\n"
            return Array(head.utf8) + Array(body.utf8)
        }
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 431: "Request Header Fields Too Large"
        case 503: "Service Unavailable"
        default: "Error"
        }
    }
}

/// The router's verdict on a connection, from the bytes peeked so far.
enum RoutingDecision: Equatable, Sendable {
    case needMoreBytes
    case handOver(tenant: String, socket: String, transport: Transport)
    /// The platform's own host: the control plane serves it (``LocalConnectionHandler``).
    case serveLocally(transport: Transport)
    case refuse(EdgeRouter.Refusal, RefusalAnswer)
}

/// Turns peeked bytes into a decision. No I/O except the directory lookup, so every rule here is
/// unit-tested without sockets.
struct RoutingPolicy: Sendable {
    let baseDomain: String
    let directory: any TenantDirectory
    let maxHeadBytes: Int
    let handoverRetryAfterSeconds: Int
    /// Takes the platform host and answers refusals over TLS; nil: neither (404 and alerts).
    let local: (any LocalConnectionHandler)?

    /// Labels under the base domain that are the platform's own hosts, never a tenant's: served by
    /// the local handler (the platform API), or 404 without one.
    static let platformLabels: Set<String> = ["admin"]

    init(
        baseDomain: String, directory: any TenantDirectory, maxHeadBytes: Int, handoverRetryAfterSeconds: Int,
        local: (any LocalConnectionHandler)? = nil
    ) {
        self.baseDomain = HostName.normalizedBaseDomain(baseDomain)
        self.directory = directory
        self.maxHeadBytes = maxHeadBytes
        self.handoverRetryAfterSeconds = handoverRetryAfterSeconds
        self.local = local
    }

    /// The wire form of a refusal of a routable connection: HTTP for plain connections; for TLS, an
    /// HTTP answer after a handshake with the platform certificate when there is one, else `alert`.
    func answer(status: Int, retryAfter: Int?, alert: TLSAlert, transport: Transport) -> RefusalAnswer.Wire {
        switch transport {
        case .http: .http(status: status, retryAfter: retryAfter)
        case .tls: local?.terminatesTLS == true ? .overTLS(status: status, retryAfter: retryAfter) : .tlsAlert(alert)
        }
    }

    static func isTLS(_ peeked: UnsafeRawBufferPointer) -> Bool {
        peeked.first == ClientHelloParser.handshakeContentType
    }

    /// The decision while the connection is open and within its deadline.
    func decide(_ peeked: UnsafeRawBufferPointer) -> RoutingDecision {
        guard !peeked.isEmpty else { return .needMoreBytes }
        let full = peeked.count >= maxHeadBytes
        if Self.isTLS(peeked) {
            switch ClientHelloParser.parse(peeked) {
            case .incomplete:
                guard full else { return .needMoreBytes }
                return .refuse(
                    .headTooLarge,
                    RefusalAnswer(
                        wire: .tlsAlert(.handshakeFailure),
                        detail: "the TLS ClientHello is longer than \(maxHeadBytes) bytes"))
            case .invalid(let problem):
                return .refuse(.badRequest, RefusalAnswer(wire: .tlsAlert(.decodeError), detail: problem.description))
            case .serverName(let name):
                return route(host: name, transport: .tls)
            }
        }
        switch HTTPHeadParser.parse(peeked) {
        case .incomplete:
            guard full else { return .needMoreBytes }
            return .refuse(
                .headTooLarge,
                RefusalAnswer(
                    wire: .http(status: 431, retryAfter: nil),
                    detail: "the request head is longer than \(maxHeadBytes) bytes"))
        case .invalid(let problem):
            let refusal: EdgeRouter.Refusal = .badRequest
            return .refuse(
                refusal, RefusalAnswer(wire: .http(status: 400, retryAfter: nil), detail: problem.description))
        case .host(let host):
            return route(host: host, transport: .http)
        }
    }

    /// The decision when the head deadline passed (the slowloris guard).
    func decideAtDeadline(_ peeked: UnsafeRawBufferPointer, timeout: Duration) -> RoutingDecision {
        let detail = "no complete request head within \(timeout.components.seconds) s"
        if Self.isTLS(peeked) {
            return .refuse(.headTimeout, RefusalAnswer(wire: .silent, detail: detail))
        }
        return .refuse(.headTimeout, RefusalAnswer(wire: .http(status: 408, retryAfter: nil), detail: detail))
    }

    /// The decision when the client closed its sending half before its head was complete.
    func decideAtHalfClose(_ peeked: UnsafeRawBufferPointer) -> RoutingDecision {
        let decided = decide(peeked)
        guard decided == .needMoreBytes else { return decided }
        if peeked.isEmpty || Self.isTLS(peeked) {
            return .refuse(
                .clientClosed, RefusalAnswer(wire: .silent, detail: "the client closed before sending a head"))
        }
        return .refuse(
            .clientClosed,
            RefusalAnswer(
                wire: .http(status: 400, retryAfter: nil),
                detail: "the connection was half-closed before the request head was complete"))
    }

    func route(host: String?, transport: Transport) -> RoutingDecision {
        func refuse(
            _ reason: EdgeRouter.Refusal, _ status: Int, _ alert: TLSAlert, _ detail: String, retry: Int? = nil
        )
            -> RoutingDecision
        {
            let wire = answer(status: status, retryAfter: retry, alert: alert, transport: transport)
            return .refuse(reason, RefusalAnswer(wire: wire, detail: detail))
        }
        guard let host else {
            return refuse(.unknownTenant, 404, .unrecognizedName, "the TLS ClientHello names no server (SNI)")
        }
        if let label = HostName.tenant(host: host, baseDomain: baseDomain), Self.platformLabels.contains(label),
            let local, transport == .http || local.terminatesTLS
        {
            return .serveLocally(transport: transport)
        }
        guard let tenant = HostName.tenant(host: host, baseDomain: baseDomain),
            !Self.platformLabels.contains(tenant)
        else {
            return refuse(
                .unknownTenant, 404, .unrecognizedName,
                "no tenant is served at \(host); tenants are reached at <tenant>.\(baseDomain)")
        }
        switch directory.route(tenant: tenant) {
        case .active(let socket):
            return .handOver(tenant: tenant, socket: socket, transport: transport)
        case .unknown:
            return refuse(.unknownTenant, 404, .unrecognizedName, "no tenant is served at \(host)")
        case .suspended:
            return refuse(.suspended, 403, .accessDenied, "the tenant \(tenant) is suspended")
        case .unavailable(let seconds):
            return refuse(
                .unavailable, 503, .internalError, "the tenant \(tenant) is not serving right now; retry later",
                retry: max(1, seconds))
        }
    }

    /// The answer when the worker's hand-over socket refused the connection.
    func handoverFailed(tenant: String, transport: Transport) -> RoutingDecision {
        let wire = answer(
            status: 503, retryAfter: handoverRetryAfterSeconds, alert: .internalError, transport: transport)
        return .refuse(
            .handoverFailed,
            RefusalAnswer(wire: wire, detail: "the tenant \(tenant) is not accepting connections right now"))
    }
}

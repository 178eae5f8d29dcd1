// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// A URL as ``OutboundHTTPClient`` will read it (libcurl's own parser), for code that must judge a
/// URL before any request goes to it, such as the endpoints an OIDC discovery document names. Using
/// the parser the transfer uses means the judgement and the connection cannot disagree on the host.
public struct HTTPClientURL: Sendable, Equatable {
    /// `http` or `https`, lower-cased.
    public let scheme: String
    /// Lower-cased; an IPv6 address keeps its brackets.
    public let host: String
    public let port: Int
    /// The normalised URL, as a request would send it.
    public let normalized: String
    /// scheme://host[:port]/path, without user information, query or fragment (for messages).
    public let redacted: String
    /// 127.0.0.0/8, ::1, IPv4-mapped loopback or `localhost`.
    public let isLoopback: Bool

    /// Parses `string` with the rules of every request: an absolute http(s) URL with a host, and
    /// plain HTTP only to a loopback host (``HTTPClientError/Code/refusedInsecure`` otherwise).
    public static func parse(_ string: String) throws(HTTPClientError) -> HTTPClientURL {
        let target = try TargetURL.parse(string, method: "URL")
        return HTTPClientURL(
            scheme: target.scheme, host: target.host, port: target.port, normalized: target.text,
            redacted: target.redacted, isLoopback: target.isLoopback)
    }
}

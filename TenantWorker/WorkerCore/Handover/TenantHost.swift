// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// The one host name a handed-over connection may ask for: `<slug>.<base-domain>`.
///
/// The router looked at the first request head only; an HTTP/1.1 keep-alive connection can carry
/// more requests, and a later one could name another tenant. Each tenant has its own worker, so
/// this worker answers 421 Misdirected Request (RFC 9110 §15.5.20) to any request naming another
/// host; the client retries on a new connection, which the router sends to the right worker.
struct TenantHost: Sendable, Equatable {
    /// Lowercase, without a trailing dot.
    let name: String

    init(slug: String, baseDomain: String) {
        name = Self.normalize("\(slug).\(baseDomain)")
    }

    enum Check: Equatable {
        case matches
        /// RFC 9112 §3.2: a request without a Host, or with more than one, gets 400.
        case missing
        case ambiguous
        case otherHost(String)
    }

    /// `values` are the request's Host field values (the authority first when it has one).
    func check(_ values: [String]) -> Check {
        guard let first = values.first else { return .missing }
        guard values.count == 1 else { return .ambiguous }
        guard let host = Self.hostName(of: first) else { return .otherHost(first) }
        return host == name ? .matches : .otherHost(first)
    }

    /// The host part of a Host field value, lowercased, with the port and one trailing dot removed
    /// (names compare case-insensitively, RFC 4343; `acme.example.` is the same name as
    /// `acme.example`). Nil when the value is not a plain `host[:port]`.
    static func hostName(of value: String) -> String? {
        var text = Substring(value.trimmingWhitespace())
        if text.hasPrefix("[") {
            // An IP-literal (RFC 3986 §3.2.2) never names a tenant; keep it for the message only.
            return nil
        }
        if let colon = text.lastIndex(of: ":") {
            let port = text[text.index(after: colon)...]
            guard port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            text = text[..<colon]
        }
        guard !text.isEmpty, !text.contains(where: { $0 == "@" || $0 == "/" || $0 == " " }) else { return nil }
        return normalize(String(text))
    }

    static func normalize(_ name: String) -> String {
        var lowered = name.lowercased()
        if lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}

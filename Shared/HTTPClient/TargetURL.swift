// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A request URL as libcurl's own URL parser reads it. Checking the host with the same parser that
/// will connect avoids the classic parser-differential bypass (a URL that one parser reads as
/// loopback and the other as a remote host). The normalised text is what the transfer uses.
struct TargetURL: Sendable, Equatable {
    let text: String
    let scheme: String
    /// Lower-cased; an IPv6 address keeps its brackets, as in the URL.
    let host: String
    let port: Int
    /// scheme://host[:port]/path — no user information, query or fragment.
    let redacted: String

    var isLoopback: Bool { Self.isLoopback(host: host) }

    /// Parses `string`, refusing anything but http(s) with a host, and plain HTTP to a host that is
    /// not loopback. `method` only labels the error.
    static func parse(_ string: String, method: String) throws(HTTPClientError) -> TargetURL {
        let label = "\(method) \(roughRedaction(string))"
        CurlGlobal.initialize()
        guard let handle = curl_url() else {
            throw HTTPClientError(.badURL, request: label, "libcurl could not allocate a URL handle")
        }
        defer { curl_url_cleanup(handle) }
        let status = curl_url_set(handle, CURLUPART_URL, string, 0)
        guard status == CURLUE_OK else {
            let reason = String(cString: curl_url_strerror(status))
            throw HTTPClientError(
                .badURL, request: label, "not a valid absolute URL (\(reason)); write it as https://host/path")
        }
        func part(_ which: CURLUPart, _ flags: UInt32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &value, flags) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        let scheme = (part(CURLUPART_SCHEME) ?? "").lowercased()
        let host = (part(CURLUPART_HOST) ?? "").lowercased()
        let path = part(CURLUPART_PATH) ?? "/"
        guard scheme == "http" || scheme == "https" else {
            throw HTTPClientError(
                .badURL, request: label, "the scheme '\(scheme)' is not supported; only https (and http to loopback)")
        }
        guard !host.isEmpty, let text = part(CURLUPART_URL) else {
            throw HTTPClientError(.badURL, request: label, "the URL has no host; write it as https://host/path")
        }
        let defaultPort = scheme == "https" ? 443 : 80
        let explicitPort = part(CURLUPART_PORT).flatMap { Int($0) }
        let port = explicitPort ?? defaultPort
        let portText = port == defaultPort ? "" : ":\(port)"
        let target = TargetURL(
            text: text, scheme: scheme, host: host, port: port, redacted: "\(scheme)://\(host)\(portText)\(path)")
        if scheme == "http" && !target.isLoopback {
            throw HTTPClientError(
                .refusedInsecure, request: "\(method) \(target.redacted)",
                "plain HTTP is only allowed to a loopback host (127.0.0.0/8, ::1, localhost); use https://")
        }
        return target
    }

    /// 127.0.0.0/8 (RFC 1122 §3.2.1.3), ::1 and IPv4-mapped 127/8 (RFC 4291 §2.5.3, §2.5.5.2), and
    /// `localhost`, which libcurl resolves to loopback itself without asking DNS (RFC 6761 §6.3).
    static func isLoopback(host: String) -> Bool {
        if host == "localhost" { return true }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, String(host.dropFirst().dropLast()), &address) == 1 else { return false }
            let bytes = withUnsafeBytes(of: &address) { Array($0) }
            let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
            let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
            return bytes == loopback || (Array(bytes[0..<12]) == mappedPrefix && bytes[12] == 127)
        }
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else { return false }
        return withUnsafeBytes(of: &address) { $0[0] } == 127
    }

    /// For an unparseable URL: the text up to the first `?` or `#`, without user information.
    static func roughRedaction(_ string: String) -> String {
        var text = Substring(string)
        if let end = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<end] }
        if let schemeEnd = text.range(of: "://") {
            let authorityStart = schemeEnd.upperBound
            let authorityEnd = text[authorityStart...].firstIndex(of: "/") ?? text.endIndex
            if let at = text[authorityStart..<authorityEnd].lastIndex(of: "@") {
                text = text[..<authorityStart] + text[text.index(after: at)...]
            }
        }
        return String(text.prefix(200))
    }
}

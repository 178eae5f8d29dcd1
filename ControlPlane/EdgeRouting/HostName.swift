// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Host names as the router compares them: from a Host header, an absolute-form request target or a
/// TLS server_name.
public enum HostName {
    /// Why a Host value is not a host at all (the router answers 400; RFC 9112 §3.2).
    public enum Invalid: Error, Equatable, Sendable {
        case empty
        case badCharacter
        case badPort
        case badIPLiteral
        case list
    }

    /// Normalises `host[:port]` (RFC 3986 §3.2.2 `uri-host`, RFC 9110 §7.2): drops the port, one
    /// trailing dot (the absolute DNS form) and upper case, since host names compare
    /// case-insensitively (RFC 4343). IP literals keep their brackets: they name no tenant.
    public static func normalize(authority: some Collection<UInt8>) throws(Invalid) -> String {
        let bytes = Array(authority)
        guard !bytes.isEmpty else { throw .empty }
        var hostEnd = bytes.count
        var rest = bytes.count
        if bytes[0] == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { throw .badIPLiteral }
            for b in bytes[1..<close] where !(isHexDigit(b) || b == UInt8(ascii: ":") || b == UInt8(ascii: ".")) {
                throw .badIPLiteral
            }
            guard close > 1 else { throw .badIPLiteral }
            hostEnd = close + 1
            rest = hostEnd
        } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            hostEnd = colon
            rest = colon
        }
        if rest < bytes.count {
            // `port = *DIGIT` (RFC 3986 §3.2.3): may be empty, nothing but digits.
            guard bytes[rest] == UInt8(ascii: ":") else { throw .badPort }
            for b in bytes[(rest + 1)...] where !isDigit(b) { throw .badPort }
        }
        var host = Array(bytes[0..<hostEnd])
        if host.first != UInt8(ascii: "[") {
            for b in host {
                // A comma is a legal reg-name character but here it means a client (or a proxy) folded
                // several Host values into one line: refuse it like multiple Host lines.
                if b == UInt8(ascii: ",") { throw .list }
                guard isRegNameCharacter(b) else { throw .badCharacter }
            }
            if host.last == UInt8(ascii: ".") { host.removeLast() }
        }
        guard !host.isEmpty else { throw .empty }
        return String(decoding: host.map(lowercased), as: UTF8.self)
    }

    /// The tenant named by a normalised host: its left-most label when that label sits directly
    /// under `baseDomain` (`acme.csms.test` → `acme`; `a.b.csms.test`, `csms.test` and IP literals →
    /// nil). The label must be a DNS label (RFC 1035 §2.3.1: letters, digits, inner hyphens, ≤ 63).
    public static func tenant(host: String, baseDomain: String) -> String? {
        let base = normalizedBaseDomain(baseDomain)
        guard !base.isEmpty, host.utf8.count > base.utf8.count + 1, host.hasSuffix("." + base) else { return nil }
        let label = host.utf8.prefix(host.utf8.count - base.utf8.count - 1)
        guard isDNSLabel(label) else { return nil }
        return String(decoding: label, as: UTF8.self)
    }

    /// The configured base domain in the form hosts are compared in.
    public static func normalizedBaseDomain(_ domain: String) -> String {
        var bytes = Array(domain.utf8).map(lowercased)
        while bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func isDNSLabel(_ label: some BidirectionalCollection<UInt8>) -> Bool {
        guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
        guard first != UInt8(ascii: "-"), last != UInt8(ascii: "-") else { return false }
        return label.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isHexDigit(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isLowerAlphanumeric(_ b: UInt8) -> Bool { isDigit(b) || (b >= 0x61 && b <= 0x7A) }
    static func lowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// RFC 3986 §3.2.2 reg-name: unreserved / pct-encoded / sub-delims.
    static func isRegNameCharacter(_ b: UInt8) -> Bool {
        if isAlpha(b) || isDigit(b) { return true }
        switch b {
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"),
            UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }
}

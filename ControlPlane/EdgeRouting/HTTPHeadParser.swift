// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Finds the host an HTTP/1.x request is for, from the bytes of its head peeked so far.
///
/// The router only needs the host, but it checks the request line and every header line far enough
/// that it and the worker's own HTTP parser cannot disagree about which lines are headers (a bare CR,
/// a NUL or a folded line is refused here rather than read differently there).
public enum HTTPHeadParser {
    public enum Outcome: Equatable, Sendable {
        /// The head is not complete yet and nothing seen so far is wrong: peek again.
        case incomplete
        /// The head is complete; this is its host, normalised by ``HostName/normalize(authority:)``.
        case host(String)
        /// The head is not a valid HTTP/1.x request head (the router answers 400).
        case invalid(Problem)
    }

    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        case malformedRequestLine
        case unsupportedVersion
        case malformedHeaderLine
        case obsoleteLineFolding
        case missingHost
        case multipleHosts
        case invalidHost(HostName.Invalid)

        public var description: String {
            switch self {
            case .malformedRequestLine: "the request line is not `method SP request-target SP HTTP/1.x`"
            case .unsupportedVersion: "only HTTP/1.0 and HTTP/1.1 are served here"
            case .malformedHeaderLine: "a header line is not `name: value` (RFC 9112 §5)"
            case .obsoleteLineFolding: "a header line is folded onto the next line (RFC 9112 §5.2)"
            case .missingHost: "the request has no Host header; send `Host: <tenant>.<base domain>`"
            case .multipleHosts: "the request has more than one Host header (RFC 9112 §3.2)"
            case .invalidHost(let why):
                switch why {
                case .empty: "the Host header is empty"
                case .badCharacter: "the Host header contains a character not allowed in a host name"
                case .badPort: "the Host header's port is not a number"
                case .badIPLiteral: "the Host header's IP literal is malformed"
                case .list: "the Host header lists more than one host"
                }
            }
        }
    }

    public static func parse(_ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBytes { parse($0) }
    }

    public static func parse(_ p: UnsafeRawBufferPointer) -> Outcome {
        let n = p.count
        var i = 0
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
        while i < n, p[i] == cr || p[i] == lf { i += 1 }
        guard let requestLineEnd = lineEnd(p, from: i) else {
            // A CR at the end may be the first half of the line's CRLF.
            let partial = i..<(n > i && p[n - 1] == cr ? n - 1 : n)
            return checkRequestLine(p, partial, complete: false).map { .invalid($0) } ?? .incomplete
        }
        let requestLine = i..<contentEnd(p, requestLineEnd)
        if let problem = checkRequestLine(p, requestLine, complete: true) { return .invalid(problem) }
        i = requestLineEnd + 1

        var hostLines = 0
        var hostValue: Range<Int>?
        while true {
            guard let end = lineEnd(p, from: i) else { return .incomplete }
            let line = i..<contentEnd(p, end)
            if line.isEmpty { break }
            if p[i] == sp || p[i] == ht { return .invalid(.obsoleteLineFolding) }
            guard let colon = line.first(where: { p[$0] == UInt8(ascii: ":") }), colon > line.lowerBound else {
                return .invalid(.malformedHeaderLine)
            }
            // RFC 9112 §5.1: no whitespace between the field name and the colon.
            for k in line.lowerBound..<colon where !isTokenCharacter(p[k]) { return .invalid(.malformedHeaderLine) }
            for k in (colon + 1)..<line.upperBound where p[k] == 0 || p[k] == cr {
                return .invalid(.malformedHeaderLine)
            }
            if equalsIgnoringCase(p, line.lowerBound..<colon, "host") {
                hostLines += 1
                hostValue = trimmed(p, (colon + 1)..<line.upperBound)
            }
            i = end + 1
        }

        if hostLines > 1 { return .invalid(.multipleHosts) }
        let target = requestTarget(p, requestLine)
        // RFC 9112 §3.2.2: with an absolute-form target the Host header is ignored and the target's
        // authority names the host; HTTP/1.1 still requires a Host line (RFC 9112 §3.2).
        let isHTTP10 = p[requestLine.upperBound - 1] == UInt8(ascii: "0")
        if hostLines == 0, !isHTTP10 || absoluteAuthority(p, target) == nil { return .invalid(.missingHost) }
        let authority: Range<Int>
        if let absolute = absoluteAuthority(p, target) {
            if p[absolute].contains(UInt8(ascii: "@")) { return .invalid(.invalidHost(.badCharacter)) }
            authority = absolute
        } else if let hostValue {
            authority = hostValue
        } else {
            return .invalid(.missingHost)
        }
        do {
            return .host(try HostName.normalize(authority: p[authority]))
        } catch {
            return .invalid(.invalidHost(error))
        }
    }

    // MARK: - Request line

    /// Checks `method SP request-target SP HTTP-version` (RFC 9112 §3). With `complete == false`
    /// only the bytes present are checked, so junk is refused before the head is complete.
    static func checkRequestLine(_ p: UnsafeRawBufferPointer, _ line: Range<Int>, complete: Bool) -> Problem? {
        var k = line.lowerBound
        let methodStart = k
        while k < line.upperBound, isTokenCharacter(p[k]) { k += 1 }
        if k == line.upperBound { return complete ? .malformedRequestLine : nil }
        if p[k] != sp || k == methodStart { return .malformedRequestLine }
        k += 1
        let targetStart = k
        while k < line.upperBound, p[k] > sp, p[k] != 0x7F { k += 1 }
        if k == line.upperBound { return complete ? .malformedRequestLine : nil }
        if p[k] != sp || k == targetStart { return .malformedRequestLine }
        if complete, !isValidTarget(p, targetStart..<k, method: methodStart..<(targetStart - 1)) {
            return .malformedRequestLine
        }
        k += 1
        let version = Array(p[k..<line.upperBound])
        let prefix = Array("HTTP/".utf8)
        let headLength = min(version.count, prefix.count)
        if Array(version.prefix(headLength)) != Array(prefix.prefix(headLength)) { return .malformedRequestLine }
        if version.count > prefix.count {
            if version[5] != UInt8(ascii: "1") {
                return HostName.isDigit(version[5]) ? .unsupportedVersion : .malformedRequestLine
            }
        }
        if version.count > 6, version[6] != UInt8(ascii: ".") { return .malformedRequestLine }
        if version.count > 7, !HostName.isDigit(version[7]) { return .malformedRequestLine }
        if version.count > 8 { return .malformedRequestLine }
        if complete, version.count != 8 { return .malformedRequestLine }
        return nil
    }

    /// RFC 9112 §3.2: origin-form, absolute-form, authority-form (CONNECT only) or asterisk-form.
    static func isValidTarget(_ p: UnsafeRawBufferPointer, _ target: Range<Int>, method: Range<Int>) -> Bool {
        if p[target.lowerBound] == UInt8(ascii: "/") { return true }
        if target.count == 1, p[target.lowerBound] == UInt8(ascii: "*") { return true }
        if absoluteAuthority(p, target) != nil { return true }
        return equalsIgnoringCase(p, method, "CONNECT")
    }

    static func requestTarget(_ p: UnsafeRawBufferPointer, _ line: Range<Int>) -> Range<Int> {
        var k = line.lowerBound
        while p[k] != sp { k += 1 }
        let start = k + 1
        k = start
        while p[k] != sp { k += 1 }
        return start..<k
    }

    /// The authority of an absolute-form target (`scheme://authority/...`), or nil.
    static func absoluteAuthority(_ p: UnsafeRawBufferPointer, _ target: Range<Int>) -> Range<Int>? {
        var k = target.lowerBound
        guard k < target.upperBound, HostName.isAlpha(p[k]) else { return nil }
        while k < target.upperBound,
            HostName.isAlpha(p[k]) || HostName.isDigit(p[k]) || p[k] == UInt8(ascii: "+")
                || p[k] == UInt8(ascii: "-") || p[k] == UInt8(ascii: ".")
        {
            k += 1
        }
        guard target.upperBound - k >= 3, p[k] == UInt8(ascii: ":"), p[k + 1] == UInt8(ascii: "/"),
            p[k + 2] == UInt8(ascii: "/")
        else { return nil }
        let start = k + 3
        var end = start
        while end < target.upperBound, p[end] != UInt8(ascii: "/"), p[end] != UInt8(ascii: "?"),
            p[end] != UInt8(ascii: "#")
        {
            end += 1
        }
        return start..<end
    }

    // MARK: - Bytes

    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let ht: UInt8 = 0x09

    /// The index of the LF ending the line that starts at `start`, or nil when it has not arrived.
    static func lineEnd(_ p: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var k = start
        while k < p.count {
            if p[k] == lf { return k }
            k += 1
        }
        return nil
    }

    /// The end of a line's content: before its LF and the CR in front of it, if any
    /// (RFC 9112 §2.2 lets a recipient accept a bare LF as a line terminator).
    static func contentEnd(_ p: UnsafeRawBufferPointer, _ lf: Int) -> Int {
        lf > 0 && p[lf - 1] == cr ? lf - 1 : lf
    }

    static func trimmed(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, p[lower] == sp || p[lower] == ht { lower += 1 }
        while upper > lower, p[upper - 1] == sp || p[upper - 1] == ht { upper -= 1 }
        return lower..<upper
    }

    static func equalsIgnoringCase(_ p: UnsafeRawBufferPointer, _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        let w = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for (offset, k) in range.enumerated() where HostName.lowercased(p[k]) != HostName.lowercased(w[offset]) {
            return false
        }
        return true
    }

    /// RFC 9110 §5.6.2 tchar.
    static func isTokenCharacter(_ b: UInt8) -> Bool {
        if HostName.isAlpha(b) || HostName.isDigit(b) { return true }
        switch b {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}

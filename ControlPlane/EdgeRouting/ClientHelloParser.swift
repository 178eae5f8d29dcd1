// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Finds the server name (SNI) a TLS client asks for, from the bytes peeked so far.
///
/// The ClientHello is the first handshake message (RFC 8446 §4.1.2, the same layout in TLS 1.0–1.2:
/// RFC 5246 §7.4.1.2). It may be split over several handshake records (RFC 8446 §5.1), and each
/// record over several TCP segments, so the parser reassembles the handshake bytes of consecutive
/// records and answers `incomplete` until the whole message is there.
public enum ClientHelloParser {
    public enum Outcome: Equatable, Sendable {
        case incomplete
        /// The ClientHello is complete; its host_name, normalised like a Host header (lower case, no
        /// trailing dot), or nil when the client sent no server_name extension.
        case serverName(String?)
        case invalid(Problem)
    }

    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        case notHandshakeRecord
        case unsupportedRecordVersion
        case badRecordLength
        case notClientHello
        case truncatedClientHello
        case badExtensions
        case duplicateExtension
        case badServerName

        public var description: String {
            switch self {
            case .notHandshakeRecord: "a record before the end of the ClientHello is not a handshake record"
            case .unsupportedRecordVersion: "the record layer version is not 3.x"
            case .badRecordLength: "a handshake record is empty or longer than 2^14 bytes (RFC 8446 §5.1)"
            case .notClientHello: "the first handshake message is not a ClientHello"
            case .truncatedClientHello: "the ClientHello's fields overrun the message"
            case .badExtensions: "the ClientHello's extensions block is malformed"
            case .duplicateExtension: "the ClientHello repeats an extension (RFC 8446 §4.2)"
            case .badServerName: "the server_name extension is malformed (RFC 6066 §3)"
            }
        }
    }

    /// The first byte of a TLS handshake record: how the router tells TLS from plain HTTP.
    public static let handshakeContentType: UInt8 = 0x16

    static let maximumRecordLength = 1 << 14

    public static func parse(_ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBytes { parse($0) }
    }

    public static func parse(_ p: UnsafeRawBufferPointer) -> Outcome {
        var handshake: [UInt8] = []
        var k = 0
        while true {
            if handshake.count >= 4 {
                guard handshake[0] == 1 else { return .invalid(.notClientHello) }
                let length = Int(handshake[1]) << 16 | Int(handshake[2]) << 8 | Int(handshake[3])
                if handshake.count >= 4 + length { return parseClientHello(handshake[4..<(4 + length)]) }
            }
            let available = p.count - k
            if available >= 1, p[k] != handshakeContentType { return .invalid(.notHandshakeRecord) }
            if available >= 2, p[k + 1] != 3 { return .invalid(.unsupportedRecordVersion) }
            guard available >= 5 else { return .incomplete }
            let length = Int(p[k + 3]) << 8 | Int(p[k + 4])
            guard length > 0, length <= maximumRecordLength else { return .invalid(.badRecordLength) }
            let present = min(length, available - 5)
            handshake.append(contentsOf: p[(k + 5)..<(k + 5 + present)])
            if present < length {
                // Part of a record: enough when the ClientHello ends inside what has arrived.
                if handshake.count >= 4 {
                    guard handshake[0] == 1 else { return .invalid(.notClientHello) }
                    let message = Int(handshake[1]) << 16 | Int(handshake[2]) << 8 | Int(handshake[3])
                    if handshake.count >= 4 + message { return parseClientHello(handshake[4..<(4 + message)]) }
                }
                return .incomplete
            }
            k += 5 + length
        }
    }

    static func parseClientHello(_ body: ArraySlice<UInt8>) -> Outcome {
        var r = Reader(bytes: body)
        guard r.skip(2 + 32),  // legacy_version, random
            let sessionID = r.u8(), sessionID <= 32, r.skip(Int(sessionID)),
            let suites = r.u16(), suites >= 2, suites % 2 == 0, r.skip(Int(suites)),
            let compression = r.u8(), compression >= 1, r.skip(Int(compression))
        else { return .invalid(.truncatedClientHello) }
        // Hellos without extensions exist (SSL 3.0 style); they carry no server name.
        if r.isAtEnd { return .serverName(nil) }
        guard let total = r.u16(), Int(total) == r.remaining else { return .invalid(.badExtensions) }
        var seen = Set<UInt16>()
        var serverName: String?
        while !r.isAtEnd {
            guard let type = r.u16(), let length = r.u16(), let data = r.take(Int(length)) else {
                return .invalid(.badExtensions)
            }
            guard seen.insert(type).inserted else { return .invalid(.duplicateExtension) }
            if type == 0 {
                guard let name = parseServerNameList(data) else { return .invalid(.badServerName) }
                serverName = name
            }
        }
        return .serverName(serverName)
    }

    /// RFC 6066 §3: `ServerName server_name_list<1..2^16-1>`, each a name_type and a HostName; at
    /// most one name of each type. Returns nil when malformed, `.some(nil)` when no host_name is listed.
    static func parseServerNameList(_ data: ArraySlice<UInt8>) -> String?? {
        var r = Reader(bytes: data)
        guard let listLength = r.u16(), listLength >= 1, Int(listLength) == r.remaining else { return nil }
        var hostName: String??
        while !r.isAtEnd {
            guard let type = r.u8(), let length = r.u16(), length >= 1, let name = r.take(Int(length)) else {
                return nil
            }
            guard type == 0 else { continue }
            guard hostName == nil, let normalized = normalizedHostName(name) else { return nil }
            hostName = .some(normalized)
        }
        return hostName ?? .some(nil)
    }

    /// HostName is ASCII without a trailing dot (RFC 6066 §3); a trailing dot is forgiven like in a
    /// Host header. Only letters, digits, hyphen, dot and underscore: no port, no IP literal brackets.
    static func normalizedHostName(_ name: ArraySlice<UInt8>) -> String? {
        var bytes = Array(name)
        for b in bytes
        where
            !(HostName.isAlpha(b) || HostName.isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
            || b == UInt8(ascii: "_"))
        {
            return nil
        }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        guard !bytes.isEmpty else { return nil }
        return String(decoding: bytes.map(HostName.lowercased), as: UTF8.self)
    }

    struct Reader {
        var bytes: ArraySlice<UInt8>
        var remaining: Int { bytes.count }
        var isAtEnd: Bool { bytes.isEmpty }

        mutating func u8() -> UInt8? {
            guard let b = bytes.first else { return nil }
            bytes = bytes.dropFirst()
            return b
        }

        mutating func u16() -> UInt16? {
            guard bytes.count >= 2 else { return nil }
            let value = UInt16(bytes[bytes.startIndex]) << 8 | UInt16(bytes[bytes.startIndex + 1])
            bytes = bytes.dropFirst(2)
            return value
        }

        mutating func skip(_ count: Int) -> Bool { take(count) != nil }

        mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard bytes.count >= count else { return nil }
            let slice = bytes.prefix(count)
            bytes = bytes.dropFirst(count)
            return slice
        }
    }
}

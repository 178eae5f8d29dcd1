// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import OCPPRPC

/// The parts of a WebSocket upgrade request that decide whether a station may connect, checked
/// before any database work so that junk is refused cheaply.
enum ConnectionRequest {
    /// Station identities are at most 48 characters (OCPP-J 2.0.1 §3.1.1 `identifierString`; applied
    /// to 1.6 as well, which sets no limit), printable ASCII, and never `:` because the identity is
    /// also the Basic-auth user name (OCPP 2.0 Part 4 errata 3.1).
    static let maxIdentityLength = 48

    enum IdentityError: Error, Equatable, CustomStringConvertible {
        case empty
        case badPercentEncoding
        case tooLong(Int)
        case forbiddenCharacter(UInt8)

        var description: String {
            switch self {
            case .empty: "the station identity is empty"
            case .badPercentEncoding: "the station identity is not valid percent-encoding"
            case .tooLong(let n): "the station identity has \(n) characters; at most \(maxIdentityLength) are allowed"
            case .forbiddenCharacter(let c):
                c == UInt8(ascii: ":")
                    ? "the station identity contains ':', which OCPP forbids (it is the Basic-auth user name)"
                    : "the station identity contains the byte 0x\(String(c, radix: 16)); only printable ASCII is allowed"
            }
        }
    }

    /// Decodes the path segment once (`CP%2D01` → `CP-01`, OCPP-J §3.1.1) and validates it: printable
    /// ASCII without space (2.0.1 `identifierString`; the database enforces the same).
    /// Decoding once only: `%253A` stays `%3A`, so an encoded `:` cannot sneak past the check.
    static func identity(fromPathSegment segment: Substring) -> Result<String, IdentityError> {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(segment.utf8.count)
        var iterator = segment.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let h = iterator.next().flatMap(hexValue), let l = iterator.next().flatMap(hexValue) else {
                    return .failure(.badPercentEncoding)
                }
                bytes.append(h << 4 | l)
            } else {
                bytes.append(byte)
            }
        }
        if let error = validate(bytes) { return .failure(error) }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// Checks an identity that is already decoded (as given to the REST API).
    static func validate(identity: String) -> IdentityError? {
        validate(Array(identity.utf8))
    }

    private static func validate(_ bytes: [UInt8]) -> IdentityError? {
        guard !bytes.isEmpty else { return .empty }
        if let bad = bytes.first(where: { $0 <= 0x20 || $0 > 0x7E || $0 == UInt8(ascii: ":") }) {
            return .forbiddenCharacter(bad)
        }
        guard bytes.count <= maxIdentityLength else { return .tooLong(bytes.count) }
        return nil
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The OCPP version for the connection: among the subprotocols the station offers (one
    /// `Sec-WebSocket-Protocol` header or several, comma-separated, OCPP-J §3.1.2), those the
    /// tenant allows; 2.0.1 when both remain (our preference), nil when none do — the upgrade is then
    /// refused, as the OCTT expects (TC_B_58; PROTOCOLS.md §1.1), rather than completed without a
    /// subprotocol.
    static func negotiateVersion(offered headerValues: [String], allowed: [OCPPVersion]) -> OCPPVersion? {
        let offered = Set(
            headerValues.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) })
        for version in [OCPPVersion.ocpp201, .ocpp16] where allowed.contains(version) {
            if offered.contains(version.rawValue) { return version }
        }
        return nil
    }

    /// User name and password of an `Authorization: Basic ...` header (RFC 7617), or nil when the
    /// header is missing, of another scheme, or not valid base64 / UTF-8 with a `:`.
    static func basicCredentials(_ header: String?) -> (user: String, password: String)? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}

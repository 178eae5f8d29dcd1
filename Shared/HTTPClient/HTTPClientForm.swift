// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// `application/x-www-form-urlencoded` bodies and query strings, as OAuth 2.0 sends its requests
/// (RFC 6749 Appendix B, §4.1.1, §4.1.3), and HTTP Basic credentials (RFC 7617).
public enum HTTPClientForm {
    public static let contentType = "application/x-www-form-urlencoded"

    /// `text` as UTF-8 with every byte outside the RFC 3986 §2.3 unreserved set written as `%XX`
    /// (upper-case hex). A space becomes `%20`: form decoders read it as a space just like `+`, so one
    /// spelling serves both bodies and URL queries.
    public static func percentEncode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `name=value` pairs joined by `&`, both sides percent-encoded, in the given order.
    public static func encode(_ fields: [(name: String, value: String)]) -> String {
        fields.map { percentEncode($0.name) + "=" + percentEncode($0.value) }.joined(separator: "&")
    }

    /// The fields of a form body or URL query (without the leading `?`): `+` is a space and `%XX` a
    /// byte. Empty pieces (`a=1&&b=2`) are skipped and a piece without `=` has an empty value. Nil when
    /// an escape is not two hex digits or the decoded bytes are not UTF-8, because a callback with a
    /// mangled parameter must be refused rather than half-read.
    public static func decode(_ text: Substring) -> [(name: String, value: String)]? {
        var fields: [(name: String, value: String)] = []
        for piece in text.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = piece.firstIndex(of: "=") {
                name = piece[..<equals]
                value = piece[piece.index(after: equals)...]
            } else {
                name = piece
                value = ""
            }
            guard let decodedName = unescape(name), let decodedValue = unescape(value) else { return nil }
            fields.append((decodedName, decodedValue))
        }
        return fields
    }

    /// See ``decode(_:)-(Substring)``.
    public static func decode(_ text: String) -> [(name: String, value: String)]? { decode(Substring(text)) }

    private static func unescape(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~".
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}

extension HTTPClientRequest {
    /// A POST of `fields` as an `application/x-www-form-urlencoded` body, with that Content-Type.
    public static func form(
        url: String, fields: [(name: String, value: String)], headers: HTTPClientHeaders = [:]
    ) -> HTTPClientRequest {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: HTTPClientForm.contentType)
        return HTTPClientRequest(
            method: .post, url: url, headers: headers, body: Array(HTTPClientForm.encode(fields).utf8))
    }
}

extension HTTPClientHeaders {
    /// The `Authorization` value `Basic base64(username ":" password)` (RFC 7617 §2, UTF-8 as in
    /// §2.1). A username must not contain `:`, which the receiver would take for the separator;
    /// OAuth client credentials are percent-encoded first (RFC 6749 §2.3.1), which removes it.
    public static func basicAuthorization(username: String, password: String) -> String {
        "Basic " + standardBase64(Array("\(username):\(password)".utf8))
    }

    /// RFC 4648 §4 with padding, as RFC 7617 uses it.
    static func standardBase64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = Swift.min(3, bytes.count - index)
            var chunk: UInt32 = 0
            for offset in 0..<3 {
                chunk <<= 8
                if offset < count { chunk |= UInt32(bytes[index + offset]) }
            }
            for position in 0..<4 {
                if position <= count {
                    out.append(table[Int(chunk >> UInt32(18 - 6 * position) & 0x3F)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// The record sent with each descriptor (issue 5 hand-over contract): one UTF-8 JSON object of at
/// most 1 KiB, `{"v":1,"tenant":…,"client":"<ip>:<port>","accepted_at":<RFC 3339 ms>,"transport":…}`.
enum HandoverMetadata {
    static let version = 1
    static let maximumBytes = 1024

    static func encode(tenant: String, client: String, acceptedAt: String, transport: Transport) -> [UInt8] {
        let text =
            "{\"v\":\(version),\"tenant\":\"\(JSONText.escaped(tenant))\",\"client\":\"\(JSONText.escaped(client))\","
            + "\"accepted_at\":\"\(JSONText.escaped(acceptedAt))\",\"transport\":\"\(transport.rawValue)\"}"
        return Array(text.utf8)
    }
}

enum JSONText {
    /// A string's content escaped for a JSON string literal (RFC 8259 §7).
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CLibPQ

/// Building and describing libpq `key=value` connection strings, so callers never splice values
/// (a password with a space or a quote) into one by hand.
public enum PGConnectionString {
    /// `key='value' ...` with every value quoted; nil values are left out.
    public static func make(_ pairs: KeyValuePairs<String, String?>) -> String {
        pairs.compactMap { key, value in value.map { "\(key)=\(quote($0))" } }.joined(separator: " ")
    }

    /// Quotes one value for a connection string (libpq §34.1.1: single quotes, `\'` and `\\`).
    public static func quote(_ value: String) -> String {
        var quoted = "'"
        for character in value {
            if character == "'" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "'"
    }

    /// `host=... port=... user=... dbname=...` for messages, never the password. A string libpq
    /// cannot parse is described as such.
    public static func describe(_ conninfo: String) -> String {
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return "(unparseable connection string)"
        }
        defer { PQconninfoFree(options) }
        var lookup: [String: String] = [:]
        var index = 0
        while let keyword = options[index].keyword {
            if let value = options[index].val { lookup[String(cString: keyword)] = String(cString: value) }
            index += 1
        }
        return PGConnectSettings.describeEndpoint(
            host: lookup["host"] ?? lookup["hostaddr"], port: lookup["port"], user: lookup["user"],
            database: lookup["dbname"])
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// A reply from Redis (RESP2, the protocol hiredis 0.14 speaks).
///
/// Bulk strings stay bytes: Redis values are binary-safe and may hold NUL bytes or invalid UTF-8,
/// so decoding is left to the caller (`string` decodes only valid UTF-8).
public enum RedisValue: Sendable, Equatable, Hashable {
    case simpleString(String)
    /// An error reply nested in an array (e.g. one failed command of `EXEC`). A top-level error reply
    /// is thrown as a `RedisError` with code `.server` instead.
    case error(String)
    case integer(Int64)
    case bulkString([UInt8])
    case null
    case array([RedisValue])

    /// The text of a simple string, or of a bulk string that is valid UTF-8.
    public var string: String? {
        switch self {
        case .simpleString(let s): s
        case .bulkString(let bytes): String(validating: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// An integer reply, or a string reply that holds a decimal integer (`GET` of a counter).
    public var int: Int64? {
        switch self {
        case .integer(let n): n
        case .simpleString, .bulkString: string.flatMap { Int64($0) }
        default: nil
        }
    }

    /// The bytes of a bulk or simple string.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let s): Array(s.utf8)
        default: nil
        }
    }

    /// The elements of an array reply.
    public var array: [RedisValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// True for the null bulk string or null array (`GET` of a missing key).
    public var isNull: Bool { self == .null }
}

extension RedisValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .simpleString(let s): return "+\(s)"
        case .error(let s): return "-\(s)"
        case .integer(let n): return ":\(n)"
        case .null: return "(nil)"
        case .bulkString(let bytes):
            if let s = String(validating: bytes, as: UTF8.self) { return "\"\(s)\"" }
            return "<\(bytes.count) bytes>"
        case .array(let elements): return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import COpenSSL

/// A failure reported by OpenSSL (or an invalid argument) while hashing or generating secrets.
public struct PasswordHashError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The operation that failed, e.g. `"RAND_bytes"`.
    public let operation: String
    /// OpenSSL's error text for the first queued error, or a plain explanation.
    public let detail: String

    public init(operation: String, detail: String) {
        self.operation = operation
        self.detail = detail
    }

    public var description: String { "\(operation) failed: \(detail)" }

    /// Builds an error from OpenSSL's thread-local error queue, draining it so later calls start clean.
    static func openSSL(_ operation: String) -> PasswordHashError {
        let code = ERR_get_error()
        var detail = "no OpenSSL error queued"
        if code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            buffer.withUnsafeMutableBufferPointer { pointer in
                if let base = pointer.baseAddress {
                    ERR_error_string_n(code, base, pointer.count)
                }
            }
            let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            detail = String(decoding: bytes, as: UTF8.self)
        }
        ERR_clear_error()
        return PasswordHashError(operation: operation, detail: detail)
    }
}

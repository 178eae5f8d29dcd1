// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// A parameterised SQL statement.
///
/// Built by string interpolation, every interpolated value becomes a bind parameter and never part
/// of the SQL text:
///
///     let q: PGQuery = "SELECT name FROM station WHERE id = \(id) AND tenant = \(tenant)"
///     // q.sql == "SELECT name FROM station WHERE id = $1 AND tenant = $2"
///
/// Parameters are sent in text format with an unspecified type, so the server infers each
/// parameter's type from its context. Where it cannot (`SELECT $1`, `$1 IS NULL`, overloaded
/// functions), write a cast in the SQL: `\(id)::uuid`.
public struct PGQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// SQL text with `$1`, `$2`, ... placeholders. This is the statement cache key.
    public var sql: String
    public var binds: PGBindings

    public init(sql: String, binds: PGBindings) {
        self.sql = sql
        self.binds = binds
    }

    /// A statement with explicit placeholders (`$1` ...) and its values in order; `nil` is SQL NULL.
    public init(sql: String, binds: [(any PGEncodable)?] = []) {
        self.sql = sql
        var b = PGBindings(capacity: binds.count)
        for value in binds {
            if let value { b.append(value) } else { b.appendNull() }
        }
        self.binds = b
    }

    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = PGBindings()
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    /// The SQL text only: parameter values are deliberately left out so a query can be logged.
    public var description: String { sql }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        public typealias StringLiteralType = String

        var sql: String
        var binds: PGBindings

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = PGBindings(capacity: interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Appends `value` as the next bind parameter (`$n`). `Optional.none` is SQL NULL.
        public mutating func appendInterpolation<Value: PGEncodable>(_ value: Value) {
            binds.append(value)
            sql += "$\(binds.count)"
        }

        /// Appends `value` as the next bind parameter (`$n`); `nil` is SQL NULL.
        public mutating func appendInterpolation<Value: PGEncodable>(_ value: Value?) {
            binds.append(value)
            sql += "$\(binds.count)"
        }

        /// Appends an SQL NULL parameter: `"... VALUES (\(nil))"`.
        public mutating func appendInterpolation(_ value: PGNull) {
            binds.appendNull()
            sql += "$\(binds.count)"
        }
    }
}

/// The bind parameters of a ``PGQuery`` in PostgreSQL text format.
///
/// All values share one byte buffer (each value followed by a NUL terminator, as libpq expects), so
/// a statement with any number of parameters costs two allocations.
public struct PGBindings: Sendable, Hashable {
    /// Encoded values, each followed by a 0 byte.
    var bytes: [UInt8]
    /// Start of each value in `bytes`, or -1 for NULL.
    var offsets: [Int32]
    /// 1-based index of the first text parameter that contained a NUL byte (which PostgreSQL text
    /// cannot store and libpq would silently truncate); reported when the statement is sent.
    var firstParameterWithNUL: Int?

    public init() {
        bytes = []
        offsets = []
    }

    public init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity * 16)
        offsets = []
        offsets.reserveCapacity(capacity)
    }

    /// Number of parameters.
    public var count: Int { offsets.count }

    /// Appends a value as the next parameter.
    public mutating func append<Value: PGEncodable>(_ value: Value) {
        let start = bytes.count
        var encoder = PGEncoder(bytes: bytes)
        bytes = []
        value.encode(into: &encoder)
        bytes = encoder.bytes
        if encoder.isNull {
            bytes.removeSubrange(start...)
            offsets.append(-1)
            return
        }
        if firstParameterWithNUL == nil, bytes[start...].contains(0) {
            firstParameterWithNUL = offsets.count + 1
        }
        bytes.append(0)
        offsets.append(Int32(truncatingIfNeeded: start))
    }

    /// Appends an SQL NULL as the next parameter.
    public mutating func appendNull() {
        offsets.append(-1)
    }

    /// Calls `body` with libpq's `paramValues` array (pointers into this buffer, `nil` for NULL).
    func withCStringArray<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> R) rethrows -> R {
        if offsets.isEmpty { return try body(nil) }
        return try bytes.withUnsafeBufferPointer { buffer in
            try withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: offsets.count) { pointers in
                let base = UnsafeRawPointer(buffer.baseAddress)
                for (i, offset) in offsets.enumerated() {
                    if offset < 0 || base == nil {
                        pointers[i] = nil
                    } else {
                        pointers[i] = base?.advanced(by: Int(offset)).assumingMemoryBound(to: CChar.self)
                    }
                }
                return try body(UnsafePointer(pointers.baseAddress))
            }
        }
    }

    /// Checks what libpq cannot send; the message names the parameter.
    func validate(sql: String) throws(PGError) {
        if bytes.count >= Int(Int32.max) {
            throw PGError(code: .invalidArgument, message: "bind parameters larger than 2 GiB", query: sql)
        }
        if offsets.count > Int(UInt16.max) {
            throw PGError(
                code: .invalidArgument,
                message: "\(offsets.count) bind parameters; the PostgreSQL protocol allows at most 65535 per statement",
                query: sql)
        }
        if let index = firstParameterWithNUL {
            throw PGError(
                code: .invalidArgument,
                message: "parameter $\(index) contains a NUL byte, which PostgreSQL text values cannot store"
                    + " (use bytea for binary data)",
                query: sql)
        }
    }
}

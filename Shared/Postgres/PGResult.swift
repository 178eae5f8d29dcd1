// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

internal import CLibPQ

/// Owns one libpq `PGresult` and the metadata read from it once.
///
/// `@unchecked Sendable` is safe: libpq never modifies a `PGresult` after handing it out ("a PGresult
/// is read-only ... and can be passed between threads freely", libpq §34.21 "Behavior in Threaded
/// Programs"); this class only reads it and frees it once, in `deinit`, when no reader is left.
final class PGResultStorage: @unchecked Sendable {
    let pointer: OpaquePointer
    let rowCount: Int
    let columnNames: [String]
    let columnTypes: [UInt32]
    /// SQL text for error messages (never parameter values).
    let query: String?

    init(taking pointer: OpaquePointer, query: String?) {
        self.pointer = pointer
        self.query = query
        rowCount = Int(PQntuples(pointer))
        let columns = Int(PQnfields(pointer))
        var names: [String] = []
        var types: [UInt32] = []
        names.reserveCapacity(columns)
        types.reserveCapacity(columns)
        for c in 0..<Int32(columns) {
            names.append(PQfname(pointer, c).map { String(cString: $0) } ?? "?column?")
            types.append(UInt32(PQftype(pointer, c)))
        }
        columnNames = names
        columnTypes = types
    }

    deinit { PQclear(pointer) }

    func isNull(row: Int, column: Int) -> Bool {
        PQgetisnull(pointer, Int32(row), Int32(column)) == 1
    }

    /// The value's bytes (text format) without the NUL terminator. Valid while `self` is alive.
    func bytes(row: Int, column: Int) -> UnsafeBufferPointer<UInt8> {
        let length = Int(PQgetlength(pointer, Int32(row), Int32(column)))
        guard let value = PQgetvalue(pointer, Int32(row), Int32(column)) else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: length)
    }
}

/// The outcome of one statement: its rows (if any), column names and affected row count.
///
/// `PGResult` is a collection of its rows: `for row in result { ... }`.
public struct PGResult: Sendable, RandomAccessCollection {
    let storage: PGResultStorage?
    /// Rows for `SELECT` / `... RETURNING`; empty for other commands.
    public let rows: [PGRow]
    /// Number of rows inserted, updated, deleted, selected, ... (`PQcmdTuples`); 0 when the command
    /// does not report a count.
    public let affectedRows: Int
    /// Command tag, e.g. `INSERT 0 1`, `UPDATE 3`, `CREATE TABLE`.
    public let commandTag: String

    init(storage: PGResultStorage?, affectedRows: Int, commandTag: String) {
        self.storage = storage
        self.affectedRows = affectedRows
        self.commandTag = commandTag
        if let storage, storage.rowCount > 0 {
            rows = (0..<storage.rowCount).map { PGRow(storage: storage, index: $0) }
        } else {
            rows = []
        }
    }

    /// Column names in order (empty for commands that return no rows).
    public var columnNames: [String] { storage?.columnNames ?? [] }

    public var startIndex: Int { rows.startIndex }
    public var endIndex: Int { rows.endIndex }
    public subscript(position: Int) -> PGRow { rows[position] }
}

/// One row of a ``PGResult``.
public struct PGRow: Sendable {
    let storage: PGResultStorage
    /// Zero-based index of the row in its result.
    public let index: Int

    public var columnNames: [String] { storage.columnNames }
    public var columnCount: Int { storage.columnNames.count }

    /// Whether the value at `column` is SQL NULL.
    public func isNull(column: Int) throws -> Bool {
        try checkColumn(column)
        return storage.isNull(row: index, column: column)
    }

    /// Decodes the value at `column` (zero-based). Decode as `Optional` to accept NULL.
    public func decode<T: PGDecodable>(_ type: T.Type = T.self, column: Int) throws -> T {
        try checkColumn(column)
        do {
            if storage.isNull(row: index, column: column) {
                return try T.decodeNull()
            }
            return try T.decode(from: PGValue(storage: storage, row: index, column: column))
        } catch {
            throw decodingError(column: column, type: T.self, reason: error)
        }
    }

    /// Decodes the value of the first column called `name` (exact, case-sensitive match of the
    /// result's column name).
    public func decode<T: PGDecodable>(_ type: T.Type = T.self, column name: String) throws -> T {
        guard let column = storage.columnNames.firstIndex(of: name) else {
            throw PGError(
                code: .decoding,
                message: "the result has no column named \"\(name)\"; its columns are "
                    + storage.columnNames.map { "\"\($0)\"" }.joined(separator: ", "),
                query: storage.query)
        }
        return try decode(T.self, column: column)
    }

    /// Decodes the first columns in order: `let (id, name) = try row.decode((UUID, String).self)`.
    public func decode<each T: PGDecodable>(_ types: (repeat each T).Type) throws -> (repeat each T) {
        var column = 0
        func next<U: PGDecodable>(_ type: U.Type) throws -> U {
            defer { column += 1 }
            return try decode(U.self, column: column)
        }
        return (repeat try next((each T).self))
    }

    private func checkColumn(_ column: Int) throws(PGError) {
        guard column >= 0, column < storage.columnNames.count else {
            throw PGError(
                code: .decoding,
                message: "column index \(column) is out of range: the result has \(storage.columnNames.count) columns",
                query: storage.query)
        }
    }

    private func decodingError(column: Int, type: Any.Type, reason: any Error) -> PGError {
        let name = storage.columnNames[column]
        let oid = storage.columnTypes[column]
        let why: String
        if let failure = reason as? PGDecodingFailure {
            why = failure.reason
        } else {
            why = String(describing: reason)
        }
        var message = "column \"\(name)\" (#\(column), type \(PGTypeNames.name(of: oid))) of row \(index)"
        message += " cannot be decoded as \(type): \(why)"
        return PGError(code: .decoding, message: message, query: storage.query)
    }
}

/// A column value handed to ``PGDecodable/decode(from:)``: text-format bytes plus the column's type.
public struct PGValue: Sendable {
    enum Source: Sendable {
        case cell(PGResultStorage, row: Int, column: Int)
        case text(String)
    }

    let source: Source
    /// The column's type OID (0 for array elements of unknown type).
    public let typeOID: UInt32

    init(storage: PGResultStorage, row: Int, column: Int) {
        source = .cell(storage, row: row, column: column)
        typeOID = storage.columnTypes[column]
    }

    init(text: String, typeOID: UInt32) {
        source = .text(text)
        self.typeOID = typeOID
    }

    /// Calls `body` with the value's UTF-8 text (no terminator).
    public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch source {
        case .cell(let storage, let row, let column):
            return try withExtendedLifetime(storage) { try body(storage.bytes(row: row, column: column)) }
        case .text(var text):
            return try text.withUTF8(body)
        }
    }

    /// The value's text.
    public var string: String {
        switch source {
        case .cell: return withUTF8 { String(decoding: $0, as: UTF8.self) }
        case .text(let text): return text
        }
    }

    /// PostgreSQL's name of ``typeOID`` for messages.
    public var typeName: String { PGTypeNames.name(of: typeOID) }
}

/// Names of the built-in types (`pg_type.typname`) for error messages.
enum PGTypeNames {
    static func name(of oid: UInt32) -> String {
        names[oid] ?? (oid == 0 ? "unknown type" : "type oid \(oid)")
    }

    /// Element type of a built-in array type, or 0.
    static func elementType(ofArray oid: UInt32) -> UInt32 {
        arrayElements[oid] ?? 0
    }

    private static let names: [UInt32: String] = [
        16: "bool", 17: "bytea", 18: "char", 19: "name", 20: "int8", 21: "int2", 23: "int4", 24: "regproc",
        25: "text", 26: "oid", 114: "json", 142: "xml", 650: "cidr", 700: "float4", 701: "float8",
        774: "macaddr8", 790: "money", 829: "macaddr", 869: "inet", 1000: "_bool", 1001: "_bytea", 1005: "_int2",
        1007: "_int4", 1009: "_text", 1014: "_bpchar", 1015: "_varchar", 1016: "_int8", 1021: "_float4",
        1022: "_float8", 1028: "_oid", 1042: "bpchar", 1043: "varchar", 1082: "date", 1083: "time",
        1114: "timestamp", 1115: "_timestamp", 1182: "_date", 1184: "timestamptz", 1185: "_timestamptz",
        1186: "interval", 1231: "_numeric", 1266: "timetz", 1560: "bit", 1562: "varbit", 1700: "numeric",
        2249: "record", 2278: "void", 2950: "uuid", 2951: "_uuid", 3802: "jsonb", 3807: "_jsonb", 199: "_json",
        705: "unknown",
    ]

    private static let arrayElements: [UInt32: UInt32] = [
        1000: 16, 1001: 17, 1005: 21, 1007: 23, 1009: 25, 1014: 1042, 1015: 1043, 1016: 20, 1021: 700,
        1022: 701, 1028: 26, 1115: 1114, 1182: 1082, 1185: 1184, 1231: 1700, 2951: 2950, 3807: 3802, 199: 114,
    ]
}

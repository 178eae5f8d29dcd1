// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import JSON
import OCPPRPC

/// The rules an id token obeys wherever it enters (`POST /tokens`, `PATCH`, bulk import), so a
/// value the API accepts is one the table's CHECK constraints accept too (migration 0003).
enum TokenRules {
    /// OCPP 2.0.1 IdTokenEnumType (Part 2 §2.29); OCPP 1.6 idTags are stored as `Central`.
    static let types = [
        "Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization",
    ]
    static let statuses = ["accepted", "blocked", "expired", "invalid"]
    static let defaultType = "Central"
    static let defaultStatus = "accepted"

    /// The problem with a token value (or a group token, a parent token), or nil.
    ///
    /// 1 to 36 characters (OCPP 2.0.1 IdTokenType.idToken is a CiString36; 1.6 idTags are 20, so
    /// longer tokens reach 2.0.1 stations only). Control characters cannot be typed on a station or
    /// carried in every OCPP-J frame, and leading or trailing spaces are almost always a spreadsheet
    /// accident that would make the token never match, so both are refused.
    static func tokenProblem(_ value: String) -> String? {
        var count = 0
        var first: Unicode.Scalar?
        var last: Unicode.Scalar?
        for scalar in value.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                return "must not contain control characters"
            }
            if first == nil { first = scalar }
            last = scalar
            count += 1
        }
        if count == 0 { return "must not be empty" }
        if count > 36 { return "must be at most 36 characters (it has \(count))" }
        if let first, let last, first.properties.isWhitespace || last.properties.isWhitespace {
            return "must not start or end with a space"
        }
        return nil
    }

    /// An RFC 3339 date-time as whole milliseconds since 1970 (the API's precision), or nil.
    ///
    /// Times are stored and compared as integer milliseconds so that an exported file imports back
    /// unchanged: a `Date` holds binary fractions and could turn `.123` into `.122`.
    static func millis(_ text: String) -> Int64? {
        guard let date = OCPPDateTime.parse(text) else { return nil }
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite, abs(value) < 1e15 else { return nil }
        return Int64(value)
    }

    /// RFC 3339 UTC with milliseconds for a time in whole milliseconds since 1970.
    static func format(millis: Int64) -> String {
        // Half a millisecond keeps OCPPDateTime.format's rounding down on the intended millisecond.
        OCPPDateTime.format(Date(timeIntervalSince1970: (Double(millis) + 0.5) / 1000))
    }
}

/// The optional columns a row sets. A column that is absent from a file (or a member absent from a
/// JSON object) leaves an existing token's value as it is; a new token gets the default.
struct TokenColumns: OptionSet, Hashable, Sendable {
    let rawValue: UInt8
    static let type = TokenColumns(rawValue: 1)
    static let status = TokenColumns(rawValue: 2)
    static let expiresAt = TokenColumns(rawValue: 4)
    static let parentToken = TokenColumns(rawValue: 8)
    static let all: TokenColumns = [.type, .status, .expiresAt, .parentToken]
}

/// One validated id token: a row of an import file or the body of `POST /tokens`.
struct TokenInputRow: Sendable, Hashable {
    var token: String
    var type: String
    var status: String
    var expiresAtMillis: Int64?
    var parentToken: String?
    /// Which optional columns the row sets (see ``TokenColumns``).
    var given: TokenColumns = .all
}

/// What is wrong with one field (`field` nil: the whole row).
struct TokenFieldProblem: Sendable, Hashable {
    var field: String?
    var detail: String
}

/// One row as read from a file, before validation. A nil value is an absent column or member; an
/// empty string (or JSON null) is an empty cell, which means the default.
struct TokenRawRow: Sendable {
    var token: String?
    var type: String?
    var status: String?
    var expiresAt: String?
    var parentToken: String?
    var given: TokenColumns = []
    /// Problems found while reading (a JSON value of the wrong kind, an unknown member).
    var problems: [TokenFieldProblem] = []

    /// The validated row, or every problem of the row (a field already found to be of the wrong
    /// kind is not checked again).
    func validated() -> (row: TokenInputRow?, problems: [TokenFieldProblem]) {
        var problems = self.problems
        func check(_ field: String, _ value: String?, _ rule: (String) -> String?) {
            guard let value, !problems.contains(where: { $0.field == field }), let problem = rule(value) else { return }
            problems.append(TokenFieldProblem(field: field, detail: problem))
        }
        func oneOf(_ allowed: [String]) -> (String) -> String? {
            { $0.isEmpty || allowed.contains($0) ? nil : "'\($0)' is not one of \(allowed.joined(separator: ", "))" }
        }
        if token == nil, !problems.contains(where: { $0.field == "token" }) {
            problems.append(TokenFieldProblem(field: "token", detail: "is required"))
        }
        check("token", token, TokenRules.tokenProblem)
        check("type", type, oneOf(TokenRules.types))
        check("status", status, oneOf(TokenRules.statuses))
        var expires: Int64?
        check("expires_at", expiresAt) { text in
            guard !text.isEmpty else { return nil }
            expires = TokenRules.millis(text)
            return expires == nil ? "'\(text)' is not an RFC 3339 date-time (like 2027-01-31T23:59:59Z)" : nil
        }
        check("parent_token", parentToken) { $0.isEmpty ? nil : TokenRules.tokenProblem($0) }
        guard problems.isEmpty, let token else { return (nil, problems) }
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        let row = TokenInputRow(
            token: token, type: nonEmpty(type) ?? TokenRules.defaultType,
            status: nonEmpty(status) ?? TokenRules.defaultStatus, expiresAtMillis: expires,
            parentToken: nonEmpty(parentToken), given: given)
        return (row, [])
    }
}

/// A bad row of an import file: its position (CSV: the physical line where the record starts, the
/// header being line 1; JSON: the 0-based array index), its token when it could be read, and what
/// is wrong.
struct TokenImportProblem: Sendable, Hashable {
    var position: Int
    var token: String?
    var field: String?
    var detail: String
}

/// The rows of one import, validated as they are read: good rows are kept in memory (about
/// 100 bytes each) until the file has been read, bad ones only as problems. A token (with its
/// type) given twice is a problem on its second occurrence.
struct TokenImportBatch: Sendable {
    /// Bounds memory: the 32 MiB body limit alone would allow ten million one-character rows.
    static let maximumRows = 500_000

    private struct Key: Hashable {
        var token: String
        var type: String
    }

    private(set) var rows: [TokenInputRow] = []
    private(set) var problems: [TokenImportProblem] = []
    /// Bad rows (a row with several problems counts once).
    private(set) var rejected = 0
    private var seen: [Key: Int] = [:]
    private var count = 0
    /// "line" for CSV files, "index" for JSON arrays.
    let positionName: String

    init(positionName: String) {
        self.positionName = positionName
    }

    var rowCount: Int { count }

    mutating func add(_ raw: TokenRawRow, at position: Int) throws {
        count += 1
        if count > Self.maximumRows {
            throw ProblemDocument(
                status: .contentTooLarge,
                detail: "an import holds at most \(Self.maximumRows) tokens; split the file and import each part")
        }
        let (row, rowProblems) = raw.validated()
        guard let row else {
            reject(rowProblems, at: position, token: raw.token)
            return
        }
        let key = Key(token: row.token, type: row.type)
        if let earlier = seen[key] {
            reject(
                [
                    TokenFieldProblem(
                        field: "token",
                        detail: "duplicate: \(row.token) (\(row.type)) is already at \(positionName) \(earlier)")
                ], at: position, token: row.token)
            return
        }
        seen[key] = position
        rows.append(row)
    }

    /// A row that could not be read at all (malformed CSV quoting, invalid JSON).
    mutating func addUnreadable(_ detail: String, field: String? = nil, at position: Int, token: String?) throws {
        count += 1
        if count > Self.maximumRows {
            throw ProblemDocument(
                status: .contentTooLarge,
                detail: "an import holds at most \(Self.maximumRows) tokens; split the file and import each part")
        }
        reject([TokenFieldProblem(field: field, detail: detail)], at: position, token: token)
    }

    private mutating func reject(_ list: [TokenFieldProblem], at position: Int, token: String?) {
        rejected += 1
        for problem in list {
            problems.append(
                TokenImportProblem(position: position, token: token, field: problem.field, detail: problem.detail))
        }
    }

    /// The `errors` member of the answer.
    func problemsJSON() -> JSONValue {
        .array(
            problems.map { problem in
                var object: JSONObject = [positionName: .integer(Int64(problem.position))]
                object["token"] = problem.token.map(JSONValue.string) ?? .null
                if let field = problem.field { object["field"] = .string(field) }
                object["detail"] = .string(problem.detail)
                return .object(object)
            })
    }
}

// MARK: CSV

/// RFC 4180 records read from a byte stream in pieces of any size, each with the physical line it
/// starts on (1-based; a quoted field may span lines). Accepts CRLF, LF and lone CR line ends,
/// skips a UTF-8 byte-order mark and empty lines. A malformed record (a quote inside an unquoted
/// field, text after a closing quote, a quoted field never closed) is returned with `error` set
/// and reading goes on with the next record.
struct CSVRecordReader {
    struct Record {
        var line: Int
        /// Every field's bytes, one after the other; `ends[i]` is where field `i` ends.
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var error: String?

        var fieldCount: Int { ends.count }

        func field(_ i: Int) -> ArraySlice<UInt8> {
            bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
        }
    }

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    private var state = State.fieldStart
    private var record = Record(line: 1)
    private var line = 1
    private var afterCR = false
    /// The first bytes, held until it is known whether they are a byte-order mark.
    private var head: [UInt8]? = []

    init() {}

    mutating func feed(_ bytes: some Sequence<UInt8>, _ emit: (Record) throws -> Void) rethrows {
        if var pending = head {
            pending.append(contentsOf: bytes)
            if pending.count < 3 && pending == Array(Self.bom.prefix(pending.count)) {
                head = pending
                return
            }
            head = nil
            let start = pending.starts(with: Self.bom) ? 3 : 0
            try consume(pending[start...], emit)
            return
        }
        try consume(bytes, emit)
    }

    mutating func finish(_ emit: (Record) throws -> Void) rethrows {
        if let pending = head {
            head = nil
            if pending != Array(Self.bom.prefix(pending.count)) { try consume(pending, emit) }
        }
        if state == .quoted { record.error = record.error ?? "a quoted field is not closed" }
        if state != .fieldStart || !record.ends.isEmpty { try endRecord(emit) }
    }

    private mutating func consume(_ bytes: some Sequence<UInt8>, _ emit: (Record) throws -> Void) rethrows {
        for byte in bytes {
            if afterCR {
                afterCR = false
                // CR LF is one line end, inside quotes as well as outside.
                if byte == Self.lf { continue }
            }
            switch state {
            case .fieldStart:
                if byte == Self.quote {
                    state = .quoted
                } else if byte == Self.comma {
                    record.ends.append(record.bytes.count)
                } else if byte == Self.cr || byte == Self.lf {
                    try lineEnd(byte, emit)
                } else {
                    record.bytes.append(byte)
                    state = .unquoted
                }
            case .unquoted:
                if byte == Self.comma {
                    record.ends.append(record.bytes.count)
                    state = .fieldStart
                } else if byte == Self.cr || byte == Self.lf {
                    try lineEnd(byte, emit)
                } else {
                    if byte == Self.quote, record.error == nil {
                        record.error = "a quote inside an unquoted field; quote the whole field and double the quote"
                    }
                    record.bytes.append(byte)
                }
            case .quoted:
                if byte == Self.quote {
                    state = .quoteInQuoted
                } else {
                    if byte == Self.lf {
                        line += 1
                    } else if byte == Self.cr {
                        line += 1
                        afterCR = true
                    }
                    record.bytes.append(byte)
                }
            case .quoteInQuoted:
                if byte == Self.quote {
                    record.bytes.append(byte)
                    state = .quoted
                } else if byte == Self.comma {
                    record.ends.append(record.bytes.count)
                    state = .fieldStart
                } else if byte == Self.cr || byte == Self.lf {
                    try lineEnd(byte, emit)
                } else {
                    if record.error == nil { record.error = "text after the closing quote of a field" }
                    record.bytes.append(byte)
                    state = .unquoted
                }
            }
        }
    }

    private mutating func lineEnd(_ byte: UInt8, _ emit: (Record) throws -> Void) rethrows {
        if byte == Self.cr { afterCR = true }
        // An empty line is no record (state is fieldStart with nothing read).
        if state != .fieldStart || !record.ends.isEmpty || !record.bytes.isEmpty {
            try endRecord(emit)
        }
        line += 1
        record.line = line
    }

    private mutating func endRecord(_ emit: (Record) throws -> Void) rethrows {
        record.ends.append(record.bytes.count)
        let finished = record
        record = Record(line: line)
        record.bytes.reserveCapacity(finished.bytes.count)
        state = .fieldStart
        try emit(finished)
    }
}

/// Reads a CSV import (`token,type,status,expires_at,parent_token`; only `token` is required) into
/// a ``TokenImportBatch``. The header is line 1; column names are matched without regard to case
/// or surrounding spaces.
struct CSVTokenReader {
    static let columnNames = ["token", "type", "status", "expires_at", "parent_token"]

    private var reader = CSVRecordReader()
    /// For each field position of the header, its column index in ``columnNames``.
    private var columns: [Int]?
    private var given: TokenColumns = []

    init() {}

    mutating func feed(_ bytes: some Sequence<UInt8>, into batch: inout TokenImportBatch) throws {
        // The record reader is moved out while it calls back into `take`, which changes `self`.
        var reader = self.reader
        self.reader = CSVRecordReader()
        defer { self.reader = reader }
        try reader.feed(bytes) { try take($0, &batch) }
    }

    mutating func finish(into batch: inout TokenImportBatch) throws {
        var reader = self.reader
        self.reader = CSVRecordReader()
        defer { self.reader = reader }
        try reader.finish { try take($0, &batch) }
        if columns == nil {
            throw Self.fileProblem("the file is empty; its first line must be the header \(Self.header)")
        }
    }

    static let header = columnNames.joined(separator: ",")

    static func fileProblem(_ detail: String) -> ProblemDocument {
        ProblemDocument(
            status: .unprocessableContent, detail: "line 1: \(detail)",
            extensions: [
                "imported": 0, "updated": 0, "rejected": 0,
                "errors": [["line": 1, "token": nil, "detail": .string(detail)]],
            ])
    }

    private mutating func take(_ record: CSVRecordReader.Record, _ batch: inout TokenImportBatch) throws {
        guard let columns else {
            try readHeader(record)
            return
        }
        func text(_ i: Int) -> String? { String(validating: record.field(i), as: UTF8.self) }
        let tokenPosition = columns.firstIndex(of: 0)
        let token = tokenPosition.flatMap { $0 < record.fieldCount ? text($0) : nil }
        if let error = record.error {
            try batch.addUnreadable(error, at: record.line, token: token)
            return
        }
        guard record.fieldCount == columns.count else {
            try batch.addUnreadable(
                "\(record.fieldCount) field\(record.fieldCount == 1 ? "" : "s") but the header has \(columns.count)",
                at: record.line, token: token)
            return
        }
        var raw = TokenRawRow(given: given)
        for (position, column) in columns.enumerated() {
            guard let value = text(position) else {
                raw.problems.append(TokenFieldProblem(field: Self.columnNames[column], detail: "is not valid UTF-8"))
                continue
            }
            switch column {
            case 0: raw.token = value
            case 1: raw.type = value
            case 2: raw.status = value
            case 3: raw.expiresAt = value
            default: raw.parentToken = value
            }
        }
        try batch.add(raw, at: record.line)
    }

    private mutating func readHeader(_ record: CSVRecordReader.Record) throws {
        if let error = record.error { throw Self.fileProblem("the header is malformed: \(error)") }
        var found: [Int] = []
        for i in 0..<record.fieldCount {
            let name = (String(validating: record.field(i), as: UTF8.self) ?? "")
                .trimmingCharacters(in: .whitespaces).lowercased()
            guard let column = Self.columnNames.firstIndex(of: name) else {
                throw Self.fileProblem(
                    "unknown column '\(name)'; the header is \(Self.header) (any order, only token required)")
            }
            if found.contains(column) { throw Self.fileProblem("column '\(name)' appears twice in the header") }
            found.append(column)
        }
        guard found.contains(0) else {
            throw Self.fileProblem("the header has no 'token' column; the header is \(Self.header)")
        }
        let flags: [TokenColumns] = [[], .type, .status, .expiresAt, .parentToken]
        given = TokenColumns(found.map { flags[$0] })
        columns = found
    }
}

// MARK: JSON

/// Splits a JSON array arriving in pieces into its elements' bytes, without holding more than one
/// element: an import of 100,000 tokens never becomes one 100,000-element tree in memory. Each
/// element is then parsed on its own by the strict ``JSONValue`` parser. A byte-order mark before
/// the array is skipped.
struct JSONArraySplitter {
    private enum State {
        case beforeArray, beforeElement, firstElement, inElement, afterElement, done
    }

    private var state = State.beforeArray
    private var element: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var index = 0
    private var offset = 0
    private var bomSeen = 0

    init() {}

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private func structure(_ detail: String) -> ProblemDocument {
        ProblemDocument(
            status: .badRequest, detail: "the body is not a JSON array of tokens: \(detail) at byte \(offset)")
    }

    /// Calls `emit` with each complete element's index and bytes.
    mutating func feed(_ bytes: some Sequence<UInt8>, _ emit: (Int, [UInt8]) throws -> Void) throws {
        for byte in bytes {
            defer { offset += 1 }
            switch state {
            case .beforeArray:
                if offset == bomSeen, bomSeen < 3, byte == [0xEF, 0xBB, 0xBF][bomSeen] {
                    bomSeen += 1
                } else if Self.isSpace(byte) {
                    continue
                } else if byte == UInt8(ascii: "["), bomSeen == 0 || bomSeen == 3 {
                    state = .firstElement
                } else {
                    throw structure("expected '['")
                }
            case .firstElement, .beforeElement:
                if Self.isSpace(byte) { continue }
                if byte == UInt8(ascii: "]") {
                    guard state == .firstElement else { throw structure("a ',' must be followed by a value") }
                    state = .done
                    continue
                }
                if byte == UInt8(ascii: ",") { throw structure("expected a value") }
                state = .inElement
                element.removeAll(keepingCapacity: true)
                depth = 0
                inString = false
                escaped = false
                try inElement(byte, emit)
            case .inElement:
                try inElement(byte, emit)
            case .afterElement:
                if Self.isSpace(byte) { continue }
                if byte == UInt8(ascii: ",") {
                    state = .beforeElement
                } else if byte == UInt8(ascii: "]") {
                    state = .done
                } else {
                    throw structure("expected ',' or ']' after element \(index - 1)")
                }
            case .done:
                if !Self.isSpace(byte) { throw structure("unexpected data after the array") }
            }
        }
    }

    private mutating func inElement(_ byte: UInt8, _ emit: (Int, [UInt8]) throws -> Void) throws {
        if inString {
            element.append(byte)
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
            element.append(byte)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
            element.append(byte)
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            if depth == 0 {
                // The `]` closing the array right after a scalar element.
                guard byte == UInt8(ascii: "]") else { throw structure("unbalanced '}'") }
                try emitElement(emit)
                state = .done
                return
            }
            depth -= 1
            element.append(byte)
            if depth == 0 {
                try emitElement(emit)
                state = .afterElement
            }
        case UInt8(ascii: ",") where depth == 0:
            try emitElement(emit)
            state = .beforeElement
        default:
            element.append(byte)
        }
    }

    private mutating func emitElement(_ emit: (Int, [UInt8]) throws -> Void) throws {
        let current = index
        index += 1
        try emit(current, element)
        element.removeAll(keepingCapacity: true)
    }

    mutating func finish() throws {
        switch state {
        case .done: return
        case .beforeArray: throw structure("the body is empty")
        default: throw structure("the array is not closed")
        }
    }
}

/// Reads a JSON import (an array of objects with the members `token`, `type`, `status`,
/// `expires_at`, `parent_token`; only `token` required) into a ``TokenImportBatch``.
struct JSONTokenReader {
    static let members = CSVTokenReader.columnNames
    private var splitter = JSONArraySplitter()

    init() {}

    mutating func feed(_ bytes: some Sequence<UInt8>, into batch: inout TokenImportBatch) throws {
        try splitter.feed(bytes) { index, element in try Self.take(index, element, &batch) }
    }

    mutating func finish(into batch: inout TokenImportBatch) throws {
        try splitter.finish()
    }

    static func take(_ index: Int, _ bytes: [UInt8], _ batch: inout TokenImportBatch) throws {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            try batch.addUnreadable("not valid JSON: \(error)", at: index, token: nil)
            return
        }
        guard case .object(let object) = value else {
            try batch.addUnreadable("must be a JSON object", at: index, token: nil)
            return
        }
        var raw = TokenRawRow()
        for member in object.members {
            let text: String?
            switch member.value {
            case .string(let s): text = s
            case .null: text = ""
            default:
                raw.problems.append(TokenFieldProblem(field: member.key, detail: "must be a string"))
                text = nil
            }
            switch member.key {
            case "token": raw.token = text
            case "type":
                raw.type = text
                raw.given.insert(.type)
            case "status":
                raw.status = text
                raw.given.insert(.status)
            case "expires_at":
                raw.expiresAt = text
                raw.given.insert(.expiresAt)
            case "parent_token":
                raw.parentToken = text
                raw.given.insert(.parentToken)
            default:
                raw.problems.append(
                    TokenFieldProblem(
                        field: member.key, detail: "unknown member; the members are \(members.joined(separator: ", "))"
                    ))
            }
        }
        try batch.add(raw, at: index)
    }
}

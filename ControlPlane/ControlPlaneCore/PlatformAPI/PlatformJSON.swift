// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation
import Hummingbird

/// A JSON value as the platform API reads and writes it: request bodies are checked key by key
/// (unknown keys and wrong types are reported with their paths), responses are built from it.
/// Numbers keep their exact decimal value, so prices never pass through a binary float.
enum PlatformJSON: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case number(Decimal)
    case string(String)
    case array([PlatformJSON])
    case object([String: PlatformJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([PlatformJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: PlatformJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// What a value is, for error messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    static func optional(_ value: String?) -> PlatformJSON { value.map(PlatformJSON.string) ?? .null }

    /// Sorted keys, so responses are stable and diffable.
    func serialized() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? Array("null".utf8)
    }

    /// Parses a request body; a body that is not a JSON object is a 400.
    static func parseObject(_ bytes: [UInt8]) throws -> [String: PlatformJSON] {
        let value: PlatformJSON
        do {
            value = try JSONDecoder().decode(PlatformJSON.self, from: Data(bytes))
        } catch {
            throw PlatformProblem(status: .badRequest, detail: "the body is not valid JSON")
        }
        guard case .object(let object) = value else {
            throw PlatformProblem(status: .badRequest, detail: "the body must be a JSON object, not \(value.kindName)")
        }
        return object
    }
}

/// A JSON response of the platform API.
struct PlatformResponse: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]
    var body: PlatformJSON?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.cacheControl] = "no-store"
        guard let body else { return Response(status: status, headers: headers) }
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.serialized())))
    }
}

extension Request {
    /// The body as a JSON object, or a 415/413/400 problem.
    func platformJSONObject(limit: Int = 64 * 1024) async throws -> [String: PlatformJSON] {
        if let type = headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw PlatformProblem(status: .unsupportedMediaType, detail: "send the body as application/json")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch {
            throw PlatformProblem(status: .contentTooLarge, detail: "the body is larger than \(limit) bytes")
        }
        return try PlatformJSON.parseObject(Array(buffer.readableBytesView))
    }
}

/// Reads the members of request objects into typed values, collecting every problem (unknown
/// key, wrong type, value out of range) with its key path, so a client fixes a request in one
/// round trip. Absent members and `null` read as nil. Used by one request at a time.
final class BodyReader {
    private(set) var errors: [PlatformError.FieldError] = []

    func fail(_ path: String, _ detail: String) {
        errors.append(PlatformError.FieldError(field: path, detail: detail))
    }

    static func join(_ prefix: String, _ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

    /// Reports members whose names are not in `allowed`.
    func checkKeys(_ object: [String: PlatformJSON], at prefix: String, allowed: Set<String>) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            fail(Self.join(prefix, key), "unknown member; expected one of \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// Throws a 422 listing every problem found so far.
    func finish() throws {
        guard !errors.isEmpty else { return }
        throw PlatformError(
            .invalid, errors.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), fieldErrors: errors)
    }

    private func present(_ object: [String: PlatformJSON], _ key: String) -> PlatformJSON? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func required<T>(
        _ object: [String: PlatformJSON], _ key: String, at prefix: String,
        _ read: ([String: PlatformJSON], String, String) -> T?
    ) -> T? {
        guard present(object, key) != nil else {
            fail(Self.join(prefix, key), "is required")
            return nil
        }
        return read(object, key, prefix)
    }

    func string(_ object: [String: PlatformJSON], _ key: String, at prefix: String) -> String? {
        guard let value = present(object, key) else { return nil }
        guard case .string(let text) = value else {
            fail(Self.join(prefix, key), "must be a string, not \(value.kindName)")
            return nil
        }
        // PostgreSQL text (and the tenant file) cannot hold U+0000: refused here, not a failed statement.
        guard !text.utf8.contains(0) else {
            fail(Self.join(prefix, key), "must not contain the NUL character")
            return nil
        }
        return text
    }

    func int(_ object: [String: PlatformJSON], _ key: String, at prefix: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = present(object, key) else { return nil }
        guard case .int(let number) = value, let int = Int(exactly: number) else {
            fail(Self.join(prefix, key), "must be an integer, not \(value.kindName)")
            return nil
        }
        guard range.contains(int) else {
            let bound =
                range.upperBound == Int.max
                ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            fail(Self.join(prefix, key), "must be \(bound), got \(int)")
            return nil
        }
        return int
    }

    func bool(_ object: [String: PlatformJSON], _ key: String, at prefix: String) -> Bool? {
        guard let value = present(object, key) else { return nil }
        guard case .bool(let flag) = value else {
            fail(Self.join(prefix, key), "must be true or false, not \(value.kindName)")
            return nil
        }
        return flag
    }

    /// A non-negative amount written as a number (`9.99`) or a string (`"9.99"`), with at most
    /// four decimals and twelve integer digits (csms.plans stores numeric(16, 4)).
    func amount(_ object: [String: PlatformJSON], _ key: String, at prefix: String) -> Decimal? {
        guard let value = present(object, key) else { return nil }
        let text: String
        switch value {
        case .string(let s): text = s
        case .int(let n): text = String(n)
        case .number(let d): text = d.description
        default:
            fail(Self.join(prefix, key), "must be an amount such as \"9.99\", not \(value.kindName)")
            return nil
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard parts.count <= 2, parts.allSatisfy(digits), parts[0].count <= 12, parts.count == 1 || parts[1].count <= 4,
            let amount = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        else {
            fail(
                Self.join(prefix, key),
                "must be a non-negative amount with at most 12 digits before and 4 after the point, got \(text)")
            return nil
        }
        return amount
    }

    /// A duration as platform.yaml writes it: a number of seconds or a string with a unit
    /// (`500ms`, `30s`, `5m`, `1h`).
    func duration(
        _ object: [String: PlatformJSON], _ key: String, at prefix: String, in range: ClosedRange<Duration>
    ) -> Duration? {
        guard let value = present(object, key) else { return nil }
        let duration: Duration
        switch value {
        case .int(let seconds) where seconds >= 0: duration = .seconds(seconds)
        case .string(let text):
            guard let parsed = ConfigDuration.parse(text) else {
                fail(Self.join(prefix, key), "must be a duration such as \"30s\", \"5m\" or a number of seconds")
                return nil
            }
            duration = parsed
        default:
            fail(Self.join(prefix, key), "must be a duration such as \"30s\" or a number of seconds")
            return nil
        }
        guard range.contains(duration) else {
            fail(
                Self.join(prefix, key),
                "must be between \(ConfigDuration.format(range.lowerBound)) and \(ConfigDuration.format(range.upperBound)), got \(ConfigDuration.format(duration))"
            )
            return nil
        }
        return duration
    }

    func stringList(_ object: [String: PlatformJSON], _ key: String, at prefix: String) -> [String]? {
        guard let value = present(object, key) else { return nil }
        guard case .array(let items) = value else {
            fail(Self.join(prefix, key), "must be an array of strings, not \(value.kindName)")
            return nil
        }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                fail("\(Self.join(prefix, key))[\(index)]", "must be a string, not \(item.kindName)")
                return nil
            }
            guard !text.utf8.contains(0) else {
                fail("\(Self.join(prefix, key))[\(index)]", "must not contain the NUL character")
                return nil
            }
            strings.append(text)
        }
        return strings
    }

    func choice<E: RawRepresentable & CaseIterable>(
        _ object: [String: PlatformJSON], _ key: String, at prefix: String, _ type: E.Type
    ) -> E? where E.RawValue == String {
        guard let text = string(object, key, at: prefix) else { return nil }
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            fail(Self.join(prefix, key), "must be one of \(allowed), got \"\(text)\"")
            return nil
        }
        return value
    }

    func object(_ object: [String: PlatformJSON], _ key: String, at prefix: String) -> [String: PlatformJSON]? {
        guard let value = present(object, key) else { return nil }
        guard case .object(let members) = value else {
            fail(Self.join(prefix, key), "must be an object, not \(value.kindName)")
            return nil
        }
        return members
    }

    func objectList(_ object: [String: PlatformJSON], _ key: String, at prefix: String) -> [[String: PlatformJSON]]? {
        guard let value = present(object, key) else { return nil }
        guard case .array(let items) = value else {
            fail(Self.join(prefix, key), "must be an array of objects, not \(value.kindName)")
            return nil
        }
        var objects: [[String: PlatformJSON]] = []
        for (index, item) in items.enumerated() {
            guard case .object(let members) = item else {
                fail("\(Self.join(prefix, key))[\(index)]", "must be an object, not \(item.kindName)")
                return nil
            }
            objects.append(members)
        }
        return objects
    }
}

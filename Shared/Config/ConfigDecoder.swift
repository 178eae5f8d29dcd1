// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import YAML

/// Walks a YAML node tree into typed values and collects every problem it meets, rather than
/// stopping at the first, so an operator fixes a file in one pass.
///
/// Decoding functions return nil exactly when they have reported an error, so a caller can stop
/// building a value without reporting again. Typical use:
///
/// ```swift
/// let settings = root.required("postgres") { value in
///     value.mapping { m in
///         let host = m.optional("host", default: "127.0.0.1") { $0.string() }
///         let port = m.optional("port", default: 5432) { $0.port() }
///         guard let host, let port else { return nil }
///         return Settings(host: host, port: port)
///     }
/// }
/// ```
///
/// A mapping reports the keys that its body never asked for as unknown, so the body must ask for
/// every key it knows, whatever it found before.
public final class ConfigDecoder {
    public let file: String
    public private(set) var errors: [ConfigError] = []

    public init(file: String) {
        self.file = file
    }

    /// The value at the top of a document.
    public func root(_ node: YAMLNode) -> ConfigValue {
        ConfigValue(node: node, path: .root, decoder: self)
    }

    /// Records a problem at `mark`.
    public func report(_ message: String, at mark: YAMLMark, path: ConfigKeyPath) {
        errors.append(
            ConfigError(file: file, line: mark.line, column: mark.column, keyPath: path.description, message: message))
    }

    /// Parses and decodes a whole document whose top level is a mapping. A document that is
    /// empty or null counts as an empty mapping.
    public static func decode<T>(bytes: [UInt8], file: String, _ body: (ConfigMapping) -> T?) -> Result<T, ConfigErrors>
    {
        let node: YAMLNode
        do {
            node = try YAMLParser.parse(bytes: bytes, file: file)
        } catch {
            return .failure(
                ConfigErrors([
                    ConfigError(file: file, line: error.line, column: error.column, keyPath: "", message: error.message)
                ]))
        }
        let decoder = ConfigDecoder(file: file)
        let root = node.isNull ? YAMLNode(kind: .mapping([]), mark: node.mark) : node
        let value = decoder.root(root).mapping(body)
        if let value, decoder.errors.isEmpty { return .success(value) }
        if decoder.errors.isEmpty {
            decoder.report("could not be decoded", at: root.mark, path: .root)
        }
        return .failure(ConfigErrors(decoder.errors))
    }
}

/// One node being decoded, with its key path.
public struct ConfigValue {
    public let node: YAMLNode
    public let path: ConfigKeyPath
    let decoder: ConfigDecoder

    init(node: YAMLNode, path: ConfigKeyPath, decoder: ConfigDecoder) {
        self.node = node
        self.path = path
        self.decoder = decoder
    }

    public var mark: YAMLMark { node.mark }

    /// Reports that this value is invalid; always returns nil so it can end a decoding function.
    @discardableResult
    public func fail<T>(_ message: String, as: T.Type = T.self) -> T? {
        decoder.report(message, at: node.mark, path: path)
        return nil
    }

    /// Reports a value of the wrong type.
    @discardableResult
    public func typeMismatch<T>(expected: String, hint: String? = nil, as: T.Type = T.self) -> T? {
        fail("expected \(expected), got \(Self.describe(node))" + (hint.map { " (\($0))" } ?? ""))
    }

    // MARK: Scalars

    /// A scalar that resolves to a string. Plain numbers and booleans are refused with a hint to
    /// quote them, so `party_id: 123` does not silently become "123".
    public func string() -> String? {
        if let text = node.stringValue { return text }
        if node.scalarText != nil, !node.isNull {
            return typeMismatch(expected: "a string", hint: "put it in quotes if it is meant as text")
        }
        return typeMismatch(expected: "a string")
    }

    /// The text of a string or number scalar as written, for values such as hashes whose plain
    /// form can look like a number (`1234e5…`, `000123…`).
    public func text() -> String? {
        guard let text = node.scalarText, [.string, .int, .float].contains(node.coreType) else {
            return typeMismatch(expected: "a string")
        }
        return text
    }

    /// A string of `lengths` characters (grapheme clusters).
    public func string(lengths: ClosedRange<Int>) -> String? {
        guard let text = string() else { return nil }
        if text.count < lengths.lowerBound || text.count > lengths.upperBound {
            if lengths.lowerBound == 1 && text.isEmpty { return fail("must not be empty") }
            return fail("must be \(lengths.lowerBound) to \(lengths.upperBound) characters long, got \(text.count)")
        }
        return text
    }

    public func int() -> Int? {
        if let value = node.intValue { return value }
        if node.coreType == .int { return fail("the integer \(node.scalarText ?? "") is too large") }
        return typeMismatch(expected: "an integer")
    }

    public func int(in range: ClosedRange<Int>) -> Int? {
        guard let value = int() else { return nil }
        guard range.contains(value) else {
            return fail("must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    public func int(atLeast minimum: Int) -> Int? {
        guard let value = int() else { return nil }
        guard value >= minimum else { return fail("must be at least \(minimum), got \(value)") }
        return value
    }

    /// `true` or `false` (not YAML 1.1's yes/no/on/off, which are strings in YAML 1.2).
    public func bool() -> Bool? {
        if let value = node.boolValue { return value }
        return typeMismatch(expected: "true or false")
    }

    /// A TCP port, 1 to 65535.
    public func port() -> Int? {
        int(in: 1...65535)
    }

    /// One of the raw values of `E`.
    public func choice<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> E? where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        guard let text = node.scalarText, !node.isNull, node.coreType != .bool else {
            return typeMismatch(expected: "one of " + names.joined(separator: ", "))
        }
        guard let value = E(rawValue: text) else {
            return fail("must be one of \(names.joined(separator: ", ")), got \(Self.quoted(text))")
        }
        return value
    }

    // MARK: Collections

    /// A list whose items are decoded by `item`; nil if the value is no list or any item failed.
    public func list<T>(_ item: (ConfigValue) -> T?) -> [T]? {
        guard let items = node.sequenceItems else { return typeMismatch(expected: "a list") }
        var values: [T] = []
        var failed = false
        for (index, node) in items.enumerated() {
            if let value = item(ConfigValue(node: node, path: path.appending(index: index), decoder: decoder)) {
                values.append(value)
            } else {
                failed = true
            }
        }
        return failed ? nil : values
    }

    /// Decodes a mapping with `body`, then reports the keys `body` did not ask for.
    public func mapping<T>(_ body: (ConfigMapping) -> T?) -> T? {
        guard let pairs = node.mappingPairs else { return typeMismatch(expected: "a mapping") }
        let mapping = ConfigMapping(node: node, pairs: pairs, path: path, decoder: decoder)
        let value = body(mapping)
        mapping.reportUnknownKeys()
        return value
    }

    // MARK: Describing values in messages

    static func describe(_ node: YAMLNode) -> String {
        switch node.kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let text, _, _):
            switch node.coreType {
            case .null: return "no value"
            case .bool: return "the boolean \(text)"
            case .int: return "the integer \(text)"
            case .float: return "the number \(text)"
            case .string, .none: return "the string \(quoted(text))"
            }
        }
    }

    /// A value quoted for a message, shortened when long.
    static func quoted(_ text: String) -> String {
        let short = text.count > 80 ? String(text.prefix(77)) + "..." : text
        return YAMLEmitter.doubleQuoted(short)
    }
}

/// A mapping being decoded. Keys are looked up by their text; each key asked for becomes a
/// known key, and `ConfigValue.mapping` reports the others as unknown when the body returns.
public final class ConfigMapping {
    public let node: YAMLNode
    public let path: ConfigKeyPath
    let decoder: ConfigDecoder
    private let pairs: [(key: YAMLNode, value: YAMLNode)]
    private var known: [String] = []

    init(node: YAMLNode, pairs: [(key: YAMLNode, value: YAMLNode)], path: ConfigKeyPath, decoder: ConfigDecoder) {
        self.node = node
        self.pairs = pairs
        self.path = path
        self.decoder = decoder
    }

    public var mark: YAMLMark { node.mark }

    /// The value under `key` (null included), or nil when the key is absent.
    public func entry(_ key: String) -> ConfigValue? {
        if !known.contains(key) { known.append(key) }
        guard let pair = pairs.first(where: { $0.key.scalarText == key }) else {
            return nil
        }
        return ConfigValue(node: pair.value, path: path.appending(key), decoder: decoder)
    }

    /// Every entry, in file order, for mappings whose keys are data (e.g. claim value → role) rather
    /// than settings; all keys count as known. A key that is not a scalar is reported.
    public func allEntries() -> [(key: String, value: ConfigValue)] {
        var entries: [(key: String, value: ConfigValue)] = []
        for pair in pairs {
            guard let name = pair.key.scalarText, pair.key.coreType != .null else { continue }
            if !known.contains(name) { known.append(name) }
            entries.append((name, ConfigValue(node: pair.value, path: path.appending(name), decoder: decoder)))
        }
        return entries
    }

    /// The key's position, or the mapping's when the key is absent.
    public func mark(of key: String) -> YAMLMark {
        pairs.first { $0.key.scalarText == key }?.key.mark ?? node.mark
    }

    /// Decodes a key that must be present and have a value. A missing key is reported at the
    /// mapping's position, a key without value at the key.
    public func required<T>(_ key: String, _ decode: (ConfigValue) -> T?) -> T? {
        guard let value = entry(key) else {
            decoder.report("missing required key", at: node.mark, path: path.appending(key))
            return nil
        }
        if value.node.isNull {
            decoder.report("missing value for required key", at: value.node.mark, path: value.path)
            return nil
        }
        return decode(value)
    }

    /// Decodes a key that may be absent; an absent key or one without value (`key:` or `key: ~`)
    /// gives nil, the same as an invalid value (which is reported).
    public func optional<T>(_ key: String, _ decode: (ConfigValue) -> T?) -> T? {
        guard let value = entry(key), !value.node.isNull else { return nil }
        return decode(value)
    }

    /// Decodes a key that may be absent or without value, in which case it is `defaultValue`;
    /// nil only when the value is invalid (and reported).
    public func optional<T>(_ key: String, default defaultValue: T, _ decode: (ConfigValue) -> T?) -> T? {
        guard let value = entry(key), !value.node.isNull else { return defaultValue }
        return decode(value)
    }

    /// Reports a problem concerning this mapping as a whole, or a key of it.
    public func report(_ message: String, key: String? = nil) {
        decoder.report(
            message, at: key.map { mark(of: $0) } ?? node.mark, path: key.map { path.appending($0) } ?? path)
    }

    func reportUnknownKeys() {
        for pair in pairs {
            guard let name = pair.key.scalarText, pair.key.coreType != .null else {
                decoder.report(
                    "keys must be names, got \(ConfigValue.describe(pair.key))", at: pair.key.mark, path: path)
                continue
            }
            if known.contains(name) { continue }
            decoder.report(unknownKeyMessage(name), at: pair.key.mark, path: path.appending(name))
        }
    }

    private func unknownKeyMessage(_ name: String) -> String {
        let ranked = known.map { (name: $0, distance: Self.editDistance($0, name)) }.min { $0.distance < $1.distance }
        if let best = ranked, best.distance <= max(1, min(3, name.count / 3)) {
            return "unknown key; did you mean \(best.name)?"
        }
        if known.isEmpty { return "unknown key; this mapping takes no keys" }
        return "unknown key; expected one of: " + known.joined(separator: ", ")
    }

    /// Levenshtein distance, for suggesting the key an operator probably meant.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            if !b.isEmpty {
                for j in 1...b.count {
                    current[j] = min(
                        previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

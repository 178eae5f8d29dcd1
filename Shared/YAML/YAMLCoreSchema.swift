// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// The types of the YAML 1.2 core schema (YAML 1.2.2 §10.3).
public enum YAMLCoreType: String, Sendable, Hashable {
    case null
    case bool
    case int
    case float
    case string

    public static let nullTag = "tag:yaml.org,2002:null"
    public static let boolTag = "tag:yaml.org,2002:bool"
    public static let intTag = "tag:yaml.org,2002:int"
    public static let floatTag = "tag:yaml.org,2002:float"
    public static let stringTag = "tag:yaml.org,2002:str"

    /// Resolves a scalar to its core-schema type.
    ///
    /// An explicit core tag wins. Otherwise only plain scalars are resolved by their text
    /// (§10.3.2); quoted and block scalars, the non-specific tag `!` and any other tag are strings.
    public static func resolve(_ text: String, style: YAMLScalarStyle, tag: String?) -> YAMLCoreType {
        switch tag {
        case nullTag: return .null
        case boolTag: return .bool
        case intTag: return .int
        case floatTag: return .float
        case stringTag: return .string
        case .some: return .string
        case .none: break
        }
        guard style == .plain else { return .string }
        if isNull(text) { return .null }
        if parseBool(text) != nil { return .bool }
        if looksLikeInt(text) { return .int }
        if parseFloat(text) != nil { return .float }
        return .string
    }

    /// `null`, `Null`, `NULL`, `~` or the empty plain scalar.
    public static func isNull(_ text: String) -> Bool {
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// `true`/`True`/`TRUE`/`false`/`False`/`FALSE` (not YAML 1.1's yes/no/on/off).
    public static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// Whether the text has the form of a core-schema integer: `[-+]?[0-9]+`, `0o[0-7]+`,
    /// `0x[0-9a-fA-F]+`. Such a text may still be too large for `Int` (see `parseInt`).
    public static func looksLikeInt(_ text: String) -> Bool {
        let u = Array(text.utf8)
        if u.count > 2, u[0] == UInt8(ascii: "0"), u[1] == UInt8(ascii: "o") {
            return u[2...].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }
        }
        if u.count > 2, u[0] == UInt8(ascii: "0"), u[1] == UInt8(ascii: "x") {
            return u[2...].allSatisfy(isHexDigit)
        }
        var digits = u[...]
        if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            digits = digits.dropFirst()
        }
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    /// The integer value of a core-schema integer text; nil if the text is no integer or does not
    /// fit in `Int`.
    public static func parseInt(_ text: String) -> Int? {
        guard looksLikeInt(text) else { return nil }
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("+") { return Int(text.dropFirst()) }
        return Int(text)
    }

    /// A core-schema float: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`,
    /// `[-+]?\.(inf|Inf|INF)`, `\.nan|\.NaN|\.NAN`. Integer texts are not floats here.
    public static func parseFloat(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        guard !looksLikeInt(text), matchesFloat(Array(text.utf8)) else { return nil }
        return Double(text)
    }

    private static func matchesFloat(_ u: [UInt8]) -> Bool {
        var i = 0
        if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i += 1 }
        let intStart = i
        while i < u.count, isDigit(u[i]) { i += 1 }
        let intDigits = i - intStart
        var fractionDigits = 0
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < u.count, isDigit(u[i]) { i += 1 }
            fractionDigits = i - fractionStart
            // `.` needs digits after it when there are none before it (".5" yes, "." no).
            if intDigits == 0 && fractionDigits == 0 { return false }
        } else if intDigits == 0 {
            return false
        }
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i += 1 }
            let expStart = i
            while i < u.count, isDigit(u[i]) { i += 1 }
            if i == expStart { return false }
        }
        return i == u.count
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
            || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
    }
}

extension YAMLNode {
    /// The core-schema type of a scalar; nil for sequences and mappings.
    public var coreType: YAMLCoreType? {
        guard case .scalar(let text, let style, let tag) = kind else { return nil }
        return YAMLCoreType.resolve(text, style: style, tag: tag)
    }

    public var isNull: Bool { coreType == .null }

    /// The boolean value of a scalar that resolves to a boolean.
    public var boolValue: Bool? {
        guard coreType == .bool, let text = scalarText else { return nil }
        return YAMLCoreType.parseBool(text)
    }

    /// The integer value of a scalar that resolves to an integer and fits in `Int`.
    public var intValue: Int? {
        guard coreType == .int, let text = scalarText else { return nil }
        return YAMLCoreType.parseInt(text)
    }

    /// The value of a scalar that resolves to a float or an integer.
    public var doubleValue: Double? {
        guard let type = coreType, let text = scalarText else { return nil }
        switch type {
        case .int: return YAMLCoreType.parseInt(text).map(Double.init)
        case .float: return YAMLCoreType.parseFloat(text) ?? (YAMLCoreType.looksLikeInt(text) ? Double(text) : nil)
        default: return nil
        }
    }

    /// The text of a scalar that resolves to a string (so not of `123`, `true` or `~` written plain).
    public var stringValue: String? {
        guard coreType == .string else { return nil }
        return scalarText
    }
}

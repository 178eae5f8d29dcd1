// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation

/// A listening or connecting address written `host:port`; IPv6 hosts in brackets (`[::1]:8090`).
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    /// The host without brackets (`::1`, `0.0.0.0`, `localhost`).
    public var host: String
    /// 0 to 65535; 0 asks the system for a free port when listening.
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; nil if the text is not of that form.
    public init?(_ text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard
                host.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" }),
                !host.hasPrefix("-"), !host.hasPrefix(".")
            else { return nil }
        }
        guard !host.isEmpty, !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portText), (0...65535).contains(port)
        else { return nil }
        self.host = String(host)
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Durations in configuration files: an integer number of seconds, or a string with one unit
/// (`500ms`, `30s`, `5m`, `1h`).
public enum ConfigDuration {
    /// Parses a duration string with a unit; nil if the text is not of that form.
    public static func parse(_ text: String) -> Duration? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 12, let amount = Int64(digits) else { return nil }
        switch text.dropFirst(digits.count) {
        case "ms": return .milliseconds(amount)
        case "s": return .seconds(amount)
        case "m": return .seconds(amount * 60)
        case "h": return .seconds(amount * 3600)
        default: return nil
        }
    }

    /// The duration in the largest unit that states it exactly (`2h`, `90s`, `1500ms`); what
    /// `parse` reads back. Fractions of a millisecond are rounded down.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        let whole = milliseconds / 1000
        if whole != 0 && whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole != 0 && whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}

/// The log levels of swift-log, by the same names.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case trace, debug, info, notice, warning, error, critical

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

extension ConfigValue {
    /// An integer number of seconds, or a string with a unit: `500ms`, `30s`, `5m`, `1h`.
    public func duration() -> Duration? {
        if let seconds = node.intValue {
            guard seconds >= 0 else { return fail("must not be negative, got \(seconds)") }
            guard seconds <= 100 * 365 * 86400 else { return fail("is too long, got \(seconds) seconds") }
            return .seconds(seconds)
        }
        let expected = "a duration such as 500ms, 30s, 5m or 1h, or a number of seconds"
        guard let text = node.stringValue else { return typeMismatch(expected: expected) }
        guard let duration = ConfigDuration.parse(text) else {
            return fail("expected \(expected), got \(ConfigValue.quoted(text))")
        }
        return duration
    }

    public func duration(in range: ClosedRange<Duration>) -> Duration? {
        guard let value = duration() else { return nil }
        guard range.contains(value) else {
            let (low, high) = (ConfigDuration.format(range.lowerBound), ConfigDuration.format(range.upperBound))
            return fail("must be between \(low) and \(high), got \(ConfigDuration.format(value))")
        }
        return value
    }

    /// A size in bytes: an integer, or a string with a binary unit (`64KiB`, `16MiB`).
    public func byteSize(in range: ClosedRange<Int>) -> Int? {
        let value: Int
        if let bytes = node.intValue {
            value = bytes
        } else if let text = node.stringValue, let bytes = Self.parseByteSize(text) {
            value = bytes
        } else {
            let expected = "a size in bytes such as 65536, 64KiB or 1MiB"
            if let text = node.stringValue { return fail("expected \(expected), got \(ConfigValue.quoted(text))") }
            return typeMismatch(expected: expected)
        }
        guard range.contains(value) else {
            return fail("must be between \(range.lowerBound) and \(range.upperBound) bytes, got \(value)")
        }
        return value
    }

    static func parseByteSize(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 12, let amount = Int(digits) else { return nil }
        switch text.dropFirst(digits.count) {
        case "", "B": return amount
        case "KiB": return amount * 1024
        case "MiB": return amount * 1024 * 1024
        default: return nil
        }
    }

    /// A non-negative decimal amount written as a number (`9.99`, `10`) or a string (`"9.99"`),
    /// read from its text so it is exact; at most `maxFractionDigits` digits after the point.
    public func decimal(maxFractionDigits: Int = 4) -> Decimal? {
        guard let text = node.scalarText, [.int, .float, .string].contains(node.coreType) else {
            return typeMismatch(expected: "an amount such as 9.99")
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let digitsOnly: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        if text.hasPrefix("-"), digitsOnly(text.dropFirst().split(separator: ".").first ?? "") {
            return fail("must not be negative, got \(text)")
        }
        guard parts.count <= 2, parts.allSatisfy(digitsOnly), parts[0].count <= 15,
            let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        else {
            let expected = "an amount such as 9.99 (digits, optionally a point and decimals)"
            return fail("expected \(expected), got \(ConfigValue.quoted(text))")
        }
        if parts.count == 2, parts[1].count > maxFractionDigits {
            return fail("must have at most \(maxFractionDigits) digits after the decimal point, got \(text)")
        }
        return value
    }

    /// `host:port`.
    public func hostPort() -> HostPort? {
        let expected = "an address host:port such as 127.0.0.1:8090"
        guard let text = node.stringValue else {
            if node.sequenceItems != nil {
                return typeMismatch(expected: expected, hint: "put an IPv6 address in quotes: \"[::1]:8090\"")
            }
            return typeMismatch(expected: expected)
        }
        guard let value = HostPort(text) else {
            return fail("expected \(expected), or [IPv6]:port, got \(ConfigValue.quoted(text))")
        }
        return value
    }

    /// A file system path; a relative one is taken relative to `base` (a directory). The result
    /// is absolute and normalised (no `.` or `..` components).
    public func path(relativeTo base: String) -> String? {
        guard let text = string() else { return nil }
        if text.isEmpty { return fail("must not be empty") }
        if text.contains("\0") { return fail("must not contain a NUL character") }
        return ConfigPaths.resolve(text, relativeTo: base)
    }
}

enum ConfigPaths {
    /// `path` made absolute against `base` (itself made absolute against the current directory).
    static func resolve(_ path: String, relativeTo base: String) -> String {
        let baseURL = URL(fileURLWithPath: base, isDirectory: true)
        return URL(fileURLWithPath: path, relativeTo: baseURL).standardizedFileURL.path
    }

    /// The absolute folder of a file.
    static func directory(of file: String) -> String {
        URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent().path
    }

    /// The file name without a `.yaml` extension, or nil when the name does not end in `.yaml`.
    static func yamlStem(of file: String) -> String? {
        let name = URL(fileURLWithPath: file).lastPathComponent
        guard name.hasSuffix(".yaml"), name.count > 5 else { return nil }
        return String(name.dropLast(5))
    }
}

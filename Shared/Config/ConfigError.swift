// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// One problem with a configuration file, at a position in it.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path as the loader was given it.
    public var file: String
    /// 1-based line; 0 when the problem concerns the file as a whole (it cannot be read, or its
    /// name is wrong).
    public var line: Int
    /// 1-based column in characters; 0 with `line` 0.
    public var column: Int
    /// Where in the document, such as `ocpp.allowed_versions[1]`; empty for syntax errors and
    /// problems with the whole file.
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int, column: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line:column: key.path: message`; the position is left out when `line` is 0 and the
    /// key path when it is empty.
    public var description: String {
        var text = file
        if line > 0 { text += ":\(line):\(column)" }
        text += ": "
        if !keyPath.isEmpty { text += keyPath + ": " }
        return text + message
    }
}

/// Every problem found in one or more configuration files.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// Sorted by file, then line and column; problems at the same position keep the order in which
    /// they were found.
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        self.errors = Self.sorted(errors)
    }

    /// One line per error.
    public var description: String { errors.map(\.description).joined(separator: "\n") }

    public var isEmpty: Bool { errors.isEmpty }

    static func sorted(_ errors: [ConfigError]) -> [ConfigError] {
        errors.enumerated().sorted { a, b in
            (a.element.file, a.element.line, a.element.column, a.offset)
                < (b.element.file, b.element.line, b.element.column, b.offset)
        }.map(\.element)
    }
}

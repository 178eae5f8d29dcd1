// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// A document that could not be parsed: a syntax error found by libyaml, or one of the rules this
/// module adds (duplicate keys, one document per stream, alias expansion and depth limits).
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name the caller gave the input (usually its path).
    public var file: String
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column of the problem, in characters.
    public var column: Int
    /// What is wrong (libyaml's `problem` text for syntax errors).
    public var problem: String
    /// What the parser was doing (libyaml's `context` text, such as "while parsing a block mapping").
    public var context: String?
    /// Where that context started.
    public var contextMark: YAMLMark?

    public init(
        file: String, line: Int, column: Int, problem: String, context: String? = nil,
        contextMark: YAMLMark? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
        self.context = context
        self.contextMark = contextMark
    }

    public var mark: YAMLMark { YAMLMark(line: line, column: column) }

    /// `problem`, followed by the context when libyaml gave one.
    public var message: String {
        guard let context else { return problem }
        if let contextMark {
            return "\(problem) (\(context) at line \(contextMark.line), column \(contextMark.column))"
        }
        return "\(problem) (\(context))"
    }

    /// `file:line:column: message`.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import CYAML

/// Parses one YAML document into a `YAMLNode` tree with libyaml's event API.
///
/// Rules on top of YAML 1.2 (all reported as `YAMLError` with the position of the offending node):
/// - One document per stream: a second document is refused. A stream with no document at all (an
///   empty file, or only comments) parses as an empty mapping at 1:1, so a configuration file
///   that is still empty reports its missing keys rather than a type error. An explicit empty
///   document (`---` and nothing else) is a null scalar, as YAML says.
/// - Aliases are replaced by a copy of the anchored node. Every node of the expanded tree counts
///   towards `Limits.maxNodes`, so a "billion laughs" document is refused long before it is
///   expanded; nesting deeper than `Limits.maxDepth` is refused too. An alias can only refer to a
///   node that is complete, so a node cannot contain itself.
/// - Duplicate keys in one mapping are refused. Keys are compared by value in the core schema, so
///   `1` and `0x1` are the same key, and `"1"` (a string) is another.
/// - Merge keys (`<<`, a YAML 1.1 feature) are not interpreted: `<<` is an ordinary key.
/// - The input must be UTF-8 (a byte order mark is allowed).
public enum YAMLParser {
    public struct Limits: Sendable, Equatable {
        /// The most nodes the document may have once aliases are expanded.
        public var maxNodes: Int
        /// The deepest nesting of sequences and mappings (the root collection is depth 1).
        public var maxDepth: Int

        public init(maxNodes: Int = 100_000, maxDepth: Int = 200) {
            self.maxNodes = maxNodes
            self.maxDepth = maxDepth
        }

        public static let `default` = Limits()
    }

    /// Parses `text`; `file` names the input in errors.
    public static func parse(
        _ text: String, file: String = "<string>", limits: Limits = .default
    )
        throws(YAMLError) -> YAMLNode
    {
        try parse(bytes: Array(text.utf8), file: file, limits: limits)
    }

    /// Parses UTF-8 `bytes`; `file` names the input in errors.
    public static func parse(bytes: [UInt8], file: String, limits: Limits = .default) throws(YAMLError) -> YAMLNode {
        // libyaml keeps a pointer to the parser in the parser (its input handler's data), so the
        // parser must live at a fixed address rather than in a Swift variable.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
        defer {
            parser.deinitialize(count: 1)
            parser.deallocate()
        }
        guard yaml_parser_initialize(parser) == 1 else {
            throw YAMLError(
                file: file, line: 1, column: 1, problem: "cannot initialise the YAML parser (out of memory)")
        }
        defer { yaml_parser_delete(parser) }

        // The input must outlive the parser's use of it, and needs a valid address even when empty.
        let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        defer { input.deallocate() }
        _ = input.initialize(from: bytes)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)

        var builder = TreeBuilder(file: file, limits: limits)
        var documents = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(parser, &event) == 1 else {
                throw libyamlError(parser.pointee, bytes: bytes, file: file)
            }
            defer { yaml_event_delete(&event) }
            let mark = YAMLMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)

            switch event.type {
            case YAML_STREAM_END_EVENT:
                return builder.root ?? YAMLNode(kind: .mapping([]), mark: YAMLMark(line: 1, column: 1))
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw YAMLError(
                        file: file, line: mark.line, column: mark.column,
                        problem: "a second YAML document starts here; the file must hold exactly one document")
                }
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
                let node = YAMLNode(
                    kind: .scalar(text, style: scalarStyle(s.style), tag: s.tag.map { String(cString: $0) }),
                    mark: mark)
                try builder.addScalar(node, anchor: s.anchor.map { String(cString: $0) })
            case YAML_ALIAS_EVENT:
                let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                try builder.addAlias(name, at: mark)
            case YAML_SEQUENCE_START_EVENT:
                try builder.open(
                    mapping: false, anchor: event.data.sequence_start.anchor.map { String(cString: $0) }, at: mark)
            case YAML_MAPPING_START_EVENT:
                try builder.open(
                    mapping: true, anchor: event.data.mapping_start.anchor.map { String(cString: $0) }, at: mark)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                try builder.close()
            default:
                // Stream start, document end: nothing to build.
                break
            }
        }
    }

    private static func scalarStyle(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    private static func libyamlError(_ parser: yaml_parser_t, bytes: [UInt8], file: String) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown YAML error"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(file: file, line: 1, column: 1, problem: "out of memory while parsing")
        case YAML_READER_ERROR:
            // Encoding errors carry a byte offset rather than a mark.
            let mark = markOf(offset: parser.problem_offset, in: bytes)
            var text = problem
            if parser.problem_value >= 0 {
                let hex = String(parser.problem_value, radix: 16, uppercase: true)
                text += " (#x\(hex.count < 2 ? "0" + hex : hex))"
            }
            return YAMLError(file: file, line: mark.line, column: mark.column, problem: text)
        default:
            let context = parser.context.map { String(cString: $0) }
            let contextMark = context.map { _ in
                YAMLMark(line: Int(parser.context_mark.line) + 1, column: Int(parser.context_mark.column) + 1)
            }
            return YAMLError(
                file: file, line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1,
                problem: problem, context: context, contextMark: contextMark)
        }
    }

    /// The line and column (in characters) of a byte offset, counting line breaks as libyaml does.
    static func markOf(offset: Int, in bytes: [UInt8]) -> YAMLMark {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A || (b == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 && b != 0x0D {
                column += 1
            }
            i += 1
        }
        return YAMLMark(line: line, column: column)
    }
}

/// Assembles nodes from parser events, resolving aliases and enforcing the limits.
private struct TreeBuilder {
    struct Built {
        var node: YAMLNode
        /// Nodes in the subtree, aliases expanded.
        var size: Int
        /// Nesting levels in the subtree (1 for a scalar).
        var height: Int
    }

    struct Frame {
        var isMapping: Bool
        var mark: YAMLMark
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        var pendingKey: YAMLNode?
        var seenKeys: [String: YAMLMark] = [:]
        var size = 1
        var height = 1
    }

    let file: String
    let limits: YAMLParser.Limits
    var stack: [Frame] = []
    var anchors: [String: Built] = [:]
    var root: YAMLNode?
    var totalNodes = 0

    init(file: String, limits: YAMLParser.Limits) {
        self.file = file
        self.limits = limits
    }

    func error(_ problem: String, at mark: YAMLMark) -> YAMLError {
        YAMLError(file: file, line: mark.line, column: mark.column, problem: problem)
    }

    mutating func count(_ nodes: Int, height: Int, at mark: YAMLMark, alias: Bool) throws(YAMLError) {
        totalNodes += nodes
        if totalNodes > limits.maxNodes {
            let why = alias ? " once aliases are expanded (a \"billion laughs\" document?)" : ""
            throw error("the document has more than \(limits.maxNodes) nodes\(why); refusing it", at: mark)
        }
        if stack.count + height > limits.maxDepth {
            throw error("the document nests deeper than \(limits.maxDepth) levels; refusing it", at: mark)
        }
    }

    mutating func addScalar(_ node: YAMLNode, anchor: String?) throws(YAMLError) {
        try count(1, height: 0, at: node.mark, alias: false)
        let built = Built(node: node, size: 1, height: 1)
        if let anchor { anchors[anchor] = built }
        try add(built)
    }

    mutating func addAlias(_ name: String, at mark: YAMLMark) throws(YAMLError) {
        guard let built = anchors[name] else {
            throw error("the alias *\(name) refers to no complete anchor &\(name) before it", at: mark)
        }
        try count(built.size, height: built.height - 1, at: mark, alias: true)
        try add(built)
    }

    mutating func open(mapping: Bool, anchor: String?, at mark: YAMLMark) throws(YAMLError) {
        try count(1, height: 1, at: mark, alias: false)
        stack.append(Frame(isMapping: mapping, mark: mark, anchor: anchor))
    }

    mutating func close() throws(YAMLError) {
        guard let frame = stack.popLast() else { return }
        let node =
            frame.isMapping
            ? YAMLNode(kind: .mapping(frame.pairs), mark: frame.mark)
            : YAMLNode(kind: .sequence(frame.items), mark: frame.mark)
        let built = Built(node: node, size: frame.size, height: frame.height)
        if let anchor = frame.anchor { anchors[anchor] = built }
        try add(built)
    }

    mutating func add(_ built: Built) throws(YAMLError) {
        guard var frame = stack.popLast() else {
            root = built.node
            return
        }
        frame.size += built.size
        frame.height = max(frame.height, built.height + 1)
        if !frame.isMapping {
            frame.items.append(built.node)
        } else if let key = frame.pendingKey {
            frame.pairs.append((key: key, value: built.node))
            frame.pendingKey = nil
        } else {
            let identity = Self.identity(of: built.node)
            if let first = frame.seenKeys[identity] {
                let key = Self.display(built.node)
                throw error(
                    "duplicate key \(key) (first defined at line \(first.line), column \(first.column))",
                    at: built.node.mark)
            }
            frame.seenKeys[identity] = built.node.mark
            frame.pendingKey = built.node
        }
        stack.append(frame)
    }

    /// A string that is equal for two keys exactly when they are the same value in the core schema.
    static func identity(of node: YAMLNode) -> String {
        switch node.kind {
        case .scalar(let text, _, _):
            switch node.coreType {
            case .null: return "~"
            case .bool: return node.boolValue == true ? "true" : "false"
            case .int: return node.intValue.map { "i\($0)" } ?? "i\(text)"
            case .float: return node.doubleValue.map { "f\($0)" } ?? "f\(text)"
            case .string, .none: return "s\(text.utf8.count):\(text)"
            }
        case .sequence(let items):
            return "[" + items.map(identity(of:)).joined(separator: ",") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { identity(of: $0.key) + ":" + identity(of: $0.value) }.joined(separator: ",") + "}"
        }
    }

    static func display(_ node: YAMLNode) -> String {
        if let text = node.scalarText { return YAMLEmitter.doubleQuoted(text) }
        return YAMLEmitter.flow(node)
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// A position in a YAML text: 1-based line and 1-based column, counted in Unicode characters
/// (not bytes), as libyaml counts them.
public struct YAMLMark: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The mark of nodes built in code rather than parsed (line 0, column 0).
    public static let none = YAMLMark(line: 0, column: 0)

    public static func < (lhs: YAMLMark, rhs: YAMLMark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// How a scalar was written. Only `plain` scalars are resolved to null, booleans and numbers
/// (YAML 1.2 §10.3.2): a quoted `"123"` is the string "123".
public enum YAMLScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    /// `|` block scalar.
    case literal
    /// `>` block scalar.
    case folded

    public var isQuoted: Bool { self == .singleQuoted || self == .doubleQuoted }
}

/// One node of a parsed YAML document. Aliases are already replaced by a copy of the node they
/// refer to (which keeps the anchored node's marks).
public struct YAMLNode: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The scalar's text, its style, and its explicit tag as libyaml resolved it
        /// (`!!str` becomes `tag:yaml.org,2002:str`; nil when the scalar has no tag).
        case scalar(String, style: YAMLScalarStyle, tag: String?)
        case sequence([YAMLNode])
        /// Pairs in document order.
        case mapping([(key: YAMLNode, value: YAMLNode)])

        public static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case (.scalar(let a, let sa, let ta), .scalar(let b, let sb, let tb)):
                return a == b && sa == sb && ta == tb
            case (.sequence(let a), .sequence(let b)):
                return a == b
            case (.mapping(let a), .mapping(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default:
                return false
            }
        }
    }

    public var kind: Kind
    /// Where the node starts (for a node with an anchor or tag, where the anchor or tag starts).
    public var mark: YAMLMark

    public init(kind: Kind, mark: YAMLMark = .none) {
        self.kind = kind
        self.mark = mark
    }

    /// A scalar node, plain unless told otherwise.
    public static func scalar(
        _ text: String, style: YAMLScalarStyle = .plain, tag: String? = nil, mark: YAMLMark = .none
    ) -> YAMLNode {
        YAMLNode(kind: .scalar(text, style: style, tag: tag), mark: mark)
    }

    /// A double-quoted string scalar: what a writer should use for any text it did not choose itself.
    public static func string(_ text: String) -> YAMLNode {
        YAMLNode(kind: .scalar(text, style: .doubleQuoted, tag: nil))
    }

    public static func sequence(_ items: [YAMLNode], mark: YAMLMark = .none) -> YAMLNode {
        YAMLNode(kind: .sequence(items), mark: mark)
    }

    public static func mapping(_ pairs: [(key: YAMLNode, value: YAMLNode)], mark: YAMLMark = .none) -> YAMLNode {
        YAMLNode(kind: .mapping(pairs), mark: mark)
    }

    /// A mapping whose keys are plain strings (the usual shape of a configuration section).
    public static func mapping(_ pairs: KeyValuePairs<String, YAMLNode>) -> YAMLNode {
        YAMLNode(kind: .mapping(pairs.map { (key: YAMLNode.scalar($0.key), value: $0.value) }))
    }

    /// The scalar's text, whatever its style or type; nil for collections.
    public var scalarText: String? {
        if case .scalar(let text, _, _) = kind { return text }
        return nil
    }

    public var scalarStyle: YAMLScalarStyle? {
        if case .scalar(_, let style, _) = kind { return style }
        return nil
    }

    public var tag: String? {
        if case .scalar(_, _, let tag) = kind { return tag }
        return nil
    }

    public var sequenceItems: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    public var mappingPairs: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    /// The value of the first pair whose key is the string `key`.
    public subscript(key: String) -> YAMLNode? {
        mappingPairs?.first { $0.key.stringValue == key }?.value
    }

    public var description: String { YAMLEmitter.flow(self) }
}

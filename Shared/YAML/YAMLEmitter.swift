// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Writes node trees as YAML text that `YAMLParser` reads back to the same values.
///
/// Block style, two-space indentation. Scalars keep their style when that is safe: a plain scalar
/// is written plain only if its text is a conservative token (letters, digits, `_ . + - /`);
/// single-quoted scalars stay single-quoted when they hold no line breaks or control characters;
/// everything else is written double-quoted with escapes. Marks and tags are not written.
public enum YAMLEmitter {
    /// The whole node as a block-style document ending with a newline.
    public static func block(_ node: YAMLNode) -> String {
        var out = ""
        switch node.kind {
        case .scalar:
            out = scalar(node) + "\n"
        case .sequence(let items) where items.isEmpty:
            out = "[]\n"
        case .mapping(let pairs) where pairs.isEmpty:
            out = "{}\n"
        case .sequence(let items):
            writeSequence(items, indent: 0, firstLinePrefix: nil, into: &out)
        case .mapping(let pairs):
            writeMapping(pairs, indent: 0, firstLinePrefix: nil, into: &out)
        }
        return out
    }

    /// The node on one line in flow style (`{a: 1, b: [x, y]}`).
    public static func flow(_ node: YAMLNode) -> String {
        switch node.kind {
        case .scalar:
            return scalar(node)
        case .sequence(let items):
            return "[" + items.map(flow).joined(separator: ", ") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { flow($0.key) + ": " + flow($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// `text` as a double-quoted YAML scalar (YAML 1.2 §7.3.1), escaping `"`, `\`, and every
    /// character that is not printable or that YAML treats as a line break.
    public static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\0": out += "\\0"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{85}": out += "\\N"
            case "\u{A0}": out += "\\_"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value <= 0xFFFF {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return out + "\""
    }

    /// Whether `text` can be written as a plain scalar without changing its text. This does not
    /// check its type: the plain text `true` reads back as a boolean, which is why a writer of
    /// strings should use `doubleQuoted`.
    public static func isSafePlain(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard let first = u.first else { return false }
        func allowed(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "/")
        }
        guard u.allSatisfy(allowed) else { return false }
        func isAlphanumeric(_ c: UInt8) -> Bool {
            allowed(c) && c != UInt8(ascii: ".") && c != UInt8(ascii: "+") && c != UInt8(ascii: "-")
                && c != UInt8(ascii: "/")
        }
        if isAlphanumeric(first) { return true }
        // A lone `-` is a sequence entry and `---`/`...` are document markers: a leading `-`, `+`
        // or `.` is only taken when a digit follows (a number such as -5 or .5).
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") {
            return u.count > 1 && u[1] >= UInt8(ascii: "0") && u[1] <= UInt8(ascii: "9")
        }
        return false
    }

    static func scalar(_ node: YAMLNode) -> String {
        guard case .scalar(let text, let style, _) = node.kind else { return flow(node) }
        switch style {
        case .plain where isSafePlain(text):
            return text
        case .singleQuoted where text.unicodeScalars.allSatisfy(isPrintable):
            var out = "'"
            for c in text.unicodeScalars {
                out.unicodeScalars.append(c)
                if c == "'" { out += "'" }
            }
            return out + "'"
        default:
            return doubleQuoted(text)
        }
    }

    private static func writeMapping(
        _ pairs: [(key: YAMLNode, value: YAMLNode)], indent: Int, firstLinePrefix: String?, into out: inout String
    ) {
        let pad = String(repeating: " ", count: indent)
        for (i, pair) in pairs.enumerated() {
            out += i == 0 ? (firstLinePrefix ?? pad) : pad
            out += (pair.key.scalarText != nil ? scalar(pair.key) : flow(pair.key)) + ":"
            writeValue(pair.value, indent: indent, into: &out)
        }
    }

    private static func writeSequence(
        _ items: [YAMLNode], indent: Int, firstLinePrefix: String?, into out: inout String
    ) {
        let pad = String(repeating: " ", count: indent)
        for (i, item) in items.enumerated() {
            out += (i == 0 ? (firstLinePrefix ?? pad) : pad) + "-"
            switch item.kind {
            case .mapping(let pairs) where !pairs.isEmpty:
                writeMapping(pairs, indent: indent + 2, firstLinePrefix: " ", into: &out)
            case .sequence(let inner) where !inner.isEmpty:
                writeSequence(inner, indent: indent + 2, firstLinePrefix: " ", into: &out)
            default:
                out += " " + flow(item) + "\n"
            }
        }
    }

    /// Writes what follows `key:`.
    private static func writeValue(_ value: YAMLNode, indent: Int, into out: inout String) {
        switch value.kind {
        case .mapping(let pairs) where !pairs.isEmpty:
            out += "\n"
            writeMapping(pairs, indent: indent + 2, firstLinePrefix: nil, into: &out)
        case .sequence(let items) where !items.isEmpty:
            out += "\n"
            writeSequence(items, indent: indent + 2, firstLinePrefix: nil, into: &out)
        default:
            out += " " + flow(value) + "\n"
        }
    }

    /// Characters YAML allows unescaped in a double-quoted scalar that stays on one line
    /// (YAML 1.2 §5.1 c-printable, minus line breaks, the byte order mark and non-characters).
    private static func isPrintable(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        switch v {
        case 0x20...0x7E: return true
        case 0xA0...0xD7FF: return v != 0x2028 && v != 0x2029
        case 0xE000...0xFFFD: return v != 0xFEFF
        case 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    private static func hex(_ v: UInt32, width: Int) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

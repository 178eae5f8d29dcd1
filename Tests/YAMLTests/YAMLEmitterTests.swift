// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing
import YAML

@Suite struct YAMLEmitterTests {
    static let awkwardStrings = [
        "", " ", "plain", "true", "null", "~", "123", "0x10", "1.5", "- item", "key: value", "# not a comment",
        "'single'", "\"double\"", "back\\slash", "tab\there", "line\nbreak", "cr\rlf", "nul\0byte", "bell\u{7}",
        "del\u{7F}", "c1\u{85}\u{9F}", "nbsp\u{A0}", "ls\u{2028}ps\u{2029}", "bom\u{FEFF}", "nonchar\u{FFFE}",
        "émoji ⚡️🚗", "  leading and trailing  ", "---", "...", "&anchor", "*alias", "!tag", "%directive",
        "@at", "`tick", "{flow}", "[seq]", "a,b", "?q", "|", ">", "very " + String(repeating: "long ", count: 100),
    ]

    @Test(arguments: awkwardStrings)
    func doubleQuotedReadsBack(_ text: String) throws {
        let quoted = YAMLEmitter.doubleQuoted(text)
        #expect(!quoted.contains("\n"))
        let root = try YAMLParser.parse("v: \(quoted)\n")
        #expect(root["v"]?.stringValue == text)
    }

    @Test(arguments: awkwardStrings)
    func everyStyleReadsBack(_ text: String) throws {
        for style in [YAMLScalarStyle.plain, .singleQuoted, .doubleQuoted, .literal, .folded] {
            let node = YAMLNode.mapping(["v": .scalar(text, style: style)])
            let root = try YAMLParser.parse(YAMLEmitter.block(node))
            #expect(root["v"]?.scalarText == text, "style \(style)")
        }
    }

    @Test func escapes() {
        #expect(YAMLEmitter.doubleQuoted("a\"b\\c\n\t\u{1}\u{85}\u{2028}") == #""a\"b\\c\n\t\x01\N\L""#)
    }

    @Test func safePlain() {
        for text in ["abc", "ocpp1.6", "300s", "-5", ".5", "a-b_c", "x/y", "CPO"] {
            #expect(YAMLEmitter.isSafePlain(text), "\(text)")
        }
        for text in ["", "-", "--", "---", "...", "- x", "a b", "a:b", "#x", "/path", "é", "a,b", "[x]"] {
            #expect(!YAMLEmitter.isSafePlain(text), "\(text)")
        }
    }

    @Test func blockLayout() {
        let node = YAMLNode.mapping([
            "name": .string("Demo"),
            "count": .scalar("3"),
            "items": .sequence([
                .string("a"), .mapping(["k": .scalar("v"), "l": .sequence([])]),
                .sequence([.scalar("1"), .scalar("2")]),
            ]),
            "nested": .mapping(["deep": .mapping(["x": .scalar("1")])]),
            "empty": .mapping([]),
        ])
        #expect(
            YAMLEmitter.block(node) == """
                name: "Demo"
                count: 3
                items:
                  - "a"
                  - k: v
                    l: []
                  - - 1
                    - 2
                nested:
                  deep:
                    x: 1
                empty: {}

                """)
    }

    @Test func treeReadsBack() throws {
        let yaml = """
            a: [1, "two", {three: 3}]
            b:
              c: |
                multi
                line
              "quoted key": 'x'
              ? [complex, key]
              : v
            """
        let original = try YAMLParser.parse(yaml)
        let again = try YAMLParser.parse(YAMLEmitter.block(original))
        #expect(strip(again) == strip(original))
    }

    @Test func flowForm() throws {
        let node = try YAMLParser.parse("a: [1, {b: c}]\n")
        #expect(YAMLEmitter.flow(node) == "{a: [1, {b: c}]}")
        #expect(node.description == "{a: [1, {b: c}]}")
    }

    /// The tree without marks and with literal/folded styles seen as double-quoted (how they are written).
    private func strip(_ node: YAMLNode) -> String {
        switch node.kind {
        case .scalar(let text, _, _): return "\(node.coreType.map(\.rawValue) ?? "?"):\(text)"
        case .sequence(let items): return "[" + items.map(strip).joined(separator: ",") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { strip($0.key) + "=" + strip($0.value) }.joined(separator: ",") + "}"
        }
    }
}

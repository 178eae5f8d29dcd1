// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing
import YAML

@Suite struct YAMLScalarTests {
    private func value(_ text: String) throws -> YAMLNode {
        let root = try YAMLParser.parse("v: \(text)\n")
        return try #require(root["v"])
    }

    @Test(arguments: ["~", "null", "Null", "NULL", ""])
    func nullForms(_ text: String) throws {
        let node = try value(text)
        #expect(node.coreType == .null)
        #expect(node.isNull)
    }

    @Test(arguments: [
        ("true", true), ("True", true), ("TRUE", true), ("false", false), ("False", false), ("FALSE", false),
    ])
    func booleans(_ text: String, _ expected: Bool) throws {
        #expect(try value(text).boolValue == expected)
    }

    @Test(arguments: ["yes", "no", "on", "off", "y", "n", "tRUE"])
    func yaml11BooleansAreStrings(_ text: String) throws {
        let node = try value(text)
        #expect(node.coreType == .string)
        #expect(node.stringValue == text)
        #expect(node.boolValue == nil)
    }

    @Test(arguments: [
        ("0", 0), ("42", 42), ("-17", -17), ("+8", 8), ("007", 7), ("0x1F", 31), ("0xff", 255), ("0o17", 15),
        ("9223372036854775807", Int.max),
    ])
    func integers(_ text: String, _ expected: Int) throws {
        let node = try value(text)
        #expect(node.coreType == .int)
        #expect(node.intValue == expected)
        #expect(node.doubleValue == Double(expected))
    }

    @Test func integerTooLargeIsStillAnInteger() throws {
        let node = try value("99999999999999999999")
        #expect(node.coreType == .int)
        #expect(node.intValue == nil)
    }

    @Test(arguments: ["0x", "0o8", "-0x10", "1_000", "0b101", "12abc", "1.2.3"])
    func notIntegers(_ text: String) throws {
        let node = try value(text)
        #expect(node.intValue == nil)
        #expect(node.coreType != .int)
    }

    @Test(arguments: [
        ("1.5", 1.5), ("-0.25", -0.25), (".5", 0.5), ("1.", 1.0), ("1e3", 1000), ("+2.5E-1", 0.25), (".inf", .infinity),
        ("-.Inf", -.infinity), ("+.INF", .infinity),
    ])
    func floats(_ text: String, _ expected: Double) throws {
        let node = try value(text)
        #expect(node.coreType == .float)
        #expect(node.doubleValue == expected)
        #expect(node.intValue == nil)
    }

    @Test func notANumber() throws {
        let node = try value(".nan")
        #expect(node.coreType == .float)
        #expect(node.doubleValue?.isNaN == true)
    }

    @Test(arguments: ["\"123\"", "'123'", "\"true\"", "'~'", "\"\"", "\"0x10\"", "\"1.5\""])
    func quotedScalarsAreStrings(_ text: String) throws {
        let node = try value(text)
        #expect(node.coreType == .string)
        #expect(node.intValue == nil)
        #expect(node.boolValue == nil)
        #expect(!node.isNull)
        #expect(node.stringValue == String(text.dropFirst().dropLast()))
    }

    @Test func blockScalarsAreStrings() throws {
        let root = try YAMLParser.parse("a: |\n  123\nb: >\n  true\n")
        #expect(root["a"]?.stringValue == "123\n")
        #expect(root["b"]?.stringValue == "true\n")
    }

    @Test func explicitTagsWin() throws {
        let root = try YAMLParser.parse("a: !!str 123\nb: !!int \"42\"\nc: !!bool \"true\"\nd: ! 12\ne: !!float 3\n")
        #expect(root["a"]?.stringValue == "123")
        #expect(root["a"]?.tag == "tag:yaml.org,2002:str")
        #expect(root["b"]?.intValue == 42)
        #expect(root["c"]?.boolValue == true)
        #expect(root["d"]?.coreType == .string)
        #expect(root["d"]?.tag == "!")
        #expect(root["e"]?.doubleValue == 3)
    }

    @Test func styles() throws {
        let yaml = """
            plain: text
            single: 'it''s'
            double: "tab\\there\\u00e9"
            literal: |
              line 1
              line 2
            folded: >-
              one
              two
            """
        let root = try YAMLParser.parse(yaml)
        #expect(root["plain"]?.kind == .scalar("text", style: .plain, tag: nil))
        #expect(root["single"]?.kind == .scalar("it's", style: .singleQuoted, tag: nil))
        #expect(root["double"]?.kind == .scalar("tab\there\u{e9}", style: .doubleQuoted, tag: nil))
        #expect(root["literal"]?.kind == .scalar("line 1\nline 2\n", style: .literal, tag: nil))
        #expect(root["folded"]?.kind == .scalar("one two", style: .folded, tag: nil))
        #expect(root["double"]?.scalarStyle?.isQuoted == true)
        #expect(root["plain"]?.scalarStyle?.isQuoted == false)
    }

    @Test func utf8Text() throws {
        let root = try YAMLParser.parse("name: Ladestation Königstraße ⚡️\n")
        #expect(root["name"]?.stringValue == "Ladestation Königstraße ⚡️")
    }

    @Test func nulCharacterFromEscape() throws {
        let root = try YAMLParser.parse("a: \"x\\0y\"\n")
        #expect(root["a"]?.stringValue == "x\0y")
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing
import YAML

@Suite struct YAMLErrorTests {
    private func error(_ yaml: String) throws -> YAMLError {
        try #require(throws: YAMLError.self) { try YAMLParser.parse(yaml, file: "conf.yaml") }
    }

    @Test func badIndentation() throws {
        let e = try error("a: 1\n  b: 2\n")
        #expect(e.description == "conf.yaml:2:4: mapping values are not allowed in this context")
    }

    @Test func unclosedFlowSequenceNamesItsContext() throws {
        let e = try error("a: 1\nb: [1, 2\nc: 3\n")
        #expect(e.line == 3)
        #expect(e.column == 2)
        #expect(e.problem == "did not find expected ',' or ']'")
        #expect(e.context == "while parsing a flow sequence")
        #expect(e.contextMark == YAMLMark(line: 2, column: 4))
        #expect(
            e.description
                == "conf.yaml:3:2: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 4)"
        )
    }

    @Test func unterminatedQuote() throws {
        let e = try error("a: 'open\n")
        #expect(e.line == 2)
        #expect(e.column == 1)
        #expect(e.problem == "found unexpected end of stream")
        #expect(e.context == "while scanning a quoted scalar")
    }

    @Test func tabIndentation() throws {
        let e = try error("a:\n\tb: 1\n")
        #expect(e.line == 2)
        #expect(e.column == 1)
    }

    @Test func sequenceInMapping() throws {
        let e = try error("- a\nb: 1\n")
        #expect(
            e.description
                == "conf.yaml:2:1: did not find expected '-' indicator (while parsing a block collection at line 1, column 1)"
        )
    }

    @Test func duplicateKeys() throws {
        let e = try error("name: a\nother: 1\nname: b\n")
        #expect(e.description == "conf.yaml:3:1: duplicate key \"name\" (first defined at line 1, column 1)")
    }

    @Test func duplicateKeysInNestedMapping() throws {
        let e = try error("outer:\n  x: 1\n  'x': 2\n")
        #expect(e.mark == YAMLMark(line: 3, column: 3))
    }

    @Test func keysAreComparedByValue() throws {
        #expect(try error("1: a\n0x1: b\n").line == 2)
        #expect(try error("true: a\nTrue: b\n").line == 2)
        #expect(try error("~: a\nnull: b\n").line == 2)
        #expect(try error("[1, 2]: a\n[1, 0x2]: b\n").line == 2)
        // A quoted "1" is a string, the plain 1 an integer: two keys.
        #expect(try YAMLParser.parse("1: a\n\"1\": b\n").mappingPairs?.count == 2)
        // The same key in two mappings is fine.
        #expect(try YAMLParser.parse("a: {x: 1}\nb: {x: 2}\n").mappingPairs?.count == 2)
    }

    @Test func invalidUTF8() throws {
        let bytes = Array("a: 1\nb: x".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let e = try #require(throws: YAMLError.self) { try YAMLParser.parse(bytes: bytes, file: "bin.yaml") }
        #expect(e.description == "bin.yaml:2:6: invalid trailing UTF-8 octet (#x28)")
        let lead = try #require(throws: YAMLError.self) {
            try YAMLParser.parse(bytes: Array("ab: ".utf8) + [0xFF], file: "x")
        }
        #expect(lead.description == "x:1:5: invalid leading UTF-8 octet (#xFF)")
    }

    @Test func controlCharacter() throws {
        let e = try error("a: 1\nb: \u{1}\n")
        #expect(e.description == "conf.yaml:2:4: control characters are not allowed (#x01)")
    }

    @Test func defaultFileName() throws {
        let e = try #require(throws: YAMLError.self) { try YAMLParser.parse("a: b: c\n") }
        #expect(e.description == "<string>:1:5: mapping values are not allowed in this context")
    }
}

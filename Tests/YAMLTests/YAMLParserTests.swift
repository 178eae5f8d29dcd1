// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing
import YAML

@Suite struct YAMLParserTests {
    @Test func nestedStructureKeepsOrder() throws {
        let yaml = """
            zeta: 1
            alpha:
              list: [a, b]
              map: {x: 1, y: [2, 3]}
            mid:
              - one
              - k: v
                l: w
              - - nested
            """
        let root = try YAMLParser.parse(yaml)
        let keys = try #require(root.mappingPairs).map { $0.key.scalarText }
        #expect(keys == ["zeta", "alpha", "mid"])
        #expect(root["alpha"]?["list"]?.sequenceItems?.compactMap(\.stringValue) == ["a", "b"])
        #expect(root["alpha"]?["map"]?["y"]?.sequenceItems?.compactMap(\.intValue) == [2, 3])
        let mid = try #require(root["mid"]?.sequenceItems)
        #expect(mid.count == 3)
        #expect(mid[0].stringValue == "one")
        #expect(mid[1].mappingPairs?.map { $0.key.scalarText } == ["k", "l"])
        #expect(mid[2].sequenceItems?.first?.stringValue == "nested")
    }

    @Test func marksAreOneBasedAndExact() throws {
        let yaml = """
            # comment
            first: 1
            section:
              key: "value"
              list:
                - a
                - [b, c]
              empty:
            flow: {k: v}
            """
        let root = try YAMLParser.parse(yaml)
        #expect(root.mark == YAMLMark(line: 2, column: 1))
        let pairs = try #require(root.mappingPairs)
        #expect(pairs[0].key.mark == YAMLMark(line: 2, column: 1))
        #expect(pairs[0].value.mark == YAMLMark(line: 2, column: 8))
        let section = try #require(root["section"])
        #expect(section.mark == YAMLMark(line: 4, column: 3))
        #expect(section["key"]?.mark == YAMLMark(line: 4, column: 8))
        let list = try #require(section["list"])
        #expect(list.mark == YAMLMark(line: 6, column: 5))
        #expect(list.sequenceItems?[0].mark == YAMLMark(line: 6, column: 7))
        #expect(list.sequenceItems?[1].mark == YAMLMark(line: 7, column: 7))
        #expect(list.sequenceItems?[1].sequenceItems?[1].mark == YAMLMark(line: 7, column: 11))
        #expect(section["empty"]?.isNull == true)
        #expect(root["flow"]?.mark == YAMLMark(line: 9, column: 7))
        #expect(root["flow"]?["k"]?.mark == YAMLMark(line: 9, column: 11))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let root = try YAMLParser.parse("straße: ümlaut\n")
        let pair = try #require(root.mappingPairs?.first)
        #expect(pair.value.mark == YAMLMark(line: 1, column: 9))
    }

    @Test func emptyStreamIsAnEmptyMapping() throws {
        for text in ["", "\n\n", "# only a comment\n", "   \n# x\n"] {
            let root = try YAMLParser.parse(text)
            #expect(root.kind == .mapping([]))
            #expect(root.mark == YAMLMark(line: 1, column: 1))
        }
    }

    @Test func explicitEmptyDocumentIsNull() throws {
        let root = try YAMLParser.parse("---\n")
        #expect(root.isNull)
    }

    @Test func explicitDocumentMarkersAreFine() throws {
        let root = try YAMLParser.parse("---\na: 1\n...\n")
        #expect(root["a"]?.intValue == 1)
    }

    @Test func secondDocumentIsRefused() {
        #expect(
            throws: YAMLError(
                file: "two.yaml", line: 2, column: 1,
                problem: "a second YAML document starts here; the file must hold exactly one document")
        ) {
            try YAMLParser.parse("a: 1\n---\nb: 2\n", file: "two.yaml")
        }
        #expect(throws: YAMLError.self) { try YAMLParser.parse("--- 1\n--- 2\n") }
    }

    @Test func byteOrderMarkIsAccepted() throws {
        let root = try YAMLParser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8), file: "bom.yaml")
        #expect(root["a"]?.intValue == 1)
    }

    @Test func carriageReturnLineEnds() throws {
        let root = try YAMLParser.parse("a: 1\r\nb: x\r\n")
        #expect(root["b"]?.stringValue == "x")
        #expect(root["b"]?.mark == YAMLMark(line: 2, column: 4))
    }

    @Test func complexKeysAreKept() throws {
        let root = try YAMLParser.parse("? [a, b]\n: pair\n")
        let pair = try #require(root.mappingPairs?.first)
        #expect(pair.key.sequenceItems?.count == 2)
        #expect(pair.value.stringValue == "pair")
    }

    @Test func mergeKeyIsAnOrdinaryKey() throws {
        let root = try YAMLParser.parse("base: &b {x: 1}\nother:\n  <<: *b\n")
        #expect(root["other"]?["<<"]?["x"]?.intValue == 1)
        #expect(root["other"]?["x"] == nil)
    }
}

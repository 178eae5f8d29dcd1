// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing
import YAML

@Suite struct YAMLAliasTests {
    @Test func aliasesAreReplacedByTheAnchoredNode() throws {
        let yaml = """
            defaults: &defaults
              timeout: 30s
              retries: 3
            name: &n "shared"
            a: *defaults
            b: [*n, *n]
            """
        let root = try YAMLParser.parse(yaml)
        #expect(root["a"] == root["defaults"])
        #expect(root["a"]?["retries"]?.intValue == 3)
        // The copy keeps the anchored node's position, which is where its anchor starts.
        #expect(root["a"]?.mark == YAMLMark(line: 1, column: 11))
        #expect(root["b"]?.sequenceItems?.map(\.stringValue) == ["shared", "shared"])
    }

    @Test func laterAnchorOfTheSameNameWins() throws {
        let root = try YAMLParser.parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\n")
        #expect(root["b"]?.intValue == 1)
        #expect(root["d"]?.intValue == 2)
    }

    @Test func undefinedAliasIsAnError() {
        #expect(
            throws: YAMLError(
                file: "f.yaml", line: 2, column: 4,
                problem: "the alias *nope refers to no complete anchor &nope before it")
        ) {
            try YAMLParser.parse("a: 1\nb: *nope\n", file: "f.yaml")
        }
    }

    @Test func aNodeCannotContainItself() throws {
        let error = try #require(throws: YAMLError.self) { try YAMLParser.parse("a: &a [1, *a]\n") }
        #expect(error.line == 1)
        #expect(error.column == 11)
    }

    @Test func billionLaughsIsRefused() throws {
        let yaml = """
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
            i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
            """
        let clock = ContinuousClock()
        let start = clock.now
        let error = try #require(throws: YAMLError.self) { try YAMLParser.parse(yaml, file: "lol.yaml") }
        #expect(clock.now - start < .seconds(2))
        #expect(error.problem.contains("billion laughs"))
        #expect(error.problem.hasPrefix("the document has more than 100000 nodes once aliases are expanded"))
        // Lines 1 to 5 expand to 74738 nodes; line 6 would add nine times 66433.
        #expect(error.line == 6)
    }

    @Test func expansionLimitIsConfigurable() throws {
        // Root, a, [1, 2, 3], b, [ , ] and two copies of [1, 2, 3]: 16 nodes.
        let yaml = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
        #expect(try YAMLParser.parse(yaml, limits: .init(maxNodes: 16))["b"]?.sequenceItems?.count == 2)
        let error = try #require(throws: YAMLError.self) { try YAMLParser.parse(yaml, limits: .init(maxNodes: 15)) }
        #expect(error.mark == YAMLMark(line: 2, column: 9))
    }

    @Test func depthLimit() throws {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let error = try #require(throws: YAMLError.self) { try YAMLParser.parse(deep) }
        #expect(error.problem == "the document nests deeper than 200 levels; refusing it")
        #expect(error.mark == YAMLMark(line: 1, column: 201))
        #expect(
            try YAMLParser.parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)).sequenceItems
                != nil)
    }

    @Test func depthLimitCountsAliasedNodes() throws {
        let inner = String(repeating: "[", count: 150) + String(repeating: "]", count: 150)
        let yaml =
            "a: &a \(inner)\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
        let error = try #require(throws: YAMLError.self) { try YAMLParser.parse(yaml) }
        #expect(error.line == 2)
        #expect(error.problem.hasPrefix("the document nests deeper"))
    }
}

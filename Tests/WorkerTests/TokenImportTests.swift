// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import JSON
import Testing

@testable import WorkerCore

/// The import file readers (issue 6 item 4, "bulk import … with per-row errors"): CSV per RFC 4180
/// with physical line numbers, JSON arrays split element by element, and the row rules, fed in
/// pieces of every size.
@Suite("Id token import files")
struct TokenImportTests {
    struct Outcome {
        var rows: [TokenInputRow]
        var problems: [TokenImportProblem]
        var rejected: Int

        /// position → the problems' fields and details, for compact expectations.
        var byPosition: [Int: [String]] {
            Dictionary(grouping: problems, by: \.position).mapValues { $0.map { "\($0.field ?? "-"): \($0.detail)" } }
        }
    }

    /// Reads `text` as CSV, fed in pieces of `piece` bytes.
    func csv(_ text: String, piece: Int = .max) throws -> Outcome {
        try csv(Array(text.utf8), piece: piece)
    }

    func csv(_ bytes: [UInt8], piece: Int = .max) throws -> Outcome {
        var batch = TokenImportBatch(positionName: "line")
        var reader = CSVTokenReader()
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + min(piece, bytes.count))
            try reader.feed(bytes[start..<end], into: &batch)
            start = end
        }
        try reader.finish(into: &batch)
        return Outcome(rows: batch.rows, problems: batch.problems, rejected: batch.rejected)
    }

    func json(_ text: String, piece: Int = .max) throws -> Outcome {
        let bytes = Array(text.utf8)
        var batch = TokenImportBatch(positionName: "index")
        var reader = JSONTokenReader()
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + min(piece, bytes.count))
            try reader.feed(bytes[start..<end], into: &batch)
            start = end
        }
        try reader.finish(into: &batch)
        return Outcome(rows: batch.rows, problems: batch.problems, rejected: batch.rejected)
    }

    // MARK: CSV

    static let mixed =
        "\u{FEFF}token,type,status,expires_at,parent_token\r\n"
        + "AAA1,ISO14443,accepted,2027-01-31T23:59:59Z,FLEET-1\r\n"
        + "\r\n"
        + "\"B,\"\"quoted\"\"\",Central,blocked,,\r\n"
        + "CCC3,Central,accepted,,,extra\r\n"
        + "DDD4,Badge,sleepy,tomorrow,\r\n"
        + "\"multi\r\nline\",Central,,,\r\n"
        + "AAA1,ISO14443,blocked,,\r\n"
        + "AAA1,Central,,,\r\n"
        + "\n"
        + "EEE5,KeyCode,expired,2027-01-31T23:59:59.123+02:00,"

    @Test func quotedFieldsCRLFBOMEmptyLinesAndEveryBadRowByLine() throws {
        for piece in [1, 2, 3, 7, 64, Int.max] {
            let out = try csv(Self.mixed, piece: piece)
            #expect(out.rows.map(\.token) == ["AAA1", "B,\"quoted\"", "AAA1", "EEE5"], "piece \(piece)")
            #expect(out.rejected == 4, "piece \(piece)")
            let problems = out.byPosition
            #expect(problems[5] == ["-: 6 fields but the header has 5"], "piece \(piece): \(problems)")
            #expect(
                problems[6] == [
                    "type: 'Badge' is not one of Central, eMAID, ISO14443, ISO15693, KeyCode, Local, MacAddress, NoAuthorization",
                    "status: 'sleepy' is not one of accepted, blocked, expired, invalid",
                    "expires_at: 'tomorrow' is not an RFC 3339 date-time (like 2027-01-31T23:59:59Z)",
                ], "piece \(piece): \(problems)")
            // The quoted field spans lines 7 and 8; the record is reported at the line it starts on.
            #expect(problems[7] == ["token: must not contain control characters"], "piece \(piece): \(problems)")
            #expect(problems[9] == ["token: duplicate: AAA1 (ISO14443) is already at line 2"], "\(problems)")
            #expect(Set(problems.keys) == [5, 6, 7, 9], "piece \(piece): \(problems)")
        }
        let out = try csv(Self.mixed)
        #expect(out.problems.first { $0.position == 6 }?.token == "DDD4")
        let first = try #require(out.rows.first)
        #expect(first.type == "ISO14443" && first.status == "accepted" && first.parentToken == "FLEET-1")
        #expect(first.expiresAtMillis.map(TokenRules.format(millis:)) == "2027-01-31T23:59:59.000Z")
        #expect(first.given == .all)
        // Empty cells are the defaults; a time with an offset is kept to the millisecond, in UTC.
        #expect(out.rows[1].status == "blocked" && out.rows[1].parentToken == nil && out.rows[1].expiresAtMillis == nil)
        #expect(out.rows[2] == TokenInputRow(token: "AAA1", type: "Central", status: "accepted", given: .all))
        #expect(out.rows[3].expiresAtMillis.map(TokenRules.format(millis:)) == "2027-01-31T21:59:59.123Z")
    }

    @Test func malformedQuotingIsAnErrorOfThatRecordOnly() throws {
        let out = try csv("token\nA\"B\n\"C\"D\nok1\n\"open\nok2\n")
        #expect(out.rows.map(\.token) == ["ok1"])
        #expect(
            out.byPosition == [
                2: ["-: a quote inside an unquoted field; quote the whole field and double the quote"],
                3: ["-: text after the closing quote of a field"],
                5: ["-: a quoted field is not closed"],
            ])
        // Lone CR line ends count as lines too.
        let cr = try csv("token,status\rA,accepted\rB,nope\r")
        #expect(
            cr.rows.map(\.token) == ["A"]
                && cr.byPosition == [3: ["status: 'nope' is not one of accepted, blocked, expired, invalid"]])
    }

    @Test func absentColumnsAreNotGivenAndTheHeaderIsChecked() throws {
        let out = try csv("Status , TOKEN\nblocked,T1\n,T2\n")
        #expect(out.rows.map(\.token) == ["T1", "T2"])
        #expect(out.rows.allSatisfy { $0.given == [.status] })
        #expect(out.rows.map(\.status) == ["blocked", "accepted"])
        for (file, message) in [
            ("type,status\nCentral,accepted\n", "the header has no 'token' column"),
            ("token,colour\nA,red\n", "unknown column 'colour'"),
            ("token,token\nA,B\n", "column 'token' appears twice"),
            ("", "the file is empty"),
            ("\u{FEFF}", "the file is empty"),
        ] {
            let problem = #expect(throws: ProblemDocument.self) { try csv(file) }
            #expect(problem?.status == .unprocessableContent, "\(file)")
            #expect(problem?.detail.contains(message) == true, "\(problem?.detail ?? "")")
        }
    }

    @Test func tokenRules() throws {
        let out = try csv(
            "token,parent_token\n\(String(repeating: "x", count: 37)),\n\" spaced\",\nok,\(String(repeating: "p", count: 37))\n,x\n"
        )
        #expect(
            out.byPosition == [
                2: ["token: must be at most 36 characters (it has 37)"],
                3: ["token: must not start or end with a space"],
                4: ["parent_token: must be at most 36 characters (it has 37)"], 5: ["token: must not be empty"],
            ])
        // Not valid UTF-8.
        let bad = try csv([UInt8]("token\n".utf8) + [0xC3, 0x28, 0x0A])
        #expect(bad.byPosition == [2: ["token: is not valid UTF-8"]])
        #expect(
            TokenRules.millis("2026-05-01T10:00:00.123Z").map(TokenRules.format(millis:)) == "2026-05-01T10:00:00.123Z")
        #expect(TokenRules.millis("2026-02-30T10:00:00Z") == nil)
    }

    // MARK: JSON

    @Test func jsonRowsByIndexWithDefaultsAndUnknownMembers() throws {
        let text = """
            \u{FEFF} [
              {"token": "J0", "type": "eMAID", "status": null, "expires_at": "2027-01-01T00:00:00Z"},
              {"token": "J1 ]}[{", "parent_token": "G\\"1"},
              {"token": 5},
              "J3",
              {"token": "J4", "colour": "red"},
              {"token": "J0", "type": "eMAID"},
              {"token": "J6", "token": "J6"},
              {"token": "J7", "status": "blocked"} ]
            """
        for piece in [1, 5, 1000] {
            let out = try json(text, piece: piece)
            #expect(out.rows.map(\.token) == ["J0", "J1 ]}[{", "J7"], "piece \(piece)")
            let problems = out.byPosition
            #expect(problems[2] == ["token: must be a string"])
            #expect(problems[3] == ["-: must be a JSON object"])
            #expect(problems[4]?.first?.hasPrefix("colour: unknown member") == true, "\(problems)")
            #expect(problems[5] == ["token: duplicate: J0 (eMAID) is already at index 0"])
            #expect(problems[6]?.first?.hasPrefix("-: not valid JSON: duplicateKey") == true, "\(problems)")
            #expect(Set(problems.keys) == [2, 3, 4, 5, 6])
        }
        let out = try json(text)
        #expect(out.rows[0].given == [.type, .status, .expiresAt] && out.rows[0].status == "accepted")
        #expect(out.rows[1].given == [.parentToken] && out.rows[1].parentToken == "G\"1")
        #expect(try json("[]").rows.isEmpty)
        #expect(try json(" [ {\"token\":\"A\"} ] \n").rows.count == 1)
    }

    @Test func aBodyThatIsNotAnArrayIs400() {
        for text in [
            "", "{\"token\":\"A\"}", "[{\"token\":\"A\"},]", "[{\"token\":\"A\"} {\"token\":\"B\"}]",
            "[{\"token\":\"A\"}", "[{\"token\":\"A\"}] x", "[,]",
        ] {
            let problem = #expect(throws: ProblemDocument.self, "\(text)") { try json(text) }
            #expect(problem?.status == .badRequest, "\(text)")
        }
    }

    @Test func theRowLimitBoundsMemory() throws {
        var batch = TokenImportBatch(positionName: "line")
        for i in 0..<TokenImportBatch.maximumRows {
            try batch.addUnreadable("x", at: i, token: nil)
        }
        let problem = #expect(throws: ProblemDocument.self) { try batch.addUnreadable("x", at: 0, token: nil) }
        #expect(problem?.status == .contentTooLarge)
    }
}

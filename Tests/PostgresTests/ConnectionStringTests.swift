// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Postgres
import Testing

@Suite("Connection strings")
struct ConnectionStringTests {
    @Test func valuesWithSpacesQuotesAndBackslashesSurviveLibpqParsing() {
        let conninfo = PGConnectionString.make([
            "host": "db.example", "port": "6543", "user": #"odd 'user' \ name"#, "dbname": "csms", "password": "p w'\\",
            "sslmode": nil,
        ])
        #expect(!conninfo.contains("sslmode"))
        let described = PGConnectionString.describe(conninfo)
        #expect(described == #"host=db.example port=6543 user=odd 'user' \ name dbname=csms"#)
        #expect(!described.contains("p w"))
    }

    @Test func aRepeatedKeywordTakesTheLastValue() {
        let described = PGConnectionString.describe(
            "host=a dbname=postgres " + PGConnectionString.make(["dbname": "csms"]))
        #expect(described.hasSuffix("dbname=csms"))
    }

    @Test func anUnparseableStringIsSaidToBeOne() {
        #expect(PGConnectionString.describe("host='unterminated") == "(unparseable connection string)")
    }
}

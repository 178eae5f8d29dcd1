// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing

@testable import Credentials

@Suite struct Base64Tests {
    // RFC 4648 §10 test vectors, without padding.
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func alphabets() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64.encode(bytes) == "+/+/")
        #expect(Base64.encode(bytes, alphabet: .urlSafe) == "-_-_")
        #expect(Base64.decode("-_-_", alphabet: .urlSafe) == bytes)
        #expect(Base64.decode("-_-_") == nil)
        #expect(Base64.decode("+/+/", alphabet: .urlSafe) == nil)
    }

    @Test(arguments: ["Zg==", "Z", "Zh", "Zm9", "Zm9vY", "Zm 9v", "Zm9v\n", "Zé"])
    func rejectsNonCanonical(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func roundTripsAllLengths() throws {
        for count in 0..<40 {
            let bytes = try PasswordHash.randomBytes(count)
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64.decode(Base64.encode(bytes, alphabet: .urlSafe), alphabet: .urlSafe) == bytes)
        }
    }
}

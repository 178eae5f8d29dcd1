// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing

@testable import Credentials

@Suite struct PasswordHashTests {
    static let fast = 1_000

    @Test(arguments: ["correct horse battery staple", "", "pässwörd ⚡️ 充电桩 🔌", String(repeating: "x", count: 1_000)])
    func roundTrip(password: String) throws {
        let encoded = try PasswordHash.hash(password, iterations: Self.fast)
        #expect(PasswordHash.verify(password, against: encoded))
    }

    @Test func wrongPasswordIsRejected() throws {
        let encoded = try PasswordHash.hash("secret", iterations: Self.fast)
        #expect(!PasswordHash.verify("Secret", against: encoded))
        #expect(!PasswordHash.verify("secret ", against: encoded))
        #expect(!PasswordHash.verify("", against: encoded))
    }

    @Test func encodingFormat() throws {
        let encoded = try PasswordHash.hash("secret", iterations: 1_234)
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 4)
        #expect(parts[0] == "pbkdf2-sha256")
        #expect(parts[1] == "1234")
        #expect(Base64.decode(parts[2])?.count == 16)
        #expect(Base64.decode(parts[3])?.count == 32)
        #expect(!encoded.contains("="))
    }

    @Test func defaultIterations() throws {
        let encoded = try PasswordHash.hash("secret")
        #expect(encoded.hasPrefix("pbkdf2-sha256$210000$"))
        #expect(PasswordHash.verify("secret", against: encoded))
    }

    @Test func saltIsUnique() throws {
        let first = try PasswordHash.hash("same", iterations: Self.fast)
        let second = try PasswordHash.hash("same", iterations: Self.fast)
        #expect(first != second)
        #expect(first.split(separator: "$")[2] != second.split(separator: "$")[2])
        #expect(PasswordHash.verify("same", against: first))
        #expect(PasswordHash.verify("same", against: second))
    }

    @Test(arguments: [0, 999, 10_000_001, -5])
    func hashRejectsIterationsOutOfRange(iterations: Int) {
        #expect(throws: PasswordHashError.self) { try PasswordHash.hash("x", iterations: iterations) }
    }

    @Test func pbkdf2KnownAnswerRFC7914() throws {
        let derived = try PasswordHash.derive(
            password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64)
        #expect(
            hex(derived)
                == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
        let first32 = try PasswordHash.derive(
            password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 32)
        #expect(hex(first32) == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
    }

    @Test func verifiesKnownEncoding() throws {
        // Built from the RFC 7914 vector's parameters but at the minimum accepted iteration count.
        let derived = try PasswordHash.derive(
            password: Array("passwd".utf8), salt: Array("saltsalt".utf8), iterations: 1_000, length: 32)
        let encoded = "pbkdf2-sha256$1000$\(Base64.encode(Array("saltsalt".utf8)))$\(Base64.encode(derived))"
        #expect(PasswordHash.verify("passwd", against: encoded))
        #expect(!PasswordHash.verify("passwd!", against: encoded))
    }

    @Test(arguments: [
        "",
        "$$$",
        "pbkdf2-sha256",
        "pbkdf2-sha256$1000",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$",
        "pbkdf2-sha256$1000$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$extra",
        "pbkdf2-sha512$1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "bcrypt$1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$abc$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$-1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$+1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$01000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$999$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$10000001$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$99999999999999999999$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$1000$c2Fsd!NhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$AAAA AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$1000$c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$AAAA",
        "PBKDF2-SHA256$1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ])
    func malformedEncodingsAreRejected(encoded: String) {
        #expect(!PasswordHash.verify("", against: encoded))
        #expect(!PasswordHash.verify("password", against: encoded))
        #expect(PasswordHash.needsRehash(encoded, iterations: Self.fast))
    }

    @Test func tamperedHashIsRejected() throws {
        let encoded = try PasswordHash.hash("secret", iterations: Self.fast)
        var parts = encoded.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        var derived = try #require(Base64.decode(parts[3]))
        derived[0] ^= 0x01
        parts[3] = Base64.encode(derived)
        #expect(!PasswordHash.verify("secret", against: parts.joined(separator: "$")))
    }

    @Test func needsRehash() throws {
        let encoded = try PasswordHash.hash("secret", iterations: Self.fast)
        #expect(!PasswordHash.needsRehash(encoded, iterations: Self.fast))
        #expect(PasswordHash.needsRehash(encoded, iterations: 2_000))
        #expect(PasswordHash.needsRehash(encoded, iterations: PasswordHash.defaultIterations))
        #expect(PasswordHash.needsRehash("garbage", iterations: Self.fast))
    }

    @Test func sha256KnownAnswers() {
        #expect(
            PasswordHash.sha256Hex(Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            PasswordHash.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func randomTokens() throws {
        let token = try PasswordHash.randomToken(bytes: 32)
        #expect(token.count == 43)
        #expect(token.utf8.allSatisfy { urlSafe.contains($0) })
        #expect(Base64.decode(token, alphabet: .urlSafe)?.count == 32)
        #expect(try PasswordHash.randomToken(bytes: 32) != token)
        #expect(try PasswordHash.randomToken(bytes: 1).count == 2)
        #expect(throws: PasswordHashError.self) { try PasswordHash.randomToken(bytes: 0) }
        #expect(throws: PasswordHashError.self) { try PasswordHash.randomToken(bytes: -1) }
    }

    @Test func errorDescription() {
        let error = PasswordHashError(operation: "RAND_bytes", detail: "boom")
        #expect(error.description == "RAND_bytes failed: boom")
        // With an empty OpenSSL error queue the description still says something useful.
        #expect(PasswordHashError.openSSL("X").description.hasPrefix("X failed: "))
    }

    private var urlSafe: Set<UInt8> {
        Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    }
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { byte in
        let digits = Array("0123456789abcdef")
        return "\(digits[Int(byte >> 4)])\(digits[Int(byte & 0x0F)])"
    }.joined()
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Testing

@testable import HTTPClient

@Suite("Form encoding, Basic credentials and URL checks")
struct HTTPClientFormTests {
    @Test("Only RFC 3986 unreserved bytes stay as they are; the rest is %XX of the UTF-8 bytes")
    func percentEncoding() {
        #expect(HTTPClientForm.percentEncode("AZaz09-._~") == "AZaz09-._~")
        #expect(HTTPClientForm.percentEncode("a b+c&d=e/f?g#h%") == "a%20b%2Bc%26d%3De%2Ff%3Fg%23h%25")
        #expect(HTTPClientForm.percentEncode("é€") == "%C3%A9%E2%82%AC")
        #expect(HTTPClientForm.percentEncode("") == "")
        #expect(
            HTTPClientForm.encode([("grant_type", "authorization_code"), ("redirect_uri", "https://a.example/cb?x=1")])
                == "grant_type=authorization_code&redirect_uri=https%3A%2F%2Fa.example%2Fcb%3Fx%3D1")
    }

    @Test("Python's urllib.parse reads our encoding back to the same fields")
    func pythonDecodesOurEncoding() throws {
        let fields: [(name: String, value: String)] = [
            ("code", "Sp1x+/=="), ("scope", "openid profile email"), ("state", "ä&b=c;d"), ("empty", ""),
            ("claims", "{\"id_token\":{\"groups\":null}}"),
        ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import json, sys, urllib.parse; print(json.dumps(urllib.parse.parse_qsl(sys.argv[1], "
                + "keep_blank_values=True, strict_parsing=True)))",
            HTTPClientForm.encode(fields),
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let decoded = try JSONSerialization.jsonObject(with: output) as? [[String]]
        #expect(decoded == fields.map { [$0.name, $0.value] })
    }

    @Test("Decoding: + is a space, %XX a byte, a bare name has an empty value, bad escapes are refused")
    func decoding() throws {
        let fields = try #require(HTTPClientForm.decode("code=a%2Bb+c&state=x%3dy&&flag&iss=http%3A%2F%2F127.0.0.1"))
        #expect(fields.map(\.name) == ["code", "state", "flag", "iss"])
        #expect(fields.map(\.value) == ["a+b c", "x=y", "", "http://127.0.0.1"])
        #expect(HTTPClientForm.decode("a=%zz") == nil)
        #expect(HTTPClientForm.decode("a=%4") == nil)
        #expect(HTTPClientForm.decode("a=%FF%FE") == nil)
        #expect(HTTPClientForm.decode("")?.isEmpty == true)
        let roundTrip = HTTPClientForm.decode(HTTPClientForm.encode([("ü b", "€ + &")]))
        #expect(roundTrip?.first?.name == "ü b")
        #expect(roundTrip?.first?.value == "€ + &")
    }

    @Test("Basic credentials: the RFC 7617 §2 example, and every padding length")
    func basicCredentials() {
        #expect(
            HTTPClientHeaders.basicAuthorization(username: "Aladdin", password: "open sesame")
                == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        #expect(HTTPClientHeaders.standardBase64([]) == "")
        #expect(HTTPClientHeaders.standardBase64(Array("f".utf8)) == "Zg==")
        #expect(HTTPClientHeaders.standardBase64(Array("fo".utf8)) == "Zm8=")
        #expect(HTTPClientHeaders.standardBase64(Array("foo".utf8)) == "Zm9v")
        #expect(HTTPClientHeaders.standardBase64(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(HTTPClientHeaders.standardBase64([0xFB, 0xFF]) == "+/8=")
    }

    @Test("A form request reaches the server as a POST with the form Content-Type and the encoded body")
    func formRequestOnTheWire() async throws {
        try await TestHTTPServer.with { port in
            let client = OutboundHTTPClient()
            do {
                var headers: HTTPClientHeaders = ["Content-Type": "text/plain"]
                headers.add(
                    name: "Authorization", value: HTTPClientHeaders.basicAuthorization(username: "a", password: "b"))
                let response = try await client.send(
                    .form(url: "http://127.0.0.1:\(port)/echo", fields: [("a", "1 2"), ("b", "&")], headers: headers))
                let text = response.bodyText
                #expect(text.hasPrefix("method: POST\n"))
                #expect(text.contains("content-type: application/x-www-form-urlencoded\n"))
                #expect(!text.contains("text/plain"))
                #expect(text.contains("authorization: Basic YTpi\n"))
                #expect(text.hasSuffix("\n\na=1%202&b=%26"))
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test("URL checks use the transfer's rules: loopback HTTP is allowed and flagged, other HTTP refused")
    func urlChecks() throws {
        let loopback = try HTTPClientURL.parse("http://127.0.0.1:8080/authorize?x=1")
        #expect(loopback.isLoopback)
        #expect(loopback.scheme == "http")
        #expect(loopback.port == 8080)
        #expect(loopback.redacted == "http://127.0.0.1:8080/authorize")
        let remote = try HTTPClientURL.parse("https://IdP.example/oauth2/token")
        #expect(!remote.isLoopback)
        #expect(remote.host == "idp.example")
        #expect(remote.port == 443)
        #expect(throws: HTTPClientError.self) { try HTTPClientURL.parse("http://idp.example/token") }
        #expect(throws: HTTPClientError.self) { try HTTPClientURL.parse("/relative") }
    }
}

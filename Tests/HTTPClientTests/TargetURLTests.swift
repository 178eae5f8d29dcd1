// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Testing

@testable import HTTPClient

@Suite("Request URLs: parsing, the loopback rule and redaction (no I/O)")
struct TargetURLTests {
    @Test(
        "Plain HTTP is allowed to loopback in every spelling libcurl normalises to it",
        arguments: [
            "http://127.0.0.1:8090/x", "http://127.255.0.9/", "http://localhost/", "http://LOCALHOST:1/",
            "http://[::1]:8080/", "http://[0:0:0:0:0:0:0:1]/", "http://[::ffff:127.0.0.1]/", "http://127.1/",
            "http://2130706433/", "http://0x7f000001/",
        ])
    func loopbackAllowed(url: String) throws {
        let target = try TargetURL.parse(url, method: "GET")
        #expect(target.isLoopback)
        #expect(target.scheme == "http")
    }

    @Test(
        "Plain HTTP to anything else is refused",
        arguments: [
            "http://example.com/", "http://192.0.2.1/", "http://10.0.0.1:8080/", "http://[2001:db8::1]/",
            "http://127.0.0.1.example/", "http://localhost.example/", "http://[::2]/", "http://128.0.0.1/",
            "http://0.0.0.0/",
        ])
    func nonLoopbackRefused(url: String) {
        #expect(throws: HTTPClientError.self) { try TargetURL.parse(url, method: "GET") }
        do {
            _ = try TargetURL.parse(url, method: "GET")
        } catch {
            #expect(error.code == .refusedInsecure)
        }
    }

    @Test("HTTPS to any host is fine; the port and host are normalised")
    func https() throws {
        let target = try TargetURL.parse("HTTPS://IdP.Example.com/.well-known/openid-configuration", method: "GET")
        #expect(target.scheme == "https")
        #expect(target.host == "idp.example.com")
        #expect(target.port == 443)
        #expect(target.redacted == "https://idp.example.com/.well-known/openid-configuration")
        #expect(!target.isLoopback)
        #expect(try TargetURL.parse("https://peer.example:8443/ocpi", method: "GET").port == 8443)
    }

    @Test("The URL named in errors drops user information, query and fragment")
    func redaction() throws {
        let target = try TargetURL.parse("https://client:s3cret@idp.example:444/token?code=abc#frag", method: "POST")
        #expect(target.redacted == "https://idp.example:444/token")
        #expect(
            TargetURL.roughRedaction("notaurl://user:pw@host/path?secret=1") == "notaurl://host/path")
        do {
            _ = try TargetURL.parse("ftp://user:pw@host/file?k=v", method: "GET")
            Issue.record("ftp accepted")
        } catch {
            #expect(error.code == .badURL)
            #expect(!error.message.contains("pw"))
            #expect(!error.message.contains("k=v"))
        }
    }

    @Test("Header helpers compare names case-insensitively and keep order")
    func headers() {
        var headers: HTTPClientHeaders = ["Accept": "a", "X-Multi": "1"]
        headers.add(name: "x-multi", value: "2")
        #expect(headers["ACCEPT"] == "a")
        #expect(headers.values(for: "X-MULTI") == ["1", "2"])
        headers.replaceOrAdd(name: "X-Multi", value: "3")
        #expect(headers.values(for: "x-multi") == ["3"])
        headers.remove("accept")
        #expect(headers.count == 1)
        #expect(!HTTPClientHeaders.isValidValue("a\nb"))
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import EdgeRouting
import Testing

@Suite("HTTP request head: Host")
struct HTTPHeadParserTests {
    func parse(_ text: String) -> HTTPHeadParser.Outcome { HTTPHeadParser.parse(Array(text.utf8)) }

    @Test(
        "the Host is normalised: case, port, trailing dot, whitespace",
        arguments: [
            ("GET / HTTP/1.1\r\nHost: acme.csms.test\r\n\r\n", "acme.csms.test"),
            ("GET / HTTP/1.1\r\nHost: ACME.Csms.TEST\r\n\r\n", "acme.csms.test"),
            ("GET / HTTP/1.1\r\nHost: acme.csms.test:8080\r\n\r\n", "acme.csms.test"),
            ("GET / HTTP/1.1\r\nHost: acme.csms.test.\r\n\r\n", "acme.csms.test"),
            ("GET / HTTP/1.1\r\nHost: Acme.csms.test.:443\r\n\r\n", "acme.csms.test"),
            ("GET / HTTP/1.1\r\nHost: acme.csms.test:\r\n\r\n", "acme.csms.test"),
            ("GET / HTTP/1.1\r\nhOsT:\t acme.csms.test \t\r\n\r\n", "acme.csms.test"),
            ("GET / HTTP/1.1\r\nHOST:acme.csms.test\r\n\r\n", "acme.csms.test"),
            ("GET /ocpp/CP-1 HTTP/1.1\r\nUpgrade: websocket\r\nHost: acme.csms.test\r\nX: y\r\n\r\n", "acme.csms.test"),
            ("GET / HTTP/1.0\r\nHost: acme.csms.test\r\n\r\n", "acme.csms.test"),
            ("GET / HTTP/1.1\nHost: acme.csms.test\n\n", "acme.csms.test"),
            ("\r\n\r\nGET / HTTP/1.1\r\nHost: acme.csms.test\r\n\r\n", "acme.csms.test"),
            ("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", "[::1]"),
            ("GET / HTTP/1.1\r\nHost: [FE80::1]\r\n\r\n", "[fe80::1]"),
            ("GET / HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n", "127.0.0.1"),
            ("OPTIONS * HTTP/1.1\r\nHost: acme.csms.test\r\n\r\n", "acme.csms.test"),
            ("CONNECT acme.csms.test:443 HTTP/1.1\r\nHost: acme.csms.test:443\r\n\r\n", "acme.csms.test"),
            (
                "GET / HTTP/1.1\r\nXHost: other.csms.test\r\nHost: acme.csms.test\r\nHost-Name: x\r\n\r\n",
                "acme.csms.test"
            ),
        ])
    func normalised(head: String, host: String) {
        #expect(parse(head) == .host(host))
    }

    @Test("an absolute-form target names the host and the Host header is ignored (RFC 9112 §3.2.2)")
    func absoluteForm() {
        #expect(
            parse("GET http://Acme.csms.test:8080/ocpp/CP1?x=1 HTTP/1.1\r\nHost: beta.csms.test\r\n\r\n")
                == .host("acme.csms.test"))
        #expect(parse("GET https://acme.csms.test HTTP/1.1\r\nHost: x\r\n\r\n") == .host("acme.csms.test"))
        #expect(parse("GET http://acme.csms.test./ HTTP/1.0\r\n\r\n") == .host("acme.csms.test"))
        // HTTP/1.1 still needs a Host line (RFC 9112 §3.2).
        #expect(parse("GET http://acme.csms.test/ HTTP/1.1\r\n\r\n") == .invalid(.missingHost))
        #expect(
            parse("GET http://user@acme.csms.test/ HTTP/1.1\r\nHost: acme.csms.test\r\n\r\n")
                == .invalid(.invalidHost(.badCharacter)))
    }

    @Test(
        "an incomplete head asks for more bytes",
        arguments: [
            "", "G", "GET", "GET ", "GET /", "GET / HTTP/1", "GET / HTTP/1.1", "GET / HTTP/1.1\r",
            "GET / HTTP/1.1\r\n", "GET / HTTP/1.1\r\nHost: acme.csms.test",
            "GET / HTTP/1.1\r\nHost: acme.csms.test\r\n",
            "GET / HTTP/1.1\r\nHost: acme.csms.test\r\n\r", "\r\n", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n",
        ])
    func incomplete(head: String) {
        #expect(parse(head) == .incomplete)
    }

    @Test("every prefix of a valid head is incomplete, the whole head is not")
    func everyPrefix() {
        let head = Array("POST /api/v1/x?y=z HTTP/1.1\r\nContent-Length: 2\r\nHost: acme.csms.test:80\r\n\r\n".utf8)
        for length in 0..<head.count {
            #expect(HTTPHeadParser.parse(Array(head[0..<length])) == .incomplete, "prefix of \(length) bytes")
        }
        #expect(HTTPHeadParser.parse(head + Array("{}".utf8)) == .host("acme.csms.test"))
    }

    @Test("several Host lines are refused (RFC 9112 §3.2)")
    func multipleHosts() {
        #expect(parse("GET / HTTP/1.1\r\nHost: a.csms.test\r\nHost: b.csms.test\r\n\r\n") == .invalid(.multipleHosts))
        #expect(parse("GET / HTTP/1.1\r\nHost: a.csms.test\r\nhost: a.csms.test\r\n\r\n") == .invalid(.multipleHosts))
        #expect(parse("GET / HTTP/1.1\r\nHost: a.csms.test, b.csms.test\r\n\r\n") == .invalid(.invalidHost(.list)))
    }

    @Test(
        "malformed heads are refused",
        arguments: [
            ("GET / HTTP/1.1\r\n\r\n", HTTPHeadParser.Problem.missingHost),
            ("GET / HTTP/1.0\r\n\r\n", .missingHost),
            ("GET / HTTP/1.1\r\nHost:\r\n\r\n", .invalidHost(.empty)),
            ("GET / HTTP/1.1\r\nHost:   \r\n\r\n", .invalidHost(.empty)),
            ("GET / HTTP/1.1\r\nHost: :80\r\n\r\n", .invalidHost(.empty)),
            ("GET / HTTP/1.1\r\nHost: acme.csms.test:8o\r\n\r\n", .invalidHost(.badPort)),
            ("GET / HTTP/1.1\r\nHost: acme csms.test\r\n\r\n", .invalidHost(.badCharacter)),
            ("GET / HTTP/1.1\r\nHost: acme/csms.test\r\n\r\n", .invalidHost(.badCharacter)),
            ("GET / HTTP/1.1\r\nHost: ac\u{e9}me.csms.test\r\n\r\n", .invalidHost(.badCharacter)),
            ("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", .invalidHost(.badIPLiteral)),
            ("GET / HTTP/1.1\r\nHost: [zz::1]\r\n\r\n", .invalidHost(.badIPLiteral)),
            ("GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", .invalidHost(.badPort)),
            ("GET / HTTP/1.1\r\nHost : acme.csms.test\r\n\r\n", .malformedHeaderLine),
            ("GET / HTTP/1.1\r\nHost acme.csms.test\r\n\r\n", .malformedHeaderLine),
            ("GET / HTTP/1.1\r\n: x\r\n\r\n", .malformedHeaderLine),
            ("GET / HTTP/1.1\r\nX: a\rHost: b\r\n\r\n", .malformedHeaderLine),
            ("GET / HTTP/1.1\r\nX: a\u{0}\r\nHost: b\r\n\r\n", .malformedHeaderLine),
            ("GET / HTTP/1.1\r\nX: a\r\n b\r\nHost: acme.csms.test\r\n\r\n", .obsoleteLineFolding),
            ("GET / HTTP/1.1\r\nHost: acme.csms.test\r\n\tb\r\n\r\n", .obsoleteLineFolding),
            ("GET / HTTP/2.0\r\nHost: acme.csms.test\r\n\r\n", .unsupportedVersion),
            ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .unsupportedVersion),
            ("GET /\r\n\r\n", .malformedRequestLine),
            ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
            ("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .malformedRequestLine),
            ("GET / HTTP/1.12\r\nHost: a\r\n\r\n", .malformedRequestLine),
            ("GET / http/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
            ("GET foo HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
            ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ])
    func malformed(head: String, problem: HTTPHeadParser.Problem) {
        #expect(parse(head) == .invalid(problem))
    }

    @Test(
        "junk is refused before the head is complete",
        arguments: [
            [0x00, 0x01, 0x02], Array("SSH-2.0-OpenSSH_9.6".utf8) + [0x0D, 0x0A], Array("GET /\u{1}".utf8),
            Array("GET / HTTX".utf8), Array("GET / HTTP/2".utf8), Array("{\"json\":".utf8),
        ])
    func earlyJunk(bytes: [UInt8]) {
        guard case .invalid = HTTPHeadParser.parse(bytes) else {
            Issue.record("\(bytes) was not refused")
            return
        }
    }

    @Test("problems explain themselves")
    func descriptions() {
        #expect(HTTPHeadParser.Problem.missingHost.description.contains("Host"))
        #expect(HTTPHeadParser.Problem.multipleHosts.description.contains("RFC 9112"))
    }
}

@Suite("Host names and tenants")
struct HostNameTests {
    @Test(
        "the tenant is the left-most label directly under the base domain",
        arguments: [
            ("acme.csms.test", "csms.test", "acme" as String?),
            ("acme.csms.test", "CSMS.test.", "acme"),
            ("a-1.csms.test", "csms.test", "a-1"),
            ("xn--mnchen-3ya.csms.test", "csms.test", "xn--mnchen-3ya"),
            ("a.b.csms.test", "csms.test", nil),
            ("csms.test", "csms.test", nil),
            (".csms.test", "csms.test", nil),
            ("acmecsms.test", "csms.test", nil),
            ("acme.other.test", "csms.test", nil),
            ("-acme.csms.test", "csms.test", nil),
            ("acme-.csms.test", "csms.test", nil),
            ("ac_me.csms.test", "csms.test", nil),
            ("ac%41me.csms.test", "csms.test", nil),
            ("[::1]", "csms.test", nil),
            ("127.0.0.1", "csms.test", nil),
            (String(repeating: "a", count: 64) + ".csms.test", "csms.test", nil),
            (String(repeating: "a", count: 63) + ".csms.test", "csms.test", String(repeating: "a", count: 63)),
            ("acme.localhost", "localhost", "acme"),
        ])
    func tenant(host: String, base: String, tenant: String?) {
        #expect(HostName.tenant(host: host, baseDomain: base) == tenant)
    }
}

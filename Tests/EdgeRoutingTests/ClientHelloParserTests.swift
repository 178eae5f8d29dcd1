// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import EdgeRouting
import Testing

@Suite("TLS ClientHello: SNI")
struct ClientHelloParserTests {
    typealias F = TLSFixtures

    @Test("real ClientHellos from OpenSSL: the server name, normalised")
    func realHellos() {
        #expect(ClientHelloParser.parse(F.openSSLTLS13) == .serverName("acme.csms.test"))
        #expect(ClientHelloParser.parse(F.openSSLTLS12) == .serverName("beta.csms.test"))
    }

    @Test("every prefix of a real ClientHello is incomplete (TCP segments arriving one by one)")
    func everyPrefix() {
        for hello in [F.openSSLTLS13, F.openSSLTLS12] {
            for length in 0..<hello.count {
                #expect(ClientHelloParser.parse(Array(hello[0..<length])) == .incomplete, "prefix of \(length)")
            }
        }
    }

    @Test("a ClientHello fragmented over several records is reassembled (RFC 8446 §5.1)")
    func fragmentedRecords() {
        let hello = F.clientHello(extensions: [
            (0x000A, [0, 2, 0, 0x1D]), F.sni("Frag.CSMS.test."), (0x0015, [0, 0, 0]),
        ])
        for fragment in [1, 2, 5, 17, 64, hello.count - 1] {
            let bytes = F.records(hello, fragment: fragment)
            #expect(ClientHelloParser.parse(bytes) == .serverName("frag.csms.test"), "records of \(fragment)")
            // Any cut before the last byte still asks for more.
            #expect(ClientHelloParser.parse(Array(bytes.dropLast())) == .incomplete)
        }
        // A large ClientHello (many extensions), close to the router's 16 KiB limit, in 4 KiB records.
        let padding = [UInt8](repeating: 0, count: 15_000)
        let large = F.clientHello(extensions: [(0x0015, padding), F.sni("big.csms.test")])
        #expect(ClientHelloParser.parse(F.records(large, fragment: 4096)) == .serverName("big.csms.test"))
    }

    @Test("bytes after the ClientHello do not matter")
    func trailingBytes() {
        #expect(
            ClientHelloParser.parse(F.openSSLTLS13 + [0x14, 0x03, 0x03, 0x00, 0x01, 0x01])
                == .serverName("acme.csms.test"))
    }

    @Test("no server_name extension, or no extensions at all: no server name")
    func noServerName() {
        #expect(ClientHelloParser.parse(F.records(F.clientHello(extensions: nil))) == .serverName(nil))
        #expect(ClientHelloParser.parse(F.records(F.clientHello(extensions: []))) == .serverName(nil))
        #expect(
            ClientHelloParser.parse(F.records(F.clientHello(extensions: [(0x000A, [0, 2, 0, 0x1D])])))
                == .serverName(nil))
        // A name of another type than host_name is skipped.
        let other = F.serverNameExtension([(7, Array("x".utf8))])
        #expect(ClientHelloParser.parse(F.records(F.clientHello(extensions: [(0, other)]))) == .serverName(nil))
    }

    @Test(
        "malformed records and messages are refused",
        arguments: [
            ([0x17, 0x03, 0x03, 0x00, 0x05, 1, 2, 3, 4, 5], ClientHelloParser.Problem.notHandshakeRecord),
            ([0x16, 0x02, 0x00, 0x00, 0x05], .unsupportedRecordVersion),
            ([0x16, 0x03, 0x01, 0x00, 0x00], .badRecordLength),
            ([0x16, 0x03, 0x01, 0x40, 0x01], .badRecordLength),
            ([0x16, 0x03, 0x01, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00], .notClientHello),
            // A ClientHello split over a handshake record and then an application data record.
            (
                F.records(Array(F.clientHello(extensions: []).prefix(10))) + [0x17, 0x03, 0x03, 0x00, 0x01, 0x00],
                .notHandshakeRecord
            ),
            // Body shorter than its fixed fields.
            (F.records([0x01, 0x00, 0x00, 0x04, 0x03, 0x03, 0x00, 0x00]), .truncatedClientHello),
        ])
    func malformedRecords(bytes: [UInt8], problem: ClientHelloParser.Problem) {
        #expect(ClientHelloParser.parse(bytes) == .invalid(problem))
    }

    @Test("malformed ClientHello fields are refused")
    func malformedFields() {
        func parse(_ hello: [UInt8]) -> ClientHelloParser.Outcome { ClientHelloParser.parse(F.records(hello)) }
        // Session id longer than 32.
        #expect(parse(F.clientHello(extensions: [], sessionIDLength: 33)) == .invalid(.truncatedClientHello))
        // Extensions length that does not match what follows.
        var hello = F.clientHello(extensions: [F.sni("a.csms.test")])
        hello += [0x00]
        hello[3] += 1  // grow the handshake length by the extra byte
        #expect(parse(hello) == .invalid(.badExtensions))
        // An extension overrunning the block.
        #expect(parse(F.clientHello(extensions: [(0x0010, [])])) == .serverName(nil))
        var overrun = F.clientHello(extensions: [(0x0010, [1, 2, 3])])
        overrun[overrun.count - 4] = 0x09  // its length says 9, three bytes follow
        #expect(parse(overrun) == .invalid(.badExtensions))
        // The same extension twice (RFC 8446 §4.2).
        #expect(
            parse(F.clientHello(extensions: [F.sni("a.csms.test"), F.sni("b.csms.test")]))
                == .invalid(.duplicateExtension))
        // Two host_names in one list, an empty list, an empty name, a bad character, only a dot.
        let twoNames = F.serverNameExtension([(0, Array("a.csms.test".utf8)), (0, Array("b.csms.test".utf8))])
        #expect(parse(F.clientHello(extensions: [(0, twoNames)])) == .invalid(.badServerName))
        #expect(parse(F.clientHello(extensions: [(0, [0, 0])])) == .invalid(.badServerName))
        #expect(parse(F.clientHello(extensions: [(0, [])])) == .invalid(.badServerName))
        #expect(parse(F.clientHello(extensions: [(0, F.serverNameExtension([(0, [])]))])) == .invalid(.badServerName))
        #expect(parse(F.clientHello(extensions: [F.sni("a.csms.test:443")])) == .invalid(.badServerName))
        #expect(parse(F.clientHello(extensions: [F.sni("a b.csms.test")])) == .invalid(.badServerName))
        #expect(parse(F.clientHello(extensions: [F.sni(".")])) == .invalid(.badServerName))
        // A list length that disagrees with the extension length.
        var badList = F.serverNameExtension([(0, Array("a.csms.test".utf8))])
        badList[1] += 1
        #expect(parse(F.clientHello(extensions: [(0, badList)])) == .invalid(.badServerName))
    }

    @Test("a short record header is incomplete until a byte is wrong")
    func shortHeader() {
        #expect(ClientHelloParser.parse([0x16]) == .incomplete)
        #expect(ClientHelloParser.parse([0x16, 0x03]) == .incomplete)
        #expect(ClientHelloParser.parse([0x16, 0x03, 0x01, 0x02]) == .incomplete)
        #expect(ClientHelloParser.parse([0x16, 0x04]) == .invalid(.unsupportedRecordVersion))
    }
}

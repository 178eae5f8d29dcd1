// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import OCPPRPC
import Testing

@testable import WorkerCore

@Suite("OCPP connection request")
struct OCPPConnectionRequestTests {
    @Test("identities are percent-decoded exactly once")
    func decodesOnce() throws {
        #expect(try ConnectionRequest.identity(fromPathSegment: "CP%2D01").get() == "CP-01")
        // %253A decodes to the text "%3A", not to ':'.
        #expect(try ConnectionRequest.identity(fromPathSegment: "CP%253A1").get() == "CP%3A1")
        #expect(try ConnectionRequest.identity(fromPathSegment: "abc_*-=+|@.").get() == "abc_*-=+|@.")
    }

    @Test("a ':' is refused, encoded or not, because it is the Basic-auth separator")
    func colonRefused() {
        #expect(
            ConnectionRequest.identity(fromPathSegment: "CP:1") == .failure(.forbiddenCharacter(UInt8(ascii: ":"))))
        #expect(
            ConnectionRequest.identity(fromPathSegment: "CP%3A1") == .failure(.forbiddenCharacter(UInt8(ascii: ":"))))
    }

    @Test("length, emptiness, control and non-ASCII bytes, broken escapes")
    func refusals() {
        #expect(ConnectionRequest.identity(fromPathSegment: String(repeating: "A", count: 48)[...]).isSuccess)
        #expect(
            ConnectionRequest.identity(fromPathSegment: String(repeating: "A", count: 49)[...])
                == .failure(.tooLong(49)))
        #expect(ConnectionRequest.identity(fromPathSegment: "") == .failure(.empty))
        #expect(ConnectionRequest.identity(fromPathSegment: "CP%0A") == .failure(.forbiddenCharacter(0x0A)))
        #expect(ConnectionRequest.identity(fromPathSegment: "CP%20A") == .failure(.forbiddenCharacter(0x20)))
        #expect(ConnectionRequest.identity(fromPathSegment: "CP%C3%A9") == .failure(.forbiddenCharacter(0xC3)))
        #expect(ConnectionRequest.identity(fromPathSegment: "CP%G1") == .failure(.badPercentEncoding))
        #expect(ConnectionRequest.identity(fromPathSegment: "CP%4") == .failure(.badPercentEncoding))
    }

    @Test("TC_B_58: the subprotocol is the tenant-allowed one the station offers, 2.0.1 preferred")
    func negotiation() {
        let both: [OCPPVersion] = [.ocpp16, .ocpp201]
        #expect(ConnectionRequest.negotiateVersion(offered: ["ocpp1.6, ocpp2.0.1"], allowed: both) == .ocpp201)
        #expect(ConnectionRequest.negotiateVersion(offered: ["ocpp1.6", "ocpp2.0.1"], allowed: both) == .ocpp201)
        #expect(ConnectionRequest.negotiateVersion(offered: ["ocpp0.1,ocpp1.6"], allowed: both) == .ocpp16)
        #expect(ConnectionRequest.negotiateVersion(offered: ["ocpp2.0.1"], allowed: [.ocpp16]) == nil)
        #expect(ConnectionRequest.negotiateVersion(offered: ["ocpp0.1"], allowed: both) == nil)
        #expect(ConnectionRequest.negotiateVersion(offered: [], allowed: both) == nil)
        // Names are case-sensitive IANA tokens.
        #expect(ConnectionRequest.negotiateVersion(offered: ["OCPP1.6"], allowed: both) == nil)
    }

    @Test("Basic credentials are split at the first ':' (passwords may contain ':')")
    func basic() {
        let header = "Basic " + Data("CP-1:pa:ss".utf8).base64EncodedString()
        let parsed = ConnectionRequest.basicCredentials(header)
        #expect(parsed?.user == "CP-1")
        #expect(parsed?.password == "pa:ss")
        #expect(ConnectionRequest.basicCredentials("basic " + Data("a:b".utf8).base64EncodedString())?.user == "a")
        #expect(ConnectionRequest.basicCredentials(nil) == nil)
        #expect(ConnectionRequest.basicCredentials("Bearer abc") == nil)
        #expect(ConnectionRequest.basicCredentials("Basic !!!") == nil)
        #expect(ConnectionRequest.basicCredentials("Basic " + Data("nocolon".utf8).base64EncodedString()) == nil)
    }
}

extension Result {
    fileprivate var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}

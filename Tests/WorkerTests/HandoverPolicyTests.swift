// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Testing

@testable import WorkerCore

/// The hand-over decisions without sockets: the metadata record, the peer's uid, admission, and
/// the Host check.
@Suite("Connection hand-over decisions")
struct HandoverPolicyTests {
    static func record(_ members: String) -> [UInt8] { Array("{\(members)}".utf8) }
    static let valid =
        #""v":1,"tenant":"acme","client":"203.0.113.7:51234","accepted_at":"2026-11-25T10:00:00.123Z","transport":"http""#

    @Test func aValidRecordParses() throws {
        let metadata = try HandoverMetadata.parse(Self.record(Self.valid), expectedTenant: "acme").get()
        #expect(metadata.tenant == "acme")
        #expect(metadata.client == "203.0.113.7:51234")
        #expect(metadata.transport == .http)
        #expect(abs(metadata.acceptedAt.timeIntervalSince1970 - 1_795_600_800.123) < 0.001)
        // Members a newer router adds are ignored.
        #expect(
            (try? HandoverMetadata.parse(Self.record(Self.valid + #","extra":{"a":[1]}"#), expectedTenant: "acme").get())
                != nil)
    }

    @Test(arguments: [
        (#""v":2,"tenant":"acme","client":"c","accepted_at":"2026-11-25T10:00:00Z","transport":"http""#, "version 2"),
        (#""v":"1","tenant":"acme","client":"c","accepted_at":"2026-11-25T10:00:00Z","transport":"http""#, "integer"),
        (#""v":true,"tenant":"acme","client":"c","accepted_at":"2026-11-25T10:00:00Z","transport":"http""#, "integer"),
        (#""v":1,"tenant":"other","client":"c","accepted_at":"2026-11-25T10:00:00Z","transport":"http""#, "\"other\""),
        (#""v":1,"client":"c","accepted_at":"2026-11-25T10:00:00Z","transport":"http""#, "tenant"),
        (#""v":1,"tenant":"acme","accepted_at":"2026-11-25T10:00:00Z","transport":"http""#, "client"),
        (#""v":1,"tenant":"acme","client":"c","accepted_at":"yesterday","transport":"http""#, "accepted_at"),
        (#""v":1,"tenant":"acme","client":"c","accepted_at":"2026-11-25T10:00:00Z","transport":"h2""#, "transport"),
    ])
    func badRecordsAreRefused(members: String, reason: String) {
        switch HandoverMetadata.parse(Self.record(members), expectedTenant: "acme") {
        case .success: Issue.record("accepted \(members)")
        case .failure(let rejection): #expect(rejection.description.contains(reason), "\(rejection)")
        }
    }

    @Test func notJSONOrTooLargeIsRefused() {
        #expect(throws: HandoverMetadata.Rejection.self) {
            try HandoverMetadata.parse(Array("not json".utf8), expectedTenant: "acme").get()
        }
        #expect(throws: HandoverMetadata.Rejection.self) {
            try HandoverMetadata.parse(Array("[1]".utf8), expectedTenant: "acme").get()
        }
        let padded = Self.valid + #","pad":""# + String(repeating: "x", count: 1024) + "\""
        #expect(throws: HandoverMetadata.Rejection.self) {
            try HandoverMetadata.parse(Self.record(padded), expectedTenant: "acme").get()
        }
    }

    /// A peer of another uid cannot be produced in a test running as root; the decision is
    /// tested here, the socket code only applies it.
    @Test func onlyTheWorkersOwnUIDMayHandOver() {
        #expect(HandoverPolicy.peerDecision(peerUID: 1000, ownUID: 1000) == .accept)
        #expect(HandoverPolicy.peerDecision(peerUID: 0, ownUID: 1000) != .accept)
        #expect(HandoverPolicy.peerDecision(peerUID: 1001, ownUID: 1000) != .accept)
        #expect(HandoverPolicy.peerDecision(peerUID: nil, ownUID: 1000) != .accept)
    }

    @Test func admission() {
        #expect(HandoverPolicy.admission(draining: false, open: 0, limit: 1) == .admit)
        #expect(HandoverPolicy.admission(draining: false, open: 1, limit: 1) == .overLimit(1))
        #expect(HandoverPolicy.admission(draining: true, open: 0, limit: 1) == .draining)
        #expect(HandoverPolicy.admission(draining: true, open: 5, limit: 1) == .draining)
    }

    @Test func theTrackerCountsAdmittedConnectionsOnly() {
        let tracker = AdoptedConnections()
        #expect(tracker.admit(limit: 2) == .admit)
        #expect(tracker.admit(limit: 2) == .admit)
        #expect(tracker.admit(limit: 2) == .overLimit(2))
        tracker.cancelReservation()
        #expect(tracker.admit(limit: 2) == .admit)
        _ = tracker.beginDraining()
        #expect(tracker.admit(limit: 2) == .draining)
    }

    @Test func hostCheck() {
        let host = TenantHost(slug: "acme", baseDomain: "csms.test")
        #expect(host.check(["acme.csms.test"]) == .matches)
        #expect(host.check(["ACME.Csms.Test"]) == .matches)
        #expect(host.check(["acme.csms.test:8443"]) == .matches)
        #expect(host.check(["acme.csms.test."]) == .matches)
        #expect(host.check(["acme.csms.test.:443"]) == .matches)
        #expect(host.check([" acme.csms.test "]) == .matches)
        #expect(host.check(["other.csms.test"]) == .otherHost("other.csms.test"))
        #expect(host.check(["x.acme.csms.test"]) == .otherHost("x.acme.csms.test"))
        #expect(host.check(["csms.test"]) == .otherHost("csms.test"))
        #expect(host.check(["acme.csms.test:http"]) == .otherHost("acme.csms.test:http"))
        #expect(host.check(["user@acme.csms.test"]) == .otherHost("user@acme.csms.test"))
        #expect(host.check(["[::1]:80"]) == .otherHost("[::1]:80"))
        #expect(host.check([]) == .missing)
        #expect(host.check(["acme.csms.test", "acme.csms.test"]) == .ambiguous)
        #expect(TenantHost(slug: "acme", baseDomain: "CSMS.test.").name == "acme.csms.test")
    }
}

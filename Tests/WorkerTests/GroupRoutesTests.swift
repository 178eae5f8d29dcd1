// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import JSON
import OCPPRPC
import Testing

@testable import ChargingDomain
@testable import WorkerCore

/// `/api/v1/groups` through a running worker: groups with conflicts and entity tags, members by id
/// or by token, the member's parent token following its group, and Authorize answers that honour
/// the membership's and the group's validity windows.
@Suite("Token group routes through the worker")
struct GroupRoutesTests {
    @Test func groupsWithConflictsEntityTagsAndPages() async throws {
        try await TokenAPIWorker.with("groups") { api in try await checkGroups(api) }
    }

    func checkGroups(_ api: TokenAPIWorker) async throws {
        let created = try await api.call(
            "POST", "/api/v1/groups",
            json: ["name": "Fleet A", "kind": "fleet", "group_token": "FLEET-A", "valid_from": "2026-01-01T00:00:00Z"])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json.int("id"))
        #expect(created.header("Location") == "/api/v1/groups/\(id)")
        #expect(created.json["member_count"] == .integer(0) && created.json["valid_until"] == .null)
        #expect(created.json.string("valid_from") == "2026-01-01T00:00:00.000Z")
        let etag = try #require(created.header("ETag"))

        let sameName = try await api.call(
            "POST", "/api/v1/groups", json: ["name": "Fleet A", "kind": "family", "group_token": "OTHER"])
        #expect(sameName.status == 409 && sameName.text.contains("name"), "\(sameName.text)")
        let sameToken = try await api.call(
            "POST", "/api/v1/groups", json: ["name": "Fleet B", "kind": "family", "group_token": "FLEET-A"])
        #expect(sameToken.status == 409 && sameToken.text.contains("group_token"), "\(sameToken.text)")
        let invalid = try await api.call(
            "POST", "/api/v1/groups",
            json: [
                "kind": "club", "group_token": "X", "valid_from": "2027-01-01T00:00:00Z",
                "valid_until": "2026-01-01T00:00:00Z",
            ])
        #expect(invalid.status == 422)
        let fields = (invalid.json.array("errors") ?? []).compactMap { $0.objectValue?.string("field") }
        #expect(Set(fields) == ["name", "kind", "valid_until"], "\(invalid.text)")

        #expect(try await api.call("PATCH", "/api/v1/groups/\(id)", json: ["kind": "enterprise"]).status == 428)
        #expect(
            try await api.call(
                "PATCH", "/api/v1/groups/\(id)", json: ["kind": "enterprise"], headers: [("If-Match", "\"0-0\"")]
            ).status == 412)
        let patched = try await api.call(
            "PATCH", "/api/v1/groups/\(id)", json: ["kind": "enterprise", "valid_from": nil],
            headers: [("If-Match", etag)])
        #expect(patched.status == 200 && patched.json.string("kind") == "enterprise", "\(patched.text)")
        #expect(patched.json["valid_from"] == .null && patched.header("ETag") != etag)
        let window = try await api.call(
            "PATCH", "/api/v1/groups/\(id)",
            json: ["valid_from": "2030-01-01T00:00:00Z", "valid_until": "2029-01-01T00:00:00Z"],
            headers: [("If-Match", "*")])
        #expect(window.status == 422, "\(window.text)")

        for name in ["Family C", "Fleet B", "Enterprise D"] {
            let r = try await api.call(
                "POST", "/api/v1/groups",
                json: ["name": .string(name), "kind": "family", "group_token": .string("T-" + name.prefix(3))])
            #expect(r.status == 201, "\(r.text)")
        }
        var names: [String] = []
        var cursor: String?
        repeat {
            let page = try await api.call("GET", "/api/v1/groups?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(page.status == 200, "\(page.text)")
            names += (page.json.array("items") ?? []).compactMap { $0.objectValue?.string("name") }
            cursor = page.json.string("next_cursor")
        } while cursor != nil
        #expect(names == ["Enterprise D", "Family C", "Fleet A", "Fleet B"])
        #expect(try await api.call("GET", "/api/v1/groups?sort=-name").status == 400)

        #expect(try await api.call("DELETE", "/api/v1/groups/\(id)").status == 204)
        #expect(try await api.call("GET", "/api/v1/groups/\(id)").status == 404)
    }

    @Test func membersCarryTheGroupTokenWhileTheirMembershipIsValid() async throws {
        try await TokenAPIWorker.with("members") { api in try await checkMembers(api) }
    }

    func checkMembers(_ api: TokenAPIWorker) async throws {
        let group = try await api.call(
            "POST", "/api/v1/groups", json: ["name": "Family", "kind": "family", "group_token": "FAM-1"])
        let gid = try #require(group.json.int("id"))
        var ids: [String: Int] = [:]
        for token in ["M-1", "M-2", "M-3", "M-4"] {
            let r = try await api.call("POST", "/api/v1/tokens", json: ["token": .string(token), "type": "ISO14443"])
            let id = try #require(r.json.int("id"))
            ids[token] = id
        }
        let byId = try await api.call(
            "POST", "/api/v1/groups/\(gid)/members",
            json: ["token_id": .integer(Int64(ids["M-1"] ?? 0)), "valid_until": "2099-01-01T00:00:00Z"])
        #expect(byId.status == 201, "\(byId.text)")
        #expect(byId.json.string("token") == "M-1" && byId.json["valid_now"] == .bool(true))
        let byToken = try await api.call("POST", "/api/v1/groups/\(gid)/members", json: ["token": "M-2"])
        #expect(byToken.status == 201, "\(byToken.text)")
        // Not yet valid: the member is listed but Authorize does not name the group.
        let future = try await api.call(
            "POST", "/api/v1/groups/\(gid)/members", json: ["token": "M-3", "valid_from": "2099-01-01T00:00:00Z"])
        #expect(future.status == 201 && future.json["valid_now"] == .bool(false), "\(future.text)")
        #expect(try await api.call("POST", "/api/v1/groups/\(gid)/members", json: ["token": "M-2"]).status == 409)
        #expect(try await api.call("POST", "/api/v1/groups/\(gid)/members", json: ["token": "NOPE"]).status == 422)
        #expect(try await api.call("POST", "/api/v1/groups/999999/members", json: ["token": "M-4"]).status == 404)
        #expect(
            try await api.call("POST", "/api/v1/groups/\(gid)/members", json: ["token": "M-4", "token_id": 1]).status
                == 422)

        let member = try await api.call("GET", "/api/v1/tokens/\(ids["M-1"] ?? 0)")
        #expect(member.json.string("parent_token") == "FAM-1")
        let listed = try await api.call("GET", "/api/v1/groups/\(gid)/members?limit=2")
        #expect(listed.json.array("items")?.count == 2 && listed.json.string("next_cursor") != nil)
        let inGroup = try await api.call("GET", "/api/v1/tokens?group=\(gid)")
        #expect(
            (inGroup.json.array("items") ?? []).compactMap { $0.objectValue?.string("token") } == ["M-1", "M-2", "M-3"])
        #expect(try await api.call("GET", "/api/v1/groups/\(gid)").json["member_count"] == .integer(3))

        // What OCPP Authorize answers (1.6 parentIdTag / 2.0.1 groupIdToken).
        let pool = api.setup.tenant.pool
        func parent(_ token: String, at: Date = Date()) async throws -> String? {
            try await PostgresChargingStore.lookUpToken(pool, token: token, type: nil, at: at, concurrency: nil)
                .parentToken
        }
        #expect(try await parent("M-1") == "FAM-1")
        #expect(try await parent("M-2") == "FAM-1")
        #expect(try await parent("M-3") == nil)
        #expect(try await parent("M-3", at: Date(timeIntervalSince1970: 4_102_444_800 + 60)) == "FAM-1")
        #expect(try await parent("M-1", at: Date(timeIntervalSince1970: 4_102_444_800 + 60)) == nil)

        // A new group token reaches the members; the group's own window applies too.
        let g = try await api.call("GET", "/api/v1/groups/\(gid)")
        let renamed = try await api.call(
            "PATCH", "/api/v1/groups/\(gid)", json: ["group_token": "FAM-2", "valid_until": "2000-01-01T00:00:00Z"],
            headers: [("If-Match", g.header("ETag") ?? "")])
        #expect(renamed.status == 200, "\(renamed.text)")
        #expect(try await api.call("GET", "/api/v1/tokens/\(ids["M-2"] ?? 0)").json.string("parent_token") == "FAM-2")
        #expect(try await parent("M-2") == nil)
        #expect(try await parent("M-2", at: Date(timeIntervalSince1970: 900_000_000)) == "FAM-2")

        // Removing a member clears its parent token, or falls back to its other group.
        let other = try await api.call(
            "POST", "/api/v1/groups", json: ["name": "Corp", "kind": "enterprise", "group_token": "CORP"])
        let oid = try #require(other.json.int("id"))
        #expect(try await api.call("POST", "/api/v1/groups/\(oid)/members", json: ["token": "M-2"]).status == 201)
        #expect(try await parent("M-2") == "CORP")
        #expect(try await api.call("DELETE", "/api/v1/groups/\(oid)/members/\(ids["M-2"] ?? 0)").status == 204)
        #expect(try await api.call("GET", "/api/v1/tokens/\(ids["M-2"] ?? 0)").json.string("parent_token") == "FAM-2")
        #expect(try await api.call("DELETE", "/api/v1/groups/\(oid)/members/\(ids["M-2"] ?? 0)").status == 404)
        #expect(try await api.call("DELETE", "/api/v1/groups/\(gid)/members/\(ids["M-1"] ?? 0)").status == 204)
        #expect(try await api.call("GET", "/api/v1/tokens/\(ids["M-1"] ?? 0)").json["parent_token"] == .null)
        // Deleting the group takes the memberships and the parent tokens with it.
        #expect(try await api.call("DELETE", "/api/v1/groups/\(gid)").status == 204)
        #expect(try await api.call("GET", "/api/v1/tokens/\(ids["M-3"] ?? 0)").json["parent_token"] == .null)
        // A parent token that is not a group's is answered as stored.
        let own = try await api.call(
            "PATCH", "/api/v1/tokens/\(ids["M-4"] ?? 0)", json: ["parent_token": "OWN"], headers: [("If-Match", "*")])
        #expect(own.status == 200)
        #expect(try await parent("M-4") == "OWN")
    }
}

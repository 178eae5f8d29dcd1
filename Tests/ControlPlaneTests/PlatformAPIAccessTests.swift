// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import ControlPlaneCore
import Credentials
import Foundation
import Testing

/// Slugs, API keys and the shape of errors: no worker is started here.
@Suite("Platform API access and validation", .serialized)
struct PlatformAPIAccessTests {
    @Test(
        "slug rules",
        arguments: [
            ("acme", nil), ("a", nil), ("a1-b2", nil), ("123", nil), (String(repeating: "a", count: 63), nil),
            ("", "must not be empty"),
            (String(repeating: "a", count: 64), "must be at most 63 characters long, got 64"),
            ("Acme", "must be lowercase"), ("a_b", "may only contain a-z, 0-9 and '-'"),
            ("a.b", "may only contain a-z, 0-9 and '-'"), ("ä", "may only contain a-z, 0-9 and '-'"),
            ("-acme", "must not start or end with '-'"), ("acme-", "must not start or end with '-'"),
            ("admin", "\"admin\" is reserved for the platform"), ("www", "\"www\" is reserved for the platform"),
            ("api", "\"api\" is reserved for the platform"), ("app", "\"app\" is reserved for the platform"),
            ("auth", "\"auth\" is reserved for the platform"),
            ("platform", "\"platform\" is reserved for the platform"),
            ("static", "\"static\" is reserved for the platform"),
            ("status", "\"status\" is reserved for the platform"), ("mail", "\"mail\" is reserved for the platform"),
            ("ns1", "\"ns1\" is reserved for the platform"), ("ns2", "\"ns2\" is reserved for the platform"),
        ] as [(String, String?)])
    func slugRules(_ slug: String, _ problem: String?) {
        #expect(ConfigRules.slugProblem(slug) == problem)
    }

    @Test func platformAPIKeysAreDecodedLikeTenantKeys() throws {
        let base = """
            base_domain: csms.test
            data_directory: /tmp/d
            postgres: {password_file: /tmp/p}
            redis: {password_file: /tmp/r}
            plans: [{name: p, monthly_price: 1, max_stations: 1, max_concurrent_connections: 1, api_requests_per_second: 1}]
            """
        let digest = PasswordHash.sha256Hex(Array("k".utf8))
        let ok = try PlatformConfig.decode(
            yaml: base + "\nplatform_api_keys: [{name: ops, sha256: \"\(digest)\"}]", file: "/etc/platform.yaml")
        #expect(ok.platformAPIKeys == [PlatformConfig.APIKey(name: "ops", sha256: digest)])
        #expect(try PlatformConfig.decode(yaml: base, file: "/etc/platform.yaml").platformAPIKeys.isEmpty)
        do {
            _ = try PlatformConfig.decode(
                yaml: base
                    + "\nplatform_api_keys: [{name: a, sha256: \"\(digest)\"}, {name: a, sha256: \"\(digest)\"}, {name: b, sha256: KEY}]",
                file: "/etc/platform.yaml")
            Issue.record("duplicate and malformed platform API keys were accepted")
        } catch {
            let messages = error.errors.map { "\($0.keyPath): \($0.message)" }
            #expect(
                messages.contains("platform_api_keys[1].name: the name \"a\" is already used by platform_api_keys[0]"))
            #expect(
                messages.contains("platform_api_keys[1].sha256: the same key hash is already in platform_api_keys[0]"))
            #expect(messages.contains { $0.hasPrefix("platform_api_keys[2].sha256: must be 64 lowercase hexadecimal") })
        }
    }

    @Test func everyRequestNeedsAValidPlatformKey() async throws {
        let h = try await PlatformAPIHarness.start()
        do {
            for (method, path) in [
                ("GET", "/platform/v1/tenants"), ("POST", "/platform/v1/tenants"), ("GET", "/platform/v1/plans"),
                ("DELETE", "/platform/v1/plans/starter"), ("GET", "/platform/v1/workers"),
                ("GET", "/platform/v1/no-such-thing"),
            ] {
                let missing = try await h.request(method, path, key: nil)
                #expect(missing.status == 401, "\(method) \(path)")
                #expect(missing.header("Content-Type") == "application/problem+json")
                #expect(missing.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
                #expect(missing.json["status"] as? Int == 401)
                #expect(missing.json["title"] as? String == "Unauthorized")
                #expect(missing.json["type"] as? String == "about:blank")
                let wrong = try await h.request(method, path, key: PlatformAPIHarness.key + "x")
                #expect(wrong.status == 401, "\(method) \(path)")
                #expect(wrong.json["detail"] as? String == "the platform API key is not valid")
            }
            let basic = try await h.request("GET", "/platform/v1/plans", authorization: "Basic dXNlcjpwdw==")
            #expect(basic.status == 401)
            let lowercase = try await h.request(
                "GET", "/platform/v1/plans", authorization: "bearer \(PlatformAPIHarness.key)")
            #expect(lowercase.status == 200)
            // The plan was not deleted by the unauthenticated DELETE.
            #expect(try await h.request("GET", "/platform/v1/plans/starter").status == 200)
        } catch {
            await h.shutdown()
            throw error
        }
        await h.shutdown()
    }

    @Test func noConfiguredKeyRefusesEverything() async throws {
        let h = try await PlatformAPIHarness.start(keys: [])
        let reply = try await h.request("GET", "/platform/v1/plans")
        #expect(reply.status == 401)
        #expect((reply.json["detail"] as? String)?.contains("platform_api_keys") == true)
        await h.shutdown()
    }

    @Test func unknownResourcesAndMethodsAreProblemDocuments() async throws {
        let h = try await PlatformAPIHarness.start()
        let unknown = try await h.request("GET", "/platform/v1/nothing/here")
        #expect(unknown.status == 404)
        #expect(unknown.header("Content-Type") == "application/problem+json")
        let method = try await h.request("PUT", "/platform/v1/tenants")
        #expect(method.status == 405)
        #expect(method.header("Allow") == "GET, POST")
        #expect(method.header("Content-Type") == "application/problem+json")
        let missingTenant = try await h.request("GET", "/platform/v1/tenants/nobody")
        #expect(missingTenant.status == 404)
        #expect(missingTenant.json["detail"] as? String == "no tenant nobody")
        let notJSON = try await h.request("POST", "/platform/v1/plans", json: nil)
        #expect(notJSON.status == 400)
        await h.shutdown()
    }

    @Test func invalidTenantRequestsAre422WithEveryProblem() async throws {
        let h = try await PlatformAPIHarness.start()
        do {
            for slug in ["Acme", "-x", "x-", "admin", "app", "ns1", "a_b", String(repeating: "a", count: 64), ""] {
                let reply = try await h.request(
                    "POST", "/platform/v1/tenants", json: ["slug": slug, "display_name": "X", "plan": "starter"])
                #expect(reply.status == 422, "slug \(slug): \(reply.text)")
                #expect(reply.json["type"] as? String == "urn:open-csms:problem:invalid-request")
                let errors = reply.json["errors"] as? [[String: Any]] ?? []
                #expect(errors.first?["field"] as? String == "slug")
            }
            // A DNS label of 63 characters is valid but makes a role name over PostgreSQL's 63 bytes.
            let long = try await h.request(
                "POST", "/platform/v1/tenants",
                json: ["slug": String(repeating: "b", count: 60), "display_name": "X", "plan": "starter"])
            #expect(long.status == 422)

            let unknownPlan = try await h.request(
                "POST", "/platform/v1/tenants", json: ["slug": "fine", "display_name": "X", "plan": "gold"])
            #expect(unknownPlan.status == 422)
            #expect((unknownPlan.json["detail"] as? String)?.contains("no plan named \"gold\"") == true)
            #expect(try await h.tenantRow("fine") == nil)

            let many = try await h.request(
                "POST", "/platform/v1/tenants",
                json: [
                    "slug": "fine", "display_name": " ", "plan": "starter", "colour": "red",
                    "ocpp": [
                        "heartbeat_interval": "5s", "allowed_versions": ["ocpp9"], "unknown_stations": "maybe",
                        "security_profile": "1",
                    ],
                ])
            #expect(many.status == 422)
            let fields = Set((many.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(
                fields == [
                    "colour", "ocpp.heartbeat_interval", "ocpp.allowed_versions[0]", "ocpp.unknown_stations",
                    "ocpp.security_profile",
                ])
            // Display name rules are the tenant file's, checked by rendering and reading the file.
            let blank = try await h.request(
                "POST", "/platform/v1/tenants", json: ["slug": "fine", "display_name": " ", "plan": "starter"])
            #expect(blank.status == 422)
            #expect(
                (blank.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "display_name",
                "\(blank.text)")
            #expect(try await h.tenantRow("fine") == nil)
        } catch {
            await h.shutdown()
            throw error
        }
        await h.shutdown()
    }
}

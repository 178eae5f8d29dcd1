// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Common
import Config
import Foundation
import Hummingbird
import Logging
import Postgres
import Redis
import TestSupport
import Testing

@testable import WorkerCore

/// The tenant API's OpenAPI document stays true: it is OpenAPI 3.1 JSON (read back with
/// Foundation's parser, not ours), every `$ref` resolves, every operation answers what its kind
/// must (401/403/429 for an authenticated one, problem documents for every error), and it names
/// exactly the routes `TenantAPI.register` puts on the router: a route added without its
/// documentation, or documentation left behind by a removed route, fails here.
@Suite struct OpenAPIDocumentTests {
    typealias Object = [String: Any]

    static func document() throws -> Object {
        try #require(JSONSerialization.jsonObject(with: Data(TenantOpenAPI.bytes)) as? Object)
    }

    static func operations(_ document: Object) throws -> [(method: String, path: String, operation: Object)] {
        let paths = try #require(document["paths"] as? [String: Object])
        var result: [(String, String, Object)] = []
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            for (method, operation) in item.sorted(by: { $0.key < $1.key }) {
                result.append((method.uppercased(), path, try #require(operation as? Object, "\(method) \(path)")))
            }
        }
        return result
    }

    @Test func theDocumentIsOpenAPI31WithThisVersion() throws {
        let document = try Self.document()
        #expect(document["openapi"] as? String == "3.1.0")
        let info = try #require(document["info"] as? Object)
        #expect(info["version"] as? String == CSMSVersion.current)
        #expect(info["title"] as? String == "Open-CSMS tenant API")
        let servers = try #require(document["servers"] as? [Object])
        #expect(servers.first?["url"] as? String == "/api/v1")
        let schemes = try #require((document["components"] as? Object)?["securitySchemes"] as? Object)
        #expect(Set(schemes.keys) == ["bearer", "apiKey"])
    }

    @Test func everyReferenceResolves() throws {
        let document = try Self.document()
        let refs = OpenAPIChecks.references(in: document)
        #expect(refs.count > 20, "\(refs.count) references")
        for ref in refs {
            #expect(OpenAPIChecks.resolve(ref, in: document) != nil, "\(ref) does not resolve")
        }
    }

    @Test func everySchemaRequiresOnlyMembersItDescribes() throws {
        for problem in OpenAPIChecks.requiredWithoutProperty(in: try Self.document()) {
            Issue.record("\(problem)")
        }
    }

    @Test func everyOperationDocumentsWhatItsKindAnswers() throws {
        let document = try Self.document()
        var ids = Set<String>()
        for (method, path, operation) in try Self.operations(document) {
            let name = "\(method) \(path)"
            let id = try #require(operation["operationId"] as? String, "\(name) has no operationId")
            #expect(ids.insert(id).inserted, "\(name): operationId \(id) is used twice")
            let responses = try #require(operation["responses"] as? [String: Object], "\(name)")
            let security = try #require(operation["security"] as? [Any], "\(name) says nothing of security")
            if security.isEmpty {
                #expect(path == "/openapi.json", "\(name) is public")
            } else {
                let unauthorized = try #require(responses["401"], "\(name) has no 401")
                #expect((unauthorized["headers"] as? Object)?["WWW-Authenticate"] != nil, "\(name): 401 challenge")
                #expect(responses["403"] != nil, "\(name) has no 403")
                let tooMany = try #require(responses["429"], "\(name) has no 429")
                #expect((tooMany["headers"] as? Object)?["Retry-After"] != nil, "\(name): 429 Retry-After")
                #expect(
                    operation["x-required-scope"] != nil || operation["x-required-role"] != nil,
                    "\(name) names no scope or role")
            }
            #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(name) has no success answer")
            for (status, response) in responses {
                let content = response["content"] as? Object
                if status.hasPrefix("4") || status.hasPrefix("5") {
                    let problem = (content?["application/problem+json"] as? Object)?["schema"]
                    #expect(
                        OpenAPIChecks.reachable(from: problem as Any, in: document).contains(
                            "#/components/schemas/Problem"),
                        "\(name) \(status) is not a problem document")
                } else if status == "204" {
                    #expect(content == nil, "\(name) 204 has a body")
                } else {
                    #expect(content?.isEmpty == false, "\(name) \(status) has no content")
                }
            }
            if let body = operation["requestBody"] as? Object, (body["content"] as? Object)?["application/json"] != nil
            {
                for status in ["400", "413", "415", "422"] {
                    #expect(responses[status] != nil, "\(name) takes JSON but has no \(status)")
                }
            }
            // Path parameters: exactly the template's.
            let declared = Set(
                ((operation["parameters"] as? [Object]) ?? []).filter { $0["in"] as? String == "path" }
                    .compactMap { $0["name"] as? String })
            #expect(declared == OpenAPIChecks.templateParameters(path), "\(name) declares \(declared.sorted())")
        }
    }

    /// The routes `TenantAPI.register` adds under /api/v1, read from the router itself
    /// (`Router.routes`), against the documented operations.
    @Test func theDocumentNamesExactlyTheRoutesTheWorkerHas() async throws {
        let dir = try TestEnvironment.temporaryDirectory("oas")
        let configPath = dir + "/acme.yaml"
        try "slug: acme\ndisplay_name: OpenAPI test\nplan: test\n".write(
            toFile: configPath, atomically: true, encoding: .utf8)
        let tenant = try TenantConfig.load(path: configPath, platform: nil)
        let logger = Logger(label: "openapi-test")
        // Nothing connects: the pools connect on first use, and no request is made.
        let postgres = PGPool(
            configuration: PGPoolConfiguration(conninfo: "host=127.0.0.1 port=1 dbname=none user=none"),
            logger: logger)
        let redis = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: 1), logger: logger)
        let store = PostgresChargingStore(postgres: postgres, redis: redis, tenantSlug: tenant.slug, logger: logger)
        let runtime = OCPPRuntime(
            settings: tenant.ocpp, store: store,
            frameLog: OCPPFrameLog(postgres: postgres, settings: .init(retentionDays: 1), logger: logger),
            registry: StationRegistry(redis: redis, slug: tenant.slug, presenceTTLSeconds: 600, logger: logger),
            logger: logger)
        let router = Router(context: TenantRequestContext.self)
        TenantAPI(
            runtime: runtime, apiKeys: tenant.apiKeys, usage: UsageMeter(postgres: postgres, logger: logger),
            rateLimit: (SharedRateLimiter(redis: redis, slug: tenant.slug, logger: logger), 10),
            access: TenantAPI.Access(
                keys: APIKeyStore(postgres: postgres, logger: logger), sessions: nil,
                audit: AuditLog(postgres: postgres, logger: logger)),
            postgres: postgres
        ).register(on: router)
        await runtime.authenticator.shutdown()
        await postgres.shutdown()
        await redis.shutdown()

        let registered = Set(
            router.routes.map { "\($0.method.rawValue) \($0.path.description)" }.filter {
                $0.split(separator: " ")[1].hasPrefix("/api/v1/")
            })
        let documented = Set(try Self.operations(try Self.document()).map { "\($0.method) /api/v1\($0.path)" })
        #expect(registered.count > 10, "\(registered.sorted())")
        #expect(
            registered.subtracting(documented).isEmpty,
            "routes without documentation (add an OpenAPIOperation to their group in TenantWorker/WorkerCore/API/OpenAPI*.swift): \(registered.subtracting(documented).sorted())"
        )
        #expect(
            documented.subtracting(registered).isEmpty,
            "documented operations the worker does not have: \(documented.subtracting(registered).sorted())")
    }
}

/// Walks an OpenAPI document parsed by JSONSerialization.
enum OpenAPIChecks {
    /// Every `$ref` value anywhere below `value`.
    static func references(in value: Any) -> [String] {
        var found: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, member) in object {
                    if key == "$ref", let ref = member as? String { found.append(ref) } else { walk(member) }
                }
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(value)
        return found
    }

    /// Every reference reachable from `value`, following references.
    static func reachable(from value: Any, in document: [String: Any]) -> Set<String> {
        var seen = Set<String>()
        var pending = references(in: value)
        while let ref = pending.popLast() {
            guard seen.insert(ref).inserted, let target = resolve(ref, in: document) else { continue }
            pending += references(in: target)
        }
        return seen
    }

    /// The value a local reference (`#/a/b`, RFC 6901) names, or nil.
    static func resolve(_ ref: String, in document: [String: Any]) -> Any? {
        guard ref.hasPrefix("#/") else { return nil }
        var current: Any = document
        for token in ref.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let object = current as? [String: Any], let next = object[key] else { return nil }
            current = next
        }
        return current
    }

    /// Object schemas whose `required` names a member their `properties` lack.
    static func requiredWithoutProperty(in value: Any, at path: String = "#") -> [String] {
        var problems: [String] = []
        if let object = value as? [String: Any] {
            if let required = object["required"] as? [String], let properties = object["properties"] as? [String: Any] {
                for name in required where properties[name] == nil {
                    problems.append("\(path) requires '\(name)' but has no such property")
                }
            }
            for (key, member) in object { problems += requiredWithoutProperty(in: member, at: "\(path)/\(key)") }
        } else if let array = value as? [Any] {
            for (index, member) in array.enumerated() {
                problems += requiredWithoutProperty(in: member, at: "\(path)/\(index)")
            }
        }
        return problems
    }

    /// `{name}` segments of a path template.
    static func templateParameters(_ path: String) -> Set<String> {
        Set(
            path.split(separator: "/").compactMap { segment in
                segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
            })
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Hummingbird
import Logging
import TestSupport
import Testing

@testable import ControlPlaneCore

/// The platform API's OpenAPI document stays true: OpenAPI 3.1 JSON (read back with Foundation's
/// parser), every `$ref` resolves, every operation documents 401/403 and problem documents for its
/// errors, and it names every route the control plane serves under /platform/v1.
@Suite struct PlatformOpenAPITests {
    typealias Object = [String: Any]

    static func document() throws -> Object {
        try #require(JSONSerialization.jsonObject(with: Data(PlatformOpenAPI.bytes)) as? Object)
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

    static func references(in value: Any) -> [String] {
        if let object = value as? Object {
            return object.flatMap { key, member -> [String] in
                key == "$ref" ? [member as? String].compactMap { $0 } : references(in: member)
            }
        }
        return (value as? [Any])?.flatMap(references) ?? []
    }

    static func resolve(_ ref: String, in document: Object) -> Any? {
        guard ref.hasPrefix("#/") else { return nil }
        var current: Any = document
        for token in ref.dropFirst(2).split(separator: "/") {
            guard let next = (current as? Object)?[String(token)] else { return nil }
            current = next
        }
        return current
    }

    @Test func theDocumentIsOpenAPI31() throws {
        let document = try Self.document()
        #expect(document["openapi"] as? String == "3.1.0")
        #expect((document["info"] as? Object)?["title"] as? String == "Open-CSMS platform API")
        #expect(((document["servers"] as? [Object])?.first)?["url"] as? String == "/platform/v1")
        let refs = Self.references(in: document)
        #expect(refs.count > 20)
        for ref in refs {
            #expect(Self.resolve(ref, in: document) != nil, "\(ref) does not resolve")
        }
    }

    @Test func everyOperationDocumentsItsRefusals() throws {
        let document = try Self.document()
        var ids = Set<String>()
        for (method, path, operation) in try Self.operations(document) {
            let name = "\(method) \(path)"
            #expect(ids.insert(operation["operationId"] as? String ?? "").inserted, "\(name): operationId")
            let responses = try #require(operation["responses"] as? [String: Object], "\(name)")
            if (operation["security"] as? [Any])?.isEmpty == false {
                let unauthorized = responses["401"]?["headers"] as? Object
                #expect(unauthorized?["WWW-Authenticate"] != nil, "\(name): 401")
                #expect(responses["403"] != nil, "\(name): 403")
            } else {
                #expect(path == "/openapi.json", "\(name) is public")
            }
            for (status, response) in responses where status.hasPrefix("4") || status.hasPrefix("5") {
                let schema = ((response["content"] as? Object)?["application/problem+json"] as? Object)?["schema"]
                #expect(
                    Self.references(in: schema as Any).contains("#/components/schemas/Problem"),
                    "\(name) \(status) is not a problem document")
            }
            let parameters = ((operation["parameters"] as? [Object]) ?? []).filter { $0["in"] as? String == "path" }
            let template = path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                String($0.dropFirst().dropLast())
            }
            #expect(Set(parameters.compactMap { $0["name"] as? String }) == Set(template), "\(name) path parameters")
        }
    }

    /// The routes under /platform/v1 as AdminServer registers them (PlatformAPI.register, then
    /// the usage and worker routes on its group), read from the router itself. PlatformAPI answers
    /// every method of a resource (405 with `Allow` for the unsupported ones, see
    /// test_openapi.py), so here every documented operation must be a route, and every routed
    /// path must be documented.
    @Test func theDocumentNamesTheRoutesTheControlPlaneHas() async throws {
        let dir = try TestEnvironment.temporaryDirectory("cpoas")
        try TestEnvironment.write(secret: "unused", to: dir + "/pg.pw")
        try TestEnvironment.write(secret: "unused", to: dir + "/redis.pw")
        try """
        base_domain: csms.test
        data_directory: \(dir)/data
        tenants_directory: \(dir)/tenants
        postgres: {host: 127.0.0.1, port: 1, database: none, user: none, password_file: \(dir)/pg.pw}
        redis: {host: 127.0.0.1, port: 1, user: none, password_file: \(dir)/redis.pw}
        plans:
          - {name: p, monthly_price: "0", max_stations: 1, max_concurrent_connections: 1, api_requests_per_second: 1}
        """.write(toFile: dir + "/platform.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/tenants", withIntermediateDirectories: true)
        let logger = Logger(label: "platform-openapi-test")
        let controlPlane = try ControlPlane(configPath: dir + "/platform.yaml", logger: logger)
        let supervisor = WorkerSupervisor(settings: .init(), runDirectory: dir + "/run", logger: logger)
        let router = Router()
        // As AdminServer.application() does; the test below keeps this list in step with it.
        let group = PlatformAPI(controlPlane: controlPlane, workers: supervisor).register(on: router)
        UsageRoutes(postgres: controlPlane.postgres).register(on: group)
        WorkerRoutes(supervisor: supervisor).register(on: group)
        await controlPlane.shutdown()

        var routed: [String: Set<String>] = [:]
        for route in router.routes where route.path.description.hasPrefix("/platform/v1/") {
            routed[String(route.path.description.dropFirst("/platform/v1".count)), default: []].insert(
                route.method.rawValue)
        }
        routed["/**"] = nil  // the catch-all 404 for unknown resources
        var documented: [String: Set<String>] = [:]
        for (method, path, _) in try Self.operations(try Self.document()) {
            documented[path, default: []].insert(method)
        }
        #expect(
            Set(routed.keys) == Set(documented.keys),
            "routed but undocumented: \(Set(routed.keys).subtracting(documented.keys).sorted()); documented but not routed: \(Set(documented.keys).subtracting(routed.keys).sorted())"
        )
        for (path, methods) in documented {
            #expect(methods.isSubset(of: routed[path] ?? []), "\(path): documented \(methods.sorted())")
        }
    }

    /// AdminServer adds exactly the route groups the test above adds; a new group there must be
    /// added to the test (and documented).
    @Test func theTestRegistersWhatAdminServerRegisters() throws {
        let source = try String(
            contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent(
                "ControlPlane/ControlPlaneCore/App/AdminServer.swift"), encoding: .utf8)
        let groups = source.split(separator: "\n").filter { $0.contains(".register(on: platformGroup)") }.map {
            $0.trimmingCharacters(in: .whitespaces).prefix { $0 != "(" }
        }
        #expect(groups == ["UsageRoutes", "WorkerRoutes"], "\(groups)")
    }
}

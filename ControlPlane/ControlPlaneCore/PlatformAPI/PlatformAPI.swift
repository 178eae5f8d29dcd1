// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Config
import Foundation
public import Hummingbird
public import Identity
import Logging

/// The platform REST API under `/platform/v1`, served by the control plane on `listen.admin`:
/// tenants (create, list, show, update, suspend, resume, delete), plans (CRUD) and worker state.
/// Every request needs a platform API key (`Authorization: Bearer <key>`); keys are snake_case;
/// errors are RFC 9457 problem documents. See docs/platform-api.md.
public struct PlatformAPI: Sendable {
    public let operations: TenantOperations
    let keys: [PlatformConfig.APIKey]
    let baseDomain: String
    /// The platform's session keys: platform-admin and platform-operator session tokens are
    /// accepted besides the API keys. nil: API keys only.
    let sessionKeys: JSONWebKeySet?

    public init(
        operations: TenantOperations, keys: [PlatformConfig.APIKey], baseDomain: String,
        sessionKeys: JSONWebKeySet? = nil
    ) {
        self.operations = operations
        self.keys = keys
        self.baseDomain = baseDomain
        self.sessionKeys = sessionKeys
    }

    /// The API of a control plane whose workers `workers` runs.
    public init(controlPlane: ControlPlane, workers: any WorkerLifecycle, healthTimeout: Duration = .seconds(15)) {
        let cp = controlPlane
        self.init(
            operations: TenantOperations(
                platform: cp.platform, provisioner: cp.tenantProvisioner, postgres: cp.postgres, workers: workers,
                healthTimeout: healthTimeout, logger: cp.logger,
                launch: { cp.launch(for: $0) }),
            keys: cp.platform.platformAPIKeys, baseDomain: cp.platform.baseDomain,
            sessionKeys: try? JSONWebKeySet(json: cp.sessionKeys.signer.publicJWKSetJSON))
    }

    typealias Handler<Context: RequestContext> = @Sendable (Request, Context) async throws -> PlatformResponse

    /// Adds the routes to `router` and returns the authenticated `/platform/v1` group, to which
    /// more routes (usage) can be added.
    @discardableResult
    public func register<Context: RequestContext>(on router: Router<Context>) -> RouterGroup<Context> {
        PlatformOpenAPI.register(on: router)  // GET /platform/v1/openapi.json, public: outside the group below
        let api = router.group("platform/v1")
            .add(middleware: PlatformProblemMiddleware<Context>())
            .add(
                middleware: PlatformAPIKeyMiddleware<Context>(
                    keys: keys, sessions: sessionKeys.map { ($0, baseDomain) }))
        Self.route(
            api, "tenants",
            [
                .get: { request, _ in try await listTenants(request) },
                .post: { request, _ in try await createTenant(request) },
            ])
        Self.route(
            api, "tenants/{slug}",
            [
                .get: { _, context in try await showTenant(try context.parameters.require("slug")) },
                .patch: { request, context in
                    try await updateTenant(try context.parameters.require("slug"), request)
                },
                .delete: { request, context in
                    try await deleteTenant(try context.parameters.require("slug"), request)
                },
            ])
        Self.route(
            api, "tenants/{slug}/suspend",
            [
                .post: { _, context in
                    let slug = try context.parameters.require("slug")
                    return try await tenantResponse { try await operations.suspend(slug) }
                }
            ])
        Self.route(
            api, "tenants/{slug}/resume",
            [
                .post: { _, context in
                    let slug = try context.parameters.require("slug")
                    return try await tenantResponse { try await operations.resume(slug) }
                }
            ])
        Self.route(
            api, "plans",
            [
                .get: { _, _ in try await listPlans() },
                .post: { request, _ in try await createPlan(request) },
            ])
        Self.route(
            api, "plans/{name}",
            [
                .get: { _, context in try await showPlan(try context.parameters.require("name")) },
                .put: { request, context in try await putPlan(try context.parameters.require("name"), request) },
                .delete: { _, context in try await deletePlan(try context.parameters.require("name")) },
            ])
        Self.route(api, "workers", [.get: { _, _ in try await listWorkers() }])
        // Anything else under /platform/v1 (after authentication, so unknown paths reveal nothing).
        for method in Self.methods {
            api.on("**", method: method) { request, _ -> PlatformResponse in
                throw PlatformProblem(status: .notFound, detail: "no platform API resource at \(request.uri.path)")
            }
        }
        return api
    }

    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    /// Registers the handlers of one resource, and a 405 with `Allow` (RFC 9110 §15.5.6) for the
    /// other methods (also for the usage and worker routes, so every resource answers alike).
    static func route<Context: RequestContext>(
        _ group: RouterGroup<Context>, _ path: RouterPath, _ handlers: [HTTPRequest.Method: Handler<Context>]
    ) {
        let allowed = Self.methods.filter { handlers[$0] != nil }.map(\.rawValue).joined(separator: ", ")
        for method in Self.methods {
            if let handler = handlers[method] {
                group.on(path, method: method, use: handler)
            } else {
                group.on(path, method: method) { request, _ -> PlatformResponse in
                    throw PlatformProblem(
                        status: .methodNotAllowed,
                        detail: "\(request.method.rawValue) is not supported here; use \(allowed)",
                        headers: [.allow: allowed])
                }
            }
        }
    }

    // MARK: Tenants

    func listTenants(_ request: Request) async throws -> PlatformResponse {
        let includeDeleted = try flag(request, "include_deleted")
        let states = try await operations.list(includeDeleted: includeDeleted)
        return PlatformResponse(
            body: .object(["items": .array(states.map { PlatformViews.tenant($0, baseDomain: baseDomain) })]))
    }

    func createTenant(_ request: Request) async throws -> PlatformResponse {
        let draft = try PlatformRequests.tenantDraft(try await request.platformJSONObject())
        // Provisioning runs to its end (or its rollback) even if the client goes away meanwhile.
        let operations = self.operations
        let state = try await Task { try await operations.create(draft) }.value
        return PlatformResponse(
            status: .created, headers: [.location: "/platform/v1/tenants/\(state.record.slug)"],
            body: PlatformViews.tenant(state, baseDomain: baseDomain))
    }

    func showTenant(_ slug: String) async throws -> PlatformResponse {
        PlatformResponse(body: PlatformViews.tenant(try await operations.tenant(slug), baseDomain: baseDomain))
    }

    func updateTenant(_ slug: String, _ request: Request) async throws -> PlatformResponse {
        let changes = try PlatformRequests.tenantChanges(try await request.platformJSONObject())
        return try await tenantResponse { try await operations.update(slug, changes) }
    }

    func deleteTenant(_ slug: String, _ request: Request) async throws -> PlatformResponse {
        let erase = try flag(request, "erase_data")
        let operations = self.operations
        switch try await Task(operation: { try await operations.delete(slug, eraseData: erase) }).value {
        case .erased:
            return PlatformResponse(status: .noContent)
        case .retained(let state):
            return PlatformResponse(body: PlatformViews.tenant(state, baseDomain: baseDomain))
        }
    }

    private func tenantResponse(
        _ operation: @escaping @Sendable () async throws -> TenantState
    ) async throws -> PlatformResponse {
        let state = try await Task { try await operation() }.value
        return PlatformResponse(body: PlatformViews.tenant(state, baseDomain: baseDomain))
    }

    /// A boolean query parameter: `true`/`false` (absent is false).
    private func flag(_ request: Request, _ name: String) throws -> Bool {
        guard let value = request.uri.queryParameters.get(name) else { return false }
        switch value {
        case "true": return true
        case "false": return false
        default: throw PlatformError.invalid(name, "must be true or false, got \"\(value)\"")
        }
    }

    // MARK: Plans

    func listPlans() async throws -> PlatformResponse {
        let plans = try await operations.plans.all()
        return PlatformResponse(body: .object(["items": .array(plans.map(PlatformViews.plan))]))
    }

    func showPlan(_ name: String) async throws -> PlatformResponse {
        guard let plan = try await operations.plans.find(name) else {
            throw PlatformError(.notFound, "no plan named \(name)")
        }
        return PlatformResponse(body: PlatformViews.plan(plan))
    }

    func createPlan(_ request: Request) async throws -> PlatformResponse {
        let plan = try PlatformRequests.plan(try await request.platformJSONObject(), pathName: nil)
        if try await operations.plans.create(plan) == .exists {
            throw PlatformError(.conflict, "a plan named \(plan.name) already exists")
        }
        operations.logger.info("plan created", metadata: ["plan": "\(plan.name)"])
        return try await planResponse(plan.name, status: .created)
    }

    func putPlan(_ name: String, _ request: Request) async throws -> PlatformResponse {
        let plan = try PlatformRequests.plan(try await request.platformJSONObject(), pathName: name)
        switch try await operations.plans.put(plan) {
        case .fromConfig:
            throw PlatformError(
                .conflict, "plan \(name) is defined in platform.yaml, which is authoritative for it; change it there")
        case .created:
            operations.logger.info("plan created", metadata: ["plan": "\(name)"])
            return try await planResponse(name, status: .created)
        case .replaced, .exists:
            operations.logger.info("plan replaced", metadata: ["plan": "\(name)"])
            return try await planResponse(name, status: .ok)
        }
    }

    func deletePlan(_ name: String) async throws -> PlatformResponse {
        switch try await operations.plans.delete(name) {
        case .deleted:
            operations.logger.info("plan deleted", metadata: ["plan": "\(name)"])
            return PlatformResponse(status: .noContent)
        case .notFound:
            throw PlatformError(.notFound, "no plan named \(name)")
        case .fromConfig:
            throw PlatformError(
                .conflict, "plan \(name) is defined in platform.yaml, which is authoritative for it; remove it there")
        case .inUse(let tenants):
            throw PlatformError(
                .conflict,
                "plan \(name) is used by \(tenants) tenant(s) (deleted tenants whose data is retained included); "
                    + "move them to another plan first")
        }
    }

    private func planResponse(_ name: String, status: HTTPResponse.Status) async throws -> PlatformResponse {
        guard let record = try await operations.plans.find(name) else {
            throw PlatformError(.notFound, "no plan named \(name)")
        }
        var headers: HTTPFields = [:]
        if status == .created { headers[.location] = "/platform/v1/plans/\(name)" }
        return PlatformResponse(status: status, headers: headers, body: PlatformViews.plan(record))
    }

    // MARK: Workers

    func listWorkers() async throws -> PlatformResponse {
        let workers = try await operations.workerStatuses()
        return PlatformResponse(
            body: .object([
                "items": .array(
                    workers.map {
                        PlatformViews.worker($0.worker, slug: $0.tenant.slug, tenantStatus: $0.tenant.status)
                    })
            ]))
    }
}

extension ControlPlane {
    /// The provisioner of this control plane's tenants, as `provision()` makes it.
    public var tenantProvisioner: TenantProvisioner {
        TenantProvisioner(
            postgres: postgres, redis: redis,
            secretsDirectory: (platform.dataDirectory as NSString).appendingPathComponent("secrets"),
            rolePrefix: platform.postgres.tenantRolePrefix,
            workerMaxConnections: platform.postgres.workerMaxConnections, logger: logger)
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Hummingbird

/// Operator actions on workers: rolling restart of one tenant's worker or of all, and resuming a
/// worker the supervisor stopped restarting (crash loop).
///
/// - `POST /platform/v1/workers/{slug}/restart`: start a new worker, route to it once healthy,
///   drain the old one; the old keeps serving if the new one fails (502).
/// - `POST /platform/v1/workers/restart`: the same for every worker, one after the other.
/// - `POST /platform/v1/workers/{slug}/resume`: leave the crash loop and start again.
struct WorkerRoutes: Sendable {
    let supervisor: WorkerSupervisor
    /// Whether the tenant is suspended: its worker is not resumed behind the suspension's back.
    var isSuspended: @Sendable (String) -> Bool = { _ in false }

    func register<Context: RequestContext>(on group: RouterGroup<Context>) {
        PlatformAPI.route(group, "workers/restart", [.post: { _, _ in try await restartAll() }])
        PlatformAPI.route(group, "workers/{slug}/restart", [.post: { _, context in try await restart(context) }])
        PlatformAPI.route(group, "workers/{slug}/resume", [.post: { _, context in try await resume(context) }])
    }

    private func restartAll() async throws -> PlatformResponse {
        do {
            try await supervisor.restartAll()
        } catch {
            throw PlatformProblem(status: .badGateway, detail: "rolling restart stopped: \(error)")
        }
        return PlatformResponse(body: .object(["items": .array(await supervisor.states().map(Self.json))]))
    }

    private func restart(_ context: some RequestContext) async throws -> PlatformResponse {
        let slug = try context.parameters.require("slug")
        guard let state = await supervisor.state(slug: slug) else {
            throw PlatformProblem(status: .notFound, detail: "no worker for tenant \(slug)")
        }
        // Only a serving worker can be replaced; any other state is the resource's, not a gateway's,
        // problem (RFC 9110 §15.5.10).
        guard state.state == "running" || state.state == "backing_off" else {
            throw PlatformProblem(
                status: .conflict,
                detail: state.state == "crash_loop"
                    ? "the worker of \(slug) is crash-looping: resume it instead of restarting it"
                    : "the worker of \(slug) is \(state.state); only a running worker can be restarted")
        }
        do {
            try await supervisor.restart(slug: slug)
        } catch {
            throw PlatformProblem(
                status: .badGateway,
                detail: "the new worker of \(slug) did not become healthy; the old one keeps serving: \(error)")
        }
        return try await status(slug)
    }

    private func resume(_ context: some RequestContext) async throws -> PlatformResponse {
        let slug = try context.parameters.require("slug")
        guard await supervisor.state(slug: slug) != nil else {
            throw PlatformProblem(status: .notFound, detail: "no worker for tenant \(slug)")
        }
        guard !isSuspended(slug) else {
            throw PlatformProblem(
                status: .conflict,
                detail: "tenant \(slug) is suspended; resume the tenant (POST /platform/v1/tenants/\(slug)/resume)")
        }
        do {
            try await supervisor.resume(slug: slug)
        } catch {
            throw PlatformProblem(status: .badGateway, detail: "the worker of \(slug) did not start: \(error)")
        }
        return try await status(slug)
    }

    private func status(_ slug: String) async throws -> PlatformResponse {
        guard let state = await supervisor.state(slug: slug) else {
            throw PlatformProblem(status: .notFound, detail: "no worker for tenant \(slug)")
        }
        return PlatformResponse(body: Self.json(state))
    }

    static func json(_ s: WorkerStatus) -> PlatformJSON {
        .object([
            "slug": .string(s.slug), "state": .string(s.state), "healthy": .bool(s.healthy),
            "pid": s.pid.map { .int(Int64($0)) } ?? .null, "generation": s.generation.map { .int(Int64($0)) } ?? .null,
            "restarts": .int(Int64(s.restarts)), "crash_loops": .int(Int64(s.crashLoops)),
            "adopted": .bool(s.adopted), "last_exit": .optional(s.lastExit),
        ])
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient

/// Where and as whom the CLI talks to the platform API.
struct PlatformConnection: Equatable, Sendable {
    var baseURL: String
    var apiKey: String?
    var timeout: Duration
    /// The key is the session `open-csms login` stored (a 401 then means: log in again).
    var fromStoredSession = false
}

/// The settable fields of a billing plan (`plans[i]` in platform.yaml, snake_case on the wire).
/// Amounts are sent as strings with the digits typed, the form the platform API itself uses, so no
/// binary float ever holds a price.
struct PlanFields: Equatable, Sendable {
    var monthlyPrice: String?
    var currency: String?
    var includedStations: Int?
    var pricePerExtraStation: String?
    var maxStations: Int?
    var maxConcurrentConnections: Int?
    var apiRequestsPerSecond: Int?
    var ocpiEnabled: Bool?
    var dataRetentionDays: Int?

    var members: [JSONText.Member] {
        var members: [JSONText.Member] = []
        func add(_ key: String, _ value: JSONText?) { if let value { members.append(.init(key, value)) } }
        add("monthly_price", monthlyPrice.map(JSONText.string))
        add("currency", currency.map(JSONText.string))
        add("included_stations", includedStations.map { .number(String($0)) })
        add("price_per_extra_station", pricePerExtraStation.map(JSONText.string))
        add("max_stations", maxStations.map { .number(String($0)) })
        add("max_concurrent_connections", maxConcurrentConnections.map { .number(String($0)) })
        add("api_requests_per_second", apiRequestsPerSecond.map { .number(String($0)) })
        add("ocpi_enabled", ocpiEnabled.map(JSONText.bool))
        add("data_retention_days", dataRetentionDays.map { .number(String($0)) })
        return members
    }

    var isEmpty: Bool { members.isEmpty }

    static let readOnlyMembers: Set<String> = ["source", "tenants", "created_at", "updated_at"]

    /// The full plan for `PUT /platform/v1/plans/{name}`: the current plan with these fields replaced.
    /// Read-only members (`source`, `tenants`, `created_at`, `updated_at`) are dropped; the name is
    /// the path's.
    func merged(into current: JSONText, name: String) -> JSONText {
        var plan: JSONText = .object([])
        if case .object(let existing) = current {
            plan = .object(existing.filter { !Self.readOnlyMembers.contains($0.key) })
        }
        plan.set("name", .string(name))
        for member in members { plan.set(member.key, member.value) }
        return plan
    }
}

/// One operation of the platform API (`/platform/v1`), independent of argument parsing and I/O.
enum PlatformCall: Equatable, Sendable {
    case createTenant(slug: String, plan: String, displayName: String?)
    case listTenants
    case showTenant(slug: String)
    case updateTenant(slug: String, plan: String?, displayName: String?)
    case suspendTenant(slug: String)
    case resumeTenant(slug: String)
    case deleteTenant(slug: String, eraseData: Bool)
    case listPlans
    case showPlan(name: String)
    case createPlan(name: String, fields: PlanFields)
    /// Read-modify-write: GET the plan, then PUT it with the fields replaced (``replacePlan``).
    case updatePlan(name: String, fields: PlanFields)
    case replacePlan(name: String, plan: JSONText)
    case deletePlan(name: String)
    case listWorkers
    case usage(slug: String, month: String?)

    var method: HTTPClientMethod {
        switch self {
        case .createTenant, .suspendTenant, .resumeTenant, .createPlan: .post
        case .listTenants, .showTenant, .listPlans, .showPlan, .updatePlan, .listWorkers, .usage: .get
        case .updateTenant: .patch
        case .replacePlan: .put
        case .deleteTenant, .deletePlan: .delete
        }
    }

    /// The path and query below the base URL; path segments are percent-encoded.
    var path: String {
        let tenants = "/platform/v1/tenants"
        let plans = "/platform/v1/plans"
        switch self {
        case .createTenant, .listTenants: return tenants
        case .showTenant(let slug), .updateTenant(let slug, _, _): return "\(tenants)/\(Self.segment(slug))"
        case .suspendTenant(let slug): return "\(tenants)/\(Self.segment(slug))/suspend"
        case .resumeTenant(let slug): return "\(tenants)/\(Self.segment(slug))/resume"
        case .deleteTenant(let slug, let eraseData):
            return "\(tenants)/\(Self.segment(slug))" + (eraseData ? "?erase_data=true" : "")
        case .listPlans, .createPlan: return plans
        case .showPlan(let name), .updatePlan(let name, _), .replacePlan(let name, _), .deletePlan(let name):
            return "\(plans)/\(Self.segment(name))"
        case .listWorkers: return "/platform/v1/workers"
        case .usage(let slug, let month):
            return "\(tenants)/\(Self.segment(slug))/usage" + (month.map { "?month=\(Self.segment($0))" } ?? "")
        }
    }

    var body: JSONText? {
        switch self {
        case .createTenant(let slug, let plan, let displayName):
            // A tenant file requires a display name; the slug is the natural default.
            return .object([
                .init("slug", .string(slug)), .init("plan", .string(plan)),
                .init("display_name", .string(displayName ?? slug)),
            ])
        case .updateTenant(_, let plan, let displayName):
            var members: [JSONText.Member] = []
            if let plan { members.append(.init("plan", .string(plan))) }
            if let displayName { members.append(.init("display_name", .string(displayName))) }
            return .object(members)
        case .createPlan(let name, let fields):
            return .object([.init("name", .string(name))] + fields.members)
        case .replacePlan(_, let plan):
            return plan
        default:
            return nil
        }
    }

    /// The HTTP request for this call; a pure function of the call and the connection.
    func request(on connection: PlatformConnection) -> HTTPClientRequest {
        var base = connection.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var headers: HTTPClientHeaders = ["Accept": "application/json, application/problem+json"]
        if let apiKey = connection.apiKey { headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        var bytes: [UInt8] = []
        if let body {
            headers.add(name: "Content-Type", value: "application/json")
            bytes = Array(body.serialized.utf8)
        }
        return HTTPClientRequest(
            method: method, url: base + path, headers: headers, body: bytes, timeout: connection.timeout)
    }

    /// RFC 3986 §3.3: everything but unreserved characters is percent-encoded in a path segment.
    static func segment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}

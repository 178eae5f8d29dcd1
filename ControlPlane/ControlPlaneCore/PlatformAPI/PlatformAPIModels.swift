// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation

/// Request bodies of the platform API, read into the operations' types. Keys are snake_case and
/// are the tenant file's and platform.yaml's own names, so a rule reads the same in both places.
enum PlatformRequests {
    static let ocppKeys: Set<String> = [
        "allowed_versions", "heartbeat_interval", "security_profile", "unknown_stations", "response_timeout",
        "max_message_size", "frame_log_retention_days", "data_transfer_vendors",
    ]

    /// `POST /platform/v1/tenants`.
    static func tenantDraft(_ body: [String: PlatformJSON]) throws -> TenantDraft {
        let r = BodyReader()
        r.checkKeys(body, at: "", allowed: ["slug", "display_name", "plan", "ocpp", "api_keys"])
        let slug = r.required(body, "slug", at: "", r.string)
        let displayName = r.required(body, "display_name", at: "", r.string)
        let plan = r.required(body, "plan", at: "", r.string)
        let ocpp = ocppChanges(r, body)
        let apiKeys = apiKeys(r, body)
        try r.finish()
        guard let slug, let displayName, let plan else { throw PlatformError(.invalid, "incomplete request") }
        var draft = TenantDraft(slug: slug, displayName: displayName, plan: plan)
        draft.ocpp = ocpp
        draft.apiKeys = apiKeys ?? []
        return draft
    }

    /// `PATCH /platform/v1/tenants/{slug}`.
    static func tenantChanges(_ body: [String: PlatformJSON]) throws -> TenantChanges {
        let r = BodyReader()
        r.checkKeys(body, at: "", allowed: ["display_name", "plan", "ocpp", "api_keys"])
        var changes = TenantChanges()
        changes.displayName = r.string(body, "display_name", at: "")
        changes.plan = r.string(body, "plan", at: "")
        changes.ocpp = ocppChanges(r, body)
        changes.apiKeys = apiKeys(r, body)
        try r.finish()
        return changes
    }

    private static func ocppChanges(_ r: BodyReader, _ body: [String: PlatformJSON]) -> OCPPChanges {
        var changes = OCPPChanges()
        guard let ocpp = r.object(body, "ocpp", at: "") else { return changes }
        typealias S = TenantConfig.OCPPSettings
        let p = "ocpp"
        r.checkKeys(ocpp, at: p, allowed: ocppKeys)
        if let versions = r.stringList(ocpp, "allowed_versions", at: p) {
            var parsed: [TenantConfig.OCPPVersion] = []
            for (index, text) in versions.enumerated() {
                if let version = TenantConfig.OCPPVersion(rawValue: text) {
                    parsed.append(version)
                } else {
                    let allowed = TenantConfig.OCPPVersion.allCases.map(\.rawValue).joined(separator: ", ")
                    r.fail("ocpp.allowed_versions[\(index)]", "must be one of \(allowed), got \"\(text)\"")
                }
            }
            if parsed.count == versions.count { changes.allowedVersions = parsed }
        }
        changes.heartbeatInterval = r.duration(ocpp, "heartbeat_interval", at: p, in: S.heartbeatIntervalRange)
        changes.securityProfile = r.int(ocpp, "security_profile", at: p, in: 1...3)
        changes.unknownStations = r.choice(ocpp, "unknown_stations", at: p, TenantConfig.UnknownStationPolicy.self)
        changes.responseTimeout = r.duration(ocpp, "response_timeout", at: p, in: S.responseTimeoutRange)
        changes.maxMessageSize = r.int(ocpp, "max_message_size", at: p, in: S.maxMessageSizeRange)
        changes.frameLogRetentionDays = r.int(
            ocpp, "frame_log_retention_days", at: p, in: S.frameLogRetentionDaysRange)
        changes.dataTransferVendors = r.stringList(ocpp, "data_transfer_vendors", at: p)
        return changes
    }

    /// `api_keys: [{name, sha256}]`; the rules on names and digests are the tenant file's, checked
    /// when the configuration is validated.
    private static func apiKeys(_ r: BodyReader, _ body: [String: PlatformJSON]) -> [TenantConfig.APIKey]? {
        guard let items = r.objectList(body, "api_keys", at: "") else { return nil }
        var keys: [TenantConfig.APIKey] = []
        for (index, item) in items.enumerated() {
            let p = "api_keys[\(index)]"
            r.checkKeys(item, at: p, allowed: ["name", "sha256"])
            let name = r.required(item, "name", at: p, r.string)
            let sha256 = r.required(item, "sha256", at: p, r.string)
            if let name, let sha256 { keys.append(TenantConfig.APIKey(name: name, sha256: sha256)) }
        }
        return keys.count == items.count ? keys : nil
    }

    static let planKeys: Set<String> = [
        "name", "monthly_price", "currency", "included_stations", "price_per_extra_station", "max_stations",
        "max_concurrent_connections", "api_requests_per_second", "ocpi_enabled", "data_retention_days",
    ]

    /// `POST /platform/v1/plans` (name in the body) and `PUT /platform/v1/plans/{name}` (name in
    /// the path; a name in the body must match it). Defaults and rules are platform.yaml's.
    static func plan(_ body: [String: PlatformJSON], pathName: String?) throws -> PlatformConfig.Plan {
        let r = BodyReader()
        // Fields that PlatformConfig.Plan does not carry but a client may read back and resend.
        let readOnly: Set<String> = ["source", "tenants", "created_at", "updated_at"]
        r.checkKeys(body, at: "", allowed: planKeys.union(readOnly))
        var name = r.string(body, "name", at: "")
        if let pathName {
            if let name, name != pathName {
                r.fail("name", "must be the name in the path (\"\(pathName)\") or left out, got \"\(name)\"")
            }
            name = pathName
        } else if name == nil {
            r.fail("name", "is required")
        }
        if let name, !PlatformConfig.isPlanName(name) {
            r.fail("name", "must be 1 to 63 characters of a-z, 0-9, '_' and '-', got \"\(name)\"")
        }
        let monthlyPrice = r.required(body, "monthly_price", at: "", r.amount)
        let currency = r.string(body, "currency", at: "") ?? PlatformConfig.Plan.defaultCurrency
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            r.fail("currency", "must be an ISO 4217 code of three capital letters such as EUR, got \"\(currency)\"")
        }
        let includedStations = r.int(body, "included_stations", at: "", in: 0...Int(Int32.max))
        let pricePerExtraStation = r.amount(body, "price_per_extra_station", at: "") ?? 0
        let maxStations = r.required(body, "max_stations", at: "") { r.int($0, $1, at: $2, in: 1...Int(Int32.max)) }
        let maxConnections = r.required(body, "max_concurrent_connections", at: "") {
            r.int($0, $1, at: $2, in: 1...Int(Int32.max))
        }
        let apiRate = r.required(body, "api_requests_per_second", at: "") {
            r.int($0, $1, at: $2, in: 1...Int(Int32.max))
        }
        let ocpiEnabled = r.bool(body, "ocpi_enabled", at: "") ?? false
        let retention =
            r.int(body, "data_retention_days", at: "", in: 1...3650) ?? PlatformConfig.Plan.defaultDataRetentionDays
        if let maxStations, let includedStations, maxStations < includedStations {
            r.fail("max_stations", "must be at least included_stations (\(includedStations)), got \(maxStations)")
        }
        try r.finish()
        guard let name, let monthlyPrice, let maxStations, let maxConnections, let apiRate else {
            throw PlatformError(.invalid, "incomplete request")
        }
        return PlatformConfig.Plan(
            name: name, monthlyPrice: monthlyPrice, currency: currency, includedStations: includedStations,
            pricePerExtraStation: pricePerExtraStation, maxStations: maxStations,
            maxConcurrentConnections: maxConnections, apiRequestsPerSecond: apiRate, ocpiEnabled: ocpiEnabled,
            dataRetentionDays: retention)
    }
}

/// Response bodies of the platform API.
enum PlatformViews {
    static func tenant(_ state: TenantState, baseDomain: String) -> PlatformJSON {
        let record = state.record
        var object: [String: PlatformJSON] = [
            "id": .string(record.id), "slug": .string(record.slug), "display_name": .string(record.displayName),
            "plan": .string(record.plan), "status": .string(record.status.rawValue),
            "host": .string("\(record.slug).\(baseDomain)"), "created_at": .string(record.createdAt),
            "updated_at": .string(record.updatedAt),
        ]
        if let deletedAt = record.deletedAt { object["deleted_at"] = .string(deletedAt) }
        if let until = record.dataRetainedUntil { object["data_retained_until"] = .string(until) }
        if let config = state.config {
            object["ocpp"] = ocpp(config.ocpp)
            object["api_keys"] = .array(
                config.apiKeys.map { .object(["name": .string($0.name), "sha256": .string($0.sha256)]) })
        }
        if record.status != .deleted { object["worker"] = worker(state.worker, slug: record.slug) }
        return .object(object)
    }

    static func ocpp(_ s: TenantConfig.OCPPSettings) -> PlatformJSON {
        .object([
            "allowed_versions": .array(s.allowedVersions.map { .string($0.rawValue) }),
            "heartbeat_interval": .string(ConfigDuration.format(s.heartbeatInterval)),
            "security_profile": .int(Int64(s.securityProfile)),
            "unknown_stations": .string(s.unknownStations.rawValue),
            "response_timeout": .string(ConfigDuration.format(s.responseTimeout)),
            "max_message_size": .int(Int64(s.maxMessageSize)),
            "frame_log_retention_days": .int(Int64(s.frameLogRetentionDays)),
            "data_transfer_vendors": .array(s.dataTransferVendors.map(PlatformJSON.string)),
        ])
    }

    /// A worker's state; a tenant the supervisor does not know has a stopped worker.
    static func worker(_ status: WorkerStatus?, slug: String, tenantStatus: TenantStatus? = nil) -> PlatformJSON {
        var object: [String: PlatformJSON] = [
            "slug": .string(slug), "state": .string(status?.state ?? "stopped"),
            "healthy": .bool(status?.healthy ?? false), "restarts": .int(Int64(status?.restarts ?? 0)),
            "pid": status?.pid.map { .int(Int64($0)) } ?? .null, "last_exit": .optional(status?.lastExit),
        ]
        if let tenantStatus { object["tenant_status"] = .string(tenantStatus.rawValue) }
        return .object(object)
    }

    static func plan(_ record: PlanRecord) -> PlatformJSON {
        let p = record.plan
        return .object([
            "name": .string(p.name), "monthly_price": .string(amount(p.monthlyPrice)), "currency": .string(p.currency),
            "included_stations": .int(Int64(p.includedStations)),
            "price_per_extra_station": .string(amount(p.pricePerExtraStation)),
            "max_stations": .int(Int64(p.maxStations)),
            "max_concurrent_connections": .int(Int64(p.maxConcurrentConnections)),
            "api_requests_per_second": .int(Int64(p.apiRequestsPerSecond)), "ocpi_enabled": .bool(p.ocpiEnabled),
            "data_retention_days": .int(Int64(p.dataRetentionDays)), "source": .string(record.source.rawValue),
            "tenants": .int(Int64(record.tenants)), "created_at": .string(record.createdAt),
            "updated_at": .string(record.updatedAt),
        ])
    }

    /// Exact decimal text with at least two decimals (`49.00`, `4.125`): amounts are strings so no
    /// client reads them into a binary float.
    static func amount(_ value: Decimal) -> String {
        var text = value.description
        guard let point = text.firstIndex(of: ".") else { return text + ".00" }
        let decimals = text.distance(from: point, to: text.endIndex) - 1
        if decimals < 2 { text += String(repeating: "0", count: 2 - decimals) }
        return text
    }
}

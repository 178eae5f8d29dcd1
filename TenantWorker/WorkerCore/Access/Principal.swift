// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// What a caller of the tenant API may do (issue 6): API keys carry scopes, users a role that maps
/// to scopes.
enum APIScope: String, CaseIterable, Sendable, Hashable, Comparable {
    /// GET everything.
    case read
    /// Create, change and delete tenant data (stations, tokens, groups).
    case write
    /// Remote commands to stations.
    case commands
    /// OCPI peers and credentials.
    case ocpiAdmin = "ocpi-admin"

    static func < (a: APIScope, b: APIScope) -> Bool { a.rawValue < b.rawValue }
}

/// Roles a platform session token names (mapped from identity-provider claims by the control plane).
enum AccessRole: String, CaseIterable, Sendable, Hashable {
    case platformAdmin = "platform-admin"
    case platformOperator = "platform-operator"
    case tenantAdmin = "tenant-admin"
    case tenantOperator = "tenant-operator"
    case tenantViewer = "tenant-viewer"

    var scopes: Set<APIScope> {
        switch self {
        case .platformAdmin, .tenantAdmin: Set(APIScope.allCases)
        case .platformOperator, .tenantOperator: [.read, .write, .commands]
        case .tenantViewer: [.read]
        }
    }

    /// May manage the tenant's API keys (create, list, revoke): administrators only.
    var managesKeys: Bool { self == .platformAdmin || self == .tenantAdmin }
}

/// The authenticated caller of one request.
struct Principal: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A platform session token (an OIDC login).
        case user(subject: String, name: String?, role: AccessRole)
        /// A key from the tenant's `api_keys` table.
        case apiKey(id: String, name: String)
        /// A key from the tenant file's `api_keys` (the operator's bootstrap key).
        case configKey(name: String)
    }

    let kind: Kind
    let scopes: Set<APIScope>
    /// The caller's own requests per second (an API key's `requests_per_second`); nil: only the
    /// tenant's plan rate applies.
    var requestsPerSecond: Int? = nil

    /// May create, list and revoke API keys: administrators and the tenant file's bootstrap keys.
    var managesKeys: Bool {
        switch kind {
        case .user(_, _, let role): role.managesKeys
        case .configKey: true
        case .apiKey: false
        }
    }

    /// For the audit log: (kind, actor, name, role).
    var audit: (kind: String, actor: String, name: String?, role: String?) {
        switch kind {
        case .user(let subject, let name, let role): ("user", subject, name, role.rawValue)
        case .apiKey(let id, let name): ("api_key", id, name, nil)
        case .configKey(let name): ("api_key", "config:\(name)", name, nil)
        }
    }

    /// The rate-limit scope of this caller.
    var rateScope: String {
        switch kind {
        case .user(let subject, _, _): "user:\(subject)"
        case .apiKey(let id, _): "key:\(id)"
        case .configKey(let name): "config:\(name)"
        }
    }

    /// 403 unless the caller holds `scope`.
    func require(_ scope: APIScope) throws {
        guard scopes.contains(scope) else {
            throw ProblemDocument(
                status: .forbidden,
                detail: "this needs the '\(scope.rawValue)' scope; the caller has "
                    + (scopes.isEmpty ? "none" : scopes.sorted().map(\.rawValue).joined(separator: ", ")))
        }
    }
}

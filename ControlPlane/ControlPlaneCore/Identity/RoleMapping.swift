// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config

/// Turns the identity provider's claim values (its groups) into the role of a platform session,
/// by platform.yaml `identity.platform_roles` (exact values) and `identity.tenant_roles` (patterns
/// in which `{tenant}` stands for the slug). The strongest matching role wins; a platform role
/// beats any tenant role.
struct RoleMapping: Sendable, Equatable {
    let platformRoles: [String: String]
    let tenantRoles: [String: String]

    static let strength: [String: Int] = [
        "platform-admin": 5, "platform-operator": 4, "tenant-admin": 3, "tenant-operator": 2, "tenant-viewer": 1,
    ]

    init(_ settings: PlatformConfig.IdentitySettings) {
        self.platformRoles = settings.platformRoles
        self.tenantRoles = settings.tenantRoles
    }

    init(platformRoles: [String: String], tenantRoles: [String: String]) {
        self.platformRoles = platformRoles
        self.tenantRoles = tenantRoles
    }

    /// The strongest of `roles`, nil when empty.
    static func strongest(_ roles: [String]) -> String? {
        roles.max { (strength[$0] ?? 0) < (strength[$1] ?? 0) }
    }

    /// The session's role and tenant for someone with `values` who asks for `tenant` (nil: the
    /// platform itself), or nil when the values grant nothing there.
    func role(for values: [String], tenant: String?) -> (role: String, tenant: String?)? {
        var best: String?
        func consider(_ role: String) {
            if (Self.strength[role] ?? 0) > (best.flatMap { Self.strength[$0] } ?? 0) { best = role }
        }
        for value in values {
            if let role = platformRoles[value] { consider(role) }
        }
        if let platformRole = best { return (platformRole, nil) }
        guard let tenant else { return nil }
        for (pattern, role) in tenantRoles where pattern.replacingOccurrences(of: "{tenant}", with: tenant).isIn(values)
        {
            consider(role)
        }
        return best.map { ($0, tenant) }
    }
}

extension String {
    fileprivate func isIn(_ values: [String]) -> Bool { values.contains(self) }
}

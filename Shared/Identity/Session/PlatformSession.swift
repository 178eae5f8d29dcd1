// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation
import JSON

/// The platform's own session token (issue 6): after an OIDC login the control plane mints a short
/// ES256 JWT naming the user, the tenant and the role; each worker verifies it with the platform's
/// public keys, so no API request needs the control plane on its path.
///
/// Claims: `iss` = `https://admin.<base_domain>`, `aud` = ``audience``, `sub` (the identity
/// provider's issuer and subject, so two providers' users never collide), `name`, `role`,
/// `tenant` (a slug; absent for platform roles, which reach every tenant), `iat`, `exp`, `jti`.
public struct PlatformSession: Sendable, Equatable {
    public static let audience = "open-csms-api"
    /// RFC 9068 §2.1 names access tokens `at+jwt`; a token of another type (an ID token of the
    /// identity provider) is refused even if it were signed by a trusted key.
    public static let type = "at+jwt"
    public static let defaultLifetime: Duration = .seconds(15 * 60)

    public var subject: String
    public var name: String?
    /// One of platform-admin, platform-operator, tenant-admin, tenant-operator, tenant-viewer.
    public var role: String
    /// The tenant slug; nil for a platform role.
    public var tenant: String?
    public var expiresAt: Date

    public init(subject: String, name: String?, role: String, tenant: String?, expiresAt: Date) {
        self.subject = subject
        self.name = name
        self.role = role
        self.tenant = tenant
        self.expiresAt = expiresAt
    }

    public static func issuer(baseDomain: String) -> String {
        var domain = baseDomain.lowercased()
        if domain.hasSuffix(".") { domain.removeLast() }
        return "https://admin.\(domain)"
    }

    /// A signed token for this session.
    public func mint(signer: ES256Signer, baseDomain: String, now: Date = Date()) throws(JOSEError) -> String {
        var claims: JSONObject = [
            "iss": .string(Self.issuer(baseDomain: baseDomain)), "aud": .string(Self.audience),
            "sub": .string(subject), "role": .string(role), "iat": .integer(Int64(now.timeIntervalSince1970)),
            "exp": .integer(Int64(expiresAt.timeIntervalSince1970)),
            "jti": .string(UUID().uuidString.lowercased()),
        ]
        if let name { claims["name"] = .string(name) }
        if let tenant { claims["tenant"] = .string(tenant) }
        return try signer.sign(claims: claims, type: Self.type)
    }

    /// The session in a token signed by one of `keys`, or the reason it is refused.
    public static func verify(
        _ token: String, keys: JSONWebKeySet, baseDomain: String, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(JWTRejection) -> PlatformSession {
        var validation = JWTValidation(issuer: issuer(baseDomain: baseDomain), audience: audience)
        validation.allowedAlgorithms = [.es256]
        validation.requiredType = type
        validation.leeway = .seconds(30)
        validation.clock = clock
        let verified = try JWTVerifier(validation: validation).verify(token, keys: keys)
        guard let role = verified.string("role") else {
            throw JWTRejection(reason: .missingClaim, detail: "the session token names no role")
        }
        guard let expiresAt = verified.expiresAt else {
            throw JWTRejection(reason: .missingClaim, detail: "the session token has no expiry")
        }
        return PlatformSession(
            subject: verified.subject, name: verified.string("name"), role: role, tenant: verified.string("tenant"),
            expiresAt: expiresAt)
    }
}

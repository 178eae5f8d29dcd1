// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation
import Testing

/// A tenant file's `identity`: the tenant's own OpenID Connect provider (issue 6 item 1).
@Suite struct TenantIdentityConfigTests {
    static let identity = """
        identity:
          issuer: https://login.acme.example
          client_id: open-csms
          client_secret_file: secrets/acme-oidc
          roles:
            acme-admins: tenant-admin
            acme-staff: tenant-viewer
        """

    private func decode(_ document: DocumentTemplate, file: String = Fixtures.tenantFile) throws -> TenantConfig {
        try TenantConfig.decode(yaml: document.yaml, file: file, platform: nil)
    }

    @Test func absentByDefault() throws {
        #expect(try decode(Fixtures.tenant).identity == nil)
    }

    @Test func minimalSectionTakesTheDefaults() throws {
        let config = try decode(Fixtures.tenant.with("identity", Self.identity))
        #expect(
            config.identity
                == TenantConfig.IdentitySettings(
                    issuer: "https://login.acme.example", clientID: "open-csms",
                    clientSecretFile: "/etc/csms/tenants/secrets/acme-oidc",
                    roles: ["acme-admins": "tenant-admin", "acme-staff": "tenant-viewer"]))
        #expect(config.identity?.scopes == ["openid", "profile", "email"])
        #expect(config.identity?.rolesClaim == "groups")
        #expect(config.identity?.redirectURI == nil)
        #expect(config.identity?.jwksRefetchInterval == .seconds(60))
    }

    @Test func everyKey() throws {
        let config = try decode(
            Fixtures.tenant.with(
                "identity",
                """
                identity:
                  issuer: http://127.0.0.1:9000
                  client_id: csms
                  client_secret_file: /run/secrets/oidc
                  redirect_uri: https://admin.csms.example.com/auth/callback
                  scopes: [openid, email]
                  request_claims: [groups]
                  access_token_audience: csms-api
                  roles_claim: roles
                  roles:
                    ops: tenant-operator
                  allow_insecure_loopback: true
                  jwks_refetch_interval: 5s
                """))
        #expect(
            config.identity
                == TenantConfig.IdentitySettings(
                    issuer: "http://127.0.0.1:9000", clientID: "csms", clientSecretFile: "/run/secrets/oidc",
                    redirectURI: "https://admin.csms.example.com/auth/callback", scopes: ["openid", "email"],
                    requestClaims: ["groups"], accessTokenAudience: "csms-api", rolesClaim: "roles",
                    roles: ["ops": "tenant-operator"], allowInsecureLoopback: true, jwksRefetchInterval: .seconds(5)))
    }

    @Test func platformRolesAndPlatformOnlyKeysAreRefused() {
        let yaml = Fixtures.tenant.with(
            "identity",
            """
            identity:
              issuer: login.acme.example
              client_id: open-csms
              client_secret_file: s
              scopes: [email]
              session_lifetime: 10m
              roles:
                ops: platform-admin
                "tenant-{tenant}-admins": tenant-admin
            """
        ).yaml
        #expect(
            messages(tenantErrors(yaml)) == [
                "identity.issuer: must be an https:// URL, got \"login.acme.example\"",
                "identity.scopes: must include openid",
                "identity.session_lifetime: unknown key; expected one of: issuer, client_id, client_secret_file, "
                    + "redirect_uri, scopes, request_claims, access_token_audience, roles_claim, "
                    + "allow_insecure_loopback, jwks_refetch_interval, roles",
                "identity.roles.ops: must be one of tenant-admin, tenant-operator, tenant-viewer, got \"platform-admin\"",
            ])
    }

    @Test func rolesAreRequiredAndNotEmpty() {
        let missing = Fixtures.tenant.with(
            "identity", "identity:\n  issuer: https://idp.example\n  client_id: c\n  client_secret_file: s")
        #expect(messages(tenantErrors(missing.yaml)) == ["identity.roles: missing required key"])
        let empty = missing.with(
            "identity", "identity:\n  issuer: https://idp.example\n  client_id: c\n  client_secret_file: s\n  roles: {}"
        )
        #expect(
            tenantErrors(empty.yaml) == [
                "/etc/csms/tenants/demo.yaml:8:10: identity.roles: must map at least one claim value to a tenant role"
            ])
    }

    @Test func aTenantPatternIsAPlainClaimValueHere() throws {
        // `{tenant}` has no meaning in a tenant's own provider: the text is matched as written.
        let config = try decode(
            Fixtures.tenant.with(
                "identity",
                "identity:\n  issuer: https://idp.example\n  client_id: c\n  client_secret_file: s\n  roles:\n"
                    + "    \"{tenant}\": tenant-viewer"))
        #expect(config.identity?.roles == ["{tenant}": "tenant-viewer"])
    }

    @Test func renderingKeepsTheSection() throws {
        var config = try decode(Fixtures.tenant.with("identity", Self.identity))
        var text = config.render()
        #expect(try TenantConfig.decode(yaml: text, file: Fixtures.tenantFile, platform: nil) == config)
        config.identity?.redirectURI = "https://admin.csms.example.com/auth/callback"
        config.identity?.accessTokenAudience = "api"
        config.identity?.requestClaims = ["groups"]
        config.identity?.allowInsecureLoopback = true
        config.identity?.jwksRefetchInterval = .milliseconds(1500)
        config.identity?.roles["weird: \"value\""] = "tenant-operator"
        text = config.render()
        #expect(try TenantConfig.decode(yaml: text, file: "/elsewhere/demo.yaml", platform: nil) == config)
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ArgumentParser
import HTTPClient

/// Where and as whom the CLI talks to one tenant's REST API (`/api/v1` on `<slug>.<base-domain>`).
struct TenantConnection: Equatable, Sendable {
    var baseURL: String
    var credential: String
    /// The credential is the session `open-csms login` stored (a 401 then means: log in again).
    var fromStoredSession: Bool
    var timeout: Duration
}

/// A usage problem found before any request is made; printed as it is.
struct TenantTargetError: Error, Equatable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Options of the commands that call a tenant's API.
struct TenantOptions: ParsableArguments {
    @Option(help: "The tenant's slug.")
    var tenant: String

    @Option(
        help: ArgumentHelp(
            "URL of the tenant's API instead of https://<slug>.<base-domain>.",
            discussion:
                "For installs without DNS for the tenant's name, e.g. a worker's own port (http.tcp_listen in the "
                + "tenant file): http://127.0.0.1:8081. Plain http is only allowed to loopback."))
    var tenantURL: String?

    @Option(help: "The platform's base domain; the tenant's API is https://<slug>.<base-domain>.")
    var baseDomain: String?

    @Option(
        help: ArgumentHelp(
            "The control plane URL given to open-csms login (default: $OPEN_CSMS_URL, else \(GlobalOptions.defaultURL)); "
                + "finds the stored session, and the base domain when its host is admin.<base-domain>."))
    var adminURL: String?

    @Option(
        help: ArgumentHelp(
            "Tenant API key (default: $OPEN_CSMS_TENANT_API_KEY, else the session stored by open-csms login). "
                + "Prefer --api-key-file: arguments are visible to other users."))
    var apiKey: String?

    @Option(help: "File (mode 0600) holding the tenant API key.")
    var apiKeyFile: String?

    @Option(help: "Seconds to wait for the whole exchange.")
    var timeout = 300

    func validate() throws {
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be 1 to 3600 seconds") }
        if apiKey != nil && apiKeyFile != nil {
            throw ValidationError("give either --api-key or --api-key-file, not both")
        }
        if tenantURL != nil && baseDomain != nil {
            throw ValidationError("give either --tenant-url or --base-domain, not both")
        }
    }

    /// The control plane URL: the option, then `$OPEN_CSMS_URL`, then the default.
    func resolvedAdminURL(environment: [String: String]) -> String {
        AdminURL.resolve(adminURL, environment: environment)
    }

    /// The tenant's API URL: `--tenant-url`, else `https://<slug>.<base-domain>` from
    /// `--base-domain` or from an admin URL whose host is `admin.<base-domain>` (same scheme and port).
    func resolvedTenantURL(environment: [String: String]) throws(TenantTargetError) -> String {
        if let tenantURL {
            guard tenantURL.hasPrefix("http://") || tenantURL.hasPrefix("https://") else {
                throw TenantTargetError("--tenant-url must be http(s)://host[:port], got '\(tenantURL)'")
            }
            return tenantURL.trimmingTrailingSlashes
        }
        if let baseDomain {
            return "https://\(tenant).\(baseDomain.trimmingTrailingSlashes)"
        }
        let admin = resolvedAdminURL(environment: environment)
        if let parsed = try? HTTPClientURL.parse(admin), parsed.host.hasPrefix("admin."), parsed.host.count > 6 {
            let defaultPort = parsed.scheme == "https" ? 443 : 80
            let port = parsed.port == defaultPort ? "" : ":\(parsed.port)"
            return "\(parsed.scheme)://\(tenant).\(parsed.host.dropFirst(6))\(port)"
        }
        throw TenantTargetError(
            "cannot tell where tenant \(tenant)'s API is from \(admin): give --base-domain (the tenant is then "
                + "https://\(tenant).<base-domain>) or --tenant-url")
    }

    /// The connection: the key from the options or `$OPEN_CSMS_TENANT_API_KEY`, else the session
    /// `open-csms login` stored for this tenant (or a platform session) at the control plane.
    /// `sessions` is only read when no key is given.
    func connection(
        environment: [String: String], readSecret: (String) throws -> String,
        sessions: () throws(CredentialsError) -> [StoredSession], now: Int64
    ) throws(TenantTargetError) -> TenantConnection {
        let url = try resolvedTenantURL(environment: environment)
        var key = apiKey
        if let apiKeyFile {
            do {
                key = try readSecret(apiKeyFile)
            } catch {
                throw TenantTargetError("--api-key-file: \(error)")
            }
        }
        if key == nil { key = environment["OPEN_CSMS_TENANT_API_KEY"].flatMap { $0.isEmpty ? nil : $0 } }
        if let key {
            return TenantConnection(baseURL: url, credential: key, fromStoredSession: false, timeout: .seconds(timeout))
        }
        let admin = resolvedAdminURL(environment: environment)
        let session: StoredSession?
        do {
            session = try SessionLookup.token(in: try sessions(), adminURL: admin, tenant: tenant, now: now)
        } catch {
            throw TenantTargetError(error.message)
        }
        guard let session else {
            throw TenantTargetError(
                "no credentials for tenant \(tenant): run open-csms login --tenant \(tenant) (with --admin-url "
                    + "\(CredentialsFile.key(forAdminURL: admin)) if that is not the control plane), or give "
                    + "--api-key-file or $OPEN_CSMS_TENANT_API_KEY")
        }
        return TenantConnection(
            baseURL: url, credential: session.accessToken, fromStoredSession: true, timeout: .seconds(timeout))
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// One tenant's configuration, from `tenants/<slug>.yaml`. See docs/configuration.md.
public struct TenantConfig: Sendable, Equatable {
    /// The tenant's DNS label: `<slug>.<base_domain>`. Equal to the file name without `.yaml`.
    public var slug: String
    /// 1–200 characters, no control characters.
    public var displayName: String
    /// The name of a plan in `platform.yaml`.
    public var plan: String
    /// A suspended tenant keeps its data but gets no worker; the router answers 403. Default false.
    public var suspended: Bool
    public var ocpp: OCPPSettings
    /// nil: OCPI roaming is off for this tenant.
    public var ocpi: OCPISettings?
    public var limits: LimitSettings
    public var http: HTTPSettings
    /// The tenant's TLS server certificate; nil: the tenant is served over plain HTTP only, which
    /// security profiles 2 and 3 do not allow.
    public var tls: TLSSettings?
    /// Keys for the tenant REST API, by SHA-256; empty by default.
    public var apiKeys: [APIKey]
    /// The tenant's own OpenID Connect provider; nil: its people log in through the platform's.
    public var identity: IdentitySettings?

    public init(
        slug: String, displayName: String, plan: String, suspended: Bool = false,
        ocpp: OCPPSettings = OCPPSettings(), ocpi: OCPISettings? = nil, limits: LimitSettings = LimitSettings(),
        http: HTTPSettings = HTTPSettings(), tls: TLSSettings? = nil, apiKeys: [APIKey] = [],
        identity: IdentitySettings? = nil
    ) {
        self.slug = slug
        self.displayName = displayName
        self.plan = plan
        self.suspended = suspended
        self.ocpp = ocpp
        self.ocpi = ocpi
        self.limits = limits
        self.http = http
        self.tls = tls
        self.apiKeys = apiKeys
        self.identity = identity
    }

    /// OCPP-J WebSocket subprotocol names (OCPP-J 1.6 §3.1.2, OCPP 2.0.1 Part 4 §3.1.2).
    public enum OCPPVersion: String, Sendable, CaseIterable, Hashable {
        case ocpp16 = "ocpp1.6"
        case ocpp201 = "ocpp2.0.1"
    }

    /// What happens when a station the tenant has not registered connects.
    public enum UnknownStationPolicy: String, Sendable, CaseIterable, Hashable {
        /// The WebSocket upgrade is refused.
        case reject
        /// The station is accepted, answered BootNotification `Pending`, and listed for an operator
        /// to approve.
        case pending
    }

    /// OCPI 2.2.1 roles (OCPI 2.2.1 §"Terminology and Definitions").
    public enum OCPIRole: String, Sendable, CaseIterable, Hashable {
        case cpo = "CPO"
        case hub = "HUB"
    }

    /// `ocpp`.
    public struct OCPPSettings: Sendable, Equatable {
        public static let defaultAllowedVersions: [OCPPVersion] = [.ocpp16, .ocpp201]
        public static let defaultHeartbeatInterval = Duration.seconds(300)
        public static let defaultResponseTimeout = Duration.seconds(30)
        public static let defaultMaxMessageSize = 65536
        public static let defaultFrameLogRetentionDays = 30

        public static let heartbeatIntervalRange = Duration.seconds(10)...Duration.seconds(86400)
        public static let responseTimeoutRange = Duration.seconds(1)...Duration.seconds(600)
        public static let maxMessageSizeRange = 1024...(16 * 1024 * 1024)
        public static let frameLogRetentionDaysRange = 1...3650

        /// Subprotocols accepted at the WebSocket upgrade; non-empty, no repeats; default both.
        public var allowedVersions: [OCPPVersion]
        /// The interval sent in BootNotification responses; 10s–24h, default 300s.
        public var heartbeatInterval: Duration
        /// OCPP security profile 1 (basic auth), 2 (TLS + basic auth) or 3 (TLS client certificates);
        /// default 1. Profiles 2 and 3 need `tls`, profile 3 also `tls.client_ca`.
        public var securityProfile: Int
        /// Default `reject`.
        public var unknownStations: UnknownStationPolicy
        /// How long the CSMS waits for a station's answer to a CALL; 1s–10m, default 30s.
        public var responseTimeout: Duration
        /// The largest WebSocket message accepted, in bytes; 1 KiB–16 MiB, default 65536.
        public var maxMessageSize: Int
        /// How long raw OCPP frames are kept for diagnosis; 1–3650 days, default 30.
        public var frameLogRetentionDays: Int
        /// Vendor ids whose DataTransfer messages this CSMS accepts; any other gets `UnknownVendorId`.
        public var dataTransferVendors: [String]

        public init(
            allowedVersions: [OCPPVersion] = defaultAllowedVersions,
            heartbeatInterval: Duration = defaultHeartbeatInterval, securityProfile: Int = 1,
            unknownStations: UnknownStationPolicy = .reject, responseTimeout: Duration = defaultResponseTimeout,
            maxMessageSize: Int = defaultMaxMessageSize, frameLogRetentionDays: Int = defaultFrameLogRetentionDays,
            dataTransferVendors: [String] = []
        ) {
            self.allowedVersions = allowedVersions
            self.heartbeatInterval = heartbeatInterval
            self.securityProfile = securityProfile
            self.unknownStations = unknownStations
            self.responseTimeout = responseTimeout
            self.maxMessageSize = maxMessageSize
            self.frameLogRetentionDays = frameLogRetentionDays
            self.dataTransferVendors = dataTransferVendors
        }
    }

    /// `ocpi`: the tenant's OCPI party.
    public struct OCPISettings: Sendable, Equatable {
        /// ISO 3166-1 alpha-2, two capital letters.
        public var countryCode: String
        /// Three characters A-Z, 0-9 (OCPI 2.2.1 §"CiString(3)" party id, upper case here).
        public var partyID: String
        /// Non-empty, no repeats; default `[CPO]`.
        public var roles: [OCPIRole]

        public init(countryCode: String, partyID: String, roles: [OCPIRole] = [.cpo]) {
            self.countryCode = countryCode
            self.partyID = partyID
            self.roles = roles
        }
    }

    /// `limits`: overrides of the plan's limits for this tenant.
    public struct LimitSettings: Sendable, Equatable {
        /// Replaces the plan's `max_stations`; at least 1.
        public var maxStations: Int?
        /// Replaces the plan's `api_requests_per_second`; at least 1.
        public var apiRequestsPerSecond: Int?

        public init(maxStations: Int? = nil, apiRequestsPerSecond: Int? = nil) {
            self.maxStations = maxStations
            self.apiRequestsPerSecond = apiRequestsPerSecond
        }
    }

    /// `http`.
    public struct HTTPSettings: Sendable, Equatable {
        /// A TCP address the worker listens on itself, for a single-tenant install without the
        /// control plane's router; nil (the default) when connections only come from the router.
        public var tcpListen: HostPort?

        public init(tcpListen: HostPort? = nil) {
            self.tcpListen = tcpListen
        }
    }

    /// `tls`: PEM files of the certificate the worker presents for `<slug>.<base_domain>` (and on
    /// its own `http.tcp_listen`), and of the CAs a station certificate must chain to. The worker
    /// terminates TLS itself, so each tenant brings its own certificate and, for security profile
    /// 3, its own station CA (ARCHITECTURE.md "Edge router"). Paths are absolute: relative ones are
    /// resolved against the folder of the tenant file when it is read.
    public struct TLSSettings: Sendable, Equatable {
        /// The server certificate first, then its intermediates.
        public var certificate: String
        /// The certificate's unencrypted private key.
        public var privateKey: String
        /// CA certificates that station certificates must chain to; required for security profile
        /// 3 (OCPP security white paper A00.FR.403), not used by profiles 1 and 2.
        public var clientCA: String?

        public init(certificate: String, privateKey: String, clientCA: String? = nil) {
            self.certificate = certificate
            self.privateKey = privateKey
            self.clientCA = clientCA
        }
    }

    /// One entry of `api_keys`. The file holds the key's SHA-256, never the key.
    public struct APIKey: Sendable, Equatable {
        /// 1–64 characters of A-Z, a-z, 0-9, `.`, `_`, `-`; unique in the file.
        public var name: String
        /// 64 lowercase hexadecimal digits; unique in the file.
        public var sha256: String

        public init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256
        }
    }

    /// `identity`: the tenant's own OpenID Connect provider (issue 6). Logins for this tenant go to
    /// it instead of the platform's, and its identities get roles for this tenant only, by `roles`
    /// (exact claim values; no `{tenant}` patterns, the provider serves one tenant). The control
    /// plane's callback serves every provider, so `redirect_uri` defaults to the platform's.
    public struct IdentitySettings: Sendable, Equatable {
        /// The roles a tenant's identities can have.
        public static let roleNames: Set<String> = ["tenant-admin", "tenant-operator", "tenant-viewer"]

        /// Compared by exact string equality with the discovery document's and every token's `iss`.
        public var issuer: String
        public var clientID: String
        /// A file holding the client secret (never the secret itself in the tenant file); absolute,
        /// a relative path is resolved against the folder of the tenant file when it is read.
        public var clientSecretFile: String
        /// Default: the platform's `https://admin.<base_domain>/auth/callback` (or platform.yaml
        /// `identity.redirect_uri`).
        public var redirectURI: String?
        /// Must include `openid`; default openid, profile, email.
        public var scopes: [String]
        /// ID-token claims asked for explicitly (OIDC Core §5.5 `claims`), e.g. `groups`.
        public var requestClaims: [String]
        /// `aud` of this provider's access tokens exchanged at `/auth/token`; default the client id.
        public var accessTokenAudience: String?
        /// The list claim holding group names; default `groups`.
        public var rolesClaim: String
        /// Claim value → tenant-admin / tenant-operator / tenant-viewer.
        public var roles: [String: String]
        /// Allows an `http://` issuer on a loopback address (development and tests only).
        public var allowInsecureLoopback: Bool
        /// An unknown `kid` fetches the provider's JWK Set again at most this often; default 60 s.
        public var jwksRefetchInterval: Duration

        public init(
            issuer: String, clientID: String, clientSecretFile: String, redirectURI: String? = nil,
            scopes: [String] = ["openid", "profile", "email"], requestClaims: [String] = [],
            accessTokenAudience: String? = nil, rolesClaim: String = "groups", roles: [String: String] = [:],
            allowInsecureLoopback: Bool = false, jwksRefetchInterval: Duration = .seconds(60)
        ) {
            self.issuer = issuer
            self.clientID = clientID
            self.clientSecretFile = clientSecretFile
            self.redirectURI = redirectURI
            self.scopes = scopes
            self.requestClaims = requestClaims
            self.accessTokenAudience = accessTokenAudience
            self.rolesClaim = rolesClaim
            self.roles = roles
            self.allowInsecureLoopback = allowInsecureLoopback
            self.jwksRefetchInterval = jwksRefetchInterval
        }
    }
}

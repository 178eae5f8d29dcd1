// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Config
import Foundation
import Hummingbird
import OCPPRPC
import Postgres

/// The tenant REST endpoints needed to drive OCPP: stations, transactions, tokens and remote
/// commands, under `/api/v1`, behind the tenant API key. JSON keys are snake_case, times RFC 3339,
/// errors RFC 9457 problem documents.
struct TenantAPI: Sendable {
    let runtime: OCPPRuntime
    let apiKeys: [TenantConfig.APIKey]
    /// Every authenticated API request is counted for the tenant's monthly usage.
    let usage: UsageMeter
    /// The plan's request rate, counted in Redis (nil: unlimited).
    let rateLimit: (limiter: SharedRateLimiter, perSecond: Int)?

    var store: any ChargingStore { runtime.store }

    /// Who may call (API keys, session tokens, the tenant file's keys) and the audit log.
    let access: Access

    /// The tenant's database pool (as its own role), for the routes' own stores.
    let postgres: PGPool

    struct Access: Sendable {
        let keys: APIKeyStore
        let sessions: (any SessionVerifying)?
        let audit: AuditLog
    }

    func register(on router: Router<TenantRequestContext>) {
        TenantOpenAPI.register(on: router)  // GET /api/v1/openapi.json, public: outside the group below
        var api = router.group("api/v1").add(
            middleware: AuthenticationMiddleware(
                configKeys: apiKeys, keys: access.keys, sessions: access.sessions, usage: usage))
        if let rateLimit {
            api = api.add(middleware: RateLimitMiddleware(limiter: rateLimit.limiter, perSecond: rateLimit.perSecond))
        }
        api = api.add(middleware: AuditMiddleware(log: access.audit))
        APIKeyRoutes(keys: access.keys).register(on: api)
        TokenRoutes(postgres: postgres).register(on: api)
        GroupRoutes(postgres: postgres).register(on: api)
        StationRoutes(runtime: runtime, postgres: postgres).register(on: api)
        TransactionRoutes(postgres: postgres).register(on: api)
        AuditRoutes(postgres: postgres).register(on: api)
    }
}

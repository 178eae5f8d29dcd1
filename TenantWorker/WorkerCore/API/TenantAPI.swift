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
        var api = router.group("api/v1").add(
            middleware: AuthenticationMiddleware(
                configKeys: apiKeys, keys: access.keys, sessions: access.sessions, usage: usage))
        if let rateLimit {
            api = api.add(middleware: RateLimitMiddleware(limiter: rateLimit.limiter, perSecond: rateLimit.perSecond))
        }
        api = api.add(middleware: AuditMiddleware(log: access.audit))
        api.get("stations") { request, context in
            try context.require(.read)
            return try await listStations(request)
        }
        api.post("stations") { request, context in
            try context.require(.write)
            return try await createStation(request)
        }
        api.get("stations/{id}") { _, context in
            try context.require(.read)
            return try await station(try context.parameters.require("id"))
        }
        api.post("stations/{id}/commands/{command}") { request, context in
            try context.require(.commands)
            return try await command(
                request, identity: try context.parameters.require("id"),
                action: try context.parameters.require("command"))
        }
        api.get("transactions") { request, context in
            try context.require(.read)
            return try await listTransactions(request)
        }
        api.get("transactions/{id}") { _, context in
            try context.require(.read)
            return try await transaction(try context.parameters.require("id"))
        }
        api.post("tokens") { request, context in
            try context.require(.write)
            return try await createToken(request)
        }
        APIKeyRoutes(keys: access.keys).register(on: api)
        // Id tokens: CRUD, bulk import and export (TokenRoutes.swift).
        // Groups of id tokens (GroupRoutes.swift).
        // Stations, EVSEs, connectors, registration (StationRoutes.swift).
        // Transactions and meter values (TransactionRoutes.swift).
        // The audit log (AuditRoutes.swift).
    }

    // MARK: Stations

    func listStations(_ request: Request) async throws -> JSONBody {
        let limit = try request.uri.queryParameters.get("limit").map(parseLimit) ?? 100
        let stations = try await store.listStations(limit: limit)
        var items: [JSONValue] = []
        for station in stations {
            items.append(.object(stationJSON(station, connected: await runtime.registry.isConnected(station.identity))))
        }
        return JSONBody(["items": .array(items)])
    }

    func station(_ identity: String) async throws -> JSONBody {
        guard let station = try await store.station(identity: identity) else {
            throw ProblemDocument.notFound("no station \(identity)")
        }
        var object = stationJSON(station, connected: await runtime.registry.isConnected(identity))
        let statuses = (try? await store.liveStatuses(identity: identity)) ?? []
        object["connectors"] = .array(
            statuses.sorted { ($0.evseId, $0.connectorId) < ($1.evseId, $1.connectorId) }.map { status in
                var c: JSONObject = [
                    "evse_id": .integer(Int64(status.evseId)), "connector_id": .integer(Int64(status.connectorId)),
                    "status": .string(status.status), "timestamp": .string(OCPPDateTime.format(status.timestamp)),
                ]
                c["error_code"] = status.errorCode.map(JSONValue.string)
                c["info"] = status.info.map(JSONValue.string)
                c["vendor_error_code"] = status.vendorErrorCode.map(JSONValue.string)
                return .object(c)
            })
        return JSONBody(.object(object))
    }

    func createStation(_ request: Request) async throws -> JSONBody {
        let body = try await request.jsonObject()
        guard let identity = body.string("identity") else {
            throw ProblemDocument(status: .unprocessableContent, detail: "'identity' (string) is required")
        }
        if let error = ConnectionRequest.validate(identity: identity) {
            throw ProblemDocument(status: .unprocessableContent, detail: error.description)
        }
        let statusText = body.string("registration_status") ?? "accepted"
        guard let status = RegistrationStatus(rawValue: statusText) else {
            throw ProblemDocument(
                status: .unprocessableContent, detail: "'registration_status' must be accepted, pending or rejected")
        }
        var hash: String?
        if let password = body.string("password") {
            // OCPP security profiles 1/2: the password is 16 to 40 characters (1.6 security white
            // paper A00.FR.204/205; 2.0.1 BasicAuthPassword).
            guard (16...40).contains(password.count), password.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw ProblemDocument(
                    status: .unprocessableContent,
                    detail: "'password' must be 16 to 40 printable ASCII characters without spaces")
            }
            hash = try await runtime.authenticator.hash(password)
        }
        let existed = try await store.station(identity: identity) != nil
        let station = try await store.upsertStation(identity: identity, registrationStatus: status, passwordHash: hash)
        return JSONBody(
            status: existed ? .ok : .created,
            .object(stationJSON(station, connected: await runtime.registry.isConnected(identity))))
    }

    private func stationJSON(_ s: StationRecord, connected: Bool) -> JSONObject {
        var o: JSONObject = [
            "identity": .string(s.identity), "registration_status": .string(s.registrationStatus.rawValue),
            "connected": .bool(connected), "password_set": .bool(s.passwordHash != nil),
            "created_at": .string(OCPPDateTime.format(s.createdAt)),
        ]
        o["ocpp_version"] = s.ocppVersion.map(JSONValue.string)
        o["vendor"] = s.vendor.map(JSONValue.string)
        o["model"] = s.model.map(JSONValue.string)
        o["serial_number"] = s.serialNumber.map(JSONValue.string)
        o["firmware_version"] = s.firmwareVersion.map(JSONValue.string)
        o["last_boot_at"] = s.lastBootAt.map { .string(OCPPDateTime.format($0)) }
        o["last_seen_at"] = s.lastSeenAt.map { .string(OCPPDateTime.format($0)) }
        return o
    }

    // MARK: Transactions

    func listTransactions(_ request: Request) async throws -> JSONBody {
        let query = request.uri.queryParameters
        let status = query.get("status")
        if let status, !["active", "completed", "orphan"].contains(status) {
            throw ProblemDocument.badRequest("'status' must be active, completed or orphan")
        }
        let limit = try query.get("limit").map(parseLimit) ?? 100
        let records = try await store.transactions(
            filter: TransactionFilter(stationIdentity: query.get("station"), status: status, limit: limit))
        return JSONBody(["items": .array(records.map { .object(transactionJSON($0)) })])
    }

    func transaction(_ id: String) async throws -> JSONBody {
        guard let pk = Int64(id), pk > 0 else { throw ProblemDocument.notFound("no transaction \(id)") }
        guard let (record, samples) = try await store.transaction(pk: pk) else {
            throw ProblemDocument.notFound("no transaction \(id)")
        }
        var object = transactionJSON(record)
        object["meter_values"] = .array(
            samples.map { sample in
                var m: JSONObject = [
                    "sampled_at": .string(OCPPDateTime.format(sample.sampledAt)),
                    "measurand": .string(sample.measurand),
                    "value": .number(sample.value),
                ]
                m["phase"] = sample.phase.map(JSONValue.string)
                m["unit"] = sample.unit.map(JSONValue.string)
                m["context"] = sample.context.map(JSONValue.string)
                m["location"] = sample.location.map(JSONValue.string)
                return .object(m)
            })
        return JSONBody(.object(object))
    }

    private func transactionJSON(_ t: TransactionRecord) -> JSONObject {
        var o: JSONObject = [
            "id": .integer(t.pk), "station": .string(t.stationIdentity), "remote_id": .string(t.remoteId),
            "status": .string(t.status),
        ]
        o["evse_id"] = t.evseId.map { .integer(Int64($0)) }
        o["connector_id"] = t.connectorId.map { .integer(Int64($0)) }
        o["id_token"] = t.idToken.map(JSONValue.string)
        o["started_at"] = t.startedAt.map { .string(OCPPDateTime.format($0)) }
        o["stopped_at"] = t.stoppedAt.map { .string(OCPPDateTime.format($0)) }
        o["meter_start_wh"] = t.meterStartWh.map(JSONValue.number)
        o["meter_stop_wh"] = t.meterStopWh.map(JSONValue.number)
        o["energy_wh"] = t.energyWh.map(JSONValue.number)
        o["stop_reason"] = t.stopReason.map(JSONValue.string)
        return o
    }

    // MARK: Tokens

    static let tokenTypes: Set<String> = [
        "Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization",
    ]

    func createToken(_ request: Request) async throws -> JSONBody {
        let body = try await request.jsonObject()
        guard let token = body.string("token"), (1...36).contains(token.count) else {
            throw ProblemDocument(
                status: .unprocessableContent, detail: "'token' (string of 1 to 36 characters) is required")
        }
        let type = body.string("type") ?? "Central"
        guard Self.tokenTypes.contains(type) else {
            throw ProblemDocument(
                status: .unprocessableContent,
                detail: "'type' must be one of \(Self.tokenTypes.sorted().joined(separator: ", "))")
        }
        let status = body.string("status") ?? "accepted"
        guard ["accepted", "blocked", "expired", "invalid"].contains(status) else {
            throw ProblemDocument(
                status: .unprocessableContent, detail: "'status' must be accepted, blocked, expired or invalid")
        }
        var expiresAt: Date?
        if let text = body.string("expires_at") {
            guard let date = OCPPDateTime.parse(text) else {
                throw ProblemDocument(
                    status: .unprocessableContent, detail: "'expires_at' must be an RFC 3339 date-time")
            }
            expiresAt = date
        }
        let parent = body.string("parent_token")
        if let parent, !(1...36).contains(parent.count) {
            throw ProblemDocument(status: .unprocessableContent, detail: "'parent_token' must be 1 to 36 characters")
        }
        let record = try await store.upsertToken(
            TokenInput(token: token, type: type, status: status, expiresAt: expiresAt, parentToken: parent))
        var o: JSONObject = [
            "token": .string(record.token), "type": .string(record.type), "status": .string(record.status),
            "created_at": .string(OCPPDateTime.format(record.createdAt)),
        ]
        o["expires_at"] = record.expiresAt.map { .string(OCPPDateTime.format($0)) }
        o["parent_token"] = record.parentToken.map(JSONValue.string)
        return JSONBody(status: .created, .object(o))
    }

    // MARK: Commands

    /// Sends an OCPP CALL to a connected station and returns its answer. The command is the OCPP
    /// action name of the station's protocol version and the body its request payload, checked
    /// against the official schema before anything is sent.
    func command(_ request: Request, identity: String, action: String) async throws -> JSONBody {
        let payload = try await request.jsonObject()
        guard try await store.station(identity: identity) != nil else {
            throw ProblemDocument.notFound("no station \(identity)")
        }
        guard let connection = await runtime.registry.connection(identity) else {
            throw ProblemDocument(status: .conflict, detail: "station \(identity) is not connected")
        }
        let version = connection.version
        let allowed = runtime.catalog.commands(version)
        guard allowed.contains(action) else {
            throw ProblemDocument(
                status: .badRequest,
                detail:
                    "\(action) is not a command for \(version.rawValue) stations; use one of \(allowed.sorted().joined(separator: ", "))"
            )
        }
        if let schema = runtime.catalog.requestSchema(version, action), let violation = schema.validate(payload) {
            throw ProblemDocument(
                status: .unprocessableContent,
                detail:
                    "the \(action) payload does not match the OCPP \(version.rawValue) schema: \(violation.message)",
                extensions: [
                    "pointer": .string(violation.path),
                    "ocpp_error_code": .string(violation.code.wireName(for: version)),
                ])
        }
        switch await connection.call(action: action, payload: payload) {
        case .result(let response):
            return JSONBody(["action": .string(action), "response": .object(response)])
        case .error(let code, let description, let details):
            throw ProblemDocument(
                status: .badGateway, title: "Station answered with an error",
                detail: "station \(identity) answered \(action) with \(code.wireName(for: version)): \(description)",
                extensions: [
                    "ocpp_error_code": .string(code.wireName(for: version)), "ocpp_error_details": .object(details),
                ])
        case .timeout:
            throw ProblemDocument(
                status: .gatewayTimeout,
                detail: "station \(identity) did not answer \(action) within \(runtime.settings.responseTimeout)")
        case .failed(let reason):
            throw ProblemDocument(
                status: .serviceUnavailable, detail: "\(action) could not be completed: \(reason)",
                headers: [.retryAfter: "5"])
        }
    }

    private func parseLimit(_ text: String) throws -> Int {
        guard let n = Int(text), (1...1000).contains(n) else {
            throw ProblemDocument.badRequest("'limit' must be an integer from 1 to 1000")
        }
        return n
    }
}

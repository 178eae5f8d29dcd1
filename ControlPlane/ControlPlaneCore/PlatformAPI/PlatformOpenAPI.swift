// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import Config
import HTTPTypes
import Hummingbird
import JSON
import NIOCore

/// The OpenAPI 3.1 document of the platform API (docs/platform-api.md), served without a credential
/// at `GET /platform/v1/openapi.json`.
///
/// Every operation is one ``PlatformOpenAPI/Operation`` in ``PlatformOpenAPI/operations``; the
/// answers every operation has (401 and 403 for the credential, 400/413/415/422 for a JSON body)
/// are added by ``PlatformOpenAPI/Operation/json``. PlatformOpenAPITests compares the documented
/// operations with the routes the router really has; Tests/EndToEnd/test_openapi.py runs
/// schemathesis against the live control plane.
enum PlatformOpenAPI {
    static let basePath = "/platform/v1"

    static let document: JSONValue = build()
    static let bytes: [UInt8] = document.serialized()

    /// Registers the document on the router itself: the authenticated `/platform/v1` group (and
    /// its catch-all 404) is a group of its own, and a constant path outranks its `**`.
    static func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("platform/v1/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    // MARK: Operations

    static let operations: [Operation] = [
        Operation(
            .get, "/openapi.json", id: "getOpenAPIDocument", tag: "Document",
            summary: "This OpenAPI 3.1 document (no credential needed)", public: true,
            responses: [.json(200, "The document.", ["type": "object"])]),

        // Tenants (PlatformAPI.swift).
        Operation(
            .get, "/tenants", id: "listTenants", tag: "Tenants", summary: "List tenants",
            parameters: [flag("include_deleted", "Also list deleted tenants whose data is retained.")],
            responses: [
                .json(200, "The tenants.", items(of: "Tenant")),
                .problem(422, "A query parameter is not valid.", type: invalidRequest),
            ]),
        Operation(
            .post, "/tenants", id: "createTenant", tag: "Tenants",
            summary: "Create a tenant: database role, Redis user, tenant file, worker (rolled back on failure)",
            body: .ref("NewTenant"),
            responses: [
                .json(
                    201, "The tenant, active with a healthy worker.", .ref("Tenant"), headers: ["Location": location]),
                .problem(409, "The slug is taken, or the tenant file exists already."),
                operationFailed,
            ]),
        Operation(
            .get, "/tenants/{slug}", id: "getTenant", tag: "Tenants", summary: "A tenant (also a deleted one)",
            parameters: [slug],
            responses: [.json(200, "The tenant.", .ref("Tenant")), .problem(404, "No such tenant.")]),
        Operation(
            .patch, "/tenants/{slug}", id: "updateTenant", tag: "Tenants",
            summary: "Change a tenant (an active tenant's worker gets a rolling restart)", parameters: [slug],
            body: .ref("TenantChanges"),
            responses: [
                .json(200, "The tenant.", .ref("Tenant")), .problem(404, "No such tenant."),
                .problem(409, "The tenant is being provisioned or is deleted."), operationFailed,
            ]),
        Operation(
            .delete, "/tenants/{slug}", id: "deleteTenant", tag: "Tenants",
            summary: "Delete a tenant (data retained), or erase it with `erase_data=true`",
            parameters: [slug, flag("erase_data", "Erase every row of the tenant (GDPR Art. 17).")],
            responses: [
                .json(200, "The deleted tenant, its data retained.", .ref("Tenant")),
                .empty(204, "The tenant and its data are erased."),
                .problem(404, "No such tenant."), .problem(409, "The tenant is being provisioned."),
                .problem(422, "A query parameter is not valid.", type: invalidRequest), operationFailed,
            ]),
        Operation(
            .post, "/tenants/{slug}/suspend", id: "suspendTenant", tag: "Tenants",
            summary: "Suspend a tenant: its worker drains and stops", parameters: [slug],
            responses: [
                .json(200, "The tenant.", .ref("Tenant")), .problem(404, "No such tenant."),
                .problem(409, "The tenant is being provisioned or is deleted."), operationFailed,
            ]),
        Operation(
            .post, "/tenants/{slug}/resume", id: "resumeTenant", tag: "Tenants",
            summary: "Resume a suspended tenant (or restart a crash-looping worker)", parameters: [slug],
            responses: [
                .json(200, "The tenant.", .ref("Tenant")), .problem(404, "No such tenant."),
                .problem(409, "The tenant is being provisioned or is deleted."), operationFailed,
            ]),

        // Usage (Billing/UsageRoutes.swift).
        Operation(
            .get, "/tenants/{slug}/usage", id: "getTenantUsage", tag: "Usage",
            summary: "A tenant's metered usage of a month and its invoice preview",
            parameters: [
                slug,
                query(
                    "month", "The month, `YYYY-MM` from 2000 (default: the current month, UTC).",
                    ["type": "string", "pattern": "^[2-9][0-9]{3}-(0[1-9]|1[0-2])$"]),
            ],
            responses: [
                .json(200, "The usage.", .ref("Usage")), .problem(400, "The month is not valid."),
                .problem(404, "No such tenant."),
            ]),

        // Plans (PlatformAPI.swift).
        Operation(
            .get, "/plans", id: "listPlans", tag: "Plans", summary: "List billing plans",
            responses: [.json(200, "The plans.", items(of: "Plan"))]),
        Operation(
            .post, "/plans", id: "createPlan", tag: "Plans", summary: "Create a plan", body: .ref("NewPlan"),
            responses: [
                .json(201, "The plan.", .ref("Plan"), headers: ["Location": location]),
                .problem(409, "A plan of that name exists."),
            ]),
        Operation(
            .get, "/plans/{name}", id: "getPlan", tag: "Plans", summary: "A plan", parameters: [planName],
            responses: [.json(200, "The plan.", .ref("Plan")), .problem(404, "No such plan.")]),
        Operation(
            .put, "/plans/{name}", id: "putPlan", tag: "Plans",
            summary: "Create or replace a plan (members left out take their defaults)", parameters: [planName],
            body: .ref("PlanReplacement"),
            responses: [
                .json(200, "The plan was replaced.", .ref("Plan")),
                .json(201, "The plan was created.", .ref("Plan"), headers: ["Location": location]),
                .problem(409, "The plan is defined in platform.yaml, which is authoritative for it."),
            ]),
        Operation(
            .delete, "/plans/{name}", id: "deletePlan", tag: "Plans", summary: "Delete a plan no tenant is on",
            parameters: [planName],
            responses: [
                .empty(204, "The plan is deleted."), .problem(404, "No such plan."),
                .problem(409, "A tenant is on the plan, or platform.yaml defines it."),
            ]),

        // Workers (PlatformAPI.swift, WorkerRoutes.swift).
        Operation(
            .get, "/workers", id: "listWorkers", tag: "Workers", summary: "The worker of every tenant not deleted",
            responses: [.json(200, "The workers.", items(of: "WorkerSummary"))]),
        Operation(
            .post, "/workers/restart", id: "restartAllWorkers", tag: "Workers",
            summary: "Rolling restart of every worker, one after another",
            responses: [
                .json(200, "Every worker's state.", items(of: "WorkerState")),
                .problem(502, "A new worker did not become healthy; the restart stopped there."),
            ]),
        Operation(
            .post, "/workers/{slug}/restart", id: "restartWorker", tag: "Workers",
            summary: "Rolling restart of a tenant's worker", parameters: [slug],
            responses: [
                .json(200, "The worker's state.", .ref("WorkerState")), .problem(404, "No worker for this tenant."),
                .problem(409, "The worker is not running (stopped, starting, draining or crash-looping)."),
                .problem(502, "The new worker did not become healthy; the old one keeps serving."),
            ]),
        Operation(
            .post, "/workers/{slug}/resume", id: "resumeWorker", tag: "Workers",
            summary: "Start a worker the supervisor stopped restarting (crash loop)", parameters: [slug],
            responses: [
                .json(200, "The worker's state.", .ref("WorkerState")), .problem(404, "No worker for this tenant."),
                .problem(409, "The tenant is suspended: resume the tenant instead."),
                .problem(502, "The worker did not start."),
            ]),
    ]

    // MARK: Schemas

    static let schemas: JSONObject = [
        "Problem": object(
            [
                "type": ["type": "string", "description": "`about:blank` or an `urn:open-csms:problem:` URN."],
                "title": string, "status": ["type": "integer", "minimum": 400, "maximum": 599], "detail": string,
                "errors": array(.ref("FieldError")),
                "failed_step": string, "rolled_back": array(string), "rollback_failures": array(string),
            ], required: ["type", "title", "status", "detail"],
            description: "An RFC 9457 problem document; more extension members may follow."),
        "FieldError": object(
            ["field": string, "detail": string], required: ["field", "detail"],
            description: "One problem of a request: the member's key path and what is wrong with it."),
        "TenantStatus": oneOf(["provisioning", "active", "suspended", "deleted"]),
        "Tenant": object(
            [
                "id": string, "slug": string, "display_name": string, "plan": string,
                "status": .ref("TenantStatus"), "host": string("The tenant's host, `<slug>.<base_domain>`."),
                "created_at": string, "updated_at": string, "deleted_at": string, "data_retained_until": string,
                "ocpp": .ref("OCPPSettings"), "api_keys": array(.ref("TenantAPIKey")),
                "worker": .ref("WorkerSummary"),
            ], required: ["id", "slug", "display_name", "plan", "status", "host", "created_at", "updated_at"]),
        "TenantAPIKey": object(
            [
                "name": string,
                "sha256": string("The SHA-256 of the key, 64 hex digits."),
            ], required: ["name", "sha256"], closed: true),
        "OCPPVersion": oneOf(TenantConfig.OCPPVersion.allCases.map(\.rawValue)),
        "UnknownStations": oneOf(TenantConfig.UnknownStationPolicy.allCases.map(\.rawValue)),
        "OCPPSettings": object(
            [
                "allowed_versions": array(.ref("OCPPVersion")), "heartbeat_interval": string,
                "security_profile": ["type": "integer", "minimum": 1, "maximum": 3],
                "unknown_stations": .ref("UnknownStations"), "response_timeout": string,
                "max_message_size": integer, "frame_log_retention_days": integer,
                "data_transfer_vendors": array(string),
            ],
            required: [
                "allowed_versions", "heartbeat_interval", "security_profile", "unknown_stations", "response_timeout",
                "max_message_size", "frame_log_retention_days", "data_transfer_vendors",
            ]),
        "Duration": [
            "description": "A number of seconds or a duration such as `\"30s\"`, `\"5m\"`, `\"1h\"`.",
            "type": ["string", "integer"],
        ],
        "OCPPSettingsChanges": object(
            [
                "allowed_versions": array(.ref("OCPPVersion")), "heartbeat_interval": .ref("Duration"),
                "security_profile": ["type": "integer", "minimum": 1, "maximum": 3],
                "unknown_stations": .ref("UnknownStations"), "response_timeout": .ref("Duration"),
                "max_message_size": ["type": "integer", "minimum": 1024, "maximum": 16_777_216],
                "frame_log_retention_days": ["type": "integer", "minimum": 1, "maximum": 3650],
                "data_transfer_vendors": array(string),
            ], closed: true,
            description: "The members given change; the rules are the tenant file's (docs/configuration.md)."),
        "NewTenant": object(
            [
                "slug": string(
                    "A DNS label (1–63 of a-z, 0-9, '-', not at either end), not a reserved name."),
                "display_name": string, "plan": string("The name of an existing plan."),
                "ocpp": .ref("OCPPSettingsChanges"), "api_keys": array(.ref("TenantAPIKey")),
            ], required: ["slug", "display_name", "plan"], closed: true),
        "TenantChanges": object(
            [
                "display_name": string, "plan": string, "ocpp": .ref("OCPPSettingsChanges"),
                "api_keys": array(.ref("TenantAPIKey")),
            ], closed: true, description: "The members given change; `api_keys` replaces the list."),
        "WorkerSummary": object(
            [
                "slug": string,
                "state": string(
                    "starting, running, backing_off, crash_loop, draining or stopped (also for a suspended tenant)."),
                "healthy": boolean, "restarts": integer, "pid": ["type": ["integer", "null"]],
                "last_exit": nullableString, "tenant_status": .ref("TenantStatus"),
            ], required: ["slug", "state", "healthy", "restarts", "pid", "last_exit"]),
        "WorkerState": object(
            [
                "slug": string, "state": string, "healthy": boolean, "pid": ["type": ["integer", "null"]],
                "generation": ["type": ["integer", "null"]], "restarts": integer, "crash_loops": integer,
                "adopted": boolean, "last_exit": nullableString,
            ],
            required: [
                "slug", "state", "healthy", "pid", "generation", "restarts", "crash_loops", "adopted", "last_exit",
            ]),
        "Amount": [
            "type": "string", "pattern": "^[0-9]+\\.[0-9]{2,4}$",
            "description": "An exact decimal amount, at least two decimals (`\"49.00\"`).",
        ],
        "AmountInput": [
            "description":
                "A non-negative amount, at most 12 digits before and 4 after the point, as a string or number.",
            "oneOf": [
                ["type": "string", "pattern": "^[0-9]{1,12}(\\.[0-9]{1,4})?$"],
                ["type": "number", "minimum": 0, "maximum": 999_999_999_999],
            ],
        ],
        "Plan": object(
            [
                "name": string, "monthly_price": .ref("Amount"), "currency": string,
                "included_stations": integer, "price_per_extra_station": .ref("Amount"), "max_stations": integer,
                "max_concurrent_connections": integer, "api_requests_per_second": integer, "ocpi_enabled": boolean,
                "data_retention_days": integer, "source": oneOf(["config", "api"]),
                "tenants": integer("Tenants on the plan, deleted ones whose data is retained included."),
                "created_at": string, "updated_at": string,
            ],
            required: [
                "name", "monthly_price", "currency", "included_stations", "price_per_extra_station", "max_stations",
                "max_concurrent_connections", "api_requests_per_second", "ocpi_enabled", "data_retention_days",
                "source", "tenants", "created_at", "updated_at",
            ]),
        "NewPlan": ["allOf": [.ref("PlanReplacement"), ["required": ["name"]]]],
        "PlanReplacement": object(
            [
                "name": [
                    "type": "string", "pattern": "^[a-z0-9_-]{1,63}$",
                    "description": "In a PUT, the name in the path (or left out).",
                ],
                "monthly_price": .ref("AmountInput"),
                "currency": ["type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 (default EUR)."],
                "included_stations": ["type": "integer", "minimum": 0, "maximum": 2_147_483_647],
                "price_per_extra_station": .ref("AmountInput"),
                "max_stations": ["type": "integer", "minimum": 1, "maximum": 2_147_483_647],
                "max_concurrent_connections": ["type": "integer", "minimum": 1, "maximum": 2_147_483_647],
                "api_requests_per_second": ["type": "integer", "minimum": 1, "maximum": 2_147_483_647],
                "ocpi_enabled": boolean,
                "data_retention_days": ["type": "integer", "minimum": 1, "maximum": 3650],
                "source": ["description": "Read-only; accepted and ignored so a plan read can be sent back."],
                "tenants": ["description": "Read-only; accepted and ignored."],
                "created_at": ["description": "Read-only; accepted and ignored."],
                "updated_at": ["description": "Read-only; accepted and ignored."],
            ],
            required: ["monthly_price", "max_stations", "max_concurrent_connections", "api_requests_per_second"],
            closed: true,
            description: "A plan as in platform.yaml `plans`; `max_stations` must be at least `included_stations`."),
        "Usage": object(
            [
                "tenant": string, "month": string, "plan": string, "active_stations": integer,
                "sessions": integer, "energy_wh": number, "energy_kwh": number, "api_calls": integer,
                "invoice": object(
                    [
                        "currency": string, "monthly_price": .ref("Amount"), "included_stations": integer,
                        "extra_stations": integer, "price_per_extra_station": .ref("Amount"),
                        "extra_stations_amount": .ref("Amount"), "total": .ref("Amount"),
                    ],
                    required: [
                        "currency", "monthly_price", "included_stations", "extra_stations",
                        "price_per_extra_station", "extra_stations_amount", "total",
                    ]),
            ],
            required: [
                "tenant", "month", "plan", "active_stations", "sessions", "energy_wh", "energy_kwh", "api_calls",
                "invoice",
            ]),
    ]

    static let headers: JSONObject = [
        "WWW-Authenticate": [
            "required": true, "description": "RFC 6750 §3: `Bearer realm=\"open-csms-platform\"`, and why.",
            "schema": ["type": "string", "pattern": "^Bearer "],
        ],
        "Location": ["required": true, "description": "The new resource.", "schema": ["type": "string"]],
    ]

    // MARK: Building

    static func build() -> JSONValue {
        var paths = JSONObject()
        var tags: [String] = []
        for operation in operations {
            if !tags.contains(operation.tag) { tags.append(operation.tag) }
            var item: JSONObject
            if case .object(let existing)? = paths[operation.path] { item = existing } else { item = JSONObject() }
            item[operation.method.rawValue.lowercased()] = .object(operation.json)
            paths[operation.path] = .object(item)
        }
        return [
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": [
                "title": "Open-CSMS platform API",
                "version": .string(CSMSVersion.current),
                "summary": "Tenants, billing plans, usage and workers of an Open-CSMS platform.",
                "description": """
                The provider's interface (docs/platform-api.md). JSON in and out, member names \
                snake_case; errors are RFC 9457 problem documents (`application/problem+json`); a 422 \
                (`urn:open-csms:problem:invalid-request`) lists every problem in `errors`. Methods a \
                resource does not support get 405 with `Allow`.
                """,
                "license": ["name": "Apache-2.0", "identifier": "Apache-2.0"],
            ],
            "servers": [["url": .string(basePath), "description": "this control plane"]],
            "tags": .array(tags.map { ["name": .string($0)] }),
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas),
                "headers": .object(headers),
                "securitySchemes": [
                    "bearer": [
                        "type": "http", "scheme": "bearer",
                        "description": """
                        A platform API key (platform.yaml `platform_api_keys`, by SHA-256), or a platform \
                        session token: platform-admin may do everything, platform-operator may read and \
                        restart or resume workers; tenant roles get 403.
                        """,
                    ]
                ],
            ],
        ]
    }

    struct Operation: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var id: String
        var tag: String
        var summary: String
        var isPublic: Bool
        var parameters: [JSONValue]
        /// The JSON request body's schema.
        var body: JSONValue?
        var responses: [Answer]

        init(
            _ method: HTTPRequest.Method, _ path: String, id: String, tag: String, summary: String,
            public isPublic: Bool = false, parameters: [JSONValue] = [], body: JSONValue? = nil,
            responses: [Answer]
        ) {
            (self.method, self.path, self.id, self.tag, self.summary) = (method, path, id, tag, summary)
            (self.isPublic, self.parameters, self.body, self.responses) = (isPublic, parameters, body, responses)
        }

        var json: JSONObject {
            var o: JSONObject = ["tags": [.string(tag)], "operationId": .string(id), "summary": .string(summary)]
            var all = responses
            func add(_ response: Answer) {
                if !all.contains(where: { $0.status == response.status }) { all.append(response) }
            }
            if isPublic {
                o["security"] = []
            } else {
                o["security"] = [["bearer": []]]
                add(
                    .problem(
                        401, "No credential, or not a valid one.",
                        headers: ["WWW-Authenticate": ["$ref": "#/components/headers/WWW-Authenticate"]]))
                add(.problem(403, "The session's role may not do this."))
            }
            if !parameters.isEmpty { o["parameters"] = .array(parameters) }
            if let body {
                o["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]]
                add(.problem(400, "The body is not a JSON object."))
                add(.problem(413, "The body is larger than 64 KiB."))
                add(.problem(415, "The body is not `application/json`."))
                add(.problem(422, "The request is not valid; `errors` lists every problem.", type: invalidRequest))
            }
            var responsesObject = JSONObject()
            for response in all.sorted(by: { $0.status < $1.status }) {
                responsesObject[String(response.status)] = .object(response.json)
            }
            o["responses"] = .object(responsesObject)
            return o
        }
    }

    struct Answer: Sendable {
        var status: Int
        var description: String
        var content: (type: String, schema: JSONValue)?
        var headers: JSONObject = [:]

        static func json(
            _ status: Int, _ description: String, _ schema: JSONValue, headers: JSONObject = [:]
        )
            -> Answer
        {
            Answer(status: status, description: description, content: ("application/json", schema), headers: headers)
        }

        static func empty(_ status: Int, _ description: String) -> Answer {
            Answer(status: status, description: description, content: nil)
        }

        /// A problem document; `type`, when given, is the only `type` it has.
        static func problem(
            _ status: Int, _ description: String, type: String? = nil, headers: JSONObject = [:]
        )
            -> Answer
        {
            var schema: JSONValue = .ref("Problem")
            if let type {
                schema = ["allOf": [.ref("Problem"), ["properties": ["type": ["const": .string(type)]]]]]
            }
            return Answer(
                status: status, description: description, content: (PlatformProblem.contentType, schema),
                headers: headers)
        }

        var json: JSONObject {
            var o: JSONObject = ["description": .string(description)]
            if !headers.isEmpty { o["headers"] = .object(headers) }
            if let content {
                var media = JSONObject()
                media[content.type] = ["schema": content.schema]
                o["content"] = .object(media)
            }
            return o
        }
    }

    // MARK: Helpers

    static let invalidRequest = PlatformProblem.ProblemType.invalidRequest
    static let location: JSONValue = ["$ref": "#/components/headers/Location"]
    static let operationFailed = Answer.problem(
        500,
        "A step failed; `failed_step` names it, `rolled_back` lists the steps undone, `rollback_failures` what could not be.",
        type: PlatformProblem.ProblemType.operationFailed)
    static let slug = pathParameter("slug", "The tenant's slug.")
    static let planName = pathParameter("name", "The plan's name.")

    static let string: JSONValue = ["type": "string"]
    static let nullableString: JSONValue = ["type": ["string", "null"]]
    static let integer: JSONValue = ["type": "integer"]
    static let number: JSONValue = ["type": "number"]
    static let boolean: JSONValue = ["type": "boolean"]

    static func string(_ description: String) -> JSONValue { ["type": "string", "description": .string(description)] }
    static func integer(_ description: String) -> JSONValue {
        ["type": "integer", "description": .string(description)]
    }
    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }
    static func oneOf(_ values: [String]) -> JSONValue {
        ["type": "string", "enum": .array(values.map(JSONValue.string))]
    }
    static func items(of name: String) -> JSONValue { object(["items": array(.ref(name))], required: ["items"]) }

    static func object(
        _ properties: JSONObject, required: [String] = [], closed: Bool = false, description: String? = nil
    ) -> JSONValue {
        var o: JSONObject = ["type": "object"]
        if let description { o["description"] = .string(description) }
        o["properties"] = .object(properties)
        if !required.isEmpty { o["required"] = .array(required.map(JSONValue.string)) }
        if closed { o["additionalProperties"] = false }
        return .object(o)
    }

    static func pathParameter(_ name: String, _ description: String) -> JSONValue {
        [
            "name": .string(name), "in": "path", "required": true, "description": .string(description),
            "schema": ["type": "string", "minLength": 1],
        ]
    }

    static func query(_ name: String, _ description: String, _ schema: JSONValue) -> JSONValue {
        ["name": .string(name), "in": "query", "description": .string(description), "schema": schema]
    }

    static func flag(_ name: String, _ description: String) -> JSONValue {
        query(name, description + " Default false.", ["type": "string", "enum": ["true", "false"]])
    }
}

extension JSONValue {
    /// `{"$ref": "#/components/schemas/<name>"}`.
    fileprivate static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
}

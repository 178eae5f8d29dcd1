// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common
import HTTPTypes
import Hummingbird
import JSON
import NIOCore

/// The OpenAPI 3.1 document of the tenant REST API, served without a credential at
/// `GET /api/v1/openapi.json`.
///
/// The document is assembled from ``OpenAPIGroup``s, one per route group, each in an
/// `OpenAPI<Group>.swift` file beside this one: a new route is one more ``OpenAPIOperation`` in its
/// group's list. What every operation of a kind answers (401 without a credential, 403 without the
/// scope, 429 past the plan's rate, 400/413/415/422 for a body) is added here, once, from the
/// operation's ``OpenAPIOperation/access`` and body, so no group can forget it. Tests compare the
/// documented operations with the routes the router really has (OpenAPIDocumentTests) and
/// schemathesis checks the live answers against the document (Tests/EndToEnd/test_openapi.py).
enum TenantOpenAPI {
    /// The route groups, in the order their tags are listed.
    static let groups: [OpenAPIGroup] = [
        .document, .stations, .transactions, .tokens, .tokenGroups, .apiKeys, .auditLog,
    ]

    /// Where the operations' paths are rooted (a relative server URL: the document serves every
    /// tenant host and a worker's own port alike).
    static let basePath = "/api/v1"

    static let document: JSONValue = build(groups)

    /// The serialised document, made once.
    static let bytes: [UInt8] = document.serialized()

    /// Registers `GET /api/v1/openapi.json` on the router itself, outside the authenticated
    /// `/api/v1` group: the description of the API is public, like its documentation.
    static func register(on router: Router<TenantRequestContext>) {
        router.get("api/v1/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    static func build(_ groups: [OpenAPIGroup]) -> JSONValue {
        var schemas = OpenAPIGroup.commonSchemas
        var paths = JSONObject()
        var tags: [JSONValue] = []
        for group in groups {
            tags.append(["name": .string(group.tag), "description": .string(group.description)])
            for member in group.schemas.members {
                schemas[member.key] = member.value
            }
            for operation in group.operations {
                var item: JSONObject
                if case .object(let existing)? = paths[operation.path] {
                    item = existing
                } else {
                    item = JSONObject()
                }
                item[operation.method.rawValue.lowercased()] = .object(operation.json(tag: group.tag))
                paths[operation.path] = .object(item)
            }
        }
        return [
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": [
                "title": "Open-CSMS tenant API",
                "version": .string(CSMSVersion.current),
                "summary": "Stations, transactions, id tokens, groups, API keys and the audit log of one tenant.",
                "description": .string(Self.overview),
                "license": ["name": "Apache-2.0", "identifier": "Apache-2.0"],
            ],
            "servers": [["url": .string(basePath), "description": "this tenant (its own host or worker port)"]],
            "tags": .array(tags),
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas),
                "securitySchemes": [
                    "bearer": [
                        "type": "http", "scheme": "bearer",
                        "description": """
                        A scoped API key (`ocsk_…`, made through /api-keys), a platform session token \
                        (a JWT from an OIDC login; its role gives the scopes) or one of the tenant file's \
                        bootstrap keys (every scope).
                        """,
                    ],
                    "apiKey": [
                        "type": "apiKey", "in": "header", "name": "X-API-Key",
                        "description": "The same credentials, for clients that cannot send Authorization.",
                    ],
                ],
                "headers": OpenAPIGroup.commonHeaders,
            ],
        ]
    }

    static let overview = """
        The REST API of one tenant. JSON member names are snake_case and times are RFC 3339 in UTC \
        with milliseconds. Errors are RFC 9457 problem documents (`application/problem+json`); a \
        422 lists every problem of the request at once. Lists are pages `{"items": [...], \
        "next_cursor": ...}`: pass `next_cursor` as `cursor` for the next page (null: the last page). \
        Each operation names the scope it needs in `x-required-scope`: `read` (every GET), `write` \
        (creating and changing tenant data), `commands` (remote commands), `ocpi-admin`; managing API \
        keys needs an administrator (`x-required-role`).
        """
}

/// The operations of one route group and the schemas they use.
struct OpenAPIGroup: Sendable {
    var tag: String
    var description: String
    var schemas: JSONObject = [:]
    var operations: [OpenAPIOperation]
}

/// Who may call an operation.
enum OpenAPIAccess: Sendable {
    /// No credential needed.
    case anyone
    /// A credential holding this scope (403 otherwise).
    case scope(APIScope)
    /// A credential, then a rule the handler checks (403 otherwise), e.g. administrators only.
    case rule(String, scope: APIScope?)
}

/// One documented operation: `method path`, below ``TenantOpenAPI/basePath``.
struct OpenAPIOperation: Sendable {
    var method: HTTPRequest.Method
    var path: String
    var id: String
    var summary: String
    var description: String?
    var access: OpenAPIAccess
    var parameters: [JSONValue] = []
    /// The request body (`requestBody` object); a JSON body adds 400, 413, 415 and 422.
    var body: OpenAPIBody?
    /// The operation's own answers; the ones every operation of its kind has are added.
    var responses: [OpenAPIResponse]

    var isAuthenticated: Bool {
        if case .anyone = access { return false }
        return true
    }

    func json(tag: String) -> JSONObject {
        var o: JSONObject = ["tags": [.string(tag)], "operationId": .string(id), "summary": .string(summary)]
        if let description { o["description"] = .string(description) }
        var all = responses
        func add(_ response: OpenAPIResponse) {
            if !all.contains(where: { $0.status == response.status }) { all.append(response) }
        }
        switch access {
        case .anyone:
            o["security"] = []
        case .scope(let scope):
            o["x-required-scope"] = .string(scope.rawValue)
            add(.problem(403, "The credential lacks the '\(scope.rawValue)' scope."))
        case .rule(let rule, let scope):
            if let scope { o["x-required-scope"] = .string(scope.rawValue) }
            o["x-required-role"] = .string(rule)
            add(.problem(403, "The caller may not do this: \(rule)."))
        }
        if isAuthenticated {
            o["security"] = [["bearer": []], ["apiKey": []]]
            add(
                .problem(
                    401, "No credential, or an unknown, revoked or expired one.",
                    headers: ["WWW-Authenticate": .ref("WWW-Authenticate", in: "headers")]))
            add(
                .problem(
                    429, "The tenant's plan allows no more requests this second.",
                    headers: OpenAPIResponse.rateLimitHeaders(retryAfter: true)))
        }
        if let body {
            o["requestBody"] = .object(body.json)
            if body.isJSON {
                add(.problem(400, "The body is not a JSON object."))
                add(.problem(413, "The body is too large."))
                add(.problem(415, "The body is not `application/json`."))
                add(.problem(422, "The body is not valid; `errors` or `detail` says why."))
            }
        }
        if !parameters.isEmpty { o["parameters"] = .array(parameters) }
        var responsesObject = JSONObject()
        for response in all.sorted(by: { $0.status < $1.status }) {
            responsesObject[String(response.status)] = .object(response.json(authenticated: isAuthenticated))
        }
        o["responses"] = .object(responsesObject)
        return o
    }
}

/// A request body.
struct OpenAPIBody: Sendable {
    var json: JSONObject
    var isJSON: Bool

    /// A JSON object body described by `schema`.
    static func json(_ schema: JSONValue, required: Bool = true, description: String? = nil) -> OpenAPIBody {
        var o: JSONObject = ["required": .bool(required), "content": ["application/json": ["schema": schema]]]
        if let description { o["description"] = .string(description) }
        return OpenAPIBody(json: o, isJSON: true)
    }

    /// A body in other media types (`content` maps each to its media type object).
    static func content(_ content: JSONObject, description: String) -> OpenAPIBody {
        OpenAPIBody(
            json: ["required": true, "description": .string(description), "content": .object(content)], isJSON: false)
    }
}

/// One answer of an operation.
struct OpenAPIResponse: Sendable {
    var status: Int
    var description: String
    /// Media type → schema.
    var content: [(type: String, schema: JSONValue)]
    var headers: JSONObject = [:]

    /// A JSON answer.
    static func json(
        _ status: Int, _ description: String, _ schema: JSONValue, headers: JSONObject = [:]
    )
        -> OpenAPIResponse
    {
        OpenAPIResponse(
            status: status, description: description, content: [("application/json", schema)], headers: headers)
    }

    /// An answer without a body (204).
    static func empty(_ status: Int, _ description: String) -> OpenAPIResponse {
        OpenAPIResponse(status: status, description: description, content: [])
    }

    /// An RFC 9457 problem document.
    static func problem(_ status: Int, _ description: String, headers: JSONObject = [:]) -> OpenAPIResponse {
        OpenAPIResponse(
            status: status, description: description,
            content: [(ProblemDocument.contentType, .ref("Problem"))], headers: headers)
    }

    /// The rate-limit headers (draft-ietf-httpapi-ratelimit-headers) the worker adds when the plan
    /// limits the request rate; with `retryAfter` (a 429) they are always there.
    static func rateLimitHeaders(retryAfter: Bool) -> JSONObject {
        var headers = JSONObject()
        if retryAfter { headers["Retry-After"] = .ref("Retry-After", in: "headers") }
        for name in ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"] {
            headers[name] = .ref(name, in: "headers")
        }
        return headers
    }

    func json(authenticated: Bool) -> JSONObject {
        var o: JSONObject = ["description": .string(description)]
        var headers = self.headers
        // Successful answers of limited tenants carry the rate-limit headers too.
        if authenticated, (200..<300).contains(status) {
            for member in Self.rateLimitHeaders(retryAfter: false).members where headers[member.key] == nil {
                headers[member.key] = member.value
            }
        }
        if !headers.isEmpty { o["headers"] = .object(headers) }
        if !content.isEmpty {
            var c = JSONObject()
            for (type, schema) in content { c[type] = ["schema": schema] }
            o["content"] = .object(c)
        }
        return o
    }
}

// MARK: Schema and parameter helpers

extension JSONValue {
    /// `{"$ref": "#/components/<section>/<name>"}`.
    static func ref(_ name: String, in section: String = "schemas") -> JSONValue {
        ["$ref": .string("#/components/\(section)/\(name)")]
    }
}

enum OAS {
    static let string: JSONValue = ["type": "string"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let integer: JSONValue = ["type": "integer"]
    static let number: JSONValue = ["type": "number"]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    static let nullableDateTime: JSONValue = ["type": ["string", "null"], "format": "date-time"]
    static let nullableString: JSONValue = ["type": ["string", "null"]]

    static func string(_ description: String, minLength: Int? = nil, maxLength: Int? = nil) -> JSONValue {
        var o: JSONObject = ["type": "string", "description": .string(description)]
        if let minLength { o["minLength"] = .integer(Int64(minLength)) }
        if let maxLength { o["maxLength"] = .integer(Int64(maxLength)) }
        return .object(o)
    }

    static func oneOf(_ values: [String], description: String? = nil) -> JSONValue {
        var o: JSONObject = ["type": "string", "enum": .array(values.map(JSONValue.string))]
        if let description { o["description"] = .string(description) }
        return .object(o)
    }

    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    /// An object schema; `closed` forbids other members (request bodies whose unknown members the
    /// server refuses).
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

    /// A page of a list: `{"items": [...], "next_cursor": "…" | null}`.
    static func page(of item: String) -> JSONValue {
        object(
            ["items": array(.ref(item)), "next_cursor": .ref("NextCursor")], required: ["items", "next_cursor"])
    }

    static func pathParameter(
        _ name: String, _ description: String, schema: JSONValue = ["type": "string", "minLength": 1]
    ) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "description": .string(description), "schema": schema]
    }

    static func query(_ name: String, _ description: String, _ schema: JSONValue = string) -> JSONValue {
        ["name": .string(name), "in": "query", "description": .string(description), "schema": schema]
    }

    static func header(
        _ name: String, _ description: String, required: Bool = false, _ schema: JSONValue = string
    )
        -> JSONValue
    {
        [
            "name": .string(name), "in": "header", "required": .bool(required), "description": .string(description),
            "schema": schema,
        ]
    }

    /// `If-Match` (RFC 9110 §13.1.1) with the `ETag` of the version being changed.
    static func ifMatch(required: Bool) -> JSONValue {
        header(
            "If-Match",
            required
                ? "The `ETag` of the version you are changing (428 without it, 412 when it is stale)."
                : "Optional: the `ETag` of the version you mean (412 when it is stale).",
            required: required)
    }

    /// An answer header that is always sent.
    static func answerHeader(_ name: String) -> JSONValue { .ref(name, in: "headers") }

    /// The answers of a conditional request.
    static func preconditionAnswers(required: Bool) -> [OpenAPIResponse] {
        var answers: [OpenAPIResponse] = [
            .problem(
                412, "The resource changed since its `ETag` was read (the answer names the current one).",
                headers: ["ETag": answerHeader("ETag")])
        ]
        if required { answers.append(.problem(428, "`If-Match` is missing.")) }
        return answers
    }

    /// `limit`, `cursor` and, when a list has several orders, `sort`.
    static func pageParameters(sorts: [String] = [], maximumLimit: Int = PageRequest.maximumLimit) -> [JSONValue] {
        var parameters: [JSONValue] = [
            query(
                "limit", "How many items a page has at most (default \(PageRequest.defaultLimit)).",
                ["type": "integer", "minimum": 1, "maximum": .integer(Int64(maximumLimit))]),
            query("cursor", "The `next_cursor` of the previous page."),
        ]
        if !sorts.isEmpty {
            parameters.append(
                query(
                    "sort", "The order (`-` descending); default `\(sorts[0])`.",
                    ["type": "string", "enum": .array(sorts.map(JSONValue.string))]))
        }
        return parameters
    }
}

extension OpenAPIGroup {
    /// Schemas every group uses.
    static let commonSchemas: JSONObject = [
        "Problem": OAS.object(
            [
                "type": ["type": "string", "description": "A URI naming the kind; `about:blank`: see the status."],
                "title": OAS.string,
                "status": ["type": "integer", "minimum": 400, "maximum": 599],
                "detail": OAS.string,
                "errors": OAS.array(.ref("ProblemItem")),
            ], required: ["type", "title", "status", "detail"],
            description: "An RFC 9457 problem document; more extension members may follow."),
        "ProblemItem": OAS.object(
            [
                "field": ["type": ["string", "null"], "description": "The member at fault (null: the request)."],
                "line": ["type": "integer", "description": "An import file's line."],
                "index": ["type": "integer", "description": "An import array's index."],
                "token": OAS.nullableString, "detail": OAS.string,
            ], required: ["detail"],
            description:
                "One of every problem of the request: where (`field`, or `line`/`index` of an import) and what."),
        "NextCursor": [
            "type": ["string", "null"],
            "description": "Pass as `cursor` for the next page; null on the last page.",
        ],
    ]

    static let commonHeaders: JSONValue = [
        "WWW-Authenticate": [
            "required": true,
            "description": "RFC 6750 §3: `Bearer realm=\"open-csms\"`, with `error` when a credential was refused.",
            "schema": ["type": "string", "pattern": "^Bearer "],
        ],
        "Retry-After": [
            "required": true, "description": "Seconds to wait before trying again.",
            "schema": ["type": "integer", "minimum": 0],
        ],
        "RateLimit-Limit": ["description": "Requests allowed per window.", "schema": ["type": "integer"]],
        "RateLimit-Remaining": ["description": "Requests left in this window.", "schema": ["type": "integer"]],
        "RateLimit-Reset": ["description": "Seconds until the window resets.", "schema": ["type": "integer"]],
        "RateLimit-Policy": ["description": "The policy, e.g. `100;w=1`.", "schema": ["type": "string"]],
        "ETag": [
            "required": true, "description": "The version of the resource, to send back in `If-Match`.",
            "schema": ["type": "string"],
        ],
        "Location": ["required": true, "description": "The URL of the new resource.", "schema": ["type": "string"]],
    ]

    /// The document itself.
    static let document = OpenAPIGroup(
        tag: "Document", description: "This description of the API.",
        operations: [
            OpenAPIOperation(
                method: .get, path: "/openapi.json", id: "getOpenAPIDocument",
                summary: "This OpenAPI 3.1 document (no credential needed)", access: .anyone,
                responses: [.json(200, "The document.", ["type": "object"])])
        ])
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import JSON

extension OpenAPIGroup {
    /// The tenant's scoped API keys (Access/APIKeyRoutes.swift).
    static let apiKeys = OpenAPIGroup(
        tag: "API keys", description: "Scoped API keys for integrators, managed by tenant administrators.",
        schemas: [
            "Scope": OAS.oneOf(APIScope.allCases.map(\.rawValue)),
            "ApiKey": OAS.object(
                [
                    "id": OAS.string, "name": OAS.string,
                    "prefix": OAS.string("The start of the secret, to recognise the key."),
                    "scopes": OAS.array(.ref("Scope")), "created_at": OAS.dateTime,
                    "created_by": OAS.string("Who made it (`user:<subject>` or `api_key:<id>`)."),
                    "expires_at": OAS.nullableDateTime, "revoked_at": OAS.nullableDateTime,
                    "last_used_at": OAS.nullableDateTime,
                    "requests_per_second": [
                        "type": ["integer", "null"],
                        "description": "The key's own rate limit within the tenant's (null: the tenant's only).",
                    ],
                ],
                required: [
                    "id", "name", "prefix", "scopes", "created_at", "created_by", "expires_at", "revoked_at",
                    "last_used_at", "requests_per_second",
                ]),
            "NewApiKey": OAS.object(
                [
                    "name": OAS.string("1 to 100 characters.", minLength: 1, maxLength: 100),
                    "scopes": ["type": "array", "items": .ref("Scope"), "minItems": 1],
                    "expires_at": [
                        "type": "string", "format": "date-time", "description": "A time in the future.",
                    ],
                    "requests_per_second": [
                        "type": ["integer", "null"], "minimum": 1, "maximum": 100_000,
                        "description": "A rate limit of the key's own, below the tenant's.",
                    ],
                ], required: ["name", "scopes"], closed: true),
            "CreatedApiKey": [
                "allOf": [
                    .ref("ApiKey"),
                    OAS.object(
                        ["secret": OAS.string("The key itself, shown this once.")], required: ["secret"]),
                ]
            ],
            "ApiKeyList": OAS.object(["items": OAS.array(.ref("ApiKey"))], required: ["items"]),
        ],
        operations: [
            OpenAPIOperation(
                method: .get, path: "/api-keys", id: "listApiKeys", summary: "List the API keys (without secrets)",
                access: .rule(keyManagers, scope: nil),
                responses: [.json(200, "The keys.", .ref("ApiKeyList"))]),
            OpenAPIOperation(
                method: .post, path: "/api-keys", id: "createApiKey", summary: "Create an API key",
                access: .rule(keyManagers, scope: nil), body: .json(.ref("NewApiKey")),
                responses: [.json(201, "The key with its secret, shown this once.", .ref("CreatedApiKey"))]),
            OpenAPIOperation(
                method: .get, path: "/api-keys/{id}", id: "getApiKey", summary: "An API key (without secret)",
                access: .rule(keyManagers, scope: nil), parameters: [OAS.pathParameter("id", "The key's id.")],
                responses: [.json(200, "The key.", .ref("ApiKey")), .problem(404, "No such key.")]),
            OpenAPIOperation(
                method: .delete, path: "/api-keys/{id}", id: "revokeApiKey",
                summary: "Revoke an API key (it stops working at once)", access: .rule(keyManagers, scope: nil),
                parameters: [OAS.pathParameter("id", "The key's id.")],
                responses: [
                    .json(200, "The key, with `revoked_at` set.", .ref("ApiKey")), .problem(404, "No such key."),
                ]),
        ])

    static let keyManagers = "tenant administrators (tenant-admin, platform-admin) and the tenant file's keys"
}

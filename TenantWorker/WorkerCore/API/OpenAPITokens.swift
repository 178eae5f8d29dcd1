// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import JSON

extension OpenAPIGroup {
    /// Id tokens, one at a time and in bulk (TokenRoutes.swift, TokenImport.swift).
    static let tokens = OpenAPIGroup(
        tag: "Tokens", description: "Id tokens (RFID cards, eMAIDs, …): what a station authorizes and charges with.",
        schemas: [
            "TokenType": OAS.oneOf(
                TokenRules.types, description: "OCPP 2.0.1 IdTokenEnumType; 1.6 idTags are Central."),
            "TokenStatus": OAS.oneOf(TokenRules.statuses),
            "TokenValue": [
                "type": "string", "minLength": 1, "maxLength": 36,
                "description": "1 to 36 characters, no control characters, no space at either end.",
            ],
            "IdToken": OAS.object(
                [
                    "id": OAS.integer, "token": OAS.string, "type": .ref("TokenType"), "status": .ref("TokenStatus"),
                    "expires_at": OAS.nullableDateTime,
                    "parent_token": [
                        "type": ["string", "null"], "description": "The group token (OCPP parentIdTag).",
                    ],
                    "created_at": OAS.dateTime, "updated_at": OAS.dateTime,
                ],
                required: ["id", "token", "type", "status", "expires_at", "parent_token", "created_at", "updated_at"]),
            "TokenPage": OAS.page(of: "IdToken"),
            "TokenRow": OAS.object(
                [
                    "token": .ref("TokenValue"), "type": .ref("TokenType"), "status": .ref("TokenStatus"),
                    "expires_at": OAS.nullableDateTime,
                    "parent_token": ["oneOf": [.ref("TokenValue"), ["type": "null"]]],
                ], required: ["token"], closed: true,
                description:
                    "A token to create (or, in an import, to create or update); `type` defaults to Central, `status` to accepted."
            ),
            "TokenChanges": OAS.object(
                [
                    "status": .ref("TokenStatus"), "expires_at": OAS.nullableDateTime,
                    "parent_token": ["oneOf": [.ref("TokenValue"), ["type": "null"]]],
                ], closed: true, description: "The members given change; null clears one."),
            "ImportRowError": OAS.object(
                [
                    "line": ["type": "integer", "description": "CSV: the physical line (the header is line 1)."],
                    "index": ["type": "integer", "description": "JSON: the array index (0-based)."],
                    "token": OAS.nullableString, "field": OAS.string, "detail": OAS.string,
                ], required: ["token", "detail"]),
            "ImportResult": OAS.object(
                [
                    "imported": OAS.integer, "updated": OAS.integer, "unchanged": OAS.integer,
                    "rejected": OAS.integer, "errors": OAS.array(.ref("ImportRowError")),
                ], required: ["imported", "updated", "rejected", "errors"]),
            "ImportProblem": [
                "allOf": [.ref("Problem"), .ref("ImportResult")],
                "description": "Nothing was imported: every bad row is listed in `errors`.",
            ],
        ],
        operations: [
            OpenAPIOperation(
                method: .get, path: "/tokens", id: "listTokens", summary: "List id tokens", access: .scope(.read),
                parameters: [
                    OAS.query("status", "Only these.", .ref("TokenStatus")),
                    OAS.query("type", "Only these.", .ref("TokenType")),
                    OAS.query("q", "Only tokens starting with this."),
                    OAS.query("group", "Only members of this group (its id).", ["type": "integer", "minimum": 1]),
                ] + OAS.pageParameters(sorts: ["token", "-updated_at"]),
                responses: [
                    .json(200, "A page of id tokens.", .ref("TokenPage")),
                    .problem(400, "A query parameter is not valid."),
                ]),
            OpenAPIOperation(
                method: .post, path: "/tokens", id: "createToken", summary: "Create an id token",
                access: .scope(.write), body: .json(.ref("TokenRow")),
                responses: [
                    .json(201, "The token.", .ref("IdToken"), headers: etagAndLocation),
                    .problem(409, "A token with this value and type exists."),
                ]),
            OpenAPIOperation(
                method: .post, path: "/tokens/import", id: "importTokens",
                summary: "Import id tokens from a CSV file or a JSON array (existing ones are updated)",
                description: """
                    CSV: a header row naming the columns (`token` required; `type`, `status`, `expires_at`, \
                    `parent_token`), then one token a line (RFC 4180). JSON: an array of objects with those \
                    members. Every row is checked first: without `partial=true` one bad row means nothing is \
                    imported (422); every bad row is reported with its line or index. At most 32 MiB.
                    """,
                access: .scope(.write),
                parameters: [
                    OAS.query(
                        "partial", "Import the good rows even when some are bad (default false).",
                        OAS.oneOf(["true", "false", "1", "0"]))
                ],
                body: .content(
                    [
                        "text/csv": ["schema": ["type": "string"]],
                        "application/json": ["schema": OAS.array(.ref("TokenRow"))],
                    ], description: "The tokens."),
                responses: [
                    .json(200, "What was imported, and every row left out.", .ref("ImportResult")),
                    .problem(400, "`partial` is not valid, or the body is not a JSON array of objects."),
                    .problem(413, "The body is larger than 32 MiB."),
                    .problem(415, "The body is neither text/csv nor application/json."),
                    OpenAPIResponse(
                        status: 422, description: "Bad rows (or a bad header) and not `partial`: nothing was imported.",
                        content: [(ProblemDocument.contentType, .ref("ImportProblem"))]),
                    .problem(
                        503, "Another import changed the same tokens at the same time; nothing was imported.",
                        headers: ["Retry-After": OAS.answerHeader("Retry-After")]),
                ]),
            OpenAPIOperation(
                method: .get, path: "/tokens/export", id: "exportTokens",
                summary: "Every id token, in the import's columns (an export imports back unchanged)",
                access: .scope(.read),
                parameters: [OAS.query("format", "The file format (default csv).", OAS.oneOf(["csv", "json"]))],
                responses: [
                    OpenAPIResponse(
                        status: 200, description: "The tokens, streamed.",
                        content: [("text/csv", OAS.string), ("application/json", OAS.array(.ref("TokenRow")))],
                        headers: [
                            "Content-Disposition": [
                                "required": true, "description": "`attachment; filename=\"tokens.csv\"` (or .json).",
                                "schema": OAS.string,
                            ]
                        ]),
                    .problem(400, "`format` is not valid."),
                ]),
            OpenAPIOperation(
                method: .get, path: "/tokens/{id}", id: "getToken", summary: "An id token", access: .scope(.read),
                parameters: [tokenID],
                responses: [
                    .json(200, "The token.", .ref("IdToken"), headers: etag), .problem(404, "No such token."),
                ]),
            OpenAPIOperation(
                method: .patch, path: "/tokens/{id}", id: "updateToken",
                summary: "Change an id token's status, expiry or parent", access: .scope(.write),
                parameters: [tokenID, OAS.ifMatch(required: true)], body: .json(.ref("TokenChanges")),
                responses: [
                    .json(200, "The token.", .ref("IdToken"), headers: etag), .problem(404, "No such token."),
                ] + OAS.preconditionAnswers(required: true)),
            OpenAPIOperation(
                method: .delete, path: "/tokens/{id}", id: "deleteToken", summary: "Delete an id token",
                access: .scope(.write), parameters: [tokenID, OAS.ifMatch(required: false)],
                responses: [.empty(204, "The token is deleted."), .problem(404, "No such token.")]
                    + OAS.preconditionAnswers(required: false)),
        ])

    static let tokenID = OAS.pathParameter("id", "The token's id (the `id` member, not its value).")
    static let etagAndLocation: JSONObject = [
        "ETag": OAS.answerHeader("ETag"), "Location": OAS.answerHeader("Location"),
    ]
}

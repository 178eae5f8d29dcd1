// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import JSON

extension OpenAPIGroup {
    /// The audit log (AuditRoutes.swift; written by AuditMiddleware).
    static let auditLog = OpenAPIGroup(
        tag: "Audit log", description: "Every mutating request: who, what, when, from where, and before/after.",
        schemas: [
            "AuditEntry": OAS.object(
                [
                    "id": OAS.integer, "at": OAS.dateTime, "actor_kind": OAS.oneOf(["user", "api_key"]),
                    "actor": OAS.string(
                        "The user's subject or the key's id (`config:<name>` for the tenant file's keys)."),
                    "actor_name": OAS.nullableString, "role": OAS.nullableString,
                    "action": OAS.string("The route, e.g. `POST /api/v1/tokens`."),
                    "target": ["type": ["string", "null"], "description": "The request path."],
                    "client_address": OAS.nullableString, "status": ["type": ["integer", "null"]],
                    "request_id": ["type": ["string", "null"], "description": "The request's `X-Request-Id`."],
                    "before": ["description": "The configuration before the change (null when none)."],
                    "after": ["description": "The configuration after the change (null when none)."],
                ],
                required: [
                    "id", "at", "actor_kind", "actor", "actor_name", "role", "action", "target", "client_address",
                    "status", "request_id", "before", "after",
                ]),
            "AuditPage": OAS.page(of: "AuditEntry"),
        ],
        operations: [
            OpenAPIOperation(
                method: .get, path: "/audit-log", id: "listAuditLog", summary: "The audit log, newest first",
                access: .rule(
                    "callers with the 'write' scope and administrators (entries name people, keys and addresses)",
                    scope: .read),
                parameters: [
                    OAS.query("actor", "Only this actor (key id, user subject or the name shown for it)."),
                    OAS.query("action", "Only actions starting with this, e.g. `PATCH /api/v1/stations`."),
                    OAS.query("from", "Only entries at or after this time.", OAS.dateTime),
                    OAS.query("to", "Only entries before this time.", OAS.dateTime),
                ] + OAS.pageParameters(sorts: ["-at", "at"]),
                responses: [
                    .json(200, "A page of entries.", .ref("AuditPage")),
                    .problem(400, "A query parameter is not valid."),
                ])
        ])
}

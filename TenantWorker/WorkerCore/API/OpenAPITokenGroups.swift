// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import JSON

extension OpenAPIGroup {
    /// Groups of id tokens and their members (GroupRoutes.swift).
    static let tokenGroups = OpenAPIGroup(
        tag: "Groups",
        description: """
            Groups of id tokens (enterprise, fleet, family): while a membership is valid, the member's \
            parent token is the group's token (OCPP parentIdTag / groupIdToken).
            """,
        schemas: [
            "GroupKind": OAS.oneOf(GroupRoutes.kinds),
            "Group": OAS.object(
                [
                    "id": OAS.integer, "name": OAS.string, "kind": .ref("GroupKind"), "group_token": OAS.string,
                    "valid_from": OAS.nullableDateTime, "valid_until": OAS.nullableDateTime,
                    "member_count": OAS.integer, "created_at": OAS.dateTime, "updated_at": OAS.dateTime,
                ],
                required: [
                    "id", "name", "kind", "group_token", "valid_from", "valid_until", "member_count", "created_at",
                    "updated_at",
                ]),
            "GroupPage": OAS.page(of: "Group"),
            "NewGroup": OAS.object(groupMembers, required: ["name", "kind", "group_token"], closed: true),
            "GroupChanges": OAS.object(
                groupMembers, closed: true, description: "The members given change; null clears a validity bound."),
            "GroupMember": OAS.object(
                [
                    "token_id": OAS.integer, "token": OAS.string, "type": .ref("TokenType"),
                    "status": .ref("TokenStatus"), "valid_from": OAS.nullableDateTime,
                    "valid_until": OAS.nullableDateTime,
                    "valid_now": ["type": "boolean", "description": "Whether the membership is valid now."],
                    "created_at": OAS.dateTime,
                ],
                required: [
                    "token_id", "token", "type", "status", "valid_from", "valid_until", "valid_now", "created_at",
                ]),
            "GroupMemberPage": OAS.page(of: "GroupMember"),
            "NewGroupMember": [
                "description": "The token by its id, or by its value (and type, when several tokens share the value).",
                "oneOf": [
                    OAS.object(
                        [
                            "token_id": ["type": "integer", "minimum": 1], "valid_from": OAS.nullableDateTime,
                            "valid_until": OAS.nullableDateTime,
                        ], required: ["token_id"], closed: true),
                    OAS.object(
                        [
                            "token": .ref("TokenValue"), "type": .ref("TokenType"), "valid_from": OAS.nullableDateTime,
                            "valid_until": OAS.nullableDateTime,
                        ], required: ["token"], closed: true),
                ],
            ],
        ],
        operations: [
            OpenAPIOperation(
                method: .get, path: "/groups", id: "listGroups", summary: "List groups", access: .scope(.read),
                parameters: OAS.pageParameters(sorts: ["name"]),
                responses: [
                    .json(200, "A page of groups.", .ref("GroupPage")),
                    .problem(400, "A query parameter is not valid."),
                ]),
            OpenAPIOperation(
                method: .post, path: "/groups", id: "createGroup", summary: "Create a group", access: .scope(.write),
                body: .json(.ref("NewGroup")),
                responses: [
                    .json(201, "The group.", .ref("Group"), headers: etagAndLocation),
                    .problem(409, "Another group has this name or group token."),
                ]),
            OpenAPIOperation(
                method: .get, path: "/groups/{id}", id: "getGroup", summary: "A group with its member count",
                access: .scope(.read), parameters: [groupID],
                responses: [.json(200, "The group.", .ref("Group"), headers: etag), .problem(404, "No such group.")]),
            OpenAPIOperation(
                method: .patch, path: "/groups/{id}", id: "updateGroup", summary: "Change a group",
                access: .scope(.write), parameters: [groupID, OAS.ifMatch(required: true)],
                body: .json(.ref("GroupChanges")),
                responses: [
                    .json(200, "The group.", .ref("Group"), headers: etag), .problem(404, "No such group."),
                    .problem(409, "Another group has this name or group token."),
                ] + OAS.preconditionAnswers(required: true)),
            OpenAPIOperation(
                method: .delete, path: "/groups/{id}", id: "deleteGroup", summary: "Delete a group and its memberships",
                access: .scope(.write), parameters: [groupID, OAS.ifMatch(required: false)],
                responses: [.empty(204, "The group is deleted."), .problem(404, "No such group.")]
                    + OAS.preconditionAnswers(required: false)),
            OpenAPIOperation(
                method: .post, path: "/groups/{id}/members", id: "addGroupMember",
                summary: "Add an id token to a group",
                access: .scope(.write), parameters: [groupID], body: .json(.ref("NewGroupMember")),
                responses: [
                    .json(
                        201, "The membership.", .ref("GroupMember"), headers: ["Location": OAS.answerHeader("Location")]
                    ),
                    .problem(404, "No such group."), .problem(409, "The token is a member already."),
                ]),
            OpenAPIOperation(
                method: .get, path: "/groups/{id}/members", id: "listGroupMembers", summary: "A group's members",
                access: .scope(.read), parameters: [groupID] + OAS.pageParameters(sorts: ["token"]),
                responses: [
                    .json(200, "A page of members.", .ref("GroupMemberPage")),
                    .problem(400, "A query parameter is not valid."), .problem(404, "No such group."),
                ]),
            OpenAPIOperation(
                method: .delete, path: "/groups/{id}/members/{token_id}", id: "removeGroupMember",
                summary: "Remove an id token from a group", access: .scope(.write),
                parameters: [groupID, OAS.pathParameter("token_id", "The member token's id.")],
                responses: [
                    .empty(204, "The membership is removed."),
                    .problem(404, "No such group, or the token is not a member."),
                ]),
        ])

    static let groupID = OAS.pathParameter("id", "The group's id.")

    static let groupMembers: JSONObject = [
        "name": OAS.string("1 to 200 characters.", minLength: 1, maxLength: 200),
        "kind": .ref("GroupKind"), "group_token": .ref("TokenValue"),
        "valid_from": OAS.nullableDateTime, "valid_until": OAS.nullableDateTime,
    ]
}

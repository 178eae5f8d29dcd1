// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import JSON

extension OpenAPIGroup {
    /// Stations, EVSEs, connectors, registration and remote commands (StationRoutes.swift).
    static let stations = OpenAPIGroup(
        tag: "Stations", description: "Charging stations, their EVSEs and connectors, registration and commands.",
        schemas: [
            "RegistrationStatus": OAS.oneOf(
                ["accepted", "pending", "rejected"],
                description:
                    "Accepted stations may charge; pending ones wait for an operator (BootNotification Pending)."),
            "Station": OAS.object(
                [
                    "identity": OAS.string("The station's OCPP identity (the last segment of its connection URL)."),
                    "registration_status": .ref("RegistrationStatus"),
                    "connected": ["type": "boolean", "description": "Whether it is connected to this worker now."],
                    "password_set": OAS.boolean, "created_at": OAS.dateTime, "updated_at": OAS.dateTime,
                    "ocpp_version": OAS.string, "vendor": OAS.string, "model": OAS.string,
                    "serial_number": OAS.string, "firmware_version": OAS.string, "iccid": OAS.string,
                    "imsi": OAS.string, "last_boot_at": OAS.dateTime, "last_seen_at": OAS.dateTime,
                ],
                required: ["identity", "registration_status", "connected", "password_set", "created_at", "updated_at"],
                description: "Members the station never reported are absent."),
            "StationDetail": [
                "allOf": [
                    .ref("Station"),
                    OAS.object(
                        [
                            "connectors": OAS.array(.ref("ConnectorStatus")), "evses": OAS.array(.ref("Evse")),
                            "station_status": OAS.object(
                                ["status": OAS.string, "timestamp": OAS.dateTime, "error_code": OAS.string],
                                required: ["status"]),
                        ], required: ["connectors", "evses"]),
                ]
            ],
            "ConnectorStatus": OAS.object(
                [
                    "evse_id": OAS.integer, "connector_id": OAS.integer, "status": OAS.string,
                    "timestamp": OAS.dateTime, "error_code": OAS.string, "info": OAS.string,
                    "vendor_error_code": OAS.string,
                ], required: ["evse_id", "connector_id", "status", "timestamp"],
                description: "A connector's live status as the station last reported it."),
            "Evse": OAS.object(
                [
                    "evse_id": OAS.integer, "created_at": OAS.dateTime,
                    "connectors": OAS.array(
                        OAS.object(
                            [
                                "connector_id": OAS.integer, "connector_type": OAS.string, "max_power_w": OAS.integer,
                                "status": OAS.string, "status_at": OAS.dateTime, "error_code": OAS.string,
                                "info": OAS.string, "vendor_error_code": OAS.string,
                            ], required: ["connector_id"])),
                ], required: ["evse_id", "created_at", "connectors"]),
            "StationPage": OAS.page(of: "Station"),
            "EvsePage": OAS.page(of: "Evse"),
            "StationPassword": [
                "type": "string", "minLength": 16, "maxLength": 40, "pattern": "^[!-~]+$",
                "description":
                    "The Basic auth password of security profiles 1 and 2: 16 to 40 printable ASCII characters, no spaces.",
            ],
            "NewStation": OAS.object(
                [
                    "identity": [
                        "type": "string", "pattern": "^[!-9;-~]{1,48}$",
                        "description": "1 to 48 printable ASCII characters, no space or ':'.",
                    ],
                    "registration_status": .ref("RegistrationStatus"), "password": .ref("StationPassword"),
                ], required: ["identity"], closed: true),
            "StationChanges": OAS.object(
                ["registration_status": .ref("RegistrationStatus"), "password": .ref("StationPassword")],
                closed: true, description: "Accept a pending station, or set its password."),
            "CommandAnswer": OAS.object(
                [
                    "action": OAS.string("The OCPP action sent."),
                    "response": ["type": "object", "description": "The station's CALLRESULT payload."],
                ], required: ["action", "response"]),
        ],
        operations: [
            OpenAPIOperation(
                method: .get, path: "/stations", id: "listStations", summary: "List stations",
                access: .scope(.read),
                parameters: [
                    OAS.query("status", "Only stations with this registration status.", .ref("RegistrationStatus")),
                    OAS.query(
                        "connected", "Only stations (not) connected now.", OAS.oneOf(["true", "false"])),
                    OAS.query("q", "Only identities starting with this."),
                    OAS.query("vendor", "Only this vendor (any case)."),
                    OAS.query("model", "Only this model (any case)."),
                ] + OAS.pageParameters(sorts: ["identity", "-last_seen_at", "-created_at"]),
                responses: [
                    .json(200, "A page of stations.", .ref("StationPage")),
                    .problem(400, "A query parameter is not valid."),
                ]),
            OpenAPIOperation(
                method: .post, path: "/stations", id: "createStation",
                summary: "Register a station (or set an existing one's registration and password)",
                access: .scope(.write), body: .json(.ref("NewStation")),
                responses: [
                    .json(200, "The station existed and was updated.", .ref("Station"), headers: etag),
                    .json(201, "The station was registered.", .ref("Station"), headers: etag),
                    .problem(409, "The station was deleted while it was being saved."),
                ]),
            OpenAPIOperation(
                method: .get, path: "/stations/{id}", id: "getStation",
                summary: "A station with its EVSEs, connectors and their live status", access: .scope(.read),
                parameters: [stationID],
                responses: [
                    .json(200, "The station.", .ref("StationDetail"), headers: etag),
                    .problem(404, "No such station."),
                ]),
            OpenAPIOperation(
                method: .patch, path: "/stations/{id}", id: "updateStation",
                summary: "Accept a pending station or set its password", access: .scope(.write),
                parameters: [stationID, OAS.ifMatch(required: true)], body: .json(.ref("StationChanges")),
                responses: [
                    .json(200, "The station.", .ref("Station"), headers: etag), .problem(404, "No such station."),
                ] + OAS.preconditionAnswers(required: true)),
            OpenAPIOperation(
                method: .delete, path: "/stations/{id}", id: "deleteStation",
                summary: "Remove a station with its EVSEs, transactions and meter values (its connection is closed)",
                access: .scope(.write), parameters: [stationID, OAS.ifMatch(required: false)],
                responses: [.empty(204, "The station is removed."), .problem(404, "No such station.")]
                    + OAS.preconditionAnswers(required: false)),
            OpenAPIOperation(
                method: .get, path: "/stations/{id}/evses", id: "listStationEvses",
                summary: "A station's EVSEs and connectors (one page)", access: .scope(.read),
                parameters: [stationID],
                responses: [.json(200, "The EVSEs.", .ref("EvsePage")), .problem(404, "No such station.")]),
            OpenAPIOperation(
                method: .post, path: "/stations/{id}/commands/{command}", id: "sendCommand",
                summary: "Send an OCPP command to a connected station and return its answer",
                description: """
                    `command` is an OCPP action of the station's protocol version (`Reset`, \
                    `RemoteStartTransaction` for 1.6, `RequestStartTransaction` for 2.0.1, …); the body is its \
                    request payload, checked against the official OCA JSON schema before it is sent. With \
                    `Idempotency-Key`, a retry of the same request gets the first answer (with \
                    `Idempotent-Replayed: true`) and the station gets the command once.
                    """,
                access: .scope(.commands),
                parameters: [
                    stationID, OAS.pathParameter("command", "The OCPP action."),
                    OAS.header(
                        "Idempotency-Key", "1 to 255 printable ASCII characters naming this request for retries.",
                        ["type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~][ -~]*$"]),
                ],
                body: .json(["type": "object", "description": "The OCPP request payload."]),
                responses: [
                    .json(
                        200, "The station's answer.", .ref("CommandAnswer"),
                        headers: [
                            "Idempotent-Replayed": [
                                "description": "`true` on a replayed answer.", "schema": ["const": "true"],
                            ]
                        ]),
                    .problem(
                        400,
                        "The body is not a JSON object, the action is no command of this version, or the key is bad."),
                    .problem(404, "No such station."),
                    .problem(
                        409, "The station is not connected, or a request with this key is still running.",
                        headers: [
                            "Retry-After": [
                                "description": "Seconds to wait, while the first request runs.",
                                "schema": ["type": "integer", "minimum": 0],
                            ]
                        ]),
                    .problem(
                        422,
                        "The payload does not match the OCPP schema (`pointer`, `ocpp_error_code`), or the key was used for another request."
                    ),
                    .problem(502, "The station answered with a CALLERROR (`ocpp_error_code`, `ocpp_error_details`)."),
                    .problem(
                        503, "The command could not be completed (the connection closed).",
                        headers: ["Retry-After": OAS.answerHeader("Retry-After")]),
                    .problem(504, "The station did not answer in time."),
                ]),
        ])

    static let stationID = OAS.pathParameter("id", "The station identity.")
    static let etag: JSONObject = ["ETag": OAS.answerHeader("ETag")]
}

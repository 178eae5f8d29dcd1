// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import JSON

extension OpenAPIGroup {
    /// Charging transactions and their meter values (TransactionRoutes.swift).
    static let transactions = OpenAPIGroup(
        tag: "Transactions", description: "Charging sessions as the stations reported them, and their meter values.",
        schemas: [
            "TransactionStatus": OAS.oneOf(
                ["active", "completed", "orphan"],
                description:
                    "`orphan`: the station reported a stop (or meter values) of a session it never started here."),
            "Transaction": OAS.object(
                [
                    "id": OAS.integer, "station": OAS.string("The station identity."),
                    "remote_id": OAS.string("The station's own transaction id."),
                    "status": .ref("TransactionStatus"), "evse_id": OAS.integer, "connector_id": OAS.integer,
                    "id_token": OAS.string, "id_token_type": OAS.string, "started_at": OAS.dateTime,
                    "stopped_at": OAS.dateTime, "meter_start_wh": OAS.number, "meter_stop_wh": OAS.number,
                    "energy_wh": OAS.number, "stop_reason": OAS.string, "charging_state": OAS.string,
                    "offline": [
                        "type": "boolean", "description": "Reported after the fact by a station offline then.",
                    ],
                    "created_at": OAS.dateTime, "updated_at": OAS.dateTime,
                ], required: ["id", "station", "remote_id", "status", "offline", "created_at", "updated_at"],
                description: "Members the station never reported are absent."),
            "TransactionDetail": [
                "allOf": [
                    .ref("Transaction"),
                    OAS.object(
                        ["meter_values": OAS.array(.ref("MeterValue"))], required: ["meter_values"],
                        description: "Every meter value of the transaction, in time order."),
                ]
            ],
            "MeterValue": OAS.object(
                [
                    "sampled_at": OAS.dateTime, "measurand": OAS.string, "value": OAS.number, "phase": OAS.string,
                    "unit": OAS.string, "context": OAS.string, "location": OAS.string, "evse_id": OAS.integer,
                ], required: ["sampled_at", "measurand", "value"]),
            "TransactionPage": OAS.page(of: "Transaction"),
            "MeterValuePage": OAS.page(of: "MeterValue"),
        ],
        operations: [
            OpenAPIOperation(
                method: .get, path: "/transactions", id: "listTransactions", summary: "List transactions",
                access: .scope(.read),
                parameters: [
                    OAS.query("station", "Only this station's (its identity)."),
                    OAS.query("status", "Only these.", .ref("TransactionStatus")),
                    OAS.query("id_token", "Only those started with this id token."),
                    OAS.query("from", "Only those started at or after this time.", OAS.dateTime),
                    OAS.query("to", "Only those started before this time.", OAS.dateTime),
                ] + OAS.pageParameters(sorts: ["-started_at", "started_at"]),
                responses: [
                    .json(200, "A page of transactions.", .ref("TransactionPage")),
                    .problem(400, "A query parameter is not valid."),
                ]),
            OpenAPIOperation(
                method: .get, path: "/transactions/{id}", id: "getTransaction",
                summary: "A transaction with all its meter values", access: .scope(.read),
                parameters: [transactionID],
                responses: [
                    .json(200, "The transaction.", .ref("TransactionDetail")),
                    .problem(404, "No such transaction."),
                ]),
            OpenAPIOperation(
                method: .get, path: "/transactions/{id}/meter-values", id: "listMeterValues",
                summary: "A transaction's meter values, page by page", access: .scope(.read),
                parameters: [transactionID, OAS.query("measurand", "Only this measurand.")]
                    + OAS.pageParameters(sorts: ["sampled_at"]),
                responses: [
                    .json(200, "A page of meter values, oldest first.", .ref("MeterValuePage")),
                    .problem(400, "A query parameter is not valid."), .problem(404, "No such transaction."),
                ]),
        ])

    static let transactionID = OAS.pathParameter("id", "The transaction's id (the `id` member).")
}

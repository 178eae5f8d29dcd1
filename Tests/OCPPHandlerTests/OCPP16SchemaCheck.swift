// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPP16
import OCPPRPC
import Testing

/// Checks payloads against the official OCPP 1.6J schemas (generated ``OCPP16Schemas``): every
/// answer a handler produces must pass the action's response schema, and every payload a test feeds
/// in must pass the request schema, as the transport would have checked it.
enum OCPP16SchemaCheck {
    static func expectValidRequest(
        _ action: String, _ payload: JSONObject, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectValid(OCPP16Schemas.request(action), "\(action) request", payload, sourceLocation)
    }

    static func expectValidResponse(
        _ action: String, _ payload: JSONObject, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectValid(OCPP16Schemas.response(action), "\(action) response", payload, sourceLocation)
    }

    private static func expectValid(
        _ schema: PayloadSchema?, _ what: String, _ payload: JSONObject, _ sourceLocation: SourceLocation
    ) {
        guard let schema else {
            Issue.record("no OCPP 1.6 schema for \(what)", sourceLocation: sourceLocation)
            return
        }
        if let violation = schema.validate(payload) {
            Issue.record(
                "\(what) fails the official schema: \(violation) in \(JSONValue.object(payload).jsonText)",
                sourceLocation: sourceLocation)
        }
    }
}

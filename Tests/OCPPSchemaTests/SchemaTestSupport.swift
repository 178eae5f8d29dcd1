// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPP16
import OCPP201
import OCPPRPC
import Testing

/// Parses a JSON object written in a test.
func object(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONObject {
    try #require(JSONValue.parse(json).objectValue, "not a JSON object: \(json)", sourceLocation: sourceLocation)
}

enum Direction {
    case request, response
}

func schema(
    _ version: OCPPVersion, _ action: String, _ direction: Direction = .request,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> PayloadSchema {
    let found: PayloadSchema? =
        switch (version, direction) {
        case (.ocpp16, .request): OCPP16Schemas.request(action)
        case (.ocpp16, .response): OCPP16Schemas.response(action)
        case (.ocpp201, .request): OCPP201Schemas.request(action)
        case (.ocpp201, .response): OCPP201Schemas.response(action)
        }
    return try #require(
        found, "no \(direction) schema for \(version.rawValue) \(action)", sourceLocation: sourceLocation)
}

/// Validates `json` as the payload of `action` and returns the violation, if any.
func violation(
    _ version: OCPPVersion, _ action: String, _ direction: Direction, _ json: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> SchemaViolation? {
    try schema(version, action, direction, sourceLocation: sourceLocation)
        .validate(object(json, sourceLocation: sourceLocation))
}

/// Asserts that `json` is valid for `action`.
func expectValid(
    _ version: OCPPVersion, _ action: String, _ direction: Direction, _ json: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let found = try violation(version, action, direction, json, sourceLocation: sourceLocation)
    #expect(
        found == nil, "\(version.rawValue) \(action): \(found.map(String.init(describing:)) ?? "")",
        sourceLocation: sourceLocation)
}

/// Asserts the exact violation: code, the code's spelling on `version`'s wire, and path.
func expectViolation(
    _ version: OCPPVersion, _ action: String, _ direction: Direction, _ json: String,
    code: RPCErrorCode, wire: String, path: String, message: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let found = try #require(
        try violation(version, action, direction, json, sourceLocation: sourceLocation),
        "expected \(wire) at \(path), payload was accepted", sourceLocation: sourceLocation)
    #expect(found.code == code, sourceLocation: sourceLocation)
    #expect(found.code.wireName(for: version) == wire, sourceLocation: sourceLocation)
    #expect(found.path == path, sourceLocation: sourceLocation)
    if let message {
        #expect(found.message == message, sourceLocation: sourceLocation)
    }
    #expect(found.message.count <= SchemaViolation.maxMessageLength, sourceLocation: sourceLocation)
}

// Request-payload shorthands (a defaulted parameter cannot sit before an unlabeled one).

func violation(
    _ version: OCPPVersion, _ action: String, _ json: String, sourceLocation: SourceLocation = #_sourceLocation
) throws -> SchemaViolation? {
    try violation(version, action, .request, json, sourceLocation: sourceLocation)
}

func expectValid(
    _ version: OCPPVersion, _ action: String, _ json: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    try expectValid(version, action, .request, json, sourceLocation: sourceLocation)
}

func expectViolation(
    _ version: OCPPVersion, _ action: String, _ json: String, code: RPCErrorCode, wire: String, path: String,
    message: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    try expectViolation(
        version, action, .request, json, code: code, wire: wire, path: path, message: message,
        sourceLocation: sourceLocation)
}

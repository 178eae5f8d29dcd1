// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import HTTPClient
import Identity
import JSON
import Synchronization

/// An ``HTTPClientSending`` that answers from a closure and counts the requests per URL path, for
/// tests of the OIDC logic that need no provider process.
final class StubHTTPClient: HTTPClientSending {
    typealias Handler = @Sendable (HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse
    private let handler: Mutex<Handler>
    private let log = Mutex<[HTTPClientRequest]>([])

    init(_ handler: @escaping Handler) {
        self.handler = Mutex(handler)
    }

    func answer(with handler: @escaping Handler) { self.handler.withLock { $0 = handler } }

    func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        log.withLock { $0.append(request) }
        let handler = self.handler.withLock { $0 }
        return try handler(request)
    }

    var requests: [HTTPClientRequest] { log.withLock { $0 } }

    static func json(_ body: [UInt8], status: Int = 200, url: String = "") -> HTTPClientResponse {
        HTTPClientResponse(status: status, headers: ["Content-Type": "application/json"], body: body, url: url)
    }

    static func json(_ value: JSONValue, status: Int = 200) -> HTTPClientResponse {
        json(value.serialized(), status: status)
    }

    static func connectionRefused(_ request: HTTPClientRequest) -> HTTPClientError {
        HTTPClientError(.connect, request: "\(request.method) \(request.url)", "connection refused")
    }
}

/// A provider's keys made by the JOSE layer: a JWKS document listing some signers, and tokens
/// signed by any of them.
struct TestIssuer: Sendable {
    static let issuer = "https://idp.example"
    static let audience = "open-csms"

    static func jwks(_ signers: [ES256Signer]) -> [UInt8] {
        let keys: [JSONValue] = signers.map { .object($0.publicKey.jwk) }
        return JSONValue.object(["keys": .array(keys)]).serialized()
    }

    static func token(_ signer: ES256Signer, subject: String = "alice", extra: JSONObject = [:]) throws -> String {
        let now = Int64(Date().timeIntervalSince1970)
        var claims: JSONObject = [
            "iss": .string(issuer), "sub": .string(subject), "aud": .string(audience), "iat": .integer(now),
            "exp": .integer(now + 300),
        ]
        for member in extra.members { claims[member.key] = member.value }
        return try signer.sign(claims: claims)
    }

    static var validation: JWTValidation { JWTValidation(issuer: issuer, audience: audience) }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient
import JSON

/// Limits of every call to the identity provider (discovery, JWKS, token endpoint). libcurl's own
/// default is to wait forever and read any size (PROTOCOLS.md §4 item 7), so both are always set.
public struct OIDCRequestLimits: Sendable, Equatable {
    public var connectTimeout: Duration
    public var timeout: Duration
    /// Discovery documents and key sets are a few KiB; a token response a few more.
    public var maximumResponseBodySize: Int

    public init(
        connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(10),
        maximumResponseBodySize: Int = 256 * 1024
    ) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maximumResponseBodySize = maximumResponseBodySize
    }
}

/// Sends requests to the provider and turns transport failures into ``OIDCError`` codes a caller
/// can answer: unreachable or 5xx → ``OIDCError/Code-swift.struct/providerUnavailable`` (503),
/// a URL the client refuses → ``OIDCError/Code-swift.struct/configuration``.
enum OIDCTransport {
    static func send(
        _ request: HTTPClientRequest, limits: OIDCRequestLimits, client: any HTTPClientSending, purpose: String
    ) async throws(OIDCError) -> HTTPClientResponse {
        var request = request
        request.connectTimeout = limits.connectTimeout
        request.timeout = limits.timeout
        request.maximumResponseBodySize = limits.maximumResponseBodySize
        // A provider endpoint is used where it is; a redirect could lead anywhere (PROTOCOLS.md §4 item 7).
        request.redirects = .doNotFollow
        if !request.headers.contains("Accept") { request.headers.add(name: "Accept", value: "application/json") }
        let response: HTTPClientResponse
        do {
            response = try await client.send(request)
        } catch {
            switch error.code {
            case .badURL, .refusedInsecure, .invalidRequest:
                throw OIDCError(.configuration, "\(purpose): \(error.message)")
            case .tooLarge:
                throw OIDCError(.invalidProviderResponse, "\(purpose): \(error.message)")
            default:
                throw OIDCError(
                    .providerUnavailable,
                    "\(purpose): the identity provider is unreachable (\(error.message)); try again later")
            }
        }
        if response.status >= 500 {
            throw OIDCError(
                .providerUnavailable,
                "\(purpose): the identity provider answered \(response.status) at \(redacted(request.url)); "
                    + "try again later")
        }
        return response
    }

    /// The body as a JSON object, or ``OIDCError/Code-swift.struct/invalidProviderResponse``.
    static func jsonObject(_ response: HTTPClientResponse, purpose: String) throws(OIDCError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONValue.parse(response.body)
        } catch {
            throw OIDCError(
                .invalidProviderResponse,
                "\(purpose): the answer (status \(response.status)) is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw OIDCError(.invalidProviderResponse, "\(purpose): the answer is JSON but not an object")
        }
        return object
    }

    /// The URL without query, fragment or user information, for messages.
    static func redacted(_ url: String) -> String {
        (try? HTTPClientURL.parse(url).redacted) ?? String(url.prefix { $0 != "?" && $0 != "#" }.prefix(200))
    }
}

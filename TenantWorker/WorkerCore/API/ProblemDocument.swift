// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPTypes
import Hummingbird
import NIOCore
import OCPPRPC

/// An RFC 9457 problem document: every REST error, and every refused OCPP upgrade, is one.
struct ProblemDocument: Error, HTTPResponseError, Sendable {
    static let contentType = "application/problem+json"

    var status: HTTPResponse.Status
    var title: String
    var detail: String
    /// A URI naming the problem kind; `about:blank` means "see the status code" (RFC 9457 §4.2.1).
    var type: String = "about:blank"
    /// Extension members (RFC 9457 §3.2), e.g. the OCPP error code a station answered with.
    var extensions: JSONObject = [:]
    var headers: HTTPFields = [:]

    init(
        status: HTTPResponse.Status, title: String? = nil, detail: String, type: String = "about:blank",
        extensions: JSONObject = [:], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.type = type
        self.extensions = extensions
        self.headers = headers
    }

    var bytes: [UInt8] {
        var object: JSONObject = [
            "type": .string(type), "title": .string(title), "status": .integer(Int64(status.code)),
            "detail": .string(detail),
        ]
        for member in extensions.members {
            object[member.key] = member.value
        }
        return JSONValue.object(object).serialized()
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = Self.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func badRequest(_ detail: String) -> ProblemDocument { .init(status: .badRequest, detail: detail) }
    static func notFound(_ detail: String) -> ProblemDocument { .init(status: .notFound, detail: detail) }
}

/// A JSON body built from ``JSONValue`` (snake_case keys, RFC 3339 times).
struct JSONBody: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var value: JSONValue

    init(status: HTTPResponse.Status = .ok, _ value: JSONValue) {
        self.status = status
        self.value = value
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }
}

extension Request {
    /// The request body as a JSON object, or a 400/415 problem saying what is wrong with it.
    func jsonObject(limit: Int = 1 << 20) async throws -> JSONObject {
        if let type = headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw ProblemDocument(status: .unsupportedMediaType, detail: "send the body as application/json")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch {
            throw ProblemDocument(status: .contentTooLarge, detail: "the body is larger than \(limit) bytes")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(Array(buffer.readableBytesView))
        } catch {
            throw ProblemDocument.badRequest("the body is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw ProblemDocument.badRequest("the body must be a JSON object")
        }
        return object
    }
}

/// Requests no route answers (an unknown path, or a method the path does not have) get a problem
/// document like every other refusal, not Hummingbird's empty 404. Added to the router itself, so
/// it also runs on its not-found path.
struct NotFoundProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            throw ProblemDocument(
                status: .notFound,
                detail: "no resource answers \(request.method.rawValue) \(request.uri.path); see /api/v1/openapi.json")
        }
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Hummingbird
import Logging

/// An RFC 9457 problem document: every error of the platform API is one
/// (`application/problem+json`, RFC 9457 §3).
struct PlatformProblem: Error, HTTPResponseError, Sendable {
    static let contentType = "application/problem+json"

    /// Problem types beyond the HTTP status (RFC 9457 §3.1.1: a URI; these are URNs because they
    /// need not be dereferenceable). `about:blank` means "see the status code" (§4.2.1).
    enum ProblemType {
        static let invalidRequest = "urn:open-csms:problem:invalid-request"
        static let operationFailed = "urn:open-csms:problem:operation-failed"
    }

    var status: HTTPResponse.Status
    var type: String
    var title: String
    var detail: String
    /// Extension members (RFC 9457 §3.2).
    var extensions: [String: PlatformJSON]
    var headers: HTTPFields

    init(
        status: HTTPResponse.Status, detail: String, type: String = "about:blank", title: String? = nil,
        extensions: [String: PlatformJSON] = [:], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.extensions = extensions
        self.headers = headers
    }

    init(_ error: PlatformError) {
        switch error.kind {
        case .invalid:
            self.init(
                status: .unprocessableContent, detail: error.detail, type: ProblemType.invalidRequest,
                title: "The request is not valid",
                extensions: [
                    "errors": .array(
                        error.fieldErrors.map { .object(["field": .string($0.field), "detail": .string($0.detail)]) })
                ])
        case .notFound:
            self.init(status: .notFound, detail: error.detail)
        case .conflict:
            var extensions: [String: PlatformJSON] = [:]
            if let step = error.failedStep { extensions["failed_step"] = .string(step) }
            self.init(status: .conflict, detail: error.detail, extensions: extensions)
        case .failed:
            var extensions: [String: PlatformJSON] = [
                "rolled_back": .array(error.rolledBack.map(PlatformJSON.string)),
                "rollback_failures": .array(error.rollbackFailures.map(PlatformJSON.string)),
            ]
            if let step = error.failedStep { extensions["failed_step"] = .string(step) }
            self.init(
                status: .internalServerError, detail: error.detail, type: ProblemType.operationFailed,
                title: "The operation failed", extensions: extensions)
        }
    }

    var body: PlatformJSON {
        var object = extensions
        object["type"] = .string(type)
        object["title"] = .string(title)
        object["status"] = .int(Int64(status.code))
        object["detail"] = .string(detail)
        return .object(object)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = Self.contentType
        headers[.cacheControl] = "no-store"
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.serialized())))
    }
}

/// Turns every error below it into a problem document: `PlatformError`s by their kind,
/// Hummingbird's own errors (unknown route, bad parameter) by their status, and anything else
/// into a 500 that is logged.
struct PlatformProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as PlatformProblem {
            throw problem
        } catch let error as PlatformError {
            if error.kind == .failed {
                context.logger.error(
                    "platform API request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            } else {
                context.logger.notice(
                    "platform API request refused",
                    metadata: ["http.path": "\(request.uri.path)", "reason": "\(error.detail)"])
            }
            throw PlatformProblem(error)
        } catch let error as HTTPError {
            throw PlatformProblem(status: error.status, detail: error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error(
                "platform API request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            throw PlatformProblem(status: .internalServerError, detail: "internal error: \(error)")
        }
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// AuthorizeRequest (OCPP 2.0.1 C01): may this idToken charge?
///
/// Every outcome is a normal answer (`Unknown` for a token not in the tenant's list, `Blocked`,
/// `Expired`, `Invalid`), never a CALLERROR (OCPP-J 2.0.1 §4.2.2). ISO 15118 certificate data in
/// the request is not checked: `certificateStatus` is left out, which the response schema allows.
enum AuthorizeHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let (token, type) = IdTokenInfo.token(payload) ?? ("", nil)
        let result: AuthorizationResult
        if type == IdTokenInfo.noAuthorizationType {
            result = IdTokenInfo.notRequired
        } else {
            result = try await context.store.authorize(token: token, type: type, at: context.now())
        }
        if result.status == .accepted {
            context.logger.info("idToken \(token) (\(type ?? "")) accepted for \(context.identity)")
        } else {
            context.logger.notice(
                "idToken \(token) (\(type ?? "")) refused for \(context.identity): \(result.status.rawValue)")
        }
        return ["idTokenInfo": IdTokenInfo.wire(result)]
    }
}

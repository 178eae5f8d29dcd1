// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// Authorize.req (OCPP 1.6 §4.1): may this idTag charge?
enum AuthorizeHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let idTag = payload.string("idTag") ?? ""
        // 1.6 idTags carry no type: the tag is matched whatever type it was registered with.
        let result = try await context.store.authorize(token: idTag, type: nil, at: context.now())
        if result.status == .accepted {
            context.logger.info("idTag \(idTag) accepted for \(context.identity)")
        } else {
            context.logger.notice("idTag \(idTag) refused for \(context.identity): \(result.status.rawValue)")
        }
        return ["idTagInfo": IdTagInfo.wire(result)]
    }
}

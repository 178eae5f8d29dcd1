// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPRPC

/// The OCPP 1.6 `IdTagInfo` object (Authorize, StartTransaction and StopTransaction answers).
enum IdTagInfo {
    /// OCPP 1.6 `IdToken` is CiString20: a longer parent token (a 2.0.1 group token can have 36
    /// characters) would make the answer fail the response schema, so it is left out.
    static let maxIdTagLength = 20

    static func wire(_ result: AuthorizationResult) -> JSONValue {
        // 1.6 has no `Unknown`: an unknown tag is `Invalid` (OCPP 1.6 §7 AuthorizationStatus).
        var info: JSONObject = ["status": .string(result.status.ocpp16)]
        if let expiry = result.expiresAt {
            info["expiryDate"] = .string(OCPPDateTime.format(expiry))
        }
        if let parent = result.parentToken, !parent.isEmpty, parent.count <= maxIdTagLength {
            info["parentIdTag"] = .string(parent)
        }
        return .object(info)
    }
}

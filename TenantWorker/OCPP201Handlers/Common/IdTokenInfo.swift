// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import OCPPRPC

/// The OCPP 2.0.1 `IdTokenInfoType` (Authorize and TransactionEvent answers) and the `IdTokenType`
/// a station sends.
enum IdTokenInfo {
    /// `IdTokenType.idToken` is identifierString[36]: a longer parent token would make the answer
    /// fail the response schema, so it is left out rather than sent.
    static let maxIdTokenLength = 36
    /// The group token type: parent tokens are issued by this CSMS.
    static let groupTokenType = "Central"
    /// `IdTokenEnumType.NoAuthorization`: the station starts without any authorization (a start
    /// button, a mechanical key) and the idToken "SHALL be left empty" (OCPP 2.0.1 Part 2
    /// IdTokenEnumType), so there is no token the CSMS could look up.
    static let noAuthorizationType = "NoAuthorization"

    /// `idToken.idToken` and `idToken.type` of a request, nil when absent.
    static func token(_ payload: JSONObject) -> (token: String, type: String?)? {
        guard let idToken = payload.object("idToken"), let token = idToken.string("idToken") else { return nil }
        return (token, idToken.string("type"))
    }

    /// The answer for a token of type `NoAuthorization`: nothing to refuse, the station did not
    /// ask for an authorization. Answering `Unknown` would make a station that stops transactions
    /// on an invalid token (`StopTxOnInvalidId`) end a free-vend session.
    static let notRequired = AuthorizationResult(status: .accepted)

    static func wire(_ result: AuthorizationResult) -> JSONValue {
        // 2.0.1 has every AuthorizationStatus case, `Unknown` included (AuthorizationStatusEnumType).
        var info: JSONObject = ["status": .string(result.status.rawValue)]
        if let expiry = result.expiresAt {
            info["cacheExpiryDateTime"] = .string(OCPPDateTime.format(expiry))
        }
        if let parent = result.parentToken, !parent.isEmpty, parent.unicodeScalars.count <= maxIdTokenLength {
            info["groupIdToken"] = ["idToken": .string(parent), "type": .string(groupTokenType)]
        }
        return .object(info)
    }
}

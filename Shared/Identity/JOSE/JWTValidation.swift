// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation
public import JSON

/// What a JWT must say to be accepted: who issued it, for whom, with which algorithms, how fresh.
public struct JWTValidation: Sendable {
    /// Compared byte for byte with `iss` (OIDC Core 1.0 §3.1.3.7 item 2).
    public var issuer: String
    /// Must be one of `aud` (OIDC Core 1.0 §3.1.3.7 item 3); with several audiences `azp` must equal
    /// it (item 4).
    public var audience: String
    /// Further audiences a token may name besides ``audience``; any other one makes the token
    /// rejected, because it "contains additional audiences not trusted by the Client" (item 3).
    public var additionalTrustedAudiences: Set<String> = []
    /// The server-side allow-list; the token header never widens it (RFC 8725 §3.1).
    public var allowedAlgorithms: Set<JWSAlgorithm> = [.rs256, .es256]
    /// Clock skew tolerated on `exp`, `nbf` and `iat` (RFC 7519 §4.1.4 allows "a small leeway").
    public var leeway: Duration = .seconds(60)
    /// `exp` must be present (OIDC Core 1.0 §2 makes it required in ID tokens).
    public var requireExpiry = true
    /// When set, `iat` must be present and not older than this (OIDC Core 1.0 §3.1.3.7 item 10).
    public var maxAge: Duration? = nil
    /// When set, the header's `typ` must equal it, ignoring case and an `application/` prefix
    /// (RFC 7515 §4.1.9); explicit typing keeps one kind of token from passing as another
    /// (RFC 8725 §3.11). A mismatch is reported as ``JWTRejection/Reason-swift.enum/malformed``.
    public var requiredType: String? = nil
    public var clock: @Sendable () -> Date = { Date() }

    public init(issuer: String, audience: String) {
        self.issuer = issuer
        self.audience = audience
    }
}

/// A JWT whose signature, issuer, audience and validity period have all been checked.
public struct VerifiedToken: Sendable {
    public let algorithm: JWSAlgorithm
    public let keyID: String?
    /// The whole payload, including the claims read into the properties below.
    public let claims: JSONObject
    public let issuer: String
    public let subject: String
    public let audiences: [String]
    public let expiresAt: Date?
    public let issuedAt: Date?
    public let notBefore: Date?

    /// A claim that is a string, else nil.
    public func string(_ claim: String) -> String? {
        if case .string(let value)? = claims[claim] { value } else { nil }
    }

    /// A claim that is a string or an array (e.g. `groups`, `roles`): its string values; empty when
    /// the claim is absent or of another type.
    public func strings(_ claim: String) -> [String] {
        switch claims[claim] {
        case .string(let value)?:
            return [value]
        case .array(let values)?:
            return values.compactMap { if case .string(let value) = $0 { value } else { nil } }
        default:
            return []
        }
    }
}

/// Why a JWT was refused; becomes a 401 with ``wwwAuthenticate``.
public struct JWTRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case malformed
        case algorithmNotAllowed = "algorithm_not_allowed"
        case unknownKey = "unknown_key"
        case badSignature = "bad_signature"
        case expired
        case notYetValid = "not_yet_valid"
        case issuedInTheFuture = "issued_in_the_future"
        case tooOld = "too_old"
        case wrongIssuer = "wrong_issuer"
        case wrongAudience = "wrong_audience"
        case missingClaim = "missing_claim"
    }

    public let reason: Reason
    /// One sentence for the client and the log; never contains key material.
    public let detail: String

    public init(reason: Reason, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    init(_ reason: Reason, _ detail: String) {
        self.init(reason: reason, detail: detail)
    }

    public var description: String { "\(reason.rawValue): \(detail)" }

    /// RFC 6750 §3: `Bearer error="invalid_token", error_description="<detail>"`.
    ///
    /// `"` and `\` in the detail are escaped as in an RFC 9110 §5.6.4 quoted-string, and every byte
    /// outside printable ASCII becomes `?`, so a value echoed from the token cannot break the header.
    public var wwwAuthenticate: String {
        var text = ""
        for scalar in detail.unicodeScalars.prefix(300) {
            switch scalar.value {
            case 0x22, 0x5C:
                text.append("\\")
                text.unicodeScalars.append(scalar)
            case 0x20...0x7E:
                text.unicodeScalars.append(scalar)
            default:
                text.append("?")
            }
        }
        return "Bearer error=\"invalid_token\", error_description=\"\(text)\""
    }
}

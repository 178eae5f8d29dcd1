// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Credentials
import Foundation
import JSON

/// Checks compact-serialised JWS JWTs (RFC 7515 §7.1, RFC 7519) against a ``JWTValidation``.
///
/// Pure and synchronous: no I/O, no shared state, so it runs on any thread per request. Keys come
/// from the caller; on ``JWTRejection/Reason-swift.enum/unknownKey`` the caller may refetch the JWK
/// Set once and retry (OIDC Core 1.0 §10.1.1).
public struct JWTVerifier: Sendable {
    public let validation: JWTValidation

    /// Tokens longer than this are refused before any decoding; real ID and access tokens, even with
    /// large `groups` claims, stay far below it.
    public static let maximumTokenLength = 64 * 1024

    public init(validation: JWTValidation) {
        self.validation = validation
    }

    /// Decodes (3 base64url parts, JSON header and payload via the strict parser), checks `alg` against
    /// the allow-list before any key work (never `none`, never HS*; a `crit` header → malformed;
    /// `jku`/`x5u`/`jwk`/`x5c` headers are ignored), finds the key by `kid` + `alg` (→ unknownKey),
    /// verifies the signature, then `iss`, `aud`/`azp`, `exp`/`nbf`/`iat` with leeway, maxAge, and
    /// that `sub` is present.
    public func verify(_ token: String, keys: JSONWebKeySet) throws(JWTRejection) -> VerifiedToken {
        let parts = try Self.split(token)
        let header = try Self.decodeObject(parts.header, part: "header")

        // RFC 8725 §3.1: the algorithm is checked against our own list first, so `none` and HS256
        // never reach key selection.
        guard case .string(let name)? = header["alg"] else {
            throw JWTRejection(.malformed, "the header has no alg string")
        }
        guard let algorithm = JWSAlgorithm(rawValue: name), validation.allowedAlgorithms.contains(algorithm) else {
            throw JWTRejection(.algorithmNotAllowed, "alg \(Self.quoted(name)) is not allowed")
        }
        // RFC 7515 §4.1.11: extensions listed in crit must be understood; this verifier knows none.
        if header["crit"] != nil {
            throw JWTRejection(.malformed, "the header has crit extensions, none of which are supported")
        }
        if let requiredType = validation.requiredType {
            guard case .string(let type)? = header["typ"], Self.sameMediaType(type, requiredType) else {
                throw JWTRejection(.malformed, "the header typ is not \(Self.quoted(requiredType))")
            }
        }
        let keyID: String?
        switch header["kid"] {
        case nil: keyID = nil
        case .string(let value)?: keyID = value
        default: throw JWTRejection(.malformed, "the header kid is not a string")
        }

        let claims = try Self.decodeObject(parts.payload, part: "payload")
        guard let signature = Base64.decode(parts.signature, alphabet: .urlSafe) else {
            throw JWTRejection(.malformed, "the signature is not unpadded base64url")
        }

        guard let key = keys.key(id: keyID, algorithm: algorithm) else {
            let which = keyID.map { "kid \(Self.quoted($0))" } ?? "a token without kid"
            throw JWTRejection(.unknownKey, "no \(algorithm.rawValue) key for \(which)")
        }
        // RFC 7515 §5.2 step 8: the JWS Signing Input is the ASCII text "header.payload".
        let signingInput = Array(token.utf8.prefix(parts.header.utf8.count + 1 + parts.payload.utf8.count))
        if algorithm == .es256, signature.count != 2 * OpenSSLKeys.p256FieldBytes {
            throw JWTRejection(.badSignature, "an ES256 signature is 64 bytes (RFC 7518 §3.4), got \(signature.count)")
        }
        guard OpenSSLKeys.verify(signature: signature, message: signingInput, key: key.key, algorithm: algorithm)
        else {
            throw JWTRejection(.badSignature, "the \(algorithm.rawValue) signature does not verify")
        }

        return try check(claims: claims, algorithm: algorithm, keyID: keyID)
    }

    private func check(
        claims: JSONObject, algorithm: JWSAlgorithm, keyID: String?
    ) throws(JWTRejection)
        -> VerifiedToken
    {
        guard let issuer = try Self.string("iss", in: claims) else {
            throw JWTRejection(.missingClaim, "the token has no iss")
        }
        guard issuer == validation.issuer else {
            throw JWTRejection(.wrongIssuer, "iss \(Self.quoted(issuer)) is not the expected issuer")
        }

        let audiences = try Self.audiences(in: claims)
        guard audiences.contains(validation.audience) else {
            throw JWTRejection(.wrongAudience, "aud does not include \(Self.quoted(validation.audience))")
        }
        if audiences.count > 1 {
            // OIDC Core 1.0 §3.1.3.7 items 3 and 4.
            guard try Self.string("azp", in: claims) == validation.audience else {
                throw JWTRejection(.wrongAudience, "a token with several audiences needs azp equal to the client")
            }
            if let untrusted = audiences.first(where: {
                $0 != validation.audience && !validation.additionalTrustedAudiences.contains($0)
            }) {
                throw JWTRejection(.wrongAudience, "aud includes the untrusted audience \(Self.quoted(untrusted))")
            }
        }

        let now = validation.clock().timeIntervalSince1970
        let leeway = Self.seconds(validation.leeway)
        let expiresAt = try Self.numericDate("exp", in: claims)
        let notBefore = try Self.numericDate("nbf", in: claims)
        let issuedAt = try Self.numericDate("iat", in: claims)
        if let expiresAt {
            // RFC 7519 §4.1.4: the current time MUST be before exp.
            guard now < expiresAt + leeway else {
                throw JWTRejection(.expired, "the token expired at \(Self.timestamp(expiresAt))")
            }
        } else if validation.requireExpiry {
            throw JWTRejection(.missingClaim, "the token has no exp")
        }
        if let notBefore, now + leeway < notBefore {
            throw JWTRejection(.notYetValid, "the token is not valid before \(Self.timestamp(notBefore))")
        }
        if let issuedAt, now + leeway < issuedAt {
            throw JWTRejection(.issuedInTheFuture, "the token was issued in the future (\(Self.timestamp(issuedAt)))")
        }
        if let maxAge = validation.maxAge {
            guard let issuedAt else { throw JWTRejection(.missingClaim, "the token has no iat") }
            guard now - issuedAt <= Self.seconds(maxAge) + leeway else {
                throw JWTRejection(.tooOld, "the token was issued at \(Self.timestamp(issuedAt)), too long ago")
            }
        }

        guard let subject = try Self.string("sub", in: claims) else {
            throw JWTRejection(.missingClaim, "the token has no sub")
        }
        return VerifiedToken(
            algorithm: algorithm, keyID: keyID, claims: claims, issuer: issuer, subject: subject,
            audiences: audiences, expiresAt: expiresAt.map(Date.init(timeIntervalSince1970:)),
            issuedAt: issuedAt.map(Date.init(timeIntervalSince1970:)),
            notBefore: notBefore.map(Date.init(timeIntervalSince1970:)))
    }

    // MARK: Decoding

    private static func split(
        _ token: String
    ) throws(JWTRejection) -> (
        header: Substring, payload: Substring, signature: Substring
    ) {
        guard token.utf8.count <= maximumTokenLength else {
            throw JWTRejection(.malformed, "the token is longer than \(maximumTokenLength) bytes")
        }
        // Split on the UTF-8 view: Character-based splitting costs more than the rest of the parsing.
        let parts = token.utf8.split(separator: UInt8(ascii: "."), maxSplits: 3, omittingEmptySubsequences: false)
        // RFC 7519 §7.2 step 1; five parts would be a JWE, which is not accepted here.
        guard parts.count == 3 else {
            let count = parts.count > 3 ? "more than 3" : "\(parts.count)"
            throw JWTRejection(.malformed, "a JWS compact serialisation has 3 dot-separated parts, got \(count)")
        }
        return (Substring(parts[0]), Substring(parts[1]), Substring(parts[2]))
    }

    private static func decodeObject(_ part: Substring, part name: String) throws(JWTRejection) -> JSONObject {
        guard let bytes = Base64.decode(part, alphabet: .urlSafe) else {
            throw JWTRejection(.malformed, "the \(name) is not unpadded base64url")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw JWTRejection(.malformed, "the \(name) is not valid JSON (\(error.code) at byte \(error.offset))")
        }
        guard case .object(let object) = value else {
            throw JWTRejection(.malformed, "the \(name) is not a JSON object")
        }
        return object
    }

    private static func string(_ claim: String, in claims: JSONObject) throws(JWTRejection) -> String? {
        switch claims[claim] {
        case nil: return nil
        case .string(let value)?: return value
        default: throw JWTRejection(.malformed, "\(claim) is not a string")
        }
    }

    /// RFC 7519 §4.1.3: a single string or an array of strings.
    private static func audiences(in claims: JSONObject) throws(JWTRejection) -> [String] {
        switch claims["aud"] {
        case nil:
            throw JWTRejection(.missingClaim, "the token has no aud")
        case .string(let value)?:
            return [value]
        case .array(let values)?:
            var audiences: [String] = []
            for value in values {
                guard case .string(let audience) = value else {
                    throw JWTRejection(.malformed, "aud holds a value that is not a string")
                }
                audiences.append(audience)
            }
            return audiences
        default:
            throw JWTRejection(.malformed, "aud is neither a string nor an array of strings")
        }
    }

    /// RFC 7519 §2 NumericDate: seconds since the epoch, fractions allowed.
    private static func numericDate(_ claim: String, in claims: JSONObject) throws(JWTRejection) -> Double? {
        switch claims[claim] {
        case nil: return nil
        case .integer(let value)?: return Double(value)
        case .number(let value)?: return value
        default: throw JWTRejection(.malformed, "\(claim) is not a NumericDate")
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private static func timestamp(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).ISO8601Format()
    }

    /// RFC 7515 §4.1.9: `typ` is compared case-insensitively, with `application/` optional.
    private static func sameMediaType(_ a: String, _ b: String) -> Bool {
        func normal(_ text: String) -> String {
            let lower = text.lowercased()
            return lower.hasPrefix("application/") ? String(lower.dropFirst("application/".count)) : lower
        }
        return normal(a) == normal(b)
    }

    /// A value from the token, quoted and cut short, for a detail message.
    private static func quoted(_ value: String) -> String {
        value.count > 64 ? "\"\(value.prefix(64))…\"" : "\"\(value)\""
    }
}

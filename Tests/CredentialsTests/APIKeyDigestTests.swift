// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Credentials
import Testing

@Suite("API key digests")
struct APIKeyDigestTests {
    @Test func theMatchingStoredDigestIsFound() {
        let digests = [
            PasswordHash.sha256Hex(Array("first-key".utf8)), PasswordHash.sha256Hex(Array("second-key".utf8)),
        ]
        #expect(APIKeyDigest.index(of: "second-key", among: digests) == 1)
        #expect(APIKeyDigest.index(of: "first-key", among: digests) == 0)
        #expect(APIKeyDigest.index(of: "third-key", among: digests) == nil)
        #expect(APIKeyDigest.index(of: "", among: digests) == nil)
        // The digest itself is not a key.
        #expect(APIKeyDigest.index(of: digests[0], among: digests) == nil)
        #expect(APIKeyDigest.index(of: "first-key", among: []) == nil)
    }
}

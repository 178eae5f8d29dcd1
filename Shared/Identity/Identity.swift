// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Who is calling: JOSE (JWKs, JWT verification with RS256/ES256, the platform's ES256 session
/// tokens) in `JOSE/`, and the OIDC relying party (discovery, JWKS cache, authorization code with
/// PKCE, token exchange) in `OIDC/`. Every signature goes through OpenSSL, every outbound call
/// through libcurl (the HTTPClient module).
public enum Identity {}

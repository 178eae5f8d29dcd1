// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Common

/// Defaults for every request of one ``OutboundHTTPClient``.
public struct HTTPClientConfiguration: Sendable {
    /// Threads that run libcurl transfers; more concurrent requests wait for a free one.
    public var maximumConcurrentTransfers: Int = 8
    /// Name resolution, TCP and TLS handshake.
    public var connectTimeout: Duration = .seconds(10)
    /// The whole exchange. libcurl's own default is no limit at all, so one is always set.
    public var timeout: Duration = .seconds(30)
    public var maximumResponseBodySize: Int = 8 * 1024 * 1024
    public var redirects: HTTPClientRedirectPolicy = .doNotFollow
    public var userAgent: String = "open-csms/\(CSMSVersion.current)"
    /// A PEM file of trusted CA certificates; nil uses the system bundle libcurl was built with
    /// (Debian: /etc/ssl/certs/ca-certificates.crt).
    public var caBundlePath: String?

    public init() {}
}

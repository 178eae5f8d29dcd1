// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// The version reported by `/healthz` and `--version`.
public enum CSMSVersion {
    public static let current = "0.1.0"
}

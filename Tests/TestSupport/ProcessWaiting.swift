// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation

extension Process {
    /// Waits for the process to exit without blocking a thread of the concurrency pool (which has
    /// only as many threads as cores: `waitUntilExit()` there can starve every other test).
    /// Returns true once Foundation has seen the exit (so `terminationStatus` may be read), false
    /// when `timeout` passed first.
    @discardableResult
    public func exit(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}

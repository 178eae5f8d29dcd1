// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import Foundation

extension Process {
    /// Waits for the process to exit without blocking a thread of the concurrency pool (which has
    /// only as many threads as cores: `waitUntilExit()` there can starve every other test).
    /// Returns true when it exited (or became a zombie) within `timeout`.
    @discardableResult
    public func exit(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning && Self.alive(processIdentifier) {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    /// Whether `pid` exists and is not a zombie (an exited child not yet reaped).
    static func alive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
        return state != "Z" && state != "X"
    }
}

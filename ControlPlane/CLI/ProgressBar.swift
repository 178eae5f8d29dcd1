// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient
import Synchronization

/// The text of an upload progress bar: `[#####.....] 45% 14.2 MiB/31.5 MiB`.
enum ProgressBar {
    static func line(sent: Int64, total: Int64, width: Int = 30) -> String {
        guard total > 0 else { return "\(size(sent)) sent" }
        let fraction = min(1, max(0, Double(sent) / Double(total)))
        let filled = min(width, Int((fraction * Double(width)).rounded()))
        let percent = Int((fraction * 100).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + "\(percent)% \(size(sent))/\(size(total))"
    }

    /// Binary units with one decimal: `512 B`, `12.5 KiB`, `14.2 MiB`, `1.1 GiB`.
    static func size(_ bytes: Int64) -> String {
        guard bytes >= 1024 else { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}

/// Shows an upload's progress on stderr. libcurl reports from its transfer thread as often as
/// data moves; a terminal is redrawn at most every `interval` (and once more at 100 %), in place
/// with a carriage return. When stderr is not a terminal (a log file, CI) nothing is drawn while
/// the upload runs and ``finish()`` writes one line with the final figures.
final class UploadProgressDisplay: Sendable {
    private struct State {
        var latest: HTTPClientProgress?
        var lastDrawn: ContinuousClock.Instant?
        var drewComplete = false
        var finished = false
    }

    private let interactive: Bool
    private let interval: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let output: @Sendable (String) -> Void
    private let state = Mutex(State())

    init(
        interactive: Bool, interval: Duration = .milliseconds(100),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        output: @escaping @Sendable (String) -> Void
    ) {
        self.interactive = interactive
        self.interval = interval
        self.now = now
        self.output = output
    }

    /// The ``HTTPClientRequest/progress`` callback.
    func update(_ progress: HTTPClientProgress) {
        let instant = now()
        let text = state.withLock { state -> String? in
            guard !state.finished else { return nil }
            state.latest = progress
            guard interactive else { return nil }
            let complete = progress.uploadTotal > 0 && progress.uploaded >= progress.uploadTotal
            if complete {
                guard !state.drewComplete else { return nil }
                state.drewComplete = true
            } else if let last = state.lastDrawn, instant - last < interval {
                return nil
            }
            state.lastDrawn = instant
            return "\r" + ProgressBar.line(sent: progress.uploaded, total: progress.uploadTotal) + "\u{1B}[K"
        }
        if let text { output(text) }
    }

    /// Ends the display: the last figures on a line of their own.
    func finish() {
        let text = state.withLock { state -> String? in
            guard !state.finished else { return nil }
            state.finished = true
            guard let latest = state.latest else { return nil }
            let line = ProgressBar.line(sent: latest.uploaded, total: latest.uploadTotal)
            if interactive { return "\r" + line + "\u{1B}[K\n" }
            return line + "\n"
        }
        if let text { output(text) }
    }
}

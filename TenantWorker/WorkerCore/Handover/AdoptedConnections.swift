// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import NIOConcurrencyHelpers
import NIOCore

/// The connections this worker adopted from the router, for the plan's connection limit and for
/// shutdown. Hummingbird counts and quiesces only the connections its own listener accepted, so
/// adopted ones are tracked here.
final class AdoptedConnections: Sendable {
    private struct Entry {
        let channel: any Channel
        /// Counted against the limit (a refused connection, answered with 503, is not).
        let admitted: Bool
    }

    private struct State {
        var draining = false
        /// Admitted connections still open, including those being adopted right now.
        var admitted = 0
        var channels: [ObjectIdentifier: Entry] = [:]
    }

    private let state = NIOLockedValueBox(State())

    /// Decides what to do with the next connection; `.admit` reserves one place under `limit`,
    /// which ``detach(_:)`` (the channel closed) or ``cancelReservation()`` (never adopted) frees.
    func admit(limit: Int) -> HandoverPolicy.Admission {
        state.withLockedValue { state in
            let decision = HandoverPolicy.admission(draining: state.draining, open: state.admitted, limit: limit)
            if decision == .admit { state.admitted += 1 }
            return decision
        }
    }

    func cancelReservation() {
        state.withLockedValue { $0.admitted -= 1 }
    }

    func attach(_ channel: any Channel, admitted: Bool) {
        state.withLockedValue { $0.channels[ObjectIdentifier(channel)] = Entry(channel: channel, admitted: admitted) }
    }

    func detach(_ channel: any Channel) {
        state.withLockedValue { state in
            if let entry = state.channels.removeValue(forKey: ObjectIdentifier(channel)), entry.admitted {
                state.admitted -= 1
            }
        }
    }

    /// From now on every new connection is refused; returns the open ones.
    func beginDraining() -> [any Channel] {
        state.withLockedValue { state in
            state.draining = true
            return state.channels.values.map(\.channel)
        }
    }

    var isDraining: Bool { state.withLockedValue { $0.draining } }

    /// Open adopted connections, refused ones included.
    var openCount: Int { state.withLockedValue { $0.channels.count } }

    var admittedCount: Int { state.withLockedValue { $0.admitted } }

    var channels: [any Channel] { state.withLockedValue { $0.channels.values.map(\.channel) } }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Synchronization

/// Connections received on one thread (the router's, a hand-over socket's reader) and waiting for an
/// adoption loop on the concurrency pool. A plain queue rather than an AsyncStream of descriptors:
/// a stream drops what it buffers when its consumer is cancelled, and each descriptor here must be
/// adopted or closed, never forgotten.
public final class DescriptorInbox<Item: Sendable>: Sendable {
    private struct State {
        var pending: [Item] = []
        var closed = false
    }

    private let state = Mutex(State())
    /// Yields after each ``put(_:)``; ends with ``stop()`` or ``close()``.
    public let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    public init() {
        (signals, signal) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// False when closed: the caller still owns the item and closes its descriptor.
    public func put(_ item: Item) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.pending.append(item)
            return true
        }
        if accepted { signal.yield() }
        return accepted
    }

    /// Everything put since the last call.
    public func take() -> [Item] {
        state.withLock { state in
            defer { state.pending.removeAll() }
            return state.pending
        }
    }

    /// Ends the adoption loop's wait; items can still be put until ``close()``.
    public func stop() {
        signal.finish()
    }

    /// No more items; returns those not taken yet, for the caller to close.
    public func close() -> [Item] {
        signal.finish()
        return state.withLock { state in
            state.closed = true
            defer { state.pending.removeAll() }
            return state.pending
        }
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One thread per pool that finishes statements sent without blocking: it waits (poll) on the
/// sockets of the pool's connections and, when the socket of a connection with a statement in flight
/// becomes readable, reads the result with non-blocking libpq calls and resumes the waiting task.
///
/// A single statement thus costs one thread hand-over (this thread → the caller) instead of two
/// (caller → pool thread → caller), and one wake-up serves every connection that became readable.
/// Blocking libpq calls (connecting, preparing, scripts, pipelines) still run on the `NIOThreadPool`.
///
/// The poll set holds every open connection of the pool, so registering a waiting statement is a
/// table update under a lock, without a system call or a wake-up. A socket that becomes readable while
/// nobody waits on it (a FATAL message before the server closes an idle connection, or the result of a
/// statement run by a pool thread) is parked: left out of the poll set until the next registration,
/// which then wakes the thread through a pipe.
///
/// `@unchecked Sendable`: the pipe descriptors are immutable after `init`, and everything mutable is
/// inside the `Mutex`; the loop thread's own poll array is local to that thread.
final class PGIOLoop: @unchecked Sendable {
    typealias Callback = @Sendable (_ readable: Bool, _ writable: Bool) -> Void

    private struct Member {
        var callback: Callback?
        var wantsWrite = false
        var parked = false
    }

    private struct State {
        var members: [Int32: Member] = [:]
        /// Bumped whenever the poll set changes; the loop rebuilds its array when it differs.
        var version = 0
        var stopped = false
    }

    private let state = Mutex(State())
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// `false` when the wake-up pipe or the thread could not be created: every statement then runs
    /// on the thread pool.
    let isSupported: Bool

    init() {
        var fds: [Int32] = [-1, -1]
        var ok = pipe(&fds) == 0
        wakeRead = fds[0]
        wakeWrite = fds[1]
        if ok {
            for fd in fds {
                ok = ok && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0
                ok = ok && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0
            }
        }
        isSupported = ok
        if ok && !Self.startThread(for: self) {
            state.withLock { $0.stopped = true }  // every `watch` is refused: statements use the thread pool
        }
    }

    deinit {
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    /// Adds the socket of a newly opened connection to the poll set.
    func add(fd: Int32) {
        guard isSupported else { return }
        state.withLock { s in
            s.members[fd] = Member()
            s.version += 1
        }
        wake()
    }

    /// Removes a connection's socket; call before the socket is closed.
    func remove(fd: Int32) {
        guard isSupported else { return }
        let removed = state.withLock { s in
            guard s.members.removeValue(forKey: fd) != nil else { return false }
            s.version += 1
            return true
        }
        if removed { wake() }
    }

    /// Calls `callback` once, on the loop thread, when `fd` is readable (or writable, if `writable`).
    /// Returns `false` if the socket is not watched; the caller must then wait some other way.
    func watch(fd: Int32, writable: Bool, _ callback: @escaping Callback) -> Bool {
        guard isSupported else { return false }
        let outcome = state.withLock { s -> (accepted: Bool, wake: Bool) in
            guard !s.stopped, var member = s.members[fd] else { return (false, false) }
            member.callback = callback
            var needsWake = false
            if member.parked || member.wantsWrite != writable {
                member.parked = false
                member.wantsWrite = writable
                s.version += 1
                needsWake = true
            }
            s.members[fd] = member
            return (true, needsWake)
        }
        if outcome.wake { wake() }
        return outcome.accepted
    }

    /// Whether data may have arrived on `fd` since the loop last saw it quiet: `false` means the
    /// loop is polling the socket and has not seen it readable, so an idle connection needs no
    /// system call to prove that the server has not closed it.
    func mayHaveInput(fd: Int32) -> Bool {
        guard isSupported else { return true }
        return state.withLock { s in s.stopped || (s.members[fd]?.parked ?? true) }
    }

    /// Ends the loop thread. Callbacks still registered are dropped: stop only after every connection
    /// has been closed.
    func stop() {
        guard isSupported else { return }
        state.withLock { $0.stopped = true }
        wake()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // EAGAIN (pipe full) is fine: a wake-up is pending anyway
    }

    /// Starts the loop's thread, which keeps the loop alive until `stop()`.
    private static func startThread(for loop: PGIOLoop) -> Bool {
        let unmanaged = Unmanaged.passRetained(loop)
        #if canImport(Darwin)
            var thread: pthread_t? = nil
        #else
            var thread = pthread_t()
        #endif
        let rc = pthread_create(
            &thread, nil,
            { argument in
                guard let argument else { return nil }
                let loop = Unmanaged<PGIOLoop>.fromOpaque(argument).takeRetainedValue()
                loop.run()
                return nil
            }, unmanaged.toOpaque())
        guard rc == 0 else {
            unmanaged.release()
            return false
        }
        #if canImport(Darwin)
            if let thread { pthread_detach(thread) }
        #else
            pthread_detach(thread)
        #endif
        return true
    }

    private func run() {
        var fds: [pollfd] = []
        var builtVersion = -1
        var drain = [UInt8](repeating: 0, count: 64)
        while true {
            let (stopped, version, snapshot) = state.withLock { s -> (Bool, Int, [pollfd]?) in
                if s.stopped { return (true, s.version, nil) }
                guard s.version != builtVersion else { return (false, s.version, nil) }
                var set = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
                for (fd, member) in s.members where !member.parked {
                    set.append(
                        pollfd(fd: fd, events: Int16(POLLIN) | (member.wantsWrite ? Int16(POLLOUT) : 0), revents: 0))
                }
                return (false, s.version, set)
            }
            if stopped { return }
            if let snapshot {
                fds = snapshot
                builtVersion = version
            }
            let n = poll(&fds, nfds_t(fds.count), -1)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[0].revents != 0 {
                while read(wakeRead, &drain, drain.count) > 0 {}
            }
            for i in 1..<fds.count where fds[i].revents != 0 {
                let fd = fds[i].fd
                let events = fds[i].revents
                fds[i].revents = 0
                let callback = state.withLock { s -> Callback? in
                    guard var member = s.members[fd] else { return nil }  // removed meanwhile
                    if let callback = member.callback {
                        member.callback = nil
                        if member.wantsWrite {
                            member.wantsWrite = false
                            s.version += 1
                        }
                        s.members[fd] = member
                        return callback
                    }
                    member.parked = true
                    s.members[fd] = member
                    s.version += 1
                    return nil
                }
                let readable = events & Int16(POLLIN | POLLHUP | POLLERR | POLLNVAL) != 0
                callback?(readable, events & Int16(POLLOUT) != 0)
            }
        }
    }
}

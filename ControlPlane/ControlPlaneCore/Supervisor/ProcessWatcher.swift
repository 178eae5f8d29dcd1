// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// How a watched worker process ended.
public enum WorkerExit: Sendable, Equatable, CustomStringConvertible {
    case exited(status: Int32)
    case signaled(signal: Int32)
    /// An adopted worker is not this process's child: it was reaped elsewhere, its status is unknown.
    case unknown

    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signaled(let signal): "killed by signal \(signal)"
        case .unknown: "exited (not a child of this control plane; status unknown)"
        }
    }
}

/// One thread that watches every worker process and reads every worker's output, so that neither
/// blocks a thread of the Swift concurrency pool (which has only as many threads as cores).
///
/// Exits are noticed at once through a pidfd (Linux 5.3; readable when the process ends, for a child
/// and for an adopted worker alike). Without pidfd support, children are reaped with
/// `waitpid(WNOHANG)` and adopted workers probed with `kill(pid, 0)` every 200 ms.
/// Output is split into lines and handed to `onLine`; a line longer than 16 KiB is cut.
final class ProcessWatcher: Sendable {
    typealias ExitHandler = @Sendable (WorkerExit) -> Void
    typealias LineHandler = @Sendable (String) -> Void

    private enum Command {
        case watch(pid: Int32, pidfd: Int32, isChild: Bool, onExit: ExitHandler)
        case output(fd: Int32, onLine: LineHandler)
    }

    private struct Shared {
        var commands: [Command] = []
        /// pid → pidfd (-1 when the process is polled instead), for signalling without pid-reuse races.
        var watched: [Int32: Int32] = [:]
        var stopped = false
    }

    private let shared = Mutex(Shared())
    private let wakeRead: Int32
    private let wakeWrite: Int32
    static let maximumLineLength = 16 * 1024

    init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, O_NONBLOCK)
            }
        } else {
            fds = [-1, -1]
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        let thread = Thread { [self] in loop() }
        thread.name = "worker-watcher"
        thread.start()
    }

    /// Reports the exit of `pid` to `onExit` (once). `isChild`: spawned by this process, so it is
    /// reaped here and its status is known.
    func watch(pid: Int32, isChild: Bool, onExit: @escaping ExitHandler) {
        let pidfd = Self.pidfdOpen(pid)
        shared.withLock {
            $0.watched[pid] = pidfd
            $0.commands.append(.watch(pid: pid, pidfd: pidfd, isChild: isChild, onExit: onExit))
        }
        wake()
    }

    /// Reads lines from `fd` (non-blocking) until end of file, then closes it.
    func readLines(from fd: Int32, onLine: @escaping LineHandler) {
        shared.withLock { $0.commands.append(.output(fd: fd, onLine: onLine)) }
        wake()
    }

    /// Signals a watched process. Returns false when it is not (or no longer) watched, so a pid that
    /// was reused after the worker's exit is never signalled.
    @discardableResult
    func signal(_ pid: Int32, _ signal: Int32) -> Bool {
        shared.withLock { state in
            guard let pidfd = state.watched[pid] else { return false }
            if pidfd >= 0, let send = Self.pidfdSendSignal {
                return send(pidfd, signal, nil, 0) == 0
            }
            return kill(pid, signal) == 0
        }
    }

    func isWatching(_ pid: Int32) -> Bool { shared.withLock { $0.watched[pid] != nil } }

    /// Stops the thread (tests); watched processes are left alone.
    func shutdown() {
        shared.withLock { $0.stopped = true }
        wake()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: - The watcher thread

    private struct Process {
        let pidfd: Int32
        let isChild: Bool
        let onExit: ExitHandler
    }

    private struct Output {
        var pending: [UInt8] = []
        let onLine: LineHandler
    }

    private func loop() {
        var processes: [Int32: Process] = [:]
        var outputs: [Int32: Output] = [:]
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let (commands, stopped) = shared.withLock { state in
                defer { state.commands.removeAll() }
                return (state.commands, state.stopped)
            }
            if stopped {
                for fd in outputs.keys { close(fd) }
                for process in processes.values where process.pidfd >= 0 { close(process.pidfd) }
                shared.withLock { $0.watched.removeAll() }
                return
            }
            for command in commands {
                switch command {
                case .watch(let pid, let pidfd, let isChild, let onExit):
                    processes[pid] = Process(pidfd: pidfd, isChild: isChild, onExit: onExit)
                case .output(let fd, let onLine):
                    outputs[fd] = Output(onLine: onLine)
                }
            }
            var pollfds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let outputFds = Array(outputs.keys)
            for fd in outputFds { pollfds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            let pidfdOwners = processes.filter { $0.value.pidfd >= 0 }.map { ($0.key, $0.value.pidfd) }
            for (_, pidfd) in pidfdOwners { pollfds.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)) }
            let polled = processes.values.contains { $0.pidfd < 0 }
            let ready = poll(&pollfds, nfds_t(pollfds.count), polled ? 200 : -1)
            if ready < 0 && errno != EINTR { usleep(10_000) }
            if ready <= 0 && !polled { continue }

            if pollfds[0].revents != 0 {
                while read(wakeRead, &buffer, buffer.count) > 0 {}
            }
            for (index, fd) in outputFds.enumerated() where pollfds[1 + index].revents != 0 {
                if !drain(fd, into: &outputs, buffer: &buffer) {
                    close(fd)
                    outputs[fd] = nil
                }
            }
            var exits: [(Int32, WorkerExit)] = []
            for (index, (pid, _)) in pidfdOwners.enumerated()
            where pollfds[1 + outputFds.count + index].revents != 0 {
                if let process = processes[pid] { exits.append((pid, Self.reap(pid, isChild: process.isChild))) }
            }
            if polled {
                for (pid, process) in processes where process.pidfd < 0 {
                    if let exit = Self.pollExit(pid, isChild: process.isChild) { exits.append((pid, exit)) }
                }
            }
            for (pid, exit) in exits {
                guard let process = processes.removeValue(forKey: pid) else { continue }
                shared.withLock { state in
                    state.watched[pid] = nil
                    if process.pidfd >= 0 { close(process.pidfd) }
                }
                process.onExit(exit)
            }
        }
    }

    /// Reads what `fd` has; returns false at end of file (every writer gone).
    private func drain(_ fd: Int32, into outputs: inout [Int32: Output], buffer: inout [UInt8]) -> Bool {
        guard var output = outputs[fd] else { return false }
        defer { outputs[fd] = output }
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                output.pending.append(contentsOf: buffer[0..<n])
                emitLines(&output)
                continue
            }
            if n < 0 && (errno == EAGAIN || errno == EINTR) { return true }
            // End of file or an error: flush what is left.
            if !output.pending.isEmpty {
                output.onLine(Self.text(output.pending[...]))
                output.pending.removeAll()
            }
            return false
        }
    }

    private func emitLines(_ output: inout Output) {
        var start = 0
        var index = 0
        let bytes = output.pending
        while index < bytes.count {
            if bytes[index] == 0x0A {
                output.onLine(Self.text(bytes[start..<index]))
                start = index + 1
            } else if index - start >= Self.maximumLineLength {
                output.onLine(Self.text(bytes[start..<index]) + " […]")
                start = index
            }
            index += 1
        }
        output.pending.removeFirst(start)
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        var slice = bytes
        if slice.last == 0x0D { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }

    private static func reap(_ pid: Int32, isChild: Bool) -> WorkerExit {
        guard isChild else { return .unknown }
        var status: Int32 = 0
        var rc: Int32
        repeat { rc = waitpid(pid, &status, WNOHANG) } while rc < 0 && errno == EINTR
        return rc == pid ? decode(status) : .unknown
    }

    /// The polling fallback: nil while the process still runs.
    private static func pollExit(_ pid: Int32, isChild: Bool) -> WorkerExit? {
        if isChild {
            var status: Int32 = 0
            let rc = waitpid(pid, &status, WNOHANG)
            if rc == pid { return decode(status) }
            return rc < 0 && errno == ECHILD ? .unknown : nil
        }
        if kill(pid, 0) != 0 && errno == ESRCH { return .unknown }
        // A zombie (dead, not yet reaped by its new parent) still answers kill(pid, 0).
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"),
            stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
        {
            return .unknown
        }
        return nil
    }

    private static func decode(_ status: Int32) -> WorkerExit {
        let signal = status & 0x7f
        return signal == 0 ? .exited(status: (status >> 8) & 0xff) : .signaled(signal: signal)
    }

    // pidfd_open and pidfd_send_signal (glibc 2.36) are not in Swift's Glibc module.
    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    private typealias PidfdSendSignal = @convention(c) (Int32, Int32, UnsafeMutableRawPointer?, UInt32) -> Int32

    private static let pidfdOpenFunction: PidfdOpen? = dlsym(nil, "pidfd_open").map {
        unsafeBitCast($0, to: PidfdOpen.self)
    }
    private static let pidfdSendSignal: PidfdSendSignal? = dlsym(nil, "pidfd_send_signal").map {
        unsafeBitCast($0, to: PidfdSendSignal.self)
    }

    /// A pidfd for `pid`, close-on-exec (pidfds always are), or -1 when the kernel or libc has none.
    static func pidfdOpen(_ pid: Int32) -> Int32 {
        guard let open = pidfdOpenFunction else { return -1 }
        return open(pid, 0)
    }
}

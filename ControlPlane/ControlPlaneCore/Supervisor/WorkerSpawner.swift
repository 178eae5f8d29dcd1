// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Starts worker processes with posix_spawn, set up so that they outlive the control plane:
///
/// - each worker gets a session of its own (`setsid`), so a Ctrl-C or a hang-up on the control
///   plane's terminal, sent to its process group, never reaches the workers, and nothing makes
///   a worker die with its parent (no PR_SET_PDEATHSIG): only the supervisor's SIGTERM stops one;
/// - signal dispositions and the signal mask are reset (the control plane ignores SIGTERM and
///   SIGINT for its own signal handling, and ignored dispositions survive exec);
/// - only standard input (/dev/null), output and error are inherited: every other descriptor is
///   closed in the child, so a worker never holds the admin or router listening sockets open;
/// - standard output and error go to a FIFO opened non-blocking: a slow control plane makes the
///   worker lose log lines, never stall, and a control plane that died (no reader) makes its
///   writes fail with EPIPE, which the worker ignores (it ignores SIGPIPE).
enum WorkerSpawner {
    struct Spawned {
        let pid: Int32
        /// Read end of the output FIFO (non-blocking, close-on-exec).
        let output: Int32
    }

    static func spawn(_ launch: WorkerLaunch, paths: WorkerPaths) throws -> Spawned {
        let output = try openOutput(paths.output)
        defer { close(output.writer) }
        var pid: pid_t = 0
        do {
            pid = try posixSpawn(
                executable: launch.executable, arguments: launch.arguments(for: paths),
                environment: launch.environment, stdout: output.writer)
        } catch {
            close(output.reader)
            throw error
        }
        return Spawned(pid: pid, output: output.reader)
    }

    /// Opens the read end of an adopted worker's output FIFO, if it is still there.
    static func reopenOutput(_ path: String) -> Int32? {
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFIFO else { return nil }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        return fd >= 0 ? fd : nil
    }

    private static func openOutput(_ path: String) throws -> (reader: Int32, writer: Int32) {
        unlink(path)
        guard mkfifo(path, 0o600) == 0 else { throw failure("mkfifo \(path)") }
        // The reader first: opening the write end of a FIFO without a reader fails with ENXIO.
        let reader = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard reader >= 0 else { throw failure("open \(path)") }
        let writer = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard writer >= 0 else {
            let error = failure("open \(path) for writing")
            close(reader)
            throw error
        }
        // 1 MiB of buffer (F_SETPIPE_SZ, Linux) absorbs a burst while the control plane is busy;
        // the default 64 KiB is the fallback when the system limit is lower.
        _ = fcntl(writer, 1031, Int32(1 << 20))
        return (reader, writer)
    }

    private static func posixSpawn(
        executable: String, arguments: [String], environment: [String: String], stdout: Int32
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stdout, 2)
        try closeInheritedDescriptors(&actions)

        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        // POSIX_SPAWN_SETSID (glibc 2.26, value 0x80) is a GNU extension Swift's Glibc module hides.
        let setsid: Int32 = 0x80
        posix_spawnattr_setflags(
            &attributes, Int16(truncatingIfNeeded: Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK) | setsid))

        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = env.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envBuffer -> Int32 in
                guard let argvPointer = argvBuffer.baseAddress, let envPointer = envBuffer.baseAddress else {
                    return EINVAL
                }
                return posix_spawn(&pid, executable, &actions, &attributes, argvPointer, envPointer)
            }
        }
        guard rc == 0 else {
            throw SupervisorError("cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        return pid
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34's posix_spawn_file_actions_addclosefrom_np (hidden from Swift like every `_np`
    /// function) closes every descriptor from 3 up in the child. Without it, each descriptor open
    /// now is closed one by one (a descriptor opened by another thread meanwhile is close-on-exec
    /// in everything this process opens itself).
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) throws {
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
            if addCloseFrom(&actions, 3) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }

    private static func failure(_ what: String) -> SupervisorError {
        SupervisorError("\(what): \(String(cString: strerror(errno)))")
    }
}

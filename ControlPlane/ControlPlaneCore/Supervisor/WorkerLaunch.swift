// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation

/// How to start one tenant's worker. The supervisor adds the per-generation socket options itself
/// (`--control-socket PATH`, and `--handover-socket PATH` when `handoverSocketOption` is set), so a
/// rolling restart can run two workers of one tenant side by side.
public struct WorkerLaunch: Sendable, Equatable {
    public var slug: String
    public var executable: String
    /// Arguments without the socket options.
    public var arguments: [String]
    /// Variables added to (or replacing) the control plane's own environment.
    public var environment: [String: String]
    /// The option that names the control socket (health checks), followed by its path.
    public var controlSocketOption: String?
    /// The option that names the hand-over socket, followed by its path; nil while the worker has none.
    public var handoverSocketOption: String?

    public init(
        slug: String, executable: String, arguments: [String], environment: [String: String] = [:],
        controlSocketOption: String? = "--control-socket", handoverSocketOption: String? = "--handover-socket"
    ) {
        self.slug = slug
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.controlSocketOption = controlSocketOption
        self.handoverSocketOption = handoverSocketOption
    }

    /// The full argument list of one generation.
    func arguments(for paths: WorkerPaths) -> [String] {
        var all = arguments
        if let option = controlSocketOption { all += [option, paths.controlSocket] }
        if let option = handoverSocketOption { all += [option, paths.handoverSocket] }
        return all
    }
}

/// The files of one worker generation, all in the control plane's run folder (mode 0700).
public struct WorkerPaths: Sendable, Equatable, Codable {
    /// HTTP over a Unix socket: `/healthz` (the supervisor's health checks).
    public var controlSocket: String
    /// SOCK_SEQPACKET socket the router passes connections over.
    public var handoverSocket: String
    /// FIFO the worker's standard output and error are written to. A FIFO rather than a pipe so that
    /// a new control plane can read the output of a worker it adopted.
    public var output: String

    enum CodingKeys: String, CodingKey {
        case controlSocket = "control_socket"
        case handoverSocket = "handover_socket"
        case output
    }

    public init(runDirectory: String, slug: String, generation: Int) {
        let base = (runDirectory as NSString).appendingPathComponent("\(slug).\(generation)")
        controlSocket = base + ".sock"
        handoverSocket = base + ".handover"
        output = base + ".out"
    }

    /// The stable names that link to the serving generation's sockets.
    static func aliases(runDirectory: String, slug: String) -> (control: String, handover: String) {
        let base = (runDirectory as NSString).appendingPathComponent(slug)
        return (base + ".sock", base + ".handover")
    }

    /// Removes the generation's files once its process is gone (a SIGKILLed worker leaves its sockets).
    func remove() {
        for path in [controlSocket, handoverSocket, output] { unlink(path) }
    }
}

/// `<run>/<slug>.pid`: the tenant's live worker processes, so that a control plane that restarts
/// finds and adopts them instead of starting duplicates. JSON, written atomically.
struct WorkerRecord: Codable, Equatable {
    struct Process: Codable, Equatable {
        var generation: Int
        var pid: Int32
        var paths: WorkerPaths
        var startedAt: Date

        enum CodingKeys: String, CodingKey {
            case generation, pid, paths
            case startedAt = "started_at"
        }
    }

    var slug: String
    /// The generation that receives connections.
    var routed: Int?
    var processes: [Process]

    static func path(runDirectory: String, slug: String) -> String {
        (runDirectory as NSString).appendingPathComponent("\(slug).pid")
    }

    static func read(runDirectory: String, slug: String) -> WorkerRecord? {
        guard let data = FileManager.default.contents(atPath: path(runDirectory: runDirectory, slug: slug)) else {
            return nil
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(WorkerRecord.self, from: data)
    }

    /// Writes the record (temporary file + rename), or removes it when no process is left.
    func write(runDirectory: String) throws {
        let target = Self.path(runDirectory: runDirectory, slug: slug)
        if processes.isEmpty {
            unlink(target)
            return
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(self)
        let temporary = target + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw SupervisorError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SupervisorError("cannot rename \(temporary) to \(target): \(reason)")
        }
    }
}

/// Why a supervisor operation failed, with what to do.
public struct SupervisorError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

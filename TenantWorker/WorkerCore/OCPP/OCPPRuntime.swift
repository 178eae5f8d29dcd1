// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Config
import Foundation
import Logging
import NIOCore
import NIOWebSocket
import OCPPRPC
import WSCompression
@_spi(WSInternal) import WSCore

/// Everything the OCPP endpoint shares across connections: the tenant's OCPP settings, the store,
/// the frame log, the handler catalog, the connected-station registry and the upgrade gate.
final class OCPPRuntime: Sendable {
    let settings: TenantConfig.OCPPSettings
    let store: any ChargingStore
    let frameLog: OCPPFrameLog
    let catalog = OCPPProtocolCatalog()
    let registry: StationRegistry
    let authenticator: StationAuthenticator
    let gate: OCPPUpgradeGate
    let dataTransferVendors: Set<String>
    let logger: Logger
    /// Server-initiated WebSocket pings find dead peers (a station may disable its own pings,
    /// OCPP 2.0.1 §8.4 `WebSocketPingInterval` = 0).
    let pingInterval: Duration
    /// At most this many station connections: the process's open-file limit minus a reserve for
    /// PostgreSQL, Redis, the control socket, logs and REST clients. Beyond it an upgrade gets 503
    /// with Retry-After instead of the accept loop failing with EMFILE for everyone.
    let maxStationConnections: Int

    init(
        settings: TenantConfig.OCPPSettings, store: any ChargingStore, frameLog: OCPPFrameLog,
        registry: StationRegistry,
        dataTransferVendors: Set<String> = [], pingInterval: Duration = .seconds(60), logger: Logger
    ) {
        self.settings = settings
        self.store = store
        self.frameLog = frameLog
        self.registry = registry
        let authenticator = StationAuthenticator()
        self.authenticator = authenticator
        let cap = Self.connectionCap()
        self.maxStationConnections = cap
        self.gate = OCPPUpgradeGate(
            settings: settings, store: store, authenticator: authenticator, registry: registry,
            maxConnections: cap, logger: logger)
        self.dataTransferVendors = dataTransferVendors
        self.pingInterval = pingInterval
        self.logger = logger
    }

    static func connectionCap(reserve: Int = 1024) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(Int32.max) else {
            return 100_000
        }
        return max(16, Int(limit.rlim_cur) - reserve)
    }

    struct WebSocketLoggerContext: WebSocketContext {
        let logger: Logger
    }

    /// Runs one accepted station connection until it closes.
    /// permessage-deflate with small windows: zlib state is allocated per connection, and with the
    /// default 32 KiB windows and memory level 10,000 stations would hold gigabytes of it. OCPP
    /// messages are small; a 1 KiB window still compresses their repeated keys. The decompressed
    /// size is capped by the message limit (a compression bomb stops there).
    func webSocketExtensions() -> [any WebSocketExtensionBuilder] {
        [
            WebSocketExtensionFactory.perMessageDeflate(
                clientMaxWindow: 10, serverMaxWindow: 10, memoryLevel: 2,
                maxDecompressedFrameSize: settings.maxMessageSize, minFrameSizeToCompress: 512
            ).build()
        ]
    }

    func serve(
        webSocket: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, accepted: OCPPUpgradeGate.Accepted,
        extensions: [any WebSocketExtension]
    ) async {
        var stationLogger = self.logger
        stationLogger[metadataKey: "station.id"] = "\(accepted.identity)"
        let logger = stationLogger
        let (stream, continuation) = AsyncStream<StationConnection.Outgoing>.makeStream()
        let connection = StationConnection(
            identity: accepted.identity, version: accepted.version, station: accepted.station, runtime: self,
            outgoing: continuation)
        if let previous = await registry.register(connection) {
            logger.notice(
                "a new authenticated connection replaces the station's previous one",
                metadata: ["connection.previous": "\(previous.id)", "connection.new": "\(connection.id)"])
            await previous.close(code: 1000, reason: "replaced by a newer connection of this station")
        }
        logger.info(
            "station connected",
            metadata: [
                "ocpp.version": "\(accepted.version.rawValue)",
                "registration": "\(accepted.station.registrationStatus.rawValue)",
            ])
        let maxMessageSize = settings.maxMessageSize
        do {
            _ = try await WebSocketHandler.handle(
                type: .server,
                configuration: .init(
                    extensions: extensions, autoPing: .enabled(timePeriod: pingInterval), closeTimeout: .seconds(10),
                    validateUTF8: true, maxFrameSize: maxMessageSize),
                asyncChannel: webSocket, context: WebSocketLoggerContext(logger: logger)
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // The one writer: frames leave in the order the connection produced them.
                    group.addTask {
                        for await item in stream {
                            switch item {
                            case .text(let text):
                                do {
                                    try await outbound.write(.text(text))
                                } catch {
                                    return
                                }
                            case .close(let code, let reason):
                                try? await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: reason)
                                return
                            }
                        }
                    }
                    defer { group.cancelAll() }
                    for try await message in inbound.messages(maxSize: maxMessageSize) {
                        switch message {
                        case .text(let text):
                            await connection.received(text)
                        case .binary:
                            // OCPP-J messages are text frames (OCPP-J §4.1.2: UTF-8 JSON).
                            logger.notice("binary WebSocket message received; closing (1003)")
                            continuation.yield(.close(code: 1003, reason: "OCPP-J uses text messages only"))
                        }
                    }
                }
            }
        } catch {
            logger.debug("WebSocket ended with an error", metadata: ["error": "\(error)"])
        }
        await connection.closed()
        await registry.unregister(connection)
        logger.info("station disconnected")
    }

    /// Keeps the Redis presence entries of connected stations fresh until cancelled.
    func runPresenceRefresh(every period: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: period)
            await registry.publishAll()
        }
    }
}

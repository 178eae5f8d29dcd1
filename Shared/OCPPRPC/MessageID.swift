// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Message ids for the CSMS's own CALLs.
public enum MessageID {
    /// A random RFC 9562 version 4 UUID in lower-case 8-4-4-4-12 form (36 characters, the
    /// `string[36]` limit). OCPP-J 2.0.1 §4.1.4 wants ids unique "on any WebSocket connection
    /// using the same unique Charging Station identifier", including retries and restarts, so a
    /// per-process counter will not do; 122 random bits from the system generator will.
    public static func uuidV4() -> String {
        var generator = SystemRandomNumberGenerator()
        return uuidV4(using: &generator)
    }

    /// ``uuidV4()`` drawing from `generator` (deterministic ids in tests).
    public static func uuidV4(using generator: inout some RandomNumberGenerator) -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // variant 10xx
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

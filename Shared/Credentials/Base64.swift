// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// A small, strict base64 codec (RFC 4648) used by the credential encodings.
///
/// Encoding never emits padding. Decoding rejects padding, whitespace, characters outside the chosen
/// alphabet, impossible lengths (`count % 4 == 1`) and non-canonical trailing bits, so every byte string
/// has exactly one accepted text form.
public enum Base64 {
    public enum Alphabet: Sendable {
        /// `A–Z a–z 0–9 + /` (RFC 4648 §4).
        case standard
        /// `A–Z a–z 0–9 - _` (RFC 4648 §5).
        case urlSafe

        var characters: [UInt8] {
            switch self {
            case .standard: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
            case .urlSafe: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
            }
        }
    }

    /// Encodes `bytes` without padding.
    public static func encode(_ bytes: [UInt8], alphabet: Alphabet = .standard) -> String {
        let table = alphabet.characters
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(table[Int(chunk >> 18 & 0x3F)])
            out.append(table[Int(chunk >> 12 & 0x3F)])
            out.append(table[Int(chunk >> 6 & 0x3F)])
            out.append(table[Int(chunk & 0x3F)])
            index += 3
        }
        switch bytes.count - index {
        case 1:
            let chunk = UInt32(bytes[index]) << 16
            out.append(table[Int(chunk >> 18 & 0x3F)])
            out.append(table[Int(chunk >> 12 & 0x3F)])
        case 2:
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out.append(table[Int(chunk >> 18 & 0x3F)])
            out.append(table[Int(chunk >> 12 & 0x3F)])
            out.append(table[Int(chunk >> 6 & 0x3F)])
        default:
            break
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes unpadded base64 text; returns `nil` for anything that is not canonical in `alphabet`.
    public static func decode(_ text: some StringProtocol, alphabet: Alphabet = .standard) -> [UInt8]? {
        let input = Array(text.utf8)
        if input.count % 4 == 1 { return nil }
        var reverse = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.characters.enumerated() {
            reverse[Int(character)] = UInt8(value)
        }
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in input {
            let value = reverse[Int(character)]
            if value == 0xFF { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // Leftover bits must be zero for the encoding to be canonical.
        if accumulator != 0 { return nil }
        return out
    }
}

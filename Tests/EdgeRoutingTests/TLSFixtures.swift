// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// TLS ClientHello bytes for the tests: real ones produced by a peer we did not write, and
/// hand-built ones for the malformed cases.
enum TLSFixtures {
    /// Produced by Python 3's `ssl` module (OpenSSL 3.0.19) through a MemoryBIO with
    /// `server_hostname="Acme.CSMS.test"`: TLS 1.3 capable, 517 bytes with its padding extension.
    static let openSSLTLS13 = hex(
        "1603010200010001fc0303031b45a55412566d4277a0b7c7142bb9559a7ec4db337c96b9f9c083282c527f2014a54b334487"
            + "2252eb380eb42fb92ae070064b9cfe60dd67053e979b910b707b0024130213031301c02cc030c02bc02fcca9cca8c024c0"
            + "28c023c027009f009e006b006700ff0100018f00000013001100000e41636d652e43534d532e74657374000b0004030001"
            + "02000a00160014001d0017001e0019001801000101010201030104002300000016000000170000000d002a002804030503"
            + "0603080708080809080a080b080408050806040105010601030303010302040205020602002b00050403040303002d0002"
            + "0101003300260024001d0020491675b70ceefba1b0d7a1a4cf7de43550f7885dffe11ba189fd229e4fd3b15e001500df"
            + String(repeating: "00", count: 0xDF))

    /// The same peer limited to TLS 1.2 (`maximum_version=TLSv1_2`), `server_hostname="beta.csms.test"`.
    static let openSSLTLS12 = hex(
        "16030100b4010000b00303aa51a3fb9c6cbc967c3bf69ce38843aff7635e3a91d4a4abb4f50d432590d89300001ec02cc030c0"
            + "2bc02fcca9cca8c024c028c023c027009f009e006b006700ff0100006900000013001100000e626574612e63736d732e7465"
            + "7374000b000403000102000a000c000a001d0017001e00190018002300000016000000170000000d002a00280403050306"
            + "03080708080809080a080b080408050806040105010601030303010302040205020602")

    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { i in
            UInt8(String(decoding: digits[i..<(i + 2)], as: UTF8.self), radix: 16) ?? 0
        }
    }

    /// A ClientHello handshake message (type, length, body) with the given extensions.
    static func clientHello(extensions: [(UInt16, [UInt8])]?, sessionIDLength: Int = 32) -> [UInt8] {
        var body: [UInt8] = [0x03, 0x03] + [UInt8](repeating: 0xAB, count: 32)
        body += [UInt8(sessionIDLength)] + [UInt8](repeating: 0x11, count: sessionIDLength)
        body += [0x00, 0x04, 0x13, 0x01, 0x13, 0x02]  // two cipher suites
        body += [0x01, 0x00]  // null compression
        if let extensions {
            var block: [UInt8] = []
            for (type, data) in extensions {
                block += u16(Int(type)) + u16(data.count) + data
            }
            body += u16(block.count) + block
        }
        return [0x01] + u24(body.count) + body
    }

    /// A server_name extension body (RFC 6066 §3) listing `names` as (name_type, bytes).
    static func serverNameExtension(_ names: [(UInt8, [UInt8])]) -> [UInt8] {
        var list: [UInt8] = []
        for (type, name) in names { list += [type] + u16(name.count) + name }
        return u16(list.count) + list
    }

    static func sni(_ name: String) -> (UInt16, [UInt8]) { (0, serverNameExtension([(0, Array(name.utf8))])) }

    /// The handshake bytes in records of at most `fragment` bytes each.
    static func records(_ handshake: [UInt8], fragment: Int = 16384, version: UInt8 = 0x01) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        while offset < handshake.count {
            let piece = handshake[offset..<min(handshake.count, offset + fragment)]
            out += [0x16, 0x03, version] + u16(piece.count) + piece
            offset += piece.count
        }
        return out
    }

    static func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func u24(_ value: Int) -> [UInt8] { [UInt8(value >> 16 & 0xFF)] + u16(value) }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Foundation
import OCPPRPC
import Testing

/// Golden frames produced by a peer we did not write: the Python `ocpp` package 2.1.0 builds them
/// from its own message classes and serialises them as it sends them
/// (scripts/codegen/make_ocpp_fixtures.py, run by scripts/generate-ocpp-schemas.sh).
@Suite struct PeerFixtureTests {
    struct Fixture {
        let name: String
        let action: String
        let direction: Direction
        let payload: JSONObject
    }

    static let fixturesRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/ocpp")

    static func fixtures(_ version: OCPPVersion) throws -> [Fixture] {
        let folder = fixturesRoot.appendingPathComponent(version == .ocpp16 ? "v16" : "v201")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            switch RPCFrame.decode(bytes, version: version) {
            case .success(.call(let call)):
                return Fixture(name: name, action: call.action, direction: .request, payload: call.payload)
            case .success(.callResult(let result)):
                // A CALLRESULT does not name its action; the file does (`<Action>Response.json`).
                let stem = String(name.dropLast(".json".count))
                let action = String(try #require(stem.hasSuffix("Response") ? stem.dropLast("Response".count) : nil))
                return Fixture(name: name, action: action, direction: .response, payload: result.payload)
            case .success(.callError), .failure:
                Issue.record("\(name) is not a CALL or CALLRESULT frame")
                return Fixture(name: name, action: "", direction: .request, payload: [:])
            }
        }
    }

    @Test(arguments: [OCPPVersion.ocpp16, .ocpp201])
    func everyPeerFrameIsValid(_ version: OCPPVersion) throws {
        let fixtures = try Self.fixtures(version)
        // Guards against an empty or misplaced fixture folder passing vacuously.
        #expect(fixtures.count >= 12, "only \(fixtures.count) fixtures for \(version.rawValue)")
        #expect(fixtures.contains { $0.direction == .response })
        for fixture in fixtures {
            let found = try schema(version, fixture.action, fixture.direction).validate(fixture.payload)
            #expect(found == nil, "\(version.rawValue) \(fixture.name): \(found.map(String.init(describing:)) ?? "")")
        }
    }

    /// The same frames with one defect each must fail, proving that the test above checked something.
    @Test(arguments: [OCPPVersion.ocpp16, .ocpp201])
    func everyPeerFrameWithAnUndeclaredMemberIsRejected(_ version: OCPPVersion) throws {
        for fixture in try Self.fixtures(version) {
            var payload = fixture.payload
            payload["notInTheSchema"] = .integer(1)
            let found = try schema(version, fixture.action, fixture.direction).validate(payload)
            #expect(found?.code == .formatViolation, "\(fixture.name)")
            #expect(found?.path == "/notInTheSchema", "\(fixture.name)")
        }
    }

    @Test func peerFramesKeepTheirNumberKinds() throws {
        // The package writes 2.0.1 SampledValue.value as a float (12345.0) and 1.6 limits as 16.0:
        // both must pass as numbers, and 16.0 as a multiple of 0.1.
        let v201 = try Self.fixtures(.ocpp201).first { $0.name == "TransactionEvent.json" }
        let meterValue = try #require(v201?.payload.objects("meterValue").first)
        #expect(meterValue.objects("sampledValue").first?["value"] == .number(12345.0))
        let v16 = try Self.fixtures(.ocpp16).first { $0.name == "RemoteStartTransaction.json" }
        let period = v16?.payload.object("chargingProfile")?.object("chargingSchedule")?
            .objects("chargingSchedulePeriod").first
        #expect(period?["limit"] == .number(16.0))
    }
}

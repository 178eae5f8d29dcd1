// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ControlPlaneCore
import Foundation
import Logging
import TestSupport
import Testing

/// `controlplane check-config`: a tenant's plan may come from platform.yaml or from the platform
/// API (the database), so both count when the database answers.
@Suite struct CheckConfigTests {
    func tenant(_ slug: String, plan: String, in dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir + "/tenants", withIntermediateDirectories: true)
        try "slug: \(slug)\ndisplay_name: \(slug)\nplan: \(plan)\n".write(
            toFile: dir + "/tenants/\(slug).yaml", atomically: true, encoding: .utf8)
    }

    @Test func tenantPlansAreCheckedAgainstTheFileAndTheDatabase() async throws {
        let h = try await PlatformAPIHarness.start()
        let logger = Logger(label: "check-config-test")
        do {
            // "test" exists only in the database (as a plan made through the API would).
            try tenant("alpha", plan: "test", in: h.dir)
            try tenant("bravo", plan: "starter", in: h.dir)
            let good = await ControlPlane.checkConfiguration(configPath: h.dir + "/platform.yaml", logger: logger)
            #expect(good.ok, "\(good.text)")
            #expect(good.text.contains("2 tenant(s): alpha, bravo") && !good.text.contains("not checked"))

            try tenant("charlie", plan: "gold", in: h.dir)
            let bad = await ControlPlane.checkConfiguration(configPath: h.dir + "/platform.yaml", logger: logger)
            #expect(!bad.ok)
            #expect(bad.text.contains("charlie.yaml:3:7: plan: no plan named \"gold\""), "\(bad.text)")
            #expect(bad.text.contains("(plans: starter, test)"), "\(bad.text)")
            #expect(!bad.text.contains("alpha.yaml"), "\(bad.text)")

            // Without the database, only platform.yaml's plans are known, and the report says so.
            try FileManager.default.removeItem(atPath: h.dir + "/tenants/charlie.yaml")
            let yaml = try String(contentsOfFile: h.dir + "/platform.yaml", encoding: .utf8)
            let offline = h.dir + "/platform-offline.yaml"
            try yaml.replacingOccurrences(of: "database: \(h.database.name)", with: "database: no_such_database")
                .write(toFile: offline, atomically: true, encoding: .utf8)
            let unchecked = await ControlPlane.checkConfiguration(configPath: offline, logger: logger)
            #expect(!unchecked.ok)
            #expect(unchecked.text.contains("alpha.yaml:3:7: plan: no plan named \"test\""), "\(unchecked.text)")
            #expect(
                unchecked.text.contains("plans made through the platform API were not checked"), "\(unchecked.text)")
        } catch {
            Issue.record(error)
        }
        await h.shutdown()
    }
}

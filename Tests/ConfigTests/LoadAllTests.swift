// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation
import Testing

@Suite struct LoadAllTests {
    private func write(_ text: String, _ dir: String, _ name: String) throws {
        try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    }

    @Test func badFilesDoNotHideEachOther() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("slug: good\ndisplay_name: Good\nplan: starter\n", dir, "good.yaml")
        try write("slug: other\ndisplay_name: Bad One\nplan: gold\n", dir, "bad-one.yaml")
        try write(
            "slug: bad-two\ndisplay_name: [x]\nplan: starter\nocpp:\n  security_profile: 9\n", dir, "bad-two.yaml")
        try write("slug: broken\n  display_name: x\n", dir, "broken.yaml")
        try write("slug: legacy\n", dir, "legacy.yml")
        try write("slug: hidden\n", dir, ".hidden.yaml")
        try write("not yaml at all: [", dir, "README.md")
        try FileManager.default.createDirectory(atPath: dir + "/archive", withIntermediateDirectories: false)
        try write("slug: old\n", dir + "/archive", "old.yaml")

        let platform = try Fixtures.platformConfig()
        let (tenants, errors) = TenantConfig.loadAll(directory: dir, platform: platform)
        #expect(tenants.map(\.slug) == ["good"])
        let lines = try #require(errors).errors.map(\.description)
        #expect(
            lines == [
                "\(dir)/bad-one.yaml:1:7: slug: must equal the file name without .yaml (\"bad-one\"), got \"other\"",
                "\(dir)/bad-one.yaml:3:7: plan: no plan named \"gold\" in the platform configuration (plans: starter, business)",
                "\(dir)/bad-two.yaml:2:15: display_name: expected a string, got a list",
                "\(dir)/bad-two.yaml:5:21: ocpp.security_profile: must be between 1 and 3, got 9",
                "\(dir)/broken.yaml:2:15: mapping values are not allowed in this context",
                "\(dir)/legacy.yml: not loaded: tenant files are named <slug>.yaml",
            ])
    }

    @Test func tenantsAreSortedBySlug() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for slug in ["zeta", "alpha", "m-1"] {
            try TenantConfig(slug: slug, displayName: slug.uppercased(), plan: "starter").render()
                .write(toFile: dir + "/\(slug).yaml", atomically: true, encoding: .utf8)
        }
        let (tenants, errors) = TenantConfig.loadAll(directory: dir, platform: nil)
        #expect(errors == nil)
        #expect(tenants.map(\.slug) == ["alpha", "m-1", "zeta"])
    }

    @Test func emptyDirectory() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (tenants, errors) = TenantConfig.loadAll(directory: dir, platform: nil)
        #expect(tenants.isEmpty)
        #expect(errors == nil)
    }

    @Test func missingDirectory() throws {
        let (tenants, errors) = TenantConfig.loadAll(directory: "/nonexistent/tenants", platform: nil)
        #expect(tenants.isEmpty)
        let error = try #require(errors?.errors.first)
        #expect(errors?.errors.count == 1)
        #expect(error.file == "/nonexistent/tenants")
        #expect(error.line == 0)
        #expect(error.message.hasPrefix("cannot list the tenant directory: "))
    }
}

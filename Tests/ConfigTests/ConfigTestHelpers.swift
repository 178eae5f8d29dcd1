// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Foundation
import Testing

/// Builds documents from top-level sections, so a test changes one section of a valid file.
struct DocumentTemplate {
    var sections: [(key: String, text: String)]

    func with(_ key: String, _ text: String?) -> DocumentTemplate {
        var copy = self
        if let index = copy.sections.firstIndex(where: { $0.key == key }) {
            if let text { copy.sections[index].text = text } else { copy.sections.remove(at: index) }
        } else if let text {
            copy.sections.append((key, text))
        }
        return copy
    }

    var yaml: String { sections.map(\.text).joined(separator: "\n") + "\n" }
}

enum Fixtures {
    static let platformFile = "/etc/csms/platform.yaml"

    static let platform = DocumentTemplate(sections: [
        ("base_domain", "base_domain: csms.example.com"),
        ("data_directory", "data_directory: data"),
        ("postgres", "postgres:\n  password_file: secrets/pg"),
        ("redis", "redis:\n  password_file: secrets/redis"),
        (
            "plans",
            """
            plans:
              - name: starter
                monthly_price: "49.00"
                max_stations: 50
                max_concurrent_connections: 200
                api_requests_per_second: 20
              - name: business
                monthly_price: 399
                max_stations: 1000
                max_concurrent_connections: 2000
                api_requests_per_second: 100
                ocpi_enabled: true
            """
        ),
    ])

    static let tenantFile = "/etc/csms/tenants/demo.yaml"

    static let tenant = DocumentTemplate(sections: [
        ("slug", "slug: demo"),
        ("display_name", "display_name: Demo"),
        ("plan", "plan: starter"),
    ])

    static func platformConfig() throws -> PlatformConfig {
        try PlatformConfig.decode(yaml: platform.yaml, file: platformFile)
    }

    /// A fresh empty folder under the system's temporary folder.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "config-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// The errors a decoding produced, as `file:line:column: path: message` lines.
func platformErrors(_ yaml: String, file: String = Fixtures.platformFile) -> [String] {
    do {
        _ = try PlatformConfig.decode(yaml: yaml, file: file)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

func tenantErrors(_ yaml: String, file: String = Fixtures.tenantFile, platform: PlatformConfig? = nil) -> [String] {
    do {
        _ = try TenantConfig.decode(yaml: yaml, file: file, platform: platform)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// The `path: message` parts of the errors, without file and position.
func messages(_ lines: [String]) -> [String] {
    lines.map { line in
        // file:line:column: rest
        let parts = line.split(separator: ": ", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 ? String(parts[1]) : line
    }
}

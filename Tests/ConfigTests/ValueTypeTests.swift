// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import Config
import Testing

@Suite struct ValueTypeTests {
    @Test func hostPortParsing() {
        #expect(HostPort("0.0.0.0:8080") == HostPort(host: "0.0.0.0", port: 8080))
        #expect(HostPort("localhost:0") == HostPort(host: "localhost", port: 0))
        #expect(HostPort("db-1.internal:65535") == HostPort(host: "db-1.internal", port: 65535))
        #expect(HostPort("[::1]:8090") == HostPort(host: "::1", port: 8090))
        #expect(HostPort("[2001:db8::ffff:10.0.0.1]:443")?.host == "2001:db8::ffff:10.0.0.1")
        for bad in [
            "", "8080", ":8080", "host:", "host:-1", "host:65536", "host:+80", "host:8o", "[::1]", "[::1]8080",
            "::1:8080",
            "[]:80", "[host]:80", "a b:80", "-x:80", "hôst:80", "host:00000080",
        ] {
            #expect(HostPort(bad) == nil, "\(bad)")
        }
        #expect(HostPort(host: "::1", port: 80).description == "[::1]:80")
        #expect(HostPort(host: "example.com", port: 80).description == "example.com:80")
    }

    @Test func durations() {
        #expect(ConfigDuration.parse("500ms") == .milliseconds(500))
        #expect(ConfigDuration.parse("30s") == .seconds(30))
        #expect(ConfigDuration.parse("5m") == .seconds(300))
        #expect(ConfigDuration.parse("1h") == .seconds(3600))
        #expect(ConfigDuration.parse("0s") == .zero)
        for bad in ["", "s", "5", "5 s", "-5s", "1.5s", "5S", "5sec", "1h30m", "1d", "9999999999999h"] {
            #expect(ConfigDuration.parse(bad) == nil, "\(bad)")
        }
        #expect(ConfigDuration.format(.milliseconds(500)) == "500ms")
        #expect(ConfigDuration.format(.milliseconds(1500)) == "1500ms")
        #expect(ConfigDuration.format(.seconds(90)) == "90s")
        #expect(ConfigDuration.format(.seconds(120)) == "2m")
        #expect(ConfigDuration.format(.seconds(7200)) == "2h")
        #expect(ConfigDuration.format(.zero) == "0s")
        for d in [Duration.milliseconds(1), .seconds(59), .seconds(61), .seconds(3660), .seconds(86400)] {
            #expect(ConfigDuration.parse(ConfigDuration.format(d)) == d)
        }
    }

    @Test func logLevelsAreOrdered() {
        #expect(LogLevel.trace < .debug)
        #expect(LogLevel.error < .critical)
        #expect(
            LogLevel.allCases.map(\.rawValue) == ["trace", "debug", "info", "notice", "warning", "error", "critical"])
    }

    @Test func errorDescriptions() {
        #expect(
            ConfigError(file: "a.yaml", line: 3, column: 5, keyPath: "x.y[0]", message: "bad").description
                == "a.yaml:3:5: x.y[0]: bad")
        #expect(
            ConfigError(file: "a.yaml", line: 3, column: 5, keyPath: "", message: "bad").description
                == "a.yaml:3:5: bad")
        #expect(
            ConfigError(file: "a.yaml", line: 0, column: 0, keyPath: "", message: "gone").description == "a.yaml: gone")
        let errors = ConfigErrors([
            ConfigError(file: "b.yaml", line: 1, column: 1, keyPath: "k", message: "4"),
            ConfigError(file: "a.yaml", line: 10, column: 1, keyPath: "k", message: "3"),
            ConfigError(file: "a.yaml", line: 2, column: 7, keyPath: "k", message: "2"),
            ConfigError(file: "a.yaml", line: 2, column: 3, keyPath: "k", message: "1"),
            ConfigError(file: "a.yaml", line: 2, column: 3, keyPath: "k", message: "1b"),
        ])
        #expect(errors.errors.map(\.message) == ["1", "1b", "2", "3", "4"])
        #expect(errors.description.split(separator: "\n").count == 5)
    }

    @Test func keyPaths() {
        let path = ConfigKeyPath.root.appending("plans").appending(index: 0).appending("max_stations")
        #expect(path.description == "plans[0].max_stations")
        #expect(ConfigKeyPath.root.appending(index: 2).appending(index: 1).description == "[2][1]")
        #expect(ConfigKeyPath.root.description == "")
    }
}

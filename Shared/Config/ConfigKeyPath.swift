// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// A position in a document by keys and list indexes, written `plans[0].max_stations`.
public struct ConfigKeyPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public static let root = ConfigKeyPath()

    public func appending(_ key: String) -> ConfigKeyPath { ConfigKeyPath(components + [.key(key)]) }

    public func appending(index: Int) -> ConfigKeyPath { ConfigKeyPath(components + [.index(index)]) }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}

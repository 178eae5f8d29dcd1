// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// How a successful answer is shown without `--json`.
enum Presentation: Equatable, Sendable {
    /// A list: the columns named in `columns` that the rows have (all scalar members when none).
    /// A dotted column (`worker.state`) reads a member of a nested object.
    case table(columns: [String], noun: String)
    /// One object as aligned `key: value` lines.
    case record
    /// A sentence, followed by the answer's object when there is one (a deleted tenant's
    /// retention dates).
    case confirmation(String)
}

extension PlatformCall {
    // Columns follow docs/platform-api.md; `plans show` and `tenants show` give every member.
    var presentation: Presentation {
        switch self {
        case .listTenants:
            .table(columns: ["slug", "display_name", "plan", "status", "worker.state", "host"], noun: "tenants")
        case .listPlans:
            .table(
                columns: [
                    "name", "monthly_price", "currency", "included_stations", "price_per_extra_station", "max_stations",
                    "ocpi_enabled", "source", "tenants",
                ], noun: "plans")
        case .listWorkers:
            .table(
                columns: ["slug", "tenant_status", "state", "healthy", "pid", "restarts", "last_exit"], noun: "workers")
        case .deleteTenant(let slug, let eraseData):
            .confirmation("deleted tenant \(slug)" + (eraseData ? " and erased its data" : ""))
        case .deletePlan(let name): .confirmation("deleted plan \(name)")
        default: .record
        }
    }
}

enum Rendering {
    /// The text printed for a successful answer (`body` may be empty, e.g. 204).
    static func render(_ body: [UInt8], as presentation: Presentation) -> String {
        let document = body.isEmpty ? nil : try? JSONText.parse(body)
        switch presentation {
        case .confirmation(let sentence):
            guard let document, case .object(let members) = document, !members.isEmpty else { return sentence }
            return sentence + "\n\n" + record(document)
        case .table(let columns, let noun):
            guard let document, let rows = rows(in: document) else { return fallback(body, document) }
            return table(rows, preferred: columns, noun: noun)
        case .record:
            guard let document else { return fallback(body, document) }
            return record(document)
        }
    }

    private static func fallback(_ body: [UInt8], _ document: JSONText?) -> String {
        if let document { return record(document) }
        return body.isEmpty ? "done" : String(decoding: body, as: UTF8.self)
    }

    /// A list answer is a JSON array, or an object whose only array member holds the rows
    /// (`{"tenants": [...]}`, `{"items": [...], "total": 3}`).
    static func rows(in document: JSONText) -> [JSONText]? {
        switch document {
        case .array(let items): return items
        case .object(let members):
            let arrays = members.compactMap { member -> [JSONText]? in
                if case .array(let items) = member.value { return items }
                return nil
            }
            return arrays.count == 1 ? arrays[0] : nil
        default: return nil
        }
    }

    static func table(_ rows: [JSONText], preferred: [String], noun: String) -> String {
        guard !rows.isEmpty else { return "no \(noun)" }
        var seen: [String] = []
        for row in rows {
            guard case .object(let members) = row else { continue }
            for member in members where !seen.contains(member.key) { seen.append(member.key) }
        }
        var columns = preferred.filter { column in rows.contains { value(column, in: $0) != nil } }
        if columns.isEmpty {
            columns = seen.filter { key in
                rows.contains { row in
                    switch row[key] {
                    case .object?, .array?: false
                    default: row[key] != nil
                    }
                }
            }
        }
        guard !columns.isEmpty else { return rows.map { cell($0) }.joined(separator: "\n") }
        let header = columns.map { $0.replacingSeparators.uppercased() }
        let cells = rows.map { row in columns.map { value($0, in: row).map(cell) ?? "-" } }
        var widths = header.map(\.count)
        for line in cells {
            for (i, text) in line.enumerated() { widths[i] = max(widths[i], text.count) }
        }
        func format(_ line: [String]) -> String {
            var out = ""
            for (i, text) in line.enumerated() {
                out += i == line.count - 1 ? text : text + String(repeating: " ", count: widths[i] - text.count + 2)
            }
            return out
        }
        return ([format(header)] + cells.map(format)).joined(separator: "\n")
    }

    /// The member at a dotted path (`worker.state`).
    static func value(_ path: String, in row: JSONText) -> JSONText? {
        var current: JSONText? = row
        for key in path.split(separator: ".") { current = current?[String(key)] }
        return current
    }

    /// `key: value` lines; nested objects become dotted keys (`limits.max_stations`).
    static func record(_ document: JSONText) -> String {
        var lines: [(String, String)] = []
        func walk(_ value: JSONText, prefix: String) {
            if case .object(let members) = value, !members.isEmpty {
                for member in members {
                    walk(member.value, prefix: prefix.isEmpty ? member.key : "\(prefix).\(member.key)")
                }
            } else {
                lines.append((prefix, cell(value)))
            }
        }
        guard case .object = document else { return cell(document) }
        walk(document, prefix: "")
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { key, value in
            key + ":" + String(repeating: " ", count: width - key.count + 1) + value
        }.joined(separator: "\n")
    }

    /// One value as table text: strings bare (control characters as spaces), `-` for null, lists of
    /// scalars comma-separated, anything nested as compact JSON.
    static func cell(_ value: JSONText) -> String {
        switch value {
        case .null: return "-"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s):
            return String(
                String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
        case .array(let items):
            let scalars = items.allSatisfy {
                switch $0 {
                case .object, .array: false
                default: true
                }
            }
            return scalars ? items.map(cell).joined(separator: ", ") : value.serialized
        case .object: return value.serialized
        }
    }
}

extension String {
    fileprivate var replacingSeparators: String { String(map { $0 == "_" || $0 == "." ? " " : $0 }) }
}

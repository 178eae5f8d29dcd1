// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

/// Rules for names that end up in host names, SQL role names, URLs and log lines.
public enum ConfigRules {
    /// Tenant slugs that would clash with the platform's own host names (`admin.<base_domain>`,
    /// name servers, mail), its URL paths, or a future web front end.
    public static let reservedSlugs: Set<String> = [
        "admin", "www", "api", "app", "auth", "platform", "static", "status", "mail", "ns1", "ns2", "ftp",
        "localhost", "ocpi", "ocpp", "metrics",
    ]

    /// A DNS label (RFC 1035 §2.3.1, lowercase only): 1–63 of `a-z 0-9 -`, not starting or ending
    /// with `-`. Returns what is wrong, or nil.
    public static func dnsLabelProblem(_ label: String) -> String? {
        if label.isEmpty { return "must not be empty" }
        if label.utf8.count > 63 { return "must be at most 63 characters long, got \(label.count)" }
        if label.contains(where: { $0.isUppercase }) { return "must be lowercase" }
        guard label.allSatisfy({ isLowercaseAlphanumeric($0) || $0 == "-" }) else {
            return "may only contain a-z, 0-9 and '-'"
        }
        if label.hasPrefix("-") || label.hasSuffix("-") { return "must not start or end with '-'" }
        return nil
    }

    /// A lowercase DNS name of one or more labels, at most 253 characters, without a final dot.
    public static func dnsNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.utf8.count > 253 { return "must be at most 253 characters long" }
        if name.hasSuffix(".") { return "must not end with '.'" }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            if label.isEmpty { return "must not contain an empty label ('..' or a leading '.')" }
            if let problem = dnsLabelProblem(String(label)) { return "label \"\(label)\" \(problem)" }
        }
        return nil
    }

    /// A tenant slug: a DNS label that is not reserved.
    public static func slugProblem(_ slug: String) -> String? {
        if let problem = dnsLabelProblem(slug) { return problem }
        if reservedSlugs.contains(slug) { return "\"\(slug)\" is reserved for the platform" }
        return nil
    }

    static func isLowercaseAlphanumeric(_ c: Character) -> Bool {
        c.isASCII && (c.isLowercase || c.isNumber)
    }

    static func isUppercaseAlphanumeric(_ c: Character) -> Bool {
        c.isASCII && (c.isUppercase || c.isNumber)
    }

    static func isLowercaseHex(_ c: Character) -> Bool {
        c.isASCII && (c.isNumber || ("a"..."f").contains(c))
    }
}

extension ConfigValue {
    /// A string that passes `rule` (which returns what is wrong, or nil).
    func string(_ rule: (String) -> String?) -> String? {
        guard let text = string() else { return nil }
        if let problem = rule(text) { return fail(problem) }
        return text
    }

    /// A string that matches `isValid`; otherwise `problem` is reported.
    func string(matching isValid: (String) -> Bool, problem: String) -> String? {
        guard let text = string() else { return nil }
        guard isValid(text) else { return fail("\(problem), got \(ConfigValue.quoted(text))") }
        return text
    }
}

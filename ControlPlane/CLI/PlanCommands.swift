// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ArgumentParser

struct Plans: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage billing plans (what tenants may use and what they pay).",
        subcommands: [List.self, Show.self, Create.self, Update.self, Delete.self])

    struct List: PlatformCommand {
        static let configuration = CommandConfiguration(abstract: "List the billing plans.")
        @OptionGroup var global: GlobalOptions

        func platformCall() -> PlatformCall { .listPlans }
    }

    struct Show: PlatformCommand {
        static let configuration = CommandConfiguration(abstract: "Show one billing plan.")
        @Argument(help: "The plan's name.") var name: String
        @OptionGroup var global: GlobalOptions

        func platformCall() -> PlatformCall { .showPlan(name: name) }
    }

    struct Create: PlatformCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a billing plan.",
            discussion: "The server requires --monthly-price, --max-stations, --max-concurrent-connections and "
                + "--api-requests-per-second; the other fields have defaults (see docs/configuration.md).")
        @Argument(help: "The plan's name: 1 to 63 characters of a-z, 0-9, _ and -.") var name: String
        @OptionGroup var fields: PlanOptions
        @OptionGroup var global: GlobalOptions

        func platformCall() -> PlatformCall { .createPlan(name: name, fields: fields.planFields) }
    }

    struct Update: PlatformCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change fields of a billing plan (the others keep their values).")
        @Argument(help: "The plan's name.") var name: String
        @OptionGroup var fields: PlanOptions
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if fields.planFields.isEmpty { throw ValidationError("give at least one field to change") }
        }

        func platformCall() -> PlatformCall { .updatePlan(name: name, fields: fields.planFields) }
    }

    struct Delete: PlatformCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a billing plan no tenant uses.")
        @Argument(help: "The plan's name.") var name: String
        @OptionGroup var global: GlobalOptions

        func platformCall() -> PlatformCall { .deletePlan(name: name) }
    }
}

struct PlanOptions: ParsableArguments {
    @Option(help: "Monthly price covering the included stations, e.g. 49.00.") var monthlyPrice: String?
    @Option(help: "ISO 4217 currency code (default EUR).") var currency: String?
    @Option(help: "Stations covered by the monthly price.") var includedStations: Int?
    @Option(help: "Monthly price per station beyond the included ones.") var pricePerExtraStation: String?
    @Option(help: "Most stations a tenant may register.") var maxStations: Int?
    @Option(help: "Most connections the router hands the tenant at once.") var maxConcurrentConnections: Int?
    @Option(help: "Tenant REST API rate limit.") var apiRequestsPerSecond: Int?
    @Flag(inversion: .prefixedNo, help: "Whether tenants on the plan may use OCPI roaming.") var ocpi: Bool?
    @Option(help: "Days sessions, meter values and logs are kept.") var dataRetentionDays: Int?

    func validate() throws {
        for (flag, amount) in [("--monthly-price", monthlyPrice), ("--price-per-extra-station", pricePerExtraStation)] {
            if let amount, !Self.isAmount(amount) {
                throw ValidationError("\(flag) must be an amount such as 9.99, got '\(amount)'")
            }
        }
    }

    var planFields: PlanFields {
        PlanFields(
            monthlyPrice: monthlyPrice, currency: currency, includedStations: includedStations,
            pricePerExtraStation: pricePerExtraStation, maxStations: maxStations,
            maxConcurrentConnections: maxConcurrentConnections, apiRequestsPerSecond: apiRequestsPerSecond,
            ocpiEnabled: ocpi, dataRetentionDays: dataRetentionDays)
    }

    /// Digits, optionally a point and more digits: sent as a JSON number with exactly this text.
    static func isAmount(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts[0].count <= 12 else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}

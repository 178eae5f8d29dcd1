// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ArgumentParser

struct Tenants: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list, change, suspend and delete tenants.",
        subcommands: [Create.self, List.self, Show.self, Update.self, Suspend.self, Resume.self, Delete.self])

    struct Create: PlatformCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant: its database role, configuration and worker.")
        @Argument(help: "The tenant's slug: a DNS label, its subdomain.") var slug: String
        @Option(help: "The billing plan.") var plan: String
        @Option(help: "The name shown to people (default: the slug).") var displayName: String?
        @OptionGroup var global: GlobalOptions

        func platformCall() -> PlatformCall { .createTenant(slug: slug, plan: plan, displayName: displayName) }
    }

    struct List: PlatformCommand {
        static let configuration = CommandConfiguration(abstract: "List the tenants.")
        @OptionGroup var global: GlobalOptions

        func platformCall() -> PlatformCall { .listTenants }
    }

    struct Show: PlatformCommand {
        static let configuration = CommandConfiguration(abstract: "Show one tenant.")
        @Argument(help: "The tenant's slug.") var slug: String
        @OptionGroup var global: GlobalOptions

        func platformCall() -> PlatformCall { .showTenant(slug: slug) }
    }

    struct Update: PlatformCommand {
        static let configuration = CommandConfiguration(abstract: "Change a tenant's plan or display name.")
        @Argument(help: "The tenant's slug.") var slug: String
        @Option(help: "The new billing plan.") var plan: String?
        @Option(help: "The new display name.") var displayName: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if plan == nil && displayName == nil { throw ValidationError("give --plan, --display-name or both") }
        }

        func platformCall() -> PlatformCall { .updateTenant(slug: slug, plan: plan, displayName: displayName) }
    }

    struct Suspend: PlatformCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop serving a tenant (HTTP 403 for its stations and API); its data is kept.")
        @Argument(help: "The tenant's slug.") var slug: String
        @OptionGroup var global: GlobalOptions

        func platformCall() -> PlatformCall { .suspendTenant(slug: slug) }
    }

    struct Resume: PlatformCommand {
        static let configuration = CommandConfiguration(abstract: "Serve a suspended tenant again.")
        @Argument(help: "The tenant's slug.") var slug: String
        @OptionGroup var global: GlobalOptions

        func platformCall() -> PlatformCall { .resumeTenant(slug: slug) }
    }

    struct Delete: PlatformCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a tenant and stop its worker.")
        @Argument(help: "The tenant's slug.") var slug: String
        @Flag(help: "Also erase all of the tenant's data (stations, sessions, logs); this cannot be undone.")
        var eraseData = false
        @OptionGroup var global: GlobalOptions

        func platformCall() -> PlatformCall { .deleteTenant(slug: slug, eraseData: eraseData) }
    }
}

struct Workers: PlatformCommand {
    static let configuration = CommandConfiguration(abstract: "List the tenant workers and their state.")
    @OptionGroup var global: GlobalOptions

    func platformCall() -> PlatformCall { .listWorkers }
}

struct Usage: PlatformCommand {
    static let configuration = CommandConfiguration(abstract: "Show a tenant's metered usage for one month.")
    @Argument(help: "The tenant's slug.") var slug: String
    @Option(help: "The month as YYYY-MM (default: the current month).") var month: String?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let month, !Self.isMonth(month) {
            throw ValidationError("--month must be YYYY-MM (for example 2026-03), got '\(month)'")
        }
    }

    func platformCall() -> PlatformCall { .usage(slug: slug, month: month) }

    static func isMonth(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
            bytes.enumerated().allSatisfy({ $0.offset == 4 || (0x30...0x39).contains($0.element) }),
            let month = Int(text.suffix(2))
        else { return false }
        return (1...12).contains(month)
    }
}

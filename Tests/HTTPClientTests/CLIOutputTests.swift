// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import HTTPClient
import Hummingbird
import Testing

@testable import OpenCSMSCLI

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("open-csms: answers → output and exit status")
struct CLIOutputTests {
    @Test("A problem document prints as 'title: detail'; 4xx exits 1, 5xx exits 2")
    func problemDocuments() {
        let notFound = ProblemReport.response(
            status: 404,
            body: bytes(#"{"type":"about:blank","title":"Not Found","status":404,"detail":"no tenant 'acme'"}"#))
        #expect(notFound == ProblemReport(message: "Not Found: no tenant 'acme'", exitCode: 1))
        let unavailable = ProblemReport.response(
            status: 503, body: bytes(#"{"title":"Service Unavailable","detail":"the database is down"}"#))
        #expect(unavailable == ProblemReport(message: "Service Unavailable: the database is down", exitCode: 2))
        #expect(ProblemReport.response(status: 409, body: bytes(#"{"title":"Conflict"}"#)).message == "Conflict")
        #expect(
            ProblemReport.response(status: 400, body: bytes(#"{"detail":"slug: too long"}"#)).message
                == "HTTP 400 Bad Request: slug: too long")
    }

    @Test("Validation errors listed in an `errors` extension are printed one per line")
    func errorsExtension() {
        let report = ProblemReport.response(
            status: 422,
            body: bytes(
                #"{"title":"Invalid plan","detail":"2 fields are invalid","errors":[{"pointer":"/max_stations","detail":"must be ≥ 1"},"currency: not ISO 4217"]}"#
            ))
        #expect(
            report.message
                == "Invalid plan: 2 fields are invalid\n  - /max_stations: must be ≥ 1\n  - currency: not ISO 4217")
        #expect(report.exitCode == 1)
        // The platform API's own shape: the detail already joins the entries, so they are not repeated.
        let joined = ProblemReport.response(
            status: 422,
            body: bytes(
                #"{"type":"urn:open-csms:problem:invalid-request","title":"The request is not valid","status":422,"#
                    + #""detail":"currency: must be three capital letters; max_stations: is required","#
                    + #""errors":[{"field":"currency","detail":"must be three capital letters"},"#
                    + #"{"field":"max_stations","detail":"is required"},{"field":"name","detail":"is taken"}]}"#))
        #expect(
            joined.message
                == "The request is not valid: currency: must be three capital letters; max_stations: is required"
                + "\n  - name: is taken")
    }

    @Test("A non-JSON error body prints the status and its first line")
    func plainErrors() {
        #expect(
            ProblemReport.response(status: 502, body: bytes("upstream reset\nmore"))
                == ProblemReport(
                    message: "HTTP 502 Bad Gateway: upstream reset", exitCode: 2))
        #expect(
            ProblemReport.response(status: 401, body: [])
                == ProblemReport(message: "HTTP 401 Unauthorized", exitCode: 1))
        #expect(ProblemReport.response(status: 418, body: []).message == "HTTP 418")
    }

    @Test("List answers become tables with the known columns in order")
    func tables() {
        let tenants = bytes(
            #"{"items":[{"id":"7d1c","slug":"acme","display_name":"ACME","plan":"pro","status":"active","#
                + #""host":"acme.csms.test","worker":{"state":"running","pid":1}},"#
                + #"{"id":"99aa","slug":"b","display_name":"Bee\tCharging","plan":"basic","status":"suspended","#
                + #""host":"b.csms.test","worker":{"state":"stopped","pid":null}}]}"#)
        #expect(
            Rendering.render(tenants, as: PlatformCall.listTenants.presentation) == """
                SLUG  DISPLAY NAME  PLAN   STATUS     WORKER STATE  HOST
                acme  ACME          pro    active     running       acme.csms.test
                b     Bee Charging  basic  suspended  stopped       b.csms.test
                """)
        let workers = bytes(
            #"{"items":[{"slug":"acme","tenant_status":"active","state":"crash_loop","healthy":false,"pid":null,"#
                + #""restarts":5,"last_exit":"exit status 1"}]}"#)
        #expect(
            Rendering.render(workers, as: PlatformCall.listWorkers.presentation) == """
                SLUG  TENANT STATUS  STATE       HEALTHY  PID  RESTARTS  LAST EXIT
                acme  active         crash_loop  false    -    5         exit status 1
                """)
        #expect(Rendering.render(bytes(#"{"items":[]}"#), as: PlatformCall.listPlans.presentation) == "no plans")
        // A shape without the known columns still renders: its scalar members.
        let unknown = Rendering.render(bytes(#"[{"x":1,"nested":{"a":1}}]"#), as: PlatformCall.listPlans.presentation)
        #expect(unknown == "X\n1")
    }

    @Test("Single objects become aligned key: value lines; nested objects use dotted keys")
    func records() {
        let body = bytes(#"{"slug":"acme","plan":"pro","limits":{"max_stations":10},"tags":["a","b"],"note":null}"#)
        let text = Rendering.render(body, as: PlatformCall.showTenant(slug: "acme").presentation)
        #expect(
            text == """
                slug:                acme
                plan:                pro
                limits.max_stations: 10
                tags:                a, b
                note:                -
                """)
        #expect(
            Rendering.render([], as: PlatformCall.deleteTenant(slug: "acme", eraseData: true).presentation)
                == "deleted tenant acme and erased its data")
        #expect(
            Rendering.render(
                bytes(#"{"slug":"acme","status":"deleted","data_retained_until":"2027-11-26T00:00:00Z"}"#),
                as: PlatformCall.deleteTenant(slug: "acme", eraseData: false).presentation) == """
                    deleted tenant acme

                    slug:                acme
                    status:              deleted
                    data_retained_until: 2027-11-26T00:00:00Z
                    """)
    }

    @Test("--json prints the body as received; errors still go through the problem mapping")
    func jsonOutput() {
        let body = bytes(#"{"slug":"acme",  "plan":"pro"}"#)
        #expect(
            PlatformRunner.outcome(of: .showTenant(slug: "acme"), status: 200, body: body, json: true)
                == .success(#"{"slug":"acme",  "plan":"pro"}"#))
        #expect(
            PlatformRunner.outcome(
                of: .showTenant(slug: "acme"), status: 404,
                body: bytes(#"{"title":"Not Found","detail":"no tenant 'acme'"}"#), json: true)
                == .failure(ProblemReport(message: "Not Found: no tenant 'acme'", exitCode: 1)))
    }

    @Test("JSON text keeps member order and number literals, and escapes on output")
    func jsonText() throws {
        let source = #"{"b":1.50,"a":[true,false,null,-2e3],"s":"q\"\\\n\u00e9\ud83d\ude00"}"#
        let value = try JSONText.parse(bytes(source))
        #expect(value["b"] == .number("1.50"))
        #expect(value["s"] == .string("q\"\\\né😀"))
        #expect(value.serialized == #"{"b":1.50,"a":[true,false,null,-2e3],"s":"q\"\\\né😀"}"#)
        for bad in ["{", "[1,]", "01", "\"\u{01}\"", "{\"a\" 1}", "1 2", "nul"] {
            #expect(throws: (any Error).self, "\(bad)") { try JSONText.parse(bytes(bad)) }
        }
    }

    @Test("Against a stub platform API: list, update (GET + PUT), a 404 problem and an unreachable server")
    func endToEnd() async throws {
        try await TestHTTPServer.with(extraRoutes: { router in
            router.get("/platform/v1/tenants") { request, _ -> Response in
                guard request.headers[.authorization] == "Bearer test-key" else {
                    return Response(
                        status: .unauthorized, headers: [.contentType: "application/problem+json"],
                        body: .init(
                            byteBuffer: ByteBuffer(
                                string: #"{"title":"Unauthorized","detail":"send the platform API key"}"#)))
                }
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"[{"slug":"acme","plan":"pro"}]"#)))
            }
            router.get("/platform/v1/tenants/{slug}") { _, context -> Response in
                let slug = context.parameters.get("slug") ?? ""
                return Response(
                    status: .notFound, headers: [.contentType: "application/problem+json"],
                    body: .init(
                        byteBuffer: ByteBuffer(
                            string: #"{"title":"Not Found","status":404,"detail":"no tenant '\#(slug)'"}"#)))
            }
            router.get("/platform/v1/plans/pro") { _, _ -> Response in
                Response(
                    status: .ok,
                    body: .init(
                        byteBuffer: ByteBuffer(
                            string:
                                #"{"name":"pro","monthly_price":"10.00","max_stations":5,"source":"api","tenants":0}"#))
                )
            }
            router.put("/platform/v1/plans/pro") { request, _ -> Response in
                // Echo the replaced plan, so the test sees what was PUT.
                let body = try await request.body.collect(upTo: 65536)
                return Response(status: .ok, body: .init(byteBuffer: body))
            }
        }) { port in
            let connection = PlatformConnection(
                baseURL: "http://127.0.0.1:\(port)", apiKey: "test-key", timeout: .seconds(5))
            let list = await PlatformRunner.execute(.listTenants, on: connection, json: false)
            #expect(list == .success("SLUG  PLAN\nacme  pro"))
            var wrongKey = connection
            wrongKey.apiKey = "nope"
            #expect(
                await PlatformRunner.execute(.listTenants, on: wrongKey, json: false)
                    == .failure(ProblemReport(message: "Unauthorized: send the platform API key", exitCode: 1)))
            #expect(
                await PlatformRunner.execute(.showTenant(slug: "ghost"), on: connection, json: false)
                    == .failure(ProblemReport(message: "Not Found: no tenant 'ghost'", exitCode: 1)))
            let update = await PlatformRunner.execute(
                .updatePlan(name: "pro", fields: PlanFields(monthlyPrice: "12.50")), on: connection, json: true)
            #expect(update == .success(#"{"name":"pro","monthly_price":"12.50","max_stations":5}"#))
        }
        let closedPort = try SilentServer().port
        let down = await PlatformRunner.execute(
            .listWorkers,
            on: PlatformConnection(baseURL: "http://127.0.0.1:\(closedPort)", apiKey: nil, timeout: .seconds(5)),
            json: false)
        guard case .failure(let report) = down else {
            Issue.record("expected a failure, got \(down)")
            return
        }
        #expect(report.exitCode == 2)
        #expect(report.message.hasPrefix("GET http://127.0.0.1:\(closedPort)/platform/v1/workers: "))
    }
}

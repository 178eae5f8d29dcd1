// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import Logging
import OCPP16Handlers
import OCPPHandlerKit
import OCPPRPC
import Testing

/// OCPP 1.6J station → CSMS handlers and CSMS → station result hooks, against a recording fake
/// store: each test checks which domain call a wire payload produces and which wire answer a domain
/// outcome produces. Every answer is also checked against the official response schema
/// (``OCPP16ResponseCheck``).
@Suite struct OCPP16HandlerTests {
    let fixture = OCPP16Fixture()

    func call(
        _ action: String, _ payload: JSONObject, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONObject {
        OCPP16SchemaCheck.expectValidRequest(action, payload, sourceLocation: sourceLocation)
        let handler = try #require(ocpp16CallHandlers()[action], "no OCPP 1.6 handler for \(action)")
        let response = try await handler(payload, fixture.context)
        OCPP16SchemaCheck.expectValidResponse(action, response, sourceLocation: sourceLocation)
        return response
    }

    /// Runs the result hook of a CALL the CSMS sent, with a request and answer that pass the schemas.
    func hook(
        _ action: String, request: JSONObject, response: JSONObject, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        OCPP16SchemaCheck.expectValidRequest(action, request, sourceLocation: sourceLocation)
        OCPP16SchemaCheck.expectValidResponse(action, response, sourceLocation: sourceLocation)
        let hook = try #require(ocpp16ResultHooks()[action], "no OCPP 1.6 result hook for \(action)")
        try await hook(request, response, fixture.context)
    }

    static let nowText = "2026-11-18T11:06:40.000Z"

    // MARK: Tables

    @Test func tablesNameEveryHandledAction() {
        #expect(
            Set(ocpp16CallHandlers().handlers.keys) == [
                "Authorize", "BootNotification", "DataTransfer", "DiagnosticsStatusNotification",
                "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StartTransaction", "StatusNotification",
                "StopTransaction",
            ])
        #expect(Set(ocpp16ResultHooks().hooks.keys) == ["ChangeConfiguration", "GetConfiguration"])
    }

    // MARK: BootNotification

    @Test func TC_001_coldBootAcceptedStoresStationAndAnswersHeartbeatInterval() async throws {
        let response = try await call(
            "BootNotification",
            [
                "chargePointVendor": "Acme", "chargePointModel": "Wallbox 22", "chargeBoxSerialNumber": "BOX-1",
                "firmwareVersion": "1.2.3", "iccid": "8931", "imsi": "2620", "meterType": "DZG",
            ])
        #expect(response == ["status": "Accepted", "currentTime": .string(Self.nowText), "interval": 600])
        let boots = await fixture.store.boots
        #expect(boots.count == 1)
        #expect(boots.first?.station == OCPP16Fixture.stationPK)
        #expect(boots.first?.at == OCPP16Fixture.now)
        #expect(
            boots.first?.info
                == BootInfo(
                    ocppVersion: "ocpp1.6", vendor: "Acme", model: "Wallbox 22", serialNumber: "BOX-1",
                    firmwareVersion: "1.2.3", iccid: "8931", imsi: "2620"))
    }

    @Test func bootPrefersChargePointSerialNumber() async throws {
        _ = try await call(
            "BootNotification",
            [
                "chargePointVendor": "Acme", "chargePointModel": "M", "chargePointSerialNumber": "CP-SN",
                "chargeBoxSerialNumber": "BOX-SN",
            ])
        #expect(await fixture.store.boots.first?.info.serialNumber == "CP-SN")
        #expect(await fixture.store.boots.first?.info.firmwareVersion == nil)
    }

    @Test(arguments: [RegistrationStatus.pending, .rejected])
    func bootNotAcceptedAnswersCappedRetryInterval(status: RegistrationStatus) async throws {
        await fixture.store.set(bootStatus: status)
        let response = try await call("BootNotification", ["chargePointVendor": "Acme", "chargePointModel": "M"])
        #expect(response.string("status") == status.wireName)
        // 600 s heartbeat, capped at 300 s for the next BootNotification.
        #expect(response.int("interval") == 300)
    }

    @Test(arguments: [
        (RegistrationStatus.pending, 60, 60), (.rejected, 0, 1), (.rejected, 86_400, 300), (.accepted, 86_400, 86_400),
    ])
    func bootIntervalIsHeartbeatCappedWhenNotAcceptedAndNeverZero(
        status: RegistrationStatus, heartbeatSeconds: Int, interval: Int
    ) async throws {
        var fixture = OCPP16Fixture()
        fixture.heartbeat = .seconds(heartbeatSeconds)
        await fixture.store.set(bootStatus: status)
        let handler = try #require(ocpp16CallHandlers()["BootNotification"])
        let response = try await handler(["chargePointVendor": "Acme", "chargePointModel": "M"], fixture.context)
        OCPP16SchemaCheck.expectValidResponse("BootNotification", response)
        #expect(response.int("interval") == interval)
    }

    // MARK: Heartbeat

    @Test func heartbeatTouchesStationAndAnswersTime() async throws {
        let response = try await call("Heartbeat", [:])
        #expect(response == ["currentTime": .string(Self.nowText)])
        let touches = await fixture.store.touches
        #expect(touches.count == 1)
        #expect(touches.first?.at == OCPP16Fixture.now)
    }

    // MARK: StatusNotification

    @Test func statusOfConnectorZeroIsTheStation() async throws {
        let response = try await call(
            "StatusNotification", ["connectorId": 0, "errorCode": "NoError", "status": "Unavailable"])
        #expect(response == [:])
        let statuses = await fixture.store.statuses
        #expect(statuses.first?.identity == OCPP16Fixture.identity)
        #expect(
            statuses.first?.status
                == ConnectorStatus(
                    evseId: 0, connectorId: 0, status: "Unavailable", errorCode: "NoError",
                    timestamp: OCPP16Fixture.now))
    }

    @Test func statusOfConnectorNIsEvseNConnectorOne() async throws {
        _ = try await call(
            "StatusNotification",
            [
                "connectorId": 2, "errorCode": "GroundFailure", "status": "Faulted", "info": "RCD tripped",
                "vendorErrorCode": "E42", "vendorId": "acme", "timestamp": "2026-11-19T08:00:00Z",
            ])
        #expect(
            await fixture.store.statuses.first?.status
                == ConnectorStatus(
                    evseId: 2, connectorId: 1, status: "Faulted", errorCode: "GroundFailure", info: "RCD tripped",
                    vendorErrorCode: "E42", timestamp: ocpp16Date("2026-11-19T08:00:00Z")))
    }

    @Test func statusWithNegativeConnectorIsAPropertyConstraintViolation() async throws {
        let handler = try #require(ocpp16CallHandlers()["StatusNotification"])
        let error = await #expect(throws: OCPPHandlerError.self) {
            _ = try await handler(
                ["connectorId": -1, "errorCode": "NoError", "status": "Available"], fixture.context)
        }
        #expect(error?.code == .propertyConstraintViolation)
        #expect(await fixture.store.statuses.isEmpty)
    }

    // MARK: Authorize

    @Test func authorizeAcceptedCarriesExpiryAndParent() async throws {
        let expiry = Date(timeIntervalSince1970: 1_800_000_000)
        await fixture.store.set(
            authorization: AuthorizationResult(status: .accepted, expiresAt: expiry, parentToken: "GROUP-1"),
            for: "TAG-1")
        let response = try await call("Authorize", ["idTag": "TAG-1"])
        #expect(
            response == [
                "idTagInfo": [
                    "status": "Accepted", "expiryDate": .string(OCPPDateTime.format(expiry)), "parentIdTag": "GROUP-1",
                ]
            ])
        let calls = await fixture.store.authorizeCalls
        #expect(calls.count == 1)
        #expect(calls.first?.token == "TAG-1")
        #expect(calls.first?.type == nil)
    }

    @Test func TC_023_1_authorizeUnknownTagIsInvalid() async throws {
        // 1.6 AuthorizationStatus has no Unknown.
        let response = try await call("Authorize", ["idTag": "NOBODY"])
        #expect(response == ["idTagInfo": ["status": "Invalid"]])
    }

    @Test(arguments: [
        (AuthorizationStatus.expired, "Expired"), (.blocked, "Blocked"), (.invalid, "Invalid"),
    ])
    func TC_023_authorizeRefusedTagsKeepTheirStatus(status: AuthorizationStatus, wire: String) async throws {
        await fixture.store.set(authorization: AuthorizationResult(status: status), for: "TAG")
        let response = try await call("Authorize", ["idTag": "TAG"])
        #expect(response == ["idTagInfo": .object(["status": .string(wire)])])
        #expect(fixture.logs.lines.contains { $0.level == .notice && $0.message.contains("TAG") })
    }

    @Test func parentTokenLongerThanAnIdTagIsLeftOut() async throws {
        await fixture.store.set(
            authorization: AuthorizationResult(status: .accepted, parentToken: String(repeating: "G", count: 21)),
            for: "TAG")
        let response = try await call("Authorize", ["idTag": "TAG"])
        #expect(response == ["idTagInfo": ["status": "Accepted"]])
    }

    // MARK: StartTransaction

    @Test func TC_003_startTransactionStoresAndAnswersTheId() async throws {
        await fixture.store.set(
            startOutcome: TransactionStartOutcome(
                transactionId: 4_100_000_000, authorization: AuthorizationResult(status: .accepted), duplicate: false))
        let response = try await call(
            "StartTransaction",
            [
                "connectorId": 1, "idTag": "TAG-1", "meterStart": 12_345, "reservationId": 9,
                "timestamp": "2026-11-19T09:00:00Z",
            ])
        #expect(response == ["transactionId": 4_100_000_000, "idTagInfo": ["status": "Accepted"]])
        #expect(
            await fixture.store.starts == [
                TransactionStart(
                    connectorId: 1, idToken: "TAG-1", startedAt: ocpp16Date("2026-11-19T09:00:00Z"),
                    meterStartWh: 12_345, reservationId: 9)
            ])
    }

    @Test func TC_037_3_offlineStartWithInvalidTagIsAnsweredNotRefused() async throws {
        await fixture.store.set(
            startOutcome: TransactionStartOutcome(
                transactionId: 77, authorization: AuthorizationResult(status: .unknown), duplicate: false))
        let response = try await call(
            "StartTransaction",
            ["connectorId": 2, "idTag": "STRANGER", "meterStart": 0, "timestamp": "2026-11-19T07:00:00Z"])
        #expect(response == ["transactionId": 77, "idTagInfo": ["status": "Invalid"]])
        #expect(fixture.logs.lines.contains { $0.level == .notice && $0.message.contains(OCPP16Fixture.identity) })
    }

    @Test func startTransactionConcurrentTxAndDuplicateAreAnswered() async throws {
        await fixture.store.set(
            startOutcome: TransactionStartOutcome(
                transactionId: 5, authorization: AuthorizationResult(status: .concurrentTx), duplicate: true))
        let response = try await call(
            "StartTransaction", ["connectorId": 1, "idTag": "T", "meterStart": 10, "timestamp": "2026-11-19T07:00:00Z"])
        #expect(response == ["transactionId": 5, "idTagInfo": ["status": "ConcurrentTx"]])
    }

    @Test func startTransactionOnConnectorZeroIsAPropertyConstraintViolation() async throws {
        let handler = try #require(ocpp16CallHandlers()["StartTransaction"])
        let error = await #expect(throws: OCPPHandlerError.self) {
            _ = try await handler(
                ["connectorId": 0, "idTag": "T", "meterStart": 0, "timestamp": "2026-11-19T07:00:00Z"],
                fixture.context)
        }
        #expect(error?.code == .propertyConstraintViolation)
        #expect(await fixture.store.starts.isEmpty)
    }

    // MARK: StopTransaction

    @Test func TC_005_1_stopWithoutIdTagAnswersEmptyAndDefaultsReasonToLocal() async throws {
        await fixture.store.set(
            stopOutcome: TransactionStopOutcome(
                authorization: AuthorizationResult(status: .accepted), orphan: false, duplicate: false))
        let response = try await call(
            "StopTransaction", ["transactionId": 5, "meterStop": 20_000, "timestamp": "2026-11-19T09:30:00Z"])
        // No idTag: no idTagInfo, even if the store reported one.
        #expect(response == [:])
        let stops = await fixture.store.stops
        #expect(
            stops == [
                TransactionStop(
                    transactionId: 5, idToken: nil, stoppedAt: ocpp16Date("2026-11-19T09:30:00Z"),
                    meterStopWh: 20_000, reason: "Local", samples: [])
            ])
    }

    @Test func TC_004_stopWithIdTagAnswersIdTagInfo() async throws {
        await fixture.store.set(
            stopOutcome: TransactionStopOutcome(
                authorization: AuthorizationResult(status: .blocked), orphan: false, duplicate: false))
        let response = try await call(
            "StopTransaction",
            [
                "transactionId": 5, "idTag": "TAG-1", "meterStop": 20_000, "timestamp": "2026-11-19T09:30:00Z",
                "reason": "EVDisconnected",
            ])
        #expect(response == ["idTagInfo": ["status": "Blocked"]])
        #expect(await fixture.store.stops.first?.idToken == "TAG-1")
        #expect(await fixture.store.stops.first?.reason == "EVDisconnected")
    }

    @Test func stopOfTransactionMinusOneIsAnsweredAndStoredAsOrphan() async throws {
        await fixture.store.set(
            stopOutcome: TransactionStopOutcome(
                authorization: AuthorizationResult(status: .accepted), orphan: true, duplicate: false))
        let response = try await call(
            "StopTransaction",
            ["transactionId": -1, "idTag": "TAG-1", "meterStop": 900, "timestamp": "2026-11-19T09:30:00Z"])
        #expect(response == ["idTagInfo": ["status": "Accepted"]])
        #expect(await fixture.store.stops.first?.transactionId == -1)
        #expect(
            fixture.logs.lines.contains {
                $0.level == .notice && $0.message.contains("orphan") && $0.message.contains(OCPP16Fixture.identity)
            })
    }

    @Test func stopOfUnknownTransactionIsAnsweredAsOrphan() async throws {
        await fixture.store.set(stopOutcome: TransactionStopOutcome(authorization: nil, orphan: true, duplicate: false))
        let response = try await call(
            "StopTransaction", ["transactionId": 999, "meterStop": 1, "timestamp": "2026-11-19T09:30:00Z"])
        #expect(response == [:])
        #expect(fixture.logs.lines.contains { $0.level == .notice && $0.message.contains("999") })
    }

    @Test func stopCarriesTransactionDataSamplesAndKeepsSignedData() async throws {
        _ = try await call(
            "StopTransaction",
            [
                "transactionId": 5, "meterStop": 20_000, "timestamp": "2026-11-19T09:30:00Z",
                "transactionData": [
                    [
                        "timestamp": "2026-11-19T09:00:00Z",
                        "sampledValue": [
                            ["value": "12345", "context": "Transaction.Begin"],
                            ["value": "SIG==", "format": "SignedData", "context": "Transaction.Begin"],
                        ],
                    ],
                    [
                        "timestamp": "2026-11-19T09:30:00Z",
                        "sampledValue": [["value": "20.000", "unit": "kWh", "context": "Transaction.End"]],
                    ],
                ],
            ])
        let samples = await fixture.store.stops.first?.samples ?? []
        #expect(samples.map(\.value) == [12345, 20])
        #expect(samples.map(\.unit) == ["Wh", "kWh"])
        #expect(samples.map(\.context) == ["Transaction.Begin", "Transaction.End"])
        let events = await fixture.store.events
        #expect(events.count == 1)
        #expect(events.first?.kind == "StopTransaction")
        #expect(events.first?.summary == "SignedData Energy.Active.Import.Register Transaction.Begin")
        #expect(events.first?.detailsJSON.contains("SIG==") == true)
        #expect(events.first?.detailsJSON.contains("\"transactionId\":5") == true)
    }

    // MARK: MeterValues

    @Test func meterValuesWithSeveralValuesAndSamplesMapEveryNumericSample() async throws {
        let response = try await call(
            "MeterValues",
            [
                "connectorId": 2, "transactionId": 42,
                "meterValue": [
                    [
                        "timestamp": "2026-11-19T09:00:00Z",
                        "sampledValue": [
                            ["value": "1000.5"],
                            [
                                "value": "16.1", "measurand": "Current.Import", "phase": "L1", "unit": "A",
                                "context": "Sample.Clock", "location": "Outlet",
                            ],
                            ["value": "230", "measurand": "Voltage", "phase": "L1-N", "unit": "V"],
                        ],
                    ],
                    [
                        "timestamp": "2026-11-19T09:15:00Z",
                        "sampledValue": [
                            ["value": "1.25", "unit": "kWh", "location": "Inlet"],
                            ["value": "55", "measurand": "SoC", "location": "EV", "unit": "Percent"],
                            ["value": "7.4", "measurand": "Power.Active.Import"],
                        ],
                    ],
                ],
            ])
        #expect(response == [:])
        let recorded = await fixture.store.meterValues
        #expect(recorded.count == 1)
        #expect(recorded.first?.evseId == 2)
        #expect(recorded.first?.transactionRemoteId == "42")
        let t0 = ocpp16Date("2026-11-19T09:00:00Z")
        let t1 = ocpp16Date("2026-11-19T09:15:00Z")
        #expect(
            recorded.first?.samples == [
                MeterSample(
                    sampledAt: t0, unit: "Wh", context: "Sample.Periodic", location: "Outlet", value: 1000.5),
                MeterSample(
                    sampledAt: t0, measurand: "Current.Import", phase: "L1", unit: "A", context: "Sample.Clock",
                    location: "Outlet", value: 16.1),
                MeterSample(
                    sampledAt: t0, measurand: "Voltage", phase: "L1-N", unit: "V", context: "Sample.Periodic",
                    location: "Outlet", value: 230),
                // kWh is kept as reported, not rescaled.
                MeterSample(sampledAt: t1, unit: "kWh", context: "Sample.Periodic", location: "Inlet", value: 1.25),
                MeterSample(
                    sampledAt: t1, measurand: "SoC", unit: "Percent", context: "Sample.Periodic", location: "EV",
                    value: 55),
                // No default unit for a measurand that is not energy.
                MeterSample(
                    sampledAt: t1, measurand: "Power.Active.Import", unit: nil, context: "Sample.Periodic",
                    location: "Outlet", value: 7.4),
            ])
    }

    @Test func meterValuesWithoutTransactionOnMainMeter() async throws {
        _ = try await call(
            "MeterValues",
            [
                "connectorId": 0,
                "meterValue": [["timestamp": "2026-11-19T09:00:00Z", "sampledValue": [["value": "7"]]]],
            ])
        let recorded = await fixture.store.meterValues
        #expect(recorded.first?.evseId == 0)
        #expect(recorded.first?.transactionRemoteId == nil)
    }

    @Test func unparseableMeterValueIsSkippedAndLoggedNotRefused() async throws {
        let response = try await call(
            "MeterValues",
            [
                "connectorId": 1, "transactionId": 3,
                "meterValue": [
                    [
                        "timestamp": "2026-11-19T09:00:00Z",
                        "sampledValue": [["value": "12,5"], ["value": "NaN"], ["value": "42"]],
                    ]
                ],
            ])
        #expect(response == [:])
        #expect(await fixture.store.meterValues.first?.samples.map(\.value) == [42])
        let notices = fixture.logs.lines.filter { $0.level == .notice }
        #expect(notices.count == 2)
        #expect(notices.allSatisfy { $0.message.contains(OCPP16Fixture.identity) })
        #expect(notices.map { $0.metadata["ocpp.value"] } == ["12,5", "NaN"])
    }

    @Test func meterValuesWithOnlyUnusableValuesStoreNothingButAnswer() async throws {
        let response = try await call(
            "MeterValues",
            [
                "connectorId": 1,
                "meterValue": [
                    [
                        "timestamp": "2026-11-19T09:00:00Z",
                        "sampledValue": [
                            ["value": "garbage"],
                            [
                                "value": "<signedMeterValue>abc</signedMeterValue>", "format": "SignedData",
                                "measurand": "Energy.Active.Import.Register", "context": "Sample.Periodic",
                            ],
                        ],
                    ]
                ],
            ])
        #expect(response == [:])
        #expect(await fixture.store.meterValues.isEmpty)
        let events = await fixture.store.events
        #expect(events.map(\.kind) == ["MeterValues"])
        #expect(events.first?.occurredAt == ocpp16Date("2026-11-19T09:00:00Z"))
        #expect(events.first?.detailsJSON.contains("signedMeterValue") == true)
        #expect(events.first?.detailsJSON.contains("\"connectorId\":1") == true)
        #expect(fixture.logs.lines.contains { $0.metadata["ocpp.value"] == "<signedMeterValue>abc</signedMeterValue>" })
    }

    @Test func meterValueNegativeConnectorIsAPropertyConstraintViolation() async throws {
        let handler = try #require(ocpp16CallHandlers()["MeterValues"])
        let error = await #expect(throws: OCPPHandlerError.self) {
            _ = try await handler(
                [
                    "connectorId": -2,
                    "meterValue": [["timestamp": "2026-11-19T09:00:00Z", "sampledValue": [["value": "1"]]]],
                ],
                fixture.context)
        }
        #expect(error?.code == .propertyConstraintViolation)
    }

    // MARK: DataTransfer

    @Test func TC_064_dataTransferFromUnknownVendorIsUnknownVendorId() async throws {
        let response = try await call("DataTransfer", ["vendorId": "com.unknown", "messageId": "x", "data": "y"])
        #expect(response == ["status": "UnknownVendorId"])
        #expect(await fixture.store.events.isEmpty)
        #expect(fixture.logs.lines.contains { $0.level == .notice && $0.message.contains("com.unknown") })
    }

    @Test func dataTransferFromKnownVendorIsAcceptedAndKept() async throws {
        let response = try await call(
            "DataTransfer", ["vendorId": "com.example.acme", "messageId": "Temp", "data": "41"])
        #expect(response == ["status": "Accepted"])
        let events = await fixture.store.events
        #expect(
            events == [
                StationEvent(
                    kind: "DataTransfer", occurredAt: OCPP16Fixture.now, summary: "com.example.acme Temp",
                    detailsJSON: #"{"vendorId":"com.example.acme","messageId":"Temp","data":"41"}"#)
            ])
    }

    // MARK: Firmware management

    @Test(arguments: [("DiagnosticsStatusNotification", "Uploaded"), ("FirmwareStatusNotification", "Installing")])
    func TC_044_TC_045_firmwareAndDiagnosticsStatusBecomeStationEvents(action: String, status: String) async throws {
        let response = try await call(action, ["status": .string(status)])
        #expect(response == [:])
        #expect(
            await fixture.store.events == [
                StationEvent(
                    kind: action, occurredAt: OCPP16Fixture.now, summary: status,
                    detailsJSON: "{\"status\":\"\(status)\"}")
            ])
    }

    // MARK: Result hooks

    @Test func TC_019_getConfigurationResultStoresKeysAsVariables() async throws {
        try await hook(
            "GetConfiguration", request: [:],
            response: [
                "configurationKey": [
                    ["key": "HeartbeatInterval", "readonly": false, "value": "600"],
                    ["key": "NumberOfConnectors", "readonly": true, "value": "2"],
                    ["key": "AuthorizationKey", "readonly": false],
                ],
                "unknownKey": ["Foo"],
            ])
        #expect(
            await fixture.store.variables == [
                StationVariable(
                    component: "OCPP16", variable: "HeartbeatInterval", value: "600", mutability: "ReadWrite"),
                StationVariable(
                    component: "OCPP16", variable: "NumberOfConnectors", value: "2", mutability: "ReadOnly"),
                StationVariable(component: "OCPP16", variable: "AuthorizationKey", value: nil, mutability: "ReadWrite"),
            ])
    }

    @Test func getConfigurationWithNoKeysStoresNothing() async throws {
        try await hook("GetConfiguration", request: ["key": ["Foo"]], response: ["unknownKey": ["Foo"]])
        #expect(await fixture.store.variables.isEmpty)
    }

    @Test(arguments: ["Accepted", "RebootRequired"])
    func TC_021_changeConfigurationTakenStoresTheNewValue(status: String) async throws {
        try await hook(
            "ChangeConfiguration", request: ["key": "MeterValueSampleInterval", "value": "60"],
            response: ["status": .string(status)])
        #expect(
            await fixture.store.variables == [
                StationVariable(
                    component: "OCPP16", variable: "MeterValueSampleInterval", value: "60", mutability: "ReadWrite")
            ])
    }

    @Test(arguments: ["Rejected", "NotSupported"])
    func changeConfigurationRefusedStoresNothing(status: String) async throws {
        try await hook(
            "ChangeConfiguration", request: ["key": "MeterValueSampleInterval", "value": "60"],
            response: ["status": .string(status)])
        #expect(await fixture.store.variables.isEmpty)
    }
}

/// 1.6 sampled values are text; only decimal numbers become samples.
@Suite struct OCPP16MeterValueTextTests {
    func stored(_ text: String) async throws -> [Double] {
        let fixture = OCPP16Fixture()
        let request: JSONObject = [
            "connectorId": 1,
            "meterValue": [["timestamp": "2026-11-19T09:00:00Z", "sampledValue": [["value": .string(text)]]]],
        ]
        OCPP16SchemaCheck.expectValidRequest("MeterValues", request)
        let handler = try #require(ocpp16CallHandlers()["MeterValues"])
        let response = try await handler(request, fixture.context)
        #expect(response == [:])
        return await fixture.store.meterValues.flatMap { $0.samples.map(\.value) }
    }

    @Test(arguments: [
        ("12.5", 12.5), ("-3", -3), ("+4", 4), ("1e3", 1000), ("2.5E-1", 0.25), (".5", 0.5), ("5.", 5),
        (" 7 ", 7), ("0", 0), ("00012", 12), ("123456789.125", 123_456_789.125),
    ])
    func decimalTextIsStored(text: String, value: Double) async throws {
        #expect(try await stored(text) == [value])
    }

    @Test(arguments: [
        "", " ", "nan", "NaN", "inf", "-Infinity", "0x10", "1,5", "abc", "1e", "1e+", ".", "-", "1.2.3", "1e999",
        "12 kWh",
    ])
    func nonDecimalTextIsSkipped(text: String) async throws {
        #expect(try await stored(text) == [])
    }
}

private func ocpp16Date(_ text: String) -> Date {
    guard let date = OCPPDateTime.parse(text) else {
        Issue.record("bad test time \(text)")
        return Date(timeIntervalSince1970: 0)
    }
    return date
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import OCPP201
import OCPP201Handlers
import OCPPHandlerKit
import OCPPRPC
import Testing

/// The OCPP 2.0.1 handlers through their public tables: each test feeds a schema-valid payload,
/// checks the domain call it produced on a recording store, and checks that the answer is what the
/// domain outcome means on the wire and passes the official response schema.
@Suite("OCPP 2.0.1 handlers")
struct OCPP201HandlerTests {
    private static let t0 = OCPPDateTime.parse("2026-11-18T10:00:00Z") ?? Date.distantPast

    // MARK: - Tables

    @Test func tablesNameOnlyOfficialActions() {
        let calls = ocpp201CallHandlers().handlers.keys.sorted()
        #expect(
            calls == [
                "Authorize", "BootNotification", "DataTransfer", "FirmwareStatusNotification", "Heartbeat",
                "LogStatusNotification", "MeterValues", "NotifyEvent", "NotifyReport", "SecurityEventNotification",
                "StatusNotification", "TransactionEvent",
            ])
        let hooks = ocpp201ResultHooks().hooks.keys.sorted()
        #expect(hooks == ["GetVariables", "SetVariables"])
        for action in calls + hooks {
            #expect(OCPP201Schemas.actions.contains(action), "\(action) is not an OCPP 2.0.1 action")
        }
    }

    // MARK: - Provisioning

    @Test func TC_B_01_bootAcceptedStoresStationAndAnswersHeartbeatInterval() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "BootNotification",
            """
            {"reason": "PowerUp", "chargingStation": {"vendorName": "Acme", "model": "Wallbox 22",
             "serialNumber": "SN-0042", "firmwareVersion": "4.2.1",
             "modem": {"iccid": "8931440000000000001", "imsi": "262019999999999"}}}
            """)
        #expect(response["status"] == "Accepted")
        #expect(response["interval"] == .integer(600))
        #expect(response["currentTime"] == .string(OCPP201Fixture.nowText))
        let boots = await fixture.store.boots
        let boot = try #require(boots.first)
        #expect(boots.count == 1)
        #expect(boot.station == OCPP201Fixture.stationPK)
        #expect(boot.at == OCPP201Fixture.now)
        #expect(
            boot.info
                == BootInfo(
                    ocppVersion: "ocpp2.0.1", vendor: "Acme", model: "Wallbox 22", serialNumber: "SN-0042",
                    firmwareVersion: "4.2.1", iccid: "8931440000000000001", imsi: "262019999999999",
                    reason: "PowerUp"))
    }

    @Test func TC_B_02_bootPendingAnswersAShortNonZeroRetryInterval() async throws {
        var fixture = OCPP201Fixture()
        await fixture.store.set(bootStatus: .pending)
        fixture.heartbeat = .seconds(3600)
        let minimal = #"{"reason": "Unknown", "chargingStation": {"vendorName": "Acme", "model": "W"}}"#
        var response = try await fixture.call("BootNotification", minimal)
        #expect(response["status"] == "Pending")
        // A Pending interval is the minimum wait before the next boot, not the heartbeat interval.
        #expect(response["interval"] == .integer(300))

        fixture.heartbeat = .zero
        response = try await fixture.call("BootNotification", minimal)
        #expect(response["interval"] == .integer(1))

        await fixture.store.set(bootStatus: .rejected)
        fixture.heartbeat = .seconds(60)
        response = try await fixture.call("BootNotification", minimal)
        #expect(response["status"] == "Rejected")
        #expect(response["interval"] == .integer(60))

        let boot = try #require(await fixture.store.boots.first)
        #expect(boot.info.serialNumber == nil)
        #expect(boot.info.iccid == nil)
        #expect(boot.info.reason == "Unknown")
    }

    @Test func TC_B_12_notifyReportStoresEveryAttributeOfEveryVariable() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "NotifyReport",
            """
            {"requestId": 3, "generatedAt": "2026-11-18T10:00:00Z", "seqNo": 0, "tbc": true, "reportData": [
              {"component": {"name": "SmartChargingCtrlr"}, "variable": {"name": "LimitChangeSignificance"},
               "variableAttribute": [
                 {"type": "Actual", "value": "0.1", "mutability": "ReadWrite"},
                 {"type": "MinSet", "value": "0.0", "mutability": "ReadOnly"},
                 {"type": "MaxSet", "value": "1.0", "mutability": "ReadOnly"}],
               "variableCharacteristics": {"dataType": "decimal", "unit": "Percent", "supportsMonitoring": false}},
              {"component": {"name": "EVSE", "instance": "main", "evse": {"id": 2, "connectorId": 1}},
               "variable": {"name": "Power", "instance": "L1"},
               "variableAttribute": [{"value": "11000"}],
               "variableCharacteristics": {"dataType": "integer", "supportsMonitoring": true}},
              {"component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"},
               "variableAttribute": [{"mutability": "WriteOnly"}],
               "variableCharacteristics": {"dataType": "string", "supportsMonitoring": false}}]}
            """)
        #expect(response.isEmpty)
        let calls = await fixture.store.variableCalls
        #expect(calls.count == 1, "one report part is stored in one call")
        #expect(
            calls.first == [
                StationVariable(
                    component: "SmartChargingCtrlr", variable: "LimitChangeSignificance", attributeType: "Actual",
                    value: "0.1", mutability: "ReadWrite", dataType: "decimal", unit: "Percent"),
                StationVariable(
                    component: "SmartChargingCtrlr", variable: "LimitChangeSignificance", attributeType: "MinSet",
                    value: "0.0", mutability: "ReadOnly", dataType: "decimal", unit: "Percent"),
                StationVariable(
                    component: "SmartChargingCtrlr", variable: "LimitChangeSignificance", attributeType: "MaxSet",
                    value: "1.0", mutability: "ReadOnly", dataType: "decimal", unit: "Percent"),
                StationVariable(
                    component: "EVSE", componentInstance: "main", evseId: 2, connectorId: 1, variable: "Power",
                    variableInstance: "L1", attributeType: "Actual", value: "11000", dataType: "integer"),
                StationVariable(
                    component: "SecurityCtrlr", variable: "BasicAuthPassword", value: nil, mutability: "WriteOnly",
                    dataType: "string"),
            ])
    }

    @Test func notifyReportWithoutReportDataStoresNothing() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "NotifyReport", #"{"requestId": 4, "generatedAt": "2026-11-18T10:00:00Z", "seqNo": 1}"#)
        #expect(response.isEmpty)
        #expect(await fixture.store.variableCalls.isEmpty)
    }

    @Test func TC_B_07_getVariablesResultStoresOnlyAcceptedReads() async throws {
        let fixture = OCPP201Fixture()
        try await fixture.result(
            "GetVariables",
            request: """
                {"getVariableData": [
                  {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}},
                  {"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Available"},
                   "attributeType": "Target"},
                  {"component": {"name": "Nope"}, "variable": {"name": "Nothing"}}]}
                """,
            response: """
                {"getVariableResult": [
                  {"attributeStatus": "Accepted", "attributeValue": "300",
                   "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}},
                  {"attributeStatus": "Accepted", "attributeType": "Target", "attributeValue": "true",
                   "component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Available"}},
                  {"attributeStatus": "UnknownComponent",
                   "component": {"name": "Nope"}, "variable": {"name": "Nothing"}}]}
                """)
        #expect(
            await fixture.store.variables == [
                StationVariable(component: "OCPPCommCtrlr", variable: "HeartbeatInterval", value: "300"),
                StationVariable(
                    component: "EVSE", evseId: 1, variable: "Available", attributeType: "Target", value: "true"),
            ])
    }

    @Test func getVariablesResultWithoutAcceptedReadsStoresNothing() async throws {
        let fixture = OCPP201Fixture()
        try await fixture.result(
            "GetVariables",
            request: #"{"getVariableData": [{"component": {"name": "A"}, "variable": {"name": "B"}}]}"#,
            response: """
                {"getVariableResult": [{"attributeStatus": "Rejected",
                  "attributeStatusInfo": {"reasonCode": "WriteOnly"},
                  "component": {"name": "A"}, "variable": {"name": "B"}}]}
                """)
        #expect(await fixture.store.variableCalls.isEmpty)
    }

    @Test func TC_B_10_setVariablesResultStoresAcceptedValuesFromTheRequest() async throws {
        let fixture = OCPP201Fixture()
        // The results come back in another order than the request: matched on component, variable
        // and attribute type, not on position.
        try await fixture.result(
            "SetVariables",
            request: """
                {"setVariableData": [
                  {"attributeValue": "120", "component": {"name": "OCPPCommCtrlr"},
                   "variable": {"name": "HeartbeatInterval"}},
                  {"attributeValue": "false", "attributeType": "Actual",
                   "component": {"name": "EVSE", "evse": {"id": 2}}, "variable": {"name": "Enabled"}},
                  {"attributeValue": "true", "attributeType": "Target",
                   "component": {"name": "EVSE", "evse": {"id": 2}}, "variable": {"name": "Enabled"}},
                  {"attributeValue": "TLS", "component": {"name": "SecurityCtrlr"},
                   "variable": {"name": "SecurityProfile"}},
                  {"attributeValue": "s3cr3t-s3cr3t-s3cr3t", "component": {"name": "SecurityCtrlr"},
                   "variable": {"name": "BasicAuthPassword"}}]}
                """,
            response: """
                {"setVariableResult": [
                  {"attributeStatus": "Accepted", "attributeType": "Target",
                   "component": {"name": "EVSE", "evse": {"id": 2}}, "variable": {"name": "Enabled"}},
                  {"attributeStatus": "RebootRequired",
                   "component": {"name": "SecurityCtrlr"}, "variable": {"name": "SecurityProfile"}},
                  {"attributeStatus": "Accepted",
                   "component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"}},
                  {"attributeStatus": "Rejected", "attributeType": "Actual",
                   "component": {"name": "EVSE", "evse": {"id": 2}}, "variable": {"name": "Enabled"}},
                  {"attributeStatus": "Accepted",
                   "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}]}
                """)
        let stored = await fixture.store.variables
        #expect(
            stored == [
                StationVariable(
                    component: "EVSE", evseId: 2, variable: "Enabled", attributeType: "Target", value: "true"),
                // A station credential is recorded as set, never with its value.
                StationVariable(component: "SecurityCtrlr", variable: "BasicAuthPassword", value: nil),
                StationVariable(component: "OCPPCommCtrlr", variable: "HeartbeatInterval", value: "120"),
            ])
        #expect(
            !fixture.logs.lines.contains {
                $0.message.contains("s3cr3t") || $0.metadata.values.contains { $0.contains("s3cr3t") }
            })
    }

    // MARK: - Authorization

    @Test func authorizeAcceptedCarriesExpiryAndGroupToken() async throws {
        let fixture = OCPP201Fixture()
        let expiry = OCPP201Fixture.now.addingTimeInterval(3600)
        await fixture.store.set(
            authorization: AuthorizationResult(status: .accepted, expiresAt: expiry, parentToken: "FLEET-7"),
            for: "04A2B3C4D5")
        let response = try await fixture.call(
            "Authorize", #"{"idToken": {"idToken": "04A2B3C4D5", "type": "ISO14443"}}"#)
        #expect(
            response == [
                "idTokenInfo": [
                    "status": "Accepted", "cacheExpiryDateTime": "2026-11-18T12:06:40.000Z",
                    "groupIdToken": ["idToken": "FLEET-7", "type": "Central"],
                ]
            ])
        let calls = await fixture.store.authorizeCalls
        #expect(calls.count == 1)
        #expect(calls.first?.token == "04A2B3C4D5")
        #expect(calls.first?.type == "ISO14443")
    }

    @Test func authorizeUnknownTokenIsAnsweredUnknown() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call("Authorize", #"{"idToken": {"idToken": "NOPE", "type": "Central"}}"#)
        #expect(response == ["idTokenInfo": ["status": "Unknown"]])
        #expect(fixture.logs.lines.contains { $0.level == .notice && $0.message.contains("Unknown") })
    }

    @Test(arguments: [AuthorizationStatus.blocked, .expired, .invalid])
    func authorizeRefusalsKeepTheirStatus(_ status: AuthorizationStatus) async throws {
        let fixture = OCPP201Fixture()
        await fixture.store.set(authorization: AuthorizationResult(status: status), for: "TAG")
        let response = try await fixture.call("Authorize", #"{"idToken": {"idToken": "TAG", "type": "KeyCode"}}"#)
        #expect(response == ["idTokenInfo": ["status": .string(status.rawValue)]])
    }

    @Test func authorizeLeavesOutAParentTokenTooLongForTheSchema() async throws {
        let fixture = OCPP201Fixture()
        await fixture.store.set(
            authorization: AuthorizationResult(status: .accepted, parentToken: String(repeating: "P", count: 37)),
            for: "TAG")
        let response = try await fixture.call("Authorize", #"{"idToken": {"idToken": "TAG", "type": "Central"}}"#)
        #expect(response == ["idTokenInfo": ["status": "Accepted"]])
        // What sending it would have meant: an answer the station rejects.
        let tooLong: JSONObject = [
            "idTokenInfo": [
                "status": "Accepted",
                "groupIdToken": ["idToken": .string(String(repeating: "P", count: 37)), "type": "Central"],
            ]
        ]
        #expect(OCPP201Schemas.response("Authorize")?.validate(tooLong) != nil)
    }

    @Test func authorizeNoAuthorizationTokenIsAcceptedWithoutALookup() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "Authorize", #"{"idToken": {"idToken": "", "type": "NoAuthorization"}}"#)
        #expect(response == ["idTokenInfo": ["status": "Accepted"]])
        #expect(await fixture.store.authorizeCalls.isEmpty)
    }

    // MARK: - Transactions

    @Test func TC_E_01_transactionStartedWithTokenEvseAndMeterValue() async throws {
        let fixture = OCPP201Fixture()
        await fixture.store.set(
            transactionEventOutcome: TransactionEventOutcome(
                authorization: AuthorizationResult(status: .accepted, parentToken: "GROUP-1"), duplicate: false,
                missingSeqNos: []))
        let response = try await fixture.call(
            "TransactionEvent",
            """
            {"eventType": "Started", "timestamp": "2026-11-18T10:00:00Z", "triggerReason": "Authorized",
             "seqNo": 0, "transactionInfo": {"transactionId": "tx-1", "chargingState": "EVConnected",
             "remoteStartId": 5}, "evse": {"id": 1, "connectorId": 2},
             "idToken": {"idToken": "04A2B3C4D5", "type": "ISO14443"},
             "meterValue": [{"timestamp": "2026-11-18T10:00:00Z",
               "sampledValue": [{"value": 1500, "context": "Transaction.Begin"}]}]}
            """)
        #expect(
            response == [
                "idTokenInfo": ["status": "Accepted", "groupIdToken": ["idToken": "GROUP-1", "type": "Central"]]
            ])
        let events = await fixture.store.transactionEvents
        #expect(
            events == [
                TransactionEvent(
                    kind: .started, transactionId: "tx-1", seqNo: 0, timestamp: Self.t0, triggerReason: "Authorized",
                    offline: false, chargingState: "EVConnected", evseId: 1, connectorId: 2, idToken: "04A2B3C4D5",
                    idTokenType: "ISO14443",
                    samples: [
                        MeterSample(
                            sampledAt: Self.t0, unit: "Wh", context: "Transaction.Begin", location: "Outlet",
                            value: 1500)
                    ])
            ])
        // The token check is the store's, made while it records the event: no second lookup.
        #expect(await fixture.store.authorizeCalls.isEmpty)
    }

    @Test func transactionUpdatedWithoutTokenIsAnsweredEmpty() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "TransactionEvent",
            """
            {"eventType": "Updated", "timestamp": "2026-11-18T10:15:00Z", "triggerReason": "MeterValuePeriodic",
             "seqNo": 1, "transactionInfo": {"transactionId": "tx-1", "chargingState": "Charging"},
             "meterValue": [{"timestamp": "2026-11-18T10:15:00Z", "sampledValue": [
               {"value": 4.75, "unitOfMeasure": {"unit": "kWh"}},
               {"value": 7.2, "measurand": "Power.Active.Import", "unitOfMeasure": {"unit": "W", "multiplier": 3}},
               {"value": 231, "measurand": "Voltage", "phase": "L1-N"}]}]}
            """)
        #expect(response.isEmpty)
        let event = try #require(await fixture.store.transactionEvents.first)
        let at = Self.t0.addingTimeInterval(900)
        #expect(event.kind == .updated)
        #expect(event.seqNo == 1)
        #expect(event.chargingState == "Charging")
        #expect(event.evseId == nil)
        #expect(event.connectorId == nil)
        #expect(event.idToken == nil)
        #expect(event.idTokenType == nil)
        #expect(
            event.samples == [
                MeterSample(sampledAt: at, unit: "kWh", context: "Sample.Periodic", location: "Outlet", value: 4.75),
                MeterSample(
                    sampledAt: at, measurand: "Power.Active.Import", unit: "W", context: "Sample.Periodic",
                    location: "Outlet", value: 7200),
                MeterSample(
                    sampledAt: at, measurand: "Voltage", phase: "L1-N", unit: nil, context: "Sample.Periodic",
                    location: "Outlet", value: 231),
            ])
    }

    @Test func transactionEndedOfflineWithStopTokenIsAnsweredWithItsStatus() async throws {
        let fixture = OCPP201Fixture()
        await fixture.store.set(
            transactionEventOutcome: TransactionEventOutcome(
                authorization: AuthorizationResult(status: .blocked), duplicate: false, missingSeqNos: [2, 3]))
        let response = try await fixture.call(
            "TransactionEvent",
            """
            {"eventType": "Ended", "timestamp": "2026-11-18T11:00:00+01:00", "triggerReason": "StopAuthorized",
             "seqNo": 4, "offline": true, "transactionInfo": {"transactionId": "tx-1",
             "stoppedReason": "Local", "chargingState": "Idle"}, "evse": {"id": 1},
             "idToken": {"idToken": "04A2B3C4D5", "type": "ISO14443"},
             "meterValue": [{"timestamp": "2026-11-18T11:00:00+01:00",
               "sampledValue": [{"value": 9.5, "context": "Transaction.End",
                                 "unitOfMeasure": {"unit": "Wh", "multiplier": 3}}]}]}
            """)
        // Blocked is reported, never a CALLERROR: the transaction has ended regardless.
        #expect(response == ["idTokenInfo": ["status": "Blocked"]])
        let event = try #require(await fixture.store.transactionEvents.first)
        #expect(
            event
                == TransactionEvent(
                    kind: .ended, transactionId: "tx-1", seqNo: 4, timestamp: Self.t0, triggerReason: "StopAuthorized",
                    offline: true, chargingState: "Idle", stoppedReason: "Local", evseId: 1, connectorId: nil,
                    idToken: "04A2B3C4D5", idTokenType: "ISO14443",
                    samples: [
                        MeterSample(
                            sampledAt: Self.t0, unit: "Wh", context: "Transaction.End", location: "Outlet",
                            value: 9500)
                    ]))
        #expect(
            fixture.logs.lines.contains {
                $0.level == .notice && $0.metadata["ocpp.missing_seq_nos"] == "2,3"
            })
    }

    @Test func repeatedTransactionEventIsAnsweredLikeTheFirst() async throws {
        let fixture = OCPP201Fixture()
        // The store recognised the resend and wrote nothing, and had no verdict on the token: the
        // answer still needs idTokenInfo, so the handler asks for one.
        await fixture.store.set(
            transactionEventOutcome: TransactionEventOutcome(authorization: nil, duplicate: true, missingSeqNos: []))
        await fixture.store.set(authorization: AuthorizationResult(status: .accepted), for: "TAG")
        let started = """
            {"eventType": "Started", "timestamp": "2026-11-18T10:00:00Z", "triggerReason": "Authorized",
             "seqNo": 0, "transactionInfo": {"transactionId": "tx-9"}, "idToken": {"idToken": "TAG", "type": "Central"}}
            """
        let response = try await fixture.call("TransactionEvent", started)
        #expect(response == ["idTokenInfo": ["status": "Accepted"]])
        let calls = await fixture.store.authorizeCalls
        #expect(calls.map(\.token) == ["TAG"])

        let updated = """
            {"eventType": "Updated", "timestamp": "2026-11-18T10:05:00Z", "triggerReason": "ChargingStateChanged",
             "seqNo": 1, "transactionInfo": {"transactionId": "tx-9", "chargingState": "Charging"}}
            """
        #expect(try await fixture.call("TransactionEvent", updated).isEmpty)
        #expect(await fixture.store.transactionEvents.count == 2)
    }

    @Test func TC_E_53_seqNoZeroStartsEveryNewTransaction() async throws {
        let fixture = OCPP201Fixture()
        for transactionId in ["tx-A", "tx-B", "tx-C"] {
            let response = try await fixture.call(
                "TransactionEvent",
                """
                {"eventType": "Started", "timestamp": "2026-11-18T10:00:00Z", "triggerReason": "CablePluggedIn",
                 "seqNo": 0, "transactionInfo": {"transactionId": "\(transactionId)"}, "evse": {"id": 1}}
                """)
            #expect(response.isEmpty)
        }
        let events = await fixture.store.transactionEvents
        #expect(events.map(\.transactionId) == ["tx-A", "tx-B", "tx-C"])
        #expect(events.allSatisfy { $0.seqNo == 0 && $0.kind == .started })
    }

    @Test func transactionEventWithNoAuthorizationTokenIsAccepted() async throws {
        let fixture = OCPP201Fixture()
        await fixture.store.set(
            transactionEventOutcome: TransactionEventOutcome(
                authorization: AuthorizationResult(status: .unknown), duplicate: false, missingSeqNos: []))
        let response = try await fixture.call(
            "TransactionEvent",
            """
            {"eventType": "Started", "timestamp": "2026-11-18T10:00:00Z", "triggerReason": "CablePluggedIn",
             "seqNo": 0, "transactionInfo": {"transactionId": "free-1"},
             "idToken": {"idToken": "", "type": "NoAuthorization"}}
            """)
        #expect(response == ["idTokenInfo": ["status": "Accepted"]])
        let event = try #require(await fixture.store.transactionEvents.first)
        #expect(event.idToken == "")
        #expect(event.idTokenType == "NoAuthorization")
    }

    @Test func signedMeterValueIsStoredAsNumberAndKeptAsEvent() async throws {
        let fixture = OCPP201Fixture()
        _ = try await fixture.call(
            "TransactionEvent",
            """
            {"eventType": "Ended", "timestamp": "2026-11-18T10:00:00Z", "triggerReason": "EVDeparted",
             "seqNo": 7, "transactionInfo": {"transactionId": "tx-S", "stoppedReason": "EVDisconnected"},
             "meterValue": [{"timestamp": "2026-11-18T10:00:00Z", "sampledValue": [{"value": 2000,
               "context": "Transaction.End", "signedMeterValue": {"signedMeterData": "AbCd==",
               "signingMethod": "ECDSA-secp256r1-SHA256", "encodingMethod": "OCMF", "publicKey": "MFkw"}}]}]}
            """)
        let event = try #require(await fixture.store.transactionEvents.first)
        #expect(event.samples.map(\.value) == [2000])
        let stationEvents = await fixture.store.events
        #expect(stationEvents.count == 1)
        #expect(stationEvents.first?.kind == "TransactionEvent")
        #expect(stationEvents.first?.summary == "SignedMeterValue Energy.Active.Import.Register Transaction.End")
        #expect(stationEvents.first?.occurredAt == Self.t0)
        let details = try OCPP201Fixture.object(stationEvents.first?.detailsJSON ?? "")
        #expect(details.string("transactionId") == "tx-S")
        #expect(details.object("sampledValue")?.object("signedMeterValue")?.string("signedMeterData") == "AbCd==")
    }

    // MARK: - Meter values

    @Test func meterValuesAreStoredWithoutTransactionAndScaled() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "MeterValues",
            """
            {"evseId": 0, "meterValue": [
              {"timestamp": "2026-11-18T10:00:00Z", "sampledValue": [
                {"value": 1234, "unitOfMeasure": {"multiplier": -3}},
                {"value": 1.1, "unitOfMeasure": {"unit": "Wh", "multiplier": 2}},
                {"value": 50.01, "measurand": "Frequency", "location": "Inlet", "context": "Sample.Clock"}]},
              {"timestamp": "2026-11-18T10:01:00Z", "sampledValue": [{"value": 1.5e-3,
                "measurand": "Energy.Active.Export.Register", "unitOfMeasure": {"unit": "kWh", "multiplier": 6}}]}]}
            """)
        #expect(response.isEmpty)
        let stored = await fixture.store.meterValues
        #expect(stored.count == 1)
        #expect(stored.first?.evseId == 0)
        #expect(stored.first?.transactionRemoteId == nil)
        let later = Self.t0.addingTimeInterval(60)
        #expect(
            stored.first?.samples == [
                MeterSample(
                    sampledAt: Self.t0, unit: "Wh", context: "Sample.Periodic", location: "Outlet", value: 1.234),
                // Scaled on the decimal: the binary product 1.1 * 100 would be 110.00000000000001.
                MeterSample(sampledAt: Self.t0, unit: "Wh", context: "Sample.Periodic", location: "Outlet", value: 110),
                MeterSample(
                    sampledAt: Self.t0, measurand: "Frequency", unit: nil, context: "Sample.Clock", location: "Inlet",
                    value: 50.01),
                MeterSample(
                    sampledAt: later, measurand: "Energy.Active.Export.Register", unit: "kWh",
                    context: "Sample.Periodic", location: "Outlet", value: 1500),
            ])
    }

    @Test func unrepresentableMeterValueIsSkippedNotRefused() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "MeterValues",
            """
            {"evseId": 1, "meterValue": [{"timestamp": "2026-11-18T10:00:00Z", "sampledValue": [
              {"value": 5, "unitOfMeasure": {"multiplier": 400}}, {"value": 6}]}]}
            """)
        #expect(response.isEmpty)
        #expect(await fixture.store.meterValues.first?.samples.map(\.value) == [6])
        #expect(fixture.logs.lines.contains { $0.level == .notice && $0.message.contains("skipped") })
    }

    // MARK: - Availability

    @Test func heartbeatTouchesTheStationAndAnswersTheTime() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call("Heartbeat", "{}")
        #expect(response == ["currentTime": .string(OCPP201Fixture.nowText)])
        let touches = await fixture.store.touches
        #expect(touches.map(\.at) == [OCPP201Fixture.now])
        #expect(touches.map(\.station) == [OCPP201Fixture.stationPK])
    }

    @Test func statusNotificationStoresTheConnectorStatus() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "StatusNotification",
            #"{"timestamp": "2026-11-18T10:00:00Z", "connectorStatus": "Occupied", "evseId": 2, "connectorId": 1}"#)
        #expect(response.isEmpty)
        let statuses = await fixture.store.statuses
        #expect(statuses.count == 1)
        #expect(statuses.first?.identity == OCPP201Fixture.identity)
        #expect(
            statuses.first?.status == ConnectorStatus(evseId: 2, connectorId: 1, status: "Occupied", timestamp: Self.t0)
        )
    }

    // MARK: - Events

    @Test func notifyEventKeepsEachEventWithASummary() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "NotifyEvent",
            """
            {"generatedAt": "2026-11-18T10:00:05Z", "seqNo": 0, "eventData": [
              {"eventId": 1, "timestamp": "2026-11-18T10:00:00Z", "trigger": "Delta", "actualValue": "Faulted",
               "eventNotificationType": "HardWiredNotification",
               "component": {"name": "Connector", "evse": {"id": 1, "connectorId": 1}},
               "variable": {"name": "AvailabilityState"}},
              {"eventId": 2, "timestamp": "2026-11-18T10:00:01Z", "trigger": "Alerting", "actualValue": "81.5",
               "cleared": false, "eventNotificationType": "PreconfiguredMonitor", "variableMonitoringId": 4,
               "component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Temperature"}}]}
            """)
        #expect(response.isEmpty)
        let events = await fixture.store.events
        #expect(events.map(\.kind) == ["NotifyEvent", "NotifyEvent"])
        #expect(
            events.map(\.summary) == ["Connector/AvailabilityState: Delta Faulted", "EVSE/Temperature: Alerting 81.5"])
        #expect(events.map(\.occurredAt) == [Self.t0, Self.t0.addingTimeInterval(1)])
        let details = try OCPP201Fixture.object(events.first?.detailsJSON ?? "")
        #expect(details.int("eventId") == 1)
        #expect(details.object("component")?.object("evse")?.int("connectorId") == 1)
    }

    @Test func notifyEventSummaryIsCutToTheStoredLength() async throws {
        let fixture = OCPP201Fixture()
        let long = String(repeating: "x", count: 2500)
        _ = try await fixture.call(
            "NotifyEvent",
            """
            {"generatedAt": "2026-11-18T10:00:05Z", "seqNo": 0, "eventData": [
              {"eventId": 1, "timestamp": "2026-11-18T10:00:00Z", "trigger": "Periodic", "actualValue": "\(long)",
               "eventNotificationType": "CustomMonitor", "component": {"name": "C"}, "variable": {"name": "V"}}]}
            """)
        let event = try #require(await fixture.store.events.first)
        #expect(event.summary.unicodeScalars.count == 1000)
        #expect(event.summary.hasPrefix("C/V: Periodic xxx"))
        #expect(try OCPP201Fixture.object(event.detailsJSON).string("actualValue") == long)
    }

    @Test func securityEventNotificationIsKept() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "SecurityEventNotification",
            #"{"type": "TamperDetectionActivated", "timestamp": "2026-11-18T10:00:00Z", "techInfo": "lid opened"}"#)
        #expect(response.isEmpty)
        let events = await fixture.store.events
        #expect(events.count == 1)
        #expect(events.first?.kind == "SecurityEventNotification")
        #expect(events.first?.summary == "TamperDetectionActivated: lid opened")
        #expect(events.first?.occurredAt == Self.t0)

        _ = try await fixture.call(
            "SecurityEventNotification", #"{"type": "FirmwareUpdated", "timestamp": "2026-11-18T10:00:00Z"}"#)
        #expect(await fixture.store.events.last?.summary == "FirmwareUpdated")
    }

    @Test func logAndFirmwareStatusNotificationsAreKept() async throws {
        let fixture = OCPP201Fixture()
        #expect(try await fixture.call("LogStatusNotification", #"{"status": "Uploaded", "requestId": 12}"#).isEmpty)
        #expect(try await fixture.call("FirmwareStatusNotification", #"{"status": "Installing"}"#).isEmpty)
        let events = await fixture.store.events
        #expect(events.map(\.kind) == ["LogStatusNotification", "FirmwareStatusNotification"])
        #expect(events.map(\.summary) == ["Uploaded (request 12)", "Installing"])
        #expect(events.map(\.occurredAt) == [OCPP201Fixture.now, OCPP201Fixture.now])
        #expect(events.first?.detailsJSON == #"{"status":"Uploaded","requestId":12}"#)
    }

    // MARK: - Data transfer

    @Test func dataTransferFromUnknownVendorIsAnsweredUnknownVendorId() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "DataTransfer", #"{"vendorId": "com.example.other", "messageId": "Ping", "data": {"a": 1}}"#)
        #expect(response == ["status": "UnknownVendorId"])
        #expect(await fixture.store.events.isEmpty)
    }

    @Test func dataTransferFromKnownVendorIsAcceptedAndKept() async throws {
        let fixture = OCPP201Fixture()
        let response = try await fixture.call(
            "DataTransfer", #"{"vendorId": "com.example.acme", "messageId": "Ping", "data": [1, "two"]}"#)
        #expect(response == ["status": "Accepted"])
        let events = await fixture.store.events
        #expect(events.count == 1)
        #expect(events.first?.kind == "DataTransfer")
        #expect(events.first?.summary == "com.example.acme Ping")
        #expect(events.first?.detailsJSON == #"{"vendorId":"com.example.acme","messageId":"Ping","data":[1,"two"]}"#)
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPPRPC
import Testing

/// Each violation class maps to the CALLERROR code of OCPP-J 1.6 §4.2.3 Table 7 / OCPP-J 2.0.1 §4.3
/// Table 8, spelled per version, with a JSON pointer to the offending field.
@Suite struct ViolationTests {
    // MARK: Occurrence

    @Test func missingRequiredFieldIsAnOccurrenceConstraintViolation() throws {
        try expectViolation(
            .ocpp16, "BootNotification", #"{"chargePointModel": "Wallbox-22"}"#,
            code: .occurrenceConstraintViolation, wire: "OccurenceConstraintViolation", path: "/chargePointVendor",
            message: "chargePointVendor: required field missing")
        try expectViolation(
            .ocpp201, "BootNotification", #"{"reason": "PowerUp", "chargingStation": {"model": "Wallbox-22"}}"#,
            code: .occurrenceConstraintViolation, wire: "OccurrenceConstraintViolation",
            path: "/chargingStation/vendorName", message: "chargingStation.vendorName: required field missing")
        try expectViolation(
            .ocpp201, "BootNotification", #"{"reason": "PowerUp"}"#,
            code: .occurrenceConstraintViolation, wire: "OccurrenceConstraintViolation", path: "/chargingStation")
        try expectViolation(
            .ocpp16, "StartTransaction", .response, #"{"transactionId": 1}"#,
            code: .occurrenceConstraintViolation, wire: "OccurenceConstraintViolation", path: "/idTagInfo")
    }

    @Test func itemCountOutsideMinItemsOrMaxItemsIsAnOccurrenceConstraintViolation() throws {
        try expectViolation(
            .ocpp16, "MeterValues", #"{"connectorId": 1, "meterValue": []}"#,
            code: .occurrenceConstraintViolation, wire: "OccurenceConstraintViolation", path: "/meterValue",
            message: "meterValue: 0 items, at least 1 required")
        try expectViolation(
            .ocpp16, "MeterValues",
            #"{"connectorId": 1, "meterValue": [{"timestamp": "2026-03-14T09:41:53Z", "sampledValue": []}]}"#,
            code: .occurrenceConstraintViolation, wire: "OccurenceConstraintViolation",
            path: "/meterValue/0/sampledValue")
        try expectViolation(
            .ocpp201, "NotifyReport",
            #"""
            {"requestId": 5, "generatedAt": "2026-03-14T09:26:53Z", "seqNo": 0, "reportData": [
              {"component": {"name": "EVSE"}, "variable": {"name": "Power"}, "variableAttribute": [
                {"type": "Actual"}, {"type": "Target"}, {"type": "MinSet"}, {"type": "MaxSet"}, {"type": "Actual"}]}]}
            """#,
            code: .occurrenceConstraintViolation, wire: "OccurrenceConstraintViolation",
            path: "/reportData/0/variableAttribute",
            message: "reportData[0].variableAttribute: 5 items, at most 4 allowed")
    }

    // MARK: Property

    @Test func stringLongerThanMaxLengthIsAPropertyConstraintViolation() throws {
        let twenty = String(repeating: "A", count: 20)
        try expectValid(.ocpp16, "Authorize", #"{"idTag": "\#(twenty)"}"#)
        for version in [OCPPVersion.ocpp16] {
            try expectViolation(
                version, "Authorize", #"{"idTag": "\#(twenty)B"}"#,
                code: .propertyConstraintViolation, wire: "PropertyConstraintViolation", path: "/idTag",
                message: "idTag: longer than 20 characters")
        }
        try expectViolation(
            .ocpp201, "Authorize",
            #"{"idToken": {"idToken": "\#(String(repeating: "x", count: 37))", "type": "Central"}}"#,
            code: .propertyConstraintViolation, wire: "PropertyConstraintViolation", path: "/idToken/idToken",
            message: "idToken.idToken: longer than 36 characters")
        // 21 two-byte characters: over the limit by character count, not only by bytes.
        try expectViolation(
            .ocpp16, "Authorize", #"{"idTag": "\#(String(repeating: "é", count: 21))"}"#,
            code: .propertyConstraintViolation, wire: "PropertyConstraintViolation", path: "/idTag")
    }

    @Test func valueOutsideTheEnumerationIsAPropertyConstraintViolation() throws {
        try expectViolation(
            .ocpp16, "StatusNotification", #"{"connectorId": 1, "errorCode": "NoError", "status": "Broken"}"#,
            code: .propertyConstraintViolation, wire: "PropertyConstraintViolation", path: "/status")
        try expectViolation(
            .ocpp16, "BootNotification", .response,
            #"{"status": "accepted", "currentTime": "2026-03-14T09:26:53Z", "interval": 300}"#,
            code: .propertyConstraintViolation, wire: "PropertyConstraintViolation", path: "/status",
            message: #"status: "accepted" is not one of Accepted, Pending, Rejected"#)
        try expectViolation(
            .ocpp201, "BootNotification",
            #"{"reason": "Reboot", "chargingStation": {"model": "M", "vendorName": "V"}}"#,
            code: .propertyConstraintViolation, wire: "PropertyConstraintViolation", path: "/reason")
    }

    @Test func numberOutOfBoundsOrNotAMultipleIsAPropertyConstraintViolation() throws {
        let needs = #"{"evseId": 1, "chargingNeeds": {"requestedEnergyTransfer": "DC", "dcChargingParameters": "#
        try expectViolation(
            .ocpp201, "NotifyEVChargingNeeds", needs + #"{"evMaxCurrent": 200, "evMaxVoltage": 800, "fullSoC": 101}}}"#,
            code: .propertyConstraintViolation, wire: "PropertyConstraintViolation",
            path: "/chargingNeeds/dcChargingParameters/fullSoC",
            message: "chargingNeeds.dcChargingParameters.fullSoC: greater than the maximum 100")
        try expectViolation(
            .ocpp201, "NotifyEVChargingNeeds", needs + #"{"evMaxCurrent": 200, "evMaxVoltage": 800, "bulkSoC": -1}}}"#,
            code: .propertyConstraintViolation, wire: "PropertyConstraintViolation",
            path: "/chargingNeeds/dcChargingParameters/bulkSoC",
            message: "chargingNeeds.dcChargingParameters.bulkSoC: less than the minimum 0")
        try expectViolation(
            .ocpp16, "SetChargingProfile",
            #"""
            {"connectorId": 1, "csChargingProfiles": {"chargingProfileId": 1, "stackLevel": 0,
             "chargingProfilePurpose": "TxDefaultProfile", "chargingProfileKind": "Absolute",
             "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [
               {"startPeriod": 0, "limit": 16}, {"startPeriod": 60, "limit": 10.55}]}}}
            """#,
            code: .propertyConstraintViolation, wire: "PropertyConstraintViolation",
            path: "/csChargingProfiles/chargingSchedule/chargingSchedulePeriod/1/limit",
            message: "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[1].limit: not a multiple of 0.1")
    }

    // MARK: Type

    @Test func wrongJSONTypeIsATypeConstraintViolation() throws {
        try expectViolation(
            .ocpp16, "StatusNotification", #"{"connectorId": "1", "errorCode": "NoError", "status": "Available"}"#,
            code: .typeConstraintViolation, wire: "TypeConstraintViolation", path: "/connectorId",
            message: "connectorId: expected integer, got string")
        try expectViolation(
            .ocpp201, "StatusNotification",
            #"{"timestamp": "2026-03-14T09:26:53Z", "connectorStatus": "Available", "evseId": "1", "connectorId": 1}"#,
            code: .typeConstraintViolation, wire: "TypeConstraintViolation", path: "/evseId")
        try expectViolation(
            .ocpp16, "StatusNotification", #"{"connectorId": 1.5, "errorCode": "NoError", "status": "Available"}"#,
            code: .typeConstraintViolation, wire: "TypeConstraintViolation", path: "/connectorId",
            message: "connectorId: expected integer, got a number with a fraction")
        // JSON null is not a value of any OCPP field type (OCPP-J 2.0.1 §4.1.5: omit empty fields).
        try expectViolation(
            .ocpp16, "BootNotification", #"{"chargePointVendor": "V", "chargePointModel": "M", "iccid": null}"#,
            code: .typeConstraintViolation, wire: "TypeConstraintViolation", path: "/iccid",
            message: "iccid: expected string, got null")
        try expectViolation(
            .ocpp201, "NotifyReport",
            #"{"requestId": 5, "generatedAt": "2026-03-14T09:26:53Z", "seqNo": 0, "tbc": "no"}"#,
            code: .typeConstraintViolation, wire: "TypeConstraintViolation", path: "/tbc")
        try expectViolation(
            .ocpp16, "MeterValues", #"{"connectorId": 1, "meterValue": {"timestamp": "2026-03-14T09:41:53Z"}}"#,
            code: .typeConstraintViolation, wire: "TypeConstraintViolation", path: "/meterValue",
            message: "meterValue: expected array, got object")
        try expectViolation(
            .ocpp201, "TransactionEvent", .response, #"{"totalCost": "3.25"}"#,
            code: .typeConstraintViolation, wire: "TypeConstraintViolation", path: "/totalCost")
    }

    @Test func dateTimeThatIsNotRFC3339IsATypeConstraintViolation() throws {
        for bad in ["yesterday", "2026-03-14 09:26:53Z", "2026-03-14T09:26:53", "2026-13-01T00:00:00Z", ""] {
            try expectViolation(
                .ocpp16, "StartTransaction",
                #"{"connectorId": 1, "idTag": "T", "meterStart": 0, "timestamp": "\#(bad)"}"#,
                code: .typeConstraintViolation, wire: "TypeConstraintViolation", path: "/timestamp")
        }
        try expectViolation(
            .ocpp201, "TransactionEvent",
            #"""
            {"eventType": "Started", "timestamp": "2026-03-14T09:26:53Z", "triggerReason": "Authorized", "seqNo": 0,
             "transactionInfo": {"transactionId": "T-1"},
             "meterValue": [{"timestamp": "14/03/2026 09:26", "sampledValue": [{"value": 1}]}]}
            """#,
            code: .typeConstraintViolation, wire: "TypeConstraintViolation", path: "/meterValue/0/timestamp",
            message: #"meterValue[0].timestamp: "14/03/2026 09:26" is not an RFC 3339 date-time"#)
    }

    // MARK: Format

    @Test func undeclaredPropertyIsAFormatViolation() throws {
        try expectViolation(
            .ocpp16, "Heartbeat", #"{"foo": 1}"#,
            code: .formatViolation, wire: "FormationViolation", path: "/foo",
            message: "foo: property not defined by the schema")
        try expectViolation(
            .ocpp201, "BootNotification",
            #"{"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V", "colour": "red"}}"#,
            code: .formatViolation, wire: "FormatViolation", path: "/chargingStation/colour")
        // JSON pointer escaping (RFC 6901 §3).
        try expectViolation(
            .ocpp201, "Heartbeat", #"{"a/b~c": 1}"#,
            code: .formatViolation, wire: "FormatViolation", path: "/a~1b~0c")
        // 2.0.1 CustomDataType is open for vendor extensions, every other type is closed.
        try expectValid(.ocpp201, "Heartbeat", #"{"customData": {"vendorId": "com.example", "extra": {"k": 1}}}"#)
        try expectViolation(
            .ocpp201, "Heartbeat", #"{"customData": {"extra": 1}}"#,
            code: .occurrenceConstraintViolation, wire: "OccurrenceConstraintViolation", path: "/customData/vendorId")
    }

    // MARK: Paths and order

    @Test func nestedArrayItemDefectsPointIntoTheArray() throws {
        try expectViolation(
            .ocpp16, "MeterValues",
            #"""
            {"connectorId": 1, "meterValue": [
              {"timestamp": "2026-03-14T09:41:53Z", "sampledValue": [{"value": "1"}]},
              {"timestamp": "2026-03-14T09:42:53Z", "sampledValue": [{"value": "2"}, {"value": "3", "measurand": "Energy"}]}]}
            """#,
            code: .propertyConstraintViolation, wire: "PropertyConstraintViolation",
            path: "/meterValue/1/sampledValue/1/measurand")
        try expectViolation(
            .ocpp16, "StopTransaction",
            #"""
            {"meterStop": 1, "timestamp": "2026-03-14T11:00:00Z", "transactionId": 42, "transactionData": [
              {"timestamp": "2026-03-14T11:00:00Z", "sampledValue": [{"unit": "Wh"}]}]}
            """#,
            code: .occurrenceConstraintViolation, wire: "OccurenceConstraintViolation",
            path: "/transactionData/0/sampledValue/0/value",
            message: "transactionData[0].sampledValue[0].value: required field missing")
        try expectViolation(
            .ocpp201, "NotifyReport",
            #"""
            {"requestId": 5, "generatedAt": "2026-03-14T09:26:53Z", "seqNo": 0, "reportData": [
              {"component": {"name": "A"}, "variable": {"name": "B"}, "variableAttribute": [{"value": "1"}]},
              {"component": {"name": "A", "evse": {"id": "one"}}, "variable": {"name": "B"},
               "variableAttribute": [{"value": "1"}]}]}
            """#,
            code: .typeConstraintViolation, wire: "TypeConstraintViolation", path: "/reportData/1/component/evse/id")
        try expectViolation(
            .ocpp201, "GetVariables", .response,
            #"""
            {"getVariableResult": [{"attributeStatus": "Accepted", "component": {"name": "A"},
              "variable": {"name": "B"}, "attributeStatusInfo": {"reasonCode": "X", "additionalInfo": 7}}]}
            """#,
            code: .typeConstraintViolation, wire: "TypeConstraintViolation",
            path: "/getVariableResult/0/attributeStatusInfo/additionalInfo")
    }

    @Test func firstViolationInPayloadOrderWinsThenMissingFields() throws {
        // Members are checked in payload order; missing required fields only after all members.
        try expectViolation(
            .ocpp16, "StatusNotification", #"{"status": "Broken", "connectorId": "1"}"#,
            code: .propertyConstraintViolation, wire: "PropertyConstraintViolation", path: "/status")
        try expectViolation(
            .ocpp16, "StatusNotification", #"{"connectorId": "1", "status": "Broken"}"#,
            code: .typeConstraintViolation, wire: "TypeConstraintViolation", path: "/connectorId")
        try expectViolation(
            .ocpp16, "StatusNotification", #"{"connectorId": 1, "status": "Available", "extra": true}"#,
            code: .formatViolation, wire: "FormationViolation", path: "/extra")
        try expectViolation(
            .ocpp16, "StatusNotification", #"{"connectorId": 1, "status": "Available"}"#,
            code: .occurrenceConstraintViolation, wire: "OccurenceConstraintViolation", path: "/errorCode")
    }

    @Test func messagesStayShortWhateverThePayload() throws {
        let long = String(repeating: "x", count: 5000)
        let found = try #require(
            try violation(
                .ocpp16, "MeterValues",
                #"""
                {"connectorId": 1, "meterValue": [{"timestamp": "2026-03-14T09:41:53Z",
                  "sampledValue": [{"value": "1", "measurand": "\#(long)"}]}]}
                """#))
        #expect(found.code == .propertyConstraintViolation)
        #expect(found.message.count <= 200)
        #expect(found.message.hasPrefix("meterValue[0].sampledValue[0].measurand: \"xxx"))
        #expect(!found.message.contains(long))
    }
}

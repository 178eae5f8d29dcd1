// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPPRPC
import Testing

/// Realistic payloads, written by hand from the OCPP 1.6 and 2.0.1 message definitions.
@Suite struct ValidPayloadTests {
    @Test func ocpp16BootNotification() throws {
        try expectValid(
            .ocpp16, "BootNotification",
            #"""
            {"chargePointVendor": "OpenVendor", "chargePointModel": "Wallbox-22",
             "chargePointSerialNumber": "WB22-000123", "chargeBoxSerialNumber": "CB-1",
             "firmwareVersion": "1.4.2", "iccid": "89310410106543789301", "imsi": "204043712345678",
             "meterType": "EM340", "meterSerialNumber": "EM-99"}
            """#)
        try expectValid(.ocpp16, "BootNotification", #"{"chargePointVendor": "V", "chargePointModel": "M"}"#)
        try expectValid(
            .ocpp16, "BootNotification", .response,
            #"{"status": "Accepted", "currentTime": "2026-03-14T09:26:53.123Z", "interval": 300}"#)
    }

    @Test func ocpp16StartTransaction() throws {
        try expectValid(
            .ocpp16, "StartTransaction",
            #"""
            {"connectorId": 1, "idTag": "04A2B3C4D5E6F7", "meterStart": 12345,
             "reservationId": 7, "timestamp": "2026-03-14T10:26:53+01:00"}
            """#)
        try expectValid(
            .ocpp16, "StartTransaction", .response,
            #"""
            {"transactionId": 42,
             "idTagInfo": {"status": "Accepted", "expiryDate": "2026-12-31T23:59:59Z", "parentIdTag": "FLEET-1"}}
            """#)
    }

    @Test func ocpp16MeterValuesWithSampledValues() throws {
        try expectValid(
            .ocpp16, "MeterValues",
            #"""
            {"connectorId": 1, "transactionId": 42, "meterValue": [
              {"timestamp": "2026-03-14T09:41:53Z", "sampledValue": [
                {"value": "15432", "context": "Sample.Periodic", "format": "Raw",
                 "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"},
                {"value": "16.2", "measurand": "Current.Import", "phase": "L1", "unit": "A"},
                {"value": "231", "measurand": "Voltage", "phase": "L1-N", "unit": "V"},
                {"value": "54", "measurand": "SoC", "location": "EV", "unit": "Percent"}]},
              {"timestamp": "2026-03-14T09:42:53Z", "sampledValue": [{"value": "15500"}]}]}
            """#)
        try expectValid(.ocpp16, "MeterValues", .response, "{}")
    }

    @Test func ocpp16StopTransactionWithTransactionData() throws {
        try expectValid(
            .ocpp16, "StopTransaction",
            #"""
            {"idTag": "04A2B3C4D5E6F7", "meterStop": 19876, "timestamp": "2026-03-14T11:00:00Z",
             "transactionId": 42, "reason": "EVDisconnected", "transactionData": [
              {"timestamp": "2026-03-14T10:00:00Z", "sampledValue": [
                {"value": "12345", "context": "Transaction.Begin", "measurand": "Energy.Active.Import.Register",
                 "unit": "Wh"}]},
              {"timestamp": "2026-03-14T11:00:00Z", "sampledValue": [
                {"value": "19876", "context": "Transaction.End", "measurand": "Energy.Active.Import.Register",
                 "unit": "Wh"}]}]}
            """#)
        try expectValid(.ocpp16, "StopTransaction", .response, #"{"idTagInfo": {"status": "Accepted"}}"#)
    }

    @Test func ocpp16ChargingProfileLimitsAreMultiplesOfOneTenth() throws {
        // 10.5, 3.3 and 16 are multiples of 0.1 although 3.3 / 0.1 is not exact in binary.
        try expectValid(
            .ocpp16, "SetChargingProfile",
            #"""
            {"connectorId": 1, "csChargingProfiles": {"chargingProfileId": 1, "stackLevel": 0,
             "chargingProfilePurpose": "TxDefaultProfile", "chargingProfileKind": "Absolute",
             "chargingSchedule": {"chargingRateUnit": "A", "minChargingRate": 6.0, "chargingSchedulePeriod": [
               {"startPeriod": 0, "limit": 16}, {"startPeriod": 60, "limit": 10.5},
               {"startPeriod": 120, "limit": 3.3, "numberPhases": 3}]}}}
            """#)
    }

    @Test func ocpp201BootNotification() throws {
        try expectValid(
            .ocpp201, "BootNotification",
            #"""
            {"reason": "PowerUp", "chargingStation": {"model": "Wallbox-22", "vendorName": "OpenVendor",
             "serialNumber": "WB22-000123", "firmwareVersion": "2.0.1-r7",
             "modem": {"iccid": "89310410106543789301", "imsi": "204043712345678"},
             "customData": {"vendorId": "com.example", "anything": [1, 2, {"x": null}]}}}
            """#)
        try expectValid(
            .ocpp201, "BootNotification", .response,
            #"""
            {"currentTime": "2026-03-14T09:26:53Z", "interval": 300, "status": "Pending",
             "statusInfo": {"reasonCode": "Provisioning", "additionalInfo": "waiting for the operator"}}
            """#)
    }

    @Test func ocpp201TransactionEventStartedWithMeterValue() throws {
        try expectValid(
            .ocpp201, "TransactionEvent",
            #"""
            {"eventType": "Started", "timestamp": "2026-03-14T09:26:53.250Z", "triggerReason": "Authorized",
             "seqNo": 0, "offline": false, "numberOfPhasesUsed": 3, "cableMaxCurrent": 32,
             "transactionInfo": {"transactionId": "f2b1c0de-1111-4a2b-9c3d-0123456789ab",
                                 "chargingState": "Charging", "remoteStartId": 17},
             "idToken": {"idToken": "04A2B3C4D5E6F7", "type": "ISO14443",
                         "additionalInfo": [{"additionalIdToken": "EMP-1", "type": "ContractId"}]},
             "evse": {"id": 1, "connectorId": 1},
             "meterValue": [{"timestamp": "2026-03-14T09:26:53Z", "sampledValue": [
               {"value": 12345.5, "context": "Transaction.Begin", "measurand": "Energy.Active.Import.Register",
                "unitOfMeasure": {"unit": "kWh", "multiplier": 3}},
               {"value": 16, "measurand": "Current.Import", "phase": "L1"},
               {"value": 231.0, "measurand": "Voltage", "phase": "L1-N",
                "signedMeterValue": {"signedMeterData": "AAEC", "signingMethod": "ECDSA-secp256r1",
                                     "encodingMethod": "OCMF", "publicKey": "BBCD"}}]}]}
            """#)
        try expectValid(
            .ocpp201, "TransactionEvent", .response,
            #"{"totalCost": 3.25, "chargingPriority": 0, "idTokenInfo": {"status": "Accepted"}}"#)
    }

    @Test func ocpp201NotifyReportWithReportData() throws {
        try expectValid(
            .ocpp201, "NotifyReport",
            #"""
            {"requestId": 5, "generatedAt": "2026-03-14T09:26:53Z", "seqNo": 0, "tbc": false, "reportData": [
              {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"},
               "variableAttribute": [{"type": "Actual", "value": "300", "mutability": "ReadWrite",
                                      "persistent": true, "constant": false}],
               "variableCharacteristics": {"dataType": "integer", "supportsMonitoring": false, "unit": "s"}},
              {"component": {"name": "EVSE", "instance": "left", "evse": {"id": 1, "connectorId": 2}},
               "variable": {"name": "Power", "instance": "Max"},
               "variableAttribute": [{"type": "Actual", "value": "22000"}, {"type": "MaxSet", "value": "22000"},
                                     {"type": "MinSet", "value": "0"}, {"type": "Target", "value": "11000"}],
               "variableCharacteristics": {"dataType": "decimal", "supportsMonitoring": true,
                                           "minLimit": 0, "maxLimit": 22000.5}}]}
            """#)
    }

    @Test func ocpp201GetVariablesRequestAndResponse() throws {
        try expectValid(
            .ocpp201, "GetVariables",
            #"""
            {"getVariableData": [
              {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}},
              {"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power", "instance": "Max"},
               "attributeType": "MaxSet"}]}
            """#)
        try expectValid(
            .ocpp201, "GetVariables", .response,
            #"""
            {"getVariableResult": [
              {"attributeStatus": "Accepted", "attributeType": "Actual", "attributeValue": "300",
               "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}},
              {"attributeStatus": "UnknownVariable", "component": {"name": "EVSE", "evse": {"id": 1}},
               "variable": {"name": "Power"},
               "attributeStatusInfo": {"reasonCode": "NotFound"}}]}
            """#)
    }

    @Test func integerFieldsAcceptAZeroFraction() throws {
        // JSON Schema draft-06 §4.2: 1.0 is an integer.
        try expectValid(.ocpp16, "Authorize", .response, #"{"idTagInfo": {"status": "Accepted"}}"#)
        try expectValid(
            .ocpp16, "StatusNotification",
            #"{"connectorId": 1.0, "errorCode": "NoError", "status": "Available"}"#)
        try expectValid(
            .ocpp201, "NotifyEVChargingNeeds",
            #"""
            {"evseId": 1, "chargingNeeds": {"requestedEnergyTransfer": "DC",
             "dcChargingParameters": {"evMaxCurrent": 200, "evMaxVoltage": 800, "stateOfCharge": 0, "fullSoC": 100.0}}}
            """#)
    }

    @Test func lengthIsCountedInUnicodeScalars() throws {
        // 20 "é" are 40 UTF-8 bytes but 20 characters: within idTag's CiString20Type.
        let idTag = String(repeating: "é", count: 20)
        try expectValid(.ocpp16, "Authorize", #"{"idTag": "\#(idTag)"}"#)
    }
}

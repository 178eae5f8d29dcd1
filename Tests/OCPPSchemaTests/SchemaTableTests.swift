// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import OCPP16
import OCPP201
import OCPPRPC
import Testing

@Suite struct SchemaTableTests {
    /// The package ships 78 files for 1.6 (39 actions, core plus the security extension) and 128 for
    /// 2.0.1 (64 actions); PROTOCOLS.md §7.
    @Test func everyActionOfBothVersionsHasRequestAndResponse() {
        #expect(OCPP16Schemas.actions.count == 39)
        #expect(OCPP201Schemas.actions.count == 64)
        for action in OCPP16Schemas.actions {
            #expect(OCPP16Schemas.request(action)?.kind == .object, "1.6 \(action) request")
            #expect(OCPP16Schemas.response(action)?.kind == .object, "1.6 \(action) response")
        }
        for action in OCPP201Schemas.actions {
            #expect(OCPP201Schemas.request(action)?.kind == .object, "2.0.1 \(action) request")
            #expect(OCPP201Schemas.response(action)?.kind == .object, "2.0.1 \(action) response")
        }
        #expect(OCPP16Schemas.actions == OCPP16Schemas.actions.sorted())
        #expect(OCPP201Schemas.actions == OCPP201Schemas.actions.sorted())
    }

    @Test func actionNamesAreWireNames() {
        for action in [
            "BootNotification", "StartTransaction", "StopTransaction", "MeterValues", "SignedUpdateFirmware",
        ] {
            #expect(OCPP16Schemas.actions.contains(action), "1.6 \(action)")
        }
        for action in ["BootNotification", "TransactionEvent", "NotifyReport", "GetVariables", "Get15118EVCertificate"]
        {
            #expect(OCPP201Schemas.actions.contains(action), "2.0.1 \(action)")
        }
        // Wire names carry no "Request"/"Response" suffix, are case-sensitive (OCPP-J 2.0.1 §4.1.6),
        // and each version knows only its own actions.
        #expect(OCPP16Schemas.request("BootNotificationRequest") == nil)
        #expect(OCPP16Schemas.request("bootNotification") == nil)
        #expect(OCPP16Schemas.request("TransactionEvent") == nil)
        #expect(OCPP201Schemas.request("StartTransaction") == nil)
        #expect(OCPP201Schemas.response("") == nil)
    }

    @Test func schemasAreBuiltOnceAndShared() throws {
        let first = try #require(OCPP201Schemas.request("BootNotification"))
        let second = try #require(OCPP201Schemas.request("BootNotification"))
        #expect(first === second)
        #expect(first !== OCPP201Schemas.response("BootNotification"))
    }

    @Test func compiledShapeMatchesTheOfficialSchema() throws {
        let boot16 = try schema(.ocpp16, "BootNotification")
        #expect(boot16.required == ["chargePointVendor", "chargePointModel"])
        #expect(!boot16.additionalPropertiesAllowed)
        #expect(boot16.property("chargePointVendor")?.maxLength == 20)
        #expect(boot16.property("iccid")?.maxLength == 20)

        let limit = try schema(.ocpp16, "SetChargingProfile").property("csChargingProfiles")?
            .property("chargingSchedule")?.property("chargingSchedulePeriod")?.items?.property("limit")
        #expect(limit?.kind == .number)
        #expect(limit?.multipleOf == 0.1)

        let boot201 = try schema(.ocpp201, "BootNotification")
        #expect(boot201.required == ["reason", "chargingStation"])
        let station = try #require(boot201.property("chargingStation"))
        #expect(station.required == ["model", "vendorName"])
        // CustomDataType is the one 2.0.1 type without `additionalProperties: false`.
        #expect(station.property("customData")?.additionalPropertiesAllowed == true)
        #expect(boot201.property("reason")?.allowedValues?.contains("PowerUp") == true)

        let attributes = try schema(.ocpp201, "NotifyReport").property("reportData")?.items?
            .property("variableAttribute")
        #expect(attributes?.minItems == 1)
        #expect(attributes?.maxItems == 4)

        // 2.0.1 DataTransferRequest.data has no type: any JSON value.
        #expect(try schema(.ocpp201, "DataTransfer").property("data")?.kind == .any)
        #expect(try schema(.ocpp16, "DataTransfer").property("data")?.kind == .string)
    }
}

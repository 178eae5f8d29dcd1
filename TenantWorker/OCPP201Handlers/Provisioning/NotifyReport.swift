// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import OCPPHandlerKit
import OCPPRPC

/// NotifyReportRequest (OCPP 2.0.1 B07/B08): one part of a device-model report the CSMS asked for
/// with GetBaseReport/GetReport. Every attribute of every reported variable becomes one stored
/// variable (component, variable, attribute type), with the variable's characteristics (data type,
/// unit) on each.
///
/// A report is split over several messages (`seqNo` from 0, `tbc` true until the last); each part
/// is stored as it comes, so nothing waits for the last one.
enum NotifyReportHandler {
    static func handle(_ payload: JSONObject, _ context: StationContext) async throws -> JSONObject {
        let variables = payload.objects("reportData").flatMap(Self.variables)
        if !variables.isEmpty {
            try await context.store.recordVariables(
                station: context.stationPK, variables: variables, at: context.now())
        }
        context.logger.info(
            "NotifyReport from \(context.identity): \(variables.count) variable attributes stored",
            metadata: [
                "ocpp.request_id": "\(payload.int("requestId") ?? -1)", "ocpp.seq_no": "\(payload.int("seqNo") ?? -1)",
                "ocpp.tbc": "\(payload.bool("tbc") ?? false)",
            ])
        return [:]
    }

    /// The attributes of one `ReportDataType`.
    static func variables(_ reportData: JSONObject) -> [StationVariable] {
        let characteristics = reportData.object("variableCharacteristics")
        return reportData.objects("variableAttribute").compactMap { attribute in
            VariableKey(
                component: reportData.object("component"), variable: reportData.object("variable"),
                attributeType: attribute.string("type")
            )?
            .stationVariable(
                value: attribute.string("value"), mutability: attribute.string("mutability"),
                dataType: characteristics?.string("dataType"), unit: characteristics?.string("unit"))
        }
    }
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

import ChargingDomain
import Foundation
import OCPPRPC

/// Which variable attribute of the 2.0.1 device model a report or result is about:
/// `ComponentType` {name, instance?, evse{id, connectorId?}?}, `VariableType` {name, instance?} and
/// the `AttributeEnumType` (OCPP 2.0.1 Part 2 §2 ComponentType, VariableType, AttributeEnumType).
struct VariableKey: Hashable {
    /// `AttributeEnumType` when omitted ("Actual" is the default in every message that has it).
    static let defaultAttributeType = "Actual"

    var component: String
    var componentInstance: String?
    var evseId: Int?
    var connectorId: Int?
    var variable: String
    var variableInstance: String?
    var attributeType: String

    /// Nil when the component or variable has no name (impossible for a schema-checked payload).
    init?(component: JSONObject?, variable: JSONObject?, attributeType: String?) {
        guard let component, let componentName = component.string("name"), let variable,
            let variableName = variable.string("name")
        else { return nil }
        self.component = componentName
        self.componentInstance = component.string("instance")
        let evse = component.object("evse")
        self.evseId = evse?.int("id")
        self.connectorId = evse?.int("connectorId")
        self.variable = variableName
        self.variableInstance = variable.string("instance")
        self.attributeType = attributeType ?? Self.defaultAttributeType
    }

    /// `component`, `variable` and `attributeType` of an entry of GetVariables/SetVariables data
    /// and results.
    init?(entry: JSONObject) {
        self.init(
            component: entry.object("component"), variable: entry.object("variable"),
            attributeType: entry.string("attributeType"))
    }

    /// The domain row for this attribute. The value of a secret (a `WriteOnly` attribute, or a
    /// password such as `SecurityCtrlr.BasicAuthPassword` written by SetVariables) is never stored:
    /// the device-model table is readable through the REST API, the station's credential must not be.
    func stationVariable(
        value: String?, mutability: String? = nil, dataType: String? = nil, unit: String? = nil
    ) -> StationVariable {
        let keep = mutability != "WriteOnly" && !Self.isSecret(variable: variable)
        return StationVariable(
            component: component, componentInstance: componentInstance, evseId: evseId, connectorId: connectorId,
            variable: variable, variableInstance: variableInstance, attributeType: attributeType,
            value: keep ? value : nil, mutability: mutability, dataType: dataType, unit: unit)
    }

    static func isSecret(variable name: String) -> Bool {
        name.range(of: "password", options: .caseInsensitive) != nil
    }

    /// `Component/Variable` with instances and EVSE, for logs.
    var logName: String {
        var text = component
        if let componentInstance { text += "[\(componentInstance)]" }
        if let evseId { text += "@\(evseId)" + (connectorId.map { ".\($0)" } ?? "") }
        text += "/\(variable)"
        if let variableInstance { text += "[\(variableInstance)]" }
        return text
    }
}

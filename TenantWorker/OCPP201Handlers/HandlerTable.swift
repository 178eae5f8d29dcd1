// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import OCPPHandlerKit

/// The OCPP 2.0.1 actions a station sends to the CSMS, by wire action name, grouped by functional
/// block. Actions missing here are answered `NotImplemented` by the transport.
public func ocpp201CallHandlers() -> OCPPHandlerTable {
    OCPPHandlerTable([
        // A Security
        "SecurityEventNotification": SecurityEventNotificationHandler.handle,
        // B Provisioning
        "BootNotification": BootNotificationHandler.handle,
        "NotifyReport": NotifyReportHandler.handle,
        // C Authorization
        "Authorize": AuthorizeHandler.handle,
        // E Transactions
        "TransactionEvent": TransactionEventHandler.handle,
        // G Availability
        "Heartbeat": HeartbeatHandler.handle,
        "StatusNotification": StatusNotificationHandler.handle,
        // J Meter values
        "MeterValues": MeterValuesHandler.handle,
        // L Firmware management
        "FirmwareStatusNotification": FirmwareStatusNotificationHandler.handle,
        // N Diagnostics
        "LogStatusNotification": LogStatusNotificationHandler.handle,
        "NotifyEvent": NotifyEventHandler.handle,
        // P Data transfer
        "DataTransfer": DataTransferHandler.handle,
    ])
}

/// What the CSMS keeps from a station's answer to a CALL it sent, by that CALL's action. The other
/// CSMS → station calls (GetBaseReport, RequestStartTransaction, Reset, TriggerMessage, ...) need
/// nothing stored: their outcome arrives later as NotifyReport, TransactionEvent, BootNotification
/// or StatusNotification.
public func ocpp201ResultHooks() -> OCPPResultHookTable {
    OCPPResultHookTable([
        "GetVariables": GetVariablesResultHook.handle,
        "SetVariables": SetVariablesResultHook.handle,
    ])
}

// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

public import OCPPHandlerKit

/// The OCPP 1.6J actions a station sends to the CSMS, by wire action name. Actions missing here are
/// answered `NotImplemented` by the transport.
public func ocpp16CallHandlers() -> OCPPHandlerTable {
    OCPPHandlerTable([
        // Core profile
        "Authorize": AuthorizeHandler.handle,
        "BootNotification": BootNotificationHandler.handle,
        "DataTransfer": DataTransferHandler.handle,
        "Heartbeat": HeartbeatHandler.handle,
        "MeterValues": MeterValuesHandler.handle,
        "StartTransaction": StartTransactionHandler.handle,
        "StatusNotification": StatusNotificationHandler.handle,
        "StopTransaction": StopTransactionHandler.handle,
        // Firmware Management profile
        "DiagnosticsStatusNotification": DiagnosticsStatusNotificationHandler.handle,
        "FirmwareStatusNotification": FirmwareStatusNotificationHandler.handle,
    ])
}

/// What the CSMS keeps from a station's answer to a CALL it sent, by that CALL's action. The other
/// CSMS → station calls (RemoteStartTransaction, Reset, TriggerMessage, ...) need nothing stored:
/// their outcome arrives later as StatusNotification/StartTransaction/BootNotification.
public func ocpp16ResultHooks() -> OCPPResultHookTable {
    OCPPResultHookTable([
        "ChangeConfiguration": ChangeConfigurationResultHook.handle,
        "GetConfiguration": GetConfigurationResultHook.handle,
    ])
}

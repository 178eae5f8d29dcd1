// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

// The JSON value and parser every OCPP module works with live in the neutral JSON module (JWTs and
// API bodies use them too); OCPP code keeps reaching them through OCPPRPC.
@_exported public import JSON

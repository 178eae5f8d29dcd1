// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

// `open-csms`: the operator CLI over the control plane's platform API. The commands live in
// OpenCSMSCommand.swift and its siblings; this file only starts them.
await OpenCSMSCommand.start()

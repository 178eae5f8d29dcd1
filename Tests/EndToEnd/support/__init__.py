# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Helpers of the end-to-end suite: a real deployment of the control plane and its workers,
PostgreSQL reads through psql, the tenant REST API, and OCPP stations built on the `ocpp`
package. Nothing here talks to anything but 127.0.0.1."""

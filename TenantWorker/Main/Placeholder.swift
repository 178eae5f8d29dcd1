// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

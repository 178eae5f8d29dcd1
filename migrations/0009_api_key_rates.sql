-- Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
--
-- A request rate per API key (issue 6: rate limits per tenant and per key). NULL: the key shares
-- the tenant's plan rate with every other caller and has no budget of its own.
ALTER TABLE csms.api_keys ADD COLUMN requests_per_second integer
    CHECK (requests_per_second BETWEEN 1 AND 100000);

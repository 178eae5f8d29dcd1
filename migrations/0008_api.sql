-- Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
--
-- What the tenant REST API's lists need (issue 6): every list pages by keyset, `(sort key, id)`,
-- which needs a unique id per row and an index in that order.

-- Meter values had no id: rows are only ever read by station or transaction and time. A page of a
-- transaction's samples continues after `(sampled_at, id)`; several samples share a time (one per
-- measurand and phase), so the time alone cannot say where a page ended.
--
-- PostgreSQL 15 cannot add an identity column to a partitioned table that has partitions, so the
-- id comes from a plain sequence. Inserting through csms.meter_values evaluates the default, which
-- needs USAGE on the sequence; tenant roles are created at run time (csms.ensure_tenant_role), so
-- the grant goes to PUBLIC. That tells a tenant nothing the identity columns of the other tables do
-- not already: one sequence is shared by every tenant there too. The ADD COLUMN rewrites the
-- existing partitions once to number their rows.
CREATE SEQUENCE csms.meter_values_id_seq AS bigint;
ALTER TABLE csms.meter_values ADD COLUMN id bigint NOT NULL DEFAULT nextval('csms.meter_values_id_seq');
ALTER SEQUENCE csms.meter_values_id_seq OWNED BY csms.meter_values.id;
GRANT USAGE ON SEQUENCE csms.meter_values_id_seq TO PUBLIC;

-- GET /transactions/{id}/meter-values: the transaction's samples in (sampled_at, id) order. This
-- index serves every query the old one (without id) served.
DROP INDEX csms.meter_values_transaction;
CREATE INDEX meter_values_transaction ON csms.meter_values (tenant_id, transaction_id, sampled_at, id);

-- GET /transactions sorts by start time, newest first. An orphan (a stop for a transaction this
-- CSMS never saw start) may have no start time; it sorts by when it was recorded.
CREATE INDEX transactions_started ON csms.transactions (tenant_id, (coalesce(started_at, created_at)), id);

-- GET /audit-log pages by (at, id), newest first.
DROP INDEX csms.audit_log_at;
CREATE INDEX audit_log_at ON csms.audit_log (tenant_id, at DESC, id DESC);

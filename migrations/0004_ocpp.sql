-- Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
--
-- What OCPP 1.6 and 2.0.1 stations report beyond 0003: transaction details both versions need
-- (the 1.6 StartTransaction resend check, 2.0.1 TransactionEvent idempotency and seqNo gaps), the
-- device model / configuration keys, station events, and the forensic log of every OCPP frame.
-- Same rules as 0003: tenant_id defaults to the session's tenant, unique keys lead with tenant_id,
-- foreign keys are composite, every table is under csms.apply_tenant_isolation. Tenant roles get
-- their table grants from csms.ensure_tenant_role, which the control plane re-runs at every start.

-- Station-level status (OCPP 1.6 StatusNotification for connector 0, 2.0.1 has none): the EVSE
-- table only holds EVSEs 1..n, so the whole station's last status lives on the station row.
ALTER TABLE csms.stations
    ADD COLUMN status            text CHECK (length(status) <= 50),
    ADD COLUMN status_at         timestamptz,
    ADD COLUMN status_error_code text CHECK (length(status_error_code) <= 50);

-- The rest of a StatusNotification, so the durable copy is complete when Redis is lost.
ALTER TABLE csms.connectors
    ADD COLUMN error_code        text CHECK (length(error_code) <= 50),
    ADD COLUMN status_info       text CHECK (length(status_info) <= 500),
    ADD COLUMN vendor_error_code text CHECK (length(vendor_error_code) <= 255);

ALTER TABLE csms.transactions
    -- The EVSE and connector numbers as the station reported them (1.6 connector n is EVSE n,
    -- connector 1). Kept even when no EVSE row could be linked (an orphan, a connector 0).
    ADD COLUMN evse_id              integer,
    ADD COLUMN connector_id         integer,
    -- 2.0.1 IdTokenEnumType; NULL for 1.6 idTags. Not an enum check: a transaction is never
    -- refused for an odd value (OCPP 1.6 §4.8, 2.0.1 E: a TransactionEvent cannot be rejected).
    ADD COLUMN id_token_type        text CHECK (length(id_token_type) <= 20),
    -- The token presented to stop, when it differs from the one that started (1.6 StopTransaction
    -- idTag, 2.0.1 Ended with StopAuthorized).
    ADD COLUMN stop_id_token        text CHECK (length(stop_id_token) <= 36),
    -- The idTagInfo / idTokenInfo status this CSMS answered when the transaction was reported
    -- (Accepted, Blocked, ConcurrentTx, ...): stored regardless, for reconciliation.
    ADD COLUMN authorization_status text CHECK (length(authorization_status) <= 20),
    -- 2.0.1: true when any event of the transaction happened while the station was offline.
    ADD COLUMN offline              boolean NOT NULL DEFAULT false,
    -- 2.0.1 transactionInfo.chargingState of the latest event (by seqNo).
    ADD COLUMN charging_state       text CHECK (length(charging_state) <= 20),
    ADD COLUMN reservation_id       integer;

-- OCPP 1.6 StartTransaction resend detection: a lost StartTransaction.conf makes the station send
-- the same start again with a new message id (OCPP 1.6 §3.7); it is recognised by station,
-- connector, idTag, start time and meter start (the same key SteVe uses) under a per-station lock.
CREATE INDEX transactions_start_resend
    ON csms.transactions (tenant_id, station_id, evse_id, id_token, started_at, meter_start_wh);
-- "Does this token have another active transaction?" (ConcurrentTx, OCPP 1.6 §4.8).
CREATE INDEX transactions_active_token ON csms.transactions (tenant_id, id_token) WHERE status = 'active';

-- OCPP 1.6 transaction ids are assigned by the CSMS: csms.transactions.id itself. An INSERT without
-- remote_id gets the decimal text of its new id, so the row is complete in one statement.
-- An orphan stored earlier under that number for the same station (a StopTransaction for an id
-- this CSMS had not assigned yet, e.g. one from a previous CSMS) keeps its data but gives the
-- number up: it becomes '<number>~<its own id>', and the new transaction owns the number.
CREATE FUNCTION csms.transactions_assign_remote_id() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.remote_id IS NULL THEN
        NEW.remote_id := NEW.id::text;
        UPDATE csms.transactions t
        SET remote_id = left(t.remote_id, 35 - length(t.id::text)) || '~' || t.id::text, updated_at = now()
        WHERE t.tenant_id = NEW.tenant_id AND t.station_id = NEW.station_id AND t.remote_id = NEW.remote_id
          AND t.status = 'orphan';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER transactions_assign_remote_id BEFORE INSERT ON csms.transactions
    FOR EACH ROW EXECUTE FUNCTION csms.transactions_assign_remote_id();

-- One row per OCPP 2.0.1 TransactionEvent. (station, transactionId, seqNo) is the idempotency key:
-- retries carry new message ids, so the message id cannot be (OCPP-J 2.0.1 §4.1.4), and a
-- TransactionEvent cannot be rejected (TC_E_53), so a repeat is answered and not stored again.
CREATE TABLE csms.transaction_events (
    tenant_id       uuid NOT NULL DEFAULT csms.current_tenant_id(),
    id              bigint GENERATED ALWAYS AS IDENTITY,
    station_id      bigint NOT NULL,
    transaction_pk  bigint NOT NULL,
    -- transactionInfo.transactionId (string[36], chosen by the station).
    remote_id       text NOT NULL CHECK (length(remote_id) BETWEEN 1 AND 36),
    seq_no          integer NOT NULL,
    event_type      text NOT NULL CHECK (event_type IN ('Started', 'Updated', 'Ended')),
    trigger_reason  text NOT NULL CHECK (length(trigger_reason) <= 40),
    offline         boolean NOT NULL DEFAULT false,
    charging_state  text CHECK (length(charging_state) <= 20),
    evse_id         integer,
    connector_id    integer,
    id_token        text CHECK (length(id_token) <= 36),
    id_token_type   text CHECK (length(id_token_type) <= 20),
    occurred_at     timestamptz NOT NULL,
    -- seqNo values of this transaction that had not arrived when this event was stored (at most
    -- 100, lowest first): lost messages show up here for GetTransactionStatus and operators.
    missing_seq_nos integer[] NOT NULL DEFAULT '{}',
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, station_id, remote_id, seq_no),
    FOREIGN KEY (tenant_id, station_id) REFERENCES csms.stations (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, transaction_pk) REFERENCES csms.transactions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX transaction_events_transaction ON csms.transaction_events (tenant_id, transaction_pk, seq_no);
SELECT csms.apply_tenant_isolation('csms.transaction_events');

-- The device model of a 2.0.1 station (NotifyReport, GetVariables) and the configuration keys of a
-- 1.6 station (GetConfiguration: component 'OCPP16', variable = key). One row per variable
-- attribute; absent instance/EVSE/connector are NULL and compare equal in the key (PostgreSQL 15
-- NULLS NOT DISTINCT), so a repeated report updates the row instead of adding one.
CREATE TABLE csms.station_variables (
    tenant_id          uuid NOT NULL DEFAULT csms.current_tenant_id(),
    id                 bigint GENERATED ALWAYS AS IDENTITY,
    station_id         bigint NOT NULL,
    -- ComponentType.name / VariableType.name and their instances: string[50] (2.0.1); 1.6 keys
    -- are CiString50.
    component          text NOT NULL CHECK (length(component) BETWEEN 1 AND 50),
    component_instance text CHECK (length(component_instance) <= 50),
    evse_id            integer,
    connector_id       integer,
    variable           text NOT NULL CHECK (length(variable) BETWEEN 1 AND 50),
    variable_instance  text CHECK (length(variable_instance) <= 50),
    attribute_type     text NOT NULL DEFAULT 'Actual' CHECK (attribute_type IN ('Actual', 'Target', 'MinSet', 'MaxSet')),
    -- attributeValue string[2500] (2.0.1), 1.6 configuration value CiString500.
    value              text CHECK (length(value) <= 2500),
    mutability         text CHECK (mutability IN ('ReadOnly', 'WriteOnly', 'ReadWrite')),
    data_type          text CHECK (length(data_type) <= 20),
    unit               text CHECK (length(unit) <= 16),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT station_variables_key UNIQUE NULLS NOT DISTINCT (tenant_id, station_id, component, component_instance,
        evse_id, connector_id, variable, variable_instance, attribute_type),
    FOREIGN KEY (tenant_id, station_id) REFERENCES csms.stations (tenant_id, id) ON DELETE CASCADE
);
SELECT csms.apply_tenant_isolation('csms.station_variables');

-- What stations report for operators: firmware/diagnostics/log status, security events,
-- device-model events, data transfers. The payload is kept whole in details.
CREATE TABLE csms.station_events (
    tenant_id   uuid NOT NULL DEFAULT csms.current_tenant_id(),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    station_id  bigint NOT NULL,
    -- The OCPP action (FirmwareStatusNotification, SecurityEventNotification, ...).
    kind        text NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    occurred_at timestamptz NOT NULL,
    summary     text NOT NULL CHECK (length(summary) <= 1000),
    details     jsonb NOT NULL DEFAULT '{}',
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, station_id) REFERENCES csms.stations (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX station_events_station ON csms.station_events (tenant_id, station_id, occurred_at);
SELECT csms.apply_tenant_isolation('csms.station_events');

-- The forensic log: every OCPP-J frame in and out, as text, of every connection of the tenant,
-- including stations that are unknown or were rejected (so station_identity is plain text, not a
-- foreign key: the identity is whatever the connection URL said). No foreign key to csms.tenants
-- either: a log row must never fail to insert, and erasing a tenant deletes by tenant_id.
-- Range-partitioned by UTC day so old days can be dropped whole. Retention is per tenant (tenant
-- config frame_log_retention_days): each worker deletes its own old rows in bounded batches (its
-- role has DELETE, row-level security limits it to its tenant). Dropping partitions that no tenant
-- keeps any more is the control plane's job (later): a worker must not drop other tenants' rows.
CREATE TABLE csms.ocpp_frames (
    tenant_id        uuid NOT NULL DEFAULT csms.current_tenant_id(),
    logged_at        timestamptz NOT NULL,
    station_identity text NOT NULL CHECK (length(station_identity) <= 255),
    direction        text NOT NULL CHECK (direction IN ('in', 'out')),
    connection_id    uuid NOT NULL,
    frame            text NOT NULL
) PARTITION BY RANGE (logged_at);
CREATE INDEX ocpp_frames_station ON csms.ocpp_frames (tenant_id, station_identity, logged_at);
CREATE INDEX ocpp_frames_logged ON csms.ocpp_frames (tenant_id, logged_at);
SELECT csms.apply_tenant_isolation('csms.ocpp_frames');

-- Frames whose day has no partition (a worker that ran before the day's partition existed, a
-- clock far off) land here rather than being lost.
CREATE TABLE csms.ocpp_frames_default PARTITION OF csms.ocpp_frames DEFAULT;
SELECT csms.apply_tenant_isolation('csms.ocpp_frames_default');

-- Creates the daily partitions (UTC days) [p_from, p_from + p_days) that do not exist yet and
-- returns how many it created. Each partition gets its own row-level security (partitions are
-- never granted to tenant roles, but no table with a tenant_id is left without forced RLS).
--
-- Executable by PUBLIC: tenant worker roles are created at run time (csms.ensure_tenant_role), so
-- a migration cannot name them, and every worker must be able to create the days it is about to
-- write. That is safe because the function can do nothing else: it only creates partitions of
-- csms.ocpp_frames named after the day, only for days between 7 days ago and 38 days ahead (p_from
-- within 7 days of today, p_days 1..31), never drops or changes anything, and takes a lock so
-- concurrent calls take turns. A day whose rows are already in the default partition is skipped
-- (its rows stay there until retention deletes them).
CREATE FUNCTION csms.ensure_ocpp_frame_partitions(p_from date, p_days integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    today   date := (now() AT TIME ZONE 'UTC')::date;
    d       date;
    i       integer;
    created integer := 0;
    part    text;
BEGIN
    IF p_days IS NULL OR p_days < 1 OR p_days > 31 THEN
        RAISE EXCEPTION 'days % out of range 1..31', p_days USING ERRCODE = '22023';
    END IF;
    IF p_from IS NULL OR p_from < today - 7 OR p_from > today + 7 THEN
        RAISE EXCEPTION 'first day % must be within 7 days of today (%)', p_from, today USING ERRCODE = '22023';
    END IF;
    -- Workers of all tenants call this at start and daily: take turns, until the caller's
    -- transaction ends.
    PERFORM pg_advisory_xact_lock(hashtext('csms.ensure_ocpp_frame_partitions'));
    FOR i IN 0 .. p_days - 1 LOOP
        d := p_from + i;
        part := format('ocpp_frames_%s', to_char(d, 'YYYYMMDD'));
        IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'csms' AND c.relname = part) THEN
            BEGIN
                EXECUTE format('CREATE TABLE csms.%I PARTITION OF csms.ocpp_frames FOR VALUES FROM (%L) TO (%L)',
                               part, d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
                PERFORM csms.apply_tenant_isolation(format('csms.%I', part)::regclass);
                created := created + 1;
            EXCEPTION WHEN check_violation THEN
                -- The default partition already holds rows of that day.
                RAISE NOTICE 'ocpp_frames partition for % skipped: the default partition has rows of that day', d;
            END;
        END IF;
    END LOOP;
    RETURN created;
END
$$;
GRANT EXECUTE ON FUNCTION csms.ensure_ocpp_frame_partitions(date, integer) TO PUBLIC;
GRANT EXECUTE ON FUNCTION csms.ensure_ocpp_frame_partitions(date, integer) TO csms_control;

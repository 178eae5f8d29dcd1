-- Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
--
-- The first tenant-owned tables: stations, EVSEs, connectors, id tokens, transactions and meter
-- values (partitioned by month). Rules every tenant table follows:
--   * tenant_id uuid NOT NULL, defaulting to the session's tenant, so a worker never sends it;
--   * row-level security enabled and forced (csms.apply_tenant_isolation);
--   * primary and unique keys lead with tenant_id (unique checks see all rows, so a key without
--     tenant_id would tell one tenant whether another has a value);
--   * foreign keys are composite (tenant_id, id): a row can only point at its own tenant's rows.
-- The model is version-neutral: OCPP 1.6 and 2.0.1 both map onto it.

CREATE TABLE csms.stations (
    tenant_id           uuid NOT NULL DEFAULT csms.current_tenant_id()
                        REFERENCES csms.tenants (id) ON DELETE CASCADE,
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    -- The charging station identity from the connection URL (OCPP-J: at most 48 printable
    -- ASCII characters, no ':' because it is also the Basic-auth user name).
    identity            text NOT NULL CHECK (identity ~ '^[\x21-\x39\x3b-\x7e]{1,48}$'),
    registration_status text NOT NULL DEFAULT 'pending'
                        CHECK (registration_status IN ('accepted', 'pending', 'rejected')),
    -- Salted slow hash of the security-profile-1/2 password; never the password itself.
    password_hash       text,
    ocpp_version        text CHECK (ocpp_version IN ('ocpp1.6', 'ocpp2.0.1')),
    vendor              text CHECK (length(vendor) <= 50),
    model               text CHECK (length(model) <= 50),
    serial_number       text CHECK (length(serial_number) <= 50),
    firmware_version    text CHECK (length(firmware_version) <= 50),
    iccid               text CHECK (length(iccid) <= 20),
    imsi                text CHECK (length(imsi) <= 20),
    last_boot_at        timestamptz,
    last_seen_at        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, identity)
);
SELECT csms.apply_tenant_isolation('csms.stations');

CREATE TABLE csms.evses (
    tenant_id  uuid NOT NULL DEFAULT csms.current_tenant_id(),
    id         bigint GENERATED ALWAYS AS IDENTITY,
    station_id bigint NOT NULL,
    -- OCPP 2.0.1 evse id (1-based per station); OCPP 1.6 maps connector n to EVSE n.
    evse_id    integer NOT NULL CHECK (evse_id >= 1),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, station_id, evse_id),
    FOREIGN KEY (tenant_id, station_id) REFERENCES csms.stations (tenant_id, id) ON DELETE CASCADE
);
SELECT csms.apply_tenant_isolation('csms.evses');

CREATE TABLE csms.connectors (
    tenant_id      uuid NOT NULL DEFAULT csms.current_tenant_id(),
    id             bigint GENERATED ALWAYS AS IDENTITY,
    evse_pk        bigint NOT NULL,
    connector_id   integer NOT NULL CHECK (connector_id >= 1),
    connector_type text CHECK (length(connector_type) <= 30),
    max_power_w    integer CHECK (max_power_w > 0),
    -- Last status stored durably; the live status is kept in Redis.
    status         text,
    status_at      timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, evse_pk, connector_id),
    FOREIGN KEY (tenant_id, evse_pk) REFERENCES csms.evses (tenant_id, id) ON DELETE CASCADE
);
SELECT csms.apply_tenant_isolation('csms.connectors');

CREATE TABLE csms.id_tokens (
    tenant_id  uuid NOT NULL DEFAULT csms.current_tenant_id(),
    id         bigint GENERATED ALWAYS AS IDENTITY,
    -- OCPP 1.6 idTag (CiString20) or 2.0.1 idToken (max 36); OCPI token uid (max 36).
    token      text NOT NULL CHECK (length(token) BETWEEN 1 AND 36),
    token_type text NOT NULL DEFAULT 'Central'
               CHECK (token_type IN ('Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local',
                                     'MacAddress', 'NoAuthorization')),
    status     text NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'blocked', 'expired', 'invalid')),
    expires_at timestamptz,
    -- OCPP 1.6 parentIdTag / 2.0.1 groupIdToken.
    parent_token text CHECK (length(parent_token) <= 36),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, token, token_type)
);
SELECT csms.apply_tenant_isolation('csms.id_tokens');

CREATE TABLE csms.transactions (
    tenant_id      uuid NOT NULL DEFAULT csms.current_tenant_id(),
    id             bigint GENERATED ALWAYS AS IDENTITY,
    station_id     bigint NOT NULL,
    evse_pk        bigint,
    connector_pk   bigint,
    -- The station's own transaction id (OCPP 2.0.1 transactionId, max 36); for OCPP 1.6 the
    -- CSMS assigns the integer id and this column holds its decimal text.
    remote_id      text NOT NULL CHECK (length(remote_id) BETWEEN 1 AND 36),
    id_token       text CHECK (length(id_token) <= 36),
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'orphan')),
    started_at     timestamptz,
    stopped_at     timestamptz,
    meter_start_wh numeric(18, 3),
    meter_stop_wh  numeric(18, 3),
    stop_reason    text CHECK (length(stop_reason) <= 40),
    last_seq_no    integer,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, station_id, remote_id),
    FOREIGN KEY (tenant_id, station_id) REFERENCES csms.stations (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, evse_pk) REFERENCES csms.evses (tenant_id, id) ON DELETE SET NULL (evse_pk),
    FOREIGN KEY (tenant_id, connector_pk) REFERENCES csms.connectors (tenant_id, id) ON DELETE SET NULL (connector_pk)
);
CREATE INDEX transactions_active ON csms.transactions (tenant_id, station_id) WHERE status = 'active';
SELECT csms.apply_tenant_isolation('csms.transactions');

-- Meter values arrive at high rate and are dropped by age, so they are range-partitioned by the
-- sample time (one partition a month, created ahead by csms.ensure_meter_value_partitions).
CREATE TABLE csms.meter_values (
    tenant_id      uuid NOT NULL DEFAULT csms.current_tenant_id(),
    station_id     bigint NOT NULL,
    transaction_id bigint,
    evse_id        integer,
    sampled_at     timestamptz NOT NULL,
    measurand      text NOT NULL DEFAULT 'Energy.Active.Import.Register' CHECK (length(measurand) <= 50),
    phase          text CHECK (length(phase) <= 10),
    unit           text CHECK (length(unit) <= 20),
    context        text CHECK (length(context) <= 30),
    location       text CHECK (length(location) <= 10),
    value          double precision NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, station_id) REFERENCES csms.stations (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, transaction_id) REFERENCES csms.transactions (tenant_id, id) ON DELETE CASCADE
) PARTITION BY RANGE (sampled_at);
CREATE INDEX meter_values_station ON csms.meter_values (tenant_id, station_id, sampled_at);
CREATE INDEX meter_values_transaction ON csms.meter_values (tenant_id, transaction_id, sampled_at);
SELECT csms.apply_tenant_isolation('csms.meter_values');

-- Samples whose time falls outside every monthly partition (a station with a wrong clock) land
-- here rather than being refused: OCPP stations must not lose transaction data.
CREATE TABLE csms.meter_values_default PARTITION OF csms.meter_values DEFAULT;
SELECT csms.apply_tenant_isolation('csms.meter_values_default');

-- Creates the monthly partitions covering [p_from's month, p_from + p_months months). A partition
-- gets its own row-level security too: partitions are never granted to tenant roles, but a table
-- with a tenant_id column is never left without forced RLS. Rows already in the default partition
-- for a new month's range make creation fail; callers create partitions ahead of time.
CREATE FUNCTION csms.ensure_meter_value_partitions(p_from date, p_months integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m date := date_trunc('month', p_from)::date;
    i integer;
    created integer := 0;
    part text;
BEGIN
    -- Two control planes starting at once would race to create the same partition.
    PERFORM pg_advisory_xact_lock(hashtext('csms.ensure_meter_value_partitions'));
    IF p_months < 1 OR p_months > 120 THEN
        RAISE EXCEPTION 'months % out of range 1..120', p_months USING ERRCODE = '22023';
    END IF;
    FOR i IN 0 .. p_months - 1 LOOP
        part := format('meter_values_%s', to_char(m + make_interval(months => i), 'YYYY_MM'));
        IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'csms' AND c.relname = part) THEN
            EXECUTE format('CREATE TABLE csms.%I PARTITION OF csms.meter_values FOR VALUES FROM (%L) TO (%L)',
                           part, (m + make_interval(months => i))::timestamptz,
                           (m + make_interval(months => i + 1))::timestamptz);
            PERFORM csms.apply_tenant_isolation(format('csms.%I', part)::regclass);
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;
GRANT EXECUTE ON FUNCTION csms.ensure_meter_value_partitions(date, integer) TO csms_control;

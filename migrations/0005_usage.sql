-- Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
--
-- Usage metering per tenant and calendar month (UTC), the basis of the SaaS invoice: active
-- stations, charging sessions, energy and API calls. Sessions, energy and active stations are
-- counted by triggers in the same transaction as the write that makes them true, so they are
-- exactly-once and survive any crash; API calls are added in batches by the worker. Rows are
-- tenant-owned (row-level security) and the control plane reads them through its policy.

CREATE TABLE csms.usage_months (
    tenant_id  uuid NOT NULL DEFAULT csms.current_tenant_id()
               REFERENCES csms.tenants (id) ON DELETE CASCADE,
    month      date NOT NULL CHECK (month = date_trunc('month', month)::date),
    sessions   bigint NOT NULL DEFAULT 0 CHECK (sessions >= 0),
    energy_wh  numeric(20, 3) NOT NULL DEFAULT 0,
    api_calls  bigint NOT NULL DEFAULT 0 CHECK (api_calls >= 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, month)
);
SELECT csms.apply_tenant_isolation('csms.usage_months');

-- A station counts as active in a month once it was seen (boot or any message) in it. No foreign
-- key to stations: deleting a station must not rewrite a past month's invoice.
CREATE TABLE csms.usage_active_stations (
    tenant_id  uuid NOT NULL DEFAULT csms.current_tenant_id()
               REFERENCES csms.tenants (id) ON DELETE CASCADE,
    month      date NOT NULL CHECK (month = date_trunc('month', month)::date),
    station_id bigint NOT NULL,
    identity   text NOT NULL,
    first_seen_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, month, station_id)
);
SELECT csms.apply_tenant_isolation('csms.usage_active_stations');

-- Runs as the writing role (a tenant worker): its rows are its own tenant's under RLS.
CREATE FUNCTION csms.meter_completed_session() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m date := date_trunc('month', coalesce(NEW.stopped_at, now()) AT TIME ZONE 'UTC')::date;
    energy numeric := greatest(coalesce(NEW.meter_stop_wh - NEW.meter_start_wh, 0), 0);
BEGIN
    INSERT INTO csms.usage_months AS u (tenant_id, month, sessions, energy_wh)
    VALUES (NEW.tenant_id, m, 1, energy)
    ON CONFLICT (tenant_id, month) DO UPDATE
        SET sessions = u.sessions + 1, energy_wh = u.energy_wh + EXCLUDED.energy_wh, updated_at = now();
    RETURN NULL;
END
$$;

-- A session is counted when its transaction becomes completed (once: the status never leaves
-- completed), whether it was active before or arrived already ended (a late Started/orphan).
CREATE TRIGGER transactions_meter_completed_update
    AFTER UPDATE OF status ON csms.transactions
    FOR EACH ROW WHEN (NEW.status = 'completed' AND OLD.status IS DISTINCT FROM 'completed')
    EXECUTE FUNCTION csms.meter_completed_session();
CREATE TRIGGER transactions_meter_completed_insert
    AFTER INSERT ON csms.transactions
    FOR EACH ROW WHEN (NEW.status = 'completed')
    EXECUTE FUNCTION csms.meter_completed_session();

CREATE FUNCTION csms.meter_active_station() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    seen timestamptz := greatest(coalesce(NEW.last_seen_at, '-infinity'), coalesce(NEW.last_boot_at, '-infinity'));
BEGIN
    IF seen = '-infinity' THEN
        RETURN NULL;
    END IF;
    INSERT INTO csms.usage_active_stations (tenant_id, month, station_id, identity, first_seen_at)
    VALUES (NEW.tenant_id, date_trunc('month', seen AT TIME ZONE 'UTC')::date, NEW.id, NEW.identity, seen)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

-- Fires only when a station's last sighting moves into a new month (or is its first), so the
-- frequent last_seen_at updates cost nothing extra within a month.
CREATE TRIGGER stations_meter_active
    AFTER UPDATE OF last_seen_at, last_boot_at ON csms.stations
    FOR EACH ROW WHEN (
        date_trunc('month', greatest(NEW.last_seen_at, NEW.last_boot_at) AT TIME ZONE 'UTC')
        IS DISTINCT FROM date_trunc('month', greatest(OLD.last_seen_at, OLD.last_boot_at) AT TIME ZONE 'UTC'))
    EXECUTE FUNCTION csms.meter_active_station();

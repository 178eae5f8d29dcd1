-- Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
--
-- Control-plane tables (plans, tenants) and the function every row-level security policy uses
-- to find the tenant of the connected role.
--
-- Runs as csms_owner (the migration runner does SET LOCAL ROLE csms_owner). Roles and the schema
-- itself are created by the cluster bootstrap (`controlplane bootstrap-db`), which needs a superuser.

-- Whatever csms_owner creates from now on: the control plane may read and write it, nobody else
-- gets anything unless a migration or the provisioning function grants it.
ALTER DEFAULT PRIVILEGES FOR ROLE csms_owner IN SCHEMA csms
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO csms_control;
ALTER DEFAULT PRIVILEGES FOR ROLE csms_owner IN SCHEMA csms
    GRANT USAGE, SELECT ON SEQUENCES TO csms_control;
ALTER DEFAULT PRIVILEGES FOR ROLE csms_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

CREATE TABLE csms.plans (
    name                       text PRIMARY KEY CHECK (name ~ '^[a-z0-9_-]{1,64}$'),
    monthly_price              numeric(12, 2) NOT NULL CHECK (monthly_price >= 0),
    currency                   char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    included_stations          integer NOT NULL CHECK (included_stations >= 0),
    price_per_extra_station    numeric(12, 2) NOT NULL CHECK (price_per_extra_station >= 0),
    max_stations               integer NOT NULL CHECK (max_stations >= included_stations),
    max_concurrent_connections integer NOT NULL CHECK (max_concurrent_connections > 0),
    api_requests_per_second    integer NOT NULL CHECK (api_requests_per_second > 0),
    ocpi_enabled               boolean NOT NULL,
    data_retention_days        integer NOT NULL CHECK (data_retention_days BETWEEN 1 AND 3650),
    source                     text NOT NULL DEFAULT 'config' CHECK (source IN ('config', 'api')),
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE csms.tenants (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    plan         text NOT NULL REFERENCES csms.plans (name),
    -- The PostgreSQL login role of this tenant's worker. Row-level security resolves the tenant
    -- of a session from this column, so it is unique and never reused for another tenant.
    db_role      name NOT NULL UNIQUE,
    status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- The tenant of the current session, from the role it logged in as (session_user): neither SET ROLE,
-- set_config nor RESET can change it, so a worker running arbitrary SQL still sees only its tenant.
-- NULL for any role that is not a tenant's (policies then match no row: fail closed).
-- SECURITY DEFINER because tenant roles may not read csms.tenants; search_path pinned against
-- shadowing; policies call it as (SELECT csms.current_tenant_id()) so it runs once per statement.
CREATE FUNCTION csms.current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.id FROM csms.tenants t WHERE t.db_role = session_user AND t.status <> 'deleted'
$$;
GRANT EXECUTE ON FUNCTION csms.current_tenant_id() TO PUBLIC;

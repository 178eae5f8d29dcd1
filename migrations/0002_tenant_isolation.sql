-- Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
--
-- The machinery that keeps tenants apart: one function that puts a table under row-level
-- security, and the provisioning function that creates or repairs a tenant's login role.

-- Puts a tenant-owned table under row-level security, ENABLED and FORCED (so even the owner is
-- subject to it), with two policies: a tenant role sees and writes only rows of its own tenant;
-- the control plane sees all. Idempotent. Every migration that creates a table with a tenant_id
-- column calls it (a test walks the catalog and fails for any table that was forgotten).
CREATE FUNCTION csms.apply_tenant_isolation(p_table regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', p_table);
    IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = p_table AND polname = 'tenant_isolation') THEN
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %s AS PERMISSIVE FOR ALL TO PUBLIC '
            'USING (tenant_id = (SELECT csms.current_tenant_id())) '
            'WITH CHECK (tenant_id = (SELECT csms.current_tenant_id()))', p_table);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = p_table AND polname = 'control_plane') THEN
        EXECUTE format(
            'CREATE POLICY control_plane ON %s AS PERMISSIVE FOR ALL TO csms_control USING (true) WITH CHECK (true)',
            p_table);
    END IF;
END
$$;

-- Creates (or repairs) the login role of a tenant that is already in csms.tenants, and grants it
-- exactly what a worker needs: CONNECT, USAGE on the schema, and SELECT/INSERT/UPDATE/DELETE on
-- every tenant-owned table (never TRUNCATE, never on partitions directly, never on control-plane
-- tables). The role is neither owner nor BYPASSRLS, inherits nothing and is a member of nothing,
-- so SET ROLE has nowhere to go. Callers pass a SCRAM verifier computed client-side (libpq's
-- PQencryptPasswordConn), so the clear-text password never reaches the server or its logs.
CREATE FUNCTION csms.ensure_tenant_role(p_role name, p_password_verifier text, p_connection_limit integer)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t regclass;
    m record;
BEGIN
    -- GRANTs of two provisionings at once would update the same catalog rows ("tuple concurrently
    -- updated"): take turns, until the caller's transaction ends.
    PERFORM pg_advisory_xact_lock(hashtext('csms.ensure_tenant_role'));
    IF NOT EXISTS (SELECT 1 FROM csms.tenants WHERE db_role = p_role AND status <> 'deleted') THEN
        RAISE EXCEPTION 'role % does not belong to a tenant', p_role USING ERRCODE = '42501';
    END IF;
    IF p_password_verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION 'expected a SCRAM-SHA-256 verifier, not a clear-text password' USING ERRCODE = '22023';
    END IF;
    IF p_connection_limit < 1 OR p_connection_limit > 1000 THEN
        RAISE EXCEPTION 'connection limit % out of range 1..1000', p_connection_limit USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role) THEN
        -- Only a superuser may change these three attributes (even to "no"), so an existing role
        -- that has one is refused rather than repaired.
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role AND (rolsuper OR rolbypassrls OR rolreplication)) THEN
            RAISE EXCEPTION 'role % is a superuser, BYPASSRLS or REPLICATION role; refusing to use it for a tenant',
                p_role USING ERRCODE = '42501';
        END IF;
        EXECUTE format('ALTER ROLE %I LOGIN NOCREATEDB NOCREATEROLE NOINHERIT CONNECTION LIMIT %s PASSWORD %L',
                       p_role, p_connection_limit, p_password_verifier);
    ELSE
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION '
                       'NOBYPASSRLS CONNECTION LIMIT %s PASSWORD %L', p_role, p_connection_limit, p_password_verifier);
    END IF;
    -- A tenant role is a member of no other role.
    FOR m IN SELECT r.rolname FROM pg_auth_members am JOIN pg_roles r ON r.oid = am.roleid
             WHERE am.member = (SELECT oid FROM pg_roles WHERE rolname = p_role) LOOP
        EXECUTE format('REVOKE %I FROM %I', m.rolname, p_role);
    END LOOP;
    EXECUTE format('ALTER ROLE %I SET search_path = csms', p_role);
    EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', p_role, '60s');
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', p_role, '60s');
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), p_role);
    EXECUTE format('GRANT USAGE ON SCHEMA csms TO %I', p_role);
    FOR t IN
        SELECT c.oid::regclass FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE n.nspname = 'csms' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I', t, p_role);
    END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION csms.ensure_tenant_role(name, text, integer) TO csms_control;

-- Removes a tenant's login role (the tenant row stays, marked deleted, until its data is erased).
CREATE FUNCTION csms.drop_tenant_role(p_role name) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('csms.ensure_tenant_role'));
    IF NOT EXISTS (SELECT 1 FROM csms.tenants WHERE db_role = p_role) THEN
        RAISE EXCEPTION 'role % does not belong to a tenant', p_role USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role) THEN
        RETURN;
    END IF;
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA csms FROM %I', p_role);
    EXECUTE format('REVOKE ALL ON SCHEMA csms FROM %I', p_role);
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM %I', current_database(), p_role);
    EXECUTE format('DROP ROLE %I', p_role);
END
$$;
GRANT EXECUTE ON FUNCTION csms.drop_tenant_role(name) TO csms_control;

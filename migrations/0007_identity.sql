-- Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
--
-- Identity and the tenant admin API (issue 6): per-table privileges for tenant roles (so a table
-- can be append-only for the worker), scoped API keys, the audit log, id-token groups, and the
-- answers remembered for Idempotency-Key.

-- Tenant tables whose worker role gets less than SELECT, INSERT, UPDATE, DELETE. A table not listed
-- gets all four. Read by csms.ensure_tenant_role, which every control-plane start and every
-- provisioning runs, so a change here reaches every existing tenant role.
CREATE TABLE csms.tenant_table_privileges (
    table_name regclass PRIMARY KEY,
    privileges text NOT NULL
        CHECK (privileges ~ '^(SELECT|INSERT|UPDATE|DELETE)(, (SELECT|INSERT|UPDATE|DELETE))*$')
);

-- As in 0002, except that each table's grants are first revoked and then granted from
-- csms.tenant_table_privileges: GRANT never takes a privilege away, and a role provisioned before
-- a table became append-only must lose UPDATE and DELETE on it.
CREATE OR REPLACE FUNCTION csms.ensure_tenant_role(p_role name, p_password_verifier text, p_connection_limit integer)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t regclass;
    m record;
    granted text;
BEGIN
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
    FOR m IN SELECT r.rolname FROM pg_auth_members am JOIN pg_roles r ON r.oid = am.roleid
             WHERE am.member = (SELECT oid FROM pg_roles WHERE rolname = p_role) LOOP
        EXECUTE format('REVOKE %I FROM %I', m.rolname, p_role);
    END LOOP;
    EXECUTE format('ALTER ROLE %I SET search_path = csms', p_role);
    EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', p_role, '60s');
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', p_role, '60s');
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), p_role);
    EXECUTE format('GRANT USAGE ON SCHEMA csms TO %I', p_role);
    FOR t, granted IN
        SELECT c.oid::regclass, coalesce(p.privileges, 'SELECT, INSERT, UPDATE, DELETE')
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        LEFT JOIN csms.tenant_table_privileges p ON p.table_name = c.oid
        WHERE n.nspname = 'csms' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    LOOP
        EXECUTE format('REVOKE ALL ON %s FROM %I', t, p_role);
        EXECUTE format('GRANT %s ON %s TO %I', granted, t, p_role);
    END LOOP;
END
$$;

-- Scoped API keys of a tenant (they replace the tenant file's interim `api_keys`). Only the
-- SHA-256 of the secret is stored; the secret is shown once, at creation. `prefix` (the key's
-- first characters, not secret) lets an operator tell keys apart in lists and logs.
CREATE TABLE csms.api_keys (
    tenant_id     uuid NOT NULL DEFAULT csms.current_tenant_id() REFERENCES csms.tenants (id),
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    prefix        text NOT NULL CHECK (length(prefix) BETWEEN 4 AND 16),
    secret_sha256 bytea NOT NULL CHECK (length(secret_sha256) = 32),
    scopes        text[] NOT NULL
                  CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'write', 'commands', 'ocpi-admin']),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL CHECK (length(created_by) BETWEEN 1 AND 320),
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, secret_sha256)
);
SELECT csms.apply_tenant_isolation('csms.api_keys');

-- Who changed what, when and from where. Append-only for the worker: its role may INSERT and
-- SELECT, never UPDATE or DELETE (erasure of a deleted tenant runs as the control plane).
CREATE TABLE csms.audit_log (
    tenant_id      uuid NOT NULL DEFAULT csms.current_tenant_id() REFERENCES csms.tenants (id),
    id             bigint GENERATED ALWAYS AS IDENTITY,
    at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- 'user' (an OIDC session: actor = subject, actor_name = e-mail or name), 'api_key'
    -- (actor = key id, actor_name = key name), 'platform' (the control plane), 'system'.
    actor_kind     text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'platform', 'system')),
    actor          text NOT NULL CHECK (length(actor) BETWEEN 1 AND 320),
    actor_name     text CHECK (length(actor_name) <= 320),
    role           text CHECK (length(role) <= 64),
    -- What was done, e.g. 'tokens.create', 'stations.commands.Reset', 'api_keys.revoke'.
    action         text NOT NULL CHECK (length(action) BETWEEN 1 AND 200),
    -- The resource, e.g. '/api/v1/tokens/42'.
    target         text CHECK (length(target) <= 2000),
    client_address text CHECK (length(client_address) <= 100),
    status         integer CHECK (status BETWEEN 100 AND 599),
    request_id     text CHECK (length(request_id) <= 200),
    -- For configuration changes: the state before and after.
    before         jsonb,
    after          jsonb,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_at ON csms.audit_log (tenant_id, at DESC);
SELECT csms.apply_tenant_isolation('csms.audit_log');
INSERT INTO csms.tenant_table_privileges (table_name, privileges) VALUES ('csms.audit_log', 'SELECT, INSERT');

-- Groups of id tokens (OCPP 2.0.1 groupIdToken / 1.6 parentIdTag): an enterprise, a fleet, a
-- family. A token's membership may be limited to a validity window.
CREATE TABLE csms.token_groups (
    tenant_id   uuid NOT NULL DEFAULT csms.current_tenant_id() REFERENCES csms.tenants (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN ('enterprise', 'fleet', 'family')),
    -- The group's own id token: what stations see as parentIdTag / groupIdToken.
    group_token text NOT NULL CHECK (length(group_token) BETWEEN 1 AND 36),
    valid_from  timestamptz,
    valid_until timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, group_token),
    CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);
SELECT csms.apply_tenant_isolation('csms.token_groups');

CREATE TABLE csms.token_group_members (
    tenant_id   uuid NOT NULL DEFAULT csms.current_tenant_id(),
    group_id    bigint NOT NULL,
    token_id    bigint NOT NULL,
    valid_from  timestamptz,
    valid_until timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, group_id, token_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES csms.token_groups (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, token_id) REFERENCES csms.id_tokens (tenant_id, id) ON DELETE CASCADE,
    CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);
CREATE INDEX token_group_members_token ON csms.token_group_members (tenant_id, token_id);
SELECT csms.apply_tenant_isolation('csms.token_group_members');

-- Answers to POSTs sent with an Idempotency-Key (remote commands): a retry with the same key and
-- the same request gets the stored answer instead of a second command; the same key with another
-- request is refused. Kept for a day.
CREATE TABLE csms.idempotency_keys (
    tenant_id       uuid NOT NULL DEFAULT csms.current_tenant_id() REFERENCES csms.tenants (id),
    key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    -- Who sent it: the same key from two callers is two keys.
    principal       text NOT NULL CHECK (length(principal) BETWEEN 1 AND 320),
    request_sha256  bytea NOT NULL CHECK (length(request_sha256) = 32),
    -- NULL while the first request is still running.
    response_status integer CHECK (response_status BETWEEN 100 AND 599),
    response_body   bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, principal, key)
);
CREATE INDEX idempotency_keys_created ON csms.idempotency_keys (tenant_id, created_at);
SELECT csms.apply_tenant_isolation('csms.idempotency_keys');

-- Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
--
-- What the platform API needs: a status for tenants being provisioned, the moment a tenant was
-- deleted (its data is kept for the plan's retention period from then on), plan prices as exact
-- as platform.yaml writes them, and GDPR erasure of one tenant's rows.

-- 'provisioning': the row exists while the platform API creates the role, the Redis user, the
-- file and the worker; it becomes 'active' once the worker answers /healthz, and a failed
-- provisioning removes it again. A row left in this state by a crash is removed with DELETE.
ALTER TABLE csms.tenants DROP CONSTRAINT tenants_status_check;
ALTER TABLE csms.tenants ADD CONSTRAINT tenants_status_check
    CHECK (status IN ('provisioning', 'active', 'suspended', 'deleted'));

-- Set when the tenant is deleted without erasure; its data is kept until
-- deleted_at + plans.data_retention_days.
ALTER TABLE csms.tenants ADD COLUMN deleted_at timestamptz;

-- platform.yaml accepts amounts with up to 4 decimal places; numeric(12, 2) rounded them.
ALTER TABLE csms.plans
    ALTER COLUMN monthly_price TYPE numeric(16, 4),
    ALTER COLUMN price_per_extra_station TYPE numeric(16, 4);

-- GDPR erasure (Art. 17) of one deleted tenant: deletes its rows from every table of the csms
-- schema that has a tenant_id column, found in the catalog as csms.ensure_tenant_role finds them,
-- so tables added by later migrations are covered without touching this function. A table is
-- emptied only after every table whose foreign keys point at it, so no foreign key action
-- (RESTRICT, SET NULL) depends on the order tables were created in. Finally the tenant row
-- itself goes, which frees the slug. Returns the number of rows deleted.
--
-- Refuses a tenant that is not marked deleted or whose login role still exists, so it can never
-- run under a live worker (drop the role with csms.drop_tenant_role first: that function needs
-- the tenant row).
--
-- SECURITY INVOKER on purpose: every tenant table FORCEs row-level security, so as its owner
-- (csms_owner, a SECURITY DEFINER function's identity) the DELETEs would match no row. The
-- control-plane role already has exactly the rights needed (DELETE on the tables by default
-- privileges, and the control_plane policy), and it is the only role allowed to call this.
CREATE FUNCTION csms.erase_tenant(p_tenant uuid) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant    record;
    remaining regclass[];
    t         regclass;
    progress  boolean;
    n         bigint;
    total     bigint := 0;
BEGIN
    SELECT id, slug, status, db_role INTO tenant FROM csms.tenants WHERE id = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no tenant %', p_tenant USING ERRCODE = 'P0002';
    END IF;
    IF tenant.status <> 'deleted' THEN
        RAISE EXCEPTION 'tenant % is %, not deleted; delete it before erasing its data', tenant.slug, tenant.status
            USING ERRCODE = '55000';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = tenant.db_role) THEN
        RAISE EXCEPTION 'the login role % of tenant % still exists; drop it first', tenant.db_role, tenant.slug
            USING ERRCODE = '55000';
    END IF;

    SELECT array_agg(c.oid::regclass ORDER BY c.relname) INTO remaining
    FROM pg_class c
    JOIN pg_namespace ns ON ns.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
    WHERE ns.nspname = 'csms' AND c.relkind IN ('r', 'p') AND NOT c.relispartition;
    remaining := coalesce(remaining, '{}');

    WHILE cardinality(remaining) > 0 LOOP
        progress := false;
        FOREACH t IN ARRAY remaining LOOP
            -- Not yet: another table still to be emptied points at this one.
            CONTINUE WHEN EXISTS (
                SELECT 1 FROM pg_constraint k
                WHERE k.contype = 'f' AND k.confrelid = t AND k.conrelid <> t AND k.conrelid = ANY (remaining));
            EXECUTE format('DELETE FROM %s WHERE tenant_id = $1', t) USING p_tenant;
            GET DIAGNOSTICS n = ROW_COUNT;
            total := total + n;
            remaining := array_remove(remaining, t);
            progress := true;
        END LOOP;
        IF NOT progress THEN
            RAISE EXCEPTION 'foreign keys between % form a cycle; erase cannot order them', remaining
                USING ERRCODE = '55000';
        END IF;
    END LOOP;

    DELETE FROM csms.tenants WHERE id = p_tenant;
    RETURN total + 1;
END
$$;
REVOKE EXECUTE ON FUNCTION csms.erase_tenant(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION csms.erase_tenant(uuid) TO csms_control;

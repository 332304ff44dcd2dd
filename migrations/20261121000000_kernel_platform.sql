-- Platform: the runtime role, the RLS helper every tenant table uses, and tenants.

-- The runtime role owns nothing and cannot bypass row-level security. Roles are cluster-wide,
-- so concurrent migrations of several databases (tests) may race to create it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fortress_app') THEN
        CREATE ROLE fortress_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO fortress_app;
-- Every table and sequence the owner creates from here on is usable (never owned) by it.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO fortress_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO fortress_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT EXECUTE ON FUNCTIONS TO fortress_app;

-- The tenant of the current transaction, set by kernel::tenant_tx with
-- set_config('app.tenant_id', …, true); NULL when unset, so policies match nothing.
CREATE FUNCTION kernel_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

-- One line per tenant table: SELECT kernel_enable_tenant_rls('leads');
-- Rows are visible and writable only when their tenant column equals the current tenant;
-- FORCE applies the policy to the table owner too.
CREATE FUNCTION kernel_enable_tenant_rls(tbl regclass, tenant_column text DEFAULT 'tenant_id')
    RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s USING (%I = kernel_current_tenant()) '
        'WITH CHECK (%I = kernel_current_tenant())',
        tbl, tenant_column, tenant_column);
END
$$;
REVOKE EXECUTE ON FUNCTION kernel_enable_tenant_rls(regclass, text) FROM PUBLIC, fortress_app;

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
SELECT kernel_enable_tenant_rls('tenants', 'id');

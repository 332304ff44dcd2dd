-- kernel: what lets list totals be exact and cheap under row-level security.
--
-- 1. kernel_lower(text): lower(), declared LEAKPROOF. Under row-level security PostgreSQL runs a
--    condition that applies a non-leakproof function to a column (`lower(status) = …`) only
--    after the policy's filter, so it can never be an index condition and every list filtered
--    case-insensitively read all the tenant's rows. lower() reveals nothing about its argument
--    but its result (it cannot fail on valid text), so this alias of the same C function may
--    say so; being an internal function it is not inlined back into the leaky lower().
--    Declaring LEAKPROOF needs a superuser, which the migration owner is (see db.rs).
CREATE FUNCTION kernel_lower(text) RETURNS text
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF
    AS 'lower';

-- 2. Change counters: one per (tenant, table), bumped once by every transaction that inserts,
--    updates or deletes rows of a counted table, at its commit (a deferred trigger, so the
--    counter row is locked only for the instant of the commit, never across a transaction's
--    work). A list total computed while a tenant's counter read N stays true as long as the
--    counter reads N: kernel::list caches totals under it, across every instance.
CREATE TABLE kernel_change_counters (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       text NOT NULL,
    value      bigint NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
SELECT kernel_enable_tenant_rls('kernel_change_counters');
-- Only the trigger (as the owner) writes them.
REVOKE INSERT, UPDATE, DELETE ON kernel_change_counters FROM fortress_app;

-- Row trigger, deferred to the commit: the first row of a (table, tenant) in a transaction
-- bumps the counter and marks the transaction (a transaction-local setting), later rows only
-- read the mark. A tenant being deleted (its rows go by cascade) has no counter to keep.
CREATE FUNCTION kernel_count_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
    AS $$
DECLARE
    tenant uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
    mark text := 'kernel_changed.' || TG_TABLE_NAME || '_' || replace(tenant::text, '-', '');
BEGIN
    IF current_setting(mark, true) = '1' THEN
        RETURN NULL;
    END IF;
    INSERT INTO kernel_change_counters AS c (tenant_id, name, value)
    SELECT tenant, TG_TABLE_NAME, 1 WHERE EXISTS (SELECT 1 FROM tenants WHERE id = tenant)
    ON CONFLICT (tenant_id, name) DO UPDATE SET value = c.value + 1;
    PERFORM set_config(mark, '1', true);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION kernel_count_change() FROM PUBLIC, fortress_app;

-- One line per counted table: SELECT kernel_count_changes('leads');
CREATE FUNCTION kernel_count_changes(tbl regclass) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format(
        'CREATE CONSTRAINT TRIGGER kernel_count_change AFTER INSERT OR UPDATE OR DELETE ON %s '
        'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kernel_count_change()',
        tbl);
END
$$;
REVOKE EXECUTE ON FUNCTION kernel_count_changes(regclass) FROM PUBLIC, fortress_app;

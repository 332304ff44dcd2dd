-- leads: one live lead by id in a single statement, for the hottest read (getOne).
--
-- A tenant_tx read costs three round trips (BEGIN with the tenant setting, the SELECT, the end
-- of the transaction). This function sets the tenant transaction-locally itself and then reads
-- under row-level security exactly as a tenant_tx query does (it runs as its caller, never as
-- the owner). Called as a statement of its own, outside any transaction block, the statement is
-- its own transaction: the setting ends with it and never outlives the call on the pooled
-- connection. Inside a transaction that already acts for another tenant it refuses to run, so it
-- cannot switch a tenant_tx to another tenant.
CREATE FUNCTION leads_get_live(tenant uuid, lead_id uuid) RETURNS SETOF leads
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
    current text := current_setting('app.tenant_id', true);
BEGIN
    IF tenant IS NULL THEN
        RAISE EXCEPTION 'leads_get_live: no tenant' USING ERRCODE = '22004';
    END IF;
    IF coalesce(current, '') NOT IN ('', tenant::text) THEN
        RAISE EXCEPTION 'leads_get_live: the transaction acts for another tenant'
            USING ERRCODE = '42501';
    END IF;
    PERFORM set_config('app.tenant_id', tenant::text, true);
    RETURN QUERY SELECT * FROM leads WHERE id = lead_id AND deleted_at IS NULL;
END
$$;

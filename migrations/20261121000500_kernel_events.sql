-- kernel: domain events (transactional outbox) with a gap-free, per-tenant sequence.
-- See crates/kernel/src/events/mod.rs for why the sequence is a locked counter row and not a
-- PostgreSQL SEQUENCE.

-- One counter per tenant, bumped by kernel::events::publish inside the caller's transaction.
-- Its row lock serialises the publishers of one tenant until they commit or roll back.
CREATE TABLE event_sequences (
    tenant_id  uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    last_seq   bigint NOT NULL CHECK (last_seq > 0)
);
SELECT kernel_enable_tenant_rls('event_sequences');
-- A deleted counter would restart at 1 and collide with (or resurrect) history.
REVOKE DELETE ON event_sequences FROM fortress_app;

CREATE TABLE events (
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    seq         bigint NOT NULL CHECK (seq > 0),
    channel     text NOT NULL CHECK (channel ~ '^[a-z0-9_./:-]{1,200}$'),
    type        text NOT NULL CHECK (type ~ '^[a-z0-9_./:-]{1,100}$'),
    payload     jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, seq)
);
-- Reading one tenant's events of some channels after a sequence number (SSE with ?channels=).
CREATE INDEX events_channel_idx ON events (tenant_id, channel, seq);
-- Retention deletes by age across all tenants.
CREATE INDEX events_created_at_idx ON events (created_at);
SELECT kernel_enable_tenant_rls('events');
-- The outbox is append-only for the application; only retention removes rows.
REVOKE UPDATE, DELETE ON events FROM fortress_app;

-- Retention for every tenant at once (the cleanup job has no tenant). SECURITY DEFINER: runs as
-- the migration owner, a superuser in all our environments, which is what lets it see past the
-- FORCE'd row-level security; an owner that cannot bypass RLS would silently delete nothing, so
-- that is refused loudly instead. The floor of one hour keeps a mistaken call from wiping the
-- history that clients resume from.
CREATE FUNCTION kernel_events_purge(older_than interval) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
    AS $$
DECLARE
    removed bigint;
BEGIN
    IF older_than IS NULL OR older_than < interval '1 hour' THEN
        RAISE EXCEPTION 'kernel_events_purge: retention must be at least 1 hour, got %', older_than
            USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles
                   WHERE rolname = current_user AND (rolsuper OR rolbypassrls)) THEN
        RAISE EXCEPTION 'kernel_events_purge: owner % cannot bypass row-level security', current_user;
    END IF;
    DELETE FROM events WHERE created_at < now() - older_than;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END
$$;
REVOKE EXECUTE ON FUNCTION kernel_events_purge(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kernel_events_purge(interval) TO fortress_app;

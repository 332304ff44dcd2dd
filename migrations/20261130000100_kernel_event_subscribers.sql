-- kernel: event subscribers. Each subscriber (a slice's handler, the webhook fan-out) keeps a
-- cursor per tenant: the last event sequence number it has handled. Workers advance it after
-- the handler succeeded, so every event is handled at least once.

CREATE TABLE event_cursors (
    subscriber  text NOT NULL CHECK (subscriber ~ '^[a-z0-9_.:-]{1,100}$'),
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    last_seq    bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    PRIMARY KEY (subscriber, tenant_id)
);
-- Workers reach it only through the functions below.
REVOKE ALL ON event_cursors FROM fortress_app;

-- New events wake the workers' dispatchers (LISTEN kernel_events), once per statement.
CREATE FUNCTION kernel_events_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('kernel_events', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION kernel_events_notify();

-- Tenants with events the subscriber has not handled yet, and where it stands.
CREATE FUNCTION kernel_events_behind(subscriber_name text, max_tenants integer)
    RETURNS TABLE (tenant_id uuid, after_seq bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT s.tenant_id, coalesce(c.last_seq, 0)
      FROM event_sequences s
      LEFT JOIN event_cursors c ON c.subscriber = subscriber_name AND c.tenant_id = s.tenant_id
     WHERE s.last_seq > coalesce(c.last_seq, 0)
     LIMIT max_tenants
$$;

-- Locks the subscriber's cursor for the tenant until the caller's transaction ends and returns
-- it; NULL when another worker holds it (that worker handles this tenant now).
CREATE FUNCTION kernel_events_lock_cursor(subscriber_name text, tenant uuid) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    cursor_seq bigint;
BEGIN
    INSERT INTO event_cursors (subscriber, tenant_id) VALUES (subscriber_name, tenant)
    ON CONFLICT DO NOTHING;
    SELECT last_seq INTO cursor_seq FROM event_cursors
     WHERE subscriber = subscriber_name AND tenant_id = tenant
       FOR UPDATE SKIP LOCKED;
    RETURN cursor_seq;
END
$$;

CREATE FUNCTION kernel_events_advance(subscriber_name text, tenant uuid, seq bigint) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    UPDATE event_cursors SET last_seq = greatest(last_seq, seq)
     WHERE subscriber = subscriber_name AND tenant_id = tenant
$$;

REVOKE EXECUTE ON FUNCTION kernel_events_behind(text, integer),
    kernel_events_lock_cursor(text, uuid), kernel_events_advance(text, uuid, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kernel_events_behind(text, integer),
    kernel_events_lock_cursor(text, uuid), kernel_events_advance(text, uuid, bigint) TO fortress_app;

-- Idempotency-Key: the first response to a keyed request, replayed to its retries
-- (kernel::idempotency). One row per (tenant, key, method, path).
CREATE TABLE idempotency_keys (
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    method       text NOT NULL,
    path         text NOT NULL,
    -- SHA-256 of the request's content type and body.
    fingerprint  bytea NOT NULL CHECK (length(fingerprint) = 32),
    state        text NOT NULL CHECK (state IN ('in_flight', 'done')),
    status       smallint CHECK (status BETWEEN 100 AND 599),
    -- The replayed headers (content-type, location, etag) as [name, value] pairs.
    headers      jsonb,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- A lease while in flight, 24 hours once done; expired rows are ignored and replaced.
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, key, method, path),
    CHECK (state = 'in_flight' OR status IS NOT NULL)
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
SELECT kernel_enable_tenant_rls('idempotency_keys');

-- Removes every tenant's expired keys; returns how many. SECURITY DEFINER: runs as the owner,
-- because the cleanup job acts for no tenant.
CREATE FUNCTION kernel_idempotency_cleanup() RETURNS bigint
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public
    AS $$ WITH gone AS (DELETE FROM idempotency_keys WHERE expires_at <= now() RETURNING 1)
          SELECT count(*) FROM gone $$;

-- kernel: outbound webhooks. Tenants register endpoints; every matching domain event becomes a
-- delivery (one per endpoint and event), sent by a durable job per the Standard Webhooks spec;
-- every attempt is logged.

CREATE TABLE webhook_endpoints (
    tenant_id        uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id               uuid NOT NULL,
    url              text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    description      text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    -- Event types delivered; empty means every type.
    event_types      text[] NOT NULL DEFAULT '{}',
    -- `whsec_…`; the previous one stays valid (signed with too) until it expires.
    secret           text NOT NULL,
    previous_secret  text,
    previous_secret_expires_at timestamptz,
    enabled          boolean NOT NULL DEFAULT true,
    disabled_reason  text,
    -- The first failure since the last success; five days of failures disable the endpoint.
    failing_since    timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
SELECT kernel_enable_tenant_rls('webhook_endpoints');

CREATE TABLE webhook_deliveries (
    tenant_id        uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    -- Sent as `webhook-id` (`msg_<id>`): the same for every attempt, so receivers dedupe on it.
    id               uuid NOT NULL,
    endpoint_id      uuid NOT NULL,
    event_seq        bigint NOT NULL,
    event_type       text NOT NULL,
    -- The exact JSON body, fixed at creation so every attempt sends the same bytes.
    body             text NOT NULL,
    -- pending: attempts left; succeeded; failed: out of attempts, or the endpoint is gone.
    state            text NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'succeeded', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    last_status      smallint,
    next_attempt_at  timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, endpoint_id, event_seq),
    FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (tenant_id, endpoint_id, created_at DESC);
SELECT kernel_enable_tenant_rls('webhook_deliveries');

CREATE TABLE webhook_attempts (
    tenant_id        uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    delivery_id      uuid NOT NULL,
    attempt          integer NOT NULL CHECK (attempt > 0),
    endpoint_id      uuid NOT NULL,
    -- The HTTP status, or NULL when no response came (timeout, refused, blocked address).
    status           smallint,
    error            text,
    -- The first 1 KiB of the response body.
    response_body    text,
    duration_ms      integer NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, delivery_id, attempt),
    FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_attempts_endpoint_idx ON webhook_attempts (tenant_id, endpoint_id, created_at DESC);
SELECT kernel_enable_tenant_rls('webhook_attempts');

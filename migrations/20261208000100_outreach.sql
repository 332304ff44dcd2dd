-- Outreach: cold-email sequences sent from the tenant's own mailboxes.
--   mailboxes (SMTP, the password sealed by kernel::secrets) → campaigns (steps with variants,
--   a sending window) → enrollments (a lead in a campaign, where it stands) → messages (one per
--   enrollment and step, at most once: the send log) ; suppressions (never written to again).

CREATE TABLE outreach_mailboxes (
    tenant_id          uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id                 uuid NOT NULL,
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    from_address       text NOT NULL CHECK (length(from_address) BETWEEN 3 AND 320),
    from_name          text NOT NULL DEFAULT '' CHECK (length(from_name) <= 200),
    signature          text NOT NULL DEFAULT '' CHECK (length(signature) <= 5000),
    smtp_host          text NOT NULL CHECK (length(smtp_host) BETWEEN 1 AND 253),
    smtp_port          integer NOT NULL CHECK (smtp_port BETWEEN 1 AND 65535),
    -- none: plain (local sinks only), starttls: upgrade on 587, tls: implicit TLS on 465.
    smtp_security      text NOT NULL CHECK (smtp_security IN ('none', 'starttls', 'tls')),
    smtp_username      text CHECK (length(smtp_username) <= 320),
    -- Sealed with the tenant's data key (purpose `outreach.mailbox`); never returned.
    smtp_password      bytea,
    daily_cap          integer NOT NULL CHECK (daily_cap BETWEEN 1 AND 10000),
    warmup_enabled     boolean NOT NULL DEFAULT true,
    warmup_start       integer NOT NULL DEFAULT 5 CHECK (warmup_start BETWEEN 1 AND 10000),
    warmup_step        integer NOT NULL DEFAULT 2 CHECK (warmup_step BETWEEN 0 AND 10000),
    warmup_started_on  date NOT NULL DEFAULT current_date,
    min_gap_seconds    integer NOT NULL DEFAULT 30 CHECK (min_gap_seconds BETWEEN 0 AND 86400),
    max_gap_seconds    integer NOT NULL DEFAULT 90 CHECK (max_gap_seconds BETWEEN 0 AND 86400),
    status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
    paused_reason      text CHECK (length(paused_reason) <= 500),
    -- Pacing: the earliest moment this mailbox may send again (a random gap after each send).
    next_send_at       timestamptz NOT NULL DEFAULT now(),
    last_tested_at     timestamptz,
    last_test_error    text CHECK (length(last_test_error) <= 2000),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, from_address),
    CHECK (min_gap_seconds <= max_gap_seconds)
);
SELECT kernel_enable_tenant_rls('outreach_mailboxes');

CREATE TABLE outreach_campaigns (
    tenant_id              uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id                     uuid NOT NULL,
    name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status                 text NOT NULL DEFAULT 'draft'
                           CHECK (status IN ('draft', 'active', 'paused', 'archived')),
    -- The sending window, in the recipient's timezone (else this one): ISO weekdays 1-7.
    timezone               text NOT NULL DEFAULT 'UTC',
    window_days            integer[] NOT NULL DEFAULT '{1,2,3,4,5}',
    window_start           time NOT NULL DEFAULT '09:00',
    window_end             time NOT NULL DEFAULT '17:00',
    -- The mailboxes it sends from (rotation: the least-sent first).
    mailbox_ids            uuid[] NOT NULL DEFAULT '{}',
    -- [{delay_minutes, variants: [{subject, body, weight}]}], checked by the slice.
    steps                  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(steps) = 'array'),
    stop_on_auto_reply     boolean NOT NULL DEFAULT false,
    stop_company_on_reply  boolean NOT NULL DEFAULT false,
    created_by             uuid,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (window_start < window_end),
    CHECK (window_days <@ '{1,2,3,4,5,6,7}' AND cardinality(window_days) >= 1)
);
CREATE INDEX outreach_campaigns_created_idx ON outreach_campaigns (tenant_id, created_at DESC, id DESC);
SELECT kernel_enable_tenant_rls('outreach_campaigns');

CREATE TABLE outreach_enrollments (
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id           uuid NOT NULL,
    campaign_id  uuid NOT NULL,
    lead_id      uuid NOT NULL,
    email        text NOT NULL,
    -- active → finished (every step sent) | stopped (stop_reason says why).
    status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'finished', 'stopped')),
    stop_reason  text CHECK (stop_reason IN ('replied', 'auto_replied', 'bounced', 'unsubscribed',
                                             'suppressed', 'company_replied', 'manual', 'lead_gone',
                                             'template_error', 'send_failed', 'mailbox_gone')),
    -- The step planned next (0-based) and when it is due.
    next_step    integer NOT NULL DEFAULT 0 CHECK (next_step >= 0),
    next_at      timestamptz,
    -- The mailbox of its first message: later steps come from the same sender.
    mailbox_id   uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, campaign_id, lead_id),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES outreach_campaigns (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX outreach_enrollments_due_idx ON outreach_enrollments (next_at) WHERE status = 'active';
CREATE INDEX outreach_enrollments_campaign_idx ON outreach_enrollments (tenant_id, campaign_id, created_at DESC);
SELECT kernel_enable_tenant_rls('outreach_enrollments');

-- The send log: one row per (enrollment, step), made before anything is sent, so a step is
-- handed to a provider at most once (the unique key) and never twice (the state machine).
CREATE TABLE outreach_messages (
    tenant_id      uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id             uuid NOT NULL,
    enrollment_id  uuid NOT NULL,
    campaign_id    uuid NOT NULL,
    lead_id        uuid NOT NULL,
    mailbox_id     uuid NOT NULL,
    step           integer NOT NULL,
    variant        integer NOT NULL,
    to_address     text NOT NULL,
    subject        text NOT NULL,
    body           text NOT NULL,
    -- RFC 5322 Message-ID, recorded before the send (replies are matched on it).
    message_id     text NOT NULL,
    -- queued → sending → sent | bounced (permanent refusal) | failed (gave up on transient
    -- errors) | unknown (the connection broke mid-message: never resent) ; queued → cancelled.
    state          text NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'sending', 'sent', 'bounced', 'failed', 'unknown', 'cancelled')),
    scheduled_at   timestamptz NOT NULL,
    sent_at        timestamptz,
    attempts       integer NOT NULL DEFAULT 0,
    -- The provider's answer (SMTP reply) or the error, for people reading the log.
    response       text CHECK (length(response) <= 2000),
    unsubscribed_at timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, enrollment_id, step),
    UNIQUE (tenant_id, message_id),
    FOREIGN KEY (tenant_id, enrollment_id) REFERENCES outreach_enrollments (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX outreach_messages_created_idx ON outreach_messages (tenant_id, created_at DESC, id DESC);
CREATE INDEX outreach_messages_mailbox_day_idx ON outreach_messages (tenant_id, mailbox_id, scheduled_at);
SELECT kernel_enable_tenant_rls('outreach_messages');

-- Addresses never written to again (lower case).
CREATE TABLE outreach_suppressions (
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email       text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
    reason      text NOT NULL CHECK (reason IN ('unsubscribed', 'bounced', 'complaint', 'manual')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, email)
);
SELECT kernel_enable_tenant_rls('outreach_suppressions');

-- Tenants with enrollments due (the scheduler's sweep; it then works in each tenant's own
-- transaction).
CREATE FUNCTION outreach_due_tenants(max_tenants integer) RETURNS TABLE (tenant_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT DISTINCT e.tenant_id FROM outreach_enrollments e
     WHERE e.status = 'active' AND e.next_at <= now()
     LIMIT max_tenants
$$;
REVOKE EXECUTE ON FUNCTION outreach_due_tenants(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outreach_due_tenants(integer) TO fortress_app;

-- Outreach, part two: what comes back, and signing what goes out. Each mailbox may have an inbox (IMAP) that is polled for
-- replies, auto-replies, bounce reports (RFC 3464) and complaints (RFC 5965); what was matched
-- to one of our messages is kept in outreach_replies and stops the sequence as the campaign
-- says. A tenant's bounce and complaint thresholds pause a mailbox or campaign that passes them.

CREATE TABLE outreach_inboxes (
    tenant_id      uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    mailbox_id     uuid NOT NULL,
    host           text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
    port           integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
    -- none: plain (local servers only), starttls: upgrade on 143, tls: implicit TLS on 993.
    security       text NOT NULL CHECK (security IN ('none', 'starttls', 'tls')),
    username       text NOT NULL CHECK (length(username) BETWEEN 1 AND 320),
    -- Sealed with the tenant's data key (purpose `outreach.inbox`); NULL: the mailbox's SMTP
    -- password is used.
    password       bytea,
    folder         text NOT NULL DEFAULT 'INBOX' CHECK (length(folder) BETWEEN 1 AND 200),
    enabled        boolean NOT NULL DEFAULT true,
    -- Where reading stopped: the folder's UIDVALIDITY and the last UID read. A new
    -- UIDVALIDITY (the folder was rebuilt) starts again from recent messages.
    uid_validity   bigint,
    last_uid       bigint NOT NULL DEFAULT 0,
    next_check_at  timestamptz NOT NULL DEFAULT now(),
    checked_at     timestamptz,
    last_error     text CHECK (length(last_error) <= 2000),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, mailbox_id),
    FOREIGN KEY (tenant_id, mailbox_id) REFERENCES outreach_mailboxes (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX outreach_inboxes_due_idx ON outreach_inboxes (next_check_at) WHERE enabled;
SELECT kernel_enable_tenant_rls('outreach_inboxes');

-- What came back for one of our messages. Mail that answers none of them is never kept.
CREATE TABLE outreach_replies (
    tenant_id       uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id              uuid NOT NULL,
    mailbox_id      uuid NOT NULL,
    -- reply (a person answered), auto_reply (RFC 3834 or an out-of-office), bounce (a delivery
    -- status report that the address failed), complaint (an abuse feedback report).
    kind            text NOT NULL CHECK (kind IN ('reply', 'auto_reply', 'bounce', 'complaint')),
    message_id      uuid NOT NULL,
    enrollment_id   uuid NOT NULL,
    campaign_id     uuid NOT NULL,
    lead_id         uuid NOT NULL,
    from_address    text NOT NULL CHECK (length(from_address) <= 320),
    subject         text NOT NULL DEFAULT '' CHECK (length(subject) <= 1000),
    -- The start of the text, for reading in the inbox.
    snippet         text NOT NULL DEFAULT '' CHECK (length(snippet) <= 4000),
    -- Why it was classed so (the DSN status, the auto-reply marker).
    detail          text CHECK (length(detail) <= 1000),
    rfc_message_id  text CHECK (length(rfc_message_id) <= 1000),
    received_at     timestamptz NOT NULL,
    -- Where it came from, so a message read or delivered twice is kept once:
    -- `imap:<mailbox>:<uidvalidity>:<uid>`, `ses:<sns message id>:<address>`, `resend:<id>:<address>`,
    -- `postmark:<id>`.
    source_key      text NOT NULL CHECK (length(source_key) <= 500),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, source_key),
    FOREIGN KEY (tenant_id, message_id) REFERENCES outreach_messages (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX outreach_replies_created_idx ON outreach_replies (tenant_id, created_at DESC, id DESC);
CREATE INDEX outreach_replies_message_idx ON outreach_replies (tenant_id, message_id);
SELECT kernel_enable_tenant_rls('outreach_replies');

-- Replies are matched on the Message-IDs our messages carried.
CREATE INDEX outreach_messages_to_idx ON outreach_messages (tenant_id, lower(to_address), created_at DESC);

-- A complaint stops the sequence too; campaigns say why they were paused.
ALTER TABLE outreach_enrollments DROP CONSTRAINT outreach_enrollments_stop_reason_check;
ALTER TABLE outreach_enrollments ADD CONSTRAINT outreach_enrollments_stop_reason_check
    CHECK (stop_reason IN ('replied', 'auto_replied', 'bounced', 'unsubscribed', 'complained',
                           'suppressed', 'company_replied', 'manual', 'lead_gone',
                           'template_error', 'send_failed', 'mailbox_gone'));
ALTER TABLE outreach_campaigns ADD COLUMN paused_reason text CHECK (length(paused_reason) <= 500);

-- DKIM signing of a mailbox's messages (RFC 6376, rsa-sha256): the private key is sealed with
-- the tenant's data key (purpose `outreach.dkim`); the public key is what the DNS record shows.
ALTER TABLE outreach_mailboxes
    ADD COLUMN dkim_domain      text CHECK (length(dkim_domain) BETWEEN 1 AND 253),
    ADD COLUMN dkim_selector    text CHECK (dkim_selector ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    ADD COLUMN dkim_private_key bytea,
    ADD COLUMN dkim_public_key  text,
    ADD CONSTRAINT outreach_mailboxes_dkim_check CHECK (
        (dkim_domain IS NULL) = (dkim_selector IS NULL)
        AND (dkim_domain IS NULL) = (dkim_private_key IS NULL)
        AND (dkim_domain IS NULL) = (dkim_public_key IS NULL));

-- A tenant's deliverability thresholds: a mailbox or campaign whose bounce (or complaint) rate
-- over the last 30 days passes its threshold, once it has sent at least min_sent, is paused.
CREATE TABLE outreach_settings (
    tenant_id             uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    bounce_pause_rate     double precision NOT NULL DEFAULT 0.02
                          CHECK (bounce_pause_rate > 0 AND bounce_pause_rate <= 1),
    complaint_pause_rate  double precision NOT NULL DEFAULT 0.001
                          CHECK (complaint_pause_rate > 0 AND complaint_pause_rate <= 1),
    pause_min_sent        integer NOT NULL DEFAULT 50 CHECK (pause_min_sent BETWEEN 1 AND 1000000),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
SELECT kernel_enable_tenant_rls('outreach_settings');

-- Bounce and complaint notifications from sending providers: Amazon SES (through SNS, whose
-- signature is checked), Resend (signed like Standard Webhooks, the signing secret sealed with the
-- tenant's key, purpose `outreach.feedback`) and Postmark. Each source's URL carries a random
-- token that names the tenant.
CREATE TABLE outreach_feedback_sources (
    tenant_id         uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    provider          text NOT NULL CHECK (provider IN ('ses', 'resend', 'postmark')),
    token             text NOT NULL UNIQUE CHECK (length(token) BETWEEN 32 AND 100),
    signing_secret    bytea,
    last_received_at  timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, provider)
);
SELECT kernel_enable_tenant_rls('outreach_feedback_sources');

-- The tenant a notification is for (before any tenant is known: hence SECURITY DEFINER).
CREATE FUNCTION outreach_feedback_tenant(source_provider text, source_token text) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT tenant_id FROM outreach_feedback_sources
     WHERE provider = source_provider AND token = source_token
$$;
REVOKE EXECUTE ON FUNCTION outreach_feedback_tenant(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outreach_feedback_tenant(text, text) TO fortress_app;

-- Claims the inboxes due for a check (the minute sweep, across tenants): each is leased for five
-- minutes, so the next sweep does not enqueue it again; the check itself sets its next time.
CREATE FUNCTION outreach_claim_inboxes(max_inboxes integer)
    RETURNS TABLE (tenant_id uuid, mailbox_id uuid)
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    UPDATE outreach_inboxes i SET next_check_at = now() + interval '5 minutes'
      FROM (SELECT d.tenant_id, d.mailbox_id FROM outreach_inboxes d
             WHERE d.enabled AND d.next_check_at <= now()
             ORDER BY d.next_check_at
             LIMIT max_inboxes
             FOR UPDATE SKIP LOCKED) due
     WHERE i.tenant_id = due.tenant_id AND i.mailbox_id = due.mailbox_id
    RETURNING i.tenant_id, i.mailbox_id
$$;
REVOKE EXECUTE ON FUNCTION outreach_claim_inboxes(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outreach_claim_inboxes(integer) TO fortress_app;

-- leads: the CRM lead engine. Leads with their per-tenant statuses and custom field
-- definitions, pipelines and ordered stages, stage history, the timeline (notes, tasks, system
-- entries, and calls/emails other slices report), field-level audit, round-robin assignment.
-- Every table leads its primary key with tenant_id and is guarded by row-level security.

-- Trigram indexes let `q` find partial words ("acm" in "Acme"). The migration owner is a
-- superuser, so it may create the extension; IF NOT EXISTS because tests migrate many databases.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The tenant's lead statuses, in display order. A tenant with no rows uses the six defaults
-- (New, Assigned, In Process, Converted, Recycled, Dead); the first write of the list stores them.
CREATE TABLE lead_statuses (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    position   integer NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
SELECT kernel_enable_tenant_rls('lead_statuses');

-- Custom fields: `leads.custom` holds {key: value}, checked on write against these.
CREATE TABLE lead_field_definitions (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    key        text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,49}$'),
    label      text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    kind       text NOT NULL
               CHECK (kind IN ('text', 'number', 'date', 'select', 'multiselect', 'boolean')),
    -- The allowed values of select / multiselect fields.
    options    text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);
SELECT kernel_enable_tenant_rls('lead_field_definitions');

CREATE TABLE lead_pipelines (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id         uuid NOT NULL,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
SELECT kernel_enable_tenant_rls('lead_pipelines');

CREATE TABLE lead_stages (
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id          uuid NOT NULL,
    pipeline_id uuid NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- Display order within the pipeline (not unique: reordering shifts rows in two steps).
    position    integer NOT NULL,
    -- Chance of winning a lead in this stage, in percent (forecasts).
    probability smallint NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
    is_won      boolean NOT NULL DEFAULT false,
    is_lost     boolean NOT NULL DEFAULT false CHECK (NOT (is_won AND is_lost)),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pipeline_id) REFERENCES lead_pipelines (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX lead_stages_pipeline_idx ON lead_stages (tenant_id, pipeline_id, position);
SELECT kernel_enable_tenant_rls('lead_stages');

CREATE TABLE leads (
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id          uuid NOT NULL,
    first_name  text CHECK (length(first_name) <= 200),
    last_name   text CHECK (length(last_name) <= 200),
    -- Stored normalised (trimmed, lower case); unique per tenant among non-deleted leads.
    email       text CHECK (length(email) <= 254),
    -- E.164: + and 7 to 15 digits, the first not zero.
    phone       text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    company     text CHECK (length(company) <= 200),
    title       text CHECK (length(title) <= 200),
    website     text CHECK (length(website) <= 500),
    -- The website's host without `www.`, derived on write.
    domain      text CHECK (length(domain) <= 253),
    source      text CHECK (length(source) <= 100),
    -- One of the tenant's lead_statuses (checked by the slice: the list is editable).
    status      text NOT NULL CHECK (length(status) BETWEEN 1 AND 50),
    score       smallint NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
    owner_id    uuid,
    tags        text[] NOT NULL DEFAULT '{}',
    custom      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom) = 'object'),
    -- IANA name (Europe/Bucharest), checked by the slice against the tz database.
    timezone    text CHECK (length(timezone) <= 64),
    pipeline_id uuid,
    stage_id    uuid,
    -- Kanban position within the stage: compared byte-wise, hence COLLATE "C".
    rank        text COLLATE "C",
    created_by  uuid,
    updated_by  uuid,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    -- Set when an admin erased the lead's personal data; the row stays for anonymous counts.
    erased_at   timestamptz,
    -- The lead this one was merged into.
    merged_into uuid,
    search      tsvector GENERATED ALWAYS AS (to_tsvector('simple',
                    coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' ||
                    coalesce(email, '') || ' ' || coalesce(company, ''))) STORED,
    search_text text GENERATED ALWAYS AS (lower(
                    coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' ||
                    coalesce(email, '') || ' ' || coalesce(company, ''))) STORED,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pipeline_id) REFERENCES lead_pipelines (tenant_id, id),
    FOREIGN KEY (tenant_id, stage_id) REFERENCES lead_stages (tenant_id, id)
);
CREATE UNIQUE INDEX leads_email_unique ON leads (tenant_id, lower(email))
    WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE INDEX leads_created_idx ON leads (tenant_id, created_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_deleted_idx ON leads (tenant_id, deleted_at DESC) WHERE deleted_at IS NOT NULL;
CREATE INDEX leads_status_idx ON leads (tenant_id, status) WHERE deleted_at IS NULL;
CREATE INDEX leads_owner_idx ON leads (tenant_id, owner_id) WHERE deleted_at IS NULL;
CREATE INDEX leads_stage_rank_idx ON leads (tenant_id, stage_id, rank) WHERE deleted_at IS NULL;
CREATE INDEX leads_tags_idx ON leads USING gin (tags);
CREATE INDEX leads_search_idx ON leads USING gin (search);
CREATE INDEX leads_search_trgm_idx ON leads USING gin (search_text gin_trgm_ops);
SELECT kernel_enable_tenant_rls('leads');

-- Every move between stages.
CREATE TABLE lead_stage_history (
    tenant_id     uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id            uuid NOT NULL,
    lead_id       uuid NOT NULL,
    from_stage_id uuid,
    to_stage_id   uuid,
    changed_by    uuid,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX lead_stage_history_lead_idx ON lead_stage_history (tenant_id, lead_id, changed_at DESC);
SELECT kernel_enable_tenant_rls('lead_stage_history');

-- The timeline: notes and tasks people write, system entries the slice writes from field
-- changes, calls and emails other slices report.
CREATE TABLE lead_timeline (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id         uuid NOT NULL,
    lead_id    uuid NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('note', 'task', 'system', 'call', 'email')),
    body       text NOT NULL CHECK (length(body) <= 10000),
    -- Structured details (a system entry's field, before and after).
    data       jsonb NOT NULL DEFAULT '{}',
    due_at     timestamptz,
    done       boolean NOT NULL DEFAULT false,
    done_at    timestamptz,
    author_id  uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX lead_timeline_lead_idx ON lead_timeline (tenant_id, lead_id, created_at DESC, id DESC);
SELECT kernel_enable_tenant_rls('lead_timeline');

-- Field-level history: one row per change of a lead, {field: {before, after}}.
CREATE TABLE lead_audit (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id         uuid NOT NULL,
    lead_id    uuid NOT NULL,
    action     text NOT NULL CHECK (length(action) BETWEEN 1 AND 50),
    actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system')),
    actor_id   uuid,
    changes    jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX lead_audit_lead_idx ON lead_audit (tenant_id, lead_id, created_at DESC, id DESC);
SELECT kernel_enable_tenant_rls('lead_audit');

-- Round-robin assignment: new leads of `source` go to the members in turn. `next_index` is
-- bumped under the row lock in the creating transaction, so concurrent creates never pick the
-- same turn.
CREATE TABLE lead_assignment_rules (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id         uuid NOT NULL,
    -- Stored lower case; one rule per source.
    source     text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
    member_ids uuid[] NOT NULL CHECK (cardinality(member_ids) BETWEEN 1 AND 100),
    next_index bigint NOT NULL DEFAULT 0,
    enabled    boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, source)
);
SELECT kernel_enable_tenant_rls('lead_assignment_rules');

-- AI logic discovery: a project's bronze tables profiled, silver/gold SQL proposed by the LLM
-- layer and validated in the sandbox, then reviewed. Nothing reaches the project's tree or its
-- scripts until a person accepts a proposal.

CREATE TABLE discoveries (
    tenant_id         uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id                uuid NOT NULL,
    project_id        uuid NOT NULL,
    -- queued → profiling → proposing → validating → ready, or failed at any step.
    status            text NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'profiling', 'proposing', 'validating', 'ready', 'failed')),
    -- What the running step is doing, for people watching (`validating daily_sales (3 of 7)`).
    progress          text NOT NULL DEFAULT '' CHECK (length(progress) <= 500),
    allow_samples     boolean NOT NULL DEFAULT false,
    max_proposals     integer NOT NULL CHECK (max_proposals BETWEEN 1 AND 50),
    repair_rounds     integer NOT NULL CHECK (repair_rounds BETWEEN 0 AND 5),
    profile           jsonb,
    provider          text,
    model             text,
    prompt_tokens     bigint NOT NULL DEFAULT 0,
    completion_tokens bigint NOT NULL DEFAULT 0,
    -- In the tenant's currency, as the cost tracker priced the tokens (NULL: nothing billed).
    cost              numeric(14, 6),
    error             text CHECK (length(error) <= 4000),
    created_by        uuid,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX discoveries_created_idx ON discoveries (tenant_id, created_at DESC, id DESC);
CREATE INDEX discoveries_project_idx ON discoveries (tenant_id, project_id, created_at DESC);
SELECT kernel_enable_tenant_rls('discoveries');

-- One proposed table. `sql` is what the model first proposed; `validation` holds the SQL as
-- validated (after repairs), its verdict, sample rows and the problems of each round.
CREATE TABLE discovery_proposals (
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id           uuid NOT NULL,
    discovery_id uuid NOT NULL,
    position     integer NOT NULL,
    layer        text NOT NULL CHECK (layer IN ('silver', 'gold')),
    name         text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    sql          text NOT NULL CHECK (length(sql) <= 100000),
    -- pending (not validated yet) → valid | rejected; a valid one → accepted | dismissed.
    status       text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'valid', 'rejected', 'accepted', 'dismissed')),
    validation   jsonb,
    decided_at   timestamptz,
    decided_by   uuid,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, discovery_id, position),
    FOREIGN KEY (tenant_id, discovery_id) REFERENCES discoveries (tenant_id, id) ON DELETE CASCADE
);
SELECT kernel_enable_tenant_rls('discovery_proposals');

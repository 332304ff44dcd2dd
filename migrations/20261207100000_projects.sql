-- projects: a tenant's client data projects, each with its state tree (nodes in the bronze,
-- silver, gold and destination layers, and lineage edges between them), the runs that change
-- it, its scripts' versions, its costs and its reports.
--
-- `projects.state_version` is the ETag of GET /projects/{id}/state: every write that changes
-- what that document shows bumps it, in the same transaction (the slice's store does it).

CREATE TABLE projects (
    tenant_id       uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id              uuid NOT NULL,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug            text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
    client_name     text NOT NULL DEFAULT '' CHECK (length(client_name) <= 200),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived')),
    -- An IANA zone name, checked against pg_timezone_names when written.
    timezone        text NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
    -- Exact money: the monthly budget in budget_currency; NULL means no budget (no alerts).
    budget_amount   numeric(14, 2) CHECK (budget_amount >= 0),
    budget_currency text NOT NULL DEFAULT 'USD' CHECK (budget_currency ~ '^[A-Z]{3}$'),
    state_version   bigint NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz,
    PRIMARY KEY (tenant_id, id)
);
-- A slug is unique among a tenant's live projects; a deleted project's slug can be reused.
CREATE UNIQUE INDEX projects_slug_key ON projects (tenant_id, slug) WHERE deleted_at IS NULL;
CREATE INDEX projects_created_idx ON projects (tenant_id, created_at DESC, id DESC);
SELECT kernel_enable_tenant_rls('projects');
SELECT kernel_count_changes('projects');

CREATE TABLE project_audit (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id         uuid NOT NULL,
    project_id uuid NOT NULL,
    action     text NOT NULL CHECK (length(action) BETWEEN 1 AND 50),
    actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system')),
    actor_id   uuid,
    changes    jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX project_audit_project_idx ON project_audit (tenant_id, project_id, created_at DESC, id DESC);
SELECT kernel_enable_tenant_rls('project_audit');

-- A node of the state tree. Its id is the project's own name for it (`gold_sales`), unique in
-- the project; `version` counts its changes (the If-Match of PATCH …/nodes/{id}).
CREATE TABLE project_nodes (
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    project_id  uuid NOT NULL,
    id          text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
    layer       text NOT NULL CHECK (layer IN ('bronze', 'silver', 'gold', 'destination')),
    kind        text NOT NULL CHECK (kind IN ('source', 'table', 'script', 'model', 'destination')),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status      text NOT NULL DEFAULT 'IDLE'
                CHECK (status IN ('IDLE', 'RUNNING', 'GREEN', 'YELLOW', 'RED')),
    last_run_at timestamptz,
    rows        bigint CHECK (rows >= 0),
    bytes       bigint CHECK (bytes >= 0),
    duration_ms bigint CHECK (duration_ms >= 0),
    error       text CHECK (length(error) <= 4000),
    -- Display order within its layer.
    position    integer NOT NULL DEFAULT 0,
    version     bigint NOT NULL DEFAULT 1,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, project_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
);
SELECT kernel_enable_tenant_rls('project_nodes');

-- Lineage: data flows from `from_node` to `to_node`. Cycles are refused by the slice before
-- it writes (the whole edge set is checked), under the project row's lock.
CREATE TABLE project_edges (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    project_id uuid NOT NULL,
    from_node  text NOT NULL,
    to_node    text NOT NULL CHECK (to_node <> from_node),
    PRIMARY KEY (tenant_id, project_id, from_node, to_node),
    FOREIGN KEY (tenant_id, project_id, from_node)
        REFERENCES project_nodes (tenant_id, project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, project_id, to_node)
        REFERENCES project_nodes (tenant_id, project_id, id) ON DELETE CASCADE
);
CREATE INDEX project_edges_to_idx ON project_edges (tenant_id, project_id, to_node);
SELECT kernel_enable_tenant_rls('project_edges');

-- A project's runs (a flow execution, an import, a manual refresh): the state document's
-- "active jobs" are its running ones, and usage is charged to them.
CREATE TABLE project_runs (
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id          uuid NOT NULL,
    project_id  uuid NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status      text NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    error       text CHECK (length(error) <= 4000),
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX project_runs_project_idx ON project_runs (tenant_id, project_id, started_at DESC, id DESC);
CREATE INDEX project_runs_active_idx ON project_runs (tenant_id, project_id) WHERE status = 'running';
SELECT kernel_enable_tenant_rls('project_runs');

-- A node's history: one row per run of the node (opened when it turns RUNNING, closed when it
-- turns GREEN, YELLOW or RED; a finish without a start is recorded as it comes).
CREATE TABLE project_node_runs (
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id          uuid NOT NULL,
    project_id  uuid NOT NULL,
    node_id     text NOT NULL,
    run_id      uuid,
    status      text NOT NULL CHECK (status IN ('RUNNING', 'GREEN', 'YELLOW', 'RED')),
    started_at  timestamptz,
    finished_at timestamptz,
    rows        bigint,
    bytes       bigint,
    duration_ms bigint,
    error       text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id, node_id)
        REFERENCES project_nodes (tenant_id, project_id, id) ON DELETE CASCADE
);
CREATE INDEX project_node_runs_node_idx ON project_node_runs (tenant_id, project_id, node_id, id DESC);
SELECT kernel_enable_tenant_rls('project_node_runs');

-- Script versions (SQL for silver and gold). The text is in the object store under
-- tenants/<tenant>/projects/<project>/scripts/<name>/v<version>.sql; this row says it exists.
CREATE TABLE project_scripts (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    project_id uuid NOT NULL,
    name       text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
    version    integer NOT NULL CHECK (version > 0),
    layer      text NOT NULL CHECK (layer IN ('silver', 'gold')),
    key        text NOT NULL,
    size       bigint NOT NULL,
    sha256     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, project_id, name, version),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
);
SELECT kernel_enable_tenant_rls('project_scripts');

-- Connectors a project uses (Airbyte, a CRM, any external API): health checks call them.
CREATE TABLE project_connectors (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id         uuid NOT NULL,
    project_id uuid NOT NULL,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind       text NOT NULL CHECK (kind IN ('airbyte', 'http')),
    -- Called with GET; any answer below 500 within the timeout counts as up.
    url        text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, project_id, name),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
);
SELECT kernel_enable_tenant_rls('project_connectors');

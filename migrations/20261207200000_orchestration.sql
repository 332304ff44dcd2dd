-- orchestration: data flows written in Amazon States Language, run durably on PostgreSQL.
--
-- A flow has immutable versions; an execution runs one version. The executor (the
-- `orchestration.advance` job) moves an execution from state to state, writing its position
-- (`cursor`) and its history (`execution_events`) after every transition, so a worker killed at
-- any point resumes where the last commit left it. Parallel branches and Map items run as child
-- executions (`parent_id`), each advancing on its own.

CREATE TABLE flows (
    tenant_id       uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id              uuid NOT NULL,
    name            text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$'),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    -- The data project whose tree the flow's Task states colour (optional).
    project_id      uuid,
    current_version integer NOT NULL DEFAULT 1 CHECK (current_version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id)
);
CREATE UNIQUE INDEX flows_name_key ON flows (tenant_id, name) WHERE deleted_at IS NULL;
CREATE INDEX flows_created_idx ON flows (tenant_id, created_at DESC, id DESC);
SELECT kernel_enable_tenant_rls('flows');

-- One saved definition of a flow. `nodes` maps a Task state's name to the project tree node it
-- colours; a state without an entry colours the node named like the state, if there is one.
CREATE TABLE flow_versions (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    flow_id    uuid NOT NULL,
    version    integer NOT NULL CHECK (version >= 1),
    definition jsonb NOT NULL,
    nodes      jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, flow_id, version),
    FOREIGN KEY (tenant_id, flow_id) REFERENCES flows (tenant_id, id) ON DELETE CASCADE
);
SELECT kernel_enable_tenant_rls('flow_versions');

-- An execution of one flow version, or a child (a Parallel branch or a Map item) of another
-- execution. `scope` is the JSON pointer of the definition it runs within the flow version
-- ('' for the whole flow). `cursor` is where it stands: the state, that state's input, its
-- retry counters and what it waits for (see the executor's `cursor` module).
CREATE TABLE executions (
    tenant_id     uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id            uuid NOT NULL,
    flow_id       uuid NOT NULL,
    flow_version  integer NOT NULL,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    project_id    uuid,
    parent_id     uuid,
    parent_state  text,
    child_index   integer,
    scope         text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'RUNNING'
                  CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING')),
    input         jsonb NOT NULL,
    output        jsonb,
    error         text,
    cause         text,
    cursor        jsonb NOT NULL,
    -- Transitions made so far; also the optimistic version of `cursor`.
    transitions   integer NOT NULL DEFAULT 0,
    -- The last history event's id.
    last_event    integer NOT NULL DEFAULT 0,
    redrive_count integer NOT NULL DEFAULT 0,
    -- What its tasks' usage cost, priced by the project's rate card (exact).
    cost          numeric(20, 10) NOT NULL DEFAULT 0,
    started_at    timestamptz NOT NULL DEFAULT now(),
    stopped_at    timestamptz,
    timeout_at    timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, flow_id, flow_version) REFERENCES flow_versions (tenant_id, flow_id, version)
);
-- Starting is idempotent by name: one top-level execution per (flow, name).
CREATE UNIQUE INDEX executions_name_key ON executions (tenant_id, flow_id, name) WHERE parent_id IS NULL;
CREATE INDEX executions_started_idx ON executions (tenant_id, started_at DESC, id DESC) WHERE parent_id IS NULL;
CREATE INDEX executions_children_idx ON executions (tenant_id, parent_id, child_index) WHERE parent_id IS NOT NULL;
SELECT kernel_enable_tenant_rls('executions');

-- An execution's history, in the shape of Step Functions' GetExecutionHistory.
CREATE TABLE execution_events (
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    execution_id uuid NOT NULL,
    id           integer NOT NULL,
    previous_id  integer,
    type         text NOT NULL CHECK (length(type) BETWEEN 1 AND 60),
    state        text,
    details      jsonb NOT NULL DEFAULT '{}',
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tenant_id, execution_id, id),
    FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
SELECT kernel_enable_tenant_rls('execution_events');

-- Task tokens of `.waitForTaskToken` tasks; only the token's SHA-256 is kept. A callback names
-- the token, not the tenant: `orchestration_task_token` finds its tenant before any tenant is known.
CREATE TABLE task_tokens (
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL,
    execution_id uuid NOT NULL,
    state        text NOT NULL,
    attempt      integer NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz,
    completed_at timestamptz,
    outcome      text CHECK (outcome IN ('success', 'failure', 'timeout', 'cancelled')),
    PRIMARY KEY (token_hash),
    FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX task_tokens_execution_idx ON task_tokens (tenant_id, execution_id);
SELECT kernel_enable_tenant_rls('task_tokens');

-- The tenant of a task token (for callbacks, which carry no tenant). SECURITY DEFINER: runs as
-- the owner, past the row-level security that hides every tenant's tokens before one is chosen.
CREATE FUNCTION orchestration_task_token(p_hash bytea)
    RETURNS TABLE (tenant_id uuid, execution_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT t.tenant_id, t.execution_id FROM task_tokens t WHERE t.token_hash = p_hash $$;

-- What a task resource did for one (execution, state, attempt): the idempotency record that
-- lets a repeated attempt (after a worker died) pick up the provider's job instead of starting
-- another one.
CREATE TABLE task_effects (
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 300),
    execution_id uuid NOT NULL,
    resource     text NOT NULL,
    external_id  text,
    details      jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key),
    FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
SELECT kernel_enable_tenant_rls('task_effects');

-- Automation runs: an ActivePieces flow started with a correlation id (seed 003).
CREATE TABLE automation_runs (
    tenant_id       uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id              uuid NOT NULL,
    flow            text NOT NULL CHECK (length(flow) BETWEEN 1 AND 200),
    correlation_id  text NOT NULL CHECK (length(correlation_id) BETWEEN 1 AND 200),
    status          text NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    input           jsonb NOT NULL DEFAULT '{}',
    output          jsonb,
    error           text,
    provider_run_id text,
    attempts        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX automation_runs_correlation_key ON automation_runs (tenant_id, correlation_id);
CREATE INDEX automation_runs_created_idx ON automation_runs (tenant_id, created_at DESC, id DESC);
SELECT kernel_enable_tenant_rls('automation_runs');

-- The tenant of an automation run named by a completion webhook (which carries no tenant).
CREATE FUNCTION orchestration_automation_run(p_id uuid)
    RETURNS TABLE (tenant_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT r.tenant_id FROM automation_runs r WHERE r.id = p_id $$;

-- projects: reports (seed 003). A machine client upserts a project's reports in batches by
-- (project, slug); the latest of each slug is what the UI shows.

CREATE TABLE project_reports (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id         uuid NOT NULL,
    project_id uuid NOT NULL,
    slug       text NOT NULL CHECK (slug ~ '^[a-z0-9]+([_-][a-z0-9]+)*$' AND length(slug) <= 100),
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    kind       text NOT NULL DEFAULT 'table' CHECK (kind IN ('table', 'metric', 'chart', 'text')),
    -- The report's content as the producer sent it (at most 256 KiB, checked by the slice).
    data       jsonb NOT NULL DEFAULT '{}',
    -- How many times this slug was written.
    revision   integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, project_id, slug),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX project_reports_updated_idx ON project_reports (tenant_id, project_id, updated_at DESC, id DESC);
SELECT kernel_enable_tenant_rls('project_reports');

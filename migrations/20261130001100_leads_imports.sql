-- leads: CSV imports. The upload is kept until the import job is done with it; the job
-- commits each chunk of rows together with `next_row`, so a retried job resumes where the
-- last commit left off and never imports a row twice.

CREATE TABLE lead_imports (
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id           uuid NOT NULL,
    filename     text NOT NULL DEFAULT '' CHECK (length(filename) <= 255),
    -- The CSV as uploaded; emptied when the import ends.
    file         bytea NOT NULL,
    -- {"CSV column": "lead field"}.
    mapping      jsonb NOT NULL CHECK (jsonb_typeof(mapping) = 'object'),
    on_duplicate text NOT NULL CHECK (on_duplicate IN ('skip', 'update', 'create')),
    state        text NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    -- Data rows in the file (known once the job has read it), and rows done so far.
    total_rows   integer,
    next_row     integer NOT NULL DEFAULT 0,
    created      integer NOT NULL DEFAULT 0,
    updated      integer NOT NULL DEFAULT 0,
    skipped      integer NOT NULL DEFAULT 0,
    failed       integer NOT NULL DEFAULT 0,
    -- Why the whole import failed (an unreadable file), if it did.
    error        text,
    -- Who uploaded it: the import's writes are audited as theirs.
    created_by   uuid,
    created_by_kind text NOT NULL DEFAULT 'user' CHECK (created_by_kind IN ('user', 'api_key')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
SELECT kernel_enable_tenant_rls('lead_imports');

-- One row per rejected CSV record, with the reason.
CREATE TABLE lead_import_failures (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    import_id  uuid NOT NULL,
    -- The record's number in the file, counting the header as 1 (as a spreadsheet shows it).
    row_number integer NOT NULL,
    reason     text NOT NULL,
    PRIMARY KEY (tenant_id, import_id, row_number),
    FOREIGN KEY (tenant_id, import_id) REFERENCES lead_imports (tenant_id, id) ON DELETE CASCADE
);
SELECT kernel_enable_tenant_rls('lead_import_failures');

-- Automation runs, completed: who runs them (ActivePieces, or our own flows offline), the
-- execution a local run is, the Task waiting on a run, and when a refused start is tried again.
ALTER TABLE automation_runs
    ADD COLUMN provider text NOT NULL DEFAULT 'activepieces'
        CHECK (provider IN ('activepieces', 'local')),
    ADD COLUMN execution_id uuid,
    ADD COLUMN task_key text CHECK (length(task_key) <= 400),
    ADD COLUMN next_attempt_at timestamptz;

-- A local run ends with its execution (looked up by the executor as the execution ends).
CREATE UNIQUE INDEX automation_runs_execution_key
    ON automation_runs (execution_id) WHERE execution_id IS NOT NULL;
CREATE INDEX automation_runs_status_idx ON automation_runs (tenant_id, status, created_at DESC);

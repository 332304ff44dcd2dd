-- leads: lists filtered by status (case-insensitive, through the leakproof kernel_lower) read
-- their page and count from an index, newest first; totals are cached under the leads change
-- counter (see 20261130001400_kernel_list_counts.sql).
CREATE INDEX leads_status_list_idx ON leads (tenant_id, kernel_lower(status), created_at DESC, id)
    WHERE deleted_at IS NULL;
DROP INDEX leads_status_idx;
SELECT kernel_count_changes('leads');

-- kernel: less work in the two statements the Idempotency-Key middleware puts on a request's
-- path (claim before the handler, keep the response after it).
--
-- No foreign key to tenants: its check locked the tenant's row (FOR KEY SHARE) on every claim,
-- so all idempotent requests of a tenant took a lock on one row (a multixact when concurrent).
-- Keys live 24 hours at most; a deleted tenant's keys are unreachable (row-level security) and
-- go with the expiry cleanup.
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_tenant_id_fkey;

-- No index on expires_at: keeping a response rewrites the expiry, and an indexed column makes
-- that update write new entries in every index; without it the update can stay on its page
-- (HOT), which the lower fillfactor leaves room for. The hourly cleanup reads the table instead.
DROP INDEX idempotency_keys_expires_at;
ALTER TABLE idempotency_keys SET (fillfactor = 70);

-- kernel: durable jobs. See crates/kernel/src/jobs/mod.rs for the life of a job and
-- docs/ARCHITECTURE.md ("Jobs") for why this is our own table rather than graphile_worker's.
--
-- A job is enqueued by a slice with a plain INSERT inside its tenant_tx (row-level security
-- pins tenant_id); workers, which act for every tenant, go only through the SECURITY DEFINER
-- functions below (claim, complete, fail, release, extend, recover).

CREATE TABLE jobs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- NULL for platform jobs (cron cleanups) that act for no tenant; those are invisible to
    -- the runtime role. (The one tenant-data exception to "tenant_id leads the key": a queue
    -- is claimed across tenants by id order.)
    tenant_id     uuid REFERENCES tenants(id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind ~ '^[a-z0-9_.:-]{1,100}$'),
    -- Jobs of one named queue run one at a time, in order.
    queue         text CHECK (queue IS NULL OR length(queue) BETWEEN 1 AND 200),
    payload       jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- queued: waiting to run; failed: an attempt failed, waiting for its retry at run_at;
    -- running: leased by locked_by until locked_until; succeeded; dead: out of attempts.
    state         text NOT NULL DEFAULT 'queued'
                  CHECK (state IN ('queued', 'failed', 'running', 'succeeded', 'dead')),
    priority      smallint NOT NULL DEFAULT 0,
    run_at        timestamptz NOT NULL DEFAULT now(),
    attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts  integer NOT NULL DEFAULT 10 CHECK (max_attempts BETWEEN 1 AND 100),
    -- At most one waiting job per (tenant, key): enqueueing a key that waits returns it.
    job_key       text CHECK (job_key IS NULL OR length(job_key) BETWEEN 1 AND 255),
    last_error    text,
    locked_by     text,
    locked_until  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- When the latest attempt started, and when the job reached succeeded or dead.
    started_at    timestamptz,
    finished_at   timestamptz,
    CHECK ((state = 'running') = (locked_by IS NOT NULL AND locked_until IS NOT NULL))
);
-- What the claim reads: ready jobs without a queue, in priority and time order.
CREATE INDEX jobs_ready_idx ON jobs (priority, run_at, id)
    WHERE state IN ('queued', 'failed') AND queue IS NULL;
-- The head of each named queue.
CREATE INDEX jobs_queue_ready_idx ON jobs (queue, priority, run_at, id)
    WHERE state IN ('queued', 'failed') AND queue IS NOT NULL;
-- Lease expiry (a worker that died).
CREATE INDEX jobs_running_idx ON jobs (locked_until) WHERE state = 'running';
CREATE UNIQUE INDEX jobs_waiting_key_idx ON jobs (tenant_id, job_key) NULLS NOT DISTINCT
    WHERE job_key IS NOT NULL AND state IN ('queued', 'failed');
-- Admin lists per tenant and state; retention of finished jobs.
CREATE INDEX jobs_tenant_state_idx ON jobs (tenant_id, state, id);
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE state IN ('succeeded', 'dead');
SELECT kernel_enable_tenant_rls('jobs');

-- The lock of each named queue: held by the worker running its head job, until its lease ends.
CREATE TABLE job_queues (
    name          text PRIMARY KEY,
    locked_by     text,
    locked_until  timestamptz
);
REVOKE ALL ON job_queues FROM fortress_app;

-- The last tick each cron schedule fired for; a tick fires once however many workers run.
CREATE TABLE job_schedules (
    name       text PRIMARY KEY,
    last_tick  timestamptz NOT NULL
);
REVOKE ALL ON job_schedules FROM fortress_app;

-- New jobs wake the workers (LISTEN kernel_jobs); delivered at commit, once per statement.
CREATE FUNCTION kernel_jobs_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('kernel_jobs', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION kernel_jobs_notify();

-- A named queue gets its lock row with its first job (the runtime role cannot write it).
CREATE FUNCTION kernel_jobs_ensure_queue() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO job_queues (name) VALUES (NEW.queue) ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER jobs_ensure_queue AFTER INSERT ON jobs
    FOR EACH ROW WHEN (NEW.queue IS NOT NULL) EXECUTE FUNCTION kernel_jobs_ensure_queue();

-- What a claim hands to the worker.
CREATE TYPE kernel_claimed_job AS (
    id            bigint,
    tenant_id     uuid,
    kind          text,
    queue         text,
    payload       jsonb,
    attempts      integer,
    max_attempts  integer,
    run_at        timestamptz,
    created_at    timestamptz
);

-- Leases up to max_jobs ready jobs of the given kinds to worker for lease: first jobs without
-- a queue (SKIP LOCKED, so concurrent workers never wait on each other), then the head job of
-- each free named queue, whose lock row is leased with it.
CREATE FUNCTION kernel_jobs_claim(worker text, kinds text[], max_jobs integer, lease interval)
    RETURNS SETOF kernel_claimed_job
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    got integer;
    q record;
    picked kernel_claimed_job;
BEGIN
    RETURN QUERY
    WITH next AS (
        SELECT j.id FROM jobs j
        WHERE j.state IN ('queued', 'failed') AND j.queue IS NULL
          AND j.run_at <= now() AND j.kind = ANY (kinds)
        ORDER BY j.priority, j.run_at, j.id
        LIMIT max_jobs
        FOR UPDATE SKIP LOCKED
    )
    UPDATE jobs j
       SET state = 'running', attempts = j.attempts + 1, locked_by = worker,
           locked_until = now() + lease, started_at = now()
      FROM next WHERE j.id = next.id
    RETURNING j.id, j.tenant_id, j.kind, j.queue, j.payload, j.attempts, j.max_attempts,
              j.run_at, j.created_at;
    GET DIAGNOSTICS got = ROW_COUNT;

    FOR q IN
        SELECT jq.name FROM job_queues jq
        WHERE (jq.locked_until IS NULL OR jq.locked_until < now())
          AND EXISTS (SELECT 1 FROM jobs j
                      WHERE j.queue = jq.name AND j.state IN ('queued', 'failed')
                        AND j.run_at <= now() AND j.kind = ANY (kinds))
        LIMIT greatest(max_jobs - got, 0)
        FOR UPDATE SKIP LOCKED
    LOOP
        -- The queue's head, whatever its run_at: a queue waits for its first job.
        UPDATE jobs j
           SET state = 'running', attempts = j.attempts + 1, locked_by = worker,
               locked_until = now() + lease, started_at = now()
         WHERE j.id = (SELECT h.id FROM jobs h
                       WHERE h.queue = q.name AND h.state IN ('queued', 'failed')
                       ORDER BY h.priority, h.run_at, h.id LIMIT 1)
           AND j.run_at <= now() AND j.kind = ANY (kinds)
        RETURNING j.id, j.tenant_id, j.kind, j.queue, j.payload, j.attempts, j.max_attempts,
                  j.run_at, j.created_at
        INTO picked;
        IF FOUND THEN
            UPDATE job_queues SET locked_by = worker, locked_until = now() + lease
             WHERE name = q.name;
            RETURN NEXT picked;
        END IF;
    END LOOP;
END
$$;

-- Frees the queues whose running job just ended.
CREATE FUNCTION kernel_jobs_unlock_queues(worker text, names text[]) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    UPDATE job_queues SET locked_by = NULL, locked_until = NULL
     WHERE name = ANY (names) AND locked_by = worker
$$;

-- Marks the worker's running jobs succeeded. A job whose lease was lost (and re-run
-- elsewhere) is left alone: its new owner reports for it.
CREATE FUNCTION kernel_jobs_complete(worker text, ids bigint[]) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    names text[];
    done integer;
BEGIN
    WITH finished AS (
        UPDATE jobs SET state = 'succeeded', finished_at = now(), locked_by = NULL,
                        locked_until = NULL, last_error = NULL
         WHERE id = ANY (ids) AND locked_by = worker AND state = 'running'
        RETURNING queue
    )
    SELECT array_agg(queue) FILTER (WHERE queue IS NOT NULL), count(*) INTO names, done
      FROM finished;
    IF names IS NOT NULL THEN
        PERFORM kernel_jobs_unlock_queues(worker, names);
    END IF;
    RETURN done;
END
$$;

-- Records a failed attempt: retried at retry_at, or dead when out of attempts or permanent.
-- Returns the new state, or NULL when the worker no longer holds the job.
CREATE FUNCTION kernel_jobs_fail(worker text, job_id bigint, error text, retry_at timestamptz,
                                 permanent boolean) RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    q text;
    new_state text;
BEGIN
    UPDATE jobs
       SET state = CASE WHEN permanent OR attempts >= max_attempts THEN 'dead' ELSE 'failed' END,
           run_at = CASE WHEN permanent OR attempts >= max_attempts THEN run_at ELSE retry_at END,
           finished_at = CASE WHEN permanent OR attempts >= max_attempts THEN now() END,
           last_error = left(error, 4000), locked_by = NULL, locked_until = NULL
     WHERE id = job_id AND locked_by = worker AND state = 'running'
    RETURNING queue, state INTO q, new_state;
    IF q IS NOT NULL THEN
        PERFORM kernel_jobs_unlock_queues(worker, ARRAY[q]);
    END IF;
    RETURN new_state;
END
$$;

-- Hands unfinished jobs back at shutdown: the attempt does not count.
CREATE FUNCTION kernel_jobs_release(worker text, ids bigint[]) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    names text[];
    released integer;
BEGIN
    WITH back AS (
        UPDATE jobs SET state = CASE WHEN attempts > 1 THEN 'failed' ELSE 'queued' END,
                        attempts = attempts - 1, run_at = now(), locked_by = NULL,
                        locked_until = NULL
         WHERE id = ANY (ids) AND locked_by = worker AND state = 'running'
        RETURNING queue
    )
    SELECT array_agg(queue) FILTER (WHERE queue IS NOT NULL), count(*) INTO names, released
      FROM back;
    IF names IS NOT NULL THEN
        PERFORM kernel_jobs_unlock_queues(worker, names);
    END IF;
    PERFORM pg_notify('kernel_jobs', '');
    RETURN released;
END
$$;

-- Extends the leases of the worker's running jobs (its heartbeat).
CREATE FUNCTION kernel_jobs_extend(worker text, ids bigint[], lease interval) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    extended integer;
BEGIN
    WITH held AS (
        UPDATE jobs SET locked_until = now() + lease
         WHERE id = ANY (ids) AND locked_by = worker AND state = 'running'
        RETURNING queue
    )
    SELECT count(*) INTO extended FROM held;
    UPDATE job_queues SET locked_until = now() + lease WHERE locked_by = worker;
    RETURN extended;
END
$$;

-- Jobs whose worker stopped renewing its lease (it crashed or was killed) become ready again,
-- or dead when that was their last attempt. Returns how many were recovered.
CREATE FUNCTION kernel_jobs_recover() RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    recovered integer;
BEGIN
    UPDATE jobs
       SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'failed' END,
           finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
           last_error = format('the worker %s stopped renewing its lease', locked_by),
           run_at = now(), locked_by = NULL, locked_until = NULL
     WHERE state = 'running' AND locked_until < now();
    GET DIAGNOSTICS recovered = ROW_COUNT;
    IF recovered > 0 THEN
        PERFORM pg_notify('kernel_jobs', '');
    END IF;
    RETURN recovered;
END
$$;

-- Enqueues a platform job (no tenant), e.g. a cron tick's cleanup.
CREATE FUNCTION kernel_jobs_enqueue_platform(job_kind text, job_payload jsonb, key text,
                                             attempts_allowed integer) RETURNS bigint
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    INSERT INTO jobs (tenant_id, kind, payload, job_key, max_attempts)
    VALUES (NULL, job_kind, job_payload, key, attempts_allowed)
    ON CONFLICT (tenant_id, job_key) WHERE job_key IS NOT NULL AND state IN ('queued', 'failed')
    DO NOTHING
    RETURNING id
$$;

-- Claims a cron tick: true for exactly one caller per (schedule, tick).
CREATE FUNCTION kernel_jobs_claim_tick(schedule text, tick timestamptz) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO job_schedules AS s (name, last_tick) VALUES (schedule, tick)
    ON CONFLICT (name) DO UPDATE SET last_tick = EXCLUDED.last_tick
        WHERE s.last_tick < EXCLUDED.last_tick;
    RETURN FOUND;
END
$$;

-- Counts by state for every tenant (worker metrics), and removal of finished jobs.
CREATE FUNCTION kernel_jobs_counts() RETURNS TABLE (state text, jobs bigint, oldest_ready timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT state, count(*), min(run_at) FILTER (WHERE state IN ('queued', 'failed') AND run_at <= now())
      FROM jobs GROUP BY state
$$;

CREATE FUNCTION kernel_jobs_purge(succeeded_older_than interval, dead_older_than interval)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    removed bigint;
BEGIN
    DELETE FROM jobs
     WHERE (state = 'succeeded' AND finished_at < now() - succeeded_older_than)
        OR (state = 'dead' AND finished_at < now() - dead_older_than);
    GET DIAGNOSTICS removed = ROW_COUNT;
    DELETE FROM job_queues jq
     WHERE jq.locked_by IS NULL
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.queue = jq.name
                       AND j.state IN ('queued', 'failed', 'running'));
    RETURN removed;
END
$$;

-- Only the workers call these; the runtime role runs them on their behalf.
REVOKE EXECUTE ON FUNCTION kernel_jobs_claim(text, text[], integer, interval),
    kernel_jobs_unlock_queues(text, text[]), kernel_jobs_complete(text, bigint[]),
    kernel_jobs_fail(text, bigint, text, timestamptz, boolean), kernel_jobs_release(text, bigint[]),
    kernel_jobs_extend(text, bigint[], interval), kernel_jobs_recover(),
    kernel_jobs_enqueue_platform(text, jsonb, text, integer), kernel_jobs_claim_tick(text, timestamptz),
    kernel_jobs_counts(), kernel_jobs_purge(interval, interval)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kernel_jobs_claim(text, text[], integer, interval),
    kernel_jobs_complete(text, bigint[]),
    kernel_jobs_fail(text, bigint, text, timestamptz, boolean), kernel_jobs_release(text, bigint[]),
    kernel_jobs_extend(text, bigint[], interval), kernel_jobs_recover(),
    kernel_jobs_enqueue_platform(text, jsonb, text, integer), kernel_jobs_claim_tick(text, timestamptz),
    kernel_jobs_counts(), kernel_jobs_purge(interval, interval)
    TO fortress_app;
REVOKE EXECUTE ON FUNCTION kernel_jobs_unlock_queues(text, text[]) FROM fortress_app;

#!/usr/bin/env bash
# `make bench`: the benchmark program. Starts a release `fortress serve` on its own database
# and port, loads it with wrk from this machine, and prints the figures recorded in
# docs/benchmarks.md:
#   1. idle RSS of `fortress serve` after start-up and one request per route kind;
#   2. GET /health throughput;
#   3. GET /api/v1/auth/me with a session cookie: throughput and latency;
#   4. POST /api/v1/auth/login throughput, and the p99 of /auth/me while logins run;
#   5. (jobs) no-op jobs through one worker: throughput, and enqueue-to-start latency at
#      2,000 jobs/s (the bench-jobs program, on its own database);
#   6. (sse) 10,000 concurrent SSE streams of one tenant: serve RSS, and the time for one event
#      to reach all of them (the bench-sse program);
#   7. (middleware) p50 latency added by the rate-limit and Idempotency-Key middleware;
#   8. (leads) on 10 tenants x BENCH_LEADS_PER_TENANT leads (bench/leads_dataset.sql): getList
#      of 25 rows with two filters, a sort and the total; getOne; export of one tenant's leads
#      (time, serve RSS growth); import of a 100,000-row CSV through `fortress worker`.
#  10. (projects) the state document of a 500-node tree with wrk (plain and conditional GETs),
#      1,000 node status updates/s with every event followed over SSE, and a 1 GB CSV upload to
#      bronze with the serve RSS sampled meanwhile (the bench-projects program);
#  11. (orchestration) 200 concurrent executions of a 10-state Pass/Choice/Wait(0) flow through
#      one worker: transitions/s and the p50/p99 of one transition (bench-orchestration, on its
#      own database); (sandbox) 1M bronze CSV rows to silver and gold Parquet (bench-sandbox);
#      (discovery) profiling 1M bronze rows in three tables, and the whole offline discovery of
#      them (bench-discovery);
#   9. (faults) Redis hanging and PostgreSQL down under a second `fortress serve` reached through
#      fault-injecting proxies: API-key read latency while Redis hangs, how fast API requests
#      are answered 503 while PostgreSQL is down, recovery times (the bench-faults program).
#  12. (outreach) 100,000 leads enrolled into a campaign at once, the planner rendering and
#      enqueueing a personalised message for each, and 5,000 messages sent by one worker (10 jobs,
#      so 10 SMTP connections at most) to postfix's smtp-sink, and the planner's share of each
#      minute with 1,000 pacing mailboxes (bench-outreach, on its own database; postfix is
#      installed for its smtp-sink when missing);
# The throughput runs use RATE_LIMIT_API=off (one tenant's budget would stop them); section 7
# measures the limiter itself. HTTP_MAX_CONNECTIONS_PER_CLIENT=0: every load generator here
# connects from 127.0.0.1 (10,000 SSE streams would be over the per-client cap).
# Environment: BENCH_DURATION (seconds per run, default 10), BENCH_PORT (default 18080),
# BENCH_SECTIONS (default "http jobs sse middleware leads faults projects orchestration sandbox discovery outreach"), BENCH_LEADS_PER_TENANT (100000),
# BENCH_DB (default fortress_bench; the jobs section uses <BENCH_DB>_jobs).
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

DURATION=${BENCH_DURATION:-10}
PORT=${BENCH_PORT:-18080}
BASE="http://127.0.0.1:$PORT"
DB=${BENCH_DB:-fortress_bench}
SECTIONS=${BENCH_SECTIONS:-http jobs sse middleware leads faults projects orchestration sandbox discovery outreach}
has() { [[ " $SECTIONS " == *" $1 "* ]]; }

bash scripts/services.sh
for tool in wrk curl; do
  command -v "$tool" >/dev/null 2>&1 || { log "installing $tool"; as_root apt-get install -y -qq "$tool" >/dev/null; }
done

# The sandbox child links DuckDB, whose optimised build is long: only when its section runs.
PACKAGES=(-p app -p bench)
if has sandbox || has discovery; then PACKAGES+=(-p sandbox); fi
log "cargo build --release ${PACKAGES[*]}"
cargo build --release -q "${PACKAGES[@]}"
BENCH_BIN_DIR=$(dirname "$FORTRESS_BIN")

psql -h 127.0.0.1 -U postgres -XAtq -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
psql -h 127.0.0.1 -U postgres -XAtq -c "CREATE DATABASE $DB" postgres
export APP_ENV=dev LOG_FORMAT=json RUST_LOG=warn HTTP_ADDR="127.0.0.1:$PORT" PUBLIC_URL="$BASE" \
  DATABASE_URL="postgres://fortress_app@127.0.0.1:5432/$DB?sslmode=disable" \
  DATABASE_OWNER_URL="postgres://postgres@127.0.0.1:5432/$DB" \
  REDIS_PREFIX="bench:$$:" DATABASE_MAX_CONNECTIONS=16 RATE_LIMIT_API=off \
  HTTP_MAX_CONNECTIONS_PER_CLIENT=0 OBJECTS_DIR="/tmp/fortress-bench-objects-$$"
"$FORTRESS_BIN" migrate >/dev/null
"$FORTRESS_BIN" demo >/dev/null

"$FORTRESS_BIN" serve >/tmp/fortress-bench-serve.log 2>&1 &
SERVE_PID=$!
WORKER_PID=
cleanup() {
  kill "$SERVE_PID" $WORKER_PID 2>/dev/null || true
  wait "$SERVE_PID" $WORKER_PID 2>/dev/null || true
  redis-cli --scan --pattern "bench:$$:*" | xargs -r redis-cli del >/dev/null || true
  rm -rf "/tmp/fortress-bench-objects-$$"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fs "$BASE/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "$BASE/ready" >/dev/null || die "fortress serve did not become ready (see /tmp/fortress-bench-serve.log)"
rss_mb() { awk '/VmRSS/ { printf "%.1f MB", $2 / 1024 }' "/proc/$SERVE_PID/status"; }
IDLE_RSS=$(rss_mb)

EMAIL=demo@datafortress.local
PASSWORD=fortress-demo-2026
COOKIE=$(curl -fs -D - -o /dev/null -H "Origin: $BASE" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/auth/login" |
  tr -d '\r' | sed -n 's/^set-cookie: \(__Host-df_access=[^;]*\).*/\1/Ip')
[ -n "$COOKIE" ] || die "login failed"
curl -fs -H "Cookie: $COOKIE" "$BASE/api/v1/auth/me" >/dev/null || die "/auth/me failed"

if has http; then
printf '\n## idle RSS: %s after start-up (and /ready); %s after one sign-in (the password\n' "$IDLE_RSS" "$(rss_mb)"
printf '## hashing threads keep their 19 MiB working memory)\n' 

printf '\n## GET /health (wrk -t2 -c64 -d%ss)\n' "$DURATION"
wrk -t2 -c64 -d"${DURATION}s" "$BASE/health" | grep -E 'Requests/sec|Latency|requests in'

printf '\n## GET /api/v1/auth/me with a session cookie (wrk -t2 -c32 -d%ss --latency)\n' "$DURATION"
wrk -t2 -c32 -d"${DURATION}s" --latency -H "Cookie: $COOKIE" "$BASE/api/v1/auth/me" |
  grep -E 'Requests/sec|Latency |99%|50%|requests in|Non-2xx'

printf '\n## GET /api/v1/auth/me, light load alone (wrk -t1 -c4 -d%ss --latency): the baseline p99\n' "$DURATION"
wrk -t1 -c4 -d"${DURATION}s" --latency -H "Cookie: $COOKIE" "$BASE/api/v1/auth/me" | grep -E 'Requests/sec|99%|50%'

export BENCH_ORIGIN=$BASE BENCH_EMAIL=$EMAIL BENCH_PASSWORD=$PASSWORD
printf '\n## POST /api/v1/auth/login, one at a time (wrk -t1 -c1 -d%ss): the cost of one argon2id sign-in\n' "$DURATION"
wrk -t1 -c1 -d"${DURATION}s" --latency -s bench/login.lua "$BASE/api/v1/auth/login" | grep -E 'Requests/sec|50%|99%|non-200'

printf '\n## POST /api/v1/auth/login alone (wrk -t1 -c8 -d%ss)\n' "$DURATION"
wrk -t1 -c8 -d"${DURATION}s" -s bench/login.lua "$BASE/api/v1/auth/login" | grep -E 'Requests/sec|Latency|non-200'

printf '\n## POST /api/v1/auth/login (wrk -t1 -c8 -d%ss) with the light /auth/me load alongside\n' "$DURATION"
wrk -t1 -c8 -d"${DURATION}s" -s bench/login.lua "$BASE/api/v1/auth/login" >/tmp/fortress-bench-login.txt &
LOGIN_PID=$!
wrk -t1 -c4 -d"${DURATION}s" --latency -H "Cookie: $COOKIE" "$BASE/api/v1/auth/me" >/tmp/fortress-bench-me.txt
wait "$LOGIN_PID"
echo "logins:"
grep -E 'Requests/sec|Latency|non-200' /tmp/fortress-bench-login.txt
echo "/auth/me alongside:"
grep -E 'Requests/sec|99%|50%' /tmp/fortress-bench-me.txt
printf '\n## RSS after the runs: %s\n' "$(rss_mb)"
fi

if has jobs; then
  JOBS_DB=${DB}_jobs
  psql -h 127.0.0.1 -U postgres -XAtq -c "DROP DATABASE IF EXISTS $JOBS_DB WITH (FORCE)" postgres
  psql -h 127.0.0.1 -U postgres -XAtq -c "CREATE DATABASE $JOBS_DB" postgres
  DATABASE_OWNER_URL="postgres://postgres@127.0.0.1:5432/$JOBS_DB" "$FORTRESS_BIN" migrate >/dev/null
  printf '\n## jobs: no-op jobs through one worker (bench-jobs, BENCH_DURATION=%ss at 2,000 jobs/s)\n' "$DURATION"
  BENCH_DURATION=$DURATION "$BENCH_BIN_DIR/bench-jobs" "postgres://postgres@127.0.0.1:5432/$JOBS_DB"
fi

if has orchestration; then
  FLOWS_DB=${DB}_flows
  # At the default JOBS_CONCURRENCY (32) and at 4, what suits two cores; a fresh database each.
  for concurrency in 32 4; do
    psql -h 127.0.0.1 -U postgres -XAtq -c "DROP DATABASE IF EXISTS $FLOWS_DB WITH (FORCE)" postgres
    psql -h 127.0.0.1 -U postgres -XAtq -c "CREATE DATABASE $FLOWS_DB" postgres
    DATABASE_OWNER_URL="postgres://postgres@127.0.0.1:5432/$FLOWS_DB" "$FORTRESS_BIN" migrate >/dev/null
    printf '\n## orchestration: 200 concurrent executions of a 10-state Pass/Choice/Wait(0) flow through one worker, %s jobs at once (bench-orchestration)\n' "$concurrency"
    BENCH_CONCURRENCY=$concurrency "$BENCH_BIN_DIR/bench-orchestration" "postgres://postgres@127.0.0.1:5432/$FLOWS_DB"
  done
fi

if has outreach; then
  OUTREACH_DB=${DB}_outreach
  if ! command -v smtp-sink >/dev/null 2>&1 && [ ! -x /usr/sbin/smtp-sink ]; then
    log "installing postfix (for its smtp-sink)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix >/dev/null
  fi
  SINK_PORT=$((PORT + 7))
  /usr/sbin/smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1000 &
  SINK_PID=$!
  psql -h 127.0.0.1 -U postgres -XAtq -c "DROP DATABASE IF EXISTS $OUTREACH_DB WITH (FORCE)" postgres
  psql -h 127.0.0.1 -U postgres -XAtq -c "CREATE DATABASE $OUTREACH_DB" postgres
  DATABASE_OWNER_URL="postgres://postgres@127.0.0.1:5432/$OUTREACH_DB" "$FORTRESS_BIN" migrate >/dev/null
  printf '\n## outreach: enrollment, render + enqueue, sending to smtp-sink (bench-outreach)\n'
  BENCH_SMTP="127.0.0.1:$SINK_PORT" "$BENCH_BIN_DIR/bench-outreach" "postgres://postgres@127.0.0.1:5432/$OUTREACH_DB"
  kill "$SINK_PID" 2>/dev/null || true
fi

if has sandbox; then
  printf '\n## sandbox: 1M bronze CSV rows to silver and gold Parquet in one run (bench-sandbox)\n'
  SANDBOX_BIN="$BENCH_BIN_DIR/fortress-sandbox" "$BENCH_BIN_DIR/bench-sandbox"
fi

if has discovery; then
  printf '\n## discovery: profiling 1M bronze rows in three tables; the whole offline discovery (bench-discovery)\n'
  SANDBOX_BIN="$BENCH_BIN_DIR/fortress-sandbox" "$BENCH_BIN_DIR/bench-discovery"
fi

if has sse; then
  printf '\n## SSE: 10,000 streams of one tenant on one serve (bench-sse)\n'
  "$BENCH_BIN_DIR/bench-sse" "$BASE" "$COOKIE" "$SERVE_PID"
fi

if has middleware; then
  # A second server with a limit no run reaches, so every request goes through the limiter.
  LIMITED_PORT=$((PORT + 1))
  HTTP_ADDR="127.0.0.1:$LIMITED_PORT" PUBLIC_URL="http://127.0.0.1:$LIMITED_PORT" \
    RATE_LIMIT_API="1000000000/60:1000000000" "$FORTRESS_BIN" serve >/tmp/fortress-bench-limited.log 2>&1 &
  LIMITED_PID=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$LIMITED_PORT/ready" >/dev/null 2>&1 && break; sleep 0.1; done
  p50() { grep -E '^ +50%' | awk '{print $2}'; }
  printf '\n## middleware: p50 of GET /api/v1/auth/me, one connection (wrk -t1 -c1 -d5s --latency), three rounds\n'
  for round in 1 2 3; do
    off=$(wrk -t1 -c1 -d5s --latency -H "Cookie: $COOKIE" "$BASE/api/v1/auth/me" | p50)
    on=$(wrk -t1 -c1 -d5s --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$LIMITED_PORT/api/v1/auth/me" | p50)
    echo "round $round: rate limit off $off, on $on"
  done
  kill "$LIMITED_PID"; wait "$LIMITED_PID" 2>/dev/null || true
  # The middleware alone: a route whose handler does almost nothing (a job that does not
  # exist: 404, no transaction to flush), with and without a new key per request; three
  # rounds each, interleaved, so that a disturbance of the shared machine shows.
  export BENCH_COOKIE=$COOKIE BENCH_ORIGIN=$BASE
  ROUTE="$BASE/api/v1/jobs/999999999/retry"
  printf '\n## middleware: p50 of POST /api/v1/jobs/999999999/retry (404), one connection (wrk -t1 -c1 -d5s --latency), three rounds\n'
  for round in 1 2 3; do
    plain=$(BENCH_IDEMPOTENCY=0 wrk -t1 -c1 -d5s --latency -s bench/keyed_post.lua "$ROUTE" | p50)
    keyed=$(BENCH_IDEMPOTENCY=1 wrk -t1 -c1 -d5s --latency -s bench/keyed_post.lua "$ROUTE" | p50)
    echo "round $round: no Idempotency-Key $plain, a new key per request $keyed"
  done
  printf '\n## middleware: p50 of POST /api/v1/webhook-endpoints (creates, commits), one connection (wrk -t1 -c1 -d5s --latency), three rounds\n'
  export BENCH_BODY='{"url":"https://hooks.example.com/in","event_types":["none"]}'
  for round in 1 2 3; do
    plain=$(BENCH_IDEMPOTENCY=0 wrk -t1 -c1 -d5s --latency -s bench/keyed_post.lua "$BASE/api/v1/webhook-endpoints" | p50)
    keyed=$(BENCH_IDEMPOTENCY=1 wrk -t1 -c1 -d5s --latency -s bench/keyed_post.lua "$BASE/api/v1/webhook-endpoints" | p50)
    echo "round $round: no Idempotency-Key $plain, a new key per request $keyed"
  done
fi

if has leads; then
  PER_TENANT=${BENCH_LEADS_PER_TENANT:-100000}
  printf '\n## leads: dataset of 10 tenants x %s leads (bench/leads_dataset.sql)\n' "$PER_TENANT"
  start=$(date +%s.%N)
  psql -h 127.0.0.1 -U postgres -XAtq -v tenants=10 -v per_tenant="$PER_TENANT" -f bench/leads_dataset.sql "$DB"
  echo "generated in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s"
  LIST="$BASE/api/v1/leads?_start=0&_end=25&_sort=created_at&_order=desc&status=In%20Process&score_gte=50"
  printf '\n## leads: getList, 25 rows, status = In Process and score >= 50, newest first, with X-Total-Count (wrk -t2 -c32 -d%ss --latency)\n' "$DURATION"
  curl -fs -D - -o /dev/null -H "Cookie: $COOKIE" "$LIST" | grep -i '^x-total-count'
  wrk -t2 -c32 -d"${DURATION}s" --latency -H "Cookie: $COOKIE" "$LIST" | grep -E 'Requests/sec|Latency |99%|50%|Non-2xx'
  LEAD_ID=$(psql -h 127.0.0.1 -U postgres -XAtq -c "SELECT l.id FROM leads l JOIN tenants t ON t.id = l.tenant_id WHERE t.slug = 'demo' ORDER BY l.created_at DESC LIMIT 1 OFFSET 500" "$DB")
  printf '\n## leads: getOne (wrk -t2 -c32 -d%ss --latency)\n' "$DURATION"
  wrk -t2 -c32 -d"${DURATION}s" --latency -H "Cookie: $COOKIE" "$BASE/api/v1/leads/$LEAD_ID" | grep -E 'Requests/sec|Latency |99%|50%|Non-2xx'

  printf '\n## leads: export.csv of the demo tenant (every lead), serve RSS sampled every 20 ms\n'
  before=$(awk '/VmRSS/ { print $2 }' "/proc/$SERVE_PID/status")
  ( peak=$before; while kill -0 "$SERVE_PID" 2>/dev/null && [ ! -f /tmp/fortress-bench-export.done ]; do
      now=$(awk '/VmRSS/ { print $2 }' "/proc/$SERVE_PID/status"); [ "$now" -gt "$peak" ] && peak=$now
      echo "$peak" >/tmp/fortress-bench-export.peak; sleep 0.02; done ) &
  SAMPLER=$!
  rm -f /tmp/fortress-bench-export.done
  took=$(curl -fs -o /tmp/fortress-bench-export.csv -w '%{time_total}' -H "Cookie: $COOKIE" "$BASE/api/v1/leads/export.csv")
  touch /tmp/fortress-bench-export.done; wait "$SAMPLER" 2>/dev/null || true
  peak=$(cat /tmp/fortress-bench-export.peak)
  echo "exported $(($(wc -l </tmp/fortress-bench-export.csv) - 1)) rows ($(du -h /tmp/fortress-bench-export.csv | cut -f1)) in $took s; serve RSS $((before / 1024)) MB before, peak $((peak / 1024)) MB (+$(((peak - before) / 1024)) MB)"

  printf '\n## leads: import of a 100,000-row CSV (new leads) through one fortress worker\n'
  awk 'BEGIN { print "First Name,Last Name,Email,Company,Source,Score";
               for (i = 1; i <= 100000; i++) printf "Imp%d,Row%d,import%d@bench-import.example,Importers %d,import,%d\n", i, i, i, i % 300, i % 101 }' \
    >/tmp/fortress-bench-import.csv
  "$FORTRESS_BIN" worker >/tmp/fortress-bench-worker.log 2>&1 &
  WORKER_PID=$!
  start=$(date +%s.%N)
  IMPORT=$(curl -fs -H "Cookie: $COOKIE" -H "Origin: $BASE" -F "file=@/tmp/fortress-bench-import.csv;type=text/csv" \
    -F on_duplicate=skip "$BASE/api/v1/leads/imports")
  IMPORT_ID=$(echo "$IMPORT" | sed -n 's/.*"id":"\([0-9a-f-]*\)".*/\1/p')
  state=queued
  deadline=$((SECONDS + ${BENCH_IMPORT_TIMEOUT:-180}))
  while { [ "$state" = queued ] || [ "$state" = running ]; } && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.2
    state=$(curl -fs -H "Cookie: $COOKIE" "$BASE/api/v1/leads/imports/$IMPORT_ID" | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p')
  done
  [ "$state" = succeeded ] || echo "(gave up waiting after ${BENCH_IMPORT_TIMEOUT:-180} s; rows handled so far below)"
  echo "import $state in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s (upload to the last row): $(curl -fs -H "Cookie: $COOKIE" "$BASE/api/v1/leads/imports/$IMPORT_ID" | grep -o '"processed":[0-9]*,"created":[0-9]*,"updated":[0-9]*,"skipped":[0-9]*,"failed":[0-9]*')"
  kill "$WORKER_PID"; wait "$WORKER_PID" 2>/dev/null || true
  WORKER_PID=
fi

if has faults; then
  printf '\n## faults: Redis and PostgreSQL failing under a running serve (bench-faults)\n'
  BENCH_DURATION=$DURATION "$BENCH_BIN_DIR/bench-faults" "$FORTRESS_BIN" "$DB"
fi

if has projects; then
  printf '\n## projects: the state document of a 500-node tree, node updates over SSE, a 1 GB upload (bench-projects)\n'
  PROJECT_ID=$("$BENCH_BIN_DIR/bench-projects" setup "$BASE" "$COOKIE")
  STATE="$BASE/api/v1/projects/$PROJECT_ID/state"
  ETAG=$(curl -fs -D - -o /dev/null -H "Cookie: $COOKIE" "$STATE" | tr -d '\r' | sed -n 's/^etag: //Ip')
  echo "GET state: $(curl -fs -H "Cookie: $COOKIE" "$STATE" | wc -c) bytes, ETag $ETAG; wrk -t2 -c32 -d${DURATION}s:"
  wrk -t2 -c32 -d"${DURATION}s" --latency -H "Cookie: $COOKIE" "$STATE" | grep -E 'Requests/sec|^ +(50|99)%|Non-2xx'
  echo "conditional GET state (If-None-Match: $ETAG, answered 304); wrk -t2 -c32 -d${DURATION}s:"
  wrk -t2 -c32 -d"${DURATION}s" --latency -H "Cookie: $COOKIE" -H "If-None-Match: $ETAG" "$STATE" |
    grep -E 'Requests/sec|^ +(50|99)%|Non-2xx'
  curl -fs -o /dev/null -w 'conditional GET answers %{http_code}\n' -H "Cookie: $COOKIE" -H "If-None-Match: $ETAG" "$STATE"
  BENCH_DURATION=$DURATION "$BENCH_BIN_DIR/bench-projects" updates "$BASE" "$COOKIE" "$PROJECT_ID"
  "$BENCH_BIN_DIR/bench-projects" upload "$BASE" "$COOKIE" "$PROJECT_ID" "$SERVE_PID"
fi

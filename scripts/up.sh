#!/usr/bin/env bash
# `make up`: brings the whole system up on this machine, and can be run again at any time.
#   1. PostgreSQL, Redis and the build tools (scripts/services.sh);
#   2. the database named by DATABASE_OWNER_URL, created if missing;
#   3. `cargo build --release -p app -p sandbox` (the API, the worker and the DuckDB sandbox), then `fortress migrate` and `fortress demo`;
#   4. the web UI (web/dist: npm ci && npm run build in web/);
#   5. `fortress serve` and `fortress worker` in the background (the previous ones are stopped
#      first), logs in .data/logs/, pid files in .data/run/; waits until /ready answers 200;
#      and `fortress mail-sink` (mail kept in .data/mail/) unless something listens on 2525.
# Configuration comes from the environment, and from ./.env when that file exists.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

READY_WAIT_SECS=${READY_WAIT_SECS:-60}

# Shows a database URL without its password.
redact_url() { printf '%s\n' "$1" | sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#'; }

# Creates the database named in DATABASE_OWNER_URL, connecting to the server's `postgres`
# database as that same owner.
ensure_database() {
  local url=${DATABASE_OWNER_URL:-postgres://postgres@127.0.0.1:5432/fortress}
  local base=${url%%\?*}
  local query=${url#"$base"}
  local db=${base##*/}
  local admin_url="${base%/*}/postgres$query"
  [[ $db =~ ^[A-Za-z0-9_]+$ ]] || die "DATABASE_OWNER_URL must name a database made of letters, digits and _ (got '$db')"
  local found
  found=$(psql "$admin_url" -XAtq -v ON_ERROR_STOP=1 -c "SELECT 1 FROM pg_database WHERE datname = '$db'") ||
    die "cannot connect to PostgreSQL as $(redact_url "$admin_url"); the owner URL needs a superuser that may log in without a password on 127.0.0.1 (trust), or a password in DATABASE_OWNER_URL"
  if [ "$found" != "1" ]; then
    log "creating database $db"
    psql "$admin_url" -Xq -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\""
  fi
}

# --- web UI build -------------------------------------------------------------------------
# web/dist, which `fortress serve` serves at / (WEB_DIST): npm ci && npm run build in web/.
build_web() {
  if ! command -v npm >/dev/null 2>&1; then
    log "installing nodejs and npm from Debian"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  fi
  log "building the web UI (npm ci && npm run build in web/)"
  (cd web && npm ci --no-audit --no-fund && npm run build)
}

start_process() {
  local name=$1
  shift
  printf '\n--- %s fortress %s ---\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$LOG_DIR/$name.log"
  # setsid: the process outlives this script and the terminal that started it.
  nohup setsid "$FORTRESS_BIN" "$@" </dev/null >>"$LOG_DIR/$name.log" 2>&1 &
  echo "$!" >"$RUN_DIR/$name.pid"
  log "started fortress $name (pid $!, log .data/logs/$name.log)"
}

running() { kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

# Shows the end of a process's log, stops whatever was started, and fails.
fail_with_log() {
  printf '\n--- last lines of .data/logs/%s.log ---\n' "$1" >&2
  tail -n 40 "$LOG_DIR/$1.log" >&2 || true
  bash "$ROOT/scripts/down.sh"
  die "$2"
}

# Polls /ready on the address the API listens on until it answers 200.
wait_ready() {
  local addr=${HTTP_ADDR:-127.0.0.1:8080}
  local host=${addr%:*} port=${addr##*:}
  case $host in '' | 0.0.0.0 | '[::]' | '::') host=127.0.0.1 ;; esac
  local url="http://$host:$port/ready" code deadline=$((SECONDS + READY_WAIT_SECS))
  log "waiting for $url"
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)
    [ "$code" = "200" ] && return 0
    running serve || fail_with_log serve "fortress serve exited during start-up"
    if [ "$SECONDS" -ge "$deadline" ]; then
      printf '%s answered %s: %s\n' "$url" "$code" "$(curl -s --max-time 2 "$url" || true)" >&2
      fail_with_log serve "the API was not ready within ${READY_WAIT_SECS}s"
    fi
    sleep 1
  done
}

bash "$ROOT/scripts/services.sh"
load_dotenv
ensure_database

log "cargo build --release -p app -p sandbox (target dir: $CARGO_TARGET_DIR)"
cargo build --release -p app -p sandbox
[ -x "$FORTRESS_BIN" ] || die "the build did not produce $FORTRESS_BIN"

log "fortress migrate"
"$FORTRESS_BIN" migrate
log "fortress demo"
# Quiet logs, so that what is kept to print at the end is the login text itself.
demo_login=$(RUST_LOG=warn "$FORTRESS_BIN" demo)

build_web

bash "$ROOT/scripts/down.sh"
mkdir -p "$LOG_DIR" "$RUN_DIR"
start_process serve serve
start_process worker worker
(exec 3<>/dev/tcp/127.0.0.1/2525) 2>/dev/null || start_process mail-sink mail-sink --addr 127.0.0.1:2525 --dir "$DATA_DIR/mail"
wait_ready
sleep 1
running worker || fail_with_log worker "fortress worker exited during start-up"

public=${PUBLIC_URL:-http://127.0.0.1:8080}
public=${public%/}
cat <<EOF

DataFortress is up.
  UI         $public/
  API docs   $public/docs
  OpenAPI    $public/api/openapi.json
  Health     $public/health
  Ready      $public/ready
  Logs       make logs   (files in .data/logs/)
  Stop       make down   (PostgreSQL and Redis keep running)

Demo login (from fortress demo):
$demo_login
EOF

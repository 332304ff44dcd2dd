#!/usr/bin/env bash
# `make test`: runs every test of the project against real PostgreSQL and Redis.
#   1. PostgreSQL, Redis and the build tools (scripts/services.sh);
#   2. the test tools: Node packages, Debian's chromium and dovecot (an IMAP server the outreach
#      tests start), the Python reference libraries;
#   3. `cargo test --workspace --all-targets` (extra arguments are passed on to it). Tests get
#      the superuser URL: #[sqlx::test] creates a fresh database per test, and the tests derive
#      the runtime role's URL from it;
#   4. web/openapi.json validated as OpenAPI 3.1 by openapi-spec-validator (PyPI), installed in
#      a venv under ~/.cache/datafortress;
#   5. the web UI tests (web/): typecheck, lint, vitest, generated-client check, build, size
#      budget, and the browser test (Debian's chromium, installed when missing).
# Stops at the first failure with a non-zero exit code.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

OPENAPI_VALIDATOR_VERSION=0.9.0
# The reference Standard Webhooks library: our signatures are checked against it.
STANDARDWEBHOOKS_VERSION=1.1.0
# An independent DKIM verifier: the outreach slice's signatures are checked with it.
DKIMPY_VERSION=1.1.8

bash "$ROOT/scripts/services.sh"

# The test environment is fixed on purpose: a developer's .env (runtime-role URLs) is not read.
export DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
export REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379}

# --- Python tools: the OpenAPI 3.1 validator, the Standard Webhooks reference library, dkimpy ---
ensure_python_tools() {
  local bin="$VENV_DIR/bin/openapi-spec-validator"
  if [ "$("$bin" --version 2>/dev/null)" = "openapi-spec-validator $OPENAPI_VALIDATOR_VERSION" ] &&
    "$VENV_DIR/bin/python" -c "import standardwebhooks, dkim" 2>/dev/null; then
    return 0
  fi
  if ! "$VENV_DIR/bin/python" -c '' 2>/dev/null; then
    log "creating the Python venv $VENV_DIR"
    rm -rf "$VENV_DIR"
    python3 -m venv "$VENV_DIR"
  fi
  log "installing openapi-spec-validator $OPENAPI_VALIDATOR_VERSION, standardwebhooks $STANDARDWEBHOOKS_VERSION and dkimpy $DKIMPY_VERSION into $VENV_DIR"
  "$VENV_DIR/bin/python" -m pip install -q --disable-pip-version-check \
    "openapi-spec-validator==$OPENAPI_VALIDATOR_VERSION" "standardwebhooks==$STANDARDWEBHOOKS_VERSION" \
    "dkimpy==$DKIMPY_VERSION"
}

ensure_python_tools
# Tests that call the Python reference libraries must not skip here.
export DATAFORTRESS_REQUIRE_PYTHON_TOOLS=1

NODE_MIN_MAJOR=20
NODE_MIN_MINOR=19

ensure_web_tools() {
  if ! command -v npm >/dev/null 2>&1; then
    log "installing nodejs and npm from Debian"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  fi
  local version major minor
  version=$(node --version)
  IFS=. read -r major minor _ <<<"${version#v}"
  if [ "$major" -lt "$NODE_MIN_MAJOR" ] || { [ "$major" -eq "$NODE_MIN_MAJOR" ] && [ "$minor" -lt "$NODE_MIN_MINOR" ]; }; then
    die "the web UI needs Node.js $NODE_MIN_MAJOR.$NODE_MIN_MINOR or newer (found $version)"
  fi
  if [ ! -x /usr/bin/chromium ]; then
    log "installing chromium from Debian (for the browser test)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
}

# The outreach tests read replies from a real IMAP server: Debian's dovecot, started by each
# test with a throwaway configuration.
ensure_dovecot() {
  [ -x /usr/sbin/dovecot ] && return 0
  log "installing dovecot-imapd from Debian (the outreach tests' IMAP server)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dovecot-imapd
}
ensure_dovecot

# The leads slice runs the stock @refinedev/simple-rest data provider under Node against the
# API (crates/leads/tests/it/simple_rest.rs): Node and its packages are installed first, and
# their absence fails that test instead of skipping it.
ensure_web_tools
(cd crates/leads/tests/simple_rest && npm ci --no-audit --no-fund --loglevel=error)
# The orchestration slice's ASL validator is compared with the reference asl-validator package.
(cd crates/orchestration/tests/asl_validator && npm ci --no-audit --no-fund --loglevel=error)
export DATAFORTRESS_REQUIRE_NODE=1

log "cargo test --workspace --all-targets $* (target dir: $CARGO_TARGET_DIR)"
cargo test --workspace --all-targets "$@"

log "validating web/openapi.json as OpenAPI 3.1"
[ -f web/openapi.json ] || die "web/openapi.json is missing: run 'make openapi' and commit it"
"$VENV_DIR/bin/openapi-spec-validator" --schema 3.1 web/openapi.json

# --- web UI tests ---------------------------------------------------------------------------
# In web/: npm ci, typecheck, lint, the providers' unit tests (vitest), the generated client
# checked against web/openapi.json, the production build and its size budget, then the
# browser test: Debian's chromium, driven by playwright-core, against the fortress binary
# (debug build) with a fresh database (web/e2e/). Screenshots land in web/test-artifacts/.
ensure_web_tools
log "cargo build -p app (the binary the browser test runs)"
cargo build -p app
log "web UI: npm ci, typecheck, lint, unit tests, generated client, build, size, browser test"
(
  cd web
  npm ci --no-audit --no-fund
  npm run typecheck
  npm run lint
  npm test
  npm run gen:check
  npm run build
  npm run size
  FORTRESS_BIN="$CARGO_TARGET_DIR/debug/fortress" npm run e2e
)

log "all tests passed"

#!/usr/bin/env bash
# `make sqlx`: regenerates the offline query cache `.sqlx/` that `sqlx::query!` & co. compile
# against (builds set SQLX_OFFLINE=true in .cargo/config.toml, so they need no database).
# `scripts/sqlx.sh --check` (CI) fails when the committed cache does not match the code and the
# migrations: a changed query, a stale entry, or a migration that changed a query's types.
#   1. PostgreSQL (scripts/services.sh) and sqlx-cli $SQLX_CLI_VERSION (cargo install, once);
#   2. a scratch database `datafortress_sqlx` rebuilt from migrations/;
#   3. `cargo sqlx prepare --workspace [--check] -- --all-targets` against it (without the
#      sandbox crate: it has no SQL, and checking it would compile DuckDB a second time).
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

SQLX_CLI_VERSION=0.8.6
SQLX_DB=${SQLX_DATABASE:-datafortress_sqlx}
PG_ADMIN_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
SQLX_URL="${PG_ADMIN_URL%/*}/$SQLX_DB"

bash "$ROOT/scripts/services.sh" >&2

if [ "$(sqlx --version 2>/dev/null)" != "sqlx-cli $SQLX_CLI_VERSION" ]; then
  log "installing sqlx-cli $SQLX_CLI_VERSION (cargo install, once per machine)"
  cargo install sqlx-cli --version "$SQLX_CLI_VERSION" --locked --quiet \
    --no-default-features --features postgres,rustls
fi

log "rebuilding the scratch database $SQLX_DB from migrations/"
sqlx database drop -y --database-url "$SQLX_URL" >/dev/null
sqlx database create --database-url "$SQLX_URL"
sqlx migrate run --source migrations --database-url "$SQLX_URL" >/dev/null

if [ "${1:-}" = "--check" ]; then
  log "checking .sqlx/ against the code and the migrations"
  DATABASE_URL="$SQLX_URL" cargo sqlx prepare --workspace --check -- --all-targets --workspace --exclude sandbox
else
  DATABASE_URL="$SQLX_URL" cargo sqlx prepare --workspace -- --all-targets --workspace --exclude sandbox
  log ".sqlx/ regenerated: commit it with the change"
fi

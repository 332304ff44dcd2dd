#!/usr/bin/env bash
# docker-compose only: run once by the postgres image when its data volume is new
# (mounted into /docker-entrypoint-initdb.d/). Creates the runtime role `fortress_app` with the
# password from FORTRESS_APP_DB_PASSWORD. The migrations (run by the `migrate` service as the
# owner) grant it what it needs; it owns no table and has no BYPASSRLS.
set -euo pipefail
: "${FORTRESS_APP_DB_PASSWORD:?set FORTRESS_APP_DB_PASSWORD for the postgres service}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$FORTRESS_APP_DB_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE fortress_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fortress_app') \gexec
ALTER ROLE fortress_app WITH LOGIN PASSWORD :'app_password';
SQL

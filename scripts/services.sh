#!/usr/bin/env bash
# Makes this machine ready to build and run DataFortress, and does nothing more than needed:
#   - the Rust toolchain must be there already (it cannot be installed from here);
#   - build and test tools (C compiler, make, pkg-config, curl, python3 venv, psql, redis-cli)
#     are installed from Debian's packages when missing;
#   - PostgreSQL (15+) must answer on 127.0.0.1:5432 and Redis on 127.0.0.1:6379. Running
#     servers are left alone. Otherwise the packages are installed if missing and the servers
#     started: an existing Debian cluster with pg_ctlcluster, else a project-local cluster in
#     .data/pg (trust auth, loopback only); Redis as a daemon without persistence.
# Safe to run any number of times. SERVICES_WAIT_SECS bounds each wait (default 60);
# SERVICES_PG_PORT / SERVICES_REDIS_PORT exist only to try the start-up paths on spare ports.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_HOST=127.0.0.1
PG_PORT=${SERVICES_PG_PORT:-5432}
REDIS_HOST=127.0.0.1
REDIS_PORT=${SERVICES_REDIS_PORT:-6379}
WAIT_SECS=${SERVICES_WAIT_SECS:-60}
PG_MIN_VERSION=15

has() { command -v "$1" >/dev/null 2>&1; }

APT_UPDATED=0
apt_install() {
  [ $# -gt 0 ] || return 0
  has apt-get || die "missing packages: $* (this script installs only with Debian's apt-get; install them by hand)"
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  log "installing: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# Polls "$@" once a second until it succeeds or WAIT_SECS pass.
wait_until() {
  local what=$1 hint=$2
  shift 2
  local deadline=$((SECONDS + WAIT_SECS))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "$what did not become ready within ${WAIT_SECS}s${hint:+ ($hint)}"
    fi
    sleep 1
  done
}

pg_up() { pg_isready -h "$PG_HOST" -p "$PG_PORT" -q -t 2; }
redis_up() { [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

require_rust() {
  has cargo && return 0
  cat >&2 <<'EOF'
error: cargo (the Rust toolchain) was not found on PATH.
  Install Rust with rustup, as described at https://rustup.rs :
      curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y
      . "$HOME/.cargo/env"
  then run this command again. The workspace needs the Rust version named by
  `rust-version` in Cargo.toml or newer (Debian's own `cargo` package is older).
EOF
  exit 1
}

ensure_tools() {
  local missing=()
  has cc || missing+=(build-essential)
  has make || missing+=(make)
  has pkg-config || missing+=(pkg-config)
  has curl || missing+=(curl ca-certificates)
  has python3 || missing+=(python3)
  # `python3 -m venv` needs ensurepip, which Debian ships in python3-venv. An existing project
  # venv is enough on its own.
  if [ ! -x "$VENV_DIR/bin/python" ] && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing+=(python3-venv)
  fi
  { has psql && has pg_isready; } || missing+=(postgresql-client)
  has redis-cli || missing+=(redis-tools)
  apt_install "${missing[@]}"
}

# Prints the bin directory of the newest PostgreSQL server installed from Debian's packages
# (or, failing that, the one on PATH).
pg_server_bindir() {
  local newest
  newest=$(printf '%s\n' /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1)
  if [ -x "$newest" ]; then
    dirname "$newest"
  elif has postgres && has initdb && has pg_ctl; then
    dirname "$(command -v pg_ctl)"
  else
    return 1
  fi
}

# Prints the version of the newest Debian cluster named `main` (ls /etc/postgresql).
debian_cluster_version() {
  local newest
  newest=$(printf '%s\n' /etc/postgresql/*/main/postgresql.conf | sort -V | tail -n 1)
  [ -f "$newest" ] || return 1
  basename "$(dirname "$(dirname "$newest")")"
}

# A cluster that this very run installed is new and empty: let it trust loopback connections,
# as the development machines do, so the passwordless default URLs work. A cluster that was
# already there is never reconfigured.
trust_loopback() {
  local hba="/etc/postgresql/$1/main/pg_hba.conf" tmp
  grep -q 'added by datafortress scripts/services.sh' "$hba" 2>/dev/null && return 0
  log "letting the new PostgreSQL $1 cluster trust connections from 127.0.0.1 and ::1"
  tmp=$(mktemp)
  {
    echo '# added by datafortress scripts/services.sh: trust loopback on this development machine'
    echo 'host all all 127.0.0.1/32 trust'
    echo 'host all all ::1/128 trust'
    as_root cat "$hba"
  } >"$tmp"
  as_root cp "$tmp" "$hba"
  rm -f "$tmp"
}

start_debian_cluster() {
  local ver=$1 installed_now=$2 conf port
  conf="/etc/postgresql/$ver/main/postgresql.conf"
  port=$(sed -n 's/^[[:space:]]*port[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' "$conf" | tail -n 1)
  if [ -n "$port" ] && [ "$port" != "$PG_PORT" ]; then
    warn "the Debian cluster $ver/main is configured for port $port, not $PG_PORT"
  fi
  [ "$installed_now" -eq 1 ] && trust_loopback "$ver"
  if as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main status >/dev/null 2>&1; then
    log "reloading PostgreSQL $ver/main"
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
  else
    log "starting PostgreSQL $ver/main (Debian cluster)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start
  fi
  wait_until "PostgreSQL $ver/main on $PG_HOST:$PG_PORT" "log: /var/log/postgresql/postgresql-$ver-main.log" pg_up
}

start_local_cluster() {
  local bindir=$1 pgdata="$DATA_DIR/pg"
  local -a as_owner=()
  if [ "$(id -u)" -eq 0 ]; then
    # initdb and postgres refuse to run as root: the cluster belongs to the postgres user.
    getent passwd postgres >/dev/null || die "no 'postgres' system user to own the cluster (install Debian's postgresql package)"
    as_owner=(runuser -u postgres --)
    mkdir -p "$pgdata"
    chown postgres:postgres "$pgdata"
    if ! runuser -u postgres -- test -w "$pgdata"; then
      # The clone sits where the postgres user cannot reach (a home directory with mode 700).
      pgdata="$(getent passwd postgres | cut -d: -f6)/datafortress-pg"
      mkdir -p "$pgdata"
      chown postgres:postgres "$pgdata"
    fi
  else
    mkdir -p "$pgdata"
  fi
  chmod 700 "$pgdata"

  if [ ! -f "$pgdata/PG_VERSION" ]; then
    log "creating a project-local PostgreSQL cluster in $pgdata"
    "${as_owner[@]}" "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$pgdata/postgresql.conf" <<EOF

# datafortress (scripts/services.sh): loopback TCP only; no Unix socket to place or permit.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
EOF
  fi
  log "starting the project-local PostgreSQL cluster ($pgdata)"
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t "$WAIT_SECS" start >/dev/null ||
    die "PostgreSQL did not start; see $pgdata/server.log"
  wait_until "PostgreSQL on $PG_HOST:$PG_PORT" "log: $pgdata/server.log" pg_up
}

ensure_postgres() {
  if pg_up; then
    log "PostgreSQL is up on $PG_HOST:$PG_PORT"
    return 0
  fi
  local bindir ver installed_now=0
  if ! bindir=$(pg_server_bindir); then
    apt_install postgresql
    installed_now=1
    bindir=$(pg_server_bindir) || die "PostgreSQL was installed but no server binary was found under /usr/lib/postgresql"
  fi
  ver=$("$bindir/postgres" --version | sed -n 's/^[^0-9]*\([0-9][0-9]*\).*/\1/p')
  if [ -n "$ver" ] && [ "$ver" -lt "$PG_MIN_VERSION" ]; then
    die "PostgreSQL $PG_MIN_VERSION or newer is needed; $bindir has version $ver"
  fi
  if ver=$(debian_cluster_version) && has pg_ctlcluster; then
    start_debian_cluster "$ver" "$installed_now"
  else
    start_local_cluster "$bindir"
  fi
  log "PostgreSQL is up on $PG_HOST:$PG_PORT"
}

ensure_redis() {
  if redis_up; then
    log "Redis is up on $REDIS_HOST:$REDIS_PORT"
    return 0
  fi
  if ! has redis-server; then
    apt_install redis-server
    # The package may have started its own service; then there is nothing left to do.
    if redis_up; then
      log "Redis is up on $REDIS_HOST:$REDIS_PORT"
      return 0
    fi
  fi
  mkdir -p "$DATA_DIR/redis" "$LOG_DIR" "$RUN_DIR"
  log "starting Redis on $REDIS_HOST:$REDIS_PORT (no persistence)"
  redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$DATA_DIR/redis" --logfile "$LOG_DIR/redis.log" --pidfile "$RUN_DIR/redis.pid" ||
    die "redis-server did not start; see $LOG_DIR/redis.log"
  wait_until "Redis on $REDIS_HOST:$REDIS_PORT" "log: $LOG_DIR/redis.log" redis_up
  log "Redis is up on $REDIS_HOST:$REDIS_PORT"
}

require_rust
ensure_tools
ensure_postgres
ensure_redis

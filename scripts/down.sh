#!/usr/bin/env bash
# `make down`: stops the `fortress serve` and `fortress worker` processes that `make up` started
# (found through their pid files in .data/run/). PostgreSQL and Redis are left running.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

STOP_WAIT_SECS=${STOP_WAIT_SECS:-20}

# True when pid is alive and is a fortress process (pid files can outlive their process, and
# pids get reused).
is_fortress() {
  local exe
  [ -r "/proc/$1/cmdline" ] || return 1
  exe=$(tr '\0' '\n' <"/proc/$1/cmdline" | head -n 1)
  [ "$(basename "$exe")" = "fortress" ]
}

stop_process() {
  local name=$1 pidfile="$RUN_DIR/$1.pid" pid deadline
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if [[ $pid =~ ^[0-9]+$ ]] && is_fortress "$pid"; then
    log "stopping fortress $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_WAIT_SECS))
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        warn "fortress $name (pid $pid) did not stop within ${STOP_WAIT_SECS}s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
  fi
  rm -f "$pidfile"
}

stop_process serve
stop_process worker
stop_process mail-sink

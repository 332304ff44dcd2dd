# shellcheck shell=bash
# Shared by the scripts in this folder (sourced, never run): paths, cargo settings, logging.
# shellcheck disable=SC2034 # the variables below are used by the scripts that source this file

# The repository root, whatever directory the script was started from.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT

# Builds live outside the clone so that repeated CI runs in fresh clones reuse them.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/datafortress/target}
# rustup installs cargo here; a non-login shell may not have it on PATH yet.
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi

DATA_DIR="$ROOT/.data"
LOG_DIR="$DATA_DIR/logs"
RUN_DIR="$DATA_DIR/run"
VENV_DIR="$HOME/.cache/datafortress/venv"
FORTRESS_BIN="$CARGO_TARGET_DIR/release/fortress"

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (run as root or install sudo)"
  fi
}

# Loads ./.env (shell syntax: KEY=value lines) into the environment, if the file exists.
load_dotenv() {
  if [ -f "$ROOT/.env" ]; then
    log "loading $ROOT/.env"
    set -a
    # shellcheck disable=SC1091
    . "$ROOT/.env"
    set +a
  fi
}

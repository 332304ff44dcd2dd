#!/usr/bin/env bash
# `make lint` and CI: clippy over the workspace, warnings are errors.
#
# DuckDB (the sandbox child's dependency) is most of a clean build, and cargo builds its C++
# once for `cargo test` and once again for `cargo check`/`clippy`. So the default run checks
# every crate but the sandbox's `fortress-sandbox` child binary, whose DuckDB it leaves out:
#   1. the workspace without the sandbox crate;
#   2. the sandbox crate without its `child` feature (the client the slices use).
# `scripts/lint.sh --child` also lints the child binary (and compiles DuckDB for it).
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

cargo clippy --workspace --exclude sandbox --all-targets -- -D warnings
cargo clippy -p sandbox --no-default-features --all-targets -- -D warnings
if [ "${1:-}" = "--child" ]; then
  cargo clippy -p sandbox --all-targets -- -D warnings
fi

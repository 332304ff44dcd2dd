# DataFortress: the two everyday commands are `make up` and `make test` (see README.md).
# The scripts behind the targets live in scripts/.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Builds go outside the clone, so that fresh clones (and CI) reuse them.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/datafortress/target

# Extra arguments for `make test` (passed to cargo test) or `make bench`.
ARGS ?=

.PHONY: help up down logs test fmt lint sqlx openapi bench

help: ## list the targets
	@echo "DataFortress: make <target>"
	@awk 'BEGIN { FS = ":.*## " } /^[a-z]+:.*## / { printf "  %-8s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

up: ## bring everything up: PostgreSQL, Redis, migrations, demo data, API and worker
	@bash scripts/up.sh

down: ## stop the API and worker started by `make up` (the databases keep running)
	@bash scripts/down.sh

logs: ## follow the API and worker logs (.data/logs/)
	@mkdir -p .data/logs && touch .data/logs/serve.log .data/logs/worker.log
	@tail -n 100 -F .data/logs/serve.log .data/logs/worker.log

test: ## run every test (cargo test, OpenAPI validation); extra cargo args: ARGS='...'
	@bash scripts/test.sh $(ARGS)

fmt: ## format the Rust code
	cargo fmt --all

lint: ## clippy over the workspace, warnings are errors (scripts/lint.sh; ARGS=--child adds the sandbox child)
	@bash scripts/lint.sh $(ARGS)

sqlx: ## regenerate the offline SQL cache .sqlx/ after changing a query or a migration
	@bash scripts/sqlx.sh

openapi: ## regenerate web/openapi.json from the code, and the web UI's typed client from it
	@cargo run -q -p app -- openapi > web/openapi.json.tmp \
		&& mv web/openapi.json.tmp web/openapi.json \
		|| { rm -f web/openapi.json.tmp; exit 1; }
	@echo "web/openapi.json regenerated"
	@cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run -s gen

bench: ## run the benchmark program (scripts/bench.sh; figures in docs/benchmarks.md)
	@if [ -f scripts/bench.sh ]; then bash scripts/bench.sh $(ARGS); \
	else echo "no benchmarks yet: scripts/bench.sh does not exist" >&2; exit 1; fi

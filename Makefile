# aza-pg — two commands on a fresh Debian machine: `make up` and `make test`.
# Every target installs what it needs (apt) and says so; a second run reuses builds and images.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

BUILD      := build/ci
ENGINE_ENV := build/engine.env
BASE_IMAGE ?= debian:trixie-slim
IMAGE_TAG  ?= dev
# Run docker with the engine chosen by scripts/engine.sh (podman's socket where no Docker runs).
DOCKER     := . ./$(ENGINE_ENV) && docker

PRIMARY    := stacks/primary
COMPOSE    := . ./$(ENGINE_ENV) && docker compose --project-directory $(PRIMARY) -f $(PRIMARY)/compose.yml

.PHONY: help up up-replica promote-replica down-replica down logs psql backup backups restore deps build unit test test-cgroup2 engine base image check-secrets measure bench-quick bench bench-sweep bench-report bench-tune \
        format lint clean

help: ## list targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

up: engine image ## build what is missing, start the primary stack, print how to connect
	@. ./$(ENGINE_ENV) && AZA_IMAGE_TAG=$(IMAGE_TAG) scripts/up.sh $(PRIMARY)

REPLICA    := stacks/replica
RCOMPOSE   := . ./$(ENGINE_ENV) && docker compose --project-directory $(REPLICA) -f $(REPLICA)/compose.yml -f $(REPLICA)/compose.local.yml

up-replica: engine image ## start a streaming replica of the local primary (after make up)
	@. ./$(ENGINE_ENV) && scripts/up-replica.sh

promote-replica: engine ## promote the local replica to a primary (it then accepts writes)
	@$(RCOMPOSE) exec replica sh -c 'PGPASSWORD="$$POSTGRES_PASSWORD" psql -U postgres -XtAc "SELECT pg_promote()"'

down-replica: engine ## stop the local replica (its data volume stays)
	@$(RCOMPOSE) down

down: engine ## stop the primary stack (the data volume stays)
	@$(COMPOSE) down

logs: engine ## follow the primary stack's logs
	@$(COMPOSE) logs -f --tail 100

psql: engine ## psql into the primary's application database as the superuser
	@$(COMPOSE) exec postgres sh -c 'PGPASSWORD="$$POSTGRES_PASSWORD" exec psql -U postgres -d "$$POSTGRES_DB"'

backup: engine ## take a backup of the primary now: TYPE=full (default), diff or incr
	@$(COMPOSE) exec postgres aza-pg backup --type $(or $(TYPE),full)

backups: engine ## list the backups in the primary's repository
	@$(COMPOSE) exec postgres aza-pg backups

restore: engine image ## restore into a new volume and start it on 127.0.0.1:5433: TARGET=latest|time:TS|lsn:LSN|xid:XID|name:NAME
	@. ./$(ENGINE_ENV) && scripts/restore.sh $(PRIMARY) "$(or $(TARGET),latest)"

check-secrets: ## fail if anything that looks like a secret is committed
	@scripts/check-secrets.sh

deps: ## install host build dependencies (apt)
	@scripts/deps.sh build

build: deps ## build aza-pg and its tests (Release, warnings are errors)
	@[ -f $(BUILD)/build.ninja ] || cmake --preset ci >/dev/null
	@cmake --build $(BUILD)

unit: build ## unit tests only (no engine, seconds)
	@cd $(BUILD) && ctest -L unit --output-on-failure

test: build engine image ## every test: unit, then containers
	@scripts/deps.sh test
	@cd $(BUILD) && . ../../$(ENGINE_ENV) && AZA_IMAGE_TAG=$(IMAGE_TAG) ctest --output-on-failure

engine: ## make sure a Docker-compatible engine and compose v2 answer (installs podman if none)
	@mkdir -p build && scripts/engine.sh $(ENGINE_ENV)

base: engine ## make the base image available (pull, or debootstrap when no registry answers)
	@. ./$(ENGINE_ENV) && scripts/base-image.sh $(BASE_IMAGE) >build/base-image

IMAGES := postgres pgbouncer exporter

image: base ## build every image of the project (progress by stage, sizes at the end)
	@. ./$(ENGINE_ENV) && scripts/build-images.sh "$$(cat build/base-image)" $(IMAGE_TAG) $(IMAGES)

test-cgroup2: image ## detection on a real cgroup v2 host: a Debian VM under QEMU (about 5-10 min, outside make test)
	@. ./$(ENGINE_ENV) && AZA_IMAGE_TAG=$(IMAGE_TAG) tests/cgroup2/run.sh

measure: image ## image sizes, cold init and warm restart times (medians of 5)
	@. ./$(ENGINE_ENV) && AZA_IMAGE_TAG=$(IMAGE_TAG) scripts/measure.sh 5

bench-quick: build image ## benchmark: aza-pg vs defaults, PGTune, timescaledb-tune at 2 GiB / 2 CPUs, smaller data (~11 min)
	@scripts/deps.sh test
	@. ./$(ENGINE_ENV) && AZA_IMAGE_TAG=$(IMAGE_TAG) bench/run.sh quick

bench: build image ## the whole benchmark: 1-8 GiB x 2 and 1 CPUs, grid search, 5 rounds (hours)
	@scripts/deps.sh test
	@. ./$(ENGINE_ENV) && AZA_IMAGE_TAG=$(IMAGE_TAG) bench/run.sh full

bench-sweep: image ## one workload under several settings, e.g. ARGS='btree stock "aza maintenance_work_mem=64MB"'
	@. ./$(ENGINE_ENV) && AZA_IMAGE_TAG=$(IMAGE_TAG) bench/sweep.sh $(ARGS)

bench-report: build ## regenerate bench/REPORT.md and its plot from bench/report-data (or DIR=...)
	@bench/report.sh $(or $(DIR),bench/report-data)

bench-tune: build ## detect/tune micro-benchmarks and the whole `aza-pg tune` process time
	@$(BUILD)/bench/tune_bench

format: ## clang-format every C++ file in place
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

lint: build ## formatting check, clang-tidy (.clang-tidy's checks, warnings are errors), shellcheck
	@scripts/deps.sh lint
	@git ls-files '*.cc' '*.h' | xargs clang-format --dry-run -Werror
	@command -v run-clang-tidy >/dev/null
	@run-clang-tidy -p $(BUILD) -j $$(nproc) -quiet '^$(CURDIR)/src/.*\.cc$$' >build/clang-tidy.log 2>&1 || true
	@! grep -E '(warning|error): ' build/clang-tidy.log
	@git ls-files '*.sh' .ci/run | xargs shellcheck

clean: ## remove build trees (images stay)
	@rm -rf build

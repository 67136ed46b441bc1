# mailseal: the only commands people and CI need.
#
#   make demo   set-up if missing, build the package, serve www/ on http://127.0.0.1:8080
#   make test   set-up if missing, lint, native + wasm tests, build the package, JS tests
#   make pkg    build the npm package into pkg/dist/ (release wasm + wasm-bindgen per target;
#               the full build and the one-standard builds "mailseal/smime", "mailseal/openpgp")
#   make bench  build the package, then time it next to OpenPGP.js, PKI.js, node-forge, openssl, gpg
#               in Node and in headless Chromium (make bench-browser: the Chromium side only)
#   make fuzz   coverage-guided fuzzing (libFuzzer, stable toolchain) of open, import, MIME, CMS,
#               OpenPGP and the vault: FUZZ_SECONDS per target (default 600), FUZZ_TARGETS to pick
#   make setup  install what is missing (rustup target, wasm-bindgen-cli, npm and apt packages)
#
# The steps of `make test` are targets too (lint-shape, lint-fmt, lint-deny, lint-clippy,
# lint-clippy-wasm, test-native, test-clock-ahead, test-wasm, pkg-build, test-types, test-js,
# test-worker, test-www, test-fuzz); they do not run set-up.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PATH := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

WASM_TARGET := wasm32-unknown-unknown
TARGET_DIR  := $(or $(CARGO_TARGET_DIR),target)
WASM        := $(TARGET_DIR)/$(WASM_TARGET)/release/mailseal.wasm
DIST        := pkg/dist
# Strip the debugging `name` section from the published .wasm: it only holds function names
# for stack traces (no behaviour depends on it) and is a large share of the file.
BINDGEN_FLAGS := --remove-name-section --remove-producers-section --out-name mailseal
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: help setup pkg pkg-build bench bench-browser bench-deps demo demo-keys serve test \
        lint-shape lint-fmt lint-clippy lint-clippy-wasm lint-clippy-build lint-clippy-wasm-build test-native test-clock-ahead test-wasm test-js test-types test-worker test-www pkg-built clean \
        fuzz test-fuzz lint-deny

help:
	@sed -n 's/^#   make /  make /p' Makefile

setup:
	@bash scripts/setup.sh

# ---- package ------------------------------------------------------------------------------

pkg: setup
	@$(MAKE) --no-print-directory pkg-build

# $(call build,CARGO FEATURE ARGS,OUT): one release build, then its web and Node.js glue, made
# able to start a new instance after a trap (scripts/recoverable-glue.mjs, pkg/recover.mjs).
# Every build writes the same mailseal.wasm, so wasm-bindgen runs right after its own.
# A compiler warning fails it: the lint steps check the full build only, and code that only
# one standard uses shows up as dead code in the other standard's build.
define build
	@mkdir -p $(TARGET_DIR)
	cargo build --release --target $(WASM_TARGET) --lib $(1) 2>&1 | tee $(TARGET_DIR)/pkg-build.out
	@! grep -qE '^warning: .+ generated [0-9]+ warnings?' $(TARGET_DIR)/pkg-build.out || \
		{ echo "pkg: the warnings above fail the build" >&2; exit 1; }
	wasm-bindgen $(BINDGEN_FLAGS) --target web --out-dir $(2)/web $(WASM)
	wasm-bindgen $(BINDGEN_FLAGS) --target experimental-nodejs-module --out-dir $(2)/node $(WASM)
	node scripts/recoverable-glue.mjs $(2)/web $(2)/node
	@node scripts/size.mjs $(2)/web
endef

# The full build (entry "mailseal") and the one-standard builds of the same API for pages that
# use one standard only ("mailseal/smime", "mailseal/openpgp": pkg/smime/, pkg/openpgp/). All
# in the same target dir, so dependencies whose features agree are built once: the OpenPGP
# build shares all of the full build's (feature `_share-full-build`, Cargo.toml); the S/MIME
# build compiles most of its own (pgp's dependencies turn on other features in shared crates).
# Cargo keeps one fingerprint for the crate itself, so each build relinks it (~20-30 s each)
# even when nothing changed. The full build goes last and leaves its .wasm in target/.
pkg-build:
	rm -rf $(DIST)
	$(call build,--no-default-features --features smime,$(DIST)/smime)
	$(call build,--no-default-features --features 'openpgp _share-full-build',$(DIST)/openpgp)
	$(call build,,$(DIST))

# ---- fuzzing ------------------------------------------------------------------------------

# Long runs (SECURITY.md records CPU time and findings); the corpus grows in target/fuzz/corpus/.
fuzz: setup
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),600) bash scripts/fuzz.sh run $(FUZZ_TARGETS)

# The smoke run of `make test`: every kept crash input (fuzz/regressions/) again, then a short run.
test-fuzz:
	bash scripts/fuzz.sh smoke

# ---- benchmark (not part of `make test`) ----------------------------------------------------

# BENCH_ARGS=--quick for a smoke run (1 KiB + 1 MiB, small N); the default is the full run.
# BENCH_RUNS independent runs (default 3) are combined cell by cell (median of the run
# medians), the harness's honest way to quote figures on a noisy 2-core machine. Each run
# times Node (benches/peers) and then headless Chromium (benches/browser: the same adapters in a
# Web Worker); BENCH_ARGS goes to both. BENCH_WEB is the web build the Chromium side loads (a
# copy elsewhere keeps a run apart from a concurrent `make pkg`). Then peak memory with 10 MiB
# (benches/memory.mjs), the work budget on the worst hostile inputs (benches/hostile.mjs), the Worker in a local workerd (benches/workerd: CPU per request, cold
# start), and benches/RESULTS.md.
BENCH_ARGS ?=
BENCH_RUNS ?= 3
BENCH_WEB  ?= pkg/dist/web
BENCH_OUT  := results-mailseal
BENCH_IDLE := PEERBENCH_MAX_IDLE_WAIT_S=$${PEERBENCH_MAX_IDLE_WAIT_S:-20}
# Run $$i of each side, in benches/peers.
BENCH_NODE     = $(BENCH_IDLE) node --expose-gc bench.mjs $(BENCH_ARGS) --adapter ./adapters/mailseal.mjs --out $(BENCH_OUT)-run$$i
BENCH_CHROMIUM = $(BENCH_IDLE) node ../browser/bench.mjs $(BENCH_ARGS) --mailseal $(abspath $(BENCH_WEB)) --out $(BENCH_OUT)-chromium-run$$i
# $(call bench-combine,PREFIX): the BENCH_RUNS runs PREFIX-runN.json into PREFIX.json and PREFIX.md.
bench-combine = cd benches/peers && node bench.mjs $(foreach i,$(shell seq $(BENCH_RUNS)),--combine $(1)-run$(i).json) --out $(1)

bench: pkg bench-deps
	cd benches/peers && for i in $$(seq $(BENCH_RUNS)); do { $(BENCH_NODE) && $(BENCH_CHROMIUM); } || exit 1; done
	$(call bench-combine,$(BENCH_OUT))
	$(call bench-combine,$(BENCH_OUT)-chromium)
	node benches/memory.mjs
	node benches/hostile.mjs
	node benches/workerd/bench.mjs
	node benches/write-results.mjs $(if $(filter --quick,$(BENCH_ARGS)),quick,full) $(BENCH_RUNS) $(BENCH_OUT) $(BENCH_OUT)-chromium

# The Chromium side only, on the package as built (make pkg): benches/peers/results-mailseal-chromium.md
# (and .json); RESULTS.md is left as it is.
bench-browser: bench-deps
	cd benches/peers && for i in $$(seq $(BENCH_RUNS)); do $(BENCH_CHROMIUM) || exit 1; done
	$(call bench-combine,$(BENCH_OUT)-chromium)

bench-deps:
	cd benches/peers && npm ci --no-audit --no-fund
	cd benches/peers && { [ -e keys/x509/rsa2048.crt ] || ./gen-keys.sh; }
	cd benches/browser && npm ci --no-audit --no-fund
	cd worker && npm ci --no-audit --no-fund

# ---- demo ---------------------------------------------------------------------------------

demo: pkg
	@$(MAKE) --no-print-directory demo-keys
	@$(MAKE) --no-print-directory serve

# The demo page's keys (two agents, two customers, both standards, from the committed
# fixtures) and its incoming mail, written by the built package: www/demo-keys/, www/demo-messages/.
demo-keys:
	@node scripts/demo-keys.mjs

serve:
	node scripts/serve.mjs --host $(HOST) --port $(PORT)

# ---- tests --------------------------------------------------------------------------------

test: setup
	@bash scripts/test.sh

# The codebase's shape (issue 17): files, functions, module cycles, address handling outside the
# Address type, blocks repeated between the engines, README's layout. --strict: every violation
# fails (the debt of issue 17 is paid; scripts/shape-baseline.json, the ratchet that tracked it,
# is empty). Its own unit tests first.
lint-shape:
	node --test --test-reporter=spec scripts/check-shape.test.mjs
	node scripts/check-shape.mjs --strict

lint-fmt:
	cargo fmt --all --check
	cargo fmt --manifest-path fuzz/Cargo.toml --check

# Licences, bans and sources of every crate built (deny.toml). Advisories need GitHub's
# RustSec database, which CI cannot reach.
lint-deny:
	cargo deny check licenses bans sources

# The plain clippy commands, for people. `make test` gets the same lints from its test builds
# (lint-clippy-build, lint-clippy-wasm-build below).
lint-clippy:
	cargo clippy --workspace --all-targets -- -D warnings

lint-clippy-wasm:
	cargo clippy --lib --target $(WASM_TARGET) -- -D warnings

# `cargo clippy` is `cargo check` with clippy-driver as the rustc wrapper of the workspace's own
# crates (RUSTC_WORKSPACE_WRAPPER). `make test` builds its tests the same way, so one compilation
# both lints and tests: a separate `cargo clippy` would compile every dependency once more in
# check mode, natively and for wasm32, which on 2 cores is most of CI's time. Lints stay warnings
# in that build so the tests still run; the lint step then fails on any warning (-D warnings).
WITH_CLIPPY = RUSTC_WORKSPACE_WRAPPER="$$(rustup which clippy-driver)" CLIPPY_ARGS=
# $(call no-warnings,LOG): fail if cargo reported warnings for a workspace crate.
no-warnings = ! grep -qE '^warning: .+ generated [0-9]+ warnings?' $(1) || \
	{ echo "clippy: the warnings above fail the lint (-D warnings)" >&2; exit 1; }

lint-clippy-build:
	@mkdir -p $(TARGET_DIR)
	$(WITH_CLIPPY) cargo test --workspace --all-targets --no-run 2>&1 | tee $(TARGET_DIR)/clippy-native.out
	@$(call no-warnings,$(TARGET_DIR)/clippy-native.out)

test-native:
	$(WITH_CLIPPY) cargo test --workspace --no-fail-fast

# The live-tool interop and CLI tests again with the clock moved ahead (faketime), so a test
# that judges tool-made keys or certificates at a fixed clock fails before its date comes.
# Same build flags as test-native, so nothing is rebuilt.
test-clock-ahead:
	$(WITH_CLIPPY) bash scripts/test-clock-ahead.sh

# The integration tests that also run as wasm in Node (wasm-bindgen-test-runner): they embed
# their fixtures (include_dir) instead of reading files. Tests that drive openssl/gpg are
# native only.
WASM_TESTS := keyring mime openpgp open_openpgp smime flow group_defaults open_mime_samples spoofing impostor
WASM_TEST_ARGS := --target $(WASM_TARGET) $(addprefix --test ,$(WASM_TESTS))
WASM_RUNNER := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	WASM_BINDGEN_TEST_TIMEOUT=$${WASM_BINDGEN_TEST_TIMEOUT:-300}

# Lints the library as compiled for wasm32 (what `cargo clippy --lib --target wasm32...` checks)
# and the wasm test files, in the build test-wasm then runs.
lint-clippy-wasm-build:
	@mkdir -p $(TARGET_DIR)
	$(WITH_CLIPPY) cargo test $(WASM_TEST_ARGS) --no-run 2>&1 | tee $(TARGET_DIR)/clippy-wasm.out
	@$(call no-warnings,$(TARGET_DIR)/clippy-wasm.out)

test-wasm:
	$(WITH_CLIPPY) $(WASM_RUNNER) cargo test --no-fail-fast $(WASM_TEST_ARGS)

# JS tests import the built package by name (tests/js/package.json: "mailseal": "file:../../pkg"),
# so run `make pkg` (or pkg-build) first.
test-js: pkg-built
	node scripts/demo-keys.mjs --quiet
	cd tests/js && node --test --test-reporter=spec

# Typecheck the generated .d.ts as a TypeScript user sees it (import "mailseal"), and the demo
# page's and the Worker's calls into the package (www/*.mjs, worker/src/*.mjs with checkJs; the
# Worker against @cloudflare/workers-types from worker/node_modules).
test-types: pkg-built
	cd tests/js && node node_modules/typescript/bin/tsc -p types/tsconfig.json
	@echo "test-types: mailseal.d.ts typechecks"
	cd tests/js && node node_modules/typescript/bin/tsc -p types/www.tsconfig.json
	@echo "test-types: the demo page (www/*.mjs, checkJs) uses the package API as typed"
	@test -d worker/node_modules/@cloudflare/workers-types || { echo "worker: run make setup (npm ci)" >&2; exit 1; }
	cd tests/js && node node_modules/typescript/bin/tsc -p types/worker.tsconfig.json
	@echo "test-types: the Worker (worker/src/*.mjs, checkJs) uses the package and Workers APIs as typed"

# End-to-end tests of the demo page (www/) in headless Debian chromium through playwright-core
# (tests/browser, no network, no browser download). Screenshots: target/test-artifacts/.
# lookup.test.mjs and ocsp.test.mjs also run the Worker (worker/node_modules: bundled by wrangler,
# Miniflare) and a loopback key / CRL server over gpg- and openssl-made data, and `openssl ocsp`.
test-www: pkg-built
	@test -d tests/browser/node_modules/playwright-core || { echo "tests/browser: run make setup" >&2; exit 1; }
	node scripts/demo-keys.mjs --quiet
	cd tests/browser && node --test --test-reporter=spec

# The Cloudflare worker (worker/) bundled by `wrangler deploy --dry-run` and run in workerd by
# Miniflare: no network (metrics and cf fetch off). Needs the built package (make pkg).
test-worker: pkg-built
	cd worker && rm -rf .wrangler/test-bundle && mkdir -p .wrangler/test-bundle && \
	export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false \
		MAILSEAL_WORKER_BUNDLE=$$PWD/.wrangler/test-bundle && \
	node test/harness.mjs bundle $$MAILSEAL_WORKER_BUNDLE && \
	node --test --test-reporter=spec --test-concurrency=1 test/*.test.mjs

pkg-built:
	@for d in $(DIST) $(DIST)/smime $(DIST)/openpgp; do \
		if [ ! -f $$d/node/mailseal_bg.wasm ] || [ ! -f $$d/web/mailseal_bg.wasm ]; then \
			echo "the package is not built ($$d): run make pkg" >&2; exit 1; fi; done

clean:
	rm -rf $(DIST) www/demo-keys www/demo-messages target/test-logs target/test-artifacts

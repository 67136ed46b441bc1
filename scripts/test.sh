#!/usr/bin/env bash
# Runs every check of `make test` as a named step, keeps going after a failure so that one run
# shows everything that is wrong, and ends with a summary table and one closing line:
#
#   tests: N passed, N failed
#
# counted from the cargo and node test runners' own result lines. Each step's full output is
# also kept in target/test-logs/STEP.log.
#
# Set-up (scripts/setup.sh) is expected to have run already (`make test` does it first).
# FAIL_FAST=1 stops at the first failing step. STEPS="lint-fmt test-js" runs only those steps.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

MAKE="${MAKE:-make}"
LOGDIR="target/test-logs"
mkdir -p "$LOGDIR"

# step name | make target | what it does
ALL_STEPS=(
    "lint-shape|lint-shape|shape (issue 17): file and function sizes, module cycles, address handling, engine duplicates, README layout; no new debt"
    "lint-fmt|lint-fmt|cargo fmt --check"
    "lint-deny|lint-deny|cargo deny: licences, bans and sources of every dependency (deny.toml)"
    "lint-clippy|lint-clippy-build|native test build under clippy (all targets), no warnings"
    "test-native|test-native|cargo test (native)"
    "test-clock-ahead|test-clock-ahead|the live openssl/gpg interop and CLI tests with the clock 400 days ahead (faketime)"
    "lint-clippy-wasm|lint-clippy-wasm-build|wasm32 test build under clippy (lib + wasm tests), no warnings"
    "test-wasm|test-wasm|the wasm tests in Node (wasm-bindgen-test-runner)"
    "pkg|pkg-build|release wasm (full, S/MIME-only, OpenPGP-only) + wasm-bindgen into pkg/dist/"
    "test-types|test-types|tsc: the package's .d.ts as users import it"
    "test-js|test-js|node --test tests/js against the built package"
    "test-worker|test-worker|the Cloudflare worker in workerd (Miniflare), output opened by openssl/gpg"
    "test-www|test-www|playwright-core + chromium: the demo page end to end, the package in a Web Worker (tests/browser)"
    "test-fuzz|test-fuzz|libFuzzer smoke (fuzz/): kept regressions, then 15 s per target from the fixtures"
)

wanted() {
    [ -z "${STEPS:-}" ] && return 0
    local s
    for s in $STEPS; do [ "$s" = "$1" ] && return 0; done
    return 1
}

# Sum the counts that the test runners print in a log: cargo's
# "test result: ok. 3 passed; 0 failed; 1 ignored; ..." and node's "ℹ pass 3" / "# pass 3".
count_tests() {
    awk '
        /^test result: / {
            for (i = 1; i <= NF; i++) {
                if ($(i+1) ~ /^passed/) p += $i
                if ($(i+1) ~ /^failed/) f += $i
                if ($(i+1) ~ /^ignored/) s += $i
            }
        }
        /^(ℹ|#) pass [0-9]+$/    { p += $3 }
        /^(ℹ|#) fail [0-9]+$/    { f += $3 }
        /^(ℹ|#) skipped [0-9]+$/ { s += $3 }
        /^(ℹ|#) todo [0-9]+$/    { s += $3 }
        END { printf "%d %d %d\n", p, f, s }' "$1"
}

# CPU seconds (user + sys) used by finished child processes so far, from bash's `times`
# (which must run in this shell, not in a $(...) subshell).
TIMES_FILE="$LOGDIR/.times"
child_cpu() {
    times >"$TIMES_FILE"
    awk 'NR == 2 {
        for (i = 1; i <= 2; i++) { split($i, ms, "m"); sub("s", "", ms[2]); s += ms[1] * 60 + ms[2] }
        printf "%d\n", s }' "$TIMES_FILE"
}

results=()
total_pass=0
total_fail=0
total_skip=0
failed_steps=0
passed_steps=0
start_all=$SECONDS

for entry in "${ALL_STEPS[@]}"; do
    IFS='|' read -r name target what <<<"$entry"
    wanted "$name" || continue
    log="$LOGDIR/$name.log"
    printf '\n==> %s: %s\n' "$name" "$what"
    t0=$SECONDS
    child_cpu >"$TIMES_FILE.c0"
    "$MAKE" --no-print-directory "$target" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    dt=$((SECONDS - t0))
    # A step that turns /dev/null into a file breaks every later cargo run in odd ways: name it.
    if [ ! -c /dev/null ]; then
        printf 'test.sh: step %s left /dev/null as a plain file; recreating it\n' "$name" >&2
        bash scripts/fix-dev-null.sh
    fi
    child_cpu >"$TIMES_FILE.c1"
    cpu=$(($(cat "$TIMES_FILE.c1") - $(cat "$TIMES_FILE.c0")))
    read -r p f s < <(count_tests "$log")
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    total_skip=$((total_skip + s))
    if [ "$p" -gt 0 ] || [ "$f" -gt 0 ]; then counts="$p passed, $f failed, $s skipped"; else counts=""; fi
    if [ "$rc" -eq 0 ]; then
        status=PASS
        passed_steps=$((passed_steps + 1))
    else
        status=FAIL
        failed_steps=$((failed_steps + 1))
    fi
    results+=("$(printf '%-18s %-4s %5ss %6ss  %s' "$name" "$status" "$dt" "$cpu" "$counts")")
    if [ "$status" = FAIL ] && [ "${FAIL_FAST:-0}" = 1 ]; then
        break
    fi
done

printf '\n==================== make test summary ====================\n'
printf '%-18s %-4s %6s %7s  %s\n' step res wall cpu tests
for line in "${results[@]}"; do printf '%s\n' "$line"; done
printf -- '-----------------------------------------------------------\n'
child_cpu >"$TIMES_FILE.c1"
printf 'total %ss wall, %ss cpu; logs in %s/\n' "$((SECONDS - start_all))" "$(cat "$TIMES_FILE.c1")" "$LOGDIR"
if [ "$failed_steps" -gt 0 ]; then
    printf 'FAILED: %d of %d steps failed\n' "$failed_steps" "$((passed_steps + failed_steps))"
else
    printf 'OK: all %d steps passed\n' "$passed_steps"
fi
printf 'steps: %d passed, %d failed\n' "$passed_steps" "$failed_steps"
printf 'tests: %d passed, %d failed, %d skipped\n' "$total_pass" "$total_fail" "$total_skip"

[ "$failed_steps" -eq 0 ] && [ "$passed_steps" -gt 0 ]

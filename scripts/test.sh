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
    "lint-fmt|lint-fmt|cargo fmt --check"
    "lint-clippy|lint-clippy|cargo clippy --all-targets (native) -D warnings"
    "lint-clippy-wasm|lint-clippy-wasm|cargo clippy --lib (wasm32) -D warnings"
    "test-native|test-native|cargo test (native)"
    "test-wasm|test-wasm|cargo test (wasm32) in Node (wasm-bindgen-test)"
    "pkg|pkg-build|release wasm + wasm-bindgen into pkg/dist/"
    "test-types|test-types|tsc: the package's .d.ts as users import it"
    "test-js|test-js|node --test tests/js against the built package"
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
    "$MAKE" --no-print-directory "$target" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    dt=$((SECONDS - t0))
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
    results+=("$(printf '%-18s %-4s %5ss  %s' "$name" "$status" "$dt" "$counts")")
    if [ "$status" = FAIL ] && [ "${FAIL_FAST:-0}" = 1 ]; then
        break
    fi
done

printf '\n==================== make test summary ====================\n'
printf '%-18s %-4s %6s  %s\n' step res time tests
for line in "${results[@]}"; do printf '%s\n' "$line"; done
printf -- '-----------------------------------------------------------\n'
printf 'total time %ss; logs in %s/\n' "$((SECONDS - start_all))" "$LOGDIR"
if [ "$failed_steps" -gt 0 ]; then
    printf 'FAILED: %d of %d steps failed\n' "$failed_steps" "$((passed_steps + failed_steps))"
else
    printf 'OK: all %d steps passed\n' "$passed_steps"
fi
printf 'steps: %d passed, %d failed\n' "$passed_steps" "$failed_steps"
printf 'tests: %d passed, %d failed, %d skipped\n' "$total_pass" "$total_fail" "$total_skip"

[ "$failed_steps" -eq 0 ] && [ "$passed_steps" -gt 0 ]

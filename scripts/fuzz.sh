#!/usr/bin/env bash
# Coverage-guided fuzzing of the fuzz/ targets with libFuzzer, on the stable toolchain.
#
#   scripts/fuzz.sh smoke        every target: its kept regressions (fuzz/regressions/T) once,
#                                then FUZZ_SMOKE_SECONDS (default 15) of fuzzing from the seeds
#   scripts/fuzz.sh run [T ...]  long runs (`make fuzz`): FUZZ_SECONDS (default 600) per target,
#                                all targets unless named; the corpus grows in target/fuzz/corpus/T
#
# Instrumentation is what cargo-fuzz sets up without a sanitizer (no nightly): rustc's
# SanitizerCoverage pass with libFuzzer's counters, pc table and comparison tracing, plus
# `--cfg fuzzing`, debug assertions and overflow checks. Seeds come from tests/data (by what each
# target reads); the vault target writes its own. A crash leaves its input in target/fuzz/artifacts/T/: keep it
# in fuzz/regressions/T/ (the smoke replays it) and record it in SECURITY.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

TARGETS=(open import mime cms openpgp network vault team)
HOST="$(rustc -vV | sed -n 's/^host: //p')"
OUT="$ROOT/target/fuzz"
BIN="$OUT/$HOST/release"

build() {
    local flags=(
        -Cpasses=sancov-module
        -Cllvm-args=-sanitizer-coverage-level=4
        -Cllvm-args=-sanitizer-coverage-inline-8bit-counters
        -Cllvm-args=-sanitizer-coverage-pc-table
        -Cllvm-args=-sanitizer-coverage-trace-compares
        --cfg fuzzing
    )
    # --target keeps the flags off build scripts and proc-macros (as cargo-fuzz does).
    RUSTFLAGS="${flags[*]}" CARGO_TARGET_DIR="$OUT" \
        cargo build --release --locked --manifest-path fuzz/Cargo.toml --target "$HOST" --bins
}

# seeds T DIR: copy the fixtures target T reads into DIR.
seeds() {
    local dir="$2"
    mkdir -p "$dir"
    local patterns=()
    case "$1" in
        open | mime) patterns=("*.eml") ;;
        import) patterns=("*.crt" "*.pem" "*.der" "*.key" "*.p12" "*.p7b" "*.asc" "*.gpg") ;;
        cms) patterns=("*.p7m" "*.der" "*.p7b") ;;
        openpgp) patterns=("*.asc" "*.gpg" "*.sig") ;;
        # Lookup and refresh answers are keys; CRLs have no committed fixture (the first byte
        # picks the reader, so every seed reaches each one).
        network) patterns=("*.asc" "*.gpg" "*.crt") ;;
        vault) MAILSEAL_FUZZ_SEEDS="$dir" "$BIN/vault" >/dev/null 2>&1; return ;;
        team) MAILSEAL_FUZZ_SEEDS="$dir" "$BIN/team" >/dev/null 2>&1; return ;;
    esac
    local p
    # Fixtures of the same name in two folders (tests/data/openpgpjs and sequoia) are both kept.
    for p in "${patterns[@]}"; do
        find tests/data -name "$p" -size -256k -exec cp --backup=numbered -t "$dir" {} +
    done
    # CMS payloads out of the S/MIME fixtures (the base64 body of each .eml), for the cms target
    if [ "$1" = cms ]; then
        local eml
        for eml in tests/data/smime/*.eml; do
            awk 'body { print } /^\r?$/ { body = 1 }' "$eml" | base64 -di >"$dir/$(basename "$eml" .eml).p7m" 2>/dev/null || true
        done
    fi
}

# fuzz T SECONDS: fuzz T for SECONDS from its corpus and seeds; print its summary line.
fuzz() {
    local t="$1" seconds="$2"
    local corpus="$OUT/corpus/$t" seeddir="$OUT/seeds/$t" artifacts="$OUT/artifacts/$t"
    mkdir -p "$corpus" "$artifacts"
    rm -rf "$seeddir"
    seeds "$t" "$seeddir"
    local log="$OUT/logs/$t.log"
    mkdir -p "$OUT/logs"
    # -rss_limit_mb: a little over the library's own bounds (256 MiB KDF ceiling, 64 MiB output)
    "$BIN/$t" "$corpus" "$seeddir" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=1536 \
        -max_len=262144 -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 || {
        echo "fuzz: $t found a crash (log: $log, input in $artifacts/):" >&2
        grep -E "ERROR|panicked|SUMMARY" "$log" | head -5 >&2
        return 1
    }
    local execs
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
    echo "fuzz: $t ${seconds}s, ${execs:-?} inputs, corpus $(find "$corpus" -type f | wc -l) files, no crash"
}

# replay T: run every kept regression input of T once.
replay() {
    local t="$1" dir="fuzz/regressions/$1"
    [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] || return 0
    "$BIN/$t" -runs=1 "$dir"/* >"$OUT/logs/$t-regressions.log" 2>&1 || {
        echo "fuzz: a kept regression of $t fails again (log: $OUT/logs/$t-regressions.log)" >&2
        return 1
    }
    echo "fuzz: $t regressions ($(ls "$dir" | wc -l)) pass"
}

mode="${1:-smoke}"
shift || true
build
mkdir -p "$OUT/logs"
failed=0
case "$mode" in
    smoke)
        for t in "${TARGETS[@]}"; do
            replay "$t" || failed=1
            fuzz "$t" "${FUZZ_SMOKE_SECONDS:-15}" || failed=1
        done
        ;;
    run)
        [ $# -gt 0 ] && TARGETS=("$@")
        for t in "${TARGETS[@]}"; do
            replay "$t" || failed=1
            fuzz "$t" "${FUZZ_SECONDS:-600}" || failed=1
        done
        ;;
    *)
        echo "usage: scripts/fuzz.sh smoke | run [TARGET ...]" >&2
        exit 2
        ;;
esac
exit "$failed"

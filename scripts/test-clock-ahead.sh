#!/usr/bin/env bash
# Runs the tests that make keys, certificates and mail with the real openssl and gpg at test
# time (the live-tool interop tests and the CLI tests) with the system clock moved ahead, so a
# test that mixes the tools' real clock with the fixed clock it judges at (a time bomb) fails
# today instead of on the day it goes off.
#
#   CLOCK_AHEAD   how far ahead, in faketime's syntax (default +400d: past a year, so yearly
#                 and "-days 365" windows are crossed too)
#
# The test binaries are built first with the normal clock (cargo's fingerprints stay sane),
# then each runs under libfaketime; openssl and gpg inherit the moved clock from it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

AHEAD="${CLOCK_AHEAD:-+400d}"
SUITES=(interop_smime interop_openpgp interop_keys interop_mime cli)

if ! command -v faketime >/dev/null 2>&1; then
    echo "test-clock-ahead: faketime not found (Debian package faketime; make setup installs it)" >&2
    # A check that cannot run must not pass silently under CI.
    [ -z "${CI:-}" ] || exit 1
    echo "test-clock-ahead: skipped (not CI)" >&2
    exit 0
fi

# The clock really moves (libfaketime preloads into dynamically linked programs only).
real=$(date -u +%s)
faked=$(faketime -f "$AHEAD" date -u +%s)
if [ $((faked - real)) -lt $((300 * 86400)) ]; then
    echo "test-clock-ahead: faketime $AHEAD did not move the clock ($real -> $faked)" >&2
    exit 1
fi
echo "test-clock-ahead: clock moved to $(faketime -f "$AHEAD" date -u +%FT%TZ)"

args=()
for s in "${SUITES[@]}"; do args+=(--test "$s"); done
mapfile -t bins < <(cargo test "${args[@]}" --no-run --message-format=json 2>/dev/null |
    node -e '
        let buf = "";
        process.stdin.on("data", (d) => (buf += d)).on("end", () => {
            for (const line of buf.split("\n")) {
                if (!line.startsWith("{")) continue;
                const m = JSON.parse(line);
                if (m.reason === "compiler-artifact" && m.executable && m.profile.test) console.log(m.executable);
            }
        });')
if [ "${#bins[@]}" -ne "${#SUITES[@]}" ]; then
    echo "test-clock-ahead: expected ${#SUITES[@]} test binaries, found ${#bins[@]}: ${bins[*]}" >&2
    exit 1
fi

rc=0
for bin in "${bins[@]}"; do
    echo "==> $(basename "$bin") with the clock at $AHEAD"
    faketime -f "$AHEAD" "$bin" || rc=1
done
exit $rc

#!/usr/bin/env bash
# Idempotent set-up for building and testing mailseal.
#
# Installs only what is missing:
#   - the wasm32-unknown-unknown rustup target
#   - wasm-bindgen-cli at the version Cargo.lock pins for wasm-bindgen (the CLI and the
#     library must match exactly, or the generated glue refuses to load)
#   - npm packages (`npm ci`) in every folder listed in NPM_DIRS that has a package-lock.json
#   - Debian packages for interop tests (openssl, gpg, sqop), the browser tests (chromium,
#     driven by playwright-core from tests/browser) and the clock-ahead check (faketime) when
#     missing and running as root
#
# Expects a Debian machine with the Rust toolchain (rustup), node 20 and npm.
# Safe to run again and again: a second run does nothing and takes about a second.
#
# Environment knobs:
#   MAILSEAL_SETUP_BROWSER=1   also install chromium-driver (for wasm-bindgen-test in a browser;
#                              chromium itself is always wanted: make test-www needs it)
#   MAILSEAL_SETUP_SKIP_APT=1  never touch apt (for machines where it is managed elsewhere)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/fix-dev-null.sh

# Folders with npm dependencies (each has a committed package-lock.json).
NPM_DIRS=(tests/js worker tests/browser)

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found: $2"; }
need cargo "install the Rust toolchain with rustup"
need rustup "install the Rust toolchain with rustup"
need node "install Node.js 20 or newer"
need npm "install npm (ships with Node.js)"

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# --- Rust target -------------------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rust target wasm32-unknown-unknown: present"
else
    say "rust target wasm32-unknown-unknown: installing"
    rustup target add wasm32-unknown-unknown
fi

# --- rustfmt and clippy (make test lints with both) ----------------------------------------
for comp in rustfmt clippy; do
    if rustup component list --installed 2>/dev/null | grep -q "^$comp-"; then
        say "rust component $comp: present"
    else
        say "rust component $comp: installing"
        rustup component add "$comp"
    fi
done

# --- wasm-bindgen-cli ----------------------------------------------------------------------
# One source of truth: the version Cargo.lock resolved for the `wasm-bindgen` crate
# (Cargo.toml pins it with `=`).
WASM_BINDGEN_VERSION="$(awk '
    $0 == "name = \"wasm-bindgen\"" { hit = 1; next }
    hit && /^version = / { gsub(/"/, "", $3); print $3; exit }
    /^\[\[package\]\]/ { hit = 0 }' Cargo.lock 2>/dev/null || true)"
WASM_BINDGEN_VERSION="${WASM_BINDGEN_VERSION:-0.2.130}"

installed_wasm_bindgen() {
    wasm-bindgen --version 2>/dev/null | awk '{print $2}'
}

# Another `cargo install wasm-bindgen-cli` may already be running (a developer started one by
# hand): wait for it rather than building the same thing twice.
wait_for_other_install() {
    local waited=0
    while pgrep -f 'cargo install wasm-bindgen-cli' >/dev/null 2>&1; do
        if [ "$waited" -eq 0 ]; then say "wasm-bindgen-cli: another install is running, waiting for it"; fi
        sleep 10
        waited=$((waited + 10))
        if [ "$waited" -ge 1200 ]; then die "waited 20 minutes for another wasm-bindgen-cli install"; fi
    done
}

if [ "$(installed_wasm_bindgen)" = "$WASM_BINDGEN_VERSION" ] &&
    command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
    say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
    wait_for_other_install
    if [ "$(installed_wasm_bindgen)" = "$WASM_BINDGEN_VERSION" ] &&
        command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
        say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
    else
        say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: installing (found: $(installed_wasm_bindgen || true))"
        # Not --locked: the CLI's own lock file may pin crates that no longer build with the
        # current toolchain; the version itself is pinned exactly.
        cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
        [ "$(installed_wasm_bindgen)" = "$WASM_BINDGEN_VERSION" ] ||
            die "wasm-bindgen on PATH is $(installed_wasm_bindgen), expected $WASM_BINDGEN_VERSION"
    fi
fi

# --- cargo-deny (make test: licences, bans and sources of the dependencies; deny.toml) -----
CARGO_DENY_VERSION=0.20.2
if [ "$(cargo deny --version 2>/dev/null | awk '{print $2}')" = "$CARGO_DENY_VERSION" ]; then
    say "cargo-deny $CARGO_DENY_VERSION: present"
else
    say "cargo-deny $CARGO_DENY_VERSION: installing (~3 min on 2 cores)"
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked --force
fi

# --- Debian packages -----------------------------------------------------------------------
# command -> Debian package
# sqop: Sequoia's stateless OpenPGP CLI, a third OpenPGP peer in tests/interop_openpgp.rs
# chromium: the headless browser tests/browser drives with playwright-core (make test-www)
# faketime: runs the live-tool interop tests with the clock moved ahead (make test-clock-ahead)
# g++: libfuzzer-sys compiles libFuzzer (C++) for the fuzz targets (make fuzz, the fuzz smoke)
# gpg-wks-client (not on PATH): GnuPG's WKD URLs, which tests/interop_openpgp.rs compares with
APT_WANT=(openssl:openssl gpg:gpg sqop:sqop chromium:chromium faketime:faketime g++:g++
    /usr/lib/gnupg/gpg-wks-client:gpg-wks-client)

# Hook for wasm-bindgen-test in Chromium (needs chromedriver): MAILSEAL_SETUP_BROWSER=1.
want_browser() { [ "${MAILSEAL_SETUP_BROWSER:-0}" = 1 ]; }
if want_browser; then
    APT_WANT+=(chromedriver:chromium-driver)
fi

missing_pkgs=()
for pair in "${APT_WANT[@]}"; do
    cmd="${pair%%:*}"
    pkg="${pair#*:}"
    command -v "$cmd" >/dev/null 2>&1 || missing_pkgs+=("$pkg")
done

if [ "${#missing_pkgs[@]}" -eq 0 ]; then
    say "debian packages: present"
elif [ "${MAILSEAL_SETUP_SKIP_APT:-0}" = 1 ]; then
    say "debian packages missing, MAILSEAL_SETUP_SKIP_APT=1 so not installing: ${missing_pkgs[*]}"
elif [ "$(id -u)" -ne 0 ]; then
    say "warning: not root, cannot install: ${missing_pkgs[*]} (interop tests may fail)"
    say "         run: sudo apt-get update && sudo apt-get install -y ${missing_pkgs[*]}"
else
    say "debian packages: installing ${missing_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing_pkgs[@]}"
fi

# --- npm ---------------------------------------------------------------------------------------
# `npm ci` wipes node_modules each time, so run it only when package-lock.json changed since the
# last successful install (a hash stamp inside node_modules records that).
for dir in "${NPM_DIRS[@]}"; do
    [ -f "$dir/package-lock.json" ] || continue
    stamp="$dir/node_modules/.mailseal-setup-stamp"
    want="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        say "npm packages in $dir: present"
    else
        say "npm packages in $dir: npm ci"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        printf '%s\n' "$want" >"$stamp"
    fi
done

say "done"

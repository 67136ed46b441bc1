#!/usr/bin/env bash
# Makes the worker tests' service identity: support@example.com with BOTH an S/MIME
# certificate (P-256, issued by a small test CA made here) and an OpenPGP key (ed25519 sign +
# cv25519 encrypt), so one notification can go out S/MIME, OpenPGP and plain at once.
# EC keys on purpose: they are what worker/README.md recommends for a worker (no RSA
# PKCS#1 v1.5 decryption, no Marvin exposure). See NOTES.md. Rewrites every file here except
# NOTES.md and this script.
set -euo pipefail
OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
W="$(mktemp -d)"
trap 'gpgconf --homedir "$W/gnupg" --kill all 2>/dev/null || true; rm -rf "$W"' EXIT

# --- S/MIME: test CA + support certificate, 2026-01-01 .. 2036-01-01 ---------------------
# shellcheck source=../../../tests/data/lib-pki.sh
. "$OUT/../../../tests/data/lib-pki.sh"
pki_init "$W/ca" 3000
pki_profile v3_ec "digitalSignature, nonRepudiation, keyAgreement" emailProtection \
  email:support@example.com
pki_genkey "$W/worker-ca.key" p256
pki_cert "$W/worker-ca.key" "/O=Mailseal Worker Test/CN=Mailseal Worker Test Root" v3_root \
  20260101000000Z 20400101000000Z "$OUT/worker-ca.crt"
pki_genkey "$OUT/support.key" p256
pki_cert "$OUT/support.key" "/O=Mailseal Worker Test/CN=Support" v3_ec \
  20260101000000Z 20360101000000Z "$OUT/support.crt" "$OUT/worker-ca.crt" "$W/worker-ca.key"
openssl verify -CAfile "$OUT/worker-ca.crt" -purpose smimesign "$OUT/support.crt"

# --- OpenPGP: support key, made at 2026-01-01, valid 10 years -----------------------------
export GNUPGHOME="$W/gnupg"; mkdir -m 700 "$GNUPGHOME"
G=(gpg --batch --no-tty --pinentry-mode loopback --passphrase '' --faked-system-time '20260101T000000!')
"${G[@]}" --quick-gen-key "Support <support@example.com>" ed25519 sign 10y 2>/dev/null
FPR="$(gpg --batch --with-colons --list-keys support@example.com | awk -F: '/^fpr/ {print $10; exit}')"
"${G[@]}" --quick-add-key "$FPR" cv25519 encr 10y 2>/dev/null
gpg --batch --armor --export "$FPR" >"$OUT/support.pub.asc"
"${G[@]}" --armor --export-secret-keys "$FPR" >"$OUT/support.sec.asc"
echo "$FPR" >"$OUT/support.fpr"
echo "made: worker-ca.crt support.crt support.key support.pub.asc support.sec.asc support.fpr"

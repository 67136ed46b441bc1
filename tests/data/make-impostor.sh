#!/usr/bin/env bash
# Regenerates tests/data/impostor/ (except NOTES.md) with GnuPG 2.2 and openssl: an impostor's
# OpenPGP key that claims alice@example.org (the user id of tests/data/openpgp/alice.*) with a
# newer creation time than Alice's own key, mail it signed as Alice, and an impostor's S/MIME
# certificate for bob@example.com.
#
#   bash tests/data/make-impostor.sh
set -euo pipefail
export LC_ALL=C TZ=UTC

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/impostor"
W="$(mktemp -d "${TMPDIR:-/tmp}/mailseal-impostor.XXXXXX")"
# shellcheck source=lib-gpg.sh
. "$HERE/lib-gpg.sh"
gpg_private_home

mkdir -p "$OUT"
find "$OUT" -mindepth 1 ! -name NOTES.md -exec rm -rf {} +

# Created 2026-06-01, five months after Alice's real key (2026-01-01): "newest wins" would
# pick it.
T=20260601T000000!
gpg_key_pair $T "Alice <alice@example.org>" ed25519 cv25519 10y
FPR="$(fpr_of alice@example.org)"
g --armor --export "$FPR" >"$OUT/impostor-alice.pub.asc"
g --armor --export-secret-keys "$FPR" >"$OUT/impostor-alice.sec.asc"
echo "$FPR" >"$OUT/impostor-alice.fpr"

# Inline clearsigned mail "from Alice", made by the impostor on 2026-07-01.
{
  printf 'From: Alice <alice@example.org>\r\nTo: support@example.com\r\n'
  printf 'Subject: Please change my bank account\r\nDate: Wed, 01 Jul 2026 10:00:00 +0000\r\n'
  printf 'Message-ID: <impostor-1@example.org>\r\nMIME-Version: 1.0\r\n'
  printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
  printf 'Please send refunds to my new account from now on.\n' |
    g --faked-system-time 20260701T000000! --local-user "$FPR" --digest-algo SHA256 --clearsign |
    sed 's/$/\r/'
} >"$OUT/clearsigned-as-alice.eml"

# An impostor's S/MIME certificate for bob@example.com (tests/data/smime/bob.crt is issued by
# the test intermediate on 2026-01-01): self-signed, made 2026-06-01, so "newest wins" would
# pick it.
smime_impostor() {
  # shellcheck source=lib-pki.sh
  . "$HERE/lib-pki.sh"
  pki_init "$W/ca" 4000
  pki_profile ee "digitalSignature, keyEncipherment" "emailProtection"
  pki_genkey "$W/impostor-bob.key" rsa2048
  SAN="email:bob@example.com" pki_cert "$W/impostor-bob.key" "/CN=Bob" ee \
    20260601000000Z 20360101000000Z "$OUT/impostor-bob.crt"
  cp "$W/impostor-bob.key" "$OUT/impostor-bob.key"
}
smime_impostor

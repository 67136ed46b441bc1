#!/usr/bin/env bash
# Regenerates every fixture under tests/data/smime/ (except the hand-written NOTES.md) with
# openssl 3.0 alone: a test CA (root -> intermediate -> end entities), an untrusted CA, the
# end-entity certificates with their private keys, and S/MIME messages written by
# `openssl cms` in every variant mailseal reads.
#
#   bash tests/data/make-smime.sh
#
# Keys are random: a new run gives new keys and messages; commit the folder together.
set -euo pipefail
export LC_ALL=C TZ=UTC

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/smime"
W="$(mktemp -d "${TMPDIR:-/tmp}/mailseal-smime.XXXXXX")"
trap 'rm -rf "$W"' EXIT
die() { echo "make-smime.sh: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

mkdir -p "$OUT"
find "$OUT" -mindepth 1 ! -name NOTES.md -exec rm -rf {} +

###############################################################################
# 1. Certificate authorities. `openssl ca` takes explicit -startdate/-enddate.
###############################################################################
log "1. CAs"
# shellcheck source=lib-pki.sh
. "$HERE/lib-pki.sh"
pki_init "$W/ca" 2000
pki_profile v3_rsa "digitalSignature, nonRepudiation, keyEncipherment" emailProtection
pki_profile v3_ec "digitalSignature, nonRepudiation, keyAgreement" emailProtection
pki_profile v3_sign "digitalSignature, nonRepudiation" emailProtection
pki_profile v3_enc "keyEncipherment" emailProtection
pki_profile v3_server "digitalSignature, keyEncipherment" serverAuth

# ca_cert NAME SUBJECT PROFILE [ISSUER]   (self-signed without ISSUER)
ca_cert() {
  pki_genkey "$W/$1.key" rsa2048
  if [ -z "${4:-}" ]; then
    pki_cert "$W/$1.key" "$2" "$3" 20200101000000Z 20450101000000Z "$W/$1.crt"
  else
    pki_cert "$W/$1.key" "$2" "$3" 20200101000000Z 20400101000000Z "$W/$1.crt" \
      "$W/$4.crt" "$W/$4.key"
  fi
}
ca_cert root-ca "/O=Mailseal Test/CN=Mailseal Test Root" v3_root
ca_cert int-ca "/O=Mailseal Test/CN=Mailseal Test Intermediate" v3_int root-ca
ca_cert rogue-ca "/O=Rogue/CN=Rogue Root" v3_root

# issue NAME ALG EMAIL PROFILE ISSUER START END  -> $OUT/NAME.crt, $OUT/NAME.key
issue() {
  pki_genkey "$W/$1.key" "$2"
  SAN="email:$3" pki_cert "$W/$1.key" "/O=Mailseal Test/CN=$1" "$4" "$6" "$7" "$W/$1.crt" \
    "$W/$5.crt" "$W/$5.key"
  cp "$W/$1.crt" "$OUT/$1.crt"
  cp "$W/$1.key" "$OUT/$1.key"
}
S=20260101000000Z; E=20360101000000Z
issue alice   rsa2048 alice@example.com   v3_rsa    int-ca  $S $E
issue bob     rsa3072 bob@example.com     v3_rsa    int-ca  $S $E
issue carol   rsa4096 carol@example.com   v3_rsa    int-ca  $S $E
issue dave    p256    dave@example.com    v3_ec     int-ca  $S $E
issue erin    p384    erin@example.com    v3_ec     int-ca  $S $E
issue frank   rsa2048 frank@example.com   v3_rsa    int-ca  20200101000000Z 20250101000000Z
issue heidi   rsa2048 heidi@example.com   v3_server int-ca  $S $E
issue mallory rsa2048 mallory@example.com v3_rsa    rogue-ca $S $E
issue weak    rsa1024 weak@example.com    v3_rsa    int-ca  $S $E
# ivy: separate signing and encryption certificates for one address
issue ivy-sign rsa2048 ivy@example.com    v3_sign   int-ca  $S $E
issue ivy-enc  rsa2048 ivy@example.com    v3_enc    int-ca  $S $E
for ca in root-ca int-ca rogue-ca; do cp "$W/$ca.crt" "$OUT/$ca.crt"; done

###############################################################################
# 2. The signed entity: canonical (CRLF) MIME entity, 7-bit.
###############################################################################
printf 'Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHello from the help desk.\r\nTicket #4711 is solved.\r\n' \
  >"$OUT/entity.txt"
ENT="$OUT/entity.txt"

###############################################################################
# 3. Signed messages (openssl cms -sign; -binary keeps the entity byte for byte).
###############################################################################
log "3. signed"
sign() { # OUT NAME [extra args...]
  local out="$1" who="$2"; shift 2
  openssl cms -sign -binary -in "$ENT" -signer "$OUT/$who.crt" -inkey "$OUT/$who.key" \
    -certfile "$OUT/int-ca.crt" -md sha256 "$@" -out "$OUT/$out"
}
sign signed-alice.eml alice
sign signed-bob.eml bob
sign signed-carol.eml carol
sign signed-dave.eml dave
sign signed-erin.eml erin
sign signed-alice-opaque.eml alice -nodetach
sign signed-alice-opaque.p7m alice -nodetach -outform DER
sign signed-alice-opaque-stream.eml alice -nodetach -stream
openssl smime -sign -binary -in "$ENT" -signer "$OUT/alice.crt" -inkey "$OUT/alice.key" \
  -certfile "$OUT/int-ca.crt" -md sha256 -nodetach -out "$OUT/signed-alice-smime-opaque.eml"
sign signed-alice-pss.eml alice -keyopt rsa_padding_mode:pss
sign signed-alice-noattr.eml alice -noattr
sign signed-alice-nocerts.eml alice -nocerts
sign signed-frank-expired.eml frank
sign signed-heidi-serverauth.eml heidi
sign signed-weak1024.eml weak
openssl cms -sign -binary -in "$ENT" -signer "$OUT/mallory.crt" -inkey "$OUT/mallory.key" \
  -md sha256 -out "$OUT/signed-mallory-untrusted.eml"
openssl cms -sign -binary -in "$ENT" -signer "$OUT/alice.crt" -inkey "$OUT/alice.key" \
  -md sha1 -out "$OUT/signed-alice-sha1.eml"
openssl cms -sign -binary -in "$ENT" -signer "$OUT/alice.crt" -inkey "$OUT/alice.key" \
  -signer "$OUT/bob.crt" -inkey "$OUT/bob.key" -certfile "$OUT/int-ca.crt" -md sha256 \
  -out "$OUT/signed-alice-bob.eml"
openssl cms -sign -binary -in "$ENT" -signer "$OUT/alice.crt" -inkey "$OUT/alice.key" \
  -signer "$OUT/mallory.crt" -inkey "$OUT/mallory.key" -certfile "$OUT/int-ca.crt" -md sha256 \
  -out "$OUT/signed-alice-mallory.eml"

###############################################################################
# 4. Encrypted messages (openssl cms -encrypt). openssl 3.0 writes AuthEnvelopedData for
#    -aes-256-gcm.
###############################################################################
log "4. encrypted"
enc() { # OUT CIPHER [args...]
  local out="$1" cipher="$2"; shift 2
  openssl cms -encrypt -binary -in "$ENT" "$cipher" -out "$OUT/$out" "$@"
}
enc enc-alice-aes256.eml -aes256 "$OUT/alice.crt"
enc enc-alice-aes128.eml -aes128 "$OUT/alice.crt"
enc enc-alice-aes192.eml -aes192 "$OUT/alice.crt"
enc enc-alice-3des.eml -des3 "$OUT/alice.crt"
enc enc-alice-gcm.eml -aes-256-gcm "$OUT/alice.crt"
enc enc-alice-gcm128.eml -aes-128-gcm "$OUT/alice.crt"
enc enc-alice-oaep.eml -aes256 -recip "$OUT/alice.crt" -keyopt rsa_padding_mode:oaep
enc enc-alice-oaep256.eml -aes256 -recip "$OUT/alice.crt" -keyopt rsa_padding_mode:oaep \
  -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256
enc enc-alice-ski.eml -aes256 -keyid "$OUT/alice.crt"
enc enc-alice-der.p7m -aes256 -outform DER "$OUT/alice.crt"
# BER as streaming writers (Thunderbird/NSS, `openssl smime`) send it: indefinite lengths,
# constructed OCTET STRINGs.
enc enc-alice-stream.eml -aes256 -stream "$OUT/alice.crt"
enc enc-alice-gcm-stream.eml -aes-256-gcm -stream "$OUT/alice.crt"
openssl smime -encrypt -binary -in "$ENT" -aes256 -out "$OUT/enc-alice-smime.eml" "$OUT/alice.crt"
enc enc-bob.eml -aes256 "$OUT/bob.crt"
enc enc-carol.eml -aes256 "$OUT/carol.crt"
enc enc-dave.eml -aes256 "$OUT/dave.crt"
enc enc-dave-sha256kdf.eml -aes256 -recip "$OUT/dave.crt" -keyopt ecdh_kdf_md:sha256
enc enc-dave-gcm.eml -aes-256-gcm "$OUT/dave.crt"
enc enc-dave-ski.eml -aes256 -keyid "$OUT/dave.crt"
enc enc-erin.eml -aes128 "$OUT/erin.crt"
enc enc-alice-bob.eml -aes256 "$OUT/alice.crt" "$OUT/bob.crt"
enc enc-alice-bob-dave.eml -aes256 "$OUT/alice.crt" "$OUT/bob.crt" "$OUT/dave.crt"
enc enc-carol-bob-dave-gcm.eml -aes-256-gcm "$OUT/carol.crt" "$OUT/bob.crt" "$OUT/dave.crt"

###############################################################################
# 5. Sign-then-encrypt: detached (Thunderbird) and opaque inside enveloped (Outlook).
###############################################################################
log "5. sign+encrypt"
enc signed-enc-bob.eml -aes256 -in "$OUT/signed-alice.eml" "$OUT/bob.crt"
enc signed-opaque-enc-bob.eml -aes256 -in "$OUT/signed-alice-opaque.eml" "$OUT/bob.crt"
# A bare DER SignedData as the enveloped content (no MIME headers), as old Outlook wrote it.
enc signed-bare-enc-bob.eml -aes256 -in "$OUT/signed-alice-opaque.p7m" "$OUT/bob.crt"
enc signed-enc-dave-gcm.eml -aes-256-gcm -in "$OUT/signed-alice.eml" "$OUT/dave.crt"

###############################################################################
# 6. Self-check: every message opens with openssl as intended.
###############################################################################
log "6. check"
V="$W/verified"
for f in signed-alice signed-bob signed-carol signed-dave signed-erin signed-alice-opaque \
         signed-alice-opaque-stream signed-alice-smime-opaque \
         signed-alice-pss signed-alice-noattr signed-alice-bob; do
  openssl cms -verify -in "$OUT/$f.eml" -CAfile "$OUT/root-ca.crt" -purpose smimesign \
    -out "$V" 2>/dev/null || die "$f does not verify"
  cmp -s "$V" "$ENT" || die "$f content differs"
done
for f in signed-frank-expired signed-heidi-serverauth signed-mallory-untrusted \
         signed-alice-mallory; do
  if openssl cms -verify -in "$OUT/$f.eml" -CAfile "$OUT/root-ca.crt" -purpose smimesign \
       -out "$V" 2>/dev/null; then die "$f verifies but must not"; fi
done
for f in enc-alice-aes256 enc-alice-aes128 enc-alice-aes192 enc-alice-3des enc-alice-gcm \
         enc-alice-gcm128 enc-alice-stream enc-alice-gcm-stream enc-alice-smime enc-alice-oaep enc-alice-oaep256 enc-alice-ski enc-alice-bob \
         enc-alice-bob-dave; do
  openssl cms -decrypt -in "$OUT/$f.eml" -recip "$OUT/alice.crt" -inkey "$OUT/alice.key" \
    -out "$V" || die "$f"
  cmp -s "$V" "$ENT" || die "$f content differs"
done
for f in enc-dave enc-dave-sha256kdf enc-dave-gcm enc-dave-ski enc-carol-bob-dave-gcm; do
  openssl cms -decrypt -in "$OUT/$f.eml" -recip "$OUT/dave.crt" -inkey "$OUT/dave.key" \
    -out "$V" || die "$f"
  cmp -s "$V" "$ENT" || die "$f content differs"
done
log "done: $(ls "$OUT" | wc -l) files"

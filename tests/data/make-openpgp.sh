#!/usr/bin/env bash
# Regenerates every fixture under tests/data/openpgp/ (except the hand-written NOTES.md) with
# GnuPG 2.2 and coreutils only: keys, and the messages gpg writes that mailseal must open.
#
#   bash tests/data/make-openpgp.sh
#
# Keys and messages are random: commit the whole folder together. gpg only runs with a
# temporary GNUPGHOME (~/.gnupg is never touched); the agent is stopped at the end. The script
# checks what it made with `gpg --list-packets` (no MDC where intended, MDC everywhere else,
# SHA-1 where intended, compression in the bomb) and aborts on any surprise.
set -euo pipefail
export LC_ALL=C TZ=UTC

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/openpgp"
W="$(mktemp -d "${TMPDIR:-/tmp}/mailseal-openpgp.XXXXXX")"
# shellcheck source=lib-gpg.sh
. "$HERE/lib-gpg.sh"
gpg_private_home
die() { echo "make-openpgp.sh: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

mkdir -p "$OUT"
find "$OUT" -mindepth 1 ! -name NOTES.md -exec rm -rf {} +

# All messages are made at 2026-06-01 unless said otherwise (keys valid 2026-01-01..2036).
MSG_T=20260601T000000!
gm() { g --faked-system-time "$MSG_T" "$@"; }

###############################################################################
# 1. Keys (secret keys exported unprotected: the keyring tests cover passphrases)
###############################################################################
log "1. keys"
T=20260101T000000!
# alice: RSA-3072 primary (sign) + RSA-3072 subkey (encrypt)
gpg_key_pair $T "Alice <alice@example.org>" rsa3072 rsa3072 10y
ALICE="$(fpr_of alice@example.org)"
# bob, carol: Ed25519 primary (sign) + Cv25519 subkey (encrypt)
for who in bob carol stranger; do
  name="$(tr '[:lower:]' '[:upper:]' <<<"${who:0:1}")${who:1}"
  gpg_key_pair $T "$name <$who@example.org>" ed25519 cv25519 10y
done
BOB="$(fpr_of bob@example.org)"
CAROL="$(fpr_of carol@example.org)"
STRANGER="$(fpr_of stranger@example.org)"
# dave: expired. Created 2025-01-01, key and subkey expire one year later (2026-01-01).
gpg_key_pair 20250101T000000! "Dave <dave@example.org>" ed25519 cv25519 1y
DAVE="$(fpr_of dave@example.org)"
# eve: revoked on 2026-03-01 (after she signed on 2026-02-01, see section 3)
gpg_key_pair $T "Eve <eve@example.org>" ed25519 cv25519 10y
EVE="$(fpr_of eve@example.org)"
# old: RSA-1024 (sign + encrypt subkey), refused by mailseal
gpg_key_pair $T "Old <old@example.org>" rsa1024 rsa1024 10y
OLD="$(fpr_of old@example.org)"

# frank: a valid Cv25519 subkey (2026-01-01, 10y) and a newer one that expired (2026-02-01,
# expires 2026-06-01): the newest *usable* subkey is the older one.
gpg_key_pair $T "Frank <frank@example.org>" ed25519 cv25519 10y
FRANK="$(fpr_of frank@example.org)"
g --faked-system-time 20260201T000000! --quick-add-key "$FRANK" cv25519 encr seconds=10368000
# gina: a valid primary key whose only encryption subkey expired on 2026-06-01
g --faked-system-time $T --quick-gen-key "Gina <gina@example.org>" ed25519 sign 10y
GINA="$(fpr_of gina@example.org)"
g --faked-system-time $T --quick-add-key "$GINA" cv25519 encr seconds=13046400

for who in alice bob carol dave eve old stranger frank gina; do
  fpr="$(fpr_of "$who@example.org")"
  g --armor --export "$fpr" >"$OUT/$who.pub.asc"
  g --armor --export-secret-keys "$fpr" >"$OUT/$who.sec.asc"
  echo "$fpr" >"$OUT/$who.fpr"
done

###############################################################################
# 2. Plaintexts: a canonical MIME entity (CRLF) with a binary attachment, a text, an HTML
#    page, a binary file
###############################################################################
log "2. plaintexts"
head -c 1500 /dev/urandom >"$OUT/attach.bin"
{
  printf 'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
  printf -- '--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
  printf 'Hello from the help desk.\r\nGr=C3=BC=C3=9Fe, the ticket is attached.\r\n'
  printf -- '--b1\r\nContent-Type: application/octet-stream; name="attach.bin"\r\n'
  printf 'Content-Disposition: attachment; filename="attach.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
  base64 -w 76 "$OUT/attach.bin" | sed 's/$/\r/'
  printf -- '--b1--\r\n'
} >"$OUT/entity.eml"
printf 'Ticket #4711 is resolved.\n- a dash line\nFrom the help desk, with trailing spaces   \n\nRegards\n' \
  >"$OUT/note.txt"
printf '<html><body><p>Ticket #4711: <b>resolved</b></p></body></html>\n' >"$OUT/page.html"

###############################################################################
# 3. Messages gpg writes
###############################################################################
log "3. messages"
E="$OUT/entity.eml"
# encrypted (SEIPDv1 + MDC): 1, 3 and hidden (wildcard key id) recipients; armored and binary
gm -e -a -r "$ALICE" -o "$OUT/enc-alice.asc" "$E"
gm -e -r "$BOB" -o "$OUT/enc-bob.gpg" "$E"
gm -e -a -r "$ALICE" -r "$BOB" -o "$OUT/enc-alice-bob.asc" "$E"
gm -e -a -r "$ALICE" -r "$BOB" -r "$CAROL" -o "$OUT/enc-three.asc" "$E"
gm -e -a -R "$BOB" -R "$CAROL" -o "$OUT/enc-hidden.asc" "$E"
# signed and encrypted in one message (one-pass signature inside, compressed as gpg does)
gm -s -e -a -u "$ALICE" -r "$BOB" -r "$ALICE" -o "$OUT/signenc-alice.asc" "$E"
gm -s -e -a -u "$BOB" -r "$ALICE" -r "$BOB" -o "$OUT/signenc-bob.asc" "$E"
gm -s -e -a -u "$STRANGER" -r "$BOB" -o "$OUT/signenc-stranger.asc" "$E"
# detached signatures over the canonical entity (PGP/MIME multipart/signed)
gm --detach-sign -a --digest-algo SHA256 -u "$ALICE" -o "$OUT/sig-alice.asc" "$E"
gm --detach-sign --digest-algo SHA256 -u "$BOB" -o "$OUT/sig-bob.sig" "$E"
gm --detach-sign -a --digest-algo SHA1 -u "$ALICE" -o "$OUT/sig-alice-sha1.asc" "$E"
gm --detach-sign -a --digest-algo SHA256 -u "$OLD" -o "$OUT/sig-old1024.asc" "$E"
gm --detach-sign -a --digest-algo SHA256 -u "$STRANGER" -o "$OUT/sig-stranger.asc" "$E"
g --faked-system-time 20250601T000000! --detach-sign -a --digest-algo SHA256 -u "$DAVE" \
  -o "$OUT/sig-dave-expired.asc" "$E"
g --faked-system-time 20260201T000000! --detach-sign -a --digest-algo SHA256 -u "$EVE" \
  -o "$OUT/sig-eve-revoked.asc" "$E"
# inline: a signed message (armored and binary) and cleartext signatures
gm -s -a -u "$BOB" -o "$OUT/signed-bob.asc" "$OUT/note.txt"
gm -s -u "$ALICE" -o "$OUT/signed-alice.gpg" "$OUT/note.txt"
gm --clearsign --digest-algo SHA256 -u "$ALICE" -o "$OUT/clearsign-alice.asc" "$OUT/note.txt"
gm --clearsign -u "$BOB" -o "$OUT/clearsign-bob.asc" "$OUT/note.txt"
gm --clearsign --digest-algo SHA1 -u "$ALICE" -o "$OUT/clearsign-alice-sha1.asc" "$OUT/note.txt"
# inline encrypted text/html body, and an encrypted binary attachment (.pgp binary, .asc)
gm -e -a -r "$ALICE" -o "$OUT/inline-html.asc" "$OUT/page.html"
gm -e -r "$BOB" -o "$OUT/attach.bin.pgp" "$OUT/attach.bin"
gm -s -e -a -u "$ALICE" -r "$ALICE" -o "$OUT/attach.bin.asc" "$OUT/attach.bin"
# no integrity protection: RFC 2440 mode writes a Symmetrically Encrypted Data packet (no MDC)
gm --rfc2440 --cipher-algo AES256 -e -r "$BOB" -o "$OUT/nomdc-bob.gpg" "$E"
# a compression bomb: 8 MiB of zeros, compressed, encrypted to bob
head -c 8388608 /dev/zero | gm -z 9 --compress-algo ZLIB -e -r "$BOB" -o "$OUT/bomb-bob.gpg"
# after the revocation (2026-03-01) eve's key carries a revocation signature
gpg_revoke 'y\n1\nkey retired\n\ny\n' 20260301T000000! "$EVE" "$W/eve.rev"
g --import "$W/eve.rev"
g --armor --export "$EVE" >"$OUT/eve.pub.asc"
g --armor --export-secret-keys "$EVE" >"$OUT/eve.sec.asc"

# tampered copies of binary messages: one bit in the encrypted body, and in the final MDC
tamper() { # in out offset-from-end
  local size; size="$(stat -c %s "$1")"
  cp "$1" "$2"
  local off=$((size - $3))
  local byte; byte="$(od -An -tu1 -j "$off" -N1 "$1" | tr -d ' ')"
  printf "$(printf '\\%03o' $((byte ^ 1)))" | dd of="$2" bs=1 seek="$off" conv=notrunc status=none
}
tamper "$OUT/enc-bob.gpg" "$OUT/tampered-body.gpg" 200
tamper "$OUT/enc-bob.gpg" "$OUT/tampered-mdc.gpg" 1
# one bit of the RSA-3072 session key ciphertext (PKESK MPI: bytes 15..398 of the packet)
gm -e -r "$ALICE" -o "$W/enc-alice.gpg" "$E"
size="$(stat -c %s "$W/enc-alice.gpg")"
tamper "$W/enc-alice.gpg" "$OUT/tampered-rsa-pkesk.gpg" $((size - 200))

###############################################################################
# 4. Checks: what the tools say about what was just made
###############################################################################
log "4. checks"
packets() { GNUPGHOME="$GH" gpg --batch --list-packets "$1" 2>/dev/null || true; }
# SEIPD with MDC in every normal message, SED (no MDC) in the RFC 2440 one
for f in enc-alice.asc enc-bob.gpg enc-three.asc enc-hidden.asc signenc-alice.asc attach.bin.pgp; do
  packets "$OUT/$f" | grep -q 'mdc_method: 2' || die "$f: no MDC"
done
packets "$OUT/nomdc-bob.gpg" | grep -q 'mdc_method' && die "nomdc-bob.gpg has an MDC"
packets "$OUT/nomdc-bob.gpg" | grep -q ':encrypted data packet:' || die "no SED packet"
# wildcard key ids in the hidden-recipient message
[ "$(packets "$OUT/enc-hidden.asc" | grep -c 'keyid 0000000000000000')" = 2 ] \
  || die "enc-hidden.asc: expected two wildcard PKESKs"
[ "$(packets "$OUT/enc-three.asc" | grep -c ':pubkey enc packet:')" = 3 ] \
  || die "enc-three.asc: expected three PKESKs"
# digests of the signatures
GNUPGHOME="$GH" gpg --batch --list-packets "$OUT/sig-alice-sha1.asc" 2>/dev/null \
  | grep -q 'digest algo 2' || die "sig-alice-sha1.asc is not SHA-1"
GNUPGHOME="$GH" gpg --batch --list-packets "$OUT/sig-alice.asc" 2>/dev/null \
  | grep -q 'digest algo 8' || die "sig-alice.asc is not SHA-256"
# the good ones verify and decrypt with gpg itself; the tampered ones do not
g --verify "$OUT/sig-alice.asc" "$E" || die "sig-alice.asc does not verify"
g --verify "$OUT/sig-bob.sig" "$E" || die "sig-bob.sig does not verify"
g -d "$OUT/enc-three.asc" | cmp -s - "$E" || die "enc-three.asc does not decrypt"
g -d "$OUT/attach.bin.pgp" | cmp -s - "$OUT/attach.bin" || die "attach.bin.pgp"
g -d "$OUT/tampered-body.gpg" >/dev/null && die "tampered body decrypts in gpg"
g -d "$OUT/tampered-mdc.gpg" >/dev/null && die "tampered MDC decrypts in gpg"
g -d "$OUT/tampered-rsa-pkesk.gpg" >/dev/null && die "tampered PKESK decrypts in gpg"
packets "$OUT/tampered-rsa-pkesk.gpg" | grep -q 'pubkey enc packet: version 3, algo 1' \
  || die "tampered-rsa-pkesk.gpg: no RSA PKESK"
g --with-colons --list-keys "$EVE" | grep -q '^pub:r:' || die "eve is not revoked"
g --with-colons --list-keys "$DAVE" | grep -q '^pub:e:' || die "dave is not expired"
[ "$(g --with-colons --list-keys "$OLD" | awk -F: '$1=="pub"{print $3}')" = 1024 ] \
  || die "old is not RSA-1024"
# frank's subkeys: the first valid at NOW, the second expired; gina's only subkey expired
subs() { g --faked-system-time 20261201T000000! --with-colons --list-keys "$1" | awk -F: '$1=="sub"{print $2":"$5}'; }
[ "$(subs "$FRANK" | cut -d: -f1 | tr -d '\n')" = "ue" ] || [ "$(subs "$FRANK" | cut -d: -f1 | tr -d '\n')" = "-e" ] \
  || die "frank: expected a valid and an expired subkey, got $(subs "$FRANK")"
subs "$FRANK" | head -1 | cut -d: -f2 >"$OUT/frank.valid-subkey"
[ "$(subs "$GINA" | cut -d: -f1)" = "e" ] || die "gina: subkey not expired"
log "done: $(find "$OUT" -type f | wc -l) files in $OUT"

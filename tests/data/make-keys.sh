#!/usr/bin/env bash
# Regenerates every fixture under tests/data/keys/ (except the hand-written NOTES.md)
# with the real tools: openssl (3.0) and gpg (2.2). Nothing else is needed beyond bash and
# coreutils/awk/sed/grep.
#
#   bash tests/data/make-keys.sh
#
# Keys are random, so every run produces new fingerprints; expected.json is rewritten by
# section 9 from what openssl/gpg report about the files just written, after checking that
# report against the intent declared in this script (any mismatch aborts the run).
#
# gpg only ever runs with a temporary GNUPGHOME under the work directory (~/.gnupg is never
# touched); every gpg-agent this script starts is stopped with `gpgconf --kill gpg-agent`
# for its own home directory.
set -euo pipefail
export LC_ALL=C TZ=UTC

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/keys"
NOW_ISO="2026-12-01T00:00:00Z"              # the "now" of expected.json
NOW_EPOCH="$(date -u -d "$NOW_ISO" +%s)"
NOW_GPG="20261201T000000"                   # same instant, for gpg --faked-system-time

W="$(mktemp -d "${TMPDIR:-/tmp}/mailseal-keys.XXXXXX")"
GPG_HOMES=()
cleanup() {
  local h
  for h in "${GPG_HOMES[@]}"; do
    GNUPGHOME="$h" gpgconf --kill gpg-agent >/dev/null 2>&1 || true
  done
  rm -rf "$W"
}
trap cleanup EXIT

die() { echo "make-keys.sh: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

# New private gpg home directory (never ~/.gnupg).
new_gpg_home() { # varname
  local _nh
  _nh="$(mktemp -d "$W/gh.XXXXXX")"
  chmod 700 "$_nh"
  GPG_HOMES+=("$_nh")
  printf -v "$1" '%s' "$_nh"
}

# Keep NOTES.md (hand-written), regenerate everything else.
mkdir -p "$OUT"
find "$OUT" -mindepth 1 ! -name NOTES.md -exec rm -rf {} +

###############################################################################
# 1. S/MIME: a small CA (root -> intermediate -> end entities) with `openssl ca`
#    (`openssl ca` is used because it takes explicit -startdate/-enddate, which
#    `openssl x509 -req -days` cannot do on OpenSSL 3.0).
###############################################################################
log "1. S/MIME CA"
# shellcheck source=lib-pki.sh
. "$HERE/lib-pki.sh"
pki_init "$W/ca" 1000                    # SAN is set per end entity (issue below)
# S/MIME end entity, RSA: sign + encrypt (key transport)
pki_profile v3_smime_rsa "digitalSignature, nonRepudiation, keyEncipherment" emailProtection
# S/MIME end entity, EC: sign + encrypt (key agreement)
pki_profile v3_smime_ec "digitalSignature, nonRepudiation, keyAgreement" emailProtection
# signing only: keyUsage digitalSignature alone
pki_profile v3_signonly "digitalSignature" emailProtection
# TLS server certificate: EKU serverAuth only => not usable for S/MIME
pki_profile v3_server "digitalSignature, keyEncipherment" serverAuth
# no keyUsage extension at all (RSA => sign + encrypt)
pki_profile v3_noku "" emailProtection

# issue NAME ALG SUBJECT SAN PROFILE STARTDATE ENDDATE  -> $W/NAME.key, $W/NAME.crt
# (issued by the intermediate CA)
issue() {
  pki_genkey "$W/$1.key" "$2"
  SAN="$4" pki_cert "$W/$1.key" "$3" "$5" "$6" "$7" "$W/$1.crt" \
    "$W/intermediate-ca.crt" "$W/intermediate-ca.key"
}

# Root CA: RSA-3072, 2020-01-01 .. 2045-01-01
pki_genkey "$W/root-ca.key" rsa3072
pki_cert "$W/root-ca.key" "/O=Example Mail/CN=Example Root CA" v3_root \
  20200101000000Z 20450101000000Z "$W/root-ca.crt"

# Intermediate CA: RSA-2048, 2020-01-01 .. 2040-01-01, signed by the root
pki_genkey "$W/intermediate-ca.key" rsa2048
pki_cert "$W/intermediate-ca.key" "/O=Example Mail/CN=Example Intermediate CA" v3_int \
  20200101000000Z 20400101000000Z "$W/intermediate-ca.crt" "$W/root-ca.crt" "$W/root-ca.key"

###############################################################################
# 2. S/MIME end-entity certificates (issued by the intermediate)
#    Normal validity: 2026-01-01 .. 2036-01-01.
###############################################################################
log "2. S/MIME end entities"
S=20260101000000Z; E=20360101000000Z
issue alice rsa2048 "/O=Example Mail/CN=Alice Example" "email:alice@example.com" v3_smime_rsa $S $E
issue bob   rsa3072 "/O=Example Mail/CN=Bob Example"   "email:bob@example.com"   v3_smime_rsa $S $E
issue carol rsa4096 "/O=Example Mail/CN=Carol Example" "email:carol@example.com" v3_smime_rsa $S $E
issue dave  p256    "/O=Example Mail/CN=Dave Example"  "email:dave@example.com"  v3_smime_ec  $S $E
# erin: subject emailAddress (mixed case on purpose) + two SAN emails, one the same address
issue erin  p384    "/O=Example Mail/CN=Erin Example/emailAddress=Erin@Example.com" \
  "email:erin@example.com, email:erin.work@example.org" v3_smime_ec $S $E
# expired: 2023-01-01 .. 2025-06-01
issue frank rsa2048 "/O=Example Mail/CN=Frank Expired" "email:frank@example.com" \
  v3_smime_rsa 20230101000000Z 20250601000000Z
# not yet valid: 2028-01-01 .. 2038-01-01
issue grace rsa2048 "/O=Example Mail/CN=Grace Future" "email:grace@example.com" \
  v3_smime_rsa 20280101000000Z 20380101000000Z
# EKU serverAuth only (has an email SAN too): neither sign nor encrypt for S/MIME
issue heidi rsa2048 "/O=Example Mail/CN=mail.example.com" \
  "DNS:mail.example.com, email:heidi@example.com" v3_server $S $E
# keyUsage digitalSignature only: sign only
issue ivan  rsa2048 "/O=Example Mail/CN=Ivan Signonly" "email:ivan@example.com" v3_signonly $S $E
# no keyUsage extension (EKU emailProtection): RSA => sign + encrypt
issue judy  rsa2048 "/O=Example Mail/CN=Judy Noku" "email:judy@example.org" v3_noku $S $E

###############################################################################
# 3. Certificate files: PEM, DER, PKCS#7 certs-only bundles
###############################################################################
log "3. certificate files"
cp "$W/root-ca.crt"         "$OUT/root-ca.crt.pem"
cp "$W/intermediate-ca.crt" "$OUT/intermediate-ca.crt.pem"
openssl x509 -in "$W/intermediate-ca.crt" -outform DER -out "$OUT/intermediate-ca.crt.der"
cp "$W/alice.crt" "$OUT/alice-rsa2048.crt.pem"
openssl x509 -in "$W/alice.crt" -outform DER -out "$OUT/alice-rsa2048.crt.der"
cp "$W/bob.crt"   "$OUT/bob-rsa3072.crt.pem"
cp "$W/carol.crt" "$OUT/carol-rsa4096.crt.pem"
cp "$W/dave.crt"  "$OUT/dave-p256.crt.pem"
cp "$W/erin.crt"  "$OUT/erin-p384.crt.pem"
cp "$W/frank.crt" "$OUT/frank-expired.crt.pem"
cp "$W/grace.crt" "$OUT/grace-notyetvalid.crt.pem"
cp "$W/heidi.crt" "$OUT/heidi-serverauth.crt.pem"
cp "$W/ivan.crt"  "$OUT/ivan-signonly.crt.pem"
cp "$W/judy.crt"  "$OUT/judy-nokeyusage.crt.pem"

cat "$W/intermediate-ca.crt" "$W/root-ca.crt" >"$W/chain.pem"     # intermediate + root
# PKCS#7 certs-only (degenerate SignedData): alice + intermediate + root
openssl crl2pkcs7 -nocrl -certfile "$W/alice.crt" -certfile "$W/chain.pem" \
  -out "$OUT/alice-chain.p7b.pem"
openssl crl2pkcs7 -nocrl -certfile "$W/alice.crt" -certfile "$W/chain.pem" \
  -outform DER -out "$OUT/alice-chain.p7b"

###############################################################################
# 4. PKCS#12 (alice RSA-2048, dave P-256)
###############################################################################
log "4. PKCS#12"
P12="openssl pkcs12 -export -inkey $W/alice.key -in $W/alice.crt -name Alice"
# OpenSSL 3 default: PBES2/PBKDF2/AES-256-CBC for key and certs, HMAC-SHA256 MAC
$P12 -passout pass:alice-pass -out "$OUT/alice.p12"
# -legacy: certs pbeWithSHA1And40BitRC2-CBC, key pbeWithSHA1And3-KeyTripleDES-CBC, MAC SHA-1
$P12 -legacy -passout pass:legacy-pass -out "$OUT/alice-legacy.p12"
# explicit 3DES for both bags, SHA-1 MAC
$P12 -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 \
  -passout pass:3des-pass -out "$OUT/alice-3des.p12"
# no encryption at all, MAC with a password
$P12 -keypbe NONE -certpbe NONE -passout pass:mac-pass -out "$OUT/alice-nocrypt.p12"
# no encryption, no MAC: needs no password
$P12 -keypbe NONE -certpbe NONE -nomac -passout pass: -out "$OUT/alice-nomac.p12"
# empty password (default algorithms)
$P12 -passout pass: -out "$OUT/alice-emptypass.p12"
# with the CA chain (intermediate + root) as extra certificates
$P12 -certfile "$W/chain.pem" -passout pass:chain-pass -out "$OUT/alice-chain.p12"
# EC P-256
openssl pkcs12 -export -inkey "$W/dave.key" -in "$W/dave.crt" -name Dave \
  -passout pass:dave-pass -out "$OUT/dave-p256.p12"

###############################################################################
# 5. Private key + certificate in one PEM file, one per private-key flavour
###############################################################################
log "5. key + certificate PEM files"
# PKCS#8 plain (BEGIN PRIVATE KEY), key first
{ openssl pkey -in "$W/alice.key"; cat "$W/alice.crt"; } >"$OUT/alice-pkcs8.pem"
# PKCS#8 encrypted (BEGIN ENCRYPTED PRIVATE KEY): PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC
{ openssl pkcs8 -topk8 -in "$W/alice.key" -v2 aes-256-cbc -v2prf hmacWithSHA256 \
    -passout pass:pkcs8-pass; cat "$W/alice.crt"; } >"$OUT/alice-pkcs8-enc.pem"
# PKCS#1 RSA (BEGIN RSA PRIVATE KEY), certificate FIRST, key second
{ cat "$W/alice.crt"; openssl rsa -in "$W/alice.key" -traditional 2>/dev/null; } \
  >"$OUT/alice-pkcs1.pem"
# SEC1 EC (BEGIN EC PRIVATE KEY), P-256
{ openssl ec -in "$W/dave.key" 2>/dev/null; cat "$W/dave.crt"; } >"$OUT/dave-sec1.pem"
# PKCS#8 plain, EC P-256
{ openssl pkey -in "$W/dave.key"; cat "$W/dave.crt"; } >"$OUT/dave-pkcs8.pem"

###############################################################################
# 6. OpenPGP keys (gpg 2.2, temporary GNUPGHOME, fixed creation times)
###############################################################################
log "6. OpenPGP"
# shellcheck source=lib-gpg.sh
. "$HERE/lib-gpg.sh"          # for gpg_revoke; the g below (passphrases per key) is this script's
new_gpg_home GH
g() { GNUPGHOME="$GH" gpg --batch --no-tty --quiet --pinentry-mode loopback "$@" 2>/dev/null; }
fpr_of() { g --with-colons --list-keys "$1" | awk -F: '$1=="fpr"{print $10; exit}'; }

# 6a. RSA-3072, created 2026-01-01, expires after 10y; primary sign(+certify), subkey encrypt
T=20260101T000000!
g --faked-system-time $T --passphrase pgp-rsa-pass \
  --quick-gen-key "PGP RSA <pgp-rsa@example.org>" rsa3072 sign 10y
RSA_FPR="$(fpr_of pgp-rsa@example.org)"
g --faked-system-time $T --passphrase pgp-rsa-pass --quick-add-key "$RSA_FPR" rsa3072 encr 10y

# 6b. Ed25519 primary (sign+certify) + Cv25519 subkey (encrypt), no expiry, two user IDs
g --faked-system-time $T --passphrase pgp-ed-pass \
  --quick-gen-key "PGP Ed <pgp-ed@example.org>" ed25519 sign never
ED_FPR="$(fpr_of pgp-ed@example.org)"
g --faked-system-time $T --passphrase pgp-ed-pass --quick-add-key "$ED_FPR" cv25519 encr never
g --faked-system-time 20260102T000000! --passphrase pgp-ed-pass \
  --quick-add-uid "$ED_FPR" "PGP Ed Work <pgp-ed.work@example.com>"
# keep pgp-ed@example.org the primary user ID (otherwise the newer one would win)
g --faked-system-time 20260103T000000! --passphrase pgp-ed-pass \
  --quick-set-primary-uid "$ED_FPR" "PGP Ed <pgp-ed@example.org>"

# 6c. Expired: created 2024-01-01, key and subkey expire 2025-01-01 (366 days later)
T0=20240101T000000!
g --faked-system-time $T0 --passphrase '' \
  --quick-gen-key "PGP Expired <pgp-expired@example.org>" ed25519 sign seconds=31622400
EXP_FPR="$(fpr_of pgp-expired@example.org)"
g --faked-system-time $T0 --passphrase '' --quick-add-key "$EXP_FPR" cv25519 encr seconds=31622400

# 6d. Revoked: created 2026-01-01, revoked 2026-06-01 (reason 0, no description)
g --faked-system-time $T --passphrase '' \
  --quick-gen-key "PGP Revoked <pgp-revoked@example.org>" ed25519 sign never
REV_FPR="$(fpr_of pgp-revoked@example.org)"
g --faked-system-time $T --passphrase '' --quick-add-key "$REV_FPR" cv25519 encr never
gpg_revoke 'y\n0\n\ny\n' 20260601T000000! "$REV_FPR" "$W/revoked.rev"
g --import "$W/revoked.rev"

# Exports
g --armor --export "$RSA_FPR" >"$OUT/pgp-rsa.pub.asc"
g --export "$RSA_FPR" >"$OUT/pgp-rsa.pub.gpg"
g --passphrase pgp-rsa-pass --armor --export-secret-keys "$RSA_FPR" >"$OUT/pgp-rsa.sec.asc"
g --passphrase pgp-rsa-pass --export-secret-keys "$RSA_FPR" >"$OUT/pgp-rsa.sec.gpg"
g --armor --export "$ED_FPR" >"$OUT/pgp-ed.pub.asc"
g --passphrase pgp-ed-pass --armor --export-secret-keys "$ED_FPR" >"$OUT/pgp-ed.sec.asc"
g --armor --export "$EXP_FPR" >"$OUT/pgp-expired.pub.asc"
g --armor --export "$REV_FPR" >"$OUT/pgp-revoked.pub.asc"
# keyrings: one armor block with 4 keys; the same as binary; two armor blocks concatenated
g --armor --export "$RSA_FPR" "$ED_FPR" "$EXP_FPR" "$REV_FPR" >"$OUT/pgp-keyring.asc"
g --export "$RSA_FPR" "$ED_FPR" "$EXP_FPR" "$REV_FPR" >"$OUT/pgp-keyring.gpg"
cat "$OUT/pgp-rsa.pub.asc" "$OUT/pgp-ed.pub.asc" >"$OUT/pgp-keyring-concat.asc"

# Unprotected secret of the same RSA key: remove the passphrase (old, new='' for the primary;
# new='' for the subkey, whose old passphrase the agent takes from the same operation), then
# export. Section 9 checks that the export really has no S2K protection.
printf 'pgp-rsa-pass\n\n\n' | GNUPGHOME="$GH" gpg --batch --no-tty --quiet \
  --pinentry-mode loopback --command-fd 0 --passwd "$RSA_FPR" 2>/dev/null
g --passphrase '' --armor --export-secret-keys "$RSA_FPR" >"$OUT/pgp-rsa-nopass.sec.asc"

###############################################################################
# 7. Files for the failure cases
###############################################################################
log "7. failure fixtures"
# deterministic pseudo-random junk (AES-128-CTR keystream with a fixed key), 1 KiB
head -c 1024 /dev/zero | openssl enc -aes-128-ctr -nosalt \
  -K 6d61696c7365616c2d6a756e6b2d3031 -iv 00000000000000000000000000000000 >"$OUT/junk.bin"
cat >"$OUT/not-a-key.txt" <<'EOF'
Hello,

this is a plain text file and not a key or a certificate. It mentions
alice@example.com and the words PUBLIC KEY and CERTIFICATE, but contains
no PEM block, no armor and no DER structure.
EOF
# the first 300 bytes of alice's certificate (DER)
head -c 300 "$OUT/alice-rsa2048.crt.der" >"$OUT/alice-truncated.crt.der"

###############################################################################
# 8. Declared intent (checked against the tools' own output in section 9)
###############################################################################
# certificate / key name -> "algorithm canSign canEncrypt status emails(comma-separated)"
declare -A DECL=(
  [root-ca]="rsa3072 false false valid -"
  [intermediate-ca]="rsa2048 false false valid -"
  [alice]="rsa2048 true true valid alice@example.com"
  [bob]="rsa3072 true true valid bob@example.com"
  [carol]="rsa4096 true true valid carol@example.com"
  [dave]="p256 true true valid dave@example.com"
  [erin]="p384 true true valid erin.work@example.org,erin@example.com"
  [frank]="rsa2048 true true expired frank@example.com"
  [grace]="rsa2048 true true not_yet_valid grace@example.com"
  [heidi]="rsa2048 false false valid heidi@example.com"
  [ivan]="rsa2048 true false valid ivan@example.com"
  [judy]="rsa2048 true true valid judy@example.org"
  [pgp-rsa]="rsa3072 true true valid pgp-rsa@example.org"
  [pgp-ed]="ed25519 true true valid pgp-ed.work@example.com,pgp-ed@example.org"
  [pgp-expired]="ed25519 true true expired pgp-expired@example.org"
  [pgp-revoked]="ed25519 true true revoked pgp-revoked@example.org"
)
# import: "file|type|passphrase|trusted|names"  (type: cert p7 p12 pem pgp; passphrase "-"
# = null; a name with "+" has its secret key in the file)
IMPORTS=(
  "root-ca.crt.pem|cert|-|true|root-ca"
  "intermediate-ca.crt.pem|cert|-|false|intermediate-ca"
  "intermediate-ca.crt.der|cert|-|false|intermediate-ca"
  "alice-rsa2048.crt.pem|cert|-|false|alice"
  "alice-rsa2048.crt.der|cert|-|false|alice"
  "bob-rsa3072.crt.pem|cert|-|false|bob"
  "carol-rsa4096.crt.pem|cert|-|false|carol"
  "dave-p256.crt.pem|cert|-|false|dave"
  "erin-p384.crt.pem|cert|-|false|erin"
  "frank-expired.crt.pem|cert|-|false|frank"
  "grace-notyetvalid.crt.pem|cert|-|false|grace"
  "heidi-serverauth.crt.pem|cert|-|false|heidi"
  "ivan-signonly.crt.pem|cert|-|false|ivan"
  "judy-nokeyusage.crt.pem|cert|-|false|judy"
  "alice-chain.p7b.pem|p7|-|false|alice intermediate-ca root-ca"
  "alice-chain.p7b|p7|-|false|alice intermediate-ca root-ca"
  "alice.p12|p12|alice-pass|false|alice+"
  "alice-legacy.p12|p12|legacy-pass|false|alice+"
  "alice-3des.p12|p12|3des-pass|false|alice+"
  "alice-nocrypt.p12|p12|mac-pass|false|alice+"
  "alice-nomac.p12|p12|-|false|alice+"
  "alice-emptypass.p12|p12||false|alice+"
  "alice-chain.p12|p12|chain-pass|false|alice+ intermediate-ca root-ca"
  "dave-p256.p12|p12|dave-pass|false|dave+"
  "alice-pkcs8.pem|pem|-|false|alice+"
  "alice-pkcs8-enc.pem|pem|pkcs8-pass|false|alice+"
  "alice-pkcs1.pem|pem|-|false|alice+"
  "dave-sec1.pem|pem|-|false|dave+"
  "dave-pkcs8.pem|pem|-|false|dave+"
  "pgp-rsa.pub.asc|pgp|-|false|pgp-rsa"
  "pgp-rsa.pub.gpg|pgp|-|false|pgp-rsa"
  "pgp-rsa.sec.asc|pgp|pgp-rsa-pass|false|pgp-rsa+"
  "pgp-rsa.sec.gpg|pgp|pgp-rsa-pass|false|pgp-rsa+"
  "pgp-rsa-nopass.sec.asc|pgp|-|false|pgp-rsa+"
  "pgp-ed.pub.asc|pgp|-|false|pgp-ed"
  "pgp-ed.sec.asc|pgp|pgp-ed-pass|false|pgp-ed+"
  "pgp-expired.pub.asc|pgp|-|false|pgp-expired"
  "pgp-revoked.pub.asc|pgp|-|false|pgp-revoked"
  "pgp-keyring.asc|pgp|-|false|pgp-rsa pgp-ed pgp-expired pgp-revoked"
  "pgp-keyring.gpg|pgp|-|false|pgp-rsa pgp-ed pgp-expired pgp-revoked"
  "pgp-keyring-concat.asc|pgp|-|false|pgp-rsa pgp-ed"
)
# failure: "file|kind|passphrase|code"  (kind selects how section 9 proves the failure)
FAILURES=(
  "alice.p12|p12|wrong|bad_passphrase"
  "alice.p12|p12|-|bad_passphrase"
  "alice-legacy.p12|p12|wrong|bad_passphrase"
  "alice-pkcs8-enc.pem|pkcs8|wrong|bad_passphrase"
  "alice-pkcs8-enc.pem|pkcs8|-|bad_passphrase"
  "pgp-rsa.sec.asc|pgpsec|wrong|bad_passphrase"
  "pgp-rsa.sec.asc|pgpsec|-|bad_passphrase"
  "pgp-rsa.sec.gpg|pgpsec|wrong|bad_passphrase"
  "pgp-ed.sec.asc|pgpsec|wrong|bad_passphrase"
  "junk.bin|junk|-|unsupported_format"
  "not-a-key.txt|junk|-|unsupported_format"
  "alice-truncated.crt.der|junk|-|unsupported_format"
)

###############################################################################
# 9. Derive every expectation from openssl/gpg output, compare with section 8,
#    write expected.json
###############################################################################
log "9. verify + expected.json"
epoch_of() { date -u -d "$1" +%s; }
status_of() { # notBefore_epoch notAfter_epoch(or empty)
  if [ "$1" -gt "$NOW_EPOCH" ]; then echo not_yet_valid
  elif [ -n "$2" ] && [ "$2" -le "$NOW_EPOCH" ]; then echo expired
  else echo valid; fi
}

# S/MIME: "algorithm canSign canEncrypt status emails" of one PEM certificate, from openssl
smime_attrs() {
  local c="$1" text alg sign enc bc eku ku nb na emails
  text="$(openssl x509 -in "$c" -noout -text)"
  if grep -q 'Public Key Algorithm: rsaEncryption' <<<"$text"; then
    alg="rsa$(sed -n 's/.*Public-Key: (\([0-9]*\) bit).*/\1/p' <<<"$text" | head -1)"
  elif grep -q 'Public Key Algorithm: id-ecPublicKey' <<<"$text"; then
    case "$(sed -n 's/.*NIST CURVE: //p' <<<"$text")" in
      P-256) alg=p256 ;; P-384) alg=p384 ;; *) alg=unknown-ec ;;
    esac
  else alg=unknown; fi
  bc="$(openssl x509 -in "$c" -noout -ext basicConstraints 2>/dev/null)"
  eku="$(openssl x509 -in "$c" -noout -ext extendedKeyUsage 2>/dev/null)"
  ku="$(openssl x509 -in "$c" -noout -ext keyUsage 2>/dev/null)"
  if grep -q 'CA:TRUE' <<<"$bc"; then sign=false; enc=false
  elif [ -n "$eku" ] && ! grep -qE 'E-mail Protection|Any Extended Key Usage' <<<"$eku"; then
    sign=false; enc=false
  elif [ -z "$ku" ]; then sign=true; enc=true
  else
    sign=false; enc=false
    grep -qE 'Digital Signature|Non Repudiation' <<<"$ku" && sign=true
    case "$alg" in
      rsa*) grep -q 'Key Encipherment' <<<"$ku" && enc=true ;;
      p*)   grep -q 'Key Agreement' <<<"$ku" && enc=true ;;
    esac
  fi
  nb="$(epoch_of "$(openssl x509 -in "$c" -noout -startdate | cut -d= -f2)")"
  na="$(epoch_of "$(openssl x509 -in "$c" -noout -enddate | cut -d= -f2)")"
  emails="$( { openssl x509 -in "$c" -noout -ext subjectAltName 2>/dev/null | tr ',' '\n' \
                 | sed -n 's/^ *email://p'
               openssl x509 -in "$c" -noout -subject -nameopt multiline \
                 | sed -n 's/^ *emailAddress *= *//p'; } \
             | tr 'A-Z' 'a-z' | sed 's/ *$//' | sort -u | paste -sd, -)"
  echo "$alg $sign $enc $(status_of "$nb" "$na") ${emails:--}"
}
smime_fpr() { openssl x509 -in "$1" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d ':'; }
pubkey_of_cert() { openssl x509 -in "$1" -noout -pubkey; }

# split a PEM bundle into $2/cert-N.pem (certificates only)
split_certs() {
  rm -rf "$2"; mkdir -p "$2"
  awk -v d="$2" '/-----BEGIN CERTIFICATE-----/{n++; f=d "/cert-" n ".pem"; p=1}
                 p{print > f} /-----END CERTIFICATE-----/{p=0}' "$1"
}

# OpenPGP: import a file into a fresh home and print, per primary key,
#   "FPR hasSecret algorithm canSign canEncrypt status emails"  (evaluated at NOW)
pgp_keys() {
  local f="$1" h
  new_gpg_home h
  GNUPGHOME="$h" gpg --batch --no-tty --quiet --pinentry-mode loopback --passphrase '' \
    --import "$f" >/dev/null 2>&1 || true
  local secfprs
  secfprs="$(GNUPGHOME="$h" gpg --batch --with-colons --list-secret-keys 2>/dev/null \
               | awk -F: '$1=="sec"{want=1; next} $1=="fpr"&&want{print $10; want=0}')"
  GNUPGHOME="$h" gpg --batch --with-colons --faked-system-time "$NOW_GPG" --list-keys \
      2>/dev/null \
    | awk -F: -v now="$NOW_EPOCH" -v secs="$secfprs" '
      function flush() {
        if (fpr == "") return
        n = split(mails, a, "\n"); m = ""
        # sort + dedup the emails
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t=a[i]; a[i]=a[j]; a[j]=t }
        for (i = 1; i <= n; i++) if (a[i] != "" && a[i] != a[i-1]) m = m (m == "" ? "" : ",") a[i]
        sec = (index("\n" secs "\n", "\n" fpr "\n") > 0) ? "true" : "false"
        print fpr, sec, alg, (caps ~ /s/ ? "true" : "false"), (caps ~ /e/ ? "true" : "false"), st, (m == "" ? "-" : m)
        fpr = ""
      }
      $1=="pub" { flush(); inpub=1; caps=""; mails=""
                  if ($4 == 1) alg = "rsa" $3
                  else if ($4 == 22 && $17 == "ed25519") alg = "ed25519"
                  else if ($4 == 19 && $17 == "nistp256") alg = "p256"
                  else if ($4 == 19 && $17 == "nistp384") alg = "p384"
                  else alg = "unknown" $4 $17
                  if ($2 == "r") st = "revoked"
                  else if ($2 == "e" || ($7 != "" && $7 <= now)) st = "expired"
                  else if ($6 > now) st = "not_yet_valid"
                  else st = "valid"
                  caps = caps tolower($12) }
      $1=="sub" { inpub=0; caps = caps tolower($12) }
      $1=="fpr" && inpub==1 { fpr = $10; inpub = 2 }
      $1=="uid" { u = $10; gsub(/\\x3a/, ":", u)
                  if (match(u, /<[^>]*>/)) u = substr(u, RSTART + 1, RLENGTH - 2)
                  mails = mails tolower(u) "\n" }
      END { flush() }'
  GNUPGHOME="$h" gpgconf --kill gpg-agent >/dev/null 2>&1 || true
}

# fingerprint of each declared certificate / PGP key
declare -A FPR
for n in root-ca intermediate-ca alice bob carol dave erin frank grace heidi ivan judy; do
  got="$(smime_attrs "$W/$n.crt")"
  [ "$got" = "${DECL[$n]}" ] || die "cert $n: declared '${DECL[$n]}', openssl says '$got'"
  FPR[$n]="$(smime_fpr "$W/$n.crt")"
done
FPR[pgp-rsa]="$RSA_FPR"; FPR[pgp-ed]="$ED_FPR"
FPR[pgp-expired]="$EXP_FPR"; FPR[pgp-revoked]="$REV_FPR"

json_emails() { # a,b -> ["a","b"]
  if [ "$1" = "-" ]; then printf '[]'; else printf '["%s"]' "$(sed 's/,/","/g' <<<"$1")"; fi
}
json_key() { # kind fpr hasSecret "alg sign enc status emails"
  local alg sign enc st em
  read -r alg sign enc st em <<<"$4"
  printf '{ "id": "%s", "kind": "%s", "emails": %s, "hasSecret": %s, "canSign": %s, "canEncrypt": %s, "status": "%s", "algorithm": "%s" }' \
    "$2" "$1" "$(json_emails "$em")" "$3" "$sign" "$enc" "$st" "$alg"
}

# Which keys (fingerprint + secret flag) does each import file hold, according to the tools?
# Prints lines "FPR hasSecret ATTRS..." ; S/MIME attrs come from smime_attrs on the extracted
# certificate, PGP attrs from pgp_keys.
contents_of() { # file type pass
  local f="$OUT/$1" t="$2" pass="$3" d="$W/x" key="" c pk
  rm -rf "$d"; mkdir -p "$d"
  local passin="pass:"; [ "$pass" = "-" ] || passin="pass:$pass"
  case "$t" in
    cert)
      if head -c 11 "$f" | grep -q -- '-----BEGIN'; then cp "$f" "$d/all.pem"
      else openssl x509 -inform DER -in "$f" -out "$d/all.pem"; fi ;;
    p7)
      if head -c 11 "$f" | grep -q -- '-----BEGIN'; then
        openssl pkcs7 -in "$f" -print_certs -out "$d/all.pem"
      else openssl pkcs7 -inform DER -in "$f" -print_certs -out "$d/all.pem"; fi ;;
    p12)
      openssl pkcs12 -legacy -in "$f" -passin "$passin" -nokeys -out "$d/all.pem" 2>/dev/null \
        || die "$1: openssl cannot read the certificates with passphrase '$pass'"
      openssl pkcs12 -legacy -in "$f" -passin "$passin" -nocerts -nodes -out "$d/key.pem" \
        2>/dev/null || die "$1: openssl cannot read the key with passphrase '$pass'"
      key="$d/key.pem" ;;
    pem)
      cp "$f" "$d/all.pem"
      openssl pkey -in "$f" -passin "$passin" -out "$d/key.pem" 2>/dev/null \
        || die "$1: openssl cannot read the private key with passphrase '$pass'"
      key="$d/key.pem" ;;
    pgp)
      pgp_keys "$f" | while read -r fp sec rest; do echo "$fp $sec $rest"; done
      return ;;
  esac
  split_certs "$d/all.pem" "$d/certs"
  [ -n "$(ls "$d/certs")" ] || die "$1: no certificate found"
  [ -z "$key" ] || pk="$(openssl pkey -in "$key" -pubout)"
  for c in "$d/certs"/cert-*.pem; do
    local sec=false
    if [ -n "$key" ] && [ "$(pubkey_of_cert "$c")" = "$pk" ]; then sec=true; fi
    echo "$(smime_fpr "$c") $sec $(smime_attrs "$c")"
  done
}

# Extra checks on the formats themselves
log "9a. format checks"
chk_pem_label() { grep -q -- "-----BEGIN $2-----" "$OUT/$1" || die "$1 lacks '$2'"; }
chk_pem_label alice-pkcs8.pem "PRIVATE KEY"
chk_pem_label alice-pkcs8-enc.pem "ENCRYPTED PRIVATE KEY"
chk_pem_label alice-pkcs1.pem "RSA PRIVATE KEY"
chk_pem_label dave-sec1.pem "EC PRIVATE KEY"
chk_pem_label dave-pkcs8.pem "PRIVATE KEY"
! grep -q 'EC PARAMETERS' "$OUT/dave-sec1.pem" || die "dave-sec1.pem has an EC PARAMETERS block"
openssl asn1parse -in "$OUT/alice-pkcs8-enc.pem" 2>/dev/null | grep -q 'aes-256-cbc' \
  || die "alice-pkcs8-enc.pem is not AES-256-CBC"
openssl asn1parse -in "$OUT/alice-pkcs8-enc.pem" 2>/dev/null | grep -q 'PBES2' \
  || die "alice-pkcs8-enc.pem is not PBES2"
p12info() { openssl pkcs12 -legacy -info -noout -in "$OUT/$1" -passin "pass:$2" 2>&1; }
p12info alice.p12 alice-pass | grep -q 'MAC: sha256' || die "alice.p12: MAC"
p12info alice.p12 alice-pass | grep -q 'PBES2, PBKDF2, AES-256-CBC' || die "alice.p12: PBES2"
p12info alice-legacy.p12 legacy-pass | grep -q 'pbeWithSHA1And40BitRC2-CBC' || die "legacy: RC2"
p12info alice-legacy.p12 legacy-pass | grep -q 'pbeWithSHA1And3-KeyTripleDES-CBC' || die "legacy: 3DES"
p12info alice-3des.p12 3des-pass | grep -q 'MAC: sha1' || die "3des: MAC"
[ "$(p12info alice-3des.p12 3des-pass | grep -c 'pbeWithSHA1And3-KeyTripleDES-CBC')" = 2 ] \
  || die "alice-3des.p12: not 3DES for both bags"
p12info alice-nocrypt.p12 mac-pass | grep -q 'MAC: sha256' || die "nocrypt: MAC"
! p12info alice-nocrypt.p12 mac-pass | grep -qE 'PBES2|pbeWith' || die "nocrypt: encrypted"
! p12info alice-nomac.p12 '' | grep -q 'MAC:' || die "nomac: has a MAC"
! p12info alice-nomac.p12 '' | grep -qE 'PBES2|pbeWith' || die "nomac: encrypted"
p12info alice-nomac.p12 'anything' >/dev/null || die "nomac: a password should not matter"
p12info alice-emptypass.p12 '' | grep -q 'PBES2, PBKDF2, AES-256-CBC' || die "emptypass"
# OpenPGP protection: protected exports carry an S2K; the nopass one does not
gpg --batch --list-packets "$OUT/pgp-rsa.sec.gpg" 2>/dev/null | grep -q 'protected' \
  || die "pgp-rsa.sec.gpg is not protected"
gpg --batch --list-packets "$OUT/pgp-ed.sec.asc" 2>/dev/null | grep -q 'protected' \
  || die "pgp-ed.sec.asc is not protected"
if gpg --batch --list-packets "$OUT/pgp-rsa-nopass.sec.asc" 2>/dev/null | grep -q 'protected'; then
  die "pgp-rsa-nopass.sec.asc is protected"
fi
[ "$(gpg --batch --list-packets "$OUT/pgp-rsa-nopass.sec.asc" 2>/dev/null \
      | grep -cE '^:secret (sub )?key packet:')" = 2 ] || die "nopass: not 2 secret keys"
[ "$(grep -c -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' "$OUT/pgp-keyring.asc")" = 1 ] \
  || die "pgp-keyring.asc should be one armor block"
[ "$(grep -c -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' "$OUT/pgp-keyring-concat.asc")" = 2 ] \
  || die "pgp-keyring-concat.asc should be two armor blocks"

# a protected PGP secret key: sign with the passphrase in a fresh home (must succeed)
pgp_sign_ok() { # file passphrase("-" = none)
  local h rc=0
  new_gpg_home h
  GNUPGHOME="$h" gpg --batch --no-tty --quiet --import "$OUT/$1" >/dev/null 2>&1
  local pp=""; [ "$2" = "-" ] || pp="$2"
  echo test | GNUPGHOME="$h" gpg --batch --no-tty --quiet --pinentry-mode loopback \
    --passphrase "$pp" --faked-system-time "$NOW_GPG" --sign -o /dev/null >/dev/null 2>&1 || rc=1
  GNUPGHOME="$h" gpgconf --kill gpg-agent >/dev/null 2>&1 || true
  return $rc
}

IMPORTS_JSON=()
for imp in "${IMPORTS[@]}"; do
  IFS='|' read -r file type pass trusted names <<<"$imp"
  [ -f "$OUT/$file" ] || die "missing $file"
  kind=smime; [ "$type" = pgp ] && kind=pgp
  got="$(contents_of "$file" "$type" "$pass")"
  # compare with the declaration: same set of (name, secret) pairs, same attributes
  want_sorted="$(for n in $names; do s=false; [[ "$n" == *+ ]] && s=true
                   n="${n%+}"; echo "${FPR[$n]} $s ${DECL[$n]}"; done | sort)"
  [ "$(sort <<<"$got")" = "$want_sorted" ] || die "$file: declared
$want_sorted
but the tools say
$(sort <<<"$got")"
  if [ "$type" = pgp ]; then
    for n in $names; do
      [[ "$n" == *+ ]] || continue
      if [ "$pass" = "-" ]; then
        pgp_sign_ok "$file" - || die "$file: cannot sign without a passphrase"
      else
        pgp_sign_ok "$file" "$pass" || die "$file: cannot sign with '$pass'"
      fi
    done
  fi
  keys=()
  while read -r fp sec alg sign enc st em; do
    keys+=("$(json_key "$kind" "$fp" "$sec" "$alg $sign $enc $st $em")")
  done <<<"$got"
  pj="null"; [ "$pass" = "-" ] || pj="\"$pass\""
  body="$(printf '      %s,\n' "${keys[@]}")"
  IMPORTS_JSON+=("$(printf '    { "file": "keys/%s", "passphrase": %s, "trusted": %s,\n      "keys": [\n%s\n      ] }' \
    "$file" "$pj" "$trusted" "${body%,}")")
done

log "9b. failure checks"
FAIL_JSON=()
for fl in "${FAILURES[@]}"; do
  IFS='|' read -r file kind pass code <<<"$fl"
  f="$OUT/$file"
  [ -f "$f" ] || die "missing $file"
  pp=""; [ "$pass" = "-" ] || pp="$pass"
  case "$kind" in
    p12)
      if openssl pkcs12 -legacy -in "$f" -passin "pass:$pp" -noout 2>/dev/null; then
        die "$file: opens with '$pass'"; fi ;;
    pkcs8)
      if openssl pkey -in "$f" -passin "pass:$pp" -noout 2>/dev/null; then
        die "$file: opens with '$pass'"; fi ;;
    pgpsec)
      if pgp_sign_ok "$file" "$pass"; then die "$file: signs with '$pass'"; fi ;;
    junk)
      for inf in PEM DER; do
        if openssl x509 -inform $inf -in "$f" -noout 2>/dev/null \
           || openssl pkcs7 -inform $inf -in "$f" -noout 2>/dev/null \
           || openssl pkey -inform $inf -in "$f" -passin pass: -noout 2>/dev/null; then
          die "$file: openssl accepts it as $inf"; fi
      done
      if openssl pkcs12 -legacy -in "$f" -passin pass: -noout 2>/dev/null; then
        die "$file: openssl accepts it as PKCS#12"; fi
      new_gpg_home hj
      GNUPGHOME="$hj" gpg --batch --no-tty --import "$f" >/dev/null 2>&1 || true
      [ -z "$(GNUPGHOME="$hj" gpg --batch --with-colons --list-keys 2>/dev/null | grep '^pub')" ] \
        || die "$file: gpg imports a key from it" ;;
  esac
  pj="null"; [ "$pass" = "-" ] || pj="\"$pass\""
  FAIL_JSON+=("$(printf '    { "file": "keys/%s", "passphrase": %s, "code": "%s" }' "$file" "$pj" "$code")")
done

{
  printf '{ "now": "%s",\n  "imports": [\n' "$NOW_ISO"
  for i in "${!IMPORTS_JSON[@]}"; do
    printf '%s' "${IMPORTS_JSON[$i]}"; [ "$i" -lt $((${#IMPORTS_JSON[@]} - 1)) ] && printf ','
    printf '\n'
  done
  printf '  ],\n  "failures": [\n'
  for i in "${!FAIL_JSON[@]}"; do
    printf '%s' "${FAIL_JSON[$i]}"; [ "$i" -lt $((${#FAIL_JSON[@]} - 1)) ] && printf ','
    printf '\n'
  done
  printf '  ] }\n'
} >"$OUT/expected.json"

chmod 644 "$OUT"/*          # openssl pkcs12 writes 0600; these are public test fixtures
log "done: $(ls "$OUT" | wc -l) files in $OUT ($(du -sk "$OUT" | cut -f1) KiB)"

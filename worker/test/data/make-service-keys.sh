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
CA="$W/ca"; mkdir -p "$CA/new"; : >"$CA/index.txt"; echo 3000 >"$CA/serial"
export CA
cat >"$CA/ca.cnf" <<'EOF'
[ ca ]
default_ca = CA_default
[ CA_default ]
database        = $ENV::CA/index.txt
new_certs_dir   = $ENV::CA/new
serial          = $ENV::CA/serial
default_md      = sha256
policy          = policy_any
unique_subject  = no
copy_extensions = none
[ policy_any ]
commonName   = supplied
[ req ]
distinguished_name = req_dn
prompt             = no
[ req_dn ]
CN = placeholder
[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ v3_ec ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation, keyAgreement
extendedKeyUsage       = emailProtection
subjectAltName         = email:support@example.com
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
EOF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/worker-ca.key"
openssl req -new -config "$CA/ca.cnf" -key "$W/worker-ca.key" \
  -subj "/O=Mailseal Worker Test/CN=Mailseal Worker Test Root" -out "$W/worker-ca.csr"
openssl ca -batch -config "$CA/ca.cnf" -notext -preserveDN -selfsign -keyfile "$W/worker-ca.key" \
  -startdate 20260101000000Z -enddate 20400101000000Z -extensions v3_root \
  -in "$W/worker-ca.csr" -out "$OUT/worker-ca.crt" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$OUT/support.key"
openssl req -new -config "$CA/ca.cnf" -key "$OUT/support.key" \
  -subj "/O=Mailseal Worker Test/CN=Support" -out "$W/support.csr"
openssl ca -batch -config "$CA/ca.cnf" -notext -preserveDN -cert "$OUT/worker-ca.crt" \
  -keyfile "$W/worker-ca.key" -startdate 20260101000000Z -enddate 20360101000000Z \
  -extensions v3_ec -in "$W/support.csr" -out "$OUT/support.crt" 2>/dev/null
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

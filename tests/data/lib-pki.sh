# Shared by the S/MIME fixture scripts (sourced, not run): a small test CA driven by
# `openssl ca`, which takes explicit -startdate/-enddate (`openssl x509 -req -days` cannot do
# that on OpenSSL 3.0). The caller keeps its work files under its own temporary directory.

# pki_init DIR SERIAL: a CA database in DIR (exported as CA) and $CA/ca.cnf with the root and
# intermediate profiles; end-entity profiles are added with pki_profile.
pki_init() {
  export CA="$1"
  mkdir -p "$CA/new"
  : >"$CA/index.txt"
  echo "$2" >"$CA/serial"
  # The profiles read the subjectAltName from the environment; openssl wants it set always.
  export SAN="${SAN:-email:unused@example.com}"
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
email_in_dn     = yes
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
[ v3_int ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF
}

# pki_profile NAME KEYUSAGE EKU [SAN]: an end-entity profile (no keyUsage extension when
# KEYUSAGE is empty); SAN defaults to the SAN of the environment at issuing time.
pki_profile() {
  {
    printf '[ %s ]\n' "$1"
    printf 'basicConstraints       = critical, CA:FALSE\n'
    if [ -n "$2" ]; then printf 'keyUsage               = critical, %s\n' "$2"; fi
    printf 'extendedKeyUsage       = %s\n' "$3"
    printf 'subjectAltName         = %s\n' "${4:-\$ENV::SAN}"
    printf 'subjectKeyIdentifier   = hash\n'
    printf 'authorityKeyIdentifier = keyid\n'
  } >>"$CA/ca.cnf"
}

# pki_genkey OUT ALG: a new unencrypted PKCS#8 PEM key; ALG is rsaBITS, p256 or p384.
pki_genkey() {
  case "$2" in
    rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$1" 2>/dev/null ;;
    p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
            -pkeyopt ec_param_enc:named_curve -out "$1" ;;
    p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
            -pkeyopt ec_param_enc:named_curve -out "$1" ;;
    *) echo "pki_genkey: unknown algorithm $2" >&2; return 1 ;;
  esac
}

# pki_cert KEY SUBJECT PROFILE START END OUT [ISSUER_CRT ISSUER_KEY]: the certificate for KEY,
# issued by ISSUER (self-signed without one).
pki_cert() {
  local key="$1" subj="$2" profile="$3" start="$4" end="$5" out="$6" csr
  local signer=(-selfsign -keyfile "$key")
  if [ -n "${7:-}" ]; then signer=(-cert "$7" -keyfile "$8"); fi
  csr="$(mktemp "$CA/req.XXXXXX")"
  openssl req -new -config "$CA/ca.cnf" -key "$key" -subj "$subj" -out "$csr"
  openssl ca -batch -config "$CA/ca.cnf" -notext -preserveDN "${signer[@]}" \
    -startdate "$start" -enddate "$end" -extensions "$profile" \
    -in "$csr" -out "$out" 2>/dev/null
}

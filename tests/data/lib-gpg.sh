# Shared by the OpenPGP fixture scripts (sourced, not run). gpg only ever runs in a private
# GNUPGHOME under the caller's work directory $W (~/.gnupg is never touched).

# gpg_private_home: GH="$W/gnupg"; on exit its agent is stopped and $W removed.
gpg_private_home() {
  GH="$W/gnupg"
  mkdir -m 700 "$GH"
  trap gpg_cleanup EXIT
}
gpg_cleanup() {
  GNUPGHOME="$GH" gpgconf --kill gpg-agent >/dev/null 2>&1 || true
  rm -rf "$W"
}

# gpg in that home, unattended: no passphrases, every key trusted.
g() { GNUPGHOME="$GH" gpg --batch --no-tty --quiet --pinentry-mode loopback --passphrase '' \
  --trust-model always "$@" 2>/dev/null; }
fpr_of() { g --with-colons --list-keys "$1" | awk -F: '$1=="fpr"{print $10; exit}'; }

# gpg_key_pair TIME "NAME <EMAIL>" PRIMARY SUBKEY EXPIRY: a key made at TIME, its primary
# (PRIMARY) signs, its subkey (SUBKEY) encrypts, both expire after EXPIRY.
gpg_key_pair() {
  local email="${2##*<}"
  g --faked-system-time "$1" --quick-gen-key "$2" "$3" sign "$5"
  g --faked-system-time "$1" --quick-add-key "$(fpr_of "${email%>}")" "$4" encr "$5"
}

# gpg_revoke ANSWERS TIME FPR OUT: writes a revocation certificate for FPR, made at TIME, to
# OUT (in the home $GH). --gen-revoke refuses --batch: ANSWERS (a printf format) go to its
# --command-fd.
gpg_revoke() {
  # shellcheck disable=SC2059
  printf "$1" | GNUPGHOME="$GH" gpg --no-tty --quiet --pinentry-mode loopback \
    --passphrase '' --command-fd 0 --faked-system-time "$2" --armor \
    --output "$4" --gen-revoke "$3" 2>/dev/null
  [ -s "$4" ] || { echo "revocation certificate not created" >&2; return 1; }
}

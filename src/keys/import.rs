//! Format detection for [`Keyring::import`](super::Keyring::import): which standard a file
//! belongs to, then that standard's reader (`import/smime.rs` for X.509 and the PKCS formats,
//! `keys/openpgp/` for OpenPGP keys and keyrings).
//!
//! The sniffing is the same in every build, so a one-standard build (`mailseal/smime`,
//! `mailseal/openpgp`) recognises the other standard's keys and refuses them with
//! `standard_not_enabled` instead of calling them unreadable.

#[cfg(feature = "smime")]
mod smime;

use super::{Entry, ImportOptions, Keyring};
use crate::bytes::contains;
use crate::error::{Error, ErrorCode, Result};
#[cfg(not(all(feature = "smime", feature = "openpgp")))]
use crate::{features, report::Method};

/// Largest file `import` accepts.
pub(crate) const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;

pub(crate) fn parse_any(data: &[u8], opts: &ImportOptions, ring: &Keyring) -> Result<Vec<Entry>> {
    parse_any_reporting(data, opts, ring, &mut Vec::new())
}

/// [`parse_any`], with the keys it left out of a file of several (an OpenPGP key on an
/// algorithm mailseal does not compute with, beside keys it does): their ids and errors.
pub(crate) fn parse_any_reporting(
    data: &[u8],
    opts: &ImportOptions,
    ring: &Keyring,
    skipped: &mut Vec<(String, Error)>,
) -> Result<Vec<Entry>> {
    if data.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::bad_input("The file is empty."));
    }
    if data.len() > MAX_IMPORT_BYTES {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "The file is larger than 16 MiB.",
        ));
    }
    let passphrase = opts.passphrase.as_ref().map(|p| p.as_str());
    if looks_like_pgp(data) {
        openpgp_keys(data, passphrase, opts.trusted, skipped)
    } else {
        smime_keys(data, passphrase, opts.trusted, ring)
    }
}

/// True when `data` looks like OpenPGP: an ASCII armor header line anywhere, or a binary
/// stream whose first packet is a public key (tag 6) or secret key (tag 5) packet.
pub(super) fn looks_like_pgp(data: &[u8]) -> bool {
    if contains(data, b"-----BEGIN PGP ") {
        return true;
    }
    let Some(&first) = data.first() else {
        return false;
    };
    if first & 0x80 == 0 {
        return false;
    }
    // RFC 9580 §4.2: new format (bit 6 set) carries the tag in bits 0-5, the legacy format in
    // bits 2-5.
    let tag = if first & 0x40 != 0 {
        first & 0x3f
    } else {
        (first >> 2) & 0x0f
    };
    // Secret key, public key, or a signature: a binary revocation certificate (`gpg
    // --gen-revoke` without --armor) is one signature packet. DER (X.509, PKCS#8, PKCS#12)
    // starts with 0x30, which is no packet header.
    tag == 5 || tag == 6 || tag == 2
}

#[cfg(feature = "openpgp")]
fn openpgp_keys(
    data: &[u8],
    passphrase: Option<&str>,
    trusted: bool,
    skipped: &mut Vec<(String, Error)>,
) -> Result<Vec<Entry>> {
    let keys = super::openpgp::parse_pgp_reporting(data, passphrase, trusted, skipped)?;
    if keys.is_empty() {
        return Err(Error::unsupported_format(
            "The file holds no certificate or key.",
        ));
    }
    Ok(keys.into_iter().map(|e| Entry::Pgp(Box::new(e))).collect())
}

#[cfg(not(feature = "openpgp"))]
fn openpgp_keys(
    _: &[u8],
    _: Option<&str>,
    _: bool,
    _: &mut Vec<(String, Error)>,
) -> Result<Vec<Entry>> {
    Err(features::not_enabled_error(
        Method::Pgp,
        "This is an OpenPGP key.",
    ))
}

#[cfg(feature = "smime")]
fn smime_keys(
    data: &[u8],
    passphrase: Option<&str>,
    trusted: bool,
    ring: &Keyring,
) -> Result<Vec<Entry>> {
    smime::parse(data, passphrase, trusted, ring)
}

/// Without S/MIME: PEM blocks of the X.509 / PKCS kinds, or DER (an ASN.1 SEQUENCE), are the
/// other standard's; anything else is no key format at all.
#[cfg(not(feature = "smime"))]
fn smime_keys(data: &[u8], _: Option<&str>, _: bool, _: &Keyring) -> Result<Vec<Entry>> {
    const PEM_LABELS: [&[u8]; 5] = [
        b"CERTIFICATE-----",
        b"PRIVATE KEY-----",
        b"PKCS7-----",
        b"CMS-----",
        b"SIGNED DATA-----",
    ];
    let pem = contains(data, b"-----BEGIN ") && PEM_LABELS.iter().any(|l| contains(data, l));
    if pem || data.first() == Some(&0x30) {
        return Err(features::not_enabled_error(
            Method::Smime,
            "This looks like an S/MIME certificate or key (X.509, PKCS#7, PKCS#8 or PKCS#12).",
        ));
    }
    Err(Error::unsupported_format(
        "This is not a key or keyring format mailseal understands.",
    ))
}

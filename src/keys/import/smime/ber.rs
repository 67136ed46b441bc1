//! PKCS#12 files and PKCS#7 bundles in BER (X.690 §8: indefinite lengths, OCTET STRINGs in
//! chunks), as EJBCA, BouncyCastle and NSS export them: RFC 7292 and RFC 5652 allow BER, and
//! openssl, Windows and Thunderbird read it, while the `der` decoders read DER only.
//!
//! A PKCS#7 bundle is re-encoded as a whole (`smime::ber`). A PKCS#12 file holds DER of its
//! own inside OCTET STRINGs (the authenticated safe, each unencrypted safe), which BER writers
//! encode in BER too: those are re-encoded as well, after the MAC is checked over the content
//! octets as received (the MAC is then left out: it no longer covers the re-encoded bytes).
//! Encrypted safes are left as they are.

use cms::content_info::ContentInfo;
use const_oid::db::rfc5911;
use der::asn1::OctetString;
use der::{Any, Decode, Encode};

use super::mac::verify_mac;
use crate::ber::to_der;
use crate::error::{Error, Result};

/// `data` as DER when it is BER that is not DER; `Ok(None)` when it is not BER or already DER
/// (nothing to retry). A PKCS#12 file's MAC is checked here (a wrong password is
/// `bad_passphrase`).
pub(super) fn as_der(data: &[u8], password: &str) -> Result<Option<Vec<u8>>> {
    let Ok(outer) = to_der(data) else {
        return Ok(None);
    };
    let der = match pkcs12::pfx::Pfx::from_der(&outer) {
        Ok(pfx) => pkcs12_as_der(pfx, password)?,
        Err(_) => outer,
    };
    Ok((der != data).then_some(der))
}

fn pkcs12_as_der(mut pfx: pkcs12::pfx::Pfx, password: &str) -> Result<Vec<u8>> {
    let unreadable = || Error::unsupported_format("The PKCS#12 file could not be read.");
    if pfx.auth_safe.content_type != rfc5911::ID_DATA {
        return pfx.to_der().map_err(|_| unreadable());
    }
    let content: OctetString = pfx
        .auth_safe
        .content
        .decode_as()
        .map_err(|_| unreadable())?;
    if let Some(mac) = pfx.mac_data.take() {
        verify_mac(&mac, password, content.as_bytes())?;
    }
    let safes_der = to_der(content.as_bytes()).map_err(|_| unreadable())?;
    let mut safes = Vec::<ContentInfo>::from_der(&safes_der).map_err(|_| unreadable())?;
    for safe in safes
        .iter_mut()
        .filter(|s| s.content_type == rfc5911::ID_DATA)
    {
        let bags: OctetString = safe.content.decode_as().map_err(|_| unreadable())?;
        let bags = to_der(bags.as_bytes()).map_err(|_| unreadable())?;
        safe.content = octet_string(bags)?;
    }
    let safes = safes.to_der().map_err(|_| unreadable())?;
    pfx.auth_safe.content = octet_string(safes)?;
    pfx.to_der().map_err(|_| unreadable())
}

fn octet_string(bytes: Vec<u8>) -> Result<Any> {
    OctetString::new(bytes)
        .and_then(|o| Any::encode_from(&o))
        .map_err(|_| Error::unsupported_format("The PKCS#12 file could not be read."))
}

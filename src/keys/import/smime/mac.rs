//! The integrity MAC of a PKCS#12 file (RFC 7292 appendix B key derivation, HMAC with SHA-1 or
//! SHA-2), checked by mailseal where p12-keystore does not check it (SHA-2 MACs other than
//! SHA-256, files re-encoded from BER).

use crate::error::{Error, ErrorCode, Result};
use crate::secret::SecretBytes;

/// Most MAC key-derivation rounds a PKCS#12 file may ask for (keys/kdf.rs).
const MAX_MAC_ROUNDS: i32 = crate::keys::kdf::MAX_PBKDF2_ROUNDS as i32;

/// The file chooses the MAC's key-derivation rounds; without a bound a crafted file (2^31
/// rounds) would hang the page (openssl writes 2048, other tools up to ~10^6).
pub(super) fn check_mac_rounds(mac: &pkcs12::mac_data::MacData) -> Result<()> {
    if mac.iterations > MAX_MAC_ROUNDS {
        return Err(Error::new(
            ErrorCode::TooLarge,
            format!("The PKCS#12 file asks for more than {MAX_MAC_ROUNDS} key-derivation rounds."),
        ));
    }
    Ok(())
}

/// Checks a PKCS#12 MAC (RFC 7292 appendix B key derivation, HMAC with SHA-1 or SHA-2) over
/// `content`, the authSafe's content octets as received: a wrong password is `bad_passphrase`.
pub(super) fn verify_mac(
    mac: &pkcs12::mac_data::MacData,
    password: &str,
    content: &[u8],
) -> Result<()> {
    use hmac::{Mac, SimpleHmac};
    use pkcs12::kdf::{derive_key_utf8, Pkcs12KeyType};
    use sha2::digest::{core_api::BlockSizeUser, Digest, FixedOutputReset};

    fn verify<D>(password: &str, salt: &[u8], rounds: i32, data: &[u8], tag: &[u8]) -> Result<()>
    where
        D: Digest + FixedOutputReset + BlockSizeUser + Clone,
    {
        let key = derive_key_utf8::<D>(
            password,
            salt,
            Pkcs12KeyType::Mac,
            rounds,
            <D as Digest>::output_size(),
        )
        .map(SecretBytes::new)
        .map_err(|_| Error::bad_passphrase())?;
        let mut mac = SimpleHmac::<D>::new_from_slice(&key).map_err(|_| Error::bad_passphrase())?;
        mac.update(data);
        mac.verify_slice(tag).map_err(|_| Error::bad_passphrase())
    }

    check_mac_rounds(mac)?;
    let (salt, rounds, tag) = (
        mac.mac_salt.as_bytes(),
        mac.iterations,
        mac.mac.digest.as_bytes(),
    );
    use const_oid::db::rfc5912::{ID_SHA_1, ID_SHA_224, ID_SHA_256, ID_SHA_384, ID_SHA_512};
    match mac.mac.algorithm.oid {
        o if o == ID_SHA_1 => verify::<sha1::Sha1>(password, salt, rounds, content, tag),
        o if o == ID_SHA_224 => verify::<sha2::Sha224>(password, salt, rounds, content, tag),
        o if o == ID_SHA_256 => verify::<sha2::Sha256>(password, salt, rounds, content, tag),
        o if o == ID_SHA_384 => verify::<sha2::Sha384>(password, salt, rounds, content, tag),
        o if o == ID_SHA_512 => verify::<sha2::Sha512>(password, salt, rounds, content, tag),
        _ => Err(Error::new(
            ErrorCode::UnsupportedAlgorithm,
            "The PKCS#12 file uses an unsupported encryption or MAC algorithm.",
        )),
    }
}

//! The key-encryption key of ECDH recipients (RFC 5753 §7.2, ANSI X9.63 KDF), for writing
//! (`encrypt`) and reading (`decrypt`) KeyAgreeRecipientInfo.

use der::asn1::OctetString;
use der::Encode;
use spki::AlgorithmIdentifierOwned;

use super::algorithms::{self as algs, EccCmsSharedInfo, Hash};
use crate::secret::SecretBytes;

/// The key-encryption key for ECDH recipients (RFC 5753 §7.2, ANSI X9.63 KDF). The KDF loop
/// is written here: the `ansi-x963-kdf` crate (0.0.1) is built on digest 0.11 pre-releases,
/// everything else here on digest 0.10, and it would add a second SHA-2 to the download.
pub(crate) fn derive_kek(
    hash: Hash,
    z: &[u8],
    wrap_oid: const_oid::ObjectIdentifier,
    ukm: Option<&OctetString>,
    kek_len: usize,
) -> Option<SecretBytes> {
    derive_kek_for(hash, z, algs::alg(wrap_oid), ukm, kek_len)
}

/// [`derive_kek`] with the wrap algorithm identifier as given.
pub(crate) fn derive_kek_for(
    hash: Hash,
    z: &[u8],
    key_info: AlgorithmIdentifierOwned,
    ukm: Option<&OctetString>,
    kek_len: usize,
) -> Option<SecretBytes> {
    let bits = u32::try_from(kek_len * 8).ok()?;
    let info = EccCmsSharedInfo {
        key_info,
        entity_u_info: ukm.cloned(),
        supp_pub_info: OctetString::new(bits.to_be_bytes().to_vec()).ok()?,
    }
    .to_der()
    .ok()?;
    let mut out = SecretBytes::new(Vec::with_capacity(kek_len + 64));
    let mut counter = 1u32;
    while out.len() < kek_len {
        let mut input = SecretBytes::new(Vec::with_capacity(z.len() + 4 + info.len()));
        input.extend_from_slice(z);
        input.extend_from_slice(&counter.to_be_bytes());
        input.extend_from_slice(&info);
        out.extend_from_slice(&hash.digest(&input)?);
        counter += 1;
    }
    out.truncate(kek_len);
    Some(out)
}

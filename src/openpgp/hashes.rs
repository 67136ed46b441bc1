//! What OpenPGP hash algorithms are called outside rPGP: their names in reports and `micalg`,
//! and the crypto provider's digests for the ones mailseal signs with.

use pgp::crypto::hash::HashAlgorithm;

use crate::crypto::provider::DigestAlg;

/// `sha256`, `sha512`, ... as the report and `micalg` (with a `pgp-` prefix) name them.
pub(crate) fn hash_name(alg: HashAlgorithm) -> String {
    match alg {
        HashAlgorithm::Md5 => "md5".into(),
        HashAlgorithm::Sha1 => "sha1".into(),
        HashAlgorithm::Ripemd160 => "ripemd160".into(),
        HashAlgorithm::Sha256 => "sha256".into(),
        HashAlgorithm::Sha384 => "sha384".into(),
        HashAlgorithm::Sha512 => "sha512".into(),
        HashAlgorithm::Sha224 => "sha224".into(),
        HashAlgorithm::Sha3_256 => "sha3-256".into(),
        HashAlgorithm::Sha3_512 => "sha3-512".into(),
        other => format!("{other:?}").to_ascii_lowercase(),
    }
}

/// The provider's name for the hashes mailseal signs with; others stay with rPGP.
pub(crate) fn digest_alg(hash: HashAlgorithm) -> Option<DigestAlg> {
    match hash {
        HashAlgorithm::Sha256 => Some(DigestAlg::Sha256),
        HashAlgorithm::Sha384 => Some(DigestAlg::Sha384),
        HashAlgorithm::Sha512 => Some(DigestAlg::Sha512),
        _ => None,
    }
}

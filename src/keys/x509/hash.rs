//! The message digests of X.509 and CMS signatures.

use const_oid::db::rfc5912;
use const_oid::ObjectIdentifier;

/// A message digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Option<Hash> {
        Some(match *oid {
            o if o == rfc5912::ID_MD_5 => Hash::Md5,
            o if o == rfc5912::ID_SHA_1 => Hash::Sha1,
            o if o == rfc5912::ID_SHA_224 => Hash::Sha224,
            o if o == rfc5912::ID_SHA_256 => Hash::Sha256,
            o if o == rfc5912::ID_SHA_384 => Hash::Sha384,
            o if o == rfc5912::ID_SHA_512 => Hash::Sha512,
            _ => return None,
        })
    }

    /// Whether `rules` refuse signatures over this digest (always MD5 and SHA-1, RFC 8551
    /// §2.1).
    pub(crate) fn refused_by(self, rules: &crate::policy::SignatureRules) -> bool {
        rules.refuses_hash(self.name())
    }

    /// The report's name, e.g. `sha256`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Hash::Md5 => "md5",
            Hash::Sha1 => "sha1",
            Hash::Sha224 => "sha224",
            Hash::Sha256 => "sha256",
            Hash::Sha384 => "sha384",
            Hash::Sha512 => "sha512",
        }
    }

    /// The provider's name for this digest; `None` for MD5 (never computed: refused before).
    pub(crate) fn provider_alg(self) -> Option<crate::crypto::provider::DigestAlg> {
        use crate::crypto::provider::DigestAlg;
        Some(match self {
            Hash::Md5 => return None,
            Hash::Sha1 => DigestAlg::Sha1,
            Hash::Sha224 => DigestAlg::Sha224,
            Hash::Sha256 => DigestAlg::Sha256,
            Hash::Sha384 => DigestAlg::Sha384,
            Hash::Sha512 => DigestAlg::Sha512,
        })
    }

    /// Digest of small `data` (signed attributes, key derivation) in RustCrypto; `None` for MD5.
    pub(crate) fn digest(self, data: &[u8]) -> Option<Vec<u8>> {
        Some(crate::crypto::provider::rust_digest(
            self.provider_alg()?,
            data,
        ))
    }

    /// Digest of message-sized `data` through the crypto provider (the platform's native digest
    /// where there is one); `None` for MD5.
    pub(crate) async fn digest_content(self, data: &[u8]) -> Option<Vec<u8>> {
        Some(crate::crypto::provider::digest(self.provider_alg()?, data).await)
    }

    /// A boxed dynamic digest (RSA-OAEP hashes).
    pub(crate) fn dyn_digest(self) -> Option<Box<dyn sha2::digest::DynDigest + Send + Sync>> {
        Some(match self {
            Hash::Md5 => return None,
            Hash::Sha1 => Box::new(sha1::Sha1::default()),
            Hash::Sha224 => Box::new(sha2::Sha224::default()),
            Hash::Sha256 => Box::new(sha2::Sha256::default()),
            Hash::Sha384 => Box::new(sha2::Sha384::default()),
            Hash::Sha512 => Box::new(sha2::Sha512::default()),
        })
    }
}

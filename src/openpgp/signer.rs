//! Signing with an OpenPGP secret key, RSA on the platform where it can.
//!
//! rPGP hands [`SigningKey::sign`] a digest. For RSA keys where the platform signs, [`Signer`]
//! has the platform make the PKCS#1 v1.5 signature, checked against the public key before use
//! (a fault gives no signature out): node:crypto signs the digest; WebCrypto signs messages
//! only, so it is reached through [`Signer::sign_data`], which has the hashed bytes too
//! (`super::data_signature`). Everything else, and any refusal, is the key's own rPGP
//! signing. An RSA-3072 signature in wasm is ~20 ms, on the platform ~3 ms.

use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::public_key::PublicKeyAlgorithm;
use pgp::types::{
    Fingerprint, KeyDetails, KeyId, KeyVersion, Mpi, Password, PublicParams, SignatureBytes,
    SigningKey, Timestamp,
};
use rsa::RsaPrivateKey;

use super::hashes::digest_alg;
use super::keys::SecretPart;
use super::rsa_unwrap::rsa_private_key;
use crate::crypto::provider;

/// A secret (sub)key as rPGP's [`SigningKey`], with the `rsa` crate's copy of an RSA key when
/// the platform will sign with it.
pub(super) struct Signer<'a> {
    key: &'a dyn SigningKey,
    rsa: Option<RsaPrivateKey>,
}

// Never the key material.
impl core::fmt::Debug for Signer<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Signer")
            .field("fingerprint", &self.key.fingerprint())
            .field("platform_rsa", &self.rsa.is_some())
            .finish()
    }
}

impl<'a> Signer<'a> {
    pub(super) fn new(secret: SecretPart<'a>) -> Self {
        let (key, params, public): (&'a dyn SigningKey, _, _) = match secret {
            SecretPart::Primary(k) => (k, k.secret_params(), k.public_params()),
            SecretPart::Sub(k) => (k, k.secret_params(), k.public_params()),
        };
        let rsa = provider::platform_signs_rsa()
            .then(|| rsa_private_key(params, public))
            .flatten();
        Signer { key, rsa }
    }
}

/// The MPI form rPGP writes for RSA (leading zero octets stripped).
fn rsa_signature(sig: &[u8]) -> SignatureBytes {
    SignatureBytes::Mpis(vec![Mpi::from_slice(sig)])
}

impl Signer<'_> {
    /// The signature over `hashed` (data, hashed fields and trailer), whose `hash` digest is
    /// `digest`: on the platform for RSA keys, where it signs digests or messages; else rPGP's.
    pub(super) async fn sign_data(
        &self,
        hash: HashAlgorithm,
        hashed: &[u8],
        digest: &[u8],
    ) -> pgp::errors::Result<SignatureBytes> {
        if let Some((rsa, alg)) = self.rsa.as_ref().zip(digest_alg(hash)) {
            if let Some(sig) = provider::rsa_sign_on_platform(rsa, alg, hashed, digest).await {
                return Ok(rsa_signature(&sig));
            }
        }
        self.key.sign(&Password::empty(), hash, digest)
    }
}

impl SigningKey for Signer<'_> {
    fn sign(
        &self,
        key_pw: &Password,
        hash: HashAlgorithm,
        digest: &[u8],
    ) -> pgp::errors::Result<SignatureBytes> {
        // Only the platforms that sign digests answer at once (node:crypto); WebCrypto needs
        // the message and is reached through `sign_data`.
        let on_platform = self
            .rsa
            .as_ref()
            .zip(digest_alg(hash))
            .and_then(|(rsa, alg)| provider::rsa_sign_digest_on_platform(rsa, alg, digest));
        match on_platform {
            Some(sig) => Ok(rsa_signature(&sig)),
            None => self.key.sign(key_pw, hash, digest),
        }
    }

    fn hash_alg(&self) -> HashAlgorithm {
        self.key.hash_alg()
    }
}

impl KeyDetails for Signer<'_> {
    fn version(&self) -> KeyVersion {
        self.key.version()
    }
    fn legacy_key_id(&self) -> KeyId {
        self.key.legacy_key_id()
    }
    fn fingerprint(&self) -> Fingerprint {
        self.key.fingerprint()
    }
    fn algorithm(&self) -> PublicKeyAlgorithm {
        self.key.algorithm()
    }
    fn created_at(&self) -> Timestamp {
        self.key.created_at()
    }
    fn legacy_v3_expiration_days(&self) -> Option<u16> {
        self.key.legacy_v3_expiration_days()
    }
    fn public_params(&self) -> &PublicParams {
        self.key.public_params()
    }
}

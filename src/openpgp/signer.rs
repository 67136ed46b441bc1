//! Signing with an OpenPGP secret key, RSA on the platform where it can.
//!
//! rPGP hashes the data and the signature trailer itself and hands [`SigningKey::sign`] the
//! digest. For RSA keys, where the platform signs digests (node:crypto), [`Signer`] has the
//! platform make the PKCS#1 v1.5 signature over that digest, checked against the public key
//! before use (a fault gives no signature out); everything else, and any refusal, is the key's
//! own rPGP signing. An RSA-3072 signature in wasm is ~20 ms, in OpenSSL ~3 ms.

use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::public_key::PublicKeyAlgorithm;
use pgp::types::{
    Fingerprint, KeyDetails, KeyId, KeyVersion, Mpi, Password, PublicParams, SignatureBytes,
    SigningKey, Timestamp,
};
use rsa::RsaPrivateKey;

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
        let rsa = provider::platform_signs_rsa_digests()
            .then(|| rsa_private_key(params, public))
            .flatten();
        Signer { key, rsa }
    }
}

/// The `rsa` crate's PKCS#1 v1.5 scheme (its DigestInfo prefix) for the hashes mailseal signs
/// with; others stay with rPGP.
fn scheme(hash: HashAlgorithm) -> Option<rsa::Pkcs1v15Sign> {
    match hash {
        HashAlgorithm::Sha256 => Some(rsa::Pkcs1v15Sign::new::<sha2::Sha256>()),
        HashAlgorithm::Sha384 => Some(rsa::Pkcs1v15Sign::new::<sha2::Sha384>()),
        HashAlgorithm::Sha512 => Some(rsa::Pkcs1v15Sign::new::<sha2::Sha512>()),
        _ => None,
    }
}

impl SigningKey for Signer<'_> {
    fn sign(
        &self,
        key_pw: &Password,
        hash: HashAlgorithm,
        digest: &[u8],
    ) -> pgp::errors::Result<SignatureBytes> {
        let on_platform = self
            .rsa
            .as_ref()
            .zip(scheme(hash))
            .and_then(|(rsa, scheme)| provider::rsa_sign_digest_on_platform(rsa, scheme, digest));
        match on_platform {
            // The MPI form rPGP writes for RSA (leading zero octets stripped).
            Some(sig) => Ok(SignatureBytes::Mpis(vec![Mpi::from_slice(&sig)])),
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

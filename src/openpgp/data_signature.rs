//! Binary data signatures (RFC 9580 §5.2.1.1, §5.2.4) whose hash runs on the crypto provider.
//!
//! rPGP hashes signed data with its own software SHA-2, ~10 ms per MiB in wasm. For v4 keys the
//! hash is taken here instead: the data, then the signature's hashed fields and trailer exactly
//! as rPGP serializes them ([`SignatureConfig::hash_signature_data`],
//! [`SignatureConfig::trailer`]), through `crate::crypto::provider` (node:crypto, WebCrypto).
//! The key signs (on the platform where it can, `super::signer`) and rPGP assembles the packet ([`Signature::from_config`]), so every
//! byte of the result is rPGP's; only where the hash is computed differs. v6 keys (salted
//! hashes) stay with rPGP's own signing.

use std::sync::{Arc, Mutex};

use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{Signature, SignatureConfig, SignatureType, Subpacket};
use pgp::types::{KeyDetails, KeyVersion};
use sha2::digest::{DynDigest, InvalidBufferSize};

use super::signer::{digest_alg, Signer};
use crate::crypto::provider::{self, DigestAlg};
use crate::secret::SecretBytes;

/// What rPGP feeds a hasher in [`SignatureConfig::hash_signature_data`]: the signature's hashed
/// fields, collected so that they can be hashed after the data on the provider.
#[derive(Clone, Default)]
struct HashedFields(Arc<Mutex<Vec<u8>>>);

impl HashedFields {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

impl DynDigest for HashedFields {
    fn update(&mut self, data: &[u8]) {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(data);
        }
    }
    // Never asked for a digest: the collected bytes are taken with `take`.
    fn finalize_into(self, _out: &mut [u8]) -> Result<(), InvalidBufferSize> {
        Err(InvalidBufferSize)
    }
    fn finalize_into_reset(&mut self, _out: &mut [u8]) -> Result<(), InvalidBufferSize> {
        Err(InvalidBufferSize)
    }
    fn reset(&mut self) {
        self.take();
    }
    fn output_size(&self) -> usize {
        0
    }
    fn box_clone(&self) -> Box<dyn DynDigest> {
        Box::new(self.clone())
    }
}

/// A v4 binary signature by `key` over `data` with these subpackets; `None` when this path does
/// not apply (a v6 key, another hash) and rPGP's own signing is to be used. `Some(None)`: the
/// key did not sign.
pub(super) async fn binary_signature(
    key: &Signer<'_>,
    hash: HashAlgorithm,
    hashed: Vec<Subpacket>,
    unhashed: Vec<Subpacket>,
    data: &[u8],
) -> Option<Option<Signature>> {
    let alg = digest_alg(hash)?;
    if key.version() != KeyVersion::V4 {
        return None;
    }
    let mut config = SignatureConfig::v4(SignatureType::Binary, key.algorithm(), hash);
    config.hashed_subpackets = hashed;
    config.unhashed_subpackets = unhashed;
    Some(sign(key, config, alg, data).await)
}

async fn sign(
    key: &Signer<'_>,
    config: SignatureConfig,
    alg: DigestAlg,
    data: &[u8],
) -> Option<Signature> {
    let fields = HashedFields::default();
    let mut collector: Box<dyn DynDigest + Send> = Box::new(fields.clone());
    let len = config.hash_signature_data(&mut collector).ok()?;
    let mut suffix = fields.take();
    suffix.extend_from_slice(&config.trailer(len).ok()?);
    let mut hashed = SecretBytes::new(Vec::with_capacity(data.len() + suffix.len()));
    hashed.extend_from_slice(data);
    hashed.extend_from_slice(&suffix);
    let digest = provider::digest(alg, &hashed).await;
    let signed_hash_value = [*digest.first()?, *digest.get(1)?];
    let signature = key
        .sign_data(config.hash_alg, &hashed, &digest)
        .await
        .ok()?;
    Signature::from_config(config, signed_hash_value, signature).ok()
}

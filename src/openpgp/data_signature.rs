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
use pgp::packet::{Signature, SignatureConfig, SignatureType, SignatureVersion, Subpacket};
use pgp::types::{KeyDetails, KeyVersion, VerifyingKey};
use sha2::digest::{DynDigest, InvalidBufferSize};

use super::hashes::digest_alg;
use super::keys::{rsa_signature_block, PublicPart};
use super::signer::Signer;
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
/// key did not sign. The signature's trailer is appended to `data` for the hash and taken off
/// again (a copy of a large message was most of protect's peak memory); `data` is as it was
/// afterwards.
pub(super) async fn binary_signature(
    key: &Signer<'_>,
    hash: HashAlgorithm,
    hashed: Vec<Subpacket>,
    unhashed: Vec<Subpacket>,
    data: &mut Vec<u8>,
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

/// What a v4 signature with `config` hashes after the data: its hashed fields and trailer
/// exactly as rPGP serializes them. `None` if rPGP cannot serialize them.
fn hashed_suffix(config: &SignatureConfig) -> Option<Vec<u8>> {
    let fields = HashedFields::default();
    let mut collector: Box<dyn DynDigest + Send> = Box::new(fields.clone());
    let len = config.hash_signature_data(&mut collector).ok()?;
    let mut suffix = fields.take();
    suffix.extend_from_slice(&config.trailer(len).ok()?);
    Some(suffix)
}

/// What a v4 signature with `config` hashes over `data`: the data, then [`hashed_suffix`].
fn hashed_bytes(config: &SignatureConfig, data: &[u8]) -> Option<SecretBytes> {
    let suffix = hashed_suffix(config)?;
    let mut hashed = SecretBytes::new(Vec::with_capacity(data.len() + suffix.len()));
    hashed.extend_from_slice(data);
    hashed.extend_from_slice(&suffix);
    Some(hashed)
}

async fn sign(
    key: &Signer<'_>,
    config: SignatureConfig,
    alg: DigestAlg,
    data: &mut Vec<u8>,
) -> Option<Signature> {
    let suffix = hashed_suffix(&config)?;
    let len = data.len();
    data.extend_from_slice(&suffix);
    let digest = provider::digest(alg, data).await;
    let signature = key.sign_data(config.hash_alg, data, &digest).await;
    data.truncate(len);
    let signed_hash_value = [*digest.first()?, *digest.get(1)?];
    Signature::from_config(config, signed_hash_value, signature.ok()?).ok()
}

/// rPGP's [`Signature::verify`] for a v4 binary signature by a v4 key over `data`, with the hash
/// on the crypto provider: the digest's first two octets must match the packet's, then the
/// key checks the signature over the digest ([`PublicPart`]'s `VerifyingKey`: rPGP's, with
/// RSA confirmed by the platform first). For RSA the platform may confirm over the hashed
/// bytes instead (WebCrypto verifies messages, not digests). `None` where this path does not
/// apply (v6, text signatures, other hashes) and rPGP's own `verify` is to decide. The caller
/// has matched the key to the signature's issuer.
pub(super) async fn verify_binary(
    sig: &Signature,
    key: &PublicPart<'_>,
    data: &[u8],
) -> Option<bool> {
    let (config, alg) = provider_path(sig, key)?;
    let hashed = hashed_bytes(config, data)?;
    verdict(sig, key, alg, &hashed).await
}

/// [`verify_binary`] over `buf[..len]` where it is: the signature's hashed fields and trailer
/// are written after it for the hash (over bytes the caller no longer needs, as there must be
/// room) and those bytes put back, so that a large content is not copied (issue 12's peak
/// memory). `None` when the provider path does not take `sig` or there is no room.
pub(super) async fn verify_binary_in_place(
    sig: &Signature,
    key: &PublicPart<'_>,
    buf: &mut [u8],
    len: usize,
) -> Option<bool> {
    let (config, alg) = provider_path(sig, key)?;
    let suffix = hashed_suffix(config)?;
    let room = buf.get_mut(len..len.checked_add(suffix.len())?)?;
    let saved = room.to_vec();
    room.copy_from_slice(&suffix);
    let verdict = verdict(sig, key, alg, &buf[..len + suffix.len()]).await;
    buf[len..len + suffix.len()].copy_from_slice(&saved);
    verdict
}

/// Whether [`verify_binary`] decides `sig` by `key` (else it answers `None`: rPGP decides).
pub(super) fn takes_binary(sig: &Signature, key: &PublicPart<'_>) -> bool {
    provider_path(sig, key).is_some_and(|(config, _)| hashed_suffix(config).is_some())
        && sig.signed_hash_value().is_some()
        && sig.signature().is_some()
}

/// The signature's config and digest when the provider path applies: a v4 binary signature by
/// a v4 key of the signature's algorithm, over a digest the provider has.
fn provider_path<'s>(
    sig: &'s Signature,
    key: &PublicPart<'_>,
) -> Option<(&'s SignatureConfig, DigestAlg)> {
    let config = sig.config()?;
    let alg = digest_alg(config.hash_alg)?;
    let applies = sig.version() == SignatureVersion::V4
        && key.version() == KeyVersion::V4
        && sig.typ() == Some(SignatureType::Binary)
        && config.pub_alg == key.algorithm();
    applies.then_some((config, alg))
}

/// The verdict on `sig` by `key` over the `hashed` bytes (data and suffix).
async fn verdict(
    sig: &Signature,
    key: &PublicPart<'_>,
    alg: DigestAlg,
    hashed: &[u8],
) -> Option<bool> {
    let config = sig.config()?;
    let (signed_hash_value, signature) = (sig.signed_hash_value()?, sig.signature()?);
    let digest = provider::digest(alg, hashed).await;
    if digest.get(..2) != Some(&signed_hash_value[..]) {
        return Some(false);
    }
    if let Some((rsa, block)) = rsa_signature_block(key.public_params(), signature) {
        if provider::rsa_message_signature_confirmed(rsa, alg, hashed, &block).await {
            return Some(true);
        }
    }
    Some(key.verify(config.hash_alg, &digest, signature).is_ok())
}

/// A v4 signature checked over `data` exactly as given, whatever its type says: no text-mode
/// line-end canonicalization. Only for gpg's `--not-dash-escaped` cleartext, whose text
/// signature gpg hashes over the text as it was (`cleartext::Cleartext::as_gpg_hashed`). The
/// digest in software: the text is what a person reads, not a bulk payload.
pub(super) fn verify_exact(sig: &Signature, key: &PublicPart<'_>, data: &[u8]) -> bool {
    let Some(config) = sig.config() else {
        return false;
    };
    let applies = sig.version() == SignatureVersion::V4
        && key.version() == KeyVersion::V4
        && config.pub_alg == key.algorithm();
    let (Some(signed_hash_value), Some(signature)) = (sig.signed_hash_value(), sig.signature())
    else {
        return false;
    };
    let Some(hashed) = applies.then(|| hashed_bytes(config, data)).flatten() else {
        return false;
    };
    let Ok(mut hasher) = config.hash_alg.new_hasher() else {
        return false;
    };
    hasher.update(&hashed);
    let digest = hasher.finalize().to_vec();
    digest.get(..2) == Some(&signed_hash_value[..])
        && key.verify(config.hash_alg, &digest, signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::provider::now_or_never;
    use pgp::composed::{Deserializable, DetachedSignature, SignedPublicKey};

    fn key(armored: &[u8]) -> SignedPublicKey {
        SignedPublicKey::from_armor_single(armored).unwrap().0
    }

    /// gpg's detached signatures (RSA-3072 and Ed25519, SHA-256) over the fixture entity: the
    /// provider-hashed check agrees with rPGP's own `verify` on the real data and on data with
    /// one octet changed.
    #[test]
    fn verify_binary_agrees_with_rpgp() {
        let entity = include_bytes!("../../tests/data/openpgp/entity.eml");
        let cases: [(&[u8], &[u8]); 2] = [
            (
                include_bytes!("../../tests/data/openpgp/alice.pub.asc"),
                include_bytes!("../../tests/data/openpgp/sig-alice.asc"),
            ),
            (
                include_bytes!("../../tests/data/openpgp/bob.pub.asc"),
                include_bytes!("../../tests/data/openpgp/sig-bob.sig"),
            ),
        ];
        for (public, signature) in cases {
            let key = key(public);
            let part = PublicPart::Primary(&key.primary_key);
            let sig = match DetachedSignature::from_armor_single(signature) {
                Ok((s, _)) => s.signature,
                Err(_) => DetachedSignature::from_bytes(signature).unwrap().signature,
            };
            let mut tampered = entity.to_vec();
            tampered[40] ^= 1;
            for (data, expected) in [(&entity[..], true), (&tampered[..], false)] {
                assert_eq!(sig.verify(&part, data).is_ok(), expected, "rPGP");
                let ours = now_or_never(verify_binary(&sig, &part, data)).unwrap();
                assert_eq!(ours, Some(expected), "{:?}", key.primary_key.algorithm());
            }
        }
    }
}

//! RSA PKESK decryption (RFC 9580 §5.1.3) hardened against Bleichenbacher/Marvin timing
//! oracles.
//!
//! The `pgp` crate decrypts RSA session keys with `rsa`'s unblinded PKCS#1 v1.5 path and then
//! branches on the padding, the algorithm octet and the checksum (and indexes an empty
//! plaintext, which panics). Here instead:
//!
//! 1. the PKCS#1 v1.5 layer goes through `crate::crypto::rsa_pkcs1::decrypt_implicit`:
//!    blinded private operation, constant-time padding check, and implicit rejection as in
//!    draft-irtf-cfrg-rsa-guidance §7 (a bad padding yields a synthetic message, the same for
//!    the same ciphertext; see SECURITY.md);
//! 2. the OpenPGP session key format (RFC 9580 §5.1.3: algorithm octet, key, 2-octet
//!    checksum; v6 without the algorithm octet) is checked on whatever came out, and any
//!    failure yields a pseudo-random session key rather than an error (RFC 9580 §5.1.3,
//!    "Implementations MUST NOT ... reveal ... whether the decrypted session key was
//!    well-formed"): the symmetric layer then fails its MDC/AEAD check like any wrong key.

use pgp::composed::PlainSessionKey;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::types::{EskType, PlainSecretParams, PublicParams, SecretParams};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPrivateKey};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::crypto::rsa_pkcs1;
use crate::secret::SecretBytes;

/// The PRF label of the pseudo-random session key that replaces a malformed one.
const FALLBACK_LABEL: &[u8] = b"openpgp session key";

/// The session key a v3 or v6 PKESK with RSA carries for this secret key, or a pseudo-random
/// one when it does not decrypt. `None` only for inputs that are wrong on their face (not an
/// RSA secret, ciphertext longer than the modulus): public facts, no oracle.
pub(crate) fn session_key(
    secret: &SecretParams,
    public: &PublicParams,
    ciphertext: &[u8],
    typ: EskType,
) -> Option<PlainSessionKey> {
    let key = rsa_private_key(secret, public)?;
    if key.size() < 64 {
        return None;
    }
    let plain = rsa_pkcs1::decrypt_implicit(&key, ciphertext)?;
    let fallback = plain.pseudo_random(FALLBACK_LABEL, 32);
    Some(openpgp_session_key(&plain.message, typ, &fallback))
}

/// The `rsa` crate's key for an unlocked OpenPGP RSA secret key (with its CRT values), for
/// the operations done outside rPGP: this module's decryption, platform signing.
pub(super) fn rsa_private_key(
    secret: &SecretParams,
    public: &PublicParams,
) -> Option<RsaPrivateKey> {
    let (SecretParams::Plain(PlainSecretParams::RSA(sk)), PublicParams::RSA(pk)) = (secret, public)
    else {
        return None;
    };
    let (d, p, q, _u) = sk.to_bytes();
    let (d, p, q) = (SecretBytes::new(d), Zeroizing::new(p), Zeroizing::new(q));
    let mut key = RsaPrivateKey::from_components(
        pk.key.n().clone(),
        pk.key.e().clone(),
        BigUint::from_bytes_be(&d),
        vec![BigUint::from_bytes_be(&p), BigUint::from_bytes_be(&q)],
    )
    .ok()?;
    key.precompute().ok()?;
    Some(key)
}

/// RFC 9580 §5.1.3: v3 = algorithm octet || key || checksum; v6 = key || checksum (RSA).
/// Anything else becomes the pseudo-random AES-256 key `fallback`.
fn openpgp_session_key(message: &[u8], typ: EskType, fallback: &[u8]) -> PlainSessionKey {
    let checksum_ok = |key: &[u8], sum: &[u8]| {
        let total = key
            .iter()
            .fold(0u16, |acc, b| acc.wrapping_add(u16::from(*b)));
        bool::from(total.to_be_bytes()[..].ct_eq(sum))
    };
    let valid_size = |n: usize| matches!(n, 16 | 24 | 32);
    match typ {
        EskType::V3_4 => {
            if let Some((&alg, rest)) = message.split_first() {
                let alg = SymmetricKeyAlgorithm::from(alg);
                let size = alg.key_size();
                if alg != SymmetricKeyAlgorithm::Plaintext
                    && valid_size(size)
                    && rest.len() == size + 2
                    && checksum_ok(&rest[..size], &rest[size..])
                {
                    return PlainSessionKey::V3_4 {
                        sym_alg: alg,
                        key: rest[..size].to_vec().into(),
                    };
                }
            }
            PlainSessionKey::V3_4 {
                sym_alg: SymmetricKeyAlgorithm::AES256,
                key: fallback.to_vec().into(),
            }
        }
        EskType::V6 => {
            let n = message.len().saturating_sub(2);
            if message.len() >= 2 && valid_size(n) && checksum_ok(&message[..n], &message[n..]) {
                return PlainSessionKey::V6 {
                    key: message[..n].to_vec().into(),
                };
            }
            PlainSessionKey::V6 {
                key: fallback.to_vec().into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pgp::composed::{Deserializable, SignedSecretKey};
    use pgp::types::KeyDetails;
    use rand::SeedableRng;
    use rsa::Pkcs1v15Encrypt;

    /// Alice's RSA-3072 encryption subkey from the gpg fixtures.
    fn alice() -> (SecretParams, PublicParams) {
        let armored = include_bytes!("../../tests/data/openpgp/alice.sec.asc");
        let (key, _) = SignedSecretKey::from_armor_single(&armored[..]).unwrap();
        let sub = &key.secret_subkeys[0].key;
        (sub.secret_params().clone(), sub.public_params().clone())
    }

    fn encrypt(public: &PublicParams, message: &[u8], seed: u64) -> Vec<u8> {
        let PublicParams::RSA(pk) = public else {
            panic!("not RSA")
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        pk.key.encrypt(&mut rng, Pkcs1v15Encrypt, message).unwrap()
    }

    fn key_bytes(k: &PlainSessionKey) -> Vec<u8> {
        match k {
            PlainSessionKey::V3_4 { key, .. } | PlainSessionKey::V6 { key } => {
                key.as_ref().to_vec()
            }
            PlainSessionKey::V5 { key } => key.as_ref().to_vec(),
        }
    }

    #[test]
    fn real_rsa_session_keys_and_implicit_rejection() {
        let (secret, public) = alice();
        // a well-formed v3 session key: AES-256 (9), 32 octets, checksum
        let key = [0x42u8; 32];
        let sum = key.iter().fold(0u16, |a, b| a.wrapping_add(u16::from(*b)));
        let mut msg = vec![9u8];
        msg.extend_from_slice(&key);
        msg.extend_from_slice(&sum.to_be_bytes());
        let ct = encrypt(&public, &msg, 1);
        let got = session_key(&secret, &public, &ct, EskType::V3_4).unwrap();
        assert_eq!(got.sym_algorithm(), Some(SymmetricKeyAlgorithm::AES256));
        assert_eq!(key_bytes(&got), key);

        // an empty PKCS#1 message (which indexes out of bounds in the pgp crate's own path)
        // and a wrong checksum: pseudo-random keys, the same for the same ciphertext
        for bad in [Vec::new(), msg[..msg.len() - 1].to_vec()] {
            let ct = encrypt(&public, &bad, 2);
            let a = session_key(&secret, &public, &ct, EskType::V3_4).unwrap();
            let b = session_key(&secret, &public, &ct, EskType::V3_4).unwrap();
            assert_eq!(a, b);
            assert_ne!(key_bytes(&a), key);
        }
        // a ciphertext that is not PKCS#1 at all: a synthetic message, deterministic per
        // ciphertext, different across ciphertexts
        let mut junk = ct.clone();
        junk[5] ^= 0x55;
        let mut junk2 = ct.clone();
        junk2[6] ^= 0x55;
        let a = session_key(&secret, &public, &junk, EskType::V3_4).unwrap();
        assert_eq!(
            a,
            session_key(&secret, &public, &junk, EskType::V3_4).unwrap()
        );
        let b = session_key(&secret, &public, &junk2, EskType::V3_4).unwrap();
        assert_ne!(key_bytes(&a), key_bytes(&b));
        // longer than the modulus: refused on its face
        assert!(session_key(&secret, &public, &[1u8; 400], EskType::V3_4).is_none());
    }

    #[test]
    fn malformed_session_keys_become_pseudo_random_keys() {
        let fallback = [0xa5u8; 32];
        // AES-128 (7), 16 key octets, wrong checksum
        let mut msg: Vec<u8> = [7u8].into_iter().chain([1u8; 16]).chain([0, 0]).collect();
        let key = openpgp_session_key(&msg, EskType::V3_4, &fallback);
        assert_eq!(key.sym_algorithm(), Some(SymmetricKeyAlgorithm::AES256));
        assert_eq!(key_bytes(&key), fallback);
        // the right checksum (16) gives the real key back
        let n = msg.len();
        msg[n - 1] = 16;
        let key = openpgp_session_key(&msg, EskType::V3_4, &fallback);
        assert_eq!(key.sym_algorithm(), Some(SymmetricKeyAlgorithm::AES128));
        assert_eq!(key_bytes(&key), [1u8; 16]);
        // v6: no algorithm octet; the same key and checksum, then a bad checksum
        let key = openpgp_session_key(&msg[1..], EskType::V6, &fallback);
        assert_eq!(key_bytes(&key), [1u8; 16]);
        msg[n - 1] = 17;
        let key = openpgp_session_key(&msg[1..], EskType::V6, &fallback);
        assert_eq!(key_bytes(&key), fallback);
        // an empty message (valid PKCS#1 padding, zero octets) does not panic
        let key = openpgp_session_key(&[], EskType::V3_4, &fallback);
        assert_eq!(key.sym_algorithm(), Some(SymmetricKeyAlgorithm::AES256));
        let key = openpgp_session_key(&[], EskType::V6, &fallback);
        assert_eq!(key_bytes(&key), fallback);
    }
}

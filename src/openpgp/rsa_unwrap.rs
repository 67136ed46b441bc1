//! RSA PKESK decryption hardened against Bleichenbacher/Marvin timing oracles.
//!
//! The `pgp` crate decrypts RSA session keys with `rsa`'s unblinded PKCS#1 v1.5 path and then
//! branches on the padding, the algorithm octet and the checksum (and indexes an empty
//! plaintext, which panics). Here instead:
//!
//! 1. the RSA private operation runs with blinding (`rsa::hazmat::rsa_decrypt_and_check`),
//!    the blinding factor drawn from a CSPRNG seeded with a secret-keyed PRF of the
//!    ciphertext (the read path takes no RNG parameter; the seed is unknown without `d`);
//! 2. the PKCS#1 v1.5 padding is checked in constant time (`subtle`), and a bad padding is
//!    replaced by a synthetic message derived from the ciphertext and the private exponent:
//!    implicit rejection as in draft-irtf-cfrg-rsa-guidance §7 (the construction OpenSSL 3.2+
//!    uses), selected in constant time;
//! 3. the OpenPGP session key format (RFC 9580 §5.1.3: algorithm octet, key, 2-octet
//!    checksum; v6 without the algorithm octet) is checked on whatever came out, and any
//!    failure yields a pseudo-random session key rather than an error (RFC 9580 §5.1.3,
//!    "Implementations MUST NOT ... reveal ... whether the decrypted session key was
//!    well-formed"): the symmetric layer then fails its MDC/AEAD check like any wrong key.
//!
//! Limit: `rsa` 0.9's modular exponentiation itself is not constant time (RUSTSEC-2023-0071);
//! blinding decorrelates its timing from the attacker's ciphertext but is not a proof.

use hmac::{Hmac, Mac};
use pgp::composed::PlainSessionKey;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::types::{EskType, PlainSecretParams, PublicParams, SecretParams};
use rand::SeedableRng;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use sha2::{Digest, Sha256};
use subtle::{ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater};
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

/// The session key a v3 or v6 PKESK with RSA carries for this secret key, or a pseudo-random
/// one when it does not decrypt. `None` only for inputs that are wrong on their face (not an
/// RSA secret, ciphertext longer than the modulus): public facts, no oracle.
pub(crate) fn session_key(
    secret: &SecretParams,
    public: &PublicParams,
    ciphertext: &[u8],
    typ: EskType,
) -> Option<PlainSessionKey> {
    let (SecretParams::Plain(PlainSecretParams::RSA(sk)), PublicParams::RSA(pk)) = (secret, public)
    else {
        return None;
    };
    let (d, p, q, _u) = sk.to_bytes();
    let (d, p, q) = (Zeroizing::new(d), Zeroizing::new(p), Zeroizing::new(q));
    let mut key = RsaPrivateKey::from_components(
        pk.key.n().clone(),
        pk.key.e().clone(),
        BigUint::from_bytes_be(&d),
        vec![BigUint::from_bytes_be(&p), BigUint::from_bytes_be(&q)],
    )
    .ok()?;
    key.precompute().ok()?;
    let k = key.size();
    if ciphertext.len() > k || k < 64 {
        return None;
    }
    let mut c = vec![0u8; k];
    c[k - ciphertext.len()..].copy_from_slice(ciphertext);

    let kdk = key_derivation_key(&key, &c);
    let message = decrypt_implicit(&key, &c, &kdk)?;
    Some(openpgp_session_key(&message, typ, &kdk))
}

/// KDK = HMAC-SHA256(SHA256(d as k octets), C) (draft-irtf-cfrg-rsa-guidance §7.2).
fn key_derivation_key(key: &RsaPrivateKey, c: &[u8]) -> Zeroizing<[u8; 32]> {
    let k = key.size();
    let d = Zeroizing::new(key.d().to_bytes_be());
    let mut padded = Zeroizing::new(vec![0u8; k]);
    let start = k.saturating_sub(d.len());
    if let Some(dst) = padded.get_mut(start..) {
        let n = dst.len().min(d.len());
        dst[..n].copy_from_slice(&d[d.len() - n..]);
    }
    let hashed = Zeroizing::new(Sha256::digest(&padded[..]));
    let mut out = Zeroizing::new([0u8; 32]);
    if let Ok(mut mac) = HmacSha256::new_from_slice(&hashed) {
        mac.update(c);
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

/// PRF(KDK, label, bits): HMAC-SHA256(KDK, I || label || bits) for I = 0, 1, ..., concatenated
/// and truncated (draft-irtf-cfrg-rsa-guidance §7.2).
fn prf(kdk: &[u8; 32], label: &[u8], bytes: usize) -> Zeroizing<Vec<u8>> {
    let bits = u16::try_from(bytes.saturating_mul(8)).unwrap_or(u16::MAX);
    let mut out = Zeroizing::new(Vec::with_capacity(bytes + 32));
    let mut i: u16 = 0;
    while out.len() < bytes {
        let Ok(mut mac) = HmacSha256::new_from_slice(kdk) else {
            break;
        };
        mac.update(&i.to_be_bytes());
        mac.update(label);
        mac.update(&bits.to_be_bytes());
        out.extend_from_slice(&mac.finalize().into_bytes());
        i = i.wrapping_add(1);
    }
    out.truncate(bytes);
    out
}

/// The plaintext of a PKCS#1 v1.5 encryption block, right-aligned in a buffer of k-11 octets,
/// with its length; a synthetic one (same shape) when the padding is wrong. Constant time in
/// the padding's validity.
struct Plain {
    tail: Zeroizing<Vec<u8>>,
    len: usize,
}

fn decrypt_implicit(key: &RsaPrivateKey, c: &[u8], kdk: &[u8; 32]) -> Option<Plain> {
    let k = key.size();
    let max_len = k - 11;

    // Blinded private operation; the blinding RNG is seeded by a secret-keyed PRF.
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&prf(kdk, b"blinding", 32));
    let mut rng = rand::rngs::StdRng::from_seed(seed);
    let m =
        rsa::hazmat::rsa_decrypt_and_check(key, Some(&mut rng), &BigUint::from_bytes_be(c)).ok()?;
    let m = Zeroizing::new(m.to_bytes_be());
    if m.len() > k {
        return None;
    }
    let mut em = Zeroizing::new(vec![0u8; k]);
    em[k - m.len()..].copy_from_slice(&m);

    // 0x00 0x02 PS(>= 8 non-zero) 0x00 M
    let mut good = em[0].ct_eq(&0) & em[1].ct_eq(&2);
    let mut found = subtle::Choice::from(0);
    let mut zero_at: u32 = 0;
    for (j, b) in em.iter().enumerate().skip(2) {
        let is_zero = b.ct_eq(&0);
        let first = is_zero & !found;
        zero_at.conditional_assign(&(j as u32), first);
        found |= is_zero;
    }
    good &= found & zero_at.ct_gt(&9);
    let real_len = (k as u32).wrapping_sub(zero_at).wrapping_sub(1);

    // Synthetic length: the last of 16 candidates under max_len, masked to its bit length.
    let candidates = prf(kdk, b"length", 32);
    let mask = u32::try_from(max_len.next_power_of_two() - 1).unwrap_or(u32::MAX);
    let mut synthetic_len: u32 = 0;
    for pair in candidates.chunks_exact(2) {
        let l = u32::from(u16::from_be_bytes([pair[0], pair[1]])) & mask;
        let fits = (max_len as u32).ct_gt(&l);
        synthetic_len.conditional_assign(&l, fits);
    }
    let synthetic = prf(kdk, b"message", k);

    let len = u32::conditional_select(&synthetic_len, &real_len, good);
    let mut tail = Zeroizing::new(vec![0u8; max_len]);
    for (i, out) in tail.iter_mut().enumerate() {
        let real = em[11 + i];
        let fake = synthetic[11 + i];
        *out = u8::conditional_select(&fake, &real, good);
    }
    Some(Plain {
        tail,
        len: (len as usize).min(max_len),
    })
}

/// RFC 9580 §5.1.3: v3 = algorithm octet || key || checksum; v6 = key || checksum (RSA).
/// Anything else becomes a pseudo-random AES-256 key derived from the KDK.
fn openpgp_session_key(plain: &Plain, typ: EskType, kdk: &[u8; 32]) -> PlainSessionKey {
    let message = &plain.tail[plain.tail.len() - plain.len..];
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
                key: prf(kdk, b"openpgp session key", 32).to_vec().into(),
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
                key: prf(kdk, b"openpgp session key", 32).to_vec().into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pgp::composed::{Deserializable, SignedSecretKey};
    use pgp::types::KeyDetails;
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
    fn prf_is_deterministic_and_label_bound() {
        let kdk = [7u8; 32];
        assert_eq!(*prf(&kdk, b"length", 32), *prf(&kdk, b"length", 32));
        assert_ne!(*prf(&kdk, b"length", 32), *prf(&kdk, b"message", 32));
        assert_eq!(prf(&kdk, b"message", 384).len(), 384);
    }

    #[test]
    fn malformed_session_keys_become_pseudo_random_keys() {
        let kdk = [1u8; 32];
        let mut tail = vec![0u8; 50];
        // AES-128 (7), 16 key octets, wrong checksum
        let msg: Vec<u8> = [7u8].into_iter().chain([1u8; 16]).chain([0, 0]).collect();
        tail[50 - msg.len()..].copy_from_slice(&msg);
        let plain = Plain {
            tail: Zeroizing::new(tail.clone()),
            len: msg.len(),
        };
        let key = openpgp_session_key(&plain, EskType::V3_4, &kdk);
        assert_eq!(key.sym_algorithm(), Some(SymmetricKeyAlgorithm::AES256));
        // the right checksum (16) gives the real key back
        let n = tail.len();
        tail[n - 1] = 16;
        let plain = Plain {
            tail: Zeroizing::new(tail),
            len: msg.len(),
        };
        let key = openpgp_session_key(&plain, EskType::V3_4, &kdk);
        assert_eq!(key.sym_algorithm(), Some(SymmetricKeyAlgorithm::AES128));
        // an empty message (valid PKCS#1 padding, zero octets) does not panic
        let plain = Plain {
            tail: Zeroizing::new(vec![0u8; 50]),
            len: 0,
        };
        let key = openpgp_session_key(&plain, EskType::V3_4, &kdk);
        assert_eq!(key.sym_algorithm(), Some(SymmetricKeyAlgorithm::AES256));
    }
}

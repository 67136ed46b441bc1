//! RSA key transport (RFC 5652 §6.2.1): PKCS#1 v1.5 (RFC 8017 §7.2) and OAEP (RFC 8017 §7.1,
//! RFC 3560 / RFC 8017 A.2.1 parameters).
//!
//! PKCS#1 v1.5 decryption is the Bleichenbacher/Marvin oracle (RUSTSEC-2023-0071: the `rsa`
//! crate has no constant-time release). What this module does against it, see SECURITY.md:
//!
//! - the RSA operation is blinded (`rsa::hazmat::rsa_decrypt_and_check` with a random
//!   blinding factor, seeded from a secret-keyed PRF of the ciphertext: reading takes no RNG
//!   and needs none to be reproducible);
//! - the padding is checked in constant time (`subtle`) for exactly the content-key length
//!   the content cipher needs;
//! - implicit rejection (RFC 3218 §2.3.2, the same idea as draft-irtf-cfrg-rsa-guidance): on
//!   any failure the caller gets a substitute key of that length, derived with HMAC-SHA-256
//!   from the private key and the ciphertext, so a bad ciphertext takes the same path as a
//!   good one and always yields the same key; content decryption then fails the same way.

use hmac::{Hmac, Mac};
use rand::SeedableRng;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use sha2::{Digest, Sha256};
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

use super::algorithms::Hash;

/// A key derived from the private exponent for one purpose (`label`).
fn secret_key(key: &RsaPrivateKey, label: &[u8]) -> Zeroizing<[u8; 32]> {
    let d = Zeroizing::new(key.d().to_bytes_be());
    let mut h = Sha256::new();
    h.update(label);
    h.update(&*d);
    Zeroizing::new(h.finalize().into())
}

/// HMAC-SHA-256 expanded to `len` bytes (counter mode).
fn prf(key: &[u8; 32], data: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 32));
    let mut counter = 1u32;
    while out.len() < len {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
            break;
        };
        mac.update(&counter.to_be_bytes());
        mac.update(data);
        out.extend_from_slice(&mac.finalize().into_bytes());
        counter += 1;
    }
    out.truncate(len);
    out
}

/// A CSPRNG for blinding, seeded from a secret PRF of the ciphertext.
fn blinding_rng(key: &RsaPrivateKey, ciphertext: &[u8]) -> rand::rngs::StdRng {
    let seed_key = secret_key(key, b"mailseal rsa blinding");
    let seed = prf(&seed_key, ciphertext, 32);
    let mut arr = [0u8; 32];
    arr.copy_from_slice(&seed[..32]);
    let rng = rand::rngs::StdRng::from_seed(arr);
    zeroize::Zeroize::zeroize(&mut arr);
    rng
}

/// PKCS#1 v1.5 unwrap of a content key of exactly `key_len` bytes. Never fails: a bad
/// ciphertext or padding yields the implicit-rejection substitute.
pub(crate) fn unwrap_pkcs1v15(
    key: &RsaPrivateKey,
    ciphertext: &[u8],
    key_len: usize,
) -> Zeroizing<Vec<u8>> {
    let substitute = prf(
        &secret_key(key, b"mailseal rsa implicit rejection"),
        ciphertext,
        key_len,
    );
    let k = key.size();
    // Lengths are public: a wrong-length ciphertext or a key that cannot fit takes the
    // substitute without touching the private key.
    if ciphertext.len() != k || k < key_len + 11 {
        return substitute;
    }
    let mut rng = blinding_rng(key, ciphertext);
    let c = BigUint::from_bytes_be(ciphertext);
    let em = match rsa::hazmat::rsa_decrypt_and_check(key, Some(&mut rng), &c) {
        Ok(m) => Zeroizing::new(m.to_bytes_be()),
        Err(_) => return substitute,
    };
    // Left-pad to k bytes (the big integer drops the leading zero octet).
    let mut padded = Zeroizing::new(vec![0u8; k]);
    if em.len() > k {
        return substitute;
    }
    padded[k - em.len()..].copy_from_slice(&em);

    // EM = 0x00 || 0x02 || PS (non-zero, >= 8) || 0x00 || M, with |M| = key_len.
    let sep = k - key_len - 1;
    let mut good = padded[0].ct_eq(&0) & padded[1].ct_eq(&2) & padded[sep].ct_eq(&0);
    for &b in &padded[2..sep] {
        good &= !b.ct_eq(&0);
    }
    let mut out = Zeroizing::new(vec![0u8; key_len]);
    for i in 0..key_len {
        out[i] = u8::conditional_select(&substitute[i], &padded[sep + 1 + i], good);
    }
    out
}

/// RSA-OAEP unwrap with the given hash and MGF1 hash (empty label). `None` on any failure.
pub(crate) fn unwrap_oaep(
    key: &RsaPrivateKey,
    ciphertext: &[u8],
    hash: Hash,
    mgf_hash: Hash,
) -> Option<Zeroizing<Vec<u8>>> {
    let padding = rsa::Oaep {
        digest: hash.dyn_digest()?,
        mgf_digest: mgf_hash.dyn_digest()?,
        label: None,
    };
    let mut rng = blinding_rng(key, ciphertext);
    key.decrypt_blinded(&mut rng, padding, ciphertext)
        .ok()
        .map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::{Pkcs1v15Encrypt, RsaPublicKey};

    fn key() -> RsaPrivateKey {
        use pkcs8::DecodePrivateKey;
        let pem = include_str!("../../tests/data/smime/alice.key");
        RsaPrivateKey::from_pkcs8_pem(pem).unwrap()
    }

    #[test]
    fn unwraps_a_good_key_and_substitutes_for_bad_ones() {
        let key = key();
        let public = RsaPublicKey::from(&key);
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let cek = [0x42u8; 32];
        let ct = public.encrypt(&mut rng, Pkcs1v15Encrypt, &cek).unwrap();
        assert_eq!(&*unwrap_pkcs1v15(&key, &ct, 32), &cek);

        // Wrong expected length, tampered ciphertext, wrong size: substitutes, stable per input.
        let wrong_len = unwrap_pkcs1v15(&key, &ct, 16);
        assert_eq!(wrong_len.len(), 16);
        assert_ne!(&wrong_len[..], &cek[..16]);
        let mut bad = ct.clone();
        bad[10] ^= 1;
        let a = unwrap_pkcs1v15(&key, &bad, 32);
        assert_ne!(&*a, &cek);
        assert_eq!(a, unwrap_pkcs1v15(&key, &bad, 32));
        assert_eq!(unwrap_pkcs1v15(&key, &ct[1..], 32).len(), 32);
    }

    #[test]
    fn oaep_round_trip() {
        let key = key();
        let public = RsaPublicKey::from(&key);
        let mut rng = rand::rngs::StdRng::seed_from_u64(4);
        let ct = public
            .encrypt(&mut rng, rsa::Oaep::new::<Sha256>(), b"0123456789abcdef")
            .unwrap();
        let got = unwrap_oaep(&key, &ct, Hash::Sha256, Hash::Sha256).unwrap();
        assert_eq!(&*got, b"0123456789abcdef");
        assert!(unwrap_oaep(&key, &ct, Hash::Sha1, Hash::Sha1).is_none());
    }
}

//! RSA key transport (RFC 5652 §6.2.1): PKCS#1 v1.5 (RFC 8017 §7.2) and OAEP (RFC 8017 §7.1,
//! RFC 3560 / RFC 8017 A.2.1 parameters).
//!
//! PKCS#1 v1.5 decryption is the Bleichenbacher/Marvin oracle (RUSTSEC-2023-0071). It goes
//! through `crate::crypto::rsa_pkcs1::decrypt_exact_len` (blinding, constant-time padding
//! check, implicit rejection; see SECURITY.md): the padding must carry exactly the
//! content-key length the content cipher needs, and on any failure the caller gets a
//! substitute key of that length, the same for the same ciphertext, so content decryption
//! then fails the same way as with a wrong key. OAEP is blinded with the same
//! secret-seeded RNG.

use rsa::RsaPrivateKey;

use super::algorithms::Hash;
use crate::crypto::rsa_pkcs1;
use crate::secret::SecretBytes;

/// The PRF label of the implicit-rejection substitute for a CMS content-encryption key.
const SUBSTITUTE_LABEL: &[u8] = b"mailseal cms content key";

/// PKCS#1 v1.5 unwrap of a content key of exactly `key_len` bytes. Never fails: a bad
/// ciphertext or padding yields the implicit-rejection substitute.
pub(crate) fn unwrap_pkcs1v15(
    key: &RsaPrivateKey,
    ciphertext: &[u8],
    key_len: usize,
) -> SecretBytes {
    rsa_pkcs1::decrypt_exact_len(key, ciphertext, key_len, SUBSTITUTE_LABEL)
}

/// RSA-OAEP unwrap with the given hash and MGF1 hash (empty label). `None` on any failure.
/// On the platform where it offers it (one hash for both, the common case), else blinded here.
pub(crate) async fn unwrap_oaep(
    key: &RsaPrivateKey,
    ciphertext: &[u8],
    hash: Hash,
    mgf_hash: Hash,
) -> Option<SecretBytes> {
    if hash == mgf_hash {
        let alg = hash.provider_alg()?;
        if let Some(answer) = crate::crypto::provider::rsa_oaep_decrypt(key, alg, ciphertext).await
        {
            return answer;
        }
    }
    let padding = rsa::Oaep {
        digest: hash.dyn_digest()?,
        mgf_digest: mgf_hash.dyn_digest()?,
        label: None,
    };
    let mut rng = rsa_pkcs1::blinding_rng(key, ciphertext);
    key.decrypt_blinded(&mut rng, padding, ciphertext)
        .ok()
        .map(SecretBytes::new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::provider::now_or_never;
    use rand::SeedableRng;
    use rsa::{Pkcs1v15Encrypt, RsaPublicKey};
    use sha2::Sha256;

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
        let mut long = ct.clone();
        long.push(0);
        assert_eq!(unwrap_pkcs1v15(&key, &long, 32).len(), 32);
        // Without a leading zero octet the number is the same only if that octet was zero.
        let stripped = unwrap_pkcs1v15(&key, &ct[1..], 32);
        assert_eq!(ct[0] == 0, *stripped == cek);
    }

    #[test]
    fn oaep_round_trip() {
        let key = key();
        let public = RsaPublicKey::from(&key);
        let mut rng = rand::rngs::StdRng::seed_from_u64(4);
        let ct = public
            .encrypt(&mut rng, rsa::Oaep::new::<Sha256>(), b"0123456789abcdef")
            .unwrap();
        let unwrap = |hash| now_or_never(unwrap_oaep(&key, &ct, hash, hash)).unwrap();
        assert_eq!(&*unwrap(Hash::Sha256).unwrap(), b"0123456789abcdef");
        assert!(unwrap(Hash::Sha1).is_none());
    }
}

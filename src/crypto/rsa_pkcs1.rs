//! RSAES-PKCS1-v1_5 decryption (RFC 8017 §7.2.2) hardened against Bleichenbacher/Marvin
//! timing oracles (RUSTSEC-2023-0071: the `rsa` crate has no constant-time release), for
//! S/MIME key transport (RFC 5652 §6.2.1) and OpenPGP RSA session keys (RFC 9580 §5.1.3).
//!
//! What it does, see SECURITY.md:
//!
//! - a key-derivation key per ciphertext, KDK = HMAC-SHA-256(SHA-256(d as k octets), C as k
//!   octets), and PRF(KDK, label, bits) = HMAC-SHA-256(KDK, I || label || bits) for
//!   I = 0, 1, ..., as in draft-irtf-cfrg-rsa-guidance §7.2 (the construction OpenSSL 3.2+
//!   uses for its implicit rejection);
//! - the private operation is blinded and checked against the public key, in constant time on
//!   `crypto-bigint` (`super::rsa_exp`) for two-prime keys up to 4096 bits, else by
//!   `rsa::hazmat::rsa_decrypt_and_check`; the blinding factor is drawn from a CSPRNG seeded
//!   with PRF(KDK, "blinding"): the read path takes no RNG, and the seed cannot be known
//!   without the private key;
//! - the padding is decoded in constant time (`subtle`): no early return on bad padding, the
//!   same work for a good and a bad one;
//! - implicit rejection (draft-irtf-cfrg-rsa-guidance §7.3): on bad padding the result is a
//!   synthetic message of pseudo-random length, derived from the KDK and selected in constant
//!   time ([`decrypt_implicit`]); or, when the caller needs exactly `len` octets (a CMS
//!   content-encryption key), a substitute of that length ([`decrypt_exact_len`]). Both are
//!   deterministic per ciphertext, so repeating a query reveals nothing either.
//!
//! Limit: for the keys `rsa_exp` does not take (more than two primes, over 4096 bits), `rsa`
//! 0.9's modular exponentiation and the conversion of its result are not constant time;
//! blinding decorrelates the exponentiation from the attacker's ciphertext but does not
//! eliminate it. Where the platform has raw RSA (node:crypto), OpenSSL's is used.

use crate::secret::SecretBytes;
use hmac::{Hmac, Mac};
use rand::SeedableRng;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use sha2::{Digest, Sha256};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater};
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

/// EM = 0x00 || 0x02 || PS || 0x00 || M with PS at least 8 octets: the smallest k.
const MIN_PADDING: usize = 11;

/// The key-derivation key for one ciphertext (draft-irtf-cfrg-rsa-guidance §7.2).
pub(crate) struct Kdk(Zeroizing<[u8; 32]>);

impl Kdk {
    /// KDK = HMAC-SHA-256(SHA-256(d as k octets), c). `c` is the ciphertext as k octets
    /// (callers left-pad it); a longer one is used as it is.
    fn new(key: &RsaPrivateKey, c: &[u8]) -> Self {
        let k = key.size();
        let d = SecretBytes::new(key.d().to_bytes_be());
        let mut padded = SecretBytes::new(vec![0u8; k.max(d.len())]);
        let start = padded.len() - d.len();
        padded[start..].copy_from_slice(&d);
        let hashed = Zeroizing::new(<[u8; 32]>::from(Sha256::digest(&padded[..])));
        let mut out = Zeroizing::new([0u8; 32]);
        if let Ok(mut mac) = HmacSha256::new_from_slice(&hashed[..]) {
            mac.update(c);
            out.copy_from_slice(&mac.finalize().into_bytes());
        }
        Kdk(out)
    }

    /// PRF(KDK, label, bits): HMAC-SHA-256(KDK, I || label || bits) for I = 0, 1, ...,
    /// concatenated and truncated to `bytes` octets (I and bits as 2 octets, big-endian).
    pub(crate) fn prf(&self, label: &[u8], bytes: usize) -> SecretBytes {
        let bits = u16::try_from(bytes.saturating_mul(8)).unwrap_or(u16::MAX);
        let mut out = SecretBytes::new(Vec::with_capacity(bytes + 32));
        let mut i: u16 = 0;
        while out.len() < bytes {
            let Ok(mut mac) = HmacSha256::new_from_slice(&self.0[..]) else {
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

    /// A CSPRNG for blinding, seeded from PRF(KDK, "blinding").
    fn blinding_rng(&self) -> rand::rngs::StdRng {
        let seed = self.prf(b"blinding", 32);
        let mut arr = Zeroizing::new([0u8; 32]);
        arr.copy_from_slice(&seed);
        rand::rngs::StdRng::from_seed(*arr)
    }
}

/// A blinding RNG for a private operation on `ciphertext` that is not PKCS#1 v1.5 (RSA-OAEP
/// through `rsa::RsaPrivateKey::decrypt_blinded`): seeded from the same secret-keyed PRF.
#[cfg(feature = "smime")] // CMS RSA-OAEP key transport
pub(crate) fn blinding_rng(key: &RsaPrivateKey, ciphertext: &[u8]) -> rand::rngs::StdRng {
    Kdk::new(key, &left_pad(ciphertext, key.size())).blinding_rng()
}

/// The result of [`decrypt_implicit`]: the message, real or synthetic (indistinguishable),
/// and the KDK for deriving further pseudo-random values from the same ciphertext.
#[cfg(feature = "openpgp")] // OpenPGP session keys (RFC 9580 §5.1.3)
pub(crate) struct Implicit {
    /// The PKCS#1 v1.5 message, or the synthetic one when the padding was bad.
    pub(crate) message: SecretBytes,
    kdk: Kdk,
}

#[cfg(feature = "openpgp")] // OpenPGP session keys (RFC 9580 §5.1.3)
impl Implicit {
    /// `len` pseudo-random octets bound to this ciphertext and private key, for a caller
    /// whose own framing of the message fails (a distinct `label` per purpose).
    pub(crate) fn pseudo_random(&self, label: &[u8], len: usize) -> SecretBytes {
        self.kdk.prf(label, len)
    }
}

/// RSAES-PKCS1-v1_5 decryption with implicit rejection (draft-irtf-cfrg-rsa-guidance §7.3).
/// Never reports bad padding: the message is then synthetic, of pseudo-random length, the
/// same for the same ciphertext. `None` only for facts public on their face: a ciphertext
/// longer than the modulus, or a modulus too short for PKCS#1 v1.5.
#[cfg(feature = "openpgp")] // OpenPGP session keys (RFC 9580 §5.1.3)
pub(crate) fn decrypt_implicit(key: &RsaPrivateKey, ciphertext: &[u8]) -> Option<Implicit> {
    let k = key.size();
    if ciphertext.len() > k || k < MIN_PADDING {
        return None;
    }
    let c = left_pad(ciphertext, k);
    let kdk = Kdk::new(key, &c);
    let em = private_operation(key, &c, &kdk);
    let (good, zero_at) = check_padding(&em);
    let real_len = (k as u32).wrapping_sub(zero_at).wrapping_sub(1);

    // Synthetic length: of 16 candidates masked to the bit length of max_sep_offset, the last
    // one below it (§7.3; at most k - 11 octets).
    let max_sep_offset = (k - 2 - 8) as u32;
    let mask = u32::MAX >> max_sep_offset.leading_zeros();
    let candidates = kdk.prf(b"length", 32);
    let mut synthetic_len: u32 = 0;
    for pair in candidates.chunks_exact(2) {
        let l = u32::from(u16::from_be_bytes([pair[0], pair[1]])) & mask;
        synthetic_len.conditional_assign(&l, max_sep_offset.ct_gt(&l));
    }
    let synthetic = kdk.prf(b"message", k);

    // Both messages end at the end of their k-octet buffers: select octet by octet from the
    // same positions, reading both whatever `good` is.
    let len = (u32::conditional_select(&synthetic_len, &real_len, good) as usize).min(k);
    let start = k - len;
    let mut message = SecretBytes::new(vec![0u8; len]);
    for (out, (real, fake)) in message
        .iter_mut()
        .zip(em[start..].iter().zip(&synthetic[start..]))
    {
        *out = u8::conditional_select(fake, real, good);
    }
    Some(Implicit { message, kdk })
}

/// RSAES-PKCS1-v1_5 decryption of a message of exactly `len` octets (a CMS content key):
/// the message when the padding is good and puts the separator where a `len`-octet message
/// needs it, otherwise PRF(KDK, `label`, `len`), selected in constant time. Never fails; a
/// ciphertext longer than the modulus or a modulus too short for `len` (public facts) take the
/// substitute without touching the private key.
#[cfg(feature = "smime")] // CMS content-encryption keys (RFC 5652 §6.2.1)
pub(crate) fn decrypt_exact_len(
    key: &RsaPrivateKey,
    ciphertext: &[u8],
    len: usize,
    label: &[u8],
) -> SecretBytes {
    let k = key.size();
    // A shorter ciphertext lost its leading zero octets to a careless encoder; as a number it
    // is the same.
    let c = left_pad(ciphertext, k);
    let kdk = Kdk::new(key, &c);
    let substitute = kdk.prf(label, len);
    if ciphertext.len() > k || k < len.saturating_add(MIN_PADDING) {
        return substitute;
    }
    let em = private_operation(key, &c, &kdk);
    let (good, zero_at) = check_padding(&em);
    let sep = k - len - 1;
    let good = good & zero_at.ct_eq(&(sep as u32));
    let mut out = SecretBytes::new(vec![0u8; len]);
    for (o, (real, fake)) in out.iter_mut().zip(em[sep + 1..].iter().zip(&*substitute)) {
        *o = u8::conditional_select(fake, real, good);
    }
    out
}

/// `c` right-aligned in `k` octets (unchanged when longer).
fn left_pad(c: &[u8], k: usize) -> SecretBytes {
    let mut out = SecretBytes::new(vec![0u8; k.max(c.len())]);
    let start = out.len() - c.len();
    out[start..].copy_from_slice(c);
    out
}

/// EM = c^d mod n as k octets, blinded (on the platform's crypto where it offers raw RSA,
/// else in wasm). A ciphertext the operation refuses (c >= n, a public
/// fact, or a failed consistency check) gives all zeros, which no padding check accepts.
fn private_operation(key: &RsaPrivateKey, c: &[u8], kdk: &Kdk) -> SecretBytes {
    // The platform's (OpenSSL's, blinded and constant time) where it has one: Node.
    if let Some(em) = super::provider::rsa_raw_private(key, c) {
        return em;
    }
    let k = key.size();
    let mut rng = kdk.blinding_rng();
    // Constant time on crypto-bigint for the usual sizes; the `rsa` crate for the rest.
    if let Some(em) = super::rsa_exp::private(key, c, &mut rng) {
        return em;
    }
    let mut em = SecretBytes::new(vec![0u8; k]);
    if let Ok(m) =
        rsa::hazmat::rsa_decrypt_and_check(key, Some(&mut rng), &BigUint::from_bytes_be(c))
    {
        let m = Zeroizing::new(m);
        let m = Zeroizing::new(m.to_bytes_be());
        if let Some(start) = k.checked_sub(m.len()) {
            em[start..].copy_from_slice(&m);
        }
    }
    em
}

/// 0x00 || 0x02 || PS (>= 8 non-zero octets) || 0x00 || M, checked in constant time: whether
/// the padding is good, and the index of the first zero octet after the first two (the
/// separator; 0 if there is none).
fn check_padding(em: &[u8]) -> (Choice, u32) {
    // The length is public (k); shorter than the two leading octets is never good.
    let [first, second, ..] = em else {
        return (Choice::from(0), 0);
    };
    let mut good = first.ct_eq(&0) & second.ct_eq(&2);
    let mut found = Choice::from(0);
    let mut zero_at: u32 = 0;
    for (j, b) in em.iter().enumerate().skip(2) {
        let is_zero = b.ct_eq(&0);
        zero_at.conditional_assign(&(j as u32), is_zero & !found);
        found |= is_zero;
    }
    good &= found & zero_at.ct_gt(&9);
    (good, zero_at)
}

// Both users of the primitive (OpenPGP and CMS) are exercised; the full build runs these.
#[cfg(all(test, feature = "smime", feature = "openpgp"))]
mod tests {
    use super::*;
    use rsa::{Pkcs1v15Encrypt, RsaPublicKey};

    /// Alice's RSA-2048 key from the openssl fixtures (k = 256).
    fn key() -> RsaPrivateKey {
        use rsa::pkcs8::DecodePrivateKey;
        let pem = include_str!("../../tests/data/smime/alice.key");
        RsaPrivateKey::from_pkcs8_pem(pem).unwrap()
    }

    fn encrypt(key: &RsaPrivateKey, message: &[u8], seed: u64) -> Vec<u8> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        RsaPublicKey::from(key)
            .encrypt(&mut rng, Pkcs1v15Encrypt, message)
            .unwrap()
    }

    /// Raw RSA on a chosen encoded message EM (to build paddings `rsa` will not produce).
    fn raw_encrypt(key: &RsaPrivateKey, em: &[u8]) -> Vec<u8> {
        let m = BigUint::from_bytes_be(em);
        let c = m.modpow(key.e(), key.n()).to_bytes_be();
        let mut out = vec![0u8; key.size() - c.len()];
        out.extend_from_slice(&c);
        out
    }

    #[test]
    fn prf_is_deterministic_and_label_bound() {
        let kdk = Kdk(Zeroizing::new([7u8; 32]));
        assert_eq!(*kdk.prf(b"length", 32), *kdk.prf(b"length", 32));
        assert_ne!(*kdk.prf(b"length", 32), *kdk.prf(b"message", 32));
        assert_eq!(kdk.prf(b"message", 384).len(), 384);
        // the requested bit length is part of the input, not only a truncation
        assert_ne!(kdk.prf(b"message", 16)[..], kdk.prf(b"message", 32)[..16]);
    }

    #[test]
    fn implicit_returns_real_messages_of_every_length() {
        let key = key();
        let k = key.size();
        for (seed, len) in [(1, 0), (2, 1), (3, 35), (4, k - MIN_PADDING)] {
            let message: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let ct = encrypt(&key, &message, seed);
            let got = decrypt_implicit(&key, &ct).unwrap();
            assert_eq!(*got.message, message, "length {len}");
        }
    }

    #[test]
    fn implicit_rejection_gives_stable_synthetic_messages() {
        let key = key();
        let k = key.size();
        let message = [0x42u8; 32];
        let ct = encrypt(&key, &message, 5);
        let mut lengths = Vec::new();
        for i in 0..8 {
            let mut bad = ct.clone();
            bad[20 + i] ^= 0x55;
            let a = decrypt_implicit(&key, &bad).unwrap();
            let b = decrypt_implicit(&key, &bad).unwrap();
            assert_eq!(a.message, b.message, "deterministic per ciphertext");
            assert_ne!(*a.message, message);
            assert!(a.message.len() < k - 10);
            assert_eq!(a.pseudo_random(b"x", 16), b.pseudo_random(b"x", 16));
            lengths.push(a.message.len());
        }
        lengths.dedup();
        assert!(lengths.len() > 1, "synthetic lengths vary: {lengths:?}");
    }

    #[test]
    fn implicit_rejects_each_padding_fault() {
        let key = key();
        let k = key.size();
        let good_em = |sep: usize| {
            let mut em = vec![0x11u8; k];
            em[0] = 0;
            em[1] = 2;
            em[sep] = 0;
            em
        };
        // the shortest allowed PS (8 octets): separator at index 10
        let ct = raw_encrypt(&key, &good_em(10));
        assert_eq!(
            *decrypt_implicit(&key, &ct).unwrap().message,
            vec![0x11; k - 11]
        );
        let mut faults = Vec::new();
        let mut em = good_em(10);
        em[1] = 1; // block type 1 (signature padding)
        faults.push(em);
        faults.push(good_em(9)); // PS of 7 octets
        let mut em = good_em(10);
        em[10] = 0x11; // no separator at all
        faults.push(em);
        let mut em = good_em(10);
        em[0] = 1; // leading octet not zero (still below n for this key)
        faults.push(em);
        for em in faults {
            let ct = raw_encrypt(&key, &em);
            let got = decrypt_implicit(&key, &ct).unwrap();
            // accepted, the message would be a tail of EM
            assert!(
                got.message.is_empty() || !em.ends_with(&got.message),
                "fault accepted: {:02x?}",
                &em[..12]
            );
        }
    }

    #[test]
    fn odd_ciphertexts_never_panic() {
        let key = key();
        let k = key.size();
        let message = [9u8; 16];
        let ct = encrypt(&key, &message, 6);
        // longer than the modulus: refused on its face / substitute
        assert!(decrypt_implicit(&key, &[1u8; 400]).is_none());
        assert_eq!(decrypt_exact_len(&key, &[1u8; 400], 16, b"t").len(), 16);
        // empty, one octet, c >= n: synthetic, no panic
        for c in [Vec::new(), vec![1], vec![0xff; k]] {
            assert!(decrypt_implicit(&key, &c).is_some());
            assert_eq!(decrypt_exact_len(&key, &c, 16, b"t").len(), 16);
        }
        // a ciphertext without its leading zero octets is the same number
        let stripped = decrypt_implicit(&key, &ct[1..]).unwrap();
        assert_eq!(ct[0] == 0, *stripped.message == message);
        // a modulus too short for the requested length: substitute
        assert_eq!(decrypt_exact_len(&key, &ct, k, b"t").len(), k);
        // an encoded message shorter than its two leading octets (the private operation's
        // wiped result once was, a panic here): not good
        for em in [&[][..], &[0], &[0, 2]] {
            assert!(!bool::from(check_padding(em).0));
        }
    }

    #[test]
    fn exact_len_takes_only_that_length() {
        let key = key();
        let cek = [0x42u8; 32];
        let ct = encrypt(&key, &cek, 7);
        assert_eq!(&*decrypt_exact_len(&key, &ct, 32, b"t"), &cek);
        // a good padding with another length is rejected like a bad padding
        let short = decrypt_exact_len(&key, &ct, 16, b"t");
        assert_eq!(short.len(), 16);
        assert_ne!(&short[..], &cek[..16]);
        assert_ne!(&short[..], &cek[16..]);
        // the substitute is the labelled PRF of this ciphertext, stable and label-bound
        let mut bad = ct.clone();
        bad[10] ^= 1;
        let a = decrypt_exact_len(&key, &bad, 32, b"t");
        assert_eq!(a, decrypt_exact_len(&key, &bad, 32, b"t"));
        assert_ne!(a, decrypt_exact_len(&key, &bad, 32, b"u"));
        assert_eq!(a, Kdk::new(&key, &bad).prf(b"t", 32));
    }

    #[test]
    fn blinding_rng_depends_on_the_ciphertext_only_through_a_secret() {
        use rand::RngCore;
        let key = key();
        let mut a = blinding_rng(&key, &[1, 2, 3]);
        let mut b = blinding_rng(&key, &[1, 2, 3]);
        let mut c = blinding_rng(&key, &[1, 2, 4]);
        let (x, y, z) = (a.next_u64(), b.next_u64(), c.next_u64());
        assert_eq!(x, y);
        assert_ne!(x, z);
    }
}

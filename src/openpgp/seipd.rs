//! The body of a SEIPD v1 packet (RFC 9580 §5.13.1): AES on the crypto provider, the older
//! ciphers (reading only) in rPGP's CFB.
//!
//! rPGP reads and writes SEIPD v1 through `cfb-mode`'s buffered one-block-at-a-time types and
//! its own SHA-1: for a 1 MiB message that was most of the time. Here the same bytes go
//! through `crate::crypto::provider` (native AES-CFB and SHA-1 in Node, AES-CBC-as-CFB and
//! SHA-1 on WebCrypto for writing, parallel-block CFB in wasm otherwise). rPGP still makes and
//! reads every packet around and inside it (PKESKs, literal data, signatures).
//!
//! The body is CFB with a zero IV over: a random prefix of one block plus its last two octets
//! again, the plaintext packets, and the MDC packet (0xD3 0x14, then SHA-1 over everything
//! before the hash). The prefix's repeated octets (the "quick check") are not looked at when
//! reading, as §5.13.1 advises against it; the MDC is checked before any plaintext is released.
//! Bodies are decrypted where they are (a large message is not held twice, issue 12): a session
//! key that fails the MDC leaves the body encrypted again, as it came, for the next key.

use core::ops::Range;

use pgp::crypto::sym::SymmetricKeyAlgorithm;
use subtle::ConstantTimeEq;

use crate::crypto::provider::{self, DigestAlg};
use crate::rng::Rng;
use crate::secret::SecretBytes;

const BLOCK: usize = 16;
const ZERO_IV: [u8; BLOCK] = [0; BLOCK];
/// The MDC packet's header: new-format tag 19, length 20.
const MDC_HEADER: [u8; 2] = [0xD3, 0x14];
const MDC_LEN: usize = 2 + 20;

/// The AES session key sizes the provider takes (AES-128/192/256).
pub(super) fn is_aes_key(key: &[u8]) -> bool {
    matches!(key.len(), 16 | 24 | 32)
}

/// `outer` (the packets before the encrypted body, in the clear: the session key packets,
/// the SEIPD packet's header and version) followed by the encrypted body for `inner_head` and
/// `plaintext`, the inner packets. All of it is put around the plaintext in its own buffer with
/// one move when the buffer has room (one large buffer less held at once, and each header put
/// in front on its own moved the whole message again); otherwise in a new one, and the old one
/// is wiped.
pub(super) async fn seal(
    key: &[u8],
    outer: &[u8],
    inner_head: &[u8],
    plaintext: SecretBytes,
    rng: &mut dyn Rng,
) -> Option<Vec<u8>> {
    let mut prefix = [0u8; BLOCK + 2];
    rng.fill_bytes(&mut prefix[..BLOCK]);
    prefix.copy_within(BLOCK - 2..BLOCK, BLOCK);
    // The inner headers and the prefix are plaintext: wiped once they are in place.
    let front = zeroize::Zeroizing::new([outer, &prefix, inner_head].concat());
    let extra = front.len() + MDC_LEN;
    let mut buf = if plaintext.capacity() - plaintext.len() >= extra {
        let mut buf = plaintext;
        buf.splice(0..0, front.iter().copied());
        buf
    } else {
        let mut buf = SecretBytes::new(Vec::with_capacity(plaintext.len() + extra));
        buf.extend_from_slice(&front);
        buf.extend_from_slice(&plaintext);
        buf
    };
    buf.extend_from_slice(&MDC_HEADER);
    let mdc = provider::digest(DigestAlg::Sha1, &buf[outer.len()..]).await;
    buf.extend_from_slice(&mdc);
    // Encrypted in place: what leaves the buffer is ciphertext, no longer a secret to wipe.
    if !provider::aes_cfb_encrypt_in_place(key, &ZERO_IV, &mut buf[outer.len()..]).await {
        return None;
    }
    Some(buf.into_vec())
}

/// The length of the body [`seal`] makes for inner packets of `len` bytes.
pub(super) const fn sealed_len(len: usize) -> usize {
    BLOCK + 2 + len + MDC_LEN
}

/// Decrypts an encrypted body in place; where its inner packets are in it. `None` when it is too
/// short, the cipher is not one mailseal reads, or the MDC does not match (altered, or a wrong
/// session key): nothing is released then, and `body` is encrypted again as it was, for the
/// next session key to try. AES runs on the crypto provider, the older ciphers (CAST5, 3DES,
/// Twofish, Camellia) in rPGP.
pub(super) async fn open_in_place(
    alg: SymmetricKeyAlgorithm,
    key: &[u8],
    body: &mut [u8],
) -> Option<Range<usize>> {
    let block = alg.block_size();
    let prefix = block + 2;
    if block == 0 || body.len() < prefix + MDC_LEN {
        return None;
    }
    let iv = vec![0u8; block];
    let decrypted = if is_aes(alg) && is_aes_key(key) {
        provider::aes_cfb_decrypt_in_place(key, &iv, body).await
    } else {
        alg.decrypt_with_iv_regular(key, &iv, body).is_ok()
    };
    // Not decrypted: a wrong key size, or a platform that failed halfway (never expected; the
    // body is then neither, and every key fails the MDC after it).
    if !decrypted {
        return None;
    }
    let hashed_len = body.len() - 20;
    let (hashed, mdc) = body.split_at(hashed_len);
    let header_ok = hashed.ends_with(&MDC_HEADER);
    let expected = provider::digest(DigestAlg::Sha1, hashed).await;
    let mdc_ok: bool = mdc.ct_eq(&expected).into();
    if header_ok && mdc_ok {
        return Some(prefix..hashed_len - MDC_HEADER.len());
    }
    // CFB encryption with the same key undoes the decryption exactly.
    let _ = alg.encrypt_with_iv_regular(key, &iv, body);
    None
}

fn is_aes(alg: SymmetricKeyAlgorithm) -> bool {
    use SymmetricKeyAlgorithm::{AES128, AES192, AES256};
    matches!(alg, AES128 | AES192 | AES256)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::provider::now_or_never;
    use SymmetricKeyAlgorithm::{AES128, AES256};

    /// With room in the plaintext's buffer the headers go in front there (no new buffer), and
    /// the result is the same as without room.
    #[test]
    fn seal_in_the_plaintexts_buffer_is_the_same_as_into_a_new_one() {
        use rand::SeedableRng;
        let key = [7u8; 16];
        let seal_with = |room: usize| {
            let mut inner = Vec::with_capacity(5000 + room);
            inner.extend((0..5000u32).map(|i| i as u8));
            let at = inner.as_ptr();
            let mut rng = rand::rngs::StdRng::seed_from_u64(3);
            let sealed = now_or_never(seal(
                &key,
                &[9; 700],
                b"head",
                SecretBytes::new(inner),
                &mut rng,
            ))
            .flatten()
            .unwrap();
            (sealed.as_ptr() == at, sealed)
        };
        let (in_place, roomy) = seal_with(700 + BLOCK + 2 + 4 + MDC_LEN);
        let (copied, tight) = seal_with(0);
        assert!(in_place && !copied);
        assert_eq!(roomy, tight);
        assert_eq!(&roomy[..700], &[9; 700][..]);
        let mut body = roomy[700..].to_vec();
        let inner = now_or_never(open_in_place(AES128, &key, &mut body))
            .flatten()
            .unwrap();
        assert_eq!(&body[inner.clone()][..4], b"head");
        assert_eq!(body[inner].len(), 4 + 5000);
    }

    fn sealed(key: &[u8]) -> Vec<u8> {
        let inner = SecretBytes::new(b"packets".to_vec());
        let sealed = now_or_never(seal(
            key,
            b"out",
            b"inner ",
            inner,
            &mut crate::rng::os_rng(),
        ))
        .flatten()
        .unwrap();
        assert_eq!(&sealed[..3], b"out");
        assert_eq!(sealed.len(), 3 + sealed_len(13));
        sealed[3..].to_vec()
    }

    #[test]
    fn seal_then_open_round_trips_and_any_flipped_bit_is_refused() {
        let key = [5u8; 32];
        let sealed = sealed(&key);
        assert_eq!(sealed.len(), BLOCK + 2 + 13 + MDC_LEN);
        let mut body = sealed.clone();
        let inner = now_or_never(open_in_place(AES256, &key, &mut body))
            .flatten()
            .unwrap();
        assert_eq!(&body[inner], b"inner packets");
        for i in [0, BLOCK + 3, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[i] ^= 0x40;
            assert!(
                now_or_never(open_in_place(AES256, &key, &mut bad))
                    .flatten()
                    .is_none(),
                "byte {i}"
            );
        }
        let mut short = sealed[..20].to_vec();
        assert!(now_or_never(open_in_place(AES256, &key, &mut short))
            .flatten()
            .is_none());
    }

    /// A key that fails the MDC leaves the body as it was: the next key opens it in place.
    #[test]
    fn a_wrong_key_leaves_the_body_for_the_next_one() {
        let key = [5u8; 32];
        let sealed = sealed(&key);
        let mut body = sealed.clone();
        assert!(now_or_never(open_in_place(AES256, &[6u8; 32], &mut body))
            .flatten()
            .is_none());
        assert_eq!(body, sealed);
        let inner = now_or_never(open_in_place(AES256, &key, &mut body))
            .flatten()
            .unwrap();
        assert_eq!(&body[inner], b"inner packets");
    }
}

//! The body of a SEIPD v1 packet (RFC 9580 §5.13.1) with AES, on the crypto provider.
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

/// The encrypted body (what follows the version octet) for `plaintext`, the inner packets.
/// The prefix and the MDC are put around the plaintext in its own buffer when it has room
/// (one large buffer less held at once); otherwise in a new one, and the old one is wiped.
pub(super) async fn seal(key: &[u8], plaintext: SecretBytes, rng: &mut dyn Rng) -> Option<Vec<u8>> {
    let extra = BLOCK + 2 + MDC_LEN;
    let mut buf = if plaintext.capacity() - plaintext.len() >= extra {
        plaintext
    } else {
        let mut buf = SecretBytes::new(Vec::with_capacity(plaintext.len() + extra));
        buf.extend_from_slice(&plaintext);
        buf
    };
    let mut prefix = [0u8; BLOCK + 2];
    rng.fill_bytes(&mut prefix[..BLOCK]);
    prefix.copy_within(BLOCK - 2..BLOCK, BLOCK);
    buf.splice(0..0, prefix);
    buf.extend_from_slice(&MDC_HEADER);
    let mdc = provider::digest(DigestAlg::Sha1, &buf).await;
    buf.extend_from_slice(&mdc);
    // Encrypted in place: what leaves the buffer is ciphertext, no longer a secret to wipe.
    if !provider::aes_cfb_encrypt_in_place(key, &ZERO_IV, &mut buf).await {
        return None;
    }
    Some(buf.into_vec())
}

/// The inner packets of an encrypted body, or `None` when it is too short, the key has no AES
/// size, or the MDC does not match (altered, or a wrong session key): nothing is released then.
pub(super) async fn open(key: &[u8], body: &[u8]) -> Option<SecretBytes> {
    if !is_aes_key(key) || body.len() < BLOCK + 2 + MDC_LEN {
        return None;
    }
    let mut plain = provider::aes_cfb_decrypt(key, &ZERO_IV, body).await?;
    let hashed_len = plain.len().checked_sub(20)?;
    let hashed = plain.get(..hashed_len)?;
    let header_ok = hashed.ends_with(&MDC_HEADER);
    let mdc = provider::digest(DigestAlg::Sha1, hashed).await;
    let mdc_ok: bool = plain.get(hashed_len..)?.ct_eq(&mdc).into();
    if !(header_ok && mdc_ok) {
        return None;
    }
    plain.truncate(hashed_len - MDC_HEADER.len());
    plain.drain(..BLOCK + 2);
    Some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::provider::now_or_never;

    #[test]
    fn seal_then_open_round_trips_and_any_flipped_bit_is_refused() {
        let key = [5u8; 32];
        let sealed = now_or_never(seal(
            &key,
            SecretBytes::new(b"inner packets".to_vec()),
            &mut crate::rng::os_rng(),
        ))
        .flatten()
        .unwrap();
        assert_eq!(sealed.len(), BLOCK + 2 + 13 + MDC_LEN);
        let opened = now_or_never(open(&key, &sealed)).flatten().unwrap();
        assert_eq!(&opened[..], b"inner packets");
        for i in [0, BLOCK + 3, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[i] ^= 0x40;
            assert!(
                now_or_never(open(&key, &bad)).flatten().is_none(),
                "byte {i}"
            );
        }
        assert!(now_or_never(open(&[6u8; 32], &sealed)).flatten().is_none());
        assert!(now_or_never(open(&key, &sealed[..20])).flatten().is_none());
    }
}

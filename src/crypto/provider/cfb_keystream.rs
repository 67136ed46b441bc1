//! AES-CFB (full-block feedback: OpenPGP SEIPD v1) as one call of another platform mode plus
//! an XOR, for the platform providers: WebCrypto has no CFB at all, so its encryption runs on
//! AES-CBC; OpenSSL's CFB128 decryption goes a block at a time, while its ECB runs blocks in
//! parallel (1.4 MB in Node 20 on the bench machine: CFB decryption ~3 ms, ECB 0.5-1.2 ms).
//!
//! CFB's keystream block i is E(C[i-1]) (C[-1] = IV), so both directions start from the same
//! [`feed`], IV ‖ every block but the last:
//! - encryption: C[i-1] is not known in advance, but CBC with a zero IV over IV ‖ P[0] … P[n-2]
//!   computes it: each CBC input block is the previous output XOR P[i-1], which is C[i-1];
//! - decryption: the C[i] are the input, so the keystream is AES-ECB over IV ‖ C[0] … C[n-2].
//!
//! The keystream XORed with the input is the output ([`apply_keystream`]).

use crate::secret::SecretBytes;

/// IV ‖ `data`'s blocks but the last: what the platform encrypts (CBC with a zero IV for
/// encryption, ECB for decryption) into the keystream of `data`. Wiped when dropped (it holds
/// plaintext when encrypting).
pub(crate) fn feed(iv: &[u8], data: &[u8]) -> Option<SecretBytes> {
    if iv.len() != 16 {
        return None;
    }
    let mut feed = Vec::with_capacity(data.len() + 16);
    feed.extend_from_slice(iv);
    feed.extend_from_slice(&data[..data.len().saturating_sub(1) / 16 * 16]);
    Some(SecretBytes::new(feed))
}

/// Turns `stream`, the keystream the platform made from [`feed`], into `data` XOR that keystream,
/// in place (any padding block after it is dropped); `false` when the platform's output is too
/// short. In place, so that a decryption's keystream and plaintext stay in the caller's wiped
/// buffer. Eight bytes at a time: mailseal is built at opt-level "z", which does not vectorise
/// a byte loop.
pub(crate) fn apply_keystream(data: &[u8], stream: &mut Vec<u8>) -> bool {
    if stream.len() < data.len() {
        return false;
    }
    stream.truncate(data.len());
    let (words, tail) = stream.as_chunks_mut::<8>();
    let (data_words, data_tail) = data.as_chunks::<8>();
    for (k, x) in words.iter_mut().zip(data_words) {
        *k = (u64::from_ne_bytes(*k) ^ u64::from_ne_bytes(*x)).to_ne_bytes();
    }
    for (k, x) in tail.iter_mut().zip(data_tail) {
        *k ^= x;
    }
    true
}

#[cfg(all(test, feature = "smime"))]
mod tests {
    use super::*;
    use crate::crypto::provider::rust_crypto::{Cfb, RustCrypto};

    const KEY: [u8; 32] = [3; 32];
    const IV: [u8; 16] = [5; 16];
    const LENGTHS: [usize; 9] = [0, 1, 15, 16, 17, 31, 32, 33, 100];

    fn plain(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + 1) as u8).collect()
    }

    fn cfb_encrypted(data: &[u8]) -> Vec<u8> {
        let mut ct = data.to_vec();
        RustCrypto
            .aes_cfb_in_place(&KEY, &IV, &mut ct, Cfb::Encrypt)
            .unwrap();
        ct
    }

    #[test]
    fn cbc_over_the_feed_encrypts_as_cfb_does() {
        for len in LENGTHS {
            let data = plain(len);
            let feed = feed(&IV, &data).unwrap();
            let mut stream = RustCrypto.aes_cbc_encrypt(&KEY, &[0; 16], &feed).unwrap();
            let cfb = cfb_encrypted(&data);
            assert!(apply_keystream(&data, &mut stream));
            assert_eq!(stream, cfb, "length {len}");
        }
    }

    #[test]
    fn ecb_over_the_feed_decrypts_as_cfb_does() {
        use aes::cipher::{BlockEncrypt, KeyInit};
        let aes = aes::Aes256::new_from_slice(&KEY).unwrap();
        for len in LENGTHS {
            let data = plain(len);
            let ct = cfb_encrypted(&data);
            let mut stream = feed(&IV, &ct).unwrap().to_vec();
            for block in stream.chunks_exact_mut(16) {
                aes.encrypt_block(block.into());
            }
            assert!(apply_keystream(&ct, &mut stream));
            assert_eq!(stream, data, "length {len}");
        }
    }

    #[test]
    fn refuses_a_wrong_iv_or_a_short_stream() {
        assert!(feed(&[0; 8], b"abc").is_none());
        assert!(!apply_keystream(b"abcdef", &mut b"abc".to_vec()));
    }
}

//! The built-in provider, [`RustCrypto`]: pure-Rust AES (CBC, GCM, CFB), in wasm and natively.
//! Its digests are `provider::rust_digest`, next to the `DigestAlg` they take.

/// Which way [`RustCrypto::aes_cfb`] runs.
#[cfg(feature = "openpgp")]
#[derive(Clone, Copy)]
pub(crate) enum Cfb {
    Encrypt,
    Decrypt,
}

/// AES-GCM sealing with cipher `C`, a 96-bit nonce and a `T`-byte tag: ciphertext ‖ tag.
#[cfg(feature = "smime")]
fn gcm_seal<C, T>(key: &[u8], nonce: &[u8], aad: &[u8], msg: &[u8]) -> Option<Vec<u8>>
where
    C: aes_gcm::aes::cipher::BlockCipher<BlockSize = aes_gcm::aead::consts::U16>
        + aes_gcm::aes::cipher::BlockEncrypt
        + aes_gcm::aead::KeyInit,
    T: aes_gcm::TagSize,
{
    use aes_gcm::aead::consts::U12;
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    if nonce.len() != 12 {
        return None;
    }
    let cipher = aes_gcm::AesGcm::<C, U12, T>::new_from_slice(key).ok()?;
    let nonce = aes_gcm::Nonce::<U12>::from_slice(nonce);
    cipher.encrypt(nonce, Payload { msg, aad }).ok()
}

/// AES-GCM decryption of `data` in place with its detached `tag`: `false` when the tag does not
/// verify (`data` is then not the plaintext; aes-gcm applies the keystream either way).
#[cfg(feature = "smime")]
fn gcm_open_in_place<C, T>(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    data: &mut [u8],
    tag: &[u8],
) -> bool
where
    C: aes_gcm::aes::cipher::BlockCipher<BlockSize = aes_gcm::aead::consts::U16>
        + aes_gcm::aes::cipher::BlockEncrypt
        + aes_gcm::aead::KeyInit,
    T: aes_gcm::TagSize,
{
    use aes_gcm::aead::consts::U12;
    use aes_gcm::aead::{AeadInPlace, KeyInit};
    if nonce.len() != 12 || tag.len() != T::USIZE {
        return false;
    }
    let Ok(cipher) = aes_gcm::AesGcm::<C, U12, T>::new_from_slice(key) else {
        return false;
    };
    cipher
        .decrypt_in_place_detached(
            aes_gcm::Nonce::<U12>::from_slice(nonce),
            aad,
            data,
            aes_gcm::Tag::<T>::from_slice(tag),
        )
        .is_ok()
}

/// The built-in provider: RustCrypto's `aes`, `cbc`, `aes-gcm`, `sha1` and `sha2` in wasm and
/// natively. It offers everything, so every dispatch of `provider` ends here at the latest.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RustCrypto;

/// Synchronous, always there: the fallback of every dispatch of `provider`.
impl RustCrypto {
    pub(crate) fn name(&self) -> &'static str {
        "rustcrypto"
    }

    /// AES-CBC with PKCS#7 padding into a new buffer (tests compare the platforms' answers
    /// with it; `protect` encrypts in place).
    #[cfg(all(test, feature = "smime"))]
    pub(crate) fn aes_cbc_encrypt(
        &self,
        key: &[u8],
        iv: &[u8],
        plaintext: &[u8],
    ) -> Option<Vec<u8>> {
        let mut data = plaintext.to_vec();
        self.aes_cbc_encrypt_in_place(key, iv, &mut data)?;
        Some(data)
    }

    /// [`Self::aes_cbc_encrypt`] over `data` in place; `None` (and `data` as it was) for a key
    /// or IV of the wrong length.
    #[cfg(feature = "smime")]
    pub(crate) fn aes_cbc_encrypt_in_place(
        &self,
        key: &[u8],
        iv: &[u8],
        data: &mut Vec<u8>,
    ) -> Option<()> {
        use aes::{Aes128, Aes192, Aes256};
        use cbc::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
        fn run<C>(key: &[u8], iv: &[u8], data: &mut Vec<u8>) -> Option<()>
        where
            C: cbc::cipher::BlockCipher + cbc::cipher::BlockEncryptMut + cbc::cipher::KeyInit,
        {
            let enc = cbc::Encryptor::<C>::new_from_slices(key, iv).ok()?;
            let len = data.len();
            data.resize(len / 16 * 16 + 16, 0);
            let padded = enc.encrypt_padded_mut::<Pkcs7>(data, len).ok()?.len();
            data.truncate(padded);
            Some(())
        }
        match key.len() {
            16 => run::<Aes128>(key, iv, data),
            24 => run::<Aes192>(key, iv, data),
            32 => run::<Aes256>(key, iv, data),
            _ => None,
        }
    }

    /// AES-CBC decryption with PKCS#7 padding of `data` in place: the plaintext's length (it
    /// starts `data`); `None` for a key or IV of the wrong length or bad padding.
    #[cfg(feature = "smime")]
    pub(crate) fn aes_cbc_decrypt_in_place(
        &self,
        key: &[u8],
        iv: &[u8],
        data: &mut [u8],
    ) -> Option<usize> {
        use aes::{Aes128, Aes192, Aes256};
        use cbc::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
        fn run<C>(key: &[u8], iv: &[u8], data: &mut [u8]) -> Option<usize>
        where
            C: cbc::cipher::BlockCipher + cbc::cipher::BlockDecryptMut + cbc::cipher::KeyInit,
        {
            cbc::Decryptor::<C>::new_from_slices(key, iv)
                .ok()?
                .decrypt_padded_mut::<Pkcs7>(data)
                .ok()
                .map(|plain| plain.len())
        }
        match key.len() {
            16 => run::<Aes128>(key, iv, data),
            24 => run::<Aes192>(key, iv, data),
            32 => run::<Aes256>(key, iv, data),
            _ => None,
        }
    }

    /// AES-GCM decryption of `data` in place; `false` when the tag does not verify (or bad
    /// parameters), and `data` is then not the plaintext.
    #[cfg(feature = "smime")]
    pub(crate) fn aes_gcm_decrypt_in_place(
        &self,
        key: &[u8],
        nonce: &[u8],
        aad: &[u8],
        data: &mut [u8],
        tag: &[u8],
    ) -> bool {
        use aes::{Aes128, Aes192, Aes256};
        use aes_gcm::aead::consts::{U12, U16};
        match (key.len(), tag.len()) {
            (16, 16) => gcm_open_in_place::<Aes128, U16>(key, nonce, aad, data, tag),
            (24, 16) => gcm_open_in_place::<Aes192, U16>(key, nonce, aad, data, tag),
            (32, 16) => gcm_open_in_place::<Aes256, U16>(key, nonce, aad, data, tag),
            (16, 12) => gcm_open_in_place::<Aes128, U12>(key, nonce, aad, data, tag),
            (24, 12) => gcm_open_in_place::<Aes192, U12>(key, nonce, aad, data, tag),
            (32, 12) => gcm_open_in_place::<Aes256, U12>(key, nonce, aad, data, tag),
            _ => false,
        }
    }

    #[cfg(feature = "smime")]
    pub(crate) fn aes_gcm_encrypt(
        &self,
        key: &[u8],
        nonce: &[u8],
        aad: &[u8],
        plaintext: &[u8],
        tag_len: usize,
    ) -> Option<Vec<u8>> {
        use aes_gcm::aead::consts::U16;
        if nonce.len() != 12 || tag_len != 16 {
            return None;
        }
        match key.len() {
            16 => gcm_seal::<aes::Aes128, U16>(key, nonce, aad, plaintext),
            24 => gcm_seal::<aes::Aes192, U16>(key, nonce, aad, plaintext),
            32 => gcm_seal::<aes::Aes256, U16>(key, nonce, aad, plaintext),
            _ => None,
        }
    }

    /// AES-CFB (full-block feedback) over `data` in place; `None` (and `data` as it was) for a
    /// key or IV of the wrong length. Decryption runs on the cipher's parallel blocks (CFB
    /// decryption does not chain), unlike the buffered one-block-at-a-time types rPGP uses.
    #[cfg(feature = "openpgp")]
    pub(crate) fn aes_cfb_in_place(
        &self,
        key: &[u8],
        iv: &[u8],
        data: &mut [u8],
        dir: Cfb,
    ) -> Option<()> {
        use aes::{Aes128, Aes192, Aes256};
        use cfb_mode::cipher::{AsyncStreamCipher, BlockCipher, BlockEncrypt, KeyInit, KeyIvInit};
        fn run<C: BlockCipher + BlockEncrypt + KeyInit>(
            key: &[u8],
            iv: &[u8],
            data: &mut [u8],
            dir: Cfb,
        ) -> Option<()> {
            match dir {
                Cfb::Encrypt => cfb_mode::Encryptor::<C>::new_from_slices(key, iv)
                    .ok()?
                    .encrypt(data),
                Cfb::Decrypt => cfb_mode::Decryptor::<C>::new_from_slices(key, iv)
                    .ok()?
                    .decrypt(data),
            }
            Some(())
        }
        match key.len() {
            16 => run::<Aes128>(key, iv, data, dir),
            24 => run::<Aes192>(key, iv, data, dir),
            32 => run::<Aes256>(key, iv, data, dir),
            _ => None,
        }
    }

    // The OpenPGP-only build has no AES-CBC/GCM users (rPGP does its own ciphers).
    #[cfg(all(test, not(feature = "smime")))]
    pub(crate) fn aes_cbc_encrypt(&self, _: &[u8], _: &[u8], _: &[u8]) -> Option<Vec<u8>> {
        None
    }

    #[cfg(not(feature = "smime"))]
    pub(crate) fn aes_gcm_encrypt(
        &self,
        _: &[u8],
        _: &[u8],
        _: &[u8],
        _: &[u8],
        _: usize,
    ) -> Option<Vec<u8>> {
        None
    }
}

#[cfg(all(test, feature = "smime"))]
mod tests {
    use super::*;
    use crate::crypto::provider::{digest, now_or_never, DigestAlg};

    /// NIST SP 800-38A F.2.5 (CBC-AES256.Encrypt, first block) and FIPS 180-2 "abc".
    #[test]
    fn rustcrypto_matches_the_standards_vectors() {
        let key = hex::decode("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
            .unwrap();
        let iv = hex::decode("000102030405060708090a0b0c0d0e0f").unwrap();
        let p = hex::decode("6bc1bee22e409f96e93d7e117393172a").unwrap();
        let c = RustCrypto.aes_cbc_encrypt(&key, &iv, &p).unwrap();
        assert_eq!(hex::encode(&c[..16]), "f58c4c04d6e5f1ba779eabfb5f7bfbd6");
        let mut data = c.clone();
        let len = RustCrypto
            .aes_cbc_decrypt_in_place(&key, &iv, &mut data)
            .unwrap();
        assert_eq!(&data[..len], &p[..]);
        assert_eq!(
            hex::encode(now_or_never(digest(DigestAlg::Sha256, b"abc")).unwrap()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

//! Cryptographic building blocks shared by both standards.
//!
//! | module | what |
//! |---|---|
//! | `rsa_exp` | RSA's modular exponentiations (private by CRT, blinded and checked; public) in constant time on `crypto-bigint`, mod each prime on 28-bit limbs in wasm32 (crates/montgomery28) |
//! | `rsa_pkcs1` | RSA PKCS#1 v1.5 decryption hardened against Marvin: blinding, constant-time decoding, implicit rejection |
//! | `provider` | the seam for bulk work: AES-CBC/GCM and digests on the platform's native crypto when installed, RustCrypto otherwise |
//! | [`cbc_decrypt`] | CBC with PKCS#7 padding (S/MIME content, legacy encrypted PEM keys) |
//! | [`rsa_public_key`] | an RSAPublicKey of up to 16384 bits (the `rsa` crate's own limit is 4096) |

// The OpenPGP-only build does not route anything through the provider yet.
#[cfg_attr(not(feature = "smime"), allow(dead_code))]
pub(crate) mod provider;
pub(crate) mod rsa_exp;
pub(crate) mod rsa_pkcs1;

#[cfg(feature = "smime")]
use cbc::cipher::{block_padding::Pkcs7, BlockCipher, BlockDecryptMut, KeyInit, KeyIvInit};

#[cfg(feature = "smime")]
use crate::secret::SecretBytes;

/// The largest RSA modulus read from a certificate: OpenSSL's limit. The `rsa` crate stops at
/// 4096 bits by default, yet RSA-6144 and RSA-8192 certificates exist and openssl signs and
/// encrypts with them; refusing one as unreadable made its good signatures look tampered with.
#[cfg(feature = "smime")]
const MAX_RSA_PUBLIC_BITS: usize = 16384;

/// A PKCS#1 RSAPublicKey (a certificate's subject public key) of up to
/// [`MAX_RSA_PUBLIC_BITS`]; `None` when malformed or larger.
#[cfg(feature = "smime")]
pub(crate) fn rsa_public_key(der: &[u8]) -> Option<rsa::RsaPublicKey> {
    use der::Decode as _;
    let key = rsa::pkcs1::RsaPublicKey::from_der(der).ok()?;
    let n = rsa::BigUint::from_bytes_be(key.modulus.as_bytes());
    let e = rsa::BigUint::from_bytes_be(key.public_exponent.as_bytes());
    rsa::RsaPublicKey::new_with_max_size(n, e, MAX_RSA_PUBLIC_BITS).ok()
}

/// CBC decryption with PKCS#7 padding of `data` in place: the plaintext's length (it starts
/// `data`); `None` for a wrong key or IV length or bad padding.
#[cfg(feature = "smime")]
pub(crate) fn cbc_decrypt_in_place<C>(key: &[u8], iv: &[u8], data: &mut [u8]) -> Option<usize>
where
    C: BlockCipher + BlockDecryptMut + KeyInit,
{
    cbc::Decryptor::<C>::new_from_slices(key, iv)
        .ok()?
        .decrypt_padded_mut::<Pkcs7>(data)
        .ok()
        .map(|plain| plain.len())
}

/// CBC decryption with PKCS#7 padding; `None` for a wrong key or IV length or bad padding.
#[cfg(feature = "smime")]
pub(crate) fn cbc_decrypt<C>(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Option<SecretBytes>
where
    C: BlockCipher + BlockDecryptMut + KeyInit,
{
    cbc::Decryptor::<C>::new_from_slices(key, iv)
        .ok()?
        .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
        .ok()
        .map(SecretBytes::new)
}

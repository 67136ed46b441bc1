//! The crypto provider: the one seam between the engines and whoever does the bulk work.
//!
//! The engines never call a cipher or digest crate for message-sized data directly; they call
//! the functions of this module ([`digest`], [`aes_cbc_encrypt`], ...). Those hand the work to
//! the platform's provider when one is installed and the input is large enough to be worth a
//! call across the boundary, and to the built-in pure-Rust implementation ([`RustCrypto`])
//! otherwise, or whenever the platform declines (an algorithm it lacks, an error of its own).
//! rustls's `CryptoProvider` and sequoia-openpgp's crypto backends are the models.
//!
//! - Native builds (tests, the CLI) install nothing: everything is RustCrypto.
//! - The wasm build installs the runtime's native crypto (see `crate::wasm::platform`):
//!   node:crypto in Node (synchronous), WebCrypto in browsers and Workers (asynchronous).
//!
//! The dispatch functions are `async` because WebCrypto is. With RustCrypto or node:crypto
//! their futures are ready at the first poll, which is what lets the synchronous Rust API
//! ([`crate::protect::protect`], [`crate::open::open`]) drive them with [`now_or_never`].
//!
//! A platform answer is only ever a faster way to the same bytes: for decryption, anything but
//! a clean success from the platform is decided again by RustCrypto, so a tampered message
//! fails the same way on every path.
//!
//! Here: the [`CryptoProvider`] trait, its installation and the dispatch of bulk work (digests,
//! AES). The built-in implementation is in `provider/rust_crypto.rs`; the RSA and P-256
//! operations, which go to the platform the same way, in `provider/asymmetric.rs` (re-exported
//! here, so callers name them `provider::rsa_sign` etc. as before).

mod asymmetric;
// For the platform providers (crate::wasm::platform); tested natively.
#[cfg(all(feature = "openpgp", any(test, target_arch = "wasm32")))]
pub(crate) mod cfb_keystream;
mod rust_crypto;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use crate::secret::SecretBytes;
#[cfg(feature = "openpgp")]
use rust_crypto::Cfb;
use rust_crypto::RustCrypto;

// The RSA and P-256 operations, as `provider::rsa_sign` etc. (this module only passes them on).
pub(crate) use asymmetric::*;

/// A provider's answer, possibly still on its way (WebCrypto). Not `Send`: wasm32 has one thread.
pub(crate) type Pending<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// An answer that is already there (RustCrypto, node:crypto, rPGP).
pub(crate) fn ready<'a, T: 'a>(value: T) -> Pending<'a, T> {
    Box::pin(std::future::ready(value))
}

/// Polls `future` once: its output if it completed without waiting. Every future of the core is
/// ready at once unless an asynchronous provider (WebCrypto) is installed, so this is how the
/// synchronous API runs the async flow.
pub(crate) fn now_or_never<F: Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

/// The error of a synchronous call where the platform's crypto is asynchronous.
pub(crate) fn needs_async() -> crate::error::Error {
    crate::error::Error::new(
        crate::error::ErrorCode::Internal,
        "This platform's crypto is asynchronous: use the async API (protect_async / open_async).",
    )
}

/// Digests the engines compute over message-sized data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DigestAlg {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlg {
    /// The name node:crypto knows it by.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn name(self) -> &'static str {
        match self {
            DigestAlg::Sha1 => "sha1",
            DigestAlg::Sha224 => "sha224",
            DigestAlg::Sha256 => "sha256",
            DigestAlg::Sha384 => "sha384",
            DigestAlg::Sha512 => "sha512",
        }
    }

    /// The name WebCrypto knows it by (it has no SHA-224).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn web_name(self) -> Option<&'static str> {
        match self {
            DigestAlg::Sha1 => Some("SHA-1"),
            DigestAlg::Sha224 => None,
            DigestAlg::Sha256 => Some("SHA-256"),
            DigestAlg::Sha384 => Some("SHA-384"),
            DigestAlg::Sha512 => Some("SHA-512"),
        }
    }

    fn len(self) -> usize {
        match self {
            DigestAlg::Sha1 => 20,
            DigestAlg::Sha224 => 28,
            DigestAlg::Sha256 => 32,
            DigestAlg::Sha384 => 48,
            DigestAlg::Sha512 => 64,
        }
    }
}

/// What a platform offers. Every method may decline with `None` (not offered, or failed):
/// the caller then uses [`RustCrypto`]. AES key sizes follow from the key length (16/24/32).
pub(crate) trait CryptoProvider: Send + Sync {
    /// For logs and benchmarks.
    fn name(&self) -> &'static str;
    /// Inputs shorter than this stay in RustCrypto: below it, a call into the platform (object
    /// creation, copies across the boundary, a Promise) costs more than it saves.
    fn min_bytes(&self) -> usize;
    /// The digest of `data`.
    fn digest<'a>(&'a self, alg: DigestAlg, data: &'a [u8]) -> Pending<'a, Option<Vec<u8>>>;
    /// AES-CBC with PKCS#7 padding.
    fn aes_cbc_encrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        plaintext: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>>;
    /// [`Self::aes_cbc_encrypt`] over `data` in place (it grows by the padding): `None` (and
    /// `data` as it was) when declined, `Some(false)` when it failed after writing into `data`
    /// (no other provider may take it then). The default copies the answer in; a platform that
    /// can write its answer straight into `data` spares a second message-sized buffer.
    fn aes_cbc_encrypt_in_place<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        data: &'a mut Vec<u8>,
    ) -> Pending<'a, Option<bool>> {
        Box::pin(async move {
            // The ciphertext is longer than the plaintext: it covers every byte of it.
            let answer = self.aes_cbc_encrypt(key, iv, data).await;
            over_plaintext(answer.filter(|out| out.len() > data.len()), data).then_some(true)
        })
    }
    /// AES-CBC with PKCS#7 padding; `None` also for a wrong key or bad padding.
    fn aes_cbc_decrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        ct: &'a [u8],
    ) -> Pending<'a, Option<SecretBytes>>;
    /// [`Self::aes_cbc_decrypt`] over `data` in place: the plaintext's length (it starts
    /// `data`); `None`, and `data` as it was, when declined or the padding is bad. The default
    /// copies the answer in; a platform that writes its answer straight into `data` spares a
    /// second message-sized buffer in wasm memory.
    #[cfg(feature = "smime")]
    fn aes_cbc_decrypt_in_place<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        data: &'a mut [u8],
    ) -> Pending<'a, Option<usize>> {
        Box::pin(async move {
            let plain = self.aes_cbc_decrypt(key, iv, data).await?;
            let len = plain.len();
            data.get_mut(..len)?.copy_from_slice(&plain);
            Some(len)
        })
    }
    /// [`Self::aes_gcm_decrypt`] over `data` in place: `false`, and `data` as it was, when
    /// declined or the tag does not verify. The default copies the answer in.
    #[cfg(feature = "smime")]
    fn aes_gcm_decrypt_in_place<'a>(
        &'a self,
        key: &'a [u8],
        nonce: &'a [u8],
        aad: &'a [u8],
        data: &'a mut [u8],
        tag: &'a [u8],
    ) -> Pending<'a, bool> {
        Box::pin(async move {
            match self.aes_gcm_decrypt(key, nonce, aad, data, tag).await {
                Some(plain) if plain.len() == data.len() => {
                    data.copy_from_slice(&plain);
                    true
                }
                _ => false,
            }
        })
    }
    /// AES-GCM with a 96-bit nonce: ciphertext followed by a `tag_len`-byte tag.
    fn aes_gcm_encrypt<'a>(
        &'a self,
        key: &'a [u8],
        nonce: &'a [u8],
        aad: &'a [u8],
        plaintext: &'a [u8],
        tag_len: usize,
    ) -> Pending<'a, Option<Vec<u8>>>;
    /// RSA without padding, `c^d mod n` as k octets: the private operation of PKCS#1 v1.5
    /// decryption, whose unpadding stays in `crate::crypto::rsa_pkcs1` (constant time, implicit
    /// rejection). Synchronous: only node:crypto offers it (`privateDecrypt` with
    /// `RSA_NO_PADDING`, blinded in OpenSSL); WebCrypto has no raw RSA, so the default declines.
    fn rsa_raw_private(&self, _key: &rsa::RsaPrivateKey, _c: &[u8]) -> Option<SecretBytes> {
        None
    }
    /// RSAES-OAEP decryption with `hash` for both OAEP and MGF1 and an empty label. `None`: not
    /// offered (decided before the ciphertext is looked at); `Some(None)`: the ciphertext does
    /// not decrypt, final (OpenSSL's OAEP decoding is constant time and gives one error for
    /// every failure, so retrying elsewhere would only add a timing difference).
    #[cfg(feature = "smime")]
    fn rsa_oaep_decrypt<'a>(
        &'a self,
        _key: &'a rsa::RsaPrivateKey,
        _hash: DigestAlg,
        _c: &'a [u8],
    ) -> Pending<'a, Option<Option<SecretBytes>>> {
        ready(None)
    }
    /// An RSASSA-PKCS1-v1_5 signature over `message` with `alg`, the platform hashing it
    /// (WebCrypto signs messages, not digests).
    fn rsa_sign_message<'a>(
        &'a self,
        _key: &'a rsa::RsaPrivateKey,
        _alg: DigestAlg,
        _message: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        ready(None)
    }
    /// Whether `signature` is a valid RSASSA-PKCS1-v1_5 signature with `alg` over `message`, as
    /// far as the platform can tell: `Some(true)` confirms, anything else only means "not
    /// confirmed" (see [`rsa_signature_confirmed`]).
    fn rsa_verify_message<'a>(
        &'a self,
        _key: &'a rsa::RsaPublicKey,
        _alg: DigestAlg,
        _message: &'a [u8],
        _signature: &'a [u8],
    ) -> Pending<'a, Option<bool>> {
        ready(None)
    }
    /// AES-CFB (full-block feedback, no resynchronisation: OpenPGP's SEIPD v1, RFC 9580
    /// §5.13.1) over `data` of any length. Not every platform has it: the default declines.
    #[cfg(feature = "openpgp")]
    fn aes_cfb_encrypt<'a>(
        &'a self,
        _key: &'a [u8],
        _iv: &'a [u8],
        _data: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        ready(None)
    }
    /// [`Self::aes_cfb_encrypt`] over `data` in place, answering as
    /// [`Self::aes_cbc_encrypt_in_place`] does. The default copies the answer in; a platform
    /// that can write its answer straight into `data` spares the wasm memory of a second
    /// message-sized buffer.
    #[cfg(feature = "openpgp")]
    fn aes_cfb_encrypt_in_place<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        data: &'a mut [u8],
    ) -> Pending<'a, Option<bool>> {
        Box::pin(async move {
            let answer = self.aes_cfb_encrypt(key, iv, data).await;
            let answer = answer.filter(|out| out.len() == data.len())?;
            data.copy_from_slice(&answer);
            Some(true)
        })
    }
    /// The inverse of [`Self::aes_cfb_encrypt`], over `data` in place, answering as
    /// [`Self::aes_cbc_encrypt_in_place`] does (`None`: declined, `data` as it was). CFB has no
    /// integrity of its own: the caller checks the MDC before it releases anything. In place,
    /// so that a large message is decrypted in its own buffer (issue 12, peak memory).
    #[cfg(feature = "openpgp")]
    fn aes_cfb_decrypt_in_place<'a>(
        &'a self,
        _key: &'a [u8],
        _iv: &'a [u8],
        _data: &'a mut [u8],
    ) -> Pending<'a, Option<bool>> {
        ready(None)
    }
    /// Whether RSA keys sign on the platform ([`Self::rsa_pkcs1v15_sign_digest_info`] or
    /// [`Self::rsa_sign_message`]): callers build the `rsa` crate's copy of a key only then.
    #[cfg(feature = "openpgp")]
    fn signs_rsa(&self) -> bool {
        false
    }
    /// An RSASSA-PKCS1-v1_5 signature over a hash computed elsewhere (OpenPGP hashes its own
    /// signature trailer): `digest_info` is the DER DigestInfo (the scheme's prefix ‖ the
    /// hash), which the platform pads (block type 1, RFC 8017 §9.2) and signs. Synchronous,
    /// node:crypto only (`privateEncrypt`); it saves hashing the message a second time.
    fn rsa_pkcs1v15_sign_digest_info(
        &self,
        _key: &rsa::RsaPrivateKey,
        _digest_info: &[u8],
    ) -> Option<Vec<u8>> {
        None
    }
    /// RSAES-PKCS1-v1_5 encryption, or RSAES-OAEP with SHA-256 for OAEP and MGF1 when
    /// `oaep_sha256`, to a public key. Synchronous, node:crypto only (`publicEncrypt`).
    fn rsa_public_encrypt(
        &self,
        _key: &rsa::RsaPublicKey,
        _oaep_sha256: bool,
        _msg: &[u8],
    ) -> Option<Vec<u8>> {
        None
    }
    /// RSAES-OAEP encryption with SHA-256 for OAEP and MGF1 and an empty label, where the
    /// platform has it only asynchronously (WebCrypto).
    #[cfg(feature = "smime")]
    fn rsa_oaep_sha256_encrypt<'a>(
        &'a self,
        _key: &'a rsa::RsaPublicKey,
        _msg: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        ready(None)
    }
    /// An ECDSA P-256 signature with SHA-256 over `message` (the platform hashes it), DER or
    /// IEEE P1363 (r ‖ s) as the platform gives it. `pkcs8` makes the key's PKCS#8 form
    /// ([`p256_pkcs8`]) if the platform has not kept it yet.
    #[cfg(feature = "smime")]
    fn ecdsa_p256_sign<'a>(
        &'a self,
        _key: &'a p256::SecretKey,
        _pkcs8: &'a dyn Fn() -> Option<SecretBytes>,
        _message: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        ready(None)
    }
    /// Ephemeral-static ECDH on P-256 with the recipient's point (SEC1): the ephemeral public
    /// point (uncompressed SEC1) and the shared secret (its x-coordinate).
    #[cfg(feature = "smime")]
    fn ecdh_p256_ephemeral<'a>(
        &'a self,
        _recipient: &'a [u8],
    ) -> Pending<'a, Option<(Vec<u8>, SecretBytes)>> {
        ready(None)
    }
    /// What a PKCS#1 v1.5 signature block (type 1) recovers to under the public key (the
    /// DigestInfo), if its padding is well-formed. Synchronous, node:crypto only
    /// (`publicDecrypt`).
    fn rsa_public_recover(&self, _key: &rsa::RsaPublicKey, _signature: &[u8]) -> Option<Vec<u8>> {
        None
    }
    /// AES-GCM with a 96-bit nonce; `None` also when the tag does not verify.
    fn aes_gcm_decrypt<'a>(
        &'a self,
        key: &'a [u8],
        nonce: &'a [u8],
        aad: &'a [u8],
        ct: &'a [u8],
        tag: &'a [u8],
    ) -> Pending<'a, Option<SecretBytes>>;
}

static PLATFORM: OnceLock<Box<dyn CryptoProvider>> = OnceLock::new();
/// Off: everything in RustCrypto although a platform provider is installed (tests that check
/// both paths against each other, benchmarks).
static PLATFORM_ON: AtomicBool = AtomicBool::new(true);

/// Installs the platform's provider (once; later calls are ignored). Called by the wasm
/// boundary when the runtime has native crypto.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn install(provider: Box<dyn CryptoProvider>) {
    let _ = PLATFORM.set(provider);
}

/// Turns the installed platform provider on or off (on by default).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn set_platform_enabled(on: bool) {
    PLATFORM_ON.store(on, Ordering::Relaxed);
}

/// The installed platform provider, if the input is large enough to hand over.
fn platform(len: usize) -> Option<&'static dyn CryptoProvider> {
    if !PLATFORM_ON.load(Ordering::Relaxed) {
        return None;
    }
    PLATFORM
        .get()
        .map(|p| &**p)
        .filter(|p| len >= p.min_bytes())
}

/// The name of the provider that takes large inputs ("rustcrypto" when none is installed).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn active_name() -> &'static str {
    platform(usize::MAX).map_or(RustCrypto.name(), |p| p.name())
}

/// The platform's answer when a provider takes `len` bytes and answers (and `accept` holds),
/// else RustCrypto's (`fallback`): the one shape of every dispatch below.
async fn platform_or<'a, T>(
    len: usize,
    call: impl FnOnce(&'static dyn CryptoProvider) -> Pending<'a, Option<T>>,
    accept: impl FnOnce(&T) -> bool,
    fallback: impl FnOnce() -> Option<T>,
) -> Option<T> {
    if let Some(p) = platform(len) {
        if let Some(out) = call(p).await.filter(accept) {
            return Some(out);
        }
    }
    fallback()
}

/// A platform's ciphertext copied over the plaintext `data` (the in-place encryptions'
/// default); `false`, and `data` as it was, without one.
fn over_plaintext(ciphertext: Option<Vec<u8>>, data: &mut Vec<u8>) -> bool {
    let Some(ciphertext) = ciphertext else {
        return false;
    };
    data.clear();
    data.extend_from_slice(&ciphertext);
    true
}

/// The digest of `data`. A provider answer of the wrong length is ignored.
pub(crate) async fn digest(alg: DigestAlg, data: &[u8]) -> Vec<u8> {
    let right_len = |d: &Vec<u8>| d.len() == alg.len();
    platform_or(data.len(), |p| p.digest(alg, data), right_len, || None)
        .await
        .unwrap_or_else(|| rust_digest(alg, data))
}

/// AES-CBC with PKCS#7 padding over `data` in place, which grows by the padding (a copy of a
/// large message was a third of S/MIME protect's peak memory); `false` (and `data` as it was)
/// for a key or IV of the wrong length.
#[cfg(feature = "smime")]
pub(crate) async fn aes_cbc_encrypt_in_place(key: &[u8], iv: &[u8], data: &mut Vec<u8>) -> bool {
    if let Some(p) = platform(data.len()) {
        if let Some(done) = p.aes_cbc_encrypt_in_place(key, iv, data).await {
            return done;
        }
    }
    RustCrypto.aes_cbc_encrypt_in_place(key, iv, data).is_some()
}

/// AES-CBC decryption with PKCS#7 padding of `data` in place (opening a large message in its
/// own buffer, see `open`): the plaintext's length, at the start of `data`. `None` for a wrong
/// key or IV length or bad padding, and `data` is then not the plaintext.
#[cfg(feature = "smime")]
pub(crate) async fn aes_cbc_decrypt_in_place(
    key: &[u8],
    iv: &[u8],
    data: &mut [u8],
) -> Option<usize> {
    if let Some(p) = platform(data.len()) {
        if let Some(len) = p.aes_cbc_decrypt_in_place(key, iv, data).await {
            return Some(len);
        }
    }
    RustCrypto.aes_cbc_decrypt_in_place(key, iv, data)
}

/// AES-GCM decryption of `data` in place; `false` when the tag does not verify (or bad
/// parameters), and `data` is then not the plaintext.
#[cfg(feature = "smime")]
pub(crate) async fn aes_gcm_decrypt_in_place(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    data: &mut [u8],
    tag: &[u8],
) -> bool {
    if let Some(p) = platform(data.len()) {
        if p.aes_gcm_decrypt_in_place(key, nonce, aad, data, tag).await {
            return true;
        }
    }
    RustCrypto.aes_gcm_decrypt_in_place(key, nonce, aad, data, tag)
}

/// AES-GCM encryption: ciphertext ‖ tag.
pub(crate) async fn aes_gcm_encrypt(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    plaintext: &[u8],
    tag_len: usize,
) -> Option<Vec<u8>> {
    platform_or(
        plaintext.len(),
        |p| p.aes_gcm_encrypt(key, nonce, aad, plaintext, tag_len),
        |out| out.len() == plaintext.len() + tag_len,
        || RustCrypto.aes_gcm_encrypt(key, nonce, aad, plaintext, tag_len),
    )
    .await
}

/// AES-CFB encryption with full-block feedback (OpenPGP SEIPD v1) of `data` in place (a copy
/// of a large message was a third of protect's peak memory); `false` for a key or IV of the
/// wrong length.
#[cfg(feature = "openpgp")]
pub(crate) async fn aes_cfb_encrypt_in_place(key: &[u8], iv: &[u8], data: &mut [u8]) -> bool {
    if let Some(p) = platform(data.len()) {
        if let Some(done) = p.aes_cfb_encrypt_in_place(key, iv, data).await {
            return done;
        }
    }
    RustCrypto
        .aes_cfb_in_place(key, iv, data, Cfb::Encrypt)
        .is_some()
}

/// AES-CFB decryption with full-block feedback (OpenPGP SEIPD v1) of `data` in place; `false`
/// for a key or IV of the wrong length, or a platform that failed halfway (`data` is then
/// neither). Unauthenticated: the caller checks the MDC.
#[cfg(feature = "openpgp")]
pub(crate) async fn aes_cfb_decrypt_in_place(key: &[u8], iv: &[u8], data: &mut [u8]) -> bool {
    if let Some(p) = platform(data.len()) {
        if let Some(done) = p.aes_cfb_decrypt_in_place(key, iv, data).await {
            return done;
        }
    }
    RustCrypto
        .aes_cfb_in_place(key, iv, data, Cfb::Decrypt)
        .is_some()
}

/// The digest of `data` in RustCrypto, for small inputs that are never worth a platform call
/// (signed attributes, key derivation) and for the synchronous paths.
pub(crate) fn rust_digest(alg: DigestAlg, data: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    match alg {
        DigestAlg::Sha1 => sha1_digest(data),
        DigestAlg::Sha224 => sha2::Sha224::digest(data).to_vec(),
        DigestAlg::Sha256 => sha2::Sha256::digest(data).to_vec(),
        DigestAlg::Sha384 => sha2::Sha384::digest(data).to_vec(),
        DigestAlg::Sha512 => sha2::Sha512::digest(data).to_vec(),
    }
}

fn sha1_digest(data: &[u8]) -> Vec<u8> {
    use sha1::Digest;
    sha1::Sha1::digest(data).to_vec()
}

#[cfg(all(test, feature = "smime"))]
mod tests {
    use super::*;

    #[test]
    fn gcm_round_trips_and_refuses_a_changed_tag() {
        let (key, nonce) = ([7u8; 32], [9u8; 12]);
        let sealed = now_or_never(aes_gcm_encrypt(&key, &nonce, b"", b"hello", 16))
            .flatten()
            .unwrap();
        let (ct, tag) = sealed.split_at(5);
        let open = |tag: &[u8]| {
            let mut data = ct.to_vec();
            now_or_never(aes_gcm_decrypt_in_place(&key, &nonce, b"", &mut data, tag))
                .unwrap()
                .then_some(data)
        };
        assert_eq!(&open(tag).unwrap()[..], b"hello");
        let mut bad = tag.to_vec();
        bad[0] ^= 1;
        assert!(open(&bad).is_none());
    }
}

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

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

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
    /// AES-CBC with PKCS#7 padding; `None` also for a wrong key or bad padding.
    fn aes_cbc_decrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        ct: &'a [u8],
    ) -> Pending<'a, Option<SecretBytes>>;
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
    /// The inverse of [`Self::aes_cfb_encrypt`]. CFB has no integrity of its own: the caller
    /// checks the MDC before it releases anything.
    #[cfg(feature = "openpgp")]
    fn aes_cfb_decrypt<'a>(
        &'a self,
        _key: &'a [u8],
        _iv: &'a [u8],
        _ct: &'a [u8],
    ) -> Pending<'a, Option<SecretBytes>> {
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

/// The digest of `data`. A provider answer of the wrong length is ignored.
pub(crate) async fn digest(alg: DigestAlg, data: &[u8]) -> Vec<u8> {
    let right_len = |d: &Vec<u8>| d.len() == alg.len();
    platform_or(data.len(), |p| p.digest(alg, data), right_len, || None)
        .await
        .unwrap_or_else(|| rust_digest(alg, data))
}

/// AES-CBC with PKCS#7 padding; `None` for a key or IV of the wrong length.
pub(crate) async fn aes_cbc_encrypt(key: &[u8], iv: &[u8], plaintext: &[u8]) -> Option<Vec<u8>> {
    platform_or(
        plaintext.len(),
        |p| p.aes_cbc_encrypt(key, iv, plaintext),
        |_| true,
        || RustCrypto.aes_cbc_encrypt(key, iv, plaintext),
    )
    .await
}

/// AES-CBC decryption with PKCS#7 padding; `None` for a wrong key or IV length or bad padding.
pub(crate) async fn aes_cbc_decrypt(key: &[u8], iv: &[u8], ct: &[u8]) -> Option<SecretBytes> {
    platform_or(
        ct.len(),
        |p| p.aes_cbc_decrypt(key, iv, ct),
        |_| true,
        || RustCrypto.aes_cbc_decrypt(key, iv, ct),
    )
    .await
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

/// AES-GCM decryption; `None` when the tag does not verify (or bad parameters).
pub(crate) async fn aes_gcm_decrypt(
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    ct: &[u8],
    tag: &[u8],
) -> Option<SecretBytes> {
    platform_or(
        ct.len(),
        |p| p.aes_gcm_decrypt(key, nonce, aad, ct, tag),
        |_| true,
        || RustCrypto.aes_gcm_decrypt(key, nonce, aad, ct, tag),
    )
    .await
}

/// AES-CFB encryption with full-block feedback (OpenPGP SEIPD v1); `None` for a key or IV of
/// the wrong length.
#[cfg(feature = "openpgp")]
pub(crate) async fn aes_cfb_encrypt(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    platform_or(
        data.len(),
        |p| p.aes_cfb_encrypt(key, iv, data),
        |out| out.len() == data.len(),
        || RustCrypto.aes_cfb(key, iv, data.to_vec(), Cfb::Encrypt),
    )
    .await
}

/// AES-CFB decryption with full-block feedback (OpenPGP SEIPD v1); `None` for a key or IV of
/// the wrong length. Unauthenticated: the caller checks the MDC.
#[cfg(feature = "openpgp")]
pub(crate) async fn aes_cfb_decrypt(key: &[u8], iv: &[u8], ct: &[u8]) -> Option<SecretBytes> {
    platform_or(
        ct.len(),
        |p| p.aes_cfb_decrypt(key, iv, ct),
        |out| out.len() == ct.len(),
        || {
            RustCrypto
                .aes_cfb(key, iv, ct.to_vec(), Cfb::Decrypt)
                .map(SecretBytes::new)
        },
    )
    .await
}

/// Which way [`RustCrypto::aes_cfb`] runs.
#[cfg(feature = "openpgp")]
#[derive(Clone, Copy)]
pub(crate) enum Cfb {
    Encrypt,
    Decrypt,
}

/// `c^d mod n` as k octets on the platform, where it has a raw RSA private operation
/// (node:crypto); `None` elsewhere and for any refusal (e.g. `c >= n`), and the caller then
/// computes it in wasm. Any input size: one RSA operation always costs more than the call.
pub(crate) fn rsa_raw_private(key: &rsa::RsaPrivateKey, c: &[u8]) -> Option<SecretBytes> {
    use rsa::traits::PublicKeyParts;
    platform(usize::MAX)?
        .rsa_raw_private(key, c)
        .filter(|em| em.len() == key.size())
}

/// RSAES-OAEP decryption on the platform where it has it (node:crypto, WebCrypto): `None` when
/// it does not, and the caller decrypts in wasm; otherwise the platform's answer, final.
#[cfg(feature = "smime")]
pub(crate) async fn rsa_oaep_decrypt(
    key: &rsa::RsaPrivateKey,
    hash: DigestAlg,
    c: &[u8],
) -> Option<Option<SecretBytes>> {
    platform(usize::MAX)?.rsa_oaep_decrypt(key, hash, c).await
}

/// The `rsa` crate's RSASSA-PKCS1-v1_5 scheme (the DigestInfo prefix) for `alg`; `None` for
/// SHA-1 and SHA-224, which mailseal does not sign with.
pub(crate) fn pkcs1v15_scheme(alg: DigestAlg) -> Option<rsa::Pkcs1v15Sign> {
    match alg {
        DigestAlg::Sha256 => Some(rsa::Pkcs1v15Sign::new::<sha2::Sha256>()),
        DigestAlg::Sha384 => Some(rsa::Pkcs1v15Sign::new::<sha2::Sha384>()),
        DigestAlg::Sha512 => Some(rsa::Pkcs1v15Sign::new::<sha2::Sha512>()),
        DigestAlg::Sha1 | DigestAlg::Sha224 => None,
    }
}

/// An RSASSA-PKCS1-v1_5 signature with `alg` over `message` (whose digest is `digest`): on the
/// platform where it signs (node:crypto over the digest, WebCrypto over the message), checked
/// against the public key before it is used (a fault or a wrong key gives no signature out),
/// else in wasm. `None` only if the key cannot sign.
pub(crate) async fn rsa_sign(
    key: &rsa::RsaPrivateKey,
    alg: DigestAlg,
    message: &[u8],
    digest: &[u8],
    rng: &mut dyn crate::rng::Rng,
) -> Option<Vec<u8>> {
    if let Some(sig) = rsa_sign_on_platform(key, alg, message, digest).await {
        return Some(sig);
    }
    let mut rng = rng;
    key.sign_with_rng(&mut rng, pkcs1v15_scheme(alg)?, digest)
        .ok()
}

/// An ECDSA P-256 signature with SHA-256 over `message`, DER-encoded with a low S: on the
/// platform where it signs (node:crypto, WebCrypto), else `None` and the caller signs in wasm.
/// Not checked after signing as RSA signatures are: an ECDSA signature has no CRT halves whose
/// fault would reveal the key, and OpenSSL and BoringSSL do not check theirs either.
///
/// `public_point` is the key's public point (SEC1) from its certificate, which the key was
/// matched against on import: the PKCS#8 form the platform imports then needs no scalar
/// multiplication in wasm (on a new Worker isolate's first message, ~5 ms of it).
#[cfg(feature = "smime")]
pub(crate) async fn ecdsa_p256_sign_on_platform(
    key: &p256::SecretKey,
    public_point: &[u8],
    message: &[u8],
) -> Option<Vec<u8>> {
    let pkcs8 = || p256_pkcs8(key, public_point);
    let raw = platform(usize::MAX)?
        .ecdsa_p256_sign(key, &pkcs8, message)
        .await?;
    let sig = p256::ecdsa::Signature::from_der(&raw)
        .or_else(|_| p256::ecdsa::Signature::from_slice(&raw))
        .ok()?;
    let sig = sig.normalize_s().unwrap_or(sig);
    Some(sig.to_der().as_bytes().to_vec())
}

/// A P-256 private key as PKCS#8 (RFC 5208, RFC 5915) with `public_point` as its public key,
/// as `p256`'s own `to_pkcs8_der` writes it but without deriving the point from the scalar.
#[cfg(feature = "smime")]
pub(crate) fn p256_pkcs8(key: &p256::SecretKey, public_point: &[u8]) -> Option<SecretBytes> {
    use der::Encode;
    let scalar = zeroize::Zeroizing::new(key.to_bytes());
    let ec = sec1::EcPrivateKey {
        private_key: scalar.as_slice(),
        parameters: None,
        public_key: Some(public_point),
    };
    let ec_der = zeroize::Zeroizing::new(ec.to_der().ok()?);
    let curve = const_oid::db::rfc5912::SECP_256_R_1;
    let info = pkcs8::PrivateKeyInfo {
        algorithm: spki::AlgorithmIdentifierRef {
            oid: const_oid::db::rfc5912::ID_EC_PUBLIC_KEY,
            parameters: Some((&curve).into()),
        },
        private_key: ec_der.as_slice(),
        public_key: None,
    };
    Some(SecretBytes::new(info.to_der().ok()?))
}

/// Ephemeral-static ECDH on P-256 to `recipient` (SEC1) on the platform where it has it
/// (node:crypto, WebCrypto): the ephemeral point and the shared secret, or `None` and the
/// caller does it in wasm. The point must be on the curve and the secret 32 octets.
#[cfg(feature = "smime")]
pub(crate) async fn ecdh_p256_ephemeral_on_platform(
    recipient: &[u8],
) -> Option<(Vec<u8>, SecretBytes)> {
    let (point, z) = platform(usize::MAX)?.ecdh_p256_ephemeral(recipient).await?;
    (p256::PublicKey::from_sec1_bytes(&point).is_ok() && z.len() == 32).then_some((point, z))
}

/// Whether the platform signs with RSA keys ([`rsa_sign_on_platform`]).
#[cfg(feature = "openpgp")]
pub(crate) fn platform_signs_rsa() -> bool {
    platform(usize::MAX).is_some_and(|p| p.signs_rsa())
}

/// [`rsa_sign`] on the platform only: `None` where it does not sign, or gave a signature that
/// does not verify, and the caller signs in wasm then.
pub(crate) async fn rsa_sign_on_platform(
    key: &rsa::RsaPrivateKey,
    alg: DigestAlg,
    message: &[u8],
    digest: &[u8],
) -> Option<Vec<u8>> {
    if let Some(sig) = rsa_sign_digest_on_platform(key, alg, digest) {
        return Some(sig);
    }
    let scheme = pkcs1v15_scheme(alg)?;
    let p = platform(usize::MAX)?;
    let signature = p.rsa_sign_message(key, alg, message).await?;
    let public = key.to_public_key();
    let holds = p
        .rsa_verify_message(&public, alg, message, &signature)
        .await
        == Some(true)
        || public.verify(scheme, digest, &signature).is_ok();
    holds.then_some(signature)
}

/// The synchronous part of [`rsa_sign_on_platform`]: a signature over `digest` where the
/// platform signs digests (node:crypto), checked against the public key; else `None`.
pub(crate) fn rsa_sign_digest_on_platform(
    key: &rsa::RsaPrivateKey,
    alg: DigestAlg,
    digest: &[u8],
) -> Option<Vec<u8>> {
    let scheme = pkcs1v15_scheme(alg)?;
    if scheme.hash_len != Some(digest.len()) {
        return None;
    }
    let mut digest_info = scheme.prefix.to_vec();
    digest_info.extend_from_slice(digest);
    let signature = platform(usize::MAX)?.rsa_pkcs1v15_sign_digest_info(key, &digest_info)?;
    let public = key.to_public_key();
    let holds = rsa_signature_confirmed(&public, &scheme, digest, &signature)
        || public.verify(scheme, digest, &signature).is_ok();
    holds.then_some(signature)
}

/// [`rsa_encrypt`] on the platform only: `None` where it has no RSA.
pub(crate) fn rsa_encrypt_on_platform(
    key: &rsa::RsaPublicKey,
    oaep_sha256: bool,
    msg: &[u8],
) -> Option<Vec<u8>> {
    use rsa::traits::PublicKeyParts;
    platform(usize::MAX)?
        .rsa_public_encrypt(key, oaep_sha256, msg)
        .filter(|c| c.len() == key.size())
}

/// RSA encryption to a public key (RSAES-PKCS1-v1_5, or RSAES-OAEP with SHA-256 when
/// `oaep_sha256`): on the platform where it has it (node:crypto both, WebCrypto OAEP: one
/// RSA-3072 public operation is ~3 ms in the `rsa` crate and a fraction of that natively),
/// else PKCS#1 v1.5 on `crypto::rsa_exp` and OAEP in the `rsa` crate. `None` if the message does not fit the key.
pub(crate) async fn rsa_encrypt(
    key: &rsa::RsaPublicKey,
    oaep_sha256: bool,
    msg: &[u8],
    rng: &mut dyn crate::rng::Rng,
) -> Option<Vec<u8>> {
    if let Some(c) = rsa_encrypt_on_platform(key, oaep_sha256, msg) {
        return Some(c);
    }
    #[cfg(feature = "smime")]
    if oaep_sha256 {
        if let Some(p) = platform(usize::MAX) {
            let c = p.rsa_oaep_sha256_encrypt(key, msg).await;
            if let Some(c) = c.filter(|c| c.len() == rsa::traits::PublicKeyParts::size(key)) {
                return Some(c);
            }
        }
    }
    let mut rng = rng;
    if oaep_sha256 {
        return key
            .encrypt(&mut rng, rsa::Oaep::new::<sha2::Sha256>(), msg)
            .ok();
    }
    rsa_pkcs1v15_encrypt(key, msg, &mut rng)
        .or_else(|| key.encrypt(&mut rng, rsa::Pkcs1v15Encrypt, msg).ok())
}

/// RSAES-PKCS1-v1_5 encryption (RFC 8017 §7.2.1) with the exponentiation on
/// `crypto::rsa_exp`: EM = 0x00 ‖ 0x02 ‖ PS ‖ 0x00 ‖ M, PS at least 8 random non-zero octets.
/// `None` if `msg` is too long or the key is a size `rsa_exp` does not take.
pub(crate) fn rsa_pkcs1v15_encrypt(
    key: &rsa::RsaPublicKey,
    msg: &[u8],
    rng: &mut dyn rand::RngCore,
) -> Option<Vec<u8>> {
    use rsa::traits::PublicKeyParts;
    let k = key.size();
    let ps_len = k.checked_sub(msg.len() + 3).filter(|&l| l >= 8)?;
    let mut em = SecretBytes::new(vec![0u8; k]);
    em[1] = 2;
    // One call for the whole padding string, then fresh octets for its zeros (each call to the
    // platform's RNG crosses into JavaScript).
    let ps = &mut em[2..2 + ps_len];
    rng.fill_bytes(ps);
    let mut spare = SecretBytes::new(vec![0u8; 64]);
    let mut next = spare.len();
    for b in ps.iter_mut() {
        while *b == 0 {
            if next == spare.len() {
                rng.fill_bytes(&mut spare);
                next = 0;
            }
            *b = spare[next];
            next += 1;
        }
    }
    em[3 + ps_len..].copy_from_slice(msg);
    super::rsa_exp::public(key, &em)
}

/// Whether `signature` is, for sure, a valid RSASSA-PKCS1-v1_5 signature over `digest` (hashed
/// with `scheme`'s algorithm): confirmed by the platform's RSA (node:crypto) or by
/// `crypto::rsa_exp` (the encoded message rebuilt and compared whole, RFC 8017 §8.2.2).
/// `false` means only "not confirmed": the caller then verifies with the `rsa` crate, which
/// decides. A verdict never rests on a fast path alone: it can only make a valid signature
/// faster to accept. The signature must be exactly as long as the modulus, as the `rsa` crate
/// requires.
pub(crate) fn rsa_signature_confirmed(
    key: &rsa::RsaPublicKey,
    scheme: &rsa::Pkcs1v15Sign,
    digest: &[u8],
    signature: &[u8],
) -> bool {
    use rsa::traits::PublicKeyParts;
    let k = key.size();
    if signature.len() != k || scheme.hash_len != Some(digest.len()) {
        return false;
    }
    if let Some(info) = platform(usize::MAX).and_then(|p| p.rsa_public_recover(key, signature)) {
        return info.len() == scheme.prefix.len() + digest.len()
            && info.starts_with(&scheme.prefix)
            && info.ends_with(digest);
    }
    let t_len = scheme.prefix.len() + digest.len();
    let Some(ps_len) = k.checked_sub(t_len + 3).filter(|&l| l >= 8) else {
        return false;
    };
    let mut expected = vec![0u8, 1];
    expected.resize(2 + ps_len, 0xff);
    expected.push(0);
    expected.extend_from_slice(&scheme.prefix);
    expected.extend_from_slice(digest);
    super::rsa_exp::public(key, signature).is_some_and(|em| em == expected)
}

/// Whether the platform confirms that `signature` is a valid RSASSA-PKCS1-v1_5 signature with
/// `alg` over `message` (WebCrypto verifies messages). `false` means only "not confirmed", as
/// for [`rsa_signature_confirmed`].
#[cfg(feature = "openpgp")]
pub(crate) async fn rsa_message_signature_confirmed(
    key: &rsa::RsaPublicKey,
    alg: DigestAlg,
    message: &[u8],
    signature: &[u8],
) -> bool {
    use rsa::traits::PublicKeyParts;
    if signature.len() != key.size() {
        return false;
    }
    match platform(usize::MAX) {
        Some(p) => p.rsa_verify_message(key, alg, message, signature).await == Some(true),
        None => false,
    }
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

/// Which way [`gcm`] runs.
#[cfg(feature = "smime")]
#[derive(Clone, Copy)]
enum GcmDirection {
    Seal,
    Open,
}
use crate::secret::SecretBytes;
#[cfg(feature = "smime")]
use GcmDirection::{Open, Seal};

/// AES-GCM with cipher `C`, a 96-bit nonce and a `T`-byte tag: seal `msg` (out: ciphertext ‖
/// tag) or open it (in: ciphertext ‖ tag; `None` when the tag does not verify).
#[cfg(feature = "smime")]
fn gcm<C, T>(key: &[u8], nonce: &[u8], aad: &[u8], msg: &[u8], dir: GcmDirection) -> Option<Vec<u8>>
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
    let payload = Payload { msg, aad };
    match dir {
        Seal => cipher.encrypt(nonce, payload).ok(),
        Open => cipher.decrypt(nonce, payload).ok(),
    }
}

/// The built-in provider: RustCrypto's `aes`, `cbc`, `aes-gcm`, `sha1` and `sha2` in wasm and
/// natively. It offers everything, so every dispatch above ends here at the latest.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RustCrypto;

/// Synchronous, always there: the fallback of every dispatch above.
impl RustCrypto {
    pub(crate) fn name(&self) -> &'static str {
        "rustcrypto"
    }

    #[cfg(feature = "smime")]
    pub(crate) fn aes_cbc_encrypt(
        &self,
        key: &[u8],
        iv: &[u8],
        plaintext: &[u8],
    ) -> Option<Vec<u8>> {
        use aes::{Aes128, Aes192, Aes256};
        use cbc::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
        fn run<C>(key: &[u8], iv: &[u8], p: &[u8]) -> Option<Vec<u8>>
        where
            C: cbc::cipher::BlockCipher + cbc::cipher::BlockEncryptMut + cbc::cipher::KeyInit,
        {
            let enc = cbc::Encryptor::<C>::new_from_slices(key, iv).ok()?;
            Some(enc.encrypt_padded_vec_mut::<Pkcs7>(p))
        }
        match key.len() {
            16 => run::<Aes128>(key, iv, plaintext),
            24 => run::<Aes192>(key, iv, plaintext),
            32 => run::<Aes256>(key, iv, plaintext),
            _ => None,
        }
    }

    #[cfg(feature = "smime")]
    pub(crate) fn aes_cbc_decrypt(&self, key: &[u8], iv: &[u8], ct: &[u8]) -> Option<SecretBytes> {
        use aes::{Aes128, Aes192, Aes256};
        match key.len() {
            16 => super::cbc_decrypt::<Aes128>(key, iv, ct),
            24 => super::cbc_decrypt::<Aes192>(key, iv, ct),
            32 => super::cbc_decrypt::<Aes256>(key, iv, ct),
            _ => None,
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
            16 => gcm::<aes::Aes128, U16>(key, nonce, aad, plaintext, Seal),
            24 => gcm::<aes::Aes192, U16>(key, nonce, aad, plaintext, Seal),
            32 => gcm::<aes::Aes256, U16>(key, nonce, aad, plaintext, Seal),
            _ => None,
        }
    }

    #[cfg(feature = "smime")]
    pub(crate) fn aes_gcm_decrypt(
        &self,
        key: &[u8],
        nonce: &[u8],
        aad: &[u8],
        ct: &[u8],
        tag: &[u8],
    ) -> Option<SecretBytes> {
        use aes::{Aes128, Aes192, Aes256};
        use aes_gcm::aead::consts::{U12, U16};
        if nonce.len() != 12 {
            return None;
        }
        let mut msg = Vec::with_capacity(ct.len() + tag.len());
        msg.extend_from_slice(ct);
        msg.extend_from_slice(tag);
        let plain = match (key.len(), tag.len()) {
            (16, 16) => gcm::<Aes128, U16>(key, nonce, aad, &msg, Open),
            (24, 16) => gcm::<Aes192, U16>(key, nonce, aad, &msg, Open),
            (32, 16) => gcm::<Aes256, U16>(key, nonce, aad, &msg, Open),
            (16, 12) => gcm::<Aes128, U12>(key, nonce, aad, &msg, Open),
            (24, 12) => gcm::<Aes192, U12>(key, nonce, aad, &msg, Open),
            (32, 12) => gcm::<Aes256, U12>(key, nonce, aad, &msg, Open),
            _ => None,
        };
        plain.map(SecretBytes::new)
    }

    /// AES-CFB in place over `data`. Decryption runs on the cipher's parallel blocks (CFB
    /// decryption does not chain), unlike the buffered one-block-at-a-time types rPGP uses.
    #[cfg(feature = "openpgp")]
    pub(crate) fn aes_cfb(
        &self,
        key: &[u8],
        iv: &[u8],
        mut data: Vec<u8>,
        dir: Cfb,
    ) -> Option<Vec<u8>> {
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
            16 => run::<Aes128>(key, iv, &mut data, dir),
            24 => run::<Aes192>(key, iv, &mut data, dir),
            32 => run::<Aes256>(key, iv, &mut data, dir),
            _ => None,
        }?;
        Some(data)
    }

    // The OpenPGP-only build has no AES-CBC/GCM users (rPGP does its own ciphers).
    #[cfg(not(feature = "smime"))]
    pub(crate) fn aes_cbc_encrypt(&self, _: &[u8], _: &[u8], _: &[u8]) -> Option<Vec<u8>> {
        None
    }

    #[cfg(not(feature = "smime"))]
    pub(crate) fn aes_cbc_decrypt(&self, _: &[u8], _: &[u8], _: &[u8]) -> Option<SecretBytes> {
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

    #[cfg(not(feature = "smime"))]
    pub(crate) fn aes_gcm_decrypt(
        &self,
        _: &[u8],
        _: &[u8],
        _: &[u8],
        _: &[u8],
        _: &[u8],
    ) -> Option<SecretBytes> {
        None
    }
}

#[cfg(all(test, feature = "smime"))]
mod tests {
    use super::*;

    fn rsa_key() -> rsa::RsaPrivateKey {
        use pkcs8::DecodePrivateKey;
        rsa::RsaPrivateKey::from_pkcs8_pem(include_str!("../../tests/data/smime/alice.key"))
            .unwrap()
    }

    /// The PKCS#8 made from a certificate's point is the one `p256` makes by deriving the point,
    /// octet for octet (dave.key: openssl's P-256 key).
    #[cfg(feature = "smime")]
    #[test]
    fn p256_pkcs8_from_the_certificate_point_is_p256s_own() {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        use pkcs8::{DecodePrivateKey, EncodePrivateKey};
        let key = p256::SecretKey::from_pkcs8_pem(include_str!("../../tests/data/smime/dave.key"))
            .unwrap();
        let point = key.public_key().to_encoded_point(false);
        let ours = p256_pkcs8(&key, point.as_bytes()).unwrap();
        assert_eq!(ours.as_slice(), key.to_pkcs8_der().unwrap().as_bytes());
        let back = p256::SecretKey::from_pkcs8_der(ours.as_slice()).unwrap();
        assert_eq!(back.to_bytes(), key.to_bytes());
    }

    /// The wasm fast paths of the public operation against the `rsa` crate: a signature it
    /// made is confirmed, one over another digest or with another scheme is not; an encryption
    /// decrypts with the `rsa` crate.
    #[test]
    fn rsa_public_fast_paths_agree_with_the_rsa_crate() {
        use rand::SeedableRng;
        let key = rsa_key();
        let public = key.to_public_key();
        let digest = rust_digest(DigestAlg::Sha256, b"signed");
        let scheme = pkcs1v15_scheme(DigestAlg::Sha256).unwrap();
        let sig = key.sign(scheme.clone(), &digest).unwrap();
        assert!(rsa_signature_confirmed(&public, &scheme, &digest, &sig));
        let other = rust_digest(DigestAlg::Sha256, b"signeD");
        assert!(!rsa_signature_confirmed(&public, &scheme, &other, &sig));
        let sha512 = rust_digest(DigestAlg::Sha512, b"signed");
        let scheme512 = pkcs1v15_scheme(DigestAlg::Sha512).unwrap();
        assert!(!rsa_signature_confirmed(&public, &scheme512, &sha512, &sig));
        let mut flipped = sig.clone();
        flipped[10] ^= 1;
        assert!(!rsa_signature_confirmed(
            &public, &scheme, &digest, &flipped
        ));

        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let c = rsa_pkcs1v15_encrypt(&public, b"session key", &mut rng).unwrap();
        let again = rsa_pkcs1v15_encrypt(&public, b"session key", &mut rng).unwrap();
        assert_ne!(c, again, "random padding");
        for c in [c, again] {
            assert_eq!(
                key.decrypt(rsa::Pkcs1v15Encrypt, &c).unwrap(),
                b"session key"
            );
        }
        assert!(rsa_pkcs1v15_encrypt(&public, &[1u8; 246], &mut rng).is_none());
    }

    /// NIST SP 800-38A F.2.5 (CBC-AES256.Encrypt, first block) and FIPS 180-2 "abc".
    #[test]
    fn rustcrypto_matches_the_standards_vectors() {
        let key = hex::decode("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
            .unwrap();
        let iv = hex::decode("000102030405060708090a0b0c0d0e0f").unwrap();
        let p = hex::decode("6bc1bee22e409f96e93d7e117393172a").unwrap();
        let c = RustCrypto.aes_cbc_encrypt(&key, &iv, &p).unwrap();
        assert_eq!(hex::encode(&c[..16]), "f58c4c04d6e5f1ba779eabfb5f7bfbd6");
        assert_eq!(
            &RustCrypto.aes_cbc_decrypt(&key, &iv, &c).unwrap()[..],
            &p[..]
        );
        assert_eq!(
            hex::encode(now_or_never(digest(DigestAlg::Sha256, b"abc")).unwrap()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn gcm_round_trips_and_refuses_a_changed_tag() {
        let (key, nonce) = ([7u8; 32], [9u8; 12]);
        let sealed = now_or_never(aes_gcm_encrypt(&key, &nonce, b"", b"hello", 16))
            .flatten()
            .unwrap();
        let (ct, tag) = sealed.split_at(5);
        let open = |tag: &[u8]| now_or_never(aes_gcm_decrypt(&key, &nonce, b"", ct, tag)).flatten();
        assert_eq!(&open(tag).unwrap()[..], b"hello");
        let mut bad = tag.to_vec();
        bad[0] ^= 1;
        assert!(open(&bad).is_none());
    }
}

//! The runtime's native crypto as the core's crypto provider (`crate::crypto::provider`).
//!
//! - Where the runtime has node:crypto (Node 20.16+ through `process.getBuiltinModule`), AES-CBC
//!   /GCM and SHA digests of large inputs run on OpenSSL through synchronous calls.
//! - Elsewhere (browsers, Cloudflare Workers), on WebCrypto (`crypto.subtle`): Promises, which
//!   the core awaits (`protect` / `open` are async for this).
//! - With neither, nothing is installed and RustCrypto does the work.
//!
//! Every call that throws or rejects declines, and the core falls back to RustCrypto.
//!
//! The runtime's `TextDecoder` also decodes the multi-byte charsets of mail (Shift_JIS,
//! ISO-2022-JP, GB18030, Big5, EUC-KR, ...) for the MIME parser, so their tables are not in the
//! module (vendor/mail-parser/MAILSEAL.md).
//!
//! Installed once when the module starts (`#[wasm_bindgen(start)]`).

use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::crypto::provider::{self, ready, CryptoProvider, DigestAlg, Pending};
use crate::secret::SecretBytes;

#[wasm_bindgen]
extern "C" {
    /// The `node:crypto` module.
    type NodeCryptoModule;
    #[wasm_bindgen(method, catch, js_name = createHash)]
    fn create_hash(this: &NodeCryptoModule, alg: &str) -> Result<NodeHash, JsValue>;
    #[wasm_bindgen(method, catch, js_name = createCipheriv)]
    fn create_cipheriv(
        this: &NodeCryptoModule,
        alg: &str,
        key: &[u8],
        iv: &[u8],
    ) -> Result<NodeCipher, JsValue>;
    #[wasm_bindgen(method, catch, js_name = createPrivateKey)]
    fn create_private_key(this: &NodeCryptoModule, options: &Object) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn sign(
        this: &NodeCryptoModule,
        algorithm: &str,
        data: &[u8],
        key: &JsValue,
    ) -> Result<Vec<u8>, JsValue>;
    #[wasm_bindgen(method, catch, js_name = createECDH)]
    fn create_ecdh(this: &NodeCryptoModule, curve: &str) -> Result<NodeEcdh, JsValue>;
    #[wasm_bindgen(method, catch, js_name = privateDecrypt)]
    fn private_decrypt(
        this: &NodeCryptoModule,
        options: &Object,
        data: &[u8],
    ) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(method, catch, js_name = privateEncrypt)]
    fn private_encrypt(
        this: &NodeCryptoModule,
        options: &Object,
        data: &[u8],
    ) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(method, catch, js_name = createPublicKey)]
    fn create_public_key(this: &NodeCryptoModule, options: &Object) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = publicEncrypt)]
    fn public_encrypt(
        this: &NodeCryptoModule,
        options: &Object,
        data: &[u8],
    ) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(method, catch, js_name = publicDecrypt)]
    fn public_decrypt(
        this: &NodeCryptoModule,
        options: &Object,
        data: &[u8],
    ) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(method, catch, js_name = createDecipheriv)]
    fn create_decipheriv(
        this: &NodeCryptoModule,
        alg: &str,
        key: &[u8],
        iv: &[u8],
    ) -> Result<NodeCipher, JsValue>;

    /// A `Hash` object.
    type NodeHash;
    #[wasm_bindgen(method, catch)]
    fn update(this: &NodeHash, data: &[u8]) -> Result<NodeHash, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn digest(this: &NodeHash) -> Result<Vec<u8>, JsValue>;

    /// An `ECDH` object.
    type NodeEcdh;
    #[wasm_bindgen(method, catch, js_name = generateKeys)]
    fn generate_keys(this: &NodeEcdh) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(method, catch, js_name = computeSecret)]
    fn compute_secret(this: &NodeEcdh, public: &[u8]) -> Result<Uint8Array, JsValue>;

    /// A `Cipher` / `Decipher` object.
    type NodeCipher;
    #[wasm_bindgen(method, catch, js_name = update)]
    fn update_bytes(this: &NodeCipher, data: &[u8]) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(method, catch, js_name = final)]
    fn finish(this: &NodeCipher) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setAAD)]
    fn set_aad(this: &NodeCipher, aad: &[u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = getAuthTag)]
    fn get_auth_tag(this: &NodeCipher) -> Result<Vec<u8>, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setAuthTag)]
    fn set_auth_tag(this: &NodeCipher, tag: &[u8]) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// WebCrypto's `SubtleCrypto`. Byte arguments are views into wasm memory: WebCrypto copies
    /// them before it returns its Promise, so they need not outlive the call.
    type SubtleCrypto;
    #[wasm_bindgen(method, catch)]
    fn encrypt(
        this: &SubtleCrypto,
        algorithm: &Object,
        key: &JsValue,
        data: &[u8],
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn decrypt(
        this: &SubtleCrypto,
        algorithm: &Object,
        key: &JsValue,
        data: &[u8],
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn digest(this: &SubtleCrypto, algorithm: &str, data: &[u8]) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = importKey)]
    fn import_key(
        this: &SubtleCrypto,
        format: &str,
        key: &[u8],
        algorithm: &Object,
        extractable: bool,
        usages: &js_sys::Array,
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = generateKey)]
    fn generate_key(
        this: &SubtleCrypto,
        algorithm: &Object,
        extractable: bool,
        usages: &js_sys::Array,
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = deriveBits)]
    fn derive_bits(
        this: &SubtleCrypto,
        algorithm: &Object,
        key: &JsValue,
        length: u32,
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = exportKey)]
    fn export_key(this: &SubtleCrypto, format: &str, key: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn sign(
        this: &SubtleCrypto,
        algorithm: &Object,
        key: &JsValue,
        data: &[u8],
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn verify(
        this: &SubtleCrypto,
        algorithm: &str,
        key: &JsValue,
        signature: &[u8],
        data: &[u8],
    ) -> Result<Promise, JsValue>;
}

thread_local! {
    static NODE: Option<NodeCryptoModule> = find_node_crypto();
    static SUBTLE: Option<SubtleCrypto> = find_subtle_crypto();
    /// Keys handed to the platform, by [`KeyId`]: node:crypto `KeyObject`s and WebCrypto
    /// `CryptoKey`s (non-extractable). A key is parsed (and checked) by the platform once, not
    /// per message, as the JavaScript libraries keep theirs; emptied when a keyring is freed
    /// or a key removed ([`forget_keys`]).
    static PLATFORM_KEYS: std::cell::RefCell<Vec<(KeyId, JsValue)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// SHA-256 over how a key is used and its key material: which kept platform key it is.
type KeyId = [u8; 32];

/// At most this many platform keys are kept (the oldest goes first).
const PLATFORM_KEYS_MAX: usize = 16;

fn key_id(usage: &[&str], material: &[u8]) -> KeyId {
    use sha2::{Digest, Sha256};
    let mut id = Sha256::new();
    for field in usage {
        id.update(field.as_bytes());
        id.update([0]);
    }
    id.update(material);
    id.finalize().into()
}

fn kept_key(id: &KeyId) -> Option<JsValue> {
    PLATFORM_KEYS.with(|keys| {
        let keys = keys.borrow();
        keys.iter()
            .find(|(k, _)| k == id)
            .map(|(_, key)| key.clone())
    })
}

fn keep_key(id: KeyId, key: &JsValue) {
    PLATFORM_KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if keys.len() >= PLATFORM_KEYS_MAX {
            keys.remove(0);
        }
        keys.push((id, key.clone()));
    });
}

/// Drops every key imported into the platform's crypto, and the RSA blinding pairs kept in
/// wasm: called when a keyring is freed or a key leaves it, so that nothing made from a key
/// outlives it.
pub(crate) fn forget_keys() {
    PLATFORM_KEYS.with(|keys| keys.borrow_mut().clear());
    crate::crypto::rsa_exp::forget();
}

/// `globalThis.crypto.subtle`, if this runtime has it (browsers in a secure context, workerd).
fn find_subtle_crypto() -> Option<SubtleCrypto> {
    let get = |o: &JsValue, k: &str| Reflect::get(o, &JsValue::from_str(k)).ok();
    let crypto = get(&js_sys::global().into(), "crypto").filter(|c| c.is_object())?;
    let subtle = get(&crypto, "subtle").filter(|s| s.is_object())?;
    let usable = ["importKey", "encrypt", "decrypt", "digest"]
        .iter()
        .all(|f| get(&subtle, f).is_some_and(|v| v.is_function()));
    usable.then(|| subtle.unchecked_into())
}

/// `process.getBuiltinModule("node:crypto")`, if this runtime has it and it can make ciphers.
fn find_node_crypto() -> Option<NodeCryptoModule> {
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).ok();
    let process = get(&js_sys::global().into(), "process").filter(|p| p.is_object())?;
    let loader: js_sys::Function = get(&process, "getBuiltinModule")?.dyn_into().ok()?;
    let module = loader
        .call1(&process, &JsValue::from_str("node:crypto"))
        .ok()
        .filter(JsValue::is_object)?;
    let usable = ["createHash", "createCipheriv", "createDecipheriv"]
        .iter()
        .all(|f| get(&module, f).is_some_and(|v| v.is_function()));
    usable.then(|| module.unchecked_into())
}

#[wasm_bindgen]
extern "C" {
    /// The runtime's WHATWG `TextDecoder`.
    type TextDecoder;
    #[wasm_bindgen(constructor, catch)]
    fn new(label: &str) -> Result<TextDecoder, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn decode(this: &TextDecoder, bytes: &[u8]) -> Result<String, JsValue>;
}

/// A charset the MIME parser has no table for, decoded by the runtime (replacement characters
/// for invalid sequences, as the WHATWG Encoding Standard decodes); `None` when the runtime
/// does not know the label, and the parser falls back to lossy UTF-8.
fn runtime_text_decoder(label: &str, bytes: &[u8]) -> Option<String> {
    TextDecoder::new(label).ok()?.decode(bytes).ok()
}

/// Hands the MIME parser's multi-byte charsets to the runtime. At start, and again (a no-op
/// then) before each parse: a start function does not run where the crate is linked into
/// another module (wasm-bindgen-test, a Rust program of its own built for wasm).
pub(crate) fn install_text_decoder() {
    mail_parser::decoders::charsets::external::set_external_decoder(runtime_text_decoder);
}

/// Installs node:crypto, else WebCrypto, as the platform provider when the runtime has it, and
/// the runtime's text decoder for the MIME parser.
#[wasm_bindgen(start)]
fn install_platform_crypto() {
    install_text_decoder();
    if NODE.with(Option::is_some) {
        provider::install(Box::new(NodeCrypto));
    } else if SUBTLE.with(Option::is_some) {
        provider::install(Box::new(WebCrypto));
    }
}

/// The name of the provider large inputs go to: `"node:crypto"`, `"webcrypto"` or
/// `"rustcrypto"` (for tests and benchmarks).
#[wasm_bindgen(js_name = cryptoProvider)]
pub fn crypto_provider() -> String {
    provider::active_name().to_string()
}

/// `usePlatformCrypto(false)` does everything in wasm (RustCrypto) even where the platform's
/// crypto is there; `true` (the default) hands large inputs to it again. For tests that check one path
/// against the other, and for benchmarks.
#[wasm_bindgen(js_name = usePlatformCrypto)]
pub fn use_platform_crypto(on: bool) {
    provider::set_platform_enabled(on);
}

/// node:crypto through the thread-local module (wasm32 has one thread).
struct NodeCrypto;

fn with_node<T>(f: impl FnOnce(&NodeCryptoModule) -> Result<T, JsValue>) -> Option<T> {
    NODE.with(|m| m.as_ref().and_then(|m| f(m).ok()))
}

fn aes_name(mode: &str, key_len: usize) -> Option<String> {
    matches!(key_len, 16 | 24 | 32).then(|| format!("aes-{}-{mode}", key_len * 8))
}

/// A private key as a node:crypto `KeyObject`, kept by `id`. It crosses once as DER (`der`,
/// made only then; `kind` "pkcs1" or "pkcs8"); the JavaScript copy is overwritten once OpenSSL
/// has parsed it (OpenSSL clears the key when the KeyObject is collected).
fn node_private_key(
    m: &NodeCryptoModule,
    id: KeyId,
    kind: &str,
    der: impl FnOnce() -> Option<SecretBytes>,
) -> Result<JsValue, JsValue> {
    if let Some(key) = kept_key(&id) {
        return Ok(key);
    }
    let der = der().ok_or_else(|| JsValue::from_str("key encoding"))?;
    let der_js = Uint8Array::from(&der[..]);
    let key_object = object(&[
        ("key", der_js.clone().into()),
        ("format", "der".into()),
        ("type", kind.into()),
    ])
    .and_then(|o| m.create_private_key(&o));
    der_js.fill(0, 0, der_js.length());
    let key_object = key_object?;
    keep_key(id, &key_object);
    Ok(key_object)
}

/// The RSA private key as a node:crypto `KeyObject` (PKCS#1 DER).
fn node_rsa_key(m: &NodeCryptoModule, key: &rsa::RsaPrivateKey) -> Result<JsValue, JsValue> {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let der = key
        .to_pkcs1_der()
        .map_err(|_| JsValue::from_str("RSA key encoding"))?;
    let id = key_id(&["node", "rsa"], der.as_bytes());
    node_private_key(m, id, "pkcs1", || {
        Some(SecretBytes::new(der.as_bytes().to_vec()))
    })
}

/// The RSA public key as a node:crypto `KeyObject` (PKCS#1 DER), kept.
fn node_rsa_public_key(m: &NodeCryptoModule, key: &rsa::RsaPublicKey) -> Result<JsValue, JsValue> {
    use rsa::pkcs1::EncodeRsaPublicKey;
    let der = key
        .to_pkcs1_der()
        .map_err(|_| JsValue::from_str("RSA key encoding"))?;
    let id = key_id(&["node", "rsa public"], der.as_bytes());
    if let Some(key) = kept_key(&id) {
        return Ok(key);
    }
    let options = object(&[
        ("key", Uint8Array::from(der.as_bytes()).into()),
        ("format", "der".into()),
        ("type", "pkcs1".into()),
    ])?;
    let key_object = m.create_public_key(&options)?;
    keep_key(id, &key_object);
    Ok(key_object)
}

/// A plain object with these fields.
fn object(fields: &[(&str, JsValue)]) -> Result<Object, JsValue> {
    let o = Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &JsValue::from_str(k), v)?;
    }
    Ok(o)
}

/// `update(data)` then `final()`, concatenated (their JS copies overwritten).
fn run(cipher: &NodeCipher, data: &[u8]) -> Result<Vec<u8>, JsValue> {
    let mut out = take(&cipher.update_bytes(data)?);
    out.extend_from_slice(&take(&cipher.finish()?));
    Ok(out)
}

/// AES in `mode` ("cbc", "cfb") with node:crypto, one call over `data`; `None` for a key size
/// it has no cipher for, or any error.
fn node_aes(mode: &str, key: &[u8], iv: &[u8], data: &[u8], encrypt: bool) -> Option<Vec<u8>> {
    let name = aes_name(mode, key.len())?;
    with_node(|m| {
        let cipher = if encrypt {
            m.create_cipheriv(&name, key, iv)?
        } else {
            m.create_decipheriv(&name, key, iv)?
        };
        run(&cipher, data)
    })
}

/// node:crypto answers at once: small inputs are worth handing over (the threshold is where a
/// call costs about what RustCrypto takes for the same bytes in wasm).
const NODE_MIN_BYTES: usize = 2048;

impl CryptoProvider for NodeCrypto {
    fn name(&self) -> &'static str {
        "node:crypto"
    }

    fn min_bytes(&self) -> usize {
        NODE_MIN_BYTES
    }

    fn digest<'a>(&'a self, alg: DigestAlg, data: &'a [u8]) -> Pending<'a, Option<Vec<u8>>> {
        ready(with_node(|m| {
            m.create_hash(alg.name())?.update(data)?.digest()
        }))
    }

    fn aes_cbc_encrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        plaintext: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        ready(node_aes("cbc", key, iv, plaintext, true))
    }

    fn aes_cbc_decrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        ct: &'a [u8],
    ) -> Pending<'a, Option<SecretBytes>> {
        ready(node_aes("cbc", key, iv, ct, false).map(SecretBytes::new))
    }

    fn aes_gcm_encrypt<'a>(
        &'a self,
        key: &'a [u8],
        nonce: &'a [u8],
        aad: &'a [u8],
        plaintext: &'a [u8],
        tag_len: usize,
    ) -> Pending<'a, Option<Vec<u8>>> {
        if nonce.len() != 12 || tag_len != 16 {
            return ready(None);
        }
        let out = aes_name("gcm", key.len()).and_then(|name| {
            with_node(|m| {
                let c = m.create_cipheriv(&name, key, nonce)?;
                c.set_aad(aad)?;
                let mut out = run(&c, plaintext)?;
                out.extend_from_slice(&c.get_auth_tag()?);
                Ok(out)
            })
        });
        ready(out)
    }

    #[cfg(feature = "openpgp")]
    fn aes_cfb_encrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        data: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        // OpenSSL's aes-*-cfb is CFB128: full-block feedback, what SEIPD v1 uses.
        ready(node_aes("cfb", key, iv, data, true))
    }

    #[cfg(feature = "openpgp")]
    fn aes_cfb_decrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        ct: &'a [u8],
    ) -> Pending<'a, Option<SecretBytes>> {
        ready(node_aes("cfb", key, iv, ct, false).map(SecretBytes::new))
    }

    fn rsa_raw_private(&self, key: &rsa::RsaPrivateKey, c: &[u8]) -> Option<SecretBytes> {
        with_node(|m| {
            // RSA_NO_PADDING (3): the unpadding is ours, constant time, implicit rejection.
            let options = object(&[("key", node_rsa_key(m, key)?), ("padding", 3u32.into())])?;
            Ok(SecretBytes::new(take(&m.private_decrypt(&options, c)?)))
        })
    }

    #[cfg(feature = "smime")]
    fn rsa_oaep_decrypt<'a>(
        &'a self,
        key: &'a rsa::RsaPrivateKey,
        hash: DigestAlg,
        c: &'a [u8],
    ) -> Pending<'a, Option<Option<SecretBytes>>> {
        // Not offered unless the key object is made: that does not depend on the ciphertext.
        let Some(key_object) = with_node(|m| node_rsa_key(m, key)) else {
            return ready(None);
        };
        // RSA_PKCS1_OAEP_PADDING (4); OpenSSL uses the OAEP hash for MGF1 too.
        let Ok(options) = object(&[
            ("key", key_object),
            ("padding", 4u32.into()),
            ("oaepHash", hash.name().into()),
        ]) else {
            return ready(None);
        };
        ready(Some(with_node(|m| {
            Ok(SecretBytes::new(take(&m.private_decrypt(&options, c)?)))
        })))
    }

    fn rsa_public_encrypt(
        &self,
        key: &rsa::RsaPublicKey,
        oaep_sha256: bool,
        msg: &[u8],
    ) -> Option<Vec<u8>> {
        with_node(|m| {
            // RSA_PKCS1_OAEP_PADDING (4) with SHA-256 for OAEP and MGF1, or RSA_PKCS1_PADDING (1).
            let mut fields = vec![("key", node_rsa_public_key(m, key)?)];
            if oaep_sha256 {
                fields.push(("padding", 4u32.into()));
                fields.push(("oaepHash", "sha256".into()));
            } else {
                fields.push(("padding", 1u32.into()));
            }
            Ok(m.public_encrypt(&object(&fields)?, msg)?.to_vec())
        })
    }

    fn rsa_public_recover(&self, key: &rsa::RsaPublicKey, signature: &[u8]) -> Option<Vec<u8>> {
        with_node(|m| {
            // RSA_PKCS1_PADDING (1): with the public key, the type-1 (signature) block check.
            let options = object(&[
                ("key", node_rsa_public_key(m, key)?),
                ("padding", 1u32.into()),
            ])?;
            Ok(m.public_decrypt(&options, signature)?.to_vec())
        })
    }

    #[cfg(feature = "smime")]
    fn ecdh_p256_ephemeral<'a>(
        &'a self,
        recipient: &'a [u8],
    ) -> Pending<'a, Option<(Vec<u8>, SecretBytes)>> {
        ready(with_node(|m| {
            let ecdh = m.create_ecdh("prime256v1")?;
            let point = ecdh.generate_keys()?.to_vec();
            let z = SecretBytes::new(take(&ecdh.compute_secret(recipient)?));
            Ok((point, z))
        }))
    }

    #[cfg(feature = "smime")]
    fn ecdsa_p256_sign<'a>(
        &'a self,
        key: &'a p256::SecretKey,
        pkcs8: &'a dyn Fn() -> Option<SecretBytes>,
        message: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        ready(with_node(|m| {
            // Kept by the scalar: made into a KeyObject the first time only.
            let id = key_id(&["node", "p256"], &key.to_bytes());
            let key_object = node_private_key(m, id, "pkcs8", pkcs8);
            // DER (dsaEncoding's default), as CMS wants it.
            m.sign("sha256", message, &key_object?)
        }))
    }

    #[cfg(feature = "openpgp")]
    fn signs_rsa(&self) -> bool {
        true
    }

    fn rsa_pkcs1v15_sign_digest_info(
        &self,
        key: &rsa::RsaPrivateKey,
        digest_info: &[u8],
    ) -> Option<Vec<u8>> {
        with_node(|m| {
            // RSA_PKCS1_PADDING (1): with the private key, that is block type 1 (signing).
            let options = object(&[("key", node_rsa_key(m, key)?), ("padding", 1u32.into())])?;
            Ok(take(&m.private_encrypt(&options, digest_info)?))
        })
    }

    fn aes_gcm_decrypt<'a>(
        &'a self,
        key: &'a [u8],
        nonce: &'a [u8],
        aad: &'a [u8],
        ct: &'a [u8],
        tag: &'a [u8],
    ) -> Pending<'a, Option<SecretBytes>> {
        // 12-byte tags need authTagLength at creation in newer Node: leave them to RustCrypto.
        if nonce.len() != 12 || tag.len() != 16 {
            return ready(None);
        }
        let out = aes_name("gcm", key.len()).and_then(|name| {
            with_node(|m| {
                let c = m.create_decipheriv(&name, key, nonce)?;
                c.set_aad(aad)?;
                c.set_auth_tag(tag)?;
                run(&c, ct)
            })
        });
        ready(out.map(SecretBytes::new))
    }
}

/// WebCrypto through the thread-local `crypto.subtle` (wasm32 has one thread).
struct WebCrypto;

/// Each WebCrypto call is two Promises (import the key, then the operation) and, in browsers, a
/// hop to a crypto thread: only inputs this large are handed over.
const WEB_MIN_BYTES: usize = 4096;

/// Awaits a WebCrypto call's Promise; its ArrayBuffer as bytes. `None` if it threw or rejected.
async fn settle(call: Result<Promise, JsValue>) -> Option<Vec<u8>> {
    let value = JsFuture::from(call.ok()?).await.ok()?;
    value
        .dyn_ref::<js_sys::ArrayBuffer>()
        .map(|b| take(&Uint8Array::new(b)))
}

/// The bytes of a JS result, its JS copy overwritten (it may be plaintext or a key; the
/// caller gets the only copy left, in wasm memory, where it is zeroized on drop).
fn take(js: &Uint8Array) -> Vec<u8> {
    let out = js.to_vec();
    js.fill(0, 0, js.length());
    out
}

/// `{ name, iv, additionalData?, tagLength? }` for AES-CBC / AES-GCM.
fn aes_params(name: &str, iv: &[u8], gcm: Option<(&[u8], usize)>) -> Option<Object> {
    let params = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&params, &JsValue::from_str(k), v).ok();
    set("name", &JsValue::from_str(name))?;
    set("iv", &Uint8Array::from(iv))?;
    if let Some((aad, tag_len)) = gcm {
        set("additionalData", &Uint8Array::from(aad))?;
        set("tagLength", &JsValue::from((tag_len * 8) as u32))?;
    }
    Some(params)
}

/// AES-CBC or AES-GCM through WebCrypto: import the raw key, then encrypt or decrypt `data`.
async fn web_aes(
    name: &str,
    key: &[u8],
    params: Option<Object>,
    data: &[u8],
    encrypt: bool,
) -> Option<Vec<u8>> {
    if !matches!(key.len(), 16 | 24 | 32) {
        return None;
    }
    let params = params?;
    let usage = if encrypt { "encrypt" } else { "decrypt" };
    let usages = js_sys::Array::of1(&JsValue::from_str(usage));
    let algorithm = object(&[("name", name.into())]).ok()?;
    let imported = SUBTLE.with(|s| {
        s.as_ref()
            .map(|s| s.import_key("raw", key, &algorithm, false, &usages))
    })?;
    let key = JsFuture::from(imported.ok()?).await.ok()?;
    let call = SUBTLE.with(|s| {
        s.as_ref().map(|s| {
            if encrypt {
                s.encrypt(&params, &key, data)
            } else {
                s.decrypt(&params, &key, data)
            }
        })
    })?;
    settle(call).await
}

/// WebCrypto's name for RSASSA-PKCS1-v1_5.
const RSASSA: &str = "RSASSA-PKCS1-v1_5";

/// A key imported into WebCrypto for `algorithm` with `hash`, for one `usage`, kept by its DER.
async fn web_key(
    format: &str,
    der: &[u8],
    algorithm: &str,
    hash: &str,
    usage: &str,
) -> Option<JsValue> {
    let id = key_id(&["web", format, algorithm, hash, usage], der);
    web_key_for(
        id,
        format,
        || Some(SecretBytes::new(der.to_vec())),
        algorithm,
        ("hash", hash),
        usage,
    )
    .await
}

/// A key imported into WebCrypto (non-extractable) and kept by `id`; `der` is made and crosses
/// (a view WebCrypto copies) only the first time. `param`: the algorithm's one parameter
/// (`hash` for RSA, `namedCurve` for EC).
async fn web_key_for(
    id: KeyId,
    format: &str,
    der: impl FnOnce() -> Option<SecretBytes>,
    algorithm: &str,
    (param, value): (&str, &str),
    usage: &str,
) -> Option<JsValue> {
    if let Some(key) = kept_key(&id) {
        return Some(key);
    }
    let der = der()?;
    let params = object(&[("name", algorithm.into()), (param, value.into())]).ok()?;
    let usages = js_sys::Array::of1(&JsValue::from_str(usage));
    let call = SUBTLE.with(|s| {
        s.as_ref()
            .map(|s| s.import_key(format, &der, &params, false, &usages))
    })?;
    let key = JsFuture::from(call.ok()?).await.ok()?;
    keep_key(id, &key);
    Some(key)
}

/// An RSA private key in WebCrypto (it crosses as PKCS#8 DER).
async fn web_rsa_private_key(
    key: &rsa::RsaPrivateKey,
    algorithm: &str,
    hash: &str,
    usage: &str,
) -> Option<JsValue> {
    use rsa::pkcs8::EncodePrivateKey;
    let der = key.to_pkcs8_der().ok()?;
    web_key("pkcs8", der.as_bytes(), algorithm, hash, usage).await
}

impl CryptoProvider for WebCrypto {
    fn name(&self) -> &'static str {
        "webcrypto"
    }

    fn min_bytes(&self) -> usize {
        WEB_MIN_BYTES
    }

    fn digest<'a>(&'a self, alg: DigestAlg, data: &'a [u8]) -> Pending<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let name = alg.web_name()?;
            let call = SUBTLE.with(|s| s.as_ref().map(|s| s.digest(name, data)))?;
            settle(call).await
        })
    }

    fn aes_cbc_encrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        plaintext: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        let params = aes_params("AES-CBC", iv, None);
        Box::pin(web_aes("AES-CBC", key, params, plaintext, true))
    }

    fn aes_cbc_decrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        ct: &'a [u8],
    ) -> Pending<'a, Option<SecretBytes>> {
        let params = aes_params("AES-CBC", iv, None);
        Box::pin(async move {
            web_aes("AES-CBC", key, params, ct, false)
                .await
                .map(SecretBytes::new)
        })
    }

    fn aes_gcm_encrypt<'a>(
        &'a self,
        key: &'a [u8],
        nonce: &'a [u8],
        aad: &'a [u8],
        plaintext: &'a [u8],
        tag_len: usize,
    ) -> Pending<'a, Option<Vec<u8>>> {
        if nonce.len() != 12 || tag_len != 16 {
            return ready(None);
        }
        let params = aes_params("AES-GCM", nonce, Some((aad, tag_len)));
        Box::pin(web_aes("AES-GCM", key, params, plaintext, true))
    }

    /// CFB encryption as one AES-CBC call: CBC with a zero IV over IV ‖ P1 … Pn-1 yields
    /// E(IV), E(C1), … E(Cn-1), since each CBC input block is the previous output XOR Pi, which
    /// is Ci. XORed with the plaintext that keystream is the CFB ciphertext (the trailing
    /// padding block of WebCrypto's output is not used). CFB decryption has no such form
    /// (it needs AES on each Ci independently): it stays in wasm, on parallel blocks.
    #[cfg(feature = "openpgp")]
    fn aes_cfb_encrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        data: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        if iv.len() != 16 {
            return ready(None);
        }
        let mut feed = Vec::with_capacity(data.len() + 16);
        feed.extend_from_slice(iv);
        feed.extend_from_slice(
            data.get(..data.len().saturating_sub(1) / 16 * 16)
                .unwrap_or_default(),
        );
        let params = aes_params("AES-CBC", &[0u8; 16], None);
        Box::pin(async move {
            let stream = web_aes("AES-CBC", key, params, &feed, true).await?;
            drop(SecretBytes::new(feed));
            let mut out = data.to_vec();
            if stream.len() < out.len() {
                return None;
            }
            out.iter_mut().zip(&stream).for_each(|(o, k)| *o ^= k);
            Some(out)
        })
    }

    #[cfg(feature = "smime")]
    fn ecdh_p256_ephemeral<'a>(
        &'a self,
        recipient: &'a [u8],
    ) -> Pending<'a, Option<(Vec<u8>, SecretBytes)>> {
        Box::pin(async move {
            let curve = object(&[("name", "ECDH".into()), ("namedCurve", "P-256".into())]).ok()?;
            let subtle: SubtleCrypto = SUBTLE
                .with(|s| s.as_ref().map(|s| AsRef::<JsValue>::as_ref(s).clone()))?
                .unchecked_into();
            let usages = js_sys::Array::of1(&JsValue::from_str("deriveBits"));
            let pair = JsFuture::from(subtle.generate_key(&curve, false, &usages).ok()?)
                .await
                .ok()?;
            let field = |k: &str| Reflect::get(&pair, &JsValue::from_str(k)).ok();
            let (public, private) = (field("publicKey")?, field("privateKey")?);
            let id = key_id(&["web", "p256 public"], recipient);
            let theirs = match kept_key(&id) {
                Some(key) => key,
                None => {
                    let call =
                        subtle.import_key("raw", recipient, &curve, true, &js_sys::Array::new());
                    let key = JsFuture::from(call.ok()?).await.ok()?;
                    keep_key(id, &key);
                    key
                }
            };
            let params = object(&[("name", "ECDH".into()), ("public", theirs)]).ok()?;
            let z = settle(subtle.derive_bits(&params, &private, 256)).await?;
            let point = settle(subtle.export_key("raw", &public)).await?;
            Some((point, SecretBytes::new(z)))
        })
    }

    #[cfg(feature = "smime")]
    fn ecdsa_p256_sign<'a>(
        &'a self,
        key: &'a p256::SecretKey,
        pkcs8: &'a dyn Fn() -> Option<SecretBytes>,
        message: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            // Kept by the scalar: imported the first time only.
            let id = key_id(&["web", "p256", "sign"], &key.to_bytes());
            let key =
                web_key_for(id, "pkcs8", pkcs8, "ECDSA", ("namedCurve", "P-256"), "sign").await?;
            let params = object(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())]).ok()?;
            // IEEE P1363 (r ‖ s): the caller makes it DER.
            let call = SUBTLE.with(|s| s.as_ref().map(|s| s.sign(&params, &key, message)))?;
            settle(call).await
        })
    }

    #[cfg(feature = "openpgp")]
    fn signs_rsa(&self) -> bool {
        true
    }

    fn rsa_sign_message<'a>(
        &'a self,
        key: &'a rsa::RsaPrivateKey,
        alg: DigestAlg,
        message: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let key = web_rsa_private_key(key, RSASSA, alg.web_name()?, "sign").await?;
            let params = object(&[("name", RSASSA.into())]).ok()?;
            let call = SUBTLE.with(|s| s.as_ref().map(|s| s.sign(&params, &key, message)))?;
            settle(call).await
        })
    }

    fn rsa_verify_message<'a>(
        &'a self,
        key: &'a rsa::RsaPublicKey,
        alg: DigestAlg,
        message: &'a [u8],
        signature: &'a [u8],
    ) -> Pending<'a, Option<bool>> {
        Box::pin(async move {
            use rsa::pkcs8::EncodePublicKey;
            let der = key.to_public_key_der().ok()?;
            let hash = alg.web_name()?;
            let key = web_key("spki", der.as_bytes(), RSASSA, hash, "verify").await?;
            let call = SUBTLE.with(|s| {
                s.as_ref()
                    .map(|s| s.verify(RSASSA, &key, signature, message))
            })?;
            JsFuture::from(call.ok()?).await.ok()?.as_bool()
        })
    }

    #[cfg(feature = "smime")]
    fn rsa_oaep_sha256_encrypt<'a>(
        &'a self,
        key: &'a rsa::RsaPublicKey,
        msg: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            use rsa::pkcs8::EncodePublicKey;
            let der = key.to_public_key_der().ok()?;
            let key = web_key("spki", der.as_bytes(), "RSA-OAEP", "SHA-256", "encrypt").await?;
            let params = object(&[("name", "RSA-OAEP".into())]).ok()?;
            let call = SUBTLE.with(|s| s.as_ref().map(|s| s.encrypt(&params, &key, msg)))?;
            settle(call).await
        })
    }

    #[cfg(feature = "smime")]
    fn rsa_oaep_decrypt<'a>(
        &'a self,
        key: &'a rsa::RsaPrivateKey,
        hash: DigestAlg,
        c: &'a [u8],
    ) -> Pending<'a, Option<Option<SecretBytes>>> {
        Box::pin(async move {
            // Not offered unless the key imports: that does not depend on the ciphertext.
            let key = web_rsa_private_key(key, "RSA-OAEP", hash.web_name()?, "decrypt").await?;
            let params = object(&[("name", "RSA-OAEP".into())]).ok()?;
            let call = SUBTLE.with(|s| s.as_ref().map(|s| s.decrypt(&params, &key, c)))?;
            // A rejection is the answer (the ciphertext does not decrypt), final.
            Some(settle(call).await.map(SecretBytes::new))
        })
    }

    fn aes_gcm_decrypt<'a>(
        &'a self,
        key: &'a [u8],
        nonce: &'a [u8],
        aad: &'a [u8],
        ct: &'a [u8],
        tag: &'a [u8],
    ) -> Pending<'a, Option<SecretBytes>> {
        if nonce.len() != 12 || !matches!(tag.len(), 12 | 16) {
            return ready(None);
        }
        let params = aes_params("AES-GCM", nonce, Some((aad, tag.len())));
        Box::pin(async move {
            // WebCrypto takes the tag at the end of the ciphertext.
            let mut sealed = Vec::with_capacity(ct.len() + tag.len());
            sealed.extend_from_slice(ct);
            sealed.extend_from_slice(tag);
            web_aes("AES-GCM", key, params, &sealed, false)
                .await
                .map(SecretBytes::new)
        })
    }
}

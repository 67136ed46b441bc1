//! WebCrypto (`crypto.subtle`: browsers in a secure context, Cloudflare Workers) as the crypto
//! provider: Promises, which the core awaits.

use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::js_values::{object, take};
use super::key_cache::{keep_key, kept_key, key_id, KeyId};
#[cfg(feature = "openpgp")]
use crate::crypto::provider::cfb_keystream;
use crate::crypto::provider::{ready, CryptoProvider, DigestAlg, Pending};
use crate::secret::SecretBytes;

#[wasm_bindgen]
extern "C" {
    /// WebCrypto's `SubtleCrypto`. Byte arguments are views into wasm memory: WebCrypto copies
    /// them before it returns its Promise, so they need not outlive the call.
    pub(super) type SubtleCrypto;
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
    /// `decrypt` of bytes already in JavaScript (a ciphertext with its tag put after it).
    #[wasm_bindgen(method, catch, js_name = decrypt)]
    fn decrypt_array(
        this: &SubtleCrypto,
        algorithm: &Object,
        key: &JsValue,
        data: &Uint8Array,
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
    pub(super) static SUBTLE: Option<SubtleCrypto> = find_subtle_crypto();
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

/// WebCrypto through the thread-local `crypto.subtle` (wasm32 has one thread).
pub(super) struct WebCrypto;

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

/// What WebCrypto's AES works on: bytes in wasm memory (a view; WebCrypto copies them), or a
/// JavaScript array made for the call.
enum AesInput<'d> {
    Wasm(&'d [u8]),
    #[cfg_attr(not(feature = "smime"), allow(dead_code))]
    Js(Uint8Array),
}

/// AES-CBC or AES-GCM through WebCrypto: import the raw key, then encrypt or decrypt `data`.
async fn web_aes(
    name: &str,
    key: &[u8],
    params: Option<Object>,
    data: &[u8],
    encrypt: bool,
) -> Option<Vec<u8>> {
    let answer = web_aes_answer(name, key, params, AesInput::Wasm(data), encrypt).await?;
    Some(take(&answer))
}

/// [`web_aes`]'s answer as WebCrypto gives it, not yet copied into wasm memory.
async fn web_aes_answer(
    name: &str,
    key: &[u8],
    params: Option<Object>,
    data: AesInput<'_>,
    encrypt: bool,
) -> Option<Uint8Array> {
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
        s.as_ref().map(|s| match (&data, encrypt) {
            (AesInput::Wasm(data), true) => s.encrypt(&params, &key, data),
            (AesInput::Wasm(data), false) => s.decrypt(&params, &key, data),
            (AesInput::Js(data), _) => s.decrypt_array(&params, &key, data),
        })
    })?;
    let value = JsFuture::from(call.ok()?).await.ok()?;
    value
        .dyn_ref::<js_sys::ArrayBuffer>()
        .map(|b| Uint8Array::new(b))
}

/// A decryption's answer copied over the ciphertext in `data` (its length), and overwritten in
/// JavaScript: no second message-sized buffer in wasm memory. `None` when it does not fit.
#[cfg(feature = "smime")]
fn answer_into(answer: Option<Uint8Array>, data: &mut [u8]) -> Option<usize> {
    let answer = answer?;
    let len = answer.length() as usize;
    let fits = len <= data.len();
    if fits {
        answer.copy_to(&mut data[..len]);
    }
    answer.fill(0, 0, answer.length());
    fits.then_some(len)
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

    #[cfg(feature = "smime")]
    fn aes_cbc_decrypt_in_place<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        data: &'a mut [u8],
    ) -> Pending<'a, Option<usize>> {
        let params = aes_params("AES-CBC", iv, None);
        Box::pin(async move {
            let answer = web_aes_answer("AES-CBC", key, params, AesInput::Wasm(data), false).await;
            answer_into(answer, data)
        })
    }

    #[cfg(feature = "smime")]
    fn aes_gcm_decrypt_in_place<'a>(
        &'a self,
        key: &'a [u8],
        nonce: &'a [u8],
        aad: &'a [u8],
        data: &'a mut [u8],
        tag: &'a [u8],
    ) -> Pending<'a, bool> {
        if nonce.len() != 12 || !matches!(tag.len(), 12 | 16) {
            return ready(false);
        }
        let params = aes_params("AES-GCM", nonce, Some((aad, tag.len())));
        Box::pin(async move {
            // WebCrypto takes the tag after the ciphertext: put together in JavaScript, not in
            // a second message-sized buffer in wasm memory.
            let sealed = Uint8Array::new_with_length((data.len() + tag.len()) as u32);
            sealed.subarray(0, data.len() as u32).copy_from(data);
            sealed
                .subarray(data.len() as u32, sealed.length())
                .copy_from(tag);
            let answer = web_aes_answer("AES-GCM", key, params, AesInput::Js(sealed), false).await;
            let whole = data.len();
            answer_into(answer, data) == Some(whole)
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

    /// CFB encryption as one AES-CBC call (`provider::cfb_keystream`): WebCrypto has no CFB.
    /// Decryption would need ECB, which WebCrypto lacks too: it stays in wasm, on parallel
    /// blocks.
    #[cfg(feature = "openpgp")]
    fn aes_cfb_encrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        data: &'a [u8],
    ) -> Pending<'a, Option<Vec<u8>>> {
        let Some(feed) = cfb_keystream::feed(iv, data) else {
            return ready(None);
        };
        let params = aes_params("AES-CBC", &[0u8; 16], None);
        Box::pin(async move {
            let mut out = web_aes("AES-CBC", key, params, &feed, true).await?;
            drop(feed);
            cfb_keystream::apply_keystream(data, &mut out).then_some(out)
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

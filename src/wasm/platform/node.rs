//! node:crypto (Node 20.16+, through `process.getBuiltinModule`) as the crypto provider:
//! synchronous calls into OpenSSL, so results are ready at once.

use js_sys::{Object, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::js_values::{object, take, take_into};
use super::key_cache::{keep_key, kept_key, key_id, KeyId};
#[cfg(feature = "openpgp")]
use crate::crypto::provider::cfb_keystream;
use crate::crypto::provider::{ready, CryptoProvider, DigestAlg, Pending};
use crate::secret::SecretBytes;

#[wasm_bindgen]
extern "C" {
    /// The `node:crypto` module.
    pub(super) type NodeCryptoModule;
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
    #[wasm_bindgen(method, catch, js_name = setAutoPadding)]
    fn set_auto_padding(this: &NodeCipher, pad: bool) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = getAuthTag)]
    fn get_auth_tag(this: &NodeCipher) -> Result<Vec<u8>, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setAuthTag)]
    fn set_auth_tag(this: &NodeCipher, tag: &[u8]) -> Result<JsValue, JsValue>;
}

thread_local! {
    pub(super) static NODE: Option<NodeCryptoModule> = find_node_crypto();
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

/// node:crypto through the thread-local module (wasm32 has one thread).
pub(super) struct NodeCrypto;

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

/// `update(data)` then `final()`, concatenated (their JS copies overwritten).
fn run(cipher: &NodeCipher, data: &[u8]) -> Result<Vec<u8>, JsValue> {
    let update = cipher.update_bytes(data)?;
    // Room for the last block too: the buffer it outgrew was the size of the message again
    // (S/MIME open of a 10 MiB attachment in Node: 27 MiB of wasm memory).
    let mut out = Vec::with_capacity(update.length() as usize + 32);
    take_into(&update, &mut out);
    take_into(&cipher.finish()?, &mut out);
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

/// How much node:crypto encrypts at a time in place: its answer for the whole message was a
/// JavaScript buffer of the message's size, not yet collected when the result was copied out
/// (a protect's JavaScript heap measured 3.2x a 10 MiB attachment; benches/MEMORY.md).
const NODE_CHUNK: usize = 1 << 20;

/// AES encryption in `mode` of `data` in place, a chunk at a time: each chunk's ciphertext is
/// copied from JavaScript over plaintext already handed over (CBC's answer lags its input by
/// less than a block, CFB's matches it), then the last block (CBC adds the padding). `None`,
/// and `data` as it was, when node:crypto has no such cipher or fails before the first write;
/// `Some(false)` when it fails after (never expected: `update` over bytes in memory).
fn node_aes_in_place(mode: &str, key: &[u8], iv: &[u8], data: &mut Vec<u8>) -> Option<bool> {
    match node_aes_over(mode, key, iv, data)? {
        Ok((written, tail)) => {
            data.resize(written + tail.length() as usize, 0);
            tail.copy_to(&mut data[written..]);
            Some(true)
        }
        Err(wrote) => (wrote).then_some(false),
    }
}

/// [`node_aes_in_place`] for a mode whose ciphertext is as long as its plaintext (CFB), over
/// a slice: a part of a buffer (the body of a packet behind its headers).
#[cfg(feature = "openpgp")]
fn node_aes_in_place_exact(mode: &str, key: &[u8], iv: &[u8], data: &mut [u8]) -> Option<bool> {
    match node_aes_over(mode, key, iv, data)? {
        Ok((written, tail)) if written + tail.length() as usize == data.len() => {
            tail.copy_to(&mut data[written..]);
            Some(true)
        }
        Ok(_) => Some(false),
        Err(wrote) => (wrote).then_some(false),
    }
}

/// The chunks of [`node_aes_in_place`]: how much ciphertext was written over `data` and
/// node:crypto's last block, or whether anything was written before it failed.
fn node_aes_over(
    mode: &str,
    key: &[u8],
    iv: &[u8],
    data: &mut [u8],
) -> Option<Result<(usize, Uint8Array), bool>> {
    let name = aes_name(mode, key.len())?;
    let cipher = with_node(|m| m.create_cipheriv(&name, key, iv))?;
    let len = data.len();
    let (mut read, mut written) = (0, 0);
    while read < len {
        let end = (read + NODE_CHUNK).min(len);
        let Ok(out) = cipher.update_bytes(&data[read..end]) else {
            return Some(Err(written > 0));
        };
        let n = out.length() as usize;
        if written + n > end {
            return Some(Err(true));
        }
        out.copy_to(&mut data[written..written + n]);
        written += n;
        read = end;
    }
    match cipher.finish() {
        Ok(tail) => Some(Ok((written, tail))),
        Err(_) => Some(Err(written > 0)),
    }
}

/// AES decryption in `mode` ("cbc", "gcm" with `aead`: the additional data and the tag) of
/// `data` in place: the plaintext is copied from JavaScript over the ciphertext only once the
/// whole decryption (padding, tag) succeeded, and its JavaScript copies are overwritten either
/// way. Its length, or `None` with `data` as it was.
#[cfg(feature = "smime")]
fn node_decrypt_in_place(
    mode: &str,
    key: &[u8],
    iv: &[u8],
    data: &mut [u8],
    aead: Option<(&[u8], &[u8])>,
) -> Option<usize> {
    let name = aes_name(mode, key.len())?;
    let wipe = |js: &Uint8Array| {
        js.fill(0, 0, js.length());
    };
    with_node(|m| {
        let cipher = m.create_decipheriv(&name, key, iv)?;
        if let Some((aad, tag)) = aead {
            cipher.set_aad(aad)?;
            cipher.set_auth_tag(tag)?;
        }
        let head = cipher.update_bytes(data)?;
        let tail = cipher.finish().inspect_err(|_| wipe(&head))?;
        let (split, len) = (
            head.length() as usize,
            (head.length() + tail.length()) as usize,
        );
        let fits = len <= data.len();
        if fits {
            head.copy_to(&mut data[..split]);
            tail.copy_to(&mut data[split..len]);
        }
        wipe(&head);
        wipe(&tail);
        fits.then_some(len).ok_or(JsValue::NULL)
    })
}

/// How much CFB decryption takes at a time: its feed and keystream are held in wasm beside the
/// message (a MiB at a time made opening a 10 MiB message 3.1x in wasm, a quarter of it 2.9x).
#[cfg(feature = "openpgp")]
const NODE_CFB_CHUNK: usize = 256 * 1024;

/// CFB decryption of `data` under `iv` in place, a chunk at a time, each chunk's keystream
/// from AES-ECB over its feed (`provider::cfb_keystream`): OpenSSL runs ECB in parallel, its own
/// CFB decryption a block at a time (opening a 1 MiB PGP/MIME message 15.6 -> 14.4 ms), and a
/// chunk's feed and keystream are all that is held beside the message (its peak memory).
/// `None`, and `data` as it was, when node:crypto fails before the first write; `Some(false)`
/// after (never expected: `update` over bytes in memory).
#[cfg(feature = "openpgp")]
fn node_cfb_decrypt_in_place(key: &[u8], iv: &[u8], data: &mut [u8]) -> Option<bool> {
    let name = aes_name("ecb", key.len())?;
    let cipher = with_node(|m| {
        let cipher = m.create_cipheriv(&name, key, &[])?;
        cipher.set_auto_padding(false)?;
        Ok(cipher)
    })?;
    let mut previous: [u8; 16] = iv.try_into().ok()?;
    let mut read = 0;
    while read < data.len() {
        let end = (read + NODE_CFB_CHUNK).min(data.len());
        let chunk = &mut data[read..end];
        let stream = cfb_keystream::feed(&previous, chunk).and_then(|feed| {
            let stream = cipher.update_bytes(&feed).ok()?;
            // Taken (and the JavaScript copy overwritten) at once: it XORs to plaintext.
            Some(SecretBytes::new(take(&stream)))
        });
        let Some(mut stream) = stream else {
            return (read > 0).then_some(false);
        };
        // The next chunk's feed starts with this chunk's last ciphertext block.
        if let Some(last) = chunk.last_chunk::<16>() {
            previous = *last;
        }
        if !cfb_keystream::apply_keystream(chunk, &mut stream) {
            return (read > 0).then_some(false);
        }
        chunk.copy_from_slice(&stream);
        read = end;
    }
    Some(true)
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

    fn aes_cbc_encrypt_in_place<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        data: &'a mut Vec<u8>,
    ) -> Pending<'a, Option<bool>> {
        ready(node_aes_in_place("cbc", key, iv, data))
    }

    fn aes_cbc_decrypt<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        ct: &'a [u8],
    ) -> Pending<'a, Option<SecretBytes>> {
        ready(node_aes("cbc", key, iv, ct, false).map(SecretBytes::new))
    }

    #[cfg(feature = "smime")]
    fn aes_cbc_decrypt_in_place<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        data: &'a mut [u8],
    ) -> Pending<'a, Option<usize>> {
        ready(node_decrypt_in_place("cbc", key, iv, data, None))
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
        // As `aes_gcm_decrypt`: 12-byte tags are left to RustCrypto.
        let whole = data.len();
        ready(
            nonce.len() == 12
                && tag.len() == 16
                && node_decrypt_in_place("gcm", key, nonce, data, Some((aad, tag))) == Some(whole),
        )
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
        // OpenSSL's aes-*-cfb is CFB128: full-block feedback, what SEIPD v1 uses. (Its CBC is
        // faster, but the copy and XOR of `provider::cfb_keystream` ate the difference.)
        ready(node_aes("cfb", key, iv, data, true))
    }

    #[cfg(feature = "openpgp")]
    fn aes_cfb_encrypt_in_place<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        data: &'a mut [u8],
    ) -> Pending<'a, Option<bool>> {
        ready(node_aes_in_place_exact("cfb", key, iv, data))
    }

    #[cfg(feature = "openpgp")]
    fn aes_cfb_decrypt_in_place<'a>(
        &'a self,
        key: &'a [u8],
        iv: &'a [u8],
        data: &'a mut [u8],
    ) -> Pending<'a, Option<bool>> {
        ready(node_cfb_decrypt_in_place(key, iv, data))
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

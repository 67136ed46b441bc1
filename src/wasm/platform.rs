//! The runtime's native crypto as the core's crypto provider (`crate::crypto::provider`).
//!
//! Where the runtime has node:crypto (Node 20.16+ through `process.getBuiltinModule`; the
//! same module the Node.js glue runs in), AES-CBC/GCM and SHA digests of large inputs run on
//! OpenSSL instead of in wasm: synchronous calls, so the API stays as it is. Elsewhere
//! (browsers: WebCrypto is asynchronous only) nothing is installed and RustCrypto does the work.
//! Every call that throws declines, and the core falls back to RustCrypto.
//!
//! Installed once when the module starts (`#[wasm_bindgen(start)]`).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::Zeroizing;

use crate::crypto::provider::{self, CryptoProvider, DigestAlg};

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

    /// A `Cipher` / `Decipher` object.
    type NodeCipher;
    #[wasm_bindgen(method, catch, js_name = update)]
    fn update_bytes(this: &NodeCipher, data: &[u8]) -> Result<Vec<u8>, JsValue>;
    #[wasm_bindgen(method, catch, js_name = final)]
    fn finish(this: &NodeCipher) -> Result<Vec<u8>, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setAAD)]
    fn set_aad(this: &NodeCipher, aad: &[u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = getAuthTag)]
    fn get_auth_tag(this: &NodeCipher) -> Result<Vec<u8>, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setAuthTag)]
    fn set_auth_tag(this: &NodeCipher, tag: &[u8]) -> Result<JsValue, JsValue>;
}

thread_local! {
    static NODE: Option<NodeCryptoModule> = find_node_crypto();
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

/// Installs node:crypto as the platform provider when the runtime has it.
#[wasm_bindgen(start)]
fn install_platform_crypto() {
    if NODE.with(Option::is_some) {
        provider::install(Box::new(NodeCrypto));
    }
}

/// The name of the provider large inputs go to: `"node:crypto"` or `"rustcrypto"` (for tests
/// and benchmarks).
#[wasm_bindgen(js_name = cryptoProvider)]
pub fn crypto_provider() -> String {
    provider::active_name().to_string()
}

/// `usePlatformCrypto(false)` does everything in wasm (RustCrypto) even where node:crypto is
/// there; `true` (the default) hands large inputs to it again. For tests that check one path
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

/// `update(data)` then `final()`, concatenated.
fn run(cipher: &NodeCipher, data: &[u8]) -> Result<Vec<u8>, JsValue> {
    let mut out = cipher.update_bytes(data)?;
    out.extend_from_slice(&cipher.finish()?);
    Ok(out)
}

impl CryptoProvider for NodeCrypto {
    fn name(&self) -> &'static str {
        "node:crypto"
    }

    fn digest(&self, alg: DigestAlg, data: &[u8]) -> Option<Vec<u8>> {
        with_node(|m| m.create_hash(alg.name())?.update(data)?.digest())
    }

    fn aes_cbc_encrypt(&self, key: &[u8], iv: &[u8], plaintext: &[u8]) -> Option<Vec<u8>> {
        let name = aes_name("cbc", key.len())?;
        with_node(|m| run(&m.create_cipheriv(&name, key, iv)?, plaintext))
    }

    fn aes_cbc_decrypt(&self, key: &[u8], iv: &[u8], ct: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let name = aes_name("cbc", key.len())?;
        with_node(|m| run(&m.create_decipheriv(&name, key, iv)?, ct)).map(Zeroizing::new)
    }

    fn aes_gcm_encrypt(
        &self,
        key: &[u8],
        nonce: &[u8],
        aad: &[u8],
        plaintext: &[u8],
        tag_len: usize,
    ) -> Option<Vec<u8>> {
        if nonce.len() != 12 || tag_len != 16 {
            return None;
        }
        let name = aes_name("gcm", key.len())?;
        with_node(|m| {
            let c = m.create_cipheriv(&name, key, nonce)?;
            c.set_aad(aad)?;
            let mut out = run(&c, plaintext)?;
            out.extend_from_slice(&c.get_auth_tag()?);
            Ok(out)
        })
    }

    fn aes_gcm_decrypt(
        &self,
        key: &[u8],
        nonce: &[u8],
        aad: &[u8],
        ct: &[u8],
        tag: &[u8],
    ) -> Option<Zeroizing<Vec<u8>>> {
        // 12-byte tags need authTagLength at creation in newer Node: leave them to RustCrypto.
        if nonce.len() != 12 || tag.len() != 16 {
            return None;
        }
        let name = aes_name("gcm", key.len())?;
        with_node(|m| {
            let c = m.create_decipheriv(&name, key, nonce)?;
            c.set_aad(aad)?;
            c.set_auth_tag(tag)?;
            run(&c, ct)
        })
        .map(Zeroizing::new)
    }
}

//! The keys handed to the platform's crypto, kept between messages by a hash of their material.

use wasm_bindgen::prelude::*;

thread_local! {
    /// Keys handed to the platform, by [`KeyId`]: node:crypto `KeyObject`s and WebCrypto
    /// `CryptoKey`s (non-extractable). A key is parsed (and checked) by the platform once, not
    /// per message, as the JavaScript libraries keep theirs; emptied when a keyring is freed
    /// or a key removed ([`forget_keys`]).
    static PLATFORM_KEYS: std::cell::RefCell<Vec<(KeyId, JsValue)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// SHA-256 over how a key is used and its key material: which kept platform key it is.
pub(super) type KeyId = [u8; 32];

/// At most this many platform keys are kept (the oldest goes first).
const PLATFORM_KEYS_MAX: usize = 16;

pub(super) fn key_id(usage: &[&str], material: &[u8]) -> KeyId {
    use sha2::{Digest, Sha256};
    let mut id = Sha256::new();
    for field in usage {
        id.update(field.as_bytes());
        id.update([0]);
    }
    id.update(material);
    id.finalize().into()
}

pub(super) fn kept_key(id: &KeyId) -> Option<JsValue> {
    PLATFORM_KEYS.with(|keys| {
        let keys = keys.borrow();
        keys.iter()
            .find(|(k, _)| k == id)
            .map(|(_, key)| key.clone())
    })
}

pub(super) fn keep_key(id: KeyId, key: &JsValue) {
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

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
//!
//! One file per seam: `node` (node:crypto), `webcrypto` (`crypto.subtle`), `key_cache` (the
//! platform keys kept between messages), `js_values` (plain objects and bytes crossing to
//! JavaScript); the runtime's charsets for the MIME parser are `mime::text_decoder` (the parser
//! installs them itself too).

mod js_values;
mod key_cache;
mod node;
mod webcrypto;

pub(crate) use key_cache::forget_keys;

use wasm_bindgen::prelude::*;

use crate::crypto::provider;
use crate::mime::install_text_decoder;
use node::{NodeCrypto, NODE};
use webcrypto::{WebCrypto, SUBTLE};

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

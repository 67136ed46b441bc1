//! The runtime's `TextDecoder` for the multi-byte charsets of mail the MIME parser has no
//! tables for.

use wasm_bindgen::prelude::*;

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

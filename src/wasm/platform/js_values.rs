//! Values crossing to JavaScript: plain objects, and bytes taken back out of JS.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

/// A plain object with these fields.
pub(super) fn object(fields: &[(&str, JsValue)]) -> Result<Object, JsValue> {
    let o = Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &JsValue::from_str(k), v)?;
    }
    Ok(o)
}

/// The bytes of a JS result, its JS copy overwritten (it may be plaintext or a key; the
/// caller gets the only copy left, in wasm memory, where it is zeroized on drop).
pub(super) fn take(js: &Uint8Array) -> Vec<u8> {
    let out = js.to_vec();
    js.fill(0, 0, js.length());
    out
}

/// [`take`], appended to `out` (no new buffer: `out` reserved room for it, or grows once).
pub(super) fn take_into(js: &Uint8Array, out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + js.length() as usize, 0);
    js.copy_to(&mut out[start..]);
    js.fill(0, 0, js.length());
}

//! Rust errors to JavaScript `Error` objects with a stable `code`.

use wasm_bindgen::JsValue;

use crate::error::{Error, ErrorCode};

/// A JS `Error` whose `name` is `MailsealError` and whose `code` is the stable code.
pub(crate) fn to_js(err: Error) -> JsValue {
    let js = js_sys::Error::new(err.message());
    js.set_name("MailsealError");
    // Reflect::set on a fresh Error object cannot fail; ignore the impossible error.
    let _ = js_sys::Reflect::set(&js, &"code".into(), &err.code().as_str().into());
    js.into()
}

/// Shorthand for a `bad_input` error about an argument.
pub(crate) fn bad_input(message: &str) -> JsValue {
    to_js(Error::new(ErrorCode::BadInput, message))
}

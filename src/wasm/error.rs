//! Rust errors to JavaScript `Error` objects with a stable `code`, the `ErrorCode` union type
//! and the `isMailsealError(e)` guard.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, ErrorCode};

#[wasm_bindgen(typescript_custom_section)]
const TS_ERRORS: &str = crate::error::TS_ERROR_TYPES;

/// The error name that marks mailseal's errors.
const NAME: &str = "MailsealError";

/// A JS `Error` whose `name` is `MailsealError` and whose `code` is the stable code.
pub(crate) fn to_js(err: Error) -> JsValue {
    let js = js_sys::Error::new(err.message());
    js.set_name(NAME);
    // Reflect::set on a fresh Error object cannot fail; ignore the impossible error.
    let _ = js_sys::Reflect::set(&js, &"code".into(), &err.code().as_str().into());
    js.into()
}

/// Shorthand for a `bad_input` error about an argument.
pub(crate) fn bad_input(message: &str) -> JsValue {
    to_js(Error::new(ErrorCode::BadInput, message))
}

/// `isMailsealError(e)`: true for errors thrown by mailseal (an `Error` named `MailsealError`
/// with a known `code`), so `catch (e) { if (isMailsealError(e)) switch (e.code) … }` type-checks.
#[wasm_bindgen(js_name = isMailsealError, unchecked_return_type = "e is MailsealError")]
pub fn is_mailseal_error(#[wasm_bindgen(unchecked_param_type = "unknown")] e: JsValue) -> bool {
    let Some(err) = e.dyn_ref::<js_sys::Error>() else {
        return false;
    };
    if err.name() != NAME {
        return false;
    }
    js_sys::Reflect::get(err, &"code".into())
        .ok()
        .and_then(|code| code.as_string())
        .is_some_and(|code| ErrorCode::ALL.iter().any(|c| c.as_str() == code))
}

/// The OS CSPRNG for an entry point, or the `random_unavailable` error (src/rng.rs).
pub(crate) fn os_rng() -> Result<rand_core::OsRng, JsValue> {
    crate::rng::os_rng_checked().map_err(to_js)
}

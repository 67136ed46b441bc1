//! The thin wasm-bindgen boundary. Only this folder names `wasm_bindgen` / `js_sys`.
//!
//! It converts JavaScript values to Rust types and back, reads the JavaScript clock when the
//! caller gives no `now`, and turns [`crate::Error`] into a thrown `Error` with a `code`.
//! No crypto or message logic lives here.

mod convert;
mod error;
mod keyring;
mod messages;

use wasm_bindgen::prelude::*;

/// The mailseal version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::version().to_string()
}

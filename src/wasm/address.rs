//! E-mail addresses at the wasm boundary: the library's one address rule ([`crate::Address`])
//! for the Worker and the page, so JavaScript never lower-cases or splits an address itself.

use wasm_bindgen::prelude::*;

use super::convert;
use super::error::to_js;
use crate::Address;

/// `parseAddress(text)`: one e-mail address (a bare addr-spec, surrounding white space
/// ignored) taken apart: as written, its key (compare and look up with it), local part,
/// domain (lower-case), whether keys can be looked up for it. Throws `bad_input` when `text` is
/// not one address.
#[wasm_bindgen(js_name = parseAddress, unchecked_return_type = "ParsedAddress")]
pub fn parse_address(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<JsValue, JsValue> {
    let text = convert::string(&text, "The address")?;
    let address = Address::parse(&text).map_err(to_js)?;
    convert::to_js_value(&address.parsed())
}

/// `normalizeAddress(text)`: the key of one e-mail address, the form mailseal compares, stores
/// and looks up (ASCII lower-case: `Alice@Example.org` → `alice@example.org`; other letters
/// as written). Throws `bad_input` when `text` is not one address.
#[wasm_bindgen(js_name = normalizeAddress)]
pub fn normalize_address(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<String, JsValue> {
    let text = convert::string(&text, "The address")?;
    Address::parse(&text).map(|a| a.key()).map_err(to_js)
}

//! `headerLine` and `deliveriesMultipart` for JavaScript relays (the Worker): argument checks
//! and conversions only; the MIME and RFC 2047 work is in `crate::relay` / `crate::mime`.

use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert;
use super::error::bad_input;
use super::error::os_rng;
use crate::protect::Delivery;
use crate::report::Method;

/// `headerLine(name, text)`: unstructured text as a header value may hold it (printable ASCII
/// as it is, else RFC 2047 encoded-words of at most 75 characters), on one line: for
/// `Headers` and other APIs that take a value without line breaks (`Opened.reportHeaders`
/// on a forwarded message).
#[wasm_bindgen(js_name = headerLine)]
pub fn header_line(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<String, JsValue> {
    let name = super::convert::string(&name, "The header name")?;
    let text = super::convert::string(&text, "The header text")?;
    Ok(crate::mime::header_line(&name, &text))
}

/// `deliveriesMultipart(deliveries)` → `{ contentType, body }`: `protect`'s copies in one
/// `multipart/mixed` body, a `message/rfc822` part each with X-Mailseal-To / -Method /
/// -Signed / -Encrypted / -Problem-Report part headers (an HTTP answer that keeps each copy
/// binary).
#[wasm_bindgen(
    js_name = deliveriesMultipart,
    unchecked_return_type = "{ contentType: string; body: Uint8Array }"
)]
pub fn deliveries_multipart(
    #[wasm_bindgen(unchecked_param_type = "Delivery[]")] deliveries: JsValue,
) -> Result<JsValue, JsValue> {
    if !Array::is_array(&deliveries) {
        return Err(bad_input(
            "\"deliveries\" must be an array (Protected.deliveries).",
        ));
    }
    let list = Array::from(&deliveries)
        .iter()
        .map(delivery)
        .collect::<Result<Vec<_>, _>>()?;
    let (content_type, body) = crate::relay::deliveries_multipart(list, &mut os_rng()?);
    let out = Object::new();
    js_sys::Reflect::set(&out, &"contentType".into(), &content_type.into())?;
    js_sys::Reflect::set(
        &out,
        &"body".into(),
        &Uint8Array::from(body.as_slice()).into(),
    )?;
    Ok(out.into())
}

/// One `Delivery` as `protect` returned it.
fn delivery(value: JsValue) -> Result<Delivery, JsValue> {
    let wrong = || bad_input("Each delivery must be an object as protect returns it.");
    let obj = Some(value.dyn_into::<Object>().map_err(|_| wrong())?);
    let to = convert::field(&obj, "to");
    if !Array::is_array(&to) {
        return Err(wrong());
    }
    let to = Array::from(&to)
        .iter()
        .map(|a| a.as_string().ok_or_else(wrong))
        .collect::<Result<Vec<_>, _>>()?;
    let method = match convert::opt_string(&obj, "method")?.as_deref() {
        Some("smime") => Some(Method::Smime),
        Some("pgp") => Some(Method::Pgp),
        Some("none") | None => None,
        Some(_) => {
            return Err(bad_input(
                "A delivery's method is \"smime\", \"pgp\" or \"none\".",
            ))
        }
    };
    let flag = |name: &str| convert::opt_bool(&obj, name).map(|b| b.unwrap_or(false));
    Ok(Delivery {
        to,
        mime: convert::bytes(&convert::field(&obj, "mime"), "A delivery's mime")?.to_vec(),
        method,
        signed: flag("signed")?,
        encrypted: flag("encrypted")?,
        problem_report: flag("problemReport")?,
    })
}

//! Argument checks and conversions between JavaScript values and Rust types.

use js_sys::{Array, ArrayBuffer, Date, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use zeroize::Zeroizing;

use super::error::{bad_input, to_js};
use crate::error::Error;
use crate::policy::Policy;
use crate::secret::SecretBytes;
use crate::time::Time;

/// Bytes from a `Uint8Array`, an `ArrayBuffer` or a string (UTF-8).
pub(crate) fn bytes(value: &JsValue, what: &str) -> Result<SecretBytes, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(SecretBytes::new(s.into_bytes()));
    }
    if let Some(arr) = value.dyn_ref::<Uint8Array>() {
        return Ok(SecretBytes::new(arr.to_vec()));
    }
    if let Some(buf) = value.dyn_ref::<ArrayBuffer>() {
        return Ok(SecretBytes::new(Uint8Array::new(buf).to_vec()));
    }
    Err(bad_input(&format!(
        "{what} must be a Uint8Array, an ArrayBuffer or a string."
    )))
}

/// The length in bytes of what [`bytes`] would copy, without copying it (0 for what it
/// refuses; a string counts its UTF-16 length, a lower bound).
pub(crate) fn byte_length(value: &JsValue) -> usize {
    if let Some(arr) = value.dyn_ref::<Uint8Array>() {
        return arr.length() as usize;
    }
    if let Some(buf) = value.dyn_ref::<ArrayBuffer>() {
        return buf.byte_length() as usize;
    }
    value
        .dyn_ref::<js_sys::JsString>()
        .map_or(0, |s| s.length() as usize)
}

/// A required string argument.
pub(crate) fn string(value: &JsValue, what: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| bad_input(&format!("{what} must be a string.")))
}

/// A required secret string argument (passphrase, password), zeroized after use.
pub(crate) fn secret(value: &JsValue, what: &str) -> Result<Zeroizing<String>, JsValue> {
    string(value, what).map(Zeroizing::new)
}

/// The options object: absent, `undefined`, `null` or a plain object. The binding types it
/// as an object but JavaScript can pass anything, so check at run time.
pub(crate) fn options(value: Option<js_sys::Object>) -> Result<Option<js_sys::Object>, JsValue> {
    let Some(obj) = value else { return Ok(None) };
    let v: &JsValue = obj.as_ref();
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if !v.is_object() || v.is_function() || Array::is_array(v) {
        return Err(bad_input("The options argument must be an object."));
    }
    Ok(Some(obj))
}

/// An optional property of the options object (`undefined` when absent).
pub(crate) fn field(opts: &Option<js_sys::Object>, name: &str) -> JsValue {
    match opts {
        Some(o) => Reflect::get(o, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED),
        None => JsValue::UNDEFINED,
    }
}

/// An optional string option.
pub(crate) fn opt_string(
    opts: &Option<js_sys::Object>,
    name: &str,
) -> Result<Option<String>, JsValue> {
    let v = field(opts, name);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| bad_input(&format!("Option \"{name}\" must be a string.")))
}

/// An optional boolean option.
pub(crate) fn opt_bool(opts: &Option<js_sys::Object>, name: &str) -> Result<Option<bool>, JsValue> {
    let v = field(opts, name);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_bool()
        .map(Some)
        .ok_or_else(|| bad_input(&format!("Option \"{name}\" must be a boolean.")))
}

/// The `now` option (a `Date` or milliseconds since the epoch), else the JavaScript clock.
pub(crate) fn now(opts: &Option<js_sys::Object>) -> Result<Time, JsValue> {
    let v = field(opts, "now");
    let ms = if v.is_undefined() || v.is_null() {
        Date::now()
    } else if let Some(d) = v.dyn_ref::<Date>() {
        d.get_time()
    } else if let Some(n) = v.as_f64() {
        n
    } else {
        return Err(bad_input(
            "Option \"now\" must be a Date or a number of milliseconds.",
        ));
    };
    Time::from_unix_millis(ms).ok_or_else(|| bad_input("Option \"now\" is not a valid date."))
}

/// Serializes a Rust value to a plain JavaScript value (objects, not Maps).
pub(crate) fn to_js_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value.serialize(&ser).map_err(|_| {
        to_js(Error::internal(
            "A result could not be converted for JavaScript.",
        ))
    })
}

/// A [`Policy`] from its plain-object form. A name the policy does not have is refused: serde
/// passes over it, so a misspelled rule (`minRSABits`, `fallBack`) left the default in force
/// without a word (found by the API sweep). Names with a `null` or `undefined` value are left
/// alone (absent).
pub(crate) fn policy(v: JsValue) -> Result<Policy, JsValue> {
    let policy: Policy = serde_wasm_bindgen::from_value(v.clone())
        .map_err(|e| bad_input(&format!("The policy is not valid: {e}")))?;
    if let (Some(given), Ok(known)) = (v.dyn_ref::<js_sys::Object>(), to_js_value(&policy)) {
        let known: Vec<String> = js_sys::Object::keys(known.unchecked_ref::<js_sys::Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        for key in js_sys::Object::keys(given)
            .iter()
            .filter_map(|k| k.as_string())
        {
            let value = js_sys::Reflect::get(given, &JsValue::from_str(&key)).unwrap_or_default();
            if !value.is_null() && !value.is_undefined() && !known.contains(&key) {
                return Err(bad_input(&format!(
                    "The policy has no setting \"{key}\" (misspelled?)."
                )));
            }
        }
    }
    Ok(policy)
}

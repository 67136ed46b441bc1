//! `protect`, `open`, `ring.capabilities`, `ring.preview` and `ring.check` for JavaScript:
//! argument checks and conversions only; the flow lives in `crate::protect` / `crate::open`.

use js_sys::{Array, Date, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;

use super::convert;
use super::error::os_rng;
use super::error::{bad_input, to_js};
use super::keyring::JsKeyring;
use crate::capabilities::{capabilities, check, Addresses};
use crate::keys::Keyring;
use crate::mime::{Draft, DraftAttachment};
use crate::open::{open_owned_async, OpenOptions};
use crate::policy::Policy;
use crate::preview::preview;
use crate::protect::{protect_async, Message, MethodChoice, ProtectOptions};
use crate::secret::SecretBytes;
use crate::standards;
use crate::time::Time;

// The results (Opened, Protected, Capabilities, Readiness, ...) and Policy get their TypeScript
// from the Rust types (`derive(tsify::Tsify)` next to them). The argument shapes below stay
// hand-written: they are read field by field with more leniency than serde would give (a string
// or a list of addresses, bytes as Uint8Array | ArrayBuffer | string, Date or milliseconds), so
// no Rust type has their shape.
#[wasm_bindgen(typescript_custom_section)]
const TS_ARGUMENTS: &str = r#"
export interface Draft {
  from: string; to?: string | string[]; cc?: string | string[]; bcc?: string | string[];
  subject?: string; text?: string; html?: string;
  attachments?: { filename: string; contentType?: string; data: Uint8Array | ArrayBuffer | string }[];
  inReplyTo?: string; references?: string | string[]; date?: Date | number; messageId?: string;
  replyTo?: string | string[];
  /** Extension fields (X-…) for the message header, which encryption does not hide; values are encoded here (RFC 2047). */
  extraHeaders?: [string, string][];
}
export interface ProtectOptions extends TimeOptions {
  sign: boolean; encrypt: boolean; method?: "auto" | Method;
  protectHeaders?: boolean; encryptToSelf?: boolean;
  /** Without it, the policy stored in the keyring (Keyring.setPolicy), else the defaults. */
  policy?: Policy;
  /** The policy group the message is sent for: its defaults are the least protection it may leave with. */
  group?: string;
  /** The agent agreed to send it less protected than the group's defaults (Preview.shortfall). */
  confirmDowngrade?: boolean;
}
export interface AddressesInput { from: string; to?: string | string[]; cc?: string | string[]; bcc?: string | string[]; }
export interface CapabilityOptions extends TimeOptions {
  /** Without it, the policy stored in the keyring (Keyring.setPolicy), else the defaults. */
  policy?: Policy;
}
"#;

/// `protect(ring, message, opts)` → a Promise of `{ deliveries, warnings }`. Bad arguments
/// reject it too (nothing is thrown synchronously).
#[wasm_bindgen(unchecked_return_type = "Promise<Protected>")]
pub fn protect(
    ring: &JsKeyring,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string | Draft")]
    message: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ProtectOptions")] opts: JsValue,
) -> Promise {
    let (snapshot, finished) = ring.snapshot();
    let input = (|| {
        let opts = required_object(opts, "The options")?;
        let options = protect_options(&opts, ring.inner())?;
        let message = if is_draft(&message) {
            Input::Draft(draft(&message, options.now)?)
        } else {
            Input::Raw(convert::bytes(&message, "The message")?)
        };
        Ok::<_, JsValue>((message, options))
    })();
    let (message, options) = match input {
        Ok(input) => input,
        Err(e) => return Promise::reject(&e),
    };
    future_to_promise(async move {
        let engines = standards::all();
        let message = match &message {
            Input::Draft(d) => Message::Draft(d),
            Input::Raw(raw) => Message::Raw(raw),
        };
        let (result, event) =
            protect_async(&snapshot, &engines, message, &options, &mut os_rng()?).await;
        finished.borrow_mut().push(event);
        convert::to_js_value(&result.map_err(to_js)?)
    })
}

/// What `protect` was given, owned by its future.
enum Input {
    Draft(Draft),
    Raw(SecretBytes),
}

/// `senderAddress(raw)`: the single From address of a message from its header section alone
/// (no decryption, no audit event), or `undefined`; `open` reports the same as
/// `headers.fromAddress` unless protected headers name another From.
#[wasm_bindgen(js_name = senderAddress)]
pub fn sender_address(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] raw: JsValue,
) -> Result<Option<String>, JsValue> {
    let raw = convert::bytes(&raw, "The message")?;
    crate::open::sender_address(&raw).map_err(to_js)
}

/// `open(ring, raw, { now?, uncheckedRevocation? })` → a Promise of the security report and
/// the readable message. `uncheckedRevocation` ("pass" | "warn" | "block") overrides the
/// keyring's stored policy for a signature whose revocation could not be checked.
#[wasm_bindgen(unchecked_return_type = "Promise<Opened>")]
pub fn open(
    ring: &JsKeyring,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] raw: JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "TimeOptions & { uncheckedRevocation?: UncheckedRevocation }"
    )]
    opts: Option<Object>,
) -> Promise {
    let (snapshot, finished) = ring.snapshot();
    let input = (|| {
        let raw = convert::bytes(&raw, "The message")?;
        let opts = convert::options(opts)?;
        let mut options = OpenOptions::at(convert::now(&opts)?);
        let unchecked = convert::field(&opts, "uncheckedRevocation");
        if !unchecked.is_undefined() {
            options.unchecked_revocation =
                Some(serde_wasm_bindgen::from_value(unchecked).map_err(|_| {
                    to_js(crate::error::Error::new(
                        crate::error::ErrorCode::BadInput,
                        "uncheckedRevocation must be \"pass\", \"warn\" or \"block\".",
                    ))
                })?);
        }
        Ok::<_, JsValue>((raw, options))
    })();
    let (raw, options) = match input {
        Ok(input) => input,
        Err(e) => return Promise::reject(&e),
    };
    future_to_promise(async move {
        let engines = standards::all();
        // Handed over: a large S/MIME envelope is opened in this copy's own buffer.
        let (result, event) = open_owned_async(&snapshot, &engines, raw, &options).await;
        finished.borrow_mut().push(event);
        convert::to_js_value(&result.map_err(to_js)?)
    })
}

#[wasm_bindgen(js_class = Keyring)]
impl JsKeyring {
    /// `capabilities({ from, to, cc?, bcc? }, { policy?, now? })` → per method: can sign, can
    /// encrypt, and why not (the composer's Sign / Encrypt buttons).
    #[wasm_bindgen(unchecked_return_type = "Capabilities")]
    pub fn capabilities(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AddressesInput")] addresses: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CapabilityOptions")] opts: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        let addresses = addresses_from(&addresses)?;
        let opts = convert::options(opts)?;
        let now = convert::now(&opts)?;
        let policy = policy(&opts, self.inner())?;
        let engines = standards::all();
        let caps = capabilities(self.inner(), &engines, &policy, &addresses, now);
        convert::to_js_value(&caps)
    }

    /// `preview({ from, to, cc?, bcc? }, { sign, encrypt, method?, policy?, group?, ... })` →
    /// the composer's toggles with their reasons and what Send would do with these options:
    /// the copies, or why it is blocked, or how it falls short of the group's defaults.
    #[wasm_bindgen(unchecked_return_type = "Preview")]
    pub fn preview(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AddressesInput")] addresses: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ProtectOptions")] opts: JsValue,
    ) -> Result<JsValue, JsValue> {
        let addresses = addresses_from(&addresses)?;
        let options = protect_options(&required_object(opts, "The options")?, self.inner())?;
        let engines = standards::all();
        convert::to_js_value(&preview(self.inner(), &engines, &addresses, &options))
    }

    /// `recipientsWithoutKey(message, { policy?, now? })` → the recipients of an outgoing
    /// message (To, Cc, Bcc) that no method the policy allows can encrypt to: whom to look a key
    /// up for (`lookupRequests`) before `protect`. Reads the header section only.
    #[wasm_bindgen(js_name = recipientsWithoutKey, unchecked_return_type = "string[]")]
    pub fn recipients_without_key(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")]
        message: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CapabilityOptions")] opts: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        let raw = convert::bytes(&message, "The message")?;
        let opts = convert::options(opts)?;
        let now = convert::now(&opts)?;
        let policy = policy(&opts, self.inner())?;
        let missing = crate::protect::recipients_without_key(
            self.inner(),
            &standards::all(),
            &raw,
            &policy,
            now,
        )
        .map_err(to_js)?;
        convert::to_js_value(&missing)
    }

    /// `check({ addresses }, { policy?, now? })` → the admin's readiness self-check: which of
    /// the desk's addresses can sign / decrypt with which method, trust anchors, expiring keys.
    #[wasm_bindgen(unchecked_return_type = "Readiness")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ addresses: string[] }")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CapabilityOptions")] opts: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        let request = convert::options(request.dyn_into::<Object>().ok())?
            .ok_or_else(|| bad_input("The check needs an object { addresses: [...] }."))?;
        let addresses = string_list(&Some(request), "addresses")?;
        let opts = convert::options(opts)?;
        let now = convert::now(&opts)?;
        let policy = policy(&opts, self.inner())?;
        let readiness = check(self.inner(), &standards::all(), &policy, &addresses, now);
        convert::to_js_value(&readiness)
    }
}

fn required_object(value: JsValue, what: &str) -> Result<Option<Object>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Err(bad_input(&format!("{what} are required.")));
    }
    convert::options(value.dyn_into::<Object>().ok())
        .and_then(|o| o.ok_or_else(|| bad_input(&format!("{what} must be an object."))))
        .map(Some)
}

fn protect_options(opts: &Option<Object>, ring: &Keyring) -> Result<ProtectOptions, JsValue> {
    let sign = convert::opt_bool(opts, "sign")?
        .ok_or_else(|| bad_input("Option \"sign\" (true or false) is required."))?;
    let encrypt = convert::opt_bool(opts, "encrypt")?
        .ok_or_else(|| bad_input("Option \"encrypt\" (true or false) is required."))?;
    let mut options = ProtectOptions::new(sign, encrypt, convert::now(opts)?);
    options.method = match convert::opt_string(opts, "method")?.as_deref() {
        None | Some("auto") => MethodChoice::Auto,
        Some("smime") => MethodChoice::Smime,
        Some("pgp") => MethodChoice::Pgp,
        Some(_) => {
            return Err(bad_input(
                "Option \"method\" must be \"auto\", \"smime\" or \"pgp\".",
            ))
        }
    };
    options.protect_headers = convert::opt_bool(opts, "protectHeaders")?;
    options.encrypt_to_self = convert::opt_bool(opts, "encryptToSelf")?.unwrap_or(true);
    options.policy = policy(opts, ring)?;
    options.group = convert::opt_string(opts, "group")?;
    options.confirm_downgrade = convert::opt_bool(opts, "confirmDowngrade")?.unwrap_or(false);
    Ok(options)
}

/// The `policy` option, else the one stored in the keyring, else the defaults.
fn policy(opts: &Option<Object>, ring: &Keyring) -> Result<Policy, JsValue> {
    let v = convert::field(opts, "policy");
    if v.is_undefined() || v.is_null() {
        return Ok(ring.policy().cloned().unwrap_or_default());
    }
    convert::policy(v)
}

/// A draft is a plain object that is not bytes.
fn is_draft(value: &JsValue) -> bool {
    value.is_object()
        && !value.is_instance_of::<js_sys::Uint8Array>()
        && !value.is_instance_of::<js_sys::ArrayBuffer>()
}

/// A string or an array of strings (or nothing) as a list.
fn string_list(obj: &Option<Object>, name: &str) -> Result<Vec<String>, JsValue> {
    let v = convert::field(obj, name);
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    if let Some(s) = v.as_string() {
        return Ok(vec![s]);
    }
    if Array::is_array(&v) {
        return Array::from(&v)
            .iter()
            .map(|item| {
                item.as_string().ok_or_else(|| {
                    bad_input(&format!(
                        "\"{name}\" must be a string or an array of strings."
                    ))
                })
            })
            .collect();
    }
    Err(bad_input(&format!(
        "\"{name}\" must be a string or an array of strings."
    )))
}

fn addresses_from(value: &JsValue) -> Result<Addresses, JsValue> {
    let obj = convert::options(value.clone().dyn_into::<Object>().ok())?
        .ok_or_else(|| bad_input("The addresses must be an object { from, to, cc, bcc }."))?;
    let obj = Some(obj);
    Ok(Addresses {
        from: convert::opt_string(&obj, "from")?.unwrap_or_default(),
        to: string_list(&obj, "to")?,
        cc: string_list(&obj, "cc")?,
        bcc: string_list(&obj, "bcc")?,
    })
}

fn draft(value: &JsValue, now: Time) -> Result<Draft, JsValue> {
    let obj = Some(
        value
            .clone()
            .dyn_into::<Object>()
            .map_err(|_| bad_input("The draft must be an object."))?,
    );
    let date = convert::field(&obj, "date");
    let date = if date.is_undefined() || date.is_null() {
        None
    } else {
        let ms = date
            .dyn_ref::<Date>()
            .map(Date::get_time)
            .or_else(|| date.as_f64())
            .ok_or_else(|| bad_input("\"date\" must be a Date or milliseconds."))?;
        Some(Time::from_unix_millis(ms).ok_or_else(|| bad_input("\"date\" is not a valid date."))?)
    };
    let mut attachments = Vec::new();
    let list = convert::field(&obj, "attachments");
    if !(list.is_undefined() || list.is_null()) {
        if !Array::is_array(&list) {
            return Err(bad_input("\"attachments\" must be an array."));
        }
        // Files larger than a message mailseal opens are refused before they are copied into
        // the module's memory (700 MiB ran it out of memory; `protect` says the same later).
        let max = crate::mime::Limits::default().max_input;
        let mut total = 0usize;
        for item in Array::from(&list).iter() {
            let a = Some(
                item.dyn_into::<Object>()
                    .map_err(|_| bad_input("Each attachment must be an object."))?,
            );
            let data = convert::field(&a, "data");
            total = total.saturating_add(convert::byte_length(&data));
            if total > max {
                return Err(super::error::to_js(crate::error::Error::new(
                    crate::error::ErrorCode::TooLarge,
                    format!(
                        "The attachments are larger than the {} MiB a message mailseal opens \
                         can hold: send large files another way.",
                        max / (1024 * 1024)
                    ),
                )));
            }
            let data = convert::bytes(&data, "An attachment's data")?;
            attachments.push(DraftAttachment {
                filename: convert::opt_string(&a, "filename")?.unwrap_or_default(),
                content_type: convert::opt_string(&a, "contentType")?.unwrap_or_default(),
                data: data.into_vec(),
            });
        }
    }
    Ok(Draft {
        from: convert::opt_string(&obj, "from")?
            .ok_or_else(|| bad_input("The draft needs a \"from\" address."))?,
        to: string_list(&obj, "to")?,
        cc: string_list(&obj, "cc")?,
        bcc: string_list(&obj, "bcc")?,
        subject: convert::opt_string(&obj, "subject")?.unwrap_or_default(),
        text: convert::opt_string(&obj, "text")?,
        html: convert::opt_string(&obj, "html")?,
        attachments,
        in_reply_to: convert::opt_string(&obj, "inReplyTo")?,
        references: string_list(&obj, "references")?,
        date: date.or(Some(now)),
        message_id: convert::opt_string(&obj, "messageId")?,
        reply_to: string_list(&obj, "replyTo")?,
        extra_headers: header_pairs(&obj, "extraHeaders")?,
    })
}

/// `[name, value][]` (the shape of `Opened.reportHeaders`).
fn header_pairs(obj: &Option<Object>, name: &str) -> Result<Vec<(String, String)>, JsValue> {
    let v = convert::field(obj, name);
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    let wrong = || {
        bad_input(&format!(
            "\"{name}\" must be an array of [name, value] string pairs."
        ))
    };
    if !Array::is_array(&v) {
        return Err(wrong());
    }
    Array::from(&v)
        .iter()
        .map(|pair| {
            let pair = pair.dyn_into::<Array>().map_err(|_| wrong())?;
            match (
                pair.length(),
                pair.get(0).as_string(),
                pair.get(1).as_string(),
            ) {
                (2, Some(n), Some(v)) => Ok((n, v)),
                _ => Err(wrong()),
            }
        })
        .collect()
}

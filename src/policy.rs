//! Policy: which method for whom, what to do without a key, and algorithm choices.
//!
//! Defaults interoperate with Thunderbird, Outlook, Apple Mail, GnuPG and OpenSSL (DESIGN.md):
//! AES-256-CBC with RSA PKCS#1 v1.5 key transport, detached signatures. Newer forms are opt-in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::report::Method;

/// S/MIME content encryption.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SmimeCipher {
    /// EnvelopedData, AES-256-CBC (default: every client reads it).
    #[default]
    Aes256Cbc,
    /// EnvelopedData, AES-128-CBC.
    Aes128Cbc,
    /// AuthEnvelopedData, AES-256-GCM (RFC 5083/5084): authenticated, newer clients only.
    Aes256Gcm,
}

/// How the S/MIME content key is wrapped for RSA recipients (EC recipients always use ECDH).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SmimeKeyTransport {
    /// RSA PKCS#1 v1.5 (default for interoperability).
    #[default]
    RsaPkcs1v15,
    /// RSA-OAEP with SHA-256 (RFC 8017 / RFC 4055).
    RsaOaepSha256,
}

/// The shape of an S/MIME signed message.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SmimeSignedForm {
    /// `multipart/signed` with a detached `application/pkcs7-signature` (default: readable
    /// without S/MIME support).
    #[default]
    Detached,
    /// `application/pkcs7-mime; smime-type=signed-data`.
    Opaque,
}

/// Algorithm choices the engines honour when writing.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Algorithms {
    /// S/MIME content cipher.
    pub smime_cipher: SmimeCipher,
    /// S/MIME RSA key transport.
    pub smime_key_transport: SmimeKeyTransport,
    /// S/MIME signed form.
    pub smime_signed_form: SmimeSignedForm,
}

/// What to do for a recipient without a usable key when encryption is asked for
/// (S/Notify's "encryption fallback").
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// Refuse the whole message with `recipient_key_missing` naming the addresses (default:
    /// nothing leaves unencrypted unless the admin says so).
    #[default]
    Block,
    /// Deliver to them unencrypted (still signed if signing was asked for).
    SendPlain,
    /// Send them a short notice, without any content, that an encrypted message could not be
    /// delivered and why.
    ProblemReport,
}

/// What `open` does with a signature whose certificate's revocation could not be checked (the
/// certificate names a CRL or OCSP responder, nothing current from it is held).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UncheckedRevocation {
    /// Soft-fail, as browsers do: the verdict stands; the report says `revocation:
    /// "unchecked"` and names what to fetch.
    #[default]
    Pass,
    /// The verdict stands, with a warning sentence in its detail and in `warnings`.
    Warn,
    /// Not `valid`: `untrusted`, saying that revocation could not be checked.
    Block,
}

/// Sign / encrypt defaults of one help-desk group, for the composer's initial button state.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GroupDefaults {
    /// Sign by default.
    pub sign: bool,
    /// Encrypt by default.
    pub encrypt: bool,
    /// Preferred method for the group, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// Header protection (RFC 9788) for the group's mail; absent: on whenever the message is
    /// encrypted. `ProtectOptions.protect_headers` overrides it for one message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protect_headers: Option<bool>,
}

/// The admin's policy: S/Notify-style method priority and fallback, group defaults and
/// algorithm choices.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
// A plain object of groups (serde-wasm-bindgen also reads a Map).
#[cfg_attr(target_arch = "wasm32", tsify(hashmap_as_object))]
pub struct Policy {
    /// Methods to try, best first. One entry means that method only.
    pub method_priority: Vec<Method>,
    /// Recipients without a usable key.
    pub fallback: Fallback,
    /// Per-group defaults, by group name.
    pub groups: BTreeMap<String, GroupDefaults>,
    /// Write an `Autocrypt` header (Autocrypt Level 1) with the sender's OpenPGP key on
    /// outgoing mail when the sender has one, so that the recipients' clients learn it.
    pub autocrypt: bool,
    /// A signature whose certificate's revocation could not be checked: pass (default), warn
    /// or block.
    pub unchecked_revocation: UncheckedRevocation,
    /// Algorithm choices, flattened into the policy object.
    #[serde(flatten)]
    pub algorithms: Algorithms,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            method_priority: vec![Method::Smime, Method::Pgp],
            fallback: Fallback::default(),
            groups: BTreeMap::new(),
            autocrypt: false,
            unchecked_revocation: UncheckedRevocation::default(),
            algorithms: Algorithms::default(),
        }
    }
}

impl Policy {
    /// The methods allowed, in priority order, without duplicates (an empty list means the
    /// default order).
    pub fn methods(&self) -> Vec<Method> {
        let mut out: Vec<Method> = Vec::new();
        let wanted = if self.method_priority.is_empty() {
            Policy::default().method_priority
        } else {
            self.method_priority.clone()
        };
        for m in wanted {
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }
}

//! What `open` is given besides the message, and what it gives back: the security report,
//! the header fields and the content to show.

use serde::Serialize;

use crate::mime;
use crate::policy::UncheckedRevocation;
use crate::report::{EncryptionReport, SignatureReport};
use crate::time::Time;
use crate::warning::Warning;

/// What `open` needs besides the message.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    /// The time certificates and keys are judged at.
    pub now: Time,
    /// What a signature whose revocation could not be checked gets; `None` follows the
    /// keyring's stored policy (default: pass).
    pub unchecked_revocation: Option<UncheckedRevocation>,
}

impl OpenOptions {
    /// Judged at `now`, the rest as the keyring's policy says.
    pub fn at(now: Time) -> Self {
        OpenOptions {
            now,
            unchecked_revocation: None,
        }
    }
}

/// The header fields shown for an opened message (protected ones when the message carried
/// them).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenedHeaders {
    /// Subject.
    pub subject: Option<String>,
    /// From, as `Name <address>` or `address`; several mailboxes (or From fields) joined with
    /// `, ` (then `from_address` is absent).
    pub from: Option<String>,
    /// The one address of From (its addr-spec, lower-cased), parsed by the MIME parser: what
    /// a reply goes to. Absent when From is missing, names several mailboxes or no plausible
    /// address. Never take it from `from` with a pattern: a quoted display name can hold
    /// `<someone@else>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_address: Option<String>,
    /// To mailboxes.
    pub to: Vec<String>,
    /// Cc mailboxes.
    pub cc: Vec<String>,
    /// Date, RFC 3339.
    pub date: Option<String>,
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// In-Reply-To ids (threading a reply into its ticket).
    pub in_reply_to: Vec<String>,
    /// References ids.
    pub references: Vec<String>,
    /// The fields above came from inside the signed / encrypted part.
    pub protected: bool,
    /// The protected From differs from the outer one (shown: the protected one).
    pub from_differs: bool,
    /// The protected To / Cc differ from the outer ones.
    pub recipients_differ: bool,
    /// The fields above that the signature covers (`subject`, `from`, `to`, `cc`, `date`,
    /// `message-id`, `in-reply-to`, `references`): those present when they came from inside
    /// the signed part (protected headers), none otherwise. Beside a valid badge, a field
    /// not listed could have been changed on the way.
    pub signed_fields: Vec<String>,
    /// Mailboxes of From, Reply-To, To and Cc that mislead the eye: mixed alphabets, a display
    /// name holding another address. Each also has a sentence in `warnings`.
    pub address_flags: Vec<mime::AddressFlag>,
}

/// Bytes that reach JavaScript as a `Uint8Array`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SerializedBytes(#[serde(with = "serde_bytes")] pub Vec<u8>);

/// An attachment of an opened message.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenedAttachment {
    /// File name.
    pub filename: String,
    /// `type/subtype`.
    pub content_type: String,
    /// The bytes.
    #[serde(with = "serde_bytes")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Uint8Array"))]
    pub data: Vec<u8>,
    /// Inside what the message's signature covers. False for every file of an unsigned
    /// message, and for a file beside an inline-PGP block that the block's signer did not
    /// sign itself: the page must label it as an unsigned part.
    pub signed: bool,
}

/// The result of `open`: the security report and what the agent sees.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Opened {
    /// Encryption: none, decrypted, no_key, failed.
    pub encryption: EncryptionReport,
    /// Signature verdict, bound to the sender, with its scope.
    pub signature: SignatureReport,
    /// Header fields to show.
    pub headers: OpenedHeaders,
    /// Displayed plain text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Displayed HTML (not sanitised: the page must sanitise or sandbox it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Attachments, including nested cryptographic parts (unopened).
    pub attachments: Vec<OpenedAttachment>,
    /// S/MIME: the certificates a validly signed message, or a certificates-only message,
    /// carried (DER). `Keyring::learn_certificates` keeps the sender's; empty for anything
    /// else (an invalid or someone else's signature teaches nothing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "Uint8Array[]"))]
    pub certificates: Vec<SerializedBytes>,
    /// The sender's key offered in an `Autocrypt` header, under Autocrypt's rules
    /// (`Keyring::learn_autocrypt` takes it); absent when there is none to take.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub autocrypt: Option<crate::keys::autocrypt::AutocryptOffer>,
    /// The displayed text only, for quoting in a reply.
    pub quote_for_reply: String,
    /// Remarks for the agent (nested encrypted parts, unencrypted text around an inline
    /// message, ...).
    pub warnings: Vec<Warning>,
    /// What to fetch to judge the S/MIME signer's certificate: its (and its CAs') OCSP
    /// answers or CRLs when `signature.revocation` is `unchecked`, or a CA certificate missing
    /// from its path (AIA caIssuers) when it is `untrusted` for that reason. Hand each answer
    /// to `Keyring::import_revocation` with its request, then open the message again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub revocation_requests: Vec<crate::keys::RevocationRequest>,
    /// The report above as `X-Mailseal-*` header fields, (name, value), for a relay that
    /// passes the message on (crate::relay): values are one line of unstructured text, to be
    /// encoded where they are written (`Draft::extra_headers` does; `headerLine` for JS).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "[string, string][]"))]
    pub report_headers: crate::relay::ReportHeaders,
}

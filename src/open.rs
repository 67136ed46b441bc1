//! Incoming mail: detect → decrypt → verify → one security report and a readable message.
//!
//! Rules that keep the verdicts honest (DESIGN.md, issue "protect / open"):
//!
//! - Only the top-level cryptographic layer is opened, with at most one signature wrapper
//!   around or inside one encryption layer (sign-then-encrypt and encrypt-then-sign).
//!   Encrypted or signed parts nested inside ordinary multiparts are listed as attachments and
//!   never decrypted (EFAIL direct exfiltration, "Re: What's up Johnny?" reply oracle).
//! - A signature is `valid` only when it covers everything displayed (`scope: "whole"`) and is
//!   bound to the single From address; anything less is reported as such and never valid.
//! - Decrypted content whose cipher has no integrity protection (S/MIME AES-CBC) is
//!   `authenticated: false` unless a valid signature inside the encryption covers it.
//! - When decryption fails no content is returned at all.

use std::cell::OnceCell;

use serde::Serialize;

use crate::crypto::provider::{self, now_or_never};
use crate::engine::{Engine, ReadContext};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{AuditEvent, Keyring};
use crate::mime::{
    self, read_protected, readable, Detected, HeaderView, Layer, Limits, MimeTree, NestedKind,
    PgpForm, SmimeKind,
};
use crate::policy::UncheckedRevocation;
use crate::report::{
    EncryptionReport, EncryptionState, Method, RevocationCheck, Scope, SignatureReport,
    SignatureState,
};
use crate::secret::SecretBytes;
use crate::standards;
use crate::time::Time;

/// Most cryptographic layers removed from one message (encryption + signature + one spare
/// for the signature of encrypt-then-sign inside sign-then-encrypt).
const MAX_LAYERS: usize = 3;

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
    /// From, as `Name <address>` or `address`.
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

/// The result of `open` ([`open()`]): the security report and what the agent sees.
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
    pub warnings: Vec<String>,
    /// What to fetch to judge the S/MIME signer's certificate: its (and its CAs') OCSP
    /// answers or CRLs when `signature.revocation` is `unchecked`, or a CA certificate missing
    /// from its path (AIA caIssuers) when it is `untrusted` for that reason. Hand each answer
    /// to `Keyring::import_revocation` with its request, then open the message again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub revocation_requests: Vec<crate::keys::RevocationRequest>,
}

/// Opens `raw` (a whole RFC 5322 message) with the keys of `ring` and the given engines,
/// and records an audit event (no content) in the keyring's log. `Err` only for input that is
/// not a message at all or exceeds limits; everything else is a verdict in the report.
///
/// Synchronous: for native code and wherever the crypto provider is (RustCrypto, node:crypto).
/// Where it is asynchronous (WebCrypto in a browser) this is `internal` and [`open_async`] is
/// the way.
pub fn open(
    ring: &mut Keyring,
    engines: &[&dyn Engine],
    raw: &[u8],
    opts: &OpenOptions,
) -> Result<Opened> {
    let (result, event) = now_or_never(open_async(ring, engines, raw, opts)).unwrap_or_else(|| {
        let result = Err(provider::needs_async());
        let event = audit(opts.now, raw, &result);
        (result, event)
    });
    ring.record(event);
    result
}

/// The single From address of `raw` (lower-cased addr-spec), read from its header section
/// alone: no decryption, no verification, no audit event. What a relay needs to know who sends;
/// `open` reports the same (`headers.from_address`) unless protected headers inside a
/// cryptographic layer name another From. `None` when From is missing, names several mailboxes
/// or no plausible address.
pub fn sender_address(raw: &[u8]) -> Result<Option<String>> {
    let (tree, _) = MimeTree::parse_head(raw, &Limits::default())?;
    Ok(mime::sender(&tree).address().map(str::to_string))
}

/// [`open`] for a runtime whose crypto is asynchronous. The keyring is only read while the
/// future runs; the audit event comes back with the result, for the caller to
/// [`Keyring::record`].
pub async fn open_async(
    ring: &Keyring,
    engines: &[&dyn Engine],
    raw: &[u8],
    opts: &OpenOptions,
) -> (Result<Opened>, AuditEvent) {
    let result = open_message(ring, engines, raw, opts).await;
    let event = audit(opts.now, raw, &result);
    (result, event)
}

async fn open_message(
    ring: &Keyring,
    engines: &[&dyn Engine],
    raw: &[u8],
    opts: &OpenOptions,
) -> Result<Opened> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::new(ErrorCode::BadInput, "The message is empty."));
    }
    let limits = Limits::default();
    let outer = MimeTree::parse(raw, &limits)?;
    let outer_view = HeaderView::of(&outer);
    let sender = mime::sender(&outer).address().map(str::to_string);
    let autocrypt = crate::keys::autocrypt::offer(
        &outer.header_values(0, "autocrypt"),
        sender.as_deref(),
        outer_view.date.as_deref(),
    );
    let ctx = ReadContext::at(opts.now);

    let mut encryption = EncryptionReport::none();
    let mut signature = SignatureReport::none();
    let mut scope = Scope::Whole;
    let mut signed_inside_encryption = false;
    let mut warnings = Vec::new();
    // What each peeled layer revealed, kept for the rest of the call so that parsed trees can
    // borrow it: every entity is parsed once (a 1 MiB attachment is decoded once, not thrice).
    // Decrypted content is taken over as it is (not copied) and wiped when the call ends.
    let revealed: [OnceCell<SecretBytes>; MAX_LAYERS] = Default::default();
    let mut free_slots = revealed.iter();
    let mut reveal = |bytes: SecretBytes| {
        free_slots
            .next()
            .map(|slot| slot.get_or_init(|| bytes).as_slice())
    };
    // The entity currently being looked at; `None` once content is withheld.
    let mut content: Option<&[u8]> = Some(raw);
    // The parsed `content`; the outer message is already parsed.
    let mut parsed = Some(outer);
    let mut peeled = 0;
    // Files sent beside an inline OpenPGP text (Enigmail, Mailvelope), opened on their own,
    // and whether any of them is not covered by the text's signature.
    let mut beside_inline = Vec::new();
    let mut uncovered_files = false;
    // Certificates the last S/MIME SignedData carried, and whether it was a bare bundle.
    let mut carried: Vec<Vec<u8>> = Vec::new();
    let mut certs_only = false;
    // The text part whose armored block could not be read, shown as plain text.
    let mut unreadable_part = None;

    while let Some(current) = content {
        let tree = match parsed.take() {
            Some(tree) => tree,
            None => MimeTree::parse_content(current, &limits)?,
        };
        let Detected { layer, nested } = mime::detect(&tree);
        parsed = Some(tree);
        if peeled >= MAX_LAYERS {
            if layer != Layer::Plain {
                warnings.push("Further protected layers were not opened.".to_string());
            }
            break;
        }
        if layer == Layer::Plain {
            note_nested(&nested, &mut warnings);
            if signature.state == SignatureState::None && has_nested_signature(&nested) {
                scope = Scope::Partial;
                signature.detail = Some(
                    "Only a part of this message is signed; the message is shown as unsigned."
                        .to_string(),
                );
            }
            break;
        }
        let method = layer.method();
        let engine = method.and_then(|m| engines.iter().copied().find(|e| e.method() == m));
        let is_encryption = layer.is_encryption();
        // One encryption layer and one signature layer at most.
        if (is_encryption && encryption.state != EncryptionState::None)
            || (!is_encryption
                && !matches!(layer, Layer::Malformed { .. })
                && signature.state != SignatureState::None)
        {
            warnings.push("Further protected layers were not opened.".to_string());
            break;
        }
        let Some(engine) = engine else {
            not_enabled(&layer, &mut encryption, &mut signature);
            if is_encryption {
                // As when decryption fails: nothing of an unopened envelope is shown.
                content = None;
            }
            break;
        };
        peeled += 1;
        match layer {
            Layer::Plain => break,
            Layer::Malformed { method, detail } => {
                // Claimed protection that cannot be read safely is never shown as protected.
                signature = SignatureReport {
                    state: SignatureState::Invalid,
                    method,
                    detail: Some(detail),
                    ..SignatureReport::none()
                };
                break;
            }
            Layer::SmimeMime {
                kind: SmimeKind::Signed,
                payload,
                part,
            } => {
                let payload = payload.bytes(parsed.as_ref(), part);
                let v = engine.verify_opaque(ring, payload, &ctx).await?;
                carried = v.certificates;
                if v.report.state == SignatureState::None {
                    // A SignedData without signers is a certificate bundle (`certs-only`,
                    // RFC 8551 §3.8): an attachment of an unsigned message, not a layer.
                    warnings.push(
                        "The message carries certificates only; it is not signed.".to_string(),
                    );
                    certs_only = true;
                    break;
                }
                signature = v.report;
                signed_inside_encryption = encryption.state == EncryptionState::Decrypted;
                content = v.content.map(SecretBytes::new).and_then(&mut reveal);
                parsed = None;
            }
            Layer::SmimeMime {
                kind: SmimeKind::Enveloped | SmimeKind::AuthEnveloped,
                payload,
                part,
            } => {
                let payload = payload.bytes(parsed.as_ref(), part);
                let d = engine.decrypt(ring, payload, &ctx).await?;
                encryption = d.report;
                // Old Outlook: a bare SignedData inside the envelope, verified by the engine.
                if let Some(s) = d.signature {
                    signature = s;
                    signed_inside_encryption = true;
                }
                content = d.content.and_then(&mut reveal);
                parsed = None;
            }
            Layer::SmimeMime { kind, .. } => {
                let what = if kind == SmimeKind::Compressed {
                    "compressed S/MIME data"
                } else {
                    "this kind of S/MIME data"
                };
                warnings.push(format!("mailseal does not read {what}."));
                break;
            }
            Layer::PgpMessage {
                form,
                payload,
                part,
            } => {
                let inline = matches!(form, PgpForm::Inline { .. });
                let payload = payload.bytes(parsed.as_ref(), part);
                let d = match engine.decrypt(ring, payload, &ctx).await {
                    Err(e) if inline && e.code() == ErrorCode::MalformedMessage => {
                        // Text that only looks like an OpenPGP message (a pasted fragment, a
                        // placeholder): shown as the unprotected text it is.
                        unreadable_block(&mut signature, &mut warnings, "PGP message");
                        unreadable_part = Some(part);
                        break;
                    }
                    d => d?,
                };
                if let PgpForm::Inline { partial: true, .. } = form {
                    warnings.push(
                        "Text outside the encrypted block was not encrypted and is not shown."
                            .to_string(),
                    );
                }
                if let Some(s) = d.signature {
                    signature = s;
                    signed_inside_encryption = true;
                }
                // A signed-only OpenPGP message comes back without an encryption state.
                if d.report.state != EncryptionState::None {
                    encryption = d.report;
                }
                if inline && d.content.is_some() {
                    if let Some(tree) = parsed.as_ref() {
                        let mut files = files_beside_inline(tree, part, engine, ring, &ctx).await;
                        files.mark_signed_by(signature.signer.as_ref());
                        uncovered_files |= files.attachments.iter().any(|a| !a.signed);
                        warnings.extend(files.warnings);
                        beside_inline = files.attachments;
                    }
                }
                content = d.content.and_then(|c| {
                    reveal(match &form {
                        PgpForm::Inline { charset, .. } => SecretBytes::new(text_entity(
                            &c,
                            Some(inline_text_charset(&c, charset.as_deref())),
                        )),
                        _ => c,
                    })
                });
                parsed = None;
            }
            Layer::SmimeSigned(detached) | Layer::PgpSigned(detached) => {
                let v = engine
                    .verify_detached(ring, &detached.signed_crlf(), &detached.signature, &ctx)
                    .await?;
                signature = v.report;
                carried = v.certificates;
                signed_inside_encryption = encryption.state == EncryptionState::Decrypted;
                // What is shown from here on is the signed part alone: its sub-tree of the
                // parse already made (no second decoding of its attachments).
                parsed = parsed
                    .as_ref()
                    // The parse `detect` took the part from: the same range is the same
                    // bytes (comparing 1 MiB of them was 0.5 ms of every open).
                    .filter(|tree| {
                        tree.part(detached.signed_part).is_some_and(|p| {
                            p.range == detached.signed_range
                                && p.range.len() == detached.signed.len()
                        })
                    })
                    .and_then(|tree| tree.subtree(detached.signed_part));
                content = reveal(SecretBytes::new(detached.signed));
            }
            Layer::PgpCleartext {
                armored,
                partial,
                charset,
                part,
            } => {
                let v = match engine.verify_opaque(ring, &armored, &ctx).await {
                    Err(e) if e.code() == ErrorCode::MalformedMessage => {
                        unreadable_block(&mut signature, &mut warnings, "PGP signed text");
                        unreadable_part = Some(part);
                        break;
                    }
                    v => v?,
                };
                signature = v.report;
                signed_inside_encryption = encryption.state == EncryptionState::Decrypted;
                if partial {
                    scope = Scope::Partial;
                    warnings.push(
                        "Text outside the signed block is not shown: it is not signed.".to_string(),
                    );
                }
                content = v
                    .content
                    .and_then(|t| reveal(SecretBytes::new(text_entity(&t, charset.as_deref()))));
                parsed = None;
            }
        }
    }

    if uncovered_files && signature.state != SignatureState::None {
        scope = Scope::Partial;
    }
    // Sender binding: the single From address must be the signer's.
    signature = signature.bind_sender(sender.as_deref());
    // An unsigned message with a signed part inside is reported as partially signed too, so
    // the page can say why it is shown as unsigned ("Johnny, you are fired", MIME wrapping).
    if signature.state != SignatureState::None || scope == Scope::Partial {
        signature.scope = Some(scope);
    }
    if scope == Scope::Partial && signature.state == SignatureState::Valid {
        signature.state = SignatureState::Invalid;
        signature.detail = Some("Only a part of this message is signed by its sender.".to_string());
    }

    unchecked_revocation(
        &mut signature,
        &mut warnings,
        opts.unchecked_revocation
            .or_else(|| ring.policy().map(|p| p.unchecked_revocation))
            .unwrap_or_default(),
    );
    let revocation_requests = std::mem::take(&mut signature.revocation_requests);

    let mut headers = opened_headers(&outer_view, false);
    let mut protected_fields = Vec::new();
    let mut opened = Opened {
        encryption,
        signature,
        headers: OpenedHeaders::default(),
        text: None,
        html: None,
        attachments: Vec::new(),
        certificates: Vec::new(),
        autocrypt,
        quote_for_reply: String::new(),
        warnings,
        revocation_requests,
    };
    // The loop leaves `parsed` as the parse of the final `content`.
    if let Some(tree) = parsed.filter(|_| content.is_some()) {
        if peeled > 0 {
            if let Some(p) = read_protected(&tree, &outer_view) {
                let outer = headers;
                headers = opened_headers(&p.view, true);
                // What the signature covers is what the protected section holds, nothing else.
                protected_fields = shown_fields(&headers);
                with_outer_fallback(&mut headers, outer);
                headers.from_differs = p.from_differs;
                headers.recipients_differ = p.recipients_differ;
                if p.from_differs && opened.signature.state == SignatureState::Valid {
                    // The signed From is not the one the message arrived with.
                    opened.signature.state = SignatureState::SenderMismatch;
                    opened.signature.detail =
                        Some("This message was not signed by its sender.".to_string());
                }
            }
        }
        let signed_content = opened.signature.state != SignatureState::None;
        let r = match unreadable_part {
            Some(part) => mime::readable_showing(&tree, part),
            None => readable(&tree),
        };
        opened.text = r.text;
        opened.html = r.html;
        opened.quote_for_reply = r.quote_for_reply;
        opened.attachments = r
            .attachments
            .into_iter()
            .map(|a| OpenedAttachment {
                filename: a.filename,
                content_type: a.content_type,
                data: a.data,
                // What is shown is the signed part, when there is a signature.
                signed: signed_content,
            })
            .collect();
        opened.attachments.extend(beside_inline);
    }
    if headers.protected && opened.signature.state != SignatureState::None {
        headers.signed_fields = protected_fields;
    }
    opened.warnings.extend(
        headers
            .address_flags
            .iter()
            .map(mime::AddressFlag::sentence),
    );
    opened.headers = headers;
    // Only a valid signature (bound to the sender) or a bare bundle teaches certificates.
    if certs_only || opened.signature.is_valid() {
        opened.certificates = carried.into_iter().map(SerializedBytes).collect();
    }
    // Only now is the verdict final (the protected From may have differed): an inner signature
    // vouches for unauthenticated ciphertext (S/MIME AES-CBC) only when it is `valid`.
    if opened.encryption.state == EncryptionState::Decrypted
        && opened.encryption.authenticated == Some(false)
        && signed_inside_encryption
        && opened.signature.is_valid()
    {
        opened.encryption.authenticated = Some(true);
    }
    Ok(opened)
}

/// The verdict on a layer no given engine reads: the standard is left out of this build
/// (`mailseal/smime`, `mailseal/openpgp`) or not passed to [`open`]. An envelope is `failed`
/// (encrypted, not opened), a signature `invalid`: never shown as protected, never as valid.
fn not_enabled(layer: &Layer, encryption: &mut EncryptionReport, signature: &mut SignatureReport) {
    let Some(method) = layer.method() else {
        *signature = SignatureReport {
            state: SignatureState::Invalid,
            detail: Some("This message could not be read.".to_string()),
            ..SignatureReport::none()
        };
        return;
    };
    let mut detail = format!(
        "This message uses {}, which is not enabled.",
        standards::name(method)
    );
    if !standards::enabled(method) {
        detail = format!("{detail} {}", standards::not_enabled(method));
    }
    if layer.is_encryption() {
        *encryption = EncryptionReport::new(method, EncryptionState::Failed, detail);
    } else {
        *signature = SignatureReport {
            state: SignatureState::Invalid,
            method: Some(method),
            detail: Some(detail),
            ..SignatureReport::none()
        };
    }
}

fn has_nested_signature(nested: &[mime::Nested]) -> bool {
    nested
        .iter()
        .any(|n| matches!(n.kind, NestedKind::SmimeSigned | NestedKind::PgpSigned))
}

fn note_nested(nested: &[mime::Nested], warnings: &mut Vec<String>) {
    let encrypted = nested.iter().any(|n| {
        matches!(
            n.kind,
            NestedKind::PgpEncrypted | NestedKind::PgpInline | NestedKind::SmimeMime
        )
    });
    if encrypted {
        warnings.push(
            "This message contains an encrypted part inside an unencrypted message; it was not \
             decrypted and is listed as an attachment."
                .to_string(),
        );
    }
}

/// The files of a `multipart/mixed` beside its inline OpenPGP text (`layer_part`), as
/// Enigmail and Mailvelope send them: each file encrypted (and signed) on its own as
/// `name.pgp` / `name.gpg` / armored `name.asc`, decrypted here with the same keys. Files that
/// are not encrypted, or do not decrypt, are kept as received, with a warning.
async fn files_beside_inline(
    tree: &MimeTree<'_>,
    layer_part: mime::PartId,
    engine: &dyn Engine,
    ring: &Keyring,
    ctx: &ReadContext,
) -> BesideInline {
    let mut out = BesideInline::default();
    let Some(layer_top) = tree
        .root()
        .children
        .iter()
        .copied()
        .find(|&c| c == layer_part || tree.is_inside(layer_part, c))
    else {
        return out;
    };
    let files = mime::readable(tree).attachments;
    let beside = |id: mime::PartId| id != layer_top && !tree.is_inside(id, layer_top);
    // Text parts beside the block (what `readable` would display) stay hidden: an attacker's
    // HTML next to a decrypted text is the EFAIL direct exfiltration.
    let hidden_text = tree
        .parts()
        .iter()
        .any(|p| p.children.is_empty() && beside(p.id) && !files.iter().any(|f| f.part == p.id));
    if hidden_text {
        out.warnings.push(
            "Text outside the encrypted block was not encrypted and is not shown.".to_string(),
        );
    }
    for file in files.into_iter().filter(|f| beside(f.part)) {
        let name = file.filename;
        let Some(plain_name) = mime::encrypted_file_name(&name, &file.data) else {
            out.warnings
                .push(format!("The attachment \"{name}\" was not encrypted."));
            out.signatures.push(None);
            out.attachments.push(OpenedAttachment {
                filename: name,
                content_type: file.content_type,
                data: file.data,
                signed: false,
            });
            continue;
        };
        match engine.decrypt(ring, &file.data, ctx).await {
            Ok(d) if d.report.state == EncryptionState::Decrypted => {
                out.signatures.push(d.signature);
                out.attachments.push(OpenedAttachment {
                    filename: plain_name,
                    content_type: "application/octet-stream".to_string(),
                    data: d.content.map(|c| c.to_vec()).unwrap_or_default(),
                    signed: false, // until mark_signed_by
                });
            }
            _ => {
                out.warnings.push(format!(
                    "The attachment \"{name}\" could not be decrypted; it is listed as received."
                ));
                out.signatures.push(None);
                out.attachments.push(OpenedAttachment {
                    filename: name,
                    content_type: file.content_type,
                    data: file.data,
                    signed: false,
                });
            }
        }
    }
    out
}

/// What [`files_beside_inline`] found.
#[derive(Default)]
struct BesideInline {
    attachments: Vec<OpenedAttachment>,
    /// Each attachment's own signature (`None`: not signed, not encrypted or not decrypted).
    signatures: Vec<Option<SignatureReport>>,
    warnings: Vec<String>,
}

impl BesideInline {
    /// Marks the files that carry a valid signature by `signer`, the key that signed the text:
    /// only those does the text's verdict speak for.
    fn mark_signed_by(&mut self, signer: Option<&crate::report::Signer>) {
        for (file, own) in self.attachments.iter_mut().zip(&self.signatures) {
            file.signed = signer.is_some_and(|signer| {
                own.as_ref().is_some_and(|s| {
                    s.state == SignatureState::Valid
                        && s.signer.as_ref().is_some_and(|f| f.key_id == signer.key_id)
                })
            });
        }
    }
}

/// The policy for a valid S/MIME signature whose certificate's revocation could not be
/// checked (soft-fail by default, like the browsers).
fn unchecked_revocation(
    signature: &mut SignatureReport,
    warnings: &mut Vec<String>,
    policy: UncheckedRevocation,
) {
    if signature.revocation != Some(RevocationCheck::Unchecked)
        || signature.state != SignatureState::Valid
    {
        return;
    }
    let why = if signature.revocation_requests.is_empty() {
        "the OCSP responder does not know the signer's certificate"
    } else {
        "nothing current from its CA's CRL or OCSP responder is held"
    };
    match policy {
        UncheckedRevocation::Pass => {}
        UncheckedRevocation::Warn => {
            let sentence =
                format!("The revocation of the signer's certificate could not be checked: {why}.");
            signature.detail = Some(format!(
                "{} {sentence}",
                signature
                    .detail
                    .as_deref()
                    .unwrap_or("The signature is valid.")
            ));
            warnings.push(sentence);
        }
        UncheckedRevocation::Block => {
            signature.state = SignatureState::Untrusted;
            signature.detail = Some(format!(
                "The signature is not trusted: the revocation of the signer's certificate could \
                 not be checked ({why}), and the policy requires it."
            ));
        }
    }
}

/// An inline armored block that cannot be read: the text it sits in is shown as received, and
/// never as signed (RFC 9580 §7: a cleartext signature that cannot be checked is no signature).
fn unreadable_block(signature: &mut SignatureReport, warnings: &mut Vec<String>, what: &str) {
    *signature = SignatureReport {
        state: SignatureState::Invalid,
        method: Some(Method::Pgp),
        detail: Some(format!(
            "The {what} in this message could not be read; the text is shown as received, \
             unprotected."
        )),
        ..SignatureReport::none()
    };
    warnings.push(format!("The {what} in this message could not be read."));
}

/// The charset of text decrypted from an inline block: what the armor or the part declares
/// (clients encrypt the text as encoded there), else UTF-8 when it is UTF-8, else
/// windows-1252 (the Latin-1 of older clients, as WHATWG decodes it).
fn inline_text_charset<'a>(text: &[u8], declared: Option<&'a str>) -> &'a str {
    let utf8 = std::str::from_utf8(text).is_ok();
    let is_utf8_name = |c: &str| c.eq_ignore_ascii_case("utf-8") || c.eq_ignore_ascii_case("utf8");
    match declared.map(str::trim) {
        // Declared UTF-8 but not UTF-8: the sender's client mislabelled Latin-1 text.
        Some(c) if is_utf8_name(c) && !utf8 => "windows-1252",
        Some(c) if !c.is_empty() && !c.eq_ignore_ascii_case("us-ascii") => c,
        _ if utf8 => "utf-8",
        _ => "windows-1252",
    }
}

/// A `text/plain` entity around text that came out of an inline OpenPGP block.
fn text_entity(text: &[u8], charset: Option<&str>) -> Vec<u8> {
    let charset = charset
        .filter(|c| {
            c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
        .unwrap_or("utf-8");
    let mut out =
        format!("Content-Type: text/plain; charset=\"{charset}\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
            .into_bytes();
    out.extend_from_slice(text);
    out
}

fn opened_headers(view: &HeaderView, protected: bool) -> OpenedHeaders {
    let list = |v: &[mime::Mailbox]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    OpenedHeaders {
        subject: view.subject.clone(),
        from: view.from.first().map(ToString::to_string),
        from_address: match view.from.as_slice() {
            [one] => crate::Address::parse(&one.address).ok().map(|a| a.key()),
            _ => None,
        },
        to: list(&view.to),
        cc: list(&view.cc),
        date: view.date.clone(),
        message_id: view.message_id.clone(),
        in_reply_to: view.in_reply_to.clone(),
        references: view.references.clone(),
        protected,
        from_differs: false,
        recipients_differ: false,
        signed_fields: Vec::new(),
        address_flags: mime::address_flags(view),
    }
}

/// Fields a protected header section leaves out are shown from the outer header, as RFC 9788
/// §4.10 renders them: Thunderbird and Enigmail protect Subject, From, To and Message-ID but
/// keep Date (and the threading fields) outside. They are not listed as signed.
fn with_outer_fallback(headers: &mut OpenedHeaders, outer: OpenedHeaders) {
    if headers.date.is_none() {
        headers.date = outer.date;
    }
    if headers.message_id.is_none() {
        headers.message_id = outer.message_id;
    }
    if headers.in_reply_to.is_empty() {
        headers.in_reply_to = outer.in_reply_to;
    }
    if headers.references.is_empty() {
        headers.references = outer.references;
    }
    if headers.cc.is_empty() {
        headers.cc = outer.cc;
    }
}

/// The names of the fields `headers` shows.
fn shown_fields(headers: &OpenedHeaders) -> Vec<String> {
    let present = [
        ("subject", headers.subject.is_some()),
        ("from", headers.from.is_some()),
        ("to", !headers.to.is_empty()),
        ("cc", !headers.cc.is_empty()),
        ("date", headers.date.is_some()),
        ("message-id", headers.message_id.is_some()),
        ("in-reply-to", !headers.in_reply_to.is_empty()),
        ("references", !headers.references.is_empty()),
    ];
    present
        .into_iter()
        .filter(|(_, shown)| *shown)
        .map(|(name, _)| name.to_string())
        .collect()
}

/// The audit event of one `open`: who and which keys, never content or subject.
fn audit(now: Time, raw: &[u8], result: &Result<Opened>) -> AuditEvent {
    let mut event = AuditEvent::key_management(now, "open", &[]);
    match result {
        Ok(o) => {
            event.method = o
                .encryption
                .method
                .or(o.signature.method)
                .map(|m| m.as_str().to_string());
            event.outcome = match (o.encryption.state, o.signature.state) {
                (EncryptionState::Failed | EncryptionState::NoKey, _) => "error",
                (_, SignatureState::None | SignatureState::Valid) => "ok",
                _ => "warning",
            }
            .to_string();
            event.code = match o.encryption.state {
                EncryptionState::Failed => Some("decryption_failed".to_string()),
                EncryptionState::NoKey => Some("no_private_key".to_string()),
                _ if !matches!(
                    o.signature.state,
                    SignatureState::None | SignatureState::Valid
                ) =>
                {
                    serde_json::to_value(o.signature.state)
                        .ok()
                        .and_then(|v| v.as_str().map(|s| format!("signature_{s}")))
                }
                _ => None,
            };
            event.message_id = o.headers.message_id.clone();
            event.addresses = o
                .signature
                .signer
                .as_ref()
                .map(|s| s.emails.clone())
                .unwrap_or_default();
            event.key_ids = [
                o.encryption.key_id.clone(),
                o.signature.signer.as_ref().map(|s| s.key_id.clone()),
            ]
            .into_iter()
            .flatten()
            .collect();
        }
        Err(e) => {
            event.outcome = "error".to_string();
            event.code = Some(e.code().as_str().to_string());
            // The Message-ID is not content; take it when the header still parses.
            event.message_id = MimeTree::parse_head(raw, &Limits::default())
                .ok()
                .and_then(|(t, _)| HeaderView::of(&t).message_id);
        }
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_plain(raw: &str) -> (Opened, Keyring) {
        let mut ring = Keyring::new();
        let opts = OpenOptions::at(Time::from_unix(1_796_083_200));
        let o = open(&mut ring, &[], raw.as_bytes(), &opts).unwrap();
        (o, ring)
    }

    /// A quoted display name may hold an address of its own; the parsed addr-spec is the
    /// real one, and several From mailboxes give none (issue 13: the Worker's Reply-To).
    #[test]
    fn from_address_is_the_parsed_addr_spec() {
        let (o, _) = open_plain(
            "From: \"Alice <attacker@evil.example>\" <Alice@Example.com>\r\nTo: d@example.com\r\n\r\nHi\r\n",
        );
        assert_eq!(o.headers.from_address.as_deref(), Some("alice@example.com"));
        let (o, _) =
            open_plain("From: a@example.com, b@example.com\r\nTo: d@example.com\r\n\r\nHi\r\n");
        assert_eq!(o.headers.from_address, None);
    }

    #[test]
    fn a_plain_message_is_neither_encrypted_nor_signed() {
        let (o, ring) = open_plain(
            "From: Alice <alice@example.com>\r\nTo: desk@example.com\r\nSubject: Hi\r\n\
             Message-ID: <1@example.com>\r\n\r\nHello\r\n",
        );
        assert_eq!(o.encryption.state, EncryptionState::None);
        assert_eq!(o.signature.state, SignatureState::None);
        assert_eq!(o.text.as_deref().map(str::trim), Some("Hello"));
        assert_eq!(o.headers.subject.as_deref(), Some("Hi"));
        assert_eq!(o.headers.from.as_deref(), Some("Alice <alice@example.com>"));
        assert_eq!(o.headers.from_address.as_deref(), Some("alice@example.com"));
        assert!(!o.headers.protected);
        let event = ring.recent_log().last().unwrap();
        assert_eq!(event.action, "open");
        assert_eq!(event.message_id.as_deref(), Some("1@example.com"));
    }

    #[test]
    fn a_signed_part_inside_an_unsigned_message_is_partial_and_not_valid() {
        let (o, _) = open_plain(
            "From: alice@example.com\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n\
             --o\r\nContent-Type: text/plain\r\n\r\nUnsigned text added by anyone\r\n\
             --o\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; \
             micalg=sha-256; boundary=\"s\"\r\n\r\n--s\r\nContent-Type: text/plain\r\n\r\nsigned\r\n\
             --s\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\n\
             MAA=\r\n--s--\r\n--o--\r\n",
        );
        assert_ne!(o.signature.state, SignatureState::Valid);
        assert!(o.signature.detail.as_deref().unwrap_or("").contains("part"));
    }

    #[test]
    fn a_protected_layer_without_its_engine_is_never_valid() {
        let (o, _) = open_plain(
            "From: alice@example.com\r\nContent-Type: multipart/signed; \
             protocol=\"application/pgp-signature\"; micalg=pgp-sha256; boundary=\"s\"\r\n\r\n\
             --s\r\nContent-Type: text/plain\r\n\r\nsigned\r\n--s\r\n\
             Content-Type: application/pgp-signature\r\n\r\n-----BEGIN PGP SIGNATURE-----\r\n\r\n\
             -----END PGP SIGNATURE-----\r\n--s--\r\n",
        );
        assert_eq!(o.signature.state, SignatureState::Invalid);
    }

    #[test]
    fn empty_input_is_bad_input_and_logged() {
        let mut ring = Keyring::new();
        let opts = OpenOptions::at(Time::from_unix(0));
        let err = open(&mut ring, &[], b"  \r\n", &opts).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BadInput);
        assert_eq!(ring.recent_log().last().unwrap().outcome, "error");
    }
}

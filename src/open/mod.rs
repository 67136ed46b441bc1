//! Incoming mail: detect → decrypt → verify → one security report and a readable message.
//!
//! Rules that keep the verdicts honest (DESIGN.md, issue "protect / open"):
//!
//! - Only the top-level cryptographic layer is opened, with at most one signature wrapper
//!   around or inside one encryption layer (sign-then-encrypt and encrypt-then-sign), or
//!   both (RFC 2634's triple wrap: both signatures are judged, the worst verdict wins).
//!   A layer that holds only a whole message (`message/rfc822`, RFC 8551 §3.1) protects that
//!   message's header fields: the message is shown. Encrypted or signed parts nested inside ordinary multiparts are listed as attachments and
//!   never decrypted (EFAIL direct exfiltration, "Re: What's up Johnny?" reply oracle).
//! - A signature is `valid` only when it covers everything displayed (`scope: "whole"`) and is
//!   bound to the single From address; anything less is reported as such and never valid.
//! - Decrypted content whose cipher has no integrity protection (S/MIME AES-CBC) is
//!   `authenticated: false` unless a valid signature inside the encryption covers it.
//! - When decryption fails no content is returned at all.
//!
//! | module | what |
//! |---|---|
//! | `opened` | [`OpenOptions`], [`Opened`] and its parts: what is asked and what comes back |
//! | `layers` | peeling the cryptographic layers, one engine call each |
//! | `inline` | inline OpenPGP: files beside the text, the decrypted text's charset |
//! | `verdict` | verdicts on what cannot be opened or is only partly signed; the final scope |
//! | `headers` | the header fields shown, protected ones (RFC 9788) with their outer fallback |
//! | `assemble` | the report and what the agent sees, from what peeling found |
//! | `audit` | the audit event of one `open` (no content) |

mod assemble;
mod audit;
mod headers;
mod in_place;
mod inline;
mod layers;
mod opened;
mod verdict;

pub use opened::{OpenOptions, Opened, OpenedAttachment, OpenedHeaders, SerializedBytes};

use assemble::assemble;
use audit::audit;
use headers::OuterFacts;
use in_place::{Envelope, FirstLayer, Opening, TargetKind};
use layers::{peel, peel_opened, Peeled, Revealed};

use crate::crypto::provider::{self, now_or_never};
use crate::engine::{Engine, Plaintext, ReadContext};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{AuditEvent, Keyring};
use crate::mime::{self, Limits, MimeTree};
use crate::secret::SecretBytes;

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
    // A copy the call owns: a large S/MIME envelope is opened in it ([`open_owned`]).
    let owned = SecretBytes::new(raw.to_vec());
    let (result, event) = now_or_never(open_owned_async(ring, engines, owned, opts))
        .unwrap_or_else(|| {
            let result = Err(provider::needs_async());
            let event = audit(opts.now, raw, &result);
            (result, event)
        });
    ring.record(event);
    result
}

/// [`open`] of a message handed over: a large top-level S/MIME envelope is decoded and
/// decrypted in `raw`'s own buffer instead of copies of it (peak memory, benches/MEMORY.md).
/// `raw` is wiped when the call ends.
pub fn open_owned(
    ring: &mut Keyring,
    engines: &[&dyn Engine],
    raw: Vec<u8>,
    opts: &OpenOptions,
) -> Result<Opened> {
    let raw = SecretBytes::new(raw);
    let (result, event) =
        now_or_never(open_owned_async(ring, engines, raw, opts)).unwrap_or_else(|| {
            let result = Err(provider::needs_async());
            (result, audit(opts.now, &[], &Err(provider::needs_async())))
        });
    ring.record(event);
    result
}

/// [`open_async`] of a message handed over ([`open_owned`]).
pub async fn open_owned_async(
    ring: &Keyring,
    engines: &[&dyn Engine],
    mut raw: SecretBytes,
    opts: &OpenOptions,
) -> (Result<Opened>, AuditEvent) {
    let result = open_owned_message(ring, engines, &mut raw, opts).await;
    // The header section is as it came: the envelope was opened in the body only.
    let event = audit(opts.now, &raw, &result);
    (result, event)
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
    let facts = OuterFacts::of(&outer);
    let ctx = read_context(ring, opts);
    // What each peeled layer revealed, kept until the call ends (wiped then): trees of the
    // content borrow it.
    let revealed: Revealed = Default::default();
    let peeled = peel(ring, engines, raw, outer, &revealed, &ctx).await?;
    Ok(finish(ring, peeled, facts, opts))
}

/// [`open_message`] of a message `open` may write to: a top-level S/MIME envelope or PGP/MIME
/// encrypted message is decoded and decrypted in the message's own buffer (`in_place`), which
/// holds the content after.
async fn open_owned_message(
    ring: &Keyring,
    engines: &[&dyn Engine],
    raw: &mut [u8],
    opts: &OpenOptions,
) -> Result<Opened> {
    let Some(target) = in_place::target(raw, engines, &Limits::default()) else {
        return open_message(ring, engines, raw, opts).await;
    };
    let payload = match target.kind {
        TargetKind::SmimeBase64 => {
            let body = target.body.clone();
            // Base64 that is not plain is left as it was, for the MIME parser's decoder.
            let Some(len) = crate::base64_in_place::decode_in_place(&mut raw[body.clone()]) else {
                return open_message(ring, engines, raw, opts).await;
            };
            body.start..body.start + len
        }
        TargetKind::PgpMime(_) => target.body.clone(),
    };
    let ctx = read_context(ring, opts);
    let d = target
        .engine
        .decrypt_in_place(ring, &mut raw[payload.clone()], &ctx)
        .await;
    let raw: &[u8] = raw;
    let envelope = d.map(|d| Envelope {
        report: d.report,
        signature: d.signature,
        content: d.content.map(|c| match c {
            Plaintext::InPlace(r) => {
                Opening::InPlace(&raw[payload.start + r.start..payload.start + r.end])
            }
            Plaintext::Owned(bytes) => Opening::Owned(bytes),
        }),
    });
    let first = match target.kind {
        TargetKind::SmimeBase64 => FirstLayer::Smime(envelope?),
        // As `peel` takes the engine's answer: a part that is no readable message is a
        // failed decryption. Its armor is no longer there to be listed as an attachment.
        TargetKind::PgpMime(part) => FirstLayer::PgpMime(envelope, part),
    };
    let revealed: Revealed = Default::default();
    let peeled = peel_opened(ring, engines, first, &revealed, &ctx).await?;
    Ok(finish(ring, peeled, target.facts, opts))
}

/// Signatures are judged by the rules of the keyring's policy (default: the safe floor).
fn read_context(ring: &Keyring, opts: &OpenOptions) -> ReadContext {
    ReadContext {
        signatures: ring
            .policy()
            .map(|p| p.algorithms.signatures.clone())
            .unwrap_or_default(),
        ..ReadContext::at(opts.now)
    }
}

/// The report and what the agent sees, from what peeling found.
fn finish(ring: &Keyring, peeled: Peeled<'_>, outer: OuterFacts, opts: &OpenOptions) -> Opened {
    let unchecked = opts
        .unchecked_revocation
        .or_else(|| ring.policy().map(|p| p.unchecked_revocation))
        .unwrap_or_default();
    assemble(
        peeled,
        &outer.view,
        outer.sender.as_deref(),
        outer.autocrypt,
        unchecked,
        opts.now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{EncryptionState, SignatureState};
    use crate::time::Time;

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

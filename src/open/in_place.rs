//! A top-level S/MIME envelope opened in the message's own buffer (issue 12, peak memory).
//!
//! Opening a message whose whole body is an `application/pkcs7-mime` envelope held the message
//! as received, its base64 decoded, and the decrypted content at once: 47 MiB of wasm memory
//! for a 10 MiB attachment. Here the body is base64-decoded where it is, and the engine
//! decrypts the envelope where it is ([`Engine::decrypt_in_place`]): the content ends up in the
//! message's buffer, which `open` owns. The header section is left as it was (the audit event
//! reads it). Anything else, or a body that is not plain base64, takes the usual way.
//!
//! [`Engine::decrypt_in_place`]: crate::engine::Engine::decrypt_in_place

use core::ops::Range;

use std::borrow::Cow;

use super::headers::OuterFacts;
use crate::engine::Engine;
use crate::error::Result;
use crate::mime::{
    self, cms_kind, is_smime_mime, Layer, Limits, MimeTree, PartId, Payload, PgpForm, SmimeKind,
    TransferEncoding,
};
use crate::report::{EncryptionReport, Method, SignatureReport};
use crate::secret::SecretBytes;

/// What an envelope opened before peeling revealed: a slice of the message's own buffer, or
/// bytes of their own.
pub(super) enum Opening<'a> {
    InPlace(&'a [u8]),
    Owned(SecretBytes),
}

impl Opening<'_> {
    pub(super) fn bytes(&self) -> &[u8] {
        match self {
            Opening::InPlace(bytes) => bytes,
            Opening::Owned(bytes) => bytes.as_slice(),
        }
    }
}

/// An envelope opened before peeling, its verdicts and what it revealed.
pub(super) struct Envelope<'a> {
    pub(super) report: EncryptionReport,
    /// A signature inside the same cryptographic object.
    pub(super) signature: Option<SignatureReport>,
    pub(super) content: Option<Opening<'a>>,
}

/// The top-level layer of a message, opened in the message's own buffer (`super::in_place`).
pub(super) enum FirstLayer<'a> {
    /// An S/MIME envelope.
    Smime(Envelope<'a>),
    /// A PGP/MIME encrypted message (its encrypted part), as the engine answered.
    PgpMime(Result<Envelope<'a>>, PartId),
}

/// What `open` opens in the message's own buffer, found before anything is written.
pub(super) struct Target<'e> {
    pub(super) engine: &'e dyn Engine,
    pub(super) kind: TargetKind,
    /// The envelope's base64 body (S/MIME), or the armored message (PGP/MIME), in `raw`.
    pub(super) body: Range<usize>,
    /// What the message's own header section says.
    pub(super) facts: OuterFacts,
}

/// Which top-level layer a [`Target`] is.
pub(super) enum TargetKind {
    /// An S/MIME envelope whose body is base64 that decodes in place.
    SmimeBase64,
    /// A PGP/MIME encrypted message (RFC 3156 §4): its encrypted part.
    PgpMime(PartId),
}

/// The top-level layer of `raw` when it is one `open` opens in place and its engine is among
/// `engines`; `None` for anything else (the usual way).
pub(super) fn target<'e>(
    raw: &[u8],
    engines: &[&'e dyn Engine],
    limits: &Limits,
) -> Option<Target<'e>> {
    let engine = |m: Method| engines.iter().copied().find(|e| e.method() == m);
    let (head, start) = MimeTree::parse_head(raw, limits).ok()?;
    if let Some(body) = smime_envelope_body(raw, &head, start) {
        return Some(Target {
            engine: engine(Method::Smime)?,
            kind: TargetKind::SmimeBase64,
            body,
            facts: OuterFacts::of(&head),
        });
    }
    if !head.root().content_type.is("multipart/encrypted") {
        return None;
    }
    let engine = engine(Method::Pgp)?;
    // The whole message parsed, to find the encrypted part as detection does.
    let tree = MimeTree::parse(raw, limits).ok()?;
    let (body, part) = pgp_mime_body(raw, &tree)?;
    Some(Target {
        engine,
        kind: TargetKind::PgpMime(part),
        body,
        facts: OuterFacts::of(&tree),
    })
}

/// The body of `raw` when `raw` is a message whose whole body is an S/MIME envelope
/// (EnvelopedData or AuthEnvelopedData) in base64; `None` for anything else. `head`: `raw`'s header section, parsed; `start`: where its body starts.
fn smime_envelope_body(raw: &[u8], head: &MimeTree<'_>, start: usize) -> Option<Range<usize>> {
    let root = head.root();
    // A head-only parse (the body untouched), of one part that is S/MIME data.
    let single = root.children.is_empty() && root.body.is_empty() && start < raw.len();
    if !single || root.ambiguous || root.damaged || !is_smime_mime(root) {
        return None;
    }
    if root.transfer_encoding != TransferEncoding::Base64 {
        return None;
    }
    let kind = cms_kind(&decode_prefix(&raw[start..]));
    matches!(kind, Some(SmimeKind::Enveloped | SmimeKind::AuthEnveloped))
        .then_some(start..raw.len())
}

/// The encrypted part of a PGP/MIME message as detection finds it, when its body is bytes of
/// `raw` itself (7bit or 8bit, not transfer-decoded): where, and the part.
fn pgp_mime_body(raw: &[u8], tree: &MimeTree<'_>) -> Option<(Range<usize>, PartId)> {
    let Layer::PgpMessage {
        form: PgpForm::Mime,
        payload: Payload::Body,
        part,
    } = mime::detect(tree).layer
    else {
        return None;
    };
    let Cow::Borrowed(body) = &tree.part(part)?.body else {
        return None;
    };
    let start = (body.as_ptr() as usize).checked_sub(raw.as_ptr() as usize)?;
    let end = start.checked_add(body.len())?;
    (end <= raw.len()).then_some((start..end, part))
}

/// The first bytes the base64 `body` decodes to (enough for the CMS content type).
fn decode_prefix(body: &[u8]) -> Vec<u8> {
    let quanta: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .take(64)
        .collect();
    let whole = quanta.len() / 4 * 4;
    base64_simd::STANDARD
        .decode_to_vec(&quanta[..whole])
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base64_in_place::decode_in_place;

    /// openssl's envelopes (CBC, GCM, `-stream` BER, 3DES, several recipients) take the
    /// in-place way, and their body decodes in place to the bytes the MIME parser decodes.
    #[test]
    fn openssl_envelopes_decode_in_place_as_the_mime_parser_decodes_them() {
        let fixtures: [&[u8]; 5] = [
            include_bytes!("../../tests/data/smime/enc-alice-aes256.eml"),
            include_bytes!("../../tests/data/smime/enc-alice-gcm-stream.eml"),
            include_bytes!("../../tests/data/smime/enc-alice-3des.eml"),
            include_bytes!("../../tests/data/smime/enc-carol-bob-dave-gcm.eml"),
            include_bytes!("../../tests/data/smime/enc-alice-stream.eml"),
        ];
        let limits = Limits::default();
        for (i, raw) in fixtures.into_iter().enumerate() {
            let parsed = MimeTree::parse(raw, &limits).unwrap();
            let want = parsed.root().body.to_vec();
            let (head, start) = MimeTree::parse_head(raw, &limits).unwrap();
            let body =
                smime_envelope_body(raw, &head, start).unwrap_or_else(|| panic!("fixture {i}"));
            let mut copy = raw.to_vec();
            let len = decode_in_place(&mut copy[body.clone()]).expect("decodes");
            assert_eq!(
                &copy[body.start..body.start + len],
                &want[..],
                "fixture {i}"
            );
            // The header section is left as it was.
            assert_eq!(&copy[..body.start], &raw[..body.start]);
        }
        // A signed message is not an envelope: the usual way.
        let signed = include_bytes!("../../tests/data/smime/entity.txt");
        let (head, start) = MimeTree::parse_head(signed, &limits).unwrap();
        assert!(smime_envelope_body(signed, &head, start).is_none());
    }

    /// A PGP/MIME message is opened in place when its encrypted part is the message's own
    /// bytes and the OpenPGP engine is there; a part in quoted-printable is not.
    #[test]
    #[cfg(feature = "openpgp")]
    fn a_pgp_mime_part_in_7bit_is_opened_in_place() {
        let armor = "-----BEGIN PGP MESSAGE-----\r\n\r\nwcBMA0Qq\r\n-----END PGP MESSAGE-----";
        let message = |encoding: &str| {
            format!(
                "From: a@example.org\r\nContent-Type: multipart/encrypted; \
                 protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n--b\r\n\
                 Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--b\r\n\
                 Content-Type: application/octet-stream\r\n{encoding}\r\n{armor}\r\n--b--\r\n"
            )
            .into_bytes()
        };
        let limits = Limits::default();
        let pgp = crate::openpgp::PgpEngine;
        let raw = message("Content-Transfer-Encoding: 7bit\r\n");
        let found = target(&raw, &[&pgp], &limits).expect("in place");
        assert!(matches!(found.kind, TargetKind::PgpMime(_)));
        assert_eq!(&raw[found.body], armor.as_bytes());
        let qp = message("Content-Transfer-Encoding: quoted-printable\r\n");
        assert!(target(&qp, &[&pgp], &limits).is_none());
        // Without the engine, the usual way says it is not enabled.
        assert!(target(&raw, &[], &limits).is_none());
    }
}

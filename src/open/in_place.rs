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

use crate::base64_in_place::is_plain_base64;
use crate::mime::{cms_kind, is_smime_mime, Limits, MimeTree, SmimeKind, TransferEncoding};

/// The body of `raw` when `raw` is a message whose whole body is an S/MIME envelope
/// (EnvelopedData or AuthEnvelopedData) in base64 that `base64_in_place` decodes; `None` for
/// anything else.
pub(super) fn smime_envelope_body(raw: &[u8], limits: &Limits) -> Option<Range<usize>> {
    let (head, start) = MimeTree::parse_head(raw, limits).ok()?;
    let root = head.root();
    // A head-only parse (the body untouched), of one part that is S/MIME data.
    let single = root.children.is_empty() && root.body.is_empty() && start < raw.len();
    if !single || root.ambiguous || root.damaged || !is_smime_mime(root) {
        return None;
    }
    if root.transfer_encoding != TransferEncoding::Base64 || !is_plain_base64(&raw[start..]) {
        return None;
    }
    let kind = cms_kind(&decode_prefix(&raw[start..]));
    matches!(kind, Some(SmimeKind::Enveloped | SmimeKind::AuthEnveloped))
        .then_some(start..raw.len())
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
            let body = smime_envelope_body(raw, &limits).unwrap_or_else(|| panic!("fixture {i}"));
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
        assert!(smime_envelope_body(signed, &limits).is_none());
    }
}

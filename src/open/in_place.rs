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

use crate::mime::{cms_kind, is_smime_mime, Limits, MimeTree, SmimeKind, TransferEncoding};

/// The body of `raw` when `raw` is a message whose whole body is an S/MIME envelope
/// (EnvelopedData or AuthEnvelopedData) in base64 that [`decode_in_place`] reads; `None` for
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

/// Decodes base64 `body` in place; the decoded length (the bytes start `body`). `None` only
/// for a body [`smime_envelope_body`] did not accept.
pub(super) fn decode_in_place(body: &mut [u8]) -> Option<usize> {
    base64_simd::forgiving_decode_inplace(body)
        .ok()
        .map(|decoded| decoded.len())
}

/// Base64 that WHATWG's forgiving decoder (which `decode_in_place` uses) reads without error:
/// the alphabet and ASCII white space, and `=` only as the padding of the last quantum. Other
/// bodies (a stray character, text after the padding) go the usual way, whose MIME decoder is
/// more lenient; a failed decoder must not leave the message half decoded.
fn is_plain_base64(body: &[u8]) -> bool {
    let mut chars = 0usize;
    let mut padding = 0usize;
    for &b in body {
        match b {
            b'\t' | b'\n' | 0x0c | b'\r' | b' ' => {}
            b'=' => padding += 1,
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' if padding == 0 => chars += 1,
            _ => return false,
        }
    }
    match padding {
        0 => chars % 4 != 1,
        1 | 2 => (chars + padding).is_multiple_of(4),
        _ => false,
    }
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
    use base64::Engine as _;

    /// The in-place decoding gives what the base64 crate gives, for line lengths and padding
    /// as clients write them; what it would not read is left alone.
    #[test]
    fn plain_base64_decodes_in_place_as_the_base64_crate_decodes_it() {
        for len in [1usize, 2, 3, 57, 58, 1000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 31 % 256) as u8).collect();
            let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
            for line in [64, 76] {
                let mut body: Vec<u8> = encoded
                    .as_bytes()
                    .chunks(line)
                    .flat_map(|l| [l, b"\r\n"].concat())
                    .collect();
                assert!(is_plain_base64(&body), "{len} bytes");
                let n = decode_in_place(&mut body).unwrap();
                assert_eq!(&body[..n], &data[..], "{len} bytes, lines of {line}");
            }
        }
        for odd in [
            &b"QUJD\r\n=QUJD"[..],
            b"QUJD!",
            b"QUJDR",
            b"QUJ===",
            b"QUJDRA=\r\n",
        ] {
            assert!(!is_plain_base64(odd), "{}", String::from_utf8_lossy(odd));
        }
        assert!(is_plain_base64(b"QUJDRA==\r\n"));
        assert!(is_plain_base64(b"QUJDRA\r\n"));
    }
}

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
    // The lines moved together first (each lands at or before where it was), then decoded.
    let (mut start, mut write) = (0, 0);
    while let Some(line) = next_line(body, &mut start) {
        let len = line.len();
        body.copy_within(line, write);
        write += len;
    }
    let unpadded = body[..write]
        .iter()
        .rposition(|&b| b != b'=')
        .map_or(0, |i| i + 1);
    base64_simd::STANDARD_NO_PAD
        .decode_inplace(&mut body[..unpadded])
        .ok()
        .map(|decoded| decoded.len())
}

/// The next line of `body` from `start` that is not empty, without its line end and trailing
/// white space; `start` moves past it.
fn next_line(body: &[u8], start: &mut usize) -> Option<Range<usize>> {
    while *start < body.len() {
        let from = *start;
        let end = memchr::memchr(b'\n', &body[from..]).map_or(body.len(), |i| from + i);
        let mut stop = end;
        while stop > from && matches!(body[stop - 1], b'\r' | b' ' | b'\t') {
            stop -= 1;
        }
        *start = end + 1;
        if stop > from {
            return Some(from..stop);
        }
    }
    None
}

/// Base64 that [`decode_in_place`] decodes without error, checked a line at a time by
/// base64-simd's SIMD checker: lines of the alphabet in whole quanta, the last one possibly
/// shorter and padded. Other bodies (a stray character, white space inside a line, text after
/// the padding) go the usual way, whose MIME decoder is more lenient: a failed decoder must
/// not leave the message half decoded.
fn is_plain_base64(body: &[u8]) -> bool {
    let (mut start, mut ended) = (0, false);
    while let Some(line) = next_line(body, &mut start) {
        let text = &body[line];
        let unpadded = text
            .strip_suffix(b"==")
            .or_else(|| text.strip_suffix(b"="))
            .unwrap_or(text);
        let padded = unpadded.len() < text.len();
        if ended
            || (padded && !text.len().is_multiple_of(4))
            || base64_simd::STANDARD_NO_PAD.check(unpadded).is_err()
        {
            return false;
        }
        // Only the last line may be padded or end in a partial quantum.
        ended = padded || !unpadded.len().is_multiple_of(4);
    }
    true
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
            b"QUJDRA\r\nQUJD\r\n",
            b"QU JD\r\n",
        ] {
            assert!(!is_plain_base64(odd), "{}", String::from_utf8_lossy(odd));
        }
        assert!(is_plain_base64(b"QUJDRA==\r\n"));
        assert!(is_plain_base64(b"QUJDRA\r\n"));
    }
}

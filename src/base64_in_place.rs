//! Base64 decoded in its own buffer: a large S/MIME envelope (`open`'s in-place way) and the
//! armor of a large OpenPGP message are decoded where they are, not into a copy (issue 12, peak
//! memory). Only plain base64 is taken ([`is_plain_base64`]): anything odder goes the usual
//! way, whose decoders are more lenient, so that a failed decoding never leaves a message half
//! decoded.

use core::ops::Range;

/// Decodes base64 `body` in place; the decoded length (the bytes start `body`). `None` only
/// for a body [`is_plain_base64`] does not accept.
pub(crate) fn decode_in_place(body: &mut [u8]) -> Option<usize> {
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
pub(crate) fn is_plain_base64(body: &[u8]) -> bool {
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
            b"QUJDRA\r\nQUJD\r\n",
            b"QU JD\r\n",
        ] {
            assert!(!is_plain_base64(odd), "{}", String::from_utf8_lossy(odd));
        }
        assert!(is_plain_base64(b"QUJDRA==\r\n"));
        assert!(is_plain_base64(b"QUJDRA\r\n"));
    }
}

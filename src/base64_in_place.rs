//! Base64 decoded in its own buffer: a large S/MIME envelope (`open`'s in-place way) and the
//! armor of a large OpenPGP message are decoded where they are, not into a copy (issue 12, peak
//! memory). Only plain base64 is taken: anything odder is left as it was, for the usual way,
//! whose decoders are more lenient. A failed decoding never leaves a message half decoded.
//!
//! Base64 as writers write it (every line of one length but the last, one kind of line end) is
//! checked by its line ends alone, its lines moved together, and the alphabet checked over the
//! whole in one SIMD pass; should that fail, the lines are moved back. A line at a time (a
//! call of the checker per 64-character line) took twice as long as reading a 1 MiB message's
//! armor into a copy had.

use core::ops::Range;

/// Decodes base64 `body` in place; the decoded length (the bytes start `body`). `None`, and
/// `body` as it was, for a body that is not plain base64: lines of the alphabet in whole
/// quanta, the last one possibly shorter and padded, white space only at line ends.
pub(crate) fn decode_in_place(body: &mut [u8]) -> Option<usize> {
    let joined = match Lines::uniform(body) {
        Some(lines) => {
            let joined = lines.join(body);
            if !is_base64(&body[..joined]) {
                lines.split(body);
                return None;
            }
            joined
        }
        None => {
            if !is_plain_base64(body) {
                return None;
            }
            join_any_lines(body)
        }
    };
    let unpadded = body[..joined]
        .iter()
        .rposition(|&b| b != b'=')
        .map_or(0, |i| i + 1);
    base64_simd::STANDARD_NO_PAD
        .decode_inplace(&mut body[..unpadded])
        .ok()
        .map(|decoded| decoded.len())
}

/// Joined base64 that decodes: whole quanta of the alphabet, the last one possibly closed by
/// one or two `=`. A last quantum without its padding is refused, as the usual decoders refuse
/// it or drop its octets (sweep 22).
fn is_base64(joined: &[u8]) -> bool {
    let unpadded = joined
        .strip_suffix(b"==")
        .or_else(|| joined.strip_suffix(b"="))
        .unwrap_or(joined);
    joined.len().is_multiple_of(4) && base64_simd::STANDARD_NO_PAD.check(unpadded).is_ok()
}

/// Lines as writers write them: `len` characters each but the last (1 to `len`), each ended by
/// `eol` octets (CRLF or LF), then only white space.
struct Lines {
    len: usize,
    eol: &'static [u8],
    /// Where the last line starts and ends.
    last: Range<usize>,
}

impl Lines {
    fn uniform(body: &[u8]) -> Option<Lines> {
        let end = body
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        let first = memchr::memchr(b'\n', &body[..end]).unwrap_or(end);
        let (len, eol): (usize, &'static [u8]) = match body[..first].strip_suffix(b"\r") {
            Some(line) => (line.len(), b"\r\n"),
            None => (first, b"\n"),
        };
        if len == 0 || !len.is_multiple_of(4) {
            return None;
        }
        let stride = len + eol.len();
        let mut start = 0;
        while start + len < end {
            if body.get(start + len..start + stride)? != eol {
                return None;
            }
            start += stride;
        }
        Some(Lines {
            len,
            eol,
            last: start..end,
        })
    }

    /// Moves the lines together at the start of `body`; their length.
    fn join(&self, body: &mut [u8]) -> usize {
        let stride = self.len + self.eol.len();
        let full = self.last.start / stride;
        for k in 1..full {
            body.copy_within(k * stride..k * stride + self.len, k * self.len);
        }
        let write = full * self.len;
        body.copy_within(self.last.clone(), write);
        write + self.last.len()
    }

    /// Undoes [`Self::join`]: each line back where it was, from the last, and the line ends.
    fn split(&self, body: &mut [u8]) {
        let stride = self.len + self.eol.len();
        let full = self.last.start / stride;
        body.copy_within(
            full * self.len..full * self.len + self.last.len(),
            self.last.start,
        );
        for k in (1..full).rev() {
            body.copy_within(k * self.len..(k + 1) * self.len, k * stride);
        }
        for k in 0..full {
            let at = k * stride + self.len;
            body[at..at + self.eol.len()].copy_from_slice(self.eol);
        }
    }
}

/// Moves the lines of `body` together (each lands at or before where it was); their length.
fn join_any_lines(body: &mut [u8]) -> usize {
    let (mut start, mut write) = (0, 0);
    while let Some(line) = next_line(body, &mut start) {
        let len = line.len();
        body.copy_within(line, write);
        write += len;
    }
    write
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
    let (mut start, mut ended, mut total) = (0, false, 0);
    while let Some(line) = next_line(body, &mut start) {
        total += line.len();
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
    // Whole quanta: a last one without its padding is refused (see `is_base64`).
    total.is_multiple_of(4)
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
        // Without its padding, the last quantum is not taken (the usual decoders refuse it).
        assert!(!is_plain_base64(b"QUJDRA\r\n"));
        assert_eq!(decode_in_place(&mut b"QUJDRA\r\n".to_vec()), None);
        let mut unpadded = b"QUJDREVG\r\nQUJDRA\r\n".to_vec();
        assert_eq!(decode_in_place(&mut unpadded), None);
        assert_eq!(unpadded, b"QUJDREVG\r\nQUJDRA\r\n");
    }

    /// Lines of one length whose base64 does not decode (a stray character, padding in the
    /// middle) are moved together, checked, and moved back: the body is left as it was.
    #[test]
    fn a_body_that_does_not_decode_is_left_as_it_was() {
        let encoded = base64::engine::general_purpose::STANDARD.encode([7u8; 300]);
        for eol in ["\r\n", "\n"] {
            let lines: Vec<String> = encoded
                .as_bytes()
                .chunks(64)
                .map(|l| format!("{}{eol}", String::from_utf8_lossy(l)))
                .collect();
            let good = lines.concat().into_bytes();
            let mut copy = good.clone();
            assert_eq!(decode_in_place(&mut copy), Some(300), "{eol:?}");
            for (at, bad) in [(70, b'!'), (200, b'='), (5, b' ')] {
                let mut body = good.clone();
                body[at] = bad;
                assert_eq!(decode_in_place(&mut body), None, "{eol:?} at {at}");
                let mut expected = good.clone();
                expected[at] = bad;
                assert_eq!(body, expected, "{eol:?} at {at}");
            }
            // Padding that closes no whole quantum.
            let mut body = good.clone();
            let last = body.len() - eol.len() - 1;
            body.insert(last, b'=');
            let before = body.clone();
            assert_eq!(decode_in_place(&mut body), None, "{eol:?}");
            assert_eq!(body, before);
        }
    }
}

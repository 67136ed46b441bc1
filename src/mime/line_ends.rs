//! Line ends: the canonical form of RFC 5751 §3.1.1 and RFC 3156 §5 (every line end CRLF),
//! checked over whole messages before they are signed or encrypted, and made where it is not.

use super::room::HEADROOM;

/// Whether `data` has a CR or LF that is not part of a CRLF pair.
///
/// Canonical means: a CR at `i` exactly when an LF is at `i + 1`, and no LF first or CR last.
/// Compared eight positions at a time (where the CRs are against where the LFs are one byte
/// on), without a branch per line end: a base64 body has two line ends every 78 bytes, and
/// finding them one by one took half a millisecond of protecting 1 MiB in wasm.
pub fn has_bare_line_ends(data: &[u8]) -> bool {
    if data.first() == Some(&b'\n') || data.last() == Some(&b'\r') {
        return true;
    }
    // Positions 0..pairs are compared with the byte after them.
    let pairs = data.len().saturating_sub(1);
    let (differ, done) = pairs_differ(data, pairs);
    differ || (done..pairs).any(|i| (data[i] == b'\r') != (data[i + 1] == b'\n'))
}

/// Whether, among the first positions of `data` up to `pairs`, a CR is not followed by an LF
/// or an LF not preceded by a CR; and how many positions were looked at (the rest, fewer than
/// eight, are the caller's). Eight at a time in a `u64`: a mask of the CRs against the mask of
/// the LFs one byte on. (WebAssembly SIMD measured slower here: without `unsafe` the sixteen
/// bytes are put into a vector one lane at a time.)
fn pairs_differ(data: &[u8], pairs: usize) -> (bool, usize) {
    let whole = pairs - pairs % 8;
    let mut differ = 0u64;
    let mut at = 0;
    while at < whole {
        differ |= bytes_equal_to(word(data, at), b'\r') ^ bytes_equal_to(word(data, at + 1), b'\n');
        at += 8;
    }
    (differ != 0, whole)
}

/// The eight bytes at `at` (`at + 8 <= data.len()`). Inlined, and read as an array rather
/// than copied into one: at opt-level "z" each was a call (and `copy_from_slice` another).
#[inline(always)]
fn word(data: &[u8], at: usize) -> u64 {
    data.get(at..at + 8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map_or(0, u64::from_le_bytes)
}

/// The high bit of each byte of `word` that equals `byte`, exactly (no carry crosses bytes).
#[inline(always)]
fn bytes_equal_to(word: u64, byte: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Every line end (LF, CR or CRLF) as CRLF: the canonical form of RFC 5751 §3.1.1 and
/// RFC 3156 §5.
pub fn to_crlf(data: &[u8]) -> Vec<u8> {
    // Mostly the input is canonical already (what mailseal built, what a client sent): one
    // copy instead of one per line.
    if !has_bare_line_ends(data) {
        return data.to_vec();
    }
    crlf_copy(data)
}

/// The signed bytes of a detached signature as a sender may have signed them before transport
/// rewrote its line ends: each LF without a CR before it given one. A lone CR stays as it is,
/// unlike [`to_crlf`]: a verifier that made it a line end would check other bytes than the
/// ones shown, since MIME parsers do not end a line there (an attacker's lone CR turned a
/// shown paragraph into a header line while the signature still held; found by a sweep).
/// Borrowed when there is no such LF.
pub fn lf_to_crlf(data: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let lone_lf = |i: usize| i == 0 || data[i - 1] != b'\r';
    if !memchr::memchr_iter(b'\n', data).any(lone_lf) {
        return data.into();
    }
    let mut out = Vec::with_capacity(data.len() + data.len() / 32);
    let mut from = 0;
    for i in memchr::memchr_iter(b'\n', data).filter(|&i| lone_lf(i)) {
        out.extend_from_slice(&data[from..i]);
        out.extend_from_slice(b"\r\n");
        from = i + 1;
    }
    out.extend_from_slice(&data[from..]);
    out.into()
}

/// [`to_crlf`] of a buffer the caller gives up: returned as it is when it is canonical already
/// (what mailseal built always is), so that a large entity is not copied to be checked.
pub(crate) fn into_crlf(data: Vec<u8>) -> Vec<u8> {
    if has_bare_line_ends(&data) {
        crlf_copy(&data)
    } else {
        data
    }
}

fn crlf_copy(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 32 + HEADROOM);
    let mut rest = data;
    // Copy the runs between line ends whole: messages are mostly long runs.
    while let Some(at) = memchr::memchr2(b'\r', b'\n', rest) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(b"\r\n");
        let crlf = rest[at] == b'\r' && rest.get(at + 1) == Some(&b'\n');
        rest = &rest[at + 1 + usize::from(crlf)..];
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn crlf_normalises_every_line_end() {
        assert_eq!(to_crlf(b"a\nb\r\nc\rd\r"), b"a\r\nb\r\nc\r\nd\r\n");
        assert_eq!(&*lf_to_crlf(b"a\nb\r\nc\rd\r"), b"a\r\nb\r\nc\rd\r");
        assert_eq!(&*lf_to_crlf(b"\nx\n"), b"\r\nx\r\n");
        assert!(matches!(
            lf_to_crlf(b"a\r\nb\rc"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// Every string of up to 7 symbols over {a, CR, LF} against a byte-at-a-time reference (and
    /// the check that lets canonical input be copied whole).
    #[test]
    fn crlf_matches_a_byte_wise_reference_exhaustively() {
        fn reference(data: &[u8]) -> Vec<u8> {
            let mut out = Vec::new();
            let mut i = 0;
            while i < data.len() {
                match data[i] {
                    b'\r' if data.get(i + 1) == Some(&b'\n') => {
                        out.extend_from_slice(b"\r\n");
                        i += 1;
                    }
                    b'\r' | b'\n' => out.extend_from_slice(b"\r\n"),
                    b => out.push(b),
                }
                i += 1;
            }
            out
        }
        // Longer inputs cross the eight-byte words of `has_bare_line_ends` at every offset.
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..20_000 {
            let len = rng.gen_range(0..80);
            let input: Vec<u8> = (0..len)
                .map(|_| [b'a', b'\r', b'\n', b'\r', b'\n', 0x8d, 0x0a ^ 0x80][rng.gen_range(0..7)])
                .collect();
            assert_eq!(
                has_bare_line_ends(&input),
                reference(&input) != input,
                "{input:?}"
            );
        }
        for len in 0..=7u32 {
            for mut n in 0..3usize.pow(len) {
                let input: Vec<u8> = (0..len)
                    .map(|_| {
                        let b = [b'a', b'\r', b'\n'][n % 3];
                        n /= 3;
                        b
                    })
                    .collect();
                assert_eq!(to_crlf(&input), reference(&input), "{input:?}");
                // Canonical exactly when the reference leaves it as it is.
                assert_eq!(
                    has_bare_line_ends(&input),
                    reference(&input) != input,
                    "{input:?}"
                );
            }
        }
    }
}

//! Reading OpenPGP input (RFC 9580 §6, §10.3): the armor block of a mail body or attachment,
//! armored or binary messages, bounded reading of their content.
//!
//! - Inline PGP: the armor block is cut out of the text around it (quoted replies, footers);
//!   a block wrapped in HTML (`<p>`/`<br>` lines, character references) is unwrapped first.
//! - Content is read through a limit (`ReadContext::max_output`), compressed or not, so a
//!   compression bomb stops at the limit (`too_large`).

use core::ops::Range;
use std::borrow::Cow;
use std::io::Read;

use pgp::composed::Message;

use crate::base64_in_place::decode_in_place;
use crate::bytes::find;
use crate::engine::ReadContext;
use crate::error::{Error, ErrorCode, Result};
use crate::secret::SecretBytes;

/// Armor and packet overhead allowed above `max_output` for an encrypted or signed payload.
pub(super) const PAYLOAD_SLACK: usize = 1024 * 1024;

pub(super) fn malformed(what: &str) -> Error {
    Error::new(ErrorCode::MalformedMessage, what)
}

pub(super) fn too_large() -> Error {
    Error::new(
        ErrorCode::TooLarge,
        "The decrypted PGP message exceeds the size limit.",
    )
}

/// Parses an armored (`-----BEGIN PGP MESSAGE-----`, anywhere in the input) or binary message.
pub(super) fn parse_message(payload: &[u8]) -> Result<Message<'_>> {
    let parsed = match armor_block(payload, "MESSAGE", "MESSAGE") {
        Some(armored) => match dearmor(armored) {
            Some(binary) => Message::from_bytes(std::io::Cursor::new(binary)),
            None => Message::from_armor(armored).map(|(m, _)| m),
        },
        None => Message::from_bytes(payload),
    };
    parsed.map_err(|_| malformed("The data is not a readable OpenPGP message."))
}

/// The packets of a plain `PGP MESSAGE` armor block (RFC 9580 §6.2), its base64 decoded in
/// blocks (base64-simd: SIMD128 in wasm): rPGP's armor reader looks at each character through
/// a generic reader, which was a quarter of the time of reading a 1 MiB message. `None` for
/// anything [`armor_data`] does not find, or base64 that does not decode: rPGP's reader then
/// decides.
fn dearmor(armored: &[u8]) -> Option<Vec<u8>> {
    let data = armor_data(armored)?;
    // Decoded a block of lines at a time into the output: collecting all of the base64 first
    // held the message once more (peak memory of opening a large message).
    const BLOCK: usize = 64 * 1024;
    let mut out = Vec::with_capacity(data.len() / 4 * 3);
    let mut pending = Vec::with_capacity(BLOCK + 128);
    for line in lines(&armored[data]) {
        pending.extend_from_slice(line);
        if pending.len() >= BLOCK {
            // Whole quanta only; padding can only come in the last one.
            let whole = pending.len() / 4 * 4;
            base64_simd::STANDARD
                .decode_append(&pending[..whole], &mut out)
                .ok()?;
            pending.drain(..whole);
        }
    }
    base64_simd::STANDARD
        .decode_append(&pending, &mut out)
        .ok()?;
    Some(out)
}

/// [`dearmor`] in the block's own buffer: the packets are decoded where their base64 was, and
/// their range in `armored` comes back (issue 12's peak memory). `None`, and `armored` as it
/// was, when the block's base64 is not plain (`base64_in_place`).
pub(super) fn dearmor_in_place(armored: &mut [u8]) -> Option<Range<usize>> {
    let data = armor_data(armored)?;
    let len = decode_in_place(&mut armored[data.clone()])?;
    Some(data.start..data.start + len)
}

/// Where the base64 lines of a plain `PGP MESSAGE` armor block are: after the BEGIN line (the
/// first of `armored`) and any armor headers, up to the CRC24 line (§6.1: ignored, a reader
/// must not reject on it) or the END line. `None` without an END line, for another block type,
/// or with lines after the checksum.
fn armor_data(armored: &[u8]) -> Option<Range<usize>> {
    // Line by line over bytes (memchr for the line ends): going through `str::split` and
    // `trim_end_matches` was a tenth of opening a 1 MiB message in wasm. Within the data only
    // a line that starts with `=` (the checksum) or `-` (the END line) changes anything, and
    // base64 has neither, so the scan jumps to the next of them instead of walking each line.
    let first_end = memchr::memchr(b'\n', armored).unwrap_or(armored.len());
    if trimmed(&armored[..first_end]) != b"-----BEGIN PGP MESSAGE-----" {
        return None;
    }
    let (mut in_headers, mut data, mut checksum) = (true, None, None);
    let mut at = first_end + 1;
    while at <= armored.len() {
        let end = memchr::memchr(b'\n', &armored[at..]).map_or(armored.len(), |i| at + i);
        let line = trimmed(&armored[at..end]);
        let mut next = end + 1;
        if in_headers {
            if line.contains(&b':') || line.is_empty() {
                // "Version: …", "Comment: …"; the empty line ends them
                in_headers = line.contains(&b':');
                at = next;
                continue;
            }
            in_headers = false;
        }
        if line == b"-----END PGP MESSAGE-----" {
            // A checksum line before any data (or empty lines after it) leaves no data, never
            // a range that ends before it starts.
            let end = checksum.unwrap_or(at);
            return Some(data.unwrap_or(end).min(end)..end);
        }
        if checksum.is_some() && !line.is_empty() {
            return None;
        }
        if line.first() == Some(&b'=') && line.len() == 5 {
            checksum = Some(at);
        } else {
            data.get_or_insert(at);
        }
        if checksum.is_none() {
            // The line holding the next `=` or `-`: the lines before it are data, as this one.
            next = match memchr::memchr2(b'=', b'-', &armored[end.min(armored.len())..]) {
                Some(i) => memchr::memrchr(b'\n', &armored[..end + i]).map_or(0, |j| j + 1),
                None => return None, // no END line follows
            };
        }
        at = next;
    }
    None
}

/// The lines of `text` without their line ends and trailing white space.
fn lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text).chain([text.len()]);
    ends.map(move |end| {
        let line = &text[start.min(end)..end];
        start = end + 1;
        trimmed(line)
    })
}

fn trimmed(mut line: &[u8]) -> &[u8] {
    while let [rest @ .., b' ' | b'\t' | b'\r'] = line {
        line = rest;
    }
    line
}

/// The armor block from its `-----BEGIN PGP <begin>-----` line to the end of its
/// `-----END PGP <end>-----` line: text around it in a mail body (a quoted reply, a list
/// footer) is not part of it. Without an END line, everything from BEGIN on.
pub(super) fn armor_block<'a>(payload: &'a [u8], begin: &str, end: &str) -> Option<&'a [u8]> {
    let start = find(payload, format!("-----BEGIN PGP {begin}-----").as_bytes())?;
    let rest = payload.get(start..)?;
    let end_line = format!("-----END PGP {end}-----");
    // The END line at the start of a line: signed text may quote one, dash-escaped
    // (`- -----END PGP SIGNATURE-----`, RFC 9580 §7.2), which does not end the block.
    let mut from = 0;
    let stop = loop {
        let Some(at) = rest.get(from..).and_then(|r| find(r, end_line.as_bytes())) else {
            return Some(rest);
        };
        let at = from + at;
        if at == 0 || rest[at - 1] == b'\n' {
            break at;
        }
        from = at + 1;
    };
    let mut stop = stop + end_line.len();
    // keep the line break after the END line
    for b in [b'\r', b'\n'] {
        if rest.get(stop) == Some(&b) {
            stop += 1;
        }
    }
    rest.get(..stop)
}

/// The payload as given when `parses`, else its text with HTML markup removed when that
/// parses: inline PGP in a text/html body arrives as `<p>`/`<br>`-separated lines with
/// entities (`&lt;`, `&#43;`).
pub(super) fn readable(payload: &[u8], parses: impl Fn(&[u8]) -> bool) -> Cow<'_, [u8]> {
    // The cheap test first: a plain armored or binary message has no markup, and parsing it
    // here would decode its whole armor once more (a tenth of opening a 1 MiB message).
    if memchr::memchr2(b'<', b'&', payload).is_none() || parses(payload) {
        return Cow::Borrowed(payload);
    }
    let text = crate::mime::html_lines(payload);
    if parses(&text) {
        Cow::Owned(text)
    } else {
        Cow::Borrowed(payload)
    }
}

pub(super) fn check_payload_size(payload: &[u8], ctx: &ReadContext) -> Result<()> {
    let limit = ctx
        .max_output
        .saturating_mul(2)
        .saturating_add(PAYLOAD_SLACK);
    if payload.len() > limit {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "The PGP message exceeds the size limit.",
        ));
    }
    Ok(())
}

/// Why the decrypted layer could not be read.
pub(super) enum Inner {
    /// Integrity failure, bad structure or a wrong session key.
    Failed,
    /// More plaintext than `max_output`.
    TooLarge,
}

/// Unwraps compression layers (a compressed message, or a signed message around one).
pub(super) fn decompressed(mut message: Message<'_>) -> Option<Message<'_>> {
    for _ in 0..4 {
        let compressed = match &message {
            Message::Compressed { .. } => true,
            Message::Signed { reader, .. } => reader.get_ref().is_compressed(),
            _ => false,
        };
        if !compressed {
            return Some(message);
        }
        message = message.decompress().ok()?;
    }
    None
}

/// Whether anything follows a decompressed message that has been read to its end (its last
/// signature) in the compressed data it came from. RFC 9580 §10.3 allows one message there;
/// gpg reads more packets as a second message ("BAD signature") or an error, and rPGP drops
/// them unread: a signed message with an unsigned literal packet or garbage appended inside
/// the compression read `valid` (interop sweep of 2026-12-07). `true` also when it cannot be
/// told (a reader in an error state). Only for a message read to its end without an error:
/// rPGP's readers panic when reached in their error state, and its own end-of-message check
/// walks the same accessors at that point.
pub(super) fn data_after_decompressed(message: &mut Message<'_>) -> bool {
    match message.get_mut().try_get_mut() {
        Some(pgp::composed::MessageReader::Compressed(rest)) => !only_skipped_packets(rest),
        Some(_) => false,
        None => true,
    }
}

/// Whether what is left in `rest` is nothing, or only marker and padding packets within
/// rPGP's bounds: RFC 9580 §10.3 lets a marker appear anywhere and padding end a message, and
/// gpg and OpenPGP.js read a signature followed by them inside compressed data as good
/// (sweep 23). Read through a limit, and framed over bytes, as the in-place way frames them.
fn only_skipped_packets(rest: &mut impl Read) -> bool {
    use super::framing::{frame, MAX_SKIPPED_LEN, MAX_SKIPPED_PACKETS};
    use pgp::types::Tag;
    let limit = MAX_SKIPPED_LEN + 64 * 1024;
    // Decrypted bytes: wiped when dropped.
    let mut left = SecretBytes::new(Vec::new());
    let read = rest.take(limit as u64 + 1).read_to_end(&mut left);
    if read.is_err() || left.len() > limit {
        return false;
    }
    let mut at = 0;
    for _ in 0..=MAX_SKIPPED_PACKETS {
        if at == left.len() {
            return true;
        }
        let Some(packet) = frame(&left, at) else {
            return false;
        };
        let skipped = matches!(packet.header.tag(), Tag::Marker | Tag::Padding)
            && packet.len() <= MAX_SKIPPED_LEN;
        if !skipped {
            return false;
        }
        at = packet.end;
    }
    false
}

/// The piece size of [`read_bounded`].
const PIECE: usize = 1 << 20;

/// The literal data, at most `max` bytes; the whole message is read (and so authenticated).
///
/// Read in pieces of at most 1 MiB, each wiped when dropped, then joined into one buffer of
/// the exact size. `read_to_end` doubles its buffer: a 1 KB compression bomb held 128 MiB plus
/// the copy it outgrew (wasm memory grew to 259 MiB and never shrinks; a Worker has 128 MB)
/// and left the outgrown buffers' plaintext unwiped. Now a bomb costs at most `max` + 1 MiB
/// before it is refused, and content of n bytes at most 2n + 1 MiB while it is joined.
pub(super) fn read_bounded(
    message: &mut Message<'_>,
    max: usize,
) -> core::result::Result<SecretBytes, Inner> {
    let mut pieces: Vec<SecretBytes> = Vec::new();
    let mut total = 0usize;
    loop {
        // one byte over `max` tells a bomb from content of exactly `max` bytes
        let want = PIECE.min(max.saturating_add(1) - total);
        let mut piece = SecretBytes::new(vec![0u8; want]);
        let mut filled = 0;
        while filled < want {
            match message.read(&mut piece[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Err(Inner::Failed),
            }
        }
        total += filled;
        if total > max {
            return Err(Inner::TooLarge);
        }
        piece.truncate(filled);
        pieces.push(piece);
        if filled < want {
            break;
        }
    }
    let mut out = Vec::with_capacity(total);
    for piece in &pieces {
        out.extend_from_slice(piece);
    }
    Ok(SecretBytes::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What rPGP's own armor reader makes of `armored`.
    fn rpgp_dearmor(armored: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        pgp::armor::Dearmor::new(armored)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn dearmor_gives_the_same_packets_as_rpgps_reader() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/openpgp/");
        for file in [
            "enc-alice.asc",
            "enc-three.asc",
            "enc-alice-bob.asc",
            "enc-hidden.asc",
        ] {
            let armored = std::fs::read(format!("{dir}{file}")).unwrap();
            let block = armor_block(&armored, "MESSAGE", "MESSAGE").unwrap();
            assert_eq!(dearmor(block).unwrap(), rpgp_dearmor(block), "{file}");
            // CRLF line ends (mail) and armor headers read the same.
            let crlf = String::from_utf8(block.to_vec())
                .unwrap()
                .replace('\n', "\r\n")
                .replacen("-----\r\n", "-----\r\nVersion: x\r\nComment: y: z\r\n", 1);
            assert_eq!(dearmor(crlf.as_bytes()).unwrap(), rpgp_dearmor(block));
        }
    }

    #[test]
    fn dearmor_leaves_what_it_does_not_know_to_rpgp() {
        let ok = "-----BEGIN PGP MESSAGE-----\n\nAAEC\n=abcd\n-----END PGP MESSAGE-----\n";
        assert_eq!(dearmor(ok.as_bytes()).unwrap(), [0, 1, 2]);
        for bad in [
            "-----BEGIN PGP MESSAGE-----\n\nAAEC\n", // no END line
            "-----BEGIN PGP MESSAGE-----\n\nAA EC\n-----END PGP MESSAGE-----\n", // a space
            "-----BEGIN PGP MESSAGE, PART 1/2-----\n\nAAEC\n-----END PGP MESSAGE, PART 1/2-----\n",
            "-----BEGIN PGP MESSAGE-----\n\nAAE\u{e9}\n-----END PGP MESSAGE-----\n",
        ] {
            assert_eq!(dearmor(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn armor_data_jumps_to_the_same_range_as_walking_every_line() {
        use rand::{Rng, SeedableRng};
        let pieces: [&[u8]; 16] = [
            b"-----BEGIN PGP MESSAGE-----",
            b"Version: x",
            b"Comment: a: b",
            b"",
            b"  \t",
            b"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v",
            b"AAEC",
            b"AAE=",
            b"=abcd",
            b"=ab",
            b"=abcd ",
            b"-----END PGP MESSAGE-----",
            b"-----END PGP MESSAGE----- ",
            b"-----END PGP MESSAGE-----x",
            b"AA-B",
            b"x=y",
        ];
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        for _ in 0..200_000 {
            let mut text = Vec::new();
            if rng.gen_bool(0.9) {
                text.extend_from_slice(pieces[0]);
                text.extend_from_slice(b"\r\n");
            }
            for _ in 0..rng.gen_range(0..12) {
                text.extend_from_slice(pieces[rng.gen_range(0..pieces.len())]);
                text.extend_from_slice([&b"\r\n"[..], b"\n", b"\r\r\n"][rng.gen_range(0..3)]);
            }
            if rng.gen_bool(0.5) {
                text.truncate(text.len().saturating_sub(rng.gen_range(0..2)));
            }
            assert_eq!(
                armor_data(&text),
                armor_data_by_lines(&text),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }

    /// [`armor_data`] as it was, walking every line: the reference the jumping scan must match.
    /// Where the base64 lines of a plain `PGP MESSAGE` armor block are: after the BEGIN line (the
    /// first of `armored`) and any armor headers, up to the CRC24 line (§6.1: ignored, a reader
    /// must not reject on it) or the END line. `None` without an END line, for another block type,
    /// or with lines after the checksum.
    fn armor_data_by_lines(armored: &[u8]) -> Option<Range<usize>> {
        // Line by line over bytes (memchr for the line ends): going through `str::split` and
        // `trim_end_matches` was a tenth of opening a 1 MiB message in wasm.
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', armored).chain([armored.len()]);
        let mut lines = ends.map(|end| {
            let from = start.min(end);
            start = end + 1;
            (from, trimmed(&armored[from..end]))
        });
        if lines.next()?.1 != b"-----BEGIN PGP MESSAGE-----" {
            return None;
        }
        let (mut in_headers, mut data, mut checksum) = (true, None, None);
        for (at, line) in lines {
            if in_headers {
                if line.contains(&b':') {
                    continue; // "Version: …", "Comment: …"
                }
                in_headers = false;
                if line.is_empty() {
                    continue;
                }
            }
            if line == b"-----END PGP MESSAGE-----" {
                // A checksum line before any data (or empty lines after it) leaves no data, never
                // a range that ends before it starts.
                let end = checksum.unwrap_or(at);
                return Some(data.unwrap_or(end).min(end)..end);
            }
            if checksum.is_some() && !line.is_empty() {
                return None;
            }
            if line.first() == Some(&b'=') && line.len() == 5 {
                checksum = Some(at);
                continue;
            }
            data.get_or_insert(at);
        }
        None
    }

    /// A checksum line and no data (or a checksum before any data line): nothing to decode,
    /// never a range that ends before it starts (slicing with it panicked, which in wasm ends
    /// the module instance).
    #[test]
    fn a_checksum_without_data_is_an_empty_block() {
        for armored in [
            "-----BEGIN PGP MESSAGE-----\n\n=abcd\n-----END PGP MESSAGE-----\n",
            "-----BEGIN PGP MESSAGE-----\nVersion: x\n=abcd\n\n-----END PGP MESSAGE-----\n",
            "-----BEGIN PGP MESSAGE-----\n=abcd\n-----END PGP MESSAGE-----\n",
        ] {
            assert_eq!(dearmor(armored.as_bytes()), Some(Vec::new()), "{armored}");
            let mut buf = armored.as_bytes().to_vec();
            assert_eq!(
                dearmor_in_place(&mut buf).map(|r| r.len()),
                Some(0),
                "{armored}"
            );
        }
    }
}

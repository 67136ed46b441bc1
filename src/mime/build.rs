//! Small, exact MIME writers. Header values passed in are already valid (7-bit, folded where
//! needed); the callers build them from fixed strings and addresses.

use base64::Engine as _;

use super::line_ends::{has_bare_line_ends, to_crlf};
use super::room::{prepend, HEADROOM};
use crate::rng::Rng;

/// A fresh multipart boundary: 24 random bytes in URL-safe base64, which cannot occur in
/// base64 or quoted-printable bodies by accident (RFC 2046 §5.1.1).
pub fn new_boundary(rng: &mut dyn Rng) -> String {
    let mut bytes = [0u8; 18];
    rng.fill_bytes(&mut bytes);
    format!(
        "=_mailseal_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// A header value as mail-builder writes it, without the final CRLF.
pub(crate) fn header_value(name: &str, value: &impl mail_builder::headers::Header) -> String {
    let mut out: Vec<u8> = Vec::new();
    value.write_header(&mut out, name.len() + 2);
    let s = String::from_utf8_lossy(&out).into_owned();
    s.strip_suffix("\r\n").unwrap_or(&s).to_string()
}

/// Base64 in lines of 76 characters, each ending in CRLF (RFC 2045 §6.8).
pub fn base64_body(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    base64_lines(data, 76, &mut out);
    out
}

/// `data` as base64 in lines of `line_len` characters (a multiple of 4), each ending in CRLF,
/// appended to `out`. Encoded a block of lines at a time into a small buffer, laid out in lines
/// there and appended a block at a time: encoding the whole first took a second buffer of the
/// whole size and the base64 crate's UTF-8 check of its own output; encoding line by line into
/// place cost more in calls and zero-filling than it saved, and appending line by line (two
/// appends a line, each checking the capacity) was a tenth of protecting 1 MiB in wasm.
pub(crate) fn base64_lines(data: &[u8], line_len: usize, out: &mut Vec<u8>) {
    let line_len = (line_len / 4).max(1) * 4;
    let per_line = line_len / 4 * 3;
    let encoded = base64_lines_len(data.len(), line_len);
    out.reserve_exact(encoded + if encoded > HEADROOM { HEADROOM } else { 0 });
    let mut block = vec![0u8; line_len * LINES_PER_BLOCK];
    let mut lines = vec![0u8; (line_len + 2) * LINES_PER_BLOCK];
    for chunk in data.chunks(per_line * LINES_PER_BLOCK) {
        // SIMD128 in wasm (base64-simd): the attachments' and the armor's base64 were a fifth of
        // protecting 1 MiB with the base64 crate's 64-bit scalar encoder.
        let written = base64_simd::STANDARD.encode(chunk, base64_simd::Out::from_slice(&mut block));
        let n = lay_out_lines(written, line_len, &mut lines);
        out.extend_from_slice(&lines[..n]);
    }
}

/// Lines of base64 encoded at once (per block of [`base64_lines`]).
const LINES_PER_BLOCK: usize = 512;

/// `encoded` cut into lines of `line_len` characters, each followed by CRLF, written to the
/// start of `out` (which has room); returns the length written. The two line lengths written
/// (76 for MIME, 64 for the armor) copy each line as an array of that length, which compiles
/// to a few wide moves: at opt-level "z" a slice copy is a call per line (half a millisecond of
/// protecting 1 MiB in wasm).
fn lay_out_lines(encoded: &[u8], line_len: usize, out: &mut [u8]) -> usize {
    match line_len {
        76 => lay_out::<76>(encoded, out),
        64 => lay_out::<64>(encoded, out),
        _ => lay_out_slices(encoded, line_len, out),
    }
}

fn lay_out<const LINE: usize>(encoded: &[u8], out: &mut [u8]) -> usize {
    debug_assert!(out.len() >= encoded.len() + encoded.len().div_ceil(LINE) * 2);
    let whole = encoded.len() / LINE;
    for i in 0..whole {
        let (from, at) = (i * LINE, i * (LINE + 2));
        let line: Option<&[u8; LINE]> = encoded
            .get(from..from + LINE)
            .and_then(|l| l.try_into().ok());
        let place: Option<&mut [u8; LINE]> =
            out.get_mut(at..at + LINE).and_then(|l| l.try_into().ok());
        if let (Some(line), Some(place)) = (line, place) {
            *place = *line;
        }
        if let Some(end) = out.get_mut(at + LINE..at + LINE + 2) {
            end[0] = b'\r';
            end[1] = b'\n';
        }
    }
    let done = whole * (LINE + 2);
    done + lay_out_slices(&encoded[whole * LINE..], LINE, &mut out[done..])
}

fn lay_out_slices(encoded: &[u8], line_len: usize, out: &mut [u8]) -> usize {
    let (mut from, mut at) = (0, 0);
    while from < encoded.len() {
        let n = line_len.min(encoded.len() - from);
        out[at..at + n].copy_from_slice(&encoded[from..from + n]);
        out[at + n..at + n + 2].copy_from_slice(b"\r\n");
        from += n;
        at += n + 2;
    }
    at
}

/// The length of `len` bytes as base64 in CRLF-ended lines of `line_len` characters.
pub(crate) fn base64_lines_len(len: usize, line_len: usize) -> usize {
    let per_line = (line_len / 4).max(1) * 3;
    len.div_ceil(3) * 4 + len.div_ceil(per_line) * 2
}

/// The capacity a buffer holding an entity of about `len` bytes needs so that protecting it
/// happens in that buffer: the header fields, signature and envelope put around it (within
/// [`HEADROOM`]), then the whole base64-encoded again (an S/MIME envelope in 76-column
/// lines, an OpenPGP armor in 64-column ones, the larger) with [`HEADROOM`] left for the
/// header fields of the message ([`base64_lines_in_place`]).
pub(crate) fn capacity_to_encode_again(len: usize) -> usize {
    let wrapped = len.saturating_add(HEADROOM);
    base64_lines_len(wrapped, 64)
        .max(base64_lines_len(wrapped, 76))
        .saturating_add(HEADROOM)
}

/// `head`, then [`base64_lines`] of `data`, written over `data` in its own buffer when the
/// buffer has room for them and [`HEADROOM`] more (see [`capacity_to_encode_again`]);
/// otherwise into a new buffer. Protecting a large message kept its binary envelope and its
/// base64 at once: 14 + 19 MiB for a 10 MiB attachment (benches/MEMORY.md). `head` (an armor
/// line) is written in front at no cost, where a [`prepend`] afterwards moves it all again.
pub(crate) fn base64_lines_in_place(head: &[u8], mut data: Vec<u8>, line_len: usize) -> Vec<u8> {
    let line_len = (line_len / 4).max(1) * 4;
    let per_line = line_len / 4 * 3;
    let len = data.len();
    let encoded = head.len().saturating_add(base64_lines_len(len, line_len));
    if data.capacity() < encoded.saturating_add(HEADROOM) {
        let mut out = head.to_vec();
        base64_lines(&data, line_len, &mut out);
        return out;
    }
    // Block k of the input (per_block bytes) becomes block k of the output (out_block bytes,
    // more): written from the last block to the first, each output block lies at or after its
    // input, so it only overwrites input already encoded (and its own, copied out first).
    let per_block = per_line * LINES_PER_BLOCK;
    let out_block = (line_len + 2) * LINES_PER_BLOCK;
    if len == 0 {
        data.extend_from_slice(head);
        return data;
    }
    // Grown by copying its own bytes, all overwritten below: `resize`'s zero fill went a byte
    // at a time at opt-level "z".
    while data.len() < encoded {
        let more = (encoded - data.len()).min(data.len());
        data.extend_from_within(..more);
    }
    let mut input = vec![0u8; per_block];
    let mut block = vec![0u8; line_len * LINES_PER_BLOCK];
    for k in (0..len.div_ceil(per_block)).rev() {
        let from = k * per_block;
        let chunk = &mut input[..per_block.min(len - from)];
        chunk.copy_from_slice(&data[from..from + chunk.len()]);
        let written = base64_simd::STANDARD.encode(chunk, base64_simd::Out::from_slice(&mut block));
        lay_out_lines(written, line_len, &mut data[head.len() + k * out_block..]);
    }
    data[..head.len()].copy_from_slice(head);
    data
}

/// `value` with every CR or LF that is not part of a fold (CRLF followed by a space or tab)
/// replaced by a space.
fn unfolded_breaks_as_spaces(value: String) -> String {
    if !value.contains(['\r', '\n']) {
        return value;
    }
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut i = 0;
    for (at, c) in value.char_indices() {
        if at < i {
            continue; // the LF of a fold already written
        }
        let fold = c == '\r'
            && bytes.get(at + 1) == Some(&b'\n')
            && matches!(bytes.get(at + 2), Some(b' ' | b'\t'));
        if fold {
            out.push_str("\r\n");
            i = at + 2;
        } else if c == '\r' || c == '\n' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// A MIME entity under construction: header fields in order, then a body.
#[derive(Debug, Clone, Default)]
pub struct Entity {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Entity {
    /// An entity with this Content-Type value (parameters included).
    pub fn new(content_type: impl Into<String>) -> Self {
        Entity::default().header("Content-Type", content_type)
    }

    /// Appends a header field. `value` may contain CRLF + whitespace folds; any other CR or
    /// LF becomes a space, so that no value can end its field early and start another (header
    /// injection). The name keeps only the characters a field name may have (RFC 5322 §2.2).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let mut name = name.into();
        name.retain(|c| c.is_ascii_graphic() && c != ':');
        self.headers
            .push((name, unfolded_breaks_as_spaces(value.into())));
        self
    }

    /// Sets the body to `data` in base64 with the matching Content-Transfer-Encoding.
    pub fn base64(self, data: &[u8]) -> Self {
        let mut e = self.header("Content-Transfer-Encoding", "base64");
        e.body = base64_body(data);
        e
    }

    /// [`Entity::base64`] of a buffer the caller gives up, encoded in that buffer when it has
    /// the room ([`base64_lines_in_place`]).
    #[cfg(feature = "smime")]
    pub(crate) fn base64_owned(self, data: Vec<u8>) -> Self {
        let mut e = self.header("Content-Transfer-Encoding", "base64");
        e.body = base64_lines_in_place(b"", data, 76);
        e
    }

    /// [`Entity::base64`] into a buffer of at least `capacity` bytes: room for what is done to
    /// the entity later in place ([`capacity_to_encode_again`]).
    pub(crate) fn base64_with_capacity(self, data: &[u8], capacity: usize) -> Self {
        let mut e = self.header("Content-Transfer-Encoding", "base64");
        e.body = Vec::with_capacity(capacity);
        base64_lines(data, 76, &mut e.body);
        e
    }

    /// Sets a 7-bit body as is (line ends made CRLF).
    pub fn text_7bit(mut self, text: &[u8]) -> Self {
        self.body = to_crlf(text);
        self
    }

    /// Sets a 7-bit body that already has CRLF line ends (mailseal wrote it so), without
    /// scanning and copying it again.
    pub(crate) fn crlf_7bit(mut self, text: Vec<u8>) -> Self {
        debug_assert!(!has_bare_line_ends(&text));
        self.body = text;
        self
    }

    /// Makes this a multipart body: each part's bytes between `boundary` delimiters. Parts are
    /// taken byte for byte (a signed part must not change by one bit). The largest part's
    /// buffer becomes the body (the rest is put around it in place, see [`prepend`]).
    pub fn multipart(mut self, boundary: &str, mut parts: Vec<Vec<u8>>) -> Self {
        let delimiter = |out: &mut Vec<u8>| {
            out.extend_from_slice(b"--");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"\r\n");
        };
        let largest = (0..parts.len()).max_by_key(|&i| parts[i].len());
        let Some(largest) = largest else {
            self.body = format!("--{boundary}--\r\n").into_bytes();
            return self;
        };
        let after = parts.split_off(largest + 1);
        let big = parts.pop().unwrap_or_default();
        let mut head = Vec::new();
        for part in parts {
            delimiter(&mut head);
            head.extend_from_slice(&part);
            // The CRLF before the next delimiter belongs to the delimiter (RFC 2046 §5.1.1).
            head.extend_from_slice(b"\r\n");
        }
        delimiter(&mut head);
        let mut body = prepend(&head, big);
        body.extend_from_slice(b"\r\n");
        for part in after {
            delimiter(&mut body);
            body.extend_from_slice(&part);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
        self.body = body;
        self
    }

    /// The body alone, for a protocol that carries the header fields on its own (the
    /// Content-Type of an HTTP answer).
    pub(crate) fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The entity's bytes, keeping the entity (a copy of the body).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.clone().into_bytes()
    }

    /// The entity's bytes: headers, empty line, body (in the body's buffer, see [`prepend`]).
    pub fn into_bytes(self) -> Vec<u8> {
        let mut head = Vec::with_capacity(256);
        for (name, value) in &self.headers {
            head.extend_from_slice(name.as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(value.as_bytes());
            head.extend_from_slice(b"\r\n");
        }
        head.extend_from_slice(b"\r\n");
        prepend(&head, self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// The same lines as encoding the whole and cutting it every 76 characters, at lengths
    /// around a line, a padding step and a block of lines.
    #[test]
    fn base64_body_is_the_whole_encoding_cut_into_lines() {
        use base64::Engine;
        for len in [
            0usize, 1, 2, 3, 56, 57, 58, 114, 29_183, 29_184, 29_185, 100_000,
        ] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7919 % 251) as u8).collect();
            let whole = base64::engine::general_purpose::STANDARD.encode(&data);
            let mut want = Vec::new();
            for line in whole.as_bytes().chunks(76) {
                want.extend_from_slice(line);
                want.extend_from_slice(b"\r\n");
            }
            assert_eq!(base64_body(&data), want, "{len} bytes");
        }
    }

    /// Encoding in the input's own buffer (from the last block to the first) gives the same
    /// lines as encoding into a new one, across block edges and in both line lengths; with too
    /// little room it encodes into a new buffer.
    #[test]
    fn base64_in_place_is_the_same_encoding() {
        for line_len in [64, 76] {
            for len in [
                0usize, 1, 47, 48, 57, 29_183, 29_184, 29_185, 24_576, 100_000,
            ] {
                let data: Vec<u8> = (0..len).map(|i| (i * 7919 % 251) as u8).collect();
                let mut want = Vec::new();
                base64_lines(&data, line_len, &mut want);
                let mut roomy = Vec::with_capacity(capacity_to_encode_again(len));
                roomy.extend_from_slice(&data);
                let at = roomy.as_ptr();
                let got = base64_lines_in_place(b"", roomy, line_len);
                assert_eq!(got, want, "{len} bytes, {line_len} columns");
                assert_eq!(got.as_ptr(), at, "{len} bytes: encoded in place");
                assert!(got.capacity() - got.len() >= HEADROOM);
                let tight = base64_lines_in_place(b"", data.clone(), line_len);
                assert_eq!(tight, want, "{len} bytes without room");
                // With a line in front, in place and not.
                let head = b"-----BEGIN PGP MESSAGE-----\r\n\r\n";
                let with_head = [&head[..], &want].concat();
                let mut roomy = Vec::with_capacity(capacity_to_encode_again(len));
                roomy.extend_from_slice(&data);
                let at = roomy.as_ptr();
                let got = base64_lines_in_place(head, roomy, line_len);
                assert_eq!(got, with_head, "{len} bytes after a head");
                assert_eq!(got.as_ptr(), at, "{len} bytes after a head: in place");
                assert_eq!(
                    base64_lines_in_place(head, data.clone(), line_len),
                    with_head
                );
            }
        }
    }

    #[test]
    fn header_values_cannot_end_their_field() {
        let e = Entity::new("text/plain")
            .header("X-Folded", "a;\r\n b")
            .header("X-Injected", "x\r\nBcc: eve@example.net\nTo: z\r")
            .header("Bad:Name\r\n", "v")
            .into_bytes();
        assert_eq!(
            e,
            b"Content-Type: text/plain\r\nX-Folded: a;\r\n b\r\n\
              X-Injected: x  Bcc: eve@example.net To: z \r\nBadName: v\r\n\r\n"
        );
    }

    #[test]
    fn base64_lines_are_76_wide() {
        let body = base64_body(&[7u8; 200]);
        let text = String::from_utf8(body).unwrap();
        assert!(text.lines().all(|l| l.trim_end().len() <= 76));
        assert!(text.ends_with("\r\n"));
    }

    #[test]
    fn multipart_keeps_parts_byte_for_byte() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let b = new_boundary(&mut rng);
        let part = b"Content-Type: text/plain\r\n\r\nhello \r\n";
        let e = Entity::new(format!("multipart/mixed; boundary=\"{b}\""))
            .multipart(&b, vec![part.to_vec(), part.to_vec()])
            .into_bytes();
        let text = String::from_utf8(e).unwrap();
        assert!(text.contains(&format!(
            "--{b}\r\nContent-Type: text/plain\r\n\r\nhello \r\n\r\n--{b}"
        )));
        assert!(text.ends_with(&format!("--{b}--\r\n")));
    }
}

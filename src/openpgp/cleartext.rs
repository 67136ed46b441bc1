//! Cleartext-signed text (RFC 9580 §7) read in time linear in its length.
//!
//! rPGP 0.21 reads the signed text line by line and searches everything read so far for the
//! `-----` that ends it at every line: quadratic (150 KB of short lines took 22 s in wasm,
//! issue 13). Here the text is split off first, with one pass; rPGP then reads what it reads
//! well, the armor headers (`Hash:`) and the signature packets, from the block with an empty
//! text, and the signed text is decoded here (dash escapes removed, trailing spaces and tabs
//! dropped, CRLF line ends: §7.1, §7.2). A test checks the result against rPGP's own reader.

use pgp::armor::DearmorOptions;
use pgp::composed::CleartextSignedMessage;
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::Signature;

/// A cleartext-signed block, read.
pub(super) struct Cleartext {
    /// The text as signed: §7.2's rules applied, lines ended by CRLF, no final line end.
    pub signed_text: Vec<u8>,
    pub signatures: Vec<Signature>,
    /// The digests the `Hash:` armor headers name; `None` without such a header (optional for
    /// v4 signatures, absent for v6). A signature by another digest is refused (§7.1).
    pub hash_header: Option<Vec<HashAlgorithm>>,
    /// `NotDashEscaped:` (gpg `--not-dash-escaped`): the text is as written (no escapes, no
    /// trailing whitespace dropped) and gpg hashed it as it was, with its final line break and
    /// without text-mode canonicalization: `signed_text` is then checked with
    /// `data_signature::verify_exact` over [`Cleartext::as_gpg_hashed`].
    pub not_dash_escaped: bool,
}

impl Cleartext {
    /// The forms gpg `--not-dash-escaped` may have hashed the text in: with LF line ends (as
    /// signed on Unix) or CRLF (as signed on Windows, or as mail carries it), each with its
    /// final line break.
    pub fn as_gpg_hashed(&self) -> [Vec<u8>; 2] {
        let mut crlf = self.signed_text.clone();
        crlf.extend_from_slice(b"\r\n");
        let mut lf = Vec::with_capacity(crlf.len());
        let mut bytes = crlf.iter().peekable();
        while let Some(&b) = bytes.next() {
            if b == b'\r' && bytes.peek() == Some(&&b'\n') {
                continue;
            }
            lf.push(b);
        }
        [lf, crlf]
    }
}

/// Reads a block from `-----BEGIN PGP SIGNED MESSAGE-----` to the end of its signature armor
/// (`message::armor_block`). `None` when it is not one rPGP accepts.
pub(super) fn read(block: &[u8], options: DearmorOptions) -> Option<Cleartext> {
    let (head, text, signature) = split(block)?;
    let hash_header = hash_header(head)?;
    // rPGP takes one digest name per Hash header, not the comma-separated list §7.1 allows
    // (two signers' digests), and no NotDashEscaped header: those are read here and left out
    // for rPGP, which still refuses any other header.
    let mut rest = Vec::with_capacity(head.len() + signature.len());
    for line in head.split_inclusive(|b| *b == b'\n') {
        if !line.starts_with(b"Hash:") && !line.starts_with(NOT_DASH_ESCAPED) {
            push_armor_line(&mut rest, line);
        }
    }
    for line in signature.split_inclusive(|b| *b == b'\n') {
        push_armor_line(&mut rest, line);
    }
    let (message, _) = CleartextSignedMessage::from_armor_buf(rest.as_slice(), options).ok()?;
    let not_dash_escaped = not_dash_escaped(head);
    Some(Cleartext {
        signed_text: signed_text(text, !not_dash_escaped),
        signatures: message.signatures().to_vec(),
        hash_header,
        not_dash_escaped,
    })
}

/// Appends `line`; a `-----BEGIN` / `-----END` line without the spaces and tabs after it,
/// which §6.2 allows (mail systems pad lines) and gpg reads, but rPGP does not.
fn push_armor_line(out: &mut Vec<u8>, line: &[u8]) {
    if !line.starts_with(b"-----") {
        out.extend_from_slice(line);
        return;
    }
    let body_len = line
        .iter()
        .rposition(|b| !b" \t\r\n".contains(b))
        .map_or(0, |i| i + 1);
    out.extend_from_slice(&line[..body_len]);
    out.extend_from_slice(if line.ends_with(b"\r\n") {
        b"\r\n"
    } else if line.ends_with(b"\n") {
        b"\n"
    } else {
        b""
    });
}

/// The armor header of `gpg --clearsign --not-dash-escaped` (GnuPG's extension, for signing
/// patches): the text is as signed, lines that start with a dash are not escaped, and it ends
/// at the signature's BEGIN line rather than at the first line that starts with `-----`.
const NOT_DASH_ESCAPED: &[u8] = b"NotDashEscaped:";

fn not_dash_escaped(head: &[u8]) -> bool {
    head.split(|b| *b == b'\n')
        .any(|line| line.starts_with(NOT_DASH_ESCAPED))
}

/// The digests the `Hash:` headers among the armor headers `head` name, in order (each a
/// comma-separated list); `Some(None)` without such a header, `None` when one names a digest
/// that is not one (the block is then not read, as rPGP refuses it).
fn hash_header(head: &[u8]) -> Option<Option<Vec<HashAlgorithm>>> {
    let head = std::str::from_utf8(head).ok()?;
    let mut named = None::<Vec<HashAlgorithm>>;
    for line in head.lines().skip(1) {
        let Some(value) = line.strip_prefix("Hash:") else {
            continue;
        };
        let list = named.get_or_insert_with(Vec::new);
        for name in value.split(',') {
            list.push(name.trim().parse::<HashAlgorithm>().ok()?);
        }
    }
    Some(named)
}

/// The block's three parts: the BEGIN line and armor headers up to and with the empty line
/// that ends them; the dash-escaped text; the signature armor from its `-----BEGIN` line. The
/// text ends before the line break that precedes the first line starting with `-----` (a line
/// of the text that starts with a dash is escaped as `- -`, §7.2).
fn split(block: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let mut lines = LineStarts::new(block);
    lines.next(); // the BEGIN line
    let text_start = lines.find(|&at| is_blank_line(&block[at..]))?;
    let text_start = text_start + line_len(&block[text_start..]);
    let head = &block[..text_start];
    if block[text_start..].starts_with(b"-----") {
        return Some((head, &[], &block[text_start..]));
    }
    let end_marker: &[u8] = if not_dash_escaped(head) {
        b"-----BEGIN PGP SIGNATURE-----"
    } else {
        b"-----"
    };
    let signature_start =
        LineStarts::from(block, text_start).find(|&at| block[at..].starts_with(end_marker))?;
    let before = &block[text_start..signature_start];
    let text = before
        .strip_suffix(b"\r\n")
        .or_else(|| before.strip_suffix(b"\n"))
        .unwrap_or(before);
    Some((head, text, &block[signature_start..]))
}

/// §7.2 undone: each line's `- ` escape removed and its trailing spaces and tabs dropped, lines
/// joined with CRLF (a lone LF ends a line too). A text that is not `escaped` keeps its lines
/// as written.
fn signed_text(text: &[u8], escaped: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 32);
    for (i, line) in text.split(|b| *b == b'\n').enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\r\n");
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !escaped {
            out.extend_from_slice(line);
            continue;
        }
        let line = line.strip_prefix(b"- ").unwrap_or(line);
        let end = line
            .iter()
            .rposition(|b| *b != b' ' && *b != b'\t')
            .map_or(0, |last| last + 1);
        out.extend_from_slice(&line[..end]);
    }
    out
}

/// Whether `rest` starts with an empty line (optionally with spaces or tabs, as gpg accepts).
fn is_blank_line(rest: &[u8]) -> bool {
    rest.iter()
        .take_while(|b| **b != b'\n')
        .all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

/// The length of the line at the start of `rest`, with its line break.
fn line_len(rest: &[u8]) -> usize {
    rest.iter()
        .position(|b| *b == b'\n')
        .map_or(rest.len(), |lf| lf + 1)
}

/// The offsets at which the lines of a buffer start, from a given one.
struct LineStarts<'a> {
    buf: &'a [u8],
    next: Option<usize>,
}

impl<'a> LineStarts<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Self::from(buf, 0)
    }

    fn from(buf: &'a [u8], at: usize) -> Self {
        Self {
            buf,
            next: (at < buf.len()).then_some(at),
        }
    }
}

impl Iterator for LineStarts<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let at = self.next?;
        let after = at + line_len(&self.buf[at..]);
        self.next = (after < self.buf.len()).then_some(after);
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNATURE: &str = "-----BEGIN PGP SIGNATURE-----\n\nwsB\n-----END PGP SIGNATURE-----\n";

    fn block(text: &str) -> String {
        format!("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{text}{SIGNATURE}")
    }

    /// The text as rPGP's own (quadratic) reader gives it.
    fn rpgp_text(block: &str) -> String {
        // rPGP needs a signature that parses to reach the end; the split is checked apart.
        let (head, text, _) = split(block.as_bytes()).expect("splits");
        let whole = [
            head,
            text,
            b"\n",
            b"-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----\n",
        ]
        .concat();
        match CleartextSignedMessage::from_armor_buf(whole.as_slice(), DearmorOptions::new()) {
            Ok((m, _)) => m.signed_text(),
            Err(e) => panic!("rPGP refuses {block:?}: {e}"),
        }
    }

    /// Texts with escapes, trailing white space, CRLF and LF, empty lines: the same signed
    /// text as rPGP's reader.
    #[test]
    fn signed_text_is_what_rpgp_reads() {
        for text in [
            "hello\n",
            "hello\r\n",
            "- -----BEGIN PGP SIGNATURE-----\n- - dashes\n- From the start\n",
            "trailing spaces   \ntabs\t\t\nboth \t \n",
            "\n\nempty lines\n\n",
            "mixed\r\nline\nends\r\n",
            "no escape - here\n-- not escaped by a lax signer\n",
            "ünïcödé text\n",
        ] {
            let b = block(text);
            let (_, raw, _) = split(b.as_bytes()).unwrap();
            assert_eq!(
                String::from_utf8(signed_text(raw, true)).unwrap(),
                rpgp_text(&b),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_three_parts_are_found() {
        let b = block("- -a\nb\n");
        let (head, text, sig) = split(b.as_bytes()).unwrap();
        assert_eq!(
            head,
            b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
        );
        assert_eq!(text, b"- -a\nb");
        assert_eq!(sig, SIGNATURE.as_bytes());
        // an empty text
        let b = format!("-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\n{SIGNATURE}");
        let (_, text, sig) = split(b.as_bytes()).unwrap();
        assert!(text.is_empty());
        assert_eq!(sig, SIGNATURE.as_bytes());
        // no signature, no blank line after the headers
        assert!(split(b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\ntext\n").is_none());
        assert!(split(b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n").is_none());
    }
}

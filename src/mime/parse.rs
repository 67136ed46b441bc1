//! A bounded MIME tree over `mail-parser`: every part with its type, disposition, transfer
//! encoding, decoded body and the exact byte range it occupies in the input.
//!
//! Detached signatures (RFC 1847 §2.1, RFC 5751 §3.5, RFC 3156 §5) cover the bytes of the
//! signed part exactly as they appear between the boundary line's CRLF and the CRLF that
//! precedes the next boundary delimiter (RFC 2046 §5.1.1: that CRLF belongs to the delimiter).
//! `mail-parser` records these offsets; it also recognises a boundary anywhere in a line, which
//! RFC 2046 does not. Every part range is therefore checked against the delimiter lines
//! around it ([`Part::exact`]): a part whose range is not framed by real delimiter lines is
//! never used as signed content.
//!
//! Tool output that is not MIME at all (an armored or binary OpenPGP message from `gpg`, a
//! DER / PEM CMS object from `openssl -outform DER|PEM`) is read as a single-part message of
//! the matching type, so `detect` finds it.
//!
//! Limits: input size, multipart nesting depth and part count ([`Limits`]); beyond them
//! parsing fails with `too_large`. Nested `message/rfc822` parts are leaves here (their
//! bytes are the body): a forwarded message is an attachment, never a cryptographic layer.

use core::ops::Range;
use std::rc::Rc;

use mail_parser::{Message, MessageParser};

use super::bare::{
    bare_root, delimiter_like_lines, header_section_end, headerless_text, maybe_bare,
    starts_with_header_field,
};
use super::flatten::{flatten, header_fields};
pub(crate) use super::part::transfer_decode;
use super::part::{malformed, too_large};
pub use super::part::{ContentType, HeaderField, Limits, Part, PartId, TransferEncoding};
use crate::error::{Error, ErrorCode, Result};

/// A parsed message (or entity) with exact ranges; borrows the input.
pub struct MimeTree<'a> {
    raw: &'a [u8],
    /// mail-parser's parse, handed on to a sub-tree ([`MimeTree::into_subtree`]).
    message: Rc<Message<'a>>,
    /// mail-parser's index of each of our parts.
    sources: Vec<usize>,
    parts: Vec<Part<'a>>,
}

impl core::fmt::Debug for MimeTree<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MimeTree")
            .field("len", &self.raw.len())
            .field("parts", &self.parts)
            .finish()
    }
}

impl<'a> MimeTree<'a> {
    /// Parses content that came out of a signature or an envelope: a MIME entity as
    /// [`MimeTree::parse`] reads it, except that content without a header section is its own
    /// `text/plain` body. `openssl cms -sign` / `-encrypt` of a plain text file protect the
    /// bare text (no Content-Type line), and openssl and mail clients show it as text.
    pub fn parse_content(raw: &'a [u8], limits: &Limits) -> Result<Self> {
        if starts_with_header_field(raw) || raw.starts_with(b"\r\n") || raw.starts_with(b"\n") {
            return MimeTree::parse(raw, limits);
        }
        Ok(MimeTree {
            raw,
            message: Rc::default(),
            sources: vec![0],
            parts: vec![headerless_text(raw)],
        })
    }

    /// Parses `raw` (a whole message, or an entity: headers, empty line, body) within
    /// `limits`. Fails with `malformed_message` when there are no headers at all, with
    /// `too_large` beyond the limits.
    pub fn parse(raw: &'a [u8], limits: &Limits) -> Result<Self> {
        #[cfg(target_arch = "wasm32")]
        super::text_decoder::install_text_decoder();
        if raw.len() > limits.max_input {
            return Err(Error::new(
                ErrorCode::TooLarge,
                format!(
                    "The message is larger than the limit of {} bytes.",
                    limits.max_input
                ),
            ));
        }
        // mail-parser's offsets are u32.
        if u32::try_from(raw.len()).is_err() {
            return Err(Error::new(ErrorCode::TooLarge, "The message is too large."));
        }
        if let Some(root) = bare_root(raw) {
            return Ok(MimeTree {
                raw,
                message: Rc::default(),
                sources: vec![0],
                parts: vec![root],
            });
        }
        // mail-parser builds every part before we can count them: refuse inputs with far
        // more delimiter-like lines than the part limit allows, before parsing.
        if delimiter_like_lines(raw) > limits.max_parts.saturating_mul(8) {
            return Err(too_large("The message has too many MIME parts."));
        }
        let mut message = MessageParser::default()
            .parse(raw)
            .ok_or_else(|| malformed("The message has no header fields."))?;
        let (parts, sources) = flatten(raw, &mut message, limits)?;
        Ok(MimeTree {
            raw,
            message: Rc::new(message),
            sources,
            parts,
        })
    }

    /// The input.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Every part; index with [`PartId`]. Parts appear in document order, root first.
    pub fn parts(&self) -> &[Part<'a>] {
        &self.parts
    }

    /// The message's header section alone, parsed as a message without a body, and the
    /// offset where the body starts in `raw`: for what needs the root's header fields only
    /// (addresses, or signing and encrypting a message as it is). A body of megabytes is then
    /// never base64-decoded only to be thrown away (protect of a 1 MiB attachment in workerd
    /// decoded it twice: a fifth of its CPU). The whole input is parsed instead where the header
    /// section does not end at a blank line or the input is tool output (`bare_root`).
    pub fn parse_head(raw: &'a [u8], limits: &Limits) -> Result<(Self, usize)> {
        let whole = || -> Result<(Self, usize)> {
            let tree = MimeTree::parse(raw, limits)?;
            let start = tree.root().body_range.start;
            Ok((tree, start))
        };
        if raw.len() > limits.max_input || maybe_bare(raw) {
            return whole();
        }
        let Some(end) = header_section_end(raw) else {
            return whole();
        };
        let head = MimeTree::parse(&raw[..end], limits)?;
        // mail-parser must see the header section end where we do.
        if head.root().body_range.start != end {
            return whole();
        }
        Ok((head, end))
    }

    /// The root part's header fields and the range of its body in `raw` ([`MimeTree::parse_head`]).
    pub fn parse_root_head(
        raw: &'a [u8],
        limits: &Limits,
    ) -> Result<(Vec<HeaderField>, Range<usize>)> {
        let (head, body) = MimeTree::parse_head(raw, limits)?;
        Ok((head.root().headers.clone(), body..raw.len()))
    }

    /// The root part (the whole message).
    pub fn root(&self) -> &Part<'a> {
        // flatten() always yields the root.
        &self.parts[0]
    }

    /// A part by id.
    pub fn part(&self, id: PartId) -> Option<&Part<'a>> {
        self.parts.get(id)
    }

    /// Moves the decoded body of part `id` out (a copy only where it is borrowed from the
    /// input); the part's body is empty afterwards.
    pub(crate) fn take_body(&mut self, id: PartId) -> Vec<u8> {
        self.parts
            .get_mut(id)
            .map(|p| std::mem::take(&mut p.body).into_owned())
            .unwrap_or_default()
    }

    /// Whether part `id` lies inside part `ancestor` (at any depth; not `ancestor` itself).
    pub fn is_inside(&self, id: PartId, ancestor: PartId) -> bool {
        let mut p = self.part(id).and_then(|p| p.parent);
        while let Some(up) = p {
            if up == ancestor {
                return true;
            }
            p = self.part(up).and_then(|x| x.parent);
        }
        false
    }

    /// The bytes of a part exactly as in the input (headers and body).
    pub fn part_bytes(&self, id: PartId) -> &'a [u8] {
        self.parts
            .get(id)
            .and_then(|p| self.raw.get(p.range.clone()))
            .unwrap_or_default()
    }

    /// The header fields of a part (`id`) named `name`, raw values (after the colon, folds
    /// removed, leading/trailing whitespace trimmed).
    pub fn header_values(&self, id: PartId, name: &str) -> Vec<String> {
        let Some(part) = self.parts.get(id) else {
            return Vec::new();
        };
        part.headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case(name))
            .filter_map(|h| self.raw.get(h.range.clone()))
            .map(raw_header_value)
            .collect()
    }

    /// Part `id` and its descendants as a tree of their own, as [`MimeTree::parse`] would
    /// make of [`MimeTree::part_bytes`]: ranges rebased, ids renumbered, the root spanning the
    /// input. Opening a `multipart/signed` message shows its signed part: this spares parsing
    /// (and transfer-decoding every attachment of) that part a second time. The parts are
    /// moved, not cloned: a decoded attachment is not held twice (issue 12's peak memory).
    pub fn into_subtree(mut self, id: PartId) -> Option<MimeTree<'a>> {
        let top = self.parts.get(id)?;
        let (base, top_end, top_depth) = (top.range.start, top.range.end, top.depth);
        let raw = self.raw.get(top.range.clone())?;
        // Parts are in document order (preorder): the descendants follow `id` directly.
        let end = self
            .parts
            .iter()
            .skip(id + 1)
            .position(|p| p.depth <= top_depth)
            .map_or(self.parts.len(), |n| id + 1 + n);
        // `None` (the caller parses the bytes instead) should a range of a damaged input lie
        // outside the part's own.
        let shift = |r: &Range<usize>| -> Option<Range<usize>> {
            (r.start >= base && r.end <= top_end).then(|| r.start - base..r.end - base)
        };
        let sources = self.sources.get(id..end)?.to_vec();
        let mut parts = Vec::with_capacity(end - id);
        for mut q in self.parts.drain(id..end) {
            q.parent = q.parent.filter(|_| q.id != id).map(|parent| parent - id);
            q.id -= id;
            q.children = q.children.iter().map(|c| c - id).collect();
            q.depth -= top_depth;
            q.range = shift(&q.range)?;
            q.body_range = shift(&q.body_range)?;
            for h in &mut q.headers {
                h.range = shift(&h.range)?;
            }
            parts.push(q);
        }
        if let Some(root) = parts.first_mut() {
            root.exact = true;
        }
        Some(MimeTree {
            raw,
            message: self.message,
            sources,
            parts,
        })
    }

    /// The root's header fields in mail-parser's parsed form (addresses, dates, decoded text).
    pub(crate) fn root_headers(&self) -> &[mail_parser::Header<'a>] {
        // Not `Message::headers()`: it indexes parts[0], which a bare input does not have.
        let root = self.sources.first().copied().unwrap_or(0);
        self.message
            .parts
            .get(root)
            .map_or(&[][..], |p| p.headers.as_slice())
    }
}

/// The value of a raw header field `Name: value\r\n folded\r\n`, unfolded and trimmed.
pub(crate) fn raw_header_value(field: &[u8]) -> String {
    let colon = field.iter().position(|&b| b == b':').map_or(0, |i| i + 1);
    let value = field.get(colon..).unwrap_or_default();
    let unfolded: Vec<u8> = value
        .iter()
        .copied()
        .filter(|&b| b != b'\r' && b != b'\n')
        .collect();
    String::from_utf8_lossy(&unfolded).trim().to_string()
}

/// The top-level header fields of an entity and where its body starts, without parsing (and
/// transfer-decoding) the body: for rewriting the header block of an entity we built, where a
/// full [`MimeTree::parse`] would decode every attachment only to throw the result away.
pub fn parse_head(raw: &[u8]) -> Result<(Vec<HeaderField>, usize)> {
    if u32::try_from(raw.len()).is_err() {
        return Err(Error::new(ErrorCode::TooLarge, "The message is too large."));
    }
    let message = MessageParser::default()
        .parse_headers(raw)
        .ok_or_else(|| malformed("The message has no header fields."))?;
    let part = message
        .parts
        .first()
        .ok_or_else(|| malformed("The message has no header fields."))?;
    let headers = header_fields(raw, &part.headers);
    let after_fields = headers.last().map_or(0, |h| h.range.end);
    let rest = raw.get(after_fields..).unwrap_or_default();
    let empty_line = if rest.starts_with(b"\r\n") {
        2
    } else {
        usize::from(rest.starts_with(b"\n"))
    };
    Ok((headers, after_fields + empty_line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lf(s: &str) -> Vec<u8> {
        s.replace("\r\n", "\n").into_bytes()
    }

    /// The header-only parse gives the root's fields and body exactly as the whole parse does,
    /// for real clients' mail, LF line ends, folded fields, no body, no header end, tool output.
    #[test]
    fn root_head_agrees_with_the_whole_parse() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mime");
        let mut inputs: Vec<Vec<u8>> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| std::fs::read(e.unwrap().path()).unwrap())
            .collect();
        assert!(inputs.len() > 20);
        let extra: [&[u8]; 7] = [
            b"Subject: a\r\n folded\r\nContent-Type: text/plain\r\n\r\nbody\r\n",
            b"Subject: only headers\r\n",
            b"Subject: empty body\r\n\r\n",
            b"\r\nno headers at all\r\n",
            b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n!!not base64!!\r\n",
            b"-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----\n",
            b"Subject: mixed\nX: y\r\n\r\nbody",
        ];
        inputs.extend(extra.iter().map(|b| b.to_vec()));
        inputs.extend(
            inputs
                .clone()
                .iter()
                .map(|b| lf(&String::from_utf8_lossy(b))),
        );
        let limits = Limits::default();
        for raw in &inputs {
            let whole = MimeTree::parse(raw, &limits).map(|t| {
                let root = t.root();
                (root.headers.clone(), root.body_range.clone())
            });
            let head = MimeTree::parse_root_head(raw, &limits);
            match (whole, head) {
                (Ok(w), Ok(h)) => assert_eq!(
                    w,
                    h,
                    "{}",
                    String::from_utf8_lossy(&raw[..raw.len().min(80)])
                ),
                (Err(w), Err(h)) => assert_eq!(w.code(), h.code()),
                (w, h) => panic!(
                    "{:?} vs {:?} for {:?}",
                    w.is_ok(),
                    h.is_ok(),
                    String::from_utf8_lossy(&raw[..raw.len().min(80)])
                ),
            }
        }
    }

    /// Every part of every message in the test corpus: its sub-tree is what parsing its bytes
    /// on their own gives (the same parts, ranges, bodies, flags and root headers).
    #[test]
    fn a_subtree_is_the_parse_of_the_parts_bytes() {
        fn emls(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let path = e.path();
                if path.is_dir() {
                    emls(&path, out);
                } else if path.extension().is_some_and(|x| x == "eml") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        emls(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data")),
            &mut files,
        );
        assert!(files.len() > 20, "the corpus is there");
        let limits = Limits::default();
        let mut compared = 0;
        for file in &files {
            let raw = std::fs::read(file).unwrap();
            let Ok(tree) = MimeTree::parse(&raw, &limits) else {
                continue;
            };
            for id in 0..tree.parts().len() {
                let bytes = tree.part_bytes(id);
                let whole = MimeTree::parse(&raw, &limits).unwrap();
                let (Some(sub), Ok(alone)) =
                    (whole.into_subtree(id), MimeTree::parse(bytes, &limits))
                else {
                    continue;
                };
                let what = format!("{} part {id}", file.display());
                assert_eq!(sub.raw(), alone.raw(), "{what}");
                assert_eq!(sub.parts().len(), alone.parts().len(), "{what}");
                for (a, b) in sub.parts().iter().zip(alone.parts()) {
                    assert_eq!(format!("{a:?}"), format!("{b:?}"), "{what}");
                    assert_eq!(
                        (&a.body, &a.text, &a.headers, &a.body_range, a.depth),
                        (&b.body, &b.text, &b.headers, &b.body_range, b.depth),
                        "{what}"
                    );
                    assert_eq!(
                        (&a.content_type.mime, &a.content_type.params, &a.filename),
                        (&b.content_type.mime, &b.content_type.params, &b.filename),
                        "{what}"
                    );
                }
                let names = |t: &MimeTree<'_>| {
                    t.root_headers()
                        .iter()
                        .map(|h| h.name.as_str().to_string())
                        .collect::<Vec<_>>()
                };
                assert_eq!(names(&sub), names(&alone), "{what}");
                compared += 1;
            }
        }
        assert!(compared > 50, "{compared} parts compared");
    }

    #[test]
    fn parse_head_agrees_with_the_full_parse_on_the_root() {
        for raw in [
            SIGNED,
            "Subject: a\nContent-Type: text/plain\n\nbody\n",
            "Subject: only headers\r\n",
            "Subject: folded\r\n  on two lines\r\nX-A: b\r\n\r\n\r\nbody after an empty line",
        ] {
            let tree = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap();
            let (fields, body_start) = parse_head(raw.as_bytes()).unwrap();
            assert_eq!(fields, tree.root().headers, "{raw:?}");
            assert_eq!(body_start, tree.root().body_range.start, "{raw:?}");
            assert_eq!(raw.len(), tree.root().body_range.end);
        }
    }

    const SIGNED: &str = "From: a@example.com\r\n\
Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n micalg=sha-256; boundary=\"BB\"\r\n\
\r\n\
This is an S/MIME signed message\r\n\
\r\n\
--BB\r\n\
Content-Type: text/plain\r\n\
\r\n\
hello \r\n\
\r\n\
--BB\r\n\
Content-Type: application/pkcs7-signature; name=smime.p7s\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
AAEC\r\n\
\r\n\
--BB--\r\n\
epilogue\r\n";

    #[test]
    fn signed_part_range_is_between_delimiter_crlfs() {
        for raw in [SIGNED.as_bytes().to_vec(), lf(SIGNED)] {
            let tree = MimeTree::parse(&raw, &Limits::default()).unwrap();
            let root = tree.root();
            assert_eq!(root.children.len(), 2);
            let signed = tree.part(root.children[0]).unwrap();
            assert!(signed.exact);
            let nl = if raw.contains(&b'\r') { "\r\n" } else { "\n" };
            assert_eq!(
                tree.part_bytes(signed.id),
                format!("Content-Type: text/plain{nl}{nl}hello {nl}").as_bytes()
            );
            let sig = tree.part(root.children[1]).unwrap();
            assert!(sig.exact);
            assert_eq!(&*sig.body, [0, 1, 2]);
            assert_eq!(sig.transfer_encoding, TransferEncoding::Base64);
        }
    }

    #[test]
    fn content_without_a_header_section_is_its_own_text() {
        for (raw, header) in [
            (&b"Content-Type: text/plain\r\n\r\nx"[..], true),
            (b"X-Any_Name.1: v", true),
            (b"From alice@example.org Sat Dec  5 10:00:00 2026\n", true),
            (b"Hello from the desk.\r\n", false),
            (b"Note : spaced\n", false),
            (b": no name\n", false),
        ] {
            assert_eq!(starts_with_header_field(raw), header, "{raw:?}");
        }
        let tree = MimeTree::parse_content(b"Hello, caf\xc3\xa9.\r\n", &Limits::default()).unwrap();
        assert_eq!(tree.root().content_type.mime, "text/plain");
        assert_eq!(tree.root().text.as_deref(), Some("Hello, caf\u{e9}.\r\n"));
        let tree = MimeTree::parse_content(b"Hello, caf\xe9.\n", &Limits::default()).unwrap();
        assert_eq!(tree.root().text.as_deref(), Some("Hello, caf\u{e9}.\n"));
        // A detached signature over such text: the first part is exactly the text.
        let raw = b"Content-Type: multipart/signed; boundary=BB\n\n--BB\nHi there.\r\n\n--BB\n\
                    Content-Type: application/pkcs7-signature\n\nAAAA\n--BB--\n";
        let tree = MimeTree::parse(raw, &Limits::default()).unwrap();
        let first = tree.part(tree.root().children[0]).unwrap();
        assert!(first.exact);
        assert_eq!(tree.part_bytes(first.id), &b"Hi there.\r\n"[..]);
        assert_eq!(first.text.as_deref(), Some("Hi there.\r\n"));
    }

    #[test]
    fn boundary_inside_a_line_is_no_delimiter() {
        // RFC 2046 §5.1.1 (the vendored mail-parser): "--BB" in the middle of a preamble line
        // starts no part; the signed part is the real one, exactly.
        let raw = SIGNED.replace(
            "This is an S/MIME",
            "Preamble --BB trick\r\nThis is an S/MIME",
        );
        let tree = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(tree.root().children.len(), 2);
        let first = tree.part(tree.root().children[0]).unwrap();
        assert!(first.exact);
        assert_eq!(
            tree.part_bytes(first.id),
            &b"Content-Type: text/plain\r\n\r\nhello \r\n"[..]
        );
    }

    #[test]
    fn boundary_prefix_is_not_a_delimiter() {
        // "--BBX" is a line of the preamble, not the first delimiter: one part is left (the
        // signature), which the signed layer refuses.
        let raw = SIGNED.replacen(
            "--BB\r\nContent-Type: text/plain",
            "--BBX\r\nContent-Type: text/plain",
            1,
        );
        let tree = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap();
        let children = &tree.root().children;
        assert_eq!(children.len(), 1, "{:?}", tree.parts());
        assert!(tree
            .part(children[0])
            .unwrap()
            .content_type
            .is("application/pkcs7-signature"));
    }

    #[test]
    fn nested_multipart_ranges_and_transport_padding() {
        let raw = "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o \t\r\n\
Content-Type: multipart/alternative; boundary=i\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nA\r\n--i\r\n\
Content-Type: text/html\r\n\r\n<b>A</b>\r\n--i--\r\n\r\n--o\r\nContent-Type: application/octet-stream\r\n\
Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC.bin\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--o--\r\n";
        let tree = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(tree.parts().len(), 5);
        assert!(tree.parts().iter().all(|p| p.exact), "{:?}", tree.parts());
        let alt = tree.part(1).unwrap();
        assert_eq!(alt.content_type.mime, "multipart/alternative");
        assert_eq!(alt.children, [2, 3]);
        assert!(tree.part_bytes(1).ends_with(b"--i--\r\n"));
        assert_eq!(tree.part(2).unwrap().text.as_deref(), Some("A"));
        let att = tree.part(4).unwrap();
        assert_eq!(att.filename.as_deref(), Some("€.bin"));
        assert_eq!(att.depth, 1);
        assert!(att.is_attachment());
    }

    #[test]
    fn limits_are_enforced() {
        let mut raw = String::new();
        for i in 0..20 {
            raw.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n"
            ));
        }
        raw.push_str("Content-Type: text/plain\r\n\r\nx\r\n");
        let err = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::TooLarge);
        let small = Limits {
            max_input: 10,
            ..Limits::default()
        };
        assert_eq!(
            MimeTree::parse(SIGNED.as_bytes(), &small)
                .unwrap_err()
                .code(),
            ErrorCode::TooLarge
        );
        assert_eq!(
            MimeTree::parse(b"", &Limits::default()).unwrap_err().code(),
            ErrorCode::MalformedMessage
        );
    }

    #[test]
    fn bare_tool_output_is_read_as_a_single_part() {
        let armor = b"-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----\n";
        let tree = MimeTree::parse(armor, &Limits::default()).unwrap();
        assert_eq!(tree.root().content_type.mime, "text/plain");
        assert_eq!(&*tree.root().body, armor);
        // Regression (found by the mutation loop): no parsed header block to index.
        assert!(tree.root_headers().is_empty());
        let binary = [0x85u8, 0x01, 0x0c, 0x03];
        let tree = MimeTree::parse(&binary, &Limits::default()).unwrap();
        assert_eq!(tree.root().filename.as_deref(), Some("message.pgp"));
        // An ordinary message is not affected.
        let tree = MimeTree::parse(b"From: a@example.com\r\n\r\nhi", &Limits::default()).unwrap();
        assert_eq!(tree.root().headers.len(), 1);
    }

    #[test]
    fn forwarded_message_body_is_only_that_message() {
        let raw = b"Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nsee below\r\n--m\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@example.com\r\nSubject: inner\r\n\r\ninner body\r\n--m--\r\n";
        let tree = MimeTree::parse(raw, &Limits::default()).unwrap();
        let fwd = tree.part(2).unwrap();
        assert_eq!(fwd.content_type.mime, "message/rfc822");
        assert_eq!(
            &*fwd.body,
            b"From: x@example.com\r\nSubject: inner\r\n\r\ninner body"
        );
        assert!(fwd.exact);
    }

    #[test]
    fn part_bombs_are_refused_before_parsing() {
        let mut raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n".to_vec();
        for _ in 0..10_000 {
            raw.extend_from_slice(b"--b\r\n\r\nx\r\n");
        }
        let err = MimeTree::parse(&raw, &Limits::default()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::TooLarge);
    }

    #[test]
    fn duplicate_content_type_is_ambiguous() {
        let raw = b"Content-Type: text/plain\r\nContent-Type: application/pkcs7-mime\r\n\r\nx";
        let tree = MimeTree::parse(raw, &Limits::default()).unwrap();
        assert!(tree.root().ambiguous);
    }

    #[test]
    fn text_keeps_transfer_decoded_bytes_and_utf8() {
        let raw = b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=E9\r\n";
        let tree = MimeTree::parse(raw, &Limits::default()).unwrap();
        assert_eq!(&*tree.root().body, b"caf\xe9\r\n");
        assert_eq!(tree.root().text.as_deref(), Some("café\r\n"));
        assert_eq!(
            tree.header_values(0, "content-type"),
            ["text/plain; charset=iso-8859-1"]
        );
    }

    #[test]
    fn undeclared_8bit_text_is_read_as_windows_1252_unless_it_is_utf8() {
        let part = |ct: &str, body: &[u8]| {
            let mut raw = format!("Content-Type: {ct}\r\n\r\n").into_bytes();
            raw.extend_from_slice(body);
            let tree = MimeTree::parse(&raw, &Limits::default()).unwrap();
            tree.root().text.clone().unwrap()
        };
        assert_eq!(part("text/plain", b"Gr\xfc\xdfe \x80"), "Grüße €");
        assert_eq!(
            part("text/plain; charset=us-ascii", b"Gr\xfc\xdfe"),
            "Grüße"
        );
        assert_eq!(part("text/plain", "Grüße".as_bytes()), "Grüße");
        // A declared charset is what it says, even when the bytes do not fit it.
        assert_eq!(part("text/plain; charset=utf-8", b"Gr\xfc"), "Gr\u{fffd}");
    }
}

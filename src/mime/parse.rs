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
use std::borrow::Cow;
use std::rc::Rc;

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{HeaderName, Message, MessageParser, MessagePart, MimeHeaders};

use crate::error::{Error, ErrorCode, Result};

/// Index of a part in [`MimeTree::parts`]; the root is `0`.
pub type PartId = usize;

/// Safety limits for parsing untrusted mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input in bytes.
    pub max_input: usize,
    /// Deepest multipart nesting (the root is depth 0).
    pub max_depth: usize,
    /// Most parts in one message (multiparts included).
    pub max_parts: usize,
}

impl Default for Limits {
    /// 64 MiB, depth 16, 1000 parts: far beyond what mail clients send.
    fn default() -> Self {
        Limits {
            max_input: 64 * 1024 * 1024,
            max_depth: 16,
            max_parts: 1000,
        }
    }
}

/// A `Content-Type` (or `Content-Disposition`) value: lower-case type and parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    /// `type/subtype`, lower-case, e.g. `multipart/signed`. `text/plain` when absent
    /// (RFC 2045 §5.2).
    pub mime: String,
    /// Parameters in order, names lower-case, values decoded (RFC 2231 continuations and
    /// charsets, RFC 2047 encoded-words).
    pub params: Vec<(String, String)>,
}

impl ContentType {
    /// A parameter's value by (case-insensitive) name.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether this is `mime` (case-insensitive, e.g. `"application/pkcs7-mime"`).
    pub fn is(&self, mime: &str) -> bool {
        self.mime.eq_ignore_ascii_case(mime)
    }

    /// The top-level type, e.g. `multipart`.
    pub fn main_type(&self) -> &str {
        self.mime.split('/').next().unwrap_or("")
    }

    fn from_parser(ct: &mail_parser::ContentType<'_>) -> Self {
        let mime = match &ct.c_subtype {
            Some(sub) => format!("{}/{}", ct.c_type, sub),
            None => ct.c_type.to_string(),
        }
        .to_ascii_lowercase();
        let params = ct
            .attributes
            .iter()
            .flatten()
            .map(|a| (a.name.to_ascii_lowercase(), a.value.to_string()))
            .collect();
        ContentType { mime, params }
    }
}

/// The declared `Content-Transfer-Encoding` (RFC 2045 §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferEncoding {
    /// `7bit`, or no header.
    SevenBit,
    /// `8bit`.
    EightBit,
    /// `binary`.
    Binary,
    /// `quoted-printable`.
    QuotedPrintable,
    /// `base64`.
    Base64,
    /// Anything else (treated as identity, like `mail-parser` does).
    Other(String),
}

impl TransferEncoding {
    fn parse(value: Option<&str>) -> Self {
        let Some(v) = value else {
            return TransferEncoding::SevenBit;
        };
        match v.trim().to_ascii_lowercase().as_str() {
            "7bit" | "" => TransferEncoding::SevenBit,
            "8bit" => TransferEncoding::EightBit,
            "binary" => TransferEncoding::Binary,
            "quoted-printable" => TransferEncoding::QuotedPrintable,
            "base64" => TransferEncoding::Base64,
            other => TransferEncoding::Other(other.to_string()),
        }
    }
}

/// One header field as it appears in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderField {
    /// The field name as written.
    pub name: String,
    /// The whole field in the input: name, colon, value, folds and the final line end.
    pub range: Range<usize>,
}

/// One MIME part; a body that needed no decoding is borrowed from the input (`'a`).
#[derive(Clone)]
pub struct Part<'a> {
    /// This part's index.
    pub id: PartId,
    /// The enclosing multipart, `None` for the root.
    pub parent: Option<PartId>,
    /// Sub-parts of a multipart, in order.
    pub children: Vec<PartId>,
    /// Multipart nesting depth (root 0).
    pub depth: usize,
    /// The content type (`text/plain` when absent).
    pub content_type: ContentType,
    /// `Content-Disposition`, when present.
    pub disposition: Option<ContentType>,
    /// The file name (`filename` of the disposition, else `name` of the type), decoded.
    pub filename: Option<String>,
    /// The declared transfer encoding.
    pub transfer_encoding: TransferEncoding,
    /// The header fields of this part, in order.
    pub headers: Vec<HeaderField>,
    /// The whole part in the input: from its first header byte to the end of its body (the
    /// CRLF before the next delimiter excluded).
    pub range: Range<usize>,
    /// The body (after the empty line) in the input.
    pub body_range: Range<usize>,
    /// The body after transfer decoding, in its declared charset. Empty for multiparts.
    pub body: Cow<'a, [u8]>,
    /// For `text/*` leaves: the body decoded to UTF-8 from its declared charset.
    pub text: Option<String>,
    /// Whether `range` is framed by real delimiter lines (RFC 2046 §5.1.1) of the parent's
    /// boundary: only such a part may be used as the exact signed content.
    pub exact: bool,
    /// A MIME header (`Content-Type`, `Content-Transfer-Encoding`, `Content-Disposition`)
    /// appears more than once: readers may disagree on what the part is.
    pub ambiguous: bool,
    /// The parser had to recover from a broken body or structure.
    pub damaged: bool,
}

impl core::fmt::Debug for Part<'_> {
    // Bodies are message content: never in Debug output.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Part")
            .field("id", &self.id)
            .field("parent", &self.parent)
            .field("children", &self.children)
            .field("content_type", &self.content_type.mime)
            .field("transfer_encoding", &self.transfer_encoding)
            .field("range", &self.range)
            .field("body_len", &self.body.len())
            .field("exact", &self.exact)
            .field("ambiguous", &self.ambiguous)
            .field("damaged", &self.damaged)
            .finish()
    }
}

impl Part<'_> {
    /// Whether this part is a multipart (has sub-parts).
    pub fn is_multipart(&self) -> bool {
        self.content_type.main_type() == "multipart"
    }

    /// Whether the disposition says `attachment`.
    pub fn is_attachment(&self) -> bool {
        self.disposition
            .as_ref()
            .is_some_and(|d| d.mime.eq_ignore_ascii_case("attachment"))
    }
}

/// A parsed message (or entity) with exact ranges; borrows the input.
pub struct MimeTree<'a> {
    raw: &'a [u8],
    /// mail-parser's parse, shared with sub-trees ([`MimeTree::subtree`]).
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
    /// (and transfer-decoding every attachment of) that part a second time.
    pub fn subtree(&self, id: PartId) -> Option<MimeTree<'a>> {
        let top = self.parts.get(id)?;
        let base = top.range.start;
        let raw = self.raw.get(top.range.clone())?;
        // Parts are in document order (preorder): the descendants follow `id` directly.
        let end = self
            .parts
            .iter()
            .skip(id + 1)
            .position(|p| p.depth <= top.depth)
            .map_or(self.parts.len(), |n| id + 1 + n);
        // `None` (the caller parses the bytes instead) should a range of a damaged input lie
        // outside the part's own.
        let shift = |r: &Range<usize>| -> Option<Range<usize>> {
            (r.start >= base && r.end <= top.range.end).then(|| r.start - base..r.end - base)
        };
        let mut parts = Vec::with_capacity(end - id);
        for p in self.parts.get(id..end)? {
            let mut q = p.clone();
            q.id -= id;
            q.parent = p.parent.filter(|_| p.id != id).map(|parent| parent - id);
            q.children = p.children.iter().map(|c| c - id).collect();
            q.depth -= top.depth;
            q.range = shift(&p.range)?;
            q.body_range = shift(&p.body_range)?;
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
            message: Rc::clone(&self.message),
            sources: self.sources.get(id..end)?.to_vec(),
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

/// Lines starting with `--` (possible boundary delimiters).
fn delimiter_like_lines(raw: &[u8]) -> usize {
    let starts = raw.starts_with(b"--") as usize;
    starts + crate::bytes::count(raw, b"\n--")
}

/// The offset just past the blank line that ends the header section (CRLF CRLF or LF LF),
/// if there is one before the end.
fn header_section_end(raw: &[u8]) -> Option<usize> {
    let crlf = memchr::memmem::find(raw, b"\r\n\r\n").map(|i| i + 4);
    let lf = memchr::memmem::find(raw, b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
    .filter(|&end| end < raw.len())
}

/// Whether `raw` may be tool output that [`bare_root`] reads (a superset of its cases: an
/// armor line, DER, a binary OpenPGP packet).
fn maybe_bare(raw: &[u8]) -> bool {
    let start = raw
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    raw[start..].starts_with(b"-----BEGIN ") || raw.first().is_some_and(|&b| b == 0x30 || b >= 0x80)
}

/// Whether `raw` starts with a header field (`name:` with a name of printable ASCII other
/// than the colon, RFC 5322 §3.6.8), or a UNIX mbox "From " line.
fn starts_with_header_field(raw: &[u8]) -> bool {
    if raw.starts_with(b"From ") {
        return true;
    }
    let name_len = raw
        .iter()
        .take_while(|&&b| (33..=126).contains(&b) && b != b':')
        .count();
    name_len > 0 && raw.get(name_len) == Some(&b':')
}

/// Protected content without a header section: one `text/plain` part, its charset undeclared
/// (UTF-8 when it is valid UTF-8, windows-1252 otherwise, as for any undeclared 8-bit text).
fn headerless_text(raw: &[u8]) -> Part<'_> {
    let content_type = ContentType {
        mime: "text/plain".to_string(),
        params: Vec::new(),
    };
    let text = undeclared_8bit(&content_type, raw)
        .unwrap_or_else(|| String::from_utf8_lossy(raw).into_owned());
    Part {
        id: 0,
        parent: None,
        children: Vec::new(),
        depth: 0,
        content_type,
        disposition: None,
        filename: None,
        transfer_encoding: TransferEncoding::Binary,
        headers: Vec::new(),
        range: 0..raw.len(),
        body_range: 0..raw.len(),
        body: Cow::Borrowed(raw),
        text: Some(text),
        exact: true,
        ambiguous: false,
        damaged: false,
    }
}

/// Tool output that is not a MIME message but is read as one: an armored OpenPGP block
/// (`gpg --armor`, `--clearsign`) as a `text/plain` body, a binary OpenPGP message as a
/// `.pgp` file, a DER or PEM CMS object (`openssl smime -outform DER|PEM`) as
/// `application/pkcs7-mime`. Without this, the first armor line would be taken for a header.
fn bare_root(raw: &[u8]) -> Option<Part<'_>> {
    let start = raw.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = &raw[start..];
    let (mime, filename, body): (&str, Option<&str>, Vec<u8>) = if rest
        .starts_with(b"-----BEGIN PGP ")
    {
        ("text/plain", None, raw.to_vec())
    } else if rest.starts_with(b"-----BEGIN PKCS7-----") || rest.starts_with(b"-----BEGIN CMS-----")
    {
        let text = core::str::from_utf8(rest).ok()?;
        let (_, der) = der::pem::decode_vec(text.trim().as_bytes()).ok()?;
        ("application/pkcs7-mime", None, der)
    } else if raw[0] == 0x30 && super::cms_kind::cms_kind(raw).is_some() {
        ("application/pkcs7-mime", None, raw.to_vec())
    } else if raw[0] & 0x80 != 0 && !raw.starts_with(b"\xef\xbb\xbf") {
        // An OpenPGP packet header (RFC 9580 §4.2) cannot start a header field name (a
        // UTF-8 byte-order mark can, in .eml files saved on Windows).
        (
            "application/octet-stream",
            Some("message.pgp"),
            raw.to_vec(),
        )
    } else {
        return None;
    };
    let text = (mime == "text/plain").then(|| String::from_utf8_lossy(raw).into_owned());
    Some(Part {
        id: 0,
        parent: None,
        children: Vec::new(),
        depth: 0,
        content_type: ContentType {
            mime: mime.to_string(),
            params: Vec::new(),
        },
        disposition: None,
        filename: filename.map(str::to_string),
        transfer_encoding: TransferEncoding::Binary,
        headers: Vec::new(),
        range: 0..raw.len(),
        body_range: 0..raw.len(),
        body: body.into(),
        text,
        exact: true,
        ambiguous: false,
        damaged: false,
    })
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

fn malformed(msg: &str) -> Error {
    Error::new(ErrorCode::MalformedMessage, msg)
}

fn too_large(msg: &str) -> Error {
    Error::new(ErrorCode::TooLarge, msg)
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

/// mail-parser's header fields as ours: names, and ranges clamped to the input.
fn header_fields(raw: &[u8], headers: &[mail_parser::Header<'_>]) -> Vec<HeaderField> {
    headers
        .iter()
        .map(|h| HeaderField {
            name: h.name.as_str().to_string(),
            range: (h.offset_field as usize).min(raw.len())..(h.offset_end as usize).min(raw.len()),
        })
        .collect()
}

/// Walks mail-parser's part list from the root and builds our parts with checked ranges.
/// Also gives mail-parser's index of each part.
/// The parts in document order; binary bodies are moved out of mail-parser's parts, not copied.
fn flatten<'a>(
    raw: &'a [u8],
    message: &mut Message<'a>,
    limits: &Limits,
) -> Result<(Vec<Part<'a>>, Vec<usize>)> {
    if message.parts.is_empty() {
        return Err(malformed("The message has no parts."));
    }
    if message.parts.len() > limits.max_parts {
        return Err(too_large("The message has too many MIME parts."));
    }
    let mut out: Vec<Part> = Vec::new();
    let mut sources: Vec<usize> = Vec::new();
    // (mail-parser id, parent, depth, boundary of the parent)
    let mut stack: Vec<(usize, Option<PartId>, usize, Option<String>)> = vec![(0, None, 0, None)];
    let mut seen = vec![false; message.parts.len()];
    while let Some((src, parent, depth, parent_boundary)) = stack.pop() {
        if depth > limits.max_depth {
            return Err(too_large("The message's MIME parts are nested too deeply."));
        }
        let Some(mp) = message.parts.get_mut(src) else {
            return Err(malformed("The MIME structure is inconsistent."));
        };
        if std::mem::replace(&mut seen[src], true) {
            return Err(malformed("The MIME structure is inconsistent."));
        }
        let id = out.len();
        let mut part = convert(raw, mp, id, parent, depth);
        part.exact = match (&parent_boundary, parent) {
            (Some(b), Some(_)) => framed(raw, &part.range, b),
            // The root spans the whole input.
            _ => part.range.start == 0 && part.range.end == raw.len(),
        };
        if let (false, Some(b), Some(bytes)) =
            (part.exact, &parent_boundary, raw.get(part.range.clone()))
        {
            // A body part without a header section (`openssl cms -sign` of a plain text
            // file): mail-parser takes its first line for a header and runs the "empty line"
            // into the next delimiter's line end. Its text, exactly framed, is its body.
            if !starts_with_header_field(bytes) && !bytes.starts_with(b"\n") {
                let trimmed = bytes
                    .strip_suffix(b"\r\n")
                    .or_else(|| bytes.strip_suffix(b"\n"))
                    .map(|t| part.range.start..part.range.start + t.len());
                if let Some(range) = trimmed.filter(|r| framed(raw, r, b)) {
                    let mut text = headerless_text(&raw[range.clone()]);
                    text.id = part.id;
                    text.parent = part.parent;
                    text.depth = part.depth;
                    text.body_range = range.clone();
                    text.range = range;
                    part = text;
                }
            }
        }
        let sub_ids: Vec<usize> = match &mp.body {
            mail_parser::PartType::Multipart(ids) => ids.iter().map(|&i| i as usize).collect(),
            _ => Vec::new(),
        };
        if part.is_multipart() && sub_ids.is_empty() {
            part.damaged = true;
        }
        let boundary = part.content_type.param("boundary").map(str::to_string);
        if let Some(p) = parent.and_then(|p| out.get_mut(p)) {
            p.children.push(id);
        }
        out.push(part);
        sources.push(src);
        // Children in document order: push reversed.
        for &child in sub_ids.iter().rev() {
            stack.push((child, Some(id), depth + 1, boundary.clone()));
        }
    }
    Ok((out, sources))
}

fn convert<'a>(
    raw: &'a [u8],
    mp: &mut MessagePart<'a>,
    id: PartId,
    parent: Option<PartId>,
    depth: usize,
) -> Part<'a> {
    let start = (mp.offset_header as usize).min(raw.len());
    let body_start = (mp.offset_body as usize).clamp(start, raw.len());
    let end = (mp.offset_end as usize).clamp(body_start, raw.len());
    let content_type = mp
        .content_type()
        .map(ContentType::from_parser)
        .unwrap_or_else(|| ContentType {
            mime: "text/plain".into(),
            params: Vec::new(),
        });
    let disposition = mp.content_disposition().map(ContentType::from_parser);
    let filename = mp.attachment_name().map(str::to_string);
    let transfer_encoding = TransferEncoding::parse(mp.content_transfer_encoding());
    let headers = header_fields(raw, &mp.headers);
    let count = |name: HeaderName<'_>| mp.headers.iter().filter(|h| h.name == name).count();
    let ambiguous = count(HeaderName::ContentType) > 1
        || count(HeaderName::ContentTransferEncoding) > 1
        || count(HeaderName::ContentDisposition) > 1;
    let raw_body = raw.get(body_start..end).unwrap_or_default();
    let mut damaged = mp.is_encoding_problem;
    let (body, text): (Cow<'a, [u8]>, _) = match &mut mp.body {
        mail_parser::PartType::Multipart(_) => (Cow::Borrowed(&[]), None),
        mail_parser::PartType::Text(t) | mail_parser::PartType::Html(t) => {
            // mail-parser gives the charset-decoded string; keep the transfer-decoded bytes
            // too (inline OpenPGP signatures cover the bytes in their own charset).
            let bytes = transfer_decode(raw_body, &transfer_encoding).unwrap_or_else(|| {
                damaged = true;
                raw_body.to_vec()
            });
            (bytes.into(), Some(t.to_string()))
        }
        // Moved out of mail-parser's part (not read again): decoded, or borrowed from the input.
        mail_parser::PartType::Binary(b) | mail_parser::PartType::InlineBinary(b) => {
            (std::mem::take(b), None)
        }
        // Not `m.raw_message`: for an unencoded nested message mail-parser stores the whole
        // outer input there.
        mail_parser::PartType::Message(_) => {
            let bytes = transfer_decode(raw_body, &transfer_encoding).unwrap_or_else(|| {
                damaged = true;
                raw_body.to_vec()
            });
            (bytes.into(), None)
        }
    };
    let text = if content_type.main_type() == "text" {
        text.or_else(|| Some(String::from_utf8_lossy(&body).into_owned()))
            .map(|t| undeclared_8bit(&content_type, &body).unwrap_or(t))
    } else {
        None
    };
    Part {
        id,
        parent,
        children: Vec::new(),
        depth,
        content_type,
        disposition,
        filename,
        transfer_encoding,
        headers,
        range: start..end,
        body_range: body_start..end,
        body,
        text,
        exact: false,
        ambiguous,
        damaged,
    }
}

/// 8-bit text that names no charset, or US-ASCII, and is not UTF-8: legacy clients' Latin-1,
/// decoded as windows-1252 the way browsers decode it (replacement characters otherwise).
/// Valid UTF-8 stays UTF-8 (modern clients that leave the charset out).
fn undeclared_8bit(content_type: &ContentType, body: &[u8]) -> Option<String> {
    let undeclared = content_type.param("charset").is_none_or(|c| {
        let c = c.trim();
        c.eq_ignore_ascii_case("us-ascii") || c.eq_ignore_ascii_case("ascii")
    });
    if !undeclared || body.is_ascii() || core::str::from_utf8(body).is_ok() {
        return None;
    }
    mail_parser::decoders::charsets::map::charset_decoder(b"windows-1252").map(|d| d(body))
}

/// Transfer-decodes a body (RFC 2045 §6.7, §6.8); `None` when the encoding is broken.
pub(crate) fn transfer_decode(body: &[u8], encoding: &TransferEncoding) -> Option<Vec<u8>> {
    match encoding {
        TransferEncoding::Base64 => base64_decode(body),
        TransferEncoding::QuotedPrintable => quoted_printable_decode(body),
        _ => Some(body.to_vec()),
    }
}

/// Whether `range` is exactly a body part of a multipart with `boundary`: the line before it
/// is a delimiter line `--boundary` (plus transport padding), and it is followed by the line
/// end that starts the next delimiter (RFC 2046 §5.1.1).
fn framed(raw: &[u8], range: &Range<usize>, boundary: &str) -> bool {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    // Before: "...\n--boundary[ \t]*\r?\n" ending exactly at range.start.
    let Some(before) = raw.get(..range.start) else {
        return false;
    };
    let Some(before) = before.strip_suffix(b"\n") else {
        return false;
    };
    let before = before.strip_suffix(b"\r").unwrap_or(before);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = &before[line_start..];
    let Some(padding) = line.strip_prefix(delimiter) else {
        return false;
    };
    if !padding.iter().all(|&b| b == b' ' || b == b'\t') {
        return false;
    }
    // After: "\r?\n--boundary" then "--", padding, or a line end.
    let Some(after) = raw.get(range.end..) else {
        return false;
    };
    let after = after.strip_prefix(b"\r").unwrap_or(after);
    let Some(after) = after.strip_prefix(b"\n") else {
        return false;
    };
    let Some(rest) = after.strip_prefix(delimiter) else {
        return false;
    };
    let rest = rest.strip_prefix(b"--").unwrap_or(rest);
    let rest: &[u8] = {
        let n = rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        &rest[n..]
    };
    rest.is_empty() || rest.starts_with(b"\r\n") || rest.starts_with(b"\n")
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
                let (Some(sub), Ok(alone)) = (tree.subtree(id), MimeTree::parse(bytes, &limits))
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
    fn boundary_inside_a_line_is_not_exact() {
        // mail-parser finds "--BB" anywhere; such a part must not be taken as signed content.
        let raw = SIGNED.replace(
            "This is an S/MIME",
            "Preamble --BB trick\r\nThis is an S/MIME",
        );
        let tree = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap();
        let first = tree.part(tree.root().children[0]).unwrap();
        assert!(!first.exact);
    }

    #[test]
    fn boundary_prefix_is_not_a_delimiter() {
        let raw = SIGNED.replacen(
            "--BB\r\nContent-Type: text/plain",
            "--BBX\r\nContent-Type: text/plain",
            1,
        );
        let tree = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap();
        assert!(tree
            .root()
            .children
            .iter()
            .filter_map(|&c| tree.part(c))
            .any(|p| !p.exact));
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

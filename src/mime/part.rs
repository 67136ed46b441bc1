//! The parts of a parsed MIME tree: [`Part`] with its type, disposition, transfer encoding and
//! ranges; [`Limits`]; decoding a part's body and undeclared 8-bit text.

use core::ops::Range;
use std::borrow::Cow;

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;

use crate::error::{Error, ErrorCode};

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

    pub(super) fn from_parser(ct: &mail_parser::ContentType<'_>) -> Self {
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
    pub(super) fn parse(value: Option<&str>) -> Self {
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

pub(super) fn malformed(msg: &str) -> Error {
    Error::new(ErrorCode::MalformedMessage, msg)
}

pub(super) fn too_large(msg: &str) -> Error {
    Error::new(ErrorCode::TooLarge, msg)
}

/// 8-bit text that names no charset, or US-ASCII, and is not UTF-8: legacy clients' Latin-1,
/// decoded as windows-1252 the way browsers decode it (replacement characters otherwise).
/// Valid UTF-8 stays UTF-8 (modern clients that leave the charset out).
pub(super) fn undeclared_8bit(content_type: &ContentType, body: &[u8]) -> Option<String> {
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

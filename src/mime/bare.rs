//! Input that is not MIME as `mail-parser` reads it: content without a header section (its
//! own `text/plain` body) and tool output (armored or binary OpenPGP, DER / PEM CMS), each
//! read as a single part; and the cheap looks at raw bytes taken before parsing.

use std::borrow::Cow;

use super::part::{undeclared_8bit, ContentType, Part, TransferEncoding};

/// Lines starting with `--` (possible boundary delimiters).
pub(super) fn delimiter_like_lines(raw: &[u8]) -> usize {
    let starts = raw.starts_with(b"--") as usize;
    starts + crate::bytes::count(raw, b"\n--")
}

/// The offset just past the blank line that ends the header section (CRLF CRLF or LF LF),
/// if there is one before the end.
pub(super) fn header_section_end(raw: &[u8]) -> Option<usize> {
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
pub(super) fn maybe_bare(raw: &[u8]) -> bool {
    let start = raw
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    raw[start..].starts_with(b"-----BEGIN ") || raw.first().is_some_and(|&b| b == 0x30 || b >= 0x80)
}

/// Whether `raw` starts with a header field (`name:` with a name of printable ASCII other
/// than the colon, RFC 5322 §3.6.8), or a UNIX mbox "From " line.
pub(super) fn starts_with_header_field(raw: &[u8]) -> bool {
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
pub(super) fn headerless_text(raw: &[u8]) -> Part<'_> {
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
pub(super) fn bare_root(raw: &[u8]) -> Option<Part<'_>> {
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

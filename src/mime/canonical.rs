//! The canonical form of an entity before it is signed (RFC 5751 §3.1, RFC 3156 §5,
//! RFC 2045 §6): every line end CRLF, every body 7-bit, and nothing a relay may rewrite.
//!
//! - text bodies that are 8-bit, have lines over 998 bytes, trailing whitespace, or lines
//!   starting `From ` (mbox relays write `>From `) are re-encoded as quoted-printable, with
//!   the `F` of `From ` written `=46` (RFC 3156 §3, RFC 2045 §6.7 rule 3);
//! - other bodies that are not 7-bit clean are re-encoded as base64;
//! - bodies already 7-bit and safe are kept byte for byte (line ends made CRLF);
//! - multiparts are rebuilt recursively with their own boundaries (preamble and epilogue
//!   dropped: no reader shows them); `message/rfc822` parts are canonicalized as entities.
//!
//! Header fields are kept as they are (line ends made CRLF), except raw 8-bit ones, which are
//! rewritten with RFC 2231 parameters / RFC 2047 encoded-words; `Content-Transfer-Encoding`
//! is replaced when a body is re-encoded.

use super::build::{base64_body, header_value};
use super::line_ends::to_crlf;
use super::parse::{raw_header_value, transfer_decode, Limits, MimeTree, Part, TransferEncoding};
use crate::error::{Error, ErrorCode, Result};

/// Longest line RFC 5322 §2.1.1 allows, without its CRLF.
const MAX_LINE: usize = 998;

/// The canonical, 7-bit, CRLF form of `entity` (header fields, empty line, body) for
/// signing. Fails on input that is not MIME at all (`malformed_message`) or beyond `limits`.
pub fn canonicalize(entity: &[u8], limits: &Limits) -> Result<Vec<u8>> {
    canonicalize_at(entity, limits, 0)
}

fn canonicalize_at(entity: &[u8], limits: &Limits, nesting: usize) -> Result<Vec<u8>> {
    if nesting > limits.max_depth {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "Attached messages are nested too deeply.",
        ));
    }
    let tree = MimeTree::parse(entity, limits)?;
    let mut out = Vec::with_capacity(entity.len() + entity.len() / 8 + 64);
    write_part(&tree, 0, limits, nesting, &mut out)?;
    Ok(out)
}

fn write_part(
    tree: &MimeTree<'_>,
    id: usize,
    limits: &Limits,
    nesting: usize,
    out: &mut Vec<u8>,
) -> Result<()> {
    let Some(part) = tree.part(id) else {
        return Err(Error::internal("MIME part index out of range"));
    };
    if part.is_multipart() && !part.children.is_empty() {
        let boundary = part.content_type.param("boundary").unwrap_or_default();
        write_headers(tree, part, false, None, out);
        for &child in &part.children {
            out.extend_from_slice(b"--");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"\r\n");
            write_part(tree, child, limits, nesting, out)?;
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"--\r\n");
        return Ok(());
    }
    let raw_body = tree.raw().get(part.body_range.clone()).unwrap_or_default();
    if part.content_type.main_type() == "message" {
        // message/rfc822 may only be 7bit/8bit/binary (RFC 2046 §5.2.1): canonicalize the
        // enclosed message itself.
        let inner = canonicalize_at(&part.body, limits, nesting + 1)?;
        write_headers(tree, part, true, Some("7bit"), out);
        out.extend_from_slice(&inner);
        return Ok(());
    }
    let is_text = part.content_type.main_type() == "text";
    match &part.transfer_encoding {
        TransferEncoding::Base64 if is_clean_7bit(raw_body) => {
            write_headers(tree, part, false, None, out);
            out.extend_from_slice(&to_crlf(raw_body));
        }
        TransferEncoding::QuotedPrintable | TransferEncoding::SevenBit
            if is_safe_text(&to_crlf(raw_body)) =>
        {
            write_headers(tree, part, false, None, out);
            out.extend_from_slice(&to_crlf(raw_body));
        }
        encoding => {
            let decoded = transfer_decode(raw_body, encoding).unwrap_or_else(|| raw_body.to_vec());
            if is_text {
                let text = to_crlf(&decoded);
                if is_safe_text(&text) {
                    write_headers(tree, part, true, Some("7bit"), out);
                    out.extend_from_slice(&text);
                } else {
                    write_headers(tree, part, true, Some("quoted-printable"), out);
                    out.extend_from_slice(&quoted_printable(&text));
                }
            } else if is_safe_text(&decoded) && !decoded.contains(&b'\r') {
                // 7-bit line data without CRs (armored keys, ...): line ends to CRLF is
                // what 7bit means (RFC 2045 §2.7).
                write_headers(tree, part, true, Some("7bit"), out);
                out.extend_from_slice(&to_crlf(&decoded));
            } else {
                write_headers(tree, part, true, Some("base64"), out);
                out.extend_from_slice(&base64_body(&decoded));
            }
        }
    }
    Ok(())
}

/// Writes the part's header fields (CRLF), replacing `Content-Transfer-Encoding` with
/// `encoding` when `replace_cte`, then the empty line.
fn write_headers(
    tree: &MimeTree<'_>,
    part: &Part,
    replace_cte: bool,
    encoding: Option<&str>,
    out: &mut Vec<u8>,
) {
    for field in &part.headers {
        if replace_cte && field.name.eq_ignore_ascii_case("content-transfer-encoding") {
            continue;
        }
        let raw = tree.raw().get(field.range.clone()).unwrap_or_default();
        if !raw.is_ascii() {
            out.extend_from_slice(&encode_8bit_field(part, &field.name, raw));
            continue;
        }
        let mut line = to_crlf(raw);
        if !line.ends_with(b"\r\n") {
            line.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(&line);
    }
    if replace_cte {
        if let Some(enc) = encoding {
            // 7bit is the default; write it only where a body was re-encoded away from it.
            if enc != "7bit" || part.transfer_encoding != TransferEncoding::SevenBit {
                out.extend_from_slice(b"Content-Transfer-Encoding: ");
                out.extend_from_slice(enc.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// A header field with raw 8-bit bytes (RFC 6532 style), rewritten 7-bit: Content-Type and
/// Content-Disposition parameters as RFC 2231, anything else as RFC 2047 encoded-words.
fn encode_8bit_field(part: &Part, name: &str, raw: &[u8]) -> Vec<u8> {
    use mail_builder::headers::content_type::ContentType as MbContentType;
    use mail_builder::headers::text::Text as MbText;
    // Decoded values (and names of damaged fields) may hold control characters: never
    // write them raw.
    let clean = |v: &str| -> String {
        v.chars()
            .filter(|c| !c.is_control() || *c == '\t')
            .collect()
    };
    let as_mb = |ct: &super::parse::ContentType| {
        ct.params
            .iter()
            .fold(MbContentType::new(clean(&ct.mime)), |m, (k, v)| {
                m.attribute(clean(k), clean(v))
            })
    };
    let value = if name.eq_ignore_ascii_case("content-type") {
        header_value(name, &as_mb(&part.content_type))
    } else if let (true, Some(d)) = (
        name.eq_ignore_ascii_case("content-disposition"),
        part.disposition.as_ref(),
    ) {
        header_value(name, &as_mb(d))
    } else {
        header_value(name, &MbText::new(clean(&raw_header_value(raw))))
    };
    format!("{}: {value}\r\n", clean(name)).into_bytes()
}

/// Printable ASCII and whitespace only, lines within limits (base64 bodies).
fn is_clean_7bit(body: &[u8]) -> bool {
    body.iter()
        .all(|&b| b == b'\r' || b == b'\n' || b == b'\t' || (0x20..0x7f).contains(&b))
        && lines(body).all(|l| l.len() <= MAX_LINE)
}

/// CRLF text a relay will not touch: 7-bit, no NUL or lone CR, lines within 998 bytes, no
/// trailing whitespace, no line starting `From `.
fn is_safe_text(text: &[u8]) -> bool {
    is_clean_7bit(text)
        && lines(text).all(|l| !l.starts_with(b"From ") && !matches!(l.last(), Some(b' ' | b'\t')))
}

/// Lines of CRLF (or LF) text, without their line ends.
fn lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// Quoted-printable of CRLF text (hard line breaks kept), with `From ` protected.
fn quoted_printable(text: &[u8]) -> Vec<u8> {
    let encoded = ::quoted_printable::encode(text);
    let mut out = Vec::with_capacity(encoded.len() + 16);
    for (i, line) in encoded.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        match line.strip_prefix(b"F") {
            Some(rest) if rest.starts_with(b"rom ") => {
                out.extend_from_slice(b"=46");
                out.extend_from_slice(rest);
            }
            _ => out.extend_from_slice(line),
        }
    }
    to_crlf(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &[u8]) -> Vec<u8> {
        canonicalize(s, &Limits::default()).unwrap()
    }

    fn assert_7bit(b: &[u8]) {
        assert!(
            b.iter().all(|&c| c < 0x80),
            "{}",
            String::from_utf8_lossy(b)
        );
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' {
                assert_eq!(b[i - 1], b'\r');
            }
        }
    }

    #[test]
    fn safe_7bit_text_is_kept_with_crlf() {
        let out = canon(b"Content-Type: text/plain\n\nhello\nworld\n");
        assert_eq!(out, b"Content-Type: text/plain\r\n\r\nhello\r\nworld\r\n");
    }

    #[test]
    fn eight_bit_text_from_lines_and_trailing_space_become_qp() {
        let out = canon(
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\ncafé\r\nFrom me \r\n"
                .as_bytes(),
        );
        assert_7bit(&out);
        let s = String::from_utf8(out.clone()).unwrap();
        assert!(
            s.contains("Content-Transfer-Encoding: quoted-printable\r\n"),
            "{s}"
        );
        assert!(!s.contains("8bit"));
        assert!(s.contains("caf=C3=A9\r\n=46rom me=20\r\n"), "{s}");
        // Decoding gives back the text.
        let tree = MimeTree::parse(&out, &Limits::default()).unwrap();
        assert_eq!(tree.root().text.as_deref(), Some("café\r\nFrom me \r\n"));
    }

    #[test]
    fn binary_becomes_base64_and_multiparts_recurse() {
        let raw = b"Content-Type: multipart/mixed; boundary=x\n\npreamble\n--x\nContent-Type: text/plain\n\nhi\n--x\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: binary\n\n\x00\xff\x01\n--x--\nepilogue\n";
        let out = canon(raw);
        assert_7bit(&out);
        let tree = MimeTree::parse(&out, &Limits::default()).unwrap();
        assert_eq!(tree.parts().len(), 3);
        assert!(tree.parts().iter().all(|p| p.exact));
        let bin = tree.part(2).unwrap();
        assert_eq!(bin.transfer_encoding, TransferEncoding::Base64);
        assert_eq!(&*bin.body, b"\x00\xff\x01");
        assert!(!String::from_utf8_lossy(&out).contains("preamble"));
        // Canonical output is a fixed point.
        assert_eq!(canon(&out), out);
    }

    #[test]
    fn eight_bit_header_fields_are_encoded() {
        let raw = "Content-Type: application/pdf; name=\"März.pdf\"\r\nContent-Disposition: attachment; filename=\"März.pdf\"\r\nContent-Description: Übersicht\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n";
        let out = canon(raw.as_bytes());
        assert!(out.is_ascii(), "{}", String::from_utf8_lossy(&out));
        let tree = MimeTree::parse(&out, &Limits::default()).unwrap();
        assert_eq!(tree.root().filename.as_deref(), Some("März.pdf"));
        assert_eq!(tree.root().content_type.param("name"), Some("März.pdf"));
        assert_eq!(&*tree.root().body, b"%PDF-");
        assert_eq!(canon(&out), out);
    }

    #[test]
    fn long_lines_are_wrapped() {
        let long = "a".repeat(2000);
        let out = canon(format!("Content-Type: text/plain\r\n\r\n{long}\r\n").as_bytes());
        assert!(lines(&out).all(|l| l.len() <= 78));
        assert_eq!(canon(&out), out);
    }
}

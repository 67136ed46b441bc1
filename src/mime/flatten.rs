//! `mail-parser`'s parts as ours ([`Part`]): walked in document order, converted with checked
//! ranges, and each range checked against the delimiter lines around it ([`framed`]).

use core::ops::Range;
use std::borrow::Cow;

use mail_parser::{HeaderName, Message, MessagePart, MimeHeaders};

use super::bare::{headerless_text, starts_with_header_field};
use super::part::{
    malformed, too_large, transfer_decode, undeclared_8bit, ContentType, HeaderField, Limits, Part,
    PartId, TransferEncoding,
};
use crate::error::Result;

/// mail-parser's header fields as ours: names, and ranges clamped to the input.
pub(super) fn header_fields(raw: &[u8], headers: &[mail_parser::Header<'_>]) -> Vec<HeaderField> {
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
pub(super) fn flatten<'a>(
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

//! Building a message from a composer [`Draft`] with `mail-builder`: the content entity that
//! `protect` signs / encrypts, and the message header fields it puts around the result.
//!
//! - content: `text/plain`, `text/html`, `multipart/alternative` (RFC 2046 §5.1.4) and
//!   `multipart/mixed` with attachments (RFC 2183 dispositions, RFC 2231 file names), in the
//!   canonical 7-bit CRLF form ([`canonicalize`]);
//! - headers: From, To, Cc, Subject, Date, Message-ID, In-Reply-To, References
//!   (RFC 5322 §3.6), non-ASCII words as RFC 2047 encoded-words, MIME-Version. Bcc is never
//!   written: its addresses are only in [`BuiltDraft::recipients`].
//!
//! No hidden inputs: Date comes from the draft or the caller's clock, Message-ID and every
//! boundary from the caller's RNG (mail-builder would otherwise read the system clock and the
//! host name).

use std::borrow::Cow;

use mail_builder::headers::address::Address as MbAddress;
use mail_builder::headers::content_type::ContentType as MbContentType;
use mail_builder::headers::date::Date as MbDate;
use mail_builder::headers::message_id::MessageId as MbMessageId;
use mail_builder::headers::text::Text as MbText;
use mail_builder::mime::{BodyPart, MimePart};
use mail_parser::{HeaderValue, MessageParser};

use super::build::{
    base64_lines_len, capacity_to_encode_again, header_value, new_boundary, Entity,
};
use super::canonical::canonicalize;
use super::headers::HeaderFields;
use super::parse::Limits;
use crate::error::{Error, Result};
use crate::rng::Rng;
use crate::time::Time;

/// A file attached to a draft.
#[derive(Clone, Default)]
pub struct DraftAttachment {
    /// File name shown to the recipient (any Unicode).
    pub filename: String,
    /// MIME type, e.g. `application/pdf`; `application/octet-stream` when empty.
    pub content_type: String,
    /// The file's bytes.
    pub data: Vec<u8>,
}

impl core::fmt::Debug for DraftAttachment {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DraftAttachment")
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

/// A message as the composer has it (DESIGN.md `Draft`).
#[derive(Clone, Default)]
pub struct Draft {
    /// The sender: `alice@example.com` or `Alice <alice@example.com>`.
    pub from: String,
    /// Recipients, each an address or `Name <address>`.
    pub to: Vec<String>,
    /// Copy recipients.
    pub cc: Vec<String>,
    /// Blind copy recipients: encrypted to, never written into the message.
    pub bcc: Vec<String>,
    /// The subject (any Unicode).
    pub subject: String,
    /// Plain-text body.
    pub text: Option<String>,
    /// HTML body.
    pub html: Option<String>,
    /// Attached files.
    pub attachments: Vec<DraftAttachment>,
    /// Message-ID this replies to (with or without angle brackets).
    pub in_reply_to: Option<String>,
    /// Message-IDs of the thread.
    pub references: Vec<String>,
    /// The Date; the caller's `now` when absent.
    pub date: Option<Time>,
    /// The Message-ID (without angle brackets); a random one at the sender's domain when
    /// absent.
    pub message_id: Option<String>,
    /// Reply-To mailboxes, each an address or `Name <address>`.
    pub reply_to: Vec<String>,
    /// Extension header fields (`X-…`) as (name, value): written into the message header, which
    /// encryption does not hide. Values are unstructured text, encoded (RFC 2047) and folded
    /// here; a relay puts the security report on a copy this way (`Opened::report_headers`).
    pub extra_headers: Vec<(String, String)>,
}

impl core::fmt::Debug for Draft {
    // Subject and bodies are content: not in Debug output.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Draft")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("cc", &self.cc)
            .field("bcc", &self.bcc.len())
            .field("attachments", &self.attachments)
            .finish_non_exhaustive()
    }
}

/// A draft turned into MIME.
#[derive(Clone)]
pub struct BuiltDraft {
    /// The content entity (entity headers, empty line, body), canonical: CRLF, 7-bit.
    pub entity: Vec<u8>,
    /// Message header fields in order as (name, value); values are encoded and folded
    /// (CRLF + space), ready to write as `name: value CRLF`. Includes `MIME-Version`.
    pub headers: HeaderFields,
    /// The sender's addr-spec.
    pub from: String,
    /// Every To, Cc and Bcc addr-spec, lower-case, without duplicates, in order.
    pub recipients: Vec<String>,
}

impl core::fmt::Debug for BuiltDraft {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BuiltDraft")
            .field("entity_len", &self.entity.len())
            .field("from", &self.from)
            .field("recipients", &self.recipients)
            .finish_non_exhaustive()
    }
}

/// Builds the content entity and header fields of `draft`. `now` is the Date when the draft
/// has none; `rng` makes boundaries and the Message-ID.
pub fn build_draft(draft: &Draft, now: Time, rng: &mut dyn Rng) -> Result<BuiltDraft> {
    build_draft_to_encode_again(draft, now, rng, false)
}

/// [`build_draft`]; with `encode_again`, the entity's buffer has room for it to be encrypted
/// and base64-encoded again in place (`protect` with encryption: a 10 MiB attachment's
/// envelope and its base64 are not held at once; benches/MEMORY.md).
pub(crate) fn build_draft_to_encode_again(
    draft: &Draft,
    now: Time,
    rng: &mut dyn Rng,
    encode_again: bool,
) -> Result<BuiltDraft> {
    let from = parse_mailboxes(&draft.from, "From")?;
    let [sender] = from.as_slice() else {
        return Err(Error::bad_input(
            "The draft needs exactly one From address.",
        ));
    };
    let to = parse_all(&draft.to, "To")?;
    let cc = parse_all(&draft.cc, "Cc")?;
    let bcc = parse_all(&draft.bcc, "Bcc")?;
    if to.is_empty() && cc.is_empty() && bcc.is_empty() {
        return Err(Error::bad_input("The draft has no recipients."));
    }

    let mut headers: Vec<(String, String)> = Vec::new();
    headers.push(("From".into(), header_value("From", &address_list(&from))));
    if !to.is_empty() {
        headers.push(("To".into(), header_value("To", &address_list(&to))));
    }
    if !cc.is_empty() {
        headers.push(("Cc".into(), header_value("Cc", &address_list(&cc))));
    }
    headers.push((
        "Subject".into(),
        header_value("Subject", &MbText::new(draft.subject.as_str())),
    ));
    let date = draft.date.unwrap_or(now);
    headers.push((
        "Date".into(),
        header_value("Date", &MbDate::new(date.unix())),
    ));
    let message_id = match &draft.message_id {
        Some(id) => clean_id(id)?,
        None => random_message_id(&sender.1, rng),
    };
    headers.push((
        "Message-ID".into(),
        header_value("Message-ID", &MbMessageId::new(message_id)),
    ));
    if let Some(id) = &draft.in_reply_to {
        headers.push((
            "In-Reply-To".into(),
            header_value("In-Reply-To", &MbMessageId::new(clean_id(id)?)),
        ));
    }
    if !draft.references.is_empty() {
        let ids = draft
            .references
            .iter()
            .map(|r| clean_id(r))
            .collect::<Result<Vec<_>>>()?;
        headers.push((
            "References".into(),
            header_value("References", &MbMessageId::new_list(ids.into_iter())),
        ));
    }
    push_reply_to_and_extras(draft, &mut headers)?;
    headers.push(("MIME-Version".into(), "1.0".into()));

    let mut recipients: Vec<String> = Vec::new();
    for (_, a) in to.iter().chain(&cc).chain(&bcc) {
        if !recipients.contains(a) {
            recipients.push(a.clone());
        }
    }

    for a in &draft.attachments {
        let ct = a.content_type.trim();
        if !ct.is_empty() && !is_mime_type(ct) {
            return Err(Error::bad_input(format!(
                "The attachment type {ct:?} is not a MIME type."
            )));
        }
        // A multipart body needs the boundary its own parts were written with: given as a
        // type, the file went out as base64 without one and was lost (found by the protect
        // sweep).
        if ct
            .get(..10)
            .is_some_and(|t| t.eq_ignore_ascii_case("multipart/"))
        {
            return Err(Error::bad_input(format!(
                "An attachment cannot be of type {ct:?}: attach the file as \
                 application/octet-stream, or a whole message as message/rfc822."
            )));
        }
    }
    let entity = canonical_content(draft, rng, encode_again)?;
    Ok(BuiltDraft {
        entity,
        headers,
        from: sender.1.clone(),
        recipients,
    })
}

/// The draft's content as a canonical entity: text / alternative, in multipart/mixed with the
/// attachments when there are any.
///
/// Text goes through [`canonicalize`] (mail-builder may write it 8-bit, with long lines or
/// `From ` lines). A binary attachment is written by mail-builder as base64 with 76-column
/// CRLF lines and encoded header words, which is canonical already: it is joined in as
/// written, because parsing the whole entity again would base64-decode every attachment only
/// to keep its bytes (a visible share of protecting a large attachment).
fn canonical_content(draft: &Draft, rng: &mut dyn Rng, encode_again: bool) -> Result<Vec<u8>> {
    let limits = Limits::default();
    let canonical = |part: MimePart<'_>| {
        let mut raw = Vec::new();
        part.write_part(&mut raw);
        canonicalize(&raw, &limits)
    };
    let body = text_part(draft, rng);
    if draft.attachments.is_empty() {
        return canonical(
            body.unwrap_or_else(|| MimePart::new("text/plain", BodyPart::Text("".into()))),
        );
    }
    // The largest binary attachment's buffer becomes the entity's (`Entity::multipart`): it
    // gets the room the whole entity needs later.
    let room = encode_again
        .then(|| {
            draft
                .attachments
                .iter()
                .enumerate()
                .filter(|(_, a)| is_binary_type(&attachment_type_and_name(a).0))
                .max_by_key(|(_, a)| a.data.len())
        })
        .flatten()
        .map(|(i, _)| (i, capacity_to_encode_again(entity_size_bound(draft))));
    let mut parts: Vec<Vec<u8>> = Vec::with_capacity(draft.attachments.len() + 1);
    if let Some(body) = body {
        parts.push(canonical(body)?);
    }
    for (i, a) in draft.attachments.iter().enumerate() {
        let (ct, filename) = attachment_type_and_name(a);
        let capacity = room.filter(|(largest, _)| *largest == i).map(|(_, c)| c);
        parts.push(if is_binary_type(&ct) {
            binary_attachment(&ct, &filename, &a.data, capacity)
        } else {
            let ct = MbContentType::new(ct).attribute("name", filename.clone());
            let part = MimePart::new(ct, BodyPart::Binary(Cow::Borrowed(&a.data)));
            canonical(part.attachment(filename))?
        });
    }
    let boundary = new_boundary(rng);
    Ok(
        Entity::new(format!("multipart/mixed; boundary=\"{boundary}\""))
            .multipart(&boundary, parts)
            .into_bytes(),
    )
}

/// text/plain, text/html, or both in multipart/alternative; `None` for a draft without text.
fn text_part<'x>(draft: &'x Draft, rng: &mut dyn Rng) -> Option<MimePart<'x>> {
    let text = draft
        .text
        .as_deref()
        .map(|t| MimePart::new("text/plain", BodyPart::Text(Cow::Borrowed(t))));
    let html = draft
        .html
        .as_deref()
        .map(|h| MimePart::new("text/html", BodyPart::Text(Cow::Borrowed(h))));
    match (text, html) {
        (Some(t), Some(h)) => Some(multipart("multipart/alternative", vec![t, h], rng)),
        (Some(t), None) => Some(t),
        (None, Some(h)) => Some(h),
        (None, None) => None,
    }
}

/// The attachment's content type (lowercase, `application/octet-stream` when not given) and
/// file name (control characters removed).
fn attachment_type_and_name(a: &DraftAttachment) -> (String, String) {
    let ct = match a.content_type.trim() {
        "" => "application/octet-stream".to_string(),
        ct => ct.to_ascii_lowercase(),
    };
    (ct, clean_filename(&a.filename))
}

/// Types whose bodies are written in base64 as they are: everything but text/* (written as
/// quoted-printable where needed) and message/* and multipart/* (canonicalized as entities).
fn is_binary_type(ct: &str) -> bool {
    !["text/", "message/", "multipart/"]
        .iter()
        .any(|t| ct.starts_with(t))
}

/// An `application/octet-stream` attachment entity named `filename` holding `data`, written as
/// a draft's attachments are (what `open` shows a decrypted OpenPGP file as).
pub(crate) fn file_attachment(filename: &str, data: &[u8]) -> Vec<u8> {
    binary_attachment(
        "application/octet-stream",
        &clean_filename(filename),
        data,
        None,
    )
}

/// A binary attachment part: header fields as mail-builder writes them (RFC 2231 parameters
/// for non-ASCII names), a base64 body in 76-column CRLF lines (the `base64` crate, several
/// times faster than mail-builder's encoder on large attachments). Canonical as written.
fn binary_attachment(ct: &str, filename: &str, data: &[u8], capacity: Option<usize>) -> Vec<u8> {
    let content_type = MbContentType::new(ct).attribute("name", filename);
    let disposition = MbContentType::new("attachment").attribute("filename", filename);
    let entity = Entity::new(header_value("Content-Type", &content_type)).header(
        "Content-Disposition",
        header_value("Content-Disposition", &disposition),
    );
    match capacity {
        Some(capacity) => entity.base64_with_capacity(data, capacity),
        None => entity.base64(data),
    }
    .into_bytes()
}

/// At least the size of the draft's content entity: attachments in base64 (quoted-printable
/// text at worst three times its size) with a few header lines each.
fn entity_size_bound(draft: &Draft) -> usize {
    const PART: usize = 1024;
    let text =
        draft.text.as_ref().map_or(0, String::len) + draft.html.as_ref().map_or(0, String::len);
    draft
        .attachments
        .iter()
        .fold(text.saturating_mul(3).saturating_add(2 * PART), |n, a| {
            let encoded = if is_binary_type(&attachment_type_and_name(a).0) {
                base64_lines_len(a.data.len(), 76)
            } else {
                a.data.len().saturating_mul(3)
            };
            n.saturating_add(encoded).saturating_add(PART)
        })
}

/// `type/subtype` with RFC 2045 §5.1 token characters only.
fn is_mime_type(ct: &str) -> bool {
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&b))
    };
    matches!(ct.split_once('/'), Some((a, b)) if token(a) && token(b))
}

/// A file name without control characters (a line break must not end the header field).
fn clean_filename(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).collect()
}

fn multipart<'x>(ct: &'static str, parts: Vec<MimePart<'x>>, rng: &mut dyn Rng) -> MimePart<'x> {
    MimePart::new(
        MbContentType::new(ct).attribute("boundary", new_boundary(rng)),
        BodyPart::Multipart(parts),
    )
}

/// Reply-To (parsed like the other address fields) and the draft's extension fields: names
/// `X-` plus RFC 5322 field-name characters, values encoded by mail-builder.
fn push_reply_to_and_extras(draft: &Draft, headers: &mut HeaderFields) -> Result<()> {
    let reply_to = parse_all(&draft.reply_to, "Reply-To")?;
    if !reply_to.is_empty() {
        headers.push((
            "Reply-To".into(),
            header_value("Reply-To", &address_list(&reply_to)),
        ));
    }
    for (name, value) in &draft.extra_headers {
        let field_name = name.len() > 2
            && name.as_bytes()[..2].eq_ignore_ascii_case(b"x-")
            && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
        if !field_name {
            return Err(Error::bad_input(format!(
                "The header field name {name:?} is not an extension field (X-…)."
            )));
        }
        headers.push((name.clone(), unstructured_value(name, value)));
    }
    Ok(())
}

/// An unstructured header value (RFC 5322 §3.2.5) as it may stand in a header: printable ASCII
/// as it is, anything else as RFC 2047 encoded-words of at most 75 characters; on one line
/// (mail-builder's folds joined), for APIs that take a field's value without line breaks
/// (`Headers` in JavaScript). Line breaks in `text` become spaces: no header injection.
pub fn header_line(name: &str, text: &str) -> String {
    unstructured_value(name, text).replace("\r\n", "")
}

/// An unstructured value, written as a header field's value: one line of printable ASCII stays
/// as it is (a report's `key=…` fingerprints are longer than a fold allows, and mail rules
/// match them as text), anything else is encoded and folded by mail-builder.
fn unstructured_value(name: &str, text: &str) -> String {
    let flat: Vec<&str> = text
        .split(['\r', '\n', '\t'])
        .filter(|p| !p.is_empty())
        .collect();
    let flat = flat.join(" ");
    // RFC 5322 §2.1.1: a line is at most 998 characters.
    let fits = name.len() + 2 + flat.len() <= 998;
    if fits && flat.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return flat;
    }
    header_value(name, &MbText::new(flat))
}

fn address_list<'x>(list: &'x [(Option<String>, String)]) -> MbAddress<'x> {
    MbAddress::new_list(
        list.iter()
            .map(|(name, email)| MbAddress::new_address(name.as_deref(), email.as_str()))
            .collect(),
    )
}

fn parse_all(list: &[String], field: &str) -> Result<Vec<(Option<String>, String)>> {
    let mut out = Vec::new();
    for item in list {
        out.extend(parse_mailboxes(item, field)?);
    }
    Ok(out)
}

/// `Name <addr>` / `addr` (or a comma-separated list) through mail-parser's address parser.
pub(crate) fn parse_mailboxes(input: &str, field: &str) -> Result<Vec<(Option<String>, String)>> {
    if input.contains(['\r', '\n']) {
        return Err(Error::bad_input(format!(
            "The {field} address contains a line break."
        )));
    }
    let raw = format!("To: {input}\r\n\r\n");
    let msg = MessageParser::default().parse(raw.as_bytes());
    let value = msg.as_ref().and_then(|m| m.header("To"));
    let addrs: Vec<_> = match value {
        Some(HeaderValue::Address(a)) => a.iter().collect(),
        _ => Vec::new(),
    };
    if addrs.is_empty() {
        return Err(Error::bad_input(format!(
            "The {field} address {input:?} is not an e-mail address."
        )));
    }
    addrs
        .into_iter()
        .map(|a| {
            let email = a
                .address
                .as_deref()
                .and_then(|a| crate::Address::parse(a).ok());
            let email = email.map(|a| a.key()).ok_or_else(|| {
                Error::bad_input(format!(
                    "The {field} address {input:?} is not an e-mail address."
                ))
            })?;
            let name = a
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string);
            Ok((name, email))
        })
        .collect()
}

/// Longest Message-ID taken (RFC 5322 sets none; a header line must stay under 998).
const MAX_MESSAGE_ID: usize = 250;

/// A Message-ID without angle brackets, checked to be one token of RFC 5322 §3.6.4's form:
/// one `@`, no specials a msg-id cannot hold (quotes, parentheses, commas, backslashes,
/// semicolons: they made threading headers other clients misread), at most 250 characters.
fn clean_id(id: &str) -> Result<String> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let special = |c: char| "\"(),;\\<>".contains(c);
    if id.is_empty()
        || id.len() > MAX_MESSAGE_ID
        || id.matches('@').count() != 1
        || id
            .chars()
            .any(|c| c.is_whitespace() || special(c) || !c.is_ascii() || c.is_control())
    {
        return Err(Error::bad_input(format!("{id:?} is not a Message-ID.")));
    }
    Ok(id.to_string())
}

pub(crate) fn random_message_id(from: &str, rng: &mut dyn Rng) -> String {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    let domain = crate::Address::domain_of(from).unwrap_or("mailseal.invalid");
    format!("{}@{}", hex::encode(bytes), domain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mime::parse::MimeTree;
    use rand::SeedableRng;

    /// What build_draft joins without parsing is what canonicalization would have made of it:
    /// the content is a fixed point of `canonicalize`. (Not with a message/rfc822 attachment:
    /// canonicalizing one is not idempotent, and it goes through `canonicalize` as before.)
    #[test]
    fn the_content_is_canonical_without_reparsing_binary_attachments() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let mut d = draft();
        let long = "Ä".repeat(300) + ".bin";
        for (name, ct, data) in [
            (
                "a.bin",
                "application/octet-stream",
                [0u8, 0xFF, b'\n', b'\r', 7].repeat(500),
            ),
            (long.as_str(), "", b"From the top\n".to_vec()),
            (
                "notes.txt",
                "text/plain",
                b"From here\ntrailing   \n\xe9t\xe9\n".to_vec(),
            ),
            ("IMG.JPG", "Image/JPEG", vec![0xD8; 70_000]),
        ] {
            d.attachments.push(DraftAttachment {
                filename: name.into(),
                content_type: ct.into(),
                data,
            });
        }
        for (html, encode_again) in [(None, false), (Some("<p>x</p>".to_string()), true)] {
            d.html = html;
            let content = canonical_content(&d, &mut rng, encode_again).unwrap();
            if encode_again {
                // Room to be encrypted and encoded again in its own buffer.
                assert!(content.capacity() >= capacity_to_encode_again(content.len()));
            }
            let again = canonicalize(&content, &Limits::default()).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&again),
                String::from_utf8_lossy(&content)
            );
            let tree = MimeTree::parse(&content, &Limits::default()).unwrap();
            let attached: Vec<_> = tree.parts().iter().filter(|p| p.is_attachment()).collect();
            assert_eq!(attached.len(), d.attachments.len());
            for (part, a) in attached.iter().zip(&d.attachments) {
                if is_binary_type(&attachment_type_and_name(a).0) {
                    assert_eq!(&*part.body, a.data, "{}", a.filename);
                }
            }
        }
    }

    fn draft() -> Draft {
        Draft {
            from: "Zoë Agent <agent@helpdesk.example>".into(),
            to: vec!["Alice <alice@example.com>".into()],
            cc: vec!["bob@example.com, carol@example.com".into()],
            bcc: vec!["audit@helpdesk.example".into()],
            subject: "Ticket #42: Übergabe".into(),
            text: Some("Hello Alice,\nFrom now on: café.\n".into()),
            html: Some("<p>Hello Alice</p>".into()),
            attachments: vec![DraftAttachment {
                filename: "Bericht März.pdf".into(),
                content_type: "application/pdf".into(),
                data: b"%PDF-1.4\x00\xff".to_vec(),
            }],
            in_reply_to: Some("<orig@example.com>".into()),
            references: vec!["root@example.com".into(), "<orig@example.com>".into()],
            date: None,
            message_id: None,
            reply_to: Vec::new(),
            extra_headers: Vec::new(),
        }
    }

    fn rng(seed: u64) -> rand::rngs::StdRng {
        rand::rngs::StdRng::seed_from_u64(seed)
    }

    fn field_of(built: &BuiltDraft, name: &str) -> Option<String> {
        built
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    #[test]
    fn reply_to_and_extension_fields_are_encoded_and_checked() {
        let mut d = draft();
        d.reply_to = vec!["Zoë <zoe@example.com>".into()];
        d.extra_headers = vec![(
            "X-Mailseal-Signature-Detail".into(),
            "Signé par quelqu'un d'autre.\r\nBcc: injected@example.com".into(),
        )];
        let built = build_draft(&d, Time::from_unix(1_700_000_000), &mut rng(7)).unwrap();
        let field = |n: &str| field_of(&built, n);
        let reply_to = field("Reply-To").unwrap();
        assert!(
            reply_to.contains("<zoe@example.com>") && reply_to.is_ascii(),
            "{reply_to}"
        );
        let detail = field("X-Mailseal-Signature-Detail").unwrap();
        assert!(
            detail.starts_with("=?utf-8?") || detail.starts_with("=?UTF-8?"),
            "{detail}"
        );
        // Folded lines only: no line of the value starts a new field.
        assert!(
            detail
                .split("\r\n")
                .skip(1)
                .all(|l| l.starts_with([' ', '\t'])),
            "{detail}"
        );
        assert!(built.headers.iter().all(|(k, _)| k != "Bcc"));
        let mut d = draft();
        let report = format!("decrypted; method=smime; key={}", "EEC0FA71".repeat(8));
        d.extra_headers = vec![("X-Mailseal-Encryption".into(), report.clone())];
        let built = build_draft(&d, Time::from_unix(1_700_000_000), &mut rng(7)).unwrap();
        let field = |n: &str| field_of(&built, n);
        assert_eq!(
            field("X-Mailseal-Encryption").unwrap(),
            report,
            "ASCII stays as it is"
        );

        for bad in ["Subject", "X-", "X-Bad Name", "X-a:b", "Bcc"] {
            let mut d = draft();
            d.extra_headers = vec![(bad.into(), "v".into())];
            let err = build_draft(&d, Time::from_unix(0), &mut rng(7)).unwrap_err();
            assert_eq!(err.code(), crate::error::ErrorCode::BadInput, "{bad}");
        }
    }

    #[test]
    fn header_line_is_one_line_of_short_encoded_words() {
        assert_eq!(header_line("X-A", "valid; method=pgp"), "valid; method=pgp");
        let key = format!("decrypted; method=smime; key={}", "EEC0FA71".repeat(8));
        assert_eq!(
            header_line("X-Mailseal-Encryption", &key),
            key,
            "long ASCII stays readable"
        );
        assert_eq!(header_line("X-A", "a\r\nBcc: b"), "a Bcc: b");
        let long = "Ce message n'a pas été signé par son expéditeur. ".repeat(8);
        let line = header_line("X-Mailseal-Signature-Detail", &format!("{long}\r\nBcc: x"));
        assert!(!line.contains('\r') && !line.contains('\n'), "{line}");
        for word in line.split(' ').filter(|w| w.starts_with("=?")) {
            assert!(word.len() <= 75, "{word}");
        }
        assert!(line.is_ascii());
    }

    #[test]
    fn builds_mixed_alternative_with_encoded_headers() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let built = build_draft(&draft(), Time::from_unix(1_796_083_200), &mut rng).unwrap();
        assert_eq!(built.from, "agent@helpdesk.example");
        assert_eq!(
            built.recipients,
            [
                "alice@example.com",
                "bob@example.com",
                "carol@example.com",
                "audit@helpdesk.example"
            ]
        );
        let names: Vec<&str> = built.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "From",
                "To",
                "Cc",
                "Subject",
                "Date",
                "Message-ID",
                "In-Reply-To",
                "References",
                "MIME-Version"
            ]
        );
        assert!(built.headers.iter().all(|(_, v)| v.is_ascii()));
        let subject = &built.headers[3].1;
        assert!(subject.contains("=?"), "{subject}");
        assert_eq!(built.headers[4].1, "Tue, 1 Dec 2026 00:00:00 +0000");
        assert!(built.headers[5].1.ends_with("@helpdesk.example>"));

        // The whole message parses back to the same content.
        let mut msg = Vec::new();
        for (n, v) in &built.headers {
            msg.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
        }
        msg.extend_from_slice(&built.entity);
        assert!(msg.is_ascii());
        let parsed = mail_parser::MessageParser::default().parse(&msg).unwrap();
        assert_eq!(parsed.subject(), Some("Ticket #42: Übergabe"));
        assert_eq!(
            parsed.from().unwrap().first().unwrap().name(),
            Some("Zoë Agent")
        );
        assert!(parsed.header("Bcc").is_none());
        let tree = MimeTree::parse(&built.entity, &Limits::default()).unwrap();
        assert_eq!(tree.root().content_type.mime, "multipart/mixed");
        let att = tree.part(4).unwrap();
        assert_eq!(att.filename.as_deref(), Some("Bericht März.pdf"));
        assert_eq!(&*att.body, b"%PDF-1.4\x00\xff");
        let text = tree.part(2).unwrap();
        assert_eq!(
            text.text.as_deref(),
            Some("Hello Alice,\r\nFrom now on: café.\r\n")
        );
        // "From " is protected in the signed form.
        assert!(!built.entity.windows(7).any(|w| w == b"\r\nFrom "));
    }

    #[test]
    fn explicit_date_and_id_and_bad_addresses() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let d = Draft {
            from: "agent@helpdesk.example".into(),
            to: vec!["alice@example.com".into()],
            text: Some("hi".into()),
            date: Some(Time::from_unix(0)),
            message_id: Some("<fixed@id>".into()),
            ..Draft::default()
        };
        let built = build_draft(&d, Time::from_unix(5), &mut rng).unwrap();
        assert_eq!(built.headers[3].1, "Thu, 1 Jan 1970 00:00:00 +0000");
        assert_eq!(built.headers[4].1, "<fixed@id>");
        assert!(built.entity.starts_with(b"Content-Type: text/plain"));
        let d4 = Draft {
            attachments: vec![DraftAttachment {
                filename: "a\r\nBcc: x.txt".into(),
                content_type: "text/plain\r\nBcc: x@y".into(),
                data: vec![1],
            }],
            ..d.clone()
        };
        assert!(build_draft(&d4, Time::from_unix(5), &mut rng).is_err());
        // Message-IDs of RFC 5322's form only (the protect sweep: specials and any length).
        for id in ["a\"b@x", "a(b)@x", "a,b@x", "a\\b@x", "a@b@x"] {
            let mut bad = d.clone();
            bad.message_id = Some(id.into());
            assert!(
                build_draft(&bad, Time::from_unix(5), &mut rng).is_err(),
                "{id}"
            );
        }
        let mut long = d.clone();
        long.message_id = Some(format!("{}@example.org", "a".repeat(300)));
        assert!(build_draft(&long, Time::from_unix(5), &mut rng).is_err());
        // A multipart type has no boundary to go with it: refused, not sent as a lost file.
        for ct in ["multipart/mixed", "Multipart/Alternative; x=1"] {
            let d6 = Draft {
                attachments: vec![DraftAttachment {
                    filename: "parts.bin".into(),
                    content_type: ct.into(),
                    data: vec![1],
                }],
                ..d.clone()
            };
            let e = build_draft(&d6, Time::from_unix(5), &mut rng).unwrap_err();
            assert_eq!(e.code(), crate::error::ErrorCode::BadInput, "{ct}");
        }
        let d5 = Draft {
            attachments: vec![DraftAttachment {
                filename: "a\r\nBcc: x.txt".into(),
                content_type: "application/x-thing+xml".into(),
                data: vec![1],
            }],
            ..d.clone()
        };
        let built = build_draft(&d5, Time::from_unix(5), &mut rng).unwrap();
        let tree = MimeTree::parse(&built.entity, &Limits::default()).unwrap();
        assert_eq!(
            tree.part(2).unwrap().filename.as_deref(),
            Some("aBcc: x.txt")
        );
        // A line break in the subject never starts a new header field.
        let d3 = Draft {
            subject: "Hi\r\nBcc: evil@example.com".into(),
            ..d.clone()
        };
        let built = build_draft(&d3, Time::from_unix(5), &mut rng).unwrap();
        assert!(built.headers.iter().all(|(_, v)| !v.contains("\r\nBcc")));
        for bad in ["nobody", "a@b\r\nBcc: x@y", ""] {
            let d2 = Draft {
                to: vec![bad.into()],
                ..d.clone()
            };
            assert!(
                build_draft(&d2, Time::from_unix(5), &mut rng).is_err(),
                "{bad}"
            );
        }
    }
}

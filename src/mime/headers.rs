//! Header protection (RFC 9788): the real Subject, From, To, ... travel inside the signed
//! and/or encrypted entity; the outer header shows what relays need.
//!
//! Writing ([`protect_headers`]): the message's header fields are put into the header block
//! of the cryptographic payload's root part, whose `Content-Type` gets the parameter
//! `hp="cipher"` or `hp="clear"` (RFC 9788 §2.1) and its drafts' `protected-headers="v1"`.
//! For encrypted messages the outer Subject is replaced by `[...]` (§3.2, `hcp_baseline`), and
//! with `hp_outer` each outer field is recorded in the payload as `HP-Outer: Name: value`
//! (§2.2) so readers can tell what the outside showed. No Legacy Display part is written.
//!
//! Reading ([`read_protected`]): when the payload root carries either marker, its header fields
//! replace the outer ones for display; the older Enigmail / Memory Hole form with the fields in
//! a `text/rfc822-headers` part is read too, and RFC 9788's Legacy Display Elements are not
//! shown (mime/content.rs). [`ProtectedHeaders`] says whether the protected From / To / Cc
//! differ from the outer ones.
//!
//! Also [`split_message`]: a whole message into its message header fields and its content
//! entity, for `protect` given a raw message instead of a draft.

use mail_parser::{Address, HeaderName, HeaderValue};

use super::parse::{parse_head, raw_header_value, Limits, MimeTree, Part};
use crate::error::{Error, Result};
use crate::time::Time;

/// Header fields as (name, value) in order; values as written (encoded, maybe folded).
pub type HeaderFields = Vec<(String, String)>;

/// The Subject an encrypted message shows outside (RFC 9788 §3.2).
pub const OBSCURED_SUBJECT: &str = "[...]";

/// Header fields copied into the protected payload (those mailseal cares about; others
/// stay outside only).
const PROTECTED: &[&str] = &[
    "From",
    "Sender",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Keywords",
    "Comments",
];

/// The result of [`protect_headers`].
#[derive(Clone, PartialEq, Eq)]
pub struct Protected {
    /// The entity to sign / encrypt: protected header fields, its own MIME fields with
    /// `protected-headers="v1"`, its body unchanged. CRLF, 7-bit when the input was.
    pub entity: Vec<u8>,
    /// The header fields for the outside of the message, in order (Subject obscured when
    /// encrypting).
    pub outer: HeaderFields,
}

impl core::fmt::Debug for Protected {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Protected")
            .field("entity_len", &self.entity.len())
            .finish_non_exhaustive()
    }
}

/// Moves `headers` (name, value as written) into `entity` (RFC 9788 §2). `encrypted`:
/// obscure the outer Subject; `hp_outer`: record the outer fields inside (encrypted only).
pub fn protect_headers(
    entity: Vec<u8>,
    headers: &[(String, String)],
    encrypted: bool,
    hp_outer: bool,
) -> Result<Protected> {
    let (fields, body_start) = parse_head(&entity)?;
    let mut outer: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let value = if encrypted && name.eq_ignore_ascii_case("subject") {
            OBSCURED_SUBJECT.to_string()
        } else {
            value.clone()
        };
        outer.push((name.clone(), value));
    }
    if encrypted && !outer.iter().any(|(n, _)| n.eq_ignore_ascii_case("subject")) {
        outer.push(("Subject".into(), OBSCURED_SUBJECT.into()));
    }

    let mut out = Vec::with_capacity(1024);
    for (name, value) in headers {
        if PROTECTED.iter().any(|p| p.eq_ignore_ascii_case(name)) {
            push_field(&mut out, name, value)?;
        }
    }
    if encrypted && hp_outer {
        for (name, value) in &outer {
            if PROTECTED.iter().any(|p| p.eq_ignore_ascii_case(name)) {
                push_field(&mut out, "HP-Outer", &format!("{name}: {value}"))?;
            }
        }
    }
    // RFC 9788 §2.1's `hp` marker, and its drafts' `protected-headers="v1"`, which clients
    // before the RFC (Thunderbird, Enigmail) read.
    let marker: &[u8] = if encrypted {
        b"protected-headers=\"v1\"; hp=\"cipher\""
    } else {
        b"protected-headers=\"v1\"; hp=\"clear\""
    };
    let mut has_type = false;
    for field in &fields {
        let raw = entity.get(field.range.clone()).unwrap_or_default();
        if field.name.eq_ignore_ascii_case("content-type") && !has_type {
            has_type = true;
            let trimmed = raw.strip_suffix(b"\n").unwrap_or(raw);
            let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
            out.extend_from_slice(trimmed);
            out.extend_from_slice(b";\r\n ");
            out.extend_from_slice(marker);
            out.extend_from_slice(b"\r\n");
        } else {
            out.extend_from_slice(raw);
        }
    }
    if !has_type {
        out.extend_from_slice(b"Content-Type: text/plain; ");
        out.extend_from_slice(marker);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    // The new header section replaces the old one in the entity's own buffer, moving the body
    // once (taking the old one out first moved it down, then up again).
    let mut entity = entity;
    let old = body_start.min(entity.len());
    entity.reserve_exact(out.len().saturating_sub(old));
    entity.splice(..old, out.iter().copied());
    Ok(Protected { entity, outer })
}

fn push_field(out: &mut Vec<u8>, name: &str, value: &str) -> Result<()> {
    // A value may be folded (CRLF + WSP) but must not end a field early.
    let bad = value
        .split("\r\n")
        .skip(1)
        .any(|l| !l.starts_with([' ', '\t']))
        || value.replace("\r\n", "").contains(['\r', '\n']);
    if bad || name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
        return Err(Error::bad_input(format!(
            "The header field {name:?} is not well formed."
        )));
    }
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
    Ok(())
}

/// A mailbox from an address header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// Display name, decoded.
    pub name: Option<String>,
    /// addr-spec as written.
    pub address: String,
}

impl Mailbox {
    /// The address in key form ([`crate::Address::key_of`]): to compare and look up.
    pub fn key(&self) -> String {
        crate::Address::key_of(&self.address)
    }
}

impl core::fmt::Display for Mailbox {
    /// `Name <address>`; a name with RFC 5322 specials (§3.2.3) is written as a quoted
    /// string, so a display name such as `alice@example.com` or `Alice <alice@example.com>`
    /// cannot pass for the address ("Johnny, you are fired", display-name spoofing).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Look-alikes of the specials count as specials (`alice＠example.com`); direction
        // controls are left out of the name shown (they could reorder it).
        let special = |c: char| "()<>[]:;@\\,\"".contains(c) || c.is_control();
        match &self.name {
            Some(n)
                if crate::Address::fold_lookalikes(n).chars().any(special)
                    || n.chars().any(crate::address::is_direction_control) =>
            {
                let quoted: String = n
                    .chars()
                    .filter(|&c| !c.is_control() && !crate::address::is_direction_control(c))
                    .flat_map(|c| match c {
                        '"' | '\\' => vec!['\\', c],
                        _ => vec![c],
                    })
                    .collect();
                write!(f, "\"{quoted}\" <{}>", self.address)
            }
            Some(n) => write!(f, "{n} <{}>", self.address),
            None => f.write_str(&self.address),
        }
    }
}

/// The header fields a reader shows, decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderView {
    /// Subject (RFC 2047 decoded).
    pub subject: Option<String>,
    /// From mailboxes (normally one).
    pub from: Vec<Mailbox>,
    /// To mailboxes.
    pub to: Vec<Mailbox>,
    /// Cc mailboxes.
    pub cc: Vec<Mailbox>,
    /// Reply-To mailboxes.
    pub reply_to: Vec<Mailbox>,
    /// Date as RFC 3339 in UTC, when it parses.
    pub date: Option<String>,
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// In-Reply-To ids.
    pub in_reply_to: Vec<String>,
    /// References ids.
    pub references: Vec<String>,
}

impl HeaderView {
    /// The view of the root header fields of `tree`.
    pub fn of(tree: &MimeTree<'_>) -> Self {
        view_of(tree.root_headers())
    }
}

fn view_of(headers: &[mail_parser::Header<'_>]) -> HeaderView {
    // The first occurrence counts (what most readers display).
    let first =
        |name: HeaderName<'static>| headers.iter().find(|h| h.name == name).map(|h| &h.value);
    let mailboxes = |name: HeaderName<'static>| -> Vec<Mailbox> {
        let mut out = Vec::new();
        for h in headers.iter().filter(|h| h.name == name) {
            if let HeaderValue::Address(a) = &h.value {
                let list: Vec<&mail_parser::Addr<'_>> = match a {
                    Address::List(l) => l.iter().collect(),
                    Address::Group(g) => g.iter().flat_map(|g| g.addresses.iter()).collect(),
                };
                for addr in list {
                    if let Some(address) = addr.address.as_deref() {
                        out.push(Mailbox {
                            name: addr.name.as_deref().map(str::to_string),
                            address: address.to_string(),
                        });
                    }
                }
            }
        }
        out
    };
    let ids = |v: Option<&HeaderValue<'_>>| -> Vec<String> {
        match v {
            Some(HeaderValue::Text(t)) => vec![t.to_string()],
            Some(HeaderValue::TextList(l)) => l.iter().map(|s| s.to_string()).collect(),
            _ => Vec::new(),
        }
    };
    HeaderView {
        subject: match first(HeaderName::Subject) {
            Some(HeaderValue::Text(t)) => Some(t.to_string()),
            Some(HeaderValue::TextList(l)) => Some(l.join(" ")),
            _ => None,
        },
        from: mailboxes(HeaderName::From),
        to: mailboxes(HeaderName::To),
        cc: mailboxes(HeaderName::Cc),
        reply_to: mailboxes(HeaderName::ReplyTo),
        date: match first(HeaderName::Date) {
            Some(HeaderValue::DateTime(d)) if d.is_valid() => {
                Some(Time::from_unix(d.to_timestamp()).to_rfc3339())
            }
            _ => None,
        },
        message_id: ids(first(HeaderName::MessageId)).into_iter().next(),
        in_reply_to: ids(first(HeaderName::InReplyTo)),
        references: ids(first(HeaderName::References)),
    }
}

/// Headers restored from a protected payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedHeaders {
    /// The protected header fields (to show instead of the outer ones).
    pub view: HeaderView,
    /// The protected From differs from the outer From (a relay or an attacker changed the
    /// outside; the protected one is what was signed / encrypted).
    pub from_differs: bool,
    /// The protected To / Cc recipients differ from the outer ones.
    pub recipients_differ: bool,
    /// Read from the legacy `text/rfc822-headers` part (Enigmail / Memory Hole).
    pub legacy: bool,
    /// Recorded outer fields (`HP-Outer`, RFC 9788 §2.2), as (name, value).
    pub hp_outer: Vec<(String, String)>,
}

/// Whether a part is marked as carrying protected headers: RFC 9788's `hp="cipher"` /
/// `hp="clear"`, or `protected-headers="v1"` of its drafts (Thunderbird, Enigmail).
pub(crate) fn is_protected_root(part: &Part) -> bool {
    let param = |name: &str, values: &[&str]| {
        part.content_type
            .param(name)
            .is_some_and(|v| values.iter().any(|w| v.trim().eq_ignore_ascii_case(w)))
    };
    param("protected-headers", &["v1"]) || param("hp", &["cipher", "clear"])
}

/// The protected headers of a decrypted / verified `inner` entity, compared with the
/// message's `outer` view; `None` when the inner entity does not protect headers.
pub fn read_protected(inner: &MimeTree<'_>, outer: &HeaderView) -> Option<ProtectedHeaders> {
    if !is_protected_root(inner.root()) {
        return None;
    }
    Some(read_header_section(inner, outer))
}

/// The header fields of a whole message that a layer wrapped (RFC 8551 §3.1: a signed and / or
/// encrypted `message/rfc822`), compared with the `outer` view: they are all protected.
pub fn read_wrapped(inner: &MimeTree<'_>, outer: &HeaderView) -> ProtectedHeaders {
    read_header_section(inner, outer)
}

/// The header section of `inner`'s root as protected header fields.
fn read_header_section(inner: &MimeTree<'_>, outer: &HeaderView) -> ProtectedHeaders {
    let root = inner.root();
    let mut view = HeaderView::of(inner);
    let mut legacy = false;
    if view.subject.is_none() && view.from.is_empty() {
        // Memory Hole: the fields are in a text/rfc822-headers part.
        let legacy_part = root
            .children
            .iter()
            .filter_map(|&c| inner.part(c))
            .find(|p| p.content_type.is("text/rfc822-headers"));
        if let Some(p) = legacy_part {
            let mut block = p.body.to_vec();
            block.extend_from_slice(b"\r\n\r\n");
            if let Some(m) = mail_parser::MessageParser::default().parse(&block) {
                view = view_of(m.headers());
                legacy = true;
            }
        }
    }
    let hp_outer = inner
        .header_values(0, "hp-outer")
        .into_iter()
        .filter_map(|v| {
            v.split_once(':')
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    let addrs = |list: &[Mailbox]| -> Vec<String> {
        let mut v: Vec<String> = list.iter().map(Mailbox::key).collect();
        v.sort();
        v.dedup();
        v
    };
    let from_differs = addrs(&view.from) != addrs(&outer.from);
    let recipients_differ = addrs(&[view.to.clone(), view.cc.clone()].concat())
        != addrs(&[outer.to.clone(), outer.cc.clone()].concat());
    ProtectedHeaders {
        view,
        from_differs,
        recipients_differ,
        legacy,
        hp_outer,
    }
}

/// `value` folded (CRLF before a space or tab already in it) so that no line of the field
/// `name: value` is over RFC 5322's 998 characters. An unfolded field went out as one line of
/// any length: a relay folding it (Postfix at 998) broke the signature over protected headers
/// (found by the protect sweep). Shorter fields are left as they are.
fn fold_over_998(name: &str, value: String) -> String {
    const MAX: usize = 998;
    if name.len() + 2 + value.len() <= MAX {
        return value;
    }
    let mut out = String::with_capacity(value.len() + 64);
    let mut line_len = name.len() + 2;
    let mut rest = value.as_str();
    while line_len + rest.len() > MAX {
        // The last space or tab that keeps this line within the limit (not at the start).
        let room = MAX.saturating_sub(line_len).min(rest.len());
        let cut = rest
            .get(..room)
            .and_then(|head| head.rfind([' ', '\t']))
            .filter(|&i| i > 0)
            .or_else(|| rest.get(1..)?.find([' ', '\t']).map(|i| i + 1));
        let Some(cut) = cut else { break };
        out.push_str(&rest[..cut]);
        out.push_str("\r\n");
        rest = &rest[cut..];
        line_len = 0;
    }
    out.push_str(rest);
    out
}

/// Splits a whole message into its message header fields (everything but `Content-*` and
/// `MIME-Version`, values unfolded, and folded again only where a line would pass 998
/// characters) and its content entity in canonical form.
pub fn split_message(raw: &[u8], limits: &Limits) -> Result<(HeaderFields, Vec<u8>)> {
    let (fields, body_range) = MimeTree::parse_root_head(raw, limits)?;
    let mut headers = Vec::new();
    let mut entity = Vec::with_capacity(raw.len());
    let mut has_type = false;
    for field in &fields {
        let bytes = raw.get(field.range.clone()).unwrap_or_default();
        let lower = field.name.to_ascii_lowercase();
        if lower.starts_with("content-") {
            has_type |= lower == "content-type";
            entity.extend_from_slice(bytes);
        } else if lower != "mime-version" {
            // RFC 5322 §2.2: a field body holds no NUL; it went out as it came (protect sweep).
            if bytes.contains(&0) {
                return Err(crate::error::Error::bad_input(format!(
                    "The header field {} holds a NUL byte.",
                    field.name
                )));
            }
            let value = raw_header_value(bytes);
            let value = if value.is_ascii() {
                fold_over_998(&field.name, value)
            } else {
                encoded_field(&field.name, bytes).unwrap_or(value)
            };
            headers.push((field.name.clone(), value));
        }
    }
    // A message without Content-Type is text/plain in US-ASCII (RFC 2045 §5.2): the entity
    // says so, since without its message header fields it would have none at all.
    if !has_type {
        entity.splice(
            0..0,
            b"Content-Type: text/plain; charset=us-ascii\r\n"
                .iter()
                .copied(),
        );
    }
    entity.extend_from_slice(b"\r\n");
    entity.extend_from_slice(raw.get(body_range).unwrap_or_default());
    let entity = super::canonical::canonicalize(&entity, limits)?;
    Ok((headers, entity))
}

/// A field with raw UTF-8 in it (RFC 6532, as drafts and ticket systems often store them) in
/// 7-bit form for the outgoing copies (RFC 5322 §2.2, RFC 2047): the display names of an
/// address field as encoded words, any other field's text as encoded words. `None` when the
/// field cannot be read (it is then taken as it is).
fn encoded_field(name: &str, field: &[u8]) -> Option<String> {
    use mail_builder::headers::address::Address as MbAddress;
    use mail_builder::headers::text::Text;
    let mut head = field.to_vec();
    head.extend_from_slice(b"\r\n\r\n");
    let parsed = mail_parser::MessageParser::new().parse_headers(&head)?;
    let header = parsed.headers().first()?;
    Some(match &header.value {
        HeaderValue::Address(address) => {
            let mailboxes: Vec<_> = match address {
                Address::List(l) => l.iter().collect(),
                Address::Group(g) => g.iter().flat_map(|g| g.addresses.iter()).collect(),
            };
            let list = mailboxes
                .iter()
                .filter_map(|a| Some(MbAddress::new_address(a.name(), a.address()?)))
                .collect();
            super::build::header_value(name, &MbAddress::new_list(list))
        }
        HeaderValue::Text(text) => super::build::header_value(name, &Text::new(text.as_ref())),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obsolete_dates_are_read() {
        use crate::mime::parse::Limits;
        for (date, want) in [
            (
                "Sat, 05 Dec 2026 10:00:00 +0000",
                Some("2026-12-05T10:00:00Z"),
            ),
            ("5 Dec 2026 10:00 EST", Some("2026-12-05T15:00:00Z")),
            ("5 Dec 26 10:00 EST", Some("2026-12-05T15:00:00Z")),
            (
                "Sat, 5 Dec 126 10:00:00 +0000",
                Some("2026-12-05T10:00:00Z"),
            ),
            ("5 Dec 2026 10:00 -0500", Some("2026-12-05T15:00:00Z")),
            ("Sat, 5 Dec 2026 10:00:00 GMT", Some("2026-12-05T10:00:00Z")),
            ("not a date", None),
        ] {
            let raw = format!("From: a@example.org\r\nDate: {date}\r\n\r\nx\r\n");
            let tree = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap();
            assert_eq!(HeaderView::of(&tree).date.as_deref(), want, "{date}");
        }
    }

    fn fields() -> Vec<(String, String)> {
        vec![
            ("From".into(), "Alice <alice@example.com>".into()),
            ("To".into(), "bob@example.com".into()),
            ("Subject".into(), "=?utf-8?Q?Geheim_=C3=BC?=".into()),
            ("Date".into(), "Tue, 1 Dec 2026 00:00:00 +0000".into()),
            ("Message-ID".into(), "<m1@example.com>".into()),
            ("MIME-Version".into(), "1.0".into()),
        ]
    }

    #[test]
    fn protected_entity_round_trips() {
        let entity = b"Content-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n";
        let p = protect_headers(entity.to_vec(), &fields(), true, true).unwrap();
        let s = String::from_utf8(p.entity.clone()).unwrap();
        assert!(
            s.starts_with("From: Alice <alice@example.com>\r\nTo: bob@example.com\r\n"),
            "{s}"
        );
        assert!(s.contains("Content-Type: text/plain; charset=utf-8;\r\n protected-headers=\"v1\"; hp=\"cipher\"\r\n\r\nhello\r\n"), "{s}");
        assert!(s.contains("HP-Outer: Subject: [...]\r\n"));
        assert!(!s.contains("MIME-Version"));
        assert_eq!(p.outer[2], ("Subject".to_string(), "[...]".to_string()));

        let inner = MimeTree::parse(&p.entity, &Limits::default()).unwrap();
        assert_eq!(inner.root().text.as_deref(), Some("hello\r\n"));
        let outer_msg =
            b"From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: [...]\r\n\r\nx";
        let outer = HeaderView::of(&MimeTree::parse(outer_msg, &Limits::default()).unwrap());
        let got = read_protected(&inner, &outer).unwrap();
        assert_eq!(got.view.subject.as_deref(), Some("Geheim ü"));
        assert_eq!(got.view.date.as_deref(), Some("2026-12-01T00:00:00Z"));
        assert_eq!(got.view.message_id.as_deref(), Some("m1@example.com"));
        assert!(!got.from_differs && !got.recipients_differ && !got.legacy);
        assert!(got.hp_outer.contains(&("Subject".into(), "[...]".into())));
    }

    #[test]
    fn spoofed_outer_from_is_reported() {
        let p = protect_headers(
            b"Content-Type: text/plain\r\n\r\nx".to_vec(),
            &fields(),
            false,
            false,
        )
        .unwrap();
        assert_eq!(p.outer, fields());
        let inner = MimeTree::parse(&p.entity, &Limits::default()).unwrap();
        let outer_msg = b"From: Mallory <mallory@evil.example>\r\nTo: bob@example.com, eve@evil.example\r\n\r\nx";
        let outer = HeaderView::of(&MimeTree::parse(outer_msg, &Limits::default()).unwrap());
        let got = read_protected(&inner, &outer).unwrap();
        assert!(got.from_differs && got.recipients_differ);
        assert_eq!(got.view.from[0].address, "alice@example.com");
    }

    #[test]
    fn display_names_with_specials_are_quoted() {
        let m = |name: Option<&str>| Mailbox {
            name: name.map(str::to_string),
            address: "mallory@evil.example".into(),
        };
        assert_eq!(m(None).to_string(), "mallory@evil.example");
        assert_eq!(
            m(Some("Mallory B. Smith")).to_string(),
            "Mallory B. Smith <mallory@evil.example>"
        );
        assert_eq!(
            m(Some("alice@example.com")).to_string(),
            "\"alice@example.com\" <mallory@evil.example>"
        );
        assert_eq!(
            m(Some("Alice \"the boss\" <alice@example.com>\r\n")).to_string(),
            "\"Alice \\\"the boss\\\" <alice@example.com>\" <mallory@evil.example>"
        );
        // look-alike specials are quoted too, direction controls are left out
        assert_eq!(
            m(Some("alice\u{FF20}example.com")).to_string(),
            "\"alice\u{FF20}example.com\" <mallory@evil.example>"
        );
        assert_eq!(
            m(Some("\u{202E}moc.elpmaxe@ecila\u{202C}")).to_string(),
            "\"moc.elpmaxe@ecila\" <mallory@evil.example>"
        );
    }

    #[test]
    fn legacy_memory_hole_part_is_read() {
        let inner = b"Content-Type: multipart/mixed; boundary=b; protected-headers=\"v1\"\r\n\r\n--b\r\nContent-Type: text/rfc822-headers; protected-headers=\"v1\"\r\nContent-Disposition: inline\r\n\r\nSubject: Real subject\r\nFrom: alice@example.com\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n--b--\r\n";
        let inner = MimeTree::parse(inner, &Limits::default()).unwrap();
        let got = read_protected(&inner, &HeaderView::default()).unwrap();
        assert!(got.legacy);
        assert_eq!(got.view.subject.as_deref(), Some("Real subject"));
        assert!(got.from_differs);
    }

    #[test]
    fn unprotected_inner_and_bad_fields() {
        let inner =
            MimeTree::parse(b"Content-Type: text/plain\r\n\r\nx", &Limits::default()).unwrap();
        assert!(read_protected(&inner, &HeaderView::default()).is_none());
        let bad = vec![("Subject".to_string(), "a\r\nBcc: x@y".to_string())];
        assert!(protect_headers(
            b"Content-Type: text/plain\r\n\r\nx".to_vec(),
            &bad,
            false,
            false
        )
        .is_err());
    }

    /// A plain RFC 5322 message without MIME fields (what many notification systems send).
    #[test]
    fn a_nul_in_a_raw_header_field_is_refused() {
        let raw = b"From: a@example.com\r\nSubject: h\0i\r\n\r\nhello\r\n";
        let e = split_message(raw, &Limits::default()).unwrap_err();
        assert_eq!(e.code(), crate::error::ErrorCode::BadInput);
        assert!(e.message().contains("Subject"), "{e}");
    }

    #[test]
    fn long_fields_of_a_raw_message_are_folded_within_998() {
        let references: Vec<String> = (0..60)
            .map(|i| format!("<ref{i:04}@example.org>"))
            .collect();
        let raw = format!(
            "From: a@example.com\r\nReferences: {}\r\nSubject: hi\r\n\r\nhello\r\n",
            references.join("\r\n ")
        );
        let (headers, _) = split_message(raw.as_bytes(), &Limits::default()).unwrap();
        let (_, value) = headers.iter().find(|(n, _)| n == "References").unwrap();
        let field = format!("References: {value}");
        assert!(field.split("\r\n").all(|l| l.len() <= 998), "{field}");
        assert!(field.split("\r\n").skip(1).all(|l| l.starts_with(' ')));
        assert_eq!(value.replace("\r\n", ""), references.join(" "));
        // A short field stays one line.
        assert_eq!(
            headers.iter().find(|(n, _)| n == "Subject").unwrap().1,
            "hi"
        );
    }

    #[test]
    fn split_message_types_an_untyped_body() {
        let raw = b"From: a@example.com\r\nSubject: hi\r\nMIME-Version: 1.0\r\n\r\nhello\r\n";
        let (headers, entity) = split_message(raw, &Limits::default()).unwrap();
        assert_eq!(headers.len(), 2);
        assert_eq!(
            entity,
            b"Content-Type: text/plain; charset=us-ascii\r\n\r\nhello\r\n"
        );
    }

    #[test]
    fn split_message_separates_entity() {
        let raw = b"From: a@example.com\nSubject: hi\n there\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\ncaf\xc3\xa9\n";
        let (headers, entity) = split_message(raw, &Limits::default()).unwrap();
        assert_eq!(
            headers,
            [
                ("From".to_string(), "a@example.com".to_string()),
                ("Subject".to_string(), "hi there".to_string())
            ]
        );
        assert_eq!(
            entity,
            b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9\r\n"
        );
    }
}

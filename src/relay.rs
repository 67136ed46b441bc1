//! What a relay adds to mail it passes on: the security report of `open` as header fields.
//!
//! A relay (the Cloudflare Worker in worker/, a server-side gateway) opens a message and hands
//! it to the help desk's inbox with the verdict in `X-Mailseal-*` fields: on the original as it
//! is forwarded, or on a decrypted copy it builds with [`crate::mime::Draft::extra_headers`].
//! The fields are made here, once, so that every relay says the same thing in the same words
//! and none writes MIME or RFC 2047 by hand (issue 17).
//!
//! Values are unstructured text (RFC 5322 §3.2.5), one line each; they may hold Unicode (a
//! detail sentence, a signer's address). Whoever writes them into a header encodes them:
//! a draft does (mail-builder), and [`crate::mime::header_line`] gives the one-line encoded
//! form for APIs that take header values (`Headers` in JavaScript).

use serde::Serialize;

use crate::mime::{header_line, into_crlf, new_boundary, Entity};
use crate::protect::Delivery;
use crate::report::{EncryptionReport, Method, SignatureReport};
use crate::rng::Rng;

/// Header fields of a report: (name, value).
pub type ReportHeaders = Vec<(String, String)>;

/// The report as `X-Mailseal-*` fields, in this order: Encryption, Signature, Signer,
/// Encryption-Detail, Signature-Detail, Protected-Headers, From-Differs (the last five only
/// when they have something to say). The first two are `state; key=value; …` with the
/// report's own wire names, so a mail rule can match `X-Mailseal-Signature: valid;`.
/// `protected_headers` and `from_differs` are `Opened::headers`' flags of the same names.
pub fn report_headers(
    encryption: &EncryptionReport,
    signature: &SignatureReport,
    protected_headers: bool,
    from_differs: bool,
) -> ReportHeaders {
    let mut out = ReportHeaders::new();
    let e = encryption;
    out.push((
        "X-Mailseal-Encryption".into(),
        params(
            &wire(&e.state),
            &[
                ("method", e.method.map(|m| m.as_str().to_string())),
                ("algorithm", e.algorithm.clone()),
                ("authenticated", e.authenticated.map(yes_no)),
                ("key", e.key_id.clone()),
            ],
        ),
    ));
    let s = signature;
    out.push((
        "X-Mailseal-Signature".into(),
        params(
            &wire(&s.state),
            &[
                ("method", s.method.map(|m| m.as_str().to_string())),
                ("scope", s.scope.as_ref().map(wire)),
                ("digest", s.digest.clone()),
                ("signed_at", s.signed_at.clone()),
                ("revocation", s.revocation.as_ref().map(wire)),
            ],
        ),
    ));
    if let Some(signer) = &s.signer {
        let emails = if signer.emails.is_empty() {
            "(no address)".to_string()
        } else {
            signer.emails.join(", ")
        };
        out.push((
            "X-Mailseal-Signer".into(),
            format!("{emails}; key={}", signer.key_id),
        ));
    }
    if let Some(d) = &e.detail {
        out.push(("X-Mailseal-Encryption-Detail".into(), one_line(d)));
    }
    if let Some(d) = &s.detail {
        out.push(("X-Mailseal-Signature-Detail".into(), one_line(d)));
    }
    if protected_headers {
        out.push(("X-Mailseal-Protected-Headers".into(), "yes".into()));
    }
    if from_differs {
        out.push(("X-Mailseal-From-Differs".into(), "yes".into()));
    }
    out
}

/// The copies of one `protect` in one `multipart/mixed` body (RFC 2046 §5.1.3), a
/// `message/rfc822` part each (§5.2.1) with what the copy is in part header fields:
/// `X-Mailseal-To`, `-Method`, `-Signed`, `-Encrypted`, `-Problem-Report`. Returns the
/// Content-Type (with its boundary) and the body: the Worker's answer to
/// `Accept: multipart/mixed`, where each copy stays binary instead of base64 in JSON.
pub fn deliveries_multipart(deliveries: Vec<Delivery>, rng: &mut dyn Rng) -> (String, Vec<u8>) {
    let boundary = new_boundary(rng);
    let yes_no = |b: bool| if b { "true" } else { "false" };
    let parts = deliveries
        .into_iter()
        .map(|d| {
            // Copies from `protect` are CRLF already (kept as they are); anything else is made so.
            let mime = into_crlf(d.mime);
            Entity::new("message/rfc822")
                .header(
                    "X-Mailseal-To",
                    header_line("X-Mailseal-To", &d.to.join(", ")),
                )
                .header("X-Mailseal-Method", d.method.map_or("none", Method::as_str))
                .header("X-Mailseal-Signed", yes_no(d.signed))
                .header("X-Mailseal-Encrypted", yes_no(d.encrypted))
                .header("X-Mailseal-Problem-Report", yes_no(d.problem_report))
                .crlf_7bit(mime)
                .into_bytes()
        })
        .collect();
    let content_type = format!("multipart/mixed; boundary=\"{boundary}\"");
    let body = Entity::new(content_type.clone())
        .multipart(&boundary, parts)
        .into_body();
    (content_type, body)
}

/// `state; key=value; …`, leaving out the keys without a value.
fn params(state: &str, fields: &[(&str, Option<String>)]) -> String {
    let mut out = state.to_string();
    for (k, v) in fields {
        if let Some(v) = v {
            out.push_str(&format!("; {k}={}", one_line(v)));
        }
    }
    out
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// The name a report enum has in JSON (`no_key`, `sender_mismatch`, …): one vocabulary for
/// the JavaScript result and the header fields.
fn wire<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "unknown".to_string(),
    }
}

/// Line breaks and tabs as spaces: a value is one line of unstructured text.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n', '\t'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{EncryptionState, Method, Scope, SignatureState, Signer};

    #[test]
    fn a_decrypted_and_validly_signed_message() {
        let mut e =
            EncryptionReport::new(Method::Pgp, EncryptionState::Decrypted, "Décrypté.\r\nOK");
        e.algorithm = Some("aes256".into());
        e.authenticated = Some(true);
        let mut s = SignatureReport::new(
            Method::Pgp,
            SignatureState::SenderMismatch,
            "Not the sender.",
        );
        s.scope = Some(Scope::Whole);
        s.signer = Some(Signer {
            emails: vec![],
            key_id: "ABCD".into(),
        });
        let got = report_headers(&e, &s, true, false);
        let want: ReportHeaders = [
            (
                "X-Mailseal-Encryption",
                "decrypted; method=pgp; algorithm=aes256; authenticated=yes",
            ),
            (
                "X-Mailseal-Signature",
                "sender_mismatch; method=pgp; scope=whole",
            ),
            ("X-Mailseal-Signer", "(no address); key=ABCD"),
            ("X-Mailseal-Encryption-Detail", "Décrypté. OK"),
            ("X-Mailseal-Signature-Detail", "Not the sender."),
            ("X-Mailseal-Protected-Headers", "yes"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn deliveries_in_one_multipart_body_each_as_it_was() {
        use crate::mime::{Limits, MimeTree};
        use rand::SeedableRng;
        let copy = |to: &[&str], method, body: &str| Delivery {
            to: to.iter().map(|s| s.to_string()).collect(),
            mime: format!("From: desk@example.com\r\nSubject: s\r\n\r\n{body}\r\n").into_bytes(),
            method,
            signed: method.is_some(),
            encrypted: false,
            problem_report: false,
        };
        let deliveries = vec![
            copy(
                &["a@example.com", "Zoë <z@example.com>"],
                Some(Method::Pgp),
                "one",
            ),
            copy(&["b@example.com"], None, "two\nbare line end"),
        ];
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let (content_type, body) = deliveries_multipart(deliveries, &mut rng);
        let whole = [
            format!("Content-Type: {content_type}\r\n\r\n").into_bytes(),
            body,
        ]
        .concat();
        let tree = MimeTree::parse(&whole, &Limits::default()).unwrap();
        let parts: Vec<_> = tree
            .parts()
            .iter()
            .filter(|p| p.id != tree.root().id)
            .collect();
        assert_eq!(parts.len(), 2);
        let value = |i: usize, name: &str| tree.header_values(parts[i].id, name).first().cloned();
        assert_eq!(value(0, "x-mailseal-method").as_deref(), Some("pgp"));
        assert_eq!(value(0, "x-mailseal-signed").as_deref(), Some("true"));
        assert_eq!(value(1, "x-mailseal-method").as_deref(), Some("none"));
        let to = value(0, "x-mailseal-to").unwrap();
        assert!(to.is_ascii() && !to.contains('\n'), "{to}");
        let text = String::from_utf8_lossy(&whole);
        assert!(text.contains("\r\n\r\none\r\n") && text.contains("two\r\nbare line end"));
    }

    #[test]
    fn an_unprotected_message_says_none_twice() {
        let got = report_headers(
            &EncryptionReport::none(),
            &SignatureReport::none(),
            false,
            false,
        );
        assert_eq!(
            got,
            vec![
                ("X-Mailseal-Encryption".to_string(), "none".to_string()),
                ("X-Mailseal-Signature".to_string(), "none".to_string()),
            ]
        );
    }
}

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

use crate::report::{EncryptionReport, SignatureReport};

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

//! The copies sent: each planned delivery protected as planned (header protection, signing,
//! encryption) under the message's header fields, or the content-free problem report; the
//! sender's `Autocrypt` header.

use serde::Serialize;

use super::options::ProtectOptions;
use super::plan::PlannedDelivery;
use crate::engine::{Engine, Unusable, WriteContext};
use crate::error::Result;
use crate::keys::Keyring;
use crate::mime::{prepend, protect_headers, random_message_id, Entity};
use crate::report::Method;
use crate::rng::Rng;
use crate::time::Time;
use crate::warning::Warning;

/// One copy of the message to send.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    /// The recipients of this copy (envelope recipients; Bcc copies have exactly one).
    pub to: Vec<String>,
    /// The complete RFC 5322 message, CRLF line ends.
    #[serde(with = "serde_bytes")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Uint8Array"))]
    pub mime: Vec<u8>,
    /// `smime`, `pgp`, or `none` for a plain copy.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Method | \"none\""))]
    #[serde(serialize_with = "crate::report::method_or_none")]
    pub method: Option<Method>,
    /// Signed.
    pub signed: bool,
    /// Encrypted.
    pub encrypted: bool,
    /// A content-free notice instead of the message.
    pub problem_report: bool,
}

/// The result of `protect`.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Protected {
    /// The copies to send.
    pub deliveries: Vec<Delivery>,
    /// Things the agent should know (plain copies, no sent-copy key, ...).
    pub warnings: Vec<Warning>,
    /// The Message-ID of the message (without angle brackets), for the ticket's article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

/// One planned delivery of `entity`: protected as planned (header protection, signing,
/// encryption) and put under the message's header fields.
#[allow(clippy::too_many_arguments)]
pub(super) async fn protected_copy(
    ring: &Keyring,
    engines: &[&dyn Engine],
    p: &PlannedDelivery,
    entity: Vec<u8>,
    headers: &[(String, String)],
    from: &str,
    opts: &ProtectOptions,
    rng: &mut dyn Rng,
) -> Result<Delivery> {
    let engine = p
        .method
        .and_then(|m| engines.iter().copied().find(|e| e.method() == m));
    let hp = (p.sign || p.encrypt) && opts.protects_headers(p.encrypt);
    let (inner, outer) = if hp {
        let prot = protect_headers(entity, headers, p.encrypt, false)?;
        (prot.entity, prot.outer)
    } else {
        (entity, headers.to_vec())
    };
    let mut ctx = WriteContext {
        now: opts.now,
        rng,
        algorithms: &opts.policy.algorithms,
    };
    let body = match engine {
        Some(engine) if p.encrypt => {
            let mut to = p.recipients.clone();
            if p.to_self && !to.iter().any(|r| r == from) {
                to.push(from.to_string());
            }
            let signer = p.sign.then_some(from);
            engine.encrypt(ring, &to, signer, inner, &mut ctx).await?
        }
        Some(engine) if p.sign => engine.sign(ring, from, inner, &mut ctx).await?,
        _ => inner,
    };
    Ok(Delivery {
        to: p.recipients.clone(),
        mime: assemble(&outer, body),
        method: p.method,
        signed: p.sign && engine.is_some(),
        encrypted: p.encrypt && engine.is_some(),
        problem_report: false,
    })
}

/// The `Autocrypt` header value for mail from `from`: its OpenPGP signing key (the key its
/// recipients should encrypt to) as a minimal key for `from`, folded; `None` when it has none.
pub(super) fn autocrypt_header(
    ring: &Keyring,
    engines: &[&dyn Engine],
    from: &str,
    now: Time,
) -> Option<String> {
    use base64::Engine as _;
    let pgp = engines.iter().find(|e| e.method() == Method::Pgp)?;
    let signer = pgp.signing_key(ring, from, now).ok()?;
    let key = ring.pgp_autocrypt_bytes(signer.id(), from, now)?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(key);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(76)
        .filter_map(|c| core::str::from_utf8(c).ok())
        .collect();
    Some(format!(
        "addr={from}; prefer-encrypt=mutual; keydata=\r\n {}",
        lines.join("\r\n ")
    ))
}

/// Message header fields, `MIME-Version`, then the entity (which starts with its own
/// Content-* fields).
fn assemble(headers: &[(String, String)], entity: Vec<u8>) -> Vec<u8> {
    let mut head = Vec::with_capacity(1024);
    for (name, value) in headers {
        head.extend_from_slice(name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"MIME-Version: 1.0\r\n");
    prepend(&head, entity)
}

/// The content-free notice a recipient without a usable key gets instead of the message
/// (S/Notify's "problem report"): who tried to write, why it could not be delivered, what to
/// do. No subject, no body, no attachment names of the original.
pub(super) fn problem_report(
    headers: &[(String, String)],
    from: &str,
    to: &[String],
    why: &[Unusable],
    rng: &mut dyn Rng,
) -> Vec<u8> {
    let keep = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(n, v)| (n.clone(), v.clone()))
    };
    let mut out: Vec<(String, String)> = Vec::new();
    out.extend(keep("From"));
    out.push(("To".to_string(), to.join(", ")));
    out.push((
        "Subject".to_string(),
        "An encrypted message could not be delivered to you".to_string(),
    ));
    out.extend(keep("Date"));
    // A notice of its own, so a Message-ID of its own (relays refuse mail without one).
    out.push((
        "Message-ID".to_string(),
        format!("<{}>", random_message_id(from, rng)),
    ));
    let reasons: Vec<String> = why.iter().map(Unusable::detail).collect();
    let text = format!(
        "{from} tried to send you a message that must be encrypted, but it could not be\r\n\
         encrypted for you:\r\n\r\n{}\r\n\r\nPlease send your S/MIME certificate or OpenPGP public key to\r\n\
         {from} and ask for the message again.\r\n",
        reasons.join("\r\n")
    );
    let entity = Entity::new("text/plain; charset=\"us-ascii\"")
        .header("Content-Transfer-Encoding", "7bit")
        .text_7bit(text.as_bytes())
        .into_bytes();
    assemble(&out, entity)
}

//! Outgoing mail: policy → method per recipient → deliveries.
//!
//! One call handles a mix of S/MIME, OpenPGP and plain recipients (S/Notify's method
//! priority and fallback): recipients that share a method share a delivery, every Bcc
//! recipient gets a delivery of their own so no copy reveals them, and recipients without a
//! usable key are blocked, sent plain or sent a content-free problem report, as the policy says.

//!
//! | module | what |
//! |---|---|
//! | `options` | [`ProtectOptions`], [`MethodChoice`], [`Message`]: what is asked |
//! | `addresses` | the addr-specs of a draft or raw message; [`recipients_without_key`] |
//! | `plan` | [`plan`]: who gets which copy; [`below_group_defaults`] |
//! | `copies` | each [`Delivery`] built: protected copy, problem report, `Autocrypt` header |

mod addresses;
mod copies;
mod options;
mod plan;

pub use addresses::recipients_without_key;
pub use copies::{Delivery, Protected};
pub use options::{Message, MethodChoice, ProtectOptions};
pub use plan::{below_group_defaults, plan, Plan, PlannedDelivery};

use crate::crypto::provider::{self, now_or_never};
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};
use crate::keys::AuditEvent;
use crate::keys::Keyring;
use crate::mime::{build_draft_to_encode_again, random_message_id, split_message, Limits};
use crate::rng::Rng;
use crate::time::Time;
use addresses::{draft_addresses, raw_addresses};
use copies::{autocrypt_header, problem_report, protected_copy};

/// Signs and/or encrypts `message` for its recipients as `opts` and the policy say, and
/// records an audit event (addresses, no content) in the keyring's log.
///
/// Synchronous: for native code and wherever the crypto provider is (RustCrypto, node:crypto).
/// Where it is asynchronous (WebCrypto in a browser) this is `internal` and
/// [`protect_async`] is the way.
pub fn protect(
    ring: &mut Keyring,
    engines: &[&dyn Engine],
    message: Message<'_>,
    opts: &ProtectOptions,
    rng: &mut dyn Rng,
) -> Result<Protected> {
    let (result, event) = now_or_never(protect_async(ring, engines, message, opts, rng))
        .unwrap_or_else(|| {
            let result = Err(provider::needs_async());
            let event = protect_event(opts.now, &result);
            (result, event)
        });
    ring.record(event);
    result
}

/// [`protect`] for a runtime whose crypto is asynchronous. The keyring is only read while the
/// future runs; the audit event comes back with the result, for the caller to
/// [`Keyring::record`] (nothing is recorded before the work is done).
pub async fn protect_async(
    ring: &Keyring,
    engines: &[&dyn Engine],
    message: Message<'_>,
    opts: &ProtectOptions,
    rng: &mut dyn Rng,
) -> (Result<Protected>, AuditEvent) {
    let result = protect_message(ring, engines, message, opts, rng).await;
    let event = protect_event(opts.now, &result);
    (result, event)
}

/// The bytes of a draft's text, HTML and files (their MIME entity is about 4/3 of it).
fn draft_size(draft: &crate::mime::Draft) -> usize {
    let text =
        draft.text.as_ref().map_or(0, String::len) + draft.html.as_ref().map_or(0, String::len);
    draft
        .attachments
        .iter()
        .fold(text, |n, a| n.saturating_add(a.data.len()))
}

/// A message of `len` bytes is no larger than what `open` reads (`Limits::max_input`, 64 MiB):
/// mailseal does not send what it would refuse to open (found by the API sweep: a 35 MiB file
/// made a 65.5 MiB message, a 190 MiB one failed as `internal`, a 700 MiB one ran the module
/// out of memory). Checked before the work for a draft, and for each protected copy.
fn fits(len: usize, limits: &Limits) -> Result<()> {
    if len <= limits.max_input {
        return Ok(());
    }
    let mib = |n: usize| n.div_ceil(1024 * 1024);
    Err(Error::new(
        ErrorCode::TooLarge,
        format!(
            "The protected message would be about {} MiB, more than the {} MiB mailseal opens \
             (and more than most mail servers take): send large files another way.",
            mib(len),
            mib(limits.max_input)
        ),
    ))
}

/// The audit event of one `protect`: addresses and method, or the error code; no content.
fn protect_event(now: Time, result: &Result<Protected>) -> AuditEvent {
    let mut event = AuditEvent::key_management(now, "protect", &[]);
    match result {
        Ok(p) => {
            let method = p.deliveries.iter().find_map(|d| d.method);
            event.method = method.map(|m| m.as_str().to_string());
            event.addresses = p.deliveries.iter().flat_map(|d| d.to.clone()).collect();
            event.message_id = p.message_id.clone();
        }
        Err(e) => {
            event.outcome = "error".to_string();
            event.code = Some(e.code().as_str().to_string());
        }
    }
    event
}

async fn protect_message(
    ring: &Keyring,
    engines: &[&dyn Engine],
    message: Message<'_>,
    opts: &ProtectOptions,
    rng: &mut dyn Rng,
) -> Result<Protected> {
    let limits = Limits::default();
    let (headers, entity, addresses) = match message {
        Message::Raw(raw) => {
            let (headers, entity) = split_message(raw, &limits)?;
            let addresses = raw_addresses(raw, &limits)?;
            (headers, entity, addresses)
        }
        Message::Draft(draft) => {
            fits(draft_size(draft).saturating_mul(4) / 3, &limits)?;
            let built = build_draft_to_encode_again(draft, opts.now, rng, opts.encrypt)?;
            let addresses = draft_addresses(draft)?;
            (built.headers, built.entity, addresses)
        }
    };
    // Bcc and Resent-Bcc never travel in a copy; MIME-Version is written once below. The
    // sender's own Autocrypt header is the policy's to write.
    let mut headers: Vec<(String, String)> = headers
        .into_iter()
        .filter(|(n, _)| {
            let ours = opts.policy.autocrypt && n.eq_ignore_ascii_case("autocrypt");
            let blind = n.eq_ignore_ascii_case("bcc") || n.eq_ignore_ascii_case("resent-bcc");
            !(ours || blind || n.eq_ignore_ascii_case("mime-version"))
        })
        .collect();
    // RFC 5322 §3.6.4: every message should have one, relays (Cloudflare's send_email) refuse
    // mail without one, and the help desk threads by it; a raw message may come without.
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("message-id"))
    {
        let id = format!("<{}>", random_message_id(&addresses.from, rng));
        headers.push(("Message-ID".to_string(), id));
    }
    if opts.policy.autocrypt {
        if let Some(value) = autocrypt_header(ring, engines, &addresses.from, opts.now) {
            headers.push(("Autocrypt".to_string(), value));
        }
    }
    let Plan {
        deliveries: planned,
        warnings,
    } = plan(ring, engines, &addresses, opts)?;
    let shortfall = below_group_defaults(ring, engines, &addresses, opts, &planned)?;
    if !shortfall.is_empty() && !opts.confirm_downgrade {
        return Err(Error::new(
            ErrorCode::DowngradeNotConfirmed,
            format!(
                "{} It was not sent: the agent has to confirm this.",
                shortfall.join(" ")
            ),
        ));
    }

    let mut deliveries = Vec::with_capacity(planned.len());
    // The entity is copied for every delivery but the last, which takes it: a large message is
    // held once less (peak memory, benches/RESULTS.md).
    let last = planned.iter().rposition(|p| p.problem.is_none());
    let mut entity = Some(entity);
    for (i, p) in planned.into_iter().enumerate() {
        if let Some(why) = &p.problem {
            deliveries.push(Delivery {
                to: p.recipients.clone(),
                mime: problem_report(&headers, &addresses.from, &p.recipients, why, &mut *rng),
                method: None,
                signed: false,
                encrypted: false,
                problem_report: true,
            });
            continue;
        }
        let mine = if Some(i) == last {
            entity.take()
        } else {
            entity.clone()
        };
        let delivery = protected_copy(
            ring,
            engines,
            &p,
            mine.unwrap_or_default(),
            &headers,
            &addresses.from,
            opts,
            rng,
        );
        let delivery = delivery.await?;
        fits(delivery.mime.len(), &limits)?;
        deliveries.push(delivery);
    }
    let message_id = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("message-id"))
        .map(|(_, v)| {
            v.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        });
    Ok(Protected {
        deliveries,
        warnings,
        message_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capabilities::Addresses;
    use crate::engine::fake::Fake;
    use crate::mime::Draft;
    use crate::policy::Fallback;
    use crate::report::Method;

    const SMIME: Fake = Fake {
        method: Method::Smime,
        signers: &["desk@example.com"],
        recipients: &["desk@example.com", "alice@example.com", "bob@example.com"],
    };
    const PGP: Fake = Fake {
        method: Method::Pgp,
        signers: &["desk@example.com"],
        recipients: &["alice@example.com", "carol@example.com"],
    };

    fn addresses(to: &[&str], bcc: &[&str]) -> Addresses {
        Addresses {
            from: "desk@example.com".into(),
            to: to.iter().map(|s| s.to_string()).collect(),
            cc: Vec::new(),
            bcc: bcc.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn run(
        to: &[&str],
        bcc: &[&str],
        opts: &ProtectOptions,
    ) -> Result<(Vec<PlannedDelivery>, Vec<crate::warning::Warning>)> {
        plan(&Keyring::new(), &[&SMIME, &PGP], &addresses(to, bcc), opts)
            .map(|p| (p.deliveries, p.warnings))
    }

    fn now() -> Time {
        Time::from_unix(0)
    }

    #[test]
    fn recipients_are_grouped_by_the_first_method_with_a_key() {
        let opts = ProtectOptions::new(true, true, now());
        let (plan, _) = run(
            &["alice@example.com", "bob@example.com", "carol@example.com"],
            &[],
            &opts,
        )
        .unwrap();
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[0].method, Some(Method::Smime));
        assert_eq!(plan[0].recipients, ["alice@example.com", "bob@example.com"]);
        assert!(plan[0].sign && plan[0].encrypt && plan[0].to_self);
        assert_eq!(plan[1].method, Some(Method::Pgp));
        assert_eq!(plan[1].recipients, ["carol@example.com"]);
        // No PGP encryption key for the desk itself: said, not fatal.
        assert!(!plan[1].to_self);
    }

    #[test]
    fn a_forced_method_and_block_names_the_missing_recipients() {
        let mut opts = ProtectOptions::new(false, true, now());
        opts.method = MethodChoice::Pgp;
        let err = run(&["alice@example.com", "bob@example.com"], &[], &opts).unwrap_err();
        assert_eq!(err.code(), ErrorCode::RecipientKeyMissing);
        assert!(
            err.message().contains("bob@example.com"),
            "{}",
            err.message()
        );
        assert!(
            !err.message().contains("alice@example.com"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn send_plain_and_problem_report_fallbacks() {
        let mut opts = ProtectOptions::new(true, true, now());
        opts.policy.fallback = Fallback::SendPlain;
        let (plan, warnings) = run(&["alice@example.com", "zed@example.com"], &[], &opts).unwrap();
        let plain = plan.iter().find(|g| !g.encrypt).unwrap();
        assert_eq!(plain.recipients, ["zed@example.com"]);
        assert!(plain.sign, "still signed as asked");
        assert!(warnings
            .iter()
            .any(|w| w.message.contains("zed@example.com")));

        opts.policy.fallback = Fallback::ProblemReport;
        let (plan, _) = run(&["alice@example.com", "zed@example.com"], &[], &opts).unwrap();
        let report = plan.iter().find(|g| g.problem.is_some()).unwrap();
        assert_eq!(report.recipients, ["zed@example.com"]);
        assert!(!report.encrypt && !report.sign && report.method.is_none());
    }

    #[test]
    fn every_bcc_recipient_gets_a_copy_of_their_own() {
        let opts = ProtectOptions::new(false, true, now());
        let (plan, _) = run(
            &["alice@example.com"],
            &["bob@example.com", "Alice@example.com"],
            &opts,
        )
        .unwrap();
        assert_eq!(plan.len(), 2, "alice is already a visible recipient");
        assert!(plan[1].bcc);
        assert_eq!(plan[1].recipients, ["bob@example.com"]);
    }

    #[test]
    fn signing_needs_the_senders_key_of_the_method() {
        let mut opts = ProtectOptions::new(true, false, now());
        let (planned, _) = run(&["zed@example.com"], &[], &opts).unwrap();
        assert_eq!(planned[0].method, Some(Method::Smime));
        opts.policy.method_priority = vec![Method::Pgp];
        let (planned, _) = run(&["zed@example.com"], &[], &opts).unwrap();
        assert_eq!(planned[0].method, Some(Method::Pgp));

        let nobody = Fake {
            method: Method::Smime,
            signers: &[],
            recipients: &["alice@example.com"],
        };
        let opts = ProtectOptions::new(true, true, now());
        let err = plan(
            &Keyring::new(),
            &[&nobody],
            &addresses(&["alice@example.com"], &[]),
            &opts,
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::SenderKeyMissing);
        assert!(
            err.message().contains("desk@example.com"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn no_recipients_is_bad_input() {
        let opts = ProtectOptions::new(false, false, now());
        assert_eq!(
            run(&[], &[], &opts).unwrap_err().code(),
            ErrorCode::BadInput
        );
    }

    fn draft(to: &[&str]) -> Draft {
        Draft {
            from: "Help Desk <desk@example.com>".into(),
            to: to.iter().map(|s| s.to_string()).collect(),
            subject: "Secret plans".into(),
            text: Some("The body".into()),
            message_id: Some("m1@example.com".into()),
            ..Draft::default()
        }
    }

    fn protect_draft(d: &Draft, opts: &ProtectOptions) -> (Result<Protected>, Keyring) {
        use rand::SeedableRng;
        let mut ring = Keyring::new();
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let r = protect(
            &mut ring,
            &[&SMIME, &PGP],
            Message::Draft(d),
            opts,
            &mut rng,
        );
        (r, ring)
    }

    #[test]
    fn a_plain_draft_becomes_one_plain_delivery() {
        let opts = ProtectOptions::new(false, false, now());
        let (p, ring) = protect_draft(&draft(&["Zed <zed@example.com>"]), &opts);
        let p = p.unwrap();
        assert_eq!(p.deliveries.len(), 1);
        let d = &p.deliveries[0];
        assert_eq!(
            (
                d.method.map_or("none", Method::as_str),
                d.signed,
                d.encrypted
            ),
            ("none", false, false)
        );
        let text = String::from_utf8(d.mime.clone()).unwrap();
        assert!(text.contains("Subject: Secret plans\r\n"), "{text}");
        assert!(text.contains("MIME-Version: 1.0\r\n"));
        assert_eq!(text.matches("MIME-Version").count(), 1);
        assert!(text.contains("The body"));
        assert_eq!(
            ring.recent_log().last().unwrap().addresses,
            ["zed@example.com"]
        );
    }

    #[test]
    fn a_problem_report_carries_no_content() {
        let mut opts = ProtectOptions::new(false, true, now());
        opts.policy.fallback = Fallback::ProblemReport;
        let (p, _) = protect_draft(&draft(&["zed@example.com"]), &opts);
        let p = p.unwrap();
        assert_eq!(p.deliveries.len(), 1);
        let d = &p.deliveries[0];
        assert!(d.problem_report && !d.encrypted);
        let text = String::from_utf8(d.mime.clone()).unwrap();
        assert!(
            !text.contains("Secret plans") && !text.contains("The body"),
            "{text}"
        );
        assert!(text.contains("zed@example.com was not found"), "{text}");
        assert!(text.contains("\r\nMessage-ID: <"), "{text}");
        assert!(
            !text.contains("m1@example.com"),
            "not the original's Message-ID: {text}"
        );
    }

    #[test]
    fn bcc_never_appears_in_any_copy() {
        let mut d = draft(&["zed@example.com"]);
        d.bcc = vec!["hidden@example.com".into()];
        let opts = ProtectOptions::new(false, false, now());
        let (p, _) = protect_draft(&d, &opts);
        let p = p.unwrap();
        assert_eq!(p.deliveries.len(), 2);
        for d in &p.deliveries {
            let text = String::from_utf8_lossy(&d.mime).to_ascii_lowercase();
            assert!(
                !text.contains("hidden@example.com") && !text.contains("bcc:"),
                "{text}"
            );
        }
        assert_eq!(p.deliveries[1].to, ["hidden@example.com"]);
    }

    /// Raw UTF-8 in a raw message's header fields (RFC 6532) goes out as encoded words
    /// (RFC 2047): the copies are 7-bit, and a reader shows the same text.
    #[test]
    fn raw_utf8_header_fields_go_out_encoded() {
        use rand::SeedableRng;
        let raw =
            "From: J\u{fc}rgen M\u{fc}ller <desk@example.com>\nTo: Zo\u{eb} <zed@example.com>\n\
                   Subject: Gr\u{fc}\u{df}e aus K\u{f6}ln\nContent-Type: text/plain\n\nhi\n";
        let mut ring = Keyring::new();
        let mut rng = rand::rngs::StdRng::seed_from_u64(4);
        let opts = ProtectOptions::new(false, false, now());
        let p = protect(
            &mut ring,
            &[&SMIME],
            Message::Raw(raw.as_bytes()),
            &opts,
            &mut rng,
        )
        .unwrap();
        let mime = &p.deliveries[0].mime;
        assert!(mime.is_ascii(), "{}", String::from_utf8_lossy(mime));
        let tree = crate::mime::MimeTree::parse(mime, &crate::mime::Limits::default()).unwrap();
        let view = crate::mime::HeaderView::of(&tree);
        assert_eq!(
            view.subject.as_deref(),
            Some("Gr\u{fc}\u{df}e aus K\u{f6}ln")
        );
        assert_eq!(
            view.from[0].name.as_deref(),
            Some("J\u{fc}rgen M\u{fc}ller")
        );
        assert_eq!(view.from[0].address, "desk@example.com");
        assert_eq!(view.to[0].name.as_deref(), Some("Zo\u{eb}"));
    }

    /// RFC 5322 §3.6.6: a resent message's Resent-Bcc is as blind as Bcc. It went out in the
    /// clear header of every copy, and its addresses got none (found by the protect sweep).
    #[test]
    fn a_raw_message_loses_resent_bcc_and_its_resent_recipients_get_copies() {
        use rand::SeedableRng;
        let raw = b"From: desk@example.com\nTo: zed@example.com\n\
                    Resent-From: desk@example.com\nResent-To: amy@example.com\n\
                    Resent-Bcc: hidden@example.com\nSubject: Again\n\nHello\n";
        let mut ring = Keyring::new();
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let opts = ProtectOptions::new(false, false, now());
        let p = protect(&mut ring, &[&SMIME], Message::Raw(raw), &opts, &mut rng).unwrap();
        let mut to: Vec<String> = p.deliveries.iter().flat_map(|d| d.to.clone()).collect();
        to.sort();
        assert_eq!(
            to,
            ["amy@example.com", "hidden@example.com", "zed@example.com"]
        );
        for d in &p.deliveries {
            let text = String::from_utf8_lossy(&d.mime);
            assert!(
                !text.contains("hidden@") && !text.to_ascii_lowercase().contains("resent-bcc"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_raw_message_keeps_its_headers_and_loses_bcc() {
        use rand::SeedableRng;
        let raw = b"From: desk@example.com\nTo: zed@example.com\nBcc: hidden@example.com\n\
                    Subject: Raw\nContent-Type: text/plain; charset=utf-8\n\
                    Content-Transfer-Encoding: 8bit\n\nGr\xc3\xbc\xc3\x9fe\n";
        let mut ring = Keyring::new();
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let opts = ProtectOptions::new(false, false, now());
        let p = protect(&mut ring, &[&SMIME], Message::Raw(raw), &opts, &mut rng).unwrap();
        assert_eq!(p.deliveries.len(), 2);
        let text = String::from_utf8(p.deliveries[0].mime.clone()).unwrap();
        assert!(
            text.contains("Subject: Raw\r\n") && !text.contains("hidden"),
            "{text}"
        );
        assert!(text.is_ascii(), "canonical 7-bit form: {text}");
        // The raw message had no Message-ID: the copies get one (relays refuse mail without),
        // the same in every copy, and the result names it.
        let id = p.message_id.clone().expect("a Message-ID");
        for d in &p.deliveries {
            let text = String::from_utf8_lossy(&d.mime);
            assert_eq!(text.matches("Message-ID:").count(), 1, "{text}");
            assert!(text.contains(&format!("Message-ID: <{id}>")), "{text}");
        }
    }
}

//! No silent downgrade: a group's Sign / Encrypt defaults are the least protection a message
//! leaves with unless the agent confirms. `preview` (what the composer shows before Send) and
//! `protect` (what is sent) decide the same, for every fallback of the policy.
//! Runs natively and in wasm under Node.

mod common;

use common::{fixture, ring_of as ring, rng, NOW};
use mailseal::mime::Draft;
use mailseal::{
    preview, protect, Addresses, ErrorCode, Fallback, GroupDefaults, ImportOptions, Keyring,
    Message, Method, Outcome, ProtectOptions,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const SENDER: &str = "alice@example.com";
const WITH_KEY: &str = "bob@example.com";
/// frank's certificate expired in 2025 (tests/data/keys/NOTES.md).
const EXPIRED: &str = "frank@example.com";

/// Alice (S/MIME, signs), Bob (valid certificate), Frank (expired certificate).
fn desk() -> Keyring {
    ring(&[
        "trusted:smime/root-ca.crt",
        "smime/int-ca.crt",
        "smime/alice.crt",
        "smime/alice.key",
        "smime/bob.crt",
        "trusted:keys/root-ca.crt.pem",
        "keys/intermediate-ca.crt.pem",
        "keys/frank-expired.crt.pem",
    ])
}

/// Sign / encrypt as asked, for group "Security" (signs and encrypts by default).
fn options(sign: bool, encrypt: bool, fallback: Fallback) -> ProtectOptions {
    let mut opts = ProtectOptions::new(sign, encrypt, NOW);
    opts.policy.fallback = fallback;
    opts.policy.groups.insert(
        "Security".to_string(),
        GroupDefaults {
            sign: true,
            encrypt: true,
            method: None,
            protect_headers: None,
        },
    );
    opts.policy
        .groups
        .insert("Billing".to_string(), GroupDefaults::default());
    opts.group = Some("Security".to_string());
    opts
}

fn addresses(to: &[&str]) -> Addresses {
    Addresses {
        from: SENDER.to_string(),
        to: to.iter().map(|s| s.to_string()).collect(),
        ..Addresses::default()
    }
}

fn send(
    ring: &mut Keyring,
    to: &[&str],
    opts: &ProtectOptions,
) -> mailseal::Result<mailseal::Protected> {
    let draft = Draft {
        from: SENDER.to_string(),
        to: to.iter().map(|s| s.to_string()).collect(),
        subject: "Your ticket".to_string(),
        text: Some("The new password is in the attachment.".to_string()),
        ..Draft::default()
    };
    protect(
        ring,
        &mailseal::standards::all(),
        Message::Draft(&draft),
        opts,
        &mut rng(),
    )
}

#[test]
fn block_fallback_blocks_an_expired_recipient_key_however_the_toggles_are_set() {
    let mut ring = desk();
    let to = [WITH_KEY, EXPIRED];
    for (sign, encrypt, confirm) in [
        (true, true, false),
        // The review's case: Encrypt off, the mail went out signed but unencrypted. Turning
        // Encrypt off is no way around "block", not even with the agent's confirmation.
        (true, false, false),
        (true, false, true),
        (false, false, true),
    ] {
        let case = format!("sign {sign} encrypt {encrypt} confirm {confirm}");
        let mut opts = options(sign, encrypt, Fallback::Block);
        opts.confirm_downgrade = confirm;
        let p = preview(&ring, &mailseal::standards::all(), &addresses(&to), &opts);
        assert_eq!(p.outcome, Outcome::Blocked, "{case}");
        let blocked = p.blocked.as_ref().expect("why it is blocked");
        assert_eq!(blocked.code, ErrorCode::RecipientKeyMissing, "{case}");
        assert!(
            blocked.detail.contains(EXPIRED),
            "{case}: {}",
            blocked.detail
        );
        assert!(
            !blocked.detail.contains(WITH_KEY),
            "{case}: {}",
            blocked.detail
        );
        assert!(p.deliveries.is_empty(), "{case}");
        assert!(!p.encrypt.possible, "{case}");
        assert!(
            p.encrypt.reason.contains(EXPIRED),
            "{case}: {}",
            p.encrypt.reason
        );
        assert!(p.sign.possible, "{case}");

        let e = send(&mut ring, &to, &opts).expect_err(&case);
        assert_eq!(e.code(), ErrorCode::RecipientKeyMissing, "{case}");
    }
}

#[test]
fn turning_encryption_or_signing_off_needs_the_agents_confirmation() {
    let mut ring = desk();
    for (sign, encrypt, says) in [
        (true, false, "not be encrypted"),
        (false, true, "not be signed"),
    ] {
        let opts = options(sign, encrypt, Fallback::Block);
        let p = preview(
            &ring,
            &mailseal::standards::all(),
            &addresses(&[WITH_KEY]),
            &opts,
        );
        assert_eq!(p.outcome, Outcome::Confirm, "{says}");
        assert_eq!(p.shortfall.len(), 1, "{says}: {:?}", p.shortfall);
        assert!(p.shortfall[0].contains(says) && p.shortfall[0].contains("Security"));
        assert_eq!(p.deliveries.len(), 1);
        assert_eq!(p.deliveries[0].encrypted, encrypt);
        assert_eq!(p.deliveries[0].signed, sign);

        let e = send(&mut ring, &[WITH_KEY], &opts).expect_err(says);
        assert_eq!(e.code(), ErrorCode::DowngradeNotConfirmed, "{says}");
        assert!(e.message().contains(says), "{e}");

        let confirmed = ProtectOptions {
            confirm_downgrade: true,
            ..opts
        };
        let sent = send(&mut ring, &[WITH_KEY], &confirmed).expect(says);
        assert_eq!(sent.deliveries.len(), 1);
        assert_eq!(sent.deliveries[0].encrypted, encrypt);
        assert_eq!(sent.deliveries[0].signed, sign);
    }
    // A group without defaults, or no group: nothing to confirm.
    for group in [Some("Billing"), None] {
        let mut opts = options(false, false, Fallback::Block);
        opts.group = group.map(str::to_string);
        let p = preview(
            &ring,
            &mailseal::standards::all(),
            &addresses(&[WITH_KEY]),
            &opts,
        );
        assert_eq!(p.outcome, Outcome::Ready, "{group:?}");
        assert!(p.shortfall.is_empty());
        send(&mut ring, &[WITH_KEY], &opts).expect("plain mail without a floor");
    }
}

#[test]
fn plain_copies_of_the_send_plain_fallback_need_confirmation_problem_reports_do_not() {
    let mut ring = desk();
    let to = [WITH_KEY, EXPIRED];

    let opts = options(true, true, Fallback::SendPlain);
    let p = preview(&ring, &mailseal::standards::all(), &addresses(&to), &opts);
    assert_eq!(p.outcome, Outcome::Confirm);
    assert!(
        p.encrypt.possible,
        "some recipients have a key: {}",
        p.encrypt.reason
    );
    assert!(
        p.encrypt.reason.contains("unencrypted"),
        "{}",
        p.encrypt.reason
    );
    assert_eq!(p.shortfall.len(), 1);
    assert!(p.shortfall[0].starts_with(EXPIRED), "{:?}", p.shortfall);
    assert_eq!(
        send(&mut ring, &to, &opts).expect_err("unconfirmed").code(),
        ErrorCode::DowngradeNotConfirmed
    );
    let confirmed = ProtectOptions {
        confirm_downgrade: true,
        ..opts.clone()
    };
    let sent = send(&mut ring, &to, &confirmed).expect("confirmed");
    // What the preview announced is what was sent.
    let shape = |to: &[String], method: Option<Method>, signed, encrypted, report| {
        (to.to_vec(), method, signed, encrypted, report)
    };
    let announced: Vec<_> = p
        .deliveries
        .iter()
        .map(|d| shape(&d.to, d.method, d.signed, d.encrypted, d.problem_report))
        .collect();
    let delivered: Vec<_> = sent
        .deliveries
        .iter()
        .map(|d| shape(&d.to, d.method, d.signed, d.encrypted, d.problem_report))
        .collect();
    assert_eq!(announced, delivered);
    assert_eq!(p.warnings, sent.warnings);

    let opts = options(true, true, Fallback::ProblemReport);
    let p = preview(&ring, &mailseal::standards::all(), &addresses(&to), &opts);
    assert_eq!(p.outcome, Outcome::Ready, "{:?}", p.shortfall);
    assert!(p
        .deliveries
        .iter()
        .any(|d| d.problem_report && d.to == [EXPIRED]));
    assert!(
        p.encrypt.reason.contains("problem report"),
        "{}",
        p.encrypt.reason
    );
    let sent = send(&mut ring, &to, &opts).expect("problem report is no downgrade");
    assert_eq!(sent.deliveries.len(), 2);
}

#[test]
fn encryption_becomes_possible_when_the_recipients_key_arrives() {
    let mut ring = desk();
    let erin = "erin@example.com";
    let opts = options(true, true, Fallback::Block);
    let p = preview(
        &ring,
        &mailseal::standards::all(),
        &addresses(&[erin]),
        &opts,
    );
    assert!(!p.encrypt.possible);
    assert_eq!(p.outcome, Outcome::Blocked);

    ring.import(
        fixture("keys/erin-p384.crt.pem"),
        &ImportOptions::default(),
        NOW,
    )
    .expect("erin's certificate");
    let p = preview(
        &ring,
        &mailseal::standards::all(),
        &addresses(&[erin]),
        &opts,
    );
    assert!(p.encrypt.possible, "{}", p.encrypt.reason);
    assert_eq!(p.outcome, Outcome::Ready, "{:?}", p.blocked);
    assert!(p.deliveries[0].encrypted && p.deliveries[0].signed);
}

#[test]
fn an_unknown_group_or_a_sender_without_key_blocks_with_the_reason() {
    let ring = desk();
    let mut opts = options(true, true, Fallback::Block);
    opts.group = Some("Nonexistent".to_string());
    let p = preview(
        &ring,
        &mailseal::standards::all(),
        &addresses(&[WITH_KEY]),
        &opts,
    );
    assert_eq!(p.outcome, Outcome::Blocked);
    assert_eq!(
        p.blocked.as_ref().map(|b| b.code),
        Some(ErrorCode::BadInput)
    );

    let opts = options(true, true, Fallback::Block);
    let stranger = Addresses {
        from: "nobody@example.com".to_string(),
        ..addresses(&[WITH_KEY])
    };
    let p = preview(&ring, &mailseal::standards::all(), &stranger, &opts);
    assert_eq!(p.outcome, Outcome::Blocked);
    assert_eq!(
        p.blocked.as_ref().map(|b| b.code),
        Some(ErrorCode::SenderKeyMissing)
    );
    assert!(!p.sign.possible);
    assert!(
        p.sign.reason.contains("nobody@example.com"),
        "{}",
        p.sign.reason
    );
}

#[test]
fn the_groups_header_protection_applies_unless_the_message_says_otherwise() {
    let mut ring = desk();
    let subject_outside = |opts: &ProtectOptions, ring: &mut Keyring| {
        let out = send(ring, &[WITH_KEY], opts).expect("sent");
        let mime = String::from_utf8_lossy(&out.deliveries[0].mime).into_owned();
        mime.contains("\r\nSubject: Your ticket\r\n")
    };
    // By default an encrypted message hides its Subject ([...] outside).
    let mut opts = options(true, true, Fallback::Block);
    assert!(!subject_outside(&opts, &mut ring), "default: protected");
    // The group turns header protection off (a help desk whose ticket system threads by
    // Subject): the Subject stays outside.
    if let Some(g) = opts.policy.groups.get_mut("Security") {
        g.protect_headers = Some(false);
    }
    assert!(subject_outside(&opts, &mut ring), "the group's choice");
    // The message's own choice wins over the group's.
    opts.protect_headers = Some(true);
    assert!(!subject_outside(&opts, &mut ring), "the message's choice");
}

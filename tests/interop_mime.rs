//! The bytes the MIME layer extracts are the bytes the real tools signed: openssl and gpg
//! verify the detached signatures over exactly `Detached::signed` (and over `signed_crlf()`
//! for LF copies), and openssl verifies messages assembled from our drafts, canonical form
//! and header protection. Native only (drives openssl/gpg).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::Command;

use common::tools::{have, run, tempdir};
use common::{fixture, rng, NOW};
use mailseal::mime::{
    build_draft, detect, new_boundary, protect_headers, Detached, Draft, Entity, Layer, Limits,
    MimeTree,
};

fn mime(name: &str) -> &'static [u8] {
    fixture(&format!("mime/{name}"))
}

fn layer_of(raw: &[u8]) -> Layer<'_> {
    detect(&MimeTree::parse(raw, &Limits::default()).expect("parses")).layer
}

fn lf(raw: &[u8]) -> Vec<u8> {
    raw.iter().copied().filter(|&b| b != b'\r').collect()
}

/// `openssl cms -verify` of a detached DER signature over `content` (no chain check: this
/// tests the bytes, not the trust).
fn openssl_verifies(content: &[u8], signature: &[u8]) -> (bool, String) {
    let dir = tempdir();
    let c = dir.path().join("content.bin");
    let s = dir.path().join("sig.der");
    std::fs::write(&c, content).unwrap();
    std::fs::write(&s, signature).unwrap();
    run(
        Command::new("openssl")
            .args(["cms", "-verify", "-binary", "-noverify", "-inform", "DER"])
            .arg("-in")
            .arg(&s)
            .arg("-content")
            .arg(&c)
            .args(["-out", "/dev/null"]),
        b"",
    )
}

fn smime_detached(raw: &[u8]) -> Detached<'_> {
    match layer_of(raw) {
        Layer::SmimeSigned(d) => d,
        other => panic!("{other:?}"),
    }
}

#[test]
fn openssl_verifies_extracted_smime_signed_parts() {
    if !have("openssl") {
        return;
    }
    for name in [
        "openssl-smime-signed.eml",
        "openssl-cms-signed-crlf.eml",
        "thunderbird-smime-signed.eml",
        "applemail-smime-signed.eml",
    ] {
        let d = smime_detached(mime(name));
        let (ok, out) = openssl_verifies(d.signed, &d.signature);
        assert!(ok, "{name}: {out}");
        // One changed byte in the signed part breaks it: the range is not too wide or short.
        let mut tampered = d.signed.to_vec();
        let last = tampered.len() - 3;
        tampered[last] ^= 0x20;
        assert!(!openssl_verifies(&tampered, &d.signature).0, "{name}");
        // The LF copy of the message verifies over the CRLF form.
        let lf_copy = lf(mime(name));
        let twin = smime_detached(&lf_copy);
        let (ok, out) = openssl_verifies(&twin.signed_crlf(), &twin.signature);
        assert!(ok, "{name} (LF): {out}");
    }
}

#[test]
fn gpg_verifies_extracted_pgp_signed_parts() {
    if !have("gpg") {
        return;
    }
    let dir = tempdir();
    let home = dir.path().join("gnupg");
    std::fs::create_dir(&home).unwrap();
    let gpg = |args: &[&str], input: &[u8]| {
        run(
            Command::new("gpg")
                .env("GNUPGHOME", &home)
                .args(["--batch", "--no-tty", "--trust-model", "always"])
                .args(args),
            input,
        )
    };
    let (ok, out) = gpg(&["--import"], fixture("keys/pgp-rsa.pub.asc"));
    assert!(ok, "{out}");

    let d = match layer_of(mime("gpg-pgpmime-signed.eml")) {
        Layer::PgpSigned(d) => d,
        other => panic!("{other:?}"),
    };
    let signed = dir.path().join("signed.bin");
    let sig = dir.path().join("sig.asc");
    std::fs::write(&sig, &d.signature).unwrap();
    std::fs::write(&signed, d.signed).unwrap();
    let (ok, out) = gpg(
        &["--verify", sig.to_str().unwrap(), signed.to_str().unwrap()],
        b"",
    );
    assert!(ok && out.contains("Good signature"), "{out}");
    let mut tampered = d.signed.to_vec();
    tampered.extend_from_slice(b"\r\n");
    std::fs::write(&signed, &tampered).unwrap();
    let (ok, _) = gpg(
        &["--verify", sig.to_str().unwrap(), signed.to_str().unwrap()],
        b"",
    );
    assert!(!ok, "a signed part one CRLF longer must not verify");

    // The inline cleartext-signed block as extracted.
    match layer_of(mime("gpg-inline-clearsigned.eml")) {
        Layer::PgpCleartext { armored, .. } => {
            let (ok, out) = gpg(&["--verify"], &armored);
            assert!(ok && out.contains("Good signature"), "{out}");
        }
        other => panic!("{other:?}"),
    }
    let _ = Command::new("gpgconf")
        .env("GNUPGHOME", &home)
        .args(["--kill", "gpg-agent"])
        .output();
}

/// A draft with everything a canonical form must protect (8-bit text, `From ` lines,
/// trailing spaces, binary attachment), header-protected, signed by openssl over our
/// canonical entity, assembled as multipart/signed: `openssl smime -verify` accepts the
/// message as we write it and as an LF copy, and our detection finds the same bytes.
#[test]
fn openssl_verifies_messages_built_from_drafts() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let key = dir.path().join("alice.key");
    let crt = dir.path().join("alice.crt");
    let (ok, out) = run(
        Command::new("openssl").args(["pkey", "-out"]).arg(&key),
        fixture("keys/alice-pkcs8.pem"),
    );
    assert!(ok, "{out}");
    std::fs::write(&crt, fixture("keys/alice-rsa2048.crt.pem")).unwrap();

    let draft = Draft {
        from: "Alice <alice@example.com>".into(),
        to: vec!["Bob Müller <bob@example.com>".into()],
        subject: "Ticket #9: Übersicht".into(),
        text: Some("Hallo Bob,\nFrom now on, café.   \n\n-- \nAlice\n".into()),
        html: Some("<p>Hallo Bob</p>\n".into()),
        attachments: vec![mailseal::mime::DraftAttachment {
            filename: "données.bin".into(),
            content_type: "application/octet-stream".into(),
            data: (0u8..=255).cycle().take(3000).collect(),
        }],
        ..Draft::default()
    };
    let mut r = rng();
    let built = build_draft(&draft, NOW, &mut r).unwrap();
    let protected = protect_headers(built.entity.clone(), &built.headers, false, false).unwrap();
    let entity_path = dir.path().join("entity.bin");
    std::fs::write(&entity_path, &protected.entity).unwrap();
    let sig_path = dir.path().join("sig.der");
    let (ok, out) = run(
        Command::new("openssl")
            .args([
                "cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER",
            ])
            .arg("-in")
            .arg(&entity_path)
            .arg("-signer")
            .arg(&crt)
            .arg("-inkey")
            .arg(&key)
            .arg("-out")
            .arg(&sig_path),
        b"",
    );
    assert!(ok, "{out}");
    let sig = std::fs::read(&sig_path).unwrap();
    let boundary = new_boundary(&mut r);
    let sig_part = Entity::new("application/pkcs7-signature; name=\"smime.p7s\"")
        .header("Content-Disposition", "attachment; filename=\"smime.p7s\"")
        .base64(&sig)
        .to_bytes();
    let mut message = Entity::new(format!(
        "multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"{boundary}\""
    ));
    for (n, v) in &protected.outer {
        message = message.header(n.as_str(), v.as_str());
    }
    let message = message
        .multipart(&boundary, vec![protected.entity.clone(), sig_part])
        .to_bytes();

    for (label, msg) in [("CRLF", message.clone()), ("LF", lf(&message))] {
        let path = dir.path().join("msg.eml");
        std::fs::write(&path, &msg).unwrap();
        let (ok, out) = run(
            Command::new("openssl")
                .args(["smime", "-verify", "-noverify", "-in"])
                .arg(&path)
                .args(["-out", "/dev/null"]),
            b"",
        );
        assert!(ok, "{label}: {out}");
        let d = smime_detached(&msg);
        assert_eq!(&*d.signed_crlf(), &protected.entity[..], "{label}");
        assert!(
            openssl_verifies(&d.signed_crlf(), &d.signature).0,
            "{label}"
        );
    }
}

//! Live S/MIME round trips with the `openssl` binary (native only): everything mailseal
//! writes is verified / decrypted by `openssl cms`, and what `openssl cms` writes now (fresh
//! randomness, the fixture keys of tests/data/smime) opens in mailseal with the right verdict.
#![cfg(not(target_arch = "wasm32"))]

mod common;
#[path = "support/smime_mime.rs"]
mod smime_mime;

use std::path::{Path, PathBuf};

use common::tools::{cms_decrypt, cms_verify, data_path, have, openssl, path_str, tempdir, TestCa};
use common::{fixture, rng, smime_ring as ring, write_ctx, Ready, NOW};
use mailseal::engine::ReadContext;
use mailseal::policy::{Algorithms, SmimeCipher, SmimeKeyTransport, SmimeSignedForm};
use mailseal::warning::WarningCode;
use mailseal::{
    open, EncryptionState, Engine, ImportOptions, Keyring, OpenOptions, Opened, SignatureState,
    SmimeEngine,
};
use smime_mime::{content_type, detached, p7m};

const E: SmimeEngine = SmimeEngine;
const PEOPLE: [&str; 5] = ["alice", "bob", "carol", "dave", "erin"];

fn f(name: &str) -> &'static [u8] {
    fixture(&format!("smime/{name}"))
}

fn data(name: &str) -> PathBuf {
    data_path(&format!("smime/{name}"))
}

/// A keyring that trusts the throwaway CA `ca`.
fn trusting(ca: &TestCa) -> Keyring {
    let mut ring = Keyring::new();
    let trusted = ImportOptions {
        trusted: true,
        ..Default::default()
    };
    ring.import(&ca.cert(), &trusted, NOW).unwrap();
    ring
}

/// A whole message around an engine's entity, as `protect` will send it.
fn message(entity: &[u8]) -> Vec<u8> {
    let mut m = b"From: alice@example.com\r\nTo: bob@example.com\r\nSubject: interop\r\nMIME-Version: 1.0\r\n".to_vec();
    m.extend_from_slice(entity);
    m
}

#[test]
fn openssl_verifies_what_mailseal_signs() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let ring = ring(&PEOPLE);
    let mut r = rng();
    for form in [SmimeSignedForm::Detached, SmimeSignedForm::Opaque] {
        let algs = Algorithms {
            smime_signed_form: form,
            ..Default::default()
        };
        for who in PEOPLE {
            let mut ctx = write_ctx(&mut r, &algs);
            let out = E
                .sign(
                    &ring,
                    &format!("{who}@example.com"),
                    f("entity.txt").to_vec(),
                    &mut ctx,
                )
                .ready()
                .unwrap();
            let msg = dir.path().join(format!("{who}-{form:?}.eml"));
            std::fs::write(&msg, message(&out)).unwrap();
            let content = dir.path().join("content");
            let (ok, log) = cms_verify(
                &msg,
                &data("root-ca.crt"),
                &["-purpose", "smimesign"],
                &content,
            );
            assert!(ok, "{who} {form:?}: {log}");
            assert_eq!(std::fs::read(&content).unwrap(), f("entity.txt"));
        }
    }
}

#[test]
fn openssl_reads_separate_signing_and_encryption_certificates() {
    if !have("openssl") {
        return;
    }
    // Ivy signs with ivy-sign; the signature carries ivy-enc and names it as the key to
    // encrypt replies to. openssl verifies it and can encrypt to the certificate it extracts.
    let dir = tempdir();
    let ring = ring(&["ivy-sign", "ivy-enc"]);
    let mut r = rng();
    let algs = Algorithms::default();
    let mut ctx = write_ctx(&mut r, &algs);
    let out = E
        .sign(&ring, "ivy@example.com", f("entity.txt").to_vec(), &mut ctx)
        .ready()
        .unwrap();
    let msg = dir.path().join("ivy.eml");
    std::fs::write(&msg, message(&out)).unwrap();
    let certs = dir.path().join("certs.pem");
    let (ok, log) = cms_verify(
        &msg,
        &data("root-ca.crt"),
        &["-purpose", "smimesign", "-certsout", path_str(&certs)],
        &dir.path().join("content"),
    );
    assert!(ok, "{log}");
    let pem = std::fs::read_to_string(&certs).unwrap();
    let enc = std::fs::read_to_string(data("ivy-enc.crt")).unwrap();
    assert!(
        pem.contains(enc.trim()),
        "ivy-enc is among the certificates sent"
    );
}

#[test]
fn openssl_decrypts_what_mailseal_encrypts() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let ring = ring(&PEOPLE);
    let mut r = rng();
    let groups: [&[&str]; 4] = [
        &["alice"],
        &["bob", "dave"],
        &["carol", "alice", "dave"],
        &["carol", "bob", "dave", "erin"],
    ];
    for (cipher, kt) in [
        (SmimeCipher::Aes256Cbc, SmimeKeyTransport::RsaPkcs1v15),
        (SmimeCipher::Aes128Cbc, SmimeKeyTransport::RsaPkcs1v15),
        (SmimeCipher::Aes256Cbc, SmimeKeyTransport::RsaOaepSha256),
        (SmimeCipher::Aes256Gcm, SmimeKeyTransport::RsaPkcs1v15),
        (SmimeCipher::Aes256Gcm, SmimeKeyTransport::RsaOaepSha256),
        (SmimeCipher::Aes128Gcm, SmimeKeyTransport::RsaPkcs1v15),
    ] {
        let algs = Algorithms {
            smime_cipher: cipher,
            smime_key_transport: kt,
            ..Default::default()
        };
        for group in groups {
            let to: Vec<String> = group.iter().map(|p| format!("{p}@example.com")).collect();
            let mut ctx = write_ctx(&mut r, &algs);
            let out = E
                .encrypt(&ring, &to, None, f("entity.txt").to_vec(), &mut ctx)
                .ready()
                .unwrap();
            let msg = dir.path().join("enc.eml");
            std::fs::write(&msg, message(&out)).unwrap();
            for who in group {
                let content = dir.path().join("content");
                let (ok, log) = cms_decrypt(
                    &msg,
                    &data(&format!("{who}.crt")),
                    &data(&format!("{who}.key")),
                    &content,
                );
                assert!(ok, "{cipher:?} {kt:?} for {who}: {log}");
                assert_eq!(std::fs::read(&content).unwrap(), f("entity.txt"));
            }
        }
    }
}

#[test]
fn openssl_opens_mailseal_sign_then_encrypt() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let ring = ring(&PEOPLE);
    let mut r = rng();
    for (cipher, form) in [
        (SmimeCipher::Aes256Cbc, SmimeSignedForm::Detached),
        (SmimeCipher::Aes256Gcm, SmimeSignedForm::Opaque),
    ] {
        let algs = Algorithms {
            smime_cipher: cipher,
            smime_signed_form: form,
            ..Default::default()
        };
        let mut ctx = write_ctx(&mut r, &algs);
        let to = vec![
            "dave@example.com".to_string(),
            "alice@example.com".to_string(),
        ];
        let out = E
            .encrypt(
                &ring,
                &to,
                Some("alice@example.com"),
                f("entity.txt").to_vec(),
                &mut ctx,
            )
            .ready()
            .unwrap();
        let msg = dir.path().join("enc.eml");
        std::fs::write(&msg, message(&out)).unwrap();
        let inner = dir.path().join("inner.eml");
        let (ok, log) = cms_decrypt(&msg, &data("dave.crt"), &data("dave.key"), &inner);
        assert!(ok, "{log}");
        let content = dir.path().join("content");
        let (ok, log) = cms_verify(&inner, &data("root-ca.crt"), &[], &content);
        assert!(ok, "{cipher:?} {form:?}: {log}");
        assert_eq!(std::fs::read(&content).unwrap(), f("entity.txt"));
    }
}

#[test]
fn mailseal_opens_what_openssl_writes_now() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let entity = data("entity.txt");
    let out = dir.path().join("out.eml");
    let ctx = ReadContext::at(NOW);
    let verify_ring = ring(&[]);

    // Signatures: every key type, detached and opaque, streamed and not.
    for who in ["alice", "bob", "carol", "dave", "erin"] {
        for extra in [&[][..], &["-nodetach"][..], &["-nodetach", "-stream"][..]] {
            let mut args = vec![
                "cms",
                "-sign",
                "-binary",
                "-md",
                "sha256",
                "-in",
                path_str(&entity),
                "-out",
                path_str(&out),
            ];
            let signer = data(&format!("{who}.crt"));
            let key = data(&format!("{who}.key"));
            let chain = data("int-ca.crt");
            args.extend(["-signer", path_str(&signer), "-inkey", path_str(&key)]);
            args.extend(["-certfile", path_str(&chain)]);
            args.extend_from_slice(extra);
            let (ok, log) = openssl(&args);
            assert!(ok, "{log}");
            let eml = std::fs::read(&out).unwrap();
            let report = if content_type(&eml).starts_with("multipart/signed") {
                let (signed, sig) = detached(&eml);
                E.verify_detached(&verify_ring, &signed, &sig, &ctx)
                    .ready()
                    .unwrap()
                    .report
            } else {
                let v = E
                    .verify_opaque(&verify_ring, &p7m(&eml), &ctx)
                    .ready()
                    .unwrap();
                assert_eq!(v.content.as_deref(), Some(f("entity.txt")));
                v.report
            };
            assert_eq!(report.state, SignatureState::Valid, "{who} {extra:?}");
            let bound = report.bind_sender(Some(&format!("{who}@example.com")));
            assert_eq!(bound.state, SignatureState::Valid);
        }
    }

    // Encryption: 1, 2 and 3 recipients, CBC and GCM, v1.5 and OAEP, RSA and ECDH (its
    // content key wrapped with AES or with 3DES, also around an AES key: RFC 3217's wrap of
    // any key length, as OpenSSL writes it; interop sweep of 2026-12-07).
    let cases: [(&[&str], &[&str]); 9] = [
        (&["alice"], &["-aes256"]),
        (&["bob", "dave"], &["-aes-256-gcm"]),
        (&["carol", "bob", "dave"], &["-aes128"]),
        (&["alice", "erin"], &["-aes256", "-stream"]),
        (
            &["carol"],
            &["-aes-256-gcm", "-keyopt", "rsa_padding_mode:oaep"],
        ),
        (&["dave"], &["-aes256", "-keyopt", "ecdh_kdf_md:sha256"]),
        (&["dave"], &["-des3", "-des3-wrap"]),
        (&["dave"], &["-aes256", "-des3-wrap"]),
        (&["dave", "bob"], &["-aes128", "-des3-wrap"]),
    ];
    for (recipients, opts) in cases {
        let mut args = vec!["cms", "-encrypt", "-binary", "-in", path_str(&entity)];
        args.extend(["-out", path_str(&out)]);
        args.extend_from_slice(opts);
        let certs: Vec<PathBuf> = recipients
            .iter()
            .map(|p| data(&format!("{p}.crt")))
            .collect();
        for c in &certs {
            // -keyopt applies to the -recip that precedes it.
            args.extend(["-recip", path_str(c)]);
        }
        if opts.contains(&"-keyopt") {
            let k = opts.iter().position(|o| *o == "-keyopt").unwrap();
            args.retain(|a| *a != "-keyopt" && *a != opts[k + 1]);
            args.extend(["-keyopt", opts[k + 1]]);
        }
        let (ok, log) = openssl(&args);
        assert!(ok, "{recipients:?} {opts:?}: {log}");
        let der = p7m(&std::fs::read(&out).unwrap());
        for who in recipients {
            let d = E.decrypt(&ring(&[who]), &der, &ctx).ready().unwrap();
            assert_eq!(
                d.report.state,
                EncryptionState::Decrypted,
                "{recipients:?} {opts:?} for {who}"
            );
            assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(f("entity.txt")));
            // In the payload's own buffer (what `open` does with a message it owns): the same.
            let mut buffer = der.clone();
            let d = E
                .decrypt_in_place(&ring(&[who]), &mut buffer, &ctx)
                .ready()
                .unwrap();
            assert_eq!(d.report.state, EncryptionState::Decrypted, "{opts:?}");
            let content = match d.content.expect("content") {
                mailseal::engine::Plaintext::InPlace(range) => buffer[range].to_vec(),
                mailseal::engine::Plaintext::Owned(bytes) => bytes.to_vec(),
            };
            assert_eq!(
                content,
                f("entity.txt"),
                "{recipients:?} {opts:?} for {who}"
            );
        }
        let d = E.decrypt(&ring(&["heidi"]), &der, &ctx).ready().unwrap();
        assert_eq!(d.report.state, EncryptionState::NoKey);
    }
}

/// A message `open` owns (what the wasm module and the CLI hand over) has its top-level
/// envelope base64-decoded and decrypted in its own buffer (issue 12, peak memory); a borrowed
/// one is opened from copies. Both give the same report and content, byte for byte, for what
/// openssl writes (CBC, GCM, 3DES, BER with `-stream`, several recipients), for a message with
/// no key for it, and for a tampered one.
#[test]
fn opening_in_place_and_from_a_borrowed_message_agree() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let entity = data("entity.txt");
    let out = dir.path().join("out.eml");
    let opts = OpenOptions::at(NOW);
    let cases: [(&[&str], &str); 6] = [
        (&["-aes256"], "bob"),
        (&["-aes-256-gcm"], "bob"),
        (&["-des3"], "bob"),
        (&["-aes128", "-stream"], "bob"),
        (&["-aes256"], "carol"),
        (&["-aes-128-gcm"], "heidi"),
    ];
    for (cipher, reader) in cases {
        let mut args = vec!["cms", "-encrypt", "-binary", "-in", path_str(&entity)];
        args.extend(["-out", path_str(&out), "-from", "alice@example.com"]);
        args.extend(["-to", "bob@example.com", "-subject", "in place"]);
        args.extend_from_slice(cipher);
        let (bob, carol) = (data("bob.crt"), data("carol.crt"));
        args.extend(["-recip", path_str(&bob), "-recip", path_str(&carol)]);
        let (ok, log) = openssl(&args);
        assert!(ok, "{cipher:?}: {log}");
        let raw = std::fs::read(&out).unwrap();
        let mut tampered = raw.clone();
        let at = tampered.len() - 200;
        tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
        for message in [raw, tampered] {
            let mut keys = ring(&[reader]);
            let (borrowed, _) = mailseal::open_async(&keys, &[&E], &message, &opts).ready();
            let owned = mailseal::open_owned(&mut keys, &[&E], message.clone(), &opts);
            let json = |o: &mailseal::Result<Opened>| match o {
                Ok(o) => serde_json::to_value(o).unwrap(),
                Err(e) => serde_json::Value::String(e.to_string()),
            };
            assert_eq!(json(&borrowed), json(&owned), "{cipher:?} for {reader}");
            let state = borrowed.map(|o| o.encryption.state);
            if reader == "heidi" {
                assert_eq!(state.ok(), Some(EncryptionState::NoKey));
            }
        }
    }
}

/// Every content cipher openssl 3 writes without the legacy provider, through both of its
/// commands (`smime` writes PKCS#7 the old way, `cms` the new): AES, 3DES and Camellia decrypt;
/// ARIA is refused by name, never shown.
#[test]
fn mailseal_opens_every_content_cipher_openssl_writes() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let entity = data("entity.txt");
    let out = dir.path().join("out.eml");
    let ctx = ReadContext::at(NOW);
    let bob = data("bob.crt");
    let readable = [
        ("-aes128", "aes128-cbc"),
        ("-aes192", "aes192-cbc"),
        ("-aes256", "aes256-cbc"),
        ("-des3", "3des-cbc"),
        ("-camellia128", "camellia128-cbc"),
        ("-camellia192", "camellia192-cbc"),
        ("-camellia256", "camellia256-cbc"),
        ("-aes-128-gcm", "aes128-gcm"),
        ("-aes-192-gcm", "aes192-gcm"),
        ("-aes-256-gcm", "aes256-gcm"),
    ];
    let refused = [("-aria128", "ARIA-128"), ("-aria-256-gcm", "ARIA-256-GCM")];
    for command in ["smime", "cms"] {
        for (cipher, name) in readable.iter().chain(&refused) {
            if command == "smime" && cipher.ends_with("gcm") {
                continue; // `openssl smime` has no AuthEnvelopedData
            }
            let args = [
                command,
                "-encrypt",
                "-binary",
                cipher,
                "-in",
                path_str(&entity),
                "-out",
                path_str(&out),
                path_str(&bob),
            ];
            let (ok, log) = openssl(&args);
            assert!(ok, "{command} {cipher}: {log}");
            let der = p7m(&std::fs::read(&out).unwrap());
            let d = E.decrypt(&ring(&["bob"]), &der, &ctx).ready().unwrap();
            if readable.iter().any(|(c, _)| c == cipher) {
                assert_eq!(
                    d.report.state,
                    EncryptionState::Decrypted,
                    "{command} {cipher}"
                );
                assert_eq!(d.report.algorithm.as_deref(), Some(*name));
                assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(f("entity.txt")));
            } else {
                assert_eq!(
                    d.report.state,
                    EncryptionState::Failed,
                    "{command} {cipher}"
                );
                assert!(d.content.is_none());
                let detail = d.report.detail.unwrap_or_default();
                assert!(detail.contains(name), "{command} {cipher}: {detail}");
            }
        }
    }
}

#[test]
fn mailseal_opens_openssl_option_variants() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let entity = data("entity.txt");
    let out = dir.path().join("out.eml");
    let ctx = ReadContext::at(NOW);
    let verify_ring = ring(&[]);
    let alice = (data("alice.crt"), data("alice.key"));
    let erin = (data("erin.crt"), data("erin.key"));
    let sign_cases: [(&(PathBuf, PathBuf), &[&str]); 7] = [
        (&alice, &["-keyid"]),
        (&alice, &["-md", "sha512"]),
        (&alice, &["-md", "sha384", "-nodetach", "-nosmimecap"]),
        (
            &alice,
            &[
                "-keyopt",
                "rsa_padding_mode:pss",
                "-keyopt",
                "rsa_pss_saltlen:max",
            ],
        ),
        (&erin, &["-md", "sha384"]),
        (&erin, &["-keyid", "-nodetach"]),
        (&alice, &["-crlfeol"]),
    ];
    for (who, opts) in sign_cases {
        let mut args = vec!["cms", "-sign", "-binary", "-in", path_str(&entity)];
        args.extend(["-out", path_str(&out), "-signer", path_str(&who.0)]);
        args.extend(["-inkey", path_str(&who.1)]);
        args.extend_from_slice(opts);
        let (ok, log) = openssl(&args);
        assert!(ok, "{opts:?}: {log}");
        let eml = std::fs::read(&out).unwrap();
        let report = if content_type(&eml).starts_with("multipart/signed") {
            let (signed, sig) = detached(&eml);
            E.verify_detached(&verify_ring, &signed, &sig, &ctx)
                .ready()
                .unwrap()
                .report
        } else {
            E.verify_opaque(&verify_ring, &p7m(&eml), &ctx)
                .ready()
                .unwrap()
                .report
        };
        assert_eq!(
            report.state,
            SignatureState::Valid,
            "{opts:?}: {:?}",
            report.detail
        );
    }

    // `openssl smime` in text mode on an LF file: it signs the CRLF form (RFC 8551 §3.1.1).
    let lf = dir.path().join("lf.txt");
    std::fs::write(&lf, b"Content-Type: text/plain\n\nline one\nline two\n").unwrap();
    let (ok, log) = openssl(&[
        "smime",
        "-sign",
        "-in",
        path_str(&lf),
        "-out",
        path_str(&out),
        "-signer",
        path_str(&alice.0),
        "-inkey",
        path_str(&alice.1),
    ]);
    assert!(ok, "{log}");
    let (signed, sig) = detached(&std::fs::read(&out).unwrap());
    let r = E
        .verify_detached(&verify_ring, &signed, &sig, &ctx)
        .ready()
        .unwrap();
    assert_eq!(
        r.report.state,
        SignatureState::Valid,
        "{:?}",
        r.report.detail
    );

    let dave = data("dave.crt");
    let enc_cases: [&[&str]; 7] = [
        // No cipher named: openssl's default 3DES, and for the EC recipient the RFC 3217
        // Triple-DES key wrap.
        &["-recip", path_str(&dave)],
        &[
            "-des3",
            "-recip",
            path_str(&dave),
            "-keyopt",
            "ecdh_kdf_md:sha256",
        ],
        &["-aes256", "-keyid", "-recip", path_str(&dave)],
        &["-aes-192-gcm", "-recip", path_str(&alice.0)],
        &[
            "-aes-128-gcm",
            "-recip",
            path_str(&dave),
            "-keyopt",
            "ecdh_cofactor_mode:1",
        ],
        &[
            "-aes256",
            "-recip",
            path_str(&dave),
            "-keyopt",
            "ecdh_kdf_md:sha384",
        ],
        &[
            "-aes256",
            "-recip",
            path_str(&alice.0),
            "-keyopt",
            "rsa_padding_mode:oaep",
            "-keyopt",
            "rsa_oaep_md:sha512",
        ],
    ];
    for opts in enc_cases {
        let mut args = vec!["cms", "-encrypt", "-binary", "-in", path_str(&entity)];
        args.extend(["-out", path_str(&out)]);
        args.extend_from_slice(opts);
        let (ok, log) = openssl(&args);
        assert!(ok, "{opts:?}: {log}");
        let der = p7m(&std::fs::read(&out).unwrap());
        let d = E
            .decrypt(&ring(&["alice", "dave"]), &der, &ctx)
            .ready()
            .unwrap();
        assert_eq!(d.report.state, EncryptionState::Decrypted, "{opts:?}");
        assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(f("entity.txt")));
    }
}

/// `openssl cms` / `openssl smime` on a plain text file protect the bare text: the signed or
/// encrypted content has no header section (no Content-Type line), and in a detached
/// signature the first part starts with the text itself. Each opens with the text shown and
/// the right verdict, as openssl and mail clients show it; 8-bit text without a charset reads
/// as UTF-8 when valid.
#[test]
fn plain_text_files_signed_or_encrypted_by_openssl_open_as_text() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let text = dir.path().join("note.txt");
    let body = "Hello from the desk.\nSecond line, caf\u{e9}.\n";
    std::fs::write(&text, body).unwrap();
    let out = dir.path().join("out.eml");
    let alice = (data("alice.crt"), data("alice.key"));
    let headers = [
        "-from",
        "alice@example.com",
        "-to",
        "bob@example.com",
        "-subject",
        "plain",
    ];
    let cases: [(&str, &[&str]); 5] = [
        ("cms", &["-sign"]),
        ("cms", &["-sign", "-nodetach"]),
        ("smime", &["-sign"]),
        ("cms", &["-encrypt", "-aes256"]),
        ("smime", &["-encrypt", "-aes256"]),
    ];
    for (tool, opts) in cases {
        let mut args = vec![tool];
        args.extend_from_slice(opts);
        args.extend(["-in", path_str(&text), "-out", path_str(&out)]);
        args.extend_from_slice(&headers);
        if opts[0] == "-sign" {
            args.extend(["-signer", path_str(&alice.0), "-inkey", path_str(&alice.1)]);
        } else {
            args.push(path_str(&alice.0));
        }
        let (ok, log) = openssl(&args);
        assert!(ok, "{tool} {opts:?}: {log}");
        let mut reader = ring(&["alice"]);
        let opened = open(
            &mut reader,
            &[&E],
            &std::fs::read(&out).unwrap(),
            &OpenOptions::at(NOW),
        )
        .unwrap_or_else(|e| panic!("{tool} {opts:?}: {e}"));
        let shown = opened
            .text
            .clone()
            .unwrap_or_default()
            .replace("\r\n", "\n");
        assert_eq!(shown, body, "{tool} {opts:?}");
        if opts[0] == "-sign" {
            assert_eq!(
                opened.signature.state,
                SignatureState::Valid,
                "{tool} {opts:?}: {:?}",
                opened.signature.detail
            );
        } else {
            assert_eq!(opened.encryption.state, EncryptionState::Decrypted);
        }
    }
}

/// `openssl smime -sign` of `input` by alice (detached, her fixture key), with `extra`
/// arguments (header fields).
fn smime_sign_by_alice(input: &Path, out: &Path, extra: &[&str]) {
    let (cert, key) = (data("alice.crt"), data("alice.key"));
    let mut args = vec![
        "smime",
        "-sign",
        "-in",
        path_str(input),
        "-out",
        path_str(out),
    ];
    args.extend(["-signer", path_str(&cert), "-inkey", path_str(&key)]);
    args.extend_from_slice(extra);
    let (ok, log) = openssl(&args);
    assert!(ok, "{log}");
}

/// `openssl smime -encrypt -aes256` of `input` to bob's fixture certificate.
fn smime_encrypt_to_bob(input: &Path, out: &Path, extra: &[&str]) {
    let bob = data("bob.crt");
    let mut args = vec!["smime", "-encrypt", "-aes256", "-in", path_str(input)];
    args.extend(["-out", path_str(out)]);
    args.extend_from_slice(extra);
    args.push(path_str(&bob));
    let (ok, log) = openssl(&args);
    assert!(ok, "{log}");
}

/// `open` of the message in `file` with the fixture keys of `people`, at the fixtures' clock.
fn open_file(people: &[&str], file: &Path) -> Opened {
    let mut reader = ring(people);
    let raw = std::fs::read(file).unwrap();
    open(&mut reader, &[&E], &raw, &OpenOptions::at(NOW)).unwrap()
}

const ALICE_TO_BOB: [&str; 6] = [
    "-from",
    "alice@example.com",
    "-to",
    "bob@example.com",
    "-subject",
    "...",
];

/// A triple wrap (RFC 2634 §1.1) made by `openssl smime`: signed, encrypted, signed again.
/// Both signatures count: with the inner one intact the message is valid and shows the inner
/// text; with the inner one broken (the content changed after the author signed, and the
/// outer signature made over that) it is invalid, though the outer signature is good.
#[test]
fn triple_wrapped_messages_are_judged_by_both_signatures() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let entity = dir.path().join("entity.txt");
    std::fs::write(
        &entity,
        "Content-Type: text/plain\r\n\r\nthe inner text\r\n",
    )
    .unwrap();
    let inner = dir.path().join("inner.eml");
    smime_sign_by_alice(&entity, &inner, &[]);
    let signed = std::fs::read_to_string(&inner).unwrap();
    let changed = dir.path().join("changed.eml");
    std::fs::write(&changed, signed.replace("the inner text", "the other text")).unwrap();

    for (inner, expected, text) in [
        (&inner, SignatureState::Valid, "the inner text"),
        (&changed, SignatureState::Invalid, "the other text"),
    ] {
        let enveloped = dir.path().join("enveloped.eml");
        smime_encrypt_to_bob(inner, &enveloped, &[]);
        let wrapped = dir.path().join("wrapped.eml");
        smime_sign_by_alice(&enveloped, &wrapped, &ALICE_TO_BOB);
        let opened = open_file(&["alice", "bob"], &wrapped);
        assert_eq!(opened.encryption.state, EncryptionState::Decrypted);
        assert_eq!(
            opened.signature.state, expected,
            "{text}: {:?}",
            opened.signature.detail
        );
        assert_eq!(opened.text.as_deref().map(str::trim_end), Some(text));
        // Every layer is opened. (The signatures are made now and judged at the fixtures'
        // clock, hence `signed_in_the_future`.)
        assert!(
            opened
                .warnings
                .iter()
                .all(|w| w.code != WarningCode::LayersNotOpened),
            "{:?}",
            opened.warnings
        );
        // Both signatures are alice's: she is listed once.
        assert_eq!(opened.signature.signers.len(), 1, "{text}");
    }
}

/// RFC 8551 §3.1: a whole message wrapped in `message/rfc822` and signed (and encrypted) by
/// `openssl smime`, to protect its header fields. The wrapped message is what is shown, its
/// fields are the protected ones; a wrapped From that is not the outer one is a mismatch.
#[test]
fn a_message_wrapped_to_protect_its_header_fields_shows_the_wrapped_message() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    for (inner_from, encrypt, expected) in [
        ("alice@example.com", false, SignatureState::Valid),
        ("alice@example.com", true, SignatureState::Valid),
        ("mallory@example.com", false, SignatureState::SenderMismatch),
    ] {
        let wrapper = dir.path().join("wrapper.txt");
        std::fs::write(
            &wrapper,
            format!(
                "Content-Type: message/rfc822\r\n\r\nFrom: {inner_from}\r\nTo: bob@example.com\r\n\
                 Subject: the real subject\r\nMIME-Version: 1.0\r\n\
                 Content-Type: text/plain; charset=utf-8\r\n\r\nthe wrapped text\r\n"
            ),
        )
        .unwrap();
        let signed = dir.path().join("signed.eml");
        let sent = if encrypt {
            smime_sign_by_alice(&wrapper, &signed, &[]);
            let enveloped = dir.path().join("enveloped.eml");
            smime_encrypt_to_bob(&signed, &enveloped, &ALICE_TO_BOB);
            enveloped
        } else {
            smime_sign_by_alice(&wrapper, &signed, &ALICE_TO_BOB);
            signed
        };
        let opened = open_file(&["alice", "bob"], &sent);
        let case = format!("{inner_from} encrypted: {encrypt}");
        assert_eq!(opened.signature.state, expected, "{case}");
        assert_eq!(
            opened.text.as_deref().map(str::trim_end),
            Some("the wrapped text"),
            "{case}"
        );
        assert!(opened.attachments.is_empty(), "{case}");
        assert!(opened.headers.protected, "{case}");
        assert_eq!(opened.headers.subject.as_deref(), Some("the real subject"));
        assert_eq!(
            opened.headers.from_differs,
            inner_from != "alice@example.com"
        );
    }

    // A message forwarded as a file, or marked forwarded, stays an attachment.
    for head in [
        "Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename=fwd.eml\r\n",
        "Content-Type: message/rfc822; forwarded=yes\r\n",
    ] {
        let wrapper = dir.path().join("forwarded.txt");
        std::fs::write(
            &wrapper,
            format!("{head}\r\nFrom: carol@example.com\r\nSubject: fwd\r\n\r\nhers\r\n"),
        )
        .unwrap();
        let signed = dir.path().join("signed.eml");
        smime_sign_by_alice(&wrapper, &signed, &ALICE_TO_BOB);
        let opened = open_file(&["alice"], &signed);
        assert_eq!(opened.signature.state, SignatureState::Valid, "{head}");
        assert_eq!(opened.attachments.len(), 1, "{head}");
        assert!(!opened.headers.protected, "{head}");
        assert_eq!(opened.headers.subject.as_deref(), Some("..."));
    }
}

/// `openssl req -x509 -subj ".../emailAddress=..."`: the quick self-signed S/MIME
/// certificate, which openssl's default configuration marks CA:TRUE. Trusted as an anchor it is
/// also its owner's own certificate (openssl cms -verify -CAfile accepts it): openssl's
/// signature by it is valid, mailseal encrypts to it and openssl decrypts. Not trusted, its
/// signatures are untrusted. (`req -x509` dates it from the machine's clock, so it is judged
/// at that clock.)
#[test]
fn a_self_signed_certificate_from_openssl_req_is_its_owners_when_trusted() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let p = |n: &str| dir.path().join(n);
    let (ok, log) = openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "30",
        "-subj",
        "/CN=Solo/emailAddress=solo@example.org",
        "-keyout",
        path_str(&p("solo.key")),
        "-out",
        path_str(&p("solo.crt")),
    ]);
    assert!(ok, "{log}");
    let (_, text) = openssl(&["x509", "-noout", "-text", "-in", path_str(&p("solo.crt"))]);
    assert!(
        text.contains("CA:TRUE"),
        "openssl's default marks it a CA: {text}"
    );
    std::fs::write(p("note.txt"), "Content-Type: text/plain\n\nfrom solo\n").unwrap();
    let (ok, log) = openssl(&[
        "cms",
        "-sign",
        "-in",
        path_str(&p("note.txt")),
        "-signer",
        path_str(&p("solo.crt")),
        "-inkey",
        path_str(&p("solo.key")),
        "-from",
        "solo@example.org",
        "-to",
        "desk@example.org",
        "-subject",
        "hi",
        "-out",
        path_str(&p("signed.eml")),
    ]);
    assert!(ok, "{log}");
    let signed = std::fs::read(p("signed.eml")).unwrap();
    #[allow(clippy::disallowed_methods)] // the certificate is dated by the machine's clock
    let now = mailseal::Time::from_unix(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + 2,
    );

    let mut pem = std::fs::read(p("solo.crt")).unwrap();
    pem.extend(std::fs::read(p("solo.key")).unwrap());
    let mut anchor_ring = Keyring::new();
    let trusted = ImportOptions {
        trusted: true,
        ..Default::default()
    };
    let keys = anchor_ring.import(&pem, &trusted, now).unwrap();
    assert!(keys[0].can_sign && keys[0].can_encrypt, "{keys:?}");
    let opened = open(&mut anchor_ring, &[&E], &signed, &OpenOptions::at(now)).unwrap();
    assert_eq!(
        opened.signature.state,
        SignatureState::Valid,
        "{:?}",
        opened.signature
    );

    let mut plain_ring = Keyring::new();
    plain_ring
        .import(
            &std::fs::read(p("solo.crt")).unwrap(),
            &ImportOptions::default(),
            now,
        )
        .unwrap();
    let opened = open(&mut plain_ring, &[&E], &signed, &OpenOptions::at(now)).unwrap();
    assert_eq!(opened.signature.state, SignatureState::Untrusted);

    // mailseal encrypts to it; openssl decrypts with the key.
    let mut opts = mailseal::ProtectOptions::new(false, true, now);
    opts.method = mailseal::MethodChoice::Smime;
    let raw = b"From: desk@example.org\r\nTo: solo@example.org\r\nSubject: re\r\n\r\nreply\r\n";
    let out = mailseal::protect(
        &mut plain_ring,
        &[&E],
        mailseal::Message::Raw(raw),
        &opts,
        &mut rng(),
    )
    .expect("encrypt to the self-signed certificate");
    std::fs::write(p("enc.eml"), &out.deliveries[0].mime).unwrap();
    let (ok, log) = openssl(&[
        "cms",
        "-decrypt",
        "-in",
        path_str(&p("enc.eml")),
        "-recip",
        path_str(&p("solo.crt")),
        "-inkey",
        path_str(&p("solo.key")),
    ]);
    assert!(ok && log.contains("reply"), "{log}");
}

/// A P-521 certificate made by openssl at test time (under a throwaway CA: the committed
/// fixtures have no P-521 key): openssl's signatures and envelopes open in mailseal, and
/// mailseal's in openssl. The certificates are dated around NOW, the clock they are judged at.
/// Signed content that is not a mail message (`openssl cms -sign -econtent_type`, here the
/// signed-receipt type, whose text the requester chooses): not valid and not shown, though the
/// signature itself verifies (RFC 8551 §2.4.1: mail is id-data; found by the CMS sweep).
#[test]
fn signed_content_of_another_type_than_data_is_not_shown_as_mail() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let out = dir.path().join("receipt.p7m");
    let (ok, log) = openssl(&[
        "cms",
        "-sign",
        "-nodetach",
        "-binary",
        "-econtent_type",
        "1.2.840.113549.1.9.16.1.1",
        "-in",
        path_str(&data("entity.txt")),
        "-signer",
        path_str(&data("alice.crt")),
        "-inkey",
        path_str(&data("alice.key")),
        "-outform",
        "DER",
        "-out",
        path_str(&out),
    ]);
    assert!(ok, "{log}");
    let ring = ring(&["alice"]);
    let v = E
        .verify_opaque(&ring, &std::fs::read(&out).unwrap(), &ReadContext::at(NOW))
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Invalid, "{:?}", v.report);
    assert!(v.content.is_none());
    assert!(v
        .report
        .detail
        .unwrap_or_default()
        .contains("not a mail message"));
}

/// RSASSA-PSS as OpenSSL writes it for RSA-3072: the longest salt the key allows (350 bytes
/// with SHA-256), on the message's signature and on the certificate the CA signed.
#[test]
fn rsa_pss_with_openssls_longest_salt_is_valid() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::new("rsa3072");
    let p = |name: &str| PathBuf::from(ca.path(name));
    let key = ca.new_key("sam", "rsa3072");
    let crt = ca.issue_signed_with(
        "sam",
        &key,
        "/CN=Sam",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
         extendedKeyUsage=emailProtection\nsubjectAltName=email:sam@example.com",
        &["-sigopt", "rsa_padding_mode:pss"],
    );
    let (ok, text) = openssl(&["x509", "-in", &crt, "-noout", "-text"]);
    assert!(ok && text.contains("Salt Length: 0x015E"), "{text}");

    let mut ring = trusting(&ca);
    ring.import(
        &std::fs::read(&crt).unwrap(),
        &ImportOptions::default(),
        NOW,
    )
    .unwrap();
    let (entity, out) = (data("entity.txt"), p("out.eml"));
    for salt in [None, Some("rsa_pss_saltlen:max")] {
        let mut args = vec!["cms", "-sign", "-in", path_str(&entity)];
        args.extend(["-signer", &crt, "-inkey", &key, "-out", path_str(&out)]);
        args.extend(["-keyopt", "rsa_padding_mode:pss"]);
        if let Some(salt) = salt {
            args.extend(["-keyopt", salt]);
        }
        let (ok, log) = openssl(&args);
        assert!(ok, "{log}");
        let mut mail = b"From: sam@example.com\r\nTo: bob@example.com\r\n".to_vec();
        mail.extend(std::fs::read(&out).unwrap());
        let opened = open(
            &mut ring,
            &mailseal::standards::all(),
            &mail,
            &OpenOptions::at(NOW),
        )
        .unwrap();
        let sig = opened.signature;
        assert_eq!(
            sig.state,
            SignatureState::Valid,
            "{salt:?}: {:?}",
            sig.detail
        );
    }
}

/// RFC 4055 §1.2: a certificate for an id-RSASSA-PSS key (`openssl genpkey -algorithm
/// RSA-PSS`) is for signatures only. It is listed as such, never offered for encryption (the
/// composer falls to the policy for its owner instead of failing in protect), and its owner's
/// PSS signatures still verify.
#[test]
fn rsa_pss_certificates_sign_and_are_never_encrypted_to() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::new("rsa2048");
    let key = ca.new_key("frank", "rsa-pss2048");
    ca.issue(
        "frank",
        &key,
        "/CN=Frank",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
         extendedKeyUsage=emailProtection\nsubjectAltName=email:frank@example.com",
    );
    let mut ring = trusting(&ca);
    let cert = std::fs::read(ca.path("frank.crt")).unwrap();
    let keys = ring.import(&cert, &ImportOptions::default(), NOW).unwrap();
    assert_eq!(keys[0].algorithm, "rsa-pss2048", "{keys:?}");
    assert!(keys[0].can_sign && !keys[0].can_encrypt, "{keys:?}");

    // openssl signs with the PSS key; mailseal verifies it.
    let dir = tempdir();
    let out = dir.path().join("signed.eml");
    let (ok, log) = openssl(&[
        "cms",
        "-sign",
        "-in",
        path_str(&data("entity.txt")),
        "-signer",
        &ca.path("frank.crt"),
        "-inkey",
        &key,
        "-md",
        "sha256",
        "-keyopt",
        "rsa_padding_mode:pss",
        "-out",
        path_str(&out),
    ]);
    assert!(ok, "{log}");
    let signed = std::fs::read(&out).unwrap();
    let raw = message(&signed);
    let raw = String::from_utf8(raw)
        .unwrap()
        .replace("From: alice@example.com", "From: frank@example.com");
    let o = open(
        &mut ring,
        &[&SmimeEngine],
        raw.as_bytes(),
        &OpenOptions::at(NOW),
    )
    .unwrap();
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );

    // PSS over SHA-384 with its mask over SHA-256 (RFC 4055 only recommends the same
    // digest): not verified, and the verdict names that, not the PSS identifier as unknown
    // (found by the interop sweep)
    let (ok, log) = openssl(&[
        "cms",
        "-sign",
        "-in",
        path_str(&data("entity.txt")),
        "-signer",
        &ca.path("frank.crt"),
        "-inkey",
        &key,
        "-md",
        "sha384",
        "-keyopt",
        "rsa_padding_mode:pss",
        "-keyopt",
        "rsa_mgf1_md:sha256",
        "-out",
        path_str(&out),
    ]);
    assert!(ok, "{log}");
    let raw = String::from_utf8(message(&std::fs::read(&out).unwrap()))
        .unwrap()
        .replace("From: alice@example.com", "From: frank@example.com");
    let o = open(
        &mut ring,
        &[&SmimeEngine],
        raw.as_bytes(),
        &OpenOptions::at(NOW),
    )
    .unwrap();
    assert_eq!(o.signature.state, SignatureState::Invalid);
    let detail = o.signature.detail.unwrap_or_default();
    assert!(
        detail.contains("SHA384") && detail.contains("MGF1 over SHA256"),
        "{detail}"
    );
}

/// A certificate its trusted CA signed with SHA-1 (`openssl ca -md sha1`): no trusted path, and
/// the signature's verdict says that the algorithm is why, not that no trusted CA issued it.
#[test]
fn a_certificate_signed_with_sha1_is_untrusted_and_says_why() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::new("rsa2048");
    let key = ca.new_key("sam", "rsa2048");
    let cert = ca.issue_signed_with(
        "sam",
        &key,
        "/CN=Sam",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
         extendedKeyUsage=emailProtection\nsubjectAltName=email:sam@example.com",
        &["-md", "sha1"],
    );
    let mut ring = trusting(&ca);
    let dir = tempdir();
    let signed = dir.path().join("signed.eml");
    let (ok, log) = openssl(&[
        "cms",
        "-sign",
        "-md",
        "sha256",
        "-in",
        path_str(&data("entity.txt")),
        "-signer",
        &cert,
        "-inkey",
        &key,
        "-out",
        path_str(&signed),
    ]);
    assert!(ok, "{log}");
    let raw = String::from_utf8(message(&std::fs::read(&signed).unwrap()))
        .unwrap()
        .replace("From: alice@example.com", "From: sam@example.com");
    let o = open(&mut ring, &[&E], raw.as_bytes(), &OpenOptions::at(NOW)).unwrap();
    assert_eq!(o.signature.state, SignatureState::Untrusted);
    let detail = o.signature.detail.unwrap_or_default();
    assert!(detail.contains("SHA-1"), "{detail}");
}

/// A certificate on a curve mailseal does not compute on (brainpoolP256r1, as openssl makes
/// it): the key list names the curve and says it cannot sign, and a signature by it is refused
/// naming the curve, not the generic id-ecPublicKey.
#[test]
fn a_brainpool_certificate_is_named_and_refused_in_words() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::new("rsa2048");
    let key = ca.path("bp.key");
    let (ok, log) = openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:brainpoolP256r1",
        "-pkeyopt",
        "ec_param_enc:named_curve",
        "-out",
        &key,
    ]);
    assert!(ok, "{log}");
    let cert = ca.issue(
        "bp",
        &key,
        "/CN=Bp",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\n\
         extendedKeyUsage=emailProtection\nsubjectAltName=email:bp@example.com",
    );
    let mut ring = trusting(&ca);
    let keys = ring
        .import(
            &std::fs::read(&cert).unwrap(),
            &ImportOptions::default(),
            NOW,
        )
        .unwrap();
    assert_eq!(keys[0].algorithm, "brainpoolP256r1", "{keys:?}");
    assert!(!keys[0].can_sign && !keys[0].can_encrypt, "{keys:?}");
    let dir = tempdir();
    let signed = dir.path().join("signed.eml");
    let (ok, log) = openssl(&[
        "cms",
        "-sign",
        "-md",
        "sha256",
        "-in",
        path_str(&data("entity.txt")),
        "-signer",
        &cert,
        "-inkey",
        &key,
        "-out",
        path_str(&signed),
    ]);
    assert!(ok, "{log}");
    let raw = String::from_utf8(message(&std::fs::read(&signed).unwrap()))
        .unwrap()
        .replace("From: alice@example.com", "From: bp@example.com");
    let o = open(&mut ring, &[&E], raw.as_bytes(), &OpenOptions::at(NOW)).unwrap();
    assert_ne!(o.signature.state, SignatureState::Valid);
    let detail = o.signature.detail.unwrap_or_default();
    assert!(detail.contains("brainpoolP256r1 curve"), "{detail}");
}

/// RSA-8192 certificates (beyond the `rsa` crate's default limit of 4096 bits; openssl takes up
/// to 16384): openssl's signature is valid, mailseal signs and encrypts, openssl verifies and
/// decrypts. Before, the key was unreadable and its good signatures showed as tampered with.
#[test]
fn rsa_8192_certificates_work_both_ways() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::new("rsa2048");
    let key = data("large-rsa8192.key");
    let key = path_str(&key);
    let cert = ca.issue(
        "max",
        key,
        "/CN=Max",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
         extendedKeyUsage=emailProtection\nsubjectAltName=email:max@example.com",
    );
    let mut ring = trusting(&ca);
    let mut pem = std::fs::read(&cert).unwrap();
    pem.extend_from_slice(&std::fs::read(key).unwrap());
    let keys = ring.import(&pem, &ImportOptions::default(), NOW).unwrap();
    assert_eq!(keys[0].algorithm, "rsa8192", "{keys:?}");

    let dir = tempdir();
    let signed = dir.path().join("signed.eml");
    let (ok, log) = openssl(&[
        "cms",
        "-sign",
        "-md",
        "sha256",
        "-in",
        path_str(&data("entity.txt")),
        "-signer",
        &cert,
        "-inkey",
        key,
        "-out",
        path_str(&signed),
    ]);
    assert!(ok, "{log}");
    let raw = String::from_utf8(message(&std::fs::read(&signed).unwrap()))
        .unwrap()
        .replace("From: alice@example.com", "From: max@example.com");
    let o = open(&mut ring, &[&E], raw.as_bytes(), &OpenOptions::at(NOW)).unwrap();
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );

    let algs = Algorithms::default();
    let mut r = rng();
    let to = ["max@example.com".to_string()];
    let entity = f("entity.txt").to_vec();
    let out = E
        .sign(
            &ring,
            "max@example.com",
            entity.clone(),
            &mut write_ctx(&mut r, &algs),
        )
        .ready()
        .unwrap();
    let msg = dir.path().join("ours.eml");
    std::fs::write(&msg, message(&out)).unwrap();
    let (ok, log) = cms_verify(
        &msg,
        Path::new(&ca.path("ca.crt")),
        &[],
        &dir.path().join("c"),
    );
    assert!(ok, "openssl verifies mailseal's RSA-8192 signature: {log}");
    let out = E
        .encrypt(&ring, &to, None, entity, &mut write_ctx(&mut r, &algs))
        .ready()
        .unwrap();
    std::fs::write(&msg, message(&out)).unwrap();
    let content = dir.path().join("content");
    let (ok, log) = cms_decrypt(&msg, Path::new(&cert), Path::new(key), &content);
    assert!(
        ok,
        "openssl decrypts what mailseal encrypted to RSA-8192: {log}"
    );
    assert_eq!(std::fs::read(&content).unwrap(), f("entity.txt"));
}

#[test]
fn p521_certificates_work_both_ways() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::new("rsa2048");
    let p = |name: &str| PathBuf::from(ca.path(name));
    let pat_key = ca.new_key("pat", "p521");
    ca.issue(
        "pat",
        &pat_key,
        "/CN=Pat",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\n\
         extendedKeyUsage=emailProtection\nsubjectAltName=email:pat@example.com",
    );

    let mut ring = trusting(&ca);
    let mut pat = std::fs::read(p("pat.crt")).unwrap();
    pat.extend(std::fs::read(p("pat.key")).unwrap());
    let keys = ring.import(&pat, &ImportOptions::default(), NOW).unwrap();
    assert!(
        keys.iter()
            .any(|k| k.can_sign && k.can_encrypt && k.has_secret),
        "{keys:?}"
    );
    let ctx = ReadContext::at(NOW);
    let entity = data("entity.txt");
    let out = p("out.eml");

    // openssl → mailseal: signature (SHA-256 and SHA-512) and ECDH envelope
    for md in ["sha256", "sha512"] {
        let (ok, log) = openssl(&[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-md",
            md,
            "-in",
            path_str(&entity),
            "-signer",
            path_str(&p("pat.crt")),
            "-inkey",
            path_str(&p("pat.key")),
            "-out",
            path_str(&out),
        ]);
        assert!(ok, "{log}");
        let v = E
            .verify_opaque(&ring, &p7m(&std::fs::read(&out).unwrap()), &ctx)
            .ready()
            .unwrap();
        assert_eq!(
            v.report.state,
            SignatureState::Valid,
            "{md}: {:?}",
            v.report.detail
        );
    }
    let (ok, log) = openssl(&[
        "cms",
        "-encrypt",
        "-binary",
        "-aes256",
        "-in",
        path_str(&entity),
        "-out",
        path_str(&out),
        path_str(&p("pat.crt")),
    ]);
    assert!(ok, "{log}");
    let d = E
        .decrypt(&ring, &p7m(&std::fs::read(&out).unwrap()), &ctx)
        .ready()
        .unwrap();
    assert_eq!(d.report.state, EncryptionState::Decrypted);
    assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(f("entity.txt")));

    // mailseal → openssl
    let algs = Algorithms::default();
    let mut r = rng();
    let mut wctx = write_ctx(&mut r, &algs);
    let signed = E
        .sign(
            &ring,
            "pat@example.com",
            f("entity.txt").to_vec(),
            &mut wctx,
        )
        .ready()
        .unwrap();
    std::fs::write(&out, message(&signed)).unwrap();
    let (ok, log) = cms_verify(
        &out,
        &p("ca.crt"),
        &["-purpose", "smimesign"],
        &p("content"),
    );
    assert!(ok, "{log}");
    assert_eq!(std::fs::read(p("content")).unwrap(), f("entity.txt"));
    let to = ["pat@example.com".to_string()];
    let enc = E
        .encrypt(&ring, &to, None, f("entity.txt").to_vec(), &mut wctx)
        .ready()
        .unwrap();
    std::fs::write(&out, message(&enc)).unwrap();
    let (ok, log) = cms_decrypt(&out, &p("pat.crt"), &p("pat.key"), &p("content"));
    assert!(ok, "{log}");
    assert_eq!(std::fs::read(p("content")).unwrap(), f("entity.txt"));
}

/// A certificate bundle (`certs-only`, RFC 8551 §3.8: a SignedData without signers, as
/// `openssl crl2pkcs7` writes it) opens as an unsigned, unencrypted message that has the bundle
/// as its attachment, labelled `certs-only` or only `pkcs7-mime`, never as a signature or an
/// error.
#[test]
fn a_certs_only_message_opens_as_an_unsigned_message_with_the_bundle() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let out = dir.path().join("certs.p7c");
    let (ok, err) = openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-certfile",
        path_str(&data("alice.crt")),
        "-certfile",
        path_str(&data("int-ca.crt")),
        "-outform",
        "DER",
        "-out",
        path_str(&out),
    ]);
    assert!(ok, "{err}");
    let der = std::fs::read(&out).expect("bundle");
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let body: String = b64
        .as_bytes()
        .chunks(76)
        .map(|l| format!("{}\r\n", std::str::from_utf8(l).unwrap()))
        .collect();
    for content_type in [
        "application/pkcs7-mime; smime-type=certs-only; name=\"smime.p7c\"",
        "application/pkcs7-mime; name=\"smime.p7m\"",
    ] {
        let entity = format!(
            "Content-Type: {content_type}\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}"
        );
        let mut ring = ring(&[]);
        let opened = open(
            &mut ring,
            &mailseal::standards::all(),
            &message(entity.as_bytes()),
            &OpenOptions::at(NOW),
        )
        .unwrap_or_else(|e| panic!("{content_type}: {e}"));
        assert_eq!(opened.encryption.state, EncryptionState::None);
        assert_eq!(
            opened.signature.state,
            SignatureState::None,
            "{content_type}"
        );
        assert_eq!(opened.attachments.len(), 1, "{content_type}");
        assert_eq!(opened.attachments[0].data, der, "{content_type}");
    }
}

/// RFC 5280 on the certification path (issue 13), with CAs and certificates made by openssl at
/// test time: a CA whose name constraints permit `.example.org` addresses and exclude
/// `evil.example.org` vouches for `alice@mail.example.org` but not for `mallory@example.com`
/// (outside the permitted subtree) nor `eve@evil.example.org` (excluded); a signer certificate
/// with a critical extension mailseal does not process is not trusted either. openssl's own
/// `cms -verify` agrees on every case.
#[test]
fn name_constraints_and_unknown_critical_extensions_are_honoured() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::with_ca_extensions(
        "rsa2048",
        "nameConstraints = critical, permitted;email:.example.org, excluded;email:evil.example.org",
    );
    let p = |name: &str| PathBuf::from(ca.path(name));
    let leaf = |name: &str, email: &str, extra: &str| {
        let key = ca.new_key(name, "p256");
        ca.issue(
            name,
            &key,
            &format!("/CN={name}"),
            &format!(
                "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n\
                 extendedKeyUsage=emailProtection\nsubjectAltName=email:{email}\n{extra}"
            ),
        );
    };
    leaf("alice", "alice@mail.example.org", "");
    leaf("mallory", "mallory@example.com", "");
    leaf("eve", "eve@evil.example.org", "");
    leaf(
        "odd",
        "odd@mail.example.org",
        "1.3.6.1.4.1.55555.1 = critical, ASN1:NULL",
    );

    let trusted = ImportOptions {
        trusted: true,
        ..Default::default()
    };
    let entity = data("entity.txt");
    let out = p("out.p7m");
    for (who, mailseal_trusts) in [
        ("alice", true),
        ("mallory", false),
        ("eve", false),
        ("odd", false),
    ] {
        let mut ring = Keyring::new();
        ring.import(&ca.cert(), &trusted, NOW).unwrap();
        let (ok, log) = openssl(&[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-in",
            path_str(&entity),
            "-signer",
            path_str(&p(&format!("{who}.crt"))),
            "-inkey",
            path_str(&p(&format!("{who}.key"))),
            "-outform",
            "DER",
            "-out",
            path_str(&out),
        ]);
        assert!(ok, "{who}: {log}");
        let der = std::fs::read(&out).unwrap();
        let v = E
            .verify_opaque(&ring, &der, &ReadContext::at(NOW))
            .ready()
            .unwrap();
        let state = v.report.state;
        assert_eq!(
            state == SignatureState::Valid,
            mailseal_trusts,
            "{who}: {:?}",
            v.report
        );
        if !mailseal_trusts {
            assert_eq!(state, SignatureState::Untrusted, "{who}");
            assert!(
                v.report
                    .detail
                    .as_deref()
                    .unwrap_or("")
                    .contains("breaks the rules"),
                "{who}: {:?}",
                v.report.detail
            );
        }
        // openssl agrees (at a date inside the certificates' validity)
        let (ok, log) = openssl(&[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            path_str(&out),
            "-CAfile",
            path_str(&p("ca.crt")),
            "-purpose",
            "smimesign",
            "-attime",
            "1796083200",
            "-out",
            path_str(&p("content")),
        ]);
        assert_eq!(ok, mailseal_trusts, "openssl on {who}: {log}");
    }
}

/// RFC 5280 §4.2: a certificate with a critical extension mailseal does not process must be
/// rejected, for encryption too. Issued by a CA the keyring trusts, it was still encrypted to,
/// with only a note that no trusted CA issued it (sweep 19). Now neither encryption nor the key
/// list offers it, and `recipient_key_missing` says why; a sibling without the extension from
/// the same CA is used as before.
#[test]
fn a_certificate_with_an_unknown_critical_extension_is_not_encrypted_to() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::new("rsa2048");
    for (name, extra) in [
        ("plain", ""),
        ("odd", "1.3.6.1.4.1.55555.1 = critical, ASN1:NULL\n"),
    ] {
        let key = ca.new_key(name, "rsa2048");
        ca.issue(
            name,
            &key,
            &format!("/CN={name}"),
            &format!(
                "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
                 extendedKeyUsage=emailProtection\nsubjectAltName=email:{name}@example.org\n{extra}"
            ),
        );
    }
    let mut ring = trusting(&ca);
    for name in ["plain", "odd"] {
        ring.import(
            &std::fs::read(ca.path(&format!("{name}.crt"))).unwrap(),
            &ImportOptions::default(),
            NOW,
        )
        .unwrap();
    }
    assert!(E.encryption_key(&ring, "plain@example.org", NOW).is_ok());
    let odd = E
        .encryption_key(&ring, "odd@example.org", NOW)
        .expect_err("a certificate with an unknown critical extension");
    assert_eq!(
        odd.problem,
        mailseal::engine::KeyProblem::UnknownCriticalExtension
    );
    assert!(
        odd.detail().contains("critical extension"),
        "{}",
        odd.detail()
    );
    let listed = ring.by_address("odd@example.org", NOW);
    assert_eq!(listed.len(), 1);
    assert!(
        !listed[0].can_encrypt && !listed[0].can_sign,
        "{:?}",
        listed[0]
    );

    let mut opts = mailseal::ProtectOptions::new(false, true, NOW);
    opts.method = mailseal::MethodChoice::Smime;
    opts.encrypt_to_self = false;
    let raw = b"From: plain@example.org\r\nTo: odd@example.org\r\nSubject: re\r\n\r\nreply\r\n";
    let err = mailseal::protect(
        &mut ring,
        &[&E],
        mailseal::Message::Raw(raw),
        &opts,
        &mut rng(),
    )
    .expect_err("nothing to encrypt to");
    assert_eq!(
        err.code(),
        mailseal::ErrorCode::RecipientKeyMissing,
        "{err}"
    );
    assert!(err.message().contains("critical extension"), "{err}");
}

/// Certificates over time (sweep 21), with a CA and certificates made by openssl at test time:
/// - a signer named by subject key identifier whose key was certified again after its first
///   certificate expired: the signature is `valid` whichever certificate the keyring got first
///   (it read `expired` when the old one came first, as openssl verifies it with the new one);
/// - a certificate its CA revoked for key compromise that has expired since reads `revoked`,
///   as openssl and the key list say, not merely `expired`.
#[test]
fn renewed_and_revoked_certificates_are_judged_by_what_holds_now() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::new("rsa2048");
    let p = |name: &str| PathBuf::from(ca.path(name));
    let ext = |email: &str| {
        format!(
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
             extendedKeyUsage=emailProtection\nsubjectKeyIdentifier=hash\n\
             subjectAltName=email:{email}"
        )
    };
    let alice = ca.new_key("alice", "rsa2048");
    let (old, new) = (
        ("20240101000000Z", "20260101000000Z"),
        ("20251201000000Z", "20281201000000Z"),
    );
    for (name, (from, until)) in [("alice-old", old), ("alice-new", new)] {
        ca.issue_dated(
            name,
            &alice,
            "/CN=Alice",
            &ext("alice@example.org"),
            from,
            until,
        );
    }
    let bob = ca.new_key("bob", "rsa2048");
    ca.issue_dated(
        "bob",
        &bob,
        "/CN=Bob",
        &ext("bob@example.org"),
        "20240101000000Z",
        "20261130000000Z",
    );
    let sign = |cert: &str, key: &str, out: &str| {
        let (ok, log) = openssl(&[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-noattr",
            "-keyid",
            "-nocerts",
            "-in",
            path_str(&data("entity.txt")),
            "-signer",
            path_str(&p(cert)),
            "-inkey",
            key,
            "-outform",
            "DER",
            "-out",
            path_str(&p(out)),
        ]);
        assert!(ok, "{log}");
        std::fs::read(p(out)).unwrap()
    };
    let by_alice = sign("alice-new.crt", &alice, "alice.p7m");
    let import = |ring: &mut Keyring, name: &str| {
        let cert = std::fs::read(p(&format!("{name}.crt"))).unwrap();
        ring.import(&cert, &ImportOptions::default(), NOW).unwrap();
    };
    let verdict = |ring: &Keyring, der: &[u8]| {
        E.verify_opaque(ring, der, &ReadContext::at(NOW))
            .ready()
            .unwrap()
            .report
    };
    for order in [["alice-old", "alice-new"], ["alice-new", "alice-old"]] {
        let mut ring = trusting(&ca);
        for name in order {
            import(&mut ring, name);
        }
        let report = verdict(&ring, &by_alice);
        assert_eq!(report.state, SignatureState::Valid, "{order:?}: {report:?}");
    }

    let by_bob = sign("bob.crt", &bob, "bob.p7m");
    ca.revoke("bob", "keyCompromise");
    let crl = ca.crl("20261115000000Z", "20261215000000Z");
    let mut ring = trusting(&ca);
    import(&mut ring, "bob");
    assert_eq!(verdict(&ring, &by_bob).state, SignatureState::Expired);
    ring.import_crl(&crl, NOW).expect("the CA's CRL");
    let report = verdict(&ring, &by_bob);
    assert_eq!(report.state, SignatureState::Revoked, "{report:?}");
    assert!(report.detail.unwrap_or_default().contains("key compromise"));
}

/// Revocation by CRL (issue 14), with a CA, certificates and CRLs made by `openssl ca` at test
/// time: before the CRL the certificate's distribution point is a request for the host to
/// fetch; once the CA's CRL that revokes Bob is imported, his signature is `revoked`, nothing
/// is encrypted to him, the key list says so, and the keyring keeps it sealed. Alice, on the
/// same CRL's issuer but not listed, stays valid. A CRL with a changed byte, or from a CA the
/// keyring does not have, is refused. openssl's own `cms -verify -crl_check` agrees.
#[test]
fn a_certificate_on_an_imported_crl_is_revoked_everywhere() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::new("rsa2048");
    let p = |name: &str| PathBuf::from(ca.path(name));
    let url = "http://crl.example.org/throwaway.crl";
    for (name, email) in [("alice", "alice@example.org"), ("bob", "bob@example.org")] {
        let key = ca.new_key(name, "rsa2048");
        ca.issue(
            name,
            &key,
            &format!("/CN={name}"),
            &format!(
                "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
                 extendedKeyUsage=emailProtection\nsubjectAltName=email:{email}\n\
                 crlDistributionPoints=URI:{url}"
            ),
        );
    }
    let mut ring = trusting(&ca);
    for name in ["alice", "bob"] {
        ring.import(
            &std::fs::read(p(&format!("{name}.crt"))).unwrap(),
            &ImportOptions::default(),
            NOW,
        )
        .unwrap();
    }
    // The host's work: one request for the CA's CRL, none yet held.
    let requests = ring.revocation_requests(NOW);
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].url, url);
    assert_eq!(
        requests[0].reason,
        mailseal::RevocationRequestReason::Missing
    );
    assert!(requests[0].issuer.contains("Throwaway CA"), "{requests:?}");

    // Bob signs (openssl); valid before any CRL.
    let signed = p("bob.p7m");
    let (ok, log) = openssl(&[
        "cms",
        "-sign",
        "-binary",
        "-nodetach",
        "-in",
        path_str(&data("entity.txt")),
        "-signer",
        path_str(&p("bob.crt")),
        "-inkey",
        path_str(&p("bob.key")),
        "-outform",
        "DER",
        "-out",
        path_str(&signed),
    ]);
    assert!(ok, "{log}");
    let der = std::fs::read(&signed).unwrap();
    let verdict = |ring: &Keyring| {
        E.verify_opaque(ring, &der, &ReadContext::at(NOW))
            .ready()
            .unwrap()
            .report
    };
    assert_eq!(verdict(&ring).state, SignatureState::Valid);

    // The CA revokes Bob and publishes its CRL.
    ca.revoke("bob", "keyCompromise");
    let crl = ca.crl("20261130000000Z", "20261215000000Z");
    let info = ring.import_crl(&crl, NOW).expect("the CA's CRL");
    assert_eq!(info.revoked, 1);
    assert!(info.issuer.contains("Throwaway CA"), "{info:?}");
    assert!(!info.stale);

    let report = verdict(&ring);
    assert_eq!(report.state, SignatureState::Revoked, "{report:?}");
    let detail = report.detail.unwrap_or_default();
    assert!(
        detail.contains("revoked") && detail.contains("key compromise"),
        "{detail}"
    );
    // Nothing encrypted to him; the list says it; Alice is untouched.
    let bob = E
        .encryption_key(&ring, "bob@example.org", NOW)
        .expect_err("revoked");
    assert!(bob.detail().contains("revoked"), "{}", bob.detail());
    assert!(E.encryption_key(&ring, "alice@example.org", NOW).is_ok());
    let status = |ring: &Keyring, who: &str| {
        ring.by_address(who, NOW)
            .first()
            .map(|k| k.status)
            .expect(who)
    };
    assert_eq!(
        status(&ring, "bob@example.org"),
        mailseal::KeyStatus::Revoked
    );
    assert_eq!(
        status(&ring, "alice@example.org"),
        mailseal::KeyStatus::Valid
    );
    // Fresh: no request until its nextUpdate has passed.
    assert!(ring.revocation_requests(NOW).is_empty());
    // An hour after its nextUpdate (2026-12-15T00:00:00Z).
    let later = NOW.plus_secs(14 * 86_400 + 3600);
    let stale = ring.revocation_requests(later);
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].reason, mailseal::RevocationRequestReason::Stale);

    // Sealed and opened again: the CRL comes with the keyring.
    let sealed = ring.seal("pass", &mut rng()).unwrap();
    let again = Keyring::unseal(&sealed, "pass").unwrap();
    assert_eq!(verdict(&again).state, SignatureState::Revoked);
    assert_eq!(again.crls(NOW).len(), 1);

    // The same CRL as DER imports too; a changed byte or a stranger's CRL does not.
    let crl_der = p("ca.crl.der");
    let (ok, log) = openssl(&[
        "crl",
        "-in",
        path_str(&p("ca.crl")),
        "-outform",
        "DER",
        "-out",
        path_str(&crl_der),
    ]);
    assert!(ok, "{log}");
    let crl_der = std::fs::read(&crl_der).unwrap();
    let mut fresh = trusting(&ca);
    assert_eq!(fresh.import_crl(&crl_der, NOW).unwrap().revoked, 1);
    let mut changed = crl_der.clone();
    let last = changed.len() - 5;
    changed[last] ^= 1;
    assert_eq!(
        fresh.import_crl(&changed, NOW).unwrap_err().code(),
        mailseal::ErrorCode::BadInput
    );
    // Another CA of the same name (a v1 CRL without key identifier): its signature does not
    // verify with the keyring's CA. And with no CA of that name at all: its CA is missing.
    let impostor = TestCa::new("p256").crl("20261130000000Z", "20261215000000Z");
    assert_eq!(
        fresh.import_crl(&impostor, NOW).unwrap_err().code(),
        mailseal::ErrorCode::BadInput
    );
    assert_eq!(
        Keyring::new().import_crl(&crl, NOW).unwrap_err().code(),
        mailseal::ErrorCode::CertificateMissing
    );
    assert_eq!(
        fresh.import_crl(b"not a crl", NOW).unwrap_err().code(),
        mailseal::ErrorCode::UnsupportedFormat
    );
    // Another CA of that name whose certificate the keyring does hold (fetched from a
    // message's AIA pointer, say) and its newer CRL, which revokes its own certificates with
    // the serial numbers of Alice's and Bob's: it neither replaces the CA's own CRL nor
    // revokes the CA's certificates (it did both, found by a sweep; openssl: "CRL signature
    // failure").
    let other = TestCa::new("rsa2048");
    for name in ["x1", "x2"] {
        let key = other.new_key(name, "p256");
        other.issue(
            name,
            &key,
            &format!("/CN={name}"),
            "basicConstraints=CA:FALSE",
        );
        other.revoke(name, "keyCompromise");
    }
    let other_crl = other.crl("20261201000000Z", "20261215000000Z");
    ring.import(&other.cert(), &ImportOptions::default(), NOW)
        .unwrap();
    assert_eq!(ring.import_crl(&other_crl, NOW).unwrap().revoked, 2);
    let report = verdict(&ring);
    assert_eq!(report.state, SignatureState::Revoked, "{report:?}");
    assert!(report.detail.unwrap_or_default().contains("key compromise"));
    assert_eq!(
        status(&ring, "alice@example.org"),
        mailseal::KeyStatus::Valid
    );
    assert!(E.encryption_key(&ring, "alice@example.org", NOW).is_ok());

    // openssl agrees: Bob's signature fails its CRL check (the CRL read from the CA file).
    let with_crl = p("ca-and-crl.pem");
    std::fs::write(&with_crl, [ca.cert(), crl.clone()].concat()).unwrap();
    let (ok, log) = openssl(&[
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        path_str(&signed),
        "-CAfile",
        path_str(&with_crl),
        "-crl_check",
        "-purpose",
        "smimesign",
        "-attime",
        "1796083200",
        "-out",
        path_str(&p("content")),
    ]);
    assert!(!ok, "openssl accepted a revoked signer: {log}");
    assert!(log.contains("revoked"), "{log}");
}

/// A certificate below a CA that its root revoked (RFC 5280 §6.1.3 (a)(3)), made by `openssl
/// ca` at test time: once the root's CRL that revokes the issuing CA is held, nothing is
/// encrypted to Bob and the key list says he is revoked, as his signature's verdict already
/// did. Before, only the leaf's own revocation counted when choosing keys, so mail was still
/// encrypted to him (found by the certificate sweep). Alice, issued by the root itself, is
/// untouched.
#[test]
fn a_certificate_below_a_revoked_ca_is_not_encrypted_to() {
    if !have("openssl") {
        return;
    }
    let root = TestCa::named("rsa2048", "/CN=Throwaway Root", "");
    let issuing = TestCa::named("rsa2048", "/CN=Throwaway Issuing CA", "");
    let intermediate = issuing.certified_by(&root, "issuing");
    let leaf = |ca: &TestCa, name: &str| {
        let key = ca.new_key(name, "rsa2048");
        let crt = ca.issue(
            name,
            &key,
            &format!("/CN={name}"),
            &format!(
                "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
                 extendedKeyUsage=emailProtection\nsubjectAltName=email:{name}@example.org"
            ),
        );
        std::fs::read(crt).unwrap()
    };
    let (bob, alice) = (leaf(&issuing, "bob"), leaf(&root, "alice"));
    let mut ring = trusting(&root);
    for cert in [std::fs::read(&intermediate).unwrap(), bob, alice] {
        ring.import(&cert, &ImportOptions::default(), NOW).unwrap();
    }
    let status = |ring: &Keyring, who: &str| {
        ring.by_address(who, NOW)
            .first()
            .map(|k| k.status)
            .expect(who)
    };
    assert!(E.encryption_key(&ring, "bob@example.org", NOW).is_ok());
    assert_eq!(status(&ring, "bob@example.org"), mailseal::KeyStatus::Valid);

    root.revoke("issuing", "cACompromise");
    let info = ring
        .import_crl(&root.crl("20261130000000Z", "20261215000000Z"), NOW)
        .expect("the root's CRL");
    assert_eq!(info.revoked, 1);
    let refused = E
        .encryption_key(&ring, "bob@example.org", NOW)
        .expect_err("below a revoked CA");
    assert!(refused.detail().contains("revoked"), "{}", refused.detail());
    assert_eq!(
        status(&ring, "bob@example.org"),
        mailseal::KeyStatus::Revoked
    );
    assert!(E.encryption_key(&ring, "alice@example.org", NOW).is_ok());
    assert_eq!(
        status(&ring, "alice@example.org"),
        mailseal::KeyStatus::Valid
    );
}

/// A CA's extendedKeyUsage limits what it issues for (OpenSSL's `smimesign` purpose, NSS and
/// CryptoAPI): a sub-CA constrained to TLS (`serverAuth`) under a trusted root issues no S/MIME
/// signer. Before, its certificate for ceo@ signed `valid` mail and was preferred for
/// encryption as CA-vouched (interop sweep of 2026-12-07). openssl refuses the same path; a
/// sub-CA whose EKU names emailProtection (or any usage) still issues.
#[test]
fn a_sub_ca_constrained_to_tls_issues_no_smime_signer() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let entity = dir.path().join("entity.txt");
    std::fs::write(
        &entity,
        b"Content-Type: text/plain\r\n\r\nPay the invoice.\r\n",
    )
    .unwrap();
    let root = TestCa::named("rsa2048", "/CN=Throwaway Root", "");
    // (EKU of the sub-CA, mailseal's verdict is valid, openssl's is). anyExtendedKeyUsage
    // restricts nothing (RFC 5280 §4.2.1.12); OpenSSL alone wants emailProtection named.
    for (eku, valid, openssl_valid) in [
        ("extendedKeyUsage = serverAuth", false, false),
        ("extendedKeyUsage = serverAuth, clientAuth", false, false),
        ("extendedKeyUsage = serverAuth, emailProtection", true, true),
        ("extendedKeyUsage = anyExtendedKeyUsage", true, false),
        ("", true, true),
    ] {
        let sub = TestCa::named("rsa2048", "/CN=Throwaway Sub CA", "");
        let intermediate = sub.certified_by_with(&root, "sub", eku);
        let key = sub.new_key("ceo", "rsa2048");
        let crt = sub.issue(
            "ceo",
            &key,
            "/CN=ceo",
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
             extendedKeyUsage=emailProtection\nsubjectAltName=email:ceo@example.org",
        );
        let out = dir.path().join("signed.eml");
        let args = [
            "cms",
            "-sign",
            "-in",
            path_str(&entity),
            "-out",
            path_str(&out),
            "-signer",
            &crt,
            "-inkey",
            &key,
            "-certfile",
            &intermediate,
        ];
        let (ok, log) = openssl(&args);
        assert!(ok, "{eku}: {log}");
        let (signed, sig) = detached(&std::fs::read(&out).unwrap());
        // openssl's verdict on the same path, as the reference.
        let roots = dir.path().join("root.crt");
        std::fs::write(&roots, root.cert()).unwrap();
        let (openssl_ok, log) = openssl(&[
            "cms",
            "-verify",
            "-purpose",
            "smimesign",
            "-attime",
            "1796083200",
            "-in",
            path_str(&out),
            "-CAfile",
            path_str(&roots),
            "-out",
            "/dev/null",
        ]);
        assert_eq!(openssl_ok, openssl_valid, "openssl on {eku:?}: {log}");

        let mut ring = trusting(&root);
        ring.import(
            &std::fs::read(&intermediate).unwrap(),
            &ImportOptions::default(),
            NOW,
        )
        .unwrap();
        let ctx = ReadContext::at(NOW);
        let report = E
            .verify_detached(&ring, &signed, &sig, &ctx)
            .ready()
            .unwrap()
            .report;
        assert_eq!(
            report.state == SignatureState::Valid,
            valid,
            "{eku:?}: {:?} {:?}",
            report.state,
            report.detail
        );
        if !valid {
            assert_eq!(report.state, SignatureState::Untrusted, "{eku:?}");
        }
    }
}

/// Triple wrap (RFC 2634 §1.1: signed, encrypted, signed again), made by openssl: the content's
/// author is the inner signer, and only the inner signer is bound to From. Carol's signed text
/// in an envelope to Bob that Alice signed, sent as From: Alice, is `sender_mismatch`; before,
/// Alice's signature over the envelope made it `valid`, signed by Alice (interop sweep of
/// 2026-12-07). Alice inside and out is `valid`.
#[test]
fn in_a_triple_wrap_only_the_inner_signer_is_bound_to_from() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let file = |name: &str, data: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, data).unwrap();
        path.display().to_string()
    };
    let cert = |p: &str| data_path(&format!("smime/{p}.crt")).display().to_string();
    let key = |p: &str| data_path(&format!("smime/{p}.key")).display().to_string();
    let inner = file(
        "inner.txt",
        b"Content-Type: text/plain\r\n\r\nPay 1000 EUR to account X.\r\n",
    );
    let chain = cert("int-ca");
    for (author, verdict) in [
        ("carol", SignatureState::SenderMismatch),
        ("alice", SignatureState::Valid),
    ] {
        let l1 = dir.path().join("l1.eml").display().to_string();
        let l2 = dir.path().join("l2.eml").display().to_string();
        let triple = dir.path().join("triple.eml").display().to_string();
        let (author_crt, author_key) = (cert(author), key(author));
        let (alice_crt, alice_key, bob_crt) = (cert("alice"), key("alice"), cert("bob"));
        let steps: [Vec<&str>; 3] = [
            vec![
                "cms",
                "-sign",
                "-in",
                &inner,
                "-out",
                &l1,
                "-signer",
                &author_crt,
                "-inkey",
                &author_key,
                "-certfile",
                &chain,
            ],
            vec![
                "cms", "-encrypt", "-aes256", "-in", &l1, "-out", &l2, &bob_crt,
            ],
            vec![
                "cms",
                "-sign",
                "-in",
                &l2,
                "-out",
                &triple,
                "-from",
                "alice@example.com",
                "-to",
                "bob@example.com",
                "-subject",
                "invoice",
                "-signer",
                &alice_crt,
                "-inkey",
                &alice_key,
                "-certfile",
                &chain,
            ],
        ];
        for args in &steps {
            let (ok, log) = openssl(args);
            assert!(ok, "{args:?}: {log}");
        }
        let mut reader = ring(&["bob"]);
        let raw = std::fs::read(&triple).unwrap();
        let opened = open(&mut reader, &[&E], &raw, &OpenOptions::at(NOW)).unwrap();
        assert_eq!(
            opened.encryption.state,
            EncryptionState::Decrypted,
            "{author}"
        );
        assert_eq!(
            opened.signature.state, verdict,
            "{author}: {:?}",
            opened.signature.detail
        );
        let signer = opened.signature.signer.as_ref().expect("a signer is named");
        assert_eq!(signer.emails, [format!("{author}@example.com")], "{author}");
    }
}

/// Learning the sender's certificate from mail (issue 14): a validly signed message
/// (openssl's signed-alice.eml) and a certificates-only bundle (`openssl crl2pkcs7`) each teach
/// Alice's certificate, marked as learned from mail, and mail to her can then be encrypted; a
/// message whose signature is not valid (an untrusted signer, two signers one of them Mallory)
/// offers nothing, and a certificate that does not chain to an anchor, or names someone else,
/// is not learned even when offered.
#[test]
fn the_senders_certificate_is_learned_from_valid_mail_only() {
    if !have("openssl") {
        return;
    }
    let open_entity = |ring: &mut Keyring, entity: &[u8]| {
        open(
            ring,
            &mailseal::standards::all(),
            &message(entity),
            &OpenOptions::at(NOW),
        )
        .unwrap()
    };
    let ders = |o: &mailseal::Opened| {
        o.certificates
            .iter()
            .map(|c| c.0.clone())
            .collect::<Vec<_>>()
    };

    // Signed by Alice, valid: her certificate is learned.
    let mut desk = ring(&["bob"]);
    assert!(E.encryption_key(&desk, "alice@example.com", NOW).is_err());
    let opened = open_entity(&mut desk, f("signed-alice.eml"));
    assert_eq!(opened.signature.state, SignatureState::Valid);
    assert!(!opened.certificates.is_empty());
    let learned = desk
        .learn_certificates("alice@example.com", &ders(&opened), NOW)
        .unwrap();
    assert_eq!(learned.len(), 1, "{learned:?}");
    assert_eq!(learned[0].emails, ["alice@example.com"]);
    assert_eq!(learned[0].trust, mailseal::Trust::Chained);
    assert_eq!(
        learned[0].origin.as_ref().map(|o| o.source),
        Some(mailseal::LookupSource::Mail)
    );
    assert!(E.encryption_key(&desk, "alice@example.com", NOW).is_ok());

    // Not valid: nothing offered.
    for (file, state) in [
        ("signed-mallory-untrusted.eml", SignatureState::Untrusted),
        ("signed-alice-mallory.eml", SignatureState::Untrusted),
    ] {
        let mut desk = ring(&["bob"]);
        let opened = open_entity(&mut desk, f(file));
        assert_eq!(opened.signature.state, state, "{file}");
        assert!(opened.certificates.is_empty(), "{file}");
    }
    // Offered anyway: a certificate outside the anchors, or for another address, is left out.
    let mut desk = ring(&["bob"]);
    let mallory = pem_to_der(f("mallory.crt"));
    assert!(desk
        .learn_certificates("mallory@example.com", &[mallory], NOW)
        .unwrap()
        .is_empty());
    let alice = pem_to_der(f("alice.crt"));
    assert!(desk
        .learn_certificates("carol@example.com", &[alice], NOW)
        .unwrap()
        .is_empty());

    // A certificates-only bundle of Alice's certificate and her CA's, from Alice.
    let dir = tempdir();
    let out = dir.path().join("certs.p7c");
    let (ok, err) = openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-certfile",
        path_str(&data("alice.crt")),
        "-certfile",
        path_str(&data("int-ca.crt")),
        "-outform",
        "DER",
        "-out",
        path_str(&out),
    ]);
    assert!(ok, "{err}");
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(std::fs::read(&out).unwrap());
    let entity = format!(
        "Content-Type: application/pkcs7-mime; smime-type=certs-only; name=\"smime.p7c\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n"
    );
    // Only the root is in this keyring: the intermediate comes from the bundle.
    let mut desk = Keyring::new();
    let trusted = ImportOptions {
        trusted: true,
        ..Default::default()
    };
    desk.import(f("root-ca.crt"), &trusted, NOW).unwrap();
    let opened = open_entity(&mut desk, entity.as_bytes());
    assert_eq!(opened.certificates.len(), 2);
    let learned = desk
        .learn_certificates("alice@example.com", &ders(&opened), NOW)
        .unwrap();
    assert_eq!(learned.len(), 1);
    assert!(E.encryption_key(&desk, "alice@example.com", NOW).is_ok());
    assert_eq!(
        desk.list(NOW).len(),
        3,
        "root, the intermediate from the bundle, Alice"
    );
}

fn pem_to_der(pem: &[u8]) -> Vec<u8> {
    der::pem::decode_vec(pem).expect("PEM").1
}

/// An internationalized address (a non-ASCII local part) is carried in a certificate as a
/// SmtpUTF8Mailbox otherName (RFC 9598, formerly RFC 8398), not as an rfc822Name. mailseal
/// reads it: the key lists the address, a signature from it is valid, mail to it can be
/// encrypted. An rfc822Name constraint of a CA binds such addresses too (RFC 9598 §6): inside
/// the permitted subtree trusted, outside not, and a Unicode domain (which cannot be compared
/// with the constraint's A-labels here) not either. openssl made every certificate.
#[test]
fn internationalized_addresses_in_certificates_are_read_and_constrained() {
    if !have("openssl") {
        return;
    }
    let leaf = |ca: &TestCa, name: &str, mailbox: &str| {
        let key = ca.new_key(name, "p256");
        ca.issue(
            name,
            &key,
            &format!("/CN={name}"),
            &format!(
                "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\n\
                 extendedKeyUsage=emailProtection\n\
                 subjectAltName=@alt\n[alt]\notherName.1=1.3.6.1.5.5.7.8.9;FORMAT:UTF8,UTF8:{mailbox}"
            ),
        );
        PathBuf::from(ca.path(&format!("{name}.crt")))
    };
    let sign = |ca: &TestCa, name: &str, from: &str| {
        let dir = PathBuf::from(ca.path(""));
        let entity = dir.join("entity.txt");
        std::fs::write(&entity, "Content-Type: text/plain\r\n\r\nHallo\r\n").unwrap();
        let out = dir.join(format!("{name}.eml"));
        let (ok, log) = openssl(&[
            "cms",
            "-sign",
            "-in",
            path_str(&entity),
            "-signer",
            &ca.path(&format!("{name}.crt")),
            "-inkey",
            &ca.path(&format!("{name}.key")),
            "-from",
            from,
            "-to",
            "bob@example.com",
            "-subject",
            "hi",
            "-out",
            path_str(&out),
        ]);
        assert!(ok, "{log}");
        let mut ring = trusting(ca);
        let raw = std::fs::read(&out).unwrap();
        open(&mut ring, &[&E], &raw, &OpenOptions::at(NOW)).unwrap()
    };

    let ca = TestCa::new("rsa2048");
    let jose = leaf(&ca, "jose", "jösé@example.com");
    let mut ring = trusting(&ca);
    let keys = ring
        .import(
            &std::fs::read(&jose).unwrap(),
            &ImportOptions::default(),
            NOW,
        )
        .unwrap();
    assert_eq!(keys[0].emails, ["jösé@example.com"]);
    assert!(E.encryption_key(&ring, "jösé@example.com", NOW).is_ok());
    let opened = sign(&ca, "jose", "jösé@example.com");
    assert_eq!(
        opened.signature.state,
        SignatureState::Valid,
        "{:?}",
        opened.signature
    );

    let constrained = TestCa::with_ca_extensions(
        "rsa2048",
        "nameConstraints = critical, permitted;email:.example.org",
    );
    for (name, mailbox, trusts) in [
        ("inside", "jösé@mail.example.org", true),
        ("outside", "jösé@example.com", false),
        ("unicode", "jösé@bücher.example.org", false),
    ] {
        leaf(&constrained, name, mailbox);
        let opened = sign(&constrained, name, mailbox);
        let state = opened.signature.state;
        assert_eq!(
            state == SignatureState::Valid,
            trusts,
            "{name}: {:?}",
            opened.signature
        );
        if !trusts {
            assert_eq!(state, SignatureState::Untrusted, "{name}");
        }
    }
}

/// A part signed with bare LF line ends (`openssl smime -sign -binary` of an LF file: the signed
/// bytes are exactly those in the message, as `openssl cms -verify -binary` checks them)
/// verifies: the bytes as received are tried, then their CRLF form. It was "changed after it
/// was signed", because only the CRLF form reached the engine.
#[test]
fn a_part_signed_with_bare_line_feeds_verifies() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let part = dir.path().join("part.txt");
    std::fs::write(&part, "Content-Type: text/plain\n\nHello world\n").unwrap();
    let out = dir.path().join("lf.eml");
    let mut extra = vec!["-binary"];
    extra.extend(ALICE_TO_BOB);
    smime_sign_by_alice(&part, &out, &extra);
    assert!(!std::fs::read(&out).unwrap().contains(&b'\r'), "an LF file");
    let opened = open_file(&["bob"], &out);
    assert_eq!(
        opened.signature.state,
        SignatureState::Valid,
        "{:?}",
        opened.signature
    );
    assert!(opened.text.as_deref().unwrap_or("").contains("Hello world"));
}

/// A certificate for an address that is a CA's (CA:TRUE, issued by another CA) is held but is
/// not a person's to encrypt to: the composer says it "may not be used for this", not that no
/// certificate was found (found by the interop sweep).
#[test]
fn a_ca_certificate_for_an_address_is_found_but_not_used() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::new("rsa2048");
    let key = ca.new_key("sub", "rsa2048");
    let crt = ca.issue(
        "sub",
        &key,
        "/CN=Sub CA",
        "basicConstraints=CA:TRUE\nkeyUsage=critical,digitalSignature,keyEncipherment,keyCertSign\n\
         subjectAltName=email:ku3@example.com",
    );
    let mut ring = trusting(&ca);
    ring.import(
        &std::fs::read(&crt).unwrap(),
        &ImportOptions::default(),
        NOW,
    )
    .unwrap();
    let refused = E.encryption_key(&ring, "ku3@example.com", NOW).unwrap_err();
    assert_eq!(refused.problem, mailseal::engine::KeyProblem::WrongUsage);
    assert!(
        refused.detail().contains("was found"),
        "{}",
        refused.detail()
    );
    let none = E
        .encryption_key(&ring, "nobody@example.com", NOW)
        .unwrap_err();
    assert_eq!(none.problem, mailseal::engine::KeyProblem::NotFound);
}

/// A certification authority with an Ed25519 key (RFC 8410; `openssl req -x509` makes one)
/// issuing an RSA signer: its signature on the certificate is checked, so the signer is trusted
/// as openssl trusts it (it was "not issued by a trusted certification authority"); a
/// certificate whose Ed25519 signature is broken is not.
#[test]
fn a_certificate_issued_by_an_ed25519_ca_is_trusted() {
    if !have("openssl") {
        return;
    }
    let ca = TestCa::new("ed25519");
    let key = ca.new_key("carol", "rsa2048");
    let crt = PathBuf::from(ca.issue(
        "carol",
        &key,
        "/CN=carol",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
         extendedKeyUsage=emailProtection\nsubjectAltName=email:carol@example.com",
    ));
    let dir = tempdir();
    let entity = dir.path().join("entity.txt");
    std::fs::write(&entity, "Content-Type: text/plain\r\n\r\nhi\r\n").unwrap();
    let signed = dir.path().join("signed.eml");
    let (ok, log) = openssl(&[
        "cms",
        "-sign",
        "-in",
        path_str(&entity),
        "-signer",
        path_str(&crt),
        "-inkey",
        &key,
        "-from",
        "carol@example.com",
        "-to",
        "bob@example.com",
        "-subject",
        "s",
        "-out",
        path_str(&signed),
    ]);
    assert!(ok, "{log}");
    let raw = std::fs::read(&signed).unwrap();
    let mut ring = trusting(&ca);
    let o = open(&mut ring, &[&E], &raw, &OpenOptions::at(NOW)).unwrap();
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );

    // The same signer certificate with one bit of its Ed25519 signature flipped.
    let pem = std::fs::read_to_string(&crt).unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    use base64::Engine as _;
    let mut der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let last = der.len() - 1;
    der[last] ^= 0x01;
    let mut ring = trusting(&ca);
    let keys = ring.import(&der, &ImportOptions::default(), NOW).unwrap();
    assert_eq!(keys[0].trust, mailseal::Trust::Unverified, "{:?}", keys[0]);
}

/// What mailseal does not implement is named, not given as a bare OID (found by the interop
/// sweep): an Ed25519 or X25519 private key, a signature made with SHA3-256 (`openssl cms -sign
/// -md sha3-256`), a message encrypted with AES-256-OFB (`openssl cms -encrypt -aes-256-ofb`).
#[test]
fn algorithms_mailseal_does_not_implement_are_named() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let p = |name: &str| dir.path().join(name);
    for (alg, name) in [("ED25519", "Ed25519"), ("X25519", "X25519")] {
        let (ok, log) = openssl(&["genpkey", "-algorithm", alg, "-out", path_str(&p("k.key"))]);
        assert!(ok, "{log}");
        let err = Keyring::new()
            .import(
                &std::fs::read(p("k.key")).unwrap(),
                &ImportOptions::default(),
                NOW,
            )
            .unwrap_err();
        assert!(
            err.message().contains(&format!("algorithm {name} is")),
            "{err}"
        );
    }

    std::fs::write(p("entity.txt"), "Content-Type: text/plain\r\n\r\nhi\r\n").unwrap();
    let mut extra = vec!["-md", "sha3-256"];
    extra.extend(ALICE_TO_BOB);
    smime_sign_by_alice(&p("entity.txt"), &p("sha3.eml"), &extra);
    let o = open_file(&["bob"], &p("sha3.eml"));
    assert_eq!(o.signature.state, SignatureState::Invalid);
    let detail = o.signature.detail.unwrap_or_default();
    assert!(detail.contains("SHA3-256"), "{detail}");

    let bob = data("bob.crt");
    let (ok, log) = openssl(&[
        "cms",
        "-encrypt",
        "-aes-256-ofb",
        "-in",
        path_str(&p("entity.txt")),
        "-from",
        "alice@example.com",
        "-to",
        "bob@example.com",
        "-subject",
        "s",
        "-out",
        path_str(&p("ofb.eml")),
        path_str(&bob),
    ]);
    assert!(ok, "{log}");
    let o = open_file(&["bob"], &p("ofb.eml"));
    assert_eq!(o.encryption.state, EncryptionState::Failed);
    let detail = o.encryption.detail.unwrap_or_default();
    assert!(detail.contains("AES-256-OFB"), "{detail}");
}

/// A message encrypted only to a password (`openssl cms -encrypt -pwri_password`, RFC 3211)
/// says so, not that a private key is missing (found by the interop sweep).
#[test]
fn a_password_encrypted_message_says_so() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let p = |name: &str| dir.path().join(name);
    std::fs::write(p("entity.txt"), "Content-Type: text/plain\r\n\r\nhi\r\n").unwrap();
    let (ok, log) = openssl(&[
        "cms",
        "-encrypt",
        "-aes256",
        "-pwri_password",
        "s3cret",
        "-in",
        path_str(&p("entity.txt")),
        "-from",
        "alice@example.com",
        "-to",
        "bob@example.com",
        "-subject",
        "s",
        "-out",
        path_str(&p("pwri.eml")),
    ]);
    assert!(ok, "{log}");
    let o = open_file(&["bob"], &p("pwri.eml"));
    assert_eq!(o.encryption.state, EncryptionState::NoKey);
    let detail = o.encryption.detail.unwrap_or_default();
    assert!(detail.contains("encrypted with a password"), "{detail}");
}

/// A sender whose own certificate is valid but whose issuing CA has expired cannot sign: what
/// it signed would read `expired` to every recipient (and to openssl). The engine finds no
/// signing key, saying why (so `protect` fails with `sender_key_missing`, as for the sender's
/// own expired certificate, and `capabilities` says it cannot sign); a recipient below that CA
/// is still encrypted to (sweep 21). Before the CA expired, it signs.
#[test]
fn a_sender_below_an_expired_ca_does_not_sign() {
    const EARLIER_THAN_EXPIRY: mailseal::Time = mailseal::Time::from_unix(1_780_272_000); // 2026-06-01
    if !have("openssl") {
        return;
    }
    let root = TestCa::named("p256", "/CN=Throwaway Root", "");
    let issuing = TestCa::named("p256", "/CN=Short-lived Issuing CA", "");
    let ca_profile = "basicConstraints = critical, CA:TRUE\n\
                      keyUsage = critical, keyCertSign, cRLSign\n\
                      subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid";
    let intermediate = root.issue_dated(
        "issuing",
        &issuing.path("ca.key"),
        "/CN=Short-lived Issuing CA",
        ca_profile,
        "20260101000000Z",
        "20261101000000Z",
    );
    std::fs::copy(&intermediate, issuing.path("ca.crt")).unwrap();
    let key = issuing.new_key("dana", "p256");
    let crt = issuing.issue(
        "dana",
        &key,
        "/CN=Dana",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\n\
         extendedKeyUsage=emailProtection\nsubjectAltName=email:dana@example.org",
    );
    let mut ring = trusting(&root);
    let mut dana = std::fs::read(&crt).unwrap();
    dana.extend_from_slice(&std::fs::read(&key).unwrap());
    for file in [std::fs::read(&intermediate).unwrap(), dana] {
        ring.import(&file, &ImportOptions::default(), EARLIER_THAN_EXPIRY)
            .unwrap();
    }
    assert!(E
        .signing_key(&ring, "dana@example.org", EARLIER_THAN_EXPIRY)
        .is_ok());
    let refused = E
        .signing_key(&ring, "dana@example.org", NOW)
        .expect_err("the issuing CA expired on 2026-11-01");
    assert!(
        refused
            .detail()
            .contains("CA certificate it chains to has expired"),
        "{}",
        refused.detail()
    );
    assert!(E.encryption_key(&ring, "dana@example.org", NOW).is_ok());
}

/// A multi-prime RSA key (OpenSSL's `rsa_keygen_primes`, RFC 8017 §A.1.2) is refused at import
/// with a sentence that says so, as PKCS#8 and as PKCS#1; mailseal takes two-prime keys only.
#[test]
fn a_multi_prime_rsa_key_is_refused_saying_why() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let pkcs8 = dir.path().join("three.pem");
    let pkcs1 = dir.path().join("three-pkcs1.pem");
    let (ok, err) = openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-pkeyopt",
        "rsa_keygen_primes:3",
        "-out",
        path_str(&pkcs8),
    ]);
    assert!(ok, "{err}");
    let (ok, err) = openssl(&[
        "rsa",
        "-in",
        path_str(&pkcs8),
        "-traditional",
        "-out",
        path_str(&pkcs1),
    ]);
    assert!(ok, "{err}");
    for key in [&pkcs8, &pkcs1] {
        let pem = std::fs::read(key).unwrap();
        let refused = Keyring::new()
            .import(&pem, &ImportOptions::default(), NOW)
            .unwrap_err();
        assert_eq!(refused.code(), mailseal::ErrorCode::UnsupportedFormat);
        assert!(
            refused.to_string().contains("more than two primes"),
            "{refused}"
        );
    }
}

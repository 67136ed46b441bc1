//! Keys made by mailseal (issue 16) in the real tools: an OpenPGP key imports into gpg and
//! works both ways (gpg encrypts to it and verifies its signatures; with the secret key gpg
//! signs and decrypts what mailseal wrote), its revocation certificate revokes it in gpg; an
//! S/MIME request is signed by `openssl ca`, the certificate joins its pending key, and the
//! result signs and decrypts with openssl both ways.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::Command;

use common::tools::{have, run, run_bytes, tempdir, Gpg, TestCa};
use common::{rng, NOW};
use mailseal::{
    open, protect, EncryptionState, Engine, ErrorCode, GenerateOpenPgp, GenerateSmime,
    ImportOptions, Keyring, Message, MethodChoice, OpenOptions, PgpEngine, PgpKeyAlgorithm,
    ProtectOptions, SignatureState, SmimeEngine, SmimeKeyAlgorithm,
};

const DESK: &str = "support@example.org";

fn mail(from: &str, to: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: Ticket #77\r\nDate: Tue, 01 Dec 2026 00:00:00 +0000\r\n\
         Message-ID: <t77@example.org>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nYour ticket is resolved.\r\n"
    )
    .into_bytes()
}

fn protect_with(
    ring: &mut Keyring,
    engine: &dyn Engine,
    method: MethodChoice,
    raw: &[u8],
    sign: bool,
    encrypt: bool,
) -> Vec<u8> {
    let mut opts = ProtectOptions::new(sign, encrypt, NOW);
    opts.method = method;
    let out = protect(ring, &[engine], Message::Raw(raw), &opts, &mut rng()).expect("protect");
    out.deliveries[0].mime.clone()
}

/// The armored block from `begin` to `end` in tool output (gpg's status lines around it).
fn between(text: &str, begin: &str, end: &str) -> String {
    let start = text.find(begin).expect("begin");
    let stop = text.find(end).expect("end") + end.len();
    text[start..stop].replace("\r\n", "\n")
}

fn armored_block(mime: &[u8], kind: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(mime);
    between(
        &text,
        &format!("-----BEGIN PGP {kind}-----"),
        &format!("-----END PGP {kind}-----"),
    )
    .into_bytes()
}

#[test]
fn a_generated_openpgp_key_works_in_gpg_both_ways() {
    if !have("gpg") {
        return;
    }
    let mut ring = Keyring::new();
    let made = ring
        .generate_openpgp(
            &GenerateOpenPgp {
                address: DESK.into(),
                name: Some("Example Support".into()),
                ..Default::default()
            },
            &mut rng(),
            NOW,
        )
        .expect("a key");
    assert!(made.key.has_secret && made.key.trusted, "{:?}", made.key);
    assert_eq!(made.key.emails, vec![DESK.to_string()]);
    assert!(made.key.expires.is_some(), "three years by default");
    assert!(made
        .revocation_certificate
        .contains("BEGIN PGP PUBLIC KEY BLOCK"));
    let fpr = made.key.id.to_uppercase();

    // gpg reads the public key: the user ID, Ed25519 + Cv25519, the expiry.
    let gpg = Gpg::with_keys(&[made.public_key.as_bytes()]);
    let (ok, listing) = run(gpg.cmd().args(["--with-colons", "--list-keys", DESK]), b"");
    assert!(ok, "{listing}");
    assert!(
        listing.contains("Example Support <support@example.org>"),
        "{listing}"
    );
    assert!(
        listing.contains(":ed25519:") && listing.contains(":cv25519:"),
        "{listing}"
    );
    let pub_line = listing.lines().find(|l| l.starts_with("pub:")).unwrap();
    let expiry: i64 = pub_line
        .split(':')
        .nth(6)
        .unwrap()
        .parse()
        .expect("an expiry");
    assert!(expiry > NOW.unix() + 3 * 364 * 86_400, "{pub_line}");

    // gpg encrypts to it; mailseal decrypts.
    let note = gpg.file("note.txt", b"Please call me back.\n");
    let (ok, armored) = run(
        gpg.cmd()
            .args(["--armor", "--output", "-", "--recipient", DESK, "--encrypt"])
            .arg(&note),
        b"",
    );
    assert!(ok);
    let armored = between(
        &armored,
        "-----BEGIN PGP MESSAGE-----",
        "-----END PGP MESSAGE-----",
    );
    let msg = format!("From: customer@example.net\r\nTo: {DESK}\r\nSubject: x\r\n\r\n{armored}\n");
    let opened = open(
        &mut ring,
        &[&PgpEngine],
        msg.as_bytes(),
        &OpenOptions::at(NOW),
    )
    .unwrap();
    assert_eq!(
        opened.encryption.state,
        EncryptionState::Decrypted,
        "{opened:?}"
    );
    assert!(opened
        .text
        .unwrap_or_default()
        .contains("Please call me back."));

    // gpg needs the secret key to use it: the admin exports it under a passphrase.
    let secret = ring
        .export_secret(&made.key.id, "pass phrase", &mut rng(), NOW)
        .expect("export");
    let (ok, log) = run(
        Command::new("gpg")
            .arg("--homedir")
            .arg(gpg.home())
            .args([
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "pass phrase",
            ])
            .args(["--faked-system-time", "20261201T000000!", "--import"]),
        &secret,
    );
    assert!(ok, "gpg --import secret: {log}");

    // mailseal signs and encrypts to the desk itself; gpg decrypts and verifies.
    let signed = protect_with(
        &mut ring,
        &PgpEngine,
        MethodChoice::Pgp,
        &mail(DESK, DESK),
        true,
        true,
    );
    let enc = gpg.file("signed.asc", &armored_block(&signed, "MESSAGE"));
    let (ok, log) = run(
        gpg.cmd()
            .args(["--passphrase", "pass phrase", "--decrypt"])
            .arg(&enc),
        b"",
    );
    assert!(ok, "{log}");
    assert!(log.contains(&format!("VALIDSIG {fpr}")), "{log}");
    assert!(log.contains("Your ticket is resolved."), "{log}");

    // gpg signs with it; mailseal finds the signature valid (the desk's own, vouched-for key).
    let (ok, clear) = run(
        gpg.cmd()
            .args([
                "--armor",
                "--output",
                "-",
                "--local-user",
                DESK,
                "--clearsign",
            ])
            .arg(&note),
        b"",
    );
    assert!(ok);
    let clear = between(
        &clear,
        "-----BEGIN PGP SIGNED MESSAGE-----",
        "-----END PGP SIGNATURE-----",
    );
    let msg = format!("From: {DESK}\r\nTo: c@example.net\r\nSubject: y\r\n\r\n{clear}\n");
    let opened = open(
        &mut ring,
        &[&PgpEngine],
        msg.as_bytes(),
        &OpenOptions::at(NOW),
    )
    .unwrap();
    assert_eq!(opened.signature.state, SignatureState::Valid, "{opened:?}");

    // The revocation certificate revokes the key in gpg. (gpg then wants to update a trust
    // database this home, with trust-model always, never made: that last step fails.)
    let (_, log) = run(
        gpg.cmd().arg("--import"),
        made.revocation_certificate.as_bytes(),
    );
    assert!(log.contains("revocation certificate imported"), "{log}");
    let (_, listing) = run(gpg.cmd().args(["--with-colons", "--list-keys", DESK]), b"");
    let pub_line = listing.lines().find(|l| l.starts_with("pub:")).unwrap();
    assert!(pub_line.starts_with("pub:r:"), "revoked in gpg: {pub_line}");
    // ... and in mailseal, where a revocation certificate imports like any key update.
    ring.import(
        made.revocation_certificate.as_bytes(),
        &ImportOptions::default(),
        NOW,
    )
    .expect("the revocation");
    assert_eq!(
        ring.get(&made.key.id, NOW).unwrap().status,
        mailseal::KeyStatus::Revoked
    );
}

#[test]
fn openpgp_key_options_and_refusals() {
    let mut ring = Keyring::new();
    let never = ring
        .generate_openpgp(
            &GenerateOpenPgp {
                address: "billing@example.org".into(),
                valid_days: Some(0),
                algorithm: PgpKeyAlgorithm::Curve25519,
                ..Default::default()
            },
            &mut rng(),
            NOW,
        )
        .unwrap();
    assert_eq!(never.key.expires, None);
    assert_eq!(never.key.emails, vec!["billing@example.org".to_string()]);
    for (address, name) in [
        ("not an address", None),
        ("a@b.org", Some("Evil <x@y.org>")),
    ] {
        let e = ring
            .generate_openpgp(
                &GenerateOpenPgp {
                    address: address.into(),
                    name: name.map(String::from),
                    ..Default::default()
                },
                &mut rng(),
                NOW,
            )
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::BadInput, "{address}");
    }
    // Once roles are in use, only the admin makes keys.
    ring.set_admin_passphrase("admin pass", &mut rng(), NOW)
        .unwrap();
    ring.lock_admin(NOW);
    let e = ring
        .generate_openpgp(
            &GenerateOpenPgp {
                address: DESK.into(),
                ..Default::default()
            },
            &mut rng(),
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AdminRequired);
    assert!(ring.recent_log().iter().any(|e| e.action == "generate"));
}

#[test]
fn a_generated_smime_request_is_signed_by_openssl_ca_and_works_both_ways() {
    if !have("openssl") {
        return;
    }
    for algorithm in [SmimeKeyAlgorithm::P256, SmimeKeyAlgorithm::Rsa3072] {
        let ca = TestCa::new("rsa2048");
        let mut ring = Keyring::new();
        let trusted = ImportOptions {
            trusted: true,
            ..Default::default()
        };
        ring.import(&ca.cert(), &trusted, NOW).unwrap();
        let pending = ring
            .generate_smime(
                &GenerateSmime {
                    address: DESK.into(),
                    name: Some("Example Support".into()),
                    algorithm,
                },
                &mut rng(),
                NOW,
            )
            .expect("a request");
        assert_eq!(ring.pending_keys(), vec![pending.clone()]);

        // openssl reads and checks the request: its signature, the address, the usages.
        let csr = ca.path("desk.csr");
        std::fs::write(&csr, &pending.request).unwrap();
        let (ok, text) = run(
            Command::new("openssl").args(["req", "-verify", "-noout", "-text", "-in", &csr]),
            b"",
        );
        assert!(ok, "{text}");
        assert!(text.contains("email:support@example.org"), "{text}");
        assert!(text.contains("E-mail Protection"), "{text}");
        assert!(
            text.contains("CN=Example Support") || text.contains("CN = Example Support"),
            "{text}"
        );

        // The pending key survives sealing.
        let mut ring = Keyring::unseal(
            &ring.seal("pass phrase", &mut rng()).unwrap(),
            "pass phrase",
        )
        .expect("unseal");
        assert_eq!(ring.pending_keys().len(), 1);

        // The CA issues; importing the certificate joins it to the key.
        let usage = match algorithm {
            SmimeKeyAlgorithm::Rsa3072 => "digitalSignature,keyEncipherment",
            SmimeKeyAlgorithm::P256 => "digitalSignature,keyAgreement",
        };
        let crt = ca.sign_request(
            "desk",
            &csr,
            &format!(
                "basicConstraints=CA:FALSE\nkeyUsage={usage}\nextendedKeyUsage=emailProtection\n\
                 subjectAltName=email:{DESK}"
            ),
        );
        let imported = ring
            .import(
                &std::fs::read(&crt).unwrap(),
                &ImportOptions::default(),
                NOW,
            )
            .expect("the certificate");
        assert_eq!(imported.len(), 1);
        assert!(imported[0].has_secret, "{:?}", imported[0]);
        assert!(ring.pending_keys().is_empty());

        // mailseal signs: openssl verifies against the CA.
        let signed = protect_with(
            &mut ring,
            &SmimeEngine,
            MethodChoice::Smime,
            &mail(DESK, "c@example.net"),
            true,
            false,
        );
        let dir = tempdir();
        let signed_path = dir.path().join("signed.eml");
        std::fs::write(&signed_path, &signed).unwrap();
        let (ok, log) = run(
            Command::new("openssl")
                .args([
                    "cms",
                    "-verify",
                    "-CAfile",
                    &ca.path("ca.crt"),
                    "-purpose",
                    "smimesign",
                ])
                .args([
                    "-attime",
                    &NOW.unix().to_string(),
                    "-out",
                    "/dev/null",
                    "-in",
                ])
                .arg(&signed_path),
            b"",
        );
        assert!(ok, "{algorithm:?}: {log}");

        // openssl encrypts to the certificate; mailseal decrypts.
        let note = dir.path().join("note.txt");
        std::fs::write(&note, "Content-Type: text/plain\n\nThank you.\n").unwrap();
        let enc = dir.path().join("enc.eml");
        let (ok, log) = run(
            Command::new("openssl")
                .args([
                    "cms",
                    "-encrypt",
                    "-aes256",
                    "-from",
                    "c@example.net",
                    "-to",
                    DESK,
                ])
                .args(["-subject", "thanks", "-in"])
                .arg(&note)
                .arg("-out")
                .arg(&enc)
                .arg(&crt),
            b"",
        );
        assert!(ok, "{log}");
        let opened = open(
            &mut ring,
            &[&SmimeEngine],
            &std::fs::read(&enc).unwrap(),
            &OpenOptions::at(NOW),
        )
        .unwrap();
        assert_eq!(
            opened.encryption.state,
            EncryptionState::Decrypted,
            "{algorithm:?}"
        );
        assert!(opened.text.unwrap_or_default().contains("Thank you."));
        assert_eq!(opened.signature.state, SignatureState::None);
    }
}

/// The revocation certificate gpg writes when it makes a key (openpgp-revocs.d, its armor
/// line "defused" with a leading colon the owner removes to use it) revokes that key in
/// mailseal; one for a key the keyring does not hold revokes nothing and says so.
#[test]
fn a_gpg_revocation_certificate_revokes_the_key_it_names() {
    if !have("gpg") {
        return;
    }
    let gpg = Gpg::empty();
    let mut certs = Vec::new();
    for who in ["kept@example.org", "other@example.org"] {
        let (ok, log) = run(
            gpg.cmd()
                .args(["--quick-gen-key", who, "ed25519", "sign", "2y"]),
            b"",
        );
        assert!(ok, "{log}");
        let (_, listing) = run(gpg.cmd().args(["--with-colons", "--list-keys", who]), b"");
        let fpr = listing
            .lines()
            .find(|l| l.starts_with("fpr:"))
            .and_then(|l| l.split(':').nth(9))
            .unwrap()
            .to_string();
        let rev = std::fs::read_to_string(gpg.home().join(format!("openpgp-revocs.d/{fpr}.rev")))
            .expect("gpg's revocation certificate");
        certs.push((fpr, rev.replace(":-----BEGIN", "-----BEGIN")));
    }
    let (ok, public) = run(
        gpg.cmd().args(["--armor", "--export", "kept@example.org"]),
        b"",
    );
    assert!(ok);
    // gpg's status lines follow the armor here: text after the END line is ignored.
    let public = public[public.find("-----BEGIN").unwrap()..].to_string();
    let mut ring = Keyring::new();
    let kept = ring
        .import(public.as_bytes(), &ImportOptions::default(), NOW)
        .unwrap()
        .remove(0);
    assert_eq!(kept.id, certs[0].0);
    assert_eq!(kept.status, mailseal::KeyStatus::Valid);

    let e = ring
        .import(certs[1].1.as_bytes(), &ImportOptions::default(), NOW)
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::KeyNotFound);
    assert_eq!(
        ring.get(&kept.id, NOW).unwrap().status,
        mailseal::KeyStatus::Valid
    );

    // Binary (`gpg --dearmor`) as well as armored: it was refused as "a format mailseal does
    // not understand" (key import sweep).
    let (ok, binary, err) = run_bytes(gpg.cmd().arg("--dearmor"), certs[0].1.as_bytes());
    assert!(ok, "{err}");
    assert!(!binary.starts_with(b"-----"));
    let revoked = ring
        .import(&binary, &ImportOptions::default(), NOW)
        .expect("applied");
    assert_eq!(revoked[0].id, kept.id);
    assert_eq!(revoked[0].status, mailseal::KeyStatus::Revoked);
    // What the composer is told: revoked (not "may not be used for this").
    let e = PgpEngine
        .encryption_key(&ring, "kept@example.org", NOW)
        .unwrap_err();
    assert_eq!(e.problem, mailseal::KeyProblem::Revoked);
    let log: Vec<_> = ring
        .recent_log()
        .iter()
        .filter(|e| e.action == "import_revocation")
        .map(|e| e.outcome.as_str())
        .collect();
    assert_eq!(log, ["error", "ok"]);

    // The key and its revocation certificate in one file (`cat key.asc rev.asc`): revoked
    // at once, as gpg --import makes it; another key's certificate beside it revokes nothing.
    let mut fresh = Keyring::new();
    let both = format!("{public}\n{}\n{}", certs[0].1, certs[1].1);
    let keys = fresh
        .import(both.as_bytes(), &ImportOptions::default(), NOW)
        .unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].status, mailseal::KeyStatus::Revoked);
    let mut fresh = Keyring::new();
    let unrelated = format!("{public}\n{}", certs[1].1);
    let keys = fresh
        .import(unrelated.as_bytes(), &ImportOptions::default(), NOW)
        .unwrap();
    assert_eq!(keys[0].status, mailseal::KeyStatus::Valid);
}

/// An RFC 9580 version 6 key (Ed25519 / X25519, properties on its direct-key signature):
/// signs and decrypts at once, and a reader with its published public key finds the
/// signatures valid. (GnuPG 2.4 reads no v6 keys, so this stays within mailseal and rPGP.)
#[test]
fn a_version_6_key_signs_and_decrypts() {
    let mut ring = Keyring::new();
    let made = ring
        .generate_openpgp(
            &GenerateOpenPgp {
                address: DESK.into(),
                v6: true,
                ..Default::default()
            },
            &mut rng(),
            NOW,
        )
        .expect("a v6 key");
    assert_eq!(made.key.id.len(), 64, "a v6 fingerprint is 32 bytes");
    assert!(made.key.can_sign && made.key.can_encrypt && made.key.expires.is_some());
    let sent = protect_with(
        &mut ring,
        &PgpEngine,
        MethodChoice::Pgp,
        &mail(DESK, DESK),
        true,
        true,
    );
    let opened = open(&mut ring, &[&PgpEngine], &sent, &OpenOptions::at(NOW)).unwrap();
    assert_eq!(opened.encryption.state, EncryptionState::Decrypted);
    assert_eq!(opened.signature.state, SignatureState::Valid);

    let mut reader = Keyring::new();
    let trusted = ImportOptions {
        trusted: true,
        ..Default::default()
    };
    reader
        .import(made.public_key.as_bytes(), &trusted, NOW)
        .unwrap();
    let signed = protect_with(
        &mut ring,
        &PgpEngine,
        MethodChoice::Pgp,
        &mail(DESK, "c@example.net"),
        true,
        false,
    );
    let read = open(&mut reader, &[&PgpEngine], &signed, &OpenOptions::at(NOW)).unwrap();
    assert_eq!(read.signature.state, SignatureState::Valid);
    let revoked = reader
        .import(
            made.revocation_certificate.as_bytes(),
            &ImportOptions::default(),
            NOW,
        )
        .unwrap();
    assert_eq!(revoked[0].status, mailseal::KeyStatus::Revoked);
}

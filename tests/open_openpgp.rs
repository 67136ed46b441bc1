//! Whole mails around what gpg wrote (tests/data/openpgp), opened through `open` with the
//! OpenPGP engine: PGP/MIME encrypted, signed, both, and inline PGP in text bodies. Runs
//! natively and in wasm under Node.

mod common;

use common::{fixture, pgp_ring as ring, rng, Ready, NOW};
use mailseal::{
    open, EncryptionState, ImportOptions, KeyInfo, Keyring, OpenOptions, Opened, PgpEngine,
    SignatureState,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn f(name: &str) -> &'static [u8] {
    fixture(&format!("openpgp/{name}"))
}

fn text(data: &[u8]) -> &str {
    std::str::from_utf8(data).unwrap()
}

fn headers(from: &str) -> String {
    format!(
        "From: {from}\r\nTo: Bob <bob@example.org>\r\nSubject: Ticket #4711\r\n\
         Date: Tue, 01 Dec 2026 00:00:00 +0000\r\nMessage-ID: <t4711@example.org>\r\n\
         MIME-Version: 1.0\r\n"
    )
}

/// RFC 3156 §4 around an armored message.
fn pgp_mime_encrypted(from: &str, armored: &[u8]) -> Vec<u8> {
    format!(
        "{}Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n \
         boundary=\"enc\"\r\n\r\nThis is an OpenPGP/MIME encrypted message.\r\n--enc\r\n\
         Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--enc\r\n\
         Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n{}\r\n--enc--\r\n",
        headers(from),
        text(armored)
    )
    .into_bytes()
}

/// RFC 3156 §5 around the canonical entity and gpg's detached signature.
fn pgp_mime_signed(from: &str, entity: &[u8], signature: &[u8]) -> Vec<u8> {
    format!(
        "{}Content-Type: multipart/signed; micalg=pgp-sha256;\r\n \
         protocol=\"application/pgp-signature\"; boundary=\"sig\"\r\n\r\n--sig\r\n{}\r\n--sig\r\n\
         Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n\r\n{}\r\n--sig--\r\n",
        headers(from),
        text(entity),
        text(signature)
    )
    .into_bytes()
}

fn inline(from: &str, body: &[u8]) -> Vec<u8> {
    format!(
        "{}Content-Type: text/plain; charset=utf-8\r\n\r\n{}",
        headers(from),
        text(body).replace('\n', "\r\n")
    )
    .into_bytes()
}

fn open_with(ring: &mut Keyring, raw: &[u8]) -> Opened {
    open(ring, &[&PgpEngine], raw, &OpenOptions::at(NOW)).unwrap()
}

#[test]
fn pgp_mime_signed_and_encrypted_by_gpg_opens() {
    let mut ring = ring(&["bob.sec", "alice.pub"]);
    let raw = pgp_mime_encrypted("Alice <alice@example.org>", f("signenc-alice.asc"));
    let o = open_with(&mut ring, &raw);
    assert_eq!(o.encryption.state, EncryptionState::Decrypted);
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );
    assert!(o
        .text
        .as_deref()
        .unwrap()
        .contains("Hello from the help desk."));
    let att = o
        .attachments
        .iter()
        .find(|a| a.filename == "attach.bin")
        .expect("attachment");
    assert_eq!(att.data, f("attach.bin"));

    // the same message with another From: not signed by its sender
    let raw = pgp_mime_encrypted("mallory@example.org", f("signenc-alice.asc"));
    let o = open_with(&mut ring, &raw);
    assert_eq!(o.signature.state, SignatureState::SenderMismatch);
}

#[test]
fn pgp_mime_encrypted_only_and_refused_forms() {
    let mut ring = ring(&["bob.sec", "alice.pub"]);
    let raw = pgp_mime_encrypted("alice@example.org", f("enc-three.asc"));
    let o = open_with(&mut ring, &raw);
    assert_eq!(o.encryption.state, EncryptionState::Decrypted);
    assert_eq!(o.signature.state, SignatureState::None);
    assert!(o.text.unwrap().contains("Hello from the help desk."));

    let mut ring_alice = self::ring(&["alice.pub"]);
    let o = open_with(&mut ring_alice, &raw);
    assert_eq!(o.encryption.state, EncryptionState::NoKey);
    assert!(o.text.is_none());

    // A payload that is no readable OpenPGP message (an unencrypted literal packet put before
    // gpg's message, or no packets at all): a failed decryption in the report, as the same
    // block inline gets a verdict, not an error without a report (the OpenPGP sweep).
    use base64::Engine as _;
    let mut packets = vec![0xcb, 8, b'b', 0, 0, 0, 0, 0, b'h', b'i'];
    packets.extend_from_slice(f("enc-bob.gpg"));
    let b64 = base64::engine::general_purpose::STANDARD.encode(&packets);
    for payload in [b64.as_str(), "AAAA"] {
        let armored =
            format!("-----BEGIN PGP MESSAGE-----\n\n{payload}\n-----END PGP MESSAGE-----\n");
        let raw = pgp_mime_encrypted("alice@example.org", armored.as_bytes());
        let o = open_with(&mut ring, &raw);
        assert_eq!(o.encryption.state, EncryptionState::Failed, "{payload}");
        assert!(o.encryption.detail.is_some());
        assert!(o.text.is_none(), "{payload}: {:?}", o.text);
        // What is listed is the envelope's own undecrypted part, never the literal's "hi".
        assert!(
            o.attachments.iter().all(|a| a.data != b"hi"),
            "{:?}",
            o.attachments
        );
    }
}

/// RFC 2046 §5.1.1 under PGP/MIME: with the boundary `B` or `E`, gpg's armor lines
/// (`-----BEGIN PGP MESSAGE-----`) hold `--B` / `--E` in the middle of a line and are no
/// delimiters. And an envelope without its payload part is a failed decryption, never a
/// signature verdict, with nothing in it marked as signed.
#[test]
fn pgp_mime_envelopes_under_short_boundaries_and_without_a_payload() {
    let mut ring = ring(&["bob.sec", "alice.pub"]);
    let raw =
        String::from_utf8(pgp_mime_encrypted("alice@example.org", f("enc-three.asc"))).unwrap();
    for boundary in ["B", "E", "N"] {
        let raw = raw
            .replace("boundary=\"enc\"", &format!("boundary=\"{boundary}\""))
            .replace("--enc", &format!("--{boundary}"));
        let o = open_with(&mut ring, raw.as_bytes());
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{boundary}");
        assert!(
            o.text.unwrap().contains("Hello from the help desk."),
            "{boundary}"
        );
    }

    let one_part = format!(
        "{}Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n \
         boundary=\"enc\"\r\n\r\n--enc\r\nContent-Type: application/pgp-encrypted\r\n\r\n\
         Version: 1\r\n--enc--\r\n",
        headers("alice@example.org")
    );
    let o = open_with(&mut ring, one_part.as_bytes());
    assert_eq!(
        o.encryption.state,
        EncryptionState::Failed,
        "{:?}",
        o.encryption
    );
    assert!(o.encryption.detail.unwrap().contains("two parts"));
    assert_eq!(o.signature.state, SignatureState::None);
    assert!(o.attachments.iter().all(|a| !a.signed));
}

/// A signature made, by its own account, more than a day after the time the message is judged
/// at is remarked on (`signed_in_the_future`); an hour ahead is a clock set wrong, no remark.
#[test]
fn signatures_from_the_future_are_remarked_on() {
    use mailseal::warning::WarningCode;
    use mailseal::Time;
    let mut ring = ring(&["alice.pub", "bob.pub", "eve.pub"]);
    let raw = pgp_mime_signed("alice@example.org", f("entity.eml"), f("sig-alice.asc"));
    let open_at = |ring: &mut Keyring, now: Time| {
        open(ring, &[&PgpEngine], &raw, &OpenOptions::at(now)).unwrap()
    };
    let o = open_at(&mut ring, NOW);
    let signed_at = Time::from_rfc3339(o.signature.signed_at.as_deref().unwrap()).unwrap();
    let future = |o: &Opened| {
        o.warnings
            .iter()
            .any(|w| w.code == WarningCode::SignedInTheFuture)
    };
    assert!(!future(&o));
    assert!(!future(&open_at(&mut ring, signed_at.plus_secs(-3600))));
    let o = open_at(&mut ring, signed_at.plus_secs(-2 * 24 * 3600));
    assert!(future(&o), "{:?}", o.warnings);
}

#[test]
fn pgp_mime_signed_by_gpg_opens() {
    let mut ring = ring(&["alice.pub", "bob.pub", "eve.pub"]);
    let raw = pgp_mime_signed("alice@example.org", f("entity.eml"), f("sig-alice.asc"));
    let o = open_with(&mut ring, &raw);
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );
    assert!(o.text.unwrap().contains("Hello from the help desk."));

    let raw = pgp_mime_signed("eve@example.org", f("entity.eml"), f("sig-eve-revoked.asc"));
    let o = open_with(&mut ring, &raw);
    assert_eq!(o.signature.state, SignatureState::Revoked);
    assert_eq!(
        o.signature.detail.as_deref(),
        Some("The PGP signature key has been revoked.")
    );
}

#[test]
fn inline_pgp_in_text_bodies_opens() {
    let mut ring = ring(&["alice.sec", "bob.pub"]);
    let o = open_with(
        &mut ring,
        &inline("bob@example.org", f("clearsign-bob.asc")),
    );
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );
    assert!(o.text.unwrap().contains("Ticket #4711 is resolved."));

    let o = open_with(&mut ring, &inline("bob@example.org", f("signed-bob.asc")));
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );
    assert!(o.text.unwrap().contains("Ticket #4711 is resolved."));
}

/// `open` of a message it owns decodes and decrypts a PGP/MIME part in the message's own
/// buffer; a borrowed message (`open_async`) is opened from copies. Sweep 22 found shapes the
/// two read differently (tests/data/in-place/NOTES.md); each must now give the same report, and
/// the one the usual way gives:
/// - an armored message appended after the encrypted packet, or quoted inside signed text, is
///   not read as the message (the decoded packets were searched for armor again);
/// - markup before the packets is not taken off them (they were unwrapped as HTML);
/// - armor without its `=` padding, a first partial piece under 512 octets (RFC 9580
///   §4.2.1.4), 65 marker packets or a padding packet over 1 MiB are refused, as rPGP refuses
///   them;
/// - v6 session key packets before a SEIPD v1 are discarded (RFC 9580 §10.3.2.1).
#[test]
fn sweep_22_shapes_open_the_same_in_place_and_from_a_borrowed_message() {
    use mailseal::Engine;
    use EncryptionState::{Decrypted, Failed, NoKey};
    let bob: &[&str] = &["bob.sec", "alice.pub"];
    let carol: &[&str] = &["carol.sec"];
    let no_key = "There was no secret PGP key found.";
    type Case<'a> = (
        &'a str,
        &'a [&'a str],
        EncryptionState,
        SignatureState,
        Option<&'a str>,
    );
    let cases: [Case; 14] = [
        (
            "armor-appended-after-the-encrypted-packet.eml",
            bob,
            Decrypted,
            SignatureState::None,
            None,
        ),
        (
            "armor-appended-after-the-encrypted-packet.eml",
            carol,
            NoKey,
            SignatureState::None,
            None,
        ),
        (
            "signed-text-quoting-an-armored-message.eml",
            bob,
            EncryptionState::None,
            SignatureState::Valid,
            None,
        ),
        (
            "markup-before-the-packets.eml",
            bob,
            Failed,
            SignatureState::None,
            None,
        ),
        (
            "markup-before-the-packets.eml",
            carol,
            Failed,
            SignatureState::None,
            None,
        ),
        (
            "armor-without-padding.eml",
            bob,
            Failed,
            SignatureState::None,
            None,
        ),
        (
            "v6-pkesk-before-seipd-v1.eml",
            bob,
            NoKey,
            SignatureState::None,
            Some(no_key),
        ),
        (
            "v6-pkesk-to-a-stranger-and-v3-pkesk.eml",
            carol,
            NoKey,
            SignatureState::None,
            None,
        ),
        (
            "v6-skesk-before-seipd-v1.eml",
            bob,
            NoKey,
            SignatureState::None,
            Some(no_key),
        ),
        (
            "seipd-first-partial-piece-of-32.eml",
            bob,
            Failed,
            SignatureState::None,
            None,
        ),
        (
            "seipd-first-partial-piece-of-1.eml",
            bob,
            Failed,
            SignatureState::None,
            None,
        ),
        (
            "65-markers-before-the-pkesk.eml",
            bob,
            Failed,
            SignatureState::None,
            None,
        ),
        (
            "padding over 1 MiB",
            bob,
            Failed,
            SignatureState::None,
            None,
        ),
        (
            "padding of 1 MiB",
            bob,
            Decrypted,
            SignatureState::None,
            None,
        ),
    ];
    let opts = OpenOptions::at(NOW);
    let engines: [&dyn Engine; 1] = [&PgpEngine];
    for (name, reader, encryption, signature, detail) in cases {
        let message = match name {
            "padding over 1 MiB" => with_padding((1 << 20) + 1),
            "padding of 1 MiB" => with_padding(1 << 20),
            _ => fixture(&format!("in-place/{name}")).to_vec(),
        };
        let mut keys = ring(reader);
        let (borrowed, _) = mailseal::open_async(&keys, &engines, &message, &opts).ready();
        let owned = mailseal::open_owned(&mut keys, &engines, message.clone(), &opts);
        let json =
            |o: &mailseal::Result<Opened>| serde_json::to_value(o.as_ref().unwrap()).unwrap();
        assert_eq!(json(&borrowed), json(&owned), "{name} for {reader:?}");
        let o = owned.unwrap();
        assert_eq!(o.encryption.state, encryption, "{name} for {reader:?}");
        assert_eq!(o.signature.state, signature, "{name} for {reader:?}");
        if let Some(detail) = detail {
            assert_eq!(o.encryption.detail.as_deref(), Some(detail), "{name}");
        }
        if encryption != Decrypted && signature != SignatureState::Valid {
            assert!(
                o.text.is_none() && o.attachments.is_empty(),
                "{name}: nothing shown"
            );
        }
    }
    // What the appended armor held is not shown in its place.
    let message = fixture("in-place/armor-appended-after-the-encrypted-packet.eml");
    let o = open(&mut ring(bob), &engines, message, &opts).unwrap();
    assert_eq!(
        o.text.as_deref().map(str::trim),
        Some("Outer message: the real content.")
    );
}

/// gpg's message to Bob (tests/data/openpgp/enc-bob.gpg) with a padding packet of `len`
/// octets before it, armored in PGP/MIME.
fn with_padding(len: usize) -> Vec<u8> {
    use base64::Engine as _;
    let mut packets = vec![0xD5, 0xFF]; // new format, tag 21 (padding), a five-octet length
    packets.extend_from_slice(&u32::try_from(len).unwrap().to_be_bytes());
    packets.resize(packets.len() + len, 0);
    packets.extend_from_slice(f("enc-bob.gpg"));
    let b64 = base64::engine::general_purpose::STANDARD.encode(&packets);
    let mut armored = String::from("-----BEGIN PGP MESSAGE-----\r\n\r\n");
    for line in b64.as_bytes().chunks(64) {
        armored.push_str(std::str::from_utf8(line).unwrap());
        armored.push_str("\r\n");
    }
    armored.push_str("-----END PGP MESSAGE-----\r\n");
    pgp_mime_encrypted("Alice <alice@example.org>", armored.as_bytes())
}

/// What OpenPGP.js 6 writes (tests/data/openpgpjs/NOTES.md; sweep 23): a text signature over
/// text ending in a lone CR is `valid`, as gpg and OpenPGP.js read it (rPGP hashed an LF
/// after it); a file encrypted and mailed as the only part of a message is shown as the file
/// it holds, with its bytes, not read as a message (a PDF came out as text, a text file lost
/// its first lines as header fields).
#[test]
fn openpgp_js_text_signatures_and_files_mailed_alone() {
    let js = |name: &str| fixture(&format!("openpgpjs/{name}"));
    let opts = OpenOptions::at(NOW);
    let open_with_bob = |raw: &[u8]| {
        open(
            &mut ring(&["bob.sec", "alice.pub"]),
            &[&PgpEngine],
            raw,
            &opts,
        )
        .unwrap()
    };
    let o = open_with_bob(js("text-signed-ending-in-cr.eml"));
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature.detail
    );
    let o = open_with_bob(js("text-signed-and-encrypted-ending-in-cr.eml"));
    assert_eq!(o.encryption.state, EncryptionState::Decrypted);
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature.detail
    );
    for (message, file) in [
        ("pdf-file-alone.eml", "mini.pdf"),
        ("text-file-alone.eml", "notes.txt"),
    ] {
        let o = open_with_bob(js(message));
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{message}");
        assert_eq!(o.signature.state, SignatureState::Valid, "{message}");
        assert_eq!(o.attachments.len(), 1, "{message}: {:?}", o.text);
        assert_eq!(o.attachments[0].filename, file);
        assert_eq!(o.attachments[0].data, js(file), "{message}");
        assert!(
            o.text.as_deref().is_none_or(|t| t.trim().is_empty()),
            "{message}"
        );
    }
}

/// A marker or padding packet after the signature inside compressed data is no content that
/// the signature leaves uncovered (RFC 9580 §10.3): `valid`, as gpg and OpenPGP.js read it
/// (sweep 23). A literal packet there still makes it `invalid` (tests/interop_openpgp.rs).
#[test]
fn marker_or_padding_after_a_compressed_signed_message_is_not_more_content() {
    let opts = OpenOptions::at(NOW);
    for name in [
        "signed-compressed-then-marker.eml",
        "signed-compressed-then-padding.eml",
        "encrypted-signed-compressed-then-marker.eml",
    ] {
        let raw = fixture(&format!("openpgpjs/{name}"));
        let o = open(
            &mut ring(&["bob.sec", "alice.pub"]),
            &[&PgpEngine],
            raw,
            &opts,
        )
        .unwrap();
        assert_eq!(
            o.signature.state,
            SignatureState::Valid,
            "{name}: {:?}",
            o.signature.detail
        );
    }
}

// --- OpenPGP.js's curve448 keys (tests/data/openpgpjs/make-curve448.mjs) ----------------------

/// The passphrase of tests/data/openpgpjs/curve448-protected.sec.asc.
const CURVE448_PASSPHRASE: &str = "curve448 fixture passphrase";

/// A keyring with one OpenPGP.js fixture key (tests/data/openpgpjs), its secret imported and
/// the key verified by the admin; and what the import said of the key.
fn js_ring(file: &str, passphrase: Option<&str>) -> (Keyring, KeyInfo) {
    let opts = ImportOptions {
        trusted: true,
        passphrase: passphrase.map(|p| zeroize::Zeroizing::new(p.to_string())),
    };
    let mut ring = Keyring::new();
    let mut infos = ring
        .import(fixture(&format!("openpgpjs/{file}")), &opts, NOW)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(infos.len(), 1, "{file}");
    assert!(infos[0].has_secret && infos[0].can_encrypt, "{file}");
    (ring, infos.swap_remove(0))
}

fn dearmored(armored: &[u8]) -> Vec<u8> {
    let mut bin = Vec::new();
    std::io::Read::read_to_end(&mut pgp::armor::Dearmor::new(armored), &mut bin).unwrap();
    bin
}

/// The secret of the (last) secret-subkey packet of an unprotected v4 key as it is stored:
/// the `len` octets before the two-octet checksum. Read without rPGP's key parser.
fn stored_subkey_secret(armored: &[u8], len: usize) -> Vec<u8> {
    let bin = dearmored(armored);
    let mut rest = &bin[..];
    let mut found = None;
    while let Some((&ctb, after)) = rest.split_first() {
        assert_eq!(
            ctb & 0xC0,
            0xC0,
            "OpenPGP.js writes new-format packet headers"
        );
        let (body_len, after) = match after[0] {
            l @ 0..=191 => (usize::from(l), &after[1..]),
            l @ 192..=223 => (
                ((usize::from(l) - 192) << 8) + usize::from(after[1]) + 192,
                &after[2..],
            ),
            255 => (
                u32::from_be_bytes(after[1..5].try_into().unwrap()) as usize,
                &after[5..],
            ),
            _ => panic!("a partial length in a key"),
        };
        let (body, next) = after.split_at(body_len);
        if ctb & 0x3F == 7 {
            found = Some(body[body.len() - 2 - len..body.len() - 2].to_vec());
        }
        rest = next;
    }
    found.expect("a secret subkey packet")
}

/// The X448 or X25519 secret of the first subkey of an armored secret key as rPGP holds it,
/// unlocked with `passphrase`.
fn rpgp_subkey_secret(armored: &[u8], passphrase: &str) -> Vec<u8> {
    use pgp::composed::{Deserializable, SignedSecretKey};
    use pgp::types::{Password, PlainSecretParams, SecretParams};
    let (mut key, _) = SignedSecretKey::from_armor_single(armored).unwrap();
    let sub = &mut key.secret_subkeys[0].key;
    sub.remove_password(&Password::from(passphrase)).unwrap();
    match sub.secret_params() {
        SecretParams::Plain(PlainSecretParams::X448(k)) => k.as_bytes().to_vec(),
        SecretParams::Plain(PlainSecretParams::X25519(k)) => k.as_bytes().to_vec(),
        _ => panic!("not an unlocked X448 or X25519 subkey"),
    }
}

/// OpenPGP.js 6's curve448 keys (`generateKey({ type: 'curve448' })`: v4, an Ed448 primary key
/// and an X448 subkey) import, unprotected and protected: OpenPGP.js stores the X448 secret as
/// the 56 octets it drew, not clamped, and rPGP checked the v4 checksum over the clamped
/// octets, so the key was refused as damaged (sweep 23, medium). The PGP/MIME mail OpenPGP.js
/// signed with it (Ed448) and encrypted to it opens with either import, `valid`; so does the
/// mail it only signed.
#[test]
fn openpgp_js_curve448_keys_import_and_their_mail_opens() {
    let js = |name: &str| fixture(&format!("openpgpjs/{name}"));
    let stored = stored_subkey_secret(js("curve448.sec.asc"), 56);
    assert!(
        stored[0] & 3 != 0 || stored[55] & 0x80 == 0,
        "the fixture's X448 secret is to be stored unclamped (make-curve448.mjs)"
    );
    for (file, passphrase) in [
        ("curve448.sec.asc", None),
        ("curve448-protected.sec.asc", Some(CURVE448_PASSPHRASE)),
    ] {
        let (mut ring, info) = js_ring(file, passphrase);
        assert_eq!(info.algorithm, "ed448", "{file}");
        let o = open_with(&mut ring, js("curve448-signed-and-encrypted.eml"));
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{file}");
        assert_eq!(
            o.signature.state,
            SignatureState::Valid,
            "{file}: {:?}",
            o.signature.detail
        );
        assert!(
            o.text
                .as_deref()
                .is_some_and(|t| t.contains("The curve448 ticket is resolved.")),
            "{file}: {:?}",
            o.text
        );
        let o = open_with(&mut ring, js("curve448-signed.eml"));
        assert_eq!(
            o.signature.state,
            SignatureState::Valid,
            "{file}: {:?}",
            o.signature.detail
        );
    }
}

/// The X448 secret of an OpenPGP.js curve448 key is kept as stored: rPGP writes the
/// unprotected key back octet for octet (the same secret, the same two-octet checksum), a
/// sealed keyring holds it and opens its mail after unsealing, and the secret key mailseal
/// exports (passphrase-protected) holds the same 56 octets.
#[test]
fn openpgp_js_curve448_secret_keeps_its_stored_octets() {
    use pgp::composed::{Deserializable, SignedSecretKey};
    use pgp::ser::Serialize;
    let js = |name: &str| fixture(&format!("openpgpjs/{name}"));
    let (key, _) = SignedSecretKey::from_armor_single(js("curve448.sec.asc")).unwrap();
    assert_eq!(key.to_bytes().unwrap(), dearmored(js("curve448.sec.asc")));
    let stored = stored_subkey_secret(js("curve448.sec.asc"), 56);
    for (file, passphrase) in [
        ("curve448.sec.asc", None),
        ("curve448-protected.sec.asc", Some(CURVE448_PASSPHRASE)),
    ] {
        let (mut ring, info) = js_ring(file, passphrase);
        let exported = ring
            .export_secret(&info.id, "export pass", &mut rng(), NOW)
            .unwrap();
        assert_eq!(
            rpgp_subkey_secret(&exported, "export pass"),
            stored,
            "{file}"
        );
        let key = [7u8; 32];
        let sealed = ring.seal_with_key(&key, &mut rng()).unwrap();
        let mut back = Keyring::unseal_with_key(&sealed, &key).unwrap();
        let o = open_with(&mut back, js("curve448-signed-and-encrypted.eml"));
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{file}");
        assert_eq!(o.signature.state, SignatureState::Valid, "{file}");
    }
}

/// X25519 (algorithm 25) keeps its secret as stored too (x25519-dalek clamps when it computes,
/// not when it reads): a v4 key whose stored X25519 secret is not clamped imports, decrypts
/// OpenPGP.js's mail and is exported with the same 32 octets.
#[test]
fn an_unclamped_x25519_secret_key_imports_and_keeps_its_octets() {
    let js = |name: &str| fixture(&format!("openpgpjs/{name}"));
    let stored = stored_subkey_secret(js("curve25519-unclamped.sec.asc"), 32);
    assert!(
        stored[0] & 7 != 0 && stored[31] & 0x80 != 0,
        "the fixture's X25519 secret is to be stored unclamped (make-curve448.mjs)"
    );
    let (mut ring, info) = js_ring("curve25519-unclamped.sec.asc", None);
    let o = open_with(
        &mut ring,
        js("curve25519-unclamped-signed-and-encrypted.eml"),
    );
    assert_eq!(o.encryption.state, EncryptionState::Decrypted);
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature.detail
    );
    let exported = ring
        .export_secret(&info.id, "export pass", &mut rng(), NOW)
        .unwrap();
    assert_eq!(rpgp_subkey_secret(&exported, "export pass"), stored);
}

/// OpenPGP.js and Sequoia put a salt notation with flags 0x00 in the hashed area of every
/// signature. Sweep 23 set its first flags octet to 0x10 (tests/data/openpgpjs/NOTES.md,
/// tests/data/sequoia/NOTES.md): gpg and OpenPGP.js say BAD signature, and mailseal read
/// `valid`, because rPGP hashed the subpackets it had parsed, written again (the notation's
/// flags as 0x00 or 0x80). The hashed area is now hashed as it was read (RFC 9580 §5.2.4):
/// `invalid`, through rPGP's verification (cleartext, a text signature) and mailseal's own
/// (PGP/MIME, a binary signature hashed on the crypto provider). The unaltered messages read
/// `valid`.
#[test]
fn a_salt_notation_with_altered_flags_is_not_valid() {
    use mailseal::{ImportOptions, Time};
    // sq-one was made on 2026-12-07, after NOW: judged at 2026-12-31 (sweep 23's clock).
    const LATER: Time = Time::from_unix(1_798_675_200);
    let trusted = ImportOptions {
        trusted: true,
        ..ImportOptions::default()
    };
    let cases = [
        ("openpgpjs/cleartext-signed", "openpgp/bob.pub.asc"),
        ("openpgpjs/pgp-mime-signed", "openpgp/bob.pub.asc"),
        ("sequoia/cleartext-signed", "sequoia/sq-one.pub.asc"),
    ];
    for (name, key) in cases {
        for (altered, expected) in [
            ("", SignatureState::Valid),
            ("-notation-flag-altered", SignatureState::Invalid),
        ] {
            let mut ring = Keyring::new();
            ring.import(fixture(key), &trusted, LATER).unwrap();
            let raw = fixture(&format!("{name}{altered}.eml"));
            let o = open(&mut ring, &[&PgpEngine], raw, &OpenOptions::at(LATER)).unwrap();
            assert_eq!(
                o.signature.state, expected,
                "{name}{altered}: {:?}",
                o.signature.detail
            );
        }
    }
}

/// An armor block with a checksum line and no data, in PGP/MIME and inline: read as an empty
/// (failed) message both ways, in place and from a borrowed copy. The armor reader made a range
/// that ended before it started and slicing with it panicked, which in wasm ends the module
/// instance for the whole page.
#[test]
fn an_armor_block_with_only_a_checksum_does_not_panic() {
    let opts = OpenOptions::at(NOW);
    let engines: [&dyn mailseal::Engine; 1] = [&PgpEngine];
    for armored in [
        &b"-----BEGIN PGP MESSAGE-----\r\n\r\n=abcd\r\n-----END PGP MESSAGE-----\r\n"[..],
        b"-----BEGIN PGP MESSAGE-----\r\n=abcd\r\n\r\n-----END PGP MESSAGE-----\r\n",
    ] {
        for message in [
            pgp_mime_encrypted("alice@example.org", armored),
            inline("alice@example.org", armored),
        ] {
            let mut keys = ring(&["bob.sec"]);
            let (borrowed, _) = mailseal::open_async(&keys, &engines, &message, &opts).ready();
            let owned = mailseal::open_owned(&mut keys, &engines, message.clone(), &opts);
            let (borrowed, owned) = (borrowed.unwrap(), owned.unwrap());
            assert_ne!(owned.encryption.state, EncryptionState::Decrypted);
            assert_eq!(borrowed.encryption.state, owned.encryption.state);
        }
    }
}

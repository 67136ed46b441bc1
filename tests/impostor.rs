//! Impostor OpenPGP keys (issue 13, high): anyone can make a key whose user id names
//! alice@example.org, and give it any creation time. Such a key, merely imported, must never
//! make mail `valid`, never receive the desk's mail to Alice when Alice's verified key is
//! there, and must show as a conflict to the admin. The same for S/MIME: anyone can make a
//! certificate for bob@example.com; a CA-issued one wins over it, whatever the dates say.
//!
//! The impostor keys and the clearsigned mail are gpg- and openssl-made fixtures
//! (tests/data/impostor, NOTES.md there); Alice's real key is tests/data/openpgp/alice.*, Bob's
//! certificate tests/data/smime/bob.*. Runs natively and in wasm.

mod common;

use common::{fixture, ring_of as ring, rng, smime_ring, NOW};
use mailseal::capabilities::check;
use mailseal::mime::Draft;
use mailseal::standards::all as engines;
use mailseal::{
    capabilities, open, protect, Addresses, EncryptionState, ErrorCode, ImportOptions, Keyring,
    Message, Method, MethodCapabilities, MethodChoice, OpenOptions, Opened, Policy, ProtectOptions,
    SignatureState,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const ALICE: &str = "alice@example.org";

fn fpr(file: &str) -> String {
    String::from_utf8_lossy(fixture(file)).trim().to_string()
}

fn alice_id() -> String {
    fpr("openpgp/alice.fpr")
}

fn impostor_id() -> String {
    fpr("impostor/impostor-alice.fpr")
}

/// The desk: its own key (bob), Alice's key verified by the admin and the impostor's key merely
/// imported, in the order given.
fn desk(impostor_first: bool) -> Keyring {
    let mut files = vec!["openpgp/bob.sec.asc"];
    let pair = [
        "trusted:openpgp/alice.pub.asc",
        "impostor/impostor-alice.pub.asc",
    ];
    if impostor_first {
        files.extend(pair.iter().rev());
    } else {
        files.extend(pair);
    }
    ring(&files)
}

/// What the composer sees for OpenPGP when bob@example.org writes to Alice.
fn pgp_capabilities_to_alice(ring: &Keyring) -> MethodCapabilities {
    capabilities_of(ring, Method::Pgp, "bob@example.org", ALICE)
}

/// What the composer sees for `method` when `from` writes to `to`.
fn capabilities_of(ring: &Keyring, method: Method, from: &str, to: &str) -> MethodCapabilities {
    let caps = capabilities(
        ring,
        &engines(),
        &Policy::default(),
        &Addresses {
            from: from.into(),
            to: vec![to.into()],
            ..Addresses::default()
        },
        NOW,
    );
    caps.methods
        .into_iter()
        .find(|m| m.method == method)
        .expect("an answer for the method")
}

fn open_with(ring: &mut Keyring, raw: &[u8]) -> Opened {
    open(ring, &engines(), raw, &OpenOptions::at(NOW)).expect("open")
}

fn draft(from: &str, to: &str) -> Draft {
    Draft {
        from: from.to_string(),
        to: vec![to.to_string()],
        subject: "Ticket #4711".to_string(),
        text: Some("Your refund was approved.".to_string()),
        message_id: Some("4711@desk.example".to_string()),
        ..Draft::default()
    }
}

fn protect_pgp(ring: &mut Keyring, draft: &Draft, sign: bool, encrypt: bool) -> Vec<u8> {
    protect_as(MethodChoice::Pgp, ring, draft, sign, encrypt)
}

fn protect_as(
    method: MethodChoice,
    ring: &mut Keyring,
    draft: &Draft,
    sign: bool,
    encrypt: bool,
) -> Vec<u8> {
    let mut opts = ProtectOptions::new(sign, encrypt, NOW);
    opts.method = method;
    opts.encrypt_to_self = false;
    let out = protect(ring, &engines(), Message::Draft(draft), &opts, &mut rng())
        .unwrap_or_else(|e| panic!("protect: {e}"));
    assert_eq!(out.deliveries.len(), 1);
    out.deliveries[0].mime.clone()
}

#[test]
fn mail_clearsigned_by_the_impostor_is_not_valid() {
    for impostor_first in [false, true] {
        let mut desk = desk(impostor_first);
        let o = open_with(&mut desk, fixture("impostor/clearsigned-as-alice.eml"));
        assert_eq!(
            o.signature.state,
            SignatureState::Untrusted,
            "{:?}",
            o.signature
        );
        let signer = o.signature.signer.as_ref().expect("signer named");
        assert_eq!(signer.key_id, impostor_id());
        assert!(
            o.signature
                .detail
                .as_deref()
                .unwrap_or("")
                .contains("not been verified"),
            "{:?}",
            o.signature.detail
        );
    }
}

#[test]
fn pgp_mime_signed_by_the_impostor_is_not_valid_even_alone() {
    // The impostor signs "as Alice" with its own secret key.
    let mut forger = ring(&["impostor/impostor-alice.sec.asc"]);
    let forged = protect_pgp(
        &mut forger,
        &draft(ALICE, "support@example.com"),
        true,
        false,
    );
    for mut reader in [
        desk(false),
        desk(true),
        ring(&["impostor/impostor-alice.pub.asc"]),
    ] {
        let o = open_with(&mut reader, &forged);
        assert_eq!(
            o.signature.state,
            SignatureState::Untrusted,
            "{:?}",
            o.signature
        );
    }
}

#[test]
fn mail_signed_by_the_verified_key_stays_valid() {
    let mut alice = ring(&["openpgp/alice.sec.asc"]);
    let genuine = protect_pgp(
        &mut alice,
        &draft(ALICE, "support@example.com"),
        true,
        false,
    );
    for impostor_first in [false, true] {
        let o = open_with(&mut desk(impostor_first), &genuine);
        assert_eq!(
            o.signature.state,
            SignatureState::Valid,
            "{:?}",
            o.signature
        );
        assert_eq!(o.signature.signer.as_ref().unwrap().key_id, alice_id());
    }
    // The same key merely imported vouches for nothing.
    let o = open_with(&mut ring(&["openpgp/alice.pub.asc"]), &genuine);
    assert_eq!(o.signature.state, SignatureState::Untrusted);
}

#[test]
fn replies_to_alice_go_to_her_verified_key_only() {
    for impostor_first in [false, true] {
        let mut desk = desk(impostor_first);
        let reply = protect_pgp(&mut desk, &draft("bob@example.org", ALICE), false, true);
        let o = open_with(&mut ring(&["openpgp/alice.sec.asc"]), &reply);
        assert_eq!(
            o.encryption.state,
            EncryptionState::Decrypted,
            "{:?}",
            o.encryption
        );
        let o = open_with(&mut ring(&["impostor/impostor-alice.sec.asc"]), &reply);
        assert_eq!(
            o.encryption.state,
            EncryptionState::NoKey,
            "{:?}",
            o.encryption
        );
    }
}

#[test]
fn the_conflict_is_reported_to_the_admin_and_the_composer() {
    let desk = desk(false);
    let conflicts = desk.conflicts(NOW);
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].address, ALICE);
    assert_eq!(conflicts[0].keys, [alice_id(), impostor_id()]);
    assert_eq!(conflicts[0].verified, [alice_id()]);

    let alice = desk.get(&alice_id(), NOW).unwrap();
    assert_eq!(alice.conflicts, [impostor_id()]);
    assert!(alice.trusted);
    let impostor = desk.get(&impostor_id(), NOW).unwrap();
    assert_eq!(impostor.conflicts, [alice_id()]);
    assert!(!impostor.trusted);
    assert!(desk
        .list(NOW)
        .iter()
        .any(|k| k.id == impostor_id() && !k.conflicts.is_empty()));
    // by_address puts the verified key first although the impostor's is newer.
    assert_eq!(desk.by_address(ALICE, NOW)[0].id, alice_id());

    let pgp = pgp_capabilities_to_alice(&desk);
    assert!(pgp.can_encrypt);
    assert!(
        pgp.key_notes
            .iter()
            .any(|n| n.contains(ALICE) && n.contains(&impostor_id())),
        "{:?}",
        pgp.key_notes
    );

    let readiness = check(
        &desk,
        &engines(),
        &Policy::default(),
        &["bob@example.org".into()],
        NOW,
    );
    assert_eq!(readiness.conflicts, conflicts);
    assert!(
        readiness.details.iter().any(|d| d.contains(ALICE)),
        "{:?}",
        readiness.details
    );
}

#[test]
fn two_unverified_keys_for_one_address_are_not_guessed_between() {
    let mut desk = ring(&[
        "openpgp/bob.sec.asc",
        "openpgp/alice.pub.asc",
        "impostor/impostor-alice.pub.asc",
    ]);
    let pgp = pgp_capabilities_to_alice(&desk);
    assert!(!pgp.can_encrypt);
    assert_eq!(pgp.missing, [ALICE]);
    assert!(
        pgp.encrypt_details[0].contains("none of them has been verified"),
        "{:?}",
        pgp.encrypt_details
    );

    let mut opts = ProtectOptions::new(false, true, NOW);
    opts.method = MethodChoice::Pgp;
    let draft = draft("bob@example.org", ALICE);
    let e = protect(
        &mut desk,
        &engines(),
        Message::Draft(&draft),
        &opts,
        &mut rng(),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::RecipientKeyMissing, "{e}");
    assert!(desk.conflicts(NOW)[0].verified.is_empty());
    // With the method chosen per recipient, the error names the conflict to settle, not
    // S/MIME's "no certificate" (key sweep).
    opts.method = MethodChoice::Auto;
    let e = protect(
        &mut desk,
        &engines(),
        Message::Draft(&draft),
        &opts,
        &mut rng(),
    )
    .unwrap_err();
    assert!(
        e.message().contains("none of them has been verified"),
        "{e}"
    );
}

#[test]
fn a_single_unverified_key_is_used_with_a_note() {
    let desk = ring(&["openpgp/bob.sec.asc", "openpgp/alice.pub.asc"]);
    let pgp = pgp_capabilities_to_alice(&desk);
    assert!(pgp.can_encrypt);
    assert!(
        pgp.key_notes
            .iter()
            .any(|n| n.contains("not been verified")),
        "{:?}",
        pgp.key_notes
    );
    assert!(desk.conflicts(NOW).is_empty());
}

/// S/MIME: a self-made certificate for bob@example.com, newer than the one his CA issued,
/// merely imported (in either order). Mail to Bob is encrypted to the CA-issued certificate
/// only: Bob opens it, the impostor cannot. The composer is told about the other certificate.
#[test]
fn smime_mail_to_bob_goes_to_his_ca_issued_certificate() {
    let bob = "bob@example.com";
    let real = fixture("smime/bob.crt");
    let fake = fixture("impostor/impostor-bob.crt");
    let mut impostor = Keyring::new();
    let mut pem = fake.to_vec();
    pem.extend_from_slice(fixture("impostor/impostor-bob.key"));
    impostor
        .import(&pem, &ImportOptions::default(), NOW)
        .unwrap();
    for order in [[real, fake], [fake, real]] {
        let mut desk = smime_ring(&["alice"]);
        for cert in order {
            desk.import(cert, &ImportOptions::default(), NOW).unwrap();
        }
        let smime = capabilities_of(&desk, Method::Smime, "alice@example.com", bob);
        assert!(smime.can_encrypt);
        assert!(
            smime
                .key_notes
                .iter()
                .any(|n| n.contains("no trusted certification authority issued it")),
            "{:?}",
            smime.key_notes
        );
        let mail = protect_as(
            MethodChoice::Smime,
            &mut desk,
            &draft("alice@example.com", bob),
            false,
            true,
        );
        let opened = open_with(&mut smime_ring(&["bob"]), &mail);
        assert_eq!(opened.encryption.state, EncryptionState::Decrypted);
        let opened = open_with(&mut impostor, &mail);
        assert_ne!(opened.encryption.state, EncryptionState::Decrypted);
    }
}

/// An S/MIME certificate that no trusted CA issued, the only one for its address: mail is
/// encrypted to it (as to an unverified OpenPGP key) and the composer says so.
#[test]
fn a_single_unvouched_certificate_is_used_with_a_note() {
    let mut desk = smime_ring(&["alice"]);
    desk.import(
        fixture("impostor/impostor-bob.crt"),
        &ImportOptions::default(),
        NOW,
    )
    .unwrap();
    let smime = capabilities_of(&desk, Method::Smime, "alice@example.com", "bob@example.com");
    assert!(smime.can_encrypt);
    assert!(
        smime
            .key_notes
            .iter()
            .any(|n| n.contains("not issued by a trusted certification authority")),
        "{:?}",
        smime.key_notes
    );
}

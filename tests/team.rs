//! Team identities (issue 16): three members share support@'s keys through a team bundle.
//! Each opens mail to support@ and signs as support@; a removed member's key opens nothing
//! current; after a rotation new mail uses the new key and old mail still opens; a bundle
//! with a flipped byte, a dropped change or an older version is refused with a typed error
//! and the member's last good state stays.

mod common;

use common::{rng, NOW};
use mailseal::{
    open, protect, EncryptionState, ErrorCode, GenerateOpenPgp, ImportOptions, Keyring, Message,
    MethodChoice, OpenOptions, PgpEngine, PgpKeyAlgorithm, ProtectOptions, SignatureState,
    TeamRotation, Time,
};

const DESK: &str = "support@example.org";
const CUSTOMER: &str = "carla@example.net";

fn later(days: i64) -> Time {
    NOW.plus_secs(days * 86_400)
}

/// Each member's randomness is their own (the shared `rng()` is one fixed seed).
fn member(name: &str) -> (Keyring, mailseal::MemberPublic) {
    use rand_core::SeedableRng as _;
    let seed = name
        .bytes()
        .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let mut own = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    let mut ring = Keyring::new();
    let public = ring.member_key(name, &mut own, NOW).unwrap();
    (ring, public)
}

/// The customer's side: the desk's public key, vouched for.
fn customer(desk_public: &str) -> Keyring {
    let mut ring = Keyring::new();
    let trusted = ImportOptions {
        trusted: true,
        ..Default::default()
    };
    ring.import(desk_public.as_bytes(), &trusted, NOW).unwrap();
    ring
}

fn mail(from: &str, to: &str, text: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: Ticket\r\nDate: Tue, 01 Dec 2026 00:00:00 +0000\r\n\
         Message-ID: <t@example.org>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    )
    .into_bytes()
}

fn send(ring: &mut Keyring, raw: &[u8], sign: bool, encrypt: bool, now: Time) -> Vec<u8> {
    let mut opts = ProtectOptions::new(sign, encrypt, now);
    opts.method = MethodChoice::Pgp;
    let out = protect(ring, &[&PgpEngine], Message::Raw(raw), &opts, &mut rng()).expect("protect");
    out.deliveries[0].mime.clone()
}

#[test]
fn three_members_share_support_and_removal_rotation_and_tampering_behave() {
    let (mut alice, _) = member("Alice (agent)");
    let (mut bob, bob_public) = member("Bob (agent)");
    let (mut edge, edge_public) = member("Worker (edge)");

    // Alice makes support@'s key in a team keyring and the team around it.
    let mut identity = Keyring::new();
    let desk_key = identity
        .generate_openpgp(
            &GenerateOpenPgp {
                address: DESK.into(),
                name: Some("Example Support".into()),
                ..Default::default()
            },
            &mut rng(),
            NOW,
        )
        .unwrap();
    let b0 = alice.team_create(DESK, &identity, &mut rng(), NOW).unwrap();
    let b1 = alice
        .team_add_member(&b0, &bob_public, &mut rng(), NOW)
        .unwrap();
    let b2 = bob
        .team_add_member(&b1, &edge_public, &mut rng(), NOW)
        .unwrap();

    // A customer writes to support@, encrypted; every member reads it and answers, signed as
    // support@; the customer finds each answer valid.
    let mut carla = customer(&desk_key.public_key);
    let to_desk = send(
        &mut {
            let mut r = customer(&desk_key.public_key);
            r.import(
                desk_key.public_key.as_bytes(),
                &ImportOptions::default(),
                NOW,
            )
            .unwrap();
            r
        },
        &mail(CUSTOMER, DESK, "My printer is on fire."),
        false,
        true,
        NOW,
    );
    for (who, ring) in [
        ("alice", &mut alice),
        ("bob", &mut bob),
        ("edge", &mut edge),
    ] {
        let mut team = ring
            .team_open(&b2, NOW)
            .unwrap_or_else(|e| panic!("{who}: {e}"));
        assert_eq!(team.members.len(), 3, "{who}");
        let opened = open(
            &mut team.identity,
            &[&PgpEngine],
            &to_desk,
            &OpenOptions::at(NOW),
        )
        .unwrap();
        assert_eq!(opened.encryption.state, EncryptionState::Decrypted, "{who}");
        assert!(opened
            .text
            .unwrap_or_default()
            .contains("printer is on fire"));
        let answer = send(
            &mut team.identity,
            &mail(DESK, CUSTOMER, "Water helps."),
            true,
            false,
            NOW,
        );
        let read = open(&mut carla, &[&PgpEngine], &answer, &OpenOptions::at(NOW)).unwrap();
        assert_eq!(read.signature.state, SignatureState::Valid, "{who}");
        // The chain says who did what, by name.
        let kinds: Vec<_> = team
            .changes
            .iter()
            .map(|c| (c.kind, c.by.clone()))
            .collect();
        assert_eq!(kinds[0].1, "Alice (agent)");
        assert_eq!(kinds[2].1, "Bob (agent)");
        assert_eq!(team.changes[2].member.as_deref(), Some("Worker (edge)"));
    }
    assert!(alice
        .recent_log()
        .iter()
        .any(|e| e.action == "team_add_member"));
    assert!(bob
        .recent_log()
        .iter()
        .any(|e| e.action == "team_add_member"));

    // Bob removes the Worker: its key no longer opens the current bundle.
    let b3 = bob
        .team_remove_member(&b2, &edge_public.id, &mut rng(), later(1))
        .unwrap();
    assert_eq!(
        edge.team_open(&b3, later(1)).unwrap_err().code(),
        ErrorCode::NotAMember
    );
    assert_eq!(alice.team_open(&b3, later(1)).unwrap().members.len(), 2);

    // Alice rotates: a new OpenPGP key; new mail uses it, old mail still opens.
    let rotated = alice
        .team_rotate(
            &b3,
            &TeamRotation {
                openpgp: Some(PgpKeyAlgorithm::Curve25519),
                smime: None,
            },
            &mut rng(),
            later(2),
        )
        .unwrap();
    let new_key = rotated.openpgp.clone().expect("a new key");
    assert_ne!(new_key.key.id, desk_key.key.id);
    let b4 = rotated.bundle;
    let mut team = bob.team_open(&b4, later(2)).unwrap();
    let old = open(
        &mut team.identity,
        &[&PgpEngine],
        &to_desk,
        &OpenOptions::at(later(2)),
    )
    .unwrap();
    assert_eq!(
        old.encryption.state,
        EncryptionState::Decrypted,
        "old mail still opens"
    );
    let answer = send(
        &mut team.identity,
        &mail(DESK, CUSTOMER, "New key."),
        true,
        false,
        later(2),
    );
    let mut carla_new = customer(&new_key.public_key);
    let read = open(
        &mut carla_new,
        &[&PgpEngine],
        &answer,
        &OpenOptions::at(later(2)),
    )
    .unwrap();
    assert_eq!(read.signature.state, SignatureState::Valid);
    assert_eq!(
        read.signature.signer.unwrap().key_id.to_uppercase(),
        new_key.key.id,
        "signed with the new key"
    );

    // Tampering: a flipped byte, a dropped change, an older version. Each is refused with a
    // typed error, and Bob's last good state stays: the current bundle still opens.
    let mut flipped = b4.clone();
    let at = flipped.len() / 2;
    flipped[at] ^= 0x01;
    let code = bob.team_open(&flipped, later(3)).unwrap_err().code();
    assert!(
        matches!(code, ErrorCode::TeamRefused | ErrorCode::CorruptVault),
        "{code:?}"
    );
    let mut json: serde_json::Value = serde_json::from_slice(&b4).unwrap();
    json["changes"].as_array_mut().unwrap().remove(2);
    let dropped = serde_json::to_vec(&json).unwrap();
    assert_eq!(
        bob.team_open(&dropped, later(3)).unwrap_err().code(),
        ErrorCode::TeamRefused
    );
    assert_eq!(
        bob.team_open(&b3, later(3)).unwrap_err().code(),
        ErrorCode::TeamRolledBack
    );
    assert!(
        bob.team_open(&b4, later(3)).is_ok(),
        "the last good state stays"
    );
    // The checkpoint is sealed with Bob's keyring: a rollback is refused after a restart too.
    let mut bob_again =
        Keyring::unseal(&bob.seal("bob's pass", &mut rng()).unwrap(), "bob's pass").unwrap();
    assert_eq!(
        bob_again.team_open(&b3, later(3)).unwrap_err().code(),
        ErrorCode::TeamRolledBack
    );
    assert!(bob_again
        .recent_log()
        .iter()
        .any(|e| e.action == "team_open" && e.outcome == "error"));
}

#[test]
fn member_keys_and_team_inputs_are_checked() {
    let mut ring = Keyring::new();
    let identity = Keyring::new();
    assert_eq!(
        ring.team_create(DESK, &identity, &mut rng(), NOW)
            .unwrap_err()
            .code(),
        ErrorCode::KeyNotFound,
        "a member key first"
    );
    let me = ring.member_key("Me", &mut rng(), NOW).unwrap();
    assert_eq!(
        ring.member_key("Me, renamed", &mut rng(), NOW).unwrap().id,
        me.id,
        "one key per keyring"
    );
    assert_eq!(
        ring.member_key("", &mut rng(), NOW).unwrap_err().code(),
        ErrorCode::BadInput
    );
    assert_eq!(
        ring.team_create("no address", &identity, &mut rng(), NOW)
            .unwrap_err()
            .code(),
        ErrorCode::BadInput
    );
    let bundle = ring.team_create(DESK, &identity, &mut rng(), NOW).unwrap();
    let mut forged = me.clone();
    forged.wrap = "00".repeat(31);
    assert_eq!(
        ring.team_add_member(&bundle, &forged, &mut rng(), NOW)
            .unwrap_err()
            .code(),
        ErrorCode::BadInput
    );
    assert_eq!(
        ring.team_add_member(&bundle, &me, &mut rng(), NOW)
            .unwrap_err()
            .code(),
        ErrorCode::BadInput,
        "already a member"
    );
    assert_eq!(
        ring.team_remove_member(&bundle, &me.id, &mut rng(), NOW)
            .unwrap_err()
            .code(),
        ErrorCode::BadInput,
        "not the last member"
    );
    for junk in [&b""[..], b"{}", b"not json", b"{\"format\":\"mailseal-team/9\",\"address\":\"a@b\",\"changes\":[],\"identity\":\"\",\"wraps\":[]}"] {
        let code = ring.team_open(junk, NOW).unwrap_err().code();
        assert!(
            matches!(code, ErrorCode::TeamRefused | ErrorCode::UnsupportedFormat),
            "{code:?}"
        );
    }
}

/// Anyone can create a team of the same address and add a member's public member key to it
/// (here Mallory, with a verified key for the CEO in its keyring). A member who opens a bundle
/// for the first time, and every new Worker isolate, has no checkpoint to tell: with the pin
/// the team gave it (`OpenedTeam::pin`, the hash of its creation) the other team is refused;
/// the real one opens (found by the key sweep).
#[test]
fn a_team_made_by_someone_else_under_the_same_address_is_refused_by_its_pin() {
    let (mut alice, _) = member("Alice (agent)");
    let (_, bob_public) = member("Bob (agent)");
    let (mut mallory, _) = member("Mallory");
    let identity = Keyring::new();
    let real = alice.team_create(DESK, &identity, &mut rng(), NOW).unwrap();
    let real = alice
        .team_add_member(&real, &bob_public, &mut rng(), NOW)
        .unwrap();
    let pin = alice.team_open(&real, NOW).unwrap().pin;
    assert_eq!(pin.len(), 64);

    let mut forged_identity = Keyring::new();
    let verified = ImportOptions {
        trusted: true,
        ..Default::default()
    };
    forged_identity
        .import(common::fixture("openpgp/eve.pub.asc"), &verified, NOW)
        .unwrap();
    let forged = mallory
        .team_create(DESK, &forged_identity, &mut rng(), NOW)
        .unwrap();
    let forged = mallory
        .team_add_member(&forged, &bob_public, &mut rng(), NOW)
        .unwrap();

    let (mut bob, _) = member("Bob (agent)");
    let refused = bob.team_open_pinned(&forged, Some(&pin), NOW).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::TeamRefused);
    let opened = bob.team_open_pinned(&real, Some(&pin), NOW).unwrap();
    assert_eq!(opened.pin, pin);
    // Once a bundle of the team was opened here, the checkpoint refuses the other one anyway.
    assert_eq!(
        bob.team_open(&forged, NOW).unwrap_err().code(),
        ErrorCode::TeamRefused
    );

    // No team of another spelling of the address (`support@example.org.`) is made here.
    assert_eq!(
        mallory
            .team_create(&format!("{DESK}."), &Keyring::new(), &mut rng(), NOW)
            .unwrap_err()
            .code(),
        ErrorCode::BadInput
    );
}

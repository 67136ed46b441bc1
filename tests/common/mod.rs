//! Shared test support: the committed fixtures (embedded, so the same tests run natively and
//! in wasm under Node), a fixed clock and a seeded RNG.
#![allow(dead_code)]

#[cfg(not(target_arch = "wasm32"))]
pub mod tools;

use include_dir::{include_dir, Dir};
use mailseal::Time;
use rand_chacha::rand_core::SeedableRng;

/// tests/data, embedded at compile time.
pub static DATA: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/tests/data");

/// A fixture's bytes by its path relative to tests/data.
pub fn fixture(path: &str) -> &'static [u8] {
    match DATA.get_file(path) {
        Some(f) => f.contents(),
        None => panic!("missing fixture {path}"),
    }
}

/// The fixtures manifest written by tests/data/make-keys.sh.
pub fn expected() -> serde_json::Value {
    serde_json::from_slice(fixture("keys/expected.json")).expect("expected.json parses")
}

/// 2026-12-01T00:00:00Z, the clock the key fixtures were made for.
pub const NOW: Time = Time::from_unix(1_796_083_200);

/// A keyring with these fixtures imported at NOW; `trusted:` before a name marks a trust
/// anchor (S/MIME) or a key the admin verified (OpenPGP).
pub fn ring_of(files: &[&str]) -> mailseal::Keyring {
    let mut ring = mailseal::Keyring::new();
    for f in files {
        let (file, trusted) = match f.strip_prefix("trusted:") {
            Some(file) => (file, true),
            None => (*f, false),
        };
        let opts = mailseal::ImportOptions {
            trusted,
            ..mailseal::ImportOptions::default()
        };
        ring.import(fixture(file), &opts, NOW)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    ring
}

/// A keyring with these OpenPGP fixtures (tests/data/openpgp, e.g. "alice.sec", "eve.pub"),
/// every key as verified by the admin (`trusted`): only such keys make signatures `valid`
/// (tests/impostor.rs shows what keys that are merely present do).
pub fn pgp_ring(files: &[&str]) -> mailseal::Keyring {
    let verified = mailseal::ImportOptions {
        trusted: true,
        ..mailseal::ImportOptions::default()
    };
    let mut ring = mailseal::Keyring::new();
    for file in files {
        ring.import(fixture(&format!("openpgp/{file}.asc")), &verified, NOW)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    ring
}

/// The fingerprint of an OpenPGP fixture key, from tests/data/openpgp/WHO.fpr.
pub fn pgp_fpr(who: &str) -> String {
    String::from_utf8_lossy(fixture(&format!("openpgp/{who}.fpr")))
        .trim()
        .to_string()
}

/// A keyring with the S/MIME test root (tests/data/smime) as trust anchor, the intermediate,
/// and the named people's certificates with their private keys.
pub fn smime_ring(people: &[&str]) -> mailseal::Keyring {
    let smime = |name: &str| fixture(&format!("smime/{name}"));
    let plain = mailseal::ImportOptions::default();
    let trusted = mailseal::ImportOptions {
        trusted: true,
        ..Default::default()
    };
    let mut ring = mailseal::Keyring::new();
    ring.import(smime("root-ca.crt"), &trusted, NOW)
        .expect("root");
    ring.import(smime("int-ca.crt"), &plain, NOW)
        .expect("intermediate");
    for p in people {
        let mut pem = smime(&format!("{p}.crt")).to_vec();
        pem.extend_from_slice(smime(&format!("{p}.key")));
        ring.import(&pem, &plain, NOW)
            .unwrap_or_else(|e| panic!("{p}: {e}"));
    }
    ring
}

/// A write context at NOW.
pub fn write_ctx<'a>(
    rng: &'a mut rand_chacha::ChaCha20Rng,
    algorithms: &'a mailseal::Algorithms,
) -> mailseal::WriteContext<'a> {
    mailseal::WriteContext {
        now: NOW,
        rng,
        algorithms,
    }
}

/// The body of a CRLF entity (after the first empty line).
pub fn body_of(part: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(part.to_vec()).unwrap();
    text.split_once("\r\n\r\n").unwrap().1.as_bytes().to_vec()
}

/// A deterministic RNG for tests.
pub fn rng() -> rand_chacha::ChaCha20Rng {
    rand_chacha::ChaCha20Rng::seed_from_u64(7)
}

/// `.ready()` on an engine's future: its output, which natively (RustCrypto) is there at the
/// first poll. Panics if it is not, which would mean an asynchronous provider in a native test.
pub trait Ready: std::future::Future + Sized {
    fn ready(self) -> Self::Output {
        let mut future = std::pin::pin!(self);
        let waker = std::task::Waker::noop();
        match future
            .as_mut()
            .poll(&mut std::task::Context::from_waker(waker))
        {
            std::task::Poll::Ready(out) => out,
            std::task::Poll::Pending => panic!("the engine's future was not ready at once"),
        }
    }
}

impl<F: std::future::Future> Ready for F {}

/// The secret key of an OpenPGP fixture (tests/data, armored) with one more User ID,
/// self-signed on 2026-09-01: what anyone can make of their own key (a second address).
pub fn pgp_key_with_user_id(fixture_path: &str, user_id: &str) -> pgp::composed::SignedSecretKey {
    pgp_key_with_user_id_and(fixture_path, user_id, Vec::new())
}

/// [`pgp_key_with_user_id`] with `more` hashed subpackets on the User ID's self-signature.
pub fn pgp_key_with_user_id_and(
    fixture_path: &str,
    user_id: &str,
    more: Vec<pgp::packet::SubpacketData>,
) -> pgp::composed::SignedSecretKey {
    use pgp::composed::{Deserializable, SignedSecretKey};
    use pgp::packet::{SignatureConfig, SignatureType, Subpacket, SubpacketData, UserId};
    use pgp::types::{KeyDetails, PacketHeaderVersion, Password, Tag, Timestamp};
    let (mut key, _) = SignedSecretKey::from_armor_single(fixture(fixture_path)).unwrap();
    let uid = UserId::from_str(PacketHeaderVersion::New, user_id).unwrap();
    let mut config =
        SignatureConfig::from_key(rng(), &key.primary_key, SignatureType::CertPositive).unwrap();
    config.hashed_subpackets = vec![
        Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
            1_788_220_800,
        )))
        .unwrap(),
        Subpacket::regular(SubpacketData::IssuerFingerprint(
            key.primary_key.fingerprint(),
        ))
        .unwrap(),
    ];
    for data in more {
        config
            .hashed_subpackets
            .push(Subpacket::regular(data).unwrap());
    }
    let sig = config
        .sign_certification(
            &key.primary_key,
            key.primary_key.public_key(),
            &Password::empty(),
            Tag::UserId,
            &uid,
        )
        .unwrap();
    key.details
        .users
        .push(pgp::types::SignedUser::new(uid, vec![sig]));
    key
}

/// Where the body of the first hashed subpacket of type `typ` (critical bit aside) begins in
/// `body`, the body of a v4 or v6 signature packet (from its version octet; RFC 9580 §5.2.3),
/// or `None`.
pub fn hashed_subpacket_at(body: &[u8], typ: u8) -> Option<usize> {
    let count = match body.first()? {
        4 => 2,
        6 => 4,
        _ => return None,
    };
    let mut at = 4;
    let area = body
        .get(at..at + count)?
        .iter()
        .fold(0usize, |n, b| n << 8 | usize::from(*b));
    at += count;
    let end = at + area;
    while at < end {
        let first = usize::from(*body.get(at)?);
        let (len, octets) = match first {
            0..=191 => (first, 1),
            192..=254 => (
                ((first - 192) << 8) + usize::from(*body.get(at + 1)?) + 192,
                2,
            ),
            _ => (
                body.get(at + 1..at + 5)?
                    .iter()
                    .fold(0usize, |n, b| n << 8 | usize::from(*b)),
                5,
            ),
        };
        at += octets;
        if body.get(at)? & 0x7F == typ {
            return Some(at + 1);
        }
        at += len;
    }
    None
}

/// Where the body of the first packet in `packets` (binary, old or new format header; RFC
/// 9580 §4.2) begins, or `None` for a partial length.
pub fn packet_body_at(packets: &[u8]) -> Option<usize> {
    let tag = *packets.first()?;
    if tag & 0x40 != 0 {
        match packets.get(1)? {
            0..=191 => Some(2),
            192..=223 => Some(3),
            255 => Some(6),
            _ => None,
        }
    } else {
        match tag & 3 {
            0 => Some(2),
            1 => Some(3),
            2 => Some(5),
            _ => None,
        }
    }
}

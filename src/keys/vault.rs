//! The sealed keyring: the whole keyring, secrets and recent log included, encrypted at rest.
//!
//! Format (version 2, all integers big-endian):
//!
//! ```text
//! "MSVAULT" | version u8 = 2 | kdf u8 = 1 (Argon2id v0x13) or 2 (HKDF-SHA256 of a random key)
//! | m_cost u32 (KiB) | t_cost u32 | p_cost u32 | salt [16] | verifier [32] | nonce [24]
//! | ciphertext (XChaCha20-Poly1305, AAD = everything before it) | SHA-256 of all before [32]
//! ```
//!
//! The KDF derives 64 bytes: the first 32 are the AEAD key, the SHA-256 of the last 32 is the
//! `verifier`, so a wrong password or key (`bad_password`) is told apart from altered or
//! truncated bytes (`corrupt_vault`). The trailing SHA-256 catches accidental damage before
//! any key derivation; the AEAD, whose associated data is the whole header, catches the rest.
//! The plaintext is JSON, zeroized after use.
//!
//! - Argon2id (kdf 1) stretches a password a person chose: 64 MiB and ~1 s of CPU in wasm.
//!   Salt and costs are inputs of the stretching, so a header altered in them (and checksummed
//!   again) reads as a wrong password: nothing derived from a password can tell the two apart.
//! - HKDF-SHA256 (kdf 2; m/t/p cost 0) expands a random 256-bit key (a server's secret, e.g.
//!   a Worker's): a key with full entropy needs no stretching, so a new Worker isolate opens
//!   its keyring in microseconds instead of a second of Argon2. Its verifier comes from the
//!   key alone (HKDF without the salt), and every header field is checked against it or by
//!   the AEAD: whoever can write the file but lacks the key cannot turn it into a wrong-key
//!   answer by changing version, KDF, costs or salt and fixing the checksum (`corrupt_vault`;
//!   only a replaced verifier, or a wrong key, is `bad_password`).
//!
//! Version 1 vaults sealed with a password (the same layout; keyed vaults of version 1 were
//! never released) are still read; sealing always writes version 2.
//!
//! Each key is stored with its `kind` (`smime`, `pgp`). A build without one of the standards
//! (`mailseal/smime`, `mailseal/openpgp`) cannot read that kind's keys, but must not lose them:
//! it keeps their stored entries as they are and seals them again unchanged, so a keyring
//! passed through a one-standard build still holds every key when the full build opens it.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::stored::StoredEntry;
use super::{AuditEvent, Entry, KeyKind, Keyring, StoredKey};
use crate::error::{Error, ErrorCode, Result};
use crate::rng::Rng;
use crate::secret::SecretBytes;

const MAGIC: &[u8; 7] = b"MSVAULT";
const VERSION: u8 = 2;
/// Password vaults of version 1 differ only in the version byte.
const VERSION_1: u8 = 1;
const KDF_ARGON2ID: u8 = 1;
const KDF_RAW_KEY: u8 = 2;
/// The length of a vault key (`seal_with_key`).
pub const VAULT_KEY_LEN: usize = 32;
/// HKDF `info` of a keyed vault's AEAD key (HKDF salt: the vault's salt).
const RAW_KEY_INFO: &[u8] = b"mailseal vault v2: AEAD key from a random 256-bit secret";
/// HKDF `info` of a keyed vault's verifier input (no HKDF salt: the key alone decides it).
const RAW_KEY_CHECK_INFO: &[u8] = b"mailseal vault v2: key check";
const SALT_LEN: usize = 16;
const VERIFIER_LEN: usize = 32;
const NONCE_LEN: usize = 24;
const HEADER_LEN: usize = 7 + 1 + 1 + 4 + 4 + 4 + SALT_LEN + VERIFIER_LEN + NONCE_LEN;
const CHECKSUM_LEN: usize = 32;

/// Argon2id cost used when sealing: 64 MiB, 3 passes, 1 lane (RFC 9106 §4, second choice).
const M_COST_KIB: u32 = 64 * 1024;
const T_COST: u32 = 3;
const P_COST: u32 = 1;

/// Upper bounds accepted when unsealing, so altered bytes cannot demand unbounded work; within
/// them, keys/kdf.rs's ceiling (256 MiB, four passes over it).
const MAX_M_COST_KIB: u32 = 256 * 1024;
const MAX_T_COST: u32 = 16;
const MAX_P_COST: u32 = 8;

/// An S/MIME key waiting for its certificate, as sealed.
#[derive(Serialize, Deserialize, Zeroize)]
#[zeroize(drop)]
struct StoredPending {
    #[zeroize(skip)]
    info: super::generate::PendingKeyInfo,
    /// Base64: PKCS#8 DER.
    key: String,
}

/// The keyring's member key for teams, as sealed.
#[derive(Serialize, Deserialize, Zeroize)]
#[zeroize(drop)]
struct StoredMember {
    /// Base64: the 32-byte seed.
    seed: String,
    #[zeroize(skip)]
    name: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredKeyring {
    entries: Vec<StoredEntry>,
    log: Vec<AuditEvent>,
    /// The admin passphrase's verifier; absent when none is set (and in older keyrings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    admin: Option<super::roles::AdminCredential>,
    /// Keys found by lookups: where and when, by key id.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    origins: std::collections::BTreeMap<String, super::lookup::KeyOrigin>,
    /// Base64 DER of the CRLs the keyring holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    crls: Vec<String>,
    /// The desk's policy; absent when the admin set none (and in older keyrings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    policy: Option<crate::policy::Policy>,
    /// S/MIME keys made here, waiting for their certificates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pending: Vec<StoredPending>,
    /// The member key for teams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    member: Option<StoredMember>,
    /// The last change of each team this member saw.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    team_checkpoints: std::collections::BTreeMap<String, super::member::Checkpoint>,
}

/// What protects a vault: a password (stretched) or a random key (expanded).
pub(super) enum VaultSecret<'a> {
    Password(&'a str),
    Key(&'a [u8]),
}

impl VaultSecret<'_> {
    fn check(&self) -> Result<()> {
        match self {
            VaultSecret::Password("") => Err(Error::new(
                ErrorCode::BadPassword,
                "A password is required to seal the keyring.",
            )),
            VaultSecret::Key(k) if k.len() != VAULT_KEY_LEN => Err(Error::new(
                ErrorCode::BadInput,
                "The keyring key must be 32 random bytes.",
            )),
            _ => Ok(()),
        }
    }

    fn kdf(&self) -> u8 {
        match self {
            VaultSecret::Password(_) => KDF_ARGON2ID,
            VaultSecret::Key(_) => KDF_RAW_KEY,
        }
    }

    /// The 64 bytes of key material: AEAD key and verifier input.
    fn derive(&self, salt: &[u8], m: u32, t: u32, p: u32) -> Result<Zeroizing<[u8; 64]>> {
        match self {
            VaultSecret::Password(password) => derive(password, salt, m, t, p),
            VaultSecret::Key(key) => {
                let mut out = Zeroizing::new([0u8; 64]);
                hkdf::Hkdf::<Sha256>::new(Some(salt), key)
                    .expand(RAW_KEY_INFO, &mut out[..32])
                    .map_err(|_| Error::internal("hkdf length"))?;
                out[32..].copy_from_slice(key_check(key)?.as_slice());
                Ok(out)
            }
        }
    }
}

pub(super) fn seal(ring: &Keyring, secret: VaultSecret<'_>, rng: &mut dyn Rng) -> Result<Vec<u8>> {
    secret.check()?;
    let (m_cost, t_cost, p_cost) = match secret {
        VaultSecret::Password(_) => (M_COST_KIB, T_COST, P_COST),
        VaultSecret::Key(_) => (0, 0, 0),
    };
    let mut entries = Vec::new();
    for entry in &ring.entries {
        entries.push(stored(entry.kind(), entry.to_stored()?, entry.trusted()));
    }
    entries.extend(ring.kept.iter().cloned());
    let plain = StoredKeyring {
        entries,
        log: ring.recent_log().to_vec(),
        admin: ring.admin.clone(),
        origins: ring.origins.clone(),
        crls: ring.crl_ders().into_iter().map(|d| B64.encode(d)).collect(),
        policy: ring.policy.clone(),
        pending: ring
            .pending
            .iter()
            .map(|p| StoredPending {
                info: p.info.clone(),
                key: B64.encode(p.pkcs8.as_slice()),
            })
            .collect(),
        member: ring.member.as_ref().map(|m| StoredMember {
            seed: B64.encode(m.as_bytes()),
            name: ring.member_name.clone(),
        }),
        team_checkpoints: ring.team_checkpoints.clone(),
    };
    let json = SecretBytes::new(
        serde_json::to_vec(&plain)
            .map_err(|_| Error::internal("The keyring could not be encoded."))?,
    );

    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut nonce);
    let keys = secret.derive(&salt, m_cost, t_cost, p_cost)?;

    let mut out = Vec::with_capacity(HEADER_LEN + json.len() + 16 + CHECKSUM_LEN);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.push(secret.kdf());
    out.extend_from_slice(&m_cost.to_be_bytes());
    out.extend_from_slice(&t_cost.to_be_bytes());
    out.extend_from_slice(&p_cost.to_be_bytes());
    out.extend_from_slice(&salt);
    out.extend_from_slice(&verifier(&keys));
    out.extend_from_slice(&nonce);
    let cipher = XChaCha20Poly1305::new_from_slice(&keys[..32])
        .map_err(|_| Error::internal("vault key length"))?;
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &json,
                aad: &out,
            },
        )
        .map_err(|_| Error::internal("The keyring could not be encrypted."))?;
    out.extend_from_slice(&ciphertext);
    let checksum = Sha256::digest(&out);
    out.extend_from_slice(&checksum);
    Ok(out)
}

fn stored(kind: KeyKind, key: StoredKey, trusted: bool) -> StoredEntry {
    StoredEntry {
        kind: kind.as_str().to_string(),
        public: B64.encode(&key.public),
        secret: key.secret.as_ref().map(|s| B64.encode(s.as_slice())),
        trusted,
        checked: key.checked,
    }
}

pub(super) fn unseal(bytes: &[u8], secret: VaultSecret<'_>) -> Result<Keyring> {
    #[allow(unused_mut)] // only the OpenPGP builds revoke
    let mut ring = restore(open_sealed(bytes, secret)?)?;
    // Summaries of an older version are made again on unseal, without the revocations by
    // designated revokers that are judged across keys.
    #[cfg(feature = "openpgp")]
    ring.apply_designated_revocations();
    Ok(ring)
}

/// The sealed content: the header checked, the key derived and verified, the AEAD opened.
fn open_sealed(bytes: &[u8], secret: VaultSecret<'_>) -> Result<StoredKeyring> {
    if bytes.len() < HEADER_LEN + 16 + CHECKSUM_LEN || &bytes[..7] != MAGIC {
        return Err(corrupt(
            "This is not a sealed mailseal keyring, or it is truncated.",
        ));
    }
    let (body, checksum) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
    if !bool::from(Sha256::digest(body).as_slice().ct_eq(checksum)) {
        return Err(corrupt(
            "The sealed keyring is damaged (checksum mismatch).",
        ));
    }
    let stored_verifier = &body[21 + SALT_LEN..21 + SALT_LEN + VERIFIER_LEN];
    // A keyed vault's verifier depends on the key only: when it matches, the key is right and
    // whatever else is off was altered.
    let key_matches = match secret {
        VaultSecret::Key(key) if key.len() == VAULT_KEY_LEN => {
            let check = Sha256::digest(key_check(key)?.as_slice());
            bool::from(check.as_slice().ct_eq(stored_verifier))
        }
        _ => false,
    };
    let known = match body[7] {
        VERSION => matches!(body[8], KDF_ARGON2ID | KDF_RAW_KEY),
        VERSION_1 => body[8] == KDF_ARGON2ID,
        _ => false,
    };
    if !known || (key_matches && body[8] != KDF_RAW_KEY) {
        return Err(corrupt(if key_matches {
            "The sealed keyring was altered (its header)."
        } else {
            "The sealed keyring has an unknown version."
        }));
    }
    if body[8] != secret.kdf() {
        return Err(Error::new(
            ErrorCode::BadPassword,
            if body[8] == KDF_RAW_KEY {
                "This keyring is sealed with a key, not a password (unsealWithKey)."
            } else {
                "This keyring is sealed with a password, not a key (unseal)."
            },
        ));
    }
    let be32 = |at: usize| -> u32 {
        let mut b = [0u8; 4];
        b.copy_from_slice(&body[at..at + 4]);
        u32::from_be_bytes(b)
    };
    let (m_cost, t_cost, p_cost) = (be32(9), be32(13), be32(17));
    let in_range = match secret {
        VaultSecret::Password(_) => {
            m_cost <= MAX_M_COST_KIB
                && (1..=MAX_T_COST).contains(&t_cost)
                && (1..=MAX_P_COST).contains(&p_cost)
                && super::kdf::argon2_ok(u64::from(m_cost), u64::from(t_cost), u64::from(p_cost))
        }
        VaultSecret::Key(_) => (m_cost, t_cost, p_cost) == (0, 0, 0),
    };
    if !in_range {
        return Err(corrupt("The sealed keyring has out-of-range parameters."));
    }
    let salt = &body[21..21 + SALT_LEN];
    let nonce = &body[21 + SALT_LEN + VERIFIER_LEN..HEADER_LEN];
    let (header, ciphertext) = body.split_at(HEADER_LEN);

    if let VaultSecret::Key(k) = secret {
        if k.len() != VAULT_KEY_LEN {
            return Err(Error::new(
                ErrorCode::BadPassword,
                "The key for the keyring is wrong (it must be 32 bytes).",
            ));
        }
    }
    let keys = secret
        .derive(salt, m_cost, t_cost, p_cost)
        .map_err(|_| corrupt("The sealed keyring has out-of-range parameters."))?;
    if !bool::from(verifier(&keys).as_slice().ct_eq(stored_verifier)) {
        return Err(Error::new(
            ErrorCode::BadPassword,
            match secret {
                VaultSecret::Password(_) => "The password for the keyring is wrong.",
                VaultSecret::Key(_) => "The key for the keyring is wrong.",
            },
        ));
    }
    let cipher = XChaCha20Poly1305::new_from_slice(&keys[..32])
        .map_err(|_| Error::internal("vault key length"))?;
    let json = SecretBytes::new(
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: header,
                },
            )
            .map_err(|_| corrupt("The sealed keyring was altered."))?,
    );
    serde_json::from_slice(&json).map_err(|_| corrupt("The sealed keyring content is invalid."))
}

/// The keyring from its sealed content.
fn restore(plain: StoredKeyring) -> Result<Keyring> {
    let mut ring = Keyring::new();
    for e in &plain.entries {
        let kind = KeyKind::parse(&e.kind)
            .ok_or_else(|| corrupt("The sealed keyring holds an unknown key kind."))?;
        let public = SecretBytes::new(B64.decode(&e.public).map_err(|_| corrupt("bad entry"))?);
        let secret_bytes = match &e.secret {
            Some(s) => Some(SecretBytes::new(
                B64.decode(s).map_err(|_| corrupt("bad entry"))?,
            )),
            None => None,
        };
        let secret = secret_bytes.as_ref().map(|s| s.as_slice());
        match Entry::from_stored(kind, &public, secret, e.checked.as_ref(), e.trusted) {
            Some(entry) => ring.entries.push(entry?),
            // The other standard's key: kept as sealed (see the module docs).
            None => ring.kept.push(e.clone()),
        }
    }
    ring.log = plain.log;
    ring.admin = plain.admin;
    ring.policy = plain.policy;
    ring.origins = plain.origins;
    if let Some(m) = &plain.member {
        let seed = Zeroizing::new(
            B64.decode(&m.seed)
                .map_err(|_| corrupt("The member key in the keyring is damaged."))?,
        );
        ring.member = Some(super::member::MemberSeed::from_bytes(&seed)?);
        ring.member_name = m.name.clone();
    }
    ring.team_checkpoints = plain.team_checkpoints.clone();
    for p in &plain.pending {
        let key = B64
            .decode(&p.key)
            .map_err(|_| corrupt("A pending key in the keyring is damaged."))?;
        ring.pending.push(super::generate::PendingKey {
            info: p.info.clone(),
            pkcs8: crate::secret::SecretBytes::new(key),
        });
    }
    for crl in &plain.crls {
        let der = B64
            .decode(crl)
            .map_err(|_| corrupt("A revocation list in the keyring is damaged."))?;
        ring.restore_crl(der)?;
    }
    Ok(ring)
}

fn derive(password: &str, salt: &[u8], m: u32, t: u32, p: u32) -> Result<Zeroizing<[u8; 64]>> {
    let params = Params::new(m, t, p, Some(64)).map_err(|_| Error::internal("argon2 params"))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 64]);
    argon
        .hash_password_into(password.as_bytes(), salt, out.as_mut())
        .map_err(|_| Error::internal("argon2"))?;
    Ok(out)
}

/// The verifier input of a keyed vault: from the key alone, whatever the header says.
fn key_check(key: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let mut check = Zeroizing::new([0u8; 32]);
    hkdf::Hkdf::<Sha256>::new(None, key)
        .expand(RAW_KEY_CHECK_INFO, check.as_mut())
        .map_err(|_| Error::internal("hkdf length"))?;
    Ok(check)
}

fn verifier(keys: &[u8; 64]) -> [u8; VERIFIER_LEN] {
    Sha256::digest(&keys[32..]).into()
}

fn corrupt(message: &str) -> Error {
    Error::new(ErrorCode::CorruptVault, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features;

    /// A seeded RNG: salts and nonces only.
    fn rng() -> impl Rng {
        use rand_chacha::rand_core::SeedableRng;
        rand_chacha::ChaCha20Rng::seed_from_u64(7)
    }

    fn the_other_kind() -> Option<KeyKind> {
        [KeyKind::Smime, KeyKind::Pgp]
            .into_iter()
            .find(|k| !features::enabled(k.method()))
    }

    /// A vault whose header asks for the review's maximum (1 GiB, 16 passes: 29 s and 1.35 GiB
    /// in wasm) or just over keys/kdf.rs's ceiling, with its checksum made to match, is refused
    /// before Argon2 runs.
    #[allow(clippy::disallowed_methods)] // Instant: native test only
    #[test]
    fn costly_parameters_are_refused_before_deriving() {
        let sealed = Keyring::new().seal("pw", &mut rng()).unwrap();
        for (m, t) in [(1024 * 1024u32, 16u32), (512 * 1024, 1), (256 * 1024, 5)] {
            let mut bytes = sealed.clone();
            bytes[9..13].copy_from_slice(&m.to_be_bytes());
            bytes[13..17].copy_from_slice(&t.to_be_bytes());
            let body = bytes.len() - CHECKSUM_LEN;
            let sum = Sha256::digest(&bytes[..body]);
            bytes[body..].copy_from_slice(&sum);
            let started = std::time::Instant::now();
            let err = Keyring::unseal(&bytes, "pw").unwrap_err();
            assert_eq!(err.code(), ErrorCode::CorruptVault, "{m} KiB x {t}");
            assert!(
                started.elapsed().as_millis() < 500,
                "refused before deriving"
            );
        }
    }

    /// Whoever can write a keyed vault but lacks its key cannot make it read as a wrong key
    /// (issue 13): version, KDF, costs or salt altered and the checksum fixed are
    /// `corrupt_vault`; only a wrong key (or a replaced verifier) is `bad_password`.
    #[test]
    fn a_keyed_vault_altered_and_checksummed_again_is_corrupt() {
        let key = [9u8; VAULT_KEY_LEN];
        let sealed = Keyring::new().seal_with_key(&key, &mut rng()).unwrap();
        assert_eq!(sealed[7], VERSION);
        let rechecksummed = |edit: &dyn Fn(&mut Vec<u8>)| {
            let mut bytes = sealed.clone();
            edit(&mut bytes);
            let body = bytes.len() - CHECKSUM_LEN;
            let sum = Sha256::digest(&bytes[..body]);
            bytes[body..].copy_from_slice(&sum);
            Keyring::unseal_with_key(&bytes, &key)
                .map(|_| ())
                .unwrap_err()
                .code()
        };
        type Edit<'a> = (&'a str, &'a dyn Fn(&mut Vec<u8>));
        let edits: [Edit<'_>; 6] = [
            ("version 1", &|b| b[7] = VERSION_1),
            ("version 3", &|b| b[7] = 3),
            ("kdf Argon2id", &|b| b[8] = KDF_ARGON2ID),
            ("m_cost", &|b| b[12] = 1),
            ("salt", &|b| b[21] ^= 1),
            ("nonce", &|b| b[HEADER_LEN - 1] ^= 1),
        ];
        for (what, edit) in edits {
            assert_eq!(rechecksummed(edit), ErrorCode::CorruptVault, "{what}");
        }
        assert_eq!(
            rechecksummed(&|b| b[21 + SALT_LEN] ^= 1),
            ErrorCode::BadPassword,
            "the verifier itself"
        );
        let err = Keyring::unseal_with_key(&sealed, &[8u8; VAULT_KEY_LEN]).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BadPassword);
        assert!(Keyring::unseal_with_key(&sealed, &key).is_ok());
    }

    /// Password vaults of version 1 (the same layout) still open.
    #[test]
    fn a_version_1_password_vault_opens() {
        let mut sealed = Keyring::new().seal("pw", &mut rng()).unwrap();
        sealed[7] = VERSION_1;
        // the AEAD's associated data holds the version: re-encrypt as version 1 did
        let keys = derive("pw", &sealed[21..21 + SALT_LEN], M_COST_KIB, T_COST, P_COST).unwrap();
        let cipher = XChaCha20Poly1305::new_from_slice(&keys[..32]).unwrap();
        let json = br#"{"entries":[],"log":[]}"#;
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&sealed[HEADER_LEN - NONCE_LEN..HEADER_LEN]),
                Payload {
                    msg: json,
                    aad: &sealed[..HEADER_LEN],
                },
            )
            .unwrap();
        sealed.truncate(HEADER_LEN);
        sealed.extend_from_slice(&ct);
        let sum = Sha256::digest(&sealed);
        sealed.extend_from_slice(&sum);
        assert!(Keyring::unseal(&sealed, "pw").is_ok());
    }

    /// A one-standard build keeps the other standard's sealed keys as they are, does not list
    /// them, and seals them again unchanged (the JS tests pass a keyring through the real
    /// builds: tests/js/variants.test.mjs).
    #[test]
    fn keys_of_a_standard_this_build_leaves_out_are_sealed_again_unchanged() {
        let Some(other) = the_other_kind() else {
            // The full build reads every kind; an unknown one is corrupt.
            let mut ring = Keyring::new();
            ring.kept.push(StoredEntry {
                kind: "x509-attribute-cert".into(),
                public: B64.encode(b"?"),
                secret: None,
                trusted: false,
                checked: None,
            });
            let sealed = ring.seal("pw", &mut rng()).unwrap();
            let err = Keyring::unseal(&sealed, "pw").unwrap_err();
            assert_eq!(err.code(), ErrorCode::CorruptVault);
            return;
        };
        let kept = StoredEntry {
            kind: other.as_str().into(),
            // Not parsed here: any bytes survive.
            public: B64.encode(b"a key this build cannot read"),
            secret: Some(B64.encode(b"its secret")),
            trusted: true,
            checked: Some(serde_json::json!({"v": 1, "facts": "kept as they are"})),
        };
        let mut ring = Keyring::new();
        ring.kept.push(kept.clone());
        let once = Keyring::unseal(&ring.seal("pw", &mut rng()).unwrap(), "pw").unwrap();
        assert!(once.list(crate::time::Time::from_unix(0)).is_empty());
        assert_eq!(once.kept_for_other_builds(), [(other.method(), 1)]);
        let twice = Keyring::unseal(&once.seal("pw", &mut rng()).unwrap(), "pw").unwrap();
        let back = &twice.kept[0];
        assert_eq!(
            (
                &back.kind,
                &back.public,
                &back.secret,
                back.trusted,
                &back.checked
            ),
            (
                &kept.kind,
                &kept.public,
                &kept.secret,
                kept.trusted,
                &kept.checked
            )
        );
    }
}

//! A member key: one random 32-byte seed, from which HKDF-SHA256 derives an Ed25519 signing
//! key (changes) and an X25519 key (the team key is wrapped to it). The public halves, with
//! a display name, are what a team admits.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use ed25519_dalek::{Signer as _, SigningKey, Verifier as _, VerifyingKey};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode, Result};
use crate::rng::Rng;

const SIGN_INFO: &[u8] = b"mailseal team member v1: Ed25519 signing key";
const WRAP_INFO: &[u8] = b"mailseal team member v1: X25519 key";
const KEK_INFO: &[u8] = b"mailseal team v1: team key wrap";
/// Longest member name.
const MAX_NAME: usize = 200;

/// The public side of a member key, as a team lists it.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberPublic {
    /// The member's id: the hex of their Ed25519 key.
    pub id: String,
    /// Who they are, for people ("Alice (agent)").
    pub name: String,
    /// Their X25519 key, hex: the team key is wrapped to it.
    pub wrap: String,
}

impl MemberPublic {
    /// Both keys decode and are of the right size.
    pub(crate) fn check(&self) -> Result<()> {
        let bad = || Error::bad_input("That is not a member key (member_key gives one).");
        self.verifying_key().map_err(|_| bad())?;
        self.wrap_key().map_err(|_| bad())?;
        checked_name(&self.name).map(|_| ())
    }

    pub(crate) fn verifying_key(&self) -> Result<VerifyingKey> {
        let bytes: [u8; 32] = hex32(&self.id)?;
        VerifyingKey::from_bytes(&bytes).map_err(|_| refused("A member's key is not valid."))
    }

    fn wrap_key(&self) -> Result<x25519_dalek::PublicKey> {
        Ok(x25519_dalek::PublicKey::from(hex32(&self.wrap)?))
    }

    /// Whether `signature` over `message` is this member's.
    pub(crate) fn signed(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(key) = self.verifying_key() else {
            return false;
        };
        let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
            return false;
        };
        key.verify(message, &sig).is_ok()
    }

    /// The team key wrapped for this member: an ephemeral X25519 agreement, HKDF-SHA256 of it
    /// (salt: both public keys), XChaCha20-Poly1305 with `context` as associated data.
    pub(crate) fn wrap(&self, team_key: &[u8], context: &[u8], rng: &mut dyn Rng) -> Result<Wrap> {
        let ephemeral = x25519_dalek::StaticSecret::random_from_rng(&mut *rng);
        let ephemeral_public = x25519_dalek::PublicKey::from(&ephemeral);
        let shared = ephemeral.diffie_hellman(&self.wrap_key()?);
        let kek = kek(
            shared.as_bytes(),
            ephemeral_public.as_bytes(),
            &hex32(&self.wrap)?,
        )?;
        let mut nonce = [0u8; 24];
        rng.fill_bytes(&mut nonce);
        let sealed = XChaCha20Poly1305::new_from_slice(kek.as_ref())
            .map_err(|_| Error::internal("team wrap key"))?
            .encrypt(
                (&nonce).into(),
                Payload {
                    msg: team_key,
                    aad: context,
                },
            )
            .map_err(|_| Error::internal("team wrap"))?;
        Ok(Wrap {
            member: self.id.clone(),
            ephemeral: hex::encode(ephemeral_public.as_bytes()),
            nonce: hex::encode(nonce),
            sealed: hex::encode(sealed),
        })
    }
}

/// The team key as wrapped for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Wrap {
    /// The member's id.
    pub(crate) member: String,
    pub(crate) ephemeral: String,
    pub(crate) nonce: String,
    pub(crate) sealed: String,
}

/// A member key's seed (sealed with the member's keyring).
#[derive(Clone)]
pub(crate) struct MemberSeed(Zeroizing<[u8; 32]>);

impl MemberSeed {
    pub(crate) fn new(rng: &mut dyn Rng) -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(seed.as_mut());
        MemberSeed(seed)
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let seed: [u8; 32] = bytes
            .try_into()
            .map_err(|_| Error::new(ErrorCode::CorruptVault, "The member key is damaged."))?;
        Ok(MemberSeed(Zeroizing::new(seed)))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_ref()
    }

    fn derive(&self, info: &[u8]) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        // 32 bytes are always within HKDF-SHA256's output limit.
        let _ = Hkdf::<Sha256>::new(None, self.0.as_ref()).expand(info, out.as_mut());
        out
    }

    fn signing_key(&self) -> SigningKey {
        SigningKey::from_bytes(&self.derive(SIGN_INFO))
    }

    fn wrap_secret(&self) -> x25519_dalek::StaticSecret {
        x25519_dalek::StaticSecret::from(*self.derive(WRAP_INFO))
    }

    pub(crate) fn public(&self, name: &str) -> MemberPublic {
        MemberPublic {
            id: hex::encode(self.signing_key().verifying_key().as_bytes()),
            name: name.to_string(),
            wrap: hex::encode(x25519_dalek::PublicKey::from(&self.wrap_secret()).as_bytes()),
        }
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.signing_key().sign(message).to_bytes().to_vec()
    }

    /// The team key from this member's wrap, or `None` when it is not theirs or was changed.
    pub(crate) fn unwrap(&self, wrap: &Wrap, context: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let ephemeral: [u8; 32] = hex32(&wrap.ephemeral).ok()?;
        let secret = self.wrap_secret();
        let mine = x25519_dalek::PublicKey::from(&secret);
        let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(ephemeral));
        let kek = kek(shared.as_bytes(), &ephemeral, mine.as_bytes()).ok()?;
        let nonce: [u8; 24] = hex::decode(&wrap.nonce).ok()?.try_into().ok()?;
        let sealed = hex::decode(&wrap.sealed).ok()?;
        XChaCha20Poly1305::new_from_slice(kek.as_ref())
            .ok()?
            .decrypt(
                (&nonce).into(),
                Payload {
                    msg: &sealed,
                    aad: context,
                },
            )
            .ok()
            .map(Zeroizing::new)
    }
}

fn kek(shared: &[u8], ephemeral: &[u8], recipient: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let mut salt = Vec::with_capacity(64);
    salt.extend_from_slice(ephemeral);
    salt.extend_from_slice(recipient);
    let mut out = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(Some(&salt), shared)
        .expand(KEK_INFO, out.as_mut())
        .map_err(|_| Error::internal("hkdf length"))?;
    Ok(out)
}

fn hex32(text: &str) -> Result<[u8; 32]> {
    hex::decode(text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| refused("A member key in the team is malformed."))
}

pub(crate) fn refused(message: &str) -> Error {
    Error::new(ErrorCode::TeamRefused, message)
}

pub(crate) fn no_member_key() -> Error {
    Error::new(
        ErrorCode::KeyNotFound,
        "This keyring has no member key yet: make one with member_key first.",
    )
}

/// A member's display name: one line, not empty, at most 200 characters.
pub(crate) fn checked_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(Error::bad_input(
            "A member's name is one line of 1 to 200 characters.",
        ));
    }
    Ok(name.to_string())
}

/// Where this member last saw a team: the sequence number and hash of its last change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Checkpoint {
    pub(crate) seq: u64,
    pub(crate) hash: String,
}

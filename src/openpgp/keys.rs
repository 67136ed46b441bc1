//! Choosing the OpenPGP (sub)key to sign or encrypt with, at the caller's time.
//!
//! RFC 9580 §5.2.3.29 (key flags), §5.2.3.13 (key expiration), §5.2.1 (revocations): what the
//! keyring's verified self-signatures say (see `keys::openpgp`). A component is usable when it
//! and its primary key are neither revoked nor expired nor not yet valid at `now`, and its key
//! flags allow the use. Among several usable keys and subkeys the newest wins (GnuPG's rule).

use pgp::composed::{SignedPublicKey, SignedSecretKey};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{PublicKey, PublicSubkey, SecretKey, SecretSubkey, Signature};
use pgp::types::{
    EncryptionKey, EskType, KeyDetails, Mpi, PkeskBytes, PublicParams, SignatureBytes, VerifyingKey,
};

use crate::crypto::provider;
use crate::engine::{ChosenKey, KeyProblem, Unusable};
use crate::error::Error;
use crate::keys::openpgp::KeySummary;
use crate::keys::{Keyring, PgpEntry};
use crate::policy::SignatureRules;
use crate::report::{Method, SignatureState};
use crate::time::Time;

/// What a key is wanted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Use {
    Sign,
    Encrypt,
}

/// A public key packet of a transferable key: the primary key or one subkey.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PublicPart<'a> {
    Primary(&'a PublicKey),
    Sub(&'a PublicSubkey),
}

macro_rules! delegate {
    ($self:ident, $k:ident => $e:expr) => {
        match $self {
            PublicPart::Primary($k) => $e,
            PublicPart::Sub($k) => $e,
        }
    };
}

impl KeyDetails for PublicPart<'_> {
    fn version(&self) -> pgp::types::KeyVersion {
        delegate!(self, k => k.version())
    }
    fn legacy_key_id(&self) -> pgp::types::KeyId {
        delegate!(self, k => k.legacy_key_id())
    }
    fn fingerprint(&self) -> pgp::types::Fingerprint {
        delegate!(self, k => k.fingerprint())
    }
    fn algorithm(&self) -> pgp::crypto::public_key::PublicKeyAlgorithm {
        delegate!(self, k => k.algorithm())
    }
    fn created_at(&self) -> pgp::types::Timestamp {
        delegate!(self, k => k.created_at())
    }
    fn legacy_v3_expiration_days(&self) -> Option<u16> {
        delegate!(self, k => k.legacy_v3_expiration_days())
    }
    fn public_params(&self) -> &pgp::types::PublicParams {
        delegate!(self, k => k.public_params())
    }
}

impl VerifyingKey for PublicPart<'_> {
    /// rPGP's verification, unless the platform confirms an RSA signature first (faster; a
    /// signature it does not confirm is decided by rPGP, so the verdict is rPGP's either way).
    fn verify(
        &self,
        hash: HashAlgorithm,
        data: &[u8],
        sig: &SignatureBytes,
    ) -> pgp::errors::Result<()> {
        if platform_confirms(self.public_params(), hash, data, sig) {
            return Ok(());
        }
        delegate!(self, k => k.verify(hash, data, sig))
    }
}

/// Whether the crypto provider confirms an RSA signature over `digest`
/// (`crate::crypto::provider::rsa_signature_confirmed`).
fn platform_confirms(
    params: &PublicParams,
    hash: HashAlgorithm,
    digest: &[u8],
    sig: &SignatureBytes,
) -> bool {
    let Some((key, block)) = rsa_signature_block(params, sig) else {
        return false;
    };
    let Some(scheme) = super::hashes::digest_alg(hash).and_then(provider::pkcs1v15_scheme) else {
        return false;
    };
    provider::rsa_signature_confirmed(key, &scheme, digest, &block)
}

/// An RSA key and a signature by it as the signature block (k octets): an MPI drops leading
/// zero octets, the block is as long as the modulus (rPGP pads it back the same way). `None`
/// for other algorithms or a malformed signature.
pub(crate) fn rsa_signature_block<'a>(
    params: &'a PublicParams,
    sig: &SignatureBytes,
) -> Option<(&'a rsa::RsaPublicKey, Vec<u8>)> {
    use rsa::traits::PublicKeyParts;
    let (PublicParams::RSA(pk), SignatureBytes::Mpis(mpis)) = (params, sig) else {
        return None;
    };
    let [mpi] = mpis.as_slice() else {
        return None;
    };
    let pad = pk.key.size().checked_sub(mpi.as_ref().len())?;
    let mut block = vec![0u8; pad];
    block.extend_from_slice(mpi.as_ref());
    Some((&pk.key, block))
}

/// Session keys encrypted to RSA keys on the platform where it has RSA (node:crypto), else on
/// `crypto::rsa_exp` (rPGP for sizes it does not take); every other algorithm by rPGP.
impl EncryptionKey for PublicPart<'_> {
    fn encrypt<R: rand::CryptoRng + rand::Rng>(
        &self,
        mut rng: R,
        plain: &[u8],
        typ: EskType,
    ) -> pgp::errors::Result<PkeskBytes> {
        if let PublicParams::RSA(pk) = self.public_params() {
            let ct = provider::rsa_encrypt_on_platform(&pk.key, false, plain)
                .or_else(|| provider::rsa_pkcs1v15_encrypt(&pk.key, plain, &mut rng));
            if let Some(ct) = ct {
                return Ok(PkeskBytes::Rsa {
                    mpi: Mpi::from_slice(&ct),
                });
            }
        }
        delegate!(self, k => k.encrypt(rng, plain, typ))
    }
}

/// A secret key packet: the primary key or one subkey.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SecretPart<'a> {
    Primary(&'a SecretKey),
    Sub(&'a SecretSubkey),
}

/// A usable component of a keyring entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chosen<'a> {
    pub(crate) entry: &'a PgpEntry,
    pub(crate) summary: &'a KeySummary,
}

impl<'a> Chosen<'a> {
    /// This choice as a handle the engine is given back (`chosen_by`).
    pub(crate) fn key(&self, address: &str) -> ChosenKey {
        ChosenKey::new(self.entry.id(), self.summary.fingerprint.clone(), address)
    }

    /// The public packet of this component.
    pub(crate) fn public(&self) -> Option<PublicPart<'a>> {
        public_part(self.entry.public_key()?, &self.summary.fingerprint)
    }

    /// The unlocked secret packet of this component, if the keyring holds it (GnuPG stubs and
    /// still-protected packets do not count).
    pub(crate) fn secret(&self) -> Option<SecretPart<'a>> {
        secret_part(self.entry.secret_key()?, &self.summary.fingerprint)
    }
}

/// The public packet with this fingerprint in `key`.
pub(crate) fn public_part<'a>(key: &'a SignedPublicKey, fpr: &[u8]) -> Option<PublicPart<'a>> {
    if key.primary_key.fingerprint().as_bytes() == fpr {
        return Some(PublicPart::Primary(&key.primary_key));
    }
    key.public_subkeys
        .iter()
        .find(|s| s.key.fingerprint().as_bytes() == fpr)
        .map(|s| PublicPart::Sub(&s.key))
}

/// The unlocked secret packet with this fingerprint in `key`.
pub(crate) fn secret_part<'a>(key: &'a SignedSecretKey, fpr: &[u8]) -> Option<SecretPart<'a>> {
    if key.primary_key.fingerprint().as_bytes() == fpr {
        return (!key.primary_key.secret_params().is_encrypted())
            .then_some(SecretPart::Primary(&key.primary_key));
    }
    key.secret_subkeys
        .iter()
        .find(|s| s.key.fingerprint().as_bytes() == fpr)
        .filter(|s| !s.key.secret_params().is_encrypted())
        .map(|s| SecretPart::Sub(&s.key))
}

/// Why `component` of a key whose primary is `primary` cannot be used at `now`, if it cannot.
pub(crate) fn problem_at(
    primary: &KeySummary,
    component: &KeySummary,
    now: Time,
) -> Option<KeyProblem> {
    problem(primary, component, now, None)
}

/// Why a signature `component` made at `signed` (unix seconds, as it says) does not stand at
/// `now`, if it does not. As [`problem_at`], except that a key or subkey revoked as superseded
/// or retired (a soft revocation, RFC 9580 §5.2.3.31) after that time still vouches for it.
pub(crate) fn problem_for_signature(
    primary: &KeySummary,
    component: &KeySummary,
    signed: i64,
    now: Time,
) -> Option<KeyProblem> {
    problem(primary, component, now, Some(signed))
}

/// Whether `key` was retired (soft revocation) only after `signed`.
fn retired_after(key: &KeySummary, signed: i64) -> bool {
    key.revoked && key.soft_revoked_since.is_some_and(|since| signed < since)
}

fn problem(
    primary: &KeySummary,
    component: &KeySummary,
    now: Time,
    signed: Option<i64>,
) -> Option<KeyProblem> {
    let n = now.unix();
    let revoked = |k: &KeySummary| k.revoked && !signed.is_some_and(|at| retired_after(k, at));
    if revoked(primary) {
        return Some(KeyProblem::Revoked);
    }
    if revoked(component) {
        return Some(KeyProblem::SubkeyRevoked);
    }
    let expired = |k: &KeySummary| k.expires.is_some_and(|e| n >= e);
    if expired(primary) {
        return Some(KeyProblem::Expired);
    }
    if expired(component) {
        return Some(KeyProblem::SubkeyExpired);
    }
    if primary.created > n || component.created > n {
        return Some(KeyProblem::NotYetValid);
    }
    None
}

/// The verdict on a cryptographically correct signature: whether its (sub)key may sign, was
/// usable when the signature claims to be made and is at `now`, and is trusted.
pub(super) fn signature_standing(
    entry: &PgpEntry,
    part: PublicPart<'_>,
    sig: &Signature,
    now: Time,
) -> (SignatureState, &'static str) {
    let fpr = part.fingerprint();
    let primary = entry.primary_summary();
    let Some(component) = components(entry).find(|c| c.fingerprint == fpr.as_bytes()) else {
        return (
            SignatureState::Invalid,
            "The PGP signature was made by a subkey that is not validly bound to its key.",
        );
    };
    if !component.sign {
        return (
            SignatureState::Invalid,
            "The PGP signature was made by a key that may not sign.",
        );
    }
    // RFC 9580 §5.2.3.11: the creation time MUST be in the hashed area. Without it neither
    // the signature's own expiry nor "older than its key" can be judged (gpg: ERRSIG).
    let Some(created) = sig.created().map(|t| i64::from(t.as_secs())) else {
        return (
            SignatureState::Invalid,
            "The PGP signature does not say when it was made.",
        );
    };
    if created < component.created {
        return (
            SignatureState::Invalid,
            "The PGP signature claims to be older than its key.",
        );
    }
    match problem_for_signature(primary, component, created, now) {
        Some(KeyProblem::Revoked) => {
            return (
                SignatureState::Revoked,
                "The PGP signature key has been revoked.",
            )
        }
        Some(KeyProblem::Expired) => {
            return (
                SignatureState::Expired,
                "The PGP signature key has expired.",
            )
        }
        Some(KeyProblem::SubkeyRevoked) => {
            return (
                SignatureState::Revoked,
                "The PGP key's signing subkey that made the signature has been revoked.",
            )
        }
        Some(KeyProblem::SubkeyExpired) => {
            return (
                SignatureState::Expired,
                "The PGP key's signing subkey that made the signature has expired.",
            )
        }
        Some(KeyProblem::NotYetValid) => {
            return (
                SignatureState::NotYetValid,
                "The PGP signature key is not valid yet.",
            )
        }
        _ => {}
    }
    let sig_expired = match sig.signature_expiration_time() {
        Some(d) if d.as_secs() != 0 => now.unix() >= created + i64::from(d.as_secs()),
        _ => false,
    };
    if sig_expired {
        return (SignatureState::Expired, "The PGP signature has expired.");
    }
    // Anyone can make a key whose user id names any address: only a key the admin verified
    // (imported or confirmed with `trusted: true`) vouches for who signed.
    let retired = retired_after(primary, created) || retired_after(component, created);
    match (entry.trusted(), retired) {
        (false, false) => (
            SignatureState::Untrusted,
            "The PGP signature is correct, but the key that made it has not been verified: \
             it is only known to belong to the address it names once an admin marks it as \
             trusted.",
        ),
        (false, true) => (
            SignatureState::Untrusted,
            "The PGP signature is correct, but the key that made it has not been verified, \
             and its owner has since retired it (superseded or no longer used).",
        ),
        (true, false) => (SignatureState::Valid, "The PGP signature is valid."),
        (true, true) => (
            SignatureState::Valid,
            "The PGP signature is valid: it was made before its owner retired the key \
             (superseded or no longer used, not compromised), so it still counts. New mail \
             from this sender should be signed with their newer key.",
        ),
    }
}

/// The primary key and the validly bound subkeys of `entry`, primary first.
pub(crate) fn components(entry: &PgpEntry) -> impl Iterator<Item = &KeySummary> {
    core::iter::once(entry.primary_summary()).chain(entry.subkey_summaries().iter())
}

/// The component a handle names (chosen by [`choose`] from this keyring).
pub(crate) fn chosen_by<'a>(ring: &'a Keyring, key: &ChosenKey) -> Result<Chosen<'a>, Error> {
    let entry = ring
        .pgp_entries()
        .find(|e| e.id() == key.id())
        .ok_or_else(|| Error::internal("chosen key"))?;
    let summary = components(entry)
        .find(|c| c.fingerprint == key.component())
        .ok_or_else(|| Error::internal("chosen key component"))?;
    Ok(Chosen { entry, summary })
}

/// The newest usable component of `entry` for `usage` at `now`, or the reason there is none.
fn usable_in(entry: &PgpEntry, usage: Use, now: Time) -> Result<Chosen<'_>, KeyProblem> {
    let primary = entry.primary_summary();
    // A revoked, expired or not yet valid key says so, whatever its components can do (a
    // revoked key's subkeys may no longer count as capable at all).
    if let Some(problem) = problem_at(primary, primary, now) {
        return Err(problem);
    }
    let capable: Vec<&KeySummary> = components(entry)
        .filter(|c| match usage {
            Use::Sign => c.sign,
            Use::Encrypt => c.encrypt,
        })
        .collect();
    if capable.is_empty() {
        return Err(KeyProblem::WrongUsage);
    }
    let mut problem = None;
    let mut best: Option<Chosen<'_>> = None;
    for c in capable {
        if let Some(p) = problem_at(primary, c, now) {
            problem.get_or_insert(p);
            continue;
        }
        let chosen = Chosen { entry, summary: c };
        let Some(public) = chosen.public() else {
            continue;
        };
        // Under the signature rules' floor (RSA 2048): mailseal refuses such signatures when
        // reading, so it neither signs nor encrypts with them, as for S/MIME (an RSA-1024
        // subkey was encrypted to: the protect sweep).
        if let Some(bits) = too_small(public.public_params(), &SignatureRules::default()) {
            problem.get_or_insert(KeyProblem::TooWeak(bits));
            continue;
        }
        if usage == Use::Sign && chosen.secret().is_none() {
            problem.get_or_insert(KeyProblem::NoSecret);
            continue;
        }
        if best.is_none_or(|b| c.created >= b.summary.created) {
            best = Some(chosen);
        }
    }
    best.ok_or(problem.unwrap_or(KeyProblem::WrongUsage))
}

/// The key to use for `address`: among the keyring's OpenPGP keys with a valid user id for the
/// address, a key the admin verified (`trusted`) before any key that is merely present, and
/// within the same standing the newest; of that key, its newest usable component. A key's
/// creation time is what the key itself declares, so it only breaks ties between keys of the
/// same standing: an impostor key with a user id naming the address never displaces a verified
/// key. To encrypt, two different unverified keys and no verified one are a conflict that only
/// the admin can settle (`KeyProblem::Conflict`), not a guess. Without any usable key, the most
/// telling reason (a key that only lacks its secret, then expired, revoked, not yet valid,
/// wrong use).
/// The size of an RSA modulus or DSA prime under the rules' minimum; `None` for elliptic
/// curves and for keys big enough.
pub(crate) fn too_small(params: &PublicParams, rules: &SignatureRules) -> Option<usize> {
    use rsa::traits::PublicKeyParts;
    let bits = match params {
        PublicParams::RSA(p) => p.key.n().bits(),
        PublicParams::DSA(p) => p.key.components().p().bits(),
        _ => return None,
    };
    rules.key_too_small(bits).then_some(bits)
}

pub(crate) fn choose<'a>(
    ring: &'a Keyring,
    address: &str,
    usage: Use,
    now: Time,
) -> Result<Chosen<'a>, Unusable> {
    let wanted = crate::Address::key_of(address);
    let mut problems = Vec::new();
    let mut usable: Vec<Chosen<'a>> = Vec::new();
    for entry in ring.pgp_entries() {
        if !entry.emails().contains(&wanted) {
            continue;
        }
        match usable_in(entry, usage, now) {
            Ok(c) => usable.push(c),
            Err(p) => problems.push(p),
        }
    }
    let verified = usable.iter().any(|c| c.entry.trusted());
    let mut best: Option<Chosen<'a>> = None;
    for c in usable.iter().filter(|c| c.entry.trusted() == verified) {
        let newer = best
            .is_none_or(|b| c.entry.primary_summary().created > b.entry.primary_summary().created);
        if newer {
            best = Some(*c);
        }
    }
    let contenders = usable
        .iter()
        .filter(|c| c.entry.trusted() == verified)
        .count();
    if usage == Use::Encrypt && !verified && contenders > 1 {
        return Err(Unusable {
            address: wanted,
            method: Method::Pgp,
            problem: KeyProblem::Conflict,
        });
    }
    if let Some(c) = best {
        return Ok(c);
    }
    let order = [
        KeyProblem::NoSecret,
        KeyProblem::Expired,
        KeyProblem::SubkeyExpired,
        KeyProblem::Revoked,
        KeyProblem::SubkeyRevoked,
        KeyProblem::NotYetValid,
        KeyProblem::WrongUsage,
    ];
    let problem = order
        .into_iter()
        .find(|p| problems.contains(p))
        .or_else(|| {
            problems
                .iter()
                .copied()
                .find(|p| matches!(p, KeyProblem::TooWeak(_)))
        })
        .unwrap_or(KeyProblem::NotFound);
    Err(Unusable {
        address: wanted,
        method: Method::Pgp,
        problem,
    })
}

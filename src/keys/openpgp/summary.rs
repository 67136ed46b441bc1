//! What a key's self-signatures say, once they verify against its primary key: key flags,
//! expiry and revocation (RFC 9580 §5.2.3.29, §5.2.3.13, §5.2.1), the bound user ids and
//! their addresses, the validly bound subkeys. A signature anyone could have appended (a
//! third-party certification, a bogus revocation, an unbound subkey or user id) changes nothing.

use core::cmp::Reverse;

use pgp::composed::{SignedPublicKey, SignedPublicSubKey};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{KeyFlags, Signature, SignatureType, SubpacketData};
use pgp::types::{
    EcdhPublicParams, EcdsaPublicParams, EddsaLegacyPublicParams, KeyDetails, KeyVersion,
    PublicParams, Tag,
};
use rsa::traits::PublicKeyParts;

/// Most self-signature verifications spent on one component (user id, subkey, revocations).
const MAX_VERIFY_PER_COMPONENT: usize = 64;

/// The primary key and its validly bound subkeys, as their self-signatures describe them.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(super) struct Summary {
    pub(super) primary: KeySummary,
    /// Only subkeys with a binding signature that verifies.
    pub(super) subkeys: Vec<KeySummary>,
    pub(super) algorithm: String,
    /// The primary user id; none when no user id is validly bound.
    pub(super) subject: Option<String>,
    /// Addresses of user ids with a valid, unrevoked self-certification.
    pub(super) emails: Vec<String>,
    /// The symmetric algorithms the key's holder accepts, best first (RFC 9580 §5.2.3.14, from
    /// the same self-signature as the key flags); empty when it names none.
    #[serde(default)]
    pub(super) ciphers: Vec<u8>,
    /// Fingerprints of the keys this key authorizes to revoke it (Revocation Key subpackets of
    /// its verified self-signatures, RFC 9580 §5.2.3.23): their revocations count once they
    /// verify with that key from the keyring (`Keyring::apply_designated_revocations`). Absent
    /// from summaries sealed before it (not worth verifying every sealed key again on unseal,
    /// a Worker's cold start): such a key learns its revokers when it is imported again.
    #[serde(default)]
    pub(super) revokers: Vec<Vec<u8>>,
}

/// One key (primary or subkey) as its verified self-signatures describe it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct KeySummary {
    pub(crate) fingerprint: Vec<u8>,
    pub(crate) key_id: [u8; 8],
    /// Unix seconds.
    pub(crate) created: i64,
    /// Unix seconds, if the key expires.
    pub(crate) expires: Option<i64>,
    pub(crate) revoked: bool,
    /// Set when `revoked` and every revocation that verifies gives a soft reason (the key was
    /// superseded or retired, RFC 9580 §5.2.3.31): the time of the earliest of them. A
    /// signature the key made before it keeps its standing; nothing is encrypted to the key.
    /// `None` for a hard revocation (compromised, no reason, an unknown one) and in summaries
    /// sealed before it (read as hard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) soft_revoked_since: Option<i64>,
    /// Key flags allow signing (a signing subkey also signed back).
    pub(crate) sign: bool,
    /// Key flags allow encryption (communications or storage).
    pub(crate) encrypt: bool,
}

fn created_secs(sig: &Signature) -> i64 {
    sig.created().map_or(0, |t| i64::from(t.as_secs()))
}

/// Signatures we evaluate at all: known versions, not over MD5.
fn acceptable(sig: &Signature) -> bool {
    matches!(sig.hash_alg(), Some(h) if h != HashAlgorithm::Md5 && h != HashAlgorithm::None)
}

/// The signature names `key` as its issuer, or names no issuer at all (then only the
/// cryptographic check can tell). Third-party certifications are dropped here, cheaply: a
/// flooded key carries thousands of them.
pub(super) fn may_be_issued_by(sig: &Signature, key: &pgp::packet::PublicKey) -> bool {
    let ids = sig.issuer_key_id();
    let fprs = sig.issuer_fingerprint();
    if ids.is_empty() && fprs.is_empty() {
        return true;
    }
    let (id, fpr) = (key.legacy_key_id(), key.fingerprint());
    ids.iter().any(|i| **i == id) || fprs.iter().any(|f| **f == fpr)
}

/// The signatures among `sigs` worth verifying as `issuer`'s, newest first, at most
/// [`MAX_VERIFY_PER_COMPONENT`] of them.
fn candidates<'a>(
    issuer: &pgp::packet::PublicKey,
    sigs: impl Iterator<Item = &'a Signature>,
) -> impl Iterator<Item = &'a Signature> {
    let mut candidates: Vec<&Signature> = sigs
        .filter(|s| acceptable(s) && may_be_issued_by(s, issuer))
        .collect();
    candidates.sort_by_key(|s| Reverse(created_secs(s)));
    candidates.into_iter().take(MAX_VERIFY_PER_COMPONENT)
}

/// The newest self-signature by `primary` among `sigs` for which `verify` succeeds.
fn latest_valid<'a>(
    primary: &pgp::packet::PublicKey,
    sigs: impl Iterator<Item = &'a Signature>,
    verify: impl Fn(&Signature) -> bool,
) -> Option<&'a Signature> {
    candidates(primary, sigs).find(|s| verify(s))
}

/// How the revocations among `sigs` that verify revoke a key: `(revoked, soft_since)` as in
/// [`KeySummary`]. Revocations are final, so one hard revocation makes the key hard revoked
/// whatever else it carries; soft ones count from the earliest.
pub(super) fn revocation_of<'a>(
    issuer: &pgp::packet::PublicKey,
    sigs: impl Iterator<Item = &'a Signature>,
    verify: impl Fn(&Signature) -> bool,
) -> (bool, Option<i64>) {
    let mut soft_since: Option<i64> = None;
    for sig in candidates(issuer, sigs).filter(|s| verify(s)) {
        if !is_soft(sig) {
            return (true, None);
        }
        let at = created_secs(sig);
        soft_since = Some(soft_since.map_or(at, |t| t.min(at)));
    }
    (soft_since.is_some(), soft_since)
}

/// RFC 9580 §5.2.3.31: a key revoked as superseded or retired was not compromised, so what it
/// signed before stays good. No reason, "compromised", or any other code is a hard revocation.
fn is_soft(sig: &Signature) -> bool {
    use pgp::packet::RevocationCode;
    matches!(
        sig.revocation_reason_code(),
        Some(RevocationCode::KeySuperseded | RevocationCode::KeyRetired)
    )
}

/// The key flags subpacket, if the signature has one (absent is not "no flags").
fn key_flags(sig: &Signature) -> Option<KeyFlags> {
    sig.config()?
        .hashed_subpackets()
        .find_map(|p| match &p.data {
            SubpacketData::KeyFlags(flags) => Some(flags.clone()),
            _ => None,
        })
}

/// Absolute expiry from a key expiration time subpacket (0 means none).
fn expiry(created: i64, sig: &Signature) -> Option<Option<i64>> {
    let secs = sig.key_expiration_time()?.as_secs();
    Some((secs != 0).then(|| created.saturating_add(i64::from(secs))))
}

fn is_type(sig: &Signature, types: &[SignatureType]) -> bool {
    sig.typ().is_some_and(|t| types.contains(&t))
}

const CERTIFICATIONS: &[SignatureType] = &[
    SignatureType::CertGeneric,
    SignatureType::CertPersona,
    SignatureType::CertCasual,
    SignatureType::CertPositive,
    SignatureType::CertRevocation,
];

/// Keys mailseal can encrypt to and decrypt with. Not ElGamal (old GnuPG DSA/ElGamal keys),
/// nor ECDH on the Brainpool curves (`gpg --quick-add-key ... brainpoolP256r1 encr`): rPGP
/// reads such keys but implements neither direction, so such a subkey must not be offered.
pub(crate) fn can_encrypt_with(params: &PublicParams) -> bool {
    match params {
        PublicParams::RSA(_) | PublicParams::X25519(_) | PublicParams::X448(_) => true,
        PublicParams::ECDH(p) => matches!(
            p,
            EcdhPublicParams::Curve25519Legacy { .. }
                | EcdhPublicParams::P256 { .. }
                | EcdhPublicParams::P384 { .. }
                | EcdhPublicParams::P521 { .. }
        ),
        _ => false,
    }
}

/// Whether `sig` names the key with fingerprint `fpr` as its issuer (the fingerprint, or the
/// key id it ends with).
pub(super) fn issued_by(sig: &Signature, fpr: &[u8]) -> bool {
    sig.issuer_fingerprint().iter().any(|f| f.as_bytes() == fpr)
        || sig
            .issuer_key_id()
            .iter()
            .any(|id| fpr.ends_with(id.as_ref()))
}

pub(super) fn summarize(key: &SignedPublicKey) -> Summary {
    let primary = &key.primary_key;
    let created = i64::from(primary.created_at().as_secs());

    // User ids: the newest verifying self-certification decides (a newer revocation revokes,
    // a newer certification after a revocation restores).
    let mut bound_users = Vec::new();
    for user in &key.details.users {
        let latest = latest_valid(
            primary,
            user.signatures
                .iter()
                .filter(|s| is_type(s, CERTIFICATIONS)),
            |s| {
                s.verify_certification(primary, Tag::UserId, &user.id)
                    .is_ok()
            },
        );
        if let Some(sig) = latest {
            if sig.typ() != Some(SignatureType::CertRevocation) {
                bound_users.push((user, sig));
            }
        }
    }
    // The primary user id: flagged primary first, then the newest binding.
    let primary_user = bound_users
        .iter()
        .max_by_key(|(_, sig)| (sig.is_primary(), created_secs(sig)))
        .copied();

    let direct = latest_valid(
        primary,
        key.details
            .direct_signatures
            .iter()
            .filter(|s| is_type(s, &[SignatureType::Key])),
        |s| s.verify_key(primary).is_ok(),
    );
    let binding = primary_user.map(|(_, sig)| sig);
    // RFC 9580 §10.1.1 / §5.2.3.10: v6 keys keep their properties on the direct-key
    // signature; v4 keys usually on the primary user id's self-signature.
    let sources: Vec<&Signature> = if primary.version() == KeyVersion::V6 {
        direct.into_iter().chain(binding).collect()
    } else {
        binding.into_iter().chain(direct).collect()
    };
    let flags = sources.iter().find_map(|s| key_flags(s));
    let ciphers = sources
        .iter()
        .map(|s| s.preferred_symmetric_algs())
        .find(|p| !p.is_empty())
        .map(|p| p.iter().map(|&a| u8::from(a)).collect())
        .unwrap_or_default();
    let expires = sources.iter().find_map(|s| expiry(created, s)).flatten();
    let (revoked, soft_revoked_since) = revocation_of(
        primary,
        key.details
            .revocation_signatures
            .iter()
            .filter(|s| is_type(s, &[SignatureType::KeyRevocation])),
        |s| s.verify_key(primary).is_ok(),
    );
    let (sign, encrypt) = match &flags {
        Some(f) => (
            f.sign(),
            (f.encrypt_comms() || f.encrypt_storage()) && can_encrypt_with(primary.public_params()),
        ),
        // A v4 key without key flags: the primary key signs.
        None => (true, false),
    };
    let primary_summary = KeySummary {
        fingerprint: primary.fingerprint().as_bytes().to_vec(),
        key_id: key_id_bytes(primary.legacy_key_id().as_ref()),
        created,
        expires,
        revoked,
        soft_revoked_since,
        sign,
        encrypt,
    };

    let subkeys = key
        .public_subkeys
        .iter()
        .filter_map(|sub| summarize_subkey(key, sub))
        .collect();

    let mut emails: Vec<String> = bound_users
        .iter()
        .filter_map(|(u, _)| addr_spec(&user_id_string(&u.id)))
        .collect();
    emails.sort();
    emails.dedup();

    // Only a user id the key binds names it: anyone can append one to a key (as to a copy on a
    // keyserver), and the admin's key list labelled an unbound key with it.
    let subject = primary_user.map(|(u, _)| user_id_string(&u.id));

    let mut revokers = designated_revokers(key, primary, bound_users.iter().map(|(_, sig)| *sig));
    revokers.sort();
    revokers.dedup();

    Summary {
        primary: primary_summary,
        subkeys,
        algorithm: algorithm_name(primary.public_params()),
        subject,
        emails,
        ciphers,
        revokers,
    }
}

fn summarize_subkey(key: &SignedPublicKey, sub: &SignedPublicSubKey) -> Option<KeySummary> {
    let primary = &key.primary_key;
    let binding = latest_valid(
        primary,
        sub.signatures
            .iter()
            .filter(|s| is_type(s, &[SignatureType::SubkeyBinding])),
        |s| s.verify_subkey_binding(primary, &sub.key).is_ok(),
    )?;
    let (revoked, soft_revoked_since) = revocation_of(
        primary,
        sub.signatures
            .iter()
            .filter(|s| is_type(s, &[SignatureType::SubkeyRevocation])),
        |s| s.verify_subkey_binding(primary, &sub.key).is_ok(),
    );
    let created = i64::from(sub.key.created_at().as_secs());
    let (sign, encrypt) = match key_flags(binding) {
        // A signing subkey must sign back (RFC 9580 §5.2.1, primary key binding signature).
        Some(f) => (
            f.sign()
                && binding
                    .embedded_signature()
                    .is_some_and(|b| b.verify_primary_key_binding(&sub.key, primary).is_ok()),
            (f.encrypt_comms() || f.encrypt_storage()) && can_encrypt_with(sub.key.public_params()),
        ),
        None => (false, can_encrypt_with(sub.key.public_params())),
    };
    Some(KeySummary {
        fingerprint: sub.key.fingerprint().as_bytes().to_vec(),
        key_id: key_id_bytes(sub.key.legacy_key_id().as_ref()),
        created,
        expires: expiry(created, binding).flatten(),
        revoked,
        soft_revoked_since,
        sign,
        encrypt,
    })
}

/// Every designated revoker (RFC 9580 §5.2.3.23) that a valid direct-key signature or one of
/// the valid user id self-signatures `bound` names: gpg's `addrevoker` makes one direct-key
/// signature per revoker, and a signature may name several. Only the newest one's first was
/// taken, so a revocation by another revoker was ignored (found by the key sweep).
fn designated_revokers<'a>(
    key: &'a SignedPublicKey,
    primary: &pgp::packet::PublicKey,
    bound: impl Iterator<Item = &'a Signature>,
) -> Vec<Vec<u8>> {
    key.details
        .direct_signatures
        .iter()
        .filter(|s| is_type(s, &[SignatureType::Key]) && acceptable(s))
        .filter(|s| may_be_issued_by(s, primary))
        .take(MAX_VERIFY_PER_COMPONENT)
        .filter(|s| s.verify_key(primary).is_ok())
        .chain(bound)
        .filter_map(|sig| sig.config())
        .flat_map(|c| c.hashed_subpackets())
        .filter_map(|p| match &p.data {
            SubpacketData::RevocationKey(r) => Some(r.fingerprint.to_vec()),
            _ => None,
        })
        .collect()
}

fn key_id_bytes(id: &[u8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    for (o, b) in out.iter_mut().zip(id) {
        *o = *b;
    }
    out
}

fn user_id_string(id: &pgp::packet::UserId) -> String {
    match id.as_str() {
        Some(s) => s.to_owned(),
        None => String::from_utf8_lossy(id.id()).into_owned(),
    }
}

/// The addr-spec of a user id ("Name <addr>" or a bare address) in key form.
fn addr_spec(uid: &str) -> Option<String> {
    crate::Address::from_user_id(uid).map(|a| a.key())
}

/// `rsa3072`, `ed25519`, `cv25519`, `p256`, ...; a curve mailseal cannot use by its name
/// (`brainpoolP256r1`); `unknown` for other algorithms it cannot use.
pub(crate) fn algorithm_name(params: &PublicParams) -> String {
    let name = match params {
        PublicParams::RSA(p) => return format!("rsa{}", p.key.n().bits()),
        PublicParams::DSA(_) => "dsa",
        PublicParams::Elgamal(_) => "elgamal",
        PublicParams::ECDSA(p) => match p {
            EcdsaPublicParams::P256 { .. } => "p256",
            EcdsaPublicParams::P384 { .. } => "p384",
            EcdsaPublicParams::P521 { .. } => "p521",
            EcdsaPublicParams::Secp256k1 { .. } => "secp256k1",
            EcdsaPublicParams::Unsupported { curve, .. } => return curve.name().to_string(),
        },
        PublicParams::ECDH(p) => match p {
            EcdhPublicParams::Curve25519Legacy { .. } => "cv25519",
            EcdhPublicParams::P256 { .. } => "p256",
            EcdhPublicParams::P384 { .. } => "p384",
            EcdhPublicParams::P521 { .. } => "p521",
            EcdhPublicParams::Brainpool256 { .. } => "brainpoolP256r1",
            EcdhPublicParams::Brainpool384 { .. } => "brainpoolP384r1",
            EcdhPublicParams::Brainpool512 { .. } => "brainpoolP512r1",
            EcdhPublicParams::Unsupported { curve, .. } => return curve.name().to_string(),
        },
        PublicParams::EdDSALegacy(p) => match p {
            EddsaLegacyPublicParams::Ed25519 { .. } => "ed25519",
            EddsaLegacyPublicParams::Unsupported { curve, .. } => return curve.name().to_string(),
        },
        PublicParams::Ed25519(_) => "ed25519",
        PublicParams::X25519(_) => "x25519",
        PublicParams::X448(_) => "x448",
        PublicParams::Ed448(_) => "ed448",
        PublicParams::Unknown { .. } => "unknown",
        #[allow(unreachable_patterns)] // post-quantum variants behind the `pqc` feature
        _ => "unknown",
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::keys::openpgp::fixtures::*;
    use crate::keys::openpgp::PgpEntry;
    use crate::keys::KeyStatus;

    /// What anyone can append to a key (a user id, a subkey, a revocation signed by another
    /// key) changes nothing: only self-signatures that verify count.
    #[test]
    fn appended_components_need_valid_self_signatures() {
        let rsa = one(fixture!("rsa-pub.asc"), None);
        let ed = one(fixture!("ed-pub.asc"), None);
        let revoked = one(fixture!("revoked-pub.asc"), None);
        let mut forged = rsa.public_key().unwrap().clone();
        forged
            .details
            .users
            .push(ed.public_key().unwrap().details.users[0].clone());
        forged
            .public_subkeys
            .push(ed.public_key().unwrap().public_subkeys[0].clone());
        forged.details.revocation_signatures.extend(
            revoked
                .public_key()
                .unwrap()
                .details
                .revocation_signatures
                .iter()
                .cloned(),
        );
        let e = PgpEntry::new(forged, None, false);
        let info = e.info(NOW);
        assert_eq!(info.status, KeyStatus::Valid);
        assert_eq!(info.emails, rsa.info(NOW).emails);
        assert_eq!(info.key_ids, rsa.info(NOW).key_ids);
        let ed_subkey = ed.public_key().unwrap().public_subkeys[0]
            .key
            .legacy_key_id();
        let ed_subkey: [u8; 8] = ed_subkey.as_ref().try_into().unwrap();
        assert!(ed.has_key_id(&ed_subkey));
        assert!(!e.has_key_id(&ed_subkey));
    }

    #[test]
    fn addr_specs() {
        assert_eq!(
            addr_spec("A B <A.B@Example.COM>").as_deref(),
            Some("a.b@example.com")
        );
        assert_eq!(addr_spec("a@example.org").as_deref(), Some("a@example.org"));
        assert_eq!(
            addr_spec(" <a@example.org> ").as_deref(),
            Some("a@example.org")
        );
        assert_eq!(
            addr_spec("Name (comment) <x@y.z>").as_deref(),
            Some("x@y.z")
        );
        assert_eq!(addr_spec("No Address"), None);
        assert_eq!(addr_spec("<not an address>"), None);
        assert_eq!(addr_spec("a@b@c.d"), None);
        assert_eq!(addr_spec("<@example.org>"), None);
    }
}

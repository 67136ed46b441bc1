//! One OpenPGP key of the keyring ([`PgpEntry`]): what the keyring asks of it (id, summary,
//! lookups by key id and fingerprint, export), merging a re-import, and its sealed form.

use core::fmt;

use pgp::composed::{ArmorOptions, SignedPublicKey, SignedSecretKey};
use pgp::ser::Serialize;
use pgp::types::{KeyDetails, Password, SecretParams};

use super::merge::{merge_public, merge_secret_material, resync_secret, NewIdentities};
use super::read::{parse_binary, Found, Parsed};
use super::secret::is_stub;
use super::summary::{issued_by, summarize, KeySummary, Summary};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{KeyInfo, KeyKind, KeyStatus, OnUse, StoredKey, Trust};
use crate::rng::Rng;
use crate::secret::SecretBytes;
use crate::time::Time;

/// One OpenPGP key: the public key, optionally its secret key (unprotected, in memory only),
/// and whether the admin vouched for it.
#[derive(Clone)]
pub(crate) struct PgpEntry {
    public: OnUse<SignedPublicKey>,
    secret: Option<OnUse<SignedSecretKey>>,
    trusted: bool,
    /// What the verified self-signatures say, computed once per change of the key.
    summary: Summary,
}

impl fmt::Debug for PgpEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgpEntry")
            .field("id", &self.id())
            .field("has_secret", &self.has_secret())
            .field("trusted", &self.trusted)
            .finish()
    }
}

/// The sealed form of a [`Summary`] ([`StoredKey::checked`]). A new version of `summarize`
/// (what a self-signature must be to count) bumps it, so keyrings sealed under the old rules
/// are verified again on unseal instead of keeping the old verdicts.
#[derive(serde::Serialize, serde::Deserialize)]
struct SealedSummary {
    v: u32,
    /// Hex SHA-256 of the stored public key bytes: the summary is of exactly these.
    key: String,
    summary: Summary,
}
const SUMMARY_VERSION: u32 = 2;

impl PgpEntry {
    pub(super) fn new(
        public: SignedPublicKey,
        secret: Option<SignedSecretKey>,
        trusted: bool,
    ) -> Self {
        let summary = summarize(&public);
        PgpEntry {
            public: OnUse::parsed(public),
            secret: secret.map(OnUse::parsed),
            trusted,
            summary,
        }
    }

    /// The summary sealed with `public` (its stored bytes), if it is of this version and of
    /// exactly these bytes.
    fn sealed_summary(public: &[u8], checked: &serde_json::Value) -> Option<Summary> {
        let sealed = <SealedSummary as serde::Deserialize>::deserialize(checked).ok()?;
        (sealed.v == SUMMARY_VERSION && sealed.key == stored_key_digest(public))
            .then_some(sealed.summary)
    }

    /// This key as a copy found for an address brings it: the User IDs whose address `keep`
    /// accepts, and nothing a stranger could add (see `merge::trim_found_copy`). `None` for a
    /// secret key (found keys are public).
    pub(crate) fn found_for(&self, keep: impl Fn(&str) -> bool) -> Option<PgpEntry> {
        if self.secret.is_some() {
            return None;
        }
        let mut public = self.public_key()?.clone();
        let bound: Vec<Vec<u8>> = self
            .summary
            .subkeys
            .iter()
            .map(|s| s.fingerprint.clone())
            .collect();
        super::merge::trim_found_copy(&mut public, keep, &bound, |s| self.names_revoker_of(s));
        Some(PgpEntry::new(public, None, self.trusted))
    }

    /// The key as an Autocrypt header offers it (Level 1 §2.1.1: the minimal key): the User ID
    /// of `address` only, its own signatures, and the subkeys bound and usable at `now`. The
    /// whole key showed every User ID (an agent's private address) and expired subkeys in the
    /// clear header of every copy (found by the protect sweep).
    pub(crate) fn minimal_for(&self, address: &str, now: Time) -> Option<SignedPublicKey> {
        let mut public = self.public_key()?.clone();
        let usable: Vec<Vec<u8>> = self
            .summary
            .subkeys
            .iter()
            .filter(|s| !s.revoked && s.expires.is_none_or(|e| e > now.unix()))
            .map(|s| s.fingerprint.clone())
            .collect();
        super::merge::trim_found_copy(&mut public, |a| a == address, &usable, |_| false);
        Some(public)
    }

    /// This key with `revocation` added, re-summarised: it is revoked only when the signature
    /// verifies with its primary key.
    pub(crate) fn with_revocation(&self, revocation: pgp::packet::Signature) -> Option<PgpEntry> {
        let mut public = self.public_key()?.clone();
        public.details.revocation_signatures.push(revocation);
        let entry = PgpEntry::new(public, None, self.trusted);
        entry.summary.primary.revoked.then_some(entry)
    }

    /// Whether this key names the issuer of `sig` as a designated revoker (its verified
    /// self-signatures' Revocation Key subpackets, RFC 9580 §5.2.3.23).
    pub(crate) fn names_revoker_of(&self, sig: &pgp::packet::Signature) -> bool {
        self.summary.revokers.iter().any(|fpr| issued_by(sig, fpr))
    }

    /// The fingerprints of the keys that may revoke this one.
    pub(crate) fn designated_revokers(&self) -> &[Vec<u8>] {
        &self.summary.revokers
    }

    /// This key with a revocation by a designated revoker added (checked by
    /// [`PgpEntry::revoke_if_designated_by`] against the revoker's key).
    pub(crate) fn with_designated_revocation(
        &self,
        revocation: pgp::packet::Signature,
    ) -> Option<PgpEntry> {
        if !self.names_revoker_of(&revocation) {
            return None;
        }
        let mut public = self.public_key()?.clone();
        public.details.revocation_signatures.push(revocation);
        Some(PgpEntry::new(public, None, self.trusted))
    }

    /// Marks this key revoked when a key revocation on it was made by `revoker` (a key it names
    /// as designated revoker) and verifies with it; a hard one there makes a soft revocation
    /// hard. Returns whether it changed the key's standing.
    pub(crate) fn revoke_if_designated_by(&mut self, revoker: &pgp::packet::PublicKey) -> bool {
        let primary = &self.summary.primary;
        let hard_revoked = primary.revoked && primary.soft_revoked_since.is_none();
        if hard_revoked
            || !self
                .summary
                .revokers
                .iter()
                .any(|f| f.as_slice() == revoker.fingerprint().as_bytes())
        {
            return false;
        }
        let Some(key) = self.public_key() else {
            return false;
        };
        let (revoked, soft_since) = super::summary::revocation_of(
            revoker,
            key.details
                .revocation_signatures
                .iter()
                .filter(|s| s.typ() == Some(pgp::packet::SignatureType::KeyRevocation)),
            |s| s.verify_key_third_party(&key.primary_key, revoker).is_ok(),
        );
        if !revoked {
            return false;
        }
        let primary = &mut self.summary.primary;
        primary.soft_revoked_since = match (primary.revoked, primary.soft_revoked_since, soft_since)
        {
            (true, Some(a), Some(b)) => Some(a.min(b)),
            (false, _, soft) => soft,
            _ => None,
        };
        primary.revoked = true;
        true
    }

    /// Whether `sig` names this key as its issuer (fingerprint, or key id).
    pub(crate) fn issued(&self, sig: &pgp::packet::Signature) -> bool {
        issued_by(sig, &self.summary.primary.fingerprint)
    }

    /// The primary key's fingerprint, uppercase hex.
    pub(crate) fn id(&self) -> String {
        hex::encode_upper(&self.summary.primary.fingerprint)
    }

    /// The JS-facing summary, evaluated at `now`.
    pub(crate) fn info(&self, now: Time) -> KeyInfo {
        let s = &self.summary;
        let n = now.unix();
        let primary = &s.primary;
        let expired = primary.expires.is_some_and(|e| n >= e);
        let not_yet = primary.created > n;
        let status = if primary.revoked {
            KeyStatus::Revoked
        } else if expired {
            KeyStatus::Expired
        } else if not_yet {
            KeyStatus::NotYetValid
        } else {
            KeyStatus::Valid
        };
        // Capabilities are what the key may be used for, independent of `status`: a subkey
        // counts unless it is revoked, or it has expired (or is not valid yet) while the
        // primary key itself is still live.
        let primary_live = !expired && !not_yet;
        let usable = |k: &&KeySummary| {
            !k.revoked && !(primary_live && (k.expires.is_some_and(|e| n >= e) || k.created > n))
        };
        let can_sign = primary.sign || s.subkeys.iter().filter(usable).any(|k| k.sign);
        let can_encrypt = primary.encrypt || s.subkeys.iter().filter(usable).any(|k| k.encrypt);
        KeyInfo {
            id: self.id(),
            kind: KeyKind::Pgp,
            emails: s.emails.clone(),
            has_secret: self.has_secret(),
            can_sign,
            can_encrypt,
            trusted: self.trusted,
            created: Time::from_unix(primary.created).to_rfc3339(),
            expires: primary.expires.map(|e| Time::from_unix(e).to_rfc3339()),
            status,
            algorithm: s.algorithm.clone(),
            subject: s.subject.clone(),
            issuer: None,
            is_ca: false,
            key_ids: core::iter::once(primary)
                .chain(s.subkeys.iter())
                .map(|k| hex::encode_upper(k.key_id))
                .collect(),
            conflicts: Vec::new(),
            trust: Trust::Unverified,
            origin: None,
        }
    }

    /// The symmetric algorithms the key's holder accepts, best first; empty when the key names
    /// none (then any, RFC 9580 §5.2.3.14).
    pub(crate) fn preferred_ciphers(&self) -> Vec<pgp::crypto::sym::SymmetricKeyAlgorithm> {
        self.summary
            .ciphers
            .iter()
            .map(|&a| pgp::crypto::sym::SymmetricKeyAlgorithm::from(a))
            .collect()
    }

    /// The keyring holds (some of) the secret key.
    pub(crate) fn has_secret(&self) -> bool {
        self.secret.is_some()
    }

    /// Merges a re-import of the same key (same primary fingerprint): the secret is kept or
    /// gained, new user ids, subkeys and signatures (revocations, newer self-signatures) are
    /// added, nothing is dropped.
    pub(crate) fn merge(&mut self, other: PgpEntry) {
        if other.summary.primary.fingerprint != self.summary.primary.fingerprint {
            return;
        }
        let fpr = self.summary.primary.fingerprint.clone();
        let PgpEntry {
            public: other_public,
            secret: other_secret,
            trusted,
            ..
        } = other;
        let other_public = other_public.into_key(|b| parse_sealed_public(b, &fpr));
        let other_secret = other_secret.and_then(|s| s.into_key(|b| parse_sealed_secret(b, &fpr)));
        let Some(other_public) = other_public else {
            return;
        };
        let mine = core::mem::replace(&mut self.public, OnUse::parsed(other_public.clone()));
        // Sealed bytes that no longer give this key (never expected: the vault is
        // authenticated) are replaced by the re-import.
        // What the admin verified is this key with the User IDs it had then: an unverified
        // copy (a hand import, a refresh, a lookup) brings no new User ID to a verified key,
        // or its holder could add any address and sign as it (RFC 9580 §5.2.1: validity is
        // per User ID binding). A trusted import brings them.
        let identities = if self.trusted && !trusted {
            NewIdentities::Refused
        } else {
            NewIdentities::Added
        };
        let public = match mine.into_key(|b| parse_sealed_public(b, &fpr)) {
            Some(mut public) => {
                merge_public(&mut public, &other_public, identities);
                public
            }
            None => other_public,
        };
        let mine = self
            .secret
            .take()
            .and_then(|s| s.into_key(|b| parse_sealed_secret(b, &fpr)));
        let secret = match (mine, other_secret) {
            (None, None) => None,
            (Some(a), None) => Some(a),
            (None, Some(b)) => Some(b),
            (Some(a), Some(b)) => Some(merge_secret_material(a, b)),
        };
        self.secret = secret.map(|s| OnUse::parsed(resync_secret(s, &public)));
        self.trusted = self.trusted || trusted;
        self.summary = summarize(&public);
        self.public = OnUse::parsed(public);
    }

    /// The ASCII-armored public key (RFC 9580 §6).
    pub(crate) fn export_public(&self) -> Result<String> {
        self.public_key()
            .ok_or_else(damaged_in_vault)?
            .to_armored_string(ArmorOptions::default())
            .map_err(|_| Error::internal("The OpenPGP public key could not be serialized."))
    }

    /// The ASCII-armored secret key, primary key and subkeys protected with `passphrase`
    /// (v4: iterated and salted S2K with SHA-256, AES-256 CFB and SHA-1 check, as GnuPG reads
    /// it; v6: Argon2 and AES-256 OCB), as UTF-8 bytes.
    pub(crate) fn export_secret(&self, passphrase: &str, rng: &mut dyn Rng) -> Result<Vec<u8>> {
        if passphrase.is_empty() {
            return Err(Error::new(
                ErrorCode::BadPassphrase,
                "A passphrase is required to export a private key.",
            ));
        }
        if self.secret.is_none() {
            return Err(Error::new(
                ErrorCode::NoPrivateKey,
                "The keyring holds no private key for this key.",
            ));
        }
        let secret = self.secret_key().ok_or_else(damaged_in_vault)?;
        let lock_failed = || Error::internal("The OpenPGP private key could not be protected.");
        let password = Password::from(passphrase);
        // The clone holds unprotected material until it is locked; its packets zeroize on drop.
        let mut locked = secret.clone();
        if !locked.primary_key.secret_params().is_encrypted() {
            locked
                .primary_key
                .set_password(&mut *rng, &password)
                .map_err(|_| lock_failed())?;
        }
        for sub in &mut locked.secret_subkeys {
            if !sub.key.secret_params().is_encrypted() {
                sub.key
                    .set_password(&mut *rng, &password)
                    .map_err(|_| lock_failed())?;
            }
        }
        locked
            .to_armored_bytes(ArmorOptions::default())
            .map_err(|_| lock_failed())
    }

    /// The primary key and the validly bound subkeys, as the summary describes them.
    fn parts(&self) -> impl Iterator<Item = &KeySummary> {
        core::iter::once(&self.summary.primary).chain(self.summary.subkeys.iter())
    }

    /// The primary key or a validly bound subkey has this legacy key id.
    pub(crate) fn has_key_id(&self, key_id: &[u8; 8]) -> bool {
        self.parts().any(|k| k.key_id == *key_id)
    }

    /// The primary key or a validly bound subkey has this fingerprint.
    pub(crate) fn has_fingerprint(&self, fpr: &[u8]) -> bool {
        self.parts().any(|k| k.fingerprint == fpr)
    }

    /// The part with this legacy key id may sign for this key: key flags allow it and, for a
    /// subkey, it signed its binding back (a key can bind anyone's public key as its subkey,
    /// but only the holder can sign back).
    pub(crate) fn may_sign_with_key_id(&self, key_id: &[u8; 8]) -> bool {
        self.parts().any(|k| k.key_id == *key_id && k.sign)
    }

    /// As `may_sign_with_key_id`, for the part with this fingerprint.
    pub(crate) fn may_sign_with_fingerprint(&self, fpr: &[u8]) -> bool {
        self.parts().any(|k| k.fingerprint == fpr && k.sign)
    }

    /// The primary key as its verified self-signatures describe it.
    pub(crate) fn primary_summary(&self) -> &KeySummary {
        &self.summary.primary
    }

    /// The validly bound subkeys (binding signature verified), as their bindings describe them.
    pub(crate) fn subkey_summaries(&self) -> &[KeySummary] {
        &self.summary.subkeys
    }

    /// Lowercase addr-specs of the validly self-certified, unrevoked user ids; sorted, unique.
    pub(crate) fn emails(&self) -> Vec<String> {
        self.summary.emails.clone()
    }

    /// The public key; `None` only if its sealed bytes no longer give this key (never
    /// expected: see [`OnUse`]), and the key is then unusable rather than a panic.
    pub(crate) fn public_key(&self) -> Option<&SignedPublicKey> {
        let fpr = &self.summary.primary.fingerprint;
        self.public.get(|b| parse_sealed_public(b, fpr))
    }

    /// The secret key, unprotected (GnuPG stubs excepted).
    pub(crate) fn secret_key(&self) -> Option<&SignedSecretKey> {
        let fpr = &self.summary.primary.fingerprint;
        self.secret.as_ref()?.get(|b| parse_sealed_secret(b, fpr))
    }

    pub(crate) fn trusted(&self) -> bool {
        self.trusted
    }

    #[cfg(test)]
    pub(crate) fn set_trusted(&mut self, t: bool) {
        self.trusted = t;
    }

    /// For the sealed vault: the binary transferable public key and, if held, the binary
    /// transferable secret key with its material UNPROTECTED (the vault encrypts it).
    pub(crate) fn to_stored(&self) -> Result<StoredKey> {
        let failed = || Error::internal("The OpenPGP key could not be serialized.");
        // Keys never parsed since unseal go back as they came.
        let public = match self.public.unparsed() {
            Some(sealed) => sealed.as_slice().to_vec(),
            None => {
                let key = self.public_key().ok_or_else(damaged_in_vault)?;
                let mut public = Vec::with_capacity(key.write_len());
                key.to_writer(&mut public).map_err(|_| failed())?;
                public
            }
        };
        let secret = match &self.secret {
            None => None,
            Some(on_use) => match on_use.unparsed() {
                Some(sealed) => Some(sealed.clone()),
                None => {
                    let sk = self.secret_key().ok_or_else(damaged_in_vault)?;
                    // Sized up front so no reallocation leaves copies of the material behind.
                    let mut buf = SecretBytes::new(Vec::with_capacity(sk.write_len()));
                    sk.to_writer(&mut *buf).map_err(|_| failed())?;
                    Some(buf)
                }
            },
        };
        let checked = serde_json::to_value(SealedSummary {
            v: SUMMARY_VERSION,
            key: stored_key_digest(&public),
            summary: self.summary.clone(),
        })
        .ok();
        Ok(StoredKey {
            public,
            secret,
            checked,
        })
    }

    /// The inverse of [`PgpEntry::to_stored`]. The self-signatures were verified when the key
    /// was imported; their summary is sealed with it (`checked`), so unsealing does not verify
    /// them again (RSA verifications in wasm: most of a new Worker isolate's first request),
    /// and with it the keys are parsed when first used ([`OnUse`]). Without one (a keyring
    /// sealed before summaries were kept) they are parsed and verified now.
    pub(crate) fn from_stored(
        public: &[u8],
        secret: Option<&[u8]>,
        checked: Option<&serde_json::Value>,
        trusted: bool,
    ) -> Result<PgpEntry> {
        if let Some(summary) = checked.and_then(|c| Self::sealed_summary(public, c)) {
            return Ok(PgpEntry {
                public: OnUse::sealed(public),
                secret: secret.map(OnUse::sealed),
                trusted,
                summary,
            });
        }
        let public = parse_stored_public(public).ok_or_else(damaged_in_vault)?;
        let fpr = public.fingerprint();
        let secret = match secret {
            None => None,
            Some(bytes) => {
                Some(parse_sealed_secret(bytes, fpr.as_bytes()).ok_or_else(damaged_in_vault)?)
            }
        };
        Ok(PgpEntry::new(public, secret, trusted))
    }
}

fn stored_key_digest(public: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(public))
}

fn damaged_in_vault() -> Error {
    Error::new(
        ErrorCode::CorruptVault,
        "A stored OpenPGP key in the keyring is damaged.",
    )
}

/// The one transferable public key in `bytes` (a key's stored form).
fn parse_stored_public(bytes: &[u8]) -> Option<SignedPublicKey> {
    let mut found = Found::default();
    parse_binary(bytes, &mut found).ok()?;
    let mut keys = found.keys.into_iter();
    match (keys.next(), keys.next()) {
        (Some(Parsed::Public(public)), None) => Some(*public),
        _ => None,
    }
}

/// [`parse_stored_public`], if it is the key with primary fingerprint `fpr`.
fn parse_sealed_public(bytes: &[u8], fpr: &[u8]) -> Option<SignedPublicKey> {
    parse_stored_public(bytes).filter(|k| k.fingerprint().as_bytes() == fpr)
}

/// The one unprotected transferable secret key in `bytes`, if its primary fingerprint is `fpr`.
fn parse_sealed_secret(bytes: &[u8], fpr: &[u8]) -> Option<SignedSecretKey> {
    let mut found = Found::default();
    parse_binary(bytes, &mut found).ok()?;
    let mut keys = found.keys.into_iter();
    let (Some(Parsed::Secret(sk)), None) = (keys.next(), keys.next()) else {
        return None;
    };
    let locked = |p: &SecretParams| p.is_encrypted() && !is_stub(p);
    let usable = sk.primary_key.fingerprint().as_bytes() == fpr
        && !locked(sk.primary_key.secret_params())
        && !sk
            .secret_subkeys
            .iter()
            .any(|s| locked(s.key.secret_params()));
    usable.then_some(*sk)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::keys::openpgp::fixtures::*;
    use pgp::composed::Deserializable;
    use pgp::types::{S2kParams, StringToKey};

    #[test]
    fn rsa_public_key() {
        let e = one(fixture!("rsa-pub.asc"), None);
        let info = e.info(NOW);
        assert_eq!(info.id, RSA_FPR);
        assert!(!info.has_secret && e.secret_key().is_none());
        assert!(info.can_sign && info.can_encrypt);
        assert_eq!(info.algorithm, "rsa3072");
        assert_eq!(info.emails, ["rsa.user@example.com", "second@example.com"]);
        assert_eq!(info.key_ids, ["155BE08034A6886D", "45DF30FDC31828D0"]);
        assert!(e.has_key_id(&[0x15, 0x5B, 0xE0, 0x80, 0x34, 0xA6, 0x88, 0x6D]));
        assert!(e.has_key_id(&[0x45, 0xDF, 0x30, 0xFD, 0xC3, 0x18, 0x28, 0xD0]));
        assert!(!e.has_key_id(&[0; 8]));
        assert!(e.has_fingerprint(&hex::decode(RSA_FPR).unwrap()));
        assert!(
            e.has_fingerprint(&hex::decode("4C53F0127956DD6FDE994A0D45DF30FDC31828D0").unwrap())
        );
        assert!(!e.has_fingerprint(&hex::decode(ED_FPR).unwrap()));
    }

    #[test]
    fn expiry_and_validity_window() {
        let e = one(fixture!("expired-pub.asc"), None);
        assert_eq!(e.id(), OLD_FPR);
        let info = e.info(NOW);
        assert_eq!(info.created, "2020-01-01T00:00:00Z");
        assert_eq!(info.expires.as_deref(), Some("2020-12-31T00:00:00Z"));
        assert_eq!(info.status, KeyStatus::Expired);
        // Capabilities do not depend on the status.
        assert!(info.can_sign && info.can_encrypt);
        let mid_2020 = Time::from_unix(1_590_969_600);
        assert_eq!(e.info(mid_2020).status, KeyStatus::Valid);
        assert!(e.info(mid_2020).can_encrypt);
        // Expiry is inclusive: valid up to the second before.
        assert_eq!(
            e.info(Time::from_unix(1_609_372_799)).status,
            KeyStatus::Valid
        );
        assert_eq!(
            e.info(Time::from_unix(1_609_372_800)).status,
            KeyStatus::Expired
        );
        assert_eq!(
            e.info(Time::from_unix(1_500_000_000)).status,
            KeyStatus::NotYetValid
        );
    }

    #[test]
    fn export_public_round_trips() {
        for e in [
            one(fixture!("rsa-pub.asc"), None),
            one(fixture!("ed-sec.asc"), None),
        ] {
            let armored = e.export_public().unwrap();
            assert!(armored.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
            let back = one(armored.as_bytes(), None);
            assert!(!back.has_secret());
            let (mut a, mut b) = (e.info(NOW), back.info(NOW));
            a.has_secret = false;
            b.has_secret = false;
            assert_eq!(a, b);
        }
    }

    #[test]
    fn export_secret_round_trips() {
        let e = cached("prot");
        let out = e.export_secret("new pass", &mut rng()).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(text.starts_with("-----BEGIN PGP PRIVATE KEY BLOCK-----"));
        let back = one(&out, Some("new pass"));
        assert_eq!(back.info(NOW), e.info(NOW));
        // The export is protected: iterated+salted S2K, AES-256 (RFC 9580 §3.7.2.1).
        let (locked, _) = SignedSecretKey::from_armor_single(out.as_slice()).unwrap();
        let SecretParams::Encrypted(enc) = locked.primary_key.secret_params() else {
            panic!("primary not protected");
        };
        assert!(matches!(
            enc.string_to_key_params(),
            S2kParams::Cfb {
                sym_alg: pgp::crypto::sym::SymmetricKeyAlgorithm::AES256,
                s2k: StringToKey::IteratedAndSalted { .. },
                ..
            }
        ));
        assert!(locked
            .secret_subkeys
            .iter()
            .all(|s| s.key.secret_params().is_encrypted()));
        // The in-memory key stays unprotected.
        assert!(!e
            .secret_key()
            .unwrap()
            .primary_key
            .secret_params()
            .is_encrypted());

        let err = e.export_secret("", &mut rng()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BadPassphrase);
        let err = one(fixture!("ed-pub.asc"), None)
            .export_secret("x", &mut rng())
            .err()
            .unwrap();
        assert_eq!(err.code(), ErrorCode::NoPrivateKey);
    }

    #[test]
    fn stored_form_round_trips() {
        for e in [
            one(fixture!("ed-sec.asc"), None),
            one(fixture!("rsa-pub.asc"), None),
            cached("stub"),
        ] {
            let StoredKey {
                public,
                secret,
                checked,
            } = e.to_stored().unwrap();
            assert_eq!(secret.is_some(), e.has_secret());
            let secret = secret.as_ref().map(|s| s.as_slice());
            // With the sealed summary (not verified again) and without it (verified again,
            // as a keyring sealed before summaries were kept): the same key either way.
            assert!(checked.is_some());
            for checked in [checked.as_ref(), None] {
                let back = PgpEntry::from_stored(&public, secret, checked, true).unwrap();
                // With the summary, nothing is parsed until used, and sealing again gives the
                // same bytes; without, everything is parsed now.
                assert_eq!(back.public.parsed.get().is_none(), checked.is_some());
                if checked.is_some() {
                    let again = back.to_stored().unwrap();
                    assert_eq!(again.public, public);
                    assert_eq!(again.secret.as_ref().map(|s| s.as_slice()), secret);
                    assert_eq!(back.info(NOW).id, e.info(NOW).id);
                    assert!(back.public.parsed.get().is_none(), "info() parses nothing");
                }
                assert!(back.trusted());
                assert_eq!(back.public_key(), e.public_key());
                assert!(back.public_key().is_some());
                // Compared serialized: `remove_password` leaves a stale length in the packet header.
                let bytes = |k: Option<&SignedSecretKey>| k.map(|k| k.to_bytes().unwrap());
                assert_eq!(bytes(back.secret_key()), bytes(e.secret_key()));
                let mut info = e.info(NOW);
                info.trusted = true;
                assert_eq!(back.info(NOW), info);
            }
        }
        let public = one(fixture!("ed-sec.asc"), None)
            .to_stored()
            .unwrap()
            .public;
        for bad in [&b""[..], &b"\x99garbage"[..], &public[..public.len() / 2]] {
            let err = PgpEntry::from_stored(bad, None, None, false).unwrap_err();
            assert_eq!(err.code(), ErrorCode::CorruptVault);
        }
        // A secret that does not belong to the public key.
        let other_secret = cached("prot").to_stored().unwrap().secret;
        let err = PgpEntry::from_stored(
            &public,
            other_secret.as_deref().map(|s| s.as_slice()),
            None,
            false,
        )
        .err()
        .unwrap();
        assert_eq!(err.code(), ErrorCode::CorruptVault);
    }

    /// A sealed summary counts only for its own key and in its own version: one of another
    /// key, or written under other rules (`v`), is ignored and the self-signatures verified.
    #[test]
    fn a_sealed_summary_of_another_version_or_key_is_verified_again() {
        let e = one(fixture!("rsa-pub.asc"), None);
        let stored = e.to_stored().unwrap();
        let mut claims = stored.checked.clone().unwrap();
        // A claim the key's self-signatures do not make.
        claims["summary"]["emails"] = serde_json::json!(["mallory@example.net"]);
        let taken = PgpEntry::from_stored(&stored.public, None, Some(&claims), false).unwrap();
        assert_eq!(taken.emails(), ["mallory@example.net"]);

        let mut old = claims.clone();
        old["v"] = serde_json::json!(SUMMARY_VERSION + 1);
        let other = cached("prot").to_stored().unwrap().checked.unwrap();
        for ignored in [old, other, serde_json::json!({"v": SUMMARY_VERSION})] {
            let back = PgpEntry::from_stored(&stored.public, None, Some(&ignored), false).unwrap();
            assert_eq!(back.info(NOW), e.info(NOW));
        }
    }

    /// GnuPG 2.2 accepts what we export. Runs only when `gpg` is on PATH.
    #[test]
    fn gnupg_imports_exports() {
        use std::process::Command;
        if Command::new("gpg").arg("--version").output().is_err() {
            eprintln!("note: gpg not found on PATH; skipping the GnuPG interop test");
            return;
        }
        let home = std::env::temp_dir().join(format!(
            "mailseal-pgp-unit-{}-{}",
            std::process::id(),
            NOW.unix()
        ));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).unwrap();
        let gpg = |args: &[&str], input: Option<&[u8]>| {
            let file = home.join("input");
            if let Some(data) = input {
                std::fs::write(&file, data).unwrap();
            }
            let mut cmd = Command::new("gpg");
            cmd.arg("--homedir")
                .arg(&home)
                .args(["--batch", "--no-tty"])
                .args(args);
            if input.is_some() {
                cmd.arg(&file);
            }
            cmd.output().unwrap()
        };

        for (which, fpr) in [("prot", PROT_FPR), ("rsa", RSA_FPR), ("stub", RSA_FPR)] {
            let e = cached(which);
            let public = e.export_public().unwrap();
            let out = gpg(&["--import"], Some(public.as_bytes()));
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );

            let secret = e.export_secret("exported pass", &mut rng()).unwrap();
            let out = gpg(
                &[
                    "--pinentry-mode",
                    "loopback",
                    "--passphrase",
                    "exported pass",
                    "--import",
                ],
                Some(&secret),
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let out = gpg(&["--with-colons", "--list-secret-keys", fpr], None);
            let listing = String::from_utf8_lossy(&out.stdout).to_string();
            assert!(
                listing.contains(&format!("fpr:::::::::{fpr}:")),
                "{listing}"
            );
            // The secret material really is usable with the new passphrase.
            let out = gpg(
                &[
                    "--pinentry-mode",
                    "loopback",
                    "--passphrase",
                    "exported pass",
                    "--trust-model",
                    "always",
                    "-r",
                    fpr,
                    "--encrypt",
                    "--armor",
                    "-o",
                    "-",
                ],
                Some(b"round trip"),
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::fs::write(home.join("msg.asc"), &out.stdout).unwrap();
            let msg = home.join("msg.asc");
            let out = Command::new("gpg")
                .arg("--homedir")
                .arg(&home)
                .args([
                    "--batch",
                    "--pinentry-mode",
                    "loopback",
                    "--passphrase",
                    "exported pass",
                ])
                .args(["--decrypt"])
                .arg(&msg)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.stdout, b"round trip");
            let out = gpg(&["--yes", "--delete-secret-and-public-keys", fpr], None);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let _ = Command::new("gpgconf")
            .arg("--homedir")
            .arg(&home)
            .args(["--kill", "all"])
            .output();
        let _ = std::fs::remove_dir_all(&home);
    }
}

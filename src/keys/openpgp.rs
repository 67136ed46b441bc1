//! OpenPGP keys in the keyring, on the `pgp` crate (rPGP).
//!
//! - Transferable public and secret keys: RFC 9580 §10.1 / §10.2, ASCII armor §6.
//! - Key flags, key expiration time and revocations are read from self-signatures
//!   (RFC 9580 §5.2.3.29, §5.2.3.13, §5.2.1) that verify against the primary key; a signature
//!   anyone could have appended (a third-party certification, a bogus revocation, an unbound
//!   subkey or user id) changes nothing.
//! - Secret key material is unlocked once at import and held unprotected in memory, so later
//!   operations need no passphrase; the keyring is sealed at rest (see `vault`). Only GnuPG
//!   "stub" packets (S2K 101, `gpg --export-secret-subkeys`, smartcards) stay as they are: they
//!   hold no secret.
//!
//! No packet is parsed by hand: framing, packets and transferable keys come from `pgp`; this
//! module splits concatenated armor blocks, bounds the work and summarises what it finds.

use core::cell::Cell;
use core::cmp::Reverse;
use core::fmt;
use std::collections::HashSet;
use std::io::Read;

use pgp::armor::{BlockType, Dearmor, DearmorOptions};
use pgp::composed::{
    ArmorOptions, SignedPublicKey, SignedPublicKeyParser, SignedPublicSubKey, SignedSecretKey,
    SignedSecretKeyParser, SignedSecretSubKey,
};
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::public_key::PublicKeyAlgorithm;
use pgp::packet::{
    KeyFlags, Packet, PacketParser, PacketTrait, Signature, SignatureType, SubpacketData,
};
use pgp::ser::Serialize;
use pgp::types::{
    EcdhPublicParams, EcdsaPublicParams, EddsaLegacyPublicParams, KeyDetails, KeyVersion, Password,
    PublicParams, S2kParams, SecretParams, StringToKey, Tag,
};
use rsa::traits::PublicKeyParts;

use crate::bytes::find;
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{KeyInfo, KeyKind, KeyStatus, OnUse, StoredKey, Trust};
use crate::rng::Rng;
use crate::secret::SecretBytes;
use crate::time::Time;

/// Largest input `parse_pgp` accepts.
const MAX_INPUT: usize = 16 * 1024 * 1024;
/// Most transferable keys one import may hold.
const MAX_KEYS: usize = 1000;
/// Most packets one import may hold (a flooded key carries ~150,000 certifications).
const MAX_PACKETS: usize = 250_000;
/// Most self-signature verifications spent on one component (user id, subkey, revocations).
const MAX_VERIFY_PER_COMPONENT: usize = 64;
/// GnuPG's private S2K specifier for secret key stubs (gnu-dummy, gnu-divert-to-card).
const S2K_GNU: u8 = 101;

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

/// The primary key and its validly bound subkeys, as their self-signatures describe them.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Summary {
    primary: KeySummary,
    /// Only subkeys with a binding signature that verifies.
    subkeys: Vec<KeySummary>,
    algorithm: String,
    /// The primary user id (or, if none is validly bound, the first one).
    subject: Option<String>,
    /// Addresses of user ids with a valid, unrevoked self-certification.
    emails: Vec<String>,
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
    /// Key flags allow signing (a signing subkey also signed back).
    pub(crate) sign: bool,
    /// Key flags allow encryption (communications or storage).
    pub(crate) encrypt: bool,
}

/// Parses every transferable key in `data` (armored or binary, one key or a keyring of several
/// keys or armor blocks). Protected secret keys are unlocked with `passphrase`.
pub(crate) fn parse_pgp(
    data: &[u8],
    passphrase: Option<&str>,
    trusted: bool,
) -> Result<Vec<PgpEntry>> {
    if data.len() > MAX_INPUT {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "OpenPGP key data larger than 16 MiB is refused.",
        ));
    }
    let mut found = Found::default();
    if find(data, b"-----BEGIN PGP ").is_some() {
        parse_armored(data, &mut found)?;
    } else if data.first().is_some_and(|b| b & 0x80 != 0) {
        parse_binary(data, &mut found)?;
    } else {
        return Err(Error::unsupported_format(
            "The data is neither ASCII-armored nor binary OpenPGP.",
        ));
    }
    if found.keys.is_empty() {
        return Err(found.nothing_found());
    }
    // A revocation certificate in the same file as its key (`cat key.asc rev.asc`) revokes it,
    // as gpg --import does (the signature is checked when the key is summarised).
    for sig in std::mem::take(&mut found.stray_revocations) {
        for key in &mut found.keys {
            let (primary_fpr, details) = match key {
                Parsed::Public(k) => (k.primary_key.fingerprint(), &mut k.details),
                Parsed::Secret(k) => (k.primary_key.fingerprint(), &mut k.details),
            };
            let named = sig.issuer_fingerprint().iter().any(|f| **f == primary_fpr)
                || sig
                    .issuer_key_id()
                    .iter()
                    .any(|id| primary_fpr.as_bytes().ends_with(id.as_ref()));
            if named {
                details.revocation_signatures.push(sig.clone());
            }
        }
    }

    let mut entries = Vec::with_capacity(found.keys.len());
    let mut unsupported: Option<Error> = None;
    for key in found.keys {
        match entry_from_parsed(key, passphrase, trusted) {
            Ok(entry) => entries.push(entry),
            // A keyring with one antique key among good ones still imports the good ones.
            Err(e) if e.code() == ErrorCode::UnsupportedAlgorithm => {
                unsupported.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
    }
    match (entries.is_empty(), unsupported) {
        (true, Some(e)) => Err(e),
        _ => Ok(entries),
    }
}

/// The key revocation signatures of a revocation certificate (`gpg --gen-revoke`, or the one
/// mailseal makes with a key): signatures outside any key, armored or binary.
pub(crate) fn revocation_certificates(data: &[u8]) -> Vec<pgp::packet::Signature> {
    let mut found = Found::default();
    let read = if find(data, b"-----BEGIN PGP ").is_some() {
        parse_armored(data, &mut found)
    } else {
        parse_binary(data, &mut found)
    };
    if read.is_err() || !found.keys.is_empty() {
        return Vec::new();
    }
    found.stray_revocations
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
const SUMMARY_VERSION: u32 = 1;

impl PgpEntry {
    fn new(public: SignedPublicKey, secret: Option<SignedSecretKey>, trusted: bool) -> Self {
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

    /// This key with `revocation` added, re-summarised: it is revoked only when the signature
    /// verifies with its primary key.
    pub(crate) fn with_revocation(&self, revocation: pgp::packet::Signature) -> Option<PgpEntry> {
        let mut public = self.public_key()?.clone();
        public.details.revocation_signatures.push(revocation);
        let entry = PgpEntry::new(public, None, self.trusted);
        entry.summary.primary.revoked.then_some(entry)
    }

    /// Whether `sig` names this key as its issuer (fingerprint, or key id).
    pub(crate) fn issued(&self, sig: &pgp::packet::Signature) -> bool {
        let fpr = &self.summary.primary.fingerprint;
        sig.issuer_fingerprint()
            .iter()
            .any(|f| f.as_bytes() == fpr.as_slice())
            || sig
                .issuer_key_id()
                .iter()
                .any(|id| fpr.ends_with(id.as_ref()))
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
        let public = match mine.into_key(|b| parse_sealed_public(b, &fpr)) {
            Some(mut public) => {
                merge_public(&mut public, &other_public);
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

    /// The primary key or a validly bound subkey has this legacy key id.
    pub(crate) fn has_key_id(&self, key_id: &[u8; 8]) -> bool {
        core::iter::once(&self.summary.primary)
            .chain(self.summary.subkeys.iter())
            .any(|k| k.key_id == *key_id)
    }

    /// The primary key or a validly bound subkey has this fingerprint.
    pub(crate) fn has_fingerprint(&self, fpr: &[u8]) -> bool {
        core::iter::once(&self.summary.primary)
            .chain(self.summary.subkeys.iter())
            .any(|k| k.fingerprint == fpr)
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

// --- parsing -------------------------------------------------------------------------------

enum Parsed {
    Public(Box<SignedPublicKey>),
    Secret(Box<SignedSecretKey>),
}

/// What the framing layer found, and what it skipped (for a helpful "no key" message).
#[derive(Default)]
struct Found {
    keys: Vec<Parsed>,
    /// Armor blocks that are not keys (messages, signatures), described for the admin.
    other_blocks: Vec<&'static str>,
    /// Packets outside any key (e.g. a bare revocation certificate).
    stray_signatures: bool,
    /// Key revocation signatures outside any key (a revocation certificate), at most
    /// [`MAX_STRAY_REVOCATIONS`].
    stray_revocations: Vec<pgp::packet::Signature>,
    /// Packets the parser skipped as an unsupported version or algorithm.
    unsupported: bool,
}

/// Most key revocations read from one revocation certificate file.
const MAX_STRAY_REVOCATIONS: usize = 16;

impl Found {
    fn push(&mut self, key: Parsed) -> Result<()> {
        if self.keys.len() >= MAX_KEYS {
            return Err(Error::new(
                ErrorCode::TooLarge,
                "More than 1000 OpenPGP keys in one import are refused.",
            ));
        }
        self.keys.push(key);
        Ok(())
    }

    fn nothing_found(&self) -> Error {
        if self.unsupported {
            return Error::new(
                ErrorCode::UnsupportedAlgorithm,
                "The OpenPGP key uses a key version or algorithm mailseal does not support.",
            );
        }
        if let Some(what) = self.other_blocks.first() {
            return Error::unsupported_format(format!(
                "This is {what}, not a key. Import a public or private key block."
            ));
        }
        if self.stray_signatures {
            return Error::unsupported_format(
                "The OpenPGP data holds signatures but no key. A revocation certificate can \
                 only be imported together with the key it revokes.",
            );
        }
        Error::unsupported_format("The OpenPGP data holds no key.")
    }
}

fn damaged() -> Error {
    Error::unsupported_format("The OpenPGP key data is damaged or incomplete.")
}

/// Splits the input at every armor header line and decodes each key block. Other blocks
/// (messages, signatures) are skipped undecoded: a pasted mail may carry them next to a key.
fn parse_armored(data: &[u8], found: &mut Found) -> Result<()> {
    const BEGIN: &[u8] = b"-----BEGIN PGP ";
    let mut starts = Vec::new();
    let mut offset = 0;
    while let Some(pos) = data.get(offset..).and_then(|rest| find(rest, BEGIN)) {
        starts.push(offset + pos);
        offset += pos + BEGIN.len();
    }
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(data.len());
        let Some(block) = data.get(start..end) else {
            continue;
        };
        // Text after the END line (a mail signature, a tool's messages) is not part of the
        // block; gpg ignores it too.
        let block = match find(block, b"-----END PGP ") {
            Some(at) => {
                let line_end = block[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(block.len(), |n| at + n + 1);
                &block[..line_end]
            }
            None => block,
        };
        let label = block.get(BEGIN.len()..).unwrap_or_default();
        let is_key = [
            &b"PUBLIC KEY BLOCK-----"[..],
            b"PRIVATE KEY BLOCK-----",
            b"ARMORED FILE-----",
        ]
        .iter()
        .any(|l| label.starts_with(l));
        if !is_key {
            found.other_blocks.push(if label.starts_with(b"MESSAGE") {
                "an OpenPGP message"
            } else if label.starts_with(b"SIGNATURE") {
                "an OpenPGP signature"
            } else if label.starts_with(b"SIGNED MESSAGE") {
                "a signed OpenPGP text"
            } else {
                "an OpenPGP block of another kind"
            });
            continue;
        }
        let mut dearmor = Dearmor::with_options(block, DearmorOptions::new().set_limit(MAX_INPUT));
        dearmor
            .read_header()
            .map_err(|_| Error::unsupported_format("The OpenPGP armor header is damaged."))?;
        if !matches!(
            dearmor.typ,
            Some(BlockType::PublicKey | BlockType::PrivateKey | BlockType::File)
        ) {
            return Err(damaged());
        }
        // Decoded base64 is shorter than its text, so this buffer never reallocates (an
        // unprotected secret key must not leave copies behind).
        let mut binary = SecretBytes::new(Vec::with_capacity(block.len()));
        dearmor.read_to_end(&mut binary).map_err(|_| {
            Error::unsupported_format("The OpenPGP armor is damaged or incomplete.")
        })?;
        parse_binary(&binary, found)?;
    }
    Ok(())
}

/// Parses a binary packet stream into transferable keys.
fn parse_binary(data: &[u8], found: &mut Found) -> Result<()> {
    let packet_count = Cell::new(0usize);
    let unsupported = Cell::new(false);
    let incomplete = Cell::new(false);
    let filter = |p: pgp::errors::Result<Packet>| -> Option<pgp::errors::Result<Packet>> {
        packet_count.set(packet_count.get() + 1);
        match p {
            // Marker, padding and keyring trust packets carry nothing for us (RFC 9580 §5.8,
            // §5.14, §5.10); GnuPG 1.x keyring files interleave trust packets.
            Ok(Packet::Marker(_) | Packet::Padding(_) | Packet::Trust(_)) => None,
            Ok(p) => Some(Ok(p)),
            Err(pgp::errors::Error::Unsupported { .. }) => {
                unsupported.set(true);
                None
            }
            Err(pgp::errors::Error::InvalidPacketContent { source })
                if matches!(
                    *source,
                    pgp::errors::Error::Unsupported { .. }
                        | pgp::errors::Error::EllipticCurve { .. }
                ) =>
            {
                unsupported.set(true);
                None
            }
            // rPGP reports an ECDH subkey on a curve it cannot compute with (secp256k1) only
            // as a message.
            Err(pgp::errors::Error::InvalidPacketContent { source })
                if matches!(&*source, pgp::errors::Error::Message { message, .. }
                    if message.starts_with("Unsupported curve")) =>
            {
                unsupported.set(true);
                None
            }
            Err(pgp::errors::Error::PacketIncomplete { .. }) => {
                incomplete.set(true);
                None
            }
            Err(e) => Some(Err(e)),
        }
    };
    let mut packets = PacketParser::new(data)
        .filter_map(filter)
        .take(MAX_PACKETS + 1)
        .peekable();
    loop {
        let tag = match packets.peek() {
            None => break,
            Some(Ok(p)) => p.tag(),
            Some(Err(_)) => return Err(damaged()),
        };
        match tag {
            Tag::PublicKey => {
                let mut parser = SignedPublicKeyParser::from_packets(packets);
                let next = parser.next();
                packets = parser.into_inner();
                match next {
                    Some(Ok(key)) => found.push(Parsed::Public(Box::new(key)))?,
                    Some(Err(_)) => return Err(damaged()),
                    None => {}
                }
            }
            Tag::SecretKey => {
                let mut parser = SignedSecretKeyParser::from_packets(packets);
                let next = parser.next();
                packets = parser.into_inner();
                match next {
                    Some(Ok(key)) => found.push(Parsed::Secret(Box::new(key)))?,
                    Some(Err(_)) => return Err(damaged()),
                    None => {}
                }
            }
            other => {
                // Packets outside a key: skip, remembering what they were (key revocations:
                // a revocation certificate for a key the keyring may hold).
                if other == Tag::Signature {
                    found.stray_signatures = true;
                }
                if let Some(Ok(Packet::Signature(sig))) = packets.next() {
                    if sig.typ() == Some(SignatureType::KeyRevocation)
                        && found.stray_revocations.len() < MAX_STRAY_REVOCATIONS
                    {
                        found.stray_revocations.push(sig);
                    }
                }
            }
        }
    }
    drop(packets);
    if packet_count.get() > MAX_PACKETS {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "The OpenPGP data holds too many packets (more than 250,000).",
        ));
    }
    if incomplete.get() {
        return Err(damaged());
    }
    found.unsupported |= unsupported.get();
    Ok(())
}

/// Checks the algorithm, unlocks the secret material and builds the entry.
fn entry_from_parsed(key: Parsed, passphrase: Option<&str>, trusted: bool) -> Result<PgpEntry> {
    match key {
        Parsed::Public(public) => {
            check_supported(&public)?;
            Ok(PgpEntry::new(*public, None, trusted))
        }
        Parsed::Secret(mut secret) => {
            let public = secret.to_public_key();
            check_supported(&public)?;
            unprotect(&mut secret, passphrase)?;
            let usable = !is_stub(secret.primary_key.secret_params())
                || secret
                    .secret_subkeys
                    .iter()
                    .any(|s| !is_stub(s.key.secret_params()));
            Ok(PgpEntry::new(public, usable.then_some(*secret), trusted))
        }
    }
}

fn check_supported(key: &SignedPublicKey) -> Result<()> {
    let fpr = hex::encode_upper(key.fingerprint().as_bytes());
    if !matches!(key.version(), KeyVersion::V4 | KeyVersion::V6) {
        return Err(Error::new(
            ErrorCode::UnsupportedAlgorithm,
            format!(
                "The OpenPGP key {fpr} is a legacy version {} key (PGP 2.x); mailseal supports \
                 version 4 and 6 keys.",
                u8::from(key.version())
            ),
        ));
    }
    let alg = algorithm_name(key.public_params());
    if alg == "secp256k1" {
        // rPGP hands libgcrypt's signatures to k256 unnormalised, which refuses every one with
        // a high S (about half of them): such keys would make good signatures look invalid.
        return Err(Error::new(
            ErrorCode::UnsupportedAlgorithm,
            format!(
                "The OpenPGP key {fpr} uses the secp256k1 curve, which mailseal does not \
                 support (RSA, Ed25519/Cv25519 and the NIST curves are)."
            ),
        ));
    }
    if alg == "unknown" {
        return Err(Error::new(
            ErrorCode::UnsupportedAlgorithm,
            format!(
                "The OpenPGP key {fpr} uses a public key algorithm or curve mailseal does not \
                 support ({:?}).",
                key.algorithm()
            ),
        ));
    }
    Ok(())
}

/// A GnuPG stub: an "encrypted" secret packet that holds no secret at all.
fn is_stub(params: &SecretParams) -> bool {
    match params {
        SecretParams::Plain(_) => false,
        SecretParams::Encrypted(enc) => match enc.string_to_key_params() {
            S2kParams::Cfb { s2k, .. }
            | S2kParams::MalleableCfb { s2k, .. }
            | S2kParams::Aead { s2k, .. } => {
                matches!(s2k, StringToKey::Private { typ: S2K_GNU, .. })
            }
            S2kParams::Unprotected | S2kParams::LegacyCfb { .. } => false,
        },
    }
}

/// Removes the passphrase protection of every protected (non-stub) secret packet.
fn unprotect(secret: &mut SignedSecretKey, passphrase: Option<&str>) -> Result<()> {
    let needs = |p: &SecretParams| p.is_encrypted() && !is_stub(p);
    let any_locked = needs(secret.primary_key.secret_params())
        || secret
            .secret_subkeys
            .iter()
            .any(|s| needs(s.key.secret_params()));
    if !any_locked {
        return Ok(());
    }
    let Some(passphrase) = passphrase else {
        return Err(Error::bad_passphrase());
    };
    // The key chooses its S2K's cost: bounded before any derivation (keys/kdf.rs). An Argon2
    // S2K asking for 2 GiB aborted the wasm module and left the keyring unusable.
    let params = core::iter::once(secret.primary_key.secret_params())
        .chain(secret.secret_subkeys.iter().map(|s| s.key.secret_params()));
    for p in params {
        if needs(p) && !s2k_within_budget(p) {
            return Err(crate::keys::kdf::too_costly(
                "private key's passphrase protection (S2K)",
            ));
        }
    }
    let password = Password::from(passphrase);
    let unlock_error = |e: pgp::errors::Error| match e {
        pgp::errors::Error::Unsupported { .. } | pgp::errors::Error::Unimplemented { .. } => {
            Error::new(
                ErrorCode::UnsupportedAlgorithm,
                "The private key is protected with a cipher or S2K method mailseal does not \
                 support.",
            )
        }
        _ => Error::bad_passphrase(),
    };
    if needs(secret.primary_key.secret_params()) {
        secret
            .primary_key
            .remove_password(&password)
            .map_err(unlock_error)?;
    }
    for sub in &mut secret.secret_subkeys {
        if needs(sub.key.secret_params()) {
            sub.key.remove_password(&password).map_err(unlock_error)?;
        }
    }
    Ok(())
}

/// Whether a protected secret key's S2K stays within keys/kdf.rs. Argon2 (RFC 9580 §3.7.1.4):
/// memory 2^encoded_m KiB, t passes, p lanes. The iterated S2K hashes at most 65 MiB (its
/// count octet cannot say more); the others do one hash.
fn s2k_within_budget(params: &SecretParams) -> bool {
    let SecretParams::Encrypted(enc) = params else {
        return true;
    };
    let s2k = match enc.string_to_key_params() {
        S2kParams::Cfb { s2k, .. }
        | S2kParams::MalleableCfb { s2k, .. }
        | S2kParams::Aead { s2k, .. } => s2k,
        S2kParams::Unprotected | S2kParams::LegacyCfb { .. } => return true,
    };
    match s2k {
        StringToKey::Argon2 { t, p, m_enc, .. } => {
            let memory_kib = 1u64.checked_shl(u32::from(*m_enc)).unwrap_or(u64::MAX);
            crate::keys::kdf::argon2_ok(memory_kib, u64::from(*t), u64::from(*p))
        }
        _ => true,
    }
}

// --- summary of the self-signatures ----------------------------------------------------------

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
fn may_be_issued_by(sig: &Signature, key: &pgp::packet::PublicKey) -> bool {
    let ids = sig.issuer_key_id();
    let fprs = sig.issuer_fingerprint();
    if ids.is_empty() && fprs.is_empty() {
        return true;
    }
    let (id, fpr) = (key.legacy_key_id(), key.fingerprint());
    ids.iter().any(|i| **i == id) || fprs.iter().any(|f| **f == fpr)
}

/// The newest self-signature by `primary` among `sigs` for which `verify` succeeds.
fn latest_valid<'a>(
    primary: &pgp::packet::PublicKey,
    sigs: impl Iterator<Item = &'a Signature>,
    verify: impl Fn(&Signature) -> bool,
) -> Option<&'a Signature> {
    let mut candidates: Vec<&Signature> = sigs
        .filter(|s| acceptable(s) && may_be_issued_by(s, primary))
        .collect();
    candidates.sort_by_key(|s| Reverse(created_secs(s)));
    candidates
        .into_iter()
        .take(MAX_VERIFY_PER_COMPONENT)
        .find(|s| verify(s))
}

fn any_valid<'a>(
    primary: &pgp::packet::PublicKey,
    sigs: impl Iterator<Item = &'a Signature>,
    verify: impl Fn(&Signature) -> bool,
) -> bool {
    latest_valid(primary, sigs, verify).is_some()
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

/// Key algorithms mailseal can encrypt to and decrypt with. Not ElGamal (old GnuPG DSA/ElGamal
/// keys): rPGP implements neither direction, so such a subkey must not be offered.
fn can_encrypt_alg(alg: PublicKeyAlgorithm) -> bool {
    matches!(
        alg,
        PublicKeyAlgorithm::RSA
            | PublicKeyAlgorithm::RSAEncrypt
            | PublicKeyAlgorithm::ECDH
            | PublicKeyAlgorithm::X25519
            | PublicKeyAlgorithm::X448
    )
}

fn summarize(key: &SignedPublicKey) -> Summary {
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
    let expires = sources.iter().find_map(|s| expiry(created, s)).flatten();
    let revoked = any_valid(
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
            (f.encrypt_comms() || f.encrypt_storage()) && can_encrypt_alg(primary.algorithm()),
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

    let subject = primary_user
        .map(|(u, _)| &u.id)
        .or_else(|| key.details.users.first().map(|u| &u.id))
        .map(user_id_string);

    Summary {
        primary: primary_summary,
        subkeys,
        algorithm: algorithm_name(primary.public_params()),
        subject,
        emails,
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
    let revoked = any_valid(
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
            (f.encrypt_comms() || f.encrypt_storage()) && can_encrypt_alg(sub.key.algorithm()),
        ),
        None => (false, can_encrypt_alg(sub.key.algorithm())),
    };
    Some(KeySummary {
        fingerprint: sub.key.fingerprint().as_bytes().to_vec(),
        key_id: key_id_bytes(sub.key.legacy_key_id().as_ref()),
        created,
        expires: expiry(created, binding).flatten(),
        revoked,
        sign,
        encrypt,
    })
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

/// The addr-spec of a user id: "Name <addr>" or a bare address; lowercase (ASCII).
fn addr_spec(uid: &str) -> Option<String> {
    let candidate = match (uid.rfind('<'), uid.rfind('>')) {
        (Some(open), Some(close)) if open < close => uid.get(open + 1..close)?,
        _ => uid,
    }
    .trim();
    let (local, domain) = candidate.split_once('@')?;
    let valid = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !candidate
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c));
    valid.then(|| candidate.to_ascii_lowercase())
}

/// `rsa3072`, `ed25519`, `cv25519`, `p256`, ...; `unknown` for what mailseal cannot use.
fn algorithm_name(params: &PublicParams) -> String {
    let name = match params {
        PublicParams::RSA(p) => return format!("rsa{}", p.key.n().bits()),
        PublicParams::DSA(_) => "dsa",
        PublicParams::Elgamal(_) => "elgamal",
        PublicParams::ECDSA(p) => match p {
            EcdsaPublicParams::P256 { .. } => "p256",
            EcdsaPublicParams::P384 { .. } => "p384",
            EcdsaPublicParams::P521 { .. } => "p521",
            EcdsaPublicParams::Secp256k1 { .. } => "secp256k1",
            EcdsaPublicParams::Unsupported { .. } => "unknown",
        },
        PublicParams::ECDH(p) => match p {
            EcdhPublicParams::Curve25519Legacy { .. } => "cv25519",
            EcdhPublicParams::P256 { .. } => "p256",
            EcdhPublicParams::P384 { .. } => "p384",
            EcdhPublicParams::P521 { .. } => "p521",
            EcdhPublicParams::Brainpool256 { .. } => "brainpoolP256r1",
            EcdhPublicParams::Brainpool384 { .. } => "brainpoolP384r1",
            EcdhPublicParams::Brainpool512 { .. } => "brainpoolP512r1",
            EcdhPublicParams::Unsupported { .. } => "unknown",
        },
        PublicParams::EdDSALegacy(p) => match p {
            EddsaLegacyPublicParams::Ed25519 { .. } => "ed25519",
            EddsaLegacyPublicParams::Unsupported { .. } => "unknown",
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

// --- merging ---------------------------------------------------------------------------------

/// Adds the signatures of `from` that `into` lacks (compared by their serialized body).
fn merge_sigs(into: &mut Vec<Signature>, from: &[Signature]) {
    let mut seen: HashSet<Vec<u8>> = into.iter().filter_map(|s| s.to_bytes().ok()).collect();
    for sig in from {
        let Ok(bytes) = sig.to_bytes() else {
            continue;
        };
        if seen.insert(bytes) {
            into.push(sig.clone());
        }
    }
}

fn merge_public(base: &mut SignedPublicKey, other: &SignedPublicKey) {
    let (details, other_details) = (&mut base.details, &other.details);
    merge_sigs(
        &mut details.revocation_signatures,
        &other_details.revocation_signatures,
    );
    merge_sigs(
        &mut details.direct_signatures,
        &other_details.direct_signatures,
    );
    for user in &other_details.users {
        match details.users.iter_mut().find(|u| u.id.id() == user.id.id()) {
            Some(existing) => merge_sigs(&mut existing.signatures, &user.signatures),
            None => details.users.push(user.clone()),
        }
    }
    for attr in &other_details.user_attributes {
        match details
            .user_attributes
            .iter_mut()
            .find(|a| a.attr == attr.attr)
        {
            Some(existing) => merge_sigs(&mut existing.signatures, &attr.signatures),
            None => details.user_attributes.push(attr.clone()),
        }
    }
    for sub in &other.public_subkeys {
        let fpr = sub.key.fingerprint();
        match base
            .public_subkeys
            .iter_mut()
            .find(|s| s.key.fingerprint() == fpr)
        {
            Some(existing) => merge_sigs(&mut existing.signatures, &sub.signatures),
            None => base.public_subkeys.push(sub.clone()),
        }
    }
}

/// Both sides hold secret material for the same primary key: keep real material over stubs
/// and take secret subkeys only one side has.
fn merge_secret_material(mut a: SignedSecretKey, b: SignedSecretKey) -> SignedSecretKey {
    let SignedSecretKey {
        primary_key,
        secret_subkeys,
        ..
    } = b;
    if is_stub(a.primary_key.secret_params()) && !is_stub(primary_key.secret_params()) {
        a.primary_key = primary_key;
    }
    for sub in secret_subkeys {
        let fpr = sub.key.fingerprint();
        match a
            .secret_subkeys
            .iter_mut()
            .find(|s| s.key.fingerprint() == fpr)
        {
            Some(existing) => {
                if is_stub(existing.key.secret_params()) && !is_stub(sub.key.secret_params()) {
                    *existing = sub;
                }
            }
            None => a.secret_subkeys.push(sub),
        }
    }
    a
}

/// Rebuilds the secret key around its material with the (merged) public key's user ids,
/// signatures and subkeys, so that exports carry everything the keyring knows.
fn resync_secret(secret: SignedSecretKey, public: &SignedPublicKey) -> SignedSecretKey {
    let SignedSecretKey {
        primary_key,
        secret_subkeys,
        ..
    } = secret;
    let secret_subkeys: Vec<SignedSecretSubKey> = secret_subkeys
        .into_iter()
        .map(|mut sub| {
            let fpr = sub.key.fingerprint();
            if let Some(p) = public
                .public_subkeys
                .iter()
                .find(|p| p.key.fingerprint() == fpr)
            {
                merge_sigs(&mut sub.signatures, &p.signatures);
            }
            sub
        })
        .collect();
    let public_subkeys = public
        .public_subkeys
        .iter()
        .filter(|p| {
            let fpr = p.key.fingerprint();
            !secret_subkeys.iter().any(|s| s.key.fingerprint() == fpr)
        })
        .cloned()
        .collect();
    SignedSecretKey::new(
        primary_key,
        public.details.clone(),
        public_subkeys,
        secret_subkeys,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::keys::import::looks_like_pgp;
    use pgp::composed::Deserializable;
    use rand_chacha::rand_core::SeedableRng;

    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/data/pgp-unit/",
                $name
            ))
            .as_slice()
        };
    }

    const ED_FPR: &str = "442D2A9F478D5DF7D3627F5953F7E16837737910";
    const RSA_FPR: &str = "E635E3B86FD3FA5F028B9E0B155BE08034A6886D";
    const OLD_FPR: &str = "9FAF6E0DBA9C703A980997F17EC51A00B86C92EB";
    const REV_FPR: &str = "3F072A5842ADDE0C393F71574856115E09433A6C";
    const PROT_FPR: &str = "FC1922DBEA148A414ECFFA4FD75C96CBB433DBFF";
    /// 2025-06-01T00:00:00Z
    const NOW: Time = Time::from_unix(1_748_736_000);

    fn one(data: &[u8], pass: Option<&str>) -> PgpEntry {
        let mut v = parse_pgp(data, pass, false).expect("parses");
        assert_eq!(v.len(), 1);
        v.remove(0)
    }

    fn rng() -> rand_chacha::ChaCha20Rng {
        rand_chacha::ChaCha20Rng::seed_from_u64(7)
    }

    /// Protected keys are unlocked once per test run: GnuPG's S2K runs 65 million SHA-1
    /// rounds per packet, which takes seconds in an unoptimized build.
    fn cached(which: &'static str) -> PgpEntry {
        use std::sync::OnceLock;
        static RSA: OnceLock<PgpEntry> = OnceLock::new();
        static PROT: OnceLock<PgpEntry> = OnceLock::new();
        static STUB: OnceLock<PgpEntry> = OnceLock::new();
        let (cell, data, pass) = match which {
            "rsa" => (&RSA, fixture!("rsa-sec-protected.gpg"), "rsa pass"),
            "prot" => (&PROT, fixture!("prot-ed-sec.asc"), "ed pass"),
            _ => (&STUB, fixture!("rsa-sec-subkeys-only.asc"), "rsa pass"),
        };
        cell.get_or_init(|| one(data, Some(pass))).clone()
    }

    #[test]
    fn detects_openpgp() {
        assert!(looks_like_pgp(fixture!("ed-pub.asc")));
        assert!(looks_like_pgp(fixture!("ed-sec.asc")));
        assert!(looks_like_pgp(fixture!("ed-sec.gpg")));
        assert!(looks_like_pgp(fixture!("rsa-sec-protected.gpg")));
        let public_binary = one(fixture!("ed-pub.asc"), None)
            .to_stored()
            .unwrap()
            .public;
        assert!(looks_like_pgp(&public_binary));
        // New-format packet headers: 0xC6 public key, 0xC5 secret key.
        assert!(looks_like_pgp(&[0xC6, 0x33]));
        assert!(looks_like_pgp(&[0xC5, 0x33]));
        assert!(!looks_like_pgp(&[0xC2, 0x33])); // a signature packet
        assert!(!looks_like_pgp(b""));
        assert!(!looks_like_pgp(
            b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
        ));
        assert!(!looks_like_pgp(&[0x30, 0x82, 0x01, 0x0a])); // DER
        assert!(looks_like_pgp(
            b"text before\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n"
        ));
    }

    #[test]
    fn unprotected_ed25519_secret_key() {
        let e = one(fixture!("ed-sec.asc"), None);
        assert_eq!(e.id(), ED_FPR);
        assert!(e.has_secret());
        let info = e.info(NOW);
        assert_eq!(info.kind, KeyKind::Pgp);
        assert_eq!(info.emails, ["ed.second@example.net", "ed@example.org"]);
        assert!(info.has_secret && info.can_sign && info.can_encrypt);
        assert!(!info.trusted && !info.is_ca);
        assert_eq!(info.algorithm, "ed25519");
        assert_eq!(info.created, "2024-01-01T00:00:00Z");
        assert_eq!(info.expires, None);
        assert_eq!(info.status, KeyStatus::Valid);
        assert_eq!(info.issuer, None);
        // No user id is flagged primary: the newest self-certification wins, as in GnuPG.
        assert_eq!(
            info.subject.as_deref(),
            Some("Ed Second <Ed.Second@Example.NET>")
        );
        assert_eq!(info.key_ids, ["53F7E16837737910", "261F4ABE6E3F3797"]);
        assert_eq!(e.emails(), info.emails);
        // The binary export of the same key gives the same entry.
        let b = one(fixture!("ed-sec.gpg"), None);
        assert_eq!(b.info(NOW), info);
    }

    #[test]
    fn protected_keys_need_the_passphrase() {
        for (data, pass, fpr, which) in [
            (
                fixture!("rsa-sec-protected.gpg"),
                "rsa pass",
                RSA_FPR,
                "rsa",
            ),
            (fixture!("prot-ed-sec.asc"), "ed pass", PROT_FPR, "prot"),
        ] {
            for wrong in [None, Some("wrong")] {
                let err = parse_pgp(data, wrong, false).expect_err("refused");
                assert_eq!(err.code(), ErrorCode::BadPassphrase);
                assert!(!err.message().contains(pass));
            }
            let e = cached(which);
            assert_eq!(e.id(), fpr);
            let sk = e.secret_key().expect("secret");
            // Held unprotected in memory.
            assert!(!sk.primary_key.secret_params().is_encrypted());
            assert!(sk
                .secret_subkeys
                .iter()
                .all(|s| !s.key.secret_params().is_encrypted()));
            assert_eq!(sk.secret_subkeys.len(), 1);
            let info = e.info(NOW);
            assert!(info.has_secret && info.can_sign && info.can_encrypt);
        }
        let rsa = cached("rsa").info(NOW);
        assert_eq!(rsa.algorithm, "rsa3072");
        let prot = cached("prot").info(NOW);
        assert_eq!(prot.emails, ["prot@example.com"]);
        // A passphrase given for an unprotected key is ignored.
        assert!(one(fixture!("ed-sec.asc"), Some("unused")).has_secret());
    }

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
    fn revocation_and_merge_gains_it() {
        let revoked = one(fixture!("revoked-pub.asc"), None);
        assert_eq!(revoked.id(), REV_FPR);
        assert_eq!(revoked.info(NOW).status, KeyStatus::Revoked);
        let before = one(fixture!("revoked-pub-before.asc"), None);
        assert_eq!(before.info(NOW).status, KeyStatus::Valid);

        let mut merged = before.clone();
        merged.merge(revoked.clone());
        assert_eq!(merged.info(NOW).status, KeyStatus::Revoked);
        let mut merged2 = revoked;
        merged2.merge(before);
        assert_eq!(merged2.info(NOW).status, KeyStatus::Revoked);
        // The revocation survives export and re-import.
        let again = one(merged.export_public().unwrap().as_bytes(), None);
        assert_eq!(again.info(NOW).status, KeyStatus::Revoked);
    }

    #[test]
    fn a_bare_revocation_certificate_is_no_key() {
        let err = parse_pgp(fixture!("revoked.rev"), None, false)
            .err()
            .unwrap();
        assert_eq!(err.code(), ErrorCode::UnsupportedFormat);
        assert!(err.message().contains("revocation"), "{}", err.message());
    }

    #[test]
    fn merge_gains_secret_user_ids_and_trust() {
        let mut e = one(fixture!("ed-pub-v1.asc"), None);
        assert_eq!(e.emails(), ["ed@example.org"]);
        assert!(!e.has_secret());
        let mut secret = parse_pgp(fixture!("ed-sec.asc"), None, true).unwrap();
        e.merge(secret.remove(0));
        assert!(e.has_secret() && e.trusted());
        assert_eq!(e.emails(), ["ed.second@example.net", "ed@example.org"]);
        // The secret key carries what the public one knows.
        let sk = e.secret_key().unwrap();
        assert_eq!(sk.details.users.len(), 2);

        // Merging the old public key back keeps the secret and both user ids; trust stays.
        e.merge(one(fixture!("ed-pub-v1.asc"), None));
        assert!(e.has_secret() && e.trusted());
        assert_eq!(e.emails().len(), 2);
        // Nothing is duplicated.
        assert_eq!(e.public_key().unwrap().details.users.len(), 2);
        assert_eq!(e.public_key().unwrap().public_subkeys.len(), 1);
        for u in &e.public_key().unwrap().details.users {
            assert_eq!(u.signatures.len(), 1);
        }
        // A different key is never merged in.
        let before = e.info(NOW);
        e.merge(one(fixture!("rsa-pub.asc"), None));
        assert_eq!(e.info(NOW), before);
        e.set_trusted(false);
        assert!(!e.trusted());
    }

    #[test]
    fn keyrings_and_several_blocks() {
        for data in [fixture!("keyring-2.asc"), fixture!("two-blocks.asc")] {
            let v = parse_pgp(data, None, true).unwrap();
            let ids: Vec<String> = v.iter().map(PgpEntry::id).collect();
            assert_eq!(ids, [ED_FPR, OLD_FPR]);
            assert!(v.iter().all(PgpEntry::trusted));
        }
        // Public and secret blocks mixed, with text around them.
        let mut mixed = b"Hello,\r\nhere are my keys:\r\n\r\n".to_vec();
        mixed.extend_from_slice(fixture!("rsa-pub.asc"));
        mixed.extend_from_slice(b"\r\nand\r\n");
        mixed.extend_from_slice(fixture!("ed-sec.asc"));
        mixed.extend_from_slice(b"\r\n-- \r\nsignature\r\n");
        let v = parse_pgp(&mixed, None, false).unwrap();
        assert_eq!(v.len(), 2);
        assert!(!v[0].has_secret() && v[1].has_secret());
        // Concatenated binary keys.
        let mut bin = one(fixture!("rsa-pub.asc"), None)
            .to_stored()
            .unwrap()
            .public;
        bin.extend_from_slice(fixture!("ed-sec.gpg"));
        let v = parse_pgp(&bin, None, false).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].id(), ED_FPR);
    }

    #[test]
    fn gnupg_stubs_keep_the_subkeys() {
        let e = cached("stub");
        assert!(e.has_secret());
        let sk = e.secret_key().unwrap();
        assert!(is_stub(sk.primary_key.secret_params()));
        assert!(!sk.secret_subkeys[0].key.secret_params().is_encrypted());
        // Merging the full secret key replaces the stub.
        let mut e2 = e.clone();
        e2.merge(cached("rsa"));
        let sk2 = e2.secret_key().unwrap();
        assert!(!sk2.primary_key.secret_params().is_encrypted());
        // A stub-only export still needs the passphrase for its subkeys.
        let err = parse_pgp(fixture!("rsa-sec-subkeys-only.asc"), None, false)
            .err()
            .unwrap();
        assert_eq!(err.code(), ErrorCode::BadPassphrase);
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

    #[test]
    fn refuses_what_is_not_a_key() {
        let cases: [(&[u8], ErrorCode); 6] = [
            (b"hello", ErrorCode::UnsupportedFormat),
            (b"", ErrorCode::UnsupportedFormat),
            (
                b"-----BEGIN PGP MESSAGE-----\n\nhQEMA1sb\n=abcd\n-----END PGP MESSAGE-----\n",
                ErrorCode::UnsupportedFormat,
            ),
            (
                b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA!!!\n-----END PGP PUBLIC KEY BLOCK-----\n",
                ErrorCode::UnsupportedFormat,
            ),
            (b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n", ErrorCode::UnsupportedFormat),
            (&[0x99, 0x00, 0x05, 0x04, 0x00], ErrorCode::UnsupportedFormat),
        ];
        for (data, code) in cases {
            let err = parse_pgp(data, None, false).expect_err("refused");
            assert_eq!(err.code(), code, "{data:?}: {err}");
        }
        let msg = parse_pgp(cases[2].0, None, false).unwrap_err();
        assert!(msg.message().contains("message"), "{msg}");
    }

    #[test]
    fn other_armor_blocks_are_skipped() {
        let mut mail = b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nhi\n".to_vec();
        mail.extend_from_slice(b"-----BEGIN PGP SIGNATURE-----\n\n!!broken!!\n");
        mail.extend_from_slice(b"-----END PGP SIGNATURE-----\n");
        let err = parse_pgp(&mail, None, false).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnsupportedFormat);
        assert!(err.message().contains("signed OpenPGP text"), "{err}");
        mail.extend_from_slice(fixture!("ed-pub.asc"));
        assert_eq!(one(&mail, None).id(), ED_FPR);
    }

    #[test]
    fn bounds_the_work() {
        let big = vec![0x99u8; MAX_INPUT + 1];
        assert_eq!(
            parse_pgp(&big, None, false).unwrap_err().code(),
            ErrorCode::TooLarge
        );
        let one_key = one(fixture!("revoked-pub-before.asc"), None)
            .to_stored()
            .unwrap()
            .public;
        let many: Vec<u8> = one_key
            .iter()
            .copied()
            .cycle()
            .take(one_key.len() * 1001)
            .collect();
        assert_eq!(
            parse_pgp(&many, None, false).unwrap_err().code(),
            ErrorCode::TooLarge
        );
        let ok: Vec<u8> = one_key
            .iter()
            .copied()
            .cycle()
            .take(one_key.len() * 3)
            .collect();
        assert_eq!(parse_pgp(&ok, None, false).unwrap().len(), 3);
    }

    #[test]
    fn never_panics_on_damaged_input() {
        let public = one(fixture!("ed-pub.asc"), None)
            .to_stored()
            .unwrap()
            .public;
        let secret = fixture!("ed-sec.gpg");
        for data in [&public[..], secret] {
            for cut in 0..data.len() {
                let _ = parse_pgp(&data[..cut], None, false);
            }
            // Every damaged key still verifies its self-signatures, which is slow in an
            // unoptimized build: one flip on every third byte, alternating patterns.
            let positions = (0..data.len()).step_by(3);
            for (i, flip) in positions.zip([0x01u8, 0x80, 0xff].into_iter().cycle()) {
                let mut d = data.to_vec();
                d[i] ^= flip;
                // No passphrase: a flipped S2K usage octet must not start a 65M-round S2K.
                let _ = parse_pgp(&d, None, false);
            }
        }
        let armored = fixture!("ed-pub.asc");
        for cut in (0..armored.len()).step_by(7) {
            let _ = parse_pgp(&armored[..cut], None, false);
        }
    }

    /// RFC 9580 v6 keys (Ed25519 / X25519, algorithms 27 / 25): properties on the direct-key
    /// signature. GnuPG 2.2 cannot make them, so the key is generated here.
    #[allow(clippy::disallowed_methods)] // Instant: native test only
    #[test]
    fn v6_keys() {
        use pgp::composed::{EncryptionCaps, KeyType, SecretKeyParamsBuilder, SubkeyParamsBuilder};
        use pgp::types::Timestamp;
        let created = Timestamp::from_secs(1_704_067_200);
        let subkey = SubkeyParamsBuilder::default()
            .version(KeyVersion::V6)
            .key_type(KeyType::X25519)
            .can_encrypt(EncryptionCaps::All)
            .created_at(created)
            .build()
            .unwrap();
        let params = SecretKeyParamsBuilder::default()
            .version(KeyVersion::V6)
            .key_type(KeyType::Ed25519)
            .can_certify(true)
            .can_sign(true)
            .primary_user_id("Six <Six@Example.org>".into())
            .created_at(created)
            .subkey(subkey)
            .build()
            .unwrap();
        let key = params.generate(rng()).unwrap();
        let armored = key.to_armored_bytes(ArmorOptions::default()).unwrap();
        let e = one(&armored, None);
        let info = e.info(NOW);
        assert_eq!(info.algorithm, "ed25519");
        assert_eq!(info.emails, ["six@example.org"]);
        assert_eq!(info.id.len(), 64);
        assert!(info.has_secret && info.can_sign && info.can_encrypt);
        assert_eq!(info.status, KeyStatus::Valid);
        assert_eq!(info.key_ids.len(), 2);
        // The export is protected (v6: Argon2 + AEAD) and comes back with the passphrase.
        let out = e.export_secret("six", &mut rng()).unwrap();
        let back = one(&out, Some("six"));
        assert_eq!(back.info(NOW), info);
        assert_eq!(
            parse_pgp(&out, Some("five"), false).unwrap_err().code(),
            ErrorCode::BadPassphrase
        );

        // The same export with its Argon2 S2K asking for 2 GiB (encoded_m 21; RFC 9580's
        // first choice) or 1 GiB x 32 passes: refused as too_large before any derivation,
        // which would abort the wasm module (2 GiB) or run for most of a minute.
        let (locked, _) = SignedSecretKey::from_armor_single(out.as_slice()).unwrap();
        let SecretParams::Encrypted(enc) = locked.primary_key.secret_params() else {
            panic!("protected");
        };
        let S2kParams::Aead {
            s2k: StringToKey::Argon2 { salt, t, p, m_enc },
            ..
        } = enc.string_to_key_params()
        else {
            panic!("Argon2: {:?}", enc.string_to_key_params());
        };
        let binary = locked.to_bytes().unwrap();
        let mut specifier = vec![4u8];
        specifier.extend_from_slice(salt);
        specifier.extend_from_slice(&[*t, *p, *m_enc]);
        let at = binary
            .windows(specifier.len())
            .position(|w| w == specifier)
            .expect("the S2K specifier");
        for (passes, m) in [(*t, 21u8), (32, 20)] {
            let mut costly = binary.clone();
            costly[at + 17] = passes;
            costly[at + 19] = m;
            let started = std::time::Instant::now();
            let err = parse_pgp(&costly, Some("six"), false).unwrap_err();
            assert_eq!(err.code(), ErrorCode::TooLarge, "{err}");
            assert!(started.elapsed().as_secs() < 2, "refused before deriving");
        }
    }

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
    fn crlf_armor() {
        let text = std::str::from_utf8(fixture!("ed-pub.asc")).unwrap();
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(one(crlf.as_bytes(), None).id(), ED_FPR);
    }

    #[test]
    fn unsupported_algorithms() {
        use pgp::composed::SignedKeyDetails;
        use pgp::packet::{PubKeyInner, PublicKey};
        use pgp::types::Timestamp;
        let inner = PubKeyInner::new(
            KeyVersion::V4,
            PublicKeyAlgorithm::Private100,
            Timestamp::from_secs(1_704_067_200),
            None,
            PublicParams::Unknown {
                data: vec![1, 2, 3].into(),
            },
        )
        .unwrap();
        let key = SignedPublicKey::new(
            PublicKey::from_inner(inner).unwrap(),
            SignedKeyDetails::new(vec![], vec![], vec![], vec![]),
            vec![],
        );
        let odd = key.to_bytes().unwrap();
        let err = parse_pgp(&odd, None, false).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnsupportedAlgorithm);
        // In a keyring, the keys mailseal can use still import.
        let mut ring = odd.clone();
        ring.extend_from_slice(fixture!("ed-sec.gpg"));
        let v = parse_pgp(&ring, None, false).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].id(), ED_FPR);
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

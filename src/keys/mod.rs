//! The keyring: every certificate and key mailseal knows, with lookups the engines need.
//!
//! - [`Keyring::import`] detects the format (X.509, PKCS#7, PKCS#12, PKCS#8/PKCS#1/SEC1 keys,
//!   OpenPGP keys and keyrings) and merges re-imports instead of duplicating.
//! - [`KeyInfo`] is the JS-facing summary, evaluated at an explicit [`Time`].
//! - Lookups by e-mail address, PGP key id / fingerprint, CMS issuer+serial and subject key
//!   identifier let the engines pick the right key among many.
//! - [`Keyring::seal`] / [`Keyring::unseal`] keep the whole keyring encrypted at rest
//!   (see the `vault` module).
//!
//! Each standard's entries exist only in builds with its Cargo feature (`smime`, `openpgp`).
//! A one-standard build refuses the other standard's keys at import, and keeps those it finds
//! in a sealed keyring as they are (not listed, re-sealed unchanged; see [`Keyring::unseal`]).

mod audit;
pub(crate) mod autocrypt;
mod conflict;
pub(crate) mod generate;
mod import;
pub(crate) mod kdf;
#[cfg(feature = "smime")]
mod legacy_pem;
pub(crate) mod lookup;
#[cfg(feature = "openpgp")]
pub(crate) mod openpgp;
mod revocation;
mod roles;
#[cfg(feature = "smime")]
pub(crate) mod smime;
mod vault;

pub use audit::AuditEvent;
pub use conflict::KeyConflict;
pub use generate::{
    GenerateOpenPgp, GenerateSmime, GeneratedPgpKey, PendingKeyInfo, PgpKeyAlgorithm,
    SmimeKeyAlgorithm,
};
pub use revocation::{
    CrlInfo, OcspInfo, OcspStatus, RevocationImported, RevocationKind, RevocationRequest,
    RevocationRequestReason,
};
pub use roles::Role;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;
use crate::report::Method;
use crate::rng::Rng;
use crate::secret::SecretBytes;
use crate::time::Time;

#[cfg(feature = "openpgp")]
pub(crate) use openpgp::PgpEntry;
#[cfg(feature = "smime")]
pub(crate) use smime::SmimeEntry;

/// Which standard a key belongs to.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyKind {
    /// An X.509 certificate, with or without its private key.
    Smime,
    /// An OpenPGP transferable public or secret key.
    Pgp,
}

impl KeyKind {
    /// The standard the key is for.
    pub fn method(self) -> Method {
        match self {
            KeyKind::Smime => Method::Smime,
            KeyKind::Pgp => Method::Pgp,
        }
    }

    /// `"smime"` / `"pgp"`, as in [`KeyInfo::kind`] and the sealed keyring.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Smime => "smime",
            KeyKind::Pgp => "pgp",
        }
    }

    fn parse(kind: &str) -> Option<KeyKind> {
        [KeyKind::Smime, KeyKind::Pgp]
            .into_iter()
            .find(|k| k.as_str() == kind)
    }
}

/// A key's validity at the time it is evaluated.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    /// Usable now.
    Valid,
    /// Past its expiry (X.509 notAfter, OpenPGP key expiration).
    Expired,
    /// Revoked by its owner (OpenPGP revocation signature).
    Revoked,
    /// Not valid yet (X.509 notBefore in the future, OpenPGP creation in the future).
    NotYetValid,
}

/// What the keyring knows about one key, as JavaScript sees it.
///
/// `can_sign` / `can_encrypt` are what the key may be used for (key usage, extended key usage,
/// OpenPGP key flags), independent of `has_secret` and of `status`.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    /// Uppercase hex fingerprint: SHA-256 of the certificate DER, or the OpenPGP fingerprint.
    pub id: String,
    /// The standard.
    pub kind: KeyKind,
    /// Every e-mail address bound to the key, lowercase, sorted, unique.
    pub emails: Vec<String>,
    /// The private key is in the keyring.
    pub has_secret: bool,
    /// The key may make signatures.
    pub can_sign: bool,
    /// The key (or an OpenPGP subkey) may receive encrypted mail.
    pub can_encrypt: bool,
    /// Marked as a trust anchor (S/MIME CA) or vouched for by the admin (OpenPGP).
    pub trusted: bool,
    /// Creation / notBefore, RFC 3339.
    pub created: String,
    /// Expiry / notAfter, RFC 3339, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Validity at the evaluation time.
    pub status: KeyStatus,
    /// Key algorithm, e.g. `rsa2048`, `p256`, `ed25519`.
    pub algorithm: String,
    /// X.509 subject (RFC 4514) or the primary OpenPGP User ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// X.509 issuer (RFC 4514).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The certificate is a CA certificate (basicConstraints cA).
    pub is_ca: bool,
    /// X.509 serial number (hex) for S/MIME; OpenPGP key ids (primary and subkeys) for PGP.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub key_ids: Vec<String>,
    /// Other keys of the keyring that claim one of this key's addresses (OpenPGP: anyone can
    /// name any address in a key; see [`Keyring::conflicts`]). Empty when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub conflicts: Vec<String>,
    /// Where the key's standing comes from, for the admin's trust column ([`Trust`]).
    #[serde(default)]
    pub trust: Trust,
    /// Where and when a lookup found the key (WKD, a keyserver); absent for keys imported by
    /// hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub origin: Option<lookup::KeyOrigin>,
}

/// A key's standing in the keyring, as the admin's list shows it: what `trusted` means for its
/// kind, and for S/MIME certificates whether a valid path leads to an anchor.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trust {
    /// An S/MIME trust anchor (imported as trusted).
    Anchor,
    /// An S/MIME certificate with a valid path to an anchor of the keyring.
    Chained,
    /// An OpenPGP key the admin verified (imported as trusted).
    Verified,
    /// Present, but nothing vouches for it: an S/MIME certificate without a valid path to an
    /// anchor (none, an expired CA on it, or one outside a CA's constraints), or an OpenPGP
    /// key nobody verified. Signatures by it are not `valid`.
    #[default]
    Unverified,
}

/// Options for [`Keyring::import`].
#[derive(Default)]
pub struct ImportOptions {
    /// Passphrase for protected PKCS#12, encrypted PKCS#8 or OpenPGP secret keys.
    pub passphrase: Option<Zeroizing<String>>,
    /// Mark imported CA certificates as S/MIME trust anchors / OpenPGP keys as vouched for.
    pub trusted: bool,
}

impl core::fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ImportOptions")
            .field(
                "passphrase",
                &self.passphrase.as_ref().map(|_| "<redacted>"),
            )
            .field("trusted", &self.trusted)
            .finish()
    }
}

/// One key in the keyring, of a standard this build includes.
#[derive(Clone)]
pub(crate) enum Entry {
    #[cfg(feature = "smime")]
    Smime(Box<SmimeEntry>),
    #[cfg(feature = "openpgp")]
    Pgp(Box<PgpEntry>),
}

/// `$body` with `$e` bound to the entry, whichever standard it is (the methods both entry
/// types have in common).
macro_rules! each_entry {
    ($entry:expr, $e:ident => $body:expr) => {
        match $entry {
            #[cfg(feature = "smime")]
            Entry::Smime($e) => $body,
            #[cfg(feature = "openpgp")]
            Entry::Pgp($e) => $body,
        }
    };
}

/// A key from the sealed vault, parsed when first used rather than on unseal: a new Worker
/// isolate's first request then reads only the keys it needs (an S/MIME message none of the
/// OpenPGP ones, a signature none of the decryption keys). Keys imported in this session are
/// held parsed.
#[derive(Clone)]
pub(crate) struct OnUse<T> {
    /// The sealed bytes, while they may still be needed: parsing, or sealing again as they are.
    sealed: Option<SecretBytes>,
    /// `None` inside: the sealed bytes did not give the key the summary describes.
    parsed: OnceLock<Option<T>>,
}

impl<T> OnUse<T> {
    pub(crate) fn parsed(key: T) -> Self {
        OnUse {
            sealed: None,
            parsed: OnceLock::from(Some(key)),
        }
    }

    pub(crate) fn sealed(bytes: &[u8]) -> Self {
        OnUse {
            sealed: Some(SecretBytes::new(bytes.to_vec())),
            parsed: OnceLock::new(),
        }
    }

    pub(crate) fn get(&self, parse: impl FnOnce(&[u8]) -> Option<T>) -> Option<&T> {
        self.parsed
            .get_or_init(|| self.sealed.as_ref().and_then(|b| parse(b.as_slice())))
            .as_ref()
    }

    #[cfg_attr(not(feature = "openpgp"), allow(dead_code))] // merging OpenPGP keys
    pub(crate) fn into_key(self, parse: impl FnOnce(&[u8]) -> Option<T>) -> Option<T> {
        let OnUse { sealed, parsed } = self;
        match parsed.into_inner() {
            Some(key) => key,
            None => sealed.and_then(|b| parse(b.as_slice())),
        }
    }

    /// The sealed bytes, if the key was never parsed (so they are still exactly the key).
    pub(crate) fn unparsed(&self) -> Option<&SecretBytes> {
        self.parsed
            .get()
            .is_none()
            .then_some(self.sealed.as_ref())
            .flatten()
    }
}

/// A key as the sealed vault stores it: public bytes and, if held, unprotected secret bytes.
pub(crate) struct StoredKey {
    pub(crate) public: Vec<u8>,
    pub(crate) secret: Option<SecretBytes>,
    /// What checking the key found when it was imported (an OpenPGP key's verified
    /// self-signatures), so that unsealing need not check it again: the vault's AEAD vouches
    /// that these are the facts sealed with these key bytes. `None`: check on unseal.
    pub(crate) checked: Option<serde_json::Value>,
}

impl Entry {
    pub(crate) fn id(&self) -> String {
        each_entry!(self, e => e.id())
    }

    pub(crate) fn info(&self, now: Time) -> KeyInfo {
        each_entry!(self, e => e.info(now))
    }

    fn has_secret(&self) -> bool {
        each_entry!(self, e => e.has_secret())
    }

    fn trusted(&self) -> bool {
        each_entry!(self, e => e.trusted())
    }

    fn kind(&self) -> KeyKind {
        match self {
            #[cfg(feature = "smime")]
            Entry::Smime(_) => KeyKind::Smime,
            #[cfg(feature = "openpgp")]
            Entry::Pgp(_) => KeyKind::Pgp,
        }
    }

    fn to_stored(&self) -> Result<StoredKey> {
        each_entry!(self, e => e.to_stored())
    }

    /// An entry from its sealed form; `None` for a kind this build leaves out.
    fn from_stored(
        kind: KeyKind,
        public: &[u8],
        secret: Option<&[u8]>,
        checked: Option<&serde_json::Value>,
        trusted: bool,
    ) -> Option<Result<Entry>> {
        // S/MIME keeps no `checked` facts (its entries are cheap to read again).
        #[cfg(not(feature = "openpgp"))]
        let _ = checked;
        match kind {
            #[cfg(feature = "smime")]
            KeyKind::Smime => Some(
                SmimeEntry::from_stored(public, secret, trusted).map(|e| Entry::Smime(Box::new(e))),
            ),
            #[cfg(feature = "openpgp")]
            KeyKind::Pgp => Some(
                PgpEntry::from_stored(public, secret, checked, trusted)
                    .map(|e| Entry::Pgp(Box::new(e))),
            ),
            #[allow(unreachable_patterns)] // the full build has an arm for every kind
            _ => None,
        }
    }

    #[cfg(feature = "smime")]
    fn as_smime(&self) -> Option<&SmimeEntry> {
        match self {
            Entry::Smime(e) => Some(e),
            #[allow(unreachable_patterns)] // an S/MIME-only build has no other kind
            _ => None,
        }
    }

    #[cfg(feature = "openpgp")]
    fn as_pgp(&self) -> Option<&PgpEntry> {
        match self {
            Entry::Pgp(e) => Some(e),
            #[allow(unreachable_patterns)] // an OpenPGP-only build has no other kind
            _ => None,
        }
    }
}

/// The keyring. Holds secrets in memory (zeroized on drop); persist it with [`Keyring::seal`].
#[derive(Clone, Default)]
pub struct Keyring {
    entries: Vec<Entry>,
    /// Keys of a standard this build leaves out, from a sealed keyring made by a build that
    /// has it: sealed again exactly as they came, never parsed, listed or used.
    kept: Vec<vault::StoredEntry>,
    log: Vec<AuditEvent>,
    /// The admin passphrase's verifier, when one is set (sealed with the keyring).
    admin: Option<roles::AdminCredential>,
    /// The admin role was unlocked in this session (never sealed).
    admin_unlocked: bool,
    /// Certificate revocation lists the host fetched, each checked against its CA on import.
    #[cfg(feature = "smime")]
    crls: Vec<crate::smime::revocation::HeldCrl>,
    /// The same in a build without S/MIME: sealed again as they came, never read.
    #[cfg(not(feature = "smime"))]
    kept_crls: Vec<Vec<u8>>,
    /// OCSP answers the host fetched, each checked against the certificate's issuer on
    /// import; held in memory only (they expire within hours or days).
    #[cfg(feature = "smime")]
    ocsp: Vec<crate::smime::ocsp::HeldStatus>,
    /// The desk's policy as the admin set it (sealed with the keyring): what `protect`,
    /// `preview` and `check` follow when the caller passes none.
    policy: Option<Policy>,
    /// Keys found by lookups, by id: where and when (sealed with the keyring).
    origins: std::collections::BTreeMap<String, lookup::KeyOrigin>,
    /// S/MIME keys made here, waiting for their certificates (sealed with the keyring).
    pending: Vec<generate::PendingKey>,
    /// This keyring's member key for teams (`member_key`), and its display name.
    pub(crate) member: Option<crate::team::MemberSeed>,
    pub(crate) member_name: Option<String>,
    /// The last change of each team this member opened or changed: older bundles are refused.
    pub(crate) team_checkpoints: std::collections::BTreeMap<String, crate::team::Checkpoint>,
}

impl core::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Keyring")
            .field("entries", &self.entries.len())
            .field("kept", &self.kept.len())
            .field("log", &self.log.len())
            .field("role", &self.role())
            .finish()
    }
}

/// How many audit events the keyring keeps ("Recent Logs").
pub const AUDIT_LOG_CAPACITY: usize = 500;

impl Keyring {
    /// An empty keyring. Nothing is trusted by default.
    pub fn new() -> Self {
        Keyring::default()
    }

    /// Detects the format of `data`, imports every key in it, and returns what was imported
    /// (merged entries included), evaluated at `now`.
    ///
    /// Recorded in the log with the keys' ids and addresses; a refused import as an error
    /// event with its code (a missing passphrase, which the caller is about to ask for, is not).
    pub fn import(&mut self, data: &[u8], opts: &ImportOptions, now: Time) -> Result<Vec<KeyInfo>> {
        if opts.trusted {
            self.require_admin("Importing a key as trusted", now)?;
        }
        let found = match import::parse_any(data, opts, self) {
            Ok(found) => found,
            #[cfg(feature = "openpgp")]
            Err(e) if e.code() == ErrorCode::UnsupportedFormat && import::looks_like_pgp(data) => {
                return self.import_revocation_certificate(data, e, now);
            }
            Err(e) => {
                if e.code() != ErrorCode::BadPassphrase || opts.passphrase.is_some() {
                    let mut event = AuditEvent::key_management(now, "import", &[]);
                    event.outcome = "error".to_string();
                    event.code = Some(e.code().as_str().to_string());
                    self.record(event);
                }
                return Err(e);
            }
        };
        let mut ids = Vec::with_capacity(found.len());
        for entry in found {
            ids.push(self.merge(entry));
        }
        ids.dedup();
        self.settle_pending();
        let all = self.list(now);
        let imported: Vec<KeyInfo> = ids
            .iter()
            .filter_map(|id| all.iter().find(|k| k.id == *id).cloned())
            .collect();
        let mut event = AuditEvent::key_management(now, "import", &ids);
        event.addresses = addresses_of(&imported);
        self.record(event);
        Ok(imported)
    }

    /// A revocation certificate on its own (`gpg --gen-revoke`, or the one made with a key):
    /// applied to the key of the keyring it revokes when its signature verifies with that key.
    /// Without one, `not_a_key` is the error the import gives (nothing applied).
    #[cfg(feature = "openpgp")]
    fn import_revocation_certificate(
        &mut self,
        data: &[u8],
        not_a_key: Error,
        now: Time,
    ) -> Result<Vec<KeyInfo>> {
        let revocations = openpgp::revocation_certificates(data);
        let result = if revocations.is_empty() {
            Err(not_a_key)
        } else {
            let mut revoked = Vec::new();
            for sig in revocations {
                let applied = self
                    .entries
                    .iter()
                    .filter_map(Entry::as_pgp)
                    .filter(|k| k.issued(&sig))
                    .find_map(|k| k.with_revocation(sig.clone()));
                if let Some(entry) = applied {
                    revoked.push(self.merge(Entry::Pgp(Box::new(entry))));
                }
            }
            if revoked.is_empty() {
                Err(Error::new(
                    ErrorCode::KeyNotFound,
                    "The revocation certificate is for no key of the keyring (or its signature \
                     does not verify with that key): nothing was revoked.",
                ))
            } else {
                Ok(revoked)
            }
        };
        let mut event = AuditEvent::key_management(now, "import_revocation", &[]);
        event.method = Some(Method::Pgp.as_str().to_string());
        match result {
            Ok(ids) => {
                event.key_ids = ids.clone();
                self.record(event);
                Ok(ids.iter().filter_map(|id| self.get(id, now)).collect())
            }
            Err(e) => {
                event.outcome = "error".to_string();
                event.code = Some(e.code().as_str().to_string());
                self.record(event);
                Err(e)
            }
        }
    }

    /// Adds `entry`, or merges it into the entry with the same id. Returns the id.
    fn merge(&mut self, entry: Entry) -> String {
        let id = entry.id();
        match self.entries.iter_mut().find(|e| e.id() == id) {
            Some(existing) => match (existing, entry) {
                #[cfg(feature = "smime")]
                (Entry::Smime(old), Entry::Smime(new)) => old.merge(*new),
                #[cfg(feature = "openpgp")]
                (Entry::Pgp(old), Entry::Pgp(new)) => old.merge(*new),
                // Same fingerprint string but different kinds cannot happen (lengths differ).
                #[allow(unreachable_patterns)] // one-standard builds have one kind
                (_, _) => {}
            },
            None => self.entries.push(entry),
        }
        id
    }

    /// Every key, evaluated at `now`, with the keys each one conflicts with.
    pub fn list(&self, now: Time) -> Vec<KeyInfo> {
        let mut infos: Vec<KeyInfo> = self
            .entries
            .iter()
            .map(|e| {
                let mut info = e.info(now);
                info.trust = self.trust_of(e, now);
                info.origin = self.origins.get(&info.id).cloned();
                #[cfg(feature = "smime")]
                if let Some(s) = e.as_smime() {
                    if self.revocation_of(s.certificate()).is_some() {
                        info.status = KeyStatus::Revoked;
                    }
                }
                info
            })
            .collect();
        let conflicts = conflict::find(&infos);
        conflict::annotate(&mut infos, &conflicts);
        infos
    }

    /// One key by id (fingerprint, any case, colons and spaces ignored).
    pub fn get(&self, id: &str, now: Time) -> Option<KeyInfo> {
        let id = normalize_id(id);
        self.list(now).into_iter().find(|k| k.id == id)
    }

    /// Addresses that several different usable OpenPGP keys claim at `now`: the admin must
    /// verify the right one (`trusted`) and remove the others.
    pub fn conflicts(&self, now: Time) -> Vec<KeyConflict> {
        conflict::find(&self.list(now))
    }

    /// Removes a key; `true` when it was there. For the admin ([`Role`]).
    pub fn remove(&mut self, id: &str, now: Time) -> Result<bool> {
        self.require_admin("Removing a key", now)?;
        let id = normalize_id(id);
        let Some(info) = self.get(&id, now) else {
            return Ok(false);
        };
        self.entries.retain(|e| e.id() != id);
        let mut event = AuditEvent::key_management(now, "remove", &[id]);
        event.addresses = addresses_of(&[info]);
        self.record(event);
        Ok(true)
    }

    /// The public part: an armored OpenPGP public key or a PEM certificate.
    pub fn export_public(&self, id: &str) -> Result<String> {
        each_entry!(self.entry(id).ok_or_else(|| key_not_found(id))?, e => e.export_public())
    }

    /// The secret key, protected by `passphrase`: an armored OpenPGP secret key (as bytes) or
    /// a PKCS#12 file (PBES2 AES-256, HMAC-SHA-256) with the certificate and its known chain.
    pub fn export_secret(
        &mut self,
        id: &str,
        passphrase: &str,
        rng: &mut dyn Rng,
        now: Time,
    ) -> Result<Vec<u8>> {
        self.require_admin("Exporting a private key", now)?;
        if passphrase.is_empty() {
            return Err(Error::new(
                ErrorCode::BadPassphrase,
                "A passphrase is required to export a private key.",
            ));
        }
        let entry = self.entry(id).ok_or_else(|| key_not_found(id))?;
        if !entry.has_secret() {
            return Err(Error::new(
                ErrorCode::NoPrivateKey,
                "The keyring holds no private key for this key.",
            ));
        }
        let out = match entry {
            #[cfg(feature = "smime")]
            Entry::Smime(e) => e.export_secret(passphrase, &self.chain_for(e), rng)?,
            #[cfg(feature = "openpgp")]
            Entry::Pgp(e) => e.export_secret(passphrase, rng)?,
        };
        let id = entry.id();
        self.record(AuditEvent::key_management(now, "export_secret", &[id]));
        Ok(out)
    }

    /// Seals the whole keyring (secrets and recent log included) under `password`.
    pub fn seal(&self, password: &str, rng: &mut dyn Rng) -> Result<Vec<u8>> {
        vault::seal(self, vault::VaultSecret::Password(password), rng)
    }

    /// Seals the keyring under a random 256-bit key instead of a password (a server's secret,
    /// such as a Cloudflare Worker's): no password stretching, so opening it costs microseconds
    /// where Argon2id costs about a second of CPU. The key must come from a CSPRNG and be kept
    /// as carefully as the keys inside.
    pub fn seal_with_key(&self, key: &[u8], rng: &mut dyn Rng) -> Result<Vec<u8>> {
        vault::seal(self, vault::VaultSecret::Key(key), rng)
    }

    /// Opens a keyring sealed by [`Keyring::seal_with_key`]: `bad_password` for a wrong key or a
    /// keyring sealed with a password.
    pub fn unseal_with_key(bytes: &[u8], key: &[u8]) -> Result<Keyring> {
        vault::unseal(bytes, vault::VaultSecret::Key(key))
    }

    /// Opens a keyring sealed by [`Keyring::seal`].
    ///
    /// A build with one standard (`mailseal/smime`, `mailseal/openpgp`) keeps the other
    /// standard's keys of a keyring sealed by the full build as they are: they are not listed
    /// or used here, [`Keyring::seal`] writes them back unchanged, and the full build sees them
    /// again. [`Keyring::kept_for_other_builds`] counts them.
    pub fn unseal(bytes: &[u8], password: &str) -> Result<Keyring> {
        vault::unseal(bytes, vault::VaultSecret::Password(password))
    }

    /// Keys this build keeps sealed but cannot read (the other standard's, see
    /// [`Keyring::unseal`]), counted per standard. Always empty in the full build.
    pub fn kept_for_other_builds(&self) -> Vec<(Method, usize)> {
        let mut counts: Vec<(Method, usize)> = Vec::new();
        for kept in &self.kept {
            let Some(method) = KeyKind::parse(&kept.kind).map(KeyKind::method) else {
                continue;
            };
            match counts.iter_mut().find(|(m, _)| *m == method) {
                Some((_, n)) => *n += 1,
                None => counts.push((method, 1)),
            }
        }
        counts
    }

    // ---- roles ------------------------------------------------------------------------------

    /// Who acts now: [`Role::Admin`] when no admin passphrase is set or it was given in this
    /// session ([`Keyring::unlock_admin`]), else [`Role::Agent`].
    pub fn role(&self) -> Role {
        if self.admin.is_none() || self.admin_unlocked {
            Role::Admin
        } else {
            Role::Agent
        }
    }

    /// Whether an admin passphrase is set.
    pub fn has_admin_passphrase(&self) -> bool {
        self.admin.is_some()
    }

    /// Sets (or, for the admin, changes) the admin passphrase; the caller is the admin for the
    /// rest of this session.
    pub fn set_admin_passphrase(
        &mut self,
        passphrase: &str,
        rng: &mut dyn Rng,
        now: Time,
    ) -> Result<()> {
        self.require_admin("Changing the admin passphrase", now)?;
        self.admin = Some(roles::AdminCredential::new(passphrase, rng)?);
        self.admin_unlocked = true;
        self.record(AuditEvent::key_management(now, "set_admin_passphrase", &[]));
        Ok(())
    }

    /// Unlocks the admin role for this session: `bad_password` (and an error event) for a
    /// wrong passphrase. Without an admin passphrase everyone is the admin already.
    pub fn unlock_admin(&mut self, passphrase: &str, now: Time) -> Result<()> {
        let Some(admin) = &self.admin else {
            return Ok(());
        };
        if !admin.matches(passphrase)? {
            let mut event = AuditEvent::key_management(now, "admin_unlock", &[]);
            event.outcome = "error".to_string();
            event.code = Some(ErrorCode::BadPassword.as_str().to_string());
            self.record(event);
            return Err(Error::new(
                ErrorCode::BadPassword,
                "The admin passphrase is wrong.",
            ));
        }
        self.admin_unlocked = true;
        self.record(AuditEvent::key_management(now, "admin_unlock", &[]));
        Ok(())
    }

    /// Back to the agent role (when an admin passphrase is set).
    pub fn lock_admin(&mut self, now: Time) {
        if self.admin.is_some() && self.admin_unlocked {
            self.record(AuditEvent::key_management(now, "admin_lock", &[]));
            self.admin_unlocked = false;
        }
    }

    /// `admin_required` (and an error event) unless the admin acts.
    fn require_admin(&mut self, what: &str, now: Time) -> Result<()> {
        if self.role() == Role::Admin {
            return Ok(());
        }
        let mut event = AuditEvent::key_management(now, "refused", &[]);
        event.outcome = "error".to_string();
        event.code = Some(ErrorCode::AdminRequired.as_str().to_string());
        self.record(event);
        Err(roles::admin_required(what))
    }

    // ---- lookups (WKD, keyservers) -----------------------------------------------------------

    /// The URLs to fetch for `address`, best first: WKD advanced, WKD direct, then the
    /// `keyservers` in their order ([`lookup`]). `bad_input` for what is not an address or a
    /// keyserver that is not https.
    pub fn lookup_requests(
        &self,
        address: &str,
        keyservers: &[lookup::Keyserver],
    ) -> Result<Vec<lookup::LookupRequest>> {
        lookup::requests(address, keyservers)
    }

    /// What a lookup answer (binary or armored OpenPGP keys) offers for `address`, without
    /// importing anything: each key with a valid user ID for the address, as the list would show
    /// it (conflicts with keys already held included). Keys for other addresses are left out.
    ///
    /// Errors: `key_not_found` (no key for the address in it), `bad_input` (it holds a secret
    /// key, or `address` is not one), the import errors for what is not OpenPGP.
    pub fn lookup_candidates(&self, address: &str, data: &[u8], now: Time) -> Result<Vec<KeyInfo>> {
        let (_, found) = self.found_keys(address, data, now)?;
        let mut probe = self.clone();
        let ids: Vec<String> = found.into_iter().map(|e| probe.merge(e)).collect();
        let all = probe.list(now);
        Ok(ids
            .iter()
            .filter_map(|id| all.iter().find(|k| k.id == *id).cloned())
            .collect())
    }

    /// Imports what [`Keyring::lookup_candidates`] offers (only `fingerprint`, when given) as
    /// unverified keys, remembering `source`, the time and the address for the keys that are
    /// new. A key already held is only merged (new subkeys, revocations): its trust and
    /// origin stay as they were. Logged as `import_<source>`.
    pub fn import_found(
        &mut self,
        address: &str,
        source: lookup::LookupSource,
        data: &[u8],
        fingerprint: Option<&str>,
        now: Time,
    ) -> Result<Vec<KeyInfo>> {
        self.import_found_at(address, source, data, fingerprint, now, now)
    }

    /// Learns the sender's certificates from an opened S/MIME message (`Opened.certificates`:
    /// a valid signature's, or a certificates-only message's): each certificate for `address`
    /// that is valid now and has a valid path to a trust anchor of the keyring (with the
    /// message's other certificates as intermediates) is imported, untrusted, with origin
    /// `mail`, and so are the CA certificates of the message its path needs. Anything else is
    /// left out: a self-made certificate cannot make itself the key mail to an address goes to.
    /// Returns the sender's certificates learned (new or held already).
    pub fn learn_certificates(
        &mut self,
        address: &str,
        certificates: &[Vec<u8>],
        now: Time,
    ) -> Result<Vec<KeyInfo>> {
        let wanted = crate::mime::addr_spec(address).ok_or_else(|| {
            Error::new(
                ErrorCode::BadInput,
                "Learning certificates needs one e-mail address.",
            )
        })?;
        #[cfg(not(feature = "smime"))]
        {
            let _ = (wanted, certificates, now);
            Err(crate::standards::not_enabled_error(
                Method::Smime,
                "Certificates are S/MIME keys:",
            ))
        }
        #[cfg(feature = "smime")]
        {
            let mut leaves = Vec::new();
            let mut cas = Vec::new();
            for der in certificates {
                // What does not parse as one certificate is not learned (the message said it
                // was one; nothing to report beyond that).
                let Ok(entries) = import::parse_any(der, &ImportOptions::default(), self) else {
                    continue;
                };
                for e in entries {
                    match e {
                        Entry::Smime(s) if s.is_ca() => cas.push(*s),
                        Entry::Smime(s) => leaves.push(*s),
                        #[allow(unreachable_patterns)]
                        _ => {}
                    }
                }
            }
            let intermediates: Vec<x509_cert::Certificate> =
                cas.iter().map(|c| c.certificate().clone()).collect();
            let mut ids = Vec::new();
            for leaf in leaves {
                let names = leaf.emails().contains(&wanted);
                let chained =
                    crate::smime::chain::validate(leaf.certificate(), &intermediates, self, now).0
                        == crate::smime::chain::ChainVerdict::Trusted;
                if !names || !chained || leaf.status(now) != KeyStatus::Valid {
                    continue;
                }
                for ca in &cas {
                    if !self.entries.iter().any(|e| e.id() == ca.id()) {
                        self.merge(Entry::Smime(Box::new(ca.clone())));
                    }
                }
                let id = leaf.id();
                if !self.entries.iter().any(|e| e.id() == id) {
                    self.origins.insert(
                        id.clone(),
                        lookup::KeyOrigin {
                            source: lookup::LookupSource::Mail,
                            found_at: now.to_rfc3339(),
                            address: wanted.clone(),
                        },
                    );
                }
                ids.push(self.merge(Entry::Smime(Box::new(leaf))));
            }
            if !ids.is_empty() {
                let mut event = AuditEvent::key_management(now, "import_mail", &ids);
                event.method = Some(Method::Smime.as_str().to_string());
                event.addresses = vec![wanted];
                self.record(event);
            }
            let all = self.list(now);
            Ok(ids
                .iter()
                .filter_map(|id| all.iter().find(|k| k.id == *id).cloned())
                .collect())
        }
    }

    /// What to fetch to refresh every OpenPGP key of the keyring (new revocations, subkeys,
    /// expiry): WKD for each of its addresses, then each keyserver by fingerprint. Give each
    /// answer to [`Keyring::refresh_key`].
    pub fn refresh_requests(
        &self,
        keyservers: &[lookup::Keyserver],
        now: Time,
    ) -> Result<Vec<lookup::RefreshRequest>> {
        let mut out = Vec::new();
        for k in self.list(now).iter().filter(|k| k.kind == KeyKind::Pgp) {
            out.extend(lookup::refresh_requests(&k.id, &k.emails, keyservers)?);
        }
        Ok(out)
    }

    /// Merges what a refresh answer holds for the key `id` (revocations, new subkeys and
    /// self-signatures; other keys in the answer are ignored) and returns it as it is now:
    /// `status` says `revoked` once a revocation arrived. Its trust and origin stay as they
    /// were. `key_not_found` when the answer does not hold that key. Logged as `refresh`.
    pub fn refresh_key(&mut self, id: &str, data: &[u8], now: Time) -> Result<KeyInfo> {
        let id = normalize_id(id);
        let result = import::parse_any(data, &ImportOptions::default(), self).and_then(|found| {
            let held = self.entries.iter().any(|e| e.id() == id);
            let entry = found
                .into_iter()
                .find(|e| e.id() == id && held)
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::KeyNotFound,
                        "The answer does not hold that key, or the keyring does not.",
                    )
                })?;
            if entry.info(now).has_secret {
                return Err(Error::new(
                    ErrorCode::BadInput,
                    "A refresh answer must hold public keys only; this one holds a private key.",
                ));
            }
            Ok(entry)
        });
        match result {
            Ok(entry) => {
                self.merge(entry);
                let info = self
                    .get(&id, now)
                    .ok_or_else(|| Error::internal("refreshed key"))?;
                let mut event = AuditEvent::key_management(now, "refresh", &[id]);
                event.method = Some(Method::Pgp.as_str().to_string());
                event.addresses = info.emails.clone();
                self.record(event);
                Ok(info)
            }
            Err(e) => {
                let mut event = AuditEvent::key_management(now, "refresh", &[]);
                event.outcome = "error".to_string();
                event.code = Some(e.code().as_str().to_string());
                self.record(event);
                Err(e)
            }
        }
    }

    /// Learns the key a message's Autocrypt header offers (`Opened.autocrypt`): imported as by
    /// [`Keyring::import_found`] (source `autocrypt`, dated by the message), unless an offer for
    /// the address from a message at least as new was learned already (then nothing changes and
    /// the list is empty). A newer key replaces the older Autocrypt key of the address unless
    /// the admin verified that one.
    pub fn learn_autocrypt(
        &mut self,
        offer: &autocrypt::AutocryptOffer,
        now: Time,
    ) -> Result<Vec<KeyInfo>> {
        // A message dated in the future counts as sent now.
        let sent = offer
            .date
            .as_deref()
            .and_then(Time::from_rfc3339)
            .filter(|t| *t <= now)
            .unwrap_or(now);
        let learned = |o: &lookup::KeyOrigin| {
            o.source == lookup::LookupSource::Autocrypt && o.address == offer.address
        };
        let stamp = sent.to_rfc3339();
        if self
            .origins
            .values()
            .any(|o| learned(o) && o.found_at >= stamp)
        {
            return Ok(Vec::new());
        }
        let imported = self.import_found_at(
            &offer.address,
            lookup::LookupSource::Autocrypt,
            &offer.keydata,
            None,
            sent,
            now,
        )?;
        let older: Vec<String> = self
            .origins
            .iter()
            .filter(|(id, o)| learned(o) && !imported.iter().any(|k| k.id == **id))
            .map(|(id, _)| id.clone())
            .collect();
        for id in older {
            if self.entries.iter().any(|e| e.id() == id && !e.trusted()) {
                self.entries.retain(|e| e.id() != id);
                self.origins.remove(&id);
                self.record(AuditEvent::key_management(now, "replaced_autocrypt", &[id]));
            }
        }
        // The stamp of the key learned now is the message's date, also for a key held already.
        for k in &imported {
            if let Some(o) = self.origins.get_mut(&k.id).filter(|o| learned(o)) {
                o.found_at = stamp.clone();
            }
        }
        let all = self.list(now);
        Ok(imported
            .iter()
            .filter_map(|k| all.iter().find(|i| i.id == k.id).cloned())
            .collect())
    }

    fn import_found_at(
        &mut self,
        address: &str,
        source: lookup::LookupSource,
        data: &[u8],
        fingerprint: Option<&str>,
        found_at: Time,
        now: Time,
    ) -> Result<Vec<KeyInfo>> {
        let action = format!("import_{}", source.as_str());
        let result = self
            .found_keys(address, data, now)
            .and_then(|(wanted, found)| {
                let chosen: Vec<Entry> = found
                    .into_iter()
                    .filter(|e| fingerprint.is_none_or(|f| e.id() == normalize_id(f)))
                    .collect();
                if chosen.is_empty() {
                    return Err(Error::new(
                        ErrorCode::KeyNotFound,
                        "The chosen key is not in the answer.",
                    ));
                }
                let mut ids = Vec::new();
                for entry in chosen {
                    let id = entry.id();
                    if !self.entries.iter().any(|e| e.id() == id) {
                        self.origins.insert(
                            id.clone(),
                            lookup::KeyOrigin {
                                source,
                                found_at: found_at.to_rfc3339(),
                                address: wanted.clone(),
                            },
                        );
                    }
                    ids.push(self.merge(entry));
                }
                Ok(ids)
            });
        let ids = match result {
            Ok(ids) => ids,
            Err(e) => {
                let mut event = AuditEvent::key_management(now, &action, &[]);
                event.outcome = "error".to_string();
                event.code = Some(e.code().as_str().to_string());
                self.record(event);
                return Err(e);
            }
        };
        let all = self.list(now);
        let imported: Vec<KeyInfo> = ids
            .iter()
            .filter_map(|id| all.iter().find(|k| k.id == *id).cloned())
            .collect();
        let mut event = AuditEvent::key_management(now, &action, &ids);
        event.method = Some(Method::Pgp.as_str().to_string());
        event.addresses = addresses_of(&imported);
        self.record(event);
        Ok(imported)
    }

    /// The OpenPGP keys of a lookup answer that name `address` (public keys only, untrusted).
    fn found_keys(&self, address: &str, data: &[u8], now: Time) -> Result<(String, Vec<Entry>)> {
        let wanted = crate::mime::addr_spec(address).ok_or_else(|| {
            Error::new(
                ErrorCode::BadInput,
                "A key lookup needs one e-mail address.",
            )
        })?;
        let entries = import::parse_any(data, &ImportOptions::default(), self)?;
        let mut found = Vec::new();
        for entry in entries {
            let info = entry.info(now);
            if info.kind != KeyKind::Pgp {
                continue;
            }
            if info.has_secret {
                return Err(Error::new(
                    ErrorCode::BadInput,
                    "A lookup answer must hold public keys only; this one holds a private key.",
                ));
            }
            if info.emails.contains(&wanted) {
                found.push(entry);
            }
        }
        if found.is_empty() {
            return Err(Error::new(
                ErrorCode::KeyNotFound,
                format!("The answer holds no OpenPGP key with a valid user ID for {wanted}."),
            ));
        }
        Ok((wanted, found))
    }

    /// The binary public key of the OpenPGP key `id` (for an Autocrypt header).
    pub(crate) fn pgp_public_bytes(&self, id: &str) -> Option<Vec<u8>> {
        #[cfg(feature = "openpgp")]
        {
            use pgp::ser::Serialize as _;
            self.entry(id)?.as_pgp()?.public_key()?.to_bytes().ok()
        }
        #[cfg(not(feature = "openpgp"))]
        {
            let _ = id;
            None
        }
    }

    // ---- the desk's policy ------------------------------------------------------------------

    /// The policy the admin stored in this keyring, if any.
    pub fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }

    /// Stores the desk's policy (group defaults, method priority, fallback, algorithms) in the
    /// keyring, sealed with it: only the admin may change it; recorded in the log.
    pub fn set_policy(&mut self, policy: Policy, now: Time) -> Result<()> {
        self.require_admin("Changing the policy", now)?;
        if policy.groups.keys().any(|name| name.trim().is_empty()) {
            return Err(Error::new(
                ErrorCode::BadInput,
                "A group of the policy needs a name.",
            ));
        }
        self.policy = Some(policy);
        self.record(AuditEvent::key_management(now, "set_policy", &[]));
        Ok(())
    }

    /// Recent audit events, oldest first. No content, no key material.
    pub fn recent_log(&self) -> &[AuditEvent] {
        &self.log
    }

    /// Appends an audit event, keeping the most recent [`AUDIT_LOG_CAPACITY`].
    pub fn record(&mut self, mut event: AuditEvent) {
        // Which role acted, once roles are in use.
        if self.admin.is_some() && event.role.is_none() {
            event.role = Some(self.role().as_str().to_string());
        }
        self.log.push(event);
        if self.log.len() > AUDIT_LOG_CAPACITY {
            let excess = self.log.len() - AUDIT_LOG_CAPACITY;
            self.log.drain(..excess);
        }
    }

    // ---- lookups used by the engines -------------------------------------------------------

    pub(crate) fn entry(&self, id: &str) -> Option<&Entry> {
        let id = normalize_id(id);
        self.entries.iter().find(|e| e.id() == id)
    }

    /// Keys bound to `address` (addr-spec, case-insensitive): valid ones first, then verified
    /// (`trusted`) ones, then newest first.
    pub fn by_address(&self, address: &str, now: Time) -> Vec<KeyInfo> {
        let wanted = address.trim().to_ascii_lowercase();
        let mut found: Vec<KeyInfo> = self
            .list(now)
            .into_iter()
            .filter(|i| i.emails.contains(&wanted))
            .collect();
        // Verified keys before keys that are only present: a key's creation time is its own
        // claim and must not put an impostor's key first.
        found.sort_by(|a, b| {
            let valid = |i: &KeyInfo| i.status == KeyStatus::Valid;
            valid(b)
                .cmp(&valid(a))
                .then_with(|| b.trusted.cmp(&a.trusted))
                .then_with(|| b.created.cmp(&a.created))
        });
        found
    }

    /// S/MIME entries, for the CMS engine.
    #[cfg(feature = "smime")]
    pub(crate) fn smime_entries(&self) -> impl Iterator<Item = &SmimeEntry> {
        self.entries.iter().filter_map(Entry::as_smime)
    }

    /// OpenPGP entries, for the OpenPGP engine.
    #[cfg(feature = "openpgp")]
    pub(crate) fn pgp_entries(&self) -> impl Iterator<Item = &PgpEntry> {
        self.entries.iter().filter_map(Entry::as_pgp)
    }

    /// The S/MIME certificate with this issuer and serial number (CMS IssuerAndSerialNumber).
    #[cfg(feature = "smime")]
    pub(crate) fn smime_by_issuer_serial(
        &self,
        issuer_serial: &cms::cert::IssuerAndSerialNumber,
    ) -> Option<&SmimeEntry> {
        self.smime_entries()
            .find(|e| e.matches_issuer_serial(issuer_serial))
    }

    /// The S/MIME certificate with this subject key identifier.
    #[cfg(feature = "smime")]
    pub(crate) fn smime_by_ski(&self, ski: &[u8]) -> Option<&SmimeEntry> {
        self.smime_entries()
            .find(|e| e.subject_key_id().as_deref() == Some(ski))
    }

    /// The OpenPGP key whose primary key or a subkey has this 8-byte key id.
    #[cfg(feature = "openpgp")]
    pub(crate) fn pgp_by_key_id(&self, key_id: &[u8; 8]) -> Option<&PgpEntry> {
        self.pgp_entries().find(|e| e.has_key_id(key_id))
    }

    /// The OpenPGP key whose primary key or a subkey has this fingerprint.
    #[cfg(feature = "openpgp")]
    pub(crate) fn pgp_by_fingerprint(&self, fingerprint: &[u8]) -> Option<&PgpEntry> {
        self.pgp_entries().find(|e| e.has_fingerprint(fingerprint))
    }

    fn trust_of(&self, entry: &Entry, now: Time) -> Trust {
        #[cfg(not(feature = "smime"))]
        let _ = now;
        match entry {
            #[cfg(feature = "smime")]
            Entry::Smime(e) if e.trusted() => Trust::Anchor,
            #[cfg(feature = "smime")]
            Entry::Smime(e) => {
                match crate::smime::chain::validate(e.certificate(), &[], self, now).0 {
                    crate::smime::chain::ChainVerdict::Trusted => Trust::Chained,
                    _ => Trust::Unverified,
                }
            }
            #[cfg(feature = "openpgp")]
            Entry::Pgp(e) if e.trusted() => Trust::Verified,
            #[cfg(feature = "openpgp")]
            Entry::Pgp(_) => Trust::Unverified,
        }
    }

    /// Certificates (leaf excluded) that chain `leaf` towards a root, from the keyring.
    #[cfg(feature = "smime")]
    pub(crate) fn chain_for(&self, leaf: &SmimeEntry) -> Vec<x509_cert::Certificate> {
        let mut chain = Vec::new();
        let mut current = leaf.certificate().clone();
        // Bounded walk: a keyring can hold a loop of cross-signed certificates.
        for _ in 0..8 {
            let issuer = &current.tbs_certificate.issuer;
            if *issuer == current.tbs_certificate.subject {
                break;
            }
            match self
                .smime_entries()
                .find(|e| e.certificate().tbs_certificate.subject == *issuer)
            {
                Some(next) => {
                    current = next.certificate().clone();
                    chain.push(current.clone());
                }
                None => break,
            }
        }
        chain
    }
}

/// The addresses of some keys, once each, for an audit event.
fn addresses_of(keys: &[KeyInfo]) -> Vec<String> {
    let mut out: Vec<String> = keys.iter().flat_map(|k| k.emails.iter().cloned()).collect();
    out.sort();
    out.dedup();
    out
}

/// Uppercase hex with separators removed, so ids from gpg and openssl output match.
pub(crate) fn normalize_id(id: &str) -> String {
    id.chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .flat_map(char::to_uppercase)
        .collect()
}

fn key_not_found(id: &str) -> Error {
    // The id is a public fingerprint, safe to repeat.
    let shown: String = id.chars().take(80).collect();
    Error::new(
        ErrorCode::KeyNotFound,
        format!("No key with id {shown} is in the keyring."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Time = Time::from_unix(1_796_083_200);

    #[cfg(feature = "smime")]
    fn ring_with(files: &[&[u8]]) -> Keyring {
        let mut ring = Keyring::new();
        for f in files {
            ring.import(f, &ImportOptions::default(), NOW)
                .expect("import");
        }
        ring
    }

    #[test]
    #[cfg(all(feature = "smime", feature = "openpgp"))]
    fn engine_lookups_find_the_right_key() {
        let alice = include_bytes!("../../tests/data/keys/alice-pkcs8.pem");
        let bob = include_bytes!("../../tests/data/keys/bob-rsa3072.crt.pem");
        let pgp = include_bytes!("../../tests/data/keys/pgp-rsa.pub.asc");
        let ring = ring_with(&[alice, bob, pgp]);

        for entry in ring.smime_entries() {
            let tbs = &entry.certificate().tbs_certificate;
            let isn = cms::cert::IssuerAndSerialNumber {
                issuer: tbs.issuer.clone(),
                serial_number: tbs.serial_number.clone(),
            };
            assert_eq!(
                ring.smime_by_issuer_serial(&isn).map(|e| e.id()),
                Some(entry.id())
            );
            let ski = entry
                .subject_key_id()
                .expect("openssl writes a subject key id");
            assert_eq!(ring.smime_by_ski(&ski).map(|e| e.id()), Some(entry.id()));
        }
        assert!(ring.smime_by_ski(&[0u8; 20]).is_none());

        let info = ring
            .list(NOW)
            .into_iter()
            .find(|k| k.kind == KeyKind::Pgp)
            .expect("pgp");
        assert!(info.key_ids.len() >= 2, "primary and encryption subkey");
        for key_id in &info.key_ids {
            let bytes: [u8; 8] = hex::decode(key_id)
                .expect("hex")
                .try_into()
                .expect("8 bytes");
            assert_eq!(
                ring.pgp_by_key_id(&bytes).map(|e| e.id()),
                Some(info.id.clone())
            );
        }
        let fpr = hex::decode(&info.id).expect("hex");
        assert_eq!(
            ring.pgp_by_fingerprint(&fpr).map(|e| e.id()),
            Some(info.id.clone())
        );
        assert!(ring.pgp_by_key_id(&[0u8; 8]).is_none());
    }

    #[test]
    fn audit_log_is_bounded_and_content_free() {
        let mut ring = Keyring::new();
        for i in 0..(AUDIT_LOG_CAPACITY + 10) {
            ring.record(AuditEvent::key_management(NOW, "import", &[format!("{i}")]));
        }
        assert_eq!(ring.recent_log().len(), AUDIT_LOG_CAPACITY);
        assert_eq!(ring.recent_log()[0].key_ids, ["10"]);
    }

    #[test]
    #[cfg(feature = "smime")]
    fn debug_output_is_redacted() {
        let opts = ImportOptions {
            passphrase: Some(Zeroizing::new("hunter2-secret".to_string())),
            trusted: false,
        };
        assert!(!format!("{opts:?}").contains("hunter2"));
        let alice = include_bytes!("../../tests/data/keys/alice-pkcs8.pem");
        let ring = ring_with(&[alice]);
        assert!(!format!("{ring:?}").contains("PRIVATE"));
    }
}

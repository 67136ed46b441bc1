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
//! The types are here; the [`Keyring`]'s methods are in `keyring/`, one file per concern
//! (import, export, sealing, admin, discovery, generate, select).
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
mod keyring;
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
// By path for keyring/export.rs: a macro's textual scope does not reach the files of `mod`s
// declared above it.
use each_entry;

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

    pub(super) const NOW: Time = Time::from_unix(1_796_083_200);

    #[cfg(feature = "smime")]
    pub(super) fn ring_with(files: &[&[u8]]) -> Keyring {
        let mut ring = Keyring::new();
        for f in files {
            ring.import(f, &ImportOptions::default(), NOW)
                .expect("import");
        }
        ring
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

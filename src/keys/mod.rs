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
mod info;
pub(crate) mod kdf;
mod keyring;
#[cfg(feature = "smime")]
mod legacy_pem;
pub(crate) mod lookup;
pub(crate) mod member;
#[cfg(feature = "openpgp")]
pub(crate) mod openpgp;
mod revocation;
mod roles;
#[cfg(feature = "smime")]
pub(crate) mod smime;
mod stored;
mod vault;
#[cfg(feature = "smime")]
pub(crate) mod x509;

pub use crate::report::{RevocationKind, RevocationRequest, RevocationRequestReason};
pub use audit::AuditEvent;
pub use conflict::KeyConflict;
pub use generate::{
    GenerateOpenPgp, GenerateSmime, GeneratedPgpKey, PendingKeyInfo, PgpKeyAlgorithm,
    SmimeKeyAlgorithm,
};
pub use info::{KeyInfo, KeyKind, KeyStatus, Trust};
pub(crate) use info::{OnUse, StoredKey};
pub use revocation::{CrlInfo, OcspInfo, OcspStatus, RevocationImported};
pub use roles::Role;

use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;
use crate::time::Time;

#[cfg(feature = "openpgp")]
pub(crate) use openpgp::PgpEntry;
#[cfg(feature = "smime")]
pub(crate) use smime::SmimeEntry;

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
    kept: Vec<stored::StoredEntry>,
    log: Vec<AuditEvent>,
    /// The admin passphrase's verifier, when one is set (sealed with the keyring).
    admin: Option<roles::AdminCredential>,
    /// The admin role was unlocked in this session (never sealed).
    admin_unlocked: bool,
    /// Certificate revocation lists the host fetched, each checked against its CA on import.
    #[cfg(feature = "smime")]
    crls: Vec<x509::revocation::HeldCrl>,
    /// The same in a build without S/MIME: sealed again as they came, never read.
    #[cfg(not(feature = "smime"))]
    kept_crls: Vec<Vec<u8>>,
    /// OCSP answers the host fetched, each checked against the certificate's issuer on
    /// import; held in memory only (they expire within hours or days).
    #[cfg(feature = "smime")]
    ocsp: Vec<x509::ocsp::HeldStatus>,
    /// The desk's policy as the admin set it (sealed with the keyring): what `protect`,
    /// `preview` and `check` follow when the caller passes none.
    policy: Option<Policy>,
    /// Keys found by lookups, by id: where and when (sealed with the keyring).
    origins: std::collections::BTreeMap<String, lookup::KeyOrigin>,
    /// S/MIME keys made here, waiting for their certificates (sealed with the keyring).
    pending: Vec<generate::PendingKey>,
    /// This keyring's member key for teams (`member_key`), and its display name.
    pub(crate) member: Option<member::MemberSeed>,
    pub(crate) member_name: Option<String>,
    /// The last change of each team this member opened or changed: older bundles are refused.
    pub(crate) team_checkpoints: std::collections::BTreeMap<String, member::Checkpoint>,
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

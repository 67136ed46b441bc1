//! The keyring's vocabulary, shared by every file of `keys/` (a leaf): what a key is
//! ([`KeyKind`], [`KeyStatus`], [`Trust`], the JS-facing [`KeyInfo`]) and how a key is held
//! ([`OnUse`]: parsed on first use; [`StoredKey`]: as the vault seals it).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::lookup;
use crate::report::Method;
use crate::secret::SecretBytes;

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

    /// `"smime"` / `"pgp"`, as in [`KeyInfo::kind`](KeyInfo::kind) and the sealed keyring.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Smime => "smime",
            KeyKind::Pgp => "pgp",
        }
    }

    pub(crate) fn parse(kind: &str) -> Option<KeyKind> {
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
    /// Key algorithm, e.g. `rsa2048`, `rsa-pss2048` (RSASSA-PSS only: signatures), `p256`,
    /// `ed25519`.
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
    /// name any address in a key; see [`Keyring::conflicts`](crate::keys::Keyring::conflicts)). Empty when there is none.
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

/// A key from the sealed vault, parsed when first used rather than on unseal: a new Worker
/// isolate's first request then reads only the keys it needs (an S/MIME message none of the
/// OpenPGP ones, a signature none of the decryption keys). Keys imported in this session are
/// held parsed.
#[derive(Clone)]
pub(crate) struct OnUse<T> {
    /// The sealed bytes, while they may still be needed: parsing, or sealing again as they are.
    sealed: Option<SecretBytes>,
    /// `None` inside: the sealed bytes did not give the key the summary describes.
    pub(super) parsed: OnceLock<Option<T>>,
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

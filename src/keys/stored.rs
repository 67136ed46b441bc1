//! A key as the sealed vault stores it (a leaf: the keyring keeps what a one-standard build
//! cannot read in this form, and the vault reads and writes it).

use serde::{Deserialize, Serialize};

use crate::secret::wipe_string;

/// One key as sealed. Also what a one-standard build keeps of the other standard's keys.
/// Its secret is wiped when dropped.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct StoredEntry {
    /// `smime` or `pgp` ([`KeyKind::as_str`]).
    pub(super) kind: String,
    /// Base64: certificate DER, or the binary OpenPGP public key.
    pub(super) public: String,
    /// Base64: PKCS#8 DER, or the unprotected binary OpenPGP secret key.
    pub(super) secret: Option<String>,
    pub(super) trusted: bool,
    /// What checking the key at import found ([`StoredKey::checked`]); absent in keyrings
    /// sealed before it was kept, which are checked again on unseal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) checked: Option<serde_json::Value>,
}

// The secret only (the rest is public), and by hand rather than `#[zeroize(drop)]`, which wiped
// every field a byte at a time: unsealing a keyring of 200 certificates spent ~2 ms in that.
impl Drop for StoredEntry {
    fn drop(&mut self) {
        if let Some(secret) = &mut self.secret {
            wipe_string(secret);
        }
    }
}

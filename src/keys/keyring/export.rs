//! Keys out of the keyring: the public part, or the secret protected by a passphrase.

use crate::error::{Error, ErrorCode, Result};
use crate::keys::{each_entry, key_not_found, AuditEvent, Entry, Keyring};
use crate::rng::Rng;
use crate::time::Time;

impl Keyring {
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
}

//! Importing into the keyring: every key of a file, merged with the keys held; a revocation
//! certificate on its own applied to the key it revokes.

#[cfg(feature = "openpgp")]
use crate::error::Error;
use crate::error::{ErrorCode, Result};
#[cfg(feature = "openpgp")]
use crate::keys::openpgp;
use crate::keys::{addresses_of, import, AuditEvent, Entry, ImportOptions, KeyInfo, Keyring};
#[cfg(feature = "openpgp")]
use crate::report::Method;
use crate::time::Time;

impl Keyring {
    /// Detects the format of `data`, imports every key in it, and returns what was imported
    /// (merged entries included), evaluated at `now`.
    ///
    /// Recorded in the log with the keys' ids and addresses; a refused import as an error
    /// event with its code (a missing passphrase, which the caller is about to ask for, is not).
    pub fn import(&mut self, data: &[u8], opts: &ImportOptions, now: Time) -> Result<Vec<KeyInfo>> {
        if opts.trusted {
            self.require_admin("Importing a key as trusted", now)?;
        }
        let mut skipped = Vec::new();
        let found = match import::parse_any_reporting(data, opts, self, &mut skipped) {
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
        // Keys of the file left out (an algorithm mailseal does not compute with): one
        // `import_skipped` error event each, so the admin learns what did not come in.
        for (id, e) in skipped {
            let mut event = AuditEvent::key_management(now, "import_skipped", &[id]);
            event.outcome = "error".to_string();
            event.code = Some(e.code().as_str().to_string());
            self.record(event);
        }
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
    pub(in crate::keys) fn merge(&mut self, entry: Entry) -> String {
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
}

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
            let (mut revoked, mut pending) = (Vec::new(), false);
            for sig in revocations {
                let applied = self
                    .entries
                    .iter()
                    .filter_map(Entry::as_pgp)
                    .filter(|k| k.issued(&sig))
                    .find_map(|k| k.with_revocation(sig.clone()));
                if let Some(entry) = applied {
                    revoked.push(self.merge(Entry::Pgp(Box::new(entry))));
                    continue;
                }
                let (done, waits) = self.designated_revocation(&sig);
                revoked.extend(done);
                pending |= waits;
            }
            if revoked.is_empty() && pending {
                Err(Error::new(
                    ErrorCode::KeyNotFound,
                    "The revocation certificate was made by a key's designated revoker, whose \
                     own key is not in the keyring (or it does not verify with it): it is kept \
                     with the key and counts once the revoker's key is imported.",
                ))
            } else if revoked.is_empty() {
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

    /// A revocation certificate by a designated revoker: kept with each key that names its
    /// issuer as revoker, and counted when it verifies with the revoker's key from the keyring
    /// (in `merge`). The ids it revoked, and whether it is kept waiting for that key.
    #[cfg(feature = "openpgp")]
    fn designated_revocation(&mut self, sig: &pgp::packet::Signature) -> (Vec<String>, bool) {
        let designated: Vec<openpgp::PgpEntry> = self
            .entries
            .iter()
            .filter_map(Entry::as_pgp)
            .filter_map(|k| k.with_designated_revocation(sig.clone()))
            .collect();
        let (mut revoked, mut waits) = (Vec::new(), false);
        for entry in designated {
            let id = self.merge(Entry::Pgp(Box::new(entry)));
            let now_revoked = self
                .entries
                .iter()
                .filter_map(Entry::as_pgp)
                .any(|k| k.id() == id && k.primary_summary().revoked);
            if now_revoked {
                revoked.push(id);
            } else {
                waits = true;
            }
        }
        (revoked, waits)
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
        // Any merge may bring a revoked key's revocation or its revoker's key.
        #[cfg(feature = "openpgp")]
        self.apply_designated_revocations();
        id
    }

    /// Revokes the OpenPGP keys whose designated revoker (RFC 9580 §5.2.3.23: a key they name
    /// in a self-signature) revoked them, when that revoker's key is in the keyring and its
    /// revocation verifies with it. Keys without a designated revoker cost nothing here.
    #[cfg(feature = "openpgp")]
    pub(in crate::keys) fn apply_designated_revocations(&mut self) {
        let revokers: Vec<(usize, pgp::packet::PublicKey)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_pgp().map(|k| (i, k)))
            .filter(|(_, k)| !k.designated_revokers().is_empty())
            .flat_map(|(i, k)| {
                k.designated_revokers()
                    .iter()
                    .filter_map(|fpr| {
                        self.entries
                            .iter()
                            .filter_map(Entry::as_pgp)
                            .find(|r| r.primary_summary().fingerprint == *fpr)
                            .and_then(|r| r.public_key())
                            .map(|r| (i, r.primary_key.clone()))
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        for (i, revoker) in revokers {
            if let Some(Entry::Pgp(key)) = self.entries.get_mut(i) {
                key.revoke_if_designated_by(&revoker);
            }
        }
    }
}

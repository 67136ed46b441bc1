//! Reading the keyring: the list as the admin sees it (trust, origin, conflicts), keys by id
//! or address, and the lookups the engines pick keys with (PGP key id and fingerprint, CMS
//! issuer+serial and subject key identifier).

#[cfg(feature = "openpgp")]
use crate::keys::PgpEntry;
#[cfg(feature = "smime")]
use crate::keys::SmimeEntry;
use crate::keys::{conflict, normalize_id, Entry, KeyConflict, KeyInfo, KeyStatus, Keyring, Trust};
use crate::time::Time;

impl Keyring {
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
                    if self.smime_revoked(s, now) {
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

    pub(crate) fn entry(&self, id: &str) -> Option<&Entry> {
        let id = normalize_id(id);
        self.entries.iter().find(|e| e.id() == id)
    }

    /// Keys bound to `address` (addr-spec, case-insensitive): valid ones first, then verified
    /// (`trusted`) ones, then newest first.
    pub fn by_address(&self, address: &str, now: Time) -> Vec<KeyInfo> {
        let wanted = crate::Address::key_of(address);
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

    /// The OpenPGP key `id` as an Autocrypt header offers it for `address` (binary): only that
    /// address's User ID and the subkeys usable at `now`.
    pub(crate) fn pgp_autocrypt_bytes(
        &self,
        id: &str,
        address: &str,
        now: Time,
    ) -> Option<Vec<u8>> {
        #[cfg(feature = "openpgp")]
        {
            use pgp::ser::Serialize as _;
            let wanted = crate::Address::key_of(address);
            let key = self.entry(id)?.as_pgp()?.minimal_for(&wanted, now)?;
            key.to_bytes().ok()
        }
        #[cfg(not(feature = "openpgp"))]
        {
            let _ = (id, address, now);
            None
        }
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

    /// The OpenPGP key to judge a signature by whose issuer has this 8-byte key id: see
    /// `best_signer`.
    #[cfg(feature = "openpgp")]
    pub(crate) fn pgp_signer_by_key_id(&self, key_id: &[u8; 8]) -> Option<&PgpEntry> {
        best_signer(self.pgp_entries().filter(|e| e.has_key_id(key_id)), |e| {
            e.may_sign_with_key_id(key_id)
        })
    }

    /// The OpenPGP key to judge a signature by whose issuer has this fingerprint: see
    /// `best_signer`.
    #[cfg(feature = "openpgp")]
    pub(crate) fn pgp_signer_by_fingerprint(&self, fingerprint: &[u8]) -> Option<&PgpEntry> {
        best_signer(
            self.pgp_entries()
                .filter(|e| e.has_fingerprint(fingerprint)),
            |e| e.may_sign_with_fingerprint(fingerprint),
        )
    }

    fn trust_of(&self, entry: &Entry, now: Time) -> Trust {
        #[cfg(not(feature = "smime"))]
        let _ = now;
        match entry {
            #[cfg(feature = "smime")]
            Entry::Smime(e) if e.trusted() => Trust::Anchor,
            #[cfg(feature = "smime")]
            Entry::Smime(e) if self.smime_vouched(e, now) => Trust::Chained,
            #[cfg(feature = "smime")]
            Entry::Smime(_) => Trust::Unverified,
            #[cfg(feature = "openpgp")]
            Entry::Pgp(e) if e.trusted() => Trust::Verified,
            #[cfg(feature = "openpgp")]
            Entry::Pgp(_) => Trust::Unverified,
        }
    }

    /// Whether the keyring's key `id` may be a stranger's: its private key is not here and it
    /// is not verified (an OpenPGP key the admin vouched for, an S/MIME certificate with a
    /// valid path to an anchor). Sent copies are not encrypted to such a key: one merely
    /// learned for the sender's own address (a forged From with an Autocrypt header) is
    /// whoever sent it.
    pub(crate) fn is_strangers_key(&self, id: &str, now: Time) -> bool {
        self.entry(id)
            .is_some_and(|e| !e.has_secret() && self.trust_of(e, now) == Trust::Unverified)
    }

    /// Whether a trusted anchor vouches for the S/MIME certificate `e` at `now`: it is one, or
    /// its path to one validates.
    #[cfg(feature = "smime")]
    pub(crate) fn smime_vouched(&self, e: &SmimeEntry, now: Time) -> bool {
        e.trusted()
            || crate::keys::x509::chain::validate(e.certificate(), &[], self, now).0
                == crate::keys::x509::chain::ChainVerdict::Trusted
    }

    /// The S/MIME certificate is revoked: by a CRL or OCSP answer the keyring holds, or its
    /// only paths to a trust anchor run through a CA certificate its issuer revoked (RFC 5280
    /// §6.1.3 (a)(3); the signature verdict judges such a path `revoked` too). The path is
    /// validated only when a CA above the certificate is on a held CRL: this runs on every key
    /// choice.
    #[cfg(feature = "smime")]
    pub(crate) fn smime_revoked(&self, e: &SmimeEntry, now: Time) -> bool {
        use crate::keys::x509::chain::{validate, ChainVerdict};
        if self.revocation_of(e.certificate()).is_some() {
            return true;
        }
        self.chain_for(e)
            .iter()
            .any(|ca| self.revocation_of(ca).is_some())
            && validate(e.certificate(), &[], self, now).0 == ChainVerdict::Revoked
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

/// Among the keys that hold a signature's issuer (primary key or bound subkey), the one whose
/// verdict counts: one that may sign with it before one that may not (anyone can bind someone
/// else's public key into their own key without a back-signature, and that copy must not decide
/// the verdict on its holder's signatures), then a verified key before an unverified one, then
/// the first in keyring order.
#[cfg(feature = "openpgp")]
fn best_signer<'a>(
    holders: impl Iterator<Item = &'a PgpEntry>,
    may_sign: impl Fn(&PgpEntry) -> bool,
) -> Option<&'a PgpEntry> {
    let mut best: Option<(&PgpEntry, (bool, bool))> = None;
    for entry in holders {
        let rank = (may_sign(entry), entry.trusted());
        if best.is_none_or(|(_, best_rank)| rank > best_rank) {
            best = Some((entry, rank));
        }
    }
    best.map(|(entry, _)| entry)
}

#[cfg(test)]
mod tests {
    #[cfg(all(feature = "smime", feature = "openpgp"))]
    use crate::keys::tests::{ring_with, NOW};
    #[cfg(all(feature = "smime", feature = "openpgp"))]
    use crate::keys::KeyKind;

    #[test]
    #[cfg(all(feature = "smime", feature = "openpgp"))]
    fn engine_lookups_find_the_right_key() {
        let alice = include_bytes!("../../../tests/data/keys/alice-pkcs8.pem");
        let bob = include_bytes!("../../../tests/data/keys/bob-rsa3072.crt.pem");
        let pgp = include_bytes!("../../../tests/data/keys/pgp-rsa.pub.asc");
        let ring = ring_with(&[alice, bob, pgp]);

        assert_eq!(ring.smime_entries().count(), 2);

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
                ring.pgp_signer_by_key_id(&bytes).map(|e| e.id()),
                Some(info.id.clone())
            );
        }
        let fpr = hex::decode(&info.id).expect("hex");
        assert_eq!(
            ring.pgp_signer_by_fingerprint(&fpr).map(|e| e.id()),
            Some(info.id.clone())
        );
        assert!(ring.pgp_signer_by_key_id(&[0u8; 8]).is_none());
    }
}

//! Keys found elsewhere: lookups (WKD, keyservers) and refreshes of the keys held, the key a
//! message's Autocrypt header offers, and an S/MIME sender's certificates from an opened
//! message. What is found is imported unverified, with where and when it was found.

use crate::error::{Error, ErrorCode, Result};
#[cfg(feature = "smime")]
use crate::keys::KeyStatus;
use crate::keys::{
    addresses_of, autocrypt, import, lookup, normalize_id, AuditEvent, Entry, ImportOptions,
    KeyInfo, KeyKind, Keyring,
};
use crate::report::Method;
use crate::time::Time;

impl Keyring {
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
        let wanted = crate::Address::parse(address)
            .map(|a| a.key())
            .map_err(|_| {
                Error::new(
                    ErrorCode::BadInput,
                    "Learning certificates needs one e-mail address.",
                )
            })?;
        #[cfg(not(feature = "smime"))]
        {
            let _ = (wanted, certificates, now);
            Err(crate::features::not_enabled_error(
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
                let chained = crate::keys::x509::chain::validate(
                    leaf.certificate(),
                    &intermediates,
                    self,
                    now,
                )
                .0 == crate::keys::x509::chain::ChainVerdict::Trusted;
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
            // A refresh brings revocations, subkeys and new self-signatures, never a new
            // address: the answer's server could add anyone's.
            #[cfg(feature = "openpgp")]
            #[allow(irrefutable_let_patterns)]
            // an OpenPGP-only build has no other kind
            if let Entry::Pgp(key) = &entry {
                let held = self.get(&id, now).map(|k| k.emails).unwrap_or_default();
                let copy = key
                    .found_for(|a| held.iter().any(|h| h == a))
                    .ok_or_else(|| Error::internal("a public refresh copy"))?;
                return Ok(Entry::Pgp(Box::new(copy)));
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
        // The keyring's own addresses learn nothing from incoming mail: anyone can put them
        // in a From, and the sender's own key is never a peer's (Autocrypt Level 1 keeps it
        // in the account's own state). A forged From: desk@ made every sent copy readable by
        // whoever sent it (found by the key sweep).
        let own = crate::Address::key_of(&offer.address);
        if self
            .entries
            .iter()
            .any(|e| e.has_secret() && e.info(now).emails.contains(&own))
        {
            return Ok(Vec::new());
        }
        // Autocrypt Level 1 §2.1.1: keydata is one transferable public key. An offer of
        // several is not one to learn (each would be a key for the address).
        let keys = import::parse_any(&offer.keydata, &ImportOptions::default(), self)?;
        if keys.len() != 1 {
            return Ok(Vec::new());
        }
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
        let wanted = crate::Address::parse(address)
            .map(|a| a.key())
            .map_err(|_| {
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
            if !info.emails.contains(&wanted) {
                continue;
            }
            // Found for this address, the key is a key for this address only.
            #[cfg(feature = "openpgp")]
            #[allow(irrefutable_let_patterns)]
            // an OpenPGP-only build has no other kind
            if let Entry::Pgp(key) = &entry {
                found.extend(
                    key.found_for(|a| a == wanted)
                        .map(|k| Entry::Pgp(Box::new(k))),
                );
                continue;
            }
            found.push(entry);
        }
        if found.is_empty() {
            return Err(Error::new(
                ErrorCode::KeyNotFound,
                format!("The answer holds no OpenPGP key with a valid user ID for {wanted}."),
            ));
        }
        Ok((wanted, found))
    }
}

//! Making keys in the keyring (issue 16, see the `generate` module): the desk's own OpenPGP
//! keys, S/MIME keys waiting for their certificates, and superseding an address's old keys.

#[cfg(feature = "openpgp")]
use crate::error::Error;
use crate::error::Result;
use crate::keys::generate::{
    checked_address, key_failed, GenerateOpenPgp, GenerateSmime, GeneratedPgpKey, PendingKeyInfo,
};
#[cfg(feature = "openpgp")]
use crate::keys::generate::{openpgp, DEFAULT_VALID_DAYS};
#[cfg(feature = "smime")]
use crate::keys::generate::{public_key_id, smime, PendingKey};
use crate::keys::{AuditEvent, Keyring};
#[cfg(feature = "openpgp")]
use crate::keys::{Entry, KeyStatus};

impl Keyring {
    /// Makes an OpenPGP key for `opts.address` (admin only once roles are in use): the secret
    /// key joins the keyring as the desk's own, vouched for; the public key and a revocation
    /// certificate come back for publishing and for safekeeping. Logged as `generate`.
    pub fn generate_openpgp(
        &mut self,
        opts: &GenerateOpenPgp,
        rng: &mut dyn crate::rng::Rng,
        now: crate::time::Time,
    ) -> Result<GeneratedPgpKey> {
        self.require_admin("Making a key", now)?;
        let address = checked_address(&opts.address)?;
        #[cfg(not(feature = "openpgp"))]
        {
            let _ = (address, rng);
            Err(crate::features::not_enabled_error(
                crate::report::Method::Pgp,
                "OpenPGP keys are made by a build with OpenPGP:",
            ))
        }
        #[cfg(feature = "openpgp")]
        {
            use pgp::composed::ArmorOptions;
            let name = opts
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty());
            if name.is_some_and(|n| n.contains(['<', '>', '\r', '\n'])) {
                return Err(Error::bad_input(
                    "The name may not contain angle brackets or line breaks.",
                ));
            }
            let user_id = match name {
                Some(name) => format!("{name} <{address}>"),
                None => format!("<{address}>"),
            };
            let days = opts.valid_days.unwrap_or(DEFAULT_VALID_DAYS);
            let valid_secs = (days > 0).then(|| days.saturating_mul(86_400));
            let made = openpgp::new_key(&user_id, opts.algorithm, opts.v6, now, valid_secs, rng)?;
            let armored = made
                .key
                .to_armored_bytes(ArmorOptions::default())
                .map_err(|_| key_failed())?;
            let entries = crate::keys::openpgp::parse_pgp(&armored, None, true)?;
            let mut ids = Vec::new();
            for entry in entries {
                ids.push(self.merge(Entry::Pgp(Box::new(entry))));
            }
            let id = ids.first().cloned().ok_or_else(key_failed)?;
            let mut event = AuditEvent::key_management(now, "generate", &ids);
            event.method = Some(crate::report::Method::Pgp.as_str().to_string());
            event.addresses = vec![address];
            self.record(event);
            Ok(GeneratedPgpKey {
                key: self.get(&id, now).ok_or_else(key_failed)?,
                public_key: self.export_public(&id)?,
                revocation_certificate: openpgp::armored_revocation(&made.revocation)?,
            })
        }
    }

    /// Makes an S/MIME key pair for `opts.address` and the PKCS#10 request for the
    /// organisation's CA (admin only once roles are in use). The key waits in the keyring,
    /// sealed with it, until the issued certificate is imported: then they are one key.
    /// Logged as `generate`.
    pub fn generate_smime(
        &mut self,
        opts: &GenerateSmime,
        rng: &mut dyn crate::rng::Rng,
        now: crate::time::Time,
    ) -> Result<PendingKeyInfo> {
        self.require_admin("Making a key", now)?;
        let address = checked_address(&opts.address)?;
        #[cfg(not(feature = "smime"))]
        {
            let _ = (address, rng);
            Err(crate::features::not_enabled_error(
                crate::report::Method::Smime,
                "S/MIME keys are made by a build with S/MIME:",
            ))
        }
        #[cfg(feature = "smime")]
        {
            let (secret, request) =
                smime::new_request(&address, opts.name.as_deref(), opts.algorithm, rng)?;
            let bits = secret.public_key_bits().ok_or_else(key_failed)?;
            let info = PendingKeyInfo {
                id: public_key_id(&bits),
                address: address.clone(),
                algorithm: opts.algorithm,
                created: now.to_rfc3339(),
                request,
            };
            self.pending.push(PendingKey {
                info: info.clone(),
                pkcs8: secret.to_pkcs8_der()?,
            });
            let mut event =
                AuditEvent::key_management(now, "generate", std::slice::from_ref(&info.id));
            event.method = Some(crate::report::Method::Smime.as_str().to_string());
            event.addresses = vec![address];
            self.record(event);
            Ok(info)
        }
    }

    /// Marks the desk's own OpenPGP keys for `address` superseded (a key revocation, reason
    /// "key superseded", signed by each key itself): they still decrypt old mail, and new
    /// mail, signatures and correspondents move to the key made next.
    pub(crate) fn supersede_openpgp(
        &mut self,
        address: &str,
        rng: &mut dyn crate::rng::Rng,
        now: crate::time::Time,
    ) -> Result<()> {
        #[cfg(feature = "openpgp")]
        {
            let wanted = checked_address(address)?;
            let mut superseded = Vec::new();
            for entry in self.entries.iter().filter_map(Entry::as_pgp) {
                let info = entry.info(now);
                if !info.emails.contains(&wanted) || info.status != KeyStatus::Valid {
                    continue;
                }
                let Some(secret) = entry.secret_key() else {
                    continue;
                };
                let revocation = openpgp::key_revocation(
                    &secret.primary_key,
                    pgp::packet::RevocationCode::KeySuperseded,
                    "superseded by the team's new key",
                    now,
                    rng,
                )?;
                if let Some(updated) = entry.with_revocation(revocation) {
                    superseded.push(updated);
                }
            }
            for updated in superseded {
                self.merge(Entry::Pgp(Box::new(updated)));
            }
        }
        #[cfg(not(feature = "openpgp"))]
        let _ = (address, rng, now);
        Ok(())
    }

    /// The S/MIME keys waiting for their certificates.
    pub fn pending_keys(&self) -> Vec<PendingKeyInfo> {
        self.pending.iter().map(|p| p.info.clone()).collect()
    }

    /// The private key of a pending key that belongs to `cert`, if any.
    #[cfg(feature = "smime")]
    pub(crate) fn pending_secret_for(
        &self,
        cert: &x509_cert::Certificate,
    ) -> Option<crate::keys::smime::SmimeSecret> {
        let bits = cert
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes();
        let id = public_key_id(bits);
        let pending = self.pending.iter().find(|p| p.info.id == id)?;
        crate::keys::smime::SmimeSecret::from_pkcs8_der(&pending.pkcs8).ok()
    }

    /// Forgets the pending keys whose certificate is now in the keyring with its key.
    pub(crate) fn settle_pending(&mut self) {
        #[cfg(feature = "smime")]
        {
            let done: Vec<String> = self
                .smime_entries()
                .filter(|e| e.has_secret())
                .map(|e| {
                    public_key_id(
                        e.certificate()
                            .tbs_certificate
                            .subject_public_key_info
                            .subject_public_key
                            .raw_bytes(),
                    )
                })
                .collect();
            self.pending.retain(|p| !done.contains(&p.info.id));
        }
    }
}

//! What only the admin may do and who acts ([`Role`]): the admin passphrase, removing keys,
//! the desk's policy; and the audit log that records it all.

use crate::error::{Error, ErrorCode, Result};
use crate::keys::{
    addresses_of, normalize_id, roles, AuditEvent, Keyring, Role, AUDIT_LOG_CAPACITY,
};
use crate::policy::Policy;
use crate::rng::Rng;
use crate::time::Time;

impl Keyring {
    /// Removes a key; `true` when it was there. For the admin ([`Role`]).
    pub fn remove(&mut self, id: &str, now: Time) -> Result<bool> {
        self.require_admin("Removing a key", now)?;
        let id = normalize_id(id);
        let Some(info) = self.get(&id, now) else {
            return Ok(false);
        };
        self.entries.retain(|e| e.id() != id);
        let mut event = AuditEvent::key_management(now, "remove", &[id]);
        event.addresses = addresses_of(&[info]);
        self.record(event);
        Ok(true)
    }

    /// Who acts now: [`Role::Admin`] when no admin passphrase is set or it was given in this
    /// session ([`Keyring::unlock_admin`]), else [`Role::Agent`].
    pub fn role(&self) -> Role {
        if self.admin.is_none() || self.admin_unlocked {
            Role::Admin
        } else {
            Role::Agent
        }
    }

    /// Whether an admin passphrase is set.
    pub fn has_admin_passphrase(&self) -> bool {
        self.admin.is_some()
    }

    /// Sets (or, for the admin, changes) the admin passphrase; the caller is the admin for the
    /// rest of this session.
    pub fn set_admin_passphrase(
        &mut self,
        passphrase: &str,
        rng: &mut dyn Rng,
        now: Time,
    ) -> Result<()> {
        self.require_admin("Changing the admin passphrase", now)?;
        self.admin = Some(roles::AdminCredential::new(passphrase, rng)?);
        self.admin_unlocked = true;
        self.record(AuditEvent::key_management(now, "set_admin_passphrase", &[]));
        Ok(())
    }

    /// Unlocks the admin role for this session: `bad_password` (and an error event) for a
    /// wrong passphrase. Without an admin passphrase everyone is the admin already.
    pub fn unlock_admin(&mut self, passphrase: &str, now: Time) -> Result<()> {
        let Some(admin) = &self.admin else {
            return Ok(());
        };
        if !admin.matches(passphrase)? {
            let mut event = AuditEvent::key_management(now, "admin_unlock", &[]);
            event.outcome = "error".to_string();
            event.code = Some(ErrorCode::BadPassword.as_str().to_string());
            self.record(event);
            return Err(Error::new(
                ErrorCode::BadPassword,
                "The admin passphrase is wrong.",
            ));
        }
        self.admin_unlocked = true;
        self.record(AuditEvent::key_management(now, "admin_unlock", &[]));
        Ok(())
    }

    /// Back to the agent role (when an admin passphrase is set).
    pub fn lock_admin(&mut self, now: Time) {
        if self.admin.is_some() && self.admin_unlocked {
            self.record(AuditEvent::key_management(now, "admin_lock", &[]));
            self.admin_unlocked = false;
        }
    }

    /// `admin_required` (and an error event) unless the admin acts.
    pub(in crate::keys) fn require_admin(&mut self, what: &str, now: Time) -> Result<()> {
        if self.role() == Role::Admin {
            return Ok(());
        }
        let mut event = AuditEvent::key_management(now, "refused", &[]);
        event.outcome = "error".to_string();
        event.code = Some(ErrorCode::AdminRequired.as_str().to_string());
        self.record(event);
        Err(roles::admin_required(what))
    }

    /// The policy the admin stored in this keyring, if any.
    pub fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }

    /// Stores the desk's policy (group defaults, method priority, fallback, algorithms) in the
    /// keyring, sealed with it: only the admin may change it; recorded in the log.
    pub fn set_policy(&mut self, policy: Policy, now: Time) -> Result<()> {
        self.require_admin("Changing the policy", now)?;
        if policy.groups.keys().any(|name| name.trim().is_empty()) {
            return Err(Error::new(
                ErrorCode::BadInput,
                "A group of the policy needs a name.",
            ));
        }
        self.policy = Some(policy);
        self.record(AuditEvent::key_management(now, "set_policy", &[]));
        Ok(())
    }

    /// Recent audit events, oldest first. No content, no key material.
    pub fn recent_log(&self) -> &[AuditEvent] {
        &self.log
    }

    /// Appends an audit event, keeping the most recent [`AUDIT_LOG_CAPACITY`].
    pub fn record(&mut self, mut event: AuditEvent) {
        // Which role acted, once roles are in use.
        if self.admin.is_some() && event.role.is_none() {
            event.role = Some(self.role().as_str().to_string());
        }
        self.log.push(event);
        if self.log.len() > AUDIT_LOG_CAPACITY {
            let excess = self.log.len() - AUDIT_LOG_CAPACITY;
            self.log.drain(..excess);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::tests::NOW;

    #[test]
    fn audit_log_is_bounded_and_content_free() {
        let mut ring = Keyring::new();
        for i in 0..(AUDIT_LOG_CAPACITY + 10) {
            ring.record(AuditEvent::key_management(NOW, "import", &[format!("{i}")]));
        }
        assert_eq!(ring.recent_log().len(), AUDIT_LOG_CAPACITY);
        assert_eq!(ring.recent_log()[0].key_ids, ["10"]);
    }
}

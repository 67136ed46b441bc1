//! What the composer may offer: can this sender sign, can these recipients be encrypted to,
//! with which method, and why not, in sentences that name the addresses. Drives the Encrypt /
//! Sign buttons and their tooltips (Zammad's behaviour), asked before `protect`.

use serde::{Deserialize, Serialize};

use crate::engine::{Engine, Unusable};
use crate::keys::Keyring;
use crate::policy::Policy;
use crate::report::Method;
use crate::time::Time;

/// The addresses of a message being composed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Addresses {
    /// The sending address (the help desk's address for the group).
    pub from: String,
    /// Recipients.
    pub to: Vec<String>,
    /// Copy recipients.
    pub cc: Vec<String>,
    /// Blind copy recipients.
    pub bcc: Vec<String>,
}

impl Addresses {
    /// Every recipient once, lower-cased, in order of appearance.
    pub fn recipients(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for a in self.to.iter().chain(&self.cc).chain(&self.bcc) {
            let a = a.trim().to_ascii_lowercase();
            if !a.is_empty() && !out.contains(&a) {
                out.push(a);
            }
        }
        out
    }
}

/// One method's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodCapabilities {
    /// The method.
    pub method: Method,
    /// The sender has a valid signing key with its private key.
    pub can_sign: bool,
    /// Id of the key that would sign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_key: Option<String>,
    /// Why signing is not possible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_detail: Option<String>,
    /// Every recipient has a valid encryption key.
    pub can_encrypt: bool,
    /// Why encryption is not possible: one sentence per recipient without a usable key.
    pub encrypt_details: Vec<String>,
    /// The recipients without a usable key.
    pub missing: Vec<String>,
}

/// The composer's view of one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// Per method, in the policy's priority order.
    pub methods: Vec<MethodCapabilities>,
    /// Some allowed method can sign for the sender.
    pub can_sign: bool,
    /// Some allowed method can encrypt to all recipients.
    pub can_encrypt: bool,
    /// The method `protect` with `method: "auto"` would choose: the first in priority that can
    /// encrypt to everyone, else the first that can sign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// Messages about the whole request ("There was no recipient found.").
    pub details: Vec<String>,
}

/// Answers for `addresses` under `policy` at `now`, with the given engines.
pub fn capabilities(
    ring: &Keyring,
    engines: &[&dyn Engine],
    policy: &Policy,
    addresses: &Addresses,
    now: Time,
) -> Capabilities {
    let recipients = addresses.recipients();
    let from = addresses.from.trim().to_ascii_lowercase();
    let mut details = Vec::new();
    if recipients.is_empty() {
        details.push("There was no recipient found.".to_string());
    }
    if from.is_empty() {
        details.push("There was no sender address found.".to_string());
    }

    let mut methods = Vec::new();
    for method in policy.methods() {
        let Some(engine) = engines.iter().find(|e| e.method() == method) else {
            continue;
        };
        let (can_sign, sign_key, sign_detail) = if from.is_empty() {
            (false, None, None)
        } else {
            match engine.signing_key(ring, &from, now) {
                Ok(id) => (true, Some(id), None),
                Err(why) => (false, None, Some(why.detail())),
            }
        };
        let unusable: Vec<Unusable> = recipients
            .iter()
            .filter_map(|a| engine.encryption_key(ring, a, now).err())
            .collect();
        methods.push(MethodCapabilities {
            method,
            can_sign,
            sign_key,
            sign_detail,
            can_encrypt: !recipients.is_empty() && unusable.is_empty(),
            encrypt_details: unusable.iter().map(Unusable::detail).collect(),
            missing: unusable.into_iter().map(|u| u.address).collect(),
        });
    }

    let can_sign = methods.iter().any(|m| m.can_sign);
    let can_encrypt = methods.iter().any(|m| m.can_encrypt);
    let method = methods
        .iter()
        .find(|m| m.can_encrypt)
        .or_else(|| methods.iter().find(|m| m.can_sign))
        .map(|m| m.method);
    Capabilities {
        methods,
        can_sign,
        can_encrypt,
        method,
        details,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::fake::Fake;

    const SMIME: Fake = Fake {
        method: Method::Smime,
        signers: &["desk@example.com"],
        recipients: &["alice@example.com", "bob@example.com"],
    };
    const PGP: Fake = Fake {
        method: Method::Pgp,
        signers: &[],
        recipients: &["alice@example.com", "carol@example.com"],
    };

    fn ask(policy: &Policy, from: &str, to: &[&str]) -> Capabilities {
        let addresses = Addresses {
            from: from.into(),
            to: to.iter().map(|s| s.to_string()).collect(),
            ..Addresses::default()
        };
        capabilities(
            &Keyring::new(),
            &[&SMIME, &PGP],
            policy,
            &addresses,
            Time::from_unix(0),
        )
    }

    #[test]
    fn every_recipient_needs_a_key_of_the_method() {
        let c = ask(
            &Policy::default(),
            "Desk@Example.com",
            &["alice@example.com", "carol@example.com"],
        );
        assert!(c.can_sign && c.can_encrypt);
        assert_eq!(c.method, Some(Method::Pgp));
        let smime = &c.methods[0];
        assert!(smime.can_sign && !smime.can_encrypt);
        assert_eq!(smime.missing, ["carol@example.com"]);
        assert_eq!(
            smime.encrypt_details,
            ["The certificate for carol@example.com was not found."]
        );
        let pgp = &c.methods[1];
        assert_eq!(
            pgp.sign_detail.as_deref(),
            Some("The PGP key for desk@example.com was not found.")
        );
    }

    #[test]
    fn priority_decides_between_methods_that_both_work() {
        let c = ask(
            &Policy::default(),
            "desk@example.com",
            &["alice@example.com"],
        );
        assert_eq!(c.method, Some(Method::Smime));
        let pgp_first = Policy {
            method_priority: vec![Method::Pgp],
            ..Policy::default()
        };
        let c = ask(&pgp_first, "desk@example.com", &["alice@example.com"]);
        assert_eq!(c.methods.len(), 1, "one entry means that method only");
        assert_eq!(c.method, Some(Method::Pgp));
        assert!(!c.can_sign);
    }

    #[test]
    fn no_recipient_is_said_and_nothing_encrypts() {
        let c = ask(&Policy::default(), "desk@example.com", &[]);
        assert!(!c.can_encrypt);
        assert_eq!(c.details, ["There was no recipient found."]);
    }
}

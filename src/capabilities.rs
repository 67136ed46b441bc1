//! What the composer may offer: can this sender sign, can these recipients be encrypted to,
//! with which method, and why not, in sentences that name the addresses. Drives the Encrypt /
//! Sign buttons and their tooltips (Zammad's behaviour), asked before `protect`.

use serde::{Deserialize, Serialize};

use crate::engine::{Engine, Unusable};
use crate::keys::{KeyConflict, KeyInfo, KeyKind, KeyStatus, Keyring, Trust};
use crate::policy::Policy;
use crate::report::Method;
use crate::standards;
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
    /// Every recipient once, in key form ([`crate::Address::key_of`]), in order of appearance.
    pub fn recipients(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for a in self.to.iter().chain(&self.cc).chain(&self.bcc) {
            let a = crate::Address::key_of(a);
            if !a.is_empty() && !out.contains(&a) {
                out.push(a);
            }
        }
        out
    }
}

/// One method's answer.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodCapabilities {
    /// The method.
    pub method: Method,
    /// The method is in this build and was passed in (false: `mailseal/smime` asked about
    /// OpenPGP, or `mailseal/openpgp` about S/MIME; the details say so).
    pub available: bool,
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
    /// Sentences about the keys that would be used: several keys claiming a recipient's
    /// address (a conflict only the admin can settle), or a key no admin has verified.
    pub key_notes: Vec<String>,
}

impl MethodCapabilities {
    /// A method without an engine: nothing can be signed or encrypted with it, and every
    /// sentence says why.
    fn unavailable(method: Method, recipients: &[String]) -> Self {
        let why = unavailable_detail(method);
        MethodCapabilities {
            method,
            available: false,
            can_sign: false,
            sign_key: None,
            sign_detail: Some(why.clone()),
            can_encrypt: false,
            encrypt_details: vec![why],
            missing: recipients.to_vec(),
            key_notes: Vec::new(),
        }
    }
}

/// Why `method` has no engine here: left out of this build, or not passed in.
fn unavailable_detail(method: Method) -> String {
    if standards::enabled(method) {
        format!("{} is not enabled.", standards::name(method))
    } else {
        standards::not_enabled(method)
    }
}

/// The composer's view of one message.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
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
    let from = crate::Address::key_of(&addresses.from);
    let mut details = Vec::new();
    if recipients.is_empty() {
        details.push("There was no recipient found.".to_string());
    }
    if from.is_empty() {
        details.push("There was no sender address found.".to_string());
    }

    let conflicts = ring.conflicts(now);
    let mut methods = Vec::new();
    for method in policy.methods() {
        let Some(engine) = engines.iter().find(|e| e.method() == method) else {
            methods.push(MethodCapabilities::unavailable(method, &recipients));
            continue;
        };
        let (can_sign, sign_key, sign_detail) = if from.is_empty() {
            (false, None, None)
        } else {
            match engine.signing_key(ring, &from, now) {
                Ok(key) => (true, Some(key.id().to_string()), None),
                Err(why) => (false, None, Some(why.detail())),
            }
        };
        let mut unusable: Vec<Unusable> = Vec::new();
        let mut key_notes = Vec::new();
        for address in &recipients {
            match engine.encryption_key(ring, address, now) {
                Ok(key) => {
                    key_notes.extend(key_note(ring, &conflicts, method, address, key.id(), now))
                }
                Err(why) => unusable.push(why),
            }
        }
        methods.push(MethodCapabilities {
            method,
            available: true,
            can_sign,
            sign_key,
            sign_detail,
            can_encrypt: !recipients.is_empty() && unusable.is_empty(),
            encrypt_details: unusable.iter().map(Unusable::detail).collect(),
            missing: unusable.into_iter().map(|u| u.address).collect(),
            key_notes,
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

/// What the composer should know about the key `id` chosen to encrypt to `address`: that
/// other keys claim the address too, or that nothing vouches for it (an OpenPGP key no admin
/// verified, an S/MIME certificate no trusted CA issued).
fn key_note(
    ring: &Keyring,
    conflicts: &[KeyConflict],
    method: Method,
    address: &str,
    id: &str,
    now: Time,
) -> Option<String> {
    if method == Method::Smime {
        return smime_key_note(ring, address, id, now);
    }
    if let Some(c) = conflicts.iter().find(|c| c.address == address) {
        return Some(c.detail());
    }
    let verified = ring.get(id, now).is_some_and(|k| k.trusted);
    (!verified).then(|| {
        format!(
            "The PGP key for {address} ({id}) has not been verified by an admin: mail is \
             encrypted to it, but nothing vouches that it is theirs."
        )
    })
}

/// [`key_note`] for the S/MIME certificate `id`: that no trusted CA issued it, or that other
/// usable certificates for `address` that none issued were passed over (made by anyone: the
/// admin should remove them).
fn smime_key_note(ring: &Keyring, address: &str, id: &str, now: Time) -> Option<String> {
    let vouched = |k: &KeyInfo| k.trust != Trust::Unverified;
    let chosen = ring.get(id, now)?;
    if !vouched(&chosen) {
        return Some(format!(
            "The certificate for {address} ({id}) is not issued by a trusted certification \
             authority: mail is encrypted to it, but nothing vouches that it is theirs."
        ));
    }
    let passed_over: Vec<String> = ring
        .by_address(address, now)
        .into_iter()
        .filter(|k| k.kind == KeyKind::Smime && k.id != id)
        .filter(|k| k.status == KeyStatus::Valid && k.can_encrypt && !vouched(k))
        .map(|k| k.id)
        .collect();
    let (others, them) = match passed_over.len() {
        0 => return None,
        1 => ("Another certificate claims", "it"),
        _ => ("Other certificates claim", "them"),
    };
    Some(format!(
        "{others} {address} ({}) but no trusted certification authority issued {them}: mail \
         is encrypted to {id} only. Remove {them} if not theirs.",
        passed_over.join(", ")
    ))
}

/// How long before expiry a key is reported as expiring.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// One sending address in the readiness check.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressReadiness {
    /// The address, lower-case.
    pub address: String,
    /// Per method, in the policy's priority order.
    pub methods: Vec<MethodReadiness>,
}

/// What one method can do for one of the help desk's own addresses.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodReadiness {
    /// The method.
    pub method: Method,
    /// The method is in this build (see [`MethodCapabilities::available`]).
    pub available: bool,
    /// Outgoing mail from this address can be signed.
    pub can_sign: bool,
    /// Why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_detail: Option<String>,
    /// Incoming mail to this address can be decrypted: a valid encryption key with its
    /// private key is in the keyring.
    pub can_decrypt: bool,
    /// Why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decrypt_detail: Option<String>,
}

/// A key that needs the admin's attention.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyNotice {
    /// Key id.
    pub id: String,
    /// `smime` / `pgp`.
    pub kind: KeyKind,
    /// Its addresses.
    pub emails: Vec<String>,
    /// Its expiry, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Its status now.
    pub status: KeyStatus,
}

/// The admin's self-check: which of the help desk's addresses can sign and decrypt with
/// which method, which trust anchors exist, and which keys expire soon or have expired.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    /// Per address asked about.
    pub addresses: Vec<AddressReadiness>,
    /// S/MIME trust anchors (`trusted: true` CA certificates) and vouched-for OpenPGP keys.
    pub trust_anchors: Vec<KeyNotice>,
    /// Keys expiring within 30 days ([`EXPIRY_WARNING_DAYS`]), or whose subkey that signs or
    /// decrypts for one of the addresses does (OpenPGP).
    pub expiring: Vec<KeyNotice>,
    /// Keys already expired or revoked.
    pub unusable: Vec<KeyNotice>,
    /// Addresses that several different OpenPGP keys claim (see [`KeyConflict`]).
    pub conflicts: Vec<KeyConflict>,
    /// Sentences for the admin ("No S/MIME trust anchor is configured: ...").
    pub details: Vec<String>,
}

/// What `engine` can do for one of the desk's own addresses; the ids of keys it uses now but
/// not at the end of the warning window go to `lapsing`.
fn method_readiness(
    ring: &Keyring,
    engine: &dyn Engine,
    address: &str,
    keys: &[KeyInfo],
    now: Time,
    lapsing: &mut Vec<String>,
) -> MethodReadiness {
    let method = engine.method();
    let kind = match method {
        Method::Smime => KeyKind::Smime,
        Method::Pgp => KeyKind::Pgp,
    };
    let soon = now.plus_secs(EXPIRY_WARNING_DAYS * 86_400);
    let signing = engine.signing_key(ring, address, now);
    let encrypting = engine.encryption_key(ring, address, now);
    let lapses = [
        (
            signing.as_ref().ok().map(|k| k.id().to_string()),
            engine.signing_key(ring, address, soon).is_ok(),
        ),
        (
            encrypting.as_ref().ok().map(|k| k.id().to_string()),
            engine.encryption_key(ring, address, soon).is_ok(),
        ),
    ];
    for (id, still) in lapses {
        if let (Some(id), false) = (id, still) {
            lapsing.push(id);
        }
    }
    let decrypt = keys
        .iter()
        .any(|k| k.kind == kind && k.has_secret && k.can_encrypt && k.status == KeyStatus::Valid);
    let decrypt_detail = (!decrypt).then(|| {
        let why = encrypting.err().unwrap_or(Unusable {
            address: address.to_string(),
            method,
            problem: crate::engine::KeyProblem::NoSecret,
        });
        why.detail()
    });
    MethodReadiness {
        method,
        available: true,
        can_sign: signing.is_ok(),
        sign_detail: signing.err().map(|u| u.detail()),
        can_decrypt: decrypt,
        decrypt_detail,
    }
}

/// Runs the readiness check for the help desk's own `addresses` at `now`.
pub fn check(
    ring: &Keyring,
    engines: &[&dyn Engine],
    policy: &Policy,
    addresses: &[String],
    now: Time,
) -> Readiness {
    let notice = |k: &KeyInfo| KeyNotice {
        id: k.id.clone(),
        kind: k.kind,
        emails: k.emails.clone(),
        expires: k.expires.clone(),
        status: k.status,
    };
    let mut out = Vec::new();
    // Keys that sign or decrypt for an address now but not once the warning window has passed:
    // an OpenPGP subkey ending while its primary key lives on, which `expires` does not show.
    let mut lapsing: Vec<String> = Vec::new();
    for address in addresses {
        let address = crate::Address::key_of(address);
        if address.is_empty() {
            continue;
        }
        let keys = ring.by_address(&address, now);
        let methods = policy
            .methods()
            .into_iter()
            .map(
                |method| match engines.iter().find(|e| e.method() == method) {
                    Some(engine) => {
                        method_readiness(ring, *engine, &address, &keys, now, &mut lapsing)
                    }
                    None => {
                        let why = unavailable_detail(method);
                        MethodReadiness {
                            method,
                            available: false,
                            can_sign: false,
                            sign_detail: Some(why.clone()),
                            can_decrypt: false,
                            decrypt_detail: Some(why),
                        }
                    }
                },
            )
            .collect();
        out.push(AddressReadiness { address, methods });
    }

    let all = ring.list(now);
    let soon = now.plus_secs(EXPIRY_WARNING_DAYS * 86_400).to_rfc3339();
    let trust_anchors: Vec<KeyNotice> = all.iter().filter(|k| k.trusted).map(notice).collect();
    let expiring = all
        .iter()
        .filter(|k| k.status == KeyStatus::Valid)
        .filter(|k| {
            k.expires.as_deref().is_some_and(|e| e <= soon.as_str()) || lapsing.contains(&k.id)
        })
        .map(notice)
        .collect();
    let unusable = all
        .iter()
        .filter(|k| matches!(k.status, KeyStatus::Expired | KeyStatus::Revoked))
        .map(notice)
        .collect();
    let mut details = Vec::new();
    let smime_anchor = all.iter().any(|k| k.trusted && k.kind == KeyKind::Smime);
    if standards::enabled(Method::Smime)
        && policy.methods().contains(&Method::Smime)
        && !smime_anchor
    {
        details.push(
            "No S/MIME trust anchor is configured: no S/MIME signature can be shown as valid. \
             Import the certificate of the CA that issues your correspondents' certificates \
             and mark it as trusted."
                .to_string(),
        );
    }
    for (method, count) in ring.kept_for_other_builds() {
        details.push(format!(
            "The keyring also holds {count} {} key{} that this build keeps sealed but cannot \
             use or list. {}",
            standards::name(method),
            if count == 1 { "" } else { "s" },
            standards::not_enabled(method)
        ));
    }
    let conflicts = ring.conflicts(now);
    details.extend(conflicts.iter().map(KeyConflict::detail));
    Readiness {
        addresses: out,
        trust_anchors,
        expiring,
        unusable,
        conflicts,
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
    fn a_method_without_its_engine_is_listed_as_unavailable_with_the_reason() {
        let addresses = Addresses {
            from: "desk@example.com".into(),
            to: vec!["alice@example.com".into()],
            ..Addresses::default()
        };
        let (ring, now) = (Keyring::new(), Time::from_unix(0));
        let c = capabilities(&ring, &[&SMIME], &Policy::default(), &addresses, now);
        assert_eq!(c.method, Some(Method::Smime));
        let pgp = c.methods.iter().find(|m| m.method == Method::Pgp).unwrap();
        assert!(!pgp.available && !pgp.can_sign && !pgp.can_encrypt);
        assert_eq!(pgp.missing, ["alice@example.com"]);
        assert!(pgp.sign_detail.as_deref().unwrap().contains("OpenPGP"));
        assert!(pgp.encrypt_details[0].contains("OpenPGP"));
        assert!(c
            .methods
            .iter()
            .any(|m| m.method == Method::Smime && m.available));

        let r = check(
            &ring,
            &[&SMIME],
            &Policy::default(),
            &["desk@example.com".into()],
            now,
        );
        let pgp = r.addresses[0]
            .methods
            .iter()
            .find(|m| m.method == Method::Pgp)
            .unwrap();
        assert!(!pgp.available && !pgp.can_sign && !pgp.can_decrypt);
        assert!(pgp.decrypt_detail.as_deref().unwrap().contains("OpenPGP"));
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

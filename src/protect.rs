//! Outgoing mail: policy → method per recipient → deliveries.
//!
//! One call handles a mix of S/MIME, OpenPGP and plain recipients (S/Notify's method
//! priority and fallback): recipients that share a method share a delivery, every Bcc
//! recipient gets a delivery of their own so no copy reveals them, and recipients without a
//! usable key are blocked, sent plain or sent a content-free problem report, as the policy says.

use serde::{Deserialize, Serialize};

use crate::capabilities::Addresses;
use crate::engine::{Engine, Unusable};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::Keyring;
use crate::policy::{Fallback, Policy};
use crate::report::Method;
use crate::time::Time;

/// Which standard to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MethodChoice {
    /// Per recipient, the first method of the policy's priority that has a usable key.
    #[default]
    Auto,
    /// S/MIME only.
    Smime,
    /// OpenPGP only.
    Pgp,
}

/// What `protect` is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectOptions {
    /// Sign with the sender's key.
    pub sign: bool,
    /// Encrypt to every recipient.
    pub encrypt: bool,
    /// Which standard.
    pub method: MethodChoice,
    /// Move Subject and the other header fields inside the protected part (default: on when
    /// encrypting).
    pub protect_headers: Option<bool>,
    /// Also encrypt to the sender, so the sent copy stays readable (default on).
    pub encrypt_to_self: bool,
    /// The admin's policy.
    pub policy: Policy,
    /// The caller's clock: key validity, signing time.
    pub now: Time,
}

impl ProtectOptions {
    /// Sign and/or encrypt at `now` with defaults for the rest.
    pub fn new(sign: bool, encrypt: bool, now: Time) -> Self {
        ProtectOptions {
            sign,
            encrypt,
            method: MethodChoice::Auto,
            protect_headers: None,
            encrypt_to_self: true,
            policy: Policy::default(),
            now,
        }
    }

    pub(crate) fn methods(&self) -> Vec<Method> {
        match self.method {
            MethodChoice::Auto => self.policy.methods(),
            MethodChoice::Smime => vec![Method::Smime],
            MethodChoice::Pgp => vec![Method::Pgp],
        }
    }
}

/// One copy of the message to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    /// The recipients of this copy (envelope recipients; Bcc copies have exactly one).
    pub to: Vec<String>,
    /// The complete RFC 5322 message, CRLF line ends.
    #[serde(with = "serde_bytes")]
    pub mime: Vec<u8>,
    /// `smime`, `pgp`, or `none` for a plain copy.
    pub method: String,
    /// Signed.
    pub signed: bool,
    /// Encrypted.
    pub encrypted: bool,
    /// A content-free notice instead of the message.
    pub problem_report: bool,
}

/// The result of `protect`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Protected {
    /// The copies to send.
    pub deliveries: Vec<Delivery>,
    /// Things the agent should know (plain copies, no sent-copy key, ...).
    pub warnings: Vec<String>,
}

/// A delivery before its message is built: who, how. [`plan`] shows it without building
/// anything (a composer can preview who gets which copy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDelivery {
    /// Envelope recipients.
    pub recipients: Vec<String>,
    /// The standard, or `None` for a plain copy.
    pub method: Option<Method>,
    /// Sign with the sender's key of `method`.
    pub sign: bool,
    /// Encrypt to `recipients` (+ the sender when `encrypt_to_self`).
    pub encrypt: bool,
    /// Also encrypt to the sender.
    pub to_self: bool,
    /// A Bcc copy: the message must not name other Bcc recipients.
    pub bcc: bool,
    /// Instead of the message, a notice saying why it could not be delivered encrypted.
    pub problem: Option<Vec<Unusable>>,
}

/// Decides who gets which copy. Errors: `sender_key_missing` when signing is asked and the
/// chosen method has no signing key for the sender; `recipient_key_missing` (naming the
/// addresses) when encryption is asked, a recipient has no usable key and the fallback is
/// `block`; `bad_input` without recipients.
pub fn plan(
    ring: &Keyring,
    engines: &[&dyn Engine],
    addresses: &Addresses,
    opts: &ProtectOptions,
) -> Result<(Vec<PlannedDelivery>, Vec<String>)> {
    let now = opts.now;
    let from = addresses.from.trim().to_ascii_lowercase();
    let open_recipients = Addresses {
        bcc: Vec::new(),
        ..addresses.clone()
    }
    .recipients();
    let bcc: Vec<String> = Addresses {
        from: String::new(),
        to: Vec::new(),
        cc: Vec::new(),
        bcc: addresses.bcc.clone(),
    }
    .recipients()
    .into_iter()
    .filter(|b| !open_recipients.contains(b))
    .collect();
    if open_recipients.is_empty() && bcc.is_empty() {
        return Err(Error::new(
            ErrorCode::BadInput,
            "There was no recipient found.",
        ));
    }
    let engines: Vec<&dyn Engine> = opts
        .methods()
        .into_iter()
        .filter_map(|m| engines.iter().copied().find(|e| e.method() == m))
        .collect();
    let mut warnings = Vec::new();

    // The methods the sender can sign with, checked once.
    let can_sign = |m: Method| -> core::result::Result<(), Unusable> {
        match engines.iter().find(|e| e.method() == m) {
            Some(e) => e.signing_key(ring, &from, now).map(|_| ()),
            None => Err(Unusable {
                address: from.clone(),
                method: m,
                problem: crate::engine::KeyProblem::NotFound,
            }),
        }
    };
    let sender_key_missing = |why: Vec<Unusable>| {
        let detail = if why.is_empty() {
            format!("There is no signing key for {from}.")
        } else {
            why.iter()
                .map(Unusable::detail)
                .collect::<Vec<_>>()
                .join(" ")
        };
        Error::new(ErrorCode::SenderKeyMissing, detail)
    };
    // The signing method for copies that are not encrypted: the first that can sign.
    let plain_signing_method = || -> Result<Method> {
        let mut why = Vec::new();
        for e in &engines {
            match can_sign(e.method()) {
                Ok(()) => return Ok(e.method()),
                Err(u) => why.push(u),
            }
        }
        Err(sender_key_missing(why))
    };

    if !opts.encrypt {
        let method = if opts.sign {
            Some(plain_signing_method()?)
        } else {
            None
        };
        let mut out = Vec::new();
        if !open_recipients.is_empty() {
            out.push(PlannedDelivery {
                recipients: open_recipients,
                method,
                sign: opts.sign,
                encrypt: false,
                to_self: false,
                bcc: false,
                problem: None,
            });
        }
        for b in bcc {
            out.push(PlannedDelivery {
                recipients: vec![b],
                method,
                sign: opts.sign,
                encrypt: false,
                to_self: false,
                bcc: true,
                problem: None,
            });
        }
        return Ok((out, warnings));
    }

    // Encrypting: each recipient's method is the first one with a usable key for them.
    let choose = |address: &str| -> core::result::Result<Method, Vec<Unusable>> {
        let mut why = Vec::new();
        for e in &engines {
            match e.encryption_key(ring, address, now) {
                Ok(_) => return Ok(e.method()),
                Err(u) => why.push(u),
            }
        }
        Err(why)
    };
    let mut groups: Vec<PlannedDelivery> = Vec::new();
    let mut without_key: Vec<(String, bool, Vec<Unusable>)> = Vec::new();
    let all = open_recipients
        .iter()
        .map(|a| (a, false))
        .chain(bcc.iter().map(|a| (a, true)));
    for (address, is_bcc) in all {
        match choose(address) {
            Ok(method) => {
                let shared = groups
                    .iter_mut()
                    .find(|g| !is_bcc && !g.bcc && g.method == Some(method));
                match shared {
                    Some(g) => g.recipients.push(address.clone()),
                    None => groups.push(PlannedDelivery {
                        recipients: vec![address.clone()],
                        method: Some(method),
                        sign: opts.sign,
                        encrypt: true,
                        to_self: false,
                        bcc: is_bcc,
                        problem: None,
                    }),
                }
            }
            Err(why) => without_key.push((address.clone(), is_bcc, why)),
        }
    }

    if !without_key.is_empty() {
        match opts.policy.fallback {
            Fallback::Block => {
                let names: Vec<&str> = without_key.iter().map(|(a, _, _)| a.as_str()).collect();
                let details: Vec<String> = without_key
                    .iter()
                    .filter_map(|(_, _, why)| why.first().map(Unusable::detail))
                    .collect();
                return Err(Error::new(
                    ErrorCode::RecipientKeyMissing,
                    format!(
                        "No usable encryption key for {}. {}",
                        names.join(", "),
                        details.join(" ")
                    ),
                ));
            }
            Fallback::SendPlain => {
                let method = if opts.sign {
                    Some(plain_signing_method()?)
                } else {
                    None
                };
                let (open, hidden): (Vec<_>, Vec<_>) =
                    without_key.into_iter().partition(|(_, b, _)| !b);
                if !open.is_empty() {
                    let names: Vec<String> = open.into_iter().map(|(a, _, _)| a).collect();
                    warnings.push(format!(
                        "Sent without encryption to {} (no usable key).",
                        names.join(", ")
                    ));
                    groups.push(PlannedDelivery {
                        recipients: names,
                        method,
                        sign: opts.sign,
                        encrypt: false,
                        to_self: false,
                        bcc: false,
                        problem: None,
                    });
                }
                for (a, _, _) in hidden {
                    warnings.push(format!(
                        "Sent without encryption to a Bcc recipient, {a} (no usable key)."
                    ));
                    groups.push(PlannedDelivery {
                        recipients: vec![a],
                        method,
                        sign: opts.sign,
                        encrypt: false,
                        to_self: false,
                        bcc: true,
                        problem: None,
                    });
                }
            }
            Fallback::ProblemReport => {
                for (a, is_bcc, why) in without_key {
                    warnings.push(format!(
                        "{a} gets a problem report instead of the message (no usable key)."
                    ));
                    groups.push(PlannedDelivery {
                        recipients: vec![a],
                        method: None,
                        sign: false,
                        encrypt: false,
                        to_self: false,
                        bcc: is_bcc,
                        problem: Some(why),
                    });
                }
            }
        }
    }

    // Signing inside an encrypted copy uses that copy's method; encrypt-to-self needs the
    // sender's own key of that method (a missing one is a warning, not a failure).
    for g in groups.iter_mut().filter(|g| g.encrypt) {
        let Some(method) = g.method else { continue };
        if g.sign {
            can_sign(method).map_err(|u| sender_key_missing(vec![u]))?;
        }
        if opts.encrypt_to_self {
            let engine = engines.iter().find(|e| e.method() == method);
            match engine.map(|e| e.encryption_key(ring, &from, now)) {
                Some(Ok(_)) => g.to_self = true,
                Some(Err(u)) => {
                    let w = format!("The sent copy cannot be read by the sender: {}", u.detail());
                    if !warnings.contains(&w) {
                        warnings.push(w);
                    }
                }
                None => {}
            }
        }
    }
    Ok((groups, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::fake::Fake;

    const SMIME: Fake = Fake {
        method: Method::Smime,
        signers: &["desk@example.com"],
        recipients: &["desk@example.com", "alice@example.com", "bob@example.com"],
    };
    const PGP: Fake = Fake {
        method: Method::Pgp,
        signers: &["desk@example.com"],
        recipients: &["alice@example.com", "carol@example.com"],
    };

    fn addresses(to: &[&str], bcc: &[&str]) -> Addresses {
        Addresses {
            from: "desk@example.com".into(),
            to: to.iter().map(|s| s.to_string()).collect(),
            cc: Vec::new(),
            bcc: bcc.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn run(
        to: &[&str],
        bcc: &[&str],
        opts: &ProtectOptions,
    ) -> Result<(Vec<PlannedDelivery>, Vec<String>)> {
        plan(&Keyring::new(), &[&SMIME, &PGP], &addresses(to, bcc), opts)
    }

    fn now() -> Time {
        Time::from_unix(0)
    }

    #[test]
    fn recipients_are_grouped_by_the_first_method_with_a_key() {
        let opts = ProtectOptions::new(true, true, now());
        let (plan, _) = run(
            &["alice@example.com", "bob@example.com", "carol@example.com"],
            &[],
            &opts,
        )
        .unwrap();
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[0].method, Some(Method::Smime));
        assert_eq!(plan[0].recipients, ["alice@example.com", "bob@example.com"]);
        assert!(plan[0].sign && plan[0].encrypt && plan[0].to_self);
        assert_eq!(plan[1].method, Some(Method::Pgp));
        assert_eq!(plan[1].recipients, ["carol@example.com"]);
        // No PGP encryption key for the desk itself: said, not fatal.
        assert!(!plan[1].to_self);
    }

    #[test]
    fn a_forced_method_and_block_names_the_missing_recipients() {
        let mut opts = ProtectOptions::new(false, true, now());
        opts.method = MethodChoice::Pgp;
        let err = run(&["alice@example.com", "bob@example.com"], &[], &opts).unwrap_err();
        assert_eq!(err.code(), ErrorCode::RecipientKeyMissing);
        assert!(
            err.message().contains("bob@example.com"),
            "{}",
            err.message()
        );
        assert!(
            !err.message().contains("alice@example.com"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn send_plain_and_problem_report_fallbacks() {
        let mut opts = ProtectOptions::new(true, true, now());
        opts.policy.fallback = Fallback::SendPlain;
        let (plan, warnings) = run(&["alice@example.com", "zed@example.com"], &[], &opts).unwrap();
        let plain = plan.iter().find(|g| !g.encrypt).unwrap();
        assert_eq!(plain.recipients, ["zed@example.com"]);
        assert!(plain.sign, "still signed as asked");
        assert!(warnings.iter().any(|w| w.contains("zed@example.com")));

        opts.policy.fallback = Fallback::ProblemReport;
        let (plan, _) = run(&["alice@example.com", "zed@example.com"], &[], &opts).unwrap();
        let report = plan.iter().find(|g| g.problem.is_some()).unwrap();
        assert_eq!(report.recipients, ["zed@example.com"]);
        assert!(!report.encrypt && !report.sign && report.method.is_none());
    }

    #[test]
    fn every_bcc_recipient_gets_a_copy_of_their_own() {
        let opts = ProtectOptions::new(false, true, now());
        let (plan, _) = run(
            &["alice@example.com"],
            &["bob@example.com", "Alice@example.com"],
            &opts,
        )
        .unwrap();
        assert_eq!(plan.len(), 2, "alice is already a visible recipient");
        assert!(plan[1].bcc);
        assert_eq!(plan[1].recipients, ["bob@example.com"]);
    }

    #[test]
    fn signing_needs_the_senders_key_of_the_method() {
        let mut opts = ProtectOptions::new(true, false, now());
        let (planned, _) = run(&["zed@example.com"], &[], &opts).unwrap();
        assert_eq!(planned[0].method, Some(Method::Smime));
        opts.policy.method_priority = vec![Method::Pgp];
        let (planned, _) = run(&["zed@example.com"], &[], &opts).unwrap();
        assert_eq!(planned[0].method, Some(Method::Pgp));

        let nobody = Fake {
            method: Method::Smime,
            signers: &[],
            recipients: &["alice@example.com"],
        };
        let opts = ProtectOptions::new(true, true, now());
        let err = plan(
            &Keyring::new(),
            &[&nobody],
            &addresses(&["alice@example.com"], &[]),
            &opts,
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::SenderKeyMissing);
        assert!(
            err.message().contains("desk@example.com"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn no_recipients_is_bad_input() {
        let opts = ProtectOptions::new(false, false, now());
        assert_eq!(
            run(&[], &[], &opts).unwrap_err().code(),
            ErrorCode::BadInput
        );
    }
}

//! What sending would do, asked before anything is built: the composer's Sign / Encrypt toggles
//! with their reasons, and the outcome under the policy (who gets which copy, what blocks the
//! message, what falls short of the group's defaults and needs the agent's confirmation).
//!
//! One call, so a composer decides nothing itself; `protect` applies the same rules
//! ([`plan`], [`below_group_defaults`]) and refuses what this reports as blocked or unconfirmed.

use serde::Serialize;

use crate::capabilities::{capabilities, Addresses, Capabilities, MethodCapabilities};
use crate::engine::Engine;
use crate::error::{Error, ErrorCode};
use crate::keys::Keyring;
use crate::policy::Fallback;
use crate::protect::{below_group_defaults, plan, Plan, PlannedDelivery, ProtectOptions};
use crate::report::Method;
use crate::standards;
use crate::warning::Warning;

/// One toggle of the composer: can it be on, and why (or why not), in sentences naming the
/// addresses.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Toggle {
    /// Turning it on can work for this sender and these recipients.
    pub possible: bool,
    /// Why, or why not.
    pub reason: String,
}

/// What pressing Send would do.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It goes out as planned (`deliveries`), at least as protected as the group's defaults.
    Ready,
    /// It would go out less protected than the group's defaults (`shortfall` says how):
    /// `protect` sends it only with `confirmDowngrade`.
    Confirm,
    /// It cannot go out as asked (`blocked` says why): `protect` would throw that error.
    Blocked,
}

/// One copy `protect` would send.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedCopy {
    /// Its envelope recipients.
    pub to: Vec<String>,
    /// `smime`, `pgp`, or `none` for a plain copy or a problem report.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Method | \"none\""))]
    #[serde(serialize_with = "crate::report::method_or_none")]
    pub method: Option<Method>,
    /// Signed.
    pub signed: bool,
    /// Encrypted.
    pub encrypted: bool,
    /// A content-free notice instead of the message (the policy's fallback).
    pub problem_report: bool,
    /// A Bcc copy of its own.
    pub bcc: bool,
}

impl From<&PlannedDelivery> for PlannedCopy {
    fn from(p: &PlannedDelivery) -> Self {
        PlannedCopy {
            to: p.recipients.clone(),
            method: p.method,
            signed: p.sign && p.method.is_some(),
            encrypted: p.encrypt && p.method.is_some(),
            problem_report: p.problem.is_some(),
            bcc: p.bcc,
        }
    }
}

/// Why a message cannot go out: the error `protect` would throw.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Blocked {
    /// The stable error code.
    pub code: ErrorCode,
    /// The sentence for the agent.
    pub detail: String,
}

impl From<Error> for Blocked {
    fn from(e: Error) -> Self {
        Blocked {
            code: e.code(),
            detail: e.message().to_string(),
        }
    }
}

/// The composer's view of a message before Send.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// Per method: can sign, can encrypt, and why not (the method switch).
    pub capabilities: Capabilities,
    /// The Sign toggle, for the chosen method (or every allowed one with `auto`).
    pub sign: Toggle,
    /// The Encrypt toggle: possible when every recipient has a key, or when some have and the
    /// policy's fallback serves the others.
    pub encrypt: Toggle,
    /// What Send would do with the options asked.
    pub outcome: Outcome,
    /// The copies it would send (empty when blocked).
    pub deliveries: Vec<PlannedCopy>,
    /// What `protect` would warn about (plain copies, problem reports, unreadable sent copy).
    pub warnings: Vec<Warning>,
    /// How it falls short of the group's defaults: the sentences the agent confirms.
    pub shortfall: Vec<String>,
    /// Why it cannot go out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Blocked>,
}

/// What `protect(ring, message, opts)` would do for a message with `addresses`, without building
/// or protecting anything (no audit event).
pub fn preview(
    ring: &Keyring,
    engines: &[&dyn Engine],
    addresses: &Addresses,
    opts: &ProtectOptions,
) -> Preview {
    let caps = capabilities(ring, engines, &opts.policy, addresses, opts.now);
    let allowed = opts.methods();
    let scope: Vec<&MethodCapabilities> = caps
        .methods
        .iter()
        .filter(|m| allowed.contains(&m.method))
        .collect();
    let sign = sign_toggle(&scope, &caps.details);
    let encrypt = encrypt_toggle(&scope, &addresses.recipients(), opts.policy.fallback);

    let planned = plan(ring, engines, addresses, opts).and_then(|plan| {
        let Plan {
            deliveries: planned,
            warnings,
        } = plan;
        let shortfall = below_group_defaults(ring, engines, addresses, opts, &planned)?;
        Ok((planned, warnings, shortfall))
    });
    let (outcome, deliveries, warnings, shortfall, blocked) = match planned {
        Ok((planned, warnings, shortfall)) => (
            if shortfall.is_empty() {
                Outcome::Ready
            } else {
                Outcome::Confirm
            },
            planned.iter().map(PlannedCopy::from).collect(),
            warnings,
            shortfall,
            None,
        ),
        Err(e) => (
            Outcome::Blocked,
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Some(e.into()),
        ),
    };
    Preview {
        capabilities: caps,
        sign,
        encrypt,
        outcome,
        deliveries,
        warnings,
        shortfall,
        blocked,
    }
}

/// "S/MIME: …" per method in scope, or the request's own details when no method is.
fn per_method(
    scope: &[&MethodCapabilities],
    details: &[String],
    why: impl Fn(&MethodCapabilities) -> String,
) -> String {
    if scope.is_empty() {
        return details.join("\n");
    }
    scope
        .iter()
        .map(|m| format!("{}: {}", standards::name(m.method), why(m)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn sign_toggle(scope: &[&MethodCapabilities], details: &[String]) -> Toggle {
    if scope.iter().any(|m| m.can_sign) {
        return Toggle {
            possible: true,
            reason: "Signing is possible.".to_string(),
        };
    }
    Toggle {
        possible: false,
        reason: per_method(scope, details, |m| {
            m.sign_detail
                .clone()
                .unwrap_or_else(|| "There is no sender address.".to_string())
        }),
    }
}

fn encrypt_toggle(
    scope: &[&MethodCapabilities],
    recipients: &[String],
    fallback: Fallback,
) -> Toggle {
    if recipients.is_empty() {
        return Toggle {
            possible: false,
            reason: "Add a recipient first.".to_string(),
        };
    }
    if scope.iter().any(|m| m.can_encrypt) {
        return Toggle {
            possible: true,
            reason: "Encryption is possible for every recipient.".to_string(),
        };
    }
    let has_key = |r: &String| scope.iter().any(|m| m.available && !m.missing.contains(r));
    let (keyed, without): (Vec<&String>, Vec<&String>) =
        recipients.iter().partition(|r| has_key(r));
    let instead = match fallback {
        Fallback::Block => None,
        Fallback::SendPlain => Some("get the message unencrypted"),
        Fallback::ProblemReport => Some("get a problem report instead"),
    };
    match instead {
        Some(instead) if !keyed.is_empty() => Toggle {
            possible: true,
            reason: format!(
                "No usable key for {}: they {instead} (policy fallback).",
                without
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        _ => Toggle {
            possible: false,
            reason: per_method(scope, &[], |m| m.encrypt_details.join(" ")),
        },
    }
}

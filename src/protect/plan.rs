//! Who gets which copy, decided before anything is built: each recipient's method (the first
//! of the policy's priority with a usable key), the policy's fallback for recipients without
//! one, the sender's signing and encrypt-to-self keys; and how that falls short of a group's
//! defaults.

use super::options::ProtectOptions;
use crate::capabilities::Addresses;
use crate::engine::{Engine, Unusable};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::Keyring;
use crate::policy::Fallback;
use crate::report::Method;
use crate::standards;
use crate::time::Time;
use crate::warning::{Warning, WarningCode};

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

impl PlannedDelivery {
    /// A copy for `recipients` by `method` (signed when `sign`): not encrypted, not a Bcc copy,
    /// not to self until [`Planner::sign_and_encrypt_to_self`] says so.
    fn new(recipients: Vec<String>, method: Option<Method>, sign: bool) -> Self {
        PlannedDelivery {
            recipients,
            method,
            sign,
            encrypt: false,
            to_self: false,
            bcc: false,
            problem: None,
        }
    }

    /// The same copy, encrypted to its recipients.
    fn encrypted(self) -> Self {
        PlannedDelivery {
            encrypt: true,
            ..self
        }
    }

    /// The same copy, a Bcc copy when `bcc`.
    fn bcc(self, bcc: bool) -> Self {
        PlannedDelivery { bcc, ..self }
    }

    /// A problem report for `recipient` instead of the message: no method, not signed.
    fn problem_report(recipient: String, bcc: bool, why: Vec<Unusable>) -> Self {
        PlannedDelivery {
            problem: Some(why),
            ..PlannedDelivery::new(vec![recipient], None, false).bcc(bcc)
        }
    }
}

/// What [`plan`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Who gets which copy.
    pub deliveries: Vec<PlannedDelivery>,
    /// Things the agent should know (plain copies, problem reports, no sent-copy key, ...).
    pub warnings: Vec<Warning>,
}

/// A recipient without a usable key: the address, whether it is a Bcc recipient, and why
/// each method's key is not usable.
type WithoutKey = (String, bool, Vec<Unusable>);

/// Decides who gets which copy. Errors: `sender_key_missing` when signing is asked and the
/// chosen method has no signing key for the sender; `recipient_key_missing` (naming the
/// addresses) when encryption is asked, a recipient has no usable key and the fallback is
/// `block`; `bad_input` without recipients.
pub fn plan(
    ring: &Keyring,
    engines: &[&dyn Engine],
    addresses: &Addresses,
    opts: &ProtectOptions,
) -> Result<Plan> {
    let from = crate::Address::key_of(&addresses.from);
    let (open_recipients, bcc) = open_and_bcc(addresses)?;
    let planner = Planner {
        ring,
        engines: chosen_engines(engines, opts)?,
        from,
        now: opts.now,
        opts,
    };
    if !opts.encrypt {
        let method = planner.plain_method()?;
        return Ok(Plan {
            deliveries: plain_copies(open_recipients, bcc, method, opts.sign),
            warnings: Vec::new(),
        });
    }
    let mut warnings = Vec::new();
    let (mut deliveries, without_key) = planner.by_method(&open_recipients, &bcc);
    planner.fall_back(without_key, &mut deliveries, &mut warnings)?;
    planner.sign_and_encrypt_to_self(&mut deliveries, &mut warnings)?;
    Ok(Plan {
        deliveries,
        warnings,
    })
}

/// The visible recipients (To, Cc) and the Bcc recipients not among them; `bad_input` when
/// there are none.
fn open_and_bcc(addresses: &Addresses) -> Result<(Vec<String>, Vec<String>)> {
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
    Ok((open_recipients, bcc))
}

/// The given engines of the methods `opts` allows, in its order of preference.
fn chosen_engines<'e>(
    engines: &[&'e dyn Engine],
    opts: &ProtectOptions,
) -> Result<Vec<&'e dyn Engine>> {
    let engines: Vec<&dyn Engine> = opts
        .methods()
        .into_iter()
        .filter_map(|m| engines.iter().copied().find(|e| e.method() == m))
        .collect();
    // Asked for a standard this build leaves out (`method: "pgp"` in `mailseal/smime`): say
    // so, instead of "no key for the sender".
    if (opts.sign || opts.encrypt) && engines.is_empty() {
        if let Some(m) = opts.methods().into_iter().find(|m| !standards::enabled(*m)) {
            let what = format!(
                "This message cannot be protected with {}.",
                standards::name(m)
            );
            return Err(standards::not_enabled_error(m, &what));
        }
    }
    Ok(engines)
}

/// Copies that are not encrypted: one for the visible recipients, one for each Bcc recipient.
fn plain_copies(
    open: Vec<String>,
    bcc: Vec<String>,
    method: Option<Method>,
    sign: bool,
) -> Vec<PlannedDelivery> {
    let mut out = Vec::new();
    if !open.is_empty() {
        out.push(PlannedDelivery::new(open, method, sign));
    }
    for b in bcc {
        out.push(PlannedDelivery::new(vec![b], method, sign).bcc(true));
    }
    out
}

/// The keys and rules one [`plan`] decides with.
struct Planner<'a> {
    ring: &'a Keyring,
    /// The engines of the methods allowed, most preferred first.
    engines: Vec<&'a dyn Engine>,
    /// The sender, lower-case.
    from: String,
    now: Time,
    opts: &'a ProtectOptions,
}

impl Planner<'_> {
    /// Whether the sender can sign with method `m`.
    fn can_sign(&self, m: Method) -> core::result::Result<(), Unusable> {
        let (ring, from, now) = (self.ring, &self.from, self.now);
        match self.engines.iter().find(|e| e.method() == m) {
            Some(e) => e.signing_key(ring, from, now).map(|_| ()),
            None => Err(Unusable {
                address: from.clone(),
                method: m,
                problem: crate::engine::KeyProblem::NotFound,
            }),
        }
    }

    /// `sender_key_missing`, with each method's reason.
    fn sender_key_missing(&self, why: Vec<Unusable>) -> Error {
        let from = &self.from;
        let detail = if why.is_empty() {
            format!("There is no signing key for {from}.")
        } else {
            why.iter()
                .map(Unusable::detail)
                .collect::<Vec<_>>()
                .join(" ")
        };
        Error::new(ErrorCode::SenderKeyMissing, detail)
    }

    /// The method for copies that are not encrypted: when signing, the first that can sign;
    /// else none.
    fn plain_method(&self) -> Result<Option<Method>> {
        if !self.opts.sign {
            return Ok(None);
        }
        let mut why = Vec::new();
        for e in &self.engines {
            match self.can_sign(e.method()) {
                Ok(()) => return Ok(Some(e.method())),
                Err(u) => why.push(u),
            }
        }
        Err(self.sender_key_missing(why))
    }

    /// A recipient's method: the first one with a usable encryption key for them.
    fn choose(&self, address: &str) -> core::result::Result<Method, Vec<Unusable>> {
        let (ring, now) = (self.ring, self.now);
        let mut why = Vec::new();
        for e in &self.engines {
            match e.encryption_key(ring, address, now) {
                Ok(_) => return Ok(e.method()),
                Err(u) => why.push(u),
            }
        }
        // The reason that says most first: "a key was found but ..." (a conflict to settle, a
        // revocation) rather than another method's "not found" (key sweep: an unresolved PGP
        // conflict read as a missing certificate).
        why.sort_by_key(|u| u.problem == crate::engine::KeyProblem::NotFound);
        Err(why)
    }

    /// Encrypted copies: visible recipients that share a method share a copy, every Bcc
    /// recipient gets one of their own. Also those without a usable key.
    fn by_method(
        &self,
        open_recipients: &[String],
        bcc: &[String],
    ) -> (Vec<PlannedDelivery>, Vec<WithoutKey>) {
        let mut groups: Vec<PlannedDelivery> = Vec::new();
        let mut without_key: Vec<WithoutKey> = Vec::new();
        let all = open_recipients
            .iter()
            .map(|a| (a, false))
            .chain(bcc.iter().map(|a| (a, true)));
        for (address, is_bcc) in all {
            match self.choose(address) {
                Ok(method) => {
                    let shared = groups
                        .iter_mut()
                        .find(|g| !is_bcc && !g.bcc && g.method == Some(method));
                    match shared {
                        Some(g) => g.recipients.push(address.clone()),
                        None => groups.push(
                            PlannedDelivery::new(
                                vec![address.clone()],
                                Some(method),
                                self.opts.sign,
                            )
                            .encrypted()
                            .bcc(is_bcc),
                        ),
                    }
                }
                Err(why) => without_key.push((address.clone(), is_bcc, why)),
            }
        }
        (groups, without_key)
    }

    /// The policy's fallback for recipients without a usable key: block, plain copies, or
    /// problem reports.
    fn fall_back(
        &self,
        without_key: Vec<WithoutKey>,
        groups: &mut Vec<PlannedDelivery>,
        warnings: &mut Vec<Warning>,
    ) -> Result<()> {
        if without_key.is_empty() {
            return Ok(());
        }
        match self.opts.policy.fallback {
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
                let method = self.plain_method()?;
                let (open, hidden): (Vec<_>, Vec<_>) =
                    without_key.into_iter().partition(|(_, b, _)| !b);
                let open: Vec<String> = open.into_iter().map(|(a, _, _)| a).collect();
                let hidden: Vec<String> = hidden.into_iter().map(|(a, _, _)| a).collect();
                if !open.is_empty() {
                    warnings.push(Warning::new(
                        WarningCode::SentUnencrypted,
                        format!(
                            "Sent without encryption to {} (no usable key).",
                            open.join(", ")
                        ),
                    ));
                }
                for a in &hidden {
                    warnings.push(Warning::new(
                        WarningCode::SentUnencryptedBcc,
                        format!("Sent without encryption to a Bcc recipient, {a} (no usable key)."),
                    ));
                }
                groups.extend(plain_copies(open, hidden, method, self.opts.sign));
            }
            Fallback::ProblemReport => {
                for (a, is_bcc, why) in without_key {
                    warnings.push(Warning::new(
                        WarningCode::ProblemReportSent,
                        format!(
                            "{a} gets a problem report instead of the message (no usable key)."
                        ),
                    ));
                    groups.push(PlannedDelivery::problem_report(a, is_bcc, why));
                }
            }
        }
        Ok(())
    }

    /// Signing inside an encrypted copy uses that copy's method; encrypt-to-self needs the
    /// sender's own key of that method (a missing one is a warning, not a failure).
    fn sign_and_encrypt_to_self(
        &self,
        groups: &mut [PlannedDelivery],
        warnings: &mut Vec<Warning>,
    ) -> Result<()> {
        let (ring, from, now) = (self.ring, &self.from, self.now);
        for g in groups.iter_mut().filter(|g| g.encrypt) {
            let Some(method) = g.method else { continue };
            if g.sign {
                self.can_sign(method)
                    .map_err(|u| self.sender_key_missing(vec![u]))?;
            }
            if self.opts.encrypt_to_self {
                let engine = self.engines.iter().find(|e| e.method() == method);
                let own = engine.map(|e| match e.encryption_key(ring, from, now) {
                    Ok(key) if ring.is_strangers_key(key.id(), now) => Err(
                        "the only key for the sender's address is not the sender's own (its \
                         private key is not here and it is not verified)"
                            .to_string(),
                    ),
                    Ok(_) => Ok(()),
                    Err(u) => Err(u.detail()),
                });
                match own {
                    Some(Ok(())) => g.to_self = true,
                    Some(Err(why)) => {
                        let w = Warning::new(
                            WarningCode::SentCopyUnreadable,
                            format!("The sent copy cannot be read by the sender: {why}"),
                        );
                        if !warnings.contains(&w) {
                            warnings.push(w);
                        }
                    }
                    None => {}
                }
            }
        }
        Ok(())
    }
}

/// How a planned message falls short of its group's defaults, the least protection the admin
/// set for the group (`opts.group`): one sentence per shortfall, for the agent to confirm;
/// empty without a group or when nothing falls short. Problem reports are not a shortfall
/// (they carry no content).
///
/// Errors: `bad_input` for a group the policy does not have; `recipient_key_missing` when the
/// group encrypts by default, the policy's fallback is `block` and a recipient has no usable
/// key: turning Encrypt off is no way around a policy that blocks what it cannot encrypt.
pub fn below_group_defaults(
    ring: &Keyring,
    engines: &[&dyn Engine],
    addresses: &Addresses,
    opts: &ProtectOptions,
    planned: &[PlannedDelivery],
) -> Result<Vec<String>> {
    let Some(name) = &opts.group else {
        return Ok(Vec::new());
    };
    let defaults = opts.policy.groups.get(name).ok_or_else(|| {
        Error::new(
            ErrorCode::BadInput,
            format!("The policy has no group \"{name}\"."),
        )
    })?;
    let mut out = Vec::new();
    if defaults.encrypt && !opts.encrypt {
        if opts.policy.fallback == Fallback::Block {
            let as_default = ProtectOptions {
                encrypt: true,
                ..opts.clone()
            };
            if let Err(e) = plan(ring, engines, addresses, &as_default) {
                if e.code() == ErrorCode::RecipientKeyMissing {
                    return Err(e);
                }
            }
        }
        out.push(format!(
            "It would not be encrypted, although group {name} encrypts by default."
        ));
    } else if defaults.encrypt {
        let plain: Vec<&str> = planned
            .iter()
            .filter(|p| !p.encrypt && p.problem.is_none())
            .flat_map(|p| p.recipients.iter().map(String::as_str))
            .collect();
        if !plain.is_empty() {
            out.push(format!(
                "{} would get it unencrypted, although group {name} encrypts by default.",
                plain.join(", ")
            ));
        }
    }
    if defaults.sign && !opts.sign {
        out.push(format!(
            "It would not be signed, although group {name} signs by default."
        ));
    }
    Ok(out)
}

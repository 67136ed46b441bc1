//! Outgoing mail: policy → method per recipient → deliveries.
//!
//! One call handles a mix of S/MIME, OpenPGP and plain recipients (S/Notify's method
//! priority and fallback): recipients that share a method share a delivery, every Bcc
//! recipient gets a delivery of their own so no copy reveals them, and recipients without a
//! usable key are blocked, sent plain or sent a content-free problem report, as the policy says.

use serde::{Deserialize, Serialize};

use crate::capabilities::Addresses;
use crate::crypto::provider::{self, now_or_never};
use crate::engine::{Engine, Unusable, WriteContext};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::AuditEvent;
use crate::keys::Keyring;
use crate::mime::{
    build_draft, parse_mailboxes, prepend, protect_headers, random_message_id, split_message,
    Draft, Entity, HeaderView, Limits, MimeTree,
};
use crate::policy::{Fallback, Policy};
use crate::report::Method;
use crate::rng::Rng;
use crate::standards;
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
    /// The help-desk group the message is sent for: its defaults in the policy
    /// ([`crate::policy::GroupDefaults`]) are the least protection it may leave with unless
    /// the agent confirms (`confirm_downgrade`).
    pub group: Option<String>,
    /// The agent agreed to send it less protected than the group's defaults.
    pub confirm_downgrade: bool,
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
            group: None,
            confirm_downgrade: false,
        }
    }

    pub(crate) fn methods(&self) -> Vec<Method> {
        match self.method {
            MethodChoice::Auto => self.policy.methods(),
            MethodChoice::Smime => vec![Method::Smime],
            MethodChoice::Pgp => vec![Method::Pgp],
        }
    }

    /// Whether the header fields go inside the protection (RFC 9788): the message's own
    /// choice, else its group's, else whenever it is encrypted.
    fn protects_headers(&self, encrypted: bool) -> bool {
        self.protect_headers
            .or_else(|| {
                let group = self.group.as_ref()?;
                self.policy.groups.get(group)?.protect_headers
            })
            .unwrap_or(encrypted)
    }
}

/// One copy of the message to send.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    /// The recipients of this copy (envelope recipients; Bcc copies have exactly one).
    pub to: Vec<String>,
    /// The complete RFC 5322 message, CRLF line ends.
    #[serde(with = "serde_bytes")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Uint8Array"))]
    pub mime: Vec<u8>,
    /// `smime`, `pgp`, or `none` for a plain copy.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Method | \"none\""))]
    pub method: String,
    /// Signed.
    pub signed: bool,
    /// Encrypted.
    pub encrypted: bool,
    /// A content-free notice instead of the message.
    pub problem_report: bool,
}

/// The result of `protect`.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Protected {
    /// The copies to send.
    pub deliveries: Vec<Delivery>,
    /// Things the agent should know (plain copies, no sent-copy key, ...).
    pub warnings: Vec<String>,
    /// The Message-ID of the message (without angle brackets), for the ticket's article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
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

/// The message to protect: a complete RFC 5322 message or a composer draft.
#[derive(Debug, Clone)]
pub enum Message<'a> {
    /// A complete message (any MIME structure, CRLF or LF line ends).
    Raw(&'a [u8]),
    /// A draft that mailseal builds into MIME.
    Draft(&'a Draft),
}

/// Signs and/or encrypts `message` for its recipients as `opts` and the policy say, and
/// records an audit event (addresses, no content) in the keyring's log.
///
/// Synchronous: for native code and wherever the crypto provider is (RustCrypto, node:crypto).
/// Where it is asynchronous (WebCrypto in a browser) this is `internal` and
/// [`protect_async`] is the way.
pub fn protect(
    ring: &mut Keyring,
    engines: &[&dyn Engine],
    message: Message<'_>,
    opts: &ProtectOptions,
    rng: &mut dyn Rng,
) -> Result<Protected> {
    let (result, event) = now_or_never(protect_async(ring, engines, message, opts, rng))
        .unwrap_or_else(|| {
            let result = Err(provider::needs_async());
            let event = protect_event(opts.now, &result);
            (result, event)
        });
    ring.record(event);
    result
}

/// [`protect`] for a runtime whose crypto is asynchronous. The keyring is only read while the
/// future runs; the audit event comes back with the result, for the caller to
/// [`Keyring::record`] (nothing is recorded before the work is done).
pub async fn protect_async(
    ring: &Keyring,
    engines: &[&dyn Engine],
    message: Message<'_>,
    opts: &ProtectOptions,
    rng: &mut dyn Rng,
) -> (Result<Protected>, AuditEvent) {
    let result = protect_message(ring, engines, message, opts, rng).await;
    let event = protect_event(opts.now, &result);
    (result, event)
}

/// The audit event of one `protect`: addresses and method, or the error code; no content.
fn protect_event(now: Time, result: &Result<Protected>) -> AuditEvent {
    let mut event = AuditEvent::key_management(now, "protect", &[]);
    match result {
        Ok(p) => {
            let methods: Vec<&str> = p
                .deliveries
                .iter()
                .map(|d| d.method.as_str())
                .filter(|m| *m != "none")
                .collect();
            event.method = methods.first().map(|m| (*m).to_string());
            event.addresses = p.deliveries.iter().flat_map(|d| d.to.clone()).collect();
            event.message_id = p.message_id.clone();
        }
        Err(e) => {
            event.outcome = "error".to_string();
            event.code = Some(e.code().as_str().to_string());
        }
    }
    event
}

async fn protect_message(
    ring: &Keyring,
    engines: &[&dyn Engine],
    message: Message<'_>,
    opts: &ProtectOptions,
    rng: &mut dyn Rng,
) -> Result<Protected> {
    let limits = Limits::default();
    let (headers, entity, addresses) = match message {
        Message::Raw(raw) => {
            let (headers, entity) = split_message(raw, &limits)?;
            let addresses = raw_addresses(raw, &limits)?;
            (headers, entity, addresses)
        }
        Message::Draft(draft) => {
            let built = build_draft(draft, opts.now, rng)?;
            let addresses = draft_addresses(draft)?;
            (built.headers, built.entity, addresses)
        }
    };
    // Bcc never travels in a copy; MIME-Version is written once below. The sender's own
    // Autocrypt header is the policy's to write.
    let mut headers: Vec<(String, String)> = headers
        .into_iter()
        .filter(|(n, _)| {
            let ours = opts.policy.autocrypt && n.eq_ignore_ascii_case("autocrypt");
            !(ours || n.eq_ignore_ascii_case("bcc") || n.eq_ignore_ascii_case("mime-version"))
        })
        .collect();
    if opts.policy.autocrypt {
        if let Some(value) = autocrypt_header(ring, engines, &addresses.from, opts.now) {
            headers.push(("Autocrypt".to_string(), value));
        }
    }
    let (planned, warnings) = plan(ring, engines, &addresses, opts)?;
    let shortfall = below_group_defaults(ring, engines, &addresses, opts, &planned)?;
    if !shortfall.is_empty() && !opts.confirm_downgrade {
        return Err(Error::new(
            ErrorCode::DowngradeNotConfirmed,
            format!(
                "{} It was not sent: the agent has to confirm this.",
                shortfall.join(" ")
            ),
        ));
    }

    let mut deliveries = Vec::with_capacity(planned.len());
    // The entity is copied for every delivery but the last, which takes it: a large message is
    // held once less (peak memory, benches/RESULTS.md).
    let last = planned.iter().rposition(|p| p.problem.is_none());
    let mut entity = Some(entity);
    for (i, p) in planned.into_iter().enumerate() {
        if let Some(why) = &p.problem {
            deliveries.push(Delivery {
                to: p.recipients.clone(),
                mime: problem_report(&headers, &addresses.from, &p.recipients, why, &mut *rng),
                method: "none".to_string(),
                signed: false,
                encrypted: false,
                problem_report: true,
            });
            continue;
        }
        let mine = if Some(i) == last {
            entity.take()
        } else {
            entity.clone()
        };
        let delivery = protected_copy(
            ring,
            engines,
            &p,
            mine.unwrap_or_default(),
            &headers,
            &addresses.from,
            opts,
            rng,
        );
        deliveries.push(delivery.await?);
    }
    let message_id = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("message-id"))
        .map(|(_, v)| {
            v.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        });
    Ok(Protected {
        deliveries,
        warnings,
        message_id,
    })
}

/// One planned delivery of `entity`: protected as planned (header protection, signing,
/// encryption) and put under the message's header fields.
#[allow(clippy::too_many_arguments)]
async fn protected_copy(
    ring: &Keyring,
    engines: &[&dyn Engine],
    p: &PlannedDelivery,
    entity: Vec<u8>,
    headers: &[(String, String)],
    from: &str,
    opts: &ProtectOptions,
    rng: &mut dyn Rng,
) -> Result<Delivery> {
    let engine = p
        .method
        .and_then(|m| engines.iter().copied().find(|e| e.method() == m));
    let hp = (p.sign || p.encrypt) && opts.protects_headers(p.encrypt);
    let (inner, outer) = if hp {
        let prot = protect_headers(entity, headers, p.encrypt, false)?;
        (prot.entity, prot.outer)
    } else {
        (entity, headers.to_vec())
    };
    let mut ctx = WriteContext {
        now: opts.now,
        rng,
        algorithms: &opts.policy.algorithms,
    };
    let body = match engine {
        Some(engine) if p.encrypt => {
            let mut to = p.recipients.clone();
            if p.to_self && !to.iter().any(|r| r == from) {
                to.push(from.to_string());
            }
            let signer = p.sign.then_some(from);
            engine.encrypt(ring, &to, signer, inner, &mut ctx).await?
        }
        Some(engine) if p.sign => engine.sign(ring, from, inner, &mut ctx).await?,
        _ => inner,
    };
    Ok(Delivery {
        to: p.recipients.clone(),
        mime: assemble(&outer, body),
        method: p.method.map_or("none", Method::as_str).to_string(),
        signed: p.sign && engine.is_some(),
        encrypted: p.encrypt && engine.is_some(),
        problem_report: false,
    })
}

/// The addr-specs of a draft, lower-case.
fn draft_addresses(draft: &Draft) -> Result<Addresses> {
    let list = |items: &[String], field: &str| -> Result<Vec<String>> {
        let mut out = Vec::new();
        for item in items {
            for (_, address) in parse_mailboxes(item, field)? {
                out.push(address.to_ascii_lowercase());
            }
        }
        Ok(out)
    };
    let from = list(std::slice::from_ref(&draft.from), "From")?;
    let [from] = from.as_slice() else {
        return Err(Error::bad_input(
            "The draft needs exactly one From address.",
        ));
    };
    Ok(Addresses {
        from: from.clone(),
        to: list(&draft.to, "To")?,
        cc: list(&draft.cc, "Cc")?,
        bcc: list(&draft.bcc, "Bcc")?,
    })
}

/// The addr-specs of a raw message's From / To / Cc / Bcc fields, lower-case.
/// The recipients (To, Cc, Bcc) of the outgoing message `raw` for whom no method the policy
/// allows has a usable encryption key: whom a host would look a key up for before `protect`.
/// Read from the header section alone.
pub fn recipients_without_key(
    ring: &Keyring,
    engines: &[&dyn Engine],
    raw: &[u8],
    policy: &Policy,
    now: Time,
) -> Result<Vec<String>> {
    let addresses = raw_addresses(raw, &Limits::default())?;
    let methods = policy.methods();
    let usable: Vec<&&dyn Engine> = engines
        .iter()
        .filter(|e| methods.contains(&e.method()))
        .collect();
    Ok(addresses
        .recipients()
        .into_iter()
        .filter(|r| {
            !usable
                .iter()
                .any(|e| e.encryption_key(ring, r, now).is_ok())
        })
        .collect())
}

/// The `Autocrypt` header value for mail from `from`: its OpenPGP signing key (the key its
/// recipients should encrypt to), folded; `None` when it has none.
fn autocrypt_header(
    ring: &Keyring,
    engines: &[&dyn Engine],
    from: &str,
    now: Time,
) -> Option<String> {
    use base64::Engine as _;
    let pgp = engines.iter().find(|e| e.method() == Method::Pgp)?;
    let signer = pgp.signing_key(ring, from, now).ok()?;
    let key = ring.pgp_public_bytes(signer.id())?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(key);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(76)
        .filter_map(|c| core::str::from_utf8(c).ok())
        .collect();
    Some(format!(
        "addr={from}; prefer-encrypt=mutual; keydata=\r\n {}",
        lines.join("\r\n ")
    ))
}

fn raw_addresses(raw: &[u8], limits: &Limits) -> Result<Addresses> {
    let (tree, _) = MimeTree::parse_head(raw, limits)?;
    let view = HeaderView::of(&tree);
    let lower = |v: &[crate::mime::Mailbox]| -> Vec<String> {
        v.iter().map(|m| m.address.to_ascii_lowercase()).collect()
    };
    let [from] = view.from.as_slice() else {
        return Err(Error::bad_input(
            "The message needs exactly one From address.",
        ));
    };
    let mut bcc = Vec::new();
    for value in tree.header_values(0, "bcc") {
        if value.trim().is_empty() {
            continue;
        }
        for (_, address) in parse_mailboxes(value.trim(), "Bcc")? {
            bcc.push(address.to_ascii_lowercase());
        }
    }
    Ok(Addresses {
        from: from.address.to_ascii_lowercase(),
        to: lower(&view.to),
        cc: lower(&view.cc),
        bcc,
    })
}

/// Message header fields, `MIME-Version`, then the entity (which starts with its own
/// Content-* fields).
fn assemble(headers: &[(String, String)], entity: Vec<u8>) -> Vec<u8> {
    let mut head = Vec::with_capacity(1024);
    for (name, value) in headers {
        head.extend_from_slice(name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"MIME-Version: 1.0\r\n");
    prepend(&head, entity)
}

/// The content-free notice a recipient without a usable key gets instead of the message
/// (S/Notify's "problem report"): who tried to write, why it could not be delivered, what to
/// do. No subject, no body, no attachment names of the original.
fn problem_report(
    headers: &[(String, String)],
    from: &str,
    to: &[String],
    why: &[Unusable],
    rng: &mut dyn Rng,
) -> Vec<u8> {
    let keep = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(n, v)| (n.clone(), v.clone()))
    };
    let mut out: Vec<(String, String)> = Vec::new();
    out.extend(keep("From"));
    out.push(("To".to_string(), to.join(", ")));
    out.push((
        "Subject".to_string(),
        "An encrypted message could not be delivered to you".to_string(),
    ));
    out.extend(keep("Date"));
    // A notice of its own, so a Message-ID of its own (relays refuse mail without one).
    out.push((
        "Message-ID".to_string(),
        format!("<{}>", random_message_id(from, rng)),
    ));
    let reasons: Vec<String> = why.iter().map(Unusable::detail).collect();
    let text = format!(
        "{from} tried to send you a message that must be encrypted, but it could not be\r\n\
         encrypted for you:\r\n\r\n{}\r\n\r\nPlease send your S/MIME certificate or OpenPGP public key to\r\n\
         {from} and ask for the message again.\r\n",
        reasons.join("\r\n")
    );
    let entity = Entity::new("text/plain; charset=\"us-ascii\"")
        .header("Content-Transfer-Encoding", "7bit")
        .text_7bit(text.as_bytes())
        .into_bytes();
    assemble(&out, entity)
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

    fn draft(to: &[&str]) -> Draft {
        Draft {
            from: "Help Desk <desk@example.com>".into(),
            to: to.iter().map(|s| s.to_string()).collect(),
            subject: "Secret plans".into(),
            text: Some("The body".into()),
            message_id: Some("m1@example.com".into()),
            ..Draft::default()
        }
    }

    fn protect_draft(d: &Draft, opts: &ProtectOptions) -> (Result<Protected>, Keyring) {
        use rand::SeedableRng;
        let mut ring = Keyring::new();
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let r = protect(
            &mut ring,
            &[&SMIME, &PGP],
            Message::Draft(d),
            opts,
            &mut rng,
        );
        (r, ring)
    }

    #[test]
    fn a_plain_draft_becomes_one_plain_delivery() {
        let opts = ProtectOptions::new(false, false, now());
        let (p, ring) = protect_draft(&draft(&["Zed <zed@example.com>"]), &opts);
        let p = p.unwrap();
        assert_eq!(p.deliveries.len(), 1);
        let d = &p.deliveries[0];
        assert_eq!(
            (d.method.as_str(), d.signed, d.encrypted),
            ("none", false, false)
        );
        let text = String::from_utf8(d.mime.clone()).unwrap();
        assert!(text.contains("Subject: Secret plans\r\n"), "{text}");
        assert!(text.contains("MIME-Version: 1.0\r\n"));
        assert_eq!(text.matches("MIME-Version").count(), 1);
        assert!(text.contains("The body"));
        assert_eq!(
            ring.recent_log().last().unwrap().addresses,
            ["zed@example.com"]
        );
    }

    #[test]
    fn a_problem_report_carries_no_content() {
        let mut opts = ProtectOptions::new(false, true, now());
        opts.policy.fallback = Fallback::ProblemReport;
        let (p, _) = protect_draft(&draft(&["zed@example.com"]), &opts);
        let p = p.unwrap();
        assert_eq!(p.deliveries.len(), 1);
        let d = &p.deliveries[0];
        assert!(d.problem_report && !d.encrypted);
        let text = String::from_utf8(d.mime.clone()).unwrap();
        assert!(
            !text.contains("Secret plans") && !text.contains("The body"),
            "{text}"
        );
        assert!(text.contains("zed@example.com was not found"), "{text}");
        assert!(text.contains("\r\nMessage-ID: <"), "{text}");
        assert!(
            !text.contains("m1@example.com"),
            "not the original's Message-ID: {text}"
        );
    }

    #[test]
    fn bcc_never_appears_in_any_copy() {
        let mut d = draft(&["zed@example.com"]);
        d.bcc = vec!["hidden@example.com".into()];
        let opts = ProtectOptions::new(false, false, now());
        let (p, _) = protect_draft(&d, &opts);
        let p = p.unwrap();
        assert_eq!(p.deliveries.len(), 2);
        for d in &p.deliveries {
            let text = String::from_utf8_lossy(&d.mime).to_ascii_lowercase();
            assert!(
                !text.contains("hidden@example.com") && !text.contains("bcc:"),
                "{text}"
            );
        }
        assert_eq!(p.deliveries[1].to, ["hidden@example.com"]);
    }

    #[test]
    fn a_raw_message_keeps_its_headers_and_loses_bcc() {
        use rand::SeedableRng;
        let raw = b"From: desk@example.com\nTo: zed@example.com\nBcc: hidden@example.com\n\
                    Subject: Raw\nContent-Type: text/plain; charset=utf-8\n\
                    Content-Transfer-Encoding: 8bit\n\nGr\xc3\xbc\xc3\x9fe\n";
        let mut ring = Keyring::new();
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let opts = ProtectOptions::new(false, false, now());
        let p = protect(&mut ring, &[&SMIME], Message::Raw(raw), &opts, &mut rng).unwrap();
        assert_eq!(p.deliveries.len(), 2);
        let text = String::from_utf8(p.deliveries[0].mime.clone()).unwrap();
        assert!(
            text.contains("Subject: Raw\r\n") && !text.contains("hidden"),
            "{text}"
        );
        assert!(text.is_ascii(), "canonical 7-bit form: {text}");
    }
}

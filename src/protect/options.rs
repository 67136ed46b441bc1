//! What `protect` is asked to do: the message, the standard, sign / encrypt, the policy.

use serde::Deserialize;

use crate::mime::Draft;
use crate::policy::Policy;
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
    pub(super) fn protects_headers(&self, encrypted: bool) -> bool {
        self.protect_headers
            .or_else(|| {
                let group = self.group.as_ref()?;
                self.policy.groups.get(group)?.protect_headers
            })
            .unwrap_or(encrypted)
    }
}

/// The message to protect: a complete RFC 5322 message or a composer draft.
#[derive(Debug, Clone)]
pub enum Message<'a> {
    /// A complete message (any MIME structure, CRLF or LF line ends).
    Raw(&'a [u8]),
    /// A draft that mailseal builds into MIME.
    Draft(&'a Draft),
}

//! One error type for the whole crate, with stable codes shared by both standards.
//!
//! JavaScript sees [`ErrorCode::as_str`] as `error.code`. Messages are written for a help-desk
//! admin and never contain plaintext, key material or passphrases.

use core::fmt;

use serde::Serialize;

/// The TypeScript type of what mailseal throws (emitted into the package's .d.ts by
/// src/wasm/error.rs). The `ErrorCode` union itself is derived from [`ErrorCode`].
pub const TS_ERROR_TYPES: &str = r#"
/** What every mailseal function throws: a help-desk sentence and a stable code. */
export interface MailsealError extends Error { name: "MailsealError"; code: ErrorCode; }
"#;

/// Stable error codes. New codes may be added; existing ones never change meaning.
///
/// Serialized (and typed for TypeScript) as the `error.code` strings of [`ErrorCode::as_str`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// An argument was of the wrong type or shape (JS boundary, empty input, ...).
    BadInput,
    /// The data is not a key, certificate or keyring format mailseal understands.
    UnsupportedFormat,
    /// The passphrase protecting an imported or exported key is wrong or missing.
    BadPassphrase,
    /// The password of a sealed keyring is wrong.
    BadPassword,
    /// A sealed keyring is truncated, altered or of an unknown version.
    CorruptVault,
    /// No key with the given id exists in the keyring.
    KeyNotFound,
    /// A private key was imported without its certificate.
    CertificateMissing,
    /// The operation needs a private key that the keyring does not hold.
    NoPrivateKey,
    /// A recipient has no usable encryption key.
    RecipientKeyMissing,
    /// The sender has no usable signing key.
    SenderKeyMissing,
    /// A message could not be parsed.
    MalformedMessage,
    /// Decryption failed. Deliberately opaque: no padding or key oracle.
    DecryptionFailed,
    /// The key or message uses an algorithm mailseal refuses or does not implement.
    UnsupportedAlgorithm,
    /// Input exceeds a safety limit (size, nesting, decompression).
    TooLarge,
    /// An internal invariant failed; a bug, reported instead of panicking.
    Internal,
    /// The key or request belongs to a standard this build leaves out (`mailseal/smime` reads
    /// no OpenPGP, `mailseal/openpgp` no S/MIME); the full package `mailseal` has both.
    StandardNotEnabled,
    /// The message would go out less protected than its group's defaults (unencrypted or
    /// unsigned), and the agent has not confirmed that (`confirmDowngrade`).
    DowngradeNotConfirmed,
    /// The operation is for the admin (export of private keys, removal, trust) and the admin
    /// role is not unlocked in this session.
    AdminRequired,
    /// A team bundle failed its checks: changed bytes, a change missing from its chain, or a
    /// change signed by someone who was not a member. Nothing of it was used.
    TeamRefused,
    /// A team bundle older than the last one this member opened (a rollback): refused, the
    /// newer one stays the member's.
    TeamRolledBack,
    /// The member's key does not open this team bundle (not a member, or removed).
    NotAMember,
    /// The platform gave no random numbers (Cloudflare Workers refuse them at a module's top
    /// level): nothing that needs them (signing, encrypting, sealing, key generation) ran.
    RandomUnavailable,
}

impl ErrorCode {
    /// The stable string JavaScript sees as `error.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadInput => "bad_input",
            ErrorCode::UnsupportedFormat => "unsupported_format",
            ErrorCode::BadPassphrase => "bad_passphrase",
            ErrorCode::BadPassword => "bad_password",
            ErrorCode::CorruptVault => "corrupt_vault",
            ErrorCode::KeyNotFound => "key_not_found",
            ErrorCode::CertificateMissing => "certificate_missing",
            ErrorCode::NoPrivateKey => "no_private_key",
            ErrorCode::RecipientKeyMissing => "recipient_key_missing",
            ErrorCode::SenderKeyMissing => "sender_key_missing",
            ErrorCode::MalformedMessage => "malformed_message",
            ErrorCode::DecryptionFailed => "decryption_failed",
            ErrorCode::UnsupportedAlgorithm => "unsupported_algorithm",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::Internal => "internal",
            ErrorCode::StandardNotEnabled => "standard_not_enabled",
            ErrorCode::DowngradeNotConfirmed => "downgrade_not_confirmed",
            ErrorCode::AdminRequired => "admin_required",
            ErrorCode::TeamRefused => "team_refused",
            ErrorCode::TeamRolledBack => "team_rolled_back",
            ErrorCode::NotAMember => "not_a_member",
            ErrorCode::RandomUnavailable => "random_unavailable",
        }
    }

    /// Every code, for documentation and the TypeScript union.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::BadInput,
        ErrorCode::UnsupportedFormat,
        ErrorCode::BadPassphrase,
        ErrorCode::BadPassword,
        ErrorCode::CorruptVault,
        ErrorCode::KeyNotFound,
        ErrorCode::CertificateMissing,
        ErrorCode::NoPrivateKey,
        ErrorCode::RecipientKeyMissing,
        ErrorCode::SenderKeyMissing,
        ErrorCode::MalformedMessage,
        ErrorCode::DecryptionFailed,
        ErrorCode::UnsupportedAlgorithm,
        ErrorCode::TooLarge,
        ErrorCode::Internal,
        ErrorCode::StandardNotEnabled,
        ErrorCode::DowngradeNotConfirmed,
        ErrorCode::AdminRequired,
        ErrorCode::TeamRefused,
        ErrorCode::TeamRolledBack,
        ErrorCode::NotAMember,
        ErrorCode::RandomUnavailable,
    ];
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A mailseal error: a stable [`ErrorCode`] and a human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    /// Builds an error. `message` must not contain secrets or content.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human message.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn bad_input(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::BadInput, message)
    }

    pub(crate) fn unsupported_format(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::UnsupportedFormat, message)
    }

    pub(crate) fn bad_passphrase() -> Self {
        Error::new(
            ErrorCode::BadPassphrase,
            "The passphrase is wrong or missing for this protected key.",
        )
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::Internal, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// Result alias used throughout mailseal.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialized_codes_are_the_stable_strings() {
        // The TypeScript `ErrorCode` union is derived from the serde names: they must be the
        // strings JavaScript sees as `error.code`.
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json.as_str(), Some(code.as_str()));
        }
    }
}

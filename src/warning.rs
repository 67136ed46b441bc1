//! Remarks for the agent that do not change a verdict, each with a stable code.
//!
//! `open` and `protect` (and `preview`) return them beside their results: a composer or an
//! inbox shows the `message`; code that acts on them matches the `code`, which stays the same
//! when a sentence is reworded. Like error messages, they name addresses, file names and
//! algorithms, never content.

use serde::Serialize;

/// What a [`Warning`] is about. JavaScript sees the snake_case name.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    // ---- open ----
    /// An encrypted part inside an unencrypted message: not decrypted, listed as an
    /// attachment (EFAIL's wrapped ciphertext is the reason it is never opened in place).
    NestedEncryptedPart,
    /// More protected layers than are opened (nesting limit, or a layer after a signature
    /// inside a signature).
    LayersNotOpened,
    /// S/MIME data of a kind mailseal does not read (compressed, authenticated, ...).
    UnsupportedSmimeData,
    /// A SignedData without signers: a certificate bundle, not a signed message.
    CertificatesOnly,
    /// Text outside an inline encrypted block: not encrypted, not shown.
    UnencryptedTextHidden,
    /// Text outside an inline signed block: not signed, not shown.
    UnsignedTextHidden,
    /// A file beside an inline-encrypted text that is not encrypted itself.
    UnencryptedAttachment,
    /// A file beside an inline-encrypted text that could not be decrypted.
    AttachmentNotDecrypted,
    /// A file beside an inline text whose own detached signature file (`name.sig`,
    /// `name.asc`) does not match its bytes: listed as received, not signed.
    AttachmentSignatureInvalid,
    /// An inline armored block that could not be read; its text is shown as received.
    UnreadableBlock,
    /// A mailbox that misleads the eye (mixed alphabets, a display name holding an address).
    MisleadingAddress,
    /// A valid signature whose certificate's revocation could not be checked (policy `warn`).
    RevocationUnchecked,
    /// The signature says it was made more than a day after the time the message is judged
    /// at: a wrong clock at the sender, or a date set on purpose.
    SignedInTheFuture,
    // ---- protect / preview ----
    /// Recipients without a usable key get the message unencrypted (fallback `send_plain`).
    SentUnencrypted,
    /// A Bcc recipient without a usable key gets the message unencrypted.
    SentUnencryptedBcc,
    /// A recipient without a usable key gets a problem report instead of the message.
    ProblemReportSent,
    /// The sender has no key of the copy's method: the sent copy is not readable by them.
    SentCopyUnreadable,
}

/// A remark with its code (see the module).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What it is about, for code.
    pub code: WarningCode,
    /// The sentence for the agent.
    pub message: String,
}

impl Warning {
    /// A warning with its sentence.
    pub fn new(code: WarningCode, message: impl Into<String>) -> Self {
        Warning {
            code,
            message: message.into(),
        }
    }
}

impl core::fmt::Display for Warning {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message)
    }
}

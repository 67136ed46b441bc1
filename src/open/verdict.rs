//! Verdicts that never show claimed protection as more than it is: a layer no engine reads,
//! signed or encrypted parts nested in an unprotected message, an armored block that cannot
//! be read, the policy for unchecked revocation, and the signature's final scope and binding.

use crate::mime::{self, Layer, NestedKind};
use crate::policy::UncheckedRevocation;
use crate::report::{
    EncryptionReport, EncryptionState, Method, RevocationCheck, Scope, SignatureReport,
    SignatureState,
};
use crate::standards;
use crate::time::Time;
use crate::warning::{Warning, WarningCode};

/// The verdict on a layer no given engine reads: the standard is left out of this build
/// (`mailseal/smime`, `mailseal/openpgp`) or not passed to `open`. An envelope is `failed`
/// (encrypted, not opened), a signature `invalid`: never shown as protected, never as valid.
pub(super) fn not_enabled(
    layer: &Layer<'_>,
    encryption: &mut EncryptionReport,
    signature: &mut SignatureReport,
) {
    let Some(method) = layer.method() else {
        *signature = SignatureReport {
            state: SignatureState::Invalid,
            detail: Some("This message could not be read.".to_string()),
            ..SignatureReport::none()
        };
        return;
    };
    let mut detail = format!(
        "This message uses {}, which is not enabled.",
        standards::name(method)
    );
    if !standards::enabled(method) {
        detail = format!("{detail} {}", standards::not_enabled(method));
    }
    if layer.is_encryption() {
        *encryption = EncryptionReport::new(method, EncryptionState::Failed, detail);
    } else {
        *signature = SignatureReport {
            state: SignatureState::Invalid,
            method: Some(method),
            detail: Some(detail),
            ..SignatureReport::none()
        };
    }
}

pub(super) fn has_nested_signature(nested: &[mime::Nested]) -> bool {
    nested.iter().any(|n| {
        matches!(
            n.kind,
            NestedKind::SmimeSigned | NestedKind::PgpSigned | NestedKind::PgpCleartext
        )
    })
}

pub(super) fn note_nested(nested: &[mime::Nested], warnings: &mut Vec<Warning>) {
    let encrypted = nested.iter().any(|n| {
        matches!(
            n.kind,
            NestedKind::PgpEncrypted | NestedKind::PgpInline | NestedKind::SmimeMime
        )
    });
    if encrypted {
        warnings.push(Warning::new(
            WarningCode::NestedEncryptedPart,
            "This message contains an encrypted part inside an unencrypted message; it was not \
             decrypted and is listed as an attachment.",
        ));
    }
}

/// The policy for a valid S/MIME signature whose certificate's revocation could not be
/// checked (soft-fail by default, like the browsers).
pub(super) fn unchecked_revocation(
    signature: &mut SignatureReport,
    warnings: &mut Vec<Warning>,
    policy: UncheckedRevocation,
) {
    if signature.revocation != Some(RevocationCheck::Unchecked)
        || signature.state != SignatureState::Valid
    {
        return;
    }
    let why = if signature.revocation_requests.is_empty() {
        "the OCSP responder does not know the signer's certificate"
    } else {
        "nothing current from its CA's CRL or OCSP responder is held"
    };
    match policy {
        UncheckedRevocation::Pass => {}
        UncheckedRevocation::Warn => {
            let sentence =
                format!("The revocation of the signer's certificate could not be checked: {why}.");
            signature.detail = Some(format!(
                "{} {sentence}",
                signature
                    .detail
                    .as_deref()
                    .unwrap_or("The signature is valid.")
            ));
            warnings.push(Warning::new(WarningCode::RevocationUnchecked, sentence));
        }
        UncheckedRevocation::Block => {
            signature.state = SignatureState::Untrusted;
            signature.detail = Some(format!(
                "The signature is not trusted: the revocation of the signer's certificate could \
                 not be checked ({why}), and the policy requires it."
            ));
        }
    }
}

/// How far a signature's own time may run ahead of the clock it is judged at before it is
/// remarked on: clocks and time zones set wrong by hours are common, more than a day is not.
const FUTURE_TOLERANCE_SECS: i64 = 24 * 3600;

/// A signature (of any verdict) made, by its own account, more than a day after `now`: the
/// verdict stands (gpg and openssl accept it too), the agent is told.
pub(super) fn signed_in_the_future(
    signature: &SignatureReport,
    now: Time,
    warnings: &mut Vec<Warning>,
) {
    let Some(at) = signature.signed_at.as_deref().and_then(Time::from_rfc3339) else {
        return;
    };
    if at > now.plus_secs(FUTURE_TOLERANCE_SECS) {
        warnings.push(Warning::new(
            WarningCode::SignedInTheFuture,
            format!(
                "The signature says it was made on {}, later than now: the sender's clock may \
                 be wrong, or the date was set on purpose.",
                at.to_rfc3339()
            ),
        ));
    }
}

/// An inline armored block that cannot be read: the text it sits in is shown as received, and
/// never as signed (RFC 9580 §7: a cleartext signature that cannot be checked is no signature).
pub(super) fn unreadable_block(
    signature: &mut SignatureReport,
    warnings: &mut Vec<Warning>,
    what: &str,
) {
    *signature = SignatureReport {
        state: SignatureState::Invalid,
        method: Some(Method::Pgp),
        detail: Some(format!(
            "The {what} in this message could not be read; the text is shown as received, \
             unprotected."
        )),
        ..SignatureReport::none()
    };
    warnings.push(Warning::new(
        WarningCode::UnreadableBlock,
        format!("The {what} in this message could not be read."),
    ));
}

/// The signature's final verdict on scope and sender: partial when files beside an inline text
/// are not covered, bound to the single From address (`sender`), and never `valid` when only a
/// part of the message is signed.
pub(super) fn scoped_and_bound(
    signature: SignatureReport,
    mut scope: Scope,
    uncovered_files: bool,
    sender: Option<&str>,
) -> SignatureReport {
    if uncovered_files && signature.state != SignatureState::None {
        scope = Scope::Partial;
    }
    // Sender binding: the single From address must be the signer's.
    let mut signature = signature.bind_sender(sender);
    // An unsigned message with a signed part inside is reported as partially signed too, so
    // the page can say why it is shown as unsigned ("Johnny, you are fired", MIME wrapping).
    if signature.state != SignatureState::None || scope == Scope::Partial {
        signature.scope = Some(scope);
    }
    if scope == Scope::Partial && signature.state == SignatureState::Valid {
        signature.state = SignatureState::Invalid;
        signature.detail = Some("Only a part of this message is signed by its sender.".to_string());
    }
    signature
}

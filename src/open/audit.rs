//! The audit event of one `open`.

use super::opened::Opened;
use crate::error::Result;
use crate::keys::AuditEvent;
use crate::mime::{HeaderView, Limits, MimeTree};
use crate::report::{EncryptionState, SignatureState};
use crate::time::Time;

/// The audit event of one `open`: who and which keys, never content or subject.
pub(super) fn audit(now: Time, raw: &[u8], result: &Result<Opened>) -> AuditEvent {
    let mut event = AuditEvent::key_management(now, "open", &[]);
    match result {
        Ok(o) => {
            event.method = o
                .encryption
                .method
                .or(o.signature.method)
                .map(|m| m.as_str().to_string());
            event.outcome = match (o.encryption.state, o.signature.state) {
                (EncryptionState::Failed | EncryptionState::NoKey, _) => "error",
                (_, SignatureState::None | SignatureState::Valid) => "ok",
                _ => "warning",
            }
            .to_string();
            event.code = match o.encryption.state {
                EncryptionState::Failed => Some("decryption_failed".to_string()),
                EncryptionState::NoKey => Some("no_private_key".to_string()),
                _ if !matches!(
                    o.signature.state,
                    SignatureState::None | SignatureState::Valid
                ) =>
                {
                    serde_json::to_value(o.signature.state)
                        .ok()
                        .and_then(|v| v.as_str().map(|s| format!("signature_{s}")))
                }
                _ => None,
            };
            event.message_id = o.headers.message_id.clone();
            event.addresses = o
                .signature
                .signer
                .as_ref()
                .map(|s| s.emails.clone())
                .unwrap_or_default();
            event.key_ids = [
                o.encryption.key_id.clone(),
                o.signature.signer.as_ref().map(|s| s.key_id.clone()),
            ]
            .into_iter()
            .flatten()
            .collect();
        }
        Err(e) => {
            event.outcome = "error".to_string();
            event.code = Some(e.code().as_str().to_string());
            // The Message-ID is not content; take it when the header still parses.
            event.message_id = MimeTree::parse_head(raw, &Limits::default())
                .ok()
                .and_then(|(t, _)| HeaderView::of(&t).message_id);
        }
    }
    event
}

//! Audit events: what happened, to which keys and addresses, never content.
//!
//! The keyring keeps the most recent ones ("Recent Logs" in a help desk) and they survive
//! seal/unseal. An event holds no subject, body, passphrase or key material.

use serde::{Deserialize, Serialize};

use crate::time::Time;

/// One audit event. Every field without `skip_serializing_if` is always written (the sealed
/// vault has always stored them), so none takes a serde `default`: the generated TypeScript
/// declares them present.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    /// When, RFC 3339.
    pub time: String,
    /// What: `import`, `import_skipped` (a key of an imported file left out: `code` says why),
    /// `remove`, `export_secret`, `protect`, `open`, ...
    pub action: String,
    /// `smime`, `pgp`, or absent for key management.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub method: Option<String>,
    /// `ok` or `error`.
    pub outcome: String,
    /// The error code when `outcome` is `error`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub code: Option<String>,
    /// Message-ID of the message concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message_id: Option<String>,
    /// E-mail addresses concerned.
    pub addresses: Vec<String>,
    /// Key ids (fingerprints) concerned.
    pub key_ids: Vec<String>,
    /// `admin` or `agent`: who acted, once an admin passphrase is set ([`super::Role`]).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub role: Option<String>,
}

impl AuditEvent {
    /// A successful key-management event.
    pub(crate) fn key_management(now: Time, action: &str, key_ids: &[String]) -> Self {
        AuditEvent {
            time: now.to_rfc3339(),
            action: action.to_string(),
            method: None,
            outcome: "ok".to_string(),
            code: None,
            message_id: None,
            addresses: Vec::new(),
            key_ids: key_ids.to_vec(),
            role: None,
        }
    }
}

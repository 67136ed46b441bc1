//! Two different OpenPGP keys that claim one address: a conflict the admin must see.
//!
//! Anyone can make an OpenPGP key whose user id names any address, and its creation time is
//! whatever the key says. So when several usable keys claim an address, the keyring never
//! lets one of them silently win on its own say-so: key choice prefers the keys the admin
//! verified (`openpgp::keys::choose`), and the conflict is listed here for `KeyInfo`,
//! `capabilities` and `check`. S/MIME certificates are not listed: several certificates for
//! one address are normal there (renewal, separate signing and encryption certificates), and
//! trust comes from the chain, not from the certificate (`smime::select` prefers certificates a
//! trust anchor vouches for; `capabilities` notes the ones it passed over).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{KeyInfo, KeyKind, KeyStatus};

/// Several different usable keys of one standard for one address.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyConflict {
    /// The address, lower-case.
    pub address: String,
    /// The standard (always `pgp` for now).
    pub kind: KeyKind,
    /// The ids of every key that claims the address, verified ones first.
    pub keys: Vec<String>,
    /// The ids among them that the admin verified (`trusted`). Mail to the address is
    /// encrypted to one of these; with none, it is not encrypted until the admin decides.
    pub verified: Vec<String>,
}

impl KeyConflict {
    /// The sentence for the admin.
    pub fn detail(&self) -> String {
        let verified = match self.verified.as_slice() {
            [] => "none of them is verified, so mail to it is not encrypted until one is marked \
                   as trusted"
                .to_string(),
            [one] => format!("only {one} is verified and is used"),
            _ => "several of them are verified".to_string(),
        };
        format!(
            "{} different PGP keys claim {} ({}); {verified}. Remove the keys that are not \
             theirs.",
            self.keys.len(),
            self.address,
            self.keys.join(", ")
        )
    }
}

/// The conflicts among `keys` (as listed at one time): every address claimed by two or more
/// valid OpenPGP keys.
pub(crate) fn find(keys: &[KeyInfo]) -> Vec<KeyConflict> {
    let mut claims: BTreeMap<&str, Vec<&KeyInfo>> = BTreeMap::new();
    for key in keys
        .iter()
        .filter(|k| k.kind == KeyKind::Pgp && k.status == KeyStatus::Valid)
    {
        for email in &key.emails {
            claims.entry(email.as_str()).or_default().push(key);
        }
    }
    claims
        .into_iter()
        .filter(|(_, claim)| claim.len() > 1)
        .map(|(address, mut claim)| {
            claim.sort_by_key(|k| !k.trusted);
            KeyConflict {
                address: address.to_string(),
                kind: KeyKind::Pgp,
                keys: claim.iter().map(|k| k.id.clone()).collect(),
                verified: claim
                    .iter()
                    .filter(|k| k.trusted)
                    .map(|k| k.id.clone())
                    .collect(),
            }
        })
        .collect()
}

/// Fills each key's `conflicts` with the other keys that claim one of its addresses.
pub(crate) fn annotate(infos: &mut [KeyInfo], conflicts: &[KeyConflict]) {
    for info in infos.iter_mut() {
        let mut others: Vec<String> = conflicts
            .iter()
            .filter(|c| c.keys.contains(&info.id))
            .flat_map(|c| c.keys.iter().filter(|k| **k != info.id).cloned())
            .collect();
        others.sort();
        others.dedup();
        info.conflicts = others;
    }
}

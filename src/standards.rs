//! The standards this build includes: the engine registry ([`all`]) and, re-exported from the
//! leaf `features` module, which of the two Cargo features (`smime`, `openpgp`) are on and the
//! sentences about the one left out.
//!
//! The npm package ships three builds of the same API: `mailseal` (both), `mailseal/smime` and
//! `mailseal/openpgp`. A one-standard build never pretends the other standard does not exist:
//! its keys are refused with [`ErrorCode::StandardNotEnabled`](crate::ErrorCode::StandardNotEnabled),
//! its messages get a verdict that says so, and its keys in a sealed keyring are kept as they
//! are (see `keys::vault`).

use crate::engine::Engine;

pub use crate::features::{enabled, name, not_enabled, not_enabled_error, ENABLED, PACKAGE};

/// Every engine this build has (Cargo features `smime`, `openpgp`), in no particular order
/// (the policy orders them).
pub fn all() -> Vec<&'static dyn Engine> {
    vec![
        #[cfg(feature = "smime")]
        &crate::smime::SmimeEngine,
        #[cfg(feature = "openpgp")]
        &crate::openpgp::PgpEngine,
    ]
}

//! # mailseal
//!
//! S/MIME and OpenPGP e-mail security for help desks and ticket systems, in pure Rust, built
//! natively and for WebAssembly (browser, Cloudflare Workers, Node).
//!
//! The map of the crate:
//!
//! | module | what |
//! |---|---|
//! | [`address`] | [`Address`]: the one rule that parses, normalises and compares e-mail addresses |
//! | [`keys`] | the keyring: import and detect formats, [`KeyInfo`], lookups, seal/unseal |
//! | [`engine`] | the one trait S/MIME and OpenPGP implement: sign, verify, encrypt, decrypt |
//! | [`report`] | the security report both standards fill in, sender binding |
//! | [`policy`] | method priority, fallback, algorithm choices, signature rules |
//! | `smime` | the S/MIME engine (`SmimeEngine`): CMS sign, verify, encrypt, decrypt (feature `smime`) |
//! | [`open`](mod@open) | incoming: detect → decrypt → verify → security report + readable message |
//! | [`protect`](mod@protect) | outgoing: policy → method per recipient → deliveries |
//! | [`relay`] | the report as `X-Mailseal-*` header fields, for a relay that passes mail on |
//! | [`capabilities`](mod@capabilities) | what the composer may offer: who can sign, who can be encrypted to |
//! | `bytes` | substring search over whole messages (memchr) |
//! | `base64_in_place` | base64 decoded in its own buffer (large envelopes and armor) |
//! | `crypto` | shared primitives: Marvin-hardened RSA PKCS#1 v1.5 decryption (both standards) |
//! | [`mime`] | building MIME entities and the canonical form signatures cover |
//! | `openpgp` | the OpenPGP engine (`PgpEngine`): PGP/MIME and inline PGP on the `pgp` crate (feature `openpgp`) |
//! | [`standards`] | the engine registry (`standards::all`), which standards this build includes, and what it says about the other one |
//! | `features` | which standards this build includes (Cargo features), a leaf the keyring uses |
//! | [`error`] | one [`Error`] type with stable [`ErrorCode`]s for both standards |
//! | [`team`] | team identities: one address, many members, keys sealed per member (docs/team.md) |
//! | [`time`] | the explicit clock ([`Time`]): library code never reads the system clock |
//! | [`rng`] | the explicit randomness source ([`Rng`]) |
//! | [`warning`] | remarks for the agent beside a result, each with a stable code |
//! | [`secret`] | [`secret::SecretBytes`]: plaintext and key bytes, wiped on drop |
//! | `wasm` | the thin wasm-bindgen boundary (wasm32 only) |
//! | `bin/mailseal/` | the native command line over this API (admin scripts, interop tests) |
//!
//! Both standards are Cargo features, `smime` and `openpgp`, on by default. A build with only
//! one of them has the same API; it refuses the other standard's keys with
//! [`ErrorCode::StandardNotEnabled`], reports its messages as not readable here, and keeps its
//! keys in a sealed keyring untouched (see [`Keyring::unseal`]).
//!
//! ```
//! # #[cfg(feature = "smime")] {
//! use mailseal::{ImportOptions, Keyring, Time};
//!
//! let mut ring = Keyring::new();
//! let pem = include_bytes!("../tests/data/keys/alice-rsa2048.crt.pem");
//! let now = Time::from_unix(1_795_420_800);
//! let keys = ring.import(pem, &ImportOptions::default(), now).unwrap();
//! assert_eq!(keys[0].emails, ["alice@example.com"]);
//! # }
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![warn(missing_docs)]

#[cfg(not(any(feature = "smime", feature = "openpgp")))]
compile_error!("mailseal needs at least one of the features \"smime\" and \"openpgp\"");

pub mod address;
mod base64_in_place;
#[cfg(feature = "smime")]
mod ber;
mod bytes;
pub mod capabilities;
pub(crate) mod crypto;
pub mod engine;
pub mod error;
mod features;
pub mod keys;
pub mod mime;
pub mod open;
#[cfg(feature = "openpgp")]
pub mod openpgp;
pub mod policy;
pub mod preview;
pub mod protect;
pub mod relay;
pub mod report;
pub mod rng;
pub mod secret;
#[cfg(feature = "smime")]
pub mod smime;
pub mod standards;
pub mod team;
pub mod time;
pub mod warning;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use address::{Address, ParsedAddress};
pub use capabilities::{capabilities, Addresses, Capabilities, MethodCapabilities};
pub use engine::{Decrypted, Engine, KeyProblem, ReadContext, Unusable, Verified, WriteContext};
pub use error::{Error, ErrorCode, Result};
pub use keys::autocrypt::AutocryptOffer;
pub use keys::lookup::{KeyOrigin, Keyserver, LookupRequest, LookupSource, RefreshRequest};
pub use keys::{
    AuditEvent, CrlInfo, GenerateOpenPgp, GenerateSmime, GeneratedPgpKey, ImportOptions, KeyInfo,
    KeyKind, KeyStatus, Keyring, OcspInfo, OcspStatus, PendingKeyInfo, PgpKeyAlgorithm,
    RevocationImported, RevocationKind, RevocationRequest, RevocationRequestReason, Role,
    SmimeKeyAlgorithm, Trust,
};
pub use open::{
    open, open_async, open_owned, open_owned_async, sender_address, OpenOptions, Opened,
    OpenedAttachment, OpenedHeaders, SerializedBytes,
};
#[cfg(feature = "openpgp")]
pub use openpgp::PgpEngine;
pub use policy::{
    Algorithms, Fallback, GroupDefaults, MinRsaBits, Policy, SignatureHash, SignatureRules,
    UncheckedRevocation, WeakHashes,
};
pub use preview::{preview, Blocked, Outcome, PlannedCopy, Preview, Toggle};
pub use protect::{
    below_group_defaults, plan, protect, recipients_without_key, Delivery, Message, MethodChoice,
    Plan, PlannedDelivery, ProtectOptions, Protected,
};
pub use report::{
    EncryptionReport, EncryptionState, Method, RevocationCheck, Scope, SignatureReport,
    SignatureState, Signer,
};
pub use rng::{os_rng, Rng};
#[cfg(feature = "smime")]
pub use smime::SmimeEngine;
pub use team::{
    MemberPublic, OpenedTeam, TeamChangeInfo, TeamChangeKind, TeamRotated, TeamRotation,
};
pub use time::Time;

/// The crate version, as JavaScript's `version()` reports it.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

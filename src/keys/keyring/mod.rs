//! The [`Keyring`](super::Keyring)'s methods, one file per concern. The type itself, its
//! entries and the JS-facing summaries are in the parent module.
//!
//! - `import`: keys in (merged with the ones held), revocation certificates.
//! - `export`: keys out (public part, passphrase-protected secret).
//! - `sealing`: the keyring at rest (`vault`).
//! - `admin`: roles, removing keys, the desk's policy, the audit log.
//! - `discovery`: keys found by lookups, refreshes, Autocrypt and S/MIME mail.
//! - `generate`: keys made here (see the `generate` module).
//! - `select`: the list, keys by id or address, the engines' lookups.

mod admin;
mod discovery;
mod export;
mod generate;
mod import;
mod sealing;
mod select;

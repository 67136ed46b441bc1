//! OpenPGP keys in the keyring, on the `pgp` crate (rPGP).
//!
//! - Transferable public and secret keys: RFC 9580 §10.1 / §10.2, ASCII armor §6.
//! - Key flags, key expiration time and revocations are read from self-signatures
//!   (RFC 9580 §5.2.3.29, §5.2.3.13, §5.2.1) that verify against the primary key; a signature
//!   anyone could have appended (a third-party certification, a bogus revocation, an unbound
//!   subkey or user id) changes nothing.
//! - Secret key material is unlocked once at import and held unprotected in memory, so later
//!   operations need no passphrase; the keyring is sealed at rest (see `vault`). Only GnuPG
//!   "stub" packets (S2K 101, `gpg --export-secret-subkeys`, smartcards) stay as they are: they
//!   hold no secret.
//!
//! No packet is parsed by hand: framing, packets and transferable keys come from `pgp`; this
//! module splits concatenated armor blocks, bounds the work and summarises what it finds.
//!
//! - `import`: [`parse_pgp`], the way in: every key of some data, checked and unlocked.
//! - `read`: armor blocks and packet streams into transferable keys, within bounds.
//! - `secret`: GnuPG stubs and removing passphrase protection.
//! - `summary`: what the verified self-signatures say ([`KeySummary`]).
//! - `entry`: one key of the keyring ([`PgpEntry`]) and its sealed form.
//! - `merge`: a re-import merged into the key held.

mod entry;
#[cfg(test)]
mod fixtures;
mod import;
mod merge;
mod read;
mod secret;
mod summary;

pub(crate) use entry::PgpEntry;
pub(crate) use import::{on_unsupported_curve, parse_pgp, parse_pgp_reporting};
pub(crate) use read::revocation_certificates;
pub(crate) use summary::{algorithm_name, can_encrypt_with, KeySummary};

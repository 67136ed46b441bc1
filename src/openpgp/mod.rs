//! OpenPGP for mail: PGP/MIME (RFC 3156) and inline PGP, on the `pgp` crate (RFC 9580).
//!
//! [`PgpEngine`] implements [`Engine`] with keys from the [`Keyring`]:
//!
//! | module | what |
//! |---|---|
//! | `keys` | which (sub)key signs or encrypts for an address at a time, and why none can |
//! | `write` | `multipart/signed` and `multipart/encrypted` entities (RFC 3156 §4-§6) |
//! | `message` | armor blocks in bodies (HTML too), armored/binary parsing, bounded reading |
//! | `data_signature` | data signatures of v4 keys, their hash on the crypto provider |
//! | `decrypt` | decryption: key choice by PKESK (wildcard too), integrity required |
//! | `in_place` | decryption in the message's own buffer (a large message is not held twice) |
//! | `framing` | where packets lie in a buffer; partial-length bodies joined in place |
//! | `verify` | signature verdicts: detached, one-pass, cleartext |
//! | `cleartext` | cleartext-signed text split in one pass (rPGP's reader is quadratic) |
//! | `rsa_unwrap` | RSA session keys: OpenPGP framing over `crate::crypto::rsa_pkcs1` (Marvin) |
//! | `seipd` | the SEIPD v1 body (AES-CFB + MDC) on the crypto provider, for speed |
//! | `signer` | secret keys as rPGP signers, RSA on the platform where it signs digests |
//! | `hashes` | hash algorithms' names in reports and their crypto-provider digests |
//!
//! Sender binding is left to [`crate::report::SignatureReport::bind_sender`]: verdicts carry
//! the e-mail addresses of the signing key's valid user ids.

mod cleartext;
mod data_signature;
mod decrypt;
mod framing;
mod hashes;
mod in_place;
mod keys;
mod message;
mod rsa_unwrap;
mod seipd;
mod signer;
mod verify;
mod write;

use crate::engine::{ChosenKey, ReadContext, Unusable, Verified};
use crate::error::Result;
use crate::keys::Keyring;
use crate::report::Method;
use crate::time::Time;

/// The OpenPGP engine.
#[derive(Debug, Default, Clone, Copy)]
pub struct PgpEngine;

// Signing and verifying are rPGP's, synchronous; the SEIPD v1 body of encryption and
// decryption goes through the crypto provider (`seipd`).
crate::engine::impl_engine!(
    PgpEngine,
    Method::Pgp,
    signing_key: signing_key,
    encryption_key: encryption_key,
    sign: write::sign,
    encrypt: write::encrypt,
    decrypt: decrypt::decrypt,
    verify_detached: verify::verify_detached,
    verify_opaque: verify_opaque,
    decrypt_in_place: in_place::decrypt_in_place,
);

fn signing_key(
    ring: &Keyring,
    address: &str,
    now: Time,
) -> core::result::Result<ChosenKey, Unusable> {
    keys::choose(ring, address, keys::Use::Sign, now).map(|c| c.key(address))
}

fn encryption_key(
    ring: &Keyring,
    address: &str,
    now: Time,
) -> core::result::Result<ChosenKey, Unusable> {
    keys::choose(ring, address, keys::Use::Encrypt, now).map(|c| c.key(address))
}

/// [`verify::verify_opaque`] (synchronous) as the future the trait returns.
async fn verify_opaque(ring: &Keyring, payload: &[u8], ctx: &ReadContext) -> Result<Verified> {
    verify::verify_opaque(ring, payload, ctx)
}

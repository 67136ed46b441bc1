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
mod hashes;
mod keys;
mod message;
mod rsa_unwrap;
mod seipd;
mod signer;
mod verify;
mod write;

use crate::crypto::provider::{ready, Pending};
use crate::engine::{Decrypted, Engine, ReadContext, Unusable, Verified, WriteContext};
use crate::error::Result;
use crate::keys::Keyring;
use crate::report::Method;
use crate::time::Time;

/// The OpenPGP engine.
#[derive(Debug, Default, Clone, Copy)]
pub struct PgpEngine;

impl Engine for PgpEngine {
    fn method(&self) -> Method {
        Method::Pgp
    }

    fn signing_key(
        &self,
        ring: &Keyring,
        address: &str,
        now: Time,
    ) -> core::result::Result<String, Unusable> {
        keys::choose(ring, address, keys::Use::Sign, now).map(|c| c.entry.id())
    }

    fn encryption_key(
        &self,
        ring: &Keyring,
        address: &str,
        now: Time,
    ) -> core::result::Result<String, Unusable> {
        keys::choose(ring, address, keys::Use::Encrypt, now).map(|c| c.entry.id())
    }

    // Signing and verifying are rPGP's, synchronous (ready futures); the SEIPD v1 body of
    // encryption and decryption goes through the crypto provider (`seipd`).
    fn sign<'a>(
        &'a self,
        ring: &'a Keyring,
        signer: &'a str,
        entity: Vec<u8>,
        ctx: &'a mut WriteContext<'_>,
    ) -> Pending<'a, Result<Vec<u8>>> {
        Box::pin(write::sign(ring, signer, entity, ctx))
    }

    fn encrypt<'a>(
        &'a self,
        ring: &'a Keyring,
        recipients: &'a [String],
        signer: Option<&'a str>,
        entity: Vec<u8>,
        ctx: &'a mut WriteContext<'_>,
    ) -> Pending<'a, Result<Vec<u8>>> {
        Box::pin(write::encrypt(ring, recipients, signer, entity, ctx))
    }

    fn decrypt<'a>(
        &'a self,
        ring: &'a Keyring,
        payload: &'a [u8],
        ctx: &'a ReadContext,
    ) -> Pending<'a, Result<Decrypted>> {
        Box::pin(decrypt::decrypt(ring, payload, ctx))
    }

    fn verify_detached<'a>(
        &'a self,
        ring: &'a Keyring,
        signed: &'a [u8],
        signature: &'a [u8],
        ctx: &'a ReadContext,
    ) -> Pending<'a, Result<Verified>> {
        Box::pin(verify::verify_detached(ring, signed, signature, ctx))
    }

    fn verify_opaque<'a>(
        &'a self,
        ring: &'a Keyring,
        payload: &'a [u8],
        ctx: &'a ReadContext,
    ) -> Pending<'a, Result<Verified>> {
        ready(verify::verify_opaque(ring, payload, ctx))
    }
}

//! S/MIME 4.0 (RFC 8551) over CMS (RFC 5652): [`SmimeEngine`] implements [`Engine`].
//!
//! | module | what |
//! |---|---|
//! | `sign` | SignedData, detached `multipart/signed` or opaque `pkcs7-mime` |
//! | `verify` | SignerInfos: digests, signatures, certificate checks, verdicts |
//! | `chain` | certification path to a keyring trust anchor (RFC 5280 §6) |
//! | `constraints` | critical extensions and name constraints on that path (RFC 5280 §4.2) |
//! | `signature` | RSA PKCS#1 v1.5 / PSS and ECDSA signature checks |
//! | `encrypt` | EnvelopedData (AES-CBC) and AuthEnvelopedData (AES-GCM) |
//! | `decrypt` | both, for RSA v1.5 / OAEP and ECDH recipients |
//! | `rsa_kt` | RSA key transport: PKCS#1 v1.5 through `crate::crypto::rsa_pkcs1` (Marvin, see SECURITY.md), OAEP |
//! | `ber` | BER to DER for streamed CMS |
//! | `algorithms` | OIDs, digests, the CMS structures the `cms` crate lacks |
//!
//! The `cms` crate provides the types; building and consuming them is done here.

mod algorithms;
mod ber;
mod decrypt;
mod encrypt;
mod rsa_kt;
mod sign;
mod verify;

use crate::crypto::provider::Pending;
use crate::engine::{Decrypted, Engine, KeyProblem, ReadContext, Unusable, Verified, WriteContext};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::x509::signature;
use crate::keys::{KeyStatus, Keyring, SmimeEntry};
use crate::mime::into_crlf;
use crate::report::Method;
use crate::secret::SecretBytes;
use crate::time::Time;

pub(crate) fn malformed() -> Error {
    Error::new(
        ErrorCode::MalformedMessage,
        "The S/MIME data could not be read.",
    )
}

/// The S/MIME engine. Stateless: keys come from the [`Keyring`] passed to each call.
#[derive(Debug, Clone, Copy, Default)]
pub struct SmimeEngine;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Sign,
    Encrypt,
}

/// The certificate to use for `address`: a usable one (newest first), or the problem of the
/// newest certificate for that address.
fn select<'a>(
    ring: &'a Keyring,
    address: &str,
    now: Time,
    usage: Use,
) -> core::result::Result<&'a SmimeEntry, Unusable> {
    let wanted = address.trim().to_ascii_lowercase();
    let mut found: Vec<&SmimeEntry> = ring
        .smime_entries()
        .filter(|e| !e.is_ca_only() && e.emails().contains(&wanted))
        .collect();
    found.sort_by_key(|e| std::cmp::Reverse(e.not_before()));
    let problem = |e: &SmimeEntry| -> Option<KeyProblem> {
        if ring.revocation_of(e.certificate()).is_some() {
            return Some(KeyProblem::Revoked);
        }
        match e.status(now) {
            KeyStatus::Valid => {}
            KeyStatus::Expired => return Some(KeyProblem::Expired),
            KeyStatus::NotYetValid => return Some(KeyProblem::NotYetValid),
            KeyStatus::Revoked => return Some(KeyProblem::Revoked),
        }
        let allowed = match usage {
            Use::Sign => e.can_sign(),
            Use::Encrypt => e.can_encrypt(),
        };
        if !allowed || too_weak(e) {
            return Some(KeyProblem::WrongUsage);
        }
        if usage == Use::Sign && !e.has_secret() {
            return Some(KeyProblem::NoSecret);
        }
        None
    };
    if let Some(e) = found.iter().find(|e| problem(e).is_none()) {
        return Ok(e);
    }
    Err(Unusable {
        address: wanted,
        method: Method::Smime,
        problem: found
            .first()
            .and_then(|e| problem(e))
            .unwrap_or(KeyProblem::NotFound),
    })
}

/// RSA under 2048 bits: mailseal refuses such signatures when reading, so it neither signs
/// nor encrypts with them.
fn too_weak(e: &SmimeEntry) -> bool {
    e.algorithm()
        .strip_prefix("rsa")
        .and_then(|bits| bits.parse::<usize>().ok())
        .is_some_and(|bits| bits < signature::MIN_RSA_BITS)
}

/// The signer's encryption certificate when it is not the signing one (separate signing and
/// encryption certificates, common in companies).
fn other_encryption_cert<'a>(
    ring: &'a Keyring,
    address: &str,
    signing: &SmimeEntry,
    now: Time,
) -> Option<&'a SmimeEntry> {
    select(ring, address, now, Use::Encrypt)
        .ok()
        .filter(|e| e.id() != signing.id())
}

/// `entity` signed by `signer`'s certificate in the policy's form, naming a separate
/// encryption certificate when the signer has one (signing alone, and inside an envelope).
async fn signed_as(
    ring: &Keyring,
    signer: &str,
    entity: Vec<u8>,
    ctx: &mut WriteContext<'_>,
) -> Result<Vec<u8>> {
    let entry = select(ring, signer, ctx.now, Use::Sign)
        .map_err(|u| Error::new(ErrorCode::SenderKeyMissing, u.detail()))?;
    let encryption = other_encryption_cert(ring, signer, entry, ctx.now);
    let form = ctx.algorithms.smime_signed_form;
    sign::sign_entity(ring, entry, encryption, entity, form, ctx).await
}

impl Engine for SmimeEngine {
    fn method(&self) -> Method {
        Method::Smime
    }

    fn signing_key(
        &self,
        ring: &Keyring,
        address: &str,
        now: Time,
    ) -> core::result::Result<String, Unusable> {
        select(ring, address, now, Use::Sign).map(|e| e.id())
    }

    fn encryption_key(
        &self,
        ring: &Keyring,
        address: &str,
        now: Time,
    ) -> core::result::Result<String, Unusable> {
        select(ring, address, now, Use::Encrypt).map(|e| e.id())
    }

    fn sign<'a>(
        &'a self,
        ring: &'a Keyring,
        signer: &'a str,
        entity: Vec<u8>,
        ctx: &'a mut WriteContext<'_>,
    ) -> Pending<'a, Result<Vec<u8>>> {
        Box::pin(signed_as(ring, signer, entity, ctx))
    }

    fn encrypt<'a>(
        &'a self,
        ring: &'a Keyring,
        recipients: &'a [String],
        signer: Option<&'a str>,
        entity: Vec<u8>,
        ctx: &'a mut WriteContext<'_>,
    ) -> Pending<'a, Result<Vec<u8>>> {
        Box::pin(async move {
            if recipients.is_empty() {
                return Err(Error::bad_input("There is no recipient to encrypt to."));
            }
            let mut certs: Vec<&SmimeEntry> = Vec::new();
            let mut missing = Vec::new();
            for r in recipients {
                match select(ring, r, ctx.now, Use::Encrypt) {
                    Ok(e) if !certs.iter().any(|c| c.id() == e.id()) => certs.push(e),
                    Ok(_) => {}
                    Err(u) => missing.push(u),
                }
            }
            if !missing.is_empty() {
                let details: Vec<String> = missing.iter().map(Unusable::detail).collect();
                return Err(Error::new(
                    ErrorCode::RecipientKeyMissing,
                    details.join(" "),
                ));
            }
            let inner = match signer {
                Some(s) => signed_as(ring, s, entity, ctx).await?,
                None => into_crlf(entity),
            };
            let certs: Vec<&x509_cert::Certificate> =
                certs.iter().map(|e| e.certificate()).collect();
            let (der, smime_type) = encrypt::envelope(&certs, inner, ctx).await?;
            Ok(sign::p7m_entity(smime_type, &der))
        })
    }

    /// Decrypts EnvelopedData / AuthEnvelopedData. When the decrypted content is itself a
    /// DER SignedData without MIME headers (some Outlook versions), it is verified here and
    /// its content returned, with the verdict in `signature`.
    fn decrypt<'a>(
        &'a self,
        ring: &'a Keyring,
        payload: &'a [u8],
        ctx: &'a ReadContext,
    ) -> Pending<'a, Result<Decrypted>> {
        Box::pin(async move {
            let mut out = decrypt::decrypt(ring, payload, ctx).await?;
            let raw_signed = match out.content.as_deref().filter(|c| c.first() == Some(&0x30)) {
                Some(c) => verify::verify_opaque(ring, c, ctx).await.ok(),
                None => None,
            };
            if let Some(v) = raw_signed {
                if let Some(inner) = v.content {
                    out.content = Some(SecretBytes::new(inner));
                    out.signature = Some(v.report);
                }
            }
            Ok(out)
        })
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
        Box::pin(verify::verify_opaque(ring, payload, ctx))
    }
}

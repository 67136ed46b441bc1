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

use crate::engine::{
    ChosenKey, Decrypted, KeyProblem, ReadContext, RecipientHandle, SignerHandle, Unusable,
    WriteContext,
};
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

/// The certificate a handle names (chosen by [`select`] from this keyring).
fn chosen<'a>(ring: &'a Keyring, key: &ChosenKey) -> Result<&'a SmimeEntry> {
    ring.smime_entries()
        .find(|e| e.id() == key.id())
        .ok_or_else(|| Error::internal("chosen certificate"))
}

/// `entity` signed by `signer`'s certificate in the policy's form, naming a separate
/// encryption certificate when the signer has one (signing alone, and inside an envelope).
async fn signed_as(
    ring: &Keyring,
    signer: &SignerHandle,
    entity: Vec<u8>,
    ctx: &mut WriteContext<'_>,
) -> Result<Vec<u8>> {
    let entry = chosen(ring, signer)?;
    let encryption = other_encryption_cert(ring, signer.address(), entry, ctx.now);
    let form = ctx.algorithms.smime_signed_form;
    sign::sign_entity(ring, entry, encryption, entity, form, ctx).await
}

crate::engine::impl_engine!(
    SmimeEngine,
    Method::Smime,
    signing_key: signing_key,
    encryption_key: encryption_key,
    sign: signed_as,
    encrypt: encrypt_to,
    decrypt: decrypt_with_inner_signature,
    verify_detached: verify::verify_detached,
    verify_opaque: verify::verify_opaque,
);

fn signing_key(
    ring: &Keyring,
    address: &str,
    now: Time,
) -> core::result::Result<ChosenKey, Unusable> {
    select(ring, address, now, Use::Sign).map(|e| ChosenKey::new(e.id(), Vec::new(), address))
}

fn encryption_key(
    ring: &Keyring,
    address: &str,
    now: Time,
) -> core::result::Result<ChosenKey, Unusable> {
    select(ring, address, now, Use::Encrypt).map(|e| ChosenKey::new(e.id(), Vec::new(), address))
}

/// An EnvelopedData / AuthEnvelopedData, signed first by `signer` when given.
async fn encrypt_to(
    ring: &Keyring,
    recipients: &[RecipientHandle],
    signer: Option<&SignerHandle>,
    entity: Vec<u8>,
    ctx: &mut WriteContext<'_>,
) -> Result<Vec<u8>> {
    if recipients.is_empty() {
        return Err(Error::bad_input("There is no recipient to encrypt to."));
    }
    let mut certs: Vec<&x509_cert::Certificate> = Vec::new();
    for r in recipients {
        certs.push(chosen(ring, r)?.certificate());
    }
    let inner = match signer {
        Some(s) => signed_as(ring, s, entity, ctx).await?,
        None => into_crlf(entity),
    };
    let (der, smime_type) = encrypt::envelope(&certs, inner, ctx).await?;
    Ok(sign::p7m_entity(smime_type, &der))
}

/// Decrypts EnvelopedData / AuthEnvelopedData. When the decrypted content is itself a DER
/// SignedData without MIME headers (some Outlook versions), it is verified here and its
/// content returned, with the verdict in `signature`.
async fn decrypt_with_inner_signature(
    ring: &Keyring,
    payload: &[u8],
    ctx: &ReadContext,
) -> Result<Decrypted> {
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
}

//! S/MIME 4.0 (RFC 8551) over CMS (RFC 5652): [`SmimeEngine`] implements [`Engine`].
//!
//! | module | what |
//! |---|---|
//! | `sign` | SignedData, detached `multipart/signed` or opaque `pkcs7-mime` |
//! | `verify` | SignerInfos: digests, signatures, certificate checks, verdicts |
//! | `encrypt` | EnvelopedData (AES-CBC) and AuthEnvelopedData (AES-GCM) |
//! | `decrypt` | both, for RSA v1.5 / OAEP and ECDH recipients |
//! | `ecdh_kdf` | the X9.63 key derivation of ECDH recipients, for writing and reading |
//! | `rsa_kt` | RSA key transport: PKCS#1 v1.5 through `crate::crypto::rsa_pkcs1` (Marvin, see SECURITY.md), OAEP |
//! | `ber` | BER to DER for streamed CMS |
//! | `algorithms` | OIDs, digests, the CMS structures the `cms` crate lacks |
//!
//! The `cms` crate provides the types; building and consuming them is done here. Certificate
//! paths, revocation, name constraints and signature checks are the keyring's
//! (`crate::keys::x509`), which this engine shares.

mod algorithms;
mod decrypt;
mod ecdh_kdf;
mod encrypt;
mod key_unwrap;
mod rsa_kt;
mod sign;
mod verify;

use crate::engine::{
    ChosenKey, Decrypted, DecryptedInPlace, Encryption, KeyProblem, Plaintext, ReadContext,
    SignerHandle, Unusable, WriteContext,
};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{KeyStatus, Keyring, SmimeEntry};
use crate::mime::into_crlf;
use crate::policy::SignatureRules;
use crate::report::Method;
use crate::secret::SecretBytes;
use crate::time::Time;

/// The S/MIME engine. Stateless: keys come from the [`Keyring`] passed to each call.
#[derive(Debug, Clone, Copy, Default)]
pub struct SmimeEngine;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Sign,
    Encrypt,
}

/// The certificate to use for `address`: a usable one, or the problem of the newest
/// certificate for that address. `rules` say which RSA keys are too small.
///
/// Of several usable ones, the newest that a trusted anchor vouches for, else the newest: a
/// certificate's dates are its maker's say-so, and anyone can make one for any address, so a
/// newer self-made certificate must not win over the one the address's CA issued (mail
/// Whether the keyring's path from `e` to a trust anchor runs through a CA certificate that is
/// expired (or not yet valid) at `now`.
fn issuer_expired(ring: &Keyring, e: &SmimeEntry, now: Time) -> bool {
    use crate::keys::x509::cert::valid_at;
    use crate::keys::x509::chain::{validate, ChainVerdict};
    let leaf = e.certificate();
    // A path is `Expired` only through an issuer outside its validity, and the issuers are
    // the keyring's certificates: when all of them are in date, the path's signatures need
    // not be checked (in wasm, an RSA verification per CA on every S/MIME signature: a 1 KiB
    // protect in workerd took 5.8 ms of CPU instead of 2.9).
    let out_of_date = || {
        ring.smime_entries()
            .map(SmimeEntry::certificate)
            .any(|c| c != leaf && !valid_at(c, now))
    };
    !e.trusted() && out_of_date() && validate(leaf, &[], ring, now).0 == ChainVerdict::Expired
}

/// encrypted to it would be read by its maker, not by the address's owner).
fn select<'a>(
    ring: &'a Keyring,
    address: &str,
    now: Time,
    usage: Use,
    rules: &SignatureRules,
) -> core::result::Result<&'a SmimeEntry, Unusable> {
    let wanted = crate::Address::key_of(address);
    let mut found: Vec<&SmimeEntry> = ring
        .smime_entries()
        .filter(|e| !e.is_ca_only() && e.emails().contains(&wanted))
        .collect();
    found.sort_by_key(|e| std::cmp::Reverse(e.not_before()));
    let problem = |e: &SmimeEntry| -> Option<KeyProblem> {
        if ring.smime_revoked(e, now) {
            return Some(KeyProblem::Revoked);
        }
        match e.status(now) {
            KeyStatus::Valid => {}
            KeyStatus::Expired => return Some(KeyProblem::Expired),
            KeyStatus::NotYetValid => return Some(KeyProblem::NotYetValid),
            KeyStatus::Revoked => return Some(KeyProblem::Revoked),
        }
        if !e.critical_extensions_known() {
            return Some(KeyProblem::UnknownCriticalExtension);
        }
        let allowed = match usage {
            Use::Sign => e.can_sign(),
            Use::Encrypt => e.can_encrypt(),
        };
        if !allowed {
            return Some(KeyProblem::WrongUsage);
        }
        if let Some(bits) = too_weak(e, rules) {
            return Some(KeyProblem::TooWeak(bits));
        }
        if usage == Use::Sign && !e.has_secret() {
            return Some(KeyProblem::NoSecret);
        }
        // A signature whose path has an expired CA reads `expired` to every recipient (and to
        // openssl): not made at all. A certificate with no known path stays usable: the
        // recipients may hold its CA.
        if usage == Use::Sign && issuer_expired(ring, e, now) {
            return Some(KeyProblem::IssuerExpired);
        }
        None
    };
    let usable: Vec<&SmimeEntry> = found
        .iter()
        .copied()
        .filter(|e| problem(e).is_none())
        .collect();
    let chosen = match usable.as_slice() {
        [] => None,
        [one] => Some(*one),
        several => several
            .iter()
            .copied()
            .find(|e| ring.smime_vouched(e, now))
            .or(several.first().copied()),
    };
    if let Some(e) = chosen {
        return Ok(e);
    }
    // A certificate for the address that is a CA's (CA:TRUE, issued by another CA) is held
    // but not a person's to use: "may not be used for this", not "not found".
    let ca_only = || {
        ring.smime_entries()
            .any(|e| e.is_ca_only() && e.emails().contains(&wanted))
    };
    let problem = match found.first() {
        Some(e) => problem(e).unwrap_or(KeyProblem::NotFound),
        None if ca_only() => KeyProblem::WrongUsage,
        None => KeyProblem::NotFound,
    };
    Err(Unusable {
        address: wanted,
        method: Method::Smime,
        problem,
    })
}

/// RSA under the rules' minimum (its bits): mailseal refuses such signatures when reading, so
/// it neither signs nor encrypts with them.
fn too_weak(e: &SmimeEntry, rules: &SignatureRules) -> Option<usize> {
    e.algorithm()
        .strip_prefix("rsa")
        .and_then(|bits| bits.parse::<usize>().ok())
        .filter(|&bits| rules.key_too_small(bits))
}

/// The signer's encryption certificate when it is not the signing one (separate signing and
/// encryption certificates, common in companies).
fn other_encryption_cert<'a>(
    ring: &'a Keyring,
    address: &str,
    signing: &SmimeEntry,
    now: Time,
    rules: &SignatureRules,
) -> Option<&'a SmimeEntry> {
    select(ring, address, now, Use::Encrypt, rules)
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
    let rules = &ctx.algorithms.signatures;
    let entry = under_rules(ring, signer, Use::Sign, ctx.now, rules)
        .map_err(|u| Error::new(ErrorCode::SenderKeyMissing, u.detail()))?;
    let encryption = other_encryption_cert(ring, signer.address(), entry, ctx.now, rules);
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
    decrypt_in_place: decrypt_in_place_with_inner_signature,
);

/// The trait's key queries carry no policy: they judge by the safe floor of the signature
/// rules, and `sign` / `encrypt` apply a stricter policy's rules from their context
/// ([`under_rules`]).
fn signing_key(
    ring: &Keyring,
    address: &str,
    now: Time,
) -> core::result::Result<ChosenKey, Unusable> {
    select(ring, address, now, Use::Sign, &SignatureRules::default())
        .map(|e| ChosenKey::new(e.id(), Vec::new(), address))
}

fn encryption_key(
    ring: &Keyring,
    address: &str,
    now: Time,
) -> core::result::Result<ChosenKey, Unusable> {
    select(ring, address, now, Use::Encrypt, &SignatureRules::default())
        .map(|e| ChosenKey::new(e.id(), Vec::new(), address))
}

/// The certificate a handle names when it meets `rules`, else the one [`select`] finds for the
/// handle's address under them (a stricter policy than the safe floor the handle was chosen by).
fn under_rules<'a>(
    ring: &'a Keyring,
    key: &ChosenKey,
    usage: Use,
    now: Time,
    rules: &SignatureRules,
) -> core::result::Result<&'a SmimeEntry, Unusable> {
    match chosen(ring, key) {
        Ok(e) if too_weak(e, rules).is_none() => Ok(e),
        _ => select(ring, key.address(), now, usage, rules),
    }
}

/// An EnvelopedData / AuthEnvelopedData, signed first by `signer` when given.
async fn encrypt_to(
    ring: &Keyring,
    job: Encryption<'_>,
    ctx: &mut WriteContext<'_>,
) -> Result<Vec<u8>> {
    if job.recipients.is_empty() {
        return Err(Error::bad_input("There is no recipient to encrypt to."));
    }
    let mut certs: Vec<&x509_cert::Certificate> = Vec::new();
    let mut missing = Vec::new();
    for r in job.recipients {
        match under_rules(ring, r, Use::Encrypt, ctx.now, &ctx.algorithms.signatures) {
            Ok(e) => certs.push(e.certificate()),
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
    let inner = match job.signer {
        Some(s) => signed_as(ring, s, job.entity, ctx).await?,
        None => into_crlf(job.entity),
    };
    let (der, smime_type) = encrypt::envelope(&certs, inner, ctx).await?;
    Ok(sign::p7m_entity(smime_type, der))
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
    if let Some((inner, report)) =
        inner_signature(ring, out.content.as_deref().map(Vec::as_slice), ctx).await
    {
        out.content = Some(inner);
        out.signature = Some(report);
    }
    Ok(out)
}

/// [`decrypt_with_inner_signature`] in the payload's own buffer (`Engine::decrypt_in_place`).
async fn decrypt_in_place_with_inner_signature(
    ring: &Keyring,
    payload: &mut [u8],
    ctx: &ReadContext,
) -> Result<DecryptedInPlace> {
    let mut out = decrypt::decrypt_in_place(ring, payload, ctx).await?;
    let content = match &out.content {
        Some(Plaintext::InPlace(range)) => payload.get(range.clone()),
        Some(Plaintext::Owned(plain)) => Some(plain.as_slice()),
        None => None,
    };
    if let Some((inner, report)) = inner_signature(ring, content, ctx).await {
        out.content = Some(Plaintext::Owned(inner));
        out.signature = Some(report);
    }
    Ok(out)
}

/// The content and verdict of a bare DER SignedData that decrypted content is (old Outlook).
async fn inner_signature(
    ring: &Keyring,
    content: Option<&[u8]>,
    ctx: &ReadContext,
) -> Option<(SecretBytes, crate::report::SignatureReport)> {
    let signed = content.filter(|c| c.first() == Some(&0x30))?;
    let v = verify::verify_opaque(ring, signed, ctx).await.ok()?;
    Some((SecretBytes::new(v.content?), v.report))
}

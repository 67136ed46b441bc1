//! Reading OpenPGP: decrypting messages and verifying signatures (RFC 9580, RFC 3156).
//!
//! - Messages: RFC 9580 §10.3 (grammar), armored (§6) or binary; packets from the `pgp` crate.
//! - Decryption key by the PKESK recipient (§5.1: key id, v6 fingerprint, or the wildcard,
//!   which is tried against every secret key of the keyring). RSA session keys are unwrapped
//!   by [`super::rsa_unwrap`] (blinding, implicit rejection); the others by the `pgp` crate.
//! - Integrity: only SEIPD v1 with a valid MDC (§5.13.1) and SEIPD v2 / GnuPG OCB with valid
//!   AEAD tags (§5.13.2) are accepted. SED packets (§5.7, no integrity protection) are refused,
//!   and so is any plaintext whose MDC or tag fails: no plaintext leaves this module then.
//!   SEIPD v1 is authenticated before any plaintext is released (the crate's check-first
//!   mode); compressed data is read through a limit (`ReadContext::max_output`).
//! - Signatures: data signatures (§5.2.1.1/2, types 0x00 and 0x01) over the exact bytes given
//!   (detached: RFC 3156 §5, after CRLF canonicalisation), inside messages (one-pass, §5.4),
//!   and in the Cleartext Signature Framework (§7). MD5, SHA-1 and RIPEMD-160 data
//!   signatures and RSA/DSA keys under 2048 bits are refused (`invalid`).

use std::io::Read;

use pgp::armor::{BlockType, Dearmor, DearmorOptions};
use pgp::composed::{CleartextSignedMessage, Edata, Esk, Message, PlainSessionKey};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{
    Packet, PacketParser, PublicKeyEncryptedSessionKey, Signature, SignatureType,
    SymEncryptedProtectedDataConfig,
};
use pgp::types::{
    DecryptionKey, EskType, KeyDetails, Password, PkeskBytes, PkeskVersion, PublicParams,
};
use zeroize::Zeroizing;

use super::keys::{components, problem_at, public_part, PublicPart, SecretPart};
use super::rsa_unwrap;
use crate::engine::{Decrypted, KeyProblem, ReadContext, Verified};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{Keyring, PgpEntry};
use crate::mime::to_crlf;
use crate::report::{
    EncryptionReport, EncryptionState, Method, SignatureReport, SignatureState, Signer,
};
use crate::time::Time;

/// Most PKESK packets one message may carry, and most decryption attempts it may cause.
const MAX_ESK: usize = 64;
const MAX_ATTEMPTS: usize = 16;
/// Most signatures judged per message.
const MAX_SIGNATURES: usize = 32;
/// Armor and packet overhead allowed above `max_output` for the encrypted payload.
const PAYLOAD_SLACK: usize = 1024 * 1024;

const NO_KEY: &str = "There was no secret PGP key found.";
const NO_MDC: &str = "The PGP message is encrypted without integrity protection and was refused.";
const ALTERED: &str = "The PGP message could not be decrypted: it is damaged or has been altered.";

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn malformed(what: &str) -> Error {
    Error::new(ErrorCode::MalformedMessage, what)
}

fn too_large() -> Error {
    Error::new(
        ErrorCode::TooLarge,
        "The decrypted PGP message exceeds the size limit.",
    )
}

/// Parses an armored (`-----BEGIN PGP MESSAGE-----`, anywhere in the input) or binary message.
fn parse_message(payload: &[u8]) -> Result<Message<'_>> {
    let parsed = match find(payload, b"-----BEGIN PGP MESSAGE-----") {
        Some(pos) => {
            let armored = payload.get(pos..).unwrap_or_default();
            Message::from_armor(armored).map(|(m, _)| m)
        }
        None => Message::from_bytes(payload),
    };
    parsed.map_err(|_| malformed("The data is not a readable OpenPGP message."))
}

fn check_payload_size(payload: &[u8], ctx: &ReadContext) -> Result<()> {
    let limit = ctx
        .max_output
        .saturating_mul(2)
        .saturating_add(PAYLOAD_SLACK);
    if payload.len() > limit {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "The PGP message exceeds the size limit.",
        ));
    }
    Ok(())
}

// --- decryption --------------------------------------------------------------------------------

/// One way to try to get the session key: a PKESK and a secret (sub)key that may open it.
struct Attempt<'a> {
    esk_index: usize,
    entry: &'a PgpEntry,
    secret: SecretPart<'a>,
}

/// Whether the PKESK names no recipient (RFC 9580 §5.1.1: key id 0, §5.1.2: no fingerprint).
fn is_wildcard(pkesk: &PublicKeyEncryptedSessionKey) -> bool {
    match pkesk.version() {
        PkeskVersion::V3 => pkesk.id().is_ok_and(|id| id.is_wildcard()),
        PkeskVersion::V6 => matches!(pkesk.fingerprint(), Ok(None)),
        _ => false,
    }
}

fn recipient_label(pkesk: &PublicKeyEncryptedSessionKey) -> Option<String> {
    if is_wildcard(pkesk) {
        return None;
    }
    if let Ok(Some(fpr)) = pkesk.fingerprint() {
        return Some(hex::encode_upper(fpr.as_bytes()));
    }
    pkesk.id().ok().map(|id| hex::encode_upper(id.as_ref()))
}

/// The secret (sub)keys of the keyring that a PKESK may be for: by key id or fingerprint, or
/// (wildcard) every unlocked secret packet of the PKESK's algorithm.
fn attempts_for<'a>(ring: &'a Keyring, esks: &[&PublicKeyEncryptedSessionKey]) -> Vec<Attempt<'a>> {
    let mut out = Vec::new();
    // Named recipients first: a wildcard costs one try per secret key.
    let mut order: Vec<usize> = (0..esks.len()).collect();
    order.sort_by_key(|i| esks.get(*i).is_some_and(|e| is_wildcard(e)));
    for i in order {
        let Some(pkesk) = esks.get(i) else { continue };
        let wildcard = is_wildcard(pkesk);
        let Ok(alg) = pkesk.algorithm() else { continue };
        for entry in ring.pgp_entries() {
            let Some(secret) = entry.secret_key() else {
                continue;
            };
            let mut parts: Vec<SecretPart<'_>> = Vec::new();
            if !secret.primary_key.secret_params().is_encrypted() {
                parts.push(SecretPart::Primary(&secret.primary_key));
            }
            for sub in &secret.secret_subkeys {
                if !sub.key.secret_params().is_encrypted() {
                    parts.push(SecretPart::Sub(&sub.key));
                }
            }
            for part in parts {
                let (matches, part_alg) = match part {
                    SecretPart::Primary(k) => (pkesk.match_identity(k.public_key()), k.algorithm()),
                    SecretPart::Sub(k) => (pkesk.match_identity(k.public_key()), k.algorithm()),
                };
                if !matches || part_alg != alg {
                    continue;
                }
                if wildcard {
                    // Only keys the keyring knows as encryption keys answer a wildcard.
                    let fpr = match part {
                        SecretPart::Primary(k) => k.fingerprint(),
                        SecretPart::Sub(k) => k.fingerprint(),
                    };
                    let encrypts =
                        components(entry).any(|c| c.encrypt && c.fingerprint == fpr.as_bytes());
                    if !encrypts {
                        continue;
                    }
                }
                out.push(Attempt {
                    esk_index: i,
                    entry,
                    secret: part,
                });
            }
        }
    }
    out
}

/// The session key from one PKESK with one secret packet; `None` when it cannot be opened.
/// RSA always yields a key (a pseudo-random one on failure, RFC 9580 §5.1.3 / implicit
/// rejection), so that a bad padding looks like a wrong key, not like an error.
fn session_key(
    pkesk: &PublicKeyEncryptedSessionKey,
    secret: SecretPart<'_>,
) -> Option<PlainSessionKey> {
    let typ = match pkesk.version() {
        PkeskVersion::V3 => EskType::V3_4,
        PkeskVersion::V6 => EskType::V6,
        _ => return None,
    };
    let values = pkesk.values().ok()?;
    if let PkeskBytes::Rsa { mpi } = values {
        let (params, public) = match secret {
            SecretPart::Primary(k) => (k.secret_params(), k.public_params()),
            SecretPart::Sub(k) => (k.secret_params(), k.public_params()),
        };
        return rsa_unwrap::session_key(params, public, mpi.as_ref(), typ);
    }
    let result = match secret {
        SecretPart::Primary(k) => k.decrypt(&Password::empty(), values, typ),
        SecretPart::Sub(k) => k.decrypt(&Password::empty(), values, typ),
    };
    match result {
        Ok(Ok(key)) => Some(key),
        _ => None,
    }
}

/// Decrypts a message with whichever keyring secret key it is for.
pub(crate) fn decrypt(ring: &Keyring, payload: &[u8], ctx: &ReadContext) -> Result<Decrypted> {
    check_payload_size(payload, ctx)?;
    let message = parse_message(payload)?;
    let Message::Encrypted { esk, edata, .. } = message else {
        return Err(malformed(
            "The OpenPGP message is not encrypted (it may be signed only).",
        ));
    };
    let pkesks: Vec<&PublicKeyEncryptedSessionKey> = esk
        .iter()
        .filter_map(|e| match e {
            Esk::PublicKeyEncryptedSessionKey(p) => Some(p),
            Esk::SymKeyEncryptedSessionKey(_) => None,
        })
        .take(MAX_ESK + 1)
        .collect();
    if pkesks.len() > MAX_ESK {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "The PGP message names too many recipients.",
        ));
    }
    let recipients: Vec<String> = pkesks.iter().filter_map(|p| recipient_label(p)).collect();
    let unprotected = matches!(edata, Edata::SymEncryptedData { .. });
    let aead = match &edata {
        Edata::SymEncryptedProtectedData { reader } => match reader.config() {
            pgp::packet::ProtectedDataConfig::Seipd(SymEncryptedProtectedDataConfig::V2 {
                sym_alg,
                aead,
                ..
            }) => Some(format!("{}-{}", sym_name(*sym_alg), aead_name(*aead))),
            _ => None,
        },
        Edata::GnupgAeadData { .. } => Some("ocb (GnuPG)".to_string()),
        Edata::SymEncryptedData { .. } => None,
    };
    let attempts = attempts_for(ring, &pkesks);
    drop(edata);

    let report = |state, detail: &str| {
        let mut r = EncryptionReport::new(Method::Pgp, state, detail);
        r.authenticated = Some(false);
        r
    };
    if attempts.is_empty() {
        let mut r = report(EncryptionState::NoKey, NO_KEY);
        r.authenticated = None;
        r.key_id = (!recipients.is_empty()).then(|| recipients.join(", "));
        return Ok(Decrypted {
            report: r,
            content: None,
            signature: None,
        });
    }
    let first = attempts.first().map(|a| a.entry);
    if unprotected {
        // Refused before any decryption: no MDC, no way to tell altered plaintext.
        let mut r = report(EncryptionState::Failed, NO_MDC);
        r.key_id = first.map(PgpEntry::id);
        return Ok(Decrypted {
            report: r,
            content: None,
            signature: None,
        });
    }

    // Every attempt that produced a key and failed means "encrypted to us, but broken".
    let mut tried = false;
    for attempt in attempts.iter().take(MAX_ATTEMPTS) {
        let Some(pkesk) = pkesks.get(attempt.esk_index) else {
            continue;
        };
        let Some(key) = session_key(pkesk, attempt.secret) else {
            continue;
        };
        tried = true;
        let algorithm = aead.clone().or_else(|| key.sym_algorithm().map(sym_name));
        // Parsed afresh for each attempt: decryption consumes the message.
        let Ok(message) = parse_message(payload) else {
            continue;
        };
        let Ok(inner) = message.decrypt_with_session_key(key) else {
            continue;
        };
        match read_inner(ring, inner, ctx) {
            Ok((content, signature)) => {
                let mut r = EncryptionReport::new(
                    Method::Pgp,
                    EncryptionState::Decrypted,
                    "The PGP message was decrypted.",
                );
                r.algorithm = algorithm;
                r.authenticated = Some(true);
                r.key_id = Some(attempt.entry.id());
                return Ok(Decrypted {
                    report: r,
                    content: Some(content),
                    signature,
                });
            }
            Err(Inner::TooLarge) => return Err(too_large()),
            Err(Inner::Failed) => continue,
        }
    }
    let mut r = if tried {
        report(EncryptionState::Failed, ALTERED)
    } else {
        let mut r = report(EncryptionState::NoKey, NO_KEY);
        r.authenticated = None;
        r
    };
    r.key_id = first.map(PgpEntry::id);
    Ok(Decrypted {
        report: r,
        content: None,
        signature: None,
    })
}

/// Why the decrypted layer could not be read.
enum Inner {
    /// Integrity failure, bad structure or a wrong session key.
    Failed,
    /// More plaintext than `max_output`.
    TooLarge,
}

/// Reads a decrypted message (decompressing, bounded) and judges its signatures, if any.
fn read_inner(
    ring: &Keyring,
    message: Message<'_>,
    ctx: &ReadContext,
) -> core::result::Result<(Zeroizing<Vec<u8>>, Option<SignatureReport>), Inner> {
    let mut message = decompressed(message).ok_or(Inner::Failed)?;
    if message.is_encrypted() {
        // An encrypted message inside an encrypted message: not what mail clients write.
        return Err(Inner::Failed);
    }
    let content = read_bounded(&mut message, ctx.max_output)?;
    let signature = if message.is_signed() {
        Some(judge_message(ring, &message, ctx.now))
    } else {
        None
    };
    Ok((content, signature))
}

/// Unwraps compression layers (a compressed message, or a signed message around one).
fn decompressed(mut message: Message<'_>) -> Option<Message<'_>> {
    for _ in 0..4 {
        let compressed = match &message {
            Message::Compressed { .. } => true,
            Message::Signed { reader, .. } => reader.get_ref().is_compressed(),
            _ => false,
        };
        if !compressed {
            return Some(message);
        }
        message = message.decompress().ok()?;
    }
    None
}

/// The literal data, at most `max` bytes; the whole message is read (and so authenticated).
fn read_bounded(
    message: &mut Message<'_>,
    max: usize,
) -> core::result::Result<Zeroizing<Vec<u8>>, Inner> {
    let mut out = Zeroizing::new(Vec::new());
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    message
        .by_ref()
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|_| Inner::Failed)?;
    if out.len() > max {
        return Err(Inner::TooLarge);
    }
    Ok(out)
}

// --- signatures --------------------------------------------------------------------------------

fn sym_name(alg: pgp::crypto::sym::SymmetricKeyAlgorithm) -> String {
    format!("{alg:?}").to_ascii_lowercase()
}

fn aead_name(alg: pgp::crypto::aead::AeadAlgorithm) -> String {
    format!("{alg:?}").to_ascii_lowercase()
}

/// `sha256`, `sha512`, ... as the report and `micalg` (with a `pgp-` prefix) name them.
pub(crate) fn hash_name(alg: HashAlgorithm) -> String {
    match alg {
        HashAlgorithm::Md5 => "md5".into(),
        HashAlgorithm::Sha1 => "sha1".into(),
        HashAlgorithm::Ripemd160 => "ripemd160".into(),
        HashAlgorithm::Sha256 => "sha256".into(),
        HashAlgorithm::Sha384 => "sha384".into(),
        HashAlgorithm::Sha512 => "sha512".into(),
        HashAlgorithm::Sha224 => "sha224".into(),
        HashAlgorithm::Sha3_256 => "sha3-256".into(),
        HashAlgorithm::Sha3_512 => "sha3-512".into(),
        other => format!("{other:?}").to_ascii_lowercase(),
    }
}

/// The signer's key in the keyring, by issuer fingerprint or key id: entry and packet.
fn find_signer<'a>(ring: &'a Keyring, sig: &Signature) -> Option<(&'a PgpEntry, PublicPart<'a>)> {
    for fpr in sig.issuer_fingerprint() {
        if let Some(entry) = ring.pgp_by_fingerprint(fpr.as_bytes()) {
            if let Some(part) = public_part(entry.public_key(), fpr.as_bytes()) {
                return Some((entry, part));
            }
        }
    }
    for id in sig.issuer_key_id() {
        let Ok(bytes) = <[u8; 8]>::try_from(id.as_ref()) else {
            continue;
        };
        let Some(entry) = ring.pgp_by_key_id(&bytes) else {
            continue;
        };
        let key = entry.public_key();
        let fpr = if key.primary_key.legacy_key_id() == *id {
            Some(key.primary_key.fingerprint())
        } else {
            key.public_subkeys
                .iter()
                .find(|s| s.key.legacy_key_id() == *id)
                .map(|s| s.key.fingerprint())
        };
        if let Some(part) = fpr.and_then(|f| public_part(key, f.as_bytes())) {
            return Some((entry, part));
        }
    }
    None
}

fn issuer_label(sig: &Signature) -> Option<String> {
    if let Some(fpr) = sig.issuer_fingerprint().first() {
        return Some(hex::encode_upper(fpr.as_bytes()));
    }
    sig.issuer_key_id()
        .first()
        .map(|id| hex::encode_upper(id.as_ref()))
}

/// Bits of an RSA modulus or DSA prime; `None` for elliptic curves.
fn weak_key(params: &PublicParams) -> Option<String> {
    use rsa::traits::PublicKeyParts;
    match params {
        PublicParams::RSA(p) if p.key.n().bits() < 2048 => {
            Some(format!("RSA {} bits", p.key.n().bits()))
        }
        PublicParams::DSA(p) if p.key.components().p().bits() < 2048 => {
            Some(format!("DSA {} bits", p.key.components().p().bits()))
        }
        _ => None,
    }
}

/// The verdict on one data signature. `check` does the cryptographic verification with the
/// signer's key packet.
fn judge(
    ring: &Keyring,
    sig: &Signature,
    now: Time,
    check: impl FnOnce(PublicPart<'_>) -> bool,
) -> SignatureReport {
    let verdict = |state, detail: &str| SignatureReport::new(Method::Pgp, state, detail);
    let mut report = judge_inner(ring, sig, now, check, verdict);
    report.digest = sig.hash_alg().map(hash_name);
    report.signed_at = sig
        .created()
        .map(|t| Time::from_unix(i64::from(t.as_secs())).to_rfc3339());
    report
}

fn judge_inner(
    ring: &Keyring,
    sig: &Signature,
    now: Time,
    check: impl FnOnce(PublicPart<'_>) -> bool,
    verdict: impl Fn(SignatureState, &str) -> SignatureReport,
) -> SignatureReport {
    let Some((entry, part)) = find_signer(ring, sig) else {
        let mut r = verdict(
            SignatureState::UnknownSigner,
            "The PGP signature key is not in the keyring.",
        );
        if let Some(id) = issuer_label(sig) {
            r.signer = Some(Signer {
                emails: Vec::new(),
                key_id: id,
            });
        }
        return r;
    };
    let signer = Signer {
        emails: entry.emails(),
        key_id: entry.id(),
    };
    let with_signer = |state, detail: &str| verdict(state, detail).with_signer(signer.clone());

    if !matches!(sig.typ(), Some(SignatureType::Binary | SignatureType::Text)) {
        return with_signer(
            SignatureState::Invalid,
            "The PGP signature is not a signature over a message.",
        );
    }
    match sig.hash_alg() {
        Some(HashAlgorithm::Md5 | HashAlgorithm::Sha1 | HashAlgorithm::Ripemd160) | None => {
            return with_signer(
                SignatureState::Invalid,
                "The PGP signature uses a weak hash algorithm (MD5, SHA-1 or RIPEMD-160) and \
                 was refused.",
            );
        }
        Some(_) => {}
    }
    if let Some(what) = weak_key(part.public_params()) {
        return with_signer(
            SignatureState::Invalid,
            &format!("The PGP signature key is too weak ({what}) and was refused."),
        );
    }
    if !check(part) {
        return with_signer(SignatureState::Invalid, "The PGP signature is invalid.");
    }
    let fpr = part.fingerprint();
    let primary = entry.primary_summary();
    let Some(component) = components(entry).find(|c| c.fingerprint == fpr.as_bytes()) else {
        return with_signer(
            SignatureState::Invalid,
            "The PGP signature was made by a subkey that is not validly bound to its key.",
        );
    };
    if !component.sign {
        return with_signer(
            SignatureState::Invalid,
            "The PGP signature was made by a key that may not sign.",
        );
    }
    let created = sig.created().map(|t| i64::from(t.as_secs()));
    if created.is_some_and(|c| c < component.created) {
        return with_signer(
            SignatureState::Invalid,
            "The PGP signature claims to be older than its key.",
        );
    }
    match problem_at(primary, component, now) {
        Some(KeyProblem::Revoked) => {
            return with_signer(
                SignatureState::Revoked,
                "The PGP signature key has been revoked.",
            )
        }
        Some(KeyProblem::Expired) => {
            return with_signer(
                SignatureState::Expired,
                "The PGP signature key has expired.",
            )
        }
        Some(KeyProblem::NotYetValid) => {
            return with_signer(
                SignatureState::Expired,
                "The PGP signature key is not valid yet.",
            )
        }
        _ => {}
    }
    let sig_expired = match (created, sig.signature_expiration_time()) {
        (Some(c), Some(d)) if d.as_secs() != 0 => now.unix() >= c + i64::from(d.as_secs()),
        _ => false,
    };
    if sig_expired {
        return with_signer(SignatureState::Expired, "The PGP signature has expired.");
    }
    with_signer(SignatureState::Valid, "The PGP signature is valid.")
}

/// Judges every signature of a signed message that has been read to the end.
fn judge_message(ring: &Keyring, message: &Message<'_>, now: Time) -> SignatureReport {
    let Message::Signed { reader, .. } = message else {
        return SignatureReport::none();
    };
    let count = reader.num_signatures();
    if count == 0 || count > MAX_SIGNATURES {
        return SignatureReport::new(
            Method::Pgp,
            SignatureState::Invalid,
            "The PGP signature is invalid.",
        );
    }
    let mut reports = Vec::with_capacity(count);
    for i in 0..count {
        let Some(sig) = reader.signature(i) else {
            reports.push(SignatureReport::new(
                Method::Pgp,
                SignatureState::Invalid,
                "The PGP signature is invalid.",
            ));
            continue;
        };
        reports.push(judge(ring, sig, now, |part| {
            message.verify_nested_explicit(i, &part).is_ok()
        }));
    }
    SignatureReport::worst(reports)
}

/// Signature packets from an armored (`-----BEGIN PGP SIGNATURE-----`) or binary signature.
fn parse_signatures(data: &[u8]) -> Result<Vec<Signature>> {
    let bad = || malformed("The PGP signature could not be read.");
    let binary: Vec<u8> = match find(data, b"-----BEGIN PGP SIGNATURE-----") {
        Some(pos) => {
            let block = data.get(pos..).unwrap_or_default();
            let mut dearmor =
                Dearmor::with_options(block, DearmorOptions::new().set_limit(PAYLOAD_SLACK));
            dearmor.read_header().map_err(|_| bad())?;
            if dearmor.typ != Some(BlockType::Signature) {
                return Err(bad());
            }
            let mut out = Vec::new();
            dearmor.read_to_end(&mut out).map_err(|_| bad())?;
            out
        }
        None => data.to_vec(),
    };
    let mut sigs = Vec::new();
    for packet in PacketParser::new(&binary[..]).take(MAX_SIGNATURES + 1) {
        match packet {
            Ok(Packet::Signature(sig)) => sigs.push(sig),
            Ok(Packet::Marker(_) | Packet::Padding(_)) => {}
            _ => return Err(bad()),
        }
    }
    if sigs.is_empty() || sigs.len() > MAX_SIGNATURES {
        return Err(bad());
    }
    Ok(sigs)
}

/// RFC 3156 §5: a detached signature over the signed part, in canonical CRLF form.
pub(crate) fn verify_detached(
    ring: &Keyring,
    signed: &[u8],
    signature: &[u8],
    ctx: &ReadContext,
) -> Result<Verified> {
    check_payload_size(signed, ctx)?;
    let sigs = parse_signatures(signature)?;
    let canonical = to_crlf(signed);
    let reports = sigs
        .iter()
        .map(|sig| {
            judge(ring, sig, ctx.now, |part| {
                // The canonical form is what RFC 3156 signs; the exact bytes as received are
                // tried too (a sender that signed LF text is still the same signer).
                sig.verify(&part, &canonical[..]).is_ok()
                    || (canonical.as_slice() != signed && sig.verify(&part, signed).is_ok())
            })
        })
        .collect();
    Ok(Verified {
        report: SignatureReport::worst(reports),
        content: None,
    })
}

/// An inline signed message (RFC 9580 §10.3, armored or binary) or a cleartext-signed block
/// (§7). Returns the signed content whatever the verdict.
pub(crate) fn verify_opaque(ring: &Keyring, payload: &[u8], ctx: &ReadContext) -> Result<Verified> {
    check_payload_size(payload, ctx)?;
    if let Some(pos) = find(payload, b"-----BEGIN PGP SIGNED MESSAGE-----") {
        let block = payload.get(pos..).unwrap_or_default();
        let (csm, _) = CleartextSignedMessage::from_armor_buf(
            block,
            DearmorOptions::new().set_limit(ctx.max_output.saturating_add(PAYLOAD_SLACK)),
        )
        .map_err(|_| malformed("The PGP signed text could not be read."))?;
        let text = csm.signed_text();
        let reports = csm
            .signatures()
            .iter()
            .take(MAX_SIGNATURES)
            .map(|sig| {
                judge(ring, sig, ctx.now, |part| {
                    sig.verify(&part, text.as_bytes()).is_ok()
                })
            })
            .collect::<Vec<_>>();
        let report = if reports.is_empty() {
            SignatureReport::new(
                Method::Pgp,
                SignatureState::Invalid,
                "The PGP signature is invalid.",
            )
        } else {
            SignatureReport::worst(reports)
        };
        return Ok(Verified {
            report,
            content: Some(text.into_bytes()),
        });
    }
    let message = parse_message(payload)?;
    if message.is_encrypted() {
        return Err(malformed(
            "The OpenPGP message is encrypted; it must be decrypted first.",
        ));
    }
    let mut message = decompressed(message)
        .ok_or_else(|| malformed("The OpenPGP message could not be decompressed."))?;
    let content = match read_bounded(&mut message, ctx.max_output) {
        Ok(c) => c,
        Err(Inner::TooLarge) => return Err(too_large()),
        Err(Inner::Failed) => return Err(malformed("The OpenPGP message is damaged.")),
    };
    let report = if message.is_signed() {
        judge_message(ring, &message, ctx.now)
    } else {
        SignatureReport::none()
    };
    Ok(Verified {
        report,
        content: Some(content.to_vec()),
    })
}

//! Decrypting OpenPGP messages (RFC 9580 §5.1, §5.13, §10.3).
//!
//! - The key by the PKESK recipient (§5.1: key id, v6 fingerprint, or the wildcard, which is
//!   tried against every encryption-capable secret key of the keyring). RSA session keys are
//!   unwrapped by [`super::rsa_unwrap`] (blinding, implicit rejection); the others by the
//!   `pgp` crate.
//! - Integrity: only SEIPD v1 with a valid MDC (§5.13.1) and SEIPD v2 / GnuPG OCB with valid
//!   AEAD tags (§5.13.2) are accepted. SED packets (§5.7, no integrity protection) are refused
//!   before decryption, and so is any plaintext whose MDC or tag fails: no plaintext leaves
//!   this module then. SEIPD v1 is authenticated before any plaintext is released (the
//!   crate's check-first mode).
//! - An armored block is not known to be encrypted before it is parsed: given a signed-only
//!   (or compressed/literal) message, `decrypt` returns its content and signature verdict with
//!   the encryption state `none`.

use std::io::Read;

use pgp::composed::{DecryptionOptions, Edata, Esk, Message, PlainSessionKey, TheRing};
use pgp::crypto::public_key::PublicKeyAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{PublicKeyEncryptedSessionKey, SymEncryptedProtectedDataConfig};
use pgp::types::{DecryptionKey, EskType, KeyDetails, Password, PkeskBytes, PkeskVersion};

use super::keys::{components, SecretPart};
use super::message::{
    armor_block, check_payload_size, decompressed, malformed, parse_message, read_bounded,
    readable, too_large, Inner,
};
use super::verify::{judge_whole_message, read_flat, read_unencrypted};
use super::{rsa_unwrap, seipd};
use crate::engine::{Decrypted, ReadContext};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::openpgp::can_encrypt_with;
use crate::keys::{Keyring, PgpEntry};
use crate::report::{EncryptionReport, EncryptionState, Method, SignatureReport};
use crate::secret::SecretBytes;

/// Most PKESK packets one message may carry, and most decryption attempts it may cause.
const MAX_ESK: usize = 64;
const MAX_ATTEMPTS: usize = 16;

const NO_KEY: &str = "There was no secret PGP key found.";
const NO_MDC: &str = "The PGP message is encrypted without integrity protection and was refused.";
const ALTERED: &str = "The PGP message could not be decrypted: it is damaged or has been altered.";
const PASSWORD_ONLY: &str =
    "The PGP message is encrypted with a password (gpg --symmetric), not to \
                             a key; mailseal opens mail encrypted to keys only.";
const ELGAMAL: &str = "The PGP message is encrypted to an ElGamal key (an old GnuPG DSA/ElGamal \
                       key), which mailseal cannot decrypt. Give correspondents a newer key.";
const BRAINPOOL: &str = "The PGP message is encrypted to a Brainpool ECDH key, which mailseal \
                         cannot decrypt. Give correspondents a key on Curve25519 or a NIST curve.";

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
/// (wildcard) every unlocked secret packet of the PKESK's algorithm. Also why, when a PKESK
/// names one of our keys that rPGP cannot decrypt with (old GnuPG DSA/ElGamal keys, Brainpool
/// ECDH subkeys).
fn attempts_for<'a>(
    ring: &'a Keyring,
    esks: &[&PublicKeyEncryptedSessionKey],
) -> (Vec<Attempt<'a>>, Option<&'static str>) {
    let mut out = Vec::new();
    let mut cannot: Option<&'static str> = None;
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
                let (matches, part_alg, params) = match part {
                    SecretPart::Primary(k) => (
                        pkesk.match_identity(k.public_key()),
                        k.algorithm(),
                        k.public_params(),
                    ),
                    SecretPart::Sub(k) => (
                        pkesk.match_identity(k.public_key()),
                        k.algorithm(),
                        k.public_params(),
                    ),
                };
                if !matches || part_alg != alg {
                    continue;
                }
                if !can_encrypt_with(params) {
                    if !wildcard {
                        cannot = Some(match alg {
                            PublicKeyAlgorithm::Elgamal | PublicKeyAlgorithm::ElgamalEncrypt => {
                                ELGAMAL
                            }
                            _ => BRAINPOOL,
                        });
                    }
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
    (out, cannot)
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
pub(crate) async fn decrypt(
    ring: &Keyring,
    payload: &[u8],
    ctx: &ReadContext,
) -> Result<Decrypted> {
    check_payload_size(payload, ctx)?;
    let payload = &*readable(payload, |p| parse_message(p).is_ok());
    let message = parse_message(payload)?;
    decrypt_message(ring, Source::AsSent(payload), message, ctx).await
}

/// [`decrypt`] of binary packets, read as nothing else: no armor block is looked for in them
/// and no HTML markup taken off (the in-place way, whose armor is already decoded: a block
/// quoted inside the packets or appended after them is not the message; sweep 22).
pub(super) async fn decrypt_packets(
    ring: &Keyring,
    packets: &[u8],
    ctx: &ReadContext,
) -> Result<Decrypted> {
    check_payload_size(packets, ctx)?;
    let message = Message::from_bytes(packets)
        .map_err(|_| malformed("The data is not a readable OpenPGP message."))?;
    decrypt_message(ring, Source::Packets(packets), message, ctx).await
}

/// Where a message parsed by rPGP came from, to be parsed again for each session key tried.
#[derive(Clone, Copy)]
enum Source<'p> {
    /// As it came in a body: armored (anywhere in it) or binary.
    AsSent(&'p [u8]),
    /// Binary packets.
    Packets(&'p [u8]),
}

impl<'p> Source<'p> {
    fn parse(self) -> Option<Message<'p>> {
        match self {
            Source::AsSent(payload) => parse_message(payload).ok(),
            Source::Packets(packets) => Message::from_bytes(packets).ok(),
        }
    }
}

/// The rest of [`decrypt`], once the message is parsed.
async fn decrypt_message(
    ring: &Keyring,
    source: Source<'_>,
    message: Message<'_>,
    ctx: &ReadContext,
) -> Result<Decrypted> {
    let (esk, mut edata) = match message {
        Message::Encrypted { esk, edata, .. } => (esk, edata),
        // An armored block in a body may be signed only: its content and signature verdict
        // come back with the encryption state `none`.
        other => {
            let (content, signature) = read_unencrypted(ring, other, ctx)?;
            return Ok(Decrypted {
                report: EncryptionReport::none(),
                content: Some(content),
                signature: Some(signature),
            });
        }
    };
    let container = Container {
        unprotected: matches!(edata, Edata::SymEncryptedData { .. }),
        aead: aead_label(&edata),
    };
    // The binary message is at most the payload, or three quarters of its armor.
    let binary_bound = match source {
        Source::AsSent(payload) => armor_block(payload, "MESSAGE", "MESSAGE")
            .map_or(payload.len(), |armored| armored.len() / 4 * 3 + 3),
        Source::Packets(packets) => packets.len(),
    };
    let v1_body = seipd_v1_body(&mut edata, binary_bound);
    drop(edata);
    let mut ciphertext = Copied { source, v1_body };
    let (report, opened) = decrypt_with(ring, &esk, container, &mut ciphertext, ctx).await?;
    let (content, signature) = opened.unzip();
    Ok(Decrypted {
        report,
        content,
        signature: signature.flatten(),
    })
}

/// What the encrypted data packet says before any key is tried.
pub(super) struct Container {
    /// A SED packet (§5.7): no integrity protection, refused.
    pub(super) unprotected: bool,
    /// The algorithm of an AEAD container (SEIPD v2, GnuPG OCB), for the report.
    pub(super) aead: Option<String>,
}

/// Encrypted data that one session key after another is tried on.
pub(super) trait Ciphertext {
    /// Where the content is once decrypted.
    type Content;
    /// The content and signature verdict behind `key`, or `None` when it does not open the
    /// data (wrong key, altered data: integrity is checked before anything is read). The data
    /// stays as it was for the next key then.
    async fn open(
        &mut self,
        ring: &Keyring,
        key: PlainSessionKey,
        ctx: &ReadContext,
    ) -> Option<core::result::Result<(Self::Content, Option<SignatureReport>), Inner>>;
}

/// The content and signature verdict, if any.
type Opened<C> = (C, Option<SignatureReport>);

/// Tries the session keys that the keyring's secret keys give for `esk` on `ciphertext`: the
/// report, and what the first that opens it revealed.
pub(super) async fn decrypt_with<C: Ciphertext>(
    ring: &Keyring,
    esk: &[Esk],
    container: Container,
    ciphertext: &mut C,
    ctx: &ReadContext,
) -> Result<(EncryptionReport, Option<Opened<C::Content>>)> {
    let pkesks = public_key_esks(esk)?;
    let password_only = pkesks.is_empty()
        && esk
            .iter()
            .any(|e| matches!(e, Esk::SymKeyEncryptedSessionKey(_)));
    let recipients: Vec<String> = pkesks.iter().filter_map(|p| recipient_label(p)).collect();
    let (attempts, cannot) = attempts_for(ring, &pkesks);
    if let (true, Some(why)) = (attempts.is_empty(), cannot) {
        return Ok((failure(EncryptionState::Failed, why), None));
    }
    if attempts.is_empty() {
        let detail = if password_only { PASSWORD_ONLY } else { NO_KEY };
        return Ok((no_key(detail, &recipients), None));
    }
    let first = attempts.first().map(|a| a.entry);
    if container.unprotected {
        // Refused before any decryption: no MDC, no way to tell altered plaintext.
        let mut r = failure(EncryptionState::Failed, NO_MDC);
        r.key_id = first.map(PgpEntry::id);
        return Ok((r, None));
    }

    // A failed attempt on a PKESK that names one of our keys means "encrypted to us, but
    // broken" (`failed`); failures on wildcard PKESKs only mean "not for this key".
    let mut named_failed = false;
    for attempt in attempts.iter().take(MAX_ATTEMPTS) {
        let Some(pkesk) = pkesks.get(attempt.esk_index) else {
            continue;
        };
        named_failed |= !is_wildcard(pkesk);
        let Some(key) = session_key(pkesk, attempt.secret) else {
            continue;
        };
        let algorithm = container
            .aead
            .clone()
            .or_else(|| key.sym_algorithm().map(sym_name));
        match ciphertext.open(ring, key, ctx).await {
            Some(Ok(opened)) => return Ok((decrypted(algorithm, attempt.entry), Some(opened))),
            Some(Err(Inner::TooLarge)) => return Err(too_large()),
            Some(Err(Inner::Failed)) | None => continue,
        }
    }
    let r = if named_failed {
        let mut r = failure(EncryptionState::Failed, ALTERED);
        r.key_id = first.map(PgpEntry::id);
        r
    } else {
        no_key(NO_KEY, &recipients)
    };
    Ok((r, None))
}

/// The PKESKs among the message's ESK packets, at most [`MAX_ESK`] of them.
fn public_key_esks(esk: &[Esk]) -> Result<Vec<&PublicKeyEncryptedSessionKey>> {
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
    Ok(pkesks)
}

/// The report's algorithm for AEAD containers (SEIPD v2, GnuPG OCB), known before decryption.
fn aead_label(edata: &Edata<'_>) -> Option<String> {
    match edata {
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
    }
}

/// The report of a message decrypted with `entry`'s key, its integrity checked.
fn decrypted(algorithm: Option<String>, entry: &PgpEntry) -> EncryptionReport {
    let mut r = EncryptionReport::new(
        Method::Pgp,
        EncryptionState::Decrypted,
        "The PGP message was decrypted.",
    );
    r.algorithm = algorithm;
    r.authenticated = Some(true);
    r.key_id = Some(entry.id());
    r
}

/// A report of a message that was not decrypted: nothing authenticated, nothing released.
fn failure(state: EncryptionState, detail: &str) -> EncryptionReport {
    let mut r = EncryptionReport::new(Method::Pgp, state, detail);
    r.authenticated = Some(false);
    r
}

/// `no_key`: not for any key of the keyring; the recipients the message names, if any.
fn no_key(detail: &str, recipients: &[String]) -> EncryptionReport {
    let mut r = failure(EncryptionState::NoKey, detail);
    r.authenticated = None;
    r.key_id = (!recipients.is_empty()).then(|| recipients.join(", "));
    r
}

/// The message as given, parsed by rPGP, and the body of its SEIPD v1 packet read out.
struct Copied<'p> {
    source: Source<'p>,
    /// Wiped: it is decrypted in place.
    v1_body: Option<SecretBytes>,
}

impl Ciphertext for Copied<'_> {
    type Content = SecretBytes;

    /// SEIPD v1 in its body read out, on the crypto provider (AES) and rPGP (older ciphers),
    /// the packets inside in rPGP; anything else in rPGP. Once the body passed the integrity
    /// check it is the plaintext (no other key opens it): no copy of it is held beside it
    /// (issue 12's peak memory).
    async fn open(
        &mut self,
        ring: &Keyring,
        key: PlainSessionKey,
        ctx: &ReadContext,
    ) -> Option<core::result::Result<(SecretBytes, Option<SignatureReport>), Inner>> {
        if let (Some(body), Some((alg, session_key))) = (self.v1_body.as_mut(), v1_key(&key)) {
            let inner = seipd::open_in_place(alg, session_key, body).await?;
            let mut plain = self.v1_body.take()?;
            return Some(
                match read_flat(ring, &mut plain[inner.clone()], ctx).await {
                    Some(read) => read.map(|(content, signature)| {
                        plain.truncate(inner.start + content.end);
                        plain.drain(..inner.start + content.start);
                        (plain, signature)
                    }),
                    None => match Message::from_bytes(&plain[inner]) {
                        Ok(message) => read_inner(ring, message, ctx),
                        Err(_) => Err(Inner::Failed),
                    },
                },
            );
        }
        // Parsed afresh for each attempt: decryption consumes the message.
        let message = self.source.parse()?;
        // GnuPG 2.4's OCB packets (tag 20) are AEAD-authenticated like SEIPD v2; SED stays off.
        let ring_of_one = TheRing {
            session_keys: vec![key],
            decrypt_options: DecryptionOptions::new().enable_gnupg_aead(),
            ..TheRing::default()
        };
        let (inner, _) = message.decrypt_the_ring(ring_of_one, true).ok()?;
        Some(read_inner(ring, inner, ctx))
    }
}

/// The encrypted body of a SEIPD v1 packet (after its version octet), read raw for
/// [`seipd::open`]; `None` for any other container (SEIPD v2, GnuPG OCB, SED). `bound`: the
/// size of the message it is in, which the body cannot exceed: reserved at once, as reading
/// by doubling left holes of up to twice the body in wasm's memory, which never shrinks.
fn seipd_v1_body(edata: &mut Edata<'_>, bound: usize) -> Option<SecretBytes> {
    let Edata::SymEncryptedProtectedData { reader } = edata else {
        return None;
    };
    if !matches!(
        reader.config(),
        pgp::packet::ProtectedDataConfig::Seipd(SymEncryptedProtectedDataConfig::V1)
    ) {
        return None;
    }
    let mut body = Vec::with_capacity(bound);
    reader.get_mut().read_to_end(&mut body).ok()?;
    body.shrink_to_fit();
    Some(SecretBytes::new(body))
}

/// The cipher and key of a v3/v4 session key (the SEIPD v1 kind).
pub(super) fn v1_key(key: &PlainSessionKey) -> Option<(SymmetricKeyAlgorithm, &[u8])> {
    let PlainSessionKey::V3_4 { sym_alg, key } = key else {
        return None;
    };
    let bytes = key.as_ref();
    (bytes.len() == sym_alg.key_size()).then_some((*sym_alg, bytes))
}

/// Reads a decrypted message (decompressing, bounded) and judges its signatures, if any.
pub(super) fn read_inner(
    ring: &Keyring,
    message: Message<'_>,
    ctx: &ReadContext,
) -> core::result::Result<(SecretBytes, Option<SignatureReport>), Inner> {
    let mut message = decompressed(message).ok_or(Inner::Failed)?;
    if message.is_encrypted() {
        // An encrypted message inside an encrypted message: not what mail clients write.
        return Err(Inner::Failed);
    }
    let content = read_bounded(&mut message, ctx.max_output)?;
    let signature = message
        .is_signed()
        .then(|| judge_whole_message(ring, &mut message, ctx));
    Ok((content, signature))
}

fn sym_name(alg: pgp::crypto::sym::SymmetricKeyAlgorithm) -> String {
    format!("{alg:?}").to_ascii_lowercase()
}

fn aead_name(alg: pgp::crypto::aead::AeadAlgorithm) -> String {
    format!("{alg:?}").to_ascii_lowercase()
}

//! Verifying OpenPGP signatures and judging them (RFC 9580 §5.2, §7; RFC 3156 §5).
//!
//! Data signatures (§5.2.1.1/2, types 0x00 and 0x01) over the exact bytes given (detached:
//! RFC 3156 §5, after CRLF canonicalisation), inside messages (one-pass, §5.4), and in the
//! Cleartext Signature Framework (§7). The signer is found by issuer fingerprint or key id;
//! data signatures over a digest the policy's signature rules refuse (at least MD5, SHA-1 and
//! RIPEMD-160) and RSA/DSA keys under their minimum (at least 2048 bits) are refused
//! (`invalid`); a key revoked or expired at the time of reading gives `revoked` / `expired`; a
//! correct signature by a key the admin has not verified (not `trusted`) gives `untrusted`.

use core::ops::Range;
use std::io::Read;

use pgp::armor::{BlockType, Dearmor, DearmorOptions};
use pgp::composed::Message;
use pgp::packet::{LiteralDataHeader, Packet, PacketParser, Signature, SignatureType};
use pgp::types::Tag;
use pgp::types::{KeyDetails, PublicParams};

use super::cleartext;
use super::framing::{self, Framed};
use super::hashes::hash_name;
use super::keys::{public_part, signature_standing, PublicPart};
use super::message::{
    armor_block, check_payload_size, data_after_decompressed, decompressed, malformed,
    parse_message, read_bounded, readable, too_large, Inner, PAYLOAD_SLACK,
};
use crate::bytes::find;
use crate::engine::{DetachedSignature, ReadContext, Verified};
use crate::error::Result;
use crate::keys::{Keyring, PgpEntry};
use crate::policy::SignatureRules;
use crate::report::{Method, SignatureReport, SignatureState, Signer};
use crate::secret::SecretBytes;
use crate::time::Time;

/// Most signatures judged per message.
const MAX_SIGNATURES: usize = 32;

/// The signer's key in the keyring, by issuer fingerprint or key id: entry and packet.
fn find_signer<'a>(ring: &'a Keyring, sig: &Signature) -> Option<(&'a PgpEntry, PublicPart<'a>)> {
    for fpr in sig.issuer_fingerprint() {
        if let Some(entry) = ring.pgp_signer_by_fingerprint(fpr.as_bytes()) {
            if let Some(part) = entry
                .public_key()
                .and_then(|key| public_part(key, fpr.as_bytes()))
            {
                return Some((entry, part));
            }
        }
    }
    for id in sig.issuer_key_id() {
        let Ok(bytes) = <[u8; 8]>::try_from(id.as_ref()) else {
            continue;
        };
        let Some(entry) = ring.pgp_signer_by_key_id(&bytes) else {
            continue;
        };
        let Some(key) = entry.public_key() else {
            continue;
        };
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

/// An RSA modulus or DSA prime under the rules' minimum, named with its bits; `None` for
/// elliptic curves.
fn weak_key(params: &PublicParams, rules: &SignatureRules) -> Option<String> {
    let bits = super::keys::too_small(params, rules)?;
    let kind = if matches!(params, PublicParams::DSA(_)) {
        "DSA"
    } else {
        "RSA"
    };
    Some(format!("{kind} {bits} bits"))
}

/// The verdict on one data signature, at `ctx.now` and under `ctx.signatures`. `check` does
/// the cryptographic verification with the signer's key packet.
fn judge(
    ring: &Keyring,
    sig: &Signature,
    ctx: &ReadContext,
    check: impl FnOnce(PublicPart<'_>) -> bool,
) -> SignatureReport {
    let verdict = |state, detail: &str| SignatureReport::new(Method::Pgp, state, detail);
    let mut report = judge_inner(ring, sig, ctx, check, verdict);
    report.digest = sig.hash_alg().map(hash_name);
    report.signed_at = sig
        .created()
        .map(|t| Time::from_unix(i64::from(t.as_secs())).to_rfc3339());
    report
}

fn judge_inner(
    ring: &Keyring,
    sig: &Signature,
    ctx: &ReadContext,
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

    if let Some(detail) = refused_before_check(sig, part, &ctx.signatures) {
        return with_signer(SignatureState::Invalid, &detail);
    }
    if !check(part) {
        return with_signer(SignatureState::Invalid, "The PGP signature is invalid.");
    }
    if let Some(what) = critical_not_understood(sig) {
        return with_signer(
            SignatureState::Invalid,
            &format!(
                "The PGP signature carries a critical {what} that mailseal does not \
                 understand, so it cannot be accepted (RFC 9580 §5.2.3.7)."
            ),
        );
    }
    let (state, detail) = signature_standing(entry, part, sig, ctx.now);
    with_signer(state, detail)
}

/// RFC 9580 §5.2.3.2-3: an EdDSA signature needs a hash of at least 256 bits, an ECDSA one a
/// hash as long as its curve (512 bits for P-521). rPGP refuses shorter ones, which gpg 2.2
/// makes on request (`--digest-algo SHA224` with Ed25519): the verdict says why, instead of
/// reading as tampered with.
fn hash_too_short(sig: &Signature, part: PublicPart<'_>) -> Option<String> {
    use pgp::types::EcdsaPublicParams as Ecdsa;
    let min_bits = match part.public_params() {
        PublicParams::Ed25519(_) | PublicParams::EdDSALegacy(_) => 256,
        PublicParams::ECDSA(Ecdsa::P256 { .. }) => 256,
        PublicParams::ECDSA(Ecdsa::P384 { .. }) => 384,
        PublicParams::ECDSA(Ecdsa::P521 { .. }) => 512,
        _ => return None,
    };
    let hash = sig.hash_alg()?;
    (hash.digest_size()? * 8 < min_bits).then(|| {
        format!(
            "The PGP signature uses a hash too short for its {} key ({}; at least {min_bits} \
             bits are required, RFC 9580 §5.2.3) and was refused.",
            crate::keys::openpgp::algorithm_name(part.public_params()),
            hash_name(hash)
        )
    })
}

/// Why a signature is refused before its cryptographic check: not a data signature, a weak
/// hash, a weak key.
fn refused_before_check(
    sig: &Signature,
    part: PublicPart<'_>,
    rules: &SignatureRules,
) -> Option<String> {
    if !matches!(sig.typ(), Some(SignatureType::Binary | SignatureType::Text)) {
        return Some("The PGP signature is not a signature over a message.".to_string());
    }
    if sig
        .hash_alg()
        .is_none_or(|h| rules.refuses_hash(&hash_name(h)))
    {
        return Some(format!(
            "The PGP signature uses a weak hash algorithm ({}) and was refused.",
            rules.weak_hash_labels()
        ));
    }
    if let Some(detail) = hash_too_short(sig, part) {
        return Some(detail);
    }
    // A signing subkey on such a curve imports with a supported primary key; its good
    // signatures failed the check (secp256k1: about half) and read as tampered with.
    if crate::keys::openpgp::on_unsupported_curve(part.public_params()) {
        return Some(format!(
            "The PGP signature was made with a key on the {} curve, which mailseal does not \
             support (RSA, Ed25519 and the NIST curves are): it cannot be checked.",
            crate::keys::openpgp::algorithm_name(part.public_params())
        ));
    }
    weak_key(part.public_params(), rules)
        .map(|what| format!("The PGP signature key is too weak ({what}) and was refused."))
}

/// A hashed subpacket marked critical that a data signature's reader must understand and
/// mailseal does not (RFC 9580 §5.2.3.7: the signature is then in error, as gpg judges it).
/// Notations are named by the signer, so a critical one is never understood here.
fn critical_not_understood(sig: &Signature) -> Option<String> {
    use pgp::packet::SubpacketData as D;
    let config = sig.config()?;
    config
        .hashed_subpackets()
        .filter(|s| s.is_critical)
        .find_map(|s| match &s.data {
            D::SignatureCreationTime(_)
            | D::SignatureExpirationTime(_)
            | D::IssuerKeyId(_)
            | D::IssuerFingerprint(_)
            | D::SignersUserID(_)
            | D::PolicyURI(_)
            | D::IntendedRecipientFingerprint(_)
            | D::ExportableCertification(_)
            | D::Revocable(_)
            | D::KeyServerPreferences(_)
            | D::PreferredKeyServer(_) => None,
            D::Notation(n) => Some(format!(
                "notation \"{}\"",
                String::from_utf8_lossy(&n.name)
                    .chars()
                    .take(64)
                    .collect::<String>()
            )),
            other => Some(format!("subpacket ({})", subpacket_name(other))),
        })
}

fn subpacket_name(data: &pgp::packet::SubpacketData) -> String {
    use pgp::packet::SubpacketData as D;
    match data {
        D::Other(t, _) | D::Experimental(t, _) => format!("type {t}"),
        other => format!("{other:?}")
            .split(['(', ' ', '{'])
            .next()
            .unwrap_or("")
            .to_string(),
    }
}

/// What [`read_flat`] read: where the content is in the packets (moved together if it came in
/// partial lengths) and the signatures' verdict (`None`: not signed), or why not.
pub(super) type FlatRead = core::result::Result<(Range<usize>, Option<SignatureReport>), Inner>;

/// The decrypted packets in the shape mailseal, gpg and most clients write without
/// compression: the literal data alone, or one-pass signatures, the literal data, the
/// signatures (RFC 9580 §10.3). Read here where they are, so that the signatures' hash runs on
/// the crypto provider (rPGP's message reader hashes as it reads, in software: 8 ms of a 19 ms
/// open of a signed and encrypted 1 MiB message in Node) and the content is not copied out
/// (issue 12's peak memory: each copy was one of the message). For any other shape, or a
/// signature the provider path does not take (text mode, v6): `None`, nothing written, and
/// rPGP then reads the whole message as before. The signatures are hashed over the content
/// where it is, their trailer written for the hash over the packets after it (already read)
/// and put back.
pub(super) async fn read_flat(
    ring: &Keyring,
    plain: &mut [u8],
    ctx: &ReadContext,
) -> Option<FlatRead> {
    let layout = flat_layout(plain)?;
    let sigs = &layout.signatures;
    let signers: Vec<_> = sigs.iter().map(|sig| find_signer(ring, sig)).collect();
    let provider_decides = sigs.iter().zip(&signers).all(|(sig, signer)| {
        signer
            .as_ref()
            .is_none_or(|(_, part)| super::data_signature::takes_binary(sig, part))
    });
    if !provider_decides {
        return None;
    }
    // Framed over these same bytes: joining cannot fail.
    let Some(body) = framing::join(plain, &layout.literal) else {
        return Some(Err(Inner::Failed));
    };
    let content = body.start + layout.header_len..body.end;
    if content.len() > ctx.max_output {
        return Some(Err(Inner::TooLarge));
    }
    if sigs.is_empty() {
        return Some(Ok((content, None)));
    }
    let mut holds = Vec::with_capacity(sigs.len());
    for (sig, signer) in sigs.iter().zip(&signers) {
        holds.push(match signer {
            Some((_, part)) => {
                let with_room = &mut plain[content.start..];
                super::data_signature::verify_binary_in_place(sig, part, with_room, content.len())
                    .await
                    // Checked above that the provider path takes it; there is room for the
                    // trailer, as its signature packet came after the content. Never expected.
                    .unwrap_or(false)
            }
            None => false,
        });
    }
    let reports = sigs
        .iter()
        .zip(holds)
        .map(|(sig, holds)| judge(ring, sig, ctx, |_| holds))
        .collect();
    Some(Ok((content, Some(SignatureReport::worst(reports)))))
}

/// The packets of [`read_flat`]'s shape: the literal data packet, the length of its header, and
/// the signatures after it.
struct FlatLayout {
    literal: Framed,
    header_len: usize,
    signatures: Vec<Signature>,
}

/// The packets in the flat shape (as many one-pass signatures before the literal data as
/// signatures after it, none or up to [`MAX_SIGNATURES`]), or `None`. Each packet is framed by
/// rPGP's header parser and parsed by rPGP; nothing is written.
fn flat_layout(plain: &[u8]) -> Option<FlatLayout> {
    let (mut at, mut one_pass, mut literal, mut skipped) = (0, 0usize, None, 0);
    let mut signatures = Vec::new();
    while at < plain.len() {
        let packet = framing::frame(plain, at)?;
        at = packet.end;
        if matches!(packet.header.tag(), Tag::Marker | Tag::Padding) {
            // Within rPGP's bounds, else rPGP decides.
            skipped += 1;
            if skipped > framing::MAX_SKIPPED_PACKETS || packet.len() > framing::MAX_SKIPPED_LEN {
                return None;
            }
            continue;
        }
        if packet.header.tag() == Tag::LiteralData && literal.is_none() {
            let mut first = packet.first_piece(plain)?;
            let whole = first.len();
            LiteralDataHeader::try_from_reader(&mut first).ok()?;
            literal = Some((packet, whole - first.len()));
            continue;
        }
        match packet.parse(plain)? {
            Packet::OnePassSignature(_) if literal.is_none() => one_pass += 1,
            Packet::Signature(sig) if literal.is_some() => signatures.push(sig),
            _ => return None,
        }
        if one_pass > MAX_SIGNATURES || signatures.len() > MAX_SIGNATURES {
            return None;
        }
    }
    if signatures.len() != one_pass {
        return None;
    }
    let (literal, header_len) = literal?;
    Some(FlatLayout {
        literal,
        header_len,
        signatures,
    })
}

/// [`judge_message`] of a signed message read to its end, or `invalid` when more follows it
/// inside its compressed data ([`data_after_decompressed`]).
pub(super) fn judge_whole_message(
    ring: &Keyring,
    message: &mut Message<'_>,
    ctx: &ReadContext,
) -> SignatureReport {
    if data_after_decompressed(message) {
        return SignatureReport::new(
            Method::Pgp,
            SignatureState::Invalid,
            "The PGP message holds more after its signature (another message or damaged data \
             inside its compressed data): it is not the message that was signed.",
        );
    }
    judge_message(ring, message, ctx)
}

/// Judges every signature of a signed message that has been read to the end.
fn judge_message(ring: &Keyring, message: &Message<'_>, ctx: &ReadContext) -> SignatureReport {
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
        reports.push(judge(ring, sig, ctx, |part| {
            message.verify_nested_explicit(i, &part).is_ok()
        }));
    }
    SignatureReport::worst(reports)
}

/// RFC 3156 §5: a detached signature over the signed part, in canonical CRLF form.
pub(crate) async fn verify_detached(
    ring: &Keyring,
    DetachedSignature { signed, signature }: DetachedSignature<'_>,
    ctx: &ReadContext,
) -> Result<Verified> {
    check_payload_size(signed, ctx)?;
    let sigs = parse_signatures(signature)?;
    // Copied into the canonical form only when the part has bare LF line ends (a lone CR is
    // never made a line end: `lf_to_crlf`).
    let canonical = crate::mime::lf_to_crlf(signed);
    let mut reports = Vec::with_capacity(sigs.len());
    for sig in &sigs {
        // The cryptographic check first (the hash on the provider where it can, see
        // `data_signature::verify_binary`), then the verdict on the key and the signature.
        let holds = match find_signer(ring, sig) {
            Some((_, part)) => {
                // The canonical form is what RFC 3156 signs; the exact bytes as received are
                // tried too (a sender that signed LF text is still the same signer).
                detached_holds(sig, &part, &canonical).await
                    || (matches!(canonical, std::borrow::Cow::Owned(_))
                        && detached_holds(sig, &part, signed).await)
            }
            None => false,
        };
        reports.push(judge(ring, sig, ctx, |_| holds));
    }
    Ok(Verified {
        report: SignatureReport::worst(reports),
        content: None,
        certificates: Vec::new(),
    })
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

/// Whether `sig` by `part` holds over `data`: hashed on the provider for v4 binary signatures,
/// else by rPGP.
async fn detached_holds(sig: &Signature, part: &PublicPart<'_>, data: &[u8]) -> bool {
    match super::data_signature::verify_binary(sig, part, data).await {
        Some(holds) => holds,
        None => sig.verify(part, data).is_ok(),
    }
}

/// An inline signed message (RFC 9580 §10.3, armored or binary) or a cleartext-signed block
/// (§7). Returns the signed content whatever the verdict.
pub(crate) fn verify_opaque(ring: &Keyring, payload: &[u8], ctx: &ReadContext) -> Result<Verified> {
    check_payload_size(payload, ctx)?;
    let payload = &*readable(payload, |p| {
        match armor_block(p, "SIGNED MESSAGE", "SIGNATURE") {
            Some(block) => cleartext::read(block, DearmorOptions::new()).is_some(),
            None => parse_message(p).is_ok(),
        }
    });
    if let Some(block) = armor_block(payload, "SIGNED MESSAGE", "SIGNATURE") {
        let cleartext = cleartext::read(
            block,
            DearmorOptions::new().set_limit(ctx.max_output.saturating_add(PAYLOAD_SLACK)),
        )
        .ok_or_else(|| malformed("The PGP signed text could not be read."))?;
        // gpg `--not-dash-escaped`: the forms its text signature may cover (see `cleartext`).
        let gpg_forms = cleartext
            .not_dash_escaped
            .then(|| cleartext.as_gpg_hashed());
        let text = cleartext.signed_text;
        let header = cleartext.hash_header;
        let reports = cleartext
            .signatures
            .iter()
            .take(MAX_SIGNATURES)
            .map(|sig| match (&header, sig.hash_alg()) {
                // §7.1: a Hash header that does not name the signature's digest makes the
                // message misleading (gpg: "signature digest conflict"): refused.
                (Some(named), Some(used)) if !named.contains(&used) => SignatureReport::new(
                    Method::Pgp,
                    SignatureState::Invalid,
                    format!(
                        "The PGP signature uses {used:?}, but the message's Hash header names \
                         {}: the header was changed or the message is misleading.",
                        named
                            .iter()
                            .map(|h| format!("{h:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
                _ if gpg_forms.is_some() => judge(ring, sig, ctx, |part| {
                    gpg_forms
                        .iter()
                        .flatten()
                        .any(|form| super::data_signature::verify_exact(sig, &part, form))
                }),
                _ => judge(ring, sig, ctx, |part| {
                    sig.verify(&part, text.as_slice()).is_ok()
                }),
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
            content: Some(text),
            certificates: Vec::new(),
        });
    }
    let message = parse_message(payload)?;
    if message.is_encrypted() {
        return Err(malformed(
            "The OpenPGP message is encrypted; it must be decrypted first.",
        ));
    }
    let (content, report) = read_unencrypted(ring, message, ctx)?;
    Ok(Verified {
        report,
        content: Some(content.to_vec()),
        certificates: Vec::new(),
    })
}

/// A message without encryption (signed, compressed, literal): its content, bounded, and the
/// verdict on its signatures (`none` when unsigned).
pub(super) fn read_unencrypted(
    ring: &Keyring,
    message: Message<'_>,
    ctx: &ReadContext,
) -> Result<(SecretBytes, SignatureReport)> {
    let mut message = decompressed(message)
        .ok_or_else(|| malformed("The OpenPGP message could not be decompressed."))?;
    let content = match read_bounded(&mut message, ctx.max_output) {
        Ok(c) => c,
        Err(Inner::TooLarge) => return Err(too_large()),
        Err(Inner::Failed) => return Err(malformed("The OpenPGP message is damaged.")),
    };
    let report = if message.is_signed() {
        judge_whole_message(ring, &mut message, ctx)
    } else {
        SignatureReport::none()
    };
    Ok((content, report))
}

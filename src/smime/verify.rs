//! Verifying SignedData (RFC 5652 §5) as S/MIME uses it (RFC 8551 §3.5): detached
//! (`multipart/signed`, RFC 1847) and opaque (`application/pkcs7-mime; smime-type=signed-data`).
//!
//! For each SignerInfo, in this order (the first failure is the verdict):
//! 1. digest and signature algorithms: what the policy's signature rules refuse (at least
//!    SHA-1/MD5 and RSA under 2048 bits) is `invalid`;
//! 2. the signer's certificate, by issuer+serial or subject key identifier, from the message
//!    or the keyring, else `unknown_signer`;
//! 3. the content-type and message-digest signed attributes (RFC 5652 §11.1-2) against the
//!    content, then the signature over the DER of the signed attributes (§5.4): `invalid`;
//! 4. certificate validity, `expired`; key usage and extended key usage emailProtection
//!    (RFC 8550 §4.4), then the path to a keyring trust anchor (`chain`): `untrusted`.
//!
//! Time: certificates are judged at the caller's time (`ReadContext::now`), never at the
//! signing-time attribute, which the signer writes as it likes (an expired or stolen key
//! could otherwise back-date signatures). The claimed time is reported as `signedAt`.
//!
//! Several SignerInfos: the worst verdict wins, and the signer's addresses are only those
//! every signer is bound to, so a second signer from someone else cannot ride on a good
//! signature (`bind_sender` then says `sender_mismatch`). No SignerInfo at all is "not
//! signed". A detached signature must not carry content (eContent present is `invalid`).
//!
//! Detached content is hashed as received; if that does not match and the bytes have bare
//! LF line ends (a mailbox stored with Unix line ends), the CRLF canonical form of RFC 8551
//! §3.1.1 is tried as well.

use std::borrow::Cow;

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::db::rfc5911;
use der::asn1::OctetString;
use der::{AnyRef, Decode, Encode, Reader, SliceReader, Tag, TagNumber, Tagged};
use x509_cert::Certificate;

use super::algorithms::{self as algs, malformed, Hash};
use crate::ber;
use crate::engine::{DetachedSignature, ReadContext, Verified};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::x509::chain::{self, ChainVerdict};
use crate::keys::x509::signature::{
    self, unsupported_algorithm_name, unsupported_curve_name, SigFail,
};
use crate::keys::{Keyring, SmimeEntry};
use crate::policy::SignatureRules;
use crate::report::{Method, SignatureReport, SignatureState, Signer};
use crate::time::Time;

/// Most SignerInfos examined (each costs a public-key operation and a path search).
const MAX_SIGNERS: usize = 16;

/// A SignedData with its SignerInfos in the order received, each with the DER of its signed
/// attributes exactly as the signer encoded them.
pub(crate) struct Parsed {
    sd: SignedData,
    signers: Vec<(SignerInfo, Option<Vec<u8>>)>,
}

impl Parsed {
    /// The certificates the SignedData carries, DER.
    fn certificates_der(&self) -> Vec<Vec<u8>> {
        self.sd
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .filter_map(|c| match c {
                cms::cert::CertificateChoices::Certificate(cert) => cert.to_der().ok(),
                _ => None,
            })
            .collect()
    }
}

/// Parses a ContentInfo holding SignedData (BER accepted).
pub(crate) fn parse_signed_data(payload: &[u8]) -> Result<Parsed> {
    let der = ber::to_der(payload)?;
    let ci = ContentInfo::from_der(&der).map_err(|_| malformed())?;
    if ci.content_type != rfc5911::ID_SIGNED_DATA {
        return Err(Error::new(
            ErrorCode::MalformedMessage,
            "The S/MIME part is not a signature.",
        ));
    }
    let sd: SignedData = ci.content.decode_as().map_err(|_| malformed())?;
    let signers = raw_signer_infos(ci.content.value()).ok_or_else(malformed)?;
    Ok(Parsed { sd, signers })
}

/// The elements inside a constructed value, undecoded.
fn elements(value: &[u8]) -> Option<Vec<AnyRef<'_>>> {
    let mut reader = SliceReader::new(value).ok()?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(AnyRef::decode(&mut reader).ok()?);
    }
    Some(out)
}

/// The SignerInfos of a SignedData (its value octets) in the order received, with the signed
/// attributes as received. `der` sorts a SET OF when decoding it, but the signature covers
/// the signer's own encoding (RFC 5652 §5.4), which some writers do not sort: like OpenSSL,
/// verify over what was sent.
fn raw_signer_infos(signed_data: &[u8]) -> Option<Vec<(SignerInfo, Option<Vec<u8>>)>> {
    let fields = elements(signed_data)?;
    let set = fields.last()?;
    if set.tag() != Tag::Set {
        return None;
    }
    let mut out = Vec::new();
    for si in elements(set.value())? {
        let parts = elements(si.value())?;
        let raw_attrs = parts
            .get(3)
            .filter(|a| {
                a.tag()
                    == Tag::ContextSpecific {
                        constructed: true,
                        number: TagNumber::N0,
                    }
            })
            .and_then(|a| AnyRef::new(Tag::Set, a.value()).ok())
            .and_then(|set| set.to_der().ok());
        let decoded = SignerInfo::from_der(&si.to_der().ok()?).ok()?;
        out.push((decoded, raw_attrs));
    }
    Some(out)
}

pub(crate) async fn verify_detached(
    ring: &Keyring,
    DetachedSignature { signed, signature }: DetachedSignature<'_>,
    ctx: &ReadContext,
) -> Result<Verified> {
    // The signed part is there whatever the signature is: a damaged signature is a verdict,
    // so the message can still be shown (as not verified).
    let parsed = match parse_signed_data(signature) {
        Ok(p) => p,
        Err(e) if e.code() == ErrorCode::MalformedMessage => {
            return Ok(Verified {
                report: invalid("The signature is damaged and could not be read."),
                content: None,
                certificates: Vec::new(),
            })
        }
        Err(e) => return Err(e),
    };
    if parsed.sd.encap_content_info.econtent.is_some() {
        return Ok(Verified {
            report: invalid("The signature carries its own content, which is not allowed for a detached signature."),
            content: None,
            certificates: Vec::new(),
        });
    }
    // As received, and with CRLF line ends when it has bare LFs (a relay or client that
    // rewrote them; never a lone CR made a line end: `lf_to_crlf`).
    let mut contents = vec![Cow::Borrowed(signed)];
    if let Cow::Owned(canonical) = crate::mime::lf_to_crlf(signed) {
        contents.push(Cow::Owned(canonical));
    }
    let digests = content_digests(&parsed, &contents, &ctx.signatures).await;
    Ok(Verified {
        report: verify_signed_data(ring, &parsed, &contents, &digests, ctx),
        content: None,
        certificates: parsed.certificates_der(),
    })
}

pub(crate) async fn verify_opaque(
    ring: &Keyring,
    payload: &[u8],
    ctx: &ReadContext,
) -> Result<Verified> {
    let parsed = parse_signed_data(payload)?;
    let sd = &parsed.sd;
    let content = match &sd.encap_content_info.econtent {
        Some(any) => any
            .decode_as::<OctetString>()
            .map_err(|_| malformed())?
            .into_bytes(),
        None => Vec::new(),
    };
    if content.len() > ctx.max_output {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "The signed message is larger than the allowed size.",
        ));
    }
    let not_mail = sd.encap_content_info.econtent_type != rfc5911::ID_DATA;
    if not_mail && !sd.signer_infos.0.is_empty() {
        // RFC 8551 §2.4.1: mail is signed as id-data. Other signed content (a signed receipt,
        // say, whose text the requester chose) is not the signer's message, whatever the
        // signature: not shown as one (found by the CMS sweep).
        return Ok(Verified {
            report: invalid(&format!(
                "The signed content is not a mail message (content type {}), so it is not \
                 shown as one.",
                sd.encap_content_info.econtent_type
            )),
            content: None,
            certificates: parsed.certificates_der(),
        });
    }
    let report = if sd.encap_content_info.econtent.is_none() && !sd.signer_infos.0.is_empty() {
        invalid("The signed content is missing.")
    } else {
        let contents = &[Cow::Borrowed(&content[..])];
        let digests = content_digests(&parsed, contents, &ctx.signatures).await;
        verify_signed_data(ring, &parsed, contents, &digests, ctx)
    };
    Ok(Verified {
        report,
        content: Some(content),
        certificates: parsed.certificates_der(),
    })
}

fn invalid(detail: &str) -> SignatureReport {
    SignatureReport::new(Method::Smime, SignatureState::Invalid, detail)
}

/// The digests of the signed content (each accepted form of it) under every digest algorithm
/// the signers name, computed before the verdict: message-sized work goes through the crypto
/// provider, which may answer asynchronously (WebCrypto), and the verdict logic stays plain.
struct ContentDigests(Vec<(Hash, Vec<u8>)>);

impl ContentDigests {
    /// Whether some accepted form of the content has `digest` under `hash`.
    fn matches(&self, hash: Hash, digest: &[u8]) -> bool {
        self.0.iter().any(|(h, d)| *h == hash && d == digest)
    }
}

async fn content_digests(
    parsed: &Parsed,
    contents: &[Cow<'_, [u8]>],
    rules: &SignatureRules,
) -> ContentDigests {
    let mut hashes: Vec<Hash> = Vec::new();
    // More signers than MAX_SIGNERS is refused without looking at any of them.
    if parsed.signers.len() <= MAX_SIGNERS {
        for (si, _) in &parsed.signers {
            if let Some(h) = Hash::from_oid(&si.digest_alg.oid).filter(|h| !h.refused_by(rules)) {
                if !hashes.contains(&h) {
                    hashes.push(h);
                }
            }
        }
    }
    let mut out = Vec::new();
    for content in contents {
        for &h in &hashes {
            if let Some(d) = h.digest_content(content).await {
                out.push((h, d));
            }
        }
    }
    ContentDigests(out)
}

/// The verdict over all SignerInfos.
fn verify_signed_data(
    ring: &Keyring,
    parsed: &Parsed,
    contents: &[Cow<'_, [u8]>],
    digests: &ContentDigests,
    ctx: &ReadContext,
) -> SignatureReport {
    let sd = &parsed.sd;
    let certs: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    let signers = &parsed.signers;
    if signers.is_empty() {
        return SignatureReport::none();
    }
    if signers.len() > MAX_SIGNERS {
        return invalid("The message has too many signatures.");
    }
    let reports: Vec<SignatureReport> = signers
        .iter()
        .map(|(si, raw)| {
            let input = SignerInput {
                contents,
                digests,
                certs: &certs,
                rules: &ctx.signatures,
            };
            verify_signer(ring, sd, si, raw.as_deref(), &input, ctx.now)
        })
        .collect();
    // The worst verdict, with every signer listed: a valid message needs every signature
    // valid, and is then bound to From through whichever signer it names (bind_sender).
    SignatureReport::worst(reports)
}

/// Most certificates that match one signer identifier and are tried (a renewal that kept the
/// key gives two or three).
const MAX_SIGNER_CANDIDATES: usize = 4;

/// The certificates the signer identifier names: the message's first, then the keyring's. A
/// subject key identifier names every certificate of a key, renewed or not.
fn find_certs(sid: &SignerIdentifier, certs: &[Certificate], ring: &Keyring) -> Vec<Certificate> {
    let ski_of = |c: &Certificate| {
        SmimeEntry::from_certificate(c.clone(), false)
            .ok()
            .and_then(|e| e.subject_key_id())
    };
    let named = |c: &Certificate| match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            c.tbs_certificate.issuer == isn.issuer
                && c.tbs_certificate.serial_number == isn.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            ski_of(c).as_deref() == Some(ski.0.as_bytes())
        }
    };
    let mut found: Vec<Certificate> = Vec::new();
    let in_ring = ring.smime_entries().map(|e| e.certificate());
    for c in certs.iter().chain(in_ring).filter(|c| named(c)) {
        if !found.contains(c) && found.len() < MAX_SIGNER_CANDIDATES {
            found.push(c.clone());
        }
    }
    found
}

/// The verdict on a signature whose certificate, or one above it, its CA revoked.
fn revoked(ring: &Keyring, cert: &Certificate) -> SignatureReport {
    let detail = match ring.revocation_of(cert) {
        Some(r) => format!(
            "The certificate of the signer was revoked by its certification authority on {}{}.",
            r.date.to_rfc3339(),
            r.reason.map(|why| format!(" ({why})")).unwrap_or_default()
        ),
        None => "A certificate above the signer's was revoked by its certification authority."
            .to_string(),
    };
    SignatureReport::new(Method::Smime, SignatureState::Revoked, detail)
}

/// The single value of a signed attribute, if present exactly once with one value.
fn single_attr(si: &SignerInfo, oid: const_oid::ObjectIdentifier) -> Option<Option<&der::Any>> {
    let attrs = si.signed_attrs.as_ref()?;
    let mut found = attrs.iter().filter(|a| a.oid == oid);
    let Some(first) = found.next() else {
        return Some(None);
    };
    if found.next().is_some() || first.values.len() != 1 {
        return None;
    }
    Some(first.values.iter().next())
}

fn sig_fail_report(fail: SigFail) -> SignatureReport {
    invalid(&sig_fail_detail(fail))
}

fn sig_fail_detail(fail: SigFail) -> String {
    match fail {
        SigFail::Bad => "The signature is not valid: the message was changed after it was signed, or the signature is damaged.".to_string(),
        SigFail::WeakHash(h) => format!(
            "The signature uses {}, which is no longer considered secure.",
            h.name().to_uppercase()
        ),
        SigFail::WeakKey(bits, min) => format!(
            "The signature was made with a {bits}-bit RSA key, which is too weak ({min} bits or more are required)."
        ),
        SigFail::PssMixedDigests(hash, mgf) => format!(
            "The RSA-PSS signature hashes with {} but masks with MGF1 over {}; mailseal \
             supports RSA-PSS only with the same digest for both (as RFC 4055 recommends).",
            hash.name().to_uppercase(),
            mgf.name().to_uppercase()
        ),
        SigFail::Unsupported(oid) => match unsupported_curve_name(&oid) {
            Some(curve) => format!(
                "The signature was made with a key on the {curve} curve, which mailseal does not \
                 support (P-256, P-384 and P-521 are)."
            ),
            None => match unsupported_algorithm_name(&oid) {
                Some(name) => format!(
                    "The signature uses {name}, which mailseal does not support for signatures."
                ),
                None => {
                    format!("The signature uses an algorithm mailseal does not support ({oid}).")
                }
            },
        },
    }
}

/// What every signer of one SignedData is checked against.
struct SignerInput<'a> {
    /// The signed content, in each accepted form (as received; with CRLF line ends).
    contents: &'a [Cow<'a, [u8]>],
    /// Their digests (signed attributes carry the digest, not the content).
    digests: &'a ContentDigests,
    /// The certificates the message carries.
    certs: &'a [Certificate],
    /// The digests and key sizes the policy accepts.
    rules: &'a SignatureRules,
}

fn verify_signer(
    ring: &Keyring,
    sd: &SignedData,
    si: &SignerInfo,
    raw_attrs: Option<&[u8]>,
    input: &SignerInput<'_>,
    now: Time,
) -> SignatureReport {
    // 1. Algorithms.
    let hash = match accepted_hash(si, input.rules) {
        Ok(hash) => hash,
        Err(fail) => return sig_fail_report(fail),
    };

    // 2. The signer's certificate: of several the identifier names (the same key certified
    // again after the old certificate expired), the one that makes the signature valid, else
    // the first one's verdict.
    let candidates = find_certs(&si.sid, input.certs, ring);
    if candidates.is_empty() {
        return SignatureReport::new(
            Method::Smime,
            SignatureState::UnknownSigner,
            "The certificate for verification could not be found.",
        );
    }
    let mut first = None;
    for cert in candidates {
        let report = verify_signer_with(ring, sd, si, raw_attrs, input, now, hash, &cert);
        if report.state == SignatureState::Valid {
            return report;
        }
        first.get_or_insert(report);
    }
    first.unwrap_or_else(SignatureReport::none)
}

/// [`verify_signer`] with one certificate for the signer.
#[allow(clippy::too_many_arguments)]
fn verify_signer_with(
    ring: &Keyring,
    sd: &SignedData,
    si: &SignerInfo,
    raw_attrs: Option<&[u8]>,
    input: &SignerInput<'_>,
    now: Time,
    hash: Hash,
    cert: &Certificate,
) -> SignatureReport {
    let entry = match SmimeEntry::from_certificate(cert.clone(), false) {
        Ok(e) => e,
        Err(_) => return invalid("The certificate of the signer could not be read."),
    };
    let signer = Signer {
        emails: entry.emails(),
        key_id: entry.id(),
    };

    // 3. Content digest and signature.
    let signed_at = match check_signature(sd, si, raw_attrs, input, hash, cert) {
        Ok(signed_at) => signed_at,
        Err(detail) => return invalid(&detail).with_signer(signer),
    };

    // 4. Certificate: validity, usage, path.
    let mut report = certificate_verdict(ring, &entry, cert, input.certs, now);
    report.digest = Some(hash.name().to_string());
    if let Some(note) = signed_before_certificate(signed_at.as_deref(), &entry) {
        let detail = report.detail.take().unwrap_or_default();
        report.detail = Some(format!("{detail} {note}").trim_start().to_string());
    }
    report.signed_at = signed_at;
    report.with_signer(signer)
}

/// A day: clocks are that far off, and some CAs date certificates back by hours.
const CLOCK_TOLERANCE_SECS: i64 = 24 * 3600;

/// A note when the signing time the signature claims lies before its certificate was valid:
/// the date was set back, or the sender's clock is wrong. The verdict stands (openssl does not
/// look at the signing time; the certificate is judged at the time of reading), the agent is
/// told (sweep 21: it read `valid` without a word, while OpenPGP refuses the same).
fn signed_before_certificate(signed_at: Option<&str>, entry: &SmimeEntry) -> Option<String> {
    let at = Time::from_rfc3339(signed_at?)?;
    let from = entry.not_before();
    (at.plus_secs(CLOCK_TOLERANCE_SECS) < from).then(|| {
        format!(
            "It says it was made on {}, before the signer's certificate was valid (from {}): \
             the date may have been set back, or the sender's clock is wrong.",
            at.to_rfc3339(),
            from.to_rfc3339()
        )
    })
}

/// The SignerInfo's digest algorithm, when it and the signature algorithm are accepted.
fn accepted_hash(si: &SignerInfo, rules: &SignatureRules) -> core::result::Result<Hash, SigFail> {
    let Some(hash) = Hash::from_oid(&si.digest_alg.oid) else {
        return Err(SigFail::Unsupported(si.digest_alg.oid));
    };
    if hash.refused_by(rules) {
        return Err(SigFail::WeakHash(hash));
    }
    signature::hash_of(&si.signature_algorithm, Some(hash), rules)?;
    Ok(hash)
}

/// Checks the signer's signature with `cert`'s key: over the signed attributes (after their
/// content type and message digest are checked against the content), or over the content when
/// there are none. The claimed signing time when the signature holds; else why the signature
/// is `invalid`.
fn check_signature(
    sd: &SignedData,
    si: &SignerInfo,
    raw_attrs: Option<&[u8]>,
    input: &SignerInput<'_>,
    hash: Hash,
    cert: &Certificate,
) -> core::result::Result<Option<String>, String> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let mut signed_at = None;
    let checked = match &si.signed_attrs {
        Some(attrs) => {
            let (Some(ct), Some(md), Some(st)) = (
                single_attr(si, algs::CONTENT_TYPE),
                single_attr(si, algs::MESSAGE_DIGEST),
                single_attr(si, algs::SIGNING_TIME),
            ) else {
                return Err("The signature's attributes are malformed.".to_string());
            };
            let ct_ok = ct
                .and_then(|v| v.decode_as::<const_oid::ObjectIdentifier>().ok())
                .is_some_and(|oid| oid == sd.encap_content_info.econtent_type);
            let Some(md) = md.and_then(|v| v.decode_as::<OctetString>().ok()) else {
                return Err("The signature's message digest is missing.".to_string());
            };
            if !ct_ok {
                return Err("The signature's content type does not match the content.".to_string());
            }
            signed_at = st
                .and_then(|v| v.to_der().ok())
                .and_then(|d| x509_cert::time::Time::from_der(&d).ok())
                .map(|t| Time::from_x509(&t).to_rfc3339());
            let digest_ok = input.digests.matches(hash, md.as_bytes());
            if !digest_ok {
                return Err(
                    "The signature is not valid: the message was changed after it was signed."
                        .to_string(),
                );
            }
            let signed = match raw_attrs {
                Some(raw) => raw.to_vec(),
                None => match attrs.to_der() {
                    Ok(der) => der,
                    Err(_) => return Err("The signature's attributes are malformed.".to_string()),
                },
            };
            signature::verify(
                spki,
                &si.signature_algorithm,
                Some(hash),
                &signed,
                si.signature.as_bytes(),
                input.rules,
            )
        }
        // No signed attributes: the signature covers the content itself (RFC 5652 §5.4).
        None => {
            let mut result = Err(SigFail::Bad);
            for c in input.contents {
                result = signature::verify(
                    spki,
                    &si.signature_algorithm,
                    Some(hash),
                    c,
                    si.signature.as_bytes(),
                    input.rules,
                );
                if result.is_ok() || !matches!(result, Err(SigFail::Bad)) {
                    break;
                }
            }
            result
        }
    };
    match checked {
        Ok(()) => Ok(signed_at),
        Err(fail) => Err(sig_fail_detail(fail)),
    }
}

/// The verdict on a correct signature by `cert` (`entry`): its validity at `now` and whether
/// it may sign e-mail, then its certification path (trusted, and revoked or not as far as the
/// keyring knows).
fn certificate_verdict(
    ring: &Keyring,
    entry: &SmimeEntry,
    cert: &Certificate,
    certs: &[Certificate],
    now: Time,
) -> SignatureReport {
    // A revocation outlives the certificate: one revoked (for key compromise, say) that has
    // expired since reads revoked, as openssl and the key list say, not merely expired.
    if ring.revocation_of(cert).is_some() {
        return revoked(ring, cert);
    }
    match entry.status(now) {
        crate::keys::KeyStatus::Valid => {}
        crate::keys::KeyStatus::NotYetValid => {
            return SignatureReport::new(
                Method::Smime,
                SignatureState::NotYetValid,
                "The certificate of the signer is not valid yet.",
            )
        }
        _ => {
            return SignatureReport::new(
                Method::Smime,
                SignatureState::Expired,
                "The certificate of the signer has expired.",
            )
        }
    }
    // A critical extension mailseal does not process: the path check below names it.
    if !entry.can_sign() && entry.critical_extensions_known() {
        return SignatureReport::new(
            Method::Smime,
            SignatureState::Untrusted,
            "The certificate of the signer may not be used to sign e-mail.",
        );
    }
    match chain::validate(cert, certs, ring, now) {
        (ChainVerdict::Trusted, path) => {
            let coverage = ring.revocation_coverage(&path, now);
            let mut report = SignatureReport::new(
                Method::Smime,
                SignatureState::Valid,
                "The signature is valid.",
            );
            report.revocation = Some(coverage.check);
            report.revocation_requests = coverage.requests;
            report
        }
        (ChainVerdict::Expired, _) => SignatureReport::new(
            Method::Smime,
            SignatureState::Expired,
            "A certificate in the signer's certification path is outside its validity period \
             (it has expired, or is not valid yet).",
        ),
        (ChainVerdict::Constrained, _) => SignatureReport::new(
            Method::Smime,
            SignatureState::Untrusted,
            "The certificate of the signer, or one above it, breaks the rules of its \
             certification path (a name outside its CA's constraints, or a critical extension \
             mailseal does not process): it is not trusted.",
        ),
        (ChainVerdict::Weak, _) => SignatureReport::new(
            Method::Smime,
            SignatureState::Untrusted,
            "The certificate of the signer, or one above it, is signed with an algorithm \
             mailseal refuses (SHA-1, MD5, or an RSA key under 2048 bits) or does not support \
             (such as Ed448): whether its certification authority issued it cannot be \
             checked, so it is not trusted.",
        ),
        (ChainVerdict::Revoked, _) => revoked(ring, cert),
        (ChainVerdict::Untrusted, _) => {
            let mut report = SignatureReport::new(
                Method::Smime,
                SignatureState::Untrusted,
                "The certificate of the signer is not issued by a trusted certification authority.",
            );
            // A CA certificate missing on the way up can be fetched from where the one below
            // it says (AIA caIssuers); the path is judged again once the host gave it.
            if let Some(stuck) = chain::missing_issuer(cert, certs, ring) {
                report.revocation_requests = ring.issuer_requests(stuck);
            }
            report
        }
    }
}

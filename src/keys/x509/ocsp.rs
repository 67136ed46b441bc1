//! OCSP (RFC 6960, in the lightweight profile of RFC 5019): the requests the host sends to a
//! certificate's responder, and the answers the keyring keeps once their signature checks out.
//!
//! mailseal does no I/O. For a certificate whose authority information access names an http(s)
//! OCSP responder, it writes a request (one CertID, SHA-1 as RFC 5019 asks, no nonce so that
//! answers can be cached) both as a body to POST and as the GET URL of RFC 6960 appendix A;
//! the host fetches either and hands the answer to `Keyring::import_ocsp`.
//!
//! An answer is kept only when it is signed by the certificate's issuer or by a responder the
//! issuer delegated (a certificate the issuer signed, with the OCSP-signing extended key
//! usage, valid now), is not from the future and not past its nextUpdate (24 hours after
//! thisUpdate when it names none). A status is bound to its issuer by the hash of the issuer's
//! key, so an answer checked against a certificate that a message brought along can only ever
//! speak for certificates of that very key.

use const_oid::db::rfc5280::{ID_AD_CA_ISSUERS, ID_AD_OCSP, ID_KP_OCSP_SIGNING};
use const_oid::db::rfc5912::{ID_SHA_1, ID_SHA_256};
use const_oid::db::rfc6960::ID_PKIX_OCSP_BASIC;
use der::asn1::{AnyRef, Null, OctetString};
use der::{Decode, Encode, Reader, SliceReader};
use sha1::Digest as _;
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, ExtendedKeyUsage};
use x509_cert::Certificate;
use x509_ocsp::{
    BasicOcspResponse, CertId, CertStatus, OcspRequest, OcspResponse, OcspResponseStatus, Request,
    ResponderId, TbsRequest, Version,
};

use super::cert::{http_urls, signed_by, valid_at};
use super::revocation::{reason_name, Revocation};
use super::signature;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::SignatureRules;
use crate::time::Time;

/// How far in the future a responder's clock may be.
const CLOCK_SKEW_SECS: i64 = 5 * 60;
/// How long an answer without nextUpdate counts as current (Firefox's rule).
const NO_NEXT_UPDATE_SECS: i64 = 24 * 60 * 60;
/// Most single answers read from one response.
const MAX_SINGLE_RESPONSES: usize = 64;

/// Which certificate a status is about: its serial number under the issuer with this name and
/// key (SHA-1 hashes, as in a CertID).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CertRef {
    name_hash: Vec<u8>,
    key_hash: Vec<u8>,
    serial: Vec<u8>,
}

impl CertRef {
    /// `cert` as issued by `issuer`.
    pub(crate) fn of(cert: &Certificate, issuer: &Certificate) -> CertRef {
        CertRef {
            name_hash: name_hash(issuer, Hash::Sha1),
            key_hash: key_hash(issuer, Hash::Sha1),
            serial: cert.tbs_certificate.serial_number.as_bytes().to_vec(),
        }
    }

    /// The serial number (DER integer contents).
    pub(crate) fn serial(&self) -> &[u8] {
        &self.serial
    }

    /// Whether `cert` is the certificate named here, by its issuer's name alone (for a
    /// certificate whose issuer certificate is not at hand).
    fn names(&self, cert: &Certificate) -> bool {
        self.serial == cert.tbs_certificate.serial_number.as_bytes()
            && cert
                .tbs_certificate
                .issuer
                .to_der()
                .is_ok_and(|der| sha1::Sha1::digest(der).as_slice() == self.name_hash)
    }
}

/// What the responder said about one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Status {
    Good,
    Revoked(Revocation),
    /// The responder does not know the certificate.
    Unknown,
}

/// An answer the keyring holds, checked on import.
#[derive(Debug, Clone)]
pub(crate) struct HeldStatus {
    pub(crate) cert: CertRef,
    pub(crate) status: Status,
    pub(crate) this_update: Time,
    /// nextUpdate, or thisUpdate + 24 hours when the responder named none.
    pub(crate) current_until: Time,
    /// The certificate's issuer (RFC 4514), for the list.
    pub(crate) issuer: String,
}

impl HeldStatus {
    /// Whether the answer still counts as current at `now`.
    pub(crate) fn is_current(&self, now: Time) -> bool {
        now <= self.current_until
    }
}

#[derive(Clone, Copy)]
enum Hash {
    Sha1,
    Sha256,
}

fn name_hash(issuer: &Certificate, hash: Hash) -> Vec<u8> {
    let der = issuer.tbs_certificate.subject.to_der().unwrap_or_default();
    digest(hash, &der)
}

fn key_hash(issuer: &Certificate, hash: Hash) -> Vec<u8> {
    let key = issuer
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    digest(hash, key)
}

fn digest(hash: Hash, data: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Sha1 => sha1::Sha1::digest(data).to_vec(),
        Hash::Sha256 => sha2::Sha256::digest(data).to_vec(),
    }
}

/// The http(s) OCSP responders `cert`'s authority information access names.
pub(crate) fn responder_urls(cert: &Certificate) -> Vec<String> {
    access_urls(cert, ID_AD_OCSP)
}

/// The http(s) locations of `cert`'s issuer certificate (AIA caIssuers, RFC 5280 §4.2.2.1):
/// a DER certificate or a certs-only CMS bundle.
pub(crate) fn ca_issuer_urls(cert: &Certificate) -> Vec<String> {
    access_urls(cert, ID_AD_CA_ISSUERS)
}

fn access_urls(cert: &Certificate, method: const_oid::ObjectIdentifier) -> Vec<String> {
    let Ok(Some((_, AuthorityInfoAccessSyntax(access)))) =
        cert.tbs_certificate.get::<AuthorityInfoAccessSyntax>()
    else {
        return Vec::new();
    };
    http_urls(
        access
            .iter()
            .filter(|a| a.access_method == method)
            .map(|a| &a.access_location),
    )
}

/// The DER OCSPRequest for `cert` issued by `issuer`.
pub(crate) fn request(cert: &Certificate, issuer: &Certificate) -> Result<Vec<u8>> {
    let sha1 = AlgorithmIdentifierOwned {
        oid: ID_SHA_1,
        parameters: Some(Null.into()),
    };
    let octets = |v: Vec<u8>| OctetString::new(v).map_err(|_| Error::internal("OCSP CertID"));
    let cert_id = CertId {
        hash_algorithm: sha1,
        issuer_name_hash: octets(name_hash(issuer, Hash::Sha1))?,
        issuer_key_hash: octets(key_hash(issuer, Hash::Sha1))?,
        serial_number: cert.tbs_certificate.serial_number.clone(),
    };
    OcspRequest {
        tbs_request: TbsRequest {
            version: Version::V1,
            requestor_name: None,
            request_list: vec![Request {
                req_cert: cert_id,
                single_request_extensions: None,
            }],
            request_extensions: None,
        },
        optional_signature: None,
    }
    .to_der()
    .map_err(|_| Error::internal("OCSP request encoding"))
}

/// The GET form of a request (RFC 6960 appendix A.1): the responder URL, a slash, and the
/// base64 of the DER request, URL-encoded.
pub(crate) fn get_url(responder: &str, request: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(request);
    let encoded = percent_encoding::utf8_percent_encode(&b64, percent_encoding::NON_ALPHANUMERIC);
    let sep = if responder.ends_with('/') { "" } else { "/" };
    format!("{responder}{sep}{encoded}")
}

fn refused(detail: impl Into<String>) -> Error {
    Error::new(ErrorCode::BadInput, detail)
}

/// Reads an OCSP response (DER) and checks it: signed by the issuer of each certificate it
/// speaks for (one of `issuers`) or by a responder that issuer delegated, and current at
/// `now`. Returns the statuses it gives.
///
/// Errors: `unsupported_format` for what is not an OCSP response; `bad_input` for an answer
/// that is not "successful", not signed by the issuer or its responder, from the future or
/// out of date; `certificate_missing` when no issuer it names is at hand.
pub(crate) fn read_and_check(
    data: &[u8],
    issuers: &[&Certificate],
    now: Time,
) -> Result<Vec<HeldStatus>> {
    let not_ocsp = || {
        Error::new(
            ErrorCode::UnsupportedFormat,
            "This is not an OCSP response.",
        )
    };
    let response = OcspResponse::from_der(data).map_err(|_| not_ocsp())?;
    if response.response_status != OcspResponseStatus::Successful {
        let why = match response.response_status {
            OcspResponseStatus::MalformedRequest => "the request was malformed",
            OcspResponseStatus::InternalError => "it had an internal error",
            OcspResponseStatus::TryLater => "it is busy (try later)",
            OcspResponseStatus::SigRequired => "it wants signed requests",
            OcspResponseStatus::Unauthorized => "it does not answer for this certificate",
            OcspResponseStatus::Successful => "",
        };
        return Err(refused(format!(
            "The OCSP responder gave no status: {why}."
        )));
    }
    let bytes = response.response_bytes.ok_or_else(not_ocsp)?;
    if bytes.response_type != ID_PKIX_OCSP_BASIC {
        return Err(Error::new(
            ErrorCode::UnsupportedFormat,
            "The OCSP response is not of the basic type mailseal reads.",
        ));
    }
    let basic_der = bytes.response.as_bytes();
    let basic = BasicOcspResponse::from_der(basic_der).map_err(|_| not_ocsp())?;
    let tbs = signed_part(basic_der).ok_or_else(not_ocsp)?;
    let sig = basic
        .signature
        .as_bytes()
        .ok_or_else(|| refused("The OCSP response's signature is malformed."))?;
    let data = &basic.tbs_response_data;
    if data.responses.len() > MAX_SINGLE_RESPONSES {
        return Err(refused("The OCSP response holds too many answers."));
    }

    let mut out = Vec::new();
    let mut named_issuer = false;
    for single in &data.responses {
        let Some(issuer) = issuer_of(&single.cert_id, issuers) else {
            continue;
        };
        named_issuer = true;
        let Some(signer) = signer_for(&data.responder_id, issuer, basic.certs.as_deref(), now)
        else {
            return Err(refused(
                "The OCSP response is not signed by the certificate's issuer or a responder it \
                 authorised.",
            ));
        };
        let spki = &signer.tbs_certificate.subject_public_key_info;
        if signature::verify(
            spki,
            &basic.signature_algorithm,
            None,
            &tbs,
            sig,
            &SignatureRules::default(),
        )
        .is_err()
        {
            return Err(refused(
                "The OCSP response's signature does not verify: it was changed or made by \
                 someone else.",
            ));
        }
        let this_update = Time::from_der(&single.this_update.0.to_date_time());
        if this_update > now.plus_secs(CLOCK_SKEW_SECS) {
            return Err(refused(
                "The OCSP response is dated in the future: the responder's clock or this one \
                 is wrong.",
            ));
        }
        let current_until = match &single.next_update {
            Some(next) => Time::from_der(&next.0.to_date_time()),
            None => this_update.plus_secs(NO_NEXT_UPDATE_SECS),
        };
        let status = match &single.cert_status {
            CertStatus::Good(_) => Status::Good,
            CertStatus::Unknown(_) => Status::Unknown,
            CertStatus::Revoked(info) => Status::Revoked(Revocation {
                date: Time::from_der(&info.revocation_time.0.to_date_time()),
                reason: info.revocation_reason.map(reason_name),
            }),
        };
        // A revocation stays a revocation; only a "good" or "unknown" answer goes stale.
        if current_until < now && !matches!(status, Status::Revoked(_)) {
            return Err(refused(
                "The OCSP response is out of date (past its nextUpdate): it may be a replay of \
                 an old answer.",
            ));
        }
        out.push(HeldStatus {
            cert: CertRef {
                name_hash: name_hash(issuer, Hash::Sha1),
                key_hash: key_hash(issuer, Hash::Sha1),
                serial: single.cert_id.serial_number.as_bytes().to_vec(),
            },
            status,
            this_update,
            current_until,
            issuer: issuer.tbs_certificate.subject.to_string(),
        });
    }
    if !named_issuer {
        return Err(Error::new(
            ErrorCode::CertificateMissing,
            "The OCSP response is about a certificate whose issuer is not in the keyring.",
        ));
    }
    Ok(out)
}

/// The DER of `tbsResponseData` exactly as received (the signature covers those bytes).
fn signed_part(basic_der: &[u8]) -> Option<Vec<u8>> {
    let outer = AnyRef::from_der(basic_der).ok()?;
    let mut reader = SliceReader::new(outer.value()).ok()?;
    let tbs: AnyRef<'_> = reader.decode().ok()?;
    tbs.to_der().ok()
}

/// The certificate among `issuers` that `id` names (by name and key hash).
fn issuer_of<'a>(id: &CertId, issuers: &[&'a Certificate]) -> Option<&'a Certificate> {
    let hash = match id.hash_algorithm.oid {
        ID_SHA_1 => Hash::Sha1,
        ID_SHA_256 => Hash::Sha256,
        _ => return None,
    };
    issuers.iter().copied().find(|c| {
        name_hash(c, hash) == id.issuer_name_hash.as_bytes()
            && key_hash(c, hash) == id.issuer_key_hash.as_bytes()
    })
}

/// Who may sign answers about `issuer`'s certificates: the issuer itself, or a certificate in
/// the response that the issuer signed for OCSP signing and that is valid at `now`.
fn signer_for<'a>(
    responder: &ResponderId,
    issuer: &'a Certificate,
    included: Option<&'a [Certificate]>,
    now: Time,
) -> Option<&'a Certificate> {
    let is_responder = |c: &Certificate| match responder {
        ResponderId::ByName(name) => c.tbs_certificate.subject == *name,
        ResponderId::ByKey(hash) => key_hash(c, Hash::Sha1) == hash.as_bytes(),
    };
    if is_responder(issuer) {
        return Some(issuer);
    }
    included?.iter().find(|c| {
        is_responder(c)
            && c.tbs_certificate.issuer == issuer.tbs_certificate.subject
            && ocsp_signing(c)
            && valid_at(c, now)
            && signed_by(c, issuer)
    })
}

fn ocsp_signing(cert: &Certificate) -> bool {
    matches!(
        cert.tbs_certificate.get::<ExtendedKeyUsage>(),
        Ok(Some((_, ExtendedKeyUsage(usages)))) if usages.contains(&ID_KP_OCSP_SIGNING)
    )
}

/// The answer held for `cert` issued by `issuer`, newest first.
pub(crate) fn status_of<'a>(
    held: &'a [HeldStatus],
    cert: &Certificate,
    issuer: &Certificate,
) -> Option<&'a HeldStatus> {
    let wanted = CertRef::of(cert, issuer);
    held.iter()
        .filter(|h| h.cert == wanted)
        .max_by_key(|h| h.this_update)
}

/// A revocation held for `cert` by its issuer's name alone (its issuer certificate not at
/// hand; the answer was checked against that issuer on import).
pub(crate) fn revoked_by_name<'a>(
    held: &'a [HeldStatus],
    cert: &Certificate,
) -> Option<&'a Revocation> {
    held.iter()
        .filter(|h| h.cert.names(cert))
        .find_map(|h| match &h.status {
            Status::Revoked(r) => Some(r),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_urls_carry_the_request_url_encoded() {
        let url = get_url("http://ocsp.example.org", &[0xfb, 0xff, 0x01]);
        assert_eq!(url, "http://ocsp.example.org/%2B%2F8B");
        assert_eq!(
            get_url("http://ocsp.example.org/", b"a"),
            "http://ocsp.example.org/YQ%3D%3D"
        );
    }

    #[test]
    fn what_is_not_an_ocsp_response_is_refused_with_a_code() {
        for junk in [&b""[..], b"\x30\x03\x0a\x01\x00", b"not ocsp", b"\x30\x80"] {
            let e = read_and_check(junk, &[], Time::from_unix(0)).err();
            assert!(e.is_some());
        }
        // tryLater: a successful-looking status is required.
        let e = read_and_check(b"\x30\x03\x0a\x01\x03", &[], Time::from_unix(0))
            .err()
            .map(|e| e.code());
        assert_eq!(e, Some(ErrorCode::BadInput));
    }
}

//! Certificate revocation lists (RFC 5280 §5, §6.3): the CRLs a keyring holds, and whether a
//! certificate is on one.
//!
//! mailseal does no I/O: the host fetches the CRLs that [`distribution_points`] names (the
//! keyring lists them as requests) and hands the bytes to `Keyring::import_crl`, which keeps a
//! CRL only when its signature verifies with a CA certificate of the keyring that may sign CRLs.
//! A certificate whose issuer's CRL lists its serial number is revoked, whatever the reason or
//! date: a signature by it is `revoked` and nothing is encrypted to it.
//!
//! Not handled, so refused at import rather than half-read: delta CRLs and CRLs scoped by an
//! issuing distribution point (both critical extensions), and indirect CRLs (entries naming
//! another issuer, a critical entry extension).

use std::collections::BTreeMap;

use const_oid::AssociatedOid;
use der::asn1::BitString;
use der::{Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::certificate::Version;
use x509_cert::crl::RevokedCert;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::DistributionPointName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, CrlDistributionPoints, CrlReason, KeyUsage, SubjectKeyIdentifier,
};
use x509_cert::ext::Extensions;
use x509_cert::name::Name;
use x509_cert::Certificate;

use super::cert::http_urls;
use super::signature;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::SignatureRules;
use crate::time::Time;

/// `CertificateList` (RFC 5280 §5.1) as x509-cert 0.2 declares it, but with the version
/// optional as the RFC has it: x509-cert 0.2.5 requires it, and refuses the v1 CRLs that CAs
/// without CRL extensions still publish (`openssl ca -gencrl` among them).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct CertificateList {
    tbs_cert_list: TbsCertList,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct TbsCertList {
    version: Option<Version>,
    signature: AlgorithmIdentifierOwned,
    issuer: Name,
    this_update: x509_cert::time::Time,
    next_update: Option<x509_cert::time::Time>,
    revoked_certificates: Option<Vec<RevokedCert>>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    crl_extensions: Option<Extensions>,
}

/// A CRL the keyring holds, read once.
#[derive(Clone)]
pub(crate) struct HeldCrl {
    /// The CRL as imported (sealed with the keyring).
    pub(crate) der: Vec<u8>,
    pub(crate) issuer: Name,
    /// The issuer's key identifier from the CRL's authority key identifier, when it has one.
    key_id: Option<Vec<u8>>,
    pub(crate) this_update: Time,
    pub(crate) next_update: Option<Time>,
    /// Revoked serial numbers (DER integer contents) → revocation date and reason.
    revoked: BTreeMap<Vec<u8>, Revocation>,
}

/// Why and since when a certificate is revoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Revocation {
    pub(crate) date: Time,
    pub(crate) reason: Option<&'static str>,
}

impl HeldCrl {
    /// Reads a CRL (DER) without checking its signature: for CRLs checked when imported.
    pub(crate) fn from_der(der: &[u8]) -> Result<HeldCrl> {
        let crl = CertificateList::from_der(der).map_err(|_| {
            Error::new(
                ErrorCode::UnsupportedFormat,
                "This is not a certificate revocation list (X.509 CRL).",
            )
        })?;
        let tbs = &crl.tbs_cert_list;
        let mut key_id = None;
        for ext in tbs.crl_extensions.iter().flatten() {
            if ext.extn_id == AuthorityKeyIdentifier::OID {
                key_id = AuthorityKeyIdentifier::from_der(ext.extn_value.as_bytes())
                    .ok()
                    .and_then(|aki| aki.key_identifier)
                    .map(|k| k.as_bytes().to_vec());
            } else if ext.critical {
                // Delta CRLs, issuing distribution points: a CRL that says "I am only part of
                // the picture" in a way mailseal does not read.
                return Err(Error::new(
                    ErrorCode::UnsupportedFormat,
                    "This CRL is a delta CRL or covers only part of its issuer's certificates; \
                     mailseal reads complete CRLs only.",
                ));
            }
        }
        let mut revoked = BTreeMap::new();
        for entry in tbs.revoked_certificates.iter().flatten() {
            let mut reason = None;
            for ext in entry.crl_entry_extensions.iter().flatten() {
                if ext.extn_id == CrlReason::OID {
                    reason = CrlReason::from_der(ext.extn_value.as_bytes())
                        .ok()
                        .map(reason_name);
                } else if ext.critical {
                    return Err(Error::new(
                        ErrorCode::UnsupportedFormat,
                        "This CRL lists certificates of other issuers (an indirect CRL); \
                         mailseal does not read those.",
                    ));
                }
            }
            revoked.insert(
                entry.serial_number.as_bytes().to_vec(),
                Revocation {
                    date: Time::from_x509(&entry.revocation_date),
                    reason,
                },
            );
        }
        Ok(HeldCrl {
            der: der.to_vec(),
            issuer: tbs.issuer.clone(),
            key_id,
            this_update: Time::from_x509(&tbs.this_update),
            next_update: tbs.next_update.as_ref().map(Time::from_x509),
            revoked,
        })
    }

    /// Whether this CRL speaks for certificates issued by `issuer`: the same name, the same
    /// key identifier when both say it, and signed by `issuer`'s key. The name alone is not
    /// enough: another CA can bear the same name (one fetched from a message's AIA pointer,
    /// say), and its CRL must neither revoke this CA's certificates nor stand in for this
    /// CA's own CRL (found by a sweep; openssl says "CRL signature failure").
    pub(crate) fn is_from(&self, issuer: &Certificate) -> bool {
        if issuer.tbs_certificate.subject != self.issuer {
            return false;
        }
        let same_id = match (&self.key_id, subject_key_id(issuer)) {
            (Some(crl), Some(ca)) => *crl == ca,
            _ => true,
        };
        same_id && self.signed_by(issuer)
    }

    /// Whether `ca` may sign CRLs and this CRL's signature verifies with its key.
    pub(crate) fn signed_by(&self, ca: &Certificate) -> bool {
        let Ok(crl) = CertificateList::from_der(&self.der) else {
            return false;
        };
        let (Ok(tbs), Some(sig)) = (crl.tbs_cert_list.to_der(), crl.signature.as_bytes()) else {
            return false;
        };
        may_sign_crls(ca)
            && signature::verify(
                &ca.tbs_certificate.subject_public_key_info,
                &crl.signature_algorithm,
                None,
                &tbs,
                sig,
                &SignatureRules::default(),
            )
            .is_ok()
    }

    /// Whether the CRL is past its nextUpdate at `now` (time to fetch a newer one).
    pub(crate) fn is_stale(&self, now: Time) -> bool {
        self.next_update.is_some_and(|next| next < now)
    }

    /// How many certificates it revokes.
    pub(crate) fn len(&self) -> usize {
        self.revoked.len()
    }
}

/// Reads a CRL (PEM `X509 CRL` or DER) and checks its signature with a CA certificate among
/// `candidates` (same name, may sign CRLs, signature verifies).
///
/// Errors: `unsupported_format` for what is not a CRL or a kind mailseal does not read,
/// `certificate_missing` when no candidate is its issuer, `bad_input` when the signature does
/// not verify with any.
pub(crate) fn read_and_check<'a>(
    data: &[u8],
    candidates: impl Iterator<Item = &'a Certificate>,
) -> Result<(HeldCrl, &'a Certificate)> {
    let der = if data.starts_with(b"-----BEGIN") {
        let (label, der) = der::pem::decode_vec(data).map_err(|_| {
            Error::new(
                ErrorCode::UnsupportedFormat,
                "The PEM block could not be read.",
            )
        })?;
        if label != "X509 CRL" {
            return Err(Error::new(
                ErrorCode::UnsupportedFormat,
                format!("A PEM \"{label}\" block is not a CRL (\"X509 CRL\")."),
            ));
        }
        der
    } else {
        data.to_vec()
    };
    let held = HeldCrl::from_der(&der)?;
    let crl = CertificateList::from_der(&der).map_err(|_| Error::internal("CRL re-read"))?;
    if crl.signature.as_bytes().is_none() {
        return Err(Error::new(
            ErrorCode::BadInput,
            "The CRL's signature is malformed.",
        ));
    }
    let mut named = false;
    for ca in candidates {
        if ca.tbs_certificate.subject != held.issuer {
            continue;
        }
        named = true;
        if held.is_from(ca) {
            return Ok((held, ca));
        }
    }
    Err(if named {
        Error::new(
            ErrorCode::BadInput,
            "The CRL's signature does not verify with its issuer's certificate: it was changed \
             or made by someone else.",
        )
    } else {
        Error::new(
            ErrorCode::CertificateMissing,
            "The CRL's issuer is not in the keyring: import its CA certificate first.",
        )
    })
}

/// Whether `cert`, issued by `issuer`, is on one of `crls`.
pub(crate) fn revoked<'a>(
    crls: &'a [HeldCrl],
    cert: &Certificate,
    issuer: &Certificate,
) -> Option<&'a Revocation> {
    let serial = cert.tbs_certificate.serial_number.as_bytes();
    crls.iter()
        .filter(|crl| crl.is_from(issuer))
        .find_map(|crl| crl.revoked.get(serial))
}

/// Whether `cert` is on a CRL of its issuer by name alone (for certificates whose issuer
/// certificate is not at hand: the CRL was checked against a CA of that name on import).
pub(crate) fn revoked_by_name<'a>(
    crls: &'a [HeldCrl],
    cert: &Certificate,
) -> Option<&'a Revocation> {
    let serial = cert.tbs_certificate.serial_number.as_bytes();
    let aki = authority_key_id(cert);
    crls.iter()
        .filter(|crl| crl.issuer == cert.tbs_certificate.issuer)
        .filter(|crl| match (&crl.key_id, &aki) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        })
        .find_map(|crl| crl.revoked.get(serial))
}

/// The http(s) URLs of `cert`'s CRL distribution points.
pub(crate) fn distribution_points(cert: &Certificate) -> Vec<String> {
    let Ok(Some((_, CrlDistributionPoints(points)))) =
        cert.tbs_certificate.get::<CrlDistributionPoints>()
    else {
        return Vec::new();
    };
    http_urls(
        points
            .iter()
            .filter_map(|p: &DistributionPoint| match &p.distribution_point {
                Some(DistributionPointName::FullName(names)) => Some(names),
                _ => None,
            })
            .flatten(),
    )
}

/// A CA certificate may sign CRLs unless its key usage says otherwise.
fn may_sign_crls(ca: &Certificate) -> bool {
    match ca.tbs_certificate.get::<KeyUsage>() {
        Ok(Some((_, ku))) => ku.crl_sign(),
        Ok(None) => true,
        Err(_) => false,
    }
}

fn subject_key_id(cert: &Certificate) -> Option<Vec<u8>> {
    match cert.tbs_certificate.get::<SubjectKeyIdentifier>() {
        Ok(Some((_, ski))) => Some(ski.0.as_bytes().to_vec()),
        _ => None,
    }
}

fn authority_key_id(cert: &Certificate) -> Option<Vec<u8>> {
    match cert.tbs_certificate.get::<AuthorityKeyIdentifier>() {
        Ok(Some((_, aki))) => aki.key_identifier.map(|k| k.as_bytes().to_vec()),
        _ => None,
    }
}

pub(crate) fn reason_name(reason: CrlReason) -> &'static str {
    match reason {
        CrlReason::Unspecified => "unspecified",
        CrlReason::KeyCompromise => "key compromise",
        CrlReason::CaCompromise => "CA compromise",
        CrlReason::AffiliationChanged => "affiliation changed",
        CrlReason::Superseded => "superseded",
        CrlReason::CessationOfOperation => "cessation of operation",
        CrlReason::CertificateHold => "certificate hold",
        CrlReason::RemoveFromCRL => "removed from CRL",
        CrlReason::PrivilegeWithdrawn => "privilege withdrawn",
        CrlReason::AaCompromise => "AA compromise",
    }
}

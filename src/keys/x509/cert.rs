//! What one certificate says by itself, for the path search (`chain`), OCSP (`ocsp`), CRLs
//! (`revocation`) and the S/MIME writers (`sign`, `encrypt`): its validity at a time, whether an
//! issuer's key signed it, its issuer-and-serial-number, and the http(s) URLs among names.

use cms::cert::IssuerAndSerialNumber;
use der::Encode;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::Certificate;

use super::signature;
use crate::policy::SignatureRules;
use crate::time::Time;

/// Whether `cert` is within its validity at `now`.
pub(crate) fn valid_at(cert: &Certificate, now: Time) -> bool {
    let v = &cert.tbs_certificate.validity;
    Time::from_x509(&v.not_before) <= now && now <= Time::from_x509(&v.not_after)
}

/// Whether `issuer`'s key signed `cert`. Certification paths are judged by the safe floor of
/// the signature rules, not by a stricter policy (which governs message signatures).
pub(crate) fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    check_signed_by(cert, issuer).is_ok()
}

/// [`signed_by`], with why not: a refused algorithm (`WeakHash`, `WeakKey`) is told apart from
/// a signature that does not verify.
pub(crate) fn check_signed_by(
    cert: &Certificate,
    issuer: &Certificate,
) -> Result<(), signature::SigFail> {
    let tbs = cert
        .tbs_certificate
        .to_der()
        .map_err(|_| signature::SigFail::Bad)?;
    let sig = cert.signature.as_bytes().ok_or(signature::SigFail::Bad)?;
    signature::verify(
        &issuer.tbs_certificate.subject_public_key_info,
        &cert.signature_algorithm,
        None,
        &tbs,
        sig,
        &SignatureRules::default(),
    )
}

/// The certificate's issuer and serial number, as CMS names a certificate (RFC 5652 §10.2.4).
pub(crate) fn issuer_serial(cert: &Certificate) -> IssuerAndSerialNumber {
    IssuerAndSerialNumber {
        issuer: cert.tbs_certificate.issuer.clone(),
        serial_number: cert.tbs_certificate.serial_number.clone(),
    }
}

/// The http(s) URIs among `names` (where a CRL or OCSP answer can be fetched); other schemes
/// (ldap:, file:) are left out.
pub(crate) fn http_urls<'a>(names: impl IntoIterator<Item = &'a GeneralName>) -> Vec<String> {
    names
        .into_iter()
        .filter_map(|n| match n {
            GeneralName::UniformResourceIdentifier(uri) => Some(uri.to_string()),
            _ => None,
        })
        .filter(|uri| {
            let lower = uri.to_ascii_lowercase();
            lower.starts_with("http://") || lower.starts_with("https://")
        })
        .collect()
}

//! One certificate on its own: within its validity, signed by a given issuer's key (what the
//! path, CRL and OCSP checks all ask).

use der::Encode;
use x509_cert::Certificate;

use super::signature;
use crate::time::Time;

/// Whether `cert` is within its validity at `now`.
pub(crate) fn valid_at(cert: &Certificate, now: Time) -> bool {
    let v = &cert.tbs_certificate.validity;
    Time::from_x509(&v.not_before) <= now && now <= Time::from_x509(&v.not_after)
}

/// Whether `issuer`'s key signed `cert`.
pub(crate) fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    let Ok(tbs) = cert.tbs_certificate.to_der() else {
        return false;
    };
    let Some(sig) = cert.signature.as_bytes() else {
        return false;
    };
    signature::verify(
        &issuer.tbs_certificate.subject_public_key_info,
        &cert.signature_algorithm,
        None,
        &tbs,
        sig,
    )
    .is_ok()
}

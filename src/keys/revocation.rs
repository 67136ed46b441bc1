//! Revocation of S/MIME certificates as the keyring knows it: the CRLs and OCSP answers the
//! host fetched (mailseal does no I/O), what to fetch next, and whether a certification path
//! was checked.
//!
//! The host asks [`Keyring::revocation_requests`] (the keyring's certificates) or reads
//! `Opened::revocation_requests` (the signer of a message it just opened), fetches each URL
//! and hands the answer back with [`Keyring::import_revocation`]. Answers are checked against
//! the issuing CA before they count (x509/revocation.rs for CRLs, x509/ocsp.rs for OCSP).
//! CRLs are sealed with the keyring; OCSP answers live for hours, so they are held in memory
//! only, for the life of the keyring object.

use serde::Serialize;

use super::{AuditEvent, Keyring};
use crate::error::{Error, Result};
use crate::report::Method;
#[cfg(feature = "smime")]
use crate::report::RevocationRequestReason;
use crate::report::{RevocationKind, RevocationRequest};
use crate::time::Time;

#[cfg(feature = "smime")]
use super::x509::{ocsp, revocation};
#[cfg(feature = "smime")]
use x509_cert::Certificate;

#[cfg(feature = "smime")]
fn crl_info(crl: &revocation::HeldCrl, now: Time) -> CrlInfo {
    CrlInfo {
        issuer: crl.issuer.to_string(),
        this_update: crl.this_update.to_rfc3339(),
        next_update: crl.next_update.map(Time::to_rfc3339),
        revoked: crl.len(),
        stale: crl.is_stale(now),
    }
}

/// A certificate revocation list the keyring holds ([`Keyring::import_crl`]).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrlInfo {
    /// The issuing CA (RFC 4514).
    pub issuer: String,
    /// thisUpdate, RFC 3339.
    pub this_update: String,
    /// nextUpdate, RFC 3339, when the CRL names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_update: Option<String>,
    /// How many certificates it revokes.
    pub revoked: usize,
    /// Past its nextUpdate: a newer one should be fetched (its revocations still count).
    pub stale: bool,
}

/// What an OCSP responder said about one certificate ([`Keyring::import_ocsp`]).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OcspInfo {
    /// The certificate's issuer (RFC 4514).
    pub issuer: String,
    /// The certificate's serial number, hex.
    pub serial: String,
    /// `good`, `revoked` or `unknown` (the responder does not know the certificate).
    pub status: OcspStatus,
    /// thisUpdate, RFC 3339.
    pub this_update: String,
    /// Until when the answer counts (its nextUpdate, or 24 hours after thisUpdate).
    pub current_until: String,
    /// When it was revoked, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    /// Why, when the responder says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// An OCSP certificate status.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OcspStatus {
    /// Not revoked.
    Good,
    /// Revoked.
    Revoked,
    /// The responder does not know the certificate: its revocation is not checked.
    Unknown,
}

#[cfg(feature = "smime")]
fn ocsp_info(held: &ocsp::HeldStatus) -> OcspInfo {
    let (status, revoked_at, reason) = match &held.status {
        ocsp::Status::Good => (OcspStatus::Good, None, None),
        ocsp::Status::Unknown => (OcspStatus::Unknown, None, None),
        ocsp::Status::Revoked(r) => (
            OcspStatus::Revoked,
            Some(r.date.to_rfc3339()),
            r.reason.map(str::to_string),
        ),
    };
    OcspInfo {
        issuer: held.issuer.clone(),
        serial: hex::encode(held.cert.serial()),
        status,
        this_update: held.this_update.to_rfc3339(),
        current_until: held.current_until.to_rfc3339(),
        revoked_at,
        reason,
    }
}

/// What [`Keyring::import_revocation`] kept.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevocationImported {
    /// The kind of answer.
    pub kind: RevocationKind,
    /// The CRL, for a CRL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crl: Option<CrlInfo>,
    /// The statuses, for an OCSP answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub ocsp: Vec<OcspInfo>,
    /// The ids of the CA certificates kept, for an issuer answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub certificates: Vec<String>,
}

/// Whether a certification path's revocation was checked ([`Keyring::revocation_coverage`]).
#[cfg(feature = "smime")]
pub(crate) struct Coverage {
    pub(crate) check: crate::report::RevocationCheck,
    /// What to fetch to check the links that were not.
    pub(crate) requests: Vec<RevocationRequest>,
}

#[cfg(not(feature = "smime"))]
fn not_smime(what: &str) -> Error {
    crate::features::not_enabled_error(Method::Smime, what)
}

impl Keyring {
    /// Imports a certificate revocation list (PEM `X509 CRL` or DER) the host fetched: kept
    /// when its signature verifies with a CA certificate of the keyring that may sign CRLs,
    /// replacing an older CRL of the same CA. From then on a certificate it lists is revoked:
    /// signatures by it are `revoked`, nothing is encrypted to it, the list says so.
    ///
    /// Errors: `unsupported_format` (not a CRL, or a delta / partial / indirect CRL),
    /// `certificate_missing` (its CA is not in the keyring), `bad_input` (the signature does
    /// not verify), `standard_not_enabled` in a build without S/MIME. Logged as `import_crl`.
    pub fn import_crl(&mut self, data: &[u8], now: Time) -> Result<CrlInfo> {
        let result = self.add_crl(data, None, now);
        self.log_revocation("import_crl", &result, now);
        result
    }

    /// Imports an OCSP response (DER) the host fetched for a [`RevocationRequest`]: kept when
    /// the certificate's issuer in the keyring (or a responder it delegated) signed it and it
    /// is current. A `revoked` answer makes the certificate revoked everywhere, as a CRL does;
    /// `good` and `unknown` answers say whether its revocation was checked, until they expire.
    ///
    /// Errors: `unsupported_format` (not an OCSP response), `certificate_missing` (the issuer
    /// is not in the keyring: use [`Keyring::import_revocation`] with the request), `bad_input`
    /// (no status given, wrongly signed, from the future or out of date). Logged as
    /// `import_ocsp`.
    pub fn import_ocsp(&mut self, data: &[u8], now: Time) -> Result<Vec<OcspInfo>> {
        let result = self.add_ocsp(data, None, now);
        self.log_revocation("import_ocsp", &result, now);
        result
    }

    /// Imports the answer to `request` (one of [`Keyring::revocation_requests`] or
    /// `Opened::revocation_requests`): a CRL or an OCSP response as the request's kind says,
    /// checked against the issuer certificate the request carries when the keyring does not
    /// hold it. Errors as for [`Keyring::import_crl`] and [`Keyring::import_ocsp`].
    pub fn import_revocation(
        &mut self,
        request: &RevocationRequest,
        answer: &[u8],
        now: Time,
    ) -> Result<RevocationImported> {
        let issuer = request.issuer_certificate.as_deref();
        match request.kind {
            RevocationKind::Crl => {
                let result = self.add_crl(answer, issuer, now);
                self.log_revocation("import_crl", &result, now);
                Ok(RevocationImported {
                    kind: RevocationKind::Crl,
                    crl: Some(result?),
                    ocsp: Vec::new(),
                    certificates: Vec::new(),
                })
            }
            RevocationKind::Ocsp => {
                let result = self.add_ocsp(answer, issuer, now);
                self.log_revocation("import_ocsp", &result, now);
                Ok(RevocationImported {
                    kind: RevocationKind::Ocsp,
                    crl: None,
                    ocsp: result?,
                    certificates: Vec::new(),
                })
            }
            RevocationKind::Issuer => {
                let result = self.add_issuer(request.certificate.as_deref(), answer, now);
                self.log_revocation("import_issuer", &result, now);
                Ok(RevocationImported {
                    kind: RevocationKind::Issuer,
                    crl: None,
                    ocsp: Vec::new(),
                    certificates: result?,
                })
            }
        }
    }

    fn log_revocation<T>(&mut self, action: &str, result: &Result<T>, now: Time) {
        let mut event = AuditEvent::key_management(now, action, &[]);
        event.method = Some(Method::Smime.as_str().to_string());
        if let Err(e) = result {
            event.outcome = "error".to_string();
            event.code = Some(e.code().as_str().to_string());
        }
        self.record(event);
    }

    /// The CA certificates an answer may be checked against: the keyring's CAs and anchors,
    /// and `extra` (an issuer certificate a request carried).
    #[cfg(feature = "smime")]
    fn answer_issuers(
        &self,
        extra: Option<&[u8]>,
    ) -> Result<(Vec<&Certificate>, Option<Certificate>)> {
        use crate::error::ErrorCode;
        use der::Decode;
        let extra = match extra {
            Some(der) => Some(Certificate::from_der(der).map_err(|_| {
                Error::new(
                    ErrorCode::BadInput,
                    "The request's issuer certificate could not be read.",
                )
            })?),
            None => None,
        };
        let held = self
            .smime_entries()
            .filter(|e| e.is_ca() || e.trusted())
            .map(|e| e.certificate())
            .collect();
        Ok((held, extra))
    }

    #[cfg(feature = "smime")]
    fn add_crl(&mut self, data: &[u8], extra: Option<&[u8]>, now: Time) -> Result<CrlInfo> {
        let (mut issuers, extra) = self.answer_issuers(extra)?;
        issuers.extend(extra.as_ref());
        let (held, signer) = revocation::read_and_check(data, issuers.into_iter())?;
        // It replaces the CRL its own CA signed before, never one of another CA of that name.
        let at = self
            .crls
            .iter()
            .position(|c| c.issuer == held.issuer && c.signed_by(signer));
        let at = match at {
            // An older copy (a replay, or a cache behind) never replaces a newer one.
            Some(i) if self.crls[i].this_update > held.this_update => i,
            Some(i) => {
                self.crls[i] = held;
                i
            }
            None => {
                self.crls.push(held);
                self.crls.len() - 1
            }
        };
        Ok(crl_info(&self.crls[at], now))
    }

    #[cfg(not(feature = "smime"))]
    fn add_crl(&mut self, _data: &[u8], _extra: Option<&[u8]>, _now: Time) -> Result<CrlInfo> {
        Err(not_smime("Revocation lists are for S/MIME certificates:"))
    }

    /// Keeps the CA certificates of `answer` that issued `child` (never as trust anchors).
    #[cfg(feature = "smime")]
    fn add_issuer(
        &mut self,
        child: Option<&[u8]>,
        answer: &[u8],
        now: Time,
    ) -> Result<Vec<String>> {
        use crate::error::ErrorCode;
        use der::Decode;
        let child = child
            .and_then(|der| Certificate::from_der(der).ok())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::BadInput,
                    "The request does not carry the certificate whose issuer was asked for.",
                )
            })?;
        let found = super::import::parse_any(answer, &super::ImportOptions::default(), self)?;
        let mut kept = Vec::new();
        for entry in found {
            #[allow(irrefutable_let_patterns)] // an S/MIME-only build has no other kind
            let super::Entry::Smime(ca) = entry
            else {
                continue;
            };
            let cert = ca.certificate();
            if ca.is_ca()
                && cert.tbs_certificate.subject == child.tbs_certificate.issuer
                && super::x509::cert::signed_by(&child, cert)
            {
                kept.push(self.merge(super::Entry::Smime(ca)));
            }
        }
        if kept.is_empty() {
            return Err(Error::new(
                ErrorCode::CertificateMissing,
                "The answer holds no CA certificate that issued the certificate asked about.",
            ));
        }
        let _ = now;
        Ok(kept)
    }

    #[cfg(not(feature = "smime"))]
    fn add_issuer(
        &mut self,
        _child: Option<&[u8]>,
        _answer: &[u8],
        _now: Time,
    ) -> Result<Vec<String>> {
        Err(not_smime("Issuer certificates are for S/MIME:"))
    }

    #[cfg(feature = "smime")]
    fn add_ocsp(&mut self, data: &[u8], extra: Option<&[u8]>, now: Time) -> Result<Vec<OcspInfo>> {
        let (mut issuers, extra) = self.answer_issuers(extra)?;
        issuers.extend(extra.as_ref());
        let statuses = ocsp::read_and_check(data, &issuers, now)?;
        let mut out = Vec::new();
        for status in statuses {
            out.push(ocsp_info(&status));
            match self.ocsp.iter().position(|h| h.cert == status.cert) {
                // An older answer (a replay) never replaces a newer one.
                Some(i) if self.ocsp[i].this_update > status.this_update => {}
                Some(i) => self.ocsp[i] = status,
                None => self.ocsp.push(status),
            }
        }
        Ok(out)
    }

    #[cfg(not(feature = "smime"))]
    fn add_ocsp(
        &mut self,
        _data: &[u8],
        _extra: Option<&[u8]>,
        _now: Time,
    ) -> Result<Vec<OcspInfo>> {
        Err(not_smime("OCSP is for S/MIME certificates:"))
    }

    /// The CRLs the keyring holds.
    pub fn crls(&self, now: Time) -> Vec<CrlInfo> {
        #[cfg(feature = "smime")]
        return self.crls.iter().map(|c| crl_info(c, now)).collect();
        #[cfg(not(feature = "smime"))]
        {
            let _ = now;
            Vec::new()
        }
    }

    /// The OCSP answers the keyring holds (in memory, not sealed).
    pub fn ocsp_statuses(&self) -> Vec<OcspInfo> {
        #[cfg(feature = "smime")]
        return self.ocsp.iter().map(ocsp_info).collect();
        #[cfg(not(feature = "smime"))]
        Vec::new()
    }

    /// What the host should fetch now for the keyring's certificates (trust anchors
    /// excepted): an OCSP answer for a certificate whose issuer is in the keyring and that
    /// names a responder, when none is current; otherwise its CA's CRL from its http(s)
    /// distribution points, when none is held or the one held is past its nextUpdate. One
    /// request per URL.
    pub fn revocation_requests(&self, now: Time) -> Vec<RevocationRequest> {
        #[cfg(not(feature = "smime"))]
        {
            let _ = now;
            Vec::new()
        }
        #[cfg(feature = "smime")]
        {
            let mut out: Vec<RevocationRequest> = Vec::new();
            for e in self.smime_entries().filter(|e| !e.trusted()) {
                let cert = e.certificate();
                let issuer = self.smime_entries().map(|i| i.certificate()).find(|i| {
                    i.tbs_certificate.subject == cert.tbs_certificate.issuer
                        && i != &cert
                        && super::x509::cert::signed_by(cert, i)
                });
                for request in self.link_requests(cert, issuer, false, now) {
                    if !out.iter().any(|r| r.url == request.url) {
                        out.push(request);
                    }
                }
            }
            out
        }
    }

    /// What to fetch to check `cert`'s revocation (issued by `issuer`, when known; its
    /// certificate is carried in the request when `carry` says the keyring lacks it).
    #[cfg(feature = "smime")]
    fn link_requests(
        &self,
        cert: &Certificate,
        issuer: Option<&Certificate>,
        carry: bool,
        now: Time,
    ) -> Vec<RevocationRequest> {
        use der::Encode;
        let issuer_der = || issuer.filter(|_| carry).and_then(|i| i.to_der().ok());
        if let Some(issuer) = issuer {
            let responders = ocsp::responder_urls(cert);
            if !responders.is_empty() {
                if ocsp::status_of(&self.ocsp, cert, issuer).is_some_and(|h| h.is_current(now)) {
                    return Vec::new();
                }
                let Ok(body) = ocsp::request(cert, issuer) else {
                    return Vec::new();
                };
                return responders
                    .into_iter()
                    .map(|responder| RevocationRequest {
                        kind: RevocationKind::Ocsp,
                        url: ocsp::get_url(&responder, &body),
                        issuer: cert.tbs_certificate.issuer.to_string(),
                        reason: RevocationRequestReason::Missing,
                        subject: Some(cert.tbs_certificate.subject.to_string()),
                        responder: Some(responder),
                        body: Some(body.clone()),
                        certificate: None,
                        issuer_certificate: issuer_der(),
                    })
                    .collect();
            }
        }
        let held = self
            .crls
            .iter()
            .filter(|c| c.issuer == cert.tbs_certificate.issuer)
            .max_by_key(|c| c.this_update);
        let reason = match held {
            None => RevocationRequestReason::Missing,
            Some(c) if c.is_stale(now) => RevocationRequestReason::Stale,
            Some(_) => return Vec::new(),
        };
        revocation::distribution_points(cert)
            .into_iter()
            .map(|url| RevocationRequest {
                kind: RevocationKind::Crl,
                url,
                issuer: cert.tbs_certificate.issuer.to_string(),
                reason,
                subject: None,
                responder: None,
                body: None,
                certificate: None,
                issuer_certificate: issuer_der(),
            })
            .collect()
    }

    /// Whether the revocation of each certificate on `path` (leaf first, trust anchor last)
    /// was checked at `now`: a current OCSP answer or a current CRL of its issuer. A link
    /// whose certificate names no CRL or OCSP responder cannot be checked and does not count
    /// against the path; one that names them but has nothing current does, with the requests
    /// that would check it.
    #[cfg(feature = "smime")]
    pub(crate) fn revocation_coverage(&self, path: &[&Certificate], now: Time) -> Coverage {
        use crate::report::RevocationCheck;
        let (mut checked, mut unchecked) = (false, false);
        let mut requests: Vec<RevocationRequest> = Vec::new();
        for pair in path.windows(2) {
            let (cert, issuer) = (pair[0], pair[1]);
            // A current "unknown" answer checks nothing, but is not asked for again.
            let answered = ocsp::status_of(&self.ocsp, cert, issuer).filter(|h| h.is_current(now));
            if answered.is_some_and(|h| h.status == ocsp::Status::Good) {
                checked = true;
                continue;
            }
            if self
                .crls
                .iter()
                .any(|c| c.is_from(issuer) && !c.is_stale(now))
            {
                checked = true;
                continue;
            }
            if ocsp::responder_urls(cert).is_empty()
                && revocation::distribution_points(cert).is_empty()
            {
                continue;
            }
            unchecked = true;
            let carry = !self.smime_entries().any(|e| e.certificate() == issuer);
            for request in self.link_requests(cert, Some(issuer), carry, now) {
                if !requests.iter().any(|r| r.url == request.url) {
                    requests.push(request);
                }
            }
        }
        let check = if unchecked {
            RevocationCheck::Unchecked
        } else if checked {
            RevocationCheck::Good
        } else {
            RevocationCheck::NoSource
        };
        Coverage { check, requests }
    }

    /// What to fetch to complete a path that stops at `cert` (its issuer is nowhere at hand):
    /// its AIA caIssuers locations.
    #[cfg(feature = "smime")]
    pub(crate) fn issuer_requests(&self, cert: &Certificate) -> Vec<RevocationRequest> {
        use der::Encode;
        let Ok(der) = cert.to_der() else {
            return Vec::new();
        };
        ocsp::ca_issuer_urls(cert)
            .into_iter()
            .map(|url| RevocationRequest {
                kind: RevocationKind::Issuer,
                url,
                issuer: cert.tbs_certificate.issuer.to_string(),
                reason: RevocationRequestReason::Missing,
                subject: Some(cert.tbs_certificate.subject.to_string()),
                responder: None,
                body: None,
                certificate: Some(der.clone()),
                issuer_certificate: None,
            })
            .collect()
    }

    /// The revocation of an S/MIME certificate by a CRL or an OCSP answer the keyring holds.
    /// A CRL counts only when the CA certificate that signed it also signed `cert`, when the
    /// keyring holds a CA of that name (another CA can bear the same name); by name alone
    /// otherwise (the CRL was checked against such a CA when it was imported).
    #[cfg(feature = "smime")]
    pub(crate) fn revocation_of(&self, cert: &Certificate) -> Option<&revocation::Revocation> {
        let issuer_name = &cert.tbs_certificate.issuer;
        // No CRL of that issuer's name: nothing to check (and no signature to verify on every
        // key choice: this runs for each recipient of each protect).
        if !self.crls.iter().any(|c| c.issuer == *issuer_name) {
            return ocsp::revoked_by_name(&self.ocsp, cert);
        }
        let mut named = self
            .smime_entries()
            .map(|e| e.certificate())
            .filter(|ca| ca.tbs_certificate.subject == *issuer_name)
            .peekable();
        let by_crl = if named.peek().is_none() {
            revocation::revoked_by_name(&self.crls, cert)
        } else {
            named
                .filter(|ca| crate::keys::x509::cert::signed_by(cert, ca))
                .find_map(|ca| revocation::revoked(&self.crls, cert, ca))
        };
        by_crl.or_else(|| ocsp::revoked_by_name(&self.ocsp, cert))
    }

    /// The CRLs held, for path validation.
    #[cfg(feature = "smime")]
    pub(crate) fn held_crls(&self) -> &[revocation::HeldCrl] {
        &self.crls
    }

    /// The OCSP answers held, for path validation.
    #[cfg(feature = "smime")]
    pub(crate) fn held_statuses(&self) -> &[ocsp::HeldStatus] {
        &self.ocsp
    }

    /// The CRLs as sealed (DER).
    pub(crate) fn crl_ders(&self) -> Vec<&[u8]> {
        #[cfg(feature = "smime")]
        return self.crls.iter().map(|c| c.der.as_slice()).collect();
        #[cfg(not(feature = "smime"))]
        return self.kept_crls.iter().map(Vec::as_slice).collect();
    }

    /// A CRL from a sealed keyring (checked when it was imported).
    pub(crate) fn restore_crl(&mut self, der: Vec<u8>) -> Result<()> {
        #[cfg(feature = "smime")]
        self.crls.push(revocation::HeldCrl::from_der(&der)?);
        #[cfg(not(feature = "smime"))]
        self.kept_crls.push(der);
        Ok(())
    }
}

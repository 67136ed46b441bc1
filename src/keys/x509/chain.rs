//! Certification path building and validation (RFC 5280 §6, the parts S/MIME needs).
//!
//! From the signer's certificate up to a trust anchor of the keyring (a certificate imported
//! as trusted), with intermediates from the message and the keyring. Each link: the issuer's
//! subject names the issuer, the issuer is a CA (basicConstraints, keyCertSign when keyUsage
//! is present, pathLenConstraint), its extendedKeyUsage, when present, allows e-mail
//! protection (as OpenSSL, NSS and CryptoAPI read it: a sub-CA constrained to TLS issues no
//! S/MIME identities), its signature verifies with an accepted algorithm, and the issuer is
//! valid at the time of judgement. Depth is bounded; several candidate issuers
//! (cross-certificates, re-keyed CAs) are each tried.
//!
//! Every certificate on the path has no critical extension mailseal does not process, and
//! each CA's name constraints hold for the certificates below it (`constraints`).
//!
//! Revocation: a link whose certificate is on its issuer's CRL held by the keyring, or that an
//! OCSP answer held by the keyring says is revoked, makes the path `Revoked` (`revocation`,
//! `ocsp`). mailseal fetches nothing: whether the path's revocation was checked at all is
//! judged afterwards over the path found (`revocation::coverage`).

use const_oid::db::rfc5280;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};
use x509_cert::Certificate;

use super::cert::{check_signed_by, signed_by, valid_at};
use super::constraints::{critical_extensions_known, names_within};
use super::ocsp::{self, HeldStatus, Status};
use super::revocation::{self, HeldCrl};
use super::signature::SigFail;
use crate::keys::Keyring;
use crate::time::Time;

/// Longest path tried (leaf, intermediates, anchor).
const MAX_DEPTH: usize = 8;
/// Most certificate signatures checked for one path search: a message can carry many
/// certificates with the same issuer name to make the search explode.
const MAX_SIGNATURE_CHECKS: usize = 64;

/// The outcome of path validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChainVerdict {
    /// A valid path to a trust anchor.
    Trusted,
    /// A path to a trust anchor exists, but a CA certificate on it is outside its validity.
    Expired,
    /// A path to a trust anchor exists only through a certificate with a critical extension
    /// mailseal does not process, or one outside a CA's name constraints.
    Constrained,
    /// A path to a trust anchor exists, but a certificate on it is on its issuer's CRL.
    Revoked,
    /// Towards a trust anchor, a certificate's signature uses an algorithm mailseal refuses
    /// (SHA-1, MD5, RSA under 2048 bits) or does not implement (Ed448, ...): whether
    /// its issuer made it is not checked.
    Weak,
    /// No path to a trust anchor.
    Untrusted,
}

/// May `issuer` issue certificates with `below` intermediates under it?
fn may_issue(issuer: &Certificate, below: usize, anchor: bool) -> bool {
    let tbs = &issuer.tbs_certificate;
    match tbs.get::<BasicConstraints>() {
        Ok(Some((_, bc))) => {
            if !bc.ca {
                return false;
            }
            if let Some(len) = bc.path_len_constraint {
                if below > usize::from(len) {
                    return false;
                }
            }
        }
        // A version 1 trust anchor has no extensions: trusted by the administrator.
        Ok(None) => {
            if !anchor {
                return false;
            }
        }
        Err(_) => return false,
    }
    let cert_sign = match tbs.get::<KeyUsage>() {
        Ok(Some((_, ku))) => ku.key_cert_sign(),
        Ok(None) => true,
        Err(_) => false,
    };
    cert_sign && issues_for_email(issuer)
}

/// A CA's extendedKeyUsage, when present, limits what it may issue for (RFC 5280 leaves this
/// open; OpenSSL's `smimesign` purpose, NSS and CryptoAPI all apply it, and the Web PKI's
/// "technically constrained" sub-CAs rely on it): e-mail protection, or any usage. Without
/// this, a TLS-only sub-CA under an anchor the desk trusts minted valid S/MIME signers for any
/// address (found by the interop sweep of 2026-12-07).
fn issues_for_email(ca: &Certificate) -> bool {
    match ca.tbs_certificate.get::<ExtendedKeyUsage>() {
        Ok(Some((_, ExtendedKeyUsage(usages)))) => usages.iter().any(|u| {
            *u == rfc5280::ID_KP_EMAIL_PROTECTION || *u == rfc5280::ANY_EXTENDED_KEY_USAGE
        }),
        Ok(None) => true,
        Err(_) => false,
    }
}

/// Validates the path from `leaf` (whose own validity the caller judges) at `now`: the
/// verdict, and for `Trusted` the path found (leaf first, anchor last).
pub(crate) fn validate<'a>(
    leaf: &'a Certificate,
    message_certs: &'a [Certificate],
    ring: &'a Keyring,
    now: Time,
) -> (ChainVerdict, Vec<&'a Certificate>) {
    let anchors: Vec<&Certificate> = ring
        .smime_entries()
        .filter(|e| e.trusted())
        .map(|e| e.certificate())
        .collect();
    let mut pool: Vec<&Certificate> = message_certs.iter().collect();
    pool.extend(ring.smime_entries().map(|e| e.certificate()));
    if !critical_extensions_known(leaf) {
        return (ChainVerdict::Constrained, Vec::new());
    }
    if anchors.contains(&leaf) {
        return (ChainVerdict::Trusted, vec![leaf]);
    }
    let mut budget = MAX_SIGNATURE_CHECKS;
    let search = Search {
        anchors: &anchors,
        pool: &pool,
        crls: ring.held_crls(),
        statuses: ring.held_statuses(),
        now,
    };
    let mut path = vec![leaf];
    let verdict = search.walk(&mut path, &mut budget);
    if verdict != ChainVerdict::Trusted {
        path.clear();
    }
    (verdict, path)
}

/// The certificate on the way up from `leaf` whose issuer is nowhere at hand (not in the
/// message, not in the keyring): where fetching its AIA caIssuers could complete the path.
/// `None` when the way up reaches a trust anchor, loops or goes too deep.
pub(crate) fn missing_issuer<'a>(
    leaf: &'a Certificate,
    message_certs: &'a [Certificate],
    ring: &'a Keyring,
) -> Option<&'a Certificate> {
    let known: Vec<(&Certificate, bool)> = ring
        .smime_entries()
        .map(|e| (e.certificate(), e.trusted()))
        .chain(message_certs.iter().map(|c| (c, false)))
        .collect();
    let mut current = leaf;
    let mut seen = vec![leaf];
    for _ in 0..MAX_DEPTH {
        if known.iter().any(|&(c, anchor)| anchor && c == current) {
            return None;
        }
        let issuer = known.iter().find(|&&(c, _)| {
            c.tbs_certificate.subject == current.tbs_certificate.issuer
                && c != current
                && signed_by(current, c)
        });
        match issuer {
            None => return Some(current),
            Some(&(_, true)) => return None,
            Some(&(next, false)) if seen.contains(&next) => return None,
            Some(&(next, false)) => {
                seen.push(next);
                current = next;
            }
        }
    }
    None
}

/// What a path search looks at: anchors, candidate issuers, the CRLs held, the time.
struct Search<'s, 'a> {
    anchors: &'s [&'a Certificate],
    pool: &'s [&'a Certificate],
    crls: &'a [HeldCrl],
    statuses: &'a [HeldStatus],
    now: Time,
}

impl<'a> Search<'_, 'a> {
    /// Extends `path` (leaf first; its last certificate is the one whose issuer is sought) up
    /// to a trust anchor: the best verdict of the candidate issuers. On `Trusted`, `path`
    /// holds the whole path, anchor last.
    fn walk(&self, path: &mut Vec<&'a Certificate>, budget: &mut usize) -> ChainVerdict {
        let (Some(&cert), below) = (path.last(), path.len() - 1) else {
            return ChainVerdict::Untrusted;
        };
        if below >= MAX_DEPTH {
            return ChainVerdict::Untrusted;
        }
        let issuer_name = &cert.tbs_certificate.issuer;
        let mut best = ChainVerdict::Untrusted;
        let candidates = self
            .anchors
            .iter()
            .map(|c| (*c, true))
            .chain(self.pool.iter().map(|c| (*c, false)));
        for (issuer, is_anchor) in candidates {
            if issuer.tbs_certificate.subject != *issuer_name || issuer == cert {
                continue;
            }
            if path.contains(&issuer) || !may_issue(issuer, below, is_anchor) {
                continue;
            }
            if *budget == 0 {
                break;
            }
            *budget -= 1;
            match check_signed_by(cert, issuer) {
                Ok(()) => {}
                Err(
                    SigFail::WeakHash(_)
                    | SigFail::WeakKey(..)
                    | SigFail::Unsupported(_)
                    | SigFail::PssMixedDigests(..),
                ) => {
                    if best == ChainVerdict::Untrusted {
                        best = ChainVerdict::Weak;
                    }
                    continue;
                }
                Err(_) => continue,
            }
            let verdict = if !critical_extensions_known(issuer) || !names_within(issuer, path) {
                ChainVerdict::Constrained
            } else if revocation::revoked(self.crls, cert, issuer).is_some()
                || ocsp::status_of(self.statuses, cert, issuer)
                    .is_some_and(|h| matches!(h.status, Status::Revoked(_)))
            {
                ChainVerdict::Revoked
            } else if is_anchor || self.anchors.contains(&issuer) {
                if valid_at(issuer, self.now) {
                    path.push(issuer);
                    return ChainVerdict::Trusted;
                }
                ChainVerdict::Trusted
            } else {
                path.push(issuer);
                let above = self.walk(path, budget);
                if above == ChainVerdict::Trusted && valid_at(issuer, self.now) {
                    return ChainVerdict::Trusted;
                }
                path.truncate(below + 1);
                above
            };
            let fresh = valid_at(issuer, self.now);
            best = match (verdict, fresh) {
                (ChainVerdict::Trusted, true) => return ChainVerdict::Trusted,
                // A revoked link outweighs every other failure: it is the CA's own word.
                (ChainVerdict::Revoked, _) => ChainVerdict::Revoked,
                _ if best == ChainVerdict::Revoked => best,
                (ChainVerdict::Trusted, false) | (ChainVerdict::Expired, _) => {
                    ChainVerdict::Expired
                }
                (ChainVerdict::Constrained | ChainVerdict::Weak, _)
                    if matches!(best, ChainVerdict::Untrusted | ChainVerdict::Weak) =>
                {
                    verdict
                }
                (ChainVerdict::Constrained | ChainVerdict::Weak | ChainVerdict::Untrusted, _) => {
                    best
                }
            };
        }
        best
    }
}

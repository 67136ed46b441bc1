//! What a certification path must honour besides signatures and validity (RFC 5280):
//!
//! - **critical extensions** (§4.2): a certificate with a critical extension mailseal does not
//!   process is refused, wherever it is on the path (leaf, intermediate, anchor). Processed:
//!   basicConstraints, keyUsage, extendedKeyUsage, subjectAltName, nameConstraints; also
//!   recognised as harmless when critical: certificatePolicies (any policy is accepted, as
//!   with openssl's defaults), the key identifiers, issuerAltName, the CRL/AIA/SIA pointers
//!   (revocation is not checked). policyMappings, policyConstraints and inhibitAnyPolicy are
//!   not processed, so critical they are refused.
//! - **name constraints** (§4.2.1.10, §6.1.4 (g)): a CA's permitted and excluded subtrees bind
//!   every certificate below it: e-mail addresses (rfc822Name and SmtpUTF8Mailbox in
//!   subjectAltName, the subject's emailAddress), DNS names and the subject's directory name. A constraint on a
//!   name form mailseal does not check (IP address, URI, other names) refuses a certificate
//!   below it that carries such a name. Self-issued intermediates are not checked (§6.1.3).

use const_oid::ObjectIdentifier;
use x509_cert::ext::pkix::constraints::name::{GeneralSubtrees, NameConstraints};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::name::Name;
use x509_cert::Certificate;

/// Extensions that may be critical (see the module docs).
const RECOGNISED: [&str; 12] = [
    "2.5.29.19",          // basicConstraints
    "2.5.29.15",          // keyUsage
    "2.5.29.37",          // extendedKeyUsage
    "2.5.29.17",          // subjectAltName
    "2.5.29.30",          // nameConstraints
    "2.5.29.32",          // certificatePolicies
    "2.5.29.14",          // subjectKeyIdentifier
    "2.5.29.35",          // authorityKeyIdentifier
    "2.5.29.18",          // issuerAltName
    "2.5.29.31",          // cRLDistributionPoints
    "1.3.6.1.5.5.7.1.1",  // authorityInfoAccess
    "1.3.6.1.5.5.7.1.11", // subjectInfoAccess
];

/// `emailAddress` in a distinguished name (PKCS #9).
const EMAIL_ADDRESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1");

/// id-on-SmtpUTF8Mailbox (RFC 9598, formerly RFC 8398): the subjectAltName otherName that
/// carries an internationalized address (a non-ASCII local part) as a UTF8String.
const SMTP_UTF8_MAILBOX: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.8.9");

/// The address of a SmtpUTF8Mailbox name, if `name` is one and its value is a UTF8String.
pub(crate) fn smtp_utf8_mailbox(name: &GeneralName) -> Option<String> {
    match name {
        GeneralName::OtherName(other) if other.type_id == SMTP_UTF8_MAILBOX => other
            .value
            .decode_as::<der::asn1::Utf8StringRef<'_>>()
            .ok()
            .map(|s| s.as_str().to_string()),
        _ => None,
    }
}

/// Whether every critical extension of `cert` is one mailseal processes or may ignore.
pub(super) fn critical_extensions_known(cert: &Certificate) -> bool {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .filter(|e| e.critical)
        .all(|e| RECOGNISED.iter().any(|oid| e.extn_id.to_string() == *oid))
}

/// Whether the names of every certificate in `below` (leaf first, up to the one `ca` issued)
/// are within `ca`'s name constraints. A constraints extension that does not decode refuses.
pub(super) fn names_within(ca: &Certificate, below: &[&Certificate]) -> bool {
    let constraints = match ca.tbs_certificate.get::<NameConstraints>() {
        Ok(Some((_, nc))) => nc,
        Ok(None) => return true,
        Err(_) => return false,
    };
    below.iter().enumerate().all(|(i, cert)| {
        // a self-issued CA certificate below is not checked; the leaf always is
        let tbs = &cert.tbs_certificate;
        if i > 0 && tbs.subject == tbs.issuer {
            return true;
        }
        match names_of(cert) {
            Some(names) => names.within(&constraints),
            None => false,
        }
    })
}

/// The names of a certificate that constraints apply to.
struct Names {
    subject: Name,
    alt: Vec<GeneralName>,
    subject_emails: Vec<String>,
}

/// `None` when its subjectAltName does not decode.
fn names_of(cert: &Certificate) -> Option<Names> {
    let tbs = &cert.tbs_certificate;
    let alt = match tbs.get::<SubjectAltName>() {
        Ok(Some((_, san))) => san.0,
        Ok(None) => Vec::new(),
        Err(_) => return None,
    };
    let subject_emails = tbs
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == EMAIL_ADDRESS)
        .filter_map(|atv| atv.value.decode_as::<der::asn1::Ia5String>().ok())
        .map(|s| s.to_string())
        .collect();
    Some(Names {
        subject: tbs.subject.clone(),
        alt,
        subject_emails,
    })
}

impl Names {
    fn within(&self, nc: &NameConstraints) -> bool {
        let empty = GeneralSubtrees::new();
        let permitted = nc.permitted_subtrees.as_ref().unwrap_or(&empty);
        let excluded = nc.excluded_subtrees.as_ref().unwrap_or(&empty);
        // RFC 9598 §6: rfc822Name constraints bind SmtpUTF8Mailbox addresses too. A non-ASCII
        // domain is not compared with them (A-labels against U-labels): refused when any
        // rfc822Name constraint exists, so an excluded domain cannot be passed in Unicode.
        let mailboxes: Vec<String> = self.alt.iter().filter_map(smtp_utf8_mailbox).collect();
        let speaks_of_email = permitted
            .iter()
            .chain(excluded)
            .any(|s| matches!(s.base, GeneralName::Rfc822Name(_)));
        let unicode_domain =
            |m: &String| crate::Address::domain_of(m).is_some_and(|d| !d.is_ascii());
        if speaks_of_email && mailboxes.iter().any(unicode_domain) {
            return false;
        }
        let emails = self
            .alt
            .iter()
            .filter_map(|n| match n {
                GeneralName::Rfc822Name(s) => Some(s.as_str()),
                _ => None,
            })
            .chain(mailboxes.iter().map(String::as_str))
            .chain(self.subject_emails.iter().map(String::as_str));
        for email in emails {
            if !form_ok(permitted, excluded, |base| match base {
                GeneralName::Rfc822Name(c) => Some(email_matches(c.as_str(), email)),
                _ => None,
            }) {
                return false;
            }
        }
        for name in &self.alt {
            let ok = match name {
                GeneralName::Rfc822Name(_) => true,                      // above
                mailbox if smtp_utf8_mailbox(mailbox).is_some() => true, // above
                GeneralName::DnsName(dns) => form_ok(permitted, excluded, |base| match base {
                    GeneralName::DnsName(c) => Some(dns_matches(c.as_str(), dns.as_str())),
                    _ => None,
                }),
                GeneralName::DirectoryName(dn) => directory_ok(permitted, excluded, dn),
                // other forms: refused if any constraint speaks of their form
                other => !permitted
                    .iter()
                    .chain(excluded)
                    .any(|s| same_form(&s.base, other)),
            };
            if !ok {
                return false;
            }
        }
        self.subject.0.is_empty() || directory_ok(permitted, excluded, &self.subject)
    }
}

fn directory_ok(permitted: &GeneralSubtrees, excluded: &GeneralSubtrees, dn: &Name) -> bool {
    form_ok(permitted, excluded, |base| match base {
        GeneralName::DirectoryName(c) => Some(dn.0.starts_with(&c.0)),
        _ => None,
    })
}

/// One name against the subtrees of its form: `matches` says whether a subtree's base is of
/// the name's form and, if so, whether the name lies in it. Within some permitted subtree of
/// the form (when there are any) and in no excluded one.
fn form_ok(
    permitted: &GeneralSubtrees,
    excluded: &GeneralSubtrees,
    matches: impl Fn(&GeneralName) -> Option<bool>,
) -> bool {
    let mut of_form = permitted.iter().filter_map(|s| matches(&s.base)).peekable();
    let permitted_ok = of_form.peek().is_none() || of_form.any(|m| m);
    permitted_ok && !excluded.iter().any(|s| matches(&s.base) == Some(true))
}

fn same_form(a: &GeneralName, b: &GeneralName) -> bool {
    core::mem::discriminant(a) == core::mem::discriminant(b)
}

/// rfc822Name constraints (§4.2.1.10): `user@host` one mailbox, `host` every address at that
/// host, `.example.com` every address in a subdomain. Hosts compare case-insensitively.
fn email_matches(constraint: &str, email: &str) -> bool {
    crate::Address::in_rfc822_constraint(constraint, email)
}

/// dNSName constraints: the host itself and every subdomain (`example.com` takes
/// `www.example.com`, not `badexample.com`); a leading dot takes subdomains only.
fn dns_matches(constraint: &str, dns: &str) -> bool {
    if constraint.is_empty() {
        return true;
    }
    if constraint.starts_with('.') {
        return ends_with_ignore_case(dns, constraint);
    }
    dns.eq_ignore_ascii_case(constraint) || ends_with_ignore_case(dns, &format!(".{constraint}"))
}

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.get(s.len() - suffix.len()..)
            .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc822_constraints_match_as_rfc_5280_says() {
        assert!(email_matches("example.com", "alice@example.com"));
        assert!(email_matches("example.com", "alice@EXAMPLE.com"));
        assert!(!email_matches("example.com", "alice@mail.example.com"));
        assert!(email_matches(".example.com", "alice@mail.example.com"));
        assert!(!email_matches(".example.com", "alice@example.com"));
        assert!(!email_matches(".example.com", "alice@badexample.com"));
        assert!(email_matches("alice@example.com", "alice@example.com"));
        assert!(!email_matches("alice@example.com", "bob@example.com"));
        assert!(!email_matches("example.com", "not-an-address"));
    }

    #[test]
    fn dns_constraints_take_the_host_and_its_subdomains() {
        assert!(dns_matches("example.com", "example.com"));
        assert!(dns_matches("example.com", "www.Example.com"));
        assert!(!dns_matches("example.com", "badexample.com"));
        assert!(dns_matches(".example.com", "www.example.com"));
        assert!(!dns_matches(".example.com", "example.com"));
        assert!(dns_matches("", "anything.example"));
    }
}

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
pub(crate) fn critical_extensions_known(cert: &Certificate) -> bool {
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

/// A certificate's e-mail addresses in key form ([`crate::Address::key_of`]), sorted and
/// unique: subjectAltName rfc822Name and SmtpUTF8Mailbox, and the subject's emailAddress in
/// any string type. The one list both the sender binding and the name constraints use, so a
/// constraint always sees the address a signature is bound to (found by a sweep: a UTF8String
/// emailAddress, a trailing space or capitals got past the constraints and still bound).
pub(crate) fn certificate_emails(cert: &Certificate) -> Vec<String> {
    let tbs = &cert.tbs_certificate;
    let mut emails = Vec::new();
    if let Ok(Some((_, san))) = tbs.get::<SubjectAltName>() {
        for name in &san.0 {
            if let GeneralName::Rfc822Name(m) = name {
                emails.push(crate::Address::key_of(m.as_str()));
            } else if let Some(m) = smtp_utf8_mailbox(name) {
                emails.push(crate::Address::key_of(&m));
            }
        }
    }
    for atv in tbs.subject.0.iter().flat_map(|rdn| rdn.0.iter()) {
        if atv.oid == EMAIL_ADDRESS {
            if let Some(value) = attribute_string(&atv.value) {
                emails.push(crate::Address::key_of(&value));
            }
        }
    }
    emails.retain(|m| !m.is_empty());
    emails.sort();
    emails.dedup();
    emails
}

/// A directory string attribute's text: IA5String, UTF8String or PrintableString.
pub(crate) fn attribute_string(value: &der::Any) -> Option<String> {
    use der::asn1::{Ia5String, PrintableString, Utf8StringRef};
    if let Ok(s) = value.decode_as::<Ia5String>() {
        return Some(s.to_string());
    }
    if let Ok(s) = value.decode_as::<Utf8StringRef<'_>>() {
        return Some(s.to_string());
    }
    if let Ok(s) = value.decode_as::<PrintableString>() {
        return Some(s.to_string());
    }
    None
}

/// The names of a certificate that constraints apply to.
struct Names {
    subject: Name,
    alt: Vec<GeneralName>,
    /// [`certificate_emails`].
    emails: Vec<String>,
}

/// `None` when its subjectAltName does not decode.
fn names_of(cert: &Certificate) -> Option<Names> {
    let tbs = &cert.tbs_certificate;
    let alt = match tbs.get::<SubjectAltName>() {
        Ok(Some((_, san))) => san.0,
        Ok(None) => Vec::new(),
        Err(_) => return None,
    };
    Some(Names {
        subject: tbs.subject.clone(),
        alt,
        emails: certificate_emails(cert),
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
        for email in &self.emails {
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
        GeneralName::DirectoryName(c) => Some(dn_within(dn, c)),
        _ => None,
    })
}

/// Whether `dn` starts with the RDNs of `base`, attribute values compared as RFC 5280 §7.1
/// asks (caseIgnoreMatch after string preparation, closely enough: any string type, case and
/// runs of spaces ignored); values of other types byte for byte. An excluded `O=Victim` then
/// also excludes `O=victim` and `O=VICTIM` as a UTF8String (found by a sweep).
fn dn_within(dn: &Name, base: &Name) -> bool {
    let value = |v: &der::Any| match attribute_string(v) {
        Some(text) => text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .into_bytes(),
        None => der::Encode::to_der(v).unwrap_or_default(),
    };
    let rdn_key = |rdn: &x509_cert::name::RelativeDistinguishedName| {
        let mut atvs: Vec<_> = rdn.0.iter().map(|a| (a.oid, value(&a.value))).collect();
        atvs.sort();
        atvs
    };
    dn.0.len() >= base.0.len()
        && dn
            .0
            .iter()
            .zip(base.0.iter())
            .all(|(a, b)| rdn_key(a) == rdn_key(b))
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
/// host, `.example.com` every address in a subdomain. Both in key form, as the sender binding
/// compares addresses: a local part that differs only in ASCII case is the same mailbox there,
/// so it is here (an excluded `CEO@example.com` excludes `ceo@example.com`).
fn email_matches(constraint: &str, email: &str) -> bool {
    crate::Address::in_rfc822_constraint(&crate::Address::key_of(constraint), email)
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

    /// A fixture certificate (tests/data/smime), to change names in: signatures are not
    /// what these tests are about.
    fn fixture(name: &str) -> Certificate {
        use der::DecodePem;
        let pem = std::fs::read(format!(
            "{}/tests/data/smime/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        Certificate::from_pem(pem).unwrap()
    }

    fn extension<T: der::Encode + const_oid::AssociatedOid>(
        value: &T,
    ) -> x509_cert::ext::Extension {
        x509_cert::ext::Extension {
            extn_id: T::OID,
            critical: true,
            extn_value: der::asn1::OctetString::new(value.to_der().unwrap()).unwrap(),
        }
    }

    /// A CA with these name constraints.
    fn constrained_ca(permitted: Vec<GeneralName>, excluded: Vec<GeneralName>) -> Certificate {
        use x509_cert::ext::pkix::constraints::name::GeneralSubtree;
        let subtrees = |names: Vec<GeneralName>| {
            (!names.is_empty()).then(|| {
                names
                    .into_iter()
                    .map(|base| GeneralSubtree {
                        base,
                        minimum: 0,
                        maximum: None,
                    })
                    .collect()
            })
        };
        let mut ca = fixture("root-ca.crt");
        let nc = NameConstraints {
            permitted_subtrees: subtrees(permitted),
            excluded_subtrees: subtrees(excluded),
        };
        ca.tbs_certificate
            .extensions
            .get_or_insert_with(Vec::new)
            .push(extension(&nc));
        ca
    }

    /// A leaf whose subject is `CN=CEO` plus `extra` attributes and whose subjectAltName holds
    /// `alt` (none when empty).
    fn leaf(extra: &[(ObjectIdentifier, der::Tag, &str)], alt: Vec<GeneralName>) -> Certificate {
        use std::str::FromStr;
        use x509_cert::attr::AttributeTypeAndValue;
        use x509_cert::name::RelativeDistinguishedName;
        let mut cert = fixture("alice.crt");
        let mut subject = Name::from_str("CN=CEO").unwrap();
        for (oid, tag, value) in extra {
            let atv = AttributeTypeAndValue {
                oid: *oid,
                value: der::Any::new(*tag, value.as_bytes()).unwrap(),
            };
            subject
                .0
                .push(RelativeDistinguishedName::try_from(vec![atv]).unwrap());
        }
        cert.tbs_certificate.subject = subject;
        let exts = cert.tbs_certificate.extensions.get_or_insert_with(Vec::new);
        exts.retain(|e| e.extn_id != <SubjectAltName as const_oid::AssociatedOid>::OID);
        if !alt.is_empty() {
            exts.push(extension(&SubjectAltName(alt)));
        }
        cert
    }

    fn email(text: &str) -> GeneralName {
        GeneralName::Rfc822Name(der::asn1::Ia5String::new(text).unwrap())
    }

    /// Each address a signature can be bound to is held to the constraints in the form the
    /// binding compares it in (found by a sweep, each of these was `valid` for an address
    /// the CA may not vouch for).
    #[test]
    fn constraints_see_the_addresses_the_binding_uses() {
        // a UTF8String emailAddress and no subjectAltName, under a CA for example.com only
        let ca = constrained_ca(vec![email("example.com")], vec![]);
        let utf8 = leaf(
            &[(EMAIL_ADDRESS, der::Tag::Utf8String, "ceo@victim.com")],
            vec![],
        );
        assert_eq!(certificate_emails(&utf8), ["ceo@victim.com"]);
        assert!(!names_within(&ca, &[&utf8]));
        let own = leaf(
            &[(EMAIL_ADDRESS, der::Tag::Utf8String, "ceo@example.com")],
            vec![],
        );
        assert!(names_within(&ca, &[&own]));
        // an excluded domain written with a trailing space
        let ca = constrained_ca(vec![], vec![email("victim.com")]);
        let spaced = leaf(&[], vec![email("ceo@victim.com ")]);
        assert_eq!(certificate_emails(&spaced), ["ceo@victim.com"]);
        assert!(!names_within(&ca, &[&spaced]));
        // an excluded mailbox written in capitals
        let ca = constrained_ca(vec![], vec![email("CEO@example.com")]);
        assert!(!names_within(
            &ca,
            &[&leaf(&[], vec![email("ceo@example.com")])]
        ));
        assert!(names_within(
            &ca,
            &[&leaf(&[], vec![email("cfo@example.com")])]
        ));
    }

    /// directoryName constraints compare attribute values as RFC 5280 §7.1 asks: not byte for
    /// byte (another case or string type got past an excluded name, found by a sweep).
    #[test]
    fn directory_name_constraints_ignore_case_and_string_type() {
        use std::str::FromStr;
        let excluded = GeneralName::DirectoryName(Name::from_str("O=Victim").unwrap());
        let ca = constrained_ca(vec![], vec![excluded]);
        const O: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
        for (tag, value) in [
            (der::Tag::Utf8String, "Victim"),
            (der::Tag::Utf8String, "victim"),
            (der::Tag::PrintableString, "VICTIM"),
            (der::Tag::Utf8String, " Victim "),
        ] {
            let mut cert = leaf(&[], vec![email("ceo@example.com")]);
            cert.tbs_certificate.subject = Name::from_str("O=placeholder").unwrap();
            let atv = x509_cert::attr::AttributeTypeAndValue {
                oid: O,
                value: der::Any::new(tag, value.as_bytes()).unwrap(),
            };
            cert.tbs_certificate.subject.0[0] =
                x509_cert::name::RelativeDistinguishedName::try_from(vec![atv]).unwrap();
            assert!(!names_within(&ca, &[&cert]), "{tag:?} {value:?}");
        }
        let other = leaf(&[], vec![email("ceo@example.com")]);
        assert!(names_within(&ca, &[&other]), "CN=CEO is not under O=Victim");
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

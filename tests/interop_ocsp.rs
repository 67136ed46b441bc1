//! OCSP (issue 14) against openssl's own responder: a CA made by `openssl ca` at test time, a
//! delegated OCSP signer, certificates whose authority information access names a responder,
//! and `openssl ocsp -index` answering the very requests mailseal writes (read from the
//! request's `body` with `-reqin`; the JS, Worker and browser suites run the same responder
//! on a port and fetch the request's GET URL).
//!
//! OCSP answers carry the responder's clock, so these tests judge at the machine's clock, not
//! at the fixed NOW of the other suites.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::Command;

use common::tools::{have, run, TestCa};
use mailseal::policy::UncheckedRevocation;
use mailseal::warning::WarningCode;
use mailseal::{
    open, ErrorCode, ImportOptions, Keyring, OpenOptions, Opened, RevocationCheck, RevocationKind,
    RevocationRequest, SignatureState, SmimeEngine, Time,
};

const RESPONDER: &str = "http://ocsp.example.org/";

// The responder dates its answers by the machine's clock.
#[allow(clippy::disallowed_methods)]
fn clock() -> Time {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    Time::from_unix(i64::try_from(secs).expect("secs"))
}

fn openssl(args: &[&str]) -> Vec<u8> {
    let (ok, log) = run(Command::new("openssl").args(args), b"");
    assert!(ok, "openssl {args:?}: {log}");
    log.into_bytes()
}

/// A CA whose people name the responder, and a delegated responder certificate.
struct Pki {
    ca: TestCa,
}

impl Pki {
    fn new() -> Pki {
        let ca = TestCa::new("rsa2048");
        let key = ca.new_key("responder", "rsa2048");
        ca.issue(
            "responder",
            &key,
            "/CN=Throwaway OCSP",
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=OCSPSigning",
        );
        for (name, aia) in [("alice", true), ("bob", true), ("carol", false)] {
            let key = ca.new_key(name, "rsa2048");
            let aia = if aia {
                format!("authorityInfoAccess=OCSP;URI:{RESPONDER}\n")
            } else {
                String::new()
            };
            ca.issue(
                name,
                &key,
                &format!("/CN={name}"),
                &format!(
                    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
                     extendedKeyUsage=emailProtection\nsubjectAltName=email:{name}@example.org\n{aia}"
                ),
            );
        }
        Pki { ca }
    }

    fn path(&self, name: &str) -> String {
        self.ca.path(name)
    }

    /// `NAME.crt` for a new key, signed by `issuer`'s key with `openssl x509 -req`: outside
    /// `openssl ca`, so the responder's index does not know it. `access` is its
    /// authorityInfoAccess line.
    fn issue_outside_ca(&self, name: &str, issuer: &str, serial: &str, access: &str) {
        let key = self.ca.new_key(name, "rsa2048");
        let csr = self.path(&format!("{name}.csr"));
        let subject = format!("/CN={name}");
        openssl(&["req", "-new", "-key", &key, "-subj", &subject, "-out", &csr]);
        let ext = self.path(&format!("{name}.ext"));
        std::fs::write(
            &ext,
            format!(
                "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n\
                 extendedKeyUsage=emailProtection\nsubjectAltName=email:{name}@example.org\n\
                 authorityInfoAccess={access}\n"
            ),
        )
        .unwrap();
        let (issuer_crt, issuer_key) = (
            self.path(&format!("{issuer}.crt")),
            self.path(&format!("{issuer}.key")),
        );
        openssl(&[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &issuer_crt,
            "-CAkey",
            &issuer_key,
            "-set_serial",
            serial,
            "-days",
            "365",
            "-extfile",
            &ext,
            "-out",
            &self.path(&format!("{name}.crt")),
        ]);
    }

    /// A message `name` signed with openssl (multipart/signed, headers included).
    fn signed_by(&self, name: &str) -> Vec<u8> {
        let text = self.path("text.txt");
        std::fs::write(&text, b"Hello from the desk.\n").expect("text");
        openssl(&[
            "cms",
            "-sign",
            "-text",
            "-in",
            &text,
            "-signer",
            &self.path(&format!("{name}.crt")),
            "-inkey",
            &self.path(&format!("{name}.key")),
            "-from",
            &format!("{name}@example.org"),
            "-to",
            "desk@example.org",
            "-subject",
            "status",
            "-out",
            &self.path("signed.eml"),
        ]);
        std::fs::read(self.path("signed.eml")).expect("signed")
    }

    /// openssl's responder answering `request` (its DER body), signed by `signer`
    /// (`responder` or `ca`), valid for an hour.
    fn answer(&self, request: &RevocationRequest, signer: &str) -> Vec<u8> {
        let req = self.path("request.der");
        std::fs::write(&req, request.body.as_deref().expect("an OCSP body")).expect("req");
        let resp = self.path("response.der");
        openssl(&[
            "ocsp",
            "-index",
            &self.path("index.txt"),
            "-CA",
            &self.path("ca.crt"),
            "-rsigner",
            &self.path(&format!("{signer}.crt")),
            "-rkey",
            &self.path(&format!("{signer}.key")),
            "-reqin",
            &req,
            "-respout",
            &resp,
            "-nmin",
            "60",
        ]);
        std::fs::read(resp).expect("response")
    }

    fn ring(&self) -> Keyring {
        let mut ring = Keyring::new();
        let trusted = ImportOptions {
            trusted: true,
            ..Default::default()
        };
        ring.import(&self.ca.cert(), &trusted, clock()).expect("CA");
        ring
    }
}

fn open_with(ring: &mut Keyring, raw: &[u8], unchecked: Option<UncheckedRevocation>) -> Opened {
    let mut opts = OpenOptions::at(clock());
    opts.unchecked_revocation = unchecked;
    open(ring, &[&SmimeEngine], raw, &opts).expect("open")
}

fn only_ocsp_request(opened: &Opened) -> RevocationRequest {
    let [request] = opened.revocation_requests.as_slice() else {
        panic!("one request: {:?}", opened.revocation_requests);
    };
    assert_eq!(request.kind, RevocationKind::Ocsp);
    request.clone()
}

#[test]
fn openssls_responder_decides_whether_a_signer_is_revoked() {
    if !have("openssl") {
        return;
    }
    let pki = Pki::new();
    let mut ring = pki.ring();
    let alice = pki.signed_by("alice");

    // Nothing asked yet: valid (soft-fail), "unchecked", and the request to send.
    let first = open_with(&mut ring, &alice, None);
    assert_eq!(first.signature.state, SignatureState::Valid, "{first:?}");
    assert_eq!(first.signature.revocation, Some(RevocationCheck::Unchecked));
    let request = only_ocsp_request(&first);
    assert!(request.url.starts_with(RESPONDER), "{}", request.url);
    assert_eq!(request.responder.as_deref(), Some(RESPONDER));
    assert!(request.subject.as_deref().unwrap_or("").contains("alice"));
    assert!(
        request.issuer_certificate.is_none(),
        "the CA is in the keyring"
    );
    // The GET form carries the same request (RFC 6960 appendix A).
    let encoded = request.url.strip_prefix(RESPONDER).expect("prefix");
    let b64 = percent_decode(encoded);
    assert_eq!(base64_decode(&b64), request.body.clone().unwrap());

    // The policy: warn keeps valid with a warning; block makes it untrusted.
    let warned = open_with(&mut ring, &alice, Some(UncheckedRevocation::Warn));
    assert_eq!(warned.signature.state, SignatureState::Valid);
    assert!(
        warned.warnings.iter().any(|w| w.code == WarningCode::RevocationUnchecked
            && w.message.contains("revocation")),
        "{:?}",
        warned.warnings
    );
    let blocked = open_with(&mut ring, &alice, Some(UncheckedRevocation::Block));
    assert_eq!(blocked.signature.state, SignatureState::Untrusted);
    assert!(blocked
        .signature
        .detail
        .unwrap_or_default()
        .contains("revocation"));

    // openssl's responder (a delegated signer) says good: valid and checked, nothing to ask.
    let answer = pki.answer(&request, "responder");
    let imported = ring
        .import_revocation(&request, &answer, clock())
        .expect("a good answer");
    assert_eq!(imported.ocsp.len(), 1);
    assert_eq!(imported.ocsp[0].status, mailseal::OcspStatus::Good);
    for policy in [None, Some(UncheckedRevocation::Block)] {
        let checked = open_with(&mut ring, &alice, policy);
        assert_eq!(checked.signature.state, SignatureState::Valid);
        assert_eq!(checked.signature.revocation, Some(RevocationCheck::Good));
        assert!(checked.revocation_requests.is_empty());
    }

    // Bob is revoked; the CA itself answers this time.
    pki.ca.revoke("bob", "keyCompromise");
    let bob = pki.signed_by("bob");
    let request = only_ocsp_request(&open_with(&mut ring, &bob, None));
    let answer = pki.answer(&request, "ca");
    let imported = ring
        .import_ocsp(&answer, clock())
        .expect("a revoked answer");
    assert_eq!(imported[0].status, mailseal::OcspStatus::Revoked);
    assert_eq!(imported[0].reason.as_deref(), Some("key compromise"));
    let revoked = open_with(&mut ring, &bob, None);
    assert_eq!(
        revoked.signature.state,
        SignatureState::Revoked,
        "{revoked:?}"
    );
    assert!(revoked
        .signature
        .detail
        .unwrap_or_default()
        .contains("key compromise"));
    // ... and his certificate, once in the keyring, is listed revoked and not encrypted to.
    ring.import(
        &std::fs::read(pki.path("bob.crt")).unwrap(),
        &ImportOptions::default(),
        clock(),
    )
    .unwrap();
    let listed = ring.by_address("bob@example.org", clock());
    assert_eq!(listed[0].status, mailseal::KeyStatus::Revoked);
    use mailseal::Engine as _;
    assert!(SmimeEngine
        .encryption_key(&ring, "bob@example.org", clock())
        .is_err());

    // Carol's certificate names no responder and no CRL: nothing to check, valid even under
    // "block".
    let carol = open_with(
        &mut ring,
        &pki.signed_by("carol"),
        Some(UncheckedRevocation::Block),
    );
    assert_eq!(carol.signature.state, SignatureState::Valid);
    assert_eq!(carol.signature.revocation, Some(RevocationCheck::NoSource));
    assert!(carol.revocation_requests.is_empty());
}

#[test]
fn an_unknown_certificate_stays_unchecked_and_the_policy_decides() {
    if !have("openssl") {
        return;
    }
    let pki = Pki::new();
    let mut ring = pki.ring();
    // Dave's certificate is signed with the CA's key outside `openssl ca`, so the responder's
    // index does not know it.
    pki.issue_outside_ca("dave", "ca", "4242", &format!("OCSP;URI:{RESPONDER}"));
    let dave = pki.signed_by("dave");
    let request = only_ocsp_request(&open_with(&mut ring, &dave, None));
    let imported = ring
        .import_revocation(&request, &pki.answer(&request, "responder"), clock())
        .expect("an unknown answer");
    assert_eq!(imported.ocsp[0].status, mailseal::OcspStatus::Unknown);
    let passed = open_with(&mut ring, &dave, None);
    assert_eq!(passed.signature.state, SignatureState::Valid);
    assert_eq!(
        passed.signature.revocation,
        Some(RevocationCheck::Unchecked)
    );
    assert!(passed.revocation_requests.is_empty(), "asked already");
    let blocked = open_with(&mut ring, &dave, Some(UncheckedRevocation::Block));
    assert_eq!(blocked.signature.state, SignatureState::Untrusted);
    assert!(
        blocked
            .signature
            .detail
            .unwrap_or_default()
            .contains("does not know"),
        "the detail says why"
    );
}

#[test]
fn forged_stale_and_misdirected_answers_are_refused_and_nothing_is_kept() {
    if !have("openssl") {
        return;
    }
    let pki = Pki::new();
    let mut ring = pki.ring();
    let alice = pki.signed_by("alice");
    let request = only_ocsp_request(&open_with(&mut ring, &alice, None));
    let good = pki.answer(&request, "responder");
    let refused = |ring: &mut Keyring, answer: &[u8], now: Time| {
        ring.import_revocation(&request, answer, now)
            .map(|_| ())
            .unwrap_err()
            .code()
    };

    // A changed digit in the signed producedAt (the first GeneralizedTime: tag 0x18, 15
    // bytes "YYYYMMDDHHMMSSZ"; the tens of the seconds), and a changed byte at the end (the
    // delegated responder's certificate).
    let at = good
        .windows(2)
        .position(|w| w == [0x18, 0x0f])
        .expect("producedAt");
    let mut forged = good.clone();
    forged[at + 2 + 12] ^= 1;
    assert_eq!(refused(&mut ring, &forged, clock()), ErrorCode::BadInput);
    let mut forged = good.clone();
    let last = forged.len() - 1;
    forged[last] ^= 1;
    assert_eq!(refused(&mut ring, &forged, clock()), ErrorCode::BadInput);
    // Signed by a certificate the CA did not authorise for OCSP (Carol's).
    let by_carol = pki.answer(&request, "carol");
    assert_eq!(refused(&mut ring, &by_carol, clock()), ErrorCode::BadInput);
    // Past its nextUpdate (an hour), and from the future.
    assert_eq!(
        refused(&mut ring, &good, clock().plus_secs(2 * 3600)),
        ErrorCode::BadInput
    );
    assert_eq!(
        refused(&mut ring, &good, clock().plus_secs(-3600)),
        ErrorCode::BadInput
    );
    // About a certificate of a CA the keyring does not hold.
    let other = Pki::new();
    let mut other_ring = other.ring();
    let other_request =
        only_ocsp_request(&open_with(&mut other_ring, &other.signed_by("alice"), None));
    let elsewhere = other.answer(&other_request, "responder");
    assert_eq!(
        ring.import_ocsp(&elsewhere, clock()).unwrap_err().code(),
        ErrorCode::CertificateMissing
    );
    // Not an OCSP response at all.
    assert_eq!(
        refused(&mut ring, b"<html>captive portal</html>", clock()),
        ErrorCode::UnsupportedFormat
    );
    // Nothing of it was kept: still unchecked, and every refusal is in the log.
    assert!(ring.ocsp_statuses().is_empty());
    let again = open_with(&mut ring, &alice, None);
    assert_eq!(again.signature.revocation, Some(RevocationCheck::Unchecked));
    let refusals = ring
        .recent_log()
        .iter()
        .filter(|e| e.action == "import_ocsp" && e.outcome == "error")
        .count();
    assert_eq!(refusals, 7);
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

/// A signer whose certificate comes from an intermediate CA the message leaves out (openssl
/// sends only the signer's certificate unless told otherwise) and the keyring lacks: open
/// names the certificate's AIA caIssuers location; the host's answer (DER, or a certs-only
/// bundle) completes the path, never as a trust anchor, and only with the CA that really
/// signed the certificate.
#[test]
fn a_missing_intermediate_is_fetched_from_where_the_certificate_says() {
    if !have("openssl") {
        return;
    }
    let pki = Pki::new();
    let ca = &pki.ca;
    let int_key = ca.new_key("int", "rsa2048");
    ca.issue(
        "int",
        &int_key,
        "/CN=Throwaway Intermediate",
        "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n\
         subjectKeyIdentifier=hash",
    );
    let url = "http://ca.example.org/intermediate.der";
    pki.issue_outside_ca("frank", "int", "77", &format!("caIssuers;URI:{url}"));
    let frank = pki.signed_by("frank");
    let mut ring = pki.ring();

    let first = open_with(&mut ring, &frank, None);
    assert_eq!(
        first.signature.state,
        SignatureState::Untrusted,
        "{first:?}"
    );
    let [request] = first.revocation_requests.as_slice() else {
        panic!("one issuer request: {:?}", first.revocation_requests);
    };
    assert_eq!(request.kind, RevocationKind::Issuer);
    assert_eq!(request.url, url);
    assert!(
        request.issuer.contains("Throwaway Intermediate"),
        "{request:?}"
    );

    // Wrong answers: the root (not the issuer), a CA of the same name with another key,
    // something that is not a certificate. Nothing is kept.
    let der = |name: &str| {
        let out = pki.path(&format!("{name}.der"));
        openssl(&[
            "x509",
            "-in",
            &pki.path(&format!("{name}.crt")),
            "-outform",
            "DER",
            "-out",
            &out,
        ]);
        std::fs::read(out).unwrap()
    };
    let code = |ring: &mut Keyring, answer: &[u8]| {
        ring.import_revocation(request, answer, clock())
            .map(|_| ())
            .unwrap_err()
            .code()
    };
    assert_eq!(code(&mut ring, &der("ca")), ErrorCode::CertificateMissing);
    let other = Pki::new();
    let impostor_key = other.ca.new_key("int", "rsa2048");
    other.ca.issue(
        "int",
        &impostor_key,
        "/CN=Throwaway Intermediate",
        "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign",
    );
    let impostor = std::fs::read(other.path("int.crt")).unwrap();
    assert_eq!(code(&mut ring, &impostor), ErrorCode::CertificateMissing);
    assert_ne!(
        code(&mut ring, b"<html>not found</html>"),
        ErrorCode::Internal
    );
    let before = ring.list(clock()).len();
    assert_eq!(
        open_with(&mut ring, &frank, None).signature.state,
        SignatureState::Untrusted
    );

    // The real intermediate, as a certs-only bundle (what many CAs publish as .p7c).
    let bundle = pki.path("int.p7c");
    openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-certfile",
        &pki.path("int.crt"),
        "-outform",
        "DER",
        "-out",
        &bundle,
    ]);
    let imported = ring
        .import_revocation(request, &std::fs::read(bundle).unwrap(), clock())
        .expect("the intermediate");
    assert_eq!(imported.certificates.len(), 1);
    assert_eq!(ring.list(clock()).len(), before + 1);
    let listed = ring
        .get(&imported.certificates[0], clock())
        .expect("listed");
    assert!(!listed.trusted, "a fetched CA is never an anchor");
    let valid = open_with(&mut ring, &frank, None);
    assert_eq!(valid.signature.state, SignatureState::Valid, "{valid:?}");
    assert_eq!(valid.signature.revocation, Some(RevocationCheck::NoSource));
    assert!(valid.revocation_requests.is_empty());
    assert!(ring
        .recent_log()
        .iter()
        .any(|e| e.action == "import_issuer" && e.outcome == "ok"));
}

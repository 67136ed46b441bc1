//! The security report `open` returns, shared word for word by both standards.
//!
//! States and field names are the JavaScript contract of DESIGN.md. Engines fill in what they
//! found; sender binding and the "weakest verdict wins" rule live here so that S/MIME and
//! OpenPGP cannot drift apart.

use serde::{Deserialize, Serialize};

/// Which standard protected (or is to protect) a message.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// S/MIME (CMS).
    Smime,
    /// OpenPGP (PGP/MIME or inline).
    Pgp,
}

/// A copy's method as JavaScript sees it: `"smime"`, `"pgp"`, or `"none"` for a plain copy
/// or a problem report (`#[serde(serialize_with)]` for `Option<Method>` fields).
pub fn method_or_none<S: serde::Serializer>(
    method: &Option<Method>,
    s: S,
) -> core::result::Result<S::Ok, S::Error> {
    s.serialize_str(method.map_or("none", Method::as_str))
}

impl Method {
    /// `"smime"` / `"pgp"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Smime => "smime",
            Method::Pgp => "pgp",
        }
    }
}

/// What happened to the encryption layer.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EncryptionState {
    /// The message was not encrypted.
    None,
    /// Decrypted with a key from the keyring.
    Decrypted,
    /// Encrypted, but to none of the keyring's private keys.
    NoKey,
    /// Encrypted to us, but decryption or its integrity check failed, or the envelope is too
    /// malformed to read (a PGP/MIME message without its payload part); no plaintext is shown.
    Failed,
}

/// The verdict on a signature. Only `valid` ([`SignatureState::Valid`]) may be shown as
/// trustworthy.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureState {
    /// Not signed.
    None,
    /// Good signature by a valid, trusted key bound to the sender.
    Valid,
    /// The signature does not match the content, or is malformed or uses refused algorithms.
    Invalid,
    /// The signer's certificate or key is not available.
    UnknownSigner,
    /// The signature is good but the certificate does not chain to a trust anchor, or the
    /// OpenPGP key was not verified by the admin (not imported as `trusted`).
    Untrusted,
    /// The signing key or certificate (or a CA certificate on its path) had expired at the
    /// message time, or the signature itself had.
    Expired,
    /// The signing key or certificate was not valid yet at the message time.
    NotYetValid,
    /// The signing key was revoked.
    Revoked,
    /// Good signature, but by someone other than the From address.
    SenderMismatch,
}

impl SignatureState {
    /// How bad a state is when several signatures or layers are combined: the worst wins.
    fn severity(self) -> u8 {
        match self {
            SignatureState::Valid => 0,
            SignatureState::None => 1,
            SignatureState::SenderMismatch => 2,
            SignatureState::Untrusted => 3,
            SignatureState::UnknownSigner => 4,
            SignatureState::Expired | SignatureState::NotYetValid => 5,
            SignatureState::Revoked => 6,
            SignatureState::Invalid => 7,
        }
    }
}

/// Whether the revocation of an S/MIME signer's certificate (and those above it) was checked.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationCheck {
    /// A current OCSP answer or CRL says not revoked.
    Good,
    /// The certificates name a CRL or OCSP responder, but nothing current from it is held
    /// (or the responder does not know the certificate): `Opened::revocation_requests` says
    /// what to fetch. The policy's `uncheckedRevocation` decides what this does to the
    /// verdict.
    Unchecked,
    /// The certificates name no CRL or OCSP responder: nothing to check.
    NoSource,
}

/// Whether a valid signature covers everything shown, or only part of it.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The signature covers the whole displayed message.
    Whole,
    /// Only part of the displayed message is signed.
    Partial,
}

/// Who signed, as far as the engine could tell.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signer {
    /// The e-mail addresses bound to the signing key (S/MIME: SAN rfc822Name and subject
    /// emailAddress; OpenPGP: e-mails of valid User IDs), lower-case.
    pub emails: Vec<String>,
    /// S/MIME: certificate id (SHA-256 fingerprint); OpenPGP: signing key fingerprint or key id.
    pub key_id: String,
}

/// The encryption half of the report.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EncryptionReport {
    /// What happened.
    pub state: EncryptionState,
    /// The standard, when the message was encrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// Content cipher, e.g. `aes256-cbc`, `aes256-gcm`, `aes256` (OpenPGP SEIPDv1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// Whether the ciphertext was integrity protected (AEAD, MDC) or covered by a valid inner
    /// signature. AES-CBC without a valid signature is `false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticated: Option<bool>,
    /// The id of the key that decrypted, or the recipient ids when no key was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// A sentence for the agent, in the style of help desks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl EncryptionReport {
    /// Not encrypted.
    pub fn none() -> Self {
        EncryptionReport {
            state: EncryptionState::None,
            method: None,
            algorithm: None,
            authenticated: None,
            key_id: None,
            detail: None,
        }
    }

    /// Encrypted with `method`, with the given outcome and detail.
    pub fn new(method: Method, state: EncryptionState, detail: impl Into<String>) -> Self {
        EncryptionReport {
            state,
            method: Some(method),
            algorithm: None,
            authenticated: None,
            key_id: None,
            detail: Some(detail.into()),
        }
    }
}

/// The signature half of the report.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureReport {
    /// The verdict.
    pub state: SignatureState,
    /// The standard, when the message was signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// The signer, when known; of several valid signatures, the one bound to From.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
    /// Every signer, when the message carries several signatures (RFC 5652 allows several
    /// SignerInfos): all of them are listed, the verdict is the worst of theirs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub signers: Vec<Signer>,
    /// Whole or partial coverage of the displayed message (set by `open`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// The digest algorithm of the signature, e.g. `sha256`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The signing time the signature claims, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<String>,
    /// A sentence for the agent, in the style of help desks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// S/MIME signatures on a trusted path: whether revocation was checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation: Option<RevocationCheck>,
    /// What to fetch to check revocation (surfaced as `Opened::revocation_requests`).
    #[serde(skip)]
    pub(crate) revocation_requests: Vec<RevocationRequest>,
    /// Where signed layers nest (a signed envelope around signed content): the signers of
    /// the innermost layer, the content's authors. Only they are bound to From; an outer
    /// signer vouches for the envelope, not for what someone else signed inside it.
    #[serde(skip)]
    pub(crate) authors: Option<Vec<Signer>>,
}

impl SignatureReport {
    /// Not signed.
    pub fn none() -> Self {
        SignatureReport {
            state: SignatureState::None,
            method: None,
            signer: None,
            signers: Vec::new(),
            scope: None,
            digest: None,
            signed_at: None,
            detail: None,
            revocation: None,
            revocation_requests: Vec::new(),
            authors: None,
        }
    }

    /// A verdict by `method` with its detail sentence.
    pub fn new(method: Method, state: SignatureState, detail: impl Into<String>) -> Self {
        SignatureReport {
            state,
            method: Some(method),
            detail: Some(detail.into()),
            ..SignatureReport::none()
        }
    }

    /// With the signer filled in.
    pub fn with_signer(mut self, signer: Signer) -> Self {
        self.signer = Some(signer);
        self
    }

    /// Whether the agent may be told "signature verified".
    pub fn is_valid(&self) -> bool {
        self.state == SignatureState::Valid
    }

    /// Binds a cryptographically valid signature to the message's sender: the From addr-spec
    /// must be one of the signer's e-mail addresses, else the verdict becomes `sender_mismatch`.
    /// A missing From (or several, which `open` passes as `None`) cannot be bound either.
    pub fn bind_sender(mut self, from: Option<&str>) -> Self {
        if self.state != SignatureState::Valid {
            return self;
        }
        let from = from.map(crate::Address::key_of);
        // Of several valid signatures, the one by From counts (the others are listed).
        let named = from.as_deref().is_some_and(|f| !f.is_empty());
        let candidates: Vec<&Signer> = match &self.authors {
            Some(authors) => authors.iter().collect(),
            None => self.signer.iter().chain(self.signers.iter()).collect(),
        };
        let bound = from
            .filter(|f| !f.is_empty())
            .and_then(|from| candidates.into_iter().find(|s| s.emails.contains(&from)))
            .cloned();
        match bound {
            Some(signer) => self.signer = Some(signer),
            None => {
                self.state = SignatureState::SenderMismatch;
                // No From field (a bare signed file, `openssl cms -sign -nodetach`, `gpg
                // --sign`) or several: nobody to bind, which is not the same as someone else.
                let by = self
                    .signer
                    .iter()
                    .flat_map(|s| s.emails.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(", ");
                let by = if by.is_empty() {
                    String::new()
                } else {
                    format!(" It was signed by {by}.")
                };
                // Who signed is said either way: a delegate's signature (Sender: the
                // assistant, From: the boss, as Outlook sends "on behalf of") names the
                // delegate, never the From address.
                let detail = if named {
                    format!("This message was not signed by its sender.{by}")
                } else {
                    format!(
                        "This message names no single sender (From) to check the signature \
                         against.{by}"
                    )
                };
                self.detail = Some(detail);
            }
        }
        self
    }

    /// Combines the verdicts of several signatures over the same content (several
    /// SignerInfos, several OpenPGP signatures): the worst one wins, so one bad or foreign
    /// signature is never hidden behind a good one. Empty input means "not signed".
    pub fn worst(reports: Vec<SignatureReport>) -> SignatureReport {
        SignatureReport::worst_of(reports)
    }

    /// The verdicts of nested signed layers, outermost first: [`SignatureReport::worst`], with
    /// only the innermost layer's signers bound to From ([`SignatureReport::bind_sender`]).
    pub(crate) fn nested(outer: SignatureReport, inner: SignatureReport) -> SignatureReport {
        let authors = inner.authors.clone().unwrap_or_else(|| {
            inner
                .signer
                .iter()
                .chain(inner.signers.iter())
                .cloned()
                .collect()
        });
        let mut combined = SignatureReport::worst_of(vec![outer, inner]);
        combined.authors = Some(authors);
        combined
    }

    fn worst_of(reports: Vec<SignatureReport>) -> SignatureReport {
        let mut signers: Vec<Signer> = Vec::new();
        if reports.len() > 1 {
            for signer in reports.iter().filter_map(|r| r.signer.as_ref()) {
                if !signers.contains(signer) {
                    signers.push(signer.clone());
                }
            }
        }
        let checks: Vec<RevocationCheck> = reports.iter().filter_map(|r| r.revocation).collect();
        let mut requests: Vec<RevocationRequest> = Vec::new();
        for r in &reports {
            for q in &r.revocation_requests {
                if !requests.iter().any(|have| have.url == q.url) {
                    requests.push(q.clone());
                }
            }
        }
        let mut worst = reports
            .into_iter()
            .max_by_key(|r| r.state.severity())
            .unwrap_or_else(SignatureReport::none);
        worst.signers = signers;
        worst.revocation_requests = requests;
        worst.revocation = checks.iter().copied().max_by_key(|c| match c {
            RevocationCheck::Good => 0,
            RevocationCheck::NoSource => 1,
            RevocationCheck::Unchecked => 2,
        });
        worst
    }
}

/// Why the host should fetch ([`Keyring::revocation_requests`](crate::keys::Keyring::revocation_requests)).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationRequestReason {
    /// Nothing current is held (no CRL of this issuer, no OCSP answer for the certificate).
    Missing,
    /// The CRL held is past its nextUpdate.
    Stale,
}

/// What a [`RevocationRequest`] fetches.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationKind {
    /// A certificate revocation list (all of a CA's revocations).
    Crl,
    /// An OCSP answer about one certificate.
    Ocsp,
    /// A missing CA certificate from the AIA caIssuers location of the certificate below it
    /// (DER, PEM or a certs-only bundle): kept, never as a trust anchor, when it is a CA that
    /// signed that certificate.
    Issuer,
}

/// Something for the host to fetch (mailseal does no I/O) and give back to
/// [`Keyring::import_revocation`](crate::keys::Keyring::import_revocation) with the answer.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevocationRequest {
    /// A CRL or an OCSP answer.
    pub kind: RevocationKind,
    /// The http(s) URL to GET: a CRL distribution point, or for OCSP the responder URL with
    /// the request appended (RFC 6960 appendix A).
    pub url: String,
    /// The CA concerned (RFC 4514).
    pub issuer: String,
    /// Missing or stale.
    pub reason: RevocationRequestReason,
    /// OCSP: the certificate asked about (its subject, RFC 4514).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// OCSP: the responder, for hosts that POST `body` (`Content-Type:
    /// application/ocsp-request`) instead of GETting `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responder: Option<String>,
    /// OCSP: the DER request.
    #[serde(default, with = "serde_bytes", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Uint8Array", optional))]
    pub body: Option<Vec<u8>>,
    /// Issuer requests: the certificate whose issuer is missing (DER); the answer must hold a
    /// CA certificate that signed it.
    #[serde(default, with = "serde_bytes", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Uint8Array", optional))]
    pub certificate: Option<Vec<u8>>,
    /// The issuer's certificate (DER) when the keyring does not hold it (a message brought
    /// it): given back with the answer, it lets mailseal check the answer's signature.
    #[serde(default, with = "serde_bytes", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Uint8Array", optional))]
    pub issuer_certificate: Option<Vec<u8>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_by(email: &str) -> SignatureReport {
        SignatureReport::new(Method::Smime, SignatureState::Valid, "ok").with_signer(Signer {
            emails: vec![email.to_string()],
            key_id: "AB".into(),
        })
    }

    #[test]
    fn binding_accepts_the_signer_address_in_any_case() {
        let r = valid_by("alice@example.com").bind_sender(Some(" Alice@Example.COM "));
        assert_eq!(r.state, SignatureState::Valid);
    }

    #[test]
    fn binding_rejects_another_or_missing_sender() {
        let r = valid_by("alice@example.com").bind_sender(Some("mallory@example.com"));
        assert_eq!(r.state, SignatureState::SenderMismatch);
        // Who did sign is named (a delegate signing "on behalf of" the From address).
        assert_eq!(
            r.detail.as_deref(),
            Some("This message was not signed by its sender. It was signed by alice@example.com.")
        );
        // No From (a bare signed file) is not someone else: the detail says so and names the
        // signer (found by the interop sweep: it said "not signed by its sender").
        let r = valid_by("alice@example.com").bind_sender(None);
        assert_eq!(r.state, SignatureState::SenderMismatch);
        let detail = r.detail.unwrap_or_default();
        assert!(
            detail.contains("names no single sender") && detail.contains("alice@example.com"),
            "{detail}"
        );
    }

    #[test]
    fn binding_never_upgrades_a_bad_verdict() {
        let bad = SignatureReport::new(Method::Pgp, SignatureState::Invalid, "bad");
        assert_eq!(bad.bind_sender(Some("a@b")).state, SignatureState::Invalid);
    }

    #[test]
    fn the_worst_signature_wins() {
        let bad = SignatureReport::new(Method::Smime, SignatureState::Invalid, "bad");
        let all = SignatureReport::worst(vec![valid_by("a@b"), bad, valid_by("c@d")]);
        assert_eq!(all.state, SignatureState::Invalid);
        // A bad signature is never bound away: the sender of a good one does not help.
        assert_eq!(all.bind_sender(Some("a@b")).state, SignatureState::Invalid);
        assert_eq!(SignatureReport::worst(vec![]).state, SignatureState::None);
    }

    #[test]
    fn several_valid_signatures_bind_to_the_one_by_the_sender() {
        let both = SignatureReport::worst(vec![valid_by("a@b"), valid_by("c@d")]);
        assert_eq!(both.signers.len(), 2);
        let r = both.clone().bind_sender(Some("c@d"));
        assert_eq!(r.state, SignatureState::Valid);
        assert_eq!(r.signer.unwrap().emails, ["c@d"]);
        assert_eq!(
            both.bind_sender(Some("e@f")).state,
            SignatureState::SenderMismatch
        );
        // One signature: nothing extra listed.
        assert!(SignatureReport::worst(vec![valid_by("a@b")])
            .signers
            .is_empty());
    }

    #[test]
    fn states_serialize_as_the_js_contract() {
        let json = serde_json::to_value(SignatureReport::new(
            Method::Pgp,
            SignatureState::SenderMismatch,
            "x",
        ))
        .unwrap();
        assert_eq!(json["state"], "sender_mismatch");
        assert_eq!(json["method"], "pgp");
        let json = serde_json::to_value(EncryptionReport::new(
            Method::Smime,
            EncryptionState::NoKey,
            "x",
        ))
        .unwrap();
        assert_eq!(json["state"], "no_key");
    }
}

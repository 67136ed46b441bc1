//! S/MIME keyring entries: an X.509 certificate (RFC 5280), optionally with its private key.
//!
//! Private keys are held as typed RustCrypto keys (zeroized on drop) and stored as PKCS#8 in
//! the sealed vault. Supported key types: RSA, EC P-256, P-384 and P-521.

use const_oid::db::{rfc5280, rfc5912};
use const_oid::ObjectIdentifier;
use der::{Decode, Encode};
use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use sha2::{Digest, Sha256};
use spki::EncodePublicKey;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectKeyIdentifier};
use x509_cert::Certificate;

use crate::error::{Error, ErrorCode, Result};
use crate::keys::{KeyInfo, KeyKind, KeyStatus, OnUse, StoredKey, Trust};
use crate::rng::Rng;
use crate::secret::SecretBytes;
use crate::time::Time;

/// A private key matching an S/MIME certificate.
#[derive(Clone)]
pub(crate) enum SmimeSecret {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    P521(p521::SecretKey),
}

/// Why a PKCS#1 RSAPrivateKey did not read: a multi-prime key (RFC 8017 §A.1.2, version 1;
/// OpenSSL makes one with `rsa_keygen_primes`) is named as such, for the admin to make a
/// two-prime key instead; anything else is unreadable.
fn unreadable_rsa_key(pkcs1_der: &[u8]) -> Error {
    let multi_prime = rsa::pkcs1::RsaPrivateKey::try_from(pkcs1_der)
        .is_ok_and(|key| key.version() == rsa::pkcs1::Version::Multi);
    Error::unsupported_format(if multi_prime {
        "The RSA private key has more than two primes, which mailseal does not take: make a \
         two-prime key (what every S/MIME and OpenPGP tool makes by default)."
    } else {
        "The RSA private key could not be read."
    })
}

impl SmimeSecret {
    /// Decodes an unencrypted PKCS#8 PrivateKeyInfo.
    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        let info = pkcs8::PrivateKeyInfo::try_from(der)
            .map_err(|_| Error::unsupported_format("The private key could not be read."))?;
        let alg = info.algorithm.oid;
        if alg == rfc5912::RSA_ENCRYPTION {
            let key = rsa::RsaPrivateKey::from_pkcs8_der(der)
                .map_err(|_| unreadable_rsa_key(info.private_key))?;
            Ok(SmimeSecret::Rsa(Box::new(key)))
        } else if alg == rfc5912::ID_EC_PUBLIC_KEY {
            let explicit = info
                .algorithm
                .parameters
                .as_ref()
                .is_some_and(|p| der::Tagged::tag(p) == der::Tag::Sequence);
            let curve = info.algorithm.parameters_oid().map_err(|_| {
                if explicit {
                    explicit_curve_parameters()
                } else {
                    Error::unsupported_format("The EC private key names no curve.")
                }
            })?;
            Self::ec_from(
                curve,
                || p256::SecretKey::from_pkcs8_der(der),
                || p384::SecretKey::from_pkcs8_der(der),
                || p521::SecretKey::from_pkcs8_der(der),
            )
        } else {
            Err(unsupported_key_algorithm(alg))
        }
    }

    /// Decodes the PKCS#8 that [`SmimeSecret::to_pkcs8_der`] wrote. EC keys are taken from
    /// their private scalar alone: the public point inside was derived from it when the key
    /// was first imported (`from_pkcs8_der` derives and compares it, one point multiplication).
    fn from_stored_pkcs8_der(der: &[u8]) -> Result<Self> {
        let info = pkcs8::PrivateKeyInfo::try_from(der)
            .map_err(|_| Error::unsupported_format("The private key could not be read."))?;
        if info.algorithm.oid != rfc5912::ID_EC_PUBLIC_KEY {
            return Self::from_pkcs8_der(der);
        }
        let curve = info
            .algorithm
            .parameters_oid()
            .map_err(|_| Error::unsupported_format("The EC private key names no curve."))?;
        let ec = sec1::EcPrivateKey::from_der(info.private_key)
            .map_err(|_| Error::unsupported_format("The EC private key could not be read."))?;
        let scalar = ec.private_key;
        Self::ec_from(
            curve,
            || p256::SecretKey::from_slice(scalar),
            || p384::SecretKey::from_slice(scalar),
            || p521::SecretKey::from_slice(scalar),
        )
    }

    /// Decodes a PKCS#1 RSAPrivateKey (`BEGIN RSA PRIVATE KEY`).
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<Self> {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        let key = rsa::RsaPrivateKey::from_pkcs1_der(der).map_err(|_| unreadable_rsa_key(der))?;
        Ok(SmimeSecret::Rsa(Box::new(key)))
    }

    /// Decodes a SEC1 ECPrivateKey (`BEGIN EC PRIVATE KEY`), which must name its curve.
    pub(crate) fn from_sec1_der(der: &[u8]) -> Result<Self> {
        let parsed = sec1::EcPrivateKey::from_der(der).map_err(|_| {
            if sec1_has_explicit_parameters(der) {
                explicit_curve_parameters()
            } else {
                Error::unsupported_format("The EC private key could not be read.")
            }
        })?;
        let curve = parsed
            .parameters
            .and_then(|p| p.named_curve())
            .ok_or_else(|| Error::unsupported_format("The EC private key names no curve."))?;
        Self::ec_from(
            curve,
            || p256::SecretKey::from_sec1_der(der),
            || p384::SecretKey::from_sec1_der(der),
            || p521::SecretKey::from_sec1_der(der),
        )
    }

    fn ec_from<E1, E2, E3>(
        curve: ObjectIdentifier,
        p256: impl FnOnce() -> core::result::Result<p256::SecretKey, E1>,
        p384: impl FnOnce() -> core::result::Result<p384::SecretKey, E2>,
        p521: impl FnOnce() -> core::result::Result<p521::SecretKey, E3>,
    ) -> Result<Self> {
        let bad = || Error::unsupported_format("The EC private key could not be read.");
        if curve == rfc5912::SECP_256_R_1 {
            p256().map(SmimeSecret::P256).map_err(|_| bad())
        } else if curve == rfc5912::SECP_384_R_1 {
            p384().map(SmimeSecret::P384).map_err(|_| bad())
        } else if curve == rfc5912::SECP_521_R_1 {
            p521().map(SmimeSecret::P521).map_err(|_| bad())
        } else {
            Err(Error::new(
                ErrorCode::UnsupportedAlgorithm,
                format!(
                    "The elliptic curve {curve} is not supported (P-256, P-384 and P-521 are)."
                ),
            ))
        }
    }

    /// PKCS#8 DER, for the vault and for PKCS#12 export.
    pub(crate) fn to_pkcs8_der(&self) -> Result<SecretBytes> {
        let doc = match self {
            SmimeSecret::Rsa(k) => k.to_pkcs8_der(),
            SmimeSecret::P256(k) => k.to_pkcs8_der(),
            SmimeSecret::P384(k) => k.to_pkcs8_der(),
            SmimeSecret::P521(k) => k.to_pkcs8_der(),
        }
        .map_err(|_| Error::internal("The private key could not be encoded."))?;
        Ok(SecretBytes::new(doc.as_bytes().to_vec()))
    }

    /// The raw public key bits, to match the key against a certificate.
    pub(crate) fn public_key_bits(&self) -> Option<Vec<u8>> {
        let spki = match self {
            SmimeSecret::Rsa(k) => rsa::RsaPublicKey::from(k.as_ref()).to_public_key_der(),
            SmimeSecret::P256(k) => k.public_key().to_public_key_der(),
            SmimeSecret::P384(k) => k.public_key().to_public_key_der(),
            SmimeSecret::P521(k) => k.public_key().to_public_key_der(),
        }
        .ok()?;
        let info = spki::SubjectPublicKeyInfoRef::try_from(spki.as_bytes()).ok()?;
        Some(info.subject_public_key.raw_bytes().to_vec())
    }

    /// True when this private key belongs to `cert`.
    pub(crate) fn matches(&self, cert: &Certificate) -> bool {
        let cert_bits = cert
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes();
        self.public_key_bits().as_deref() == Some(cert_bits)
    }
}

/// An EC key that spells out its curve (`openssl ec -param_enc explicit`) instead of naming
/// it: RFC 5915 §3 and RFC 5480 §2.1.1 allow only a named curve, and openssl converts it back.
fn explicit_curve_parameters() -> Error {
    Error::unsupported_format(
        "The EC private key carries explicit curve parameters instead of a curve name (only \
         named curves are allowed, RFC 5480); convert it with `openssl ec -param_enc \
         named_curve`.",
    )
}

/// Whether a SEC1 ECPrivateKey that did not decode has explicit parameters: its `[0]` field
/// holds an ECParameters SEQUENCE rather than a curve OID.
fn sec1_has_explicit_parameters(der: &[u8]) -> bool {
    use der::Decode;
    let Ok(fields) = Vec::<der::Any>::from_der(der) else {
        return false;
    };
    fields.iter().any(|f| {
        der::Tagged::tag(f)
            == der::Tag::ContextSpecific {
                constructed: true,
                number: der::TagNumber::N0,
            }
            && f.value().first() == Some(&0x30)
    })
}

fn unsupported_key_algorithm(alg: ObjectIdentifier) -> Error {
    // An RSA key restricted to PSS (`openssl genpkey -algorithm RSA-PSS`): its certificate
    // verifies, its private key is not used here; named, not left as a bare OID.
    let named = if alg == rfc5912::ID_RSASSA_PSS {
        "RSA-PSS (id-RSASSA-PSS, an RSA key restricted to PSS signatures)".to_string()
    } else {
        crate::keys::x509::signature::unsupported_algorithm_name(&alg)
            .map_or_else(|| alg.to_string(), str::to_string)
    };
    Error::new(
        ErrorCode::UnsupportedAlgorithm,
        format!("The key algorithm {named} is not supported (RSA, P-256, P-384 and P-521 are)."),
    )
}

/// An X.509 certificate in the keyring, with its private key when known.
#[derive(Clone)]
pub(crate) struct SmimeEntry {
    cert: Certificate,
    der: Vec<u8>,
    id: String,
    /// From the sealed vault: read when first used (`OnUse`).
    secret: Option<OnUse<SmimeSecret>>,
    trusted: bool,
}

impl SmimeEntry {
    /// From a certificate's DER bytes.
    pub(crate) fn from_der(der: &[u8], trusted: bool) -> Result<Self> {
        let cert = Certificate::from_der(der)
            .map_err(|_| Error::unsupported_format("The certificate could not be read."))?;
        Self::from_certificate(cert, trusted)
    }

    pub(crate) fn from_certificate(cert: Certificate, trusted: bool) -> Result<Self> {
        let der = cert
            .to_der()
            .map_err(|_| Error::unsupported_format("The certificate could not be encoded."))?;
        let id = hex::encode_upper(Sha256::digest(&der));
        Ok(SmimeEntry {
            cert,
            der,
            id,
            secret: None,
            trusted,
        })
    }

    /// Attaches the matching private key; errors when it does not belong to this certificate.
    pub(crate) fn with_secret(mut self, secret: SmimeSecret) -> Result<Self> {
        if !secret.matches(&self.cert) {
            return Err(Error::new(
                ErrorCode::BadInput,
                "The private key does not belong to the certificate.",
            ));
        }
        self.secret = Some(OnUse::parsed(secret));
        Ok(self)
    }

    pub(crate) fn id(&self) -> String {
        self.id.clone()
    }

    pub(crate) fn certificate(&self) -> &Certificate {
        &self.cert
    }

    pub(crate) fn der(&self) -> &[u8] {
        &self.der
    }

    pub(crate) fn secret(&self) -> Option<&SmimeSecret> {
        self.secret
            .as_ref()?
            .get(|der| SmimeSecret::from_stored_pkcs8_der(der).ok())
    }

    pub(crate) fn has_secret(&self) -> bool {
        self.secret.is_some()
    }

    pub(crate) fn trusted(&self) -> bool {
        self.trusted
    }

    pub(crate) fn merge(&mut self, other: SmimeEntry) {
        if self.secret.is_none() {
            self.secret = other.secret;
        }
        self.trusted |= other.trusted;
    }

    pub(crate) fn matches_issuer_serial(&self, isn: &cms::cert::IssuerAndSerialNumber) -> bool {
        self.cert.tbs_certificate.issuer == isn.issuer
            && self.cert.tbs_certificate.serial_number == isn.serial_number
    }

    pub(crate) fn subject_key_id(&self) -> Option<Vec<u8>> {
        match self.cert.tbs_certificate.get::<SubjectKeyIdentifier>() {
            Ok(Some((_, ski))) => Some(ski.0.as_bytes().to_vec()),
            _ => None,
        }
    }

    /// Sorted, unique e-mail addresses in key form ([`crate::Address::key_of`]): SAN
    /// rfc822Name and SmtpUTF8Mailbox, and subject emailAddress.
    pub(crate) fn emails(&self) -> Vec<String> {
        crate::keys::x509::constraints::certificate_emails(&self.cert)
    }

    pub(crate) fn is_ca(&self) -> bool {
        matches!(
            self.cert.tbs_certificate.get::<BasicConstraints>(),
            Ok(Some((_, bc))) if bc.ca
        )
    }

    /// A CA certificate that is only a CA: not a self-signed certificate made for an address
    /// (`openssl req -x509 -subj ".../emailAddress=..."` marks its certificates CA:TRUE by
    /// default; trusted as an anchor, such a certificate is also the person's own, as openssl
    /// and gpgsm take it). Whether it may sign or encrypt is then up to its key usage.
    pub(crate) fn is_ca_only(&self) -> bool {
        let tbs = &self.cert.tbs_certificate;
        let own_certificate = tbs.subject == tbs.issuer && !self.emails().is_empty();
        self.is_ca() && !own_certificate
    }

    fn key_usage(&self) -> Option<KeyUsage> {
        match self.cert.tbs_certificate.get::<KeyUsage>() {
            Ok(Some((_, ku))) => Some(ku),
            _ => None,
        }
    }

    /// RFC 8550 §4.4.4: an EKU extension, if present, must allow emailProtection.
    pub(crate) fn eku_allows_email(&self) -> bool {
        match self.cert.tbs_certificate.get::<ExtendedKeyUsage>() {
            Ok(Some((_, eku))) => eku.0.iter().any(|p| {
                *p == rfc5280::ID_KP_EMAIL_PROTECTION || *p == rfc5280::ANY_EXTENDED_KEY_USAGE
            }),
            Ok(None) => true,
            Err(_) => false,
        }
    }

    /// An RSA key (rsaEncryption) or an EC key on P-256, P-384 or P-521, what
    /// `smime::encrypt` makes recipient infos for. Not an id-RSASSA-PSS key, which is for
    /// signatures only (RFC 4055 §1.2), nor a curve mailseal has no key agreement on.
    fn key_receives_mail(&self) -> bool {
        let oid = self
            .cert
            .tbs_certificate
            .subject_public_key_info
            .algorithm
            .oid;
        oid == rfc5912::RSA_ENCRYPTION
            || matches!(self.algorithm().as_str(), "p256" | "p384" | "p521")
    }

    fn is_ec(&self) -> bool {
        self.cert
            .tbs_certificate
            .subject_public_key_info
            .algorithm
            .oid
            == rfc5912::ID_EC_PUBLIC_KEY
    }

    /// Whether mailseal signs and verifies with this key type (RSA, RSASSA-PSS, ECDSA on P-256,
    /// P-384, P-521); not Brainpool or secp256k1 curves, nor Ed25519 (RFC 8419).
    fn key_signs(&self) -> bool {
        let oid = self
            .cert
            .tbs_certificate
            .subject_public_key_info
            .algorithm
            .oid;
        oid == rfc5912::RSA_ENCRYPTION
            || oid == rfc5912::ID_RSASSA_PSS
            || matches!(self.algorithm().as_str(), "p256" | "p384" | "p521")
    }

    /// May sign mail: digitalSignature or nonRepudiation (or no keyUsage), EKU allows e-mail,
    /// and a key type mailseal signs with.
    /// Whether every critical extension is one mailseal processes or may ignore (RFC 5280
    /// §4.2: a certificate with any other must be rejected, for signing and encryption alike).
    pub(crate) fn critical_extensions_known(&self) -> bool {
        crate::keys::x509::constraints::critical_extensions_known(&self.cert)
    }

    pub(crate) fn can_sign(&self) -> bool {
        if self.is_ca_only()
            || !self.critical_extensions_known()
            || !self.eku_allows_email()
            || !self.key_signs()
        {
            return false;
        }
        match self.key_usage() {
            Some(ku) => ku.digital_signature() || ku.non_repudiation(),
            None => true,
        }
    }

    /// May receive encrypted mail: keyEncipherment (RSA) / keyAgreement (EC), EKU allows e-mail,
    /// and a key type mailseal encrypts to.
    pub(crate) fn can_encrypt(&self) -> bool {
        if self.is_ca_only()
            || !self.critical_extensions_known()
            || !self.eku_allows_email()
            || !self.key_receives_mail()
        {
            return false;
        }
        match self.key_usage() {
            Some(ku) if self.is_ec() => ku.key_agreement(),
            Some(ku) => ku.key_encipherment(),
            None => true,
        }
    }

    pub(crate) fn not_before(&self) -> Time {
        Time::from_x509(&self.cert.tbs_certificate.validity.not_before)
    }

    pub(crate) fn not_after(&self) -> Time {
        Time::from_x509(&self.cert.tbs_certificate.validity.not_after)
    }

    pub(crate) fn status(&self, now: Time) -> KeyStatus {
        if now < self.not_before() {
            KeyStatus::NotYetValid
        } else if now > self.not_after() {
            KeyStatus::Expired
        } else {
            KeyStatus::Valid
        }
    }

    /// `rsa2048`, `p256`, ... from the subject public key info.
    pub(crate) fn algorithm(&self) -> String {
        let spki = &self.cert.tbs_certificate.subject_public_key_info;
        let oid = spki.algorithm.oid;
        if oid == rfc5912::RSA_ENCRYPTION || oid == rfc5912::ID_RSASSA_PSS {
            use rsa::traits::PublicKeyParts;
            // An id-RSASSA-PSS key (signatures only) holds the same RSAPublicKey.
            let name = if oid == rfc5912::RSA_ENCRYPTION {
                "rsa"
            } else {
                "rsa-pss"
            };
            match crate::crypto::rsa_public_key(spki.subject_public_key.raw_bytes()) {
                Some(k) => format!("{name}{}", k.n().bits()),
                None => name.to_string(),
            }
        } else if oid == rfc5912::ID_EC_PUBLIC_KEY {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            match curve {
                Some(c) if c == rfc5912::SECP_256_R_1 => "p256".to_string(),
                Some(c) if c == rfc5912::SECP_384_R_1 => "p384".to_string(),
                Some(c) if c == rfc5912::SECP_521_R_1 => "p521".to_string(),
                Some(c) => match crate::keys::x509::signature::unsupported_curve_name(&c) {
                    Some(name) => name.to_string(),
                    None => format!("ec-{c}"),
                },
                None => "ec".to_string(),
            }
        } else if oid == const_oid::db::rfc8410::ID_ED_25519 {
            "ed25519".to_string()
        } else {
            oid.to_string()
        }
    }

    pub(crate) fn info(&self, now: Time) -> KeyInfo {
        let tbs = &self.cert.tbs_certificate;
        KeyInfo {
            id: self.id(),
            kind: KeyKind::Smime,
            emails: self.emails(),
            has_secret: self.has_secret(),
            can_sign: self.can_sign(),
            can_encrypt: self.can_encrypt(),
            trusted: self.trusted,
            created: self.not_before().to_rfc3339(),
            expires: Some(self.not_after().to_rfc3339()),
            status: self.status(now),
            algorithm: self.algorithm(),
            subject: Some(tbs.subject.to_string()),
            issuer: Some(tbs.issuer.to_string()),
            is_ca: self.is_ca(),
            key_ids: vec![hex::encode_upper(tbs.serial_number.as_bytes())],
            conflicts: Vec::new(),
            trust: Trust::Unverified,
            origin: None,
        }
    }

    /// PEM certificate.
    pub(crate) fn export_public(&self) -> Result<String> {
        der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &self.der)
            .map_err(|_| Error::internal("The certificate could not be encoded."))
    }

    /// PKCS#12 (PBES2 AES-256-CBC, PBKDF2-HMAC-SHA-256, HMAC-SHA-256 MAC) with the chain.
    pub(crate) fn export_secret(
        &self,
        passphrase: &str,
        chain: &[Certificate],
        _rng: &mut dyn Rng,
    ) -> Result<Vec<u8>> {
        // p12-keystore draws its salts from the OS RNG itself (getrandom; js on wasm32).
        if self.secret.is_none() {
            return Err(Error::new(
                ErrorCode::NoPrivateKey,
                "No private key to export.",
            ));
        }
        let pkcs8 = self.stored_secret()?;
        let encode_err = |_| Error::internal("The PKCS#12 file could not be written.");
        let mut certs = vec![p12_keystore::Certificate::from_der(&self.der).map_err(encode_err)?];
        for c in chain {
            let der = c.to_der().map_err(|_| Error::internal("chain encoding"))?;
            certs.push(p12_keystore::Certificate::from_der(&der).map_err(encode_err)?);
        }
        let local_key_id = sha1_digest(&self.der);
        let key_chain = p12_keystore::PrivateKeyChain::new(&*pkcs8, local_key_id, certs);
        let mut store = p12_keystore::KeyStore::new();
        let alias = self
            .emails()
            .into_iter()
            .next()
            .unwrap_or_else(|| "mailseal".to_string());
        store.add_entry(
            &alias,
            p12_keystore::KeyStoreEntry::PrivateKeyChain(key_chain),
        );
        store
            .writer(passphrase)
            .encryption_iterations(100_000)
            .mac_iterations(100_000)
            .write()
            .map_err(encode_err)
    }

    /// For the sealed vault.
    pub(crate) fn to_stored(&self) -> Result<StoredKey> {
        let secret = match &self.secret {
            Some(_) => Some(self.stored_secret()?),
            None => None,
        };
        Ok(StoredKey {
            public: self.der.clone(),
            secret,
            checked: None,
        })
    }

    /// The private key as PKCS#8: as it was sealed if it has not been read since.
    fn stored_secret(&self) -> Result<SecretBytes> {
        let Some(on_use) = &self.secret else {
            return Err(Error::new(ErrorCode::NoPrivateKey, "No private key."));
        };
        if let Some(sealed) = on_use.unparsed() {
            return Ok(sealed.clone());
        }
        self.secret()
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::CorruptVault,
                    "A stored private key in the keyring is damaged.",
                )
            })?
            .to_pkcs8_der()
    }

    /// The inverse of [`SmimeEntry::to_stored`]. The private key was matched against the
    /// certificate when it was imported and the vault's AEAD vouches for the pair, so it is
    /// not matched again, and it is read when first used: a new Worker isolate opens its
    /// keyring without point multiplications or RSA key checks.
    pub(crate) fn from_stored(cert: &[u8], secret: Option<&[u8]>, trusted: bool) -> Result<Self> {
        // The stored bytes are what `to_der` wrote on import: kept as they are, not encoded again.
        let parsed = Certificate::from_der(cert)
            .map_err(|_| Error::unsupported_format("The certificate could not be read."))?;
        let mut entry = SmimeEntry {
            cert: parsed,
            der: cert.to_vec(),
            id: hex::encode_upper(Sha256::digest(cert)),
            secret: None,
            trusted,
        };
        entry.secret = secret.map(OnUse::sealed);
        Ok(entry)
    }
}

fn sha1_digest(data: &[u8]) -> Vec<u8> {
    use sha1::Digest as _;
    sha1::Sha1::digest(data).to_vec()
}

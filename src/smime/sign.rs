//! Writing SignedData (RFC 5652 §5) for S/MIME (RFC 8551 §3.5): detached
//! `multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256` (RFC 1847,
//! RFC 8551 §3.5.3) or opaque `application/pkcs7-mime; smime-type=signed-data` (§3.5.2).
//!
//! One SignerInfo (version 1, issuer and serial number), SHA-256, RSA PKCS#1 v1.5 (blinded)
//! or ECDSA P-256/P-384/P-521 over SHA-256 (RFC 5754 / RFC 5753 §7.1.3), with the signed attributes
//! content-type, signing-time (the caller's clock), message-digest and SMIMECapabilities
//! (RFC 8551 §2.5), and SMIMEEncryptionKeyPreference when the signer encrypts with another
//! certificate (§2.5.3). The certificate set holds the signer's certificate, its chain from
//! the keyring, and that encryption certificate.
//!
//! The signed entity goes out byte for byte as it was hashed: line ends are made CRLF first
//! (RFC 8551 §3.1.1) and anything but 7-bit text is refused, so no relay has a reason to
//! re-encode it (the caller encodes 8-bit bodies as quoted-printable or base64).

use cms::cert::CertificateChoices;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::db::{rfc5911, rfc5912};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Tag};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::{Attribute, AttributeValue};

use super::algorithms::{self as algs, EncryptionKeyPreference, SmimeCapability};
use crate::crypto::provider::{self, DigestAlg};
use crate::engine::WriteContext;
use crate::error::{Error, ErrorCode, Result};
use crate::keys::smime::SmimeSecret;
use crate::keys::x509::cert::issuer_serial;
use crate::keys::{Keyring, SmimeEntry};
use crate::mime::{into_crlf, new_boundary, Entity};
use crate::policy::SmimeSignedForm;

fn encode_err(_: impl core::fmt::Debug) -> Error {
    Error::internal("The signature could not be encoded.")
}

fn attribute(oid: const_oid::ObjectIdentifier, value: impl Encode) -> Result<Attribute> {
    let der = value.to_der().map_err(encode_err)?;
    let value = AttributeValue::from_der(&der).map_err(encode_err)?;
    let mut values = SetOfVec::new();
    values.insert(value).map_err(encode_err)?;
    Ok(Attribute { oid, values })
}

/// What mailseal can read, strongest first (RFC 8551 §2.5.2).
fn capabilities() -> Vec<SmimeCapability> {
    [
        algs::ID_AES_256_GCM,
        rfc5911::ID_AES_256_CBC,
        algs::ID_AES_128_GCM,
        rfc5911::ID_AES_192_CBC,
        rfc5911::ID_AES_128_CBC,
    ]
    .into_iter()
    .map(|oid| SmimeCapability {
        capability_id: oid,
        parameters: None,
    })
    .collect()
}

/// RFC 5652 §11.3: UTCTime through 2049, GeneralizedTime after.
fn signing_time(now: crate::time::Time) -> Option<x509_cert::time::Time> {
    let dt = now.to_der()?;
    if dt.year() < 2050 {
        der::asn1::UtcTime::from_date_time(dt)
            .ok()
            .map(x509_cert::time::Time::UtcTime)
    } else {
        Some(x509_cert::time::Time::GeneralTime(
            der::asn1::GeneralizedTime::from_date_time(dt),
        ))
    }
}

/// The canonical, 7-bit form of the entity to sign.
pub(crate) fn canonical(entity: Vec<u8>) -> Result<Vec<u8>> {
    let canon = into_crlf(entity);
    // Word-at-a-time checks: a byte loop here was a tenth of signing 1 MiB in wasm.
    if !canon.is_ascii() || memchr::memchr(0, &canon).is_some() {
        return Err(Error::bad_input(
            "The part to sign must be 7-bit text (encode 8-bit bodies as quoted-printable or base64).",
        ));
    }
    if memchr::memmem::find(&canon, b"\r\n\r\n").is_none() && !canon.starts_with(b"\r\n") {
        return Err(Error::bad_input(
            "The part to sign must be a MIME entity (header fields, an empty line, a body).",
        ));
    }
    Ok(canon)
}

/// SignedData over `content` as DER ContentInfo; `attached` puts the content inside.
pub(crate) async fn signed_data(
    ring: &Keyring,
    entry: &SmimeEntry,
    encryption: Option<&SmimeEntry>,
    content: &[u8],
    attached: bool,
    ctx: &mut WriteContext<'_>,
) -> Result<Vec<u8>> {
    let secret = entry.secret().ok_or_else(|| {
        Error::new(
            ErrorCode::SenderKeyMissing,
            "The private key for signing is not in the keyring.",
        )
    })?;
    let cert = entry.certificate();
    let signed_attrs = signed_attributes(content, encryption, ctx.now).await?;
    let to_sign = signed_attrs.to_der().map_err(encode_err)?;
    let (signature, signature_algorithm) = sign_attributes(secret, cert, &to_sign, ctx).await?;

    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(issuer_serial(cert)),
        digest_alg: algs::alg(rfc5912::ID_SHA_256),
        signed_attrs: Some(signed_attrs),
        signature_algorithm,
        signature: OctetString::new(signature).map_err(encode_err)?,
        unsigned_attrs: None,
    };
    let mut certs = vec![CertificateChoices::Certificate(cert.clone())];
    if let Some(enc) = encryption {
        certs.push(CertificateChoices::Certificate(enc.certificate().clone()));
    }
    for c in ring.chain_for(entry) {
        certs.push(CertificateChoices::Certificate(c));
    }
    let econtent = if attached {
        Some(Any::new(Tag::OctetString, content.to_vec()).map_err(encode_err)?)
    } else {
        None
    };
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![algs::alg(rfc5912::ID_SHA_256)])
            .map_err(encode_err)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: rfc5911::ID_DATA,
            econtent,
        },
        certificates: Some(CertificateSet(unique_set(certs)?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(encode_err)?),
    };
    let ci = ContentInfo {
        content_type: rfc5911::ID_SIGNED_DATA,
        content: Any::encode_from(&sd).map_err(encode_err)?,
    };
    ci.to_der().map_err(encode_err)
}

/// The signed attributes: content type, signing time, the content's SHA-256 digest, what
/// mailseal can read, and the separate encryption certificate if there is one.
async fn signed_attributes(
    content: &[u8],
    encryption: Option<&SmimeEntry>,
    now: crate::time::Time,
) -> Result<SetOfVec<Attribute>> {
    // The content may be the whole message: through the provider (native digest where offered).
    let digest = provider::digest(DigestAlg::Sha256, content).await;
    let signing_time =
        signing_time(now).ok_or_else(|| Error::bad_input("The signing time is out of range."))?;
    let mut attrs = vec![
        attribute(algs::CONTENT_TYPE, rfc5911::ID_DATA)?,
        attribute(algs::SIGNING_TIME, signing_time)?,
        attribute(
            algs::MESSAGE_DIGEST,
            OctetString::new(digest).map_err(encode_err)?,
        )?,
        attribute(algs::SMIME_CAPABILITIES, capabilities())?,
    ];
    if let Some(enc) = encryption {
        attrs.push(attribute(
            algs::ENCRYPTION_KEY_PREFERENCE,
            EncryptionKeyPreference::IssuerAndSerialNumber(issuer_serial(enc.certificate())),
        )?);
    }
    SetOfVec::try_from(attrs).map_err(encode_err)
}

/// The signature over the DER of the signed attributes (`to_sign`), with its algorithm
/// identifier: RSA PKCS#1 v1.5 or ECDSA, SHA-256.
async fn sign_attributes(
    secret: &SmimeSecret,
    cert: &x509_cert::Certificate,
    to_sign: &[u8],
    ctx: &mut WriteContext<'_>,
) -> Result<(Vec<u8>, AlgorithmIdentifierOwned)> {
    let hashed = Sha256::digest(to_sign);
    Ok(match secret {
        SmimeSecret::Rsa(key) => {
            // On the platform where it signs (checked before use), else in wasm.
            let sig = provider::rsa_sign(key, DigestAlg::Sha256, to_sign, &hashed, &mut *ctx.rng)
                .await
                .ok_or_else(|| Error::internal("The RSA signature failed."))?;
            // rsaEncryption, as OpenSSL and Outlook write it (RFC 3370 §3.2).
            (sig, algs::alg_null(rfc5912::RSA_ENCRYPTION))
        }
        SmimeSecret::P256(key) => {
            use p256::ecdsa::signature::hazmat::PrehashSigner;
            let point = cert
                .tbs_certificate
                .subject_public_key_info
                .subject_public_key
                .raw_bytes();
            let sig = match provider::ecdsa_p256_sign_on_platform(key, point, to_sign).await {
                Some(der) => der,
                None => {
                    let sk = p256::ecdsa::SigningKey::from(key);
                    let sig: p256::ecdsa::Signature =
                        sk.sign_prehash(&hashed).map_err(encode_err)?;
                    sig.to_der().as_bytes().to_vec()
                }
            };
            (sig, algs::alg(rfc5912::ECDSA_WITH_SHA_256))
        }
        SmimeSecret::P384(key) => {
            use p384::ecdsa::signature::hazmat::PrehashSigner;
            let sk = p384::ecdsa::SigningKey::from(key);
            let sig: p384::ecdsa::Signature = sk.sign_prehash(&hashed).map_err(encode_err)?;
            (
                sig.to_der().as_bytes().to_vec(),
                algs::alg(rfc5912::ECDSA_WITH_SHA_256),
            )
        }
        SmimeSecret::P521(key) => {
            use p521::ecdsa::signature::hazmat::PrehashSigner;
            let sk = p521::ecdsa::SigningKey::from_bytes(&key.to_bytes()).map_err(encode_err)?;
            let sig: p521::ecdsa::Signature = sk
                .sign_prehash(&crate::keys::x509::signature::p521_prehash(&hashed))
                .map_err(encode_err)?;
            (
                sig.to_der().as_bytes().to_vec(),
                algs::alg(rfc5912::ECDSA_WITH_SHA_256),
            )
        }
    })
}

/// A SET OF certificates, each once (the chain may repeat the encryption certificate's CA).
fn unique_set(certs: Vec<CertificateChoices>) -> Result<SetOfVec<CertificateChoices>> {
    let mut set = SetOfVec::new();
    for c in certs {
        if !set.iter().any(|have| *have == c) {
            set.insert(c).map_err(encode_err)?;
        }
    }
    Ok(set)
}

/// The signed entity in the requested form. `encryption`: the signer's certificate for
/// encrypted replies when it is not the signing certificate (sent along, and named in the
/// SMIMEEncryptionKeyPreference attribute).
pub(crate) async fn sign_entity(
    ring: &Keyring,
    entry: &SmimeEntry,
    encryption: Option<&SmimeEntry>,
    entity: Vec<u8>,
    form: SmimeSignedForm,
    ctx: &mut WriteContext<'_>,
) -> Result<Vec<u8>> {
    let content = canonical(entity)?;
    match form {
        SmimeSignedForm::Detached => {
            let der = signed_data(ring, entry, encryption, &content, false, ctx).await?;
            let boundary = new_boundary(ctx.rng);
            let sig_part = Entity::new("application/pkcs7-signature; name=\"smime.p7s\"")
                .header("Content-Disposition", "attachment; filename=\"smime.p7s\"")
                .base64(&der)
                .into_bytes();
            Ok(Entity::new(format!(
                "multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;\r\n boundary=\"{boundary}\""
            ))
            .multipart(&boundary, vec![content, sig_part])
            .into_bytes())
        }
        SmimeSignedForm::Opaque => {
            let der = signed_data(ring, entry, encryption, &content, true, ctx).await?;
            Ok(p7m_entity("signed-data", der))
        }
    }
}

/// `application/pkcs7-mime` with the file name Outlook and Thunderbird expect.
pub(crate) fn p7m_entity(smime_type: &str, der: Vec<u8>) -> Vec<u8> {
    Entity::new(format!(
        "application/pkcs7-mime; smime-type={smime_type}; name=\"smime.p7m\""
    ))
    .header("Content-Disposition", "attachment; filename=\"smime.p7m\"")
    .base64_owned(der)
    .into_bytes()
}

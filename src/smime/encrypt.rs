//! Writing EnvelopedData (RFC 5652 §6) and AuthEnvelopedData (RFC 5083) for S/MIME
//! (RFC 8551 §3.3).
//!
//! Content: AES-256-CBC (default) or AES-128-CBC (RFC 3565), or AES-256-GCM with a 12-byte
//! nonce and a 16-byte tag (RFC 5084) in AuthEnvelopedData. Recipients, one entry each:
//! RSA certificates get KeyTransRecipientInfo with PKCS#1 v1.5 (default) or RSAES-OAEP
//! SHA-256/MGF1-SHA-256 (RFC 8017 A.2.1); EC certificates (P-256/P-384/P-521) get
//! KeyAgreeRecipientInfo with an ephemeral key, dhSinglePass-stdDH-sha256kdf-scheme and
//! AES key wrap of the content key's size (RFC 5753 §3.1.1, RFC 3394).

use cms::content_info::CmsVersion;
use cms::enveloped_data::{
    EncryptedContentInfo, EnvelopedData, KeyAgreeRecipientIdentifier, KeyAgreeRecipientInfo,
    KeyTransRecipientInfo, OriginatorIdentifierOrKey, OriginatorPublicKey, RecipientEncryptedKey,
    RecipientIdentifier, RecipientInfo, RecipientInfos,
};
use const_oid::db::{rfc5911, rfc5912};
use const_oid::ObjectIdentifier;
use der::asn1::{BitString, ContextSpecificRef, OctetString, SetOfVec};
use der::{Any, Encode, EncodeValue, FixedTag, Length, Tag, TagMode, TagNumber, Tagged, Writer};
use p256::elliptic_curve;
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use super::algorithms::{self as algs, AuthEnvelopedData, GcmParameters, Hash};
use super::ecdh_kdf::derive_kek;
use crate::crypto::provider;
use crate::engine::WriteContext;
use crate::error::{Error, Result};
use crate::keys::x509::cert::issuer_serial;
use crate::mime::prepend;
use crate::policy::{SmimeCipher, SmimeKeyTransport};
use crate::secret::SecretBytes;

fn encode_err(_: impl core::fmt::Debug) -> Error {
    Error::internal("The encrypted message could not be encoded.")
}

fn random(ctx: &mut WriteContext<'_>, len: usize) -> SecretBytes {
    let mut v = SecretBytes::new(vec![0u8; len]);
    ctx.rng.fill_bytes(&mut v);
    v
}

/// Encrypts `content` to every certificate; returns the DER ContentInfo and the S/MIME type.
/// Each stage drops what the next one no longer needs (the plaintext once encrypted, the
/// structure once encoded): a large message is held at most twice at once.
pub(crate) async fn envelope(
    certs: &[&Certificate],
    content: Vec<u8>,
    ctx: &mut WriteContext<'_>,
) -> Result<(Vec<u8>, &'static str)> {
    let cipher = ctx.algorithms.smime_cipher;
    let key_len = match cipher {
        SmimeCipher::Aes128Cbc | SmimeCipher::Aes128Gcm => 16,
        SmimeCipher::Aes256Cbc | SmimeCipher::Aes256Gcm => 32,
    };
    let cek = random(ctx, key_len);
    let mut recipients = Vec::with_capacity(certs.len());
    for cert in certs {
        recipients.push(recipient_info(cert, &cek, ctx).await?);
    }
    let any_not_v0 = recipients
        .iter()
        .any(|r| !matches!(r, RecipientInfo::Ktri(k) if k.version == CmsVersion::V0));
    let recip_infos = RecipientInfos(SetOfVec::try_from(recipients).map_err(encode_err)?);

    match cipher {
        SmimeCipher::Aes128Cbc | SmimeCipher::Aes256Cbc => {
            let iv = random(ctx, 16);
            let oid = if key_len == 16 {
                rfc5911::ID_AES_128_CBC
            } else {
                rfc5911::ID_AES_256_CBC
            };
            // Encrypted in place: the plaintext buffer becomes the ciphertext.
            let mut ct = content;
            if !provider::aes_cbc_encrypt_in_place(&cek, &iv, &mut ct).await {
                return Err(encode_err("AES-CBC key or IV length"));
            }
            let mut ed = EnvelopedData {
                // RFC 5652 §6.1: 0 when every RecipientInfo is version 0, else 2.
                version: if any_not_v0 {
                    CmsVersion::V2
                } else {
                    CmsVersion::V0
                },
                originator_info: None,
                recip_infos,
                encrypted_content: EncryptedContentInfo {
                    content_type: rfc5911::ID_DATA,
                    content_enc_alg: AlgorithmIdentifierOwned {
                        oid,
                        parameters: Some(
                            Any::encode_from(&OctetString::new(iv.to_vec()).map_err(encode_err)?)
                                .map_err(encode_err)?,
                        ),
                    },
                    encrypted_content: Some(OctetString::new(ct).map_err(encode_err)?),
                },
                unprotected_attrs: None,
            };
            let der = content_info_around(rfc5911::ID_ENVELOPED_DATA, &mut ed, |ed| {
                &mut ed.encrypted_content.encrypted_content
            })?;
            Ok((der, "enveloped-data"))
        }
        SmimeCipher::Aes128Gcm | SmimeCipher::Aes256Gcm => {
            let nonce = random(ctx, 12);
            let mut sealed = provider::aes_gcm_encrypt(&cek, &nonce, b"", &content, 16)
                .await
                .ok_or_else(|| encode_err("AES-GCM key or nonce length"))?;
            drop(content);
            let tag = sealed.split_off(sealed.len().saturating_sub(16));
            let params = GcmParameters {
                nonce: OctetString::new(nonce.to_vec()).map_err(encode_err)?,
                icv_len: 16,
            };
            let mut ad = AuthEnvelopedData {
                version: CmsVersion::V0,
                originator_info: None,
                recip_infos,
                auth_encrypted_content: EncryptedContentInfo {
                    content_type: rfc5911::ID_DATA,
                    content_enc_alg: AlgorithmIdentifierOwned {
                        oid: if key_len == 16 {
                            algs::ID_AES_128_GCM
                        } else {
                            algs::ID_AES_256_GCM
                        },
                        parameters: Some(Any::encode_from(&params).map_err(encode_err)?),
                    },
                    encrypted_content: Some(OctetString::new(sealed).map_err(encode_err)?),
                },
                auth_attrs: None,
                mac: OctetString::new(tag).map_err(encode_err)?,
                unauth_attrs: None,
            };
            let der = content_info_around(algs::ID_CT_AUTH_ENVELOPED_DATA, &mut ad, |ad| {
                &mut ad.auth_encrypted_content.encrypted_content
            })?;
            Ok((der, "authEnveloped-data"))
        }
    }
}

/// The DER ContentInfo (RFC 5652 §3) of `content`, whose encrypted content (`body` of it) is
/// most of a large message: `der` encodes everything but those bytes, which stay where they
/// are, and the encoding around them is put in their own buffer. Encoding the content into an
/// `Any` and that into a ContentInfo held the message twice more (issue 12's peak memory).
fn content_info_around<T: EncodeValue + Tagged>(
    content_type: ObjectIdentifier,
    content: &mut T,
    body: impl Fn(&mut T) -> &mut Option<OctetString>,
) -> Result<Vec<u8>> {
    let mut writer = AllBut::default();
    {
        // An empty body has no address of its own to tell it by: it is written as it is.
        let bytes = body(content).as_ref().map(OctetString::as_bytes);
        writer.body = bytes
            .filter(|b| !b.is_empty())
            .map(|b| (b.as_ptr(), b.len()));
        let ci = ContentInfoOf {
            content_type,
            content: &*content,
        };
        ci.encode(&mut writer).map_err(encode_err)?;
    }
    if writer.body.is_none() {
        return Ok(writer.head);
    }
    let Some(bytes) = body(content).take() else {
        return Err(encode_err("the encrypted content went missing"));
    };
    if !writer.seen {
        return Err(encode_err("the encrypted content was not written"));
    }
    let mut der = prepend(&writer.head, bytes.into_bytes());
    der.extend_from_slice(&writer.tail);
    Ok(der)
}

/// ContentInfo with its content encoded where it is (`[0] EXPLICIT`), not through an `Any`.
struct ContentInfoOf<'c, T> {
    content_type: ObjectIdentifier,
    content: &'c T,
}

impl<T: EncodeValue + Tagged> ContentInfoOf<'_, T> {
    fn explicit(&self) -> ContextSpecificRef<'_, T> {
        ContextSpecificRef {
            tag_number: TagNumber::N0,
            tag_mode: TagMode::Explicit,
            value: self.content,
        }
    }
}

impl<T: EncodeValue + Tagged> EncodeValue for ContentInfoOf<'_, T> {
    fn value_len(&self) -> der::Result<Length> {
        self.content_type.encoded_len()? + self.explicit().encoded_len()?
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        self.content_type.encode(writer)?;
        self.explicit().encode(writer)
    }
}

impl<T> FixedTag for ContentInfoOf<'_, T> {
    const TAG: Tag = Tag::Sequence;
}

/// A DER writer that keeps everything but one slice (`body`, known by its address and length,
/// written once by the OCTET STRING that holds it): what comes before and after it.
#[derive(Default)]
struct AllBut {
    body: Option<(*const u8, usize)>,
    seen: bool,
    head: Vec<u8>,
    tail: Vec<u8>,
}

impl Writer for AllBut {
    fn write(&mut self, slice: &[u8]) -> der::Result<()> {
        if !self.seen && self.body == Some((slice.as_ptr(), slice.len())) {
            self.seen = true;
        } else if self.seen {
            self.tail.extend_from_slice(slice);
        } else {
            self.head.extend_from_slice(slice);
        }
        Ok(())
    }
}

async fn recipient_info(
    cert: &Certificate,
    cek: &[u8],
    ctx: &mut WriteContext<'_>,
) -> Result<RecipientInfo> {
    let oid = cert.tbs_certificate.subject_public_key_info.algorithm.oid;
    if oid == rfc5912::RSA_ENCRYPTION {
        return key_transport(cert, cek, ctx).await;
    }
    if oid == rfc5912::ID_EC_PUBLIC_KEY {
        return key_agreement(cert, cek, ctx).await;
    }
    Err(Error::new(
        crate::error::ErrorCode::UnsupportedAlgorithm,
        "A recipient's certificate has a key type mailseal cannot encrypt to.",
    ))
}

/// KeyTransRecipientInfo: the content key encrypted to an RSA recipient (PKCS#1 v1.5 or OAEP,
/// as the policy says).
async fn key_transport(
    cert: &Certificate,
    cek: &[u8],
    ctx: &mut WriteContext<'_>,
) -> Result<RecipientInfo> {
    let key_bits = cert
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    let key = crate::crypto::rsa_public_key(key_bits)
        .ok_or_else(|| Error::unsupported_format("A recipient's RSA key could not be read."))?;
    let (oaep, alg) = match ctx.algorithms.smime_key_transport {
        SmimeKeyTransport::RsaPkcs1v15 => (false, algs::alg_null(rfc5912::RSA_ENCRYPTION)),
        SmimeKeyTransport::RsaOaepSha256 => {
            let params = pkcs1::RsaOaepParams::new::<sha2::Sha256>();
            let params = Any::encode_from(&params).map_err(encode_err)?;
            let alg = AlgorithmIdentifierOwned {
                oid: rfc5912::ID_RSAES_OAEP,
                parameters: Some(params),
            };
            (true, alg)
        }
    };
    let enc = provider::rsa_encrypt(&key, oaep, cek, &mut *ctx.rng)
        .await
        .ok_or_else(|| Error::internal("RSA key transport failed."))?;
    Ok(RecipientInfo::Ktri(KeyTransRecipientInfo {
        version: CmsVersion::V0,
        rid: RecipientIdentifier::IssuerAndSerialNumber(issuer_serial(cert)),
        key_enc_alg: alg,
        enc_key: OctetString::new(enc).map_err(encode_err)?,
    }))
}

/// KeyAgreeRecipientInfo: the content key wrapped (AES key wrap of its size) under a key
/// agreed between a fresh ephemeral key and an EC recipient (RFC 5753 §3.1.1).
async fn key_agreement(
    cert: &Certificate,
    cek: &[u8],
    ctx: &mut WriteContext<'_>,
) -> Result<RecipientInfo> {
    let (ephemeral_point, z) = ephemeral_agreement(cert, ctx).await?;
    let wrap_oid = if cek.len() == 16 {
        algs::ID_AES_128_WRAP
    } else {
        algs::ID_AES_256_WRAP
    };
    let kek =
        derive_kek(Hash::Sha256, &z, wrap_oid, None, cek.len()).ok_or_else(|| encode_err(()))?;
    let wrapped = if cek.len() == 16 {
        aes_kw::KekAes128::try_from(&kek[..])
            .map_err(encode_err)?
            .wrap_vec(cek)
    } else {
        aes_kw::KekAes256::try_from(&kek[..])
            .map_err(encode_err)?
            .wrap_vec(cek)
    }
    .map_err(encode_err)?;
    Ok(RecipientInfo::Kari(KeyAgreeRecipientInfo {
        version: CmsVersion::V3,
        originator: OriginatorIdentifierOrKey::OriginatorKey(OriginatorPublicKey {
            algorithm: algs::alg(rfc5912::ID_EC_PUBLIC_KEY),
            public_key: BitString::from_bytes(&ephemeral_point).map_err(encode_err)?,
        }),
        ukm: None,
        key_enc_alg: AlgorithmIdentifierOwned {
            oid: algs::ECDH_STD_SHA256KDF,
            parameters: Some(Any::encode_from(&algs::alg(wrap_oid)).map_err(encode_err)?),
        },
        recipient_enc_keys: vec![RecipientEncryptedKey {
            rid: KeyAgreeRecipientIdentifier::IssuerAndSerialNumber(issuer_serial(cert)),
            enc_key: OctetString::new(wrapped).map_err(encode_err)?,
        }],
    }))
}

/// A fresh ephemeral key on the recipient's curve (P-256, P-384, P-521): its public point and
/// the shared secret with the recipient's key.
async fn ephemeral_agreement(
    cert: &Certificate,
    ctx: &mut WriteContext<'_>,
) -> Result<(Vec<u8>, SecretBytes)> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key_bits = spki.subject_public_key.raw_bytes();
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<const_oid::ObjectIdentifier>().ok());
    let unsupported = || Error::unsupported_format("A recipient's EC key could not be read.");
    let agreed = match curve {
        Some(c) if c == rfc5912::SECP_256_R_1 => {
            let pk = p256::PublicKey::from_sec1_bytes(key_bits).map_err(|_| unsupported())?;
            // On the platform where it has ECDH (two scalar multiplications), else here.
            if let Some(on_platform) = provider::ecdh_p256_ephemeral_on_platform(key_bits).await {
                on_platform
            } else {
                ephemeral_ecdh(&pk, &mut *ctx.rng)
            }
        }
        Some(c) if c == rfc5912::SECP_384_R_1 => {
            let pk = p384::PublicKey::from_sec1_bytes(key_bits).map_err(|_| unsupported())?;
            ephemeral_ecdh(&pk, &mut *ctx.rng)
        }
        Some(c) if c == rfc5912::SECP_521_R_1 => {
            let pk = p521::PublicKey::from_sec1_bytes(key_bits).map_err(|_| unsupported())?;
            ephemeral_ecdh(&pk, &mut *ctx.rng)
        }
        _ => return Err(unsupported()),
    };
    Ok(agreed)
}

/// ECDH between a fresh ephemeral key and `recipient`, in wasm: the ephemeral public point
/// (SEC1) and the shared secret.
fn ephemeral_ecdh<C>(
    recipient: &elliptic_curve::PublicKey<C>,
    mut rng: &mut dyn crate::rng::Rng,
) -> (Vec<u8>, SecretBytes)
where
    C: elliptic_curve::CurveArithmetic + elliptic_curve::point::PointCompression,
    elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
    elliptic_curve::AffinePoint<C>:
        elliptic_curve::sec1::FromEncodedPoint<C> + elliptic_curve::sec1::ToEncodedPoint<C>,
{
    let eph = elliptic_curve::ecdh::EphemeralSecret::<C>::random(&mut rng);
    let z = eph.diffie_hellman(recipient);
    let point = elliptic_curve::sec1::EncodedPoint::<C>::from(eph.public_key());
    (
        point.as_bytes().to_vec(),
        SecretBytes::new(z.raw_secret_bytes().to_vec()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use cms::content_info::ContentInfo;

    /// The ContentInfo put around the ciphertext in place is byte for byte the one `der` makes
    /// through an `Any` (the way it was written before), for EnvelopedData (ciphertext last) and
    /// AuthEnvelopedData (the MAC after it), large and empty contents.
    #[test]
    fn content_info_around_is_the_plain_encoding() {
        let eci = |ct: Vec<u8>| EncryptedContentInfo {
            content_type: rfc5911::ID_DATA,
            content_enc_alg: AlgorithmIdentifierOwned {
                oid: rfc5911::ID_AES_256_CBC,
                parameters: Some(
                    Any::encode_from(&OctetString::new(vec![7u8; 16]).unwrap()).unwrap(),
                ),
            },
            encrypted_content: Some(OctetString::new(ct).unwrap()),
        };
        fn plain<T: EncodeValue + Tagged>(oid: ObjectIdentifier, content: &T) -> Vec<u8> {
            let ci = ContentInfo {
                content_type: oid,
                content: Any::encode_from(content).unwrap(),
            };
            ci.to_der().unwrap()
        }
        for len in [0usize, 1, 16, 300, 70_000] {
            let ct: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut ed = EnvelopedData {
                version: CmsVersion::V0,
                originator_info: None,
                recip_infos: RecipientInfos(SetOfVec::new()),
                encrypted_content: eci(ct.clone()),
                unprotected_attrs: None,
            };
            let expected = plain(rfc5911::ID_ENVELOPED_DATA, &ed);
            let around = content_info_around(rfc5911::ID_ENVELOPED_DATA, &mut ed, |ed| {
                &mut ed.encrypted_content.encrypted_content
            })
            .unwrap();
            assert_eq!(around, expected, "EnvelopedData, {len} bytes");

            let mut ad = AuthEnvelopedData {
                version: CmsVersion::V0,
                originator_info: None,
                recip_infos: RecipientInfos(SetOfVec::new()),
                auth_encrypted_content: eci(ct),
                auth_attrs: None,
                mac: OctetString::new(vec![9u8; 16]).unwrap(),
                unauth_attrs: None,
            };
            let expected = plain(algs::ID_CT_AUTH_ENVELOPED_DATA, &ad);
            let around = content_info_around(algs::ID_CT_AUTH_ENVELOPED_DATA, &mut ad, |ad| {
                &mut ad.auth_encrypted_content.encrypted_content
            })
            .unwrap();
            assert_eq!(around, expected, "AuthEnvelopedData, {len} bytes");
        }
    }
}

//! The algorithms mailseal reads and writes in CMS, by OID (const-oid's database), and the
//! few CMS structures the `cms` crate does not define (declared with `der` derives):
//!
//! - AuthEnvelopedData (RFC 5083 §2.1) and GCMParameters (RFC 5084 §3.2),
//! - ECC-CMS-SharedInfo (RFC 5753 §7.2) for the ECDH key-encryption-key derivation,
//! - SMIMECapabilities and SMIMEEncryptionKeyPreference (RFC 8551 §2.5.2-3),
//! - for reading, EnvelopedData with its RecipientInfos left undecoded and our own
//!   KeyAgreeRecipientInfo: `cms` 0.2.3 declares `rKeyId` as `[0] IMPLICIT` without
//!   `constructed`, so it cannot read an ECDH recipient named by subject key identifier
//!   (`openssl cms -encrypt -keyid`), and one such entry would make the whole message
//!   unreadable.
//!
//! Writing uses only SHA-256, AES-CBC/GCM, RSA PKCS#1 v1.5 / OAEP-SHA-256 and ECDH with
//! AES key wrap. Reading also accepts AES-192, 3DES (old mail), Camellia-CBC, OAEP with SHA-1 and the
//! SHA-1 ECDH KDF (both still sound as key transport), and refuses SHA-1/MD5 signatures.

use cms::cert::IssuerAndSerialNumber;
use cms::content_info::CmsVersion;
use cms::enveloped_data::{
    EncryptedContentInfo, OriginatorIdentifierOrKey, OriginatorInfo, RecipientInfos,
    RecipientKeyIdentifier,
};
use const_oid::db::rfc5911;
use const_oid::ObjectIdentifier;
use der::asn1::SetOfVec;
use der::asn1::{OctetString, OctetStringRef};
use der::Choice;
use der::{Any, AnyRef, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attributes;

use crate::error::{Error, ErrorCode};

/// id-ct-authEnvelopedData (RFC 5083).
pub(crate) const ID_CT_AUTH_ENVELOPED_DATA: ObjectIdentifier = rfc5911::ID_CT_AUTH_ENVELOPED_DATA;
/// id-aes128-GCM / id-aes192-GCM / id-aes256-GCM (RFC 5084).
pub(crate) const ID_AES_128_GCM: ObjectIdentifier = rfc5911::ID_AES_128_GCM;
pub(crate) const ID_AES_192_GCM: ObjectIdentifier = rfc5911::ID_AES_192_GCM;
pub(crate) const ID_AES_256_GCM: ObjectIdentifier = rfc5911::ID_AES_256_GCM;
/// des-ede3-cbc (RFC 3370 §5.1), read only.
pub(crate) const DES_EDE3_CBC: ObjectIdentifier = rfc5911::DES_EDE_3_CBC;
/// Camellia in CBC mode (RFC 3657 §2.2), read only: `openssl smime -encrypt -camellia256`.
pub(crate) const CAMELLIA_128_CBC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200011.61.1.1.1.2");
pub(crate) const CAMELLIA_192_CBC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200011.61.1.1.1.3");
pub(crate) const CAMELLIA_256_CBC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200011.61.1.1.1.4");

/// Content ciphers that mail may name but mailseal does not read, for a message that says
/// which (obsolete: RC2, DES; national: ARIA, SEED). A short list instead of const-oid's name
/// table, which would link every OID name into the package.
pub(crate) fn unsupported_cipher_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    const NAMES: &[(&str, &str)] = &[
        ("1.2.840.113549.3.2", "RC2"),
        ("1.3.14.3.2.7", "DES"),
        ("1.2.410.200004.1.4", "SEED"),
        ("1.2.410.200046.1.1.2", "ARIA-128"),
        ("1.2.410.200046.1.1.7", "ARIA-192"),
        ("1.2.410.200046.1.1.12", "ARIA-256"),
        ("1.2.410.200046.1.1.34", "ARIA-128-GCM"),
        ("1.2.410.200046.1.1.35", "ARIA-192-GCM"),
        ("1.2.410.200046.1.1.36", "ARIA-256-GCM"),
    ];
    let dotted = oid.to_string();
    NAMES
        .iter()
        .find(|(o, _)| *o == dotted)
        .map(|(_, name)| *name)
}
/// dhSinglePass-stdDH-sha*kdf-scheme (RFC 5753 §7.1.4 / SEC 1).
pub(crate) const ECDH_STD_SHA1KDF: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.133.16.840.63.0.2");
pub(crate) const ECDH_STD_SHA224KDF: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.132.1.11.0");
pub(crate) const ECDH_STD_SHA256KDF: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.132.1.11.1");
pub(crate) const ECDH_STD_SHA384KDF: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.132.1.11.2");
pub(crate) const ECDH_STD_SHA512KDF: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.132.1.11.3");
/// dhSinglePass-cofactorDH-sha*kdf-scheme: the same computation on P-256/P-384/P-521 (cofactor 1).
pub(crate) const ECDH_COFACTOR_SHA1KDF: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.133.16.840.63.0.3");
pub(crate) const ECDH_COFACTOR_SHA256KDF: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.132.1.14.1");
pub(crate) const ECDH_COFACTOR_SHA384KDF: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.132.1.14.2");
pub(crate) const ECDH_COFACTOR_SHA512KDF: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.132.1.14.3");
/// id-aes*-wrap (RFC 3394 / RFC 3565 §2.3.2).
pub(crate) const ID_AES_128_WRAP: ObjectIdentifier = rfc5911::ID_AES_128_WRAP;
pub(crate) const ID_AES_192_WRAP: ObjectIdentifier = rfc5911::ID_AES_192_WRAP;
pub(crate) const ID_AES_256_WRAP: ObjectIdentifier = rfc5911::ID_AES_256_WRAP;
/// Triple-DES key wrap (RFC 3217), read only: what `openssl cms -encrypt` uses for an EC
/// recipient when no cipher is named (its default content cipher is 3DES).
pub(crate) const ID_ALG_CMS_3DES_WRAP: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.3.6");
/// smimeCapabilities signed attribute (RFC 8551 §2.5.2).
pub(crate) const SMIME_CAPABILITIES: ObjectIdentifier = rfc5911::SMIME_CAPABILITIES;
/// signingTime signed attribute (RFC 5652 §11.3).
pub(crate) const SIGNING_TIME: ObjectIdentifier = rfc5911::ID_SIGNING_TIME;
/// messageDigest signed attribute (RFC 5652 §11.2).
pub(crate) const MESSAGE_DIGEST: ObjectIdentifier = rfc5911::ID_MESSAGE_DIGEST;
/// id-aa-encrypKeyPref signed attribute (RFC 8551 §2.5.3).
pub(crate) const ENCRYPTION_KEY_PREFERENCE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.11");
/// contentType signed attribute (RFC 5652 §11.1).
pub(crate) const CONTENT_TYPE: ObjectIdentifier = rfc5911::ID_CONTENT_TYPE;

pub(crate) use crate::keys::x509::Hash;

/// An algorithm identifier without parameters.
pub(crate) fn alg(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    }
}

/// An algorithm identifier with NULL parameters (rsaEncryption, RFC 3370 §4.2.1).
pub(crate) fn alg_null(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: Some(Any::null()),
    }
}

/// AuthEnvelopedData (RFC 5083 §2.1).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct AuthEnvelopedData {
    pub version: CmsVersion,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub originator_info: Option<OriginatorInfo>,
    pub recip_infos: RecipientInfos,
    pub auth_encrypted_content: EncryptedContentInfo,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub auth_attrs: Option<Attributes>,
    pub mac: OctetString,
    #[asn1(
        context_specific = "2",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub unauth_attrs: Option<Attributes>,
}

fn default_icv_len() -> u8 {
    12
}

/// GCMParameters (RFC 5084 §3.2).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct GcmParameters {
    pub nonce: OctetString,
    #[asn1(default = "default_icv_len")]
    pub icv_len: u8,
}

/// ECC-CMS-SharedInfo (RFC 5753 §7.2).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EccCmsSharedInfo {
    pub key_info: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub entity_u_info: Option<OctetString>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT")]
    pub supp_pub_info: OctetString,
}

/// SMIMEEncryptionKeyPreference (RFC 8551 §2.5.3; the module uses IMPLICIT tags): which
/// certificate to encrypt replies to when it is not the signing one.
#[derive(Clone, Debug, Eq, PartialEq, Choice)]
pub(crate) enum EncryptionKeyPreference {
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", constructed = "true")]
    IssuerAndSerialNumber(IssuerAndSerialNumber),
}

/// SMIMECapability (RFC 8551 §2.5.2).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct SmimeCapability {
    pub capability_id: ObjectIdentifier,
    pub parameters: Option<Any>,
}

/// The error for a CMS structure (these or the `cms` crate's) that does not decode.
pub(crate) fn malformed() -> Error {
    Error::new(
        ErrorCode::MalformedMessage,
        "The S/MIME data could not be read.",
    )
}

/// ContentInfo (RFC 5652 §3) as read: the content borrowed from the input, so that a large
/// EnvelopedData is decoded from the message's bytes instead of from a copy of them.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct ContentInfoIn<'a> {
    pub content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub content: AnyRef<'a>,
}

/// EncryptedContentInfo (RFC 5652 §6.1) as read: the encrypted content borrowed from the
/// input. It is most of a large message, and an owned copy of it stood next to the input and
/// the plaintext (issue 12's peak memory).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EncryptedContentInfoIn<'a> {
    pub content_type: ObjectIdentifier,
    pub content_enc_alg: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub encrypted_content: Option<OctetStringRef<'a>>,
}

/// EnvelopedData (RFC 5652 §6.1) as read: RecipientInfos decoded one by one.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EnvelopedDataIn<'a> {
    pub version: CmsVersion,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub originator_info: Option<OriginatorInfo>,
    pub recip_infos: SetOfVec<Any>,
    pub encrypted_content: EncryptedContentInfoIn<'a>,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub unprotected_attrs: Option<Attributes>,
}

/// AuthEnvelopedData (RFC 5083 §2.1) as read.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct AuthEnvelopedDataIn<'a> {
    pub version: CmsVersion,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub originator_info: Option<OriginatorInfo>,
    pub recip_infos: SetOfVec<Any>,
    pub auth_encrypted_content: EncryptedContentInfoIn<'a>,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub auth_attrs: Option<Attributes>,
    pub mac: OctetString,
    #[asn1(
        context_specific = "2",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub unauth_attrs: Option<Attributes>,
}

/// KeyAgreeRecipientIdentifier (RFC 5652 §6.2.2).
#[derive(Clone, Debug, Eq, PartialEq, Choice)]
pub(crate) enum KariRid {
    IssuerAndSerialNumber(IssuerAndSerialNumber),
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", constructed = "true")]
    RKeyId(RecipientKeyIdentifier),
}

/// RecipientEncryptedKey (RFC 5652 §6.2.2).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct Rek {
    pub rid: KariRid,
    pub enc_key: OctetString,
}

/// KeyAgreeRecipientInfo (RFC 5652 §6.2.2), the value of the `[1]` RecipientInfo choice.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct Kari {
    pub version: CmsVersion,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub originator: OriginatorIdentifierOrKey,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub ukm: Option<OctetString>,
    pub key_enc_alg: AlgorithmIdentifierOwned,
    pub recipient_enc_keys: Vec<Rek>,
}

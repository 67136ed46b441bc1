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
use const_oid::db::{rfc5911, rfc5912};
use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::asn1::SetOfVec;
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

/// A message digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Option<Hash> {
        Some(match *oid {
            o if o == rfc5912::ID_MD_5 => Hash::Md5,
            o if o == rfc5912::ID_SHA_1 => Hash::Sha1,
            o if o == rfc5912::ID_SHA_224 => Hash::Sha224,
            o if o == rfc5912::ID_SHA_256 => Hash::Sha256,
            o if o == rfc5912::ID_SHA_384 => Hash::Sha384,
            o if o == rfc5912::ID_SHA_512 => Hash::Sha512,
            _ => return None,
        })
    }

    /// Whether `rules` refuse signatures over this digest (always MD5 and SHA-1, RFC 8551
    /// §2.1).
    pub(crate) fn refused_by(self, rules: &crate::policy::SignatureRules) -> bool {
        rules.refuses_hash(self.name())
    }

    /// The report's name, e.g. `sha256`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Hash::Md5 => "md5",
            Hash::Sha1 => "sha1",
            Hash::Sha224 => "sha224",
            Hash::Sha256 => "sha256",
            Hash::Sha384 => "sha384",
            Hash::Sha512 => "sha512",
        }
    }

    /// The provider's name for this digest; `None` for MD5 (never computed: refused before).
    pub(crate) fn provider_alg(self) -> Option<crate::crypto::provider::DigestAlg> {
        use crate::crypto::provider::DigestAlg;
        Some(match self {
            Hash::Md5 => return None,
            Hash::Sha1 => DigestAlg::Sha1,
            Hash::Sha224 => DigestAlg::Sha224,
            Hash::Sha256 => DigestAlg::Sha256,
            Hash::Sha384 => DigestAlg::Sha384,
            Hash::Sha512 => DigestAlg::Sha512,
        })
    }

    /// Digest of small `data` (signed attributes, key derivation) in RustCrypto; `None` for MD5.
    pub(crate) fn digest(self, data: &[u8]) -> Option<Vec<u8>> {
        Some(crate::crypto::provider::rust_digest(
            self.provider_alg()?,
            data,
        ))
    }

    /// Digest of message-sized `data` through the crypto provider (the platform's native digest
    /// where there is one); `None` for MD5.
    pub(crate) async fn digest_content(self, data: &[u8]) -> Option<Vec<u8>> {
        Some(crate::crypto::provider::digest(self.provider_alg()?, data).await)
    }

    /// A boxed dynamic digest (RSA-OAEP hashes).
    pub(crate) fn dyn_digest(self) -> Option<Box<dyn sha2::digest::DynDigest + Send + Sync>> {
        Some(match self {
            Hash::Md5 => return None,
            Hash::Sha1 => Box::new(sha1::Sha1::default()),
            Hash::Sha224 => Box::new(sha2::Sha224::default()),
            Hash::Sha256 => Box::new(sha2::Sha256::default()),
            Hash::Sha384 => Box::new(sha2::Sha384::default()),
            Hash::Sha512 => Box::new(sha2::Sha512::default()),
        })
    }
}

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

/// EnvelopedData (RFC 5652 §6.1) as read: RecipientInfos decoded one by one.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(crate) struct EnvelopedDataIn {
    pub version: CmsVersion,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub originator_info: Option<OriginatorInfo>,
    pub recip_infos: SetOfVec<Any>,
    pub encrypted_content: EncryptedContentInfo,
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
pub(crate) struct AuthEnvelopedDataIn {
    pub version: CmsVersion,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub originator_info: Option<OriginatorInfo>,
    pub recip_infos: SetOfVec<Any>,
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

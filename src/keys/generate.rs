//! New keys for the desk's addresses (issue 16): OpenPGP keys ready to use, with their
//! revocation certificate made at the same time, and S/MIME key pairs with a PKCS#10
//! certificate request for the organisation's CA; the issued certificate later joins its
//! pending key on import (`import/smime.rs`).
//!
//! Everything is dated with the caller's clock and drawn from the caller's randomness, as the
//! rest of the core is: rPGP's key builder dates its signatures with the system clock (which
//! a browser's wasm does not have) and writes no expiry, so the self-signatures are made here
//! with rPGP's packet types.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};

/// The OpenPGP key to make.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PgpKeyAlgorithm {
    /// Ed25519 primary (certify, sign) and a Cv25519 encryption subkey (v4): gpg's default.
    #[default]
    Curve25519,
    /// RSA-3072 primary (certify, sign) and an RSA-3072 encryption subkey.
    Rsa3072,
    /// RSA-4096 primary and encryption subkey.
    Rsa4096,
}

/// The S/MIME key pair to make.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SmimeKeyAlgorithm {
    /// RSA-3072: what every S/MIME client and CA accepts.
    #[default]
    Rsa3072,
    /// ECDSA / ECDH on P-256.
    P256,
}

/// An S/MIME key waiting for its certificate ([`crate::Keyring::generate_smime`]).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingKeyInfo {
    /// SHA-256 of the public key (hex): what the issued certificate is matched by.
    pub id: String,
    /// The address the request names.
    pub address: String,
    /// `rsa3072` or `p256`.
    pub algorithm: SmimeKeyAlgorithm,
    /// When it was made, RFC 3339.
    pub created: String,
    /// The PKCS#10 certificate request for the CA (PEM `CERTIFICATE REQUEST`).
    pub request: String,
}

/// What [`crate::Keyring::generate_openpgp`] made.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneratedPgpKey {
    /// The key as the keyring lists it.
    pub key: super::KeyInfo,
    /// The public key, armored (to publish: WKD, a keyserver, the customers).
    pub public_key: String,
    /// A revocation certificate for the key, armored: kept offline, it revokes the key when
    /// its secret is lost or stolen (`gpg --import` it, or import it here).
    pub revocation_certificate: String,
}

/// Days a new OpenPGP key is valid unless the caller says otherwise (gpg's default: 3 years).
#[cfg(feature = "openpgp")]
pub const DEFAULT_VALID_DAYS: u32 = 3 * 365;

/// The address as the user ID and SAN name it: one addr-spec.
pub(crate) fn checked_address(address: &str) -> Result<String> {
    crate::Address::parse(address)
        .map(|a| a.key())
        .map_err(|_| {
            Error::new(
                ErrorCode::BadInput,
                "A new key needs one e-mail address (name@domain).",
            )
        })
}

pub(super) fn key_failed() -> Error {
    Error::new(ErrorCode::Internal, "The key could not be made.")
}

#[cfg(feature = "openpgp")]
pub(crate) mod openpgp {
    //! A v4 OpenPGP key: primary for certifying and signing, one encryption subkey, one user
    //! ID, self-signatures with the key's expiry and preferences, and a key revocation
    //! signature (not applied) to hand out as the revocation certificate.
    use bytes::Bytes;
    use pgp::composed::{KeyType, SignedKeyDetails, SignedSecretKey, SignedSecretSubKey};
    use pgp::crypto::ecc_curve::ECCCurve;
    use pgp::crypto::hash::HashAlgorithm;
    use pgp::crypto::sym::SymmetricKeyAlgorithm;
    use pgp::packet::{
        Features, KeyFlags, PubKeyInner, PublicKey, PublicSubkey, SecretKey, SecretSubkey,
        Signature, SignatureConfig, SignatureType, Subpacket, SubpacketData, UserId,
    };
    use pgp::types::{
        CompressionAlgorithm, Duration, KeyDetails as _, KeyVersion, Password, SecretParams,
        SignedUser, Timestamp,
    };

    use super::{key_failed, PgpKeyAlgorithm};
    use crate::error::{Error, Result};
    use crate::rng::Rng;
    use crate::time::Time;

    /// The new key and its revocation signature.
    pub(crate) struct NewKey {
        pub(crate) key: SignedSecretKey,
        pub(crate) revocation: Signature,
    }

    fn sub(data: SubpacketData) -> Result<Subpacket> {
        Subpacket::regular(data).map_err(|_| key_failed())
    }

    /// `now` as an OpenPGP timestamp (seconds since 1970 in 32 bits).
    fn timestamp(now: Time) -> Result<Timestamp> {
        let secs = u32::try_from(now.unix())
            .map_err(|_| Error::bad_input("The clock is out of range."))?;
        Ok(Timestamp::from_secs(secs))
    }

    /// The primary key's and the encryption subkey's types.
    fn key_types(algorithm: PgpKeyAlgorithm, v6: bool) -> (KeyType, KeyType) {
        match (algorithm, v6) {
            (PgpKeyAlgorithm::Curve25519, false) => (
                KeyType::Ed25519Legacy,
                KeyType::ECDH(ECCCurve::Curve25519Legacy),
            ),
            // RFC 9580's own Ed25519 / X25519 (algorithms 27 / 25) for v6 keys.
            (PgpKeyAlgorithm::Curve25519, true) => (KeyType::Ed25519, KeyType::X25519),
            (PgpKeyAlgorithm::Rsa3072, _) => (KeyType::Rsa(3072), KeyType::Rsa(3072)),
            (PgpKeyAlgorithm::Rsa4096, _) => (KeyType::Rsa(4096), KeyType::Rsa(4096)),
        }
    }

    /// New key material of type `typ`: the public key's contents and its secret.
    fn key_material(
        typ: &KeyType,
        version: KeyVersion,
        created: Timestamp,
        rng: &mut dyn Rng,
    ) -> Result<(PubKeyInner, SecretParams)> {
        let (public, secret) = typ.generate(&mut *rng).map_err(|_| key_failed())?;
        let inner = PubKeyInner::new(version, typ.to_alg(), created, None, public)
            .map_err(|_| key_failed())?;
        Ok((inner, secret))
    }

    /// The key's features and algorithm preferences (subpackets after its flags and expiry).
    fn preferences(v6: bool) -> Result<[Subpacket; 4]> {
        let mut features = Features::default();
        features.set_seipd_v1(true);
        if v6 {
            features.set_seipd_v2(true);
        }
        Ok([
            sub(SubpacketData::Features(features))?,
            sub(SubpacketData::PreferredSymmetricAlgorithms(
                vec![SymmetricKeyAlgorithm::AES256, SymmetricKeyAlgorithm::AES128].into(),
            ))?,
            sub(SubpacketData::PreferredHashAlgorithms(
                vec![HashAlgorithm::Sha512, HashAlgorithm::Sha256].into(),
            ))?,
            sub(SubpacketData::PreferredCompressionAlgorithms(
                vec![
                    CompressionAlgorithm::ZLIB,
                    CompressionAlgorithm::ZIP,
                    CompressionAlgorithm::Uncompressed,
                ]
                .into(),
            ))?,
        ])
    }

    /// A key for `user_id`, created at `now`, valid for `valid_secs` (none: no expiry).
    pub(crate) fn new_key(
        user_id: &str,
        algorithm: PgpKeyAlgorithm,
        v6: bool,
        now: Time,
        valid_secs: Option<u32>,
        rng: &mut dyn Rng,
    ) -> Result<NewKey> {
        let created = timestamp(now)?;
        let version = if v6 { KeyVersion::V6 } else { KeyVersion::V4 };
        let (primary_type, sub_type) = key_types(algorithm, v6);
        let pw = Password::empty();

        let (inner, secret) = key_material(&primary_type, version, created, rng)?;
        let primary_pub = PublicKey::from_inner(inner).map_err(|_| key_failed())?;
        let primary = SecretKey::new(primary_pub.clone(), secret).map_err(|_| key_failed())?;

        let (inner, secret) = key_material(&sub_type, version, created, rng)?;
        let subkey_pub = PublicSubkey::from_inner(inner).map_err(|_| key_failed())?;
        let subkey = SecretSubkey::new(subkey_pub.clone(), secret).map_err(|_| key_failed())?;

        // v4: the issuer's key id unhashed too (what older readers look for); v6 names the
        // issuer by fingerprint only.
        let unhashed = || -> Result<Vec<Subpacket>> {
            Ok(if v6 {
                Vec::new()
            } else {
                vec![sub(SubpacketData::IssuerKeyId(primary.legacy_key_id()))?]
            })
        };
        let basic = || -> Result<Vec<Subpacket>> {
            Ok(vec![
                sub(SubpacketData::SignatureCreationTime(created))?,
                sub(SubpacketData::IssuerFingerprint(primary.fingerprint()))?,
            ])
        };
        let with_flags = |flags: KeyFlags| -> Result<Vec<Subpacket>> {
            let mut out = basic()?;
            out.push(sub(SubpacketData::KeyFlags(flags))?);
            if let Some(secs) = valid_secs {
                out.push(sub(SubpacketData::KeyExpirationTime(Duration::from_secs(
                    secs,
                )))?);
            }
            Ok(out)
        };
        // The key's flags, expiry and preferences: on the user ID's certification for a v4
        // key (where gpg reads them), on a direct-key signature for a v6 key (RFC 9580
        // §5.2.3.10).
        let metadata = || -> Result<Vec<Subpacket>> {
            let mut flags = KeyFlags::default();
            flags.set_certify(true);
            flags.set_sign(true);
            let mut out = with_flags(flags)?;
            out.extend(preferences(v6)?);
            Ok(out)
        };
        let config = |rng: &mut dyn Rng, typ| {
            SignatureConfig::from_key(&mut *rng, &primary, typ).map_err(|_| key_failed())
        };

        let mut direct = Vec::new();
        if v6 {
            let mut c = config(rng, SignatureType::Key)?;
            c.hashed_subpackets = metadata()?;
            direct.push(
                c.sign_key(&primary, &pw, &primary_pub)
                    .map_err(|_| key_failed())?,
            );
        }

        // The user ID, bound by a positive certification.
        let uid = UserId::from_str(Default::default(), user_id).map_err(|_| key_failed())?;
        let mut c = config(rng, SignatureType::CertPositive)?;
        c.hashed_subpackets = if v6 { basic()? } else { metadata()? };
        c.hashed_subpackets
            .push(sub(SubpacketData::IsPrimary(true))?);
        c.unhashed_subpackets = unhashed()?;
        let certification = c
            .sign_certification(&primary, &primary_pub, &pw, pgp::types::Tag::UserId, &uid)
            .map_err(|_| key_failed())?;

        // The encryption subkey's binding.
        let mut flags = KeyFlags::default();
        flags.set_encrypt_comms(true);
        flags.set_encrypt_storage(true);
        let mut c = config(rng, SignatureType::SubkeyBinding)?;
        c.hashed_subpackets = with_flags(flags)?;
        c.unhashed_subpackets = unhashed()?;
        let binding = c
            .sign_subkey_binding(&primary, &primary_pub, &pw, &subkey_pub)
            .map_err(|_| key_failed())?;

        // The revocation certificate: a key revocation, reason "no reason given", for the
        // owner to apply when the secret is lost.
        let revocation = key_revocation(
            &primary,
            pgp::packet::RevocationCode::NoReason,
            "revocation certificate made with the key",
            now,
            rng,
        )?;

        let details = SignedKeyDetails::new(
            Vec::new(),
            direct,
            vec![SignedUser::new(uid, vec![certification])],
            Vec::new(),
        );
        let key = SignedSecretKey::new(
            primary,
            details,
            Vec::new(),
            vec![SignedSecretSubKey::new(subkey, vec![binding])],
        );
        Ok(NewKey { key, revocation })
    }

    /// A key revocation signature by `primary` itself, dated `now` (v4 or v6 as the key is).
    pub(crate) fn key_revocation(
        primary: &SecretKey,
        code: pgp::packet::RevocationCode,
        reason: &'static str,
        now: Time,
        rng: &mut dyn Rng,
    ) -> Result<Signature> {
        let created = timestamp(now)?;
        let mut config =
            SignatureConfig::from_key(&mut *rng, primary, SignatureType::KeyRevocation)
                .map_err(|_| key_failed())?;
        config.hashed_subpackets = vec![
            sub(SubpacketData::SignatureCreationTime(created))?,
            sub(SubpacketData::IssuerFingerprint(primary.fingerprint()))?,
            sub(SubpacketData::RevocationReason(
                code,
                Bytes::from_static(reason.as_bytes()),
            ))?,
        ];
        if primary.version() == KeyVersion::V4 {
            config.unhashed_subpackets =
                vec![sub(SubpacketData::IssuerKeyId(primary.legacy_key_id()))?];
        }
        config
            .sign_key(primary, &Password::empty(), primary.public_key())
            .map_err(|_| key_failed())
    }

    /// The revocation signature as gpg writes a revocation certificate: an armored public key
    /// block holding the signature alone.
    pub(crate) fn armored_revocation(revocation: &Signature) -> Result<String> {
        let packets = [pgp::packet::Packet::from(revocation.clone())];
        let mut out = Vec::new();
        let headers = std::collections::BTreeMap::from([(
            "Comment".to_string(),
            vec!["This is a revocation certificate".to_string()],
        )]);
        pgp::armor::write(
            &packets.as_slice(),
            pgp::armor::BlockType::PublicKey,
            &mut out,
            Some(&headers),
            true,
        )
        .map_err(|_| key_failed())?;
        String::from_utf8(out).map_err(|_| key_failed())
    }
}

#[cfg(feature = "smime")]
pub(crate) mod smime {
    //! An S/MIME key pair and its PKCS#10 request (RFC 2986) with the extensions an S/MIME
    //! certificate needs (RFC 8550 §4.4): the address as rfc822Name, key usages for signing
    //! and for encryption (key transport for RSA, key agreement for EC), e-mail protection.
    use der::asn1::Ia5String;
    use der::EncodePem;
    use x509_cert::builder::{Builder, RequestBuilder};
    use x509_cert::ext::pkix::name::GeneralName;
    use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName};
    use x509_cert::name::Name;

    use super::{key_failed, SmimeKeyAlgorithm};
    use crate::error::Result;
    use crate::keys::smime::SmimeSecret;
    use crate::rng::Rng;

    /// A new key and the PEM request for it.
    pub(crate) fn new_request(
        address: &str,
        name: Option<&str>,
        algorithm: SmimeKeyAlgorithm,
        rng: &mut dyn Rng,
    ) -> Result<(SmimeSecret, String)> {
        let cn = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(address);
        let subject = Name::from_rfc4514_like(cn)?;
        let email = Ia5String::new(address).map_err(|_| key_failed())?;
        let san = SubjectAltName(vec![GeneralName::Rfc822Name(email)]);
        let eku = ExtendedKeyUsage(vec![const_oid::db::rfc5280::ID_KP_EMAIL_PROTECTION]);
        let (secret, pem) = match algorithm {
            SmimeKeyAlgorithm::Rsa3072 => {
                let key =
                    rsa::RsaPrivateKey::new(&mut &mut *rng, 3072).map_err(|_| key_failed())?;
                let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone());
                let extensions = Extensions {
                    san,
                    usage: KeyUsage(KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment),
                    eku,
                };
                let pem =
                    request_pem::<_, rsa::pkcs1v15::Signature>(subject, &signer, &extensions)?;
                (SmimeSecret::Rsa(Box::new(key)), pem)
            }
            SmimeKeyAlgorithm::P256 => {
                let key = p256::SecretKey::random(&mut &mut *rng);
                let signer = p256::ecdsa::SigningKey::from(&key);
                // EC keys agree on content keys (ECDH) rather than transport them.
                let extensions = Extensions {
                    san,
                    usage: KeyUsage(KeyUsages::DigitalSignature | KeyUsages::KeyAgreement),
                    eku,
                };
                let pem =
                    request_pem::<_, p256::ecdsa::DerSignature>(subject, &signer, &extensions)?;
                (SmimeSecret::P256(key), pem)
            }
        };
        Ok((secret, pem))
    }

    /// The PEM request for `signer`'s key, with the S/MIME extensions, signed by it.
    fn request_pem<S, Sig>(subject: Name, signer: &S, extensions: &Extensions) -> Result<String>
    where
        S: rsa::signature::Keypair
            + spki::DynSignatureAlgorithmIdentifier
            + rsa::signature::Signer<Sig>,
        S::VerifyingKey: spki::EncodePublicKey,
        Sig: spki::SignatureBitStringEncoding,
    {
        let mut builder = RequestBuilder::new(subject, signer).map_err(|_| key_failed())?;
        builder
            .add_extension(&extensions.san)
            .map_err(|_| key_failed())?;
        builder
            .add_extension(&extensions.usage)
            .map_err(|_| key_failed())?;
        builder
            .add_extension(&extensions.eku)
            .map_err(|_| key_failed())?;
        let request = builder.build::<Sig>().map_err(|_| key_failed())?;
        request
            .to_pem(der::pem::LineEnding::LF)
            .map_err(|_| key_failed())
    }

    /// What an S/MIME request asks the CA for.
    struct Extensions {
        san: SubjectAltName,
        usage: KeyUsage,
        eku: ExtendedKeyUsage,
    }

    /// `CN=<name>`, the name escaped for RFC 4514.
    trait FromCommonName: Sized {
        fn from_rfc4514_like(cn: &str) -> Result<Self>;
    }

    impl FromCommonName for Name {
        fn from_rfc4514_like(cn: &str) -> Result<Name> {
            let mut escaped = String::with_capacity(cn.len() + 8);
            for (i, c) in cn.chars().enumerate() {
                let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=')
                    || (i == 0 && matches!(c, '#' | ' '));
                if special {
                    escaped.push('\\');
                }
                if !c.is_control() {
                    escaped.push(c);
                }
            }
            let escaped = escaped.trim_end().to_string();
            let name: Name = format!("CN={escaped}").parse().map_err(|_| key_failed())?;
            Ok(name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_needs_one_address() {
        assert!(checked_address("desk@example.org").is_ok());
        for bad in ["", "desk", "a@b.org, c@d.org", "<>"] {
            assert_eq!(
                checked_address(bad).unwrap_err().code(),
                ErrorCode::BadInput,
                "{bad}"
            );
        }
    }

    #[test]
    fn defaults_are_what_the_issue_asks() {
        assert_eq!(PgpKeyAlgorithm::default(), PgpKeyAlgorithm::Curve25519);
        assert_eq!(SmimeKeyAlgorithm::default(), SmimeKeyAlgorithm::Rsa3072);
    }
}

/// What to make with [`crate::Keyring::generate_openpgp`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GenerateOpenPgp {
    /// The address the key is for (its user ID).
    pub address: String,
    /// A display name for the user ID (`Name <address>`).
    pub name: Option<String>,
    /// Curve25519 (default), RSA-3072 or RSA-4096.
    pub algorithm: PgpKeyAlgorithm,
    /// Days until the key expires: default 3 years; 0 for no expiry.
    pub valid_days: Option<u32>,
    /// An RFC 9580 version 6 key (Ed25519 / X25519 for Curve25519) instead of version 4.
    /// GnuPG 2.4 does not read v6 keys; OpenPGP.js 6, Sequoia and rPGP do.
    pub v6: bool,
}

/// What to make with [`crate::Keyring::generate_smime`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GenerateSmime {
    /// The address the certificate is for (SAN rfc822Name).
    pub address: String,
    /// The subject's common name; the address when absent.
    pub name: Option<String>,
    /// RSA-3072 (default) or P-256.
    pub algorithm: SmimeKeyAlgorithm,
}

/// An S/MIME key waiting for its certificate: sealed with the keyring.
#[derive(Clone)]
pub(crate) struct PendingKey {
    pub(crate) info: PendingKeyInfo,
    /// The private key, PKCS#8 DER.
    pub(crate) pkcs8: crate::secret::SecretBytes,
}

/// The id of a pending key: SHA-256 of the public key bits, hex.
#[cfg(feature = "smime")]
pub(crate) fn public_key_id(bits: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bits))
}

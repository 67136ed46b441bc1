//! Public-key signature checks for SignerInfos (RFC 5652 §5.6) and certificates (RFC 5280
//! §6.1.3): RSA PKCS#1 v1.5 and RSASSA-PSS (RFC 8017, RFC 4055/4056), ECDSA P-256/P-384/P-521
//! (RFC 5758, RFC 5753), and Ed25519 for certificates (RFC 8410). Digests and RSA key sizes the policy's [`SignatureRules`] refuse
//! (at least SHA-1/MD5 and RSA under 2048 bits: RFC 8551 §2.1, DESIGN.md) are refused.

use const_oid::db::rfc5912;
use const_oid::ObjectIdentifier;
use rsa::traits::PublicKeyParts;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::hash::Hash;
use crate::crypto::provider;
use crate::policy::SignatureRules;

/// ecdsa-with-SHA1 (RFC 3279 §2.2.3), refused.
const ECDSA_WITH_SHA_1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");

/// id-Ed25519 (RFC 8410): the signature algorithm and the key type.
pub(crate) const ID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// Why a signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SigFail {
    /// The signature does not verify.
    Bad,
    /// A digest the rules refuse (MD5, SHA-1, ...).
    WeakHash(Hash),
    /// An RSA key of these bits, under the rules' minimum (the second number).
    WeakKey(usize, usize),
    /// An algorithm mailseal does not implement.
    Unsupported(ObjectIdentifier),
    /// RSASSA-PSS whose mask (MGF1) digest is not its message digest (the first): allowed by
    /// RFC 4055 §3.1 (a SHOULD), not by the `rsa` crate, which takes one digest for both.
    PssMixedDigests(Hash, Hash),
}

/// RSASSA-PSS-params (RFC 4055 §3.1). `pkcs1::RsaPssParams` holds the salt length in a `u8`,
/// but OpenSSL signs with the longest salt the key allows (350 bytes for RSA-3072 with SHA-256),
/// so the parameters are read here with a full-width salt.
#[derive(der::Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask_gen: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_len: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer: Option<u32>,
}

/// saltLength when the parameters leave it out (RFC 4055 §3.1).
const PSS_DEFAULT_SALT: u32 = 20;

enum Scheme {
    Pkcs1(Hash),
    Pss(Hash, usize),
    Ecdsa(Hash),
    /// Pure Ed25519 over the data itself (RFC 8032); certificates only (RFC 8410 §6).
    Ed25519,
}

/// The scheme a signature algorithm names. `digest` is the SignerInfo's digestAlgorithm, for
/// algorithm identifiers that name only the key type (rsaEncryption, id-ecPublicKey).
fn scheme(
    alg: &AlgorithmIdentifierOwned,
    digest: Option<Hash>,
    rules: &SignatureRules,
) -> Result<Scheme, SigFail> {
    let unsupported = || SigFail::Unsupported(alg.oid);
    let o = alg.oid;
    let with = |h: Hash| -> Result<Hash, SigFail> {
        if h.refused_by(rules) {
            Err(SigFail::WeakHash(h))
        } else {
            Ok(h)
        }
    };
    Ok(match o {
        _ if o == rfc5912::RSA_ENCRYPTION => Scheme::Pkcs1(with(digest.ok_or_else(unsupported)?)?),
        _ if o == rfc5912::ID_EC_PUBLIC_KEY => {
            Scheme::Ecdsa(with(digest.ok_or_else(unsupported)?)?)
        }
        _ if o == rfc5912::MD_5_WITH_RSA_ENCRYPTION => return Err(SigFail::WeakHash(Hash::Md5)),
        _ if o == rfc5912::SHA_1_WITH_RSA_ENCRYPTION || o == ECDSA_WITH_SHA_1 => {
            return Err(SigFail::WeakHash(Hash::Sha1))
        }
        _ if o == rfc5912::SHA_224_WITH_RSA_ENCRYPTION => Scheme::Pkcs1(with(Hash::Sha224)?),
        _ if o == rfc5912::SHA_256_WITH_RSA_ENCRYPTION => Scheme::Pkcs1(with(Hash::Sha256)?),
        _ if o == rfc5912::SHA_384_WITH_RSA_ENCRYPTION => Scheme::Pkcs1(with(Hash::Sha384)?),
        _ if o == rfc5912::SHA_512_WITH_RSA_ENCRYPTION => Scheme::Pkcs1(with(Hash::Sha512)?),
        _ if o == rfc5912::ECDSA_WITH_SHA_224 => Scheme::Ecdsa(with(Hash::Sha224)?),
        _ if o == rfc5912::ECDSA_WITH_SHA_256 => Scheme::Ecdsa(with(Hash::Sha256)?),
        _ if o == rfc5912::ECDSA_WITH_SHA_384 => Scheme::Ecdsa(with(Hash::Sha384)?),
        _ if o == rfc5912::ECDSA_WITH_SHA_512 => Scheme::Ecdsa(with(Hash::Sha512)?),
        _ if o == rfc5912::ID_RSASSA_PSS => {
            let params = alg.parameters.as_ref().ok_or_else(unsupported)?;
            let p: PssParams = params.decode_as().map_err(|_| unsupported())?;
            // Absent fields take RFC 4055's defaults: SHA-1 (refused) and MGF1 with SHA-1.
            let hash = match &p.hash {
                Some(a) => with(Hash::from_oid(&a.oid).ok_or_else(unsupported)?)?,
                None => return Err(SigFail::WeakHash(Hash::Sha1)),
            };
            let mgf = p.mask_gen.as_ref().ok_or(SigFail::WeakHash(Hash::Sha1))?;
            let mgf_hash = mgf
                .parameters
                .as_ref()
                .and_then(|a| a.decode_as::<AlgorithmIdentifierOwned>().ok())
                .and_then(|a| Hash::from_oid(&a.oid))
                .ok_or_else(unsupported)?;
            if mgf.oid != rfc5912::ID_MGF_1 || p.trailer.unwrap_or(1) != 1 {
                return Err(unsupported());
            }
            if mgf_hash != hash {
                return Err(SigFail::PssMixedDigests(hash, mgf_hash));
            }
            let salt = p.salt_len.unwrap_or(PSS_DEFAULT_SALT);
            Scheme::Pss(hash, usize::try_from(salt).map_err(|_| unsupported())?)
        }
        // A certificate signed by an Ed25519 CA (`openssl req -x509` with an Ed25519 key).
        // Not yet for SignerInfos (RFC 8419), which no tool on hand makes to test against.
        _ if o == ID_ED25519 && digest.is_none() && alg.parameters.is_none() => Scheme::Ed25519,
        _ => return Err(unsupported()),
    })
}

/// The digest a signature algorithm uses (to hash what it covers), if it names one.
pub(crate) fn hash_of(
    alg: &AlgorithmIdentifierOwned,
    digest: Option<Hash>,
    rules: &SignatureRules,
) -> Result<Hash, SigFail> {
    match scheme(alg, digest, rules)? {
        Scheme::Pkcs1(h) | Scheme::Pss(h, _) | Scheme::Ecdsa(h) => Ok(h),
        Scheme::Ed25519 => Err(SigFail::Unsupported(alg.oid)),
    }
}

/// Checks `signature` over `data` with the key of `spki`, under `rules`.
pub(crate) fn verify(
    spki: &SubjectPublicKeyInfoOwned,
    alg: &AlgorithmIdentifierOwned,
    digest: Option<Hash>,
    data: &[u8],
    signature: &[u8],
    rules: &SignatureRules,
) -> Result<(), SigFail> {
    let scheme = scheme(alg, digest, rules)?;
    let key_oid = spki.algorithm.oid;
    let key_bits = spki.subject_public_key.raw_bytes();
    match scheme {
        Scheme::Pkcs1(h) | Scheme::Pss(h, _) => {
            if key_oid != rfc5912::RSA_ENCRYPTION && key_oid != rfc5912::ID_RSASSA_PSS {
                return Err(SigFail::Bad);
            }
            let key = crate::crypto::rsa_public_key(key_bits).ok_or(SigFail::Bad)?;
            let bits = key.n().bits();
            if rules.key_too_small(bits) {
                return Err(SigFail::WeakKey(bits, rules.min_rsa_bits.bits()));
            }
            let hashed = h.digest(data).ok_or(SigFail::WeakHash(h))?;
            let ok = match scheme {
                Scheme::Pss(_, salt) => key.verify(pss(h, salt)?, &hashed, signature),
                _ => {
                    let pkcs1 = pkcs1(h)?;
                    if provider::rsa_signature_confirmed(&key, &pkcs1, &hashed, signature) {
                        return Ok(());
                    }
                    key.verify(pkcs1, &hashed, signature)
                }
            };
            ok.map_err(|_| SigFail::Bad)
        }
        Scheme::Ecdsa(h) => {
            if key_oid != rfc5912::ID_EC_PUBLIC_KEY {
                return Err(SigFail::Bad);
            }
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            let hashed = h.digest(data).ok_or(SigFail::WeakHash(h))?;
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            match curve {
                Some(c) if c == rfc5912::SECP_256_R_1 => {
                    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bits)
                        .map_err(|_| SigFail::Bad)?;
                    let sig =
                        p256::ecdsa::Signature::from_der(signature).map_err(|_| SigFail::Bad)?;
                    key.verify_prehash(&hashed, &sig).map_err(|_| SigFail::Bad)
                }
                Some(c) if c == rfc5912::SECP_384_R_1 => {
                    let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(key_bits)
                        .map_err(|_| SigFail::Bad)?;
                    let sig =
                        p384::ecdsa::Signature::from_der(signature).map_err(|_| SigFail::Bad)?;
                    key.verify_prehash(&hashed, &sig).map_err(|_| SigFail::Bad)
                }
                Some(c) if c == rfc5912::SECP_521_R_1 => {
                    let key = p521::ecdsa::VerifyingKey::from_sec1_bytes(key_bits)
                        .map_err(|_| SigFail::Bad)?;
                    let sig =
                        p521::ecdsa::Signature::from_der(signature).map_err(|_| SigFail::Bad)?;
                    key.verify_prehash(&p521_prehash(&hashed), &sig)
                        .map_err(|_| SigFail::Bad)
                }
                Some(c) => Err(SigFail::Unsupported(c)),
                None => Err(SigFail::Unsupported(spki.algorithm.oid)),
            }
        }
        Scheme::Ed25519 => {
            if key_oid != ID_ED25519 {
                return Err(SigFail::Bad);
            }
            let key = <[u8; 32]>::try_from(key_bits).map_err(|_| SigFail::Bad)?;
            let key = ed25519_dalek::VerifyingKey::from_bytes(&key).map_err(|_| SigFail::Bad)?;
            let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|_| SigFail::Bad)?;
            key.verify_strict(data, &sig).map_err(|_| SigFail::Bad)
        }
    }
}

/// The name of a key, signature or cipher algorithm that mail and certificates name but
/// mailseal does not implement (or not there), for what is said about it: a short list instead
/// of const-oid's name table, which would link every OID name into the package.
pub(crate) fn unsupported_algorithm_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    const NAMED: &[(&str, &str)] = &[
        ("1.3.101.110", "X25519"),
        ("1.3.101.111", "X448"),
        ("1.3.101.112", "Ed25519"),
        ("1.3.101.113", "Ed448"),
        ("1.2.840.10040.4.1", "DSA"),
        ("1.2.840.10040.4.3", "DSA with SHA-1"),
        ("2.16.840.1.101.3.4.3.2", "DSA with SHA-256"),
        ("2.16.840.1.101.3.4.2.7", "SHA3-224"),
        ("2.16.840.1.101.3.4.2.8", "SHA3-256"),
        ("2.16.840.1.101.3.4.2.9", "SHA3-384"),
        ("2.16.840.1.101.3.4.2.10", "SHA3-512"),
        ("2.16.840.1.101.3.4.2.11", "SHAKE128"),
        ("2.16.840.1.101.3.4.2.12", "SHAKE256"),
        ("2.16.840.1.101.3.4.3.13", "ECDSA with SHA3-224"),
        ("2.16.840.1.101.3.4.3.14", "ECDSA with SHA3-256"),
        ("2.16.840.1.101.3.4.3.15", "ECDSA with SHA3-384"),
        ("2.16.840.1.101.3.4.3.16", "ECDSA with SHA3-512"),
        ("2.16.840.1.101.3.4.1.1", "AES-128-ECB"),
        ("2.16.840.1.101.3.4.1.3", "AES-128-OFB"),
        ("2.16.840.1.101.3.4.1.4", "AES-128-CFB"),
        ("2.16.840.1.101.3.4.1.21", "AES-192-ECB"),
        ("2.16.840.1.101.3.4.1.23", "AES-192-OFB"),
        ("2.16.840.1.101.3.4.1.24", "AES-192-CFB"),
        ("2.16.840.1.101.3.4.1.41", "AES-256-ECB"),
        ("2.16.840.1.101.3.4.1.43", "AES-256-OFB"),
        ("2.16.840.1.101.3.4.1.44", "AES-256-CFB"),
    ];
    let dotted = oid.to_string();
    NAMED
        .iter()
        .find(|(o, _)| *o == dotted)
        .map(|(_, name)| *name)
}

/// The name of an elliptic curve that certificates use but mailseal does not compute on (its
/// curves are P-256, P-384 and P-521), for what is said about such a key.
pub(crate) fn unsupported_curve_name(curve: &ObjectIdentifier) -> Option<&'static str> {
    const NAMED: [(&str, &str); 6] = [
        ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1"),
        ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1"),
        ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1"),
        ("1.3.132.0.10", "secp256k1"),
        ("1.3.132.0.33", "secp224r1"),
        ("1.2.840.10045.3.1.1", "prime192v1"),
    ];
    let dotted = curve.to_string();
    NAMED
        .iter()
        .find(|(oid, _)| *oid == dotted)
        .map(|(_, name)| *name)
}

/// A digest as P-521 ECDSA takes it. A digest shorter than the curve is used whole as an
/// integer (FIPS 186-5 §6.4.1: the leftmost min(n, hashlen) bits), but the `ecdsa` crate refuses
/// prehashes under half the field size (SHA-224/256 for P-521, which openssl writes by
/// default): left-padding with zeros to the field size gives the same integer.
pub(crate) fn p521_prehash(digest: &[u8]) -> Vec<u8> {
    const FIELD_BYTES: usize = 66;
    let mut padded = vec![0u8; FIELD_BYTES.saturating_sub(digest.len())];
    padded.extend_from_slice(digest);
    padded
}

fn pkcs1(h: Hash) -> Result<rsa::Pkcs1v15Sign, SigFail> {
    Ok(match h {
        Hash::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
        Hash::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        Hash::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        Hash::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        weak => return Err(SigFail::WeakHash(weak)),
    })
}

fn pss(h: Hash, salt: usize) -> Result<rsa::Pss, SigFail> {
    Ok(match h {
        Hash::Sha224 => rsa::Pss::new_with_salt::<sha2::Sha224>(salt),
        Hash::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(salt),
        Hash::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt),
        Hash::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt),
        weak => return Err(SigFail::WeakHash(weak)),
    })
}

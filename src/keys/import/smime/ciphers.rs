//! Naming the ciphers of encrypted key files that mailseal does not read (Camellia, ARIA in
//! PBES2: the `pkcs5` crate has AES and 3DES), so that a refusal says what it is and how to
//! export the key again.

use cms::content_info::ContentInfo;
use const_oid::db::rfc5911;
use der::{Decode, Encode};

/// The cipher of a PBES2-encrypted key that the `pkcs5` crate does not read (`openssl pkcs8
/// -topk8 -v2 camellia256`, ARIA), by name or OID, so that the refusal says what it is (it said
/// "could not be read"; interop sweep of 2026-12-07). `None` for anything else.
pub(super) fn unsupported_pbes2_cipher(der: &[u8]) -> Option<String> {
    let epki = EncryptedKeyInfo::from_der(der).ok()?;
    unsupported_pbes2_scheme(&epki.algorithm)
}

/// [`unsupported_pbes2_cipher`] of a PBES2 algorithm identifier.
fn unsupported_pbes2_scheme(algorithm: &spki::AlgorithmIdentifierOwned) -> Option<String> {
    #[derive(der::Sequence)]
    struct Pbes2Params {
        kdf: spki::AlgorithmIdentifierOwned,
        scheme: spki::AlgorithmIdentifierOwned,
    }
    if algorithm.oid != pkcs5::pbes2::PBES2_OID {
        return None;
    }
    let params: Pbes2Params = algorithm.parameters.as_ref()?.decode_as().ok()?;
    let oid = params.scheme.oid.to_string();
    let known = ["1.2.840.113549.3.7", "2.16.840.1.101.3.4.1."];
    if known
        .iter()
        .any(|k| oid == *k || (k.ends_with('.') && oid.starts_with(k)))
    {
        return None; // 3DES, AES: what pkcs5 reads
    }
    let named = [
        ("1.2.392.200011.61.1.1.1.2", "Camellia-128-CBC"),
        ("1.2.392.200011.61.1.1.1.3", "Camellia-192-CBC"),
        ("1.2.392.200011.61.1.1.1.4", "Camellia-256-CBC"),
        ("1.2.410.200046.1.1.2", "ARIA-128-CBC"),
        ("1.2.410.200046.1.1.7", "ARIA-192-CBC"),
        ("1.2.410.200046.1.1.12", "ARIA-256-CBC"),
    ];
    Some(
        named
            .iter()
            .find(|(o, _)| *o == oid)
            .map_or(format!("a cipher of OID {oid}"), |(_, name)| {
                name.to_string()
            }),
    )
}

/// The first PBES2 cipher `pkcs5` does not read among a PKCS#12 file's encrypted safes and
/// shrouded key bags (`openssl pkcs12 -export -keypbe CAMELLIA-256-CBC`), for the refusal.
pub(super) fn unsupported_pkcs12_cipher(data: &[u8]) -> Option<String> {
    use der::asn1::{ContextSpecific, OctetString};
    use pkcs12::safe_bag::SafeContents;
    let pfx = pkcs12::pfx::Pfx::from_der(data).ok()?;
    let outer: OctetString = pfx.auth_safe.content.decode_as().ok()?;
    let safes = Vec::<ContentInfo>::from_der(outer.as_bytes()).ok()?;
    for safe in &safes {
        if safe.content_type == rfc5911::ID_ENCRYPTED_DATA {
            let encrypted: cms::encrypted_data::EncryptedData = safe.content.decode_as().ok()?;
            if let Some(name) =
                unsupported_pbes2_scheme(&encrypted.enc_content_info.content_enc_alg)
            {
                return Some(name);
            }
        } else if safe.content_type == rfc5911::ID_DATA {
            let inner: OctetString = safe.content.decode_as().ok()?;
            for bag in SafeContents::from_der(inner.as_bytes()).ok()? {
                if bag.bag_id != pkcs12::PKCS_12_PKCS8_KEY_BAG_OID {
                    continue;
                }
                let value = ContextSpecific::<der::Any>::from_der(&bag.bag_value).ok()?;
                if let Some(name) = unsupported_pbes2_cipher(&value.value.to_der().ok()?) {
                    return Some(name);
                }
            }
        }
    }
    None
}

/// EncryptedPrivateKeyInfo (RFC 5958 §3) as any algorithm has it.
#[derive(der::Sequence)]
pub(super) struct EncryptedKeyInfo {
    pub(super) algorithm: spki::AlgorithmIdentifierOwned,
    pub(super) data: der::asn1::OctetString,
}

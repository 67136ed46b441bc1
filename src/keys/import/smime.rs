//! S/MIME formats for [`Keyring::import`](crate::keys::Keyring::import): X.509 certificates
//! (PEM, DER), PKCS#7 certificate bundles, PKCS#12 files, PKCS#8 / PKCS#1 / SEC1 private keys.
//!
//! One file may hold several items (a PEM bundle, a PKCS#7 certs-only bundle, a PKCS#12 with
//! its chain). Private keys are joined to their certificate, found in the same file or already
//! in the keyring.

use cms::content_info::ContentInfo;
use cms::signed_data::{CertificateSet, SignedData};
use const_oid::db::rfc5911;
use der::{Decode, Encode};
use x509_cert::Certificate;

use crate::bytes::contains;
use crate::error::{Error, ErrorCode, Result};
use crate::keys::legacy_pem;
use crate::keys::smime::{SmimeEntry, SmimeSecret};
use crate::keys::{Entry, Keyring};
use crate::secret::SecretBytes;

mod ber;
mod ciphers;
mod mac;
use ciphers::{unsupported_pbes2_cipher, unsupported_pkcs12_cipher, EncryptedKeyInfo};
use mac::{check_mac_rounds, verify_mac};

/// What one file contained, before keys are joined to certificates.
#[derive(Default)]
struct Found {
    certs: Vec<Certificate>,
    secrets: Vec<SmimeSecret>,
    /// Certificates already paired with their key (PKCS#12).
    pairs: Vec<(Certificate, SmimeSecret)>,
}

/// Every certificate and key in `data` (PEM text or DER), keys joined to certificates.
pub(super) fn parse(
    data: &[u8],
    passphrase: Option<&str>,
    trusted: bool,
    ring: &Keyring,
) -> Result<Vec<Entry>> {
    let mut found = Found::default();
    if contains(data, b"-----BEGIN ") {
        parse_pem_blocks(data, passphrase, &mut found)?;
    } else {
        parse_binary(data, passphrase, &mut found)?;
    }
    join(found, trusted, ring)
}

/// Splits PEM text into its `-----BEGIN X-----` ... `-----END X-----` blocks and decodes each
/// with `pem-rfc7468` (via `der::pem`). Text between blocks (openssl's "Bag Attributes") is
/// ignored.
fn parse_pem_blocks(data: &[u8], passphrase: Option<&str>, found: &mut Found) -> Result<()> {
    let text = core::str::from_utf8(data)
        .map_err(|_| Error::unsupported_format("The PEM file is not valid text."))?;
    let mut rest = text;
    let mut blocks = 0usize;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start..];
        let label_end = after[11..]
            .find("-----")
            .map(|i| i + 11)
            .ok_or_else(bad_pem)?;
        let label = &after[11..label_end];
        let end_marker = format!("-----END {label}-----");
        let end = after.find(&end_marker).ok_or_else(bad_pem)? + end_marker.len();
        let block = &after[..end];
        rest = &after[end..];
        blocks += 1;
        if blocks > 1000 {
            return Err(Error::new(
                ErrorCode::TooLarge,
                "The PEM file holds too many blocks.",
            ));
        }
        if legacy_pem::is_encrypted(block) {
            found.secrets.push(legacy_secret(block, passphrase)?);
            continue;
        }
        let (label, der) = der::pem::decode_vec(block.as_bytes()).map_err(|_| bad_pem())?;
        let der = SecretBytes::new(der);
        match label {
            "CERTIFICATE" | "X509 CERTIFICATE" => found.certs.push(decode_cert(&der)?),
            // openssl -trustout: the certificate followed by openssl's trust settings, which
            // mailseal does not adopt (trust comes from the `trusted` import option).
            "TRUSTED CERTIFICATE" => found.certs.push(decode_leading_cert(&der)?),
            "PKCS7" | "CMS" | "PKCS #7 SIGNED DATA" => parse_pkcs7(&der, found)?,
            "PRIVATE KEY" => found.secrets.push(SmimeSecret::from_pkcs8_der(&der)?),
            "ENCRYPTED PRIVATE KEY" => found.secrets.push(decrypt_pkcs8(&der, passphrase)?),
            "RSA PRIVATE KEY" => found.secrets.push(SmimeSecret::from_pkcs1_der(&der)?),
            "EC PRIVATE KEY" => found.secrets.push(SmimeSecret::from_sec1_der(&der)?),
            // Curve parameters that openssl writes before SEC1 keys carry no key.
            "EC PARAMETERS" => {}
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(Error::unsupported_format(format!(
                    "PEM blocks of type \"{shown}\" are not supported."
                )));
            }
        }
    }
    if blocks == 0 {
        return Err(bad_pem());
    }
    Ok(())
}

/// A private key in OpenSSL's traditional encrypted PEM form.
fn legacy_secret(block: &str, passphrase: Option<&str>) -> Result<SmimeSecret> {
    let (label, der) = legacy_pem::decrypt(block, passphrase)?;
    let secret = match label {
        "RSA PRIVATE KEY" => SmimeSecret::from_pkcs1_der(&der),
        "EC PRIVATE KEY" => SmimeSecret::from_sec1_der(&der),
        "PRIVATE KEY" => SmimeSecret::from_pkcs8_der(&der),
        _ => return Err(bad_pem()),
    };
    // With a wrong passphrase the padding may still happen to check out; then the key does
    // not parse.
    secret.map_err(|e| match e.code() {
        ErrorCode::UnsupportedAlgorithm => e,
        _ => Error::bad_passphrase(),
    })
}

fn bad_pem() -> Error {
    Error::unsupported_format("The PEM file is malformed.")
}

fn decode_cert(der: &[u8]) -> Result<Certificate> {
    Certificate::from_der(der)
        .map_err(|_| Error::unsupported_format("The certificate could not be read."))
}

fn decode_leading_cert(der: &[u8]) -> Result<Certificate> {
    use der::Reader;
    let mut reader = der::SliceReader::new(der).map_err(|_| bad_pem())?;
    let cert: Certificate = reader
        .decode()
        .map_err(|_| Error::unsupported_format("The certificate could not be read."))?;
    Ok(cert)
}

/// Binary input: a certificate, a PKCS#7 bundle, a PKCS#12 file or a private key.
fn parse_der(data: &[u8], passphrase: Option<&str>, found: &mut Found) -> Result<()> {
    if data.first() != Some(&0x30) {
        return Err(Error::unsupported_format(
            "This is not a certificate, key or keyring format mailseal understands.",
        ));
    }
    if let Ok(cert) = Certificate::from_der(data) {
        found.certs.push(cert);
        return Ok(());
    }
    if let Ok(ci) = ContentInfo::from_der(data) {
        return parse_content_info(ci, found);
    }
    if let Ok(pfx) = pkcs12::pfx::Pfx::from_der(data) {
        drop(pfx);
        return parse_pkcs12(data, passphrase, found);
    }
    if pkcs8::PrivateKeyInfo::try_from(data).is_ok() {
        found.secrets.push(SmimeSecret::from_pkcs8_der(data)?);
        return Ok(());
    }
    if pkcs8::EncryptedPrivateKeyInfo::try_from(data).is_ok() {
        found.secrets.push(decrypt_pkcs8(data, passphrase)?);
        return Ok(());
    }
    if let Ok(secret) = SmimeSecret::from_pkcs1_der(data) {
        found.secrets.push(secret);
        return Ok(());
    }
    if let Ok(secret) = SmimeSecret::from_sec1_der(data) {
        found.secrets.push(secret);
        return Ok(());
    }
    Err(Error::unsupported_format(
        "The data is DER but not a certificate, PKCS#7 bundle, PKCS#12 file or private key.",
    ))
}

/// Binary input in DER, or in BER as EJBCA, BouncyCastle and NSS export PKCS#12 files and
/// PKCS#7 bundles (indefinite lengths, chunked OCTET STRINGs), read as its DER form.
fn parse_binary(data: &[u8], passphrase: Option<&str>, found: &mut Found) -> Result<()> {
    match parse_der(data, passphrase, found) {
        Err(e) if e.code() == ErrorCode::UnsupportedFormat => {
            match ber::as_der(data, passphrase.unwrap_or(""))? {
                Some(der) => parse_der(&der, passphrase, found),
                None => Err(e),
            }
        }
        done => done,
    }
}

fn parse_pkcs7(der: &[u8], found: &mut Found) -> Result<()> {
    // BouncyCastle writes its bundles in BER (see `parse_binary`).
    let unreadable = || Error::unsupported_format("The PKCS#7 bundle could not be read.");
    let ci = match ContentInfo::from_der(der) {
        Ok(ci) => ci,
        Err(_) => {
            let der = crate::ber::to_der(der).map_err(|_| unreadable())?;
            ContentInfo::from_der(&der).map_err(|_| unreadable())?
        }
    };
    parse_content_info(ci, found)
}

/// A PKCS#7 / CMS SignedData: take its certificates (a `.p7b` certs-only bundle, or the
/// certificates of a signed message).
fn parse_content_info(ci: ContentInfo, found: &mut Found) -> Result<()> {
    if ci.content_type != rfc5911::ID_SIGNED_DATA {
        return Err(Error::unsupported_format(
            "Only PKCS#7 certificate bundles (signed-data) can be imported.",
        ));
    }
    let sd: SignedData = ci
        .content
        .decode_as()
        .map_err(|_| Error::unsupported_format("The PKCS#7 bundle could not be read."))?;
    let certs: CertificateSet = sd
        .certificates
        .ok_or_else(|| Error::unsupported_format("The PKCS#7 bundle holds no certificates."))?;
    let before = found.certs.len();
    for choice in certs.0.into_vec() {
        if let cms::cert::CertificateChoices::Certificate(cert) = choice {
            found.certs.push(cert);
        }
    }
    if found.certs.len() == before {
        return Err(Error::unsupported_format(
            "The PKCS#7 bundle holds no certificates.",
        ));
    }
    Ok(())
}

fn decrypt_pkcs8(der: &[u8], passphrase: Option<&str>) -> Result<SmimeSecret> {
    if let Some(legacy) = decrypt_pkcs8_legacy(der, passphrase) {
        return legacy;
    }
    let epki =
        pkcs8::EncryptedPrivateKeyInfo::try_from(der).map_err(
            |_| match unsupported_pbes2_cipher(der) {
                Some(cipher) => Error::new(
                    ErrorCode::UnsupportedAlgorithm,
                    format!(
                    "The private key is encrypted with {cipher}, which mailseal does not read; \
                     re-encrypt it with openssl pkcs8 -topk8 -v2 aes-256-cbc."
                ),
                ),
                None => Error::unsupported_format("The encrypted private key could not be read."),
            },
        )?;
    let passphrase = passphrase.ok_or_else(Error::bad_passphrase)?;
    check_kdf_cost(&epki.encryption_algorithm)?;
    let doc = epki.decrypt(passphrase.as_bytes()).map_err(|e| match e {
        pkcs8::Error::EncryptedPrivateKey(pkcs5::Error::UnsupportedAlgorithm { .. }) => Error::new(
            ErrorCode::UnsupportedAlgorithm,
            "The private key is encrypted with an unsupported algorithm; re-encrypt it with \
                 openssl pkcs8 -topk8 -v2 aes-256-cbc.",
        ),
        _ => Error::bad_passphrase(),
    })?;
    SmimeSecret::from_pkcs8_der(doc.as_bytes())
}

/// PKCS#8 encrypted with the PKCS#12 password-based schemes (RFC 7292 App. B/C) that
/// OpenSSL 1.0's `pkcs8 -topk8` wrote by default (`-v1 PBE-SHA1-3DES`): read here, since the
/// `pkcs5` crate reads PBES2 only. The other PBES1 / PKCS#12 schemes (RC2, single DES, RC4)
/// are refused by name. `None` for what is not one of these (PBES2 goes on to `pkcs5`).
fn decrypt_pkcs8_legacy(der: &[u8], passphrase: Option<&str>) -> Option<Result<SmimeSecret>> {
    use cbc::cipher::block_padding::Pkcs7;
    use cbc::cipher::{BlockDecryptMut, KeyIvInit};
    use der::asn1::OctetString;
    use pkcs12::kdf::{derive_key_utf8, Pkcs12KeyType};

    #[derive(der::Sequence)]
    struct PbeParameter {
        salt: OctetString,
        iterations: u32,
    }
    const PKCS12_PBE: &str = "1.2.840.113549.1.12.1.";
    const PBES1: [&str; 6] = [
        "1.2.840.113549.1.5.1",
        "1.2.840.113549.1.5.3",
        "1.2.840.113549.1.5.4",
        "1.2.840.113549.1.5.6",
        "1.2.840.113549.1.5.10",
        "1.2.840.113549.1.5.11",
    ];
    let epki = EncryptedKeyInfo::from_der(der).ok()?;
    let oid = epki.algorithm.oid.to_string();
    if oid != "1.2.840.113549.1.12.1.3" {
        if oid.starts_with(PKCS12_PBE) || PBES1.contains(&oid.as_str()) {
            return Some(Err(Error::new(
                ErrorCode::UnsupportedAlgorithm,
                "The private key is encrypted with an old password-based scheme (RC2, DES or \
                 RC4) mailseal does not read; re-encrypt it with openssl pkcs8 -topk8 -v2 \
                 aes-256-cbc.",
            )));
        }
        return None;
    }
    Some((|| {
        let passphrase = passphrase.ok_or_else(Error::bad_passphrase)?;
        let params: PbeParameter = epki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as().ok())
            .ok_or_else(|| {
                Error::unsupported_format("The encrypted private key could not be read.")
            })?;
        if u64::from(params.iterations) > crate::keys::kdf::MAX_PBKDF2_ROUNDS {
            return Err(crate::keys::kdf::too_costly(
                "private key's passphrase derivation",
            ));
        }
        let rounds = i32::try_from(params.iterations).map_err(|_| Error::bad_passphrase())?;
        let salt = params.salt.as_bytes();
        let derive = |kind, len| {
            derive_key_utf8::<sha1::Sha1>(passphrase, salt, kind, rounds, len)
                .map(SecretBytes::new)
                .map_err(|_| Error::bad_passphrase())
        };
        let key = derive(Pkcs12KeyType::EncryptionKey, 24)?;
        let iv = derive(Pkcs12KeyType::Iv, 8)?;
        let plain = cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
            .map_err(|_| Error::bad_passphrase())?
            .decrypt_padded_vec_mut::<Pkcs7>(epki.data.as_bytes())
            .map(SecretBytes::new)
            .map_err(|_| Error::bad_passphrase())?;
        // A wrong passphrase leaves bytes that are not a key (the padding check alone passes
        // one time in 256).
        SmimeSecret::from_pkcs8_der(&plain).map_err(|_| Error::bad_passphrase())
    })())
}

/// The file chooses its key derivation's cost; bound it before deriving anything. Without
/// this a crafted key would hang the page (PBKDF2 with 2^32 rounds) or abort the wasm module
/// (scrypt asking for terabytes, or an N of 0 that the `pkcs5` crate's log2 underflows on).
/// openssl writes PBKDF2 with 2048 rounds and scrypt with N = 2^14, r = 8, p = 1.
fn check_kdf_cost(scheme: &pkcs5::EncryptionScheme<'_>) -> Result<()> {
    use crate::keys::kdf;
    use pkcs5::pbes2::Kdf;
    let within = match scheme.pbes2().map(|p| &p.kdf) {
        Some(Kdf::Pbkdf2(p)) => u64::from(p.iteration_count) <= kdf::MAX_PBKDF2_ROUNDS,
        Some(Kdf::Scrypt(p)) => kdf::scrypt_ok(
            p.cost_parameter,
            u64::from(p.block_size),
            u64::from(p.parallelization),
        ),
        _ => true,
    };
    if within {
        Ok(())
    } else {
        Err(kdf::too_costly("private key's passphrase derivation"))
    }
}

fn parse_pkcs12(data: &[u8], passphrase: Option<&str>, found: &mut Found) -> Result<()> {
    use p12_keystore::error::Error as P12Error;
    use p12_keystore::{KeyStore, KeyStoreEntry};
    let password = passphrase.unwrap_or("");
    let without_mac = check_sha2_mac(data, password)?;
    let data = without_mac.as_deref().unwrap_or(data);
    // The file chooses how often and how hard its contents are derived (a key bag per key,
    // each with its own rounds): each derivation within the ceiling, all together within
    // the file's budget, checked before each one runs.
    let budget = crate::keys::kdf::Budget::new(crate::keys::kdf::MAX_PKCS12_CONTENT_ROUNDS);
    let check = |alg: &spki::AlgorithmIdentifierOwned| budget.spend(pbe_rounds(alg));
    let store = KeyStore::from_pkcs12_checked(data, password, &check).map_err(|e| {
        // A cipher the pkcs5 crate lacks (Camellia) is named, whatever error it led to.
        let unreadable_cipher = || match e {
            P12Error::KdfRefused | P12Error::MacError(_) => None,
            _ => unsupported_pkcs12_cipher(data),
        };
        if let Some(cipher) = unreadable_cipher() {
            return Error::new(
                ErrorCode::UnsupportedAlgorithm,
                format!(
                    "The PKCS#12 file is encrypted with {cipher}, which mailseal does not read; \
                     export it again with openssl pkcs12 -export -keypbe AES-256-CBC -certpbe \
                     AES-256-CBC."
                ),
            );
        }
        match e {
            P12Error::KdfRefused => {
                crate::keys::kdf::too_costly("PKCS#12 file's key derivation (together)")
            }
            P12Error::MacError(_) | P12Error::UnpadError | P12Error::Pkcs5Error(_) => {
                Error::bad_passphrase()
            }
            P12Error::UnsupportedEncryptionScheme | P12Error::UnsupportedMacAlgorithm => {
                Error::new(
                    ErrorCode::UnsupportedAlgorithm,
                    "The PKCS#12 file uses an unsupported encryption or MAC algorithm.",
                )
            }
            _ if passphrase.is_none() => Error::bad_passphrase(),
            _ => Error::unsupported_format("The PKCS#12 file could not be read."),
        }
    })?;
    let mut any = false;
    for (_, entry) in store.entries() {
        match entry {
            KeyStoreEntry::PrivateKeyChain(chain) => {
                let mut certs = chain.chain().iter();
                let secret = SmimeSecret::from_pkcs8_der(chain.key())?;
                let Some(leaf) = certs.next() else {
                    // A key exported without its certificate (`-nocerts`): joined like a
                    // PKCS#8 key file, with a certificate of this import or of the keyring.
                    found.secrets.push(secret);
                    any = true;
                    continue;
                };
                found.pairs.push((decode_cert(leaf.as_der())?, secret));
                for ca in certs {
                    found.certs.push(decode_cert(ca.as_der())?);
                }
                any = true;
            }
            KeyStoreEntry::Certificate(cert) => {
                found.certs.push(decode_cert(cert.as_der())?);
                any = true;
            }
            KeyStoreEntry::Secret(_) => {}
        }
    }
    // p12-keystore skips plain (unencrypted) key bags and CA certificates outside a key's
    // chain; read those from the unencrypted safes ourselves. The MAC was checked above.
    let before = (found.certs.len(), found.secrets.len());
    plain_bags(data, found)?;
    any |= (found.certs.len(), found.secrets.len()) != before;
    if !any {
        return Err(Error::unsupported_format(
            "The PKCS#12 file holds no certificate or key.",
        ));
    }
    Ok(())
}

/// Bounds the MAC rounds of every PKCS#12 (p12-keystore does not). p12-keystore checks only
/// HMAC-SHA-1 and HMAC-SHA-256 MACs; `openssl pkcs12 -macalg sha384` / `sha512` (and SHA-224)
/// write others. Those are checked here with the RFC 7292 Appendix B
/// key derivation of the `pkcs12` crate, and the PFX is handed on without its (checked) MAC.
/// `None` when there is nothing to do.
/// The rounds a PKCS#12 content encryption (PBES2 or the PKCS#12 PBE schemes, RFC 7292
/// App. C) will derive its key with: `u64::MAX` when one derivation is over the ceiling, 0
/// when the parameters do not read (p12-keystore then refuses them itself).
fn pbe_rounds(alg: &spki::AlgorithmIdentifierOwned) -> u64 {
    use crate::keys::kdf;
    use der::{Decode, Encode};
    use pkcs5::pbes2::Kdf;
    const PBES2: const_oid::ObjectIdentifier =
        const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
    const PKCS12_PBE: const_oid::ObjectIdentifier =
        const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1");
    let Some(params) = alg.parameters.as_ref().and_then(|p| p.to_der().ok()) else {
        return 0;
    };
    let within = |rounds: u64| {
        if rounds <= kdf::MAX_PBKDF2_ROUNDS {
            rounds
        } else {
            u64::MAX
        }
    };
    if alg.oid == PBES2 {
        match pkcs5::pbes2::Parameters::from_der(&params).map(|p| p.kdf) {
            Ok(Kdf::Pbkdf2(p)) => within(u64::from(p.iteration_count)),
            Ok(Kdf::Scrypt(p)) => {
                let (n, r, par) = (
                    p.cost_parameter,
                    u64::from(p.block_size),
                    u64::from(p.parallelization),
                );
                if kdf::scrypt_ok(n, r, par) {
                    kdf::scrypt_rounds(n, r, par)
                } else {
                    u64::MAX
                }
            }
            _ => 0,
        }
    } else if alg.oid.parent() == Some(PKCS12_PBE) {
        pkcs12::pbe_params::Pkcs12PbeParams::from_der(&params)
            .ok()
            .and_then(|p| u64::try_from(p.iterations).ok())
            .map_or(0, within)
    } else {
        0
    }
}

fn check_sha2_mac(data: &[u8], password: &str) -> Result<Option<Vec<u8>>> {
    let Ok(mut pfx) = pkcs12::pfx::Pfx::from_der(data) else {
        return Ok(None); // p12-keystore says what is wrong
    };
    let Some(mac) = pfx.mac_data.as_ref() else {
        return Ok(None);
    };
    // Whoever computes it (here or p12-keystore), the rounds are bounded first.
    check_mac_rounds(mac)?;
    let sha2 = [
        const_oid::db::rfc5912::ID_SHA_224,
        const_oid::db::rfc5912::ID_SHA_384,
        const_oid::db::rfc5912::ID_SHA_512,
    ];
    if !sha2.contains(&mac.mac.algorithm.oid) {
        return Ok(None);
    }
    verify_mac(mac, password, pfx.auth_safe.content.value())?;
    pfx.mac_data = None;
    pfx.to_der()
        .map(Some)
        .map_err(|_| Error::unsupported_format("The PKCS#12 file could not be read."))
}

/// Certificates and unencrypted private keys (keyBag) from the unencrypted safes of a PFX.
fn plain_bags(data: &[u8], found: &mut Found) -> Result<()> {
    use der::asn1::{ContextSpecific, OctetString};
    use pkcs12::safe_bag::SafeContents;
    let unreadable = || Error::unsupported_format("The PKCS#12 file could not be read.");
    let pfx = pkcs12::pfx::Pfx::from_der(data).map_err(|_| unreadable())?;
    if pfx.auth_safe.content_type != rfc5911::ID_DATA {
        return Ok(());
    }
    let outer: OctetString = pfx
        .auth_safe
        .content
        .decode_as()
        .map_err(|_| unreadable())?;
    let safes = Vec::<ContentInfo>::from_der(outer.as_bytes()).map_err(|_| unreadable())?;
    for safe in safes.iter().filter(|s| s.content_type == rfc5911::ID_DATA) {
        let inner: OctetString = safe.content.decode_as().map_err(|_| unreadable())?;
        let bags = SafeContents::from_der(inner.as_bytes()).map_err(|_| unreadable())?;
        for bag in bags {
            if bag.bag_id == pkcs12::PKCS_12_KEY_BAG_OID {
                let value = ContextSpecific::<der::Any>::from_der(&bag.bag_value)
                    .map_err(|_| unreadable())?;
                let der = SecretBytes::new(value.value.to_der().map_err(|_| unreadable())?);
                found.secrets.push(SmimeSecret::from_pkcs8_der(&der)?);
            } else if bag.bag_id == pkcs12::PKCS_12_CERT_BAG_OID {
                let value = ContextSpecific::<pkcs12::cert_type::CertBag>::from_der(&bag.bag_value)
                    .map_err(|_| unreadable())?;
                if value.value.cert_id == pkcs12::PKCS_12_X509_CERT_OID {
                    found
                        .certs
                        .push(decode_cert(value.value.cert_value.as_bytes())?);
                }
            }
        }
    }
    Ok(())
}

/// Pairs private keys with certificates (same file first, then the keyring) and builds
/// entries.
fn join(found: Found, trusted: bool, ring: &Keyring) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for (cert, secret) in found.pairs {
        entries.push(SmimeEntry::from_certificate(cert, trusted)?.with_secret(secret)?);
    }
    let mut certs: Vec<SmimeEntry> = Vec::new();
    for cert in found.certs {
        // The certificate a CA issued for a key made here joins that key.
        if let Some(secret) = ring.pending_secret_for(&cert) {
            entries.push(SmimeEntry::from_certificate(cert, trusted)?.with_secret(secret)?);
            continue;
        }
        let entry = SmimeEntry::from_certificate(cert, trusted)?;
        if !certs
            .iter()
            .chain(entries.iter())
            .any(|e| e.id() == entry.id())
        {
            certs.push(entry);
        }
    }
    for secret in found.secrets {
        if let Some(pos) = certs.iter().position(|c| secret.matches(c.certificate())) {
            let cert = certs.remove(pos);
            entries.push(cert.with_secret(secret)?);
        } else if let Some(existing) = ring
            .smime_entries()
            .find(|e| secret.matches(e.certificate()))
        {
            let cert = SmimeEntry::from_der(existing.der(), existing.trusted())?;
            entries.push(cert.with_secret(secret)?);
        } else {
            return Err(Error::new(
                ErrorCode::CertificateMissing,
                "The private key has no matching certificate; import the certificate first or \
                 in the same file.",
            ));
        }
    }
    entries.extend(certs);
    let out: Vec<Entry> = entries
        .into_iter()
        .map(|e| Entry::Smime(Box::new(e)))
        .collect();
    if out.is_empty() {
        return Err(Error::unsupported_format(
            "The file holds no certificate or key.",
        ));
    }
    Ok(out)
}

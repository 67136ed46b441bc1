//! Reading EnvelopedData (RFC 5652 §6) and AuthEnvelopedData (RFC 5083).
//!
//! Content ciphers: AES-128/192/256-CBC (RFC 3565), 3DES-CBC (RFC 3370 §5.1, old mail only),
//! AES-GCM (RFC 5084). Recipients: RSA PKCS#1 v1.5 and RSA-OAEP key transport
//! (RFC 3560/8017), ECDH ephemeral-static key agreement with the X9.63 KDF and AES key wrap
//! (RFC 5753 §3.1, RFC 3394).
//!
//! The private key is picked by the recipient identifiers (issuer + serial number or subject
//! key identifier); when none of them names a keyring key, every keyring key of a fitting type
//! is tried against every recipient (some clients write identifiers of an older certificate
//! of the same key). Every failure after a key was found reads the same:
//! "The message could not be decrypted." (no padding or key oracle, see `rsa_kt`).

use cms::enveloped_data::{KeyTransRecipientInfo, OriginatorIdentifierOrKey, RecipientIdentifier};
use const_oid::db::{rfc5911, rfc5912};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, AnyRef, Decode, Encode, Tag, TagNumber, Tagged};
use spki::AlgorithmIdentifierOwned;

use super::algorithms::{
    self as algs, malformed, AuthEnvelopedDataIn, ContentInfoIn, EncryptedContentInfoIn,
    EnvelopedDataIn, GcmParameters, Hash, Kari, KariRid, Rek,
};
use super::ecdh_kdf::{derive_kek, derive_kek_for};
use super::{ber, rsa_kt};
use crate::crypto::{cbc_decrypt, provider};
use crate::engine::{Decrypted, ReadContext};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::smime::SmimeSecret;
use crate::keys::{Keyring, SmimeEntry};
use crate::report::{EncryptionReport, EncryptionState, Method};
use crate::secret::SecretBytes;

/// Most (key, recipient) pairs tried when no identifier matches.
const MAX_BLIND_TRIES: usize = 64;

/// The one sentence for every decryption failure.
pub(crate) const FAILED: &str = "The message could not be decrypted.";
const NO_KEY: &str = "The private key for decryption could not be found.";
const PASSWORD_ONLY: &str = "The message is encrypted with a password (S/MIME password \
     recipients), which mailseal does not open: no key can decrypt it.";

/// The content cipher named by an EncryptedContentInfo.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cipher {
    Aes128Cbc,
    Aes192Cbc,
    Aes256Cbc,
    TdesCbc,
    Camellia128Cbc,
    Camellia192Cbc,
    Camellia256Cbc,
    Aes128Gcm,
    Aes192Gcm,
    Aes256Gcm,
}

impl Cipher {
    fn from_oid(oid: &const_oid::ObjectIdentifier) -> Option<Cipher> {
        Some(match *oid {
            o if o == rfc5911::ID_AES_128_CBC => Cipher::Aes128Cbc,
            o if o == rfc5911::ID_AES_192_CBC => Cipher::Aes192Cbc,
            o if o == rfc5911::ID_AES_256_CBC => Cipher::Aes256Cbc,
            o if o == algs::DES_EDE3_CBC => Cipher::TdesCbc,
            o if o == algs::CAMELLIA_128_CBC => Cipher::Camellia128Cbc,
            o if o == algs::CAMELLIA_192_CBC => Cipher::Camellia192Cbc,
            o if o == algs::CAMELLIA_256_CBC => Cipher::Camellia256Cbc,
            o if o == algs::ID_AES_128_GCM => Cipher::Aes128Gcm,
            o if o == algs::ID_AES_192_GCM => Cipher::Aes192Gcm,
            o if o == algs::ID_AES_256_GCM => Cipher::Aes256Gcm,
            _ => return None,
        })
    }

    fn key_len(self) -> usize {
        match self {
            Cipher::Aes128Cbc | Cipher::Aes128Gcm | Cipher::Camellia128Cbc => 16,
            Cipher::Aes192Cbc | Cipher::Aes192Gcm | Cipher::TdesCbc | Cipher::Camellia192Cbc => 24,
            Cipher::Aes256Cbc | Cipher::Aes256Gcm | Cipher::Camellia256Cbc => 32,
        }
    }

    fn is_aead(self) -> bool {
        matches!(
            self,
            Cipher::Aes128Gcm | Cipher::Aes192Gcm | Cipher::Aes256Gcm
        )
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Cipher::Aes128Cbc => "aes128-cbc",
            Cipher::Aes192Cbc => "aes192-cbc",
            Cipher::Aes256Cbc => "aes256-cbc",
            Cipher::TdesCbc => "3des-cbc",
            Cipher::Camellia128Cbc => "camellia128-cbc",
            Cipher::Camellia192Cbc => "camellia192-cbc",
            Cipher::Camellia256Cbc => "camellia256-cbc",
            Cipher::Aes128Gcm => "aes128-gcm",
            Cipher::Aes192Gcm => "aes192-gcm",
            Cipher::Aes256Gcm => "aes256-gcm",
        }
    }
}

/// A recipient entry of either kind mailseal can use.
enum Recipient {
    Ktri(KeyTransRecipientInfo),
    Kari(Kari),
}

/// What both envelope types share.
struct Envelope<'a> {
    recipients: Vec<Recipient>,
    /// Only password recipients (`openssl cms -encrypt -pwri_password`, RFC 3211): no key
    /// opens it, and the report says so instead of "key not found".
    password_only: bool,
    content: EncryptedContentInfoIn<'a>,
    /// AuthEnvelopedData: the tag and the DER of the authenticated attributes.
    mac: Option<(Vec<u8>, Vec<u8>)>,
}

/// RecipientInfo (RFC 5652 §6.2): KeyTransRecipientInfo is a SEQUENCE, KeyAgreeRecipientInfo
/// `[1] IMPLICIT`; other kinds (KEK, password, other) are skipped, as are entries that do not
/// parse, so one odd recipient does not hide the others.
fn recipients(infos: SetOfVec<Any>) -> Vec<Recipient> {
    let kari_tag = Tag::ContextSpecific {
        constructed: true,
        number: TagNumber::N1,
    };
    infos
        .into_vec()
        .into_iter()
        .filter_map(|ri| {
            if ri.tag() == Tag::Sequence {
                ri.decode_as().ok().map(Recipient::Ktri)
            } else if ri.tag() == kari_tag {
                let der = AnyRef::new(Tag::Sequence, ri.value()).ok()?.to_der().ok()?;
                Kari::from_der(&der).ok().map(Recipient::Kari)
            } else {
                None
            }
        })
        .collect()
}

/// Whether every RecipientInfo is a PasswordRecipientInfo (`[3] IMPLICIT`, RFC 5652 §6.2.4).
fn password_only(infos: &SetOfVec<Any>) -> bool {
    let pwri = Tag::ContextSpecific {
        constructed: true,
        number: TagNumber::N3,
    };
    !infos.is_empty() && infos.iter().all(|ri| ri.tag() == pwri)
}

/// The envelope of a DER or BER ContentInfo. DER (what mailseal and most clients write) is
/// read as it is, its encrypted content borrowed; BER (`openssl cms -stream`, Outlook) is made
/// DER first, into `der`, which the envelope then borrows.
fn parse<'a>(payload: &'a [u8], der: &'a mut Vec<u8>) -> Result<Envelope<'a>> {
    if let Ok(envelope) = parse_der(payload) {
        return Ok(envelope);
    }
    *der = ber::to_der(payload)?;
    parse_der(der)
}

fn parse_der(der: &[u8]) -> Result<Envelope<'_>> {
    let ci = ContentInfoIn::from_der(der).map_err(|_| malformed())?;
    if ci.content_type == rfc5911::ID_ENVELOPED_DATA {
        let ed: EnvelopedDataIn = ci.content.decode_as().map_err(|_| malformed())?;
        Ok(Envelope {
            password_only: password_only(&ed.recip_infos),
            recipients: recipients(ed.recip_infos),
            content: ed.encrypted_content,
            mac: None,
        })
    } else if ci.content_type == algs::ID_CT_AUTH_ENVELOPED_DATA {
        let ad: AuthEnvelopedDataIn = ci.content.decode_as().map_err(|_| malformed())?;
        let aad = match &ad.auth_attrs {
            Some(attrs) => attrs.to_der().map_err(|_| malformed())?,
            None => Vec::new(),
        };
        Ok(Envelope {
            password_only: password_only(&ad.recip_infos),
            recipients: recipients(ad.recip_infos),
            content: ad.auth_encrypted_content,
            mac: Some((ad.mac.as_bytes().to_vec(), aad)),
        })
    } else {
        Err(Error::new(
            ErrorCode::MalformedMessage,
            "The S/MIME part is not an encrypted message.",
        ))
    }
}

/// One way to the content key: a recipient entry and a keyring key for it.
#[derive(Clone, Copy)]
enum Wrapped<'a> {
    Ktri(&'a KeyTransRecipientInfo),
    Kari(&'a Kari, &'a Rek),
}

fn matches_rid(entry: &SmimeEntry, rid: &RecipientIdentifier) -> bool {
    match rid {
        RecipientIdentifier::IssuerAndSerialNumber(isn) => entry.matches_issuer_serial(isn),
        RecipientIdentifier::SubjectKeyIdentifier(ski) => {
            entry.subject_key_id().as_deref() == Some(ski.0.as_bytes())
        }
    }
}

fn matches_karid(entry: &SmimeEntry, rid: &KariRid) -> bool {
    match rid {
        KariRid::IssuerAndSerialNumber(isn) => entry.matches_issuer_serial(isn),
        KariRid::RKeyId(rkid) => {
            entry.subject_key_id().as_deref() == Some(rkid.subject_key_identifier.0.as_bytes())
        }
    }
}

/// Every recipient entry of the message, flattened (one KARI may hold several keys).
fn wrapped_keys(recipients: &[Recipient]) -> Vec<Wrapped<'_>> {
    let mut out = Vec::new();
    for ri in recipients {
        match ri {
            Recipient::Ktri(k) => out.push(Wrapped::Ktri(k)),
            Recipient::Kari(k) => {
                for rek in &k.recipient_enc_keys {
                    out.push(Wrapped::Kari(k, rek));
                }
            }
        }
    }
    out
}

fn named_by(entry: &SmimeEntry, w: &Wrapped<'_>) -> bool {
    match w {
        Wrapped::Ktri(k) => matches_rid(entry, &k.rid),
        Wrapped::Kari(_, rek) => matches_karid(entry, &rek.rid),
    }
}

fn fits(secret: &SmimeSecret, w: &Wrapped<'_>) -> bool {
    matches!(
        (secret, w),
        (SmimeSecret::Rsa(_), Wrapped::Ktri(_))
            | (SmimeSecret::P256(_), Wrapped::Kari(..))
            | (SmimeSecret::P384(_), Wrapped::Kari(..))
            | (SmimeSecret::P521(_), Wrapped::Kari(..))
    )
}

/// The recipient ids as the report shows them when no key was found: issuer serial numbers.
fn recipient_ids(keys: &[Wrapped<'_>]) -> String {
    let ids: Vec<String> = keys
        .iter()
        .map(|w| {
            let isn = match w {
                Wrapped::Ktri(k) => match &k.rid {
                    RecipientIdentifier::IssuerAndSerialNumber(isn) => Some(isn),
                    RecipientIdentifier::SubjectKeyIdentifier(ski) => {
                        return hex::encode_upper(ski.0.as_bytes())
                    }
                },
                Wrapped::Kari(_, rek) => match &rek.rid {
                    KariRid::IssuerAndSerialNumber(isn) => Some(isn),
                    KariRid::RKeyId(r) => {
                        return hex::encode_upper(r.subject_key_identifier.0.as_bytes())
                    }
                },
            };
            isn.map(|i| hex::encode_upper(i.serial_number.as_bytes()))
                .unwrap_or_default()
        })
        .collect();
    ids.join(",")
}

pub(crate) async fn decrypt(
    ring: &Keyring,
    payload: &[u8],
    ctx: &ReadContext,
) -> Result<Decrypted> {
    let mut der = Vec::new();
    let env = parse(payload, &mut der)?;
    let Some(cipher) = Cipher::from_oid(&env.content.content_enc_alg.oid) else {
        return Ok(unsupported_cipher(&env.content.content_enc_alg.oid));
    };
    if cipher.is_aead() != env.mac.is_some() {
        // GCM in EnvelopedData has no tag; CBC in AuthEnvelopedData has no authentication.
        return Ok(failed_with(Some(cipher), FAILED.to_string()));
    }
    let ciphertext = ciphertext_of(&env, ctx)?;

    let keys = wrapped_keys(&env.recipients);
    let tries = tries_for(ring, &keys);
    let no_key = || {
        let mut report = EncryptionReport::new(Method::Smime, EncryptionState::NoKey, NO_KEY);
        report.algorithm = Some(cipher.name().to_string());
        report.key_id = Some(recipient_ids(&keys)).filter(|s| !s.is_empty());
        Decrypted {
            report,
            content: None,
            signature: None,
        }
    };
    // Only keys tried blindly: none of them turning out to fit means "not for us".
    let any_named = tries.iter().any(|t| t.named);
    if tries.is_empty() {
        let mut refused = no_key();
        if env.password_only {
            refused.report.detail = Some(PASSWORD_ONLY.to_string());
        }
        return Ok(refused);
    }

    for Try {
        wrapped,
        entry,
        secret,
        named,
    } in tries
    {
        let Some(cek) = unwrap_key(wrapped, secret, cipher.key_len()).await else {
            continue;
        };
        let Some(plain) = decrypt_content(
            cipher,
            &env.content.content_enc_alg,
            &cek,
            ciphertext,
            env.mac.as_ref(),
        )
        .await
        else {
            continue;
        };
        // A key tried blindly must also give something that looks like a MIME entity: CBC
        // padding alone is right by chance once in 256 tries.
        if !named && !cipher.is_aead() && !looks_like_entity(&plain) {
            continue;
        }
        if plain.len() > ctx.max_output {
            return Err(Error::new(
                ErrorCode::TooLarge,
                "The decrypted message is larger than the allowed size.",
            ));
        }
        return Ok(Decrypted {
            report: decrypted(cipher, entry),
            content: Some(plain),
            signature: None,
        });
    }
    if !any_named {
        return Ok(no_key());
    }
    Ok(failed_with(Some(cipher), FAILED.to_string()))
}

/// The report of a message decrypted with `entry`'s key; authenticated when the cipher is AEAD.
fn decrypted(cipher: Cipher, entry: &SmimeEntry) -> EncryptionReport {
    let mut report = EncryptionReport::new(
        Method::Smime,
        EncryptionState::Decrypted,
        "The message was encrypted for you and has been decrypted.",
    );
    report.algorithm = Some(cipher.name().to_string());
    report.authenticated = Some(cipher.is_aead());
    report.key_id = Some(entry.id());
    report
}

/// The report for a content cipher mailseal does not read, naming it where it can.
fn unsupported_cipher(oid: &const_oid::ObjectIdentifier) -> Decrypted {
    failed_with(
        None,
        match algs::unsupported_cipher_name(oid)
            .or_else(|| crate::keys::x509::signature::unsupported_algorithm_name(oid))
        {
            Some(name) => {
                format!("The message is encrypted with {name}, which mailseal does not read.")
            }
            None => format!(
                "The message is encrypted with an algorithm mailseal does not support ({oid})."
            ),
        },
    )
}

/// The encrypted content, refused when it is absent or larger than any output allowed.
fn ciphertext_of<'e>(env: &Envelope<'e>, ctx: &ReadContext) -> Result<&'e [u8]> {
    let Some(ciphertext) = env.content.encrypted_content else {
        return Err(Error::new(
            ErrorCode::MalformedMessage,
            "The encrypted message carries no content.",
        ));
    };
    let ciphertext = ciphertext.as_bytes();
    if ciphertext.len() > ctx.max_output.saturating_add(64) {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "The encrypted message is larger than the allowed size.",
        ));
    }
    Ok(ciphertext)
}

/// One (recipient entry, keyring key) pair to try; `named`: the entry names the key.
struct Try<'a> {
    wrapped: Wrapped<'a>,
    entry: &'a SmimeEntry,
    secret: &'a SmimeSecret,
    named: bool,
}

/// The keys to try: those the recipient entries name, or when none is named, every key of a
/// fitting type against every entry (at most [`MAX_BLIND_TRIES`]).
fn tries_for<'a>(ring: &'a Keyring, keys: &[Wrapped<'a>]) -> Vec<Try<'a>> {
    let secrets: Vec<(&SmimeEntry, &SmimeSecret)> = ring
        .smime_entries()
        .filter_map(|e| e.secret().map(|s| (e, s)))
        .collect();
    let mut tries: Vec<Try<'a>> = Vec::new();
    for w in keys {
        for (e, s) in &secrets {
            if named_by(e, w) && fits(s, w) {
                tries.push(Try {
                    wrapped: *w,
                    entry: e,
                    secret: s,
                    named: true,
                });
            }
        }
    }
    if tries.is_empty() {
        'blind: for w in keys {
            for (e, s) in &secrets {
                if fits(s, w) {
                    if tries.len() >= MAX_BLIND_TRIES {
                        break 'blind;
                    }
                    tries.push(Try {
                        wrapped: *w,
                        entry: e,
                        secret: s,
                        named: false,
                    });
                }
            }
        }
    }
    tries
}

fn failed_with(cipher: Option<Cipher>, detail: String) -> Decrypted {
    let mut report = EncryptionReport::new(Method::Smime, EncryptionState::Failed, detail);
    report.algorithm = cipher.map(|c| c.name().to_string());
    Decrypted {
        report,
        content: None,
        signature: None,
    }
}

/// A first line of the form `Header-Name:` (RFC 5322 §2.2 field name).
fn looks_like_entity(plain: &[u8]) -> bool {
    let Some(colon) = plain.iter().take(80).position(|&b| b == b':') else {
        return false;
    };
    colon > 0 && plain[..colon].iter().all(|&b| (33..=126).contains(&b))
}

async fn unwrap_key(w: Wrapped<'_>, secret: &SmimeSecret, key_len: usize) -> Option<SecretBytes> {
    match (w, secret) {
        (Wrapped::Ktri(k), SmimeSecret::Rsa(rsa)) => unwrap_ktri(k, rsa, key_len).await,
        (Wrapped::Kari(k, rek), SmimeSecret::P256(sk)) => {
            let point = originator_point(k)?;
            let pk = p256::PublicKey::from_sec1_bytes(point).ok()?;
            let shared = p256::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine());
            unwrap_kari(k, rek, shared.raw_secret_bytes().as_slice(), key_len)
        }
        (Wrapped::Kari(k, rek), SmimeSecret::P384(sk)) => {
            let point = originator_point(k)?;
            let pk = p384::PublicKey::from_sec1_bytes(point).ok()?;
            let shared = p384::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine());
            unwrap_kari(k, rek, shared.raw_secret_bytes().as_slice(), key_len)
        }
        (Wrapped::Kari(k, rek), SmimeSecret::P521(sk)) => {
            let point = originator_point(k)?;
            let pk = p521::PublicKey::from_sec1_bytes(point).ok()?;
            let shared = p521::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine());
            unwrap_kari(k, rek, shared.raw_secret_bytes().as_slice(), key_len)
        }
        _ => None,
    }
}

async fn unwrap_ktri(
    k: &KeyTransRecipientInfo,
    rsa: &rsa::RsaPrivateKey,
    key_len: usize,
) -> Option<SecretBytes> {
    let wrapped = k.enc_key.as_bytes();
    let oid = k.key_enc_alg.oid;
    if oid == rfc5912::RSA_ENCRYPTION {
        Some(rsa_kt::unwrap_pkcs1v15(rsa, wrapped, key_len))
    } else if oid == rfc5912::ID_RSAES_OAEP {
        let (hash, mgf) = oaep_hashes(&k.key_enc_alg)?;
        let cek = rsa_kt::unwrap_oaep(rsa, wrapped, hash, mgf).await?;
        (cek.len() == key_len).then_some(cek)
    } else {
        None
    }
}

/// RSAES-OAEP-params (RFC 8017 A.2.1): hash and MGF1 hash, SHA-1 by default; no label.
fn oaep_hashes(alg: &AlgorithmIdentifierOwned) -> Option<(Hash, Hash)> {
    let Some(params) = &alg.parameters else {
        return Some((Hash::Sha1, Hash::Sha1));
    };
    let der = params.to_der().ok()?;
    let p = pkcs1::RsaOaepParams::from_der(&der).ok()?;
    if p.p_source.parameters.is_some_and(|l| {
        l.decode_as::<der::asn1::OctetStringRef<'_>>()
            .map(|o| !o.as_bytes().is_empty())
            .unwrap_or(true)
    }) {
        return None;
    }
    let hash = Hash::from_oid(&p.hash.oid)?;
    if p.mask_gen.oid != rfc5912::ID_MGF_1 {
        return None;
    }
    let mgf = Hash::from_oid(&p.mask_gen.parameters?.oid)?;
    if hash == Hash::Md5 || mgf == Hash::Md5 {
        return None;
    }
    Some((hash, mgf))
}

fn originator_point(k: &Kari) -> Option<&[u8]> {
    match &k.originator {
        OriginatorIdentifierOrKey::OriginatorKey(key) => key.public_key.as_bytes(),
        _ => None,
    }
}

/// RFC 5753 §3.1.2: KEK = X9.63-KDF(Z, ECC-CMS-SharedInfo), then AES key unwrap.
fn unwrap_kari(k: &Kari, rek: &Rek, z: &[u8], key_len: usize) -> Option<SecretBytes> {
    let kdf_hash = match k.key_enc_alg.oid {
        o if o == algs::ECDH_STD_SHA1KDF || o == algs::ECDH_COFACTOR_SHA1KDF => Hash::Sha1,
        o if o == algs::ECDH_STD_SHA224KDF => Hash::Sha224,
        o if o == algs::ECDH_STD_SHA256KDF || o == algs::ECDH_COFACTOR_SHA256KDF => Hash::Sha256,
        o if o == algs::ECDH_STD_SHA384KDF || o == algs::ECDH_COFACTOR_SHA384KDF => Hash::Sha384,
        o if o == algs::ECDH_STD_SHA512KDF || o == algs::ECDH_COFACTOR_SHA512KDF => Hash::Sha512,
        _ => return None,
    };
    let wrap: AlgorithmIdentifierOwned = k.key_enc_alg.parameters.as_ref()?.decode_as().ok()?;
    let wrapped = rek.enc_key.as_bytes();
    if wrap.oid == algs::ID_ALG_CMS_3DES_WRAP {
        // The KDF's keyInfo is the wrap algorithm as the sender wrote it (with its NULL).
        let kek = derive_kek_for(kdf_hash, z, wrap, k.ukm.as_ref(), 24)?;
        let cek = unwrap_3des(&kek, wrapped)?;
        return (cek.len() == key_len).then_some(cek);
    }
    let kek_len = match wrap.oid {
        o if o == algs::ID_AES_128_WRAP => 16,
        o if o == algs::ID_AES_192_WRAP => 24,
        o if o == algs::ID_AES_256_WRAP => 32,
        _ => return None,
    };
    let kek = derive_kek(kdf_hash, z, wrap.oid, k.ukm.as_ref(), kek_len)?;
    let cek = match kek_len {
        16 => aes_kw::KekAes128::try_from(&kek[..])
            .ok()?
            .unwrap_vec(wrapped),
        24 => aes_kw::KekAes192::try_from(&kek[..])
            .ok()?
            .unwrap_vec(wrapped),
        _ => aes_kw::KekAes256::try_from(&kek[..])
            .ok()?
            .unwrap_vec(wrapped),
    }
    .ok()?;
    let cek = SecretBytes::new(cek);
    (cek.len() == key_len).then_some(cek)
}

/// Triple-DES key unwrap (RFC 3217 §3.2): 3DES-CBC under the fixed IV, reversed, 3DES-CBC
/// again under the IV it carries, then the CMS key checksum (the first 8 bytes of SHA-1 of the
/// key). No crate implements it; it is the `des` and `cbc` crates' CBC, composed as the RFC
/// says. The RFC wraps a 3DES key; OpenSSL wraps an AES content key the same way (the key, its
/// checksum and the IV in whole blocks), so any key of 16 to 32 bytes is read.
fn unwrap_3des(kek: &[u8], wrapped: &[u8]) -> Option<SecretBytes> {
    use cbc::cipher::block_padding::NoPadding;
    use cbc::cipher::{BlockDecryptMut, KeyIvInit};
    const IV: [u8; 8] = [0x4a, 0xdd, 0xa2, 0x2c, 0x79, 0xe8, 0x21, 0x05];
    // IV (8) + key (16..=32) + checksum (8), in 8-byte blocks.
    if !(32..=48).contains(&wrapped.len()) || !wrapped.len().is_multiple_of(8) {
        return None;
    }
    let mut temp3 = SecretBytes::new(
        cbc::Decryptor::<des::TdesEde3>::new_from_slices(kek, &IV)
            .ok()?
            .decrypt_padded_vec_mut::<NoPadding>(wrapped)
            .ok()?,
    );
    temp3.reverse();
    let (iv, temp1) = temp3.split_at(8);
    let cek_icv = SecretBytes::new(
        cbc::Decryptor::<des::TdesEde3>::new_from_slices(kek, iv)
            .ok()?
            .decrypt_padded_vec_mut::<NoPadding>(temp1)
            .ok()?,
    );
    let (cek, icv) = cek_icv.split_at(cek_icv.len().checked_sub(8)?);
    let check = Hash::Sha1.digest(cek)?;
    bool::from(subtle::ConstantTimeEq::ct_eq(&check[..8], icv))
        .then(|| SecretBytes::new(cek.to_vec()))
}

async fn decrypt_content(
    cipher: Cipher,
    alg: &AlgorithmIdentifierOwned,
    cek: &[u8],
    ct: &[u8],
    mac: Option<&(Vec<u8>, Vec<u8>)>,
) -> Option<SecretBytes> {
    let params = alg.parameters.as_ref()?;
    if let Some((tag, aad)) = mac {
        let p: GcmParameters = params.decode_as().ok()?;
        let nonce = p.nonce.as_bytes();
        if nonce.len() != 12
            || usize::from(p.icv_len) != tag.len()
            || tag.len() != 16 && tag.len() != 12
        {
            return None;
        }
        if !matches!(
            cipher,
            Cipher::Aes128Gcm | Cipher::Aes192Gcm | Cipher::Aes256Gcm
        ) {
            return None;
        }
        return provider::aes_gcm_decrypt(cek, nonce, aad, ct, tag).await;
    }
    let iv: OctetString = params.decode_as().ok()?;
    let iv = iv.as_bytes();
    match cipher {
        Cipher::Aes128Cbc | Cipher::Aes192Cbc | Cipher::Aes256Cbc => {
            provider::aes_cbc_decrypt(cek, iv, ct).await
        }
        Cipher::TdesCbc => cbc_decrypt::<des::TdesEde3>(cek, iv, ct),
        Cipher::Camellia128Cbc => cbc_decrypt::<camellia::Camellia128>(cek, iv, ct),
        Cipher::Camellia192Cbc => cbc_decrypt::<camellia::Camellia192>(cek, iv, ct),
        Cipher::Camellia256Cbc => cbc_decrypt::<camellia::Camellia256>(cek, iv, ct),
        _ => None,
    }
}

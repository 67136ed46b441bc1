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

use cms::enveloped_data::{KeyTransRecipientInfo, RecipientIdentifier};
use const_oid::db::rfc5911;
use der::asn1::{OctetString, SetOfVec};
use der::{Any, AnyRef, Decode, Encode, Tag, TagNumber, Tagged};
use spki::AlgorithmIdentifierOwned;

use super::algorithms::{
    self as algs, malformed, AuthEnvelopedDataIn, ContentInfoIn, EncryptedContentInfoIn,
    EnvelopedDataIn, GcmParameters, Kari, KariRid,
};
use super::key_unwrap::{unwrap_key, Wrapped};
use crate::ber;
use crate::crypto::{cbc_decrypt_in_place, provider};
use crate::engine::{Decrypted, DecryptedInPlace, Plaintext, ReadContext};
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

/// The envelope of a DER ContentInfo (BER is made DER first, see `decrypt_from`), its
/// encrypted content borrowed.
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
    let out = decrypt_from(ring, Buffer::Shared(payload), ctx).await?;
    Ok(Decrypted {
        report: out.report,
        content: out.content.map(|c| match c {
            Plaintext::Owned(plain) => plain,
            Plaintext::InPlace(range) => SecretBytes::new(payload[range].to_vec()),
        }),
        signature: out.signature,
    })
}

/// [`decrypt`] in `payload`'s own buffer: the last key to try decrypts the content where it is
/// (a 10 MiB attachment's ciphertext and plaintext were held at once). Keys before it decrypt
/// a copy, so that a wrong one leaves the ciphertext for the next.
pub(crate) async fn decrypt_in_place(
    ring: &Keyring,
    payload: &mut [u8],
    ctx: &ReadContext,
) -> Result<DecryptedInPlace> {
    decrypt_from(ring, Buffer::Mut(payload), ctx).await
}

/// Where the envelope's DER is: the payload, read-only or to decrypt in, or its DER form made
/// from BER in a buffer of its own.
enum Buffer<'p> {
    Shared(&'p [u8]),
    Mut(&'p mut [u8]),
    Der(Vec<u8>),
}

impl Buffer<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Buffer::Shared(b) => b,
            Buffer::Mut(b) => b,
            Buffer::Der(b) => b,
        }
    }
}

async fn decrypt_from(
    ring: &Keyring,
    payload: Buffer<'_>,
    ctx: &ReadContext,
) -> Result<DecryptedInPlace> {
    // BER (`openssl cms -stream`, Outlook) is read as its DER form.
    let mut buffer = match parse_der(payload.bytes()) {
        Ok(_) => payload,
        Err(_) => Buffer::Der(ber::to_der(payload.bytes())?),
    };
    let env = parse_der(buffer.bytes())?;
    let Some(cipher) = Cipher::from_oid(&env.content.content_enc_alg.oid) else {
        return Ok(unsupported_cipher(&env.content.content_enc_alg.oid).into());
    };
    if cipher.is_aead() != env.mac.is_some() {
        // GCM in EnvelopedData has no tag; CBC in AuthEnvelopedData has no authentication.
        return Ok(failed_with(Some(cipher), FAILED.to_string()).into());
    }
    let ciphertext = ciphertext_of(&env, ctx)?;
    // Where the borrowed ciphertext lies in the buffer; checked, not assumed.
    let at = (ciphertext.as_ptr() as usize).checked_sub(buffer.bytes().as_ptr() as usize);
    let range = match at.map(|at| at..at + ciphertext.len()) {
        Some(range) if buffer.bytes().get(range.clone()) == Some(ciphertext) => range,
        _ => return Err(malformed()),
    };
    // What the loop needs, taken out of the envelope: the buffer is written to below.
    let Envelope {
        recipients,
        password_only,
        content,
        mac,
    } = env;
    let alg = content.content_enc_alg;

    let keys = wrapped_keys(&recipients);
    let tries = tries_for(ring, &keys);
    let no_key = || {
        let mut report = EncryptionReport::new(Method::Smime, EncryptionState::NoKey, NO_KEY);
        report.algorithm = Some(cipher.name().to_string());
        report.key_id = Some(recipient_ids(&keys)).filter(|s| !s.is_empty());
        DecryptedInPlace {
            report,
            content: None,
            signature: None,
        }
    };
    // Only keys tried blindly: none of them turning out to fit means "not for us".
    let any_named = tries.iter().any(|t| t.named);
    if tries.is_empty() {
        let mut refused = no_key();
        if password_only {
            refused.report.detail = Some(PASSWORD_ONLY.to_string());
        }
        return Ok(refused);
    }

    let last = tries.len() - 1;
    for (i, t) in tries.into_iter().enumerate() {
        let Some(cek) = unwrap_key(t.wrapped, t.secret, cipher.key_len()).await else {
            continue;
        };
        let in_place = i == last && !matches!(buffer, Buffer::Shared(_));
        let mut copy = SecretBytes::new(Vec::new());
        let data: &mut [u8] = match &mut buffer {
            Buffer::Mut(b) if in_place => &mut b[range.clone()],
            Buffer::Der(b) if in_place => &mut b[range.clone()],
            _ => {
                copy.extend_from_slice(&buffer.bytes()[range.clone()]);
                &mut copy
            }
        };
        let Some(len) = decrypt_content(cipher, &alg, &cek, data, mac.as_ref()).await else {
            continue;
        };
        let plain = &data[..len];
        // A key tried blindly must also give something that looks like a MIME entity: CBC
        // padding alone is right by chance once in 256 tries.
        if !t.named && !cipher.is_aead() && !looks_like_entity(plain) {
            continue;
        }
        if len > ctx.max_output {
            return Err(Error::new(
                ErrorCode::TooLarge,
                "The decrypted message is larger than the allowed size.",
            ));
        }
        let content = match buffer {
            Buffer::Mut(_) if in_place => Plaintext::InPlace(range.start..range.start + len),
            Buffer::Der(mut der) if in_place => {
                der.copy_within(range.start..range.start + len, 0);
                der.truncate(len);
                Plaintext::Owned(SecretBytes::new(der))
            }
            _ => {
                copy.truncate(len);
                Plaintext::Owned(copy)
            }
        };
        return Ok(DecryptedInPlace {
            report: decrypted(cipher, t.entry),
            content: Some(content),
            signature: None,
        });
    }
    if !any_named {
        return Ok(no_key());
    }
    Ok(failed_with(Some(cipher), FAILED.to_string()).into())
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

/// Decrypts the content in `data` in place: the plaintext's length (it starts `data`), or
/// `None` (a wrong key, bad padding or tag, bad parameters: `data` is then not the plaintext).
async fn decrypt_content(
    cipher: Cipher,
    alg: &AlgorithmIdentifierOwned,
    cek: &[u8],
    data: &mut [u8],
    mac: Option<&(Vec<u8>, Vec<u8>)>,
) -> Option<usize> {
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
        return provider::aes_gcm_decrypt_in_place(cek, nonce, aad, data, tag)
            .await
            .then_some(data.len());
    }
    let iv: OctetString = params.decode_as().ok()?;
    let iv = iv.as_bytes();
    match cipher {
        Cipher::Aes128Cbc | Cipher::Aes192Cbc | Cipher::Aes256Cbc => {
            provider::aes_cbc_decrypt_in_place(cek, iv, data).await
        }
        Cipher::TdesCbc => cbc_decrypt_in_place::<des::TdesEde3>(cek, iv, data),
        Cipher::Camellia128Cbc => cbc_decrypt_in_place::<camellia::Camellia128>(cek, iv, data),
        Cipher::Camellia192Cbc => cbc_decrypt_in_place::<camellia::Camellia192>(cek, iv, data),
        Cipher::Camellia256Cbc => cbc_decrypt_in_place::<camellia::Camellia256>(cek, iv, data),
        _ => None,
    }
}

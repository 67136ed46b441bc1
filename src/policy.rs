//! Policy: which method for whom, what to do without a key, and algorithm choices.
//!
//! Defaults interoperate with Thunderbird, Outlook, Apple Mail, GnuPG and OpenSSL (DESIGN.md):
//! AES-256-CBC with RSA PKCS#1 v1.5 key transport, detached signatures. Newer forms are opt-in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::report::Method;

/// S/MIME content encryption.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SmimeCipher {
    /// EnvelopedData, AES-256-CBC (default: every client reads it).
    #[default]
    Aes256Cbc,
    /// EnvelopedData, AES-128-CBC.
    Aes128Cbc,
    /// AuthEnvelopedData, AES-256-GCM (RFC 5083/5084): authenticated, newer clients only.
    Aes256Gcm,
    /// AuthEnvelopedData, AES-128-GCM (RFC 8551 §2.7: MUST for receiving and sending agents).
    Aes128Gcm,
}

/// How the S/MIME content key is wrapped for RSA recipients (EC recipients always use ECDH).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SmimeKeyTransport {
    /// RSA PKCS#1 v1.5 (default for interoperability).
    #[default]
    RsaPkcs1v15,
    /// RSA-OAEP with SHA-256 (RFC 8017 / RFC 4055).
    RsaOaepSha256,
}

/// The shape of an S/MIME signed message.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SmimeSignedForm {
    /// `multipart/signed` with a detached `application/pkcs7-signature` (default: readable
    /// without S/MIME support).
    #[default]
    Detached,
    /// `application/pkcs7-mime; smime-type=signed-data`.
    Opaque,
}

/// Algorithm choices the engines honour when writing, and the rules signatures must meet.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Algorithms {
    /// S/MIME content cipher.
    pub smime_cipher: SmimeCipher,
    /// S/MIME RSA key transport.
    pub smime_key_transport: SmimeKeyTransport,
    /// S/MIME signed form.
    pub smime_signed_form: SmimeSignedForm,
    /// Which signatures are accepted, flattened into the policy object.
    #[serde(flatten)]
    pub signatures: SignatureRules,
}

/// A digest a signature may be refused for, named as reports name it.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureHash {
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// RIPEMD-160 (OpenPGP only).
    Ripemd160,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
}

impl SignatureHash {
    /// The report's name, e.g. `sha1`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureHash::Md5 => "md5",
            SignatureHash::Sha1 => "sha1",
            SignatureHash::Ripemd160 => "ripemd160",
            SignatureHash::Sha224 => "sha224",
            SignatureHash::Sha256 => "sha256",
        }
    }

    /// The name a sentence uses, e.g. `SHA-1`.
    pub fn label(self) -> &'static str {
        match self {
            SignatureHash::Md5 => "MD5",
            SignatureHash::Sha1 => "SHA-1",
            SignatureHash::Ripemd160 => "RIPEMD-160",
            SignatureHash::Sha224 => "SHA-224",
            SignatureHash::Sha256 => "SHA-256",
        }
    }
}

/// Which signatures the engines accept when reading, and which keys they sign with (in the
/// spirit of sequoia's `StandardPolicy`). The policy may only be stricter than the safe floor
/// (RSA 2048, no MD5, SHA-1 or RIPEMD-160, RFC 8551 §2.1 and DESIGN.md): a value below it is
/// refused when the policy is read, so no policy can re-admit what is broken.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignatureRules {
    /// Smallest RSA modulus (and OpenPGP DSA prime), in bits, of a key whose signatures are
    /// accepted and that is used to sign: 2048 (default) or more.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub min_rsa_bits: MinRsaBits,
    /// Digests whose signatures are refused: at least md5, sha1 and ripemd160 (default:
    /// exactly those).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "SignatureHash[]"))]
    pub weak_hashes: WeakHashes,
}

impl Default for SignatureRules {
    fn default() -> Self {
        SignatureRules {
            min_rsa_bits: MinRsaBits(MinRsaBits::FLOOR),
            weak_hashes: WeakHashes(WeakHashes::FLOOR.to_vec()),
        }
    }
}

impl SignatureRules {
    /// Whether a key of `bits` (RSA modulus, DSA prime) is too small.
    pub fn key_too_small(&self, bits: usize) -> bool {
        bits < self.min_rsa_bits.bits()
    }

    /// Whether signatures over the digest the reports call `name` (`sha1`, ...) are refused.
    pub fn refuses_hash(&self, name: &str) -> bool {
        self.weak_hashes.0.iter().any(|h| h.as_str() == name)
    }

    /// The refused digests for a sentence: `MD5, SHA-1 or RIPEMD-160`.
    pub fn weak_hash_labels(&self) -> String {
        let labels: Vec<&str> = self.weak_hashes.0.iter().map(|h| h.label()).collect();
        match labels.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => labels.concat(),
        }
    }
}

/// The smallest RSA key accepted: never below [`MinRsaBits::FLOOR`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct MinRsaBits(u32);

impl MinRsaBits {
    /// The safe floor: RSA under 2048 bits is refused whatever the policy says.
    pub const FLOOR: u32 = 2048;

    /// At least [`Self::FLOOR`], else `bad_input`.
    pub fn new(bits: u32) -> Result<Self> {
        if bits < Self::FLOOR {
            return Err(Error::new(
                ErrorCode::BadInput,
                format!(
                    "The policy's minRsaBits is {bits}, below {}: weaker RSA keys are never accepted.",
                    Self::FLOOR
                ),
            ));
        }
        Ok(MinRsaBits(bits))
    }

    /// The bits, for comparing with a key's.
    pub fn bits(self) -> usize {
        usize::try_from(self.0).unwrap_or(usize::MAX)
    }
}

impl TryFrom<u32> for MinRsaBits {
    type Error = Error;
    fn try_from(bits: u32) -> Result<Self> {
        MinRsaBits::new(bits)
    }
}

impl From<MinRsaBits> for u32 {
    fn from(m: MinRsaBits) -> u32 {
        m.0
    }
}

/// The digests whose signatures are refused: never fewer than [`WeakHashes::FLOOR`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<SignatureHash>", into = "Vec<SignatureHash>")]
pub struct WeakHashes(Vec<SignatureHash>);

impl WeakHashes {
    /// Refused whatever the policy says (collisions are practical).
    pub const FLOOR: [SignatureHash; 3] = [
        SignatureHash::Md5,
        SignatureHash::Sha1,
        SignatureHash::Ripemd160,
    ];

    /// Sorted and without duplicates; `bad_input` when a floor digest is missing.
    pub fn new(mut hashes: Vec<SignatureHash>) -> Result<Self> {
        if let Some(missing) = Self::FLOOR.iter().find(|h| !hashes.contains(h)) {
            return Err(Error::new(
                ErrorCode::BadInput,
                format!(
                    "The policy's weakHashes leaves out {}: md5, sha1 and ripemd160 signatures \
                     are never accepted.",
                    missing.as_str()
                ),
            ));
        }
        hashes.sort();
        hashes.dedup();
        Ok(WeakHashes(hashes))
    }

    /// The refused digests, in a fixed order.
    pub fn hashes(&self) -> &[SignatureHash] {
        &self.0
    }
}

impl TryFrom<Vec<SignatureHash>> for WeakHashes {
    type Error = Error;
    fn try_from(hashes: Vec<SignatureHash>) -> Result<Self> {
        WeakHashes::new(hashes)
    }
}

impl From<WeakHashes> for Vec<SignatureHash> {
    fn from(w: WeakHashes) -> Vec<SignatureHash> {
        w.0
    }
}

/// What to do for a recipient without a usable key when encryption is asked for
/// (S/Notify's "encryption fallback").
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// Refuse the whole message with `recipient_key_missing` naming the addresses (default:
    /// nothing leaves unencrypted unless the admin says so).
    #[default]
    Block,
    /// Deliver to them unencrypted (still signed if signing was asked for).
    SendPlain,
    /// Send them a short notice, without any content, that an encrypted message could not be
    /// delivered and why.
    ProblemReport,
}

/// What `open` does with a signature whose certificate's revocation could not be checked (the
/// certificate names a CRL or OCSP responder, nothing current from it is held).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UncheckedRevocation {
    /// Soft-fail, as browsers do: the verdict stands; the report says `revocation:
    /// "unchecked"` and names what to fetch.
    #[default]
    Pass,
    /// The verdict stands, with a warning sentence in its detail and in `warnings`.
    Warn,
    /// Not `valid`: `untrusted`, saying that revocation could not be checked.
    Block,
}

/// Sign / encrypt defaults of one help-desk group, for the composer's initial button state.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GroupDefaults {
    /// Sign by default.
    pub sign: bool,
    /// Encrypt by default.
    pub encrypt: bool,
    /// Preferred method for the group, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// Header protection (RFC 9788) for the group's mail; absent: on whenever the message is
    /// encrypted. `ProtectOptions.protect_headers` overrides it for one message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protect_headers: Option<bool>,
}

/// The admin's policy: S/Notify-style method priority and fallback, group defaults and
/// algorithm choices.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
// A plain object of groups (serde-wasm-bindgen also reads a Map).
#[cfg_attr(target_arch = "wasm32", tsify(hashmap_as_object))]
pub struct Policy {
    /// Methods to try, best first. One entry means that method only.
    pub method_priority: Vec<Method>,
    /// Recipients without a usable key.
    pub fallback: Fallback,
    /// Per-group defaults, by group name.
    pub groups: BTreeMap<String, GroupDefaults>,
    /// Write an `Autocrypt` header (Autocrypt Level 1) with the sender's OpenPGP key on
    /// outgoing mail when the sender has one, so that the recipients' clients learn it.
    pub autocrypt: bool,
    /// A signature whose certificate's revocation could not be checked: pass (default), warn
    /// or block.
    pub unchecked_revocation: UncheckedRevocation,
    /// Algorithm choices, flattened into the policy object.
    #[serde(flatten)]
    pub algorithms: Algorithms,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            method_priority: vec![Method::Smime, Method::Pgp],
            fallback: Fallback::default(),
            groups: BTreeMap::new(),
            autocrypt: false,
            unchecked_revocation: UncheckedRevocation::default(),
            algorithms: Algorithms::default(),
        }
    }
}

impl Policy {
    /// The methods allowed, in priority order, without duplicates (an empty list means the
    /// default order).
    pub fn methods(&self) -> Vec<Method> {
        let mut out: Vec<Method> = Vec::new();
        let wanted = if self.method_priority.is_empty() {
            Policy::default().method_priority
        } else {
            self.method_priority.clone()
        };
        for m in wanted {
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_rules_are_the_safe_floor_and_read_back() {
        let rules = SignatureRules::default();
        assert!(rules.key_too_small(2047));
        assert!(!rules.key_too_small(2048));
        for h in ["md5", "sha1", "ripemd160"] {
            assert!(rules.refuses_hash(h), "{h}");
        }
        assert!(!rules.refuses_hash("sha256"));
        assert_eq!(rules.weak_hash_labels(), "MD5, SHA-1 or RIPEMD-160");
        let json = serde_json::to_value(Policy::default()).unwrap();
        assert_eq!(json["minRsaBits"], 2048);
        assert_eq!(
            json["weakHashes"],
            serde_json::json!(["md5", "sha1", "ripemd160"])
        );
        let back: Policy = serde_json::from_value(json).unwrap();
        assert_eq!(back, Policy::default());
        // Absent fields take the defaults.
        let empty: Policy = serde_json::from_str("{}").unwrap();
        assert_eq!(empty.algorithms.signatures, SignatureRules::default());
    }

    #[test]
    fn a_stricter_policy_is_read() {
        let p: Policy = serde_json::from_str(
            r#"{"minRsaBits": 3072, "weakHashes": ["sha224", "sha1", "md5", "ripemd160", "sha1"]}"#,
        )
        .unwrap();
        let rules = &p.algorithms.signatures;
        assert!(rules.key_too_small(2048));
        assert!(!rules.key_too_small(3072));
        assert!(rules.refuses_hash("sha224"));
        assert_eq!(
            rules.weak_hash_labels(),
            "MD5, SHA-1, RIPEMD-160 or SHA-224"
        );
    }

    #[test]
    fn fail_a_policy_weaker_than_the_floor_is_refused_with_a_code() {
        let err = MinRsaBits::new(1024).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BadInput);
        assert_eq!(
            err.message(),
            "The policy's minRsaBits is 1024, below 2048: weaker RSA keys are never accepted."
        );
        let err = WeakHashes::new(vec![SignatureHash::Md5, SignatureHash::Ripemd160]).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BadInput);
        assert!(
            err.message().contains("leaves out sha1"),
            "{}",
            err.message()
        );

        for json in [
            r#"{"minRsaBits": 1024}"#,
            r#"{"minRsaBits": -1}"#,
            r#"{"weakHashes": []}"#,
            r#"{"weakHashes": ["md5", "ripemd160"]}"#,
            r#"{"weakHashes": ["md5", "sha1", "ripemd160", "sha3"]}"#,
        ] {
            let err = serde_json::from_str::<Policy>(json).unwrap_err();
            assert!(!err.to_string().is_empty(), "{json}");
        }
        let err = serde_json::from_str::<Policy>(r#"{"minRsaBits": 1024}"#).unwrap_err();
        assert!(err.to_string().contains("below 2048"), "{err}");
    }
}

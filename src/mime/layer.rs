//! What `detect` finds: the cryptographic layer at the top of an entity
//! ([`Layer`]: S/MIME, PGP/MIME, inline OpenPGP, an OpenPGP file, or none) and the
//! cryptographic parts nested below it ([`Nested`]). The finding itself is in `detect`.

use core::ops::Range;

pub use super::cms_kind::SmimeKind;
use super::parse::PartId;
use super::payload::Payload;
use crate::report::Method;

/// Where an OpenPGP encrypted message was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PgpForm {
    /// PGP/MIME `multipart/encrypted` (RFC 3156 §4).
    Mime,
    /// Armored in a text body; `partial` when there is text around it, which the encryption
    /// does not cover. Files beside it in a `multipart/mixed` are opened one by one (`open`).
    Inline {
        /// Other text shares the body with the armored block.
        partial: bool,
        /// The charset of the text inside, when the armor's `Charset` header or the part
        /// names one (the sender's client encrypted the text as it was encoded there).
        charset: Option<String>,
    },
    /// The whole message is one OpenPGP file attachment.
    Attachment {
        /// Its file name.
        filename: String,
    },
}

/// A detached signature: the exact signed bytes (borrowed from the parsed input: the signed
/// part is most of a large message) and the signature.
#[derive(Clone, PartialEq, Eq)]
pub struct Detached<'a> {
    /// The signed part exactly as in the input (RFC 1847 §2.1): headers and body, without
    /// the CRLF before the next delimiter. Verify over these bytes and, when the input used
    /// bare LF line ends, over [`Detached::signed_crlf`] (the canonical form the signer
    /// should have hashed, RFC 8551 §3.1.1 / RFC 3156 §5); the engines try both.
    pub signed: &'a [u8],
    /// The signed part's position in the input.
    pub signed_range: Range<usize>,
    /// The part id of the signed entity.
    pub signed_part: PartId,
    /// The signature: DER (S/MIME, transfer-decoded) or armored text (OpenPGP).
    pub signature: Vec<u8>,
    /// The `micalg` parameter, lower-case, when present (informative only: the signature
    /// itself names its digest).
    pub micalg: Option<String>,
}

impl core::fmt::Debug for Detached<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Detached")
            .field("signed_range", &self.signed_range)
            .field("signature_len", &self.signature.len())
            .field("micalg", &self.micalg)
            .finish()
    }
}

impl Detached<'_> {
    /// The signed bytes with every bare LF as CRLF (a copy only when needed; a lone CR stays:
    /// [`super::build::lf_to_crlf`]).
    pub fn signed_crlf(&self) -> std::borrow::Cow<'_, [u8]> {
        super::line_ends::lf_to_crlf(self.signed)
    }
}

/// The cryptographic layer at the top of an entity.
#[derive(Clone, PartialEq, Eq)]
pub enum Layer<'a> {
    /// No cryptographic layer.
    Plain,
    /// S/MIME `application/pkcs7-mime`: hand `payload` (DER ContentInfo) to
    /// `Engine::decrypt` (enveloped kinds) or `Engine::verify_opaque` (signed).
    SmimeMime {
        /// What the CMS says it is (or `smime-type` when the DER does not parse).
        kind: SmimeKind,
        /// The DER ContentInfo: the part's body.
        payload: Payload,
        /// The part it came from.
        part: PartId,
    },
    /// S/MIME `multipart/signed`: `Engine::verify_detached`.
    SmimeSigned(Detached<'a>),
    /// OpenPGP encrypted (or signed-and-encrypted, or opaque signed) message:
    /// `Engine::decrypt`, or `Engine::verify_opaque` when it turns out to be only signed.
    PgpMessage {
        /// How it was carried.
        form: PgpForm,
        /// Armored or binary OpenPGP message: the part's body, or the block in its text.
        payload: Payload,
        /// The part it came from.
        part: PartId,
    },
    /// PGP/MIME `multipart/signed`: `Engine::verify_detached`.
    PgpSigned(Detached<'a>),
    /// Inline cleartext-signed text (`BEGIN PGP SIGNED MESSAGE`): `Engine::verify_opaque`.
    PgpCleartext {
        /// The armored block, from its BEGIN line to its END line, in the part's charset.
        armored: Vec<u8>,
        /// Text around the block, or other parts beside it, are not covered.
        partial: bool,
        /// The declared charset of the part, for decoding the verified text.
        charset: Option<String>,
        /// The part it came from.
        part: PartId,
    },
    /// Looks like a cryptographic layer but cannot be read safely (wrong structure,
    /// ambiguous headers, misaligned boundaries). `open` reports it as a failed decryption
    /// when it claims to be encrypted, else as an invalid signature.
    Malformed {
        /// The standard it claims to be, when known.
        method: Option<Method>,
        /// It claims to be encrypted (`multipart/encrypted`, S/MIME enveloped data).
        encrypted: bool,
        /// A sentence for the agent.
        detail: String,
    },
}

impl core::fmt::Debug for Layer<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Layer::Plain => f.write_str("Plain"),
            Layer::SmimeMime {
                kind,
                payload,
                part,
            } => f
                .debug_struct("SmimeMime")
                .field("kind", kind)
                .field("payload_len", &payload.len_in())
                .field("part", part)
                .finish(),
            Layer::SmimeSigned(d) => f.debug_tuple("SmimeSigned").field(d).finish(),
            Layer::PgpMessage {
                form,
                payload,
                part,
            } => f
                .debug_struct("PgpMessage")
                .field("form", form)
                .field("payload_len", &payload.len_in())
                .field("part", part)
                .finish(),
            Layer::PgpSigned(d) => f.debug_tuple("PgpSigned").field(d).finish(),
            Layer::PgpCleartext { partial, part, .. } => f
                .debug_struct("PgpCleartext")
                .field("partial", partial)
                .field("part", part)
                .finish(),
            Layer::Malformed {
                method,
                encrypted,
                detail,
            } => f
                .debug_struct("Malformed")
                .field("encrypted", encrypted)
                .field("method", method)
                .field("detail", detail)
                .finish(),
        }
    }
}

impl Layer<'_> {
    /// The standard of this layer, if it is one.
    pub fn method(&self) -> Option<Method> {
        match self {
            Layer::Plain => None,
            Layer::SmimeMime { .. } | Layer::SmimeSigned(_) => Some(Method::Smime),
            Layer::PgpMessage { .. } | Layer::PgpSigned(_) | Layer::PgpCleartext { .. } => {
                Some(Method::Pgp)
            }
            Layer::Malformed { method, .. } => *method,
        }
    }

    /// The text part of an armored OpenPGP block with other text around it, if this is one.
    pub fn inline_with_text_around(&self) -> Option<PartId> {
        match self {
            Layer::PgpMessage {
                form: PgpForm::Inline { partial: true, .. },
                part,
                ..
            }
            | Layer::PgpCleartext {
                partial: true,
                part,
                ..
            } => Some(*part),
            _ => None,
        }
    }

    /// Whether this layer is (or may be) encryption.
    pub fn is_encryption(&self) -> bool {
        match self {
            Layer::SmimeMime { kind, .. } => {
                matches!(kind, SmimeKind::Enveloped | SmimeKind::AuthEnveloped)
            }
            Layer::PgpMessage { .. } => true,
            Layer::Malformed { encrypted, .. } => *encrypted,
            _ => false,
        }
    }
}

/// What a nested (not top-level) cryptographic part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NestedKind {
    /// `application/pkcs7-mime` (or a `.p7m` file) that is not signed-only: enveloped,
    /// authEnveloped, compressed, or unreadable.
    SmimeMime,
    /// `multipart/signed` with an S/MIME signature, or opaque `signed-data`.
    SmimeSigned,
    /// `multipart/encrypted` or an OpenPGP file.
    PgpEncrypted,
    /// `multipart/signed` with an OpenPGP signature.
    PgpSigned,
    /// An armored OpenPGP message (encrypted, or signed and not cleartext) in a text part.
    PgpInline,
    /// A cleartext-signed OpenPGP block (`BEGIN PGP SIGNED MESSAGE`) in a text part.
    PgpCleartext,
}

/// A cryptographic part below the top level: shown as present, never processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nested {
    /// The part.
    pub part: PartId,
    /// What it looks like.
    pub kind: NestedKind,
    /// Its file name, if any.
    pub filename: Option<String>,
}

/// The result of [`detect`](crate::mime::detect()).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected<'a> {
    /// The top-level cryptographic layer (or [`Layer::Plain`]).
    pub layer: Layer<'a>,
    /// Cryptographic parts found elsewhere in the tree (not processed).
    pub nested: Vec<Nested>,
}

//! Policy: which method for whom, what to do without a key, and algorithm choices.
//!
//! Defaults interoperate with Thunderbird, Outlook, Apple Mail, GnuPG and OpenSSL (DESIGN.md):
//! AES-256-CBC with RSA PKCS#1 v1.5 key transport, detached signatures. Newer forms are opt-in.

use serde::Deserialize;

/// S/MIME content encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SmimeCipher {
    /// EnvelopedData, AES-256-CBC (default: every client reads it).
    #[default]
    Aes256Cbc,
    /// EnvelopedData, AES-128-CBC.
    Aes128Cbc,
    /// AuthEnvelopedData, AES-256-GCM (RFC 5083/5084): authenticated, newer clients only.
    Aes256Gcm,
}

/// How the S/MIME content key is wrapped for RSA recipients (EC recipients always use ECDH).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SmimeKeyTransport {
    /// RSA PKCS#1 v1.5 (default for interoperability).
    #[default]
    RsaPkcs1v15,
    /// RSA-OAEP with SHA-256 (RFC 8017 / RFC 4055).
    RsaOaepSha256,
}

/// The shape of an S/MIME signed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SmimeSignedForm {
    /// `multipart/signed` with a detached `application/pkcs7-signature` (default: readable
    /// without S/MIME support).
    #[default]
    Detached,
    /// `application/pkcs7-mime; smime-type=signed-data`.
    Opaque,
}

/// Algorithm choices the engines honour when writing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Algorithms {
    /// S/MIME content cipher.
    pub smime_cipher: SmimeCipher,
    /// S/MIME RSA key transport.
    pub smime_key_transport: SmimeKeyTransport,
    /// S/MIME signed form.
    pub smime_signed_form: SmimeSignedForm,
}

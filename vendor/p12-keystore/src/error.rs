//!
//! [Error] enum definition
//!
use std::io;

use hmac::digest::MacError;

/// Possible errors for keystore operations
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    IoError(#[from] io::Error),

    #[error(transparent)]
    DerError(#[from] der::Error),

    #[error("Invalid PFX version")]
    InvalidVersion,

    #[error("Unsupported ContentType")]
    UnsupportedContentType,

    #[error("Unsupported certiticate type")]
    UnsupportedCertificateType,

    #[error("Invalid length")]
    InvalidLength,

    #[error("Unpad error")]
    UnpadError,

    #[error("Invalid parameters")]
    InvalidParameters,

    #[error("Invalid data")]
    InvalidData,

    #[error("Unsupported encryption scheme")]
    UnsupportedEncryptionScheme,

    #[error("Unsupported MAC algorithm")]
    UnsupportedMacAlgorithm,

    #[error("{0}")]
    Pkcs5Error(String),

    #[error(transparent)]
    MacError(#[from] MacError),

    /// mailseal: a key derivation refused by the caller's check (`from_pkcs12_checked`).
    #[error("Key derivation refused")]
    KdfRefused,
}

//! Encrypted private keys in OpenSSL's traditional PEM form (RFC 1421 headers):
//!
//! ```text
//! -----BEGIN RSA PRIVATE KEY-----
//! Proc-Type: 4,ENCRYPTED
//! DEK-Info: AES-256-CBC,8F0E...
//!
//! base64...
//! ```
//!
//! What `openssl rsa|ec -aes256 -traditional` and every OpenSSL before 1.1 (`genrsa -des3`)
//! write. The key is EVP_BytesToKey(MD5, passphrase, salt = the first 8 bytes of the IV, one
//! round) (`evpkdf`), the body is CBC-encrypted with PKCS#7 padding. `pem-rfc7468` does not
//! read header lines, so they are split off here; everything else is a maintained crate.

use aes::{Aes128, Aes192, Aes256};
use base64::Engine as _;

use crate::crypto::cbc_decrypt;
use crate::error::{Error, ErrorCode, Result};
use crate::secret::SecretBytes;

/// Whether a PEM block carries RFC 1421 encryption headers.
pub(crate) fn is_encrypted(block: &str) -> bool {
    block.contains("Proc-Type:")
}

/// The block's label and its decrypted DER.
pub(crate) fn decrypt<'a>(
    block: &'a str,
    passphrase: Option<&str>,
) -> Result<(&'a str, SecretBytes)> {
    let damaged = || Error::unsupported_format("The encrypted PEM key is malformed.");
    let mut lines = block.lines().map(str::trim_end);
    let label = lines
        .next()
        .and_then(|l| l.strip_prefix("-----BEGIN "))
        .and_then(|l| l.strip_suffix("-----"))
        .ok_or_else(damaged)?;
    let mut dek_info = None;
    let mut body = String::new();
    let mut in_headers = true;
    for line in lines {
        if line.starts_with("-----END ") {
            break;
        }
        if in_headers {
            if line.is_empty() {
                in_headers = false;
            } else if let Some(v) = line.strip_prefix("DEK-Info:") {
                dek_info = Some(v.trim());
            }
            continue;
        }
        body.push_str(line.trim());
    }
    let (cipher, iv_hex) = dek_info
        .and_then(|d| d.split_once(','))
        .ok_or_else(damaged)?;
    let iv = hex::decode(iv_hex.trim()).map_err(|_| damaged())?;
    let ciphertext = base64::engine::general_purpose::STANDARD
        .decode(body.as_bytes())
        .map_err(|_| damaged())?;
    let Some(passphrase) = passphrase else {
        return Err(Error::bad_passphrase());
    };
    let key_len = match cipher.to_ascii_uppercase().as_str() {
        "AES-128-CBC" => 16,
        "AES-192-CBC" | "DES-EDE3-CBC" => 24,
        "AES-256-CBC" => 32,
        other => {
            let shown: String = other.chars().take(24).collect();
            return Err(Error::new(
                ErrorCode::UnsupportedAlgorithm,
                format!(
                    "The PEM key is encrypted with {shown}, which mailseal does not read; convert \
                     it with openssl pkcs8 -topk8 and import it again."
                ),
            ));
        }
    };
    let salt = iv.get(..8).ok_or_else(damaged)?;
    let mut key = SecretBytes::new(vec![0u8; key_len]);
    evpkdf::evpkdf::<md5::Md5>(passphrase.as_bytes(), salt, 1, &mut key);
    let plain = match key_len {
        16 if cipher.starts_with("AES") => cbc_decrypt::<Aes128>(&key, &iv, &ciphertext),
        24 if cipher.starts_with("AES") => cbc_decrypt::<Aes192>(&key, &iv, &ciphertext),
        24 => cbc_decrypt::<des::TdesEde3>(&key, &iv, &ciphertext),
        _ => cbc_decrypt::<Aes256>(&key, &iv, &ciphertext),
    };
    // A wrong passphrase shows as bad padding (or, rarely, as DER that does not parse later).
    plain
        .map(|der| (label, der))
        .ok_or_else(Error::bad_passphrase)
}
